package model

import (
	"fmt"

	"github.com/ddbsim/ddbsim/model/capacity"

	"github.com/ddbsim/ddbsim/model/store"

	"github.com/ddbsim/ddbsim/model/units"

	"github.com/ddbsim/ddbsim/sim"
)

// DAX, the in-memory cache in front of tables (REFERENCE: dax).

// DAXNodeType is a DAX node type: the memory its caches share and the
// normalized requests per second one node serves (REFERENCE: dax,
// sizing).
type DAXNodeType struct {
	Name     string
	Memory   int64 // bytes
	Capacity int64 // normalized requests per second per node
}

// daxNodeTypes lists the node types. The r5 capacities are REFERENCE's
// (dax: "r5.large 75k, r5.xlarge 150k, r5.2xlarge 300k, r5.4xlarge 600k,
// r5.8xlarge+ 1M"). The t3 capacities are not published: ddbsim assumes
// a third (t3.small) and a half (t3.medium) of an r5.large, their share
// of its memory being smaller still. Memory is each type's published
// RAM; DAXParams.CacheMemoryShare of it holds cache.
var daxNodeTypes = []DAXNodeType{
	{"dax.t3.small", 2 << 30, 25_000},
	{"dax.t3.medium", 4 << 30, 37_500},
	{"dax.r5.large", 16 << 30, 75_000},
	{"dax.r5.xlarge", 32 << 30, 150_000},
	{"dax.r5.2xlarge", 64 << 30, 300_000},
	{"dax.r5.4xlarge", 128 << 30, 600_000},
	{"dax.r5.8xlarge", 256 << 30, 1_000_000},
	{"dax.r5.12xlarge", 384 << 30, 1_000_000},
	{"dax.r5.16xlarge", 512 << 30, 1_000_000},
}

// DAXNodeTypes returns the node types the model knows, smallest first.
func DAXNodeTypes() []DAXNodeType { return append([]DAXNodeType(nil), daxNodeTypes...) }

// LookupDAXNodeType returns the named node type ("dax.r5.large"; the
// "dax." prefix may be left out).
func LookupDAXNodeType(name string) (DAXNodeType, bool) {
	for _, t := range daxNodeTypes {
		if t.Name == name || t.Name == "dax."+name {
			return t, true
		}
	}
	return DAXNodeType{}, false
}

// MaxDAXNodes is the most nodes a cluster has: one primary and up to ten
// read replicas (REFERENCE: dax).
const MaxDAXNodes = 11

// DefaultDAXTTL is the item and query caches' default time to live
// (REFERENCE: dax).
const DefaultDAXTTL = 5 * sim.Minute

// DAXConfig describes a DAX cluster as a scenario declares it.
type DAXConfig struct {
	Name     string
	Nodes    int    // 1 to MaxDAXNodes
	NodeType string // a DAXNodeTypes name
	// ItemTTL and QueryTTL are the caches' times to live; 0 gives
	// DefaultDAXTTL.
	ItemTTL, QueryTTL sim.Time
	// ItemCacheItems and QueryCacheItems, when above 0, fix each cache's
	// size in entries instead of sizing it from the node type's memory:
	// for teaching, and for comparing with cache theory.
	ItemCacheItems, QueryCacheItems int64
}

// Validate checks the node count and type.
func (c DAXConfig) Validate() error {
	if c.Nodes < 1 || c.Nodes > MaxDAXNodes {
		return fmt.Errorf("DAX cluster %s: %d nodes; a cluster has 1 to %d", c.Name, c.Nodes, MaxDAXNodes)
	}
	if _, ok := LookupDAXNodeType(c.NodeType); !ok {
		return fmt.Errorf("DAX cluster %s: unknown node type %q", c.Name, c.NodeType)
	}
	return nil
}

// DAXCluster is one DAX cluster: its caches, its capacity, and the tables
// it serves.
type DAXCluster struct {
	index  int
	cfg    DAXConfig
	node   DAXNodeType
	tables []int

	items, queries *lru
	// capacity meters normalized load: one second of the cluster's
	// capacity, in thousandths of a normalized request.
	capacity capacity.TokenBucket
	second   units.Units // load since the last sample
	state    CacheState
	// written is the tables' write count at each collection's last
	// write, for cached query results (see wrote).
	written map[uint64]uint64
	ev      CacheEvent // reused
}

