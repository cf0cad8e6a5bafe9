package expr

import (
	"fmt"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/ddbsim/ddbsim/model/store"
)

var schema = store.KeySchema{PartitionKey: "pk", SortKey: "sk"}

func TestUpdateApply(t *testing.T) {
	base := store.NewItem(
		attr("pk", store.S("k")),
		attr("sk", store.N("1")),
		attr("n", store.N("10")),
		attr("s", store.S("x")),
		attr("arr", store.L(store.S("a"), store.S("b"), store.S("c"), store.S("d"))),
		attr("m", store.M(attr("a", store.N("1")), attr("sb", store.M(attr("z", store.S("z")))))),
		attr("tags", store.SS("a", "b")),
		attr("nums", store.NS("1", "2")),
	)
	values := map[string]store.Value{
		":one":   store.N("1"),
		":half":  store.N("0.5"),
		":big":   store.N("99999999999999999999999999999999999999"),
		":s":     store.S("new"),
		":l":     store.L(store.S("e")),
		":tags":  store.SS("b", "c"),
		":ntags": store.NS("2", "3"),
		":a":     store.SS("a"),
		":ab":    store.SS("a", "b"),
	}
	cases := []struct {
		expr string
		want map[string]store.Value // attributes changed; nil value means removed
	}{
		{"SET n = n + :one", map[string]store.Value{"n": store.N("11")}},
		{"SET n = n - :half", map[string]store.Value{"n": store.N("9.5")}},
		{"SET n = :one - n", map[string]store.Value{"n": store.N("-9")}},
		{"SET x = :s, s = n", map[string]store.Value{"x": store.S("new"), "s": store.N("10")}},
		{"SET s = n, n = s", map[string]store.Value{"s": store.N("10"), "n": store.S("x")}}, // operands read the old item
		{"SET arr = list_append(arr, :l)", map[string]store.Value{"arr": store.L(store.S("a"), store.S("b"), store.S("c"), store.S("d"), store.S("e"))}},
		{"SET arr = list_append(:l, arr)", map[string]store.Value{"arr": store.L(store.S("e"), store.S("a"), store.S("b"), store.S("c"), store.S("d"))}},
		{"SET x = if_not_exists(x, :one), n = if_not_exists(n, :one)", map[string]store.Value{"x": store.N("1")}},
		{"SET cnt = if_not_exists(cnt, :one) + :one", map[string]store.Value{"cnt": store.N("2")}},
		{"SET arr[1] = :s", map[string]store.Value{"arr": store.L(store.S("a"), store.S("new"), store.S("c"), store.S("d"))}},
		{"SET arr[10] = :s", map[string]store.Value{"arr": store.L(store.S("a"), store.S("b"), store.S("c"), store.S("d"), store.S("new"))}},
		{"SET m.sb.y = :s", map[string]store.Value{"m": store.M(attr("a", store.N("1")), attr("sb", store.M(attr("y", store.S("new")), attr("z", store.S("z")))))}},
		{"REMOVE s, m.a", map[string]store.Value{"s": {}, "m": store.M(attr("sb", store.M(attr("z", store.S("z")))))}},
		{"REMOVE arr[1], arr[3]", map[string]store.Value{"arr": store.L(store.S("a"), store.S("c"))}},
		{"REMOVE arr[3], arr[1]", map[string]store.Value{"arr": store.L(store.S("a"), store.S("c"))}},
		{"REMOVE nothere, arr[9], gone.x[2], m.zz.y", nil},
		{"SET arr[0] = :s REMOVE arr[1], arr[2]", map[string]store.Value{"arr": store.L(store.S("new"), store.S("d"))}},
		{"SET arr[1] = :s, arr[0] = :s, arr[3] = :s", map[string]store.Value{"arr": store.L(store.S("new"), store.S("new"), store.S("c"), store.S("new"))}},
		{"ADD n :one", map[string]store.Value{"n": store.N("11")}},
		{"ADD fresh :one", map[string]store.Value{"fresh": store.N("1")}},
		{"ADD tags :tags, nums :ntags", map[string]store.Value{"tags": store.SS("a", "b", "c"), "nums": store.NS("1", "2", "3")}},
		{"DELETE tags :a", map[string]store.Value{"tags": store.SS("b")}},
		{"DELETE tags :ab", map[string]store.Value{"tags": {}}},
		{"DELETE nothere :a", nil},
		{"SET s = :s REMOVE n ADD c :one DELETE tags :a", map[string]store.Value{"s": store.S("new"), "n": {}, "c": store.N("1"), "tags": store.SS("b")}},
		{"set s = :s remove n", map[string]store.Value{"s": store.S("new"), "n": {}}},
	}
	for _, c := range cases {
		t.Run(c.expr, func(t *testing.T) {
			e, err := NewEnv(nil, values)
			if err != nil {
				t.Fatal(err)
			}
			u, err := e.Update(c.expr)
			if err != nil {
				t.Fatal(err)
			}
			got, err := u.Apply(base, schema)
			if err != nil {
				t.Fatal(err)
			}
			want := map[string]store.Value{}
			for n, v := range base.All() {
				want[n] = v
			}
			for n, v := range c.want {
				if v.IsZero() {
					delete(want, n)
				} else {
					want[n] = v
				}
			}
			var attrs []store.Attribute
			for n, v := range want {
				attrs = append(attrs, attr(n, v))
			}
			if w := store.NewItem(attrs...); !got.Equal(w) {
				t.Errorf("got  %v\nwant %v", got, w)
			}
		})
	}
}

