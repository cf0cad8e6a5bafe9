package scenarios

// Tests of the scenario format. testdata/valid/*.yaml must parse;
// testdata/invalid/*.yaml must fail with the messages in the .golden file
// beside each (go test ./scenarios -run Golden -update rewrites them).
// The table tests below pin one rule each on a small document.

import (
	"errors"
	"flag"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ddbsim/ddbsim/threshold"
)

var update = flag.Bool("update", false, "rewrite testdata/invalid/*.golden")

func TestParseDesignExample(t *testing.T) {
	s := mustLoad(t, "testdata/valid/design-example.yaml")
	want := &Scenario{
		File:        "testdata/valid/design-example.yaml",
		Version:     1,
		Name:        "flash-sale",
		Description: "Checkout traffic jumps tenfold for fifteen minutes.",
		Seed:        42,
		HasSeed:     true,
		Duration:    time.Hour,
		Region:      "us-east-1",
		Tables: []Table{{
			Pos:           Pos{9, 5},
			Name:          "orders",
			PartitionKey:  "order_id",
			SortKey:       "created_at",
			Mode:          "provisioned",
			ReadCapacity:  1000,
			WriteCapacity: 500,
			AutoScaling:   &AutoScaling{Target: 0.7, Min: 100, Max: 4000},
			PreviousPeak:  &Peak{Reads: 12000, Writes: 4000},
			Items:         Items{Count: 1_000_000, Size: 2048, PerKey: 1},
			TableClass:    "standard",
		}},
		Client: Client{Retry: Retry{Policy: "sdk-v2"}, Timeout: 10 * time.Second, FailoverAfter: 30 * time.Second},
		Workloads: []Workload{{
			Pos:     Pos{23, 5},
			Name:    "shoppers",
			Table:   "orders",
			Rate:    500,
			Arrival: "poisson",
			Stages: []Stage{
				{For: 2 * time.Minute, Rate: 5000},
				{For: 10 * time.Minute, Rate: 5000},
				{For: time.Minute, Rate: 500},
			},
			Mix:         []MixEntry{{Op: "get", Weight: 0.8}, {Op: "put", Weight: 0.15}, {Op: "query", Weight: 0.05}},
			Keys:        Keys{Distribution: "zipf", Exponent: 1.2, Count: 1_000_000},
			ItemSize:    ItemSize{Distribution: "fixed", Fixed: 2048},
			Consistency: "eventual",
		}},
		Thresholds: []Threshold{
			{Pos: Pos{35, 3}, Threshold: threshold.Threshold{Metric: "throttled_ratio", Expr: "< 1%", Cmp: "<", Value: 0.01}},
			{Pos: Pos{36, 3}, Threshold: threshold.Threshold{Metric: "p99_ms", Expr: "< 20", Cmp: "<", Value: 20}},
		},
	}
	if !reflect.DeepEqual(s, want) {
		t.Errorf("got  %+v\nwant %+v", s, want)
	}
}

func TestParseDefaults(t *testing.T) {
	s := mustLoad(t, "testdata/valid/minimal.yaml")
	if s.Region != "us-east-1" || s.HasSeed || s.Latency != nil || s.Thresholds != nil {
		t.Errorf("scenario defaults: %+v", s)
	}
	if want := (Client{Retry: Retry{Policy: "sdk-v2"}, Timeout: 10 * time.Second, FailoverAfter: 30 * time.Second}); s.Client != want {
		t.Errorf("client = %+v, want %+v", s.Client, want)
	}
	tb := s.Tables[0]
	if tb.TableClass != "standard" || tb.Items != (Items{Count: 10_000, Size: 1024, PerKey: 1}) {
		t.Errorf("table defaults: %+v", tb)
	}
	w := s.Workloads[0]
	want := Workload{
		Pos: w.Pos, Name: "readers", Table: "users", Rate: 100, Arrival: "poisson",
		Mix:         []MixEntry{{Op: "get", Weight: 1}},
		Keys:        Keys{Distribution: "uniform", Count: 10_000}, // the table's items.count
		ItemSize:    ItemSize{Distribution: "fixed", Fixed: 1024}, // the table's items.size
		Consistency: "eventual",
	}
	if !reflect.DeepEqual(w, want) {
		t.Errorf("workload defaults:\n got %+v\nwant %+v", w, want)
	}
}

func TestParseExtras(t *testing.T) {
	s := mustLoad(t, "testdata/valid/extras.yaml")
	if s.Duration != 48*time.Hour || s.Region != "eu-west-1" {
		t.Errorf("duration %v, region %q", s.Duration, s.Region)
	}
	wantLat := map[string]LatencySpec{
		"get":            {Median: 2500 * time.Microsecond, P99: 10 * time.Millisecond},
		"transact_write": {Median: 9 * time.Millisecond, P99: 40 * time.Millisecond},
		"dax":            {Median: 300 * time.Microsecond, P99: 2 * time.Millisecond},
	}
	if !reflect.DeepEqual(s.Latency, wantLat) {
		t.Errorf("latency = %v", s.Latency)
	}
	if want := (Retry{Policy: "custom", MaxAttempts: 5, Base: 25 * time.Millisecond, MaxBackoff: 5 * time.Second}); s.Client.Retry != want || s.Client.Timeout != 2*time.Second {
		t.Errorf("client = %+v", s.Client)
	}
	tb := s.Tables[0]
	if tb.ReadCapacity != 2000 || tb.WriteCapacity != 1500 || tb.TableClass != "standard-ia" ||
		tb.Items != (Items{Count: 10_000_000, Size: 512, PerKey: 100}) {
		t.Errorf("table = %+v", tb)
	}
	ingest, dash, backfill := s.Workloads[0], s.Workloads[1], s.Workloads[2]
	if ingest.Arrival != "constant" || ingest.Rate != 0 || len(ingest.Stages) != 2 || ingest.Stages[0].Rate != 500 {
		t.Errorf("ingest = %+v", ingest)
	}
	if want := (ItemSize{Distribution: "lognormal", Median: 1024, P99: 8192}); ingest.ItemSize != want {
		t.Errorf("ingest item size = %+v", ingest.ItemSize)
	}
	if dash.QueryLimit != 100 || dash.Consistency != "strong" || dash.Keys.Count != 100_000 {
		t.Errorf("dashboards = %+v", dash)
	}
	if got := dash.Rate; got < 555.55 || got > 555.56 {
		t.Errorf("2M/h = %v/s", got)
	}
	if !reflect.DeepEqual(backfill.Mix, ingest.Mix) || backfill.ItemSize.Fixed != 400<<10 {
		t.Errorf("backfill = %+v (an alias must give the anchored mix)", backfill)
	}
	var metrics []string
	for _, th := range s.Thresholds {
		metrics = append(metrics, th.Metric+th.Cmp)
	}
	if got := strings.Join(metrics, " "); got != "error_ratio<= p999_ms< retries== throttle_events>=" {
		t.Errorf("thresholds out of file order: %s", got)
	}
	if s.Thresholds[0].Value != 0.001 {
		t.Errorf("0.1%% = %v", s.Thresholds[0].Value)
	}
}

// doc builds a small valid document; table or workload, when not empty,
// replace the default flow mapping, and extra is appended at the top level.
// The table is at line 5, column 5; the workload at line 7, column 5.
func doc(table, workload, extra string) string {
	if table == "" {
		table = "{name: t, partition_key: id, mode: on-demand, items: {count: 1k}}"
	}
	if workload == "" {
		workload = "{name: w, table: t, rate: 10/s}"
	}
	return "version: 1\nname: test\nduration: 1h\ntables:\n  - " + table +
		"\nworkloads:\n  - " + workload + "\n" + extra
}

