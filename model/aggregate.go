package model

import (
	"fmt"
	"math"
	"math/bits"

	"github.com/ddbsim/ddbsim/model/capacity"
	"github.com/ddbsim/ddbsim/model/store"
	"github.com/ddbsim/ddbsim/model/units"
	"github.com/ddbsim/ddbsim/sim"
)

// Aggregate (fluid) admission: counts of like requests over an interval
// instead of one request at a time, through the same token buckets, in the
// same order, charged the same way (DESIGN: "work in units and counts, not
// request objects, inside admission and billing"). A driver that steps
// time in ticks (workload.FluidDriver) hands the service, for each table
// and tick, how many requests of each operation arrive on each partition;
// the service says how many each partition admits, charges what they
// consume, and reports the rest as throttles.
//
// The requests of a tick are taken to arrive evenly over it. A token bucket
// fed at rate r that holds b at the start of an interval of length h and
// meets demand at a constant rate admits min(demand, b + r·h): the bucket
// either never runs dry, or runs dry and from then on admits exactly what
// it refills. Capping at the bucket's capacity only matters when the
// demand is below the refill, and then everything is admitted. So each
// bucket is charged at the start of the interval (its balance may go
// negative, as it does for a request larger than the bucket) and refills
// lazily over the interval as it always does: its balance at the end is
// min(capacity, b + r·h - taken), exactly what the per-request path leaves.
// Where several flows share a bucket (reads and writes the partition
// ceiling, every partition the table's capacity) and it cannot take them
// all, it is shared in proportion to demand, as interleaved requests share
// it.

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
		h := &t.parts[i].heat
		h.minute += load
		h.total += load
		for b, f := range sh.bins {
			h.bins[b] += units.Units(f * float64(load))
		}
		for k := range sh.ntop {
			h.observeKey(sh.top[k].Hash, units.Units(sh.top[k].Weight*float64(load)))
		}
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
	minI := 0
	for i := range h.top {
		if h.top[i].count > 0 && h.top[i].hash == hash {
			h.top[i].count += load
			return
		}
		if h.top[i].count < h.top[minI].count {
			minI = i
		}
	}
	m := &h.top[minI]
	m.err = m.count
	m.count += load
	m.hash = hash
}

// CountGroup is the requests of one operation that one workload sends to
// one table over an interval, counted by partition.
type CountGroup struct {
	Op units.Op
	// Cost is what each request consumes (ReadUnits, PutUnits, ... of
	// its item), the mean over the workload's item sizes: the fluid
	// driver does not draw each request's size.
	Cost units.Units
	// Offered counts the requests arriving on each partition over the
	// interval (index = partition, as the Placement has them).
	Offered []int64
	// Admitted is filled with how many of them each partition admits;
	// Reason with the reason of the rest, when there are any.
	Admitted []int64
	Reason   []ThrottleReason
	// Place receives the admitted load for split for heat; nil for none.
	Place *Placement

	write bool
	load  units.Units // ceiling units per request
	m     []int64     // past the ceiling
	s     []int64     // admitted by the partition's share (provisioned)
	// One bucket's offer at a time (fluidTake): c requests at u units
	// each, k admitted.
	c, k int64
	u    units.Units
}

// CountRecorder is a Recorder that also takes counts of like events, as
// the aggregate driver produces them. A Recorder without these methods is
// called once per event instead.
type CountRecorder interface {
	Recorder
	// ThrottleN records n throttled attempts like ev.
	ThrottleN(now sim.Time, ev *ThrottleEvent, n int64)
	// RetryN records n retries the client scheduled.
	RetryN(now sim.Time, table int, op units.Op, n int64)
	// FinishN records n requests with the same final outcome.
	FinishN(o Outcome, n int64)
}

// ThrottleN reports n throttles like ev to rec.
func ThrottleN(rec Recorder, now sim.Time, ev *ThrottleEvent, n int64) {
	if cr, ok := rec.(CountRecorder); ok {
		cr.ThrottleN(now, ev, n)
		return
	}
	for range n {
		rec.Throttle(now, ev)
	}
}

