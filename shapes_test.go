package ddbsim

import (
	"math"
	"testing"
	"time"

	"github.com/ddbsim/ddbsim/model"
	"github.com/ddbsim/ddbsim/scenarios"
	"github.com/ddbsim/ddbsim/sim"
)

// TestArrivalProfile pins the order shapes compose in, through the
// profile Build gives a workload: the stages' rate (steps here), times
// the spike, times the daily cycle, exact at the knots.
func TestArrivalProfile(t *testing.T) {
	h := time.Hour
	w := scenarios.Workload{
		Rate: 0, Shape: "step",
		Stages:  []scenarios.Stage{{For: h, Rate: 10}, {For: h, Rate: 20}},
		Spikes:  []scenarios.Spike{{At: 30 * time.Minute, For: h, Multiplier: 3}},
		Diurnal: &scenarios.Diurnal{PeakHour: 0, Ratio: 3}, // a = 1/2
	}
	p, err := arrivalProfile(w, sim.FromDuration(3*h))
	if err != nil {
		t.Fatal(err)
	}
	f := func(t time.Duration) float64 { return 1 + 0.5*math.Cos(2*math.Pi*t.Hours()/24) }
	for _, c := range []struct {
		at   time.Duration
		want float64
	}{
		{0, 10 * f(0)},
		{29 * time.Minute, 10 * f(29*time.Minute)},
		{30 * time.Minute, 30 * f(30*time.Minute)},
		{h, 60 * f(h)},
		{90 * time.Minute, 20 * f(90*time.Minute)},
		{150 * time.Minute, 20 * f(150*time.Minute)},
	} {
		if got := p.RateAt(sim.FromDuration(c.at)); math.Abs(got-c.want) > 1e-9 {
			t.Errorf("RateAt(%v) = %v, want %v", c.at, got, c.want)
		}
	}
	// Without shapes, the profile is the ramps of NewProfile.
	p, _ = arrivalProfile(scenarios.Workload{Rate: 0, Stages: []scenarios.Stage{{For: h, Rate: 10}}}, sim.FromDuration(2*h))
	if got := p.RateAt(sim.FromDuration(h / 2)); got != 5 {
		t.Errorf("a ramp: RateAt(30m) = %v, want 5", got)
	}
	// A Scenario built in code may hold what the parser rejects: Build
	// says where.
	sc, err := scenarios.Parse("test.yaml", []byte(doc("", "", "")))
	if err != nil {
		t.Fatal(err)
	}
	sc.Workloads[0].Spikes = []scenarios.Spike{{At: time.Minute, For: time.Hour, Multiplier: 2}, {At: time.Hour, For: time.Minute, Multiplier: 2}}
	_, err = build(sc, 1, &tally{})
	if want := "test.yaml:7:5: workload w: workload: spike at 1h0m0s overlaps the spike at 1m0s, which lasts until 1h1m0s"; err == nil || err.Error() != want {
		t.Errorf("Build: %v, want %s", err, want)
	}
}

// offeredLoad counts the requests each table was offered, by the second
// they started in: an open loop's arrivals, whatever became of them.
type offeredLoad struct {
	tally
	perSecond [][]int64 // [table][second]
}

func (o *offeredLoad) Finish(out model.Outcome) {
	o.tally.Finish(out)
	o.perSecond[out.Table][out.Start/sim.Second]++
}

