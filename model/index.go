package model

import (
	"cmp"
	"fmt"
	"math"
	"slices"

	"github.com/ddbsim/ddbsim/model/capacity"
	"github.com/ddbsim/ddbsim/model/store"
	"github.com/ddbsim/ddbsim/model/units"
	"github.com/ddbsim/ddbsim/sim"
)

// Secondary indexes (REFERENCE: gsi).
//
// A global secondary index (GSI) is, to the model, a table of its own: its
// partitions, capacity (provisioned, auto scaled, or on-demand following
// its base table), burst, splits and bill are the table machinery's,
// under the name "<table>/<index>". What it stores is not items but, for
// each value of its partition key, how many index entries carry it and
// their bytes: enough to price a query and to split partitions, at 16
// bytes per key value instead of a copy of every item.
//
// The model does not know attribute values, so an index says, as numbers,
// what the application's items do: how many distinct values its
// partition key takes and how popular each is (Keys, Exponent), how many
// items carry it (Coverage, a sparse index), and how often an overwrite
// changes the indexed key or only a projected attribute (KeyChanges,
// ProjectedChanges). The value of an item's index key is a deterministic
// function of the item and of how many times its index key has changed,
// drawn from that popularity, so the same item lands on the same index
// partition until a write moves it.
//
// A local secondary index (LSI) has the table's partition key: its
// entries live on the table's own partitions, its writes are charged to
// the table's write capacity, and each item collection (the items of
// one partition key with their LSI entries) is capped at 10 GB.

// Projection says which attributes an index copies from the table.
type Projection uint8

const (
	// ProjectAll copies every attribute: an index entry is as large as
	// its item, and every change to an item changes its entry.
	ProjectAll Projection = iota
	// ProjectKeysOnly copies only the table's and the index's keys.
	ProjectKeysOnly
	// ProjectInclude copies the keys and some other attributes.
	ProjectInclude
)

func (p Projection) String() string {
	switch p {
	case ProjectKeysOnly:
		return "keys_only"
	case ProjectInclude:
		return "include"
	}
	return "all"
}

// DefaultKeysOnlySize is the size of a keys-only index entry when the
// scenario does not give one: a table key and an index key of a few dozen
// bytes each, under the 1 KB that one write unit covers.
const DefaultKeysOnlySize = 100

// IndexConfig describes a secondary index as a scenario declares it.
type IndexConfig struct {
	Name string
	// Dropped marks a global index deleted while the service runs
	// (Service.DropGlobalIndex): no write goes to it any more. It keeps
	// its place, which requests and the recorder name it by.
	Dropped bool
	// Local makes it a local secondary index: the table's partition key,
	// its own sort key, the table's partitions and capacity.
	Local  bool
	Schema store.KeySchema
	// Projection and, for ProjectKeysOnly and ProjectInclude,
	// ProjectedSize, the bytes of one index entry (0: DefaultKeysOnlySize
	// for keys only). ProjectAll entries are as large as their items.
	Projection    Projection
	ProjectedSize int64
	// Keys is the number of distinct values of a GSI's partition key
	// (at least 1); Exponent > 0 gives them Zipf popularity with that
	// exponent (value 0 the most popular), 0 equal popularity. Queries
	// name value v as the synthetic key "k<v>" (AppendSyntheticKey).
	Keys     int64
	Exponent float64
	// Coverage is the share of items that carry the index's key
	// attributes, in (0, 1]: below 1 the index is sparse, and items
	// without the attributes cost it nothing.
	Coverage float64
	// KeyChanges is the share of writes over an existing item that
	// change its index key: 2 index writes, a delete and a put
	// (REFERENCE: gsi).
	KeyChanges float64
	// ProjectedChanges is, for ProjectInclude, the share of the other
	// overwrites that change a projected attribute: 1 index write. A
	// ProjectAll index sees every overwrite as one; ProjectKeysOnly none.
	ProjectedChanges float64
	// ReadCapacity and WriteCapacity are a GSI's provisioned capacity
	// when its table is provisioned; an LSI has none of its own.
	ReadCapacity, WriteCapacity int64
	// AutoScaling adjusts a provisioned GSI's capacity on its own.
	AutoScaling *capacity.AutoScaling
}

