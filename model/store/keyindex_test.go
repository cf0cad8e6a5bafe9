package store

import (
	"math/rand/v2"
	"strconv"
	"testing"
)

// TestKeyIndexAgreesWithBuckets checks the key index against the naive
// lookup it replaces, a binary search of the key's bucket, after random
// puts and deletes (general and synthetic, growing the buckets and the
// index and shrinking them again): every key finds the very collection
// the bucket holds, and a missing key finds nothing.
func TestKeyIndexAgreesWithBuckets(t *testing.T) {
	for _, schema := range []KeySchema{schemaPK, schemaPKSK} {
		s := NewStore(schema)
		s.Preload(300, 100, 3)
		r := rand.New(rand.NewPCG(1, 2))
		var key []byte
		for step := range 20_000 {
			key = AppendSyntheticKey(key[:0], r.Int64N(3_000))
			sk := r.Int64N(4)
			switch r.IntN(5) {
			case 0, 1:
				s.PutSized(key, sk, 200)
			case 2:
				it := NewItem(Attribute{Name: schema.PartitionKey, Value: S(string(key))},
					Attribute{Name: schema.SortKey, Value: N(strconv.FormatInt(sk, 10))})
				if schema.SortKey == "" {
					it = NewItem(Attribute{Name: schema.PartitionKey, Value: S(string(key))})
				}
				if _, _, err := s.PutItem(it); err != nil {
					t.Fatal(err)
				}
			default:
				s.DeleteSized(key, sk)
			}
			if step%1000 == 0 || step == 19_999 {
				checkKeyIndex(t, s)
			}
		}
	}
}

func checkKeyIndex(t *testing.T, s *Store) {
	t.Helper()
	x := s.x
	if x.keys.n != x.colls {
		t.Fatalf("the key index holds %d collections, the buckets %d", x.keys.n, x.colls)
	}
	for b := range x.buckets {
		for i := range x.buckets[b] {
			c := &x.buckets[b][i]
			if got := x.keys.lookup(c.hash, []byte(c.pk)); got != c {
				t.Fatalf("key %q: the index finds %p, the bucket holds %p", c.pk, got, c)
			}
		}
	}
	for k := int64(3_000); k < 3_100; k++ {
		key := AppendSyntheticKey(nil, k)
		if s.find(key) != nil {
			t.Fatalf("missing key %q found", key)
		}
	}
}

// TestKeyIndexRemoveKeepsProbes fills a small index with keys of one home
// slot and of its neighbours, removes them in a random order and checks
// that every key left is still found: removal shifts back the keys that
// probed past the removed one.
func TestKeyIndexRemoveKeepsProbes(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for round := range 200 {
		var k keyIndex
		colls := make([]collection, 20)
		for i := range colls {
			// Hashes 0-3 and 62-63 modulo the 64 slots: long probe runs
			// that wrap around the table's end.
			home := []uint64{0, 1, 2, 3, 62, 63}[r.IntN(6)]
			colls[i] = collection{pk: "k" + strconv.Itoa(i), hash: home + 64*uint64(r.IntN(1000))}
			k.add(&colls[i])
		}
		for n, i := range r.Perm(len(colls)) {
			k.remove(&colls[i])
			colls[i].hash = ^uint64(0) // removed
			if k.n != len(colls)-n-1 {
				t.Fatalf("round %d: %d left, want %d", round, k.n, len(colls)-n-1)
			}
			for j := range colls {
				if colls[j].hash == ^uint64(0) {
					continue
				}
				if got := k.lookup(colls[j].hash, []byte(colls[j].pk)); got != &colls[j] {
					t.Fatalf("round %d: %s lost after a removal", round, colls[j].pk)
				}
			}
		}
	}
}

// BenchmarkLookup compares, in one process, the two ways to find a
// key's collection: lookup=bucket binary-searches the key's bucket (the
// layout's own order, as the store looked keys up before the key index),
// lookup=index probes the key index. Keys are drawn uniformly from the
// preloaded ones, named and hashed outside the timed lookup's cost only
// in that both variants pay it.
func BenchmarkLookup(b *testing.B) {
	for _, n := range []int64{100_000, 1_000_000} {
		s := NewStore(schemaPK)
		s.Preload(n, 1024, 1)
		x := s.x
		keys := make([][]byte, 1<<16)
		hashes := make([]uint64, len(keys))
		r := rand.New(rand.NewPCG(1, 1))
		for i := range keys {
			keys[i] = AppendSyntheticKey(nil, r.Int64N(n))
			hashes[i] = HashKey(keys[i])
		}
		name := "keys=" + strconv.FormatInt(n, 10)
		b.Run(name+"/lookup=bucket", func(b *testing.B) {
			i := 0
			for b.Loop() {
				k, h := keys[i&(len(keys)-1)], hashes[i&(len(keys)-1)]
				cs := x.buckets[x.bucket(h)]
				if j, ok := searchColl(cs, h, k); !ok || cs[j].entries[0].size == 0 {
					b.Fatal("not found")
				}
				i++
			}
		})
		b.Run(name+"/lookup=index", func(b *testing.B) {
			i := 0
			for b.Loop() {
				k, h := keys[i&(len(keys)-1)], hashes[i&(len(keys)-1)]
				if c := x.keys.lookup(h, k); c == nil || c.entries[0].size == 0 {
					b.Fatal("not found")
				}
				i++
			}
		})
	}
}
