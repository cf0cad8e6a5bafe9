package wire

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/ddbsim/ddbsim/model/store"
)

func TestDecodeRequest(t *testing.T) {
	body := `{"TableName":"t","Item":{"pk":{"S":"a"},"n":{"N":"1.0"}},
		"ConditionExpression":"attribute_not_exists(pk) AND #n < :max",
		"ExpressionAttributeNames":{"#n":"n"},
		"ExpressionAttributeValues":{":max":{"N":"10"}},
		"ReturnValues":"ALL_OLD","ReturnConsumedCapacity":"INDEXES",
		"SomethingNew":{"nested":[1,2,3]}}`
	var in PutItemInput
	if err := DecodeRequest([]byte(body), &in); err != nil {
		t.Fatal(err)
	}
	if in.TableName != "t" || in.Item == nil || in.ReturnValues != "ALL_OLD" || in.ReturnConsumedCapacity != "INDEXES" {
		t.Fatalf("decoded %+v", in)
	}
	if n, _ := in.Item.Get("n"); !n.Equal(store.N("1")) {
		t.Errorf("Item.n = %v", n)
	}
	if v := in.ExpressionAttributeValues[":max"]; !v.Equal(store.N("10")) {
		t.Errorf(":max = %v", v)
	}
	if in.ExpressionAttributeNames["#n"] != "n" {
		t.Errorf("names = %v", in.ExpressionAttributeNames)
	}
}

func TestDecodeRequestRefuses(t *testing.T) {
	for _, tc := range []struct {
		in       any
		body     string
		typ, msg string
	}{
		{new(GetItemInput), `{"TableName":5}`, SerializationException, "NUMBER_VALUE cannot be converted to String"},
		{new(GetItemInput), `{"TableName":true}`, SerializationException, "TRUE_VALUE cannot be converted to String"},
		{new(GetItemInput), `{"TableName":["t"]}`, SerializationException, "Unrecognized collection type class java.lang.String"},
		{new(GetItemInput), `{"TableName":{}}`, SerializationException, "Start of structure or map found where not expected"},
		{new(GetItemInput), `{"ConsistentRead":2}`, SerializationException, "NUMBER_VALUE cannot be converted to Boolean"},
		{new(QueryInput), `{"Limit":"5"}`, SerializationException, "STRING_VALUE cannot be converted to Integer"},
		{new(QueryInput), `{"Limit":false}`, SerializationException, "FALSE_VALUE cannot be converted to Integer"},
		{new(CreateTableInput), `{"ProvisionedThroughput":{"ReadCapacityUnits":"x"}}`, SerializationException, "STRING_VALUE cannot be converted to Long"},
		{new(CreateTableInput), `{"KeySchema":{}}`, SerializationException, "Start of structure or map found where not expected"},
		{new(CreateTableInput), `{"KeySchema":"k"}`, SerializationException, "Unexpected field type"},
		{new(CreateTableInput), `{"ProvisionedThroughput":[]}`, SerializationException, "Start of list found where not expected"},
		{new(GetItemInput), `{"Key":[]}`, SerializationException, "Unrecognized collection type java.util.Map<java.lang.String, com.amazonaws.dynamodb.v20120810.AttributeValue>"},
		{new(GetItemInput), `{"Key":{"pk":{"S":"a","N":"1"}}}`, ValidationException, msgManyTypes},
		{new(QueryInput), `{"ExpressionAttributeValues":{":v":{}}}`, ValidationException, msgEmptyValue},
		{new(QueryInput), `{"ExpressionAttributeValues":{":v":null}}`, ValidationException, msgEmptyValue},
		{new(PutItemInput), `{"TableName":"t",`, SerializationException, "Malformed JSON request body"},
		{new(PutItemInput), ``, SerializationException, "Malformed JSON request body"},
		{new(PutItemInput), `[]`, SerializationException, "Start of list found where not expected"},
		{new(PutItemInput), `"x"`, SerializationException, "Unexpected field type"},
	} {
		err := DecodeRequest([]byte(tc.body), tc.in)
		if err == nil || err.Type != tc.typ || err.Message != tc.msg {
			t.Errorf("DecodeRequest(%s) = %v, want %s: %s", tc.body, err, tc.typ, tc.msg)
		}
	}
}

