package reports

import (
	"math"

	"github.com/ddbsim/ddbsim/model"
	"github.com/ddbsim/ddbsim/model/billing"
	"github.com/ddbsim/ddbsim/model/units"
	"github.com/ddbsim/ddbsim/sim"
)

// Building a Result from what the Collector recorded: every number rounded
// where it is made, so the JSON is stable.

// Result summarises the run recorded so far. It may be called more than
// once; recording can continue after it. The Series it holds shares storage
// with the Collector and covers at least meta.Duration.
func (c *Collector) Result(meta Meta) *Result {
	c.grow(c.ceilIndex(meta.Duration))
	series := c.Series()
	all, ops := c.runLatency()

	r := &Result{
		SchemaVersion: SchemaVersion,
		Scenario:      meta.Scenario,
		Seed:          meta.Seed,
		DurationS:     round(meta.Duration.Seconds(), 3),
		Complete:      meta.Complete,
		Fidelity:      meta.Fidelity,
		Requests: Requests{
			Total:          c.total,
			Succeeded:      c.succeeded,
			Throttled:      c.throttled,
			ThrottleEvents: c.throttleEvents,
			Retries:        c.retries,
			Errors:         c.errors,
		},
		Ratios: Ratios{
			Throttled: Ratio(c.throttled, c.total),
			Errors:    Ratio(c.errors, c.total),
		},
		LatencyMs:        all.latency(),
		LatencyHistogram: encodeHistogram(all.h),
		Operations:       map[string]OpResult{},
		Tables:           make([]TableResult, len(c.tables)),
		Thresholds:       []ThresholdResult{},
		CapacityEvents:   []CapacityEvent{},
		ErrorsByKind:     map[string]int64{},
		Series:           series,
		Explanations:     c.explanations,
	}
	if c.meters != nil {
		hours := meta.Duration.Seconds() / 3600
		bill := billing.Cost(c.meters, c.books, hours, c.freeTier)
		r.Cost = &CostResult{TotalUSD: round(bill.Total(), 6), Breakdown: map[string]float64{}, Lines: []CostLine{}}
		for _, ch := range billing.Itemize(c.meters, c.books, hours, c.freeTier) {
			r.Cost.Lines = append(r.Cost.Lines, CostLine{Table: c.tables[ch.Table].info.Name, Item: ch.Item, Unit: ch.Unit,
				Quantity: round(ch.Quantity, 6), Free: round(ch.Free, 6), PriceUSD: ch.Price, USD: round(ch.USD, 6)})
		}
		month := float64(billing.HoursPerMonth)
		if len(c.books) > 0 {
			month = c.books[0].Month()
		}
		if month != billing.HoursPerMonth {
			r.Cost.MonthHours = month
		}
		if hours > 0 {
			r.Cost.MonthlyUSD = round(bill.Total()/hours*month, 2)
		}
		for _, item := range billing.LineItems {
			if OptionalLineItem(item) && bill[item] == 0 && (item != billing.ItemDAXNodes || len(c.clusters) == 0) {
				continue // a run without DAX, global tables or streams has no such line
			}
			r.Cost.Breakdown[item] = round(bill[item], 6)
		}
	}
	if len(c.clusters) > 0 {
		r.Cache = c.cacheResult(meta.Duration)
	}
	r.Streams = c.streamResults()
	r.Availability = c.availability(meta.Duration)
	if c.repl != nil {
		r.Replication = c.replicationResult(r.Availability)
	}
	for kind, n := range c.errorKinds {
		if n > 0 && kind != int(model.NoError) {
			r.ErrorsByKind[model.ErrorKind(kind).String()] = n
		}
	}
	for _, e := range c.events {
		r.CapacityEvents = append(r.CapacityEvents, CapacityEvent{
			TimeS: round(e.at.Seconds(), 3), Table: c.tables[e.ev.Table].info.Name,
			Kind: e.ev.Kind.String(), Cause: e.ev.Cause, Partitions: e.ev.Partitions,
			RCU: e.ev.Read, WCU: e.ev.Write, Partition: e.ev.Partition,
		})
	}
	for op, l := range ops {
		if l != nil {
			r.Operations[units.Op(op).String()] = OpResult{Count: l.count, LatencyMs: l.latency()}
		}
	}
	for i := range c.tables {
		r.Tables[i] = c.tables[i].result(meta.Duration, c.step)
		c.tableRequests(i, &r.Tables[i])
	}
	r.Workloads = c.workloadResults()
	for _, o := range c.outages {
		if o.StartS < r.DurationS {
			o.EndS = min(o.EndS, r.DurationS)
			r.Outages = append(r.Outages, o)
		}
	}
	return r
}

