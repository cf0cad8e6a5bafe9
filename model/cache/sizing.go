package cache

import (
	"fmt"
	"math"

	"github.com/ddbsim/ddbsim/sim"
)

// DAXNodeType is a DAX node type: the memory its caches share and the
// normalized requests per second one node serves (REFERENCE: dax,
// sizing).
type NodeType struct {
	Name     string
	Memory   int64 // bytes
	Capacity int64 // normalized requests per second per node
}

// daxNodeTypes lists the node types the DAX pricing page lists for
// us-east-1: the current r5 and t3 generations and the previous r4 and t2
// (REFERENCE: dax). The r5 capacities are REFERENCE's (dax: "r5.large
// 75k, r5.xlarge 150k, r5.2xlarge 300k, r5.4xlarge 600k, r5.8xlarge+
// 1M"), r5.24xlarge included: the sizing guide's table (S28,
// dax-cluster-sizing.html, "Approximating cluster throughput capacity by
// node type") gives it 1M a node, 768 GB, since a node tops out at a
// million normalized requests a second. The t3 and t2 capacities are not
// published (the guide leaves burstable types out): ddbsim assumes a
// third (small) and a half (medium) of an r5.large, their share of its
// memory being smaller still. The r4 capacities are not published either:
// ddbsim gives each the capacity of the r5 of its size. Memory is each
// type's published RAM; DAXParams.CacheMemoryShare of it holds cache.
var nodeTypes = []NodeType{
	{"dax.t2.small", 2 << 30, 25_000},
	{"dax.t2.medium", 4 << 30, 37_500},
	{"dax.t3.small", 2 << 30, 25_000},
	{"dax.t3.medium", 4 << 30, 37_500},
	{"dax.r4.large", 15616 << 20, 75_000}, // 15.25 GiB
	{"dax.r4.xlarge", 31232 << 20, 150_000},
	{"dax.r4.2xlarge", 62464 << 20, 300_000},
	{"dax.r4.4xlarge", 124928 << 20, 600_000},
	{"dax.r4.8xlarge", 249856 << 20, 1_000_000},
	{"dax.r4.16xlarge", 499712 << 20, 1_000_000},
	{"dax.r5.large", 16 << 30, 75_000},
	{"dax.r5.xlarge", 32 << 30, 150_000},
	{"dax.r5.2xlarge", 64 << 30, 300_000},
	{"dax.r5.4xlarge", 128 << 30, 600_000},
	{"dax.r5.8xlarge", 256 << 30, 1_000_000},
	{"dax.r5.12xlarge", 384 << 30, 1_000_000},
	{"dax.r5.16xlarge", 512 << 30, 1_000_000},
	{"dax.r5.24xlarge", 768 << 30, 1_000_000},
}

// DAXNodeTypes returns the node types the model knows: by family, the
// previous generation first, and smallest first within a family.
func NodeTypes() []NodeType { return append([]NodeType(nil), nodeTypes...) }

// LookupDAXNodeType returns the named node type ("dax.r5.large"; the
// "dax." prefix may be left out).
func LookupNodeType(name string) (NodeType, bool) {
	for _, t := range nodeTypes {
		if t.Name == name || t.Name == "dax."+name {
			return t, true
		}
	}
	return NodeType{}, false
}

// MaxDAXNodes is the most nodes a cluster has: one primary and up to ten
// read replicas (REFERENCE: dax).
const MaxNodes = 11

// DefaultDAXTTL is the item and query caches' default time to live
// (REFERENCE: dax).
const DefaultTTL = 5 * sim.Minute

