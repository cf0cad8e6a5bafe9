package scenarios

// Tests of streams, TTL, global tables and region outages in scenario
// files: what each key yields, every validation error at its place, and
// the wiring into the model (table configs, faults, workload replicas and
// failover, price books of replicas).

import (
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ddbsim/ddbsim/model"
	"github.com/ddbsim/ddbsim/model/latency"
	"github.com/ddbsim/ddbsim/model/stream"
	"github.com/ddbsim/ddbsim/model/ttl"
	"github.com/ddbsim/ddbsim/sim"
	"github.com/ddbsim/ddbsim/workload"
)

// where returns the "line:col" of the first occurrence of needle in src.
func where(t *testing.T, src, needle string) string {
	t.Helper()
	i := strings.Index(src, needle)
	if i < 0 {
		t.Fatalf("%q is not in\n%s", needle, src)
	}
	line := 1 + strings.Count(src[:i], "\n")
	col := i - strings.LastIndex(src[:i], "\n")
	return strconv.Itoa(line) + ":" + strconv.Itoa(col)
}

func TestParseStreamsAndGlobalTables(t *testing.T) {
	s := mustLoad(t, "testdata/valid/global-streams.yaml")
	if want := []Fault{
		{Pos: Pos{7, 5}, Region: "us-east-1", At: 20 * time.Minute, Outage: 5 * time.Minute},
		{Pos: Pos{8, 5}, Region: "ap-southeast-2", At: 0, Outage: time.Minute},
	}; !reflect.DeepEqual(s.Faults, want) {
		t.Errorf("faults %+v", s.Faults)
	}
	if s.Client.FailoverAfter != 10*time.Second {
		t.Errorf("failover_after %v", s.Client.FailoverAfter)
	}
	if d := s.Service.TTLDeleteWithin; d == nil || *d != 15*time.Minute {
		t.Errorf("ttl_delete_within %v", d)
	}
	if p := s.Prices; p.ReplicatedWriteRequestUnit == nil || *p.ReplicatedWriteRequestUnit != 0.000001 ||
		p.ReplicatedWCUHour == nil || *p.ReplicatedWCUHour != 0.0007 || p.StreamReadRequestUnit == nil || *p.StreamReadRequestUnit != 0.0000003 {
		t.Errorf("prices %+v", p)
	}
	orders, sessions := s.Tables[0], s.Tables[1]
	wantStream := &Stream{Pos: Pos{23, 7}, View: "new_image", Consumers: []Consumer{
		{Pos: Pos{25, 11}, Name: "indexer", Kind: "lambda", BatchSize: 500, Parallelization: 4, ProcessingTime: 200 * time.Millisecond, FailureRatio: 0.01},
		{Pos: Pos{26, 11}, Name: "audit", Kind: "client", BatchSize: 200, Parallelization: 1, ProcessingTime: 50 * time.Millisecond},
	}}
	if !reflect.DeepEqual(orders.Stream, wantStream) {
		t.Errorf("stream\n got %+v\nwant %+v", orders.Stream, wantStream)
	}
	if got := sessions.Stream; !reflect.DeepEqual(got, &Stream{Pos: Pos{40, 13}, View: "new_and_old_images"}) {
		t.Errorf("stream {}: %+v", got)
	}
	if !reflect.DeepEqual(orders.Replicas, []string{"us-east-1", "eu-west-1", "ap-southeast-2"}) || !orders.StrongConsistency ||
		!reflect.DeepEqual(orders.ReplicationLag, &LatencySpec{Median: time.Second, P99: 2500 * time.Millisecond}) {
		t.Errorf("global table: %v strong %v lag %+v", orders.Replicas, orders.StrongConsistency, orders.ReplicationLag)
	}
	if want := []ReplicationLag{
		{Pos: Pos{30, 9}, From: "us-east-1", To: "eu-west-1", Median: 800 * time.Millisecond, P99: 2 * time.Second},
		{Pos: Pos{31, 9}, From: "eu-west-1", To: "us-east-1", Median: 900 * time.Millisecond, P99: 3 * time.Second},
	}; !reflect.DeepEqual(orders.ReplicationLags, want) {
		t.Errorf("replication_lags %+v", orders.ReplicationLags)
	}
	if !reflect.DeepEqual(orders.TTL, &TTL{Pos: Pos{33, 10}, Attribute: "expires_at", ExpireAfter: time.Hour}) ||
		!reflect.DeepEqual(sessions.TTL, &TTL{Pos: Pos{41, 10}, Attribute: "ttl", ExpireAfter: 10 * time.Minute}) {
		t.Errorf("ttl %+v %+v", orders.TTL, sessions.TTL)
	}
	if sessions.Replicas != nil || sessions.StrongConsistency || sessions.ReplicationLag != nil {
		t.Errorf("a table in one region: %+v", sessions)
	}
	var regions []string
	for _, w := range s.Workloads {
		regions = append(regions, w.Region)
	}
	if got := strings.Join(regions, ","); got != ",eu-west-1,ap-southeast-2,us-east-1" {
		t.Errorf("workload regions %s", got)
	}
	// The built-in prices have us-east-1 only: the other replicas are
	// billed at its prices, and the run says so.
	want := []string{
		"the built-in price data has no prices for eu-west-1: replica orders@eu-west-1 is billed at us-east-1's prices (a --prices file with eu-west-1's replaces them)",
		"the built-in price data has no prices for ap-southeast-2: replica orders@ap-southeast-2 is billed at us-east-1's prices (a --prices file with ap-southeast-2's replaces them)",
	}
	if !reflect.DeepEqual(s.Notes, want) {
		t.Errorf("notes\n got %q\nwant %q", s.Notes, want)
	}
}

