package workload

import (
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"testing"
)

// TestUniformInRange pins Uniform's contract: every index in [0, Count),
// and (with 100 draws per key) every key is reached.
func TestUniformInRange(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, n := range []int64{1, 7, 1000} {
		u := Uniform{Count: n}
		seen := make([]bool, n)
		for range 100 * n {
			k := u.Next(r, 0)
			if k < 0 || k >= n {
				t.Fatalf("Uniform{%d}.Next() = %d, out of range", n, k)
			}
			seen[k] = true
		}
		for k, ok := range seen {
			if !ok {
				// P(a key is missed in 100n draws) ≈ e^-100.
				t.Errorf("Uniform{%d}: key %d never drawn", n, k)
			}
		}
	}
}

// zipfPMF is the exact Zipf law: P(k) = (k+1)^-s / H(n, s), where H(n, s)
// is the generalised harmonic number, summed smallest term first.
func zipfPMF(n int, s float64) []float64 {
	p := make([]float64, n)
	h := 0.0
	for k := n; k >= 1; k-- {
		p[k-1] = math.Pow(float64(k), -s)
		h += p[k-1]
	}
	for k := range p {
		p[k] /= h
	}
	return p
}

// TestZipfMatchesPMF pins that Zipf draws index k with probability
// (k+1)^-s / H(n, s), for exponents below, at and above 1, including
// YCSB's 0.99 that math/rand/v2 cannot draw, by both of its samplers: the
// alias table NewZipf builds and the rejection-inversion it uses over
// more than aliasMaxKeys keys (and Latest uses always).
//
// The check is Pearson's chi-square over the top 20 ranks plus one bin for
// the tail (all 10 ranks when n = 10). With 100,000 draws every bin expects
// at least 150, so the chi-square approximation holds. The critical values
// are the 0.999 quantiles of the chi-square law (27.88 for 9 degrees of
// freedom, 45.31 for 20): a correct sampler exceeds them once in a thousand
// seeds, while a rank shifted by one or an exponent off by 0.05 gives a
// statistic in the hundreds. The seed is fixed, so the test is
// deterministic. It also checks that every value lies in [0, n) and that
// rank 0 is drawn most often.
func TestZipfMatchesPMF(t *testing.T) {
	const draws = 100_000
	critical := map[int]float64{9: 27.877, 20: 45.315}
	samplers := []struct {
		name string
		new  func(int64, float64) *Zipf
	}{{"alias", NewZipf}, {"rejection", newZipfSampler}}
	for _, n := range []int{10, 1000} {
		for _, s := range []float64{0.5, 0.99, 1.0, 1.2, 2.0} {
			for _, sampler := range samplers {
				t.Run(fmt.Sprintf("%s/n=%d/s=%v", sampler.name, n, s), func(t *testing.T) {
					z := sampler.new(int64(n), s)
					if (z.alias != nil) != (sampler.name == "alias") {
						t.Fatalf("alias table %v, want %s", z.alias != nil, sampler.name)
					}
					counts := zipfCounts(t, z, draws, rand.New(rand.NewPCG(uint64(n), math.Float64bits(s))))
					for k := 1; k < n; k++ {
						if counts[k] >= counts[0] {
							t.Errorf("rank %d drawn %d times, rank 0 only %d", k, counts[k], counts[0])
						}
					}

					pmf := zipfPMF(n, s)
					bins := min(n, 20)
					chi2, tailP, tailN := 0.0, 1.0, draws
					for k := range bins {
						e := pmf[k] * draws
						d := float64(counts[k]) - e
						chi2 += d * d / e
						tailP -= pmf[k]
						tailN -= counts[k]
					}
					df := bins - 1
					if bins < n {
						e := tailP * draws
						d := float64(tailN) - e
						chi2 += d * d / e
						df = bins
					}
					if chi2 > critical[df] {
						t.Errorf("chi-square %.1f with %d degrees of freedom, want <= %.2f", chi2, df, critical[df])
						for k := range min(bins, 5) {
							t.Logf("rank %d: %d drawn, %.0f expected", k, counts[k], pmf[k]*draws)
						}
					}
				})
			}
		}
	}
}

// TestZipfSingleKey pins the degenerate case: over one key, Next is 0.
func TestZipfSingleKey(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 5))
	for _, s := range []float64{0.5, 0.99, 1, 1.2, 2, 5} {
		z := NewZipf(1, s)
		for range 1000 {
			if k := z.Next(r, 0); k != 0 {
				t.Fatalf("NewZipf(1, %v).Next() = %d, want 0", s, k)
			}
		}
	}
}

// TestZipfHelpers pins the numerical pieces of the sampler: the series
// used below |x| = 1e-8 agree with the closed forms (e^x-1)/x and
// log(1+x)/x, and H⁻¹ inverts H over the sampler's domain [1, n+0.5] for
// exponents on both sides of 1 and at 1, where H(x) = log x.
func TestZipfHelpers(t *testing.T) {
	for _, x := range []float64{-2e-8, -1e-8, -1e-9, -1e-12, 1e-12, 1e-9, 1e-8, 2e-8, 1e-3, 0.5, -0.5} {
		if got, want := expm1OverX(x), math.Expm1(x)/x; math.Abs(got-want) > 1e-15*math.Abs(want) {
			t.Errorf("expm1OverX(%v) = %v, want %v", x, got, want)
		}
		if got, want := log1pOverX(x), math.Log1p(x)/x; math.Abs(got-want) > 1e-15*math.Abs(want) {
			t.Errorf("log1pOverX(%v) = %v, want %v", x, got, want)
		}
	}
	if expm1OverX(0) != 1 || log1pOverX(0) != 1 {
		t.Errorf("expm1OverX(0) = %v, log1pOverX(0) = %v, want 1 and 1", expm1OverX(0), log1pOverX(0))
	}
	for _, s := range []float64{0.5, 0.99, 1 - 1e-10, 1, 1 + 1e-10, 1.2, 2} {
		z := NewZipf(1000, s)
		for _, x := range []float64{1, 1.5, 2.5, 10, 999.5, 1000.5} {
			if got := z.hIntegralInverse(z.hIntegral(x)); math.Abs(got-x) > 1e-9*x {
				t.Errorf("s=%v: H⁻¹(H(%v)) = %v", s, x, got)
			}
		}
	}
	if got, want := NewZipf(10, 1).hIntegral(7), math.Log(7); math.Abs(got-want) > 1e-15 {
		t.Errorf("s=1: H(7) = %v, want log 7 = %v", got, want)
	}
}

