package model

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/ddbsim/ddbsim/model/latency"
	"github.com/ddbsim/ddbsim/model/store"
	"github.com/ddbsim/ddbsim/model/units"
	"github.com/ddbsim/ddbsim/sim"
)

// batchRecorder counts what batches report: one Consumed call per
// admitted part, one Throttle per throttled part. Once its maps hold
// every partition it does not allocate.
type batchRecorder struct {
	consumedCalls  int
	consumedParts  map[int]int // partition -> Consumed calls
	read, write    units.Units
	throttles      int
	throttledParts map[int]int             // partition -> Throttle calls
	reasons        [16]ThrottleReason      // of the first 16 throttles
	ops            [units.NumOps]int       // throttles by operation
	byReason       [NumThrottleReasons]int // throttles by reason
}

func newBatchRecorder() *batchRecorder {
	return &batchRecorder{consumedParts: map[int]int{}, throttledParts: map[int]int{}}
}

func (r *batchRecorder) Consumed(_ sim.Time, _, partition int, read, write units.Units) {
	r.consumedCalls++
	r.consumedParts[partition]++
	r.read += read
	r.write += write
}
func (r *batchRecorder) Throttle(_ sim.Time, ev *ThrottleEvent) {
	if r.throttles < len(r.reasons) {
		r.reasons[r.throttles] = ev.Reason
	}
	r.throttles++
	r.throttledParts[ev.Partition]++
	r.ops[ev.Op]++
	r.byReason[ev.Reason]++
}
func (r *batchRecorder) Retry(sim.Time, int, units.Op)     {}
func (r *batchRecorder) Finish(Outcome)                    {}
func (r *batchRecorder) Sample(sim.Time, int, *TableState) {}
func (r *batchRecorder) Event(sim.Time, CapacityEvent)     {}
func (r *batchRecorder) Cache(sim.Time, *CacheEvent)       {}
func (r *batchRecorder) Global(sim.Time, *GlobalEvent)     {}
func (r *batchRecorder) reset()                            { *r = *newBatchRecorder() }

// newBatchService is one table under the first-cut admission (no burst,
// no adaptive capacity: each partition's one-second share decides), with
// a batchRecorder.
func newBatchService(t *testing.T, cfg TableConfig) (*Service, *batchRecorder) {
	t.Helper()
	if cfg.Schema.PartitionKey == "" {
		cfg.Schema.PartitionKey = "pk"
	}
	rec := newBatchRecorder()
	svc, err := NewService([]TableConfig{cfg}, noBurst(), latency.DefaultLatency(), rand.New(rand.NewPCG(1, 1)), rec)
	if err != nil {
		t.Fatal(err)
	}
	return svc, rec
}

// batchKeysIn returns n synthetic keys, from index from on, whose hashes
// fall in partition p of tb.
func batchKeysIn(tb *Table, p, n int, from int64) [][]byte {
	var keys [][]byte
	for i := from; len(keys) < n; i++ {
		k := store.AppendSyntheticKey(nil, i)
		if tb.PartitionOf(store.HashKey(k)) == p {
			keys = append(keys, k)
		}
	}
	return keys
}

func itemsOf(keys [][]byte, size int) []BatchItem {
	items := make([]BatchItem, len(keys))
	for i, k := range keys {
		items[i] = BatchItem{Key: k, Size: size}
	}
	return items
}

