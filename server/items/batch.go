package items

import (
	"strconv"

	"github.com/ddbsim/ddbsim/model"
	"github.com/ddbsim/ddbsim/model/store"
	"github.com/ddbsim/ddbsim/model/units"
	"github.com/ddbsim/ddbsim/sim"
)

// Batches and transactions: one table's part of a BatchGetItem,
// BatchWriteItem, TransactGetItems or TransactWriteItems. The model
// prices each part as its single-item operation and admits each on its
// own partition (a batch), or the whole part all or nothing at the
// transactional rate (a transaction). A request that spans tables is one
// call per table, made by the server in the order of the request; for a
// transaction the server first asks every table whether its part fits
// (TransactWriteFits, TransactGetFits), so that it is all or nothing
// across tables too.

// WriteRequest is one part of a BatchWriteItem: a put of Put, or, when
// Delete is set, a deletion of the item at Key.
type WriteRequest struct {
	Put    store.Item
	Key    store.Key
	Delete bool
}

// keyOf is the primary key of the item the part writes.
func (t *Table) keyOf(w *WriteRequest) (pk, sk store.Value, err error) {
	if w.Delete {
		return w.Key.PK, w.Key.SK, nil
	}
	return t.keys(w.Put)
}

// batch makes the model's parts, in a buffer reused by the next call.
func (t *Table) batch(op units.Op, n int) *model.Request {
	t.req = model.Request{Table: t.table, Op: op, Items: make([]model.BatchItem, n)}
	return &t.req
}

// identify returns, for each part the model returned unprocessed (at the
// front of req.Items, in the order sent), its position in the caller's
// list: the parts of one batch have distinct keys, so (key, index)
// names one.
func identify(req *model.Request, unprocessed int, keys []string) []int {
	pos := make(map[string]int, len(keys))
	for i, k := range keys {
		pos[k] = i
	}
	out := make([]int, unprocessed)
	for i := range unprocessed {
		it := req.Items[i]
		out[i] = pos[partName(it.Key, it.SortIndex)]
	}
	return out
}

// partName names a batch's part by its model key and sort-key index.
func partName(key []byte, index int64) string {
	return strconv.FormatInt(index, 10) + ":" + string(key)
}

// BatchGet reads the items at keys, each priced as a GetItem (rounded on
// its own) and admitted on its own partition. found[i] says whether
// keys[i] was read and exists; unprocessed lists, in the order sent, the
// positions of the keys the model throttled (UnprocessedKeys). The
// outcome is throttled only when every key was.
func (t *Table) BatchGet(now sim.Time, keys []store.Key, c units.Consistency) (items []store.Item, found []bool, unprocessed []int, o Outcome) {
	req := t.batch(units.OpBatchGet, len(keys))
	req.Consistency = c
	names := make([]string, len(keys))
	for i, k := range keys {
		idx := t.sortIndex(k.PK, k.SK, false)
		req.Items[i] = model.BatchItem{Key: []byte(k.PK.Text()), SortIndex: idx}
		names[i] = partName(req.Items[i].Key, idx)
	}
	resp := t.svc.Handle(now, req)
	o = outcomeOf(resp)
	if resp.Unprocessed > 0 {
		o.Reason = resp.UnprocessedReason
		unprocessed = identify(req, resp.Unprocessed, names)
	}
	skip := make([]bool, len(keys))
	for _, i := range unprocessed {
		skip[i] = true
	}
	items, found = make([]store.Item, len(keys)), make([]bool, len(keys))
	for i, k := range keys {
		if !skip[i] {
			items[i], found[i] = t.items.GetItem(k.PK, k.SK)
		}
	}
	return items, found, unprocessed, o
}

// BatchWrite puts and deletes, each part priced as its PutItem or
// DeleteItem and admitted on its own partition, applied in the order
// sent. unprocessed lists, in the order sent, the positions of the parts
// the model throttled (UnprocessedItems). An item the store refuses is an
// error before anything is charged.
func (t *Table) BatchWrite(now sim.Time, parts []WriteRequest) (unprocessed []int, o Outcome, err error) {
	pks, sks := make([]store.Value, len(parts)), make([]store.Value, len(parts))
	for i := range parts {
		if pks[i], sks[i], err = t.keyOf(&parts[i]); err != nil {
			return nil, Outcome{}, err
		}
		if !parts[i].Delete {
			if err := t.items.Check(parts[i].Put); err != nil {
				return nil, Outcome{}, err
			}
		}
	}
	req := t.batch(units.OpBatchWrite, len(parts))
	names := make([]string, len(parts))
	for i, w := range parts {
		idx := t.sortIndex(pks[i], sks[i], !w.Delete)
		req.Items[i] = model.BatchItem{Key: []byte(pks[i].Text()), SortIndex: idx, Size: w.Put.Size(), Delete: w.Delete}
		if len(t.indexList) > 0 {
			old, found := t.items.GetItem(pks[i], sks[i])
			req.Items[i].Given = true
			req.Items[i].IndexWrites = t.indexWrites(nil, old, found, w.Put, !w.Delete)
		}
		names[i] = partName(req.Items[i].Key, idx)
	}
	resp := t.svc.Handle(now, req)
	o = outcomeOf(resp)
	if resp.Unprocessed > 0 {
		o.Reason = resp.UnprocessedReason
		unprocessed = identify(req, resp.Unprocessed, names)
	}
	skip := make([]bool, len(parts))
	for _, i := range unprocessed {
		skip[i] = true
	}
	for i, w := range parts {
		switch {
		case skip[i]:
		case w.Delete:
			t.remove(pks[i], sks[i])
		default:
			old, found := t.items.GetItem(pks[i], sks[i])
			t.put(w.Put, old, found)
		}
	}
	return unprocessed, o, nil
}

