package store

import (
	"errors"
	"fmt"
	"iter"
	"slices"
	"strconv"
	"strings"

	"github.com/ddbsim/ddbsim/model/units"
)

// Service limits on items and keys (REFERENCE: units). KB is 1024 bytes.
const (
	// MaxPartitionKeySize bounds a partition key value: 2048 bytes.
	MaxPartitionKeySize = 2048
	// MaxSortKeySize bounds a sort key value: 1024 bytes.
	MaxSortKeySize = 1024
	// PageLimit is the most one Query or Scan page returns: 1 MB.
	PageLimit = 1 << 20
	// MaxNesting is the deepest a List or Map may nest (the service's
	// limit is 32 levels).
	MaxNesting = 32
)

// Kind is the type of an attribute value.
type Kind uint8

// The value kinds. The zero Kind marks the zero Value: no value at all.
const (
	KindNone Kind = iota
	KindString
	KindNumber
	KindBinary
	KindBool
	KindNull
	KindList
	KindMap
	KindStringSet
	KindNumberSet
	KindBinarySet
)

var kindNames = [...]string{"none", "S", "N", "B", "BOOL", "NULL", "L", "M", "SS", "NS", "BS"}

// IsSet reports whether k is one of the set kinds (SS, NS, BS).
func (k Kind) IsSet() bool { return k >= KindStringSet && k <= KindBinarySet }

// Elem is the kind of a set's elements (S, N or B); KindNone for kinds
// that are not sets.
func (k Kind) Elem() Kind {
	switch k {
	case KindStringSet:
		return KindString
	case KindNumberSet:
		return KindNumber
	case KindBinarySet:
		return KindBinary
	}
	return KindNone
}

// SetOf is the set kind whose elements are of kind k (S, N or B);
// KindNone for other kinds.
func (k Kind) SetOf() Kind {
	switch k {
	case KindString:
		return KindStringSet
	case KindNumber:
		return KindNumberSet
	case KindBinary:
		return KindBinarySet
	}
	return KindNone
}

// String returns the service's type descriptor ("S", "N", "BOOL", ...).
func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "kind(" + strconv.Itoa(int(k)) + ")"
}

// Value is one attribute value. It is immutable and 32 bytes: a kind and a
// string hold every scalar (String bytes, the canonical text of a Number,
// Binary bytes, Bool as "" or "1"), and only List and Map values carry a
// pointer to their elements. A table may hold millions of items, so the
// common scalar case pays for no slice header.
type Value struct {
	s    string
	c    *composite
	kind Kind
}

// composite holds the elements of a List (names empty), a Map (sorted by
// name, names unique) or a set (names empty; elements sorted by their text
// and unique, so that equal sets are identical).
type composite struct {
	elems []Attribute
}

// Attribute is a named value.
type Attribute struct {
	Name  string
	Value Value
}

// S returns a String value.
func S(s string) Value { return Value{kind: KindString, s: s} }

// B returns a Binary value holding a copy of b.
func B(b []byte) Value { return Value{kind: KindBinary, s: string(b)} }

// Bool returns a Bool value.
func Bool(b bool) Value {
	if b {
		return Value{kind: KindBool, s: "1"}
	}
	return Value{kind: KindBool}
}

// Null returns the Null value.
func Null() Value { return Value{kind: KindNull} }

// N returns a Number value from its decimal text ("12", "-0.5", "1.5e3").
// The value keeps the canonical form (see ParseNumber), so N("1.50") and
// N("1.5") are equal. Text that is not a valid number is kept as given,
// and the store rejects any item holding it (ErrInvalidNumber); use
// ParseNumber to check user input where it is read.
func N(text string) Value {
	v, err := ParseNumber(text)
	if err != nil {
		return Value{kind: KindNumber, s: text}
	}
	return v
}

// ErrInvalidNumber reports number text the service would reject; the
// errors ParseNumber returns wrap it, and one of the three below when the
// text is a number the service cannot hold.
var ErrInvalidNumber = errors.New("store: invalid number")

// Why a well-formed number is refused: a magnitude of 1e126 or more, a
// magnitude below 1e-130, more than 38 significant digits.
var (
	ErrNumberOverflow  = errors.New("magnitude of 1e126 or more")
	ErrNumberUnderflow = errors.New("magnitude below 1e-130")
	ErrNumberPrecision = errors.New("more than 38 significant digits")
)

