package main

import (
	"encoding/json"
	"math"
	"path/filepath"
	"testing"
)

// The fidelity scenarios in testdata/fidelity each pin a sentence of
// REFERENCE.md end to end: the scenario sets up what the sentence
// describes, and its thresholds state the documented outcome, so the run
// passes (exit 0) exactly when the model reproduces it. Each file's
// comment quotes the sentence and works out the numbers.
func TestFidelityScenarios(t *testing.T) {
	files, err := filepath.Glob("testdata/fidelity/*.yaml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no fidelity scenarios: %v", err)
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			t.Parallel()
			code, stdout, stderr := runCLI("run", f)
			if code != exitOK {
				t.Errorf("exit %d\n%s%s", code, stdout, stderr)
			}
		})
	}
}

// The thresholds of a fidelity scenario are sharp enough to fail: stopped
// ten seconds before the burst bank runs dry, burst-runs-out sees none of
// the throttles it expects; run ten seconds past it, burst-lasts sees
// some.
func TestFidelityScenariosCanFail(t *testing.T) {
	for _, tt := range []struct{ file, duration string }{
		{"testdata/fidelity/burst-runs-out.yaml", "19m50s"},
		{"testdata/fidelity/burst-lasts.yaml", "20m10s"},
	} {
		if code, stdout, _ := runCLI("run", tt.file, "--duration", tt.duration); code != exitFailed {
			t.Errorf("%s for %s: exit %d, want 1\n%s", tt.file, tt.duration, code, stdout)
		}
	}
}

// REFERENCE: global — "5 + 10 + 5 writes/s in three regions = 20 rWCU in
// each region, 60 in all", billed as replicated writes at the
// single-region price: 18,000 writes of 1 KB in five minutes are 6,000
// replicated write units in each replica, 18,000 at $0.625 per million.
func TestReplicatedWritesBilling(t *testing.T) {
	code, stdout, stderr := runCLI("run", "testdata/fidelity/replicated-writes.yaml", "--json", "-")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var r struct {
		Tables []struct {
			Name        string  `json:"name"`
			Region      string  `json:"region"`
			ConsumedWCU float64 `json:"consumed_wcu"`
		} `json:"tables"`
		Cost struct {
			Breakdown map[string]float64 `json:"breakdown"`
		} `json:"cost"`
	}
	if err := json.Unmarshal([]byte(stdout), &r); err != nil {
		t.Fatal(err)
	}
	if len(r.Tables) != 3 {
		t.Fatalf("%d tables, want the three replicas", len(r.Tables))
	}
	var total float64
	for _, tb := range r.Tables {
		total += tb.ConsumedWCU
		if math.Abs(tb.ConsumedWCU-6000) > 6 {
			t.Errorf("%s (%s) consumed %v write units, want 6,000 (20 a second)", tb.Name, tb.Region, tb.ConsumedWCU)
		}
	}
	if got, want := r.Cost.Breakdown["replicated_write_requests"], total*0.625e-6; math.Abs(got-want) > 1e-6 {
		t.Errorf("replicated_write_requests $%v, want $%v", got, want)
	}
	if got := r.Cost.Breakdown["write_requests"]; got != 0 {
		t.Errorf("write_requests $%v: a global table's writes are all replicated writes", got)
	}
}
