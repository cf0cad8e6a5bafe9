package fluid

import (
	"errors"
	"fmt"
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

	// calmStep is the tick of calm stretches, 0 for none; calm whether
	// the run may take them, next the length of the next tick (calm.go).
	calmStep, next sim.Time
	calm           bool
	calmSteps      int64 // calm steps taken

	globals      []*globalSet // global tables' workloads (global.go)
	globalsReady bool
	dax          []*daxCache // the item caches of tables with DAX (dax.go)
	// A cluster's accesses of a tick, by table and kind (dax.go).
	daxPrices              []units.Units
	daxCounts, daxAdmitted []int64
}

type tableGroups struct {
	table  int
	groups []*model.CountGroup // reused
	holds  holds               // the items transactions hold (conflicts.go)
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
// workload the aggregate driver does not model: traces, batches and
// transactions in a closed loop or on a table with global secondary
// indexes, scans without a length (whole pages), local secondary index
// queries and index scans, closed loops in a scenario with region
// outages, tables with local indexes or multi-region strong consistency,
// of TTL what newExpiries says, and of DAX what checkDAX says. A table's
// stream takes the records of the writes it admits (changes.go), and of
// its TTL deletions (ttl.go).
func (d *Driver) Add(cfg workload.Config) (*Source, error) {
	s, err := newSource(d, cfg)
	if err != nil {
		return nil, fmt.Errorf("workload %s: %w", cfg.Name, err)
	}
	d.sources = append(d.sources, s)
	for _, table := range append([]int{cfg.Table}, cfg.Failover...) {
		if !slices.ContainsFunc(d.tables, func(t tableGroups) bool { return t.table == table }) {
			d.tables = append(d.tables, tableGroups{table: table})
		}
	}
	d.end = max(d.end, cfg.Arrivals.End())
	if s.closed != nil {
		d.end = max(d.end, cfg.End)
	}
	return s, nil
}

// Sources returns the driver's sources in the order they were added.
func (d *Driver) Sources() []*Source { return d.sources }

// Start schedules the first tick at 0.
func (d *Driver) Start() {
	if len(d.sources) > 0 {
		d.startDAX()
		d.calm, d.next = d.calmEligible(), d.tick
		d.k.At(0, d)
	}
}

// Fire runs the tick [now, now+tick), or a calm step (calm.go).
func (d *Driver) Fire(now sim.Time) {
	to := now + d.next
	if d.next > d.tick {
		d.calmSteps++
	}
	for _, s := range d.sources {
		s.begin(now, to)
	}
	d.offerDAX(now, to)
	for ti := range d.tables {
		ft := &d.tables[ti]
		d.solveClosed(now, to, ft)
		d.conflicts(ft)
		ft.groups = ft.groups[:0]
		for _, s := range d.sources {
			if s.table != ft.table {
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
	d.countGlobals(now, to)
	d.settleDAX(now)
	for _, s := range d.sources {
		s.settle(now)
		s.record(to)
	}
	// Split for heat reads the partitions' traffic at each 1-minute
	// datapoint: flush it before the datapoint that ends in this tick.
	if to/sim.Minute > now/sim.Minute {
		for _, s := range d.sources {
			s.flushHeat()
		}
	}
	pending := false
	for _, s := range d.sources {
		pending = pending || s.pendingRetries > 0
	}
	if to < d.end || pending {
		d.next = d.tick
		if d.calm {
			d.next = d.step(to, d.svc.TakeCountLoad())
		}
		d.k.At(to, d)
	}
}

// solveClosed sets the tick's operations of the closed loops on table
// ft, each in turn given what the others offer: once when there is one,
// a few rounds when several share the table.
func (d *Driver) solveClosed(now, to sim.Time, ft *tableGroups) {
	closed := 0
	ft.groups = ft.groups[:0]
	for _, s := range d.sources {
		if s.table != ft.table {
			continue
		}
		if s.closed != nil {
			closed++
		}
		for oi := range s.ops {
			ft.groups = append(ft.groups, &s.ops[oi].group)
		}
	}
	rounds := 1
	if closed > 1 {
		rounds = 3
	}
	for r := range rounds {
		for _, s := range d.sources {
			if s.table == ft.table && s.closed != nil {
				s.solveClosed(now, to, ft.groups, r == rounds-1)
			}
		}
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

// Source is one workload under the aggregate driver: an open loop, or a
// closed loop (closed.go).
//
// It approximates, where the per-request driver is exact: each request's
// price is the mean over the workload's item sizes (ReadUnits, PutUnits,
// DeleteUnits, QueryUnits), a read finds an item when its key is among
// the table's preloaded items (keys written during the run are not
// tracked, nor are their bytes stored; an inserted key's read is priced
// as found), a put over an existing item is
// priced at the larger of the preloaded size and the new one, a query
// reads min(limit, items per key) preloaded items; sequential keys are
// uniform; the most popular 2^18 keys (shards included) are placed one by
// one and the rest spread evenly over the hash space; retries re-arrive
// at tick grain, their waits kept as a mean and a variance; a client
// timeout is not modelled (service times are far below it); a failed
// condition is a share of the admitted writes, priced as the write; a
// scan reads a uniform 1..ScanMax (or QueryLimit) items of the preloaded
// size, and scans and inserts land evenly over the hash space (a scan's
// cursor sweeps the table many times a tick; a new key's hash is
// anywhere); keys of YCSB's latest distribution are placed anew each tick
// the keyspace has grown; a read-modify-write's update is offered in the
// tick of its read, on the read's partition; where its sizes are not the
// table's, the items it has rewritten are followed by classes of keys in
// expectation (rewrites.go); a stream's records are counts of the admitted
// writes (changes.go).
type Source struct {
	d       *Driver
	cfg     workload.Config
	rng     *rand.Rand
	share   *rand.Rand // rounds the shares of new requests and retries in what is admitted
	arr     arrivalCounter
	ops     []opState
	keys    keyModel
	pl      *model.Placement
	epoch   int64   // rotation epoch the placement is for
	present float64 // share of the traffic to keys the table holds
	budget  float64 // the retry quota, as a fluid balance

	placeTable int // the table placements are on: the index a source queries, else its table

	closed     *closedLoop      // nil for an open loop
	operations int64            // operations issued (a read-modify-write once)
	spread     *model.Placement // the hash space evenly: inserts and scans
	keysSize   int64            // the keyspace's size the placement is for (latest)
	pScratch   []float64
	keyed      keyed         // the listed keys, for the items transactions hold (conflicts.go)
	conflicted []throttleRec // this tick's transaction conflicts, retried as throttles are

	// table is the replica the tick's requests go to (global.go), and
	// downShare the share of the tick its region is down.
	table      int
	downShare  float64
	scratchThr []throttleRec

	// Retries waiting for a later tick: ring[t % len] holds those due in
	// tick t (counted from 0).
	ring           []retrySlot
	cur            []cohort // this tick's retries
	pendingRetries int64
	tickNo         int64
	delays         [2][][]retryDelay // by transient (1) or throttle (0), then attempt: where retries land
	quotaCredit    int64             // what the tick's successful attempts give the retry quota
	finishes       []finishRec
	finishIdx      map[uint64]int32 // finishes by what they are alike in
	byCell         []int            // cohorts of s.cur by operation and partition
	scratch        []cohort
	throttled      []throttleRec
	arrived        int64
	thrLat         []sim.Time   // throttle latency at LatencyGrid
	changes        *changeModel // the stream records of its writes; nil without a stream
	rewrites       *rewrites    // the items its writes rewrote, for prices; nil when they cannot change
	dax            *daxUse      // the table's DAX item cache; nil without DAX
	expiries       *expiries    // its table's TTL deletions (ttl.go); nil without TTL
}

type opState struct {
	entry   workload.MixEntry
	op      units.Op
	c       units.Consistency
	group   model.CountGroup
	weight  float64    // share of the mix; 0 for the update of a read-modify-write
	then    int        // the update that follows a read-modify-write's read; -1 for none
	follows bool       // the update of a read-modify-write
	ahead   []int64    // by partition: updates sent for reads not yet admitted (follows)
	even    bool       // its requests spread evenly over the hash space (inserts, scans)
	fresh   []int64    // this tick's new arrivals by partition
	lat     []sim.Time // service time at LatencyGrid
	failAcc float64    // failed conditions owed to rounding
	down    []int64    // by partition: this tick's requests that met their region down
	applied []int64    // by partition: this tick's admitted writes that wrote (global.go)
	firstOK int64      // this tick's successes at the first attempt
	dax     daxOp      // through a DAX cluster (dax.go)
	multi   *multiPart // a batch or a transaction (multi.go); nil for one item
}

// cohort is retries of one operation on one partition at the same attempt,
// started about age before they are sent again: age is the mean, ageVar
// the variance (ns²) of the backoffs behind it.
type cohort struct {
	op, part, attempt int
	n                 int64
	age               sim.Time
	ageVar            float64
	parts             []float64 // a batch's unprocessed parts by partition (multi.go); nil for one item
	conflicted        bool      // retried after a transaction conflict (conflicts.go)
}

// cohortKey packs what cohorts must share to merge: operation,
// attempt, partition, age in whole ticks, and whether they follow a
// transaction conflict.
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
	hit     bool // served by a DAX item cache
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
	parts             []float64       // a batch's unprocessed parts by partition (multi.go)
	err               model.ErrorKind // a retryable error rather than a throttle: region_unavailable (the region was down), transaction_conflict
}

func newSource(d *Driver, cfg workload.Config) (*Source, error) {
	if err := d.svc.CheckAggregate(cfg.Table); err != nil {
		return nil, fmt.Errorf("%v, %w", err, ErrUnsupported)
	}
	switch {
	case cfg.Trace != nil:
		return nil, fmt.Errorf("trace replay is %w", ErrUnsupported)
	case cfg.Retry.Adaptive:
		return nil, fmt.Errorf("the client-side rate limiter of retry go-v2-adaptive is %w", ErrUnsupported)
	case cfg.Users > 0 && len(d.svc.Faults()) > 0:
		return nil, fmt.Errorf("closed loops in a scenario with region outages are %w", ErrUnsupported)
	}
	s := &Source{
		d:      d,
		cfg:    cfg,
		rng:    d.k.Stream("workload/" + cfg.Name + "/fluid"),
		share:  d.k.Stream("workload/" + cfg.Name + "/fluid/share"),
		arr:    arrivalCounter{p: cfg.Arrivals},
		table:  cfg.Table,
		budget: workload.RetryBudgetTokens,

		placeTable: cfg.Table,
	}
	if cfg.Index > 0 {
		if err := s.indexQuerySetup(); err != nil { // index.go
			return nil, err
		}
	}
	km, err := keyModelOf(cfg.Keys)
	if err != nil {
		return nil, err
	}
	s.keys = km
	if err := checkDAX(d.svc, cfg, km); err != nil {
		return nil, err
	}
	tc := d.svc.Tables()[cfg.Table].Config()
	preloaded := tc.ItemCount / max(1, tc.ItemsPerKey)
	s.present = km.below(preloaded)
	if km.latest != nil {
		// The keys of the keyspace exist as far as the table was loaded
		// with them; those inserted during the run exist too.
		s.present = min(1, float64(preloaded)/float64(max(km.latest.Size(), 1)))
	}
	var readBytes []int
	var lanes []float64 // the first global index's lanes, for writes
	if cfg.Index == 0 {
		lanes = d.svc.IndexLanes(cfg.Table)
	}
	add := func(o opState) {
		if o.entry.HasConsistency {
			o.c = o.entry.Consistency
		}
		if o.multi != nil && o.multi.whole {
			o.c = units.Transactional
			o.group.Parts = o.multi.parts
		}
		var rb int
		o.group.Cost, rb = s.price(o, tc)
		if cfg.Index > 0 {
			o.c = units.Eventual // index reads are (REFERENCE: gsi)
			o.group.Cost, rb = s.indexQueryPrice()
			o.group.Index.Query = cfg.Index
		}
		o.group.Op, o.group.Consistency = o.op, o.c
		o.lat = make([]sim.Time, len(LatencyGrid))
		for j, g := range LatencyGrid {
			o.lat[j] = d.svc.ServiceQuantile(o.op, o.c, rb, g.p)
		}
		s.ops = append(s.ops, o)
		readBytes = append(readBytes, rb)
	}
	for i, e := range cfg.Mix.Entries() {
		switch e.Op {
		case units.OpGet, units.OpPut, units.OpUpdate, units.OpDelete, units.OpQuery, units.OpScan,
			units.OpBatchGet, units.OpBatchWrite, units.OpTransactGet, units.OpTransactWrite:
			if isMulti(e.Op) && cfg.Users > 0 {
				return nil, fmt.Errorf("%v in a closed loop is %w", e.Op, ErrUnsupported)
			}
			// A transaction's or batch's parts are admitted whole or
			// retried together; index back-pressure decides writes one
			// by one (counts_index.go): the two are not composed.
			if isMulti(e.Op) && hasGlobalIndex(d.svc.Tables()[cfg.Table].Config()) {
				return nil, fmt.Errorf("%v on a table with global secondary indexes is %w", e.Op, ErrUnsupported)
			}
		default:
			return nil, fmt.Errorf("operation %v is %w", e.Op, ErrUnsupported)
		}
		if e.Op == units.OpScan && cfg.ScanMax == 0 && cfg.QueryLimit == 0 {
			return nil, fmt.Errorf("scans of whole pages (no scan_max or query_limit) are %w", ErrUnsupported)
		}
		o := opState{entry: e, op: e.Op, c: cfg.Consistency, weight: cfg.Mix.Weight(i), then: -1,
			even: e.Insert || e.Op == units.OpScan, multi: newMulti(e.Op, cfg)}
		if e.ReadModifyWrite {
			o.then = len(s.ops) + 1
		}
		if lanes != nil && o.op.IsWrite() {
			// Index writes (index.go): each lane of the first global
			// index its own operation, with its share of the mix.
			if !laned(e) {
				s.indexWrites(&o, int(tc.ItemSize), 0)
			} else {
				for l, sh := range lanes {
					lo := o
					lo.weight *= sh
					s.indexWrites(&lo, int(tc.ItemSize), l+1)
					add(lo)
				}
				continue
			}
		}
		add(o)
		if e.ReadModifyWrite {
			// The update of the item just read: sent once the read
			// succeeds, on its partition, with no share of the mix.
			u := opState{entry: workload.MixEntry{Op: units.OpUpdate}, op: units.OpUpdate, c: cfg.Consistency, then: -1,
				follows: true}
			if lanes != nil {
				s.indexWrites(&u, int(tc.ItemSize), 0)
			}
			add(u)
		}
	}
	s.thrLat = make([]sim.Time, len(LatencyGrid))
	for j, g := range LatencyGrid {
		s.thrLat[j] = d.svc.ThrottleQuantile(g.p)
	}
	s.changes = newChangeModel(s)
	s.rewrites = newRewrites(s, tc)
	if tc.TTL != nil {
		for _, o := range d.sources {
			if o.cfg.Table == cfg.Table {
				return nil, fmt.Errorf("a table with TTL used by two workloads is %w", ErrUnsupported)
			}
		}
		if s.expiries, err = newExpiries(s); err != nil { // ttl.go
			return nil, err
		}
	}
	if cfg.Users > 0 {
		s.closed = newClosedLoop(cfg)
		cy := &s.closed.cycle
		for oi := range s.ops {
			o := &s.ops[oi]
			cy.service = append(cy.service, meanService(d.svc, o.op, o.c, readBytes[oi]))
		}
		for j, g := range LatencyGrid {
			cy.throttle += g.w * s.thrLat[j].Seconds()
		}
	}
	return s, nil
}

// placement is where operation oi's requests land.
func (s *Source) placement(oi int) *model.Placement {
	if s.ops[oi].even {
		return s.spread
	}
	return s.pl
}

// flushHeat hands the heat of the source's placements to split for heat.
func (s *Source) flushHeat() {
	if s.pl != nil {
		s.d.svc.FlushHeat(s.pl)
	}
	if s.spread != nil {
		s.d.svc.FlushHeat(s.spread)
	}
}

// Arrived counts the requests the source has issued.
func (s *Source) Arrived() int64 { return s.arrived }

// Operations counts the operations issued (a read-modify-write once),
// which MaxRequests bounds.
func (s *Source) Operations() int64 { return s.operations }

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
	if l := s.keys.latest; l != nil && l.Size() != s.keysSize {
		rotated = true // the newest keys are the hottest: they moved
	}
	if s.route(now, to) {
		rotated = true // another replica: place on its partitions
	}
	if s.pl == nil || svc.Stale(s.pl) || rotated {
		s.place(now)
	}
	n := s.pl.Partitions()
	for oi := range s.ops {
		s.ops[oi].fresh = resize(s.ops[oi].fresh, n)
	}
	if s.closed == nil {
		mean := s.arr.advance(to)
		var total int64
		switch {
		case to-now > s.d.tick:
			total = s.calmArrivals(mean) // a calm step (calm.go)
		case s.cfg.Poisson:
			for oi := range s.ops {
				o := &s.ops[oi]
				for i, sh := range s.placement(oi).Share {
					if sh > 0 {
						o.fresh[i] = poisson(s.rng, mean*o.weight*sh)
						total += o.fresh[i]
					}
				}
			}
		default:
			total = s.split(s.arr.count())
		}
		if m := s.cfg.MaxRequests; m > 0 && s.operations+total > m {
			s.trim(s.operations + total - m)
			total = m - s.operations
		}
		s.issued(total)
	}
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
	s.holdDown()
}

// issued counts n new operations: requests, and keys inserted.
func (s *Source) issued(n int64) {
	s.operations += n
	s.arrived += n
	if ks := s.cfg.Keyspace; ks != nil {
		for oi := range s.ops {
			if s.ops[oi].entry.Insert {
				var k int64
				for _, f := range s.ops[oi].fresh {
					k += f
				}
				ks.InsertN(k)
			}
		}
	}
}

// split divides count evenly spaced arrivals over operations and
// partitions as the per-request driver's draws of operation and key do: a
// multinomial draw, by a chain of binomials. It returns the total.
func (s *Source) split(count int64) int64 {
	left := count
	rest := 1.0 // probability of the cells not yet drawn
	for oi := range s.ops {
		o := &s.ops[oi]
		for i, sh := range s.placement(oi).Share {
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
//
// The update of a read-modify-write is sent when its read succeeds, a
// few milliseconds later: in the same tick. Whether the read succeeds is
// only known once the tick is admitted, so each tick offers an update for
// every new read, less those sent ahead for reads not admitted yet
// (ahead); settle balances them against the reads admitted.
func (s *Source) offer() {
	n := s.pl.Partitions()
	for oi := range s.ops {
		o := &s.ops[oi]
		if o.multi != nil {
			s.partsOf(oi)
		}
		if o.then >= 0 {
			u := &s.ops[o.then]
			if len(u.ahead) != n {
				u.ahead = resize(u.ahead, n)
			}
			for i, g := range o.fresh {
				u.fresh[i] = max(g-u.ahead[i], 0)
			}
		}
		o.group.Offered = resize(o.group.Offered, n)
		copy(o.group.Offered, o.fresh)
	}
	for i := range s.cur {
		c := &s.cur[i]
		if c.parts != nil {
			s.offerParts(s.ops[c.op].group.Offered, c)
			continue
		}
		if m := s.ops[c.op].multi; m != nil && m.whole {
			continue // offerWhole
		}
		s.ops[c.op].group.Offered[c.part] += c.n
	}
	for oi := range s.ops {
		if m := s.ops[oi].multi; m != nil && m.whole {
			s.offerWhole(oi)
		}
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
	if s.spread != nil {
		svc.FlushHeat(s.spread)
	}
	if l := s.keys.latest; l != nil {
		s.keysSize = l.Size()
		s.keys.count = s.keysSize
	}
	pop := s.keys.popularity(s.cfg, now)
	pt := s.placedOn()
	s.pl = svc.Place(pt, &pop)
	s.keyed.set(&pop, svc.Tables()[pt])
	if s.spread == nil || svc.Stale(s.spread) || s.spread.Table() != pt {
		s.spread = svc.Place(pt, &model.Popularity{Spread: 1})
	}
	for oi := range s.ops {
		s.ops[oi].group.Place = s.placement(oi)
	}
	if s.dax != nil {
		s.placedDAX(&pop)
	}
	if old == nil || old.Partitions() == s.pl.Partitions() {
		return
	}
	t := svc.Tables()[s.placedOn()]
	move := func(c *cohort) {
		c.part = t.PartitionOf(old.Start(c.part))
		c.parts = moveParts(c.parts, old, t, s.pl.Partitions())
	}
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

// resize returns s with length n, zeroed.
func resize[T any](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, n)
	}
	s = s[:n]
	clear(s)
	return s
}

// placedOn is the table s's traffic lands on: the index it queries, else
// the replica its requests are routed to (its own table, but for a global
// table's failover).
func (s *Source) placedOn() int {
	if s.placeTable != s.cfg.Table {
		return s.placeTable
	}
	return s.table
}

// hasGlobalIndex reports whether a table has a global secondary index.
func hasGlobalIndex(tc model.TableConfig) bool {
	for _, x := range tc.Indexes {
		if !x.Local {
			return true
		}
	}
	return false
}
