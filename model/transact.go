package model

import (
	"fmt"

	"github.com/ddbsim/ddbsim/model/store"
	"github.com/ddbsim/ddbsim/model/units"
	"github.com/ddbsim/ddbsim/sim"
)

// Transactions: TransactGetItems (OpTransactGet) and TransactWriteItems
// (OpTransactWrite). A transaction is all or nothing: every item is priced
// at the transactional rate, twice a plain read or write (REFERENCE:
// units, "each item costs the transactional rate"), and the transaction
// is admitted only if every partition it touches can serve its share of
// it; otherwise it is cancelled whole, as the service cancels a
// transaction one of whose items is throttled.
//
// Conflicts (DynamoDB's TransactionConflict): an admitted transact_write
// holds its items while it is in progress, from its admission until its
// service time has passed. A transaction (read or write) that touches an
// item held by another one is cancelled with ErrTransactionConflict, and
// so is a plain put, update or delete of a held item (serve asks
// txLocked). A plain read is not: it reads the last committed version.
// A transact_get holds nothing (an approximation: in the service a write
// transaction can also conflict with a read transaction in progress).

// MaxTransactItems is the most items one transaction may hold
// (REFERENCE: units, "Transactions: <=100 items, <=4 MB").
const MaxTransactItems = 100

// MaxTransactBytes is the most bytes the items one transact_write puts
// may add up to (REFERENCE: units, "<=4 MB").
const MaxTransactBytes = 4 << 20

// txGroup is a transaction's load on one partition.
type txGroup struct {
	pi          int
	read, write units.Units
}

// handleTransact serves one attempt of a transact_get or transact_write,
// whose items are req.Items. It is cancelled whole when a partition
// cannot take its share (a throttle), or else when one of its items is
// held by another transaction in progress (ErrTransactionConflict). A
// transaction both throttled and in conflict is reported throttled: the
// capacity check comes first, as the service may report either.
//
// A cancelled transaction applies nothing and consumes nothing. For a
// conflict the reference says nothing of the charge; ddbsim charges
// nothing, as for a throttle, so that conflicts show in the error count
// and latency but not in the bill.
func (s *Service) handleTransact(now sim.Time, req *Request) Response {
	resp, _ := s.transact(now, req, false)
	return resp
}

// TransactionFits reports whether the transact_get or transact_write req
// would be admitted at now, throttle and conflict alike, without
// admitting, charging or recording anything. A transaction over several
// tables asks each table first, so that a throttle on one cancels it
// before another's part is applied; nothing happens between the question
// and the answer, so the answer holds.
func (s *Service) TransactionFits(now sim.Time, req *Request) bool {
	_, ok := s.transact(now, req, true)
	return ok
}

