//go:build long

package ddbsim

import (
	"fmt"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"strings"
	"testing"

	"github.com/ddbsim/ddbsim/reports"
	"github.com/ddbsim/ddbsim/scenarios"
	"github.com/ddbsim/ddbsim/sim"
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

// heapObjects is the runtime's count of bytes in heap objects, live or
// not yet swept.
const heapObjects = "/memory/classes/heap/objects:bytes"

// peakHeap runs sc under opts from Build to its result and returns the
// most heap its objects took at once, less what the heap held before
// Build, and the kernel events it fired. It samples heapObjects once a
// simulated second (Options.Progress) and once after the result is made,
// with the garbage collector's target at 10% over the live heap
// (GOGC=10): each sample is at most about 10% over the live heap at that
// instant, and a peak between two samples (within a simulated second) is
// missed, so the measure is the peak live heap to within about -0%/+10%
// and the rise of one simulated second.
func peakHeap(t *testing.T, sc *scenarios.Scenario, opts Options) (float64, uint64) {
	t.Helper()
	defer debug.SetGCPercent(debug.SetGCPercent(10))
	sample := []metrics.Sample{{Name: heapObjects}}
	runtime.GC()
	runtime.GC()
	metrics.Read(sample)
	base := sample[0].Value.Uint64()
	peak := base
	read := func() {
		metrics.Read(sample)
		peak = max(peak, sample[0].Value.Uint64())
	}
	opts.Progress = func(reached, total sim.Time) { read() }
	s, err := Build(sc, opts)
	if err != nil {
		t.Fatal(err)
	}
	read()
	res, err := s.Run()
	if err != nil {
		t.Fatal(err)
	}
	read()
	runtime.KeepAlive(res)
	runtime.KeepAlive(s)
	return float64(peak - base), s.Kernel.Fired()
}
