package workload

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/ddbsim/ddbsim/sim"
)

func mustProfile(t testing.TB, rate float64, stages []Stage, end sim.Time) Profile {
	t.Helper()
	p, err := NewProfile(rate, stages, end)
	if err != nil {
		t.Fatalf("NewProfile(%v, %v, %v): %v", rate, stages, end, err)
	}
	return p
}

// collect drains an arrival process. The cap only guards the test against
// a process that never ends.
func collect(t testing.TB, a *Arrivals) []sim.Time {
	t.Helper()
	var out []sim.Time
	for {
		at, ok := a.Next()
		if !ok {
			return out
		}
		out = append(out, at)
		if len(out) > 10_000_000 {
			t.Fatalf("more than 10M arrivals: the process does not end")
		}
	}
}

// cumulative is Λ(t), the integral of the profile's rate over [0, t).
func cumulative(p Profile, t sim.Time) float64 {
	p.end = t
	return p.Expected()
}

// TestNewProfileRejects pins NewProfile's validation: the starting rate and
// every stage rate must be non-negative numbers, and every stage must last
// a positive time.
func TestNewProfileRejects(t *testing.T) {
	nan, inf := math.NaN(), math.Inf(1)
	bad := []struct {
		name   string
		rate   float64
		stages []Stage
	}{
		{"negative rate", -1, nil},
		{"NaN rate", nan, nil},
		{"+Inf rate", inf, nil},
		{"-Inf rate", -inf, nil},
		{"zero duration", 10, []Stage{{For: 0, Rate: 5}}},
		{"negative duration", 10, []Stage{{For: -sim.Second, Rate: 5}}},
		{"negative stage rate", 10, []Stage{{For: sim.Second, Rate: -5}}},
		{"NaN stage rate", 10, []Stage{{For: sim.Second, Rate: nan}}},
		{"+Inf stage rate", 10, []Stage{{For: sim.Second, Rate: inf}}},
		{"bad later stage", 10, []Stage{{For: sim.Second, Rate: 5}, {For: 0, Rate: 5}}},
	}
	for _, c := range bad {
		if _, err := NewProfile(c.rate, c.stages, sim.Minute); err == nil {
			t.Errorf("%s: NewProfile(%v, %v) accepted it", c.name, c.rate, c.stages)
		}
	}
	good := []struct {
		name   string
		rate   float64
		stages []Stage
	}{
		{"no stages", 10, nil},
		{"zero rate", 0, nil},
		{"one nanosecond stage", 0, []Stage{{For: sim.Nanosecond, Rate: 100}}},
		{"ramp to zero", 100, []Stage{{For: sim.Second, Rate: 0}}},
	}
	for _, c := range good {
		if _, err := NewProfile(c.rate, c.stages, sim.Minute); err != nil {
			t.Errorf("%s: NewProfile(%v, %v): %v", c.name, c.rate, c.stages, err)
		}
	}
}

// TestRateAt pins the piecewise-linear shape: the rate equals the knot's
// rate at each knot, the mean of its neighbours halfway between, and holds
// the last rate after the last knot.
func TestRateAt(t *testing.T) {
	// 0/s, up to 100/s over 10 s, down to 50/s over 10 s, then hold.
	p := mustProfile(t, 0, []Stage{{10 * sim.Second, 100}, {10 * sim.Second, 50}}, sim.Minute)
	cases := []struct {
		at   sim.Time
		want float64
	}{
		{0, 0},
		{2500 * sim.Millisecond, 25},
		{5 * sim.Second, 50},
		{10 * sim.Second, 100},
		{15 * sim.Second, 75},
		{20 * sim.Second, 50},
		{30 * sim.Second, 50},
		{sim.Hour, 50}, // after the end too
	}
	for _, c := range cases {
		if got := p.RateAt(c.at); math.Abs(got-c.want) > 1e-9 {
			t.Errorf("RateAt(%v) = %v, want %v", c.at, got, c.want)
		}
	}
}

