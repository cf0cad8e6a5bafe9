package wire

// The real AWS SDK for Go is the oracle here: its client serializes each
// request exactly as an application's would, the bodies are decoded with
// DecodeRequest, and the responses and errors encoded here are parsed by
// the same client. No request leaves the process: a fake HTTP client
// records the body and answers with a canned one.

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"slices"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/aws-sdk-go-v2/service/dynamodbstreams"
	streamtypes "github.com/aws/aws-sdk-go-v2/service/dynamodbstreams/types"

	"github.com/ddbsim/ddbsim/model/store"
)

// fakeHTTP answers every request with status and body, keeping the
// request's target and body.
type fakeHTTP struct {
	status int
	body   []byte
	target string
	got    []byte
}

func (f *fakeHTTP) Do(r *http.Request) (*http.Response, error) {
	f.target = r.Header.Get("X-Amz-Target")
	f.got, _ = io.ReadAll(r.Body)
	return &http.Response{
		StatusCode: f.status,
		Header:     http.Header{"Content-Type": {"application/x-amz-json-1.0"}},
		Body:       io.NopCloser(bytes.NewReader(f.body)),
		Request:    r,
	}, nil
}

// answer sets the response to v's JSON (or an *Error's body).
func (f *fakeHTTP) answer(t *testing.T, v any) {
	t.Helper()
	if e, ok := v.(*Error); ok {
		f.status, f.body = e.Status(), AppendError(nil, e)
		return
	}
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	f.status, f.body = 200, b
}

// decode decodes the recorded request into in, checking its target.
func (f *fakeHTTP) decode(t *testing.T, target string, in any) {
	t.Helper()
	if f.target != target {
		t.Fatalf("target %q, want %q", f.target, target)
	}
	if err := DecodeRequest(f.got, in); err != nil {
		t.Fatalf("%s: %v\nbody: %s", target, err, f.got)
	}
}

func newClients() (*dynamodb.Client, *dynamodbstreams.Client, *fakeHTTP) {
	f := &fakeHTTP{}
	db := dynamodb.New(dynamodb.Options{
		Region: "us-east-1", BaseEndpoint: aws.String("http://127.0.0.1:8000"),
		Credentials: aws.AnonymousCredentials{}, HTTPClient: f, Retryer: aws.NopRetryer{},
	})
	streams := dynamodbstreams.New(dynamodbstreams.Options{
		Region: "us-east-1", BaseEndpoint: aws.String("http://127.0.0.1:8000"),
		Credentials: aws.AnonymousCredentials{}, HTTPClient: f, Retryer: aws.NopRetryer{},
	})
	return db, streams, f
}

// fromSDK is the meaning of an SDK attribute value as a store value.
func fromSDK(t *testing.T, av types.AttributeValue) store.Value {
	t.Helper()
	switch v := av.(type) {
	case *types.AttributeValueMemberS:
		return store.S(v.Value)
	case *types.AttributeValueMemberN:
		n, err := store.ParseNumber(v.Value)
		if err != nil {
			t.Fatalf("SDK number %q: %v", v.Value, err)
		}
		return n
	case *types.AttributeValueMemberB:
		return store.B(v.Value)
	case *types.AttributeValueMemberBOOL:
		return store.Bool(v.Value)
	case *types.AttributeValueMemberNULL:
		return store.Null()
	case *types.AttributeValueMemberL:
		vs := make([]store.Value, len(v.Value))
		for i, e := range v.Value {
			vs[i] = fromSDK(t, e)
		}
		return store.L(vs...)
	case *types.AttributeValueMemberM:
		return store.M(fromSDKItem(t, v.Value).Attrs()...)
	case *types.AttributeValueMemberSS:
		return store.SS(v.Value...)
	case *types.AttributeValueMemberNS:
		return store.NS(v.Value...)
	case *types.AttributeValueMemberBS:
		return store.BS(v.Value...)
	}
	t.Fatalf("SDK value %T", av)
	return store.Value{}
}

func fromSDKItem(t *testing.T, m map[string]types.AttributeValue) store.Item {
	t.Helper()
	attrs := make([]store.Attribute, 0, len(m))
	for name, v := range m {
		attrs = append(attrs, store.Attribute{Name: name, Value: fromSDK(t, v)})
	}
	return store.NewItem(attrs...)
}

// document is a Go value with every attribute type, marshalled by the
// SDK's attributevalue package as an application would.
type document struct {
	PK      string            `dynamodbav:"pk"`
	SK      int64             `dynamodbav:"sk"`
	Price   float64           `dynamodbav:"price"`
	Blob    []byte            `dynamodbav:"blob"`
	Active  bool              `dynamodbav:"active"`
	Missing *string           `dynamodbav:"missing,nullempty"`
	Gone    *string           `dynamodbav:"gone"` // NULL
	Tags    []string          `dynamodbav:"tags,stringset"`
	Scores  []int             `dynamodbav:"scores,numberset"`
	Blobs   [][]byte          `dynamodbav:"blobs"` // BS: the SDK marshals [][]byte as a binary set
	List    []any             `dynamodbav:"list"`
	Map     map[string]any    `dynamodbav:"map"`
	Labels  map[string]string `dynamodbav:"labels"`
	Empty   string            `dynamodbav:"empty"`
	Unicode string            `dynamodbav:"unicode"`
}

