package model

import (
	"github.com/ddbsim/ddbsim/model/store"
	"github.com/ddbsim/ddbsim/model/ttl"
	"github.com/ddbsim/ddbsim/sim"
)

// TTL as counts: a driver that admits counts (AdmitCounts) does not tell
// the table which items it wrote, so the table's sweeper, which follows
// items, cannot know when they expire. The driver takes the deletions
// over (CountTTL): it follows the items' pending deletions in expectation
// (ttl.Expiries), and hands the service the deletions due each tick
// (TTLDeleteCounts), which the stream logs as the per-request path logs
// each of the sweeper's (Service.ttlDelete): a removal by the service,
// free of write units.

// CountTTL hands table's TTL to a driver of counts, ticking tick: it
// stops the table's sweeper and returns the pending deletions as counts,
// with its loaded items in none of the groups yet, and the end of the
// run. It returns nil for a table without TTL.
func (s *Service) CountTTL(table int, tick sim.Time) (*ttl.Expiries, sim.Time) {
	t := s.tables[table]
	if t.ttl == nil {
		return nil, 0
	}
	until := t.ttl.Stop()
	return ttl.NewExpiries(*t.cfg.TTL, s.params.TTLDeleteWithin, tick, until), until
}

// TTLDeleteCounts logs n deletions by table's TTL of items like c (its
// key and old size) on partition part of its current layout, at now: in
// the stream, as the service's own removals. They cost nothing. The
// items stay in the table's store, whose bytes a driver of counts does
// not follow.
func (s *Service) TTLDeleteCounts(now sim.Time, table, part int, n int64, c *store.Change) {
	d := *c
	d.Kind, d.NewSize, d.Service = store.ChangeRemove, 0, true
	s.ChangeCounts(now, table, part, n, &d)
}
