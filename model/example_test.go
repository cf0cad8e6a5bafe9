package model_test

import (
	"fmt"

	"github.com/ddbsim/ddbsim/model/store"
	"github.com/ddbsim/ddbsim/model/units"
)

// Reads round up to 4 KB, then the consistency factor applies
// (REFERENCE: units).
func ExampleReadUnits() {
	const kb = 1024
	fmt.Println(units.ReadUnits(80*kb, units.Eventual))
	fmt.Println(units.ReadUnits(5*kb, units.Strong))
	fmt.Println(units.ReadUnits(5*kb, units.Transactional))
	fmt.Println(units.ReadUnits(0, units.Eventual)) // a missing item
	// Output:
	// 10
	// 2
	// 4
	// 0.5
}

// An item's size is what the service bills: attribute names count too.
func ExampleNewItem() {
	it := store.NewItem(
		store.Attribute{Name: "id", Value: store.S("k42")},
		store.Attribute{Name: "qty", Value: store.N("12345")},
	)
	fmt.Println(it, it.Size())
	fmt.Println(units.WriteUnits(it.Size(), units.Strong))
	// Output:
	// {"id": S("k42"), "qty": N("12345")} 12
	// 1
}

// Synthetic items are addressed by key bytes and sort-key index.
func ExampleStore_PutSized() {
	st := store.NewStore(store.KeySchema{PartitionKey: "pk", SortKey: "sk"})
	key := store.AppendSyntheticKey(nil, 7)
	st.PutSized(key, 3, 2048)
	size, _ := st.SizeOf(key, 3)
	it, _ := st.GetItem(store.S("k7"), store.N("3"))
	v, _ := it.Get("data")
	// The keys take 8 bytes ("pk" "k7" "sk" and N(3), 2 bytes), the
	// padding's name 4, and the padding the rest.
	fmt.Println(size, it.Size(), v.Size())
	// Output:
	// 2048 2048 2036
}
