package scenarios

// Tests of arrival shapes: shape (ramp | step), spikes and diurnal, from
// the file to the offered load of a run.

import (
	"math"
	"reflect"
	"testing"
	"time"

	"github.com/ddbsim/ddbsim/model"
	"github.com/ddbsim/ddbsim/sim"
)

func TestParseShapes(t *testing.T) {
	for _, tc := range []struct {
		name  string
		src   string
		check func(*Workload) bool
	}{
		{"shape step without rate", doc("", "{name: w, table: t, shape: step, stages: [{for: 1m, rate: 5/s}, {for: 1m, rate: 9/s}]}", ""),
			func(w *Workload) bool { return w.Shape == "step" && w.Rate == 0 && len(w.Stages) == 2 }},
		{"shape ramp with rate", doc("", "{name: w, table: t, rate: 2/s, shape: ramp, stages: [{for: 1m, rate: 5/s}]}", ""),
			func(w *Workload) bool { return w.Shape == "ramp" && w.Rate == 2 }},
		{"no shape: empty, a ramp", doc("", "{name: w, table: t, stages: [{for: 1m, rate: 5/s}]}", ""),
			func(w *Workload) bool { return w.Shape == "" && w.Spikes == nil && w.Diurnal == nil }},
		{"spikes in file order, back to back, a dip", doc("", "{name: w, table: t, rate: 10/s, spikes: [{at: 10m, for: 2m, multiplier: 5}, {at: 0s, for: 10m, multiplier: 0.5}]}", ""),
			func(w *Workload) bool {
				return reflect.DeepEqual(w.Spikes, []Spike{
					{Pos: Pos{7, 46}, At: 10 * time.Minute, For: 2 * time.Minute, Multiplier: 5},
					{Pos: Pos{7, 81}, At: 0, For: 10 * time.Minute, Multiplier: 0.5},
				})
			}},
		{"spikes with stages and constant arrivals", doc("", "{name: w, table: t, arrival: constant, stages: [{for: 1h, rate: 5/s}], spikes: [{at: 1d, for: 1h, multiplier: 1.5}]}", ""),
			func(w *Workload) bool { return w.Arrival == "constant" && w.Spikes[0].At == 24*time.Hour }},
		{"diurnal", doc("", "{name: w, table: t, rate: 10/s, diurnal: {peak_hour: 23.5, ratio: 2.5}}", ""),
			func(w *Workload) bool { return *w.Diurnal == Diurnal{PeakHour: 23.5, Ratio: 2.5} }},
		{"diurnal at midnight, flat", doc("", "{name: w, table: t, rate: 10/s, diurnal: {peak_hour: 0, ratio: 1}}", ""),
			func(w *Workload) bool { return *w.Diurnal == Diurnal{PeakHour: 0, Ratio: 1} }},
	} {
		s, err := Parse("test.yaml", []byte(tc.src))
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		if !tc.check(&s.Workloads[0]) {
			t.Errorf("%s: check failed on %+v", tc.name, s.Workloads[0])
		}
	}
}

