package store

import (
	"errors"
	"math/big"
	"math/rand/v2"
	"strconv"
	"testing"
	"testing/quick"
	"unsafe"

	"github.com/ddbsim/ddbsim/model/units"
)

// These tests pin the item-size lines of REFERENCE.md#units: "Item size =
// sum over attributes of (UTF-8 name length + value size). String: UTF-8
// bytes; Number: about 1 byte per 2 significant digits + 1; Binary: raw
// length; Bool/Null: 1; List/Map: 3 bytes + 1 per element + elements."

func TestValueSize(t *testing.T) {
	tests := []struct {
		v    Value
		want int
	}{
		{S(""), 0},
		{S("abc"), 3},
		{S("héllo"), 6}, // é is 2 bytes in UTF-8
		{S("日本"), 6},
		{B([]byte{1, 2, 3, 4}), 4},
		{Padding(1000), 1000},
		{Bool(true), 1},
		{Bool(false), 1},
		{Null(), 1},
		// Numbers: ceil(significant digits / 2) + 1.
		{N("0"), 1},          // no significant digits
		{N("7"), 2},          // 1 digit
		{N("100"), 2},        // trailing zeros do not count: 1 digit
		{N("12"), 2},         // 2 digits
		{N("123"), 3},        // 3 digits
		{N("12345"), 4},      // 5 digits
		{N("-0.0012345"), 4}, // sign and leading zeros do not count
		{N("1.5e3"), 2},      // "1500": 2 digits
		{N("12345678901234567890123456789012345678"), 20}, // 38 digits
		// List: 3 + per element (1 + size).
		{L(), 3},
		{L(S("ab"), N("1")), 3 + (1 + 2) + (1 + 2)},
		// Map: 3 + per member (1 + name + size).
		{M(), 3},
		{M(Attribute{"a", S("xy")}), 3 + 1 + 1 + 2},
		{M(Attribute{"a", L(Null())}, Attribute{"bb", Bool(true)}), 3 + (1 + 1 + (3 + 1 + 1)) + (1 + 2 + 1)},
	}
	for _, tt := range tests {
		if got := tt.v.Size(); got != tt.want {
			t.Errorf("%v.Size() = %d, want %d", tt.v, got, tt.want)
		}
	}
}

func TestItemSize(t *testing.T) {
	it := NewItem(
		Attribute{"id", S("k1")},     // 2 + 2
		Attribute{"n", N("12345")},   // 1 + 4
		Attribute{"ok", Bool(true)},  // 2 + 1
		Attribute{"données", B(nil)}, // 8 + 0: the name counts its UTF-8 bytes
		Attribute{"tags", L(S("a"))}, // 4 + 3 + 1 + 1
	)
	if got, want := it.Size(), 4+5+3+8+9; got != want {
		t.Errorf("Size = %d, want %d", got, want)
	}
	if NewItem().Size() != 0 || (Item{}).Size() != 0 {
		t.Error("empty item has a size")
	}
}

func TestIntNumberSize(t *testing.T) {
	for _, i := range []int64{0, 1, 9, 10, 42, 100, 123, 1000, 1234, 99999, -5, -120, 1 << 62, -1 << 63, 1<<63 - 1} {
		text := strconv.FormatInt(i, 10)
		if got, want := intNumberSize(i), NumberSize(text); got != want {
			t.Errorf("intNumberSize(%d) = %d, NumberSize(%q) = %d", i, got, text, want)
		}
	}
}

func TestParseNumber(t *testing.T) {
	ok := []struct{ in, want string }{
		{"0", "0"}, {"-0", "0"}, {"+0.000", "0"}, {"007", "7"}, {"1.50", "1.5"},
		{"-12", "-12"}, {"+12", "12"}, {".5", "0.5"}, {"5.", "5"}, {"0.05", "0.05"},
		{"1.5e3", "1500"}, {"1.5E-3", "0.0015"}, {"12e-1", "1.2"}, {"100", "100"},
		{"1e125", "1" + zerosN(125)}, {"1e-130", "0." + zerosN(129) + "1"},
		{"12345678901234567890123456789012345678", "12345678901234567890123456789012345678"},
	}
	for _, tt := range ok {
		v, err := ParseNumber(tt.in)
		if err != nil || v.Text() != tt.want || v.Kind() != KindNumber {
			t.Errorf("ParseNumber(%q) = %v, %v; want %q", tt.in, v, err, tt.want)
		}
	}
	for _, in := range []string{"", "-", ".", "abc", "1a", "1e", "1e+", "--1", "1.2.3", " 1", "1e126", "1e-131",
		"123456789012345678901234567890123456789", "1e99999999999"} {
		if _, err := ParseNumber(in); !errors.Is(err, ErrInvalidNumber) {
			t.Errorf("ParseNumber(%q): err = %v, want ErrInvalidNumber", in, err)
		}
	}
	// N keeps invalid text so the store can reject it; it never panics.
	if v := N("abc"); v.Kind() != KindNumber || v.Text() != "abc" {
		t.Errorf(`N("abc") = %v`, v)
	}
}