// TxPart is one write of a transaction on the table, its condition
// already checked by the caller: a put (or the result of an update) of
// New, a deletion (Delete), or a ConditionCheck (Check) of the item at
// Key.
type TxPart struct {
	Key           store.Key
	New           store.Item
	Delete, Check bool
}

// TransactWrite admits and applies the table's part of a
// TransactWriteItems all or nothing at the transactional rate: a
// throttle or a conflict with a transaction in progress applies nothing.
func (t *Table) TransactWrite(now sim.Time, parts []TxPart) (Outcome, error) {
	req, err := t.transactWrite(parts)
	if err != nil {
		return Outcome{}, err
	}
	o := outcomeOf(t.svc.Handle(now, req))
	if o.Throttled() || o.Err != model.NoError {
		return o, nil
	}
	for _, p := range parts {
		switch {
		case p.Check:
		case p.Delete:
			t.remove(p.Key.PK, p.Key.SK)
		default:
			old, found := t.items.GetItem(p.Key.PK, p.Key.SK)
			t.put(p.New, old, found)
		}
	}
	return o, nil
}

// TransactWriteFits reports whether TransactWrite would admit parts at
// now, without admitting or recording anything: a transaction over
// several tables asks each before applying any (model.TransactionFits).
func (t *Table) TransactWriteFits(now sim.Time, parts []TxPart) bool {
	req, err := t.transactWrite(parts)
	return err == nil && t.svc.TransactionFits(now, req)
}

// transactWrite makes the model's request for a transaction's parts.
func (t *Table) transactWrite(parts []TxPart) (*model.Request, error) {
	for i := range parts {
		if p := &parts[i]; !p.Delete && !p.Check {
			if err := t.items.Check(p.New); err != nil {
				return nil, err
			}
		}
	}
	req := t.batch(units.OpTransactWrite, len(parts))
	for i, p := range parts {
		write := !p.Delete && !p.Check
		idx := t.sortIndex(p.Key.PK, p.Key.SK, write)
		req.Items[i] = model.BatchItem{Key: []byte(p.Key.PK.Text()), SortIndex: idx, Size: p.New.Size(), Delete: p.Delete, Check: p.Check}
		if len(t.indexList) > 0 && !p.Check {
			old, found := t.items.GetItem(p.Key.PK, p.Key.SK)
			req.Items[i].Given = true
			req.Items[i].IndexWrites = t.indexWrites(nil, old, found, p.New, write)
		}
	}
	return req, nil
}

// TransactGet reads the items at keys all or nothing at the
// transactional rate.
func (t *Table) TransactGet(now sim.Time, keys []store.Key) ([]store.Item, []bool, Outcome) {
	o := outcomeOf(t.svc.Handle(now, t.transactGet(keys)))
	if o.Throttled() || o.Err != model.NoError {
		return nil, nil, o
	}
	items, found := make([]store.Item, len(keys)), make([]bool, len(keys))
	for i, k := range keys {
		items[i], found[i] = t.items.GetItem(k.PK, k.SK)
	}
	return items, found, o
}

// TransactGetFits reports whether TransactGet would admit keys at now,
// without admitting or recording anything.
func (t *Table) TransactGetFits(now sim.Time, keys []store.Key) bool {
	return t.svc.TransactionFits(now, t.transactGet(keys))
}

// transactGet makes the model's request for a transaction's reads.
func (t *Table) transactGet(keys []store.Key) *model.Request {
	req := t.batch(units.OpTransactGet, len(keys))
	for i, k := range keys {
		req.Items[i] = model.BatchItem{Key: []byte(k.PK.Text()), SortIndex: t.sortIndex(k.PK, k.SK, false)}
	}
	return req
}

// Current is the item at (pk, sk) as it stands, for a transaction's
// conditions; it is not a read and costs nothing.
func (t *Table) Current(pk, sk store.Value) (store.Item, bool) {
	return t.items.GetItem(pk, sk)
}
