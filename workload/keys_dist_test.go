package workload

// Tests of the key choosers of keys_dist.go. The statistical tests use
// fixed seeds, so each is deterministic; their thresholds are set so that
// a correct chooser would fail about once in a thousand seeds (chi-square
// at its 0.999 quantile) or far less often (shares within four standard
// deviations, which a correct chooser passes with probability 0.99994),
// while the errors they guard against (an off-by-one hot set, a rank
// reversed, a rotation that does not move) are off by hundreds of
// standard deviations.

import (
	"bytes"
	"fmt"
	"math"
	"math/big"
	"math/rand/v2"
	"slices"
	"strconv"
	"testing"

	"github.com/ddbsim/ddbsim/model/store"
	"github.com/ddbsim/ddbsim/sim"
)

// chi2Critical is the 0.999 quantile of the chi-square law with df
// degrees of freedom, by the Wilson-Hilferty approximation
// df·(1 - 2/(9df) + z·√(2/(9df)))³ with z = 3.0902, the normal's 0.999
// quantile. It is within 1% of the exact quantile from df = 9 on (28.06
// against 27.88 at 9; 66.71 against 66.62 at 35), erring on the lenient
// side.
func chi2Critical(df int) float64 {
	const z = 3.090232306167813
	a := 2 / (9 * float64(df))
	return float64(df) * math.Pow(1-a+z*math.Sqrt(a), 3)
}

// chi2 is Pearson's statistic of observed counts against expected ones.
func chi2(observed []int, expected []float64) float64 {
	x := 0.0
	for i, o := range observed {
		d := float64(o) - expected[i]
		x += d * d / expected[i]
	}
	return x
}

// checkUniform fails unless counts look uniform: Pearson's chi-square
// against equal expectations, at the 0.999 quantile.
func checkUniform(t *testing.T, what string, counts []int) {
	t.Helper()
	total := 0
	for _, c := range counts {
		total += c
	}
	e := make([]float64, len(counts))
	for i := range e {
		e[i] = float64(total) / float64(len(counts))
	}
	if x, crit := chi2(counts, e), chi2Critical(len(counts)-1); x > crit {
		t.Errorf("%s: chi-square %.1f over %d bins, want <= %.1f (not uniform)", what, x, len(counts), crit)
	}
}

// checkShare fails unless hits out of n is within four standard
// deviations of the share p.
func checkShare(t *testing.T, what string, hits, n int, p float64) {
	t.Helper()
	got := float64(hits) / float64(n)
	if sd := math.Sqrt(p * (1 - p) / float64(n)); math.Abs(got-p) > 4*sd+1e-12 {
		t.Errorf("%s: share %.5f, want %.5f ± %.5f", what, got, p, 4*sd)
	}
}

// checkZipfRanks fails unless ranks (counts by rank) follow the Zipf law
// over n ranks with exponent s: a chi-square over the top 20 ranks plus
// one bin for the rest.
func checkZipfRanks(t *testing.T, what string, counts []int, s float64) {
	t.Helper()
	n, total := len(counts), 0
	for _, c := range counts {
		total += c
	}
	pmf := zipfPMF(n, s)
	bins := min(n, 20)
	obs, exp := make([]int, 0, bins+1), make([]float64, 0, bins+1)
	tailN, tailP := total, 1.0
	for k := range bins {
		obs, exp = append(obs, counts[k]), append(exp, pmf[k]*float64(total))
		tailN -= counts[k]
		tailP -= pmf[k]
	}
	if bins < n {
		obs, exp = append(obs, tailN), append(exp, tailP*float64(total))
	}
	if x, crit := chi2(obs, exp), chi2Critical(len(obs)-1); x > crit {
		t.Errorf("%s: chi-square %.1f, want <= %.1f (not Zipf, s=%v, over %d ranks)", what, x, crit, s, n)
		for k := range min(bins, 5) {
			t.Logf("rank %d: %d drawn, %.0f expected", k, counts[k], exp[k])
		}
	}
}

