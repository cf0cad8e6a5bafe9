package main

import (
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
			code, stdout, stderr := ddbsim("run", f)
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
		if code, stdout, _ := ddbsim("run", tt.file, "--duration", tt.duration); code != exitFailed {
			t.Errorf("%s for %s: exit %d, want 1\n%s", tt.file, tt.duration, code, stdout)
		}
	}
}
