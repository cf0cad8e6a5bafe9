package server

import (
	"fmt"

	"github.com/ddbsim/ddbsim/model/store"
	"github.com/ddbsim/ddbsim/model/units"
	"github.com/ddbsim/ddbsim/server/expr"
	"github.com/ddbsim/ddbsim/server/items"
	"github.com/ddbsim/ddbsim/server/wire"
	"github.com/ddbsim/ddbsim/sim"
)

// Query and Scan, on a table or one of its indexes.

// readShape is what Query and Scan share once their parameters are read.
type readShape struct {
	filter *expr.Condition
	proj   *expr.Projection
	count  bool // Select COUNT
	limit  int
}

// filterOf parses FilterExpression or the legacy QueryFilter/ScanFilter.
func filterOf(env *expr.Env, expression, legacyName string, legacy map[string]wire.Condition, op string) (*expr.Condition, error) {
	switch {
	case expression != "" && len(legacy) > 0:
		return nil, bothForms(legacyName, "FilterExpression")
	case expression != "":
		return env.Condition(expr.FilterExpression, expression)
	case len(legacy) > 0:
		return expr.FromFilter(comparisons(legacy), op)
	}
	return nil, nil
}

func comparisons(in map[string]wire.Condition) map[string]expr.Comparison {
	out := make(map[string]expr.Comparison, len(in))
	for name, c := range in {
		x := expr.Comparison{Operator: c.ComparisonOperator}
		for _, v := range c.AttributeValueList {
			x.Values = append(x.Values, v.Value)
		}
		out[name] = x
	}
	return out
}

// readParams checks Select, Limit and the projection.
func readParams(env *expr.Env, sel string, limit *int, projection string, toGet []string, index string) (readShape, error) {
	var r readShape
	if limit != nil {
		if *limit < 1 {
			return r, wire.Validation(fmt.Sprintf("1 validation error detected: Value '%d' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1", *limit))
		}
		r.limit = *limit
	}
	p, err := projectionOf(env, projection, toGet)
	if err != nil {
		return r, err
	}
	r.proj = p
	switch sel {
	case "", "ALL_ATTRIBUTES":
		if sel != "" && p != nil {
			return r, wire.Validation("Cannot specify the AttributesToGet when choosing to get ALL_ATTRIBUTES")
		}
	case "ALL_PROJECTED_ATTRIBUTES":
		if index == "" {
			return r, wire.Validation("ALL_PROJECTED_ATTRIBUTES can be used only when Querying using an IndexName")
		}
	case "SPECIFIC_ATTRIBUTES":
		if p == nil {
			return r, wire.Validation("Must specify the AttributesToGet when choosing to get SPECIFIC_ATTRIBUTES")
		}
	case "COUNT":
		if p != nil {
			return r, wire.Validation("Cannot specify the AttributesToGet when choosing to get only the COUNT")
		}
		r.count = true
	default:
		return r, wire.Validation(fmt.Sprintf("1 validation error detected: Value '%s' at 'select' failed to satisfy constraint: Member must satisfy enum value set: [SPECIFIC_ATTRIBUTES, COUNT, ALL_ATTRIBUTES, ALL_PROJECTED_ATTRIBUTES]", sel))
	}
	return r, nil
}

// keep is the filter as package items takes it.
func (r readShape) keep() items.Filter {
	if r.filter == nil {
		return nil
	}
	return r.filter.Eval
}

// shape makes the items a page returns: projected, or none for COUNT.
func (r readShape) shape(its []store.Item) []wire.Item {
	if r.count {
		return nil
	}
	out := make([]wire.Item, len(its))
	for i, it := range its {
		out[i] = wire.Item{Item: project(r.proj, it)}
	}
	return out
}

// index resolves IndexName: its position, definition and schema.
func (d *dataTable) index(name string) (int, items.IndexDef, error) {
	i, ok := d.indexes[name]
	if !ok {
		return 0, items.IndexDef{}, wire.Validation("The table does not have the specified index: " + name)
	}
	return i, d.items.Indexes()[i].Def(), nil
}

// startKey reads ExclusiveStartKey for the table: its key attributes.
func (d *dataTable) startKey(k *wire.Item) (*store.Key, error) {
	if k == nil {
		return nil, nil
	}
	key, err := d.key(k)
	if err != nil {
		return nil, wire.Validation("The provided starting key is invalid: The provided key element does not match the schema")
	}
	return &key, nil
}

// indexStart reads ExclusiveStartKey for an index: the table's keys and
// the index's.
func (d *dataTable) indexStart(k *wire.Item, def items.IndexDef) (*items.IndexKey, error) {
	if k == nil {
		return nil, nil
	}
	bad := wire.Validation("The provided starting key is invalid: The provided key element does not match the schema")
	var out items.IndexKey
	var ok bool
	if out.PK, ok = k.Get(def.Schema.PartitionKey); !ok {
		return nil, bad
	}
	if def.Schema.SortKey != "" {
		if out.SK, ok = k.Get(def.Schema.SortKey); !ok {
			return nil, bad
		}
	}
	if out.Base.PK, ok = k.Get(d.schema.PartitionKey); !ok {
		return nil, bad
	}
	if d.schema.SortKey != "" {
		if out.Base.SK, ok = k.Get(d.schema.SortKey); !ok {
			return nil, bad
		}
	}
	return &out, nil
}