// TestNewHotspotSizes pins how the hot set is sized: count × hot_keys
// rounded to the nearest key, at least one and at most count.
func TestNewHotspotSizes(t *testing.T) {
	for _, tc := range []struct {
		count   int64
		hotKeys float64
		want    int64
	}{
		{1000, 0.2, 200},
		{100, 0.29, 29}, // 28.999999999999996 in floating point
		{7, 0.5, 4},     // 3.5: YCSB would take 3
		{10, 1, 10},
		{1_000_000, 1e-9, 1}, // never empty
		{1, 0.2, 1},
	} {
		if got := NewHotspot(tc.count, tc.hotKeys, 0.8).Hot; got != tc.want {
			t.Errorf("NewHotspot(%d, %v).Hot = %d, want %d", tc.count, tc.hotKeys, got, tc.want)
		}
	}
}

// TestHotspotFractions pins YCSB's hotspot: hot_ops of the operations go
// to the first hot_keys of the keys, and within the hot set and within
// the rest keys are uniform. It covers YCSB's default 20%/80%, a skewed
// 1%/99%, a single hot key on top of background traffic (the hot
// distribution with hot_ops), a hot set that is the whole keyspace, and a
// single hot key alone, which draws nothing.
func TestHotspotFractions(t *testing.T) {
	const draws = 200_000
	for _, tc := range []struct {
		name string
		h    Hotspot
		want float64 // share of the hot set
	}{
		{"ycsb 20%/80%", NewHotspot(1000, 0.2, 0.8), 0.8},
		{"2 of 10 keys at 80%", NewHotspot(10, 0.2, 0.8), 0.8},
		{"1%/99%", NewHotspot(10_000, 0.01, 0.99), 0.99},
		{"one hot key at 30%", Hotspot{Count: 1000, Hot: 1, HotOps: 0.3}, 0.3},
		{"all keys hot", NewHotspot(50, 1, 0.5), 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := rand.New(rand.NewPCG(11, uint64(tc.h.Count)))
			counts := make([]int, tc.h.Count)
			for range draws {
				k := tc.h.Next(r, 0)
				if k < 0 || k >= tc.h.Count {
					t.Fatalf("Next() = %d, out of [0, %d)", k, tc.h.Count)
				}
				counts[k]++
			}
			hot := 0
			for _, c := range counts[:tc.h.Hot] {
				hot += c
			}
			checkShare(t, "hot set", hot, draws, tc.want)
			if tc.h.Hot > 1 {
				checkUniform(t, "within the hot set", counts[:tc.h.Hot])
			}
			if tc.h.Hot < tc.h.Count {
				checkUniform(t, "within the cold set", counts[tc.h.Hot:])
			}
			// Where every key expects 50 draws or more, also test each
			// key's draws against its exact probability, which catches a
			// hot set off by one key.
			exp := make([]float64, tc.h.Count)
			for k := range exp {
				switch {
				case tc.h.Hot == tc.h.Count:
					exp[k] = draws / float64(tc.h.Count)
				case int64(k) < tc.h.Hot:
					exp[k] = draws * tc.h.HotOps / float64(tc.h.Hot)
				default:
					exp[k] = draws * (1 - tc.h.HotOps) / float64(tc.h.Count-tc.h.Hot)
				}
			}
			if slices.Min(exp) >= 50 {
				if x, crit := chi2(counts, exp), chi2Critical(len(exp)-1); x > crit {
					t.Errorf("per key: chi-square %.1f, want <= %.1f", x, crit)
				}
			}
		})
	}

	// One hot key taking every operation: always key 0, no draw.
	r, fresh := rand.New(rand.NewPCG(3, 4)), rand.New(rand.NewPCG(3, 4))
	h := Hotspot{Count: 1000, Hot: 1, HotOps: 1}
	for range 100 {
		if k := h.Next(r, 0); k != 0 {
			t.Fatalf("single hot key: Next() = %d, want 0", k)
		}
	}
	if r.Uint64() != fresh.Uint64() {
		t.Errorf("a single hot key taking every operation drew from the random stream")
	}
}

