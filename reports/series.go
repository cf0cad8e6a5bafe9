package reports

import (
	"github.com/HdrHistogram/hdrhistogram-go"

	"github.com/ddbsim/ddbsim/model"
	"github.com/ddbsim/ddbsim/model/units"
	"github.com/ddbsim/ddbsim/sim"
)

// Series is a run's per-second time series, for outputs that draw or list
// time (CSV, plots). Index i covers virtual time [i s, (i+1) s), or with a
// Step longer than a second [i Step, (i+1) Step), the values of the
// fields documented "in the second" then being those of the step. Every
// slice, the tables' included, has the same length.
//
// A Series from a Collector shares storage with it: read it once the run is
// over.
type Series struct {
	// Step is what one index covers: a second, unless the Collector was
	// given a longer one (SetStep) for a long run.
	Step sim.Time
	// Offered counts requests by the second they started. Requests are
	// counted when they finish, so those still in flight when the run
	// stopped are missing from the last seconds.
	Offered []int64
	// LatencyP50 and LatencyP99 are the client-observed latency percentiles
	// of the requests that finished in the second (to ±1%, µs resolution);
	// zero in a second where none finished.
	LatencyP50, LatencyP99 []sim.Time
	// LatencyP90 and LatencyP999 complete the percentiles the latency plot
	// draws.
	LatencyP90, LatencyP999 []sim.Time
	// CostByItem is the account's cost so far at the end of each second,
	// in US dollars, one slice per billing.LineItems entry; nil without
	// prices.
	CostByItem [][]float64
	// Intervals hold each second's latency histogram (microseconds),
	// compressed, for the HdrHistogram interval log; seconds in which no
	// request finished have none.
	Intervals []Interval
	// Tables are in the order the Collector was given them.
	Tables []TableSeries
	// Caches has one entry per DAX cluster, in the order of
	// Collector.SetClusters; empty without DAX.
	Caches []CacheSeries
	// Replication is what the global tables' replication did each
	// second, all replicas together (model.GlobalEvent); nil when the
	// run has no global table.
	Replication *ReplicationSeries
}

// ReplicationSeries counts a run's global table events by the second they
// happened in, over every replica.
type ReplicationSeries struct {
	// Delivered counts replicated writes applied at another replica;
	// Conflicts those that arrived to find a later write of the item
	// and lost (last writer wins), each one overwritten update.
	Delivered, Conflicts []int64
	// Reads counts GetItems on a replica, StaleReads those that read a
	// copy another replica had written since.
	Reads, StaleReads []int64
	// Unreplicated counts writes still in flight from a region when it
	// went down.
	Unreplicated []int64
}

func (s *ReplicationSeries) counts() []*[]int64 {
	return []*[]int64{&s.Delivered, &s.Conflicts, &s.Reads, &s.StaleReads, &s.Unreplicated}
}

// ConsumerSeries is one stream consumer's lag, sampled at the end of each
// second (stream.ConsumerState); a second the model did not sample reads 0.
type ConsumerSeries struct {
	Name string
	// IteratorAge is how old the oldest record the consumer had not yet
	// processed was: 0 when it had caught up.
	IteratorAge []sim.Time
	// Backlog is the records written and not yet processed.
	Backlog []int64
}

// CacheSeries is one DAX cluster's per-second series: what its caches did
// with the reads and writes that reached it (model.CacheEvent), counted in
// the second of the access. A batch_get counts once per item.
type CacheSeries struct {
	Name string
	// ItemHits and ItemMisses are GetItem and BatchGetItem lookups in the
	// item cache; QueryHits and QueryMisses Query and Scan lookups in the
	// query cache.
	ItemHits, ItemMisses, QueryHits, QueryMisses []int64
	// Stale counts hits that served data the table had since changed.
	Stale []int64
	// Throttled counts accesses the cluster refused, over its capacity.
	Throttled []int64
	// Load is the cluster's normalized load in the second: the sum of
	// its accesses' loads (model.CacheEvent.Load).
	Load []units.Units
	// Capacity is the normalized load the cluster serves per second:
	// its nodes times one node's, or what the model last sampled.
	Capacity units.Units
}

