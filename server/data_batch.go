package server

import (
	"fmt"

	"github.com/ddbsim/ddbsim/model"
	"github.com/ddbsim/ddbsim/model/store"
	"github.com/ddbsim/ddbsim/model/units"
	"github.com/ddbsim/ddbsim/server/expr"
	"github.com/ddbsim/ddbsim/server/items"
	"github.com/ddbsim/ddbsim/server/wire"
	"github.com/ddbsim/ddbsim/sim"
)

// BatchGetItem, BatchWriteItem, TransactGetItems and TransactWriteItems.
// A request naming several tables is served table by table in name order
// (the model admits each table's part on its own), and its latency is the
// slowest part's.

// The service's limits on batches and transactions (REFERENCE: units).
const (
	maxBatchGet   = 100
	maxBatchWrite = 25
	maxTransact   = 100
)

func batchGetItem(s *Server, r *Request) (any, error) {
	var in wire.BatchGetItemInput
	if err := wire.DecodeRequest(r.Body, &in); err != nil {
		return nil, err
	}
	if err := consumedMode(in.ReturnConsumedCapacity); err != nil {
		return nil, err
	}
	n := 0
	projs := map[string]*expr.Projection{}
	for _, name := range sortedNames(in.RequestItems) {
		ka := in.RequestItems[name]
		n += len(ka.Keys)
		if len(ka.Keys) == 0 {
			return nil, wire.Validation("1 validation error detected: Value at 'requestItems." + name + ".member.keys' failed to satisfy constraint: Member must have length greater than or equal to 1")
		}
		e, err := env(ka.ExpressionAttributeNames, nil)
		if err != nil {
			return nil, err
		}
		p, err := projectionOf(e, ka.ProjectionExpression, ka.AttributesToGet)
		if err == nil {
			err = e.Unused()
		}
		if err != nil {
			return nil, storeError(err)
		}
		projs[name] = p
	}
	switch {
	case n == 0:
		return nil, wire.Validation("The requestItems parameter is required for BatchGetItem")
	case n > maxBatchGet:
		return nil, wire.Validation("Too many items requested for the BatchGetItem call")
	}
	out := wire.BatchGetItemOutput{Responses: map[string][]wire.Item{}, UnprocessedKeys: map[string]wire.KeysAndAttributes{}}
	err := s.call(func(now sim.Time) error {
		keys := map[string][]store.Key{}
		tables := map[string]*dataTable{}
		locals := map[string]sim.Time{}
		for _, name := range sortedNames(in.RequestItems) {
			d, local, err := s.data(name, now)
			if err != nil {
				return err
			}
			tables[name], locals[name] = d, local
			seen := map[string]bool{}
			for i := range in.RequestItems[name].Keys {
				k, err := d.key(&in.RequestItems[name].Keys[i])
				if err != nil {
					return err
				}
				id := k.PK.String() + "/" + k.SK.String()
				if seen[id] {
					return wire.Validation("Provided list of item keys contains duplicates")
				}
				seen[id] = true
				keys[name] = append(keys[name], k)
			}
		}
		for _, name := range sortedNames(in.RequestItems) {
			d, ka := tables[name], in.RequestItems[name]
			its, found, unprocessed, o := d.items.BatchGet(locals[name], keys[name], consistency(ka.ConsistentRead))
			r.Latency = max(r.Latency, o.Latency)
			s.record(d, r, units.OpBatchGet, locals[name], o)
			if len(unprocessed) == len(keys[name]) && len(in.RequestItems) == 1 {
				return s.throttled(d, o)
			}
			for i, it := range its {
				if found[i] {
					out.Responses[name] = append(out.Responses[name], wire.Item{Item: project(projs[name], it)})
				}
			}
			if len(unprocessed) > 0 {
				left := ka
				left.Keys = nil
				for _, i := range unprocessed {
					left.Keys = append(left.Keys, ka.Keys[i])
				}
				out.UnprocessedKeys[name] = left
			}
			if c := consumed(d, in.ReturnConsumedCapacity, name, "", false, o); c != nil {
				out.ConsumedCapacity = append(out.ConsumedCapacity, *c)
			}
		}
		return nil
	})
	return &out, err
}

