package server

import (
	"errors"
	"fmt"
	"slices"

	"github.com/ddbsim/ddbsim/model"
	"github.com/ddbsim/ddbsim/model/store"
	"github.com/ddbsim/ddbsim/model/units"
	"github.com/ddbsim/ddbsim/server/expr"
	"github.com/ddbsim/ddbsim/server/items"
	"github.com/ddbsim/ddbsim/server/wire"
	"github.com/ddbsim/ddbsim/sim"
)

// The data plane: item operations decoded by package wire, their
// expressions by package expr, applied to the table's real items by
// package items, whose model admits, prices and times each one. This file
// holds what every operation shares: finding the table, checking keys and
// items against its schema, and turning the model's answer into the
// service's (ConsumedCapacity, throttling errors).

// dataTable is a table as the data plane serves it.
type dataTable struct {
	t      *table
	items  *items.Table
	schema store.KeySchema
	types  map[string]store.Kind // AttributeDefinitions
	// indexes finds an index by name: its position in items.Indexes()
	// and its key schema.
	indexes map[string]int
}

// data finds the table name for a data-plane call at now (on the loop),
// building its real items on first use.
func (s *Server) data(name string, now sim.Time) (*dataTable, sim.Time, error) {
	if name == "" {
		return nil, 0, wire.Validation("1 validation error detected: Value null at 'tableName' failed to satisfy constraint: Member must not be null")
	}
	sv, err := s.Lookup(name, now)
	if err != nil {
		return nil, 0, err
	}
	t := s.tables[name]
	if t.data == nil {
		t.data = newDataTable(t, sv.Service, sv.Table)
		s.watch(t)
	}
	return t.data, sv.Now, nil
}

// dataKey is data and the call's Key, read against the table's schema.
func (s *Server) dataKey(name string, k *wire.Item, now sim.Time) (*dataTable, sim.Time, store.Key, error) {
	d, local, err := s.data(name, now)
	if err != nil {
		return nil, 0, store.Key{}, err
	}
	key, err := d.key(k)
	return d, local, key, err
}

func newDataTable(t *table, svc *model.Service, index int) *dataTable {
	d := &dataTable{t: t, types: map[string]store.Kind{}, indexes: map[string]int{}}
	for _, a := range t.attrs {
		d.types[a.AttributeName] = map[string]store.Kind{"S": store.KindString, "N": store.KindNumber, "B": store.KindBinary}[a.AttributeType]
	}
	specs := map[string]indexSpec{}
	for _, x := range t.gsis {
		specs[x.IndexName] = x
	}
	for _, x := range t.lsis {
		specs[x.IndexName] = x
	}
	var defs []items.IndexDef
	for i, ic := range svc.Tables()[index].Config().Indexes {
		spec := specs[ic.Name]
		def := items.IndexDef{Name: ic.Name, Local: ic.Local, Schema: ic.Schema, Projection: ic.Projection,
			Include: spec.Projection.NonKeyAttributes}
		defs = append(defs, def)
		if !ic.Dropped {
			d.indexes[ic.Name] = i
		}
	}
	d.items = items.New(svc, index, defs...)
	d.schema = d.items.Schema()
	return d
}

// svc is the service the table is served by.
func (d *dataTable) svc() *model.Service { return d.t.sess.service() }

// arn is the table's ARN, or an index's.
func (s *Server) dataARN(d *dataTable, index string) string {
	if index == "" {
		return s.arn(d.t.name)
	}
	return s.arn(d.t.name) + "/index/" + index
}

var errKeySchema = wire.Validation("The provided key element does not match the schema")

// key reads a Key parameter: exactly the table's key attributes, of
// their defined types.
func (d *dataTable) key(k *wire.Item) (store.Key, error) {
	if k == nil || k.Len() == 0 {
		return store.Key{}, errKeySchema
	}
	want := 1
	if d.schema.SortKey != "" {
		want = 2
	}
	if k.Len() != want {
		return store.Key{}, errKeySchema
	}
	var key store.Key
	for i, name := range []string{d.schema.PartitionKey, d.schema.SortKey}[:want] {
		v, ok := k.Get(name)
		if !ok || v.Kind() != d.types[name] {
			return store.Key{}, errKeySchema
		}
		if err := emptyKey(name, v); err != nil {
			return store.Key{}, err
		}
		if i == 0 {
			key.PK = v
		} else {
			key.SK = v
		}
	}
	return key, nil
}

