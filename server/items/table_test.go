package items

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/ddbsim/ddbsim/model"
	"github.com/ddbsim/ddbsim/model/latency"
	"github.com/ddbsim/ddbsim/model/store"
	"github.com/ddbsim/ddbsim/model/units"
	"github.com/ddbsim/ddbsim/sim"
)

// serve makes a one-table service and serves its table.
func serve(t *testing.T, cfg model.TableConfig, params model.Params, defs ...IndexDef) *Table {
	t.Helper()
	if cfg.Name == "" {
		cfg.Name = "t"
	}
	if cfg.Schema.PartitionKey == "" {
		cfg.Schema = store.KeySchema{PartitionKey: "pk", SortKey: "sk"}
	}
	svc, err := model.NewService([]model.TableConfig{cfg}, params, latency.DefaultLatency(), rand.New(rand.NewPCG(1, 1)), nopRecorder{})
	if err != nil {
		t.Fatal(err)
	}
	return New(svc, 0, defs...)
}

// nopRecorder records nothing: these tests read what the model answers.
type nopRecorder struct{}

func (nopRecorder) Consumed(sim.Time, int, int, units.Units, units.Units) {}
func (nopRecorder) Throttle(sim.Time, *model.ThrottleEvent)               {}
func (nopRecorder) Retry(sim.Time, int, units.Op)                         {}
func (nopRecorder) Finish(model.Outcome)                                  {}
func (nopRecorder) Sample(sim.Time, int, *model.TableState)               {}
func (nopRecorder) Event(sim.Time, model.CapacityEvent)                   {}
func (nopRecorder) Cache(sim.Time, *model.CacheEvent)                     {}
func (nopRecorder) Global(sim.Time, *model.GlobalEvent)                   {}

func roomy() model.TableConfig {
	return model.TableConfig{Mode: model.Provisioned, ReadCapacity: 10000, WriteCapacity: 10000}
}

// item is {pk, sk, data} of about size bytes (exactly, for ASCII keys).
func item(pk string, sk store.Value, size int) store.Item {
	base := store.NewItem(store.Attribute{Name: "pk", Value: store.S(pk)}, store.Attribute{Name: "sk", Value: sk})
	pad := size - base.Size() - len("data")
	return store.NewItem(store.Attribute{Name: "pk", Value: store.S(pk)}, store.Attribute{Name: "sk", Value: sk},
		store.Attribute{Name: "data", Value: store.S(strings.Repeat("x", pad))})
}

// REFERENCE: units. The documented examples, through real items: a 3 KB
// put is 3 WCU, a 6 KB strongly consistent read 2 RCU (1 eventually
// consistent), a missing item the minimum, a query reading 40.8 KB
// eventually consistent 5.5 RCU, and a failed condition consumes the
// write of the new item over an existing one and changes nothing.
func TestDocumentedUnits(t *testing.T) {
	tb := serve(t, roomy(), model.DefaultParams())
	w, err := tb.Put(0, item("a", store.S("x"), 3*1024), Always)
	if err != nil || w.Write.Float() != 3 || !w.Written {
		t.Fatalf("3 KB put: %+v, %v; want 3 WCU, written", w, err)
	}
	if _, err := tb.Put(0, item("a", store.S("y"), 6*1024), Always); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		sk   string
		c    units.Consistency
		want float64
	}{{"y", units.Strong, 2}, {"y", units.Eventual, 1}, {"none", units.Eventual, 0.5}, {"none", units.Strong, 1}} {
		_, found, o := tb.Get(0, store.S("a"), store.S(tc.sk), tc.c)
		if o.Read.Float() != tc.want || found != (tc.sk == "y") {
			t.Errorf("get %s (%v): %v RCU, found %v; want %v", tc.sk, tc.c, o.Read, found, tc.want)
		}
	}
	for i := range 10 { // 10 items of 4,178 B: 41,780 B, 40.8 KB
		if _, err := tb.Put(0, item("q", store.N(fmt.Sprint(i)), 4178), Always); err != nil {
			t.Fatal(err)
		}
	}
	page := tb.Query(0, QueryInput{PK: store.S("q")})
	if page.Read.Float() != 5.5 || len(page.Items) != 10 || page.Scanned != 10 {
		t.Errorf("query of 40.8 KB: %v RCU, %d items; want 5.5, 10", page.Read, len(page.Items))
	}
	fails := func(store.Item, bool) (bool, error) { return false, nil }
	w, _ = tb.Put(0, item("a", store.S("x"), 1024), fails)
	if w.Err != model.ErrConditionalCheckFailed || w.Written || w.Write.Float() != 1 {
		t.Errorf("failed condition, 1 KB over a 3 KB item: %v WCU, %v, written %v; want 1 WCU consumed, nothing written", w.Write, w.Err, w.Written)
	}
	if got, _, _ := tb.Get(0, store.S("a"), store.S("x"), units.Eventual); got.Size() != 3*1024 {
		t.Errorf("after the failed condition the item is %d B, want the 3 KB one", got.Size())
	}
}

