package wire

import (
	"strings"
	"testing"

	"github.com/ddbsim/ddbsim/model/store"
)

// nest wraps inner in n Lists.
func nest(n int, inner string) string {
	return strings.Repeat(`{"L":[`, n) + inner + strings.Repeat(`]}`, n)
}

func TestDecodeValueRoundTrips(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want store.Value
		out  string // canonical encoding; in when empty
	}{
		{`{"S":"hello"}`, store.S("hello"), ""},
		{`{"S":""}`, store.S(""), ""},
		{`{"S":"quote \" back \\ nl \n tab \t ctl \u0001 é 日本"}`, store.S("quote \" back \\ nl \n tab \t ctl \x01 é 日本"), ""},
		{`{"N":"12"}`, store.N("12"), ""},
		{`{"N":"-0.50"}`, store.N("-0.5"), `{"N":"-0.5"}`},
		{`{"N":"1.5E3"}`, store.N("1500"), `{"N":"1500"}`},
		{`{"N":"+007"}`, store.N("7"), `{"N":"7"}`},
		{`{"N":"0.000"}`, store.N("0"), `{"N":"0"}`},
		{`{"N":"1e125"}`, store.N("1e125"), `{"N":"1` + strings.Repeat("0", 125) + `"}`},
		{`{"N":"1e-130"}`, store.N("1e-130"), `{"N":"0.` + strings.Repeat("0", 129) + `1"}`},
		{`{"N":"12345678901234567890123456789012345678"}`, store.N("12345678901234567890123456789012345678"), ""},
		{`{"B":"AAEC/w=="}`, store.B([]byte{0, 1, 2, 255}), ""},
		{`{"B":""}`, store.B(nil), ""},
		{`{"BOOL":true}`, store.Bool(true), ""},
		{`{"BOOL":false}`, store.Bool(false), ""},
		{`{"BOOL":"yes"}`, store.Bool(true), `{"BOOL":true}`},
		{`{"NULL":true}`, store.Null(), ""},
		{`{"L":[]}`, store.L(), ""},
		{`{"L":[{"S":"a"},{"N":"1"},{"L":[{"NULL":true}]}]}`, store.L(store.S("a"), store.N("1"), store.L(store.Null())), ""},
		{`{"M":{}}`, store.M(), ""},
		{`{"M":{"b":{"N":"2"},"a":{"M":{"x":{"BOOL":true}}}}}`,
			store.M(store.Attribute{Name: "b", Value: store.N("2")}, store.Attribute{Name: "a", Value: store.M(store.Attribute{Name: "x", Value: store.Bool(true)})}),
			`{"M":{"a":{"M":{"x":{"BOOL":true}}},"b":{"N":"2"}}}`},
		{`{"SS":["b","a"]}`, store.SS("a", "b"), `{"SS":["a","b"]}`},
		{`{"NS":["10","9.0","-1"]}`, store.NS("10", "9", "-1"), `{"NS":["-1","10","9"]}`},
		{`{"BS":["AQ==","AA=="]}`, store.BS([]byte{1}, []byte{0}), `{"BS":["AA==","AQ=="]}`},
		// Members of no type, and members set to null, are ignored.
		{`{"S":"x","Extra":1}`, store.S("x"), `{"S":"x"}`},
		{`{"S":"x","N":null}`, store.S("x"), `{"S":"x"}`},
		{` { "S" : "x" } `, store.S("x"), `{"S":"x"}`},
		// 31 Lists around a value: the deepest the service takes.
		{nest(31, `{"S":"x"}`), nestValue(31, store.S("x")), ""},
	} {
		got, err := DecodeValue([]byte(tc.in))
		if err != nil {
			t.Errorf("DecodeValue(%.60s): %v", tc.in, err)
			continue
		}
		if !got.Equal(tc.want) {
			t.Errorf("DecodeValue(%.60s) = %v, want %v", tc.in, got, tc.want)
		}
		want := tc.out
		if want == "" {
			want = tc.in
		}
		if enc := string(AppendValue(nil, got)); enc != want {
			t.Errorf("AppendValue(%v) = %.80s, want %.80s", got, enc, want)
		}
		again, err := DecodeValue(AppendValue(nil, got))
		if err != nil || !again.Equal(got) {
			t.Errorf("%.60s: decoding the encoding gave %v, %v", tc.in, again, err)
		}
	}
}

