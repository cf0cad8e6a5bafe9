package scenarios

import (
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/ddbsim/ddbsim/model/billing"
	"github.com/ddbsim/ddbsim/model/capacity"
)

// ---- the scenario ----

var scenarioKeys = []string{
	"version", "name", "description", "seed", "duration", "region",
	"tables", "dax", "client", "latency", "service", "prices", "workloads", "thresholds",
	"faults", "history",
}

func (p *parser) scenario(root *yaml.Node) *Scenario {
	if root.Kind != yaml.MappingNode {
		p.errorf(root, "a scenario is a mapping of keys such as version: 1, not %s", describe(root))
		return nil
	}
	f, ok := p.fields(root, "the scenario", scenarioKeys...)
	if !ok {
		return nil
	}
	s := &Scenario{File: p.file, Version: 1, Region: "us-east-1"}

	// Another version may mean another schema: report it alone rather than
	// bury it under complaints about keys of a format we do not know.
	if v := p.require(f, "version", "expected version: 1"); v != nil {
		if v.Kind != yaml.ScalarNode || v.Value != "1" {
			p.errs, p.seen = nil, map[Error]bool{}
			p.errorf(v, "unsupported version %s; expected version: 1", describe(v))
			return nil
		}
	}
	if v := p.require(f, "name", ""); v != nil {
		s.Name = p.str(v, "name")
	}
	if v := f.get("description"); v != nil && v.ShortTag() != "!!null" {
		d, _ := p.scalar(v, "description", "a string")
		s.Description = strings.TrimSpace(d)
	}
	if v := f.get("seed"); v != nil {
		if str, ok := p.scalar(v, "seed", "a non-negative integer"); ok {
			seed, err := strconv.ParseUint(str, 10, 64)
			if err != nil {
				p.errorf(v, "seed: expected a non-negative integer, got %s", describe(v))
			}
			s.Seed, s.HasSeed = seed, true
		}
	}
	if v := p.require(f, "duration", "such as duration: 1h"); v != nil {
		s.Duration = p.duration(v, "duration")
	}
	if v := f.get("region"); v != nil {
		s.Region = p.str(v, "region")
		// Any region-shaped name is accepted: a --prices file may price
		// regions the built-in data does not.
		if s.Region != "" && !regionName.MatchString(s.Region) {
			p.errorf(v, "region: %q is not a region name such as us-east-1 or eu-west-1", s.Region)
		}
	}
	p.region = s.Region // the home region of global tables (parse_global.go)
	if v := p.require(f, "tables", "a scenario needs at least one table"); v != nil {
		s.Tables = p.tables(v)
	}
	p.notes = append(p.notes, replicaPriceNotes(s)...)
	if v := f.get("faults"); v != nil { // parse_global.go
		s.Faults = p.faults(v, s)
	}
	if v := f.get("dax"); v != nil { // parse_dax.go
		s.DAX = p.sharedDAX(v, s.Tables)
	}
	p.checkDAXNames(s.DAX, s.Tables)
	s.Client = defaultClient()
	if v := f.get("client"); v != nil {
		p.client(v, &s.Client)
	}
	if v := f.get("latency"); v != nil {
		s.Latency = p.latency(v)
	}
	if v := f.get("service"); v != nil {
		s.Service = p.service(v)
	}
	p.checkQuotas(s.Service) // tables come before service: check them now
	if v := f.get("prices"); v != nil {
		p.prices(v, &s.Prices)
	}
	if v := p.require(f, "workloads", "a scenario needs at least one workload"); v != nil {
		s.Workloads = p.workloads(v, s.Tables, s.DAX)
	}
	p.notes = append(p.notes, seriesNotes(s)...) // parse_series.go
	if v := f.get("history"); v != nil {         // parse_history.go
		s.History = p.history(v, s.Tables)
	}
	if v := f.get("thresholds"); v != nil {
		s.Thresholds = p.thresholds(v, s)
	}
	s.Notes = p.notes
	return s
}

// ---- tables ----

var tableKeys = []string{
	"name", "partition_key", "sort_key", "mode", "read_capacity", "write_capacity",
	"autoscaling", "previous_peak", "items", "table_class",
	"partitions", "capacity_changes", "warm_throughput", "max_throughput", "reserved",
	"indexes", "dax",
	"stream", "ttl", "replicas", "replication_lag", "replication_lags", "multi_region_consistency",
}

