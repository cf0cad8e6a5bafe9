package expr

import (
	"slices"
	"strconv"
	"strings"

	"github.com/ddbsim/ddbsim/model/store"
)

// step is one element of a document path: a map member or a list index.
type step struct {
	name    string
	index   int
	isIndex bool
}

// docPath is a document path with its names already substituted.
type docPath []step

// String formats the path as the service's messages do: [a, b, [2]].
func (p docPath) String() string {
	parts := make([]string, len(p))
	for i, s := range p {
		if s.isIndex {
			parts[i] = "[" + strconv.Itoa(s.index) + "]"
		} else {
			parts[i] = s.name
		}
	}
	return "[" + strings.Join(parts, ", ") + "]"
}

// operandKind says what an operand computes.
type operandKind uint8

const (
	oPath        operandKind = iota // the value at a document path
	oValue                          // an expression attribute value
	oSize                           // size(path)
	oIfNotExists                    // if_not_exists(path, operand)
	oListAppend                     // list_append(operand, operand)
	oPlus                           // operand + operand
	oMinus                          // operand - operand
)

// operand is a value-producing node.
type operand struct {
	kind operandKind
	path docPath
	val  store.Value
	a, b *operand
}

// condKind says what a condition node tests.
type condKind uint8

const (
	cAnd condKind = iota
	cOr
	cNot
	cCompare
	cBetween
	cIn
	cExists
	cNotExists
	cType
	cBeginsWith
	cContains
)

// cmpOp is a comparator.
type cmpOp uint8

const (
	opEQ cmpOp = iota
	opNE
	opLT
	opLE
	opGT
	opGE
)

var cmpNames = map[string]cmpOp{"=": opEQ, "<>": opNE, "<": opLT, "<=": opLE, ">": opGT, ">=": opGE}

// cond is a condition node. And, Or and Not use l and r; the others use
// args.
type cond struct {
	kind condKind
	cmp  cmpOp
	fn   string // the function's name as written, for messages
	l, r *cond
	args []*operand
}

// parser is a recursive-descent parser over one expression.
type parser struct {
	env   *Env
	kind  Kind
	src   string
	toks  []token
	pos   int
	ops   int // operators and functions seen, against MaxOperators
	depth int // nested parentheses and NOT, against maxParenDepth
	// match[i] is the index of the ")" closing the "(" at token i.
	match []int
	// deferred holds the first error of each class found while parsing
	// on: the service reports a syntax error before any of these, and
	// among these the earliest class (see errClass).
	deferred [nErrClasses]*Error
}

// errClass orders the errors found in a syntactically valid expression:
// when an expression has several, the service names the one of the
// earliest class.
type errClass uint8

const (
	eParens          errClass = iota // ((redundant parentheses))
	eUnknownFunction                 // a function the language lacks
	eMisusedFunction                 // a function where it may not stand
	eReserved                        // a reserved word as a name
	eSection                         // an update clause given twice
	eNameValue                       // an undefined #name or :value
	eOperand                         // a function's operand count
	eDistinct                        // a = a
	eFunction                        // operand types and literal checks
	nErrClasses
)

// note records an error of class c unless one is already recorded.
func (p *parser) note(c errClass, msg string) {
	if p.deferred[c] == nil {
		p.deferred[c] = p.fail(msg)
	}
}

// finish fails unless every token was consumed, then reports the
// deferred error of the earliest class.
func (p *parser) finish() error {
	if err := p.atEnd(); err != nil {
		return err
	}
	return p.deferredBefore(nErrClasses)
}

// deferredBefore reports the deferred error of the earliest class before
// c.
func (p *parser) deferredBefore(c errClass) error {
	for _, e := range p.deferred[:c] {
		if e != nil {
			return e
		}
	}
	return nil
}

// matchParens pairs parentheses; an unpaired one matches -1 (the parse
// then fails on it).
func matchParens(toks []token) []int {
	match := make([]int, len(toks))
	var open []int
	for i, t := range toks {
		match[i] = -1
		switch {
		case t.is("("):
			open = append(open, i)
		case t.is(")") && len(open) > 0:
			match[open[len(open)-1]] = i
			open = open[:len(open)-1]
		}
	}
	return match
}

// afterGroup is the token after the parenthesised group opening at i.
func (p *parser) afterGroup(i int) token {
	if m := p.match[i]; m >= 0 {
		return p.toks[m+1]
	}
	return p.toks[len(p.toks)-1]
}