func TestUpdateErrors(t *testing.T) {
	base := store.NewItem(attr("pk", store.S("k")), attr("s", store.S("x")), attr("n", store.N("1")), attr("tags", store.SS("a")),
		attr("big", store.N("9e125")), attr("lng", store.N("1234567890123456789012345678901234567.8")))
	values := map[string]store.Value{":one": store.N("1"), ":s": store.S("v"), ":ss": store.SS("a"), ":ns": store.NS("1"),
		":big": store.N("9e125"), ":tiny": store.N("0.01"), ":l": store.L()}
	parseErrors := []struct{ expr, want string }{
		{"SET a = :one, a = :s", "Invalid UpdateExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a], path two: [a]"},
		{"SET a.b = :one REMOVE a", "Invalid UpdateExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a, b], path two: [a]"},
		{"SET a[0] = :one REMOVE a.b", "Invalid UpdateExpression: Two document paths conflict with each other; must remove or rewrite one of these paths; path one: [a, [0]], path two: [a, b]"},
		{"REMOVE a.c SET a[1] = :one", "Invalid UpdateExpression: Two document paths conflict with each other; must remove or rewrite one of these paths; path one: [a, c], path two: [a, [1]]"},
		{"SET a = :one ADD a :s", "Invalid UpdateExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a], path two: [a]"},
		{"SET a = :one, b = :nope ADD a :s", "Invalid UpdateExpression: An expression attribute value used in expression is not defined; attribute value: :nope"},
		{"set a = #c set c = :d", `Invalid UpdateExpression: The "SET" section can only be used once in an update expression;`},
		{"set #c = if_not_exist(:c) set c = d", "Invalid UpdateExpression: Invalid function name; function: if_not_exist"},
		{" set #c = :c set abOrt = true ", "Invalid UpdateExpression: Attribute name is a reserved keyword; reserved keyword: abOrt"},
		{"set a = if_not_exists(if_not_exists(a, b), c)", "Invalid UpdateExpression: Operator or function requires a document path; operator or function: if_not_exists"},
		{"set a = if_not_exists(c)", "Invalid UpdateExpression: Incorrect number of operands for operator or function; operator or function: if_not_exists, number of operands: 1"},
		{"set a = b + c + d", `Invalid UpdateExpression: Syntax error; token: "+", near: "c + d"`},
		{"set a = b / c", `Invalid UpdateExpression: Syntax error; token: "/", near: "b / c"`},
		{"set a[1] = 1", `Invalid UpdateExpression: Syntax error; token: "1", near: "= 1"`},
		{"SET a = :one SET b = :one", `Invalid UpdateExpression: The "SET" section can only be used once in an update expression;`},
		{"SET a = :s + :one", "Invalid UpdateExpression: Incorrect operand type for operator or function; operator or function: +, operand type: S"},
		{"ADD a :s", "Invalid UpdateExpression: Incorrect operand type for operator or function; operator: ADD, operand type: STRING"},
		{"DELETE a :one", "Invalid UpdateExpression: Incorrect operand type for operator or function; operator: DELETE, operand type: NUMBER"},
		{"SET a = size(b)", "Invalid UpdateExpression: The function is not allowed to be used this way in an expression; function: size"},
		{"SET a = list_append(b, :one)", "Invalid UpdateExpression: Incorrect operand type for operator or function; operator or function: list_append, operand type: N"},
		{"UPSERT a = :one", `Invalid UpdateExpression: Syntax error; token: "UPSERT", near: "UPSERT a"`},
		{"SET a :one", `Invalid UpdateExpression: Syntax error; token: ":one", near: "a :one"`},
		{"SET a = :one,", `Invalid UpdateExpression: Syntax error; token: "<EOF>", near: ","`},
		{"REMOVE", `Invalid UpdateExpression: Syntax error; token: "<EOF>", near: "REMOVE"`},
	}
	for _, c := range parseErrors {
		t.Run(c.expr, func(t *testing.T) {
			e, _ := NewEnv(nil, values)
			_, err := e.Update(c.expr)
			if err == nil || err.Error() != c.want {
				t.Errorf("error\n got %v\nwant %s", err, c.want)
			}
		})
	}
	applyErrors := []struct{ expr, want string }{
		{"SET pk = :s", "One or more parameter values were invalid: Cannot update attribute pk. This attribute is part of the key"},
		{"REMOVE sk", "One or more parameter values were invalid: Cannot update attribute sk. This attribute is part of the key"},
		{"SET a = s + :one", "An operand in the update expression has an incorrect data type"},
		{"SET a = nope + :one", "The provided expression refers to an attribute that does not exist in the item"},
		{"SET a.b = :one", "The document path provided in the update expression is invalid for update"},
		{"SET s.b = :one", "The document path provided in the update expression is invalid for update"},
		{"SET s[0] = :one", "The document path provided in the update expression is invalid for update"},
		{"SET nope[0] = :one", "The document path provided in the update expression is invalid for update"},
		{"REMOVE s.b.c", "The document path provided in the update expression is invalid for update"},
		{"REMOVE s[0]", "The document path provided in the update expression is invalid for update"},
		{"SET a = list_append(s, :l)", "An operand in the update expression has an incorrect data type"},
		{"ADD s :one", "An operand in the update expression has an incorrect data type"},
		{"ADD tags :ns", "An operand in the update expression has an incorrect data type"},
		{"DELETE tags :ns", "An operand in the update expression has an incorrect data type"},
		{"SET big = big + :big", "Number overflow. Attempting to store a number with magnitude larger than supported range"},
		{"ADD big :big", "Number overflow. Attempting to store a number with magnitude larger than supported range"},
		{"SET lng = lng + :tiny", "Attempting to store more than 38 significant digits in a Number"},
	}
	for _, c := range applyErrors {
		t.Run(c.expr, func(t *testing.T) {
			e, _ := NewEnv(nil, values)
			u, err := e.Update(c.expr)
			if err != nil {
				t.Fatal(err)
			}
			_, err = u.Apply(base, schema)
			if err == nil || err.Error() != c.want {
				t.Errorf("error\n got %v\nwant %s", err, c.want)
			}
		})
	}
}

