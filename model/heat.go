package model

import (
	"math/bits"

	"github.com/ddbsim/ddbsim/model/store"
	"github.com/ddbsim/ddbsim/model/units"
	"github.com/ddbsim/ddbsim/sim"
)

// Split for heat's view of a partition's traffic (REFERENCE: partitions,
// "split for heat"): how much of the partition's capacity it used each
// minute, where in its range, and its heaviest keys. A single request
// feeds it one key at a time (heat.observe); the aggregate driver feeds it
// a tick's admitted load at a time, spread over the partition as a
// Placement says where the traffic falls (FlushHeat).

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
	// flushed is load FlushHeat added to minute and not yet to total,
	// bins and top, with its shape: they matter only in a hot minute,
	// and most partitions' minutes are not, which would reset them, so
	// heatTick adds it (in the order it came) only to a hot partition's.
	flushed  [2]flushedLoad
	nflushed int
}

// flushedLoad is load FlushHeat put on a partition, and where in it.
type flushedLoad struct {
	shape *heatShape
	load  units.Units
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
	if h.nflushed > 0 { // most requests find none: skip the call
		h.addFlushed()
	}
	h.minute += load
	h.total += load
	h.bins[bin] += load
	h.observeKey(hash, load)
}

// reset forgets the streak.
func (h *heat) reset() {
	if h.total == 0 && h.hotMinutes == 0 && h.splitDue == 0 {
		h.nflushed = 0 // no streak: the minute's flushed load is dropped
		return
	}
	*h = heat{minute: h.minute}
}

// flush adds load placed by shape to the minute, and keeps it for the
// streak (addFlushed).
func (h *heat) flush(shape *heatShape, load units.Units) {
	h.minute += load
	if h.nflushed == len(h.flushed) {
		h.addFlushed()
	}
	h.flushed[h.nflushed] = flushedLoad{shape, load}
	h.nflushed++
}

// addFlushed adds the load flushed since it last ran to the streak's
// total, sub-ranges and heaviest keys, spread as its shapes say.
func (h *heat) addFlushed() {
	for _, fl := range h.flushed[:h.nflushed] {
		h.spread(fl.shape, fl.load)
	}
	h.flushed = [2]flushedLoad{}
	h.nflushed = 0
}

