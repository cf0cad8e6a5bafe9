package ttl

import (
	"fmt"
	"math"
	"math/bits"

	"github.com/ddbsim/ddbsim/model/store"
	"github.com/ddbsim/ddbsim/sim"
)

// Config is a table's time to live: items expire ExpireAfter after
// their last write, as if every write set Attribute to that time.
type Config struct {
	Attribute   string
	ExpireAfter sim.Time
}

// Sweeper is a table's expiring items and the background deleter.
//
// CONTRACT:
//   - New(cfg, items, preload, within, draw, del) sets up a table's TTL;
//     its preloaded items count as written before the run, their expiries
//     spread evenly over the ExpireAfter before t=0... (see the
//     implementation's doc).
//   - NoteWrite(now, c) notes an applied change: a put or update sets the
//     item's expiry to now + ExpireAfter; a removal cancels it.
//   - Start(sched, until) schedules the deletions: an expired item is
//     deleted within at most after it expires (uniformly), through
//     del.Delete, which the service makes free and logs as a service
//     delete.
//
// # Implementation
//
// Every item with a deletion pending has one entry: a slot in items (its
// key, its write version, its place in the heap), a reference in heap, a
// min-heap ordered by deletion time, and an entry in index, which finds
// the slot from the item's itemHash. An item written again gets a new
// deletion time in place (its expiry moves later and a new uniform wait
// is drawn); a removal takes the entry out. So there is at most one entry
// per item, however often it is written, and the structure holds no more
// entries than the table has items with a deletion pending before the
// run ends: a deletion due after until is not kept at all.
//
// Memory per pending item: 16 bytes of heap (time and slot), 24 of slot
// (key number, sort index, heap position, version), about 20 to 40 of
// index (a Go map entry of 12 bytes at its load factor), so 60 to 80
// bytes; a key that is not synthetic ("k<i>") adds a string header of 16
// bytes per slot, once the table has any such key, and the key's bytes.
//
// Preloaded items (TableConfig.ItemCount) count as written steadily over
// the ExpireAfter before t=0: the p-th of n, in the order of a fixed
// permutation of the items (so that expiry does not follow key order and
// with it the popularity of a Zipf workload), expires at p*ExpireAfter/n.
// They get entries lazily, a horizon (Horizon) before they expire, so
// the heap holds only the preloaded items expiring in the next horizon
// or waiting for their deletion, not the whole table at t=0. A preloaded
// item that has been written since (its version is no longer 0) or is
// gone is left out: its own write gave it its entry.
//
// The deletions run on one kernel event, re-armed at the earliest pending
// deletion (or the next preloaded expiry). When a write brings a deletion
// before the armed one, a new event is scheduled there and the later one
// is left to fire: armed keeps the outstanding events' times, always in
// decreasing order, so that a deletion is never scheduled twice.
type Sweeper struct {
	items  *store.Store
	del    Deleter
	draw   func() float64
	cfg    Config
	within sim.Time // how long after expiry a deletion may wait
	hasSK  bool

	sched Scheduler  // nil until Start
	until sim.Time   // deletions after it are not kept
	armed []sim.Time // outstanding kernel events, latest first

	heap  []ttlRef
	slots []ttlItem
	strs  []string // keys of slots whose num is -1; nil while there are none
	free  []int32  // free slots
	index map[uint64]int32

	pre ttlPreload
	buf []byte // the key of the item being deleted or preloaded

	// deleted counts the items deleted so far.
	deleted int64
}

// ttlRef is a heap entry: a slot and its deletion time.
type ttlRef struct {
	at sim.Time
	id int32
}

// ttlItem is an item with a deletion pending.
type ttlItem struct {
	num int64 // the i of a synthetic key "k<i>", or -1: the key is strs[id]
	sk  int64
	pos int32  // the slot's place in heap
	ver uint16 // the item's write version when its expiry was set
}

// ttlPreload walks the preloaded items in the order they expire.
type ttlPreload struct {
	n, perKey int64
	next      int64  // position of the next item to expire, 0..n
	mul       uint64 // position p is item (p*mul) mod n
}