func sampleDocument() document {
	return document{
		PK: "user#1", SK: -42, Price: 1234.5678, Blob: []byte{0, 1, 2, 0xfe, 0xff},
		Active: true, Tags: []string{"b", "a", "c"}, Scores: []int{3, 1, 2},
		Blobs:  [][]byte{{1}, {2, 3}},
		List:   []any{"x", 1.5, true, nil, []any{"nested"}, map[string]any{"k": "v"}},
		Map:    map[string]any{"depth": map[string]any{"deeper": []any{1, 2, 3}}, "n": 0},
		Labels: map[string]string{"env": "prod"}, Unicode: "日本語 \"quoted\" \\ \n\t\u0001 ☃",
	}
}

func TestSDKItemRoundTrip(t *testing.T) {
	db, _, f := newClients()
	av, err := attributevalue.MarshalMap(sampleDocument())
	if err != nil {
		t.Fatal(err)
	}
	// A number the SDK passes through as written: exponent, plus sign and
	// trailing zeros, which the server keeps in canonical form.
	av["exp"] = &types.AttributeValueMemberN{Value: "+1.50E+3"}
	want := fromSDKItem(t, av)

	f.answer(t, PutItemOutput{Attributes: Wrap(want)})
	out, err := db.PutItem(context.Background(), &dynamodb.PutItemInput{
		TableName: aws.String("t"), Item: av, ReturnValues: types.ReturnValueAllOld,
		ConditionExpression:       aws.String("attribute_not_exists(pk) OR price < :max"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":max": &types.AttributeValueMemberN{Value: "1e3"}},
		ReturnConsumedCapacity:    types.ReturnConsumedCapacityIndexes,
	})
	if err != nil {
		t.Fatal(err)
	}
	var in PutItemInput
	f.decode(t, "DynamoDB_20120810.PutItem", &in)
	if in.Item == nil || !in.Item.Equal(want) {
		t.Fatalf("decoded item\n%v\nwant\n%v\nbody: %s", in.Item, want, f.got)
	}
	if v, _ := in.Item.Get("exp"); v.Text() != "1500" {
		t.Errorf("exp = %v, want canonical 1500", v)
	}
	if v := in.ExpressionAttributeValues[":max"]; !v.Equal(store.N("1000")) {
		t.Errorf(":max = %v", v)
	}
	if in.ReturnValues != "ALL_OLD" || in.ReturnConsumedCapacity != "INDEXES" || in.ConditionExpression == "" {
		t.Errorf("decoded %+v", in)
	}
	// The SDK reads back what the server encodes.
	if back := fromSDKItem(t, out.Attributes); !back.Equal(want) {
		t.Fatalf("SDK read back\n%v\nwant\n%v", back, want)
	}
	var doc document
	if err := attributevalue.UnmarshalMap(out.Attributes, &doc); err != nil {
		t.Fatal(err)
	}
	sample := sampleDocument()
	slices.Sort(sample.Tags)
	slices.Sort(sample.Scores)
	if doc.PK != sample.PK || doc.SK != sample.SK || doc.Price != sample.Price || !bytes.Equal(doc.Blob, sample.Blob) ||
		!slices.Equal(doc.Tags, sample.Tags) || !slices.Equal(doc.Scores, sample.Scores) || doc.Unicode != sample.Unicode {
		t.Errorf("document read back %+v\nwant %+v", doc, sample)
	}
}

func key(pk string) map[string]types.AttributeValue {
	return map[string]types.AttributeValue{"pk": &types.AttributeValueMemberS{Value: pk}}
}

func storeKey(pk string) store.Item {
	return store.NewItem(store.Attribute{Name: "pk", Value: store.S(pk)})
}

