package scenarios

// Tests of arrival shapes: shape (ramp | step), spikes and diurnal, from
// the file to the offered load of a run.

import (
	"reflect"
	"testing"
	"time"
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