// TestLatestFollowsRecency pins YCSB's latest: the recency rank
// (Size()-1-key) follows the Zipf law over the keyspace's current size;
// after inserts the newest key is the hottest and the law stretches over
// the grown keyspace.
func TestLatestFollowsRecency(t *testing.T) {
	const draws = 100_000
	for _, s := range []float64{0.99, 1.2} {
		t.Run(fmt.Sprintf("s=%v", s), func(t *testing.T) {
			ks := NewKeyspace(1000)
			l := NewLatest(ks, s)
			r := rand.New(rand.NewPCG(21, math.Float64bits(s)))
			draw := func() []int {
				n := ks.Size()
				ranks := make([]int, n)
				for range draws {
					k := l.Next(r, 0)
					if k < 0 || k >= n {
						t.Fatalf("Next() = %d, out of [0, %d)", k, n)
					}
					ranks[n-1-k]++
				}
				return ranks
			}
			checkZipfRanks(t, "before inserts", draw(), s)

			for range 500 {
				ks.Insert()
			}
			ranks := draw()
			checkZipfRanks(t, "after 500 inserts", ranks, s)
			// Rank 0 is key 1499, inserted last: the likeliest key.
			for k := 1; k < len(ranks); k++ {
				if ranks[k] >= ranks[0] {
					t.Fatalf("after inserts, recency rank %d drawn %d times, the newest key only %d", k, ranks[k], ranks[0])
				}
			}
			// The 500 inserted keys (ranks 0..499) take their Zipf share,
			// well over half the draws; before the inserts they did not
			// exist.
			inserted, p := 0, 0.0
			pmf := zipfPMF(1500, s)
			for k := range 500 {
				inserted += ranks[k]
				p += pmf[k]
			}
			checkShare(t, "inserted keys", inserted, draws, p)
		})
	}
}

// TestLatestSingleKey pins a keyspace of one key: Latest returns it, and
// then the key inserted after it.
func TestLatestSingleKey(t *testing.T) {
	ks := NewKeyspace(1)
	l := NewLatest(ks, 0.99)
	r := rand.New(rand.NewPCG(1, 1))
	if k := l.Next(r, 0); k != 0 {
		t.Fatalf("Next() = %d, want 0", k)
	}
	ks.Insert()
	seen := [2]int{}
	for range 1000 {
		seen[l.Next(r, 0)]++
	}
	if seen[1] <= seen[0] || seen[0] == 0 {
		t.Errorf("after one insert, keys drawn %v: want both, the new one more", seen)
	}
}

// TestSequentialOrder pins the walk: 0, 1, ..., count-1, 0, ..., drawing
// nothing (a nil *rand.Rand would panic if it did).
func TestSequentialOrder(t *testing.T) {
	for _, n := range []int64{1, 5, 1000} {
		s := NewSequential(n)
		for i := range 3*n + 2 {
			if k := s.Next(nil, sim.Time(i)); k != i%n {
				t.Fatalf("count %d, draw %d: Next() = %d, want %d", n, i, k, i%n)
			}
		}
	}
}