// contents is what a table's partitions hold, as partition management
// sees it: the bytes under each range of hashes and the partition keys
// there. A table's Store is one; a global secondary index's entries are
// another.
type contents interface {
	RangeBytes(r store.HashRange) (bytes int64, keys int)
	EachCollection(r store.HashRange, fn func(store.Collection) bool)
	Bytes() int64
	BillableBytes() int64
}

// indexValue is one value of a GSI's partition key.
type indexValue struct {
	hash    uint64
	entries int64  // index entries with this value
	bytes   int64  // their bytes
	written uint64 // the base store's write count at their last change
}

// gsiEntries are a global secondary index's entries, counted per value of
// its partition key. Value v is the synthetic key "k<v>".
type gsiEntries struct {
	values []indexValue
	byHash []int32 // value numbers in hash order, for ranges and scans
	// cdf is the cumulative popularity of the values under a Zipf law,
	// nil when they are equally popular.
	cdf            []float64
	entries, bytes int64
}

func newGSIEntries(ic IndexConfig) *gsiEntries {
	n := max(ic.Keys, 1)
	g := &gsiEntries{values: make([]indexValue, n), byHash: make([]int32, n)}
	var buf []byte
	for v := range g.values {
		buf = store.AppendSyntheticKey(buf[:0], int64(v))
		g.values[v].hash = store.HashKey(buf)
		g.byHash[v] = int32(v)
	}
	slices.SortFunc(g.byHash, func(a, b int32) int { return cmp.Compare(g.values[a].hash, g.values[b].hash) })
	if ic.Exponent > 0 {
		g.cdf = make([]float64, n)
		sum := 0.0
		for v := range g.cdf {
			sum += math.Pow(float64(v+1), -ic.Exponent)
			g.cdf[v] = sum
		}
		for v := range g.cdf {
			g.cdf[v] /= sum
		}
	}
	return g
}

// valueAt maps u in [0, 1) to a value by the values' popularity.
func (g *gsiEntries) valueAt(u float64) int64 {
	n := int64(len(g.values))
	if g.cdf == nil {
		return min(int64(u*float64(n)), n-1)
	}
	v, _ := slices.BinarySearch(g.cdf, u)
	return min(int64(v), n-1)
}

// add changes value v's entries by n and bytes by b.
func (g *gsiEntries) add(v, n, b int64, written uint64) {
	x := &g.values[v]
	x.entries += n
	x.bytes += b
	x.written = written
	g.entries += n
	g.bytes += b
}

// rangeOf returns the positions in byHash of the values whose hash is in r.
func (g *gsiEntries) rangeOf(r store.HashRange) (lo, hi int) {
	at := func(h uint64) int {
		i, _ := slices.BinarySearchFunc(g.byHash, h, func(v int32, h uint64) int { return cmp.Compare(g.values[v].hash, h) })
		return i
	}
	lo, hi = at(r.Lo), len(g.byHash)
	if r.Hi != 0 {
		hi = at(r.Hi)
	}
	return lo, hi
}

// EachCollection calls fn for each value with entries whose hash is in r,
// in hash order, until fn returns false.
func (g *gsiEntries) EachCollection(r store.HashRange, fn func(store.Collection) bool) {
	lo, hi := g.rangeOf(r)
	for _, v := range g.byHash[lo:hi] {
		x := &g.values[v]
		if x.entries > 0 && !fn(store.Collection{Hash: x.hash, Items: int(x.entries), Bytes: x.bytes}) {
			return
		}
	}
}

// RangeBytes returns the entries' bytes in r and how many values hold them.
func (g *gsiEntries) RangeBytes(r store.HashRange) (bytes int64, keys int) {
	g.EachCollection(r, func(c store.Collection) bool {
		bytes += c.Bytes
		keys++
		return true
	})
	return bytes, keys
}

// Bytes is the entries' bytes.
func (g *gsiEntries) Bytes() int64 { return g.bytes }

// BillableBytes adds 100 bytes per entry, as for items (REFERENCE: units).
func (g *gsiEntries) BillableBytes() int64 { return g.bytes + units.StorageOverheadPerItem*g.entries }