// ParseNumber parses decimal number text: an optional sign, digits with an
// optional decimal point, and an optional exponent ("-12.5", "1e3"). Like
// the service it allows at most 38 significant digits and magnitudes from
// 1e-130 up to but excluding 1e126 (or zero). The result holds the
// canonical form: plain decimal notation without exponent, without a plus
// sign, without leading zeros in the integer part and without trailing
// zeros in the fraction ("0.05", "-12", "1500"); zero is "0". Canonical
// text lets numbers compare without big-number arithmetic (see
// CompareNumbers).
func ParseNumber(text string) (Value, error) {
	bad := func(why string) (Value, error) {
		return Value{}, fmt.Errorf("%w %q: %s", ErrInvalidNumber, text, why)
	}
	i := 0
	neg := false
	if i < len(text) && (text[i] == '+' || text[i] == '-') {
		neg = text[i] == '-'
		i++
	}
	// Collect the mantissa's digits without the point; point is the
	// number of digits before the point.
	var digits []byte
	point, sawPoint, sawDigit := 0, false, false
	for ; i < len(text); i++ {
		c := text[i]
		if c >= '0' && c <= '9' {
			sawDigit = true
			digits = append(digits, c)
			if !sawPoint {
				point++
			}
			continue
		}
		if c == '.' && !sawPoint {
			sawPoint = true
			continue
		}
		break
	}
	if !sawDigit {
		return bad("no digits")
	}
	exp := 0
	if i < len(text) && (text[i] == 'e' || text[i] == 'E') {
		i++
		eneg := false
		if i < len(text) && (text[i] == '+' || text[i] == '-') {
			eneg = text[i] == '-'
			i++
		}
		start := i
		for ; i < len(text) && text[i] >= '0' && text[i] <= '9'; i++ {
			if exp < 1e6 { // saturate: anything this large is out of range anyway
				exp = exp*10 + int(text[i]-'0')
			}
		}
		if i == start {
			return bad("no exponent digits")
		}
		if eneg {
			exp = -exp
		}
	}
	if i != len(text) {
		return bad("unexpected character")
	}
	// Strip leading zeros (each moves the point left) and trailing zeros.
	lead := 0
	for lead < len(digits) && digits[lead] == '0' {
		lead++
	}
	digits = digits[lead:]
	point -= lead
	for len(digits) > 0 && digits[len(digits)-1] == '0' {
		digits = digits[:len(digits)-1]
	}
	if len(digits) == 0 {
		return Value{kind: KindNumber, s: "0"}, nil
	}
	// The value is 0.digits × 10^e; its leading digit stands at 10^(e-1).
	// The service checks the magnitude before the digits.
	e := point + exp
	switch {
	case e-1 > 125:
		return Value{}, fmt.Errorf("%w %q: %w", ErrInvalidNumber, text, ErrNumberOverflow)
	case e-1 < -130:
		return Value{}, fmt.Errorf("%w %q: %w", ErrInvalidNumber, text, ErrNumberUnderflow)
	case len(digits) > 38:
		return Value{}, fmt.Errorf("%w %q: %w", ErrInvalidNumber, text, ErrNumberPrecision)
	}
	var sb strings.Builder
	if neg {
		sb.WriteByte('-')
	}
	switch {
	case e <= 0:
		sb.WriteString("0.")
		sb.WriteString(strings.Repeat("0", -e))
		sb.Write(digits)
	case e >= len(digits):
		sb.Write(digits)
		sb.WriteString(strings.Repeat("0", e-len(digits)))
	default:
		sb.Write(digits[:e])
		sb.WriteByte('.')
		sb.Write(digits[e:])
	}
	return Value{kind: KindNumber, s: sb.String()}, nil
}

// isCanonicalNumber reports whether s is the canonical text ParseNumber
// produces, which is how the store recognises an N value built from
// invalid text.
func isCanonicalNumber(s string) bool {
	v, err := ParseNumber(s)
	return err == nil && v.s == s
}

// L returns a List value holding copies of the elements.
func L(elems ...Value) Value {
	c := &composite{elems: make([]Attribute, len(elems))}
	for i, e := range elems {
		c.elems[i].Value = e
	}
	return Value{kind: KindList, c: c}
}

