package expr

import (
	"testing"

	"github.com/ddbsim/ddbsim/model/store"
)

func ptr[T any](v T) *T { return &v }

func TestFromFilter(t *testing.T) {
	cases := []struct {
		filter map[string]Comparison
		op     string
		want   bool
	}{
		{map[string]Comparison{"age": {"EQ", []store.Value{store.N("42")}}}, "", true},
		{map[string]Comparison{"age": {"NE", []store.Value{store.N("42")}}}, "", false},
		{map[string]Comparison{"absent": {"NE", []store.Value{store.N("42")}}}, "", true},
		{map[string]Comparison{"age": {"GT", []store.Value{store.N("40")}}, "title": {"BEGINS_WITH", []store.Value{store.S("Ada")}}}, "AND", true},
		{map[string]Comparison{"age": {"LT", []store.Value{store.N("40")}}, "title": {"BEGINS_WITH", []store.Value{store.S("Ada")}}}, "AND", false},
		{map[string]Comparison{"age": {"LT", []store.Value{store.N("40")}}, "title": {"BEGINS_WITH", []store.Value{store.S("Ada")}}}, "OR", true},
		{map[string]Comparison{"age": {"BETWEEN", []store.Value{store.N("40"), store.N("42")}}}, "", true},
		{map[string]Comparison{"age": {"IN", []store.Value{store.N("1"), store.N("42")}}}, "", true},
		{map[string]Comparison{"tags": {"CONTAINS", []store.Value{store.S("a")}}}, "", true},
		{map[string]Comparison{"tags": {"NOT_CONTAINS", []store.Value{store.S("a")}}}, "", false},
		{map[string]Comparison{"absent": {"NULL", nil}, "age": {"NOT_NULL", nil}}, "", true},
	}
	for i, c := range cases {
		cond, err := FromFilter(c.filter, c.op)
		if err != nil {
			t.Fatalf("case %d: %v", i, err)
		}
		if got := cond.Eval(sample); got != c.want {
			t.Errorf("case %d: Eval = %v, want %v", i, got, c.want)
		}
	}
	errs := map[string]Comparison{
		"One or more parameter values were invalid: Invalid number of argument(s) for the EQ ComparisonOperator":           {"EQ", nil},
		"One or more parameter values were invalid: Invalid number of argument(s) for the NULL ComparisonOperator":         {"NULL", []store.Value{store.N("1")}},
		"One or more parameter values were invalid: ComparisonOperator BEGINS_WITH is not valid for N AttributeValue type": {"BEGINS_WITH", []store.Value{store.N("1")}},
		"One or more parameter values were invalid: AttributeValues inside AttributeValueList must be of same type":        {"IN", []store.Value{store.S("b"), store.N("1")}},
		"The BETWEEN condition was provided a range where the lower bound is greater than the upper bound":                 {"BETWEEN", []store.Value{store.N("5"), store.N("1")}},
	}
	for want, c := range errs {
		if _, err := FromFilter(map[string]Comparison{"a": c}, ""); err == nil || err.Error() != want {
			t.Errorf("%s: error\n got %v\nwant %s", c.Operator, err, want)
		}
	}
}

func TestFromExpected(t *testing.T) {
	yes, no := ptr(true), ptr(false)
	cases := []struct {
		exp  map[string]Expected
		want bool
	}{
		{map[string]Expected{"age": {Value: ptr(store.N("42"))}}, true},
		{map[string]Expected{"age": {Exists: yes, Value: ptr(store.N("41"))}}, false},
		{map[string]Expected{"absent": {Exists: no}}, true},
		{map[string]Expected{"age": {Exists: no}}, false},
		{map[string]Expected{"age": {Comparison: &Comparison{"GE", []store.Value{store.N("42")}}}}, true},
	}
	for i, c := range cases {
		cond, err := FromExpected(c.exp, "")
		if err != nil {
			t.Fatalf("case %d: %v", i, err)
		}
		if got := cond.Eval(sample); got != c.want {
			t.Errorf("case %d: Eval = %v, want %v", i, got, c.want)
		}
	}
	if _, err := FromExpected(map[string]Expected{"a": {Exists: yes}}, ""); err == nil ||
		err.Error() != "One or more parameter values were invalid: Value must be provided when Exists is true for Attribute: a" {
		t.Errorf("Exists without Value: %v", err)
	}
	if _, err := FromExpected(map[string]Expected{"a": {Exists: no, Value: ptr(store.N("1"))}}, ""); err == nil ||
		err.Error() != "One or more parameter values were invalid: Value cannot be used when Exists is false for Attribute: a" {
		t.Errorf("Exists false with a Value: %v", err)
	}
}

func TestFromKeyConditions(t *testing.T) {
	pk, sc, err := FromKeyConditions(map[string]Comparison{
		"pk": {"EQ", []store.Value{store.S("u")}},
		"sk": {"BETWEEN", []store.Value{store.N("1"), store.N("2")}},
	}, schema)
	if err != nil || !pk.Equal(store.S("u")) || sc.Op != store.CondBetween || !sc.A.Equal(store.N("1")) || !sc.B.Equal(store.N("2")) {
		t.Errorf("got %v %+v %v", pk, sc, err)
	}
	if _, _, err := FromKeyConditions(map[string]Comparison{"sk": {"EQ", []store.Value{store.N("1")}}}, schema); err == nil ||
		err.Error() != "Query condition missed key schema element: pk" {
		t.Errorf("missing partition key: %v", err)
	}
	if _, _, err := FromKeyConditions(map[string]Comparison{"pk": {"EQ", []store.Value{store.S("u")}}, "sk": {"NE", []store.Value{store.N("1")}}}, schema); err == nil {
		t.Error("NE on the sort key accepted")
	}
}

func TestFromAttributeUpdates(t *testing.T) {
	old := store.NewItem(attr("pk", store.S("k")), attr("n", store.N("1")), attr("l", store.L(store.S("a"))), attr("s", store.SS("x", "y")), attr("gone", store.S("g")))
	u, err := FromAttributeUpdates(map[string]AttributeUpdate{
		"n":    {Action: "ADD", Value: ptr(store.N("2"))},
		"l":    {Action: "ADD", Value: ptr(store.L(store.S("b")))},
		"s":    {Action: "DELETE", Value: ptr(store.SS("x"))},
		"gone": {Action: "DELETE"},
		"new":  {Value: ptr(store.S("v"))},
	})
	if err != nil {
		t.Fatal(err)
	}
	got, err := u.Apply(old, schema)
	if err != nil {
		t.Fatal(err)
	}
	want := store.NewItem(attr("pk", store.S("k")), attr("n", store.N("3")), attr("l", store.L(store.S("a"), store.S("b"))), attr("s", store.SS("y")), attr("new", store.S("v")))
	if !got.Equal(want) {
		t.Errorf("got  %v\nwant %v", got, want)
	}
	u, _ = FromAttributeUpdates(map[string]AttributeUpdate{"pk": {Value: ptr(store.S("other"))}})
	if _, err := u.Apply(old, schema); err == nil {
		t.Error("PUT on the partition key accepted")
	}
}

func TestFromAttributesToGet(t *testing.T) {
	p, err := FromAttributesToGet([]string{"age", "title", "absent"})
	if err != nil {
		t.Fatal(err)
	}
	want := store.NewItem(attr("age", store.N("42")), attr("title", store.S("Ada Lovelace")))
	if got := p.Apply(sample); !got.Equal(want) {
		t.Errorf("got %v, want %v", got, want)
	}
	if _, err := FromAttributesToGet([]string{"a", "a"}); err == nil {
		t.Error("duplicate name accepted")
	}
}
