package reports

import (
	"fmt"

	"github.com/ddbsim/ddbsim/threshold"
)

// ThresholdResult is a threshold checked against a run.
type ThresholdResult struct {
	Name string `json:"name"`
	Expr string `json:"expr"`
	// Value is the metric as the result reports it (rounded), so a reader
	// can check the comparison from the JSON alone. It is null when the
	// metric could not be measured.
	Value  *float64 `json:"value"`
	Passed bool     `json:"passed"`
	// Error says why a threshold could not be checked (an unknown metric
	// or comparison); such a threshold fails, so a typo cannot pass an SLO.
	Error string `json:"error,omitempty"`
}

// Metric returns the named threshold metric (threshold.Metrics) of r; ok is
// false when the name is unknown, or names a metric of a feature the run
// does not have: a DAX metric without a DAX cluster, a stream metric without
// a stream, a replication metric without a global table.
func (r *Result) Metric(name string) (float64, bool) {
	switch name {
	case "throttled_ratio":
		return r.Ratios.Throttled, true
	case "error_ratio":
		return r.Ratios.Errors, true
	case "given_up_ratio":
		return Ratio(r.GivenUp(), r.Requests.Total), true
	case "given_up":
		return float64(r.GivenUp()), true
	case "p50_ms":
		return r.LatencyMs.P50, true
	case "p90_ms":
		return r.LatencyMs.P90, true
	case "p99_ms":
		return r.LatencyMs.P99, true
	case "p999_ms":
		return r.LatencyMs.P999, true
	case "max_ms":
		return r.LatencyMs.Max, true
	case "mean_ms":
		return r.LatencyMs.Mean, true
	case "throttle_events":
		return float64(r.Requests.ThrottleEvents), true
	case "retries":
		return float64(r.Requests.Retries), true
	case "final_rcu":
		return sumTables(r, func(t *TableResult) float64 { return t.FinalRCU }), true
	case "final_wcu":
		return sumTables(r, func(t *TableResult) float64 { return t.FinalWCU }), true
	case "partitions":
		return sumTables(r, func(t *TableResult) float64 { return float64(t.Partitions) }), true
	case "capacity_events":
		return float64(len(r.CapacityEvents)), true
	case "availability_min":
		return minAvailability(r.Availability), true
	}
	if c := r.Cache; c != nil {
		switch name {
		case "cache_hit_rate":
			return c.HitRate, true
		case "stale_reads":
			return float64(c.StaleReads), true
		case "dax_throttled":
			return float64(c.Throttled), true
		}
	}
	if s := r.Streams; len(s) > 0 {
		switch name {
		case "max_iterator_age_s":
			m := 0.0
			for i := range s {
				m = max(m, s[i].MaxIteratorAgeS)
			}
			return m, true
		case "records_lost":
			var n int64
			for i := range s {
				n += s[i].Lost
			}
			return float64(n), true
		}
	}
	if g := r.Replication; g != nil {
		switch name {
		case "replication_conflicts":
			return float64(g.Conflicts), true
		case "stale_read_ratio":
			return g.StaleReadRatio, true
		}
	}
	return 0, false
}

func sumTables(r *Result, f func(*TableResult) float64) float64 {
	total := 0.0
	for i := range r.Tables {
		total += f(&r.Tables[i])
	}
	return total
}

// Evaluate checks every threshold against r and stores the outcomes in
// r.Thresholds, in the order given, replacing earlier ones.
func Evaluate(r *Result, th []threshold.Threshold) {
	r.Thresholds = make([]ThresholdResult, 0, len(th))
	for _, t := range th {
		r.Thresholds = append(r.Thresholds, evaluate(r, t))
	}
	r.Warnings = CheckGuards(r)
}

func evaluate(r *Result, t threshold.Threshold) ThresholdResult {
	tr := ThresholdResult{Name: t.Name(), Expr: t.String()}
	if !t.Scope.IsZero() {
		v, err := r.ScopedMetric(t.Metric, t.Scope)
		if err != nil {
			tr.Error = err.Error()
			return tr
		}
		return check(tr, t, v)
	}
	v, ok := r.Metric(t.Metric)
	if !ok {
		tr.Error = fmt.Sprintf("unknown metric %q", t.Metric)
		if m, known := threshold.Lookup(t.Metric); known && m.Needs != "" {
			tr.Error = t.Metric + " cannot be measured: the run has no " + m.Needs
		}
		return tr
	}
	return check(tr, t, v)
}

// check compares the measured v with t.
func check(tr ThresholdResult, t threshold.Threshold, v float64) ThresholdResult {
	tr.Value = &v
	passed, err := t.Check(v)
	tr.Passed = passed
	if err != nil {
		tr.Error = err.Error()
	}
	return tr
}

// Passed reports whether every evaluated threshold passed; true when there
// are none.
func (r *Result) Passed() bool {
	for _, t := range r.Thresholds {
		if !t.Passed {
			return false
		}
	}
	return true
}
