package model

import (
	"github.com/ddbsim/ddbsim/model/capacity"
	"github.com/ddbsim/ddbsim/model/units"
	"github.com/ddbsim/ddbsim/sim"
)

// ceilingWriteWeight makes the partition ceiling a linear mix: the ceiling
// bucket holds 3,000 units per second, a read unit takes 1 and a write
// unit takes 3, so a partition serves 3,000 RCU, or 1,000 WCU, or any mix
// on the line between (REFERENCE: partitions).
const ceilingWriteWeight = capacity.PartitionReadCeiling / capacity.PartitionWriteCeiling

// Partition is one hash range of a table with its share of the table's
// throughput, its burst bank, its hard ceiling, and what split for heat
// needs to know about its traffic.
type Partition struct {
	start uint64 // first hash the partition owns; it owns up to the next start
	// read and write meter the partition's share of provisioned capacity.
	// They hold BurstWindow seconds of it, so share left unused banks as
	// burst credit (REFERENCE: burst).
	read, write capacity.TokenBucket
	// ceiling is the hard limit no burst or adaptive capacity lifts, in
	// both capacity modes.
	ceiling capacity.TokenBucket
	bytes   int64 // stored bytes, for size splits
	heat    heat

	// Consumed capacity over the run.
	ConsumedRead, ConsumedWrite units.Units
}

func newCeiling(now sim.Time) capacity.TokenBucket {
	c := units.WholeUnits(capacity.PartitionReadCeiling)
	return capacity.NewFreshBucket(now, c, c)
}