// startsComparison reports whether t continues an operand into a
// comparison: a comparator, BETWEEN or IN.
func startsComparison(t token) bool {
	_, cmp := cmpNames[t.text]
	return t.kind == tPunct && cmp || t.isKeyword("BETWEEN") || t.isKeyword("IN")
}

// openGroup consumes the "(" at the cursor, noting a redundant pair
// "((x))".
func (p *parser) openGroup() error {
	i := p.pos
	p.next()
	if m := p.match[i]; m > 0 && p.toks[i+1].is("(") && p.match[i+1] == m-1 {
		p.note(eParens, "The expression has redundant parentheses;")
	}
	return p.enter()
}

func (e *Env) newParser(kind Kind, src string) (*parser, error) {
	e.parsed = true
	if len(src) > MaxExpressionLength {
		return nil, errorf("Invalid %s: Expression size has exceeded the maximum allowed size; expression size: %d", kind, len(src))
	}
	p := &parser{env: e, kind: kind, src: src, toks: lex(src)}
	p.match = matchParens(p.toks)
	if p.peek().kind == tEOF {
		return nil, p.fail("The expression can not be empty;")
	}
	return p, nil
}

func (p *parser) peek() token { return p.toks[p.pos] }

func (p *parser) next() token {
	t := p.toks[p.pos]
	if t.kind != tEOF {
		p.pos++
	}
	return t
}

// fail returns an error for this expression: "Invalid <Kind>: <msg>".
func (p *parser) fail(msg string) *Error {
	return errorf("Invalid %s: %s", p.kind, msg)
}

// syntax returns the service's syntax error for the token at i, quoting
// the source from the token before it to the token after it.
func (p *parser) syntaxAt(i int) *Error {
	t := p.toks[i]
	from, to := t.pos, t.end
	if i > 0 {
		from = p.toks[i-1].pos
		if t.kind == tEOF {
			// At the end, the token before it alone.
			from, to = p.toks[i-1].pos, p.toks[i-1].end
		}
	}
	if i+1 < len(p.toks) {
		to = p.toks[i+1].end
	}
	return p.fail("Syntax error; token: " + strconv.Quote(t.text) + ", near: " + strconv.Quote(p.src[from:to]))
}

func (p *parser) syntax() *Error { return p.syntaxAt(p.pos) }

func (p *parser) expect(punct string) error {
	if !p.peek().is(punct) {
		return p.syntax()
	}
	p.next()
	return nil
}

func (p *parser) countOp() error {
	p.ops++
	if p.ops > MaxOperators {
		return p.fail("The expression contains too many operators; operator count: " + strconv.Itoa(p.ops))
	}
	return nil
}

// atEnd fails unless every token was consumed.
func (p *parser) atEnd() error {
	if p.peek().kind != tEOF {
		return p.syntax()
	}
	return nil
}

// startsPath reports whether the next token can begin a document path.
func (p *parser) startsPath() bool {
	t := p.peek()
	return t.kind == tName || t.kind == tIdent && !(p.toks[p.pos+1].is("("))
}

// path parses a document path: (name | #name) ( .name | .#name | [N] )*.
func (p *parser) path() (docPath, error) {
	var out docPath
	first := true
	for {
		if !first {
			t := p.peek()
			switch {
			case t.is("."):
				p.next()
			case t.is("["):
				p.next()
				n := p.peek()
				if n.kind != tNumber {
					return nil, p.syntax()
				}
				p.next()
				idx, err := strconv.Atoi(n.text)
				if err != nil || idx > 1<<24 {
					return nil, p.fail("List index is not within the allowable range; index: [" + n.text + "]")
				}
				if err := p.expect("]"); err != nil {
					return nil, err
				}
				out = append(out, step{index: idx, isIndex: true})
				if len(out) > maxPathDepth {
					return nil, p.fail("The document path has too many nesting levels; nesting levels: " + strconv.Itoa(len(out)))
				}
				continue
			default:
				return out, nil
			}
		}
		first = false
		name, err := p.name()
		if err != nil {
			return nil, err
		}
		out = append(out, step{name: name})
		if len(out) > maxPathDepth {
			return nil, p.fail("The document path has too many nesting levels; nesting levels: " + strconv.Itoa(len(out)))
		}
	}
}

