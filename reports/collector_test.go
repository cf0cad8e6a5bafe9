package reports_test

import (
	"bytes"
	"encoding/json"
	"maps"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"testing/quick"

	"github.com/ddbsim/ddbsim/model"
	"github.com/ddbsim/ddbsim/model/units"
	"github.com/ddbsim/ddbsim/reports"
	"github.com/ddbsim/ddbsim/reports/internal/fixture"
	"github.com/ddbsim/ddbsim/sim"
)

const ms = sim.Millisecond

// TestCountsAddUp: for random sequences of Finish calls, every way of
// counting requests agrees: total = succeeded + throttled + errors (the
// DESIGN.md invariant), and the per-operation counts and the per-second
// series sum to the same totals.
func TestCountsAddUp(t *testing.T) {
	check := func(seed uint64) bool {
		rng := rand.New(rand.NewPCG(seed, 0x5eed))
		c := reports.NewCollector([]reports.TableInfo{{Name: "a"}, {Name: "b"}, {Name: "c"}})
		var now sim.Time
		for range rng.IntN(400) {
			now += sim.Time(rng.Int64N(int64(300 * ms)))
			lat := sim.Time(rng.Int64N(int64(2 * sim.Second)))
			c.Finish(model.Outcome{
				Table:  rng.IntN(3),
				Op:     units.Op(rng.IntN(int(units.NumOps))),
				Result: model.Result(rng.IntN(3)),
				Start:  max(0, now-lat),
				End:    now,
			})
		}
		r := c.Result(reports.Meta{Duration: now})
		q := r.Requests
		if q.Total != q.Succeeded+q.Throttled+q.Errors {
			t.Logf("seed %d: total %d != %d + %d + %d", seed, q.Total, q.Succeeded, q.Throttled, q.Errors)
			return false
		}
		var ops int64
		for _, o := range r.Operations {
			ops += o.Count
		}
		s := r.Series
		var ok, thr, errs int64
		for _, ts := range s.Tables {
			ok += sum(ts.Succeeded)
			thr += sum(ts.Throttled)
			errs += sum(ts.Errors)
		}
		if ops != q.Total || sum(s.Offered) != q.Total ||
			ok != q.Succeeded || thr != q.Throttled || errs != q.Errors {
			t.Logf("seed %d: ops %d, offered %d, series %d/%d/%d; requests %+v",
				seed, ops, sum(s.Offered), ok, thr, errs, q)
			return false
		}
		return true
	}
	if err := quick.Check(check, &quick.Config{MaxCount: 40}); err != nil {
		t.Error(err)
	}
}

// TestLatencyAccuracy records 1, 2, ..., 1000 ms: percentiles are within
// HDR's 0.1% (3 significant figures) and never above the maximum; max and
// mean are exact.
func TestLatencyAccuracy(t *testing.T) {
	c := reports.NewCollector([]reports.TableInfo{{Name: "t"}})
	for i := 1; i <= 1000; i++ {
		end := sim.Time(i) * ms
		c.Finish(model.Outcome{Op: units.OpGet, Start: 0, End: end})
	}
	l := c.Result(reports.Meta{Duration: sim.Second}).LatencyMs
	for _, tc := range []struct {
		name      string
		got, want float64
	}{
		{"p50", l.P50, 500}, {"p90", l.P90, 900}, {"p99", l.P99, 990}, {"p999", l.P999, 999},
	} {
		if tc.got < tc.want || tc.got > tc.want*1.001 {
			t.Errorf("%s = %v ms, want %v within +0.1%%", tc.name, tc.got, tc.want)
		}
	}
	if l.Max != 1000 || l.Mean != 500.5 {
		t.Errorf("max %v mean %v, want exactly 1000 and 500.5", l.Max, l.Mean)
	}

	// One value: HDR reports its bucket's top (2.511 ms for 2.510 ms);
	// capping at the exact max keeps every percentile at 2.51.
	c = reports.NewCollector([]reports.TableInfo{{Name: "t"}})
	c.Finish(model.Outcome{Op: units.OpPut, End: 2510 * sim.Microsecond})
	l = c.Result(reports.Meta{}).Operations["put"].LatencyMs
	if want := (reports.Latency{2.51, 2.51, 2.51, 2.51, 2.51, 2.51}); l != want {
		t.Errorf("one value: got %+v, want %+v", l, want)
	}

	// Latencies past the histogram's hour are clamped in the percentiles
	// but exact in max.
	c = reports.NewCollector([]reports.TableInfo{{Name: "t"}})
	c.Finish(model.Outcome{Op: units.OpScan, End: 2 * sim.Hour})
	l = c.Result(reports.Meta{}).LatencyMs
	if l.Max != 7.2e6 || l.P50 > 3.6e6*1.001 {
		t.Errorf("2 h latency: max %v, p50 %v", l.Max, l.P50)
	}
}