func TestAddNumbersExact(t *testing.T) {
	cases := []struct{ a, b, want string }{
		{"1", "10000000000000000000000", "10000000000000000000001"},
		{"0.1", "0.2", "0.3"},
		{"-5", "5", "0"},
		{"1e-130", "1e-130", "0." + strings.Repeat("0", 129) + "2"},
		{"99999999999999999999999999999999999999", "1", "100000000000000000000000000000000000000"},
	}
	if _, err := addNumbers(store.N("1.1e-130"), store.N("1e-130"), true); err == nil || err.Error() != errUnderflow.Message {
		t.Errorf("1.1e-130 - 1e-130: %v, want %v", err, errUnderflow)
	}
	for _, c := range cases {
		got, err := addNumbers(store.N(c.a), store.N(c.b), false)
		if err != nil || got.Text() != c.want {
			t.Errorf("%s + %s = %v, %v; want %s", c.a, c.b, got, err, c.want)
		}
	}
}

func TestProjection(t *testing.T) {
	it := store.NewItem(
		attr("a", store.N("1")),
		attr("b", store.S("x")),
		attr("arr", store.L(store.S("p"), store.S("q"), store.M(attr("r", store.S("r")), attr("t", store.S("t"))))),
		attr("m", store.M(attr("x", store.N("1")), attr("y", store.N("2")))),
	)
	cases := []struct {
		expr string
		want store.Item
	}{
		{"a", store.NewItem(attr("a", store.N("1")))},
		{"a, b, zz", store.NewItem(attr("a", store.N("1")), attr("b", store.S("x")))},
		{"m.y", store.NewItem(attr("m", store.M(attr("y", store.N("2")))))},
		{"arr[2].t, arr[0]", store.NewItem(attr("arr", store.L(store.S("p"), store.M(attr("t", store.S("t"))))))},
		{"#m.x, m.zz, arr[7]", store.NewItem(attr("m", store.M(attr("x", store.N("1")))))},
	}
	for _, c := range cases {
		t.Run(c.expr, func(t *testing.T) {
			e, _ := NewEnv(map[string]string{"#m": "m"}, nil)
			p, err := e.Projection(c.expr)
			if err != nil {
				t.Fatal(err)
			}
			if got := p.Apply(it); !got.Equal(c.want) {
				t.Errorf("got  %v\nwant %v", got, c.want)
			}
		})
	}
	for expr, want := range map[string]string{
		"a, a.b":  "Invalid ProjectionExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a], path two: [a, b]",
		"a,":      `Invalid ProjectionExpression: Syntax error; token: "<EOF>", near: ","`,
		"a = b":   `Invalid ProjectionExpression: Syntax error; token: "=", near: "a = b"`,
		"name":    "Invalid ProjectionExpression: Attribute name is a reserved keyword; reserved keyword: name",
		"#a, #zz": "Invalid ProjectionExpression: An expression attribute name used in the document path is not defined; attribute name: #zz",
	} {
		if _, err := ParseProjection(expr, map[string]string{"#a": "a"}); err == nil || err.Error() != want {
			t.Errorf("%q: error\n got %v\nwant %s", expr, err, want)
		}
	}
}

