package expr

import (
	"maps"
	"slices"

	"github.com/ddbsim/ddbsim/model/store"
)

// Projection is a parsed ProjectionExpression (or AttributesToGet): the
// document paths a read returns.
type Projection struct{ paths []docPath }

// Projection parses a ProjectionExpression: document paths separated by
// commas, no two overlapping.
func (e *Env) Projection(src string) (*Projection, error) {
	p, err := e.newParser(ProjectionExpression, src)
	if err != nil {
		return nil, err
	}
	pr := &Projection{}
	for {
		if !p.startsPath() {
			return nil, p.syntax()
		}
		path, err := p.path()
		if err != nil {
			return nil, err
		}
		for _, q := range pr.paths {
			if err := pathsClash(p, q, path); err != nil {
				return nil, err
			}
		}
		pr.paths = append(pr.paths, path)
		if err := p.countOp(); err != nil {
			return nil, err
		}
		if !p.peek().is(",") {
			break
		}
		p.next()
	}
	if err := p.finish(); err != nil {
		return nil, err
	}
	return pr, nil
}

// projected is the part of a value a projection keeps: the whole value
// (leaf), or some members of a Map, or some elements of a List.
type projected struct {
	leaf    bool
	val     store.Value
	kind    store.Kind
	members map[string]*projected
	elems   map[int]*projected
}

func (n *projected) value() store.Value {
	if n.leaf {
		return n.val
	}
	if n.kind == store.KindList {
		// The kept elements, in list order, close up.
		var out []store.Value
		for _, i := range slices.Sorted(maps.Keys(n.elems)) {
			out = append(out, n.elems[i].value())
		}
		return store.L(out...)
	}
	out := make([]store.Attribute, 0, len(n.members))
	for name, m := range n.members {
		out = append(out, store.Attribute{Name: name, Value: m.value()})
	}
	return store.M(out...)
}

// Apply returns the parts of the item the projection names; paths the item
// lacks are left out.
func (pr *Projection) Apply(it store.Item) store.Item {
	rd := newReader(it)
	root := map[string]*projected{}
	for _, path := range pr.paths {
		v, ok := rd.get(path)
		if !ok {
			continue
		}
		top, _ := it.Get(path[0].name)
		n := root[path[0].name]
		if n == nil {
			n = &projected{kind: top.Kind()}
			root[path[0].name] = n
		}
		for k, s := range path[1:] {
			// Every prefix of a path that resolved resolves too.
			next, _ := rd.get(path[:k+2])
			var c *projected
			if s.isIndex {
				if n.elems == nil {
					n.elems = map[int]*projected{}
				}
				if c = n.elems[s.index]; c == nil {
					c = &projected{kind: next.Kind()}
					n.elems[s.index] = c
				}
			} else {
				if n.members == nil {
					n.members = map[string]*projected{}
				}
				if c = n.members[s.name]; c == nil {
					c = &projected{kind: next.Kind()}
					n.members[s.name] = c
				}
			}
			n = c
		}
		n.leaf, n.val = true, v
	}
	out := make([]store.Attribute, 0, len(root))
	for name, n := range root {
		out = append(out, store.Attribute{Name: name, Value: n.value()})
	}
	return store.NewItem(out...)
}

// KeyCondition parses a KeyConditionExpression against the table's (or
// index's) key schema: partition key = :v, and optionally AND one
// condition on the sort key (=, <, <=, >, >=, BETWEEN, begins_with).
func (e *Env) KeyCondition(src string, schema store.KeySchema) (store.Value, store.SortCondition, error) {
	var none store.SortCondition
	p, err := e.newParser(KeyConditionExpression, src)
	if err != nil {
		return store.Value{}, none, err
	}
	root, err := p.orCond()
	if err == nil {
		err = p.finish()
	}
	if err != nil {
		return store.Value{}, none, err
	}
	var leaves []*cond
	if err := keyLeaves(root, &leaves); err != nil {
		return store.Value{}, none, err
	}
	names := make([]string, len(leaves))
	conds := make([]store.SortCondition, len(leaves))
	for i, c := range leaves {
		if names[i], conds[i], err = keyLeaf(c); err != nil {
			return store.Value{}, none, err
		}
	}
	seen := map[string]bool{}
	for _, n := range names {
		if seen[n] {
			return store.Value{}, none, errorf("KeyConditionExpressions must only contain one condition per key")
		}
		seen[n] = true
	}
	if len(leaves) > 2 {
		return store.Value{}, none, errorf("Conditions can be of length 1 or 2 only")
	}
	var pk store.Value
	sc := none
	for i, name := range names {
		switch {
		case name == schema.PartitionKey:
			if conds[i].Op != store.CondEQ {
				return store.Value{}, none, errorf("Query key condition not supported")
			}
			pk = conds[i].A
		case schema.SortKey != "" && name == schema.SortKey:
			sc = conds[i]
		default:
			return store.Value{}, none, errorf("Query condition missed key schema element: %s", keyMissing(schema, seen))
		}
	}
	if pk.IsZero() {
		return store.Value{}, none, errorf("Query condition missed key schema element: %s", schema.PartitionKey)
	}
	return pk, sc, nil
}