// REFERENCE: units — "BatchGetItem ... rounds each item separately, then
// sums", unlike Query, which "sums the sizes of all items it reads and
// rounds once"; "BatchWriteItem ... rounds each item separately", each
// put priced as PutItem (the larger of the old and new item).
func TestBatchChargesEachItem(t *testing.T) {
	tests := []struct {
		name        string
		op          units.Op
		consistency units.Consistency
		stored      []int // sizes of the items at sort-key indexes 0, 1, ... (0: none)
		items       []BatchItem
		read, write float64
	}{
		{"batch_get strong of 1.5 KB and 6.5 KB: 1 + 2", units.OpBatchGet, units.Strong, []int{1536, 6656},
			[]BatchItem{{SortIndex: 0}, {SortIndex: 1}}, 3, 0},
		{"batch_get eventual of 1.5 KB and 6.5 KB: 0.5 + 1", units.OpBatchGet, units.Eventual, []int{1536, 6656},
			[]BatchItem{{SortIndex: 0}, {SortIndex: 1}}, 1.5, 0},
		{"batch_get strong of a missing item: the minimum", units.OpBatchGet, units.Strong, nil,
			[]BatchItem{{SortIndex: 7}}, 1, 0},
		{"batch_get eventual of 4 KB and a miss", units.OpBatchGet, units.Eventual, []int{4096},
			[]BatchItem{{SortIndex: 0}, {SortIndex: 5}}, 1, 0},
		{"batch_write of 1 KB over 3.5 KB: the larger", units.OpBatchWrite, units.Eventual, []int{3584},
			[]BatchItem{{SortIndex: 0, Size: 1024}}, 0, 4},
		{"batch_write of 1 KB and 1.5 KB new items: 1 + 2", units.OpBatchWrite, units.Eventual, nil,
			[]BatchItem{{SortIndex: 0, Size: 1024}, {SortIndex: 1, Size: 1536}}, 0, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			svc, rec := newBatchService(t, TableConfig{Name: "t", Schema: store.KeySchema{PartitionKey: "pk", SortKey: "sk"},
				ReadCapacity: 1000, WriteCapacity: 1000})
			st := svc.Tables()[0].Store()
			pk := []byte("collection")
			for i, size := range tt.stored {
				st.PutSized(pk, int64(i), size)
			}
			var sizes []int // what BatchGetUnits and BatchWriteUnits are given
			for i := range tt.items {
				tt.items[i].Key = pk
				old, existed := st.SizeOf(pk, tt.items[i].SortIndex)
				if tt.op == units.OpBatchWrite && (!existed || tt.items[i].Size > old) {
					old = tt.items[i].Size
				}
				sizes = append(sizes, old)
			}
			req := Request{Op: tt.op, Consistency: tt.consistency, Items: tt.items}
			resp := svc.Handle(0, &req)
			if !resp.Admitted() || resp.Unprocessed != 0 {
				t.Fatalf("throttled: %+v", resp)
			}
			if resp.Read.Float() != tt.read || resp.Write.Float() != tt.write {
				t.Errorf("consumed %v RCU, %v WCU; want %v, %v", resp.Read, resp.Write, tt.read, tt.write)
			}
			if rec.read != resp.Read || rec.write != resp.Write || rec.consumedCalls != len(tt.items) {
				t.Errorf("recorder saw %v RCU, %v WCU in %d calls; want the response's, in one call per part",
					rec.read, rec.write, rec.consumedCalls)
			}
			want := units.BatchGetUnits(sizes, tt.consistency)
			got := resp.Read
			if tt.op == units.OpBatchWrite {
				want, got = units.BatchWriteUnits(sizes), resp.Write
			}
			if got != want {
				t.Errorf("consumed %v, but BatchGetUnits/BatchWriteUnits price the same items at %v", got, want)
			}
		})
	}

	t.Run("a query of the same two items rounds once: 2", func(t *testing.T) {
		svc, _ := newBatchService(t, TableConfig{Name: "t", Schema: store.KeySchema{PartitionKey: "pk", SortKey: "sk"},
			ReadCapacity: 1000, WriteCapacity: 1000})
		st := svc.Tables()[0].Store()
		pk := []byte("collection")
		st.PutSized(pk, 0, 1536)
		st.PutSized(pk, 1, 6656)
		resp := svc.Handle(0, &Request{Op: units.OpQuery, Consistency: units.Strong, Key: pk})
		if resp.Read != units.WholeUnits(2) {
			t.Errorf("query consumed %v RCU, want 2", resp.Read)
		}
	})

	t.Run("batch_write of 25 x 1 KB: 25 WCU", func(t *testing.T) {
		svc, rec := newBatchService(t, TableConfig{Name: "t", ReadCapacity: 1000, WriteCapacity: 1000})
		items := make([]BatchItem, MaxBatchWriteItems)
		for i := range items {
			items[i] = BatchItem{Key: store.AppendSyntheticKey(nil, int64(i)), Size: 1024}
		}
		resp := svc.Handle(0, &Request{Op: units.OpBatchWrite, Items: items})
		if resp.Write != units.WholeUnits(25) || resp.Read != 0 || resp.Unprocessed != 0 {
			t.Errorf("consumed %v WCU, %v RCU, %d unprocessed; want 25, 0, 0", resp.Write, resp.Read, resp.Unprocessed)
		}
		if rec.consumedCalls != 25 {
			t.Errorf("%d Consumed calls, want one per part", rec.consumedCalls)
		}
		if st := svc.Tables()[0].Store(); st.Len() != 25 {
			t.Errorf("%d items stored, want 25", st.Len())
		}
	})
}