// M returns a Map value. Map members are unordered in the service; M sorts
// them by name so that equal maps are identical, and where a name repeats
// the last one wins.
func M(attrs ...Attribute) Value {
	return Value{kind: KindMap, c: &composite{elems: sortedAttrs(attrs)}}
}

// SS returns a String Set of the strings; duplicates count once. The
// service refuses an empty set; the store refuses an item holding one.
func SS(elems ...string) Value {
	vs := make([]Value, len(elems))
	for i, e := range elems {
		vs[i] = S(e)
	}
	return Set(KindStringSet, vs...)
}

// NS returns a Number Set of the numbers' texts (see N); equal numbers
// ("1.50", "1.5") count once.
func NS(elems ...string) Value {
	vs := make([]Value, len(elems))
	for i, e := range elems {
		vs[i] = N(e)
	}
	return Set(KindNumberSet, vs...)
}

// BS returns a Binary Set holding copies of the byte strings.
func BS(elems ...[]byte) Value {
	vs := make([]Value, len(elems))
	for i, e := range elems {
		vs[i] = B(e)
	}
	return Set(KindBinarySet, vs...)
}

// Set returns a set of kind k (KindStringSet, KindNumberSet or
// KindBinarySet) holding the elements, which must be of k's element kind:
// sorted by their text, duplicates once. It panics on another kind or an
// element of the wrong kind, which is a programming error (a decoder
// checks input first).
func Set(k Kind, elems ...Value) Value {
	if !k.IsSet() {
		panic("store: Set of kind " + k.String())
	}
	out := make([]Attribute, 0, len(elems))
	for _, e := range elems {
		if e.kind != k.Elem() {
			panic(fmt.Sprintf("store: %v element %v", k, e))
		}
		out = append(out, Attribute{Value: e})
	}
	slices.SortFunc(out, func(a, b Attribute) int { return strings.Compare(a.Value.s, b.Value.s) })
	out = slices.CompactFunc(out, func(a, b Attribute) bool { return a.Value.s == b.Value.s })
	return Value{kind: k, c: &composite{elems: slices.Clip(out)}}
}

// sortedAttrs returns a sorted copy of attrs with unique names, the last
// of a repeated name winning.
func sortedAttrs(attrs []Attribute) []Attribute {
	out := slices.Clone(attrs)
	// Stable, so among equal names the input order survives and the last
	// one is the one to keep.
	slices.SortStableFunc(out, func(a, b Attribute) int { return strings.Compare(a.Name, b.Name) })
	w := 0
	for i := range out {
		if w > 0 && out[w-1].Name == out[i].Name {
			out[w-1] = out[i]
			continue
		}
		out[w] = out[i]
		w++
	}
	clear(out[w:])
	return out[:w:w]
}

// zeros backs every Padding value: one 400 KB string of zero bytes, so a
// synthetic item's payload costs no memory and building one does not
// allocate.
var zeros = strings.Repeat("\x00", units.MaxItemSize)

// Padding returns a Binary value of n zero bytes. For n up to MaxItemSize
// it shares one package-level buffer and does not allocate; no item can
// hold more, but a larger n still returns a correct (allocated) value.
// A negative n gives an empty value.
func Padding(n int) Value {
	if n <= 0 {
		return Value{kind: KindBinary}
	}
	if n <= len(zeros) {
		return Value{kind: KindBinary, s: zeros[:n]}
	}
	return Value{kind: KindBinary, s: strings.Repeat("\x00", n)}
}

// Kind returns the value's type; KindNone for the zero Value.
func (v Value) Kind() Kind { return v.kind }

// IsZero reports whether v is the zero Value (no value).
func (v Value) IsZero() bool { return v.kind == KindNone }

// Text returns a String's text, a Number's canonical decimal text or a
// Binary value's bytes as a string; "" for other kinds.
func (v Value) Text() string {
	switch v.kind {
	case KindString, KindNumber, KindBinary:
		return v.s
	}
	return ""
}

// Bytes returns a copy of the bytes of a String, Number or Binary value.
func (v Value) Bytes() []byte { return []byte(v.Text()) }

// BoolValue returns a Bool value's truth; false for other kinds.
func (v Value) BoolValue() bool { return v.kind == KindBool && v.s != "" }

