package main

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"regexp"
	"strconv"
	"strings"

	"github.com/spf13/pflag"

	"github.com/ddbsim/ddbsim/model/billing"
	"github.com/ddbsim/ddbsim/model/units"
)

// quiz: exam-style questions with numbers drawn from a seed, answered at
// the prompt (or with --answers), checked and explained with calc's own
// code (calc.go), so a question's answer is what `ddbsim calc` prints.

// quizStdin is where the quiz reads answers from. The command's env has
// no input stream; tests swap this for a reader or a pipe.
var quizStdin io.Reader = os.Stdin

type quizOptions struct {
	fs        *pflag.FlagSet
	seed      uint64
	questions int
	answers   string
}

var quizCmd = &command{
	name:  "quiz",
	usage: "[--seed N] [--questions N] [--answers A,B,...]",
	short: "exam-style questions with randomized numbers, checked and explained",
	long: `Quiz asks exam-style questions one at a time: read capacity for an item
size, rate and consistency; write capacity (transactional too); partitions
for capacity and size; which capacity mode costs less at a utilisation, or
what provisioned capacity costs; and multiple choice on hot partitions,
DAX, adaptive and burst capacity and indexes. The numbers come from --seed
(1 by default), so a seed always asks the same questions.

Answer a number (a unit may follow: 20, 20 RCU, $56.16) or a letter (b).
"skip" shows the working, "quit" (or end of input, Ctrl-D) stops and
scores what was answered. Each answer is checked with the calculator of
'ddbsim calc', and a wrong one is explained with its steps. The score is
printed at the end ("4/5").

--answers 20,4,b,... answers from the list instead of standard input (for
scripts; no thousands separators there: 1500, not 1,500); a list shorter
than the quiz stops it there. On a terminal, right and wrong are coloured
unless NO_COLOR is set. Exit status 0 once the quiz ran, whatever the
score; 2 for bad flags.`,
	flags: func(fs *pflag.FlagSet) any {
		o := &quizOptions{fs: fs}
		fs.Uint64Var(&o.seed, "seed", 1, "random seed `N`: the same seed asks the same questions")
		fs.IntVar(&o.questions, "questions", 5, "ask `N` questions (1 to 100)")
		fs.StringVar(&o.answers, "answers", "", "answer from the comma-separated `LIST` (20,4,b,...) instead of standard input")
		return o
	},
	run: runQuiz,
}

// quizQuestion is one question with its answer and working.
type quizQuestion struct {
	topic   string
	text    string
	choices []string // multiple choice, lettered a), b), ...; nil for a number
	letter  string   // the right choice
	answer  float64  // the right number
	unit    string   // shown after the number: "RCU", "partitions"; "$" goes before it
	tol     float64  // accepted distance from answer
	steps   []string // the working, from calc
}

func (q *quizQuestion) answerText() string {
	if q.choices != nil {
		i := int(q.letter[0] - 'a')
		return q.letter + ") " + q.choices[i]
	}
	if q.unit == "$" {
		return "$" + strconv.FormatFloat(q.answer, 'f', 2, 64)
	}
	return calcNum(q.answer) + " " + q.unit
}

// quizKinds are the kinds of question; each block of len(quizKinds)
// questions asks each once, in an order drawn from the seed.
var quizKinds = []func(*quizGen) quizQuestion{
	(*quizGen).readQuestion,
	(*quizGen).writeQuestion,
	(*quizGen).partitionQuestion,
	(*quizGen).modeQuestion,
	(*quizGen).conceptQuestion,
}

// quizGen draws questions from one seeded stream.
type quizGen struct {
	r        *rand.Rand
	concepts []int // the concept bank, in the order this quiz asks it
	next     int
}

