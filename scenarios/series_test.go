package scenarios

// Tests of a workload's series: and the scenario's history:, from the
// file to the values the run and compare read.

import (
	"fmt"
	"math"
	"reflect"
	"strings"
	"testing"
	"time"
)

// TestParseSeriesFile pins testdata/valid/series.yaml: the format as an
// imported scenario writes it, block style, comments between entries.
func TestParseSeriesFile(t *testing.T) {
	s := mustLoad(t, "testdata/valid/series.yaml")
	w := s.Workloads[0]
	want := &Series{Pos: Pos{10, 7}, Step: time.Minute, Burst: 3,
		Rates: []float64{100, 100, 99.5, 0, 0, 101, 100, 1500}, Missing: 2}
	if !reflect.DeepEqual(w.Series, want) {
		t.Errorf("series = %+v\nwant %+v", w.Series, want)
	}
	if w.Rate != 0 || w.Stages != nil || w.Arrival != "poisson" {
		t.Errorf("rate %v, stages %v, arrival %q beside a series", w.Rate, w.Stages, w.Arrival)
	}
	wantNotes := []string{
		"workload orders-writes: 2 of the 8 steps of its series are gaps (~, no datapoint); they run at 0 requests/s, not filled in",
		"workload orders-writes: its series covers 8m0s of the scenario's 10m0s (8 steps of 1m0s); after it the rate is 0",
	}
	if !reflect.DeepEqual(s.Notes, wantNotes) {
		t.Errorf("notes = %q\nwant %q", s.Notes, wantNotes)
	}
	wantHistory := &History{Pos: Pos{22, 3},
		From: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC),
		Tables: []TableHistory{{Pos: Pos{25, 7}, Table: "orders", Mode: "on-demand", WriteUnits: 259.2e6, Missing: 2}},
	}
	if !reflect.DeepEqual(s.History, wantHistory) {
		t.Errorf("history = %+v\nwant %+v", s.History, wantHistory)
	}
}

func TestParseSeries(t *testing.T) {
	for _, tc := range []struct {
		name   string
		src    string
		series Series
		notes  []string
	}{
		{"burst absent is 1; a series as long as the run has no note",
			doc("", "{name: w, table: t, series: {step: 30m, rates: [1, 2]}}", ""),
			Series{Pos: Pos{7, 33}, Step: 30 * time.Minute, Burst: 1, Rates: []float64{1, 2}}, nil},
		{"burst equal to the step",
			doc("", "{name: w, table: t, series: {step: 1h, burst: 3600, rates: [0, 1k, 2.5]}}", ""),
			Series{Pos: Pos{7, 33}, Step: time.Hour, Burst: 3600, Rates: []float64{0, 1000, 2.5}},
			nil}, // longer than the run: no note
		{"a short series, all gaps",
			doc("", "{name: w, table: t, series: {step: 1m, rates: [~, null]}}", ""),
			Series{Pos: Pos{7, 33}, Step: time.Minute, Burst: 1, Rates: []float64{0, 0}, Missing: 2},
			[]string{
				"workload w: 2 of the 2 steps of its series are gaps (~, no datapoint); they run at 0 requests/s, not filled in",
				"workload w: its series covers 2m0s of the scenario's 1h0m0s (2 steps of 1m0s); after it the rate is 0",
			}},
		{"spikes and diurnal with a series",
			doc("", "{name: w, table: t, series: {step: 1h, rates: [5]}, spikes: [{at: 1m, for: 1m, multiplier: 2}], diurnal: {peak_hour: 3, ratio: 2}}", ""),
			Series{Pos: Pos{7, 33}, Step: time.Hour, Burst: 1, Rates: []float64{5}}, nil},
	} {
		s, err := Parse("test.yaml", []byte(tc.src))
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		if got := s.Workloads[0].Series; !reflect.DeepEqual(*got, tc.series) {
			t.Errorf("%s: series = %+v\nwant %+v", tc.name, *got, tc.series)
		}
		if len(s.Notes) != len(tc.notes) || len(tc.notes) > 0 && !reflect.DeepEqual(s.Notes, tc.notes) {
			t.Errorf("%s: notes = %q\nwant %q", tc.name, s.Notes, tc.notes)
		}
	}
}

