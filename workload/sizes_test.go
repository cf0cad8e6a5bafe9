package workload

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/ddbsim/ddbsim/model/units"
)

// TestFixedSize pins that FixedSize returns its size and draws nothing.
func TestFixedSize(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 1))
	for _, n := range []int{1, 1024, units.MaxItemSize} {
		if got := FixedSize(n).Next(r); got != n {
			t.Errorf("FixedSize(%d).Next() = %d", n, got)
		}
	}
	if got, want := r.Uint64(), rand.New(rand.NewPCG(1, 1)).Uint64(); got != want {
		t.Errorf("FixedSize consumed randomness")
	}
}

// sortedSizes draws n sizes and sorts them.
func sortedSizes(l LognormalSize, n int, seed uint64) []int {
	r := rand.New(rand.NewPCG(seed, 99))
	out := make([]int, n)
	for i := range out {
		out[i] = l.Next(r)
	}
	slices.Sort(out)
	return out
}

// TestLognormalSizeQuantiles pins that NewLognormalSize(median, p99) draws
// sizes whose median and 99th percentile are the parameters.
//
// Tolerance: the sample q-quantile of n draws has, on the log scale, a
// standard deviation of sigma·sqrt(q(1-q)/n)/φ(z_q). With n = 100,000 and
// sigma = ln(10)/2.326 ≈ 0.99 (p99 = 10 x median) that is 0.4% for the
// median and 1.2% for the p99; the bounds, 2% and 6%, are 5 standard
// deviations. Rounding to whole bytes moves a 1,000-byte median by 0.05%.
func TestLognormalSizeQuantiles(t *testing.T) {
	const n = 100_000
	cases := []struct{ median, p99 int }{
		{1000, 10_000},
		{4096, 40_960},
		{300, 600},
		{2000, 2000}, // p99 = median: every draw is the median
	}
	for _, c := range cases {
		sizes := sortedSizes(NewLognormalSize(c.median, c.p99), n, uint64(c.median))
		med, p99 := float64(sizes[n/2]), float64(sizes[n*99/100])
		if math.Abs(med/float64(c.median)-1) > 0.02 {
			t.Errorf("NewLognormalSize(%d, %d): median %v", c.median, c.p99, med)
		}
		if math.Abs(p99/float64(c.p99)-1) > 0.06 {
			t.Errorf("NewLognormalSize(%d, %d): p99 %v", c.median, c.p99, p99)
		}
	}
}

// TestLognormalSizeClamped pins the clamp to [1 B, 400 KB]: a distribution
// mostly above the item size limit returns exactly units.MaxItemSize for those
// draws, one mostly below 1 byte returns 1, and nothing falls outside.
func TestLognormalSizeClamped(t *testing.T) {
	const n = 20_000
	cases := []struct {
		name      string
		l         LognormalSize
		clampedTo int
	}{
		// Median 300 KB, p99 4 MB: about 40% of draws exceed 400 KB.
		{"above the limit", NewLognormalSize(300*1024, 4<<20), units.MaxItemSize},
		// Median 1 B: half the draws are below 1 B (and round to 0 or 1).
		{"below one byte", NewLognormalSize(1, 1000), 1},
	}
	for _, c := range cases {
		sizes := sortedSizes(c.l, n, 3)
		if sizes[0] < 1 || sizes[n-1] > units.MaxItemSize {
			t.Errorf("%s: sizes span [%d, %d], want within [1, %d]", c.name, sizes[0], sizes[n-1], units.MaxItemSize)
		}
		clamped := 0
		for _, s := range sizes {
			if s == c.clampedTo {
				clamped++
			}
		}
		if clamped < n/4 {
			t.Errorf("%s: only %d of %d draws at the clamp %d", c.name, clamped, n, c.clampedTo)
		}
	}
}
