package ddbsim

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/ddbsim/ddbsim/model"
	"github.com/ddbsim/ddbsim/model/billing"
	"github.com/ddbsim/ddbsim/model/cache"
	"github.com/ddbsim/ddbsim/model/capacity"
	"github.com/ddbsim/ddbsim/model/store"
	"github.com/ddbsim/ddbsim/scenarios"
	"github.com/ddbsim/ddbsim/sim"
)

// ixDoc builds a scenario whose first table is at line 5 and whose
// workloads start at line 5 + len(tables); extra goes at the end.
func ixDoc(tables []string, workloads []string, extra string) string {
	src := "version: 1\nname: test\nduration: 1m\ntables:\n"
	for _, t := range tables {
		src += "  - " + t + "\n"
	}
	src += "workloads:\n"
	for _, w := range workloads {
		src += "  - " + w + "\n"
	}
	return src + extra
}

const (
	provTable = "{name: orders, partition_key: customer, sort_key: created_at, mode: provisioned, read_capacity: 100, write_capacity: 50, items: {count: 10k, per_key: 10}"
	odTable   = "{name: users, partition_key: id, mode: on-demand, items: {count: 1k}"
	plainWl   = "{name: w, table: orders, rate: 1/s}"
)

func TestParseIndexes(t *testing.T) {
	for _, tc := range []struct {
		name  string
		table string
		want  scenarios.Index
	}{
		{"GSI defaults: projection all, full coverage, the table's capacity and key count",
			provTable + ", indexes: [{name: by-status, partition_key: status}]}",
			scenarios.Index{Pos: scenarios.Pos{Line: 5, Col: 170}, Name: "by-status", PartitionKey: "status", Projection: "all", Coverage: 1,
				Keys: scenarios.IndexKeys{Count: 1000, Distribution: "uniform"}, ReadCapacity: 100, WriteCapacity: 50}},
		{"GSI with every key",
			provTable + ", indexes: [{name: by-status, partition_key: status, sort_key: created_at, local: false, projection: include, projected_size: 200B, " +
				"keys: {count: 5, distribution: zipf, exponent: 1.0}, coverage: 50%, key_changes: 10%, projected_changes: 20%, " +
				"read_capacity: 10, write_capacity: 5, autoscaling: {target: 50%, min: 5, max: 1k}}]}",
			scenarios.Index{Pos: scenarios.Pos{Line: 5, Col: 170}, Name: "by-status", PartitionKey: "status", SortKey: "created_at", Projection: "include",
				ProjectedSize: 200, Keys: scenarios.IndexKeys{Count: 5, Distribution: "zipf", Exponent: 1}, Coverage: 0.5, KeyChanges: 0.1,
				ProjectedChanges: 0.2, ReadCapacity: 10, WriteCapacity: 5, AutoScaling: &scenarios.AutoScaling{Target: 0.5, Min: 5, Max: 1000}}},
		{"zipf exponent defaults to 0.99; include's projected_changes to 100%",
			provTable + ", indexes: [{name: by-status, partition_key: status, projection: include, projected_size: 1KB, keys: {distribution: zipf}}]}",
			scenarios.Index{Pos: scenarios.Pos{Line: 5, Col: 170}, Name: "by-status", PartitionKey: "status", Projection: "include", ProjectedSize: 1024,
				Keys: scenarios.IndexKeys{Count: 1000, Distribution: "zipf", Exponent: 0.99}, Coverage: 1, ProjectedChanges: 1,
				ReadCapacity: 100, WriteCapacity: 50}},
		{"keys_only entries default to model.DefaultKeysOnlySize",
			provTable + ", indexes: [{name: by-status, partition_key: status, projection: keys_only}]}",
			scenarios.Index{Pos: scenarios.Pos{Line: 5, Col: 170}, Name: "by-status", PartitionKey: "status", Projection: "keys_only", ProjectedSize: model.DefaultKeysOnlySize,
				Keys: scenarios.IndexKeys{Count: 1000, Distribution: "uniform"}, Coverage: 1, ReadCapacity: 100, WriteCapacity: 50}},
		{"GSI of an on-demand table: no capacity; a table without items: 1M key values",
			"{name: orders, partition_key: id, mode: on-demand, indexes: [{name: by-email, partition_key: email}]}",
			scenarios.Index{Pos: scenarios.Pos{Line: 5, Col: 66}, Name: "by-email", PartitionKey: "email", Projection: "all", Coverage: 1,
				Keys: scenarios.IndexKeys{Count: 1_000_000, Distribution: "uniform"}}},
		{"LSI: the table's partition key, its own sort key, no keys or capacity",
			provTable + ", indexes: [{name: by-total, local: true, sort_key: total, projection: keys_only, projected_size: 64B}]}",
			scenarios.Index{Pos: scenarios.Pos{Line: 5, Col: 170}, Name: "by-total", Local: true, PartitionKey: "customer", SortKey: "total", Projection: "keys_only",
				ProjectedSize: 64, Coverage: 1}},
		{"LSI may repeat the table's partition key",
			provTable + ", indexes: [{name: by-total, local: true, partition_key: customer, sort_key: total}]}",
			scenarios.Index{Pos: scenarios.Pos{Line: 5, Col: 170}, Name: "by-total", Local: true, PartitionKey: "customer", SortKey: "total", Projection: "all", Coverage: 1}},
	} {
		s, err := scenarios.Parse("test.yaml", []byte(ixDoc([]string{tc.table}, []string{"{name: w, table: orders, rate: 1/s, keys: {count: 5}}"}, "")))
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		if got := s.Tables[0].Indexes; len(got) != 1 || !reflect.DeepEqual(got[0], tc.want) {
			t.Errorf("%s:\n got %+v\nwant %+v", tc.name, got, tc.want)
		}
	}
}

