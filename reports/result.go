package reports

import (
	"encoding/json"
	"io"

	"github.com/ddbsim/ddbsim/sim"
)

// SchemaVersion is the version of the result JSON. Adding a field keeps it;
// renaming, removing or changing the meaning of one bumps it.
const SchemaVersion = 1

// Meta is what the Collector cannot know about the run.
type Meta struct {
	Scenario string
	Seed     uint64
	Duration sim.Time // the virtual time the run covered
	Complete bool     // the run reached its duration (not interrupted)
	// Fidelity is the driver --fidelity auto chose and why; nil when the
	// driver was asked for by name.
	Fidelity *FidelityChoice
}

// FidelityChoice is the driver a run chose for itself (--fidelity auto)
// and the reason, so that a result says how it was made.
type FidelityChoice struct {
	Driver string `json:"driver"` // "request" or "aggregate"
	Reason string `json:"reason"` // a sentence: the estimate, and what decided
}

// Result is a finished run as plain data: the result JSON v1 (DESIGN.md,
// "Result JSON v1") and what every other output reads.
//
// Numbers are rounded where they are made, so the JSON is stable and
// byte-identical for identical runs: milliseconds and capacity units to 3
// decimals (µs and thousandths of a unit, the resolution they are measured
// in), ratios to 6. Ratios are fractions (0.028, not 2.8). A ratio over zero
// requests is 0.
//
// Derived ratios live in Ratios rather than in Requests so that Requests
// holds counts only, exactly the fields the design lists.
//
// cost and cache join the schema when billing and DAX report, streams when
// a table has a stream, replication when the run has a global table; they
// are additions, so the version stays 1.
type Result struct {
	SchemaVersion int     `json:"schema_version"`
	Scenario      string  `json:"scenario"`
	Seed          uint64  `json:"seed"`
	DurationS     float64 `json:"duration_s"`
	Complete      bool    `json:"complete"`
	// Fidelity says which driver --fidelity auto chose and why; absent
	// when the driver was named.
	Fidelity *FidelityChoice `json:"fidelity,omitempty"`
	// CutShort lists the workloads asked for a number of operations
	// (requests:, YCSB's operationcount) that the run ended before they
	// finished, with why; absent when every one finished.
	CutShort []CutShort `json:"cut_short,omitempty"`
	// TraceWaits lists the trace replays whose records waited for their
	// client's in-flight limit (max_in_flight); absent when none did.
	TraceWaits []TraceWait `json:"trace_waits,omitempty"`

	Requests Requests `json:"requests"`
	Ratios   Ratios   `json:"ratios"`
	// LatencyMs is client-observed, from first attempt to final response:
	// retries and backoff included, and every final outcome counted
	// (throttled and failed requests too: the client waited for them).
	LatencyMs Latency `json:"latency_ms"`
	// LatencyHistogram holds the same latencies, in whole microseconds, as
	// an HDR histogram (1 µs to 1 h, 3 significant digits) in
	// HdrHistogram's V2 compressed encoding, base64: the form its
	// libraries exchange, for whoever pools the latencies of several runs
	// (hdrhistogram.Decode, then Merge adds them exactly). A few KB, where
	// the histogram itself takes 360 KB. Not in the JSON.
	LatencyHistogram string `json:"-"`
	// Operations has an entry for each operation that finished at least
	// once, keyed by its scenario name ("batch_get").
	Operations map[string]OpResult `json:"operations"`
	Tables     []TableResult       `json:"tables"`
	// Workloads has an entry for each of the scenario's workloads, in
	// scenario order, what its requests did; absent when the collector
	// was not told the workloads (Collector.SetWorkloads).
	Workloads []WorkloadResult `json:"workloads,omitempty"`
	// Outages are the region outages the scenario injected (faults:),
	// within the run; absent when there were none.
	Outages []Outage `json:"outages,omitempty"`
	// Thresholds is filled by Evaluate; empty until then.
	Thresholds []ThresholdResult `json:"thresholds"`
	// Warnings are the default guards (Guards) the run breached with no
	// threshold that allows it, filled by Evaluate: a run that passes its
	// thresholds but has one is not a clean pass.
	Warnings []Warning `json:"warnings,omitempty"`
	// Cost is the run's bill (REFERENCE: prices), when the collector was
	// given prices.
	Cost *CostResult `json:"cost,omitempty"`
	// Cache is what the DAX clusters did (REFERENCE: dax), when the run
	// has at least one.
	Cache *CacheResult `json:"cache,omitempty"`
	// Streams has an entry per consumer of a table's stream (REFERENCE:
	// streams), in table order then the consumers' own; absent when no
	// table has a stream.
	Streams []StreamResult `json:"streams,omitempty"`
	// Replication is what the global tables' replication did (REFERENCE:
	// global), when the run has a global table.
	Replication *ReplicationResult `json:"replication,omitempty"`
	// ErrorsByKind counts failed requests by what went wrong
	// ("timeout", "conditional_check_failed"); kinds that never occurred
	// are absent.
	ErrorsByKind map[string]int64 `json:"errors_by_kind"`
	// CapacityEvents lists changes to capacity and partitions in time
	// order: updates requested, applied or refused, splits, on-demand
	// growth (at most 1,000).
	CapacityEvents []CapacityEvent `json:"capacity_events"`

	// Series is the per-second time series, for CSV and plots. It is not
	// part of the JSON: a long run has millions of points.
	Series *Series `json:"-"`
	// Explanations are the first throttles of each kind with what the
	// model knew about them; WriteExplain turns them into sentences.
	Explanations []Explanation `json:"-"`
	// Availability is the run's availability in each 5-minute interval,
	// which every run has (timeouts count against it) and the threshold
	// metric availability_min reads. The JSON carries it under
	// replication, for a run with a global table.
	Availability []AvailabilityRatio `json:"-"`
}

