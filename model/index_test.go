package model

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/ddbsim/ddbsim/model/cache"
	"github.com/ddbsim/ddbsim/model/latency"
	"github.com/ddbsim/ddbsim/model/store"
	"github.com/ddbsim/ddbsim/model/units"
	"github.com/ddbsim/ddbsim/sim"
)

// indexTable is a provisioned table of 100 items of 2 KB with one index.
func indexTable(ic IndexConfig) TableConfig {
	return TableConfig{Name: "t", Schema: store.KeySchema{PartitionKey: "pk", SortKey: "sk"},
		ReadCapacity: 10_000, WriteCapacity: 10_000,
		ItemCount: 100, ItemSize: 2 * kb, ItemsPerKey: 1, Indexes: []IndexConfig{ic}}
}

// REFERENCE: gsi — "A base write that changes an indexed key costs 2
// index writes (delete + put), changing only projected attributes 1,
// otherwise 0; index writes are sized by projected attributes."
func TestIndexWriteUnits(t *testing.T) {
	gsi := func(edit func(*IndexConfig)) IndexConfig {
		ic := IndexConfig{Name: "g", Schema: store.KeySchema{PartitionKey: "g"}, Keys: 10,
			ReadCapacity: 10_000, WriteCapacity: 10_000}
		edit(&ic)
		return ic
	}
	existing, missing := store.AppendSyntheticKey(nil, 5), store.AppendSyntheticKey(nil, 500)
	for _, tc := range []struct {
		name      string
		ic        IndexConfig
		req       Request
		wantIndex int64 // write units consumed by the index table
		wantTable int64 // by the table
	}{
		{"new item, all", gsi(func(*IndexConfig) {}), Request{Op: units.OpPut, Key: missing, Size: 2 * kb}, 2, 2},
		{"overwrite, all", gsi(func(*IndexConfig) {}), Request{Op: units.OpPut, Key: existing, Size: 3 * kb}, 3, 3},
		{"overwrite, keys only", gsi(func(ic *IndexConfig) { ic.Projection = ProjectKeysOnly }),
			Request{Op: units.OpUpdate, Key: existing, Size: 3 * kb}, 0, 3},
		{"key change, keys only", gsi(func(ic *IndexConfig) { ic.Projection, ic.KeyChanges = ProjectKeysOnly, 1 }),
			Request{Op: units.OpUpdate, Key: existing, Size: 3 * kb}, 2, 3},
		{"key change, all", gsi(func(ic *IndexConfig) { ic.KeyChanges = 1 }),
			Request{Op: units.OpUpdate, Key: existing, Size: 3 * kb}, 2 + 3, 3},
		{"include, projected change", gsi(func(ic *IndexConfig) {
			ic.Projection, ic.ProjectedSize, ic.ProjectedChanges = ProjectInclude, 1500, 1
		}), Request{Op: units.OpUpdate, Key: existing, Size: 3 * kb}, 2, 3},
		{"include, no projected change", gsi(func(ic *IndexConfig) {
			ic.Projection, ic.ProjectedSize = ProjectInclude, 1500
		}), Request{Op: units.OpUpdate, Key: existing, Size: 3 * kb}, 0, 3},
		{"delete", gsi(func(*IndexConfig) {}), Request{Op: units.OpDelete, Key: existing}, 2, 2},
		{"delete missing", gsi(func(*IndexConfig) {}), Request{Op: units.OpDelete, Key: missing}, 0, 1},
		{"failed condition", gsi(func(*IndexConfig) {}), Request{Op: units.OpPut, Key: existing, Size: 3 * kb, ConditionFails: true}, 0, 3},
		{"not covered", gsi(func(ic *IndexConfig) { ic.Coverage = 1e-9 }), Request{Op: units.OpPut, Key: existing, Size: 3 * kb}, 0, 3},
		// An LSI's writes are the table's: 3 for the item, 3 for its entry.
		{"local, all", IndexConfig{Name: "l", Local: true, Schema: store.KeySchema{PartitionKey: "pk", SortKey: "l"}},
			Request{Op: units.OpPut, Key: existing, Size: 3 * kb}, -1, 6},
	} {
		t.Run(tc.name, func(t *testing.T) {
			svc, rec := newTestServiceWith(t, DefaultParams(), indexTable(tc.ic))
			if resp := svc.Handle(sim.Second, &tc.req); !resp.Admitted() {
				t.Fatalf("throttled: %v", resp.Reason)
			}
			if tc.wantIndex >= 0 {
				if len(svc.Tables()) != 2 {
					t.Fatalf("%d tables in the service, want the table and its index", len(svc.Tables()))
				}
				if got := rec.consumedBy[1][1]; got != units.WholeUnits(tc.wantIndex) {
					t.Errorf("index write units %v, want %d", got, tc.wantIndex)
				}
			} else if len(svc.Tables()) != 1 {
				t.Errorf("a local index made a table of its own")
			}
			if got := rec.consumedBy[0][1]; got != units.WholeUnits(tc.wantTable) {
				t.Errorf("table write units %v, want %d", got, tc.wantTable)
			}
		})
	}
}

