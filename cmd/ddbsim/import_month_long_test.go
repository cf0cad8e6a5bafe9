//go:build long

package main

import (
	"math"
	"path/filepath"
	"testing"
	"time"

	"github.com/ddbsim/ddbsim"
	"github.com/ddbsim/ddbsim/importer/cloudwatch"
	"github.com/ddbsim/ddbsim/scenarios"
)

// The two month-long imports: about 10 s each, in the long tier (go test
// -tags long ./..., which CI runs); the story import-ondemand-month pins
// the same $162.00 in the default tier.

// A month of history, as an account would give it: the table's
// description, its auto scaling targets and policy, and 30 days of
// one-minute consumed units (43,200 points a metric).
const (
	monthDescribe = `{"Table": {"TableName": "orders",
  "AttributeDefinitions": [{"AttributeName": "customer", "AttributeType": "S"}],
  "KeySchema": [{"AttributeName": "customer", "KeyType": "HASH"}],
  "ProvisionedThroughput": {"ReadCapacityUnits": 900, "WriteCapacityUnits": 220},
  "BillingModeSummary": {"BillingMode": "PROVISIONED"},
  "ItemCount": 200000, "TableSizeBytes": 204800000}}`
	monthTargets = `{"ScalableTargets": [
  {"ServiceNamespace": "dynamodb", "ResourceId": "table/orders", "ScalableDimension": "dynamodb:table:ReadCapacityUnits", "MinCapacity": 200, "MaxCapacity": 4000},
  {"ServiceNamespace": "dynamodb", "ResourceId": "table/orders", "ScalableDimension": "dynamodb:table:WriteCapacityUnits", "MinCapacity": 200, "MaxCapacity": 4000}]}`
	monthPolicies = `{"ScalingPolicies": [
  {"PolicyName": "reads", "ServiceNamespace": "dynamodb", "ResourceId": "table/orders", "ScalableDimension": "dynamodb:table:ReadCapacityUnits", "PolicyType": "TargetTrackingScaling",
   "TargetTrackingScalingPolicyConfiguration": {"TargetValue": 70.0, "PredefinedMetricSpecification": {"PredefinedMetricType": "DynamoDBReadCapacityUtilization"}}},
  {"PolicyName": "writes", "ServiceNamespace": "dynamodb", "ResourceId": "table/orders", "ScalableDimension": "dynamodb:table:WriteCapacityUnits", "PolicyType": "TargetTrackingScaling",
   "TargetTrackingScalingPolicyConfiguration": {"TargetValue": 70.0, "PredefinedMetricSpecification": {"PredefinedMetricType": "DynamoDBWriteCapacityUtilization"}}}]}`
)

const monthMinutes = 30 * 24 * 60

