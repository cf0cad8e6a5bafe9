package items

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/ddbsim/ddbsim/model"
	"github.com/ddbsim/ddbsim/model/store"
	"github.com/ddbsim/ddbsim/model/units"
	"github.com/ddbsim/ddbsim/sim"
)

// Secondary indexes on real items. An index holds an entry for each item
// that has both of the index's key attributes (a sparse index skips the
// others), holding the attributes its projection copies: the table's and
// the index's keys, and every attribute (ALL) or the listed ones
// (INCLUDE). Entries are grouped by index partition key and ordered by
// index sort key, then by the table's key, which is how a Query on the
// index pages through items sharing an index key. The index is kept in
// step with every write applied to the table. Its capacity is the
// model's: a Query or Scan on it is priced by the entries' bytes and
// admitted on the index's partitions (a global index) or the table's (a
// local one); the index writes a table write causes are priced by the
// model's index plan (model.IndexConfig), which ddbsim serve does not yet
// derive from the real items: see docs/serve.md.

// IndexDef describes one secondary index of a served table, in the order
// of the model table's Indexes.
type IndexDef struct {
	Name       string
	Local      bool
	Schema     store.KeySchema
	Projection model.Projection
	Include    []string // the non-key attributes an INCLUDE projection copies
}

// Index is a secondary index's entries.
type Index struct {
	def IndexDef
	// dropped marks an index deleted while served (Table.DropIndex): no
	// write reaches it.
	dropped bool
	table   store.KeySchema
	colls   map[string]*indexColl // by the index partition key's ordKey text
	order   []*indexColl          // scan order; rebuilt when sorted is false
	// sorted says whether order holds every collection in scan order.
	sorted bool
	n      int
}

// indexColl is the entries under one index partition key.
type indexColl struct {
	pk      store.Value
	hash    uint64
	entries []indexEntry
}

// indexEntry is one item's entry: its index sort key (the zero Value
// without one), its table key, and the projected item.
type indexEntry struct {
	sk   store.Value
	base store.Key
	item store.Item
}

func newIndex(def IndexDef, table store.KeySchema) *Index {
	return &Index{def: def, table: table, colls: map[string]*indexColl{}, sorted: true}
}

// Def is the index's definition.
func (x *Index) Def() IndexDef { return x.def }

// Len is the number of entries.
func (x *Index) Len() int { return x.n }

// entryOf is the index's entry for it, and whether it has one.
func (x *Index) entryOf(it store.Item) (pk store.Value, e indexEntry, ok bool) {
	pk, ok = it.Get(x.def.Schema.PartitionKey)
	if !ok || !keyKind(pk) {
		return pk, e, false
	}
	if x.def.Schema.SortKey != "" {
		if e.sk, ok = it.Get(x.def.Schema.SortKey); !ok || !keyKind(e.sk) {
			return pk, e, false
		}
	}
	e.base.PK, _ = it.Get(x.table.PartitionKey)
	if x.table.SortKey != "" {
		e.base.SK, _ = it.Get(x.table.SortKey)
	}
	e.item = x.project(it)
	return pk, e, true
}

func keyKind(v store.Value) bool {
	k := v.Kind()
	return k == store.KindString || k == store.KindNumber || k == store.KindBinary
}

// project is the part of it the index copies.
func (x *Index) project(it store.Item) store.Item {
	if x.def.Projection == model.ProjectAll {
		return it
	}
	keep := func(name string) bool {
		switch name {
		case x.table.PartitionKey, x.table.SortKey, x.def.Schema.PartitionKey, x.def.Schema.SortKey:
			return name != ""
		}
		return x.def.Projection == model.ProjectInclude && slices.Contains(x.def.Include, name)
	}
	var attrs []store.Attribute
	for name, v := range it.All() {
		if keep(name) {
			attrs = append(attrs, store.Attribute{Name: name, Value: v})
		}
	}
	return store.NewItem(attrs...)
}

// compareEntries orders entries by index sort key, then table key.
func compareEntries(a, b *indexEntry) int {
	return cmp.Or(store.CompareKeys(a.sk, b.sk), store.CompareKeys(a.base.PK, b.base.PK), store.CompareKeys(a.base.SK, b.base.SK))
}

