package fluid

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"

	"github.com/ddbsim/ddbsim/model"
	"github.com/ddbsim/ddbsim/model/units"
	"github.com/ddbsim/ddbsim/sim"
	"github.com/ddbsim/ddbsim/workload"
)

// DefaultTick is the aggregate driver's step: one second, the grain of
// the model's own per-second timeline.
const DefaultTick = sim.Second

// LatencyGrid are the probabilities at which the aggregate driver records
// a latency distribution, with their weights: bins of the probability
// axis, finer in the tail, each recorded at its middle. The bins around
// 0.5, 0.9, 0.99 and 0.999 are centred on them, so those percentiles of a
// single distribution come out exact.
var LatencyGrid = latencyGrid([]float64{0, .1, .2, .3, .4, .48, .52, .6, .7, .8, .89, .91, .95, .97, .98,
	.985, .988, .992, .995, .997, .9985, .9995, .9999, 1})

type gridPoint struct{ p, w float64 }

func latencyGrid(edges []float64) []gridPoint {
	g := make([]gridPoint, len(edges)-1)
	for i := range g {
		g[i] = gridPoint{p: (edges[i] + edges[i+1]) / 2, w: edges[i+1] - edges[i]}
	}
	return g
}

// maxListedKeys bounds the keys a placement hashes one by one: the most
// popular ones; the rest are spread over the hash space.
const maxListedKeys = 1 << 18

// Driver steps the fluid sources of a simulation together, one tick
// at a time, so that the workloads on one table share its buckets within
// each tick as interleaved requests would.
type Driver struct {
	k       *sim.Kernel
	svc     *model.Service
	rec     model.Recorder
	tick    sim.Time
	sources []*Source
	tables  []tableGroups
	end     sim.Time // the last profile's end
}

type tableGroups struct {
	table  int
	groups []*model.CountGroup // reused
}

// NewDriver returns a driver stepping tick at a time (DefaultTick when
// 0) on k, against svc, recording to rec. A tick should divide a minute:
// the model's 1-minute datapoints (auto scaling, on-demand growth, split
// for heat) then each get the consumption of whole ticks, where a tick
// astride a minute's end would put its consumption in the minute it
// starts in.
func NewDriver(k *sim.Kernel, svc *model.Service, rec model.Recorder, tick sim.Time) *Driver {
	if tick <= 0 {
		tick = DefaultTick
	}
	return &Driver{k: k, svc: svc, rec: rec, tick: tick}
}

// Tick is the driver's step.
func (d *Driver) Tick() sim.Time { return d.tick }

// ErrUnsupported wraps what the aggregate driver does not model.
var ErrUnsupported = errors.New("not supported by --fidelity aggregate")

// Add adds a workload. It returns an error wrapping ErrUnsupported for a
// workload the aggregate driver does not model: closed loops, traces,
// batches, transactions, scans, inserts, read-modify-writes, secondary
// index queries, DAX, failover, keys that follow inserts (latest), and
// tables with indexes, streams, TTL or replicas.
func (d *Driver) Add(cfg workload.Config) (*Source, error) {
	s, err := newSource(d, cfg)
	if err != nil {
		return nil, fmt.Errorf("workload %s: %w", cfg.Name, err)
	}
	d.sources = append(d.sources, s)
	if !slices.ContainsFunc(d.tables, func(t tableGroups) bool { return t.table == cfg.Table }) {
		d.tables = append(d.tables, tableGroups{table: cfg.Table})
	}
	d.end = max(d.end, cfg.Arrivals.End())
	return s, nil
}

// Sources returns the driver's sources in the order they were added.
func (d *Driver) Sources() []*Source { return d.sources }

// Start schedules the first tick at 0.
func (d *Driver) Start() {
	if len(d.sources) > 0 {
		d.k.At(0, d)
	}
}