// TestZipfMillionKeys pins the Zipf law over a million keys, the size of
// a real table, for YCSB's exponent 0.99 and a steeper 1.2: the top 20
// ranks one by one, then the rest in bins that double in width ([20, 40),
// [40, 80), ..., [655360, 1000000)), so that the tail's shape is tested
// up to the last rank too. 200,000 draws put at least 500 expected draws
// in every bin. The critical value is the chi-square's 0.999 quantile
// (chi2Critical, 35 degrees of freedom): a correct sampler fails once in
// a thousand seeds; the seed is fixed, so the test is deterministic.
func TestZipfMillionKeys(t *testing.T) {
	const n, draws = 1_000_000, 200_000
	// Bin edges: 0, 1, ..., 20, 40, 80, ..., then n.
	edges := rankBins(n)
	for _, s := range []float64{0.99, 1.2} {
		t.Run(fmt.Sprintf("s=%v", s), func(t *testing.T) {
			checkZipfBins(t, NewZipf(n, s), draws, edges, 1_000_000)
		})
	}
}

// TestZipfHeadAndTail is TestZipfMillionKeys over a keyspace larger than
// aliasMaxKeys, where the alias table holds the first aliasHeadKeys keys
// and a slot for the tail, which rejection-inversion draws: the same
// doubling bins, one of them ending exactly at the head's last key, and
// the table, whatever the keyspace, a fixed 512 KiB (2 MiB to build).
func TestZipfHeadAndTail(t *testing.T) {
	const n, draws = 3_000_000, 400_000
	edges := rankBins(n)
	// The head's end, which 40·2^k never meets, splits its bin.
	i, _ := slices.BinarySearch(edges, aliasHeadKeys)
	edges = slices.Insert(edges, i, aliasHeadKeys)
	for _, s := range []float64{0.99, 1.2} {
		t.Run(fmt.Sprintf("s=%v", s), func(t *testing.T) {
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			z := NewZipf(n, s)
			runtime.ReadMemStats(&after)
			if z.head != aliasHeadKeys || len(z.alias.slots) != aliasHeadKeys+1 {
				t.Fatalf("head %d, %d slots: want the head's %d keys and a tail slot", z.head, len(z.alias.slots), aliasHeadKeys)
			}
			// The head's table (512 KiB) and its build's weights and
			// work lists: a table of every key would take 24 MB here.
			if built := after.TotalAlloc - before.TotalAlloc; built > 4<<20 {
				t.Errorf("building the sampler over %d keys allocated %d B, want the head's table and its scratch alone", n, built)
			}
			checkZipfBins(t, z, draws, edges, n)
		})
	}
}

// zipfCounts draws z draws times from r and counts each key's draws,
// failing at a key out of z's range.
func zipfCounts(t *testing.T, z *Zipf, draws int, r *rand.Rand) []int {
	t.Helper()
	counts := make([]int, z.Keys())
	for range draws {
		k := z.Next(r, 0)
		if k < 0 || k >= z.Keys() {
			t.Fatalf("Next() = %d, out of [0, %d)", k, z.Keys())
		}
		counts[k]++
	}
	return counts
}

// checkZipfBins draws z draws times (seeded with seed and z's exponent)
// and fails unless the counts in the bins between edges (the last edge
// z's key count) fit the exact probabilities: Pearson's chi-square at
// its 0.999 quantile.
func checkZipfBins(t *testing.T, z *Zipf, draws int, edges []int, seed uint64) {
	t.Helper()
	n := int(z.Keys())
	pmf := zipfPMF(n, z.Exponent())
	counts := zipfCounts(t, z, draws, rand.New(rand.NewPCG(seed, math.Float64bits(z.Exponent()))))
	obs := make([]int, len(edges)-1)
	exp := make([]float64, len(edges)-1)
	for b := range obs {
		for k := edges[b]; k < edges[b+1]; k++ {
			obs[b] += counts[k]
			exp[b] += pmf[k] * float64(draws)
		}
	}
	if x, crit := chi2(obs, exp), chi2Critical(len(obs)-1); x > crit {
		t.Errorf("chi-square %.1f over %d bins, want <= %.1f", x, len(obs), crit)
		for b := range obs {
			t.Logf("ranks [%d, %d): %d drawn, %.0f expected", edges[b], edges[b+1], obs[b], exp[b])
		}
	}
}

// rankBins are the edges of the bins the Zipf tests count draws in: the
// top 20 ranks one by one, then bins doubling in width from [20, 40) up
// to the last, which ends at n.
func rankBins(n int) []int {
	var edges []int
	for k := 0; k <= 20; k++ {
		edges = append(edges, k)
	}
	for e := 40; e < n; e *= 2 {
		edges = append(edges, e)
	}
	return append(edges, n)
}
