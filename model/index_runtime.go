package model

import (
	"fmt"
	"slices"

	"github.com/ddbsim/ddbsim/sim"
)

// Global secondary indexes created and deleted while the service runs,
// as UpdateTable's GlobalSecondaryIndexUpdates do (ddbsim serve). A new
// index is a table of its own, appended after every other, filled at once
// with the entries of the items its table holds: the service backfills it
// over minutes, at a rate it does not publish, and the caller says how
// long the index stays CREATING. A deleted index keeps its place, so that
// the tables after it keep theirs, but no write reaches it and it is no
// longer billed.

// AddGlobalIndex gives table a global secondary index at now and returns
// its table's place in Tables(). Its capacity is ic's on a provisioned
// table; it follows an on-demand table's mode.
func (s *Service) AddGlobalIndex(now sim.Time, table int, ic IndexConfig) (int, error) {
	if table < 0 || table >= len(s.tables) {
		return 0, fmt.Errorf("model: no table %d", table)
	}
	t := s.tables[table]
	if ic.Local || t.base != nil {
		return 0, fmt.Errorf("model: table %s: only a table's global index can be added while it runs", t.cfg.Name)
	}
	for _, x := range t.cfg.Indexes {
		if x.Name == ic.Name && !x.Dropped {
			return 0, fmt.Errorf("model: table %s already has an index %s", t.cfg.Name, ic.Name)
		}
	}
	before := t.cfg.Indexes
	t.cfg.Indexes = append(slices.Clone(before), ic)
	if err := t.checkIndexes(); err != nil {
		t.cfg.Indexes = before
		return 0, err
	}
	i := len(t.cfg.Indexes) - 1
	x := newIndexTable(len(s.tables), t, i, &s.params)
	x.cfg.Mode = t.cfg.Mode
	t.indexes = append(t.indexes, x)
	s.tables = append(s.tables, x)
	return x.index, nil
}

// DropGlobalIndex deletes table's global secondary index named name at
// now: writes no longer reach it, and its table is no longer metered.
func (s *Service) DropGlobalIndex(now sim.Time, table int, name string) error {
	if table < 0 || table >= len(s.tables) {
		return fmt.Errorf("model: no table %d", table)
	}
	t := s.tables[table]
	for i := range t.cfg.Indexes {
		ic := &t.cfg.Indexes[i]
		if ic.Name == name && !ic.Local && !ic.Dropped {
			ic.Dropped = true
			t.indexes[i].dropped = true
			return nil
		}
	}
	return fmt.Errorf("model: table %s has no global index %s", t.cfg.Name, name)
}

// Dropped reports whether the table is a global index deleted while the
// service ran (DropGlobalIndex).
func (t *Table) Dropped() bool { return t.dropped }