// A consumer's defaults depend on its kind.
func TestConsumerDefaults(t *testing.T) {
	s, err := Parse("test.yaml", []byte(ixDoc([]string{odTable + ", stream: {consumers: [{name: a, processing_time: 1s}, {name: b, kind: client, processing_time: 1s}]}}"},
		[]string{"{name: w, table: users, rate: 1/s}"}, "")))
	if err != nil {
		t.Fatal(err)
	}
	c := s.Tables[0].Stream.Consumers
	if c[0].Kind != "lambda" || c[0].BatchSize != 100 || c[0].Parallelization != 1 || c[0].FailureRatio != 0 ||
		c[1].Kind != "client" || c[1].BatchSize != 1000 || c[1].Parallelization != 1 {
		t.Errorf("consumers %+v", c)
	}
}

// The model configs the new keys yield.
func TestStreamTTLGlobalConfigs(t *testing.T) {
	s := mustLoad(t, "testdata/valid/global-streams.yaml")
	orders := s.Tables[0]
	wantStream := &stream.Config{View: stream.NewImage, Consumers: []stream.ConsumerConfig{
		{Name: "indexer", Kind: stream.ConsumerLambda, BatchSize: 500, Parallelization: 4, ProcessingTime: 200 * sim.Millisecond, FailureRatio: 0.01},
		{Name: "audit", Kind: stream.ConsumerClient, BatchSize: 200, Parallelization: 1, ProcessingTime: 50 * sim.Millisecond},
	}}
	if got := streamConfig(orders.Stream); !reflect.DeepEqual(got, wantStream) {
		t.Errorf("stream\n got %+v\nwant %+v", got, wantStream)
	}
	for view, want := range map[string]stream.View{"keys_only": stream.KeysOnly, "new_image": stream.NewImage,
		"old_image": stream.OldImage, "new_and_old_images": stream.NewAndOldImages} {
		if got := streamConfig(&Stream{View: view}).View; got != want || got.String() != view {
			t.Errorf("view %s: %v", view, got)
		}
	}
	if streamConfig(nil) != nil || ttlConfig(nil) != nil || replicationLags(s.Tables[1]) != nil {
		t.Errorf("a table without them has none")
	}
	if got := ttlConfig(orders.TTL); *got != (ttl.Config{Attribute: "expires_at", ExpireAfter: sim.Hour}) {
		t.Errorf("ttl %+v", got)
	}
	// The default lag for every ordered pair, then the pairs given.
	def := latency.Lognormal{Median: sim.Second, P99: 2500 * sim.Millisecond}
	want := []model.ReplicationLag{
		{From: "us-east-1", To: "eu-west-1", Lag: latency.Lognormal{Median: 800 * sim.Millisecond, P99: 2 * sim.Second}},
		{From: "us-east-1", To: "ap-southeast-2", Lag: def},
		{From: "eu-west-1", To: "us-east-1", Lag: latency.Lognormal{Median: 900 * sim.Millisecond, P99: 3 * sim.Second}},
		{From: "eu-west-1", To: "ap-southeast-2", Lag: def},
		{From: "ap-southeast-2", To: "us-east-1", Lag: def},
		{From: "ap-southeast-2", To: "eu-west-1", Lag: def},
	}
	if got := replicationLags(orders); !reflect.DeepEqual(got, want) {
		t.Errorf("lags\n got %+v\nwant %+v", got, want)
	}
	// Without a default, only the pairs given.
	orders.ReplicationLag = nil
	if got := replicationLags(orders); len(got) != 2 || got[0].From != "us-east-1" || got[1].From != "eu-west-1" {
		t.Errorf("lags without a default: %+v", got)
	}
	p := serviceParams(s.Service)
	if p.TTLDeleteWithin != 15*sim.Minute || p.ReplicationLag != model.DefaultParams().ReplicationLag {
		t.Errorf("params: ttl_delete_within %v, replication lag %+v", p.TTLDeleteWithin, p.ReplicationLag)
	}
	if got := serviceParams(ServiceParams{}).TTLDeleteWithin; got != model.DefaultParams().TTLDeleteWithin {
		t.Errorf("default ttl_delete_within %v", got)
	}
}

