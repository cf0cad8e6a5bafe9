package sweep

import (
	"errors"
	"strings"
	"testing"

	"github.com/ddbsim/ddbsim/scenarios"
)

// load reads built-in scenarios only: these tests touch no file.
func load(ref, dir string) (Source, error) {
	data, ok := scenarios.BuiltinSource(ref)
	if !ok {
		return Source{}, errors.New("no built-in scenario " + ref)
	}
	return Source{Ref: ref, File: ref + " (built-in)", Data: data}, nil
}

func plan(t *testing.T, spec string) (*Plan, error) {
	t.Helper()
	s, err := Parse("sweep.yaml", []byte(spec), ".", load)
	if err != nil {
		return nil, err
	}
	return NewPlan(s, nil)
}

const head = "version: 1\nscenario: web-backend\nseeds: 2\n"

// Each problem of a sweep file is reported at its line and column in the
// sweep file, with what was expected and a near name where one exists;
// problems a varied value makes in the scenario are the scenario parser's
// own words, moved to where the sweep file wrote the value.
func TestSweepFileErrors(t *testing.T) {
	for _, tt := range []struct{ name, spec, want string }{
		{"unknown key", head + "vray:\n  rate_scale: [1]\n", `sweep.yaml:4:1: unknown key "vray" in the sweep file; did you mean "vary"?`},
		{"unknown scenario key", head + "vary:\n  tables.sessions.wirte_capacity: [100]\n",
			`sweep.yaml:5:3: in web-backend: unknown key "wirte_capacity" in table; did you mean "write_capacity"?`},
		{"unknown top key", head + "vary:\n  tabels.sessions.write_capacity: [100]\n",
			`sweep.yaml:5:3: in web-backend: unknown key "tabels" in the scenario; did you mean "tables"?`},
		{"unknown table", head + "vary:\n  tables.sesions.write_capacity: [100]\n",
			`sweep.yaml:5:3: tables.sesions.write_capacity: tables has no item named "sesions"; did you mean "sessions"?`},
		{"value refused", head + "vary:\n  tables.sessions.write_capacity: [100, -5]\n",
			`sweep.yaml:5:41: in web-backend: write_capacity: bad count "-5": must not be negative`},
		{"through a scalar", head + "vary:\n  seed.x: [1]\n", `sweep.yaml:5:3: seed.x: seed is "1", which has no key "x"`},
		{"missing seeds", "version: 1\nscenario: web-backend\nvary:\n  rate_scale: [1]\n", "sweep.yaml:1:1: the sweep file is missing seeds"},
		{"bad seeds", "version: 1\nscenario: web-backend\nseeds: 0\nvary:\n  rate_scale: [1]\n", `sweep.yaml:3:8: seeds "0": expected a count from 1 to 10000`},
		{"seed twice", "version: 1\nscenario: web-backend\nseeds: [3, 3]\nvary:\n  rate_scale: [1]\n", "sweep.yaml:3:12: seed 3 is given twice"},
		{"nothing varied", head, "sweep.yaml:1:1: the sweep file varies nothing"},
		{"version", "version: 2\n", "sweep.yaml:1:10: version 2 is not known"},
		{"range without step", head + "vary:\n  rate_scale: {from: 1, to: 2}\n", "sweep.yaml:5:15: rate_scale: a range needs from, to, and step or count"},
		{"range units", head + "vary:\n  tables.sessions.autoscaling.target: {from: 50%, to: 90, step: 10%}\n", `sweep.yaml:5:55: tables.sessions.autoscaling.target: to "90" has not the unit of from ("%")`},
		{"bad factor", head + "vary:\n  rate_scale: [0]\n", `sweep.yaml:5:16: rate_scale "0": expected a positive factor`},
		{"varied twice", head + "set:\n  tables.sessions.write_capacity: 5\nvary:\n  tables.sessions.write_capacity: [100]\n",
			"sweep.yaml:7:3: tables.sessions.write_capacity is given twice (in set:, vary: or a point)"},
		{"missing rest", head + "vary:\n  tables.sessions.autoscaling.target: [50%]\n", "sweep.yaml:5:3: in web-backend: autoscaling is missing min"},
		{"whole item", head + "vary:\n  tables.sessions: [1]\n", `sweep.yaml:5:3: tables.sessions: a sweep sets a key of tables "sessions", not the whole item`},
		{"too many runs", "version: 1\nscenario: web-backend\nseeds: 10000\nvary:\n  rate_scale: {from: 1, to: 100, count: 11}\n",
			"sweep.yaml:1:1: the sweep asks for more than 100000 runs"},
		{"not yaml", "version: [1\n", "sweep.yaml:1:1: cannot read YAML"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := plan(t, tt.spec)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got %v\nwant it to contain %q", err, tt.want)
			}
			var list scenarios.ErrorList
			if err != nil && !errors.As(err, &list) {
				t.Errorf("%T is not a scenarios.ErrorList", err)
			}
		})
	}
}

