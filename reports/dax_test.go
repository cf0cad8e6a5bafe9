package reports_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/ddbsim/ddbsim/model"
	"github.com/ddbsim/ddbsim/model/billing"
	"github.com/ddbsim/ddbsim/model/units"
	"github.com/ddbsim/ddbsim/reports"
	"github.com/ddbsim/ddbsim/reports/internal/fixture"
	"github.com/ddbsim/ddbsim/reports/plot"
	"github.com/ddbsim/ddbsim/sim"
)

// TestDAXResult checks the cache section and the index table against
// values worked by hand from fixture.DAX's description.
func TestDAXResult(t *testing.T) {
	r := fixture.DAX()
	c := r.Cache
	if c == nil || len(c.Clusters) != 1 {
		t.Fatalf("cache %+v: want one cluster", c)
	}
	cl := c.Clusters[0]
	// Per second 80 item hits, 20 misses; 10 query hits (5 stale), 10
	// misses; over 4 seconds.
	for _, tc := range []struct {
		name      string
		got, want any
	}{
		{"item hits", c.ItemHits, int64(320)},
		{"item misses", c.ItemMisses, int64(80)},
		{"query hits", c.QueryHits, int64(40)},
		{"query misses", c.QueryMisses, int64(40)},
		{"hits", c.Hits, int64(360)},
		{"misses", c.Misses, int64(120)},
		{"hit rate", c.HitRate, 0.75},
		{"item hit rate", c.ItemHitRate, 0.8},
		{"query hit rate", c.QueryHitRate, 0.5},
		{"writes", c.Writes, int64(40)},
		{"pass through", c.PassThrough, int64(0)},
		{"stale", c.StaleReads, int64(20)},
		{"throttled", c.Throttled, int64(5)},
		{"saved", c.SavedRCU, 320*0.5 + 40*2.0},
		// Load per second: 80 x 1 + 20 x 10 + 10 x 4 + 10 x 40 + 10 x 75.
		{"peak load", cl.PeakLoadPerS, 1470.0},
		{"mean load", cl.MeanLoadPerS, 1470.0},
		{"capacity", cl.CapacityPerS, 225000.0},
		{"peak utilization", cl.PeakUtilization, round(1470.0/225000, 6)},
		{"cluster hit rate", cl.HitRate, 0.75},
		{"cluster tables", cl.Tables, []string{"orders"}},
		{"cluster node type", cl.NodeType, "dax.r5.large"},
		{"item entries", cl.ItemEntries, int64(320)},
		{"query bytes", cl.QueryBytes, int64(40 * 4096)},
		{"hit p50", c.HitLatencyMs.P50, 0.3},
		{"hit max", c.HitLatencyMs.Max, 0.4},
		{"miss max", c.MissLatencyMs.Max, 5.0},
		{"write p50", c.WriteLatencyMs.P50, 4.0},
		// The index is a table of its own, named for its table.
		{"index entry", [3]string{r.Tables[2].Name, r.Tables[2].Table, r.Tables[2].Index},
			[3]string{"orders/by-status", "orders", "by-status"}},
		{"index throttles", r.Tables[2].ThrottlesByReason, map[string]int64{"IndexWriteProvisionedThroughputExceeded": 3}},
		{"index consumed", r.Tables[2].ConsumedWCU, 37.0},
		// The base table's clients saw the index's reason, and DAX's
		// (REFERENCE: gsi, back-pressure).
		{"orders throttles", r.Tables[0].ThrottlesByReason,
			map[string]int64{"DAXThrottlingException": 5, "IndexWriteProvisionedThroughputExceeded": 3}},
		{"orders throttled requests", r.Tables[0].ThrottledRatio, reports.Ratio(8, 400+80+40+5)},
		{"thresholds", []bool{r.Thresholds[0].Passed, r.Thresholds[1].Passed, r.Thresholds[2].Passed},
			[]bool{false, false, false}},
	} {
		g, _ := json.Marshal(tc.got)
		w, _ := json.Marshal(tc.want)
		if string(g) != string(w) {
			t.Errorf("%s = %s, want %s", tc.name, g, w)
		}
	}
	if v := r.Thresholds[0].Value; v == nil || *v != 0.75 {
		t.Errorf("cache_hit_rate threshold value %v, want 0.75", v)
	}

	// A DAX throttle has no partition: it counts on the table, by
	// second, but no partition's series grows for it.
	s := r.Series.Tables[0]
	if got := s.ByReason[model.DAXThrottled][2]; got != 5 {
		t.Errorf("DAX throttles in second 2: %d, want 5", got)
	}
	if len(s.PartitionThrottles) != 2 || sum(s.PartitionThrottles[0])+sum(s.PartitionThrottles[1]) != 0 {
		t.Errorf("partition throttles %v: a DAX throttle is no partition's", s.PartitionThrottles)
	}
	if got := r.Series.Tables[2].PartitionThrottles[0][3]; got != 3 {
		t.Errorf("index partition 0 throttles in second 3: %d, want 3", got)
	}
	// The cluster's series, and the tables' hits and misses.
	cs := r.Series.Caches[0]
	if cs.Name != "main" || cs.ItemHits[1] != 80 || cs.QueryMisses[3] != 10 || cs.Stale[0] != 5 ||
		cs.Throttled[2] != 5 || cs.Load[1] != units.WholeUnits(1470) {
		t.Errorf("cluster series: %+v", cs)
	}
	if s.CacheHits[0] != 90 || s.CacheMisses[0] != 30 || r.Series.Tables[1].CacheHits != nil {
		t.Errorf("orders hits %v misses %v; users %v (want none: no cluster serves it)",
			s.CacheHits, s.CacheMisses, r.Series.Tables[1].CacheHits)
	}
}

