package main

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/ddbsim/ddbsim/scenarios"
)

// Trace replay from the command line and from a scenario; each output is
// pinned by a golden file in testdata/traces/.
func TestTraceGoldenOutput(t *testing.T) {
	const dir = "testdata/traces/"
	tests := []struct {
		name string
		args []string
		code int
	}{
		{"run-trace", []string{"run", "--trace", dir + "small.csv"}, exitOK},
		{"run-trace-fast-loop", []string{"run", "--trace", dir + "small.csv", "--speed", "10x", "--loop", "--duration", "1m"}, exitOK},
		{"run-trace-twitter", []string{"run", "--trace", dir + "twitter.csv", "--trace-format", "twitter", "--table", "cache"}, exitOK},
		{"run-trace-scenario", []string{"run", "web-backend", "--trace", dir + "small.csv", "--duration", "1m"}, exitOK},
		{"run-trace-file", []string{"run", dir + "replay.yaml"}, exitOK},
		{"validate-trace", []string{"validate", dir + "replay.yaml", dir + "bad-replay.yaml"}, exitUsage},
		{"run-trace-bad-line", []string{"run", "--trace", dir + "bad.csv"}, exitUsage},
		{"run-trace-backwards", []string{"run", "web-backend", "--trace", dir + "backwards.csv"}, exitUsage},
		{"run-trace-wrong-format", []string{"run", "--trace", dir + "small.csv", "--trace-format", "twitter"}, exitUsage},
		{"run-trace-missing", []string{"run", "--trace", dir + "none.csv"}, exitUsage},
		{"run-trace-bad-table", []string{"run", "web-backend", "--trace", dir + "small.csv", "--table", "sesions"}, exitUsage},
		{"run-trace-bad-speed", []string{"run", "--trace", dir + "small.csv", "--speed", "0x"}, exitUsage},
		{"run-trace-bad-format", []string{"run", "--trace", dir + "small.csv", "--trace-format", "tsv"}, exitUsage},
		{"run-trace-flag-alone", []string{"run", "--loop"}, exitUsage},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := runCLI(tt.args...)
			if code != tt.code {
				t.Errorf("exit code %d, want %d\nstderr: %s", code, tt.code, stderr)
			}
			golden(t, "traces/"+tt.name, "$ ddbsim "+strings.Join(tt.args, " ")+"\n"+stdout+"--- stderr\n"+stderr)
		})
	}
}

// A trace with a line that cannot be read exits 2, names the line, and
// writes nothing.
func TestTraceBadLineWritesNothing(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "out")
	js := filepath.Join(dir, "result.json")
	code, stdout, stderr := runCLI("run", "--trace", "testdata/traces/bad.csv", "--out", out, "--json", js)
	if code != exitUsage || stdout != "" || !strings.HasPrefix(stderr, "testdata/traces/bad.csv:3: ") {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	for _, p := range []string{out, js} {
		if _, err := os.Stat(p); !os.IsNotExist(err) {
			t.Errorf("%s exists after a failed run", p)
		}
	}
}

// A trace that becomes unreadable after it was checked (the file changed
// under the run) stops the replay, and the run reports the line instead
// of a result.
func TestTraceUnreadableMidRun(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "t.csv")
	if err := os.WriteFile(path, []byte("timestamp,key,op,size\n0,a,get,\n1,b,get,\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	sc, err := scenarios.TraceScenario(scenarios.TraceOptions{File: path, Open: scenarios.OpenFile}, 0)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte("timestamp,key,op,size\n0,a,get,\n1,b,got,\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	var out, errb strings.Builder
	res, err := simulate(sc, 1, &env{stdout: &out, stderr: &errb}, true)
	want := path + `:3: op "got": expected one of get, put, update, delete, query, scan`
	if res != nil || err == nil || err.Error() != want {
		t.Fatalf("simulate: %v, %v; want the error %s", res, err, want)
	}
}

// The same trace and seed give byte-identical JSON at any GOMAXPROCS.
func TestTraceDeterminism(t *testing.T) {
	jsonAt := func(procs int) string {
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
		code, out, stderr := runCLI("run", "testdata/traces/replay.yaml", "--json", "-")
		if code != exitOK {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		return out
	}
	if a, b := jsonAt(1), jsonAt(4); a != b {
		t.Fatal("one trace and seed gave different JSON")
	}
}
