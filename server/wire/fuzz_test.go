package wire

import (
	"bytes"
	"encoding/json"
	"testing"
)

// valueSeeds are AttributeValues of every type, valid and refused, as
// clients send them.
var valueSeeds = []string{
	`{"S":"hello"}`, `{"N":"-1.50E+3"}`, `{"N":"1e126"}`, `{"N":"0.0000"}`, `{"B":"AAEC/w=="}`, `{"B":"abc"}`,
	`{"BOOL":true}`, `{"BOOL":"no"}`, `{"NULL":true}`, `{"NULL":false}`,
	`{"SS":["a","b"]}`, `{"SS":["a","a"]}`, `{"NS":["1","1.0"]}`, `{"BS":["AA==","AQ=="]}`, `{"NS":[]}`,
	`{"L":[{"S":"a"},{"M":{"k":{"N":"1"}}}]}`, `{"M":{"a":{"L":[]},"b":{"NULL":true}}}`,
	`{"S":"a","N":"1"}`, `{}`, `null`, `[]`, `{"S":1}`, `{"L":{"S":"x"}}`, nest(31, `{"S":"x"}`), nest(32, `{"S":"x"}`),
	"{\"S\":\"\\u00e9\\ud800\xff\"}",
}

// FuzzDecodeValue: no input panics, and what is accepted encodes to JSON
// that decodes to the same value and encodes the same again.
func FuzzDecodeValue(f *testing.F) {
	for _, s := range valueSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		// Called directly, the UnmarshalJSON methods get no validated
		// input: they must not panic or hang on any bytes.
		var av AttributeValue
		_ = av.UnmarshalJSON(raw)
		var it Item
		_ = it.UnmarshalJSON(raw)

		v, err := DecodeValue(raw)
		if err != nil {
			if _, ok := err.(*Error); !ok {
				t.Fatalf("error %T %v is not a *wire.Error", err, err)
			}
			return
		}
		enc := AppendValue(nil, v)
		if !json.Valid(enc) {
			t.Fatalf("%v encodes to invalid JSON %q", v, enc)
		}
		again, err := DecodeValue(enc)
		if err != nil {
			t.Fatalf("%v encodes to %s, which is refused: %v", v, enc, err)
		}
		if !again.Equal(v) {
			t.Fatalf("%s decodes to %v, want %v", enc, again, v)
		}
		if enc2 := AppendValue(nil, again); !bytes.Equal(enc, enc2) {
			t.Fatalf("encodings differ: %s, %s", enc, enc2)
		}
	})
}

// requestSeeds are request bodies as the SDK sends them, by operation.
var requestSeeds = map[string]string{
	"PutItem": `{"TableName":"t","Item":{"pk":{"S":"a"},"n":{"N":"1"},"doc":{"M":{"l":{"L":[{"BOOL":true}]}}}},` +
		`"ConditionExpression":"attribute_not_exists(pk)","ReturnValues":"ALL_OLD","ReturnConsumedCapacity":"TOTAL"}`,
	"GetItem":    `{"TableName":"t","Key":{"pk":{"S":"a"}},"ConsistentRead":true,"ProjectionExpression":"#n","ExpressionAttributeNames":{"#n":"n"}}`,
	"UpdateItem": `{"TableName":"t","Key":{"pk":{"S":"a"}},"UpdateExpression":"SET n = n + :one","ExpressionAttributeValues":{":one":{"N":"1"}}}`,
	"DeleteItem": `{"TableName":"t","Key":{"pk":{"S":"a"}},"Expected":{"n":{"ComparisonOperator":"EQ","AttributeValueList":[{"N":"1"}]}}}`,
	"Query": `{"TableName":"t","IndexName":"g","KeyConditionExpression":"pk = :p","ExpressionAttributeValues":{":p":{"S":"a"}},` +
		`"Limit":10,"ScanIndexForward":false,"ExclusiveStartKey":{"pk":{"S":"a"},"sk":{"N":"1"}}}`,
	"Scan":               `{"TableName":"t","Segment":1,"TotalSegments":4,"Select":"COUNT","ScanFilter":{"n":{"ComparisonOperator":"NOT_NULL"}}}`,
	"BatchGetItem":       `{"RequestItems":{"t":{"Keys":[{"pk":{"S":"a"}},{"pk":{"S":"b"}}],"ConsistentRead":true}}}`,
	"BatchWriteItem":     `{"RequestItems":{"t":[{"PutRequest":{"Item":{"pk":{"S":"a"}}}},{"DeleteRequest":{"Key":{"pk":{"S":"b"}}}}]}}`,
	"TransactGetItems":   `{"TransactItems":[{"Get":{"TableName":"t","Key":{"pk":{"S":"a"}}}}]}`,
	"TransactWriteItems": `{"TransactItems":[{"ConditionCheck":{"TableName":"t","Key":{"pk":{"S":"a"}},"ConditionExpression":"attribute_exists(pk)"}},{"Put":{"TableName":"t","Item":{"pk":{"S":"b"}}}}],"ClientRequestToken":"x"}`,
	"CreateTable": `{"TableName":"t","AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"}],"KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}],` +
		`"BillingMode":"PROVISIONED","ProvisionedThroughput":{"ReadCapacityUnits":5,"WriteCapacityUnits":5}}`,
	"UpdateTable":      `{"TableName":"t","GlobalSecondaryIndexUpdates":[{"Delete":{"IndexName":"g"}}]}`,
	"ListTables":       `{"Limit":2}`,
	"UpdateTimeToLive": `{"TableName":"t","TimeToLiveSpecification":{"Enabled":true,"AttributeName":"exp"}}`,
	"GetShardIterator": `{"StreamArn":"arn","ShardId":"s","ShardIteratorType":"TRIM_HORIZON"}`,
	"GetRecords":       `{"ShardIterator":"it","Limit":100}`,
}