// A range lists from to to by step, or count values evenly, keeping the
// unit; the grid crosses every key's values, the last fastest, after the
// points given whole, and set: comes first at every point.
func TestGridRangesAndPoints(t *testing.T) {
	pl, err := plan(t, head+`set:
  tables.sessions.autoscaling: {min: 50, max: 400}
vary:
  tables.sessions.autoscaling.target: {from: 30%, to: 90%, step: 30%}
  rate_scale: {from: 0.1, to: 0.3, count: 3}
points:
  - {tables.sessions.write_capacity: 100}
  - {tables.sessions.write_capacity: 200}
`)
	if err != nil {
		t.Fatal(err)
	}
	var labels []string
	for _, p := range pl.Points {
		labels = append(labels, Label(p.Settings))
	}
	if len(labels) != 18 || labels[0] != "write_capacity=100 target=30% rate_scale=0.1" ||
		labels[1] != "write_capacity=100 target=30% rate_scale=0.2" || labels[5] != "write_capacity=100 target=60% rate_scale=0.3" ||
		labels[17] != "write_capacity=200 target=90% rate_scale=0.3" {
		t.Errorf("%d points:\n%s", len(labels), strings.Join(labels, "\n"))
	}
	if pl.Runs() != 36 {
		t.Errorf("runs %d, want 18 points x 2 seeds", pl.Runs())
	}
	sc, err := pl.Scenario(5)
	if err != nil {
		t.Fatal(err)
	}
	tb, w := sc.Tables[0], sc.Workloads[0]
	if tb.WriteCapacity != 100 || tb.AutoScaling == nil || tb.AutoScaling.Target != 0.6 || tb.AutoScaling.Min != 50 || tb.AutoScaling.Max != 400 {
		t.Errorf("table %+v, autoscaling %+v", tb, tb.AutoScaling)
	}
	// web-backend: 300/s, a spike to 900/s; scaled by 0.3.
	if w.Rate != 90 || w.Stages[1].Rate != 270 {
		t.Errorf("rates %g and %g, want 90 and 270", w.Rate, w.Stages[1].Rate)
	}
	// Every other point's scenario is untouched by this one's edits.
	if again, _ := pl.Scenario(0); again.Workloads[0].Rate != 30 || again.Tables[0].AutoScaling.Target != 0.3 {
		t.Errorf("point 0: rate %g target %g", again.Workloads[0].Rate, again.Tables[0].AutoScaling.Target)
	}
}

// Switching a table to on-demand drops the keys only provisioned tables
// have, so the point parses; the shards of a plan hold every run once.
func TestModeSwitchAndShards(t *testing.T) {
	pl, err := plan(t, head+"vary:\n  tables.sessions.mode: [provisioned, on-demand]\n")
	if err != nil {
		t.Fatal(err)
	}
	sc, err := pl.Scenario(1)
	if err != nil || sc.Tables[0].Mode != "on-demand" || sc.Tables[0].ReadCapacity != 0 {
		t.Fatalf("on-demand point: %v %+v", err, sc)
	}
	seen := map[int]int{}
	for i := range 3 {
		for _, k := range pl.Shard(i, 3) {
			seen[k]++
			if k%3 != i {
				t.Errorf("run %d in shard %d", k, i)
			}
		}
	}
	if len(seen) != pl.Runs() {
		t.Errorf("shards hold %d of %d runs", len(seen), pl.Runs())
	}
}

func TestSelectShard(t *testing.T) {
	env := func(kv ...string) func(string) string {
		return func(k string) string {
			for i := 0; i+1 < len(kv); i += 2 {
				if kv[i] == k {
					return kv[i+1]
				}
			}
			return ""
		}
	}
	for _, tt := range []struct {
		shard      string
		shards     int
		env        func(string) string
		i, n       int
		wantErrHas string
	}{
		{"", 0, env(), 0, 0, ""},
		{"2/4", 0, env(), 2, 4, ""},
		{"4/4", 0, env(), 0, 0, "expected 0 <= I < N"},
		{"x", 0, env(), 0, 0, "expected I/N"},
		{"", 4, env(EnvJobIndex, "3"), 3, 4, ""},
		{"", 4, env(EnvSlurmTask, "7", EnvSlurmFirst, "5"), 2, 4, ""},
		{"", 4, env(EnvSlurmTask, "2"), 2, 4, ""},
		{"", 4, env(EnvSlurmTask, "9", EnvSlurmFirst, "5"), 0, 0, "gives shard 4, not from 0 to 3"},
		{"", 4, env(), 0, 0, "neither JOB_COMPLETION_INDEX"},
		{"1/2", 2, env(), 0, 0, "not both"},
	} {
		i, n, err := SelectShard(tt.shard, tt.shards, tt.env)
		if tt.wantErrHas != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErrHas) {
				t.Errorf("%q %d: err %v, want %q", tt.shard, tt.shards, err, tt.wantErrHas)
			}
			continue
		}
		if err != nil || i != tt.i || n != tt.n {
			t.Errorf("%q %d: %d/%d %v, want %d/%d", tt.shard, tt.shards, i, n, err, tt.i, tt.n)
		}
	}
}
