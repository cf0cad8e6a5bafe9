package model

import (
	"fmt"

	"github.com/ddbsim/ddbsim/model/cache"
	"github.com/ddbsim/ddbsim/model/capacity"
	"github.com/ddbsim/ddbsim/model/store"
	"github.com/ddbsim/ddbsim/model/units"
	"github.com/ddbsim/ddbsim/sim"
)

// DAX, the in-memory cache in front of tables (REFERENCE: dax).

// DAXCluster is one DAX cluster: its caches, its capacity, and the tables
// it serves.
type DAXCluster struct {
	index  int
	cfg    cache.ClusterConfig
	node   cache.NodeType
	tables []int

	items, queries *cache.LRU
	// capacity meters normalized load: one second of the cluster's
	// capacity, in thousandths of a normalized request.
	capacity capacity.TokenBucket
	second   units.Units // load since the last sample
	state    CacheState
	// written is the tables' write count at each collection's last
	// write, for cached query results (see wrote).
	written map[uint64]uint64
	ev      CacheEvent // reused

	// The item cache's budgets, and, under the aggregate driver, what its
	// counted cache holds (SetCountedEntries).
	itemEntries, itemBytes       int64
	counted                      bool
	countedEntries, countedBytes int64
}

// Config is the cluster's configuration.
func (c *DAXCluster) Config() cache.ClusterConfig { return c.cfg }

// NodeType is the cluster's node type.
func (c *DAXCluster) NodeType() cache.NodeType { return c.node }

// Tables are the service indexes of the tables the cluster serves; the
// first owns it (its node-hours are billed there).
func (c *DAXCluster) Tables() []int { return c.tables }

// Capacity is the normalized requests per second the cluster serves: its
// node type's capacity times its nodes (REFERENCE: dax, sizing).
func (c *DAXCluster) Capacity() int64 { return c.node.Capacity * int64(c.cfg.Nodes) }

// AddDAX puts a DAX cluster in front of the given tables (service table
// indexes) and returns its index in Clusters. A table has at most one
// cluster; index tables cannot have one.
func (s *Service) AddDAX(cfg cache.ClusterConfig, tables []int) (int, error) {
	if err := cfg.Validate(); err != nil {
		return 0, err
	}
	node, _ := cache.LookupNodeType(cfg.NodeType)
	if len(tables) == 0 {
		return 0, fmt.Errorf("DAX cluster %s serves no table", cfg.Name)
	}
	c := &DAXCluster{index: len(s.clusters), cfg: cfg, node: node, tables: tables, written: map[uint64]uint64{}}
	itemTTL, queryTTL := cfg.TTLs()
	itemBytes, queryBytes := cfg.Budgets(node, s.params.DAXCacheMemory, s.params.DAXItemCacheShare)
	c.items = cache.NewLRU(itemTTL, cfg.ItemCacheItems, itemBytes)
	c.itemEntries, c.itemBytes = cfg.ItemCacheItems, itemBytes
	c.queries = cache.NewLRU(queryTTL, cfg.QueryCacheItems, queryBytes)
	rate := units.WholeUnits(c.Capacity())
	c.capacity = capacity.NewFreshBucket(0, rate, rate)
	c.state = CacheState{Cluster: c.index, Capacity: rate}
	for _, ti := range tables {
		if ti < 0 || ti >= len(s.tables) {
			return 0, fmt.Errorf("DAX cluster %s: no table %d", cfg.Name, ti)
		}
		t := s.tables[ti]
		if t.base != nil {
			return 0, fmt.Errorf("DAX cluster %s: %s is an index, not a table", cfg.Name, t.cfg.Name)
		}
		if t.dax != nil {
			return 0, fmt.Errorf("DAX cluster %s: table %s already has cluster %s", cfg.Name, t.cfg.Name, t.dax.cfg.Name)
		}
	}
	for _, ti := range tables {
		s.tables[ti].dax = c
	}
	s.clusters = append(s.clusters, c)
	return c.index, nil
}

// Clusters returns the service's DAX clusters, in the order added.
func (s *Service) Clusters() []*DAXCluster { return s.clusters }