// name parses one path element's name: a bare word that is no reserved
// word, or a #placeholder defined in ExpressionAttributeNames.
func (p *parser) name() (string, error) {
	t := p.peek()
	switch t.kind {
	case tName:
		p.next()
		v, ok := p.env.names[t.text]
		if !ok {
			p.note(eNameValue, "An expression attribute name used in the document path is not defined; attribute name: "+t.text)
			return t.text, nil
		}
		p.env.usedNames[t.text] = true
		return v, nil
	case tIdent:
		if isReserved(t.text) {
			p.note(eReserved, "Attribute name is a reserved keyword; reserved keyword: "+t.text)
		}
		p.next()
		return t.text, nil
	}
	return "", p.syntax()
}

// value parses a :placeholder defined in ExpressionAttributeValues.
func (p *parser) value() (*operand, error) {
	t := p.peek()
	if t.kind != tValue {
		return nil, p.syntax()
	}
	p.next()
	v, ok := p.env.values[t.text]
	if !ok {
		p.note(eNameValue, "An expression attribute value used in expression is not defined; attribute value: "+t.text)
	}
	p.env.usedValues[t.text] = true
	return &operand{kind: oValue, val: v}, nil
}

// Condition is a parsed condition or filter expression.
type Condition struct{ root *cond }

// Condition parses a condition or filter expression (kind is
// ConditionExpression or FilterExpression, which only changes the
// messages).
func (e *Env) Condition(kind Kind, src string) (*Condition, error) {
	p, err := e.newParser(kind, src)
	if err != nil {
		return nil, err
	}
	c, err := p.orCond()
	if err != nil {
		return nil, err
	}
	if err := p.finish(); err != nil {
		return nil, err
	}
	return &Condition{root: c}, nil
}

func (p *parser) orCond() (*cond, error) {
	l, err := p.andCond()
	if err != nil {
		return nil, err
	}
	for p.peek().isKeyword("OR") {
		p.next()
		if err := p.countOp(); err != nil {
			return nil, err
		}
		r, err := p.andCond()
		if err != nil {
			return nil, err
		}
		l = &cond{kind: cOr, l: l, r: r}
	}
	return l, nil
}

func (p *parser) andCond() (*cond, error) {
	l, err := p.notCond()
	if err != nil {
		return nil, err
	}
	for p.peek().isKeyword("AND") {
		p.next()
		if err := p.countOp(); err != nil {
			return nil, err
		}
		r, err := p.notCond()
		if err != nil {
			return nil, err
		}
		l = &cond{kind: cAnd, l: l, r: r}
	}
	return l, nil
}

func (p *parser) enter() error {
	p.depth++
	if p.depth > maxParenDepth {
		return p.fail("The expression has too many nested parentheses; nesting levels: " + strconv.Itoa(p.depth))
	}
	return nil
}

func (p *parser) notCond() (*cond, error) {
	if !p.peek().isKeyword("NOT") {
		return p.primary()
	}
	p.next()
	if err := p.countOp(); err != nil {
		return nil, err
	}
	if err := p.enter(); err != nil {
		return nil, err
	}
	c, err := p.notCond()
	p.depth--
	if err != nil {
		return nil, err
	}
	return &cond{kind: cNot, l: c}, nil
}

// boolFuncs are the functions that are conditions, with their arities.
var boolFuncs = map[string]int{
	"attribute_exists":     1,
	"attribute_not_exists": 1,
	"attribute_type":       2,
	"begins_with":          2,
	"contains":             2,
}

// placeholder stands in for a node whose error is deferred; it is never
// evaluated, since the parse then fails.
func placeholder() *cond {
	return &cond{kind: cExists, args: []*operand{{kind: oPath, path: docPath{{}}}}}
}