// quizQuestions draws n questions from seed: the same seed, the same
// questions, on any platform (math/rand/v2's PCG is specified).
func quizQuestions(seed uint64, n int) []quizQuestion {
	g := &quizGen{r: rand.New(rand.NewPCG(seed, 0x64646273696d))} // "ddbsim"
	g.concepts = g.r.Perm(len(quizConcepts))
	var out []quizQuestion
	for len(out) < n {
		for _, k := range g.r.Perm(len(quizKinds)) {
			if len(out) == n {
				break
			}
			out = append(out, quizKinds[k](g))
		}
	}
	return out
}

func pick[T any](g *quizGen, xs []T) T { return xs[g.r.IntN(len(xs))] }

// kb converts a size in KB to bytes as ParseSize would ("2.5KB").
func kb(k float64) int { return int(math.Round(k * 1024)) }

var consistencyWords = map[units.Consistency]string{
	units.Strong:        "strongly consistent",
	units.Eventual:      "eventually consistent",
	units.Transactional: "in transactions (TransactGetItems)",
}

func (g *quizGen) readQuestion() quizQuestion {
	c := pick(g, []units.Consistency{units.Strong, units.Eventual, units.Transactional})
	switch g.r.IntN(3) {
	case 1: // a Query: sizes summed, then rounded once
		if c == units.Transactional {
			c = units.Strong
		}
		n := pick(g, []int{5, 8, 10, 12, 20, 25})
		size := kb(pick(g, []float64{0.5, 1.2, 1.5, 2.3, 3.5, 4.1, 5.5, 6.2}))
		rate := float64(pick(g, []int{1, 2, 4, 5, 10}))
		if c == units.Eventual {
			rate *= 2
		}
		sizes := repeat(size, n)
		res, _ := calcRead("query", sizes, c, rate)
		return quizQuestion{topic: "read capacity: Query",
			text: fmt.Sprintf("A Query returns %d items of %s each, %s, %s. How many RCU does it consume?",
				n, calcSize(size), consistencyWords[c], timesASecond(rate)),
			answer: res.RCU, unit: "RCU", steps: res.Steps}
	case 2: // a BatchGetItem: each item rounded, then summed
		if c == units.Transactional {
			c = units.Eventual
		}
		n := pick(g, []int{4, 5, 10, 20, 25})
		size := kb(pick(g, []float64{0.5, 1.2, 2.5, 3.5, 4.5, 6}))
		rate := float64(pick(g, []int{1, 2, 5, 10}))
		if c == units.Eventual {
			rate *= 2
		}
		res, _ := calcRead("batch_get", repeat(size, n), c, rate)
		return quizQuestion{topic: "read capacity: BatchGetItem",
			text: fmt.Sprintf("A BatchGetItem reads %d items of %s each, %s, %s. How many RCU does it consume?",
				n, calcSize(size), consistencyWords[c], timesASecond(rate)),
			answer: res.RCU, unit: "RCU", steps: res.Steps}
	}
	size := kb(pick(g, []float64{0.5, 1, 2.5, 3, 4, 5, 6, 7.5, 8, 9, 12, 13, 17, 20, 33}))
	rate := float64(pick(g, []int{5, 10, 20, 25, 40, 50, 75, 100, 150, 200, 500}))
	if c == units.Eventual && int(rate)%2 == 1 {
		rate *= 2
	}
	res, _ := calcRead("get", []int{size}, c, rate)
	return quizQuestion{topic: "read capacity",
		text: fmt.Sprintf("An application reads items of %s with GetItem, %s a second, %s. How many RCU does it need?",
			calcSize(size), calcNum(rate), consistencyWords[c]),
		answer: res.RCU, unit: "RCU", steps: res.Steps}
}

func timesASecond(rate float64) string {
	if rate == 1 {
		return "once a second"
	}
	return calcNum(rate) + " times a second"
}

func repeat(size, n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = size
	}
	return out
}

