package expr

import (
	"slices"
	"strings"

	"github.com/ddbsim/ddbsim/model/store"
)

// actionKind is an update clause.
type actionKind uint8

const (
	aSet actionKind = iota
	aRemove
	aAdd
	aDelete
)

var actionNames = [...]string{"SET", "REMOVE", "ADD", "DELETE"}

// action is one action of an update: the path it writes and, for SET,
// ADD and DELETE, the operand it writes with.
type action struct {
	kind actionKind
	path docPath
	val  *operand
	// appendList makes ADD append to a List: the legacy AttributeUpdates
	// ADD does, the expression's ADD does not.
	appendList bool
}

// Update is a parsed update expression (or AttributeUpdates).
type Update struct{ actions []action }

// Update parses an UpdateExpression: SET, REMOVE, ADD and DELETE clauses,
// each at most once, in any order.
func (e *Env) Update(src string) (*Update, error) {
	p, err := e.newParser(UpdateExpression, src)
	if err != nil {
		return nil, err
	}
	u := &Update{}
	seen := map[actionKind]bool{}
	for p.peek().kind != tEOF {
		t := p.peek()
		kind := actionKind(255)
		for i, n := range actionNames {
			if t.isKeyword(n) {
				kind = actionKind(i)
			}
		}
		if kind == 255 {
			return nil, p.syntax()
		}
		if seen[kind] {
			p.note(eSection, `The "`+actionNames[kind]+`" section can only be used once in an update expression;`)
		}
		seen[kind] = true
		p.next()
		for {
			a, err := p.updateAction(kind)
			if err != nil {
				return nil, err
			}
			u.actions = append(u.actions, a)
			if err := p.countOp(); err != nil {
				return nil, err
			}
			if !p.peek().is(",") {
				break
			}
			p.next()
		}
	}
	// The service checks the paths after undefined placeholders and
	// before operand counts and types.
	if err := p.atEnd(); err != nil {
		return nil, err
	}
	if err := p.deferredBefore(eOperand); err != nil {
		return nil, err
	}
	if err := checkOverlaps(p, u.actions); err != nil {
		return nil, err
	}
	if err := p.finish(); err != nil {
		return nil, err
	}
	return u, nil
}

func (p *parser) updateAction(kind actionKind) (action, error) {
	if !p.startsPath() {
		return action{}, p.syntax()
	}
	path, err := p.path()
	if err != nil {
		return action{}, err
	}
	a := action{kind: kind, path: path}
	switch kind {
	case aSet:
		if err := p.expect("="); err != nil {
			return action{}, err
		}
		l, err := p.operand(true)
		if err != nil {
			return action{}, err
		}
		if t := p.peek(); t.is("+") || t.is("-") {
			p.next()
			if err := p.countOp(); err != nil {
				return action{}, err
			}
			r, err := p.operand(true)
			if err != nil {
				return action{}, err
			}
			k := oPlus
			if t.text == "-" {
				k = oMinus
			}
			for _, o := range []*operand{l, r} {
				if o.kind == oValue && !o.val.IsZero() && o.val.Kind() != store.KindNumber {
					p.note(eFunction, "Incorrect operand type for operator or function; operator or function: "+t.text+", operand type: "+o.val.Kind().String())
				}
			}
			l = &operand{kind: k, a: l, b: r}
		}
		a.val = l
	case aAdd, aDelete:
		v, err := p.value()
		if err != nil {
			return action{}, err
		}
		k := v.val.Kind()
		if !v.val.IsZero() && (kind == aAdd && k != store.KindNumber && !k.IsSet() || kind == aDelete && !k.IsSet()) {
			p.note(eFunction, "Incorrect operand type for operator or function; operator: "+actionNames[kind]+", operand type: "+longTypeName(k))
		}
		a.val = v
	}
	return a, nil
}

// longTypeName is the type name the service's ADD and DELETE messages
// use.
func longTypeName(k store.Kind) string {
	switch k {
	case store.KindString:
		return "STRING"
	case store.KindNumber:
		return "NUMBER"
	case store.KindBinary:
		return "BINARY"
	case store.KindBool:
		return "BOOLEAN"
	case store.KindNull:
		return "NULL"
	case store.KindList:
		return "LIST"
	case store.KindMap:
		return "MAP"
	}
	return k.String()
}

// checkOverlaps refuses two actions on one path or on a path and a part
// of it ("overlap"), and two paths that treat one level as both a List
// and a Map ("conflict").
func checkOverlaps(p *parser, as []action) error {
	for i := range as {
		for j := range i {
			if err := pathsClash(p, as[j].path, as[i].path); err != nil {
				return err
			}
		}
	}
	return nil
}

