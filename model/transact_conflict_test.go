package model

// Transaction conflicts (REFERENCE: units, transactions; DynamoDB's
// TransactionConflict): an admitted transact_write holds its items until
// its response; another transaction, or a plain write, that touches a
// held item is cancelled with ErrTransactionConflict, applying and
// consuming nothing.

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/ddbsim/ddbsim/model/store"
	"github.com/ddbsim/ddbsim/model/units"
	"github.com/ddbsim/ddbsim/sim"
)

func txItems(sk int64, keys ...int64) []BatchItem {
	var its []BatchItem
	for _, k := range keys {
		its = append(its, BatchItem{Key: store.AppendSyntheticKey(nil, k), SortIndex: sk, Size: 2000})
	}
	return its
}

func TestTransactionConflicts(t *testing.T) {
	svc, rec := newTestService(t, TableConfig{Name: "t", ReadCapacity: 1000, WriteCapacity: 1000, ItemCount: 100, ItemSize: 1000})
	st := svc.Tables()[0].Store()

	first := Request{Op: units.OpTransactWrite, Items: txItems(0, 1, 2)}
	r1 := svc.Handle(0, &first)
	if !r1.Admitted() || r1.Error != NoError || r1.Latency <= 0 {
		t.Fatalf("first transaction: %v %v, latency %v", r1.Reason, r1.Error, r1.Latency)
	}
	L := r1.Latency
	mid := L / 2
	bytes, read, write := st.Bytes(), rec.consumedRead, rec.consumedWrite
	unchanged := func(what string) {
		t.Helper()
		if st.Bytes() != bytes || rec.consumedRead != read || rec.consumedWrite != write {
			t.Errorf("%s: store %d -> %d B, consumed %v/%v -> %v/%v", what, bytes, st.Bytes(),
				read, write, rec.consumedRead, rec.consumedWrite)
		}
	}
	conflicts := func(what string, now sim.Time, req Request) {
		t.Helper()
		resp := svc.Handle(now, &req)
		if resp.Error != ErrTransactionConflict || resp.Read != 0 || resp.Write != 0 || resp.Latency <= 0 {
			t.Errorf("%s: %v, %v RCU, %v WCU, latency %v; want a free TransactionConflict", what, resp.Error,
				resp.Read, resp.Write, resp.Latency)
		}
		unchanged(what)
	}
	succeeds := func(what string, now sim.Time, req Request) Response {
		t.Helper()
		resp := svc.Handle(now, &req)
		if !resp.Admitted() || resp.Error != NoError {
			t.Errorf("%s: %v %v, want success", what, resp.Reason, resp.Error)
		}
		bytes, read, write = st.Bytes(), rec.consumedRead, rec.consumedWrite
		return resp
	}

	// While the first is in progress, its items conflict ...
	conflicts("transact_write of a held item", mid, Request{Op: units.OpTransactWrite, Items: txItems(0, 1)})
	conflicts("transact_get of a held item", mid, Request{Op: units.OpTransactGet, Items: txItems(0, 2)})
	// ... and a transaction one of whose items is held applies none.
	conflicts("transact_write of a free and a held item", mid, Request{Op: units.OpTransactWrite, Items: txItems(0, 5, 2)})
	if size, _ := st.SizeOf(store.AppendSyntheticKey(nil, 5), 0); size != 1000 {
		t.Errorf("the free item of a cancelled transaction was written: %d B", size)
	}
	// Plain writes of a held item conflict; plain reads do not.
	conflicts("put of a held item", mid, Request{Op: units.OpPut, Key: store.AppendSyntheticKey(nil, 1), Size: 10})
	conflicts("update of a held item", mid, Request{Op: units.OpUpdate, Key: store.AppendSyntheticKey(nil, 1), Size: 10})
	conflicts("delete of a held item", mid, Request{Op: units.OpDelete, Key: store.AppendSyntheticKey(nil, 2)})
	succeeds("get of a held item", mid, Request{Op: units.OpGet, Key: store.AppendSyntheticKey(nil, 1)})
	// The table has no sort key: the sort index does not make another item.
	conflicts("put of a held item at another sort index", mid, Request{Op: units.OpPut, Key: store.AppendSyntheticKey(nil, 1), SortIndex: 3, Size: 10})
	// Other items are free.
	succeeds("transact_write of other items", mid, Request{Op: units.OpTransactWrite, Items: txItems(0, 3, 4)})
	succeeds("put of another item", mid, Request{Op: units.OpPut, Key: store.AppendSyntheticKey(nil, 6), Size: 10})
	// Just before the first transaction's response the items are still
	// held; at it they are free.
	conflicts("transact_write just before the first's response", L-1, Request{Op: units.OpTransactWrite, Items: txItems(0, 1)})
	succeeds("transact_write at the first's response", L, Request{Op: units.OpTransactWrite, Items: txItems(0, 1)})
	// A transaction does not conflict with itself: the same item twice.
	succeeds("transact_write of one item twice", sim.Second, Request{Op: units.OpTransactWrite, Items: txItems(0, 7, 7)})
}

