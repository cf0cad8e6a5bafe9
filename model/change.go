package model

import "github.com/ddbsim/ddbsim/sim"

// Item changes (REFERENCE: streams, global, ttl). Every write the service
// applies to an item, whoever made it (a client, replication from another
// region, a TTL deletion), is one change: the table's stream logs it, a
// global table replicates it, and TTL schedules the item's expiry from it.

// ChangeKind is what a change did to its item, as a stream record's
// eventName says it.
type ChangeKind uint8

const (
	// ChangeInsert: the item did not exist.
	ChangeInsert ChangeKind = iota + 1
	// ChangeModify: the item existed and was replaced or updated.
	ChangeModify
	// ChangeRemove: the item was deleted.
	ChangeRemove
)

var changeNames = [...]string{"", "INSERT", "MODIFY", "REMOVE"}

func (k ChangeKind) String() string {
	if int(k) < len(changeNames) {
		return changeNames[k]
	}
	return "change(?)"
}

// change is one applied item write. The key is the caller's buffer:
// whoever keeps it must copy it.
type change struct {
	t      *Table
	key    []byte
	sk     int64
	pkHash uint64
	kind   ChangeKind
	// oldSize and newSize are the item's size before and after (0 when
	// it did not exist, or no longer does).
	oldSize, newSize int
	// ver is the item's write version after the change (0 for a
	// removal).
	ver uint16
	// origin is the replica (its table) where the write was made; at is
	// when it was made there, the time last-writer-wins compares.
	origin *Table
	at     sim.Time
	// service marks a deletion by the service itself (TTL), which the
	// stream shows with userIdentity dynamodb.amazonaws.com.
	service bool
	// replicated marks a write that came from another region.
	replicated bool
}

// applied is called after every item write the service applies, in the
// order it applies them: the stream records it, a global table sends it
// to the other replicas, TTL notes when the item expires.
func (s *Service) applied(now sim.Time, c *change) {
	t := c.t
	if t.stream != nil {
		t.stream.append(now, c)
	}
	if t.global != nil && !c.replicated {
		s.replicate(now, c)
	}
	if t.ttl != nil {
		t.ttl.noteWrite(now, c)
	}
}
