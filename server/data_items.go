package server

import (
	"slices"

	"github.com/ddbsim/ddbsim/model"
	"github.com/ddbsim/ddbsim/model/store"
	"github.com/ddbsim/ddbsim/model/units"
	"github.com/ddbsim/ddbsim/server/expr"
	"github.com/ddbsim/ddbsim/server/items"
	"github.com/ddbsim/ddbsim/server/wire"
	"github.com/ddbsim/ddbsim/sim"
)

// GetItem, PutItem, UpdateItem and DeleteItem.

// bothForms refuses a request that mixes an expression with the legacy
// parameter it replaces, in the service's words.
func bothForms(legacy, expression string) error {
	return wire.Validation("Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {" +
		legacy + "} Expression parameters: {" + expression + "}")
}

// projectionOf parses ProjectionExpression or AttributesToGet; nil for
// every attribute.
func projectionOf(env *expr.Env, expression string, toGet []string) (*expr.Projection, error) {
	switch {
	case expression != "" && len(toGet) > 0:
		return nil, bothForms("AttributesToGet", "ProjectionExpression")
	case expression != "":
		return env.Projection(expression)
	case len(toGet) > 0:
		return expr.FromAttributesToGet(toGet)
	}
	return nil, nil
}

// condition parses ConditionExpression or the legacy Expected; nil for
// none.
func condition(env *expr.Env, expression string, expected map[string]wire.ExpectedAttributeValue, op string) (*expr.Condition, error) {
	switch {
	case expression != "" && len(expected) > 0:
		return nil, bothForms("Expected", "ConditionExpression")
	case expression != "":
		return env.Condition(expr.ConditionExpression, expression)
	case len(expected) > 0:
		legacy := make(map[string]expr.Expected, len(expected))
		for name, e := range expected {
			x := expr.Expected{Exists: e.Exists}
			if e.Value != nil {
				v := e.Value.Value
				x.Value = &v
			}
			if e.ComparisonOperator != "" {
				c := &expr.Comparison{Operator: e.ComparisonOperator}
				for _, v := range e.AttributeValueList {
					c.Values = append(c.Values, v.Value)
				}
				x.Comparison = c
			}
			legacy[name] = x
		}
		return expr.FromExpected(legacy, op)
	}
	return nil, nil
}

// conditionOf is the items.Condition of a parsed condition (nil: none).
func conditionOf(c *expr.Condition) items.Condition {
	if c == nil {
		return items.Always
	}
	return func(old store.Item, _ bool) (bool, error) { return c.Eval(old), nil }
}

// project applies a projection (nil: the whole item).
func project(p *expr.Projection, it store.Item) store.Item {
	if p == nil {
		return it
	}
	return p.Apply(it)
}

func consistency(strong bool) units.Consistency {
	if strong {
		return units.Strong
	}
	return units.Eventual
}

// env checks the expression maps of a request.
func env(names map[string]string, vals map[string]wire.AttributeValue) (*expr.Env, error) {
	e, err := expr.NewEnv(names, values(vals))
	if err != nil {
		return nil, storeError(err)
	}
	return e, nil
}

func getItem(s *Server, r *Request) (any, error) {
	var in wire.GetItemInput
	if err := wire.DecodeRequest(r.Body, &in); err != nil {
		return nil, err
	}
	if err := consumedMode(in.ReturnConsumedCapacity); err != nil {
		return nil, err
	}
	e, err := env(in.ExpressionAttributeNames, nil)
	if err != nil {
		return nil, err
	}
	proj, err := projectionOf(e, in.ProjectionExpression, in.AttributesToGet)
	if err == nil {
		err = e.Unused()
	}
	if err != nil {
		return nil, storeError(err)
	}
	r.Table = in.TableName
	var out wire.GetItemOutput
	err = s.call(func(now sim.Time) error {
		d, local, key, err := s.dataKey(in.TableName, in.Key, now)
		if err != nil {
			return err
		}
		it, found, o := d.items.Get(local, key.PK, key.SK, consistency(in.ConsistentRead))
		r.Latency = o.Latency
		s.record(d, r, units.OpGet, local, o)
		if o.Throttled() {
			return s.throttled(d, o)
		}
		if found {
			out.Item = wire.Wrap(project(proj, it))
		}
		out.ConsumedCapacity = consumed(d, in.ReturnConsumedCapacity, in.TableName, "", false, o)
		return nil
	})
	return &out, err
}

