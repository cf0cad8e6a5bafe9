package model

import (
	"slices"

	"github.com/ddbsim/ddbsim/model/capacity"
	"github.com/ddbsim/ddbsim/model/store"
	"github.com/ddbsim/ddbsim/model/units"
	"github.com/ddbsim/ddbsim/sim"
)

// Capacity changes and partition splits, and the 1-minute datapoints that
// drive them (auto scaling, on-demand peak). Partitions never merge, and
// persist after capacity is lowered (REFERENCE: partitions).

// pendingUpdate is a capacity change waiting for its UpdateTable call to
// complete.
type pendingUpdate struct {
	read, write int64
	mode        Mode
	due         sim.Time
	cause       string
}

// Mode switches (REFERENCE: ondemand): provisioned to on-demand at most 4
// times in any rolling 24 hours; back to provisioned at any time.
const maxSwitchesToOnDemand = 4

// requestUpdate asks for new provisioned capacity (0 keeps a value). It
// takes effect UpdateDelay later; a decrease the daily limits forbid is
// refused (REFERENCE: provisioned). A request made while another is
// pending replaces it and restarts the delay. An increase that stays
// within the table's warm throughput takes effect at once (REFERENCE:
// ondemand; AWS, "Understanding DynamoDB warm throughput": a provisioned
// table can raise its capacity up to its warm throughput instantly). It
// returns whether the request was accepted.
func (t *Table) requestUpdate(now sim.Time, read, write int64, cause string, rec Recorder, sched Scheduler) bool {
	return t.request(now, CapacityChange{Read: read, Write: write}, cause, rec, sched)
}

// request asks for a capacity change or a mode switch; see requestUpdate.
func (t *Table) request(now sim.Time, c CapacityChange, cause string, rec Recorder, sched Scheduler) bool {
	mode := t.cfg.Mode
	if c.SwitchTo != nil {
		mode = *c.SwitchTo
	}
	read, write := cmpOr(c.Read, t.provRead), cmpOr(c.Write, t.provWrite)
	if mode == OnDemand && t.cfg.Mode == OnDemand {
		return false // nothing to provision
	}
	ev := CapacityEvent{Table: t.index, Cause: cause, Partitions: len(t.parts), Read: read, Write: write, Mode: mode}
	switch {
	case mode == OnDemand:
		// The switch is limited; its capacity follows from the table's peak.
		ev.Read, ev.Write = t.rcu, t.wcu
		if !t.allowSwitch(now) {
			ev.Kind = EventUpdateRefused
			rec.Event(now, ev)
			return false
		}
		t.switches = append(t.switches, now)
	case t.cfg.Mode == Provisioned && (read < t.rcu || write < t.wcu):
		if !t.decrease.Allow(now) {
			ev.Kind = EventUpdateRefused
			rec.Event(now, ev)
			return false
		}
		t.decrease.Record(now)
	}
	ev.Kind = EventUpdateRequested
	rec.Event(now, ev)
	u := &pendingUpdate{read: read, write: write, mode: mode, due: now + t.p.UpdateDelay, cause: cause}
	if t.warmIncrease(mode, read, write) {
		t.pending = nil // superseded
		t.complete(now, u, rec)
		return true
	}
	t.pending = u
	sched.At(u.due, sim.HandlerFunc(func(now sim.Time) {
		if t.pending != u {
			return // superseded
		}
		t.pending = nil
		t.complete(now, u, rec)
	}))
	return true
}

// warmIncrease reports whether a provisioned table's change lowers
// nothing and raises capacity no further than its warm throughput, so
// that it needs no update.
func (t *Table) warmIncrease(mode Mode, read, write int64) bool {
	return mode == Provisioned && t.cfg.Mode == Provisioned &&
		read >= t.rcu && write >= t.wcu && read <= t.warmRead && write <= t.warmWrite
}

