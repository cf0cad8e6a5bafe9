package workload

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"

	"github.com/ddbsim/ddbsim/model"
	"github.com/ddbsim/ddbsim/model/store"
	"github.com/ddbsim/ddbsim/model/units"
	"github.com/ddbsim/ddbsim/sim"
)

// The aggregate (fluid) driver: open-loop workloads stepped in ticks of
// virtual time, counted rather than simulated one request at a time.
//
// Each tick, for each workload, it takes the expected arrivals of the
// tick from the rate profile (exact for evenly spaced arrivals; Poisson
// otherwise, drawn for each operation and partition, which is a Poisson
// total split multinomially), splits them by the mix and over the
// table's partitions by key popularity (Placement: each partition's share
// of the key distribution, listed keys hashed exactly and the rest spread
// over the hash space), and hands the counts to the service
// (model.Service.AdmitCounts), which admits them through the same token
// buckets as single requests, charges what they consume, and reports the
// rest as throttles. Throttled requests are retried as the client's retry
// policy says: spread over the following ticks by the distribution of
// their backoff (a retry whose backoff ends in the tick it was throttled
// in is sent in the next: offered again in the same tick, it would find
// the tick's capacity taken by those that came before, where one at a
// time it would have taken its turn), within MaxAttempts and the retry
// quota, which is kept as a fluid balance.
//
// Latency is recorded with weighted histogram counts: the admitted
// requests of an operation in a tick are recorded at quantiles of the
// operation's service time (LatencyGrid), each with its share of the
// count, plus, for retried requests, the time they spent throttled and
// backing off. Every outcome of a tick ends at the tick's last
// nanosecond.
//
// What it approximates, and what it does not model, is in FluidSource.

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

// FluidDriver steps the fluid sources of a simulation together, one tick
// at a time, so that the workloads on one table share its buckets within
// each tick as interleaved requests would.
type FluidDriver struct {
	k       *sim.Kernel
	svc     *model.Service
	rec     model.Recorder
	tick    sim.Time
	sources []*FluidSource
	tables  []fluidTable
	end     sim.Time // the last profile's end
}

type fluidTable struct {
	table  int
	groups []*model.CountGroup // reused
}

// NewFluidDriver returns a driver stepping tick at a time (DefaultTick when
// 0) on k, against svc, recording to rec. A tick should divide a minute:
// the model's 1-minute datapoints (auto scaling, on-demand growth, split
// for heat) then each get the consumption of whole ticks, where a tick
// astride a minute's end would put its consumption in the minute it
// starts in.
func NewFluidDriver(k *sim.Kernel, svc *model.Service, rec model.Recorder, tick sim.Time) *FluidDriver {
	if tick <= 0 {
		tick = DefaultTick
	}
	return &FluidDriver{k: k, svc: svc, rec: rec, tick: tick}
}

// Tick is the driver's step.
func (d *FluidDriver) Tick() sim.Time { return d.tick }

// ErrUnsupported wraps what the aggregate driver does not model.
var ErrUnsupported = errors.New("not supported by --fidelity aggregate")

// Add adds a workload. It returns an error wrapping ErrUnsupported for a
// workload the aggregate driver does not model: closed loops, traces,
// batches, transactions, scans, inserts, read-modify-writes, secondary
// index queries, DAX, failover, keys that follow inserts (latest), and
// tables with indexes, streams, TTL or replicas.
func (d *FluidDriver) Add(cfg Config) (*FluidSource, error) {
	s, err := newFluidSource(d, cfg)
	if err != nil {
		return nil, fmt.Errorf("workload %s: %w", cfg.Name, err)
	}
	d.sources = append(d.sources, s)
	if !slices.ContainsFunc(d.tables, func(t fluidTable) bool { return t.table == cfg.Table }) {
		d.tables = append(d.tables, fluidTable{table: cfg.Table})
	}
	d.end = max(d.end, cfg.Arrivals.End())
	return s, nil
}

