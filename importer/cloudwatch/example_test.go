package cloudwatch_test

import (
	"fmt"
	"time"

	"github.com/ddbsim/ddbsim/importer/cloudwatch"
)

func ExampleRead() {
	data := []byte(`{
    "MetricDataResults": [
        {
            "Id": "w",
            "Label": "ConsumedWriteCapacityUnits:orders",
            "Timestamps": ["2026-03-01T00:03:00+00:00", "2026-03-01T00:01:00+00:00", "2026-03-01T00:00:00+00:00"],
            "Values": [600.0, 480.0, 420.0],
            "StatusCode": "Complete"
        }
    ],
    "Messages": []
}`)
	h, err := cloudwatch.Read("writes.json", data)
	if err != nil {
		fmt.Println(err)
		return
	}
	s := h.Series[0]
	fmt.Println(s.Table, s.Metric, s.Stat, "every", s.Period)
	for _, p := range s.PerSecond() {
		fmt.Println(p.At.Format(time.TimeOnly), p.Value, "units/s")
	}
	for _, g := range s.Gaps {
		fmt.Println("no data", g.From.Format(time.TimeOnly), "to", g.To.Format(time.TimeOnly))
	}
	// Output:
	// orders ConsumedWriteCapacityUnits Sum every 1m0s
	// 00:00:00 7 units/s
	// 00:01:00 8 units/s
	// 00:03:00 10 units/s
	// no data 00:02:00 to 00:03:00
}
