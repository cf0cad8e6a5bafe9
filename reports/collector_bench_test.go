package reports_test

import (
	"fmt"
	"testing"

	"github.com/ddbsim/ddbsim/model"
	"github.com/ddbsim/ddbsim/model/units"
	"github.com/ddbsim/ddbsim/reports"
	"github.com/ddbsim/ddbsim/sim"
)

// BenchmarkPartitionTick is what the aggregate driver asks of the
// collector each second of a table of 64 or 10,000 partitions: a
// Consumed for every partition, then the table's Sample. One op is a
// simulated second of an hour's run, from its start.
func BenchmarkPartitionTick(b *testing.B) {
	for _, parts := range []int{64, 10_000} {
		b.Run(fmt.Sprintf("partitions=%d", parts), func(b *testing.B) {
			const secs = 3600
			st := &model.TableState{Partitions: parts, Parts: make([]model.PartitionState, parts)}
			var c *reports.Collector
			b.ReportAllocs()
			for i := range b.N {
				s := i % secs
				if s == 0 {
					b.StopTimer()
					c = reports.NewCollector([]reports.TableInfo{{Name: "t", Partitions: parts}})
					c.Reserve(secs * sim.Second)
					b.StartTimer()
				}
				now := sim.Time(s) * sim.Second
				for p := range parts {
					c.Consumed(now, 0, p, units.Units(p), 1)
				}
				c.Sample(now+sim.Second, 0, st)
			}
		})
	}
}

// BenchmarkFinish is the collector's share of the request path: one
// request's final outcome a call, two workloads on two tables, reads and
// writes alike, a thousand a simulated second. One op is one Finish.
func BenchmarkFinish(b *testing.B) {
	const perSecond = 1000
	c := reports.NewCollector([]reports.TableInfo{{Name: "a"}, {Name: "b"}})
	c.SetWorkloads([]reports.WorkloadInfo{{Name: "r", Table: "a"}, {Name: "w", Table: "b"}})
	c.SkipIntervals()
	c.Reserve(sim.Hour)
	ops := [...]units.Op{units.OpGet, units.OpPut, units.OpQuery, units.OpGet}
	b.ReportAllocs()
	for i := range b.N {
		end := sim.Time(i%(3600*perSecond)) * (sim.Second / perSecond)
		lat := sim.Time(2+i%7)*sim.Millisecond + sim.Time(i%997)*sim.Microsecond
		c.Finish(model.Outcome{
			Table: i & 1, Workload: i & 1, Op: ops[i&3], Result: model.Succeeded,
			Start: max(end-lat, 0), End: end, Attempts: 1,
		})
		if end == 3600*sim.Second-sim.Second/perSecond {
			b.StopTimer()
			c = reports.NewCollector([]reports.TableInfo{{Name: "a"}, {Name: "b"}})
			c.SetWorkloads([]reports.WorkloadInfo{{Name: "r", Table: "a"}, {Name: "w", Table: "b"}})
			c.SkipIntervals()
			c.Reserve(sim.Hour)
			b.StartTimer()
		}
	}
}