// apply keeps the index in step with a write of the table: old (found:
// there was one) replaced by next (written: there is one).
func (x *Index) apply(old store.Item, found bool, next store.Item, written bool) {
	if x.dropped {
		return
	}
	if found {
		if pk, e, ok := x.entryOf(old); ok {
			x.remove(pk, &e)
		}
	}
	if written {
		if pk, e, ok := x.entryOf(next); ok {
			x.insert(pk, e)
		}
	}
}

func (x *Index) insert(pk store.Value, e indexEntry) {
	k := ordKey(pk, store.Value{})
	c := x.colls[k]
	if c == nil {
		c = &indexColl{pk: pk, hash: store.HashString(pk.Text())}
		x.colls[k] = c
		x.sorted = false
	}
	i, _ := slices.BinarySearchFunc(c.entries, &e, func(a indexEntry, b *indexEntry) int { return compareEntries(&a, b) })
	c.entries = slices.Insert(c.entries, i, e)
	x.n++
}

func (x *Index) remove(pk store.Value, e *indexEntry) {
	k := ordKey(pk, store.Value{})
	c := x.colls[k]
	if c == nil {
		return
	}
	i, found := slices.BinarySearchFunc(c.entries, e, func(a indexEntry, b *indexEntry) int { return compareEntries(&a, b) })
	if !found {
		return
	}
	c.entries = slices.Delete(c.entries, i, i+1)
	x.n--
	if len(c.entries) == 0 {
		delete(x.colls, k)
		x.sorted = false
	}
}

// scanOrder is the collections in scan order: by partition-key hash, then
// key bytes, as the table's Scan walks its partitions.
func (x *Index) scanOrder() []*indexColl {
	if !x.sorted {
		x.order = x.order[:0]
		for _, c := range x.colls {
			x.order = append(x.order, c)
		}
		slices.SortFunc(x.order, func(a, b *indexColl) int {
			return cmp.Or(cmp.Compare(a.hash, b.hash), strings.Compare(a.pk.Text(), b.pk.Text()))
		})
		x.sorted = true
	}
	return x.order
}

// AddIndex adds a global secondary index, which the model's table has
// just been given (model.Service.AddGlobalIndex, the last of its
// Indexes), and fills it with the entries of the items already held: the
// backfill, done at once.
func (t *Table) AddIndex(def IndexDef) *Index {
	cfg := t.svc.Tables()[t.table].Config()
	if n := len(cfg.Indexes); n != len(t.indexList)+1 || cfg.Indexes[n-1].Name != def.Name {
		panic(fmt.Sprintf("items: index %s added to table %s, whose model has %d indexes for %d", def.Name, cfg.Name, n, len(t.indexList)))
	}
	x := newIndex(def, t.schema)
	var opt store.ScanOptions
	for {
		page := t.items.Scan(opt)
		for _, it := range page.Items {
			if pk, e, ok := x.entryOf(it); ok {
				x.insert(pk, e)
			}
		}
		if page.LastKey == nil {
			break
		}
		opt.ExclusiveStart = page.LastKey
	}
	t.indexList = append(t.indexList, x)
	return x
}

// DropIndex stops keeping the index named name, as its model's table is
// dropped (model.Service.DropGlobalIndex); it keeps its place.
func (t *Table) DropIndex(name string) {
	for _, x := range t.indexList {
		if x.def.Name == name {
			x.dropped = true
			x.colls, x.order, x.n = map[string]*indexColl{}, nil, 0
		}
	}
}

// HasLocalIndex reports whether the table has a local secondary index,
// which makes its item collections matter (their 10 GB limit, and the
// ItemCollectionMetrics writes return).
func (t *Table) HasLocalIndex() bool {
	for _, x := range t.indexList {
		if x.def.Local {
			return true
		}
	}
	return false
}

