package model

import "github.com/ddbsim/ddbsim/sim"

// What a control plane asks of a running table: an UpdateTable call and
// the state DescribeTable reports.

// UpdateTable asks, at now, for table's capacity change or mode switch as
// an UpdateTable call would (REFERENCE: provisioned, ondemand): it takes
// effect after the update delay, unless it raises capacity within the
// table's warm throughput; a decrease beyond the daily quota or a fifth
// switch to on-demand in 24 hours is refused. It reports whether the
// request was accepted. The service must have been started.
func (s *Service) UpdateTable(now sim.Time, table int, c CapacityChange) bool {
	return s.tables[table].request(now, c, "api", s.rec, s.sched)
}

// Updating reports whether an accepted capacity change has not yet taken
// effect: the table is UPDATING.
func (t *Table) Updating() bool { return t.pending != nil }

// DecreasesToday counts the capacity decreases made on the UTC day of now
// (virtual time 0 is midnight).
func (t *Table) DecreasesToday(now sim.Time) int { return t.decrease.Today(now) }

// WarmThroughput is the read and write units per second the table serves
// at once (REFERENCE: ondemand): what DescribeTable's WarmThroughput says.
func (t *Table) WarmThroughput() (read, write int64) { return t.warmRead, t.warmWrite }