func TestParseValid(t *testing.T) {
	for _, tc := range []struct {
		name  string
		src   string
		check func(*Scenario) bool
	}{
		{"rate 0/s is valid", doc("", "{name: w, table: t, rate: 0/s}", ""),
			func(s *Scenario) bool { return s.Workloads[0].Rate == 0 }},
		{"stages without rate start at 0", doc("", "{name: w, table: t, stages: [{for: 1m, rate: 5/s}]}", ""),
			func(s *Scenario) bool { return s.Workloads[0].Rate == 0 && s.Workloads[0].Stages[0].Rate == 5 }},
		{"zipf exponent defaults to 0.99", doc("", "{name: w, table: t, rate: 1/s, keys: {distribution: zipf}}", ""),
			func(s *Scenario) bool { return s.Workloads[0].Keys.Exponent == 0.99 }},
		{"keys.count overrides items.count", doc("", "{name: w, table: t, rate: 1/s, keys: {count: 5}}", ""),
			func(s *Scenario) bool { return s.Workloads[0].Keys.Count == 5 }},
		{"item_size defaults to items.size", doc("{name: t, partition_key: id, mode: on-demand, items: {count: 1, size: 3KB}}", "", ""),
			func(s *Scenario) bool { return s.Workloads[0].ItemSize == ItemSize{Distribution: "fixed", Fixed: 3072} }},
		{"mix is normalised within tolerance", doc("", "{name: w, table: t, rate: 1/s, mix: {get: 33.33%, put: 66.67%}}", ""),
			func(s *Scenario) bool {
				m := s.Workloads[0].Mix
				return len(m) == 2 && m[0].Weight+m[1].Weight == 1
			}},
		{"mix of 99.995% is within 0.01%", doc("", "{name: w, table: t, rate: 1/s, mix: {get: 99.995%}}", ""),
			func(s *Scenario) bool { return s.Workloads[0].Mix[0].Weight == 1 }},
		{"mix keeps a 0% entry", doc("", "{name: w, table: t, rate: 1/s, mix: {get: 100%, scan: 0%}}", ""),
			func(s *Scenario) bool { return len(s.Workloads[0].Mix) == 2 }},
		{"retry legacy", doc("", "", "client: {retry: legacy}"),
			func(s *Scenario) bool { return s.Client.Retry.Policy == "legacy" }},
		{"retry none", doc("", "", "client: {retry: none}"),
			func(s *Scenario) bool { return s.Client.Retry.Policy == "none" }},
		{"seed 0 is a seed", doc("", "", "seed: 0"),
			func(s *Scenario) bool { return s.HasSeed && s.Seed == 0 }},
		{"largest seed", doc("", "", "seed: 18446744073709551615"),
			func(s *Scenario) bool { return s.Seed == 1<<64-1 }},
		{"quoted numbers are fine", doc("{name: t, partition_key: id, mode: provisioned, read_capacity: '5', write_capacity: \"1k\"}", "{name: w, table: t, rate: 1/s, keys: {count: 9}}", ""),
			func(s *Scenario) bool { return s.Tables[0].ReadCapacity == 5 && s.Tables[0].WriteCapacity == 1000 }},
		{"autoscaling target defaults to 70%", doc("{name: t, partition_key: id, mode: provisioned, read_capacity: 5, write_capacity: 5, autoscaling: {min: 1, max: 10}, items: {count: 1}}", "", ""),
			func(s *Scenario) bool { return *s.Tables[0].AutoScaling == AutoScaling{Target: 0.7, Min: 1, Max: 10} }},
		{"autoscaling bounds are inclusive", doc("{name: t, partition_key: id, mode: provisioned, read_capacity: 5, write_capacity: 5, autoscaling: {target: 90%, min: 10, max: 10}, items: {count: 1}}", "", ""),
			func(s *Scenario) bool { return s.Tables[0].AutoScaling.Target == 0.9 }},
		{"description block is trimmed", doc("", "", "description: |\n  two\n  lines\n"),
			func(s *Scenario) bool { return s.Description == "two\nlines" }},
		{"thresholds on ratios take fractions too", doc("", "", "thresholds: {throttled_ratio: '< 0.01', max_ms: '<=1000'}"),
			func(s *Scenario) bool {
				return s.Thresholds[0].Value == 0.01 && s.Thresholds[1].Cmp == "<=" && s.Thresholds[1].Value == 1000
			}},
		{"thresholds need no quotes after <", doc("", "", "thresholds:\n  p99_ms: < 20\n  retries: <= 3"),
			func(s *Scenario) bool { return len(s.Thresholds) == 2 && s.Thresholds[1].Value == 3 }},
		{"a trailing empty document is harmless", doc("", "", "---\n"),
			func(s *Scenario) bool { return s.Name == "test" }},
		{"users: a closed loop, no think time by default", doc("", "{name: w, table: t, users: 10}", ""),
			func(s *Scenario) bool {
				w := s.Workloads[0]
				return w.Users == 10 && w.Think == 0 && w.ThinkDistribution == "fixed" && w.Rate == 0 && w.Arrival == "" && w.Stages == nil
			}},
		{"users takes counts, think a duration", doc("", "{name: w, table: t, users: 1.5k, think: 250ms}", ""),
			func(s *Scenario) bool {
				return s.Workloads[0].Users == 1500 && s.Workloads[0].Think == 250*time.Millisecond
			}},
		{"think 0 is valid", doc("", "{name: w, table: t, users: 1, think: 0}", ""),
			func(s *Scenario) bool { return s.Workloads[0].Users == 1 && s.Workloads[0].Think == 0 }},
		{"users up to 1M", doc("", "{name: w, table: t, users: 1M, think: 1d}", ""),
			func(s *Scenario) bool {
				return s.Workloads[0].Users == 1_000_000 && s.Workloads[0].Think == 24*time.Hour
			}},
		{"exponential think", doc("", "{name: w, table: t, users: 5, think: {distribution: exponential, mean: 2s}}", ""),
			func(s *Scenario) bool {
				return s.Workloads[0].ThinkDistribution == "exponential" && s.Workloads[0].Think == 2*time.Second
			}},
		{"fixed think as a mapping, mean 0", doc("", "{name: w, table: t, users: 5, think: {distribution: fixed, mean: 0s}}", ""),
			func(s *Scenario) bool {
				return s.Workloads[0].ThinkDistribution == "fixed" && s.Workloads[0].Think == 0
			}},
		{"an open loop has no think distribution", doc("", "", ""),
			func(s *Scenario) bool { return s.Workloads[0].Users == 0 && s.Workloads[0].ThinkDistribution == "" }},
		{"batch_size defaults to 25 with a batch operation", doc("", "{name: w, table: t, rate: 1/s, mix: {get: 50%, batch_get: 50%}}", ""),
			func(s *Scenario) bool { return s.Workloads[0].BatchSize == 25 }},
		{"batch_size up to 100 with batch_get", doc("", "{name: w, table: t, rate: 1/s, mix: {batch_get: 100%}, batch_size: 100}", ""),
			func(s *Scenario) bool { return s.Workloads[0].BatchSize == 100 }},
		{"batch_size up to 25 with batch_write", doc("", "{name: w, table: t, rate: 1/s, mix: {batch_get: 10%, batch_write: 90%}, batch_size: 25}", ""),
			func(s *Scenario) bool { return s.Workloads[0].BatchSize == 25 }},
		{"batch_size 1", doc("", "{name: w, table: t, users: 2, mix: {batch_write: 100%}, batch_size: 1}", ""),
			func(s *Scenario) bool { return s.Workloads[0].BatchSize == 1 }},
		{"no batch operation, no batch size", doc("", "{name: w, table: t, rate: 1/s, mix: {get: 50%, put: 50%}}", ""),
			func(s *Scenario) bool { return s.Workloads[0].BatchSize == 0 }},
		{"capacity at the quota", doc("{name: t, partition_key: id, mode: provisioned, read_capacity: 40k, write_capacity: 40k, autoscaling: {min: 1, max: 40k}, items: {count: 1}}", "", ""),
			func(s *Scenario) bool {
				return s.Tables[0].ReadCapacity == 40_000 && s.Tables[0].AutoScaling.Max == 40_000
			}},
		{"a raised quota admits more", doc("{name: t, partition_key: id, mode: provisioned, read_capacity: 100k, write_capacity: 5, items: {count: 1}}", "", "service: {table_read_quota: 100k}"),
			func(s *Scenario) bool { return s.Tables[0].ReadCapacity == 100_000 }},
		{"a provisioned table may be pre-warmed", doc("{name: t, partition_key: id, mode: provisioned, read_capacity: 5, write_capacity: 5, warm_throughput: {reads: 12k/s, writes: 4k/s}, items: {count: 1}}", "", ""),
			func(s *Scenario) bool { return s.Tables[0].WarmThroughput.Writes == 4_000 }},
		{"on-demand settings at their bounds", doc("{name: t, partition_key: id, mode: on-demand, items: {count: 1}, previous_peak: {reads: 0/s, writes: 40k/s}, warm_throughput: {reads: 12k/s}, max_throughput: {writes: 1/s}}", "", ""),
			func(s *Scenario) bool {
				t := s.Tables[0]
				return t.PreviousPeak.Writes == 40_000 && t.WarmThroughput.Reads == 12_000 && t.MaxThroughput.Writes == 1
			}},
		{"switch to provisioned with capacity, then back and forth", doc("{name: t, partition_key: id, mode: on-demand, items: {count: 1}, capacity_changes: [{at: 1m, mode: provisioned, read_capacity: 5, write_capacity: 5}, {at: 2m, mode: on-demand}, {at: 3m, mode: provisioned}]}", "", ""),
			func(s *Scenario) bool { return len(s.Tables[0].CapacityChanges) == 3 }},
		{"table names of the service's characters", doc("{name: Orders_v2.eu-1, partition_key: id, mode: on-demand, items: {count: 1}}", "{name: w, table: Orders_v2.eu-1, rate: 1/s}", ""),
			func(s *Scenario) bool { return s.Tables[0].Name == "Orders_v2.eu-1" }},
		{"query_limit and query_range with queries", doc("{name: t, partition_key: id, sort_key: s, mode: on-demand, items: {count: 100, per_key: 10}}", "{name: w, table: t, rate: 1/s, mix: {query: 100%}, query_limit: 1, query_range: 10}", ""),
			func(s *Scenario) bool { return s.Workloads[0].QueryLimit == 1 && s.Workloads[0].QueryRange == 10 }},
		{"batch_get of 16MB exactly", doc("", "{name: w, table: t, rate: 1/s, mix: {batch_get: 100%}, batch_size: 40, item_size: 400KB}", ""),
			func(s *Scenario) bool { return s.Workloads[0].BatchSize == 40 }},
		{"ratio thresholds at 1 and 100%", doc("", "", "thresholds: {availability_min: '>= 1', cache_hit_rate: '<= 100%'}"),
			func(s *Scenario) bool { return s.Thresholds[0].Value == 1 && s.Thresholds[1].Value == 1 }},
	} {
		s, err := Parse("test.yaml", []byte(tc.src))
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		if !tc.check(s) {
			t.Errorf("%s: check failed on %+v", tc.name, s)
		}
	}
}

