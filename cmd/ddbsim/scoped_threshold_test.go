package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A threshold scoped to one workload fails the run with exit 1 like any
// other, while the run-wide one on the same metric passes: eu-readers
// hammers one key and throttles, us-readers spreads over many and does
// not.
func TestScopedThresholdFailsTheRun(t *testing.T) {
	scenario := filepath.Join(t.TempDir(), "regions.yaml")
	if err := os.WriteFile(scenario, []byte(`version: 1
name: regions
duration: 20s
tables:
  - name: orders
    partition_key: id
    mode: on-demand
    items: {count: 100k, size: 1KB}
workloads:
  - {name: us-readers, table: orders, rate: 1000/s, mix: {get: 100%}, keys: {count: 100k}}
  - {name: eu-readers, table: orders, rate: 8000/s, mix: {get: 99%, put: 1%}, keys: {count: 1}}
thresholds:
  throttled_ratio: "< 90%"
  throttled_ratio{workload:us-readers}: "< 1%"
  throttled_ratio{workload:eu-readers}: "< 1%"
`), 0o644); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := runCLI("run", scenario)
	if code != exitFailed {
		t.Fatalf("exit %d, want %d (a scoped threshold failed); stderr:\n%s", code, exitFailed, stderr)
	}
	for _, want := range []string{"eu-readers", "us-readers"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("the summary does not name workload %s:\n%s", want, stdout)
		}
	}
	var failed []string
	for _, line := range strings.Split(stdout, "\n") {
		if strings.Contains(line, "throttled_ratio") && strings.Contains(line, "FAIL") {
			failed = append(failed, strings.TrimSpace(line))
		}
	}
	if len(failed) != 1 || !strings.Contains(failed[0], "{workload:eu-readers}") {
		t.Errorf("failed thresholds %q, want only throttled_ratio{workload:eu-readers}\n%s", failed, stdout)
	}
}
