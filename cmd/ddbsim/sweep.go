package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/spf13/pflag"

	"github.com/ddbsim/ddbsim/advise/sweep"
	"github.com/ddbsim/ddbsim/reports"
	"github.com/ddbsim/ddbsim/scenarios"

	"github.com/ddbsim/ddbsim/cmd/ddbsim/internal/flagset"
	"github.com/ddbsim/ddbsim/cmd/ddbsim/internal/inputs"
	"github.com/ddbsim/ddbsim/cmd/ddbsim/internal/sweepout"
	"github.com/ddbsim/ddbsim/cmd/ddbsim/internal/terminal"
)

// errRefused is a sweep the resource guard refused, having said why.
var errRefused = errors.New("refused")

type sweepOptions struct {
	*flagset.Shared
	shard  string
	shards int
	jobs   int
}

var sweepCmd = &command{name: "sweep",
	usage: "SPEC.yaml [--out DIR] [--json FILE|-] [--shard I/N | --shards N] [--jobs N] [--quiet] [--prices FILE] [--free-tier] [--fidelity request|aggregate|auto]",
	short: "run a scenario over a grid of parameters and seeds, with confidence intervals",
	long:  helpText("sweep"),
	flags: func(fs *pflag.FlagSet) any {
		o := &sweepOptions{Shared: flagset.Declare(fs, flagset.Quiet|flagset.JSON|flagset.Out|flagset.Prices|flagset.FreeTier|flagset.Fidelity,
			flagset.Writes{JSON: "sweep.json", Out: "sweep.json, summary.txt and each run's result"})}
		fs.StringVar(&o.shard, "shard", "", "run slice `I/N`: the I-th (from 0) of N, into DIR/shard-I-of-N")
		fs.IntVar(&o.shards, "shards", 0, "run one of `N` slices, I from JOB_COMPLETION_INDEX or SLURM_ARRAY_TASK_ID")
		fs.IntVar(&o.jobs, "jobs", 0, "run `N` simulations at once (default: every core)")
		return o
	},
	run: runSweep,
}

var mergeCmd = &command{name: "merge", usage: "DIR... --out DIR [--json FILE|-] [--quiet]",
	short: "combine a sweep's shards into the whole sweep's outputs",
	long:  helpText("merge"),
	flags: func(fs *pflag.FlagSet) any {
		return flagset.Declare(fs, flagset.Quiet|flagset.JSON|flagset.Out, flagset.Writes{JSON: "sweep.json", Out: "sweep.json, summary.txt and each run's result"})
	},
	run: runMerge,
}

func runSweep(e *env, opts any, args []string) int {
	o := opts.(*sweepOptions)
	if len(args) != 1 {
		e.errorf("sweep takes one sweep file, got %d\nRun 'ddbsim help sweep' for usage.", len(args))
		return exitUsage
	}
	shard, shards, err := sweep.SelectShard(o.shard, o.shards, os.Getenv)
	if err == nil && o.jobs < 0 {
		err = fmt.Errorf("--jobs %d: expected a count of 1 or more", o.jobs)
	}
	if err != nil {
		e.errorf("%v", err)
		return exitUsage
	}
	data, err := inputs.ReadFile(args[0], "a sweep file")
	var pl *sweep.Plan
	if err == nil {
		var spec *sweep.Spec
		if spec, err = sweep.Parse(args[0], data, filepath.Dir(args[0]), sweep.Load(inputs.Open)); err == nil {
			// Each point's runs checked against the guard, before any starts.
			pl, err = sweep.NewPlan(spec, func(sc *scenarios.Scenario) error {
				if err := applyPricing(sc, o.Shared); err != nil {
					return err
				}
				if !applyFidelity(e, sc, o.FlagSet()) {
					return errRefused
				}
				return nil
			})
		}
	}
	if errors.Is(err, errRefused) {
		return exitUsage // applyFidelity said why
	}
	if err != nil {
		e.printError(err)
		return exitUsage
	}
	out := o.Out
	if shards > 0 && out != "" {
		out = sweep.ShardDir(out, shard, shards)
	}
	st, err := sweepout.Open(out, o.JSON)
	if err != nil {
		e.errorf("%v", err)
		return exitUsage
	}
	defer st.Close()
	interrupt, release := catchInterrupts(onInterruptNothing)
	defer release()
	e.sim.Interrupt = interrupt
	so := sweep.Options{Jobs: o.jobs, Stop: interrupt.Load, Save: st.Save,
		Simulate: func(sc *scenarios.Scenario, seed uint64) (*reports.Result, error) {
			if err := applyPricing(sc, o.Shared); err != nil {
				return nil, err
			}
			return simulate(sc, seed, e, true)
		}}
	if !o.Quiet && terminal.IsTerminal(e.stderr) {
		so.Progress = sweepout.Progress(e.stderr)
	}
	records, err := sweep.Execute(pl, pl.Shard(shard, max(shards, 1)), so)
	if interrupt.Load() || errors.Is(err, sweep.ErrStopped) {
		return interruptedNothingWritten(e)
	}
	if err != nil {
		e.printError(err)
		return exitUsage
	}
	header := sweep.NewHeader(pl, string(e.sim.Fidelity))
	doc := &sweep.Document{SchemaVersion: sweep.SchemaVersion, Sweep: header, Runs: records}
	if shards > 0 {
		doc.Shard = &sweep.Shard{Index: shard, Count: shards}
	} else if doc, err = sweep.Assemble(header, records); err != nil {
		e.errorf("%v", err)
		return exitInternal
	}
	return writeSweep(e, o.Shared, st, doc)
}

// writeSweep finishes the outputs, prints the summary, and says the exit
// status: 1 when the scenarios have thresholds and no point met them in
// every seed.
func writeSweep(e *env, o *flagset.Shared, st *sweepout.Output, doc *sweep.Document) int {
	js, text, err := st.Finish(doc)
	if err != nil {
		e.errorf("%v", err)
		return exitUsage
	}
	noOut := *o
	noOut.Out = "" // written above
	if code := writeOutputs(e, &noOut, nil, js, text); code != exitOK {
		return code
	}
	for _, p := range doc.Points {
		if p.Meets != "" && doc.Cheapest == nil {
			return exitFailed
		}
	}
	return exitOK
}

func runMerge(e *env, opts any, args []string) int {
	o := opts.(*flagset.Shared)
	if len(args) == 0 || o.Out == "" && o.JSON == "" {
		e.errorf("merge needs the shards' directories and --out DIR (or --json FILE|-)\nRun 'ddbsim help merge' for usage.")
		return exitUsage
	}
	dirs, docs, doc, err := sweepout.ReadShards(args)
	if err != nil {
		e.printError(err)
		return exitUsage
	}
	st, err := sweepout.Open(o.Out, o.JSON)
	if err == nil {
		defer st.Close()
		err = st.CopyResults(dirs, docs)
	}
	if err != nil {
		e.errorf("merge: %v", err)
		return exitUsage
	}
	return writeSweep(e, o, st, doc)
}