func batchWriteItem(s *Server, r *Request) (any, error) {
	var in wire.BatchWriteItemInput
	if err := wire.DecodeRequest(r.Body, &in); err != nil {
		return nil, err
	}
	if err := consumedMode(in.ReturnConsumedCapacity); err != nil {
		return nil, err
	}
	if err := metricsMode(in.ReturnItemCollectionMetrics); err != nil {
		return nil, err
	}
	n := 0
	for _, name := range sortedNames(in.RequestItems) {
		for _, w := range in.RequestItems[name] {
			if (w.PutRequest == nil) == (w.DeleteRequest == nil) {
				return nil, wire.Validation("Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes")
			}
		}
		n += len(in.RequestItems[name])
	}
	switch {
	case n == 0:
		return nil, wire.Validation("The requestItems parameter is required for BatchWriteItem")
	case n > maxBatchWrite:
		return nil, wire.Validation("1 validation error detected: Value at 'requestItems' failed to satisfy constraint: Map value must satisfy constraint: [Member must have length less than or equal to 25, Member must have length greater than or equal to 1]")
	}
	out := wire.BatchWriteItemOutput{UnprocessedItems: map[string][]wire.WriteRequest{}}
	err := s.call(func(now sim.Time) error {
		parts := map[string][]items.WriteRequest{}
		tables := map[string]*dataTable{}
		locals := map[string]sim.Time{}
		for _, name := range sortedNames(in.RequestItems) {
			d, local, err := s.data(name, now)
			if err != nil {
				return err
			}
			tables[name], locals[name] = d, local
			seen := map[string]bool{}
			for _, w := range in.RequestItems[name] {
				var p items.WriteRequest
				if w.DeleteRequest != nil {
					k, err := d.key(&w.DeleteRequest.Key)
					if err != nil {
						return err
					}
					p = items.WriteRequest{Key: k, Delete: true}
				} else {
					if err := d.checkItem(w.PutRequest.Item.Item); err != nil {
						return err
					}
					p = items.WriteRequest{Put: w.PutRequest.Item.Item, Key: d.keyOf(w.PutRequest.Item.Item)}
				}
				id := p.Key.PK.String() + "/" + p.Key.SK.String()
				if seen[id] {
					return wire.Validation("Provided list of item keys contains duplicates")
				}
				seen[id] = true
				parts[name] = append(parts[name], p)
			}
		}
		for _, name := range sortedNames(in.RequestItems) {
			d := tables[name]
			unprocessed, o, err := d.items.BatchWrite(locals[name], parts[name])
			if err != nil {
				return storeError(err)
			}
			r.Latency = max(r.Latency, o.Latency)
			s.record(d, r, units.OpBatchWrite, locals[name], o)
			if len(unprocessed) == len(parts[name]) && len(in.RequestItems) == 1 {
				return s.throttled(d, o)
			}
			for _, i := range unprocessed {
				out.UnprocessedItems[name] = append(out.UnprocessedItems[name], in.RequestItems[name][i])
			}
			if c := consumed(d, in.ReturnConsumedCapacity, name, "", false, o); c != nil {
				out.ConsumedCapacity = append(out.ConsumedCapacity, *c)
			}
			if m := d.collectionsMetrics(in.ReturnItemCollectionMetrics, parts[name], unprocessed); m != nil {
				if out.ItemCollectionMetrics == nil {
					out.ItemCollectionMetrics = map[string][]wire.ItemCollectionMetrics{}
				}
				out.ItemCollectionMetrics[name] = m
			}
		}
		return nil
	})
	return &out, err
}