// TestSeries checks the per-second series against values worked by hand.
func TestSeries(t *testing.T) {
	c := reports.NewCollector([]reports.TableInfo{{Name: "a"}, {Name: "b"}})
	// Second 0: two reads on a; second 2: a write on b, a throttle on a.
	c.Consumed(100*ms, 0, 0, units.Units(500), 0)
	c.Consumed(900*ms, 0, 0, units.WholeUnits(1), 0)
	c.Finish(model.Outcome{Table: 0, Op: units.OpGet, Start: 50 * ms, End: 100 * ms})
	c.Finish(model.Outcome{Table: 0, Op: units.OpGet, Start: 880 * ms, End: 900 * ms})
	c.Throttle(2100*ms, &model.ThrottleEvent{Table: 0, Op: units.OpGet, Reason: model.TableReadKeyRangeThroughputExceeded})
	c.Consumed(2200*ms, 1, 0, 0, units.WholeUnits(3))
	// Started in second 1, finished in second 2.
	c.Finish(model.Outcome{Table: 1, Op: units.OpPut, Start: 1990 * ms, End: 2200 * ms})
	c.Finish(model.Outcome{Table: 0, Op: units.OpGet, Result: model.Throttled, Start: 2000 * ms, End: 2300 * ms})

	r := c.Result(reports.Meta{Duration: 4 * sim.Second})
	s := r.Series
	if s.Len() != 4 {
		t.Fatalf("series covers %d s, want the run's 4", s.Len())
	}
	eq := func(name string, got, want any) {
		t.Helper()
		g, _ := json.Marshal(got)
		w, _ := json.Marshal(want)
		if string(g) != string(w) {
			t.Errorf("%s = %s, want %s", name, g, w)
		}
	}
	eq("offered", s.Offered, []int64{2, 1, 1, 0})
	// The per-second histogram has 2 significant figures: within +1%, and
	// never above the second's maximum.
	near := func(name string, got, want []sim.Time) {
		t.Helper()
		for i := range want {
			if len(got) != len(want) || got[i] < want[i] || float64(got[i]) > float64(want[i])*1.01 {
				t.Errorf("%s = %v, want %v within +1%%", name, got, want)
				return
			}
		}
	}
	near("p50", s.LatencyP50, []sim.Time{20 * ms, 0, 210 * ms, 0})
	near("p99", s.LatencyP99, []sim.Time{50 * ms, 0, 300 * ms, 0})
	eq("a read", s.Tables[0].Read, []units.Units{1500, 0, 0, 0})
	eq("a throttles", s.Tables[0].ThrottleEvents, []int64{0, 0, 1, 0})
	eq("a throttled", s.Tables[0].Throttled, []int64{0, 0, 1, 0})
	eq("b write", s.Tables[1].Write, []units.Units{0, 0, 3000, 0})
	eq("b succeeded", s.Tables[1].Succeeded, []int64{0, 0, 1, 0})

	a := r.Tables[0]
	if a.ConsumedRCU != 1.5 || a.PeakRCUPerS != 1.5 || a.MeanRCUPerS != 0.375 || a.ThrottledRatio != 0.333333 {
		t.Errorf("table a: %+v", a)
	}
	if r.Tables[1].PeakWCUPerS != 3 || r.Tables[1].MeanWCUPerS != 0.75 {
		t.Errorf("table b: %+v", r.Tables[1])
	}
}