func (g *quizGen) writeQuestion() quizQuestion {
	rate := float64(pick(g, []int{5, 10, 20, 25, 40, 50, 100, 120, 300}))
	if g.r.IntN(3) == 0 {
		n := pick(g, []int{5, 10, 20, 25})
		size := kb(pick(g, []float64{0.3, 0.5, 1.5, 2.5, 3.2}))
		rate = float64(pick(g, []int{1, 2, 4, 10}))
		res, _ := calcWrite("batch_write", repeat(size, n), -1, false, rate)
		return quizQuestion{topic: "write capacity: BatchWriteItem",
			text: fmt.Sprintf("A BatchWriteItem puts %d items of %s each, %s. How many WCU does it consume?",
				n, calcSize(size), timesASecond(rate)),
			answer: res.WCU, unit: "WCU", steps: res.Steps}
	}
	size := kb(pick(g, []float64{0.5, 1, 1.5, 2.5, 3, 3.7, 4, 6.2, 10}))
	tx := g.r.IntN(2) == 0
	how := "with PutItem"
	if tx {
		how = "in transactions (TransactWriteItems)"
	}
	res, _ := calcWrite("put", []int{size}, -1, tx, rate)
	return quizQuestion{topic: "write capacity",
		text: fmt.Sprintf("An application writes items of %s %s, %s a second. How many WCU does it need?",
			calcSize(size), how, calcNum(rate)),
		answer: res.WCU, unit: "WCU", steps: res.Steps}
}

func (g *quizGen) partitionQuestion() quizQuestion {
	rcu := int64(pick(g, []int{500, 1000, 2000, 3000, 4500, 5000, 6000, 7500, 9000, 12000}))
	wcu := int64(pick(g, []int{100, 200, 500, 1000, 1500, 2000, 2500, 4000}))
	gb := int64(pick(g, []int{0, 5, 8, 20, 35, 50, 64, 100, 150}))
	res := calcPartitions(rcu, wcu, gb<<30)
	holds := "holds no data yet"
	if gb > 0 {
		holds = fmt.Sprintf("holds %d GB", gb)
	}
	return quizQuestion{topic: "partitions",
		text: fmt.Sprintf("A table is provisioned with %s RCU and %s WCU and %s. How many partitions does it need by the published rule?",
			calcNum(float64(rcu)), calcNum(float64(wcu)), holds),
		answer: float64(res.Partitions), unit: "partitions", steps: res.Steps}
}

func (g *quizGen) modeQuestion() quizQuestion {
	if g.r.IntN(3) == 0 {
		in := costInput{region: "us-east-1", class: "standard", provisioned: true,
			rcu:   int64(pick(g, []int{50, 100, 200, 250, 400, 500, 1000})),
			wcu:   int64(pick(g, []int{25, 50, 100, 200, 300})),
			hours: float64(pick(g, []int{24, 100, 168, 720, 730}))}
		res, err := calcCost(in)
		if err != nil {
			panic(err)
		}
		return quizQuestion{topic: "cost",
			text: fmt.Sprintf("What do %s RCU and %s WCU of provisioned capacity cost for %s hours in us-east-1 (Standard table class, no free tier), in dollars?",
				calcNum(float64(in.rcu)), calcNum(float64(in.wcu)), calcNum(in.hours)),
			answer: res.TotalUSD, unit: "$", tol: 0.01, steps: withoutBreakEven(res.Steps)}
	}
	util := pick(g, []float64{0.05, 0.1, 0.15, 0.2, 0.45, 0.5, 0.6, 0.75, 0.9})
	peak := int64(pick(g, []int{100, 200, 400, 1000}))
	in := costInput{region: "us-east-1", class: "standard", hours: billing.HoursPerMonth, provisioned: true, onDemand: true}
	what, unit := "reads", "RCU"
	if g.r.IntN(2) == 0 {
		in.rcu, in.reads = peak, util*float64(peak)*3600*in.hours
		in.readRate = calcNum(util*float64(peak)) + "/s"
	} else {
		what, unit = "writes", "WCU"
		in.wcu, in.writes = peak, util*float64(peak)*3600*in.hours
		in.writeRate = calcNum(util*float64(peak)) + "/s"
	}
	res, err := calcCost(in)
	if err != nil {
		panic(err)
	}
	choices := []string{"provisioned capacity", "on-demand"}
	letter := "a"
	if res.Cheaper == "on-demand" {
		letter = "b"
	}
	return quizQuestion{topic: "capacity modes",
		text: fmt.Sprintf("A steady workload needs %s %s at its peak and averages %s of it (%s %s a second) all month. Which capacity mode costs less, provisioned at the peak or on-demand?",
			calcNum(float64(peak)), unit, calcNum(100*util)+"%", calcNum(util*float64(peak)), what),
		choices: choices, letter: letter, steps: res.Steps}
}

