package store

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"math/bits"
	"slices"
	"unsafe"

	"github.com/ddbsim/ddbsim/model/units"
)

// KeySchema names a table's key attributes.
type KeySchema struct {
	PartitionKey string
	SortKey      string // "" if the table has no sort key
}

// Validate checks the names: a partition key is required, and the two keys
// must differ.
func (k KeySchema) Validate() error {
	if k.PartitionKey == "" {
		return errors.New("store: key schema has no partition key")
	}
	if k.SortKey == k.PartitionKey {
		return fmt.Errorf("store: sort key %q repeats the partition key", k.SortKey)
	}
	return nil
}

// Errors the store returns for invalid items and keys; the returned errors
// wrap these and say which attribute is at fault.
var (
	ErrMissingKey   = errors.New("store: missing key attribute")
	ErrInvalidKey   = errors.New("store: invalid key attribute")
	ErrKeyTooLarge  = errors.New("store: key attribute too large")
	ErrItemTooLarge = errors.New("store: item too large")
	ErrUpdateKey    = errors.New("store: cannot update a key attribute")
)

// Store holds one table's items.
//
// Layout. The table is split into hash buckets by the top bits of
// HashKey(partition key). Each bucket holds its item collections (all
// items with one partition key) as values, sorted by (hash, key bytes); each
// collection holds its items sorted by sort key. There is no Go map: a
// lookup hashes the key and binary-searches one bucket of a few
// collections, which measured as fast as a map lookup, saves the 30–60
// bytes a map entry costs per key, and gives the deterministic scan order
// (hash, partition key, sort key) for free: nothing ever iterates a Go
// map. Partitions own contiguous hash ranges, so that order also walks the
// partitions one after another, as the service's Scan does.
//
// The bucket count follows the number of partition keys (64 up to 2^20,
// about 4 keys per bucket) rather than being fixed at 65,536: a small
// table then costs kilobytes instead of 1.5 MB of bucket headers, and a
// table of millions of keys keeps its buckets short. Doubling splits each
// sorted bucket in place, so the order never changes.
//
// Items come in two forms. A synthetic item, written by the hot-path
// calls (PutSized, Preload), is just its sort-key index and its size: the
// item {partition key: S, sort key: N(index), "data": Padding(rest)} is
// built only when the general API returns it. Any other item keeps its
// attributes. Both forms share one collection and one order.
//
// A Store is not safe for concurrent use.
type Store struct {
	schema  KeySchema
	hasSK   bool
	padName string // name of a synthetic item's padding attribute, "data"
	x       *index // nil until the first item
	n       int
	bytes   int64
	writes  uint64 // writes so far: a version of the whole table
}

// The number of hash buckets grows with the table, from 2^6 to 2^20,
// keeping at most collsPerBucket collections per bucket on average. Four
// keeps a bucket's binary search within a few cache lines (measured:
// SizeOf ~10% faster than 16 per bucket at 100k keys) for 6 bytes of bucket
// header per key.
const (
	minBucketBits  = 6
	maxBucketBits  = 20
	collsPerBucket = 4
)

// index is the store's layout, allocated with the first item.
type index struct {
	shift    uint // 64 - bucket bits: a hash's bucket is hash >> shift
	buckets  [][]collection
	nonEmpty []uint64 // bit b set: buckets[b] is not empty
	colls    int
	// Where the buckets, the collections' entries and the synthetic
	// partition keys grow into (see slab).
	collSlab  slab[collection]
	entrySlab slab[entry]
	keys      keyArena
}

// bucketBitsFor returns how many bucket bits suit colls collections.
func bucketBitsFor(colls int64) int {
	b := minBucketBits
	for b < maxBucketBits && colls > collsPerBucket<<b {
		b++
	}
	return b
}

func newIndex(bits int) *index {
	nb := 1 << bits
	return &index{shift: uint(64 - bits), buckets: make([][]collection, nb), nonEmpty: make([]uint64, nb/64)}
}

func (x *index) bucket(h uint64) int { return int(h >> x.shift) }

