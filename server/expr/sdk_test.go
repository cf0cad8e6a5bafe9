package expr

import (
	"fmt"
	"testing"

	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/expression"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/ddbsim/ddbsim/model/store"
)

// The SDK's expression builder is the oracle for the strings real
// applications send: expressions built with it must parse, and evaluate
// as the builder's meaning says.

// fromSDK converts an SDK AttributeValue into a store value (a test-only
// stand-in for the wire decoder).
func fromSDK(av types.AttributeValue) store.Value {
	switch v := av.(type) {
	case *types.AttributeValueMemberS:
		return store.S(v.Value)
	case *types.AttributeValueMemberN:
		return store.N(v.Value)
	case *types.AttributeValueMemberB:
		return store.B(v.Value)
	case *types.AttributeValueMemberBOOL:
		return store.Bool(v.Value)
	case *types.AttributeValueMemberNULL:
		return store.Null()
	case *types.AttributeValueMemberSS:
		return store.SS(v.Value...)
	case *types.AttributeValueMemberNS:
		return store.NS(v.Value...)
	case *types.AttributeValueMemberBS:
		return store.BS(v.Value...)
	case *types.AttributeValueMemberL:
		var out []store.Value
		for _, e := range v.Value {
			out = append(out, fromSDK(e))
		}
		return store.L(out...)
	case *types.AttributeValueMemberM:
		var out []store.Attribute
		for k, e := range v.Value {
			out = append(out, attr(k, fromSDK(e)))
		}
		return store.M(out...)
	}
	panic(fmt.Sprintf("unknown AttributeValue %T", av))
}

// sdkEnv builds the expression and returns an Env over its names and
// values.
func sdkEnv(t *testing.T, b expression.Builder) (expression.Expression, *Env) {
	t.Helper()
	ex, err := b.Build()
	if err != nil {
		t.Fatal(err)
	}
	var values map[string]store.Value
	if vs := ex.Values(); vs != nil {
		values = map[string]store.Value{}
		for k, v := range vs {
			values[k] = fromSDK(v)
		}
	}
	e, err := NewEnv(ex.Names(), values)
	if err != nil {
		t.Fatal(err)
	}
	return ex, e
}

func TestSDKConditions(t *testing.T) {
	N, V := expression.Name, expression.Value
	cases := []struct {
		c    expression.ConditionBuilder
		want bool
	}{
		{N("age").Equal(V(42)), true},
		{N("age").NotEqual(V(42)), false},
		{N("age").GreaterThan(V(40)).And(N("title").BeginsWith("Ada")), true},
		{N("age").LessThan(V(40)).Or(N("title").BeginsWith("Ada")), true},
		{expression.Not(N("age").LessThanEqual(V(42))), false},
		{N("age").GreaterThanEqual(V(42)), true},
		{N("age").Between(V(40), V(50)), true},
		{N("age").In(V(1), V(2), V(42)), true},
		{N("tags").Contains("a"), true},
		{N("title").Contains("Love"), true},
		{N("arr").Size().Equal(V(3)), true},
		{N("title").Size().GreaterThan(V(100)), false},
		{N("tags").AttributeType(expression.StringSet), true},
		{N("age").AttributeType(expression.String), false},
		{N("map.inr.n").Equal(V(3)), true},
		{N("arr[2].deep").Equal(V("yes")), true},
		{N("Status").Equal(V("active")), true}, // a reserved word, aliased by the builder
		{N("absent").AttributeNotExists().And(N("pk").AttributeExists()), true},
		{expression.And(N("ok").Equal(V(true)), N("nothing").AttributeType(expression.Null), N("scores").Contains(2.5)), true},
	}
	for i, c := range cases {
		ex, e := sdkEnv(t, expression.NewBuilder().WithCondition(c.c))
		cond, err := e.Condition(ConditionExpression, *ex.Condition())
		if err != nil {
			t.Fatalf("case %d %q: %v", i, *ex.Condition(), err)
		}
		if err := e.Unused(); err != nil {
			t.Errorf("case %d %q: %v", i, *ex.Condition(), err)
		}
		if got := cond.Eval(sample); got != c.want {
			t.Errorf("case %d %q: Eval = %v, want %v", i, *ex.Condition(), got, c.want)
		}
	}
}