func TestKeyCondition(t *testing.T) {
	values := map[string]store.Value{":p": store.S("u1"), ":a": store.N("1"), ":b": store.N("5"), ":pre": store.S("2024-"), ":t": store.Bool(true)}
	cases := []struct {
		expr string
		want store.SortCondition
	}{
		{"pk = :p", store.SortCondition{}},
		{"pk = :p AND sk = :a", store.SortCondition{Op: store.CondEQ, A: store.N("1")}},
		{"sk < :a AND pk = :p", store.SortCondition{Op: store.CondLT, A: store.N("1")}},
		{":a <= sk AND pk = :p", store.SortCondition{Op: store.CondGE, A: store.N("1")}},
		{"pk = :p AND sk > :a", store.SortCondition{Op: store.CondGT, A: store.N("1")}},
		{"(pk = :p) AND (sk BETWEEN :a AND :b)", store.SortCondition{Op: store.CondBetween, A: store.N("1"), B: store.N("5")}},
		{"pk = :p AND begins_with(sk, :pre)", store.SortCondition{Op: store.CondBeginsWith, A: store.S("2024-")}},
	}
	for _, c := range cases {
		t.Run(c.expr, func(t *testing.T) {
			e, _ := NewEnv(nil, values)
			pk, sc, err := e.KeyCondition(c.expr, schema)
			if err != nil {
				t.Fatal(err)
			}
			if !pk.Equal(store.S("u1")) || sc.Op != c.want.Op || !sc.A.Equal(c.want.A) || !sc.B.Equal(c.want.B) {
				t.Errorf("got %v %+v, want %+v", pk, sc, c.want)
			}
		})
	}
	errs := []struct{ expr, want string }{
		{"sk = :a", "Query condition missed key schema element: pk"},
		{"pk < :p", "Query key condition not supported"},
		{"pk = :p OR sk = :a", "Invalid operator used in KeyConditionExpression: OR"},
		{"pk = :p AND sk <> :a", "Invalid operator used in KeyConditionExpression: <>"},
		{"pk = :p AND attribute_exists(sk)", "Invalid operator used in KeyConditionExpression: attribute_exists"},
		{"NOT pk = :p", "Invalid operator used in KeyConditionExpression: NOT"},
		{"pk IN (:p)", "Invalid operator used in KeyConditionExpression: IN"},
		{"pk = :p AND sk = :a AND oth = :b", "Conditions can be of length 1 or 2 only"},
		{"sk > :a AND sk < :b AND pk = :p", "KeyConditionExpressions must only contain one condition per key"},
		{"pk = :p AND pk = :p", "KeyConditionExpressions must only contain one condition per key"},
		{"pk = :p AND :a BETWEEN sk AND :b", "Invalid condition in KeyConditionExpression: BETWEEN operator must have the key attribute as its first operand"},
		{"pk = :p AND begins_with(:pre, sk)", "Invalid condition in KeyConditionExpression: begins_with operator must have the key attribute as its first operand"},
		{"pk = :p AND sk > size(pk)", "KeyConditionExpressions cannot contain nested operations"},
		{"pk = sk", "Invalid condition in KeyConditionExpression: Multiple attribute names used in one condition"},
		{"pk.x = :p", "KeyConditionExpressions cannot have conditions on nested attributes"},
		{":p = :a", "Invalid condition in KeyConditionExpression: No key attribute specified"},
		{"pk = :t", "One or more parameter values were invalid: Condition parameter type does not match schema type"},
		{"pk = :p AND oth = :a", "Query condition missed key schema element: sk"},
		{"pk = :p AND begins_with(sk, :a)", "Invalid KeyConditionExpression: Incorrect operand type for operator or function; operator or function: begins_with, operand type: N"},
		{"pk = :p AND sk BETWEEN :b AND :a", "Invalid KeyConditionExpression: The BETWEEN operator requires upper bound to be greater than or equal to lower bound; lower bound operand: AttributeValue: {N:5}, upper bound operand: AttributeValue: {N:1}"},
	}
	for _, c := range errs {
		t.Run(c.expr, func(t *testing.T) {
			e, _ := NewEnv(nil, values)
			_, _, err := e.KeyCondition(c.expr, schema)
			if err == nil || err.Error() != c.want {
				t.Errorf("error\n got %v\nwant %s", err, c.want)
			}
		})
	}
}