func transactGetItems(s *Server, r *Request) (any, error) {
	var in wire.TransactGetItemsInput
	if err := wire.DecodeRequest(r.Body, &in); err != nil {
		return nil, err
	}
	if err := consumedMode(in.ReturnConsumedCapacity); err != nil {
		return nil, err
	}
	if len(in.TransactItems) == 0 || len(in.TransactItems) > maxTransact {
		return nil, wire.Validation(fmt.Sprintf("1 validation error detected: Value at 'transactItems' failed to satisfy constraint: Member must have length less than or equal to %d, Member must have length greater than or equal to 1", maxTransact))
	}
	projs := make([]*expr.Projection, len(in.TransactItems))
	for i, ti := range in.TransactItems {
		if ti.Get == nil {
			return nil, wire.Validation("1 validation error detected: Value null at 'transactItems." + fmt.Sprint(i+1) + ".member.get' failed to satisfy constraint: Member must not be null")
		}
		e, err := env(ti.Get.ExpressionAttributeNames, nil)
		if err != nil {
			return nil, err
		}
		p, err := projectionOf(e, ti.Get.ProjectionExpression, nil)
		if err == nil {
			err = e.Unused()
		}
		if err != nil {
			return nil, storeError(err)
		}
		projs[i] = p
	}
	out := wire.TransactGetItemsOutput{Responses: make([]wire.ItemResponse, len(in.TransactItems))}
	err := s.call(func(now sim.Time) error {
		byTable := map[string][]int{}
		keys := map[string][]store.Key{}
		tables := map[string]*dataTable{}
		locals := map[string]sim.Time{}
		for i, ti := range in.TransactItems {
			d, local, err := s.data(ti.Get.TableName, now)
			if err != nil {
				return err
			}
			k, err := d.key(ti.Get.Key)
			if err != nil {
				return err
			}
			tables[ti.Get.TableName], locals[ti.Get.TableName] = d, local
			byTable[ti.Get.TableName] = append(byTable[ti.Get.TableName], i)
			keys[ti.Get.TableName] = append(keys[ti.Get.TableName], k)
		}
		names := sortedNames(byTable)
		if len(names) > 1 { // all or nothing across tables, as for writes
			for _, name := range names {
				if !tables[name].items.TransactGetFits(locals[name], keys[name]) {
					names = []string{name}
					break
				}
			}
		}
		for _, name := range names {
			d := tables[name]
			its, found, o := d.items.TransactGet(locals[name], keys[name])
			r.Latency = max(r.Latency, o.Latency)
			s.record(d, r, units.OpTransactGet, locals[name], o)
			if o.Throttled() {
				return s.txThrottled(d, o, len(in.TransactItems), byTable[name])
			}
			if o.Err != model.NoError {
				return transactionCanceled(len(in.TransactItems), byTable[name], "TransactionConflict", "Transaction is ongoing for the item")
			}
			for j, i := range byTable[name] {
				if found[j] {
					out.Responses[i].Item = wire.Wrap(project(projs[i], its[j]))
				}
			}
			if c := consumed(d, in.ReturnConsumedCapacity, name, "", false, o); c != nil {
				out.ConsumedCapacity = append(out.ConsumedCapacity, *c)
			}
		}
		return nil
	})
	return &out, err
}

// transactionCanceled is the cancellation of a transaction of n items,
// those at failed for code.
func transactionCanceled(n int, failed []int, code, message string) *wire.Error {
	reasons := make([]wire.CancellationReason, n)
	for i := range reasons {
		reasons[i].Code = "None"
	}
	for _, i := range failed {
		reasons[i] = wire.CancellationReason{Code: code, Message: message}
	}
	return wire.TransactionCanceled(reasons)
}

// txThrottled cancels a transaction of n items whose part on d (the items
// at idx) the model throttled: the service reports a throttle inside a
// transaction as a cancellation reason, ProvisionedThroughputExceeded on a
// provisioned table, ThrottlingError on demand.
func (s *Server) txThrottled(d *dataTable, o items.Outcome, n int, idx []int) *wire.Error {
	e := s.throttled(d, o)
	code := "ThrottlingError"
	if e.Type == wire.ProvisionedThroughputExceededException {
		code = "ProvisionedThroughputExceeded"
	}
	return transactionCanceled(n, idx, code, e.Message)
}