// writeDone turns the result of a write into its error: a throttle, a
// failed condition (with the item when asked), or another model error.
func (s *Server) writeDone(d *dataTable, w items.Write, onFailure string) error {
	switch {
	case w.Throttled():
		return s.throttled(d, w.Outcome)
	case w.Err == model.ErrConditionalCheckFailed:
		var it *wire.Item
		if onFailure == "ALL_OLD" && w.Found {
			it = wire.Wrap(w.Old)
		}
		return wire.ConditionalCheckFailed(it)
	}
	if e := modelError(w.Err); e != nil {
		return e
	}
	return nil
}

// writeParams checks what PutItem, UpdateItem and DeleteItem carry
// alike: ReturnConsumedCapacity, ReturnItemCollectionMetrics, ReturnValues
// (one of allowed) and the expression maps, whose Env it returns.
func writeParams(consumedCap, metrics, returnValues string, allowed []string, names map[string]string,
	vals map[string]wire.AttributeValue) (*expr.Env, error) {
	if err := consumedMode(consumedCap); err != nil {
		return nil, err
	}
	if err := metricsMode(metrics); err != nil {
		return nil, err
	}
	if returnValues != "" && !slices.Contains(allowed, returnValues) {
		return nil, wire.Validation("Return values set to invalid value")
	}
	return env(names, vals)
}

// oldValues are the ReturnValues PutItem and DeleteItem take.
var oldValues = []string{"NONE", "ALL_OLD"}

func putItem(s *Server, r *Request) (any, error) {
	var in wire.PutItemInput
	if err := wire.DecodeRequest(r.Body, &in); err != nil {
		return nil, err
	}
	e, err := writeParams(in.ReturnConsumedCapacity, in.ReturnItemCollectionMetrics, in.ReturnValues, oldValues,
		in.ExpressionAttributeNames, in.ExpressionAttributeValues)
	if err != nil {
		return nil, err
	}
	if in.Item == nil {
		return nil, wire.Validation("1 validation error detected: Value null at 'item' failed to satisfy constraint: Member must not be null")
	}
	cond, err := condition(e, in.ConditionExpression, in.Expected, in.ConditionalOperator)
	if err == nil {
		err = e.Unused()
	}
	if err != nil {
		return nil, storeError(err)
	}
	r.Table = in.TableName
	var out wire.PutItemOutput
	err = s.call(func(now sim.Time) error {
		d, local, err := s.data(in.TableName, now)
		if err != nil {
			return err
		}
		if err := d.checkItem(in.Item.Item); err != nil {
			return err
		}
		w, err := d.items.Put(local, in.Item.Item, conditionOf(cond))
		if err != nil {
			return storeError(err)
		}
		r.Latency = w.Latency
		s.record(d, r, units.OpPut, local, w.Outcome)
		if err := s.writeDone(d, w, in.ReturnValuesOnConditionCheckFailure); err != nil {
			return err
		}
		if in.ReturnValues == "ALL_OLD" && w.Found {
			out.Attributes = wire.Wrap(w.Old)
		}
		out.ConsumedCapacity = consumed(d, in.ReturnConsumedCapacity, in.TableName, "", false, w.Outcome)
		out.ItemCollectionMetrics = d.collectionMetrics(in.ReturnItemCollectionMetrics, d.keyOf(in.Item.Item).PK)
		return nil
	})
	return &out, err
}

