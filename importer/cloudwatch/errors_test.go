package cloudwatch

import (
	"strings"
	"testing"
)

// Each error names the file, the JSON path (or line and column) and what
// was expected: the sentence a user acts on.
func TestReadErrors(t *testing.T) {
	const r0 = `{"MetricDataResults":[{"Id":"m1","Label":"ConsumedWriteCapacityUnits:t",`
	for _, tc := range []struct{ in, want string }{
		{``, `f.json: expected CloudWatch metrics (JSON), got an empty file`},
		{"{\n  \"MetricDataResults\": [,]}", `f.json: line 2, column 25: expected CloudWatch metrics (JSON), got invalid JSON: invalid character ',' looking for beginning of value`},
		{`{"MetricDataResults":[{"Id":`, `f.json: line 1, column 28: expected CloudWatch metrics (JSON), got the end of the file in the middle of a value: is it cut short?`},
		{`{"a":1} {}`, `f.json: line 1, column 9: expected the end of the file after one JSON value, got more`},
		{`{"Table":{}}`, `f.json: $: expected get-metric-data output (an object with MetricDataResults), get-metric-statistics output (an object with Label and Datapoints), a MetricDataQueries file (an array of queries with Id and MetricStat), or get-insight-rule-report output (an object with Contributors), got an object`},
		{`{"MetricDataResults":{}}`, `f.json: $.MetricDataResults: expected an array of results, got an object`},
		{`{"MetricDataResults":[7]}`, `f.json: $.MetricDataResults[0]: expected a result with Id, Label, Timestamps and Values, got 7`},
		{`{"MetricDataResults":[{"Label":"x"}]}`, `f.json: $.MetricDataResults[0].Id: expected the query's Id, a string, got nothing`},
		{`{"MetricDataResults":[{"Id":"m1","Label":"ConsumedWriteCapacityUnits:t:gsi:x"}]}`, `f.json: $.MetricDataResults[0].Label: expected a label METRIC:TABLE or METRIC:TABLE:index:INDEX with METRIC one of ConsumedReadCapacityUnits, ConsumedWriteCapacityUnits, ProvisionedReadCapacityUnits, ProvisionedWriteCapacityUnits, ReadThrottleEvents, ThrottledRequests, WriteThrottleEvents, or a MetricDataQueries file with a query of Id "m1", got "ConsumedWriteCapacityUnits:t:gsi:x"`},
		{`{"MetricDataResults":[{"Id":"m1","Label":"SuccessfulRequestLatency:t"}]}`, `f.json: $.MetricDataResults[0].Label: expected a label METRIC:TABLE or METRIC:TABLE:index:INDEX with METRIC one of ConsumedReadCapacityUnits, ConsumedWriteCapacityUnits, ProvisionedReadCapacityUnits, ProvisionedWriteCapacityUnits, ReadThrottleEvents, ThrottledRequests, WriteThrottleEvents, or a MetricDataQueries file with a query of Id "m1", got "SuccessfulRequestLatency:t"`},
		{r0 + `"StatusCode":"Forbidden"}]}`, `f.json: $.MetricDataResults[0].StatusCode: expected "Complete" or "PartialData", got "Forbidden"`},
		{r0 + `"Values":[]}]}`, `f.json: $.MetricDataResults[0].Timestamps: expected an array of timestamps, got nothing`},
		{r0 + `"Timestamps":["2026-03-01T00:00:00+00:00"],"Values":[]}]}`, `f.json: $.MetricDataResults[0].Values: expected 1 values, one per timestamp, got an array of 0`},
		{r0 + `"Timestamps":["2026-03-01 00:00"],"Values":[1]}]}`, `f.json: $.MetricDataResults[0].Timestamps[0]: expected an ISO 8601 time such as "2026-03-01T00:00:00+00:00", got "2026-03-01 00:00"`},
		{r0 + `"Timestamps":["2026-03-01T00:00:00Z"],"Values":["1"]}]}`, `f.json: $.MetricDataResults[0].Values[0]: expected a number, got "1"`},
		{r0 + `"Timestamps":["2026-03-01T00:00:00Z"],"Values":[1e999]}]}`, `f.json: $.MetricDataResults[0].Values[0]: expected a number that fits a float64, got 1e999`},
		{r0 + `"Timestamps":["2026-03-01T00:00:00Z","2026-03-01T00:00:00+00:00"],"Values":[1,2]}]}`, `f.json: $.MetricDataResults[0]: expected one value per timestamp, got 1 and 2 at 2026-03-01T00:00:00Z`},
		{r0 + `"Timestamps":["2026-03-01T00:00:00Z","2026-03-01T00:02:00Z","2026-03-01T00:05:00Z"],"Values":[1,2,3]}]}`, `f.json: $.MetricDataResults[0]: expected points a whole number of periods (2m0s) apart, got 3m0s between 2026-03-01T00:02:00Z and 2026-03-01T00:05:00Z`},
		{r0 + `"Timestamps":[],"Values":[]}],"Messages":[{"Code":"x"}, 3]}`, ``},
		{`{"Label":"ConsumedWriteCapacityUnits","Datapoints":[{"Timestamp":"2026-03-01T00:00:00Z","Average":1}]}`, `f.json: $.Datapoints[0].Sum: expected a number (ConsumedWriteCapacityUnits is read as its Sum per period: ask with --statistics Sum), got nothing`},
		{`{"Label":"Latency","Datapoints":[]}`, `f.json: $.Label: expected the metric's name, one of ConsumedReadCapacityUnits, ConsumedWriteCapacityUnits, ProvisionedReadCapacityUnits, ProvisionedWriteCapacityUnits, ReadThrottleEvents, ThrottledRequests, WriteThrottleEvents (or METRIC:TABLE or METRIC:TABLE:index:INDEX), got "Latency"`},
		{`{"Label":"ReadThrottleEvents","Datapoints":[{"Sum":1}]}`, `f.json: $.Datapoints[0].Timestamp: expected an ISO 8601 time such as "2026-03-01T00:00:00+00:00", got nothing`},
		{`[{"Id":"m1","MetricStat":{}}]`, `f.json: $: expected get-metric-data or get-metric-statistics output, got a MetricDataQueries file: it names series but holds none; give it beside the get-metric-data output it asked for`},
		{`{"Contributors":[]}`, `f.json: $: expected get-metric-data or get-metric-statistics output, got get-insight-rule-report output: read it with ReadInsights`},
		{strings.Repeat(" ", 16<<20+1), `f.json: larger than 16 MiB; expected CloudWatch metrics, which is at most that`},
	} {
		_, err := Read("f.json", []byte(tc.in))
		got := ""
		if err != nil {
			got = err.Error()
		}
		if got != tc.want {
			t.Errorf("%.80s:\n got %s\nwant %s", tc.in, got, tc.want)
		}
	}
}