// StreamResult is one consumer of a table's stream over the run
// (REFERENCE: streams): the counts are the model's last sample, at the end
// of the run's last second.
type StreamResult struct {
	Table    string `json:"table"`
	Consumer string `json:"consumer"`
	// Records are the changes the stream took; Processed those the
	// consumer processed; Lost those that left the stream (24 hours) before
	// it processed them.
	Records   int64 `json:"records"`
	Processed int64 `json:"processed"`
	Lost      int64 `json:"lost"`
	// Retries counts batches that failed and were processed again.
	Retries int64 `json:"retries"`
	// ReadUnits are the consumer's GetRecords calls: billed stream read
	// request units for a client, free for a Lambda trigger.
	ReadUnits int64 `json:"read_units"`
	// MaxIteratorAgeS is the largest iterator age sampled (how old the
	// oldest record not yet processed was: the consumer's lag), and
	// FinalIteratorAgeS the one when the run ended, in seconds.
	MaxIteratorAgeS   float64 `json:"max_iterator_age_s"`
	FinalIteratorAgeS float64 `json:"final_iterator_age_s"`
}

// ReplicationResult is what the global tables' replication did, every
// replica together (REFERENCE: global).
type ReplicationResult struct {
	// LagMs is how long after it was made a write was applied at another
	// replica, over ReplicatedWrites (HDR percentiles within 0.1%, never
	// above Max; Max exact).
	LagMs LagLatency `json:"lag_ms"`
	// ReplicatedWrites counts writes applied at another replica: a write
	// counts once for each other replica it reached.
	ReplicatedWrites int64 `json:"replicated_writes"`
	// Conflicts counts replicated writes that reached a replica whose copy
	// of the item had been written later elsewhere: last writer wins, so
	// each is one conflict and OverwrittenUpdates one update lost there.
	Conflicts          int64 `json:"conflicts"`
	OverwrittenUpdates int64 `json:"overwritten_updates"`
	// Reads counts GetItems on a global table's replicas; StaleReads
	// those that read a copy another replica had written since, and
	// StaleReadRatio StaleReads / Reads (0 without reads).
	Reads          int64   `json:"reads"`
	StaleReads     int64   `json:"stale_reads"`
	StaleReadRatio float64 `json:"stale_read_ratio"`
	// UnreplicatedAtOutage counts writes still in flight from a region
	// when it went down, delivered only when it came back.
	UnreplicatedAtOutage int64 `json:"unreplicated_at_outage"`
	// AvailabilityMin is the lowest of Availability's ratios (1 for a run
	// that covers no time).
	AvailabilityMin float64 `json:"availability_min"`
	// Availability is measured as the service's SLA measures it: for each
	// 5-minute interval from t=0, 1 - the requests that ended in it
	// unavailable (region_unavailable, timeout, replicated_write_conflict,
	// transaction_conflict) over all requests that ended in it; 1 for an
	// interval in which none ended. Throttles and failed conditions do not
	// count against it. The last interval may be short.
	Availability []AvailabilityRatio `json:"availability"`
}

// LagLatency is a replication lag distribution in milliseconds.
type LagLatency struct {
	P50 float64 `json:"p50"`
	P90 float64 `json:"p90"`
	P99 float64 `json:"p99"`
	Max float64 `json:"max"`
}