// TestRotationStride pins the rotation's stride: coprime to the count,
// within a few keys of count·0.618, and such that the offsets of count
// successive epochs are every key once.
func TestRotationStride(t *testing.T) {
	for _, n := range []uint64{1, 2, 3, 4, 10, 97, 100, 1000, 1 << 20, 1_000_000_007, 1 << 62} {
		s := rotationStride(n)
		if n == 1 {
			if s != 0 {
				t.Errorf("rotationStride(1) = %d, want 0", s)
			}
			continue
		}
		if s < 1 || s >= n || gcd(s, n) != 1 {
			t.Errorf("rotationStride(%d) = %d: want in [1, n) and coprime to n", n, s)
		}
		if d := math.Abs(float64(s) - float64(n)*goldenFraction); d > 30 {
			t.Errorf("rotationStride(%d) = %d, %.0f from n·0.618", n, s, d)
		}
	}
	if s := rotationStride(1000); s != 619 {
		t.Errorf("rotationStride(1000) = %d, want 619 (618 shares a factor 2)", s)
	}
	for _, n := range []int64{7, 100, 1000} {
		ro := NewRotating(Uniform{Count: n}, n, sim.Minute)
		seen := make([]bool, n)
		for e := range n {
			off := ro.Offset(sim.Time(e) * sim.Minute)
			if seen[off] {
				t.Fatalf("count %d: offset %d repeats at epoch %d", n, off, e)
			}
			seen[off] = true
		}
		if ro.Offset(sim.Time(n)*sim.Minute) != 0 {
			t.Errorf("count %d: epoch count does not return to offset 0", n)
		}
	}
}

// TestRotatingOffsetLargeCounts checks Offset against exact arithmetic
// where epoch × stride overflows 64 bits.
func TestRotatingOffsetLargeCounts(t *testing.T) {
	for _, n := range []int64{1 << 40, 999_999_999_989, math.MaxInt64} {
		ro := NewRotating(Uniform{Count: n}, n, sim.Nanosecond)
		for _, now := range []sim.Time{0, 1, 12345, 1 << 40, math.MaxInt64 - 1} {
			e := new(big.Int).Mod(big.NewInt(int64(now)), big.NewInt(n))
			want := e.Mul(e, new(big.Int).SetUint64(ro.stride))
			want.Mod(want, big.NewInt(n))
			if got := ro.Offset(now); got != want.Int64() {
				t.Errorf("count %d, now %d: Offset = %d, want %s", n, now, got, want)
			}
		}
		r := rand.New(rand.NewPCG(1, 2))
		for range 1000 {
			if k := ro.Next(r, math.MaxInt64-1); k < 0 || k >= n {
				t.Fatalf("count %d: Next() = %d, out of range", n, k)
			}
		}
	}
}