// TestSDKDataPlane sends each data-plane operation from the SDK and
// checks the decoded request and the SDK's view of the response.
func TestSDKDataPlane(t *testing.T) {
	ctx := context.Background()
	db, _, f := newClients()
	item := store.NewItem(store.Attribute{Name: "pk", Value: store.S("a")}, store.Attribute{Name: "n", Value: store.N("5")})
	cc := &ConsumedCapacity{TableName: "t", CapacityUnits: 2, ReadCapacityUnits: 2,
		Table: &Capacity{ReadCapacityUnits: 1, CapacityUnits: 1}, GlobalSecondaryIndexes: map[string]Capacity{"g": {ReadCapacityUnits: 1, CapacityUnits: 1}}}

	t.Run("GetItem", func(t *testing.T) {
		f.answer(t, GetItemOutput{Item: Wrap(item), ConsumedCapacity: cc})
		out, err := db.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String("t"), Key: key("a"), ConsistentRead: aws.Bool(true),
			ProjectionExpression: aws.String("#n"), ExpressionAttributeNames: map[string]string{"#n": "n"}, ReturnConsumedCapacity: types.ReturnConsumedCapacityIndexes})
		if err != nil {
			t.Fatal(err)
		}
		var in GetItemInput
		f.decode(t, "DynamoDB_20120810.GetItem", &in)
		if !in.Key.Equal(storeKey("a")) || !in.ConsistentRead || in.ProjectionExpression != "#n" || in.ExpressionAttributeNames["#n"] != "n" {
			t.Errorf("decoded %+v", in)
		}
		if !fromSDKItem(t, out.Item).Equal(item) || *out.ConsumedCapacity.CapacityUnits != 2 || *out.ConsumedCapacity.Table.ReadCapacityUnits != 1 ||
			*out.ConsumedCapacity.GlobalSecondaryIndexes["g"].CapacityUnits != 1 {
			t.Errorf("SDK read %+v", out)
		}
		f.answer(t, GetItemOutput{})
		out, err = db.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String("t"), Key: key("b")})
		if err != nil || out.Item != nil {
			t.Errorf("missing item: %v, %v", out.Item, err)
		}
	})
	t.Run("UpdateItem", func(t *testing.T) {
		f.answer(t, UpdateItemOutput{Attributes: Wrap(item)})
		_, err := db.UpdateItem(ctx, &dynamodb.UpdateItemInput{TableName: aws.String("t"), Key: key("a"),
			UpdateExpression:          aws.String("SET n = n + :one REMOVE old ADD tags :t"),
			ExpressionAttributeValues: map[string]types.AttributeValue{":one": &types.AttributeValueMemberN{Value: "1"}, ":t": &types.AttributeValueMemberSS{Value: []string{"x"}}},
			AttributeUpdates:          nil, ReturnValues: types.ReturnValueUpdatedNew, ReturnValuesOnConditionCheckFailure: types.ReturnValuesOnConditionCheckFailureAllOld})
		if err != nil {
			t.Fatal(err)
		}
		var in UpdateItemInput
		f.decode(t, "DynamoDB_20120810.UpdateItem", &in)
		if in.UpdateExpression == "" || !in.ExpressionAttributeValues[":t"].Equal(store.SS("x")) || in.ReturnValues != "UPDATED_NEW" ||
			in.ReturnValuesOnConditionCheckFailure != "ALL_OLD" {
			t.Errorf("decoded %+v", in)
		}
	})
	t.Run("DeleteItemLegacy", func(t *testing.T) {
		f.answer(t, DeleteItemOutput{})
		_, err := db.DeleteItem(ctx, &dynamodb.DeleteItemInput{TableName: aws.String("t"), Key: key("a"),
			Expected: map[string]types.ExpectedAttributeValue{
				"n":   {ComparisonOperator: types.ComparisonOperatorBetween, AttributeValueList: []types.AttributeValue{&types.AttributeValueMemberN{Value: "1"}, &types.AttributeValueMemberN{Value: "9"}}},
				"old": {Exists: aws.Bool(false)},
			}, ConditionalOperator: types.ConditionalOperatorAnd, ReturnItemCollectionMetrics: types.ReturnItemCollectionMetricsSize})
		if err != nil {
			t.Fatal(err)
		}
		var in DeleteItemInput
		f.decode(t, "DynamoDB_20120810.DeleteItem", &in)
		if e := in.Expected["n"]; e.ComparisonOperator != "BETWEEN" || len(e.AttributeValueList) != 2 || !e.AttributeValueList[1].Equal(store.N("9")) {
			t.Errorf("Expected.n = %+v", e)
		}
		if e := in.Expected["old"]; e.Exists == nil || *e.Exists {
			t.Errorf("Expected.old = %+v", e)
		}
	})
	t.Run("Query", func(t *testing.T) {
		f.answer(t, QueryOutput{Items: []Item{{item}}, Count: 1, ScannedCount: 3, LastEvaluatedKey: Wrap(storeKey("a")), ConsumedCapacity: cc})
		out, err := db.Query(ctx, &dynamodb.QueryInput{TableName: aws.String("t"), IndexName: aws.String("g"),
			KeyConditionExpression: aws.String("pk = :p"), FilterExpression: aws.String("n > :z"),
			ExpressionAttributeValues: map[string]types.AttributeValue{":p": &types.AttributeValueMemberS{Value: "a"}, ":z": &types.AttributeValueMemberN{Value: "0"}},
			Limit:                     aws.Int32(10), ScanIndexForward: aws.Bool(false), ExclusiveStartKey: key("z"), Select: types.SelectAllProjectedAttributes,
			KeyConditions: map[string]types.Condition{"pk": {ComparisonOperator: types.ComparisonOperatorEq, AttributeValueList: []types.AttributeValue{&types.AttributeValueMemberS{Value: "a"}}}}})
		if err != nil {
			t.Fatal(err)
		}
		var in QueryInput
		f.decode(t, "DynamoDB_20120810.Query", &in)
		if in.IndexName != "g" || in.Limit == nil || *in.Limit != 10 || in.ScanIndexForward == nil || *in.ScanIndexForward ||
			!in.ExclusiveStartKey.Equal(storeKey("z")) || in.Select != "ALL_PROJECTED_ATTRIBUTES" || in.KeyConditions["pk"].ComparisonOperator != "EQ" {
			t.Errorf("decoded %+v", in)
		}
		if out.Count != 1 || out.ScannedCount != 3 || len(out.Items) != 1 || !fromSDKItem(t, out.LastEvaluatedKey).Equal(storeKey("a")) {
			t.Errorf("SDK read %+v", out)
		}
	})
	t.Run("Scan", func(t *testing.T) {
		f.answer(t, ScanOutput{Items: []Item{}, Count: 0, ScannedCount: 0})
		out, err := db.Scan(ctx, &dynamodb.ScanInput{TableName: aws.String("t"), Segment: aws.Int32(0), TotalSegments: aws.Int32(4), Select: types.SelectCount,
			ScanFilter: map[string]types.Condition{"n": {ComparisonOperator: types.ComparisonOperatorNotNull}}})
		if err != nil {
			t.Fatal(err)
		}
		var in ScanInput
		f.decode(t, "DynamoDB_20120810.Scan", &in)
		if in.Segment == nil || *in.Segment != 0 || in.TotalSegments == nil || *in.TotalSegments != 4 || in.Select != "COUNT" || in.ScanFilter["n"].ComparisonOperator != "NOT_NULL" {
			t.Errorf("decoded %+v", in)
		}
		if len(out.Items) != 0 || out.Count != 0 || out.LastEvaluatedKey != nil {
			t.Errorf("SDK read %+v", out)
		}
	})
	t.Run("BatchGetItem", func(t *testing.T) {
		f.answer(t, BatchGetItemOutput{
			Responses:        map[string][]Item{"t": {{item}}},
			UnprocessedKeys:  map[string]KeysAndAttributes{"t": {Keys: []Item{{storeKey("b")}}, ConsistentRead: true}},
			ConsumedCapacity: []ConsumedCapacity{*cc},
		})
		out, err := db.BatchGetItem(ctx, &dynamodb.BatchGetItemInput{RequestItems: map[string]types.KeysAndAttributes{
			"t": {Keys: []map[string]types.AttributeValue{key("a"), key("b")}, ConsistentRead: aws.Bool(true)}}})
		if err != nil {
			t.Fatal(err)
		}
		var in BatchGetItemInput
		f.decode(t, "DynamoDB_20120810.BatchGetItem", &in)
		if ka := in.RequestItems["t"]; len(ka.Keys) != 2 || !ka.Keys[1].Equal(storeKey("b")) || !ka.ConsistentRead {
			t.Errorf("decoded %+v", in)
		}
		if len(out.Responses["t"]) != 1 || len(out.UnprocessedKeys["t"].Keys) != 1 || !fromSDKItem(t, out.UnprocessedKeys["t"].Keys[0]).Equal(storeKey("b")) {
			t.Errorf("SDK read %+v", out)
		}
	})
	t.Run("BatchWriteItem", func(t *testing.T) {
		f.answer(t, BatchWriteItemOutput{UnprocessedItems: map[string][]WriteRequest{"t": {{DeleteRequest: &DeleteRequest{Key: Item{storeKey("c")}}}}},
			ItemCollectionMetrics: map[string][]ItemCollectionMetrics{"t": {{ItemCollectionKey: Wrap(storeKey("a")), SizeEstimateRangeGB: []float64{0, 1}}}}})
		out, err := db.BatchWriteItem(ctx, &dynamodb.BatchWriteItemInput{RequestItems: map[string][]types.WriteRequest{"t": {
			{PutRequest: &types.PutRequest{Item: map[string]types.AttributeValue{"pk": &types.AttributeValueMemberS{Value: "a"}, "n": &types.AttributeValueMemberN{Value: "5"}}}},
			{DeleteRequest: &types.DeleteRequest{Key: key("c")}},
		}}})
		if err != nil {
			t.Fatal(err)
		}
		var in BatchWriteItemInput
		f.decode(t, "DynamoDB_20120810.BatchWriteItem", &in)
		if w := in.RequestItems["t"]; len(w) != 2 || w[0].PutRequest == nil || !w[0].PutRequest.Item.Equal(item) || w[1].DeleteRequest == nil || !w[1].DeleteRequest.Key.Equal(storeKey("c")) {
			t.Errorf("decoded %+v", in)
		}
		if u := out.UnprocessedItems["t"]; len(u) != 1 || u[0].DeleteRequest == nil || out.ItemCollectionMetrics["t"][0].SizeEstimateRangeGB[1] != 1 {
			t.Errorf("SDK read %+v", out)
		}
	})
	t.Run("TransactGetItems", func(t *testing.T) {
		f.answer(t, TransactGetItemsOutput{Responses: []ItemResponse{{Item: Wrap(item)}, {}}})
		out, err := db.TransactGetItems(ctx, &dynamodb.TransactGetItemsInput{TransactItems: []types.TransactGetItem{
			{Get: &types.Get{TableName: aws.String("t"), Key: key("a")}}, {Get: &types.Get{TableName: aws.String("t"), Key: key("b")}}}})
		if err != nil {
			t.Fatal(err)
		}
		var in TransactGetItemsInput
		f.decode(t, "DynamoDB_20120810.TransactGetItems", &in)
		if len(in.TransactItems) != 2 || !in.TransactItems[1].Get.Key.Equal(storeKey("b")) {
			t.Errorf("decoded %+v", in)
		}
		if len(out.Responses) != 2 || out.Responses[1].Item != nil || !fromSDKItem(t, out.Responses[0].Item).Equal(item) {
			t.Errorf("SDK read %+v", out)
		}
	})
	t.Run("TransactWriteItems", func(t *testing.T) {
		f.answer(t, TransactWriteItemsOutput{ConsumedCapacity: []ConsumedCapacity{{TableName: "t", CapacityUnits: 6, WriteCapacityUnits: 6}}})
		out, err := db.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{ClientRequestToken: aws.String("tok"), TransactItems: []types.TransactWriteItem{
			{ConditionCheck: &types.ConditionCheck{TableName: aws.String("t"), Key: key("a"), ConditionExpression: aws.String("attribute_exists(pk)")}},
			{Put: &types.Put{TableName: aws.String("t"), Item: key("b")}},
			{Delete: &types.Delete{TableName: aws.String("t"), Key: key("c")}},
			{Update: &types.Update{TableName: aws.String("t"), Key: key("d"), UpdateExpression: aws.String("SET x = :x"),
				ExpressionAttributeValues: map[string]types.AttributeValue{":x": &types.AttributeValueMemberNULL{Value: true}}}},
		}, ReturnConsumedCapacity: types.ReturnConsumedCapacityTotal})
		if err != nil {
			t.Fatal(err)
		}
		var in TransactWriteItemsInput
		f.decode(t, "DynamoDB_20120810.TransactWriteItems", &in)
		ti := in.TransactItems
		if len(ti) != 4 || ti[0].ConditionCheck == nil || ti[1].Put == nil || !ti[1].Put.Item.Equal(storeKey("b")) || ti[2].Delete == nil ||
			ti[3].Update == nil || !ti[3].Update.ExpressionAttributeValues[":x"].Equal(store.Null()) || in.ClientRequestToken != "tok" {
			t.Errorf("decoded %+v", in)
		}
		if *out.ConsumedCapacity[0].CapacityUnits != 6 {
			t.Errorf("SDK read %+v", out)
		}
	})
}

