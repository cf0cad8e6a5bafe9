package fluid

import (
	"math"

	"github.com/ddbsim/ddbsim/model"
	"github.com/ddbsim/ddbsim/model/units"
	"github.com/ddbsim/ddbsim/sim"
	"github.com/ddbsim/ddbsim/workload"
)

// Closed loops (workload.Config.Users > 0): Users virtual users, each
// sending a request, waiting for its final response (the service time,
// and for a throttled request the throttle, the backoff and the retry),
// thinking, and sending the next.
//
// Counted a tick at a time, the population gives what Little's law says
// a closed system in steady state gives: throughput X = N / C, where N
// is the users present in the tick and C the mean time of one user's
// cycle, C = Z + R, Z the mean think time and R the mean response time of
// an operation. R depends on how often the tick's admission throttles an
// attempt (p): with a fresh draw of the service time for every attempt,
// an operation of attempts at most M takes
//
//	R(p) = sum over k = 1..M of p^(k-1) · ((1-p)·S + p·T + p·B(k)·[k < M])
//
// S the mean service time, T the mean time of a throttling error, B(k)
// the mean backoff after attempt k (uniform over [0, min(Base·2^k,
// MaxBackoff)), so half that), scaled by the share of retries the client's
// retry quota paid for in the last tick. p in turn depends on X: the more
// a tick offers, the more it throttles. Each tick the driver finds the X
// where the two agree, X = N / C(p(X)), by bisection (X - N / C(p(X))
// grows with X), asking the service what it would admit
// (model.Service.PlanCounts) without charging it, and then offers that
// many operations. A read-modify-write is one operation of two requests:
// its cycle holds both.
//
// What it approximates, where the per-request driver is exact: the tick
// is taken to be in steady state (the users of a tick settle to the
// fixed point at once, which holds when a cycle is far shorter than a
// tick: milliseconds against a second); the throttle probability is the
// tick's mean over the whole workload, the same for every attempt
// (requests pick their keys independently, so a user's next request is
// no likelier to meet a hot partition than anyone's); users blocked in a
// backoff are counted by the p·B(k) of the cycle, the retries themselves
// being sent by the retry cohorts as for an open loop; the users' staggered
// start (user i at i·W/N) is counted exactly, as the user-time each tick
// holds; and a tick's operations are a whole number carried over, not a
// draw.

// closedLoop is a closed-loop workload's population.
type closedLoop struct {
	users  int64
	think  float64  // mean think time, seconds
	spread sim.Time // users start over it: Think, or a second when 0
	end    sim.Time
	carry  float64 // operations owed to rounding
	frac   float64 // the share of retries the quota paid for last tick
	cycle  cycleParts
}

// cycleParts are the fixed parts of a user's cycle, in seconds.
type cycleParts struct {
	service  []float64 // mean service time of each operation
	throttle float64   // mean time of a throttling error
	backoff  []float64 // mean backoff after attempt k (index k)
}

func newClosedLoop(cfg workload.Config) *closedLoop {
	w := cfg.Think
	if w == 0 {
		w = startSpread
	}
	c := &closedLoop{users: int64(cfg.Users), think: cfg.Think.Seconds(), spread: w, end: cfg.End, frac: 1}
	p := &cfg.Retry
	c.cycle.backoff = make([]float64, max(p.MaxAttempts, 1))
	for k := range c.cycle.backoff {
		c.cycle.backoff[k] = backoffCeiling(p, k).Seconds() / 2
	}
	return c
}

// startSpread is the span over which users start when Think is 0, as the
// per-request driver starts them.
const startSpread = sim.Second

// backoffCeiling is the top of the uniform backoff before retry n.
func backoffCeiling(p *workload.RetryPolicy, n int) sim.Time {
	ceiling := p.Base
	for i := 0; i < n && ceiling > 0 && ceiling < p.MaxBackoff; i++ {
		if ceiling > p.MaxBackoff/2 {
			ceiling = p.MaxBackoff
			break
		}
		ceiling *= 2
	}
	return max(min(ceiling, p.MaxBackoff), 0)
}

// userSeconds is the time users spend in the loop over [a, b): user i
// starts at i·spread/users (integer arithmetic, as the per-request driver
// starts them) and none sends at or after end.
func (c *closedLoop) userSeconds(a, b sim.Time) float64 {
	b = min(b, c.end)
	if b <= a {
		return 0
	}
	// started(t) counts the users whose start is before t.
	started := func(t sim.Time) int64 {
		if t <= 0 {
			return 0
		}
		n := int64(math.Ceil(float64(t) * float64(c.users) / float64(c.spread)))
		return min(max(n, 0), c.users)
	}
	total := float64(started(a)) * (b - a).Seconds()
	for i := started(a); i < started(b); i++ {
		at := sim.Time(float64(i) * float64(c.spread) / float64(c.users))
		total += (b - max(at, a)).Seconds()
	}
	return total
}

