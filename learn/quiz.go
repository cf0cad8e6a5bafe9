package learn

// The quiz: exam-style questions with numbers drawn from a seed, answered
// at the prompt of `ddbsim quiz`, checked and explained with package
// calc's own code, so that a question's answer is what `ddbsim calc`
// prints.

import (
	"fmt"
	"math"
	"math/rand/v2"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/ddbsim/ddbsim/calc"
	"github.com/ddbsim/ddbsim/model/billing"
	"github.com/ddbsim/ddbsim/model/units"
)

// Question is one question with its answer and working.
type Question struct {
	Topic   string
	Text    string
	Choices []string // multiple choice, lettered a), b), ...; nil for a number
	Letter  string   // the right choice
	Answer  float64  // the right number
	Unit    string   // shown after the number: "RCU", "partitions"; "$" goes before it
	Tol     float64  // accepted distance from Answer
	Steps   []string // the working, from calc
	// asked is what makes two questions the same question (the
	// operation, sizes and consistency, not the rate alone), so that a
	// quiz does not ask one twice.
	asked string
}

// AnswerText is the right answer as the quiz shows it: "b) DAX ...",
// "$56.16", "20 RCU".
func (q *Question) AnswerText() string {
	if q.Choices != nil {
		i := int(q.Letter[0] - 'a')
		return q.Letter + ") " + q.Choices[i]
	}
	if q.Unit == "$" {
		return "$" + strconv.FormatFloat(q.Answer, 'f', 2, 64)
	}
	return calc.Num(q.Answer) + " " + q.Unit
}

// quizKinds are the kinds of question; each block of len(quizKinds)
// questions asks each once, in an order drawn from the seed.
var quizKinds = []func(*quizGen) Question{
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

// Questions draws n questions from seed: the same seed, the same
// questions, on any platform (math/rand/v2's PCG is specified).
func Questions(seed uint64, n int) []Question {
	g := &quizGen{r: rand.New(rand.NewPCG(seed, 0x64646273696d))} // "ddbsim"
	g.concepts = g.r.Perm(len(quizConcepts))
	var out []Question
	seen := map[string]bool{}
	for len(out) < n {
		for _, k := range g.r.Perm(len(quizKinds)) {
			if len(out) == n {
				break
			}
			q := quizKinds[k](g)
			// Draw again while the question was asked already; a long
			// quiz may exhaust a kind (the concept bank has 10), and
			// then repeats it rather than draw forever.
			for try := 0; seen[q.asked] && try < quizRedraws; try++ {
				q = quizKinds[k](g)
			}
			seen[q.asked] = true
			out = append(out, q)
		}
	}
	return out
}

// quizRedraws is how many times Questions draws a question of one kind
// again before it accepts a repeat.
const quizRedraws = 50

func pick[T any](g *quizGen, xs []T) T { return xs[g.r.IntN(len(xs))] }

// kb converts a size in KB to bytes as ParseSize would ("2.5KB").
func kb(k float64) int { return int(math.Round(k * 1024)) }

var consistencyWords = map[units.Consistency]string{
	units.Strong:        "strongly consistent",
	units.Eventual:      "eventually consistent",
	units.Transactional: "in transactions (TransactGetItems)",
}

func (g *quizGen) readQuestion() Question {
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
		sizes := slices.Repeat([]int{size}, n)
		res, _ := calc.Read("query", sizes, c, rate)
		return Question{Topic: "read capacity: Query",
			Text: fmt.Sprintf("A Query returns %d items of %s each, %s, %s. How many RCU does it consume?",
				n, calc.Size(size), consistencyWords[c], timesASecond(rate)),
			Answer: res.RCU, Unit: "RCU", Steps: res.Steps, asked: fmt.Sprint("query", n, size, c)}
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
		res, _ := calc.Read("batch_get", slices.Repeat([]int{size}, n), c, rate)
		return Question{Topic: "read capacity: BatchGetItem",
			Text: fmt.Sprintf("A BatchGetItem reads %d items of %s each, %s, %s. How many RCU does it consume?",
				n, calc.Size(size), consistencyWords[c], timesASecond(rate)),
			Answer: res.RCU, Unit: "RCU", Steps: res.Steps, asked: fmt.Sprint("batch_get", n, size, c)}
	}
	size := kb(pick(g, []float64{0.5, 1, 2.5, 3, 4, 5, 6, 7.5, 8, 9, 12, 13, 17, 20, 33}))
	rate := float64(pick(g, []int{5, 10, 20, 25, 40, 50, 75, 100, 150, 200, 500}))
	if c == units.Eventual && int(rate)%2 == 1 {
		rate *= 2
	}
	res, _ := calc.Read("get", []int{size}, c, rate)
	// A transactional read is TransactGetItems, not GetItem: the
	// question names the one operation it reads with.
	how := "with GetItem, " + calc.Num(rate) + " a second, " + consistencyWords[c]
	if c == units.Transactional {
		how = consistencyWords[c] + ", " + calc.Num(rate) + " a second"
	}
	return Question{Topic: "read capacity",
		Text: fmt.Sprintf("An application reads items of %s %s. How many RCU does it need?",
			calc.Size(size), how),
		Answer: res.RCU, Unit: "RCU", Steps: res.Steps, asked: fmt.Sprint("get", size, c)}
}

