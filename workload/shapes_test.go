package workload

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/ddbsim/ddbsim/sim"
)

func mustSpikes(t testing.TB, p Profile, spikes ...Spike) Profile {
	t.Helper()
	q, err := p.WithSpikes(spikes)
	if err != nil {
		t.Fatalf("WithSpikes(%v): %v", spikes, err)
	}
	return q
}

func mustDiurnal(t testing.TB, p Profile, d Diurnal) Profile {
	t.Helper()
	q, err := p.WithDiurnal(d)
	if err != nil {
		t.Fatalf("WithDiurnal(%v): %v", d, err)
	}
	return q
}

// TestSpikes pins a spike: the rate is multiplied on [at, at+for), with a
// jump at each end, on a flat rate, a ramp (split where the spike starts
// and ends) and a step; the expected arrivals are the hand integrals.
func TestSpikes(t *testing.T) {
	s := sim.Second
	type point struct {
		at   sim.Time
		want float64
	}
	cases := []struct {
		name   string
		p      Profile
		points []point
		want   float64 // Expected()
	}{
		{
			name: "flat",
			p:    mustSpikes(t, mustProfile(t, 10, nil, 60*s), Spike{At: 20 * s, For: 10 * s, Multiplier: 5}),
			points: []point{
				{0, 10}, {20*s - 1, 10}, {20 * s, 50}, {25 * s, 50}, {30*s - 1, 50}, {30 * s, 10}, {59 * s, 10},
			},
			want: 10*50 + 50*10,
		},
		{
			// 0 -> 100/s over 100 s; x2 on [20 s, 40 s): 20 -> 40/s
			// doubled to 40 -> 80/s.
			name: "on a ramp",
			p:    mustSpikes(t, mustProfile(t, 0, []Stage{{100 * s, 100}}, 100*s), Spike{At: 20 * s, For: 20 * s, Multiplier: 2}),
			points: []point{
				{10 * s, 10}, {20*s - 1, 20 - 1e-9}, {20 * s, 40}, {30 * s, 60}, {40*s - 1, 80 - 2e-9}, {40 * s, 40}, {70 * s, 70},
			},
			// The ramp's 5000, plus the spike's extra: the trapezoid
			// 20 -> 40 over 20 s.
			want: 5000 + 600,
		},
		{
			// A dip and a spike back to back, and one past the end.
			name: "adjacent, a dip, past the end",
			p: mustSpikes(t, mustProfile(t, 100, nil, 60*s),
				Spike{At: 50 * s, For: 20 * s, Multiplier: 3}, // past the end: only [50, 60) counts
				Spike{At: 10 * s, For: 10 * s, Multiplier: 0.5},
				Spike{At: 20 * s, For: 10 * s, Multiplier: 2}),
			points: []point{{5 * s, 100}, {10 * s, 50}, {20*s - 1, 50}, {20 * s, 200}, {30 * s, 100}, {50 * s, 300}, {59 * s, 300}},
			want:   100*60 - 500 + 1000 + 2000,
		},
		{
			// A spike over a step: both jumps stay jumps.
			name: "on steps",
			p: mustSpikes(t, mustStep(t, []Stage{{10 * s, 10}, {10 * s, 30}}, 30*s),
				Spike{At: 5 * s, For: 10 * s, Multiplier: 10}),
			points: []point{{0, 10}, {5 * s, 100}, {10*s - 1, 100}, {10 * s, 300}, {15*s - 1, 300}, {15 * s, 30}, {25 * s, 30}},
			want:   50 + 500 + 1500 + 450,
		},
	}
	for _, c := range cases {
		for _, pt := range c.points {
			if got := c.p.RateAt(pt.at); math.Abs(got-pt.want) > 1e-9 {
				t.Errorf("%s: RateAt(%v) = %v, want %v", c.name, pt.at, got, pt.want)
			}
		}
		if got := c.p.Expected(); math.Abs(got-c.want) > 1e-6 {
			t.Errorf("%s: Expected() = %v, want %v", c.name, got, c.want)
		}
	}
}