// meanService is the mean of op's service time: the lognormal's mean,
// median·e^(σ²/2), plus what the bytes read add.
func meanService(svc *model.Service, op units.Op, c units.Consistency, readBytes int) float64 {
	q50, q99 := svc.ServiceQuantile(op, c, 0, 0.5), svc.ServiceQuantile(op, c, 0, 0.99)
	add := svc.ServiceQuantile(op, c, readBytes, 0.5) - q50
	mean := float64(q50)
	if q99 > q50 && q50 > 0 {
		sigma := math.Log(float64(q99)/float64(q50)) / z99
		mean *= math.Exp(sigma * sigma / 2)
	}
	return (sim.Time(mean) + add).Seconds()
}

// z99 is the standard normal's 99th percentile.
const z99 = 2.3263478740408408

// response is R(p) above for an operation of mean service time s.
func (c *closedLoop) response(s, p float64) float64 {
	m := len(c.cycle.backoff)
	r, reach := 0.0, 1.0
	for k := 1; k <= m; k++ {
		step := (1-p)*s + p*c.cycle.throttle
		if k < m {
			step += p * c.cycle.backoff[k] * c.frac
		}
		r += reach * step
		reach *= p
	}
	return r
}

// cycleTime is C(p): think time and the response times of one
// operation of the mix, with p the throttled share of each operation's
// attempts.
func (s *Source) cycleTime(p []float64) float64 {
	c := s.closed
	total := 0.0
	for oi := range s.ops {
		o := &s.ops[oi]
		if o.weight == 0 {
			continue
		}
		r := c.response(c.cycle.service[oi], p[oi])
		if f := o.then; f >= 0 {
			r += c.response(c.cycle.service[f], p[f])
		}
		total += o.weight * r
	}
	return c.think + total
}

// solveClosed finds the tick's operations for a closed loop, given what
// the other sources on its table offer (groups holds them all): the n
// where n = users / C(p(n)) over the tick. It leaves the fresh arrivals
// split over operations and partitions, and offered. Only the final
// call of a tick issues them; the others offer the solution, evenly
// split, for the other closed loops on the table to solve against.
func (s *Source) solveClosed(now, to sim.Time, groups []*model.CountGroup, final bool) {
	c := s.closed
	users := c.userSeconds(now, to)
	limit := math.Inf(1)
	if m := s.cfg.MaxRequests; m > 0 {
		limit = float64(max(m-s.operations, 0))
	}
	if users <= 0 || limit == 0 {
		s.setFresh(0, true)
		return
	}
	p := s.pScratch[:0]
	for range s.ops {
		p = append(p, 0)
	}
	s.pScratch = p
	// want is N / C(p(n)) over the tick, with p(n) from a plan of n.
	want := func(n float64) float64 {
		s.setFresh(int64(math.Round(n)), true)
		s.d.svc.PlanCounts(now, to, s.table, groups)
		s.throttledShares(p)
		return users / s.cycleTime(p)
	}
	clear(p)
	hi := min(users/s.cycleTime(p), limit) // nothing throttled: the most it offers
	lo := 0.0
	if w := want(hi); w >= hi {
		lo = hi
	} else {
		for range 40 {
			mid := (lo + hi) / 2
			if want(mid) >= mid {
				lo = mid
			} else {
				hi = mid
			}
			if hi-lo < 0.5 {
				break
			}
		}
	}
	if !final {
		s.setFresh(int64(math.Round(lo)), true)
		return
	}
	c.carry += lo
	n := int64(math.Floor(c.carry + 1e-9))
	n = min(n, int64(math.Min(limit, math.MaxInt64/2)))
	c.carry -= float64(n)
	s.setFresh(n, true)
	s.issued(n)
}

// throttledShares sets p[oi] to the share of operation oi's offered
// attempts the last plan refused.
func (s *Source) throttledShares(p []float64) {
	for oi := range s.ops {
		g := &s.ops[oi].group
		var offered, admitted int64
		for i, n := range g.Offered {
			offered += n
			admitted += min(g.Admitted[i], n)
		}
		p[oi] = 0
		if offered > 0 {
			p[oi] = float64(offered-admitted) / float64(offered)
		}
	}
}

// setFresh sets the tick's new operations to n, split over operations
// and partitions: by expected shares when even (the planning of
// solveClosed), else by a multinomial draw as the per-request driver's
// draws of operation and key are; and offers them with the retries due.
func (s *Source) setFresh(n int64, even bool) {
	for oi := range s.ops {
		s.ops[oi].fresh = resize(s.ops[oi].fresh, s.placement(oi).Partitions())
	}
	if even {
		acc, prev := 0.0, int64(0)
		for oi := range s.ops {
			o := &s.ops[oi]
			for i, sh := range s.placement(oi).Share {
				acc += float64(n) * o.weight * sh
				next := int64(math.Floor(acc + 0.5))
				o.fresh[i] = max(next-prev, 0)
				prev = max(next, prev)
			}
		}
	} else {
		s.split(n)
	}
	s.offer()
}