// The model prices what the client sees: an update consumes the larger
// of the item before and after, and a delete the item deleted; the
// model's copy of each item keeps its size, whatever its sort key.
func TestModelKeepsTheItemsSizes(t *testing.T) {
	tb := serve(t, roomy(), model.DefaultParams())
	keys := []store.Value{store.S("order#1"), store.N("7"), store.N("-2.5"), store.B([]byte{0, 1})}
	for i, sk := range keys {
		if _, err := tb.Put(0, item("p", sk, 2048+i*1024), Always); err != nil {
			t.Fatal(err)
		}
	}
	grow := func(old store.Item, _ bool) (store.Item, error) {
		attrs := old.Attrs()
		attrs = append(attrs, store.Attribute{Name: "more", Value: store.S(strings.Repeat("y", 3000))})
		return store.NewItem(attrs...), nil
	}
	for i, sk := range keys {
		w, err := tb.Update(0, store.S("p"), sk, grow, Always)
		if err != nil {
			t.Fatal(err)
		}
		want := float64(units.WriteUnits(w.New.Size(), units.Eventual).Float())
		if w.Write.Float() != want || w.New.Size() <= w.Old.Size() {
			t.Errorf("update of %v (%d -> %d B): %v WCU, want %v", sk, w.Old.Size(), w.New.Size(), w.Write, want)
		}
		size, found := tb.svc.Tables()[0].Store().SizeOf([]byte("p"), tb.sortIndex(store.S("p"), sk, false))
		if !found || size != w.New.Size() {
			t.Errorf("item %d: the model holds %d B (found %v), the client %d B", i, size, found, w.New.Size())
		}
	}
	w, _ := tb.Delete(0, store.S("p"), keys[0], Always)
	if !w.Written || w.Write.Float() != float64(units.WriteUnits(w.Old.Size(), units.Eventual).Float()) {
		t.Errorf("delete: %+v", w)
	}
	if _, ok := tb.indexes[ordKey(store.S("p"), keys[0])]; ok {
		t.Error("a deleted item keeps its sort-key index")
	}
	if n := tb.Items().Len(); n != 3 {
		t.Errorf("%d real items, want 3", n)
	}
}

// Items a scenario preloads are the model's and the client's alike: a
// client reads them as the model shapes them, and writing one at an
// integer sort key replaces it.
func TestPreloadedItems(t *testing.T) {
	cfg := roomy()
	cfg.ItemCount, cfg.ItemSize, cfg.ItemsPerKey = 100, 2048, 10
	tb := serve(t, cfg, model.DefaultParams())
	it, found, o := tb.Get(0, store.S("k3"), store.N("4"), units.Strong)
	if !found || it.Size() != 2048 || o.Read.Float() != 1 {
		t.Fatalf("preloaded k3/4: found %v, %d B, %v RCU; want a 2 KB item, 1 RCU", found, it.Size(), o.Read)
	}
	w, err := tb.Put(0, item("k3", store.N("4"), 5000), Always)
	if err != nil || w.Write.Float() != 5 || !w.Found {
		t.Fatalf("overwrite of a preloaded item: %+v, %v; want 5 WCU over the old one", w, err)
	}
	if _, _, o := tb.Get(0, store.S("k3"), store.N("4"), units.Strong); o.Read.Float() != 2 {
		t.Errorf("the overwritten item reads at %v RCU, want 2 (5,000 B)", o.Read)
	}
}