// AvailabilityRatio is one 5-minute interval's availability, from TimeS.
type AvailabilityRatio struct {
	TimeS float64 `json:"t_s"`
	Ratio float64 `json:"ratio"`
}

// Requests counts client requests by final outcome.
type Requests struct {
	// Total = Succeeded + Throttled + Errors: every request that finished.
	Total     int64 `json:"total"`
	Succeeded int64 `json:"succeeded"`
	// Throttled requests had every attempt throttled; the client gave up.
	Throttled int64 `json:"throttled"`
	// ThrottleEvents counts every throttled attempt, retries included, on
	// every table.
	ThrottleEvents int64 `json:"throttle_events"`
	// Retries counts retries the client scheduled.
	Retries int64 `json:"retries"`
	// Errors ended in an error other than a throttle (a timeout, a failed
	// condition).
	Errors int64 `json:"errors"`
}

// Ratios are shares of Requests.Total, as fractions.
type Ratios struct {
	Throttled float64 `json:"throttled"` // Throttled / Total: threshold throttled_ratio
	Errors    float64 `json:"errors"`    // Errors / Total: threshold error_ratio
}

// Latency is a latency distribution in milliseconds. Percentiles come from
// an HDR histogram (within 0.1%, never above Max); Max and Mean are exact.
type Latency struct {
	P50  float64 `json:"p50"`
	P90  float64 `json:"p90"`
	P99  float64 `json:"p99"`
	P999 float64 `json:"p999"`
	Max  float64 `json:"max"`
	Mean float64 `json:"mean"`
}

// OpResult is one operation's share of the run.
type OpResult struct {
	Count     int64   `json:"count"`
	LatencyMs Latency `json:"latency_ms"`
	// LatencyHistogram holds the same latencies, in whole microseconds, as
	// an HDR histogram (1 µs to 1 h, 3 significant digits) in
	// HdrHistogram's V2 compressed encoding, base64: the form its
	// libraries exchange, for whoever pools the latencies of several runs
	// (hdrhistogram.Decode, then Merge adds them exactly). A few KB, where
	// the histogram itself takes 360 KB. Not in the JSON.
	LatencyHistogram string `json:"-"`
}

// TableResult is one table's capacity and throttling over the run. RCU and
// WCU are capacity units (a half unit is 0.5).
//
// A global table's replica in another region has an entry of its own after
// the scenario's tables, named "<table>@<region>", with its Region; the
// home table has its home region.
//
// A global secondary index has an entry of its own, after every table, as
// the service runs it: Name is "<table>/<index>", Table and Index say which
// (both absent for a table), and the rest reads as for a table: its own
// partitions, capacity, consumption and throttles.
type TableResult struct {
	Name string `json:"name"`
	// Table is the name of the index's table; Index the index's name.
	Table string `json:"table,omitempty"`
	Index string `json:"index,omitempty"`
	// Region is the region of a global table's replica, its home table
	// included; absent for other tables.
	Region     string `json:"region,omitempty"`
	Mode       string `json:"mode"`
	Partitions int    `json:"partitions"`
	// ConsumedRCU and ConsumedWCU are the units consumed over the whole
	// run.
	ConsumedRCU float64 `json:"consumed_rcu"`
	ConsumedWCU float64 `json:"consumed_wcu"`
	// ThrottlesByReason counts throttle events (attempts, not requests) by
	// the service's ThrottlingReason; reasons that never occurred are
	// absent.
	ThrottlesByReason map[string]int64 `json:"throttles_by_reason"`

	// ProvisionedRCU and ProvisionedWCU are the configured capacity;
	// absent for on-demand tables.
	ProvisionedRCU int64 `json:"provisioned_rcu,omitempty"`
	ProvisionedWCU int64 `json:"provisioned_wcu,omitempty"`
	// Mean*PerS is consumption divided by the run's duration; Peak*PerS is
	// the busiest one-second window (aligned to whole seconds), or for a
	// long run whose series have a longer step (Series.Step) the busiest
	// step's mean.
	MeanRCUPerS float64 `json:"mean_rcu_per_s"`
	PeakRCUPerS float64 `json:"peak_rcu_per_s"`
	MeanWCUPerS float64 `json:"mean_wcu_per_s"`
	PeakWCUPerS float64 `json:"peak_wcu_per_s"`
	// ThrottledRatio is the table's throttled requests over the requests
	// that finished on it, like Ratios.Throttled.
	ThrottledRatio float64 `json:"throttled_ratio"`
	// FinalRCU and FinalWCU are the capacity in effect when the run
	// ended: provisioned (after auto scaling and scheduled changes), or
	// what an on-demand table absorbs instantly.
	FinalRCU float64 `json:"final_rcu"`
	FinalWCU float64 `json:"final_wcu"`
	// Requests, LatencyMs and Operations are what the client requests
	// this table served did (a request that failed over counts at the
	// replica it ended at), as the run's totals count them; absent for a
	// table no request reached (an index, an idle replica).
	Requests   *Requests           `json:"requests,omitempty"`
	LatencyMs  *Latency            `json:"latency_ms,omitempty"`
	Operations map[string]OpResult `json:"operations,omitempty"`
}