func (p *parser) tables(n *yaml.Node) []Table {
	var tables []Table
	first := map[string]*yaml.Node{}
	for _, it := range p.list(n, "tables", "a scenario needs at least one table") {
		t, nameNode := p.table(it)
		if t.Name != "" {
			if prev := first[t.Name]; prev != nil {
				p.errorf(nameNode, "duplicate table name %q (first at line %d)", t.Name, prev.Line)
				continue
			}
			first[t.Name] = nameNode
		}
		tables = append(tables, t)
	}
	return tables
}

// table parses one table; it returns what it could read even when there
// are problems, so that workloads naming it are not reported too.
func (p *parser) table(n *yaml.Node) (t Table, nameNode *yaml.Node) {
	t = Table{Pos: pos(n), TableClass: "standard", Items: Items{Size: 1 << 10, PerKey: 1}}
	f, ok := p.fields(n, "table", tableKeys...)
	if !ok {
		return t, n
	}
	if nameNode = p.require(f, "name", ""); nameNode != nil {
		t.Name = p.str(nameNode, "name")
		if t.Name != "" && !tableName.MatchString(t.Name) {
			p.errorf(nameNode, "table name %q: expected letters, digits, _ . or -, at most 255 of them (the service's rule for table names)", t.Name)
		}
	}
	if v := p.require(f, "partition_key", "the name of its key attribute"); v != nil {
		t.PartitionKey = p.keyAttribute(v, "partition_key")
	}
	if v := f.get("sort_key"); v != nil {
		t.SortKey = p.keyAttribute(v, "sort_key")
		p.distinctKeys(v, t.PartitionKey, t.SortKey)
	}
	if v := p.require(f, "mode", "provisioned or on-demand"); v != nil {
		t.Mode = p.oneOf(v, "mode", "provisioned", "on-demand")
	}

	// Parse what is there, then check it fits the mode.
	if v := f.get("read_capacity"); v != nil {
		t.ReadCapacity = p.atLeast(v, "read_capacity", 1) // the service's minimum
		p.quota(v, "read_capacity", quotaRead, float64(t.ReadCapacity), false)
	}
	if v := f.get("write_capacity"); v != nil {
		t.WriteCapacity = p.atLeast(v, "write_capacity", 1)
		p.quota(v, "write_capacity", quotaWrite, float64(t.WriteCapacity), false)
	}
	if v := f.get("autoscaling"); v != nil {
		t.AutoScaling = p.autoscaling(v)
	}
	if v := f.get("previous_peak"); v != nil {
		// 0/s is a table that has seen no traffic: the defaults apply.
		t.PreviousPeak = p.peak(v, "previous_peak", 0, 0, "")
	}
	if v := f.get("warm_throughput"); v != nil {
		// Warm throughput can be raised, never lowered (REFERENCE:
		// ondemand): below a new table's, a value would be ignored.
		t.WarmThroughput = p.peak(v, "warm_throughput", float64(capacity.OnDemandWarmReads), float64(capacity.OnDemandWarmWrites),
			"a new on-demand table's warm throughput, which can be raised, never lowered (REFERENCE: ondemand)")
	}
	if v := f.get("max_throughput"); v != nil {
		// The service's least MaxRead/WriteRequestUnits is 1; below it
		// the model would read "no maximum" (REFERENCE: ondemand).
		t.MaxThroughput = p.peak(v, "max_throughput", 1, 1, "the service's least maximum; leave max_throughput out for none")
	}
	if v := f.get("partitions"); v != nil {
		t.Partitions = p.atLeast(v, "partitions", 1)
		if t.Partitions > maxTablePartitions {
			p.errorf(v, "partitions must be at most %d (the most ddbsim simulates in one table), got %s", maxTablePartitions, v.Value)
		}
	}
	if v := f.get("reserved"); v != nil {
		t.Reserved = p.reserved(v)
	}
	if v := f.get("capacity_changes"); v != nil {
		t.CapacityChanges = p.capacityChanges(v, t.Mode, t.Name)
	}
	switch t.Mode {
	case "provisioned":
		p.require(f, "read_capacity", "provisioned tables need read_capacity >= 1")
		p.require(f, "write_capacity", "provisioned tables need write_capacity >= 1")
		// previous_peak stays valid here: it is the table's history, which
		// decides its capacity if it is switched to on-demand
		// (REFERENCE: ondemand), by capacity_changes or by ddbsim
		// compare, as DESIGN.md's example shows. So does warm_throughput:
		// a provisioned table raises its capacity up to it at once
		// (REFERENCE: ondemand), and it can be pre-warmed in either mode.
		p.onlyFor(f, "on-demand", "provisioned", "max_throughput")
	case "on-demand":
		p.onlyFor(f, "provisioned", "on-demand", "read_capacity", "write_capacity", "autoscaling", "reserved")
	}

	if v := f.get("items"); v != nil {
		t.Items = p.items(v, t.SortKey != "")
	}
	if v := f.get("table_class"); v != nil {
		t.TableClass = p.oneOf(v, "table_class", "standard", "standard-ia")
	}
	if t.Reserved != nil && t.TableClass == "standard-ia" {
		p.errorf(f.key["reserved"], "reserved capacity is sold for the Standard table class only")
	}
	if v := f.get("indexes"); v != nil { // parse_indexes.go
		t.Indexes = p.indexes(v, &t)
		p.itemCollections(f.get("items"), t)
	}
	if v := f.get("dax"); v != nil { // parse_dax.go
		t.DAX = p.tableDAX(v, t.Name)
	}
	if v := f.get("stream"); v != nil { // parse_streams.go
		t.Stream = p.stream(v, t.Name)
	}
	if v := f.get("ttl"); v != nil {
		t.TTL = p.ttl(v, &t)
	}
	p.globalTable(f, &t, p.region) // parse_global.go
	return t, nameNode
}