// lastKey is a table page's LastEvaluatedKey.
func (d *dataTable) lastKey(k *store.Key) *wire.Item {
	if k == nil {
		return nil
	}
	return wire.Wrap(d.keyItem(*k))
}

// indexLastKey is an index page's LastEvaluatedKey.
func (d *dataTable) indexLastKey(k *items.IndexKey, def items.IndexDef) *wire.Item {
	if k == nil {
		return nil
	}
	attrs := []store.Attribute{{Name: d.schema.PartitionKey, Value: k.Base.PK}, {Name: def.Schema.PartitionKey, Value: k.PK}}
	if d.schema.SortKey != "" {
		attrs = append(attrs, store.Attribute{Name: d.schema.SortKey, Value: k.Base.SK})
	}
	if def.Schema.SortKey != "" {
		attrs = append(attrs, store.Attribute{Name: def.Schema.SortKey, Value: k.SK})
	}
	return wire.Wrap(store.NewItem(attrs...))
}

// keyTypes checks a key condition's values against the defined types.
func (d *dataTable) keyTypes(schema store.KeySchema, pk store.Value, sort store.SortCondition) error {
	bad := wire.Validation("One or more parameter values were invalid: Condition parameter type does not match schema type")
	if pk.Kind() != d.types[schema.PartitionKey] {
		return bad
	}
	if sort.Op != store.CondNone && (sort.A.Kind() != d.types[schema.SortKey] || sort.Op == store.CondBetween && sort.B.Kind() != d.types[schema.SortKey]) {
		return bad
	}
	return nil
}

// answer records a Query's or Scan's page (op) and makes its answer: the
// throttle's error, or the page shaped as the request asked, LastKey
// already in the wire's form. A ScanOutput has the same fields.
func (s *Server) answer(d *dataTable, r *Request, op units.Op, local sim.Time, o items.Outcome, its []store.Item, scanned int,
	last *wire.Item, shape readShape, mode, index string, localIndex bool) (wire.QueryOutput, error) {
	r.Latency = o.Latency
	s.record(d, r, op, local, o)
	if o.Throttled() {
		return wire.QueryOutput{}, s.throttled(d, o)
	}
	return wire.QueryOutput{Items: shape.shape(its), Count: len(its), ScannedCount: scanned, LastEvaluatedKey: last,
		ConsumedCapacity: consumed(d, mode, d.t.name, index, localIndex, o)}, nil
}

func query(s *Server, r *Request) (any, error) {
	var in wire.QueryInput
	if err := wire.DecodeRequest(r.Body, &in); err != nil {
		return nil, err
	}
	if err := consumedMode(in.ReturnConsumedCapacity); err != nil {
		return nil, err
	}
	e, err := env(in.ExpressionAttributeNames, in.ExpressionAttributeValues)
	if err != nil {
		return nil, err
	}
	shape, err := readParams(e, in.Select, in.Limit, in.ProjectionExpression, in.AttributesToGet, in.IndexName)
	if err != nil {
		return nil, storeError(err)
	}
	if shape.filter, err = filterOf(e, in.FilterExpression, "QueryFilter", in.QueryFilter, in.ConditionalOperator); err != nil {
		return nil, storeError(err)
	}
	switch {
	case in.KeyConditionExpression != "" && len(in.KeyConditions) > 0:
		return nil, bothForms("KeyConditions", "KeyConditionExpression")
	case in.KeyConditionExpression == "" && len(in.KeyConditions) == 0:
		return nil, wire.Validation("Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.")
	}
	r.Table, r.Index = in.TableName, in.IndexName
	forward := in.ScanIndexForward == nil || *in.ScanIndexForward
	var out wire.QueryOutput
	err = s.call(func(now sim.Time) error {
		d, local, err := s.data(in.TableName, now)
		if err != nil {
			return err
		}
		schema, pos, def := d.schema, -1, items.IndexDef{}
		if in.IndexName != "" {
			if pos, def, err = d.index(in.IndexName); err != nil {
				return err
			}
			if err := d.backfilling(in.IndexName, now); err != nil {
				return err
			}
			schema = def.Schema
			if in.ConsistentRead && !def.Local {
				return wire.Validation("Consistent reads are not supported on global secondary indexes")
			}
		}
		// The key condition needs the schema, so it is parsed here, on
		// the loop; Unused checks every expression of the request after.
		var pk store.Value
		var sort store.SortCondition
		if in.KeyConditionExpression != "" {
			pk, sort, err = e.KeyCondition(in.KeyConditionExpression, schema)
		} else {
			pk, sort, err = expr.FromKeyConditions(comparisons(in.KeyConditions), schema)
		}
		if err == nil {
			err = e.Unused()
		}
		if err == nil && shape.filter != nil && in.IndexName == "" {
			err = shape.filter.FilterOnKey(schema)
		}
		if err != nil {
			return storeError(err)
		}
		if err := d.keyTypes(schema, pk, sort); err != nil {
			return err
		}
		c := consistency(in.ConsistentRead)
		if pos >= 0 {
			start, err := d.indexStart(in.ExclusiveStartKey, def)
			if err != nil {
				return err
			}
			p := d.items.QueryIndex(local, pos, items.IndexQueryInput{PK: pk, Sort: sort, Descending: !forward, Limit: shape.limit,
				ExclusiveStart: start, Consistency: c, Filter: shape.keep()})
			out, err = s.answer(d, r, units.OpQuery, local, p.Outcome, p.Items, p.Scanned, d.indexLastKey(p.LastKey, def),
				shape, in.ReturnConsumedCapacity, in.IndexName, def.Local)
			return err
		}
		start, err := d.startKey(in.ExclusiveStartKey)
		if err != nil {
			return err
		}
		p := d.items.Query(local, items.QueryInput{PK: pk, Sort: sort, Descending: !forward, Limit: shape.limit,
			ExclusiveStart: start, Consistency: c, Filter: shape.keep()})
		out, err = s.answer(d, r, units.OpQuery, local, p.Outcome, p.Items, p.Scanned, d.lastKey(p.LastKey),
			shape, in.ReturnConsumedCapacity, "", false)
		return err
	})
	return &out, err
}