// withoutBreakEven drops a bill's break-even lines, beside the point of a
// question on what the capacity costs.
func withoutBreakEven(steps []string) []string {
	var out []string
	for _, s := range steps {
		if !strings.HasPrefix(s, "break-even") {
			out = append(out, s)
		}
	}
	return out
}

// quizConcept is a multiple-choice question: the right choice first, and
// why it is right.
type quizConcept struct {
	topic, text string
	right       string
	wrong       []string
	why         string
}

// quizConcepts are the conceptual questions, each rule from REFERENCE.
var quizConcepts = []quizConcept{
	{"hot partitions", "One partition key takes 2,500 writes a second and they throttle, though the table has 10,000 WCU. What helps?",
		"write sharding: a random suffix (key#0..key#9) spreads the key over several partition keys",
		[]string{"raising the table's WCU", "DAX in front of the table"},
		"one partition key lives on one partition, which serves at most 1,000 WCU a second whatever the table's capacity (REFERENCE: partitions): more WCU raises only the other partitions' shares. DAX is write-through: every write still goes to the table. Sharding spreads the key's writes over several partitions."},
	{"hot partitions", "One item is read 20,000 times a second, eventually consistent, and the reads throttle. What helps most?",
		"DAX: its item cache serves the repeated reads from memory",
		[]string{"raising the table's RCU", "reading it strongly consistent"},
		"one item is on one partition: 3,000 RCU a second at most (6,000 eventually consistent reads of up to 4 KB), and more RCU does not lift that ceiling. DAX answers cache hits without touching the table; strongly consistent reads cost twice as much and bypass DAX."},
	{"DAX", "Which reads does DAX answer from its cache?",
		"eventually consistent GetItem, BatchGetItem, Query and Scan",
		[]string{"strongly consistent GetItem", "TransactGetItems"},
		"strongly consistent and transactional reads pass through DAX to the table; only eventually consistent reads are cached (REFERENCE: dax)."},
	{"DAX", "An item is updated through DAX. A Query through DAX that returned it a minute earlier is repeated. What can it return?",
		"the old result, until the query cache entry's TTL ends",
		[]string{"always the new item: writes invalidate the query cache", "an error"},
		"writes update DAX's item cache (write-through) but do not invalidate the query cache, which is keyed by the exact request: query results can be stale until their TTL (5 minutes by default)."},
	{"adaptive capacity", "What does adaptive capacity let a hot partition do?",
		"use the table's unused capacity, up to the partition's 3,000 RCU / 1,000 WCU ceiling",
		[]string{"exceed the partition ceiling while the table has capacity to spare", "borrow capacity from other tables"},
		"adaptive capacity lends a hot partition the table's unused capacity at once, as long as neither the table's total nor the partition ceiling is exceeded (REFERENCE: adaptive)."},
	{"burst capacity", "How much unused capacity does a partition keep as burst credit?",
		"up to 300 seconds of its unused share",
		[]string{"up to 60 seconds", "up to an hour"},
		"each partition banks up to 300 seconds of its unused share and spends it above the provisioned rate, best effort and never above the partition ceiling (REFERENCE: burst)."},
	{"indexes", "Can a global secondary index be read with strong consistency?",
		"no: GSI reads are eventually consistent only",
		[]string{"yes, at 1 RCU per 4 KB", "yes, at twice the cost of an eventual read"},
		"a GSI is updated asynchronously from its table and serves eventually consistent reads only (REFERENCE: gsi); a local secondary index can be read strongly consistent."},
	{"indexes", "A global secondary index is short of write capacity. What happens to writes to its table?",
		"they are throttled: the index holds the table back",
		[]string{"they succeed and the index catches up later", "the index is dropped"},
		"if any GSI lacks write capacity for the index writes a base-table write causes, the base-table write is throttled (back-pressure, REFERENCE: gsi): give indexes at least their share of write capacity."},
	{"capacity modes", "How often can a table switch from provisioned to on-demand?",
		"at most 4 times in any rolling 24 hours",
		[]string{"once a day", "any time, without limit"},
		"provisioned to on-demand: at most 4 times per rolling 24 hours; back to provisioned any time (REFERENCE: ondemand)."},
	{"capacity units", "A conditional PutItem of a 3 KB item fails its condition; the item existed. What does it consume?",
		"3 WCU", []string{"nothing: failed writes are free", "1 WCU"},
		"a conditional write whose condition fails still consumes write units: the new item's size if the item existed (3 KB = 3 units), 1 unit if it did not (REFERENCE: units)."},
}

