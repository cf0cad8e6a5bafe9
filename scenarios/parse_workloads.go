package scenarios

import (
	"math"
	"slices"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/ddbsim/ddbsim/model"
	"github.com/ddbsim/ddbsim/model/units"
	"github.com/ddbsim/ddbsim/threshold"
	"github.com/ddbsim/ddbsim/workload"
)

// ---- workloads ----

var workloadKeys = []string{
	"name", "table", "rate", "arrival", "stages", "users", "think", "mix",
	"keys", "item_size", "consistency", "query_limit", "query_range", "batch_size", "ycsb", "ycsb_properties",
	"trace", "format", "speed", "loop", "max_in_flight",
	"shape", "spikes", "diurnal", "index", "dax", "region", "series",
}

// openLoopKeys shape an open loop's arrivals; a closed loop (users) has
// none of them.
var openLoopKeys = []string{"rate", "stages", "arrival", "shape", "spikes", "diurnal"}

// maxUsers bounds a closed loop's virtual users: each may hold a request
// in flight, and all are scheduled at the start.
const maxUsers = 1_000_000

// MaxInFlight bounds a trace replay's requests in flight (max_in_flight)
// as maxUsers bounds a closed loop's users; DefaultMaxInFlight is the
// limit when none is given. The limit is what keeps a replay's memory
// bounded whatever bursts its trace holds, at about 340 B a request: 34 MB
// by default. 100,000 requests in flight is a client sending 10 million
// requests a second at 10 ms each, or 20,000 a second each throttled and
// backing off for 5 s; an application that waits longer for more requests
// raises it, and the result says when records waited (trace_waits).
const (
	MaxInFlight        = maxUsers
	DefaultMaxInFlight = 100_000
)

func (p *parser) workloads(n *yaml.Node, tables []Table, shared *DAX) []Workload {
	byName := map[string]*Table{}
	var names []string
	for i := range tables {
		if _, dup := byName[tables[i].Name]; !dup && tables[i].Name != "" {
			byName[tables[i].Name] = &tables[i]
			names = append(names, tables[i].Name)
		}
	}
	var out []Workload
	first := map[string]*yaml.Node{}
	for _, it := range p.list(n, "workloads", "a scenario needs at least one workload") {
		w, nameNode := p.workload(it, byName, names, shared)
		if w.Name != "" {
			if prev := first[w.Name]; prev != nil {
				p.errorf(nameNode, "duplicate workload name %q (first at line %d)", w.Name, prev.Line)
				continue
			}
			first[w.Name] = nameNode
		}
		out = append(out, w)
	}
	return out
}

