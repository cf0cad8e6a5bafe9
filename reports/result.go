package reports

import (
	"encoding/json"
	"io"
	"math"

	"github.com/ddbsim/ddbsim/model"
	"github.com/ddbsim/ddbsim/model/billing"
	"github.com/ddbsim/ddbsim/model/units"
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

	Requests Requests `json:"requests"`
	Ratios   Ratios   `json:"ratios"`
	// LatencyMs is client-observed, from first attempt to final response:
	// retries and backoff included, and every final outcome counted
	// (throttled and failed requests too: the client waited for them).
	LatencyMs Latency `json:"latency_ms"`
	// Operations has an entry for each operation that finished at least
	// once, keyed by its scenario name ("batch_get").
	Operations map[string]OpResult `json:"operations"`
	Tables     []TableResult       `json:"tables"`
	// Thresholds is filled by Evaluate; empty until then.
	Thresholds []ThresholdResult `json:"thresholds"`
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
}

// CostResult is what the run costs: TotalUSD for the simulated duration,
// MonthlyUSD that cost spread over a 730-hour month, and the bill by line
// item (read_capacity, write_capacity, read_requests, write_requests,
// storage). The free tier has come off when it was asked for.
type CostResult struct {
	TotalUSD   float64            `json:"total_usd"`
	MonthlyUSD float64            `json:"monthly_usd"`
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
}

// Result summarises the run recorded so far. It may be called more than
// once; recording can continue after it. The Series it holds shares storage
// with the Collector and covers at least meta.Duration.
func (c *Collector) Result(meta Meta) *Result {
	c.grow(c.ceilIndex(meta.Duration))
	series := c.Series()

	r := &Result{
		SchemaVersion: SchemaVersion,
		Scenario:      meta.Scenario,
		Seed:          meta.Seed,
		DurationS:     round(meta.Duration.Seconds(), 3),
		Complete:      meta.Complete,
		Requests: Requests{
			Total:          c.total,
			Succeeded:      c.succeeded,
			Throttled:      c.throttled,
			ThrottleEvents: c.throttleEvents,
			Retries:        c.retries,
			Errors:         c.errors,
		},
		Ratios: Ratios{
			Throttled: ratio(c.throttled, c.total),
			Errors:    ratio(c.errors, c.total),
		},
		LatencyMs:      c.all.latency(),
		Operations:     map[string]OpResult{},
		Tables:         make([]TableResult, len(c.tables)),
		Thresholds:     []ThresholdResult{},
		CapacityEvents: []CapacityEvent{},
		ErrorsByKind:   map[string]int64{},
		Series:         series,
		Explanations:   c.explanations,
	}
	if c.meters != nil {
		hours := meta.Duration.Seconds() / 3600
		bill := billing.Cost(c.meters, c.books, hours, c.freeTier)
		r.Cost = &CostResult{TotalUSD: round(bill.Total(), 6), Breakdown: map[string]float64{}, Lines: []CostLine{}}
		for _, ch := range billing.Itemize(c.meters, c.books, hours, c.freeTier) {
			r.Cost.Lines = append(r.Cost.Lines, CostLine{Table: c.tables[ch.Table].info.Name, Item: ch.Item, Unit: ch.Unit,
				Quantity: round(ch.Quantity, 6), Free: round(ch.Free, 6), PriceUSD: ch.Price, USD: round(ch.USD, 6)})
		}
		if hours > 0 {
			r.Cost.MonthlyUSD = round(bill.Total()/hours*billing.HoursPerMonth, 2)
		}
		for _, item := range billing.LineItems {
			if optionalLineItem(item) && bill[item] == 0 && (item != billing.ItemDAXNodes || len(c.clusters) == 0) {
				continue // a run without DAX, global tables or streams has no such line
			}
			r.Cost.Breakdown[item] = round(bill[item], 6)
		}
	}
	if len(c.clusters) > 0 {
		r.Cache = c.cacheResult(meta.Duration)
	}
	r.Streams = c.streamResults()
	r.Availability = c.availability(meta.Duration)
	if c.repl != nil {
		r.Replication = c.replicationResult(r.Availability)
	}
	for kind, n := range c.errorKinds {
		if n > 0 && kind != int(model.NoError) {
			r.ErrorsByKind[model.ErrorKind(kind).String()] = n
		}
	}
	for _, e := range c.events {
		r.CapacityEvents = append(r.CapacityEvents, CapacityEvent{
			TimeS: round(e.at.Seconds(), 3), Table: c.tables[e.ev.Table].info.Name,
			Kind: e.ev.Kind.String(), Cause: e.ev.Cause, Partitions: e.ev.Partitions,
			RCU: e.ev.Read, WCU: e.ev.Write,
		})
	}
	for op, l := range c.ops {
		if l != nil {
			r.Operations[units.Op(op).String()] = OpResult{Count: l.count, LatencyMs: l.latency()}
		}
	}
	for i := range c.tables {
		r.Tables[i] = c.tables[i].result(meta.Duration, c.step)
	}
	return r
}