// emptyKey refuses an empty String or Binary as a key value.
func emptyKey(name string, v store.Value) error {
	if (v.Kind() == store.KindString || v.Kind() == store.KindBinary) && v.Text() == "" {
		return wire.Validation("One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty " +
			map[store.Kind]string{store.KindString: "string", store.KindBinary: "binary"}[v.Kind()] + " value. Key: " + name)
	}
	return nil
}

// checkItem refuses an item the service refuses: keys missing or of the
// wrong type, an index key of the wrong type, more than 400 KB.
func (d *dataTable) checkItem(it store.Item) error {
	for _, name := range []string{d.schema.PartitionKey, d.schema.SortKey} {
		if name == "" {
			continue
		}
		v, ok := it.Get(name)
		if !ok {
			return wire.Validation("One or more parameter values were invalid: Missing the key " + name + " in the item")
		}
		if v.Kind() != d.types[name] {
			return wire.Validation(fmt.Sprintf("One or more parameter values were invalid: Type mismatch for key %s expected: %s actual: %s",
				name, d.types[name], v.Kind()))
		}
		if err := emptyKey(name, v); err != nil {
			return err
		}
	}
	for _, x := range d.items.Indexes() {
		def := x.Def()
		for _, name := range []string{def.Schema.PartitionKey, def.Schema.SortKey} {
			if v, ok := it.Get(name); ok && name != "" && v.Kind() != d.types[name] {
				return wire.Validation(fmt.Sprintf("One or more parameter values were invalid: Type mismatch for Index Key %s Expected: %s Actual: %s IndexName: %s",
					name, d.types[name], v.Kind(), def.Name))
			}
		}
	}
	if it.Size() > units.MaxItemSize {
		return wire.Validation("Item size has exceeded the maximum allowed size")
	}
	return nil
}

// storeError turns an error of package items or store into the
// service's.
func storeError(err error) error {
	var we *wire.Error
	var ee *expr.Error
	switch {
	case errors.As(err, &we):
		return we
	case errors.As(err, &ee):
		return wire.Validation(ee.Message)
	case errors.Is(err, store.ErrItemTooLarge):
		return wire.Validation("Item size has exceeded the maximum allowed size")
	case errors.Is(err, items.ErrKeyMissing), errors.Is(err, store.ErrMissingKey), errors.Is(err, store.ErrInvalidKey):
		return errKeySchema
	case errors.Is(err, store.ErrKeyTooLarge):
		return wire.Validation("One or more parameter values were invalid: Size of hashkey has exceeded the maximum size limit of 2048 bytes")
	case errors.Is(err, store.ErrUpdateKey):
		return wire.Validation("One or more parameter values were invalid: Cannot update attribute " + "(a key attribute). This attribute is part of the key")
	}
	return wire.Validation(err.Error())
}

// consumed is the ConsumedCapacity to return for mode (TOTAL, INDEXES,
// or "" and NONE for none) of what o consumed on table name; index names
// the index a Query or Scan read.
func consumed(d *dataTable, mode, name, index string, local bool, o items.Outcome) *wire.ConsumedCapacity {
	if mode != "TOTAL" && mode != "INDEXES" {
		return nil
	}
	r, w, x := o.Read.Float(), o.Write.Float(), o.IndexWrite.Float()
	c := &wire.ConsumedCapacity{TableName: name, CapacityUnits: r + w + x, ReadCapacityUnits: r, WriteCapacityUnits: w + x}
	if mode == "INDEXES" {
		switch {
		case index == "":
			// A write's local index units are in w; the table's own are
			// what is left.
			var local float64
			for name, u := range o.Indexes {
				used := wire.Capacity{CapacityUnits: u.Float(), WriteCapacityUnits: u.Float()}
				if x, ok := localIndex(name, d); ok && x {
					local += u.Float()
					if c.LocalSecondaryIndexes == nil {
						c.LocalSecondaryIndexes = map[string]wire.Capacity{}
					}
					c.LocalSecondaryIndexes[name] = used
					continue
				}
				if c.GlobalSecondaryIndexes == nil {
					c.GlobalSecondaryIndexes = map[string]wire.Capacity{}
				}
				c.GlobalSecondaryIndexes[name] = used
			}
			c.Table = &wire.Capacity{CapacityUnits: r + w - local, ReadCapacityUnits: r, WriteCapacityUnits: w - local}
		case local:
			c.Table = &wire.Capacity{}
			c.LocalSecondaryIndexes = map[string]wire.Capacity{index: {CapacityUnits: r, ReadCapacityUnits: r}}
		default:
			c.Table = &wire.Capacity{}
			c.GlobalSecondaryIndexes = map[string]wire.Capacity{index: {CapacityUnits: r, ReadCapacityUnits: r}}
		}
	}
	return c
}