func TestParseStreamGlobalErrors(t *testing.T) {
	const (
		tbl  = "{name: orders, partition_key: id, sort_key: at, mode: on-demand, items: {count: 1k}"
		glob = tbl + ", replicas: [us-east-1, eu-west-1]"
		wl   = "{name: w, table: orders, rate: 1/s"
	)
	tables := func(t ...string) []string { return t }
	wls := func(w ...string) []string { return w }
	consumer := func(extra string) string {
		return tbl + ", stream: {consumers: [{name: c, processing_time: 1s" + extra + "}]}}"
	}
	for _, tc := range []struct {
		name   string
		tables []string
		wls    []string
		extra  string
		needle string // the problem is reported where this first appears
		msg    string
	}{
		// streams
		{"unknown stream key", tables(tbl + ", stream: {veiw: keys_only}}"), wls(wl + "}"), "", "veiw",
			`unknown key "veiw" in stream; did you mean "view"?`},
		{"unknown view", tables(tbl + ", stream: {view: new_images}}"), wls(wl + "}"), "", "new_images",
			`stream.view: unknown value "new_images"; did you mean "new_image"?`},
		{"stream not a mapping", tables(tbl + ", stream: yes}"), wls(wl + "}"), "", "yes",
			`stream: expected a mapping, got "yes"`},
		{"consumer without a name", tables(tbl + ", stream: {consumers: [{processing_time: 1s}]}}"), wls(wl + "}"), "", "{processing_time",
			`consumer is missing name (unique in the stream, such as indexer)`},
		{"consumer without processing_time", tables(tbl + ", stream: {consumers: [{name: c}]}}"), wls(wl + "}"), "", "{name: c}",
			`consumer is missing processing_time (how long one batch takes, such as 200ms)`},
		{"processing_time 0", tables(tbl + ", stream: {consumers: [{name: c, processing_time: 0s}]}}"), wls(wl + "}"), "", "0s",
			`consumer.processing_time must be positive, got 0s`},
		{"duplicate consumer", tables(tbl + ", stream: {consumers: [{name: c, processing_time: 1s}, {name: c, processing_time: 2s}]}}"), wls(wl + "}"), "", "c, processing_time: 2s",
			`duplicate consumer name "c" in the stream of table orders (first at line 5)`},
		{"three consumers", tables(tbl + ", stream: {consumers: [{name: a, processing_time: 1s}, {name: b, processing_time: 1s}, {name: c, processing_time: 1s}]}}"), wls(wl + "}"), "", "{name: c",
			`the stream of table orders has more than 2 consumers; a stream shard serves at most 2 readers at once (REFERENCE: streams), so a third would be throttled`},
		{"unknown consumer kind", tables(consumer(", kind: lamda")), wls(wl + "}"), "", "lamda",
			`consumer.kind: unknown value "lamda"; did you mean "lambda"?`},
		{"unknown consumer key", tables(consumer(", batchsize: 10")), wls(wl + "}"), "", "batchsize",
			`unknown key "batchsize" in consumer; did you mean "batch_size"?`},
		{"lambda batch over 10,000", tables(consumer(", batch_size: 10001")), wls(wl + "}"), "", "10001",
			`consumer.batch_size of a Lambda trigger must be between 1 and 10000 records, got 10001`},
		{"lambda batch 0", tables(consumer(", batch_size: 0")), wls(wl + "}"), "", "0}",
			`consumer.batch_size of a Lambda trigger must be between 1 and 10000 records, got 0`},
		{"client batch over 1,000", tables(consumer(", kind: client, batch_size: 1001")), wls(wl + "}"), "", "1001",
			`consumer.batch_size of a client must be between 1 and 1000 records (one GetRecords call returns at most 1000), got 1001`},
		{"parallelization over 10", tables(consumer(", parallelization: 11")), wls(wl + "}"), "", "11",
			`consumer.parallelization must be between 1 and 10 (Lambda's parallelization factor), got 11`},
		{"parallelization of a client", tables(consumer(", kind: client, parallelization: 2")), wls(wl + "}"), "", "2}",
			`consumer.parallelization applies only to kind: lambda; a client reads each shard one batch at a time`},
		{"failure_ratio 100%", tables(consumer(", failure_ratio: 100%")), wls(wl + "}"), "", "100%",
			`consumer.failure_ratio must be at least 0% and below 100% (a batch that always fails is never done), got 100%`},
		// ttl
		{"ttl without attribute", tables(tbl + ", ttl: {expire_after: 1h}}"), wls(wl + "}"), "", "{expire_after",
			`ttl is missing attribute (the attribute holding the expiry time, such as expires_at)`},
		{"ttl without expire_after", tables(tbl + ", ttl: {attribute: exp}}"), wls(wl + "}"), "", "{attribute",
			`ttl is missing expire_after (how long after its last write an item expires, such as 1h)`},
		{"ttl expire_after 0", tables(tbl + ", ttl: {attribute: exp, expire_after: 0s}}"), wls(wl + "}"), "", "0s",
			`ttl.expire_after must be positive, got 0s`},
		{"ttl on the partition key", tables(tbl + ", ttl: {attribute: id, expire_after: 1h}}"), wls(wl + "}"), "", "id, expire",
			`ttl.attribute id is a key attribute of table orders; the expiry time goes in an attribute of its own`},
		{"ttl on the sort key", tables(tbl + ", ttl: {attribute: at, expire_after: 1h}}"), wls(wl + "}"), "", "at, expire",
			`ttl.attribute at is a key attribute of table orders; the expiry time goes in an attribute of its own`},
		{"ttl attribute empty", tables(tbl + ", ttl: {attribute: '', expire_after: 1h}}"), wls(wl + "}"), "", "'', expire",
			`ttl.attribute must not be empty`},
		{"unknown ttl key", tables(tbl + ", ttl: {attribute: exp, expire_afer: 1h}}"), wls(wl + "}"), "", "expire_afer",
			`unknown key "expire_afer" in ttl; did you mean "expire_after"?`},
		// replicas
		{"one replica", tables(tbl + ", replicas: [us-east-1]}"), wls(wl + "}"), "", "[us-east-1]",
			`replicas: a global table has at least two regions; table orders has one (leave replicas out for a table in one region)`},
		{"no replicas", tables(tbl + ", replicas: []}"), wls(wl + "}"), "", "[]",
			`replicas is empty; a global table has at least two regions, the first us-east-1`},
		{"replica twice", tables(tbl + ", replicas: [us-east-1, eu-west-1, eu-west-1]}"), wls(wl + "}"), "", "eu-west-1]",
			`replicas: eu-west-1 is listed twice (first at line 5)`},
		{"replica not a region", tables(tbl + ", replicas: [us-east-1, euwest1]}"), wls(wl + "}"), "", "euwest1",
			`replicas: "euwest1" is not a region name such as us-east-1 or eu-west-1`},
		{"home region not first", tables(tbl + ", replicas: [eu-west-1, us-east-1]}"), wls(wl + "}"), "", "eu-west-1, us",
			`replicas: the first replica is the table's home region, the scenario's region us-east-1, not eu-west-1 (list us-east-1 first, or set region: eu-west-1)`},
		{"replicas not a list", tables(tbl + ", replicas: us-east-1}"), wls(wl + "}"), "", "us-east-1}",
			`replicas: expected a list, got "us-east-1"`},
		{"replication_lag without replicas", tables(tbl + ", replication_lag: {median: 1s, p99: 2s}}"), wls(wl + "}"), "", "replication_lag",
			`replication_lag applies only to a global table; give table orders its regions with replicas: [us-east-1, ...]`},
		{"replication_lags without replicas", tables(tbl + ", replication_lags: []}"), wls(wl + "}"), "", "replication_lags",
			`replication_lags applies only to a global table; give table orders its regions with replicas: [us-east-1, ...]`},
		{"replication_lag p99 below median", tables(glob + ", replication_lag: {median: 2s, p99: 1s}}"), wls(wl + "}"), "", "1s}",
			`replication_lag.p99 (1s) is less than median (2s)`},
		{"replication_lag median 0", tables(glob + ", replication_lag: {median: 0s, p99: 1s}}"), wls(wl + "}"), "", "0s",
			`replication_lag.median must be positive, got 0s`},
		{"replication_lag without p99", tables(glob + ", replication_lag: {median: 1s}}"), wls(wl + "}"), "", "{median",
			`replication_lag is missing p99 (the lag 99% of writes stay within, such as 2.5s)`},
		{"replication_lags from a region not a replica", tables(glob + ", replication_lags: [{from: eu-west-2, to: us-east-1, median: 1s, p99: 2s}]}"), wls(wl + "}"), "", "eu-west-2",
			`replication_lags.from: table orders has no replica in eu-west-2; did you mean "eu-west-1"?`},
		{"replication_lags to a far region", tables(glob + ", replication_lags: [{from: us-east-1, to: ap-south-1, median: 1s, p99: 2s}]}"), wls(wl + "}"), "", "ap-south-1",
			`replication_lags.to: table orders has no replica in ap-south-1 (replicas: us-east-1, eu-west-1)`},
		{"replication_lags from itself", tables(glob + ", replication_lags: [{from: eu-west-1, to: eu-west-1, median: 1s, p99: 2s}]}"), wls(wl + "}"), "", "eu-west-1, median",
			`replication_lags: from and to are both eu-west-1; a lag is between two replicas`},
		{"replication_lags pair twice", tables(glob + ", replication_lags: [{from: eu-west-1, to: us-east-1, median: 1s, p99: 2s}, {from: eu-west-1, to: us-east-1, median: 2s, p99: 3s}]}"), wls(wl + "}"), "", "{from: eu-west-1, to: us-east-1, median: 2s",
			`replication_lags: the lag from eu-west-1 to us-east-1 is given twice (first at line 5)`},
		{"replication_lags without from", tables(glob + ", replication_lags: [{to: us-east-1, median: 1s, p99: 2s}]}"), wls(wl + "}"), "", "{to:",
			`replication lag is missing from (the region the write is made in)`},
		{"replication_lags p99 below median", tables(glob + ", replication_lags: [{from: eu-west-1, to: us-east-1, median: 2s, p99: 1s}]}"), wls(wl + "}"), "", "1s}",
			`replication_lags.p99 (1s) is less than median (2s)`},
		{"strong with two replicas", tables(glob + ", multi_region_consistency: strong}"), wls(wl + "}"), "", "strong",
			`multi_region_consistency: strong needs exactly 3 replicas (REFERENCE: global), and table orders has 2`},
		{"strong without replicas", tables(tbl + ", multi_region_consistency: strong}"), wls(wl + "}"), "", "strong",
			`multi_region_consistency: strong needs a global table of exactly 3 replicas; table orders has no replicas:`},
		{"unknown consistency", tables(glob + ", multi_region_consistency: strng}"), wls(wl + "}"), "", "strng",
			`multi_region_consistency: unknown value "strng"; did you mean "strong"?`},
		{"unknown table key near replicas", tables(tbl + ", replica: [us-east-1, eu-west-1]}"), wls(wl + "}"), "", "replica:",
			`unknown key "replica" in table; did you mean "replicas"?`},
		// workload regions
		{"workload region not a replica", tables(glob + "}"), wls(wl + ", region: eu-west-2}"), "", "eu-west-2",
			`region: table orders has no replica in eu-west-2; did you mean "eu-west-1"?`},
		{"workload region far from every replica", tables(glob + "}"), wls(wl + ", region: ap-south-1}"), "", "ap-south-1",
			`region: table orders has no replica in ap-south-1 (replicas: us-east-1, eu-west-1)`},
		{"workload region of a table in one region", tables(tbl + "}"), wls(wl + ", region: eu-west-1}"), "", "eu-west-1",
			`region: table orders is in us-east-1 only; give it replicas: [us-east-1, eu-west-1] to serve clients in eu-west-1`},
		{"dax: true from another region", tables(glob + ", dax: {nodes: 1, node_type: dax.t3.small}}"), wls(wl + ", dax: true, region: eu-west-1}"), "", "true",
			`dax: true, but the DAX cluster of table orders is in us-east-1, and this workload's clients are in eu-west-1`},
		// faults
		{"fault in a region without tables", tables(glob + "}"), wls(wl + "}"), "faults: [{at: 10s, region: eu-west-2, outage: 10s}]\n", "eu-west-2",
			`fault.region: no table is in eu-west-2; did you mean "eu-west-1"?`},
		{"fault in a region far from all", tables(tbl + "}"), wls(wl + "}"), "faults: [{at: 10s, region: ap-south-1, outage: 10s}]\n", "ap-south-1",
			`fault.region: no table is in ap-south-1 (regions: us-east-1)`},
		{"fault at a negative time", tables(glob + "}"), wls(wl + "}"), "faults: [{at: -1s, region: eu-west-1, outage: 10s}]\n", "-1s",
			`fault.at must not be negative, got -1s`},
		{"fault after the end", tables(glob + "}"), wls(wl + "}"), "faults: [{at: 1m, region: eu-west-1, outage: 10s}]\n", "1m,",
			`fault.at 1m is not within the run (duration: 1m0s)`},
		{"fault outage 0", tables(glob + "}"), wls(wl + "}"), "faults: [{at: 10s, region: eu-west-1, outage: 0s}]\n", "0s}",
			`fault.outage must be positive, got 0s`},
		{"fault without outage", tables(glob + "}"), wls(wl + "}"), "faults: [{at: 10s, region: eu-west-1}]\n", "{at",
			`fault is missing outage (how long the region is down, such as outage: 10m)`},
		{"fault without region", tables(glob + "}"), wls(wl + "}"), "faults: [{at: 10s, outage: 5s}]\n", "{at",
			`fault is missing region (the region that goes down, such as us-east-1)`},
		{"overlapping outages", tables(glob + "}"), wls(wl + "}"), "faults: [{at: 10s, region: eu-west-1, outage: 20s}, {at: 20s, region: eu-west-1, outage: 5s}]\n", "{at: 20s",
			`fault: this outage of eu-west-1 overlaps the one at line 8`},
		{"unknown fault key", tables(glob + "}"), wls(wl + "}"), "faults: [{at: 10s, region: eu-west-1, outgae: 5s}]\n", "outgae",
			`unknown key "outgae" in fault; did you mean "outage"?`},
		{"unknown scenario key near faults", tables(glob + "}"), wls(wl + "}"), "fault: []\n", "fault:",
			`unknown key "fault" in the scenario; did you mean "faults"?`},
		// client, service, prices
		{"failover_after negative", tables(glob + "}"), wls(wl + "}"), "client: {failover_after: -1s}\n", "-1s",
			`client.failover_after must not be negative, got -1s`},
		{"unknown client key", tables(glob + "}"), wls(wl + "}"), "client: {failover: 10s}\n", "failover",
			`unknown key "failover" in client; did you mean "failover_after"?`},
		{"ttl_delete_within 0", tables(glob + "}"), wls(wl + "}"), "service: {ttl_delete_within: 0s}\n", "0s",
			`ttl_delete_within must be positive, got 0s`},
		{"bad stream price", tables(glob + "}"), wls(wl + "}"), "prices: {stream_read_request_unit: free}\n", "free",
			`prices.stream_read_request_unit: expected a price in US dollars such as 0.00013, got "free"`},
		{"unknown price key", tables(glob + "}"), wls(wl + "}"), "prices: {replicated_wcu_hours: 1}\n", "replicated_wcu_hours",
			`unknown key "replicated_wcu_hours" in prices; did you mean "replicated_wcu_hour"?`},
		// transactions of more than 4 MB
		{"transaction over 4MB", tables(tbl + "}"), wls(wl + ", mix: {transact_write: 100%}, batch_size: 100, item_size: 41KB}"), "", "100, item",
			`transact_write of 100 items of up to 41KB is 4100KB; a transaction holds at most 4MB (REFERENCE: units), so lower batch_size (at most 99 at this size) or item_size`},
		{"default batch of large items", tables(tbl + "}"), wls(wl + ", mix: {transact_write: 50%, transact_get: 50%}, item_size: {distribution: lognormal, median: 100KB, p99: 200KB}}"), "", "{distribution: log",
			`transact_write and transact_get of 25 items of up to 200KB is 5000KB; a transaction holds at most 4MB (REFERENCE: units), so lower batch_size (at most 20 at this size) or item_size`},
		{"transact_get of the table's large items", tables("{name: orders, partition_key: id, mode: on-demand, items: {count: 1k, size: 300KB}}"), wls(wl + ", mix: {transact_get: 100%}, item_size: 1KB}"), "", wl,
			`transact_get of 25 items of up to 300KB is 7500KB; a transaction holds at most 4MB (REFERENCE: units), so lower batch_size (at most 13 at this size) or the table's items.size`},
	} {
		src := ixDoc(tc.tables, tc.wls, tc.extra)
		_, err := Parse("test.yaml", []byte(src))
		wantParseError(t, tc.name, err, where(t, src, tc.needle), tc.msg)
	}
}

