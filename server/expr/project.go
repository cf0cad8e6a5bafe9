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
	root := map[string]*projected{}
	for _, path := range pr.paths {
		v, ok := it.Get(path[0].name)
		if !ok {
			continue
		}
		if _, ok := lookupIn(v, path[1:]); !ok {
			continue
		}
		n := root[path[0].name]
		if n == nil {
			n = &projected{kind: v.Kind()}
			root[path[0].name] = n
		}
		for _, s := range path[1:] {
			var next store.Value
			var c *projected
			if s.isIndex {
				next = v.List()[s.index]
				if n.elems == nil {
					n.elems = map[int]*projected{}
				}
				if c = n.elems[s.index]; c == nil {
					c = &projected{kind: next.Kind()}
					n.elems[s.index] = c
				}
			} else {
				next, _ = member(v, s.name)
				if n.members == nil {
					n.members = map[string]*projected{}
				}
				if c = n.members[s.name]; c == nil {
					c = &projected{kind: next.Kind()}
					n.members[s.name] = c
				}
			}
			n, v = c, next
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
	if err := p.keyLeaves(root, &leaves); err != nil {
		return store.Value{}, none, err
	}
	if len(leaves) > 2 {
		return store.Value{}, none, p.fail("Conditions can be of length 1 or 2 only")
	}
	var pk store.Value
	sc := none
	seen := map[string]bool{}
	for _, c := range leaves {
		name, sc1, err := p.keyLeaf(c)
		if err != nil {
			return store.Value{}, none, err
		}
		if seen[name] {
			return store.Value{}, none, p.fail("KeyConditionExpressions must only contain one condition per key")
		}
		seen[name] = true
		switch {
		case name == schema.PartitionKey:
			if sc1.Op != store.CondEQ {
				return store.Value{}, none, errorf("Query key condition not supported")
			}
			pk = sc1.A
		case schema.SortKey != "" && name == schema.SortKey:
			sc = sc1
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
func (p *parser) keyLeaves(c *cond, out *[]*cond) error {
	switch c.kind {
	case cAnd:
		if err := p.keyLeaves(c.l, out); err != nil {
			return err
		}
		return p.keyLeaves(c.r, out)
	case cOr:
		return p.fail("Invalid operator used in KeyConditionExpression: OR")
	case cNot:
		return p.fail("Invalid operator used in KeyConditionExpression: NOT")
	case cIn:
		return p.fail("Invalid operator used in KeyConditionExpression: IN")
	case cExists, cNotExists, cType, cContains:
		return p.fail("Invalid operator used in KeyConditionExpression: " + c.fn)
	case cCompare:
		if c.cmp == opNE {
			return p.fail("Invalid operator used in KeyConditionExpression: <>")
		}
	}
	*out = append(*out, c)
	return nil
}

var sortOps = map[cmpOp]store.SortOp{opEQ: store.CondEQ, opLT: store.CondLT, opLE: store.CondLE, opGT: store.CondGT, opGE: store.CondGE}

// flipped is the comparator with its operands swapped: :v < k is k > :v.
var flipped = map[cmpOp]cmpOp{opEQ: opEQ, opLT: opGT, opLE: opGE, opGT: opLT, opGE: opLE}

// keyLeaf turns one condition on a key attribute into the attribute's
// name and a SortCondition.
func (p *parser) keyLeaf(c *cond) (string, store.SortCondition, error) {
	unsupported := errorf("Query key condition not supported")
	keyName := func(o *operand) (string, bool) {
		if o.kind != oPath || len(o.path) != 1 {
			return "", false
		}
		return o.path[0].name, true
	}
	scalar := func(o *operand, fn string) error {
		if o.kind != oValue {
			return unsupported
		}
		switch k := o.val.Kind(); k {
		case store.KindString, store.KindBinary:
		case store.KindNumber:
			if fn == "begins_with" {
				return p.fail("Incorrect operand type for operator or function; operator or function: begins_with, operand type: N")
			}
		default:
			return p.fail("Incorrect operand type for operator or function; operator or function: " + fn + ", operand type: " + k.String())
		}
		return nil
	}
	switch c.kind {
	case cCompare:
		l, r, op := c.args[0], c.args[1], c.cmp
		if l.kind == oValue {
			l, r, op = r, l, flipped[op]
		}
		name, ok := keyName(l)
		if !ok {
			return "", store.SortCondition{}, unsupported
		}
		if err := scalar(r, cmpSymbol(op)); err != nil {
			return "", store.SortCondition{}, err
		}
		return name, store.SortCondition{Op: sortOps[op], A: r.val}, nil
	case cBetween:
		name, ok := keyName(c.args[0])
		if !ok {
			return "", store.SortCondition{}, unsupported
		}
		for _, o := range c.args[1:] {
			if err := scalar(o, "BETWEEN"); err != nil {
				return "", store.SortCondition{}, err
			}
		}
		return name, store.SortCondition{Op: store.CondBetween, A: c.args[1].val, B: c.args[2].val}, nil
	case cBeginsWith:
		name, ok := keyName(c.args[0])
		if !ok {
			return "", store.SortCondition{}, unsupported
		}
		if err := scalar(c.args[1], "begins_with"); err != nil {
			return "", store.SortCondition{}, err
		}
		return name, store.SortCondition{Op: store.CondBeginsWith, A: c.args[1].val}, nil
	}
	return "", store.SortCondition{}, unsupported
}

func cmpSymbol(op cmpOp) string {
	for s, o := range cmpNames {
		if o == op {
			return s
		}
	}
	return "?"
}