// collectionMetrics is what a write returns for ReturnItemCollectionMetrics
// SIZE on a table with a local secondary index: its item collection's key
// and size. The service gives the size as a range of gigabytes and warns
// against relying on its precision; this gives the whole gigabytes the
// size falls between ([0, 1] below a gigabyte, as the service's answers
// for small collections read).
func (d *dataTable) collectionMetrics(mode string, pk store.Value) *wire.ItemCollectionMetrics {
	if mode != "SIZE" || !d.items.HasLocalIndex() {
		return nil
	}
	gb := float64(d.items.CollectionBytes(pk)) / (1 << 30)
	lo := float64(int64(gb))
	key := store.NewItem(store.Attribute{Name: d.schema.PartitionKey, Value: pk})
	return &wire.ItemCollectionMetrics{ItemCollectionKey: wire.Wrap(key), SizeEstimateRangeGB: []float64{lo, lo + 1}}
}

// collectionsMetrics is collectionMetrics for the item collections a
// batch or a transaction wrote on d, once each, leaving out the parts at
// skip (unprocessed); nil when there are none.
func (d *dataTable) collectionsMetrics(mode string, parts []items.WriteRequest, skip []int) []wire.ItemCollectionMetrics {
	var out []wire.ItemCollectionMetrics
	seen := map[string]bool{}
	for i, p := range parts {
		if slices.Contains(skip, i) || seen[p.Key.PK.String()] {
			continue
		}
		seen[p.Key.PK.String()] = true
		if m := d.collectionMetrics(mode, p.Key.PK); m != nil {
			out = append(out, *m)
		}
	}
	return out
}

// metricsMode checks ReturnItemCollectionMetrics.
func metricsMode(mode string) error {
	if mode == "" || mode == "NONE" || mode == "SIZE" {
		return nil
	}
	return wire.Validation(fmt.Sprintf("1 validation error detected: Value '%s' at 'returnItemCollectionMetrics' failed to satisfy constraint: Member must satisfy enum value set: [SIZE, NONE]", mode))
}

// localIndex reports whether the index name of d is local, and whether
// d has it.
func localIndex(name string, d *dataTable) (local, ok bool) {
	i, ok := d.indexes[name]
	if !ok {
		return false, false
	}
	return d.items.Indexes()[i].Def().Local, true
}

// consumedMode checks ReturnConsumedCapacity.
func consumedMode(mode string) error {
	if mode == "" || mode == "NONE" || mode == "TOTAL" || mode == "INDEXES" {
		return nil
	}
	return wire.Validation(fmt.Sprintf("1 validation error detected: Value '%s' at 'returnConsumedCapacity' failed to satisfy constraint: Member must satisfy enum value set: [INDEXES, TOTAL, NONE]", mode))
}

// throttled is the service's error for a request the model refused, with
// its ThrottlingReasons (REFERENCE: throttling): an on-demand table or
// index answers ThrottlingException, a provisioned one
// ProvisionedThroughputExceededException, the account's quota
// RequestLimitExceeded.
func (s *Server) throttled(d *dataTable, o items.Outcome) *wire.Error {
	svc := d.svc()
	ev := svc.LastThrottle()
	reason := o.Reason
	mt := svc.Tables()[d.t.index]
	index := ""
	if ev.Table >= 0 && ev.Table < len(svc.Tables()) {
		if _, name, ok := svc.Tables()[ev.Table].BaseTable(); ok {
			index = name
		}
	}
	resource := s.dataARN(d, index)
	if reason == model.DAXThrottled {
		return &wire.Error{Type: wire.ThrottlingException, Message: "Throughput exceeds the current capacity of the DAX cluster"}
	}
	e := &wire.Error{ThrottlingReasons: []wire.ThrottlingReason{{Reason: reason.String(), Resource: resource}}}
	switch {
	case reason == model.TableReadAccountLimitExceeded || reason == model.TableWriteAccountLimitExceeded ||
		reason == model.IndexReadAccountLimitExceeded || reason == model.IndexWriteAccountLimitExceeded:
		e.Type, e.Message = wire.RequestLimitExceeded, wire.MsgRequestLimitExceeded
	case mt.Mode() == model.OnDemand && reason.IsIndex():
		e.Type, e.Message = wire.ThrottlingException, wire.MsgOnDemandIndexThrottled
	case mt.Mode() == model.OnDemand:
		e.Type, e.Message = wire.ThrottlingException, wire.MsgOnDemandTableThrottled
	case reason.IsIndex():
		e.Type, e.Message = wire.ProvisionedThroughputExceededException, wire.MsgIndexThroughputExceeded
	default:
		e.Type, e.Message = wire.ProvisionedThroughputExceededException, wire.MsgTableThroughputExceeded
	}
	return e
}

