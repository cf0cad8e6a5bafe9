package expr

import (
	"bytes"
	"slices"
	"strconv"
	"strings"

	"github.com/ddbsim/ddbsim/model/store"
)

// reader resolves document paths in one item. Store values hand out
// copies of their elements, so a path into a List or Map copies it; the
// reader keeps the elements of each large container it opens, so that
// many paths into one container (a[0], a[1], ... a[299]) copy it once.
type reader struct {
	it     store.Item
	opened map[string]opened // by the encoded path of the container
}

type opened struct {
	list    []store.Value
	members []store.Attribute // sorted by name
}

// bigContainer is the element count from which a container is kept
// open: smaller ones are cheaper to copy again than to key.
const bigContainer = 32

func newReader(it store.Item) *reader { return &reader{it: it} }

// get returns the value at path; false when any step is missing or of
// the wrong type.
func (r *reader) get(path docPath) (store.Value, bool) {
	v, ok := r.it.Get(path[0].name)
	if !ok {
		return store.Value{}, false
	}
	for i, s := range path[1:] {
		if v, ok = r.step(v, path[:i+1], s); !ok {
			return store.Value{}, false
		}
	}
	return v, true
}

// step returns the element or member s of v, the value at prefix.
func (r *reader) step(v store.Value, prefix docPath, s step) (store.Value, bool) {
	want := store.KindMap
	if s.isIndex {
		want = store.KindList
	}
	if v.Kind() != want {
		return store.Value{}, false
	}
	var o opened
	if v.Len() < bigContainer {
		o = opened{list: v.List(), members: v.Map()}
	} else {
		key := prefixKey(prefix)
		var ok bool
		if o, ok = r.opened[key]; !ok {
			o = opened{list: v.List(), members: v.Map()}
			if r.opened == nil {
				r.opened = map[string]opened{}
			}
			r.opened[key] = o
		}
	}
	if s.isIndex {
		if s.index >= len(o.list) {
			return store.Value{}, false
		}
		return o.list[s.index], true
	}
	i, ok := slices.BinarySearchFunc(o.members, s.name, func(a store.Attribute, n string) int { return strings.Compare(a.Name, n) })
	if !ok {
		return store.Value{}, false
	}
	return o.members[i].Value, true
}

// prefixKey encodes a path unambiguously: a name after a 0 byte, an index
// after a 1 byte.
func prefixKey(p docPath) string {
	var sb strings.Builder
	for _, s := range p {
		if s.isIndex {
			sb.WriteByte(1)
			sb.WriteString(strconv.Itoa(s.index))
		} else {
			sb.WriteByte(0)
			sb.WriteString(s.name)
		}
	}
	return sb.String()
}

// eval computes a condition operand; false when its path is missing or
// size() does not apply.
func (o *operand) eval(r *reader) (store.Value, bool) {
	switch o.kind {
	case oPath:
		return r.get(o.path)
	case oValue:
		return o.val, true
	case oSize:
		v, ok := o.a.eval(r)
		if !ok {
			return store.Value{}, false
		}
		n, ok := sizeOf(v)
		if !ok {
			return store.Value{}, false
		}
		return store.N(strconv.Itoa(n)), true
	}
	return store.Value{}, false
}

// sizeOf is the size() function: the bytes of a String (UTF-8, as the
// PartiQL size page says "size in bytes") or Binary value, and the
// element count of a set, List or Map.
func sizeOf(v store.Value) (int, bool) {
	switch v.Kind() {
	case store.KindString, store.KindBinary:
		return len(v.Text()), true
	case store.KindList, store.KindMap, store.KindStringSet, store.KindNumberSet, store.KindBinarySet:
		return v.Len(), true
	}
	return 0, false
}

// compareScalars orders two Numbers, Strings or Binary values of one
// type; false for other kinds or mixed types, which no ordering relates.
func compareScalars(a, b store.Value) (int, bool) {
	if a.Kind() != b.Kind() {
		return 0, false
	}
	switch a.Kind() {
	case store.KindNumber:
		return store.CompareNumbers(a.Text(), b.Text()), true
	case store.KindString, store.KindBinary:
		return strings.Compare(a.Text(), b.Text()), true
	}
	return 0, false
}

