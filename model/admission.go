package model

import (
	"github.com/ddbsim/ddbsim/model/capacity"
	"github.com/ddbsim/ddbsim/model/units"
	"github.com/ddbsim/ddbsim/sim"
)

// Admission: the one order in which a partition's limits admit requests
// (REFERENCE: partitions, burst, adaptive, ondemand), written once for a
// count of like requests. The per-request driver asks it about a count of
// 1 at an instant; the aggregate driver (AdmitCounts) about the requests
// of a tick, each flow of them with its part of each bucket. Both charge
// what it admits through chargeCount, so the two cannot drift apart.

// room is what one limit can give a flow of requests: the units its
// bucket holds for the flow (at an instant, or over an interval with the
// refill), and whether the bucket was full, which lets one request
// through whatever its price (TokenBucket.CanTake).
type room struct {
	units units.Units
	full  bool
}

// roomOf is what b holds at now, for a single request.
func roomOf(b *capacity.TokenBucket, now sim.Time) room {
	u := b.Available(now)
	return room{units: u, full: u >= b.Capacity()}
}

// fit is how many of n requests of cost units each the room admits: all
// when it covers them, else as many as whole units allow, and one from a
// full bucket that covers none. For n = 1 it is CanTake.
func (r room) fit(cost units.Units, n int64) int64 {
	switch {
	case n <= 0:
		return 0
	case cost <= 0 || r.units >= units.Units(n)*cost:
		return n
	}
	k := int64(max(r.units, 0) / cost)
	if k == 0 && r.full {
		return 1
	}
	return min(k, n)
}

// gates are the rooms on a flow's way through one partition: the
// partition's hard ceiling, its share of provisioned capacity with the
// burst bank, and the table's capacity (unused capacity adaptive capacity
// lends, or an on-demand table's instant limit), and for an on-demand
// table the budget its reads and writes share.
type gates struct {
	ceiling, share, table, budget room
}

// verdict is what the admission order decided for a flow of n requests:
// atCeiling of them refused by the partition's ceiling, admitted of the
// rest admitted, and the others refused by limit.
type verdict struct {
	admitted int64
	// fromShare of the admitted are paid by the partition's share
	// (provisioned); the rest of a provisioned table's are borrowed from
	// its unused capacity.
	fromShare int64
	atCeiling int64
	limit     Limit // what refused those past the ceiling not admitted
}

// refusedBy is the limit that refused a single request, 0 if admitted.
func (v verdict) refusedBy() Limit {
	if v.atCeiling > 0 {
		return LimitCeiling
	}
	if v.admitted == 0 {
		return v.limit
	}
	return 0
}

// decide applies the admission order to n requests of cost units each,
// load of them on the partition's ceiling, given the gates. The order is
// the order of the limits' reach: the hard ceiling first (nothing lifts
// it), then for a provisioned table the partition's share with its burst
// bank, then capacity borrowed from the table's unused share (adaptive
// capacity); for an on-demand table the table's instant capacity. Those
// the ceiling lets through meet the limits after it.
func (t *Table) decide(g *gates, write bool, cost, load units.Units, n int64) verdict {
	m := g.ceiling.fit(load, n)
	v := verdict{atCeiling: n - m}
	if m == 0 {
		return v
	}
	var passed int64
	if t.cfg.Mode == OnDemand {
		// Within its own instant limit a request must also fit the
		// budget reads and writes share (capacity.OnDemandBudget), at
		// its ceiling load: a write unit is three read units of it.
		passed = min(g.table.fit(cost, m), g.budget.fit(ceilingLoad(write, cost), m))
		v.limit = t.odReadLimit
		if write {
			v.limit = t.odWriteLimit
		}
		if g.table.fit(cost, m) == m {
			v.limit = LimitOnDemand // refused by the shared budget alone
		}
	} else {
		v.fromShare = g.share.fit(cost, m)
		passed = v.fromShare
		if passed < m && t.lends() {
			passed += g.table.fit(cost, m-passed)
		}
		// A partition short of its share throttles on the key range
		// unless the table as a whole is out of capacity.
		v.limit = LimitShare
		if g.table.units < units.Units(m-v.fromShare)*cost {
			v.limit = LimitTable
		}
	}
	v.admitted = passed
	if passed == m {
		v.limit = 0
	}
	return v
}

