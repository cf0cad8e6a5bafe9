package expr

import (
	"strings"
	"testing"

	"github.com/ddbsim/ddbsim/model/store"
)

func attr(name string, v store.Value) store.Attribute { return store.Attribute{Name: name, Value: v} }

// sample is the item most tests evaluate against.
var sample = store.NewItem(
	attr("pk", store.S("user#1")),
	attr("age", store.N("42")),
	attr("title", store.S("Ada Lovelace")),
	attr("bin", store.B([]byte{1, 2, 3})),
	attr("ok", store.Bool(true)),
	attr("nothing", store.Null()),
	attr("tags", store.SS("a", "b")),
	attr("scores", store.NS("1", "2.5")),
	attr("arr", store.L(store.S("x"), store.N("7"), store.M(attr("deep", store.S("yes"))))),
	attr("map", store.M(attr("inr", store.M(attr("n", store.N("3")))), attr("s", store.S("v")))),
	attr("Status", store.S("active")),
)

var sampleValues = map[string]store.Value{
	":s":     store.S("Ada Lovelace"),
	":a":     store.S("Ada"),
	":n":     store.N("42"),
	":n40":   store.N("40"),
	":n50":   store.N("50"),
	":three": store.N("3"),
	":x":     store.S("x"),
	":b":     store.B([]byte{1, 2}),
	":t":     store.S("SS"),
	":tm":    store.S("M"),
	":one":   store.N("1"),
	":seven": store.N("7"),
	":yes":   store.S("yes"),
	":true":  store.Bool(true),
}

func TestConditionEval(t *testing.T) {
	names := map[string]string{"#st": "Status", "#m": "map"}
	cases := []struct {
		expr string
		want bool
	}{
		{"age = :n", true},
		{"age <> :n", false},
		{"age < :n50 AND age > :n40", true},
		{"age <= :n AND age >= :n", true},
		{"age BETWEEN :n40 AND :n50", true},
		{"age BETWEEN :n50 AND :n50", false},
		{"age IN (:one, :n)", true},
		{"age IN (:one, :seven)", false},
		{"title = :s", true},
		{"title < :x", true},  // "A" < "x" bytewise
		{"title > :n", false}, // different types never order
		{"title <> :n", true},
		{"absent <> :n", true}, // a absent attribute differs from any value
		{"absent = :n", false},
		{"absent < :n", false},
		{"attribute_exists(age)", true},
		{"attribute_exists(absent)", false},
		{"attribute_not_exists(absent)", true},
		{"attribute_exists(#m.inr.n)", true},
		{"attribute_exists(#m.inr.zz)", false},
		{"attribute_exists(arr[2].deep)", true},
		{"attribute_exists(arr[3])", false},
		{"attribute_type(tags, :t)", true},
		{"attribute_type(#m, :tm)", true},
		{"attribute_type(age, :t)", false},
		{"begins_with(title, :a)", true},
		{"begins_with(age, :a)", false},
		{"begins_with(bin, :b)", true},
		{"contains(title, :x)", false},
		{"contains(tags, :x)", false},
		{"contains(arr, :x)", true},
		{"contains(arr, :seven)", true},
		{"contains(scores, :one)", true},
		{"contains(bin, :b)", true},
		{"size(title) = :twelve", true},
		{"size(tags) < :three", true},
		{"size(arr) = :three", true},
		{"size(#m) > :one", true},
		{"size(age) = :one", false}, // size does not apply to numbers
		{"size(absent) = :one", false},
		{"#m.inr.n = :three", true},
		{"arr[1] = :seven", true},
		{"arr[2].deep = :yes", true},
		{"#st = :s", false},
		{"ok = :true", true},
		{"NOT age = :n", false},
		{"NOT (age = :n OR title = :s)", false},
		{"age = :one OR title = :s AND ok = :true", true}, // AND binds tighter
		{"(age = :one OR title = :s) AND ok = :true", true},
		{"age = :one OR title = :x AND ok = :true", false},
		{"NOT NOT age = :n", true},
		{"(age) = :n", true},
		{"(age) BETWEEN (:n40) AND :n50", true},
		{"age IN ((:n), :one)", true},
		{"(size(arr) = :three)", true},
		{"NOT (age) <> :n", true},
		{"size(arr) = size(arr)", true},
		{"age > :n40 and title = :s", true}, // keywords in any case
	}
	for _, c := range cases {
		t.Run(c.expr, func(t *testing.T) {
			e, err := NewEnv(names, withTwelve(sampleValues))
			if err != nil {
				t.Fatal(err)
			}
			cond, err := e.Condition(ConditionExpression, c.expr)
			if err != nil {
				t.Fatal(err)
			}
			if got := cond.Eval(sample); got != c.want {
				t.Errorf("Eval = %v, want %v", got, c.want)
			}
		})
	}
}