// With a sort key, an item is (partition key, sort key): holding one
// item of a collection leaves the others free.
func TestTransactionConflictsBySortKey(t *testing.T) {
	svc, _ := newTestService(t, TableConfig{Name: "t", Schema: store.KeySchema{PartitionKey: "pk", SortKey: "sk"},
		ReadCapacity: 1000, WriteCapacity: 1000, ItemCount: 40, ItemsPerKey: 4, ItemSize: 1000})
	r := svc.Handle(0, &Request{Op: units.OpTransactWrite, Items: txItems(1, 1)})
	if !r.Admitted() || r.Error != NoError {
		t.Fatalf("first transaction: %v %v", r.Reason, r.Error)
	}
	if resp := svc.Handle(r.Latency/2, &Request{Op: units.OpTransactWrite, Items: txItems(2, 1)}); resp.Error != NoError {
		t.Errorf("another item of the collection: %v, want success", resp.Error)
	}
	if resp := svc.Handle(r.Latency/2, &Request{Op: units.OpPut, Key: store.AppendSyntheticKey(nil, 1), SortIndex: 1, Size: 10}); resp.Error != ErrTransactionConflict {
		t.Errorf("put of the held item: %v, want a conflict", resp.Error)
	}
}

// A transaction's items may add up to 4 MB at most (REFERENCE: units).
func TestTransactMaxBytes(t *testing.T) {
	svc, _ := newTestService(t, TableConfig{Name: "t", ReadCapacity: 40000, WriteCapacity: 40000})
	big := func(n int) []BatchItem {
		its := txItems(0, make([]int64, n)...)
		for i := range its {
			its[i].Key = store.AppendSyntheticKey(nil, int64(i))
			its[i].Size = units.MaxItemSize
		}
		return its
	}
	// 10 items of 400 KB: 4,096,000 bytes, under 4 MB.
	if resp := svc.Handle(0, &Request{Op: units.OpTransactWrite, Items: big(10)}); resp.Error != NoError {
		t.Fatalf("10 items of 400 KB: %v %v", resp.Reason, resp.Error)
	}
	defer func() {
		if recover() == nil {
			t.Errorf("11 items of 400 KB (%d bytes) did not panic", 11*units.MaxItemSize)
		}
	}()
	svc.Handle(sim.Second, &Request{Op: units.OpTransactWrite, Items: big(11)})
}

