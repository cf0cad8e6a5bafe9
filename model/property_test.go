package model

// Invariants of the capacity model as property tests over random inputs,
// each over a fixed list of seeds: token buckets under random accesses,
// the buckets of random tables under random traffic, the aggregate
// admission of random counts, and the bill's arithmetic. Whole random
// scenarios are in scenarios/property_test.go.

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/ddbsim/ddbsim/model/billing"
	"github.com/ddbsim/ddbsim/model/capacity"
	"github.com/ddbsim/ddbsim/model/latency"
	"github.com/ddbsim/ddbsim/model/store"
	"github.com/ddbsim/ddbsim/model/units"
	"github.com/ddbsim/ddbsim/sim"
)

// propSeeds is the fixed list of seeds a property runs: n of them, a
// third as many with -short, five times as many in the long tier
// (sweepScale).
func propSeeds(n int) []uint64 {
	n *= sweepScale
	if testing.Short() {
		n = max(1, n/3)
	}
	seeds := make([]uint64, n)
	for i := range seeds {
		seeds[i] = uint64(i + 1)
	}
	return seeds
}

// propLogUniform draws an integer in [lo, hi], uniform in its logarithm.
func propLogUniform(r *rand.Rand, lo, hi int64) int64 {
	v := int64(math.Round(math.Exp(math.Log(float64(lo)) + r.Float64()*(math.Log(float64(hi))-math.Log(float64(lo))))))
	return min(max(v, lo), hi)
}

// propTables draws 1 to 3 tables: provisioned (1 to 2,000 RCU and WCU,
// sometimes auto scaled, sometimes with more partitions than the rule
// gives) or on-demand (often with a maximum throughput the traffic
// reaches), with or without a sort key, preloaded with items
// up to 400 KB; and service parameters with a random burst window,
// adaptive capacity on or off, banks full or not at the start.
func propTables(r *rand.Rand) ([]TableConfig, Params) {
	p := DefaultParams()
	p.BurstWindow = sim.Time(propLogUniform(r, 1, 300)) * sim.Second
	p.Adaptive = r.IntN(3) > 0
	p.BurstStartsFull = r.IntN(2) == 0
	cfgs := make([]TableConfig, 1+r.IntN(3))
	for i := range cfgs {
		c := &cfgs[i]
		c.Name = fmt.Sprintf("t%d", i)
		c.Schema = store.KeySchema{PartitionKey: "pk"}
		if r.IntN(4) == 0 {
			c.Schema.SortKey = "sk"
			c.ItemsPerKey = 1 + r.Int64N(10)
		}
		if r.IntN(5) < 3 {
			c.ReadCapacity, c.WriteCapacity = propLogUniform(r, 1, 2000), propLogUniform(r, 1, 2000)
			if r.IntN(3) == 0 {
				lo := propLogUniform(r, 1, 200)
				c.AutoScaling = &capacity.AutoScaling{Target: 0.2 + 0.7*r.Float64(), Min: lo, Max: lo + propLogUniform(r, 1, 4000)}
			}
			if r.IntN(3) == 0 {
				c.Partitions = 1 + r.IntN(8)
			}
		} else {
			c.Mode = OnDemand
			if r.IntN(4) == 0 {
				c.PreviousPeakReads, c.PreviousPeakWrites = float64(propLogUniform(r, 1, 20000)), float64(propLogUniform(r, 1, 8000))
			}
			if r.IntN(2) == 0 {
				c.MaxReads, c.MaxWrites = propLogUniform(r, 1, 2000), propLogUniform(r, 1, 2000)
			}
		}
		if r.IntN(5) > 0 {
			c.ItemCount = max(c.ItemsPerKey, propLogUniform(r, 1, 5000))
			c.ItemSize = propLogUniform(r, 64, units.MaxItemSize)
		}
	}
	return cfgs, p
}

// bucketState is what a bucket held at a sample.
type bucketState struct{ tokens, rate, capacity units.Units }

func stateOf(b *capacity.TokenBucket, now sim.Time) bucketState {
	return bucketState{b.Available(now), b.Rate(), b.Capacity()}
}

// tableState is a table's buckets and consumption at a sample.
type tableState struct {
	at                   sim.Time
	mode                 Mode
	read, write          bucketState   // the table's own buckets
	shareR, shareW, ceil []bucketState // by partition
	consumedR, consumedW units.Units
	load                 []units.Units // ceiling load by partition, this layout
}