func pathsClash(p *parser, a, b docPath) error {
	n := min(len(a), len(b))
	for k := range n {
		if a[k] == b[k] {
			continue
		}
		if a[k].isIndex != b[k].isIndex {
			return p.fail("Two document paths conflict with each other; must remove or rewrite one of these paths; path one: " + a.String() + ", path two: " + b.String())
		}
		return nil
	}
	return p.fail("Two document paths overlap with each other; must remove or rewrite one of these paths; path one: " + a.String() + ", path two: " + b.String())
}

// errInvalidPath is the service's answer to a SET below a missing parent
// or through a value of the wrong type.
var errInvalidPath = errorf("The document path provided in the update expression is invalid for update")

var errBadOperand = errorf("An operand in the update expression has an incorrect data type")

var errMissingOperand = errorf("The provided expression refers to an attribute that does not exist in the item")

// Apply returns the item the update makes of old: the stored item, or,
// when none exists, an item holding only the request's key (UpdateItem
// then creates it). Every operand reads old, as the service evaluates
// them all before it writes. An action on a key attribute of schema is
// refused. The result is not checked against the item limits (size,
// nesting, empty sets): the store does that when it is written.
func (u *Update) Apply(old store.Item, schema store.KeySchema) (store.Item, error) {
	for _, a := range u.actions {
		if n := a.path[0].name; n == schema.PartitionKey || schema.SortKey != "" && n == schema.SortKey {
			return store.Item{}, errorf("One or more parameter values were invalid: Cannot update attribute %s. This attribute is part of the key", n)
		}
	}
	// Compute every new value from old first.
	vals := make([]store.Value, len(u.actions))
	for i, a := range u.actions {
		var err error
		switch a.kind {
		case aSet:
			vals[i], err = evalUpdate(a.val, old)
		case aAdd:
			vals[i], err = add(old, a)
		case aDelete:
			vals[i], err = deleteFrom(old, a)
		}
		if err != nil {
			return store.Item{}, err
		}
	}
	attrs := map[string]store.Value{}
	for name, v := range old.All() {
		attrs[name] = v
	}
	// Removals run from the highest list index down, so that removing
	// a[1] and a[3] removes the elements the client named.
	order := make([]int, len(u.actions))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(i, j int) int {
		ai, aj := u.actions[i], u.actions[j]
		if ai.kind != aRemove || aj.kind != aRemove {
			return 0
		}
		return -comparePaths(ai.path, aj.path)
	})
	for _, i := range order {
		a := u.actions[i]
		var err error
		if a.kind == aRemove || vals[i].IsZero() {
			err = removeAt(attrs, a.path)
		} else {
			err = setAt(attrs, a.path, vals[i])
		}
		if err != nil {
			return store.Item{}, err
		}
	}
	out := make([]store.Attribute, 0, len(attrs))
	for n, v := range attrs {
		out = append(out, store.Attribute{Name: n, Value: v})
	}
	return store.NewItem(out...), nil
}

func comparePaths(a, b docPath) int {
	for k := range min(len(a), len(b)) {
		if a[k].isIndex && b[k].isIndex && a[k].index != b[k].index {
			return a[k].index - b[k].index
		}
		if c := strings.Compare(a[k].name, b[k].name); c != 0 {
			return c
		}
	}
	return len(a) - len(b)
}

// evalUpdate computes a SET operand over the old item.
func evalUpdate(o *operand, old store.Item) (store.Value, error) {
	switch o.kind {
	case oPath:
		v, ok := lookup(old, o.path)
		if !ok {
			return store.Value{}, errMissingOperand
		}
		return v, nil
	case oValue:
		return o.val, nil
	case oIfNotExists:
		if v, ok := lookup(old, o.path); ok {
			return v, nil
		}
		return evalUpdate(o.b, old)
	case oListAppend:
		a, err := evalUpdate(o.a, old)
		if err != nil {
			return store.Value{}, err
		}
		b, err := evalUpdate(o.b, old)
		if err != nil {
			return store.Value{}, err
		}
		if a.Kind() != store.KindList || b.Kind() != store.KindList {
			return store.Value{}, errBadOperand
		}
		return store.L(append(a.List(), b.List()...)...), nil
	case oPlus, oMinus:
		a, err := evalUpdate(o.a, old)
		if err != nil {
			return store.Value{}, err
		}
		b, err := evalUpdate(o.b, old)
		if err != nil {
			return store.Value{}, err
		}
		if a.Kind() != store.KindNumber || b.Kind() != store.KindNumber {
			return store.Value{}, errBadOperand
		}
		return addNumbers(a, b, o.kind == oMinus)
	}
	return store.Value{}, errBadOperand
}

// add is ADD: a Number adds to a Number, a set's elements join a set of
// the same type, and a missing attribute becomes the operand.
func add(old store.Item, a action) (store.Value, error) {
	v := a.val.val
	cur, ok := lookup(old, a.path)
	if !ok {
		return v, nil
	}
	switch {
	case cur.Kind() == store.KindNumber && v.Kind() == store.KindNumber:
		return addNumbers(cur, v, false)
	case cur.Kind().IsSet() && cur.Kind() == v.Kind():
		return store.Set(cur.Kind(), append(cur.Set(), v.Set()...)...), nil
	case a.appendList && cur.Kind() == store.KindList && v.Kind() == store.KindList:
		return store.L(append(cur.List(), v.List()...)...), nil
	}
	return store.Value{}, errBadOperand
}

