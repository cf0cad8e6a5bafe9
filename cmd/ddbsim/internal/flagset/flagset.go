package flagset

import (
	"fmt"

	"github.com/ddbsim/ddbsim"
	"github.com/spf13/pflag"
)

// Flag names one shared flag; a command declares the ones it takes.
type Flag uint

// The shared flags.
const (
	Seed     Flag = 1 << iota // --seed N
	Duration                  // --duration D
	Quiet                     // --quiet
	JSON                      // --json FILE|-
	Out                       // --out DIR
	Prices                    // --prices FILE
	FreeTier                  // --free-tier
	Fidelity                  // --fidelity, --tick and --max-events
	Format                    // --format text|json

	// Simulating is every shared flag: what a command that runs
	// simulations and writes their outputs takes.
	Simulating = Seed | Duration | Quiet | JSON | Out | Prices | FreeTier | Fidelity | Format
)

// Writes says what a command's --json and --out write, the part of their
// help that differs between commands (their meaning does not: --json
// writes JSON to a file or standard output, --out a directory of files
// written all or none).
type Writes struct {
	JSON string // e.g. "the result JSON"
	Out  string // e.g. "the summary, result JSON, ... and report.html"
}

// Shared holds the values of the shared flags a command declared.
type Shared struct {
	fs       *pflag.FlagSet
	Seed     uint64
	Duration string
	Quiet    bool
	JSON     string
	Out      string
	Prices   string
	FreeTier bool
	Format   string
}

// DefaultMaxEvents is --max-events by default: two billion events, about
// ten minutes of the per-request driver on one core (two events a
// request, 1.7 million requests a second: ddbsim.Estimate).
const DefaultMaxEvents = "2G"

// Declare declares on fs the shared flags in which, in one order, and
// returns where their values go.
func Declare(fs *pflag.FlagSet, which Flag, writes Writes) *Shared {
	s := &Shared{fs: fs}
	if which&Seed != 0 {
		fs.Uint64Var(&s.Seed, "seed", 0, "random seed `N` (default: the scenario's seed, else 1)")
	}
	if which&Duration != 0 {
		fs.StringVar(&s.Duration, "duration", "", "simulate `D` of virtual time instead of the scenario's duration (e.g. 10m, 1d)")
	}
	if which&JSON != 0 {
		fs.StringVar(&s.JSON, "json", "", "write "+writes.JSON+" to `FILE` ('-' for standard output)")
	}
	if which&Out != 0 {
		fs.StringVar(&s.Out, "out", "", "write into directory `DIR` "+writes.Out)
	}
	if which&Format != 0 {
		fs.StringVar(&s.Format, "format", "text", "print `FORMAT` on standard output: text or json (what --json writes)")
	}
	if which&Quiet != 0 {
		fs.BoolVar(&s.Quiet, "quiet", false, "print nothing on standard output and no progress (files and exit status only)")
	}
	if which&Prices != 0 {
		fs.StringVar(&s.Prices, "prices", "", "bill with the price data in `FILE` (the layout of scenarios/prices/prices.yaml) instead of the built-in us-east-1 prices")
	}
	if which&FreeTier != 0 {
		fs.BoolVar(&s.FreeTier, "free-tier", false, "take the account's free tier (25 RCU, 25 WCU, 25 GB) off the bill")
	}
	if which&Fidelity != 0 {
		fs.String("fidelity", string(ddbsim.FidelityRequest), "simulate as `MODE`: request (every request), aggregate (counts of requests per partition, a tick at a time: far faster, approximate) or auto (aggregate above 50 million estimated requests)")
		fs.String("tick", "1s", "step of --fidelity aggregate, `D` of virtual time dividing a minute (1ms to 1m)")
		fs.String("max-events", DefaultMaxEvents, "refuse a run estimated at more than `N` simulation events (about 2 a request; 2G is ten minutes or so)")
	}
	return s
}

// CheckFormat refuses a --format other than text or json.
func (s *Shared) CheckFormat() error {
	if s.Format != "" && s.Format != "text" && s.Format != "json" {
		return fmt.Errorf("--format must be text or json, not %q", s.Format)
	}
	return nil
}

// FlagSet is the set the flags were declared on.
func (s *Shared) FlagSet() *pflag.FlagSet { return s.fs }

// SeedGiven reports whether --seed was given (0 is a seed too).
func (s *Shared) SeedGiven() bool { return s.fs.Changed("seed") }

// Stdout reports whether --json writes to standard output, which then
// carries the JSON alone.
func (s *Shared) Stdout() bool { return s.JSON == "-" }