// handleDAX serves a request sent through cluster c (REFERENCE: dax):
// eventually consistent GetItem and BatchGetItem parts from the item
// cache, Query and Scan from the query cache, misses from the table (read
// eventually consistent) filling the caches; writes go to the table and
// then, once applied, into the item cache (write-through), leaving the
// query cache as it was; strongly consistent reads and transactional
// reads pass through. Each request first takes its normalized load from
// the cluster's capacity, and is throttled when the cluster has none left.
func (s *Service) handleDAX(now sim.Time, req *Request, c *DAXCluster) Response {
	switch req.Op {
	case units.OpGet:
		if req.Consistency == units.Strong {
			break
		}
		return s.daxGet(now, req, c)
	case units.OpQuery, units.OpScan:
		if req.Consistency == units.Strong {
			break
		}
		return s.daxQuery(now, req, c)
	case units.OpBatchGet:
		if req.Consistency == units.Strong {
			break
		}
		return s.daxBatchGet(now, req, c)
	case units.OpPut, units.OpUpdate, units.OpDelete, units.OpBatchWrite, units.OpTransactWrite:
		return s.daxWrite(now, req, c)
	}
	// Pass through: a miss's load, without the fill.
	if !s.daxTake(now, req, c, cache.MissWeight, cache.MissWeight) {
		return s.daxThrottled(now, req, c)
	}
	resp := s.serve(now, req)
	resp.Latency += s.latency.DAXTime(s.rng)
	resp.Cache = CachePassThrough
	s.daxRecord(now, req.Table, c, CachePassThrough, false, 0, cache.MissWeight)
	return resp
}

// daxTake takes load normalized requests from the cluster's capacity at
// now, when it has at least need left.
func (s *Service) daxTake(now sim.Time, req *Request, c *DAXCluster, need, load int64) bool {
	if !c.capacity.CanTake(now, units.WholeUnits(need)) {
		return false
	}
	c.capacity.Take(now, units.WholeUnits(load))
	c.second += units.WholeUnits(load)
	return true
}

// daxThrottled answers a request the cluster has no capacity for with
// ThrottlingException, which the SDKs retry as a throttle.
func (s *Service) daxThrottled(now sim.Time, req *Request, c *DAXCluster) Response {
	s.ev = ThrottleEvent{Table: req.Table, Partition: -1, Op: req.Op, Reason: DAXThrottled, Limit: LimitDAX,
		TableRate: c.capacity.Rate(), TableUnused: max(0, c.capacity.Available(now))}
	s.rec.Throttle(now, &s.ev)
	s.daxRecord(now, req.Table, c, CacheThrottled, false, 0, 0)
	return Response{Reason: DAXThrottled, Cache: CacheThrottled, Latency: s.latency.DAXTime(s.rng)}
}

func (s *Service) daxRecord(now sim.Time, table int, c *DAXCluster, a CacheAccess, stale bool, saved units.Units, load int64) {
	c.ev = CacheEvent{Table: table, Cluster: c.index, Access: a, Stale: stale, Saved: saved, Load: units.WholeUnits(load)}
	s.rec.Cache(now, &c.ev)
}

// itemKey is the item cache's key for an item of a table.
func itemKey(table int, pkHash uint64, sk int64) uint64 {
	return store.Mix64(store.ItemHash(pkHash, sk) ^ uint64(table+1)*0xd6e8feb86659fd93)
}

// itemVersion is what an item cache entry remembers of an item: its write
// version, 0 for a missing item.
func itemVersion(ver uint16, found bool) uint64 {
	if !found {
		return 0
	}
	return uint64(ver) + 1
}

// daxGet serves an eventually consistent GetItem from the item cache.
func (s *Service) daxGet(now sim.Time, req *Request, c *DAXCluster) Response {
	st := s.tables[req.Table].store
	pkHash := store.HashKey(req.Key)
	key := itemKey(req.Table, pkHash, req.SortIndex)
	size, ver, _, found := st.ItemVersion(req.Key, req.SortIndex)
	if e := c.items.Lookup(now, key); e != nil {
		load := cache.HitWeight * cache.SizeKB(e.Size())
		if !s.daxTake(now, req, c, load, load) {
			return s.daxThrottled(now, req, c)
		}
		stale := e.Version() != itemVersion(ver, found)
		s.daxRecord(now, req.Table, c, CacheItemHit, stale, units.ReadUnits(e.Size(), units.Eventual), load)
		return Response{Cache: CacheItemHit, Latency: s.latency.DAXTime(s.rng)}
	}
	load := cache.MissWeight * cache.SizeKB(size)
	if !s.daxTake(now, req, c, load, load) {
		return s.daxThrottled(now, req, c)
	}
	consistency := req.Consistency
	req.Consistency = units.Eventual
	resp := s.serve(now, req)
	req.Consistency = consistency
	resp.Latency += s.latency.DAXTime(s.rng)
	resp.Cache = CacheItemMiss
	if resp.Admitted() {
		// Negative caching: a missing item is cached as missing.
		c.items.Fill(now, key, itemVersion(ver, found), size, found)
	}
	s.daxRecord(now, req.Table, c, CacheItemMiss, false, 0, load)
	return resp
}