func TestParseShapeErrors(t *testing.T) {
	const wl = "{name: w, table: t, rate: 5/s, "
	for _, tc := range []struct {
		name, src string
		at        string // line:col
		msg       string
	}{
		{"unknown shape", doc("", "{name: w, table: t, shape: steps, stages: [{for: 1m, rate: 5/s}]}", ""), "7:32",
			`shape: unknown value "steps"; did you mean "step"?`},
		{"shape without stages", doc("", wl+"shape: step}", ""), "7:36",
			`shape applies only to stages: it says how the rate moves from one stage to the next`},
		{"rate with step stages", doc("", wl+"shape: step, stages: [{for: 1m, rate: 5/s}]}", ""), "7:25",
			`rate has no effect with shape: step, where the first stage's rate applies from the start; remove it`},
		{"spikes overlap", doc("", wl+"spikes: [{at: 10m, for: 5m, multiplier: 2}, {at: 14m, for: 1m, multiplier: 3}]}", ""), "7:85",
			`spikes may not overlap: this one starts at 14m, before the one at 10m (line 7) ends at 15m`},
		{"spikes overlap, out of order", doc("", wl+"spikes: [{at: 14m, for: 1m, multiplier: 3}, {at: 10m, for: 5m, multiplier: 2}]}", ""), "7:50",
			`spikes may not overlap: this one starts at 14m, before the one at 10m (line 7) ends at 15m`},
		{"spike before 0", doc("", wl+"spikes: [{at: -1m, for: 5m, multiplier: 2}]}", ""), "7:50",
			`spikes.at must not be negative, got -1m`},
		{"spike of no duration", doc("", wl+"spikes: [{at: 1m, for: 0s, multiplier: 2}]}", ""), "7:59",
			`spikes.for must be positive, got 0s`},
		{"multiplier 0", doc("", wl+"spikes: [{at: 1m, for: 1m, multiplier: 0}]}", ""), "7:75",
			`spikes.multiplier must be greater than 0, got 0`},
		{"multiplier with x", doc("", wl+"spikes: [{at: 1m, for: 1m, multiplier: 5x}]}", ""), "7:75",
			`spikes.multiplier: expected a number such as 1.2, got "5x"`},
		{"spike without multiplier", doc("", wl+"spikes: [{at: 1m, for: 1m}]}", ""), "7:45",
			`spike is missing multiplier (what the rate is multiplied by, such as multiplier: 5)`},
		{"spike key typo", doc("", wl+"spikes: [{at: 1m, for: 1m, multiplyer: 2}]}", ""), "7:63",
			`unknown key "multiplyer" in spike; did you mean "multiplier"?`},
		{"spikes not a list", doc("", wl+"spikes: {at: 1m}}", ""), "7:44",
			`spikes: expected a list, got a mapping`},
		{"peak hour 24", doc("", wl+"diurnal: {peak_hour: 24, ratio: 2}}", ""), "7:57",
			`diurnal.peak_hour must be at least 0 and less than 24, got 24`},
		{"peak hour negative", doc("", wl+"diurnal: {peak_hour: -1, ratio: 2}}", ""), "7:57",
			`diurnal.peak_hour must be at least 0 and less than 24, got -1`},
		{"peak hour 2pm", doc("", wl+"diurnal: {peak_hour: 2pm, ratio: 2}}", ""), "7:57",
			`diurnal.peak_hour: expected an hour of the day such as 14 or 9.5, got "2pm"`},
		{"ratio below 1", doc("", wl+"diurnal: {peak_hour: 3, ratio: 0.5}}", ""), "7:67",
			`diurnal.ratio must be at least 1 (peak over trough traffic), got 0.5`},
		{"ratio 0", doc("", wl+"diurnal: {peak_hour: 3, ratio: 0}}", ""), "7:67",
			`diurnal.ratio must be at least 1 (peak over trough traffic), got 0`},
		{"diurnal without ratio", doc("", wl+"diurnal: {peak_hour: 3}}", ""), "7:45",
			`diurnal is missing ratio (peak over trough traffic, such as ratio: 3)`},
		{"diurnal not a mapping", doc("", wl+"diurnal: yes}", ""), "7:45",
			`diurnal: expected a mapping, got "yes"`},
		{"closed loop with spikes", doc("", "{name: w, table: t, users: 5, spikes: [{at: 1m, for: 1m, multiplier: 2}]}", ""), "7:35",
			`spikes and users cannot be combined: a workload is either an open loop (rate, stages, arrival) or a closed loop (users, think)`},
		{"closed loop with diurnal", doc("", "{name: w, table: t, users: 5, diurnal: {peak_hour: 3, ratio: 2}}", ""), "7:35",
			`diurnal and users cannot be combined: a workload is either an open loop (rate, stages, arrival) or a closed loop (users, think)`},
		{"closed loop with shape", doc("", "{name: w, table: t, users: 5, shape: step}", ""), "7:35",
			`shape and users cannot be combined: a workload is either an open loop (rate, stages, arrival) or a closed loop (users, think)`},
		{"ycsb with diurnal", doc("", "{name: w, table: t, ycsb: workloada, diurnal: {peak_hour: 3, ratio: 2}}", ""), "7:42",
			`diurnal cannot be combined with ycsb: the YCSB file decides it`},
		{"trace with spikes", doc("", "{name: w, table: t, trace: t.csv, spikes: []}", ""), "7:39",
			`spikes cannot be combined with trace: the trace gives each request's time, key, operation and item size`},
	} {
		_, err := Parse("test.yaml", []byte(tc.src))
		wantParseError(t, tc.name, err, tc.at, tc.msg)
	}
}

