package sweep

import (
	"bytes"
	"strings"
	"testing"

	"github.com/HdrHistogram/hdrhistogram-go"

	"github.com/ddbsim/ddbsim/reports"
	"github.com/ddbsim/ddbsim/scenarios"
)

// fake stands for a simulation: its figures depend on the point's write
// capacity and the seed, and it passes only at 200 or with an odd seed.
func fake(sc *scenarios.Scenario, seed uint64) (*reports.Result, error) {
	wcu := sc.Tables[0].WriteCapacity
	h := reports.NewLatencyHistogram()
	for i := range int64(100) {
		h.RecordValue(1000 + i*int64(seed) + wcu)
	}
	enc, err := h.Encode(hdrhistogram.V2CompressedEncodingCookieBase)
	if err != nil {
		return nil, err
	}
	pass := wcu == 200 || seed%2 == 1
	return &reports.Result{
		Scenario: sc.Name, Seed: seed,
		Requests:         reports.Requests{Total: 100},
		Ratios:           reports.Ratios{Throttled: float64(seed) / 100},
		LatencyMs:        reports.Latency{P50: 1, P99: float64(wcu) + float64(seed)},
		LatencyHistogram: string(enc),
		Cost:             &reports.CostResult{MonthlyUSD: float64(wcu) + float64(seed)/10},
		Thresholds:       []reports.ThresholdResult{{Name: "p99_ms", Passed: pass}},
	}, nil
}

// The whole document depends on the runs alone: run in one go, or as N
// shards run in any order and merged, it is the same bytes.
func TestShardsMergeByteForByte(t *testing.T) {
	pl, err := plan(t, "version: 1\nscenario: web-backend\nseeds: 5\nvary:\n  tables.sessions.write_capacity: [100, 150, 200]\n")
	if err != nil {
		t.Fatal(err)
	}
	h := NewHeader(pl, "request")
	all := make([]int, pl.Runs())
	for i := range all {
		all[i] = i
	}
	recs, err := Execute(pl, all, Options{Simulate: fake, Jobs: 3})
	if err != nil {
		t.Fatal(err)
	}
	whole, err := Assemble(h, recs)
	if err != nil {
		t.Fatal(err)
	}
	want, _ := Encode(whole)
	p := whole.Points[0]
	if p.Seeds != 5 || p.PassedSeeds != 3 || p.Meets != "most" || p.MonthlyUSD.Mean != 100.3 || !(p.MonthlyUSD.Half > 0) {
		t.Errorf("point 0: %+v", p)
	}
	if whole.Cheapest == nil || *whole.Cheapest != 2 || whole.Points[2].Meets != "every" {
		t.Errorf("cheapest %v, want point 2 (the only one passing every seed)", whole.Cheapest)
	}
	if p.Pooled.Requests != 500 {
		t.Errorf("pooled %d requests, want 5 seeds x 100", p.Pooled.Requests)
	}
	for _, n := range []int{1, 2, 4, 15, 16} {
		var docs []*Document
		var names []string
		for i := n - 1; i >= 0; i-- { // any order
			recs, err := Execute(pl, pl.Shard(i, n), Options{Simulate: fake, Jobs: 1})
			if err != nil {
				t.Fatal(err)
			}
			b, _ := Encode(&Document{SchemaVersion: SchemaVersion, Sweep: h, Shard: &Shard{Index: i, Count: n}, Runs: recs})
			d, err := ReadDocument("shard.json", b)
			if err != nil {
				t.Fatal(err)
			}
			docs, names = append(docs, d), append(names, "shard")
		}
		merged, err := Merge(names, docs)
		if err != nil {
			t.Fatalf("%d shards: %v", n, err)
		}
		if got, _ := Encode(merged); !bytes.Equal(got, want) {
			t.Errorf("%d shards merged differ from the whole run", n)
		}
	}
	var text bytes.Buffer
	if err := WriteSummary(&text, whole); err != nil || !strings.Contains(text.String(), "cheapest point meeting the thresholds in every seed: 2 (write_capacity=200), $200.30 +/- $0.196 a month") {
		t.Errorf("summary (%v):\n%s", err, text.String())
	}
}

// Merge refuses shards that cannot make the whole: missing, doubled, of
// another sweep or another count, or holding another shard's runs.
func TestMergeRefuses(t *testing.T) {
	pl, _ := plan(t, "version: 1\nscenario: web-backend\nseeds: 2\nvary:\n  tables.sessions.write_capacity: [100, 200]\n")
	h := NewHeader(pl, "request")
	shard := func(i, n int) *Document {
		recs, err := Execute(pl, pl.Shard(i, n), Options{Simulate: fake})
		if err != nil {
			t.Fatal(err)
		}
		return &Document{SchemaVersion: SchemaVersion, Sweep: h, Shard: &Shard{Index: i, Count: n}, Runs: recs}
	}
	other := shard(1, 2)
	other.Sweep.Digest = "sha256:other"
	moved := shard(1, 2)
	moved.Runs[0].Run = 0
	for _, tt := range []struct {
		docs []*Document
		want string
	}{
		{[]*Document{shard(0, 2)}, "shards [1] of 2 are missing"},
		{[]*Document{shard(0, 2), shard(0, 2)}, "shard 0 of 2 is given twice"},
		{[]*Document{shard(0, 2), other}, "is a shard of another sweep"},
		{[]*Document{shard(0, 2), shard(1, 3)}, "is shard 1 of 3, but"},
		{[]*Document{shard(0, 2), moved}, "run 0 does not belong to shard 1 of 2"},
		{[]*Document{{SchemaVersion: 1, Sweep: h}}, "is not a shard's document"},
	} {
		names := make([]string, len(tt.docs))
		for i := range names {
			names[i] = "d" + string(rune('0'+i))
		}
		if _, err := Merge(names, tt.docs); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("got %v, want %q", err, tt.want)
		}
	}
	for _, tt := range []struct{ doc, want string }{
		{`{"schema_version": 1, "runs": [{"seed": "x"}]}`, `shard.json: 1:44: runs.seed holds a JSON string; expected uint64`},
		{`{"schema_version": 1, "extra": 1}`, `unknown field "extra"`},
		{`{"schema_version": 2}`, "schema_version 2"},
		{`{"schema_version": 1} {}`, "a second JSON value"},
	} {
		if _, err := ReadDocument("shard.json", []byte(tt.doc)); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: got %v, want %q", tt.doc, err, tt.want)
		}
	}
}
