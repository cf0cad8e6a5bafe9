package ddbsim

import (
	"strings"
	"testing"

	"github.com/ddbsim/ddbsim/reports"
	"github.com/ddbsim/ddbsim/scenarios"
)

// regionsYAML has two reader workloads on one table, at different rates
// over different keys: eu-readers reads one item past what a partition
// serves and throttles, us-readers spreads a lighter load over many keys.
const regionsYAML = `version: 1
name: regions
duration: 30s
tables:
  - name: orders
    partition_key: id
    mode: on-demand
    items: {count: 100k, size: 1KB}
workloads:
  - {name: us-readers, table: orders, rate: 1000/s, mix: {get: 100%}, keys: {count: 100k}}
  - {name: eu-readers, table: orders, rate: 8000/s, mix: {get: 99%, put: 1%}, keys: {count: 1}}
thresholds:
  throttled_ratio: "< 60%"
  throttled_ratio{workload:eu-readers}: "< 1%"
  p99_ms{workload:us-readers,op:get}: "< 60000"
`

func TestWorkloadResults(t *testing.T) {
	sc, err := scenarios.Parse("regions.yaml", []byte(regionsYAML))
	if err != nil {
		t.Fatal(err)
	}
	for _, driver := range []Fidelity{FidelityRequest, FidelityAggregate} {
		t.Run(string(driver), func(t *testing.T) {
			s, err := Build(sc, Options{Seed: 1, Fidelity: driver})
			if err != nil {
				t.Fatal(err)
			}
			r, err := s.Run()
			if err != nil {
				t.Fatal(err)
			}
			if len(r.Workloads) != 2 || r.Workloads[0].Name != "us-readers" || r.Workloads[1].Name != "eu-readers" {
				t.Fatalf("workloads %+v", r.Workloads)
			}
			us, eu := r.Workloads[0], r.Workloads[1]
			if us.Table != "orders" || eu.Requests.Total < 7*us.Requests.Total {
				t.Errorf("us-readers sent %d, eu-readers %d", us.Requests.Total, eu.Requests.Total)
			}
			if _, ok := eu.Operations["put"]; !ok || len(us.Operations) != 1 {
				t.Errorf("operations: us %v, eu %v", us.Operations, eu.Operations)
			}
			sum := func(f func(q reports.Requests) int64) int64 { return f(us.Requests) + f(eu.Requests) }
			for name, f := range map[string]func(q reports.Requests) int64{
				"total":     func(q reports.Requests) int64 { return q.Total },
				"succeeded": func(q reports.Requests) int64 { return q.Succeeded },
				"throttled": func(q reports.Requests) int64 { return q.Throttled },
				"errors":    func(q reports.Requests) int64 { return q.Errors },
				"retries":   func(q reports.Requests) int64 { return q.Retries },
				// Every throttle here is a whole get or put's: no batch,
				// index or replica throttles that no request's attempt
				// counts.
				"throttle_events": func(q reports.Requests) int64 { return q.ThrottleEvents },
			} {
				if got, want := sum(f), f(r.Requests); got != want {
					t.Errorf("workloads' %s sum to %d, the run's is %d", name, got, want)
				}
			}
			if eu.ThrottledRatio <= us.ThrottledRatio || eu.ThrottledRatio < 0.01 {
				t.Errorf("throttled: eu %v, us %v", eu.ThrottledRatio, us.ThrottledRatio)
			}
			tb := r.Tables[0]
			if tb.Requests == nil || tb.Requests.Total != r.Requests.Total || tb.LatencyMs == nil || len(tb.Operations) != 2 {
				t.Errorf("table breakdown %+v %+v %v", tb.Requests, tb.LatencyMs, tb.Operations)
			}
			// The unscoped threshold passes, eu-readers' fails: the run fails.
			var failed []string
			for _, th := range r.Thresholds {
				if !th.Passed {
					failed = append(failed, th.Name)
				}
			}
			if strings.Join(failed, ",") != "throttled_ratio{workload:eu-readers}" || r.Passed() {
				t.Errorf("failed thresholds %v (passed %v): %+v", failed, r.Passed(), r.Thresholds)
			}
		})
	}
}

func TestScopedThresholdNames(t *testing.T) {
	for _, tc := range []struct{ key, want string }{
		{"p99_ms{workload:eu-reader}", `unknown workload "eu-reader" in p99_ms{workload:eu-reader}; did you mean "eu-readers"?`},
		{"p99_ms{workload:asia}", `unknown workload "asia" in p99_ms{workload:asia} (valid: us-readers, eu-readers)`},
		{"throttled_ratio{table:order}", `unknown table "order" in throttled_ratio{table:order}; did you mean "orders"?`},
		{"get.p99_ms", `a metric of one operation is written p99_ms{op:get}`},
		{"p99_ms{op:gte}", `unknown operation "gte" in p99_ms{op:gte}; did you mean "get"?`},
	} {
		src := strings.Replace(regionsYAML, `throttled_ratio: "< 60%"`, tc.key+`: "< 60"`, 1)
		_, err := scenarios.Parse("regions.yaml", []byte(src))
		if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "regions.yaml:13:3") {
			t.Errorf("%s: %v, want regions.yaml:13:3 and %s", tc.key, err, tc.want)
		}
	}
}
