package learn

import (
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ddbsim/ddbsim/reports"
	"github.com/ddbsim/ddbsim/scenarios"
)

// Negative controls of the feature lessons: each lesson's claim fails when
// one of its runs is replaced by a modified scenario that no longer shows
// what the lesson teaches, so the claims are not vacuous. Each case names
// the run it replaces, how it changes the lesson scenario, and what the
// claim's error must mention.
func TestFeatureLessonClaimsCanFail(t *testing.T) {
	for _, tc := range []struct {
		name   string
		lesson string
		run    int // the run replaced
		modify func(sc *scenarios.Scenario)
		want   string // in the claim's error
	}{
		{"dax: strong reads made eventual hit the cache", "dax", 1,
			func(sc *scenarios.Scenario) { sc.Workloads[0].Consistency = "eventual" }, "strongly consistent gets"},
		{"dax: uniform reads over more keys than the run reads miss", "dax", 0,
			func(sc *scenarios.Scenario) {
				sc.Tables[0].Items.Count = 100_000
				sc.Workloads[0].Keys.Distribution, sc.Workloads[0].Keys.Count = "uniform", 100_000
			}, "no cache benefit"},
		{"streams: the slow consumer given twice the parallelization keeps up", "streams", 0,
			func(sc *scenarios.Scenario) { sc.Tables[0].Stream.Consumers[0].Parallelization = 2 }, "aged"},
		{"global-tables: one region only reads, nothing conflicts", "global-tables", 0,
			func(sc *scenarios.Scenario) { sc.Workloads[1].Mix = []scenarios.MixEntry{{Op: "get", Weight: 1}} }, "conflicts"},
		{"global-tables: no outage, no errors", "global-tables", 1,
			func(sc *scenarios.Scenario) { sc.Faults = nil }, "errors"},
		{"gsi: the index given the table's capacity does not throttle", "gsi", 0,
			func(sc *scenarios.Scenario) { sc.Tables[0].Indexes[0].WriteCapacity = 1000 }, "no put was throttled"},
		{"gsi: the raised index left at a tenth still throttles", "gsi", 1,
			func(sc *scenarios.Scenario) { sc.Tables[0].Indexes[0].WriteCapacity = 100 }, "with the index raised"},
		{"ttl: the service's 48 h window deletes nothing within the run", "ttl", 0,
			func(sc *scenarios.Scenario) { d := 48 * time.Hour; sc.Service.TTLDeleteWithin = &d }, "at the end"},
		{"not-dynamodb: scanning a two-item table costs what a get does", "not-dynamodb", 0,
			func(sc *scenarios.Scenario) { sc.Tables[1].Items.Count = 2 }, "want at least 100x"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			l := Find(tc.lesson)
			if l == nil {
				t.Fatalf("no lesson %s", tc.lesson)
			}
			res := featLessonRuns(t, l)
			if err := l.claim(res); err != nil {
				t.Fatalf("the lesson's own claim failed: %v", err)
			}
			sc, err := lessonScenario(l.runs[tc.run].scenario)
			if err != nil {
				t.Fatal(err)
			}
			tc.modify(sc)
			mod, err := simulate(sc, sc.Seed)
			if err != nil {
				t.Fatal(err)
			}
			res = append([]*reports.Result(nil), res...)
			res[tc.run] = mod
			err = l.claim(res)
			if err == nil {
				t.Fatalf("the claim held with %s modified", sc.Name)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("the claim failed with %q, not mentioning %q", err, tc.want)
			}
			t.Logf("claim failed as it should: %v", err)
		})
	}
}

// featLessonRuns runs a lesson once for all the tests of this file.
func featLessonRuns(t *testing.T, l *Lesson) []*reports.Result {
	t.Helper()
	featRuns.Lock()
	r := featRuns.m[l.name]
	if r == nil {
		r = &featRun{}
		featRuns.m[l.name] = r
	}
	featRuns.Unlock()
	r.once.Do(func() { r.res, r.err = l.Run(simulate) })
	if r.err != nil {
		t.Fatal(r.err)
	}
	return r.res
}

var featRuns = struct {
	sync.Mutex
	m map[string]*featRun
}{m: map[string]*featRun{}}

type featRun struct {
	once sync.Once
	res  []*reports.Result
	err  error
}

// The feature lessons' explanations quote their runs: every number the
// lessons compute from the runs appears, and none prints a Go duration
// (1m0s) or a negative zero.
func TestFeatureLessonExplanations(t *testing.T) {
	for _, name := range []string{"dax", "streams", "global-tables", "gsi", "ttl", "not-dynamodb"} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			l := Find(name)
			if l == nil {
				t.Fatalf("no lesson %s", name)
			}
			res := featLessonRuns(t, l)
			var b strings.Builder
			l.explain(&b, res)
			text := b.String()
			if n := strings.Count(text, "\n"); n < 3 || n > 8 {
				t.Errorf("%d lines of explanation, want 3 to 6 sentences:\n%s", n, text)
			}
			for _, bad := range []string{"m0s", "-0%", "NaN", "Inf", "%!"} {
				if strings.Contains(text, bad) {
					t.Errorf("explanation contains %q:\n%s", bad, text)
				}
			}
			if len(l.plots) != len(l.runs) {
				t.Errorf("%d plots for %d runs", len(l.plots), len(l.runs))
			}
		})
	}
}

// The lesson helpers' formatting.
func TestFeatureFormatting(t *testing.T) {
	for _, tc := range []struct{ got, want string }{
		{featNum(24989), "24,989"}, {featNum(1199.5), "1,199.5"}, {featNum(90.999), "91"}, {featNum(-0.001), "0"},
		{featMs(0.25), "250 µs"}, {featMs(2.5), "2.5 ms"}, {featMs(12.055), "12.1 ms"}, {featMs(850.9), "851 ms"}, {featMs(1576.9), "1.58 s"},
		{percent(0.877746), "87.8%"}, {percent(1), "100%"},
		{featDur(200 * time.Millisecond), "200 ms"}, {featDur(30 * time.Second), "30 s"}, {featDur(2 * time.Minute), "2 min"},
		{featKinds(map[string]int64{"region_unavailable": 5}, 5), "all region_unavailable"},
		{featKinds(map[string]int64{"timeout": 1, "region_unavailable": 5}, 6), "5 region_unavailable, 1 timeout"},
	} {
		if tc.got != tc.want {
			t.Errorf("got %q, want %q", tc.got, tc.want)
		}
	}
}