// TestDAXSchemaFields pins the cache section's field names and an index
// entry's: other tools read them.
func TestDAXSchemaFields(t *testing.T) {
	m, b := jsonObject(t, fixture.DAX())
	keys, want := fieldNames, fieldsWanted(t)
	cache := m["cache"].(map[string]any)
	want("cache", keys(cache), "hit_rate", "hits", "misses", "item_hit_rate", "query_hit_rate",
		"item_hits", "item_misses", "query_hits", "query_misses", "writes", "pass_through",
		"stale_reads", "throttled", "saved_rcu", "hit_latency_ms", "miss_latency_ms", "write_latency_ms", "clusters")
	want("cache.hit_latency_ms", keys(cache["hit_latency_ms"]), "p50", "p90", "p99", "p999", "max", "mean")
	want("cache.clusters[0]", keys(cache["clusters"].([]any)[0]), "name", "node_type", "nodes", "tables",
		"capacity_per_s", "peak_load_per_s", "mean_load_per_s", "peak_utilization",
		"hit_rate", "hits", "misses", "stale_reads", "throttled", "saved_rcu",
		"item_entries", "query_entries", "item_bytes", "query_bytes")
	tables := m["tables"].([]any)
	if _, ok := tables[0].(map[string]any)["index"]; ok {
		t.Error("a table's entry has an index field")
	}
	idx := tables[2].(map[string]any)
	if idx["table"] != "orders" || idx["index"] != "by-status" || idx["name"] != "orders/by-status" {
		t.Errorf("index entry %v", idx)
	}
	// The new fields sit where the schema's readers expect them: the
	// cache section after cost, an index's names after its name.
	if i, j := bytes.Index(b, []byte(`"cache"`)), bytes.Index(b, []byte(`"errors_by_kind"`)); i < 0 || i > j {
		t.Errorf("cache at %d, errors_by_kind at %d: want cache first", i, j)
	}
}

// A run without DAX has no cache section, no DAX columns, no DAX line
// on the bill, and no cache plot.
func TestNoDAXNoCache(t *testing.T) {
	c := reports.NewCollector(fixture.SyntheticTables)
	c.SetPricing([]billing.PriceBook{{RCUHour: 0.00013, WCUHour: 0.00065}, {ReadRequestUnit: 1.25e-7}}, false)
	c.SetClusters(nil)
	c.Consumed(ms, 1, 0, 500, 0)
	c.Finish(model.Outcome{Table: 1, Op: units.OpGet, End: 2 * ms})
	c.Sample(sim.Second, 0, &model.TableState{Bill: billing.Meter{RCUHours: 1, Standard: true}})
	c.Sample(sim.Second, 1, &model.TableState{Bill: billing.Meter{ReadUnits: 0.5, Standard: true}})
	r := c.Result(reports.Meta{Duration: sim.Second})
	var b bytes.Buffer
	if err := reports.WriteJSON(&b, r); err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{`"cache"`, `"dax_nodes"`, `"index"`} {
		if bytes.Contains(b.Bytes(), []byte(s)) {
			t.Errorf("JSON of a run without DAX or indexes has %s", s)
		}
	}
	var csv bytes.Buffer
	if err := reports.WriteTimeseriesCSV(&csv, r); err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"cache_", "DAXThrottlingException", "IndexRead"} {
		if strings.Contains(csv.String(), s) {
			t.Errorf("CSV of a run without DAX or indexes has %s", s)
		}
	}
	plots, err := plot.Figures(r)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range plots {
		if p.Name == "cache-hit-rate" {
			t.Error("a run without DAX has a cache plot")
		}
	}
}

