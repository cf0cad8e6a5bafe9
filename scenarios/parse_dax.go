package scenarios

// DAX clusters (REFERENCE: dax). A scenario has at most one shared
// cluster, at the top level, and each table at most one of its own:
//
//	dax:                        # top level: shared by tables
//	  name: shared              # "dax" when absent
//	  nodes: 3                  # 1 to 11: a primary and up to 10 read replicas
//	  node_type: dax.r5.large   # "r5.large" is accepted too
//	  item_ttl: 5m              # 5m when absent, as query_ttl
//	  query_ttl: 5m
//	  item_cache_items: 10k     # fix the caches' size in entries instead
//	  query_cache_items: 1k     #   of sizing them from the node's memory
//	  tables: [orders, users]   # every table without a dax: of its own when absent
//	tables:
//	  - name: orders
//	    dax: {nodes: 1, node_type: dax.t3.small}   # its own, "orders-dax"
//	workloads:
//	  - {name: direct, table: orders, dax: false}  # around the cluster
//
// A workload goes through its table's cluster unless it says dax: false.

import (
	"strings"
	"time"

	"github.com/ddbsim/ddbsim/model/cache"
	"gopkg.in/yaml.v3"
)

var daxKeys = []string{"name", "nodes", "node_type", "item_ttl", "query_ttl", "item_cache_items", "query_cache_items"}

// sharedDAXKeys are the top-level cluster's: a table's own serves it alone.
var sharedDAXKeys = append(daxKeys[:len(daxKeys):len(daxKeys)], "tables")

// daxNodeTypeNames lists the node types for messages.
func daxNodeTypeNames() []string {
	var names []string
	for _, t := range cache.NodeTypes() {
		names = append(names, t.Name)
	}
	return names
}

// daxCluster reads the settings common to both kinds of cluster. label
// names it in messages ("dax"); keys are the keys it may have.
func (p *parser) daxCluster(n *yaml.Node, label, name string, keys []string) (*DAX, *fields) {
	f, ok := p.fields(n, label, keys...)
	if !ok {
		return nil, nil
	}
	ttl := time.Duration(cache.DefaultTTL) // sim.Time counts nanoseconds, as time.Duration
	d := &DAX{Pos: pos(n), Name: name, ItemTTL: ttl, QueryTTL: ttl}
	if v := f.get("name"); v != nil {
		d.Name = p.str(v, label+".name")
	}
	if v := p.require(f, "nodes", "1 to 11: one primary and up to 10 read replicas"); v != nil {
		if c, ok := p.count(v, label+".nodes"); ok {
			if c < 1 || c > cache.MaxNodes {
				p.errorf(v, "%s.nodes must be between 1 and %d (one primary and up to %d read replicas), got %s",
					label, cache.MaxNodes, cache.MaxNodes-1, v.Value)
			} else {
				d.Nodes = int(c)
			}
		}
	}
	if v := p.require(f, "node_type", "such as dax.r5.large"); v != nil {
		d.NodeType = p.daxNodeType(v, label+".node_type")
	}
	if v := f.get("item_ttl"); v != nil {
		d.ItemTTL = p.duration(v, label+".item_ttl")
	}
	if v := f.get("query_ttl"); v != nil {
		d.QueryTTL = p.duration(v, label+".query_ttl")
	}
	if v := f.get("item_cache_items"); v != nil {
		d.ItemCacheItems = p.atLeast(v, label+".item_cache_items", 1)
	}
	if v := f.get("query_cache_items"); v != nil {
		d.QueryCacheItems = p.atLeast(v, label+".query_cache_items", 1)
	}
	return d, f
}

// daxNodeType reads a node type, with or without its "dax." prefix, and
// returns its full name.
func (p *parser) daxNodeType(n *yaml.Node, field string) string {
	s, ok := p.scalar(n, field, "a DAX node type such as dax.r5.large")
	if !ok {
		return ""
	}
	if t, ok := cache.LookupNodeType(s); ok {
		return t.Name
	}
	names := daxNodeTypeNames()
	full := s
	if !strings.HasPrefix(full, "dax.") {
		full = "dax." + full
	}
	if near := suggest(full, names); near != "" {
		p.errorf(n, "%s: unknown DAX node type %q; did you mean %q? (node types: %s)", field, s, near, strings.Join(names, ", "))
	} else {
		p.errorf(n, "%s: unknown DAX node type %q; expected %s", field, s, orList(names))
	}
	return s
}