// tableName is the service's rule for table names (CreateTable's
// TableName; REFERENCE.md has no section on names), less its minimum of
// 3 characters: short names such as "t" are common in small scenarios,
// and a name is only a label to ddbsim. The characters matter: an index
// is named "<table>/<index>" and a replica "<table>@<region>".
var tableName = regexp.MustCompile(`^[A-Za-z0-9_.-]{1,255}$`)

// maxKeyAttributeName is the longest name of a key attribute, in bytes
// (the service's KeySchemaElement.AttributeName: 1 to 255; REFERENCE:
// units bounds key values, 2048 and 1024 bytes, which ddbsim generates
// itself, short, and lets no scenario set).
const maxKeyAttributeName = 255

// keyAttribute reads the name of a key attribute.
func (p *parser) keyAttribute(n *yaml.Node, field string) string {
	s := p.str(n, field)
	if len(s) > maxKeyAttributeName {
		p.errorf(n, "%s: a key attribute name is at most %d bytes, got %d", field, maxKeyAttributeName, len(s))
	}
	return s
}

// distinctKeys reports a sort key that names the partition key: the
// service refuses a key schema that names one attribute twice (a
// CreateTable rule, not in REFERENCE.md). n is the sort_key node.
func (p *parser) distinctKeys(n *yaml.Node, partitionKey, sortKey string) {
	if sortKey != "" && sortKey == partitionKey {
		p.errorf(n, "sort_key: %s is also the partition_key; a sort key is another attribute", sortKey)
	}
}

// onlyFor reports keys that belong to the other capacity mode.
func (p *parser) onlyFor(f *fields, mode, this string, keys ...string) {
	for _, k := range keys {
		if kn := f.key[k]; kn != nil {
			p.errorf(kn, "%s applies only to mode: %s, and this table is %s", k, mode, this)
		}
	}
}

func (p *parser) autoscaling(n *yaml.Node) *AutoScaling {
	f, ok := p.fields(n, "autoscaling", "target", "min", "max")
	if !ok {
		return nil
	}
	a := &AutoScaling{Target: 0.7} // the usual target (REFERENCE: provisioned)
	if v := f.get("target"); v != nil {
		if t, ok := p.percent(v, "autoscaling.target"); ok {
			a.Target = t
			// The service accepts target utilisation 20-90% (REFERENCE: provisioned).
			if t < 0.2 || t > 0.9 {
				p.errorf(v, "autoscaling.target must be between 20%% and 90%%, got %s", v.Value)
			}
		}
	}
	minNode := p.require(f, "min", "the least capacity, at least 1")
	maxNode := p.require(f, "max", "the most capacity")
	if minNode != nil {
		a.Min = p.atLeast(minNode, "autoscaling.min", 1)
	}
	if maxNode != nil {
		a.Max = p.atLeast(maxNode, "autoscaling.max", 1)
		// min above the quota is reported as min above max.
		p.quota(maxNode, "autoscaling.max", quotaBoth, float64(a.Max), false)
	}
	if minNode != nil && maxNode != nil && a.Min > a.Max && a.Max >= 1 {
		p.errorf(minNode, "autoscaling.min (%d) is greater than max (%d)", a.Min, a.Max)
	}
	return a
}