// TestRotatingMovesPopularity pins rotate: in the first period the inner
// chooser's keys are used as they are; after a rotation the keys that
// were hot cool down to their new, distant ranks' share, and the new hot
// set follows the same distribution as the old (a Zipf law over the
// rotated ranks, the hotspot fractions over the rotated hot set, the one
// hot key moved).
func TestRotatingMovesPopularity(t *testing.T) {
	const (
		n      = 1000
		draws  = 100_000
		period = 10 * sim.Minute
	)
	epoch0, epoch1 := 5*sim.Minute, 15*sim.Minute

	t.Run("zipf", func(t *testing.T) {
		ro := NewRotating(NewZipf(n, 0.99), n, period)
		r := rand.New(rand.NewPCG(31, 32))
		pmf := zipfPMF(n, 0.99)
		top10 := 0.0
		for k := range 10 {
			top10 += pmf[k]
		}
		for _, now := range []sim.Time{epoch0, epoch1, 2*period + 1} {
			off := ro.Offset(now)
			ranks := make([]int, n)
			old := 0 // draws of the keys that were the top 10 at the start
			for range draws {
				k := ro.Next(r, now)
				ranks[(k-off+n)%n]++
				if k < 10 {
					old++
				}
			}
			checkZipfRanks(t, fmt.Sprintf("ranks at %v", now), ranks, 0.99)
			if now == epoch0 {
				if off != 0 {
					t.Fatalf("offset %d in the first period", off)
				}
				checkShare(t, "top 10 keys in the first period", old, draws, top10)
				continue
			}
			// The old top 10 now hold ranks (k - off) mod n, far down.
			p := 0.0
			for k := range int64(10) {
				p += pmf[(k-off+n)%n]
			}
			checkShare(t, fmt.Sprintf("old top 10 keys at %v", now), old, draws, p)
			if p > top10/20 {
				t.Errorf("at %v the old top 10 keep share %.4f of %.4f: they did not cool down", now, p, top10)
			}
		}
	})

	t.Run("hotspot", func(t *testing.T) {
		ro := NewRotating(NewHotspot(n, 0.2, 0.8), n, period)
		r := rand.New(rand.NewPCG(33, 34))
		off := ro.Offset(epoch1)
		if off != 619 {
			t.Fatalf("offset %d after one period, want the stride 619", off)
		}
		counts := make([]int, n)
		for range draws {
			counts[ro.Next(r, epoch1)]++
		}
		oldHot, newHot := 0, 0
		newSet := make([]int, 0, 200)
		for k := range n {
			if k < 200 {
				oldHot += counts[k]
			}
			if (int64(k)-off+n)%n < 200 {
				newHot += counts[k]
				newSet = append(newSet, counts[k])
			}
		}
		checkShare(t, "the new hot set", newHot, draws, 0.8)
		// The old hot set [0, 200) and the new [619, 819) are disjoint:
		// the old one gets the cold share of 200 of the 800 cold keys.
		checkShare(t, "the old hot set", oldHot, draws, 0.2*200/800)
		checkUniform(t, "within the new hot set", newSet)
	})

	t.Run("hot key", func(t *testing.T) {
		ro := NewRotating(Hotspot{Count: n, Hot: 1, HotOps: 1}, n, period)
		for _, tc := range []struct {
			now  sim.Time
			want int64
		}{{0, 0}, {period - 1, 0}, {period, 619}, {2 * period, 238}, {3 * period, 857}} {
			if k := ro.Next(nil, tc.now); k != tc.want {
				t.Errorf("hot key at %v = %d, want %d", tc.now, k, tc.want)
			}
		}
	})
}

// TestShardedKeys pins write sharding in Source.key: the suffix "#k" has
// k uniform over [0, shards); the shards of a key are distinct partition
// keys with distinct hashes; every key parses back as "k<index>#<shard>";
// and shards 0 or 1 append nothing and draw nothing.
func TestShardedKeys(t *testing.T) {
	const draws = 100_000
	s := &Source{
		cfg: Config{Keys: Hotspot{Count: 1000, Hot: 1, HotOps: 1}, Shards: 10},
		rng: rand.New(rand.NewPCG(41, 42)),
	}
	counts := make([]int, 10)
	distinct := map[string]bool{}
	buf := make([]byte, 0, 32)
	for range draws {
		buf = s.key(0, buf[:0])
		pk, shard, ok := bytes.Cut(buf, []byte("#"))
		j, err := strconv.Atoi(string(shard))
		if !ok || err != nil || string(pk) != "k0" || j < 0 || j >= 10 {
			t.Fatalf("sharded key %q, want k0#0 .. k0#9", buf)
		}
		counts[j]++
		distinct[string(buf)] = true
	}
	checkUniform(t, "shards", counts)
	hashes := map[uint64]string{}
	for k := range distinct {
		h := store.HashKey([]byte(k))
		if prev, dup := hashes[h]; dup {
			t.Errorf("shards %s and %s hash alike", prev, k)
		}
		hashes[h] = k
	}
	if len(distinct) != 10 || distinct["k0"] {
		t.Errorf("%d distinct partition keys, want the 10 shards", len(distinct))
	}

	// Over many keys every pair (key, shard) is its own partition key.
	s.cfg.Keys, s.cfg.Shards = Uniform{Count: 100}, 1000
	for range 1000 {
		buf = s.key(0, buf[:0])
		pk, shard, _ := bytes.Cut(buf, []byte("#"))
		i, err1 := strconv.Atoi(string(pk[1:]))
		j, err2 := strconv.Atoi(string(shard))
		if pk[0] != 'k' || err1 != nil || err2 != nil || i >= 100 || j >= 1000 ||
			!bytes.Equal(buf, appendShardedForTest(i, j)) {
			t.Fatalf("sharded key %q does not read back", buf)
		}
	}

	for _, shards := range []int{0, 1} {
		s := &Source{cfg: Config{Keys: Hotspot{Count: 10, Hot: 1, HotOps: 1}, Shards: shards}, rng: rand.New(rand.NewPCG(5, 6))}
		if got := s.key(0, nil); string(got) != "k0" {
			t.Errorf("shards %d: key %q, want k0", shards, got)
		}
		if s.rng.Uint64() != rand.New(rand.NewPCG(5, 6)).Uint64() {
			t.Errorf("shards %d drew from the random stream", shards)
		}
	}
}

