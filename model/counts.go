package model

import (
	"fmt"
	"math"
	"slices"

	"github.com/ddbsim/ddbsim/model/capacity"
	"github.com/ddbsim/ddbsim/model/units"
	"github.com/ddbsim/ddbsim/sim"
)

// Admission of counts: the aggregate driver's way into the
// admission order. A driver that steps time in ticks (workload/fluid)
// hands the service, for each table and tick, how many requests of each
// operation arrive on each partition; the service says how many each
// partition admits, charges what they consume, and reports the rest as
// throttles (DESIGN: "work in units and counts, not request objects,
// inside admission and billing").
//
// Each flow (one group's requests on one partition) goes through decide
// and chargeCount, as a single request does; what is particular to counts
// is only how a bucket several flows meet is divided among them, below.
//
// The requests of a tick are taken to arrive evenly over it. A token
// bucket fed at rate r that holds b at the start of an interval of length
// h and meets demand at a constant rate admits min(demand, b + r·h): the
// bucket either never runs dry, or runs dry and from then on admits
// exactly what it refills. Capping at the bucket's capacity only matters
// when the demand is below the refill, and then everything is admitted.
// So each bucket is charged at the start of the interval (its balance may
// go negative, as it does for a request larger than the bucket) and
// refills lazily over the interval as it always does: its balance at the
// end is min(capacity, b + r·h - taken), exactly what the per-request path
// leaves.
//
// Where several flows meet one bucket (reads and writes a partition's
// ceiling, every partition the table's capacity) and it cannot take them
// all, interleaved requests do not share it in proportion to demand: an
// overloaded bucket hovers near empty, and a request is admitted when the
// balance has climbed to its price, so cheaper requests, which need less
// of a climb, get through more often than dearer ones (a read of one unit
// beside a write of three on a hot key's ceiling). divideBucket admits
// each price in the share of the time the balance is above it, taking
// the balance to be spread evenly below a level that uses the bucket;
// flows of one price share in proportion to their demand.
//
// A partition's ceiling is divided among what the limits after it would
// pass, not what is offered: a ceiling is only charged for what is
// admitted, so traffic the table's capacity refuses never empties it.

