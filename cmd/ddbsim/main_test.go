package main

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// runCLI runs the command in-process, as main would.
func runCLI(args ...string) (code int, stdout, stderr string) {
	var out, errb bytes.Buffer
	code = run(args, &out, &errb)
	return code, out.String(), errb.String()
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("output differs from %s (go test -update rewrites it):\n--- got\n%s\n--- want\n%s", path, got, want)
	}
}

// Each CLI invocation's output is pinned by a golden file.
func TestGoldenOutput(t *testing.T) {
	tests := []struct {
		name string
		args []string
		code int
	}{
		{"help", []string{"help"}, exitOK},
		{"help-run", []string{"help", "run"}, exitOK},
		{"run-h", []string{"run", "-h"}, exitOK},
		{"version", []string{"version"}, exitOK},
		{"list", []string{"list"}, exitOK},
		{"no-args", nil, exitUsage},
		{"unknown-command", []string{"frobnicate"}, exitUsage},
		{"bad-flag", []string{"run", "--sed", "3"}, exitUsage},
		{"bad-format", []string{"run", "--format", "xml"}, exitUsage},
		{"bad-duration", []string{"run", "--duration", "-5m"}, exitUsage},
		{"missing-scenario", []string{"run", "no-such-scenario"}, exitUsage},
		{"run-default-short", []string{"run", "--duration", "12m"}, exitOK},
		{"run-json-short", []string{"run", "web-backend", "--duration", "1m", "--json", "-"}, exitOK},
		{"run-seed-short", []string{"run", "--seed", "7", "--duration", "1m"}, exitOK},
		{"validate-builtins", []string{"validate", "web-backend"}, exitOK},
		{"validate-bad", []string{"validate", "testdata/bad-typo.yaml", "testdata/bad-unit.yaml", "testdata/bad-table.yaml"}, exitUsage},
		{"run-bad", []string{"run", "testdata/bad-typo.yaml"}, exitUsage},
		{"run-threshold-fails", []string{"run", "testdata/slo-fails.yaml"}, exitFailed},
		{"run-explain", []string{"run", "hot-key", "--duration", "1m", "--explain"}, exitFailed},
		{"cost-default-short", []string{"cost", "--duration", "12m"}, exitOK},
		{"cost-ycsb", []string{"cost", "ycsb-c", "--duration", "1m"}, exitOK},
		{"run-ycsb", []string{"run", "--ycsb", "workloadf", "--ycsb-property", "operationcount=3000", "--ycsb-property", "readallfields=false"}, exitOK},
		{"run-ycsb-with-scenario", []string{"run", "steady", "--ycsb", "workloada"}, exitUsage},
		{"run-ycsb-bad-property", []string{"run", "--ycsb", "workloada", "--ycsb-property", "target"}, exitUsage},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { goldenRun(t, tt.name, tt.code, tt.args...) })
	}
}

// goldenRun runs ddbsim with args, checks its exit code, and compares
// the command line, stdout and stderr with testdata/<name>.golden.
func goldenRun(t *testing.T, name string, code int, args ...string) {
	t.Helper()
	got, stdout, stderr := runCLI(args...)
	if got != code {
		t.Errorf("exit code %d, want %d\nstderr: %s", got, code, stderr)
	}
	golden(t, name, "$ ddbsim "+strings.Join(args, " ")+"\n"+stdout+"--- stderr\n"+stderr)
}

// DESIGN: "one seed in, byte-identical JSON out ... at any GOMAXPROCS";
// a different seed gives different figures.
func TestDeterminism(t *testing.T) {
	jsonAt := func(procs int, seed string) string {
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
		code, out, stderr := runCLI("run", "--duration", "13m", "--seed", seed, "--json", "-")
		if code != exitOK {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		return out
	}
	a, b, c := jsonAt(2, "5"), jsonAt(2, "5"), jsonAt(1, "5")
	if a != b || a != c {
		t.Fatal("the same seed gave different JSON")
	}
	if d := jsonAt(2, "6"); d == a {
		t.Fatal("a different seed gave identical JSON")
	}
}

// A bad scenario exits 2 and writes nothing, not even into --out.
func TestBadScenarioWritesNothing(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "out")
	js := filepath.Join(dir, "result.json")
	code, stdout, stderr := runCLI("run", "testdata/bad-unit.yaml", "--out", out, "--json", js)
	if code != exitUsage {
		t.Fatalf("exit %d, want 2", code)
	}
	if stdout != "" || !strings.Contains(stderr, "bad-unit.yaml:") {
		t.Fatalf("stdout %q, stderr %q", stdout, stderr)
	}
	for _, p := range []string{out, js} {
		if _, err := os.Stat(p); !os.IsNotExist(err) {
			t.Errorf("%s exists after a failed run", p)
		}
	}
}

// --out writes summary.txt, result.json, the rest and the list of them, and
// nothing else (no temporary files left behind); --json FILE writes the same JSON.
func TestOutputFiles(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "run")
	js := filepath.Join(dir, "r.json")
	code, stdout, stderr := runCLI("run", "--duration", "1m", "--out", out, "--json", js, "--quiet")
	if code != exitOK || stdout != "" {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	entries, err := os.ReadDir(out)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	want := ".ddbsim-files capacity-sessions.png capacity-sessions.svg cost.png cost.svg heatmap-sessions.png heatmap-sessions.svg " +
		"latency-spectrum.png latency-spectrum.svg latency.hlog latency.png latency.svg report.html " +
		"result.json summary.txt throughput.png throughput.svg timeseries.csv"
	if got := strings.Join(names, " "); got != want {
		t.Fatalf("--out wrote %v", names)
	}
	csv, _ := os.ReadFile(filepath.Join(out, "timeseries.csv"))
	lines := strings.SplitAfter(string(csv), "\n")
	golden(t, "timeseries-head", strings.Join(lines[:5], ""))
	a, _ := os.ReadFile(filepath.Join(out, "result.json"))
	b, _ := os.ReadFile(js)
	if len(a) == 0 || !bytes.Equal(a, b) {
		t.Fatal("result.json and --json FILE differ")
	}
}
