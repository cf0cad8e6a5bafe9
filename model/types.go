package model

import (
	"fmt"
	"strconv"

	"github.com/ddbsim/ddbsim/model/billing"
	"github.com/ddbsim/ddbsim/model/stream"
	"github.com/ddbsim/ddbsim/model/units"
	"github.com/ddbsim/ddbsim/sim"
)

// ThrottleReason says why a request was throttled, named as the service's
// ThrottlingReason: resource + operation + limit (REFERENCE: throttling).
type ThrottleReason uint8

const (
	// NotThrottled marks an admitted request.
	NotThrottled ThrottleReason = iota
	TableReadProvisionedThroughputExceeded
	TableWriteProvisionedThroughputExceeded
	TableReadKeyRangeThroughputExceeded
	TableWriteKeyRangeThroughputExceeded
	TableReadAccountLimitExceeded
	TableWriteAccountLimitExceeded
	TableReadMaxOnDemandThroughputExceeded
	TableWriteMaxOnDemandThroughputExceeded
	// The same limits on a global secondary index. A base-table write
	// throttled because an index could not take its index writes
	// carries the index's reason (REFERENCE: gsi, back-pressure).
	IndexReadProvisionedThroughputExceeded
	IndexWriteProvisionedThroughputExceeded
	IndexReadKeyRangeThroughputExceeded
	IndexWriteKeyRangeThroughputExceeded
	IndexReadAccountLimitExceeded
	IndexWriteAccountLimitExceeded
	IndexReadMaxOnDemandThroughputExceeded
	IndexWriteMaxOnDemandThroughputExceeded
	// DAXThrottled: a DAX cluster above its normalized capacity refused
	// the request with ThrottlingException (REFERENCE: dax).
	DAXThrottled
	NumThrottleReasons
)

// indexReasonOffset turns a table reason into the same index reason.
const indexReasonOffset = IndexReadProvisionedThroughputExceeded - TableReadProvisionedThroughputExceeded

// IsIndex reports whether the reason names a secondary index.
func (r ThrottleReason) IsIndex() bool {
	return r >= IndexReadProvisionedThroughputExceeded && r <= IndexWriteMaxOnDemandThroughputExceeded
}

// IsWrite reports whether the reason names a write: the reasons come in
// read, write pairs, table reasons first, then index reasons.
func (r ThrottleReason) IsWrite() bool {
	return r > NotThrottled && r <= IndexWriteMaxOnDemandThroughputExceeded && r%2 == 0
}

var reasonNames = [NumThrottleReasons]string{
	"",
	"TableReadProvisionedThroughputExceeded",
	"TableWriteProvisionedThroughputExceeded",
	"TableReadKeyRangeThroughputExceeded",
	"TableWriteKeyRangeThroughputExceeded",
	"TableReadAccountLimitExceeded",
	"TableWriteAccountLimitExceeded",
	"TableReadMaxOnDemandThroughputExceeded",
	"TableWriteMaxOnDemandThroughputExceeded",
	"IndexReadProvisionedThroughputExceeded",
	"IndexWriteProvisionedThroughputExceeded",
	"IndexReadKeyRangeThroughputExceeded",
	"IndexWriteKeyRangeThroughputExceeded",
	"IndexReadAccountLimitExceeded",
	"IndexWriteAccountLimitExceeded",
	"IndexReadMaxOnDemandThroughputExceeded",
	"IndexWriteMaxOnDemandThroughputExceeded",
	"DAXThrottlingException",
}

func (r ThrottleReason) String() string {
	if r < NumThrottleReasons {
		return reasonNames[r]
	}
	return fmt.Sprintf("reason(%d)", int(r))
}

// reason returns the read or write variant of a limit's reason.
func reason(write bool, read, writeReason ThrottleReason) ThrottleReason {
	if write {
		return writeReason
	}
	return read
}

// Limit names the limit that stopped a throttled request, finer than the
// reason the service reports, for explanations.
type Limit uint8

