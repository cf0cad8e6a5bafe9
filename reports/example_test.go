package reports_test

import (
	"fmt"

	"github.com/ddbsim/ddbsim/model"
	"github.com/ddbsim/ddbsim/model/units"
	"github.com/ddbsim/ddbsim/reports"
	"github.com/ddbsim/ddbsim/sim"
	"github.com/ddbsim/ddbsim/threshold"
)

// The model and the clients call the Collector as a model.Recorder; at the
// end the run becomes a Result, thresholds are checked against it, and the
// writers print it.
func ExampleCollector() {
	c := reports.NewCollector([]reports.TableInfo{
		{Name: "orders", Mode: "provisioned", Partitions: 1, ReadCapacity: 10, WriteCapacity: 5},
	})
	ms := sim.Millisecond

	// A get served in 3 ms, and a put throttled once, retried and served.
	c.Consumed(3*ms, 0, 0, 500, 0)
	c.Finish(model.Outcome{Op: units.OpGet, Result: model.Succeeded, Start: 0, End: 3 * ms, Attempts: 1})
	c.Throttle(11*ms, &model.ThrottleEvent{Table: 0, Op: units.OpPut, Reason: model.TableWriteProvisionedThroughputExceeded})
	c.Retry(11*ms, 0, units.OpPut)
	c.Consumed(40*ms, 0, 0, 0, units.WholeUnits(1))
	c.Finish(model.Outcome{Op: units.OpPut, Result: model.Succeeded, Start: 10 * ms, End: 40 * ms, Attempts: 2})

	r := c.Result(reports.Meta{Scenario: "example", Seed: 1, Duration: sim.Second, Complete: true})
	reports.Evaluate(r, []threshold.Threshold{{Metric: "p99_ms", Expr: "< 20", Cmp: "<", Value: 20}})
	fmt.Printf("%+v\n", r.Requests)
	fmt.Println("max", r.LatencyMs.Max, "ms; passed:", r.Passed())
	// Output:
	// {Total:2 Succeeded:2 Throttled:0 ThrottleEvents:1 Retries:1 Errors:0}
	// max 30 ms; passed: false
}
