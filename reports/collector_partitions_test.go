package reports_test

import (
	"testing"

	"github.com/ddbsim/ddbsim/model"
	"github.com/ddbsim/ddbsim/model/units"
	"github.com/ddbsim/ddbsim/reports"
	"github.com/ddbsim/ddbsim/sim"
)

// TestPartitionSeriesBudget records an hour of a table of 10,000
// partitions that splits to 10,500 half way, as the aggregate driver
// does (consumption each second on every partition, a sample at each
// second's end), and checks that its partition series stay within
// PartitionSeriesBudget, that coarsening them kept every unit and
// throttle (their sum is the table's), and that a point's burst is the
// last sample in it.
func TestPartitionSeriesBudget(t *testing.T) {
	const parts, secs = 10_000, 3600
	for _, reserve := range []bool{true, false} {
		c := reports.NewCollector([]reports.TableInfo{{Name: "t", Partitions: parts}})
		if reserve {
			c.Reserve(secs * sim.Second)
		}
		st := &model.TableState{Partitions: parts, Parts: make([]model.PartitionState, parts, parts+500)}
		var read, write units.Units
		var throttles int64
		for s := range secs {
			now := sim.Time(s) * sim.Second
			if s == secs/2 { // splits: partitions appear during the run
				st.Parts = st.Parts[:parts+500]
				st.Partitions = len(st.Parts)
			}
			for p := range st.Parts {
				r, w := units.Units(p%7+s%5), units.Units(p%3)
				c.Consumed(now, 0, p, r, w)
				read, write = read+r, write+w
				if (p+s)%97 == 0 {
					c.ThrottleN(now, &model.ThrottleEvent{Table: 0, Partition: p, Reason: model.TableReadKeyRangeThroughputExceeded}, 2)
					throttles += 2
				}
				st.Parts[p] = model.PartitionState{ReadBurst: units.Units(s), WriteBurst: units.Units(p)}
			}
			c.Sample(now+sim.Second, 0, st)
		}
		ts := &c.Series().Tables[0]
		k := ts.PartitionStride(sim.Second)
		points := len(ts.PartitionRead[0])
		if got := len(ts.PartitionRead) * points * reports.BytesPerPartitionPoint; got > reports.PartitionSeriesBudget {
			t.Errorf("reserve %v: %d partitions x %d points: %d B, over the budget of %d B", reserve, len(ts.PartitionRead), points, got, reports.PartitionSeriesBudget)
		}
		if k <= 1 || points != (secs+k-1)/k || ts.PartitionStep != sim.Time(k)*sim.Second {
			t.Errorf("reserve %v: stride %d, step %v, %d points for %d s", reserve, k, ts.PartitionStep, points, secs)
		}
		var gotRead, gotWrite units.Units
		var gotThrottles int64
		for p := range ts.PartitionRead {
			for i := range ts.PartitionRead[p] {
				gotRead += ts.PartitionRead[p][i]
				gotWrite += ts.PartitionWrite[p][i]
				gotThrottles += ts.PartitionThrottles[p][i]
			}
		}
		if gotRead != read || gotWrite != write || gotThrottles != throttles {
			t.Errorf("reserve %v: partition series sum to %v read, %v write, %d throttles; the table had %v, %v, %d",
				reserve, gotRead, gotWrite, gotThrottles, read, write, throttles)
		}
		for i := range points {
			last := min((i+1)*k, secs) - 1 // the point's last second, whose sample it keeps
			if got := ts.PartitionReadBurst[3][i]; got != units.Units(last) {
				t.Fatalf("reserve %v: point %d's read burst %v, want the sample of second %d", reserve, i, got, last)
			}
		}
	}
}

// TestPartitionSeriesUnbound checks that a table of a few partitions
// keeps a point a series index: the budget does not bind on a day of
// seconds over 16 partitions.
func TestPartitionSeriesUnbound(t *testing.T) {
	c := reports.NewCollector([]reports.TableInfo{{Name: "t", Partitions: 16}})
	c.Reserve(sim.Day)
	c.Consumed(sim.Hour, 0, 15, 1, 0)
	ts := &c.Series().Tables[0]
	if k := ts.PartitionStride(sim.Second); k != 1 || len(ts.PartitionRead) != 16 || len(ts.PartitionRead[15]) != 3601 || ts.PartitionRead[15][3600] != 1 {
		t.Errorf("stride %d, %d partitions of %d points", k, len(ts.PartitionRead), len(ts.PartitionRead[15]))
	}
}
