package fluid

import (
	"math"
	"math/rand/v2"

	"github.com/ddbsim/ddbsim/sim"
	"github.com/ddbsim/ddbsim/workload"
)

// poisson draws a Poisson count of the given mean: by inversion below 30,
// by the normal approximation above (its error is far below what a tick
// of traffic can show).
func poisson(r *rand.Rand, mean float64) int64 {
	switch {
	case mean <= 0:
		return 0
	case mean < 30:
		l := math.Exp(-mean)
		k := int64(0)
		p := l
		cum := l
		u := r.Float64()
		for u > cum && k < 1000 {
			k++
			p *= mean / float64(k)
			cum += p
		}
		return k
	}
	return max(int64(math.Round(mean+math.Sqrt(mean)*r.NormFloat64())), 0)
}

// binomial draws a Binomial(n, p) count: by inversion when few are
// expected either way, by the normal approximation otherwise.
func binomial(r *rand.Rand, n int64, p float64) int64 {
	switch {
	case p <= 0 || n <= 0:
		return 0
	case p >= 1:
		return n
	case p > 0.5:
		return n - binomial(r, n, 1-p)
	}
	mean := float64(n) * p
	if mean >= 30 {
		k := math.Round(mean + math.Sqrt(mean*(1-p))*r.NormFloat64())
		return int64(min(max(k, 0), float64(n)))
	}
	// Inversion: walk the probabilities up from 0.
	q := 1 - p
	pk := math.Pow(q, float64(n))
	cum := pk
	u := r.Float64()
	k := int64(0)
	for u > cum && k < n {
		pk *= float64(n-k) / float64(k+1) * p / q
		k++
		cum += pk
		if pk < 1e-300 && cum < u { // rounding left the tail short
			break
		}
	}
	return k
}

// arrivalCounter integrates a workload.Profile tick by tick, moving forward through
// its knots.
type arrivalCounter struct {
	p        workload.Profile
	seg      int // the knot that starts the segment holding at
	at       sim.Time
	cum      float64  // expected arrivals in [0, at)
	prevCum  float64  // cum before the last advance
	returned int64    // evenly spaced arrivals counted so far
	lastSpan sim.Time // the interval the last advance covered
}

// advance moves to to and returns the expected arrivals in [at, to),
// within the profile's end.
func (a *arrivalCounter) advance(to sim.Time) float64 {
	a.prevCum = a.cum
	a.lastSpan = to - a.at
	k := a.p.Knots()
	end := min(to, a.p.End())
	total := 0.0
	for a.at < end {
		for a.seg+1 < len(k) && k[a.seg+1].At <= a.at {
			a.seg++
		}
		segEnd := end
		if a.seg+1 < len(k) {
			segEnd = min(end, k[a.seg+1].At)
		}
		r0, r1 := k[len(k)-1].Rate, k[len(k)-1].Rate
		if a.seg+1 < len(k) {
			r0 = workload.Interpolate(k[a.seg], k[a.seg+1], a.at)
			r1 = workload.Interpolate(k[a.seg], k[a.seg+1], segEnd)
		}
		total += (r0 + r1) / 2 * (segEnd - a.at).Seconds()
		a.at = segEnd
	}
	a.at = max(a.at, to)
	a.cum += total
	return total
}

// count is the number of evenly spaced arrivals in the interval the last
// advance covered: an arrival falls where the expected count reaches 1,
// 2, 3, ... (as workload.Arrivals places them); one that falls on the end of the
// interval, to rounding, is counted in it.
func (a *arrivalCounter) count() int64 {
	n := int64(math.Floor(a.cum + 1e-6))
	n = max(n, 0)
	c := n - a.returned
	a.returned = n
	return max(c, 0)
}
