package model

import (
	"fmt"
	"math"
	"slices"

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

// Partition ceilings and size (REFERENCE: partitions): one partition serves
// at most 3,000 read units/s and 1,000 write units/s and holds about 10 GB.
const (
	PartitionReadCeiling  int64 = 3000
	PartitionWriteCeiling int64 = 1000
	PartitionSizeLimit    int64 = 10 << 30
)

// New on-demand tables serve this much at once, their default warm
// throughput (REFERENCE: ondemand).
const (
	OnDemandWarmReads  int64 = 12000
	OnDemandWarmWrites int64 = 4000
)

// InitialPartitions is the published allocation rule (REFERENCE:
// partitions): ceil(RCU/3000 + WCU/1000), at least 1, and enough
// partitions to hold the stored bytes at 10 GB each.
func InitialPartitions(rcu, wcu, bytes int64) int {
	byThroughput := (rcu + 3*wcu + 2999) / 3000 // RCU/3000 + WCU/1000, in 1/3000ths
	bySize := (bytes + PartitionSizeLimit - 1) / PartitionSizeLimit
	return int(max(1, byThroughput, bySize))
}

// TableConfig describes a table as a scenario declares it.
type TableConfig struct {
	Name   string
	Schema KeySchema
	Mode   Mode
	// ReadCapacity and WriteCapacity are provisioned RCU and WCU.
	ReadCapacity, WriteCapacity int64
	// PreviousPeakReads and PreviousPeakWrites (units/s) raise an
	// on-demand table's instantly available throughput above the warm
	// defaults: it absorbs up to twice its previous peak.
	PreviousPeakReads, PreviousPeakWrites float64
	// Items are loaded before the run starts.
	ItemCount, ItemSize, ItemsPerKey int64
}

// Partition is one hash range of a table with its share of the table's
// throughput.
type Partition struct {
	start uint64 // first hash the partition owns; it owns up to the next start
	read  TokenBucket
	write TokenBucket
	// Consumed capacity over the run, for per-partition reports.
	ConsumedRead, ConsumedWrite Units
}

// Table is one table: its items, its partitions and its admission state.
type Table struct {
	cfg    TableConfig
	store  *Store
	parts  []Partition
	starts []uint64 // parts[i].start, for binary search
	// Table-level buckets hold the table's whole provisioned rate. A
	// request the table as a whole cannot afford is throttled as
	// ProvisionedThroughputExceeded; one only its partition cannot afford
	// is a hot key range (KeyRangeThroughputExceeded).
	read, write TokenBucket
	limited     bool // the table-level buckets apply (provisioned mode)

	ConsumedRead, ConsumedWrite Units
}

func newTable(cfg TableConfig) (*Table, error) {
	if cfg.Mode == Provisioned && (cfg.ReadCapacity < 1 || cfg.WriteCapacity < 1) {
		return nil, fmt.Errorf("table %s: provisioned capacity must be at least 1 RCU and 1 WCU, got %d and %d",
			cfg.Name, cfg.ReadCapacity, cfg.WriteCapacity)
	}
	if cfg.ItemsPerKey < 1 {
		cfg.ItemsPerKey = 1
	}
	t := &Table{cfg: cfg, store: NewStore(cfg.Schema)}
	if cfg.ItemCount > 0 {
		t.store.Preload(cfg.ItemCount, cfg.ItemSize, cfg.ItemsPerKey)
	}
	rcu, wcu := t.capacity()
	n := InitialPartitions(rcu, wcu, t.store.Bytes())
	t.parts = make([]Partition, n)
	t.starts = make([]uint64, n)
	for i := range t.parts {
		// Partition i owns [i*2^64/n, (i+1)*2^64/n): an even split of the
		// hash space, so a later split can halve any one range.
		start := uint64(math.MaxUint64/uint64(n)) * uint64(i)
		if i == 0 {
			start = 0
		}
		t.parts[i].start = start
		t.starts[i] = start
	}
	t.limited = cfg.Mode == Provisioned
	t.initCapacity(0, rcu, wcu)
	return t, nil
}

// capacity is the throughput the table serves at once: its provisioned
// capacity, or for on-demand the larger of the warm throughput and twice
// the previous peak (REFERENCE: ondemand).
func (t *Table) capacity() (rcu, wcu int64) {
	if t.cfg.Mode == Provisioned {
		return t.cfg.ReadCapacity, t.cfg.WriteCapacity
	}
	rcu = max(OnDemandWarmReads, int64(math.Ceil(2*t.cfg.PreviousPeakReads)))
	wcu = max(OnDemandWarmWrites, int64(math.Ceil(2*t.cfg.PreviousPeakWrites)))
	return rcu, wcu
}

// initCapacity divides the table's capacity evenly across its partitions
// (REFERENCE: partitions), each share capped at the partition ceiling.
// Buckets hold one second of their rate: enforcement is per second, so 60
// WCU is not 3,600 writes in one second (REFERENCE: throttling).
func (t *Table) initCapacity(now sim.Time, rcu, wcu int64) {
	t.read = NewTokenBucket(WholeUnits(rcu), WholeUnits(rcu))
	t.write = NewTokenBucket(WholeUnits(wcu), WholeUnits(wcu))
	t.read.last, t.write.last = now, now
	n := int64(len(t.parts))
	readShares := divide(WholeUnits(rcu), n, WholeUnits(PartitionReadCeiling))
	writeShares := divide(WholeUnits(wcu), n, WholeUnits(PartitionWriteCeiling))
	for i := range t.parts {
		p := &t.parts[i]
		p.read = NewTokenBucket(readShares(i), readShares(i))
		p.write = NewTokenBucket(writeShares(i), writeShares(i))
		p.read.last, p.write.last = now, now
	}
}

// divide splits total into n shares that differ by at most one
// thousandth of a unit and sum to total, each capped at ceiling.
func divide(total Units, n int64, ceiling Units) func(i int) Units {
	q, r := total/Units(n), total%Units(n)
	return func(i int) Units {
		s := q
		if Units(i) < r {
			s++
		}
		return min(s, ceiling)
	}
}

// Name is the table's name.
func (t *Table) Name() string { return t.cfg.Name }

// Config is the table's configuration.
func (t *Table) Config() TableConfig { return t.cfg }

// Mode is the table's capacity mode.
func (t *Table) Mode() Mode { return t.cfg.Mode }

// Store holds the table's items.
func (t *Table) Store() *Store { return t.store }

// Partitions is the current partition count.
func (t *Table) Partitions() int { return len(t.parts) }

// Partition returns partition i.
func (t *Table) Partition(i int) *Partition { return &t.parts[i] }

// PartitionOf returns the index of the partition owning the key's hash:
// the last partition whose range starts at or below it.
func (t *Table) PartitionOf(hash uint64) int {
	i, found := slices.BinarySearch(t.starts, hash)
	if !found {
		i--
	}
	return i
}

// admit decides one request against the table and partition buckets and,
// when admitted, charges them.
func (t *Table) admit(now sim.Time, p *Partition, write bool, cost Units) ThrottleReason {
	tb, pb := &t.read, &p.read
	tableReason, rangeReason := TableReadProvisionedThroughputExceeded, TableReadKeyRangeThroughputExceeded
	if write {
		tb, pb = &t.write, &p.write
		tableReason, rangeReason = TableWriteProvisionedThroughputExceeded, TableWriteKeyRangeThroughputExceeded
	}
	if t.limited && !tb.CanTake(now, cost) {
		return tableReason
	}
	if !pb.CanTake(now, cost) {
		return rangeReason
	}
	if t.limited {
		tb.Take(now, cost)
	}
	pb.Take(now, cost)
	if write {
		p.ConsumedWrite += cost
		t.ConsumedWrite += cost
	} else {
		p.ConsumedRead += cost
		t.ConsumedRead += cost
	}
	return NotThrottled
}
