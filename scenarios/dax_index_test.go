package scenarios

// Tests of DAX clusters and secondary indexes in scenario files: what
// each key yields, every validation error at its place, and the wiring
// into the model (index tables, clusters, price books, workload routing).

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/ddbsim/ddbsim/model/cache"
)

const (
	provTable = "{name: orders, partition_key: customer, sort_key: created_at, mode: provisioned, read_capacity: 100, write_capacity: 50, items: {count: 10k, per_key: 10}"
	odTable   = "{name: users, partition_key: id, mode: on-demand, items: {count: 1k}"
	plainWl   = "{name: w, table: orders, rate: 1/s}"
)

// ixDoc builds a scenario whose first table is at line 5 and whose
// workloads start at line 5 + len(tables); extra goes at the end.
func ixDoc(tables []string, workloads []string, extra string) string {
	src := "version: 1\nname: test\nduration: 1m\ntables:\n"
	for _, t := range tables {
		src += "  - " + t + "\n"
	}
	src += "workloads:\n"
	for _, w := range workloads {
		src += "  - " + w + "\n"
	}
	return src + extra
}

func TestParseDAX(t *testing.T) {
	five := 5 * time.Minute
	tables := []string{provTable + ", dax: {nodes: 1, node_type: dax.t3.small, item_ttl: 1m}}", odTable + "}", "{name: carts, partition_key: id, mode: on-demand, items: {count: 1k}}"}
	for _, tc := range []struct {
		name        string
		shared      string
		want        *DAX
		orders, car *DAX // the clusters in front of orders and carts
	}{
		{"no shared cluster", "", nil, nil, nil},
		{"defaults: named dax, 5m TTLs, every table without its own",
			"dax: {nodes: 3, node_type: r5.large}\n",
			&DAX{Pos: Pos{10, 6}, Name: "dax", Nodes: 3, NodeType: "dax.r5.large", ItemTTL: five, QueryTTL: five, Tables: []string{"users", "carts"}},
			nil, nil},
		{"every key",
			"dax:\n  name: shared\n  nodes: 11\n  node_type: dax.r5.16xlarge\n  item_ttl: 30s\n  query_ttl: 1h\n  item_cache_items: 10k\n  query_cache_items: 1\n  tables: [carts]\n",
			&DAX{Pos: Pos{11, 3}, Name: "shared", Nodes: 11, NodeType: "dax.r5.16xlarge", ItemTTL: 30 * time.Second, QueryTTL: time.Hour,
				ItemCacheItems: 10_000, QueryCacheItems: 1, Tables: []string{"carts"}},
			nil, nil},
	} {
		s, err := Parse("test.yaml", []byte(ixDoc(tables, []string{plainWl}, tc.shared)))
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		if !reflect.DeepEqual(s.DAX, tc.want) {
			t.Errorf("%s: shared\n got %+v\nwant %+v", tc.name, s.DAX, tc.want)
		}
		own := &DAX{Pos: Pos{5, 165}, Name: "orders-dax", Nodes: 1, NodeType: "dax.t3.small", ItemTTL: time.Minute, QueryTTL: five, Tables: []string{"orders"}}
		if !reflect.DeepEqual(s.Tables[0].DAX, own) {
			t.Errorf("%s: table's own\n got %+v\nwant %+v", tc.name, s.Tables[0].DAX, own)
		}
		if got := clusterOf(s.DAX, &s.Tables[0]); got != s.Tables[0].DAX {
			t.Errorf("%s: orders is behind %+v", tc.name, got)
		}
		wantCarts := (*DAX)(nil)
		if tc.want != nil {
			wantCarts = s.DAX
		}
		if got := clusterOf(s.DAX, &s.Tables[2]); got != wantCarts {
			t.Errorf("%s: carts is behind %+v", tc.name, got)
		}
		var names []string
		for _, d := range s.Clusters() {
			names = append(names, d.Name)
		}
		if tc.want != nil && strings.Join(names, " ") != tc.want.Name+" orders-dax" || tc.want == nil && strings.Join(names, " ") != "orders-dax" {
			t.Errorf("%s: clusters in order %v", tc.name, names)
		}
	}
}

