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
	for op, l := range c.ops {
		if (l != nil) != (units.Op(op) == units.OpBatchWrite) {
			t.Errorf("%v: histogram allocated = %v", units.Op(op), l != nil)
		}
	}
	r := c.Result(Meta{})
	if got := slices.Sorted(maps.Keys(r.Operations)); !slices.Equal(got, []string{"batch_write"}) {
		t.Errorf("operations %v, want [batch_write]", got)
	}
}
