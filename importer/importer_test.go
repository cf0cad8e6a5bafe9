package importer

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ddbsim/ddbsim/importer/cloudwatch"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata")

// november is the start of the histories the tests make.
var november = time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)

func readFiles(t testing.TB, names ...string) []File {
	t.Helper()
	var files []File
	for _, n := range names {
		data, err := os.ReadFile(filepath.Join("testdata", n))
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, File{Name: n, Data: data})
	}
	return files
}

// synthetic is a get-metric-data file of n minutes from november.
func synthetic(name string, n int, shapes ...cloudwatch.Shape) File {
	return File{Name: name, Data: cloudwatch.SyntheticMetricData(november, time.Minute, n, shapes...)}
}

// describeTable is a describe-table output of an on-demand table whose
// mean item is size bytes.
func describeTable(name string, size int64) File {
	return File{Name: name + ".json", Data: fmt.Appendf(nil, `{"Table": {"TableName": %q,
  "AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"}],
  "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}],
  "BillingModeSummary": {"BillingMode": "PAY_PER_REQUEST"},
  "ItemCount": 1000, "TableSizeBytes": %d}}`, name, 1000*size)}
}

func TestImport(t *testing.T) {
	for _, tc := range []struct {
		name  string
		files []File
		opts  Options
		want  []string // lines or fragments the scenario holds
	}{
		{
			name:  "statistics with a gap and hot keys",
			files: readFiles(t, "orders-on-demand.json", "orders-writes-statistics.json", "orders-hot-keys.json"),
			want: []string{
				"- [33.33333, 33.33333, ~, 66.66667]", // 6000 WCU a minute / 60 s / 3 WCU a put of 2560 B
				"orders ConsumedWriteCapacityUnits (orders-writes-statistics.json): 1 period: 2026-11-01 00:02 UTC to 2026-11-01 00:03 UTC",
				"keys: {distribution: hot, hot_ops: 20%, count: 5000}", // the top key: 2000 of 10000, over the report's 5000 keys
				"write_units: 24000",
				"missing_minutes: 1",
				"duration: 4m",
			},
		},
		{
			name: "provisioned with auto scaling: no capacity changes",
			files: append(readFiles(t, "sessions-provisioned.json", "sessions-targets.json", "sessions-policies.json"),
				synthetic("sessions-metrics.json", 120,
					cloudwatch.Shape{Label: "ConsumedReadCapacityUnits:sessions", Mean: 50},
					cloudwatch.Shape{Label: "ProvisionedReadCapacityUnits:sessions", Mean: 5})), // an Average of 300: the synthetic point is Mean x 60 s
			opts: Options{StrongReads: 0.5, Arrival: "constant", Burst: 4, Keys: "zipf:1.2"},
			want: []string{
				"autoscaling: {target: 70%, min: 100, max: 1000}",
				"- name: sessions-reads", "- name: sessions-strong-reads",
				// 50 RCU/s over 0.75 RCU a read (half at 0.5, half at 1): 66.67 reads/s, half each.
				"- [33.33333, 33.33333,",
				"burst: 4", "arrival: constant", "consistency: strong",
				"keys: {distribution: zipf, exponent: 1.2}",
				"read_capacity_hours: 600",  // 300 RCU x 2 h
				"write_capacity_hours: 200", // no series: 100 WCU x 2 h, noted
			},
		},
		{
			name: "provisioned levels replayed as capacity changes",
			files: append(readFiles(t, "sessions-provisioned.json", "orders-writes-statistics.json"),
				File{Name: "levels.json", Data: levels()}),
			want: []string{
				"read_capacity: 200",
				"- {at: 2m, read_capacity: 300}",
				"- {at: 3m, read_capacity: 150}",
			},
		},
		{
			name: "an index's reads are queries on it",
			files: append(readFiles(t, "orders-on-demand.json"), synthetic("orders-metrics.json", 60,
				cloudwatch.Shape{Label: "ConsumedReadCapacityUnits:orders:index:by-status", Mean: 10},
				cloudwatch.Shape{Label: "ConsumedWriteCapacityUnits:orders:index:by-status", Mean: 6},
				cloudwatch.Shape{Label: "ConsumedWriteCapacityUnits:orders", Mean: 30})),
			want: []string{
				"- name: orders-by-status-queries", "index: by-status", "mix: {query: 100%}",
				"- [20, 20, 20,",        // 10 RCU/s over 0.5 RCU a query of one 2560 B item
				"write_units: 129600",   // (30 + 6) x 3600: the index's writes only in the history
				"- name: orders-writes", // 30 WCU/s / 3 = 10 puts/s
				"- [10, 10,",
			},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			imp, err := Import(tc.files, tc.opts)
			if err != nil {
				t.Fatal(err)
			}
			for _, w := range tc.want {
				if !bytes.Contains(imp.YAML, []byte(w)) {
					t.Errorf("the scenario lacks %q:\n%s", w, imp.YAML)
				}
			}
		})
	}
}