// REFERENCE: throttling — "Batch operations return throttled parts as
// UnprocessedKeys/UnprocessedItems and fail only if every part fails."
// Four partitions of 10 units/s each; partition 2's share is spent first,
// so the parts of a batch that land there, and only those, come back
// unprocessed, at the front of the request's items in the order sent,
// each one throttle event.
func TestBatchPartialThrottling(t *testing.T) {
	for _, op := range []units.Op{units.OpBatchGet, units.OpBatchWrite} {
		t.Run(op.String(), func(t *testing.T) {
			svc, rec := newBatchService(t, TableConfig{Name: "t", ReadCapacity: 40, WriteCapacity: 40, Partitions: 4})
			tb := svc.Tables()[0]
			if tb.Partitions() != 4 {
				t.Fatalf("%d partitions, want 4", tb.Partitions())
			}
			// Spend partition 2's one-second share (10 units) on
			// single-item requests of 1 unit each.
			for _, k := range batchKeysIn(tb, 2, 10, 1000) {
				single := Request{Op: units.OpGet, Consistency: units.Strong, Key: k}
				if op == units.OpBatchWrite {
					single = Request{Op: units.OpPut, Key: k, Size: 1024}
				}
				if !svc.Handle(0, &single).Admitted() {
					t.Fatal("warm-up request throttled")
				}
			}
			rec.reset()

			// 12 parts, 3 on each partition, interleaved: p0 p1 p2 p3 p0 ...
			var keys, hot [][]byte
			per := [][][]byte{batchKeysIn(tb, 0, 3, 0), batchKeysIn(tb, 1, 3, 0), batchKeysIn(tb, 2, 3, 0), batchKeysIn(tb, 3, 3, 0)}
			for i := range 3 {
				for p := range 4 {
					keys = append(keys, per[p][i])
				}
			}
			hot = per[2]
			items := itemsOf(keys, 1024)
			req := Request{Op: op, Consistency: units.Strong, Items: items}
			resp := svc.Handle(0, &req)

			if !resp.Admitted() || resp.Reason != NotThrottled {
				t.Fatalf("batch throttled whole (%v) though 9 of 12 parts fit", resp.Reason)
			}
			if resp.Unprocessed != 3 {
				t.Fatalf("%d parts unprocessed, want the 3 on partition 2", resp.Unprocessed)
			}
			var front [][]byte
			for _, it := range req.Items[:resp.Unprocessed] {
				front = append(front, it.Key)
			}
			if !slices.EqualFunc(front, hot, func(a, b []byte) bool { return string(a) == string(b) }) {
				t.Errorf("unprocessed parts %q, want partition 2's %q in the order sent", front, hot)
			}
			// The processed parts are all still there, behind them.
			var all []string
			for _, it := range req.Items {
				all = append(all, string(it.Key))
			}
			var sent []string
			for _, k := range keys {
				sent = append(sent, string(k))
			}
			slices.Sort(all)
			slices.Sort(sent)
			if !slices.Equal(all, sent) {
				t.Errorf("the request's items changed: %q, sent %q", all, sent)
			}
			wantReason := TableReadKeyRangeThroughputExceeded
			if op == units.OpBatchWrite {
				wantReason = TableWriteKeyRangeThroughputExceeded
			}
			if resp.UnprocessedReason != wantReason {
				t.Errorf("unprocessed reason %v, want %v", resp.UnprocessedReason, wantReason)
			}
			if rec.throttles != 3 || rec.throttledParts[2] != 3 {
				t.Errorf("%d throttle events (%v by partition), want 3 on partition 2", rec.throttles, rec.throttledParts)
			}
			if rec.ops[op] != 3 || rec.byReason[wantReason] != 3 {
				t.Errorf("throttle events by op %v, by reason %v; want 3 of %v, %v", rec.ops, rec.byReason, op, wantReason)
			}
			if rec.consumedCalls != 9 || rec.consumedParts[2] != 0 {
				t.Errorf("%d Consumed calls (%v by partition), want 9, none on partition 2", rec.consumedCalls, rec.consumedParts)
			}
			if got := resp.Read + resp.Write; got != units.WholeUnits(9) {
				t.Errorf("consumed %v units, want 9: the admitted parts only", got)
			}
			if op == units.OpBatchWrite {
				st := tb.Store()
				for _, it := range req.Items {
					_, stored := st.SizeOf(it.Key, 0)
					if unprocessed := slices.ContainsFunc(hot, func(k []byte) bool { return string(k) == string(it.Key) }); stored == unprocessed {
						t.Errorf("key %s: stored %v, unprocessed %v: want exactly the admitted puts stored", it.Key, stored, unprocessed)
					}
				}
			}

			// Two seconds later the partition has its share again (a new
			// bucket's refill starts after its first second, which its
			// balance prepaid: capacity.NewFreshBucket): the retry of
			// exactly the unprocessed parts is served whole.
			rec.reset()
			req.Items = req.Items[:resp.Unprocessed]
			resp = svc.Handle(2*sim.Second, &req)
			if !resp.Admitted() || resp.Unprocessed != 0 || resp.Read+resp.Write != units.WholeUnits(3) {
				t.Errorf("retry of the unprocessed parts: %+v, want 3 units and nothing unprocessed", resp)
			}
			if rec.consumedCalls != 3 || rec.consumedParts[2] != 3 {
				t.Errorf("retry: %v Consumed calls by partition, want 3 on partition 2", rec.consumedParts)
			}
		})
	}
}

