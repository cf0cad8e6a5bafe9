package store

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

// Change is one applied item write, as plain values. The key is the
// caller's buffer: whoever keeps it must copy it.
type Change struct {
	Key    []byte
	SK     int64 // sort-key index
	PKHash uint64
	Kind   ChangeKind
	// OldSize and NewSize are the item's size before and after (0 when it
	// did not exist, or no longer does).
	OldSize, NewSize int
	// Ver is the item's write version after the change (0 for a removal).
	Ver uint16
	// At is when the write was made in the replica where it was made, the
	// time last-writer-wins compares.
	At sim.Time
	// Service marks a deletion by the service itself (TTL), which the
	// stream shows with userIdentity dynamodb.amazonaws.com.
	Service bool
	// Replicated marks a write that came from another region.
	Replicated bool
}