// List returns a copy of a List value's elements; nil for other kinds.
func (v Value) List() []Value {
	if v.kind != KindList {
		return nil
	}
	out := make([]Value, len(v.c.elems))
	for i, e := range v.c.elems {
		out[i] = e.Value
	}
	return out
}

// Set returns a copy of a set's elements, sorted by their text; nil for
// kinds that are not sets.
func (v Value) Set() []Value {
	if !v.kind.IsSet() {
		return nil
	}
	out := make([]Value, len(v.c.elems))
	for i, e := range v.c.elems {
		out[i] = e.Value
	}
	return out
}

// Len is the number of elements of a List, Map or set; 0 for scalars.
func (v Value) Len() int {
	if v.c == nil {
		return 0
	}
	return len(v.c.elems)
}

// Map returns a copy of a Map value's members, sorted by name; nil for
// other kinds.
func (v Value) Map() []Attribute {
	if v.kind != KindMap {
		return nil
	}
	return slices.Clone(v.c.elems)
}

// Size returns the value's size as the service counts it (REFERENCE:
// units): String: UTF-8 bytes; Number: NumberSize; Binary: raw length;
// Bool and Null: 1; List and Map: 3 bytes, plus 1 byte and the element's
// size per element, plus the member's name for a Map. A set is the sum of
// its elements' sizes: the service's item-size page gives sets no
// overhead of their own, and the public item-size calculators count them
// so.
func (v Value) Size() int {
	switch v.kind {
	case KindString, KindBinary:
		return len(v.s)
	case KindNumber:
		return NumberSize(v.s)
	case KindBool, KindNull:
		return 1
	case KindList, KindMap:
		n := 3
		for _, e := range v.c.elems {
			n += 1 + len(e.Name) + e.Value.Size()
		}
		return n
	case KindStringSet, KindNumberSet, KindBinarySet:
		n := 0
		for _, e := range v.c.elems {
			n += e.Value.Size()
		}
		return n
	}
	return 0
}

// NumberSize is the size of a Number (REFERENCE: units, "about 1 byte per
// 2 significant digits + 1"), made precise as: the significant digits are
// the number's digits with leading and trailing zeros removed (the sign,
// the decimal point and any exponent do not count), and the size is
// ceil(digits/2) + 1. So "0" is 1 byte, "7" and "100" are 2, "12345" and
// "-0.0012345" are 4.
func NumberSize(text string) int {
	first, last, mant := -1, -1, true
	for i := 0; i < len(text) && mant; i++ {
		c := text[i]
		switch {
		case c >= '1' && c <= '9':
			if first < 0 {
				first = i
			}
			last = i
		case c == 'e' || c == 'E':
			mant = false
		}
	}
	if first < 0 {
		return 1
	}
	digits := 0
	for i := first; i <= last; i++ {
		if text[i] >= '0' && text[i] <= '9' {
			digits++
		}
	}
	return (digits+1)/2 + 1
}

// intNumberSize is NumberSize of the decimal text of i, without building
// the text: the synthetic sort keys are Numbers holding an index.
func intNumberSize(i int64) int {
	u := uint64(i)
	if i < 0 {
		u = -u
	}
	if u == 0 {
		return 1
	}
	for u%10 == 0 {
		u /= 10
	}
	digits := 0
	for ; u > 0; u /= 10 {
		digits++
	}
	return (digits+1)/2 + 1
}

// Equal reports whether two values are the same type and content.
func (v Value) Equal(o Value) bool {
	if v.kind != o.kind || v.s != o.s {
		return false
	}
	if v.c == nil || o.c == nil {
		return v.c == o.c
	}
	return slices.EqualFunc(v.c.elems, o.c.elems, func(a, b Attribute) bool {
		return a.Name == b.Name && a.Value.Equal(b.Value)
	})
}

