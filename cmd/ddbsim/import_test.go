package main

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ddbsim/ddbsim/importer/cloudwatch"
)

// importInputs are the importer's example files: an on-demand table and
// four minutes of its writes, one of them missing.
var importInputs = []string{
	"../../importer/testdata/orders-on-demand.json",
	"../../importer/testdata/orders-writes-statistics.json",
}

func TestImportCommand(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "orders.yaml")
	for _, tc := range []struct {
		name   string
		args   []string
		code   int
		stdout string // a fragment of standard output
		stderr string // a fragment of standard error
	}{
		{"stdout", importInputs, exitOK, "- [33.33333, 33.33333, ~, 66.66667]", ""},
		{"flags", append([]string{"--strong-reads", "20%", "--arrival", "constant", "--burst", "2", "--keys", "zipf:1.1", "--name", "nov"}, importInputs...),
			exitOK, "name: nov", ""},
		{"no files", nil, exitUsage, "", "import needs at least one file"},
		{"missing file", []string{filepath.Join(dir, "nope.json")}, exitUsage, "", "nope.json"},
		{"not aws", []string{"../../importer/testdata/not-aws.json"}, exitUsage, "",
			"not-aws.json: $: expected CloudWatch output (get-metric-data, get-metric-statistics, the --metric-data-queries JSON, get-insight-rule-report) or AWS output"},
		{"bad strong reads", append([]string{"--strong-reads", "lots"}, importInputs...), exitUsage, "", `--strong-reads: expected a percentage such as 20%, got "lots"`},
		{"bad arrival", append([]string{"--arrival", "bursty"}, importInputs...), exitUsage, "", `arrival: expected poisson or constant, got "bursty"`},
		{"no history", importInputs[:1], exitUsage, "", "no CloudWatch history in the inputs"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := runCLI(append([]string{"import"}, tc.args...)...)
			if code != tc.code || !strings.Contains(stdout, tc.stdout) || !strings.Contains(stderr, tc.stderr) {
				t.Errorf("exit %d, want %d\nstdout: %.400s\nstderr: %s\nwant stdout with %q, stderr with %q", code, tc.code, stdout, stderr, tc.stdout, tc.stderr)
			}
		})
	}
	// -o writes the file whole, through a temporary and a rename, and
	// prints nothing; a failed import leaves the previous file as it was.
	code, stdout, stderr := runCLI(append([]string{"import", "-o", out}, importInputs...)...)
	if code != exitOK || stdout != "" {
		t.Fatalf("-o: exit %d, stdout %q, stderr %s", code, stdout, stderr)
	}
	first, err := os.ReadFile(out)
	if err != nil || !strings.Contains(string(first), "write_units: 24000") {
		t.Fatalf("-o wrote %q (%v)", first, err)
	}
	code, _, _ = runCLI("import", "-o", out, importInputs[0])
	if code != exitUsage {
		t.Fatalf("an import without history: exit %d, want %d", code, exitUsage)
	}
	if again, _ := os.ReadFile(out); string(again) != string(first) {
		t.Error("a failed import changed the -o file")
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("the -o directory holds %d entries, want only the scenario (no temporaries left)", len(entries))
	}
}

// TestImportedHistoryRuns imports six hours of minute history (a daily
// cycle of reads, constant writes, a quarter-hour gap) and runs it with
// the aggregate driver: the units it consumes match the history's within
// 1%, the gap included (it runs as no traffic, and has none recorded).
func TestImportedHistoryRuns(t *testing.T) {
	dir := t.TempDir()
	start := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	desc := filepath.Join(dir, "orders.json")
	metrics := filepath.Join(dir, "metrics.json")
	scenario := filepath.Join(dir, "orders.yaml")
	result := filepath.Join(dir, "result.json")
	if err := os.WriteFile(desc, []byte(`{"Table": {"TableName": "orders",
  "AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"}],
  "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}],
  "BillingModeSummary": {"BillingMode": "PAY_PER_REQUEST"},
  "ItemCount": 100000, "TableSizeBytes": 102400000}}`), 0o644); err != nil {
		t.Fatal(err)
	}
	const minutes = 6 * 60
	data := cloudwatch.SyntheticMetricData(start, time.Minute, minutes,
		cloudwatch.Shape{Label: "ConsumedWriteCapacityUnits:orders", Mean: 100},
		cloudwatch.Shape{Label: "ConsumedReadCapacityUnits:orders", Mean: 400, Amplitude: 300, PeakHour: 3, Gaps: [][2]int{{60, 75}}})
	if err := os.WriteFile(metrics, data, 0o644); err != nil {
		t.Fatal(err)
	}
	if code, _, stderr := runCLI("import", desc, metrics, "-o", scenario); code != exitOK {
		t.Fatalf("import: exit %d: %s", code, stderr)
	}
	began := time.Now()
	if code, _, stderr := runCLI("run", scenario, "--fidelity", "aggregate", "--json", result); code != exitOK {
		t.Fatalf("run: exit %d: %s", code, stderr)
	}
	t.Logf("six hours of minutes ran in %s", time.Since(began).Round(time.Millisecond))
	js, err := os.ReadFile(result)
	if err != nil {
		t.Fatal(err)
	}
	var res struct {
		Tables []struct {
			ConsumedRCU float64 `json:"consumed_rcu"`
			ConsumedWCU float64 `json:"consumed_wcu"`
		} `json:"tables"`
	}
	if err := json.Unmarshal(js, &res); err != nil || len(res.Tables) != 1 {
		t.Fatalf("result: %v, %d tables", err, len(res.Tables))
	}
	reads := cloudwatch.Shape{Mean: 400, Amplitude: 300, PeakHour: 3}
	wantRCU := 0.0
	for m := range minutes {
		if m < 60 || m >= 75 {
			wantRCU += reads.Rate(start.Add(time.Duration(m)*time.Minute)) * 60
		}
	}
	for _, c := range []struct {
		what      string
		got, want float64
	}{
		{"read units", res.Tables[0].ConsumedRCU, wantRCU},
		{"write units", res.Tables[0].ConsumedWCU, 100 * 60 * minutes},
	} {
		if d := math.Abs(c.got-c.want) / c.want; d > 0.01 {
			t.Errorf("%s: the run consumed %.0f, the history %.0f (%.2f%% off, over 1%%)", c.what, c.got, c.want, 100*d)
		}
	}
}