// The model configs an index yields.
func TestIndexConfigs(t *testing.T) {
	s, err := scenarios.Parse("test.yaml", []byte(ixDoc([]string{provTable + ", indexes: [" +
		"{name: by-status, partition_key: status, sort_key: created_at, projection: include, projected_size: 200B, keys: {count: 5, distribution: zipf, exponent: 1.5}, coverage: 50%, key_changes: 10%, projected_changes: 20%, write_capacity: 5, autoscaling: {min: 5, max: 100}}, " +
		"{name: by-total, local: true, sort_key: total, projection: keys_only}, " +
		"{name: by-day, partition_key: day}]}"}, []string{plainWl}, "")))
	if err != nil {
		t.Fatal(err)
	}
	want := []model.IndexConfig{
		{Name: "by-status", Schema: store.KeySchema{PartitionKey: "status", SortKey: "created_at"}, Projection: model.ProjectInclude,
			ProjectedSize: 200, Keys: 5, Exponent: 1.5, Coverage: 0.5, KeyChanges: 0.1, ProjectedChanges: 0.2,
			ReadCapacity: 100, WriteCapacity: 5, AutoScaling: &capacity.AutoScaling{Target: 0.7, Min: 5, Max: 100}},
		{Name: "by-total", Local: true, Schema: store.KeySchema{PartitionKey: "customer", SortKey: "total"}, Projection: model.ProjectKeysOnly,
			ProjectedSize: model.DefaultKeysOnlySize, Coverage: 1},
		{Name: "by-day", Schema: store.KeySchema{PartitionKey: "day"}, Keys: 1000, Coverage: 1, ReadCapacity: 100, WriteCapacity: 50},
	}
	if got := indexConfigs(s.Tables[0]); !reflect.DeepEqual(got, want) {
		t.Errorf("got  %+v\nwant %+v", got, want)
	}
	// A table switched to on-demand after parsing (ddbsim compare) gives
	// its indexes no capacity; one switched to provisioned gives them its own.
	od := s.Tables[0]
	od.Mode = "on-demand"
	if got := indexConfigs(od); got[0].ReadCapacity != 0 || got[0].WriteCapacity != 0 || got[0].AutoScaling != nil {
		t.Errorf("on-demand: %+v", got[0])
	}
	prov := s.Tables[0]
	prov.Indexes = []scenarios.Index{{Name: "x-y", PartitionKey: "x", Projection: "all", Coverage: 1}}
	if got := indexConfigs(prov); got[0].ReadCapacity != 100 || got[0].WriteCapacity != 50 || got[0].Keys != 1000 {
		t.Errorf("provisioned without index capacity: %+v", got[0])
	}
}

// caches counts a run's cache accesses and throttle reasons.
type caches struct {
	tally
	accesses int64
	byTable  map[int]int64
	reasons  map[model.ThrottleReason]int64
}

