package cache

import (
	"math"
	"testing"
)

// The DAX sizing guide's method (S28 dax-cluster-sizing.html): its
// example, 50,000 hits, 1,000 misses and 100 writes a second of 2 KB
// items, is 135,000 normalized requests a second on 3 nodes, times the
// greater of 1.43 (a 70% target) and 1.5 (a node of three lost) =
// 202,500: 3 dax.r5.large nodes (225,000). The bare rule, which the
// smallest-cluster line used before, says 2 (130,000 of 150,000).
func TestSmallestClusterSizingGuide(t *testing.T) {
	large, _ := LookupNodeType("dax.r5.large")
	huge, ok := LookupNodeType("dax.r5.24xlarge")
	if !ok || huge.Capacity != 1_000_000 || huge.Memory != 768<<30 {
		t.Fatalf("dax.r5.24xlarge: %+v, %v", huge, ok)
	}
	for _, tc := range []struct {
		name   string
		node   NodeType
		h      Headroom
		hits   float64
		nodes  int
		target float64
	}{
		{"guide example", large, GuideHeadroom, 50_000, 3, 202_500},
		{"bare rule", large, Headroom{TargetUtilization: 1}, 50_000, 2, 130_000},
		{"utilisation target only", large, Headroom{TargetUtilization: 0.7}, 50_000, 3, 135_000 / 0.7},
		// Two nodes would do at 70% (90,000 x 1.43 of 150,000), but
		// losing one of two doubles the other's share: three.
		{"node loss decides", large, GuideHeadroom, 30_000, 3, 95_000 * 1.5},
		{"24xlarge", huge, GuideHeadroom, 50_000, 2, 130_000 * 2},
	} {
		n, target := SmallestCluster(tc.hits, 1_000, 100, 2, tc.node, tc.h)
		if n != tc.nodes || math.Abs(target-tc.target) > 1e-6 {
			t.Errorf("%s: %d nodes, target %v; want %d, %v", tc.name, n, target, tc.nodes, tc.target)
		}
	}
	if f := GuideHeadroom.Factor(1); !math.IsInf(f, 1) {
		t.Errorf("one node with node loss: factor %v, want +Inf", f)
	}
	if f := GuideHeadroom.Factor(11); math.Abs(f-1/0.7) > 1e-12 {
		t.Errorf("11 nodes: factor %v, want 1/0.7 (1.1 for a node lost is smaller)", f)
	}
}