// queryKey is the query cache's key: the exact request (REFERENCE: dax,
// "keyed by the exact request").
func queryKey(req *Request) uint64 {
	h := store.Mix64(uint64(req.Table+1)*0x9e3779b97f4a7c15 ^ uint64(req.Index)<<8 ^ uint64(req.Op))
	if req.Op == units.OpScan {
		h = req.Cursor.Fingerprint(h)
	} else {
		h = store.Mix64(h ^ store.HashKey(req.Key) ^ store.Mix64(uint64(req.SortFrom)+0x632be59bd9b4e019))
	}
	return store.Mix64(h ^ uint64(req.Limit)*0xbf58476d1ce4e5b9)
}

// queryVersion is what a query cache entry remembers of the data a query
// read: the last write to the item collection (or, for a global index,
// to the index value's entries), and for a scan the last write to the
// table. A write anywhere in a collection counts, even outside the sort
// keys a query read: DAX would not see such a write either, so a result
// flagged stale is stale or at worst identical.
func (s *Service) queryVersion(req *Request, c *DAXCluster) uint64 {
	t := s.tables[req.Table]
	if req.Op == units.OpScan {
		return t.store.Writes()
	}
	if req.Index > 0 && !t.cfg.Indexes[req.Index-1].Local {
		g := t.indexes[req.Index-1].gsi
		if v := store.SyntheticIndex(req.Key); v >= 0 && v < int64(len(g.values)) {
			return g.values[v].written
		}
		return 0
	}
	return c.written[collectionKey(req.Table, store.HashKey(req.Key))]
}

// collectionKey names an item collection of a table in written.
func collectionKey(table int, pkHash uint64) uint64 {
	return store.Mix64(pkHash ^ uint64(table+1)*0x9e3779b97f4a7c15)
}

// daxQuery serves an eventually consistent Query or Scan from the query
// cache. A hit on a scan still moves the client's cursor, as the page it
// returns says where the next starts.
func (s *Service) daxQuery(now sim.Time, req *Request, c *DAXCluster) Response {
	key := queryKey(req)
	version := s.queryVersion(req, c)
	if e := c.queries.Lookup(now, key); e != nil {
		load := cache.HitWeight * cache.SizeKB(e.Size())
		if !s.daxTake(now, req, c, load, load) {
			return s.daxThrottled(now, req, c)
		}
		if req.Op == units.OpScan {
			s.advanceScan(req)
		}
		s.daxRecord(now, req.Table, c, CacheQueryHit, e.Version() != version, units.QueryUnits(e.Size(), units.Eventual), load)
		return Response{Cache: CacheQueryHit, Latency: s.latency.DAXTime(s.rng)}
	}
	if !s.daxTake(now, req, c, cache.MissWeight, 0) {
		return s.daxThrottled(now, req, c)
	}
	consistency := req.Consistency
	req.Consistency = units.Eventual
	resp := s.serve(now, req)
	req.Consistency = consistency
	resp.Latency += s.latency.DAXTime(s.rng)
	resp.Cache = CacheQueryMiss
	load := cache.MissWeight * cache.SizeKB(resp.readBytes)
	c.capacity.Take(now, units.WholeUnits(load))
	c.second += units.WholeUnits(load)
	if resp.Admitted() {
		c.queries.Fill(now, key, version, resp.readBytes, true)
	}
	s.daxRecord(now, req.Table, c, CacheQueryMiss, false, 0, load)
	return resp
}

// advanceScan moves a scan's cursor past the page it would read, without
// charging anyone: the page came from the query cache.
func (s *Service) advanceScan(req *Request) {
	t := s.tables[req.Table]
	if req.Index > 0 && !t.cfg.Indexes[req.Index-1].Local {
		t.indexes[req.Index-1].gsi.scan(req.Cursor, req.Limit)
		return
	}
	t.store.ScanSized(req.Cursor, req.Limit)
}