// workload reads one workload; shared is the top-level DAX cluster.
func (p *parser) workload(n *yaml.Node, tables map[string]*Table, names []string, shared *DAX) (w Workload, nameNode *yaml.Node) {
	w = Workload{Pos: pos(n), Arrival: "poisson", Consistency: "eventual"}
	f, ok := p.fields(n, "workload", workloadKeys...)
	if !ok {
		return w, n
	}
	if nameNode = p.require(f, "name", ""); nameNode != nil {
		w.Name = p.str(nameNode, "name")
	}
	var table *Table
	if v := p.require(f, "table", "the name of one of the tables"); v != nil {
		w.Table = p.str(v, "table")
		table = tables[w.Table]
		// With no table read at all, that problem is already reported.
		if table == nil && w.Table != "" && len(names) > 0 {
			if s := suggest(w.Table, names); s != "" {
				p.errorf(v, "table: no table named %q; did you mean %q?", w.Table, s)
			} else {
				p.errorf(v, "table: no table named %q (tables: %s)", w.Table, strings.Join(names, ", "))
			}
		}
	}
	// dax and index (parse_dax.go, parse_indexes.go)
	p.workloadDAX(f, &w, table, shared)
	p.workloadRegion(f, &w, table, p.region) // parse_global.go
	index := p.workloadIndex(f, &w, table)
	for _, k := range []string{"trace", "ycsb"} {
		if kn := f.key["index"]; kn != nil && f.get(k) != nil {
			p.errorf(kn, "index cannot be combined with %s: its records decide the operations, and an index takes only query and scan", k)
		}
	}
	p.seriesClashes(f) // series (parse_series.go)
	// shape, spikes, diurnal (parse_shapes.go)
	p.shapes(f, &w)
	if p.trace(f, &w) { // trace: FILE (parse_trace.go)
		return w, nameNode
	}
	if v := f.get("ycsb"); v != nil {
		p.ycsbWorkload(f, v, &w)
		return w, nameNode
	}
	if k := f.key["ycsb_properties"]; k != nil {
		p.errorf(k, "ycsb_properties applies only to a YCSB workload (ycsb: FILE or workloada..workloadf)")
	}
	if v := f.get("users"); v != nil {
		p.closedLoop(f, v, &w)
	} else {
		p.openLoop(f, &w)
	}
	w.Mix = []MixEntry{{Op: "get", Weight: 1}}
	if w.Index != "" {
		w.Mix = []MixEntry{{Op: "query", Weight: 1}} // an index serves queries and scans only
	}
	mixErrs := len(p.errs)
	if v := f.get("mix"); v != nil {
		w.Mix = p.mix(v)
	}
	// Rules on what the mix holds hold back while it is in error (an
	// operation misspelt).
	mixOK := len(p.errs) == mixErrs
	w.BatchSize = p.batchSize(f, w.Mix, mixOK)
	if index != nil {
		p.indexReads(f, index)
	}
	w.Keys = p.keys(f, table, index)
	w.ItemSize = ItemSize{Distribution: "fixed", Fixed: 1 << 10}
	if table != nil {
		w.ItemSize.Fixed = table.Items.Size
	}
	if v := f.get("item_size"); v != nil {
		w.ItemSize = p.itemSizeSpec(v)
	}
	p.transactSize(f, &w, table) // parse_global.go
	if v := f.get("consistency"); v != nil {
		w.Consistency = p.oneOf(v, "consistency", "eventual", "strong")
	}
	if v := f.get("query_limit"); v != nil {
		w.QueryLimit = p.queryLimit(v)
		if mixOK && !hasOp(w.Mix, "query", "scan") {
			p.errorf(f.key["query_limit"], "query_limit applies only to a mix with query or scan")
		}
	}
	if v := f.get("query_range"); v != nil {
		w.QueryRange = p.atLeast(v, "query_range", 1)
		t := tables[w.Table]
		switch {
		case mixOK && !hasOp(w.Mix, "query"):
			p.errorf(f.key["query_range"], "query_range applies only to a mix with query")
		case t != nil && t.Items.PerKey < 2:
			p.errorf(f.key["query_range"], "query_range reads a range of sort keys; table %s holds one item per key (set items.per_key)", t.Name)
		case t != nil && w.QueryRange > t.Items.PerKey:
			p.errorf(v, "query_range (%d) is more than the %d items of a partition key of table %s (items.per_key)", w.QueryRange, t.Items.PerKey, t.Name)
		}
	}
	return w, nameNode
}

// queryLimit reads query_limit: the items of one Query or Scan page, at
// least 1 as the service's Limit; absent, a page is bounded by 1 MB only
// (REFERENCE: units).
func (p *parser) queryLimit(n *yaml.Node) int64 {
	v, ok := p.count(n, "query_limit")
	if ok && v < 1 {
		p.errorf(n, "query_limit must be at least 1, got %s (leave it out for pages of up to 1MB)", n.Value)
	}
	return v
}

// hasOp reports whether the mix holds one of ops.
func hasOp(mix []MixEntry, ops ...string) bool {
	for _, m := range mix {
		if slices.Contains(ops, m.Op) {
			return true
		}
	}
	return false
}