// query reads value v's entries as a Query does: up to limit entries (0:
// no limit) and at most one 1 MB page. Entries of one value are taken as
// equally large.
func (g *gsiEntries) query(v int64, limit int) (count, readBytes int) {
	if v < 0 || v >= int64(len(g.values)) {
		return 0, 0
	}
	x := &g.values[v]
	return store.PageOf(x.entries, x.bytes, limit)
}

// scan reads one page of the index from the cursor, values in hash order,
// and advances the cursor; at the end it starts over. The cursor keeps
// the position of the next value in its sort index.
func (g *gsiEntries) scan(cur *store.ScanCursor, limit int) (count, readBytes int, hash uint64) {
	pos, started := cur.IndexPosition()
	if !started || pos >= int64(len(g.byHash)) {
		*cur = store.ScanCursor{}
		pos = 0
	}
	hash = g.values[g.byHash[pos]].hash
	for ; pos < int64(len(g.byHash)); pos++ {
		x := &g.values[g.byHash[pos]]
		if x.entries == 0 {
			continue
		}
		left := 0
		if limit > 0 {
			left = limit - count
		}
		c, b := store.PageOf(x.entries, x.bytes, left)
		if readBytes+b > store.PageLimit && count > 0 {
			break
		}
		count += c
		readBytes += b
		if limit > 0 && count >= limit || readBytes >= store.PageLimit {
			pos++
			break
		}
	}
	cur.SetIndexPosition(pos)
	return count, readBytes, hash
}

// indexSalt distinguishes the indexes of one table in their hashes.
func indexSalt(i int) uint64 { return store.Mix64(uint64(i+1) * 0x9e3779b97f4a7c15) }

// unitFloat maps a hash to [0, 1).
func unitFloat(h uint64) float64 { return float64(h>>11) / (1 << 53) }

// covers reports whether the item carries index i's key attributes.
func (ic *IndexConfig) covers(item uint64, i int) bool {
	return ic.Coverage >= 1 || unitFloat(store.Mix64(item^indexSalt(i)^0x51afd7ed558ccd)) < ic.Coverage
}

// keyGenBits is how many bits of an item's key generation each index
// uses: four indexes get four bits each, a change of one index's key
// leaving the others' keys where they are; a fifth index shares the first
// one's bits (an approximation: its key then moves with the first's).
const keyGenBits = 4

func keyGenOf(keyGen uint16, i int) uint16 {
	return keyGen >> (keyGenBits * (i % 4)) & (1<<keyGenBits - 1)
}

func nextKeyGen(keyGen uint16, i int) uint16 {
	shift := keyGenBits * (i % 4)
	g := (keyGenOf(keyGen, i) + 1) & (1<<keyGenBits - 1)
	return keyGen&^((1<<keyGenBits-1)<<shift) | g<<shift
}

// valueOf is the value of GSI i's partition key on an item at the given
// key generation: a draw from the values' popularity that the item and
// generation fix.
func (g *gsiEntries) valueOf(item uint64, i int, gen uint16) int64 {
	return g.valueAt(unitFloat(store.Mix64(item ^ indexSalt(i) ^ uint64(gen)*0xbf58476d1ce4e5b9)))
}

// entrySize is the size of an index entry for an item of size bytes.
func (ic *IndexConfig) entrySize(size int) int {
	switch ic.Projection {
	case ProjectAll:
		return size
	case ProjectKeysOnly:
		if ic.ProjectedSize <= 0 {
			return DefaultKeysOnlySize
		}
	}
	return int(ic.ProjectedSize)
}

// newIndexTable makes the table of base's global secondary index i and
// fills it with the entries of base's items.
func newIndexTable(index int, base *Table, i int, p *Params) *Table {
	ic := base.cfg.Indexes[i]
	cfg := TableConfig{
		Name: base.cfg.Name + "/" + ic.Name, Schema: ic.Schema, Mode: base.cfg.Mode,
		ReadCapacity: ic.ReadCapacity, WriteCapacity: ic.WriteCapacity, AutoScaling: ic.AutoScaling,
		StandardIA: base.cfg.StandardIA,
	}
	// An index changes capacity mode with its table (REFERENCE: gsi,
	// "mode follows the table"), keeping its own capacity.
	for _, c := range base.cfg.Schedule {
		if c.SwitchTo != nil {
			cfg.Schedule = append(cfg.Schedule, CapacityChange{At: c.At, SwitchTo: c.SwitchTo})
		}
	}
	g := newGSIEntries(ic)
	base.store.EachItem(func(pkHash uint64, sk int64, size int, keyGen uint16) {
		item := store.ItemHash(pkHash, sk)
		if ic.covers(item, i) {
			g.add(g.valueOf(item, i, keyGenOf(keyGen, i)), 1, int64(ic.entrySize(size)), 0)
		}
	})
	t := &Table{index: index, cfg: cfg, p: p, holds: g, base: base, ordinal: i, gsi: g}
	t.init()
	return t
}

