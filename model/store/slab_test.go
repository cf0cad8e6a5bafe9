package store

import (
	"cmp"
	"math/rand/v2"
	"runtime"
	"slices"
	"strings"
	"testing"
)

// A slab's slices have power-of-two capacities at or above what was asked,
// a freed slice is handed out again, cleared, and a slice that is not a
// class (part of a preloaded array) is left alone.
func TestSlabClasses(t *testing.T) {
	var a slab[entry]
	for _, n := range []int{0, 1, 2, 3, 4, 5, 100, 4096, 4097} {
		s := a.get(n)
		if len(s) != 0 || cap(s) < max(n, 1) || cap(s)&(cap(s)-1) != 0 || cap(s) >= 2*max(n, 1) {
			t.Errorf("get(%d): len %d cap %d", n, len(s), cap(s))
		}
	}
	s := append(a.get(3), entry{idx: 7, gen: &general{}})
	a.put(s)
	r := a.get(4)
	if &r[:1][0] != &s[0] {
		t.Error("a freed slice is not handed out again")
	}
	if e := r[:1][0]; e != (entry{}) {
		t.Errorf("a freed slice holds %+v", e)
	}
	odd := make([]entry, 3)
	a.put(odd)
	if got := a.get(3); &got[:1][0] == &odd[0] {
		t.Error("a slice of capacity 3 was taken onto a free list")
	}
	// insert keeps order and moves a full slice to the next class.
	var es []entry
	for i := range 100 {
		k := int64((i * 37) % 101)
		j, _ := searchIdx(es, k)
		es = a.insert(es, j, entry{idx: k})
	}
	if !slices.IsSortedFunc(es, func(p, q entry) int { return cmp.Compare(p.idx, q.idx) }) || len(es) != 100 || cap(es) != 128 {
		t.Errorf("insert: len %d cap %d sorted %v", len(es), cap(es), slices.IsSortedFunc(es, func(p, q entry) int { return cmp.Compare(p.idx, q.idx) }))
	}
}

// mallocs returns how many heap allocations f makes.
func mallocs(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.Mallocs - before.Mallocs
}

// New items cost no allocation of their own: a table taking 200,000 new
// partition keys, or 200,000 new items in 20,000 collections, makes a few
// hundred allocations (its chunks, its free lists, its buckets doubling),
// where one per item used to be the least. Deleting every item and writing
// as many new ones reuses the freed memory: only new key bytes are taken.
func TestNewItemsAllocateRarely(t *testing.T) {
	const n = 200_000
	for _, tc := range []struct {
		name   string
		schema KeySchema
		perKey int64
	}{{"nosk", schemaPK, 1}, {"sk10", schemaPKSK, 10}} {
		t.Run(tc.name, func(t *testing.T) {
			s := NewStore(tc.schema)
			key := make([]byte, 0, 24)
			write := func(from int64) {
				for j := from; j < from+n; j++ {
					key = AppendSyntheticKey(key[:0], j/tc.perKey)
					s.PutSized(key, j%tc.perKey, 100)
				}
			}
			m := mallocs(func() { write(0) })
			t.Logf("%d new items: %d allocations", n, m)
			if m > n/500 {
				t.Errorf("%d new items: %d allocations, want at most %d", n, m, n/500)
			}
			del := func(from int64) {
				for j := from; j < from+n; j++ {
					key = AppendSyntheticKey(key[:0], j/tc.perKey)
					s.DeleteSized(key, j%tc.perKey)
				}
			}
			if m := mallocs(func() { del(0) }); m > 100 {
				t.Errorf("deleting %d items: %d allocations", n, m)
			}
			// The second round's keys are new strings: some key chunks, and
			// nothing else.
			m = mallocs(func() { write(n) })
			t.Logf("%d new items after as many deletions: %d allocations", n, m)
			if m > n/2000 {
				t.Errorf("%d new items after as many deletions: %d allocations, want at most %d", n, m, n/2000)
			}
			if s.Len() != n {
				t.Errorf("Len %d, want %d", s.Len(), n)
			}
		})
	}
}

// Random writes and deletions over a small key space, with the buckets
// doubling and collections growing and emptying, leave the store agreeing
// with a map: every item's size, and the scan order (hash, key, sort key).
func TestSlabChurnMatchesMap(t *testing.T) {
	type key struct {
		pk string
		sk int64
	}
	s := NewStore(schemaPKSK)
	want := map[key]int{}
	r := rand.New(rand.NewPCG(5, 5))
	var buf []byte
	for step := range 100_000 {
		k := key{string(AppendSyntheticKey(buf[:0], r.Int64N(3000))), r.Int64N(40)}
		if r.IntN(3) == 0 {
			_, ok := s.DeleteSized([]byte(k.pk), k.sk)
			if _, had := want[k]; ok != had {
				t.Fatalf("step %d: delete %v: %v, want %v", step, k, ok, had)
			}
			delete(want, k)
		} else {
			size := 50 + r.IntN(200)
			s.PutSized([]byte(k.pk), k.sk, size)
			want[k] = s.synthSize(len(k.pk), k.sk, size)
		}
	}
	if s.Len() != len(want) {
		t.Fatalf("Len %d, want %d", s.Len(), len(want))
	}
	keys := make([]key, 0, len(want))
	for k, size := range want {
		if got, ok := s.SizeOf([]byte(k.pk), k.sk); !ok || got != size {
			t.Fatalf("%v: %d %v, want %d", k, got, ok, size)
		}
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b key) int {
		return cmp.Or(cmp.Compare(HashString(a.pk), HashString(b.pk)), strings.Compare(a.pk, b.pk), cmp.Compare(a.sk, b.sk))
	})
	var got []key
	var cur ScanCursor
	for {
		s.scan(&cur, 0, 0, func(c *collection, e *entry) { got = append(got, key{c.pk, e.idx}) })
		if cur.AtStart() {
			break
		}
	}
	if !slices.Equal(got, keys) {
		t.Errorf("scan order differs from (hash, key, sort key) order: %d vs %d items", len(got), len(keys))
	}
}
