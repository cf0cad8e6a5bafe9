package model

import (
	"github.com/ddbsim/ddbsim/model/cache"
	"github.com/ddbsim/ddbsim/model/units"
	"github.com/ddbsim/ddbsim/sim"
)

// DAX as counts: what the aggregate driver needs of a DAX cluster to
// serve a tick's requests through it (REFERENCE: dax). The driver keeps
// the item cache as counts (cache.Counted), sends the misses to the
// table through AdmitCounts as eventually consistent reads, and admits
// the tick's normalized load against the cluster's capacity here; what
// the cluster serves is recorded as the per-request path records it.

// CacheCountRecorder is a Recorder that also takes counts of like cache
// accesses, as the aggregate driver produces them. A Recorder without it
// is called once per access instead.
type CacheCountRecorder interface {
	Recorder
	// CacheN records n accesses like ev, stale of them stale; ev.Saved
	// and ev.Load are the n accesses' totals.
	CacheN(now sim.Time, ev *CacheEvent, n, stale int64)
}

// DAXOf is the index in Clusters of the cluster in front of table, and
// whether it has one.
func (s *Service) DAXOf(table int) (int, bool) {
	if c := s.tables[table].dax; c != nil {
		return c.index, true
	}
	return 0, false
}

// ItemCache is what the cluster's item cache is: its time to live and
// its budgets of entries and bytes (0: none), as AddDAX sized it.
func (c *DAXCluster) ItemCache() (ttl sim.Time, entries, bytes int64) {
	ttl, _ = c.cfg.TTLs()
	return ttl, c.itemEntries, c.itemBytes
}

// SetCountedEntries puts what a counted item cache holds in the
// cluster's samples, in place of its own LRU's (empty under the
// aggregate driver).
func (c *DAXCluster) SetCountedEntries(entries, bytes int64) {
	c.counted = true
	c.countedEntries, c.countedBytes = entries, bytes
}

// AdmitDAXCounts admits a tick's [from, to) accesses to the cluster:
// counts[i] of them at a normalized load of prices[i] each. It fills
// admitted with how many of each the cluster serves and takes their load
// from its capacity. The cluster serves every access while it has room
// for it, as daxTake does for one, so when it cannot take them all the
// cheaper ones (hits) get through more often than the dearer (misses,
// writes): its capacity is divided as a partition's is among reads and
// writes (divideBucket).
func (s *Service) AdmitDAXCounts(from, to sim.Time, cluster int, prices []units.Units, counts, admitted []int64) {
	c := s.clusters[cluster]
	cs := &s.counts
	cs.claims = cs.claims[:0]
	for i, n := range counts {
		cs.claims = append(cs.claims, claim{flow: i, n: n, cap: n, price: prices[i]})
	}
	cs.divideBucket(&c.capacity, from, max(to-from, 0), 0, cs.claims)
	var took units.Units
	for i, cl := range cs.claims {
		admitted[i] = min(cl.k, cl.n)
		took += units.Units(admitted[i]) * prices[i]
	}
	c.capacity.Take(from, took)
	c.second += took
}

// DAXThrottleN records n requests of op for table that the cluster
// refused (DAXThrottlingException), as daxThrottled records one.
func (s *Service) DAXThrottleN(now sim.Time, table, cluster int, op units.Op, n int64) {
	if n <= 0 {
		return
	}
	c := s.clusters[cluster]
	s.ev = ThrottleEvent{Table: table, Partition: -1, Op: op, Reason: DAXThrottled, Limit: LimitDAX,
		TableRate: c.capacity.Rate(), TableUnused: max(0, c.capacity.Available(now))}
	ThrottleN(s.rec, now, &s.ev, n)
	s.CacheN(now, table, cluster, CacheThrottled, n, 0, 0, 0)
}

// CacheN records n accesses of a kind to cluster for table, stale of
// them stale, saving saved read units of the table and putting load on
// the cluster in all.
func (s *Service) CacheN(now sim.Time, table, cluster int, a CacheAccess, n, stale int64, saved, load units.Units) {
	if n <= 0 {
		return
	}
	c := s.clusters[cluster]
	c.ev = CacheEvent{Table: table, Cluster: cluster, Access: a, Saved: saved, Load: load}
	if cr, ok := s.rec.(CacheCountRecorder); ok {
		cr.CacheN(now, &c.ev, n, stale)
		return
	}
	// One at a time: the totals spread over the accesses, the first
	// ones taking what does not divide.
	for i := range n {
		ev := CacheEvent{Table: table, Cluster: cluster, Access: a, Stale: i < stale,
			Saved: share(saved, n, i), Load: share(load, n, i)}
		s.rec.Cache(now, &ev)
	}
}

// share is access i's part of total divided among n.
func share(total units.Units, n, i int64) units.Units {
	q, r := total/units.Units(n), total%units.Units(n)
	if units.Units(i) < r {
		q++
	}
	return q
}

// DAXQuantile is the p-quantile of a DAX node's own time for a request.
func (s *Service) DAXQuantile(p float64) sim.Time { return s.latency.DAX.Quantile(p) }

// DAXCosts are the prices the aggregate driver counts an access to the
// cluster at, for items of itemBytes (REFERENCE: dax, sizing): the
// normalized load of a hit, a miss and a write, and what a hit saves the
// table (an eventually consistent read of the item).
func (c *DAXCluster) DAXCosts(itemBytes int) (hit, miss, write, saved units.Units) {
	kb := cache.SizeKB(itemBytes)
	return units.WholeUnits(cache.HitWeight * kb), units.WholeUnits(cache.MissWeight * kb),
		units.WholeUnits(cache.WriteWeight * kb * int64(c.cfg.Nodes)), units.ReadUnits(itemBytes, units.Eventual)
}

// PassThroughLoad is the normalized load of a read the cluster passes
// through (a strongly consistent read): a miss's, without the fill.
func PassThroughLoad() units.Units { return units.WholeUnits(cache.MissWeight) }