// tableDAX reads a table's own cluster.
func (p *parser) tableDAX(n *yaml.Node, table string) *DAX {
	d, _ := p.daxCluster(n, "dax", table+"-dax", daxKeys)
	if d != nil {
		d.Tables = []string{table}
	}
	return d
}

// sharedDAX reads the top-level cluster, which serves the tables it lists
// or, when it lists none, every table without a cluster of its own.
func (p *parser) sharedDAX(n *yaml.Node, tables []Table) *DAX {
	d, f := p.daxCluster(n, "dax", "dax", sharedDAXKeys)
	if d == nil {
		return nil
	}
	byName := map[string]*Table{}
	var names []string
	for i := range tables {
		if t := &tables[i]; t.Name != "" && byName[t.Name] == nil {
			byName[t.Name] = t
			names = append(names, t.Name)
		}
	}
	v := f.get("tables")
	if v == nil {
		for _, name := range names {
			if byName[name].DAX == nil {
				d.Tables = append(d.Tables, name)
			}
		}
		if len(d.Tables) == 0 && len(names) > 0 {
			p.errorf(n, "dax: every table has a DAX cluster of its own, so the shared one would serve none; remove one or the other")
		}
		return d
	}
	first := map[string]*yaml.Node{}
	for _, it := range p.list(v, "dax.tables", "the shared cluster serves at least one table") {
		name := p.str(it, "dax.tables")
		t := byName[name]
		switch {
		case name == "":
		case t == nil && len(names) > 0:
			if s := suggest(name, names); s != "" {
				p.errorf(it, "dax.tables: no table named %q; did you mean %q?", name, s)
			} else {
				p.errorf(it, "dax.tables: no table named %q (tables: %s)", name, strings.Join(names, ", "))
			}
		case t == nil:
		case first[name] != nil:
			p.errorf(it, "dax.tables: %s is listed twice (first at line %d)", name, first[name].Line)
		case t.DAX != nil:
			p.errorf(it, "dax.tables: table %s has a DAX cluster of its own (dax: at line %d); a table has at most one", name, t.DAX.Pos.Line)
		default:
			first[name] = it
			d.Tables = append(d.Tables, name)
		}
	}
	return d
}

// checkDAXNames reports two clusters of one name: reports and the bill
// tell clusters apart by name.
func (p *parser) checkDAXNames(shared *DAX, tables []Table) {
	first := map[string]*DAX{}
	check := func(d *DAX) {
		if d == nil || d.Name == "" {
			return
		}
		if prev := first[d.Name]; prev != nil {
			p.errorAt(d.Pos.Line, d.Pos.Col, "DAX cluster name %q is used twice (first at line %d); give one of them a name: of its own", d.Name, prev.Pos.Line)
			return
		}
		first[d.Name] = d
	}
	check(shared)
	for i := range tables {
		check(tables[i].DAX)
	}
}

// clusterOf returns the cluster in front of table t: its own, or the
// shared one when that serves it; nil for none.
func clusterOf(shared *DAX, t *Table) *DAX {
	if t == nil {
		return nil
	}
	if t.DAX != nil {
		return t.DAX
	}
	if shared != nil {
		for _, name := range shared.Tables {
			if name == t.Name {
				return shared
			}
		}
	}
	return nil
}

// Clusters returns the scenario's DAX clusters in the order a run adds
// them: the shared one, then the tables' own in table order.
func (sc *Scenario) Clusters() []*DAX {
	var out []*DAX
	if sc.DAX != nil && len(sc.DAX.Tables) > 0 {
		out = append(out, sc.DAX)
	}
	for i := range sc.Tables {
		if d := sc.Tables[i].DAX; d != nil {
			out = append(out, d)
		}
	}
	return out
}

// workloadDAX reads a workload's dax: true or false. true needs a
// cluster in front of its table.
func (p *parser) workloadDAX(f *fields, w *Workload, table *Table, shared *DAX) {
	v := f.get("dax")
	if v == nil {
		return
	}
	b := p.boolean(v, "dax")
	w.DAX = &b
	if b && table != nil && clusterOf(shared, table) == nil {
		p.errorf(v, "dax: true, but table %s has no DAX cluster (give the table a dax:, or list it in the top-level dax.tables)", table.Name)
	}
}
