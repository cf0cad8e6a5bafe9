package ddbsim

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ddbsim/ddbsim/scenarios"
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

// A trace scenario builds and runs: every record within the duration is
// one request, each ends in one Finish, and a looped trace runs until the
// scenario ends.
func TestTraceScenarioRuns(t *testing.T) {
	for _, tt := range []struct {
		name, workload string
		requests       int64
	}{
		{"once", "    trace: traces/t.csv\n", 5},
		{"10x looped", "    trace: traces/t.csv\n    speed: 10x\n    loop: true\n", 100}, // 0.5 s a pass, 10 s
		{"0.5x", "    trace: traces/t.csv\n    speed: 0.5x\n", 5},                        // the last at 8 s
		{"0.4x", "    trace: traces/t.csv\n    speed: 0.4x\n", 4},                        // the last at 10 s: cut
	} {
		t.Run(tt.name, func(t *testing.T) {
			sc, err := scenarios.Load(traceScenario(t, tt.workload, smallTrace))
			if err != nil {
				t.Fatal(err)
			}
			var rec tally
			s, err := build(sc, 1, &rec)
			if err != nil {
				t.Fatal(err)
			}
			s.run()
			src := s.Sources[0]
			if err := src.Err(); err != nil {
				t.Fatal(err)
			}
			if src.Arrived() != tt.requests || rec.finished != tt.requests {
				t.Errorf("%d arrived, %d finished, want %d", src.Arrived(), rec.finished, tt.requests)
			}
			if rec.succeeded != rec.finished || s.Kernel.Pending() != 0 {
				t.Errorf("%d of %d succeeded, %d events left", rec.succeeded, rec.finished, s.Kernel.Pending())
			}
		})
	}
}

// --trace replaces a scenario's workloads (WithTrace), or runs against a
// default on-demand table for the trace's span (TraceScenario).
func TestTraceOptions(t *testing.T) {
	dir := t.TempDir()
	trace := filepath.Join(dir, "t.csv")
	if err := os.WriteFile(trace, []byte(smallTrace), 0o644); err != nil {
		t.Fatal(err)
	}
	sc, err := scenarios.TraceScenario(scenarios.TraceOptions{File: trace, Speed: 0.3, Open: scenarios.OpenFile}, 0)
	if err != nil {
		t.Fatal(err)
	}
	// 5 s a pass at 0.3x: 16.67 s, rounded up.
	if sc.Duration != 17*time.Second || sc.Tables[0].Name != "trace" || sc.Tables[0].Mode != "on-demand" ||
		sc.Tables[0].PartitionKey != "key" || sc.Workloads[0].Trace.Records != 5 || sc.Name != "t.csv" {
		t.Errorf("TraceScenario: %+v", sc)
	}
	if err := scenarios.Check(sc); err != nil {
		t.Fatal(err)
	}

	base, err := scenarios.Builtin(scenarios.DefaultName)
	if err != nil {
		t.Fatal(err)
	}
	if err := scenarios.WithTrace(base, scenarios.TraceOptions{File: trace, Format: "csv", Open: scenarios.OpenFile}); err != nil {
		t.Fatal(err)
	}
	if len(base.Workloads) != 1 || base.Workloads[0].Table != base.Tables[0].Name || base.Workloads[0].Trace.Path != trace {
		t.Errorf("WithTrace: workloads %+v", base.Workloads)
	}
	var rec tally
	s, err := build(base, 1, &rec)
	if err != nil {
		t.Fatal(err)
	}
	s.run()
	if rec.finished != 5 {
		t.Errorf("%d requests finished, want the trace's 5", rec.finished)
	}

	base, _ = scenarios.Builtin(scenarios.DefaultName)
	err = scenarios.WithTrace(base, scenarios.TraceOptions{File: trace, Table: "sesions", Open: scenarios.OpenFile})
	if want := `no table named "sesions" in web-backend (built-in); did you mean "sessions"?`; err == nil || err.Error() != want {
		t.Errorf("WithTrace on a missing table: %v, want %s", err, want)
	}
	bad := filepath.Join(dir, "bad.csv")
	os.WriteFile(bad, []byte("timestamp,key,op,size\n0,a,get\n"), 0o644)
	_, err = scenarios.TraceScenario(scenarios.TraceOptions{File: bad, Open: scenarios.OpenFile}, time.Minute)
	if want := fmt.Sprintf("%s:2: expected 4 fields (timestamp,key,op,size), got 3", bad); err == nil || err.Error() != want {
		t.Errorf("TraceScenario with a bad line: %v, want %s", err, want)
	}
}

// A scenario read through an Opener replays its trace through it too: the
// parser opens the trace once to check it, the replay once more when the
// run starts, here from memory.
func TestTraceReplayUsesTheOpener(t *testing.T) {
	doc := []byte(`version: 1
name: replay
duration: 10s
tables:
  - {name: t, partition_key: pk, mode: on-demand}
workloads:
  - {name: w, table: t, trace: traces/t.csv}
`)
	opened := 0
	open := func(path string) (trace.File, error) {
		opened++
		if path != "d/traces/t.csv" {
			return nil, fmt.Errorf("open %s: no such file", path)
		}
		return readerFile{strings.NewReader(smallTrace)}, nil
	}
	sc, err := scenarios.ParseWith("s.yaml", doc, scenarios.ParseOptions{Open: open, Dir: "d"})
	if err != nil {
		t.Fatal(err)
	}
	var rec tally
	s, err := build(sc, 1, &rec)
	if err != nil {
		t.Fatal(err)
	}
	s.run()
	if err := s.Sources[0].Err(); err != nil {
		t.Fatal(err)
	}
	if rec.finished != 5 || opened != 2 {
		t.Errorf("%d requests finished, the trace opened %d times; want 5, and once more for the run", rec.finished, opened)
	}
}

// readerFile is a trace.File over a string.
type readerFile struct{ *strings.Reader }

func (readerFile) Close() error { return nil }