func (t *tableStats) result(d, step sim.Time) TableResult {
	tr := TableResult{
		Name:              t.info.Name,
		Table:             t.info.Base,
		Index:             t.info.Index,
		Region:            t.info.Region,
		Mode:              t.info.Mode,
		Partitions:        t.info.Partitions,
		ConsumedRCU:       roundUnits(t.read),
		ConsumedWCU:       roundUnits(t.write),
		ThrottlesByReason: map[string]int64{},
		ProvisionedRCU:    t.info.ReadCapacity,
		ProvisionedWCU:    t.info.WriteCapacity,
		PeakRCUPerS:       round(peakPerSecond(t.s.Read, step, d), 3),
		PeakWCUPerS:       round(peakPerSecond(t.s.Write, step, d), 3),
		ThrottledRatio:    Ratio(t.throttled, t.succeeded+t.throttled+t.errors),
		FinalRCU:          roundUnits(t.finalRead),
		FinalWCU:          roundUnits(t.finalWrite),
	}
	if s := d.Seconds(); s > 0 {
		tr.MeanRCUPerS = round(t.read.Float()/s, 3)
		tr.MeanWCUPerS = round(t.write.Float()/s, 3)
	}
	for reason, n := range t.byReason {
		if n > 0 {
			tr.ThrottlesByReason[model.ThrottleReason(reason).String()] = n
		}
	}
	return tr
}

// cacheResult sums the clusters' counts.
func (c *Collector) cacheResult(d sim.Time) *CacheResult {
	cr := &CacheResult{Clusters: []ClusterResult{}}
	var saved units.Units
	for i := range c.clusters {
		cl := &c.clusters[i]
		a := &cl.accesses
		cr.ItemHits += a[model.CacheItemHit]
		cr.ItemMisses += a[model.CacheItemMiss]
		cr.QueryHits += a[model.CacheQueryHit]
		cr.QueryMisses += a[model.CacheQueryMiss]
		cr.Writes += a[model.CacheWrite]
		cr.PassThrough += a[model.CachePassThrough]
		cr.Throttled += a[model.CacheThrottled]
		cr.StaleReads += cl.stale
		saved += cl.saved
		cr.Clusters = append(cr.Clusters, c.clusterResult(cl, d))
	}
	cr.Hits, cr.Misses = cr.ItemHits+cr.QueryHits, cr.ItemMisses+cr.QueryMisses
	cr.HitRate = Ratio(cr.Hits, cr.Hits+cr.Misses)
	cr.ItemHitRate = Ratio(cr.ItemHits, cr.ItemHits+cr.ItemMisses)
	cr.QueryHitRate = Ratio(cr.QueryHits, cr.QueryHits+cr.QueryMisses)
	cr.SavedRCU = roundUnits(saved)
	for _, l := range []struct {
		dst *Latency
		src *latencyStats
	}{{&cr.HitLatencyMs, c.cacheLatency(cacheHit)}, {&cr.MissLatencyMs, c.cacheLatency(cacheMiss)}, {&cr.WriteLatencyMs, c.cacheLatency(cacheWrite)}} {
		if l.src != nil {
			*l.dst = l.src.latency()
		}
	}
	return cr
}

