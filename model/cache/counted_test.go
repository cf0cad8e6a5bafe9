package cache

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/ddbsim/ddbsim/sim"
)

// zipfWeights are p_i ∝ (i+1)^-s over n keys, normalised.
func zipfWeights(n int, s float64) []float64 {
	p := make([]float64, n)
	total := 0.0
	for i := range p {
		p[i] = math.Pow(float64(i+1), -s)
		total += p[i]
	}
	for i := range p {
		p[i] /= total
	}
	return p
}

// cheHit is the Che approximation's hit rate of an LRU of capacity
// entries under popularities p, from the formula: T solves
// sum_i (1 - exp(-p_i T)) = C; the hit rate is sum_i p_i (1 - exp(-p_i T)).
func cheHit(p []float64, capacity float64) float64 {
	filled := func(T float64) float64 {
		s := 0.0
		for _, pi := range p {
			s += -math.Expm1(-pi * T)
		}
		return s
	}
	lo, hi := 0.0, 1.0
	for filled(hi) < capacity {
		hi *= 2
	}
	for range 200 {
		if mid := (lo + hi) / 2; filled(mid) < capacity {
			lo = mid
		} else {
			hi = mid
		}
	}
	h := 0.0
	for _, pi := range p {
		h += pi * -math.Expm1(-pi*lo)
	}
	return h
}

// countedRun steps a Counted of the keys' popularity p, in rank classes,
// under reads and write-through fills a tick, and returns the hit rate of
// each tick.
func countedRun(p []float64, ttl sim.Time, maxEntries int64, ticks int, reads, fills float64) []float64 {
	bounds := RankBounds(int64(len(p)))
	classes := make([]Class, len(bounds)-1)
	share := make([]float64, len(classes))
	for i := range classes {
		classes[i] = Class{Keys: bounds[i+1] - bounds[i], Bytes: 1024}
		for r := bounds[i]; r < bounds[i+1]; r++ {
			share[i] += p[r]
		}
	}
	c := NewCounted(ttl, sim.Second, maxEntries, 0, classes)
	traffic := make([]Traffic, len(classes))
	out := make([]Access, len(classes))
	rates := make([]float64, ticks)
	for t := range ticks {
		for i := range traffic {
			traffic[i] = Traffic{Reads: reads * share[i], Fills: fills * share[i]}
		}
		c.Step(traffic, out, 0, 0)
		var h, m float64
		for _, a := range out {
			h += a.Hits
			m += a.Misses
		}
		rates[t] = h / (h + m)
	}
	return rates
}

// lruRun runs the LRU itself under the same traffic, Poisson references
// at random instants, and returns the hit rate of each tick.
func lruRun(p []float64, ttl sim.Time, maxEntries int64, ticks int, reads, fills float64, seed uint64) []float64 {
	cdf := make([]float64, len(p))
	acc := 0.0
	for i, pi := range p {
		acc += pi
		cdf[i] = acc
	}
	r := rand.New(rand.NewPCG(seed, 1))
	c := NewLRU(ttl, maxEntries, 0)
	rates := make([]float64, ticks)
	type ref struct {
		at    sim.Time
		key   int
		write bool
	}
	var refs []ref
	poisson := func(mean float64) int {
		// Enough for the means here: a normal of the same mean and variance.
		return max(0, int(math.Round(mean+math.Sqrt(mean)*r.NormFloat64())))
	}
	for t := range ticks {
		refs = refs[:0]
		base := sim.Time(t) * sim.Second
		draw := func(n int, write bool) {
			for range n {
				k, _ := slices.BinarySearch(cdf, r.Float64())
				refs = append(refs, ref{base + sim.Time(r.Int64N(int64(sim.Second))), min(k, len(p)-1), write})
			}
		}
		draw(poisson(reads), false)
		draw(poisson(fills), true)
		slices.SortFunc(refs, func(a, b ref) int { return int(a.at - b.at) })
		var h, m int
		for _, x := range refs {
			key := uint64(x.key + 1)
			if x.write {
				c.Fill(x.at, key, 1, 1024, true)
				continue
			}
			if c.Lookup(x.at, key) != nil {
				h++
				continue
			}
			m++
			c.Fill(x.at, key, 1, 1024, true)
		}
		rates[t] = float64(h) / float64(max(h+m, 1))
	}
	return rates
}

func meanOf(v []float64) float64 { return sum(v) / float64(len(v)) }

// In balance, with a time to live far beyond its characteristic time, a
// counted LRU of C entries hits as Che's approximation says, and as the
// LRU itself does: within half a point across exponents and sizes.
func TestCountedMatchesCheApproximation(t *testing.T) {
	const keys, reads, ticks = 10_000, 2000, 80
	for _, s := range []float64{0.8, 1.0, 1.2} {
		p := zipfWeights(keys, s)
		for _, capacity := range []int64{100, 1000} {
			got := meanOf(countedRun(p, 1000*sim.Second, capacity, ticks, reads, 0)[ticks/2:])
			che := cheHit(p, float64(capacity))
			lru := meanOf(lruRun(p, 1000*sim.Second, capacity, ticks, reads, 0, uint64(capacity))[ticks/2:])
			t.Logf("zipf %.1f, %4d entries: counted %.4f, Che %.4f, LRU %.4f", s, capacity, got, che, lru)
			if math.Abs(got-che) > 0.005 || math.Abs(got-lru) > 0.005 {
				t.Errorf("zipf %.1f, %d entries: counted %.4f, Che %.4f, LRU %.4f", s, capacity, got, che, lru)
			}
		}
	}
}

// With room for every key, the time to live sets the hit rate: from the
// cold start, through the first expiries, to the balance of a TTL cache
// (a key read at rate λ hits λτ/(1+λτ) of the time). Writes through the
// cache refill entries. The counted cache follows the LRU tick by tick,
// over windows of ten ticks, within a point.
func TestCountedFollowsTheTimeToLive(t *testing.T) {
	const keys, ticks = 20_000, 120
	for _, tc := range []struct {
		s            float64
		reads, fills float64
		ttl          sim.Time
	}{
		{1.0, 3000, 0, 30 * sim.Second},
		{0.9, 2000, 100, 30 * sim.Second},
		{1.1, 3000, 0, 45500 * sim.Millisecond},
	} {
		p := zipfWeights(keys, tc.s)
		got := countedRun(p, tc.ttl, 0, ticks, tc.reads, tc.fills)
		want := lruRun(p, tc.ttl, 0, ticks, tc.reads, tc.fills, 7)
		for w := 0; w < ticks; w += 10 {
			g, l := meanOf(got[w:w+10]), meanOf(want[w:w+10])
			if math.Abs(g-l) > 0.01 {
				t.Errorf("zipf %.1f, ttl %v, ticks %d-%d: counted %.4f, LRU %.4f", tc.s, tc.ttl, w, w+10, g, l)
			}
		}
		t.Logf("zipf %.1f, ttl %v: overall counted %.4f, LRU %.4f", tc.s, tc.ttl, meanOf(got), meanOf(want))
	}
}
