package expr

import (
	"slices"
	"strconv"
	"strings"

	"github.com/ddbsim/ddbsim/model/store"
)

// The functions of the expression language: the conditions
// attribute_exists, attribute_not_exists, attribute_type, begins_with and
// contains, and the operands size, if_not_exists and list_append.

// validTypes are attribute_type's type names, in the service's message
// order.
var validTypes = []string{"B", "NULL", "SS", "BOOL", "L", "BS", "N", "NS", "S", "M"}

// args parses a function's parenthesised, comma-separated operands, the
// cursor on the "(". A function takes at most two; more are counted but
// not kept.
func (p *parser) args(update bool) ([]*operand, int, error) {
	p.next() // (
	if err := p.countOp(); err != nil {
		return nil, 0, err
	}
	if err := p.enter(); err != nil {
		return nil, 0, err
	}
	defer func() { p.depth-- }()
	var args []*operand
	n := 0
	for !p.peek().is(")") {
		if n > 0 {
			if err := p.expect(","); err != nil {
				return nil, 0, err
			}
		}
		o, err := p.operand(update)
		if err != nil {
			return nil, 0, err
		}
		n++
		if len(args) < 2 {
			args = append(args, o)
		}
	}
	p.next() // )
	return args, n, nil
}

func (p *parser) boolFunc() (*cond, error) {
	fn := p.next().text
	args, n, err := p.args(false)
	if err != nil {
		return nil, err
	}
	if n != boolFuncs[fn] {
		p.note(eOperand, "Incorrect number of operands for operator or function; operator or function: "+fn+", number of operands: "+strconv.Itoa(n))
		return placeholder(), nil
	}
	if len(args) == 2 {
		p.checkDistinct(fn, args[0], args[1])
	}
	c := &cond{fn: fn, args: args}
	typeOf := func(o *operand) string {
		if o.kind == oValue {
			return o.val.Kind().String()
		}
		return ""
	}
	switch fn {
	case "attribute_exists", "attribute_not_exists":
		c.kind = cExists
		if fn == "attribute_not_exists" {
			c.kind = cNotExists
		}
		if args[0].kind != oPath {
			p.note(eFunction, "Operator or function requires a document path; operator or function: "+fn)
			return placeholder(), nil
		}
	case "attribute_type":
		c.kind = cType
		t := args[1]
		switch {
		case t.kind != oValue:
			p.note(eFunction, "Incorrect operand type for operator or function; operator or function: attribute_type, operand type: {NS,SS,L,BS,N,M,B,BOOL,NULL,S}")
		case t.val.Kind() != store.KindString:
			p.note(eFunction, "Incorrect operand type for operator or function; operator or function: attribute_type, operand type: "+typeOf(t))
		case !slices.Contains(validTypes, t.val.Text()):
			p.note(eFunction, "Invalid attribute type name found; type: "+t.val.Text()+", valid types: {"+strings.Join(validTypes, ",")+"}")
		}
	case "begins_with":
		c.kind = cBeginsWith
		for _, a := range args {
			if k := typeOf(a); k != "" && k != "S" && k != "B" {
				p.note(eFunction, "Incorrect operand type for operator or function; operator or function: begins_with, operand type: "+k)
			}
		}
	case "contains":
		c.kind = cContains
	}
	return c, nil
}

func (p *parser) function(update bool) (*operand, error) {
	fn := p.next().text
	args, n, err := p.args(update)
	if err != nil {
		return nil, err
	}
	dummy := &operand{kind: oValue}
	var kind operandKind
	switch {
	case fn == "size" && !update:
		kind = oSize
	case fn == "if_not_exists" && update:
		kind = oIfNotExists
	case fn == "list_append" && update:
		kind = oListAppend
	default:
		_, cond := boolFuncs[fn]
		if cond || fn == "size" || fn == "if_not_exists" || fn == "list_append" {
			p.note(eMisusedFunction, "The function is not allowed to be used this way in an expression; function: "+fn)
		} else {
			p.note(eUnknownFunction, "Invalid function name; function: "+fn)
		}
		return dummy, nil
	}
	want := 2
	if kind == oSize {
		want = 1
	}
	if n != want {
		p.note(eOperand, "Incorrect number of operands for operator or function; operator or function: "+fn+", number of operands: "+strconv.Itoa(n))
		return dummy, nil
	}
	if want == 2 {
		p.checkDistinct(fn, args[0], args[1])
	}
	o := &operand{kind: kind, a: args[0]}
	if want == 2 {
		o.b = args[1]
	}
	switch kind {
	case oIfNotExists:
		if args[0].kind != oPath {
			p.note(eFunction, "Operator or function requires a document path; operator or function: "+fn)
			return dummy, nil
		}
		o.path = args[0].path
	case oSize:
		if a := args[0]; a.kind == oValue && !a.val.IsZero() {
			if _, ok := sizeOf(a.val); !ok {
				p.note(eFunction, "Incorrect operand type for operator or function; operator or function: size, operand type: "+a.val.Kind().String())
			}
		}
	case oListAppend:
		for _, a := range args {
			if a.kind == oValue && !a.val.IsZero() && a.val.Kind() != store.KindList {
				p.note(eFunction, "Incorrect operand type for operator or function; operator or function: list_append, operand type: "+a.val.Kind().String())
			}
		}
	}
	return o, nil
}