func scan(s *Server, r *Request) (any, error) {
	var in wire.ScanInput
	if err := wire.DecodeRequest(r.Body, &in); err != nil {
		return nil, err
	}
	if err := consumedMode(in.ReturnConsumedCapacity); err != nil {
		return nil, err
	}
	segment, total := 0, 0
	switch {
	case (in.Segment == nil) != (in.TotalSegments == nil):
		return nil, wire.Validation("The TotalSegments parameter is required but was not present in the request when Segment parameter is present")
	case in.TotalSegments != nil:
		segment, total = *in.Segment, *in.TotalSegments
		if total < 1 || total > 1000000 {
			return nil, wire.Validation(fmt.Sprintf("1 validation error detected: Value '%d' at 'totalSegments' failed to satisfy constraint: Member must have value less than or equal to 1000000", total))
		}
		if segment < 0 || segment >= total {
			return nil, wire.Validation(fmt.Sprintf("The Segment parameter is zero-based and must be less than parameter TotalSegments: Segment: %d is not less than TotalSegments: %d", segment, total))
		}
	}
	e, err := env(in.ExpressionAttributeNames, in.ExpressionAttributeValues)
	if err != nil {
		return nil, err
	}
	shape, err := readParams(e, in.Select, in.Limit, in.ProjectionExpression, in.AttributesToGet, in.IndexName)
	if err == nil {
		shape.filter, err = filterOf(e, in.FilterExpression, "ScanFilter", in.ScanFilter, in.ConditionalOperator)
	}
	if err == nil {
		err = e.Unused()
	}
	if err != nil {
		return nil, storeError(err)
	}
	r.Table, r.Index = in.TableName, in.IndexName
	var out wire.ScanOutput
	err = s.call(func(now sim.Time) error {
		d, local, err := s.data(in.TableName, now)
		if err != nil {
			return err
		}
		c := consistency(in.ConsistentRead)
		if in.IndexName != "" {
			pos, def, err := d.index(in.IndexName)
			if err != nil {
				return err
			}
			if err := d.backfilling(in.IndexName, now); err != nil {
				return err
			}
			if in.ConsistentRead && !def.Local {
				return wire.Validation("Consistent reads are not supported on global secondary indexes")
			}
			start, err := d.indexStart(in.ExclusiveStartKey, def)
			if err != nil {
				return err
			}
			p := d.items.ScanIndex(local, pos, items.IndexScanInput{Limit: shape.limit, ExclusiveStart: start,
				Segment: segment, TotalSegments: total, Consistency: c, Filter: shape.keep()})
			page, err := s.answer(d, r, units.OpScan, local, p.Outcome, p.Items, p.Scanned, d.indexLastKey(p.LastKey, def),
				shape, in.ReturnConsumedCapacity, in.IndexName, def.Local)
			out = wire.ScanOutput(page)
			return err
		}
		start, err := d.startKey(in.ExclusiveStartKey)
		if err != nil {
			return err
		}
		p := d.items.Scan(local, items.ScanInput{Limit: shape.limit, ExclusiveStart: start, Segment: segment, TotalSegments: total,
			Consistency: c, Filter: shape.keep()})
		page, err := s.answer(d, r, units.OpScan, local, p.Outcome, p.Items, p.Scanned, d.lastKey(p.LastKey),
			shape, in.ReturnConsumedCapacity, "", false)
		out = wire.ScanOutput(page)
		return err
	})
	return &out, err
}
