package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ddbsim/ddbsim/model/capacity"
	"github.com/ddbsim/ddbsim/model/units"
)

// quizRight returns the right answers to a seed's questions, as a person
// would type them: "20 RCU", "$56.16", "B"; with no thousands separators,
// which --answers would read as separate answers.
func quizRight(seed uint64, n int) []string {
	var out []string
	for _, q := range quizQuestions(seed, n) {
		switch {
		case q.choices != nil:
			out = append(out, strings.ToUpper(q.letter))
		case q.unit == "$":
			out = append(out, "$"+strconv.FormatFloat(q.answer, 'f', 2, 64))
		default:
			out = append(out, strings.ReplaceAll(calcNum(q.answer), ",", "")+" "+q.unit)
		}
	}
	return out
}

// A seed always asks the same questions, word for word; another seed
// asks others.
func TestQuizDeterministic(t *testing.T) {
	quiz := func(seed string) string {
		code, out, stderr := ddbsim("quiz", "--seed", seed, "--answers", "skip,skip,skip,skip,skip")
		if code != exitOK {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		return out
	}
	a, b := quiz("7"), quiz("7")
	if a != b {
		t.Fatal("seed 7 asked different questions twice")
	}
	if c := quiz("8"); c == a {
		t.Fatal("seeds 7 and 8 asked the same questions")
	}
	// Each block of five asks each kind once.
	topics := map[string]bool{}
	for _, q := range quizQuestions(7, 5) {
		topics[strings.SplitN(q.topic, ":", 2)[0]] = true
	}
	if len(topics) < 5 {
		t.Errorf("five questions cover %d topics: %v", len(topics), topics)
	}
	// The default seed is 1.
	if _, def, _ := ddbsim("quiz", "--answers", "skip"); !strings.Contains(def, "seed 1.") {
		t.Errorf("default seed: %q", def)
	}
}

// Right answers score full marks, in any seed, with or without units;
// every kind of question gets asked across the seeds.
func TestQuizAllRight(t *testing.T) {
	for seed := uint64(1); seed <= 30; seed++ {
		answers := quizRight(seed, 10)
		code, out, stderr := ddbsim("quiz", "--seed", fmt.Sprint(seed), "--questions", "10", "--answers", strings.Join(answers, ","))
		if code != exitOK || stderr != "" {
			t.Fatalf("seed %d: exit %d, stderr %q", seed, code, stderr)
		}
		if !strings.HasSuffix(out, "score: 10/10\n") || strings.Contains(out, "wrong") {
			t.Fatalf("seed %d, answers %v:\n%s", seed, answers, out)
		}
	}
	// Bare numbers and lower-case letters too.
	var bare []string
	for _, q := range quizQuestions(3, 5) {
		if q.choices != nil {
			bare = append(bare, "("+q.letter+")")
		} else {
			bare = append(bare, strconv.FormatFloat(q.answer, 'f', -1, 64))
		}
	}
	if _, out, _ := ddbsim("quiz", "--seed", "3", "--answers", strings.Join(bare, ",")); !strings.HasSuffix(out, "score: 5/5\n") {
		t.Errorf("bare answers %v:\n%s", bare, out)
	}
}

// A wrong answer is explained with calc's steps, and the score counts it.
func TestQuizWrongExplained(t *testing.T) {
	answers := quizRight(1, 5)
	qs := quizQuestions(1, 5)
	// Get the first numeric and the first multiple-choice question wrong.
	wrongNum, wrongMC := -1, -1
	for i, q := range qs {
		if q.choices == nil && wrongNum < 0 {
			wrongNum = i
			answers[i] = strconv.FormatFloat(q.answer+1, 'f', -1, 64)
		}
		if q.choices != nil && wrongMC < 0 {
			wrongMC = i
			answers[i] = string(rune('a' + (int(q.letter[0]-'a')+1)%len(q.choices)))
		}
	}
	if wrongNum < 0 || wrongMC < 0 {
		t.Fatal("seed 1 has no numeric or no multiple-choice question")
	}
	code, out, _ := ddbsim("quiz", "--answers", strings.Join(answers, ","))
	if code != exitOK || !strings.HasSuffix(out, "score: 3/5\n") {
		t.Fatalf("exit %d:\n%s", code, out)
	}
	for _, i := range []int{wrongNum, wrongMC} {
		q := qs[i]
		block := out[strings.Index(out, fmt.Sprintf("Question %d of", i+1)):]
		if !strings.Contains(block, "wrong: the answer is "+q.answerText()) {
			t.Errorf("question %d not marked wrong with its answer:\n%s", i+1, block)
		}
		for _, s := range q.steps {
			if !strings.Contains(block, "  "+s+"\n") {
				t.Errorf("question %d: the working %q is not shown", i+1, s)
			}
		}
	}
	// A numeric question's working ends in its answer.
	for seed := uint64(1); seed <= 20; seed++ {
		for _, q := range quizQuestions(seed, 5) {
			if q.unit == "RCU" || q.unit == "WCU" {
				if want := "= " + q.answerText(); !strings.HasSuffix(q.steps[0], want) {
					t.Errorf("seed %d: %q: working %q does not end in %q", seed, q.text, q.steps[0], want)
				}
			}
		}
	}
	// An unreadable answer from --answers counts as wrong and says why.
	_, out, _ = ddbsim("quiz", "--questions", "1", "--answers", "lots")
	if !strings.Contains(out, `could not read "lots"`) || !strings.HasSuffix(out, "score: 0/1\n") {
		t.Errorf("unreadable answer:\n%s", out)
	}
}

// The quiz's answers are the calculator's: a GetItem read question's
// answer is what calcRead gives for it, and the conceptual questions'
// numbers hold in the model.
func TestQuizUsesCalculator(t *testing.T) {
	for seed := uint64(1); seed <= 20; seed++ {
		for _, q := range quizQuestions(seed, 5) {
			if q.topic != "partitions" {
				continue
			}
			var rcu, wcu, gb int64
			if _, err := fmt.Sscanf(strings.ReplaceAll(q.text, ",", ""), "A table is provisioned with %d RCU and %d WCU", &rcu, &wcu); err != nil {
				t.Fatalf("%q: %v", q.text, err)
			}
			if i := strings.Index(q.text, "holds "); i >= 0 {
				fmt.Sscanf(q.text[i:], "holds %d GB", &gb)
			}
			if want := capacity.InitialPartitions(rcu, wcu, gb<<30); q.answer != float64(want) {
				t.Errorf("%s: answer %v, want %d", q.text, q.answer, want)
			}
		}
	}
	// "A conditional PutItem of a 3 KB item fails its condition; the item
	// existed": 3 WCU.
	if u := units.ConditionalFailureUnits(0, true, 3*1024); u.Float() != 3 {
		t.Errorf("conditional failure costs %v, the quiz says 3 WCU", u)
	}
}

// The quiz on a pipe, as a terminal would drive it: each answer is typed
// after its prompt appears, and input ends after two answers (Ctrl-D).
// The quiz stops there and scores the two.
func TestQuizStdinEOF(t *testing.T) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	old := quizStdin
	quizStdin = r
	defer func() { quizStdin = old }()

	right := quizRight(1, 5)
	q2 := quizQuestions(1, 5)[1]
	wrong := calcNum(q2.answer + 1)
	if q2.choices != nil {
		wrong = string(rune('a' + (int(q2.letter[0]-'a')+1)%len(q2.choices)))
	}
	out := &promptWriter{prompts: make(chan struct{}, 16)}
	typed := make(chan error, 1)
	go func() {
		defer w.Close()
		// The first answer is right, then a blank line (asked again),
		// then something unreadable (asked again), then a wrong one.
		for _, line := range []string{right[0], "", "what?", wrong} {
			select {
			case <-out.prompts:
			case <-time.After(10 * time.Second):
				typed <- fmt.Errorf("no prompt before typing %q", line)
				return
			}
			if _, err := io.WriteString(w, line+"\n"); err != nil {
				typed <- err
				return
			}
		}
		<-out.prompts // the third question's prompt; then end of input
		typed <- nil
	}()
	var errb bytes.Buffer
	code := run([]string{"quiz"}, out, &errb)
	if err := <-typed; err != nil {
		t.Fatal(err)
	}
	got := out.String()
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	for _, want := range []string{
		"Question 1 of 5", "answer> " + right[0] + "\nright: ",
		"Question 2 of 5", "try again",
		"Question 3 of 5",
		"stopped after 2 of 5 questions\nscore: 1/2\n",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("output lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "Question 4 of 5") || strings.Contains(got, "\033[") {
		t.Errorf("asked past the end of input, or coloured a pipe:\n%s", got)
	}
	// The same from a reader that simply ends, and "quit" stops too.
	quizStdin = strings.NewReader(right[0] + "\n" + right[1] + "\nquit\n")
	_, stdout, _ := ddbsim("quiz")
	if !strings.HasSuffix(stdout, "stopped after 2 of 5 questions\nscore: 2/2\n") {
		t.Errorf("quit:\n%s", stdout)
	}
	quizStdin = strings.NewReader("")
	_, stdout, _ = ddbsim("quiz")
	if !strings.HasSuffix(stdout, "stopped after 0 of 5 questions\nscore: 0/0\n") {
		t.Errorf("empty input:\n%s", stdout)
	}
}

// promptWriter collects output and signals each prompt, so a test types
// only after the quiz asks, as a person at a terminal does.
type promptWriter struct {
	mu      sync.Mutex
	buf     bytes.Buffer
	prompts chan struct{}
}

func (p *promptWriter) Write(b []byte) (int, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	n, err := p.buf.Write(b)
	for range bytes.Count(b, []byte("answer> ")) {
		p.prompts <- struct{}{}
	}
	return n, err
}

func (p *promptWriter) String() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.buf.String()
}

func TestQuizGolden(t *testing.T) {
	right := quizRight(1, 5)
	mixed := append([]string(nil), right...)
	mixed[1] = "skip"
	mixed[3] = "0"
	tests := []struct {
		name string
		args []string
		code int
	}{
		{"quiz-seed1-right", []string{"quiz", "--answers", strings.Join(right, ",")}, exitOK},
		{"quiz-seed1-mixed", []string{"quiz", "--answers", strings.Join(mixed, ",")}, exitOK},
		{"quiz-seed2-short", []string{"quiz", "--seed", "2", "--questions", "3", "--answers", "1"}, exitOK},
		{"quiz-bad-questions", []string{"quiz", "--questions", "0"}, exitUsage},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { goldenRun(t, tt.name, tt.code, tt.args...) })
	}
}
