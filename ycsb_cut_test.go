package ddbsim

import (
	"strings"
	"testing"
	"time"

	"github.com/ddbsim/ddbsim/scenarios"
)

// A YCSB operationcount the run does not reach is said in the result
// (cut_short), not extrapolated silently: `ddbsim run --ycsb workloada`
// with operationcount=3000000 and no target ran about 197k operations in
// its ten minutes. Both drivers count the operations.
func TestYCSBOperationCountCutShort(t *testing.T) {
	for _, tc := range []struct {
		name     string
		props    map[string]string
		duration time.Duration
		fidelity Fidelity
		cut      bool
		reason   string
	}{
		{"no target, cut at its duration", map[string]string{"operationcount": "3000000"}, 20 * time.Second, FidelityRequest, true, "operationcount without a target"},
		{"no target, aggregate driver", map[string]string{"operationcount": "3000000"}, 20 * time.Second, FidelityAggregate, true, "operationcount without a target"},
		{"no target, finished", map[string]string{"operationcount": "1000"}, 20 * time.Second, FidelityRequest, false, ""},
		{"target, duration too short", map[string]string{"operationcount": "3000", "target": "100"}, 10 * time.Second, FidelityRequest, true, "the run ended at 10s"},
		{"target, its own duration", map[string]string{"operationcount": "3000", "target": "100"}, 0, FidelityRequest, false, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sc, err := scenarios.YCSBScenario("workloada", tc.props, tc.duration, nil)
			if err != nil {
				t.Fatal(err)
			}
			s, err := Build(sc, Options{Seed: 1, Fidelity: tc.fidelity})
			if err != nil {
				t.Fatal(err)
			}
			res, err := s.Run()
			if err != nil {
				t.Fatal(err)
			}
			if !tc.cut {
				if len(res.CutShort) != 0 {
					t.Fatalf("cut short %+v; want none", res.CutShort)
				}
				return
			}
			if len(res.CutShort) != 1 {
				t.Fatalf("cut short %+v; want the workload", res.CutShort)
			}
			c := res.CutShort[0]
			if c.Operations != sc.Workloads[0].Requests || c.Ran <= 0 || c.Ran >= c.Operations || !strings.Contains(c.Reason, tc.reason) {
				t.Errorf("cut short %+v; want %d operations asked, fewer run, reason %q", c, sc.Workloads[0].Requests, tc.reason)
			}
		})
	}
}
