package model

import (
	"math/bits"

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
	return capacity.NewTokenBucketAt(now, c, c, c)
}

// heatBins is how finely a partition's range is divided to find a split
// point from its traffic: 16 equal sub-ranges.
const heatBins = 16

// heat is what the model watches to split a hot partition (REFERENCE:
// partitions, "split for heat").
type heat struct {
	minute     units.Units // ceiling units consumed since the last datapoint
	hotMinutes int         // consecutive 1-minute datapoints above the threshold
	splitDue   sim.Time
	total      units.Units           // ceiling units over the hot streak
	bins       [heatBins]units.Units // the streak's traffic by sub-range
	top        [hitters]hitter       // the streak's heaviest keys
}

// hitters is the number of keys the Space-Saving sketch tracks. With k
// counters a key's count is overestimated by at most total/k, so eight
// keep the error under 12.5% of the partition's traffic: fine enough to
// tell a key with half the traffic from one with a third.
const hitters = 8

type hitter struct {
	hash       uint64
	count, err units.Units
}

// observe adds one admitted request's load to the heat statistics. It does
// not allocate.
func (h *heat) observe(bin int, hash uint64, load units.Units) {
	h.minute += load
	h.total += load
	h.bins[bin] += load
	h.observeKey(hash, load)
}

// reset forgets the streak.
func (h *heat) reset() {
	*h = heat{minute: h.minute}
}

// hottest returns the key with the most traffic in the streak and a lower
// bound on its share of it.
func (h *heat) hottest() (hash uint64, share float64) {
	best := 0
	for i := range h.top {
		if h.top[i].count-h.top[i].err > h.top[best].count-h.top[best].err {
			best = i
		}
	}
	if h.total == 0 {
		return 0, 0
	}
	t := h.top[best]
	return t.hash, float64(t.count-t.err) / float64(h.total)
}

// width returns the size of [start, end) where end == 0 means 2^64; 0 for
// the whole hash space.
func width(start, end uint64) uint64 { return end - start }

// binOf returns the sub-range of [start, end) that holds hash.
func binOf(start, end, hash uint64) int {
	off := hash - start
	w := width(start, end)
	if w == 0 { // the whole hash space
		return int(off >> 60)
	}
	// off*16/w without overflow: off < w, so the high word is below w.
	q, _ := bits.Div64(off>>60, off<<4, w)
	return int(q)
}

// binStart returns the first hash of sub-range i of [start, end).
func binStart(start, end uint64, i int) uint64 {
	w := width(start, end)
	if w == 0 {
		return start + uint64(i)<<60
	}
	hi, lo := bits.Mul64(w, uint64(i))
	q, _ := bits.Div64(hi, lo, heatBins)
	return start + q
}
