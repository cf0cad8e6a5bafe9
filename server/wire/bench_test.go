package wire

import (
	"encoding/json"
	"testing"

	"github.com/ddbsim/ddbsim/model/store"
)

// The server's hot path is a small GetItem: decode the request, encode
// the item found.
const getItemBody = `{"TableName":"bench","Key":{"pk":{"S":"user#12345"},"sk":{"N":"42"}},"ConsistentRead":false,"ReturnConsumedCapacity":"TOTAL"}`

func BenchmarkDecodeGetItem(b *testing.B) {
	body := []byte(getItemBody)
	b.ReportAllocs()
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		var in GetItemInput
		if err := DecodeRequest(body, &in); err != nil {
			b.Fatal(err)
		}
	}
}

func benchItem() store.Item {
	return store.NewItem(
		store.Attribute{Name: "pk", Value: store.S("user#12345")},
		store.Attribute{Name: "sk", Value: store.N("42")},
		store.Attribute{Name: "name", Value: store.S("A. N. Other")},
		store.Attribute{Name: "score", Value: store.N("1234.5")},
		store.Attribute{Name: "tags", Value: store.SS("a", "b", "c")},
		store.Attribute{Name: "blob", Value: store.B(make([]byte, 100))},
	)
}

func BenchmarkEncodeGetItemOutput(b *testing.B) {
	out := GetItemOutput{Item: Wrap(benchItem()), ConsumedCapacity: &ConsumedCapacity{TableName: "bench", CapacityUnits: 0.5}}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := json.Marshal(out); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkAppendItem(b *testing.B) {
	it := benchItem()
	buf := make([]byte, 0, 1024)
	b.ReportAllocs()
	for b.Loop() {
		buf = AppendItem(buf[:0], it)
	}
}