func TestSDKControlPlane(t *testing.T) {
	ctx := context.Background()
	db, _, f := newClients()
	desc := &TableDescription{
		TableName: "t", TableStatus: "CREATING", CreationDateTime: 1733580000.25, TableArn: "arn:aws:dynamodb:us-east-1:000000000000:table/t",
		AttributeDefinitions:  []AttributeDefinition{{AttributeName: "pk", AttributeType: "S"}},
		KeySchema:             []KeySchemaElement{{AttributeName: "pk", KeyType: "HASH"}},
		ProvisionedThroughput: &ProvisionedThroughputDescription{ReadCapacityUnits: 5, WriteCapacityUnits: 10, NumberOfDecreasesToday: 1, LastDecreaseDateTime: 1733580100},
		BillingModeSummary:    &BillingModeSummary{BillingMode: "PROVISIONED"},
		ItemCount:             7, TableSizeBytes: 700,
		GlobalSecondaryIndexes: []GlobalSecondaryIndexDescription{{IndexName: "g", KeySchema: []KeySchemaElement{{AttributeName: "n", KeyType: "HASH"}},
			Projection: Projection{ProjectionType: "ALL"}, IndexStatus: "ACTIVE", ProvisionedThroughput: &ProvisionedThroughputDescription{ReadCapacityUnits: 1, WriteCapacityUnits: 1}}},
		StreamSpecification: &StreamSpecification{StreamEnabled: true, StreamViewType: "NEW_AND_OLD_IMAGES"},
		LatestStreamArn:     "arn:aws:dynamodb:us-east-1:000000000000:table/t/stream/2024-12-07T00:00:00.000",
		WarmThroughput:      &WarmThroughputDescription{ReadUnitsPerSecond: 12000, WriteUnitsPerSecond: 4000, Status: "ACTIVE"},
	}
	f.answer(t, CreateTableOutput{TableDescription: desc})
	out, err := db.CreateTable(ctx, &dynamodb.CreateTableInput{TableName: aws.String("t"),
		AttributeDefinitions:  []types.AttributeDefinition{{AttributeName: aws.String("pk"), AttributeType: types.ScalarAttributeTypeS}, {AttributeName: aws.String("n"), AttributeType: types.ScalarAttributeTypeN}},
		KeySchema:             []types.KeySchemaElement{{AttributeName: aws.String("pk"), KeyType: types.KeyTypeHash}},
		BillingMode:           types.BillingModeProvisioned,
		ProvisionedThroughput: &types.ProvisionedThroughput{ReadCapacityUnits: aws.Int64(5), WriteCapacityUnits: aws.Int64(10)},
		GlobalSecondaryIndexes: []types.GlobalSecondaryIndex{{IndexName: aws.String("g"), KeySchema: []types.KeySchemaElement{{AttributeName: aws.String("n"), KeyType: types.KeyTypeHash}},
			Projection: &types.Projection{ProjectionType: types.ProjectionTypeInclude, NonKeyAttributes: []string{"x"}}, ProvisionedThroughput: &types.ProvisionedThroughput{ReadCapacityUnits: aws.Int64(1), WriteCapacityUnits: aws.Int64(1)}}},
		StreamSpecification: &types.StreamSpecification{StreamEnabled: aws.Bool(true), StreamViewType: types.StreamViewTypeNewAndOldImages},
		Tags:                []types.Tag{{Key: aws.String("k"), Value: aws.String("v")}},
	})
	if err != nil {
		t.Fatal(err)
	}
	var in CreateTableInput
	f.decode(t, "DynamoDB_20120810.CreateTable", &in)
	if in.TableName != "t" || len(in.AttributeDefinitions) != 2 || in.KeySchema[0].KeyType != "HASH" || in.ProvisionedThroughput.WriteCapacityUnits != 10 ||
		in.GlobalSecondaryIndexes[0].Projection.NonKeyAttributes[0] != "x" || !in.StreamSpecification.StreamEnabled || in.Tags[0].Value != "v" {
		t.Errorf("decoded %+v", in)
	}
	td := out.TableDescription
	if td.TableStatus != types.TableStatusCreating || td.CreationDateTime.Unix() != 1733580000 || td.CreationDateTime.Nanosecond() != 250_000_000 ||
		*td.ProvisionedThroughput.WriteCapacityUnits != 10 || *td.ItemCount != 7 || td.GlobalSecondaryIndexes[0].IndexStatus != types.IndexStatusActive ||
		td.ProvisionedThroughput.LastDecreaseDateTime.Unix() != 1733580100 || *td.WarmThroughput.WriteUnitsPerSecond != 4000 {
		t.Errorf("SDK read %+v", td)
	}

	f.answer(t, UpdateTableOutput{TableDescription: desc})
	if _, err := db.UpdateTable(ctx, &dynamodb.UpdateTableInput{TableName: aws.String("t"), BillingMode: types.BillingModePayPerRequest,
		GlobalSecondaryIndexUpdates: []types.GlobalSecondaryIndexUpdate{{Delete: &types.DeleteGlobalSecondaryIndexAction{IndexName: aws.String("g")}}}}); err != nil {
		t.Fatal(err)
	}
	var up UpdateTableInput
	f.decode(t, "DynamoDB_20120810.UpdateTable", &up)
	if up.BillingMode != "PAY_PER_REQUEST" || up.GlobalSecondaryIndexUpdates[0].Delete.IndexName != "g" {
		t.Errorf("decoded %+v", up)
	}

	f.answer(t, ListTablesOutput{TableNames: []string{"a", "b"}, LastEvaluatedTableName: "b"})
	lt, err := db.ListTables(ctx, &dynamodb.ListTablesInput{Limit: aws.Int32(2), ExclusiveStartTableName: aws.String("0")})
	if err != nil {
		t.Fatal(err)
	}
	var lin ListTablesInput
	f.decode(t, "DynamoDB_20120810.ListTables", &lin)
	if *lin.Limit != 2 || lin.ExclusiveStartTableName != "0" || len(lt.TableNames) != 2 || *lt.LastEvaluatedTableName != "b" {
		t.Errorf("ListTables: %+v, %+v", lin, lt)
	}

	f.answer(t, UpdateTimeToLiveOutput{TimeToLiveSpecification: &TimeToLiveSpecification{Enabled: true, AttributeName: "exp"}})
	if _, err := db.UpdateTimeToLive(ctx, &dynamodb.UpdateTimeToLiveInput{TableName: aws.String("t"),
		TimeToLiveSpecification: &types.TimeToLiveSpecification{Enabled: aws.Bool(true), AttributeName: aws.String("exp")}}); err != nil {
		t.Fatal(err)
	}
	var ttl UpdateTimeToLiveInput
	f.decode(t, "DynamoDB_20120810.UpdateTimeToLive", &ttl)
	if !ttl.TimeToLiveSpecification.Enabled || ttl.TimeToLiveSpecification.AttributeName != "exp" {
		t.Errorf("decoded %+v", ttl)
	}

	f.answer(t, DescribeTimeToLiveOutput{TimeToLiveDescription: &TimeToLiveDescription{TimeToLiveStatus: "ENABLED", AttributeName: "exp"}})
	dt, err := db.DescribeTimeToLive(ctx, &dynamodb.DescribeTimeToLiveInput{TableName: aws.String("t")})
	if err != nil || dt.TimeToLiveDescription.TimeToLiveStatus != types.TimeToLiveStatusEnabled {
		t.Errorf("DescribeTimeToLive: %+v, %v", dt, err)
	}

	f.answer(t, DescribeLimitsOutput{AccountMaxReadCapacityUnits: 80000, AccountMaxWriteCapacityUnits: 80000, TableMaxReadCapacityUnits: 40000, TableMaxWriteCapacityUnits: 40000})
	dl, err := db.DescribeLimits(ctx, &dynamodb.DescribeLimitsInput{})
	if err != nil || *dl.TableMaxWriteCapacityUnits != 40000 {
		t.Errorf("DescribeLimits: %+v, %v", dl, err)
	}

	f.answer(t, DescribeEndpointsOutput{Endpoints: []Endpoint{{Address: "127.0.0.1:8000", CachePeriodInMinutes: 1440}}})
	de, err := db.DescribeEndpoints(ctx, &dynamodb.DescribeEndpointsInput{})
	if err != nil || *de.Endpoints[0].Address != "127.0.0.1:8000" || de.Endpoints[0].CachePeriodInMinutes != 1440 {
		t.Errorf("DescribeEndpoints: %+v, %v", de, err)
	}

	f.answer(t, DeleteTableOutput{TableDescription: &TableDescription{TableName: "t", TableStatus: "DELETING"}})
	dd, err := db.DeleteTable(ctx, &dynamodb.DeleteTableInput{TableName: aws.String("t")})
	if err != nil || dd.TableDescription.TableStatus != types.TableStatusDeleting {
		t.Errorf("DeleteTable: %+v, %v", dd, err)
	}
	f.answer(t, DescribeTableOutput{Table: desc})
	dtab, err := db.DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: aws.String("t")})
	if err != nil || *dtab.Table.TableName != "t" || dtab.Table.BillingModeSummary.BillingMode != types.BillingModeProvisioned {
		t.Errorf("DescribeTable: %+v, %v", dtab, err)
	}
}