func TestDecodeRequestBodyLimit(t *testing.T) {
	big := make([]byte, MaxBodyBytes+1)
	err := DecodeRequest(big, new(GetItemInput))
	if err == nil || err.Type != RequestEntityTooLarge || err.Status() != 413 {
		t.Fatalf("a body over the limit: %v", err)
	}
	// At the limit the body is decoded (and here refused for its content).
	atLimit := append([]byte(`{"TableName":"`), bytes.Repeat([]byte("x"), MaxBodyBytes-16)...)
	atLimit = append(atLimit, `"}`...)
	if err := DecodeRequest(atLimit, new(GetItemInput)); err != nil {
		t.Fatalf("a body at the limit: %v", err)
	}
}

// TestDecodeRequestDeepJSON: a body nesting far deeper than any value
// may is refused (by the nesting rule, or encoding/json's own depth limit
// for unknown members) without exhausting the stack.
func TestDecodeRequestDeepJSON(t *testing.T) {
	deepValue := `{"TableName":"t","Item":{"a":` + nest(100000, `{"S":"x"}`) + `}}`
	if err := DecodeRequest([]byte(deepValue), new(PutItemInput)); err == nil {
		t.Error("a 100,000-level value was accepted")
	}
	deepUnknown := `{"X":` + strings.Repeat("[", 100000) + strings.Repeat("]", 100000) + `}`
	if err := DecodeRequest([]byte(deepUnknown), new(PutItemInput)); err == nil || err.Type != SerializationException {
		t.Errorf("a 100,000-level unknown member: %v", err)
	}
}

func TestNewInput(t *testing.T) {
	targets := Targets()
	if len(targets) != 23 {
		t.Errorf("%d targets, want 23 (19 DynamoDB operations, 4 Streams operations)", len(targets))
	}
	for _, target := range targets {
		in, err := NewInput(target)
		if err != nil || in == nil {
			t.Errorf("NewInput(%s) = %v, %v", target, in, err)
			continue
		}
		if err := DecodeRequest([]byte(`{}`), in); err != nil {
			t.Errorf("%s: decoding {}: %v", target, err)
		}
	}
	_, err := NewInput("DynamoDB_20120810.ExecuteStatement")
	if err == nil || err.Type != UnknownOperationException || err.FullType() != "com.amazon.coral.service#UnknownOperationException" {
		t.Errorf("an unserved operation: %v", err)
	}
}

func TestOutputsOmitAbsentMembers(t *testing.T) {
	for _, tc := range []struct {
		out  any
		want string
	}{
		{QueryOutput{Items: []Item{}}, `{"Items":[],"Count":0,"ScannedCount":0}`},
		{QueryOutput{Count: 3}, `{"Count":3,"ScannedCount":0}`},
		{GetItemOutput{}, `{}`},
		{GetItemOutput{Item: Wrap(store.NewItem(store.Attribute{Name: "k", Value: store.S("v")})),
			ConsumedCapacity: &ConsumedCapacity{TableName: "t", CapacityUnits: 0.5, ReadCapacityUnits: 0.5}},
			`{"Item":{"k":{"S":"v"}},"ConsumedCapacity":{"TableName":"t","CapacityUnits":0.5,"ReadCapacityUnits":0.5}}`},
		{BatchWriteItemOutput{UnprocessedItems: map[string][]WriteRequest{}}, `{"UnprocessedItems":{}}`},
		{ConsumedCapacity{TableName: "t", CapacityUnits: 3, WriteCapacityUnits: 3,
			Table:                  &Capacity{WriteCapacityUnits: 1, CapacityUnits: 1},
			GlobalSecondaryIndexes: map[string]Capacity{"g": {WriteCapacityUnits: 2, CapacityUnits: 2}}},
			`{"TableName":"t","CapacityUnits":3,"WriteCapacityUnits":3,"Table":{"WriteCapacityUnits":1,"CapacityUnits":1},"GlobalSecondaryIndexes":{"g":{"WriteCapacityUnits":2,"CapacityUnits":2}}}`},
		{DescribeTableOutput{Table: &TableDescription{TableName: "t", TableStatus: "ACTIVE", CreationDateTime: 1733580000.5}},
			`{"Table":{"TableName":"t","TableStatus":"ACTIVE","CreationDateTime":1733580000.5,"TableSizeBytes":0,"ItemCount":0,"DeletionProtectionEnabled":false}}`},
	} {
		got, err := json.Marshal(tc.out)
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != tc.want {
			t.Errorf("%T:\n got %s\nwant %s", tc.out, got, tc.want)
		}
	}
}