func TestParseSeriesErrors(t *testing.T) {
	const wl = "{name: w, table: t, "
	series := func(body string) string { return doc("", wl+"series: {"+body+"}}", "") }
	for _, tc := range []struct {
		name, src string
		at        string // line:col
		msg       string
	}{
		{"rate and series", doc("", wl+"rate: 5/s, series: {step: 1m, rates: [1]}}", ""), "7:25",
			"rate cannot be combined with series (at 7:36): a series gives the rate of every step of an open loop"},
		{"stages and series", doc("", wl+"series: {step: 1m, rates: [1]}, stages: [{for: 1m, rate: 1/s}]}", ""), "7:57",
			"stages cannot be combined with series (at 7:25): a series gives the rate of every step of an open loop"},
		{"shape and series", doc("", wl+"series: {step: 1m, rates: [1]}, shape: step}", ""), "7:57",
			"shape cannot be combined with series (at 7:25): a series gives the rate of every step of an open loop"},
		{"users and series", doc("", wl+"series: {step: 1m, rates: [1]}, users: 5}", ""), "7:57",
			"users cannot be combined with series (at 7:25): a series gives the rate of every step of an open loop"},
		{"trace and series", doc("", wl+"series: {step: 1m, rates: [1]}, trace: t.csv}", ""), "7:57",
			"trace cannot be combined with series (at 7:25): a series gives the rate of every step of an open loop"},
		{"ycsb and series", doc("", wl+"series: {step: 1m, rates: [1]}, ycsb: workloada}", ""), "7:57",
			"ycsb cannot be combined with series (at 7:25): a series gives the rate of every step of an open loop"},
		{"series not a mapping", doc("", wl+"series: [1, 2]}", ""), "7:33",
			`series: expected a mapping, got a list`},
		{"unknown key", series("step: 1m, rate: [1]"), "7:44",
			`unknown key "rate" in series; did you mean "rates"?`},
		{"no step", series("rates: [1]"), "7:33",
			`series is missing step (the time each rate holds, such as step: 1m)`},
		{"no rates", series("step: 1m"), "7:33",
			`series is missing rates (requests per second, one per step, such as rates: [100, 99.5, ~, 101])`},
		{"empty rates", series("step: 1m, rates: []"), "7:51",
			`series.rates is empty; give one rate per step, such as rates: [100, 99.5, ~, 101]`},
		{"rates not a list", series("step: 1m, rates: 5"), "7:51",
			`series.rates: expected a list, got "5"`},
		{"step below a second", series("step: 500ms, rates: [1]"), "7:40",
			`series.step must be at least 1s, got 500ms`},
		{"step not whole seconds", series("step: 1500ms, rates: [1]"), "7:40",
			`series.step must be whole seconds, got 1500ms`},
		{"step not a duration", series("step: often, rates: [1]"), "7:40",
			`series.step: bad duration "often": ` + durationWant("often")},
		{"burst below 1", series("step: 1m, burst: 0.5, rates: [1]"), "7:51",
			`series.burst must be at least 1 (1: a step's requests spread over all of it), got 0.5`},
		{"burst 0", series("step: 1m, burst: 0, rates: [1]"), "7:51",
			`series.burst must be greater than 0, got 0`},
		{"burst above the step", series("step: 1m, burst: 61, rates: [1]"), "7:51",
			`series.burst must be at most the step in seconds (60), so that a step's requests take at least a second, got 61`},
		{"burst not a number", series("step: 1m, burst: 3x, rates: [1]"), "7:51",
			`series.burst: expected a number such as 1.2, got "3x"`},
		{"negative rate", series("step: 1m, rates: [1, -2]"), "7:55",
			`series.rates: step 1: a rate must not be negative, got -2`},
		{"rate not a number", series("step: 1m, rates: [[1, 2], [3, lots]]"), "7:64",
			`series.rates: step 3: expected requests per second such as 100, 99.5 or 1.5k/s, or ~ for a gap, got "lots"`},
		{"rate with a bad unit", series("step: 1m, rates: [5/sec]"), "7:52",
			`series.rates: step 0: bad rate "5/sec": unknown time unit "sec"; ` + rateWant("5/sec")},
		{"nested too deep", series("step: 1m, rates: [[1, [2]]]"), "7:56",
			`series.rates: step 1: expected a rate or ~, got a list (a flow sequence of rates holds rates, one level deep)`},
		{"a mapping for a rate", series("step: 1m, rates: [{r: 1}]"), "7:52",
			`series.rates: step 0: expected a rate such as 100 or 1.5k/s, or ~ for a gap, got a mapping`},
	} {
		_, err := Parse("test.yaml", []byte(tc.src))
		wantParseError(t, tc.name, err, tc.at, tc.msg)
	}
}