func TestSDKStreams(t *testing.T) {
	ctx := context.Background()
	_, streams, f := newClients()
	arn := "arn:aws:dynamodb:us-east-1:000000000000:table/t/stream/2024-12-07T00:00:00.000"

	f.answer(t, ListStreamsOutput{Streams: []Stream{{StreamArn: arn, TableName: "t", StreamLabel: "2024-12-07T00:00:00.000"}}})
	ls, err := streams.ListStreams(ctx, &dynamodbstreams.ListStreamsInput{TableName: aws.String("t")})
	if err != nil || *ls.Streams[0].StreamArn != arn {
		t.Fatalf("ListStreams: %+v, %v", ls, err)
	}
	var lin ListStreamsInput
	f.decode(t, "DynamoDBStreams_20120810.ListStreams", &lin)

	f.answer(t, DescribeStreamOutput{StreamDescription: &StreamDescription{StreamArn: arn, StreamStatus: "ENABLED", StreamViewType: "NEW_AND_OLD_IMAGES",
		TableName: "t", KeySchema: []KeySchemaElement{{AttributeName: "pk", KeyType: "HASH"}}, CreationRequestDateTime: 1733529600,
		Shards: []Shard{{ShardID: "shardId-1", SequenceNumberRange: SequenceNumberRange{StartingSequenceNumber: "100"}}}}})
	ds, err := streams.DescribeStream(ctx, &dynamodbstreams.DescribeStreamInput{StreamArn: aws.String(arn), Limit: aws.Int32(10)})
	if err != nil || *ds.StreamDescription.Shards[0].ShardId != "shardId-1" || ds.StreamDescription.StreamStatus != streamtypes.StreamStatusEnabled {
		t.Fatalf("DescribeStream: %+v, %v", ds, err)
	}
	var din DescribeStreamInput
	f.decode(t, "DynamoDBStreams_20120810.DescribeStream", &din)
	if din.StreamArn != arn || *din.Limit != 10 {
		t.Errorf("decoded %+v", din)
	}

	f.answer(t, GetShardIteratorOutput{ShardIterator: "it-1"})
	gi, err := streams.GetShardIterator(ctx, &dynamodbstreams.GetShardIteratorInput{StreamArn: aws.String(arn), ShardId: aws.String("shardId-1"),
		ShardIteratorType: streamtypes.ShardIteratorTypeAfterSequenceNumber, SequenceNumber: aws.String("100")})
	if err != nil || *gi.ShardIterator != "it-1" {
		t.Fatalf("GetShardIterator: %+v, %v", gi, err)
	}
	var gin GetShardIteratorInput
	f.decode(t, "DynamoDBStreams_20120810.GetShardIterator", &gin)
	if gin.ShardIteratorType != "AFTER_SEQUENCE_NUMBER" || gin.SequenceNumber != "100" || gin.ShardID != "shardId-1" {
		t.Errorf("decoded %+v", gin)
	}

	newImage := store.NewItem(store.Attribute{Name: "pk", Value: store.S("a")}, store.Attribute{Name: "n", Value: store.N("2")})
	f.answer(t, GetRecordsOutput{NextShardIterator: "it-2", Records: []Record{{
		EventID: "e1", EventName: "MODIFY", EventVersion: "1.1", EventSource: "aws:dynamodb", AwsRegion: "us-east-1",
		Dynamodb: StreamRecord{ApproximateCreationDateTime: 1733529601, Keys: Wrap(storeKey("a")), NewImage: Wrap(newImage), OldImage: Wrap(storeKey("a")),
			SequenceNumber: "101", SizeBytes: 20, StreamViewType: "NEW_AND_OLD_IMAGES"},
		UserIdentity: &Identity{PrincipalID: "dynamodb.amazonaws.com", Type: "Service"},
	}}})
	gr, err := streams.GetRecords(ctx, &dynamodbstreams.GetRecordsInput{ShardIterator: aws.String("it-1"), Limit: aws.Int32(100)})
	if err != nil {
		t.Fatal(err)
	}
	r := gr.Records[0]
	if *gr.NextShardIterator != "it-2" || *r.EventID != "e1" || r.EventName != streamtypes.OperationTypeModify || *r.Dynamodb.SequenceNumber != "101" ||
		r.Dynamodb.ApproximateCreationDateTime.Unix() != 1733529601 || *r.UserIdentity.Type != "Service" || len(r.Dynamodb.NewImage) != 2 {
		t.Errorf("SDK read %+v", r)
	}
	if n, ok := r.Dynamodb.NewImage["n"].(*streamtypes.AttributeValueMemberN); !ok || n.Value != "2" {
		t.Errorf("NewImage.n = %#v", r.Dynamodb.NewImage["n"])
	}
}

