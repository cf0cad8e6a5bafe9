package model

import (
	"fmt"

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
	c := &DAXCluster{index: len(s.clusters), cfg: cfg, node: node, tables: tables}
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
