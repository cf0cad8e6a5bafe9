package model

import (
	"github.com/ddbsim/ddbsim/model/store"
	"github.com/ddbsim/ddbsim/sim"
)

// Changes as counts: what the aggregate driver's admitted writes leave in
// a table's stream. A driver that admits counts (AdmitCounts) knows how
// many writes each partition applied over a tick, not which items; it
// hands the service the count of changes of one kind on one partition,
// with a change that stands for them (the mean item sizes, a key of the
// workload's length), and the stream logs them as that many records in
// the partition's open shard (stream.Log.AppendN), as the per-request path
// logs each applied write (Service.changed). The consumers read them on
// their own scheduled events under either driver.

// HasStream reports whether table has a stream, whose records a driver
// of counts must hand to ChangeCounts.
func (s *Service) HasStream(table int) bool { return s.tables[table].stream != nil }

// ChangeCounts logs n applied changes like c to the stream of table, on
// partition part of its current layout (index as the Placement has it),
// at now. A table without a stream takes nothing. c.PKHash is not read.
func (s *Service) ChangeCounts(now sim.Time, table, part int, n int64, c *store.Change) {
	t := s.tables[table]
	if t.stream == nil || n <= 0 {
		return
	}
	t.stream.AppendN(now, part, n, c)
}
