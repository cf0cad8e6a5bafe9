package scenarios

// Secondary indexes of a table (REFERENCE: gsi):
//
//	indexes:
//	  - name: by-status             # 3-255 of A-Z a-z 0-9 _ . -, unique in the table
//	    partition_key: status       # a GSI's own; an LSI's is the table's (may be left out)
//	    sort_key: created_at        # optional for a GSI, required for an LSI
//	    local: false                # true: a local secondary index
//	    projection: all             # all | keys_only | include
//	    projected_size: 200B        # keys_only (default 100B) and include (required)
//	    keys: {count: 5, distribution: zipf, exponent: 1.0}   # GSI only
//	    coverage: 100%              # share of items carrying the index key
//	    key_changes: 0%             # share of overwrites that change the index key
//	    projected_changes: 100%     # include only
//	    read_capacity: 100          # GSI of a provisioned table: the table's by default
//	    write_capacity: 50
//	    autoscaling: {target: 70%, min: 5, max: 1000}          # GSI of a provisioned table
//
// A GSI is, to the model, a table of its own named "<table>/<index>"
// with its own capacity; an LSI shares its table's partitions and
// capacity, so it takes no keys, capacity or auto scaling of its own.

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/ddbsim/ddbsim/model"
)

// defaultIndexKeys is a GSI's distinct key values when its table has no
// items to count partition keys from.
const defaultIndexKeys = 1_000_000

var indexKeys = []string{
	"name", "partition_key", "sort_key", "local", "projection", "projected_size",
	"keys", "coverage", "key_changes", "projected_changes",
	"read_capacity", "write_capacity", "autoscaling",
}

// localExcludes are the index keys a local secondary index cannot have:
// it has its table's partition key and capacity.
var localExcludes = []string{"keys", "read_capacity", "write_capacity", "autoscaling"}

// indexName is DynamoDB's rule for index names.
var indexName = regexp.MustCompile(`^[A-Za-z0-9_.-]{3,255}$`)

// projections are the values of projection.
var projections = []string{"all", "keys_only", "include"}

// indexes reads a table's indexes; t holds what was read of the table
// before them (its mode, keys, capacity and items).
func (p *parser) indexes(n *yaml.Node, t *Table) []Index {
	var out []Index
	first := map[string]*yaml.Node{}
	global, local := 0, 0
	for _, it := range p.list(n, "indexes", "") {
		ix, nameNode := p.index(it, t)
		if ix.Name != "" {
			if prev := first[ix.Name]; prev != nil {
				p.errorf(nameNode, "duplicate index name %q in table %s (first at line %d)", ix.Name, t.Name, prev.Line)
				continue
			}
			first[ix.Name] = nameNode
		}
		if ix.Local {
			if local++; local == model.MaxLocalIndexes+1 {
				p.errorf(it, "table %s has more than %d local secondary indexes, the service's limit", t.Name, model.MaxLocalIndexes)
			}
		} else if global++; global == model.MaxGlobalIndexes+1 {
			p.errorf(it, "table %s has more than %d global secondary indexes, the service's default quota", t.Name, model.MaxGlobalIndexes)
		}
		out = append(out, ix)
	}
	return out
}

// itemCollections refuses preloaded items that no table with a local
// secondary index could hold: each partition key's items are one item
// collection, which the service caps at 10 GB (REFERENCE: gsi; AWS
// Developer Guide, "Local secondary indexes", item collection size limit,
// ItemCollectionSizeLimitExceededException). n is the items mapping.
func (p *parser) itemCollections(n *yaml.Node, t Table) {
	it := t.Items
	if n == nil || it.Count <= 0 || it.Size <= 0 || !slices.ContainsFunc(t.Indexes, func(ix Index) bool { return ix.Local }) {
		return
	}
	perKey := min(it.PerKey, it.Count)
	if perKey <= model.ItemCollectionLimit/it.Size {
		return
	}
	p.errorf(n, "items: %d items of %s under one partition key make an item collection of %s; with a local secondary index the service caps each item collection at %s (REFERENCE: gsi, ItemCollectionSizeLimitExceededException)",
		perKey, fmtBytes(it.Size), fmtByteCount(float64(perKey)*float64(it.Size)), fmtBytes(model.ItemCollectionLimit))
}