func (g *quizGen) conceptQuestion() quizQuestion {
	c := quizConcepts[g.concepts[g.next%len(g.concepts)]]
	g.next++
	all := append([]string{c.right}, c.wrong...)
	order := g.r.Perm(len(all))
	q := quizQuestion{topic: c.topic, text: c.text, steps: []string{c.why}}
	for i, j := range order {
		q.choices = append(q.choices, all[j])
		if j == 0 {
			q.letter = string(rune('a' + i))
		}
	}
	return q
}

// ---- checking answers

var quizNumber = regexp.MustCompile(`^\$?\s*([0-9][0-9,]*(?:\.[0-9]+)?|\.[0-9]+)\s*\$?\s*[A-Za-z% /-]*$`)
var quizLetter = regexp.MustCompile(`^\(?([A-Za-z])[).]?$`)

// quizCheck reads an answer: right or not, or ok false when it cannot be
// read as an answer to q at all (with what was expected).
func quizCheck(q *quizQuestion, answer string) (right, ok bool, expected string) {
	a := strings.TrimSpace(answer)
	if q.choices != nil {
		m := quizLetter.FindStringSubmatch(a)
		if m == nil {
			return false, false, fmt.Sprintf("expected a letter, a to %c", 'a'+len(q.choices)-1)
		}
		l := strings.ToLower(m[1])
		if int(l[0]-'a') >= len(q.choices) {
			return false, false, fmt.Sprintf("expected a letter, a to %c", 'a'+len(q.choices)-1)
		}
		return l == q.letter, true, ""
	}
	m := quizNumber.FindStringSubmatch(a)
	if m == nil {
		return false, false, "expected a number; a unit may follow, such as 20 RCU"
	}
	v, err := strconv.ParseFloat(strings.ReplaceAll(m[1], ",", ""), 64)
	if err != nil {
		return false, false, "expected a number; a unit may follow, such as 20 RCU"
	}
	tol := q.tol
	if tol == 0 {
		tol = 1e-9 * math.Max(1, math.Abs(q.answer))
	}
	return math.Abs(v-q.answer) <= tol+1e-12, true, ""
}

// ---- asking