// Sources returns the driver's sources in the order they were added.
func (d *FluidDriver) Sources() []*FluidSource { return d.sources }

// Start schedules the first tick at 0.
func (d *FluidDriver) Start() {
	if len(d.sources) > 0 {
		d.k.At(0, d)
	}
}

// Fire runs the tick [now, now+tick).
func (d *FluidDriver) Fire(now sim.Time) {
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

// FluidSource is one open-loop workload under the aggregate driver.
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
type FluidSource struct {
	d       *FluidDriver
	cfg     Config
	rng     *rand.Rand
	arr     fluidArrivals
	ops     []fluidOp
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

type fluidOp struct {
	entry   MixEntry
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

func newFluidSource(d *FluidDriver, cfg Config) (*FluidSource, error) {
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
	s := &FluidSource{
		d:      d,
		cfg:    cfg,
		rng:    d.k.Stream("workload/" + cfg.Name + "/fluid"),
		arr:    fluidArrivals{p: cfg.Arrivals},
		budget: RetryBudgetTokens,
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
		o := fluidOp{entry: e, op: e.Op, c: cfg.Consistency, weight: cfg.Mix.cum[i]}
		if i > 0 {
			o.weight -= cfg.Mix.cum[i-1]
		}
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
func (s *FluidSource) price(op units.Op, c units.Consistency, tc model.TableConfig) (units.Units, int) {
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
func sizeSamples(sc SizeChooser) []int {
	const n = 256
	switch z := sc.(type) {
	case nil:
		return []int{0}
	case FixedSize:
		return []int{int(z)}
	case LognormalSize:
		out := make([]int, n)
		for i := range out {
			q := math.Sqrt2 * math.Erfinv(2*(float64(i)+0.5)/n-1)
			out[i] = int(min(max(math.Round(math.Exp(z.mu+z.sigma*q)), 1), units.MaxItemSize))
		}
		return out
	case UniformSize:
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
func (s *FluidSource) Arrived() int64 { return s.arrived }

// Err is nil: a fluid source reads no file.
func (s *FluidSource) Err() error { return nil }

// begin draws the tick's new arrivals and collects the retries due in it.
func (s *FluidSource) begin(now, to sim.Time) {
	svc := s.d.svc
	rotated := false
	if rot, ok := s.cfg.Keys.(*Rotating); ok {
		if e := int64(now / rot.period); e != s.epoch {
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
func (s *FluidSource) split(count int64) int64 {
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
func (s *FluidSource) trim(extra int64) {
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
func (s *FluidSource) offer() {
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
func (s *FluidSource) place(now sim.Time) {
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
func (s *FluidSource) settle(now sim.Time) {
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
func (s *FluidSource) sortCohorts() {
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
func (s *FluidSource) finished(oi, attempt int, age sim.Time, ageVar float64, n int64) {
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

// retry decides what the tick's throttled requests do: retry, within
// MaxAttempts and the retry quota, or give up.
func (s *FluidSource) retry(now sim.Time, succeeded int64) {
	p := &s.cfg.Retry
	var want int64
	for _, t := range s.throttled {
		if t.attempt < p.MaxAttempts {
			want += t.n
		}
	}
	// The quota as a fluid: it pays RetryCost a retry from its balance
	// and what this tick's successes return; if that cannot pay for all
	// of them, it pays for what it can, in proportion.
	frac := 1.0
	if p.Budget {
		funds := s.budget + float64(succeeded*RetrySuccessBonus)
		if need := float64(want * RetryCost); need > funds {
			frac = max(funds, 0) / need
		}
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
			s.addFinish(finishRec{op: t.op, result: model.Throttled, reason: t.reason,
				attempt: t.attempt, age: t.age, ageVar: t.ageVar, n: give})
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
		ds := s.delaysFor(t.attempt)
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
				ageVar: t.ageVar + dl.vr}
			s.schedule(max(k, 1), c)
		}
	}
	if p.Budget {
		s.budget = min(RetryBudgetTokens, s.budget+float64(succeeded*RetrySuccessBonus)-float64(allowed*RetryCost))
		s.budget = max(s.budget, 0)
	}
}

// schedule puts c in the tick k ticks after the current one.
func (s *FluidSource) schedule(k int, c cohort) {
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
	age := uint64(c.age/max(tick, 1)) & 0xffffff
	return cohortKey(uint64(c.op)<<56 | uint64(c.attempt&0xfff)<<44 | uint64(c.part&0xfffff)<<24 | age)
}

// delaysFor returns, for retries after attempt n, the share that lands
// 0, 1, 2, ... ticks after the tick they were throttled in, and their mean
// delay: a request throttled at a point spread evenly over its tick
// waits the policy's backoff, uniform over [0, min(Base·2^n,
// MaxBackoff)).
func (s *FluidSource) delaysFor(n int) []retryDelay {
	for len(s.delays) <= n {
		s.delays = append(s.delays, nil)
	}
	if s.delays[n] != nil {
		return s.delays[n]
	}
	p := &s.cfg.Retry
	ceiling := p.Base
	for i := 0; i < n && ceiling > 0 && ceiling < p.MaxBackoff; i++ {
		if ceiling > p.MaxBackoff/2 {
			ceiling = p.MaxBackoff
			break
		}
		ceiling *= 2
	}
	ceiling = max(min(ceiling, p.MaxBackoff), 0)
	tick := float64(s.d.tick)
	const grid = 64
	var out []retryDelay
	var sums, squares []float64
	for a := range grid {
		x := (float64(a) + 0.5) / grid * tick
		for b := range grid {
			d := (float64(b) + 0.5) / grid * float64(ceiling)
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
	s.delays[n] = out
	return out
}

// addFinish adds f to the tick's outcomes, merged with those alike but
// for a twentieth of a tick of age (at least a millisecond: a retried
// request has waited a backoff of tens of milliseconds at least), in the
// order they first came.
func (s *FluidSource) addFinish(f finishRec) {
	q := max(s.d.tick/20, sim.Millisecond)
	key := uint64(f.op)<<56 | uint64(f.result)<<52 | uint64(f.err)<<46 | uint64(f.attempt&0x3fff)<<32 | uint64(f.age/q)&0xffffffff
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
func (s *FluidSource) record(to sim.Time) {
	for oi := range s.ops {
		if o := &s.ops[oi]; o.firstOK > 0 {
			s.addFinish(finishRec{op: oi, result: model.Succeeded, attempt: 1, n: o.firstOK})
			o.firstOK = 0
		}
	}
	if len(s.finishes) == 0 {
		return
	}
	end := to - 1
	clear(s.finishIdx)
	for _, f := range s.finishes {
		lat := s.ops[f.op].lat
		if f.result == model.Throttled {
			lat = s.thrLat
		}
		o := model.Outcome{Table: s.cfg.Table, Op: s.ops[f.op].op, Result: f.result, End: end,
			Attempts: f.attempt, Reason: f.reason, Error: f.err}
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

// resize returns s with length n, zeroed.
func resize[T any](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, n)
	}
	s = s[:n]
	clear(s)
	return s
}

// poisson draws a Poisson count of the given mean: by inversion below 30,
// by the normal approximation above (its error is far below what a tick
// of traffic can show).
func poisson(r *rand.Rand, mean float64) int64 {
	switch {
	case mean <= 0:
		return 0
	case mean < 30:
		l := math.Exp(-mean)
		k := int64(0)
		p := l
		cum := l
		u := r.Float64()
		for u > cum && k < 1000 {
			k++
			p *= mean / float64(k)
			cum += p
		}
		return k
	}
	return max(int64(math.Round(mean+math.Sqrt(mean)*r.NormFloat64())), 0)
}

// binomial draws a Binomial(n, p) count: by inversion when few are
// expected either way, by the normal approximation otherwise.
func binomial(r *rand.Rand, n int64, p float64) int64 {
	switch {
	case p <= 0 || n <= 0:
		return 0
	case p >= 1:
		return n
	case p > 0.5:
		return n - binomial(r, n, 1-p)
	}
	mean := float64(n) * p
	if mean >= 30 {
		k := math.Round(mean + math.Sqrt(mean*(1-p))*r.NormFloat64())
		return int64(min(max(k, 0), float64(n)))
	}
	// Inversion: walk the probabilities up from 0.
	q := 1 - p
	pk := math.Pow(q, float64(n))
	cum := pk
	u := r.Float64()
	k := int64(0)
	for u > cum && k < n {
		pk *= float64(n-k) / float64(k+1) * p / q
		k++
		cum += pk
		if pk < 1e-300 && cum < u { // rounding left the tail short
			break
		}
	}
	return k
}

// fluidArrivals integrates a Profile tick by tick, moving forward through
// its knots.
type fluidArrivals struct {
	p        Profile
	seg      int // the knot that starts the segment holding at
	at       sim.Time
	cum      float64 // expected arrivals in [0, at)
	prevCum  float64 // cum before the last advance
	returned int64   // evenly spaced arrivals counted so far
}

// advance moves to to and returns the expected arrivals in [at, to),
// within the profile's end.
func (a *fluidArrivals) advance(to sim.Time) float64 {
	a.prevCum = a.cum
	k := a.p.knots
	end := min(to, a.p.end)
	total := 0.0
	for a.at < end {
		for a.seg+1 < len(k) && k[a.seg+1].At <= a.at {
			a.seg++
		}
		segEnd := end
		if a.seg+1 < len(k) {
			segEnd = min(end, k[a.seg+1].At)
		}
		r0, r1 := k[len(k)-1].Rate, k[len(k)-1].Rate
		if a.seg+1 < len(k) {
			r0 = interpolate(k[a.seg], k[a.seg+1], a.at)
			r1 = interpolate(k[a.seg], k[a.seg+1], segEnd)
		}
		total += (r0 + r1) / 2 * (segEnd - a.at).Seconds()
		a.at = segEnd
	}
	a.at = max(a.at, to)
	a.cum += total
	return total
}

// count is the number of evenly spaced arrivals in the interval the last
// advance covered: an arrival falls where the expected count reaches 1,
// 2, 3, ... (as Arrivals places them); one that falls on the end of the
// interval, to rounding, is counted in it.
func (a *fluidArrivals) count() int64 {
	n := int64(math.Floor(a.cum + 1e-6))
	n = max(n, 0)
	c := n - a.returned
	a.returned = n
	return max(c, 0)
}

// keyModel is a key chooser's distribution, as the aggregate driver needs
// it: the weights of its most popular keys, listed, and the rest.
type keyModel struct {
	kind   int // keyUniform, keyZipf, keyHotspot
	count  int64
	s      float64 // Zipf exponent
	zipf   *Zipf
	hot    int64
	hotOps float64
	rot    *Rotating
}

const (
	keyUniform = iota
	keyZipf
	keyHotspot
)

func keyModelOf(kc KeyChooser) (keyModel, error) {
	switch c := kc.(type) {
	case Uniform:
		return keyModel{kind: keyUniform, count: c.Count}, nil
	case *Uniform:
		return keyModel{kind: keyUniform, count: c.Count}, nil
	case *Zipf:
		return keyModel{kind: keyZipf, count: int64(c.n), s: c.s, zipf: c}, nil
	case Hotspot:
		return keyModel{kind: keyHotspot, count: c.Count, hot: c.Hot, hotOps: c.HotOps}, nil
	case *Hotspot:
		return keyModel{kind: keyHotspot, count: c.Count, hot: c.Hot, hotOps: c.HotOps}, nil
	case *Sequential:
		// Over a tick a walk visits keys in order; over the run each as
		// often as the others.
		return keyModel{kind: keyUniform, count: c.count}, nil
	case *Rotating:
		m, err := keyModelOf(c.ranks)
		if err != nil {
			return m, err
		}
		m.rot = c
		return m, nil
	case nil:
		return keyModel{}, fmt.Errorf("a workload without keys is %w", ErrUnsupported)
	}
	return keyModel{}, fmt.Errorf("keys chosen by %T are %w", kc, ErrUnsupported)
}

// weight is the unnormalised weight of the key of rank r.
func (m *keyModel) weight(r int64) float64 {
	switch m.kind {
	case keyZipf:
		return math.Exp(-m.s * math.Log(float64(r+1)))
	case keyHotspot:
		cold := m.count - m.hot
		if cold <= 0 || m.hotOps >= 1 {
			if r < m.hot {
				return 1 / float64(m.hot)
			}
			return 0
		}
		if r < m.hot {
			return m.hotOps / float64(m.hot)
		}
		return (1 - m.hotOps) / float64(cold)
	}
	return 1 / float64(m.count)
}

// between is the total weight of ranks [a, b).
func (m *keyModel) between(a, b int64) float64 {
	a, b = max(a, 0), min(b, m.count)
	if a >= b {
		return 0
	}
	switch m.kind {
	case keyZipf:
		// The first ranks one by one, the rest as the integral of x^-s
		// over [r+0.5, b+0.5] (rank r holds (r+1)^-s).
		w := 0.0
		r := a
		for ; r < b && r < a+4096; r++ {
			w += m.weight(r)
		}
		if r < b {
			w += m.zipf.hIntegral(float64(b)+0.5) - m.zipf.hIntegral(float64(r)+0.5)
		}
		return w
	case keyHotspot:
		hot := min(b, m.hot) - min(a, m.hot)
		cold := (b - a) - hot
		return float64(hot)*m.weight(0) + float64(cold)*m.weight(m.hot)
	}
	return float64(b-a) / float64(m.count)
}

// below is the share of the traffic to keys with index under n.
func (m *keyModel) below(n int64) float64 {
	total := m.between(0, m.count)
	if total <= 0 || n <= 0 {
		return 0
	}
	if n >= m.count {
		return 1
	}
	// Rotation moves ranks over keys; over its epochs every key takes
	// every rank, so the share is that of any n keys: taken as the first.
	return m.between(0, n) / total
}

// popularity lists the most popular keys (as the workload names them,
// sharded and rotated) with their weights, and the rest as spread.
func (m *keyModel) popularity(cfg Config, now sim.Time) model.Popularity {
	shards := int64(max(cfg.Shards, 1))
	listed := min(m.count, maxListedKeys/shards)
	if m.kind == keyUniform && m.count*shards > maxListedKeys {
		listed = 0 // all alike: spread
	}
	if m.kind == keyHotspot && listed < m.count && m.hot*shards > maxListedKeys {
		listed = 0
	}
	pop := model.Popularity{Keys: make([]model.KeyWeight, 0, listed*shards)}
	var off int64
	if m.rot != nil {
		off = m.rot.Offset(now)
	}
	var buf []byte
	for r := range listed {
		k := r + off
		if k >= m.count {
			k -= m.count
		}
		w := m.weight(r) / float64(shards)
		buf = store.AppendSyntheticKey(buf[:0], k)
		if shards == 1 {
			pop.Keys = append(pop.Keys, model.KeyWeight{Hash: store.HashKey(buf), Weight: w})
			continue
		}
		base := len(buf)
		for sh := range shards {
			buf = strconv.AppendInt(append(buf[:base], '#'), sh, 10)
			pop.Keys = append(pop.Keys, model.KeyWeight{Hash: store.HashKey(buf), Weight: w})
		}
	}
	pop.Spread = m.between(listed, m.count)
	return pop
}
