package reports

import (
	"fmt"
	"slices"

	"github.com/ddbsim/ddbsim/model"
	"github.com/ddbsim/ddbsim/model/units"
	"github.com/ddbsim/ddbsim/sim"
)

// ClusterInfo describes a DAX cluster as the run configured it.
type ClusterInfo struct {
	Name     string
	NodeType string // "dax.r5.large"
	Nodes    int
	// NodeCapacity is the normalized requests per second one node
	// serves; the cluster serves Nodes times it (REFERENCE: dax, sizing).
	NodeCapacity int64
	// Tables are the indexes, in the Collector's tables, of the tables
	// the cluster serves; the first owns it (its node-hours are billed
	// there).
	Tables []int
}

// Capacity is the normalized requests per second the cluster serves.
func (ci *ClusterInfo) Capacity() int64 { return ci.NodeCapacity * int64(ci.Nodes) }

// clusterStats is one DAX cluster's counts over the run.
type clusterStats struct {
	info     ClusterInfo
	accesses [model.NumCacheAccesses]int64
	stale    int64
	saved    units.Units
	// The caches' entries and bytes when the model last sampled them.
	itemEntries, queryEntries, itemBytes, queryBytes int64
	s                                                CacheSeries
}

// SetClusters tells the collector the run's DAX clusters: cluster i of
// model.CacheEvent is clusters[i]. Without it a cluster is known by its
// index alone ("cluster 0"), from its first event. Call it before the
// run; the result has a cache section when there is at least one.
func (c *Collector) SetClusters(clusters []ClusterInfo) {
	for i, ci := range clusters {
		cl := c.cluster(i)
		cl.info = ci
		cl.info.Tables = slices.Clone(ci.Tables)
		cl.s.Name = ci.Name
		cl.s.Capacity = units.WholeUnits(ci.Capacity())
		for _, ti := range ci.Tables {
			c.cacheTable(c.table(ti))
		}
	}
}

// cluster returns cluster i's stats, adding clusters up to it.
func (c *Collector) cluster(i int) *clusterStats {
	if i < 0 {
		panic(fmt.Sprintf("reports: DAX cluster index %d", i))
	}
	for len(c.clusters) <= i {
		n := len(c.clusters)
		cl := clusterStats{info: ClusterInfo{Name: fmt.Sprintf("cluster %d", n)}}
		cl.s.Name = cl.info.Name
		for _, k := range cl.s.counts() {
			*k = make([]int64, c.n, cap(c.offered))
		}
		cl.s.Load = make([]units.Units, c.n, cap(c.offered))
		c.clusters = append(c.clusters, cl)
	}
	return &c.clusters[i]
}

// cacheTable gives table t its cache series, once.
func (c *Collector) cacheTable(t *tableStats) {
	if t.s.CacheHits == nil {
		t.s.CacheHits = make([]int64, c.n, cap(c.offered))
		t.s.CacheMisses = make([]int64, c.n, cap(c.offered))
	}
}

// Cache implements model.Recorder: one access to a DAX cluster, or one
// item of a batch_get.
func (c *Collector) Cache(now sim.Time, ev *model.CacheEvent) {
	t := c.table(ev.Table)
	if ev.Access == model.CacheNone || ev.Access >= model.NumCacheAccesses {
		panic(fmt.Sprintf("reports: cache event with access %v", ev.Access))
	}
	cl := c.cluster(ev.Cluster)
	i := c.second(now)
	cl.accesses[ev.Access]++
	s := &cl.s
	switch ev.Access {
	case model.CacheItemHit:
		s.ItemHits[i]++
	case model.CacheItemMiss:
		s.ItemMisses[i]++
	case model.CacheQueryHit:
		s.QueryHits[i]++
	case model.CacheQueryMiss:
		s.QueryMisses[i]++
	case model.CacheThrottled:
		s.Throttled[i]++
	}
	if ev.Stale {
		cl.stale++
		s.Stale[i]++
	}
	cl.saved += ev.Saved
	s.Load[i] += ev.Load
	if ev.Access.IsHit() || ev.Access.IsMiss() {
		c.cacheTable(t) // allocates once, for a table SetClusters did not name
		if ev.Access.IsHit() {
			t.s.CacheHits[i]++
		} else {
			t.s.CacheMisses[i]++
		}
	}
}

// CacheN implements model.CacheCountRecorder: n accesses like ev, stale
// of them stale, ev.Saved and ev.Load their totals, as the aggregate
// driver reports them. It is Cache called n times.
func (c *Collector) CacheN(now sim.Time, ev *model.CacheEvent, n, stale int64) {
	if n < 0 || stale < 0 || stale > n {
		panic(fmt.Sprintf("reports: %d cache accesses, %d stale", n, stale))
	}
	if n == 0 {
		return
	}
	t := c.table(ev.Table)
	if ev.Access == model.CacheNone || ev.Access >= model.NumCacheAccesses {
		panic(fmt.Sprintf("reports: cache event with access %v", ev.Access))
	}
	cl := c.cluster(ev.Cluster)
	i := c.second(now)
	cl.accesses[ev.Access] += n
	s := &cl.s
	switch ev.Access {
	case model.CacheItemHit:
		s.ItemHits[i] += n
	case model.CacheItemMiss:
		s.ItemMisses[i] += n
	case model.CacheQueryHit:
		s.QueryHits[i] += n
	case model.CacheQueryMiss:
		s.QueryMisses[i] += n
	case model.CacheThrottled:
		s.Throttled[i] += n
	}
	cl.stale += stale
	s.Stale[i] += stale
	cl.saved += ev.Saved
	s.Load[i] += ev.Load
	if ev.Access.IsHit() || ev.Access.IsMiss() {
		c.cacheTable(t)
		if ev.Access.IsHit() {
			t.s.CacheHits[i] += n
		} else {
			t.s.CacheMisses[i] += n
		}
	}
}