func runQuiz(e *env, opts any, args []string) int {
	o := opts.(*quizOptions)
	if len(args) > 0 {
		e.errorf("quiz takes no arguments, got %q (answers go in --answers or on standard input)", args[0])
		return exitUsage
	}
	if o.questions < 1 || o.questions > 100 {
		e.errorf("quiz: --questions %d: expected 1 to 100", o.questions)
		return exitUsage
	}
	qs := quizQuestions(o.seed, o.questions)

	// next returns the next answer, false at the end of the answers.
	var next func() (string, bool)
	scripted := o.fs.Changed("answers")
	echo := true // show the answer after the prompt, unless a terminal did
	if scripted {
		list := strings.Split(o.answers, ",")
		if o.answers == "" {
			list = nil
		}
		if len(list) > len(qs) {
			fmt.Fprintf(e.stderr, "note: %d answers for %d questions; the last %d are not used\n", len(list), len(qs), len(list)-len(qs))
		}
		next = func() (string, bool) {
			if len(list) == 0 {
				return "", false
			}
			a := list[0]
			list = list[1:]
			return a, true
		}
	} else {
		if f, ok := quizStdin.(*os.File); ok {
			fi, err := f.Stat()
			echo = err != nil || fi.Mode()&os.ModeCharDevice == 0
		}
		in := bufio.NewScanner(quizStdin)
		next = func() (string, bool) {
			if !in.Scan() {
				return "", false
			}
			return in.Text(), true
		}
	}
	paint := func(s, code string) string { return s }
	if isTerminal(e.stdout) && os.Getenv("NO_COLOR") == "" {
		paint = func(s, code string) string { return "\033[" + code + "m" + s + "\033[0m" }
	}
	w := e.stdout
	flush := func() {
		if f, ok := w.(interface{ Flush() error }); ok {
			f.Flush()
		}
	}

	fmt.Fprintf(w, "ddbsim quiz: %d question%s, seed %d. Answer with a number (a unit may follow) or a letter;\n",
		len(qs), calcPlural(len(qs)), o.seed)
	fmt.Fprintf(w, "\"skip\" shows the working, \"quit\" or end of input stops.\n")
	score, asked := 0, 0
	stopped := false
questions:
	for i := range qs {
		q := &qs[i]
		fmt.Fprintf(w, "\nQuestion %d of %d (%s)\n%s\n", i+1, len(qs), q.topic, q.text)
		for j, c := range q.choices {
			fmt.Fprintf(w, "  %c) %s\n", 'a'+j, c)
		}
		for {
			fmt.Fprint(w, "answer> ")
			flush()
			a, ok := next()
			if !ok {
				fmt.Fprintln(w)
				stopped = true
				break questions
			}
			if echo {
				fmt.Fprintln(w, a)
			}
			a = strings.TrimSpace(a)
			switch strings.ToLower(a) {
			case "quit", "q", "exit":
				stopped = true
				break questions
			case "":
				if !scripted {
					continue // ask again
				}
				a = "skip"
			}
			var right bool
			if strings.EqualFold(a, "skip") {
				fmt.Fprintf(w, "%s: the answer is %s\n", paint("skipped", "33"), q.answerText())
			} else {
				var readable bool
				var expected string
				right, readable, expected = quizCheck(q, a)
				if !readable {
					if !scripted {
						fmt.Fprintf(w, "%s; try again, \"skip\" or \"quit\"\n", expected)
						continue
					}
					fmt.Fprintf(w, "%s: could not read %q (%s); the answer is %s\n", paint("wrong", "31"), a, expected, q.answerText())
				} else if right {
					fmt.Fprintf(w, "%s: %s\n", paint("right", "32"), q.answerText())
				} else {
					fmt.Fprintf(w, "%s: the answer is %s\n", paint("wrong", "31"), q.answerText())
				}
			}
			asked++
			if right {
				score++
			} else {
				for _, s := range q.steps {
					fmt.Fprintf(w, "  %s\n", s)
				}
			}
			break
		}
	}
	fmt.Fprintln(w)
	if stopped && asked < len(qs) {
		fmt.Fprintf(w, "stopped after %d of %d questions\n", asked, len(qs))
	}
	fmt.Fprintf(w, "score: %d/%d\n", score, asked)
	flush()
	return exitOK
}
