package ddbsim

import (
	"errors"
	"math"
	"testing"

	"github.com/ddbsim/ddbsim/scenarios"
	"github.com/ddbsim/ddbsim/workload/fluid"
)

// estimateRequests integrates each open loop's rate: 100/s for a minute,
// then a ramp to 300/s over a minute (200/s on average), then 300/s for a
// minute: 36,000.
func TestEstimateRequests(t *testing.T) {
	sc, err := scenarios.Parse("est.yaml", []byte(`version: 1
name: est
duration: 3m
tables:
  - {name: t, partition_key: id, mode: on-demand}
workloads:
  - name: w
    table: t
    rate: 100/s
    stages: [{for: 1m, rate: 100/s}, {for: 1m, rate: 300/s}]
    keys: {count: 10}
`))
	if err != nil {
		t.Fatal(err)
	}
	n, err := estimateRequests(sc)
	if err != nil || math.Abs(n-36000) > 1e-6 {
		t.Errorf("estimateRequests = %v, %v; want 36,000", n, err)
	}
}

// Built with the aggregate driver, a simulation has fluid sources, and refuses what it
// does not model with fluid.ErrUnsupported and the workload's place.
func TestBuildAggregate(t *testing.T) {
	sc, err := scenarios.Load("steady")
	if err != nil {
		t.Fatal(err)
	}
	s, err := buildWith(sc, 1, &tally{}, buildOptions{Fidelity: FidelityAggregate})
	if err != nil {
		t.Fatal(err)
	}
	if s.Fluid == nil || len(s.Sources) != 0 || len(s.Fluid.Sources()) != len(sc.Workloads) {
		t.Fatalf("fluid %v, %d per-request sources", s.Fluid, len(s.Sources))
	}
	if _, err := buildWith(sc, 1, &tally{}, buildOptions{Fidelity: "fast"}); err == nil {
		t.Error("an unknown fidelity builds")
	}
	dax, err := scenarios.Parse("dax-query.yaml", []byte(`version: 1
name: dax-query
duration: 1m
tables:
  - name: t
    partition_key: id
    sort_key: at
    mode: on-demand
    items: {count: 1k, size: 1KB, per_key: 10}
    dax: {name: c, nodes: 1, node_type: dax.r5.large}
workloads:
  - {name: w, table: t, rate: 100/s, mix: {query: 100%}, keys: {count: 100}}
`))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := buildWith(dax, 1, &tally{}, buildOptions{Fidelity: FidelityAggregate}); !errors.Is(err, fluid.ErrUnsupported) {
		t.Errorf("queries through DAX under the aggregate driver: %v", err)
	}
}
