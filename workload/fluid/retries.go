package fluid

import (
	"math"

	"github.com/ddbsim/ddbsim/model"
	"github.com/ddbsim/ddbsim/sim"
	"github.com/ddbsim/ddbsim/workload"
)

// retry decides what the tick's throttled requests do: retry, within
// MaxAttempts and the retry quota, or give up.
func (s *Source) retry(now sim.Time) {
	p := &s.cfg.Retry
	var want int64
	for _, t := range s.throttled {
		if t.attempt < p.MaxAttempts {
			want += t.n
		}
	}
	// The quota as a fluid: it pays workload.RetryCost a retry from its balance
	// and what this tick's successes return; if that cannot pay for all
	// of them, it pays for what it can, in proportion.
	frac := 1.0
	if p.Budget {
		funds := s.budget + float64(s.quotaCredit)
		if need := float64(want * workload.RetryCost); need > funds {
			frac = max(funds, 0) / need
		}
	}
	if s.closed != nil {
		s.closed.frac = frac
	}
	var allowed int64
	u := s.rng.Float64()
	acc := 0.0
	prev := int64(0)
	thr := s.thrLat[len(LatencyGrid)/2]
	for _, t := range s.throttled {
		r := int64(0)
		if t.attempt < p.MaxAttempts {
			acc += float64(t.n) * frac
			next := int64(math.Floor(acc + u))
			r = min(next-prev, t.n)
			prev = next
		}
		if give := t.n - r; give > 0 {
			f := finishRec{op: t.op, result: model.Throttled, reason: t.reason,
				attempt: t.attempt, age: t.age, ageVar: t.ageVar, n: give}
			if t.err != model.NoError {
				f.result, f.reason, f.err = model.Failed, model.NotThrottled, t.err
			}
			s.addFinish(f)
		}
		if r == 0 {
			continue
		}
		allowed += r
		if cr, ok := s.d.rec.(model.CountRecorder); ok {
			cr.RetryN(now, s.cfg.Table, s.ops[t.op].op, r)
		} else {
			for range r {
				s.d.rec.Retry(now, s.cfg.Table, s.ops[t.op].op)
			}
		}
		// Where the retries land: the backoff after this attempt, from
		// a point of the tick spread evenly over it.
		ds := s.delaysFor(t.attempt, t.err == model.NoError)
		v := s.rng.Float64()
		cum := 0.0
		last := int64(0)
		for k, dl := range ds {
			cum += dl.p
			next := int64(math.Floor(cum*float64(r) + v))
			if k == len(ds)-1 {
				next = r
			}
			m := next - last
			last = next
			if m <= 0 {
				continue
			}
			c := cohort{op: t.op, part: t.part, attempt: t.attempt + 1, n: m, age: t.age + thr + dl.mean,
				ageVar: t.ageVar + dl.vr, parts: scaleParts(t.parts, m, t.n), conflicted: t.err == model.ErrTransactionConflict}
			s.schedule(max(k, 1), c)
		}
	}
	if p.Budget {
		s.budget = min(workload.RetryBudgetTokens, s.budget+float64(s.quotaCredit)-float64(allowed*workload.RetryCost))
		s.budget = max(s.budget, 0)
	}
	s.quotaCredit = 0
}

// schedule puts c in the tick k ticks after the current one.
func (s *Source) schedule(k int, c cohort) {
	if need := k + 1; len(s.ring) < need {
		// Grow the ring, keeping each slot's place: slots are indexed by
		// absolute tick number, so rebuild.
		old := s.ring
		size := max(need, 2*len(old))
		ring := make([]retrySlot, size)
		for i := range ring {
			ring[i].index = map[cohortKey]int32{}
		}
		for t := s.tickNo; t < s.tickNo+int64(len(old)); t++ {
			slot := &old[t%int64(len(old))]
			for _, cc := range slot.c {
				ns := &ring[t%int64(size)]
				ns.index[keyOf(cc, s.d.tick)] = int32(len(ns.c))
				ns.c = append(ns.c, cc)
			}
		}
		s.ring = ring
	}
	// The current tick is s.tickNo-1 (begin counted it).
	slot := &s.ring[(s.tickNo-1+int64(k))%int64(len(s.ring))]
	key := keyOf(c, s.d.tick)
	if j, ok := slot.index[key]; ok && int(j) < len(slot.c) {
		m := &slot.c[j]
		m.age, m.ageVar = mergeAge(m.age, m.ageVar, m.n, c.age, c.ageVar, c.n)
		m.n += c.n
		for i, p := range c.parts {
			m.parts[i] += p
		}
	} else {
		slot.index[key] = int32(len(slot.c))
		slot.c = append(slot.c, c)
	}
	s.pendingRetries += c.n
}

// mergeAge is the mean and variance of the ages of two groups merged.
func mergeAge(a sim.Time, av float64, an int64, b sim.Time, bv float64, bn int64) (sim.Time, float64) {
	if a == b && av == bv {
		return a, av
	}
	wa, wb := float64(an)/float64(an+bn), float64(bn)/float64(an+bn)
	mean := wa*float64(a) + wb*float64(b)
	da, db := float64(a)-mean, float64(b)-mean
	return sim.Time(mean), wa*(av+da*da) + wb*(bv+db*db)
}

func keyOf(c cohort, tick sim.Time) cohortKey {
	age := uint64(c.age/max(tick, 1)) & 0x7fffff
	if c.conflicted {
		age |= 1 << 23
	}
	return cohortKey(uint64(c.op)<<56 | uint64(c.attempt&0xfff)<<44 | uint64(c.part&0xfffff)<<24 | age)
}

