package cache

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/ddbsim/ddbsim/sim"
)

// refLRU is the obvious LRU: a slice in recency order, most recent first.
type refLRU struct {
	ttl        sim.Time
	maxEntries int
	es         []Entry
}

func (r *refLRU) lookup(now sim.Time, key uint64) (Entry, bool) {
	i := slices.IndexFunc(r.es, func(e Entry) bool { return e.key == key })
	if i < 0 {
		return Entry{}, false
	}
	e := r.es[i]
	r.es = slices.Delete(r.es, i, i+1)
	if now >= e.expires {
		return Entry{}, false
	}
	r.es = slices.Insert(r.es, 0, e)
	return e, true
}

func (r *refLRU) fill(now sim.Time, key, version uint64, size int, present bool) {
	if i := slices.IndexFunc(r.es, func(e Entry) bool { return e.key == key }); i >= 0 {
		r.es = slices.Delete(r.es, i, i+1)
	}
	r.es = slices.Insert(r.es, 0, Entry{key: key, expires: now + r.ttl, version: version, size: int32(size), present: present})
	if len(r.es) > r.maxEntries {
		r.es = r.es[:r.maxEntries]
	}
}

// TestLRUMatchesReference drives the cache and the obvious implementation
// with the same random lookups and fills, keys drawn from a small space so
// that hits, evictions, expiries and table growth all happen, and checks
// they agree on every answer.
func TestLRUMatchesReference(t *testing.T) {
	for _, tc := range []struct {
		name       string
		keys       uint64
		maxEntries int
		ttl        sim.Time
	}{
		{"small", 20, 5, sim.Hour},
		{"expiring", 50, 30, 40 * sim.Millisecond},
		{"large", 5000, 700, sim.Hour},
		{"one entry", 10, 1, sim.Hour},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := rand.New(rand.NewPCG(1, 2))
			c := NewLRU(tc.ttl, int64(tc.maxEntries), 0)
			ref := &refLRU{ttl: tc.ttl, maxEntries: tc.maxEntries}
			var now sim.Time
			for i := range 20000 {
				now += sim.Time(r.IntN(int(sim.Millisecond)))
				key := r.Uint64N(tc.keys) * 0x9e3779b97f4a7c15 // spread, and collide in the table
				if r.IntN(2) == 0 {
					e := c.Lookup(now, key)
					want, ok := ref.lookup(now, key)
					if (e != nil) != ok || ok && (e.version != want.version || e.size != want.size || e.present != want.present) {
						t.Fatalf("op %d: lookup(%x) = %+v, want %+v (found %v)", i, key, e, want, ok)
					}
					continue
				}
				v, size := r.Uint64(), r.IntN(1000)
				c.Fill(now, key, v, size, r.IntN(4) != 0)
				ref.fill(now, key, v, size, true)
				ref.es[0].present = c.slots[c.slots[0].next].present
				if c.Len() != int64(len(ref.es)) {
					t.Fatalf("op %d: %d entries, want %d", i, c.Len(), len(ref.es))
				}
			}
		})
	}
}

// TestLRUBytesBudget: a cache sized in bytes holds what fits, counting each
// entry's overhead.
func TestLRUBytesBudget(t *testing.T) {
	c := NewLRU(sim.Hour, 0, 10*(1024+entryOverhead))
	for k := range uint64(25) {
		c.Fill(0, k, 0, 1024, true)
	}
	if c.Len() != 10 || c.Bytes() != 10*(1024+entryOverhead) {
		t.Fatalf("%d entries, %d bytes; want 10 of 1124", c.Len(), c.Bytes())
	}
	for k := range uint64(15) {
		if c.Lookup(0, k) != nil {
			t.Errorf("key %d survived; the 15 oldest should be evicted", k)
		}
	}
	for k := uint64(15); k < 25; k++ {
		if c.Lookup(0, k) == nil {
			t.Errorf("key %d evicted; the 10 newest fit", k)
		}
	}
}

func TestLRUDoesNotAllocate(t *testing.T) {
	c := NewLRU(sim.Hour, 1000, 0)
	for k := range uint64(2000) {
		c.Fill(0, k, 0, 10, true)
	}
	var k uint64
	allocs := testing.AllocsPerRun(1000, func() {
		k++
		if c.Lookup(1, k%3000) == nil {
			c.Fill(1, k%3000, k, 10, true)
		}
	})
	if allocs != 0 {
		t.Errorf("%v allocations per lookup and fill, want 0", allocs)
	}
}