// DAXConfig describes a DAX cluster as a scenario declares it.
type ClusterConfig struct {
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

// TTLs are the item and query caches' times to live, DefaultTTL where
// the configuration leaves one unset.
func (c ClusterConfig) TTLs() (item, query sim.Time) {
	item, query = c.ItemTTL, c.QueryTTL
	if item <= 0 {
		item = DefaultTTL
	}
	if query <= 0 {
		query = DefaultTTL
	}
	return item, query
}

// Budgets divides a node's memory between the two caches: the share
// cacheMemory of it holds cache, itemShare of that the item cache and the
// rest the query cache (see model.Params). A cache sized in entries
// (ItemCacheItems, QueryCacheItems) ignores memory: its budget is 0.
func (c ClusterConfig) Budgets(node NodeType, cacheMemory, itemShare float64) (itemBytes, queryBytes int64) {
	memory := float64(node.Memory) * cacheMemory
	itemBytes = int64(memory * itemShare)
	queryBytes = int64(memory) - itemBytes
	if c.ItemCacheItems > 0 {
		itemBytes = 0
	}
	if c.QueryCacheItems > 0 {
		queryBytes = 0
	}
	return itemBytes, queryBytes
}

// Validate checks the node count and type.
func (c ClusterConfig) Validate() error {
	if c.Nodes < 1 || c.Nodes > MaxNodes {
		return fmt.Errorf("DAX cluster %s: %d nodes; a cluster has 1 to %d", c.Name, c.Nodes, MaxNodes)
	}
	if _, ok := LookupNodeType(c.NodeType); !ok {
		return fmt.Errorf("DAX cluster %s: unknown node type %q", c.Name, c.NodeType)
	}
	return nil
}

// The DAX sizing rule's weights (REFERENCE: dax, sizing): a cache miss
// costs the cluster about ten times a hit, a write about twenty-five
// times, on every node, since each node keeps its copy of the item cache.
// Reads DAX passes through (strongly consistent reads, transactions) are
// weighed as misses: the node does a miss's work without the fill.
const (
	HitWeight   = 1
	MissWeight  = 10
	WriteWeight = 25
)

// daxKB is an item or result's size in whole KB, at least one, as the
// sizing rule counts it.
func SizeKB(size int) int64 { return max(1, (int64(size)+1023)/1024) }

// DAXNormalizedLoad is the sizing rule's normalized requests per second
// (REFERENCE: dax, sizing): hits x KB + misses x KB x 10 + writes x KB x
// 25 x nodes, for items of itemKB KB.
func NormalizedLoad(hits, misses, writes, itemKB float64, nodes int) float64 {
	return hits*itemKB*HitWeight + misses*itemKB*MissWeight + writes*itemKB*WriteWeight*float64(nodes)
}

// Headroom is the margin the DAX sizing guide keeps above a workload's
// normalized load (REFERENCE: dax, sizing; S28 dax-cluster-sizing.html,
// "Calculating approximate cluster capacity requirements"): the cluster
// runs at or below TargetUtilization ("ideally ... at or below 70%",
// a factor of 1.43), and, with NodeLoss, the other nodes absorb a failed
// node's share (a factor of nodes/(nodes-1): 1.5 for three nodes, 1.1 for
// eleven). The guide multiplies the normalized load by the greater factor
// to get the target requests per second the cluster must serve.
type Headroom struct {
	TargetUtilization float64 // (0, 1]; 1 keeps no utilisation margin
	NodeLoss          bool
}

// GuideHeadroom is the sizing guide's reading, and ddbsim's default: a 70%
// utilisation target and a node's loss tolerated. Headroom{1, false} is
// the bare rule (normalized load within capacity), the other reading.
var GuideHeadroom = Headroom{TargetUtilization: 0.70, NodeLoss: true}

// Factor is the multiplier on a cluster of nodes' normalized load: the
// greater of 1/TargetUtilization and, with NodeLoss, nodes/(nodes-1). A
// one-node cluster cannot lose a node and keep serving, so with NodeLoss
// its factor is +Inf: the guide's method never picks it.
func (h Headroom) Factor(nodes int) float64 {
	f := 1.0
	if h.TargetUtilization > 0 {
		f = 1 / h.TargetUtilization
	}
	if h.NodeLoss {
		if nodes <= 1 {
			return math.Inf(1)
		}
		f = max(f, float64(nodes)/float64(nodes-1))
	}
	return f
}

// SmallestCluster is the fewest nodes of node that serve the target
// requests per second of hits, misses and writes of itemKB KB a second
// with headroom h, and that target; nodes is 0 when no cluster of up to
// MaxNodes does. Writes reach every node, so the target grows with the
// cluster: the sizing guide's example, 50,000 hits, 1,000 misses and 100
// writes a second of 2 KB items, needs 3 dax.r5.large nodes (135,000 x
// 1.5 = 202,500 of 225,000), where the load alone fits in 2.
func SmallestCluster(hits, misses, writes, itemKB float64, node NodeType, h Headroom) (nodes int, target float64) {
	for n := 1; n <= MaxNodes; n++ {
		t := NormalizedLoad(hits, misses, writes, itemKB, n) * h.Factor(n)
		if t <= float64(node.Capacity)*float64(n) {
			return n, t
		}
	}
	return 0, 0
}
