package expr_test

import (
	"fmt"

	"github.com/ddbsim/ddbsim/model/store"
	"github.com/ddbsim/ddbsim/server/expr"
)

// One UpdateItem request: a condition and an update share the request's
// names and values, which must all be used.
func ExampleEnv() {
	schema := store.KeySchema{PartitionKey: "id"}
	old := store.NewItem(
		store.Attribute{Name: "id", Value: store.S("cart-1")},
		store.Attribute{Name: "status", Value: store.S("open")},
		store.Attribute{Name: "qty", Value: store.N("2")},
	)
	env, err := expr.NewEnv(
		map[string]string{"#st": "status"},
		map[string]store.Value{":open": store.S("open"), ":one": store.N("1"), ":paid": store.S("paid")},
	)
	if err != nil {
		panic(err)
	}
	cond, err := env.Condition(expr.ConditionExpression, "#st = :open AND attribute_exists(id)")
	if err != nil {
		panic(err)
	}
	upd, err := env.Update("SET qty = qty + :one, #st = :paid")
	if err != nil {
		panic(err)
	}
	if err := env.Unused(); err != nil {
		panic(err)
	}
	fmt.Println(cond.Eval(old))
	updated, err := upd.Apply(old, schema)
	fmt.Println(updated, err)

	_, err = expr.ParseCondition("status = :open", nil, map[string]store.Value{":open": store.S("open")})
	fmt.Println(err)
	// Output:
	// true
	// {"id": S("cart-1"), "qty": N("3"), "status": S("paid")} <nil>
	// Invalid ConditionExpression: Attribute name is a reserved keyword; reserved keyword: status
}
