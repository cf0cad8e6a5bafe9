package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ddbsim/ddbsim/advise"
	"github.com/ddbsim/ddbsim/reports"
)

// compare --seeds 20 on web-backend states how often each mode wins: the
// verdict names every mode's count, the counts (and the seeds no mode
// won) sum to 20, and they are the JSON's. Two minutes of traffic, whole
// seconds at a time (the aggregate driver), keep the 80 runs to seconds.
func TestCompareSeedsWebBackend(t *testing.T) {
	c, stdout := compareJSON(t, "web-backend", "--seeds", "20", "--duration", "2m", "--fidelity", "aggregate")
	if c.Seeds == nil || c.Seeds.Count != 20 || len(c.PerSeed) != 20 {
		t.Fatalf("seeds %+v, %d per seed", c.Seeds, len(c.PerSeed))
	}
	verdict := c.Verdict
	if !strings.Contains(stdout, "verdict: "+verdict+"\n") {
		t.Fatalf("the table's verdict is not the JSON's %q:\n%s", verdict, stdout)
	}
	// "W wins in K of 20 seeds; its monthly cost ...; M wins K, ..., A and
	// B none; ..." : the counts are the third clause.
	clauses := strings.Split(verdict, "; ")
	if len(clauses) < 3 {
		t.Fatalf("verdict %q", verdict)
	}
	sum := 0
	for _, s := range c.PerSeed {
		if s.Winner == "" {
			sum++
		}
	}
	for _, m := range c.Modes {
		if m.AcrossSeeds == nil {
			t.Fatalf("%s has no wins", m.Mode)
		}
		sum += m.Wins
		won := 0
		for _, s := range c.PerSeed {
			if s.Winner == m.Mode {
				won++
			}
		}
		var want, in string
		switch {
		case m.Mode == c.Winner:
			want, in = fmt.Sprintf("%s wins in %d of 20 seeds", m.Mode, m.Wins), clauses[0]
		case m.Wins > 0:
			want, in = fmt.Sprintf("%s wins %d", m.Mode, m.Wins), clauses[2]
		default:
			want, in = m.Mode, clauses[2][:strings.Index(clauses[2]+" none", " none")]
		}
		if won != m.Wins || !strings.Contains(in, want) {
			t.Errorf("%s: %d wins, %d in per_seed; verdict %q lacks %q", m.Mode, m.Wins, won, verdict, want)
		}
		if !strings.Contains(stdout, m.MonthlyUSDCI.Format(reports.USD)) {
			t.Errorf("the table lacks %s's cost %s:\n%s", m.Mode, m.MonthlyUSDCI.Format(reports.USD), stdout)
		}
	}
	if sum != 20 {
		t.Errorf("wins sum to %d, want 20: %s", sum, verdict)
	}
}

// --seeds outside 1..1000 is a usage error, before anything runs.
func TestCompareSeedsBounds(t *testing.T) {
	for _, n := range []string{"0", "-1", "1001"} {
		code, stdout, stderr := runCLI("compare", "steady", "--seeds", n)
		if code != exitUsage || stdout != "" || !strings.Contains(stderr, "--seeds: "+n+" is not between 1 and 1000") {
			t.Errorf("--seeds %s: exit %d, stdout %q, stderr %q", n, code, stdout, stderr)
		}
	}
}

// Right-sizing with --seeds 3 finds a capacity that meets the SLO in every
// seed: the scenario provisioned at it, run again by ddbsim run under each
// of the three seeds (with no burst credit banked, as the search probes),
// passes its thresholds, and so does the tuned auto scaling.
func TestCompareSeedsRightSized(t *testing.T) {
	dir := t.TempDir()
	c, stdout := compareJSON(t, sloFile, "--slo", sloExpr, "--duration", "10m", "--modes", "on-demand", "--seeds", "3")
	rs, tuned := c.RightSized, c.Tuned
	if rs == nil || !rs.Found || len(rs.Tables) != 1 || rs.Seeds != 3 || tuned == nil || !tuned.Found || len(tuned.Tables) != 1 {
		t.Fatalf("right_sized %+v, autoscaling_tuned %+v", rs, tuned)
	}
	if want := fmt.Sprintf("%d probes x 3 seeds = %d simulations", rs.Probes, 3*rs.Probes); !strings.Contains(stdout, want) {
		t.Errorf("stdout lacks %q:\n%s", want, stdout)
	}
	scenario := func(name, capacity string) string {
		file := filepath.Join(dir, name+".yaml")
		yaml := fmt.Sprintf(`version: 1
name: %s
seed: 7
duration: 10m
service: {burst_starts_full: false}
tables:
  - name: carts
    partition_key: id
    mode: provisioned
%s    items: {count: 2k, size: 1KB}
workloads:
  - name: app
    table: carts
    rate: 20/s
    arrival: poisson
    mix: {get: 50%%, put: 50%%}
    keys: {count: 2k}
    item_size: 1KB
thresholds:
  throttled_ratio: "< 0.1%%"
`, name, capacity)
		if err := os.WriteFile(file, []byte(yaml), 0o644); err != nil {
			t.Fatal(err)
		}
		return file
	}
	tb, at := rs.Tables[0], tuned.Tables[0]
	files := map[string]string{
		"right-sized": scenario("right-sized", fmt.Sprintf("    read_capacity: %d\n    write_capacity: %d\n", tb.ReadCapacity, tb.WriteCapacity)),
		"autoscaling-tuned": scenario("tuned", fmt.Sprintf("    read_capacity: %d\n    write_capacity: %d\n    autoscaling: {target: %g%%, min: %d, max: %d}\n",
			at.Min, at.Min, tuned.Target*100, at.Min, at.Max)),
	}
	// The scenario's seed is 7: the search ran seeds 7, 8 and 9.
	for name, file := range files {
		for seed := 7; seed <= 9; seed++ {
			code, _, stderr := runCLI("run", file, "--seed", fmt.Sprint(seed), "--json", "-", "--quiet")
			if code != exitOK {
				t.Errorf("%s (%s) under seed %d: exit %d, want 0 (the SLO met): %s", name, file, seed, code, stderr)
			}
		}
	}
}

// compareJSON runs ddbsim compare with args and --json FILE, which it
// decodes, and returns with the text printed; any exit but 0 fails.
func compareJSON(t *testing.T, args ...string) (*advise.Comparison, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "cmp.json")
	code, stdout, stderr := runCLI(append(append([]string{"compare"}, args...), "--json", path)...)
	if code != exitOK {
		t.Fatalf("compare %v: exit %d: %s", args, code, stderr)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var c advise.Comparison
	if err := json.Unmarshal(data, &c); err != nil {
		t.Fatalf("%v: %s", err, data)
	}
	return &c, stdout
}
