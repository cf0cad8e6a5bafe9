package advise

import (
	"encoding/json"
	"math"
	"strings"
	"testing"

	"github.com/ddbsim/ddbsim/reports"
	"github.com/ddbsim/ddbsim/scenarios"
)

// modeOf names the capacity mode withMode put sc's first table in.
func modeOf(sc *scenarios.Scenario) string {
	t := sc.Tables[0]
	switch {
	case t.Mode == "on-demand":
		return ModeOnDemand
	case t.Reserved != nil:
		return ModeReserved
	case t.AutoScaling != nil:
		return ModeAutoscaling
	}
	return ModeProvisioned
}

// fakeResult is a result costing usd a month that passes the scenario's
// one threshold or not.
func fakeResult(usd float64, passed bool) *reports.Result {
	r := &reports.Result{Cost: &reports.CostResult{MonthlyUSD: usd}, Thresholds: []reports.ThresholdResult{{Name: "throttled_ratio", Passed: passed}}}
	r.Tables = []reports.TableResult{{PeakRCUPerS: 100, PeakWCUPerS: 100}}
	r.LatencyMs.P99 = 10
	return r
}

// byMode fakes a run whose cost and pass depend on its mode and seed:
// on-demand $100, provisioned $80 failing under even seeds, autoscaling
// $90, reserved $70 failing under seeds divisible by three; each cost a
// cent more per seed. Seeds 1 to 6 are won by reserved, reserved,
// provisioned, reserved, reserved, autoscaling.
func byMode(sc *scenarios.Scenario, seed uint64) (*reports.Result, error) {
	m := modeOf(sc)
	usd := map[string]float64{ModeOnDemand: 100, ModeProvisioned: 80, ModeAutoscaling: 90, ModeReserved: 70}[m] + float64(seed)/100
	passed := !(m == ModeProvisioned && seed%2 == 0 || m == ModeReserved && seed%3 == 0)
	return fakeResult(usd, passed), nil
}

func TestCompareSeedsCountsWins(t *testing.T) {
	c, err := Compare(sloScenario(t), 1, Options{Seeds: 6}, byMode)
	if err != nil {
		t.Fatal(err)
	}
	wantWins := map[string]int{ModeOnDemand: 0, ModeProvisioned: 1, ModeAutoscaling: 1, ModeReserved: 4}
	wantPassed := map[string]int{ModeOnDemand: 6, ModeProvisioned: 3, ModeAutoscaling: 6, ModeReserved: 4}
	for _, m := range c.Modes {
		if m.AcrossSeeds == nil {
			t.Fatalf("%s has no record across seeds", m.Mode)
		}
		if m.Wins != wantWins[m.Mode] || m.PassedSeeds != wantPassed[m.Mode] {
			t.Errorf("%s: %d wins, passed %d, want %d and %d", m.Mode, m.Wins, m.PassedSeeds, wantWins[m.Mode], wantPassed[m.Mode])
		}
		if e := m.MonthlyUSDCI; e.N != 6 || math.Abs(e.Mean-m.MonthlyUSD) > 1e-9 || !(e.Half > 0) {
			t.Errorf("%s: cost interval %+v, mean $%v", m.Mode, e, m.MonthlyUSD)
		}
	}
	if c.Winner != ModeReserved || c.Seeds == nil || *c.Seeds != (SeedRange{First: 1, Count: 6}) {
		t.Fatalf("winner %q, seeds %+v", c.Winner, c.Seeds)
	}
	var perSeed []string
	for _, s := range c.PerSeed {
		perSeed = append(perSeed, s.Winner)
	}
	if got := strings.Join(perSeed, ","); got != "reserved,reserved,provisioned,reserved,reserved,autoscaling" {
		t.Errorf("per seed %s", got)
	}
	for _, want := range []string{"reserved wins in 4 of 6 seeds; its monthly cost $70.04 +/- ", "; provisioned wins 1, autoscaling wins 1, on-demand none;", "reserved meets your thresholds in 4 of 6 seeds"} {
		if !strings.Contains(c.Verdict, want) {
			t.Errorf("verdict %q\nlacks %q", c.Verdict, want)
		}
	}
	var b strings.Builder
	WriteTable(&b, sloScenario(t), 1, c)
	for _, want := range []string{"seeds 1..6", "reserved  ", "4/6", "winner: reserved (wins 4 of 6 seeds"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("table lacks %q:\n%s", want, b.String())
		}
	}
}