// A transaction of exactly 4 MB is allowed.
func TestTransactAtTheLimit(t *testing.T) {
	src := ixDoc([]string{"{name: orders, partition_key: id, mode: on-demand, items: {count: 1k}}"},
		[]string{"{name: w, table: orders, rate: 1/s, mix: {transact_write: 100%}, batch_size: 100, item_size: 41943B}"}, "")
	if _, err := Parse("test.yaml", []byte(src)); err != nil {
		t.Error(err)
	}
}

const globalDoc = `version: 1
name: global-wiring
duration: 1m
faults:
  - {at: 10s, region: eu-west-1, outage: 20s}
  - {at: 40s, region: us-east-1, outage: 5s}
client: {failover_after: 5s}
tables:
  - name: orders
    partition_key: id
    mode: provisioned
    read_capacity: 100
    write_capacity: 50
    items: {count: 1k}
    table_class: standard-ia
    replicas: [us-east-1, eu-west-1, ap-southeast-2]
    replication_lags: [{from: us-east-1, to: eu-west-1, median: 800ms, p99: 2s}]
    stream: {view: keys_only, consumers: [{name: c, processing_time: 10ms}]}
    ttl: {attribute: exp, expire_after: 1h}
    indexes:
      - {name: by-status, partition_key: status}
  - name: users
    partition_key: id
    mode: on-demand
    items: {count: 1k}
workloads:
  - {name: home, table: orders, rate: 5/s}
  - {name: eu, table: orders, region: eu-west-1, rate: 5/s, mix: {get: 50%, put: 50%}}
  - {name: ap, table: orders, region: ap-southeast-2, rate: 5/s}
  - {name: status, table: orders, region: eu-west-1, index: by-status, rate: 5/s}
  - {name: users, table: users, rate: 5/s}
  - {name: users-home, table: users, region: us-east-1, rate: 5/s}
`

