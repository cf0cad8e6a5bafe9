package workload

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sort"

	"github.com/ddbsim/ddbsim/sim"
)

// RatePoint is a knot of a piecewise-linear rate profile.
type RatePoint struct {
	At   sim.Time
	Rate float64 // requests per second
}

// Profile is an arrival rate that moves linearly between knots and holds
// the last knot's rate until End, as k6's ramping-arrival-rate stages do.
//
// Knots are in time order, the first at 0. Two knots at the same time are
// a jump: the rate is the first one's just before, the last one's from
// that time on (the rate is continuous from the right). Step stages,
// spikes and the daily cycle (shapes.go) are made of jumps and short
// linear pieces, so one exact inversion (Arrivals) serves every shape.
type Profile struct {
	knots []RatePoint
	end   sim.Time
}

// Stage moves the rate linearly from the previous rate to Rate over For
// (NewProfile), or holds Rate for For (NewStepProfile).
type Stage struct {
	For  sim.Time
	Rate float64
}

// NewProfile builds the profile that starts at rate, runs the stages in
// order, then holds the last rate until end.
func NewProfile(rate float64, stages []Stage, end sim.Time) (Profile, error) {
	return newProfile(rate, stages, false, end)
}

// NewStepProfile builds a profile of steps: each stage's rate applies from
// the stage's start, a jump from the rate before, and holds for its For;
// the last one holds until end. rate is the rate when there are no stages
// (with stages, the first stage's rate applies from 0).
func NewStepProfile(rate float64, stages []Stage, end sim.Time) (Profile, error) {
	return newProfile(rate, stages, true, end)
}

func newProfile(rate float64, stages []Stage, step bool, end sim.Time) (Profile, error) {
	if !validRate(rate) {
		return Profile{}, fmt.Errorf("workload: rate %v is not a non-negative number", rate)
	}
	p := Profile{knots: []RatePoint{{0, rate}}, end: end}
	t := sim.Time(0)
	for _, s := range stages {
		if s.For <= 0 || !validRate(s.Rate) {
			return Profile{}, fmt.Errorf("workload: stage {for: %v, rate: %v} needs a positive duration and a non-negative rate", s.For, s.Rate)
		}
		if step {
			p.knots = append(p.knots, RatePoint{t, s.Rate})
		}
		t += s.For
		p.knots = append(p.knots, RatePoint{t, s.Rate})
	}
	return p, nil
}

func validRate(r float64) bool { return r >= 0 && !math.IsInf(r, 0) } // false for NaN too

// End is the end of the profile: no arrival falls at or after it.
func (p *Profile) End() sim.Time { return p.end }

// RateAt is the rate at t: after a jump at t, the rate it jumps to. After
// the last knot it is the last knot's rate.
func (p *Profile) RateAt(t sim.Time) float64 {
	k := p.knots
	// i is the first knot after t; k[i-1] starts the segment holding t,
	// and is the last of the knots of a jump at t.
	i := sort.Search(len(k), func(i int) bool { return k[i].At > t })
	switch i {
	case 0:
		return k[0].Rate
	case len(k):
		return k[len(k)-1].Rate
	}
	return interpolate(k[i-1], k[i], t)
}

// rateBefore is the rate just before t (the limit from the left): before a
// jump at t, the rate it jumps from. At or before 0 it is the rate at 0.
func (p *Profile) rateBefore(t sim.Time) float64 {
	k := p.knots
	// i is the first knot at or after t; k[i] is the first of a jump at t.
	i := sort.Search(len(k), func(i int) bool { return k[i].At >= t })
	switch {
	case i == len(k):
		return k[len(k)-1].Rate
	case i == 0 || k[i].At == t:
		return k[i].Rate
	}
	return interpolate(k[i-1], k[i], t)
}

// interpolate is the rate at t on the segment from a to b, a.At <= t <
// b.At.
func interpolate(a, b RatePoint, t sim.Time) float64 {
	f := float64(t-a.At) / float64(b.At-a.At)
	return a.Rate + f*(b.Rate-a.Rate)
}

// Expected is the expected number of arrivals in [0, end): the integral of
// the rate.
func (p *Profile) Expected() float64 { return p.Between(0, p.end) }

