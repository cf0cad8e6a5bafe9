package expr

import (
	"testing"

	"github.com/ddbsim/ddbsim/model/store"
)

// fuzzNames and fuzzValues are the placeholders fuzzed expressions may
// use; unused ones only make Unused fail, which is an answer too.
var (
	fuzzNames  = map[string]string{"#a": "a", "#st": "Status", "#m": "map"}
	fuzzValues = map[string]store.Value{
		":n": store.N("42"), ":s": store.S("Ada"), ":l": store.L(store.S("x")), ":ss": store.SS("a"),
		":ns": store.NS("1"), ":b": store.B([]byte{1}), ":t": store.S("SS"), ":big": store.N("9e125"),
	}
)

// bigItem holds containers large enough for the reader to keep open.
var bigItem = func() store.Item {
	var elems []store.Value
	var members []store.Attribute
	for i := range 40 {
		elems = append(elems, store.M(attr("n", store.N("1"))))
		members = append(members, attr(string(rune('a'+i%26))+string(rune('a'+i/26)), store.L(store.S("x"))))
	}
	return store.NewItem(attr("pk", store.S("k")), attr("arr", store.L(elems...)), attr("map", store.M(members...)), attr("a", store.M(members...)))
}()

// FuzzParseCondition: no condition, filter, key-condition or projection
// expression panics the parser or the evaluator, and every failure is an
// *Error.
func FuzzParseCondition(f *testing.F) {
	for _, s := range []string{
		"age = :n", "#a <> :s AND NOT (b < :n OR c BETWEEN :n AND :n)", "attribute_exists(#m.inr.n)",
		"a IN (:n, :s, :b)", "size(arr) > :n", "contains(tags, :s)", "begins_with(title, :s)",
		"attribute_type(a, :t)", "arr[2].deep = :s", "((a = :n))", "pk = :s AND sk BETWEEN :n AND :n",
		"a, b.c, d[1]", "status = :n", "arr[39].n = :n AND arr[3].n = :n", "map.ab[0] = :s", "arr[1], arr[3].n, #m.ab", "a = ", "#zz = :zz", "size(a)", "NOT NOT NOT a = :n",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		for _, kind := range []Kind{ConditionExpression, KeyConditionExpression, ProjectionExpression} {
			e, err := NewEnv(fuzzNames, fuzzValues)
			if err != nil {
				t.Fatal(err)
			}
			switch kind {
			case ConditionExpression:
				c, err := e.Condition(kind, src)
				checkErr(t, err)
				if err == nil {
					c.Eval(sample)
					c.Eval(bigItem)
					c.Eval(store.Item{})
				}
			case KeyConditionExpression:
				_, _, err := e.KeyCondition(src, schema)
				checkErr(t, err)
			case ProjectionExpression:
				p, err := e.Projection(src)
				checkErr(t, err)
				if err == nil {
					p.Apply(sample)
					p.Apply(bigItem)
				}
			}
			checkErr(t, e.Unused())
		}
	})
}

// FuzzParseUpdate: no update expression panics the parser or Apply.
func FuzzParseUpdate(f *testing.F) {
	for _, s := range []string{
		"SET a = :n", "SET n = n + :n, l = list_append(l, :l) REMOVE gone, arr[1]",
		"ADD tags :ss DELETE tags :ss", "SET c = if_not_exists(c, :n) - :n", "SET m.b.c = :s",
		"SET arr[9] = :s", "REMOVE arr[0], arr[2]", "SET pk = :s", "SET a = :n SET b = :n",
		"SET big = big + :big", "set #a = :n", "SET a = size(b)", "SET arr[3].n = :n, arr[39].n = arr[2].n REMOVE arr[5], a.ab[0]",
	} {
		f.Add(s)
	}
	old := store.NewItem(attr("pk", store.S("k")), attr("n", store.N("1")), attr("l", store.L(store.S("a"))),
		attr("arr", store.L(store.S("a"), store.M(attr("b", store.N("1"))))), attr("tags", store.SS("a", "b")),
		attr("m", store.M(attr("b", store.M()))), attr("big", store.N("9e125")))
	f.Fuzz(func(t *testing.T, src string) {
		e, err := NewEnv(fuzzNames, fuzzValues)
		if err != nil {
			t.Fatal(err)
		}
		u, err := e.Update(src)
		checkErr(t, err)
		if err == nil {
			_, err := u.Apply(old, schema)
			checkErr(t, err)
			_, err = u.Apply(store.Item{}, schema)
			checkErr(t, err)
			_, err = u.Apply(bigItem, schema)
			checkErr(t, err)
		}
		checkErr(t, e.Unused())
	})
}

func checkErr(t *testing.T, err error) {
	t.Helper()
	if err == nil {
		return
	}
	if _, ok := err.(*Error); !ok {
		t.Fatalf("error %v is %T, want *Error", err, err)
	}
}