func nestValue(n int, v store.Value) store.Value {
	for range n {
		v = store.L(v)
	}
	return v
}

// TestDecodeValueRefuses pins the service's words for each refused value
// (the messages as DynamoDB sends them, spelling and double spaces
// included).
func TestDecodeValueRefuses(t *testing.T) {
	for _, tc := range []struct {
		in, typ, msg string
	}{
		{`{}`, ValidationException, "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes"},
		{`{"X":"a"}`, ValidationException, "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes"},
		{`{"S":null}`, ValidationException, "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes"},
		{`null`, ValidationException, "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes"},
		{`{"S":"a","N":"1"}`, ValidationException, "Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes"},
		{`{"S":"a","NS":[]}`, ValidationException, "One or more parameter values were invalid: An number set  may not be empty"},
		{`{"NULL":false}`, ValidationException, "One or more parameter values were invalid: Null attribute value types must have the value of true"},
		{`{"SS":[]}`, ValidationException, "One or more parameter values were invalid: An string set  may not be empty"},
		{`{"NS":[]}`, ValidationException, "One or more parameter values were invalid: An number set  may not be empty"},
		{`{"BS":[]}`, ValidationException, "One or more parameter values were invalid: Binary sets should not be empty"},
		{`{"SS":["a","b","a"]}`, ValidationException, "One or more parameter values were invalid: Input collection [a, b, a] contains duplicates."},
		{`{"NS":["1","1.0"]}`, ValidationException, "Input collection contains duplicates"},
		{`{"BS":["AA==","AA=="]}`, ValidationException, "One or more parameter values were invalid: Input collection [AA==, AA==]of type BS contains duplicates."},
		{`{"N":""}`, ValidationException, "The parameter cannot be converted to a numeric value"},
		{`{"N":"abc"}`, ValidationException, "The parameter cannot be converted to a numeric value: abc"},
		{`{"N":"1e"}`, ValidationException, "The parameter cannot be converted to a numeric value: 1e"},
		{`{"N":"1e126"}`, ValidationException, "Number overflow. Attempting to store a number with magnitude larger than supported range"},
		{`{"N":"-99e200"}`, ValidationException, "Number overflow. Attempting to store a number with magnitude larger than supported range"},
		{`{"N":"1e-131"}`, ValidationException, "Number underflow. Attempting to store a number with magnitude smaller than supported range"},
		{`{"N":"0.0000001e-125"}`, ValidationException, "Number underflow. Attempting to store a number with magnitude smaller than supported range"},
		{`{"N":"123456789012345678901234567890123456789"}`, ValidationException, "Attempting to store more than 38 significant digits in a Number"},
		{`{"NS":["1","x"]}`, ValidationException, "The parameter cannot be converted to a numeric value: x"},
		{`{"L":[{}]}`, ValidationException, "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes"},
		{`{"M":{"a":null}}`, ValidationException, "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes"},
		{nest(32, `{"S":"x"}`), ValidationException, msgNesting},
		{`{"S":1}`, SerializationException, "NUMBER_VALUE cannot be converted to String"},
		{`{"S":1.5}`, SerializationException, "DECIMAL_VALUE cannot be converted to String"},
		{`{"S":true}`, SerializationException, "TRUE_VALUE cannot be converted to String"},
		{`{"S":["a"]}`, SerializationException, "Unrecognized collection type class java.lang.String"},
		{`{"S":{}}`, SerializationException, "Start of structure or map found where not expected"},
		{`{"N":12}`, SerializationException, "NUMBER_VALUE cannot be converted to String"},
		{`{"B":12}`, SerializationException, "only base-64-encoded strings are convertible to bytes"},
		{`{"B":"abc"}`, SerializationException, "Base64 encoded length is expected a multiple of 4 bytes but found: 3"},
		{`{"B":"ab=c"}`, SerializationException, "Invalid last non-pad Base64 character dectected"},
		{`{"B":["AA=="]}`, SerializationException, "Unrecognized collection type class java.nio.ByteBuffer"},
		{`{"BOOL":1}`, SerializationException, "NUMBER_VALUE cannot be converted to Boolean"},
		{`{"BOOL":"maybe"}`, SerializationException, "Unexpected token received from parser"},
		{`{"L":"a"}`, SerializationException, "Unexpected field type"},
		{`{"L":{}}`, SerializationException, "Start of structure or map found where not expected"},
		{`{"M":[]}`, SerializationException, "Unrecognized collection type java.util.Map<java.lang.String, com.amazonaws.dynamodb.v20120810.AttributeValue>"},
		{`{"SS":[1]}`, SerializationException, "NUMBER_VALUE cannot be converted to String"},
		{`"x"`, SerializationException, "Unexpected value type in payload"},
		{`[]`, SerializationException, "Start of list found where not expected"},
		// Types are checked before contents.
		{`{"NULL":false,"S":1}`, SerializationException, "NUMBER_VALUE cannot be converted to String"},
		{`{"S":"a","N":"x"}`, ValidationException, "The parameter cannot be converted to a numeric value: x"},
		{`{"S":`, SerializationException, "Unexpected value type in payload"},
	} {
		_, err := DecodeValue([]byte(tc.in))
		werr, ok := err.(*Error)
		if !ok {
			t.Errorf("DecodeValue(%.60s) = %v, want a %s", tc.in, err, tc.typ)
			continue
		}
		if werr.Type != tc.typ || werr.Message != tc.msg {
			t.Errorf("DecodeValue(%.60s):\n got %s: %q\nwant %s: %q", tc.in, werr.Type, werr.Message, tc.typ, tc.msg)
		}
	}
}