func TestParseErrors(t *testing.T) {
	const (
		prov    = "{name: t, partition_key: id, mode: provisioned, read_capacity: 5, write_capacity: 5, items: {count: 1}, "
		ondem   = "{name: t, partition_key: id, mode: on-demand, items: {count: 1}, "
		wl      = "{name: w, table: t, rate: 1/s, "
		tablePo = "5:5" // where the table mapping starts
	)
	for _, tc := range []struct {
		name, src string
		at        string // line:col
		msg       string
	}{
		{"unknown table key", doc(ondem+"read_capcity: 5}", "", ""), "5:70",
			`unknown key "read_capcity" in table; did you mean "read_capacity"?`},
		{"unknown key without near one", doc("", "", "colour: blue"), "8:1",
			`unknown key "colour" in the scenario (valid: version, name, description, seed, duration, region, tables, dax, client, latency, service, prices, workloads, thresholds, faults, history)`},
		{"prefix suggestion", doc("", wl+"consist: strong}", ""), "7:36",
			`unknown key "consist" in workload; did you mean "consistency"?`},
		{"mapping where a scalar goes", doc("", "", "region: {name: eu}"), "8:9",
			`region: expected a string, got a mapping`},
		{"string where a number goes", doc("{name: t, partition_key: id, mode: provisioned, read_capacity: many, write_capacity: 5, items: {count: 1}}", "", ""), "5:68",
			`read_capacity: bad count "many": expected a whole number such as 1000, 1k or 1.5M`},
		{"bad unit", doc("", wl+"item_size: 2QB}", ""), "7:47",
			`item_size: bad size "2QB": expected a number followed by B, KB, MB, GB or TB (KB = 1024 B)`},
		{"negative rate", doc("", "{name: w, table: t, rate: -1/s}", ""), "7:31",
			`rate: bad rate "-1/s": must not be negative`},
		{"negative size", doc("{name: t, partition_key: id, mode: on-demand, items: {count: 1, size: -1KB}}", "", ""), "5:75",
			`items.size: bad size "-1KB": must not be negative`},
		{"zero duration", strings.Replace(doc("", "", ""), "1h", "0s", 1), "3:11",
			`duration must be positive, got 0s`},
		{"negative stage", doc("", "{name: w, table: t, stages: [{for: -1m, rate: 1/s}]}", ""), "7:40",
			`stages.for must be positive, got -1m`},
		{"zero timeout", doc("", "", "client: {timeout: 0s}"), "8:19",
			`client.timeout must be positive, got 0s`},
		{"duplicate key", doc("", "", "region: a\nregion: b"), "9:1",
			`duplicate key "region" in the scenario (first at line 8)`},
		{"missing table", doc("", "{name: w, table: tt, rate: 1/s}", ""), "7:22",
			`table: no table named "tt"; did you mean "t"?`},
		{"missing table, far", doc("", "{name: w, table: inventory, rate: 1/s}", ""), "7:22",
			`table: no table named "inventory" (tables: t)`},
		{"bad mode", doc("{name: t, partition_key: id, mode: on_demand}", "", ""), "5:40",
			`mode: unknown value "on_demand"; did you mean "on-demand"?`},
		{"mode in capitals", doc("{name: t, partition_key: id, mode: PROVISIONED}", "", ""), "5:40",
			`mode: unknown value "PROVISIONED"; did you mean "provisioned"?`},
		{"mode far off", doc("{name: t, partition_key: id, mode: free, items: {count: 1}}", "", ""), "5:40",
			`mode: unknown value "free"; expected provisioned or on-demand`},
		{"provisioned without read_capacity", doc("{name: t, partition_key: id, mode: provisioned, write_capacity: 5, items: {count: 1}}", "", ""), tablePo,
			`table is missing read_capacity (provisioned tables need read_capacity >= 1)`},
		{"capacity below 1", doc("{name: t, partition_key: id, mode: provisioned, read_capacity: 0, write_capacity: 5, items: {count: 1}}", "", ""), "5:68",
			`read_capacity must be at least 1`},
		{"capacity on on-demand", doc(ondem+"write_capacity: 5}", "", ""), "5:70",
			`write_capacity applies only to mode: provisioned, and this table is on-demand`},
		{"autoscaling on on-demand", doc(ondem+"autoscaling: {min: 1, max: 2}}", "", ""), "5:70",
			`autoscaling applies only to mode: provisioned, and this table is on-demand`},
		{"autoscaling target too low", doc(prov+"autoscaling: {target: 19%, min: 1, max: 2}}", "", ""), "5:131",
			`autoscaling.target must be between 20% and 90%, got 19%`},
		{"autoscaling min > max", doc(prov+"autoscaling: {min: 3, max: 2}}", "", ""), "5:128",
			`autoscaling.min (3) is greater than max (2)`},
		{"reserved not in blocks of 100", doc(prov+"reserved: {read_capacity: 150}}", "", ""), "5:135",
			`reserved.read_capacity must be a multiple of 100 (reserved capacity is sold in blocks of 100), got 150`},
		{"reserved on on-demand", doc(ondem+"reserved: {write_capacity: 100}}", "", ""), "5:70",
			`reserved applies only to mode: provisioned, and this table is on-demand`},
		{"reserved on standard-ia", doc(prov+"reserved: {read_capacity: 100}, table_class: standard-ia}", "", ""), "5:109",
			`reserved capacity is sold for the Standard table class only`},
		{"capacity change without a change", doc(prov+"capacity_changes: [{at: 1m}]}", "", ""), "5:128",
			`a capacity change needs read_capacity, write_capacity, mode, or several`},
		{"capacity changes out of order", doc(prov+"capacity_changes: [{at: 5m, read_capacity: 9}, {at: 1m, read_capacity: 7}]}", "", ""), "5:161",
			`capacity_changes must be in time order: 1m comes after 5m0s`},
		{"capacity while on-demand", doc(prov+"capacity_changes: [{at: 1m, mode: on-demand}, {at: 2m, write_capacity: 9}]}", "", ""), "5:164",
			`write_capacity applies only to mode: provisioned, and the table is on-demand here`},
		{"switch to the mode it has", doc(ondem+"capacity_changes: [{at: 1m, mode: on-demand}]}", "", ""), "5:104",
			`the table is already on-demand here`},
		{"service parameter typo", doc("", "", "service: {burst_windw: 10s}\n"), "8:11",
			`unknown key "burst_windw" in service; did you mean "burst_window"?`},
		{"service parameter out of range", doc("", "", "service: {heat_threshold: 150%}\n"), "8:27",
			`heat_threshold must be above 0% and at most 100%, got 150%`},
		{"unknown op", doc("", wl+"mix: {gte: 100%}}", ""), "7:42",
			`unknown operation "gte" in mix; did you mean "get"?`},
		{"mix sum", doc("", wl+"mix: {get: 60%, put: 30%}}", ""), "7:41",
			`mix: weights sum to 90%; they must sum to 100%`},
		{"mix sum just outside tolerance", doc("", wl+"mix: {get: 99.98%}}", ""), "7:41",
			`mix: weights sum to 99.98%; they must sum to 100%`},
		{"mix weight without %", doc("", wl+"mix: {get: 1}}", ""), "7:47",
			`mix.get: bad percentage "1": no % sign; expected a percentage such as 70% or 0.5%`},
		{"distribution", doc("", wl+"keys: {distribution: normal}}", ""), "7:57",
			`keys.distribution: unknown value "normal"; expected uniform, zipf, hotspot, latest, sequential, hot, ycsb-zipfian or ycsb-latest`},
		{"zipf exponent 0", doc("", wl+"keys: {distribution: zipf, exponent: 0}}", ""), "7:73",
			`keys.exponent must be greater than 0, got 0`},
		{"zipf exponent negative", doc("", wl+"keys: {distribution: zipf, exponent: -1}}", ""), "7:73",
			`keys.exponent must be greater than 0, got -1`},
		{"exponent without zipf", doc("", wl+"keys: {exponent: 1}}", ""), "7:43",
			`keys.exponent applies only to distribution: zipf or latest`},
		{"keys.count needed", doc("{name: t, partition_key: id, mode: on-demand}", "", ""), "7:5",
			`keys.count is required when the table has no items`},
		{"lognormal p99 < median", doc("", wl+"item_size: {distribution: lognormal, median: 2KB, p99: 1KB}}", ""), "7:91",
			`item_size.p99 (1KB) is less than median (2KB)`},
		{"item over 400KB", doc("", wl+"item_size: 401KB}", ""), "7:47",
			`item_size: 401KB is larger than the service's 400KB item limit`},
		{"item size 0", doc("", wl+"item_size: 0B}", ""), "7:47",
			`item_size must be positive`},
		{"consistency", doc("", wl+"consistency: linearizable}", ""), "7:49",
			`consistency: unknown value "linearizable"; expected eventual or strong`},
		{"version missing", strings.Replace(doc("", "", ""), "version: 1\n", "", 1), "1:1",
			`the scenario is missing version (expected version: 1)`},
		{"version 2", strings.Replace(doc("", "", "colour: x"), "version: 1", "version: 2", 1), "1:10",
			`unsupported version "2"; expected version: 1`},
		{"name missing", strings.Replace(doc("", "", ""), "name: test\n", "", 1), "1:1",
			`the scenario is missing name`},
		{"duration missing", strings.Replace(doc("", "", ""), "duration: 1h\n", "", 1), "1:1",
			`the scenario is missing duration (such as duration: 1h)`},
		{"no tables", "version: 1\nname: x\nduration: 1h\ntables: []\nworkloads: []\n", "4:9",
			`tables is empty; a scenario needs at least one table`},
		{"no workloads", strings.Replace(doc("", "", ""), "workloads:\n  - {name: w, table: t, rate: 10/s}\n", "", 1), "1:1",
			`the scenario is missing workloads (a scenario needs at least one workload)`},
		{"duplicate table", strings.Replace(doc("", "", ""), "tables:\n", "tables:\n  - {name: t, partition_key: id, mode: on-demand}\n", 1), "6:12",
			`duplicate table name "t" (first at line 5)`},
		{"duplicate workload", strings.Replace(doc("", "", ""), "workloads:\n", "workloads:\n  - {name: w, table: t, rate: 1/s}\n", 1), "8:12",
			`duplicate workload name "w" (first at line 7)`},
		{"threshold metric", doc("", "", "thresholds: {p99: '< 20'}"), "8:14",
			`unknown metric "p99" in thresholds (valid: throttled_ratio, error_ratio, given_up_ratio, given_up, p50_ms, p90_ms, p99_ms, p999_ms, max_ms, mean_ms, throttle_events, retries, final_rcu, final_wcu, partitions, capacity_events, cache_hit_rate, stale_reads, dax_throttled, availability_min, max_iterator_age_s, records_lost, replication_conflicts, stale_read_ratio)`},
		{"threshold metric typo", doc("", "", "thresholds: {p99ms: '< 20'}"), "8:14",
			`unknown metric "p99ms" in thresholds; did you mean "p99_ms"?`},
		{"threshold percent on ms", doc("", "", "thresholds: {p99_ms: '< 20%'}"), "8:22",
			`p99_ms: bad threshold "< 20%": percentages apply only to ratio metrics (throttled_ratio, error_ratio, given_up_ratio, cache_hit_rate, availability_min, stale_read_ratio)`},
		{"threshold without comparison", doc("", "", "thresholds: {p99_ms: 20}"), "8:22",
			`p99_ms: bad threshold "20": expected a comparison (<, <=, >, >= or ==) and a number, such as "< 20" or "<= 1%"`},
		{"seed negative", doc("", "", "seed: -1"), "8:7",
			`seed: expected a non-negative integer, got "-1"`},
		{"retry policy", doc("", "", "client: {retry: sdk-v3}"), "8:17",
			`client.retry: unknown value "sdk-v3"; did you mean "sdk-v2"?`},
		{"retry as list", doc("", "", "client: {retry: [a]}"), "8:17",
			`client.retry: expected sdk-v2, legacy, none, go-v2, go-v1, js-v3, boto3-standard, go-v2-adaptive, java-v2, boto3-legacy or a mapping {max_attempts, base, max_backoff}, got a list`},
		{"custom retry missing base", doc("", "", "client: {retry: {max_attempts: 3, max_backoff: 1s}}"), "8:17",
			`client.retry is missing base (the first backoff, such as 50ms)`},
		{"latency op", doc("", "", "latency: {gett: {median: 1ms, p99: 2ms}}"), "8:11",
			`unknown operation "gett" in latency; did you mean "get"?`},
		{"per_key without sort key", doc("{name: t, partition_key: id, mode: on-demand, items: {count: 1, per_key: 2}}", "", ""), "5:78",
			`items.per_key: a table without a sort_key holds one item per key`},
		// REFERENCE: gsi — an item collection of a table with a local
		// index holds at most 10 GB: 12 GB under one key is refused.
		{"item collection over 10 GB", doc("{name: t, partition_key: id, sort_key: s, mode: on-demand, items: {count: 31458, size: 400KB, per_key: 31458}, indexes: [{name: lsi, local: true, sort_key: l}]}", "", ""), "5:71",
			`items: 31458 items of 400KB under one partition key make an item collection of 12GB; with a local secondary index the service caps each item collection at 10GB (REFERENCE: gsi, ItemCollectionSizeLimitExceededException)`},
		{"global storage overhead", doc("", "", "service: {global_storage_overhead: 2KB}"), "8:36",
			`global_storage_overhead: 2KB per item is more than the 1KB an overhead could be; the service documents 48B`},
		// REFERENCE: partitions — 3,000 read units a partition is the
		// documented ceiling; the blog's replicas give at most three times.
		{"eventual read ceiling below 3000", doc("", "", "service: {eventual_read_ceiling: 2000}"), "8:34",
			`eventual_read_ceiling must be between 3000 (the documented ceiling of any read) and 9000 (three replicas at 3000 each) read units a second, got 2000`},
		{"eventual read ceiling above 9000", doc("", "", "service: {eventual_read_ceiling: 10000}"), "8:34",
			`eventual_read_ceiling must be between 3000 (the documented ceiling of any read) and 9000 (three replicas at 3000 each) read units a second, got 10000`},
		{"table class", doc(ondem+"table_class: infrequent}", "", ""), "5:83",
			`table_class: unknown value "infrequent"; expected standard or standard-ia`},
		{"merge key", "base: &b {name: x}\nversion: 1\n<<: *b\n", "3:1",
			`merge keys (<<) are not supported; write the keys out`},
		{"not a mapping", "- version: 1\n", "1:1",
			`a scenario is a mapping of keys such as version: 1, not a list`},
		{"empty file", "# nothing\n", "1:1",
			`the file is empty; a scenario starts with version: 1`},
		{"second document", doc("", "", "---\nversion: 1\n"), "9:1",
			`a scenario file holds one YAML document; this is a second one`},
		{"syntax", "version: 1\nname: [x\n", "2:1",
			`invalid YAML: did not find expected ',' or ']'`},
		{"syntax: bad indentation", "version: 1\ntables:\n  - name: t\n    mode: on-demand\n   bad: indentation\n", "5:1",
			`invalid YAML: did not find expected '-' indicator`},
		{"syntax: tab", "version: 1\ntables:\n\t- x\n", "3:1",
			`invalid YAML: found character that cannot start any token`},
		{"syntax: open quote", "version: 1\nname: 'x\n", "2:1",
			`invalid YAML: found unexpected end of stream`},
		{"unknown anchor", doc("", "", "region: *nowhere"), "8:9",
			`invalid YAML: unknown anchor 'nowhere' referenced`},
		{"users with rate", doc("", "{name: w, table: t, users: 10, rate: 5/s}", ""), "7:36",
			`rate and users cannot be combined: a workload is either an open loop (rate, stages, arrival) or a closed loop (users, think)`},
		{"users with stages", doc("", "{name: w, table: t, stages: [{for: 1m, rate: 5/s}], users: 10}", ""), "7:25",
			`stages and users cannot be combined: a workload is either an open loop (rate, stages, arrival) or a closed loop (users, think)`},
		{"users with arrival", doc("", "{name: w, table: t, users: 10, arrival: constant}", ""), "7:36",
			`arrival and users cannot be combined: a workload is either an open loop (rate, stages, arrival) or a closed loop (users, think)`},
		{"users 0", doc("", "{name: w, table: t, users: 0}", ""), "7:32",
			`users must be at least 1`},
		{"users over 1M", doc("", "{name: w, table: t, users: 2M}", ""), "7:32",
			`users must be at most 1000000`},
		{"users not a count", doc("", "{name: w, table: t, users: many}", ""), "7:32",
			`users: bad count "many": expected a whole number such as 1000, 1k or 1.5M`},
		{"think negative", doc("", "{name: w, table: t, users: 5, think: -1s}", ""), "7:42",
			`think must not be negative, got -1s`},
		{"think without users", doc("", "{name: w, table: t, rate: 1/s, think: 1s}", ""), "7:36",
			`think applies only to a closed loop (users: N)`},
		{"think as a list", doc("", "{name: w, table: t, users: 5, think: [1s]}", ""), "7:42",
			`think: expected a duration such as 500ms or a mapping such as {distribution: exponential, mean: 500ms}, got a list`},
		{"think without unit", doc("", "{name: w, table: t, users: 5, think: 5}", ""), "7:42",
			`think: bad duration "5": no unit; expected a duration such as 90s, 1h30m, 250ms or 2d`},
		{"think distribution", doc("", "{name: w, table: t, users: 5, think: {distribution: normal, mean: 1s}}", ""), "7:57",
			`think.distribution: unknown value "normal"; expected fixed or exponential`},
		{"exponential think of mean 0", doc("", "{name: w, table: t, users: 5, think: {distribution: exponential, mean: 0s}}", ""), "7:76",
			`think.mean must be positive, got 0s`},
		{"think without mean", doc("", "{name: w, table: t, users: 5, think: {distribution: exponential}}", ""), "7:42",
			`think is missing mean (the mean think time, such as 500ms)`},
		{"think typo", doc("", "{name: w, table: t, users: 5, thnk: 1s}", ""), "7:35",
			`unknown key "thnk" in workload; did you mean "think"?`},
		{"think mean typo", doc("", "{name: w, table: t, users: 5, think: {distribution: fixed, mea: 1s}}", ""), "7:64",
			`unknown key "mea" in think; did you mean "mean"?`},
		{"batch_size over 25 with batch_write", doc("", wl+"mix: {batch_write: 100%}, batch_size: 30}", ""), "7:74",
			`batch_size must be at most 25 with batch_write in the mix (BatchWriteItem writes at most 25 items), got 30`},
		{"batch_size over 100", doc("", wl+"mix: {batch_get: 100%}, batch_size: 101}", ""), "7:72",
			`batch_size must be at most 100 with batch_get in the mix (BatchGetItem reads at most 100 items), got 101`},
		{"batch_size 0", doc("", wl+"mix: {batch_get: 100%}, batch_size: 0}", ""), "7:72",
			`batch_size must be at least 1`},
		{"batch_size over 25 with both: the tighter limit", doc("", wl+"mix: {get: 50%, batch_get: 25%, batch_write: 25%}, batch_size: 50}", ""), "7:99",
			`batch_size must be at most 25 with batch_write in the mix (BatchWriteItem writes at most 25 items), got 50`},
		{"batch_size without a batch operation", doc("", wl+"batch_size: 10}", ""), "7:36",
			`batch_size applies only to a mix with batch_get, batch_write, transact_get or transact_write`},
		{"batch_size not a count", doc("", wl+"mix: {batch_get: 100%}, batch_size: many}", ""), "7:72",
			`batch_size: bad count "many": expected a whole number such as 1000, 1k or 1.5M`},

		// Quotas (REFERENCE: provisioned, ondemand), checked once service: is read.
		{"read_capacity over the quota", doc(strings.Replace(prov, "read_capacity: 5", "read_capacity: 40001", 1)+"}", "", ""), "5:68",
			`read_capacity: 40001 is above the per-table read quota of 40000 units (REFERENCE: provisioned); if the account's quota was raised, say so with service: {table_read_quota: N}`},
		{"a raised read quota leaves the write quota", doc("{name: t, partition_key: id, mode: provisioned, read_capacity: 50k, write_capacity: 50k, items: {count: 1}}", "", "service: {table_read_quota: 50k}"), "5:89",
			`write_capacity: 50k is above the per-table write quota of 40000 units (REFERENCE: provisioned); if the account's quota was raised, say so with service: {table_write_quota: N}`},
		{"autoscaling.max over the quota", doc(prov+"autoscaling: {min: 1, max: 40001}}", "", ""), "5:136",
			`autoscaling.max: 40001 is above the per-table read and write quotas of 40000 units (REFERENCE: provisioned); if the account's quota was raised, say so with service: {table_read_quota: N, table_write_quota: N}`},
		{"capacity change over the quota", doc(prov+"capacity_changes: [{at: 1m, write_capacity: 40001}]}", "", ""), "5:153",
			`write_capacity: 40001 is above the per-table write quota of 40000 units (REFERENCE: provisioned); if the account's quota was raised, say so with service: {table_write_quota: N}`},
		{"GSI capacity over the quota", doc(prov+"indexes: [{name: gsi, partition_key: g, read_capacity: 40001}]}", "", ""), "5:164",
			`read_capacity: 40001 is above the per-table read quota of 40000 units (REFERENCE: provisioned); if the account's quota was raised, say so with service: {table_read_quota: N}`},
		{"previous_peak over the quota", doc(ondem+"previous_peak: {reads: 50k/s}}", "", ""), "5:93",
			`previous_peak.reads: 50k/s is above the per-table read quota of 40000 units/s (REFERENCE: ondemand); if the account's quota was raised, say so with service: {table_read_quota: N}`},
		{"warm_throughput over the quota", doc(ondem+"warm_throughput: {writes: 50k/s}}", "", ""), "5:96",
			`warm_throughput.writes: 50k/s is above the per-table write quota of 40000 units/s (REFERENCE: ondemand); if the account's quota was raised, say so with service: {table_write_quota: N}`},
		{"quota raised too far", doc("", "", "service: {table_write_quota: 200M}"), "8:30",
			`table_write_quota must be at most 100000000 (a table at that capacity spans 100000 partitions, the most ddbsim simulates), got 200M`},

		// On-demand throughput settings.
		{"warm_throughput below a new table's", doc(ondem+"warm_throughput: {reads: 5000/s}}", "", ""), "5:95",
			`warm_throughput.reads must be at least 12000/s, got 5000/s: a new on-demand table's warm throughput, which can be raised, never lowered (REFERENCE: ondemand)`},
		{"max_throughput of 0", doc(ondem+"max_throughput: {reads: 0/s}}", "", ""), "5:94",
			`max_throughput.reads must be at least 1/s, got 0/s: the service's least maximum; leave max_throughput out for none`},
		{"max_throughput of nothing", doc(ondem+"max_throughput: {}}", "", ""), "5:86",
			`max_throughput needs reads, writes or both, such as {reads: 12000/s}`},

		// Names and keys.
		{"table name with a slash", doc("{name: t/x, partition_key: id, mode: on-demand, items: {count: 1}}", "", ""), "5:12",
			`table name "t/x": expected letters, digits, _ . or -, at most 255 of them (the service's rule for table names)`},
		{"sort key is the partition key", doc("{name: t, partition_key: id, sort_key: id, mode: on-demand, items: {count: 1}}", "", ""), "5:44",
			`sort_key: id is also the partition_key; a sort key is another attribute`},
		{"GSI sort key is its partition key", doc(ondem+"indexes: [{name: gsi, partition_key: g, sort_key: g}]}", "", ""), "5:120",
			`sort_key: g is also the partition_key; a sort key is another attribute`},
		{"LSI sort key is the table's partition key", doc("{name: t, partition_key: id, sort_key: s, mode: on-demand, items: {count: 1}, indexes: [{name: lsi, local: true, sort_key: id}]}", "", ""), "5:128",
			`sort_key: id is also the partition_key; a sort key is another attribute`},
		{"key attribute name over 255 bytes", doc("{name: t, partition_key: "+strings.Repeat("k", 256)+", mode: on-demand, items: {count: 1}}", "", ""), "5:30",
			`partition_key: a key attribute name is at most 255 bytes, got 256`},
		{"region not a region", doc("", "", "region: mars"), "8:9",
			`region: "mars" is not a region name such as us-east-1 or eu-west-1`},

		// Items and partitions.
		{"partitions over the limit", doc(ondem+"partitions: 100001}", "", ""), "5:82",
			`partitions must be at most 100000 (the most ddbsim simulates in one table), got 100001`},
		{"per_key over count", doc("{name: t, partition_key: id, sort_key: s, mode: on-demand, items: {count: 10, per_key: 20}}", "", ""), "5:92",
			`items.per_key (20) is more than items.count (10): a partition key's items are among the table's`},
		{"table too large", doc("{name: t, partition_key: id, mode: on-demand, items: {count: 10G, size: 400KB}}", "", ""), "5:58",
			`items: 10000000000 items of 400KB (3.6PB) are more than the 976.6TB ddbsim simulates in one table (100000 partitions of 10GB)`},
		{"table bytes beyond an int64", doc("{name: t, partition_key: id, mode: on-demand, items: {count: 9223372036854775807, size: 1KB}}", "", ""), "5:58",
			`items: 9223372036854775807 items of 1KB (8ZB) are more than the 976.6TB ddbsim simulates in one table (100000 partitions of 10GB)`},

		// Capacity changes.
		{"switch to provisioned without capacity", doc(ondem+"capacity_changes: [{at: 1m, mode: provisioned}]}", "", ""), "5:104",
			`mode: provisioned needs read_capacity and write_capacity here: table t has not been provisioned before`},
		{"switch to provisioned with half the capacity", doc(ondem+"capacity_changes: [{at: 1m, mode: provisioned, read_capacity: 5}]}", "", ""), "5:104",
			`mode: provisioned needs write_capacity here: table t has not been provisioned before`},

		// Workloads.
		{"empty stages", doc("", "{name: w, table: t, stages: []}", ""), "7:33",
			`stages is empty; give at least one {for, rate}, or leave stages out`},
		{"ycsb_properties without ycsb", doc("", wl+"ycsb_properties: {target: 5}}", ""), "7:36",
			`ycsb_properties applies only to a YCSB workload (ycsb: FILE or workloada..workloadf)`},
		{"query_limit 0", doc("", wl+"mix: {scan: 100%}, query_limit: 0}", ""), "7:68",
			`query_limit must be at least 1, got 0 (leave it out for pages of up to 1MB)`},
		{"query_limit without query or scan", doc("", wl+"query_limit: 10}", ""), "7:36",
			`query_limit applies only to a mix with query or scan`},
		{"query_limit with ycsb", doc("", "{name: w, table: t, ycsb: workloada, query_limit: 10}", ""), "7:42",
			`query_limit cannot be combined with ycsb: the YCSB file decides it`},
		{"query_range without query", doc("", wl+"query_range: 10}", ""), "7:36",
			`query_range applies only to a mix with query`},
		{"query_range over per_key", doc("{name: t, partition_key: id, sort_key: s, mode: on-demand, items: {count: 100, per_key: 10}}", wl+"mix: {query: 100%}, query_range: 11}", ""), "7:69",
			`query_range (11) is more than the 10 items of a partition key of table t (items.per_key)`},
		{"batch_get over 16MB", doc("", wl+"mix: {batch_get: 100%}, batch_size: 100, item_size: 200KB}", ""), "7:72",
			`batch_get of 100 items of up to 200KB is 20000KB; a BatchGetItem response holds at most 16MB (REFERENCE: units), so lower batch_size (at most 81 at this size) or item_size`},
		{"batch_get over 16MB of the table's items", doc("{name: t, partition_key: id, mode: on-demand, items: {count: 1, size: 400KB}}", wl+"mix: {batch_get: 100%}, batch_size: 50, item_size: 1KB}", ""), "7:72",
			`batch_get of 50 items of up to 400KB is 20000KB; a BatchGetItem response holds at most 16MB (REFERENCE: units), so lower batch_size (at most 40 at this size) or the table's items.size`},

		// Thresholds on ratios.
		{"ratio threshold above 1", doc("", "", "thresholds: {throttled_ratio: '< 5'}"), "8:31",
			`throttled_ratio: bad threshold "< 5": a ratio is a fraction from 0 to 1; did you mean "< 5%"?`},
		{"ratio threshold above 100%", doc("", "", "thresholds: {cache_hit_rate: '> 150%'}"), "8:30",
			`cache_hit_rate: bad threshold "> 150%": a ratio is at most 100%`},
	} {
		_, err := Parse("test.yaml", []byte(tc.src))
		wantParseError(t, tc.name, err, tc.at, tc.msg)
	}
}