// CollectionBytes is the size of the item collection under pk: its items
// and their entries in the local secondary indexes (REFERENCE: gsi, the
// 10 GB item-collection limit).
func (t *Table) CollectionBytes(pk store.Value) int64 {
	_, n := t.svc.Tables()[t.table].Store().CollectionStats([]byte(pk.Text()))
	for _, x := range t.indexList {
		if c := x.colls[ordKey(pk, store.Value{})]; x.def.Local && c != nil {
			for i := range c.entries {
				n += int64(c.entries[i].item.Size())
			}
		}
	}
	return n
}

// indexWrites appends to dst the index writes of replacing old (found:
// there was one) by next (written: there is one), for the model to price
// and admit (REFERENCE: gsi): for each index, an entry whose index key
// changes is deleted and put (2 writes, possibly on two partitions of a
// global index), an entry whose projected attributes change is written
// once, at the larger of its sizes, and an unchanged entry costs nothing;
// an item that enters or leaves a sparse index puts or deletes one entry.
func (t *Table) indexWrites(dst []model.IndexWrite, old store.Item, found bool, next store.Item, written bool) []model.IndexWrite {
	hash := func(pk store.Value) uint64 { return store.HashString(pk.Text()) }
	for i, x := range t.indexList {
		if x.dropped {
			continue
		}
		var opk, npk store.Value
		var oe, ne indexEntry
		var oin, nin bool
		if found {
			opk, oe, oin = x.entryOf(old)
		}
		if written {
			npk, ne, nin = x.entryOf(next)
		}
		if oin && nin && opk.Equal(npk) && oe.sk.Equal(ne.sk) {
			if !oe.item.Equal(ne.item) {
				dst = append(dst, model.IndexWrite{Index: i, Hash: hash(npk), Size: max(oe.item.Size(), ne.item.Size()),
					Bytes: int64(ne.item.Size() - oe.item.Size())})
			}
			continue
		}
		if oin {
			dst = append(dst, model.IndexWrite{Index: i, Hash: hash(opk), Size: oe.item.Size(), Entries: -1, Bytes: -int64(oe.item.Size())})
		}
		if nin {
			dst = append(dst, model.IndexWrite{Index: i, Hash: hash(npk), Size: ne.item.Size(), Entries: 1, Bytes: int64(ne.item.Size())})
		}
	}
	return dst
}

// IndexKey is where an index Query or Scan continues: the last entry's
// index keys and table key (LastEvaluatedKey holds all four).
type IndexKey struct {
	PK, SK store.Value
	Base   store.Key
}

// matches reports whether the entry's index sort key satisfies cond.
func matches(sk store.Value, cond store.SortCondition) bool {
	if cond.Op == store.CondNone {
		return true
	}
	if sk.Kind() != cond.A.Kind() {
		return false
	}
	c := store.CompareKeys(sk, cond.A)
	switch cond.Op {
	case store.CondEQ:
		return c == 0
	case store.CondLT:
		return c < 0
	case store.CondLE:
		return c <= 0
	case store.CondGT:
		return c > 0
	case store.CondGE:
		return c >= 0
	case store.CondBetween:
		return c >= 0 && store.CompareKeys(sk, cond.B) <= 0
	case store.CondBeginsWith:
		return strings.HasPrefix(sk.Text(), cond.A.Text())
	}
	return false
}

// IndexPage is one page of a Query or Scan on an index.
type IndexPage struct {
	Items   []store.Item
	Scanned int
	LastKey *IndexKey
	Outcome
}

// page reads entries of c from position i on (backwards when desc),
// those whose sort keys satisfy cond, under the page rules.
func (x *Index) page(c *indexColl, from int, desc bool, cond store.SortCondition, limit int, p *IndexPage, bytes *int) (done bool) {
	for k := from; k >= 0 && k < len(c.entries); {
		e := &c.entries[k]
		if matches(e.sk, cond) {
			size := e.item.Size()
			if !store.PageTakes(p.Scanned, *bytes, size, limit) {
				return false
			}
			p.Items = append(p.Items, e.item)
			p.Scanned++
			*bytes += size
			p.LastKey = &IndexKey{PK: c.pk, SK: e.sk, Base: e.base}
		}
		if desc {
			k--
		} else {
			k++
		}
	}
	return true
}

