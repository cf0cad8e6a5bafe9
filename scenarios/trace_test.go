package scenarios

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/ddbsim/ddbsim/workload/trace"
)

// traceScenario writes a scenario whose one workload has the given keys
// (indented as a workload's), and a csv trace beside it in traces/t.csv,
// into a temporary directory, and returns the scenario's path.
func traceScenario(t *testing.T, workload, trace string) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.Mkdir(filepath.Join(dir, "traces"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "traces", "t.csv"), []byte(trace), 0o644); err != nil {
		t.Fatal(err)
	}
	doc := `version: 1
name: replay
duration: 10s
tables:
  - name: t
    partition_key: pk
    mode: on-demand
workloads:
  - name: w
    table: t
` + workload
	path := filepath.Join(dir, "s.yaml")
	if err := os.WriteFile(path, []byte(doc), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

const smallTrace = "timestamp,key,op,size\n0,a,put,100\n1,b,put,200\n2,a,get,\n3,b,update,300\n4,a,delete,\n"

// trace: FILE is read relative to the scenario file's directory, and the
// whole file is checked when the scenario is loaded.
func TestParseTraceWorkload(t *testing.T) {
	path := traceScenario(t, "    trace: traces/t.csv\n    speed: 2x\n    loop: true\n    consistency: strong\n    max_in_flight: 5k\n", smallTrace)
	sc, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	w := sc.Workloads[0]
	want := TraceSpec{
		Pos:         Pos{11, 12},
		File:        "traces/t.csv",
		Path:        filepath.Join(filepath.Dir(path), "traces", "t.csv"),
		Format:      "csv",
		Speed:       2,
		Loop:        true,
		Records:     5,
		MaxInFlight: 5000,
		Period:      5 * time.Second, // 4 s and one mean gap of 1 s
		Busiest:     [trace.BusyWindows]int64{1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 5, 5, 5, 5, 5, 5, 5, 5, 5},
	}
	if w.Trace == nil || w.Trace.Open == nil {
		t.Fatalf("Trace = %+v: no Opener to replay it with", w.Trace)
	}
	got := *w.Trace
	got.Open = nil // functions do not compare
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("Trace = %+v, want %+v", got, want)
	}
	if w.Mix != nil || w.Arrival != "" || w.Rate != 0 || w.Consistency != "strong" {
		t.Errorf("a trace workload has mix %v, arrival %q, rate %v, consistency %q", w.Mix, w.Arrival, w.Rate, w.Consistency)
	}
}

// Each problem of a trace workload is reported at its place; a bad line
// of the trace itself as the trace key's place, then the trace's
// FILE:LINE.
func TestParseTraceErrors(t *testing.T) {
	tests := []struct { // the workload's first key is on line 11
		name, workload, trace string
		want                  []string // after "FILE:"
	}{
		{"rate", "    trace: traces/t.csv\n    rate: 10/s\n    mix: {get: 100%}\n", smallTrace, []string{
			"12:5: rate cannot be combined with trace: the trace gives each request's time, key, operation and item size",
			"13:5: mix cannot be combined with trace: the trace gives each request's time, key, operation and item size",
		}},
		{"users keys item_size", "    trace: traces/t.csv\n    users: 5\n    keys: {count: 10}\n    item_size: 1KB\n", smallTrace, []string{
			"12:5: users cannot be combined with trace: the trace gives each request's time, key, operation and item size",
			"13:5: keys cannot be combined with trace: the trace gives each request's time, key, operation and item size",
			"14:5: item_size cannot be combined with trace: the trace gives each request's time, key, operation and item size",
		}},
		{"without trace", "    rate: 10/s\n    speed: 10x\n    loop: true\n    keys: {count: 10}\n", smallTrace, []string{
			"12:5: speed applies only to a trace replay (trace: FILE)",
			"13:5: loop applies only to a trace replay (trace: FILE)",
		}},
		{"format", "    trace: traces/t.csv\n    format: parquet\n", smallTrace, []string{
			`12:13: format: unknown value "parquet"; expected csv or twitter`,
		}},
		{"speed", "    trace: traces/t.csv\n    speed: fast\n", smallTrace, []string{
			`12:12: speed: expected a factor such as 10x or 0.5x, got "fast"`,
		}},
		{"speed zero", "    trace: traces/t.csv\n    speed: 0x\n", smallTrace, []string{
			`12:12: speed: must be greater than 0, got "0x"`,
		}},
		{"loop", "    trace: traces/t.csv\n    loop: yes please\n", smallTrace, []string{
			`12:11: loop: expected true or false, got "yes please"`,
		}},
		{"max_in_flight zero", "    trace: traces/t.csv\n    max_in_flight: 0\n", smallTrace, []string{
			`12:20: max_in_flight must be at least 1`,
		}},
		{"max_in_flight too many", "    trace: traces/t.csv\n    max_in_flight: 2M\n", smallTrace, []string{
			`12:20: max_in_flight must be at most 1000000`,
		}},
		{"max_in_flight without trace", "    rate: 10/s\n    max_in_flight: 10\n    keys: {count: 10}\n", smallTrace, []string{
			"12:5: max_in_flight applies only to a trace replay (trace: FILE)",
		}},
		{"missing file", "    trace: traces/none.csv\n", smallTrace, []string{
			"11:12: trace: open DIR/traces/none.csv: no such file or directory",
		}},
		{"bad line", "    trace: traces/t.csv\n", "timestamp,key,op,size\n0,a,get,\n1,b,gte,\n", []string{
			`11:12: trace: DIR/traces/t.csv:3: op "gte": expected one of get, put, update, delete, query, scan`,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := traceScenario(t, tt.workload, tt.trace)
			_, err := Load(path)
			var want []string
			for _, w := range tt.want {
				want = append(want, path+":"+strings.ReplaceAll(w, "DIR", filepath.Dir(path)))
			}
			if err == nil || err.Error() != strings.Join(want, "\n") {
				t.Fatalf("got\n%v\nwant\n%s", err, strings.Join(want, "\n"))
			}
		})
	}
}

func TestParseSpeed(t *testing.T) {
	for in, want := range map[string]float64{"10x": 10, "0.5x": 0.5, "2": 2, "1x": 1, " 3x ": 3} {
		if got, err := ParseSpeed(in); err != nil || got != want {
			t.Errorf("ParseSpeed(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, in := range []string{"", "x", "0", "0x", "-1x", "10X", "1e3x", "fast"} {
		if _, err := ParseSpeed(in); err == nil {
			t.Errorf("ParseSpeed(%q) accepted", in)
		}
	}
}
