package ddbsim

import (
	"math"
	"testing"

	"github.com/ddbsim/ddbsim/model"
	"github.com/ddbsim/ddbsim/model/units"
	"github.com/ddbsim/ddbsim/scenarios"
)

// opsTally counts outcomes by operation and error.
type opsTally struct {
	tally
	byOp    [units.NumOps]int64
	byError [model.NumErrorKinds]int64
}

func (t *opsTally) Finish(o model.Outcome) {
	t.tally.Finish(o)
	t.byOp[o.Op]++
	t.byError[o.Error]++
}

const opsScenario = `
version: 1
name: ops
duration: 2m
tables:
  - {name: t, partition_key: id, sort_key: ts, mode: provisioned, read_capacity: 40000, write_capacity: 40000,
     items: {count: 10k, size: 1KB, per_key: 10}}
workloads:
  - name: w
    table: t
    arrival: constant
    rate: 200/s
    mix:
      get: {share: 20%, consistency: strong}
      put: {share: 20%, condition_failure: 25%}
      insert: 10%
      read_modify_write: 10%
      query: 10%
      transact_get: 10%
      transact_write: 10%
      delete: 10%
    batch_size: 4
    query_range: 3
    item_size: {distribution: uniform, min: 1KB, max: 3KB}
`

// Per-operation options, YCSB's insert and read-modify-write, conditional
// failures and transactions run end to end and show in the outcomes in the
// proportions the mix gives.
func TestMixOptionsEndToEnd(t *testing.T) {
	sc, err := scenarios.Parse("ops.yaml", []byte(opsScenario))
	if err != nil {
		t.Fatal(err)
	}
	var rec opsTally
	s, err := build(sc, 1, &rec)
	if err != nil {
		t.Fatal(err)
	}
	s.run()
	arrivals := float64(200 * 120)
	// Each read-modify-write adds an update to the 24,000 arrivals (the
	// last may fall on the end and not happen), and only they update.
	issued := s.Sources[0].Arrived()
	if rec.finished != issued {
		t.Fatalf("%d issued, %d finished", issued, rec.finished)
	}
	if n := issued - rec.byOp[units.OpUpdate]; n < int64(arrivals)-1 || n > int64(arrivals) {
		t.Fatalf("%d requests besides the updates, want %v (every read-modify-write is two)", n, arrivals)
	}
	share := func(op units.Op) float64 { return float64(rec.byOp[op]) / arrivals }
	within := func(name string, got, want float64) {
		t.Helper()
		// 24,000 draws: a share's standard deviation is at most 0.33%.
		if math.Abs(got-want) > 0.015 {
			t.Errorf("%s: %.3f, want %.3f", name, got, want)
		}
	}
	within("get (plain and read-modify-write)", share(units.OpGet), 0.30)
	within("put (plain and insert)", share(units.OpPut), 0.30)
	within("update (read-modify-write)", share(units.OpUpdate), 0.10)
	within("transact_write", share(units.OpTransactWrite), 0.10)
	within("conditional failures", float64(rec.byError[model.ErrConditionalCheckFailed])/arrivals, 0.05)
	if rec.failed != rec.byError[model.ErrConditionalCheckFailed] {
		t.Errorf("%d failures, %d of them conditional", rec.failed, rec.byError[model.ErrConditionalCheckFailed])
	}
	// Inserts wrote new keys beyond the 1,000 partition keys preloaded.
	st := s.Service.Tables()[0].Store()
	if n := st.Len(); n < 10000+2000 {
		t.Errorf("%d items after 2,400 inserts into 10,000", n)
	}
}