// index reads one index of table t.
func (p *parser) index(n *yaml.Node, t *Table) (ix Index, nameNode *yaml.Node) {
	ix = Index{Pos: pos(n), Projection: "all", Coverage: 1}
	f, ok := p.fields(n, "index", indexKeys...)
	if !ok {
		return ix, n
	}
	if nameNode = p.require(f, "name", "3 to 255 letters, digits, _ . or -"); nameNode != nil {
		ix.Name = p.str(nameNode, "index name")
		if ix.Name != "" && !indexName.MatchString(ix.Name) {
			p.errorf(nameNode, "index name %q: expected 3 to 255 letters, digits, _ . or - (the service's rule for index names)", ix.Name)
		}
	}
	if v := f.get("local"); v != nil {
		ix.Local = p.boolean(v, "local")
	}
	label := "index " + ix.Name
	if ix.Local {
		p.localIndex(f, t, &ix)
	} else {
		p.globalIndex(f, t, &ix)
	}

	if v := f.get("projection"); v != nil {
		ix.Projection = p.oneOf(v, "projection", projections...)
	}
	switch v := f.get("projected_size"); {
	case v != nil && ix.Projection == "all":
		p.errorf(f.key["projected_size"], "projected_size applies only to projection: keys_only or include; an index projecting all holds whole items")
	case v != nil:
		ix.ProjectedSize = p.itemSize(v, "projected_size")
	case ix.Projection == "include":
		p.require(f, "projected_size", "projection: include needs the size of one index entry, such as projected_size: 200B")
	case ix.Projection == "keys_only":
		ix.ProjectedSize = model.DefaultKeysOnlySize
	}
	if v := f.get("coverage"); v != nil {
		ix.Coverage = p.fraction(v, "coverage")
	}
	if v := f.get("key_changes"); v != nil {
		ix.KeyChanges = p.share(v, "key_changes")
	}
	if ix.Projection == "include" {
		ix.ProjectedChanges = 1
	}
	if v := f.get("projected_changes"); v != nil {
		x := p.share(v, "projected_changes")
		if ix.Projection == "include" {
			ix.ProjectedChanges = x
		} else if slices.Contains(projections, ix.Projection) {
			p.errorf(f.key["projected_changes"], "projected_changes applies only to projection: include (%s has %s)", label, projectionWrites(ix.Projection))
		}
	}
	return ix, nameNode
}

// projectionWrites says which overwrites change an index entry under a
// projection other than include.
func projectionWrites(projection string) string {
	if projection == "keys_only" {
		return "keys only: only key changes write to it"
	}
	return "all: every overwrite writes to it"
}

// localIndex reads what is particular to a local secondary index.
func (p *parser) localIndex(f *fields, t *Table, ix *Index) {
	ix.PartitionKey = t.PartitionKey
	if t.SortKey == "" {
		p.errorf(f.key["local"], "a local secondary index needs its table to have a sort_key; table %s has none", t.Name)
	}
	if v := f.get("partition_key"); v != nil {
		pk := p.str(v, "partition_key")
		if pk != "" && t.PartitionKey != "" && pk != t.PartitionKey {
			p.errorf(v, "partition_key of a local secondary index is its table's (%s), not %s", t.PartitionKey, pk)
		}
	}
	if v := p.require(f, "sort_key", "a local secondary index is the table's partition key with another sort key"); v != nil {
		ix.SortKey = p.keyAttribute(v, "sort_key")
		p.distinctKeys(v, ix.PartitionKey, ix.SortKey)
	}
	for _, k := range localExcludes {
		if kn := f.key[k]; kn != nil {
			what := "capacity"
			if k == "keys" {
				what = "partition key"
			}
			p.errorf(kn, "%s applies only to a global secondary index; a local one shares its table's %s", k, what)
		}
	}
}

// globalIndex reads what is particular to a global secondary index.
func (p *parser) globalIndex(f *fields, t *Table, ix *Index) {
	if v := p.require(f, "partition_key", "the index's key attribute"); v != nil {
		ix.PartitionKey = p.keyAttribute(v, "partition_key")
	}
	if v := f.get("sort_key"); v != nil {
		ix.SortKey = p.keyAttribute(v, "sort_key")
		p.distinctKeys(v, ix.PartitionKey, ix.SortKey)
	}
	ix.Keys = IndexKeys{Distribution: "uniform", Count: tableKeyCount(*t)}
	if v := f.get("keys"); v != nil {
		p.indexKeys(v, &ix.Keys)
	}
	if t.Mode == "on-demand" {
		for _, k := range []string{"read_capacity", "write_capacity", "autoscaling"} {
			if kn := f.key[k]; kn != nil {
				p.errorf(kn, "%s applies only to an index of a provisioned table; table %s is on-demand, and so are its indexes", k, t.Name)
			}
		}
		return
	}
	ix.ReadCapacity, ix.WriteCapacity = t.ReadCapacity, t.WriteCapacity
	// A GSI has throughput quotas of its own, as large as a table's.
	if v := f.get("read_capacity"); v != nil {
		ix.ReadCapacity = p.atLeast(v, "read_capacity", 1)
		p.quota(v, "read_capacity", quotaRead, float64(ix.ReadCapacity), false)
	}
	if v := f.get("write_capacity"); v != nil {
		ix.WriteCapacity = p.atLeast(v, "write_capacity", 1)
		p.quota(v, "write_capacity", quotaWrite, float64(ix.WriteCapacity), false)
	}
	if v := f.get("autoscaling"); v != nil {
		ix.AutoScaling = p.autoscaling(v)
	}
}

