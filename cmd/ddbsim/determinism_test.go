package main

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
)

// randomScenarioFile writes a random scenario to dir and returns its path
// and whether the aggregate driver models it: 1 or 2 tables, provisioned
// (1 to 2,000 RCU and WCU, sometimes auto scaled) or on-demand, with
// items up to 400 KB; 1 or 2 open-loop workloads with a constant rate or
// stages, a mix of get, put, update, delete and query (and, unless
// aggregate, scan, batch_get and batch_write), uniform, zipf or hotspot
// keys, fixed or lognormal item sizes, either consistency; a random retry
// policy. One to two minutes of modest traffic.
func randomScenarioFile(t *testing.T, dir string, seed uint64, aggregate bool) string {
	t.Helper()
	r := rand.New(rand.NewPCG(seed, 0x64657465726d))
	n := func(lo, hi int) int { return lo + r.IntN(hi-lo+1) }
	var b strings.Builder
	fmt.Fprintf(&b, "version: 1\nname: random-%d\nduration: %ds\n", seed, n(60, 120))
	b.WriteString("client: {retry: " + []string{"sdk-v2", "legacy", "none", "{max_attempts: 4, base: 25ms, max_backoff: 2s}"}[r.IntN(4)] + "}\n")
	tables := make([]string, n(1, 2))
	b.WriteString("tables:\n")
	for i := range tables {
		tables[i] = fmt.Sprintf("t%d", i)
		fmt.Fprintf(&b, "  - name: %s\n    partition_key: id\n", tables[i])
		if r.IntN(3) > 0 {
			fmt.Fprintf(&b, "    mode: provisioned\n    read_capacity: %d\n    write_capacity: %d\n", n(1, 2000), n(1, 2000))
			if r.IntN(3) == 0 {
				fmt.Fprintf(&b, "    autoscaling: {target: %d%%, min: %d, max: %d}\n", n(20, 90), n(1, 50), n(100, 4000))
			}
		} else {
			b.WriteString("    mode: on-demand\n")
		}
		fmt.Fprintf(&b, "    items: {count: %d, size: %dB}\n", n(1, 20000), n(64, 8<<10))
	}
	ops := []string{"get", "put", "update", "delete", "query", "scan", "batch_get", "batch_write"}
	if aggregate {
		ops = ops[:5]
	}
	b.WriteString("workloads:\n")
	for i := range n(1, 2) {
		fmt.Fprintf(&b, "  - name: w%d\n    table: %s\n    rate: %d/s\n", i, tables[r.IntN(len(tables))], n(1, 400))
		if r.IntN(3) == 0 {
			b.WriteString("    arrival: constant\n")
		}
		if r.IntN(2) == 0 {
			fmt.Fprintf(&b, "    stages: [{for: %ds, rate: %d/s}, {for: %ds, rate: %d/s}]\n", n(5, 40), n(1, 800), n(5, 40), n(1, 400))
		}
		mix := slices.Clone(ops)
		r.Shuffle(len(mix), func(a, c int) { mix[a], mix[c] = mix[c], mix[a] })
		mix = mix[:n(1, 3)]
		var parts []string
		left := 100
		for j, op := range mix {
			p := left
			if j < len(mix)-1 {
				p = n(1, left-(len(mix)-1-j))
			}
			left -= p
			parts = append(parts, fmt.Sprintf("%s: %d%%", op, p))
		}
		fmt.Fprintf(&b, "    mix: {%s}\n", strings.Join(parts, ", "))
		if slices.Contains(mix, "batch_get") || slices.Contains(mix, "batch_write") {
			fmt.Fprintf(&b, "    batch_size: %d\n", n(1, 25))
		}
		if slices.Contains(mix, "scan") {
			fmt.Fprintf(&b, "    query_limit: %d\n", n(1, 20))
		}
		keys := []string{"uniform", "zipf, exponent: 1.1", "hotspot, hot_keys: 10%, hot_ops: 90%"}[r.IntN(3)]
		fmt.Fprintf(&b, "    keys: {distribution: %s, count: %d}\n", keys, n(1, 20000))
		if r.IntN(2) == 0 {
			fmt.Fprintf(&b, "    item_size: %dB\n", n(1, 8<<10))
		} else {
			b.WriteString("    item_size: {distribution: lognormal, median: 1KB, p99: 6KB}\n")
		}
		if r.IntN(2) == 0 {
			b.WriteString("    consistency: strong\n")
		}
	}
	path := filepath.Join(dir, fmt.Sprintf("random-%d.yaml", seed))
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// atProcs runs ddbsim with args at GOMAXPROCS procs, and restores it.
func atProcs(procs int, args ...string) (code int, stdout, stderr string) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
	return runCLI(args...)
}

// sameAtOneAndTwoProcs runs ddbsim with args at GOMAXPROCS 1 and 2 and
// fails unless both exit with one of codes and write the same valid JSON.
func sameAtOneAndTwoProcs(t *testing.T, file string, codes []int, args ...string) {
	t.Helper()
	c1, out1, err1 := atProcs(1, args...)
	c2, out2, err2 := atProcs(2, args...)
	src, _ := os.ReadFile(file)
	switch {
	case !slices.Contains(codes, c1) || c1 != c2:
		t.Fatalf("ddbsim %s: exit %d at 1 proc, %d at 2\n%s\n%s\n%s", strings.Join(args, " "), c1, c2, err1, err2, src)
	case !json.Valid([]byte(out1)) || len(out1) < 100:
		t.Fatalf("ddbsim %s: not a result: %q\n%s", strings.Join(args, " "), out1, src)
	case out1 != out2:
		t.Fatalf("ddbsim %s: the JSON differs between GOMAXPROCS 1 and 2\n%s", strings.Join(args, " "), src)
	}
}

// DESIGN: "one seed in, byte-identical JSON out, on any machine and at
// any GOMAXPROCS". Over random scenarios: `ddbsim run --json -` writes
// the same bytes at GOMAXPROCS 1 and 2, with the per-request driver and,
// for scenarios it models, the aggregate one. TestDeterminism checks the
// default scenario.
func TestRunDeterministicAcrossGOMAXPROCS(t *testing.T) {
	dir := t.TempDir()
	seeds := 20
	if testing.Short() {
		seeds = 6
	}
	for seed := range uint64(seeds) {
		aggregate := seed%3 == 2
		file := randomScenarioFile(t, dir, seed, aggregate)
		args := []string{"run", file, "--seed", fmt.Sprint(seed + 1), "--json", "-"}
		if aggregate {
			args = append(args, "--fidelity", "aggregate")
		}
		sameAtOneAndTwoProcs(t, file, []int{exitOK}, args...)
	}
}

// `ddbsim compare` runs the capacity modes at once on up to GOMAXPROCS
// goroutines (runAll); each run is deterministic and independent,
// so its JSON, over random scenarios, is the same at GOMAXPROCS 1 (one
// mode after another) and 2 (two at once).
func TestCompareDeterministicAcrossGOMAXPROCS(t *testing.T) {
	dir := t.TempDir()
	seeds := 8
	if testing.Short() {
		seeds = 3
	}
	for seed := range uint64(seeds) {
		file := randomScenarioFile(t, dir, 100+seed, seed%2 == 1)
		// Without thresholds the cheapest mode wins: exit 0.
		sameAtOneAndTwoProcs(t, file, []int{exitOK}, "compare", file, "--seed", fmt.Sprint(seed+1), "--json", "-")
	}
}