func (c *Collector) clusterResult(cl *clusterStats, d sim.Time) ClusterResult {
	a := &cl.accesses
	hits := a[model.CacheItemHit] + a[model.CacheQueryHit]
	misses := a[model.CacheItemMiss] + a[model.CacheQueryMiss]
	res := ClusterResult{
		Name:         cl.info.Name,
		NodeType:     cl.info.NodeType,
		Nodes:        cl.info.Nodes,
		Tables:       []string{},
		CapacityPerS: roundUnits(cl.s.Capacity),
		PeakLoadPerS: round(peakPerSecond(cl.s.Load, c.step, d), 3),
		HitRate:      Ratio(hits, hits+misses),
		Hits:         hits,
		Misses:       misses,
		StaleReads:   cl.stale,
		Throttled:    a[model.CacheThrottled],
		SavedRCU:     roundUnits(cl.saved),
		ItemEntries:  cl.itemEntries,
		QueryEntries: cl.queryEntries,
		ItemBytes:    cl.itemBytes,
		QueryBytes:   cl.queryBytes,
	}
	for _, ti := range cl.info.Tables {
		res.Tables = append(res.Tables, c.tables[ti].info.Name)
	}
	if cl.s.Capacity > 0 {
		res.PeakUtilization = round(peakPerSecond(cl.s.Load, c.step, d)/cl.s.Capacity.Float(), 6)
	}
	if s := d.Seconds(); s > 0 {
		var total units.Units
		for _, v := range cl.s.Load {
			total += v
		}
		res.MeanLoadPerS = round(total.Float()/s, 3)
	}
	return res
}

// streamResults lists the tables' stream consumers; nil when none was
// sampled.
func (c *Collector) streamResults() []StreamResult {
	var out []StreamResult
	for i := range c.tables {
		t := &c.tables[i]
		for k := range t.consumers {
			cs := &t.consumers[k]
			out = append(out, StreamResult{
				Table: t.info.Name, Consumer: t.s.Consumers[k].Name,
				Records: cs.last.Records, Processed: cs.last.Processed, Lost: cs.last.Lost,
				Retries: cs.last.Retries, ReadUnits: cs.last.ReadUnits,
				MaxIteratorAgeS:   seconds3(cs.maxAge),
				FinalIteratorAgeS: seconds3(cs.last.IteratorAge),
			})
		}
	}
	return out
}

// availability is the availability of each 5-minute interval of a run of
// Duration d. Requests that ended at or after d (the last instant) count
// in the last interval.
func (c *Collector) availability(d sim.Time) []AvailabilityRatio {
	n := int((d + AvailabilityInterval - 1) / AvailabilityInterval)
	out := make([]AvailabilityRatio, n)
	for k := range out {
		var ended, failed int64
		if k < len(c.availEnded) {
			ended, failed = c.availEnded[k], c.availFailed[k]
		}
		if k == n-1 {
			for j := n; j < len(c.availEnded); j++ {
				ended += c.availEnded[j]
				failed += c.availFailed[j]
			}
		}
		out[k] = AvailabilityRatio{TimeS: (sim.Time(k) * AvailabilityInterval).Seconds(), Ratio: 1}
		if ended > 0 {
			out[k].Ratio = round(1-float64(failed)/float64(ended), 6)
		}
	}
	return out
}

// minAvailability is the lowest ratio of av, 1 when it is empty.
func minAvailability(av []AvailabilityRatio) float64 {
	m := 1.0
	for _, a := range av {
		m = min(m, a.Ratio)
	}
	return m
}