// tableKeyCount is how many partition keys table t holds: a GSI's key
// count when it gives none.
func tableKeyCount(t Table) int64 {
	if t.Items.Count <= 0 {
		return defaultIndexKeys
	}
	return max(1, t.Items.Count/max(1, t.Items.PerKey))
}

// indexKeys reads {count, distribution, exponent} into k.
func (p *parser) indexKeys(n *yaml.Node, k *IndexKeys) {
	f, ok := p.fields(n, "keys", "count", "distribution", "exponent")
	if !ok {
		return
	}
	if v := f.get("count"); v != nil {
		k.Count = p.atLeast(v, "keys.count", 1)
	}
	if v := f.get("distribution"); v != nil {
		k.Distribution = p.oneOf(v, "keys.distribution", "uniform", "zipf")
	}
	switch v := f.get("exponent"); {
	case v != nil && k.Distribution == "uniform":
		p.errorf(f.key["exponent"], "keys.exponent applies only to distribution: zipf")
	case v != nil:
		k.Exponent = p.number(v, "keys.exponent")
	case k.Distribution == "zipf":
		k.Exponent = 0.99 // as a workload's zipf keys
	}
}

// share parses a percentage from 0% to 100%.
func (p *parser) share(n *yaml.Node, field string) float64 {
	x, ok := p.percent(n, field)
	if ok && (x < 0 || x > 1) {
		p.errorf(n, "%s must be between 0%% and 100%%, got %s", field, n.Value)
	}
	return x
}

// boolean parses true or false.
func (p *parser) boolean(n *yaml.Node, field string) bool {
	s, ok := p.scalar(n, field, "true or false")
	if ok && s != "true" && s != "false" {
		p.errorf(n, "%s: expected true or false, got %s", field, describe(n))
	}
	return s == "true"
}

// indexOf returns the index of t named name, or nil.
func indexOf(t *Table, name string) *Index {
	if t == nil {
		return nil
	}
	for i := range t.Indexes {
		if t.Indexes[i].Name == name {
			return &t.Indexes[i]
		}
	}
	return nil
}

// workloadIndex reads a workload's index: the name of an index of its
// table (nil when the table is unknown). Its mix may hold only query and
// scan, and strong reads are refused on a global index (REFERENCE: gsi,
// "GSI reads are eventually consistent only").
func (p *parser) workloadIndex(f *fields, w *Workload, table *Table) *Index {
	v := f.get("index")
	if v == nil {
		return nil
	}
	w.Index = p.str(v, "index")
	if w.Index == "" || table == nil {
		return nil
	}
	ix := indexOf(table, w.Index)
	if ix == nil {
		var names []string
		for _, x := range table.Indexes {
			names = append(names, x.Name)
		}
		switch s := suggest(w.Index, names); {
		case len(names) == 0:
			p.errorf(v, "index: table %s has no indexes", table.Name)
		case s != "":
			p.errorf(v, "index: table %s has no index named %q; did you mean %q?", table.Name, w.Index, s)
		default:
			p.errorf(v, "index: table %s has no index named %q (indexes: %s)", table.Name, w.Index, strings.Join(names, ", "))
		}
		return nil
	}
	return ix
}

// indexReads checks the mix and consistency of a workload on index ix.
func (p *parser) indexReads(f *fields, ix *Index) {
	gsi := !ix.Local
	strongErr := fmt.Sprintf("reads of global secondary index %s are eventually consistent only; strong reads need the table or a local index", ix.Name)
	if v := f.get("consistency"); v != nil && gsi && v.Value == "strong" {
		p.errorf(v, "consistency: strong: %s", strongErr)
	}
	mix := f.get("mix")
	if mix == nil || mix.Kind != yaml.MappingNode {
		return
	}
	valid := append(slices.Clone(operations), mixOnlyOperations...)
	for i := 0; i+1 < len(mix.Content); i += 2 {
		k, val := resolve(mix.Content[i]), resolve(mix.Content[i+1])
		switch op := k.Value; {
		case !slices.Contains(valid, op): // reported by mix
		case op != "query" && op != "scan":
			p.errorf(k, "mix: %s goes to a table, not an index; a workload with index: holds only query and scan", op)
		case gsi && val.Kind == yaml.MappingNode:
			for j := 0; j+1 < len(val.Content); j += 2 {
				if ck, cv := resolve(val.Content[j]), resolve(val.Content[j+1]); ck.Value == "consistency" && cv.Value == "strong" {
					p.errorf(cv, "mix.%s.consistency: strong: %s", op, strongErr)
				}
			}
		}
	}
}