func keyMissing(schema store.KeySchema, seen map[string]bool) string {
	if !seen[schema.PartitionKey] || schema.SortKey == "" {
		return schema.PartitionKey
	}
	return schema.SortKey
}

// keyLeaves flattens the ANDs of a key condition, refusing every other
// operator.
func keyLeaves(c *cond, out *[]*cond) error {
	bad := func(op string) error { return errorf("Invalid operator used in KeyConditionExpression: %s", op) }
	switch c.kind {
	case cAnd:
		if err := keyLeaves(c.l, out); err != nil {
			return err
		}
		return keyLeaves(c.r, out)
	case cOr:
		return bad("OR")
	case cNot:
		return bad("NOT")
	case cIn:
		return bad("IN")
	case cExists, cNotExists, cType, cContains:
		return bad(c.fn)
	case cCompare:
		if c.cmp == opNE {
			return bad("<>")
		}
	}
	*out = append(*out, c)
	return nil
}

var sortOps = map[cmpOp]store.SortOp{opEQ: store.CondEQ, opLT: store.CondLT, opLE: store.CondLE, opGT: store.CondGT, opGE: store.CondGE}

// flipped is the comparator with its operands swapped: :v < k is k > :v.
var flipped = map[cmpOp]cmpOp{opEQ: opEQ, opLT: opGT, opLE: opGE, opGT: opLT, opGE: opLE}

// keyLeaf turns one condition on a key attribute into the attribute's
// name and a SortCondition, with the service's checks in its order: the
// key first in BETWEEN and begins_with, then operand by operand no
// function, one top-level attribute name, and at least one.
func keyLeaf(c *cond) (string, store.SortCondition, error) {
	var none store.SortCondition
	switch c.kind {
	case cBetween, cBeginsWith:
		if c.args[0].kind != oPath {
			op := "BETWEEN"
			if c.kind == cBeginsWith {
				op = "begins_with"
			}
			return "", none, errorf("Invalid condition in KeyConditionExpression: %s operator must have the key attribute as its first operand", op)
		}
	}
	name := ""
	for _, o := range c.args {
		switch o.kind {
		case oPath:
			if name != "" {
				return "", none, errorf("Invalid condition in KeyConditionExpression: Multiple attribute names used in one condition")
			}
			if len(o.path) > 1 {
				return "", none, errorf("KeyConditionExpressions cannot have conditions on nested attributes")
			}
			name = o.path[0].name
		case oValue:
			if k := o.val.Kind(); k != store.KindString && k != store.KindNumber && k != store.KindBinary {
				return "", none, errorf("One or more parameter values were invalid: Condition parameter type does not match schema type")
			}
		default:
			return "", none, errorf("KeyConditionExpressions cannot contain nested operations")
		}
	}
	if name == "" {
		return "", none, errorf("Invalid condition in KeyConditionExpression: No key attribute specified")
	}
	switch c.kind {
	case cCompare:
		l, r, op := c.args[0], c.args[1], c.cmp
		if l.kind == oValue {
			r, op = l, flipped[op]
		}
		return name, store.SortCondition{Op: sortOps[op], A: r.val}, nil
	case cBetween:
		return name, store.SortCondition{Op: store.CondBetween, A: c.args[1].val, B: c.args[2].val}, nil
	}
	return name, store.SortCondition{Op: store.CondBeginsWith, A: c.args[1].val}, nil
}