// Horizon is how long before it expires a preloaded item gets its
// entry: an eighth of TTLDeleteWithin, at least a second. Earlier costs
// memory (n*horizon/ExpireAfter entries on top of those waiting for
// deletion); later costs a wake-up of the deleter per batch of expiries
// when no deletion is pending.
func Horizon(within sim.Time) sim.Time { return max(within/8, sim.Second) }

// Deleter deletes an expired item for its TTL, reporting whether it was
// there: the service's deletion, free of write units, logged in the stream
// as the service's own and replicated.
type Deleter interface {
	Delete(now sim.Time, key []byte, sk int64) bool
}

// Scheduler is what the deleter needs of the event kernel.
type Scheduler interface {
	Now() sim.Time
	At(t sim.Time, h sim.Handler)
}

// Preload is the synthetic items a table was loaded with before the run:
// Count items, PerKey of them under each partition key.
type Preload struct {
	Count, PerKey int64
}

// New returns the TTL of a table holding items, loaded with pre; a
// deletion waits a uniform share (draw) of within after expiry, and goes
// through del.
func New(cfg Config, items *store.Store, pre Preload, within sim.Time, draw func() float64, del Deleter) *Sweeper {
	if cfg.ExpireAfter < 0 {
		panic(fmt.Sprintf("ttl: negative TTL %v", cfg.ExpireAfter))
	}
	x := &Sweeper{items: items, del: del, draw: draw, cfg: cfg, within: max(within, 0), hasSK: items.HasSortKey(),
		until: math.MaxInt64, index: map[uint64]int32{}}
	if n := pre.Count; n > 0 {
		x.pre = ttlPreload{n: n, perKey: 1, mul: coprimeNear(uint64(n))}
		if x.hasSK {
			x.pre.perKey = max(pre.PerKey, 1)
		}
	}
	return x
}

// coprimeNear returns a number coprime with n near n times the golden
// ratio's fraction, a multiplier that scatters consecutive positions over
// 0..n-1 (multiplicative hashing, Knuth TAOCP 6.4).
func coprimeNear(n uint64) uint64 {
	if n <= 2 {
		return 1
	}
	a := uint64(float64(n) * 0.6180339887498949)
	for gcd(a, n) != 1 {
		a++
	}
	return a
}

func gcd(a, b uint64) uint64 {
	for b != 0 {
		a, b = b, a%b
	}
	return a
}

// expiry is when the preloaded item at position p expires.
func (x *Sweeper) expiry(p int64) sim.Time {
	hi, lo := bits.Mul64(uint64(p), uint64(x.cfg.ExpireAfter))
	q, _ := bits.Div64(hi, lo, uint64(x.pre.n)) // p < n: hi < n
	return sim.Time(q)
}

// NoteWrite notes an applied change of the table's item: a put or update
// sets its deletion ExpireAfter plus a uniform wait within
// TTLDeleteWithin after the write, a removal cancels it. It does not
// allocate in steady state (an item not seen before grows the structure,
// and a key that is not synthetic is copied).
func (x *Sweeper) NoteWrite(now sim.Time, c *store.Change) {
	sk := c.SK
	if !x.hasSK {
		sk = 0
	}
	h := store.ItemHash(c.PKHash, sk)
	id, ok := x.index[h]
	indexed := true
	if ok && !x.sameKey(id, c.Key, sk) {
		// Two items with one 64-bit hash: the newcomer's entry is kept
		// out of the index (and left behind by its next write, to be
		// skipped by the version check).
		ok, indexed = false, false
	}
	if c.Kind == store.ChangeRemove {
		if ok {
			x.drop(id, h)
		}
		return
	}
	// A write replicated from another region carries the expiry its
	// origin set: the attribute is an absolute time.
	written := now
	if c.Replicated && c.At < now {
		written = c.At
	}
	at := max(written+x.cfg.ExpireAfter, now)
	if x.within > 0 {
		at += sim.Time(x.draw() * float64(x.within))
	}
	if at > x.until {
		if ok {
			x.drop(id, h)
		}
		return
	}
	if ok {
		x.slots[id].ver = c.Ver
		pos := int(x.slots[id].pos)
		x.heap[pos].at = at
		x.down(x.up(pos))
	} else {
		id = x.alloc(c.Key, sk, c.Ver)
		if indexed {
			x.index[h] = id
		}
		x.push(at, id)
	}
	x.arm()
}