func TestGoldenDAX(t *testing.T) {
	r := fixture.DAX()
	for _, tc := range []struct {
		file  string
		write func(*bytes.Buffer) error
	}{
		{"result-dax.json.golden", func(b *bytes.Buffer) error { return reports.WriteJSON(b, r) }},
		{"summary-dax.golden", func(b *bytes.Buffer) error { return reports.WriteSummary(b, r) }},
		{"explain-dax.golden", func(b *bytes.Buffer) error { return reports.WriteExplain(b, r) }},
		{"timeseries-dax.csv.golden", func(b *bytes.Buffer) error { return reports.WriteTimeseriesCSV(b, r) }},
	} {
		var b bytes.Buffer
		if err := tc.write(&b); err != nil {
			t.Fatal(err)
		}
		golden(t, tc.file, b.Bytes())
	}
}

// The summary's DAX section and index rows, line by line.
func TestDAXSummary(t *testing.T) {
	var b bytes.Buffer
	if err := reports.WriteSummary(&b, fixture.DAX()); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{
		"dax         hit rate 75.00% (item 80.00%, query 50.00%)   360 hits   120 misses   20 stale   5 throttled\n",
		"            hit p50 0.300 ms p99 0.400 ms   miss p50 3.00 ms p99 5.00 ms   read units saved 240\n",
		"            cluster main (3 x dax.r5.large): peak load 1,470/s of 225,000/s (0.65%)\n",
		"\nby-status (index of orders)  provisioned", // right after its table
		"throttles   orders                       IndexWriteProvisionedThroughputExceeded  3\n",
		"                                         DAXThrottlingException                   5\n",
		"            by-status (index of orders)  IndexWriteProvisionedThroughputExceeded  3\n",
		"cache_hit_rate > 80%  75.00%  FAIL",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("summary lacks %q:\n%s", want, out)
		}
	}
	if i, j := strings.Index(out, "by-status (index"), strings.Index(out, "\nusers"); i > j {
		t.Error("the index is not listed right after its table")
	}
}

// The explanations of an index's back-pressure and of a DAX throttle.
func TestDAXExplain(t *testing.T) {
	var b bytes.Buffer
	if err := reports.WriteExplain(&b, fixture.DAX()); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{
		"t=2.003s orders get was refused by DAX cluster main, over its normalized capacity of 3 nodes x 75,000 = 225,000 a second (its load was 1,470 in that second",
		"more or larger nodes, or a higher hit rate, would take it (DAXThrottlingException)",
		"t=3.008s orders/by-status put partition 0",
		"found the index's 10.0 WCU/s all in use",
		"back-pressure: writes to table orders are throttled while its index by-status cannot take their index writes (its write capacity is 10.0 WCU/s; it took 7.0 WCU of index writes in that second)",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("explain lacks %q:\n%s", want, out)
		}
	}
}

