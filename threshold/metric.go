package threshold

import (
	"slices"
	"strings"
)

// Metric describes one value of a run that a threshold may test.
type Metric struct {
	// Name is how a scenario's thresholds and --slo write it.
	Name string
	// Unit is what the value counts or measures: "fraction" for a
	// ratio, "ms", "s", or the things counted ("requests").
	Unit string
	// Ratio is set for a fraction from 0 to 1, which a threshold may
	// write as a percentage ("> 80%") and reports show as one.
	Ratio bool
	// Needs names what a run must have for the metric to be measured
	// ("DAX cluster"); empty when every run has it. A threshold on a
	// metric the run cannot measure fails rather than pass or fail on a
	// made-up 0.
	Needs string
	// Doc says what the value is, in a sentence.
	Doc string
	// Scopes lists the scopes the metric takes (Scope), separated by
	// commas: "workload,table,op"; empty for the whole run only.
	Scopes string
}

// What the request metrics may be scoped by: counts by workload or table,
// latency by operation too (each group keeps its operations' latency, not
// their counts).
const (
	requestScopes = ScopeWorkload + "," + ScopeTable
	latencyScopes = ScopeWorkload + "," + ScopeTable + "," + ScopeOp
)

// What a run must have to measure the metrics of a feature.
const (
	NeedsDAX    = "DAX cluster"
	NeedsStream = "stream consumer"
	NeedsGlobal = "global table"
)

// catalogue is every metric, in the order messages list them.
var catalogue = []Metric{
	{Name: "throttled_ratio", Unit: "fraction", Ratio: true,
		Doc: "Requests whose every attempt was throttled, over the requests that finished.", Scopes: requestScopes},
	{Name: "error_ratio", Unit: "fraction", Ratio: true,
		Doc: "Requests that ended in an error other than a throttle, over the requests that finished.", Scopes: requestScopes},
	{Name: "given_up_ratio", Unit: "fraction", Ratio: true,
		Doc: "Requests the client gave up on (every attempt throttled, a timeout, an unavailable region, a conflict: " +
			"every failure but a failed condition, which is an answer) over the requests that finished."},
	{Name: "given_up", Unit: "requests", Doc: "Requests the client gave up on, as given_up_ratio counts them."},
	{Name: "p50_ms", Unit: "ms", Doc: "The median client-observed latency, retries included.", Scopes: latencyScopes},
	{Name: "p90_ms", Unit: "ms", Doc: "The 90th percentile of client-observed latency.", Scopes: latencyScopes},
	{Name: "p99_ms", Unit: "ms", Doc: "The 99th percentile of client-observed latency.", Scopes: latencyScopes},
	{Name: "p999_ms", Unit: "ms", Doc: "The 99.9th percentile of client-observed latency.", Scopes: latencyScopes},
	{Name: "max_ms", Unit: "ms", Doc: "The longest client-observed latency.", Scopes: latencyScopes},
	{Name: "mean_ms", Unit: "ms", Doc: "The mean client-observed latency.", Scopes: latencyScopes},
	{Name: "throttle_events", Unit: "attempts", Doc: "Throttled attempts, retries included, on every table.", Scopes: requestScopes},
	{Name: "retries", Unit: "retries", Doc: "Retries the client scheduled.", Scopes: requestScopes},
	{Name: "final_rcu", Unit: "RCU",
		Doc: "Read capacity in effect when the run ended, summed over tables: what auto scaling, scheduled changes, on-demand growth and splits left.", Scopes: ScopeTable},
	{Name: "final_wcu", Unit: "WCU", Doc: "Write capacity in effect when the run ended, summed over tables.", Scopes: ScopeTable},
	{Name: "partitions", Unit: "partitions", Doc: "Partitions when the run ended, summed over tables.", Scopes: ScopeTable},
	{Name: "capacity_events", Unit: "events", Doc: "Events that changed capacity or partitions."},
	{Name: "cache_hit_rate", Unit: "fraction", Ratio: true, Needs: NeedsDAX,
		Doc: "DAX hits over lookups, both caches (0 with no lookup)."},
	{Name: "stale_reads", Unit: "reads", Needs: NeedsDAX, Doc: "DAX hits that served data the table had since changed."},
	{Name: "dax_throttled", Unit: "accesses", Needs: NeedsDAX, Doc: "Accesses the DAX clusters refused over their capacity."},
	{Name: "availability_min", Unit: "fraction", Ratio: true,
		Doc: "The lowest availability of a 5-minute interval: 1 - requests that ended unavailable " +
			"(region_unavailable, timeout, replicated_write_conflict, transaction_conflict) over requests that ended. Every run has it."},
	{Name: "max_iterator_age_s", Unit: "s", Needs: NeedsStream,
		Doc: "The largest iterator age any stream consumer reached: its lag."},
	{Name: "records_lost", Unit: "records", Needs: NeedsStream,
		Doc: "Records that left a stream before a consumer processed them, summed over the consumers."},
	{Name: "replication_conflicts", Unit: "writes", Needs: NeedsGlobal,
		Doc: "Replicated writes that lost last-writer-wins at a replica."},
	{Name: "stale_read_ratio", Unit: "fraction", Ratio: true, Needs: NeedsGlobal,
		Doc: "Stale reads over reads on a global table's replicas."},
}

// Metrics returns every metric a threshold may name, in catalogue order.
func Metrics() []Metric { return slices.Clone(catalogue) }

// Names returns the names of Metrics, in the same order.
func Names() []string {
	names := make([]string, len(catalogue))
	for i := range catalogue {
		names[i] = catalogue[i].Name
	}
	return names
}

// Lookup returns the metric called name; ok is false for an unknown name.
func Lookup(name string) (m Metric, ok bool) {
	i := slices.IndexFunc(catalogue, func(m Metric) bool { return m.Name == name })
	if i < 0 {
		return Metric{}, false
	}
	return catalogue[i], true
}

// IsRatio reports whether the named metric is a fraction; false for an
// unknown name.
func IsRatio(name string) bool {
	m, ok := Lookup(name)
	return ok && m.Ratio
}

// ratioNames lists the ratio metrics, for the message that refuses a
// percentage on any other.
func ratioNames() string {
	var names []string
	for _, m := range catalogue {
		if m.Ratio {
			names = append(names, m.Name)
		}
	}
	return strings.Join(names, ", ")
}