// Config is the cluster's configuration.
func (c *DAXCluster) Config() DAXConfig { return c.cfg }

// NodeType is the cluster's node type.
func (c *DAXCluster) NodeType() DAXNodeType { return c.node }

// Tables are the service indexes of the tables the cluster serves; the
// first owns it (its node-hours are billed there).
func (c *DAXCluster) Tables() []int { return c.tables }

// Capacity is the normalized requests per second the cluster serves: its
// node type's capacity times its nodes (REFERENCE: dax, sizing).
func (c *DAXCluster) Capacity() int64 { return c.node.Capacity * int64(c.cfg.Nodes) }

// AddDAX puts a DAX cluster in front of the given tables (service table
// indexes) and returns its index in Clusters. A table has at most one
// cluster; index tables cannot have one.
func (s *Service) AddDAX(cfg DAXConfig, tables []int) (int, error) {
	if err := cfg.Validate(); err != nil {
		return 0, err
	}
	node, _ := LookupDAXNodeType(cfg.NodeType)
	if len(tables) == 0 {
		return 0, fmt.Errorf("DAX cluster %s serves no table", cfg.Name)
	}
	c := &DAXCluster{index: len(s.clusters), cfg: cfg, node: node, tables: tables, written: map[uint64]uint64{}}
	itemTTL, queryTTL := cfg.ItemTTL, cfg.QueryTTL
	if itemTTL <= 0 {
		itemTTL = DefaultDAXTTL
	}
	if queryTTL <= 0 {
		queryTTL = DefaultDAXTTL
	}
	// A cache sized in entries ignores memory; otherwise the node's
	// cache memory is divided between the two (see Params).
	memory := float64(node.Memory) * s.params.DAXCacheMemory
	itemBytes := int64(memory * s.params.DAXItemCacheShare)
	queryBytes := int64(memory) - itemBytes
	if cfg.ItemCacheItems > 0 {
		itemBytes = 0
	}
	if cfg.QueryCacheItems > 0 {
		queryBytes = 0
	}
	c.items = newLRU(itemTTL, cfg.ItemCacheItems, itemBytes)
	c.queries = newLRU(queryTTL, cfg.QueryCacheItems, queryBytes)
	rate := units.WholeUnits(c.Capacity())
	c.capacity = capacity.NewTokenBucket(rate, rate)
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

// The DAX sizing rule's weights (REFERENCE: dax, sizing): a cache miss
// costs the cluster about ten times a hit, a write about twenty-five
// times, on every node, since each node keeps its copy of the item cache.
// Reads DAX passes through (strongly consistent reads, transactions) are
// weighed as misses: the node does a miss's work without the fill.
const (
	daxHitWeight   = 1
	daxMissWeight  = 10
	daxWriteWeight = 25
)

// daxKB is an item or result's size in whole KB, at least one, as the
// sizing rule counts it.
func daxKB(size int) int64 { return max(1, (int64(size)+1023)/1024) }

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
	if !s.daxTake(now, req, c, daxMissWeight, daxMissWeight) {
		return s.daxThrottled(now, req, c)
	}
	resp := s.serve(now, req)
	resp.Latency += s.latency.DAXTime(s.rng)
	resp.Cache = CachePassThrough
	s.daxRecord(now, req.Table, c, CachePassThrough, false, 0, daxMissWeight)
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
	return store.Mix64(itemHash(pkHash, sk) ^ uint64(table+1)*0xd6e8feb86659fd93)
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
	if e := c.items.lookup(now, key); e != nil {
		load := daxHitWeight * daxKB(int(e.size))
		if !s.daxTake(now, req, c, load, load) {
			return s.daxThrottled(now, req, c)
		}
		stale := e.version != itemVersion(ver, found)
		s.daxRecord(now, req.Table, c, CacheItemHit, stale, units.ReadUnits(int(e.size), units.Eventual), load)
		return Response{Cache: CacheItemHit, Latency: s.latency.DAXTime(s.rng)}
	}
	load := daxMissWeight * daxKB(size)
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
		c.items.fill(now, key, itemVersion(ver, found), size, found)
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
		if v := syntheticIndex(req.Key); v >= 0 && v < int64(len(g.values)) {
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

// wrote notes a write to the collection under pkHash of a table the
// cluster serves, through DAX or not, for the staleness of cached query
// results. Only tables with a cluster keep this, one entry per collection
// written.
func (t *Table) wrote(pkHash uint64) {
	if c := t.dax; c != nil {
		c.written[collectionKey(t.index, pkHash)] = t.store.Writes()
	}
}

// daxQuery serves an eventually consistent Query or Scan from the query
// cache. A hit on a scan still moves the client's cursor, as the page it
// returns says where the next starts.
func (s *Service) daxQuery(now sim.Time, req *Request, c *DAXCluster) Response {
	key := queryKey(req)
	version := s.queryVersion(req, c)
	if e := c.queries.lookup(now, key); e != nil {
		load := daxHitWeight * daxKB(int(e.size))
		if !s.daxTake(now, req, c, load, load) {
			return s.daxThrottled(now, req, c)
		}
		if req.Op == units.OpScan {
			s.advanceScan(req)
		}
		s.daxRecord(now, req.Table, c, CacheQueryHit, e.version != version, units.QueryUnits(int(e.size), units.Eventual), load)
		return Response{Cache: CacheQueryHit, Latency: s.latency.DAXTime(s.rng)}
	}
	if !s.daxTake(now, req, c, daxMissWeight, 0) {
		return s.daxThrottled(now, req, c)
	}
	consistency := req.Consistency
	req.Consistency = units.Eventual
	resp := s.serve(now, req)
	req.Consistency = consistency
	resp.Latency += s.latency.DAXTime(s.rng)
	resp.Cache = CacheQueryMiss
	load := daxMissWeight * daxKB(resp.readBytes)
	c.capacity.Take(now, units.WholeUnits(load))
	c.second += units.WholeUnits(load)
	if resp.Admitted() {
		c.queries.fill(now, key, version, resp.readBytes, true)
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
		if e := c.items.lookup(now, key); e != nil {
			load += daxHitWeight * daxKB(int(e.size))
			continue
		}
		size, _ := st.SizeOf(it.Key, it.SortIndex)
		missLoad += daxMissWeight * daxKB(size)
		items[misses], items[i] = items[i], items[misses]
		misses++
	}
	if !s.daxTake(now, req, c, load+missLoad, load+missLoad) {
		return s.daxThrottled(now, req, c)
	}
	for i := misses; i < len(items); i++ {
		it := &items[i]
		e := c.items.lookup(now, itemKey(req.Table, store.HashKey(it.Key), it.SortIndex))
		_, ver, _, found := st.ItemVersion(it.Key, it.SortIndex)
		s.daxRecord(now, req.Table, c, CacheItemHit, e.version != itemVersion(ver, found),
			units.ReadUnits(int(e.size), units.Eventual), daxHitWeight*daxKB(int(e.size)))
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
			c.items.fill(now, itemKey(req.Table, store.HashKey(it.Key), it.SortIndex), itemVersion(ver, found), size, found)
		}
		s.daxRecord(now, req.Table, c, CacheItemMiss, false, 0, daxMissWeight*daxKB(size))
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
			load += daxWriteWeight * daxKB(req.Items[i].Size) * nodes
		}
	} else {
		load = daxWriteWeight * daxKB(req.Size) * nodes
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
		c.items.fill(now, itemKey(req.Table, store.HashKey(pk), sk), itemVersion(ver, found), size, found)
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
	return st
}

// DAXNormalizedLoad is the sizing rule's normalized requests per second
// (REFERENCE: dax, sizing): hits x KB + misses x KB x 10 + writes x KB x
// 25 x nodes, for items of itemKB KB.
func DAXNormalizedLoad(hits, misses, writes, itemKB float64, nodes int) float64 {
	return hits*itemKB*daxHitWeight + misses*itemKB*daxMissWeight + writes*itemKB*daxWriteWeight*float64(nodes)
}
