package learn

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/ddbsim/ddbsim/calc"
	"github.com/ddbsim/ddbsim/reports"
	"github.com/ddbsim/ddbsim/scenarios"
)

// runLessonChanged runs a lesson as runLesson does, with change applied
// to the scenario of run i first.
func runLessonChanged(t *testing.T, l *Lesson, i int, change func(*scenarios.Scenario)) []*reports.Result {
	t.Helper()
	var out []*reports.Result
	for k, r := range l.runs {
		load := lessonScenario
		if r.builtin {
			load = scenarios.Builtin
		}
		sc, err := load(r.scenario)
		if err != nil {
			t.Fatal(err)
		}
		if k == i {
			change(sc)
			if err := scenarios.Check(sc); err != nil {
				t.Fatalf("the changed %s: %v", r.scenario, err)
			}
		}
		seed := uint64(1)
		if sc.HasSeed {
			seed = sc.Seed
		}
		res, err := simulate(sc, seed)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, res)
	}
	return out
}

// Negative controls: change the set-up a capacity lesson depends on, and
// its claim fails, naming what no longer holds. A claim that passed
// whatever the runs did would teach nothing.
func TestCapacityLessonClaimsFailWhenTheSetUpChanges(t *testing.T) {
	on, off := true, false
	window := 600 * time.Second
	for _, c := range []struct {
		name, lesson string
		run          int
		change       func(*scenarios.Scenario)
		want         string
	}{
		{"eventual reads made strong", "consistency", 1,
			func(sc *scenarios.Scenario) { sc.Workloads[0].Consistency = "strong" },
			"eventual reads of a 4 KB item cost 1 units each, not 0.5"},
		// 100 WCU and its 300 s of burst credit carry the one-minute
		// spike (300 extra a second for 60 s is 18,000 of 30,000), and
		// at 58% utilisation provisioned is the cheaper mode after all.
		{"spiky table provisioned at its mean, not its peak", "capacity-modes", 1,
			func(sc *scenarios.Scenario) { sc.Tables[1].WriteCapacity = 100 },
			"the spiky run cost"},
		{"hot key sharded", "hot-partitions", 0,
			func(sc *scenarios.Scenario) { sc.Workloads[0].Keys.Shards = 10 },
			"the hot run's throttles were not all TableWriteKeyRangeThroughputExceeded"},
		{"a 600 s burst window", "burst-adaptive", 0,
			func(sc *scenarios.Scenario) { sc.Service.BurstWindow = &window },
			"the burst run banked 60000 units, not 300 s x 100 WCU"},
		{"adaptive capacity left on", "burst-adaptive", 2,
			func(sc *scenarios.Scenario) { sc.Service.Adaptive = &on },
			"without adaptive capacity only 0% throttled"},
		{"adaptive capacity off in the adaptive run", "burst-adaptive", 1,
			func(sc *scenarios.Scenario) { sc.Service.Adaptive = &off },
			"with adaptive capacity the hot partition throttled"},
		{"no auto scaling", "autoscaling", 0,
			func(sc *scenarios.Scenario) { sc.Tables[0].AutoScaling = nil },
			"auto scaling applied no capacity increase"},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			l := Find(c.lesson)
			if l == nil {
				t.Fatalf("no lesson %q", c.lesson)
			}
			err := l.claim(runLessonChanged(t, l, c.run, c.change))
			if err == nil {
				t.Fatalf("%s: the claim held", c.lesson)
			}
			if !strings.Contains(err.Error(), c.want) {
				t.Errorf("%s: claim failed with %q, want it to say %q", c.lesson, err, c.want)
			}
		})
	}
}

// The break-even the capacity-modes lesson reads off its runs' bills is
// the one `ddbsim compare` computes from the price book: 28.9% at
// REFERENCE's prices ($0.00065 a WCU-hour against 3,600 x $0.625 a
// million).
func TestCapacityModesLessonBreakEvenIsThePriceBook(t *testing.T) {
	l := Find("capacity-modes")
	res, err := l.Run(simulate)
	if err != nil {
		t.Fatal(err)
	}
	sc, err := lessonScenario(l.runs[0].scenario)
	if err != nil {
		t.Fatal(err)
	}
	want, err := calc.BreakEvenUtilization(sc)
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range res {
		got, err := capBreakEven(r)
		if err != nil {
			t.Fatal(err)
		}
		if math.Abs(got.utilisation-want.Writes) > 1e-9 || math.Abs(got.utilisation-0.00065/0.00225) > 1e-9 {
			t.Errorf("run %s: break-even %v, want %v (compare) and 28.9%%", l.runs[i].label, got.utilisation, want.Writes)
		}
	}
	var b strings.Builder
	l.explain(&b, res)
	for _, s := range []string{"0.00065 / 0.00225 = 28.9%", "provisioned is cheaper.", "on demand is cheaper."} {
		if !strings.Contains(b.String(), s) {
			t.Errorf("explanation lacks %q:\n%s", s, b.String())
		}
	}
}

// The explanations quote the runs: each number a lesson prints about its
// arithmetic is the one its run produced.
func TestCapacityLessonExplanationsQuoteTheRuns(t *testing.T) {
	for name, want := range map[string][]string{
		"consistency":    {"1 : 0.5 : 2", "(x1.2)"},
		"hot-partitions": {"served 1,000 in each of the", "all TableWriteKeyRangeThroughputExceeded", "0 throttles"},
		"burst-adaptive": {"banked 30,000 units", "30,000 / 200 = 150 s, and throttling began at 12m30s", "(10m + 150 s = 12m30s expected)"},
		"autoscaling":    {"30,000 / 300 = 100 s: throttling began at 3m40s", "at 4m it asked for 429 WCU", "landed at 6m", "100 -> 429 -> 572"},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			l := Find(name)
			res, err := l.Run(simulate)
			if err != nil {
				t.Fatal(err)
			}
			var b strings.Builder
			l.explain(&b, res)
			for _, s := range want {
				if !strings.Contains(b.String(), s) {
					t.Errorf("explanation lacks %q:\n%s", s, b.String())
				}
			}
			if n := strings.Count(strings.TrimSpace(b.String()), "\n") + 1; n < 3 || n > 6 {
				t.Errorf("%d lines, want 3 to 6:\n%s", n, b.String())
			}
		})
	}
}

func TestCapacityLessonFormats(t *testing.T) {
	for _, c := range []struct{ got, want string }{
		{capClock(750), "12m30s"}, {capClock(120), "2m"}, {capClock(45), "45s"}, {capClock(605), "10m05s"},
		{capNum(2999.5), "2,999.5"}, {capNum(11998), "11,998"}, {capNum(0.5), "0.5"},
		{capRate(1678.117), "1,678"}, {capRate(99.98), "100"}, {capRate(2.5), "2.5"},
		{percentNumber(0.8333), "83.3"}, {percentNumber(1), "100"}, {percentNumber(0.28889), "28.9"},
		{capPrice(0.00065), "0.00065"}, {capPrice(6.25e-7 * 1e6), "0.625"}, {capPrice(3600 * 6.25e-7), "0.00225"},
	} {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
}
