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