// levels is get-metric-statistics output of ProvisionedReadCapacityUnits
// for table sessions: 200, 200, 300, 150.
func levels() []byte {
	return []byte(`{"Label": "ProvisionedReadCapacityUnits", "Datapoints": [
  {"Timestamp": "2026-11-01T00:00:00Z", "Average": 200},
  {"Timestamp": "2026-11-01T00:01:00Z", "Average": 200},
  {"Timestamp": "2026-11-01T00:02:00Z", "Average": 300},
  {"Timestamp": "2026-11-01T00:03:00Z", "Average": 150}]}`)
}

// TestUnitsPerRequest pins the conversion from consumed units to
// requests (REFERENCE: units): a put of a 2.5 KB item costs 3 WCU (sizes
// round up to 1 KB), an eventually consistent get of a 5 KB item 1 RCU
// (8 KB is 2 strong units, halved).
func TestUnitsPerRequest(t *testing.T) {
	for _, tc := range []struct {
		size  int64
		label string
		want  string
	}{
		{2560, "ConsumedWriteCapacityUnits:t1", "3 WCU per put of 2560 B"},
		{5120, "ConsumedReadCapacityUnits:t1", "1 RCU per eventually consistent get of 5120 B"},
		{1024, "ConsumedReadCapacityUnits:t1", "0.5 RCU per eventually consistent get of 1024 B"},
	} {
		imp, err := Import([]File{describeTable("t1", tc.size), synthetic("m.json", 2, cloudwatch.Shape{Label: tc.label, Mean: 6})}, Options{})
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Contains(imp.YAML, []byte(tc.want)) {
			t.Errorf("size %d: want %q in\n%s", tc.size, tc.want, imp.YAML)
		}
	}
}

