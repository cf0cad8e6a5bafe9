package fluid

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/ddbsim/ddbsim/workload"
)

// TestFluidScrambledZipfianShares: the weights the aggregate driver
// places for YCSB's zipfian match the draws of workload.ScrambledZipfian,
// key by key for the hottest and for the first keys by index, and the
// hottest key holds YCSB's 3.9% of 1,000 records.
func TestFluidScrambledZipfianShares(t *testing.T) {
	const n, draws = 1000, 400_000
	z := workload.NewScrambledZipfian(n, 0, nil)
	m, err := keyModelOf(z)
	if err != nil {
		t.Fatal(err)
	}
	total := m.between(0, n)
	rng := rand.New(rand.NewPCG(1, 1))
	counts := make([]int, n)
	for range draws {
		counts[z.Next(rng, 0)]++
	}
	for _, tc := range []struct {
		name      string
		model     float64
		drawn     int
		tolerance float64
	}{
		{"hottest key", m.weight(0) / total, counts[m.order[0]], 0.002},
		{"second key", m.weight(1) / total, counts[m.order[1]], 0.002},
		{"keys below 100", m.below(100), sum(counts[:100]), 0.005},
	} {
		if got := float64(tc.drawn) / draws; math.Abs(got-tc.model) > tc.tolerance {
			t.Errorf("%s: modelled %.4f, drawn %.4f", tc.name, tc.model, got)
		}
	}
	if hot := m.weight(0) / total; math.Abs(hot-0.039) > 0.002 {
		t.Errorf("hottest key %.4f, YCSB's 0.039", hot)
	}
}

func sum(xs []int) int {
	s := 0
	for _, x := range xs {
		s += x
	}
	return s
}