// delaysFor returns, for retries after attempt n, the share that lands
// in each later tick (index 0 is the current one) and the mean and
// variance of its delay: a request throttled (or, with throttle unset,
// failed transiently) at a point spread evenly over its tick waits the
// policy's backoff, uniform over workload.RetryPolicy.BackoffRange.
func (s *Source) delaysFor(n int, throttle bool) []retryDelay {
	kind := 0
	if !throttle {
		kind = 1
	}
	cache := &s.delays[kind]
	for len(*cache) <= n {
		*cache = append(*cache, nil)
	}
	if (*cache)[n] != nil {
		return (*cache)[n]
	}
	lo, hi := s.cfg.Retry.BackoffRange(n, throttle)
	tick := float64(s.d.tick)
	const grid = 64
	var out []retryDelay
	var sums, squares []float64
	for a := range grid {
		x := (float64(a) + 0.5) / grid * tick
		for b := range grid {
			d := float64(lo) + (float64(b)+0.5)/grid*float64(hi-lo)
			k := int((x + d) / tick)
			for len(out) <= k {
				out = append(out, retryDelay{})
				sums, squares = append(sums, 0), append(squares, 0)
			}
			out[k].p += 1.0 / (grid * grid)
			sums[k] += d
			squares[k] += d * d
		}
	}
	for k := range out {
		if n := out[k].p * grid * grid; n > 0 {
			mean := sums[k] / n
			out[k].mean = sim.Time(mean)
			out[k].vr = max(squares[k]/n-mean*mean, 0)
		}
	}
	(*cache)[n] = out
	return out
}

// addFinish adds f to the tick's outcomes, merged with those alike but
// for a twentieth of a tick of age (at least a millisecond: a retried
// request has waited a backoff of tens of milliseconds at least), in the
// order they first came.
func (s *Source) addFinish(f finishRec) {
	q := max(s.d.tick/20, sim.Millisecond)
	key := uint64(f.op)<<56 | uint64(f.result)<<52 | uint64(f.err)<<46 | uint64(f.attempt&0x1fff)<<32 | uint64(f.age/q)&0xffffffff
	if f.hit {
		key |= 1 << 45
	}
	if s.finishIdx == nil {
		s.finishIdx = map[uint64]int32{}
	}
	if j, ok := s.finishIdx[key]; ok {
		m := &s.finishes[j]
		m.age, m.ageVar = mergeAge(m.age, m.ageVar, m.n, f.age, f.ageVar, f.n)
		m.n += f.n
		return
	}
	s.finishIdx[key] = int32(len(s.finishes))
	s.finishes = append(s.finishes, f)
}

// record reports the tick's final outcomes, each operation's at the
// quantiles of its latency, all ending at the tick's last nanosecond.
func (s *Source) record(to sim.Time) {
	for oi := range s.ops {
		if o := &s.ops[oi]; o.firstOK > 0 {
			s.addFinish(finishRec{op: oi, result: model.Succeeded, attempt: 1, n: o.firstOK})
			o.firstOK = 0
		}
		if o := &s.ops[oi]; o.dax.firstHit > 0 {
			s.addFinish(finishRec{op: oi, hit: true, result: model.Succeeded, attempt: 1, n: o.dax.firstHit})
			o.dax.firstHit = 0
		}
	}
	if len(s.finishes) == 0 {
		return
	}
	end := to - 1
	clear(s.finishIdx)
	for _, f := range s.finishes {
		op := &s.ops[f.op]
		lat := op.lat
		cached := model.CacheNone
		switch {
		case f.result == model.Throttled:
			lat = s.thrLat
		case f.hit:
			lat, cached = op.dax.hitLat, model.CacheItemHit
		default:
			cached = op.cacheOf()
		}
		// The driver keeps no attempt-by-attempt history: every attempt
		// before the last counts as throttled, and the last one too when
		// the request ended throttled.
		throttles := f.attempt - 1
		if f.result == model.Throttled {
			throttles = f.attempt
		}
		o := model.Outcome{Table: s.table, Workload: s.cfg.Workload, Op: op.op, Result: f.result, End: end,
			Attempts: f.attempt, Throttles: throttles, Reason: f.reason, Error: f.err, Cache: cached}
		// A retried request's wait is spread as a uniform of the
		// backoffs' variance around their mean, its quantiles added to
		// the service time's (together: the spread dwarfs the service
		// time).
		spread := math.Sqrt(12 * f.ageVar)
		u := s.rng.Float64()
		acc := 0.0
		prev := int64(0)
		for j, g := range LatencyGrid {
			acc += g.w * float64(f.n)
			next := int64(math.Floor(acc + u))
			if j == len(LatencyGrid)-1 {
				next = f.n
			}
			k := next - prev
			prev = next
			if k <= 0 {
				continue
			}
			age := f.age
			if spread > 0 {
				age += sim.Time(spread * (g.p - 0.5))
			}
			o.Start = max(end-(max(age, 0)+lat[j]), 0)
			finishN(s.d.rec, o, k)
		}
	}
	s.finishes = s.finishes[:0]
}

// finishN reports n like outcomes.
func finishN(rec model.Recorder, o model.Outcome, n int64) {
	if cr, ok := rec.(model.CountRecorder); ok {
		cr.FinishN(o, n)
		return
	}
	for range n {
		rec.Finish(o)
	}
}