// TestExpected pins Expected() as the integral of the rate over [0, end),
// against hand-computed areas of trapezoids and rectangles.
func TestExpected(t *testing.T) {
	s := sim.Second
	cases := []struct {
		name   string
		rate   float64
		stages []Stage
		end    sim.Time
		want   float64
	}{
		{"constant", 10, nil, 60 * s, 600},
		{"zero", 0, nil, sim.Hour, 0},
		{"empty run", 10, nil, 0, 0},
		// Triangle 10 s x 100/s / 2.
		{"ramp up from 0", 0, []Stage{{10 * s, 100}}, 10 * s, 500},
		{"ramp down to 0", 100, []Stage{{10 * s, 0}}, 10 * s, 500},
		// Triangle, then hold 100/s for 20 s.
		{"ramp then hold", 0, []Stage{{10 * s, 100}}, 30 * s, 500 + 2000},
		// Trapezoid 50 -> 150 over 10 s, then hold 150 for 5 s.
		{"ramp between rates", 50, []Stage{{10 * s, 150}}, 15 * s, 1000 + 750},
		// The ramp 0 -> 200 over 20 s is cut at 10 s, where the rate is 100.
		{"stage beyond end", 0, []Stage{{20 * s, 200}}, 10 * s, 500},
		// Later stages entirely beyond the end do not count.
		{"stages beyond end", 10, []Stage{{5 * s, 10}, {10 * s, 1000}, {10 * s, 5}}, 5 * s, 50},
		// End inside the second stage: 10/s for 5 s, then 10 -> 20 over
		// the first 5 s of a 10 s ramp to 30 (rate 20 at the cut).
		{"end inside second stage", 10, []Stage{{5 * s, 10}, {10 * s, 30}}, 10 * s, 50 + 75},
		// 100 -> 0 over 10 s, paused 10 s, 0 -> 100 over 10 s, hold 10 s.
		{"paused segment", 100, []Stage{{10 * s, 0}, {10 * s, 0}, {10 * s, 100}}, 40 * s, 500 + 0 + 500 + 1000},
		// A step down and up made of 1 ns stages: 100/s for 10 s, 0/s for
		// 10 s, 100/s for 10 s; each 1 ns ramp adds 5e-8.
		{"step pause", 100, []Stage{{10 * s, 100}, {sim.Nanosecond, 0}, {10 * s, 0}, {sim.Nanosecond, 100}}, 30*s + 2*sim.Nanosecond, 2000 + 1e-7},
	}
	for _, c := range cases {
		p := mustProfile(t, c.rate, c.stages, c.end)
		if got := p.Expected(); math.Abs(got-c.want) > 1e-9*max(1, c.want) {
			t.Errorf("%s: Expected() = %v, want %v", c.name, got, c.want)
		}
	}
}

// profiles used by several arrival tests, with their end.
func testProfiles(t testing.TB) map[string]Profile {
	s := sim.Second
	return map[string]Profile{
		"constant":        mustProfile(t, 50, nil, 60*s),
		"ramp from 0":     mustProfile(t, 0, []Stage{{20 * s, 100}}, 20*s),
		"ramp to 0":       mustProfile(t, 100, []Stage{{20 * s, 0}}, 30*s),
		"slow fractional": mustProfile(t, 0.3, []Stage{{7 * s, 2.9}}, 50*s),
		"stage past end":  mustProfile(t, 5, []Stage{{30 * s, 500}, {10 * s, 1}}, 20*s),
		"up hold down":    mustProfile(t, 0, []Stage{{10 * s, 80}, {10 * s, 80}, {10 * s, 0}, {5 * s, 0}, {sim.Nanosecond, 40}}, 45*s),
		"fast":            mustProfile(t, 20000, nil, 2*s),
		"exact 1/s":       mustProfile(t, 1, nil, 10*s),
		"exact 8/s":       mustProfile(t, 8, nil, 3*s),
	}
}

// TestConstantArrivalsCount pins the constant process: one arrival per unit
// of cumulative intensity, so floor(Expected()) arrivals, give or take one
// for the arrival that may fall on the end exactly.
func TestConstantArrivalsCount(t *testing.T) {
	for name, p := range testProfiles(t) {
		n := len(collect(t, NewArrivals(p, false, nil)))
		want := math.Floor(p.Expected())
		if math.Abs(float64(n)-want) > 1 {
			t.Errorf("%s: %d arrivals, want floor(%v) = %v ± 1", name, n, p.Expected(), want)
		}
	}
}

