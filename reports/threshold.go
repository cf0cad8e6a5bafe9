package reports

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// Threshold is an assertion about a run (an SLO from the scenario's
// thresholds): Name is a metric (see MetricNames), Cmp one of < <= > >= ==,
// Value the limit, with ratios as fractions ("< 1%" is 0.01). Expr is the
// comparison as the user wrote it ("< 1%"), for messages; when empty it is
// made from Cmp and Value.
type Threshold struct {
	Name, Expr, Cmp string
	Value           float64
}

// ThresholdResult is a Threshold checked against a run.
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

// metrics maps threshold metric names to where they are in a Result.
var metrics = map[string]func(r *Result) float64{
	"throttled_ratio": func(r *Result) float64 { return r.Ratios.Throttled },
	"error_ratio":     func(r *Result) float64 { return r.Ratios.Errors },
	"p50_ms":          func(r *Result) float64 { return r.LatencyMs.P50 },
	"p90_ms":          func(r *Result) float64 { return r.LatencyMs.P90 },
	"p99_ms":          func(r *Result) float64 { return r.LatencyMs.P99 },
	"p999_ms":         func(r *Result) float64 { return r.LatencyMs.P999 },
	"max_ms":          func(r *Result) float64 { return r.LatencyMs.Max },
	"mean_ms":         func(r *Result) float64 { return r.LatencyMs.Mean },
	"throttle_events": func(r *Result) float64 { return float64(r.Requests.ThrottleEvents) },
	"retries":         func(r *Result) float64 { return float64(r.Requests.Retries) },
	// Capacity at the end of the run, summed over tables: what auto
	// scaling, scheduled changes, on-demand growth and splits left.
	"final_rcu": func(r *Result) float64 { return sumTables(r, func(t *TableResult) float64 { return t.FinalRCU }) },
	"final_wcu": func(r *Result) float64 { return sumTables(r, func(t *TableResult) float64 { return t.FinalWCU }) },
	"partitions": func(r *Result) float64 {
		return sumTables(r, func(t *TableResult) float64 { return float64(t.Partitions) })
	},
	// Events that changed capacity or partitions.
	"capacity_events": func(r *Result) float64 { return float64(len(r.CapacityEvents)) },
	// The lowest availability of a 5-minute interval, as a fraction:
	// 1 - unavailable requests (region_unavailable, timeout,
	// replicated_write_conflict, transaction_conflict) over requests
	// ended. Every run has it.
	"availability_min": func(r *Result) float64 { return minAvailability(r.Availability) },
}

// streamMetrics are the metrics of a run's stream consumers (Result.Streams);
// a run without a stream cannot measure them.
var streamMetrics = map[string]func(s []StreamResult) float64{
	// The largest iterator age any consumer reached, in seconds.
	"max_iterator_age_s": func(s []StreamResult) float64 {
		m := 0.0
		for i := range s {
			m = max(m, s[i].MaxIteratorAgeS)
		}
		return m
	},
	// Records that left a stream before a consumer processed them,
	// summed over the consumers.
	"records_lost": func(s []StreamResult) float64 {
		var n int64
		for i := range s {
			n += s[i].Lost
		}
		return float64(n)
	},
}

// replicationMetrics are the metrics of a run's global tables
// (Result.Replication); a run without one cannot measure them.
var replicationMetrics = map[string]func(r *ReplicationResult) float64{
	// Replicated writes that lost last-writer-wins at a replica.
	"replication_conflicts": func(r *ReplicationResult) float64 { return float64(r.Conflicts) },
	// Stale reads over reads on the replicas, as a fraction.
	"stale_read_ratio": func(r *ReplicationResult) float64 { return r.StaleReadRatio },
}

