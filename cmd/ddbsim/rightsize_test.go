package main

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/ddbsim/ddbsim/advise"
	"github.com/ddbsim/ddbsim/calc"
	"github.com/ddbsim/ddbsim/scenarios"
)

// The SLO search's scenario, run once (about 20 simulations) and shared by
// the tests below.
var (
	sloFile = "testdata/rightsize-steady.yaml"
	sloExpr = "throttled_ratio < 0.1%"
	sloArgs = []string{"compare", sloFile, "--slo", sloExpr, "--duration", "10m", "--modes", "on-demand,provisioned"}

	sloOnce   sync.Once
	sloCode   int
	sloStdout string
	sloStderr string
	sloJSON   []byte
)

func sloRun(t *testing.T) {
	t.Helper()
	sloOnce.Do(func() {
		dir, err := os.MkdirTemp("", "ddbsim-slo")
		if err != nil {
			t.Fatal(err)
		}
		defer os.RemoveAll(dir)
		path := filepath.Join(dir, "cmp.json")
		sloCode, sloStdout, sloStderr = runCLI(slices.Concat(sloArgs, []string{"--json", path})...)
		sloJSON, _ = os.ReadFile(path)
	})
	if sloCode != exitOK {
		t.Fatalf("exit %d: %s", sloCode, sloStderr)
	}
}

// The text: the two searched modes in the table, what they found, the
// probes and the break-even utilisation; and a bad --slo.
func TestCompareSLOGolden(t *testing.T) {
	t.Run("compare-slo-steady", func(t *testing.T) {
		sloRun(t)
		args := slices.Concat(sloArgs, []string{"--json", "cmp.json"})
		golden(t, "compare-slo-steady", "$ ddbsim "+strings.Join(args, " ")+"\n"+sloStdout+"--- stderr\n"+sloStderr)
	})
	for _, tt := range []struct{ name, slo string }{
		{"compare-slo-bad-metric", "thruttled_ratio < 1%"},
		{"compare-slo-bad-expr", "p99_ms about 50"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			args := []string{"compare", "steady", "--slo", tt.slo}
			code, stdout, stderr := runCLI(args...)
			if code != exitUsage || stdout != "" {
				t.Fatalf("exit %d, want %d; stdout %q", code, exitUsage, stdout)
			}
			golden(t, tt.name, "$ ddbsim "+strings.Join(args, " ")+"\n"+stdout+"--- stderr\n"+stderr)
		})
	}
}

// The JSON: the searched modes compete with the others, and the search's
// findings and the break-even utilisation have their keys.
func TestCompareSLOJSON(t *testing.T) {
	sloRun(t)
	var raw struct {
		Modes     []map[string]any           `json:"modes"`
		Winner    string                     `json:"winner"`
		BreakEven map[string]float64         `json:"break_even_utilization"`
		Right     map[string]json.RawMessage `json:"right_sized"`
		Tuned     map[string]json.RawMessage `json:"autoscaling_tuned"`
	}
	if err := json.Unmarshal(sloJSON, &raw); err != nil {
		t.Fatalf("%v\n%s", err, sloJSON)
	}
	var modes []string
	for _, m := range raw.Modes {
		modes = append(modes, m["mode"].(string))
	}
	if strings.Join(modes, ",") != "on-demand,provisioned,right-sized,autoscaling-tuned" {
		t.Fatalf("modes %v", modes)
	}
	if raw.Winner != advise.ModeRightSized {
		t.Errorf("winner %q, want right-sized (flat traffic)", raw.Winner)
	}
	for _, k := range []string{"reads", "writes"} {
		if v, ok := raw.BreakEven[k]; !ok || math.Abs(v-0.2889) > 0.0001 {
			t.Errorf("break_even_utilization.%s = %v", k, v)
		}
	}
	for _, k := range []string{"found", "tables", "monthly_usd", "probes", "read_factor", "write_factor"} {
		if _, ok := raw.Right[k]; !ok {
			t.Errorf("right_sized has no %q", k)
		}
	}
	for _, k := range []string{"found", "target", "tables", "monthly_usd", "probes", "tried"} {
		if _, ok := raw.Tuned[k]; !ok {
			t.Errorf("autoscaling_tuned has no %q", k)
		}
	}
}

// REFERENCE's prices: $0.00065 a WCU-hour against $0.625 a million write
// units (3,600 writes an hour at 100%: $0.00225), and $0.00013 a RCU-hour
// against $0.125 a million read units: provisioned is cheaper above 28.9%
// for both.
func TestBreakEvenReference(t *testing.T) {
	sc, err := scenarios.Load("steady")
	if err != nil {
		t.Fatal(err)
	}
	b, err := calc.BreakEvenUtilization(sc)
	if err != nil {
		t.Fatal(err)
	}
	for name, v := range map[string]float64{"reads": b.Reads, "writes": b.Writes} {
		if math.Abs(v-0.00065/0.00225) > 1e-9 || math.Round(v*1000) != 289 {
			t.Errorf("%s break-even %v, want 28.9%%", name, v)
		}
	}
	var out strings.Builder
	advise.WriteSearch(&out, &advise.Comparison{BreakEven: b})
	if !strings.Contains(out.String(), "provisioned is cheaper above 28.9% average utilisation") {
		t.Errorf("%q", out.String())
	}
}

// A --slo replaces the scenario's thresholds: slo-fails fails its own
// (p99 < 50 ms) when provisioned, but passes a lax SLO; and an SLO no
// capacity can meet finds no right-sized capacity.
func TestCompareSLOReplacesThresholds(t *testing.T) {
	code, stdout, stderr := runCLI("compare", "testdata/slo-fails.yaml", "--modes", "provisioned", "--slo", "retries >= 0", "--duration", "30s")
	if code != exitOK || !strings.Contains(stdout, "winner: ") {
		t.Fatalf("exit %d\n%s%s", code, stdout, stderr)
	}
	code, stdout, _ = runCLI("compare", "testdata/slo-fails.yaml", "--modes", "provisioned", "--slo", "p99_ms < 0.1", "--duration", "30s")
	if code != exitFailed || !strings.Contains(stdout, "right-sized: none") {
		t.Fatalf("exit %d\n%s", code, stdout)
	}
}
