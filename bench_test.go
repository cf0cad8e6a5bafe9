package ddbsim

import (
	"runtime"
	"slices"
	"testing"

	"github.com/ddbsim/ddbsim/model"
	"github.com/ddbsim/ddbsim/model/units"
	"github.com/ddbsim/ddbsim/reports"
	"github.com/ddbsim/ddbsim/scenarios"
	"github.com/ddbsim/ddbsim/sim"
)

// buildRecorded builds sc under seed 1 as `ddbsim run` does: a
// reports.Collector records the run (latency histograms, per-second
// series, billing), reserved for the scenario's duration.
func buildRecorded(b *testing.B, sc *scenarios.Scenario) (*Simulation, *reports.Collector) {
	b.Helper()
	var infos []reports.TableInfo
	for _, t := range sc.Tables {
		infos = append(infos, reports.TableInfo{Name: t.Name, Mode: t.Mode,
			ReadCapacity: t.ReadCapacity, WriteCapacity: t.WriteCapacity})
	}
	col := reports.NewCollector(infos)
	col.SkipIntervals() // as `ddbsim run` without --out: no per-second latency log
	col.Reserve(sim.FromDuration(sc.Duration))
	s, err := build(sc, 1, col)
	if err != nil {
		b.Fatal(err)
	}
	if len(s.Service.Tables()) != len(infos) {
		b.Fatalf("%s: the service runs %d tables, the collector knows %d", sc.Name, len(s.Service.Tables()), len(infos))
	}
	for i, t := range s.Service.Tables() {
		col.SetPartitions(i, t.Partitions())
	}
	col.SetPricing(s.PriceBooks, s.FreeTier)
	s.reportEarly(col.Step()) // as Build does
	return s, col
}

// benchTally is a model.Recorder that counts outcomes and drops the rest.
type benchTally struct{ finished int64 }

func (*benchTally) Consumed(sim.Time, int, int, units.Units, units.Units) {}

func (*benchTally) Throttle(sim.Time, *model.ThrottleEvent) {}

func (*benchTally) Retry(sim.Time, int, units.Op) {}

func (*benchTally) Sample(sim.Time, int, *model.TableState) {}

func (*benchTally) Event(sim.Time, model.CapacityEvent) {}

func (*benchTally) Cache(sim.Time, *model.CacheEvent) {}

func (*benchTally) Global(sim.Time, *model.GlobalEvent) {}

func (t *benchTally) Finish(model.Outcome) { t.finished++ }

// arrived counts the requests s's workloads issued; the run's end has
// finished them all.
func arrived(s *Simulation) int64 {
	var n int64
	for _, src := range s.Sources {
		n += src.Arrived()
	}
	return n
}

// BenchmarkRequestPath is the default scenario's per-request path: what
// one simulated request costs in a real run, set-up excluded. One op is
// one request: its arrival, key choice (Zipf over 100k keys), partition
// lookup, admission against the buckets, latency sample, the SDK's
// retries when throttled, billing, and its record in the collector
// (latency histograms, per-second series), with the run's periodic work
// (per-second samples, burst refills) shared out among the requests.
//
// The benchmark runs the default scenario as `ddbsim run` does, with a
// reports.Collector, stopping the timer while each simulation is built
// (its 100k items loaded) and timing only Simulation.Run. For b.N above
// one run's 1.26M requests it runs the scenario again; the last run
// stops its workload after the requests still owed (the scenario's
// `requests:`), so exactly b.N requests are timed. requests/s is the
// issue's "simulated requests per second per core"; allocs/request
// counts every allocation made while timed, divided by b.N.
//
// The sub-benchmark recorder=collector is that figure; recorder=tally
// runs the same requests into benchTally, which only counts outcomes, to tell the model's and the workload's share of the
// cost from the collector's.
func BenchmarkRequestPath(b *testing.B) {
	sc, err := scenarios.Builtin(scenarios.DefaultName)
	if err != nil {
		b.Fatal(err)
	}
	if len(sc.Workloads) != 1 {
		b.Fatalf("the default scenario has %d workloads; the benchmark limits one", len(sc.Workloads))
	}
	// response=early is the run as Build makes it: a response known when
	// its attempt is sent is reported then (Simulation.reportEarly);
	// response=event schedules every response, for comparison.
	for _, early := range []bool{true, false} {
		name := map[bool]string{true: "early", false: "event"}[early]
		b.Run("recorder=collector/response="+name, func(b *testing.B) {
			benchRequestPath(b, sc, func(sc *scenarios.Scenario) *Simulation {
				s, _ := buildRecorded(b, sc)
				if !early {
					s.reportEarly(0)
				}
				return s
			})
		})
	}
	b.Run("recorder=tally", func(b *testing.B) {
		benchRequestPath(b, sc, func(sc *scenarios.Scenario) *Simulation {
			s, err := build(sc, 1, &benchTally{})
			if err != nil {
				b.Fatal(err)
			}
			return s
		})
	})
}