func TestUpdateTouched(t *testing.T) {
	old := store.NewItem(attr("pk", store.S("k")), attr("a", store.N("1")), attr("m", store.M(attr("x", store.N("1")), attr("y", store.N("2")))), attr("keep", store.S("k")))
	u, err := ParseUpdate("SET a = a + :one, m.x = :one REMOVE gone", nil, map[string]store.Value{":one": store.N("1")})
	if err != nil {
		t.Fatal(err)
	}
	updated, err := u.Apply(old, schema)
	if err != nil {
		t.Fatal(err)
	}
	wantOld := store.NewItem(attr("a", store.N("1")), attr("m", store.M(attr("x", store.N("1")))))
	wantNew := store.NewItem(attr("a", store.N("2")), attr("m", store.M(attr("x", store.N("1")))))
	if got := u.Touched().Apply(old); !got.Equal(wantOld) {
		t.Errorf("UPDATED_OLD %v, want %v", got, wantOld)
	}
	if got := u.Touched().Apply(updated); !got.Equal(wantNew) {
		t.Errorf("UPDATED_NEW %v, want %v", got, wantNew)
	}
}

// TestUpdateManyActionsOnLargeList: 300 actions on one 100,000-element
// List copy it about once, not once per action (which would allocate
// gigabytes for one request).
func TestUpdateManyActionsOnLargeList(t *testing.T) {
	elems := make([]store.Value, 100_000)
	for i := range elems {
		elems[i] = store.Null()
	}
	old := store.NewItem(attr("pk", store.S("k")), attr("l", store.L(elems...)))
	var sb strings.Builder
	sb.WriteString("SET ")
	for i := range 300 {
		if i > 0 {
			sb.WriteString(",")
		}
		fmt.Fprintf(&sb, "l[%d]=:v", i)
	}
	u, err := ParseUpdate(sb.String(), nil, map[string]store.Value{":v": store.N("1")})
	if err != nil {
		t.Fatal(err)
	}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	got, err := u.Apply(old, schema)
	runtime.ReadMemStats(&after)
	if err != nil {
		t.Fatal(err)
	}
	l, _ := got.Get("l")
	if l.Len() != 100_000 || !l.List()[299].Equal(store.N("1")) || !l.List()[300].Equal(store.Null()) {
		t.Fatalf("wrong list after the update")
	}
	// One expansion and one rebuild: a few times 100,000 × 40 bytes.
	alloc := after.TotalAlloc - before.TotalAlloc
	t.Logf("Apply allocated %.1f MB", float64(alloc)/(1<<20))
	if alloc > 64<<20 {
		t.Errorf("Apply allocated %d MB", alloc>>20)
	}
}