// TableSeries is one table's per-second series.
type TableSeries struct {
	Name string
	// Read and Write are the capacity consumed in the second.
	Read, Write []units.Units
	// ThrottleEvents counts throttled attempts, retries included.
	ThrottleEvents []int64
	// Succeeded, Throttled and Errors count final outcomes by the second
	// the request finished; Offered counts the table's requests by the
	// second they started.
	Succeeded, Throttled, Errors, Offered []int64
	// ByReason counts throttle events by reason (indexed by
	// model.ThrottleReason; index 0 stays empty).
	ByReason [model.NumThrottleReasons][]int64
	// ReadCapacity and WriteCapacity are the capacity in effect, sampled
	// each second: provisioned, or what an on-demand table absorbs
	// instantly. ReadBurst and WriteBurst are the banked burst credit.
	ReadCapacity, WriteCapacity, ReadBurst, WriteBurst []units.Units
	// Partitions is the partition count each second.
	Partitions []int64
	// PartitionRead and PartitionWrite are consumption by partition index
	// ([partition][point]); PartitionReadBurst and PartitionWriteBurst
	// the banked burst credit at the point's end; PartitionThrottles the
	// throttle events. A point covers PartitionStep, which the
	// PartitionIndex of a series index finds. A split inserts its new
	// partition after its parent, so the rows after it move down one from
	// that point on.
	PartitionRead, PartitionWrite           [][]units.Units
	PartitionReadBurst, PartitionWriteBurst [][]units.Units
	PartitionThrottles                      [][]int64
	// PartitionStep is what one point of the partition series covers: a
	// whole number of Series.Step, the fewest that keep the table's
	// partition series within PartitionSeriesBudget over the run (its
	// partitions times its points times BytesPerPartitionPoint), which
	// for all but tables of thousands of partitions is Series.Step
	// itself. Zero reads as Series.Step.
	PartitionStep sim.Time
	// CacheHits and CacheMisses count the table's lookups in its DAX
	// cluster's item and query caches that hit and that missed; nil for
	// a table no cluster serves.
	CacheHits, CacheMisses []int64
	// Consumers are the consumers of the table's stream, in the order
	// the model samples them; empty without a stream.
	Consumers []ConsumerSeries
}

// Interval is one second's latency histogram in HdrHistogram's compressed
// encoding (values in microseconds); with a Series.Step longer than a
// second, one step's, Second being then the step's index.
type Interval struct {
	Second  int
	Encoded []byte
}

// PartitionStride is how many indexes of a series of step step one point
// of s's partition series covers: 1 unless PartitionStep is longer.
func (s *TableSeries) PartitionStride(step sim.Time) int {
	if step <= 0 || s.PartitionStep <= step {
		return 1
	}
	return int(s.PartitionStep / step)
}

// PartitionIndex is the point of s's partition series that holds index i
// of a series of step step.
func (s *TableSeries) PartitionIndex(i int, step sim.Time) int {
	return i / s.PartitionStride(step)
}

// Len is the number of indexes the series covers: seconds, or steps.
func (s *Series) Len() int { return len(s.Offered) }

// StepSeconds is the whole seconds one index of s covers.
func (s *Series) StepSeconds() int { return max(int(s.Step/sim.Second), 1) }

// NewLatencyHistogram returns an empty histogram of the geometry of
// Result.LatencyHistogram (microseconds, 1 µs to 1 h, three significant
// figures), to pool the runs' latencies into.
func NewLatencyHistogram() *hdrhistogram.Histogram {
	return hdrhistogram.New(histLowest, histHighest, histDigits)
}

// NewIntervalHistogram returns an empty histogram of the geometry of the
// series' Intervals (microseconds, 1 µs to 1 h, two significant figures),
// to merge them into.
func NewIntervalHistogram() *hdrhistogram.Histogram {
	return hdrhistogram.New(histLowest, histHighest, secDigits)
}

func (s *CacheSeries) counts() []*[]int64 {
	return []*[]int64{&s.ItemHits, &s.ItemMisses, &s.QueryHits, &s.QueryMisses, &s.Stale, &s.Throttled}
}

// units and counts return the table's per-second slices, for growing them
// in step.
func (s *TableSeries) unitSeries() []*[]units.Units {
	return []*[]units.Units{&s.Read, &s.Write, &s.ReadCapacity, &s.WriteCapacity, &s.ReadBurst, &s.WriteBurst}
}

// counts yields the table's count series; a range-over-func, not a slice,
// because the per-second growth walks them and must not allocate.
func (s *TableSeries) counts(yield func(*[]int64) bool) {
	for _, k := range [...]*[]int64{&s.ThrottleEvents, &s.Succeeded, &s.Throttled, &s.Errors, &s.Offered, &s.Partitions} {
		if !yield(k) {
			return
		}
	}
	for i := range s.ByReason {
		if !yield(&s.ByReason[i]) {
			return
		}
	}
}