// bucketRecorder checks the buckets of a service's tables at every
// per-second sample, from inside the model (see
// TestPropertyBucketsUnderTraffic).
type bucketRecorder struct {
	t       *testing.T
	seed    uint64
	svc     *Service
	params  Params
	last    []*tableState
	cR, cW  []units.Units   // consumed by table
	load    [][]units.Units // ceiling load by table and partition
	split   []bool          // a partition split, which halves a share
	largest [3]units.Units  // the largest read, write and ceiling load admitted
	checked int
}

func (b *bucketRecorder) Consumed(_ sim.Time, table, partition int, read, write units.Units) {
	b.cR[table] += read
	b.cW[table] += write
	for len(b.load[table]) <= partition {
		b.load[table] = append(b.load[table], 0)
	}
	load := ceilingLoad(false, read) + ceilingLoad(true, write)
	b.load[table][partition] += load
	b.largest = [3]units.Units{max(b.largest[0], read), max(b.largest[1], write), max(b.largest[2], load)}
}
func (b *bucketRecorder) Throttle(sim.Time, *ThrottleEvent) {}
func (b *bucketRecorder) Retry(sim.Time, int, units.Op)     {}
func (b *bucketRecorder) Finish(Outcome)                    {}
func (b *bucketRecorder) Cache(sim.Time, *CacheEvent)       {}
func (b *bucketRecorder) Global(sim.Time, *GlobalEvent)     {}
func (b *bucketRecorder) Event(_ sim.Time, ev CapacityEvent) {
	switch ev.Kind {
	case EventHeatSplit, EventSizeSplit, EventHotKeyIsolated:
		b.split[ev.Table] = true
	}
}

func (b *bucketRecorder) fail(now sim.Time, table int, format string, args ...any) {
	b.t.Helper()
	b.t.Fatalf("seed %d: table %d at %v: %s", b.seed, table, now, fmt.Sprintf(format, args...))
}

