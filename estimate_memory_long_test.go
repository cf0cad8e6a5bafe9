//go:build long

package ddbsim

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/ddbsim/ddbsim/reports"
	"github.com/ddbsim/ddbsim/scenarios"
)

// TestEstimateMemoryLibrary runs every built-in scenario as `ddbsim run`
// does (seed 1, the driver --fidelity auto chooses, the collector's
// series off as a plain run keeps them and on as --out does) and checks
// that the resource guard's memory estimate is within 2x of the run's
// measured peak live heap (peakHeap), either way.
func TestEstimateMemoryLibrary(t *testing.T) {
	var table strings.Builder
	fmt.Fprintf(&table, "\n%-26s %6s %10s %10s %6s %12s %12s %6s\n", "scenario", "series", "estimate", "peak", "ratio", "est. events", "fired", "ratio")
	for _, e := range scenarios.List() {
		for _, series := range []bool{false, true} {
			sc, err := scenarios.Builtin(e.Name)
			if err != nil {
				t.Fatal(err)
			}
			opts := Options{Seed: 1, Series: series}
			est, err := Estimate(sc, opts)
			if err != nil {
				t.Fatal(err)
			}
			peak, fired := peakHeap(t, sc, opts)
			// The estimate counts the plots' rendering too, which a run
			// through Simulation.Run does not do.
			memory := est.Memory - est.RenderBytes()
			ratio := peak / memory
			fmt.Fprintf(&table, "%-26s %6v %10s %10s %6.2f %12s %12s %6.2f\n", e.Name, series,
				reports.AboutBytes(memory), reports.AboutBytes(peak), ratio,
				reports.AboutCount(est.Events), reports.AboutCount(float64(fired)), float64(fired)/est.Events)
			if ratio < 0.5 || ratio > 2 {
				t.Errorf("%s (series %v): peak live heap %s, estimated %s: %.2fx, want within [0.5, 2]",
					e.Name, series, reports.AboutBytes(peak), reports.AboutBytes(memory), ratio)
			}
		}
	}
	t.Log(table.String())
}

// TestEstimateMemoryPartitionsLong is TestEstimateMemoryPartitions on
// longer runs: the 64-partition month's scenario for a day (a point a
// second, more than the budget holds for 64 partitions) and for its 30
// days, 10,000 partitions for an hour and for 30 days (calm minute
// steps, a series step of 5 minutes): the months of
// BenchmarkAggregateMonth.
func TestEstimateMemoryPartitionsLong(t *testing.T) {
	for _, c := range []struct {
		name  string
		parts int
		d     time.Duration
	}{
		{"64x1d", 64, 24 * time.Hour},
		{"64x30d", 64, 30 * 24 * time.Hour},
		{"10000x1h", 10_000, time.Hour},
		{"10000x30d", 10_000, 30 * 24 * time.Hour},
	} {
		t.Run(c.name, func(t *testing.T) { checkEstimate(t, c.name, monthScenario(t, c.parts, c.d)) })
	}
}