// Eval reports whether the item satisfies the condition. A missing item
// is the empty Item: attribute_not_exists holds, comparisons do not.
// Operands of mismatched types make a comparison false, as the service
// evaluates them.
func (c *Condition) Eval(it store.Item) bool { return c.root.eval(newReader(it)) }

func (c *cond) eval(rd *reader) bool {
	switch c.kind {
	case cAnd:
		return c.l.eval(rd) && c.r.eval(rd)
	case cOr:
		return c.l.eval(rd) || c.r.eval(rd)
	case cNot:
		return !c.l.eval(rd)
	case cExists:
		_, ok := rd.get(c.args[0].path)
		return ok
	case cNotExists:
		_, ok := rd.get(c.args[0].path)
		return !ok
	}
	l, ok := c.args[0].eval(rd)
	if !ok {
		// A missing attribute differs from every value.
		return c.kind == cCompare && c.cmp == opNE
	}
	switch c.kind {
	case cCompare:
		r, ok := c.args[1].eval(rd)
		if !ok {
			return c.cmp == opNE
		}
		return compare(c.cmp, l, r)
	case cBetween:
		lo, ok1 := c.args[1].eval(rd)
		hi, ok2 := c.args[2].eval(rd)
		return ok1 && ok2 && compare(opGE, l, lo) && compare(opLE, l, hi)
	case cIn:
		for _, o := range c.args[1:] {
			if r, ok := o.eval(rd); ok && l.Equal(r) {
				return true
			}
		}
		return false
	case cType:
		return l.Kind().String() == c.args[1].val.Text()
	case cBeginsWith:
		r, ok := c.args[1].eval(rd)
		return ok && l.Kind() == r.Kind() && (l.Kind() == store.KindString || l.Kind() == store.KindBinary) &&
			strings.HasPrefix(l.Text(), r.Text())
	case cContains:
		r, ok := c.args[1].eval(rd)
		return ok && contains(l, r)
	}
	return false
}

func compare(op cmpOp, l, r store.Value) bool {
	switch op {
	case opEQ:
		return l.Equal(r)
	case opNE:
		return !l.Equal(r)
	}
	c, ok := compareScalars(l, r)
	if !ok {
		return false
	}
	switch op {
	case opLT:
		return c < 0
	case opLE:
		return c <= 0
	case opGT:
		return c > 0
	}
	return c >= 0
}

// contains is the contains() function: a substring of a String, a
// subsequence of bytes of a Binary value, an element of a set, or an
// element of a List.
func contains(l, r store.Value) bool {
	switch k := l.Kind(); {
	case k == store.KindString && r.Kind() == store.KindString:
		return strings.Contains(l.Text(), r.Text())
	case k == store.KindBinary && r.Kind() == store.KindBinary:
		return bytes.Contains(l.Bytes(), r.Bytes())
	case k.IsSet() && r.Kind() == k.Elem():
		for _, e := range l.Set() {
			if e.Equal(r) {
				return true
			}
		}
	case k == store.KindList:
		for _, e := range l.List() {
			if e.Equal(r) {
				return true
			}
		}
	}
	return false
}

// FilterOnKey refuses a Query filter that names a key attribute of
// schema (the queried table's or index's), as the service does: a
// filter applies to the attributes the key condition does not.
func (c *Condition) FilterOnKey(schema store.KeySchema) error {
	var found string
	var walk func(*cond)
	visit := func(o *operand) {
		if o.kind == oSize {
			o = o.a
		}
		if o.kind != oPath || found != "" {
			return
		}
		if n := o.path[0].name; n == schema.PartitionKey || schema.SortKey != "" && n == schema.SortKey {
			found = n
		}
	}
	walk = func(c *cond) {
		if c == nil || found != "" {
			return
		}
		walk(c.l)
		walk(c.r)
		for _, o := range c.args {
			visit(o)
		}
	}
	walk(c.root)
	if found != "" {
		return errorf("Filter Expression can only contain non-primary key attributes: Primary key attribute: %s", found)
	}
	return nil
}