// Build hands the model the tables' streams, TTL and replicas, schedules
// the faults, points each workload at the replica of its region with the
// others to fail over to, and prices every service table.
func TestBuildGlobalTables(t *testing.T) {
	sc, err := Parse("global.yaml", []byte(globalDoc))
	if err != nil {
		t.Fatal(err)
	}
	rec := newCaches()
	s, err := Build(sc, 1, rec)
	if err != nil {
		t.Fatal(err)
	}
	svc := s.Service
	cfg := svc.Tables()[0].Config()
	if !reflect.DeepEqual(cfg.Stream, streamConfig(sc.Tables[0].Stream)) || !reflect.DeepEqual(cfg.TTL, ttlConfig(sc.Tables[0].TTL)) ||
		!reflect.DeepEqual(cfg.Replicas, []string{"us-east-1", "eu-west-1", "ap-southeast-2"}) || cfg.StrongConsistency ||
		!reflect.DeepEqual(cfg.ReplicationLags, replicationLags(sc.Tables[0])) || cfg.Region != "us-east-1" {
		t.Errorf("orders' config: %+v", cfg)
	}
	if got := svc.Tables()[1].Config(); got.Region != "us-east-1" || got.Replicas != nil || got.Stream != nil || got.TTL != nil {
		t.Errorf("users' config: %+v", got)
	}
	wantFaults := []model.Fault{{Region: "eu-west-1", At: 10 * sim.Second, Outage: 20 * sim.Second}, {Region: "us-east-1", At: 40 * sim.Second, Outage: 5 * sim.Second}}
	if !reflect.DeepEqual(svc.Faults(), wantFaults) {
		t.Errorf("faults %+v", svc.Faults())
	}

	var names []string
	for _, tb := range svc.Tables() {
		names = append(names, tb.Name())
	}
	index := func(name string) int {
		for i, n := range names {
			if n == name {
				return i
			}
		}
		t.Fatalf("no service table %s in %v", name, names)
		return -1
	}
	if len(names) != len(s.PriceBooks) {
		t.Fatalf("%d price books for %d tables", len(s.PriceBooks), len(names))
	}
	// Every table but users is Standard-IA: the replicas and indexes of
	// orders at its prices, which are us-east-1's (the price data has no
	// other region; the run notes it).
	ia, _ := PriceBook("us-east-1", "standard-ia", Prices{}, "")
	std, _ := PriceBook("us-east-1", "standard", Prices{}, "")
	if ia.ReplicatedWCUHour != 0.00081 || ia.StreamReadRequestUnit != 0.00000025 {
		t.Errorf("standard-ia book %+v", ia)
	}
	for i, b := range s.PriceBooks {
		want := ia
		if names[i] == "users" {
			want = std
		}
		if b != want {
			t.Errorf("book of %s: %+v, want %+v", names[i], b, want)
		}
	}
	if len(sc.Notes) != 2 || len(s.Notes) != 0 {
		t.Errorf("notes: scenario %q, build %q", sc.Notes, s.Notes)
	}

	home, users := index("orders"), index("users")
	eu, ap := index("orders@eu-west-1"), index("orders@ap-southeast-2")
	want := []struct {
		table    int
		failover []int
		index    int
	}{
		{home, []int{eu, ap}, 0},
		{eu, []int{home, ap}, 0},
		{ap, []int{home, eu}, 0},
		{eu, []int{home, ap}, 1},
		{users, nil, 0},
		{users, nil, 0},
	}
	for i, w := range sc.Workloads {
		cfg, err := sourceConfig(sc, w, svc, s.Duration, workload.NoRetry())
		if err != nil {
			t.Fatal(err)
		}
		if cfg.Table != want[i].table || !reflect.DeepEqual(cfg.Failover, want[i].failover) || cfg.Index != want[i].index || cfg.FailoverAfter != 5*sim.Second {
			t.Errorf("%s: table %d failover %v index %d after %v, want %+v", w.Name, cfg.Table, cfg.Failover, cfg.Index, cfg.FailoverAfter, want[i])
		}
	}

	s.Run()
	if rec.finished == 0 || rec.succeeded+rec.throttled+rec.failed != rec.finished {
		t.Errorf("%d finished: %d + %d + %d", rec.finished, rec.succeeded, rec.throttled, rec.failed)
	}
}

