package reports

import (
	"fmt"
	"strings"

	"github.com/ddbsim/ddbsim/model/units"

	"github.com/ddbsim/ddbsim/threshold"
)

// ScopedMetric returns the named threshold metric over part of the run
// (threshold.Scope): one workload's requests, one table's, one operation's,
// or one operation's within a workload or table. It returns an error when
// the scope names no workload or table of the run, or the metric cannot be
// measured over it; the zero scope is Metric.
func (r *Result) ScopedMetric(name string, s threshold.Scope) (float64, error) {
	if s.IsZero() {
		v, ok := r.Metric(name)
		if !ok {
			return 0, fmt.Errorf("unknown metric %q", name)
		}
		return v, nil
	}
	var (
		req  *Requests
		lat  *Latency
		ops  map[string]OpResult
		what string
	)
	switch {
	case s.Workload != "":
		what = "workload " + s.Workload
		for i := range r.Workloads {
			if w := &r.Workloads[i]; w.Name == s.Workload {
				req, lat, ops = &w.Requests, &w.LatencyMs, w.Operations
			}
		}
		if req == nil {
			return 0, fmt.Errorf("the run has no workload %q", s.Workload)
		}
	case s.Table != "":
		what = "table " + s.Table
		var t *TableResult
		for i := range r.Tables {
			if r.Tables[i].Name == s.Table {
				t = &r.Tables[i]
			}
		}
		if t == nil {
			return 0, fmt.Errorf("the run has no table %q", s.Table)
		}
		switch name {
		case "final_rcu":
			return t.FinalRCU, nil
		case "final_wcu":
			return t.FinalWCU, nil
		case "partitions":
			return float64(t.Partitions), nil
		}
		req, lat, ops = t.Requests, t.LatencyMs, t.Operations
		if req == nil { // no request reached the table
			req, lat = &Requests{}, &Latency{}
		}
	default:
		what = "the run"
		req, lat, ops = &r.Requests, &r.LatencyMs, r.Operations
	}
	if s.Op != "" {
		if _, known := units.ParseOp(s.Op); !known {
			return 0, fmt.Errorf("unknown operation %q (valid: %s)", s.Op, strings.Join(units.OpNames(), ", "))
		}
		op, ok := ops[s.Op]
		if !ok {
			op = OpResult{} // the operation never finished there: no latency
		}
		lat, req = &op.LatencyMs, nil
		what = s.Op + " requests of " + what
	}
	if v, ok := latencyMetric(lat, name); ok {
		return v, nil
	}
	if req != nil {
		switch name {
		case "throttled_ratio":
			return Ratio(req.Throttled, req.Total), nil
		case "error_ratio":
			return Ratio(req.Errors, req.Total), nil
		case "throttle_events":
			return float64(req.ThrottleEvents), nil
		case "retries":
			return float64(req.Retries), nil
		}
	}
	return 0, fmt.Errorf("%s cannot be measured over %s", name, what)
}

// latencyMetric reads a latency metric (p99_ms ...) from l.
func latencyMetric(l *Latency, name string) (float64, bool) {
	switch name {
	case "p50_ms":
		return l.P50, true
	case "p90_ms":
		return l.P90, true
	case "p99_ms":
		return l.P99, true
	case "p999_ms":
		return l.P999, true
	case "max_ms":
		return l.Max, true
	case "mean_ms":
		return l.Mean, true
	}
	return 0, false
}
