package server

import (
	"container/heap"
	"hash/fnv"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/ddbsim/ddbsim/model"
	"github.com/ddbsim/ddbsim/model/store"
	"github.com/ddbsim/ddbsim/sim"
)

// Time to live on real items (REFERENCE: ttl). When a table's TTL is
// enabled (UpdateTimeToLive, or a scenario table's ttl), an item whose
// TTL attribute is a Number of epoch seconds in the past is deleted by
// the service: not at once but after a wait drawn uniformly within the
// model's TTLDeleteWithin (48 h unless the scenario's service section
// says otherwise), as model/ttl waits; free of write units; with a REMOVE
// stream record by the service (items.Table.Expire). Until then the item
// is read, queried and scanned as any other. An item whose TTL is not a
// Number, or lies more than five years in the past, is never deleted.
//
// Each table keeps a min-heap of its items' deletion times, one entry
// per item (a write moves its entry, a deletion takes it out). The loop
// sweeps every ttlSweepEvery of virtual time, deleting at most
// maxExpiriesPerSweep items a sweep; the rest wait for the next one.
// Enabling TTL, or naming another attribute, rebuilds a table's heap
// from its items, scanning rebuildPages pages of 1 MB a sweep so that a
// large table does not stall the loop; writes meanwhile are noted as
// they come.
//
// The wait is drawn from a hash of the table, the key and the TTL value,
// not from a generator, so that it depends on no other table's or item's
// history. A scenario table with a ttl also keeps the model's own TTL,
// which expires the model's likeness of each item its ExpireAfter after
// its last write, whatever the real attribute says: the real item stays
// until its own expiry, and its deletion then finds the likeness gone.

const (
	ttlSweepEvery       = sim.Second
	maxExpiriesPerSweep = 1000
	rebuildPages        = 4
	// ttlIgnoredAge: a TTL further in the past than this is not an
	// expiry the service acts on.
	ttlIgnoredAge = 5 * 365 * 24 * sim.Hour
)

// ttlSweep is the loop's state of the TTL deletions.
type ttlSweep struct {
	next sim.Time // the next sweep's virtual time
}

// expiryQueue is one table's items awaiting deletion.
type expiryQueue struct {
	attr    string
	within  sim.Time
	entries []expiry
	pos     map[string]int // an item's entry, by itemID
	// scanning is set while the heap is being built from the items;
	// from is where the scan goes on (nil: the start).
	scanning bool
	from     *store.Key
}

// expiry is one item's deletion to come.
type expiry struct {
	due sim.Time // virtual, the session's clock
	key store.Key
	id  string
	ttl string // the TTL attribute's Number text it was noted with
}

func (q *expiryQueue) Len() int           { return len(q.entries) }
func (q *expiryQueue) Less(i, j int) bool { return q.entries[i].due < q.entries[j].due }
func (q *expiryQueue) Swap(i, j int) {
	q.entries[i], q.entries[j] = q.entries[j], q.entries[i]
	q.pos[q.entries[i].id] = i
	q.pos[q.entries[j].id] = j
}
func (q *expiryQueue) Push(x any) {
	e := x.(expiry)
	q.pos[e.id] = len(q.entries)
	q.entries = append(q.entries, e)
}
func (q *expiryQueue) Pop() any {
	e := q.entries[len(q.entries)-1]
	q.entries = q.entries[:len(q.entries)-1]
	delete(q.pos, e.id)
	return e
}

// itemID names an item among a table's: its keys' text, the partition
// key's length first.
func itemID(k store.Key) string {
	p := k.PK.Text()
	return strconv.Itoa(len(p)) + ":" + p + k.SK.Text()
}

// ttlWithin is how long after expiry t's items may wait for deletion:
// the model's TTLDeleteWithin, as the scenario's service section sets it
// for its tables.
func (s *Server) ttlWithin(t *table) sim.Time {
	if t.sess == s.scenario && s.cfg.Scenario != nil {
		if d := s.cfg.Scenario.Service.TTLDeleteWithin; d != nil {
			return sim.FromDuration(*d)
		}
	}
	return model.DefaultParams().TTLDeleteWithin
}