// batchSize reads batch_size, the parts of each batch_get, batch_write,
// transact_get and transact_write request: 25 when absent (workload.DefaultBatchSize), from 1 to the
// service's limit for each batch operation in the mix (REFERENCE: units,
// "BatchGetItem (<=100 items ...)", "BatchWriteItem (<=25 put/delete
// ...)"). A mix without batch operations has no batch size (0), and
// setting one is an error, unless the mix itself is in error (an
// operation misspelt). mixOK says the mix parsed cleanly.
func (p *parser) batchSize(f *fields, mix []MixEntry, mixOK bool) int64 {
	var batchOps []string
	for _, m := range mix {
		if op, ok := units.ParseOp(m.Op); ok && model.MaxBatchItems(op) > 0 {
			batchOps = append(batchOps, m.Op)
		}
	}
	v := f.get("batch_size")
	switch {
	case v == nil && len(batchOps) == 0:
		return 0
	case v == nil:
		return workload.DefaultBatchSize
	case len(batchOps) == 0:
		if mixOK {
			p.errorf(f.key["batch_size"], "batch_size applies only to a mix with batch_get, batch_write, transact_get or transact_write")
		}
		return 0
	}
	n, ok := p.count(v, "batch_size")
	if !ok || n < 1 {
		if ok {
			p.errorf(v, "batch_size must be at least 1")
		}
		return n
	}
	// The tightest limit of the mix's batch operations.
	limit, limitOp := int64(0), units.Op(0)
	for _, name := range batchOps {
		op, _ := units.ParseOp(name)
		if m := int64(model.MaxBatchItems(op)); limit == 0 || m < limit {
			limit, limitOp = m, op
		}
	}
	if n > limit {
		api := map[units.Op]string{
			units.OpBatchGet:      "BatchGetItem reads",
			units.OpBatchWrite:    "BatchWriteItem writes",
			units.OpTransactGet:   "TransactGetItems reads",
			units.OpTransactWrite: "TransactWriteItems writes",
		}[limitOp]
		p.errorf(v, "batch_size must be at most %d with %v in the mix (%s at most %d items), got %d", limit, limitOp, api, limit, n)
	}
	return n
}

// openLoop reads the arrivals of an open loop. A workload made of stages
// may ramp from zero, and a series gives a rate for every step; otherwise
// it needs a rate.
func (p *parser) openLoop(f *fields, w *Workload) {
	series := f.get("series") // rate and stages with it are reported (seriesClashes)
	if series != nil {
		w.Series = p.series(series)
	} else if v := f.get("rate"); v != nil {
		w.Rate, _ = p.rate(v, "rate")
	} else if f.get("stages") == nil {
		p.require(f, "rate", "such as rate: 500/s, or users: 50 for a closed loop")
	}
	if v := f.get("arrival"); v != nil {
		w.Arrival = p.oneOf(v, "arrival", "poisson", "constant")
	}
	if v := f.get("stages"); v != nil && series == nil {
		w.Stages = p.stages(v)
	}
	if k := f.key["think"]; k != nil {
		p.errorf(k, "think applies only to a closed loop (users: N)")
	}
}

// closedLoop reads a closed loop: users (from 1 to maxUsers) and think, a
// duration (fixed) or {distribution: fixed | exponential, mean: D}. The
// keys of an open loop conflict with users.
func (p *parser) closedLoop(f *fields, users *yaml.Node, w *Workload) {
	w.Arrival = ""
	for _, k := range openLoopKeys {
		if kn := f.key[k]; kn != nil {
			p.errorf(kn, "%s and users cannot be combined: a workload is either an open loop (rate, stages, arrival) or a closed loop (users, think)", k)
		}
	}
	w.Users = p.atLeast(users, "users", 1)
	if w.Users > maxUsers {
		p.errorf(users, "users must be at most %d", maxUsers)
	}
	w.ThinkDistribution = "fixed"
	n := f.get("think")
	switch {
	case n == nil:
	case n.Kind == yaml.ScalarNode:
		w.Think = p.thinkTime(n, "think")
	case n.Kind != yaml.MappingNode:
		p.errorf(n, "think: expected a duration such as 500ms or a mapping such as {distribution: exponential, mean: 500ms}, got %s", describe(n))
	default:
		tf, ok := p.fields(n, "think", "distribution", "mean")
		if !ok {
			return
		}
		if v := p.require(tf, "distribution", "fixed or exponential"); v != nil {
			w.ThinkDistribution = p.oneOf(v, "think.distribution", "fixed", "exponential")
		}
		if v := p.require(tf, "mean", "the mean think time, such as 500ms"); v != nil {
			if w.ThinkDistribution == "exponential" {
				w.Think = p.duration(v, "think.mean")
			} else {
				w.Think = p.thinkTime(v, "think.mean")
			}
		}
	}
}

// thinkTime parses a duration that may be 0 but not negative.
func (p *parser) thinkTime(n *yaml.Node, field string) time.Duration {
	d, ok := value(p, n, field, "a duration such as 500ms", ParseDuration)
	if ok && d < 0 {
		p.errorf(n, "%s must not be negative, got %s", field, n.Value)
	}
	return d
}