// CountGroup is the requests of one operation that one workload sends to
// one table over an interval, counted by partition.
type CountGroup struct {
	Op units.Op
	// Cost is what each request consumes (ReadUnits, PutUnits, ... of
	// its item), the mean over the workload's item sizes: the aggregate
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
	// Whole makes the group's requests transactions (counts_tx.go):
	// Offered counts their parts, Parts to a request, and each is
	// admitted whole or not at all.
	Whole

	fromShare []int64 // of Admitted, what each partition's share paid
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

// flow is one group's requests on one partition over a tick, with the
// gates admission found for it.
type flow struct {
	g         *CountGroup
	part      int
	write     bool
	n         int64
	cost      units.Units
	load      units.Units
	gates     gates
	fromShare int64 // what the share would pay, before the table's part
	passed    int64 // what the limits after the ceiling would pass
	v         verdict
}

// claim is a flow's demand on one bucket: n requests at price units each
// meet it, and at most cap of them go on to be admitted (the limits after
// a ceiling pass no more). divideBucket sets k, how many it lets through,
// and covered when it lets all n through and can take them.
type claim struct {
	flow    int
	n, cap  int64
	price   units.Units
	k       int64
	covered bool
	full    bool // given one request by a full bucket's exception
}

// countState is AdmitCounts' scratch, kept by the service so that ticks
// reuse it.
type countState struct {
	flows  []flow
	claims []claim
}

// unbounded is a room that never binds.
var unbounded = room{units: math.MaxInt64 / 4, full: true}

// AdmitCounts admits the groups' requests to table over [from, to)
// through the admission order (decide), each group's requests on each
// partition as one flow, and charges what it admits as a single request's
// admission is charged (chargeCount): the buckets, the consumed counters,
// the 1-minute counters that auto scaling and on-demand growth read, and
// the recorder (one Consumed call a partition). What is not admitted is
// reported as throttles with the reason of the limit that refused it.
// Every group's Offered must have one count per partition of the table's
// current layout. The buckets are touched at from: call it with from
// never decreasing.
func (s *Service) AdmitCounts(from, to sim.Time, table int, groups []*CountGroup) {
	s.admitWhole(from, to, table, groups)
	t, h := s.planCounts(from, to, table, groups)
	cs := &s.counts
	for lo := 0; lo < len(cs.flows); {
		pi := cs.flows[lo].part
		hi := lo
		for hi < len(cs.flows) && cs.flows[hi].part == pi {
			hi++
		}
		var read, write units.Units
		for j := lo; j < hi; j++ {
			f := &cs.flows[j]
			v := f.v
			t.chargeCount(from, h, pi, f.write, f.cost, f.load, v)
			rest := f.n - v.atCeiling - v.admitted
			f.g.fromShare[pi] = v.fromShare
			if v.admitted > 0 {
				if f.write {
					write += units.Units(v.admitted) * f.cost
				} else {
					read += units.Units(v.admitted) * f.cost
				}
				if pl := f.g.Place; pl != nil && pi < len(pl.pending) {
					pl.pending[pi] += units.Units(v.admitted) * f.load
				}
			}
			// The group's reason on the partition is that of the most
			// of its refused.
			if v.atCeiling > 0 && v.atCeiling < rest {
				s.refuseN(from, t, pi, f.g, f.write, LimitCeiling, v.atCeiling)
			}
			if rest > 0 {
				s.refuseN(from, t, pi, f.g, f.write, v.limit, rest)
			}
			if v.atCeiling > 0 && v.atCeiling >= rest {
				s.refuseN(from, t, pi, f.g, f.write, LimitCeiling, v.atCeiling)
			}
		}
		if read > 0 || write > 0 {
			s.rec.Consumed(from, table, pi, read, write)
		}
		lo = hi
	}
}

// PlanCounts is AdmitCounts without its effects: it fills each group's
// Admitted with what AdmitCounts would admit now, and charges, counts and
// records nothing. A driver whose offered load depends on what is
// admitted (a closed loop, whose users wait for their responses) asks it
// while it looks for the load that agrees with its own admissions, then
// admits that load with AdmitCounts.
func (s *Service) PlanCounts(from, to sim.Time, table int, groups []*CountGroup) {
	s.planCounts(from, to, table, groups)
}

// planCounts decides every flow of the groups (flow.v) and fills the
// groups' Admitted, touching no bucket but to bring its lazy refill up to
// from. Every decision reads the buckets as they are at from, before any
// of the tick's charges: what one flow is charged never changes what
// another is admitted, so deciding all of them first and charging after
// is the same as deciding and charging partition by partition.
func (s *Service) planCounts(from, to sim.Time, table int, groups []*CountGroup) (*Table, sim.Time) {
	t := s.tables[table]
	n := len(t.parts)
	h := max(to-from, 0)
	cs := &s.counts
	cs.flows = cs.flows[:0]
	for _, g := range groups {
		g.Admitted = zeroedCounts(g.Admitted, n)
		g.fromShare = zeroedCounts(g.fromShare, n)
		if cap(g.Reason) < n {
			g.Reason = make([]ThrottleReason, n)
		}
		g.Reason = g.Reason[:n]
		clear(g.Reason)
		write := g.Op.IsWrite()
		for i, c := range g.Offered[:n] {
			if c > 0 {
				cs.flows = append(cs.flows, flow{g: g, part: i, write: write, n: c, cost: g.Cost,
					load: ceilingLoad(write, g.Cost)})
			}
		}
	}
	if len(cs.flows) == 0 {
		return t, h
	}
	// Sorted by partition (stable: groups in order within one), so that
	// each partition's flows are a run.
	slices.SortStableFunc(cs.flows, func(a, b flow) int { return a.part - b.part })
	provisioned := t.cfg.Mode == Provisioned

	// The partitions' shares, each divided among its flows of a kind.
	var shareUsed [2]units.Units
	for w := range 2 {
		write := w == 1
		for lo := 0; lo < len(cs.flows); {
			hi := lo
			for hi < len(cs.flows) && cs.flows[hi].part == cs.flows[lo].part {
				hi++
			}
			if provisioned {
				p := &t.parts[cs.flows[lo].part]
				b := &p.read
				if write {
					b = &p.write
				}
				cs.claims = cs.claims[:0]
				for j := lo; j < hi; j++ {
					if f := &cs.flows[j]; f.write == write {
						cs.claims = append(cs.claims, claim{flow: j, n: f.n, cap: f.n, price: f.cost})
					}
				}
				divideBucket(b, from, h, 0, cs.claims)
				for _, c := range cs.claims {
					f := &cs.flows[c.flow]
					f.gates.share = roomFor(c, f.cost)
					f.fromShare = f.gates.share.fit(f.cost, f.n)
					shareUsed[w] += units.Units(f.fromShare) * f.cost
				}
			}
			lo = hi
		}
	}

	// The table's capacity: for a provisioned table the unused share,
	// which the partitions' own use drains (over a tick, not into debt)
	// and adaptive capacity lends; for an on-demand table the instant
	// limit itself. Divided among every partition's flows of a kind.
	for w := range 2 {
		write := w == 1
		b := &t.read
		if write {
			b = &t.write
		}
		drain := units.Units(0)
		if provisioned {
			drain = min(shareUsed[w], max(b.Available(from)+refillOver(b, h), 0))
		}
		cs.claims = cs.claims[:0]
		for j := range cs.flows {
			f := &cs.flows[j]
			if f.write == write {
				cs.claims = append(cs.claims, claim{flow: j, n: f.n - f.fromShare, cap: f.n - f.fromShare, price: f.cost})
			}
		}
		divideBucket(b, from, h, drain, cs.claims)
		for _, c := range cs.claims {
			f := &cs.flows[c.flow]
			f.gates.table = roomFor(c, f.cost)
			f.gates.ceiling = unbounded
			f.passed = t.decide(&f.gates, write, f.cost, f.load, f.n).admitted
		}
	}

	// Each partition's ceiling, divided among what the limits after it
	// pass; then each flow is decided.
	for lo := 0; lo < len(cs.flows); {
		pi := cs.flows[lo].part
		hi := lo
		for hi < len(cs.flows) && cs.flows[hi].part == pi {
			hi++
		}
		p := &t.parts[pi]
		cs.claims = cs.claims[:0]
		for j := lo; j < hi; j++ {
			f := &cs.flows[j]
			cs.claims = append(cs.claims, claim{flow: j, n: f.n, cap: f.passed, price: f.load})
		}
		divideBucket(&p.ceiling, from, h, 0, cs.claims)
		for _, c := range cs.claims {
			f := &cs.flows[c.flow]
			f.gates.ceiling = unbounded
			if !c.covered {
				f.gates.ceiling = roomFor(c, f.load)
			}
			f.v = t.decide(&f.gates, f.write, f.cost, f.load, f.n)
			f.g.Admitted[pi] = f.v.admitted
		}
		lo = hi
	}
	return t, h
}

// roomFor is the room a claim was given: all it asked for when covered,
// else the units of the requests it may take, or a full bucket's one
// request whatever its price.
func roomFor(c claim, price units.Units) room {
	if c.covered {
		return room{units: units.Units(c.n) * price}
	}
	return room{units: units.Units(c.k) * price, full: c.full}
}

// divideBucket divides what b holds at from and refills over h, less
// reserved, among claims, as interleaved requests arriving at random
// share an overloaded bucket (see the top of this file): a claim of price
// c gets through in the share throughShare(c, M) of its requests, the
// share that finds the balance at c or more when it spans [0, M), and M is
// what makes what they take, at most each claim's cap, use the whole
// bucket. Claims of one price so share in proportion to their demand;
// cheaper ones get a larger share. Whole requests are given, and what
// they leave over goes to the claims, the cheapest first, while one fits.
// A bucket full at from that gives no claim a request lets the first
// claim's one through, as CanTake does.
func divideBucket(b *capacity.TokenBucket, from, h sim.Time, reserved units.Units, claims []claim) {
	start := b.Available(from)
	avail := max(start+refillOver(b, h)-reserved, 0)
	var total units.Units
	for i := range claims {
		c := &claims[i]
		c.k, c.covered, c.full = 0, false, false
		total += units.Units(c.cap) * c.price
	}
	if total <= avail {
		for i := range claims {
			claims[i].k, claims[i].covered = claims[i].n, true
		}
		return
	}
	given := int64(0)
	if avail > 0 {
		m := levelSpan(float64(avail), claims)
		var taken units.Units
		for i := range claims {
			c := &claims[i]
			if c.price <= 0 {
				c.k, c.covered = c.n, true
				continue
			}
			c.k = min(c.n, int64(math.Floor(float64(c.n)*throughShare(float64(c.price), m))))
			taken += units.Units(min(c.k, c.cap)) * c.price
		}
		for {
			best := -1
			for i, c := range claims {
				if c.k < c.cap && c.price > 0 && avail-taken >= c.price && (best < 0 || c.price < claims[best].price) {
					best = i
				}
			}
			if best < 0 {
				break
			}
			c := &claims[best]
			extra := min(c.cap-c.k, int64((avail-taken)/c.price))
			c.k += extra
			taken += units.Units(extra) * c.price
		}
		for _, c := range claims {
			given += min(c.k, c.cap)
		}
	}
	if given == 0 && start-reserved >= b.Capacity() {
		for i := range claims {
			if claims[i].cap > 0 {
				claims[i].k, claims[i].full = 1, true
				return
			}
		}
	}
}

// levelShape shapes how the balance an overloaded bucket's requests meet
// is spread below M: the share of them finding at least c is
// 1 - (c/M)^levelShape. 1 would be an even spread; the balance spends
// more of its time high than that, as cheap requests keep it from
// falling to zero; 1.25 matches interleaved random arrivals of reads and
// writes on one ceiling to within 5% of the ceiling in the three mixes of
// TestAdmitCountsSharesTheCeiling (an even spread is 5% off in the first,
// a division in proportion to demand 30%, the cheapest first in full 20%).
const levelShape = 1.25

// throughShare is the share of requests of price c that find the balance
// at c or above when it spans [0, m).
func throughShare(c, m float64) float64 {
	if c >= m {
		return 0
	}
	return 1 - math.Pow(c/m, levelShape)
}

// levelSpan is the M of divideBucket: the span such that the claims,
// each of price c let through in the share throughShare(c, M) and taking no
// more than its cap, take avail, which is below what their caps would
// take. What they take grows with M, so it is found by bisection.
func levelSpan(avail float64, claims []claim) float64 {
	least := math.Inf(1)
	for _, c := range claims {
		if c.cap > 0 && c.price > 0 {
			least = min(least, float64(c.price))
		}
	}
	if math.IsInf(least, 1) {
		return least
	}
	taken := func(m float64) float64 {
		u := 0.0
		for _, c := range claims {
			if c.cap > 0 && float64(c.price) < m {
				u += float64(c.price) * min(float64(c.n)*throughShare(float64(c.price), m), float64(c.cap))
			}
		}
		return u
	}
	lo, hi := least, 2*least
	for i := 0; taken(hi) < avail && i < 200; i++ {
		lo, hi = hi, 2*hi
	}
	for range 64 {
		mid := (lo + hi) / 2
		if taken(mid) < avail {
			lo = mid
		} else {
			hi = mid
		}
	}
	return hi
}

// refuseN reports n throttles of g on partition i for limit, and keeps
// the reason as g's.
func (s *Service) refuseN(now sim.Time, t *Table, i int, g *CountGroup, write bool, limit Limit, n int64) {
	t.refuse(now, i, write, g.Cost, limit, &s.ev)
	s.ev.Op = g.Op
	g.Reason[i] = s.ev.Reason
	ThrottleN(s.rec, now, &s.ev, n)
}

func zeroedCounts(s []int64, n int) []int64 {
	if cap(s) < n {
		return make([]int64, n)
	}
	s = s[:n]
	clear(s)
	return s
}

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

// ServiceQuantile is the p-quantile of the service time Handle draws for
// an admitted op at consistency c that read readBytes: the aggregate
// driver records latency as weighted quantiles instead of draws.
func (s *Service) ServiceQuantile(op units.Op, c units.Consistency, readBytes int, p float64) sim.Time {
	return s.latency.ServiceQuantile(op, c, readBytes, p)
}

// ThrottleQuantile is the p-quantile of the time a throttling error takes
// to reach the client.
func (s *Service) ThrottleQuantile(p float64) sim.Time { return s.latency.Throttle.Quantile(p) }