// transact is handleTransact, or, when dry, only its verdict.
func (s *Service) transact(now sim.Time, req *Request, dry bool) (Response, bool) {
	items := req.Items
	if n := len(items); n == 0 || n > MaxTransactItems {
		panic(fmt.Sprintf("model: %v of %d items; it takes 1 to %d", req.Op, n, MaxTransactItems))
	}
	t := s.tables[req.Table]
	st := t.store
	write := req.Op == units.OpTransactWrite
	if write {
		total := 0
		for i := range items {
			total += items[i].Size
		}
		if total > MaxTransactBytes {
			panic(fmt.Sprintf("model: %v of %d bytes; it takes at most %d", req.Op, total, MaxTransactBytes))
		}
	}
	groups := s.tx[:0]
	s.txIndex.reset()
	var readBytes int
	for i := range items {
		it := &items[i]
		hash := store.HashKey(it.Key)
		var cost units.Units
		if write {
			old, _, keyGen, existed := st.ItemVersionHashed(it.Key, hash, it.SortIndex)
			size := it.Size
			switch {
			case it.Delete || it.Check:
				size = old // the item there, or the minimum
			case existed:
				size = max(size, old) // the larger of old and new, as a put
			}
			cost = units.WriteUnits(size, units.Transactional)
			it.keyGenChanged = false
			if len(t.cfg.Indexes) > 0 && !it.Check && (existed || !it.Delete) {
				// Index writes are plain writes, not transactional ones.
				var p *indexPlan
				if it.Given {
					p = s.givenPlan(t, it.IndexWrites)
				} else {
					p = s.planIndexes(t, hash, it.SortIndex, old, existed, keyGen, it.Size, it.Delete)
				}
				cost += p.local
				it.keyGen, it.keyGenChanged = p.keyGen, p.keyGenChanged
				s.txIndex.add(p)
			}
		} else {
			size, _ := st.SizeOfHashed(it.Key, hash, it.SortIndex)
			readBytes += size
			cost = units.ReadUnits(size, units.Transactional)
		}
		it.cost = cost
		pi := t.PartitionOf(store.HashKey(it.Key))
		g := -1
		for j := range groups {
			if groups[j].pi == pi {
				g = j
				break
			}
		}
		if g < 0 {
			groups = append(groups, txGroup{pi: pi})
			g = len(groups) - 1
		}
		if write {
			groups[g].write += cost
		} else {
			groups[g].read += cost
		}
	}
	s.tx = groups
	// Every partition must take its whole share of the transaction.
	for _, g := range groups {
		load := g.read + ceilingLoad(true, g.write)
		for _, w := range [2]bool{false, true} {
			cost := g.read
			if w {
				cost = g.write
			}
			if cost == 0 {
				continue
			}
			if limit := t.limitFor(now, g.pi, w, cost, load); limit != 0 {
				if dry {
					return Response{}, false
				}
				t.refuse(now, g.pi, w, cost, limit, &s.ev)
				s.ev.Op = req.Op
				s.rec.Throttle(now, &s.ev)
				return Response{Reason: s.ev.Reason, Latency: s.latency.ThrottleTime(s.rng)}, false
			}
		}
	}
	if dry {
		for _, w := range s.txIndex.writes {
			if w.x.limitFor(now, w.pi, true, w.cost, ceilingLoad(true, w.cost)) != 0 {
				return Response{}, false
			}
		}
	} else if !admitIndexWrites(now, s.txIndex.writes, &s.ev) {
		s.ev.Op = req.Op
		s.rec.Throttle(now, &s.ev)
		return Response{Reason: s.ev.Reason, Latency: s.latency.ThrottleTime(s.rng)}, false
	}
	if held := t.txHeld(); held != nil {
		for i := range items {
			if held.locked(now, t.txItem(store.HashKey(items[i].Key), items[i].SortIndex)) {
				if dry {
					return Response{}, false
				}
				return Response{Error: ErrTransactionConflict, Latency: s.latency.Service(s.rng, req.Op, units.Transactional, 0)}, false
			}
		}
	}
	if dry {
		return Response{}, true
	}
	var resp Response
	for i := range items {
		it := &items[i]
		hash := store.HashKey(it.Key)
		pi := t.PartitionOf(hash)
		t.charge(now, pi, hash, write, units.Transactional, it.cost)
		if write {
			if !it.Check {
				applyPart(s, now, t, pi, hash, it)
			}
			if it.keyGenChanged && !it.Delete {
				st.SetKeyGenHashed(it.Key, hash, it.SortIndex, it.keyGen)
			}
			resp.Write += it.cost
			s.rec.Consumed(now, req.Table, pi, 0, it.cost)
		} else {
			resp.Read += it.cost
			s.rec.Consumed(now, req.Table, pi, it.cost, 0)
		}
	}
	if write && len(t.cfg.Indexes) > 0 {
		commitIndexWrites(now, s.rec, s.txIndex.writes, s.txIndex.changes, st.Writes())
		for _, w := range s.txIndex.writes {
			resp.IndexWrite += w.cost
		}
		t.lsiEntries += s.txIndex.lsiEntries
		t.lsiBytes += s.txIndex.lsiBytes
	}
	resp.Latency = s.latency.Service(s.rng, req.Op, units.Transactional, readBytes)
	if write {
		// The transaction is in progress until its response.
		held := t.txHolder()
		until := now + resp.Latency
		for i := range items {
			held.hold(now, t.txItem(store.HashKey(items[i].Key), items[i].SortIndex), until)
		}
	}
	return resp, true
}

