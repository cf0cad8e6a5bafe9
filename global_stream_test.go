package ddbsim

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/ddbsim/ddbsim/model"
	"github.com/ddbsim/ddbsim/model/latency"
	"github.com/ddbsim/ddbsim/model/stream"
	"github.com/ddbsim/ddbsim/model/ttl"
	"github.com/ddbsim/ddbsim/scenarios"
	"github.com/ddbsim/ddbsim/sim"
	"github.com/ddbsim/ddbsim/workload"
)

// The model configs the new keys yield.
func TestStreamTTLGlobalConfigs(t *testing.T) {
	s := mustLoad(t, "scenarios/testdata/valid/global-streams.yaml")
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
		if got := streamConfig(&scenarios.Stream{View: view}).View; got != want || got.String() != view {
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
	if got := serviceParams(scenarios.ServiceParams{}).TTLDeleteWithin; got != model.DefaultParams().TTLDeleteWithin {
		t.Errorf("default ttl_delete_within %v", got)
	}
}

// globalDoc is a global table with streams, TTL, an index and region
// outages, and workloads in each of its regions.
const globalDoc = "scenarios/testdata/global-wiring.yaml"

// Build hands the model the tables' streams, TTL and replicas, schedules
// the faults, points each workload at the replica of its region with the
// others to fail over to, and prices every service table.
func TestBuildGlobalTables(t *testing.T) {
	sc, err := scenarios.Load(globalDoc)
	if err != nil {
		t.Fatal(err)
	}
	rec := newCaches()
	s, err := build(sc, 1, rec)
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
	ia, _ := scenarios.PriceBook("us-east-1", "standard-ia", scenarios.Prices{}, "")
	std, _ := scenarios.PriceBook("us-east-1", "standard", scenarios.Prices{}, "")
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

	s.run()
	if rec.finished == 0 || rec.succeeded+rec.throttled+rec.failed != rec.finished {
		t.Errorf("%d finished: %d + %d + %d", rec.finished, rec.succeeded, rec.throttled, rec.failed)
	}
}

// A --prices file with a replica's region bills it there, with the
// replicated and stream prices of that file; without the region, the
// replica is billed at its home region's and the build notes it.
func TestReplicaPriceBooks(t *testing.T) {
	sc, err := scenarios.Load(globalDoc)
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
	s, err := build(sc, 1, newCaches())
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
		sc, err := scenarios.Builtin(tc.name)
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
		s, err := build(sc, 1, newCaches())
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if n := len(s.Service.Tables()); n != tc.tables || len(s.PriceBooks) != n {
			t.Errorf("%s: %d service tables, %d price books; want %d", tc.name, n, len(s.PriceBooks), tc.tables)
		}
		s.run()
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
	sc, err := scenarios.Builtin("region-outage")
	if err != nil {
		t.Fatal(err)
	}
	rec := &globalTally{kinds: map[model.GlobalEventKind]int64{}}
	s, err := build(sc, sc.Seed, rec)
	if err != nil {
		t.Fatal(err)
	}
	s.run()
	ratio := float64(rec.failed) / float64(rec.finished)
	if ratio < 0.01 || ratio > 0.05 || rec.throttled != 0 {
		t.Errorf("%d of %d requests failed (%.2f%%), %d throttled; want about 2%% failed", rec.failed, rec.finished, 100*ratio, rec.throttled)
	}
}

// The built-in global-two-regions has replication conflicts and stale
// reads, and no throttles.
func TestGlobalTwoRegionsConflicts(t *testing.T) {
	sc, err := scenarios.Builtin("global-two-regions")
	if err != nil {
		t.Fatal(err)
	}
	sc.Duration = 2 * time.Minute
	rec := &globalTally{kinds: map[model.GlobalEventKind]int64{}}
	s, err := build(sc, sc.Seed, rec)
	if err != nil {
		t.Fatal(err)
	}
	s.run()
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
	sc, err := scenarios.Parse("test.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	rec := newCaches()
	s, err := build(sc, 1, rec)
	if err != nil {
		t.Fatal(err)
	}
	if got := s.Service.Tables()[0].Region(); got != "us-east-1" {
		t.Errorf("region %q", got)
	}
	s.run()
	if rec.failed < 80 || rec.failed > 120 || rec.finished < 290 {
		t.Errorf("%d of %d requests failed; want the 10 s outage's 100", rec.failed, rec.finished)
	}
}