// Sample checks table ti's buckets at now, and what it consumed since
// its last sample against what its buckets held then and refilled since.
func (b *bucketRecorder) Sample(now sim.Time, ti int, st *TableState) {
	b.checked++
	tb := b.svc.tables[ti]
	window := units.Units(max(1, int64(b.params.BurstWindow/sim.Second)))
	cur := &tableState{at: now, mode: tb.cfg.Mode, read: stateOf(&tb.read, now), write: stateOf(&tb.write, now),
		consumedR: b.cR[ti], consumedW: b.cW[ti]}
	var burstR, burstW, ratesR, ratesW units.Units
	for i := range tb.parts {
		p := &tb.parts[i]
		cur.shareR = append(cur.shareR, stateOf(&p.read, now))
		cur.shareW = append(cur.shareW, stateOf(&p.write, now))
		cur.ceil = append(cur.ceil, stateOf(&p.ceiling, now))
	}
	// Every bucket within [-largest request, capacity]; a provisioned
	// table's own buckets, which its shares drain down to minus one
	// capacity (TokenBucket.Drain), within [-max(largest, capacity),
	// capacity].
	for _, set := range []struct {
		name    string
		buckets []bucketState
		largest units.Units
		drained bool
	}{
		{"table read", []bucketState{cur.read}, b.largest[0], true}, {"table write", []bucketState{cur.write}, b.largest[1], true},
		{"share read", cur.shareR, b.largest[0], false}, {"share write", cur.shareW, b.largest[1], false}, {"ceiling", cur.ceil, b.largest[2], false},
	} {
		for i, s := range set.buckets {
			floor := set.largest
			if set.drained && tb.cfg.Mode == Provisioned {
				floor = max(floor, s.capacity)
			}
			if s.tokens > s.capacity || s.tokens < -floor {
				b.fail(now, ti, "%s bucket %d holds %v, outside [-%v, %v]", set.name, i, s.tokens, floor, s.capacity)
			}
		}
	}
	// Each share bucket holds BurstWindow seconds of its share: exactly
	// when divided evenly, within a window's rounding after splits
	// halved them; the table's buckets one second of its capacity; the
	// ceiling 3,000 read units a second (REFERENCE: burst, partitions).
	for i := range cur.shareR {
		for _, s := range []bucketState{cur.shareR[i], cur.shareW[i]} {
			if s.capacity < window*s.rate || s.capacity >= window*(s.rate+1) {
				b.fail(now, ti, "partition %d: a share of %v/s in a bucket of %v, not %v s of it", i, s.rate, s.capacity, int64(window))
			}
		}
		if c := cur.ceil[i]; c.rate != units.WholeUnits(capacity.PartitionReadCeiling) || c.capacity != c.rate {
			b.fail(now, ti, "partition %d: ceiling %+v", i, c)
		}
		ratesR += cur.shareR[i].rate
		ratesW += cur.shareW[i].rate
		burstR += max(0, cur.shareR[i].tokens-cur.shareR[i].rate)
		burstW += max(0, cur.shareW[i].tokens-cur.shareW[i].rate)
	}
	rcu, wcu := tb.Capacity()
	if cur.read.rate != units.WholeUnits(rcu) || cur.read.capacity != units.WholeUnits(rcu) || cur.write.rate != units.WholeUnits(wcu) || cur.write.capacity != units.WholeUnits(wcu) {
		b.fail(now, ti, "table buckets %+v and %+v for %d RCU and %d WCU", cur.read, cur.write, rcu, wcu)
	}
	if tb.cfg.Mode == Provisioned {
		// The shares divide the capacity: evenly, to the thousandth,
		// until splits halve some (each losing at most a thousandth).
		n := units.Units(len(tb.parts))
		for _, d := range [][2]units.Units{{ratesR, units.WholeUnits(rcu)}, {ratesW, units.WholeUnits(wcu)}} {
			if d[0] > d[1] || (!b.split[ti] && d[0] != d[1]) || d[0] < d[1]-n {
				b.fail(now, ti, "shares of %v/s in all for a capacity of %v/s", d[0], d[1])
			}
		}
	} else {
		burstR, burstW = 0, 0
	}
	parts := len(tb.parts) // an on-demand table lists none: they bank no burst
	if tb.cfg.Mode != Provisioned {
		parts = 0
	}
	if st.ReadBurst != burstR || st.WriteBurst != burstW || len(st.Parts) != parts {
		b.fail(now, ti, "sampled burst %v and %v, the buckets hold %v and %v above a second of share", st.ReadBurst, st.WriteBurst, burstR, burstW)
	}
	cur.load = slices.Clone(b.load[ti])

	// What the table consumed since its last sample, against what its
	// buckets held then, refilled since (at the rates of then: changes
	// take effect on whole seconds, no later than this sample) and hold
	// now. Provisioned: what the shares gave, and with adaptive
	// capacity what the table's bucket lent; on-demand: the table's
	// bucket, its instant capacity (REFERENCE: burst, adaptive,
	// ondemand). Each bucket may add a thousandth of a unit carried
	// from before.
	if prev := b.last[ti]; prev != nil && prev.mode == cur.mode {
		h := now - prev.at
		refill := func(rate units.Units) units.Units { return units.Units(int64(rate) * int64(h) / int64(sim.Second)) }
		for _, d := range []struct {
			kind     string
			consumed units.Units
			table    [2]bucketState   // at the last sample and now
			shares   [2][]bucketState // likewise
		}{
			{"read", cur.consumedR - prev.consumedR, [2]bucketState{prev.read, cur.read}, [2][]bucketState{prev.shareR, cur.shareR}},
			{"write", cur.consumedW - prev.consumedW, [2]bucketState{prev.write, cur.write}, [2][]bucketState{prev.shareW, cur.shareW}},
		} {
			limit := units.Units(1)
			// A table of one partition borrows nothing (Table.lends).
			if cur.mode == OnDemand || (b.params.Adaptive && len(d.shares[1]) > 1) {
				limit += d.table[0].tokens - d.table[1].tokens + refill(d.table[0].rate)
			}
			if cur.mode == Provisioned {
				for _, s := range d.shares[0] {
					limit += s.tokens + refill(s.rate) + 1
				}
				for _, s := range d.shares[1] {
					limit -= s.tokens
				}
			}
			if d.consumed > limit {
				b.fail(now, ti, "%v %s units consumed in [%v, %v), the buckets gave at most %v", d.consumed, d.kind, prev.at, now, limit)
			}
		}
		if len(prev.ceil) == len(cur.ceil) {
			for i := range cur.ceil {
				var before units.Units
				if i < len(prev.load) {
					before = prev.load[i]
				}
				got := cur.load[i] - before
				if limit := prev.ceil[i].tokens + refill(prev.ceil[i].rate) - cur.ceil[i].tokens + 1; got > limit {
					b.fail(now, ti, "partition %d took %v of its ceiling in [%v, %v), it gave at most %v", i, got, prev.at, now, limit)
				}
			}
		}
	}
	if len(cur.ceil) != len(b.load[ti]) {
		b.load[ti] = make([]units.Units, len(cur.ceil)) // a new layout
		cur.load = slices.Clone(b.load[ti])
	}
	b.last[ti] = cur
}