// TestTwoTablesDiurnalOfferedLoad is the acceptance test of arrival shapes:
// the built-in two-tables-diurnal scenario, two workloads on two tables,
// one with a daily cycle and one with a spike, runs, and the load offered
// each table minute by minute matches the shapes.
//
// The run keeps the scenario's tables, shapes and day but divides the
// workloads' rates by 10 (shapes multiply the rate, so they are
// unchanged), to stay well under a second. Expected counts come from the
// shapes' closed forms, not from workload.Profile: a minute's expected
// arrivals are r·(60 s + a/ω·(sin ωt1 − sin ωt0)) (phases from the peak
// hour) under the daily cycle, and r·60 s times the multiplier under the
// spike. A minute's count is Poisson with that mean e, standard deviation
// √e (e ≥ 90 here): every minute must be within 5 of them (a chance
// under 2e-6 per minute, under 0.5% for the 2,880 minutes, that a correct
// run does not),
// and over each table's 1,440 minutes the chi-square statistic
// Σ(n−e)²/e must stay under its 0.999 quantile. A spike's ten minutes, a
// fivefold jump, sit 20 standard deviations away from the unspiked rate;
// the daily cycle, ±50%, moves a minute by 5 to 9 of them at peak and
// trough. The seed is the scenario's, so the run is the same every time.
func TestTwoTablesDiurnalOfferedLoad(t *testing.T) {
	const scale = 10
	sc, err := scenarios.Builtin("two-tables-diurnal")
	if err != nil {
		t.Fatal(err)
	}
	if len(sc.Workloads) != 2 || len(sc.Tables) != 2 || sc.Duration != 24*time.Hour {
		t.Fatalf("the scenario changed: %d workloads, %d tables, %v", len(sc.Workloads), len(sc.Tables), sc.Duration)
	}
	tableOf := map[string]int{}
	for i, tb := range sc.Tables {
		tableOf[tb.Name] = i
	}
	minutes := int(sc.Duration / time.Minute)
	// expected[table][minute], from the closed forms.
	expected := make([][]float64, len(sc.Tables))
	var diurnal, spiked bool
	for i := range sc.Workloads {
		w := &sc.Workloads[i]
		w.Rate /= scale
		ti := tableOf[w.Table]
		if expected[ti] != nil || w.Users != 0 || len(w.Stages) != 0 || w.Arrival != "poisson" {
			t.Fatalf("the scenario changed: workload %+v", w)
		}
		expected[ti] = make([]float64, minutes)
		for m := range minutes {
			t0, t1 := time.Duration(m)*time.Minute, time.Duration(m+1)*time.Minute
			e := w.Rate * 60
			if d := w.Diurnal; d != nil {
				diurnal = true
				a := (d.Ratio - 1) / (d.Ratio + 1)
				omega := 2 * math.Pi / (24 * 3600)
				phase := func(t time.Duration) float64 { return omega*t.Seconds() - 2*math.Pi*d.PeakHour/24 }
				e = w.Rate * (60 + a/omega*(math.Sin(phase(t1))-math.Sin(phase(t0))))
			}
			for _, s := range w.Spikes {
				spiked = true
				if s.At%time.Minute != 0 || s.For%time.Minute != 0 {
					t.Fatalf("the test counts whole minutes; spike %+v", s)
				}
				if t0 >= s.At && t0 < s.At+s.For {
					e *= s.Multiplier
				}
			}
			if len(w.Spikes) > 0 && w.Diurnal != nil {
				t.Fatalf("the test expects one shape a workload: %+v", w)
			}
			expected[ti][m] = e
		}
	}
	if !diurnal || !spiked {
		t.Fatalf("the scenario has no daily cycle or no spike")
	}

	rec := &offeredLoad{perSecond: make([][]int64, len(sc.Tables))}
	for i := range rec.perSecond {
		rec.perSecond[i] = make([]int64, minutes*60)
	}
	s, err := build(sc, sc.Seed, rec)
	if err != nil {
		t.Fatal(err)
	}
	s.run()
	var arrived int64
	for _, src := range s.Sources {
		arrived += src.Arrived()
	}
	if rec.finished != arrived {
		t.Errorf("%d requests arrived, %d finished", arrived, rec.finished)
	}

	limit := chiSquareQuantile999(float64(minutes))
	for ti, perSecond := range rec.perSecond {
		chi2 := 0.0
		for m := range minutes {
			var n int64
			for _, c := range perSecond[m*60 : (m+1)*60] {
				n += c
			}
			e := expected[ti][m]
			if d := math.Abs(float64(n) - e); d > 5*math.Sqrt(e) {
				t.Errorf("%s, minute %v: %d requests offered, want %.1f ± 5 sd (%.1f)",
					sc.Tables[ti].Name, time.Duration(m)*time.Minute, n, e, 5*math.Sqrt(e))
			}
			chi2 += (float64(n) - e) * (float64(n) - e) / e
		}
		if chi2 > limit {
			t.Errorf("%s: chi-square over %d minutes = %.0f, above its 0.999 quantile %.0f", sc.Tables[ti].Name, minutes, chi2, limit)
		}
	}
}

// chiSquareQuantile999 is the 0.999 quantile of a chi-square with k
// degrees of freedom, by the Wilson-Hilferty approximation (within 0.1%
// for k >= 30).
func chiSquareQuantile999(k float64) float64 {
	c := 2 / (9 * k)
	return k * math.Pow(1-c+3.090*math.Sqrt(c), 3)
}