// after is the position just past start in c (before it when desc).
func after(c *indexColl, start *IndexKey, desc bool) int {
	probe := indexEntry{sk: start.SK, base: start.Base}
	i, found := slices.BinarySearchFunc(c.entries, &probe, func(a indexEntry, b *indexEntry) int { return compareEntries(&a, b) })
	if desc {
		return i - 1
	}
	if found {
		return i + 1
	}
	return i
}

// IndexQueryInput is a Query on an index.
type IndexQueryInput struct {
	PK             store.Value
	Sort           store.SortCondition
	Descending     bool
	Limit          int
	ExclusiveStart *IndexKey
	Consistency    units.Consistency // a global index reads eventually consistent only
	Filter         Filter
}

// QueryIndex reads one page of index i's entries under in.PK, priced by
// the entries' bytes on the index's partition (REFERENCE: gsi).
func (t *Table) QueryIndex(now sim.Time, i int, in IndexQueryInput) IndexPage {
	x := t.indexList[i]
	var p IndexPage
	bytes := 0
	if c := x.colls[ordKey(in.PK, store.Value{})]; c != nil {
		from := 0
		if in.Descending {
			from = len(c.entries) - 1
		}
		if in.ExclusiveStart != nil {
			from = after(c, in.ExclusiveStart, in.Descending)
		}
		if x.page(c, from, in.Descending, in.Sort, in.Limit, &p, &bytes) {
			p.LastKey = nil // the collection was read to its end
		}
	}
	req := t.request(units.OpQuery, in.PK, 0)
	req.Index, req.Consistency = i+1, in.Consistency
	req.Given, req.ReadBytes, req.ReadHash = true, bytes, store.HashKey(t.key)
	p.Outcome = outcomeOf(t.svc.Handle(now, req))
	if p.Throttled() {
		return IndexPage{Outcome: p.Outcome}
	}
	p.Items = keep(p.Items, in.Filter)
	return p
}

// IndexScanInput is a Scan of an index, or of one segment of it.
type IndexScanInput struct {
	Limit          int
	ExclusiveStart *IndexKey
	// Segment and TotalSegments divide a parallel scan; TotalSegments 0
	// scans the whole index.
	Segment, TotalSegments int
	Consistency            units.Consistency
	Filter                 Filter
}

// ScanIndex reads one page of index i's entries (of its segment) in scan
// order.
func (t *Table) ScanIndex(now sim.Time, i int, in IndexScanInput) IndexPage {
	x := t.indexList[i]
	var p IndexPage
	bytes := 0
	order := x.scanOrder()
	var seg store.HashRange
	if in.TotalSegments > 0 {
		seg = store.Segments(in.Segment, in.TotalSegments)
	}
	start := in.ExclusiveStart
	ci, _ := slices.BinarySearchFunc(order, seg.Lo, func(c *indexColl, lo uint64) int { return cmp.Compare(c.hash, lo) })
	if start != nil {
		h := store.HashString(start.PK.Text())
		ci, _ = slices.BinarySearchFunc(order, start, func(c *indexColl, s *IndexKey) int {
			return cmp.Or(cmp.Compare(c.hash, h), strings.Compare(c.pk.Text(), s.PK.Text()))
		})
	}
	begin := uint64(0)
	done := true
	for ; ci < len(order); ci++ {
		c := order[ci]
		if seg.Hi != 0 && c.hash >= seg.Hi {
			break
		}
		from := 0
		if start != nil && c.pk.Equal(start.PK) {
			from = after(c, start, false)
		}
		if p.Scanned == 0 {
			begin = c.hash
		}
		if !x.page(c, from, false, store.SortCondition{}, in.Limit, &p, &bytes) {
			done = false
			break
		}
	}
	if done {
		p.LastKey = nil
	}
	req := t.request(units.OpScan, store.Value{}, 0)
	req.Index, req.Consistency = i+1, in.Consistency
	req.Given, req.ReadBytes, req.ReadHash = true, bytes, begin
	p.Outcome = outcomeOf(t.svc.Handle(now, req))
	if p.Throttled() {
		return IndexPage{Outcome: p.Outcome}
	}
	p.Items = keep(p.Items, in.Filter)
	return p
}