// A batch is throttled as a whole only when every part is, with the first
// part's reason; one admitted part makes it a partial success.
func TestBatchFailsOnlyWhenEveryPartFails(t *testing.T) {
	tests := []struct {
		name            string
		partitions      []int // the partition of each part; partition 2 is exhausted
		wantUnprocessed int
		wantThrottled   bool
	}{
		{"every part on the exhausted partition", []int{2, 2, 2}, 3, true},
		{"one part elsewhere", []int{2, 2, 0, 2}, 3, false},
		{"first part elsewhere", []int{1, 2, 2}, 2, false},
		{"no part on it", []int{0, 1, 3}, 0, false},
		{"a single part, throttled", []int{2}, 1, true},
	}
	for _, op := range []units.Op{units.OpBatchGet, units.OpBatchWrite} {
		for _, tt := range tests {
			t.Run(op.String()+"/"+tt.name, func(t *testing.T) {
				svc, rec := newBatchService(t, TableConfig{Name: "t", ReadCapacity: 40, WriteCapacity: 40, Partitions: 4})
				tb := svc.Tables()[0]
				hot := Request{Op: op, Consistency: units.Strong, Items: itemsOf(batchKeysIn(tb, 2, 10, 1000), 1024)}
				if r := svc.Handle(0, &hot); r.Unprocessed != 0 {
					t.Fatalf("warm-up batch: %d unprocessed", r.Unprocessed)
				}
				rec.reset()
				used := map[int]int{} // parts so far on each partition: distinct keys
				var items []BatchItem
				for _, p := range tt.partitions {
					k := batchKeysIn(tb, p, used[p]+1, 0)[used[p]]
					used[p]++
					items = append(items, BatchItem{Key: k, Size: 1024})
				}
				req := Request{Op: op, Consistency: units.Strong, Items: items}
				resp := svc.Handle(0, &req)
				if resp.Unprocessed != tt.wantUnprocessed || resp.Admitted() == tt.wantThrottled {
					t.Fatalf("unprocessed %d, admitted %v; want %d, %v", resp.Unprocessed, resp.Admitted(), tt.wantUnprocessed, !tt.wantThrottled)
				}
				if rec.throttles != tt.wantUnprocessed {
					t.Errorf("%d throttle events, want one per unprocessed part (%d)", rec.throttles, tt.wantUnprocessed)
				}
				if tt.wantThrottled {
					if resp.Reason == NotThrottled || resp.Reason != rec.reasons[0] || resp.Read+resp.Write != 0 {
						t.Errorf("throttled batch: reason %v (first part's %v), consumed %v", resp.Reason, rec.reasons[0], resp.Read+resp.Write)
					}
				} else if resp.Reason != NotThrottled {
					t.Errorf("partial batch has reason %v", resp.Reason)
				}
				if tt.wantUnprocessed > 0 && resp.UnprocessedReason != rec.reasons[0] {
					t.Errorf("unprocessed reason %v, want the first throttled part's %v", resp.UnprocessedReason, rec.reasons[0])
				}
				if tt.wantUnprocessed == 0 && resp.UnprocessedReason != NotThrottled {
					t.Errorf("unprocessed reason %v with nothing unprocessed", resp.UnprocessedReason)
				}
			})
		}
	}
}

