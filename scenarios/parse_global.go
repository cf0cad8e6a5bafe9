package scenarios

// Global tables and region outages (REFERENCE: global):
//
//	faults:                              # top level: region outages
//	  - {at: 20m, region: us-east-1, outage: 10m}
//	client:
//	  failover_after: 30s                # time to notice a region down, or back (default 30s)
//	tables:
//	  - name: orders
//	    replicas: [us-east-1, eu-west-1] # a global table; the first is the home region, the scenario's
//	    replication_lag: {median: 1s, p99: 2.5s}   # between every two replicas (default: the service's)
//	    replication_lags:                # of given pairs, one way (from -> to)
//	      - {from: us-east-1, to: eu-west-1, median: 800ms, p99: 2s}
//	    multi_region_consistency: strong # eventual (default) | strong: exactly 3 replicas
//	workloads:
//	  - {name: eu-shoppers, table: orders, region: eu-west-1}   # the home region's replica when absent
//
// The service makes a table of each replica outside the home region,
// named "<table>@<region>", with the table's settings (stream, indexes,
// capacity). A workload's clients use the replica of its region and,
// when they see that region down, fail over to the other replicas in
// the order of replicas:.

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/ddbsim/ddbsim/model"
)

// regionName is the shape of a region's name: letters, dash, letters,
// dash, digits ("us-east-1", "ap-southeast-2", "us-gov-west-1").
var regionName = regexp.MustCompile(`^[a-z]+(-[a-z]+)+-[0-9]+$`)

// strongReplicas is how many replicas multi-region strong consistency
// takes (REFERENCE: global, "exactly 3 regions").
const strongReplicas = 3

// maxTransactBytes is the most bytes one transaction may hold
// (REFERENCE: units, "Transactions: <=100 items, <=4 MB").
const maxTransactBytes = model.MaxTransactBytes

// maxBatchGetBytes is the most one BatchGetItem returns (REFERENCE:
// units, "BatchGetItem (<=100 items, <=16 MB)").
const maxBatchGetBytes = 16 << 20

// globalTable reads a table's replicas, replication lags and
// multi-region consistency into t. home is the scenario's region.
func (p *parser) globalTable(f *fields, t *Table, home string) {
	if v := f.get("replicas"); v != nil {
		t.Replicas = p.replicas(v, t.Name, home)
	}
	global := len(t.Replicas) > 0
	notGlobal := func(key string) {
		p.errorf(f.key[key], "%s applies only to a global table; give table %s its regions with replicas: [%s, ...]", key, t.Name, home)
	}
	if v := f.get("replication_lag"); v != nil {
		if !global && f.get("replicas") == nil {
			notGlobal("replication_lag")
		}
		l := p.lag(v, "replication_lag", nil)
		t.ReplicationLag = &LatencySpec{Median: l.Median, P99: l.P99}
	}
	if v := f.get("replication_lags"); v != nil {
		if !global && f.get("replicas") == nil {
			notGlobal("replication_lags")
		}
		t.ReplicationLags = p.replicationLags(v, t)
	}
	if v := f.get("multi_region_consistency"); v != nil {
		t.StrongConsistency = p.oneOf(v, "multi_region_consistency", "eventual", "strong") == "strong"
		switch n := len(t.Replicas); {
		case !t.StrongConsistency:
		case f.get("replicas") == nil:
			p.errorf(v, "multi_region_consistency: strong needs a global table of exactly %d replicas; table %s has no replicas:", strongReplicas, t.Name)
		case n > 0 && n != strongReplicas:
			p.errorf(v, "multi_region_consistency: strong needs exactly %d replicas (REFERENCE: global), and table %s has %d", strongReplicas, t.Name, n)
		}
	}
}

