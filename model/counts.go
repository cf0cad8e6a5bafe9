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
// each price in the share of the time the balance is at or above it,
// from the stationary balance of a bucket fed at its rate and met by
// Poisson arrivals of the flows' prices (bucketshare.go), once the
// balance the interval starts with is spent; flows of one price share in
// proportion to their demand.
//
// A partition's ceiling is divided among what the limits after it would
// pass, not what is offered: a ceiling is only charged for what is
// admitted, so traffic the table's capacity refuses never empties it.

// CountGroup is the requests of one operation that one workload sends to
// one table over an interval, counted by partition.
type CountGroup struct {
	Op units.Op
	// Consistency is the reads' consistency: an eventually consistent
	// read's ceiling load depends on it (Params.EventualReadCeiling).
	// Writes ignore it; a transaction's parts are Transactional.
	Consistency units.Consistency
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
	// Index ties the group to the table's global secondary indexes:
	// queries of one, or writes that write them (counts_index.go).
	Index IndexCounts
	// Whole makes the group's requests transactions (counts_tx.go):
	// Offered counts their parts, Parts to a request, and each is
	// admitted whole or not at all.
	Whole

	fromShare []int64 // of Admitted, what each partition's share paid
	// silent groups are index writes: the table's writes report their
	// refusals (counts_index.go).
	silent bool
}

// consistency is the group's reads' consistency for their ceiling load:
// a transaction's parts are strong whatever Consistency says.
func (g *CountGroup) consistency() units.Consistency {
	if g.Parts > 0 {
		return units.Transactional
	}
	return g.Consistency
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
	// byIndex of the n were passed by the table's limits and refused by
	// a global secondary index's (counts_index.go).
	byIndex int64
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
	class   int  // divideBucket's price class
}

// countState is AdmitCounts' scratch, kept by the service so that ticks
// reuse it.
type countState struct {
	flows  []flow
	claims []claim
	shares bucketShares
	// load is the heaviest demand any bucket met since TakeCountLoad
	// last read it, as a share of what the bucket refills over the
	// interval; +Inf where a bucket could not take all it met.
	load float64
}

// TakeCountLoad returns the heaviest load a bucket divided by AdmitCounts
// or PlanCounts met since the last call, and starts counting anew: the
// demand of its claims (and what was reserved of it) over what it
// refills in the interval, +Inf where it could not take them all (or
// refills nothing while met). A driver reads it to know whether the
// buckets of the last interval were far from binding (workload/fluid's
// calm steps). Tables with global secondary indexes count only their
// own buckets.
func (s *Service) TakeCountLoad() float64 {
	l := s.counts.load
	s.counts.load = 0
	return l
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
	if s.tables[table].hasGlobalIndexes() {
		s.admitIndexed(from, to, table, groups, true)
		return
	}
	t, h := s.planCounts(from, to, table, groups)
	s.applyCounts(&s.counts, from, h, t)
}

