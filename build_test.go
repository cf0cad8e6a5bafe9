package ddbsim

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/ddbsim/ddbsim/model"
	"github.com/ddbsim/ddbsim/model/units"
	"github.com/ddbsim/ddbsim/scenarios"
	"github.com/ddbsim/ddbsim/sim"
)

// tally is a minimal model.Recorder for tests and benchmarks.
type tally struct {
	finished                     int64
	succeeded, throttled, failed int64
	throttles, retries           int64
	attempts                     int64
	lastEnd                      sim.Time
	outOfOrder                   bool
}

func (t *tally) Consumed(sim.Time, int, int, units.Units, units.Units) {}

func (t *tally) Throttle(sim.Time, *model.ThrottleEvent) { t.throttles++ }

func (t *tally) Retry(sim.Time, int, units.Op) { t.retries++ }

func (t *tally) Sample(sim.Time, int, *model.TableState) {}

func (t *tally) Event(sim.Time, model.CapacityEvent) {}

func (t *tally) Cache(sim.Time, *model.CacheEvent) {}

func (t *tally) Global(sim.Time, *model.GlobalEvent) {}

func (t *tally) Finish(o model.Outcome) {
	t.finished++
	t.attempts += int64(o.Attempts)
	switch o.Result {
	case model.Succeeded:
		t.succeeded++
	case model.Throttled:
		t.throttled++
	case model.Failed:
		t.failed++
	}
	if o.End < t.lastEnd {
		t.outOfOrder = true
	}
	t.lastEnd = o.End
}

// Conservation, over every built-in scenario and several seeds: every
// request that arrives ends exactly once, as a success, a throttle or an
// error; every throttled attempt is either retried or is the request's
// last; and nothing is left in flight when the run ends.
func TestRequestsAreConserved(t *testing.T) {
	for _, e := range scenarios.List() {
		for seed := uint64(1); seed <= 2; seed++ {
			sc, err := scenarios.Builtin(e.Name)
			if err != nil {
				t.Fatal(err)
			}
			sc.Duration = min(sc.Duration, 90*time.Second)
			for i := range sc.Workloads {
				if w := &sc.Workloads[i]; w.Requests > 0 {
					w.Requests = min(w.Requests, 20000)
				}
			}
			var rec tally
			s, err := build(sc, seed, &rec)
			if err != nil {
				t.Fatal(err)
			}
			s.run()
			var arrived int64
			for _, src := range s.Sources {
				arrived += src.Arrived()
			}
			switch {
			case arrived == 0:
				t.Errorf("%s seed %d: no requests", e.Name, seed)
			case rec.finished != arrived:
				t.Errorf("%s seed %d: %d arrived, %d finished", e.Name, seed, arrived, rec.finished)
			case rec.succeeded+rec.throttled+rec.failed != rec.finished:
				t.Errorf("%s seed %d: %d+%d+%d != %d", e.Name, seed, rec.succeeded, rec.throttled, rec.failed, rec.finished)
			case rec.throttles > rec.retries+rec.throttled,
				rec.throttles != rec.retries+rec.throttled && !transientErrors(sc):
				// Every throttle is retried or final; without outages,
				// transactions or strong global tables nothing else is
				// retried (transient errors are retried as throttles are).
				t.Errorf("%s seed %d: %d throttle events, %d retries + %d final throttles", e.Name, seed, rec.throttles, rec.retries, rec.throttled)
			case rec.attempts != rec.finished+rec.retries:
				t.Errorf("%s seed %d: %d attempts for %d requests and %d retries", e.Name, seed, rec.attempts, rec.finished, rec.retries)
			case s.Kernel.Pending() != 0:
				t.Errorf("%s seed %d: %d events left after the run", e.Name, seed, s.Kernel.Pending())
			case rec.outOfOrder:
				t.Errorf("%s seed %d: outcomes reported out of time order", e.Name, seed)
			}
		}
	}
}

// transientErrors reports whether sc can produce errors a client retries
// as it retries a throttle: region outages, transaction conflicts, and
// replicated-write conflicts of strongly consistent global tables.
func transientErrors(sc *scenarios.Scenario) bool {
	if len(sc.Faults) > 0 {
		return true
	}
	for _, t := range sc.Tables {
		if t.StrongConsistency {
			return true
		}
	}
	for _, w := range sc.Workloads {
		for _, m := range w.Mix {
			if strings.HasPrefix(m.Op, "transact_") {
				return true
			}
		}
	}
	return false
}

// BenchmarkDefaultScenario measures simulated requests per second of wall
// time for the default scenario, start to finish (items loaded, the whole
// 30 minutes run), the figure quoted in the README.
func BenchmarkDefaultScenario(b *testing.B) {
	sc, err := scenarios.Builtin(scenarios.DefaultName)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	var requests int64
	for b.Loop() {
		var rec tally
		s, err := build(sc, 1, &rec)
		if err != nil {
			b.Fatal(err)
		}
		s.run()
		requests += rec.finished
	}
	b.ReportMetric(float64(requests)/b.Elapsed().Seconds(), "requests/s")
	b.ReportMetric(float64(requests)/float64(b.N), "requests/op")
}

// Every `service:` key reaches the model's parameters; absent keys keep
// the defaults.
func TestServiceParams(t *testing.T) {
	src := `version: 1
name: service
duration: 1m
service: {burst_window: 100s, adaptive: false, hot_key_share: 60%, table_write_quota: 80000, dax_cache_memory: 50%, dax_item_cache_share: 25%}
tables: [{name: t, partition_key: id, mode: on-demand}]
workloads: [{name: w, table: t, rate: 1/s, keys: {count: 1}}]
`
	sc, err := scenarios.Parse("service.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	got := serviceParams(sc.Service)
	want := model.DefaultParams()
	want.BurstWindow = 100 * sim.Second
	want.Adaptive = false
	want.HotKeyShare = 0.6
	want.TableWriteQuota = 80000
	want.DAXCacheMemory = 0.5
	want.DAXItemCacheShare = 0.25
	if got != want {
		t.Errorf("params\n got %+v\nwant %+v", got, want)
	}
}

// A trace's replay is estimated from what loading it found: its records
// once, or the share of a pass the run lasts, or with loop as many passes
// as fit, at its speed.
func TestTraceRequestsEstimate(t *testing.T) {
	tr := scenarios.TraceSpec{Records: 1000, Period: 100 * time.Second, Speed: 1}
	for _, tc := range []struct {
		name     string
		loop     bool
		speed    float64
		duration sim.Time
		want     float64
	}{
		{"one pass, the run longer", false, 1, 500 * sim.Second, 1000},
		{"the run ends halfway", false, 1, 50 * sim.Second, 500},
		{"looped five times", true, 1, 500 * sim.Second, 5000},
		{"looped at ten times the speed", true, 10, 500 * sim.Second, 50000},
	} {
		t.Run(tc.name, func(t *testing.T) {
			spec := tr
			spec.Loop, spec.Speed = tc.loop, tc.speed
			if got := traceRequests(&spec, tc.duration); math.Abs(got-tc.want) > 1e-9 {
				t.Errorf("traceRequests = %v, want %v", got, tc.want)
			}
		})
	}
}
