package model

import (
	"github.com/ddbsim/ddbsim/model/capacity"
	"github.com/ddbsim/ddbsim/model/latency"
	"github.com/ddbsim/ddbsim/model/units"
	"github.com/ddbsim/ddbsim/sim"
)

// Params are the service's behaviours that REFERENCE.md describes but whose
// numbers the service does not publish (or publishes only as "about" or
// "several minutes"). Each is a named field with a default and the reason
// for it, so a user can see, and change, every assumption the model makes.
type Params struct {
	// BurstWindow is how many seconds of a partition's unused share it
	// banks as burst credit. Published: 300 s (REFERENCE: burst).
	BurstWindow sim.Time
	// BurstStartsFull says whether partitions start the run with a full
	// burst bank. Not published; true because a table that existed before
	// the run, used below its capacity, has banked its 300 s by t=0.
	BurstStartsFull bool
	// Adaptive enables adaptive capacity: a partition short of its share
	// borrows the table's unused capacity (REFERENCE: adaptive). On by
	// default, as in the service; off shows the pre-2018 behaviour.
	Adaptive bool

	// HeatThreshold is the fraction of the partition ceiling above which a
	// partition counts as hot for split for heat. Not published; 80%
	// because REFERENCE: partitions gives it as the default to model.
	HeatThreshold float64
	// HeatSustain is how long a partition must stay hot, in whole minutes
	// of 1-minute datapoints, before it splits. Not published; 5 min per
	// REFERENCE: partitions.
	HeatSustain sim.Time
	// HeatSplitDelay is how long a split takes to complete once decided.
	// Not published ("splits take minutes"); 5 min per REFERENCE.
	HeatSplitDelay sim.Time
	// HotKeyShare is the share of a hot partition's traffic that one key
	// must take for the split to isolate that key rather than divide the
	// range at the traffic median: a split cannot divide one key's load
	// (REFERENCE: partitions, adaptive). Not published; one half, because
	// above it no split point can leave both halves under the parent's
	// load.
	HotKeyShare float64
	// EventualReadCeiling is the read units a second one partition serves
	// to eventually consistent reads. The developer guide gives 3,000 a
	// partition whatever the consistency (REFERENCE: partitions; AWS
	// "Burst and adaptive capacity"), the default. AWS's blog "Scaling
	// DynamoDB: How partitions, hot keys, and split for heat impact
	// performance (Part 2: Querying)" measured 4,500 on one key, any of a
	// partition's three replicas serving an eventually consistent read:
	// 4,500 is that reading (docs/model.md). An eventually consistent
	// read takes cost x 3,000/EventualReadCeiling of the partition's
	// ceiling; strong and transactional reads and writes are unchanged.
	EventualReadCeiling int64

	// OnDemandCatchUp is how long after a new sustained peak an on-demand
	// table takes to absorb twice that peak instantly. Not published;
	// REFERENCE: ondemand says exceeding twice the previous peak "within
	// 30 minutes" may throttle, so 30 min is the documented worst case.
	OnDemandCatchUp sim.Time
	// OnDemandPeakCountsThrottled says whether the peak an on-demand
	// table grows to follow is the traffic it was offered, throttled
	// requests included, or only what it admitted. The service "scales to
	// accommodate" a new peak (AWS "On-demand capacity mode"), sized from
	// "the signal of reads and writes" by splitting partitions for
	// consumption (Elhemali et al., USENIX ATC 2022, on-demand tables);
	// the knowledge centre's "on-demand table throttling" says only that
	// exceeding twice the previous peak within 30 minutes may throttle.
	// True: a table offered 8,000 WRU/s on 4,000 grows within the
	// catch-up to serve them, and then absorbs 16,000. False is the
	// pessimistic reading, the peak being what was admitted: the table
	// reaches 8,000 after one catch-up and 16,000 after a second.
	OnDemandPeakCountsThrottled bool
	// PeakWindow is the averaging window of a "sustained" on-demand peak.
	// Not published; 1 min, the grain of the service's own metrics.
	PeakWindow sim.Time

	// UpdateDelay is how long a provisioned capacity increase or decrease
	// takes to take effect, the table being in UPDATING state meanwhile.
	// Not published ("several minutes", REFERENCE: provisioned); 2 min.
	UpdateDelay sim.Time

	// AccountReadQuota and AccountWriteQuota are the per-table throughput
	// quotas (REFERENCE: ondemand, provisioned): 40,000 units/s each by
	// default, adjustable on request.
	TableReadQuota, TableWriteQuota int64

	// DAXCacheMemory is the share of a DAX node's memory its caches use,
	// the rest going to the operating system and the DAX process. Not
	// published; ddbsim assumes three quarters.
	DAXCacheMemory float64
	// DAXItemCacheShare is the item cache's share of that memory, the
	// query cache taking the rest. Not published (the two caches are
	// separate, REFERENCE: dax); ddbsim assumes half.
	DAXItemCacheShare float64

	// TTLDeleteWithin is how long after it expires an item may remain
	// before the background process deletes it; each item waits a uniform
	// share of it. REFERENCE: ttl says "within a few days", and older
	// text "typically 48 hours": 48 h.
	TTLDeleteWithin sim.Time
	// ReplicationLag is the time a global table's write takes to reach
	// another replica, unless the scenario gives a region pair its own.
	// REFERENCE: global, "typically within about a second (0.5–2.5 s
	// common within one geography)": median 1 s, p99 2.5 s.
	ReplicationLag latency.Lognormal
	// GlobalStorageOverhead is what storage billing adds to each item of
	// a global table's replica, on top of the 100 bytes every item
	// carries: 48 bytes (REFERENCE: units; AWS Developer Guide, "DynamoDB
	// item sizes and formats": global tables need "an additional 48 bytes
	// of storage overhead", version 2019.11.21, the one REFERENCE: global
	// models). They are not the item's attributes, so they cost no
	// capacity units. Version 2017.11.29 (legacy) kept its replication
	// state in item attributes (aws:rep:deleting, aws:rep:updatetime,
	// aws:rep:updateregion) that count toward the item's size and its
	// units: for that reading set it to 0 and add the bytes to the items'
	// and writes' sizes (docs/model.md).
	GlobalStorageOverhead int64
}

// DefaultParams returns the defaults documented on each field.
func DefaultParams() Params {
	return Params{
		BurstWindow:     300 * sim.Second,
		BurstStartsFull: true,
		Adaptive:        true,
		HeatThreshold:   0.8,
		HeatSustain:     5 * sim.Minute,
		HeatSplitDelay:  5 * sim.Minute,
		HotKeyShare:     0.5,

		EventualReadCeiling: capacity.PartitionReadCeiling,

		OnDemandCatchUp: 30 * sim.Minute,
		PeakWindow:      sim.Minute,
		UpdateDelay:     2 * sim.Minute,
		TableReadQuota:  40000,
		TableWriteQuota: 40000,

		OnDemandPeakCountsThrottled: true,

		DAXCacheMemory:    0.75,
		DAXItemCacheShare: 0.5,

		TTLDeleteWithin: 48 * sim.Hour,
		ReplicationLag:  latency.Lognormal{Median: sim.Second, P99: 2500 * sim.Millisecond},

		GlobalStorageOverhead: units.GlobalTableStorageOverhead,
	}
}