// applyCounts charges the flows cs decided on t over [from, from+h) and
// reports what they refused.
func (s *Service) applyCounts(cs *countState, from, h sim.Time, t *Table) {
	table := t.index
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
			rest := f.n - v.atCeiling - v.admitted - f.byIndex
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
			if f.g.silent {
				continue // index writes: the table's writes report them
			}
			// The group's reason on the partition is that of the most
			// of its refused.
			if f.byIndex > 0 && f.byIndex < max(rest, v.atCeiling) {
				s.refuseByIndex(from, f)
			}
			if v.atCeiling > 0 && v.atCeiling < rest {
				s.refuseN(from, t, pi, f.g, f.write, LimitCeiling, v.atCeiling)
			}
			if rest > 0 {
				s.refuseN(from, t, pi, f.g, f.write, v.limit, rest)
			}
			if v.atCeiling > 0 && v.atCeiling >= rest {
				s.refuseN(from, t, pi, f.g, f.write, LimitCeiling, v.atCeiling)
			}
			if f.byIndex > 0 && f.byIndex >= max(rest, v.atCeiling) {
				s.refuseByIndex(from, f)
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
	if s.tables[table].hasGlobalIndexes() {
		s.admitIndexed(from, to, table, groups, false)
		return
	}
	s.planCounts(from, to, table, groups)
}

// planCounts decides every flow of the groups (flow.v) and fills the
// groups' Admitted, touching no bucket but to bring its lazy refill up to
// from. Every decision reads the buckets as they are at from, before any
// of the tick's charges: what one flow is charged never changes what
// another is admitted, so deciding all of them first and charging after
// is the same as deciding and charging partition by partition.
func (s *Service) planCounts(from, to sim.Time, table int, groups []*CountGroup) (*Table, sim.Time) {
	return s.planCountsIn(&s.counts, from, to, table, groups)
}

// planCountsIn is planCounts with its flows in cs.
func (s *Service) planCountsIn(cs *countState, from, to sim.Time, table int, groups []*CountGroup) (*Table, sim.Time) {
	t := s.tables[table]
	n := len(t.parts)
	h := max(to-from, 0)
	cs.flows = cs.flows[:0]
	for _, g := range groups {
		g.Admitted = zeroedCounts(g.Admitted, n)
		g.fromShare = zeroedCounts(g.fromShare, n)
		if cap(g.Reason) < n {
			g.Reason = make([]ThrottleReason, n)
		}
		g.Reason = g.Reason[:n]
		clear(g.Reason)
	}
	// By partition, groups in order within one, so that each partition's
	// flows are a run: built in that order rather than sorted, as a tick
	// of a busy month offers thousands of flows.
	for i := range n {
		for _, g := range groups {
			if c := g.Offered[i]; c > 0 {
				write := g.Op.IsWrite()
				cs.flows = append(cs.flows, flow{g: g, part: i, write: write, n: c, cost: g.Cost,
					load: t.ceilingLoadOf(write, g.consistency(), g.Cost)})
			}
		}
	}
	if len(cs.flows) == 0 || s.planCovered(cs, t, from, h) {
		return t, h
	}
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
				cs.divideBucket(b, from, h, 0, cs.claims)
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

	// An on-demand table's shared budget, divided among every flow of
	// both kinds at its ceiling load (a write unit is three read units).
	if !provisioned {
		cs.claims = cs.claims[:0]
		for j := range cs.flows {
			f := &cs.flows[j]
			cs.claims = append(cs.claims, claim{flow: j, n: f.n, cap: f.n, price: ceilingLoad(f.write, f.cost)})
		}
		cs.divideBucket(&t.budget, from, h, 0, cs.claims)
		for _, c := range cs.claims {
			f := &cs.flows[c.flow]
			f.gates.budget = roomFor(c, ceilingLoad(f.write, f.cost))
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
			drain = min(shareUsed[w], max(b.Available(from)+b.RefillOver(from, h), 0))
		}
		cs.claims = cs.claims[:0]
		for j := range cs.flows {
			f := &cs.flows[j]
			if f.write == write {
				cs.claims = append(cs.claims, claim{flow: j, n: f.n - f.fromShare, cap: f.n - f.fromShare, price: f.cost})
			}
		}
		cs.divideBucket(b, from, h, drain, cs.claims)
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
		cs.divideBucket(&p.ceiling, from, h, 0, cs.claims)
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
// share an overloaded bucket (see the top of this file and
// bucketshare.go). A balance left at from is spent first, every claim
// let through at the rate its cap allows, until it is gone; then for
// the rest of the interval the bucket is in its stationary overload, a
// claim of price c let through in the share of its arrivals that find
// the balance at c (stationaryPass). A debt at from is repaid from the
// refill first, nothing let through meanwhile. Claims of one price so
// share in proportion to their demand; cheaper ones get a larger share.
// Whole requests are given; the fractions they leave stay in the bucket
// for the next interval, as the balance an overloaded bucket hovers at
// does, rather than go to the cheapest claims, whose refusals are few
// and would be missed. A bucket full at from
// that gives no claim a request lets the first claim's one through, as
// CanTake does.
func (cs *countState) divideBucket(b *capacity.TokenBucket, from, h sim.Time, reserved units.Units, claims []claim) {
	start := b.Available(from)
	refill := b.RefillOver(from, h)
	avail := max(start+refill-reserved, 0)
	var total units.Units
	for i := range claims {
		c := &claims[i]
		c.k, c.covered, c.full = 0, false, false
		total += units.Units(c.cap) * c.price
	}
	cs.noteLoad(total, avail, reserved, refill)
	if total <= avail {
		for i := range claims {
			claims[i].k, claims[i].covered = claims[i].n, true
		}
		return
	}
	given := int64(0)
	if avail > 0 {
		// What is reserved is a flow over the interval: it comes out of
		// the refill, and out of the balance only when it exceeds that.
		rate, balance := float64(refill-reserved), float64(start)
		if rate < 0 {
			balance, rate = balance+rate, 0
		}
		// The interval's parts: repaying a debt (nothing passes), then
		// the stationary rest.
		stationary := 1.0
		if balance < 0 {
			stationary = max(1+balance/rate, 0)
		}
		pass := cs.passShares(rate, stationary, claims)
		// A balance is spent first, everything passing until it is gone:
		// spend is the part of the interval that takes, which leaves the
		// stationary rest to take the refill. thin is 1 but where the
		// whole requests the shares give would overrun what the bucket
		// gives by a rounding (shares agree with their rates to 1e-9):
		// then the shares are thinned until they fit.
		thin := 1.0
		through := func(c *claim, spend float64) int64 {
			if c.price <= 0 {
				return c.n
			}
			return min(c.n, int64(math.Floor(float64(c.n)*(spend+(1-spend)*stationary*thin*pass[c.class]))))
		}
		if claimsTake(claims, through, 0) > avail {
			thin = cs.spendBalance(avail, claims, func(c *claim, f float64) int64 {
				thin = f
				return through(c, 0)
			})
		}
		spend := 0.0
		if balance > 0 {
			spend = cs.spendBalance(avail, claims, through)
		}
		for i := range claims {
			c := &claims[i]
			c.k = through(c, spend)
			c.covered = c.price <= 0
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

// noteLoad keeps the heaviest load a bucket met (countState.load): a
// demand of total units, and reserved, against refill over the interval;
// +Inf where avail could not take the demand.
func (cs *countState) noteLoad(total, avail, reserved, refill units.Units) {
	if total <= 0 {
		return
	}
	l := math.Inf(1)
	if total <= avail && refill > 0 {
		l = float64(total+max(reserved, 0)) / float64(refill)
	}
	cs.load = max(cs.load, l)
}

// spendBalance is the part of an interval over which a bucket's balance
// is spent, every claim let through, such that what the claims take
// (through(c, spend) requests each, no more than its cap) is at most
// avail: found by bisection, as what they take grows with it. It finds
// any such part of [0, 1] through grows with (divideBucket's thinning).
func (cs *countState) spendBalance(avail units.Units, claims []claim, through func(*claim, float64) int64) float64 {
	lo, hi := 0.0, 1.0
	for range 40 {
		mid := (lo + hi) / 2
		if claimsTake(claims, through, mid) <= avail {
			lo = mid
		} else {
			hi = mid
		}
	}
	return lo
}

// claimsTake is what the claims take of a bucket when through(c, at)
// of each is let through: no more than its cap, at its price.
func claimsTake(claims []claim, through func(*claim, float64) int64, at float64) units.Units {
	var u units.Units
	for i := range claims {
		c := &claims[i]
		u += units.Units(min(through(c, at), c.cap)) * c.price
	}
	return u
}

// passShares groups the claims of a positive price by price (setting
// each claim's class) and returns, for each class, the share of its
// arrivals that find room in the stationary overload of a bucket
// refilling rate units over the interval, an overload that lasts the
// part stationary of it (the rest repays a debt). Only the arrivals and
// refill of that part meet there, but each claim's cap is whole: the
// requests the limits after the bucket pass may all come in it. The
// claims must overload it at their caps.
func (cs *countState) passShares(rate, stationary float64, claims []claim) []float64 {
	bs := &cs.shares
	bs.classes = bs.classes[:0]
	for i := range claims {
		c := &claims[i]
		if c.price <= 0 {
			continue
		}
		price := float64(c.price)
		c.class = slices.IndexFunc(bs.classes, func(p priceClass) bool { return p.price == price })
		if c.class < 0 {
			c.class = len(bs.classes)
			bs.classes = append(bs.classes, priceClass{price: price})
		}
		p := &bs.classes[c.class]
		p.arrive += float64(c.n) * stationary
		p.cap += float64(c.cap)
	}
	bs.pass = bs.pass[:0]
	if len(bs.classes) > 0 {
		bs.settleCharges(rate * stationary)
	}
	for _, p := range bs.classes {
		bs.pass = append(bs.pass, p.pass)
	}
	return bs.pass
}

// refuseN reports n throttles of g on partition i for limit, and keeps
// the reason as g's.
func (s *Service) refuseN(now sim.Time, t *Table, i int, g *CountGroup, write bool, limit Limit, n int64) {
	t.refuse(now, i, write, g.Cost, limit, &s.ev)
	t.noteRefused(write, units.Units(n-1)*g.Cost, limit) // refuse counted one
	if t.base != nil {
		s.ev.Reason += indexReasonOffset // a query of a global secondary index
	}
	s.ev.Op = g.Op
	g.Reason[i] = s.ev.Reason
	ThrottleN(s.rec, now, &s.ev, n)
}

// zeroedCounts and zeroedFloats return s resized to n and cleared,
// reusing its storage: a tick's scratch allocates only when it grows.
func zeroedCounts(s []int64, n int) []int64 {
	if cap(s) < n {
		return make([]int64, n)
	}
	s = s[:n]
	clear(s)
	return s
}

func zeroedFloats(s []float64, n int) []float64 {
	if cap(s) < n {
		return make([]float64, n)
	}
	s = s[:n]
	clear(s)
	return s
}

// CheckAggregate reports what AdmitCounts does not model on a table: it
// admits and charges a table's own reads and writes and their global
// secondary indexes' (counts_index.go), and of what follows from a write
// stream records (ChangeCounts, counts_stream.go), a global table's
// replication (CountGlobal) and TTL deletions (CountTTL, counts_ttl.go),
// not local index entries, TTL on a global table or one with indexes, nor
// multi-region strong consistency. A DAX cluster in front is the driver's
// to model (counts_dax.go).
func (s *Service) CheckAggregate(table int) error {
	t := s.tables[table]
	c := &t.cfg
	var what string
	switch {
	case t.base != nil:
		what = "is a global secondary index"
	case t.hasLocalIndexes():
		what = "has local secondary indexes"
	case c.TTL != nil && t.global != nil:
		// Replicated TTL deletions are billed in the other regions.
		what = "has TTL and is a global table"
	case c.TTL != nil && len(c.Indexes) > 0:
		// TTL deletions take their index entries with them.
		what = "has TTL and global secondary indexes"
	case t.global != nil && t.global.strong:
		what = "is a global table with multi-region strong consistency"
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
