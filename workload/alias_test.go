package workload

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// TestAliasTableFrequencies pins that an alias table draws each index in
// proportion to its weight, never one of weight zero, on skewed, uniform
// and degenerate weights. Over 200,000 draws a frequency's standard error
// is at most 0.0012; the test allows 0.005 (four of them).
func TestAliasTableFrequencies(t *testing.T) {
	for _, w := range [][]float64{
		{1},
		{0, 0, 1},
		{1, 0, 3},
		{1, 1, 1, 1, 1},
		{0.5, 0.25, 0.125, 0.0625, 0.0625},
		{1e-9, 1, 1e-9},
	} {
		t.Run(fmt.Sprint(w), func(t *testing.T) {
			const draws = 200_000
			a := newAliasTable(w)
			r := rand.New(rand.NewPCG(7, uint64(len(w))))
			counts := make([]int, len(w))
			for range draws {
				counts[a.next(r)]++
			}
			total := 0.0
			for _, x := range w {
				total += x
			}
			for i, x := range w {
				got, want := float64(counts[i])/draws, x/total
				if x == 0 && counts[i] > 0 {
					t.Errorf("index %d has weight 0 but was drawn %d times", i, counts[i])
				}
				if math.Abs(got-want) > 0.005 {
					t.Errorf("index %d drawn with frequency %.4f, want %.4f", i, got, want)
				}
			}
		})
	}
}
