package items

import (
	"errors"
	"fmt"
	"strconv"

	"github.com/ddbsim/ddbsim/model"
	"github.com/ddbsim/ddbsim/model/store"
	"github.com/ddbsim/ddbsim/model/units"
	"github.com/ddbsim/ddbsim/sim"
)

// ownIndexes is where the sort-key indexes assigned to sort keys that are
// not small integers start: above every index a scenario preloads.
const ownIndexes = 1 << 40

// Table is one served table: its real items and the model table that
// admits and prices what is done to them.
type Table struct {
	svc    *model.Service
	table  int // the table's index in svc
	schema store.KeySchema
	items  *store.Store
	// indexes are the sort-key indexes of the model's store assigned to
	// sort keys that are not their own index (see doc.go), by ordKey.
	indexes map[string]int64
	next    int64
	req     model.Request // reused: the model keeps no reference to it
	key     []byte
	// indexList is the table's secondary indexes, in the order of the
	// model table's Indexes (a Request's Index is its position + 1).
	indexList []*Index
	// onChange, when set, hears every change applied to the items; by
	// the service marks the one being applied as the service's own.
	onChange  func(*Change)
	change    Change
	byService bool
}

// New serves table (an index into svc.Tables()) with its secondary
// indexes, defined in the order of the model table's. The real items
// start as the model's preloaded ones (the scenario's items: count, size
// and items per key), which a read returns as the model shapes them: the
// keys and a binary attribute of zero bytes making up the size. It panics
// when the indexes do not name the model table's, in order.
func New(svc *model.Service, table int, indexes ...IndexDef) *Table {
	mt := svc.Tables()[table]
	cfg := mt.Config()
	t := &Table{
		svc:     svc,
		table:   table,
		schema:  mt.Store().Schema(),
		items:   store.NewStore(mt.Store().Schema()),
		indexes: map[string]int64{},
		next:    ownIndexes,
	}
	t.items.Preload(cfg.ItemCount, cfg.ItemSize, cfg.ItemsPerKey)
	if len(indexes) != len(cfg.Indexes) {
		panic(fmt.Sprintf("items: %d index definitions for the %d indexes of table %s", len(indexes), len(cfg.Indexes), cfg.Name))
	}
	for i, def := range indexes {
		if def.Name != cfg.Indexes[i].Name || def.Local != cfg.Indexes[i].Local {
			panic(fmt.Sprintf("items: index %d of table %s is %s, defined as %s", i, cfg.Name, cfg.Indexes[i].Name, def.Name))
		}
		x := newIndex(def, t.schema)
		x.dropped = cfg.Indexes[i].Dropped
		t.indexList = append(t.indexList, x)
	}
	return t
}

// Indexes are the table's secondary indexes, in the model's order.
func (t *Table) Indexes() []*Index { return t.indexList }

// applied keeps the indexes in step with a write applied to the table,
// and tells the change hook. Every write that changes the items (a put,
// update or delete, a batch's part, a transaction's item, a TTL
// deletion) ends here, once per item changed.
func (t *Table) applied(old store.Item, found bool, next store.Item, written bool) {
	for _, x := range t.indexList {
		x.apply(old, found, next, written)
	}
	if t.onChange == nil {
		return
	}
	t.change = Change{Kind: store.ChangeRemove, Old: old, New: next, Service: t.byService}
	switch {
	case written && found:
		t.change.Kind = store.ChangeModify
	case written:
		t.change.Kind = store.ChangeInsert
	}
	t.onChange(&t.change)
}

// Change is one change applied to an item: INSERT (Old is the zero
// Item), MODIFY or REMOVE (New is the zero Item).
type Change struct {
	Kind     store.ChangeKind
	Old, New store.Item
	// Service is set on a deletion by the service itself (Expire).
	Service bool
}

// OnChange makes f hear every change applied to the table's items, in
// the order they are applied, after the items and indexes have it; the
// Change is valid during the call only. nil stops it. A write that is
// throttled, fails its condition or is refused changes nothing and is
// not heard.
func (t *Table) OnChange(f func(*Change)) { t.onChange = f }