// TestConstantArrivalsInvertIntegral pins "both invert the piecewise-quadratic
// integral exactly": the n-th constant arrival is where Λ(t) = n, up to the
// rounding of t to a nanosecond.
func TestConstantArrivalsInvertIntegral(t *testing.T) {
	for name, p := range testProfiles(t) {
		for i, at := range collect(t, NewArrivals(p, false, nil)) {
			want := float64(i + 1)
			got := cumulative(p, at)
			// Rounding t to 1 ns moves Λ by at most rate x 0.5 ns.
			if tol := 1e-6 + p.RateAt(at)*1e-9; math.Abs(got-want) > tol {
				t.Errorf("%s: arrival %d at %v has Λ = %.9f, want %v", name, i+1, at, got, want)
				break
			}
		}
	}
	// The closed form of a ramp from 0: Λ(t) = slope t²/2, so arrival n is
	// at sqrt(2n/slope); here slope = 5/s².
	p := mustProfile(t, 0, []Stage{{20 * sim.Second, 100}}, 20*sim.Second)
	for i, at := range collect(t, NewArrivals(p, false, nil))[:50] {
		want := sim.FromSeconds(math.Sqrt(2 * float64(i+1) / 5))
		if d := at - want; d < -1 || d > 1 {
			t.Errorf("ramp from 0: arrival %d at %v, want %v", i+1, at, want)
		}
	}
}

// TestConstantArrivalsExact pins constant arrivals where the times are
// exact in floating point: the n-th arrival is at Λ(t) = n, and one that
// falls on the end itself is not an arrival ("none falls before the
// profile's end").
func TestConstantArrivalsExact(t *testing.T) {
	ms := sim.Millisecond
	cases := []struct {
		name string
		p    Profile
		want []sim.Time
	}{
		{"1/s until 4 s", mustProfile(t, 1, nil, 4*sim.Second), []sim.Time{1000 * ms, 2000 * ms, 3000 * ms}},
		{"4/s until 1 s", mustProfile(t, 4, nil, sim.Second), []sim.Time{250 * ms, 500 * ms, 750 * ms}},
		// Λ(t) = t² on the ramp 0 -> 4/s over 2 s, then 4/s.
		{"ramp", mustProfile(t, 0, []Stage{{2 * sim.Second, 4}}, 2500*ms), []sim.Time{1000 * ms, 1414213562, 1732050808, 2000 * ms, 2250 * ms}},
	}
	for _, c := range cases {
		if got := collect(t, NewArrivals(c.p, false, nil)); !slices.Equal(got, c.want) {
			t.Errorf("%s: arrivals %v, want %v", c.name, got, c.want)
		}
	}
}

// TestPoissonGapsExponential pins that the Poisson process draws
// exponential gaps: mapped through the cumulative intensity Λ, the gaps
// between arrivals of an inhomogeneous Poisson process are independent
// Exp(1) draws (the time-rescaling theorem), however the rate moves. The
// test compares the share of gaps above x with e^-x at five points. With
// about 23,000 gaps a share has a standard deviation of at most 0.0033;
// the bound, 0.015, is over 4.5 of them. A process with the right mean
// but the wrong law (uniform gaps, for instance) fails by 0.1 or more.
func TestPoissonGapsExponential(t *testing.T) {
	p, _, _ := longProfile(t)
	times := collect(t, NewArrivals(p, true, rand.New(rand.NewPCG(21, 21))))
	gaps := make([]float64, 0, len(times))
	prev := 0.0
	for _, at := range times {
		l := cumulative(p, at)
		gaps = append(gaps, l-prev)
		prev = l
	}
	for _, x := range []float64{0.1, 0.5, 1, 2, 3} {
		above := 0
		for _, g := range gaps {
			if g > x {
				above++
			}
		}
		share, want := float64(above)/float64(len(gaps)), math.Exp(-x)
		if math.Abs(share-want) > 0.015 {
			t.Errorf("share of rescaled gaps above %v: %.4f, want e^-%v = %.4f", x, share, x, want)
		}
	}
}