func timesASecond(rate float64) string {
	if rate == 1 {
		return "once a second"
	}
	return calc.Num(rate) + " times a second"
}

func (g *quizGen) writeQuestion() Question {
	rate := float64(pick(g, []int{5, 10, 20, 25, 40, 50, 100, 120, 300}))
	if g.r.IntN(3) == 0 {
		n := pick(g, []int{5, 10, 20, 25})
		size := kb(pick(g, []float64{0.3, 0.5, 1.5, 2.5, 3.2}))
		rate = float64(pick(g, []int{1, 2, 4, 10}))
		res, _ := calc.Write("batch_write", slices.Repeat([]int{size}, n), -1, false, rate)
		return Question{Topic: "write capacity: BatchWriteItem",
			Text: fmt.Sprintf("A BatchWriteItem puts %d items of %s each, %s. How many WCU does it consume?",
				n, calc.Size(size), timesASecond(rate)),
			Answer: res.WCU, Unit: "WCU", Steps: res.Steps, asked: fmt.Sprint("batch_write", n, size)}
	}
	size := kb(pick(g, []float64{0.5, 1, 1.5, 2.5, 3, 3.7, 4, 6.2, 10}))
	tx := g.r.IntN(2) == 0
	how := "with PutItem"
	if tx {
		how = "in transactions (TransactWriteItems)"
	}
	res, _ := calc.Write("put", []int{size}, -1, tx, rate)
	return Question{Topic: "write capacity",
		Text: fmt.Sprintf("An application writes items of %s %s, %s a second. How many WCU does it need?",
			calc.Size(size), how, calc.Num(rate)),
		Answer: res.WCU, Unit: "WCU", Steps: res.Steps, asked: fmt.Sprint("put", size, tx)}
}

func (g *quizGen) partitionQuestion() Question {
	rcu := int64(pick(g, []int{500, 1000, 2000, 3000, 4500, 5000, 6000, 7500, 9000, 12000}))
	wcu := int64(pick(g, []int{100, 200, 500, 1000, 1500, 2000, 2500, 4000}))
	gb := int64(pick(g, []int{0, 5, 8, 20, 35, 50, 64, 100, 150}))
	res := calc.Partitions(rcu, wcu, gb<<30)
	holds := "holds no data yet"
	if gb > 0 {
		holds = fmt.Sprintf("holds %d GB", gb)
	}
	return Question{Topic: "partitions",
		Text: fmt.Sprintf("A table is provisioned with %s RCU and %s WCU and %s. How many partitions does it need by the published rule?",
			calc.Num(float64(rcu)), calc.Num(float64(wcu)), holds),
		Answer: float64(res.Partitions), Unit: "partitions", Steps: res.Steps, asked: fmt.Sprint("partitions", rcu, wcu, gb)}
}