func (c *caches) Cache(_ sim.Time, e *model.CacheEvent) {
	c.accesses++
	c.byTable[e.Table]++
}

func (c *caches) Throttle(now sim.Time, e *model.ThrottleEvent) {
	c.tally.Throttle(now, e)
	c.reasons[e.Reason]++
}

func newCaches() *caches {
	return &caches{byTable: map[int]int64{}, reasons: map[model.ThrottleReason]int64{}}
}

const buildDoc = `version: 1
name: wiring
duration: 20s
dax: {name: shared, nodes: 3, node_type: r5.large, tables: [users, carts]}
tables:
  - name: orders
    partition_key: customer
    sort_key: created_at
    mode: provisioned
    read_capacity: 1000
    write_capacity: 500
    items: {count: 10k, per_key: 10}
    dax: {nodes: 1, node_type: dax.t3.small}
    indexes:
      - {name: by-status, partition_key: status, keys: {count: 5, distribution: zipf, exponent: 1.0}, write_capacity: 100}
      - {name: by-total, local: true, sort_key: total, projection: keys_only}
      - {name: by-day, partition_key: day, projection: include, projected_size: 100B}
  - name: users
    partition_key: id
    mode: on-demand
    items: {count: 1k}
    indexes:
      - {name: by-email, partition_key: email, projection: keys_only}
  - name: carts
    partition_key: id
    mode: on-demand
    table_class: standard-ia
    items: {count: 1k}
workloads:
  - {name: status-page, table: orders, index: by-status, rate: 20/s}
  - {name: direct, table: orders, dax: false, rate: 20/s, mix: {get: 50%, put: 50%}}
  - {name: totals, table: orders, index: by-total, rate: 20/s, consistency: strong}
  - {name: lookups, table: users, index: by-email, rate: 20/s, dax: false}
  - {name: carts, table: carts, rate: 20/s}
`

// Build hands the model the indexes, adds the clusters in order with their
// tables, prices each service table (an index at its table's prices, a
// cluster's node-hours on its first table), and routes each workload.
func TestBuildIndexesAndDAX(t *testing.T) {
	sc, err := scenarios.Parse("wiring.yaml", []byte(buildDoc))
	if err != nil {
		t.Fatal(err)
	}
	rec := newCaches()
	s, err := build(sc, 1, rec)
	if err != nil {
		t.Fatal(err)
	}
	svc := s.Service
	// The model fills in defaults of its own (an LSI's Keys): compare what
	// the scenario decides.
	got, want := svc.Tables()[0].Config().Indexes, indexConfigs(sc.Tables[0])
	if len(got) != 3 || !reflect.DeepEqual(got[0], want[0]) || !reflect.DeepEqual(got[2], want[2]) ||
		got[1].Name != "by-total" || !got[1].Local || got[1].Schema != want[1].Schema || got[1].Projection != model.ProjectKeysOnly {
		t.Errorf("orders' indexes:\n got %+v\nwant %+v", got, want)
	}
	if want[0].Keys != 5 || want[0].Exponent != 1 || want[0].ReadCapacity != 1000 || want[0].WriteCapacity != 100 {
		t.Errorf("by-status: %+v", want[0])
	}
	// Three tables, then their global indexes in declaration order.
	var names []string
	for _, tb := range svc.Tables() {
		names = append(names, tb.Name())
	}
	if got := strings.Join(names, " "); got != "orders users carts orders/by-status orders/by-day users/by-email" {
		t.Errorf("service tables: %s", got)
	}
	if len(s.PriceBooks) != len(svc.Tables()) {
		t.Fatalf("%d price books for %d tables", len(s.PriceBooks), len(svc.Tables()))
	}
	ia, _ := scenarios.PriceBook("us-east-1", "standard-ia", scenarios.Prices{}, "")
	std, _ := scenarios.PriceBook("us-east-1", "standard", scenarios.Prices{}, "")
	wantBooks := []billing.PriceBook{std, std, ia, std, std, std}
	wantBooks[0].DAXNodeHour = 0.04 // orders owns orders-dax (dax.t3.small)
	wantBooks[1].DAXNodeHour = 0.269
	for i, b := range s.PriceBooks {
		if b != wantBooks[i] {
			t.Errorf("book of %s: %+v, want %+v", names[i], b, wantBooks[i])
		}
	}
	clusters := svc.Clusters()
	if len(clusters) != 2 {
		t.Fatalf("%d clusters", len(clusters))
	}
	wantClusters := []struct {
		cfg    cache.ClusterConfig
		tables []int
	}{
		{cache.ClusterConfig{Name: "shared", Nodes: 3, NodeType: "dax.r5.large", ItemTTL: cache.DefaultTTL, QueryTTL: cache.DefaultTTL}, []int{1, 2}},
		{cache.ClusterConfig{Name: "orders-dax", Nodes: 1, NodeType: "dax.t3.small", ItemTTL: cache.DefaultTTL, QueryTTL: cache.DefaultTTL}, []int{0}},
	}
	for i, c := range clusters {
		if c.Config() != wantClusters[i].cfg || !reflect.DeepEqual(c.Tables(), wantClusters[i].tables) {
			t.Errorf("cluster %d: %+v on %v, want %+v on %v", i, c.Config(), c.Tables(), wantClusters[i].cfg, wantClusters[i].tables)
		}
	}
	wantRoute := []struct {
		index int
		via   bool
	}{{1, true}, {0, false}, {2, true}, {1, false}, {0, true}}
	for i, w := range sc.Workloads {
		cfg, err := workloadConfig(sc, w, svc, s.Duration)
		if err != nil {
			t.Fatal(err)
		}
		if cfg.Index != wantRoute[i].index || viaDAX(sc, w) != wantRoute[i].via {
			t.Errorf("%s: index %d via DAX %v, want %+v", w.Name, cfg.Index, viaDAX(sc, w), wantRoute[i])
		}
	}

	s.run()
	// orders' cluster sees status-page and totals, the shared one carts;
	// direct and lookups go around.
	if rec.byTable[0] == 0 || rec.byTable[2] == 0 || rec.byTable[1] != 0 {
		t.Errorf("cache accesses by table: %v", rec.byTable)
	}
	if rec.finished == 0 || rec.succeeded+rec.throttled+rec.failed != rec.finished {
		t.Errorf("%d finished: %d + %d + %d", rec.finished, rec.succeeded, rec.throttled, rec.failed)
	}
}