// propRequest draws one request for table ti of svc: get, put, update,
// delete, query, scan, batch_get or batch_write, of a preloaded key or
// another, an item up to 400 KB, either consistency.
func propRequest(r *rand.Rand, svc *Service, ti int, cursors []store.ScanCursor, items []BatchItem) Request {
	tb := svc.tables[ti]
	cfg := &tb.cfg
	keys := max(1, cfg.ItemCount/max(1, cfg.ItemsPerKey))
	key := func() ([]byte, int64) {
		k := store.AppendSyntheticKey(nil, r.Int64N(keys+keys/4+1))
		if r.IntN(3) == 0 {
			k = store.AppendSyntheticKey(nil, 0) // a hot key
		}
		var sk int64
		if cfg.ItemsPerKey > 1 {
			sk = r.Int64N(cfg.ItemsPerKey)
		}
		return k, sk
	}
	size := func() int { return int(propLogUniform(r, 1, units.MaxItemSize)) }
	req := Request{Table: ti, Op: units.Op(r.IntN(int(units.OpBatchWrite) + 1)), Consistency: units.Consistency(r.IntN(2))}
	switch req.Op {
	case units.OpQuery, units.OpScan:
		req.Key, req.SortIndex = key()
		req.Limit = r.IntN(20)
		if req.Op == units.OpScan {
			req.Limit++ // a scan of 1 MB pages of small items is slow to run
		}
		req.Cursor = &cursors[ti]
	case units.OpBatchGet, units.OpBatchWrite:
		n := 1 + r.IntN(MaxBatchItems(req.Op))
		for i := range n {
			items[i].Key, items[i].SortIndex = key()
			items[i].Size = 0
			if req.Op == units.OpBatchWrite {
				items[i].Size = size()
			}
		}
		req.Items = items[:n]
	default:
		req.Key, req.SortIndex = key()
		req.Size = size()
	}
	return req
}

// Property: the buckets of random tables under random traffic. At every
// per-second sample, from inside the model: every bucket holds at most
// its capacity and is in debt by at most the largest request admitted
// (one let through when the bucket was full); each share bucket holds
// BurstWindow seconds of its share (REFERENCE: burst), the table's
// buckets one second of its capacity, the ceiling 3,000 read units
// (REFERENCE: partitions); the shares divide the table's capacity
// evenly (to the thousandth) until a split halves some; the sampled
// burst credit is what the share buckets hold above one second of their
// share. Between two samples: what each table consumed is at most what
// its buckets held at the first, refilled since and do not hold at the
// second: provisioned, its shares', and with adaptive capacity the
// table's bucket's; on-demand, the table's bucket's (REFERENCE: burst,
// adaptive, ondemand); each partition's ceiling load likewise its
// ceiling's. The recorder is told of all the service charges.
func TestPropertyBucketsUnderTraffic(t *testing.T) {
	for _, seed := range propSeeds(25) {
		r := rand.New(rand.NewPCG(seed, 0x74726166666963))
		cfgs, params := propTables(r)
		rec := &bucketRecorder{t: t, seed: seed, params: params, last: make([]*tableState, len(cfgs)),
			cR: make([]units.Units, len(cfgs)), cW: make([]units.Units, len(cfgs)), load: make([][]units.Units, len(cfgs)), split: make([]bool, len(cfgs))}
		svc, err := NewService(cfgs, params, latency.DefaultLatency(), rand.New(rand.NewPCG(seed, 1)), rec)
		if err != nil {
			t.Fatalf("seed %d: %v", seed, err)
		}
		rec.svc = svc
		k := sim.New(seed)
		end := sim.Time(60+r.IntN(61)) * sim.Second
		svc.Start(k, end)
		rate := float64(propLogUniform(r, 5, 400)) // requests per second, all tables
		cursors := make([]store.ScanCursor, len(cfgs))
		items := make([]BatchItem, MaxBatchGetItems)
		var next sim.HandlerFunc
		next = func(now sim.Time) {
			ti := r.IntN(len(cfgs))
			req := propRequest(r, svc, ti, cursors, items)
			svc.Handle(now, &req)
			if at := now + sim.Time(r.ExpFloat64()/rate*float64(sim.Second)); at < end {
				k.At(at, next)
			}
		}
		k.At(0, next)
		k.Run(end)
		svc.Settle()
		for ti, tb := range svc.tables {
			if rec.cR[ti] != tb.ConsumedRead || rec.cW[ti] != tb.ConsumedWrite {
				t.Errorf("seed %d: table %d: %v and %v consumed as recorded, %v and %v as charged",
					seed, ti, rec.cR[ti], rec.cW[ti], tb.ConsumedRead, tb.ConsumedWrite)
			}
			var pr, pw units.Units
			for i := range tb.parts {
				pr += tb.parts[i].ConsumedRead
				pw += tb.parts[i].ConsumedWrite
			}
			if pr != tb.ConsumedRead || pw != tb.ConsumedWrite {
				t.Errorf("seed %d: table %d: partitions consumed %v and %v, the table %v and %v", seed, ti, pr, pw, tb.ConsumedRead, tb.ConsumedWrite)
			}
		}
		if rec.checked == 0 {
			t.Fatalf("seed %d: no samples", seed)
		}
	}
}

