package main

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/ddbsim/ddbsim"
	"github.com/ddbsim/ddbsim/reports"
	"github.com/ddbsim/ddbsim/scenarios"
	"github.com/ddbsim/ddbsim/sim"
	"github.com/spf13/pflag"

	"github.com/ddbsim/ddbsim/cmd/ddbsim/internal/flagset"
	"github.com/ddbsim/ddbsim/cmd/ddbsim/internal/inputs"
)

// loadScenario returns what `run` simulates: the named scenario, or, with
// --ycsb, a YCSB workload on a table of its own.
func loadScenario(o *runOptions, name string, named bool) (*scenarios.Scenario, error) {
	if o.ycsb == "" {
		if len(o.ycsbProp) > 0 {
			return nil, errors.New("ddbsim: --ycsb-property needs --ycsb")
		}
		return inputs.LoadScenario(name)
	}
	if named {
		return nil, errors.New("ddbsim: --ycsb runs a YCSB file on its own table; to run one in a scenario, give the workload ycsb: FILE")
	}
	props := map[string]string{}
	for _, kv := range o.ycsbProp {
		k, v, ok := strings.Cut(kv, "=")
		if !ok || k == "" {
			return nil, fmt.Errorf("ddbsim: --ycsb-property %q: expected KEY=VALUE", kv)
		}
		props[k] = v
	}
	// --duration, if given, replaces the duration afterwards.
	open, err := inputs.YCSBOpener(o.ycsb)
	if err != nil {
		return nil, err
	}
	return scenarios.YCSBScenario(o.ycsb, props, 0, open)
}

// applyRunFlags applies the shared flags sh declares to sc: --duration
// (when given), --prices and --free-tier, and returns the seed a run
// uses: --seed when set, else the scenario's, else defaultSeed. It prints
// the scenario's notes unless quiet (a lesson's are not the user's). When
// the command has --fidelity it decides how e's simulations are built
// (applyFidelity). A bad duration, price file or fidelity is a usage
// error.
func applyRunFlags(e *env, sc *scenarios.Scenario, sh *flagset.Shared, quietNotes bool) (uint64, bool) {
	for i := 0; !quietNotes && i < len(sc.Notes); i++ {
		e.errorf("note: %s", sc.Notes[i])
	}
	if sh.Duration != "" {
		d, err := scenarios.ParseDuration(sh.Duration)
		if err == nil && d <= 0 {
			err = errors.New("must be positive")
		}
		if err != nil {
			e.errorf("--duration %s: %v", sh.Duration, err)
			return 0, false
		}
		sc.Duration = d
	}
	if err := applyPricing(sc, sh); err != nil {
		e.printError(err)
		return 0, false
	}
	if !applyFidelity(e, sc, sh.FlagSet()) {
		return 0, false
	}
	switch {
	case sh.SeedGiven():
		return sh.Seed, true
	case sc.HasSeed:
		return sc.Seed, true
	}
	return defaultSeed, true
}

// applyPricing puts --free-tier and --prices into the scenario's prices.
func applyPricing(sc *scenarios.Scenario, sh *flagset.Shared) error {
	if sh.FreeTier {
		sc.Prices.FreeTier = true
	}
	if sh.Prices == "" {
		return nil
	}
	data, err := inputs.ReadFile(sh.Prices, "a price file")
	if err != nil {
		return fmt.Errorf("ddbsim: --prices: %w", err)
	}
	sc.Prices.Data, sc.Prices.DataFile = data, sh.Prices
	return nil
}

// applyFidelity reads --fidelity and --tick, when the command has them,
// into e.sim, and checks the run against the resource guard. With auto
// above ddbsim.AutoAggregateAbove estimated requests it says on standard
// error that the aggregate driver will run.
func applyFidelity(e *env, sc *scenarios.Scenario, fs *pflag.FlagSet) bool {
	e.sim.Fidelity, e.sim.Tick, e.estimated = ddbsim.FidelityRequest, 0, ddbsim.FidelityRequest
	f := fs.Lookup("fidelity")
	if f == nil {
		return true
	}
	mode := ddbsim.Fidelity(f.Value.String())
	tick := time.Second
	if tf := fs.Lookup("tick"); tf != nil {
		d, err := scenarios.ParseDuration(tf.Value.String())
		if err == nil && (d < time.Millisecond || d > time.Minute || time.Minute%d != 0) {
			// The model's 1-minute datapoints (auto scaling, on-demand
			// growth, split for heat) must each get whole ticks.
			err = errors.New("must divide a minute evenly, from 1ms to 1m (100ms, 1s, 5s, 15s, ...)")
		}
		if err != nil {
			e.errorf("--tick %s: %v", tf.Value.String(), err)
			return false
		}
		if tf.Changed && mode == ddbsim.FidelityRequest {
			e.errorf("--tick applies only with --fidelity aggregate or auto")
			return false
		}
		tick = d
	}
	switch mode {
	case ddbsim.FidelityRequest, ddbsim.FidelityAggregate, ddbsim.FidelityAuto:
	default:
		e.errorf("--fidelity must be request, aggregate or auto, not %q", mode)
		return false
	}
	e.sim.Fidelity = mode
	if mode != ddbsim.FidelityRequest {
		e.sim.Tick = sim.FromDuration(tick)
	}
	est, err := ddbsim.Estimate(sc, e.sim)
	if err != nil {
		e.printError(err)
		return false
	}
	e.estimated = est.Driver
	if mode == ddbsim.FidelityAuto && est.Driver == ddbsim.FidelityAggregate {
		e.errorf("--fidelity auto: ~%s requests estimated, using the aggregate driver", reports.AboutCount(est.Requests))
	}
	if mf := fs.Lookup("max-events"); mf != nil {
		n, err := scenarios.ParseCount(mf.Value.String())
		if err == nil && n < 1 {
			err = errors.New("must be at least 1")
		}
		if err != nil {
			e.errorf("--max-events %s: %v", mf.Value.String(), err)
			return false
		}
		e.maxEvents = float64(n)
		if err := checkResources(e, sc, e.maxEvents); err != nil {
			e.errorf("%v", err)
			return false
		}
	}
	return true
}
