package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// The resource guard refuses, before building anything, a scenario whose
// estimated events or memory are over budget, with the estimate and the
// ways out, exit status 2 and nothing written; the same scenarios pass
// with the way out taken. A scenario of 10^12 requests at --fidelity
// request must be refused within a second (it is in microseconds: the
// estimate reads the scenario, it does not build it).
func TestResourceGuard(t *testing.T) {
	tests := []struct {
		name string
		args []string
		code int
		want []string // in stderr
	}{
		{"trillion requests one by one", []string{"run", "testdata/guard/trillion.yaml", "--fidelity", "request"}, exitUsage,
			[]string{"~1.0 trillion requests estimated", "~3.3 trillion events (up to ~1.2 trillion of them retries)", "over the budget of --max-events 2.0 billion",
				"--fidelity aggregate", "a shorter --duration", "a larger --max-events"}},
		{"trillion requests, the default fidelity", []string{"run", "testdata/guard/trillion.yaml"}, exitUsage,
			[]string{"~1.0 trillion requests estimated"}},
		{"aggregate with a tick too fine", []string{"run", "testdata/guard/trillion.yaml", "--fidelity", "aggregate", "--tick", "1ms"}, exitUsage,
			[]string{"~5.2 billion aggregate-driver events estimated", "a longer --tick"}},
		{"a smaller budget", []string{"run", "--max-events", "1M"}, exitUsage,
			[]string{"~1.3 million requests estimated", "over the budget of --max-events 1.0 million"}},
		{"a bad budget", []string{"run", "--max-events", "lots"}, exitUsage,
			[]string{"--max-events lots: bad count"}},
		{"a hundred billion items", []string{"run", "testdata/guard/huge-items.yaml"}, exitUsage,
			[]string{"of memory estimated (100 billion items", "Use fewer items"}},
		{"a YCSB load phase of 10^11 records", []string{"run", "--ycsb", "workloada", "--ycsb-property", "recordcount=1e11"}, exitUsage,
			[]string{"of memory estimated (100 billion items"}},
		{"a trace looped fast for a month", []string{"run", "--trace", "testdata/guard/two-records.csv", "--loop", "--speed", "100000x", "--duration", "30d"}, exitUsage,
			[]string{"~518 billion requests estimated", "a slower --speed or no --loop"}},
		{"compare is guarded too", []string{"compare", "testdata/guard/trillion.yaml"}, exitUsage,
			[]string{"~1.0 trillion requests estimated"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "out")
			start := time.Now()
			code, stdout, stderr := runCLI(append(tc.args, "--out", out)...)
			if code == exitUsage && strings.Contains(stderr, "unknown flag") {
				t.Fatal(stderr)
			}
			if elapsed := time.Since(start); elapsed > time.Second {
				t.Errorf("refused after %v, want within a second", elapsed)
			}
			if code != tc.code {
				t.Fatalf("exit %d, want %d; stderr:\n%s", code, tc.code, stderr)
			}
			for _, w := range tc.want {
				if !strings.Contains(stderr, w) {
					t.Errorf("stderr lacks %q:\n%s", w, stderr)
				}
			}
			if stdout != "" {
				t.Errorf("a refused run printed:\n%s", stdout)
			}
			if entries, _ := os.ReadDir(out); len(entries) > 0 {
				t.Errorf("a refused run wrote %d files into --out", len(entries))
			}
		})
	}
}

// An output that cannot be written fails before the simulation starts,
// with exit status 2 and a message naming the flag and the path.
func TestUnwritableOutputFailsFirst(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "a-file")
	if err := os.WriteFile(file, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"--out under a file", []string{"run", "--out", filepath.Join(file, "out")}, "--out " + filepath.Join(file, "out") + ": cannot create the directory"},
		{"--json in a missing directory", []string{"run", "--json", filepath.Join(dir, "missing", "r.json")}, "cannot write into " + filepath.Join(dir, "missing")},
		{"--json naming a directory", []string{"run", "--json", dir}, "--json " + dir + ": is a directory"},
		{"compare --out under a file", []string{"compare", "web-backend", "--out", filepath.Join(file, "out")}, "cannot create the directory"},
		{"learn --out under a file", []string{"learn", "units", "--out", filepath.Join(file, "out")}, "cannot create the directory"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			start := time.Now()
			code, _, stderr := runCLI(tc.args...)
			if code != exitUsage || !strings.Contains(stderr, tc.want) {
				t.Fatalf("exit %d, stderr %q; want %d and %q", code, stderr, exitUsage, tc.want)
			}
			// The default scenario takes most of a second to simulate;
			// failing first takes milliseconds.
			if elapsed := time.Since(start); elapsed > 300*time.Millisecond {
				t.Errorf("failed after %v: the simulation ran first", elapsed)
			}
		})
	}
}