func (c *Collector) replicationResult(av []AvailabilityRatio) *ReplicationResult {
	r := c.repl
	rr := &ReplicationResult{
		ReplicatedWrites:     r.delivered,
		Conflicts:            r.conflicts,
		OverwrittenUpdates:   r.conflicts,
		Reads:                r.reads,
		StaleReads:           r.stale,
		StaleReadRatio:       Ratio(r.stale, r.reads),
		UnreplicatedAtOutage: r.unreplicated,
		AvailabilityMin:      minAvailability(av),
		Availability:         av,
	}
	if rr.Availability == nil {
		rr.Availability = []AvailabilityRatio{}
	}
	if l := r.lag.latency(); r.lag.count > 0 {
		rr.LagMs = LagLatency{P50: l.P50, P90: l.P90, P99: l.P99, Max: l.Max}
	}
	return rr
}

// seconds3 is t in seconds to 3 decimals (milliseconds).
func seconds3(t sim.Time) float64 { return round(t.Seconds(), 3) }

// round rounds x to the given number of decimals.
func round(x float64, decimals int) float64 {
	p := math.Pow10(decimals)
	return math.Round(x*p) / p
}

// Ratio is n/of rounded to 6 decimals, and 0 when of is 0.
func Ratio(n, of int64) float64 {
	if of == 0 {
		return 0
	}
	return round(float64(n)/float64(of), 6)
}

// millis converts virtual time to milliseconds at µs resolution.
func millis(t sim.Time) float64 { return round(t.Milliseconds(), 3) }

// units converts Units to capacity units; thousandths are exact in 3
// decimals.
func roundUnits(u units.Units) float64 { return round(u.Float(), 3) }

// ceilIndex is the number of series indexes a run of duration d spans.
func (c *Collector) ceilIndex(d sim.Time) int {
	return int((d + c.step - 1) / c.step)
}

// peakPerSecond is the busiest series index's consumption per second,
// each index over the time of the run it covers: the last index of a run
// that ends inside it (a run of 2.5 s, or of half a second) covers only
// that part, so a table's peak is never below its mean (consumption over
// the run's duration), which is an average of the same rates. Indexes
// past the end, filled by retries that finish after it, count a whole
// step.
func peakPerSecond(s []units.Units, step, d sim.Time) float64 {
	peak := 0.0
	for i, v := range s {
		covers := step
		if start := sim.Time(i) * step; start < d && d < start+step {
			covers = d - start
		}
		peak = max(peak, v.Float()/covers.Seconds())
	}
	return peak
}

// holdLastSample fills the rows after the last sample with what it said:
// capacity, burst and partitions, and the cost so far, which no longer
// grows once the run has ended, so that no row claims a table of no
// capacity that cost nothing.
func (c *Collector) holdLastSample() {
	last := c.sampled - 1
	if last < 0 {
		return
	}
	for i := last + 1; i < c.n; i++ {
		for k := range c.cost {
			c.cost[k][i] = c.cost[k][last]
		}
		for t := range c.tables {
			s := &c.tables[t].s
			s.ReadCapacity[i], s.WriteCapacity[i] = s.ReadCapacity[last], s.WriteCapacity[last]
			s.ReadBurst[i], s.WriteBurst[i] = s.ReadBurst[last], s.WriteBurst[last]
			s.Partitions[i] = s.Partitions[last]
		}
	}
	for t := range c.tables {
		c.tables[t].holdLastBurst(last)
	}
}

// holdLastBurst fills the partition points after the one of series index
// last, the last sampled, with the burst credit it held.
func (t *tableStats) holdLastBurst(last int) {
	if len(t.cur) == 0 {
		return
	}
	s := &t.s
	lp := last / t.stride
	for p := range s.PartitionReadBurst {
		rb, wb := s.PartitionReadBurst[p], s.PartitionWriteBurst[p]
		for i := lp + 1; i < len(rb); i++ {
			rb[i], wb[i] = rb[lp], wb[lp]
		}
		if t.point > lp && t.point < len(rb) {
			t.cur[p].readBurst, t.cur[p].writeBurst = rb[lp], wb[lp]
		}
	}
}