// Start schedules the deletions of the run ending at until.
func (x *Sweeper) Start(sched Scheduler, until sim.Time) {
	x.sched, x.until = sched, until
	x.arm()
}

// Fire runs the deleter: it gives the preloaded items expiring within the
// horizon their entries, deletes the items due, and re-arms.
func (x *Sweeper) Fire(now sim.Time) {
	if n := len(x.armed); n > 0 {
		x.armed = x.armed[:n-1] // the earliest: this one
	}
	x.preload(now + Horizon(x.within))
	st := x.items
	for len(x.heap) > 0 && x.heap[0].at <= now {
		id := x.heap[0].id
		it := x.slots[id]
		key := x.keyOf(id)
		x.drop(id, store.ItemHash(store.HashKey(key), it.sk))
		// Defensive: the index keeps the version current, but a write
		// the service did not report, or an entry left behind by a hash
		// collision, must not delete a newer item.
		if _, ver, _, found := st.ItemVersion(key, it.sk); found && ver == it.ver {
			if x.del.Delete(now, key, it.sk) {
				x.deleted++
			}
		}
	}
	x.arm()
}

// preload gives entries to the preloaded items expiring at or before
// horizon.
func (x *Sweeper) preload(horizon sim.Time) {
	p := &x.pre
	st := x.items
	for p.next < p.n {
		e := x.expiry(p.next)
		if e > horizon {
			return
		}
		if e > x.until {
			p.next = p.n // none of the rest expires within the run
			return
		}
		j := x.ExpiryOrder(p.next)
		p.next++
		num, sk := j/p.perKey, j%p.perKey
		x.buf = store.AppendSyntheticKey(x.buf[:0], num)
		if _, ver, _, found := st.ItemVersion(x.buf, sk); !found || ver != 0 {
			continue // deleted, or written since the load
		}
		h := store.ItemHash(store.HashKey(x.buf), sk)
		if _, ok := x.index[h]; ok {
			continue // written since the load (its version wrapped to 0)
		}
		at := e
		if x.within > 0 {
			at += sim.Time(x.draw() * float64(x.within))
		}
		if at > x.until {
			continue
		}
		id := x.alloc(x.buf, sk, 0)
		x.index[h] = id
		x.push(at, id)
	}
}

// next is when the deleter must next run: the earliest pending deletion
// or the next preloaded expiry.
func (x *Sweeper) next() (sim.Time, bool) {
	at, ok := sim.Time(math.MaxInt64), false
	if len(x.heap) > 0 {
		at, ok = x.heap[0].at, true
	}
	if x.pre.next < x.pre.n {
		at, ok = min(at, x.expiry(x.pre.next)), true
	}
	return at, ok
}

// arm schedules the deleter at its next time, unless an outstanding event
// comes no later.
func (x *Sweeper) arm() {
	if x.sched == nil {
		return
	}
	at, ok := x.next()
	if !ok || at > x.until {
		return
	}
	at = max(at, x.sched.Now())
	if n := len(x.armed); n == 0 || at < x.armed[n-1] {
		x.sched.At(at, x)
		x.armed = append(x.armed, at)
	}
}

// ---- Slots and keys.

// syntheticNumber returns i when key is the synthetic key "k<i>" exactly
// as AppendSyntheticKey writes it, or -1.
func syntheticNumber(key []byte) int64 {
	if len(key) > 2 && key[1] == '0' {
		return -1 // "k01" is not "k1"
	}
	return store.SyntheticIndex(key)
}

// alloc takes a slot for the item at (key, sk) written at version ver.
func (x *Sweeper) alloc(key []byte, sk int64, ver uint16) int32 {
	var id int32
	if n := len(x.free); n > 0 {
		id = x.free[n-1]
		x.free = x.free[:n-1]
	} else {
		id = int32(len(x.slots))
		x.slots = append(x.slots, ttlItem{})
		if x.strs != nil {
			x.strs = append(x.strs, "")
		}
	}
	num := syntheticNumber(key)
	x.slots[id] = ttlItem{num: num, sk: sk, ver: ver}
	if num < 0 {
		if x.strs == nil {
			x.strs = make([]string, len(x.slots))
		}
		x.strs[id] = string(key)
	}
	return id
}