func TestImportErrors(t *testing.T) {
	orders := readFiles(t, "orders-on-demand.json")[0]
	sessions := readFiles(t, "sessions-provisioned.json")[0]
	stats := readFiles(t, "orders-writes-statistics.json")[0]
	for _, tc := range []struct {
		name  string
		files []File
		opts  Options
		want  string
	}{
		{"no files", nil, Options{}, "no input files: give a describe-table output and its CloudWatch history"},
		{"none of the kinds", readFiles(t, "not-aws.json"), Options{},
			"not-aws.json: $: expected CloudWatch output (get-metric-data, get-metric-statistics, the --metric-data-queries JSON, get-insight-rule-report) or AWS output about DynamoDB tables (describe-table, describe-time-to-live, describe-scalable-targets, describe-scaling-policies, a CloudFormation/SAM template or terraform show -json); got an object with keys [Count Items]"},
		{"no history", []File{orders}, Options{}, "no CloudWatch history in the inputs: a scenario needs at least one workload, and an import makes them from ConsumedRead/WriteCapacityUnits series (get-metric-data or get-metric-statistics output)"},
		{"no table", []File{stats}, Options{}, "no table in the inputs: give describe-table output, a CloudFormation/SAM template or terraform show -json with the table"},
		{"unnamed series, two tables", []File{orders, sessions, stats}, Options{},
			"orders-writes-statistics.json: series ConsumedWriteCapacityUnits names no table and the inputs describe 2 (orders, sessions): say which with --table (Options.Table)"},
		{"unknown table", []File{orders, stats}, Options{Table: "carts"},
			`orders-writes-statistics.json: series ConsumedWriteCapacityUnits is for table "carts", which no input describes (tables: orders): add its describe-table output`},
		{"series twice", []File{orders, stats, {Name: "again.json", Data: stats.Data}}, Options{},
			"again.json: series ConsumedWriteCapacityUnits of table orders is also in orders-writes-statistics.json: give each series once"},
		{"unknown index", []File{orders, synthetic("m.json", 2, cloudwatch.Shape{Label: "ConsumedReadCapacityUnits:orders:index:by-day", Mean: 1})}, Options{},
			`m.json: series ConsumedReadCapacityUnits of index by-day: table orders has no index "by-day" in the inputs`},
		{"strong reads", []File{orders, stats}, Options{StrongReads: 1.5}, "strong reads: expected a share from 0% to 100%, got 150%"},
		{"arrival", []File{orders, stats}, Options{Arrival: "bursty"}, `arrival: expected poisson or constant, got "bursty"`},
		{"burst", []File{orders, stats}, Options{Burst: 0.5}, "burst: expected a peak-to-mean ratio of at least 1, got 0.5"},
		{"burst over the step", []File{orders, stats}, Options{Burst: 61}, "burst: 61 is more than the 1m step in seconds: a step's requests cannot arrive in less than a second"},
		{"keys", []File{orders, stats}, Options{Keys: "zipf:x"}, `keys: expected uniform or zipf:EXPONENT (such as zipf:1.2, an exponent above 0 and at most 10), got "zipf:x"`},
		{"periods differ", []File{orders, stats, {Name: "five.json", Data: cloudwatch.SyntheticMetricData(november, 5*time.Minute, 2, cloudwatch.Shape{Label: "ConsumedReadCapacityUnits:orders", Mean: 1})}}, Options{},
			"orders-writes-statistics.json: ConsumedWriteCapacityUnits has a period of 1m0s and five.json's ConsumedReadCapacityUnits one of 5m0s: export every series with the same Period"},
		{"off the grid", []File{orders, stats, {Name: "late.json", Data: cloudwatch.SyntheticMetricData(november.Add(30*time.Second), time.Minute, 2, cloudwatch.Shape{Label: "ConsumedReadCapacityUnits:orders", Mean: 1})}}, Options{},
			"late.json: ConsumedReadCapacityUnits point 0 at 2026-11-01T00:00:30Z is off the 1m0s grid the other series start on (2026-11-01T00:00:00Z): export them with the same StartTime and Period"},
		{"provisioned without capacity", []File{{Name: "s.json", Data: []byte(`{"Table": {"TableName": "s",
  "AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"}], "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}],
  "BillingModeSummary": {"BillingMode": "PROVISIONED"}, "ProvisionedThroughput": {"ReadCapacityUnits": 0, "WriteCapacityUnits": 0}}}`)}, stats}, Options{},
			"the imported scenario does not validate: s.yaml:24:20: read_capacity must be at least 1\ns.yaml:25:21: write_capacity must be at least 1\n" +
				"what the inputs left out or the import assumed:\n  table s: no provisioned read capacity in the inputs\n  table s: no provisioned write capacity in the inputs\n" +
				"  table s: no ItemCount and TableSizeBytes: 1 KiB items assumed\n  table s: no ProvisionedReadCapacityUnits series: the history's capacity hours are the described capacity held over the whole window\n" +
				"  table s: no ProvisionedWriteCapacityUnits series: the history's capacity hours are the described capacity held over the whole window"},
		{"too large", []File{{Name: "big.json", Data: make([]byte, 16<<20+1)}}, Options{}, "big.json"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Import(tc.files, tc.opts)
			if err == nil {
				t.Fatalf("no error, want %q", tc.want)
			}
			if got := err.Error(); got != tc.want && !(tc.name == "too large" && strings.HasPrefix(got, tc.want)) {
				t.Errorf("got  %s\nwant %s", got, tc.want)
			}
		})
	}
}

