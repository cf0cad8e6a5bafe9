package expr

import (
	"maps"
	"slices"

	"github.com/ddbsim/ddbsim/model/store"
)

// The legacy parameters, converted into the forms expressions parse to.

// Comparison is one attribute's entry of QueryFilter, ScanFilter,
// KeyConditions or Expected (with ComparisonOperator).
type Comparison struct {
	Operator string // ComparisonOperator: EQ, NE, LE, LT, GE, GT, NOT_NULL, NULL, CONTAINS, NOT_CONTAINS, BEGINS_WITH, IN, BETWEEN
	Values   []store.Value
}

// Expected is one attribute's entry of the legacy Expected parameter:
// either Exists/Value or a Comparison.
type Expected struct {
	Exists     *bool        // nil: not given, which means true
	Value      *store.Value // the value Exists compares with
	Comparison *Comparison  // ComparisonOperator with AttributeValueList
}

// AttributeUpdate is one attribute's entry of the legacy AttributeUpdates.
type AttributeUpdate struct {
	Action string       // PUT (the default), ADD or DELETE
	Value  *store.Value // absent for DELETE of the whole attribute
}

// legacyArity is the number of values each ComparisonOperator takes; -1
// for IN (one or more).
var legacyArity = map[string]int{
	"EQ": 1, "NE": 1, "LE": 1, "LT": 1, "GE": 1, "GT": 1,
	"NOT_NULL": 0, "NULL": 0, "CONTAINS": 1, "NOT_CONTAINS": 1,
	"BEGINS_WITH": 1, "IN": -1, "BETWEEN": 2,
}

func invalid(format string, args ...any) *Error {
	return errorf("One or more parameter values were invalid: "+format, args...)
}

// comparisonCond turns one attribute's Comparison into a condition node.
func comparisonCond(name string, c Comparison) (*cond, error) {
	n, ok := legacyArity[c.Operator]
	if !ok {
		return nil, invalid("Unsupported operator: %s", c.Operator)
	}
	if n >= 0 && len(c.Values) != n || n < 0 && len(c.Values) == 0 {
		return nil, invalid("Invalid number of argument(s) for the %s ComparisonOperator", c.Operator)
	}
	path := &operand{kind: oPath, path: docPath{{name: name}}}
	args := []*operand{path}
	for _, v := range c.Values {
		args = append(args, &operand{kind: oValue, val: v})
	}
	scalar := func(types string) error {
		for _, v := range c.Values {
			k := v.Kind()
			ok := k == store.KindString || k == store.KindBinary || k == store.KindNumber && types == "SNB"
			if !ok {
				return invalid("ComparisonOperator %s is not valid for %s AttributeValue type", c.Operator, k)
			}
		}
		return nil
	}
	switch c.Operator {
	case "EQ", "NE":
		op := opEQ
		if c.Operator == "NE" {
			op = opNE
		}
		return &cond{kind: cCompare, cmp: op, args: args}, nil
	case "LE", "LT", "GE", "GT":
		if err := scalar("SNB"); err != nil {
			return nil, err
		}
		return &cond{kind: cCompare, cmp: map[string]cmpOp{"LE": opLE, "LT": opLT, "GE": opGE, "GT": opGT}[c.Operator], args: args}, nil
	case "NOT_NULL":
		return &cond{kind: cExists, fn: "attribute_exists", args: args}, nil
	case "NULL":
		return &cond{kind: cNotExists, fn: "attribute_not_exists", args: args}, nil
	case "CONTAINS", "NOT_CONTAINS":
		if err := scalar("SNB"); err != nil {
			return nil, err
		}
		cc := &cond{kind: cContains, fn: "contains", args: args}
		if c.Operator == "NOT_CONTAINS" {
			// Like the expression NOT contains(a, :v): true where the
			// attribute is missing.
			return &cond{kind: cNot, l: cc}, nil
		}
		return cc, nil
	case "BEGINS_WITH":
		if err := scalar("SB"); err != nil {
			return nil, err
		}
		return &cond{kind: cBeginsWith, fn: "begins_with", args: args}, nil
	case "IN":
		if err := scalar("SNB"); err != nil {
			return nil, err
		}
		for _, v := range c.Values[1:] {
			if v.Kind() != c.Values[0].Kind() {
				return nil, invalid("AttributeValues inside AttributeValueList must be of same type")
			}
		}
		return &cond{kind: cIn, args: args}, nil
	}
	// BETWEEN
	if err := scalar("SNB"); err != nil {
		return nil, err
	}
	lo, hi := c.Values[0], c.Values[1]
	if lo.Kind() != hi.Kind() {
		return nil, invalid("AttributeValues inside AttributeValueList must be of same type")
	}
	if cmp, _ := compareScalars(lo, hi); cmp > 0 {
		return nil, errorf("The BETWEEN condition was provided a range where the lower bound is greater than the upper bound")
	}
	return &cond{kind: cBetween, args: args}, nil
}

