package main

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/ddbsim/ddbsim/advise"
	"github.com/ddbsim/ddbsim/importer/cloudwatch"
)

var november = time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)

// writeFiles writes name -> content into dir and returns the paths in
// the order given.
func writeFiles(t *testing.T, dir string, files ...[2]string) []string {
	t.Helper()
	var paths []string
	for _, f := range files {
		p := filepath.Join(dir, f[0])
		if err := os.WriteFile(p, []byte(f[1]), 0o644); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
	}
	return paths
}

// importAndCompare imports inputs into a scenario (with importFlags),
// compares it in modes with the aggregate driver, and returns the
// comparison's one reconstruction and its window.
func importAndCompare(t *testing.T, dir string, inputs, importFlags []string, modes string) (advise.Reconstruction, *advise.HistoryWindow) {
	t.Helper()
	scenario := filepath.Join(dir, "orders.yaml")
	args := append(append([]string{"import", "-o", scenario}, importFlags...), inputs...)
	if code, _, stderr := runCLI(args...); code != exitOK {
		t.Fatalf("import: exit %d: %s", code, stderr)
	}
	code, stdout, stderr := runCLI("compare", scenario, "--fidelity", "aggregate", "--modes", modes, "--json", "-")
	if code != exitOK {
		t.Fatalf("compare: exit %d: %s", code, stderr)
	}
	var cmp advise.Comparison
	if err := json.Unmarshal([]byte(stdout), &cmp); err != nil || len(cmp.Reconstruction) != 1 || cmp.Window == nil {
		t.Fatalf("compare --json: %v, %d reconstructions\n%s", err, len(cmp.Reconstruction), stdout)
	}
	return cmp.Reconstruction[0], cmp.Window
}

// cents is dollars to the cent.
func cents(usd float64) int64 { return int64(math.Round(usd * 100)) }

// TestImportedProvisionedReplayBillsToTheCent imports a provisioned table
// whose write capacity moved on the hour, every hour (300 WCU in every
// third hour, 200 in the others), from its ProvisionedWriteCapacityUnits
// series: the levels replay as capacity_changes, each billed from its own
// hour, so the simulated capacity bill is the metrics' one to the cent:
// 4,800 RCU-hours and 11,200 WCU-hours over 48 h, $7.90 (REFERENCE:
// prices).
func TestImportedProvisionedReplayBillsToTheCent(t *testing.T) {
	t.Parallel() // a month each: they overlap the package's other parallel tests
	dir := t.TempDir()
	type result struct {
		Id, Label  string
		Timestamps []string
		Values     []float64
	}
	provisioned := result{Id: "p", Label: "ProvisionedWriteCapacityUnits:orders"}
	const steps = 48 * 12 // 48 h of 5-minute points
	for i := range steps {
		at := november.Add(time.Duration(i) * 5 * time.Minute)
		level := 200.0
		if i/12%3 == 0 {
			level = 300
		}
		provisioned.Timestamps = append(provisioned.Timestamps, at.Format(time.RFC3339))
		provisioned.Values = append(provisioned.Values, level)
	}
	levels, err := json.Marshal(struct{ MetricDataResults []result }{[]result{provisioned}})
	if err != nil {
		t.Fatal(err)
	}
	consumed := cloudwatch.SyntheticMetricData(november, 5*time.Minute, steps,
		cloudwatch.Shape{Label: "ConsumedWriteCapacityUnits:orders", Mean: 150})
	inputs := writeFiles(t, dir, [2]string{"describe-table.json", `{"Table": {"TableName": "orders",
  "AttributeDefinitions": [{"AttributeName": "customer", "AttributeType": "S"}],
  "KeySchema": [{"AttributeName": "customer", "KeyType": "HASH"}],
  "ProvisionedThroughput": {"ReadCapacityUnits": 100, "WriteCapacityUnits": 300},
  "BillingModeSummary": {"BillingMode": "PROVISIONED"},
  "ItemCount": 100000, "TableSizeBytes": 102400000}}`},
		[2]string{"provisioned.json", string(levels)}, [2]string{"consumed.json", string(consumed)})
	rc, _ := importAndCompare(t, dir, inputs, nil, "provisioned")
	if rc.ReadCapacityHours != 4800 || rc.WriteCapacityHours != 11200 {
		t.Errorf("%g RCU-hours and %g WCU-hours from the metrics, want 4,800 and 11,200", rc.ReadCapacityHours, rc.WriteCapacityHours)
	}
	if rc.SimulatedUSD == nil {
		t.Fatalf("no simulated figure: %s", rc.NoSimulated)
	}
	if cents(rc.MetricsUSD) != 790 || cents(*rc.SimulatedUSD) != 790 {
		t.Errorf("from the metrics $%.4f, simulated $%.4f; want $7.90 both", rc.MetricsUSD, *rc.SimulatedUSD)
	}
}