// replicas reads the regions of a global table: at least two, unique,
// shaped like region names, the first the scenario's region. It returns
// nil when the list is unusable.
func (p *parser) replicas(n *yaml.Node, table, home string) []string {
	items := p.list(n, "replicas", "a global table has at least two regions, the first "+home)
	if items == nil {
		return nil
	}
	var out []string
	first := map[string]*yaml.Node{}
	for i, it := range items {
		r := p.str(it, "replicas")
		switch {
		case strings.TrimSpace(r) == "":
			continue
		case !regionName.MatchString(r):
			p.errorf(it, "replicas: %q is not a region name such as us-east-1 or eu-west-1", r)
		case first[r] != nil:
			p.errorf(it, "replicas: %s is listed twice (first at line %d)", r, first[r].Line)
			continue
		case i == 0 && r != home:
			if home != "" {
				p.errorf(it, "replicas: the first replica is the table's home region, the scenario's region %s, not %s (list %s first, or set region: %s)", home, r, home, r)
			}
		}
		first[r] = it
		out = append(out, r)
	}
	if len(items) == 1 {
		p.errorf(n, "replicas: a global table has at least two regions; table %s has one (leave replicas out for a table in one region)", table)
	}
	return out
}

// lag reads {median, p99} of a replication lag; extra keys (from, to)
// are read by the caller, which passes them in keys.
func (p *parser) lag(n *yaml.Node, label string, keys []string) ReplicationLag {
	f, ok := p.fields(n, label, append([]string{"median", "p99"}, keys...)...)
	l := ReplicationLag{Pos: pos(n)}
	if !ok {
		return l
	}
	p.lagTimes(f, label, &l)
	return l
}

// lagTimes reads median (positive) and p99 (not below it) of f.
func (p *parser) lagTimes(f *fields, label string, l *ReplicationLag) {
	if v := p.require(f, "median", "the typical lag, such as 1s"); v != nil {
		l.Median = p.duration(v, label+".median")
	}
	if v := p.require(f, "p99", "the lag 99% of writes stay within, such as 2.5s"); v != nil {
		l.P99 = p.duration(v, label+".p99")
		if l.Median > 0 && l.P99 > 0 && l.P99 < l.Median {
			p.errorf(v, "%s.p99 (%s) is less than median (%s)", label, l.P99, l.Median)
		}
	}
}

// replicationLags reads the lags of region pairs of table t, one way.
func (p *parser) replicationLags(n *yaml.Node, t *Table) []ReplicationLag {
	var out []ReplicationLag
	first := map[[2]string]*yaml.Node{}
	for _, it := range p.list(n, "replication_lags", "") {
		f, ok := p.fields(it, "replication lag", "from", "to", "median", "p99")
		if !ok {
			continue
		}
		l := ReplicationLag{Pos: pos(it)}
		fromNode := p.require(f, "from", "the region the write is made in")
		toNode := p.require(f, "to", "the region it is replicated to")
		if fromNode != nil {
			l.From = p.replicaOf(fromNode, "replication_lags.from", t)
		}
		if toNode != nil {
			l.To = p.replicaOf(toNode, "replication_lags.to", t)
		}
		if l.From != "" && l.From == l.To {
			p.errorf(toNode, "replication_lags: from and to are both %s; a lag is between two replicas", l.From)
		}
		p.lagTimes(f, "replication_lags", &l)
		if l.From != "" && l.To != "" {
			key := [2]string{l.From, l.To}
			if prev := first[key]; prev != nil {
				p.errorf(it, "replication_lags: the lag from %s to %s is given twice (first at line %d)", l.From, l.To, prev.Line)
				continue
			}
			first[key] = it
		}
		out = append(out, l)
	}
	return out
}

// replicaOf reads the name of one of t's replicas, suggesting a near
// one. It returns "" after reporting a name that is not one.
func (p *parser) replicaOf(n *yaml.Node, field string, t *Table) string {
	r := p.str(n, field)
	if r == "" || len(t.Replicas) == 0 || slices.Contains(t.Replicas, r) {
		return r
	}
	if s := suggest(r, t.Replicas); s != "" {
		p.errorf(n, "%s: table %s has no replica in %s; did you mean %q?", field, t.Name, r, s)
	} else {
		p.errorf(n, "%s: table %s has no replica in %s (replicas: %s)", field, t.Name, r, strings.Join(t.Replicas, ", "))
	}
	return ""
}

// regionsOfTable are the regions table t is in: its replicas, or the
// scenario's region for a table in one region.
func regionsOfTable(t *Table, home string) []string {
	if len(t.Replicas) > 0 {
		return t.Replicas
	}
	return []string{home}
}