// noteServed raises the warm throughput to a minute's consumption, the
// most the table has served (REFERENCE: ondemand).
func (t *Table) noteServed(readPerSec, writePerSec float64) {
	t.warmRead = max(t.warmRead, int64(readPerSec))
	t.warmWrite = max(t.warmWrite, int64(writePerSec))
}

// allowSwitch applies the limit on switches to on-demand.
func (t *Table) allowSwitch(now sim.Time) bool {
	recent := t.switches[:0]
	for _, at := range t.switches {
		if now-at < sim.Day {
			recent = append(recent, at)
		}
	}
	t.switches = recent
	return len(recent) < maxSwitchesToOnDemand
}

// complete puts a requested change in effect.
func (t *Table) complete(now sim.Time, u *pendingUpdate, rec Recorder) {
	switch {
	case u.mode == t.cfg.Mode:
		t.provRead, t.provWrite = u.read, u.write
		if u.mode == Provisioned {
			t.highRead, t.highWrite = max(t.highRead, u.read), max(t.highWrite, u.write)
		}
		t.applyCapacity(now, u.read, u.write, u.cause, rec)
	case u.mode == OnDemand:
		// A table switched from provisioned starts with a previous peak
		// of half the highest capacity provisioned since it was created,
		// or the new-table defaults if higher, so that it serves at once
		// about what it had provisioned (REFERENCE: ondemand; AWS
		// knowledge centre "on-demand table throttling" and "Read/write
		// capacity mode"): 8,000 WCU switched absorbs 8,000 WRU/s, not
		// twice that.
		t.cfg.Mode = OnDemand
		t.od.PeakReads = max(t.od.PeakReads, float64(t.highRead)/2)
		t.od.PeakWrites = max(t.od.PeakWrites, float64(t.highWrite)/2)
		b := units.WholeUnits(t.onDemandBudget())
		t.budget = capacity.NewFreshBucket(now, b, b)
		rcu, wcu, rl, wl := t.onDemandCapacity()
		t.odReadLimit, t.odWriteLimit = rl, wl
		t.applyCapacity(now, rcu, wcu, u.cause, rec)
		t.modeSwitched(now, u.cause, rec)
	default:
		// Back to provisioned: shares start afresh, as on a new table.
		t.cfg.Mode = Provisioned
		t.provRead, t.provWrite = u.read, u.write
		t.highRead, t.highWrite = max(t.highRead, u.read), max(t.highWrite, u.write)
		t.applyCapacity(now, u.read, u.write, u.cause, rec)
		t.divideShares(now, true)
		t.modeSwitched(now, u.cause, rec)
	}
}

func (t *Table) modeSwitched(now sim.Time, cause string, rec Recorder) {
	rec.Event(now, CapacityEvent{Table: t.index, Kind: EventModeSwitched, Cause: cause,
		Partitions: len(t.parts), Read: t.rcu, Write: t.wcu, Mode: t.cfg.Mode})
}

func cmpOr(v, def int64) int64 {
	if v == 0 {
		return def
	}
	return v
}

// applyCapacity puts new capacity in effect: it doubles the partitions
// until they can hold it, then divides it evenly across them.
func (t *Table) applyCapacity(now sim.Time, rcu, wcu int64, cause string, rec Recorder) {
	if now != t.capacitySetAt { // the first change at this instant: keep what it replaces
		t.rcuBefore, t.wcuBefore = t.rcu, t.wcu
	}
	t.capacitySetAt = now
	t.rcu, t.wcu = rcu, wcu
	t.warmRead, t.warmWrite = max(t.warmRead, rcu), max(t.warmWrite, wcu)
	t.read.Reset(now, units.WholeUnits(rcu), units.WholeUnits(rcu))
	t.write.Reset(now, units.WholeUnits(wcu), units.WholeUnits(wcu))
	if t.cfg.Mode == OnDemand {
		b := units.WholeUnits(t.onDemandBudget())
		t.budget.Reset(now, b, b)
	}
	for len(t.parts) < capacity.InitialPartitions(rcu, wcu, 0) {
		t.double(now)
		rec.Event(now, CapacityEvent{Table: t.index, Kind: EventPartitionsDoubled, Cause: cause,
			Partitions: len(t.parts), Read: rcu, Write: wcu})
	}
	if t.cfg.Mode == Provisioned {
		t.divideShares(now, false)
	}
	kind := EventUpdateApplied
	if t.cfg.Mode == OnDemand {
		kind = EventOnDemandGrew
	}
	rec.Event(now, CapacityEvent{Table: t.index, Kind: kind, Cause: cause, Partitions: len(t.parts),
		Read: rcu, Write: wcu, Mode: t.cfg.Mode})
}

