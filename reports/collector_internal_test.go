package reports

import (
	"maps"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/ddbsim/ddbsim/model"
	"github.com/ddbsim/ddbsim/model/units"
	"github.com/ddbsim/ddbsim/sim"
)

// Tests of the collector's insides; the rest of the package's tests use its
// exported API alone, in package reports_test.

// TestOpsLazy: only operations that occur get a histogram and appear in
// the result.
func TestOpsLazy(t *testing.T) {
	c := NewCollector([]TableInfo{{Name: "a"}})
	c.Finish(model.Outcome{Op: units.OpBatchWrite, End: sim.Millisecond})
	held := 0
	c.eachCellLatency(func(k cacheClass, op units.Op, _ *latencyStats) {
		held++
		if k != cacheOther || op != units.OpBatchWrite {
			t.Errorf("%v, cache class %d: a histogram allocated", op, k)
		}
	})
	if held != 1 {
		t.Errorf("%d histograms allocated, want 1", held)
	}
	r := c.Result(Meta{})
	if got := slices.Sorted(maps.Keys(r.Operations)); !slices.Equal(got, []string{"batch_write"}) {
		t.Errorf("operations %v, want [batch_write]", got)
	}
}

// TestCellsMergeExactly: the latencies the result merges from the cells
// are those of recording every request at every level — the run, its
// operation, its workload, its table and its cache class — as a naive
// collector would, read mid-run and again at the end. Requests no
// workload sent count in the run's latency and not in any table's.
func TestCellsMergeExactly(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	c := NewCollector([]TableInfo{{Name: "a"}, {Name: "b"}, {Name: "c"}})
	c.SetWorkloads([]WorkloadInfo{{Name: "w0", Table: "a"}, {Name: "w1", Table: "b"}})
	c.SetClusters([]ClusterInfo{{Name: "dax", Nodes: 1, NodeCapacity: 1000, Tables: []int{0}}})
	var (
		all       = newLatencyStats()
		ops       [units.NumOps]*latencyStats
		workloads [2]*latencyStats
		tables    [3]*latencyStats
		cache     [numCacheClasses]*latencyStats
	)
	want := func(l **latencyStats, lat sim.Time, n int64) {
		if *l == nil {
			*l = newLatencyStats()
		}
		(*l).recordN(lat, micros(lat), n)
	}
	check := func(r *Result) {
		t.Helper()
		if r.LatencyMs != all.latency() || r.LatencyHistogram != encodeHistogram(all.h) {
			t.Errorf("run latency %+v, want %+v", r.LatencyMs, all.latency())
		}
		for op, l := range ops {
			got, ok := r.Operations[units.Op(op).String()]
			if (l != nil) != ok || l != nil && (got.Count != l.count || got.LatencyMs != l.latency()) {
				t.Errorf("%v: %+v, want %v", units.Op(op), got, l)
			}
		}
		for w, l := range workloads {
			if got := r.Workloads[w].LatencyMs; got != l.latency() {
				t.Errorf("workload %d latency %+v, want %+v", w, got, l.latency())
			}
		}
		for i, l := range tables {
			if got := r.Tables[i].LatencyMs; (got == nil) != (l == nil) || got != nil && *got != l.latency() {
				t.Errorf("table %d latency %v, want %v", i, got, l)
			}
		}
		for k, got := range []Latency{cacheHit: r.Cache.HitLatencyMs, cacheMiss: r.Cache.MissLatencyMs, cacheWrite: r.Cache.WriteLatencyMs} {
			if k == int(cacheOther) {
				continue
			}
			var w Latency
			if cache[k] != nil {
				w = cache[k].latency()
			}
			if got != w {
				t.Errorf("cache class %d latency %+v, want %+v", k, got, w)
			}
		}
	}
	now := sim.Time(0)
	for i := range 20000 {
		now += sim.Time(rng.IntN(int(sim.Millisecond)))
		lat := sim.Time(rng.ExpFloat64() * float64(5*sim.Millisecond))
		o := model.Outcome{
			Table: rng.IntN(2), Workload: rng.IntN(3) - 1, Op: units.Op(rng.IntN(int(units.NumOps))),
			Result: model.Succeeded, Start: max(now-lat, 0), End: now, Attempts: 1,
			Cache: model.CacheAccess(rng.IntN(int(model.NumCacheAccesses))),
		}
		lat = o.Latency()
		n := int64(1)
		if i%5 == 0 {
			n = rng.Int64N(1000)
		}
		c.FinishN(o, n)
		if n == 0 {
			continue
		}
		all.recordN(lat, micros(lat), n)
		want(&ops[o.Op], lat, n)
		if o.Workload >= 0 {
			want(&workloads[o.Workload], lat, n)
			want(&tables[o.Table], lat, n)
		}
		want(&cache[classOf(o.Cache)], lat, n)
		if i == 10000 {
			check(c.Result(Meta{Duration: now}))
		}
	}
	check(c.Result(Meta{Duration: now}))
}