// longProfile exercises every kind of segment: a ramp from 0, a hold, a
// ramp down to 0, a pause and a step back up. Its segments, with their
// hand-computed expected counts, let TestPoissonArrivalsCount check the
// shape as well as the total.
func longProfile(t testing.TB) (Profile, []sim.Time, []float64) {
	s := sim.Second
	p := mustProfile(t, 0, []Stage{
		{60 * s, 100},        // ramp up: 3000
		{120 * s, 100},       // hold: 12000
		{60 * s, 0},          // ramp down: 3000
		{60 * s, 0},          // pause: 0
		{sim.Nanosecond, 50}, // step up: 2.5e-8, then hold 50/s to 400 s: ~5000
	}, 400*s)
	bounds := []sim.Time{0, 60 * s, 180 * s, 240 * s, 300 * s, 400 * s}
	want := []float64{3000, 12000, 3000, 0, 5000}
	return p, bounds, want
}

// TestPoissonArrivalsCount pins the Poisson process's intensity: over a
// long profile the count of a Poisson process has mean Expected() and
// standard deviation sqrt(Expected()), so every seed's count lies within 4
// standard deviations (a 6e-5 chance per count for a correct process), in
// total and in each segment.
func TestPoissonArrivalsCount(t *testing.T) {
	p, bounds, segWant := longProfile(t)
	if got, want := p.Expected(), 23000.0; math.Abs(got-want) > 1e-6 {
		t.Fatalf("Expected() = %v, want %v", got, want)
	}
	for seed := uint64(1); seed <= 5; seed++ {
		times := collect(t, NewArrivals(p, true, rand.New(rand.NewPCG(seed, 7))))
		mean := p.Expected()
		if d := math.Abs(float64(len(times)) - mean); d > 4*math.Sqrt(mean) {
			t.Errorf("seed %d: %d arrivals, want %v ± %.0f", seed, len(times), mean, 4*math.Sqrt(mean))
		}
		for i := range segWant {
			lo, _ := slices.BinarySearch(times, bounds[i])
			hi, _ := slices.BinarySearch(times, bounds[i+1])
			n := float64(hi - lo)
			if d := math.Abs(n - segWant[i]); d > 4*math.Sqrt(segWant[i]) {
				t.Errorf("seed %d: %d arrivals in [%v, %v), want %v ± 4 sd", seed, hi-lo, bounds[i], bounds[i+1], segWant[i])
			}
		}
	}
}

// TestArrivalsOrderedAndBeforeEnd pins Next's contract: times never go
// backwards and all fall in [0, end).
func TestArrivalsOrderedAndBeforeEnd(t *testing.T) {
	profiles := testProfiles(t)
	profiles["long"], _, _ = longProfile(t)
	for name, p := range profiles {
		for _, poisson := range []bool{false, true} {
			times := collect(t, NewArrivals(p, poisson, rand.New(rand.NewPCG(3, 3))))
			prev := sim.Time(0)
			for i, at := range times {
				if at < prev {
					t.Errorf("%s poisson=%v: arrival %d at %v before arrival %d at %v", name, poisson, i, at, i-1, prev)
					break
				}
				if at >= p.end {
					t.Errorf("%s poisson=%v: arrival %d at %v, at or after the end %v", name, poisson, i, at, p.end)
					break
				}
				prev = at
			}
			// Once exhausted, the process stays exhausted.
			a := NewArrivals(p, poisson, rand.New(rand.NewPCG(3, 3)))
			collect(t, a)
			if at, ok := a.Next(); ok {
				t.Errorf("%s poisson=%v: Next after the end returned %v", name, poisson, at)
			}
		}
	}
}

// TestArrivalsZeroRate pins that a rate of 0 for the whole run, however the
// stages spell it, yields no arrival.
func TestArrivalsZeroRate(t *testing.T) {
	profiles := map[string]Profile{
		"no stages":   mustProfile(t, 0, nil, sim.Hour),
		"zero stages": mustProfile(t, 0, []Stage{{sim.Minute, 0}, {sim.Nanosecond, 0}}, sim.Hour),
	}
	for name, p := range profiles {
		for _, poisson := range []bool{false, true} {
			if n := len(collect(t, NewArrivals(p, poisson, rand.New(rand.NewPCG(1, 1))))); n != 0 {
				t.Errorf("%s poisson=%v: %d arrivals, want 0", name, poisson, n)
			}
		}
	}
}

