package workload

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/ddbsim/ddbsim/sim"
)

// RatePoint is a knot of a piecewise-linear rate profile.
type RatePoint struct {
	At   sim.Time
	Rate float64 // requests per second
}

// Profile is an arrival rate that moves linearly between knots and holds
// the last knot's rate until End, as k6's ramping-arrival-rate stages do.
type Profile struct {
	knots []RatePoint
	end   sim.Time
}

// Stage moves the rate linearly from the previous rate to Rate over For.
type Stage struct {
	For  sim.Time
	Rate float64
}

// NewProfile builds the profile that starts at rate, runs the stages in
// order, then holds the last rate until end.
func NewProfile(rate float64, stages []Stage, end sim.Time) (Profile, error) {
	if rate < 0 || math.IsNaN(rate) || math.IsInf(rate, 0) {
		return Profile{}, fmt.Errorf("workload: rate %v is not a non-negative number", rate)
	}
	p := Profile{knots: []RatePoint{{0, rate}}, end: end}
	t := sim.Time(0)
	for _, s := range stages {
		if s.For <= 0 || s.Rate < 0 || math.IsNaN(s.Rate) || math.IsInf(s.Rate, 0) {
			return Profile{}, fmt.Errorf("workload: stage {for: %v, rate: %v} needs a positive duration and a non-negative rate", s.For, s.Rate)
		}
		t += s.For
		p.knots = append(p.knots, RatePoint{t, s.Rate})
	}
	return p, nil
}

// RateAt is the rate at t.
func (p *Profile) RateAt(t sim.Time) float64 {
	k := p.knots
	for i := 1; i < len(k); i++ {
		if t < k[i].At {
			f := float64(t-k[i-1].At) / float64(k[i].At-k[i-1].At)
			return k[i-1].Rate + f*(k[i].Rate-k[i-1].Rate)
		}
	}
	return k[len(k)-1].Rate
}

// Expected is the expected number of arrivals in [0, end): the integral of
// the rate.
func (p *Profile) Expected() float64 {
	total := 0.0
	k := p.knots
	for i := 1; i < len(k) && k[i-1].At < p.end; i++ {
		a, b := k[i-1], k[i]
		if b.At > p.end {
			b = RatePoint{p.end, p.RateAt(p.end)}
		}
		total += (a.Rate + b.Rate) / 2 * (b.At - a.At).Seconds()
	}
	if last := k[len(k)-1]; last.At < p.end {
		total += last.Rate * (p.end - last.At).Seconds()
	}
	return total
}

// Arrivals yields arrival times of a process whose intensity follows a
// Profile. Poisson arrivals advance the cumulative intensity by an
// exponential draw, constant arrivals by exactly one; both invert the
// piecewise-quadratic integral exactly, so a rate ramp needs no thinning
// and a paused rate (0/s) just skips ahead.
type Arrivals struct {
	profile Profile
	poisson bool
	rng     *rand.Rand
	seg     int     // index of the knot that starts the current segment
	t       float64 // seconds, the last arrival's exact time
}

// NewArrivals returns an arrival process; poisson selects exponential
// gaps, otherwise arrivals are evenly spaced in intensity.
func NewArrivals(p Profile, poisson bool, rng *rand.Rand) *Arrivals {
	return &Arrivals{profile: p, poisson: poisson, rng: rng}
}

// Next returns the next arrival time, or false when none falls before the
// profile's end.
func (a *Arrivals) Next() (sim.Time, bool) {
	need := 1.0
	if a.poisson {
		need = a.rng.ExpFloat64()
	}
	k := a.profile.knots
	end := a.profile.end.Seconds()
	for a.t < end {
		segEnd := end
		r0 := k[a.seg].Rate
		slope := 0.0
		if a.seg+1 < len(k) {
			segEnd = min(end, k[a.seg+1].At.Seconds())
			slope = (k[a.seg+1].Rate - r0) / (k[a.seg+1].At - k[a.seg].At).Seconds()
		}
		rate := r0 + slope*(a.t-k[a.seg].At.Seconds())
		width := segEnd - a.t
		area := rate*width + slope/2*width*width
		if area >= need && area > 0 {
			// Solve slope/2·d² + rate·d = need for the smaller positive
			// root, in the form that stays accurate when slope is ~0.
			d := 2 * need / (rate + math.Sqrt(max(0, rate*rate+2*slope*need)))
			a.t = min(a.t+d, segEnd)
			at := sim.FromSeconds(a.t)
			if at >= a.profile.end {
				return 0, false
			}
			return at, true
		}
		need -= area
		a.t = segEnd
		if a.seg+1 < len(k) && a.t >= k[a.seg+1].At.Seconds() {
			a.seg++
		}
	}
	return 0, false
}