// dueOf is when the item it, written at now, is to be deleted, and the
// TTL text that decides it; false when it has no TTL the service acts on.
func (s *Server) dueOf(t *table, q *expiryQueue, k store.Key, it store.Item, now sim.Time) (sim.Time, string, bool) {
	v, ok := it.Get(q.attr)
	if !ok || v.Kind() != store.KindNumber {
		return 0, "", false
	}
	secs, err := strconv.ParseFloat(v.Text(), 64)
	if err != nil || math.IsInf(secs, 0) {
		return 0, "", false
	}
	// The expiry in the session's virtual time: 0 is s.start.
	at := (secs - float64(s.start.UnixNano())/1e9) * 1e9
	if at > float64(s.horizon) {
		return 0, "", false // not due before the session ends
	}
	if float64(now)-at > float64(ttlIgnoredAge) {
		return 0, "", false
	}
	expires := sim.Time(at)
	h := fnv.New64a()
	h.Write([]byte(t.name + "\x00" + itemID(k) + "\x00" + v.Text()))
	u := float64(h.Sum64()>>11) / (1 << 53)
	return max(expires, now) + sim.Time(u*float64(q.within)), v.Text(), true
}

// noteExpiry notes a change of t's item it (gone: deleted) at the
// loop's clock.
func (s *Server) noteExpiry(t *table, it store.Item, gone bool) {
	q := t.expiry
	if t.ttl == nil || q == nil || q.attr != t.ttl.AttributeName {
		return // the next sweep (re)builds the heap from the items
	}
	k, err := keyOfItem(it, t.data.schema)
	if err != nil {
		return
	}
	id := itemID(k)
	i, had := q.pos[id]
	due, ttl, ok := sim.Time(0), "", false
	if !gone {
		due, ttl, ok = s.dueOf(t, q, k, it, s.clock)
	}
	switch {
	case ok && had:
		q.entries[i].due, q.entries[i].ttl = due, ttl
		heap.Fix(q, i)
	case ok:
		heap.Push(q, expiry{due: due, key: k, id: id, ttl: ttl})
	case had:
		heap.Remove(q, i)
	}
}

func keyOfItem(it store.Item, schema store.KeySchema) (store.Key, error) {
	var k store.Key
	var ok bool
	if k.PK, ok = it.Get(schema.PartitionKey); !ok {
		return k, store.ErrMissingKey
	}
	if schema.SortKey != "" {
		if k.SK, ok = it.Get(schema.SortKey); !ok {
			return k, store.ErrMissingKey
		}
	}
	return k, nil
}

// scan goes on building t's heap from its items: rebuildPages pages.
func (s *Server) scan(t *table) {
	q := t.expiry
	for range rebuildPages {
		page := t.data.items.Items().Scan(store.ScanOptions{ExclusiveStart: q.from})
		for _, it := range page.Items {
			s.noteExpiry(t, it, false)
		}
		if q.from = page.LastKey; q.from == nil {
			q.scanning = false
			return
		}
	}
}

// sweepExpired deletes the items due for deletion, every ttlSweepEvery
// of the loop's clock. It runs on the loop, after the simulations have
// advanced.
func (s *Server) sweepExpired() {
	if s.clock < s.ttl.next {
		return
	}
	s.ttl.next = s.clock + ttlSweepEvery
	var due []*table
	for _, t := range s.tables {
		switch {
		case t.ttl == nil || !t.ttl.Enabled || t.data == nil:
			t.expiry = nil
		case t.expiry == nil || t.expiry.attr != t.ttl.AttributeName:
			t.expiry = &expiryQueue{attr: t.ttl.AttributeName, within: s.ttlWithin(t), pos: map[string]int{}, scanning: true}
			fallthrough
		default:
			if t.expiry.scanning {
				s.scan(t)
			}
			if t.expiry.Len() > 0 && t.expiry.entries[0].due <= s.clock {
				due = append(due, t)
			}
		}
	}
	// Tables in name order, so that the work bound falls the same way
	// in identical sessions.
	slices.SortFunc(due, func(a, b *table) int { return strings.Compare(a.name, b.name) })
	budget := maxExpiriesPerSweep
	for _, t := range due {
		q := t.expiry
		for budget > 0 && q.Len() > 0 && q.entries[0].due <= s.clock {
			e := heap.Pop(q).(expiry)
			it, found := t.data.items.Items().GetItem(e.key.PK, e.key.SK)
			if v, ok := it.Get(q.attr); !found || !ok || v.Text() != e.ttl {
				continue // written since without a new entry: a bug, but harmless
			}
			t.data.items.Expire(s.clock-t.sess.offset, e.key.PK, e.key.SK)
			budget--
		}
	}
}