func TestParseIndexDAXErrors(t *testing.T) {
	const (
		gsi = provTable + ", indexes: [" // the index mapping starts at 5:170
		lsi = provTable + ", indexes: [{name: by-total, local: true, sort_key: total, "
		od  = "{name: orders, partition_key: id, mode: on-demand, items: {count: 1k}, indexes: [{name: by-email, partition_key: email, " // its first index key at 5:125
	)
	tables := func(t ...string) []string { return t }
	wls := func(w ...string) []string { return w }
	twoGSIs := provTable + ", dax: {nodes: 1, node_type: dax.t3.small}, indexes: [{name: by-status, partition_key: status}, {name: by-total, local: true, sort_key: total}]}"
	manyGSIs := provTable + ", indexes: ["
	for i := range 21 {
		manyGSIs += "{name: gsi" + string(rune('a'+i)) + ", partition_key: p}, "
	}
	manyGSIs = strings.TrimSuffix(manyGSIs, ", ") + "]}"
	manyLSIs := provTable + ", indexes: ["
	for i := range 6 {
		manyLSIs += "{name: lsi" + string(rune('a'+i)) + ", local: true, sort_key: s}, "
	}
	manyLSIs = strings.TrimSuffix(manyLSIs, ", ") + "]}"
	for _, tc := range []struct {
		name   string
		tables []string
		wls    []string
		extra  string
		at     string
		msg    string
	}{
		// indexes
		{"unknown index key", tables(gsi + "{name: by-status, partition_key: status, projecton: all}]}"), wls(plainWl), "", "5:211",
			`unknown key "projecton" in index; did you mean "projection"?`},
		{"index name too short", tables(gsi + "{name: bs, partition_key: status}]}"), wls(plainWl), "", "5:177",
			`index name "bs": expected 3 to 255 letters, digits, _ . or - (the service's rule for index names)`},
		{"index name with a space", tables(gsi + "{name: by status, partition_key: status}]}"), wls(plainWl), "", "5:177",
			`index name "by status": expected 3 to 255 letters, digits, _ . or - (the service's rule for index names)`},
		{"index name too long", tables(gsi + "{name: " + strings.Repeat("x", 256) + ", partition_key: status}]}"), wls(plainWl), "", "5:177",
			`index name "` + strings.Repeat("x", 256) + `": expected 3 to 255 letters, digits, _ . or - (the service's rule for index names)`},
		{"duplicate index name", tables(gsi + "{name: by-status, partition_key: a}, {name: by-status, partition_key: b}]}"), wls(plainWl), "", "5:214",
			`duplicate index name "by-status" in table orders (first at line 5)`},
		{"GSI without a partition key", tables(gsi + "{name: by-status}]}"), wls(plainWl), "", "5:170",
			`index is missing partition_key (the index's key attribute)`},
		{"more than 20 GSIs", tables(manyGSIs), wls(plainWl), "", "5:810",
			`table orders has more than 20 global secondary indexes, the service's default quota`},
		{"more than 5 LSIs", tables(manyLSIs), wls(plainWl), "", "5:370",
			`table orders has more than 5 local secondary indexes, the service's limit`},
		{"LSI on a table without a sort key", tables("{name: orders, partition_key: id, mode: on-demand, items: {count: 1k}, indexes: [{name: by-total, local: true, sort_key: total}]}"), wls(plainWl), "", "5:103",
			`a local secondary index needs its table to have a sort_key; table orders has none`},
		{"LSI without a sort key", tables(provTable + ", indexes: [{name: by-total, local: true}]}"), wls(plainWl), "", "5:170",
			`index is missing sort_key (a local secondary index is the table's partition key with another sort key)`},
		{"LSI with another partition key", tables(lsi + "partition_key: status}]}"), wls(plainWl), "", "5:232",
			`partition_key of a local secondary index is its table's (customer), not status`},
		{"LSI with keys", tables(lsi + "keys: {count: 5}}]}"), wls(plainWl), "", "5:217",
			`keys applies only to a global secondary index; a local one shares its table's partition key`},
		{"LSI with read capacity", tables(lsi + "read_capacity: 5}]}"), wls(plainWl), "", "5:217",
			`read_capacity applies only to a global secondary index; a local one shares its table's capacity`},
		{"LSI with write capacity", tables(lsi + "write_capacity: 5}]}"), wls(plainWl), "", "5:217",
			`write_capacity applies only to a global secondary index; a local one shares its table's capacity`},
		{"LSI with autoscaling", tables(lsi + "autoscaling: {min: 1, max: 5}}]}"), wls(plainWl), "", "5:217",
			`autoscaling applies only to a global secondary index; a local one shares its table's capacity`},
		{"read capacity on an on-demand table's index", tables(od + "read_capacity: 5}]}"), wls(plainWl), "", "5:125",
			`read_capacity applies only to an index of a provisioned table; table orders is on-demand, and so are its indexes`},
		{"write capacity on an on-demand table's index", tables(od + "write_capacity: 5}]}"), wls(plainWl), "", "5:125",
			`write_capacity applies only to an index of a provisioned table; table orders is on-demand, and so are its indexes`},
		{"autoscaling on an on-demand table's index", tables(od + "autoscaling: {min: 1, max: 5}}]}"), wls(plainWl), "", "5:125",
			`autoscaling applies only to an index of a provisioned table; table orders is on-demand, and so are its indexes`},
		{"coverage 0%", tables(gsi + "{name: by-status, partition_key: status, coverage: 0%}]}"), wls(plainWl), "", "5:221",
			`coverage must be above 0% and at most 100%, got 0%`},
		{"coverage over 100%", tables(gsi + "{name: by-status, partition_key: status, coverage: 101%}]}"), wls(plainWl), "", "5:221",
			`coverage must be above 0% and at most 100%, got 101%`},
		{"key_changes over 100%", tables(gsi + "{name: by-status, partition_key: status, key_changes: 150%}]}"), wls(plainWl), "", "5:224",
			`key_changes must be between 0% and 100%, got 150%`},
		{"negative key_changes", tables(gsi + "{name: by-status, partition_key: status, key_changes: -1%}]}"), wls(plainWl), "", "5:224",
			`key_changes: bad percentage "-1%": must not be negative`},
		{"projected_changes without include", tables(gsi + "{name: by-status, partition_key: status, projected_changes: 10%}]}"), wls(plainWl), "", "5:211",
			`projected_changes applies only to projection: include (index by-status has all: every overwrite writes to it)`},
		{"projected_changes with keys_only", tables(gsi + "{name: by-status, partition_key: status, projection: keys_only, projected_changes: 10%}]}"), wls(plainWl), "", "5:234",
			`projected_changes applies only to projection: include (index by-status has keys only: only key changes write to it)`},
		{"projected_size with all", tables(gsi + "{name: by-status, partition_key: status, projected_size: 1KB}]}"), wls(plainWl), "", "5:211",
			`projected_size applies only to projection: keys_only or include; an index projecting all holds whole items`},
		{"projected_size over 400KB", tables(gsi + "{name: by-status, partition_key: status, projection: include, projected_size: 401KB}]}"), wls(plainWl), "", "5:248",
			`projected_size: 401KB is larger than the service's 400KB item limit`},
		{"include without projected_size", tables(gsi + "{name: by-status, partition_key: status, projection: include}]}"), wls(plainWl), "", "5:170",
			`index is missing projected_size (projection: include needs the size of one index entry, such as projected_size: 200B)`},
		{"unknown projection", tables(gsi + "{name: by-status, partition_key: status, projection: keys}]}"), wls(plainWl), "", "5:223",
			`projection: unknown value "keys"; did you mean "keys_only"?`},
		{"index keys exponent with uniform", tables(gsi + "{name: by-status, partition_key: status, keys: {exponent: 1.1}}]}"), wls(plainWl), "", "5:218",
			`keys.exponent applies only to distribution: zipf`},
		{"index keys distribution", tables(gsi + "{name: by-status, partition_key: status, keys: {distribution: hotspot}}]}"), wls(plainWl), "", "5:232",
			`keys.distribution: unknown value "hotspot"; expected uniform or zipf`},
		{"index keys count 0", tables(gsi + "{name: by-status, partition_key: status, keys: {count: 0}}]}"), wls(plainWl), "", "5:225",
			`keys.count must be at least 1`},
		{"local not a boolean", tables(gsi + "{name: by-status, partition_key: status, local: yes}]}"), wls(plainWl), "", "5:218",
			`local: expected true or false, got "yes"`},
		// workloads on indexes
		{"unknown index", tables(twoGSIs), wls("{name: w, table: orders, index: by-statu, rate: 1/s}"), "", "7:37",
			`index: table orders has no index named "by-statu"; did you mean "by-status"?`},
		{"unknown index, far", tables(twoGSIs), wls("{name: w, table: orders, index: nothing, rate: 1/s}"), "", "7:37",
			`index: table orders has no index named "nothing" (indexes: by-status, by-total)`},
		{"index on a table without indexes", tables(odTable + "}"), wls("{name: w, table: users, index: by-email, rate: 1/s}"), "", "7:36",
			`index: table users has no indexes`},
		{"a get on an index", tables(twoGSIs), wls("{name: w, table: orders, index: by-status, rate: 1/s, mix: {query: 50%, get: 50%}}"), "", "7:77",
			`mix: get goes to a table, not an index; a workload with index: holds only query and scan`},
		{"a put on an index", tables(twoGSIs), wls("{name: w, table: orders, index: by-total, rate: 1/s, mix: {put: 100%}}"), "", "7:64",
			`mix: put goes to a table, not an index; a workload with index: holds only query and scan`},
		{"strong reads of a GSI", tables(twoGSIs), wls("{name: w, table: orders, index: by-status, rate: 1/s, consistency: strong}"), "", "7:72",
			`consistency: strong: reads of global secondary index by-status are eventually consistent only; strong reads need the table or a local index`},
		{"a strong mix entry on a GSI", tables(twoGSIs), wls("{name: w, table: orders, index: by-status, rate: 1/s, mix: {query: {share: 100%, consistency: strong}}}"), "", "7:99",
			`mix.query.consistency: strong: reads of global secondary index by-status are eventually consistent only; strong reads need the table or a local index`},
		{"index with a trace", tables(twoGSIs), wls("{name: w, table: orders, index: by-status, trace: none.csv}"), "", "7:30",
			`index cannot be combined with trace: its records decide the operations, and an index takes only query and scan`},
		{"index with ycsb", tables(twoGSIs), wls("{name: w, table: orders, index: by-status, ycsb: workloadc}"), "", "7:30",
			`index cannot be combined with ycsb: its records decide the operations, and an index takes only query and scan`},
		// DAX
		{"unknown dax key", tables(plainTableWithDAX("nodes: 1, node_type: dax.t3.small, ttl: 1m")), wls(plainWl), "", "5:97",
			`unknown key "ttl" in dax (valid: name, nodes, node_type, item_ttl, query_ttl, item_cache_items, query_cache_items)`},
		{"tables in a table's dax", tables(plainTableWithDAX("nodes: 1, node_type: dax.t3.small, tables: [orders]")), wls(plainWl), "", "5:97",
			`unknown key "tables" in dax (valid: name, nodes, node_type, item_ttl, query_ttl, item_cache_items, query_cache_items)`},
		{"0 nodes", tables(plainTableWithDAX("nodes: 0, node_type: dax.t3.small")), wls(plainWl), "", "5:69",
			`dax.nodes must be between 1 and 11 (one primary and up to 10 read replicas), got 0`},
		{"12 nodes", tables(odTable + "}"), wls("{name: w, table: users, rate: 1/s}"), "dax: {nodes: 12, node_type: dax.r5.large}\n", "8:14",
			`dax.nodes must be between 1 and 11 (one primary and up to 10 read replicas), got 12`},
		{"nodes missing", tables(plainTableWithDAX("node_type: dax.t3.small")), wls(plainWl), "", "5:61",
			`dax is missing nodes (1 to 11: one primary and up to 10 read replicas)`},
		{"node_type missing", tables(plainTableWithDAX("nodes: 1")), wls(plainWl), "", "5:61",
			`dax is missing node_type (such as dax.r5.large)`},
		{"node type near one", tables(plainTableWithDAX("nodes: 1, node_type: r5.larg")), wls(plainWl), "", "5:83",
			`dax.node_type: unknown DAX node type "r5.larg"; did you mean "dax.r5.large"? (node types: dax.t2.small, dax.t2.medium, dax.t3.small, dax.t3.medium, dax.r4.large, dax.r4.xlarge, dax.r4.2xlarge, dax.r4.4xlarge, dax.r4.8xlarge, dax.r4.16xlarge, dax.r5.large, dax.r5.xlarge, dax.r5.2xlarge, dax.r5.4xlarge, dax.r5.8xlarge, dax.r5.12xlarge, dax.r5.16xlarge, dax.r5.24xlarge)`},
		{"node type far off", tables(plainTableWithDAX("nodes: 1, node_type: m5.huge")), wls(plainWl), "", "5:83",
			`dax.node_type: unknown DAX node type "m5.huge"; expected dax.t2.small, dax.t2.medium, dax.t3.small, dax.t3.medium, dax.r4.large, dax.r4.xlarge, dax.r4.2xlarge, dax.r4.4xlarge, dax.r4.8xlarge, dax.r4.16xlarge, dax.r5.large, dax.r5.xlarge, dax.r5.2xlarge, dax.r5.4xlarge, dax.r5.8xlarge, dax.r5.12xlarge, dax.r5.16xlarge or dax.r5.24xlarge`},
		{"item_ttl 0", tables(plainTableWithDAX("nodes: 1, node_type: dax.t3.small, item_ttl: 0s")), wls(plainWl), "", "5:107",
			`dax.item_ttl must be positive, got 0s`},
		{"query_ttl negative", tables(odTable + "}"), wls("{name: w, table: users, rate: 1/s}"), "dax: {nodes: 1, node_type: dax.t3.small, query_ttl: -1m}\n", "8:53",
			`dax.query_ttl must be positive, got -1m`},
		{"item_cache_items 0", tables(plainTableWithDAX("nodes: 1, node_type: dax.t3.small, item_cache_items: 0")), wls(plainWl), "", "5:115",
			`dax.item_cache_items must be at least 1`},
		{"query_cache_items 0", tables(odTable + "}"), wls("{name: w, table: users, rate: 1/s}"), "dax: {nodes: 1, node_type: dax.t3.small, query_cache_items: 0}\n", "8:61",
			`dax.query_cache_items must be at least 1`},
		{"a table with its own cluster in dax.tables", tables(plainTableWithDAX("nodes: 1, node_type: dax.t3.small"), odTable+"}"), wls(plainWl),
			"dax: {nodes: 1, node_type: dax.t3.small, tables: [users, orders]}\n", "9:58",
			`dax.tables: table orders has a DAX cluster of its own (dax: at line 5); a table has at most one`},
		{"unknown table in dax.tables", tables(odTable + "}"), wls("{name: w, table: users, rate: 1/s}"),
			"dax: {nodes: 1, node_type: dax.t3.small, tables: [user]}\n", "8:51",
			`dax.tables: no table named "user"; did you mean "users"?`},
		{"unknown table in dax.tables, far", tables(odTable + "}"), wls("{name: w, table: users, rate: 1/s}"),
			"dax: {nodes: 1, node_type: dax.t3.small, tables: [inventory]}\n", "8:51",
			`dax.tables: no table named "inventory" (tables: users)`},
		{"a table twice in dax.tables", tables(odTable + "}"), wls("{name: w, table: users, rate: 1/s}"),
			"dax: {nodes: 1, node_type: dax.t3.small, tables: [users, users]}\n", "8:58",
			`dax.tables: users is listed twice (first at line 8)`},
		{"empty dax.tables", tables(odTable + "}"), wls("{name: w, table: users, rate: 1/s}"),
			"dax: {nodes: 1, node_type: dax.t3.small, tables: []}\n", "8:50",
			`dax.tables is empty; the shared cluster serves at least one table`},
		{"a shared cluster with nothing to serve", tables(plainTableWithDAX("nodes: 1, node_type: dax.t3.small")), wls(plainWl),
			"dax: {nodes: 1, node_type: dax.t3.small}\n", "8:6",
			`dax: every table has a DAX cluster of its own, so the shared one would serve none; remove one or the other`},
		{"two clusters of one name", tables(plainTableWithDAX("nodes: 1, node_type: dax.t3.small"), odTable+"}"), wls(plainWl),
			"dax: {name: orders-dax, nodes: 1, node_type: dax.t3.small}\n", "5:61",
			`DAX cluster name "orders-dax" is used twice (first at line 9); give one of them a name: of its own`},
		{"dax: true without a cluster", tables(odTable + "}"), wls("{name: w, table: users, rate: 1/s, dax: true}"), "", "7:45",
			`dax: true, but table users has no DAX cluster (give the table a dax:, or list it in the top-level dax.tables)`},
		{"dax: true on a table the shared cluster skips", tables(odTable+"}", "{name: carts, partition_key: id, mode: on-demand, items: {count: 1}}"),
			wls("{name: w, table: carts, rate: 1/s, dax: true}"), "dax: {nodes: 1, node_type: dax.t3.small, tables: [users]}\n", "8:45",
			`dax: true, but table carts has no DAX cluster (give the table a dax:, or list it in the top-level dax.tables)`},
		{"workload dax not a boolean", tables(odTable + "}"), wls("{name: w, table: users, rate: 1/s, dax: on}"), "", "7:45",
			`dax: expected true or false, got "on"`},
		// prices
		{"unknown node type in prices", tables(odTable + "}"), wls("{name: w, table: users, rate: 1/s}"), "prices: {dax_node_hour: {r5.huge: 1}}\n", "8:26",
			`prices.dax_node_hour: unknown DAX node type "r5.huge"; expected dax.t2.small, dax.t2.medium, dax.t3.small, dax.t3.medium, dax.r4.large, dax.r4.xlarge, dax.r4.2xlarge, dax.r4.4xlarge, dax.r4.8xlarge, dax.r4.16xlarge, dax.r5.large, dax.r5.xlarge, dax.r5.2xlarge, dax.r5.4xlarge, dax.r5.8xlarge, dax.r5.12xlarge, dax.r5.16xlarge or dax.r5.24xlarge`},
		{"bad node price", tables(odTable + "}"), wls("{name: w, table: users, rate: 1/s}"), "prices: {dax_node_hour: {r5.large: cheap}}\n", "8:36",
			`prices.dax_node_hour.r5.large: expected a price in US dollars such as 0.269, got "cheap"`},
	} {
		_, err := Parse("test.yaml", []byte(ixDoc(tc.tables, tc.wls, tc.extra)))
		wantParseError(t, tc.name, err, tc.at, tc.msg)
	}
}

