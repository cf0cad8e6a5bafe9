package fluid

import (
	"math"

	"github.com/ddbsim/ddbsim/sim"
	"github.com/ddbsim/ddbsim/workload"
)

// Calm steps: where nothing binds, a longer tick.
//
// A month at one-second ticks is 2.6 million ticks, each of them a pass
// over every partition. But where the run's time series keep a point a
// minute or coarser (a run longer than a day keeps at most 10,000
// points), and every bucket the last tick met had room to spare, a tick
// of a whole minute admits what sixty one-second ticks would: every
// request, since no bucket binds in either, with the same expected
// counts (a Poisson count over a minute is the sum of sixty one-second
// ones), charged to the same minute's datapoint (auto scaling,
// on-demand growth and split for heat read whole minutes), and recorded
// in the same point of the series. What a minute does not keep is the
// order of the seconds inside it, which the series' points do not show.
//
// So the driver steps a minute at a time while the run is calm, and a
// second at a time otherwise. Calm is decided before each step from what
// the last one saw (model.Service.TakeCountLoad): every bucket's demand
// at most calmLoad of what it refills over the step, scaled by how far
// each workload's rate can rise before the step ends; no retries
// waiting; no planned capacity change inside the step. Anything that
// could make seconds differ from their minute keeps one-second ticks for
// the whole run: closed loops (their users' think and wait times set the
// next second's load), batches and transactions, DAX, global tables and
// outages, TTL, streams, rotating or growing keyspaces, global secondary
// indexes, and read-modify-writes.
//
// In a calm step a workload draws each operation's count and spreads it
// over the partitions by their shares (calmArrivals), where a one-second tick
// draws each partition's: no bucket binds, so the partition a request
// lands on changes only that partition's series and heat, which then see
// its expected share. The totals keep their distribution: Poisson for a
// Poisson workload, the profile's count for evenly spaced arrivals.
//
// A step that turns out not calm (a rate that rose faster than its
// profile says, which a profile does not do) still admits by the same
// rule as any tick, min(demand, balance + refill) of each bucket, and
// the next step is a second again.

// calmLoad is the most of a bucket's refill the demand of a calm step
// may take. Over the step, anything up to 1 would fit; the margin is for
// the seconds inside it, whose Poisson counts stray from their mean: a
// bucket that holds one second of its rate (a partition's ceiling, an
// on-demand table's instant capacity) meets at least 800 units a second
// at this load, as the smallest such rate is 1,000 WCU: 200 requests of
// 4 units or more, whose count's standard deviation is at most 7% of
// it, a third of the margin; a bucket of smaller rate is a provisioned
// share, which banks 300 seconds of burst for what a second brings
// above its rate.
const calmLoad = 0.8

// SetCalmStep lets the driver step step at a time where the run is calm
// (above). step must be a whole number of minutes or divide one, a
// multiple of the tick, and no longer than a point of the run's time
// series: the collector records a tick's outcomes at its end. 0, or a
// step no longer than the tick, keeps every tick at the tick.
func (d *Driver) SetCalmStep(step sim.Time) {
	if step <= d.tick || step%d.tick != 0 {
		step = 0
	}
	d.calmStep = step
}

// calmEligible reports whether every source and table can take calm
// steps at all (see the top of this file).
func (d *Driver) calmEligible() bool {
	if d.calmStep == 0 || len(d.globals) > 0 || len(d.dax) > 0 || len(d.svc.Faults()) > 0 {
		return false
	}
	for _, ft := range d.tables {
		if hasGlobalIndex(d.svc.Tables()[ft.table].Config()) {
			return false
		}
	}
	for _, s := range d.sources {
		if s.closed != nil || s.dax != nil || s.expiries != nil || s.changes != nil || s.rewrites != nil ||
			s.keys.latest != nil || s.cfg.Index > 0 {
			return false
		}
		if _, rot := s.cfg.Keys.(*workload.Rotating); rot {
			return false
		}
		for oi := range s.ops {
			if o := &s.ops[oi]; o.multi != nil || o.then >= 0 || o.follows {
				return false
			}
		}
	}
	return true
}

// step is how long the tick starting at now lasts, for a run that may
// take calm steps (calmEligible): the calm step when the run is calm at
// now and the step fits before the run's end, else the tick. load is the
// heaviest load of the last tick.
func (d *Driver) step(now sim.Time, load float64) sim.Time {
	step := d.calmStep
	if now%step != 0 || now+step > d.end {
		return d.tick
	}
	rise := 1.0
	for _, s := range d.sources {
		if s.pendingRetries > 0 {
			return d.tick
		}
		last, peak := s.arr.lastRate(), s.arr.peakRate(now, now+step)
		switch {
		case peak <= 0:
		case last <= 0:
			return d.tick // traffic starting: let a second see it first
		default:
			rise = max(rise, peak/last)
		}
	}
	if load*rise > calmLoad {
		return d.tick
	}
	for _, ft := range d.tables {
		for _, c := range d.svc.Tables()[ft.table].Config().Schedule {
			if c.At > now && c.At < now+step {
				return d.tick
			}
		}
	}
	return step
}

// lastRate is the mean rate, a second, of the interval the last advance
// covered; 0 before the first.
func (a *arrivalCounter) lastRate() float64 {
	if a.lastSpan <= 0 {
		return 0
	}
	return (a.cum - a.prevCum) / a.lastSpan.Seconds()
}

// peakRate is the highest rate of the profile over [from, to]: at its
// ends or at a knot between them.
func (a *arrivalCounter) peakRate(from, to sim.Time) float64 {
	k := a.p.Knots()
	to = min(to, a.p.End())
	if from >= to || len(k) == 0 {
		return 0
	}
	peak := max(a.rateAt(from), a.rateAt(to))
	for i := a.seg; i < len(k) && k[i].At < to; i++ {
		if k[i].At > from {
			peak = max(peak, k[i].Rate)
		}
	}
	return peak
}

// rateAt is the profile's rate at t, at or after the counter's segment.
func (a *arrivalCounter) rateAt(t sim.Time) float64 {
	k := a.p.Knots()
	i := a.seg
	for i+1 < len(k) && k[i+1].At <= t {
		i++
	}
	if i+1 < len(k) {
		return workload.Interpolate(k[i], k[i+1], t)
	}
	return k[len(k)-1].Rate
}

// calmArrivals sets each operation's new arrivals for a calm step of
// mean expected arrivals: its count drawn whole (Poisson; or the
// profile's evenly spaced count, divided among the operations by a
// multinomial draw as split does), then divided over the partitions by
// their shares, rounding the running sum so that the parts add up to
// the count. It returns the total.
func (s *Source) calmArrivals(mean float64) int64 {
	var left int64
	if !s.cfg.Poisson {
		left = s.arr.count()
	}
	rest := 1.0
	var total int64
	for oi := range s.ops {
		o := &s.ops[oi]
		var n int64
		switch {
		case s.cfg.Poisson:
			n = poisson(s.rng, mean*o.weight)
		case o.weight <= 0 || left == 0:
		case o.weight < rest:
			n = binomial(s.rng, left, o.weight/rest)
		default:
			n = left
		}
		left -= min(n, left)
		rest -= o.weight
		cum, given := 0.0, int64(0)
		shares := s.placement(oi).Share
		for i, sh := range shares {
			cum += sh
			k := int64(math.Round(float64(n)*min(cum, 1))) - given
			if i == len(shares)-1 {
				k = n - given
			}
			o.fresh[i] = k
			given += k
		}
		total += n
	}
	return total
}