// peak parses {reads, writes} rates in units per second, at least one of
// them, each at least its floor (minReads, minWrites; why says what the
// floor is) and within the table's quota.
func (p *parser) peak(n *yaml.Node, label string, minReads, minWrites float64, why string) *Peak {
	f, ok := p.fields(n, label, "reads", "writes")
	if !ok {
		return nil
	}
	pk := &Peak{}
	for _, side := range []struct {
		key   string
		dst   *float64
		floor float64
		quota quotaSide
	}{
		{"reads", &pk.Reads, minReads, quotaRead},
		{"writes", &pk.Writes, minWrites, quotaWrite},
	} {
		v := f.get(side.key)
		if v == nil {
			continue
		}
		field := label + "." + side.key
		r, ok := p.rate(v, field)
		if !ok {
			continue
		}
		*side.dst = r
		if r < side.floor {
			p.errorf(v, "%s must be at least %s/s, got %s: %s", field, strconv.FormatFloat(side.floor, 'f', -1, 64), v.Value, why)
			continue
		}
		p.quota(v, field, side.quota, r, true)
	}
	if f.get("reads") == nil && f.get("writes") == nil && len(f.guessed) == 0 {
		p.errorf(n, "%s needs reads, writes or both, such as {reads: 12000/s}", label)
	}
	return pk
}

// capacityChanges parses planned updates, in time order:
// [{at, read_capacity, write_capacity, mode}]. Capacity applies only
// while the table is provisioned, following the mode switches before it;
// a switch to provisioned of a table that never had both capacities
// must set them, as the service's UpdateTable does (REFERENCE:
// provisioned, "Minimum 1 RCU/WCU").
func (p *parser) capacityChanges(n *yaml.Node, mode, table string) []CapacityChange {
	var out []CapacityChange
	var last time.Duration
	// Whether the table has had each capacity: a provisioned table has
	// (or is reported for lacking it).
	hadRead, hadWrite := mode == "provisioned", mode == "provisioned"
	for _, it := range p.list(n, "capacity_changes", "") {
		f, ok := p.fields(it, "capacity change", "at", "read_capacity", "write_capacity", "mode")
		if !ok {
			continue
		}
		c := CapacityChange{Pos: pos(it)}
		if v := p.require(f, "at", "when the change is made, such as at: 10m"); v != nil {
			c.At, _ = value(p, v, "at", "a duration such as 10m", ParseDuration)
			if c.At < 0 {
				p.errorf(v, "at must not be negative, got %s", v.Value)
			}
			if c.At < last {
				p.errorf(v, "capacity_changes must be in time order: %s comes after %s", v.Value, last)
			}
			last = max(last, c.At)
		}
		if v := f.get("mode"); v != nil {
			c.Mode = p.oneOf(v, "mode", "provisioned", "on-demand")
			if c.Mode == mode {
				p.errorf(v, "the table is already %s here", mode)
			}
			if c.Mode == "provisioned" && mode == "on-demand" {
				var missing []string
				if !hadRead && f.get("read_capacity") == nil {
					missing = append(missing, "read_capacity")
				}
				if !hadWrite && f.get("write_capacity") == nil {
					missing = append(missing, "write_capacity")
				}
				if len(missing) > 0 {
					p.errorf(v, "mode: provisioned needs %s here: table %s has not been provisioned before", strings.Join(missing, " and "), table)
				}
			}
			mode = c.Mode
		}
		for _, key := range []string{"read_capacity", "write_capacity"} {
			v := f.get(key)
			if v == nil {
				continue
			}
			if mode == "on-demand" {
				p.errorf(f.key[key], "%s applies only to mode: provisioned, and the table is on-demand here", key)
			}
			if key == "read_capacity" {
				c.ReadCapacity = p.atLeast(v, key, 1)
				p.quota(v, key, quotaRead, float64(c.ReadCapacity), false)
				hadRead = true
			} else {
				c.WriteCapacity = p.atLeast(v, key, 1)
				p.quota(v, key, quotaWrite, float64(c.WriteCapacity), false)
				hadWrite = true
			}
		}
		if f.get("read_capacity") == nil && f.get("write_capacity") == nil && f.get("mode") == nil {
			p.errorf(it, "a capacity change needs read_capacity, write_capacity, mode, or several")
		}
		out = append(out, c)
	}
	return out
}