// TestManyPathsIntoLargeList: a condition and a projection naming 300
// elements of one 100,000-element List copy it about once.
func TestManyPathsIntoLargeList(t *testing.T) {
	elems := make([]store.Value, 100_000)
	for i := range elems {
		elems[i] = store.N(strconv.Itoa(i))
	}
	it := store.NewItem(attr("pk", store.S("k")), attr("l", store.L(elems...)))
	var cond, proj strings.Builder
	for i := range 150 {
		if i > 0 {
			cond.WriteString(" AND ")
			proj.WriteString(",")
		}
		fmt.Fprintf(&cond, "l[%d]<>:v", i)
		fmt.Fprintf(&proj, "l[%d]", i*2)
	}
	c, err := ParseCondition(cond.String(), nil, map[string]store.Value{":v": store.N("-1")})
	if err != nil {
		t.Fatal(err)
	}
	p, err := ParseProjection(proj.String(), nil)
	if err != nil {
		t.Fatal(err)
	}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	ok := c.Eval(it)
	got := p.Apply(it)
	runtime.ReadMemStats(&after)
	if !ok {
		t.Error("condition false")
	}
	l, _ := got.Get("l")
	if l.Len() != 150 || !l.List()[149].Equal(store.N("298")) {
		t.Errorf("projection kept %d elements", l.Len())
	}
	alloc := after.TotalAlloc - before.TotalAlloc
	t.Logf("Eval and Apply allocated %.1f MB", float64(alloc)/(1<<20))
	if alloc > 32<<20 {
		t.Errorf("allocated %d MB", alloc>>20)
	}
}
