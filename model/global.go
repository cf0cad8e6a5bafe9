package model

import "github.com/ddbsim/ddbsim/sim"

// Global tables (REFERENCE: global): a replica of a table in each of
// several regions, all writable, each write replicated to the others
// asynchronously, concurrent writes to one item resolved last writer
// wins.

// globalTable is the replicas of one global table.
type globalTable struct {
	replicas []*Table
}

// Fault is a region outage: from At for Outage, the region serves nothing
// (a scenario's fault injection).
type Fault struct {
	Region     string
	At, Outage sim.Time
}

// AddFault schedules a region outage.
func (s *Service) AddFault(f Fault) { s.faults = append(s.faults, f) }

// Faults returns the scheduled outages.
func (s *Service) Faults() []Fault { return s.faults }

// Available reports whether table i's region is up at the given time.
func (s *Service) Available(i int, at sim.Time) bool {
	region := s.tables[i].cfg.Region
	for _, f := range s.faults {
		if f.Region == region && at >= f.At && at < f.At+f.Outage {
			return false
		}
	}
	return true
}

// TableIn returns the index of the named table's replica in region, or of
// the table itself when region is "" or its home region.
func (s *Service) TableIn(name, region string) (int, bool) {
	for i, t := range s.tables {
		home := t
		if t.global != nil {
			home = t.global.replicas[0]
		}
		if home.cfg.Name != name {
			continue
		}
		if region == "" && t == home || t.cfg.Region == region {
			return i, true
		}
	}
	return 0, false
}

// Region is the table's region ("" when the scenario's).
func (t *Table) Region() string { return t.cfg.Region }

// ReplicaOf returns, for a replica of a global table in a region other
// than its home, the home table's index; ok is false otherwise.
func (t *Table) ReplicaOf() (home int, ok bool) {
	if t.global == nil || t.global.replicas[0] == t {
		return -1, false
	}
	return t.global.replicas[0].index, true
}
