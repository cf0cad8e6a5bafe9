package advise

import (
	"bytes"
	"encoding/json"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/ddbsim/ddbsim/reports"
	"github.com/ddbsim/ddbsim/scenarios"
)

// november is the imported window of the tests: 720 hours.
var november = [2]time.Time{
	time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC),
	time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC),
}

// historyScenario is a scenario of one table, orders, with one history
// table th over November.
func historyScenario(th scenarios.TableHistory, auto bool) *scenarios.Scenario {
	t := scenarios.Table{Name: "orders", Mode: "on-demand", TableClass: "standard", PartitionKey: "id"}
	if th.Mode == ModeProvisioned {
		t.Mode, t.ReadCapacity, t.WriteCapacity = "provisioned", 1, 100
	}
	if auto {
		t.AutoScaling = &scenarios.AutoScaling{Target: 0.7, Min: 25, Max: 400}
	}
	th.Table = "orders"
	return &scenarios.Scenario{
		Name: "imported", File: "imported.yaml", Region: "us-east-1", Duration: 720 * time.Hour,
		Tables:  []scenarios.Table{t},
		History: &scenarios.History{From: november[0], To: november[1], Tables: []scenarios.TableHistory{th}},
	}
}

// The price file's write request unit in us-east-1 is $0.625 a million
// and its WCU-hour $0.00065 (REFERENCE: prices): the hand-computed months
// below rest on them.
func TestReconstructPrices(t *testing.T) {
	book, err := scenarios.PriceBook("us-east-1", "standard", scenarios.Prices{}, "")
	if err != nil {
		t.Fatal(err)
	}
	if book.WriteRequestUnit != 0.625e-6 || book.WCUHour != 0.00065 {
		t.Fatalf("write request unit %g, WCU-hour %g; want 6.25e-07 and 0.00065", book.WriteRequestUnit, book.WCUHour)
	}
}

// The metrics side, by hand: a constant 100 WCU consumed for 720 hours
// on demand is 100 x 3,600 x 720 = 259,200,000 write request units, $162.00
// at $0.625 a million; provisioned at 100 WCU for 720 hours, 72,000
// WCU-hours at $0.00065 are $46.80.
func TestReconstructMetricsSide(t *testing.T) {
	cases := []struct {
		name string
		th   scenarios.TableHistory
		want float64
	}{
		{"on-demand", scenarios.TableHistory{Mode: ModeOnDemand, WriteUnits: 100 * 3600 * 720}, 162.00},
		{"provisioned", scenarios.TableHistory{Mode: ModeProvisioned, WriteUnits: 100 * 3600 * 720, ReadCapacityHours: 0, WriteCapacityHours: 100 * 720}, 46.80},
		{"on-demand reads", scenarios.TableHistory{Mode: ModeOnDemand, ReadUnits: 8e6}, 1.00},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			sc := historyScenario(c.th, false)
			rcs, _, err := reconstruct(sc, &Comparison{})
			if err != nil {
				t.Fatal(err)
			}
			if len(rcs) != 1 || math.Abs(rcs[0].MetricsUSD-c.want) > 0.005 {
				t.Fatalf("metrics side %+v, want $%.2f", rcs, c.want)
			}
			if rcs[0].Hours != 720 || rcs[0].Scope != ThroughputOnly {
				t.Fatalf("window %g h, scope %q", rcs[0].Hours, rcs[0].Scope)
			}
		})
	}
}

// fakeRuns simulates nothing: each mode's run is a month long and bills
// the lines the mode's table mode is given; the on-demand run's orders
// lines include its index's and storage, and a replica's.
func fakeRuns(hours float64) Simulate {
	return func(sc *scenarios.Scenario, seed uint64) (*reports.Result, error) {
		lines := []reports.CostLine{
			{Table: "orders", Item: "storage", USD: 5},
			{Table: "orders@eu-west-1", Item: "write_requests", USD: 99},
		}
		if sc.Tables[0].Mode == "on-demand" {
			lines = append(lines,
				reports.CostLine{Table: "orders", Item: "write_requests", USD: 162},
				reports.CostLine{Table: "orders/by-status", Item: "write_requests", USD: 10})
		} else {
			// With the free tier: 25 of the 100 WCU come off the bill, not
			// off the check.
			lines = append(lines, reports.CostLine{Table: "orders", Item: "write_capacity",
				Quantity: 72000, Free: 18000, PriceUSD: 0.00065, USD: 35.1})
		}
		total := 0.0
		for _, l := range lines {
			total += l.USD
		}
		return &reports.Result{Scenario: sc.Name, DurationS: hours * 3600, Complete: true,
			Cost: &reports.CostResult{TotalUSD: total, MonthlyUSD: total, Lines: lines}}, nil
	}
}

// afterTable is the text Compare's table is followed by for a history.
func afterTable(t *testing.T, sc *scenarios.Scenario, cmp *Comparison) string {
	t.Helper()
	var b bytes.Buffer
	WriteTable(&b, sc, 1, cmp)
	_, block, ok := strings.Cut(b.String(), "\nover the imported window")
	if !ok {
		return ""
	}
	return "over the imported window" + block
}