// Between is the expected number of arrivals in [from, to), within [0,
// end): the integral of the rate, exact for the piecewise-linear profile.
func (p *Profile) Between(from, to sim.Time) float64 {
	from, to = max(from, 0), min(to, p.end)
	if from >= to {
		return 0
	}
	total := 0.0
	k := p.knots
	for i := 1; i < len(k) && k[i-1].At < to; i++ {
		a, b := k[i-1], k[i]
		if b.At <= from || b.At == a.At {
			continue
		}
		if a.At < from {
			a = RatePoint{from, interpolate(a, b, from)}
		}
		if b.At > to {
			b = RatePoint{to, interpolate(a, b, to)}
		}
		total += (a.Rate + b.Rate) / 2 * (b.At - a.At).Seconds()
	}
	if last := k[len(k)-1]; last.At < to {
		total += last.Rate * (to - max(from, last.At)).Seconds()
	}
	return total
}

// Arrivals yields arrival times of a process whose intensity follows a
// Profile. Poisson arrivals advance the cumulative intensity by an
// exponential draw, constant arrivals by exactly one; both invert the
// piecewise-quadratic integral exactly, so a rate ramp needs no thinning,
// a paused rate (0/s) just skips ahead, and a jump is a segment boundary
// like any other. Next allocates nothing.
type Arrivals struct {
	profile Profile
	poisson bool
	rng     *rand.Rand
	seg     int     // index of the knot that starts the current segment
	t       float64 // seconds, the last arrival's exact time

	// The current segment, as Next computes it from the knots, kept
	// from one arrival to the next: where it starts and ends (seconds),
	// its rate at the start and its slope (per second per second). cur
	// is the segment they describe, -1 for none yet.
	cur              int
	end              float64 // the profile's end, seconds
	segStart, segEnd float64
	r0, slope        float64
}

// NewArrivals returns an arrival process; poisson selects exponential
// gaps, otherwise arrivals are evenly spaced in intensity.
func NewArrivals(p Profile, poisson bool, rng *rand.Rand) *Arrivals {
	return &Arrivals{profile: p, poisson: poisson, rng: rng, cur: -1, end: p.end.Seconds()}
}

// Next returns the next arrival time, or false when none falls before the
// profile's end.
func (a *Arrivals) Next() (sim.Time, bool) {
	need := 1.0
	if a.poisson {
		need = a.rng.ExpFloat64()
	}
	k := a.profile.knots
	end := a.end
	for a.t < end {
		if a.seg != a.cur {
			a.enter()
		}
		rate := a.r0 + a.slope*(a.t-a.segStart)
		width := a.segEnd - a.t
		area := rate*width + a.slope/2*width*width
		if area >= need && area > 0 {
			// Solve slope/2·d² + rate·d = need for the smaller positive
			// root, in the form that stays accurate when slope is ~0.
			var d float64
			if a.slope == 0 && rate > 0x1p-500 && rate < 0x1p500 {
				// The same root without the square root: sqrt(rate²)
				// is rate exactly in binary floating point (rate² neither
				// overflowing nor underflowing), and 2n/2r is n/r.
				d = need / rate
			} else {
				d = 2 * need / (rate + math.Sqrt(max(0, rate*rate+2*a.slope*need)))
			}
			a.t = min(a.t+d, a.segEnd)
			at := sim.FromSeconds(a.t)
			if at >= a.profile.end {
				return 0, false
			}
			return at, true
		}
		need -= area
		a.t = a.segEnd
		if a.seg+1 < len(k) && a.t >= k[a.seg+1].At.Seconds() {
			a.seg++
		}
	}
	return 0, false
}

// enter moves to the segment that starts at knot seg, stepping over the
// knots of a jump, which bound segments of no width, to the one that
// starts the rate after it, and keeps the segment's bounds, rate and
// slope.
func (a *Arrivals) enter() {
	k := a.profile.knots
	for a.seg+1 < len(k) && k[a.seg+1].At == k[a.seg].At {
		a.seg++
	}
	a.cur = a.seg
	a.segStart = k[a.seg].At.Seconds()
	a.segEnd, a.r0, a.slope = a.end, k[a.seg].Rate, 0
	if a.seg+1 < len(k) {
		a.segEnd = min(a.end, k[a.seg+1].At.Seconds())
		a.slope = (k[a.seg+1].Rate - a.r0) / (k[a.seg+1].At - k[a.seg].At).Seconds()
	}
}

// Knots are the profile's knots, in time order: the rate moves linearly
// from each to the next (Interpolate). The caller must not change them.
func (p *Profile) Knots() []RatePoint { return p.knots }

// Interpolate is the rate at t on the segment from knot a to knot b.
func Interpolate(a, b RatePoint, t sim.Time) float64 { return interpolate(a, b, t) }