// TestArrivalsPause pins "a paused rate (0/s) just skips ahead": no arrival
// falls strictly inside a stretch where the rate is 0, and the process
// resumes afterwards at the expected pace.
func TestArrivalsPause(t *testing.T) {
	s := sim.Second
	cases := []struct {
		name           string
		p              Profile
		pauseLo, pause sim.Time // the rate is 0 on [pauseLo, pauseLo+pause]
		after          float64  // expected arrivals after the pause
	}{
		{
			// 100/s for 10 s, a 1 ns step to 0, 0 for 10 s, a 1 ns step to
			// 100, 100/s until 30 s.
			name:    "step",
			p:       mustProfile(t, 100, []Stage{{10 * s, 100}, {sim.Nanosecond, 0}, {10 * s, 0}, {sim.Nanosecond, 100}}, 30*s+2*sim.Nanosecond),
			pauseLo: 10*s + sim.Nanosecond, pause: 10 * s,
			after: 1000,
		},
		{
			// 100 -> 0 over 5 s, 0 for 10 s, 0 -> 100 over 5 s, hold to 30 s.
			name:    "ramp",
			p:       mustProfile(t, 100, []Stage{{5 * s, 0}, {10 * s, 0}, {5 * s, 100}}, 30*s),
			pauseLo: 5 * s, pause: 10 * s,
			after: 250 + 1000,
		},
	}
	for _, c := range cases {
		for _, poisson := range []bool{false, true} {
			times := collect(t, NewArrivals(c.p, poisson, rand.New(rand.NewPCG(11, 2))))
			var after int
			for _, at := range times {
				if at > c.pauseLo && at < c.pauseLo+c.pause {
					t.Errorf("%s poisson=%v: arrival at %v inside the pause (%v, %v)", c.name, poisson, at, c.pauseLo, c.pauseLo+c.pause)
				}
				if at >= c.pauseLo+c.pause {
					after++
				}
			}
			// Constant: exact to one; Poisson: 4 standard deviations.
			tol := 1.0
			if poisson {
				tol = 4 * math.Sqrt(c.after)
			}
			if math.Abs(float64(after)-c.after) > tol {
				t.Errorf("%s poisson=%v: %d arrivals after the pause, want %v ± %.0f", c.name, poisson, after, c.after, tol)
			}
		}
	}
}

// TestArrivalsDeterministic pins that the arrival times are a function of
// the profile and the random source only: the same seed gives the same
// sequence, another seed a different one.
func TestArrivalsDeterministic(t *testing.T) {
	p, _, _ := longProfile(t)
	run := func(seed uint64) []sim.Time {
		return collect(t, NewArrivals(p, true, rand.New(rand.NewPCG(seed, 0))))
	}
	a, b, c := run(42), run(42), run(43)
	if !slices.Equal(a, b) {
		t.Errorf("seed 42 gave two different sequences")
	}
	if slices.Equal(a, c) {
		t.Errorf("seeds 42 and 43 gave the same sequence")
	}
}

