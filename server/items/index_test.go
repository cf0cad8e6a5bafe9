package items

import (
	"fmt"
	"testing"

	"github.com/ddbsim/ddbsim/model"
	"github.com/ddbsim/ddbsim/model/store"
	"github.com/ddbsim/ddbsim/model/units"
)

var (
	byStatus = IndexDef{Name: "by-status", Schema: store.KeySchema{PartitionKey: "status", SortKey: "created"},
		Projection: model.ProjectInclude, Include: []string{"total"}}
	byTotal = IndexDef{Name: "by-total", Local: true, Schema: store.KeySchema{PartitionKey: "pk", SortKey: "total"},
		Projection: model.ProjectKeysOnly}
)

// orders is a table of orders (pk customer, sk order id) with a global
// index by status and creation time projecting the total, and a local
// index by total, keys only.
func orders(t *testing.T) *Table {
	t.Helper()
	cfg := roomy()
	cfg.Name = "orders"
	for _, d := range []IndexDef{byStatus, byTotal} {
		cfg.Indexes = append(cfg.Indexes, model.IndexConfig{Name: d.Name, Local: d.Local, Schema: d.Schema, Projection: d.Projection,
			ReadCapacity: 1000, WriteCapacity: 1000})
	}
	return serve(t, cfg, model.DefaultParams(), byStatus, byTotal)
}

func order(customer string, id int, status string, created, total int) store.Item {
	attrs := []store.Attribute{
		{Name: "pk", Value: store.S(customer)}, {Name: "sk", Value: store.S(fmt.Sprintf("order#%03d", id))},
		{Name: "created", Value: store.N(fmt.Sprint(created))}, {Name: "total", Value: store.N(fmt.Sprint(total))},
		{Name: "note", Value: store.S("a note that the index does not copy")},
	}
	if status != "" {
		attrs = append(attrs, store.Attribute{Name: "status", Value: store.S(status)})
	}
	return store.NewItem(attrs...)
}

func texts(items []store.Item, name string) []string {
	var out []string
	for _, it := range items {
		v, _ := it.Get(name)
		out = append(out, v.Text())
	}
	return out
}

// A global index holds the items that have its keys, projected, ordered
// by its sort key; a write that changes an item's index key moves its
// entry; a delete removes it.
func TestGlobalIndex(t *testing.T) {
	tb := orders(t)
	for i := range 10 {
		status := []string{"open", "shipped", ""}[i%3] // every third has no status: not in the index
		if _, err := tb.Put(0, order(fmt.Sprintf("c%d", i%4), i, status, 100-i, 10*i), Always); err != nil {
			t.Fatal(err)
		}
	}
	x := tb.Indexes()[0]
	if x.Len() != 7 {
		t.Errorf("%d entries in the sparse index, want 7 (3 items lack a status)", x.Len())
	}
	page := tb.QueryIndex(0, 0, IndexQueryInput{PK: store.S("open"), Sort: store.SortCondition{Op: store.CondLT, A: store.N("100")}})
	if got := fmt.Sprint(texts(page.Items, "created")); got != "[91 94 97]" || page.Throttled() {
		t.Errorf("open orders created before 100, by created: %v", got)
	}
	if _, ok := page.Items[0].Get("note"); ok {
		t.Error("the index copied an attribute its projection leaves out")
	}
	if _, ok := page.Items[0].Get("total"); !ok {
		t.Error("the index lacks an attribute its projection includes")
	}
	want := units.QueryUnits(page.Items[0].Size()+page.Items[1].Size()+page.Items[2].Size(), units.Eventual)
	if page.Read != want {
		t.Errorf("the index query read %v RCU, want %v (its entries' bytes)", page.Read, want)
	}
	// Paging, newest first, two at a time.
	var seen []string
	in := IndexQueryInput{PK: store.S("open"), Descending: true, Limit: 2}
	for {
		p := tb.QueryIndex(0, 0, in)
		seen = append(seen, texts(p.Items, "created")...)
		if p.LastKey == nil {
			break
		}
		in.ExclusiveStart = p.LastKey
	}
	if got := fmt.Sprint(seen); got != "[100 97 94 91]" {
		t.Errorf("paged newest first: %v", got)
	}
	// Shipping order 0 moves it; deleting order 3 removes it.
	ship := func(old store.Item, _ bool) (store.Item, error) {
		return store.NewItem(append(old.Attrs(), store.Attribute{Name: "status", Value: store.S("shipped")})...), nil
	}
	if _, err := tb.Update(0, store.S("c0"), store.S("order#000"), ship, Always); err != nil {
		t.Fatal(err)
	}
	if _, err := tb.Delete(0, store.S("c3"), store.S("order#003"), Always); err != nil {
		t.Fatal(err)
	}
	open := tb.QueryIndex(0, 0, IndexQueryInput{PK: store.S("open")})
	shipped := tb.QueryIndex(0, 0, IndexQueryInput{PK: store.S("shipped")})
	if got := fmt.Sprint(texts(open.Items, "created"), texts(shipped.Items, "created")); got != "[91 94] [93 96 99 100]" {
		t.Errorf("after shipping order 0 and deleting order 3: open, shipped = %v", got)
	}
	// A scan of the index reads every entry once, whole or in segments.
	for _, segments := range []int{0, 1, 3, 8} {
		n := 0
		for seg := range max(segments, 1) {
			in := IndexScanInput{Limit: 3, Segment: seg, TotalSegments: segments}
			for {
				p := tb.ScanIndex(0, 0, in)
				n += len(p.Items)
				if p.LastKey == nil {
					break
				}
				in.ExclusiveStart = p.LastKey
			}
		}
		if n != 6 {
			t.Errorf("the index scan in %d segments read %d entries, want 6", segments, n)
		}
	}
}