// spread adds load, spread as sh says, to the streak's total, sub-ranges
// and heaviest keys.
func (h *heat) spread(sh *heatShape, load units.Units) {
	h.total += load
	for b, f := range sh.bins {
		h.bins[b] += units.Units(f * float64(load))
	}
	for k := range sh.ntop {
		h.observeKey(sh.top[k].Hash, units.Units(sh.top[k].Weight*float64(load)))
	}
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

// KeyWeight is one partition key's share of a workload's traffic: the
// key's hash (HashKey) and a weight on any scale.
type KeyWeight struct {
	Hash   uint64
	Weight float64
}

// Popularity is how a workload's requests spread over a table's hash
// space: Keys, listed with their weights, and Spread, weight spread evenly
// over the whole hash space on the same scale (the keys too many to list,
// whose hashes are uniform).
type Popularity struct {
	Keys   []KeyWeight
	Spread float64
}

// Placement is a Popularity placed on a table's partitions as they are:
// each partition's share of the traffic and, for split for heat, where
// inside the partition the traffic falls. Place makes it; a split or a
// doubling of the table makes it stale (Stale).
type Placement struct {
	// Share is each partition's share of the traffic; they sum to 1.
	Share []float64
	table int
	parts int
	shape []heatShape
	lo    []uint64 // each partition's first hash
	// pending is the ceiling load admitted on each partition since the
	// last FlushHeat.
	pending []units.Units
}

// heatShape is where inside a partition a workload's traffic falls: the
// fraction of it in each heat sub-range, and its heaviest listed keys with
// their fractions.
type heatShape struct {
	bins [heatBins]float64
	top  [hitters]KeyWeight
	ntop int
}

// Place places pop on the partitions of table. A Popularity with no
// weight at all is placed as Spread: evenly over the hash space.
func (s *Service) Place(table int, pop *Popularity) *Placement {
	t := s.tables[table]
	n := len(t.parts)
	pl := &Placement{table: table, parts: n, Share: make([]float64, n), shape: make([]heatShape, n),
		pending: make([]units.Units, n), lo: make([]uint64, n)}
	for i := range n {
		pl.lo[i] = t.parts[i].start
	}
	spread := pop.Spread
	total := spread
	for _, k := range pop.Keys {
		total += k.Weight
	}
	if !(total > 0) {
		spread, total = 1, 1
	}
	for _, k := range pop.Keys {
		if !(k.Weight > 0) {
			continue
		}
		i := t.PartitionOf(k.Hash)
		pl.Share[i] += k.Weight
		r := t.Range(i)
		sh := &pl.shape[i]
		sh.bins[binOf(r.Lo, r.Hi, k.Hash)] += k.Weight
		sh.keep(k)
	}
	for i := range n {
		sh := &pl.shape[i]
		if spread > 0 {
			w := spread * rangeFraction(t.Range(i))
			pl.Share[i] += w
			for b := range sh.bins {
				sh.bins[b] += w / heatBins
			}
		}
		if p := pl.Share[i]; p > 0 {
			for b := range sh.bins {
				sh.bins[b] /= p
			}
			for k := range sh.ntop {
				sh.top[k].Weight /= p
			}
		}
		pl.Share[i] /= total
	}
	return pl
}

// keep adds k to the shape's heaviest keys if it is among them.
func (sh *heatShape) keep(k KeyWeight) {
	if sh.ntop < hitters {
		sh.top[sh.ntop] = k
		sh.ntop++
		return
	}
	least := 0
	for i := 1; i < hitters; i++ {
		if sh.top[i].Weight < sh.top[least].Weight {
			least = i
		}
	}
	if k.Weight > sh.top[least].Weight {
		sh.top[least] = k
	}
}

// rangeFraction is the share of the whole hash space a range covers.
func rangeFraction(r store.HashRange) float64 {
	w := r.Hi - r.Lo // 0: the whole space
	if w == 0 {
		return 1
	}
	return float64(w) / (1 << 64)
}

// Stale reports whether the table's partitions have changed since pl was
// placed: Place it again (after FlushHeat).
func (s *Service) Stale(pl *Placement) bool { return len(s.tables[pl.table].parts) != pl.parts }

// FlushHeat adds the load admitted under pl since the last flush to the
// heat statistics of its partitions (REFERENCE: partitions, "split for
// heat"), spread over each partition's sub-ranges and heaviest keys as pl
// says. The driver flushes before each 1-minute datapoint, which is all
// split for heat reads, and before placing again. Load placed on
// partitions that have split since goes, sub-range by sub-range, to the
// partitions that hold them now, on their minute counters only: a split
// starts the streak afresh.
func (s *Service) FlushHeat(pl *Placement) {
	t := s.tables[pl.table]
	stale := len(t.parts) != pl.parts
	for i, load := range pl.pending {
		if load <= 0 {
			continue
		}
		pl.pending[i] = 0
		sh := &pl.shape[i]
		if stale {
			lo, hi := pl.lo[i], uint64(0)
			if i+1 < len(pl.lo) {
				hi = pl.lo[i+1]
			}
			for b, f := range sh.bins {
				p := &t.parts[t.PartitionOf(binStart(lo, hi, b))]
				p.heat.minute += units.Units(f * float64(load))
			}
			continue
		}
		t.parts[i].heat.flush(sh, load)
	}
}

// observeKey is the Space-Saving step of heat.observe alone (Metwally,
// Agrawal, El Abbadi, "Efficient computation of frequent and top-k
// elements in data streams", ICDT 2005), for a load already on the
// minute, the total and the sub-ranges.
func (h *heat) observeKey(hash uint64, load units.Units) {
	if load <= 0 {
		return
	}
	// One pass finds the key or the first of the least counts; the
	// least count so far is kept in a variable, not read again.
	minI, minCount := 0, h.top[0].count
	for i := range h.top {
		e := &h.top[i]
		if e.count > 0 && e.hash == hash {
			e.count += load
			return
		}
		if e.count < minCount {
			minI, minCount = i, e.count
		}
	}
	m := &h.top[minI]
	m.err = m.count
	m.count += load
	m.hash = hash
}

// Start is the first hash of partition i as pl placed it.
func (pl *Placement) Start(i int) uint64 { return pl.lo[i] }

// Partitions is the partition count pl was placed on.
func (pl *Placement) Partitions() int { return pl.parts }

// Table is the index of the table pl was placed on.
func (pl *Placement) Table() int { return pl.table }
