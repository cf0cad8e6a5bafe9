package workload

import (
	"container/list"
	"math"
	"math/rand/v2"
	"testing"
)

// lruHitRate replays draws of c through an LRU of size entries, after a
// warm-up of as many draws, and returns the share of hits.
func lruHitRate(c KeyChooser, size, draws int) float64 {
	r := rand.New(rand.NewPCG(17, 17))
	l := list.New()
	at := map[int64]*list.Element{}
	hits := 0
	for i := range 2 * draws {
		k := c.Next(r, 0)
		if e, ok := at[k]; ok {
			l.MoveToFront(e)
			if i >= draws {
				hits++
			}
			continue
		}
		at[k] = l.PushFront(k)
		if l.Len() > size {
			delete(at, l.Remove(l.Back()).(int64))
		}
	}
	return float64(hits) / float64(draws)
}

// hottestShare is the share of draws of c that go to its likeliest key.
func hottestShare(c KeyChooser, draws int) float64 {
	r := rand.New(rand.NewPCG(5, 5))
	n := map[int64]int{}
	top := 0
	for range draws {
		k := c.Next(r, 0)
		n[k]++
		top = max(top, n[k])
	}
	return float64(top) / float64(draws)
}

// TestYCSBZipfianAsYCSBDrawsIt pins YCSB's `requestdistribution=zipfian`
// over its core workloads' 1,000 records. ScrambledZipfianGenerator
// draws item i of 10^10 with probability (i+1)^-0.99 / 26.469 and hashes
// it onto the records, so the hottest record takes the first item's
// 1/26.469 = 3.78% plus its share of the near-uniform tail (about
// 1/1000 of the other 96%): 3.9%, where an exact Zipf(0.99) over the
// 1,000 records gives its first 1/H(1000, 0.99) = 12.9%, 3.3 times as
// much. An LRU cache of 100 records (workload C, read-only) then hits
// about 0.20 of reads under YCSB's law and 0.57 under the exact one.
func TestYCSBZipfianAsYCSBDrawsIt(t *testing.T) {
	const records, draws = 1000, 400_000
	for _, tc := range []struct {
		name          string
		chooser       KeyChooser
		hottest, lru  float64 // the figures
		tolHot, tolLR float64
	}{
		{"ycsb-zipfian", NewScrambledZipfian(records, 0, nil), 0.039, 0.20, 0.003, 0.02},
		{"zipf exact", NewZipf(records, 0.99), 0.129, 0.57, 0.003, 0.02},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := hottestShare(tc.chooser, draws); math.Abs(got-tc.hottest) > tc.tolHot {
				t.Errorf("hottest record takes %.4f of draws, want %.3f", got, tc.hottest)
			}
			if got := lruHitRate(tc.chooser, 100, draws); math.Abs(got-tc.lru) > tc.tolLR {
				t.Errorf("LRU of 100 hits %.4f, want %.2f", got, tc.lru)
			}
		})
	}
}

// TestScrambledZipfianStaysInTheKeyspace: draws past the keys that exist
// are drawn again, as CoreWorkload's nextKeynum does, and keys inserted
// later are drawn once they exist.
func TestScrambledZipfianStaysInTheKeyspace(t *testing.T) {
	ks := NewKeyspace(50)
	z := NewScrambledZipfian(50, 100, ks)
	r := rand.New(rand.NewPCG(1, 2))
	for range 10_000 {
		if k := z.Next(r, 0); k < 0 || k >= 50 {
			t.Fatalf("key %d outside the 50 that exist", k)
		}
	}
	ks.InsertN(100)
	seenNew := false
	for range 10_000 {
		k := z.Next(r, 0)
		if k < 0 || k >= 150 {
			t.Fatalf("key %d outside the 150 that exist", k)
		}
		seenNew = seenNew || k >= 50
	}
	if !seenNew {
		t.Errorf("no inserted key drawn")
	}
}

// TestSkewedLatestAsYCSBDrawsIt: the newest key is drawn with Gray's
// first-item probability 1/zeta(n-1, 0.99), key 0 never, and an insert
// makes the new key the likeliest.
func TestSkewedLatestAsYCSBDrawsIt(t *testing.T) {
	ks := NewKeyspace(1000)
	l := NewSkewedLatest(ks)
	r := rand.New(rand.NewPCG(3, 4))
	const draws = 200_000
	newest := 0
	for range draws {
		switch l.Next(r, 0) {
		case 999:
			newest++
		case 0:
			t.Fatalf("key 0 drawn; YCSB's latest never draws it")
		}
	}
	want := 1 / ycsbZeta(0, 999, 0.99, 0)
	if got := float64(newest) / draws; math.Abs(got-want) > 0.003 {
		t.Errorf("newest key takes %.4f of draws, want %.4f", got, want)
	}
	ks.Insert()
	if got := hottestShare(l, draws); math.Abs(got-1/ycsbZeta(0, 1000, 0.99, 0)) > 0.003 {
		t.Errorf("after an insert the likeliest key takes %.4f", got)
	}
}

func TestYCSBGeneratorsAllocateNothing(t *testing.T) {
	ks := NewKeyspace(1000)
	r := rand.New(rand.NewPCG(1, 1))
	for _, c := range []KeyChooser{NewScrambledZipfian(1000, 10, ks), NewSkewedLatest(ks)} {
		if a := testing.AllocsPerRun(1000, func() { c.Next(r, 0) }); a != 0 {
			t.Errorf("%T allocates %v a draw", c, a)
		}
	}
}

// TestFNVHash64 checks YCSB's fnvhash64 against FNV-1 64 of the eight
// bytes, low first.
func TestFNVHash64(t *testing.T) {
	for _, v := range []int64{0, 1, 255, 1 << 40, 9_999_999_999} {
		h := uint64(0xCBF29CE484222325)
		for i := range 8 {
			h = (h ^ uint64(v>>(8*i)&0xff)) * 1099511628211
		}
		want := int64(h)
		if want < 0 {
			want = -want
		}
		if got := fnvHash64(v); got != want {
			t.Errorf("fnvHash64(%d) = %d, want %d", v, got, want)
		}
	}
}