// A sparse index holds only the items that carry its key, in proportion,
// and its entries follow the popularity of its key values.
func TestIndexEntries(t *testing.T) {
	cfg := indexTable(IndexConfig{Name: "g", Schema: store.KeySchema{PartitionKey: "g"}, Keys: 4, Exponent: 1,
		Coverage: 0.5, Projection: ProjectKeysOnly, ReadCapacity: 1, WriteCapacity: 1})
	cfg.ItemCount = 40_000
	svc, _ := newTestServiceWith(t, DefaultParams(), cfg)
	g := svc.Tables()[1].gsi
	if share := float64(g.entries) / 40_000; math.Abs(share-0.5) > 0.01 {
		t.Errorf("%d entries of 40,000 items at 50%% coverage", g.entries)
	}
	if g.bytes != g.entries*DefaultKeysOnlySize {
		t.Errorf("%d bytes for %d keys-only entries", g.bytes, g.entries)
	}
	// Zipf with exponent 1 over 4 values: 12/25, 6/25, 4/25, 3/25.
	for v, want := range []float64{12.0 / 25, 6.0 / 25, 4.0 / 25, 3.0 / 25} {
		if got := float64(g.values[v].entries) / float64(g.entries); math.Abs(got-want) > 0.01 {
			t.Errorf("value %d holds %.3f of the entries, want %.3f", v, got, want)
		}
	}
}

// REFERENCE: gsi — "If any GSI lacks write capacity the base-table write
// is throttled (back-pressure)": writes at 500/s with the index
// provisioned at a tenth of that are held to the index's rate, throttled
// with the index's reason; with capacity to spare they all pass.
func TestGSIBackPressure(t *testing.T) {
	for _, tc := range []struct {
		indexWCU  int64
		throttled bool
	}{{50, true}, {600, false}} {
		cfg := TableConfig{Name: "t", ReadCapacity: 100, WriteCapacity: 600,
			Indexes: []IndexConfig{{Name: "g", Schema: store.KeySchema{PartitionKey: "g"}, Keys: 1000,
				Projection: ProjectKeysOnly, ReadCapacity: 100, WriteCapacity: tc.indexWCU}}}
		svc, rec := newTestServiceWith(t, noBurst(), cfg)
		n := 0
		writes := &load{from: 0, to: 60 * sim.Second, rate: 500,
			pick: func(int) []byte { n++; return store.AppendSyntheticKey(nil, int64(n)) }, // new items
			req:  Request{Op: units.OpPut, Size: kb}}
		drive(t, svc, 60*sim.Second, writes)
		indexThrottles := rec.throttles[IndexWriteProvisionedThroughputExceeded] + rec.throttles[IndexWriteKeyRangeThroughputExceeded]
		if !tc.throttled {
			if writes.admitted != writes.sent || indexThrottles != 0 {
				t.Errorf("index at %d WCU: %d of %d writes admitted, %d index throttles; want all, none",
					tc.indexWCU, writes.admitted, writes.sent, indexThrottles)
			}
			continue
		}
		if indexThrottles == 0 || indexThrottles != writes.sent-writes.admitted {
			t.Errorf("index at %d WCU: %d index throttles for %d refused writes", tc.indexWCU, indexThrottles, writes.sent-writes.admitted)
		}
		for s := int64(10); s < 60; s += 10 {
			if got := writes.perSecond[s]; got < 49 || got > 51 {
				t.Errorf("second %d: %d writes admitted, want the index's 50", s, got)
			}
		}
		if rec.consumedBy[0][1] != rec.consumedBy[1][1] {
			t.Errorf("table consumed %v write units and its keys-only index %v: a throttled write must charge neither",
				rec.consumedBy[0][1], rec.consumedBy[1][1])
		}
	}
}