// Admitted puts of a batch move the partition's byte count as single puts
// do, and throttled ones leave it alone.
func TestBatchWriteCountsPartitionBytes(t *testing.T) {
	svc, _ := newBatchService(t, TableConfig{Name: "t", ReadCapacity: 40, WriteCapacity: 40, Partitions: 4})
	tb := svc.Tables()[0]
	before := make([]int64, 4)
	for i := range before {
		before[i] = tb.Partition(i).bytes
	}
	keys := append(batchKeysIn(tb, 0, 2, 0), batchKeysIn(tb, 3, 1, 0)...)
	req := Request{Op: units.OpBatchWrite, Items: itemsOf(keys, 2048)}
	if resp := svc.Handle(0, &req); resp.Unprocessed != 0 {
		t.Fatalf("%d unprocessed", resp.Unprocessed)
	}
	if d0, d3 := tb.Partition(0).bytes-before[0], tb.Partition(3).bytes-before[3]; d0 != 2*2048 || d3 != 2048 {
		t.Errorf("partition bytes grew by %d and %d, want %d and %d", d0, d3, 2*2048, 2048)
	}
}

// The batch path allocates nothing (DESIGN: Principles): full batches of
// 100 reads and 25 puts over existing items, and batches that are partly
// throttled, whose unprocessed parts are reordered in place.
func TestBatchDoesNotAllocate(t *testing.T) {
	cases := []struct {
		name     string
		op       units.Op
		n        int
		capacity int64 // RCU and WCU
	}{
		{"batch_get of 100", units.OpBatchGet, MaxBatchGetItems, 40000},
		{"batch_write of 25", units.OpBatchWrite, MaxBatchWriteItems, 40000},
		{"batch_get partly throttled", units.OpBatchGet, MaxBatchGetItems, 200},
		{"batch_write partly throttled", units.OpBatchWrite, MaxBatchWriteItems, 50},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			svc, rec := newBatchService(t, TableConfig{Name: "t", ReadCapacity: c.capacity, WriteCapacity: c.capacity,
				ItemCount: 1000, ItemSize: 1024})
			items := make([]BatchItem, c.n)
			for i := range items {
				items[i] = BatchItem{Key: store.AppendSyntheticKey(nil, int64(i)), Size: 1024}
			}
			req := Request{Op: c.op, Consistency: units.Strong}
			now := sim.Time(0)
			run := func() {
				now += 10 * sim.Millisecond
				req.Items = items
				svc.Handle(now, &req)
			}
			for range 10 {
				run()
			}
			if allocs := testing.AllocsPerRun(300, run); allocs != 0 {
				t.Errorf("%.2f allocations per batch, want 0", allocs)
			}
			throttled := c.capacity < 1000
			if (rec.throttles > 0) != throttled || rec.consumedCalls == 0 {
				t.Errorf("%d throttled parts, %d admitted: the case should throttle: %v", rec.throttles, rec.consumedCalls, throttled)
			}
		})
	}
}