// txWrite is one item of a TransactWriteItems once read: its table, key,
// condition, and what it does.
type txWrite struct {
	table    string
	key      store.Key
	cond     *expr.Condition
	put      *store.Item
	update   *expr.Update
	delete   bool
	check    bool
	onFailed string
}

// parseTxWrite reads one TransactWriteItem.
func parseTxWrite(i int, ti wire.TransactWriteItem) (txWrite, *wire.Item, error) {
	var w txWrite
	var names map[string]string
	var vals map[string]wire.AttributeValue
	var condExpr, updExpr string
	var key *wire.Item
	set := 0
	if c := ti.ConditionCheck; c != nil {
		set++
		w.table, key, condExpr, names, vals, w.onFailed, w.check = c.TableName, c.Key, c.ConditionExpression, c.ExpressionAttributeNames, c.ExpressionAttributeValues, c.ReturnValuesOnConditionCheckFailure, true
	}
	if p := ti.Put; p != nil {
		set++
		if p.Item == nil {
			return w, nil, wire.Validation("1 validation error detected: Value null at 'transactItems." + fmt.Sprint(i+1) + ".member.put.item' failed to satisfy constraint: Member must not be null")
		}
		it := p.Item.Item
		w.table, w.put, condExpr, names, vals, w.onFailed = p.TableName, &it, p.ConditionExpression, p.ExpressionAttributeNames, p.ExpressionAttributeValues, p.ReturnValuesOnConditionCheckFailure
	}
	if d := ti.Delete; d != nil {
		set++
		w.table, key, condExpr, names, vals, w.onFailed, w.delete = d.TableName, d.Key, d.ConditionExpression, d.ExpressionAttributeNames, d.ExpressionAttributeValues, d.ReturnValuesOnConditionCheckFailure, true
	}
	if u := ti.Update; u != nil {
		set++
		w.table, key, condExpr, updExpr, names, vals, w.onFailed = u.TableName, u.Key, u.ConditionExpression, u.UpdateExpression, u.ExpressionAttributeNames, u.ExpressionAttributeValues, u.ReturnValuesOnConditionCheckFailure
	}
	if set != 1 {
		return w, nil, wire.Validation("TransactItems can only contain one of Check, Put, Update or Delete")
	}
	e, err := env(names, vals)
	if err != nil {
		return w, nil, err
	}
	if condExpr != "" {
		if w.cond, err = e.Condition(expr.ConditionExpression, condExpr); err != nil {
			return w, nil, storeError(err)
		}
	} else if w.check {
		return w, nil, wire.Validation("The ConditionExpression parameter is required for ConditionCheck")
	}
	if updExpr != "" {
		if w.update, err = e.Update(updExpr); err != nil {
			return w, nil, storeError(err)
		}
	}
	if err := e.Unused(); err != nil {
		return w, nil, storeError(err)
	}
	return w, key, nil
}