// modelError is the service's error for a model error other than a
// throttle; nil for none.
func modelError(kind model.ErrorKind) *wire.Error {
	switch kind {
	case model.NoError:
		return nil
	case model.ErrTransactionConflict:
		return &wire.Error{Type: wire.TransactionConflictException, Message: "Transaction is ongoing for the item"}
	case model.ErrItemCollectionTooLarge:
		return &wire.Error{Type: wire.ItemCollectionSizeLimitExceededException, Message: "Collection size exceeded."}
	case model.ErrRegionUnavailable:
		return &wire.Error{Type: wire.InternalServerError, Message: wire.MsgInternalServerError}
	}
	return &wire.Error{Type: wire.InternalServerError, Message: wire.MsgInternalServerError}
}

// record reports a served call's outcome to its session, as a workload's
// client reports a request's: the session's results then count the
// application's calls with the background traffic's. The server sees
// attempts, not requests: each call is one outcome, and a call the SDK
// marks as a retry (its amz-sdk-request header) is also a retry.
func (s *Server) record(d *dataTable, r *Request, op units.Op, local sim.Time, o items.Outcome) {
	rec := d.t.sess.sim.Recorder()
	attempts := max(r.Attempt, 1)
	if attempts > 1 {
		rec.Retry(local, d.t.index, op)
	}
	res := model.Succeeded
	switch {
	case o.Throttled():
		res = model.Throttled
	case o.Err != model.NoError:
		res = model.Failed
	}
	// The outcome is the client's when the response reaches it: recorded
	// then, in time order with the simulation's own, as a workload's
	// request reports its final response.
	out := model.Outcome{Table: d.t.index, Op: op, Result: res, Start: local, End: local + o.Latency,
		Attempts: attempts, Reason: o.Reason, Error: o.Err}
	d.t.sess.sim.Kernel.At(out.End, &finishAt{rec: rec, o: out})
}

// finishAt records a served call's outcome when its response is due.
type finishAt struct {
	rec model.Recorder
	o   model.Outcome
}

func (f *finishAt) Fire(sim.Time) { f.rec.Finish(f.o) }

// keyItem is an item holding only key, as an update starts from when no
// item is stored.
func (d *dataTable) keyItem(k store.Key) store.Item {
	attrs := []store.Attribute{{Name: d.schema.PartitionKey, Value: k.PK}}
	if d.schema.SortKey != "" {
		attrs = append(attrs, store.Attribute{Name: d.schema.SortKey, Value: k.SK})
	}
	return store.NewItem(attrs...)
}

// keyOf is an item's primary key.
func (d *dataTable) keyOf(it store.Item) store.Key {
	var k store.Key
	k.PK, _ = it.Get(d.schema.PartitionKey)
	if d.schema.SortKey != "" {
		k.SK, _ = it.Get(d.schema.SortKey)
	}
	return k
}

// values decodes ExpressionAttributeValues.
func values(in map[string]wire.AttributeValue) map[string]store.Value {
	if in == nil {
		return nil
	}
	out := make(map[string]store.Value, len(in))
	for k, v := range in {
		out[k] = v.Value
	}
	return out
}

// sortedNames is a map's keys in order, for deterministic iteration.
func sortedNames[V any](m map[string]V) []string {
	names := make([]string, 0, len(m))
	for k := range m {
		names = append(names, k)
	}
	slices.Sort(names)
	return names
}