// Two modes that win as many seeds: the cheaper on average wins, not the
// first listed. Provisioned ($80) wins even seeds, reserved ($70) odd ones.
func TestCompareSeedsTie(t *testing.T) {
	sim := func(sc *scenarios.Scenario, seed uint64) (*reports.Result, error) {
		m := modeOf(sc)
		usd := map[string]float64{ModeOnDemand: 100, ModeProvisioned: 80, ModeReserved: 70}[m]
		return fakeResult(usd, m != ModeReserved || seed%2 == 1), nil
	}
	c, err := Compare(sloScenario(t), 1, Options{Seeds: 4, Modes: []string{ModeOnDemand, ModeProvisioned, ModeReserved}}, sim)
	if err != nil {
		t.Fatal(err)
	}
	if c.Winner != ModeReserved || c.Modes[1].Wins != 2 || c.Modes[2].Wins != 2 {
		t.Fatalf("winner %q, modes %+v %+v", c.Winner, c.Modes[1].AcrossSeeds, c.Modes[2].AcrossSeeds)
	}
	if !strings.HasPrefix(c.Verdict, "reserved wins in 2 of 4 seeds; its monthly cost $70.00 +/- $0 (95% CI); provisioned wins 2, on-demand none;") {
		t.Errorf("verdict %q", c.Verdict)
	}
}

// One seed is the comparison without seeds, to the byte: no key of the
// seeds' appears in the JSON.
func TestCompareOneSeedUnchanged(t *testing.T) {
	enc := func(seeds int) string {
		c, err := Compare(sloScenario(t), 3, Options{Seeds: seeds}, byMode)
		if err != nil {
			t.Fatal(err)
		}
		b, err := json.Marshal(c)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	one, none := enc(1), enc(0)
	if one != none {
		t.Fatalf("--seeds 1:\n%s\nno seeds:\n%s", one, none)
	}
	for _, k := range []string{`"seeds"`, `"per_seed"`, `"wins"`, `"passed_seeds"`, `_ci"`} {
		if strings.Contains(one, k) {
			t.Errorf("one seed's JSON has %s: %s", k, one)
		}
	}
	if _, err := Compare(sloScenario(t), 1, Options{Seeds: MaxSeeds + 1}, byMode); err == nil {
		t.Error("no error for too many seeds")
	}
}

// The right-sizing search under several seeds passes a probe only when
// every seed passes: with a seed needing more capacity than the others,
// the capacity found meets that seed's need. Each seed s needs 100 + 10s
// units of each dimension; the base capacity is the fake on-demand peak,
// 100.
func TestRightSizeEverySeed(t *testing.T) {
	need := func(seed uint64) int64 { return 100 + 10*int64(seed) }
	sim := func(sc *scenarios.Scenario, seed uint64) (*reports.Result, error) {
		t := sc.Tables[0]
		if t.Mode == "on-demand" {
			return fakeResult(500, true), nil
		}
		ok := t.ReadCapacity >= need(seed) && t.WriteCapacity >= need(seed)
		return fakeResult(float64(t.ReadCapacity+t.WriteCapacity), ok), nil
	}
	for _, tt := range []struct {
		seeds   int
		atLeast int64
	}{{1, need(1)}, {3, need(3)}} {
		c, err := Compare(sloScenario(t), 1, Options{Seeds: tt.seeds, Modes: []string{ModeOnDemand}, Search: true}, sim)
		if err != nil {
			t.Fatal(err)
		}
		rs := c.RightSized
		if rs == nil || !rs.Found {
			t.Fatalf("%d seeds: right_sized %+v", tt.seeds, rs)
		}
		r, w := rs.Tables[0].ReadCapacity, rs.Tables[0].WriteCapacity
		// Bisection stops within 2% of the failing factor.
		if r < tt.atLeast || w < tt.atLeast || float64(r) > 1.03*float64(tt.atLeast) || float64(w) > 1.03*float64(tt.atLeast) {
			t.Errorf("%d seeds: right-sized %d RCU / %d WCU, want at least %d and within 3%%", tt.seeds, r, w, tt.atLeast)
		}
		if wantSeeds := map[int]int{1: 0, 3: 3}[tt.seeds]; rs.Seeds != wantSeeds || c.Tuned.Seeds != wantSeeds {
			t.Errorf("%d seeds: right_sized.seeds %d, tuned %d", tt.seeds, rs.Seeds, c.Tuned.Seeds)
		}
		if tt.seeds > 1 {
			rsMode := c.Modes[1]
			if rsMode.Mode != ModeRightSized || rsMode.PassedSeeds != tt.seeds {
				t.Errorf("right-sized mode %+v %+v", rsMode, rsMode.AcrossSeeds)
			}
		}
	}
}
