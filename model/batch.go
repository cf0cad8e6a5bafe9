package model

import (
	"fmt"

	"github.com/ddbsim/ddbsim/model/store"
	"github.com/ddbsim/ddbsim/model/units"
	"github.com/ddbsim/ddbsim/sim"
)

// Batch operations: BatchGetItem (OpBatchGet) and BatchWriteItem
// (OpBatchWrite). A batch is a list of parts, each an item read or put,
// that the service prices, admits and serves one by one, each on the
// partition that owns its key; the parts it throttles come back
// unprocessed (UnprocessedKeys, UnprocessedItems) for the client to send
// again.

// Limits on one batch (REFERENCE: units): "BatchGetItem (<=100 items,
// <=16 MB)", "BatchWriteItem (<=25 put/delete, no updates)".
const (
	MaxBatchGetItems   = 100
	MaxBatchWriteItems = 25
)

// MaxBatchItems is the most parts one request of op may hold: 100 for
// batch_get and the transactions, 25 for batch_write, 0 for operations
// that take one item.
func MaxBatchItems(op units.Op) int {
	switch op {
	case units.OpBatchGet:
		return MaxBatchGetItems
	case units.OpBatchWrite:
		return MaxBatchWriteItems
	case units.OpTransactGet, units.OpTransactWrite:
		return MaxTransactItems
	}
	return 0
}

// BatchItem is one part of a batch request: the item a batch_get reads,
// or the item a batch_write puts. Its key is the client's buffer; Handle
// reads it and may move the BatchItem within Request.Items, never copy or
// keep the bytes.
type BatchItem struct {
	Key       []byte // partition key
	SortIndex int64  // sort-key index of a synthetic item; ignored without a sort key
	Size      int    // bytes of the item a batch_write puts; unused by batch_get
	// Delete makes a part of a batch_write or transact_write a deletion
	// of the item (a DeleteRequest, a transaction's Delete): it costs the
	// item deleted (REFERENCE: units) and Size is unused.
	Delete bool
	// Check makes a part of a transact_write a ConditionCheck: priced as
	// a transactional write of the item there, and nothing is written.
	Check bool
	// Given and IndexWrites are the part's index writes as its caller
	// worked them out (see Request.IndexWrites).
	Given       bool
	IndexWrites []IndexWrite

	cost units.Units // the part's price, kept between a transaction's check and its commit
	// keyGen is the item's index-key generation after a transaction's
	// write, set when the write changes it.
	keyGen        uint16
	keyGenChanged bool
}

// applyPart applies an admitted write part, a put or a delete, to t's
// partition pi, as Handle applies a put or a delete.
func applyPart(s *Service, now sim.Time, t *Table, pi int, hash uint64, it *BatchItem) {
	if it.Delete {
		old, existed := t.store.DeleteSized(it.Key, it.SortIndex)
		t.parts[pi].bytes -= int64(old)
		if existed {
			t.wrote(hash)
			s.changed(now, t, it.Key, it.SortIndex, hash, old, true, 0, true)
		}
		return
	}
	old, existed := t.store.PutSizedHashed(it.Key, hash, it.SortIndex, it.Size)
	t.parts[pi].bytes += int64(it.Size - old)
	t.wrote(hash)
	s.changed(now, t, it.Key, it.SortIndex, hash, old, existed, it.Size, false)
}

// handleBatch serves one attempt of a batch_get or batch_write.
//
// Each part is priced on its own, by the rule of its single-item
// operation (REFERENCE: units, "BatchGetItem ... rounds each item
// separately, then sums", "BatchWriteItem ... rounds each item
// separately"; see BatchGetUnits and BatchWriteUnits): a read as GetItem
// (ReadUnits of the item, a missing item costing the minimum), a put as
// PutItem (PutUnits, the larger of the old and new item). Each part is
// then admitted on its own against its own partition, in the order sent,
// and an admitted put is applied at once, so a later part of the same
// batch sees it. A throttled part is one throttle event and is returned
// unprocessed (REFERENCE: throttling, "Batch operations return throttled
// parts as UnprocessedKeys/UnprocessedItems and fail only if every part
// fails"): handleBatch moves it to the front of req.Items, keeping the
// order of the unprocessed parts, and counts it in Response.Unprocessed,
// so that a retry sends req.Items[:Unprocessed] and nothing else. The
// order of the processed parts behind them is not kept.
//
// The batch is throttled as a whole (Response.Reason set, the throttle
// latency) only when every part was; its reason is the first part's. Any
// other outcome is one service-time draw for the batch, with the bytes
// the admitted reads returned. It does not allocate.
func (s *Service) handleBatch(now sim.Time, req *Request) Response {
	items := req.Items
	if n := len(items); n == 0 || n > MaxBatchItems(req.Op) {
		panic(fmt.Sprintf("model: %v of %d items; it takes 1 to %d", req.Op, n, MaxBatchItems(req.Op)))
	}
	t := s.tables[req.Table]
	st := t.store
	write := req.Op == units.OpBatchWrite
	var (
		resp      Response
		readBytes int
	)
	for i := range items {
		it := &items[i]
		var (
			cost units.Units
			size int
		)
		hash := store.HashKey(it.Key)
		var plan *indexPlan
		if write {
			old, _, keyGen, existed := st.ItemVersionHashed(it.Key, hash, it.SortIndex)
			cost = units.PutUnits(old, it.Size, existed)
			if it.Delete {
				cost = units.DeleteUnits(old, existed)
			}
			switch {
			case len(t.cfg.Indexes) > 0 && it.Given:
				plan = s.givenPlan(t, it.IndexWrites)
				cost += plan.local
			case len(t.cfg.Indexes) > 0 && (existed || !it.Delete):
				plan = s.planIndexes(t, hash, it.SortIndex, old, existed, keyGen, it.Size, it.Delete)
				cost += plan.local
			}
		} else {
			size, _ = st.SizeOfHashed(it.Key, hash, it.SortIndex)
			cost = units.ReadUnits(size, req.Consistency)
		}
		pi := t.PartitionOf(hash)
		admitted := t.admitPlanned(now, pi, hash, write, req.Consistency, cost, plan, &s.ev)
		if !admitted {
			s.ev.Op = req.Op
			s.rec.Throttle(now, &s.ev)
			if resp.Unprocessed == 0 {
				resp.UnprocessedReason = s.ev.Reason
			}
			// Parts before i are either unprocessed (already at the
			// front) or processed: swapping keeps the unprocessed ones
			// in the order they were sent.
			items[resp.Unprocessed], items[i] = items[i], items[resp.Unprocessed]
			resp.Unprocessed++
			continue
		}
		if write {
			applyPart(s, now, t, pi, hash, it)
			if plan != nil {
				if !it.Delete && plan.keyGenChanged {
					st.SetKeyGenHashed(it.Key, hash, it.SortIndex, plan.keyGen)
				}
				plan.commit(now, t, s.rec, st.Writes())
				resp.IndexWrite += plan.globalCost()
			}
			resp.Write += cost
			s.rec.Consumed(now, req.Table, pi, 0, cost)
		} else {
			readBytes += size
			resp.Read += cost
			s.rec.Consumed(now, req.Table, pi, cost, 0)
		}
	}
	if resp.Unprocessed == len(items) {
		resp.Reason = resp.UnprocessedReason
		resp.Latency = s.latency.ThrottleTime(s.rng)
		return resp
	}
	resp.Latency = s.latency.Service(s.rng, req.Op, req.Consistency, readBytes)
	return resp
}