// grow doubles the buckets. A bucket's collections are sorted by hash, so
// each splits in two at the first hash with the next bit set; the scan
// order does not change. Each part moves to a slice of its own class and
// the old slice goes back to the slab, for the buckets refilling: splitting
// in place instead would leave parts of slab chunks that no class fits,
// holding their chunks alive (measured on voting: a fifth more peak heap).
func (x *index) grow() {
	old := x.buckets
	x.shift--
	x.buckets = make([][]collection, 2*len(old))
	x.nonEmpty = make([]uint64, len(x.buckets)/64)
	for b, cs := range old {
		k, _ := slices.BinarySearchFunc(cs, true, func(c collection, _ bool) int {
			if c.hash>>x.shift&1 == 0 {
				return -1
			}
			return 1
		})
		x.setBucket(2*b, x.collSlab.clone(cs[:k]))
		x.setBucket(2*b+1, x.collSlab.clone(cs[k:]))
		x.collSlab.put(cs)
	}
}

func (x *index) setBucket(b int, cs []collection) {
	if len(cs) == 0 {
		cs = nil
		x.nonEmpty[b/64] &^= 1 << (b % 64)
	} else {
		x.nonEmpty[b/64] |= 1 << (b % 64)
	}
	x.buckets[b] = cs
}

// collection is the items under one partition key, sorted by sort key;
// exactly one item when the table has no sort key. It is never empty.
//
// A collection of one item holds it in one, so that a lookup reads no
// memory beyond the collection; more is then nil. A collection of more
// items holds them all in a slab slice (more, of length n and capacity
// c: 16 bytes where a slice header takes 24, so that a collection is 64
// bytes, one cache line of the bucket's array), and one is zero. The
// slice items returns over one points into the bucket's array, which
// moves when a collection is inserted or deleted: no slice of a
// collection's items is kept across a change of its bucket.
type collection struct {
	pk   string
	hash uint64
	one  [1]entry
	more *entry
	n, c int32
}

// items returns the collection's items, sorted by sort key.
func (c *collection) items() []entry {
	if c.more != nil {
		return unsafe.Slice(c.more, c.c)[:c.n]
	}
	return c.one[:]
}

// setMore makes es the collection's items, or, for a nil es, leaves it
// to hold its item in one.
func (c *collection) setMore(es []entry) {
	if cap(es) > math.MaxInt32 {
		panic("store: a collection of more than 2^31 items")
	}
	c.more, c.n, c.c = unsafe.SliceData(es), int32(len(es)), int32(cap(es))
}

// insertEntry inserts e at position j of c's items.
func (x *index) insertEntry(c *collection, j int, e entry) {
	if c.more != nil {
		c.setMore(x.entrySlab.insert(c.items(), j, e))
		return
	}
	es := x.entrySlab.get(2)[:2]
	es[j], es[1-j] = e, c.one[0]
	c.setMore(es)
	c.one[0] = entry{}
}

// deleteEntry deletes item j of c, which holds more than one item.
func (x *index) deleteEntry(c *collection, j int) {
	es := slices.Delete(c.items(), j, j+1)
	if len(es) > 1 {
		c.setMore(es)
		return
	}
	c.one[0] = es[0]
	x.entrySlab.put(es)
	c.setMore(nil)
}

// entry is one item: 24 bytes. A synthetic item has gen == nil, its sort
// key is the Number idx, and its attributes follow from size.
//
// ver and keyGen fill what would otherwise be padding. ver counts the
// item's writes (modulo 2^16), so that a cached copy can tell it is
// stale; keyGen counts changes of the item's secondary-index keys (see
// indexKeyGen).
type entry struct {
	idx    int64
	size   int32
	ver    uint16
	keyGen uint16
	gen    *general
}

// general is an item written through the general API.
type general struct {
	sk   Value // the sort key; the zero Value without a sort key
	item Item
}

// skey is a sort key: a Value, or, when v is the zero Value, the Number
// holding idx (a synthetic index, compared without formatting it).
type skey struct {
	v   Value
	idx int64
}

func (e *entry) key() skey {
	if e.gen != nil {
		return skey{v: e.gen.sk}
	}
	return skey{idx: e.idx}
}

// NewStore returns an empty store for a table with the given key schema. A
// schema that fails KeySchema.Validate makes every PutItem and UpdateItem
// fail with its error.
func NewStore(schema KeySchema) *Store {
	pad := "data"
	for pad == schema.PartitionKey || pad == schema.SortKey {
		pad += "_"
	}
	return &Store{schema: schema, hasSK: schema.SortKey != "", padName: pad}
}

// Schema returns the store's key schema.
func (s *Store) Schema() KeySchema { return s.schema }

// HasSortKey reports whether the table's key schema has a sort key.
func (s *Store) HasSortKey() bool { return s.hasSK }