// txLocked reports whether a transaction in progress holds the item at
// (pkHash, sk) of t at now.
func (t *Table) txLocked(now sim.Time, pkHash uint64, sk int64) bool {
	held := t.txHeld()
	return held != nil && held.locked(now, t.txItem(pkHash, sk))
}

// txItem is the itemHash of the item at (pkHash, sk): sk counts only
// when the table has a sort key, as in the store.
func (t *Table) txItem(pkHash uint64, sk int64) uint64 {
	if !t.store.HasSortKey() {
		sk = 0
	}
	return store.ItemHash(pkHash, sk)
}

// txHolds is the items that transactions in progress hold, by itemHash,
// each with the time it is held until: an open-addressing hash table with
// linear probing. An expired hold stays in its slot until an insertion
// reuses it or a rebuild drops it; the table is rebuilt, without its
// expired holds, when half its slots have been used, and doubled only when
// live holds fill more than a quarter of it. So it stays within four to
// eight slots of 16 bytes per item held at the busiest moment (and as
// many again in the spare table), and, once grown to that, does not
// allocate.
//
// Two items with one 64-bit hash would share a hold: a spurious conflict,
// with odds of n/2^64 per lookup while n items are held.
type txHolds struct {
	slots []txHold // a power of two of them; until == 0 marks a slot never used
	used  int      // slots used since the last rebuild, live or expired
	spare []txHold // the other table, reused by rebuilds
}

type txHold struct {
	item  uint64
	until sim.Time
}

// txInitialSlots is the size of a new table: 16 items held at once.
const txInitialSlots = 64

// locked reports whether item is held at now. One item has at most one
// slot, the first of its probe sequence that matches.
func (h *txHolds) locked(now sim.Time, item uint64) bool {
	if len(h.slots) == 0 {
		return false
	}
	mask := len(h.slots) - 1
	for i := int(item) & mask; ; i = (i + 1) & mask {
		sl := &h.slots[i]
		if sl.until == 0 {
			return false
		}
		if sl.item == item {
			return sl.until > now
		}
	}
}

// hold holds item until the given time (or later, if it already is).
func (h *txHolds) hold(now sim.Time, item uint64, until sim.Time) {
	if until <= now {
		return
	}
	if len(h.slots) == 0 {
		h.slots = make([]txHold, txInitialSlots)
	}
	if (h.used+1)*2 > len(h.slots) {
		h.rebuild(now)
	}
	mask := len(h.slots) - 1
	reuse := -1
	for i := int(item) & mask; ; i = (i + 1) & mask {
		sl := &h.slots[i]
		if sl.until == 0 {
			if reuse < 0 {
				reuse = i
				h.used++
			}
			break
		}
		if sl.item == item {
			sl.until = max(sl.until, until)
			return
		}
		if reuse < 0 && sl.until <= now {
			reuse = i // expired: no lookup needs it any more
		}
	}
	h.slots[reuse] = txHold{item: item, until: until}
}

// rebuild copies the live holds into a fresh table, doubling it while
// they fill more than a quarter of it.
func (h *txHolds) rebuild(now sim.Time) {
	live := 0
	for i := range h.slots {
		if h.slots[i].until > now {
			live++
		}
	}
	n := len(h.slots)
	for live*4 > n {
		n *= 2
	}
	if len(h.spare) != n {
		h.spare = make([]txHold, n)
	} else {
		clear(h.spare)
	}
	mask := n - 1
	for _, sl := range h.slots {
		if sl.until <= now {
			continue
		}
		i := int(sl.item) & mask
		for h.spare[i].until != 0 {
			i = (i + 1) & mask
		}
		h.spare[i] = sl
	}
	h.slots, h.spare = h.spare, h.slots
	h.used = live
}

// txHeld returns t's holds.
func (t *Table) txHeld() *txHolds { return &t.tx }

// txHolder returns t's holds, for adding to them.
func (t *Table) txHolder() *txHolds { return &t.tx }