func appendShardedForTest(i, j int) []byte {
	return []byte("k" + strconv.Itoa(i) + "#" + strconv.Itoa(j))
}

// TestKeyChoosersAllocationFree pins that drawing a key, and naming it
// with a shard suffix, allocates nothing: they run once per simulated
// request.
func TestKeyChoosersAllocationFree(t *testing.T) {
	ks := NewKeyspace(1000)
	latest := NewLatest(ks, 0.99)
	choosers := map[string]KeyChooser{
		"uniform":    Uniform{Count: 1000},
		"zipf":       NewZipf(1000, 0.99),
		"hotspot":    NewHotspot(1000, 0.2, 0.8),
		"hot":        Hotspot{Count: 1000, Hot: 1, HotOps: 1},
		"latest":     latest,
		"sequential": NewSequential(1000),
		"rotating":   NewRotating(NewZipf(1000, 1.2), 1000, sim.Minute),
	}
	r := rand.New(rand.NewPCG(1, 2))
	now := sim.Time(0)
	for name, c := range choosers {
		if a := testing.AllocsPerRun(1000, func() {
			now += sim.Second
			ks.Insert() // Latest resizes its law at each call
			c.Next(r, now)
		}); a != 0 {
			t.Errorf("%s: %v allocations per Next", name, a)
		}
	}
	s := &Source{cfg: Config{Keys: choosers["rotating"], Shards: 1000}, rng: r}
	buf := make([]byte, 0, 32)
	if a := testing.AllocsPerRun(1000, func() {
		now += sim.Second
		buf = s.key(now, buf[:0])
	}); a != 0 {
		t.Errorf("Source.key with shards: %v allocations", a)
	}
}

// TestKeyChoosersDeterministic pins that each chooser's draws depend only
// on the seed, the time and its own state: two choosers built alike give
// the same keys from equal seeds.
func TestKeyChoosersDeterministic(t *testing.T) {
	build := map[string]func() KeyChooser{
		"zipf":       func() KeyChooser { return NewZipf(1000, 0.99) },
		"hotspot":    func() KeyChooser { return NewHotspot(1000, 0.2, 0.8) },
		"latest":     func() KeyChooser { return NewLatest(NewKeyspace(1000), 0.99) },
		"sequential": func() KeyChooser { return NewSequential(1000) },
		"rotating":   func() KeyChooser { return NewRotating(NewHotspot(1000, 0.1, 0.9), 1000, sim.Minute) },
	}
	for name, newChooser := range build {
		draw := func(seed uint64) []int64 {
			c, r := newChooser(), rand.New(rand.NewPCG(seed, 7))
			out := make([]int64, 500)
			for i := range out {
				out[i] = c.Next(r, sim.Time(i)*sim.Second)
			}
			return out
		}
		a, b, other := draw(1), draw(1), draw(2)
		if fmt.Sprint(a) != fmt.Sprint(b) {
			t.Errorf("%s: two runs with one seed differ", name)
		}
		if name != "sequential" && fmt.Sprint(a) == fmt.Sprint(other) {
			t.Errorf("%s: seeds 1 and 2 give the same keys", name)
		}
	}
}