const (
	// LimitCeiling: the partition's hard ceiling of 3,000 read / 1,000
	// write units per second (REFERENCE: partitions).
	LimitCeiling Limit = iota + 1
	// LimitShare: the partition's share of provisioned capacity, its burst
	// bank empty, and the table had no unused capacity to lend it
	// (REFERENCE: burst, adaptive).
	LimitShare
	// LimitTable: the table's whole provisioned capacity was in use.
	LimitTable
	// LimitOnDemand: traffic above what an on-demand table absorbs
	// instantly, twice its previous peak (REFERENCE: ondemand).
	LimitOnDemand
	// LimitQuota: the table's throughput quota (REFERENCE: ondemand).
	LimitQuota
	// LimitMaxThroughput: the on-demand table's own maximum setting.
	LimitMaxThroughput
	// LimitDAX: the DAX cluster's normalized request capacity.
	LimitDAX
)

var limitNames = [...]string{"", "partition ceiling", "partition share", "table capacity",
	"on-demand instant capacity", "table quota", "on-demand maximum", "DAX cluster capacity"}

func (l Limit) String() string {
	if int(l) < len(limitNames) {
		return limitNames[l]
	}
	return fmt.Sprintf("limit(%d)", int(l))
}

// ThrottleEvent is one throttled attempt with what the model knew when it
// refused it, so that a report can say why.
type ThrottleEvent struct {
	Table, Partition int
	Op               units.Op
	Reason           ThrottleReason
	Limit            Limit
	Cost             units.Units // what the request would have consumed
	// The partition's hash range [RangeStart, RangeEnd]; RangeEnd is
	// inclusive so the last partition can end at 2^64-1.
	RangeStart, RangeEnd uint64
	// Per second: the partition's share, its ceiling for this kind of
	// unit, and the table's capacity (provisioned, or on-demand instant).
	ShareRate, CeilingRate, TableRate units.Units
	// Balances at the moment of the throttle: the partition's burst bank
	// above one second of its share, and the table's unused capacity.
	Burst, TableUnused units.Units
}

// Result is the final outcome of a client request.
type Result uint8

const (
	// Succeeded: an attempt was admitted and served.
	Succeeded Result = iota
	// Throttled: every attempt was throttled and the client gave up.
	Throttled
	// Failed: the request ended in an error other than a throttle
	// (a client timeout, a failed condition check).
	Failed
)

func (r Result) String() string {
	switch r {
	case Succeeded:
		return "succeeded"
	case Throttled:
		return "throttled"
	case Failed:
		return "error"
	}
	return "result(" + strconv.Itoa(int(r)) + ")"
}

// Outcome describes one finished client request, retries included. It is
// plain data passed by value.
type Outcome struct {
	Table int // index of the table in the service
	// Workload is the index of the scenario's workload that sent the
	// request, so that results can be told apart by workload.
	Workload int
	// Throttles counts the request's attempts that were throttled, the
	// last one included when Result is Throttled.
	Throttles int
	Op        units.Op
	Result    Result
	Start     sim.Time // when the client issued the first attempt
	End       sim.Time // when the client saw the final response
	Attempts  int
	// Reason is the last throttle reason when Result is Throttled.
	Reason ThrottleReason
	// Error says what went wrong when Result is Failed.
	Error ErrorKind
	// Cache is what the DAX cluster did with the request's last attempt;
	// CacheNone when it did not go through DAX.
	Cache CacheAccess
}

// ErrorKind is the kind of a request's failure other than a throttle.
type ErrorKind uint8

const (
	NoError ErrorKind = iota
	// ErrTimeout: the last attempt took longer than the client waits.
	ErrTimeout
	// ErrConditionalCheckFailed: a write's condition did not hold.
	ErrConditionalCheckFailed
	// ErrItemCollectionTooLarge: the write would take an item collection
	// of a table with a local secondary index past 10 GB
	// (ItemCollectionSizeLimitExceededException, REFERENCE: gsi).
	ErrItemCollectionTooLarge
	// ErrTransactionConflict: the request touched an item a transaction
	// in progress holds (TransactionConflict; REFERENCE: units,
	// transactions). Clients retry it.
	ErrTransactionConflict
	// ErrRegionUnavailable: the request went to a region that is down
	// (a fault of the scenario). Clients retry it, and fail over.
	ErrRegionUnavailable
	// ErrReplicatedWriteConflict: a write to a global table with
	// multi-region strong consistency met a concurrent write to the same
	// item in another region (REFERENCE: global). Clients retry it.
	ErrReplicatedWriteConflict
	NumErrorKinds
)

