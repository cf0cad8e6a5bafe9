package main

import (
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/ddbsim/ddbsim/scenarios"
	"github.com/spf13/pflag"
)

// loadScenario returns what `run` simulates: the named scenario, or, with
// --ycsb, a YCSB workload on a table of its own.
func loadScenario(o *runOptions, name string, named bool) (*scenarios.Scenario, error) {
	if o.ycsb == "" {
		if len(o.ycsbProp) > 0 {
			return nil, errors.New("ddbsim: --ycsb-property needs --ycsb")
		}
		return scenarios.Load(name)
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
	return scenarios.YCSBScenario(o.ycsb, props, 0)
}

// applyRunFlags applies --duration (when given) and the pricing flags
// (when the command has them; nil otherwise) to sc and returns the seed a
// run uses: --seed when set, else the scenario's, else defaultSeed. It
// prints the scenario's notes. A bad duration or price file is a usage
// error.
func applyRunFlags(e *env, sc *scenarios.Scenario, fs *pflag.FlagSet, seedFlag uint64, duration string, pricing *pricingFlags) (uint64, bool) {
	for _, n := range sc.Notes {
		e.errorf("note: %s", n)
	}
	if duration != "" {
		d, err := scenarios.ParseDuration(duration)
		if err == nil && d <= 0 {
			err = errors.New("must be positive")
		}
		if err != nil {
			e.errorf("--duration %s: %v", duration, err)
			return 0, false
		}
		sc.Duration = d
	}
	if pricing != nil {
		if err := pricing.apply(sc); err != nil {
			fmt.Fprintln(e.stderr, err)
			return 0, false
		}
	}
	switch {
	case fs.Changed("seed"):
		return seedFlag, true
	case sc.HasSeed:
		return sc.Seed, true
	}
	return defaultSeed, true
}

// pricingFlags are the billing options of run, cost and compare.
type pricingFlags struct {
	file     string
	freeTier bool
}

func addPricingFlags(fs *pflag.FlagSet) *pricingFlags {
	p := &pricingFlags{}
	fs.StringVar(&p.file, "prices", "", "bill with the price data in `FILE` (the layout of scenarios/prices/prices.yaml) instead of the built-in us-east-1 prices")
	fs.BoolVar(&p.freeTier, "free-tier", false, "take the account's free tier (25 RCU, 25 WCU, 25 GB) off the bill")
	return p
}

// apply puts the flags into the scenario's prices.
func (p *pricingFlags) apply(sc *scenarios.Scenario) error {
	if p.freeTier {
		sc.Prices.FreeTier = true
	}
	if p.file == "" {
		return nil
	}
	data, err := os.ReadFile(p.file)
	if err != nil {
		return fmt.Errorf("ddbsim: --prices: %w", err)
	}
	sc.Prices.Data, sc.Prices.DataFile = data, p.file
	return nil
}