// daxBatchGet serves an eventually consistent BatchGetItem part by part:
// hits from the item cache, the misses as one batch to the table. The
// misses go to the front of req.Items, so the table's unprocessed parts,
// at the front of those, are what the client re-sends.
func (s *Service) daxBatchGet(now sim.Time, req *Request, c *DAXCluster) Response {
	st := s.tables[req.Table].store
	items := req.Items
	var load, missLoad int64
	misses := 0
	for i := range items {
		it := &items[i]
		key := itemKey(req.Table, store.HashKey(it.Key), it.SortIndex)
		if e := c.items.Lookup(now, key); e != nil {
			load += cache.HitWeight * cache.SizeKB(e.Size())
			continue
		}
		size, _ := st.SizeOf(it.Key, it.SortIndex)
		missLoad += cache.MissWeight * cache.SizeKB(size)
		items[misses], items[i] = items[i], items[misses]
		misses++
	}
	if !s.daxTake(now, req, c, load+missLoad, load+missLoad) {
		return s.daxThrottled(now, req, c)
	}
	for i := misses; i < len(items); i++ {
		it := &items[i]
		e := c.items.Lookup(now, itemKey(req.Table, store.HashKey(it.Key), it.SortIndex))
		_, ver, _, found := st.ItemVersion(it.Key, it.SortIndex)
		s.daxRecord(now, req.Table, c, CacheItemHit, e.Version() != itemVersion(ver, found),
			units.ReadUnits(e.Size(), units.Eventual), cache.HitWeight*cache.SizeKB(e.Size()))
	}
	lat := s.latency.DAXTime(s.rng)
	if misses == 0 {
		return Response{Cache: CacheItemHit, Latency: lat}
	}
	consistency := req.Consistency
	req.Consistency, req.Items = units.Eventual, items[:misses]
	resp := s.serve(now, req)
	req.Consistency, req.Items = consistency, items
	resp.Latency += lat
	resp.Cache = CacheItemMiss
	for i := range misses {
		it := &items[i]
		size, ver, _, found := st.ItemVersion(it.Key, it.SortIndex)
		if i >= resp.Unprocessed {
			c.items.Fill(now, itemKey(req.Table, store.HashKey(it.Key), it.SortIndex), itemVersion(ver, found), size, found)
		}
		s.daxRecord(now, req.Table, c, CacheItemMiss, false, 0, cache.MissWeight*cache.SizeKB(size))
	}
	return resp
}

// daxWrite sends a write through the cluster to the table and, once the
// table has applied it, writes the items into the item cache.
func (s *Service) daxWrite(now sim.Time, req *Request, c *DAXCluster) Response {
	st := s.tables[req.Table].store
	nodes := int64(c.cfg.Nodes)
	var load int64
	if len(req.Items) > 0 {
		for i := range req.Items {
			load += cache.WriteWeight * cache.SizeKB(req.Items[i].Size) * nodes
		}
	} else {
		load = cache.WriteWeight * cache.SizeKB(req.Size) * nodes
	}
	if !s.daxTake(now, req, c, load, load) {
		return s.daxThrottled(now, req, c)
	}
	resp := s.serve(now, req)
	resp.Latency += s.latency.DAXTime(s.rng)
	resp.Cache = CacheWrite
	s.daxRecord(now, req.Table, c, CacheWrite, false, 0, load)
	if !resp.Admitted() || resp.Error != NoError {
		return resp
	}
	fill := func(pk []byte, sk int64) {
		size, ver, _, found := st.ItemVersion(pk, sk)
		c.items.Fill(now, itemKey(req.Table, store.HashKey(pk), sk), itemVersion(ver, found), size, found)
	}
	if len(req.Items) == 0 {
		fill(req.Key, req.SortIndex)
		return resp
	}
	for i := resp.Unprocessed; i < len(req.Items); i++ {
		fill(req.Items[i].Key, req.Items[i].SortIndex)
	}
	return resp
}

// sampleCache fills the cluster's state for the timeline.
func (c *DAXCluster) sample() *CacheState {
	st := &c.state
	st.Load, c.second = c.second, 0
	st.ItemEntries, st.QueryEntries = c.items.Len(), c.queries.Len()
	st.ItemBytes, st.QueryBytes = c.items.Bytes(), c.queries.Bytes()
	if c.counted {
		st.ItemEntries, st.ItemBytes = c.countedEntries, c.countedBytes
	}
	return st
}