// Fire runs the tick [now, now+tick).
func (d *Driver) Fire(now sim.Time) {
	to := now + d.tick
	for _, s := range d.sources {
		s.begin(now, to)
	}
	for ti := range d.tables {
		ft := &d.tables[ti]
		ft.groups = ft.groups[:0]
		for _, s := range d.sources {
			if s.cfg.Table != ft.table {
				continue
			}
			for oi := range s.ops {
				if g := &s.ops[oi].group; offered(g.Offered) {
					ft.groups = append(ft.groups, g)
				}
			}
		}
		if len(ft.groups) > 0 {
			d.svc.AdmitCounts(now, to, ft.table, ft.groups)
		}
	}
	for _, s := range d.sources {
		s.settle(now)
		s.record(to)
	}
	// Split for heat reads the partitions' traffic at each 1-minute
	// datapoint: flush it before the datapoint that ends in this tick.
	if to/sim.Minute > now/sim.Minute {
		for _, s := range d.sources {
			if s.pl != nil {
				d.svc.FlushHeat(s.pl)
			}
		}
	}
	pending := false
	for _, s := range d.sources {
		pending = pending || s.pendingRetries > 0
	}
	if to < d.end || pending {
		d.k.At(to, d)
	}
}

func offered(c []int64) bool {
	for _, n := range c {
		if n > 0 {
			return true
		}
	}
	return false
}

// Source is one open-loop workload under the aggregate driver.
//
// It approximates, where the per-request driver is exact: each request's
// price is the mean over the workload's item sizes (ReadUnits, PutUnits,
// DeleteUnits, QueryUnits), a read finds an item when its key is among
// the table's preloaded items (keys written during the run are not
// tracked, nor are their bytes stored), a put over an existing item is
// priced at the larger of the preloaded size and the new one, a query
// reads min(limit, items per key) preloaded items; sequential keys are
// uniform; the most popular 2^18 keys (shards included) are placed one by
// one and the rest spread evenly over the hash space; retries re-arrive
// at tick grain, their waits kept as a mean and a variance; a client
// timeout is not modelled (service times are far below it); a failed
// condition is a share of the admitted writes, priced as the write.
type Source struct {
	d       *Driver
	cfg     workload.Config
	rng     *rand.Rand
	arr     arrivalCounter
	ops     []opState
	keys    keyModel
	pl      *model.Placement
	epoch   int64   // rotation epoch the placement is for
	present float64 // share of the traffic to keys the table holds
	budget  float64 // the retry quota, as a fluid balance

	// Retries waiting for a later tick: ring[t % len] holds those due in
	// tick t (counted from 0).
	ring           []retrySlot
	cur            []cohort // this tick's retries
	pendingRetries int64
	tickNo         int64
	delays         [][]retryDelay // by attempt: where retries land
	finishes       []finishRec
	finishIdx      map[uint64]int32 // finishes by what they are alike in
	byCell         []int            // cohorts of s.cur by operation and partition
	scratch        []cohort
	throttled      []throttleRec
	arrived        int64
	thrLat         []sim.Time // throttle latency at LatencyGrid
}

type opState struct {
	entry   workload.MixEntry
	op      units.Op
	c       units.Consistency
	group   model.CountGroup
	weight  float64    // share of the mix
	fresh   []int64    // this tick's new arrivals by partition
	lat     []sim.Time // service time at LatencyGrid
	failAcc float64    // failed conditions owed to rounding
	firstOK int64      // this tick's successes at the first attempt
}

// cohort is retries of one operation on one partition at the same attempt,
// started about age before they are sent again: age is the mean, ageVar
// the variance (ns²) of the backoffs behind it.
type cohort struct {
	op, part, attempt int
	n                 int64
	age               sim.Time
	ageVar            float64
}

// cohortKey packs what cohorts must share to merge: operation,
// attempt, partition, and age in whole ticks.
type cohortKey uint64

type retrySlot struct {
	c     []cohort
	index map[cohortKey]int32
}

type retryDelay struct {
	p    float64  // share of retries landing this many ticks later
	mean sim.Time // their mean delay
	vr   float64  // its variance, ns²
}

