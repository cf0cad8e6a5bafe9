package main

import (
	"github.com/spf13/pflag"

	"github.com/ddbsim/ddbsim/reports"
	"github.com/ddbsim/ddbsim/scenarios"

	"github.com/ddbsim/ddbsim/cmd/ddbsim/internal/inputs"
)

type costOptions struct {
	fs       *pflag.FlagSet
	seed     uint64
	duration string
	pricing  *pricingFlags
}

var costCmd = &command{
	name:  "cost",
	usage: "[SCENARIO] [--seed N] [--duration D] [--prices FILE] [--free-tier] [--fidelity request|aggregate|auto]",
	short: "simulate a scenario and print its bill, line by line",
	long: `Cost simulates SCENARIO (a file or a built-in name; the default scenario
without one) and prints what it costs: for each table and line item, the
units used (capacity-hours while provisioned, request units while on
demand, GB-months of storage with 100 B per item), what the free tier
covered, the price each unit is billed at, and the dollars; then the total
and the month it projects to. Prices come from the price data file
(us-east-1) or the scenario's prices: section.`,
	flags: func(fs *pflag.FlagSet) any {
		o := &costOptions{fs: fs}
		fs.Uint64Var(&o.seed, "seed", 0, "random seed `N` (default: the scenario's seed, else 1)")
		fs.StringVar(&o.duration, "duration", "", "simulate `D` of virtual time instead of the scenario's duration")
		o.pricing = addPricingFlags(fs)
		addFidelityFlags(fs)
		return o
	},
	run: func(e *env, opts any, args []string) int {
		o := opts.(*costOptions)
		if len(args) > 1 {
			e.errorf("cost takes one scenario, got %d", len(args))
			return exitUsage
		}
		name := scenarios.DefaultName
		if len(args) == 1 {
			name = args[0]
		}
		sc, err := inputs.LoadScenario(name)
		if err != nil {
			e.printError(err)
			return exitUsage
		}
		seed, ok := applyRunFlags(e, sc, o.fs, o.seed, o.duration, o.pricing)
		if !ok {
			return exitUsage
		}
		res, err := simulate(sc, seed, e, true)
		if err != nil {
			e.printError(err)
			return exitUsage
		}
		if err := reports.WriteBill(e.stdout, res); err != nil {
			e.errorf("%v", err)
			return exitInternal
		}
		return exitOK
	},
}
