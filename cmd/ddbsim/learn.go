package main

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/spf13/pflag"

	"github.com/ddbsim/ddbsim/learn"
	"github.com/ddbsim/ddbsim/reports"
	"github.com/ddbsim/ddbsim/reports/plot"
	"github.com/ddbsim/ddbsim/scenarios"

	"github.com/ddbsim/ddbsim/cmd/ddbsim/internal/outfiles"
	"github.com/ddbsim/ddbsim/cmd/ddbsim/internal/render"
)

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
		for _, l := range learn.All() {
			fmt.Fprintf(tw, "%s\t%s\n", l.Name(), l.Title())
		}
		tw.Flush()
		return exitOK
	case 1:
	default:
		e.errorf("learn takes one lesson, got %d\nRun 'ddbsim learn' for the list.", len(args))
		return exitUsage
	}
	l := learn.Find(args[0])
	if l == nil {
		var names []string
		for _, l := range learn.All() {
			names = append(names, l.Name())
		}
		e.errorf("no lesson named %q (lessons: %s)", args[0], strings.Join(names, ", "))
		return exitUsage
	}
	unlock, err := outfiles.Check(o.out, "")
	if err != nil { // now, not after the lesson's runs
		e.errorf("%v", err)
		return exitUsage
	}
	defer unlock() // --out stays locked until its files are written
	interrupt, release := catchInterrupts(onInterruptNothing)
	defer release()
	e.sim.Interrupt = interrupt
	res, err := l.Run(func(sc *scenarios.Scenario, seed uint64) (*reports.Result, error) {
		return simulate(sc, seed, e, true)
	})
	if interrupt.Load() { // a lesson's runs cut short show nothing
		return interruptedNothingWritten(e)
	}
	if err != nil {
		e.printError(err)
		return exitInternal
	}
	var text bytes.Buffer
	fmt.Fprintf(&text, "%s\n\n", l.Title())
	l.Explain(&text, res)
	files := map[string][]byte{}
	if o.out != "" {
		for _, fig := range l.Figures() {
			plots, err := plot.Figures(res[fig.Run])
			if err != nil {
				e.errorf("%v", err)
				return exitInternal
			}
			for _, p := range plots {
				if p.Name == fig.Plot {
					file := l.Name() + "-" + fig.Label + "-" + p.Name // render.Plots makes it a file name
					err := render.Plots(files, []plot.Plot{render.WithName(p, file)}, interrupt)
					if errors.Is(err, render.ErrStopped) {
						return interruptedNothingWritten(e)
					}
					if err != nil {
						e.errorf("%v", err)
						return exitInternal
					}
					fmt.Fprintf(&text, "\nplot: %s (%s)\n", render.PlotFileName(file)+".svg", p.Title)
				}
			}
		}
	} else if len(l.Figures()) > 0 {
		fmt.Fprintf(&text, "\nplot: run with --out DIR to get the figure that shows it\n")
	}
	fmt.Fprintf(&text, "\ntakeaway: %s\n", l.Takeaway())
	claimErr := l.Claim(res)
	if claimErr != nil {
		fmt.Fprintf(&text, "\nthe lesson's claim did not hold in this run: %v\n", claimErr)
	}
	if o.out != "" {
		files["lesson.txt"] = text.Bytes()
		if err := outfiles.WriteSet(o.out, files); err != nil {
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