// TestGolden compares every problem reported for testdata/invalid/*.yaml,
// positions and order included, with the .golden file beside it.
func TestGolden(t *testing.T) {
	files, _ := filepath.Glob("testdata/invalid/*.yaml")
	if len(files) == 0 {
		t.Fatal("no testdata/invalid/*.yaml")
	}
	for _, f := range files {
		_, err := Load(f)
		if err == nil {
			t.Errorf("%s parsed without error", f)
			continue
		}
		got := err.Error() + "\n"
		golden := strings.TrimSuffix(f, ".yaml") + ".golden"
		if *update {
			if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(golden)
		if err != nil {
			t.Fatalf("%v (run go test ./scenarios -run Golden -update)", err)
		}
		if got != string(want) {
			t.Errorf("%s:\n--- got\n%s--- want\n%s", f, got, want)
		}
	}
}

// TestEveryErrorAtOnce checks that a file with many different problems
// reports each of them, in file order: the lines of
// testdata/invalid/everything.yaml marked "# error" are exactly those
// that carry problems.
func TestEveryErrorAtOnce(t *testing.T) {
	const file = "testdata/invalid/everything.yaml"
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	want := map[int]bool{}
	for i, line := range strings.Split(string(data), "\n") {
		if strings.Contains(line, "# error") {
			want[i+1] = true
		}
	}
	_, err = Parse(file, data)
	var list ErrorList
	if !errors.As(err, &list) {
		t.Fatalf("want an ErrorList, got %v", err)
	}
	if len(list) > maxErrors {
		t.Fatalf("%d problems: the file must stay under the cap of %d to show them all", len(list), maxErrors)
	}
	got := map[int]bool{}
	for i, e := range list {
		got[e.Line] = true
		if !want[e.Line] {
			t.Errorf("problem on a line not marked # error: %v", e)
		}
		if i > 0 && (list[i-1].Line > e.Line || list[i-1].Line == e.Line && list[i-1].Col > e.Col) {
			t.Errorf("not in file order: %v before %v", list[i-1], e)
		}
		if e.File != file || e.Col < 1 {
			t.Errorf("bad position: %v", e)
		}
	}
	for line := range want {
		if !got[line] {
			t.Errorf("line %d is marked # error but no problem was reported there", line)
		}
	}
}

func TestValidTestdata(t *testing.T) {
	files, _ := filepath.Glob("testdata/valid/*.yaml")
	for _, f := range files {
		mustLoad(t, f)
	}
}

func TestErrorList(t *testing.T) {
	_, err := Load("testdata/invalid/too-many.yaml")
	var list ErrorList
	if !errors.As(err, &list) {
		t.Fatalf("errors.As(ErrorList) failed on %T", err)
	}
	if len(list) != maxErrors+1 || list[maxErrors].Msg != "too many errors" {
		t.Errorf("want %d problems and a last 'too many errors', got %d:\n%v", maxErrors, len(list), err)
	}
	var first *Error
	if !errors.As(err, &first) || first != list[0] {
		t.Errorf("errors.As(*Error) should find the first problem")
	}
	for i := 1; i < len(list); i++ {
		if a, b := list[i-1], list[i]; a.Line > b.Line || a.Line == b.Line && a.Col > b.Col {
			t.Errorf("not in file order: %v before %v", a, b)
		}
	}
	if got := (&Error{File: "f.yaml", Line: 3, Col: 7, Msg: "m"}).Error(); got != "f.yaml:3:7: m" {
		t.Errorf("Error() = %q", got)
	}
}

func TestAliasBomb(t *testing.T) {
	// Each level names the one before nine times: 9^8 nodes if expanded.
	src := "version: 1\na0: &a0 {x: 1}\n"
	for i := 1; i <= 8; i++ {
		prev := "*a" + strconv.Itoa(i-1)
		src += "a" + strconv.Itoa(i) + ": &a" + strconv.Itoa(i) + " [" + strings.Repeat(prev+", ", 8) + prev + "]\n"
	}
	src += "tables: [*a8, *a8]\n"
	start := time.Now()
	_, err := Parse("bomb.yaml", []byte(src))
	if err == nil {
		t.Fatal("an alias bomb parsed")
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("took %v", d)
	}
}

func TestLargeSyntaxError(t *testing.T) {
	// The line search must stay cheap on a long file.
	src := "version: 1\nname: big\ndescription: x\nthresholds:\n" +
		strings.Repeat("  p99_ms: '< 1'\n", 20000) + "  p50_ms: [\n"
	start := time.Now()
	_, err := Parse("big.yaml", []byte(src))
	var list ErrorList
	if !errors.As(err, &list) || list[0].Line != 20005 {
		t.Errorf("want a problem at line 20005, got %v", err)
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("took %v", d)
	}
}

func TestSuggest(t *testing.T) {
	for _, tc := range []struct {
		in    string
		valid []string
		want  string
	}{
		{"read_capcity", tableKeys, "read_capacity"}, // one deletion
		{"tabel", scenarioKeys, "tables"},            // a transposition and an insertion
		{"Mode", tableKeys, "mode"},                  // case only
		{"desc", scenarioKeys, "description"},        // unambiguous prefix
		{"write", tableKeys, "write_capacity"},       // unambiguous prefix
		{"ondemand", []string{"provisioned", "on-demand"}, "on-demand"},
		{"zipfian", []string{"uniform", "zipf"}, "zipf"}, // a longer spelling of a valid name
		{"ab", tableKeys, ""},                            // too short to guess
		{"partition", tableKeys, "partitions"},
		{"partiton_key", tableKeys, "partition_key"},
		{"sortkey", tableKeys, "sort_key"},
		{"xyzzy", tableKeys, ""},
		{"p99", threshold.Names(), ""}, // prefix of p99_ms and p999_ms: ambiguous
	} {
		if got := suggest(tc.in, tc.valid); got != tc.want {
			t.Errorf("suggest(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func mustLoad(t *testing.T, file string) *Scenario {
	t.Helper()
	s, err := Load(file)
	if err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	return s
}

// maxFuzzScenario bounds the inputs FuzzParse tries. The largest built-in
// scenario is under 5 KB; a bigger input reaches no new code, but each
// one costs the fuzzer more to run and, once it finds new coverage, to
// minimize, byte by byte.
const maxFuzzScenario = 8 << 10

// FuzzParse checks that no input panics and that success means a scenario.
func FuzzParse(f *testing.F) {
	for _, dir := range []string{"testdata/valid", "testdata/invalid", "library"} {
		files, _ := filepath.Glob(dir + "/*.yaml")
		for _, file := range files {
			data, err := os.ReadFile(file)
			if err != nil {
				f.Fatal(err)
			}
			f.Add(data)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > maxFuzzScenario {
			t.Skip("larger than any scenario the fuzzer needs")
		}
		s, err := Parse("fuzz.yaml", data)
		if err == nil && s == nil {
			t.Fatal("nil error and nil scenario")
		}
		if err != nil {
			var list ErrorList
			if s != nil || !errors.As(err, &list) || len(list) == 0 || len(list) > maxErrors+1 {
				t.Fatalf("bad failure: %v, %v", s, err)
			}
		}
	})
}

// TestCheckRanges checks that every scenario the parser accepts, and one
// built in code, passes checkRanges, and that a value the parser would
// refuse, set in code, is refused with its place and range.
func TestCheckRanges(t *testing.T) {
	var parsed []*Scenario
	files, _ := filepath.Glob("testdata/valid/*.yaml")
	for _, f := range files {
		parsed = append(parsed, mustLoad(t, f))
	}
	for _, e := range List() {
		sc, err := Builtin(e.Name)
		if err != nil {
			t.Fatal(err)
		}
		parsed = append(parsed, sc)
	}
	trace := filepath.Join(t.TempDir(), "t.csv")
	if err := os.WriteFile(trace, []byte(smallTrace), 0o644); err != nil {
		t.Fatal(err)
	}
	sc, err := TraceScenario(TraceOptions{File: trace, Open: OpenFile}, 0)
	if err != nil {
		t.Fatal(err)
	}
	parsed = append(parsed, sc)
	for _, sc := range parsed {
		if err := checkRanges(sc); err != nil {
			t.Errorf("%s: %v", sc.File, err)
		}
	}

	for _, tc := range []struct {
		name   string
		change func(*Scenario)
		want   string
	}{
		{"no duration", func(s *Scenario) { s.Duration = 0 },
			"test.yaml:1:1: duration 0s; it must be positive"},
		{"provisioned without capacity", func(s *Scenario) { s.Tables[0].Mode = "provisioned" },
			"test.yaml:5:5: table t: read_capacity 0, write_capacity 0; a provisioned table has at least 1 of each"},
		{"unknown mode", func(s *Scenario) { s.Tables[0].Mode = "serverless" },
			`table t: mode "serverless"; expected provisioned or on-demand`},
		{"table name", func(s *Scenario) { s.Tables[0].Name = "a/b" },
			"table a/b: the name may hold only letters, digits, _ . and -, 1 to 255 of them"},
		{"autoscaling target", func(s *Scenario) {
			s.Tables[0].AutoScaling = &AutoScaling{Target: 0.95, Min: 1, Max: 10}
		}, "table t: autoscaling.target 95%; expected 20% to 90%"},
		{"autoscaling min above max", func(s *Scenario) {
			s.Tables[0].AutoScaling = &AutoScaling{Target: 0.7, Min: 10, Max: 5}
		}, "table t: autoscaling: min 10, max 5; expected 1 <= min <= max"},
		{"GSI autoscaling", func(s *Scenario) {
			s.Tables[0].Indexes = []Index{{Name: "gsi", Coverage: 1, AutoScaling: &AutoScaling{Target: 0.1, Min: 1, Max: 5}}}
		}, "table t: index gsi: autoscaling.target 10%; expected 20% to 90%"},
		{"item over 400KB", func(s *Scenario) { s.Tables[0].Items.Size = maxItemSize + 1 },
			"table t: items: count 1000, size 409601 bytes, per_key 1; none may be negative, and an item is at most 400KB (REFERENCE: units)"},
		{"too many partitions", func(s *Scenario) { s.Tables[0].Partitions = maxTablePartitions + 1 },
			"table t: partitions 100001; expected 0 (the published rule) to 100000"},
		{"negative rate", func(s *Scenario) { s.Workloads[0].Rate = -1 },
			"test.yaml:7:5: workload w: rate -1/s; expected a rate of 0/s or more"},
		{"infinite rate", func(s *Scenario) { s.Workloads[0].Rate = math.Inf(1) },
			"workload w: rate +Inf/s; expected a rate of 0/s or more"},
		{"stage of no time", func(s *Scenario) { s.Workloads[0].Stages = []Stage{{Rate: 5}} },
			"workload w: stage {for: 0s, rate: 5/s}; expected a positive duration and a rate of 0/s or more"},
		{"too many users", func(s *Scenario) { s.Workloads[0].Users = maxUsers + 1 },
			"workload w: users 1000001, think 0s; expected 0 (an open loop) to 1000000 users and a think time of 0 or more"},
		{"mix not summing to 1", func(s *Scenario) { s.Workloads[0].Mix = []MixEntry{{Op: "get", Weight: 0.5}} },
			"workload w: mix shares sum to 0.5; they must sum to 1"},
		{"condition failure over 1", func(s *Scenario) {
			s.Workloads[0].Mix = []MixEntry{{Op: "put", Weight: 1, ConditionFailure: 2}}
		}, "workload w: mix.put: share 1, condition_failure 2; expected shares of 0 or more and a condition_failure from 0 to 1"},
		{"hot_ops over 1", func(s *Scenario) { s.Workloads[0].Keys = Keys{Distribution: "hot", Count: 10, HotOps: 1.5} },
			"workload w: keys: count 10, hot_keys 0, hot_ops 1.5, rotate 0s; expected a count of 0 (the table's) or more, shares from 0 to 1 and a rotation of 0 or more"},
		{"zipf without exponent", func(s *Scenario) { s.Workloads[0].Keys = Keys{Distribution: "zipf", Count: 10} },
			"workload w: keys.exponent 0; zipf takes an exponent above 0"},
		{"too many shards", func(s *Scenario) { s.Workloads[0].Keys.Shards = 1001 },
			"workload w: keys.shards 1001; expected 0 (unsharded) to 1000"},
		{"item size 0", func(s *Scenario) { s.Workloads[0].ItemSize = ItemSize{Distribution: "fixed"} },
			"workload w: item_size from 0 to 0 bytes; an item is 1 byte to 400KB (REFERENCE: units)"},
		{"uniform sizes upside down", func(s *Scenario) {
			s.Workloads[0].ItemSize = ItemSize{Distribution: "uniform", Min: 2048, Max: 1024}
		}, "workload w: item_size from 2048 to 1024 bytes; an item is 1 byte to 400KB (REFERENCE: units)"},
		{"negative query limit", func(s *Scenario) { s.Workloads[0].QueryLimit = -1 },
			"workload w: query_limit -1, query_range 0, requests 0, scan_max 0; none may be negative"},
	} {
		s, err := Parse("test.yaml", []byte(doc("", "", "")))
		if err != nil {
			t.Fatal(err)
		}
		tc.change(s)
		err = checkRanges(s)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: got %v, want %q", tc.name, err, tc.want)
		}
	}
}

// wantParseError checks that err holds a problem with message msg at
// position at ("line:col"); name labels the case.
func wantParseError(t *testing.T, name string, err error, at, msg string) {
	t.Helper()
	var list ErrorList
	if !errors.As(err, &list) {
		t.Errorf("%s: want an ErrorList, got %v", name, err)
		return
	}
	for _, e := range list {
		if e.Msg == msg {
			if got := strconv.Itoa(e.Line) + ":" + strconv.Itoa(e.Col); got != at {
				t.Errorf("%s: at %s, want %s", name, got, at)
			}
			return
		}
	}
	t.Errorf("%s: want message\n\t%s\ngot\n\t%v", name, msg, strings.ReplaceAll(err.Error(), "\n", "\n\t"))
}
