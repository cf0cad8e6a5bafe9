package main

import (
	"bytes"
	"errors"
	"fmt"
	"sync/atomic"

	"github.com/spf13/pflag"

	"github.com/ddbsim/ddbsim"
	"github.com/ddbsim/ddbsim/reports"
	"github.com/ddbsim/ddbsim/scenarios"

	"github.com/ddbsim/ddbsim/cmd/ddbsim/internal/flagset"
	"github.com/ddbsim/ddbsim/cmd/ddbsim/internal/inputs"
	"github.com/ddbsim/ddbsim/cmd/ddbsim/internal/outfiles"
	"github.com/ddbsim/ddbsim/cmd/ddbsim/internal/render"
	"github.com/ddbsim/ddbsim/cmd/ddbsim/internal/terminal"
)

type runOptions struct {
	*flagset.Shared
	explain  bool
	ycsb     string
	ycsbProp []string
	trace    inputs.TraceFlags
}

// defaultSeed is used when neither the scenario nor --seed gives one.
const defaultSeed = 1

var runCmd = &command{
	name:  "run",
	usage: "[SCENARIO] [--seed N] [--duration D] [--json FILE|-] [--out DIR] [--format text|json] [--quiet] [--explain] [--prices FILE] [--free-tier] [--fidelity request|aggregate|auto]",
	short: "simulate a scenario and report what the table does",
	long: helpText("run") + scenarios.DefaultName + `.

With --trace FILE it replays recorded requests instead of the scenario's
workloads: each line's time, key, operation and item size, on --table (the
scenario's first table), with the recorded gaps divided by --speed, and
restarted from the top with --loop until the duration ends. With no
SCENARIO the trace runs against an on-demand table named "trace" (partition
key "key") for the trace's span, or --duration. A line that cannot be read
is reported as FILE:LINE: what was expected, before anything runs.
Layouts (--trace-format): csv, a header line timestamp,key,op,size, then
records such as 12.25,user42,put,1024 (seconds, key, get put update delete
query or scan, item bytes for writes); twitter, the Twitter cache-trace CSV
(timestamp,key,key_size,value_size,client_id,operation,ttl).

With --fidelity aggregate it steps time in ticks (--tick, 1s) and admits
counts of requests per partition instead of simulating each request,
through the same admission code and capacity model (partitions, burst,
adaptive capacity, auto scaling, on-demand growth, billing), with latency
recorded as weighted percentiles, so that a month of busy traffic runs in
seconds. It models open and closed loops of every operation, global
secondary indexes, DAX item caches, streams, TTL, global tables and
region outages, each as counts (docs/model.md says where it
approximates), and refuses, naming it, what it does not (trace replay,
queries through DAX, local secondary indexes, ...). Every built-in
scenario agrees under both drivers. --fidelity auto uses it when the
scenario is estimated at more than 50 million requests, and says which
driver ran and why.

Before it starts, run estimates the scenario's events and memory and
refuses one over the budget (--max-events, or half the memory available),
with the estimate and the way out: --fidelity aggregate, a shorter
--duration, or a larger --max-events. An output that cannot be written is
refused then too, not after the run.

Ctrl-C (or SIGTERM) stops the run at the current simulated time and writes
a complete result of the time reached, marked "complete": false; a second
Ctrl-C quits at once, leaving no output half-written.

The same scenario and seed always give the same result, byte for byte.

Exit status is 0 when the run passes its thresholds, 1 when any fails, 2
when the arguments or the scenario are wrong or too big (nothing is written
then), 3 on an internal error (a bug in ddbsim: please report it with the
scenario), and 130 when the run was interrupted.`,
	flags: func(fs *pflag.FlagSet) any {
		o := &runOptions{Shared: flagset.Declare(fs, flagset.Simulating, flagset.Writes{JSON: "the result JSON",
			Out: "the summary, result JSON, time series, latency log, plots and report.html"})}
		fs.BoolVar(&o.explain, "explain", false, "after the summary, say why the first throttles of each kind happened")
		fs.StringVar(&o.ycsb, "ycsb", "", "run the YCSB core workload `FILE` (or workloada..workloadf) against an on-demand table, instead of a scenario")
		fs.StringArrayVar(&o.ycsbProp, "ycsb-property", nil, "override a property of the --ycsb file, as YCSB's -p does (`KEY=VALUE`, repeatable)")
		o.trace.Declare(fs)
		return o
	},
	run: runRun,
}