// The cache's hot path allocates nothing once its series have room, and
// neither does Finish for requests DAX served.
func TestDAXNoAllocs(t *testing.T) {
	c := reports.NewCollector([]reports.TableInfo{{Name: "a"}})
	c.SetClusters([]reports.ClusterInfo{{Name: "x", Nodes: 1, NodeCapacity: 1000, Tables: []int{0}}})
	c.Reserve(20 * sim.Second)
	for _, a := range []model.CacheAccess{model.CacheItemHit, model.CacheItemMiss, model.CacheWrite} {
		c.Finish(model.Outcome{Op: units.OpGet, Cache: a}) // creates the histograms
	}
	now := sim.Time(0)
	accesses := []model.CacheAccess{model.CacheItemHit, model.CacheItemMiss, model.CacheQueryHit,
		model.CacheQueryMiss, model.CacheWrite, model.CachePassThrough, model.CacheThrottled}
	k := 0
	ev := &model.ThrottleEvent{Table: 0, Partition: -1, Op: units.OpGet, Reason: model.DAXThrottled, Limit: model.LimitDAX}
	allocs := testing.AllocsPerRun(1000, func() {
		now += 7 * ms
		a := accesses[k%len(accesses)]
		k++
		c.Cache(now, &model.CacheEvent{Table: 0, Cluster: 0, Access: a, Stale: k%3 == 0, Saved: 500, Load: 1000})
		c.Throttle(now, ev)
		c.Finish(model.Outcome{Table: 0, Op: units.OpGet, Start: now - ms, End: now, Cache: a})
	})
	if allocs != 0 {
		t.Errorf("%v allocations per call sequence, want 0", allocs)
	}
}

// Events for a cluster SetClusters did not name, or before it, are kept
// under the cluster's index; a broken event panics like the rest of the
// Recorder contract.
func TestDAXUnnamedAndPanics(t *testing.T) {
	c := reports.NewCollector([]reports.TableInfo{{Name: "a"}})
	c.Cache(sim.Second, &model.CacheEvent{Table: 0, Cluster: 1, Access: model.CacheItemHit})
	r := c.Result(reports.Meta{Duration: 2 * sim.Second})
	if r.Cache == nil || len(r.Cache.Clusters) != 2 || r.Cache.Clusters[1].Name != "cluster 1" || r.Cache.Hits != 1 {
		t.Errorf("cache %+v", r.Cache)
	}
	if r.Cache.Clusters[1].PeakUtilization != 0 {
		t.Error("a cluster of unknown capacity has a utilization")
	}
	for name, f := range map[string]func(c *reports.Collector){
		"none":    func(c *reports.Collector) { c.Cache(0, &model.CacheEvent{Access: model.CacheNone}) },
		"access":  func(c *reports.Collector) { c.Cache(0, &model.CacheEvent{Access: model.NumCacheAccesses}) },
		"cluster": func(c *reports.Collector) { c.Cache(0, &model.CacheEvent{Cluster: -1, Access: model.CacheItemHit}) },
		"table":   func(c *reports.Collector) { c.Cache(0, &model.CacheEvent{Table: 3, Access: model.CacheItemHit}) },
	} {
		t.Run(name, func(t *testing.T) {
			defer func() {
				msg, _ := recover().(string)
				if !strings.HasPrefix(msg, "reports: ") {
					t.Errorf("panic %q, want one starting with \"reports: \"", msg)
				}
			}()
			f(reports.NewCollector([]reports.TableInfo{{Name: "a"}}))
		})
	}
}

// An index table added after pricing takes its table's prices, and one
// priced with the books the scenario gave its tables alone too.
func TestIndexPricing(t *testing.T) {
	book := billing.PriceBook{WCUHour: 0.00065, DAXNodeHour: 0.269}
	c := reports.NewCollector([]reports.TableInfo{{Name: "orders"}})
	c.AddTable(reports.TableInfo{Name: "orders/by-status", Base: "orders", Index: "by-status"})
	c.SetPricing([]billing.PriceBook{book}, false)
	c.SetClusters([]reports.ClusterInfo{{Name: "main", NodeType: "dax.r5.large", Nodes: 2, NodeCapacity: 75_000, Tables: []int{0}}})
	c.SetMeter(0, billing.Meter{WCUHours: 10, DAXNodeHours: 2, Standard: true})
	c.SetMeter(1, billing.Meter{WCUHours: 10, Standard: true})
	r := c.Result(reports.Meta{Duration: sim.Hour})
	if r.Cost == nil || len(r.Cost.Lines) != 3 {
		t.Fatalf("cost %+v", r.Cost)
	}
	if l := r.Cost.Lines[2]; l.Table != "orders/by-status" || l.PriceUSD != book.WCUHour {
		t.Errorf("index line %+v: want the table's WCU price", l)
	}
	if got := r.Cost.Breakdown[billing.ItemDAXNodes]; got != round(2*0.269, 6) {
		t.Errorf("dax_nodes %v", got)
	}
	var b bytes.Buffer
	if err := reports.WriteBill(&b, r); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "DAX nodes") {
		t.Errorf("bill lacks the DAX nodes line:\n%s", b.String())
	}
}