// A comparison with a history sets each history table's bill from the
// metrics beside the matching run's (the index's lines in, storage and
// the replica out), and prints them after the table.
func TestCompareReconstruction(t *testing.T) {
	cases := []struct {
		name  string
		th    scenarios.TableHistory
		auto  bool
		modes []string
		hours float64
		sim   float64 // -1: none
		diff  float64
		text  string
	}{
		{
			name: "on-demand", th: scenarios.TableHistory{Mode: ModeOnDemand, WriteUnits: 259.2e6},
			modes: []string{ModeOnDemand, ModeProvisioned}, hours: 720, sim: 172, diff: 10,
			text: `over the imported window 2026-11-01 to 2026-12-01 (720 h):
mode         cost
on-demand    $276.00
provisioned  $139.10
reconstruction of orders (billed on-demand), throughput only:
  from the metrics  $162.00  (0 read units, 259,200,000 write units)
  simulated         $172.00  (on-demand run)   difference +$10.00 (+6.17%)
(throughput only: storage, streams and backups are not in these metrics)
`,
		},
		{
			name: "provisioned", th: scenarios.TableHistory{Mode: ModeProvisioned, WriteCapacityHours: 72000, Missing: 12},
			modes: []string{ModeOnDemand, ModeProvisioned}, hours: 720, sim: 46.8, diff: 0,
			text: `over the imported window 2026-11-01 to 2026-12-01 (720 h):
mode         cost
on-demand    $276.00
provisioned  $139.10
reconstruction of orders (billed provisioned), throughput only:
  from the metrics  $46.80  (0 RCU-hours, 72,000 WCU-hours)
  simulated         $46.80  (provisioned run)   difference $0.00 (0.00%)
  12 minutes of the window had no datapoint
(throughput only: storage, streams and backups are not in these metrics)
`,
		},
		{
			name: "mode not run", th: scenarios.TableHistory{Mode: ModeProvisioned, WriteCapacityHours: 72000}, auto: true,
			modes: []string{ModeOnDemand, ModeProvisioned}, hours: 720, sim: -1,
			text: `over the imported window 2026-11-01 to 2026-12-01 (720 h):
mode         cost
on-demand    $276.00
provisioned  $139.10
reconstruction of orders (billed provisioned), throughput only:
  from the metrics  $46.80  (0 RCU-hours, 72,000 WCU-hours)
  simulated         none: the autoscaling mode was not run (compare --modes)
(throughput only: storage, streams and backups are not in these metrics)
`,
		},
		{
			name: "another duration", th: scenarios.TableHistory{Mode: ModeOnDemand, WriteUnits: 259.2e6},
			modes: []string{ModeOnDemand}, hours: 1.5, sim: -1,
			text: `over the imported window 2026-11-01 to 2026-12-01 (720 h):
  no cost per mode: the runs cover 1.5 h, not the window's 720 h (compare --duration): no like-for-like figure
reconstruction of orders (billed on-demand), throughput only:
  from the metrics  $162.00  (0 read units, 259,200,000 write units)
  simulated         none: the runs cover 1.5 h, not the window's 720 h (compare --duration): no like-for-like figure
(throughput only: storage, streams and backups are not in these metrics)
`,
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			sc := historyScenario(c.th, c.auto)
			cmp, err := Compare(sc, 1, Options{Modes: c.modes}, fakeRuns(c.hours))
			if err != nil {
				t.Fatal(err)
			}
			if len(cmp.Reconstruction) != 1 || cmp.Window == nil {
				t.Fatalf("reconstruction %+v, window %+v", cmp.Reconstruction, cmp.Window)
			}
			rc := cmp.Reconstruction[0]
			switch {
			case c.sim < 0 && (rc.SimulatedUSD != nil || rc.DifferenceUSD != nil || rc.NoSimulated == ""):
				t.Errorf("simulated %v, difference %v, why none %q; want none, with a reason", rc.SimulatedUSD, rc.DifferenceUSD, rc.NoSimulated)
			case c.sim >= 0 && (rc.SimulatedUSD == nil || *rc.SimulatedUSD != c.sim || *rc.DifferenceUSD != c.diff):
				t.Errorf("simulated %+v; want $%g, difference $%g", rc, c.sim, c.diff)
			}
			if got := afterTable(t, sc, cmp); got != c.text {
				t.Errorf("text:\n%s\nwant:\n%s", got, c.text)
			}
		})
	}
}

// Without a history the comparison, its JSON and its text are as before:
// no reconstruction, no window.
func TestCompareWithoutHistory(t *testing.T) {
	sc := historyScenario(scenarios.TableHistory{Mode: ModeOnDemand}, false)
	sc.History = nil
	cmp, err := Compare(sc, 1, Options{Modes: []string{ModeOnDemand}}, fakeRuns(720))
	if err != nil {
		t.Fatal(err)
	}
	js, err := json.Marshal(cmp)
	if err != nil {
		t.Fatal(err)
	}
	if cmp.Reconstruction != nil || cmp.Window != nil || bytes.Contains(js, []byte("reconstruction")) || bytes.Contains(js, []byte("history_window")) {
		t.Fatalf("without a history: %s", js)
	}
	if got := afterTable(t, sc, cmp); got != "" {
		t.Fatalf("text after the table: %q", got)
	}
}

// A history naming a table the scenario lacks is an error naming the
// place, not a panic.
func TestReconstructUnknownTable(t *testing.T) {
	sc := historyScenario(scenarios.TableHistory{Mode: ModeOnDemand}, false)
	sc.History.Tables[0].Table = "users"
	sc.History.Tables[0].Pos = scenarios.Pos{Line: 40, Col: 7}
	_, err := Compare(sc, 1, Options{Modes: []string{ModeOnDemand}}, fakeRuns(720))
	want := `imported.yaml:40:7: history.tables[0].table: "users" is not a table of the scenario`
	if err == nil || err.Error() != want {
		t.Fatalf("error %v, want %s", err, want)
	}
}
