package ddbsim

import (
	"os"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"testing"
	"time"

	"github.com/ddbsim/ddbsim/reports"
	"github.com/ddbsim/ddbsim/scenarios"
	"github.com/ddbsim/ddbsim/sim"
)

// TestEstimateMemory is TestEstimateMemoryLibrary (long) on two small
// built-in scenarios: one with a global table's replicas, one whose
// writes grow its table.
func TestEstimateMemory(t *testing.T) {
	for _, name := range []string{"global-two-regions", "inventory"} {
		sc, err := scenarios.Builtin(name)
		if err != nil {
			t.Fatal(err)
		}
		est, err := Estimate(sc, Options{Seed: 1})
		if err != nil {
			t.Fatal(err)
		}
		peak, _ := peakHeap(t, sc, Options{Seed: 1})
		if r := peak / est.Memory; r < 0.5 || r > 2 {
			t.Errorf("%s: peak live heap %s, estimated %s: %.2fx, want within [0.5, 2]",
				name, reports.AboutBytes(peak), reports.AboutBytes(est.Memory), r)
		}
	}
}

// peakHeap runs sc under opts from Build to its result and returns the
// most live heap it held at once, less what the heap held before Build,
// and the kernel events it fired. The live heap is read after a forced
// garbage collection (runtime/metrics heapObjects, which then counts
// live objects only) after Build, at 100 evenly spaced simulated
// instants (Options.Progress) and after the result is made. The run's
// state grows with its time (items written, series, caches), so a peak
// between two readings is missed by no more than a hundredth of the
// run's growth; garbage does not count.
func peakHeap(t *testing.T, sc *scenarios.Scenario, opts Options) (float64, uint64) {
	t.Helper()
	sample := []metrics.Sample{{Name: heapObjects}}
	live := func() uint64 {
		runtime.GC()
		metrics.Read(sample)
		return sample[0].Value.Uint64()
	}
	base := live()
	peak := base
	var next sim.Time
	opts.Progress = func(reached, total sim.Time) {
		if reached >= next {
			peak = max(peak, live())
			next = reached + max(total/100, sim.Second)
		}
	}
	s, err := Build(sc, opts)
	if err != nil {
		t.Fatal(err)
	}
	peak = max(peak, live())
	res, err := s.Run()
	if err != nil {
		t.Fatal(err)
	}
	peak = max(peak, live())
	runtime.KeepAlive(res)
	runtime.KeepAlive(s)
	return float64(peak - base), s.Kernel.Fired()
}

// heapObjects is the runtime's count of bytes in heap objects: after a
// garbage collection, the live ones.
const heapObjects = "/memory/classes/heap/objects:bytes"

// monthScenario is cmd/ddbsim's aggregate month (64 on-demand partitions,
// 20,000 requests a second) with parts partitions, run for d.
func monthScenario(t *testing.T, parts int, d time.Duration) *scenarios.Scenario {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("cmd", "ddbsim", "testdata", "aggregate-month.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	sc, err := scenarios.Parse("aggregate-month.yaml", data)
	if err != nil {
		t.Fatal(err)
	}
	sc.Tables[0].Partitions = int64(parts)
	sc.Duration = d
	return sc
}

// checkEstimate runs sc with the aggregate driver and checks the memory
// estimate against the measured peak live heap (peakHeap), within 2x
// either way.
func checkEstimate(t *testing.T, name string, sc *scenarios.Scenario) {
	t.Helper()
	opts := Options{Seed: 1, Fidelity: FidelityAggregate}
	est, err := Estimate(sc, opts)
	if err != nil {
		t.Fatal(err)
	}
	peak, _ := peakHeap(t, sc, opts)
	r := peak / est.Memory
	t.Logf("%s: %.0f partitions, peak live heap %s, estimated %s: %.2fx", name, est.Partitions,
		reports.AboutBytes(peak), reports.AboutBytes(est.Memory), r)
	if r < 0.5 || r > 2 {
		t.Errorf("%s: peak live heap %s, estimated %s: %.2fx, want within [0.5, 2]",
			name, reports.AboutBytes(peak), reports.AboutBytes(est.Memory), r)
	}
}

// TestEstimateMemoryPartitions checks the estimate on a table of 10,000
// partitions for ten minutes, whose partition series the collector keeps
// within reports.PartitionSeriesBudget (a point every 4 seconds); the
// long tier runs the hour and the months.
func TestEstimateMemoryPartitions(t *testing.T) {
	checkEstimate(t, "10,000 partitions, 10m", monthScenario(t, 10_000, 10*time.Minute))
}