// Len returns the number of items.
func (s *Store) Len() int { return s.n }

// Bytes returns the sum of the items' sizes.
func (s *Store) Bytes() int64 { return s.bytes }

// BillableBytes returns the stored size as storage is billed: every item's
// size plus 100 bytes (REFERENCE: units, "Storage billing adds 100 B per
// item").
func (s *Store) BillableBytes() int64 {
	return s.bytes + int64(s.n)*units.StorageOverheadPerItem
}

func (s *Store) index() *index {
	if s.x == nil {
		s.x = newIndex(minBucketBits)
	}
	return s.x
}

// searchColl finds the collection with key pk (hash h) in a bucket: its
// position, or where it would be inserted. The string(pk) conversions
// appear only in comparisons, where the compiler does not allocate.
func searchColl[K string | []byte](cs []collection, h uint64, pk K) (int, bool) {
	lo, hi := 0, len(cs)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		c := &cs[m]
		if c.hash < h || c.hash == h && c.pk < string(pk) {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo, lo < len(cs) && cs[lo].hash == h && cs[lo].pk == string(pk)
}

// find returns the collection under pk, or nil.
func (s *Store) find(pk []byte) *collection {
	if s.x == nil {
		return nil
	}
	return s.findHashed(pk, HashKey(pk))
}

// findHashed is find for a key whose hash the caller has: h = HashKey(pk).
func (s *Store) findHashed(pk []byte, h uint64) *collection {
	if s.x == nil {
		return nil
	}
	cs := s.x.buckets[s.x.bucket(h)]
	i, ok := searchColl(cs, h, pk)
	if !ok {
		return nil
	}
	return &cs[i]
}

// insertColl inserts a collection at position i of bucket b. It may grow
// the buckets, so positions found before it are stale after it.
func (x *index) insertColl(b, i int, c collection) {
	x.setBucket(b, x.collSlab.insert(x.buckets[b], i, c))
	x.colls++
	if x.colls > collsPerBucket*len(x.buckets) && x.shift > 64-maxBucketBits {
		x.grow()
	}
}

// deleteColl deletes collection i of bucket b, handing its entries and,
// if the bucket empties, the bucket's slice back to the slabs.
func (x *index) deleteColl(b, i int) {
	cs := x.buckets[b]
	if cs[i].more != nil {
		x.entrySlab.put(cs[i].items())
	}
	cs = slices.Delete(cs, i, i+1)
	if len(cs) == 0 {
		x.collSlab.put(cs)
	}
	x.setBucket(b, cs)
	x.colls--
}

// nextNonEmpty returns the first non-empty bucket at or after b, or -1.
func (x *index) nextNonEmpty(b int) int {
	for w := b / 64; w < len(x.nonEmpty) && b < len(x.buckets); w++ {
		word := x.nonEmpty[w]
		if w == b/64 {
			word &^= 1<<(b%64) - 1 // drop the buckets before b
		}
		if word != 0 {
			return w*64 + bits.TrailingZeros64(word)
		}
	}
	return -1
}

// keyRank orders sort keys of different types. A table declares one type
// per key attribute in the service; this store does not, so it orders
// integers only.
func searchIdx(es []entry, idx int64) (int, bool) {
	// A preloaded collection holds indexes 0, 1, 2, ... at those
	// positions: try the direct hit (one cache miss) before searching.
	if idx >= 0 && idx < int64(len(es)) {
		if e := &es[idx]; e.gen == nil && e.idx == idx {
			return int(idx), true
		}
	}
	c := func(e *entry) int {
		if e.gen == nil {
			return cmp.Compare(e.idx, idx)
		}
		return compareValueInt(e.gen.sk, idx)
	}
	lo, hi := 0, len(es)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if c(&es[m]) < 0 {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo, lo < len(es) && c(&es[lo]) == 0
}

// lowerSK returns the first position whose sort key is >= k (after: > k).
func lowerSK(es []entry, k skey, after bool) int {
	lo, hi := 0, len(es)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		c := compareSK(es[m].key(), k)
		if c < 0 || after && c == 0 {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo
}

// PageTakes reports whether a page that has read count items and read bytes
// takes one more item of size bytes. REFERENCE: units — "One Query/Scan
// page returns at most 1 MB": the item that would take the page past
// PageLimit is not read; it starts the next page. A page always takes its
// first item (no item exceeds MaxItemSize, far below 1 MB), so paging
// always advances. limit <= 0 means no item limit.
func PageTakes(count, read, size, limit int) bool {
	if limit > 0 && count >= limit {
		return false
	}
	return count == 0 || read+size <= PageLimit
}

// PageOf is the part of n items of b bytes in all that one Query or Scan
// page reads when it knows only their average size (a secondary index's
// entries): the page rule of PageTakes, applied to the average.
func PageOf(n, b int64, limit int) (count, readBytes int) {
	if n <= 0 {
		return 0, 0
	}
	avg := max(b/n, 1)
	take := n
	if limit > 0 {
		take = min(take, int64(limit))
	}
	take = min(take, max(1, PageLimit/avg))
	return int(take), int(min(take*avg, b))
}

// ---- Hot path: synthetic items addressed by key bytes and sort-key index.
// These trust their caller: keys are not validated.

// synthKeySize is the size of a synthetic item's key attributes.
func (s *Store) synthKeySize(pkLen int, idx int64) int {
	n := len(s.schema.PartitionKey) + pkLen
	if s.hasSK {
		n += len(s.schema.SortKey) + intNumberSize(idx)
	}
	return n
}

// synthSize is the size of the synthetic item PutSized stores when asked
// for want bytes: exactly want (at most MaxItemSize), unless want is too
// small to hold the keys and the padding attribute's name, in which case
// the item is just its keys.
func (s *Store) synthSize(pkLen int, idx int64, want int) int {
	keys := s.synthKeySize(pkLen, idx)
	want = min(want, units.MaxItemSize)
	if want < keys+len(s.padName) {
		return keys
	}
	return want
}

// entryAt returns the entry with sort-key index sk in c (ignored without a
// sort key): its position, or where it would be inserted.
func (s *Store) entryAt(c *collection, sk int64) (int, bool) {
	if !s.hasSK {
		return 0, true
	}
	return searchIdx(c.items(), sk)
}

// SizeOf returns the size of the item at (pk, sort-key index sk); the index
// is ignored when the table has no sort key. It does not allocate.
func (s *Store) SizeOf(pk []byte, sk int64) (size int, found bool) {
	c := s.find(pk)
	if c == nil {
		return 0, false
	}
	j, ok := s.entryAt(c, sk)
	if !ok {
		return 0, false
	}
	return int(c.items()[j].size), true
}

// PutSized writes the synthetic item {partition key: S(pk), sort key:
// N(sk) if the table has one, "data": Padding(rest)} whose size is exactly
// size bytes, replacing any item at that key. A size too small to hold the
// keys plus the padding attribute's name gives an item of just the keys
// (slightly larger or smaller than asked); a size over MaxItemSize is
// capped there. It returns the replaced item's size. It does not allocate
// when the item exists: the entry is overwritten in place.
func (s *Store) PutSized(pk []byte, sk int64, size int) (oldSize int, existed bool) {
	return s.PutSizedHashed(pk, HashKey(pk), sk, size)
}

// PutSizedHashed is PutSized for a key whose hash the caller has: h =
// HashKey(pk). A write that follows ItemVersionHashed of the same key
// hashes the key once, and searches a bucket the lookup has just read.
func (s *Store) PutSizedHashed(pk []byte, h uint64, sk int64, size int) (oldSize int, existed bool) {
	if !s.hasSK {
		sk = 0
	}
	newSize := s.synthSize(len(pk), sk, size)
	x := s.index()
	b := x.bucket(h)
	i, ok := searchColl(x.buckets[b], h, pk)
	s.writes++
	if !ok {
		c := collection{pk: x.keys.key(pk), hash: h}
		c.one[0] = entry{idx: sk, size: int32(newSize), ver: 1}
		x.insertColl(b, i, c)
		s.n++
		s.bytes += int64(newSize)
		return 0, false
	}
	c := &x.buckets[b][i]
	j, ok := s.entryAt(c, sk)
	if ok {
		e := &c.items()[j]
		oldSize = int(e.size)
		*e = entry{idx: sk, size: int32(newSize), ver: e.ver + 1, keyGen: e.keyGen}
		s.bytes += int64(newSize - oldSize)
		return oldSize, true
	}
	x.insertEntry(c, j, entry{idx: sk, size: int32(newSize), ver: 1})
	s.n++
	s.bytes += int64(newSize)
	return 0, false
}

// SizeOfHashed is SizeOf for a key whose hash the caller has.
func (s *Store) SizeOfHashed(pk []byte, h uint64, sk int64) (size int, found bool) {
	c := s.findHashed(pk, h)
	if c == nil {
		return 0, false
	}
	j, ok := s.entryAt(c, sk)
	if !ok {
		return 0, false
	}
	return int(c.items()[j].size), true
}

// ItemVersionHashed is ItemVersion for a key whose hash the caller has.
func (s *Store) ItemVersionHashed(pk []byte, h uint64, sk int64) (size int, ver, keyGen uint16, found bool) {
	c := s.findHashed(pk, h)
	if c == nil {
		return 0, 0, 0, false
	}
	j, ok := s.entryAt(c, sk)
	if !ok {
		return 0, 0, 0, false
	}
	e := &c.items()[j]
	return int(e.size), e.ver, e.keyGen, true
}

// ItemVersion returns what a cache and an index need to know about the
// item at (pk, sort-key index sk): its size, its write version (which
// changes with every write), and its index-key generation. It does not
// allocate.
func (s *Store) ItemVersion(pk []byte, sk int64) (size int, ver, keyGen uint16, found bool) {
	c := s.find(pk)
	if c == nil {
		return 0, 0, 0, false
	}
	j, ok := s.entryAt(c, sk)
	if !ok {
		return 0, 0, 0, false
	}
	e := &c.items()[j]
	return int(e.size), e.ver, e.keyGen, true
}

// SetKeyGen sets the index-key generation of the item at (pk, sk), which
// a write that changes the item's index keys advances.
func (s *Store) SetKeyGen(pk []byte, sk int64, keyGen uint16) {
	s.SetKeyGenHashed(pk, HashKey(pk), sk, keyGen)
}

// SetKeyGenHashed is SetKeyGen for a key whose hash the caller has: h =
// HashKey(pk).
func (s *Store) SetKeyGenHashed(pk []byte, h uint64, sk int64, keyGen uint16) {
	c := s.findHashed(pk, h)
	if c == nil {
		return
	}
	if j, ok := s.entryAt(c, sk); ok {
		c.items()[j].keyGen = keyGen
	}
}

// CollectionStats returns the items of the collection under pk and their
// bytes. It walks the collection and does not allocate.
func (s *Store) CollectionStats(pk []byte) (items int, size int64) {
	c := s.find(pk)
	if c == nil {
		return 0, 0
	}
	es := c.items()
	for i := range es {
		size += int64(es[i].size)
	}
	return len(es), size
}

// Writes returns the number of writes the store has taken: a version of
// the whole table, for cached scans.
func (s *Store) Writes() uint64 { return s.writes }

// DeleteSized deletes the item at (pk, sort-key index sk) and returns its
// size. It does not allocate.
func (s *Store) DeleteSized(pk []byte, sk int64) (oldSize int, existed bool) {
	if s.x == nil {
		return 0, false
	}
	h := HashKey(pk)
	b := s.x.bucket(h)
	i, ok := searchColl(s.x.buckets[b], h, pk)
	if !ok {
		return 0, false
	}
	j, ok := s.entryAt(&s.x.buckets[b][i], sk)
	if !ok {
		return 0, false
	}
	s.writes++
	return s.removeEntry(b, i, j), true
}

// removeEntry deletes entry j of collection i of bucket b, and the
// collection if it empties, and returns the entry's size.
func (s *Store) removeEntry(b, i, j int) int {
	c := &s.x.buckets[b][i]
	size := int(c.items()[j].size)
	if c.more == nil {
		s.x.deleteColl(b, i)
	} else {
		s.x.deleteEntry(c, j)
	}
	s.n--
	s.bytes -= int64(size)
	return size
}

// QuerySized reads the first page of the collection under pk in ascending
// sort-key order: up to limit items (0: no limit) and at most 1 MB (see
// Query). It returns the items read and their total size, zero for a
// missing key. It does not allocate.
func (s *Store) QuerySized(pk []byte, limit int) (count, readBytes int) {
	return s.QueryFromSized(pk, 0, limit)
}

// QueryFromSized is QuerySized for a sort-key range that starts at the
// sort-key index from (the condition sort key >= from); without a sort
// key it reads the one item. It does not allocate.
func (s *Store) QueryFromSized(pk []byte, from int64, limit int) (count, readBytes int) {
	c := s.find(pk)
	if c == nil {
		return 0, 0
	}
	es := c.items()
	start := 0
	if s.hasSK && from > 0 {
		start, _ = searchIdx(es, from)
	}
	for i := start; i < len(es); i++ {
		size := int(es[i].size)
		if !PageTakes(count, readBytes, size, limit) {
			break
		}
		count++
		readBytes += size
	}
	return count, readBytes
}

// ScanCursor is a position in a table's scan order (hash, partition key,
// sort key): the last item a page returned. The zero value stands at the
// start of the table. It holds no pointer into the store, so it stays
// valid while items come and go, and a copy is an independent cursor.
type ScanCursor struct {
	pk      string
	sk      skey
	hash    uint64
	started bool
}

// Hash returns the hash of the partition key of the item the cursor stands
// on, or 0 at the start of the table: where in the hash space (which
// partition) the next page begins.
func (c *ScanCursor) Hash() uint64 { return c.hash }

// Fingerprint mixes the cursor's position into h, for a cache keyed by
// the exact request (DAX's query cache): two cursors at the same position
// give the same value.
func (c *ScanCursor) Fingerprint(h uint64) uint64 {
	h = Mix64(h ^ c.hash ^ Mix64(uint64(c.sk.idx)) ^ HashString(c.pk))
	if c.started {
		h = Mix64(h + 1)
	}
	return h
}

// IndexPosition is the cursor's position when it walks a secondary
// index's values by their place in hash order instead of the store's
// items; ok is false for a cursor that has not started.
func (c *ScanCursor) IndexPosition() (pos int64, ok bool) { return c.sk.idx, c.started }

// SetIndexPosition moves a cursor that walks a secondary index to pos.
func (c *ScanCursor) SetIndexPosition(pos int64) {
	c.started = true
	c.sk.idx = pos
}

// AtStart reports whether the cursor stands at the start of the table.
func (c *ScanCursor) AtStart() bool { return !c.started }

// Reset moves the cursor to the start of the table.
func (c *ScanCursor) Reset() { *c = ScanCursor{} }

// ScanSized reads the next scan page after the cursor, up to limit items
// (0: no limit) and at most 1 MB (see Query), and advances the cursor to
// the last item read. A page that reaches the end of the table moves the
// cursor back to the start, so a client scanning continuously wraps
// around; a page is never continued across the end. It returns the items
// read and their total size. It does not allocate.
func (s *Store) ScanSized(cur *ScanCursor, limit int) (count, readBytes int) {
	return s.scan(cur, limit, 0, nil)
}

// after returns the position just after the cursor: bucket (-1 past the
// end), collection and entry.
func (s *Store) after(cur *ScanCursor) (b, i, j int) {
	if !cur.started {
		return s.x.nextNonEmpty(0), 0, 0
	}
	b = s.x.bucket(cur.hash)
	cs := s.x.buckets[b]
	i, ok := searchColl(cs, cur.hash, cur.pk)
	if ok {
		if s.hasSK {
			j = lowerSK(cs[i].items(), cur.sk, true)
		} else {
			j = 1
		}
	}
	return b, i, j
}

// scan reads one page from cur in scan order, calling visit (if not nil)
// on each item read, and moves cur to the last item read, or to the start
// when the page reached the end of the table, or a partition key hashed
// at or past end (0: the end of the hash space).
func (s *Store) scan(cur *ScanCursor, limit int, end uint64, visit func(*collection, *entry)) (count, readBytes int) {
	if s.x == nil || s.n == 0 {
		cur.Reset()
		return 0, 0
	}
	b, i, j := s.after(cur)
	var last *collection
	var lastE *entry
	for b >= 0 {
		cs := s.x.buckets[b]
		for ; i < len(cs); i++ {
			c := &cs[i]
			if end != 0 && c.hash >= end {
				cur.Reset()
				return count, readBytes
			}
			es := c.items()
			for ; j < len(es); j++ {
				e := &es[j]
				if !PageTakes(count, readBytes, int(e.size), limit) {
					// e exists, so more items remain: stop on the last one read.
					*cur = ScanCursor{pk: last.pk, sk: lastE.key(), hash: last.hash, started: true}
					return count, readBytes
				}
				count++
				readBytes += int(e.size)
				last, lastE = c, e
				if visit != nil {
					visit(c, e)
				}
			}
			j = 0
		}
		i = 0
		b = s.x.nextNonEmpty(b + 1)
	}
	cur.Reset()
	return count, readBytes
}