func (p *parser) stages(n *yaml.Node) []Stage {
	var out []Stage
	for _, it := range p.list(n, "stages", "give at least one {for, rate}, or leave stages out") {
		f, ok := p.fields(it, "stage", "for", "rate")
		if !ok {
			continue
		}
		var st Stage
		if v := p.require(f, "for", "how long the ramp takes, such as 2m"); v != nil {
			st.For = p.duration(v, "stages.for")
		}
		if v := p.require(f, "rate", "the rate reached at its end, such as 500/s"); v != nil {
			st.Rate, _ = p.rate(v, "stages.rate")
		}
		out = append(out, st)
	}
	return out
}

// mix reads operation weights; they must sum to 100% (within 0.01%) and are
// then normalised to sum to exactly 1.
func (p *parser) mix(n *yaml.Node) []MixEntry {
	before := len(p.errs)
	ps, ok := p.pairs(n, "mix")
	if !ok {
		return nil
	}
	var out []MixEntry
	// A duplicate operation already explains a wrong sum.
	sum, allParsed := 0.0, len(p.errs) == before
	valid := append(slices.Clone(operations), mixOnlyOperations...)
	for _, kv := range ps {
		op := kv.key.Value
		if !slices.Contains(valid, op) {
			p.unknown(kv.key, "operation", "mix", valid)
			allParsed = false
			continue
		}
		e, ok := p.mixEntry(op, kv.val)
		if !ok {
			allParsed = false
			continue
		}
		sum += e.Weight
		out = append(out, e)
	}
	if !allParsed {
		return out
	}
	if math.Abs(sum-1) > 0.0001 {
		p.errorf(n, "mix: weights sum to %s; they must sum to 100%%", fmtPercent(sum))
		return out
	}
	for i := range out {
		out[i].Weight /= sum
	}
	return out
}

// mixOnlyOperations are the YCSB operations a mix may name besides the
// service's: an insert is a put of a new key; a read-modify-write is a get
// followed by an update of the same item.
var mixOnlyOperations = []string{"insert", "read_modify_write"}

// mixEntry reads one operation's share: a percentage, or a mapping {share,
// consistency, condition_failure}.
func (p *parser) mixEntry(op string, n *yaml.Node) (MixEntry, bool) {
	e := MixEntry{Op: op}
	if n.Kind != yaml.MappingNode {
		w, ok := p.percent(n, "mix."+op)
		e.Weight = w
		return e, ok
	}
	f, ok := p.fields(n, "mix."+op, "share", "consistency", "condition_failure")
	if !ok {
		return e, false
	}
	before := len(p.errs)
	if v := p.require(f, "share", "such as share: 80%"); v != nil {
		e.Weight, _ = p.percent(v, "mix."+op+".share")
	}
	mop, isOp := units.ParseOp(op)
	write := op == "insert" || isOp && mop.IsWrite()
	if v := f.get("consistency"); v != nil {
		e.Consistency = p.oneOf(v, "mix."+op+".consistency", "eventual", "strong")
		if write {
			p.errorf(f.key["consistency"], "consistency applies to reads, and %s is a write", op)
		}
	}
	if v := f.get("condition_failure"); v != nil {
		if x, ok := p.percent(v, "mix."+op+".condition_failure"); ok {
			e.ConditionFailure = x
			if x < 0 || x > 1 {
				p.errorf(v, "condition_failure must be between 0%% and 100%%, got %s", v.Value)
			}
		}
		if !write || op == "batch_write" || op == "transact_write" {
			p.errorf(f.key["condition_failure"], "condition_failure applies to put, update, delete and insert, not %s", op)
		}
	}
	return e, len(p.errs) == before && f.get("share") != nil
}

