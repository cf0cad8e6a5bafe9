package reports

import "testing"

// The guards: requests given up (a failed condition is an answer, not a
// request given up) and p99 over 1 s warn unless a threshold on the same
// damage takes over. The first case is web-backend's reserved mode: 39,681
// requests given up, p99 3.38 s, under p50_ms and throttled_ratio
// thresholds that passed.
func TestGuards(t *testing.T) {
	th := func(names ...string) []ThresholdResult {
		var out []ThresholdResult
		for _, n := range names {
			out = append(out, ThresholdResult{Name: n, Passed: true})
		}
		return out
	}
	tests := []struct {
		name       string
		throttled  int64
		errors     map[string]int64
		p99        float64
		thresholds []ThresholdResult
		want       []string
	}{
		{"web-backend reserved", 39681, nil, 3380, th("p50_ms", "throttled_ratio"), []string{"given_up", "p99_latency"}},
		{"a given-up threshold allows them", 39681, nil, 3380, th("given_up_ratio", "p99_ms"), nil},
		{"failed conditions are answers", 0, map[string]int64{"conditional_check_failed": 12}, 8, nil, nil},
		{"timeouts are given up", 0, map[string]int64{"timeout": 3, "conditional_check_failed": 12}, 8, th("p99_ms"), []string{"given_up"}},
		{"p99 at the guard passes", 0, nil, 1000, nil, nil},
	}
	for _, tt := range tests {
		r := &Result{Requests: Requests{Total: 1259700, Throttled: tt.throttled}, ErrorsByKind: tt.errors,
			LatencyMs: Latency{P99: tt.p99}, Thresholds: tt.thresholds}
		for _, n := range tt.errors {
			r.Requests.Errors += n
		}
		r.Warnings = CheckGuards(r)
		var got []string
		for _, w := range r.Warnings {
			got = append(got, w.Guard)
		}
		if len(got) != len(tt.want) || (len(got) > 0 && got[0] != tt.want[0]) || (len(got) > 1 && got[1] != tt.want[1]) {
			t.Errorf("%s: warnings %v, want %v", tt.name, got, tt.want)
		}
		if v := r.Verdict(); len(tt.want) > 0 && v != VerdictWarn {
			t.Errorf("%s: verdict %s, want warn", tt.name, v)
		}
	}
}