// The built-in gsi-backpressure throttles the table's writes for its
// index's want of write capacity, with an index reason.
func TestGSIBackpressureThrottlesOnTheIndex(t *testing.T) {
	sc, err := scenarios.Builtin("gsi-backpressure")
	if err != nil {
		t.Fatal(err)
	}
	rec := newCaches()
	s, err := build(sc, 1, rec)
	if err != nil {
		t.Fatal(err)
	}
	s.run()
	var index, other int64
	for r, n := range rec.reasons {
		if r == model.IndexWriteProvisionedThroughputExceeded || r == model.IndexWriteKeyRangeThroughputExceeded {
			index += n
		} else {
			other += n
		}
	}
	if index == 0 || index < 10*other || rec.throttled == 0 {
		t.Errorf("throttles by reason %v; %d requests ended throttled", rec.reasons, rec.throttled)
	}
}

// The built-in dax-read-cache reads mostly from the cache, and the table
// does not throttle.
func TestDAXReadCacheServesFromTheCache(t *testing.T) {
	sc, err := scenarios.Builtin("dax-read-cache")
	if err != nil {
		t.Fatal(err)
	}
	sc.Duration = 3 * time.Minute
	rec := newCaches()
	s, err := build(sc, 1, rec)
	if err != nil {
		t.Fatal(err)
	}
	s.run()
	if rec.accesses < rec.finished*9/10 || rec.throttled != 0 {
		t.Errorf("%d cache accesses for %d requests; %d throttled", rec.accesses, rec.finished, rec.throttled)
	}
	if got := s.PriceBooks[0].DAXNodeHour; got != 0.269 {
		t.Errorf("node-hour price %v", got)
	}
}