// Expire deletes the item at (pk, sk) as the service's TTL process does
// (REFERENCE: ttl): free of write units, the model's likeness of it going
// too (model.Service.DeleteExpired), heard by the change hook as the
// service's deletion. It reports whether the item was there.
func (t *Table) Expire(now sim.Time, pk, sk store.Value) bool {
	if _, found := t.items.GetItem(pk, sk); !found {
		return false
	}
	if i := t.sortIndex(pk, sk, false); i >= 0 {
		t.svc.DeleteExpired(now, t.table, t.modelKey(pk), i)
	}
	t.byService = true
	t.remove(pk, sk)
	t.byService = false
	return true
}

// Schema is the table's key schema.
func (t *Table) Schema() store.KeySchema { return t.schema }

// Items is the store of the table's real items. It is the caller's to
// read (DescribeTable's counts, a stream's images), never to write.
func (t *Table) Items() *store.Store { return t.items }

// Outcome is what the model did with one request: admitted (Reason
// NotThrottled) or throttled with a reason, the latency the client sees,
// the capacity consumed, and an error other than a throttle (a failed
// condition, a transaction conflict).
type Outcome struct {
	Reason      model.ThrottleReason
	Latency     sim.Time
	Read, Write units.Units
	// IndexWrite is what a write consumed on global secondary indexes.
	IndexWrite units.Units
	// Indexes is what an admitted write consumed on each index, local
	// ones included (their units are also in Write); nil for none.
	Indexes map[string]units.Units
	Err     model.ErrorKind
}

// Throttled reports whether the model refused the request.
func (o Outcome) Throttled() bool { return o.Reason != model.NotThrottled }

func outcomeOf(r model.Response) Outcome {
	return Outcome{Reason: r.Reason, Latency: r.Latency, Read: r.Read, Write: r.Write, IndexWrite: r.IndexWrite, Err: r.Error}
}

// Condition decides whether a write goes ahead, given the item it would
// replace (found false: there is none). An error is the client's
// (a ValidationException): nothing is charged.
type Condition func(old store.Item, found bool) (bool, error)

// Always is the Condition of a write without one.
func Always(store.Item, bool) (bool, error) { return true, nil }

// ErrKeyMissing is a key whose attributes do not match the table's key
// schema.
var ErrKeyMissing = errors.New("the provided key element does not match the schema")

// sortIndex is the model's sort-key index of the item at (pk, sk): its own
// for a small non-negative integer Number, else the one assigned to it,
// assigning one when assign is set. It returns -1, an index no item has,
// for an item that has none.
func (t *Table) sortIndex(pk, sk store.Value, assign bool) int64 {
	if t.schema.SortKey == "" {
		return 0
	}
	if sk.Kind() == store.KindNumber {
		if i, ok := smallIndex(sk.Text()); ok {
			return i
		}
	}
	k := ordKey(pk, sk)
	if i, ok := t.indexes[k]; ok {
		return i
	}
	if !assign {
		return -1
	}
	i := t.next
	t.next++
	t.indexes[k] = i
	return i
}

// forget drops the index assigned to a deleted item.
func (t *Table) forget(pk, sk store.Value) {
	if t.schema.SortKey != "" {
		delete(t.indexes, ordKey(pk, sk))
	}
}

// smallIndex reads canonical Number text that is an integer from 0 to
// below ownIndexes.
func smallIndex(text string) (int64, bool) {
	if len(text) == 0 || len(text) > 13 || text[0] == '-' {
		return 0, false
	}
	i, err := strconv.ParseInt(text, 10, 64)
	if err != nil || i >= ownIndexes {
		return 0, false
	}
	return i, true
}

// ordKey names an item among a table's: its keys' bytes, the partition
// key's length first so that no two keys run together.
func ordKey(pk, sk store.Value) string {
	p := pk.Text()
	return strconv.Itoa(len(p)) + ":" + p + sk.Text()
}

// keys returns the key values of an item, or ErrKeyMissing.
func (t *Table) keys(it store.Item) (pk, sk store.Value, err error) {
	pk, ok := it.Get(t.schema.PartitionKey)
	if !ok {
		return pk, sk, ErrKeyMissing
	}
	if t.schema.SortKey != "" {
		if sk, ok = it.Get(t.schema.SortKey); !ok {
			return pk, sk, ErrKeyMissing
		}
	}
	return pk, sk, nil
}