// loadLocalIndexes counts the entries the table's local secondary indexes
// hold for its loaded items.
func (t *Table) loadLocalIndexes() {
	for i := range t.cfg.Indexes {
		ic := &t.cfg.Indexes[i]
		if !ic.Local {
			continue
		}
		t.store.EachItem(func(pkHash uint64, sk int64, size int, _ uint16) {
			if ic.covers(store.ItemHash(pkHash, sk), i) {
				t.lsiEntries++
				t.lsiBytes += int64(ic.entrySize(size))
			}
		})
	}
}

// billableBytes is the stored size the table is billed for: its items,
// or its index entries, and its local indexes' entries, each with the
// 100-byte overhead, and a global table's replica 48 bytes more for each
// item (REFERENCE: units; Params.GlobalStorageOverhead).
func (t *Table) billableBytes() int64 {
	b := t.holds.BillableBytes() + t.lsiBytes + units.StorageOverheadPerItem*t.lsiEntries
	if t.global != nil && t.store != nil {
		b += t.p.GlobalStorageOverhead * int64(t.store.Len())
	}
	return b
}

// MaxGlobalIndexes and MaxLocalIndexes are the default quotas of indexes
// per table.
const (
	MaxGlobalIndexes = 20
	MaxLocalIndexes  = 5
)

// checkIndexes validates the table's index configurations and fills in
// their defaults.
func (t *Table) checkIndexes() error {
	t.cfg.Indexes = slices.Clone(t.cfg.Indexes)
	var global, local int
	for i := range t.cfg.Indexes {
		ic := &t.cfg.Indexes[i]
		if ic.Coverage <= 0 || ic.Coverage > 1 {
			ic.Coverage = 1
		}
		if ic.Keys < 1 {
			ic.Keys = 1
		}
		switch {
		case ic.Dropped:
		case ic.Local:
			local++
			if t.cfg.Schema.SortKey == "" {
				return fmt.Errorf("table %s: local index %s needs the table to have a sort key", t.cfg.Name, ic.Name)
			}
		default:
			global++
			if t.cfg.Mode == Provisioned && (ic.ReadCapacity < 1 || ic.WriteCapacity < 1) {
				return fmt.Errorf("table %s: global index %s needs at least 1 RCU and 1 WCU, got %d and %d",
					t.cfg.Name, ic.Name, ic.ReadCapacity, ic.WriteCapacity)
			}
		}
	}
	if global > MaxGlobalIndexes || local > MaxLocalIndexes {
		return fmt.Errorf("table %s: %d global and %d local indexes; a table has at most %d and %d",
			t.cfg.Name, global, local, MaxGlobalIndexes, MaxLocalIndexes)
	}
	return nil
}

// maxIndexWrites is the most index writes one item write makes: a delete
// and a put in every global index.
const maxIndexWrites = 2 * MaxGlobalIndexes

// indexWrite is one write to a global secondary index's partition: all
// the index entries one item write changes there.
type indexWrite struct {
	x    *Table
	pi   int
	hash uint64
	cost units.Units
}

// indexChange is one change to a GSI value's entries.
type indexChange struct {
	x              *Table
	value          int64
	entries, bytes int64
}

// indexPlan is what one write of an item does to the table's indexes.
type indexPlan struct {
	writes  [maxIndexWrites]indexWrite
	changes [maxIndexWrites]indexChange
	nw, nc  int
	// local is the write units the local indexes add to the table's
	// write; lsiEntries and lsiBytes their entries' change.
	local                units.Units
	lsiEntries, lsiBytes int64
	keyGen               uint16 // the item's key generation after the write
	keyGenChanged        bool
}