func (t *tableStats) result(d, step sim.Time) TableResult {
	tr := TableResult{
		Name:              t.info.Name,
		Table:             t.info.Base,
		Index:             t.info.Index,
		Region:            t.info.Region,
		Mode:              t.info.Mode,
		Partitions:        t.info.Partitions,
		ConsumedRCU:       roundUnits(t.read),
		ConsumedWCU:       roundUnits(t.write),
		ThrottlesByReason: map[string]int64{},
		ProvisionedRCU:    t.info.ReadCapacity,
		ProvisionedWCU:    t.info.WriteCapacity,
		PeakRCUPerS:       roundUnits(perSecond(slicesMax(t.s.Read), step)),
		PeakWCUPerS:       roundUnits(perSecond(slicesMax(t.s.Write), step)),
		ThrottledRatio:    ratio(t.throttled, t.succeeded+t.throttled+t.errors),
		FinalRCU:          roundUnits(t.finalRead),
		FinalWCU:          roundUnits(t.finalWrite),
	}
	if s := d.Seconds(); s > 0 {
		tr.MeanRCUPerS = round(t.read.Float()/s, 3)
		tr.MeanWCUPerS = round(t.write.Float()/s, 3)
	}
	for reason, n := range t.byReason {
		if n > 0 {
			tr.ThrottlesByReason[model.ThrottleReason(reason).String()] = n
		}
	}
	return tr
}

// cacheResult sums the clusters' counts.
func (c *Collector) cacheResult(d sim.Time) *CacheResult {
	cr := &CacheResult{Clusters: []ClusterResult{}}
	var saved units.Units
	for i := range c.clusters {
		cl := &c.clusters[i]
		a := &cl.accesses
		cr.ItemHits += a[model.CacheItemHit]
		cr.ItemMisses += a[model.CacheItemMiss]
		cr.QueryHits += a[model.CacheQueryHit]
		cr.QueryMisses += a[model.CacheQueryMiss]
		cr.Writes += a[model.CacheWrite]
		cr.PassThrough += a[model.CachePassThrough]
		cr.Throttled += a[model.CacheThrottled]
		cr.StaleReads += cl.stale
		saved += cl.saved
		cr.Clusters = append(cr.Clusters, c.clusterResult(cl, d))
	}
	cr.Hits, cr.Misses = cr.ItemHits+cr.QueryHits, cr.ItemMisses+cr.QueryMisses
	cr.HitRate = ratio(cr.Hits, cr.Hits+cr.Misses)
	cr.ItemHitRate = ratio(cr.ItemHits, cr.ItemHits+cr.ItemMisses)
	cr.QueryHitRate = ratio(cr.QueryHits, cr.QueryHits+cr.QueryMisses)
	cr.SavedRCU = roundUnits(saved)
	for _, l := range []struct {
		dst *Latency
		src *latencyStats
	}{{&cr.HitLatencyMs, c.hitLat}, {&cr.MissLatencyMs, c.missLat}, {&cr.WriteLatencyMs, c.writeLat}} {
		if l.src != nil {
			*l.dst = l.src.latency()
		}
	}
	return cr
}

func (c *Collector) clusterResult(cl *clusterStats, d sim.Time) ClusterResult {
	a := &cl.accesses
	hits := a[model.CacheItemHit] + a[model.CacheQueryHit]
	misses := a[model.CacheItemMiss] + a[model.CacheQueryMiss]
	res := ClusterResult{
		Name:         cl.info.Name,
		NodeType:     cl.info.NodeType,
		Nodes:        cl.info.Nodes,
		Tables:       []string{},
		CapacityPerS: roundUnits(cl.s.Capacity),
		PeakLoadPerS: roundUnits(perSecond(slicesMax(cl.s.Load), c.step)),
		HitRate:      ratio(hits, hits+misses),
		Hits:         hits,
		Misses:       misses,
		StaleReads:   cl.stale,
		Throttled:    a[model.CacheThrottled],
		SavedRCU:     roundUnits(cl.saved),
		ItemEntries:  cl.itemEntries,
		QueryEntries: cl.queryEntries,
		ItemBytes:    cl.itemBytes,
		QueryBytes:   cl.queryBytes,
	}
	for _, ti := range cl.info.Tables {
		res.Tables = append(res.Tables, c.tables[ti].info.Name)
	}
	if cl.s.Capacity > 0 {
		res.PeakUtilization = round(perSecond(slicesMax(cl.s.Load), c.step).Float()/cl.s.Capacity.Float(), 6)
	}
	if s := d.Seconds(); s > 0 {
		var total units.Units
		for _, v := range cl.s.Load {
			total += v
		}
		res.MeanLoadPerS = round(total.Float()/s, 3)
	}
	return res
}