type finishRec struct {
	op      int
	result  model.Result
	reason  model.ThrottleReason
	err     model.ErrorKind
	attempt int
	age     sim.Time
	ageVar  float64
	n       int64
}

type throttleRec struct {
	op, part, attempt int
	age               sim.Time
	ageVar            float64
	n                 int64
	reason            model.ThrottleReason
}

func newSource(d *Driver, cfg workload.Config) (*Source, error) {
	if err := d.svc.CheckAggregate(cfg.Table); err != nil {
		return nil, fmt.Errorf("%v, %w", err, ErrUnsupported)
	}
	switch {
	case cfg.Users > 0:
		return nil, fmt.Errorf("closed loops (users) are %w", ErrUnsupported)
	case cfg.Trace != nil:
		return nil, fmt.Errorf("trace replay is %w", ErrUnsupported)
	case cfg.Index > 0:
		return nil, fmt.Errorf("queries of a secondary index are %w", ErrUnsupported)
	case cfg.ViaDAX:
		return nil, fmt.Errorf("DAX is %w", ErrUnsupported)
	case len(cfg.Failover) > 0:
		return nil, fmt.Errorf("failover between replicas is %w", ErrUnsupported)
	case cfg.Keyspace != nil:
		return nil, fmt.Errorf("inserts are %w", ErrUnsupported)
	}
	s := &Source{
		d:      d,
		cfg:    cfg,
		rng:    d.k.Stream("workload/" + cfg.Name + "/fluid"),
		arr:    arrivalCounter{p: cfg.Arrivals},
		budget: workload.RetryBudgetTokens,
	}
	km, err := keyModelOf(cfg.Keys)
	if err != nil {
		return nil, err
	}
	s.keys = km
	tc := d.svc.Tables()[cfg.Table].Config()
	preloaded := tc.ItemCount / max(1, tc.ItemsPerKey)
	s.present = km.below(preloaded)
	for i, e := range cfg.Mix.Entries() {
		switch {
		case e.ReadModifyWrite:
			return nil, fmt.Errorf("read-modify-write is %w", ErrUnsupported)
		case e.Insert:
			return nil, fmt.Errorf("inserts are %w", ErrUnsupported)
		}
		switch e.Op {
		case units.OpGet, units.OpPut, units.OpUpdate, units.OpDelete, units.OpQuery:
		default:
			return nil, fmt.Errorf("operation %v is %w", e.Op, ErrUnsupported)
		}
		o := opState{entry: e, op: e.Op, c: cfg.Consistency, weight: cfg.Mix.Weight(i)}
		if e.HasConsistency {
			o.c = e.Consistency
		}
		var readBytes int
		o.group.Cost, readBytes = s.price(o.op, o.c, tc)
		o.group.Op = o.op
		o.lat = make([]sim.Time, len(LatencyGrid))
		for j, g := range LatencyGrid {
			o.lat[j] = d.svc.ServiceQuantile(o.op, o.c, readBytes, g.p)
		}
		s.ops = append(s.ops, o)
	}
	s.thrLat = make([]sim.Time, len(LatencyGrid))
	for j, g := range LatencyGrid {
		s.thrLat[j] = d.svc.ThrottleQuantile(g.p)
	}
	return s, nil
}