// request resets the reusable request for op on the item at (pk, index).
func (t *Table) request(op units.Op, pk store.Value, index int64) *model.Request {
	t.req = model.Request{Table: t.table, Op: op, Key: t.modelKey(pk), SortIndex: index}
	return &t.req
}

// modelKey is pk as the model's store keys it: its bytes, in a buffer the
// next call reuses.
func (t *Table) modelKey(pk store.Value) []byte {
	t.key = append(t.key[:0], pk.Text()...)
	return t.key
}

// Get reads the item at (pk, sk): the model admits and prices the read
// of the item there (a missing item costs the minimum), and a throttled
// read returns no item.
func (t *Table) Get(now sim.Time, pk, sk store.Value, c units.Consistency) (store.Item, bool, Outcome) {
	req := t.request(units.OpGet, pk, t.sortIndex(pk, sk, false))
	req.Consistency = c
	o := outcomeOf(t.svc.Handle(now, req))
	if o.Throttled() {
		return store.Item{}, false, o
	}
	it, found := t.items.GetItem(pk, sk)
	return it, found, o
}

// Write is the result of a put, update or delete: the item before and
// after (Found, Written say whether there was one and whether it was
// written), and what the model did.
type Write struct {
	Old, New       store.Item
	Found, Written bool
	Outcome
}

// Put writes it in place of the item with its key, if cond holds of that
// item. The item must pass the store's checks (keys, values, 400 KB): an
// error is returned before anything is charged. A failed condition still
// consumes write units and ends in model.ErrConditionalCheckFailed.
func (t *Table) Put(now sim.Time, it store.Item, cond Condition) (Write, error) {
	pk, sk, err := t.keys(it)
	if err != nil {
		return Write{}, err
	}
	if err := t.items.Check(it); err != nil {
		return Write{}, err
	}
	return t.write(now, units.OpPut, pk, sk, it, cond)
}

// Update writes what apply makes of the item at (pk, sk) (found false:
// there is none, and apply starts from the key alone), if cond holds of
// the item there. apply's error and an item the store refuses are the
// client's: nothing is charged.
func (t *Table) Update(now sim.Time, pk, sk store.Value, apply func(old store.Item, found bool) (store.Item, error), cond Condition) (Write, error) {
	old, found := t.items.GetItem(pk, sk)
	next, err := apply(old, found)
	if err != nil {
		return Write{}, err
	}
	if err := t.items.Check(next); err != nil {
		return Write{}, err
	}
	return t.write(now, units.OpUpdate, pk, sk, next, cond)
}

// Delete deletes the item at (pk, sk), if cond holds of it.
func (t *Table) Delete(now sim.Time, pk, sk store.Value, cond Condition) (Write, error) {
	return t.write(now, units.OpDelete, pk, sk, store.Item{}, cond)
}

// write is Put, Update (op) and Delete (next is the zero Item).
func (t *Table) write(now sim.Time, op units.Op, pk, sk store.Value, next store.Item, cond Condition) (Write, error) {
	old, found := t.items.GetItem(pk, sk)
	ok, err := cond(old, found)
	if err != nil {
		return Write{}, err
	}
	w := Write{Old: old, Found: found}
	// A write that goes ahead gets an index for its item; a failed
	// condition is priced on the item there (it has one if it exists).
	req := t.request(op, pk, t.sortIndex(pk, sk, ok && op != units.OpDelete))
	req.Size = next.Size()
	req.ConditionFails = !ok
	if len(t.indexList) > 0 {
		req.Given = true
		req.IndexWrites = t.indexWrites(nil, old, found, next, op != units.OpDelete)
	}
	w.Outcome = outcomeOf(t.svc.Handle(now, req))
	if w.Throttled() || w.Err != model.NoError {
		return w, nil
	}
	w.Indexes = t.perIndex(req.IndexWrites)
	switch op {
	case units.OpDelete:
		if found {
			t.remove(pk, sk)
		}
	default:
		t.put(next, old, found)
		w.New = next
	}
	w.Written = true
	return w, nil
}

// perIndex sums index writes by index name, as ReturnConsumedCapacity
// INDEXES reports them; nil for none.
func (t *Table) perIndex(ws []model.IndexWrite) map[string]units.Units {
	if len(ws) == 0 {
		return nil
	}
	m := map[string]units.Units{}
	for _, w := range ws {
		m[t.indexList[w.Index].def.Name] += units.WriteUnits(w.Size, units.Eventual)
	}
	return m
}