func TestReadQueriesErrors(t *testing.T) {
	const m = `[{"Id":"m1","MetricStat":{"Metric":{"Namespace":"AWS/DynamoDB","MetricName":"ConsumedReadCapacityUnits","Dimensions":[{"Name":"TableName","Value":"t"}]},`
	for _, tc := range []struct{ in, want string }{
		{`{"MetricDataResults":[]}`, `q.json: $: expected a MetricDataQueries file: an array of queries with Id and MetricStat, or an object with MetricDataQueries, got an object`},
		{`[{"Id":"m1","MetricStat":{"Metric":{"Namespace":"AWS/EC2"}}}]`, `q.json: $[0].MetricStat.Metric.Namespace: expected "AWS/DynamoDB", got "AWS/EC2"`},
		{`[{"Id":"m1","MetricStat":{"Metric":{"Namespace":"AWS/DynamoDB","MetricName":"X"}}}]`, `q.json: $[0].MetricStat.Metric.MetricName: expected one of ConsumedReadCapacityUnits, ConsumedWriteCapacityUnits, ProvisionedReadCapacityUnits, ProvisionedWriteCapacityUnits, ReadThrottleEvents, ThrottledRequests, WriteThrottleEvents, got "X"`},
		{`[{"Id":"m1","MetricStat":{"Metric":{"Namespace":"AWS/DynamoDB","MetricName":"ReadThrottleEvents","Dimensions":[{"Name":"Operation","Value":"GetItem"}]}}}]`, `q.json: $[0].MetricStat.Metric.Dimensions[0].Name: expected "TableName" or "GlobalSecondaryIndexName", got "Operation"`},
		{`[{"Id":"m1","MetricStat":{"Metric":{"Namespace":"AWS/DynamoDB","MetricName":"ReadThrottleEvents","Dimensions":[]}}}]`, `q.json: $[0].MetricStat.Metric.Dimensions: expected a TableName dimension, got an array of 0`},
		{m + `"Period":0.5,"Stat":"Sum"}}]`, `q.json: $[0].MetricStat.Period: expected the period in seconds, a positive whole number, got 0.5`},
		{m + `"Period":60,"Stat":"Average"}}]`, `q.json: $[0].MetricStat.Stat: expected "Sum" for ConsumedReadCapacityUnits (the units or events in each period), got "Average"`},
		{m + `"Period":60,"Stat":"Sum"}},{"Id":"m1","Expression":"m1"}]`, `q.json: $[1].Id: expected an Id no other query has, got "m1"`},
		{`{"MetricDataQueries":[],"StartTime":"2026-03-02T00:00:00Z","EndTime":"2026-03-01T00:00:00Z"}`, `q.json: $.EndTime: expected a time after StartTime, got "2026-03-01T00:00:00Z"`},
		{`{"MetricDataQueries":[],"StartTime":1}`, `q.json: $.StartTime: expected an ISO 8601 time such as "2026-03-01T00:00:00+00:00", got 1`},
	} {
		_, err := ReadQueries("q.json", []byte(tc.in))
		got := ""
		if err != nil {
			got = err.Error()
		}
		if got != tc.want {
			t.Errorf("%.80s:\n got %s\nwant %s", tc.in, got, tc.want)
		}
	}
}

func TestReadInsightsErrors(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{`{"MetricDataResults":[]}`, `r.json: $: expected get-insight-rule-report output: an object with Contributors, got an object`},
		{`{"KeyLabels":["pk"],"Contributors":[{"Keys":["a","b"]}]}`, `r.json: $.Contributors[0].Keys: expected 1 key values, one per KeyLabel, got an array of 2`},
		{`{"Contributors":[{"Keys":["a"],"ApproximateAggregateValue":-1}]}`, `r.json: $.Contributors[0].ApproximateAggregateValue: expected a number, at least 0, got -1`},
		{`{"AggregateValue":5,"Contributors":[{"Keys":["a"],"ApproximateAggregateValue":10}]}`, `r.json: $.AggregateValue: expected a number, at least the contributors' sum 10, got 5`},
		{`{"Contributors":[{"Keys":[1]}]}`, `r.json: $.Contributors[0].Keys[0]: expected a key value, a string, got 1`},
	} {
		_, err := ReadInsights("r.json", []byte(tc.in))
		got := ""
		if err != nil {
			got = err.Error()
		}
		if got != tc.want {
			t.Errorf("%.80s:\n got %s\nwant %s", tc.in, got, tc.want)
		}
	}
}