// TestImportedMonthFollowsTheHistory imports a provisioned table with auto
// scaling and 30 days of its minutes, runs the scenario with the aggregate
// driver and checks that every hour consumes the read and write units the
// history recorded for it, within 1%. The auto scaling follows a daily
// cycle from 200 to 1,000 read units a second; a throttled request
// retries, so an hour's units arrive even where a step outran the
// capacity.
func TestImportedMonthFollowsTheHistory(t *testing.T) {
	t.Parallel() // a month each: they overlap the package's other parallel tests
	dir := t.TempDir()
	reads := cloudwatch.Shape{Label: "ConsumedReadCapacityUnits:orders", Mean: 600, Amplitude: 400, PeakHour: 14}
	writes := cloudwatch.Shape{Label: "ConsumedWriteCapacityUnits:orders", Mean: 150, Amplitude: 100, PeakHour: 20}
	metrics := cloudwatch.SyntheticMetricData(november, time.Minute, monthMinutes, reads, writes)
	inputs := writeFiles(t, dir, [2]string{"describe-table.json", monthDescribe}, [2]string{"targets.json", monthTargets},
		[2]string{"policies.json", monthPolicies}, [2]string{"metrics.json", string(metrics)})
	scenario := filepath.Join(dir, "orders.yaml")
	if code, _, stderr := runCLI(append([]string{"import", "-o", scenario}, inputs...)...); code != exitOK {
		t.Fatalf("import: exit %d: %s", code, stderr)
	}
	sc, err := scenarios.Load(scenario)
	if err != nil {
		t.Fatal(err)
	}
	if a := sc.Tables[0].AutoScaling; a == nil || a.Min != 200 || a.Max != 4000 || a.Target != 0.7 {
		t.Fatalf("auto scaling %+v, want 200-4000 at 70%%", a)
	}
	s, err := ddbsim.Build(sc, ddbsim.Options{Seed: 1, Fidelity: ddbsim.FidelityAggregate})
	if err != nil {
		t.Fatal(err)
	}
	began := time.Now()
	res, err := s.Run()
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("30 days of minutes ran with the aggregate driver in %s", time.Since(began).Round(100*time.Millisecond))
	series := res.Series
	step := int(series.StepSeconds())
	if 3600%step != 0 {
		t.Fatalf("series step %d s does not divide an hour", step)
	}
	perHour := 3600 / step
	table := series.Tables[0]
	worst := 0.0
	for h := range monthMinutes / 60 {
		var gotR, gotW, wantR, wantW float64
		for i := h * perHour; i < (h+1)*perHour && i < len(table.Read); i++ {
			gotR += table.Read[i].Float()
			gotW += table.Write[i].Float()
		}
		for m := h * 60; m < h*60+60; m++ {
			at := november.Add(time.Duration(m) * time.Minute)
			wantR += reads.Rate(at) * 60
			wantW += writes.Rate(at) * 60
		}
		for _, c := range [][2]float64{{gotR, wantR}, {gotW, wantW}} {
			d := math.Abs(c[0]-c[1]) / c[1]
			worst = max(worst, d)
			if d > 0.01 {
				t.Fatalf("hour %d: the run consumed %.0f units, the history %.0f (%.2f%% off, over 1%%)", h, c[0], c[1], 100*d)
			}
		}
	}
	t.Logf("720 hours, reads and writes: the worst hour is %.3f%% off the history", 100*worst)
}

// TestImportedMonthBillsToTheCent is the hand-computed month: a constant
// 100 write units a second for 720 hours on demand is 259,200,000 write
// request units, $162.00 at $0.625 a million (REFERENCE: prices). Through
// import and compare, both sides of the reconstruction say $162.00 to the
// cent. Arrivals are constant: Poisson arrivals would add their noise (a
// few cents a month) to the simulated side.
func TestImportedMonthBillsToTheCent(t *testing.T) {
	t.Parallel() // a month each: they overlap the package's other parallel tests
	dir := t.TempDir()
	metrics := cloudwatch.SyntheticMetricData(november, time.Minute, monthMinutes,
		cloudwatch.Shape{Label: "ConsumedWriteCapacityUnits:orders", Mean: 100})
	inputs := writeFiles(t, dir, [2]string{"describe-table.json", `{"Table": {"TableName": "orders",
  "AttributeDefinitions": [{"AttributeName": "customer", "AttributeType": "S"}],
  "KeySchema": [{"AttributeName": "customer", "KeyType": "HASH"}],
  "BillingModeSummary": {"BillingMode": "PAY_PER_REQUEST"},
  "ItemCount": 100000, "TableSizeBytes": 102400000}}`}, [2]string{"metrics.json", string(metrics)})
	rc, window := importAndCompare(t, dir, inputs, []string{"--arrival", "constant"}, "on-demand")
	if rc.BilledMode != "on-demand" || rc.WriteUnits != 259_200_000 || window.Hours != 720 {
		t.Errorf("billed %s, %.0f write units over %g h; want on-demand, 259,200,000 over 720 h", rc.BilledMode, rc.WriteUnits, window.Hours)
	}
	if cents(rc.MetricsUSD) != 16200 {
		t.Errorf("from the metrics: $%.4f, want $162.00", rc.MetricsUSD)
	}
	if rc.SimulatedUSD == nil {
		t.Fatalf("no simulated figure: %s", rc.NoSimulated)
	}
	if cents(*rc.SimulatedUSD) != 16200 {
		t.Errorf("simulated: $%.4f, want $162.00", *rc.SimulatedUSD)
	}
}
