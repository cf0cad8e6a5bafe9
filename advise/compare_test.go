package advise

import (
	"math"
	"testing"
	"time"

	"github.com/ddbsim/ddbsim"
	"github.com/ddbsim/ddbsim/reports"
	"github.com/ddbsim/ddbsim/scenarios"
	"github.com/ddbsim/ddbsim/threshold"
)

// sloFile and sloExpr are the SLO search's scenario and SLO, as the
// CLI's golden test of compare --slo runs them.
const (
	sloFile = "testdata/rightsize-steady.yaml"
	sloExpr = "throttled_ratio < 0.1%"
)

// simulate runs sc as ddbsim compare does: every request, no series.
func simulate(sc *scenarios.Scenario, seed uint64) (*reports.Result, error) {
	s, err := ddbsim.Build(sc, ddbsim.Options{Seed: seed})
	if err != nil {
		return nil, err
	}
	return s.Run()
}

// withMode changes a copy: the loaded scenario keeps its tables. An
// on-demand table is provisioned at the on-demand run's peaks, rounded up,
// and auto scaled between a quarter and four times that.
func TestCompareWithMode(t *testing.T) {
	sc, err := scenarios.Load("testdata/compare-spiky.yaml")
	if err != nil {
		t.Fatal(err)
	}
	od := &reports.Result{Tables: []reports.TableResult{{PeakRCUPerS: 10.5, PeakWCUPerS: 0}}}
	p := withMode(sc, ModeAutoscaling, od)
	if sc.Tables[0].Mode != "on-demand" || sc.Tables[0].AutoScaling != nil {
		t.Fatalf("the loaded scenario changed: %+v", sc.Tables[0])
	}
	got := p.Tables[0]
	if got.Mode != "provisioned" || got.ReadCapacity != 11 || got.WriteCapacity != 1 {
		t.Fatalf("provisioned %s %d/%d, want provisioned 11/1", got.Mode, got.ReadCapacity, got.WriteCapacity)
	}
	if a := got.AutoScaling; a == nil || a.Target != 0.7 || a.Min != 1 || a.Max != 44 {
		t.Fatalf("autoscaling %+v, want 70%% 1..44", a)
	}
	web, err := scenarios.Load("web-backend")
	if err != nil {
		t.Fatal(err)
	}
	o := withMode(web, ModeOnDemand, nil)
	if o.Tables[0].Mode != "on-demand" || o.Tables[0].ReadCapacity != 0 || web.Tables[0].Mode != "provisioned" {
		t.Fatalf("on-demand copy %+v, original %+v", o.Tables[0], web.Tables[0])
	}
	if b := withMode(web, ModeAutoscaling, nil).Tables[0].AutoScaling; b == nil || b.Min != 25 || b.Max != 1600 {
		t.Fatalf("autoscaling %+v, want 25..1600", b)
	}
}

// The reserved mode is the provisioned mode's capacity with a one-year
// reservation of it in whole blocks of 100: compare-steady's 100 RCU are
// reserved, its 50 WCU (under a block) are not. Its bill has reserved
// read capacity, no reserved write capacity, and over an hour of the same
// steady traffic it costs less than provisioned.
func TestCompareReserved(t *testing.T) {
	sc, err := scenarios.Load("testdata/compare-steady.yaml")
	if err != nil {
		t.Fatal(err)
	}
	sc.Duration = time.Hour
	prov, err := simulate(withMode(sc, ModeProvisioned, nil), 1)
	if err != nil {
		t.Fatal(err)
	}
	resv := withMode(sc, ModeReserved, nil)
	if r := resv.Tables[0].Reserved; r == nil || r.ReadCapacity != 100 || r.WriteCapacity != 0 || r.Term != "1y" {
		t.Fatalf("reservation %+v, want 100 RCU, 0 WCU, 1y", r)
	}
	if sc.Tables[0].Reserved != nil {
		t.Fatalf("the loaded scenario changed: %+v", sc.Tables[0].Reserved)
	}
	res, err := simulate(resv, 1)
	if err != nil {
		t.Fatal(err)
	}
	if prov.Cost == nil || res.Cost == nil {
		t.Fatal("no cost")
	}
	if got := res.Cost.Breakdown["reserved_read_capacity"]; got <= 0 {
		t.Errorf("reserved_read_capacity $%v, want > 0 (breakdown %v)", got, res.Cost.Breakdown)
	}
	if got := res.Cost.Breakdown["reserved_write_capacity"]; got != 0 {
		t.Errorf("reserved_write_capacity $%v, want 0 (50 WCU is under a block)", got)
	}
	if got := prov.Cost.Breakdown["reserved_read_capacity"]; got != 0 {
		t.Errorf("provisioned has reserved_read_capacity $%v", got)
	}
	if res.Cost.MonthlyUSD >= prov.Cost.MonthlyUSD {
		t.Errorf("reserved $%.2f a month, not less than provisioned $%.2f", res.Cost.MonthlyUSD, prov.Cost.MonthlyUSD)
	}
	if res.Requests != prov.Requests {
		t.Errorf("the reservation changed the traffic: %+v, provisioned %+v", res.Requests, prov.Requests)
	}

	// Blocks round down; Standard-IA tables and tables under a block in
	// both dimensions reserve nothing.
	for _, tt := range []struct {
		class       string
		read, write int64
		want        *scenarios.Reserved
	}{
		{"standard", 250, 1999, &scenarios.Reserved{ReadCapacity: 200, WriteCapacity: 1900, Term: "1y"}},
		{"standard", 99, 100, &scenarios.Reserved{ReadCapacity: 0, WriteCapacity: 100, Term: "1y"}},
		{"standard", 99, 99, nil},
		{"standard-ia", 400, 400, nil},
	} {
		got := reservation(scenarios.Table{TableClass: tt.class, ReadCapacity: tt.read, WriteCapacity: tt.write})
		if (got == nil) != (tt.want == nil) || got != nil && *got != *tt.want {
			t.Errorf("%s %d/%d: reservation %+v, want %+v", tt.class, tt.read, tt.write, got, tt.want)
		}
	}
}

