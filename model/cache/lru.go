package cache

import (
	"github.com/ddbsim/ddbsim/model/store"
	"github.com/ddbsim/ddbsim/sim"
)

// LRU is one of a DAX cluster's caches (REFERENCE: dax): entries keyed by
// a 64-bit hash of what was asked, each living until its time to live
// runs out, the least recently used evicted first when the cache is over
// its budget of entries or bytes.
//
// Entries live in one slice, linked into a recency list by index; an
// open-addressing table (linear probing, deletion by backward shift, so
// no tombstones) maps keys to them. Lookups, fills and evictions do not
// allocate once the slice and the table have grown to the cache's size.
// Expired entries are dropped when looked up, or evicted as the oldest:
// no event runs to expire them.
type LRU struct {
	ttl        sim.Time
	maxEntries int64 // 0: no limit on entries
	maxBytes   int64 // 0: no limit on bytes
	bytes      int64
	n          int64

	// slots[0] is the recency list's sentinel: slots[0].next is the most
	// recently used entry, slots[0].prev the least.
	slots []Entry
	free  int32 // first free slot, linked by next; 0 when none

	table []int32 // slot index + 0; 0 is an empty bucket
	mask  uint64
}

// lruEntry is one cached value: what the cache needs to tell a fresh hit
// from a stale one, not the data itself.
type Entry struct {
	key        uint64
	expires    sim.Time
	version    uint64 // the data's version when it was cached
	size       int32  // bytes, for the budget and for the reply's size
	present    bool   // false: a cached miss (negative caching)
	prev, next int32
}

// Size is the cached data's size in bytes.
func (e *Entry) Size() int { return int(e.size) }

// Version is the data's version when it was cached: a hit whose version
// differs from the data's current one is stale.
func (e *Entry) Version() uint64 { return e.version }

// entryOverhead is what an entry costs a cache beyond its data: its key
// and bookkeeping. Not published; ddbsim's assumption of 100 bytes.
const entryOverhead = 100

func NewLRU(ttl sim.Time, maxEntries, maxBytes int64) *LRU {
	c := &LRU{ttl: ttl, maxEntries: maxEntries, maxBytes: maxBytes}
	c.slots = make([]Entry, 1, 64)
	c.table = make([]int32, 64)
	c.mask = 63
	return c
}

// find returns the slot holding key, or 0.
func (c *LRU) find(key uint64) int32 {
	for b := store.Mix64(key) & c.mask; ; b = (b + 1) & c.mask {
		s := c.table[b]
		if s == 0 || c.slots[s].key == key {
			return s
		}
	}
}

// Lookup returns the live entry for key at now, or nil. A hit becomes the
// most recently used entry; an expired entry is dropped.
func (c *LRU) Lookup(now sim.Time, key uint64) *Entry {
	s := c.find(key)
	if s == 0 {
		return nil
	}
	e := &c.slots[s]
	if now >= e.expires {
		c.remove(s)
		return nil
	}
	c.unlink(s)
	c.pushFront(s)
	return &c.slots[s]
}

// Fill caches key at now, replacing any entry it had, then evicts the
// least recently used entries until the cache is within its budget.
func (c *LRU) Fill(now sim.Time, key, version uint64, size int, present bool) {
	s := c.find(key)
	if s != 0 {
		e := &c.slots[s]
		c.bytes += int64(size) - int64(e.size)
		e.expires, e.version, e.size, e.present = now+c.ttl, version, int32(size), present
		c.unlink(s)
		c.pushFront(s)
	} else {
		s = c.alloc()
		c.slots[s] = Entry{key: key, expires: now + c.ttl, version: version, size: int32(size), present: present}
		c.pushFront(s)
		c.insert(s)
		c.n++
		c.bytes += int64(size)
	}
	for c.n > 1 && c.over() {
		c.remove(c.slots[0].prev)
	}
}

// over reports whether the cache is past its budget.
func (c *LRU) over() bool {
	return c.maxEntries > 0 && c.n > c.maxEntries ||
		c.maxBytes > 0 && c.bytes+c.n*entryOverhead > c.maxBytes
}

// Len is the number of entries, expired ones not yet dropped included.
func (c *LRU) Len() int64 { return c.n }

// Bytes is the data the entries hold, with their overhead.
func (c *LRU) Bytes() int64 { return c.bytes + c.n*entryOverhead }

func (c *LRU) alloc() int32 {
	if c.free != 0 {
		s := c.free
		c.free = c.slots[s].next
		return s
	}
	c.slots = append(c.slots, Entry{})
	return int32(len(c.slots) - 1)
}

func (c *LRU) pushFront(s int32) {
	head := c.slots[0].next
	c.slots[s].prev, c.slots[s].next = 0, head
	c.slots[head].prev = s
	c.slots[0].next = s
}

func (c *LRU) unlink(s int32) {
	e := &c.slots[s]
	c.slots[e.prev].next = e.next
	c.slots[e.next].prev = e.prev
}

// insert adds slot s to the table, doubling the table past half full.
func (c *LRU) insert(s int32) {
	if 2*(c.n+1) > int64(len(c.table)) {
		c.grow()
	}
	b := store.Mix64(c.slots[s].key) & c.mask
	for c.table[b] != 0 {
		b = (b + 1) & c.mask
	}
	c.table[b] = s
}

func (c *LRU) grow() {
	old := c.table
	c.table = make([]int32, 2*len(old))
	c.mask = uint64(len(c.table) - 1)
	for _, s := range old {
		if s == 0 {
			continue
		}
		b := store.Mix64(c.slots[s].key) & c.mask
		for c.table[b] != 0 {
			b = (b + 1) & c.mask
		}
		c.table[b] = s
	}
}

// remove drops slot s from the list and the table and frees it.
func (c *LRU) remove(s int32) {
	c.unlink(s)
	key := c.slots[s].key
	b := store.Mix64(key) & c.mask
	for c.table[b] != s {
		b = (b + 1) & c.mask
	}
	// Backward-shift deletion: move later entries of the probe run into
	// the hole when their home bucket allows it.
	for next := (b + 1) & c.mask; c.table[next] != 0; next = (next + 1) & c.mask {
		home := store.Mix64(c.slots[c.table[next]].key) & c.mask
		// The entry at next may move to b if b lies cyclically in
		// [home, next).
		if (next-home)&c.mask >= (next-b)&c.mask {
			c.table[b] = c.table[next]
			b = next
		}
	}
	c.table[b] = 0
	c.n--
	c.bytes -= int64(c.slots[s].size)
	c.slots[s] = Entry{next: c.free}
	c.free = s
}