// TestSDKErrors: the SDK turns each error body into its typed exception,
// with the extra members.
func TestSDKErrors(t *testing.T) {
	ctx := context.Background()
	db, _, f := newClients()
	put := func() error {
		_, err := db.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String("t"), Item: key("a")})
		return err
	}
	arn := "arn:aws:dynamodb:us-east-1:000000000000:table/t"

	f.answer(t, &Error{Type: ProvisionedThroughputExceededException, Message: "The level of configured provisioned throughput for the table was exceeded.",
		ThrottlingReasons: []ThrottlingReason{{Reason: "TableWriteProvisionedThroughputExceeded", Resource: arn}}})
	var pte *types.ProvisionedThroughputExceededException
	if err := put(); !errors.As(err, &pte) || len(pte.ThrottlingReasons) != 1 || *pte.ThrottlingReasons[0].Reason != "TableWriteProvisionedThroughputExceeded" ||
		*pte.ThrottlingReasons[0].Resource != arn || pte.ErrorMessage() == "" {
		t.Errorf("ProvisionedThroughputExceededException: %v (%+v)", err, pte)
	}

	f.answer(t, &Error{Type: ThrottlingException, Message: "Throughput exceeds the current capacity of your table or index.",
		ThrottlingReasons: []ThrottlingReason{{Reason: "TableWriteKeyRangeThroughputExceeded", Resource: arn}}})
	var te *types.ThrottlingException
	if err := put(); !errors.As(err, &te) || *te.ThrottlingReasons[0].Reason != "TableWriteKeyRangeThroughputExceeded" {
		t.Errorf("ThrottlingException: %v", err)
	}

	f.answer(t, &Error{Type: RequestLimitExceeded, Message: "Throughput exceeds the current throughput limit for your account.",
		ThrottlingReasons: []ThrottlingReason{{Reason: "TableWriteAccountLimitExceeded", Resource: arn}}})
	var rle *types.RequestLimitExceeded
	if err := put(); !errors.As(err, &rle) || len(rle.ThrottlingReasons) != 1 {
		t.Errorf("RequestLimitExceeded: %v", err)
	}

	old := store.NewItem(store.Attribute{Name: "pk", Value: store.S("a")}, store.Attribute{Name: "v", Value: store.N("3")})
	f.answer(t, &Error{Type: ConditionalCheckFailedException, Message: "The conditional request failed", Item: Wrap(old)})
	var ccf *types.ConditionalCheckFailedException
	if err := put(); !errors.As(err, &ccf) || !fromSDKItem(t, ccf.Item).Equal(old) {
		t.Errorf("ConditionalCheckFailedException: %v", err)
	}

	f.answer(t, &Error{Type: TransactionCanceledException, Message: "Transaction cancelled, please refer cancellation reasons for specific reasons [None, ConditionalCheckFailed]",
		CancellationReasons: []CancellationReason{{Code: "None"}, {Code: "ConditionalCheckFailed", Message: "The conditional request failed", Item: Wrap(old)}}})
	var tce *types.TransactionCanceledException
	if err := put(); !errors.As(err, &tce) || len(tce.CancellationReasons) != 2 || *tce.CancellationReasons[0].Code != "None" ||
		*tce.CancellationReasons[1].Code != "ConditionalCheckFailed" || !fromSDKItem(t, tce.CancellationReasons[1].Item).Equal(old) {
		t.Errorf("TransactionCanceledException: %v", err)
	}

	f.answer(t, Errorf(ResourceNotFoundException, "Requested resource not found"))
	var rnf *types.ResourceNotFoundException
	if err := put(); !errors.As(err, &rnf) || rnf.ErrorMessage() != "Requested resource not found" {
		t.Errorf("ResourceNotFoundException: %v", err)
	}

	f.answer(t, Errorf(InternalServerError, "Internal server error"))
	var ise *types.InternalServerError
	if err := put(); !errors.As(err, &ise) {
		t.Errorf("InternalServerError: %v", err)
	}

	// Framework errors have no modelled type: the SDK reports their code.
	for _, e := range []*Error{Validation(msgEmptyValue), Errorf(SerializationException, "NUMBER_VALUE cannot be converted to String"),
		Errorf(UnknownOperationException, "Operation X is not supported by this server")} {
		f.answer(t, e)
		err := put()
		var api interface {
			ErrorCode() string
			ErrorMessage() string
		}
		if !errors.As(err, &api) || api.ErrorCode() != e.Type || api.ErrorMessage() != e.Message {
			t.Errorf("%s: the SDK saw %v", e.Type, err)
		}
	}
}
