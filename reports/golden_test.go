package reports

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"sort"
	"testing"

	"github.com/ddbsim/ddbsim/model"
	"github.com/ddbsim/ddbsim/model/units"
	"github.com/ddbsim/ddbsim/sim"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden from the current output")

// syntheticTables are the tables of syntheticRun: one provisioned, one
// on-demand, so both shapes of a table row are covered.
var syntheticTables = []TableInfo{
	{Name: "orders", Mode: "provisioned", Partitions: 4, ReadCapacity: 100, WriteCapacity: 50},
	{Name: "users", Mode: "on-demand", Partitions: 1},
}

// syntheticThresholds pass, fail, and cannot be checked.
var syntheticThresholds = []Threshold{
	{Name: "throttled_ratio", Expr: "< 1%", Cmp: "<", Value: 0.01},
	{Name: "p99_ms", Expr: "< 250", Cmp: "<", Value: 250},
	{Name: "error_ratio", Expr: "<= 0.5%", Cmp: "<=", Value: 0.005},
	{Name: "retries", Cmp: "<", Value: 1000},
	{Name: "p95_ms", Expr: "< 20", Cmp: "<", Value: 20},
}

// syntheticRun records a small run through the Recorder methods alone: 2,000
// requests at 500/s over 4 s on two tables, with a latency tail, requests
// that succeed after a throttled attempt, requests throttled to the end and
// a few errors. It draws no random numbers, so the golden files depend on
// nothing but this package.
func syntheticRun() *Result {
	c := NewCollector(syntheticTables)

	// Calls are queued with their time and played in time order, as the
	// kernel would deliver them (ties in the order queued).
	type call struct {
		at sim.Time
		do func()
	}
	var calls []call
	at := func(t sim.Time, do func()) { calls = append(calls, call{t, do}) }

	ops := []units.Op{units.OpGet, units.OpGet, units.OpGet, units.OpPut, units.OpQuery, units.OpGet, units.OpUpdate}
	for i := range 2000 {
		start := sim.Time(i) * 2 * ms
		table := 0
		if i%3 == 0 {
			table = 1
		}
		op := ops[i%len(ops)]
		// Service time: 1.2-4.7 ms in a fixed pattern, every 97th request
		// 180 ms more and one request 6.1 s, for a tail worth reading.
		service := 1200*sim.Microsecond + sim.Time(i*7919%3500)*sim.Microsecond
		if i%97 == 0 {
			service += 180 * ms
		}
		if i == 1234 {
			service = 6100 * ms
		}
		read, write := units.Units(500), units.Units(0) // an eventual get of 4 KB
		switch op {
		case units.OpPut, units.OpUpdate:
			read, write = 0, units.WholeUnits(2)
		case units.OpQuery:
			read = units.WholeUnits(3)
		}
		reason := model.TableReadKeyRangeThroughputExceeded
		if op.IsWrite() {
			reason = model.TableWriteKeyRangeThroughputExceeded
		}
		if table == 0 && i%500 == 499 {
			reason = model.TableReadProvisionedThroughputExceeded
		}

		o := model.Outcome{Table: table, Op: op, Start: start, Attempts: 1}
		t := start
		switch {
		case i%40 == 7: // throttled on all 3 attempts: the client gives up
			for a := range 3 {
				at(t+ms, func() { c.Throttle(t+ms, &model.ThrottleEvent{Table: table, Op: op, Reason: reason}) })
				t += ms
				if a < 2 {
					at(t, func() { c.Retry(t, table, op) })
					t += 25 * ms << a // backoff
				}
			}
			o.Result, o.Attempts, o.Reason = model.Throttled, 3, reason
		case i%13 == 5: // one throttled attempt, then served
			at(t+ms, func() { c.Throttle(t+ms, &model.ThrottleEvent{Table: table, Op: op, Reason: reason}) })
			at(t+ms, func() { c.Retry(t+ms, table, op) })
			t += 26 * ms
			at(t+service, func() { c.Consumed(t+service, table, 0, read, write) })
			t += service
			o.Result, o.Attempts = model.Succeeded, 2
		case i%250 == 100: // client timeout
			t += 1000 * ms
			o.Result = model.Failed
		default:
			at(t+service, func() { c.Consumed(t+service, table, 0, read, write) })
			t += service
			o.Result = model.Succeeded
		}
		o.End = t
		at(t, func() { c.Finish(o) })
	}
	sort.SliceStable(calls, func(i, j int) bool { return calls[i].at < calls[j].at })
	for _, cl := range calls {
		cl.do()
	}

	r := c.Result(Meta{Scenario: "synthetic", Seed: 7, Duration: 5 * sim.Second, Complete: true})
	Evaluate(r, syntheticThresholds)
	return r
}

func TestGoldenJSON(t *testing.T) {
	var b bytes.Buffer
	if err := WriteJSON(&b, syntheticRun()); err != nil {
		t.Fatal(err)
	}
	golden(t, "result.json.golden", b.Bytes())
}

func TestGoldenSummary(t *testing.T) {
	var b bytes.Buffer
	if err := WriteSummary(&b, syntheticRun()); err != nil {
		t.Fatal(err)
	}
	golden(t, "summary.golden", b.Bytes())
	for i, line := range bytes.Split(b.Bytes(), []byte{'\n'}) {
		if bytes.HasSuffix(line, []byte{' '}) || bytes.Contains(line, []byte{'\t'}) {
			t.Errorf("summary line %d has trailing space or a tab: %q", i+1, line)
		}
	}
}

// TestDeterminism: the same calls give the same bytes (encoding/json sorts
// map keys; nothing else may depend on map order).
func TestDeterminism(t *testing.T) {
	out := func() []byte {
		var b bytes.Buffer
		r := syntheticRun()
		if err := WriteJSON(&b, r); err != nil {
			t.Fatal(err)
		}
		if err := WriteSummary(&b, r); err != nil {
			t.Fatal(err)
		}
		return b.Bytes()
	}
	first := out()
	for range 3 {
		if !bytes.Equal(first, out()) {
			t.Fatal("two runs of the same calls wrote different bytes")
		}
	}
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the output (go test -update rewrites it)\n--- got:\n%s\n--- want:\n%s", path, got, want)
	}
}