// AdmitCounts admits the groups' requests to table over [from, to): for
// each partition, the ceiling first, then for a provisioned table the
// partition's share with its burst bank, then capacity borrowed from the
// table's unused share (adaptive capacity), for an on-demand table the
// table's instant capacity: the order of limitFor. What is admitted is
// charged as charge does: the buckets, the consumed counters, the
// 1-minute counters that auto scaling and on-demand growth read, and the
// recorder (one Consumed call a partition); what is not is reported as
// throttles with the reason of the limit that refused it. Every group's
// Offered must have one count per partition of the table's current
// layout. The buckets are touched at from: call it with from never
// decreasing.
func (s *Service) AdmitCounts(from, to sim.Time, table int, groups []*CountGroup) {
	t := s.tables[table]
	n := len(t.parts)
	h := max(to-from, 0)
	for _, g := range groups {
		g.write = g.Op.IsWrite()
		g.load = ceilingLoad(g.write, g.Cost)
		g.Admitted = zeroedCounts(g.Admitted, n)
		g.m = zeroedCounts(g.m, n)
		g.s = zeroedCounts(g.s, n)
		if cap(g.Reason) < n {
			g.Reason = make([]ThrottleReason, n)
		}
		g.Reason = g.Reason[:n]
		clear(g.Reason)
	}
	provisioned := t.cfg.Mode == Provisioned

	// The ceiling, partition by partition, then the share.
	var usedShare [2]units.Units // read, write
	for i := range n {
		p := &t.parts[i]
		any := false
		for _, g := range groups {
			g.c, g.u = g.Offered[i], g.load
			any = any || g.c > 0
		}
		if !any {
			continue
		}
		fluidTake(&p.ceiling, from, h, groups) // charged below, with what is admitted
		for _, g := range groups {
			g.m[i] = g.k
		}
		if !provisioned {
			continue
		}
		for w, b := range [2]*capacity.TokenBucket{&p.read, &p.write} {
			for _, g := range groups {
				g.c, g.u = 0, g.Cost
				if g.write == (w == 1) {
					g.c = g.m[i]
				}
			}
			taken := fluidTake(b, from, h, groups)
			for _, g := range groups {
				if g.write == (w == 1) {
					g.s[i] = g.k
					g.Admitted[i] = g.k
				}
			}
			b.Take(from, taken)
			usedShare[w] += taken
		}
	}

	// The table's capacity: for a provisioned table the unused share,
	// which the partitions' use drains (over a tick, not into debt) and
	// adaptive capacity lends; for an on-demand table the instant limit
	// itself.
	var tableShort [2]bool
	for w, b := range [2]*capacity.TokenBucket{&t.read, &t.write} {
		write := w == 1
		avail := b.Available(from) + refillOver(b, h)
		if provisioned {
			used := min(usedShare[w], max(avail, 0))
			b.Take(from, used)
			avail -= used
			tableShort[w] = avail <= 0
			if !t.p.Adaptive {
				continue
			}
		}
		var demand units.Units
		for _, g := range groups {
			if g.write == write {
				for i := range n {
					demand += units.Units(g.m[i]-g.s[i]) * g.Cost
				}
			}
		}
		if demand == 0 {
			continue
		}
		taken := lend(avail, demand, groups, n, write)
		b.Take(from, taken)
		tableShort[w] = taken < demand
	}

	// Charge the ceiling and the counters; report the throttles.
	for i := range n {
		p := &t.parts[i]
		var read, write, load units.Units
		for _, g := range groups {
			a := g.Admitted[i]
			if a <= 0 {
				continue
			}
			if g.write {
				write += units.Units(a) * g.Cost
			} else {
				read += units.Units(a) * g.Cost
			}
			l := units.Units(a) * g.load
			load += l
			if g.Place != nil && i < len(g.Place.pending) {
				g.Place.pending[i] += l
			}
		}
		if load > 0 {
			p.ceiling.Take(from, load)
		}
		if read > 0 || write > 0 {
			p.ConsumedRead += read
			p.ConsumedWrite += write
			t.ConsumedRead += read
			t.ConsumedWrite += write
			t.minuteRead += read
			t.minuteWrite += write
			s.rec.Consumed(from, table, i, read, write)
		}
		for _, g := range groups {
			if ceil := g.Offered[i] - g.m[i]; ceil > 0 {
				s.refuseN(from, t, i, g, LimitCeiling, ceil)
			}
			rest := g.m[i] - g.Admitted[i]
			if rest <= 0 {
				continue
			}
			limit := LimitShare
			switch w := b2i(g.write); {
			case !provisioned && g.write:
				limit = t.odWriteLimit
			case !provisioned:
				limit = t.odReadLimit
			case t.p.Adaptive || tableShort[w]:
				limit = LimitTable
			}
			s.refuseN(from, t, i, g, limit, rest)
		}
	}
}

