package main

import (
	"fmt"
	"strings"
	"testing"

	"github.com/spf13/pflag"
)

// commandFlags declares c's flags on a set of their own, in the order the
// help lists them.
func commandFlags(c *command) *pflag.FlagSet {
	fs := pflag.NewFlagSet(c.name, pflag.ContinueOnError)
	fs.SortFlags = false
	if c.flags != nil {
		c.flags(fs)
	}
	return fs
}

// Every command's flags (name, type, default), from the command table, are
// pinned in testdata/flags.golden, so that a flag added, renamed or given
// another default shows in review.
func TestFlagsGolden(t *testing.T) {
	var b strings.Builder
	for _, c := range commands {
		fmt.Fprintf(&b, "%s\n", c.name)
		commandFlags(c).VisitAll(func(f *pflag.Flag) {
			fmt.Fprintf(&b, "\t--%s %s %q\n", f.Name, f.Value.Type(), f.DefValue)
		})
	}
	golden(t, "flags", b.String())
}

// The commands that run simulations share their flags, with one meaning:
// the same name, type, default and help (but for what --json and --out
// write, which each command says).
func TestSimulatingCommandsShareFlags(t *testing.T) {
	shared := []string{"seed", "duration", "quiet", "json", "out", "format", "prices", "free-tier"}
	first := map[string]*pflag.Flag{}
	for _, name := range []string{"run", "cost", "compare", "learn"} {
		fs := commandFlags(lookup(name))
		for _, n := range shared {
			f := fs.Lookup(n)
			if f == nil {
				t.Errorf("%s has no --%s", name, n)
				continue
			}
			g, ok := first[n]
			if !ok {
				first[n] = f
				continue
			}
			same := f.Value.Type() == g.Value.Type() && f.DefValue == g.DefValue
			if n != "json" && n != "out" {
				same = same && f.Usage == g.Usage
			}
			if !same {
				t.Errorf("%s --%s differs from run's: %s %q %q", name, n, f.Value.Type(), f.DefValue, f.Usage)
			}
		}
	}
}