func deleteItem(s *Server, r *Request) (any, error) {
	var in wire.DeleteItemInput
	if err := wire.DecodeRequest(r.Body, &in); err != nil {
		return nil, err
	}
	e, err := writeParams(in.ReturnConsumedCapacity, in.ReturnItemCollectionMetrics, in.ReturnValues, oldValues,
		in.ExpressionAttributeNames, in.ExpressionAttributeValues)
	if err != nil {
		return nil, err
	}
	cond, err := condition(e, in.ConditionExpression, in.Expected, in.ConditionalOperator)
	if err == nil {
		err = e.Unused()
	}
	if err != nil {
		return nil, storeError(err)
	}
	r.Table = in.TableName
	var out wire.DeleteItemOutput
	err = s.call(func(now sim.Time) error {
		d, local, key, err := s.dataKey(in.TableName, in.Key, now)
		if err != nil {
			return err
		}
		w, err := d.items.Delete(local, key.PK, key.SK, conditionOf(cond))
		if err != nil {
			return storeError(err)
		}
		r.Latency = w.Latency
		s.record(d, r, units.OpDelete, local, w.Outcome)
		if err := s.writeDone(d, w, in.ReturnValuesOnConditionCheckFailure); err != nil {
			return err
		}
		if in.ReturnValues == "ALL_OLD" && w.Found {
			out.Attributes = wire.Wrap(w.Old)
		}
		out.ConsumedCapacity = consumed(d, in.ReturnConsumedCapacity, in.TableName, "", false, w.Outcome)
		out.ItemCollectionMetrics = d.collectionMetrics(in.ReturnItemCollectionMetrics, key.PK)
		return nil
	})
	return &out, err
}

// update parses UpdateExpression or the legacy AttributeUpdates.
func update(env *expr.Env, expression string, legacy map[string]wire.AttributeValueUpdate) (*expr.Update, error) {
	switch {
	case expression != "" && len(legacy) > 0:
		return nil, bothForms("AttributeUpdates", "UpdateExpression")
	case expression != "":
		return env.Update(expression)
	case len(legacy) > 0:
		m := make(map[string]expr.AttributeUpdate, len(legacy))
		for name, u := range legacy {
			x := expr.AttributeUpdate{Action: u.Action}
			if u.Value != nil {
				v := u.Value.Value
				x.Value = &v
			}
			m[name] = x
		}
		return expr.FromAttributeUpdates(m)
	}
	return nil, nil
}

func updateItem(s *Server, r *Request) (any, error) {
	var in wire.UpdateItemInput
	if err := wire.DecodeRequest(r.Body, &in); err != nil {
		return nil, err
	}
	e, err := writeParams(in.ReturnConsumedCapacity, in.ReturnItemCollectionMetrics, in.ReturnValues,
		[]string{"NONE", "ALL_OLD", "UPDATED_OLD", "ALL_NEW", "UPDATED_NEW"}, in.ExpressionAttributeNames, in.ExpressionAttributeValues)
	if err != nil {
		return nil, err
	}
	upd, err := update(e, in.UpdateExpression, in.AttributeUpdates)
	var cond *expr.Condition
	if err == nil {
		cond, err = condition(e, in.ConditionExpression, in.Expected, in.ConditionalOperator)
	}
	if err == nil {
		err = e.Unused()
	}
	if err != nil {
		return nil, storeError(err)
	}
	r.Table = in.TableName
	var out wire.UpdateItemOutput
	err = s.call(func(now sim.Time) error {
		d, local, key, err := s.dataKey(in.TableName, in.Key, now)
		if err != nil {
			return err
		}
		apply := func(old store.Item, found bool) (store.Item, error) {
			if !found {
				old = d.keyItem(key)
			}
			if upd == nil {
				return old, nil
			}
			next, err := upd.Apply(old, d.schema)
			if err != nil {
				return next, err
			}
			return next, d.checkItem(next)
		}
		w, err := d.items.Update(local, key.PK, key.SK, apply, conditionOf(cond))
		if err != nil {
			return storeError(err)
		}
		r.Latency = w.Latency
		s.record(d, r, units.OpUpdate, local, w.Outcome)
		if err := s.writeDone(d, w, in.ReturnValuesOnConditionCheckFailure); err != nil {
			return err
		}
		switch in.ReturnValues {
		case "ALL_OLD":
			if w.Found {
				out.Attributes = wire.Wrap(w.Old)
			}
		case "ALL_NEW":
			out.Attributes = wire.Wrap(w.New)
		case "UPDATED_OLD", "UPDATED_NEW":
			if upd != nil {
				src := w.New
				if in.ReturnValues == "UPDATED_OLD" {
					src = w.Old
				}
				if it := upd.Touched().Apply(src); it.Len() > 0 {
					out.Attributes = wire.Wrap(it)
				}
			}
		}
		out.ConsumedCapacity = consumed(d, in.ReturnConsumedCapacity, in.TableName, "", false, w.Outcome)
		out.ItemCollectionMetrics = d.collectionMetrics(in.ReturnItemCollectionMetrics, key.PK)
		return nil
	})
	return &out, err
}
