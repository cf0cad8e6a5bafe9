package inputs

import (
	"errors"
	"fmt"

	"github.com/ddbsim/ddbsim/scenarios"
	"github.com/spf13/pflag"
)

// TraceFlags are the flags of run's trace replay: --trace and its
// options.
type TraceFlags struct {
	fs     *pflag.FlagSet
	File   string
	format string
	table  string
	speed  string
	loop   bool
	limit  int64
}

// Declare declares the flags on fs.
func (t *TraceFlags) Declare(fs *pflag.FlagSet) {
	t.fs = fs
	fs.StringVar(&t.File, "trace", "", "replay the trace `FILE` instead of the scenario's workloads, or with no SCENARIO against an on-demand table")
	fs.StringVar(&t.format, "trace-format", "csv", "`LAYOUT` of the --trace file: csv (timestamp,key,op,size) or twitter (Twitter cache-trace)")
	fs.StringVar(&t.table, "table", "", "replay --trace against table `NAME` (default: the scenario's first table, or \"trace\")")
	fs.StringVar(&t.speed, "speed", "1x", "replay --trace at `FACTOR` times its recorded speed (10x faster, 0.5x slower)")
	fs.BoolVar(&t.loop, "loop", false, "restart --trace from its first record until the duration ends")
	fs.Int64Var(&t.limit, "max-in-flight", scenarios.DefaultMaxInFlight, "`N` requests at most in flight during --trace; records due beyond it wait, the wait counted in their latency")
}

// Apply turns sc into a trace replay when --trace is given: the named
// scenario's workloads are replaced by the trace, and with no scenario
// named the trace runs against an on-demand table for its span (or
// --duration). A bad trace line is an error here, before anything runs.
func (t *TraceFlags) Apply(sc *scenarios.Scenario, named, ycsb bool) (*scenarios.Scenario, error) {
	if t.File == "" {
		for _, f := range []string{"trace-format", "table", "speed", "loop", "max-in-flight"} {
			if t.fs.Changed(f) {
				return nil, fmt.Errorf("ddbsim: --%s applies only with --trace FILE", f)
			}
		}
		return sc, nil
	}
	if ycsb {
		return nil, errors.New("ddbsim: --trace and --ycsb cannot be combined")
	}
	speed, err := scenarios.ParseSpeed(t.speed)
	if err != nil {
		return nil, fmt.Errorf("ddbsim: --speed %s: %v", t.speed, err)
	}
	if t.format != "csv" && t.format != "twitter" {
		return nil, fmt.Errorf("ddbsim: --trace-format must be csv or twitter, not %q", t.format)
	}
	if t.limit < 1 || t.limit > scenarios.MaxInFlight {
		return nil, fmt.Errorf("ddbsim: --max-in-flight %d: expected 1 to %d", t.limit, scenarios.MaxInFlight)
	}
	opts := scenarios.TraceOptions{File: t.File, Format: t.format, Speed: speed, Loop: t.loop, MaxInFlight: t.limit, Table: t.table, Open: scenarios.OpenFile}
	if !named {
		return scenarios.TraceScenario(opts, 0) // --duration, if given, replaces the duration afterwards
	}
	if err := scenarios.WithTrace(sc, opts); err != nil {
		return nil, err
	}
	return sc, nil
}