// benchRequestPath times b.N requests of sc, one workload's, through
// simulations that build makes with the timer stopped.
//
// It reports allocs/request rather than calling b.ReportAllocs, whose
// allocs/op is a whole number and would round 0.8 down to 0, and
// cpu-ns/request, the process's CPU time over the timed runs (the
// garbage collector's included): on a machine shared with other work it
// is steadier than ns/op, which counts the time the process waits for a
// core.
func benchRequestPath(b *testing.B, sc *scenarios.Scenario, build func(*scenarios.Scenario) *Simulation) {
	b.StopTimer()
	b.ResetTimer()
	var done, cpu int64
	var mallocs uint64
	for done < int64(b.N) {
		run := *sc
		run.Workloads = slices.Clone(sc.Workloads)
		run.Workloads[0].Requests = int64(b.N) - done
		s := build(&run)
		c, m := timedRun(b, s)
		cpu, mallocs = cpu+c, mallocs+m
		n := arrived(s)
		if n == 0 {
			b.Fatal("a run issued no request")
		}
		done += n
	}
	if done != int64(b.N) {
		b.Fatalf("%d requests timed, want %d", done, b.N)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "requests/s")
	b.ReportMetric(float64(mallocs)/float64(b.N), "allocs/request")
	b.ReportMetric(float64(cpu)/float64(b.N), "cpu-ns/request")
}

// timedRun runs s with b's timer running and returns the CPU time and
// the allocations the run took.
func timedRun(b *testing.B, s *Simulation) (cpu int64, mallocs uint64) {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	c0 := cpuTime()
	b.StartTimer()
	s.run()
	b.StopTimer()
	cpu = cpuTime() - c0
	runtime.ReadMemStats(&after)
	return cpu, after.Mallocs - before.Mallocs
}

// BenchmarkEndToEnd is one whole run of the default scenario as `ddbsim
// run` computes it: build (100k items loaded), the 40 virtual minutes
// (1.26M requests), and the result (percentiles, bill, series). One op
// is one run; requests/s is its requests over its wall time, set-up
// included, and allocs/request its allocations over its requests.
func BenchmarkEndToEnd(b *testing.B) {
	sc, err := scenarios.Builtin(scenarios.DefaultName)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	requests, mallocs := benchWholeRuns(b, func() *Simulation {
		s, col := buildRecorded(b, sc)
		s.run()
		for i, t := range s.Service.Tables() {
			col.SetMeter(i, t.Meter())
		}
		if res := col.Result(reports.Meta{Scenario: sc.Name, Seed: 1, Duration: s.Duration, Complete: true}); res == nil {
			b.Fatal("no result")
		}
		return s
	})
	b.ReportMetric(float64(requests)/b.Elapsed().Seconds(), "requests/s")
	b.ReportMetric(float64(requests)/float64(b.N), "requests/op")
	b.ReportMetric(float64(mallocs)/float64(requests), "allocs/request")
}

// benchWholeRuns times run, one whole simulation an op, and returns the
// requests the runs issued and the allocations they made (reading the
// counters untimed).
func benchWholeRuns(b *testing.B, run func() *Simulation) (requests int64, mallocs uint64) {
	for b.Loop() {
		var before, after runtime.MemStats
		b.StopTimer()
		runtime.ReadMemStats(&before)
		b.StartTimer()
		s := run()
		b.StopTimer()
		runtime.ReadMemStats(&after)
		b.StartTimer()
		mallocs += after.Mallocs - before.Mallocs
		requests += arrived(s)
	}
	return requests, mallocs
}