// sameKey reports whether slot id holds the item at (key, sk).
func (x *Sweeper) sameKey(id int32, key []byte, sk int64) bool {
	it := &x.slots[id]
	if it.sk != sk {
		return false
	}
	if it.num >= 0 {
		return syntheticNumber(key) == it.num
	}
	return x.strs[id] == string(key)
}

// keyOf writes slot id's key into x.buf and returns it.
func (x *Sweeper) keyOf(id int32) []byte {
	if n := x.slots[id].num; n >= 0 {
		x.buf = store.AppendSyntheticKey(x.buf[:0], n)
	} else {
		x.buf = append(x.buf[:0], x.strs[id]...)
	}
	return x.buf
}

// drop takes slot id, whose item hashes to h, out of the heap and the
// index and frees it.
func (x *Sweeper) drop(id int32, h uint64) {
	x.remove(int(x.slots[id].pos))
	if got, ok := x.index[h]; ok && got == id {
		delete(x.index, h)
	}
	if x.strs != nil {
		x.strs[id] = ""
	}
	x.free = append(x.free, id)
}

// ---- The heap: a binary min-heap of slots by (deletion time, slot).

func (x *Sweeper) less(i, j int) bool {
	a, b := &x.heap[i], &x.heap[j]
	return a.at < b.at || a.at == b.at && a.id < b.id
}

func (x *Sweeper) swap(i, j int) {
	h := x.heap
	h[i], h[j] = h[j], h[i]
	x.slots[h[i].id].pos = int32(i)
	x.slots[h[j].id].pos = int32(j)
}

func (x *Sweeper) push(at sim.Time, id int32) {
	x.heap = append(x.heap, ttlRef{at: at, id: id})
	i := len(x.heap) - 1
	x.slots[id].pos = int32(i)
	x.up(i)
}

// remove takes the entry at heap position i out.
func (x *Sweeper) remove(i int) {
	last := len(x.heap) - 1
	if i != last {
		x.swap(i, last)
	}
	x.heap = x.heap[:last]
	if i != last {
		x.down(x.up(i))
	}
}

// up moves the entry at i towards the root and returns where it ends.
func (x *Sweeper) up(i int) int {
	for i > 0 {
		p := (i - 1) / 2
		if !x.less(i, p) {
			break
		}
		x.swap(i, p)
		i = p
	}
	return i
}

func (x *Sweeper) down(i int) {
	n := len(x.heap)
	for {
		c := 2*i + 1
		if c >= n {
			return
		}
		if c+1 < n && x.less(c+1, c) {
			c++
		}
		if !x.less(c, i) {
			return
		}
		x.swap(i, c)
		i = c
	}
}

// Deleted is the items deleted so far.
func (x *Sweeper) Deleted() int64 { return x.deleted }

// Pending is the items with a deletion pending, and how many of them the
// index finds by their key.
func (x *Sweeper) Pending() (pending, indexed int) { return len(x.heap), len(x.index) }

// ExpiryOrder is the preloaded item (its place in load order, 0..n-1) that
// expires p-th, 0 <= p < n: the fixed permutation that keeps expiry from
// following key order.
func (x *Sweeper) ExpiryOrder(p int64) int64 {
	hi, lo := bits.Mul64(uint64(p), x.pre.mul)
	_, j := bits.Div64(hi, lo, uint64(x.pre.n)) // p, mul < n: hi < n
	return int64(j)
}

// Stop ends the sweeper's deletions, for a driver that takes them over
// as counts (Expiries), and returns the end of the run Start was given.
// The event it has armed fires and does nothing.
func (x *Sweeper) Stop() sim.Time {
	until := x.until
	x.until = -1 // no write's deletion is kept
	x.pre.next = x.pre.n
	x.heap, x.slots, x.free, x.strs = nil, nil, nil, nil
	clear(x.index)
	return until
}