// plainTableWithDAX is an on-demand table "orders" with its own cluster:
// the dax mapping starts at 5:61.
func plainTableWithDAX(dax string) string {
	return "{name: orders, partition_key: id, mode: on-demand, dax: {" + dax + "}, items: {count: 1k}}"
}

func TestParseDAXPrices(t *testing.T) {
	s, err := Parse("test.yaml", []byte(ixDoc([]string{odTable + "}"}, []string{"{name: w, table: users, rate: 1/s}"},
		"prices: {dax_node_hour: {dax.r5.large: 0.25, t3.small: $0.05}}\n")))
	if err != nil {
		t.Fatal(err)
	}
	if want := map[string]float64{"dax.r5.large": 0.25, "dax.t3.small": 0.05}; !reflect.DeepEqual(s.Prices.DAXNodeHour, want) {
		t.Errorf("got %v", s.Prices.DAXNodeHour)
	}
}

// The price data has every node type the DAX pricing page lists for
// us-east-1, each a node type the model knows: the two REFERENCE gives as
// seen, the others scaled by size (dax.r5.24xlarge was refused before).
func TestDAXNodeHourPrices(t *testing.T) {
	want := map[string]float64{
		"dax.t3.small": 0.04, "dax.t3.medium": 0.08, "dax.r5.large": 0.269, "dax.r5.xlarge": 0.538,
		"dax.r5.2xlarge": 1.076, "dax.r5.4xlarge": 2.152, "dax.r5.8xlarge": 4.304, "dax.r5.12xlarge": 6.456, "dax.r5.16xlarge": 8.608,
		"dax.r5.24xlarge": 12.912,
		"dax.t2.small":    0.04, "dax.t2.medium": 0.08, "dax.r4.large": 0.269, "dax.r4.xlarge": 0.538, "dax.r4.2xlarge": 1.076,
		"dax.r4.4xlarge": 2.152, "dax.r4.8xlarge": 4.304, "dax.r4.16xlarge": 8.608,
	}
	if len(cache.NodeTypes()) != len(want) {
		t.Errorf("%d node types, want %d", len(cache.NodeTypes()), len(want))
	}
	for _, nt := range cache.NodeTypes() {
		got, err := DAXNodeHour("us-east-1", nt.Name, Prices{})
		if err != nil || !nearly(got, want[nt.Name]) {
			t.Errorf("%s: %v, %v; want %v", nt.Name, got, err, want[nt.Name])
		}
	}
	if got, _ := DAXNodeHour("us-east-1", "dax.r5.large", Prices{DAXNodeHour: map[string]float64{"dax.r5.large": 0.25}}); got != 0.25 {
		t.Errorf("override: %v", got)
	}
	if _, err := DAXNodeHour("eu-west-1", "dax.r5.large", Prices{}); err == nil || !strings.Contains(err.Error(), "no prices for region eu-west-1") {
		t.Errorf("eu-west-1: %v", err)
	}
	if got, err := DAXNodeHour("eu-west-1", "dax.r5.large", Prices{DAXNodeHour: map[string]float64{"dax.r5.large": 0.3}}); err != nil || got != 0.3 {
		t.Errorf("eu-west-1 with an override: %v, %v", got, err)
	}
	// A price file without DAX prices still prices tables; a cluster needs one.
	data := []byte("eu-west-1:\n  standard: {rcu_hour: {usd: 0.0002}}\n")
	if _, err := PriceBook("eu-west-1", "standard", Prices{Data: data, DataFile: "p.yaml"}, ""); err != nil {
		t.Errorf("a price file without DAX: %v", err)
	}
	if _, err := DAXNodeHour("eu-west-1", "dax.r5.large", Prices{Data: data, DataFile: "p.yaml"}); err == nil ||
		err.Error() != "no DAX node-hour price for dax.r5.large in eu-west-1; give it under prices: {dax_node_hour: {dax.r5.large: USD}}" {
		t.Errorf("no DAX price: %v", err)
	}
	bad := []byte("eu-west-1:\n  dax_node_hour: {dax.r5.large: {usd: 1, when: 2026}}\n")
	if _, err := DAXNodeHour("eu-west-1", "dax.r5.large", Prices{Data: bad, DataFile: "p.yaml"}); err == nil || !strings.HasPrefix(err.Error(), "p.yaml: ") {
		t.Errorf("an unknown field in a price file: %v", err)
	}
}

