package ddbsim

import (
	"math"
	"testing"

	"github.com/ddbsim/ddbsim/model/units"
	"github.com/ddbsim/ddbsim/scenarios"
)

// The six core workloads run from their property files and produce the
// operation mix each file defines, within 1% (issue: YCSB workload
// files). With 100,000 operations a share's standard deviation is at most
// 0.16%, so 1% is six of them.
func TestYCSBCoreWorkloadMixes(t *testing.T) {
	// Shares per operation issued; a read-modify-write is a get and an
	// update, an insert a put.
	want := map[string]map[units.Op]float64{
		"a": {units.OpGet: 0.5, units.OpUpdate: 0.5},
		"b": {units.OpGet: 0.95, units.OpUpdate: 0.05},
		"c": {units.OpGet: 1},
		"d": {units.OpGet: 0.95, units.OpPut: 0.05},
		"e": {units.OpScan: 0.95, units.OpPut: 0.05},
		"f": {units.OpGet: 1, units.OpUpdate: 0.5},
	}
	for _, x := range []string{"a", "b", "c", "d", "e", "f"} {
		t.Run("workload"+x, func(t *testing.T) {
			sc, err := scenarios.Builtin("ycsb-" + x)
			if err != nil {
				t.Fatal(err)
			}
			sc.Workloads[0].Requests = 100000
			var rec opsTally
			s, err := build(sc, 1, &rec)
			if err != nil {
				t.Fatal(err)
			}
			s.run()
			ops := float64(sc.Workloads[0].Requests)
			if got := rec.finished - rec.byOp[units.OpUpdate]*boolInt(x == "f"); float64(got) != ops {
				t.Fatalf("%d operations, want the operationcount %v", got, ops)
			}
			for op, share := range want[x] {
				if got := float64(rec.byOp[op]) / ops; math.Abs(got-share) > 0.01 {
					t.Errorf("%v: %.4f of operations, want %.2f", op, got, share)
				}
			}
			for op := range units.NumOps {
				if _, ok := want[x][op]; !ok && rec.byOp[op] > 0 {
					t.Errorf("%d %v requests, which workload %s does not issue", rec.byOp[op], op, x)
				}
			}
		})
	}
}

func boolInt(b bool) int64 {
	if b {
		return 1
	}
	return 0
}
