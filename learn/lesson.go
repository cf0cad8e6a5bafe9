package learn

import (
	"io"
	"slices"
	"strings"

	"github.com/ddbsim/ddbsim/reports"
	"github.com/ddbsim/ddbsim/scenarios"
)

// A Lesson teaches one exam concept by running it: its scenarios run, its
// explanation quotes their numbers (never canned ones), a plot shows it,
// and its claim, the concept in a sentence, is checked against the runs,
// so a lesson whose run stopped showing what it teaches fails.
type Lesson struct {
	name  string
	title string
	// runs are the lesson's simulations, in order.
	runs []lessonRun
	// explain writes the explanation from the runs' results, in runs'
	// order.
	explain func(w io.Writer, res []*reports.Result)
	// claim checks that what the lesson teaches holds in its runs: nil,
	// or what did not hold.
	claim func(res []*reports.Result) error
	// plots names, for each run, the plot (plot.Figures name) that shows
	// the lesson; "" for none.
	plots    []string
	takeaway string
}

// lessonRun is one simulation of a lesson: a lesson scenario
// (lessons/NAME.yaml) or a built-in one, and what the explanation calls
// it.
type lessonRun struct {
	label    string
	scenario string
	builtin  bool
}

// Simulate runs a scenario under seed and returns its result: ddbsim.Build
// and Run, as the caller configures them.
type Simulate func(sc *scenarios.Scenario, seed uint64) (*reports.Result, error)

// lessons are registered by the files that define them (lessons_*.go) and
// listed in the order of lessonOrder, then by name.
var lessons []*Lesson

// lessonOrder is the order `ddbsim learn` lists lessons in: the syllabus.
var lessonOrder = []string{"units", "consistency", "capacity-modes", "hot-partitions", "burst-adaptive",
	"autoscaling", "dax", "streams", "global-tables", "gsi", "ttl", "not-dynamodb"}

func registerLesson(l *Lesson) { lessons = append(lessons, l) }

// All returns the lessons in syllabus order.
func All() []*Lesson {
	out := slices.Clone(lessons)
	rank := func(l *Lesson) int {
		if i := slices.Index(lessonOrder, l.name); i >= 0 {
			return i
		}
		return len(lessonOrder)
	}
	slices.SortStableFunc(out, func(a, b *Lesson) int {
		if d := rank(a) - rank(b); d != 0 {
			return d
		}
		return strings.Compare(a.name, b.name)
	})
	return out
}

// Find returns the lesson named name, or nil.
func Find(name string) *Lesson {
	for _, l := range lessons {
		if l.name == name {
			return l
		}
	}
	return nil
}

// Name is what `ddbsim learn NAME` calls the lesson.
func (l *Lesson) Name() string { return l.name }

// Title is the lesson's concept in a line.
func (l *Lesson) Title() string { return l.title }

// Takeaway is what to remember for the exam, in a line.
func (l *Lesson) Takeaway() string { return l.takeaway }

// Run simulates each of the lesson's runs with its scenario's seed (1 when
// it has none) and returns their results in order.
func (l *Lesson) Run(simulate Simulate) ([]*reports.Result, error) {
	var out []*reports.Result
	for _, r := range l.runs {
		var (
			sc  *scenarios.Scenario
			err error
		)
		if r.builtin {
			sc, err = scenarios.Builtin(r.scenario)
		} else {
			sc, err = lessonScenario(r.scenario)
		}
		if err != nil {
			return nil, err
		}
		seed := uint64(1)
		if sc.HasSeed {
			seed = sc.Seed
		}
		res, err := simulate(sc, seed)
		if err != nil {
			return nil, err
		}
		out = append(out, res)
	}
	return out, nil
}

// Explain writes what the runs showed, quoting their numbers; res are
// Run's results.
func (l *Lesson) Explain(w io.Writer, res []*reports.Result) { l.explain(w, res) }

// Claim checks that what the lesson teaches held in res: nil, or what did
// not hold (which would be a bug in the model).
func (l *Lesson) Claim(res []*reports.Result) error { return l.claim(res) }

// Figure is the plot that shows a lesson in one of its runs.
type Figure struct {
	Run   int    // the run's index in Run's results
	Label string // what the explanation calls the run
	Plot  string // the name of the plot (plot.Figures)
}

// Figures are the plots that show the lesson, one run's each.
func (l *Lesson) Figures() []Figure {
	var out []Figure
	for i, name := range l.plots {
		if name != "" && i < len(l.runs) {
			out = append(out, Figure{Run: i, Label: l.runs[i].label, Plot: name})
		}
	}
	return out
}
