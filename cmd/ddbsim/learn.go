package main

import (
	"bytes"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/spf13/pflag"

	"github.com/ddbsim/ddbsim/reports"
	"github.com/ddbsim/ddbsim/scenarios"
)

// A lesson teaches one exam concept by running it: its scenarios run, its
// explanation quotes their numbers (never canned ones), a plot shows it,
// and its claim, the concept in a sentence, is checked against the runs,
// so a lesson whose run stopped showing what it teaches fails.
type lesson struct {
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
	// plots names, for each run, the plot (reports.Plots name) that shows
	// the lesson; "" for none.
	plots    []string
	takeaway string
}

// lessonRun is one simulation of a lesson: a lesson scenario
// (scenarios/lessons/NAME.yaml) or a built-in one, and what the
// explanation calls it.
type lessonRun struct {
	label    string
	scenario string
	builtin  bool
}

// lessons are registered by the files that define them (lessons_*.go) and
// listed in the order of lessonOrder, then by name.
var lessons []*lesson

// lessonOrder is the order `ddbsim learn` lists lessons in: the syllabus.
var lessonOrder = []string{"units", "consistency", "capacity-modes", "hot-partitions", "burst-adaptive",
	"autoscaling", "dax", "streams", "global-tables", "gsi", "ttl", "not-dynamodb"}

func registerLesson(l *lesson) { lessons = append(lessons, l) }

func sortedLessons() []*lesson {
	out := slices.Clone(lessons)
	rank := func(l *lesson) int {
		if i := slices.Index(lessonOrder, l.name); i >= 0 {
			return i
		}
		return len(lessonOrder)
	}
	slices.SortStableFunc(out, func(a, b *lesson) int {
		if d := rank(a) - rank(b); d != 0 {
			return d
		}
		return strings.Compare(a.name, b.name)
	})
	return out
}

func findLesson(name string) *lesson {
	for _, l := range lessons {
		if l.name == name {
			return l
		}
	}
	return nil
}

type learnOptions struct {
	out string
}

var learnCmd = &command{
	name:  "learn",
	usage: "[LESSON] [--out DIR]",
	short: "run a lesson on a DynamoDB exam concept, with numbers from its own simulation",
	long: `Learn lists the lessons, or runs one: the lesson's scenarios are simulated,
and it prints what happened, with the run's own numbers, the plot that shows
it, and the exam takeaway in one line. With --out DIR it writes each run's
plot for the lesson (SVG and PNG) and lesson.txt.

Exit status is 0 when the lesson's claim held in its run, 1 when it did not
(which would be a bug in ddbsim), and 2 for an unknown lesson.`,
	flags: func(fs *pflag.FlagSet) any {
		o := &learnOptions{}
		fs.StringVar(&o.out, "out", "", "write the lesson's plots and text to `DIR`")
		return o
	},
	run: runLearn,
}

func runLearn(e *env, opts any, args []string) int {
	o := opts.(*learnOptions)
	e.sim.Series = o.out != ""
	switch len(args) {
	case 0:
		tw := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
		for _, l := range sortedLessons() {
			fmt.Fprintf(tw, "%s\t%s\n", l.name, l.title)
		}
		tw.Flush()
		return exitOK
	case 1:
	default:
		e.errorf("learn takes one lesson, got %d\nRun 'ddbsim learn' for the list.", len(args))
		return exitUsage
	}
	l := findLesson(args[0])
	if l == nil {
		var names []string
		for _, l := range sortedLessons() {
			names = append(names, l.name)
		}
		e.errorf("no lesson named %q (lessons: %s)", args[0], strings.Join(names, ", "))
		return exitUsage
	}
	if err := checkWritable(o.out, ""); err != nil { // now, not after the lesson's runs
		e.errorf("%v", err)
		return exitUsage
	}
	res, err := runLesson(l, e)
	if err != nil {
		fmt.Fprintln(e.stderr, err)
		return exitInternal
	}
	var text bytes.Buffer
	fmt.Fprintf(&text, "%s\n\n", l.title)
	l.explain(&text, res)
	files := map[string][]byte{}
	if o.out != "" {
		for i, name := range l.plots {
			if name == "" || i >= len(res) {
				continue
			}
			plots, err := reports.Plots(res[i])
			if err != nil {
				e.errorf("%v", err)
				return exitInternal
			}
			for _, p := range plots {
				if p.Name == name {
					file := l.name + "-" + plotFileName(l.runs[i].label) + "-" + plotFileName(p.Name)
					if err := renderPlots(files, []reports.Plot{withName(p, file)}); err != nil {
						e.errorf("%v", err)
						return exitInternal
					}
					fmt.Fprintf(&text, "\nplot: %s (%s)\n", file+".svg", p.Title)
				}
			}
		}
	} else if len(l.plots) > 0 {
		fmt.Fprintf(&text, "\nplot: run with --out DIR to get the figure that shows it\n")
	}
	fmt.Fprintf(&text, "\ntakeaway: %s\n", l.takeaway)
	claimErr := l.claim(res)
	if claimErr != nil {
		fmt.Fprintf(&text, "\nthe lesson's claim did not hold in this run: %v\n", claimErr)
	}
	if o.out != "" {
		files["lesson.txt"] = text.Bytes()
		if err := writeFilesAtomic(o.out, files); err != nil {
			e.errorf("%v", err)
			return exitUsage
		}
	}
	e.stdout.Write(text.Bytes())
	if claimErr != nil {
		return exitFailed
	}
	return exitOK
}

// runLesson simulates each of the lesson's runs with its scenario's seed.
func runLesson(l *lesson, e *env) ([]*reports.Result, error) {
	var out []*reports.Result
	for _, r := range l.runs {
		var (
			sc  *scenarios.Scenario
			err error
		)
		if r.builtin {
			sc, err = scenarios.Builtin(r.scenario)
		} else {
			sc, err = scenarios.Lesson(r.scenario)
		}
		if err != nil {
			return nil, err
		}
		seed := uint64(1)
		if sc.HasSeed {
			seed = sc.Seed
		}
		res, err := simulate(sc, seed, e, true)
		if err != nil {
			return nil, err
		}
		out = append(out, res)
	}
	return out, nil
}

// withName is p under another name (its file name).
func withName(p reports.Plot, name string) reports.Plot {
	p.Name = name
	return p
}