// WorkloadResult is what one workload's requests did. Requests counts them
// as the run's totals do, except that ThrottleEvents counts the throttled
// attempts of the workload's own requests and Retries the attempts after
// each one's first; over every workload they sum to the run's Total,
// Succeeded, Throttled and Errors.
type WorkloadResult struct {
	Name     string   `json:"name"`
	Table    string   `json:"table"`
	Requests Requests `json:"requests"`
	// LatencyMs is client-observed, as the run's latency_ms.
	LatencyMs Latency `json:"latency_ms"`
	// LatencyHistogram holds the same latencies, in whole microseconds, as
	// an HDR histogram (1 µs to 1 h, 3 significant digits) in
	// HdrHistogram's V2 compressed encoding, base64: the form its
	// libraries exchange, for whoever pools the latencies of several runs
	// (hdrhistogram.Decode, then Merge adds them exactly). A few KB, where
	// the histogram itself takes 360 KB. Not in the JSON.
	LatencyHistogram string `json:"-"`
	// ThrottledRatio is Requests.Throttled over Requests.Total (0 with no
	// request): the workload's throttled_ratio.
	ThrottledRatio float64 `json:"throttled_ratio"`
	// Operations has an entry for each operation of the workload that
	// finished at least once.
	Operations map[string]OpResult `json:"operations"`
}

// CostResult is what the run costs: TotalUSD for the simulated duration,
// MonthlyUSD that cost spread over a 730-hour month, and the bill by line
// item (read_capacity, write_capacity, read_requests, write_requests,
// storage). The free tier has come off when it was asked for.
type CostResult struct {
	TotalUSD   float64 `json:"total_usd"`
	MonthlyUSD float64 `json:"monthly_usd"`
	// MonthHours is the month MonthlyUSD projects to and storage is
	// billed by when the scenario chose another than the default 730
	// hours (prices: {month: 30d} gives 720); absent for the default.
	MonthHours float64            `json:"month_hours,omitempty"`
	Breakdown  map[string]float64 `json:"breakdown"`
	// Lines show the arithmetic: per table and line item, the units used,
	// those the free tier covered, the price, and the dollars.
	Lines []CostLine `json:"lines"`
}

// CostLine is one line of the bill.
type CostLine struct {
	Table    string  `json:"table"`
	Item     string  `json:"item"`
	Unit     string  `json:"unit"`
	Quantity float64 `json:"quantity"`
	Free     float64 `json:"free"`
	PriceUSD float64 `json:"price_usd"`
	USD      float64 `json:"usd"`
}

// CacheResult is what the run's DAX clusters did with the reads and writes
// sent through them (REFERENCE: dax), all clusters together, then each.
//
// A lookup is a GetItem or one item of a BatchGetItem in the item cache,
// or a Query or Scan in the query cache; it hits or misses. Hit rates are
// hits / (hits + misses), as fractions, and 0 when there was no lookup:
// a cache nothing read from saved nothing. Writes, strongly consistent
// reads and transactions that DAX passes through, and accesses it
// throttled, are not lookups.
type CacheResult struct {
	// HitRate is over both caches; ItemHitRate and QueryHitRate over
	// each alone.
	HitRate      float64 `json:"hit_rate"`
	Hits         int64   `json:"hits"`
	Misses       int64   `json:"misses"`
	ItemHitRate  float64 `json:"item_hit_rate"`
	QueryHitRate float64 `json:"query_hit_rate"`
	ItemHits     int64   `json:"item_hits"`
	ItemMisses   int64   `json:"item_misses"`
	QueryHits    int64   `json:"query_hits"`
	QueryMisses  int64   `json:"query_misses"`
	// Writes went through DAX to the table and into the item cache;
	// PassThrough reads and transactions went to the table uncached.
	Writes      int64 `json:"writes"`
	PassThrough int64 `json:"pass_through"`
	// StaleReads are hits that served data the table had since changed:
	// a query result after a write (writes do not invalidate the query
	// cache), or an item written around DAX.
	StaleReads int64 `json:"stale_reads"`
	// Throttled counts accesses a cluster refused over its capacity
	// (DAXThrottlingException), retries included.
	Throttled int64 `json:"throttled"`
	// SavedRCU is the read capacity the tables did not serve because of
	// hits: what those reads would have cost them, eventually consistent.
	SavedRCU float64 `json:"saved_rcu"`
	// HitLatencyMs and MissLatencyMs are client-observed latency, as
	// LatencyMs, of the requests whose last attempt hit, or missed, a
	// cache; WriteLatencyMs of those written through DAX. A batch_get
	// whose items differ counts by the access DAX reported for it.
	HitLatencyMs   Latency `json:"hit_latency_ms"`
	MissLatencyMs  Latency `json:"miss_latency_ms"`
	WriteLatencyMs Latency `json:"write_latency_ms"`
	// Clusters are in the order the scenario declares them.
	Clusters []ClusterResult `json:"clusters"`
}