// A --prices file with a replica's region bills it there, with the
// replicated and stream prices of that file; without the region, the
// replica is billed at its home region's and the build notes it.
func TestReplicaPriceBooks(t *testing.T) {
	sc, err := Parse("global.yaml", []byte(globalDoc))
	if err != nil {
		t.Fatal(err)
	}
	entry := func(usd string) string { return "{usd: " + usd + "}" }
	class := func(x string) string {
		return "    write_request_unit: " + entry(x) + "\n    read_request_unit: " + entry(x) + "\n    wcu_hour: " + entry(x) +
			"\n    rcu_hour: " + entry(x) + "\n    storage_gb_month: " + entry(x) +
			"\n    replicated_write_request_unit: " + entry(x+"1") + "\n    replicated_wcu_hour: " + entry(x+"2") +
			"\n    stream_read_request_unit: " + entry(x+"3") + "\n"
	}
	sc.Prices.Data = []byte("us-east-1:\n  standard:\n" + class("0.1") + "  standard-ia:\n" + class("0.2") +
		"eu-west-1:\n  standard-ia:\n" + class("0.3"))
	sc.Prices.DataFile = "p.yaml"
	s, err := Build(sc, 1, newCaches())
	if err != nil {
		t.Fatal(err)
	}
	for i, tb := range s.Service.Tables() {
		want := 0.2 // us-east-1 standard-ia: orders, its index and the ap-southeast-2 replica
		switch tb.Name() {
		case "users":
			want = 0.1
		case "orders@eu-west-1", "orders@eu-west-1/by-status":
			want = 0.3
		}
		b := s.PriceBooks[i]
		if b.WCUHour != want || !nearly(b.ReplicatedWCUHour, want+0.02) || !nearly(b.StreamReadRequestUnit, want+0.03) {
			t.Errorf("%s: %+v, want %v", tb.Name(), b, want)
		}
	}
	if want := []string{"p.yaml has no prices for ap-southeast-2: replica orders@ap-southeast-2 is billed at us-east-1's prices (a --prices file with ap-southeast-2's replaces them)"}; !reflect.DeepEqual(s.Notes, want) {
		t.Errorf("notes %q", s.Notes)
	}
}

