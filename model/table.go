package model

import (
	"fmt"
	"math/bits"
	"slices"

	"github.com/ddbsim/ddbsim/model/billing"
	"github.com/ddbsim/ddbsim/model/capacity"
	"github.com/ddbsim/ddbsim/model/latency"
	"github.com/ddbsim/ddbsim/model/store"
	"github.com/ddbsim/ddbsim/model/stream"
	"github.com/ddbsim/ddbsim/model/ttl"
	"github.com/ddbsim/ddbsim/model/units"
	"github.com/ddbsim/ddbsim/sim"
)

// Mode is a table's capacity mode.
type Mode uint8

const (
	Provisioned Mode = iota
	OnDemand
)

func (m Mode) String() string {
	if m == OnDemand {
		return "on-demand"
	}
	return "provisioned"
}

// TableConfig describes a table as a scenario declares it.
type TableConfig struct {
	Name   string
	Schema store.KeySchema
	Mode   Mode
	// ReadCapacity and WriteCapacity are provisioned RCU and WCU.
	ReadCapacity, WriteCapacity int64
	// Partitions raises the initial partition count above what capacity
	// and size call for: partitions never merge, so a table once scaled
	// up keeps them (REFERENCE: partitions). 0 leaves the published rule.
	Partitions int
	// AutoScaling, when set, adjusts a provisioned table's capacity.
	AutoScaling *capacity.AutoScaling
	// Schedule lists capacity changes planned at given times.
	Schedule []CapacityChange

	// PreviousPeakReads and PreviousPeakWrites (units/s) raise an
	// on-demand table's instantly available throughput above the warm
	// defaults: it absorbs up to twice its previous peak.
	PreviousPeakReads, PreviousPeakWrites float64
	// WarmReads and WarmWrites raise the warm throughput above the
	// defaults (pre-warming); lower values are ignored, since warm
	// throughput never goes down (REFERENCE: ondemand).
	WarmReads, WarmWrites int64
	// MaxReads and MaxWrites are the on-demand table's optional maximum
	// throughput (MaxRead/WriteRequestUnits); 0 for none.
	MaxReads, MaxWrites int64

	// Items are loaded before the run starts.
	ItemCount, ItemSize, ItemsPerKey int64
	// StandardIA is the Standard-IA table class: other prices, and no
	// free tier.
	StandardIA bool
	// Stream, when set, gives the table a stream and its consumers.
	Stream *stream.Config
	// TTL, when set, expires the table's items (REFERENCE: ttl).
	TTL *ttl.Config
	// Replicas, when set, make the table a global table: a replica in
	// each region, the first (the table itself) its home region. The
	// service makes a table of each other replica, named
	// "<table>@<region>", with the same configuration.
	Replicas []string
	// ReplicationLags overrides Params.ReplicationLag for region pairs.
	ReplicationLags []ReplicationLag
	// StrongConsistency is multi-region strong consistency (exactly three
	// replicas): writes wait for another region, and concurrent writes to
	// one item in two regions fail (REFERENCE: global).
	StrongConsistency bool
	// Region is the table's region ("" for the scenario's); set by the
	// service on replicas.
	Region string
	// Indexes are the table's secondary indexes: global ones become
	// tables of their own in the service, named "<table>/<index>"
	// (REFERENCE: gsi).
	Indexes []IndexConfig
	// ReservedRead and ReservedWrite are reserved capacity units, bought
	// in blocks of 100 for a term (REFERENCE: provisioned); the price
	// book's reserved rates apply to them.
	ReservedRead, ReservedWrite int64
}

// ReplicationLag is the replication lag from one region to another.
type ReplicationLag struct {
	From, To string
	Lag      latency.Lognormal
}

// CapacityChange is a planned UpdateTable call: new provisioned capacity,
// or a switch of capacity mode.
type CapacityChange struct {
	At          sim.Time
	Read, Write int64 // 0 keeps the current (or last provisioned) value
	// SwitchTo, when set, switches the table to that capacity mode.
	SwitchTo *Mode
}

