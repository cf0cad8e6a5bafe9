package reports_test

import (
	"bytes"
	"slices"
	"testing"

	"github.com/ddbsim/ddbsim/reports"
	"github.com/ddbsim/ddbsim/threshold"
)

func TestEvaluate(t *testing.T) {
	r := &reports.Result{
		Requests:  reports.Requests{Total: 1000, Throttled: 25, Errors: 5, ThrottleEvents: 80, Retries: 60},
		Ratios:    reports.Ratios{Throttled: 0.025, Errors: 0.005},
		LatencyMs: reports.Latency{P50: 2.5, P90: 5, P99: 9.8, P999: 210, Max: 6100, Mean: 3.1},
	}
	for _, tc := range []struct {
		th    threshold.Threshold
		value float64 // the measured value reported
		pass  bool
		err   string
	}{
		{threshold.Threshold{Metric: "throttled_ratio", Cmp: "<", Value: 0.01}, 0.025, false, ""},
		{threshold.Threshold{Metric: "throttled_ratio", Cmp: "<", Value: 0.03}, 0.025, true, ""},
		{threshold.Threshold{Metric: "error_ratio", Cmp: "<=", Value: 0.005}, 0.005, true, ""}, // boundary is inclusive
		{threshold.Threshold{Metric: "error_ratio", Cmp: "<", Value: 0.005}, 0.005, false, ""}, // and here exclusive
		{threshold.Threshold{Metric: "p50_ms", Cmp: ">", Value: 2.5}, 2.5, false, ""},
		{threshold.Threshold{Metric: "p50_ms", Cmp: ">=", Value: 2.5}, 2.5, true, ""},
		{threshold.Threshold{Metric: "p90_ms", Cmp: "==", Value: 5}, 5, true, ""},
		{threshold.Threshold{Metric: "p99_ms", Cmp: "<", Value: 20}, 9.8, true, ""},
		{threshold.Threshold{Metric: "p999_ms", Cmp: "<", Value: 200}, 210, false, ""},
		{threshold.Threshold{Metric: "max_ms", Cmp: "<=", Value: 10000}, 6100, true, ""},
		{threshold.Threshold{Metric: "mean_ms", Cmp: "<", Value: 3}, 3.1, false, ""},
		{threshold.Threshold{Metric: "throttle_events", Cmp: "<", Value: 100}, 80, true, ""},
		{threshold.Threshold{Metric: "retries", Cmp: "==", Value: 0}, 60, false, ""},
		{threshold.Threshold{Metric: "p95_ms", Cmp: "<", Value: 20}, 0, false, `unknown metric "p95_ms"`},
		{threshold.Threshold{Metric: "p99_ms", Cmp: "=<", Value: 20}, 9.8, false, `unknown comparison "=<"`},
	} {
		reports.Evaluate(r, []threshold.Threshold{tc.th})
		got := r.Thresholds[0]
		if got.Passed != tc.pass || got.Error != tc.err || r.Passed() != tc.pass {
			t.Errorf("%s %s %v: passed %v (Passed() %v) error %q, want %v %q",
				tc.th.Metric, tc.th.Cmp, tc.th.Value, got.Passed, r.Passed(), got.Error, tc.pass, tc.err)
		}
		switch {
		case tc.err == `unknown metric "p95_ms"`:
			if got.Value != nil {
				t.Errorf("%s: value %v, want none (null)", tc.th.Metric, *got.Value)
			}
		case got.Value == nil || *got.Value != tc.value:
			t.Errorf("%s: value %v, want %v", tc.th.Metric, got.Value, tc.value)
		}
	}
}

func TestEvaluateOrderAndExpr(t *testing.T) {
	r := &reports.Result{LatencyMs: reports.Latency{P99: 9.8}}
	reports.Evaluate(r, []threshold.Threshold{
		{Metric: "p99_ms", Expr: "< 20ms", Cmp: "<", Value: 20},
		{Metric: "throttled_ratio", Cmp: "<=", Value: 0.01},
	})
	if got := []string{r.Thresholds[0].Expr, r.Thresholds[1].Expr}; !slices.Equal(got, []string{"< 20ms", "<= 0.01"}) {
		t.Errorf("exprs %q: want the one written, else Cmp and Value", got)
	}
	if !r.Passed() {
		t.Errorf("both pass, Passed() = false: %+v", r.Thresholds)
	}
	reports.Evaluate(r, nil)
	if len(r.Thresholds) != 0 || !r.Passed() {
		t.Errorf("no thresholds: %+v, Passed() %v; want none, true", r.Thresholds, r.Passed())
	}
}