// cost, which has no --out, is guarded like run.
func TestCostIsGuarded(t *testing.T) {
	code, stdout, stderr := runCLI("cost", "testdata/guard/trillion.yaml", "--fidelity", "request")
	if code != exitUsage || stdout != "" || !strings.Contains(stderr, "~1.0 trillion requests estimated") {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
}

// An existing --out directory keeps the files ddbsim did not write, and
// no temporary file is left beside the outputs.
func TestOutDirKeepsUnrelatedFiles(t *testing.T) {
	out := t.TempDir()
	mine := filepath.Join(out, "notes.txt")
	if err := os.WriteFile(mine, []byte("mine"), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, _, stderr := runCLI("run", "--duration", "1m", "--quiet", "--out", out); code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if data, err := os.ReadFile(mine); err != nil || string(data) != "mine" {
		t.Errorf("notes.txt after the run: %q, %v", data, err)
	}
	if _, err := os.Stat(filepath.Join(out, "result.json")); err != nil {
		t.Errorf("no result.json: %v", err)
	}
	noTemporaries(t, out)
}

// The guard counts what the kernel's request events do not: each
// request's retries up to max_attempts, the plots --out draws for each
// table, and the trace records a replay has in flight at once (a burst at
// one instant is all in flight, and its memory grows with it).
func TestResourceGuardCountsRetriesPlotsAndBursts(t *testing.T) {
	dir := t.TempDir()
	var many strings.Builder
	many.WriteString("version: 1\nname: many\nduration: 10s\ntables:\n")
	for i := range 3000 {
		// A partition each: 3,000 on-demand tables would have 8 each,
		// 36 MB of them, over the memory share below without --out.
		fmt.Fprintf(&many, "  - {name: t%d, partition_key: id, mode: provisioned, read_capacity: 1, write_capacity: 1}\n", i)
	}
	many.WriteString("workloads:\n  - {name: w, table: t0, rate: 10/s, mix: {get: 100%}, keys: {distribution: uniform, count: 10}}\n")
	manyPath := filepath.Join(dir, "many.yaml")
	var burst strings.Builder
	burst.WriteString("timestamp,key,op,size\n")
	for i := range 100_000 {
		fmt.Fprintf(&burst, "0,k%d,get,\n", i)
	}
	burstPath := filepath.Join(dir, "burst.csv")
	partsPath := filepath.Join(dir, "partitions.yaml")
	parts := "version: 1\nname: partitions\nduration: 1m\ntables:\n  - {name: t, partition_key: id, mode: on-demand, partitions: 100000, items: {count: 10, size: 1KB}}\n" +
		"workloads:\n  - {name: w, table: t, rate: 10/s, mix: {get: 100%}, keys: {distribution: uniform, count: 10}}\n"
	for path, data := range map[string]string{manyPath: many.String(), burstPath: burst.String(), partsPath: parts} {
		if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	defer func(f func() float64) { availableMemory = f }(availableMemory)
	availableMemory = func() float64 { return 40e6 } // a 20 MB share: 100,000 requests in flight take 34 MB
	for _, tc := range []struct {
		name string
		args []string
		want []string
	}{
		{"a thousand attempts a request", []string{"run", "testdata/guard/retries.yaml", "--max-events", "100M"},
			[]string{"~240 thousand requests estimated", "up to ~240 million of them retries", "Use a smaller max_attempts"}},
		{"plots of 3,000 tables", []string{"run", manyPath, "--max-events", "500M", "--out", filepath.Join(dir, "out")},
			[]string{"plots of 3.0 thousand tables to draw for --out", "Use fewer tables (or indexes and replicas), no --out"}},
		{"a table of 100,000 partitions", []string{"run", partsPath},
			[]string{"~100 thousand partitions at ~", "each with their series, 10 items", "Use fewer partitions (a table's partitions:"}},
		{"100,000 trace records at one instant", []string{"run", "--trace", burstPath},
			[]string{"~100 thousand trace records in flight at once", "Use a lower max_in_flight (--max-in-flight; records due beyond it wait), a slower --speed"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, _, stderr := runCLI(tc.args...)
			if code != exitUsage {
				t.Fatalf("exit %d, want %d; stderr:\n%s", code, exitUsage, stderr)
			}
			for _, w := range tc.want {
				if !strings.Contains(stderr, w) {
					t.Errorf("stderr lacks %q:\n%s", w, stderr)
				}
			}
		})
	}
	// With a client that holds 10,000 requests at most, the burst fits,
	// and the result says how many records waited.
	code, stdout, stderr := runCLI("run", "--trace", burstPath, "--max-in-flight", "10000", "--json", "-")
	if code != exitOK && code != exitFailed || !strings.Contains(stdout, `"trace_waits": [`) || !strings.Contains(stdout, `"records": 90000,`) {
		t.Errorf("--max-in-flight 10000: exit %d, result:\n%.600s\nstderr:\n%s", code, stdout, stderr)
	}
	// Without --out the 3,000 tables fit the same budget.
	if code, _, stderr := runCLI("run", manyPath, "--max-events", "500M", "--duration", "1s", "--quiet"); code != exitOK {
		t.Errorf("3,000 tables without --out: exit %d; stderr:\n%s", code, stderr)
	}
}