// reserved parses {read_capacity, write_capacity, term}: units in blocks
// of 100 (REFERENCE: provisioned), term 1y (default) or 3y.
func (p *parser) reserved(n *yaml.Node) *Reserved {
	f, ok := p.fields(n, "reserved", "read_capacity", "write_capacity", "term")
	if !ok {
		return nil
	}
	r := &Reserved{Term: "1y"}
	for _, key := range []string{"read_capacity", "write_capacity"} {
		v := f.get(key)
		if v == nil {
			continue
		}
		c, ok := p.count(v, "reserved."+key)
		if ok && (c < 100 || c%100 != 0) {
			p.errorf(v, "reserved.%s must be a multiple of 100 (reserved capacity is sold in blocks of 100), got %s", key, v.Value)
		}
		if key == "read_capacity" {
			r.ReadCapacity = c
		} else {
			r.WriteCapacity = c
		}
	}
	if f.get("read_capacity") == nil && f.get("write_capacity") == nil {
		p.errorf(n, "reserved needs read_capacity, write_capacity or both")
	}
	if v := f.get("term"); v != nil {
		r.Term = p.oneOf(v, "reserved.term", "1y", "3y")
	}
	return r
}

// prices parses overrides of the price data: US dollars per request unit,
// per unit-hour and per GB-month, DAX node-hours by node type
// (dax_node_hour: {dax.r5.large: 0.25}), free_tier, and the month
// convention (month: 730h or 30d).
func (p *parser) prices(n *yaml.Node, pr *Prices) {
	f, ok := p.fields(n, "prices", "read_request_unit", "write_request_unit", "rcu_hour", "wcu_hour",
		"storage_gb_month", "dax_node_hour", "free_tier", "month",
		"replicated_write_request_unit", "replicated_wcu_hour", "stream_read_request_unit")
	if !ok {
		return
	}
	for key, dst := range map[string]**float64{
		"read_request_unit": &pr.ReadRequestUnit, "write_request_unit": &pr.WriteRequestUnit,
		"rcu_hour": &pr.RCUHour, "wcu_hour": &pr.WCUHour, "storage_gb_month": &pr.StorageGBMonth,
		"replicated_write_request_unit": &pr.ReplicatedWriteRequestUnit, "replicated_wcu_hour": &pr.ReplicatedWCUHour,
		"stream_read_request_unit": &pr.StreamReadRequestUnit,
	} {
		if v := f.get(key); v != nil {
			if x, ok := p.price(v, "prices."+key, "0.00013"); ok {
				*dst = &x
			}
		}
	}
	if v := f.get("dax_node_hour"); v != nil {
		if ps, ok := p.pairs(v, "prices.dax_node_hour"); ok {
			pr.DAXNodeHour = map[string]float64{}
			for _, kv := range ps {
				name := p.daxNodeType(kv.key, "prices.dax_node_hour")
				if x, ok := p.price(kv.val, "prices.dax_node_hour."+kv.key.Value, "0.269"); ok {
					pr.DAXNodeHour[name] = x
				}
			}
		}
	}
	if v := f.get("free_tier"); v != nil {
		s, _ := p.scalar(v, "prices.free_tier", "true or false")
		switch s {
		case "true":
			pr.FreeTier = true
		case "false":
			pr.FreeTier = false
		default:
			p.errorf(v, "prices.free_tier: expected true or false, got %s", describe(v))
		}
	}
	if v := f.get("month"); v != nil {
		s, _ := p.scalar(v, "prices.month", "730h or 30d")
		if _, ok := billing.MonthConvention(s); ok && s != "" {
			pr.Month = s
		} else {
			p.errorf(v, "prices.month: expected %s (365 days / 12, the default) or %s (the AWS pricing examples' 30-day month), got %s",
				billing.Month730Hours, billing.Month30Days, describe(v))
		}
	}
}

// price parses a price in US dollars ("0.25" or "$0.25"), not negative;
// example goes into the message.
func (p *parser) price(n *yaml.Node, field, example string) (float64, bool) {
	s, ok := p.scalar(n, field, "a price in US dollars such as "+example)
	if !ok {
		return 0, false
	}
	x, err := strconv.ParseFloat(strings.TrimPrefix(s, "$"), 64)
	if err != nil || x < 0 || math.IsInf(x, 0) || math.IsNaN(x) {
		p.errorf(n, "%s: expected a price in US dollars such as %s, got %s", field, example, describe(n))
		return 0, false
	}
	return x, true
}