// streamResults lists the tables' stream consumers; nil when none was
// sampled.
func (c *Collector) streamResults() []StreamResult {
	var out []StreamResult
	for i := range c.tables {
		t := &c.tables[i]
		for k := range t.consumers {
			cs := &t.consumers[k]
			out = append(out, StreamResult{
				Table: t.info.Name, Consumer: t.s.Consumers[k].Name,
				Records: cs.last.Records, Processed: cs.last.Processed, Lost: cs.last.Lost,
				Retries: cs.last.Retries, ReadUnits: cs.last.ReadUnits,
				MaxIteratorAgeS:   seconds3(cs.maxAge),
				FinalIteratorAgeS: seconds3(cs.last.IteratorAge),
			})
		}
	}
	return out
}

// availability is the availability of each 5-minute interval of a run of
// duration d. Requests that ended at or after d (the last instant) count
// in the last interval.
func (c *Collector) availability(d sim.Time) []AvailabilityRatio {
	n := int((d + AvailabilityInterval - 1) / AvailabilityInterval)
	out := make([]AvailabilityRatio, n)
	for k := range out {
		var ended, failed int64
		if k < len(c.availEnded) {
			ended, failed = c.availEnded[k], c.availFailed[k]
		}
		if k == n-1 {
			for j := n; j < len(c.availEnded); j++ {
				ended += c.availEnded[j]
				failed += c.availFailed[j]
			}
		}
		out[k] = AvailabilityRatio{TimeS: (sim.Time(k) * AvailabilityInterval).Seconds(), Ratio: 1}
		if ended > 0 {
			out[k].Ratio = round(1-float64(failed)/float64(ended), 6)
		}
	}
	return out
}

// minAvailability is the lowest ratio of av, 1 when it is empty.
func minAvailability(av []AvailabilityRatio) float64 {
	m := 1.0
	for _, a := range av {
		m = min(m, a.Ratio)
	}
	return m
}

func (c *Collector) replicationResult(av []AvailabilityRatio) *ReplicationResult {
	r := c.repl
	rr := &ReplicationResult{
		ReplicatedWrites:     r.delivered,
		Conflicts:            r.conflicts,
		OverwrittenUpdates:   r.conflicts,
		Reads:                r.reads,
		StaleReads:           r.stale,
		StaleReadRatio:       ratio(r.stale, r.reads),
		UnreplicatedAtOutage: r.unreplicated,
		AvailabilityMin:      minAvailability(av),
		Availability:         av,
	}
	if rr.Availability == nil {
		rr.Availability = []AvailabilityRatio{}
	}
	if l := r.lag.latency(); r.lag.count > 0 {
		rr.LagMs = LagLatency{P50: l.P50, P90: l.P90, P99: l.P99, Max: l.Max}
	}
	return rr
}

// seconds3 is t in seconds to 3 decimals (milliseconds).
func seconds3(t sim.Time) float64 { return round(t.Seconds(), 3) }

func (l *latencyStats) latency() Latency {
	if l.count == 0 {
		return Latency{}
	}
	q := func(p float64) float64 { return millis(percentile(l.h, p, l.max)) }
	mean := (float64(l.sumSec)*float64(nsPerSecond) + float64(l.sumNs)) / float64(l.count)
	return Latency{
		P50:  q(50),
		P90:  q(90),
		P99:  q(99),
		P999: q(99.9),
		Max:  millis(l.max),
		Mean: round(mean/float64(sim.Millisecond), 3),
	}
}

// WriteJSON writes r as the result JSON: indented two spaces, with a
// trailing newline, and "<" left as is so thresholds read as written.
func WriteJSON(w io.Writer, r *Result) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(r)
}

// round rounds x to the given number of decimals.
func round(x float64, decimals int) float64 {
	p := math.Pow10(decimals)
	return math.Round(x*p) / p
}

// ratio is n/of rounded to 6 decimals, and 0 when of is 0.
func ratio(n, of int64) float64 {
	if of == 0 {
		return 0
	}
	return round(float64(n)/float64(of), 6)
}

// millis converts virtual time to milliseconds at µs resolution.
func millis(t sim.Time) float64 { return round(t.Milliseconds(), 3) }

// roundUnits converts Units to capacity units; thousandths are exact in 3
// decimals.
func roundUnits(u units.Units) float64 { return round(u.Float(), 3) }

// ceilSeconds is the number of series seconds a run of duration d spans.
func ceilSeconds(d sim.Time) int {
	return int((d + sim.Second - 1) / sim.Second)
}

// ceilIndex is the number of series indexes a run of duration d spans.
func (c *Collector) ceilIndex(d sim.Time) int {
	return int((d + c.step - 1) / c.step)
}

// perSecond is u consumed over one series index of step, per second: the
// busiest second, or with a longer step the mean second of the busiest
// step.
func perSecond(u units.Units, step sim.Time) units.Units {
	if step <= sim.Second {
		return u
	}
	return u / units.Units(step/sim.Second) // a step is whole seconds
}

func slicesMax(s []units.Units) units.Units {
	var m units.Units
	for _, v := range s {
		m = max(m, v)
	}
	return m
}
