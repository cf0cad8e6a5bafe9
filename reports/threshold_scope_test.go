package reports_test

import (
	"strings"
	"testing"

	"github.com/ddbsim/ddbsim/reports"
	"github.com/ddbsim/ddbsim/reports/internal/fixture"
	"github.com/ddbsim/ddbsim/threshold"
)

// TestWorkloadsSumToTotals: every finished request belongs to one
// workload and one table, so each breakdown adds up to the run.
func TestWorkloadsSumToTotals(t *testing.T) {
	r := fixture.Synthetic()
	if len(r.Workloads) != len(fixture.SyntheticWorkloads) {
		t.Fatalf("%d workloads, want %d", len(r.Workloads), len(fixture.SyntheticWorkloads))
	}
	var byWorkload, byTable reports.Requests
	add := func(dst *reports.Requests, q reports.Requests) {
		dst.Total += q.Total
		dst.Succeeded += q.Succeeded
		dst.Throttled += q.Throttled
		dst.Errors += q.Errors
		dst.Retries += q.Retries
		dst.ThrottleEvents += q.ThrottleEvents
	}
	for i, w := range r.Workloads {
		if w.Name != fixture.SyntheticWorkloads[i].Name {
			t.Errorf("workload %d is %q, want %q (scenario order)", i, w.Name, fixture.SyntheticWorkloads[i].Name)
		}
		if w.Requests.Total == 0 || w.LatencyMs.P99 == 0 || len(w.Operations) == 0 {
			t.Errorf("workload %s is empty: %+v", w.Name, w)
		}
		if w.ThrottledRatio != reports.Ratio(w.Requests.Throttled, w.Requests.Total) {
			t.Errorf("workload %s throttled_ratio %v", w.Name, w.ThrottledRatio)
		}
		add(&byWorkload, w.Requests)
	}
	for _, tb := range r.Tables {
		if tb.Requests != nil {
			add(&byTable, *tb.Requests)
		}
	}
	for _, got := range []reports.Requests{byWorkload, byTable} {
		// The fixture's throttle events and retries all come from
		// finished requests, so those add up too.
		if got != r.Requests {
			t.Errorf("breakdown sums to %+v, want the run's %+v", got, r.Requests)
		}
	}
}

func TestScopedThresholds(t *testing.T) {
	r := fixture.Synthetic()
	for _, tc := range []struct {
		line   string
		passed bool
		err    string
	}{
		{"throttled_ratio{workload:web} < 1%", true, ""},
		{"throttled_ratio{workload:batch} < 1%", false, ""},
		{"throttled_ratio < 10%", true, ""},
		{"p99_ms{op:put} < 100", true, ""},
		{"p99_ms{op:get} < 100", false, ""},
		{"p99_ms{table:orders,op:get} < 1000", true, ""},
		{"final_rcu{table:users} == 0", true, ""},
		{"retries{table:users} == 82", true, ""},
		{"p99_ms{op:transact_get} < 1", true, ""}, // never ran: 0
		{"p99_ms{workload:nosuch} < 1", false, `the run has no workload "nosuch"`},
		{"p99_ms{table:nosuch} < 1", false, `the run has no table "nosuch"`},
		{"p99_ms{op:gett} < 1", false, `unknown operation "gett" (valid: get, put, update, delete, query, scan, batch_get, batch_write, transact_get, transact_write)`},
	} {
		th, err := threshold.ParseLine(tc.line)
		if err != nil {
			t.Fatalf("%s: %v", tc.line, err)
		}
		reports.Evaluate(r, []threshold.Threshold{th})
		got := r.Thresholds[0]
		if got.Passed != tc.passed || got.Error != tc.err {
			t.Errorf("%s: passed %v error %q (value %v), want %v %q", tc.line, got.Passed, got.Error, got.Value, tc.passed, tc.err)
		}
		if name, _, _ := strings.Cut(tc.line, " "); got.Name != name {
			t.Errorf("%s: named %q", tc.line, got.Name)
		}
		if r.Passed() != tc.passed {
			t.Errorf("%s: run passed %v", tc.line, r.Passed())
		}
	}
}
