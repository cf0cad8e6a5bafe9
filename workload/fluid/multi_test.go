package fluid

import (
	"testing"

	"github.com/ddbsim/ddbsim/model"
	"github.com/ddbsim/ddbsim/model/units"
	"github.com/ddbsim/ddbsim/sim"
	"github.com/ddbsim/ddbsim/workload"
)

// Batches on a table too small for them: the parts on the hot partitions
// are throttled and come back unprocessed, the batches are retried with
// those parts alone, and both drivers count the same throttled parts,
// retries, successes and batches given up.
func TestFluidBatchesThrottled(t *testing.T) {
	for _, c := range []struct {
		op       units.Op
		rcu, wcu int64
		tol      float64
	}{
		{units.OpBatchGet, 150, 300, 0.1},
		{units.OpBatchWrite, 150, 300, 0.1},
		// Four partitions (12,000 RCU), each overloaded, the hottest
		// keys' one most: a batch's parts come back from some and are
		// processed by others. Whole batches across partitions are the
		// rougher estimate: 1,841 succeed here against 2,217.
		{units.OpBatchWrite, 12000, 300, 0.2},
	} {
		op := c.op
		cfg := fluidConfig(t, 40, 3*sim.Minute, true, workload.NewZipf(1000, 1.1), []units.Op{op}, []float64{1})
		cfg.BatchSize = 10
		cfg.End = 3 * sim.Minute
		req, agg := runBoth(t, noBurst(), table(c.rcu, c.wcu), cfg)
		t.Logf("%v: per request %+v", op, req.tally)
		t.Logf("%v: aggregate   %+v", op, agg.tally)
		if req.throttles == 0 || req.byResult[model.Throttled] == 0 {
			t.Fatalf("%v: nothing throttled per request: %+v", op, req.tally)
		}
		tol := c.tol
		for _, c := range []struct {
			what     string
			req, agg int64
		}{
			{"throttled parts", req.throttles, agg.throttles},
			{"retries", req.retries, agg.retries},
			{"succeeded", req.byResult[model.Succeeded], agg.byResult[model.Succeeded]},
			{"given up", req.byResult[model.Throttled], agg.byResult[model.Throttled]},
		} {
			if !near(c.req, c.agg, tol) {
				t.Errorf("%v: %s: %d per request, %d aggregate", op, c.what, c.req, c.agg)
			}
		}
		if u := req.read + req.write; !near(int64(u), int64(agg.read+agg.write), 0.05) {
			t.Errorf("%v: %v units per request, %v aggregate", op, u, agg.read+agg.write)
		}
	}
}