// price is what one request of op costs on a table configured as tc, the
// mean over the workload's item sizes and over keys that hold an item
// (present of the traffic) or not; and, for a query, the bytes it reads.
func (s *Source) price(op units.Op, c units.Consistency, tc model.TableConfig) (units.Units, int) {
	old := int(tc.ItemSize)
	p := s.present
	var cost float64
	readBytes := 0
	switch op {
	case units.OpGet:
		cost = p*float64(units.ReadUnits(old, c)) + (1-p)*float64(units.ReadUnits(0, c))
		readBytes = int(p * float64(old))
	case units.OpQuery:
		items := max(1, tc.ItemsPerKey)
		if s.cfg.QueryRange > 0 {
			items = min(items, int64(s.cfg.QueryRange))
		}
		if s.cfg.QueryLimit > 0 {
			items = min(items, int64(s.cfg.QueryLimit))
		}
		bytes := int(min(items*int64(old), 1<<20))
		cost = p*float64(units.QueryUnits(bytes, c)) + (1-p)*float64(units.QueryUnits(0, c))
		readBytes = int(p * float64(bytes))
	case units.OpDelete:
		cost = p*float64(units.DeleteUnits(old, true)) + (1-p)*float64(units.DeleteUnits(0, false))
	default: // put, update
		sizes := sizeSamples(s.cfg.Sizes)
		for _, n := range sizes {
			cost += p*float64(units.PutUnits(old, n, true)) + (1-p)*float64(units.PutUnits(0, n, false))
		}
		cost /= float64(len(sizes))
	}
	return units.Units(math.Round(cost)), readBytes
}

// sizeSamples stands for a size distribution: its quantiles at 256 evenly
// spaced probabilities, or the one size of a fixed one.
func sizeSamples(sc workload.SizeChooser) []int {
	const n = 256
	switch z := sc.(type) {
	case nil:
		return []int{0}
	case workload.FixedSize:
		return []int{int(z)}
	case workload.LognormalSize:
		out := make([]int, n)
		for i := range out {
			q := math.Sqrt2 * math.Erfinv(2*(float64(i)+0.5)/n-1)
			out[i] = int(min(max(math.Round(z.At(q)), 1), units.MaxItemSize))
		}
		return out
	case workload.UniformSize:
		out := make([]int, n)
		for i := range out {
			out[i] = z.Min + int(float64(z.Max-z.Min+1)*(float64(i)+0.5)/n)
		}
		return out
	}
	r := rand.New(rand.NewPCG(1, 2)) // a fixed sample of an unknown distribution
	out := make([]int, n)
	for i := range out {
		out[i] = sc.Next(r)
	}
	return out
}

// Arrived counts the requests the source has issued.
func (s *Source) Arrived() int64 { return s.arrived }

// Err is nil: a fluid source reads no file.
func (s *Source) Err() error { return nil }

// begin draws the tick's new arrivals and collects the retries due in it.
func (s *Source) begin(now, to sim.Time) {
	svc := s.d.svc
	rotated := false
	if rot, ok := s.cfg.Keys.(*workload.Rotating); ok {
		if e := int64(now / rot.Period()); e != s.epoch {
			s.epoch, rotated = e, true
		}
	}
	if s.pl == nil || svc.Stale(s.pl) || rotated {
		s.place(now)
	}
	n := s.pl.Partitions()
	mean := s.arr.advance(to)
	var total int64
	if s.cfg.Poisson {
		for oi := range s.ops {
			o := &s.ops[oi]
			o.fresh = resize(o.fresh, n)
			for i, sh := range s.pl.Share {
				if sh > 0 {
					o.fresh[i] = poisson(s.rng, mean*o.weight*sh)
					total += o.fresh[i]
				}
			}
		}
	} else {
		count := s.arr.count()
		for oi := range s.ops {
			s.ops[oi].fresh = resize(s.ops[oi].fresh, n)
		}
		total = s.split(count)
	}
	if m := s.cfg.MaxRequests; m > 0 && s.arrived+total > m {
		s.trim(s.arrived + total - m)
		total = m - s.arrived
	}
	s.arrived += total
	// Retries due now.
	s.cur = s.cur[:0]
	if len(s.ring) > 0 {
		slot := &s.ring[s.tickNo%int64(len(s.ring))]
		s.cur = append(s.cur, slot.c...)
		for _, c := range slot.c {
			s.pendingRetries -= c.n
		}
		slot.c = slot.c[:0]
		clear(slot.index)
	}
	s.tickNo++
	s.offer()
}

