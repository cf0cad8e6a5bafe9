package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync/atomic"

	"github.com/spf13/pflag"

	"github.com/ddbsim/ddbsim/advise"
	"github.com/ddbsim/ddbsim/reports"
	"github.com/ddbsim/ddbsim/scenarios"

	"github.com/ddbsim/ddbsim/cmd/ddbsim/internal/flagset"
	"github.com/ddbsim/ddbsim/cmd/ddbsim/internal/inputs"
	"github.com/ddbsim/ddbsim/cmd/ddbsim/internal/outfiles"
	"github.com/ddbsim/ddbsim/cmd/ddbsim/internal/render"
)

type compareOptions struct {
	*flagset.Shared
	modes []string
	slo   []string
	dax   string
	seeds int
}

var compareCmd = &command{
	name:  "compare",
	usage: "SCENARIO [--modes on-demand,provisioned,autoscaling,reserved] [--dax with|without|both] [--slo EXPR]... [--seed N] [--seeds N] [--duration D] [--json FILE|-] [--out DIR] [--format text|json] [--quiet] [--prices FILE] [--free-tier] [--fidelity request|aggregate|auto]",
	short: "run a scenario in each capacity mode; the cheapest that passes wins",
	long:  helpText("compare"),
	flags: func(fs *pflag.FlagSet) any {
		o := &compareOptions{Shared: flagset.Declare(fs, flagset.Simulating, flagset.Writes{JSON: "the advise.Comparison as JSON",
			Out: "compare.json, compare.txt, the cost and throttling plots (SVG and PNG) and compare.html"})}
		fs.StringSliceVar(&o.modes, "modes", advise.Modes(), "compare the capacity `MODES` (comma-separated: "+strings.Join(advise.Modes(), ", ")+")")
		fs.StringVar(&o.dax, "dax", advise.DAXWith, "run each mode `with` the scenario's DAX clusters, `without` them (every request to the tables directly), or `both`, side by side")
		fs.StringArrayVar(&o.slo, "slo", nil, "search the right-sized capacity and auto scaling meeting `EXPR` (e.g. \"throttled_ratio < 0.1%\"; repeatable), which replaces the scenario's thresholds")
		fs.IntVar(&o.seeds, "seeds", 1, "run every mode under `N` seeds, from --seed on, and count how often each wins")
		return o
	},
	run: runCompare,
}

func runCompare(e *env, opts any, args []string) int {
	o := opts.(*compareOptions)
	e.sim.Series = o.Out != ""
	if len(args) != 1 {
		e.errorf("compare takes one scenario, got %d\nRun 'ddbsim help compare' for usage.", len(args))
		return exitUsage
	}
	if err := o.CheckFormat(); err != nil {
		e.errorf("%v", err)
		return exitUsage
	}
	modes, err := advise.ParseModes(o.modes)
	if err != nil {
		e.errorf("--modes: %v", err)
		return exitUsage
	}
	slos, err := parseSLOs(o.slo)
	if err != nil {
		e.errorf("--slo: %v", err)
		return exitUsage
	}
	if o.seeds < 1 || o.seeds > advise.MaxSeeds {
		e.errorf("--seeds: %d is not between 1 and %d", o.seeds, advise.MaxSeeds)
		return exitUsage
	}
	sc, err := inputs.LoadScenario(args[0])
	if err != nil {
		e.printError(err)
		return exitUsage
	}
	seed, ok := applyRunFlags(e, sc, o.Shared, false)
	if !ok {
		return exitUsage
	}
	unlock, err := outfiles.Check(o.Out, o.JSON)
	if err != nil { // now, not after the runs
		e.errorf("%v", err)
		return exitUsage
	}
	defer unlock() // --out stays locked until its files are written
	search := len(slos) > 0
	if search {
		sc.Thresholds = slos
	}
	if !slices.Contains([]string{advise.DAXWith, advise.DAXWithout, advise.DAXBoth}, o.dax) {
		e.errorf("--dax: %q is not with, without or both", o.dax)
		return exitUsage
	}
	interrupt, release := catchInterrupts(onInterruptNothing)
	defer release()
	e.sim.Interrupt = interrupt
	var probes atomic.Int64 // runs go at once: each labelled on its own copy of e
	simulateOne := func(sc *scenarios.Scenario, seed uint64) (*reports.Result, error) {
		one := *e
		one.label = fmt.Sprintf("compare, simulation %d", probes.Add(1))
		return simulate(sc, seed, &one, o.Quiet)
	}
	cmp, err := advise.Compare(sc, seed, advise.Options{Modes: modes, DAX: o.dax, Search: search, Seeds: o.seeds}, simulateOne)
	if interrupt.Load() { // a comparison of runs cut short compares nothing
		return interruptedNothingWritten(e)
	}
	if err != nil {
		e.printError(err)
		return exitUsage
	}

	var js strings.Builder
	enc := json.NewEncoder(&js)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(cmp); err != nil {
		e.errorf("%v", err)
		return exitInternal
	}
	var text bytes.Buffer
	advise.WriteTable(&text, sc, seed, cmp)
	if search {
		advise.WriteSearch(&text, cmp)
	}
	var files map[string][]byte
	if o.Out != "" {
		// Drawn before anything is written, so that an interrupt while
		// drawing leaves every output as it was.
		files, err = render.Compare(cmp, js.String(), text.Bytes(), interrupt)
		if errors.Is(err, render.ErrStopped) {
			return interruptedNothingWritten(e)
		}
		if err != nil {
			e.errorf("%v", err)
			return exitInternal
		}
	}
	if code := writeOutputs(e, o.Shared, files, []byte(js.String()), text.Bytes()); code != exitOK {
		return code
	}
	if cmp.Winner == "" {
		return exitFailed
	}
	return exitOK
}