func withTwelve(m map[string]store.Value) map[string]store.Value {
	out := map[string]store.Value{":twelve": store.N("12")}
	for k, v := range m {
		out[k] = v
	}
	return out
}

func TestConditionOnMissingItem(t *testing.T) {
	c, err := ParseCondition("attribute_not_exists(pk)", nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !c.Eval(store.Item{}) {
		t.Error("attribute_not_exists(pk) on no item: false, want true")
	}
	if c.Eval(sample) {
		t.Error("attribute_not_exists(pk) on an item: true, want false")
	}
}

// TestConditionErrors pins the service's messages for bad expressions.
func TestConditionErrors(t *testing.T) {
	v1 := map[string]store.Value{":v": store.N("1")}
	cases := []struct {
		expr   string
		names  map[string]string
		values map[string]store.Value
		want   string
	}{
		{"a = ", nil, v1, `Invalid ConditionExpression: Syntax error; token: "<EOF>", near: "="`},
		{"a = :v :v", nil, v1, `Invalid ConditionExpression: Syntax error; token: ":v", near: ":v :v"`},
		{"a == :v", nil, v1, `Invalid ConditionExpression: Syntax error; token: "=", near: "== :v"`},
		{"a = :v;", nil, v1, `Invalid ConditionExpression: Syntax error; token: ";", near: ":v;"`},
		{"", nil, nil, "Invalid ConditionExpression: The expression can not be empty;"},
		{"status = :v", nil, v1, "Invalid ConditionExpression: Attribute name is a reserved keyword; reserved keyword: status"},
		{"Size = :v", nil, v1, "Invalid ConditionExpression: Attribute name is a reserved keyword; reserved keyword: Size"},
		{"#x = :v", nil, v1, "Invalid ConditionExpression: An expression attribute name used in the document path is not defined; attribute name: #x"},
		{"a = :w", nil, v1, "Invalid ConditionExpression: An expression attribute value used in expression is not defined; attribute value: :w"},
		{"a = :v", nil, map[string]store.Value{":v": store.N("1"), ":x": store.N("2")}, "Value provided in ExpressionAttributeValues unused in expressions: keys: {:x}"},
		{"a = :v", map[string]string{"#a": "a", "#b": "b"}, v1, "Value provided in ExpressionAttributeNames unused in expressions: keys: {#a, #b}"},
		{"a = :v", map[string]string{}, v1, "ExpressionAttributeNames must not be empty"},
		{"a = :v", nil, map[string]store.Value{}, "ExpressionAttributeValues must not be empty"},
		{"a = :v", nil, map[string]store.Value{"v": store.N("1")}, `ExpressionAttributeValues contains invalid key: Syntax error; key: "v"`},
		{"a = a", nil, nil, "Invalid ConditionExpression: The first operand must be distinct from the remaining operands for this operator or function; operator: =, first operand: [a]"},
		{"begins_with(a.b, a.b)", nil, nil, "Invalid ConditionExpression: The first operand must be distinct from the remaining operands for this operator or function; operator: begins_with, first operand: [a, b]"},
		{"((a = :v))", nil, v1, "Invalid ConditionExpression: The expression has redundant parentheses;"},
		{"((a)) = :v", nil, v1, "Invalid ConditionExpression: The expression has redundant parentheses;"},
		{"status = :v AND foo(a)", nil, v1, "Invalid ConditionExpression: Invalid function name; function: foo"},
		{"status = :w", nil, v1, "Invalid ConditionExpression: Attribute name is a reserved keyword; reserved keyword: status"},
		{"status = ", nil, v1, `Invalid ConditionExpression: Syntax error; token: "<EOF>", near: "="`},
		{"a = :w AND attribute_exists(a, b)", nil, v1, "Invalid ConditionExpression: An expression attribute value used in expression is not defined; attribute value: :w"},
		{"attribute_exists(a) = :v", nil, v1, "Invalid ConditionExpression: The function is not allowed to be used this way in an expression; function: attribute_exists"},
		{"size(:v) > :v", nil, v1, "Invalid ConditionExpression: Incorrect operand type for operator or function; operator or function: size, operand type: N"},
		{"foo(a)", nil, nil, "Invalid ConditionExpression: Invalid function name; function: foo"},
		{"size(a)", nil, nil, "Invalid ConditionExpression: The function is not allowed to be used this way in an expression; function: size"},
		{"list_append(a, a) = a", nil, nil, "Invalid ConditionExpression: The function is not allowed to be used this way in an expression; function: list_append"},
		{"attribute_exists(:v)", nil, v1, "Invalid ConditionExpression: Operator or function requires a document path; operator or function: attribute_exists"},
		{"attribute_exists(a, b)", nil, nil, "Invalid ConditionExpression: Incorrect number of operands for operator or function; operator or function: attribute_exists, number of operands: 2"},
		{"attribute_type(a, :t)", nil, map[string]store.Value{":t": store.S("STRING")}, "Invalid ConditionExpression: Invalid attribute type name found; type: STRING, valid types: {B,NULL,SS,BOOL,L,BS,N,NS,S,M}"},
		{"begins_with(a, :v)", nil, v1, "Invalid ConditionExpression: Incorrect operand type for operator or function; operator or function: begins_with, operand type: N"},
		{"a BETWEEN :hi AND :lo", nil, map[string]store.Value{":lo": store.N("1"), ":hi": store.N("5")}, "Invalid ConditionExpression: The BETWEEN operator requires upper bound to be greater than or equal to lower bound; lower bound operand: AttributeValue: {N:5}, upper bound operand: AttributeValue: {N:1}"},
		{"a.b[x] = :v", nil, v1, `Invalid ConditionExpression: Syntax error; token: "x", near: "[x]"`},
		{"1a = :v", nil, v1, `Invalid ConditionExpression: Syntax error; token: "1a", near: "1a ="`},
		{strings.Repeat("a", MaxExpressionLength+1), nil, nil, "Invalid ConditionExpression: Expression size has exceeded the maximum allowed size; expression size: 4097"},
		{"a IN (" + strings.Repeat(":v,", MaxInOperands) + ":v)", nil, v1, "Invalid ConditionExpression: The expression contains too many operands for IN; operand count: 101, maximum: 100"},
		{strings.Repeat("(", 70) + "a = :v" + strings.Repeat(")", 70), nil, v1, "Invalid ConditionExpression: The expression has too many nested parentheses; nesting levels: 65"},
		{strings.Repeat("a = :v AND ", 300) + "a = :v", nil, v1, "Invalid ConditionExpression: The expression contains too many operators; operator count: 301"},
		{"a" + strings.Repeat(".a", 32) + " = :v", nil, v1, "Invalid ConditionExpression: The document path has too many nesting levels; nesting levels: 33"},
	}
	for _, c := range cases {
		t.Run(c.expr[:min(len(c.expr), 40)], func(t *testing.T) {
			_, err := ParseCondition(c.expr, c.names, c.values)
			if err == nil {
				t.Fatalf("no error, want %q", c.want)
			}
			if err.Error() != c.want {
				t.Errorf("error\n got %q\nwant %q", err.Error(), c.want)
			}
			if _, ok := err.(*Error); !ok {
				t.Errorf("error is %T, want *Error", err)
			}
		})
	}
}

func TestFilterMessagesNameTheirParameter(t *testing.T) {
	e, _ := NewEnv(nil, nil)
	_, err := e.Condition(FilterExpression, "a =")
	if err == nil || !strings.HasPrefix(err.Error(), "Invalid FilterExpression: Syntax error;") {
		t.Errorf("error %v, want Invalid FilterExpression: Syntax error", err)
	}
}

// TestNamesCheckedAcrossExpressions: a title used by one expression of a
// request and a value used by another are both used.
func TestNamesCheckedAcrossExpressions(t *testing.T) {
	e, err := NewEnv(map[string]string{"#a": "a", "#b": "b"}, map[string]store.Value{":v": store.N("1")})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.Condition(ConditionExpression, "#a = :v"); err != nil {
		t.Fatal(err)
	}
	if err := e.Unused(); err == nil || err.Error() != "Value provided in ExpressionAttributeNames unused in expressions: keys: {#b}" {
		t.Fatalf("Unused = %v", err)
	}
	if _, err := e.Projection("#b"); err != nil {
		t.Fatal(err)
	}
	if err := e.Unused(); err != nil {
		t.Fatalf("Unused after the projection = %v", err)
	}
	e2, _ := NewEnv(map[string]string{"#a": "a"}, nil)
	if err := e2.Unused(); err == nil || err.Error() != "ExpressionAttributeNames can only be specified when using expressions" {
		t.Fatalf("Unused with no expression = %v", err)
	}
}

func TestFilterOnKey(t *testing.T) {
	schema := store.KeySchema{PartitionKey: "pk", SortKey: "sk"}
	values := map[string]store.Value{":v": store.N("1")}
	for expr, want := range map[string]string{
		"a = :v AND b = :v":       "",
		"a = :v OR size(sk) > :v": "Filter Expression can only contain non-primary key attributes: Primary key attribute: sk",
		"NOT pk = :v":             "Filter Expression can only contain non-primary key attributes: Primary key attribute: pk",
		"m.pk = :v":               "",
	} {
		c, err := ParseCondition(expr, nil, values)
		if err != nil {
			t.Fatal(err)
		}
		got := ""
		if err := c.FilterOnKey(schema); err != nil {
			got = err.Error()
		}
		if got != want {
			t.Errorf("%q: %q, want %q", expr, got, want)
		}
	}
}