// durationWant and rateWant are what ParseDuration and ParseRate say
// after the value, so that the tests pin the series' part of a message.
func durationWant(s string) string {
	_, err := ParseDuration(s)
	return strings.TrimPrefix(err.Error(), fmt.Sprintf("bad duration %q: ", s))
}

func rateWant(s string) string {
	_, err := ParseRate(s)
	return strings.TrimPrefix(err.Error(), fmt.Sprintf("bad rate %q: unknown time unit \"sec\"; ", s))
}

// A series past MaxSeriesSteps is refused at the first step too many,
// however few lines hold it: here an alias repeats a row of 1,000 steps.
func TestParseSeriesTooLong(t *testing.T) {
	if testing.Short() {
		t.Skip("reads 10 million steps")
	}
	const row = 1000
	rates := "[&row [" + strings.TrimSuffix(strings.Repeat("1,", row), ",") + "]" +
		strings.Repeat(", *row", MaxSeriesSteps/row) + "]"
	_, err := Parse("test.yaml", []byte(doc("", "{name: w, table: t, series: {step: 1s, rates: "+rates+"}}", "")))
	wantParseError(t, "too many steps", err, "7:51",
		"series.rates: more than 10000000 steps in the scenario's series (MaxSeriesSteps); split the history or use a longer step")
	// Two workloads sharing the bound: the second is one step too many.
	half := "[&row [" + strings.TrimSuffix(strings.Repeat("1,", row), ",") + "]" +
		strings.Repeat(", *row", MaxSeriesSteps/row/2-1) + "]"
	src := doc("", "{name: w, table: t, series: {step: 1s, rates: "+half+"}}", "") +
		"  - {name: v, table: t, series: {step: 1s, rates: [" + strings.Repeat("*row, ", MaxSeriesSteps/row/2) + "1]}}\n"
	_, err = Parse("test.yaml", []byte(src))
	wantParseError(t, "too many steps in all", err, "8:51",
		"series.rates: more than 10000000 steps in the scenario's series (MaxSeriesSteps); split the history or use a longer step")
}