// put stores a checked item in place of old, in the indexes too.
func (t *Table) put(next, old store.Item, found bool) {
	if _, _, err := t.items.PutItem(next); err != nil {
		// Checked before the model was asked; a refusal here is a bug.
		panic("items: a checked item was refused: " + err.Error())
	}
	t.applied(old, found, next, true)
}

// remove deletes the item at (pk, sk), in the indexes too.
func (t *Table) remove(pk, sk store.Value) {
	if old, existed := t.items.DeleteItem(pk, sk); existed {
		t.forget(pk, sk)
		t.applied(old, true, store.Item{}, false)
	}
}

// Page is one page of a Query or Scan: the items the filter kept, how
// many were read (ScannedCount), and where to continue (nil: done).
type Page struct {
	Items   []store.Item
	Scanned int
	LastKey *store.Key
	Outcome
}

// Filter keeps an item read by a Query or Scan; nil keeps every item.
type Filter func(store.Item) bool

// QueryInput is a Query on the table.
type QueryInput struct {
	PK             store.Value
	Sort           store.SortCondition
	Descending     bool
	Limit          int
	ExclusiveStart *store.Key
	Consistency    units.Consistency
	Filter         Filter
}

// Query reads one page of the items under in.PK whose sort keys satisfy
// in.Sort. The model prices the bytes the page read, before the filter
// (REFERENCE: units), on the partition of in.PK; a throttled page
// returns no items.
func (t *Table) Query(now sim.Time, in QueryInput) Page {
	opt := store.QueryOptions{Limit: in.Limit, Descending: in.Descending}
	if in.ExclusiveStart != nil && t.schema.SortKey != "" {
		opt.ExclusiveStart = &in.ExclusiveStart.SK
	}
	page := t.items.Query(in.PK, in.Sort, opt)
	req := t.request(units.OpQuery, in.PK, 0)
	req.Consistency = in.Consistency
	req.Given, req.ReadBytes, req.ReadHash = true, page.ReadBytes, store.HashKey(t.key)
	out := Page{Outcome: outcomeOf(t.svc.Handle(now, req))}
	if out.Throttled() {
		return out
	}
	out.Scanned = page.Count
	out.Items = keep(page.Items, in.Filter)
	if page.LastKey != nil {
		out.LastKey = &store.Key{PK: in.PK, SK: *page.LastKey}
	}
	return out
}

// ScanInput is a Scan of the table, or of one segment of it.
type ScanInput struct {
	Limit          int
	ExclusiveStart *store.Key
	// Segment and TotalSegments divide a parallel scan; TotalSegments 0
	// scans the whole table.
	Segment, TotalSegments int
	Consistency            units.Consistency
	Filter                 Filter
}

// Scan reads one page of the table (of its segment) in scan order. The
// model prices the bytes the page read, before the filter, on the
// partition where the page began.
func (t *Table) Scan(now sim.Time, in ScanInput) Page {
	opt := store.ScanOptions{Limit: in.Limit, ExclusiveStart: in.ExclusiveStart}
	if in.TotalSegments > 0 {
		opt.Segment = store.Segments(in.Segment, in.TotalSegments)
	}
	page := t.items.Scan(opt)
	start := opt.Segment.Lo
	switch {
	case in.ExclusiveStart != nil:
		start = store.HashString(in.ExclusiveStart.PK.Text())
	case len(page.Items) > 0:
		pk, _ := page.Items[0].Get(t.schema.PartitionKey)
		start = store.HashString(pk.Text())
	}
	req := t.request(units.OpScan, store.Value{}, 0)
	req.Consistency = in.Consistency
	req.Given, req.ReadBytes, req.ReadHash = true, page.ReadBytes, start
	out := Page{Outcome: outcomeOf(t.svc.Handle(now, req))}
	if out.Throttled() {
		return out
	}
	out.Scanned = page.Count
	out.Items = keep(page.Items, in.Filter)
	out.LastKey = page.LastKey
	return out
}

// keep filters items in place.
func keep(items []store.Item, f Filter) []store.Item {
	if f == nil {
		return items
	}
	kept := items[:0]
	for _, it := range items {
		if f(it) {
			kept = append(kept, it)
		}
	}
	return kept
}