// countsRecorder adds up what AdmitCounts reports.
type countsRecorder struct {
	nopRecorder
	read, write units.Units
	byPart      map[int][2]units.Units
	throttles   int64
	reasons     map[ThrottleReason]int64
}

func (c *countsRecorder) Consumed(_ sim.Time, _, p int, r, w units.Units) {
	c.read += r
	c.write += w
	v := c.byPart[p]
	c.byPart[p] = [2]units.Units{v[0] + r, v[1] + w}
}
func (c *countsRecorder) Throttle(now sim.Time, ev *ThrottleEvent) { c.ThrottleN(now, ev, 1) }
func (c *countsRecorder) ThrottleN(_ sim.Time, ev *ThrottleEvent, n int64) {
	c.throttles += n
	c.reasons[ev.Reason] += n
}
func (c *countsRecorder) RetryN(sim.Time, int, units.Op, int64) {}
func (c *countsRecorder) FinishN(Outcome, int64)                {}

// Property: aggregate admission (AdmitCounts) never admits more than the
// buckets hold. For random tables and random counts of requests of
// random price over ticks of random length h, partition by partition:
// what each group admits is between 0 and what it offered; the
// ceiling load admitted is at most the ceiling's balance at the tick's
// start plus its refill over h (REFERENCE: partitions); for a
// provisioned table what each partition's share admits is at most the
// share bucket's balance plus refill (REFERENCE: burst), nothing beyond
// it without adaptive capacity, and what is lent beyond the shares at
// most the table's unused capacity, its bucket's balance and refill less
// what the shares took (REFERENCE: adaptive); for an on-demand table the
// table's bucket, its instant capacity, bounds all (REFERENCE:
// ondemand). Every bucket ends the tick within [0, capacity]; what the
// recorder is told was consumed is what was admitted, at its price,
// partition by partition, and every request not admitted is one
// throttle, with a reason.
//
// Prices stay within a share bucket: a request larger than the bucket
// is let through when it is full, into debt (REFERENCE: units, a 1 MB
// Query on a 5 RCU table), so a tick may then admit more than the bucket
// gave, by design; TestAggregateBucketInDebtWithNothingOffered pins that
// such debt leaves later ticks' counts whole.
func TestPropertyAdmitCounts(t *testing.T) {
	ops := []units.Op{units.OpGet, units.OpPut, units.OpUpdate, units.OpDelete, units.OpQuery}
	for _, seed := range propSeeds(50) {
		r := rand.New(rand.NewPCG(seed, 0x636f756e7473))
		params := DefaultParams()
		params.BurstWindow = sim.Time(propLogUniform(r, 1, 300)) * sim.Second
		params.Adaptive = r.IntN(3) > 0
		params.BurstStartsFull = r.IntN(2) == 0
		cfg := TableConfig{Name: "t", Schema: store.KeySchema{PartitionKey: "pk"}}
		if r.IntN(4) > 0 {
			cfg.ReadCapacity, cfg.WriteCapacity = propLogUniform(r, 1, 4000), propLogUniform(r, 1, 2000)
			cfg.Partitions = 1 + r.IntN(8)
		} else {
			cfg.Mode = OnDemand
		}
		rec := &countsRecorder{byPart: map[int][2]units.Units{}, reasons: map[ThrottleReason]int64{}}
		svc, err := NewService([]TableConfig{cfg}, params, latency.DefaultLatency(), rand.New(rand.NewPCG(seed, 2)), rec)
		if err != nil {
			t.Fatal(err)
		}
		tb := svc.tables[0]
		n := len(tb.parts)
		provisioned := cfg.Mode == Provisioned
		// The smallest share bucket of each kind bounds the prices.
		most := [2]units.Units{units.WholeUnits(400), units.WholeUnits(400)}
		if provisioned {
			for i := range tb.parts {
				most[0] = min(most[0], tb.parts[i].read.Capacity())
				most[1] = min(most[1], tb.parts[i].write.Capacity())
			}
		}
		from := sim.Time(0)
		for tick := range 80 {
			h := []sim.Time{250 * sim.Millisecond, sim.Second, sim.Second, 5 * sim.Second}[r.IntN(4)]
			groups := make([]*CountGroup, 1+r.IntN(4))
			for gi := range groups {
				op := ops[r.IntN(len(ops))]
				g := &CountGroup{Op: op, Cost: units.Units(propLogUniform(r, 1, int64(max(1, most[b2i(op.IsWrite())]))))}
				g.Offered = make([]int64, n)
				for i := range g.Offered {
					if r.IntN(4) > 0 {
						g.Offered[i] = propLogUniform(r, 1, 5000)
					}
				}
				groups[gi] = g
			}
			// What each bucket can give over the tick: its balance at
			// from and its refill over h.
			give := func(b *capacity.TokenBucket) units.Units { return b.Available(from) + b.RefillOver(from, h) }
			ceil := make([]units.Units, n)
			share := make([][2]units.Units, n)
			for i := range tb.parts {
				p := &tb.parts[i]
				ceil[i] = give(&p.ceiling)
				share[i] = [2]units.Units{give(&p.read), give(&p.write)}
			}
			table := [2]units.Units{give(&tb.read), give(&tb.write)}
			// A full table bucket lets one request through whatever its
			// price, as it does a single request (TokenBucket.CanTake).
			var slack [2]units.Units
			for w, b := range []*capacity.TokenBucket{&tb.read, &tb.write} {
				if b.Available(from) >= b.Capacity() {
					for _, g := range groups {
						if b2i(g.Op.IsWrite()) == w {
							slack[w] = max(slack[w], g.Cost)
						}
					}
				}
			}
			*rec = countsRecorder{byPart: map[int][2]units.Units{}, reasons: map[ThrottleReason]int64{}}
			buckets := []*capacity.TokenBucket{&tb.read, &tb.write}
			for i := range tb.parts {
				buckets = append(buckets, &tb.parts[i].read, &tb.parts[i].write, &tb.parts[i].ceiling)
			}
			startDebt := make([]units.Units, len(buckets))
			for bi, b := range buckets {
				startDebt[bi] = min(b.Available(from), 0)
			}

			svc.AdmitCounts(from, from+h, 0, groups)

			fail := func(format string, args ...any) {
				t.Helper()
				t.Fatalf("seed %d (%v, %d RCU, %d WCU, %d partitions, adaptive %v, window %v) tick %d at %v for %v: %s",
					seed, cfg.Mode, cfg.ReadCapacity, cfg.WriteCapacity, n, params.Adaptive, params.BurstWindow, tick, from, h,
					fmt.Sprintf(format, args...))
			}
			var refused int64
			var shareTaken, lent, all [2]units.Units
			for i := range n {
				var load units.Units
				var byKind, byShare [2]units.Units
				for _, g := range groups {
					a, off := g.Admitted[i], g.Offered[i]
					w := b2i(g.Op.IsWrite())
					if a < 0 || a > off || g.fromShare[i] < 0 || g.fromShare[i] > a {
						fail("partition %d: %v admitted %d (%d by its share) of %d", i, g.Op, a, g.fromShare[i], off)
					}
					if a < off && g.Reason[i] == NotThrottled {
						fail("partition %d: %d %v refused without a reason", i, off-a, g.Op)
					}
					refused += off - a
					load += units.Units(a) * ceilingLoad(w == 1, g.Cost)
					byKind[w] += units.Units(a) * g.Cost
					byShare[w] += units.Units(g.fromShare[i]) * g.Cost
				}
				if load > ceil[i] {
					fail("partition %d: ceiling load %v admitted, its bucket gave at most %v", i, load, ceil[i])
				}
				for w := range 2 {
					if provisioned && byShare[w] > share[i][w] {
						fail("partition %d: %v admitted by its share (kind %d), the bucket gave at most %v", i, byShare[w], w, share[i][w])
					}
					if provisioned && (!params.Adaptive || n == 1) && byKind[w] != byShare[w] {
						fail("partition %d: %v admitted beyond its share without adaptive capacity or another partition to lend", i, byKind[w]-byShare[w])
					}
					shareTaken[w] += byShare[w]
					lent[w] += byKind[w] - byShare[w]
					all[w] += byKind[w]
				}
				if got := rec.byPart[i]; got != byKind {
					fail("partition %d: recorded %v consumed, admitted %v", i, got, byKind)
				}
			}
			for w := range 2 {
				unused := max(0, table[w]-min(shareTaken[w], max(table[w], 0)))
				if !provisioned {
					unused = table[w]
				}
				if lent[w] > unused+slack[w] {
					fail("kind %d: %v lent (shares took %v), the table's bucket gave at most %v", w, lent[w], shareTaken[w], unused)
				}
			}
			if rec.throttles != refused || rec.read != all[0] || rec.write != all[1] {
				fail("%d throttles recorded for %d refused; %v and %v consumed recorded for %v and %v admitted",
					rec.throttles, refused, rec.read, rec.write, all[0], all[1])
			}
			// Every bucket ends the tick within [0, capacity].
			to := from + h
			for bi, b := range buckets {
				// A table bucket may end in debt by the one request a full
				// bucket let through, and repays earlier debt at its rate.
				floor := units.Units(0)
				if bi < 2 {
					floor = min(startDebt[bi]+b.RefillOver(from, h), 0) - slack[bi]
				}
				if v := b.Available(to); v < floor || v > b.Capacity() {
					fail("bucket %d holds %v at the tick's end, outside [0, %v]", bi, v, b.Capacity())
				}
			}
			from = to + sim.Time(r.IntN(3))*sim.Second/2
		}
	}
}