// workloadRegion reads a workload's region: one of its table's replicas.
func (p *parser) workloadRegion(f *fields, w *Workload, table *Table, home string) {
	v := f.get("region")
	if v == nil {
		return
	}
	w.Region = p.str(v, "region")
	if w.Region == "" || table == nil {
		return
	}
	regions := regionsOfTable(table, home)
	if slices.Contains(regions, w.Region) {
		// A DAX cluster is in the scenario's region.
		if dv := f.get("dax"); w.DAX != nil && *w.DAX && w.Region != home {
			p.errorf(dv, "dax: true, but the DAX cluster of table %s is in %s, and this workload's clients are in %s", table.Name, home, w.Region)
		}
		return
	}
	switch s := suggest(w.Region, regions); {
	case len(table.Replicas) == 0:
		p.errorf(v, "region: table %s is in %s only; give it replicas: [%s, %s] to serve clients in %s", table.Name, home, home, w.Region, w.Region)
	case s != "":
		p.errorf(v, "region: table %s has no replica in %s; did you mean %q?", table.Name, w.Region, s)
	default:
		p.errorf(v, "region: table %s has no replica in %s (replicas: %s)", table.Name, w.Region, strings.Join(table.Replicas, ", "))
	}
}

// homeRegion is the region of t's home replica.
func homeRegion(t *Table, scenarioRegion string) string {
	if len(t.Replicas) > 0 {
		return t.Replicas[0]
	}
	return scenarioRegion
}

// faults reads the region outages: {at, region, outage}. A fault's region
// is the scenario's or a replica's; it starts within the run; outages of
// one region do not overlap.
func (p *parser) faults(n *yaml.Node, s *Scenario) []Fault {
	regions := []string{s.Region}
	for i := range s.Tables {
		for _, r := range s.Tables[i].Replicas {
			if !slices.Contains(regions, r) {
				regions = append(regions, r)
			}
		}
	}
	var out []Fault
	for _, it := range p.list(n, "faults", "") {
		f, ok := p.fields(it, "fault", "at", "region", "outage")
		if !ok {
			continue
		}
		ft := Fault{Pos: pos(it)}
		if v := p.require(f, "region", "the region that goes down, such as "+s.Region); v != nil {
			ft.Region = p.str(v, "fault.region")
			if r := ft.Region; r != "" && !slices.Contains(regions, r) {
				if near := suggest(r, regions); near != "" {
					p.errorf(v, "fault.region: no table is in %s; did you mean %q?", r, near)
				} else {
					p.errorf(v, "fault.region: no table is in %s (regions: %s)", r, strings.Join(regions, ", "))
				}
			}
		}
		if v := p.require(f, "at", "when the outage starts, such as at: 5m"); v != nil {
			var ok bool
			ft.At, ok = value(p, v, "fault.at", "a duration such as 5m", ParseDuration)
			switch {
			case !ok:
			case ft.At < 0:
				p.errorf(v, "fault.at must not be negative, got %s", v.Value)
			case s.Duration > 0 && ft.At >= s.Duration:
				p.errorf(v, "fault.at %s is not within the run (duration: %s)", v.Value, s.Duration)
			}
		}
		if v := p.require(f, "outage", "how long the region is down, such as outage: 10m"); v != nil {
			ft.Outage = p.duration(v, "fault.outage")
		}
		for _, prev := range out {
			if prev.Region == ft.Region && ft.Outage > 0 && prev.Outage > 0 &&
				ft.At < prev.At+prev.Outage && prev.At < ft.At+ft.Outage {
				p.errorf(it, "fault: this outage of %s overlaps the one at line %d", ft.Region, prev.Pos.Line)
				break
			}
		}
		out = append(out, ft)
	}
	return out
}