// Table is one table: its items, its partitions and its admission state.
type Table struct {
	index int
	cfg   TableConfig
	p     *Params
	store *store.Store
	// holds is what the partitions hold: the store, or a global
	// secondary index's entries.
	holds contents
	parts []Partition

	// rcu and wcu are the capacity in effect: provisioned, or what an
	// on-demand table absorbs instantly.
	rcu, wcu int64
	// capacitySetAt is when rcu and wcu last changed, and rcuBefore and
	// wcuBefore what they were before: a change at the very end of a
	// metered period is billed from the next one (meter).
	capacitySetAt        sim.Time
	rcuBefore, wcuBefore int64
	// read and write hold one second of the table's capacity. In
	// provisioned mode they track the table's unused capacity, which
	// adaptive capacity lends to partitions short of their share; in
	// on-demand mode they are the instant limit itself.
	read, write capacity.TokenBucket
	// odLimit is which limit set an on-demand table's capacity.
	odReadLimit, odWriteLimit Limit
	// budget is what an on-demand table's reads and writes share, in
	// read units a second (capacity.OnDemandBudget): each request takes
	// its ceiling load from it as well as its cost from read or write.
	budget capacity.TokenBucket

	scaling  capacity.AutoScaler
	pending  *pendingUpdate
	decrease capacity.DecreaseLog
	od       capacity.PeakTracker
	// provRead and provWrite are the last provisioned capacity, which a
	// switch back from on-demand restores unless told otherwise.
	provRead, provWrite int64
	// warmRead and warmWrite are the table's warm throughput: the most
	// capacity it has had in effect or served in a minute, and any
	// pre-warming. It never goes down (REFERENCE: ondemand).
	warmRead, warmWrite int64
	// highRead and highWrite are the highest capacity provisioned since
	// the table was created, half of which a switch to on-demand keeps
	// as its previous peak.
	highRead, highWrite int64
	// switches are the times of switches to on-demand in the last day.
	switches []sim.Time

	// base is the table a global secondary index belongs to, nil for a
	// table; ordinal is the index's place in base's Indexes and gsi its
	// entries. indexes are a table's global secondary indexes by their
	// place in its Indexes (nil for local ones).
	base    *Table
	ordinal int
	gsi     *gsiEntries
	indexes []*Table
	// dropped marks a deleted global index's table (DropGlobalIndex):
	// not metered, not scaled.
	dropped bool
	// lsiEntries and lsiBytes are the entries of the table's local
	// secondary indexes, billed as storage with the table's items.
	lsiEntries, lsiBytes int64
	// dax is the cluster in front of the table, if any.
	dax *DAXCluster
	// stream is the table's stream, ttl its time to live, and global the
	// global table it is a replica of; nil when it has none.
	stream *stream.Log
	ttl    *ttl.Sweeper
	global *globalTable
	// tx are the items transactions in progress hold (transact.go).
	tx txHolds

	minuteRead, minuteWrite units.Units // consumed since the last 1-minute tick
	state                   TableState

	// minuteRefusedRead and minuteRefusedWrite are what an on-demand
	// table refused above its instant capacity since the last 1-minute
	// tick: the demand its peak follows (Params.OnDemandPeakCountsThrottled).
	minuteRefusedRead, minuteRefusedWrite units.Units

	// bill accrues the table's billable usage.
	bill billing.Accrual

	ConsumedRead, ConsumedWrite units.Units
}

func newTable(index int, cfg TableConfig, p *Params) (*Table, error) {
	if cfg.Mode == Provisioned && (cfg.ReadCapacity < 1 || cfg.WriteCapacity < 1) {
		return nil, fmt.Errorf("table %s: provisioned capacity must be at least 1 RCU and 1 WCU, got %d and %d",
			cfg.Name, cfg.ReadCapacity, cfg.WriteCapacity)
	}
	if cfg.ItemsPerKey < 1 {
		cfg.ItemsPerKey = 1
	}
	t := &Table{index: index, cfg: cfg, p: p, store: store.NewStore(cfg.Schema)}
	t.holds = t.store
	if cfg.ItemCount > 0 {
		t.store.Preload(cfg.ItemCount, cfg.ItemSize, cfg.ItemsPerKey)
	}
	t.init()
	return t, nil
}