// TestNoAllocs: once the series have room and each operation has been
// seen, the per-call path allocates nothing (DESIGN.md: the hot path
// allocates nothing in steady state), also across second boundaries.
func TestNoAllocs(t *testing.T) {
	c := reports.NewCollector([]reports.TableInfo{{Name: "a"}, {Name: "b"}})
	c.Reserve(20 * sim.Second)
	c.Finish(model.Outcome{Op: units.OpGet}) // creates get's histogram
	now := sim.Time(0)
	allocs := testing.AllocsPerRun(1000, func() {
		now += 7 * ms // 1,000 runs cross 7 seconds
		c.Consumed(now, 1, 0, 500, 0)
		c.Throttle(now, &model.ThrottleEvent{Table: 0, Op: units.OpGet, Reason: model.TableReadKeyRangeThroughputExceeded})
		c.Retry(now, 0, units.OpGet)
		c.Finish(model.Outcome{Table: 1, Op: units.OpGet, Start: now - 3*ms, End: now})
	})
	if allocs != 0 {
		t.Errorf("%v allocations per call sequence, want 0", allocs)
	}

	// Without Reserve the series grow by doubling: rare enough to round
	// to zero per call.
	c = reports.NewCollector([]reports.TableInfo{{Name: "a"}})
	c.Finish(model.Outcome{Op: units.OpGet})
	now = 0
	allocs = testing.AllocsPerRun(10000, func() {
		now += 5 * ms // 50 s
		c.Consumed(now, 0, 0, 500, 0)
		c.Finish(model.Outcome{Op: units.OpGet, Start: now - 3*ms, End: now})
	})
	if allocs != 0 {
		t.Errorf("%v allocations per call without Reserve, want amortised 0", allocs)
	}
}

// TestPanics: broken invariants of the Recorder contract panic with the
// package name, rather than recording nonsense.
func TestPanics(t *testing.T) {
	for name, f := range map[string]func(c *reports.Collector){
		"table": func(c *reports.Collector) { c.Consumed(0, 1, 0, 1, 0) },
		"reason": func(c *reports.Collector) {
			c.Throttle(0, &model.ThrottleEvent{Table: 0, Op: units.OpGet, Reason: model.NotThrottled})
		},
		"op":       func(c *reports.Collector) { c.Finish(model.Outcome{Op: units.NumOps}) },
		"result":   func(c *reports.Collector) { c.Finish(model.Outcome{Result: 9}) },
		"negative": func(c *reports.Collector) { c.Finish(model.Outcome{Start: 2, End: 1}) },
		"out of time": func(c *reports.Collector) {
			c.Finish(model.Outcome{End: 3 * sim.Second})
			c.Finish(model.Outcome{End: sim.Second})
		},
	} {
		t.Run(name, func(t *testing.T) {
			defer func() {
				msg, _ := recover().(string)
				if len(msg) < 9 || msg[:9] != "reports: " {
					t.Errorf("panic %q, want one starting with \"reports: \"", msg)
				}
			}()
			f(reports.NewCollector([]reports.TableInfo{{Name: "a"}}))
		})
	}
}

// jsonObject is v marshalled to JSON, and read back as a generic object.
func jsonObject(t *testing.T, v any) (map[string]any, []byte) {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m, b
}

// fieldNames are a JSON object's keys, sorted.
func fieldNames(v any) []string {
	obj, _ := v.(map[string]any)
	return slices.Sorted(maps.Keys(obj))
}

// fieldsWanted checks an object's sorted field names against the wanted
// ones, in any order.
func fieldsWanted(t *testing.T) func(what string, got []string, want ...string) {
	return func(what string, got []string, want ...string) {
		t.Helper()
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("%s fields %v, want %v", what, got, want)
		}
	}
}

