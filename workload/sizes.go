package workload

import (
	"math"
	"math/rand/v2"

	"github.com/ddbsim/ddbsim/model/units"
)

// SizeChooser picks the size in bytes of an item a request writes.
type SizeChooser interface {
	Next(r *rand.Rand) int
}

// FixedSize always returns the same size.
type FixedSize int

// Next returns the size.
func (f FixedSize) Next(*rand.Rand) int { return int(f) }

// LognormalSize draws sizes from a lognormal given by its median and 99th
// percentile, clamped to [1 B, 400 KB] because the service rejects larger
// items.
type LognormalSize struct {
	mu, sigma float64
}

// NewLognormalSize returns the distribution with the given median and p99.
// A median below 1 B is taken as 1 B and a p99 below the median as the
// median (a fixed size); the scenario parser rejects both before this.
func NewLognormalSize(median, p99 int) LognormalSize {
	median = max(median, 1)
	p99 = max(p99, median)
	const z99 = 2.3263478740408408
	return LognormalSize{
		mu:    math.Log(float64(median)),
		sigma: math.Log(float64(p99)/float64(median)) / z99,
	}
}

// Next returns a size.
func (l LognormalSize) Next(r *rand.Rand) int {
	v := math.Round(math.Exp(l.mu + l.sigma*r.NormFloat64()))
	return int(min(max(v, 1), units.MaxItemSize))
}

// UniformSize draws sizes uniformly from [Min, Max] bytes.
type UniformSize struct{ Min, Max int }

// Next returns a size.
func (u UniformSize) Next(r *rand.Rand) int {
	return u.Min + r.IntN(u.Max-u.Min+1)
}

// At is the size at z standard deviations of the underlying normal from
// its mean: the median at 0.
func (l LognormalSize) At(z float64) float64 { return math.Exp(l.mu + l.sigma*z) }
