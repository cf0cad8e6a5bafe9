package model

import (
	"testing"

	"github.com/ddbsim/ddbsim/model/store"
	"github.com/ddbsim/ddbsim/model/units"
	"github.com/ddbsim/ddbsim/sim"
)

// REFERENCE: units — "A conditional write whose condition fails still
// consumes write units: the new item's size if the item existed, 1 unit if
// it did not", and it changes nothing.
func TestConditionalFailure(t *testing.T) {
	tests := []struct {
		name    string
		req     Request
		wantWCU float64
	}{
		{"put over a 3.5 KB item, new item 1.5 KB", Request{Op: units.OpPut, Key: []byte("k1"), Size: 1536}, 2},
		{"put of a new key", Request{Op: units.OpPut, Key: []byte("nope"), Size: 5 * kb}, 1},
		{"update of a 3.5 KB item to 5 KB", Request{Op: units.OpUpdate, Key: []byte("k1"), Size: 5 * kb}, 5},
		{"delete of a 3.5 KB item", Request{Op: units.OpDelete, Key: []byte("k1")}, 4},
		{"delete of a missing key", Request{Op: units.OpDelete, Key: []byte("nope")}, 1},
	}
	for _, tt := range tests {
		svc, _ := newTestService(t, TableConfig{Name: "t", ReadCapacity: 100, WriteCapacity: 100, ItemCount: 10, ItemSize: 3584})
		st := svc.Tables()[0].Store()
		before, _ := st.SizeOf(tt.req.Key, 0)
		tt.req.ConditionFails = true
		resp := svc.Handle(0, &tt.req)
		if !resp.Admitted() || !resp.ConditionFailed {
			t.Errorf("%s: admitted %v, condition failed %v", tt.name, resp.Admitted(), resp.ConditionFailed)
		}
		if resp.Write.Float() != tt.wantWCU {
			t.Errorf("%s: %v WCU, want %v", tt.name, resp.Write, tt.wantWCU)
		}
		if after, _ := st.SizeOf(tt.req.Key, 0); after != before || st.Len() != 10 {
			t.Errorf("%s: the failed write changed the item (%d -> %d bytes, %d items)", tt.name, before, after, st.Len())
		}
	}
}

// Query reads a sort-key range: from an index on, up to its limit, summed
// and rounded once (REFERENCE: units).
func TestQueryRange(t *testing.T) {
	svc, _ := newTestService(t, TableConfig{Name: "t", Schema: store.KeySchema{PartitionKey: "pk", SortKey: "sk"},
		ReadCapacity: 1000, WriteCapacity: 1, ItemCount: 100, ItemSize: 1000, ItemsPerKey: 20})
	key := store.AppendSyntheticKey(nil, 2)
	tests := []struct {
		from         int64
		limit        int
		wantRCU      float64
		wantReadable int
	}{
		{0, 0, 2.5, 20},  // 20 x 1000 B = 19.5 KB -> 5 blocks, eventual 2.5
		{15, 0, 1, 5},    // 5 items = 4.9 KB -> 2 blocks -> 1
		{15, 3, 0.5, 3},  // 3 items = 2.9 KB -> 1 block -> 0.5
		{19, 10, 0.5, 1}, // the last item
		{25, 10, 0.5, 0}, // past the end: empty, the minimum
	}
	for _, tt := range tests {
		n, bytes := svc.Tables()[0].Store().QueryFromSized(key, tt.from, tt.limit)
		req := Request{Op: units.OpQuery, Key: key, SortFrom: tt.from, Limit: tt.limit}
		resp := svc.Handle(0, &req)
		if n != tt.wantReadable || bytes != 1000*n || resp.Read.Float() != tt.wantRCU {
			t.Errorf("query from %d limit %d: %d items, %d B, %v RCU; want %d items, %v RCU",
				tt.from, tt.limit, n, bytes, resp.Read, tt.wantReadable, tt.wantRCU)
		}
	}
}