// A GSI query reads the entries of one index key value, eventually
// consistent whatever was asked, on the index's capacity.
func TestGSIQuery(t *testing.T) {
	cfg := indexTable(IndexConfig{Name: "g", Schema: store.KeySchema{PartitionKey: "g"}, Keys: 10,
		ReadCapacity: 1000, WriteCapacity: 1000})
	cfg.ItemCount = 1000
	svc, rec := newTestServiceWith(t, DefaultParams(), cfg)
	g := svc.Tables()[1].gsi
	req := Request{Op: units.OpQuery, Key: store.AppendSyntheticKey(nil, 3), Index: 1, Consistency: units.Strong}
	resp := svc.Handle(sim.Second, &req)
	want := units.QueryUnits(int(g.values[3].bytes), units.Eventual)
	if !resp.Admitted() || resp.Read != want || rec.consumedBy[1][0] != want || rec.consumedBy[0][0] != 0 {
		t.Errorf("query of %d entries: %v units (index %v, table %v), want %v on the index",
			g.values[3].entries, resp.Read, rec.consumedBy[1][0], rec.consumedBy[0][0], want)
	}
	// A scan walks every value once per pass.
	var cur store.ScanCursor
	scan := Request{Op: units.OpScan, Index: 1, Cursor: &cur}
	var read units.Units
	for range 10 {
		read += svc.Handle(2*sim.Second, &scan).Read
	}
	if read < units.QueryUnits(int(g.bytes), units.Eventual) {
		t.Errorf("ten scan pages read %v units of an index of %d bytes", read, g.bytes)
	}
}

// REFERENCE: gsi — an item collection of a table with a local index is
// capped at 10 GB, its items and their index entries together.
func TestLocalIndexItemCollectionLimit(t *testing.T) {
	for _, tc := range []struct {
		name  string
		local bool
		want  ErrorKind
	}{{"with a local index", true, ErrItemCollectionTooLarge}, {"without", false, NoError}} {
		t.Run(tc.name, func(t *testing.T) {
			// One partition key holding 26,210 items of 400 KB: 9.9985 GiB,
			// under 10 GiB with one more item, over it with their
			// keys-only entries (2.6 MB) as well.
			cfg := TableConfig{Name: "t", Schema: store.KeySchema{PartitionKey: "pk", SortKey: "sk"},
				Mode: OnDemand, ItemCount: 26_210, ItemSize: units.MaxItemSize, ItemsPerKey: 26_210}
			if tc.local {
				cfg.Indexes = []IndexConfig{{Name: "l", Local: true, Schema: store.KeySchema{PartitionKey: "pk", SortKey: "l"},
					Projection: ProjectKeysOnly}}
			}
			svc, _ := newTestServiceWith(t, DefaultParams(), cfg)
			req := Request{Op: units.OpPut, Key: store.AppendSyntheticKey(nil, 0), SortIndex: 30_000, Size: units.MaxItemSize}
			if resp := svc.Handle(sim.Second, &req); resp.Error != tc.want {
				t.Errorf("a 400 KB item more: error %v, want %v", resp.Error, tc.want)
			}
		})
	}
}