func TestAppendError(t *testing.T) {
	old := Wrap(store.NewItem(store.Attribute{Name: "pk", Value: store.S("a")}))
	for _, tc := range []struct {
		err    *Error
		status int
		want   string
	}{
		{Validation("bad"), 400, `{"__type":"com.amazon.coral.validate#ValidationException","message":"bad"}`},
		{Errorf(SerializationException, "x %d", 1), 400, `{"__type":"com.amazon.coral.service#SerializationException","message":"x 1"}`},
		{Errorf(ResourceNotFoundException, "Requested resource not found"), 400,
			`{"__type":"com.amazonaws.dynamodb.v20120810#ResourceNotFoundException","message":"Requested resource not found"}`},
		{Errorf(InternalServerError, "oops"), 500, `{"__type":"com.amazonaws.dynamodb.v20120810#InternalServerError","message":"oops"}`},
		{&Error{Type: ProvisionedThroughputExceededException, Message: "slow down",
			ThrottlingReasons: []ThrottlingReason{{Reason: "TableWriteProvisionedThroughputExceeded", Resource: "arn:aws:dynamodb:us-east-1:000000000000:table/t"}}}, 400,
			`{"__type":"com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException","message":"slow down","ThrottlingReasons":[{"reason":"TableWriteProvisionedThroughputExceeded","resource":"arn:aws:dynamodb:us-east-1:000000000000:table/t"}]}`},
		{&Error{Type: TransactionCanceledException, Message: "Transaction cancelled, please refer cancellation reasons for specific reasons [None, ConditionalCheckFailed]",
			CancellationReasons: []CancellationReason{{Code: "None"}, {Code: "ConditionalCheckFailed", Message: "The conditional request failed", Item: old}}}, 400,
			`{"__type":"com.amazonaws.dynamodb.v20120810#TransactionCanceledException","message":"Transaction cancelled, please refer cancellation reasons for specific reasons [None, ConditionalCheckFailed]","CancellationReasons":[{"Code":"None"},{"Item":{"pk":{"S":"a"}},"Code":"ConditionalCheckFailed","Message":"The conditional request failed"}]}`},
		{&Error{Type: ConditionalCheckFailedException, Message: "The conditional request failed", Item: old}, 400,
			`{"__type":"com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException","message":"The conditional request failed","Item":{"pk":{"S":"a"}}}`},
	} {
		if got := string(AppendError(nil, tc.err)); got != tc.want {
			t.Errorf("AppendError(%v):\n got %s\nwant %s", tc.err, got, tc.want)
		}
		if tc.err.Status() != tc.status {
			t.Errorf("%v: status %d, want %d", tc.err, tc.err.Status(), tc.status)
		}
		if !json.Valid(AppendError(nil, tc.err)) {
			t.Errorf("%v: body is not JSON", tc.err)
		}
	}
	long := AppendError(nil, Validation(strings.Repeat("é", 3000)))
	if !json.Valid(long) || len(long) > maxErrorMessageSize+100 {
		t.Errorf("a long message gave %d bytes (valid JSON: %v)", len(long), json.Valid(long))
	}
}

func TestServiceErrors(t *testing.T) {
	r := Throttled(ThrottledIndex, ThrottledWrite, LimitKeyRange, "arn:aws:dynamodb:us-east-1:000000000000:table/t/index/g")
	if r.Reason != "IndexWriteKeyRangeThroughputExceeded" {
		t.Errorf("reason %q", r.Reason)
	}
	e := TransactionCanceled([]CancellationReason{{Code: "None"}, {Code: "ConditionalCheckFailed", Message: MsgConditionalCheckFailed}})
	if e.Message != "Transaction cancelled, please refer cancellation reasons for specific reasons [None, ConditionalCheckFailed]" || e.Status() != 400 {
		t.Errorf("TransactionCanceled: %v", e)
	}
	if e := ConditionalCheckFailed(nil); e.Item != nil || e.Message != "The conditional request failed" {
		t.Errorf("ConditionalCheckFailed: %v", e)
	}
	if e := ResourceNotFound(); e.FullType() != "com.amazonaws.dynamodb.v20120810#ResourceNotFoundException" {
		t.Errorf("ResourceNotFound: %v", e.FullType())
	}
}