// service parses overrides of the model's unpublished parameters.
func (p *parser) service(n *yaml.Node) ServiceParams {
	var sp ServiceParams
	f, ok := p.fields(n, "service", "burst_window", "burst_starts_full", "adaptive",
		"heat_threshold", "heat_sustain", "heat_split_delay", "hot_key_share", "eventual_read_ceiling",
		"on_demand_catch_up", "on_demand_peak_counts_throttled", "update_delay", "table_read_quota", "table_write_quota",
		"dax_cache_memory", "dax_item_cache_share", "ttl_delete_within",
		"global_storage_overhead")
	if !ok {
		return sp
	}
	dur := func(key string, dst **time.Duration, allowZero bool) {
		if v := f.get(key); v != nil {
			d, ok := value(p, v, key, "a duration such as 5m", ParseDuration)
			if ok && (d < 0 || d == 0 && !allowZero) {
				p.errorf(v, "%s must be positive, got %s", key, v.Value)
			}
			*dst = &d
		}
	}
	boolean := func(key string, dst **bool) {
		if v := f.get(key); v != nil {
			str, ok := p.scalar(v, key, "true or false")
			if ok && str != "true" && str != "false" {
				p.errorf(v, "%s: expected true or false, got %s", key, describe(v))
			}
			b := str == "true"
			*dst = &b
		}
	}
	pct := func(key string, dst **float64) {
		if v := f.get(key); v != nil {
			x, ok := p.percent(v, key)
			if ok && (x <= 0 || x > 1) {
				p.errorf(v, "%s must be above 0%% and at most 100%%, got %s", key, v.Value)
			}
			*dst = &x
		}
	}
	quota := func(key string, dst **int64) {
		if v := f.get(key); v != nil {
			q := p.atLeast(v, key, 1)
			if q > maxQuota {
				p.errorf(v, "%s must be at most %d (a table at that capacity spans %d partitions, the most ddbsim simulates), got %s",
					key, maxQuota, maxTablePartitions, v.Value)
			}
			*dst = &q
		}
	}
	dur("burst_window", &sp.BurstWindow, true)
	boolean("burst_starts_full", &sp.BurstStartsFull)
	boolean("adaptive", &sp.Adaptive)
	pct("heat_threshold", &sp.HeatThreshold)
	dur("heat_sustain", &sp.HeatSustain, false)
	dur("heat_split_delay", &sp.HeatSplitDelay, true)
	pct("hot_key_share", &sp.HotKeyShare)
	if v := f.get("eventual_read_ceiling"); v != nil {
		// Below the 3,000 a partition serves any read, eventually
		// consistent reads would be served worse than strong ones; above
		// 9,000 (three replicas at 3,000 each) no source suggests.
		if c, ok := p.count(v, "eventual_read_ceiling"); ok {
			if c < 3000 || c > 9000 {
				p.errorf(v, "eventual_read_ceiling must be between 3000 (the documented ceiling of any read) and 9000 (three replicas at 3000 each) read units a second, got %s", v.Value)
			}
			sp.EventualReadCeiling = &c
		}
	}
	dur("on_demand_catch_up", &sp.OnDemandCatchUp, true)
	boolean("on_demand_peak_counts_throttled", &sp.OnDemandPeakCountsThrottled)
	dur("update_delay", &sp.UpdateDelay, true)
	quota("table_read_quota", &sp.TableReadQuota)
	quota("table_write_quota", &sp.TableWriteQuota)
	pct("dax_cache_memory", &sp.DAXCacheMemory)
	pct("dax_item_cache_share", &sp.DAXItemCacheShare)
	dur("ttl_delete_within", &sp.TTLDeleteWithin, false)
	if v := f.get("global_storage_overhead"); v != nil {
		if b, ok := p.size(v, "global_storage_overhead"); ok {
			if b > 1<<10 {
				p.errorf(v, "global_storage_overhead: %s per item is more than the 1KB an overhead could be; the service documents 48B", v.Value)
			}
			sp.GlobalStorageOverhead = &b
		}
	}
	return sp
}