// draw is the next number of the model's own generator (SplitMix64).
func (s *Service) draw() float64 {
	s.seq += 0x9e3779b97f4a7c15
	return unitFloat(store.Mix64(s.seq))
}

// planIndexes works out the index writes of one item write on t
// (REFERENCE: gsi): for each index that covers the item, a new item puts
// one entry, a delete deletes one, and an overwrite costs 2 index writes
// (delete and put) when it changes the index key, 1 when it changes only
// projected attributes, 0 otherwise. Index writes are priced as writes of
// the entry's size. Global index writes go to the index's partitions;
// local ones add to the table's own write. It does not allocate.
func (s *Service) planIndexes(t *Table, pkHash uint64, sk int64, oldSize int, existed bool, keyGen uint16, newSize int, del bool) *indexPlan {
	p := &s.plan
	p.nw, p.nc, p.local, p.lsiEntries, p.lsiBytes, p.keyGen, p.keyGenChanged = 0, 0, 0, 0, 0, keyGen, false
	item := store.ItemHash(pkHash, sk)
	for i := range t.cfg.Indexes {
		ic := &t.cfg.Indexes[i]
		if ic.Dropped || !ic.covers(item, i) || del && !existed {
			continue
		}
		oldE, newE := ic.entrySize(oldSize), ic.entrySize(newSize)
		var x *Table
		var old, next int64 // GSI values before and after
		if !ic.Local {
			x = t.indexes[i]
			old = x.gsi.valueOf(item, i, keyGenOf(keyGen, i))
			next = old
		}
		switch {
		case del:
			s.indexEntry(p, ic, x, old, -1, -int64(oldE), oldE)
		case !existed:
			s.indexEntry(p, ic, x, old, 1, int64(newE), newE)
		case ic.KeyChanges > 0 && s.draw() < ic.KeyChanges:
			if x != nil {
				p.keyGen, p.keyGenChanged = nextKeyGen(p.keyGen, i), true
				next = x.gsi.valueOf(item, i, keyGenOf(p.keyGen, i))
			}
			s.indexEntry(p, ic, x, old, -1, -int64(oldE), oldE)
			s.indexEntry(p, ic, x, next, 1, int64(newE), newE)
		case ic.Projection == ProjectAll,
			ic.Projection == ProjectInclude && s.draw() < ic.ProjectedChanges:
			s.indexEntry(p, ic, x, old, 0, int64(newE-oldE), max(oldE, newE))
		}
	}
	return p
}

// indexEntry adds one index write of an entry of size bytes, changing the
// entries of value v of global index x (nil: a local index) by n and
// their bytes by b.
func (s *Service) indexEntry(p *indexPlan, ic *IndexConfig, x *Table, v, n, b int64, size int) {
	cost := units.WriteUnits(size, units.Eventual) // a plain write: Eventual is not Transactional
	if x == nil {
		p.local += cost
		p.lsiEntries += n
		p.lsiBytes += b
		return
	}
	p.changes[p.nc] = indexChange{x: x, value: v, entries: n, bytes: b}
	p.nc++
	hash := x.gsi.values[v].hash
	pi := x.PartitionOf(hash)
	for j := range p.nw {
		if w := &p.writes[j]; w.x == x && w.pi == pi {
			w.cost += cost
			return
		}
	}
	p.writes[p.nw] = indexWrite{x: x, pi: pi, hash: hash, cost: cost}
	p.nw++
}

// globalCost is what the plan's global index writes consume.
func (p *indexPlan) globalCost() units.Units {
	var u units.Units
	for j := range p.nw {
		u += p.writes[j].cost
	}
	return u
}

// IndexWrite is one index entry a write changes, as its caller worked it
// out from the real items it keeps (ddbsim serve; see Request.Given):
// on index Index (its place in TableConfig.Indexes) one write of an entry
// of Size bytes, under the index partition key hashed Hash (a global
// index's: where the write lands), changing the index's entries by
// Entries (+1 an entry put, -1 one deleted) and its bytes by Bytes.
type IndexWrite struct {
	Index   int
	Hash    uint64
	Size    int
	Entries int64
	Bytes   int64
}