// A write the model throttles changes nothing and returns the reason.
func TestThrottledWriteChangesNothing(t *testing.T) {
	p := model.DefaultParams()
	p.BurstWindow, p.BurstStartsFull, p.Adaptive = sim.Second, false, false
	tb := serve(t, model.TableConfig{Mode: model.Provisioned, ReadCapacity: 1, WriteCapacity: 1}, p)
	var throttled int
	for i := range 5 {
		w, err := tb.Put(0, item("h", store.N(fmt.Sprint(i)), 900), Always)
		if err != nil {
			t.Fatal(err)
		}
		if w.Throttled() {
			throttled++
			if w.Reason != model.TableWriteProvisionedThroughputExceeded || w.Written {
				t.Errorf("throttled write: %+v", w)
			}
		}
	}
	if throttled == 0 || tb.Items().Len() != 5-throttled {
		t.Errorf("%d of 5 writes throttled at 1 WCU, %d items stored", throttled, tb.Items().Len())
	}
}

// A parallel scan's segments read every item once between them, each
// page priced by what it read.
func TestScanSegments(t *testing.T) {
	tb := serve(t, roomy(), model.DefaultParams())
	for i := range 300 {
		if _, err := tb.Put(0, item(fmt.Sprintf("u%d", i%50), store.N(fmt.Sprint(i)), 100), Always); err != nil {
			t.Fatal(err)
		}
	}
	read := 0
	for seg := range 4 {
		in := ScanInput{Segment: seg, TotalSegments: 4, Limit: 17}
		for {
			page := tb.Scan(0, in)
			if page.Throttled() {
				t.Fatal("a scan page was throttled at 10,000 RCU")
			}
			if want := units.ScanUnits(100*page.Scanned, units.Eventual); page.Read != want {
				t.Errorf("a page of %d items: %v RCU, want %v", page.Scanned, page.Read, want)
			}
			read += len(page.Items)
			if page.LastKey == nil {
				break
			}
			in.ExclusiveStart = page.LastKey
		}
	}
	if read != 300 {
		t.Errorf("4 segments read %d items, want 300", read)
	}
}

// A batch prices each part on its own and returns the parts the model
// throttled, in the order sent; the parts processed are applied.
func TestBatches(t *testing.T) {
	tb := serve(t, roomy(), model.DefaultParams())
	var parts []WriteRequest
	for i := range 5 {
		parts = append(parts, WriteRequest{Put: item("b", store.N(fmt.Sprint(i)), 1500)})
	}
	unprocessed, o, err := tb.BatchWrite(0, parts)
	if err != nil || len(unprocessed) != 0 || o.Write.Float() != 10 {
		t.Fatalf("5 puts of 1.5 KB: %v unprocessed, %v WCU, %v; want 10 WCU", unprocessed, o.Write, err)
	}
	keys := []store.Key{{PK: store.S("b"), SK: store.N("1")}, {PK: store.S("b"), SK: store.N("9")}, {PK: store.S("b"), SK: store.N("3")}}
	items, found, unprocessed, o := tb.BatchGet(0, keys, units.Strong)
	if !found[0] || found[1] || !found[2] || items[2].Size() != 1500 || len(unprocessed) != 0 || o.Read.Float() != 3 {
		t.Errorf("batch get: found %v, %v unprocessed, %v RCU; want 1 RCU each, a missing one too", found, unprocessed, o.Read)
	}
	del := []WriteRequest{{Key: keys[0], Delete: true}, {Put: item("b", store.S("new"), 100)}}
	if _, o, err = tb.BatchWrite(0, del); err != nil || o.Write.Float() != 3 {
		t.Errorf("a delete of 1.5 KB and a small put: %v WCU, %v; want 3", o.Write, err)
	}
	if _, ok := tb.Current(keys[0].PK, keys[0].SK); ok || tb.Items().Len() != 5 {
		t.Errorf("after the batch delete: %d items", tb.Items().Len())
	}
}