// REFERENCE: units — transactions cost the transactional rate, twice a
// plain read or write, item by item; a transaction is all or nothing.
func TestTransactions(t *testing.T) {
	svc, rec := newTestService(t, TableConfig{Name: "t", ReadCapacity: 100, WriteCapacity: 20, ItemCount: 10, ItemSize: 3584})
	items := func(sizes ...int) []BatchItem {
		var its []BatchItem
		for i, size := range sizes {
			its = append(its, BatchItem{Key: store.AppendSyntheticKey(nil, int64(i)), Size: size})
		}
		return its
	}
	get := Request{Op: units.OpTransactGet, Items: items(0, 0, 0)}
	if resp := svc.Handle(0, &get); !resp.Admitted() || resp.Read.Float() != 6 {
		t.Fatalf("transact_get of three 3.5 KB items: %v RCU, want 3 x 2 = 6", resp.Read)
	}
	// Over existing 3.5 KB items the larger size counts: 4 KB x 2 = 8 each.
	write := Request{Op: units.OpTransactWrite, Items: items(1024, 1024)}
	if resp := svc.Handle(0, &write); !resp.Admitted() || resp.Write.Float() != 16 {
		t.Fatalf("transact_write of two items over 3.5 KB ones: %v WCU, want 16", resp.Write)
	}
	// Only 4 WCU are left this second: the next transaction, a 5 KB
	// write (10 units), is cancelled whole and writes nothing.
	st := svc.Tables()[0].Store()
	before := st.Bytes()
	again := Request{Op: units.OpTransactWrite, Items: items(5 * kb)}
	if resp := svc.Handle(0, &again); resp.Admitted() {
		t.Fatalf("a transaction over the capacity left was admitted")
	}
	if st.Bytes() != before || rec.consumedWrite != units.WholeUnits(16) {
		t.Fatalf("a cancelled transaction wrote (%d -> %d bytes) or consumed (%v WCU)", before, st.Bytes(), rec.consumedWrite)
	}
	// Two seconds later there is room again (a new table's first second
	// is prepaid; its refill starts after it: capacity.NewFreshBucket).
	if resp := svc.Handle(2*sim.Second, &again); !resp.Admitted() {
		t.Fatalf("refused two seconds later: %v", resp.Reason)
	}
}

func TestTransactDoesNotAllocate(t *testing.T) {
	svc, _ := newTestService(t, TableConfig{Name: "t", ReadCapacity: 40000, WriteCapacity: 40000, ItemCount: 1000, ItemSize: 1000})
	var its []BatchItem
	for i := range 25 {
		its = append(its, BatchItem{Key: store.AppendSyntheticKey(nil, int64(i*7)), Size: 1000})
	}
	now := sim.Time(0)
	for _, op := range []units.Op{units.OpTransactGet, units.OpTransactWrite} {
		req := Request{Op: op, Items: its}
		svc.Handle(now, &req) // warm the reused buffers
		allocs := testing.AllocsPerRun(200, func() {
			now += sim.Second
			req := Request{Op: op, Items: its}
			svc.Handle(now, &req)
		})
		if allocs != 0 {
			t.Errorf("%v allocated %.1f times", op, allocs)
		}
	}
}

// A query or scan whose caller read real items itself (Request.Given) is
// priced by the bytes it says it read, rounded once (REFERENCE: units: a
// 40.8 KB eventually consistent query is 5.5 RCU), and admitted on the
// partition of the key hash it names; the model's own items are not read.
func TestGivenReadIsPricedByItsBytes(t *testing.T) {
	for _, tc := range []struct {
		name string
		op   units.Op
		c    units.Consistency
		want float64
	}{
		{"eventual query of 40.8 KB", units.OpQuery, units.Eventual, 5.5},
		{"strong query of 40.8 KB", units.OpQuery, units.Strong, 11},
		{"eventual scan of 40.8 KB", units.OpScan, units.Eventual, 5.5},
	} {
		t.Run(tc.name, func(t *testing.T) {
			svc, _ := newTestService(t, TableConfig{Name: "t", Schema: store.KeySchema{PartitionKey: "pk", SortKey: "sk"},
				ReadCapacity: 1000, WriteCapacity: 1000, ItemCount: 100, ItemSize: 1024, ItemsPerKey: 10})
			var cursor store.ScanCursor
			req := Request{Op: tc.op, Consistency: tc.c, Key: []byte("k1"), Cursor: &cursor,
				Given: true, ReadBytes: 41779, ReadHash: store.HashKey([]byte("k1"))} // 40.8 KB
			resp := svc.Handle(0, &req)
			if resp.Read.Float() != tc.want || resp.Reason != NotThrottled {
				t.Errorf("%v: %v RCU (%v), want %v", tc.op, resp.Read, resp.Reason, tc.want)
			}
			if cursor != (store.ScanCursor{}) {
				t.Errorf("a given scan moved the model's cursor to %+v", cursor)
			}
		})
	}
}