// givenPlan is the index plan of a write whose index writes its caller
// gave (REFERENCE: gsi: a key change is 2 writes, a projected change 1,
// nothing else 0; each priced as a write of its entry). A global index's
// entries are counted by the partition key's hash alone, so its split by
// size is not followed for such writes. It does not allocate.
func (s *Service) givenPlan(t *Table, ws []IndexWrite) *indexPlan {
	p := &s.plan
	p.nw, p.nc, p.local, p.lsiEntries, p.lsiBytes, p.keyGenChanged = 0, 0, 0, 0, 0, false
	for _, w := range ws {
		if w.Index < 0 || w.Index >= len(t.cfg.Indexes) {
			panic(fmt.Sprintf("model: table %s: index write to index %d of %d", t.cfg.Name, w.Index, len(t.cfg.Indexes)))
		}
		cost := units.WriteUnits(w.Size, units.Eventual) // a plain write: Eventual is not Transactional
		if t.cfg.Indexes[w.Index].Local {
			p.local += cost
			p.lsiEntries += w.Entries
			p.lsiBytes += w.Bytes
			continue
		}
		x := t.indexes[w.Index]
		pi := x.PartitionOf(w.Hash)
		merged := false
		for j := range p.nw {
			if pw := &p.writes[j]; pw.x == x && pw.pi == pi {
				pw.cost += cost
				merged = true
				break
			}
		}
		if !merged {
			if p.nw == len(p.writes) {
				panic(fmt.Sprintf("model: table %s: more than %d index writes for one item", t.cfg.Name, len(p.writes)))
			}
			p.writes[p.nw] = indexWrite{x: x, pi: pi, hash: w.Hash, cost: cost}
			p.nw++
		}
	}
	return p
}

// admit decides a plan's global index writes at now (see admitIndexWrites).
func (p *indexPlan) admit(now sim.Time, ev *ThrottleEvent) bool {
	return admitIndexWrites(now, p.writes[:p.nw], ev)
}

// admitIndexWrites decides global index writes at now: every index
// partition must take its writes, or the table's write is throttled with
// the index's reason (back-pressure, REFERENCE: gsi). ev is filled when
// they are refused.
func admitIndexWrites(now sim.Time, ws []indexWrite, ev *ThrottleEvent) bool {
	for j := range ws {
		w := &ws[j]
		if limit := w.x.limitFor(now, w.pi, true, w.cost, ceilingLoad(true, w.cost)); limit != 0 {
			w.x.refuse(now, w.pi, true, w.cost, limit, ev)
			ev.Reason += indexReasonOffset
			return false
		}
	}
	return true
}

// commit charges an admitted plan's index writes and applies its changes
// to the indexes' entries; written is the base store's write count after
// the write.
func (p *indexPlan) commit(now sim.Time, t *Table, rec Recorder, written uint64) {
	commitIndexWrites(now, rec, p.writes[:p.nw], p.changes[:p.nc], written)
	t.lsiEntries += p.lsiEntries
	t.lsiBytes += p.lsiBytes
}

func commitIndexWrites(now sim.Time, rec Recorder, ws []indexWrite, cs []indexChange, written uint64) {
	for j := range ws {
		w := &ws[j]
		w.x.charge(now, w.pi, w.hash, true, units.Strong, w.cost)
		rec.Consumed(now, w.x.index, w.pi, 0, w.cost)
	}
	for j := range cs {
		c := &cs[j]
		c.x.gsi.add(c.value, c.entries, c.bytes, written)
		pi := c.x.PartitionOf(c.x.gsi.values[c.value].hash)
		c.x.parts[pi].bytes += c.bytes
	}
}

// txIndexes gathers the index writes of a transaction's items, reused
// from one transaction to the next.
type txIndexes struct {
	writes               []indexWrite
	changes              []indexChange
	lsiEntries, lsiBytes int64
}

func (x *txIndexes) reset() {
	x.writes, x.changes, x.lsiEntries, x.lsiBytes = x.writes[:0], x.changes[:0], 0, 0
}

// add merges one item's plan, one write per index partition.
func (x *txIndexes) add(p *indexPlan) {
	x.changes = append(x.changes, p.changes[:p.nc]...)
	x.lsiEntries += p.lsiEntries
	x.lsiBytes += p.lsiBytes
next:
	for _, w := range p.writes[:p.nw] {
		for j := range x.writes {
			if x.writes[j].x == w.x && x.writes[j].pi == w.pi {
				x.writes[j].cost += w.cost
				continue next
			}
		}
		x.writes = append(x.writes, w)
	}
}

