package model

// Global tables (REFERENCE: global): a replica of a table in each of
// several regions, all writable, each write replicated to the others
// asynchronously, concurrent writes to one item resolved last writer
// wins.

// globalTable is the replicas of one global table.
type globalTable struct {
	replicas []*Table
}
