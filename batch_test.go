package ddbsim

import (
	"strings"
	"testing"
	"time"

	"github.com/ddbsim/ddbsim/scenarios"
)

// doc builds a small valid document; table or workload, when not empty,
// replace the default flow mapping, and extra is appended at the top level.
// The table is at line 5, column 5; the workload at line 7, column 5.
func doc(table, workload, extra string) string {
	if table == "" {
		table = "{name: t, partition_key: id, mode: on-demand, items: {count: 1k}}"
	}
	if workload == "" {
		workload = "{name: w, table: t, rate: 10/s}"
	}
	return "version: 1\nname: test\nduration: 1h\ntables:\n  - " + table +
		"\nworkloads:\n  - " + workload + "\n" + extra
}

func mustLoad(t *testing.T, file string) *scenarios.Scenario {
	t.Helper()
	s, err := scenarios.Load(file)
	if err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	return s
}

// A scenario with batch_get and batch_write passes Check and runs end to
// end: every request that arrives ends once, results add up, and every
// attempt beyond a request's first is a recorded retry. A batch size the
// parser would refuse, set in code, is refused by Check.
func TestBatchScenarioRuns(t *testing.T) {
	sc := mustLoad(t, "scenarios/testdata/valid/batch.yaml")
	if err := scenarios.Check(sc); err != nil {
		t.Fatal(err)
	}
	if got := []int64{sc.Workloads[0].BatchSize, sc.Workloads[1].BatchSize, sc.Workloads[2].BatchSize}; got[0] != 25 || got[1] != 50 || got[2] != 25 {
		t.Errorf("batch sizes %v, want 25 50 25", got)
	}
	sc.Duration = time.Minute
	var rec tally
	s, err := build(sc, 1, &rec)
	if err != nil {
		t.Fatal(err)
	}
	s.run()
	var arrived int64
	for _, src := range s.Sources {
		arrived += src.Arrived()
	}
	switch {
	case arrived == 0 || rec.finished != arrived:
		t.Errorf("%d arrived, %d finished", arrived, rec.finished)
	case rec.succeeded+rec.throttled+rec.failed != rec.finished:
		t.Errorf("%d+%d+%d != %d", rec.succeeded, rec.throttled, rec.failed, rec.finished)
	case rec.attempts != rec.finished+rec.retries:
		t.Errorf("%d attempts for %d requests and %d retries", rec.attempts, rec.finished, rec.retries)
	case s.Kernel.Pending() != 0 || rec.outOfOrder:
		t.Errorf("%d events left, out of order %v", s.Kernel.Pending(), rec.outOfOrder)
	}

	sc.Workloads[2].BatchSize = 26
	if err := scenarios.Check(sc); err == nil || !strings.Contains(err.Error(), "batch_size 26; batch_write takes 1 to 25 items") {
		t.Errorf("Check of batch_size 26 with batch_write: %v", err)
	}
}