// TestParseShapesFile pins testdata/valid/shapes.yaml, block style.
func TestParseShapesFile(t *testing.T) {
	s := mustLoad(t, "testdata/valid/shapes.yaml")
	steps, ramps, daily, all := s.Workloads[0], s.Workloads[1], s.Workloads[2], s.Workloads[3]
	if steps.Shape != "step" || steps.Arrival != "constant" || len(steps.Stages) != 3 || ramps.Shape != "ramp" {
		t.Errorf("steps %+v, ramps %+v", steps, ramps)
	}
	if *daily.Diurnal != (Diurnal{PeakHour: 0, Ratio: 1}) || daily.Spikes != nil {
		t.Errorf("daily = %+v", daily)
	}
	wantSpikes := []Spike{
		{Pos: Pos{37, 9}, At: 20 * time.Hour, For: 30 * time.Minute, Multiplier: 0.25},
		{Pos: Pos{38, 9}, At: 10 * time.Minute, For: 5 * time.Minute, Multiplier: 4},
		{Pos: Pos{39, 9}, At: 15 * time.Minute, For: 5 * time.Minute, Multiplier: 2},
	}
	if all.Shape != "step" || all.Stages[0].Rate != 20 || !reflect.DeepEqual(all.Spikes, wantSpikes) ||
		*all.Diurnal != (Diurnal{PeakHour: 9.5, Ratio: 4}) {
		t.Errorf("everything = %+v", all)
	}
}

// TestArrivalProfile pins the order shapes compose in, through the
// profile Build gives a workload: the stages' rate (steps here), times
// the spike, times the daily cycle, exact at the knots.
func TestArrivalProfile(t *testing.T) {
	h := time.Hour
	w := Workload{
		Rate: 0, Shape: "step",
		Stages:  []Stage{{For: h, Rate: 10}, {For: h, Rate: 20}},
		Spikes:  []Spike{{At: 30 * time.Minute, For: h, Multiplier: 3}},
		Diurnal: &Diurnal{PeakHour: 0, Ratio: 3}, // a = 1/2
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
	p, _ = arrivalProfile(Workload{Rate: 0, Stages: []Stage{{For: h, Rate: 10}}}, sim.FromDuration(2*h))
	if got := p.RateAt(sim.FromDuration(h / 2)); got != 5 {
		t.Errorf("a ramp: RateAt(30m) = %v, want 5", got)
	}
	// A Scenario built in code may hold what the parser rejects: Build
	// says where.
	sc, err := Parse("test.yaml", []byte(doc("", "", "")))
	if err != nil {
		t.Fatal(err)
	}
	sc.Workloads[0].Spikes = []Spike{{At: time.Minute, For: time.Hour, Multiplier: 2}, {At: time.Hour, For: time.Minute, Multiplier: 2}}
	_, err = Build(sc, 1, &tally{})
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
	sc, err := Builtin("two-tables-diurnal")
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
	s, err := Build(sc, sc.Seed, rec)
	if err != nil {
		t.Fatal(err)
	}
	s.Run()
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
