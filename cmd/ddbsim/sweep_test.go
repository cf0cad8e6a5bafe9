package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ddbsim/ddbsim/advise/sweep"
)

// doneWhenSweep is 3 capacities x 2 auto scaling targets x 5 seeds of a
// built-in scenario, long enough to reach its spike.
const doneWhenSweep = `version: 1
scenario: web-backend
duration: 12m
seeds: 5
set:
  tables.sessions.autoscaling: {min: 50, max: 400}
vary:
  tables.sessions.write_capacity: [100, 150, 200]
  tables.sessions.autoscaling.target: [50%, 70%]
`

// A sweep runs every point with every seed on all cores and summarises
// each point with intervals; the same sweep run as 4 shards (by --shard,
// and by --shards with a Kubernetes and a Slurm index) and merged is the
// same files, byte for byte.
func TestSweepShardsMergeByteForByte(t *testing.T) {
	dir := t.TempDir()
	spec := filepath.Join(dir, "caps.yaml")
	os.WriteFile(spec, []byte(doneWhenSweep), 0o644)
	whole := filepath.Join(dir, "whole")
	code, stdout, stderr := runCLI("sweep", spec, "--fidelity", "aggregate", "--out", whole)
	if code != exitOK || stderr != "" {
		t.Fatalf("sweep: exit %d\n%s", code, stderr)
	}
	var doc sweep.Document
	data, _ := os.ReadFile(filepath.Join(whole, "sweep.json"))
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Runs) != 30 || len(doc.Points) != 6 {
		t.Fatalf("%d runs, %d points; want 30 and 6", len(doc.Runs), len(doc.Points))
	}
	spread := false
	for _, p := range doc.Points {
		if p.MonthlyUSD.N != 5 {
			t.Errorf("point %d: cost over %d seeds", p.Point, p.MonthlyUSD.N)
		}
		spread = spread || p.MonthlyUSD.Half > 0
	}
	if !spread {
		t.Error("no point's cost moved between seeds: the intervals show nothing")
	}
	if !strings.Contains(stdout, "6 points x 5 seeds = 30 runs") || !strings.Contains(stdout, " +/- $") ||
		!strings.Contains(stdout, "cheapest point meeting the thresholds in every seed: ") {
		t.Errorf("summary:\n%s", stdout)
	}

	shards := filepath.Join(dir, "shards")
	for i, env := range [][]string{{}, {"JOB_COMPLETION_INDEX", "1"}, {"SLURM_ARRAY_TASK_ID", "12", "SLURM_ARRAY_TASK_MIN", "10"}, {}} {
		args := []string{"sweep", spec, "--fidelity", "aggregate", "--out", shards, "--quiet"}
		if len(env) == 0 {
			args = append(args, "--shard", fmt.Sprintf("%d/4", i))
		} else {
			args = append(args, "--shards", "4")
			for j := 0; j < len(env); j += 2 {
				t.Setenv(env[j], env[j+1])
			}
		}
		if code, _, stderr := runCLI(args...); code != exitOK {
			t.Fatalf("shard %d: exit %d\n%s", i, code, stderr)
		}
		os.Unsetenv("JOB_COMPLETION_INDEX")
		os.Unsetenv("SLURM_ARRAY_TASK_ID")
	}
	merged := filepath.Join(dir, "merged")
	if code, _, stderr := runCLI("merge", shards, "--out", merged, "--quiet"); code != exitOK {
		t.Fatalf("merge: exit %d\n%s", code, stderr)
	}
	sameTree(t, whole, merged)

	// A shard missing, or a sweep file changed under the shards, is refused
	// and writes nothing.
	os.RemoveAll(filepath.Join(shards, "shard-3-of-4"))
	bad := filepath.Join(dir, "bad")
	if code, _, stderr := runCLI("merge", shards, "--out", bad); code != exitUsage || !strings.Contains(stderr, "shards [3] of 4 are missing") {
		t.Errorf("merge without shard 3: exit %d\n%s", code, stderr)
	}
	if _, err := os.Stat(bad); err == nil {
		t.Error("a refused merge made its --out")
	}
}

// sameTree fails unless a and b hold the same files with the same bytes.
func sameTree(t *testing.T, a, b string) {
	t.Helper()
	list := func(dir string) map[string]string {
		out := map[string]string{}
		entries, err := os.ReadDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			data, _ := os.ReadFile(filepath.Join(dir, e.Name()))
			out[e.Name()] = string(data)
		}
		return out
	}
	fa, fb := list(a), list(b)
	if len(fa) != len(fb) {
		t.Errorf("%s holds %d files, %s %d", a, len(fa), b, len(fb))
	}
	for name, data := range fa {
		if fb[name] != data {
			t.Errorf("%s differs", name)
		}
	}
}

// A sweep file's mistakes name file:line:col, suggest a near name, exit 2
// and write nothing.
func TestSweepFileMistakes(t *testing.T) {
	dir := t.TempDir()
	spec := filepath.Join(dir, "s.yaml")
	out := filepath.Join(dir, "out")
	for _, tt := range []struct{ spec, want string }{
		{strings.Replace(doneWhenSweep, "write_capacity: [", "wirte_capacity: [", 1),
			spec + `:8:3: in web-backend: unknown key "wirte_capacity" in table; did you mean "write_capacity"?`},
		{strings.Replace(doneWhenSweep, "scenario: web-backend", "scenario: web-backed", 1),
			spec + `:2:11: scenario "web-backed": no file ` + filepath.Join(dir, "web-backed") + `, and no built-in scenario of that name (ddbsim list shows them); did you mean "web-backend"?`},
	} {
		os.WriteFile(spec, []byte(tt.spec), 0o644)
		code, stdout, stderr := runCLI("sweep", spec, "--out", out)
		if code != exitUsage || stdout != "" || strings.TrimSpace(stderr) != tt.want {
			t.Errorf("exit %d\n got %q\nwant %q", code, strings.TrimSpace(stderr), tt.want)
		}
		if _, err := os.Stat(out); err == nil {
			t.Error("a refused sweep made its --out")
		}
	}
}