// TestSchemaFields pins the JSON field names of DESIGN.md "Result JSON v1"
// plus this package's documented additions: other tools read them.
func TestSchemaFields(t *testing.T) {
	m, _ := jsonObject(t, fixture.Synthetic())
	keys, want := fieldNames, fieldsWanted(t)
	want("top-level", keys(m), "schema_version", "scenario", "seed", "duration_s", "complete",
		"requests", "ratios", "latency_ms", "operations", "tables", "workloads", "thresholds", "capacity_events", "errors_by_kind", "warnings")
	want("warnings[0]", keys(m["warnings"].([]any)[0]), "guard", "value", "limit", "message")
	want("requests", keys(m["requests"]), "total", "succeeded", "throttled", "throttle_events", "retries", "errors")
	want("ratios", keys(m["ratios"]), "throttled", "errors")
	want("latency_ms", keys(m["latency_ms"]), "p50", "p90", "p99", "p999", "max", "mean")
	want("operations.get", keys(m["operations"].(map[string]any)["get"]), "count", "latency_ms")
	want("tables[0]", keys(m["tables"].([]any)[0]), "name", "mode", "partitions", "consumed_rcu", "consumed_wcu",
		"throttles_by_reason", "provisioned_rcu", "provisioned_wcu",
		"mean_rcu_per_s", "peak_rcu_per_s", "mean_wcu_per_s", "peak_wcu_per_s", "throttled_ratio",
		"final_rcu", "final_wcu", "requests", "latency_ms", "operations")
	want("workloads[0]", keys(m["workloads"].([]any)[0]), "name", "table", "requests", "latency_ms", "throttled_ratio", "operations")
	want("workloads[0].requests", keys(m["workloads"].([]any)[0].(map[string]any)["requests"]),
		"total", "succeeded", "throttled", "throttle_events", "retries", "errors")
	want("thresholds[0]", keys(m["thresholds"].([]any)[0]), "name", "expr", "value", "passed")

	// An empty run still writes every object and list, never null.
	b, _ := json.Marshal(reports.NewCollector(nil).Result(reports.Meta{}))
	for _, s := range []string{`"operations":{}`, `"tables":[]`, `"thresholds":[]`} {
		if !json.Valid(b) || !bytes.Contains(b, []byte(s)) {
			t.Errorf("empty run JSON lacks %s: %s", s, b)
		}
	}
}

func sum(s []int64) int64 {
	var n int64
	for _, v := range s {
		n += v
	}
	return n
}

// BenchmarkRecord is one admitted request as the run records it: consumed
// capacity and its outcome, at 1,000 requests per simulated second.
func BenchmarkRecord(b *testing.B) {
	c := reports.NewCollector([]reports.TableInfo{{Name: "a"}})
	c.Reserve(sim.Time(b.N) * ms)
	b.ReportAllocs()
	for i := range b.N {
		now := sim.Time(i+2) * ms
		c.Consumed(now, 0, 0, 500, 0)
		c.Finish(model.Outcome{Op: units.OpGet, Start: now - 2*ms, End: now})
	}
}

// The timeline keeps, per second, each table's capacity and burst credit
// and each partition's consumption, burst credit and throttles, so that a
// report can show why a throttle happened.
func TestTimelineSeries(t *testing.T) {
	c := reports.NewCollector([]reports.TableInfo{{Name: "t", Mode: "provisioned"}})
	st := &model.TableState{Mode: model.Provisioned, Partitions: 2,
		ReadCapacity: units.WholeUnits(100), WriteCapacity: units.WholeUnits(50),
		Parts: []model.PartitionState{{ReadBurst: 7, WriteBurst: 8}, {ReadBurst: 9, WriteBurst: 10}}}
	c.Consumed(500*sim.Millisecond, 0, 1, units.WholeUnits(2), 0)
	c.Throttle(600*sim.Millisecond, &model.ThrottleEvent{Table: 0, Partition: 1, Op: units.OpPut,
		Reason: model.TableWriteKeyRangeThroughputExceeded})
	c.Sample(sim.Second, 0, st) // describes second 0
	s := c.Series().Tables[0]
	checks := []struct {
		name      string
		got, want int64
	}{
		{"read capacity", int64(s.ReadCapacity[0]), int64(units.WholeUnits(100))},
		{"write capacity", int64(s.WriteCapacity[0]), int64(units.WholeUnits(50))},
		{"burst sum", int64(s.ReadBurst[0]), 0},
		{"partitions", s.Partitions[0], 2},
		{"partition 1 read", int64(s.PartitionRead[1][0]), int64(units.WholeUnits(2))},
		{"partition 1 read burst", int64(s.PartitionReadBurst[1][0]), 9},
		{"partition 0 write burst", int64(s.PartitionWriteBurst[0][0]), 8},
		{"partition 1 throttles", s.PartitionThrottles[1][0], 1},
		{"throttles by reason", s.ByReason[model.TableWriteKeyRangeThroughputExceeded][0], 1},
	}
	for _, ch := range checks {
		if ch.got != ch.want {
			t.Errorf("%s = %d, want %d", ch.name, ch.got, ch.want)
		}
	}
}

// round rounds x to the given number of decimals, as the result does.
func round(x float64, decimals int) float64 {
	p := math.Pow10(decimals)
	return math.Round(x*p) / p
}

func ptr(v float64) *float64 { return &v }