// lends reports whether adaptive capacity may lend the table's unused
// capacity to a partition short of its share: with more than one
// partition only (REFERENCE: adaptive, "unused capacity of the table, ...
// as long as the table's total ... [is] not exceeded"). A table of one
// partition has no other partition's capacity to lend: what its share
// leaves unused it already banks as burst credit (REFERENCE: burst), and
// the table's bucket of unused capacity, refilling with the same
// capacity, would lend it a second time. It did, through that bucket's
// debt: when full it let a request larger than itself through (a 90 WCU
// put on a 2 WCU table), and the refill that repaid the debt was the
// capacity the share went on banking and spending, so one partition of
// 2 WCU with 600 banked took 1,800 WCU in 300 s instead of 1,200
// (TestOnePartitionBorrowsNothing).
func (t *Table) lends() bool {
	return t.p.Adaptive && len(t.parts) > 1
}

// gatesAt are the rooms one request meets on partition pi at now. The
// share is not read for an on-demand table, which has none.
func (t *Table) gatesAt(now sim.Time, pi int, write bool, load units.Units) gates {
	p := &t.parts[pi]
	share, table := &p.read, &t.read
	if write {
		share, table = &p.write, &t.write
	}
	g := gates{ceiling: roomOf(&p.ceiling, now)}
	if g.ceiling.fit(load, 1) == 0 {
		return g // refused by the ceiling: the rest is not looked at
	}
	if t.cfg.Mode == Provisioned {
		g.share = roomOf(share, now)
	}
	g.table = roomOf(table, now)
	if t.cfg.Mode == OnDemand {
		g.budget = roomOf(&t.budget, now)
	}
	return g
}

// chargeCount takes what v admitted, of cost units each, load of them on
// the ceiling, from partition pi's buckets at now: the ceiling, then the
// partition's share (and the table's unused capacity with it) for those
// its share paid, the table's unused capacity alone for those it lent;
// for on-demand, the table's capacity. It counts the consumption; the
// caller feeds split for heat.
//
// h is how long the requests take to arrive: 0 for one request. The
// share a count of requests pays over h drains the table's unused
// capacity only as far as that holds and refills over h, so that a tick
// leaves it empty, not in debt; a single request may drain it into debt
// down to one capacity (TokenBucket.Drain).
func (t *Table) chargeCount(now, h sim.Time, pi int, write bool, cost, load units.Units, v verdict) {
	if v.admitted <= 0 {
		return
	}
	p := &t.parts[pi]
	share, table := &p.read, &t.read
	if write {
		share, table = &p.write, &t.write
	}
	total := units.Units(v.admitted) * cost
	if t.cfg.Mode == OnDemand {
		table.Take(now, total)
		t.budget.Take(now, units.Units(v.admitted)*ceilingLoad(write, cost))
	} else {
		if v.fromShare > 0 {
			paid := units.Units(v.fromShare) * cost
			share.Take(now, paid)
			if h > 0 {
				paid = min(paid, max(table.Available(now)+table.RefillOver(now, h), 0))
			}
			table.Drain(now, paid)
		}
		if lent := v.admitted - v.fromShare; lent > 0 {
			table.Take(now, units.Units(lent)*cost)
		}
	}
	p.ceiling.Take(now, units.Units(v.admitted)*load)
	if write {
		p.ConsumedWrite += total
		t.ConsumedWrite += total
		t.minuteWrite += total
	} else {
		p.ConsumedRead += total
		t.ConsumedRead += total
		t.minuteRead += total
	}
}