// addMeters is the meter of two periods of one table, a then b: every
// quantity summed.
func addMeters(a, b billing.Meter) billing.Meter {
	return billing.Meter{
		RCUHours: a.RCUHours + b.RCUHours, WCUHours: a.WCUHours + b.WCUHours,
		ReservedRCUHours: a.ReservedRCUHours + b.ReservedRCUHours, ReservedWCUHours: a.ReservedWCUHours + b.ReservedWCUHours,
		ReadUnits: a.ReadUnits + b.ReadUnits, WriteUnits: a.WriteUnits + b.WriteUnits, GBMonths: a.GBMonths + b.GBMonths,
		DAXNodeHours: a.DAXNodeHours + b.DAXNodeHours, Replicated: a.Replicated, TTLDeleteUnits: a.TTLDeleteUnits + b.TTLDeleteUnits,
		StreamReadUnits: a.StreamReadUnits + b.StreamReadUnits, Standard: a.Standard,
	}
}

// propMeter draws a table's meter for hours of run time; some quantities
// are small, under what the free tier covers.
func propMeter(r *rand.Rand, hours float64, standard, replicated bool) billing.Meter {
	q := func(perHour float64) float64 {
		if r.IntN(4) == 0 {
			return 0
		}
		return r.Float64() * perHour * hours
	}
	m := billing.Meter{RCUHours: q(60), WCUHours: q(60), ReservedRCUHours: q(200), ReservedWCUHours: q(200),
		ReadUnits: q(1e6), WriteUnits: q(1e6), GBMonths: q(60) / billing.HoursPerMonth, DAXNodeHours: q(3),
		StreamReadUnits: q(6000), Standard: standard, Replicated: replicated}
	m.TTLDeleteUnits = r.Float64() * m.WriteUnits
	return m
}