// init sets up the partitions, capacity and bill of a table whose
// contents are loaded.
func (t *Table) init() {
	cfg := t.cfg
	t.bill.Totals.Standard = !cfg.StandardIA
	rcu, wcu := cfg.ReadCapacity, cfg.WriteCapacity
	if cfg.Mode == OnDemand {
		t.od = capacity.NewPeakTracker(cfg.PreviousPeakReads, cfg.PreviousPeakWrites)
		// A datapoint a minute (minuteTick) waits out the catch-up.
		t.od.Reserve(int(t.p.OnDemandCatchUp/sim.Minute) + 1)
		rcu, wcu, t.odReadLimit, t.odWriteLimit = t.onDemandCapacity()
	}
	n := max(capacity.InitialPartitions(rcu, wcu, t.holds.Bytes()), cfg.Partitions)
	t.parts = make([]Partition, n)
	for i := range t.parts {
		// Partition i owns [i*2^64/n, (i+1)*2^64/n): an even split of the
		// hash space, so a later split can halve any one range.
		t.parts[i].start, _ = bits.Div64(uint64(i), 0, uint64(n)) // i*2^64/n

		t.parts[i].ceiling = newCeiling(0)
	}
	t.countBytes()
	t.rcu, t.wcu = rcu, wcu
	t.provRead, t.provWrite = cfg.ReadCapacity, cfg.WriteCapacity
	t.warmRead, t.warmWrite = max(rcu, cfg.WarmReads), max(wcu, cfg.WarmWrites)
	t.highRead, t.highWrite = cfg.ReadCapacity, cfg.WriteCapacity
	t.read = capacity.NewFreshBucket(0, units.WholeUnits(rcu), units.WholeUnits(rcu))
	t.write = capacity.NewFreshBucket(0, units.WholeUnits(wcu), units.WholeUnits(wcu))
	if cfg.Mode == OnDemand {
		b := units.WholeUnits(t.onDemandBudget())
		t.budget = capacity.NewFreshBucket(0, b, b)
	}
	t.divideShares(0, true)
	if cfg.AutoScaling != nil {
		t.scaling = capacity.NewAutoScaler(*cfg.AutoScaling)
	}
}

// divideShares divides the table's capacity evenly across its partitions
// (REFERENCE: partitions). Each share bucket banks BurstWindow seconds of
// the share; fresh buckets start full when BurstStartsFull, otherwise with
// one second of their share.
func (t *Table) divideShares(now sim.Time, fresh bool) {
	n := int64(len(t.parts))
	readShares := divide(units.WholeUnits(t.rcu), n)
	writeShares := divide(units.WholeUnits(t.wcu), n)
	for i := range t.parts {
		p := &t.parts[i]
		t.setShare(now, &p.read, readShares(i), fresh)
		t.setShare(now, &p.write, writeShares(i), fresh)
	}
}

func (t *Table) setShare(now sim.Time, b *capacity.TokenBucket, rate units.Units, fresh bool) {
	window := max(1, int64(t.p.BurstWindow/sim.Second))
	bank := rate * units.Units(window)
	if !fresh {
		b.Reset(now, rate, bank)
		return
	}
	if t.p.BurstStartsFull {
		*b = capacity.NewTokenBucketAt(now, rate, bank, bank)
		return
	}
	*b = capacity.NewFreshBucket(now, rate, bank)
}

// divide splits total into n shares that differ by at most one
// thousandth of a unit and sum to total.
func divide(total units.Units, n int64) func(i int) units.Units {
	q, r := total/units.Units(n), total%units.Units(n)
	return func(i int) units.Units {
		if units.Units(i) < r {
			return q + 1
		}
		return q
	}
}