// prices: overrides the replicated and stream prices in every book.
func TestReplicatedAndStreamPrices(t *testing.T) {
	b, err := PriceBook("us-east-1", "standard", Prices{}, "")
	if err != nil {
		t.Fatal(err)
	}
	if b.ReplicatedWriteRequestUnit != 0.000000625 || b.ReplicatedWCUHour != 0.00065 || b.StreamReadRequestUnit != 0.0000002 {
		t.Errorf("us-east-1 standard: %+v", b)
	}
	ia, _ := PriceBook("us-east-1", "standard-ia", Prices{}, "")
	if ia.ReplicatedWriteRequestUnit != ia.WriteRequestUnit || ia.ReplicatedWCUHour != ia.WCUHour || ia.StreamReadRequestUnit != 0.00000025 {
		t.Errorf("us-east-1 standard-ia: %+v", ia)
	}
	s := mustLoad(t, "testdata/valid/global-streams.yaml")
	for _, class := range []string{"standard", "standard-ia"} {
		b, err := PriceBook("us-east-1", class, s.Prices, "")
		if err != nil || b.ReplicatedWriteRequestUnit != 0.000001 || b.ReplicatedWCUHour != 0.0007 || b.StreamReadRequestUnit != 0.0000003 {
			t.Errorf("%s with overrides: %+v, %v", class, b, err)
		}
	}
	// A region without data needs the five base prices, not these three.
	x := 0.5
	all := Prices{ReadRequestUnit: &x, WriteRequestUnit: &x, RCUHour: &x, WCUHour: &x, StorageGBMonth: &x}
	if b, err := PriceBook("eu-west-1", "standard", all, ""); err != nil || b.ReplicatedWCUHour != 0 {
		t.Errorf("eu-west-1 with five prices: %+v, %v", b, err)
	}
}

