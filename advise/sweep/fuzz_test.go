package sweep

import (
	"errors"
	"testing"

	"github.com/ddbsim/ddbsim/scenarios"
)

// FuzzSweepFile: any bytes as a sweep file either plan or fail with a
// scenarios.ErrorList whose every problem is in the sweep file or the
// scenario it names, at a line and column; never a panic. The scenario
// is a built-in one, so no file is read.
func FuzzSweepFile(f *testing.F) {
	for _, s := range []string{
		head + "vary:\n  tables.sessions.write_capacity: [100, 200]\n",
		head + "set:\n  tables.sessions.autoscaling: {min: 5, max: 50}\nvary:\n  tables.sessions.autoscaling.target: {from: 50%, to: 90%, step: 20%}\n",
		head + "vary:\n  rate_scale: {from: 0.5, to: 2, count: 4}\npoints:\n  - {tables.sessions.mode: on-demand}\n",
		head + "vary:\n  tables.0.items.count: [1k, 2k]\n  workloads.web.rate_scale: [2]\n",
		"version: 1\nscenario: web-backend\nseeds: [1, 2]\nvary: &a\n  x: *a\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		spec, err := Parse("sweep.yaml", data, ".", load)
		if err == nil {
			if spec.Runs() > MaxRuns {
				t.Fatalf("%d runs planned past the bound", spec.Runs())
			}
			var pl *Plan
			if pl, err = NewPlan(spec, nil); err == nil {
				if pl.Runs() == 0 || pl.Runs() > MaxRuns {
					t.Fatalf("a plan of %d runs", pl.Runs())
				}
				return
			}
		}
		var list scenarios.ErrorList
		if !errors.As(err, &list) {
			return // a scenario's own problem reported plainly
		}
		for _, e := range list {
			if e.Line < 1 || e.Col < 1 || e.Line >= sentinelLine {
				t.Fatalf("a problem at %d:%d: %v", e.Line, e.Col, e)
			}
		}
	})
}

// FuzzMergeDocuments: any bytes as a shard's sweep.json either read and
// merge (alone, as shard 0 of 1) or fail with an error; never a panic,
// and a merged document is whole: one record per run, in order.
func FuzzMergeDocuments(f *testing.F) {
	pl, err := NewPlan(mustSpec(f, head+"vary:\n  tables.sessions.write_capacity: [100, 200]\n"), nil)
	if err != nil {
		f.Fatal(err)
	}
	recs, err := Execute(pl, pl.Shard(0, 1), Options{Simulate: fake, Jobs: 1})
	if err != nil {
		f.Fatal(err)
	}
	b, _ := Encode(&Document{SchemaVersion: SchemaVersion, Sweep: NewHeader(pl, "request"), Shard: &Shard{Index: 0, Count: 1}, Runs: recs})
	f.Add(b)
	f.Add([]byte(`{"schema_version": 1, "shard": {"index": 0, "count": 1}, "sweep": {"runs": 1, "seeds": [1], "points": 1}, "runs": [{"run": 0, "latency_histogram": "HISTFAAAACB4nJNpmSzMwMDAxgABzFCaEUoz2X+AMACy3wJ1"}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		d, err := ReadDocument("shard.json", data)
		if err != nil {
			return
		}
		doc, err := Merge([]string{"shard"}, []*Document{d})
		if err != nil {
			return
		}
		for i, r := range doc.Runs {
			if r.Run != i {
				t.Fatalf("run %d at %d", r.Run, i)
			}
		}
	})
}

func mustSpec(f *testing.F, s string) *Spec {
	spec, err := Parse("sweep.yaml", []byte(s), ".", load)
	if err != nil {
		f.Fatal(err)
	}
	return spec
}