// Name is the table's name.
func (t *Table) Name() string { return t.cfg.Name }

// Config is the table's configuration.
func (t *Table) Config() TableConfig { return t.cfg }

// Mode is the table's capacity mode.
func (t *Table) Mode() Mode { return t.cfg.Mode }

// Index is the table's index in the service.
func (t *Table) Index() int { return t.index }

// BaseTable returns, for a global secondary index, the service index of
// its table and the index's name; ok is false for a table.
func (t *Table) BaseTable() (base int, index string, ok bool) {
	if t.base == nil {
		return -1, "", false
	}
	return t.base.index, t.cfg.Name[len(t.base.cfg.Name)+1:], true
}

// IndexRequest returns the Request.Index that sends a query or scan to
// the named secondary index, and whether the index is local.
func (t *Table) IndexRequest(name string) (index int, local bool, ok bool) {
	for i, ic := range t.cfg.Indexes {
		if ic.Name == name {
			return i + 1, ic.Local, true
		}
	}
	return 0, false, false
}

// Store holds the table's items.
func (t *Table) Store() *store.Store { return t.store }

// Partitions is the current partition count.
func (t *Table) Partitions() int { return len(t.parts) }

// Partition returns partition i.
func (t *Table) Partition(i int) *Partition { return &t.parts[i] }

// Capacity is the capacity in effect, in units per second: provisioned,
// or what an on-demand table absorbs instantly.
func (t *Table) Capacity() (rcu, wcu int64) { return t.rcu, t.wcu }

// Range returns partition i's hash range.
func (t *Table) Range(i int) store.HashRange {
	r := store.HashRange{Lo: t.parts[i].start}
	if i+1 < len(t.parts) {
		r.Hi = t.parts[i+1].start
	}
	return r
}

