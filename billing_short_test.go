package ddbsim

import (
	"fmt"
	"math"
	"testing"

	"github.com/ddbsim/ddbsim/reports"
)

// A run bills every moment it covers and a table's peak is never below
// its mean, whatever the run's length. Measured before: a run of half a
// second projected $0 a month (its provisioned capacity and storage were
// billed only at whole seconds) and a table's mean (592 RCU/s over 0.5 s)
// was twice its peak (296, the half second's units over a whole second).
// 500 RCU + 200 WCU provisioned cost (500 x $0.00013 + 200 x $0.00065) x
// 730 h = $142.35 a month (REFERENCE: prices), plus a cent of storage,
// under either driver and any run length.
func TestShortRunsBillAndPeakAtLeastMean(t *testing.T) {
	for _, tc := range []struct {
		duration string
		monthly  float64
	}{
		{"500ms", 142.36},
		{"1s", 142.36},
		{"2500ms", 142.36},
		{"10s", 142.36},
	} {
		t.Run(tc.duration, func(t *testing.T) {
			agg, req := runBoth(t, "short", fmt.Sprintf(`version: 1
name: short
duration: %s
tables:
  - {name: t, partition_key: id, mode: provisioned, read_capacity: 500, write_capacity: 200, items: {count: 50k, size: 1KB}}
workloads:
  - {name: w, table: t, rate: 400/s, mix: {get: 75%%, put: 25%%}, item_size: 1KB, consistency: strong}
`, tc.duration))
			for driver, r := range map[string]*reports.Result{"aggregate": agg, "request": req} {
				if got := r.Cost.MonthlyUSD; math.Abs(got-tc.monthly) > 0.015 {
					t.Errorf("%s: $%.2f a month, want $%.2f", driver, got, tc.monthly)
				}
				tr := r.Tables[0]
				if tr.MeanRCUPerS > tr.PeakRCUPerS || tr.MeanWCUPerS > tr.PeakWCUPerS {
					t.Errorf("%s: mean %v RCU/s, %v WCU/s above peak %v, %v", driver, tr.MeanRCUPerS, tr.MeanWCUPerS, tr.PeakRCUPerS, tr.PeakWCUPerS)
				}
			}
		})
	}
}

// A DAX cluster's peak load, like a table's, is over the part of the run
// each series point covers: never below its mean.
func TestShortRunClusterPeakAtLeastMean(t *testing.T) {
	for _, d := range []string{"500ms", "2500ms"} {
		_, req := runBoth(t, "short-dax", fmt.Sprintf(`version: 1
name: short-dax
duration: %s
tables:
  - {name: t, partition_key: id, mode: on-demand, items: {count: 1k, size: 1KB}, dax: {nodes: 3, node_type: dax.r5.large}}
workloads:
  - {name: w, table: t, rate: 2000/s, mix: {get: 90%%, put: 10%%}, item_size: 1KB}
`, d))
		for _, cl := range req.Cache.Clusters {
			if cl.MeanLoadPerS > cl.PeakLoadPerS || cl.MeanLoadPerS == 0 {
				t.Errorf("%s: cluster %s mean load %v/s, peak %v/s; want 0 < mean <= peak", d, cl.Name, cl.MeanLoadPerS, cl.PeakLoadPerS)
			}
		}
		if req.Cost.MonthlyUSD < 3*0.269*730 {
			t.Errorf("%s: $%.2f a month, want at least the 3 nodes' $589.11", d, req.Cost.MonthlyUSD)
		}
	}
}
