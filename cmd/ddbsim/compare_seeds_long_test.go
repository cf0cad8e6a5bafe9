//go:build long

package main

import (
	"strings"
	"testing"

	"github.com/ddbsim/ddbsim/advise"
)

// compare --seeds 20 on web-backend over its whole 40 minutes, every
// request: auto scaling wins every seed (provisioned and reserved give up
// about 3% of requests, on-demand costs more), and the verdict says so.
// About a minute on two cores.
func TestCompareSeedsWebBackendWhole(t *testing.T) {
	c, stdout := compareJSON(t, "web-backend", "--seeds", "20")
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
