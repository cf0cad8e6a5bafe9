package fluid

import (
	"math"

	"github.com/ddbsim/ddbsim/model"
	"github.com/ddbsim/ddbsim/sim"
	"github.com/ddbsim/ddbsim/workload"
)

// settle takes the tick's admissions: it notes what succeeded and what
// was throttled for good, and schedules retries.
func (s *Source) settle(now sim.Time) {
	s.throttled = append(s.throttled[:0], s.conflicted...)
	s.conflicted = s.conflicted[:0]
	s.restoreDown()
	s.sortCohorts()
	ci := 0
	for oi := range s.ops {
		o := &s.ops[oi]
		g := &o.group
		if o.multi != nil {
			ci = s.settleMulti(oi, ci)
			continue
		}
		if !offered(g.Offered) {
			for ci < len(s.cur) && s.cur[ci].op == oi {
				ci++
			}
			continue
		}
		for i, offer := range g.Offered {
			if offer == 0 {
				continue
			}
			admitted := g.Admitted[i]
			if admitted > offer {
				admitted = offer
			}
			reason := g.Reason[i]
			// Admission does not tell new requests from retries: each
			// gets its share of what was admitted, the shares rounded
			// from a random offset so that none is favoured (a small
			// cohort rounded down every time would be throttled whenever
			// anything is).
			start := ci
			var u float64
			if ci < len(s.cur) && s.cur[ci].op == oi && s.cur[ci].part == i && admitted < offer {
				u = s.share.Float64()
			}
			cum, prev := int64(0), int64(0)
			take := func(n int64) int64 {
				cum += n
				next := admitted
				if cum < offer {
					next = int64(math.Floor(float64(cum)*float64(admitted)/float64(offer) + u))
				}
				next = min(max(next, prev), admitted)
				a := min(next-prev, n)
				prev += a
				return a
			}
			for ci < len(s.cur) && s.cur[ci].op == oi && s.cur[ci].part == i {
				c := &s.cur[ci]
				a := take(c.n)
				if a > 0 {
					s.finished(oi, c.attempt, c.age, c.ageVar, a)
				}
				c.n -= a // what is left of c was throttled
				ci++
			}
			fresh := o.fresh[i]
			a := take(fresh)
			if left := admitted - prev; left > 0 { // the rounding's rest
				b := min(left, fresh-a)
				a += b
				left -= b
				for k := start; k < ci && left > 0; k++ {
					c := &s.cur[k]
					b := min(left, c.n)
					if b > 0 {
						s.finished(oi, c.attempt, c.age, c.ageVar, b)
						c.n -= b
						left -= b
					}
				}
			}
			if a > 0 {
				s.finished(oi, 1, 0, 0, a)
			}
			if s.changes != nil {
				s.changes.note(s, now, oi, i, admitted)
			}
			if s.rewrites != nil && o.op.IsWrite() {
				s.rewrites.written += admitted
			}
			if s.expiries != nil {
				s.expiries.note(o, admitted)
			}
			if o.then >= 0 {
				// The reads of read-modify-writes admitted against the
				// updates sent with them: those owed go in the next tick.
				u := &s.ops[o.then]
				u.ahead[i] += u.fresh[i] - admitted
				if owed := -u.ahead[i]; owed > 0 {
					s.schedule(1, cohort{op: o.then, part: i, attempt: 1, n: owed})
					s.arrived += owed
					u.ahead[i] = 0
				}
			}
			if o.follows {
				s.arrived += fresh // the updates of read-modify-writes
			}
			if th := fresh - a; th > 0 {
				s.throttled = append(s.throttled, throttleRec{op: oi, part: i, attempt: 1, n: th, reason: reason})
			}
			for k := start; k < ci; k++ {
				if c := &s.cur[k]; c.n > 0 {
					s.throttled = append(s.throttled, throttleRec{op: oi, part: i, attempt: c.attempt, age: c.age,
						ageVar: c.ageVar, n: c.n, reason: reason})
				}
			}
		}
		clear(o.fresh)
	}
	s.cur = s.cur[:0]
	if s.rewrites != nil {
		s.rewrites.apply(s)
	}
	if s.expiries != nil {
		s.expiries.tick(s, now)
	}
	s.failDown()
	s.retry(now)
	for oi := range s.ops {
		clear(s.ops[oi].group.Offered)
	}
}

// sortCohorts orders s.cur by operation, then partition, keeping the
// order within each (a counting sort).
func (s *Source) sortCohorts() {
	if len(s.cur) < 2 {
		return
	}
	n := s.pl.Partitions()
	cells := len(s.ops) * n
	s.byCell = resize(s.byCell, cells+1)
	for _, c := range s.cur {
		s.byCell[c.op*n+c.part+1]++
	}
	for i := 1; i <= cells; i++ {
		s.byCell[i] += s.byCell[i-1]
	}
	s.scratch = resize(s.scratch, len(s.cur))
	for _, c := range s.cur {
		k := c.op*n + c.part
		s.scratch[s.byCell[k]] = c
		s.byCell[k]++
	}
	s.cur, s.scratch = s.scratch, s.cur
}

// finished notes n admitted requests of operation oi at their attempt,
// age after they started; a write's failed conditions are a share of
// them.
func (s *Source) finished(oi, attempt int, age sim.Time, ageVar float64, n int64) {
	o := &s.ops[oi]
	// The quota's credit (workload's retryBudget): a first attempt
	// adds the no-retry increment, a retry gives back its cost (the
	// fluid has no timeouts, so every retry cost RetryCost).
	if attempt == 1 {
		s.quotaCredit += n * workload.RetrySuccessBonus
	} else {
		s.quotaCredit += n * workload.RetryCost
	}
	if h := o.splitHit(n); h > 0 {
		n -= h
		if attempt == 1 {
			o.dax.firstHit += h
		} else {
			s.addFinish(finishRec{op: oi, hit: true, result: model.Succeeded, attempt: attempt, age: age, ageVar: ageVar, n: h})
		}
	}
	if n == 0 {
		return
	}
	if attempt == 1 && o.entry.ConditionFailure == 0 {
		o.firstOK += n // the common case, counted without a record
		return
	}
	if f := o.entry.ConditionFailure; f > 0 {
		o.failAcc += float64(n) * f
		k := min(n, int64(o.failAcc))
		o.failAcc -= float64(k)
		if k > 0 {
			s.addFinish(finishRec{op: oi, result: model.Failed, err: model.ErrConditionalCheckFailed,
				attempt: attempt, age: age, ageVar: ageVar, n: k})
			n -= k
		}
	}
	if n > 0 {
		s.addFinish(finishRec{op: oi, result: model.Succeeded, attempt: attempt, age: age, ageVar: ageVar, n: n})
	}
}
