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
	rd := newReader(old)
	vals := make([]store.Value, len(u.actions))
	for i, a := range u.actions {
		var err error
		switch a.kind {
		case aSet:
			vals[i], err = evalUpdate(a.val, rd)
		case aAdd:
			vals[i], err = add(rd, a)
		case aDelete:
			vals[i], err = deleteFrom(rd, a)
		}
		if err != nil {
			return store.Item{}, err
		}
	}
	attrs := map[string]*node{}
	for name, v := range old.All() {
		attrs[name] = &node{v: v}
	}
	// Writes first, then removals from the highest list index down, so
	// that every action addresses the list positions of the old item:
	// REMOVE a[1], a[3] removes the two elements the client named.
	var removes []docPath
	for i, a := range u.actions {
		if a.kind == aRemove || vals[i].IsZero() {
			removes = append(removes, a.path)
			continue
		}
		if err := setAt(attrs, a.path, vals[i]); err != nil {
			return store.Item{}, err
		}
	}
	slices.SortFunc(removes, func(a, b docPath) int { return -comparePaths(a, b) })
	for _, path := range removes {
		if err := removeAt(attrs, path); err != nil {
			return store.Item{}, err
		}
	}
	out := make([]store.Attribute, 0, len(attrs))
	for n, nd := range attrs {
		out = append(out, store.Attribute{Name: n, Value: nd.value()})
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
func evalUpdate(o *operand, old *reader) (store.Value, error) {
	switch o.kind {
	case oPath:
		v, ok := old.get(o.path)
		if !ok {
			return store.Value{}, errMissingOperand
		}
		return v, nil
	case oValue:
		return o.val, nil
	case oIfNotExists:
		if v, ok := old.get(o.path); ok {
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
func add(old *reader, a action) (store.Value, error) {
	v := a.val.val
	cur, ok := old.get(a.path)
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
func deleteFrom(old *reader, a action) (store.Value, error) {
	v := a.val.val
	cur, ok := old.get(a.path)
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

// node is a value being updated. Containers on an updated path are
// expanded once into child nodes, so that many actions on one large List
// or Map cost one copy of it, not one per action; value() folds the
// nodes back into a store.Value.
type node struct {
	v        store.Value
	expanded bool
	list     []*node
	members  map[string]*node
}

// expand opens a List or Map for writing; false for other kinds.
func (n *node) expand() bool {
	if n.expanded {
		return true
	}
	switch n.v.Kind() {
	case store.KindList:
		for _, e := range n.v.List() {
			n.list = append(n.list, &node{v: e})
		}
	case store.KindMap:
		n.members = map[string]*node{}
		for _, a := range n.v.Map() {
			n.members[a.Name] = &node{v: a.Value}
		}
	default:
		return false
	}
	n.expanded = true
	return true
}

func (n *node) value() store.Value {
	if !n.expanded {
		return n.v
	}
	if n.v.Kind() == store.KindList {
		out := make([]store.Value, len(n.list))
		for i, c := range n.list {
			out[i] = c.value()
		}
		return store.L(out...)
	}
	out := make([]store.Attribute, 0, len(n.members))
	for name, c := range n.members {
		out = append(out, store.Attribute{Name: name, Value: c.value()})
	}
	return store.M(out...)
}

// child returns the element or member s of the container n, opening n;
// nil when it has none, and false when n is no container of the kind s
// addresses.
func (n *node) child(s step) (*node, bool) {
	if !n.expand() || s.isIndex != (n.v.Kind() == store.KindList) {
		return nil, false
	}
	if s.isIndex {
		if s.index < len(n.list) {
			return n.list[s.index], true
		}
		return nil, true
	}
	return n.members[s.name], true
}

// parentOf walks to the container holding path's last step: nil when a
// step on the way is missing, errInvalidPath when one is of the wrong
// kind.
func parentOf(attrs map[string]*node, path docPath) (*node, error) {
	n := attrs[path[0].name]
	for _, s := range path[1 : len(path)-1] {
		if n == nil {
			return nil, nil
		}
		c, ok := n.child(s)
		if !ok {
			return nil, errInvalidPath
		}
		n = c
	}
	return n, nil
}

// setAt writes v at path. A list index past the end appends; a missing
// parent, or one of the wrong kind, is an invalid path.
func setAt(attrs map[string]*node, path docPath, v store.Value) error {
	if len(path) == 1 {
		attrs[path[0].name] = &node{v: v}
		return nil
	}
	parent, _ := parentOf(attrs, path)
	if parent == nil {
		return errInvalidPath
	}
	last := path[len(path)-1]
	if _, ok := parent.child(last); !ok {
		return errInvalidPath
	}
	switch {
	case !last.isIndex:
		parent.members[last.name] = &node{v: v}
	case last.index < len(parent.list):
		parent.list[last.index] = &node{v: v}
	default:
		parent.list = append(parent.list, &node{v: v})
	}
	return nil
}

// removeAt deletes the value at path; a missing one is no error, a parent
// of the wrong kind is.
func removeAt(attrs map[string]*node, path docPath) error {
	if len(path) == 1 {
		delete(attrs, path[0].name)
		return nil
	}
	parent, err := parentOf(attrs, path)
	if parent == nil {
		return err
	}
	last := path[len(path)-1]
	c, ok := parent.child(last)
	switch {
	case !ok:
		return errInvalidPath
	case c == nil:
		return nil
	case last.isIndex:
		parent.list = slices.Delete(parent.list, last.index, last.index+1)
	default:
		delete(parent.members, last.name)
	}
	return nil
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