// Check refuses an operation other than query and scan on an index in a
// Scenario changed in code.
func TestCheckIndexMix(t *testing.T) {
	sc := mustLoad(t, "testdata/valid/dax-indexes.yaml")
	if err := Check(sc); err != nil {
		t.Fatal(err)
	}
	sc.Workloads[0].Mix = []MixEntry{{Op: "get", Weight: 1}}
	if err := Check(sc); err == nil || !strings.HasSuffix(err.Error(), "workload status-page: get on index by-status; an index serves query and scan only") {
		t.Errorf("Check: %v", err)
	}
}

// A cache hit rate is a fraction, written as a percentage or not.
func TestCacheThresholds(t *testing.T) {
	s, err := Parse("test.yaml", []byte(ixDoc([]string{odTable + "}"}, []string{"{name: w, table: users, rate: 1/s}"},
		"thresholds: {cache_hit_rate: '> 85%', stale_reads: '< 10', dax_throttled: '== 0'}\n")))
	if err != nil {
		t.Fatal(err)
	}
	if th := s.Thresholds; len(th) != 3 || th[0].Value != 0.85 || th[1].Value != 10 || th[2].Cmp != "==" {
		t.Errorf("thresholds %+v", th)
	}
	_, err = Parse("test.yaml", []byte(ixDoc([]string{odTable + "}"}, []string{"{name: w, table: users, rate: 1/s}"},
		"thresholds: {stale_reads: '< 1%'}\n")))
	wantParseError(t, "stale_reads in percent", err, "8:27",
		`stale_reads: bad threshold "< 1%": percentages apply only to ratio metrics (throttled_ratio, error_ratio, given_up_ratio, cache_hit_rate, availability_min, stale_read_ratio)`)
}