// TestStepProfile pins step stages: each stage's rate applies from the
// stage's start (a jump) and holds for its duration; the last holds to the
// end. At a jump the rate is the new one (the rate is continuous from the
// right). The rate given with stages has no effect; without stages it is
// the constant rate.
func TestStepProfile(t *testing.T) {
	s := sim.Second
	// 100/s for 10 s, 0/s for 10 s, 40/s for 5 s, then 40/s to 30 s.
	p, err := NewStepProfile(7, []Stage{{10 * s, 100}, {10 * s, 0}, {5 * s, 40}}, 30*s)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		at   sim.Time
		want float64
	}{
		{0, 100}, // the first stage from 0, not rate 7
		{5 * s, 100},
		{10*s - 1, 100},
		{10 * s, 0}, // the jump
		{15 * s, 0},
		{20*s - 1, 0},
		{20 * s, 40},
		{25 * s, 40},
		{29 * s, 40},
		{sim.Hour, 40},
	} {
		if got := p.RateAt(c.at); got != c.want {
			t.Errorf("RateAt(%v) = %v, want %v", c.at, got, c.want)
		}
	}
	if got, want := p.Expected(), 1000.0+0+400; math.Abs(got-want) > 1e-9 {
		t.Errorf("Expected() = %v, want %v", got, want)
	}
	for _, c := range []struct {
		from, to sim.Time
		want     float64
	}{
		{5 * s, 15 * s, 500},
		{10 * s, 20 * s, 0},
		{9 * s, 21 * s, 100 + 40},
		{25 * s, sim.Hour, 200}, // cut at the end
		{-s, s, 100},            // nothing before 0
		{15 * s, 5 * s, 0},      // an empty window
	} {
		if got := p.Between(c.from, c.to); math.Abs(got-c.want) > 1e-9 {
			t.Errorf("Between(%v, %v) = %v, want %v", c.from, c.to, got, c.want)
		}
	}
	if p, err := NewStepProfile(7, nil, sim.Minute); err != nil || p.RateAt(30*s) != 7 || p.Expected() != 420 {
		t.Errorf("no stages: RateAt %v, Expected %v, %v; want the constant rate 7", p.RateAt(30*s), p.Expected(), err)
	}
	if _, err := NewStepProfile(1, []Stage{{0, 5}}, sim.Minute); err == nil {
		t.Errorf("NewStepProfile accepted a stage of no duration")
	}
}

// TestStepArrivals pins that arrivals cross jumps: constant arrivals are
// exactly where Λ(t) = n on either side of a jump, none fall while the
// rate is 0, and Poisson counts per step are within 4 standard deviations.
func TestStepArrivals(t *testing.T) {
	s := sim.Second
	p, err := NewStepProfile(0, []Stage{{10 * s, 2}, {10 * s, 0}, {10 * s, 0.5}, {sim.Nanosecond, 9}, {10 * s, 4}}, 40*s+sim.Nanosecond)
	if err != nil {
		t.Fatal(err)
	}
	got := collect(t, NewArrivals(p, false, nil))
	var want []sim.Time
	for i := 1; i < 20; i++ { // 2/s: 0.5 s, 1 s, ..., 9.5 s
		want = append(want, sim.Time(i)*500*sim.Millisecond)
	}
	// Λ(10 s) = 20, so the 20th arrival is at 10 s, where the rate
	// jumps to 0; the 21st and 22nd come at 0.5/s from 20 s: 22 s, 24 s...
	want = append(want, 10*s)
	for i := 1; i <= 5; i++ {
		want = append(want, 20*s+sim.Time(i)*2*s)
	}
	// Λ(30 s) = 25; 9/s for 1 ns adds 9e-9; then 4/s from 30 s + 1 ns
	// until 40 s + 1 ns: arrival 25+i where 9e-9 + 4/s x (t - 30 s - 1 ns)
	// = i, the last at 40 s - 1.25 ns.
	for i := 1; i <= 40; i++ {
		want = append(want, 30*s+sim.Nanosecond+sim.FromSeconds(float64(i)/4-9e-9/4))
	}
	if len(got) != len(want) {
		t.Fatalf("%d arrivals, want %d: %v", len(got), len(want), got)
	}
	for i := range got {
		if d := got[i] - want[i]; d < -1 || d > 1 {
			t.Errorf("arrival %d at %v, want %v", i+1, got[i], want[i])
		}
	}

	steps := []struct {
		from, to sim.Time
		want     float64
	}{{0, 10 * s, 2000}, {10 * s, 20 * s, 0}, {20 * s, 30 * s, 500}, {30 * s, 40 * s, 4000}}
	big, _ := NewStepProfile(0, []Stage{{10 * s, 200}, {10 * s, 0}, {10 * s, 50}, {10 * s, 400}}, 40*s)
	times := collect(t, NewArrivals(big, true, rand.New(rand.NewPCG(5, 5))))
	for _, st := range steps {
		lo, _ := slices.BinarySearch(times, st.from)
		hi, _ := slices.BinarySearch(times, st.to)
		if n := float64(hi - lo); math.Abs(n-st.want) > 4*math.Sqrt(st.want) || st.want == 0 && n != 0 {
			t.Errorf("%d Poisson arrivals in [%v, %v), want %v ± 4 sd", hi-lo, st.from, st.to, st.want)
		}
	}
}