func zerosN(n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = '0'
	}
	return string(b)
}

// randomNumberText returns decimal text with leading/trailing zeros, signs
// and exponents, to exercise canonicalisation.
func randomNumberText(r *rand.Rand) string {
	var b []byte
	switch r.IntN(3) {
	case 0:
		b = append(b, '-')
	case 1:
		b = append(b, '+')
	}
	for range r.IntN(3) {
		b = append(b, '0')
	}
	for range 1 + r.IntN(6) {
		b = append(b, byte('0'+r.IntN(10)))
	}
	if r.IntN(2) == 0 {
		b = append(b, '.')
		for range r.IntN(6) {
			b = append(b, byte('0'+r.IntN(10)))
		}
	}
	if r.IntN(4) == 0 {
		b = append(b, 'e')
		b = strconv.AppendInt(b, int64(r.IntN(21)-10), 10)
	}
	return string(b)
}

// TestCompareNumbersAgainstBig checks the string comparison of canonical
// numbers against exact rational arithmetic (the naive implementation).
func TestCompareNumbersAgainstBig(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for range 20000 {
		a, b := randomNumberText(r), randomNumberText(r)
		va, err1 := ParseNumber(a)
		vb, err2 := ParseNumber(b)
		if err1 != nil || err2 != nil {
			t.Fatalf("parse %q %q: %v %v", a, b, err1, err2)
		}
		ra, _ := new(big.Rat).SetString(a)
		rb, _ := new(big.Rat).SetString(b)
		if got, want := CompareNumbers(va.Text(), vb.Text()), ra.Cmp(rb); got != want {
			t.Fatalf("CompareNumbers(%q, %q) = %d, want %d (from %q, %q)", va.Text(), vb.Text(), got, want, a, b)
		}
		// The canonical text denotes the same value.
		rc, _ := new(big.Rat).SetString(va.Text())
		if rc.Cmp(ra) != 0 {
			t.Fatalf("canonical %q of %q changes the value", va.Text(), a)
		}
	}
}

func TestPaddingSharesOneBuffer(t *testing.T) {
	if allocs := testing.AllocsPerRun(100, func() { _ = Padding(300 * 1024) }); allocs != 0 {
		t.Errorf("Padding allocates %v times", allocs)
	}
	a, b := Padding(10), Padding(units.MaxItemSize)
	if unsafe.StringData(a.Text()) != unsafe.StringData(b.Text()) {
		t.Error("Padding values do not share the backing buffer")
	}
	for _, c := range []byte(a.Text()) {
		if c != 0 {
			t.Fatal("Padding holds non-zero bytes")
		}
	}
	if Padding(-3).Size() != 0 || Padding(units.MaxItemSize+1).Size() != units.MaxItemSize+1 {
		t.Error("Padding out of range sizes")
	}
}

func TestMapAndItemCanonicalOrder(t *testing.T) {
	m := M(Attribute{"b", S("1")}, Attribute{"a", S("2")}, Attribute{"b", S("3")})
	want := M(Attribute{"a", S("2")}, Attribute{"b", S("3")})
	if !m.Equal(want) {
		t.Errorf("M = %v, want %v", m, want)
	}
	it := NewItem(Attribute{"z", N("1")}, Attribute{"a", S("x")}, Attribute{"z", N("2")})
	if it.Len() != 2 {
		t.Fatalf("Len = %d", it.Len())
	}
	if v, ok := it.Get("z"); !ok || !v.Equal(N("2")) {
		t.Errorf("Get(z) = %v, %v", v, ok)
	}
	if _, ok := it.Get("missing"); ok {
		t.Error("Get(missing) found")
	}
	var names []string
	for name := range it.All() {
		names = append(names, name)
	}
	if len(names) != 2 || names[0] != "a" || names[1] != "z" {
		t.Errorf("All order = %v", names)
	}
	if got := it.String(); got != `{"a": S("x"), "z": N("2")}` {
		t.Errorf("String = %s", got)
	}
	// The item owns its attributes: changing the caller's slice or the
	// returned copy does not change it.
	attrs := []Attribute{{"a", S("x")}}
	it2 := NewItem(attrs...)
	attrs[0].Value = S("changed")
	it2.Attrs()[0].Value = S("changed")
	if v, _ := it2.Get("a"); !v.Equal(S("x")) {
		t.Error("item aliases its input")
	}
}