// Under Poisson arrivals of transactions on one hot item, the conflict
// rate is that of a loss system with one server: an admitted transaction
// holds the item for its service time L, arrivals meanwhile are cancelled
// and hold nothing, so (Erlang's loss formula for one server, which holds
// for any distribution of L) the share cancelled is rho/(1+rho) with
// rho = rate x mean(L). (1 - exp(-rate L) would be the share if cancelled
// transactions held the item too.) The mean of L is measured from the
// admitted transactions.
func TestTransactionConflictRate(t *testing.T) {
	for _, rate := range []float64{10, 40, 100} {
		svc, _ := newTestService(t, TableConfig{Name: "t", ReadCapacity: 1000, WriteCapacity: 1000, ItemCount: 10, ItemSize: 500})
		r := rand.New(rand.NewPCG(7, uint64(rate)))
		items := []BatchItem{{Key: store.AppendSyntheticKey(nil, 3), Size: 500}}
		const n = 40_000
		var now sim.Time
		var conflicts, admitted int
		var latency float64
		for range n {
			now += sim.Time(r.ExpFloat64() / rate * float64(sim.Second))
			resp := svc.Handle(now, &Request{Op: units.OpTransactWrite, Items: items})
			switch {
			case !resp.Admitted():
				t.Fatalf("rate %v: throttled (%v)", rate, resp.Reason)
			case resp.Error == ErrTransactionConflict:
				conflicts++
			case resp.Error == NoError:
				admitted++
				latency += resp.Latency.Seconds()
			default:
				t.Fatalf("rate %v: %v", rate, resp.Error)
			}
		}
		rho := rate * latency / float64(admitted)
		want := rho / (1 + rho)
		got := float64(conflicts) / n
		t.Logf("rate %3.0f/s, mean L %.2f ms: rho %.3f, conflicts %.4f, Erlang loss %.4f (1-exp(-rho) %.4f)",
			rate, 1000*latency/float64(admitted), rho, got, want, 1-math.Exp(-rho))
		// The estimate's standard deviation is under 0.005 at 40,000
		// arrivals (somewhat more than the binomial 0.0025, as
		// consecutive outcomes are correlated).
		if math.Abs(got-want) > 0.015 {
			t.Errorf("rate %v/s: conflict rate %.4f, want %.4f", rate, got, want)
		}
	}
}

// The holds stay bounded under sustained load: expired holds are dropped
// and the table does not grow past a few times the items held at once,
// nor allocate once grown.
func TestTransactionHoldsBounded(t *testing.T) {
	svc, _ := newTestService(t, TableConfig{Name: "t", ReadCapacity: 40000, WriteCapacity: 40000, ItemCount: 100_000, ItemSize: 100})
	its := make([]BatchItem, 10)
	now := sim.Time(0)
	i := 0
	step := func() {
		// 1,000 transactions a second of 10 items each, about 10 in
		// progress at once: 100 items held.
		now += sim.Millisecond
		for j := range its {
			its[j] = BatchItem{Key: store.AppendSyntheticKey(its[j].Key[:0], int64((i*10+j)%100_000)), Size: 100}
		}
		i++
		req := Request{Op: units.OpTransactWrite, Items: its}
		if resp := svc.Handle(now, &req); resp.Error != NoError || !resp.Admitted() {
			t.Fatalf("transaction %d: %v %v", i, resp.Reason, resp.Error)
		}
	}
	heldNow := func() int {
		held := 0
		for _, sl := range svc.Tables()[0].txHeld().slots {
			if sl.until > now {
				held++
			}
		}
		return held
	}
	peak, sum, samples := 0, 0, 0
	for n := range 100_000 {
		step()
		if n%10 == 0 {
			held := heldNow()
			peak, sum, samples = max(peak, held), sum+held, samples+1
		}
	}
	slots := len(svc.Tables()[0].txHeld().slots)
	t.Logf("items held: %.0f on average, %d at the most; %d slots", float64(sum)/float64(samples), peak, slots)
	if slots > 8*max(peak, txInitialSlots/4) {
		t.Errorf("%d slots for at most %d items held", slots, peak)
	}
	if allocs := testing.AllocsPerRun(10_000, step); allocs != 0 {
		t.Errorf("a transaction allocated %.2f times", allocs)
	}
}