func (p *parser) items(n *yaml.Node, hasSortKey bool) Items {
	it := Items{Size: 1 << 10, PerKey: 1}
	f, ok := p.fields(n, "items", "count", "size", "per_key")
	if !ok {
		return it
	}
	if v := f.get("count"); v != nil {
		it.Count, _ = p.count(v, "items.count")
	}
	if v := f.get("size"); v != nil {
		it.Size = p.itemSize(v, "items.size")
	}
	if v := f.get("per_key"); v != nil {
		it.PerKey = p.atLeast(v, "items.per_key", 1)
		switch {
		case it.PerKey > 1 && !hasSortKey:
			p.errorf(v, "items.per_key: a table without a sort_key holds one item per key")
		case it.Count > 0 && it.PerKey > it.Count:
			p.errorf(v, "items.per_key (%d) is more than items.count (%d): a partition key's items are among the table's", it.PerKey, it.Count)
		}
	}
	p.tableSize(n, it)
	return it
}

// ---- client and latency ----

func (p *parser) client(n *yaml.Node, c *Client) {
	f, ok := p.fields(n, "client", "retry", "timeout", "failover_after")
	if !ok {
		return
	}
	if v := f.get("failover_after"); v != nil {
		c.FailoverAfter = p.thinkTime(v, "client.failover_after") // 0: at once
	}
	if v := f.get("retry"); v != nil {
		c.Retry = p.retry(v)
	}
	if v := f.get("timeout"); v != nil {
		c.Timeout = p.duration(v, "client.timeout")
	}
}

func (p *parser) retry(n *yaml.Node) Retry {
	if n.Kind == yaml.ScalarNode {
		return Retry{Policy: p.oneOf(n, "client.retry", "sdk-v2", "legacy", "none", "go-v2", "go-v1", "js-v3", "boto3-standard", "go-v2-adaptive", "java-v2", "boto3-legacy")}
	}
	if n.Kind != yaml.MappingNode {
		p.errorf(n, "client.retry: expected sdk-v2, legacy, none, go-v2, go-v1, js-v3, boto3-standard, go-v2-adaptive, java-v2, boto3-legacy or a mapping {max_attempts, base, max_backoff}, got %s", describe(n))
		return Retry{}
	}
	r := Retry{Policy: "custom"}
	f, ok := p.fields(n, "client.retry", "max_attempts", "base", "max_backoff")
	if !ok {
		return r
	}
	if v := p.require(f, "max_attempts", "attempts in all, first one included"); v != nil {
		m := p.atLeast(v, "client.retry.max_attempts", 1)
		if m > math.MaxInt32 {
			p.errorf(v, "client.retry.max_attempts is too large")
		} else {
			r.MaxAttempts = int(m)
		}
	}
	if v := p.require(f, "base", "the first backoff, such as 50ms"); v != nil {
		r.Base = p.duration(v, "client.retry.base")
	}
	if v := p.require(f, "max_backoff", "the longest backoff, such as 20s"); v != nil {
		r.MaxBackoff = p.duration(v, "client.retry.max_backoff")
		if r.Base > 0 && r.MaxBackoff > 0 && r.MaxBackoff < r.Base {
			p.errorf(v, "client.retry.max_backoff (%s) is less than base (%s)", r.MaxBackoff, r.Base)
		}
	}
	return r
}

// LatencyDAX is the `latency:` key of a DAX node's own time: the whole of
// a cache hit, added to the table's time on a miss or a write.
const LatencyDAX = "dax"

func (p *parser) latency(n *yaml.Node) map[string]LatencySpec {
	ps, ok := p.pairs(n, "latency")
	if !ok {
		return nil
	}
	out := map[string]LatencySpec{}
	for _, kv := range ps {
		op := kv.key.Value
		if op != LatencyDAX && !slices.Contains(operations, op) {
			p.unknown(kv.key, "operation", "latency", append(slices.Clip(operations), LatencyDAX))
			continue
		}
		label := "latency." + op
		f, ok := p.fields(kv.val, label, "median", "p99")
		if !ok {
			continue
		}
		var l LatencySpec
		if v := p.require(f, "median", "such as 2.5ms"); v != nil {
			l.Median = p.duration(v, label+".median")
		}
		if v := p.require(f, "p99", "such as 10ms"); v != nil {
			l.P99 = p.duration(v, label+".p99")
			if l.Median > 0 && l.P99 > 0 && l.P99 < l.Median {
				p.errorf(v, "%s.p99 (%s) is less than median (%s)", label, l.P99, l.Median)
			}
		}
		out[op] = l
	}
	return out
}