// referenceNext is Arrivals.Next as it was before it kept the current
// segment between calls: every segment bound, rate and slope recomputed
// from the knots, and the root always by the square-root form.
func referenceNext(a *Arrivals) (sim.Time, bool) {
	need := 1.0
	if a.poisson {
		need = a.rng.ExpFloat64()
	}
	k := a.profile.knots
	end := a.profile.end.Seconds()
	for a.t < end {
		for a.seg+1 < len(k) && k[a.seg+1].At == k[a.seg].At {
			a.seg++
		}
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

// TestArrivalsMatchReference checks Next against referenceNext, time for
// time, over random profiles of ramps, steps, pauses and constant rates
// from a millirequest to a billion a second, Poisson and evenly spaced.
func TestArrivalsMatchReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	rate := func() float64 {
		if rng.IntN(8) == 0 {
			return 0
		}
		return math.Pow(10, -3+12*rng.Float64())
	}
	for i := range 300 {
		var stages []Stage
		for range rng.IntN(5) {
			stages = append(stages, Stage{For: sim.Time(1 + rng.Int64N(int64(5*sim.Second))), Rate: rate()})
		}
		r0 := rate()
		end := sim.Time(1 + rng.Int64N(int64(20*sim.Second)))
		p, err := NewProfile(r0, stages, end)
		if i%2 == 1 {
			p, err = NewStepProfile(r0, stages, end)
		}
		if err != nil {
			t.Fatal(err)
		}
		poisson := i%3 != 0
		seed := uint64(i)
		got := NewArrivals(p, poisson, rand.New(rand.NewPCG(seed, 1)))
		want := NewArrivals(p, poisson, rand.New(rand.NewPCG(seed, 1)))
		for n := 0; n < 20000; n++ {
			at, ok := got.Next()
			wantAt, wantOK := referenceNext(want)
			if at != wantAt || ok != wantOK {
				t.Fatalf("profile %d (%v, %v), arrival %d: %v %v, want %v %v", i, r0, stages, n, at, ok, wantAt, wantOK)
			}
			if !ok {
				break
			}
		}
	}
}

// TestConstantRateRoot pins the identity the constant-rate path of Next
// rests on: with slope 0 the square-root form of the root is need/rate,
// bit for bit.
func TestConstantRateRoot(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for range 1_000_000 {
		rate := math.Pow(2, -499+998*rng.Float64())
		need := rng.ExpFloat64() * math.Pow(2, float64(rng.IntN(40)-20))
		if got, want := need/rate, 2*need/(rate+math.Sqrt(max(0, rate*rate+2*0*need))); got != want {
			t.Fatalf("need %v, rate %v: %v, want %v", need, rate, got, want)
		}
	}
}

// BenchmarkArrivals draws arrivals of the default scenario's profile
// (300/s, a ramp to 900/s and back over 40 minutes), Poisson, with Next
// (impl=next) and with the reference it is checked against
// (impl=reference), in one process so the two compare on a busy machine.
func BenchmarkArrivals(b *testing.B) {
	p, err := NewProfile(300, []Stage{
		{For: 10 * sim.Minute, Rate: 300}, {For: sim.Minute, Rate: 900},
		{For: 14 * sim.Minute, Rate: 900}, {For: sim.Minute, Rate: 300},
	}, 40*sim.Minute)
	if err != nil {
		b.Fatal(err)
	}
	for _, impl := range []string{"next", "reference"} {
		next := (*Arrivals).Next
		if impl == "reference" {
			next = referenceNext
		}
		b.Run("impl="+impl, func(b *testing.B) {
			a := NewArrivals(p, true, rand.New(rand.NewPCG(1, 1)))
			b.ReportAllocs()
			for b.Loop() {
				if _, ok := next(a); !ok {
					a = NewArrivals(p, true, rand.New(rand.NewPCG(1, 1)))
				}
			}
		})
	}
}
