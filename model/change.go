package model

import (
	"github.com/ddbsim/ddbsim/model/store"
	"github.com/ddbsim/ddbsim/sim"
)

// change is one applied item write and the table it was applied to.
type change struct {
	store.Change
	t *Table
}

// applied is called after every item write the service applies, in the
// order it applies them: the stream records it, a global table sends it
// to the other replicas, TTL notes when the item expires.
func (s *Service) applied(now sim.Time, c *change) {
	t := c.t
	if t.stream != nil {
		t.stream.Append(now, &c.Change)
	}
	if t.global != nil && !c.Replicated {
		s.replicate(now, c)
	}
	if t.ttl != nil {
		t.ttl.NoteWrite(now, &c.Change)
	}
}

// wrote notes a write to the collection under pkHash of a table the
// cluster serves, through DAX or not, for the staleness of cached query
// results. Only tables with a cluster keep this, one entry per collection
// written.
func (t *Table) wrote(pkHash uint64) {
	if c := t.dax; c != nil {
		c.written[collectionKey(t.index, pkHash)] = t.store.Writes()
	}
}