func TestDecodeItem(t *testing.T) {
	it, err := DecodeItem([]byte(`{"pk":{"S":"a"},"n":{"N":"1.50"},"doc":{"M":{"tags":{"SS":["x"]}}}}`))
	if err != nil {
		t.Fatal(err)
	}
	want := store.NewItem(
		store.Attribute{Name: "pk", Value: store.S("a")},
		store.Attribute{Name: "n", Value: store.N("1.5")},
		store.Attribute{Name: "doc", Value: store.M(store.Attribute{Name: "tags", Value: store.SS("x")})},
	)
	if !it.Equal(want) {
		t.Fatalf("DecodeItem = %v, want %v", it, want)
	}
	if got, want := string(AppendItem(nil, it)), `{"doc":{"M":{"tags":{"SS":["x"]}}},"n":{"N":"1.5"},"pk":{"S":"a"}}`; got != want {
		t.Fatalf("AppendItem = %s, want %s", got, want)
	}
	if got := string(AppendItem(nil, store.Item{})); got != "{}" {
		t.Fatalf("AppendItem(empty) = %s", got)
	}
	// The attribute names are checked in sorted order, so the first
	// refused one is the same on every run.
	_, err = DecodeItem([]byte(`{"b":{"N":"x"},"a":{"N":"y"}}`))
	if err == nil || err.(*Error).Message != "The parameter cannot be converted to a numeric value: y" {
		t.Fatalf("DecodeItem with two bad numbers: %v", err)
	}
	for in, msg := range map[string]string{
		`[]`:        "Unrecognized collection type java.util.Map<java.lang.String, com.amazonaws.dynamodb.v20120810.AttributeValue>",
		`"a"`:       "Unexpected field type",
		`{"a":"x"}`: "Unexpected value type in payload",
	} {
		_, err := DecodeItem([]byte(in))
		if err == nil || err.(*Error).Type != SerializationException || err.(*Error).Message != msg {
			t.Errorf("DecodeItem(%s) = %v, want SerializationException %q", in, err, msg)
		}
	}
	// Depth counts from the item: a top-level Map wrapped 30 more times
	// is the deepest accepted.
	deep := `{"a":` + nest(31, `{"N":"1"}`) + `}`
	if _, err := DecodeItem([]byte(deep)); err != nil {
		t.Errorf("31 levels of Lists: %v", err)
	}
	deeper := `{"a":` + nest(32, `{"N":"1"}`) + `}`
	if _, err := DecodeItem([]byte(deeper)); err == nil || err.(*Error).Message != msgNesting {
		t.Errorf("32 levels of Lists: %v, want the nesting error", err)
	}
}

func TestAppendStringEscapes(t *testing.T) {
	for in, want := range map[string]string{
		"plain":          `"plain"`,
		"a\"b\\c":        `"a\"b\\c"`,
		"\x00\x1f\n\r\t": `"\u0000\u001f\n\r\t"`,
		"bad\xffutf8":    `"bad\ufffdutf8"`,
		"日本 <&>":         `"日本 <&>"`,
	} {
		if got := string(appendString(nil, in)); got != want {
			t.Errorf("appendString(%q) = %s, want %s", in, got, want)
		}
	}
}