// A throttled batch returns its parts unprocessed, in the order sent,
// and applies none of them.
func TestBatchUnprocessed(t *testing.T) {
	p := model.DefaultParams()
	p.BurstWindow, p.BurstStartsFull, p.Adaptive = sim.Second, false, false
	tb := serve(t, model.TableConfig{Mode: model.Provisioned, ReadCapacity: 1, WriteCapacity: 2}, p)
	var parts []WriteRequest
	for i := range 6 {
		parts = append(parts, WriteRequest{Put: item(fmt.Sprintf("u%d", i), store.N("0"), 900)})
	}
	unprocessed, o, err := tb.BatchWrite(0, parts)
	if err != nil || len(unprocessed) == 0 || len(unprocessed) == 6 {
		t.Fatalf("6 puts at 2 WCU: %v unprocessed (%v); want some", unprocessed, err)
	}
	for i := 1; i < len(unprocessed); i++ {
		if unprocessed[i] <= unprocessed[i-1] {
			t.Errorf("unprocessed %v: not in the order sent", unprocessed)
		}
	}
	if got := tb.Items().Len(); got != 6-len(unprocessed) || o.Reason != model.TableWriteProvisionedThroughputExceeded {
		t.Errorf("%d items stored, reason %v, for %d unprocessed", got, o.Reason, len(unprocessed))
	}
}

// REFERENCE: units. A transaction costs twice the plain rate: a 3 KB
// transactional write is 6 WCU; a transactional read of a 6 KB item 4
// RCU. A check costs the item it checks and writes nothing.
func TestTransactions(t *testing.T) {
	tb := serve(t, roomy(), model.DefaultParams())
	o, err := tb.TransactWrite(0, []TxPart{{Key: store.Key{PK: store.S("t"), SK: store.S("a")}, New: item("t", store.S("a"), 3*1024)}})
	if err != nil || o.Write.Float() != 6 {
		t.Fatalf("a 3 KB transactional write: %v WCU, %v; want 6", o.Write, err)
	}
	if _, err := tb.Put(0, item("t", store.S("b"), 6*1024), Always); err != nil {
		t.Fatal(err)
	}
	_, found, o := tb.TransactGet(0, []store.Key{{PK: store.S("t"), SK: store.S("b")}})
	if !found[0] || o.Read.Float() != 4 {
		t.Errorf("a transactional read of 6 KB: %v RCU, found %v; want 4", o.Read, found)
	}
	o, _ = tb.TransactWrite(0, []TxPart{{Key: store.Key{PK: store.S("t"), SK: store.S("a")}, Check: true}})
	if o.Err != model.ErrTransactionConflict {
		t.Errorf("a transaction on an item another holds: %+v, want a conflict", o)
	}
	o, _ = tb.TransactWrite(sim.Second, []TxPart{ // after the first has finished
		{Key: store.Key{PK: store.S("t"), SK: store.S("a")}, Check: true},
		{Key: store.Key{PK: store.S("t"), SK: store.S("b")}, Delete: true},
	})
	if o.Write.Float() != 6+12 {
		t.Errorf("a check of 3 KB and a delete of 6 KB: %v WCU, want 18", o.Write)
	}
	if _, ok := tb.Current(store.S("t"), store.S("b")); ok {
		t.Error("the transaction's delete left the item")
	}
	if _, ok := tb.Current(store.S("t"), store.S("a")); !ok {
		t.Error("the checked item went")
	}
}