func TestParseHistoryErrors(t *testing.T) {
	tables := "{name: t, partition_key: id, mode: on-demand, items: {count: 1k}}\n  - {name: u, partition_key: id, mode: on-demand, items: {count: 1k}}"
	history := func(body string) string { return doc(tables, "", "history: {"+body+"}\n") }
	const window = "from: 2026-11-01T00:00:00Z, to: 2026-11-02T00:00:00Z, "
	for _, tc := range []struct {
		name, src string
		at        string // line:col
		msg       string
	}{
		{"not a mapping", doc(tables, "", "history: [1]\n"), "9:10",
			`history: expected a mapping, got a list`},
		{"unknown key", history(window + "tabels: []"), "9:65",
			`unknown key "tabels" in history; did you mean "tables"?`},
		{"no from", history("to: 2026-11-02T00:00:00Z, tables: [{table: t, mode: on-demand}]"), "9:10",
			`history is missing from (the window's start, such as from: 2026-11-01T00:00:00Z)`},
		{"from not RFC 3339", history("from: 2026-11-01, to: 2026-11-02T00:00:00Z, tables: [{table: t, mode: on-demand}]"), "9:17",
			`history.from: expected an RFC 3339 time such as 2026-11-01T00:00:00Z, got "2026-11-01"`},
		{"to before from", history("from: 2026-11-02T00:00:00Z, to: 2026-11-01T00:00:00Z, tables: [{table: t, mode: on-demand}]"), "9:43",
			`history.to (2026-11-01T00:00:00Z) must be after history.from (2026-11-02T00:00:00Z)`},
		{"to equal to from", history("from: 2026-11-02T00:00:00Z, to: 2026-11-02T00:00:00Z, tables: [{table: t, mode: on-demand}]"), "9:43",
			`history.to (2026-11-02T00:00:00Z) must be after history.from (2026-11-02T00:00:00Z)`},
		{"no tables", history(window[:len(window)-2]), "9:10",
			`history is missing tables (one entry per table, such as tables: [{table: orders, mode: on-demand, write_units: 259.2M}])`},
		{"empty tables", history(window + "tables: []"), "9:73",
			`history.tables is empty; give one entry per table the history covers`},
		{"no table", history(window + "tables: [{mode: on-demand}]"), "9:74",
			`history.tables entry is missing table (the name of one of the tables)`},
		{"no such table", history(window + "tables: [{table: orders, mode: on-demand}]"), "9:82",
			`history.tables.table: no table named "orders" (tables: t, u)`},
		{"a near table", history(window + "tables: [{table: tt, mode: on-demand}]"), "9:82",
			`history.tables.table: no table named "tt"; did you mean "t"?`},
		{"a table twice", history(window + "tables: [{table: t, mode: on-demand}, {table: t, mode: provisioned}]"), "9:111",
			`history.tables: table "t" is named twice (first at line 9)`},
		{"no mode", history(window + "tables: [{table: t}]"), "9:74",
			`history.tables entry is missing mode (how the table was billed over the window: on-demand or provisioned)`},
		{"unknown mode", history(window + "tables: [{table: t, mode: ondemand}]"), "9:91",
			`history.tables.mode: unknown value "ondemand"; did you mean "on-demand"?`},
		{"negative units", history(window + "tables: [{table: t, mode: on-demand, write_units: -1}]"), "9:115",
			`history.tables.write_units must not be negative, got -1`},
		{"units not a number", history(window + "tables: [{table: t, mode: on-demand, read_units: lots}]"), "9:114",
			`history.tables.read_units: expected a number such as 259200000 or 259.2M, got "lots"`},
		{"capacity hours on demand", history(window + "tables: [{table: t, mode: on-demand, write_capacity_hours: 24}]"), "9:124",
			`history.tables.write_capacity_hours applies to a provisioned table; an on-demand table is billed by the units it consumed (leave it out or 0)`},
		{"missing minutes past the window", history(window + "tables: [{table: t, mode: on-demand, missing_minutes: 1441}]"), "9:119",
			`history.tables.missing_minutes (1441) is more than the 1440 minutes of the window`},
		{"missing minutes fractional", history(window + "tables: [{table: t, mode: on-demand, missing_minutes: 1.5}]"), "9:119",
			`history.tables.missing_minutes: bad count "1.5": not a whole number (1.5)`},
		{"unknown table key", history(window + "tables: [{table: t, mode: on-demand, write_unit: 5}]"), "9:102",
			`unknown key "write_unit" in history.tables entry; did you mean "write_units"?`},
	} {
		_, err := Parse("test.yaml", []byte(tc.src))
		wantParseError(t, tc.name, err, tc.at, tc.msg)
	}
}

