package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/spf13/pflag"

	"github.com/ddbsim/ddbsim/learn"
	"github.com/ddbsim/ddbsim/reports"
	"github.com/ddbsim/ddbsim/reports/plot"
	"github.com/ddbsim/ddbsim/scenarios"

	"github.com/ddbsim/ddbsim/cmd/ddbsim/internal/flagset"
	"github.com/ddbsim/ddbsim/cmd/ddbsim/internal/outfiles"
	"github.com/ddbsim/ddbsim/cmd/ddbsim/internal/render"
)

var learnCmd = &command{
	name:  "learn",
	usage: "[LESSON] [--seed N] [--duration D] [--json FILE|-] [--out DIR] [--format text|json] [--quiet] [--prices FILE] [--free-tier]",
	short: "run a lesson on a DynamoDB exam concept, with numbers from its own simulation",
	long:  helpText("learn"),
	flags: func(fs *pflag.FlagSet) any {
		return flagset.Declare(fs, flagset.Simulating&^flagset.Fidelity, flagset.Writes{JSON: "the lesson and its runs' results as JSON",
			Out: "the lesson's plots and text"})
	},
	run: runLearn,
}

func runLearn(e *env, opts any, args []string) int {
	o := opts.(*flagset.Shared)
	if err := o.CheckFormat(); err != nil {
		e.errorf("%v", err)
		return exitUsage
	}
	e.sim.Series = o.Out != ""
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
	unlock, err := outfiles.Check(o.Out, o.JSON)
	if err != nil { // now, not after the lesson's runs
		e.errorf("%v", err)
		return exitUsage
	}
	defer unlock() // --out stays locked until its files are written
	interrupt, release := catchInterrupts(onInterruptNothing)
	defer release()
	e.sim.Interrupt = interrupt
	runs := 0
	res, err := l.Run(func(sc *scenarios.Scenario, seed uint64) (*reports.Result, error) {
		runs++
		e.label = fmt.Sprintf("%s, run %d", l.Name(), runs)
		given, ok := applyRunFlags(e, sc, o, true)
		if !ok {
			return nil, errUsageReported
		}
		if o.SeedGiven() {
			seed = given
		}
		return simulate(sc, seed, e, o.Quiet)
	})
	if interrupt.Load() { // a lesson's runs cut short show nothing
		return interruptedNothingWritten(e)
	}
	if errors.Is(err, errUsageReported) {
		return exitUsage
	}
	if err != nil {
		e.printError(err)
		return exitInternal
	}
	var text bytes.Buffer
	fmt.Fprintf(&text, "%s\n\n", l.Title())
	l.Explain(&text, res)
	files := map[string][]byte{}
	if o.Out != "" {
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
	files["lesson.txt"] = text.Bytes()
	js, err := lessonJSON(l, res, claimErr, text.String())
	if err != nil {
		e.errorf("%v", err)
		return exitInternal
	}
	if o.Out == "" {
		files = nil
	}
	if code := writeOutputs(e, o, files, js, text.Bytes()); code != exitOK {
		return code
	}
	if claimErr != nil {
		return exitFailed
	}
	return exitOK
}

// errUsageReported is a usage error already printed.
var errUsageReported = errors.New("usage error")

// lessonJSON is learn --json: the lesson, whether its claim held, its text
// and each run's result.
func lessonJSON(l *learn.Lesson, res []*reports.Result, claimErr error, text string) ([]byte, error) {
	out := struct {
		Lesson     string            `json:"lesson"`
		Title      string            `json:"title"`
		Takeaway   string            `json:"takeaway"`
		ClaimHeld  bool              `json:"claim_held"`
		ClaimError string            `json:"claim_error,omitempty"`
		Text       string            `json:"text"`
		Runs       []*reports.Result `json:"runs"`
	}{Lesson: l.Name(), Title: l.Title(), Takeaway: l.Takeaway(), ClaimHeld: claimErr == nil, Text: text, Runs: res}
	if claimErr != nil {
		out.ClaimError = claimErr.Error()
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	err := enc.Encode(out)
	return b.Bytes(), err
}