// cacheMetrics are the metrics of a run's DAX clusters (Result.Cache). A
// run without DAX cannot measure them: a threshold that names one fails,
// with no value, rather than pass or fail on a made-up 0.
var cacheMetrics = map[string]func(c *CacheResult) float64{
	// Hits over lookups, both caches, as a fraction (0 with no lookup).
	"cache_hit_rate": func(c *CacheResult) float64 { return c.HitRate },
	// Hits that served data the table had since changed.
	"stale_reads": func(c *CacheResult) float64 { return float64(c.StaleReads) },
	// Accesses the clusters refused over their capacity.
	"dax_throttled": func(c *CacheResult) float64 { return float64(c.Throttled) },
}

// IsRatioMetric reports whether the named metric is a fraction, which a
// threshold may write as a percentage ("> 80%") and reports show as one.
func IsRatioMetric(name string) bool {
	return strings.HasSuffix(name, "_ratio") || name == "cache_hit_rate" || name == "availability_min"
}

func sumTables(r *Result, f func(*TableResult) float64) float64 {
	total := 0.0
	for i := range r.Tables {
		total += f(&r.Tables[i])
	}
	return total
}

// MetricNames lists the metrics a Threshold can name, sorted, so that a
// scenario loader can reject an unknown one before the run.
func MetricNames() []string {
	return slices.Sorted(func(yield func(string) bool) {
		for name := range metrics {
			if !yield(name) {
				return
			}
		}
		for name := range cacheMetrics {
			if !yield(name) {
				return
			}
		}
		for name := range streamMetrics {
			if !yield(name) {
				return
			}
		}
		for name := range replicationMetrics {
			if !yield(name) {
				return
			}
		}
	})
}

// Metric returns the named threshold metric of r; ok is false when the
// name is unknown, or names a metric of a feature the run does not have: a
// DAX metric without a DAX cluster, a stream metric without a stream, a
// replication metric without a global table.
func (r *Result) Metric(name string) (float64, bool) {
	if f, ok := metrics[name]; ok {
		return f(r), true
	}
	if f, ok := cacheMetrics[name]; ok && r.Cache != nil {
		return f(r.Cache), true
	}
	if f, ok := streamMetrics[name]; ok && len(r.Streams) > 0 {
		return f(r.Streams), true
	}
	if f, ok := replicationMetrics[name]; ok && r.Replication != nil {
		return f(r.Replication), true
	}
	return 0, false
}

// Evaluate checks every threshold against r and stores the outcomes in
// r.Thresholds, in the order given, replacing earlier ones.
func Evaluate(r *Result, th []Threshold) {
	r.Thresholds = make([]ThresholdResult, 0, len(th))
	for _, t := range th {
		r.Thresholds = append(r.Thresholds, evaluate(r, t))
	}
}

func evaluate(r *Result, t Threshold) ThresholdResult {
	tr := ThresholdResult{Name: t.Name, Expr: t.Expr}
	if tr.Expr == "" {
		tr.Expr = t.Cmp + " " + strconv.FormatFloat(t.Value, 'g', -1, 64)
	}
	v, ok := r.Metric(t.Name)
	if !ok {
		tr.Error = fmt.Sprintf("unknown metric %q", t.Name)
		if _, dax := cacheMetrics[t.Name]; dax {
			tr.Error = t.Name + " cannot be measured: the run has no DAX cluster"
		}
		if _, stream := streamMetrics[t.Name]; stream {
			tr.Error = t.Name + " cannot be measured: the run has no stream consumer"
		}
		if _, global := replicationMetrics[t.Name]; global {
			tr.Error = t.Name + " cannot be measured: the run has no global table"
		}
		return tr
	}
	tr.Value = &v
	switch t.Cmp {
	case "<":
		tr.Passed = v < t.Value
	case "<=":
		tr.Passed = v <= t.Value
	case ">":
		tr.Passed = v > t.Value
	case ">=":
		tr.Passed = v >= t.Value
	case "==":
		tr.Passed = v == t.Value
	default:
		tr.Error = fmt.Sprintf("unknown comparison %q", t.Cmp)
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