// PartitionOf returns the index of the partition owning the key's hash:
// the last partition whose range starts at or below it. The search reads
// the starts in place: a Partition is large, and a comparison function
// taking one by value would copy it at every step.
func (t *Table) PartitionOf(hash uint64) int {
	lo, hi := 1, len(t.parts) // the first partition starts at 0
	for lo < hi {
		mid := int(uint(lo+hi) >> 1)
		if t.parts[mid].start <= hash {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	return lo - 1
}

// countBytes recomputes each partition's stored bytes from the store.
func (t *Table) countBytes() {
	for i := range t.parts {
		t.parts[i].bytes, _ = t.holds.RangeBytes(t.Range(i))
	}
}

// admit decides one request of cost units on partition pi, a count of 1
// through the admission order (decide), and, when admitted, charges every
// bucket it passed. ev is filled when it is not.
func (t *Table) admit(now sim.Time, pi int, hash uint64, write bool, c units.Consistency, cost units.Units, ev *ThrottleEvent) bool {
	load := t.ceilingLoadOf(write, c, cost)
	g := t.gatesAt(now, pi, write, load)
	v := t.decide(&g, write, cost, load, 1)
	if limit := v.refusedBy(); limit != 0 {
		t.refuse(now, pi, write, cost, limit, ev)
		return false
	}
	t.chargeCount(now, 0, pi, write, cost, load, v)
	t.observeHeat(pi, hash, load)
	return true
}

// admitPlanned is admit for a write with index writes (plan, nil for
// none): the table's partition and every index partition the plan writes
// must take their share, or nothing is charged and ev says which refused.
func (t *Table) admitPlanned(now sim.Time, pi int, hash uint64, write bool, c units.Consistency, cost units.Units, plan *indexPlan, ev *ThrottleEvent) bool {
	if plan == nil {
		return t.admit(now, pi, hash, write, c, cost, ev)
	}
	if limit := t.limitFor(now, pi, write, cost, t.ceilingLoadOf(write, c, cost)); limit != 0 {
		t.refuse(now, pi, write, cost, limit, ev)
		return false
	}
	if !plan.admit(now, ev) {
		return false
	}
	t.charge(now, pi, hash, write, c, cost)
	return true
}

// noteRefused counts units an on-demand table refused above its instant
// capacity, the demand its peak follows beyond what it admitted
// (Params.OnDemandPeakCountsThrottled). Refusals by a partition's ceiling,
// the table quota or max_throughput are not demand the table grows for.
func (t *Table) noteRefused(write bool, u units.Units, limit Limit) {
	if t.cfg.Mode != OnDemand || limit != LimitOnDemand {
		return
	}
	if write {
		t.minuteRefusedWrite += u
	} else {
		t.minuteRefusedRead += u
	}
}

// ceilingLoad is what cost takes from a partition's ceiling bucket, a
// strong or transactional read's or a write's (and what it takes from an
// on-demand table's shared budget, whatever the consistency).
func ceilingLoad(write bool, cost units.Units) units.Units {
	if write {
		return cost * units.Units(ceilingWriteWeight)
	}
	return cost
}

// ceilingLoadOf is ceilingLoad for a request of consistency c: an
// eventually consistent read takes cost x 3,000/EventualReadCeiling, so
// that one partition serves Params.EventualReadCeiling read units a
// second of them while strong reads stay at 3,000 (REFERENCE: partitions;
// AWS Database Blog, "Scaling DynamoDB: How partitions, hot keys, and
// split for heat impact performance (Part 2: Querying)": any of a
// partition's three replicas serves an eventually consistent read).
// Rounded to the nearest thousandth of a unit.
func (t *Table) ceilingLoadOf(write bool, c units.Consistency, cost units.Units) units.Units {
	ceiling := t.p.EventualReadCeiling
	if write || c != units.Eventual || ceiling == capacity.PartitionReadCeiling || ceiling <= 0 {
		return ceilingLoad(write, cost)
	}
	return max(1, (cost*units.Units(capacity.PartitionReadCeiling)+units.Units(ceiling/2))/units.Units(ceiling))
}

// limitFor returns the limit that refuses cost units on partition pi at
// now, or 0 when they can be admitted; load is what must fit under the
// partition's ceiling (the request's own load, or a transaction's whole
// load on the partition). It is decide for a count of 1.
func (t *Table) limitFor(now sim.Time, pi int, write bool, cost, load units.Units) Limit {
	g := t.gatesAt(now, pi, write, load)
	return t.decide(&g, write, cost, load, 1).refusedBy()
}

// charge takes cost units admitted on partition pi from the buckets that
// allowed them (chargeCount for a count of 1: the partition's share when
// it covers them, else the table's unused capacity, which a table of one
// partition does not lend, so its share pays all) and feeds split for
// heat.
func (t *Table) charge(now sim.Time, pi int, hash uint64, write bool, c units.Consistency, cost units.Units) {
	v := verdict{admitted: 1}
	if t.cfg.Mode == Provisioned {
		share := &t.parts[pi].read
		if write {
			share = &t.parts[pi].write
		}
		if !t.lends() || share.CanTake(now, cost) {
			v.fromShare = 1
		}
	}
	load := t.ceilingLoadOf(write, c, cost)
	t.chargeCount(now, 0, pi, write, cost, load, v)
	t.observeHeat(pi, hash, load)
}

// observeHeat adds one admitted request's ceiling load to the heat
// statistics of partition pi.
func (t *Table) observeHeat(pi int, hash uint64, load units.Units) {
	p := &t.parts[pi]
	p.heat.observe(binOf(p.start, t.Range(pi).Hi, hash), hash, load)
}

// refuse describes a throttle for the recorder and for explanations.
func (t *Table) refuse(now sim.Time, pi int, write bool, cost units.Units, limit Limit, ev *ThrottleEvent) {
	p := &t.parts[pi]
	r := t.Range(pi)
	share, table := &p.read, &t.read
	ceiling := units.WholeUnits(capacity.PartitionReadCeiling)
	if write {
		share, table = &p.write, &t.write
		ceiling = units.WholeUnits(capacity.PartitionWriteCeiling)
	}
	t.noteRefused(write, cost, limit)
	*ev = ThrottleEvent{
		Table: t.index, Partition: pi, Limit: limit, Cost: cost,
		RangeStart: r.Lo, RangeEnd: r.Hi - 1,
		CeilingRate: ceiling, TableRate: table.Rate(),
		TableUnused: max(0, table.Available(now)),
	}
	if t.cfg.Mode == Provisioned {
		ev.ShareRate = share.Rate()
		ev.Burst = max(0, share.Available(now)-share.Rate())
	}
	switch limit {
	case LimitTable:
		ev.Reason = reason(write, TableReadProvisionedThroughputExceeded, TableWriteProvisionedThroughputExceeded)
	case LimitQuota:
		ev.Reason = reason(write, TableReadAccountLimitExceeded, TableWriteAccountLimitExceeded)
	case LimitMaxThroughput:
		ev.Reason = reason(write, TableReadMaxOnDemandThroughputExceeded, TableWriteMaxOnDemandThroughputExceeded)
	default:
		// The ceiling, a partition's exhausted share, and on-demand
		// traffic above what the table's partitions were sized for are
		// all a key range short of throughput.
		ev.Reason = reason(write, TableReadKeyRangeThroughputExceeded, TableWriteKeyRangeThroughputExceeded)
	}
}

// sample fills the table's state for the timeline.
func (t *Table) sample(now sim.Time) *TableState {
	st := &t.state
	st.Mode = t.cfg.Mode
	st.Partitions = len(t.parts)
	st.ReadCapacity, st.WriteCapacity = units.WholeUnits(t.rcu), units.WholeUnits(t.wcu)
	st.ReadBurst, st.WriteBurst = 0, 0
	st.Bill = t.Meter()
	if t.cfg.Mode != Provisioned {
		// An on-demand table's partitions bank no burst: none is listed,
		// as a table of 10,000 partitions is sampled every second.
		st.Parts = st.Parts[:0]
		return st
	}
	st.Parts = slices.Grow(st.Parts[:0], len(t.parts))[:len(t.parts)]
	for i := range t.parts {
		p, ps := &t.parts[i], &st.Parts[i]
		ps.ReadBurst = max(0, p.read.Available(now)-p.read.Rate())
		ps.WriteBurst = max(0, p.write.Available(now)-p.write.Rate())
		st.ReadBurst += ps.ReadBurst
		st.WriteBurst += ps.WriteBurst
	}
	return st
}

// onDemandCapacity is what an on-demand table absorbs instantly: the
// larger of its warm throughput and twice its previous peak, within its
// quota and its own maximum (REFERENCE: ondemand), and which of those
// limits set it.
func (t *Table) onDemandCapacity() (rcu, wcu int64, readLimit, writeLimit Limit) {
	c := &t.cfg
	rcu, readLimit = limitOf(capacity.OnDemandInstant(capacity.OnDemandWarmReads, c.WarmReads, t.od.PeakReads), t.p.TableReadQuota, c.MaxReads)
	wcu, writeLimit = limitOf(capacity.OnDemandInstant(capacity.OnDemandWarmWrites, c.WarmWrites, t.od.PeakWrites), t.p.TableWriteQuota, c.MaxWrites)
	return rcu, wcu, readLimit, writeLimit
}

// onDemandBudget is what the table's reads and writes share each second
// in on-demand mode (capacity.OnDemandBudget).
func (t *Table) onDemandBudget() int64 {
	return capacity.OnDemandBudget(t.cfg.WarmReads, t.cfg.WarmWrites, t.od.PeakReads, t.od.PeakWrites)
}

func limitOf(instant, quota, maximum int64) (int64, Limit) {
	v, l := instant, LimitOnDemand
	if v >= quota {
		v, l = quota, LimitQuota
	}
	if maximum > 0 && v >= maximum {
		v, l = maximum, LimitMaxThroughput
	}
	return v, l
}