// ClusterResult is one DAX cluster over the run. Load is normalized
// (REFERENCE: dax, sizing): a hit costs 1 per KB, a miss 10, a write 25
// times the nodes.
type ClusterResult struct {
	Name     string `json:"name"`
	NodeType string `json:"node_type"`
	Nodes    int    `json:"nodes"`
	// Tables are the names of the tables the cluster serves; the first
	// owns it and carries its node-hours on the bill.
	Tables []string `json:"tables"`
	// CapacityPerS is the normalized load the cluster serves per second,
	// its nodes times one node's; PeakLoadPerS the busiest second's load,
	// MeanLoadPerS the load over the run's duration, and
	// PeakUtilization PeakLoadPerS / CapacityPerS (0 without capacity).
	CapacityPerS    float64 `json:"capacity_per_s"`
	PeakLoadPerS    float64 `json:"peak_load_per_s"`
	MeanLoadPerS    float64 `json:"mean_load_per_s"`
	PeakUtilization float64 `json:"peak_utilization"`
	// The cluster's own counts, as in CacheResult.
	HitRate    float64 `json:"hit_rate"`
	Hits       int64   `json:"hits"`
	Misses     int64   `json:"misses"`
	StaleReads int64   `json:"stale_reads"`
	Throttled  int64   `json:"throttled"`
	SavedRCU   float64 `json:"saved_rcu"`
	// ItemEntries and QueryEntries are the entries the caches held when
	// the run ended, ItemBytes and QueryBytes their size; 0 when the
	// model did not sample the cluster.
	ItemEntries  int64 `json:"item_entries"`
	QueryEntries int64 `json:"query_entries"`
	ItemBytes    int64 `json:"item_bytes"`
	QueryBytes   int64 `json:"query_bytes"`
}

// CapacityEvent is one change to a table's capacity or partitions.
type CapacityEvent struct {
	TimeS      float64 `json:"t_s"`
	Table      string  `json:"table"`
	Kind       string  `json:"kind"`
	Cause      string  `json:"cause"`
	Partitions int     `json:"partitions"`
	RCU        int64   `json:"rcu"`
	WCU        int64   `json:"wcu"`
	// Partition is the partition that split, numbered as before the
	// split, for a split; the heat map follows it to keep its rows by
	// hash range. Not in the JSON.
	Partition int `json:"-"`
}

// WriteJSON writes r as the result JSON: indented two spaces, with a
// trailing newline, and "<" left as is so thresholds read as written.
func WriteJSON(w io.Writer, r *Result) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(r)
}

// TraceWait is a trace replay whose client had MaxInFlight requests in
// flight when Records of its records were due: they waited for one to
// finish, the longest LongestMs, and their latency counts the wait.
type TraceWait struct {
	Workload    string  `json:"workload"`
	MaxInFlight int64   `json:"max_in_flight"`
	Records     int64   `json:"records"`
	LongestMs   float64 `json:"longest_ms"`
}

// CutShort is a workload the run's end cut short: it ran Ran of the
// Operations it was asked for, for Reason.
type CutShort struct {
	Workload   string `json:"workload"`
	Operations int64  `json:"operations"`
	Ran        int64  `json:"ran"`
	Reason     string `json:"reason"`
}

// Outage is a region down from StartS to EndS seconds into the run (a
// fault of the scenario); EndS is the run's end when it outlasted it.
type Outage struct {
	Region string  `json:"region"`
	StartS float64 `json:"start_s"`
	EndS   float64 `json:"end_s"`
}
