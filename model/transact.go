package model

import (
	"fmt"

	"github.com/ddbsim/ddbsim/sim"
)

// Transactions: TransactGetItems (OpTransactGet) and TransactWriteItems
// (OpTransactWrite). A transaction is all or nothing: every item is priced
// at the transactional rate, twice a plain read or write (REFERENCE:
// units, "each item costs the transactional rate"), and the transaction
// is admitted only if every partition it touches can serve its share of
// it; otherwise it is cancelled whole, as the service cancels a
// transaction one of whose items is throttled.

// MaxTransactItems is the most items one transaction may hold
// (REFERENCE: units, "Transactions: <=100 items, <=4 MB").
const MaxTransactItems = 100

// txGroup is a transaction's load on one partition.
type txGroup struct {
	pi          int
	read, write Units
}

// handleTransact serves one attempt of a transact_get or transact_write,
// whose items are req.Items. Conflicts between concurrent transactions
// are not modelled: transactions are cancelled only by throttling.
func (s *Service) handleTransact(now sim.Time, req *Request) Response {
	items := req.Items
	if n := len(items); n == 0 || n > MaxTransactItems {
		panic(fmt.Sprintf("model: %v of %d items; it takes 1 to %d", req.Op, n, MaxTransactItems))
	}
	t := s.tables[req.Table]
	st := t.store
	write := req.Op == OpTransactWrite
	groups := s.tx[:0]
	s.txIndex.reset()
	var readBytes int
	for i := range items {
		it := &items[i]
		var cost Units
		if write {
			old, _, keyGen, existed := st.ItemVersion(it.Key, it.SortIndex)
			size := it.Size
			if existed {
				size = max(size, old) // the larger of old and new, as a put
			}
			cost = WriteUnits(size, Transactional)
			it.keyGenChanged = false
			if len(t.cfg.Indexes) > 0 {
				// Index writes are plain writes, not transactional ones.
				p := s.planIndexes(t, HashKey(it.Key), it.SortIndex, old, existed, keyGen, it.Size, false)
				cost += p.local
				it.keyGen, it.keyGenChanged = p.keyGen, p.keyGenChanged
				s.txIndex.add(p)
			}
		} else {
			size, _ := st.SizeOf(it.Key, it.SortIndex)
			readBytes += size
			cost = ReadUnits(size, Transactional)
		}
		it.cost = cost
		pi := t.PartitionOf(HashKey(it.Key))
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
				t.refuse(now, g.pi, w, cost, limit, &s.ev)
				s.ev.Op = req.Op
				s.rec.Throttle(now, &s.ev)
				return Response{Reason: s.ev.Reason, Latency: s.latency.Throttle.Sample(s.rng)}
			}
		}
	}
	if !admitIndexWrites(now, s.txIndex.writes, &s.ev) {
		s.ev.Op = req.Op
		s.rec.Throttle(now, &s.ev)
		return Response{Reason: s.ev.Reason, Latency: s.latency.Throttle.Sample(s.rng)}
	}
	var resp Response
	for i := range items {
		it := &items[i]
		hash := HashKey(it.Key)
		pi := t.PartitionOf(hash)
		t.charge(now, pi, hash, write, it.cost)
		if write {
			old, existed := st.PutSized(it.Key, it.SortIndex, it.Size)
			t.parts[pi].bytes += int64(it.Size - old)
			t.wrote(hash)
			s.changed(now, t, it.Key, it.SortIndex, hash, old, existed, it.Size, false)
			if it.keyGenChanged {
				st.SetKeyGen(it.Key, it.SortIndex, it.keyGen)
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
		t.lsiEntries += s.txIndex.lsiEntries
		t.lsiBytes += s.txIndex.lsiBytes
	}
	resp.Latency = s.latency.Service(s.rng, req.Op, Transactional, readBytes)
	return resp
}

// txLocked reports whether a transaction in progress holds the item at
// (pkHash, sk) of t at now.
func (t *Table) txLocked(now sim.Time, pkHash uint64, sk int64) bool { return false }