// Requests through DAX and writes that fan out to indexes allocate
// nothing once the caches have grown.
func TestDAXAndIndexPathsDoNotAllocate(t *testing.T) {
	cfg := indexTable(IndexConfig{Name: "g", Schema: store.KeySchema{PartitionKey: "g"}, Keys: 50, KeyChanges: 0.5,
		ReadCapacity: 1_000_000, WriteCapacity: 1_000_000})
	cfg.Indexes = append(cfg.Indexes, IndexConfig{Name: "l", Local: true, Schema: store.KeySchema{PartitionKey: "pk", SortKey: "l"}})
	cfg.ReadCapacity, cfg.WriteCapacity = 1_000_000, 1_000_000
	svc, _ := newTestServiceWith(t, DefaultParams(), cfg)
	if _, err := svc.AddDAX(cache.ClusterConfig{Name: "c", Nodes: 11, NodeType: "dax.r5.8xlarge", ItemCacheItems: 50, QueryCacheItems: 50}, []int{0}); err != nil {
		t.Fatal(err)
	}
	keys := make([][]byte, 100)
	for i := range keys {
		keys[i] = store.AppendSyntheticKey(nil, int64(i))
	}
	reqs := []Request{
		{Op: units.OpGet, ViaDAX: true}, {Op: units.OpQuery, ViaDAX: true}, {Op: units.OpPut, Size: 2 * kb, ViaDAX: true},
		{Op: units.OpUpdate, Size: 3 * kb}, {Op: units.OpQuery, Index: 1, ViaDAX: true}, {Op: units.OpQuery, Index: 2},
	}
	now, i := sim.Second, 0
	run := func() {
		r := reqs[i%len(reqs)]
		r.Key = keys[(i*7)%len(keys)]
		svc.Handle(now, &r)
		now += sim.Millisecond
		i++
	}
	for range 5000 {
		run() // grow the caches
	}
	if allocs := testing.AllocsPerRun(1000, run); allocs != 0 {
		t.Errorf("%v allocations per request, want 0", allocs)
	}
}

// Batch and transactional writes fan out to indexes as single writes do;
// index writes are plain writes, not transactional ones.
func TestIndexWritesOfBatchesAndTransactions(t *testing.T) {
	for _, op := range []units.Op{units.OpBatchWrite, units.OpTransactWrite} {
		t.Run(op.String(), func(t *testing.T) {
			svc, rec := newTestServiceWith(t, DefaultParams(), indexTable(IndexConfig{Name: "g",
				Schema: store.KeySchema{PartitionKey: "g"}, Keys: 10, ReadCapacity: 1000, WriteCapacity: 1000}))
			req := Request{Op: op, Items: []BatchItem{
				{Key: store.AppendSyntheticKey(nil, 500), Size: kb}, {Key: store.AppendSyntheticKey(nil, 501), Size: 2 * kb}}}
			if resp := svc.Handle(sim.Second, &req); !resp.Admitted() {
				t.Fatalf("throttled: %v", resp.Reason)
			}
			if got := rec.consumedBy[1][1]; got != units.WholeUnits(3) {
				t.Errorf("index write units %v, want 1 + 2", got)
			}
			if g := svc.Tables()[1].gsi; g.entries != 102 {
				t.Errorf("%d index entries after 2 new items on 100, want 102", g.entries)
			}
		})
	}
}