// FuzzDecodeRequest: no body panics any operation's decoder, and what is
// accepted encodes to a body that decodes to the same request.
func FuzzDecodeRequest(f *testing.F) {
	targets := Targets()
	for i, target := range targets {
		op := target[bytes.IndexByte([]byte(target), '.')+1:]
		if body, ok := requestSeeds[op]; ok {
			f.Add(uint8(i), []byte(body))
		}
		f.Add(uint8(i), []byte(`{}`))
	}
	f.Add(uint8(0), []byte(`{"TableName":5}`))
	f.Fuzz(func(t *testing.T, op uint8, body []byte) {
		target := targets[int(op)%len(targets)]
		in, _ := NewInput(target)
		if err := DecodeRequest(body, in); err != nil {
			return
		}
		enc, err := json.Marshal(in)
		if err != nil {
			t.Fatalf("%s: accepted %q but cannot encode it: %v", target, body, err)
		}
		again, _ := NewInput(target)
		if err := DecodeRequest(enc, again); err != nil {
			t.Fatalf("%s: accepted %q, encoded as %s, which is refused: %v", target, body, enc, err)
		}
		enc2, err := json.Marshal(again)
		if err != nil || !bytes.Equal(enc, enc2) {
			t.Fatalf("%s: encodings differ:\n%s\n%s", target, enc, enc2)
		}
	})
}

// FuzzDecoderAgainstReference: the scanning decoder accepts exactly what
// the reference decoder (ref_test.go) accepts, with the same value, and
// refuses the rest with the same error.
func FuzzDecoderAgainstReference(f *testing.F) {
	for _, s := range valueSeeds {
		f.Add([]byte(s))
	}
	f.Add([]byte(`{"S":"a","S":"b"}`))
	f.Add([]byte(`{"a":{"S":"x"},"b":{"L":[{"N":"1"}]},"a":{"NULL":true}}`))
	f.Add([]byte(`{"M":{"k":{"S":"a"},"k":{"N":"1"}}}`))
	f.Add([]byte(`{"\u0053":"escaped name"}`))
	f.Add([]byte(`{"M":{"a\"b":{"S":"q"}, "\u00e9":{"S":"e"}}}`))
	f.Fuzz(func(t *testing.T, raw []byte) {
		if !json.Valid(raw) {
			return
		}
		got, gerr := decodeValue(raw, 0)
		want, werr := refDecodeValue(raw, 0)
		if (gerr == nil) != (werr == nil) || gerr != nil && (gerr.Type != werr.Type || gerr.Message != werr.Message) {
			t.Fatalf("%q: error %v, reference %v", raw, gerr, werr)
		}
		if !got.Equal(want) {
			t.Fatalf("%q: %v, reference %v", raw, got, want)
		}
		// The same text read as an item.
		gotItem, gerr := decodeItem(raw)
		wantItem, werr := refDecodeItem(raw)
		if (gerr == nil) != (werr == nil) || gerr != nil && (gerr.Type != werr.Type || gerr.Message != werr.Message) {
			t.Fatalf("%q as an item: error %v, reference %v", raw, gerr, werr)
		}
		if !gotItem.Equal(wantItem) {
			t.Fatalf("%q as an item: %v, reference %v", raw, gotItem, wantItem)
		}
	})
}