// Handle refuses what the service would reject as invalid: an empty batch
// or one over its operation's limit (the scenario parser prevents both).
func TestBatchLimits(t *testing.T) {
	svc, _ := newBatchService(t, TableConfig{Name: "t", ReadCapacity: 40000, WriteCapacity: 40000})
	for _, tt := range []struct {
		op units.Op
		n  int
	}{{units.OpBatchGet, 0}, {units.OpBatchGet, 101}, {units.OpBatchWrite, 26}} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%v of %d items did not panic", tt.op, tt.n)
				}
			}()
			svc.Handle(0, &Request{Op: tt.op, Items: itemsOf(make([][]byte, tt.n), 1)})
		}()
	}
	if MaxBatchItems(units.OpBatchGet) != 100 || MaxBatchItems(units.OpBatchWrite) != 25 || MaxBatchItems(units.OpGet) != 0 {
		t.Error("MaxBatchItems disagrees with REFERENCE: units (100 gets, 25 writes)")
	}
}

// A batch_write's DeleteRequest and a transaction's Delete cost the item
// deleted and remove it; a transaction's ConditionCheck costs a
// transactional write of the item there and changes nothing
// (REFERENCE: units).
func TestDeletesAndChecksInBatchesAndTransactions(t *testing.T) {
	svc, _ := newBatchService(t, TableConfig{Name: "t", ReadCapacity: 1000, WriteCapacity: 1000, ItemCount: 10, ItemSize: 3000})
	st := svc.Tables()[0].Store()
	k := func(i int) []byte { return store.AppendSyntheticKey(nil, int64(i)) }
	resp := svc.Handle(0, &Request{Op: units.OpBatchWrite, Items: []BatchItem{{Key: k(1), Delete: true}, {Key: k(2), Size: 500}, {Key: []byte("none"), Delete: true}}})
	if got := resp.Write.Float(); got != 3+3+1 { // 3 KB deleted, 500 B over 3 KB, a missing item the minimum
		t.Errorf("batch of a delete, a put and a delete of nothing: %v WCU, want 7", got)
	}
	if _, found := st.SizeOf(k(1), 0); found {
		t.Error("the deleted item is still there")
	}
	resp = svc.Handle(sim.Second, &Request{Op: units.OpTransactWrite, Items: []BatchItem{{Key: k(3), Delete: true}, {Key: k(4), Check: true}}})
	if got := resp.Write.Float(); got != 6+6 { // two 3 KB items at the transactional rate
		t.Errorf("transaction of a delete and a check: %v WCU, want 12", got)
	}
	if _, found := st.SizeOf(k(3), 0); found {
		t.Error("the transaction's deleted item is still there")
	}
	if size, found := st.SizeOf(k(4), 0); !found || size != 3000 {
		t.Errorf("the checked item: %d B, found %v; want it unchanged", size, found)
	}
}