func billTotal(lines []billing.Charge) float64 {
	sum := 0.0
	for _, l := range lines {
		sum += l.USD
	}
	return sum
}

// Property (REFERENCE: prices), over random meters of several tables and
// two periods, a hours then b, priced with one price book (replicated
// write capacity at the price of write capacity, as since Nov 2024):
//
//   - Without the free tier the bill is additive in time and across
//     tables: the meters of a then b summed cost what a and b cost
//     apart, line by line; each table's lines in the bill of all are
//     exactly its lines priced alone.
//   - The free tier (25 RCU and 25 WCU for every hour, 25 GB for every
//     month, 2.5 M stream read units a month) is one allowance for the
//     account over the whole run, so the bill is not additive with it:
//     a and b priced together cost at most what they cost apart (unused
//     allowance of one period covers the other), and tables together at
//     least what each costs alone with an allowance of its own, at most
//     what they cost without it, and by no more than the allowance is
//     worth; and over the random meters each inequality is strict
//     somewhere, so additivity does not hold with the free tier.
//
// TestCostProperties checks that the lines are non-negative and sum to
// the total, and totals across tables without the free tier.
func TestPropertyCostOverTime(t *testing.T) {
	book := billing.PriceBook{ReadRequestUnit: 0.125e-6, WriteRequestUnit: 0.625e-6, RCUHour: 0.00013, WCUHour: 0.00065,
		StorageGBMonth: 0.25, ReservedRCUHour: 0.00006, ReservedWCUHour: 0.0003, DAXNodeHour: 0.269,
		ReplicatedWriteRequestUnit: 0.625e-6, ReplicatedWCUHour: 0.00065, StreamReadRequestUnit: 0.2e-6}
	near := func(x, y float64) bool { return math.Abs(x-y) <= 1e-9*max(1e-6, math.Abs(x), math.Abs(y)) }
	worth := func(hours float64) float64 {
		return (billing.FreeRCU*book.RCUHour+billing.FreeWCU*book.WCUHour)*hours +
			(billing.FreeStorageGB*book.StorageGBMonth+billing.FreeStreamReadUnits*book.StreamReadRequestUnit)*hours/billing.HoursPerMonth
	}
	var strictTime, strictTables int
	for _, seed := range propSeeds(200) {
		r := rand.New(rand.NewPCG(seed, 0x62696c6c))
		n := 1 + r.IntN(4)
		ha, hb := 0.01+r.Float64()*100, 0.01+r.Float64()*100
		ma, mb, mab := make([]billing.Meter, n), make([]billing.Meter, n), make([]billing.Meter, n)
		books := make([]billing.PriceBook, n)
		for i := range n {
			standard, replicated := r.IntN(4) > 0, r.IntN(4) == 0
			ma[i], mb[i] = propMeter(r, ha, standard, replicated), propMeter(r, hb, standard, replicated)
			mab[i] = addMeters(ma[i], mb[i])
			books[i] = book
		}
		// Without the free tier: additive in time, line by line.
		byItem := func(m []billing.Meter, hours float64, free bool) billing.Bill {
			return billing.Cost(m, books, hours, free)
		}
		a, b, ab := byItem(ma, ha, false), byItem(mb, hb, false), byItem(mab, ha+hb, false)
		for _, item := range billing.LineItems {
			if !near(ab[item], a[item]+b[item]) {
				t.Fatalf("seed %d: %s: $%v for a then b together, $%v + $%v apart", seed, item, ab[item], a[item], b[item])
			}
		}
		// Without the free tier: each table's lines are its own.
		all := billing.Itemize(mab, books, ha+hb, false)
		for i := range n {
			var mine []billing.Charge
			for _, l := range all {
				if l.Table == i {
					l.Table = 0
					mine = append(mine, l)
				}
			}
			if alone := billing.Itemize(mab[i:i+1], books[i:i+1], ha+hb, false); !slices.Equal(mine, alone) {
				t.Fatalf("seed %d: table %d: %+v in the bill of all, %+v alone", seed, i, mine, alone)
			}
		}
		// With the free tier: sub-additive in time.
		fa, fb, fab := byItem(ma, ha, true).Total(), byItem(mb, hb, true).Total(), byItem(mab, ha+hb, true).Total()
		if fab > (fa+fb)*(1+1e-12)+1e-15 {
			t.Fatalf("seed %d: with the free tier $%v for a then b together, more than $%v + $%v apart", seed, fab, fa, fb)
		}
		if fab < (fa+fb)*(1-1e-9) {
			strictTime++
		}
		// With the free tier: across tables, between each alone with an
		// allowance of its own and all without one.
		together, off := billTotal(billing.Itemize(mab, books, ha+hb, true)), billTotal(billing.Itemize(mab, books, ha+hb, false))
		var alone float64
		for i := range n {
			alone += billTotal(billing.Itemize(mab[i:i+1], books[i:i+1], ha+hb, true))
		}
		switch {
		case together < alone*(1-1e-12)-1e-15:
			t.Fatalf("seed %d: with the free tier $%v together, less than $%v with an allowance each", seed, together, alone)
		case together > off*(1+1e-12)+1e-15:
			t.Fatalf("seed %d: $%v with the free tier, more than $%v without", seed, together, off)
		case off-together > worth(ha+hb)*(1+1e-9):
			t.Fatalf("seed %d: the free tier took $%v off, more than its $%v", seed, off-together, worth(ha+hb))
		}
		if together > alone*(1+1e-9) {
			strictTables++
		}
	}
	if strictTime == 0 || strictTables == 0 {
		t.Errorf("the free tier never made a difference: %d periods, %d table sets where it did", strictTime, strictTables)
	}
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}