func runRun(e *env, opts any, args []string) int {
	o := opts.(*runOptions)
	if len(args) > 1 {
		e.errorf("run takes one scenario, got %d", len(args))
		return exitUsage
	}
	if err := o.CheckFormat(); err != nil {
		e.errorf("%v", err)
		return exitUsage
	}
	name := scenarios.DefaultName
	if len(args) == 1 {
		name = args[0]
	}
	err := inputs.CheckTrace(o.trace.File)
	var sc *scenarios.Scenario
	if err == nil {
		sc, err = loadScenario(o, name, len(args) == 1)
	}
	if err == nil {
		sc, err = o.trace.Apply(sc, len(args) == 1, o.ycsb != "")
	}
	if err != nil {
		e.printError(err)
		return exitUsage
	}
	// Plots and the latency log read each second's latency; the guard
	// (in applyRunFlags) counts drawing the plots.
	e.sim.Series = o.Out != ""
	seed, ok := applyRunFlags(e, sc, o.Shared, false)
	if !ok {
		return exitUsage
	}
	// An output that cannot be written fails now, not after the run.
	unlock, err := outfiles.Check(o.Out, o.JSON)
	if err != nil {
		e.errorf("%v", err)
		return exitUsage
	}
	defer unlock() // --out stays locked until its files are written

	interrupt, release := catchInterrupts(onInterruptRun)
	defer release()
	e.sim.Interrupt = interrupt
	res, err := simulate(sc, seed, e, o.Quiet)
	if err != nil {
		e.printError(err)
		return exitUsage
	}

	var summary, js bytes.Buffer
	if err := reports.WriteSummary(&summary, res); err != nil {
		e.errorf("%v", err)
		return exitInternal
	}
	if err := reports.WriteJSON(&js, res); err != nil {
		e.errorf("%v", err)
		return exitInternal
	}
	if o.Out != "" {
		// An interrupt while the plots are drawn stops them; one during
		// the simulation has been answered already (a second quits).
		var stop *atomic.Bool
		if res.Complete {
			stop = interrupt
		}
		files, err := render.Files(res, summary.Bytes(), js.Bytes(), stop)
		if errors.Is(err, render.ErrStopped) {
			err = render.MarkIncomplete(res, files, &summary, &js)
			e.errorf("note: interrupted while drawing the plots; %s holds the result without them, marked \"complete\": false", o.Out)
		}
		if err == nil {
			err = outfiles.WriteSet(o.Out, files)
		}
		if err != nil {
			e.errorf("%v", err)
			return exitUsage
		}
	}
	switch o.JSON {
	case "":
	case "-":
		if _, err := e.stdout.Write(js.Bytes()); err != nil {
			e.errorf("%v", err)
			return exitUsage
		}
	default:
		if err := outfiles.WriteFile(o.JSON, js.Bytes()); err != nil {
			e.errorf("%v", err)
			return exitUsage
		}
	}
	if !o.Quiet && o.JSON != "-" {
		out := summary.Bytes()
		if o.Format == "json" {
			out = js.Bytes()
		}
		if o.Format == "text" {
			out = terminal.Colour(out, e.stdout)
		}
		e.stdout.Write(out)
		if o.explain && o.Format == "text" {
			fmt.Fprintln(e.stdout)
			if err := reports.WriteExplain(e.stdout, res); err != nil {
				e.errorf("%v", err)
				return exitInternal
			}
		}
	}
	if !res.Complete {
		return exitInterrupted
	}
	if !res.Passed() {
		return exitFailed
	}
	return exitOK
}

// simulate runs the scenario under seed, built as e says (--fidelity,
// --tick, plots, the interrupt flag), with a progress line on a terminal
// unless quiet, and returns its result with the thresholds evaluated.
func simulate(sc *scenarios.Scenario, seed uint64, e *env, quiet bool) (*reports.Result, error) {
	opts := e.sim
	opts.Seed = seed
	if !quiet && terminal.IsTerminal(e.stderr) {
		est, err := ddbsim.Estimate(sc, opts)
		if err != nil {
			return nil, err
		}
		p := terminal.NewProgress(e.stderr, e.label, terminal.Estimate{Requests: reports.AboutCount(est.Requests),
			Seconds: est.Seconds, PerRequest: est.Driver == ddbsim.FidelityRequest})
		opts.Progress = p.Report
		defer p.Done()
	}
	s, err := ddbsim.Build(sc, opts)
	if err != nil {
		return nil, err
	}
	if s.Choice != nil && s.Driver != e.estimated {
		// auto chose the aggregate driver for the scenario's size, but
		// it does not model the scenario: every request then, if the
		// budget allows.
		e.errorf("note: --fidelity auto: %s; using the per-request driver", s.Choice.Reason)
		if e.maxEvents > 0 {
			fallback := *e
			fallback.sim.Fidelity = ddbsim.FidelityRequest
			if err := checkResources(&fallback, sc, fallback.maxEvents); err != nil {
				return nil, fmt.Errorf("ddbsim: %w", err)
			}
		}
	}
	res, err := s.Run()
	if err != nil {
		return nil, err
	}
	if !res.Complete {
		e.errorf("note: interrupted at %v of %v of simulated time; the result covers that far and says \"complete\": false", s.Reached(), s.Duration)
	}
	return res, nil
}
