package workload

import (
	"cmp"
	"fmt"
	"math"
	"slices"

	"github.com/ddbsim/ddbsim/sim"
)

// Arrival shapes beyond stages: spikes and the daily cycle. Each multiplies
// a Profile's rate by a factor and returns a new Profile, so they compose
// (stages, then spikes, then the daily cycle) and the result is still
// piecewise linear: Arrivals inverts it exactly, and RateAt, Between and
// Expected are exact for it.

// Spike multiplies the rate by Multiplier on [At, At+For): a jump up (or,
// below 1, down) at At and back at At+For.
type Spike struct {
	At, For    sim.Time
	Multiplier float64
}

// WithSpikes returns p with its rate multiplied inside each spike. Spikes
// may come in any order but must not overlap (one may start where another
// ends); a spike needs At >= 0, For > 0 and a finite Multiplier > 0. The
// part of a spike past the profile's end has no effect.
func (p Profile) WithSpikes(spikes []Spike) (Profile, error) {
	s := slices.Clone(spikes)
	slices.SortStableFunc(s, func(a, b Spike) int { return cmp.Compare(a.At, b.At) })
	for i, sp := range s {
		if sp.At < 0 || sp.For <= 0 || !(sp.Multiplier > 0) || math.IsInf(sp.Multiplier, 0) {
			return Profile{}, fmt.Errorf("workload: spike {at: %v, for: %v, multiplier: %v} needs at >= 0, a positive duration and a positive multiplier", sp.At, sp.For, sp.Multiplier)
		}
		if i > 0 && sp.At < s[i-1].At+s[i-1].For {
			return Profile{}, fmt.Errorf("workload: spike at %v overlaps the spike at %v, which lasts until %v", sp.At, s[i-1].At, s[i-1].At+s[i-1].For)
		}
	}
	// factor is the multiplier in force on [t, next boundary) (before is
	// false) or on (previous boundary, t] (before is true).
	factor := func(t sim.Time, before bool) float64 {
		for _, sp := range s {
			if before && sp.At < t && t <= sp.At+sp.For || !before && sp.At <= t && t < sp.At+sp.For {
				return sp.Multiplier
			}
		}
		return 1
	}
	next := func(t sim.Time) sim.Time { // the first spike boundary after t
		for _, sp := range s {
			if sp.At > t {
				return sp.At
			}
			if e := sp.At + sp.For; e > t {
				return e
			}
		}
		return p.end
	}
	return p.multiply(next, factor)
}

// Diurnal is a daily cycle: the rate is multiplied by
//
//	f(t) = 1 + a·cos(2π·(hour(t) − PeakHour)/24),  a = (Ratio−1)/(Ratio+1),
//
// where hour(t) is the hour of the day of virtual time t, which starts at
// midnight UTC (as the model's daily limits on capacity decreases do).
// f is highest, 1+a, at PeakHour and lowest, 1−a, twelve hours away, so
// peak over trough is Ratio; its mean over a day is 1, so the rate it
// multiplies is the daily mean.
type Diurnal struct {
	PeakHour float64 // in [0, 24)
	Ratio    float64 // peak to trough, >= 1
}

// DiurnalStep is the spacing of the knots WithDiurnal samples the daily
// cycle at.
const DiurnalStep = sim.Minute

// Factor is f(t), the exact daily factor at t.
func (d Diurnal) Factor(t sim.Time) float64 {
	a := (d.Ratio - 1) / (d.Ratio + 1)
	hour := float64(t%sim.Day) / float64(sim.Hour)
	if hour < 0 {
		hour += 24
	}
	return 1 + a*math.Cos(2*math.Pi*(hour-d.PeakHour)/24)
}

// WithDiurnal returns p with its rate multiplied by the daily cycle d.
//
// The product r(t)·f(t) is not linear between knots, so the result samples
// it exactly at every DiurnalStep (one minute) and at p's own knots (its
// jumps stay jumps), and moves linearly in between. Linear interpolation
// over a gap h is off by at most h²/8 times the largest second derivative
// of the product, which is at most r·a·ω² + 2·|r'|·a·ω with ω = 2π/day
// (r' is the rate's slope), so with h <= 60 s:
//
//   - where the rate r is flat, by at most 2.4e-6·a·r (relative to the
//     exact rate, 2.4e-6·a/(1−a): 2.4e-6 at Ratio 3, 1.2e-4 at Ratio 100);
//   - where r ramps at r' per second, by another 0.066·a·|r'| at most.
//
// The expected arrivals in any window are off by at most h²/12 times that
// second derivative per unit of time: for a flat rate, 1.6e-6·a/(1−a) of
// them. Over a whole day of a flat rate they are exact to rounding (the
// trapezoid rule integrates a whole period of a cosine exactly).
func (p Profile) WithDiurnal(d Diurnal) (Profile, error) {
	if !(d.PeakHour >= 0 && d.PeakHour < 24) || !(d.Ratio >= 1) || math.IsInf(d.Ratio, 0) {
		return Profile{}, fmt.Errorf("workload: diurnal {peak_hour: %v, ratio: %v} needs 0 <= peak_hour < 24 and a finite ratio >= 1", d.PeakHour, d.Ratio)
	}
	next := func(t sim.Time) sim.Time { return (t/DiurnalStep + 1) * DiurnalStep }
	factor := func(t sim.Time, _ bool) float64 { return d.Factor(t) }
	return p.multiply(next, factor)
}

// multiply returns the piecewise-linear profile on [0, end] that equals
// p(t)·g(t) at each of p's knots, at each of g's breakpoints (next(t) is
// the first after t) and at end, and moves linearly in between. At each of
// those times it has the rate just before, p's rate before times
// g(t, true), then, if different (a jump), the rate from then on, p(t)
// times g(t, false). Where g is constant between breakpoints the result
// is exactly p·g. It fails if a rate overflows.
func (p Profile) multiply(next func(sim.Time) sim.Time, g func(t sim.Time, before bool) float64) (Profile, error) {
	out := Profile{end: p.end}
	k := p.knots
	i := 0 // the first knot after t
	for t := sim.Time(0); ; {
		after := p.RateAt(t) * g(t, false)
		if t > 0 {
			before := p.rateBefore(t) * g(t, true)
			if !validRate(before) {
				return Profile{}, fmt.Errorf("workload: the rate just before %v overflows: %v", t, before)
			}
			if before != after {
				out.knots = append(out.knots, RatePoint{t, before})
			}
		}
		if !validRate(after) {
			return Profile{}, fmt.Errorf("workload: the rate at %v overflows: %v", t, after)
		}
		out.knots = append(out.knots, RatePoint{t, after})
		if t >= p.end {
			return out, nil
		}
		for i < len(k) && k[i].At <= t {
			i++
		}
		nt := min(p.end, next(t))
		if i < len(k) {
			nt = min(nt, k[i].At)
		}
		t = nt
	}
}
