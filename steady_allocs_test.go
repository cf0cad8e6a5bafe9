package ddbsim

import (
	"runtime"
	"testing"

	"github.com/ddbsim/ddbsim/reports"
	"github.com/ddbsim/ddbsim/scenarios"
	"github.com/ddbsim/ddbsim/sim"
)

// TestSteadyStateAllocatesNothing pins the request path's zero allocations
// in steady state: the default scenario, recorded by a reports.Collector
// as `ddbsim run` records it, is run through its first eight minutes of
// steady 300 requests/s, while the request pool, the event queue and the
// collector's buffers grow to their working size; the next minute's
// 18,000 requests, with their per-second samples, billing and auto-scaling
// checks, must then allocate nothing at all.
func TestSteadyStateAllocatesNothing(t *testing.T) {
	if testing.Short() {
		t.Skip("runs nine simulated minutes")
	}
	sc, err := scenarios.Builtin(scenarios.DefaultName)
	if err != nil {
		t.Fatal(err)
	}
	var infos []reports.TableInfo
	for _, tb := range sc.Tables {
		infos = append(infos, reports.TableInfo{Name: tb.Name, Mode: tb.Mode,
			ReadCapacity: tb.ReadCapacity, WriteCapacity: tb.WriteCapacity})
	}
	col := reports.NewCollector(infos)
	col.SkipIntervals()
	col.Reserve(sim.FromDuration(sc.Duration))
	s, err := build(sc, 1, col)
	if err != nil {
		t.Fatal(err)
	}
	for i, tb := range s.Service.Tables() {
		col.SetPartitions(i, tb.Partitions())
	}
	col.SetPricing(s.PriceBooks, s.FreeTier)
	for _, src := range s.Sources {
		src.Start()
	}
	s.Kernel.Run(8 * sim.Minute)
	before := arrived(s)
	var m0, m1 runtime.MemStats
	runtime.ReadMemStats(&m0)
	s.Kernel.Run(9 * sim.Minute)
	runtime.ReadMemStats(&m1)
	requests := arrived(s) - before
	if requests < 17_000 {
		t.Fatalf("%d requests in the measured minute, want about 18,000", requests)
	}
	if n := m1.Mallocs - m0.Mallocs; n != 0 {
		t.Errorf("%d allocations over %d requests in steady state, want 0", n, requests)
	}
}
