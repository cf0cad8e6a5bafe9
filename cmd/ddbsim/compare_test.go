package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/ddbsim/ddbsim/reports"
	"github.com/ddbsim/ddbsim/scenarios"
)

// compare's output is pinned by golden files: a winner (exit 0), no mode
// meeting the thresholds (exit 1), and an unknown mode (exit 2).
func TestCompareGolden(t *testing.T) {
	tests := []struct {
		name string
		args []string
		code int
	}{
		{"compare-web-backend", []string{"compare", "web-backend", "--duration", "20m"}, exitOK},
		{"compare-no-winner", []string{"compare", "testdata/slo-fails.yaml", "--modes", "provisioned,autoscaling"}, exitFailed},
		{"compare-unknown-mode", []string{"compare", "steady", "--modes", "on-demand,reserved"}, exitUsage},
		{"compare-no-scenario", []string{"compare"}, exitUsage},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := ddbsim(tt.args...)
			if code != tt.code {
				t.Errorf("exit code %d, want %d\nstderr: %s", code, tt.code, stderr)
			}
			golden(t, tt.name, "$ ddbsim "+strings.Join(tt.args, " ")+"\n"+stdout+"--- stderr\n"+stderr)
		})
	}
}

// An unknown mode is a usage error that names the valid modes, before
// anything runs.
func TestCompareUnknownMode(t *testing.T) {
	code, stdout, stderr := ddbsim("compare", "steady", "--modes", "spot")
	if code != exitUsage || stdout != "" {
		t.Fatalf("exit %d, stdout %q", code, stdout)
	}
	for _, m := range compareModes {
		if !strings.Contains(stderr, m) {
			t.Errorf("stderr does not name %s: %q", m, stderr)
		}
	}
}

// The acceptance: flat traffic near a provisioned table's capacity
// is cheapest provisioned; rare short bursts on a quiet table are cheapest
// on demand. --json - prints the comparison alone, with the five named
// keys in every mode and the winner.
func TestCompareWinners(t *testing.T) {
	for _, tt := range []struct{ file, winner string }{
		{"testdata/compare-steady.yaml", "provisioned"},
		{"testdata/compare-spiky.yaml", "on-demand"},
	} {
		t.Run(tt.winner, func(t *testing.T) {
			code, stdout, stderr := ddbsim("compare", tt.file, "--json", "-")
			if code != exitOK {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			var raw struct {
				Modes  []map[string]any `json:"modes"`
				Winner *string          `json:"winner"`
			}
			if err := json.Unmarshal([]byte(stdout), &raw); err != nil {
				t.Fatalf("not JSON: %v\n%s", err, stdout)
			}
			if raw.Winner == nil || *raw.Winner != tt.winner {
				t.Fatalf("winner %v, want %s\n%s", raw.Winner, tt.winner, stdout)
			}
			var modes []string
			cost := map[string]float64{}
			for _, m := range raw.Modes {
				for _, k := range []string{"mode", "monthly_usd", "throttled_ratio", "p99_ms", "retries"} {
					if _, ok := m[k]; !ok {
						t.Errorf("mode %v has no %q", m["mode"], k)
					}
				}
				name, _ := m["mode"].(string)
				modes = append(modes, name)
				cost[name], _ = m["monthly_usd"].(float64)
			}
			if !slices.Equal(modes, compareModes) {
				t.Fatalf("modes %v, want %v", modes, compareModes)
			}
			for m, c := range cost {
				if m != tt.winner && c <= cost[tt.winner] {
					t.Errorf("%s costs $%.2f, not more than the winner's $%.2f", m, c, cost[tt.winner])
				}
			}
		})
	}
}

// --json FILE writes the same JSON and the table still goes to standard
// output.
func TestCompareJSONFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "cmp.json")
	code, stdout, stderr := ddbsim("compare", "testdata/slo-fails.yaml", "--modes", "on-demand,provisioned", "--json", path)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(stdout, "winner: on-demand (cheapest that meets the thresholds)") {
		t.Fatalf("stdout:\n%s", stdout)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var c comparison
	if err := json.Unmarshal(data, &c); err != nil || c.Winner != "on-demand" || len(c.Modes) != 2 {
		t.Fatalf("%v: %s", err, data)
	}
}

// withMode changes a copy: the loaded scenario keeps its tables. An
// on-demand table is provisioned at the on-demand run's peaks, rounded up,
// and auto scaled between a quarter and four times that.
func TestCompareWithMode(t *testing.T) {
	sc, err := scenarios.Load("testdata/compare-spiky.yaml")
	if err != nil {
		t.Fatal(err)
	}
	od := &reports.Result{Tables: []reports.TableResult{{PeakRCUPerS: 10.5, PeakWCUPerS: 0}}}
	p := withMode(sc, modeAutoscaling, od)
	if sc.Tables[0].Mode != "on-demand" || sc.Tables[0].AutoScaling != nil {
		t.Fatalf("the loaded scenario changed: %+v", sc.Tables[0])
	}
	got := p.Tables[0]
	if got.Mode != "provisioned" || got.ReadCapacity != 11 || got.WriteCapacity != 1 {
		t.Fatalf("provisioned %s %d/%d, want provisioned 11/1", got.Mode, got.ReadCapacity, got.WriteCapacity)
	}
	if a := got.AutoScaling; a == nil || a.Target != 0.7 || a.Min != 1 || a.Max != 44 {
		t.Fatalf("autoscaling %+v, want 70%% 1..44", a)
	}
	web, err := scenarios.Load("web-backend")
	if err != nil {
		t.Fatal(err)
	}
	o := withMode(web, modeOnDemand, nil)
	if o.Tables[0].Mode != "on-demand" || o.Tables[0].ReadCapacity != 0 || web.Tables[0].Mode != "provisioned" {
		t.Fatalf("on-demand copy %+v, original %+v", o.Tables[0], web.Tables[0])
	}
	if b := withMode(web, modeAutoscaling, nil).Tables[0].AutoScaling; b == nil || b.Min != 25 || b.Max != 1600 {
		t.Fatalf("autoscaling %+v, want 25..1600", b)
	}
}