// testdata/valid/dax-indexes.yaml, every key at once, builds and runs; its
// price overrides reach the clusters' owners.
func TestDAXIndexesTestdataRuns(t *testing.T) {
	sc := mustLoad(t, "scenarios/testdata/valid/dax-indexes.yaml")
	sc.Duration = 30 * time.Second
	rec := newCaches()
	s, err := build(sc, 1, rec)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(s.Service.Tables()); n != 5 || len(s.PriceBooks) != n {
		t.Fatalf("%d service tables (want orders, users and 3 global indexes), %d price books", n, len(s.PriceBooks))
	}
	if s.PriceBooks[0].DAXNodeHour != 0.05 || s.PriceBooks[1].DAXNodeHour != 0.25 {
		t.Errorf("node-hour prices %v and %v, want the overrides 0.05 and 0.25", s.PriceBooks[0].DAXNodeHour, s.PriceBooks[1].DAXNodeHour)
	}
	s.run()
	var arrived int64
	for _, src := range s.Sources {
		arrived += src.Arrived()
	}
	if arrived == 0 || rec.finished != arrived || rec.accesses == 0 {
		t.Errorf("%d arrived, %d finished, %d cache accesses", arrived, rec.finished, rec.accesses)
	}
}

func TestParseWorkloadIndexAndDAX(t *testing.T) {
	tables := []string{
		provTable + ", dax: {nodes: 1, node_type: dax.t3.small}, indexes: [{name: by-status, partition_key: status, keys: {count: 5, distribution: zipf, exponent: 1.2}}, {name: by-day, partition_key: day, keys: {count: 30}}, {name: by-total, local: true, sort_key: total}]}",
		odTable + "}",
	}
	yes, no := true, false
	for _, tc := range []struct {
		name, wl string
		index    string
		dax      *bool
		via      bool
		mix      []scenarios.MixEntry
		keys     scenarios.Keys
	}{
		{"a table with a cluster: through it", "{name: w, table: orders, rate: 1/s}",
			"", nil, true, []scenarios.MixEntry{{Op: "get", Weight: 1}}, scenarios.Keys{Distribution: "uniform", Count: 10_000}},
		{"dax: false goes around it", "{name: w, table: orders, rate: 1/s, dax: false}",
			"", &no, false, []scenarios.MixEntry{{Op: "get", Weight: 1}}, scenarios.Keys{Distribution: "uniform", Count: 10_000}},
		{"dax: true says so", "{name: w, table: orders, rate: 1/s, dax: true}",
			"", &yes, true, []scenarios.MixEntry{{Op: "get", Weight: 1}}, scenarios.Keys{Distribution: "uniform", Count: 10_000}},
		{"dax: false on a table without a cluster", "{name: w, table: users, rate: 1/s, dax: false}",
			"", &no, false, []scenarios.MixEntry{{Op: "get", Weight: 1}}, scenarios.Keys{Distribution: "uniform", Count: 1000}},
		{"a GSI: queries by default, the index's keys and popularity", "{name: w, table: orders, index: by-status, rate: 1/s}",
			"by-status", nil, true, []scenarios.MixEntry{{Op: "query", Weight: 1}}, scenarios.Keys{Distribution: "zipf", Exponent: 1.2, Count: 5}},
		{"a uniform GSI", "{name: w, table: orders, index: by-day, rate: 1/s, mix: {query: 50%, scan: 50%}}",
			"by-day", nil, true, []scenarios.MixEntry{{Op: "query", Weight: 0.5}, {Op: "scan", Weight: 0.5}}, scenarios.Keys{Distribution: "uniform", Count: 30}},
		{"keys without a count take the index's", "{name: w, table: orders, index: by-status, rate: 1/s, keys: {distribution: hot}}",
			"by-status", nil, true, []scenarios.MixEntry{{Op: "query", Weight: 1}}, scenarios.Keys{Distribution: "hot", HotOps: 1, Count: 5}},
		{"an LSI: the table's keys; strong reads allowed", "{name: w, table: orders, index: by-total, rate: 1/s, consistency: strong, mix: {query: {share: 100%, consistency: strong}}}",
			"by-total", nil, true, []scenarios.MixEntry{{Op: "query", Weight: 1, Consistency: "strong"}}, scenarios.Keys{Distribution: "uniform", Count: 10_000}},
	} {
		s, err := scenarios.Parse("test.yaml", []byte(ixDoc(tables, []string{tc.wl}, "")))
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		w := s.Workloads[0]
		if w.Index != tc.index || !reflect.DeepEqual(w.DAX, tc.dax) || !reflect.DeepEqual(w.Mix, tc.mix) || w.Keys != tc.keys {
			t.Errorf("%s: index %q dax %v mix %+v keys %+v", tc.name, w.Index, w.DAX, w.Mix, w.Keys)
		}
		if got := viaDAX(s, w); got != tc.via {
			t.Errorf("%s: via DAX %v, want %v", tc.name, got, tc.via)
		}
	}
}
