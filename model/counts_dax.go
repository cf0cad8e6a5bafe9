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

// AdmitDAXLoad takes the normalized load of a tick [from, to) from the
// cluster's capacity, as far as what it holds at from and refills over
// the tick allows, and returns what it took: the requests of a tick
// arrive evenly over it, so the cluster serves them until it runs dry and
// from then on what it refills (see AdmitCounts).
func (s *Service) AdmitDAXLoad(from, to sim.Time, cluster int, load units.Units) units.Units {
	c := s.clusters[cluster]
	room := max(c.capacity.Available(from)+refillOver(&c.capacity, max(to-from, 0)), 0)
	took := min(load, room)
	c.capacity.Take(from, took)
	c.second += took
	return took
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