// split divides count evenly spaced arrivals over operations and
// partitions as the per-request driver's draws of operation and key do: a
// multinomial draw, by a chain of binomials. It returns the total.
func (s *Source) split(count int64) int64 {
	left := count
	rest := 1.0 // probability of the cells not yet drawn
	for oi := range s.ops {
		o := &s.ops[oi]
		for i, sh := range s.pl.Share {
			p := o.weight * sh
			if left == 0 || p <= 0 {
				continue
			}
			k := left
			if p < rest {
				k = binomial(s.rng, left, p/rest)
			}
			o.fresh[i] = k
			left -= k
			rest -= p
		}
	}
	return count - left
}

// trim removes extra arrivals past MaxRequests, from the last cells.
func (s *Source) trim(extra int64) {
	for oi := len(s.ops) - 1; oi >= 0 && extra > 0; oi-- {
		f := s.ops[oi].fresh
		for i := len(f) - 1; i >= 0 && extra > 0; i-- {
			k := min(f[i], extra)
			f[i] -= k
			extra -= k
		}
	}
}

// offer sets each operation's offered counts for the tick: its new
// arrivals and the retries of s.cur.
func (s *Source) offer() {
	n := s.pl.Partitions()
	for oi := range s.ops {
		o := &s.ops[oi]
		o.group.Offered = resize(o.group.Offered, n)
		copy(o.group.Offered, o.fresh)
	}
	for _, c := range s.cur {
		s.ops[c.op].group.Offered[c.part] += c.n
	}
}

// place places the key popularity on the table's partitions as they are
// now, flushing the old placement's heat and moving waiting retries to
// the partitions that now hold their keys.
func (s *Source) place(now sim.Time) {
	svc := s.d.svc
	old := s.pl
	if old != nil {
		svc.FlushHeat(old)
	}
	pop := s.keys.popularity(s.cfg, now)
	s.pl = svc.Place(s.cfg.Table, &pop)
	for oi := range s.ops {
		s.ops[oi].group.Place = s.pl
	}
	if old == nil || old.Partitions() == s.pl.Partitions() {
		return
	}
	t := svc.Tables()[s.cfg.Table]
	move := func(c *cohort) { c.part = t.PartitionOf(old.Start(c.part)) }
	for i := range s.ring {
		slot := &s.ring[i]
		for j := range slot.c {
			move(&slot.c[j])
		}
		clear(slot.index)
		for j, c := range slot.c {
			slot.index[keyOf(c, s.d.tick)] = int32(j) // a later duplicate wins: merging is only thrift
		}
	}
}

// settle takes the tick's admissions: it notes what succeeded and what
// was throttled for good, and schedules retries.
func (s *Source) settle(now sim.Time) {
	s.throttled = s.throttled[:0]
	s.sortCohorts()
	var succeeded int64
	ci := 0
	for oi := range s.ops {
		o := &s.ops[oi]
		g := &o.group
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
			// gets its share, rounded down, the rest going to the new.
			left := admitted
			start := ci
			for ci < len(s.cur) && s.cur[ci].op == oi && s.cur[ci].part == i {
				c := &s.cur[ci]
				a := c.n * admitted / offer
				left -= a
				if a > 0 {
					s.finished(oi, c.attempt, c.age, c.ageVar, a)
				}
				c.n -= a // what is left of c was throttled
				ci++
			}
			fresh := o.fresh[i]
			a := min(left, fresh)
			left -= a
			for k := start; k < ci && left > 0; k++ { // the rounding's rest
				c := &s.cur[k]
				b := min(left, c.n)
				if b > 0 {
					s.finished(oi, c.attempt, c.age, c.ageVar, b)
					c.n -= b
					left -= b
				}
			}
			if a > 0 {
				s.finished(oi, 1, 0, 0, a)
			}
			succeeded += admitted
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
	s.retry(now, succeeded)
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

// resize returns s with length n, zeroed.
func resize[T any](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, n)
	}
	s = s[:n]
	clear(s)
	return s
}