func (p *parser) primary() (*cond, error) {
	t := p.peek()
	// A parenthesised condition, unless the group is an operand that a
	// comparison continues: "(a) = :v".
	if t.is("(") && !startsComparison(p.afterGroup(p.pos)) {
		if err := p.openGroup(); err != nil {
			return nil, err
		}
		c, err := p.orCond()
		p.depth--
		if err != nil {
			return nil, err
		}
		if err := p.expect(")"); err != nil {
			return nil, err
		}
		return c, nil
	}
	if t.kind == tIdent && p.toks[p.pos+1].is("(") && !startsComparison(p.afterGroup(p.pos+1)) {
		if _, ok := boolFuncs[t.text]; ok {
			return p.boolFunc()
		}
		// Any other function standing as a condition is unknown or
		// misused; function() notes which.
		o, err := p.function(false)
		if err != nil {
			return nil, err
		}
		if o.kind == oSize {
			p.note(eMisusedFunction, "The function is not allowed to be used this way in an expression; function: size")
		}
		return placeholder(), nil
	}
	l, err := p.operand(false)
	if err != nil {
		return nil, err
	}
	t = p.peek()
	switch {
	case t.kind == tPunct && startsComparison(t):
		p.next()
		if err := p.countOp(); err != nil {
			return nil, err
		}
		r, err := p.operand(false)
		if err != nil {
			return nil, err
		}
		p.checkDistinct(t.text, l, r)
		return &cond{kind: cCompare, cmp: cmpNames[t.text], args: []*operand{l, r}}, nil
	case t.isKeyword("BETWEEN"):
		p.next()
		if err := p.countOp(); err != nil {
			return nil, err
		}
		lo, err := p.operand(false)
		if err != nil {
			return nil, err
		}
		if !p.peek().isKeyword("AND") {
			return nil, p.syntax()
		}
		p.next()
		hi, err := p.operand(false)
		if err != nil {
			return nil, err
		}
		if lo.kind == oValue && hi.kind == oValue && !lo.val.IsZero() && !hi.val.IsZero() {
			p.checkBounds(lo.val, hi.val)
		}
		return &cond{kind: cBetween, args: []*operand{l, lo, hi}}, nil
	case t.isKeyword("IN"):
		p.next()
		if err := p.countOp(); err != nil {
			return nil, err
		}
		if err := p.expect("("); err != nil {
			return nil, err
		}
		args := []*operand{l}
		for {
			o, err := p.operand(false)
			if err != nil {
				return nil, err
			}
			args = append(args, o)
			if len(args)-1 > MaxInOperands {
				return nil, p.fail("The expression contains too many operands for IN; operand count: " + strconv.Itoa(len(args)-1) + ", maximum: " + strconv.Itoa(MaxInOperands))
			}
			if !p.peek().is(",") {
				break
			}
			p.next()
		}
		if err := p.expect(")"); err != nil {
			return nil, err
		}
		return &cond{kind: cIn, args: args}, nil
	}
	return nil, p.syntax()
}

// checkDistinct notes an operator whose two operands are one path: the
// service refuses "a = a".
func (p *parser) checkDistinct(op string, a, b *operand) {
	if a.kind == oPath && b.kind == oPath && slices.Equal(a.path, b.path) {
		p.note(eDistinct, "The first operand must be distinct from the remaining operands for this operator or function; operator: "+op+", first operand: "+a.path.String())
	}
}

// checkBounds is the service's static check of BETWEEN's literal bounds.
func (p *parser) checkBounds(lo, hi store.Value) {
	if lo.Kind() != hi.Kind() {
		p.note(eFunction, "The BETWEEN operator requires same data type for lower and upper bounds; lower bound operand: "+describe(lo)+", upper bound operand: "+describe(hi))
		return
	}
	if c, ok := compareScalars(lo, hi); ok && c > 0 {
		p.note(eFunction, "The BETWEEN operator requires upper bound to be greater than or equal to lower bound; lower bound operand: "+describe(lo)+", upper bound operand: "+describe(hi))
	}
}

// describe formats a value as the service's messages do:
// "AttributeValue: {N:5}".
func describe(v store.Value) string {
	body := v.Text()
	switch v.Kind() {
	case store.KindBool:
		body = strconv.FormatBool(v.BoolValue())
	case store.KindNull:
		body = "true"
	case store.KindString, store.KindNumber, store.KindBinary:
	default:
		body = v.String()
	}
	return "AttributeValue: {" + v.Kind().String() + ":" + body + "}"
}

// operand parses a condition operand (path, :value or size(...), maybe
// in parentheses) or, in an update's SET (update true), also
// if_not_exists and list_append.
func (p *parser) operand(update bool) (*operand, error) {
	t := p.peek()
	switch {
	case t.is("("):
		if err := p.openGroup(); err != nil {
			return nil, err
		}
		o, err := p.operand(update)
		p.depth--
		if err != nil {
			return nil, err
		}
		return o, p.expect(")")
	case t.kind == tValue:
		return p.value()
	case t.kind == tIdent && p.toks[p.pos+1].is("("):
		return p.function(update)
	case p.startsPath():
		path, err := p.path()
		if err != nil {
			return nil, err
		}
		return &operand{kind: oPath, path: path}, nil
	}
	return nil, p.syntax()
}