// joinConds combines conditions with AND or OR (ConditionalOperator; ""
// means AND), in attribute-name order so the result is deterministic.
func joinConds(conds []*cond, op string) (*Condition, error) {
	kind := cAnd
	switch op {
	case "", "AND":
	case "OR":
		kind = cOr
	default:
		return nil, errorf("1 validation error detected: Value '%s' at 'conditionalOperator' failed to satisfy constraint: Member must satisfy enum value set: [AND, OR]", op)
	}
	root := conds[0]
	for _, c := range conds[1:] {
		root = &cond{kind: kind, l: root, r: c}
	}
	return &Condition{root: root}, nil
}

// FromFilter converts QueryFilter or ScanFilter (and ConditionalOperator)
// into a Condition. An empty filter gives nil: no filtering.
func FromFilter(filter map[string]Comparison, conditionalOperator string) (*Condition, error) {
	if len(filter) == 0 {
		return nil, nil
	}
	var conds []*cond
	for _, name := range slices.Sorted(maps.Keys(filter)) {
		c, err := comparisonCond(name, filter[name])
		if err != nil {
			return nil, err
		}
		conds = append(conds, c)
	}
	return joinConds(conds, conditionalOperator)
}

// FromExpected converts the Expected parameter (and ConditionalOperator)
// into a Condition; nil for an empty one. Exists defaults to true: with a
// Value, the attribute must equal it; Exists false, without a Value, asks
// that the attribute be absent.
func FromExpected(expected map[string]Expected, conditionalOperator string) (*Condition, error) {
	if len(expected) == 0 {
		return nil, nil
	}
	var conds []*cond
	for _, name := range slices.Sorted(maps.Keys(expected)) {
		e := expected[name]
		path := &operand{kind: oPath, path: docPath{{name: name}}}
		if e.Comparison != nil {
			if e.Exists != nil || e.Value != nil {
				return nil, invalid("Exists and Value cannot be used with ComparisonOperator for Attribute: %s", name)
			}
			c, err := comparisonCond(name, *e.Comparison)
			if err != nil {
				return nil, err
			}
			conds = append(conds, c)
			continue
		}
		exists := e.Exists == nil || *e.Exists
		switch {
		case exists && e.Value == nil:
			return nil, invalid("Value must be provided when Exists is true for Attribute: %s", name)
		case !exists && e.Value != nil:
			return nil, invalid("Value cannot be used when Exists is false for Attribute: %s", name)
		case exists:
			conds = append(conds, &cond{kind: cCompare, cmp: opEQ, args: []*operand{path, {kind: oValue, val: *e.Value}}})
		default:
			conds = append(conds, &cond{kind: cNotExists, fn: "attribute_not_exists", args: []*operand{path}})
		}
	}
	return joinConds(conds, conditionalOperator)
}