// refuseN reports n throttles of g on partition i for limit, and keeps
// the reason as g's.
func (s *Service) refuseN(now sim.Time, t *Table, i int, g *CountGroup, limit Limit, n int64) {
	t.refuse(now, i, g.write, g.Cost, limit, &s.ev)
	s.ev.Op = g.Op
	g.Reason[i] = s.ev.Reason
	ThrottleN(s.rec, now, &s.ev, n)
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// refillOver is what b refills over h, uncapped.
func refillOver(b *capacity.TokenBucket, h sim.Time) units.Units {
	hi, lo := bits.Mul64(uint64(b.Rate()), uint64(h))
	q, _ := bits.Div64(hi, lo, uint64(sim.Second))
	return units.Units(q)
}

// fluidTake offers bucket b, over [from, from+h), the demand of each
// group's c requests at u units each, and sets its k to how many it
// admits; it returns the units they take, which the caller charges. What
// the bucket holds at from and refills over h, uncapped, is what it can
// give (see the top of this file). When that is less than the demand it
// is shared in proportion to the demand: each flow gets its share rounded
// down, then the units left over go to the flows in order while a whole
// request fits. A bucket that is full lets one request through whatever
// its price, as CanTake does.
func fluidTake(b *capacity.TokenBucket, from, h sim.Time, groups []*CountGroup) units.Units {
	start := b.Available(from)
	avail := start + refillOver(b, h)
	var total units.Units
	for _, g := range groups {
		total += units.Units(g.c) * g.u
	}
	// Nothing offered (total 0) is all admitted, even from a bucket in
	// debt: dividing by it below would make NaN counts.
	if total <= max(avail, 0) {
		for _, g := range groups {
			g.k = g.c
		}
		return total
	}
	var taken units.Units
	frac := float64(max(avail, 0)) / float64(total)
	for _, g := range groups {
		g.k = min(g.c, int64(math.Floor(float64(g.c)*frac)))
		taken += units.Units(g.k) * g.u
	}
	for _, g := range groups {
		if g.u <= 0 || g.c == g.k || avail-taken < g.u {
			continue
		}
		extra := min(g.c-g.k, int64((avail-taken)/g.u))
		g.k += extra
		taken += units.Units(extra) * g.u
	}
	if taken == 0 && start >= b.Capacity() {
		for _, g := range groups {
			if g.c > 0 {
				g.k = 1
				return g.u
			}
		}
	}
	return taken
}

// lend lends avail units of a table's capacity to what the partitions'
// groups of one kind (writes or reads) have left after their shares, in
// proportion to it, adding what it admits to Admitted; it returns the
// units taken.
func lend(avail, demand units.Units, groups []*CountGroup, n int, write bool) units.Units {
	frac := 1.0
	if demand > max(avail, 0) { // as in fluidTake: no demand, no division
		frac = float64(max(avail, 0)) / float64(demand)
	}
	var taken units.Units
	for _, g := range groups {
		if g.write != write {
			continue
		}
		for i := range n {
			left := g.m[i] - g.s[i]
			k := left
			if frac < 1 {
				k = min(left, int64(math.Floor(float64(left)*frac)))
			}
			g.Admitted[i] = g.s[i] + k
			taken += units.Units(k) * g.Cost
		}
	}
	if frac == 1 {
		return taken
	}
	for _, g := range groups {
		if g.write != write || g.Cost <= 0 {
			continue
		}
		for i := range n {
			if avail-taken < g.Cost {
				return taken
			}
			if left := g.m[i] - g.Admitted[i]; left > 0 {
				extra := min(left, int64((avail-taken)/g.Cost))
				g.Admitted[i] += extra
				taken += units.Units(extra) * g.Cost
			}
		}
	}
	return taken
}

func zeroedCounts(s []int64, n int) []int64 {
	if cap(s) < n {
		return make([]int64, n)
	}
	s = s[:n]
	clear(s)
	return s
}

// ServiceQuantile is the p-quantile of the service time Handle draws for
// an admitted op at consistency c that read readBytes (LatencyModel.Service).
func (s *Service) ServiceQuantile(op units.Op, c units.Consistency, readBytes int, p float64) sim.Time {
	return s.latency.ServiceQuantile(op, c, readBytes, p)
}

// ThrottleQuantile is the p-quantile of the time a throttling error takes
// to reach the client.
func (s *Service) ThrottleQuantile(p float64) sim.Time { return s.latency.Throttle.Quantile(p) }

// CheckAggregate reports what AdmitCounts does not model on a table: it
// admits and charges a table's own reads and writes, and nothing that
// follows from a write (index entries, stream records, replication, TTL),
// nor a DAX cluster in front, nor region outages.
func (s *Service) CheckAggregate(table int) error {
	t := s.tables[table]
	c := &t.cfg
	var what string
	switch {
	case t.base != nil:
		what = "is a global secondary index"
	case len(c.Indexes) > 0:
		what = "has secondary indexes"
	case c.Stream != nil:
		what = "has a stream"
	case c.TTL != nil:
		what = "has TTL"
	case t.global != nil || len(c.Replicas) > 1:
		what = "is a global table"
	case t.dax != nil:
		what = "has a DAX cluster"
	case len(s.faults) > 0:
		what = "is in a scenario with region outages"
	default:
		return nil
	}
	return fmt.Errorf("table %s %s", c.Name, what)
}

// Start is the first hash of partition i as pl placed it.
func (pl *Placement) Start(i int) uint64 { return pl.lo[i] }

// Partitions is the partition count pl was placed on.
func (pl *Placement) Partitions() int { return pl.parts }
