package model

import (
	"github.com/ddbsim/ddbsim/model/capacity"
	"github.com/ddbsim/ddbsim/model/units"
	"github.com/ddbsim/ddbsim/sim"
)

// planCovered is planCountsIn's way for a tick in which every bucket can
// take all that meets it, as in most ticks of a table that is not
// throttling: it checks each bucket once against its flows' total and,
// when all of them cover it, decides every flow as planCountsIn would
// with every claim covered (the same gates, the same verdicts). It
// returns false, having decided nothing, when some bucket falls short;
// planCountsIn then divides the buckets one by one.
//
// The buckets are those planCountsIn divides: a provisioned table's
// partition shares by kind (its table buckets then meet nothing, as the
// shares pay for all), an on-demand table's instant limits by kind and
// shared budget, and every partition's ceiling.
func (s *Service) planCovered(cs *countState, t *Table, from, h sim.Time) bool {
	provisioned := t.cfg.Mode == Provisioned
	var table [2]units.Units // an on-demand table's instant limits, by kind
	var budget units.Units
	for lo := 0; lo < len(cs.flows); {
		pi := cs.flows[lo].part
		var share [2]units.Units
		var ceiling units.Units
		hi := lo
		for ; hi < len(cs.flows) && cs.flows[hi].part == pi; hi++ {
			f := &cs.flows[hi]
			w := 0
			if f.write {
				w = 1
			}
			u := units.Units(f.n) * f.cost
			share[w] += u
			ceiling += units.Units(f.n) * f.load
			if !provisioned {
				table[w] += u
				budget += units.Units(f.n) * ceilingLoad(f.write, f.cost)
			}
		}
		p := &t.parts[pi]
		if provisioned && (!cs.covers(&p.read, from, h, share[0]) || !cs.covers(&p.write, from, h, share[1])) {
			return false
		}
		if !cs.covers(&p.ceiling, from, h, ceiling) {
			return false
		}
		lo = hi
	}
	if !provisioned && (!cs.covers(&t.read, from, h, table[0]) || !cs.covers(&t.write, from, h, table[1]) ||
		!cs.covers(&t.budget, from, h, budget)) {
		return false
	}
	for j := range cs.flows {
		f := &cs.flows[j]
		u := units.Units(f.n) * f.cost
		f.gates = gates{ceiling: unbounded}
		if provisioned {
			f.gates.share = room{units: u}
			f.fromShare = f.n
		} else {
			f.gates.table = room{units: u}
			f.gates.budget = room{units: units.Units(f.n) * ceilingLoad(f.write, f.cost)}
		}
		f.v = t.decide(&f.gates, f.write, f.cost, f.load, f.n)
		f.passed = f.v.admitted
		f.g.Admitted[f.part] = f.v.admitted
	}
	return true
}

// covers reports whether b, at from and refilling over h, can take total
// units (divideBucket's test for claims it covers whole), and notes the
// load.
func (cs *countState) covers(b *capacity.TokenBucket, from, h sim.Time, total units.Units) bool {
	if total <= 0 {
		return true
	}
	start := b.Available(from)
	refill := b.RefillOver(from, h)
	avail := max(start+refill, 0)
	cs.noteLoad(total, avail, 0, refill)
	return total <= avail
}