func TestValueAccessors(t *testing.T) {
	if !Bool(true).BoolValue() || Bool(false).BoolValue() || S("1").BoolValue() {
		t.Error("BoolValue")
	}
	l := L(S("a"), N("2"))
	if got := l.List(); len(got) != 2 || !got[1].Equal(N("2")) {
		t.Errorf("List = %v", got)
	}
	if S("x").List() != nil || S("x").Map() != nil {
		t.Error("scalar List/Map not nil")
	}
	if string(B([]byte("hi")).Bytes()) != "hi" || !(Value{}).IsZero() || Null().IsZero() {
		t.Error("Bytes/IsZero")
	}
	if got := l.String(); got != `L(S("a"), N("2"))` {
		t.Errorf("String = %s", got)
	}
	if L(S("a")).Equal(L(S("b"))) || L(S("a")).Equal(M(Attribute{"", S("a")})) {
		t.Error("Equal")
	}
	if KindBool.String() != "BOOL" || Kind(99).String() != "kind(99)" {
		t.Error("Kind.String")
	}
}

// TestNumberSizeQuick checks NumberSize against its definition on random
// text: the digits between the first and last non-zero digit.
func TestNumberSizeQuick(t *testing.T) {
	f := func(seed uint64) bool {
		r := rand.New(rand.NewPCG(seed, 0))
		v, err := ParseNumber(randomNumberText(r))
		if err != nil {
			return false
		}
		text := v.Text()
		var digits []byte
		for i := 0; i < len(text); i++ {
			if text[i] >= '0' && text[i] <= '9' {
				digits = append(digits, text[i])
			}
		}
		for len(digits) > 0 && digits[0] == '0' {
			digits = digits[1:]
		}
		for len(digits) > 0 && digits[len(digits)-1] == '0' {
			digits = digits[:len(digits)-1]
		}
		return v.Size() == (len(digits)+1)/2+1
	}
	if err := quick.Check(f, quickConfig(2000)); err != nil {
		t.Error(err)
	}
}

// Sets hold their elements once, in text order, so equal sets are equal
// Values whatever the order they were given in; a set's size is its
// elements' sizes; an empty set cannot be stored.
func TestSets(t *testing.T) {
	if a, b := SS("b", "a", "b"), SS("a", "b"); !a.Equal(b) || a.Len() != 2 || a.String() != `SS("a", "b")` {
		t.Errorf("SS(b, a, b) = %v (len %d), want %v", a, a.Len(), b)
	}
	if a, b := NS("1.50", "2", "1.5"), NS("2", "1.5"); !a.Equal(b) || a.Size() != NumberSize("1.5")+NumberSize("2") {
		t.Errorf("NS(1.50, 2, 1.5) = %v, size %d; want %v, size 4", a, a.Size(), b)
	}
	if SS("a").Equal(L(S("a"))) || SS("1").Equal(NS("1")) {
		t.Error("a set equals a list, or a string set a number set")
	}
	if got := BS([]byte{0, 1}, []byte("xyz")).Size(); got != 5 {
		t.Errorf("BS size %d, want 5 (2 + 3 bytes, no overhead)", got)
	}
	if got, want := NS("3", "1").Set(), []Value{N("1"), N("3")}; len(got) != 2 || !got[0].Equal(want[0]) || !got[1].Equal(want[1]) {
		t.Errorf("Set() = %v, want %v", got, want)
	}
	s := NewStore(KeySchema{PartitionKey: "pk"})
	if _, _, err := s.PutItem(NewItem(Attribute{"pk", S("k")}, Attribute{"tags", SS()})); err == nil {
		t.Error("an item holding an empty set was stored")
	}
	if _, _, err := s.PutItem(NewItem(Attribute{"pk", S("k")}, Attribute{"tags", SS("x")})); err != nil {
		t.Errorf("an item holding a set: %v", err)
	}
}