var errorNames = [NumErrorKinds]string{"", "timeout", "conditional_check_failed", "item_collection_size_limit_exceeded",
	"transaction_conflict", "region_unavailable", "replicated_write_conflict"}

// Retryable reports whether a client retries the error, as it retries a
// throttle: within its attempts and its retry quota.
func (e ErrorKind) Retryable() bool {
	return e == ErrTransactionConflict || e == ErrRegionUnavailable || e == ErrReplicatedWriteConflict
}

func (e ErrorKind) String() string {
	if e < NumErrorKinds {
		return errorNames[e]
	}
	return fmt.Sprintf("error(%d)", int(e))
}

// Latency is the client-observed time from first attempt to final response.
func (o *Outcome) Latency() sim.Time { return o.End - o.Start }

// TableState is a table's capacity at one instant, sampled once per
// simulated second for the timeline.
type TableState struct {
	Mode       Mode
	Partitions int
	// ReadCapacity and WriteCapacity are the provisioned capacity in
	// effect, or what an on-demand table absorbs instantly.
	ReadCapacity, WriteCapacity units.Units
	// ReadBurst and WriteBurst are the partitions' banked burst credit,
	// summed.
	ReadBurst, WriteBurst units.Units
	// Bill is the table's billable usage so far.
	Bill billing.Meter
	// Parts has one entry per partition, in partition order, for a
	// provisioned table; it is empty for an on-demand one, whose
	// partitions bank no burst. The slice is reused from sample to
	// sample: copy what you keep.
	Parts []PartitionState
	// Consumers are the table's stream consumers, a slice reused from
	// sample to sample; nil without a stream.
	Consumers []stream.ConsumerState
	// Cache is the table's DAX cluster, on the first table the cluster
	// serves (its owner, which its node-hours are billed to); nil on the
	// others and without DAX.
	Cache *CacheState
}

// CacheState is a DAX cluster at one instant.
type CacheState struct {
	Cluster int
	// Load is the normalized load of the second that just ended, and
	// Capacity what the cluster serves per second (REFERENCE: dax).
	Load, Capacity units.Units
	// Entries and bytes held by the item and query caches.
	ItemEntries, QueryEntries int64
	ItemBytes, QueryBytes     int64
}

// PartitionState is one partition's burst credit at one instant.
type PartitionState struct {
	ReadBurst, WriteBurst units.Units
}

// EventKind is a kind of change to a table's capacity or layout.
type EventKind uint8

const (
	// EventUpdateRequested: a capacity change was asked for (by auto
	// scaling or the scenario's schedule); it takes effect later.
	EventUpdateRequested EventKind = iota + 1
	// EventUpdateApplied: a capacity change took effect.
	EventUpdateApplied
	// EventUpdateRefused: a decrease was refused by the daily limits.
	EventUpdateRefused
	// EventPartitionsDoubled: capacity outgrew the partitions.
	EventPartitionsDoubled
	// EventSizeSplit: a partition passed 10 GB and split.
	EventSizeSplit
	// EventHeatSplit: a hot partition split at a key from its traffic.
	EventHeatSplit
	// EventHotKeyIsolated: a hot partition split its hottest key off.
	EventHotKeyIsolated
	// EventOnDemandGrew: an on-demand table's instant capacity rose.
	EventOnDemandGrew
	// EventModeSwitched: the table's capacity mode changed.
	EventModeSwitched
)

var eventNames = [...]string{"", "update requested", "update applied", "update refused",
	"partitions doubled", "size split", "heat split", "hot key isolated", "on-demand capacity grew",
	"mode switched"}

func (k EventKind) String() string {
	if int(k) < len(eventNames) {
		return eventNames[k]
	}
	return fmt.Sprintf("event(%d)", int(k))
}

// CapacityEvent is one change to a table's capacity or partitions.
type CapacityEvent struct {
	Table      int
	Kind       EventKind
	Cause      string // "autoscaling", "schedule", "traffic", ...: a constant, never formatted
	Partition  int    // the partition concerned, for splits
	Partitions int    // the partition count after the event
	Mode       Mode   // the capacity mode after the event (requested, for requests)
	// Read and Write are the table's capacity after the event (requested
	// capacity for EventUpdateRequested and EventUpdateRefused).
	Read, Write int64
}