// TestUnknownMetricJSON: NaN is not JSON, so a metric that cannot be
// measured is written as null, with the reason.
func TestUnknownMetricJSON(t *testing.T) {
	r := reports.NewCollector(nil).Result(reports.Meta{})
	reports.Evaluate(r, []threshold.Threshold{{Metric: "nope", Expr: "< 1", Cmp: "<", Value: 1}})
	var b bytes.Buffer
	if err := reports.WriteJSON(&b, r); err != nil {
		t.Fatal(err)
	}
	want := `"value": null,
      "passed": false,
      "error": "unknown metric \"nope\""`
	if !bytes.Contains(b.Bytes(), []byte(want)) {
		t.Errorf("JSON lacks %s:\n%s", want, b.Bytes())
	}
}

// TestMetricsMeasured: threshold's catalogue is the one list of metrics;
// a result with every feature measures each of them, and nothing else.
// (This was a test that the scenario parser's list and reports' agreed,
// when there were two.)
func TestMetricsMeasured(t *testing.T) {
	all := &reports.Result{Cache: &reports.CacheResult{}, Streams: []reports.StreamResult{{}}, Replication: &reports.ReplicationResult{}}
	for _, m := range threshold.Metrics() {
		if _, ok := all.Metric(m.Name); !ok {
			t.Errorf("Metric(%q) unknown", m.Name)
		}
		if _, ok := (&reports.Result{}).Metric(m.Name); ok != (m.Needs == "") {
			t.Errorf("Metric(%q) measured %v without the feature it needs (%q)", m.Name, ok, m.Needs)
		}
	}
	for _, name := range []string{"p95_ms", "", "throttled"} {
		if _, ok := all.Metric(name); ok {
			t.Errorf("Metric(%q) measured: not in the catalogue", name)
		}
	}
}

// TestCacheMetrics: the DAX metrics read Result.Cache; without DAX they
// cannot be measured, so a threshold on one fails with no value and says
// why, whichever way it compares.
func TestCacheMetrics(t *testing.T) {
	dax := &reports.Result{Cache: &reports.CacheResult{HitRate: 0.875, StaleReads: 12, Throttled: 3}}
	for _, tc := range []struct {
		r     *reports.Result
		th    threshold.Threshold
		value *float64
		pass  bool
		err   string
	}{
		{dax, threshold.Threshold{Metric: "cache_hit_rate", Expr: "> 80%", Cmp: ">", Value: 0.8}, ptr(0.875), true, ""},
		{dax, threshold.Threshold{Metric: "cache_hit_rate", Cmp: ">=", Value: 0.9}, ptr(0.875), false, ""},
		{dax, threshold.Threshold{Metric: "stale_reads", Cmp: "<", Value: 10}, ptr(12), false, ""},
		{dax, threshold.Threshold{Metric: "dax_throttled", Cmp: "==", Value: 3}, ptr(3), true, ""},
		{&reports.Result{}, threshold.Threshold{Metric: "dax_throttled", Cmp: "==", Value: 0}, nil, false,
			"dax_throttled cannot be measured: the run has no DAX cluster"},
		{&reports.Result{}, threshold.Threshold{Metric: "cache_hit_rate", Cmp: "<", Value: 2}, nil, false,
			"cache_hit_rate cannot be measured: the run has no DAX cluster"},
	} {
		reports.Evaluate(tc.r, []threshold.Threshold{tc.th})
		got := tc.r.Thresholds[0]
		if got.Passed != tc.pass || got.Error != tc.err {
			t.Errorf("%s %s %v: passed %v error %q, want %v %q", tc.th.Metric, tc.th.Cmp, tc.th.Value,
				got.Passed, got.Error, tc.pass, tc.err)
		}
		if (got.Value == nil) != (tc.value == nil) || got.Value != nil && *got.Value != *tc.value {
			t.Errorf("%s: value %v, want %v", tc.th.Metric, got.Value, tc.value)
		}
	}
	if !threshold.IsRatio("cache_hit_rate") || !threshold.IsRatio("throttled_ratio") || threshold.IsRatio("stale_reads") {
		t.Error("threshold.IsRatio: cache_hit_rate and *_ratio are fractions, stale_reads is not")
	}
	if got := reports.MetricString("cache_hit_rate", ptr(0.875)); got != "87.50%" {
		t.Errorf("cache_hit_rate shows as %q, want 87.50%%", got)
	}
}