// ItemCollectionLimit is the most an item collection of a table with a
// local secondary index may hold: its items and their index entries
// (REFERENCE: gsi).
const ItemCollectionLimit int64 = 10 << 30

// collectionTooLarge reports whether a write that replaces an item of
// oldSize bytes (existed) under pk with one of newSize bytes (0: a
// delete), with its local index entries, grows an item collection past
// ItemCollectionLimit. A write that does not grow the collection is
// always allowed, even in a collection already over the limit: the
// service then refuses only writes that add items or enlarge them, and
// still serves those that shrink it (REFERENCE: gsi; AWS Developer Guide,
// "Local secondary indexes", item collection size limit: "Read and write
// operations that shrink the size of the item collection are still
// allowed"). It walks the collection's items.
func (t *Table) collectionTooLarge(pk []byte, p *indexPlan, oldSize int, existed bool, newSize int) bool {
	growth := int64(newSize) + p.lsiBytes
	if existed {
		growth -= int64(oldSize)
	}
	if growth <= 0 {
		return false
	}
	items, bytes := t.store.CollectionStats(pk)
	total := bytes
	for i := range t.cfg.Indexes {
		ic := &t.cfg.Indexes[i]
		if !ic.Local {
			continue
		}
		// The collection's entries in this index, from its items: all of
		// them when the index covers every item.
		if ic.Projection == ProjectAll {
			total += int64(ic.Coverage * float64(bytes))
		} else {
			total += int64(ic.Coverage * float64(int64(items)*int64(ic.entrySize(0))))
		}
	}
	return total+growth > ItemCollectionLimit
}

// serveIndexRead serves a query or scan of a secondary index. A global
// index's reads are eventually consistent whatever was asked (REFERENCE:
// gsi) and charged to the index's partitions, with the index's reasons
// when throttled; a local index's are charged to the table, at the
// consistency asked for.
func (s *Service) serveIndexRead(now sim.Time, req *Request) Response {
	t := s.tables[req.Table]
	ic := &t.cfg.Indexes[req.Index-1]
	var (
		x         = t
		hash      uint64
		readBytes int
		cursor    store.ScanCursor
		c         = req.Consistency
	)
	if !ic.Local {
		x, c = t.indexes[req.Index-1], units.Eventual
	}
	switch {
	case req.Given:
		readBytes, hash = req.ReadBytes, req.ReadHash
	case ic.Local:
		var count int
		if req.Op == units.OpScan {
			cursor = *req.Cursor
			count, readBytes = t.store.ScanSized(&cursor, req.Limit)
			hash = req.Cursor.Hash()
		} else {
			count, readBytes = t.store.QueryFromSized(req.Key, req.SortFrom, req.Limit)
			hash = store.HashKey(req.Key)
		}
		if ic.Projection != ProjectAll {
			readBytes = count * ic.entrySize(0)
		}
		readBytes = int(ic.Coverage * float64(readBytes))
	default:
		if req.Op == units.OpScan {
			cursor = *req.Cursor
			_, readBytes, hash = x.gsi.scan(&cursor, req.Limit)
		} else {
			_, readBytes = x.gsi.query(store.SyntheticIndex(req.Key), req.Limit)
			hash = store.HashKey(req.Key)
		}
	}
	cost := units.QueryUnits(readBytes, c)
	pi := x.PartitionOf(hash)
	if limit := x.limitFor(now, pi, false, cost, x.ceilingLoadOf(false, c, cost)); limit != 0 {
		x.refuse(now, pi, false, cost, limit, &s.ev)
		if x != t {
			s.ev.Reason += indexReasonOffset
		}
		return s.throttled(now, req.Op)
	}
	x.charge(now, pi, hash, false, c, cost)
	if req.Op == units.OpScan && !req.Given {
		*req.Cursor = cursor
	}
	s.rec.Consumed(now, x.index, pi, cost, 0)
	return Response{Read: cost, Latency: s.latency.Service(s.rng, req.Op, c, readBytes), readBytes: readBytes}
}