func (g *quizGen) modeQuestion() Question {
	if g.r.IntN(3) == 0 {
		in := calc.CostInput{Region: "us-east-1", Class: "standard", Provisioned: true,
			RCU:   int64(pick(g, []int{50, 100, 200, 250, 400, 500, 1000})),
			WCU:   int64(pick(g, []int{25, 50, 100, 200, 300})),
			Hours: float64(pick(g, []int{24, 100, 168, 720, 730}))}
		res, err := calc.Cost(in)
		if err != nil {
			panic(err)
		}
		return Question{Topic: "cost",
			Text: fmt.Sprintf("What do %s RCU and %s WCU of provisioned capacity cost for %s hours in us-east-1 (Standard table class, no free tier), in dollars?",
				calc.Num(float64(in.RCU)), calc.Num(float64(in.WCU)), calc.Num(in.Hours)),
			Answer: res.TotalUSD, Unit: "$", Tol: 0.01, Steps: withoutBreakEven(res.Steps), asked: fmt.Sprint("cost", in.RCU, in.WCU, in.Hours)}
	}
	util := pick(g, []float64{0.05, 0.1, 0.15, 0.2, 0.45, 0.5, 0.6, 0.75, 0.9})
	peak := int64(pick(g, []int{100, 200, 400, 1000}))
	in := calc.CostInput{Region: "us-east-1", Class: "standard", Hours: billing.HoursPerMonth, Provisioned: true, OnDemand: true}
	what, unit := "reads", "RCU"
	if g.r.IntN(2) == 0 {
		in.RCU, in.Reads = peak, util*float64(peak)*3600*in.Hours
		in.ReadRate = calc.Num(util*float64(peak)) + "/s"
	} else {
		what, unit = "writes", "WCU"
		in.WCU, in.Writes = peak, util*float64(peak)*3600*in.Hours
		in.WriteRate = calc.Num(util*float64(peak)) + "/s"
	}
	res, err := calc.Cost(in)
	if err != nil {
		panic(err)
	}
	choices := []string{"provisioned capacity", "on-demand"}
	letter := "a"
	if res.Cheaper == "on-demand" {
		letter = "b"
	}
	return Question{Topic: "capacity modes",
		Text: fmt.Sprintf("A steady workload needs %s %s at its peak and averages %s of it (%s %s a second) all month. Which capacity mode costs less, provisioned at the peak or on-demand?",
			calc.Num(float64(peak)), unit, calc.Num(100*util)+"%", calc.Num(util*float64(peak)), what),
		Choices: choices, Letter: letter, Steps: res.Steps, asked: fmt.Sprint("mode", peak, util, unit)}
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

func (g *quizGen) conceptQuestion() Question {
	c := quizConcepts[g.concepts[g.next%len(g.concepts)]]
	g.next++
	all := append([]string{c.right}, c.wrong...)
	order := g.r.Perm(len(all))
	q := Question{Topic: c.topic, Text: c.text, Steps: []string{c.why}, asked: c.text}
	for i, j := range order {
		q.Choices = append(q.Choices, all[j])
		if j == 0 {
			q.Letter = string(rune('a' + i))
		}
	}
	return q
}

var quizNumber = regexp.MustCompile(`^\$?\s*([0-9][0-9,]*(?:\.[0-9]+)?|\.[0-9]+)\s*\$?\s*[A-Za-z% /-]*$`)

var quizLetter = regexp.MustCompile(`^\(?([A-Za-z])[).]?$`)

// Check reads an answer: right or not, or ok false when it cannot be
// read as an answer to q at all (with what was expected).
func (q *Question) Check(answer string) (right, ok bool, expected string) {
	a := strings.TrimSpace(answer)
	if q.Choices != nil {
		m := quizLetter.FindStringSubmatch(a)
		if m == nil {
			return false, false, fmt.Sprintf("expected a letter, a to %c", 'a'+len(q.Choices)-1)
		}
		l := strings.ToLower(m[1])
		if int(l[0]-'a') >= len(q.Choices) {
			return false, false, fmt.Sprintf("expected a letter, a to %c", 'a'+len(q.Choices)-1)
		}
		return l == q.Letter, true, ""
	}
	m := quizNumber.FindStringSubmatch(a)
	if m == nil {
		return false, false, "expected a number; a unit may follow, such as 20 RCU"
	}
	v, err := strconv.ParseFloat(strings.ReplaceAll(m[1], ",", ""), 64)
	if err != nil {
		return false, false, "expected a number; a unit may follow, such as 20 RCU"
	}
	tol := q.Tol
	if tol == 0 {
		tol = 1e-9 * math.Max(1, math.Abs(q.Answer))
	}
	return math.Abs(v-q.Answer) <= tol+1e-12, true, ""
}
