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
	long: `Compare simulates SCENARIO (a file or a built-in name) once for each capacity
mode, with the same traffic and seed, every table switched to that mode:

  on-demand    no provisioned capacity, no auto scaling, no planned changes
  provisioned  the table's own capacity and planned changes, or for an
               on-demand table the peak units per second of the on-demand
               run, rounded up; no auto scaling
  autoscaling  provisioned as above with the table's own auto scaling, or
               target 70% between capacity/4 and 4 x capacity (at most
               40,000)
  reserved     provisioned as above, with reserved capacity for one year:
               that capacity rounded down to blocks of 100 (none for a
               dimension under 100, none for a Standard-IA table)

It prints each mode's monthly cost, throttled requests, client latency p50
and p99, retries and whether the scenario's thresholds pass, then the
winner: the cheapest mode that meets the thresholds (the cheapest when the
scenario has none). With --json FILE|- it writes
{"modes": [{"mode", "monthly_usd", "throttled_ratio", "p99_ms", "retries", ...}], "winner": MODE,
"break_even_utilization": {"reads", "writes"}}. With --out DIR it writes
compare.json (the JSON above), compare.txt (the table), three figures,
each as SVG and PNG: compare-cost, each mode's cost so far over time,
compare-throttling, each mode's throttled requests per second, and
compare-latency, each mode's p99; compare.html, one page with the
table and the figures to open in a browser; and each mode's own
report, report-MODE.html, which compare.html links to.

With --dax both, a scenario with DAX clusters is compared in each mode
with its clusters and without them, "MODE (no DAX)" sending every request
to the tables directly: whether the cache pays for its nodes in the read
capacity it saves. --dax without compares only the latter.

With --slo EXPR (repeatable: "throttled_ratio < 0.1%", "p99_ms < 50", a
metric of the scenario's thresholds and a advise.Comparison) the SLO replaces the
scenario's thresholds, and compare searches, by simulation with the same
seed, for two more modes that compete for the winner:

  right-sized        the smallest provisioned capacity meeting the SLO:
                     the capacity above (or 1 x) doubled until it passes,
                     up to the 40,000 quota, then reads bisected (writes
                     generous), then writes, to within 2% or one unit;
                     several tables share one factor per dimension
  autoscaling-tuned  targets 50%, 70% and 90%, each with the smallest
                     minimum (bisected; the table starts at it) meeting the
                     SLO and max 4 x the right-sized capacity; the cheapest

It prints what each found, its probes (simulations), and the utilisation
above which provisioned costs less than on-demand.

A scenario imported with its history (history:) gets a reconstruction
check after the table: each mode's cost over the imported window, and for
each history table the bill its CloudWatch totals imply with the
scenario's prices beside the simulated bill of the same line items (the
table and its global indexes; throughput only: no storage, streams or
backups) in the run of the mode it was billed in, and the difference;
"none" with the reason when that mode was not run or the runs do not
cover the window (--duration). --json adds "history_window" and
"reconstruction".

With --seeds N (1 to 1000; default 1) every mode runs under seeds SEED to
SEED+N-1 (SEED from --seed or the scenario), each seed picks its winner as
above, and the mode that wins the most seeds wins (the cheaper on average
of two that win as many). The table shows each mode's wins, the seeds it
passes in, and its monthly cost, throttled ratio and p99 as means with
95% confidence intervals; the JSON adds "seeds", "per_seed" and, per mode,
"wins", "passed_seeds" and "monthly_usd_ci", "throttled_ratio_ci",
"p99_ms_ci", "given_up_ratio_ci", its other figures being the means. With
--slo each probe runs every seed and passes only when every seed meets the
SLO. --out's figures and mode reports show the first seed's runs.

Exit status is 0 when a mode wins, 1 when no mode meets the thresholds,
and 2 when the arguments or the scenario are wrong.`,
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
