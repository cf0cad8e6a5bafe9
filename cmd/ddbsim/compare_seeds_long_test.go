//go:build long

package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ddbsim/ddbsim/advise"
)

// compare --seeds 20 on web-backend over its whole 40 minutes, every
// request: auto scaling wins every seed (provisioned and reserved give up
// about 3% of requests, on-demand costs more), and the verdict says so.
// About a minute on two cores.
func TestCompareSeedsWebBackendWhole(t *testing.T) {
	path := filepath.Join(t.TempDir(), "cmp.json")
	code, stdout, stderr := runCLI("compare", "web-backend", "--seeds", "20", "--json", path)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var c advise.Comparison
	if err := json.Unmarshal(data, &c); err != nil {
		t.Fatal(err)
	}
	sum := 0
	for _, m := range c.Modes {
		sum += m.Wins
	}
	if sum != 20 || c.Winner != advise.ModeAutoscaling {
		t.Errorf("winner %q, wins summing to %d", c.Winner, sum)
	}
	if want := "autoscaling wins in 20 of 20 seeds; its monthly cost $"; !strings.HasPrefix(c.Verdict, want) || !strings.Contains(stdout, want) {
		t.Errorf("verdict %q, want it to start %q", c.Verdict, want)
	}
}