// Recorder receives what happens during a run. reports.Collector
// implements it; the model and the clients call it, never the reverse.
// Calls arrive in non-decreasing virtual time.
type Recorder interface {
	// Consumed records capacity consumed by one admitted attempt on a
	// partition of a table.
	Consumed(now sim.Time, table, partition int, read, write units.Units)
	// Throttle records one throttled attempt (a throttle event).
	Throttle(now sim.Time, ev *ThrottleEvent)
	// Retry records that the client scheduled a retry.
	Retry(now sim.Time, table int, op units.Op)
	// Finish records a request's final outcome.
	Finish(o Outcome)
	// Sample records a table's capacity, once per simulated second.
	Sample(now sim.Time, table int, st *TableState)
	// Event records a change to a table's capacity or partitions.
	Event(now sim.Time, ev CapacityEvent)
	// Cache records what a DAX cluster did with one request, or with one
	// part of a batch_get.
	Cache(now sim.Time, ev *CacheEvent)
	// Global records what a global table's replication did.
	Global(now sim.Time, ev *GlobalEvent)
}

// GlobalEventKind is a kind of GlobalEvent.
type GlobalEventKind uint8

const (
	// GlobalDelivered: a write reached another replica (Lag after it was
	// made) and was applied there.
	GlobalDelivered GlobalEventKind = iota + 1
	// GlobalConflict: a write reached another replica whose copy of the
	// item was written later by a third party: last writer wins, and this
	// update is overwritten there (REFERENCE: global).
	GlobalConflict
	// GlobalRead: a GetItem on a replica; Stale when another replica had
	// written the item since this replica's copy.
	GlobalRead
	// GlobalUnreplicated: a write was still in flight from a region when
	// the region went down; it is delivered when the region returns.
	GlobalUnreplicated
)

// GlobalEvent is one event of a global table's replication.
type GlobalEvent struct {
	Kind GlobalEventKind
	// Table is the replica (its table index) where it happened; Origin
	// the replica where the write was made.
	Table, Origin int
	Lag           sim.Time
	Stale         bool
}

// CacheAccess is what a DAX cluster did with one read or write.
type CacheAccess uint8

const (
	// CacheNone: the request did not go through DAX.
	CacheNone CacheAccess = iota
	// CacheItemHit and CacheItemMiss: a GetItem or BatchGetItem part
	// found, or did not find, its item in the item cache.
	CacheItemHit
	CacheItemMiss
	// CacheQueryHit and CacheQueryMiss: a Query or Scan found, or did not
	// find, its exact request in the query cache.
	CacheQueryHit
	CacheQueryMiss
	// CacheWrite: a write went through DAX to the table and, once
	// admitted, into the item cache (write-through).
	CacheWrite
	// CachePassThrough: a strongly consistent read or a transaction,
	// which DAX forwards to the table without caching.
	CachePassThrough
	// CacheThrottled: the cluster was over its capacity and refused the
	// request.
	CacheThrottled
	NumCacheAccesses
)

var cacheAccessNames = [NumCacheAccesses]string{"", "item_hit", "item_miss", "query_hit", "query_miss",
	"write", "pass_through", "throttled"}

func (a CacheAccess) String() string {
	if a < NumCacheAccesses {
		return cacheAccessNames[a]
	}
	return fmt.Sprintf("cache(%d)", int(a))
}

// IsHit reports whether the access was served from a cache.
func (a CacheAccess) IsHit() bool { return a == CacheItemHit || a == CacheQueryHit }

// IsMiss reports whether the access missed a cache and read the table.
func (a CacheAccess) IsMiss() bool { return a == CacheItemMiss || a == CacheQueryMiss }

// CacheEvent is one access to a DAX cluster.
type CacheEvent struct {
	Table   int // the table the request was for
	Cluster int // the cluster's index in the service
	Access  CacheAccess
	// Stale marks a hit that served data the table has since changed: a
	// query result after a write (the query cache is not invalidated by
	// writes), or an item written by a client that bypassed DAX.
	Stale bool
	// Saved is the read capacity the table did not serve because of a
	// hit: what the read would have cost it, eventually consistent.
	Saved units.Units
	// Load is the normalized load the access put on the cluster
	// (REFERENCE: dax, sizing), in thousandths of a normalized request.
	Load units.Units
}