// Check refuses a workload in a region its table is not in, in a
// Scenario changed in code.
func TestCheckWorkloadRegion(t *testing.T) {
	sc, err := Parse("global.yaml", []byte(globalDoc))
	if err != nil {
		t.Fatal(err)
	}
	if err := Check(sc); err != nil {
		t.Fatal(err)
	}
	sc.Workloads[4].Region = "eu-west-1"
	if err := Check(sc); err == nil || !strings.HasSuffix(err.Error(), "workload users: table users has no replica in eu-west-1") {
		t.Errorf("Check: %v", err)
	}
}

// The built-in scenarios of streams, TTL and global tables build, with
// the replicas and faults they describe, and run a minute.
func TestStreamAndGlobalLibrary(t *testing.T) {
	for _, tc := range []struct {
		name                string
		tables, faults      int
		stream, ttl, global bool
	}{
		{"serverless-stream", 1, 0, true, false, false},
		{"global-two-regions", 2, 0, false, false, true},
		{"region-outage", 2, 1, false, false, true},
		{"ttl-sessions", 1, 0, true, true, false},
	} {
		sc, err := Builtin(tc.name)
		if err != nil {
			t.Fatal(err)
		}
		if sc.Duration > 15*time.Minute {
			t.Errorf("%s runs %v; keep built-ins to 15 minutes", tc.name, sc.Duration)
		}
		tb := sc.Tables[0]
		if (tb.Stream != nil) != tc.stream || (tb.TTL != nil) != tc.ttl || len(sc.Faults) != tc.faults || (len(tb.Replicas) > 0) != tc.global {
			t.Errorf("%s: stream %v ttl %v faults %d replicas %v", tc.name, tb.Stream != nil, tb.TTL != nil, len(sc.Faults), tb.Replicas)
		}
		sc.Duration = time.Minute
		s, err := Build(sc, 1, newCaches())
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if n := len(s.Service.Tables()); n != tc.tables || len(s.PriceBooks) != n {
			t.Errorf("%s: %d service tables, %d price books; want %d", tc.name, n, len(s.PriceBooks), tc.tables)
		}
		s.Run()
	}
}

// globalTally counts a run's replication events and stale reads.
type globalTally struct {
	tally
	kinds        map[model.GlobalEventKind]int64
	reads, stale int64
}

func (g *globalTally) Global(_ sim.Time, e *model.GlobalEvent) {
	g.kinds[e.Kind]++
	if e.Kind == model.GlobalRead {
		g.reads++
		if e.Stale {
			g.stale++
		}
	}
}

// The built-in region-outage fails the home region's requests for the
// 30 s its clients take to notice, about 2% of the run's, as its header
// says, and meets its error_ratio threshold.
func TestRegionOutageFailsOver(t *testing.T) {
	sc, err := Builtin("region-outage")
	if err != nil {
		t.Fatal(err)
	}
	rec := &globalTally{kinds: map[model.GlobalEventKind]int64{}}
	s, err := Build(sc, sc.Seed, rec)
	if err != nil {
		t.Fatal(err)
	}
	s.Run()
	ratio := float64(rec.failed) / float64(rec.finished)
	if ratio < 0.01 || ratio > 0.05 || rec.throttled != 0 {
		t.Errorf("%d of %d requests failed (%.2f%%), %d throttled; want about 2%% failed", rec.failed, rec.finished, 100*ratio, rec.throttled)
	}
}

// The built-in global-two-regions has replication conflicts and stale
// reads, and no throttles.
func TestGlobalTwoRegionsConflicts(t *testing.T) {
	sc, err := Builtin("global-two-regions")
	if err != nil {
		t.Fatal(err)
	}
	sc.Duration = 2 * time.Minute
	rec := &globalTally{kinds: map[model.GlobalEventKind]int64{}}
	s, err := Build(sc, sc.Seed, rec)
	if err != nil {
		t.Fatal(err)
	}
	s.Run()
	delivered, conflicts := rec.kinds[model.GlobalDelivered], rec.kinds[model.GlobalConflict]
	if conflicts < (delivered+conflicts)/5 || rec.stale < rec.reads/5 || rec.throttled != 0 {
		t.Errorf("%d delivered, %d conflicts, %d of %d reads stale, %d throttled", delivered, conflicts, rec.stale, rec.reads, rec.throttled)
	}
}

// An outage of the scenario's region stops a table in one region too:
// its clients have nowhere to fail over to, and their requests fail for
// the outage's length.
func TestOutageOfOneRegionTable(t *testing.T) {
	src := strings.Replace(ixDoc([]string{odTable + "}"}, []string{"{name: w, table: users, rate: 10/s, arrival: constant}"},
		"faults: [{at: 10s, region: us-east-1, outage: 10s}]\n"), "duration: 1m", "duration: 30s", 1)
	sc, err := Parse("test.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	rec := newCaches()
	s, err := Build(sc, 1, rec)
	if err != nil {
		t.Fatal(err)
	}
	if got := s.Service.Tables()[0].Region(); got != "us-east-1" {
		t.Errorf("region %q", got)
	}
	s.Run()
	if rec.failed < 80 || rec.failed > 120 || rec.finished < 290 {
		t.Errorf("%d of %d requests failed; want the 10 s outage's 100", rec.failed, rec.finished)
	}
}