// A local index shares the table's partition key and orders its items by
// its own sort key, keys only.
func TestLocalIndex(t *testing.T) {
	tb := orders(t)
	for i, total := range []int{30, 10, 20} {
		if _, err := tb.Put(0, order("c", i, "open", i, total), Always); err != nil {
			t.Fatal(err)
		}
	}
	page := tb.QueryIndex(0, 1, IndexQueryInput{PK: store.S("c"), Sort: store.SortCondition{Op: store.CondGE, A: store.N("20")}})
	if got := fmt.Sprint(texts(page.Items, "total"), texts(page.Items, "sk")); got != "[20 30] [order#002 order#000]" {
		t.Errorf("totals from 20: %v", got)
	}
	if _, ok := page.Items[0].Get("status"); ok {
		t.Error("a keys-only index copied a non-key attribute")
	}
}

// REFERENCE: gsi. The index writes of a write follow from the real items:
// an entry put or deleted is 1 write, a change of the index key 2, a
// change of projected attributes only 1, anything else 0; a sparse index
// costs nothing for an item without its keys. Global index writes are
// reported apart (IndexWrite); local ones add to the table's write.
func TestIndexWriteUnits(t *testing.T) {
	tb := orders(t)
	set := func(name string, v store.Value) func(store.Item, bool) (store.Item, error) {
		return func(old store.Item, _ bool) (store.Item, error) {
			return store.NewItem(append(old.Attrs(), store.Attribute{Name: name, Value: v})...), nil
		}
	}
	key := func(o store.Item) (store.Value, store.Value) {
		pk, _ := o.Get("pk")
		sk, _ := o.Get("sk")
		return pk, sk
	}
	small := order("c", 1, "open", 1, 10) // under 1 KB: every entry is 1 unit
	for _, tc := range []struct {
		name         string
		do           func() (Write, error)
		table, index float64 // table write (with local index writes), global index writes
	}{
		{"a new item in both indexes", func() (Write, error) { return tb.Put(0, small, Always) }, 1 + 1, 1},
		{"a new item without a status: not in the global index", func() (Write, error) {
			return tb.Put(0, order("c", 2, "", 1, 10), Always)
		}, 1 + 1, 0},
		{"an attribute no index projects", func() (Write, error) {
			pk, sk := key(small)
			return tb.Update(0, pk, sk, set("note", store.S("another note")), Always)
		}, 1, 0},
		{"the global index's key: delete and put", func() (Write, error) {
			pk, sk := key(small)
			return tb.Update(0, pk, sk, set("status", store.S("shipped")), Always)
		}, 1, 2},
		{"total: projected by the global index, the local index's key", func() (Write, error) {
			pk, sk := key(small)
			return tb.Update(0, pk, sk, set("total", store.N("11")), Always)
		}, 1 + 2, 1},
		{"the item deleted", func() (Write, error) {
			pk, sk := key(small)
			return tb.Delete(0, pk, sk, Always)
		}, 1 + 1, 1},
	} {
		w, err := tc.do()
		if err != nil || w.Throttled() {
			t.Fatalf("%s: %v %+v", tc.name, err, w.Outcome)
		}
		if w.Write.Float() != tc.table || w.IndexWrite.Float() != tc.index {
			t.Errorf("%s: table %v WCU, global index %v; want %v and %v", tc.name, w.Write, w.IndexWrite, tc.table, tc.index)
		}
	}
}