// transactSize reports a workload whose multi-item requests would pass
// the service's size limits (REFERENCE: units): batch_size items of the
// largest size it writes (or, for the reads, the table's items too) over
// 4 MB for a transaction, which the service refuses, or over 16 MB for a
// BatchGetItem, which the service answers in part, leaving the rest
// unprocessed by size, as the model does not.
func (p *parser) transactSize(f *fields, w *Workload, table *Table) {
	if w.BatchSize < 1 {
		return
	}
	for _, lim := range []struct {
		ops   []string
		limit int64
		why   string
	}{
		{[]string{"transact_get", "transact_write"}, maxTransactBytes, "a transaction holds at most 4MB"},
		{[]string{"batch_get"}, maxBatchGetBytes, "a BatchGetItem response holds at most 16MB"},
	} {
		var ops []string
		for _, m := range w.Mix {
			if slices.Contains(lim.ops, m.Op) && !slices.Contains(ops, m.Op) {
				ops = append(ops, m.Op)
			}
		}
		if len(ops) == 0 {
			continue
		}
		largest, fix := largestItem(w.ItemSize), "item_size"
		if table != nil && (slices.Contains(ops, "transact_get") || slices.Contains(ops, "batch_get")) && table.Items.Size > largest {
			largest, fix = table.Items.Size, "the table's items.size" // the items it reads
		}
		if largest <= 0 || w.BatchSize*largest <= lim.limit {
			continue
		}
		at := f.get("batch_size")
		if at == nil && fix == "item_size" {
			at = f.get("item_size")
		}
		if at == nil {
			at = f.node
		}
		p.errorf(at, "%s of %d items of up to %s is %s; %s (REFERENCE: units), so lower batch_size (at most %d at this size) or %s",
			strings.Join(ops, " and "), w.BatchSize, fmtKB(largest), fmtKB(w.BatchSize*largest), lim.why, lim.limit/largest, fix)
	}
}

// largestItem is the largest item an item size gives: a lognormal's p99
// (its rare larger items are not counted).
func largestItem(is ItemSize) int64 {
	switch is.Distribution {
	case "uniform":
		return is.Max
	case "lognormal":
		return is.P99
	}
	return is.Fixed
}

// fmtKB writes a size in KB (1024 B), to one decimal place.
func fmtKB(b int64) string {
	return strings.TrimSuffix(fmt.Sprintf("%.1f", float64(b)/1024), ".0") + "KB"
}

// ---- the model ----

// tableOf returns the scenario's table named name, or nil.
func tableOf(sc *Scenario, name string) *Table {
	for i := range sc.Tables {
		if sc.Tables[i].Name == name {
			return &sc.Tables[i]
		}
	}
	return nil
}

// checkRegion reports a workload whose region is not one of its table's
// (for a Scenario built in code; the parser reports it at its place).
func checkRegion(sc *Scenario, w Workload) error {
	t := tableOf(sc, w.Table)
	if w.Region == "" || t == nil || slices.Contains(regionsOfTable(t, sc.Region), w.Region) {
		return nil
	}
	return fmt.Errorf("%s:%d:%d: workload %s: table %s has no replica in %s",
		sc.File, w.Pos.Line, w.Pos.Col, w.Name, t.Name, w.Region)
}

// replicaPriceNote says that a replica is billed at its home region's
// prices for want of its own region's.
func replicaPriceNote(sc *Scenario, replica, region, home string) string {
	data := "the built-in price data"
	if sc.Prices.Data != nil {
		data = sc.Prices.DataFile
	}
	return fmt.Sprintf("%s has no prices for %s: replica %s is billed at %s's prices (a --prices file with %s's replaces them)",
		data, region, replica, home, region)
}

// replicaPriceNotes are the notes a run of s will give about replicas
// billed at their home region's prices under the built-in price data.
func replicaPriceNotes(s *Scenario) []string {
	// Most scenarios have no replicas: spare them decoding the price data.
	if !slices.ContainsFunc(s.Tables, func(t Table) bool { return len(t.Replicas) > 1 }) {
		return nil
	}
	data, err := loadPrices(Prices{})
	if err != nil {
		return nil
	}
	var notes []string
	for _, t := range s.Tables {
		for _, r := range t.Replicas[min(1, len(t.Replicas)):] {
			if _, ok := data[r]; !ok {
				notes = append(notes, replicaPriceNote(s, t.Name+"@"+r, r, t.Replicas[0]))
			}
		}
	}
	return notes
}