func TestSDKUpdateProjectionAndKeys(t *testing.T) {
	N, V := expression.Name, expression.Value
	old := store.NewItem(attr("pk", store.S("k")), attr("sk", store.N("1")), attr("n", store.N("1")),
		attr("l", store.L(store.S("a"))), attr("s", store.SS("x", "y")), attr("gone", store.S("g")),
		attr("m", store.M(attr("a", store.N("1")))))
	upd := expression.Set(N("n"), N("n").Plus(V(2))).
		Set(N("l"), N("l").ListAppend(V([]string{"b"}))).
		Set(N("c"), N("c").IfNotExists(V(0))).
		Set(N("m.b"), V("new")).
		Set(N("Status"), V("done")).
		Remove(N("gone")).
		Add(N("cnt"), V(5)).
		Delete(N("s"), V(&types.AttributeValueMemberSS{Value: []string{"x"}}))
	cond := N("n").Equal(V(1))
	ex, e := sdkEnv(t, expression.NewBuilder().WithUpdate(upd).WithCondition(cond))
	u, err := e.Update(*ex.Update())
	if err != nil {
		t.Fatalf("%q: %v", *ex.Update(), err)
	}
	c, err := e.Condition(ConditionExpression, *ex.Condition())
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Unused(); err != nil {
		t.Fatalf("%q: %v", *ex.Update(), err)
	}
	if !c.Eval(old) {
		t.Error("condition n = 1 false on the old item")
	}
	got, err := u.Apply(old, schema)
	if err != nil {
		t.Fatal(err)
	}
	want := store.NewItem(attr("pk", store.S("k")), attr("sk", store.N("1")), attr("n", store.N("3")),
		attr("l", store.L(store.S("a"), store.S("b"))), attr("s", store.SS("y")), attr("c", store.N("0")),
		attr("m", store.M(attr("a", store.N("1")), attr("b", store.S("new")))), attr("Status", store.S("done")),
		attr("cnt", store.N("5")))
	if !got.Equal(want) {
		t.Errorf("%q\n got  %v\n want %v", *ex.Update(), got, want)
	}

	proj := expression.NamesList(N("n"), N("m.a"), N("Status"))
	ex, e = sdkEnv(t, expression.NewBuilder().WithProjection(proj))
	p, err := e.Projection(*ex.Projection())
	if err != nil {
		t.Fatal(err)
	}
	if got, want := p.Apply(got), store.NewItem(attr("n", store.N("3")), attr("m", store.M(attr("a", store.N("1")))), attr("Status", store.S("done"))); !got.Equal(want) {
		t.Errorf("projection %q: got %v, want %v", *ex.Projection(), got, want)
	}

	keys := []struct {
		kc   expression.KeyConditionBuilder
		want store.SortCondition
	}{
		{expression.Key("pk").Equal(V("u")), store.SortCondition{}},
		{expression.Key("pk").Equal(V("u")).And(expression.Key("sk").Between(V(1), V(5))), store.SortCondition{Op: store.CondBetween, A: store.N("1"), B: store.N("5")}},
		{expression.Key("pk").Equal(V("u")).And(expression.Key("sk").GreaterThanEqual(V(2))), store.SortCondition{Op: store.CondGE, A: store.N("2")}},
		{expression.KeyAnd(expression.Key("pk").Equal(V("u")), expression.Key("sk").BeginsWith("ab")), store.SortCondition{Op: store.CondBeginsWith, A: store.S("ab")}},
	}
	strSchema := store.KeySchema{PartitionKey: "pk", SortKey: "sk"}
	for i, k := range keys {
		ex, e := sdkEnv(t, expression.NewBuilder().WithKeyCondition(k.kc))
		pk, sc, err := e.KeyCondition(*ex.KeyCondition(), strSchema)
		if err != nil {
			t.Fatalf("key %d %q: %v", i, *ex.KeyCondition(), err)
		}
		if err := e.Unused(); err != nil {
			t.Errorf("key %d: %v", i, err)
		}
		if !pk.Equal(store.S("u")) || sc.Op != k.want.Op || !sc.A.Equal(k.want.A) || !sc.B.Equal(k.want.B) {
			t.Errorf("key %d %q: got %v %+v, want %+v", i, *ex.KeyCondition(), pk, sc, k.want)
		}
	}
}