// deleteFrom is DELETE: the operand's elements leave a set of the same
// type; an emptied set (the zero Value here) removes the attribute.
func deleteFrom(old store.Item, a action) (store.Value, error) {
	v := a.val.val
	cur, ok := lookup(old, a.path)
	if !ok {
		return store.Value{}, nil
	}
	if cur.Kind() != v.Kind() {
		return store.Value{}, errBadOperand
	}
	drop := v.Set()
	var keep []store.Value
	for _, e := range cur.Set() {
		if !slices.ContainsFunc(drop, e.Equal) {
			keep = append(keep, e)
		}
	}
	if len(keep) == 0 {
		return store.Value{}, nil
	}
	return store.Set(cur.Kind(), keep...), nil
}

// setAt writes v at path in the top-level attributes. A list index past
// the end appends; a missing parent is an invalid path.
func setAt(attrs map[string]store.Value, path docPath, v store.Value) error {
	if len(path) == 1 {
		attrs[path[0].name] = v
		return nil
	}
	cur, ok := attrs[path[0].name]
	if !ok {
		return errInvalidPath
	}
	nv, err := setIn(cur, path[1:], v)
	if err != nil {
		return err
	}
	attrs[path[0].name] = nv
	return nil
}

func setIn(cur store.Value, path docPath, v store.Value) (store.Value, error) {
	s := path[0]
	if s.isIndex {
		if cur.Kind() != store.KindList {
			return store.Value{}, errInvalidPath
		}
		elems := cur.List()
		if s.index >= len(elems) {
			if len(path) > 1 {
				return store.Value{}, errInvalidPath
			}
			return store.L(append(elems, v)...), nil
		}
		if len(path) == 1 {
			elems[s.index] = v
		} else {
			nv, err := setIn(elems[s.index], path[1:], v)
			if err != nil {
				return store.Value{}, err
			}
			elems[s.index] = nv
		}
		return store.L(elems...), nil
	}
	if cur.Kind() != store.KindMap {
		return store.Value{}, errInvalidPath
	}
	members := cur.Map()
	i := slices.IndexFunc(members, func(a store.Attribute) bool { return a.Name == s.name })
	if i < 0 {
		if len(path) > 1 {
			return store.Value{}, errInvalidPath
		}
		return store.M(append(members, store.Attribute{Name: s.name, Value: v})...), nil
	}
	if len(path) == 1 {
		members[i].Value = v
	} else {
		nv, err := setIn(members[i].Value, path[1:], v)
		if err != nil {
			return store.Value{}, err
		}
		members[i].Value = nv
	}
	return store.M(members...), nil
}

// removeAt deletes the value at path; a missing one is no error.
func removeAt(attrs map[string]store.Value, path docPath) error {
	if len(path) == 1 {
		delete(attrs, path[0].name)
		return nil
	}
	cur, ok := attrs[path[0].name]
	if !ok {
		return nil
	}
	nv, err := removeIn(cur, path[1:])
	if err != nil {
		return err
	}
	attrs[path[0].name] = nv
	return nil
}

func removeIn(cur store.Value, path docPath) (store.Value, error) {
	s := path[0]
	if s.isIndex {
		if cur.Kind() != store.KindList {
			return store.Value{}, errInvalidPath
		}
		elems := cur.List()
		if s.index >= len(elems) {
			return cur, nil
		}
		if len(path) == 1 {
			return store.L(slices.Delete(elems, s.index, s.index+1)...), nil
		}
		nv, err := removeIn(elems[s.index], path[1:])
		if err != nil {
			return store.Value{}, err
		}
		elems[s.index] = nv
		return store.L(elems...), nil
	}
	if cur.Kind() != store.KindMap {
		return store.Value{}, errInvalidPath
	}
	members := cur.Map()
	i := slices.IndexFunc(members, func(a store.Attribute) bool { return a.Name == s.name })
	if i < 0 {
		return cur, nil
	}
	if len(path) == 1 {
		return store.M(slices.Delete(members, i, i+1)...), nil
	}
	nv, err := removeIn(members[i].Value, path[1:])
	if err != nil {
		return store.Value{}, err
	}
	members[i].Value = nv
	return store.M(members...), nil
}

// Touched returns a Projection of the paths the update writes: applied to
// the old item it gives ReturnValues UPDATED_OLD, to the new one
// UPDATED_NEW.
func (u *Update) Touched() *Projection {
	pr := &Projection{}
	for _, a := range u.actions {
		pr.paths = append(pr.paths, a.path)
	}
	return pr
}