// double splits every partition at the middle of its hash range: raising
// capacity beyond what the partitions can hold doubles the partition
// count (REFERENCE: partitions).
func (t *Table) double(now sim.Time) {
	for i := len(t.parts) - 1; i >= 0; i-- {
		t.split(now, i, t.Range(i).Middle())
	}
}

// split divides partition i at hash at (which must lie strictly inside its
// range) into [start, at) and [at, end). Each child gets half its parent's
// share and banked credit ("throughput dilution", REFERENCE: partitions)
// until capacity is next divided evenly; each is a physical partition
// with its own full ceiling.
func (t *Table) split(now sim.Time, i int, at uint64) {
	parent := &t.parts[i]
	child := Partition{start: at, ceiling: newCeiling(now)}
	child.read = parent.read.Halve(now)
	child.write = parent.write.Halve(now)
	parent.heat.reset()
	t.parts = slices.Insert(t.parts, i+1, child)
	if t.stream != nil {
		t.stream.OnSplit(now, i) // shards follow partitions (REFERENCE: streams)
	}
	t.parts[i].bytes, _ = t.holds.RangeBytes(t.Range(i))
	t.parts[i+1].bytes, _ = t.holds.RangeBytes(t.Range(i + 1))
}

// splitForSize splits each partition over 10 GB at the hash that halves
// its bytes (REFERENCE: partitions).
func (t *Table) splitForSize(now sim.Time, rec Recorder) {
	for i := len(t.parts) - 1; i >= 0; i-- {
		p := &t.parts[i]
		if p.bytes <= capacity.PartitionSizeLimit {
			continue
		}
		r := t.Range(i)
		var seen int64
		at := r.Lo
		t.holds.EachCollection(r, func(c store.Collection) bool {
			if seen >= p.bytes/2 && c.Hash > r.Lo {
				at = c.Hash
				return false
			}
			seen += c.Bytes
			return true
		})
		if at == r.Lo {
			continue // one partition key holds it all: nothing to divide
		}
		t.split(now, i, at)
		rec.Event(now, CapacityEvent{Table: t.index, Kind: EventSizeSplit, Cause: "size", Partition: i,
			Partitions: len(t.parts), Read: t.rcu, Write: t.wcu})
	}
}

// heatTick takes each partition's 1-minute datapoint and splits the ones
// that have run hot long enough (REFERENCE: partitions, "split for
// heat"): above HeatThreshold of the ceiling for HeatSustain, the split
// completing HeatSplitDelay later. The split point comes from the
// partition's traffic: the sub-range boundary nearest the traffic median,
// or, when one key carries HotKeyShare of the load, boundaries around
// that key, which isolates it on a partition of its own (REFERENCE:
// adaptive) where the ceiling still caps it. A partition holding a single
// partition key cannot split.
func (t *Table) heatTick(now sim.Time, rec Recorder) {
	threshold := units.Units(t.p.HeatThreshold * float64(units.WholeUnits(capacity.PartitionReadCeiling)) * sim.Minute.Seconds())
	sustain := int(t.p.HeatSustain / sim.Minute)
	for i := len(t.parts) - 1; i >= 0; i-- {
		h := &t.parts[i].heat
		hot := h.minute >= threshold
		h.minute = 0
		if hot || h.splitDue != 0 {
			h.addFlushed() // a minute that is not hot resets the streak
		}
		switch {
		case h.splitDue != 0 && now >= h.splitDue:
			t.heatSplit(now, i, rec)
		case h.splitDue != 0:
		case hot:
			h.hotMinutes++
			if h.hotMinutes >= sustain {
				h.splitDue = now + t.p.HeatSplitDelay
			}
		default:
			h.reset()
		}
	}
}

