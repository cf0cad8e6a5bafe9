package reports

import (
	"maps"
	"slices"
	"testing"

	"github.com/ddbsim/ddbsim/model"
	"github.com/ddbsim/ddbsim/model/units"
	"github.com/ddbsim/ddbsim/sim"
)

// Tests of the collector's insides; the rest of the package's tests use its
// exported API alone, in package reports_test.

// TestOpsLazy: only operations that occur get a histogram and appear in
// the result.
func TestOpsLazy(t *testing.T) {
	c := NewCollector([]TableInfo{{Name: "a"}})
	c.Finish(model.Outcome{Op: units.OpBatchWrite, End: sim.Millisecond})
	for _, row := range c.cells {
		for _, cell := range row {
			if cell == nil {
				continue
			}
			for k := range cell.lat {
				for op, l := range cell.lat[k] {
					if want := cacheClass(k) == cacheOther && units.Op(op) == units.OpBatchWrite; (l != nil) != want {
						t.Errorf("%v, cache class %d: histogram allocated = %v", units.Op(op), k, l != nil)
					}
				}
			}
		}
	}
	r := c.Result(Meta{})
	if got := slices.Sorted(maps.Keys(r.Operations)); !slices.Equal(got, []string{"batch_write"}) {
		t.Errorf("operations %v, want [batch_write]", got)
	}
}