// String formats the value as Go source for its constructor, for test
// failures and debugging: S("x"), N("12"), B("\x00"), L(...), M(...).
func (v Value) String() string {
	switch v.kind {
	case KindString:
		return "S(" + strconv.Quote(v.s) + ")"
	case KindNumber:
		return "N(" + strconv.Quote(v.s) + ")"
	case KindBinary:
		return "B(" + strconv.Quote(v.s) + ")"
	case KindBool:
		return "Bool(" + strconv.FormatBool(v.s != "") + ")"
	case KindNull:
		return "Null()"
	case KindList, KindMap, KindStringSet, KindNumberSet, KindBinarySet:
		var sb strings.Builder
		sb.WriteString(map[Kind]string{KindList: "L(", KindMap: "M(", KindStringSet: "SS(", KindNumberSet: "NS(", KindBinarySet: "BS("}[v.kind])
		for i, e := range v.c.elems {
			if i > 0 {
				sb.WriteString(", ")
			}
			switch v.kind {
			case KindMap:
				sb.WriteString(strconv.Quote(e.Name) + ": ")
			case KindStringSet, KindNumberSet, KindBinarySet:
				sb.WriteString(strconv.Quote(e.Value.s))
				continue
			}
			sb.WriteString(e.Value.String())
		}
		sb.WriteByte(')')
		return sb.String()
	}
	return "none"
}

// validate checks what the constructors cannot: Number text and nesting
// depth.
func (v Value) validate(depth int) error {
	switch v.kind {
	case KindNumber:
		if !isCanonicalNumber(v.s) {
			_, err := ParseNumber(v.s)
			if err == nil { // valid but not canonical: only a hand-built Value
				err = fmt.Errorf("%w %q", ErrInvalidNumber, v.s)
			}
			return err
		}
	case KindList, KindMap:
		if depth >= MaxNesting {
			return fmt.Errorf("store: value nested deeper than %d levels", MaxNesting)
		}
		for _, e := range v.c.elems {
			if err := e.Value.validate(depth + 1); err != nil {
				return err
			}
		}
	case KindStringSet, KindNumberSet, KindBinarySet:
		if len(v.c.elems) == 0 {
			return fmt.Errorf("store: an empty %v: the service stores no empty sets", v.kind)
		}
		for _, e := range v.c.elems {
			if err := e.Value.validate(depth + 1); err != nil {
				return err
			}
		}
	case KindNone:
		return errors.New("store: attribute has no value")
	}
	return nil
}

// Item is a set of named attributes. It is immutable, 32 bytes and cheap to
// copy: attributes sorted by name (unique) and the cached item size.
type Item struct {
	attrs []Attribute
	size  int
}

// NewItem returns an item holding copies of the attributes, sorted by name;
// where a name repeats, the last one wins. Its size is computed once.
func NewItem(attrs ...Attribute) Item {
	a := sortedAttrs(attrs)
	return Item{attrs: a, size: attrsSize(a)}
}

// attrsSize is the item size rule (REFERENCE: units): the sum over
// attributes of the UTF-8 name length plus the value size.
func attrsSize(attrs []Attribute) int {
	n := 0
	for _, a := range attrs {
		n += len(a.Name) + a.Value.Size()
	}
	return n
}

// Size returns the item's size as the service counts it (REFERENCE:
// units): the sum over attributes of name length plus value size.
func (it Item) Size() int { return it.size }

// Len returns the number of attributes.
func (it Item) Len() int { return len(it.attrs) }

// Get returns the named attribute's value.
func (it Item) Get(name string) (Value, bool) {
	i, ok := slices.BinarySearchFunc(it.attrs, name, func(a Attribute, n string) int {
		return strings.Compare(a.Name, n)
	})
	if !ok {
		return Value{}, false
	}
	return it.attrs[i].Value, true
}

// All yields the attributes in name order.
func (it Item) All() iter.Seq2[string, Value] {
	return func(yield func(string, Value) bool) {
		for _, a := range it.attrs {
			if !yield(a.Name, a.Value) {
				return
			}
		}
	}
}

// Attrs returns a copy of the attributes in name order.
func (it Item) Attrs() []Attribute { return slices.Clone(it.attrs) }

// Equal reports whether two items hold the same attributes.
func (it Item) Equal(o Item) bool {
	return slices.EqualFunc(it.attrs, o.attrs, func(a, b Attribute) bool {
		return a.Name == b.Name && a.Value.Equal(b.Value)
	})
}

// String formats the item for test failures and debugging.
func (it Item) String() string {
	var sb strings.Builder
	sb.WriteByte('{')
	for i, a := range it.attrs {
		if i > 0 {
			sb.WriteString(", ")
		}
		sb.WriteString(strconv.Quote(a.Name) + ": " + a.Value.String())
	}
	sb.WriteByte('}')
	return sb.String()
}