func TestParseHistory(t *testing.T) {
	src := doc("", "", `history:
  from: 2026-11-01T01:00:00+01:00
  to: 2026-11-01T01:00:00Z
  tables:
    - {table: t, mode: provisioned, read_units: 1.5k, write_units: 12.25, read_capacity_hours: 100, write_capacity_hours: 0.5, missing_minutes: 60}
`)
	s, err := Parse("test.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	want := &History{Pos: Pos{9, 3},
		From: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2026, 11, 1, 1, 0, 0, 0, time.UTC),
		Tables: []TableHistory{{Pos: Pos{12, 7}, Table: "t", Mode: "provisioned", ReadUnits: 1500, WriteUnits: 12.25,
			ReadCapacityHours: 100, WriteCapacityHours: 0.5, Missing: 60}},
	}
	if !reflect.DeepEqual(s.History, want) {
		t.Errorf("history = %+v\nwant %+v", s.History, want)
	}
	if s2, _ := Parse("test.yaml", []byte(doc("", "", ""))); s2.History != nil {
		t.Errorf("no history: %+v", s2.History)
	}
}

// TestSeriesCheckRanges checks that checkRanges refuses a series or a
// history set in code out of the parser's ranges.
func TestSeriesCheckRanges(t *testing.T) {
	for _, tc := range []struct {
		name   string
		change func(*Scenario)
		want   string
	}{
		{"step of a fraction of a second", func(s *Scenario) { s.Workloads[0].Series.Step = 1500 * time.Millisecond },
			"workload w: series.step 1.5s; expected whole seconds, at least 1s"},
		{"burst past the step", func(s *Scenario) { s.Workloads[0].Series.Burst = 61 },
			"workload w: series.burst 61; expected 1 to the step in seconds (60)"},
		{"no steps", func(s *Scenario) { s.Workloads[0].Series.Rates = nil },
			"workload w: series of 0 steps, 0 of them gaps; expected 1 to 10000000 steps (MaxSeriesSteps), gaps among them"},
		{"a negative rate", func(s *Scenario) { s.Workloads[0].Series.Rates[1] = -1 },
			"workload w: series step 1: rate -1/s; expected a rate of 0/s or more"},
		{"a rate beside", func(s *Scenario) { s.Workloads[0].Rate = 5 },
			"workload w: a series beside rate, stages, shape, users, a trace or YCSB; a series gives every step's rate itself"},
		{"too many requests", func(s *Scenario) { s.Workloads[0].Series.Rates[0] = 1e18 },
			"workload w: a peak rate of 6e+19/s for 1h0m0s is up to 2.16e+23 requests"},
		{"history upside down", func(s *Scenario) { s.History.From = s.History.To },
			"test.yaml:9:3: history: from 2026-11-02T00:00:00Z, to 2026-11-02T00:00:00Z; expected from before to"},
		{"history of another table", func(s *Scenario) { s.History.Tables[0].Table = "u" },
			`test.yaml:12:7: history: table "u"; expected each of the scenario's tables at most once`},
		{"history mode", func(s *Scenario) { s.History.Tables[0].Mode = "serverless" },
			`history: table t: mode "serverless"; expected on-demand or provisioned`},
		{"history units", func(s *Scenario) { s.History.Tables[0].WriteUnits = math.NaN() },
			"history: table t: read_units 0, write_units NaN, read_capacity_hours 0, write_capacity_hours 0; expected totals of 0 or more"},
	} {
		s, err := Parse("test.yaml", []byte(doc("", "{name: w, table: t, series: {step: 1m, burst: 60, rates: [1, 2]}}", `history:
  from: 2026-11-01T00:00:00Z
  to: 2026-11-02T00:00:00Z
  tables:
    - {table: t, mode: on-demand}
`)))
		if err != nil {
			t.Fatal(err)
		}
		if err := checkRanges(s); err != nil {
			t.Fatalf("a parsed series: %v", err)
		}
		tc.change(s)
		err = checkRanges(s)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: got %v, want %q", tc.name, err, tc.want)
		}
	}
}