func transactWriteItems(s *Server, r *Request) (any, error) {
	var in wire.TransactWriteItemsInput
	if err := wire.DecodeRequest(r.Body, &in); err != nil {
		return nil, err
	}
	if err := consumedMode(in.ReturnConsumedCapacity); err != nil {
		return nil, err
	}
	if err := metricsMode(in.ReturnItemCollectionMetrics); err != nil {
		return nil, err
	}
	if len(in.TransactItems) == 0 || len(in.TransactItems) > maxTransact {
		return nil, wire.Validation(fmt.Sprintf("1 validation error detected: Value at 'transactItems' failed to satisfy constraint: Member must have length less than or equal to %d, Member must have length greater than or equal to 1", maxTransact))
	}
	writes := make([]txWrite, len(in.TransactItems))
	keys := make([]*wire.Item, len(in.TransactItems))
	for i, ti := range in.TransactItems {
		w, k, err := parseTxWrite(i, ti)
		if err != nil {
			return nil, err
		}
		writes[i], keys[i] = w, k
	}
	var out wire.TransactWriteItemsOutput
	err := s.call(func(now sim.Time) error {
		tables := map[string]*dataTable{}
		locals := map[string]sim.Time{}
		parts := map[string][]items.TxPart{}
		seen := map[string]bool{}
		var reasons []wire.CancellationReason
		failed := false
		for i := range writes {
			w := &writes[i]
			d, local, err := s.data(w.table, now)
			if err != nil {
				return err
			}
			tables[w.table], locals[w.table] = d, local
			if w.put != nil {
				if err := d.checkItem(*w.put); err != nil {
					return err
				}
				w.key = d.keyOf(*w.put)
			} else if w.key, err = d.key(keys[i]); err != nil {
				return err
			}
			id := w.table + "\x00" + w.key.PK.String() + "/" + w.key.SK.String()
			if seen[id] {
				return wire.Validation("Transaction request cannot include multiple operations on one item")
			}
			seen[id] = true
			old, found := d.items.Current(w.key.PK, w.key.SK)
			reason := wire.CancellationReason{Code: "None"}
			if w.cond != nil && !w.cond.Eval(old) {
				reason = wire.CancellationReason{Code: "ConditionalCheckFailed", Message: wire.MsgConditionalCheckFailed}
				if w.onFailed == "ALL_OLD" && found {
					reason.Item = wire.Wrap(old)
				}
				failed = true
			}
			reasons = append(reasons, reason)
			p := items.TxPart{Key: w.key, Delete: w.delete, Check: w.check}
			switch {
			case w.put != nil:
				p.New = *w.put
			case w.update != nil:
				base := old
				if !found {
					base = d.keyItem(w.key)
				}
				next, err := w.update.Apply(base, d.schema)
				if err == nil {
					err = d.checkItem(next)
				}
				if err != nil {
					return storeError(err)
				}
				p.New = next
			}
			parts[w.table] = append(parts[w.table], p)
		}
		if failed {
			return wire.TransactionCanceled(reasons)
		}
		// A transaction over several tables is all or nothing across them:
		// each table is asked first, and the first that would refuse its
		// part is asked for real, so that its throttle or conflict is the
		// one recorded and answered, with nothing applied anywhere.
		names := sortedNames(parts)
		if len(names) > 1 {
			for _, name := range names {
				if !tables[name].items.TransactWriteFits(locals[name], parts[name]) {
					names = []string{name}
					break
				}
			}
		}
		for _, name := range names {
			d := tables[name]
			o, err := d.items.TransactWrite(locals[name], parts[name])
			if err != nil {
				return storeError(err)
			}
			r.Latency = max(r.Latency, o.Latency)
			s.record(d, r, units.OpTransactWrite, locals[name], o)
			var idx []int
			for i, w := range writes {
				if w.table == name {
					idx = append(idx, i)
				}
			}
			if o.Throttled() {
				return s.txThrottled(d, o, len(writes), idx)
			}
			if o.Err != model.NoError {
				return transactionCanceled(len(writes), idx, "TransactionConflict", "Transaction is ongoing for the item")
			}
			if c := consumed(d, in.ReturnConsumedCapacity, name, "", false, o); c != nil {
				out.ConsumedCapacity = append(out.ConsumedCapacity, *c)
			}
			var keys []items.WriteRequest
			for _, p := range parts[name] {
				if !p.Check {
					keys = append(keys, items.WriteRequest{Key: p.Key})
				}
			}
			if m := d.collectionsMetrics(in.ReturnItemCollectionMetrics, keys, nil); m != nil {
				if out.ItemCollectionMetrics == nil {
					out.ItemCollectionMetrics = map[string][]wire.ItemCollectionMetrics{}
				}
				out.ItemCollectionMetrics[name] = m
			}
		}
		return nil
	})
	return &out, err
}