func (p *parser) itemSizeSpec(n *yaml.Node) ItemSize {
	if n.Kind == yaml.ScalarNode {
		return ItemSize{Distribution: "fixed", Fixed: p.itemSize(n, "item_size")}
	}
	if n.Kind != yaml.MappingNode {
		p.errorf(n, "item_size: expected a size such as 2KB or a mapping such as {distribution: lognormal, median: 1KB, p99: 8KB}, got %s", describe(n))
		return ItemSize{}
	}
	f, ok := p.fields(n, "item_size", "distribution", "size", "median", "p99", "min", "max")
	if !ok {
		return ItemSize{}
	}
	var is ItemSize
	if v := p.require(f, "distribution", "fixed, uniform or lognormal"); v != nil {
		is.Distribution = p.oneOf(v, "item_size.distribution", "fixed", "uniform", "lognormal")
	}
	switch is.Distribution {
	case "uniform":
		p.onlyWith(f, "lognormal", "median", "p99")
		p.onlyWith(f, "fixed", "size")
		is.Min, is.Max = p.sizeRange(f, "min", "1KB", "max", "8KB")
	case "fixed":
		p.onlyWith(f, "lognormal", "median", "p99")
		p.onlyWith(f, "uniform", "min", "max")
		if v := p.require(f, "size", "such as size: 2KB"); v != nil {
			is.Fixed = p.itemSize(v, "item_size.size")
		}
	case "lognormal":
		p.onlyWith(f, "fixed", "size")
		p.onlyWith(f, "uniform", "min", "max")
		is.Median, is.P99 = p.sizeRange(f, "median", "1KB", "p99", "8KB")
	}
	return is
}

// sizeRange reads two item sizes of item_size, lo and hi, both required,
// hi not below lo; the examples go into the messages for missing keys.
func (p *parser) sizeRange(f *fields, loKey, loExample, hiKey, hiExample string) (lo, hi int64) {
	loNode := p.require(f, loKey, "such as "+loKey+": "+loExample)
	hiNode := p.require(f, hiKey, "such as "+hiKey+": "+hiExample)
	if loNode != nil {
		lo = p.itemSize(loNode, "item_size."+loKey)
	}
	if hiNode != nil {
		hi = p.itemSize(hiNode, "item_size."+hiKey)
	}
	if lo > 0 && hi > 0 && hi < lo {
		p.errorf(hiNode, "item_size.%s (%s) is less than %s (%s)", hiKey, hiNode.Value, loKey, loNode.Value)
	}
	return lo, hi
}

// onlyWith reports item_size keys that belong to the other distribution.
func (p *parser) onlyWith(f *fields, dist string, keys ...string) {
	for _, k := range keys {
		if kn := f.key[k]; kn != nil {
			p.errorf(kn, "item_size.%s applies only to distribution: %s", k, dist)
		}
	}
}

// ---- thresholds ----

func (p *parser) thresholds(n *yaml.Node, s *Scenario) []Threshold {
	ps, ok := p.pairs(n, "thresholds")
	if !ok {
		return nil
	}
	var out []Threshold
	for _, kv := range ps {
		name := kv.key.Value
		base, _, _ := strings.Cut(name, "{")
		if _, known := threshold.Lookup(base); !known && !strings.Contains(base, ".") {
			p.unknown(kv.key, "metric", "thresholds", threshold.Names())
			continue
		}
		_, scope, err := threshold.ParseName(name)
		if err != nil {
			p.errorf(kv.key, "thresholds: %v", err)
			continue
		}
		if !p.scopeNames(kv.key, name, scope, s) {
			continue
		}
		expr, ok := p.scalar(kv.val, name, `a comparison such as "< 20"`)
		if !ok {
			continue
		}
		th, err := threshold.Parse(name, expr)
		if err != nil {
			p.errorf(kv.val, "%s: %v", name, err)
			continue
		}
		out = append(out, Threshold{Pos: pos(kv.key), Threshold: th})
	}
	return out
}

// scopeNames checks that a threshold's scope names a workload and a table
// of the scenario, suggesting the nearest name for a typo.
func (p *parser) scopeNames(key *yaml.Node, name string, scope threshold.Scope, s *Scenario) bool {
	check := func(kind, value string, valid []string) bool {
		if value == "" || slices.Contains(valid, value) {
			return true
		}
		if sug := suggest(value, valid); sug != "" {
			p.errorf(key, "thresholds: unknown %s %q in %s; did you mean %q?", kind, value, name, sug)
		} else {
			p.errorf(key, "thresholds: unknown %s %q in %s (valid: %s)", kind, value, name, strings.Join(valid, ", "))
		}
		return false
	}
	var workloads, tables []string
	for _, w := range s.Workloads {
		workloads = append(workloads, w.Name)
	}
	for _, t := range s.Tables {
		tables = append(tables, t.Name)
	}
	return check("workload", scope.Workload, workloads) && check("table", scope.Table, tables) &&
		check("operation", scope.Op, units.OpNames())
}