func mustStep(t testing.TB, stages []Stage, end sim.Time) Profile {
	t.Helper()
	p, err := NewStepProfile(0, stages, end)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// TestSpikesRejected pins WithSpikes's validation: overlapping spikes (in
// any order), a negative start, no duration, and a multiplier that is not
// a positive finite number.
func TestSpikesRejected(t *testing.T) {
	p := mustProfile(t, 10, nil, sim.Hour)
	m := sim.Minute
	for name, spikes := range map[string][]Spike{
		"overlap":           {{At: 10 * m, For: 5 * m, Multiplier: 2}, {At: 14 * m, For: m, Multiplier: 2}},
		"overlap, reversed": {{At: 14 * m, For: m, Multiplier: 2}, {At: 10 * m, For: 5 * m, Multiplier: 2}},
		"same start":        {{At: 10 * m, For: m, Multiplier: 2}, {At: 10 * m, For: m, Multiplier: 3}},
		"negative at":       {{At: -m, For: 5 * m, Multiplier: 2}},
		"no duration":       {{At: m, Multiplier: 2}},
		"zero multiplier":   {{At: m, For: m}},
		"negative":          {{At: m, For: m, Multiplier: -1}},
		"NaN":               {{At: m, For: m, Multiplier: math.NaN()}},
		"Inf":               {{At: m, For: m, Multiplier: math.Inf(1)}},
		"overflow":          {{At: m, For: m, Multiplier: math.MaxFloat64}},
	} {
		if _, err := p.WithSpikes(spikes); err == nil {
			t.Errorf("%s: WithSpikes(%v) accepted it", name, spikes)
		}
	}
	if _, err := p.WithSpikes([]Spike{{At: 0, For: m, Multiplier: 2}, {At: m, For: m, Multiplier: 0.1}}); err != nil {
		t.Errorf("spikes back to back: %v", err)
	}
}

// TestShapesKeepTheirInput pins that shapes return new profiles: the
// profile they start from is unchanged.
func TestShapesKeepTheirInput(t *testing.T) {
	p := mustProfile(t, 10, []Stage{{sim.Hour, 20}}, 2*sim.Hour)
	before := slices.Clone(p.knots)
	mustSpikes(t, p, Spike{At: sim.Minute, For: sim.Minute, Multiplier: 3})
	mustDiurnal(t, p, Diurnal{PeakHour: 12, Ratio: 4})
	if !slices.Equal(p.knots, before) {
		t.Errorf("a shape changed the profile it was given")
	}
}

// TestDiurnalFactor pins f: 1+a at the peak hour, 1-a twelve hours away,
// 1 six hours either side, peak over trough = ratio, the same every day,
// and a mean of 1 over a day.
func TestDiurnalFactor(t *testing.T) {
	d := Diurnal{PeakHour: 14, Ratio: 3} // a = 0.5
	h := sim.Hour
	for _, c := range []struct {
		at   sim.Time
		want float64
	}{
		{14 * h, 1.5}, {2 * h, 0.5}, {8 * h, 1}, {20 * h, 1},
		{sim.Day + 14*h, 1.5}, {3*sim.Day + 2*h, 0.5},
		{14*h + 30*sim.Minute, 1 + 0.5*math.Cos(math.Pi/24)},
	} {
		if got := d.Factor(c.at); math.Abs(got-c.want) > 1e-12 {
			t.Errorf("Factor(%v) = %v, want %v", c.at, got, c.want)
		}
	}
	if got := d.Factor(14*h) / d.Factor(2*h); math.Abs(got-3) > 1e-12 {
		t.Errorf("peak/trough = %v, want 3", got)
	}
	// The mean of f over a day, by the midpoint rule on 1-second steps.
	sum := 0.0
	for i := range 86400 {
		sum += d.Factor(sim.Time(i)*sim.Second + sim.Second/2)
	}
	if mean := sum / 86400; math.Abs(mean-1) > 1e-9 {
		t.Errorf("mean factor over a day = %v, want 1", mean)
	}
	flat := Diurnal{PeakHour: 0, Ratio: 1}
	if got := flat.Factor(5 * h); got != 1 {
		t.Errorf("ratio 1: Factor = %v, want 1", got)
	}
}

// TestDiurnalAccuracy pins the error bounds WithDiurnal's comment states,
// against the exact product rate x f(t): at every knot the profile is
// exact; between knots, on a flat rate, it is off by at most 2.4e-6·a of
// the rate; the expected arrivals of a day are exact to rounding, and
// those of any hour within 1.6e-6·a/(1-a) relative.
func TestDiurnalAccuracy(t *testing.T) {
	const rate = 100.0
	for _, d := range []Diurnal{{PeakHour: 14, Ratio: 3}, {PeakHour: 0, Ratio: 100}, {PeakHour: 23.75, Ratio: 1.5}} {
		a := (d.Ratio - 1) / (d.Ratio + 1)
		p := mustDiurnal(t, mustProfile(t, rate, nil, 2*sim.Day), d)
		if n := len(p.knots); n != 2*24*60+1 {
			t.Errorf("%v: %d knots, want one a minute and one at the end", d, n)
		}
		worst := 0.0
		for at := sim.Time(0); at < 2*sim.Day; at += 7*sim.Second + 300*sim.Millisecond {
			exact := rate * d.Factor(at)
			err := math.Abs(p.RateAt(at) - exact)
			if at%DiurnalStep == 0 && err > 1e-12*rate {
				t.Errorf("%v: at the knot %v the rate is %v, want %v", d, at, p.RateAt(at), exact)
			}
			worst = max(worst, err/rate)
		}
		if bound := 2.4e-6 * a; worst > bound {
			t.Errorf("%v: largest error %.3g of the rate, above the stated %.3g", d, worst, bound)
		}
		exactDay := rate * 86400 // the mean factor is 1
		if got := p.Between(sim.Day, 2*sim.Day); math.Abs(got-exactDay)/exactDay > 1e-12 {
			t.Errorf("%v: a day's expected arrivals %v, want %v", d, got, exactDay)
		}
		// An hour, against the closed form of the integral of the cosine.
		w := 2 * math.Pi / 86400
		for _, from := range []sim.Time{0, 2 * sim.Hour, 14 * sim.Hour, 30*sim.Hour + 17*sim.Minute} {
			to := from + sim.Hour
			phase := func(t sim.Time) float64 { return w*t.Seconds() - 2*math.Pi*d.PeakHour/24 }
			exact := rate * (3600 + a/w*(math.Sin(phase(to))-math.Sin(phase(from))))
			got := p.Between(from, to)
			if rel := math.Abs(got-exact) / exact; rel > 1.6e-6*a/(1-a) {
				t.Errorf("%v: expected arrivals in [%v, %v) = %v, want %v (relative error %.3g)", d, from, to, got, exact, rel)
			}
		}
	}
}

// TestDiurnalOnRampsAndJumps pins the other terms of the bound: on a ramp
// the error grows by at most 0.066·a·|slope|, and a jump of the profile
// (a step, a spike) stays a jump, exact on both sides.
func TestDiurnalOnRampsAndJumps(t *testing.T) {
	d := Diurnal{PeakHour: 6, Ratio: 5} // a = 2/3
	a := 2.0 / 3
	h := sim.Hour
	// Steps: 100/s, then 500/s from 8:00.
	base, err := NewStepProfile(0, []Stage{{8 * h, 100}, {5 * h, 500}}, sim.Day)
	if err != nil {
		t.Fatal(err)
	}
	// A ramp 0 -> 1000/s over 10 minutes from 8:00, then a spike x4 at
	// 12:00 for 5 minutes.
	ramp := mustProfile(t, 0, []Stage{{8 * h, 0}, {10 * sim.Minute, 1000}}, sim.Day)
	slope := 1000.0 / 600
	spiked := mustSpikes(t, ramp, Spike{At: 12 * h, For: 5 * sim.Minute, Multiplier: 4})
	for name, c := range map[string]struct {
		base, p Profile
		bound   float64 // absolute, requests/s
	}{
		"steps":       {base, mustDiurnal(t, base, d), 2.4e-6 * a * 500},
		"ramp, spike": {spiked, mustDiurnal(t, spiked, d), 2.4e-6*a*4000 + 0.066*a*slope},
	} {
		worst := 0.0
		for at := sim.Time(0); at < sim.Day; at += 3*sim.Second + 100*sim.Millisecond {
			exact := c.base.RateAt(at) * d.Factor(at)
			worst = max(worst, math.Abs(c.p.RateAt(at)-exact))
		}
		if worst > c.bound {
			t.Errorf("%s: largest error %.3g/s, above the bound %.3g/s", name, worst, c.bound)
		}
	}
	// The jumps, exact on either side.
	for _, c := range []struct {
		name string
		base Profile
		at   sim.Time
	}{{"step", base, 8 * h}, {"spike start", spiked, 12 * h}, {"spike end", spiked, 12*h + 5*sim.Minute}} {
		p := mustDiurnal(t, c.base, d)
		before := c.base.rateBefore(c.at) * d.Factor(c.at)
		after := c.base.RateAt(c.at) * d.Factor(c.at)
		if before == after {
			t.Fatalf("%s: no jump at %v", c.name, c.at)
		}
		if got := p.RateAt(c.at); math.Abs(got-after) > 1e-9 {
			t.Errorf("%s: RateAt(%v) = %v, want %v", c.name, c.at, got, after)
		}
		if got := p.rateBefore(c.at); math.Abs(got-before) > 1e-9 {
			t.Errorf("%s: the rate just before %v = %v, want %v", c.name, c.at, got, before)
		}
	}
}

// TestWithDiurnalRejects pins the daily cycle's validation.
func TestWithDiurnalRejects(t *testing.T) {
	p := mustProfile(t, 10, nil, sim.Hour)
	for _, d := range []Diurnal{
		{PeakHour: -1, Ratio: 2}, {PeakHour: 24, Ratio: 2}, {PeakHour: math.NaN(), Ratio: 2},
		{PeakHour: 12, Ratio: 0.5}, {PeakHour: 12, Ratio: 0}, {PeakHour: 12, Ratio: math.NaN()}, {PeakHour: 12, Ratio: math.Inf(1)},
	} {
		if _, err := p.WithDiurnal(d); err == nil {
			t.Errorf("WithDiurnal(%+v) accepted it", d)
		}
	}
}

// shapedDay is a day at 5/s on average with a daily cycle peaking at 14:00
// three times its trough, and a half-hour spike x4 at 10:00: 432,000
// expected arrivals, plus the spike's.
func shapedDay(t testing.TB) Profile {
	p := mustProfile(t, 5, nil, sim.Day)
	p = mustSpikes(t, p, Spike{At: 10 * sim.Hour, For: 30 * sim.Minute, Multiplier: 4})
	return mustDiurnal(t, p, Diurnal{PeakHour: 14, Ratio: 3})
}

// TestShapedPoissonCounts pins Poisson arrivals under a daily cycle and a
// spike: the counts in the 96 quarter-hours of a day are consistent with
// the profile's expected counts. The statistic sum (n-e)²/e is
// chi-square with 96 degrees of freedom for a correct process (each e is
// over 2,000, so the normal approximation of each count is excellent);
// the test fails above its 0.999 quantile (Wilson-Hilferty), alpha =
// 0.001, so a correct process fails for one seed in a thousand, and this
// fixed seed passes. A process that ignored the cycle would be off by
// about 0.5·e in most windows, and one that ignored the spike by 3/4 of
// the count in two windows: either makes the statistic over 20,000.
func TestShapedPoissonCounts(t *testing.T) {
	p := shapedDay(t)
	times := collect(t, NewArrivals(p, true, rand.New(rand.NewPCG(2024, 1))))
	const windows = 96
	chi2 := 0.0
	for i := range windows {
		from, to := sim.Time(i)*15*sim.Minute, sim.Time(i+1)*15*sim.Minute
		lo, _ := slices.BinarySearch(times, from)
		hi, _ := slices.BinarySearch(times, to)
		e := p.Between(from, to)
		chi2 += (float64(hi-lo) - e) * (float64(hi-lo) - e) / e
	}
	if limit := chiSquareQuantile(windows, 3.090); chi2 > limit {
		t.Errorf("chi-square over %d quarter-hours = %.1f, above the 0.999 quantile %.1f", windows, chi2, limit)
	}
	if n, e := float64(len(times)), p.Expected(); math.Abs(n-e) > 4*math.Sqrt(e) {
		t.Errorf("%v arrivals in the day, want %.0f ± 4 sd", n, e)
	}
}

// chiSquareQuantile is the Wilson-Hilferty approximation of the quantile
// of a chi-square with k degrees of freedom at the standard normal
// quantile z (3.090 for 0.999); within 0.1% of the exact value for k >= 30.
func chiSquareQuantile(k, z float64) float64 {
	c := 2 / (9 * k)
	return k * math.Pow(1-c+z*math.Sqrt(c), 3)
}

// TestShapedConstantCounts pins constant arrivals under shapes: in every
// window the count is floor(Λ(to)) - floor(Λ(from)), give or take one for
// an arrival on the boundary, and the n-th arrival is where Λ(t) = n.
func TestShapedConstantCounts(t *testing.T) {
	profiles := map[string]Profile{
		"day":   shapedDay(t),
		"steps": mustSpikes(t, mustStep(t, []Stage{{sim.Hour, 2}, {sim.Hour, 0}, {sim.Hour, 7.3}}, 4*sim.Hour), Spike{At: 30 * sim.Minute, For: 2 * sim.Hour, Multiplier: 0.25}),
	}
	for name, p := range profiles {
		times := collect(t, NewArrivals(p, false, nil))
		if n, want := float64(len(times)), math.Floor(p.Expected()); math.Abs(n-want) > 1 {
			t.Errorf("%s: %v arrivals, want floor(%v) ± 1", name, n, p.Expected())
		}
		for i := range 96 {
			from, to := sim.Time(i)*p.End()/96, sim.Time(i+1)*p.End()/96
			lo, _ := slices.BinarySearch(times, from)
			hi, _ := slices.BinarySearch(times, to)
			want := math.Floor(p.Between(0, to)) - math.Floor(p.Between(0, from))
			if math.Abs(float64(hi-lo)-want) > 1 {
				t.Errorf("%s: %d arrivals in [%v, %v), want %v ± 1", name, hi-lo, from, to, want)
			}
		}
		// Every 97th arrival: Λ(t) = n up to rounding t to 1 ns.
		for i := 0; i < len(times); i += 97 {
			got := p.Between(0, times[i])
			if math.Abs(got-float64(i+1)) > 1e-6 {
				t.Errorf("%s: arrival %d at %v has Λ = %.9f", name, i+1, times[i], got)
				break
			}
		}
	}
}

// TestArrivalsNextAllocatesNothing pins the hot path: drawing an arrival
// of a shaped profile allocates nothing.
func TestArrivalsNextAllocatesNothing(t *testing.T) {
	a := NewArrivals(shapedDay(t), true, rand.New(rand.NewPCG(1, 1)))
	if n := testing.AllocsPerRun(10_000, func() { a.Next() }); n != 0 {
		t.Errorf("Next allocates %v times per arrival", n)
	}
}

// BenchmarkArrivalsShaped measures one arrival of a shaped profile (a
// knot a minute).
func BenchmarkArrivalsShaped(b *testing.B) {
	p := shapedDay(b)
	a := NewArrivals(p, true, rand.New(rand.NewPCG(1, 1)))
	b.ReportAllocs()
	for b.Loop() {
		if _, ok := a.Next(); !ok {
			a = NewArrivals(p, true, rand.New(rand.NewPCG(1, 1)))
		}
	}
}