// slo is sloFile as compare's search ran it: its duration and the SLO.
func sloScenario(t *testing.T) *scenarios.Scenario {
	t.Helper()
	sc, err := scenarios.Load(sloFile)
	if err != nil {
		t.Fatal(err)
	}
	sc.Duration = 10 * 60 * 1e9
	th, err := threshold.ParseLine(sloExpr)
	if err != nil {
		t.Fatal(err)
	}
	sc.Thresholds = []scenarios.Threshold{{Threshold: th}}
	return sc
}

// The acceptance: the right-sized capacity meets its SLO when run
// again on its own, and 90% of it (reads or writes) does not, so it is
// close to the smallest. The tuned auto scaling passes again too.
func TestRightSizedMeetsSLO(t *testing.T) {
	c, err := Compare(sloScenario(t), 7, Options{Modes: []string{ModeOnDemand, ModeProvisioned}, Search: true}, simulate)
	if err != nil {
		t.Fatal(err)
	}
	rs := c.RightSized
	if rs == nil || !rs.Found || len(rs.Tables) != 1 {
		t.Fatalf("right_sized %+v", rs)
	}
	r, w := rs.Tables[0].ReadCapacity, rs.Tables[0].WriteCapacity
	if rs.Probes > 1+2*searchMaxProbes+12 {
		t.Errorf("%d probes", rs.Probes)
	}
	provisioned := func(r, w int64) bool {
		sc := sloScenario(t)
		sc.Tables[0].Mode = "provisioned"
		sc.Tables[0].ReadCapacity, sc.Tables[0].WriteCapacity = r, w
		noBank := false // as the search runs its probes
		sc.Service.BurstStartsFull = &noBank
		res, err := simulate(sc, 7)
		if err != nil {
			t.Fatal(err)
		}
		return res.Passed()
	}
	if !provisioned(r, w) {
		t.Errorf("right-sized %d RCU / %d WCU fails its SLO when run again", r, w)
	}
	below := func(n int64) int64 { return min(n-1, int64(math.Floor(0.9*float64(n)))) }
	if r > 1 && provisioned(below(r), w) {
		t.Errorf("%d RCU / %d WCU passes too: %d RCU is not the smallest", below(r), w, r)
	}
	if w > 1 && provisioned(r, below(w)) {
		t.Errorf("%d RCU / %d WCU passes too: %d WCU is not the smallest", r, below(w), w)
	}

	a := c.Tuned
	if a == nil || !a.Found || len(a.Tables) != 1 || len(a.Tried) != len(searchTargets) {
		t.Fatalf("autoscaling_tuned %+v", a)
	}
	sc := sloScenario(t)
	tb := &sc.Tables[0]
	tb.Mode = "provisioned"
	tb.ReadCapacity, tb.WriteCapacity = a.Tables[0].Min, a.Tables[0].Min
	tb.AutoScaling = &scenarios.AutoScaling{Target: a.Target, Min: a.Tables[0].Min, Max: a.Tables[0].Max}
	noBank := false
	sc.Service.BurstStartsFull = &noBank
	res, err := simulate(sc, 7)
	if err != nil {
		t.Fatal(err)
	}
	if !res.Passed() || res.Cost.MonthlyUSD != a.MonthlyUSD {
		t.Errorf("tuned auto scaling run again: passed %v, $%.2f (search said $%.2f)", res.Passed(), res.Cost.MonthlyUSD, a.MonthlyUSD)
	}
	if want := 4 * max(r, w); a.Tables[0].Max != want {
		t.Errorf("tuned max %d, want 4 x %d", a.Tables[0].Max, max(r, w))
	}
}