// TestGolden pins a whole small import: comments, sources, gaps and
// history. go test ./importer -run TestGolden -update rewrites it.
func TestGolden(t *testing.T) {
	imp, err := Import(readFiles(t, "orders-on-demand.json", "orders-writes-statistics.json", "orders-hot-keys.json"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	golden := filepath.Join("testdata", "orders.golden.yaml")
	if *update {
		if err := os.WriteFile(golden, imp.YAML, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(imp.YAML, want) {
		t.Errorf("the import differs from %s (run with -update and read the diff):\n%s", golden, imp.YAML)
	}
}

// TestMonth imports 30 days of minute history, made by
// cloudwatch.SyntheticMetricData, and checks that each hour's rates give
// back the consumed units of that hour within 1e-6 (7 significant
// digits), and the hand-computed month: 100 WCU for 720 h is 259.2M
// write units.
func TestMonth(t *testing.T) {
	const minutes = 30 * 24 * 60
	files := []File{describeTable("orders", 1024), synthetic("month.json", minutes,
		cloudwatch.Shape{Label: "ConsumedWriteCapacityUnits:orders", Mean: 100},
		cloudwatch.Shape{Label: "ConsumedReadCapacityUnits:orders", Mean: 400, Amplitude: 300, PeakHour: 14, Gaps: [][2]int{{60, 75}}})}
	start := time.Now()
	imp, err := Import(files, Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("imported %d minutes in %s: %d KB of scenario", minutes, time.Since(start).Round(time.Millisecond), len(imp.YAML)>>10)
	for _, w := range []string{"duration: 720h", "write_units: 259200000", "missing_minutes: 15", "and 0 more"} {
		if w == "and 0 more" {
			if bytes.Contains(imp.YAML, []byte(w)) {
				t.Errorf("the scenario says %q", w)
			}
			continue
		}
		if !bytes.Contains(imp.YAML, []byte(w)) {
			t.Errorf("the scenario lacks %q", w)
		}
	}
	sc := imp.Scenario
	if h := sc.History; h == nil || len(h.Tables) != 1 || h.Tables[0].WriteUnits != 259_200_000 || h.Tables[0].Missing != 15 {
		t.Errorf("parsed history %+v, want 259.2M write units and 15 missing minutes", sc.History)
	}
	for _, w := range sc.Workloads {
		if w.Series == nil || len(w.Series.Rates) != minutes || w.Series.Step != time.Minute {
			t.Errorf("workload %s: parsed series %+v, want %d one-minute steps", w.Name, w.Series, minutes)
		}
	}
	// The reads' hours: the rates (gets/s at 0.5 RCU) x 60 s against the shape.
	reads := workloadRates(t, imp.YAML, "orders-reads")
	if len(reads) != minutes {
		t.Fatalf("%d read steps, want %d", len(reads), minutes)
	}
	shape := cloudwatch.Shape{Mean: 400, Amplitude: 300, PeakHour: 14}
	for h := 0; h < 720; h++ {
		got, want := 0.0, 0.0
		for m := h * 60; m < h*60+60; m++ {
			if m >= 60 && m < 75 {
				continue
			}
			got += reads[m] * 0.5 * 60
			want += shape.Rate(november.Add(time.Duration(m)*time.Minute)) * 60
		}
		if d := (got - want) / want; d > 1e-6 || d < -1e-6 {
			t.Fatalf("hour %d: %g read units from the rates, %g in the history", h, got, want)
		}
	}
}

var rateList = regexp.MustCompile(`(?m)^        - \[(.*)\]$`)

// workloadRates reads back the rates of one workload; a gap is -1.
func workloadRates(t *testing.T, yaml []byte, name string) []float64 {
	t.Helper()
	i := bytes.Index(yaml, []byte("  - name: "+name+"\n"))
	if i < 0 {
		t.Fatalf("no workload %s", name)
	}
	rest := yaml[i+1:]
	if j := bytes.Index(rest, []byte("\n  - name: ")); j >= 0 {
		rest = rest[:j]
	}
	var out []float64
	for _, m := range rateList.FindAllSubmatch(rest, -1) {
		for f := range strings.SplitSeq(string(m[1]), ", ") {
			if f == "~" {
				out = append(out, -1)
				continue
			}
			v, err := strconv.ParseFloat(f, 64)
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, v)
		}
	}
	return out
}

// FuzzImport feeds one file beside a describe-table: any bytes give a
// scenario or an error, never a panic.
func FuzzImport(f *testing.F) {
	for _, n := range []string{"orders-writes-statistics.json", "orders-hot-keys.json", "sessions-targets.json", "not-aws.json"} {
		data, err := os.ReadFile(filepath.Join("testdata", n))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add(cloudwatch.SyntheticMetricData(november, time.Minute, 3, cloudwatch.Shape{Label: "ConsumedReadCapacityUnits:orders", Mean: 1}))
	orders, err := os.ReadFile(filepath.Join("testdata", "orders-on-demand.json"))
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		imp, err := Import([]File{{Name: "orders.json", Data: orders}, {Name: "fuzz.json", Data: data}}, Options{})
		if err == nil && len(imp.YAML) == 0 {
			t.Fatal("no error and no scenario")
		}
	})
}