// FromKeyConditions converts the legacy KeyConditions of a Query into the
// partition key value and the sort-key condition.
func FromKeyConditions(kc map[string]Comparison, schema store.KeySchema) (store.Value, store.SortCondition, error) {
	var none store.SortCondition
	if len(kc) > 2 {
		return store.Value{}, none, errorf("Conditions can be of length 1 or 2 only")
	}
	pkc, ok := kc[schema.PartitionKey]
	if !ok {
		return store.Value{}, none, errorf("Query condition missed key schema element: %s", schema.PartitionKey)
	}
	if pkc.Operator != "EQ" {
		return store.Value{}, none, errorf("Query key condition not supported")
	}
	if len(pkc.Values) != 1 {
		return store.Value{}, none, invalid("Invalid number of argument(s) for the EQ ComparisonOperator")
	}
	sc := none
	for _, name := range slices.Sorted(maps.Keys(kc)) {
		if name == schema.PartitionKey {
			continue
		}
		if schema.SortKey == "" || name != schema.SortKey {
			return store.Value{}, none, errorf("Query condition missed key schema element: %s", schema.SortKey)
		}
		c := kc[name]
		ops := map[string]store.SortOp{"EQ": store.CondEQ, "LT": store.CondLT, "LE": store.CondLE, "GT": store.CondGT, "GE": store.CondGE, "BEGINS_WITH": store.CondBeginsWith, "BETWEEN": store.CondBetween}
		op, ok := ops[c.Operator]
		if !ok {
			return store.Value{}, none, errorf("Query key condition not supported")
		}
		// Reuse the filter checks for arity and operand types.
		if _, err := comparisonCond(name, c); err != nil {
			return store.Value{}, none, err
		}
		sc = store.SortCondition{Op: op, A: c.Values[0]}
		if op == store.CondBetween {
			sc.B = c.Values[1]
		}
	}
	return pkc.Values[0], sc, nil
}

// FromAttributeUpdates converts the legacy AttributeUpdates into an
// Update: PUT sets, DELETE without a value removes, DELETE with a set
// removes its elements, ADD adds to a Number or set or appends to a List.
func FromAttributeUpdates(updates map[string]AttributeUpdate) (*Update, error) {
	u := &Update{}
	for _, name := range slices.Sorted(maps.Keys(updates)) {
		a := updates[name]
		path := docPath{{name: name}}
		switch a.Action {
		case "", "PUT":
			if a.Value == nil {
				return nil, invalid("Only DELETE action is allowed when no attribute value is specified")
			}
			u.actions = append(u.actions, action{kind: aSet, path: path, val: &operand{kind: oValue, val: *a.Value}})
		case "DELETE":
			if a.Value == nil {
				u.actions = append(u.actions, action{kind: aRemove, path: path})
				continue
			}
			if !a.Value.Kind().IsSet() {
				return nil, invalid("DELETE action with value is not supported for the type %s", a.Value.Kind())
			}
			u.actions = append(u.actions, action{kind: aDelete, path: path, val: &operand{kind: oValue, val: *a.Value}})
		case "ADD":
			if a.Value == nil {
				return nil, invalid("Only DELETE action is allowed when no attribute value is specified")
			}
			if k := a.Value.Kind(); k != store.KindNumber && !k.IsSet() && k != store.KindList {
				return nil, invalid("ADD action is not supported for the type %s", k)
			}
			u.actions = append(u.actions, action{kind: aAdd, path: path, val: &operand{kind: oValue, val: *a.Value}, appendList: true})
		default:
			return nil, errorf("1 validation error detected: Value '%s' at 'attributeUpdates.%s.member.action' failed to satisfy constraint: Member must satisfy enum value set: [ADD, PUT, DELETE]", a.Action, name)
		}
	}
	return u, nil
}

// FromAttributesToGet converts the legacy AttributesToGet into a
// Projection; nil for an empty list (every attribute).
func FromAttributesToGet(names []string) (*Projection, error) {
	if len(names) == 0 {
		return nil, nil
	}
	seen := map[string]bool{}
	pr := &Projection{}
	for _, n := range names {
		if seen[n] {
			return nil, invalid("Duplicate value in attribute name: %s", n)
		}
		seen[n] = true
		pr.paths = append(pr.paths, docPath{{name: n}})
	}
	return pr, nil
}