// BenchmarkHandleDAXAndIndexes: a GetItem through DAX (item cache of
// 4,096 entries, every key cached: a hit, and a hit's bookkeeping), a
// query through the query cache, and a put fanning out to a global index.
func BenchmarkHandleDAXAndIndexes(b *testing.B) {
	cfg := TableConfig{Name: "t", Schema: store.KeySchema{PartitionKey: "pk"}, ReadCapacity: 40000, WriteCapacity: 40000,
		ItemCount: 100000, ItemSize: 1024,
		Indexes: []IndexConfig{{Name: "g", Schema: store.KeySchema{PartitionKey: "g"}, Keys: 1000, Projection: ProjectKeysOnly,
			ReadCapacity: 40000, WriteCapacity: 40000}}}
	svc, err := NewService([]TableConfig{cfg}, DefaultParams(), latency.DefaultLatency(), rand.New(rand.NewPCG(1, 1)), &countingRecorder{})
	if err != nil {
		b.Fatal(err)
	}
	if _, err := svc.AddDAX(cache.ClusterConfig{Name: "c", Nodes: 11, NodeType: "dax.r5.8xlarge", ItemTTL: 100 * sim.Hour,
		QueryTTL: 100 * sim.Hour}, []int{0}); err != nil {
		b.Fatal(err)
	}
	keys := make([][]byte, 4096)
	for i := range keys {
		keys[i] = store.AppendSyntheticKey(nil, int64(i*24))
	}
	for _, tc := range []struct {
		name string
		req  Request
	}{
		{"dax-get-hit", Request{Op: units.OpGet, ViaDAX: true}},
		{"dax-query-hit", Request{Op: units.OpQuery, ViaDAX: true}},
		{"put-with-gsi", Request{Op: units.OpPut, Size: 1024}},
	} {
		b.Run(tc.name, func(b *testing.B) {
			b.ReportAllocs()
			now := sim.Time(0)
			for i := range keys { // warm the caches
				req := tc.req
				req.Key = keys[i]
				svc.Handle(now, &req)
			}
			i := 0
			for b.Loop() {
				now += 100 * sim.Microsecond
				req := tc.req
				req.Key = keys[i%len(keys)]
				i++
				svc.Handle(now, &req)
			}
		})
	}
}

// REFERENCE: gsi; AWS Developer Guide, "Local secondary indexes" (item
// collection size limit): once a collection is over 10 GB the service
// refuses writes that add items or enlarge them, with
// ItemCollectionSizeLimitExceededException, and still allows those that
// shrink it. A collection of 30,000 items of 390 KB holds 11.2 GiB.
func TestOverLimitItemCollectionStillShrinks(t *testing.T) {
	cfg := TableConfig{Name: "t", Schema: store.KeySchema{PartitionKey: "pk", SortKey: "sk"},
		Mode: OnDemand, ItemCount: 30_000, ItemSize: 390 * kb, ItemsPerKey: 30_000,
		Indexes: []IndexConfig{{Name: "l", Local: true, Schema: store.KeySchema{PartitionKey: "pk", SortKey: "l"},
			Projection: ProjectKeysOnly}}}
	for _, tc := range []struct {
		name string
		req  Request
		want ErrorKind
	}{
		{"a new item", Request{Op: units.OpPut, SortIndex: 40_000, Size: kb}, ErrItemCollectionTooLarge},
		{"an item grown to 400 KB", Request{Op: units.OpUpdate, SortIndex: 7, Size: units.MaxItemSize}, ErrItemCollectionTooLarge},
		{"an item rewritten at its size", Request{Op: units.OpPut, SortIndex: 7, Size: 390 * kb}, NoError},
		{"an item shrunk to 1 KB", Request{Op: units.OpUpdate, SortIndex: 7, Size: kb}, NoError},
		{"an item replaced by a smaller one", Request{Op: units.OpPut, SortIndex: 8, Size: 100 * kb}, NoError},
		{"an item deleted", Request{Op: units.OpDelete, SortIndex: 9}, NoError},
	} {
		t.Run(tc.name, func(t *testing.T) {
			svc, _ := newTestServiceWith(t, DefaultParams(), cfg)
			req := tc.req
			req.Key = store.AppendSyntheticKey(nil, 0)
			if resp := svc.Handle(sim.Second, &req); resp.Error != tc.want {
				t.Errorf("error %v, want %v", resp.Error, tc.want)
			}
		})
	}
}