func (t *Table) heatSplit(now sim.Time, i int, rec Recorder) {
	r := t.Range(i)
	h := &t.parts[i].heat
	if _, keys := t.holds.RangeBytes(r); keys < 2 {
		h.reset()
		return
	}
	ev := CapacityEvent{Table: t.index, Cause: "traffic", Partition: i, Read: t.rcu, Write: t.wcu}
	if key, share := h.hottest(); share >= t.p.HotKeyShare {
		// Isolate the key: split at its hash and just after it.
		if key+1 != r.Hi && key+1 != 0 {
			t.split(now, i, key+1)
		}
		if key != r.Lo {
			t.split(now, i, key)
		}
		ev.Kind = EventHotKeyIsolated
	} else {
		at := t.medianBoundary(i)
		if at == r.Lo {
			h.reset()
			return
		}
		t.split(now, i, at)
		ev.Kind = EventHeatSplit
	}
	ev.Partitions = len(t.parts)
	rec.Event(now, ev)
}

// medianBoundary returns the sub-range boundary of partition i nearest to
// the median of its hot streak's traffic, or the range's start if the
// traffic sits in one sub-range.
func (t *Table) medianBoundary(i int) uint64 {
	r := t.Range(i)
	h := &t.parts[i].heat
	best, bestGap := 0, h.total
	var below units.Units
	for b := 1; b < heatBins; b++ {
		below += h.bins[b-1]
		gap := below*2 - h.total
		if gap < 0 {
			gap = -gap
		}
		if below > 0 && below < h.total && gap < bestGap {
			best, bestGap = b, gap
		}
	}
	if best == 0 {
		return r.Lo
	}
	return binStart(r.Lo, r.Hi, best)
}

// autoScaleTick evaluates both policies on the last minute's datapoint and
// requests the table update they call for. While an update is in flight
// the alarms keep counting but nothing new is requested: the table is in
// UPDATING state.
func (t *Table) autoScaleTick(now sim.Time, readPerSec, writePerSec float64, rec Recorder, sched Scheduler) {
	s := &t.scaling
	if s.Config == nil {
		return
	}
	r := s.Read.Observe(readPerSec, t.rcu, s.Config)
	w := s.Write.Observe(writePerSec, t.wcu, s.Config)
	if (r == 0 && w == 0) || t.pending != nil {
		return
	}
	if r != 0 {
		s.Read.Acted()
	}
	if w != 0 {
		s.Write.Acted()
	}
	t.requestUpdate(now, r, w, "autoscaling", rec, sched)
}

// onDemandTick feeds the minute's consumption to the peak tracker and, if
// the instant capacity rises, applies it, doubling partitions as needed.
func (t *Table) onDemandTick(now sim.Time, readPerSec, writePerSec float64, rec Recorder) {
	if !t.od.Observe(now, readPerSec, writePerSec, t.p.OnDemandCatchUp) {
		return
	}
	rcu, wcu, rl, wl := t.onDemandCapacity()
	t.odReadLimit, t.odWriteLimit = rl, wl
	if rcu > t.rcu || wcu > t.wcu {
		t.applyCapacity(now, max(rcu, t.rcu), max(wcu, t.wcu), "traffic", rec)
	} else if b := units.WholeUnits(t.onDemandBudget()); b > t.budget.Rate() {
		t.budget.Reset(now, b, b) // the shared budget rose alone
	}
}
