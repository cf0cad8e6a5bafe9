package ddbsim

import (
	"math"
	"testing"

	"github.com/ddbsim/ddbsim/scenarios"
)

// gsiBackPressure is a table with room for its writes whose index has a
// fifth of what they need: 500 updates a second, each one index write of
// 1 KB, against the index's 100 WCU (burst off, so that four writes in
// five throttle from the first second).
const gsiBackPressure = `version: 1
name: gsi-back-pressure
duration: 2m
tables:
  - name: orders
    partition_key: id
    mode: provisioned
    read_capacity: 10
    write_capacity: 2000
    items: {count: 10k, size: 1KB}
    indexes:
      - name: by-status
        partition_key: status
        projection: all
        keys: {count: 1000}
        key_changes: 0%
        read_capacity: 10
        write_capacity: 100
workloads:
  - {name: w, table: orders, rate: 500/s, arrival: constant, mix: {update: 100%}, keys: {distribution: uniform}, item_size: 1KB}
client:
  retry: none
service:
  burst_window: 0s
`

// REFERENCE: gsi, throttling — when an index cannot take its index
// writes the base-table write is throttled, and the request against the
// table fails with the index's reason (AWS Developer Guide, "Understanding
// GSI write throttling and back pressure"; API ThrottlingReason). The
// table's row counts that reason as its callers received it, in both
// drivers; before, 80% of the table's writes throttled with its
// throttles_by_reason empty.
func TestGSIBackPressureCountsOnTheBaseTable(t *testing.T) {
	sc, err := scenarios.Parse("gsi-back-pressure.yaml", []byte(gsiBackPressure))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []Fidelity{FidelityRequest, FidelityAggregate} {
		t.Run(string(f), func(t *testing.T) {
			s, err := Build(sc, Options{Seed: 1, Fidelity: f})
			if err != nil {
				t.Fatal(err)
			}
			r, err := s.Run()
			if err != nil {
				t.Fatal(err)
			}
			const reason = "IndexWriteProvisionedThroughputExceeded"
			base, index := r.Tables[0], r.Tables[1]
			if index.Index != "by-status" {
				t.Fatalf("second table is %q, want the index", index.Name)
			}
			if math.Abs(base.ThrottledRatio-0.8) > 0.02 {
				t.Errorf("table throttled %.3f of its writes, want 0.8", base.ThrottledRatio)
			}
			if n := base.ThrottlesByReason[reason]; n == 0 || n != index.ThrottlesByReason[reason] {
				t.Errorf("table's throttles by reason %v, index's %v: want the index's %s on both",
					base.ThrottlesByReason, index.ThrottlesByReason, reason)
			}
			if len(base.ThrottlesByReason) != 1 {
				t.Errorf("table's throttles by reason %v, want only %s", base.ThrottlesByReason, reason)
			}
		})
	}
}
