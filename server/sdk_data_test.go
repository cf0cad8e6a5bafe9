package server

import (
	"context"
	"errors"
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/ratelimit"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/expression"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/ddbsim/ddbsim/reports"
)

// sdkSession is a served session with the real Go SDK pointed at it.
type sdkSession struct {
	s     *Server
	clock *fakeClock
	db    *dynamodb.Client
	ctx   context.Context
	scale float64
}

// newSDKSession serves cfg on loopback; retries sets the SDK's attempts
// (1: no retries).
func newSDKSession(t *testing.T, cfg Config, attempts int) *sdkSession {
	t.Helper()
	s, clock := newTestServer(t, cfg)
	hs := httptest.NewServer(s)
	t.Cleanup(hs.Close)
	db := dynamodb.New(dynamodb.Options{
		Region:           "us-east-1",
		BaseEndpoint:     aws.String(hs.URL),
		Credentials:      credentials.NewStaticCredentialsProvider("AKID", "SECRET", ""),
		RetryMaxAttempts: attempts,
	})
	return &sdkSession{s: s, clock: clock, db: db, ctx: context.Background(), scale: max(cfg.TimeScale, 1)}
}

// create makes a table and waits out its CREATING.
func (x *sdkSession) create(t *testing.T, in *dynamodb.CreateTableInput) {
	t.Helper()
	if _, err := x.db.CreateTable(x.ctx, in); err != nil {
		t.Fatal(err)
	}
	x.clock.Advance(time.Duration(float64(2*time.Minute) / x.scale))
}

func keySchema2(pk, pkType, sk, skType string) ([]types.AttributeDefinition, []types.KeySchemaElement) {
	defs := []types.AttributeDefinition{{AttributeName: aws.String(pk), AttributeType: types.ScalarAttributeType(pkType)}}
	keys := []types.KeySchemaElement{{AttributeName: aws.String(pk), KeyType: types.KeyTypeHash}}
	if sk != "" {
		defs = append(defs, types.AttributeDefinition{AttributeName: aws.String(sk), AttributeType: types.ScalarAttributeType(skType)})
		keys = append(keys, types.KeySchemaElement{AttributeName: aws.String(sk), KeyType: types.KeyTypeRange})
	}
	return defs, keys
}

type order struct {
	Customer string            `dynamodbav:"pk"`
	ID       int               `dynamodbav:"sk"`
	Status   string            `dynamodbav:"status,omitempty"`
	Total    float64           `dynamodbav:"total"`
	Tags     []string          `dynamodbav:"tags,stringset,omitempty"`
	Lines    []map[string]any  `dynamodbav:"lines,omitempty"`
	Meta     map[string]string `dynamodbav:"meta,omitempty"`
	Blob     []byte            `dynamodbav:"blob,omitempty"`
	Body     string            `dynamodbav:"body,omitempty"`
}

func (x *sdkSession) put(t *testing.T, table string, o order) {
	t.Helper()
	item, err := attributevalue.MarshalMap(o)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := x.db.PutItem(x.ctx, &dynamodb.PutItemInput{TableName: aws.String(table), Item: item}); err != nil {
		t.Fatal(err)
	}
}

func orderKey(customer string, id int) map[string]types.AttributeValue {
	return map[string]types.AttributeValue{"pk": &types.AttributeValueMemberS{Value: customer},
		"sk": &types.AttributeValueMemberN{Value: fmt.Sprint(id)}}
}

// ordersTable makes "orders" (pk S, sk N) on demand with a global index
// by status (ALL).
func (x *sdkSession) ordersTable(t *testing.T) {
	defs, keys := keySchema2("pk", "S", "sk", "N")
	defs = append(defs, types.AttributeDefinition{AttributeName: aws.String("status"), AttributeType: types.ScalarAttributeTypeS})
	x.create(t, &dynamodb.CreateTableInput{TableName: aws.String("orders"), AttributeDefinitions: defs, KeySchema: keys,
		BillingMode: types.BillingModePayPerRequest,
		GlobalSecondaryIndexes: []types.GlobalSecondaryIndex{{IndexName: aws.String("by-status"),
			KeySchema:  []types.KeySchemaElement{{AttributeName: aws.String("status"), KeyType: types.KeyTypeHash}, {AttributeName: aws.String("sk"), KeyType: types.KeyTypeRange}},
			Projection: &types.Projection{ProjectionType: types.ProjectionTypeAll}}},
	})
}

// CRUD with every attribute type, through the SDK's marshalers: what goes
// in comes back, numbers in canonical form, and a delete removes.
func TestSDKItems(t *testing.T) {
	x := newSDKSession(t, Config{Seed: 1}, 1)
	x.ordersTable(t)
	in := order{Customer: "c1", ID: 7, Status: "open", Total: 12.50, Tags: []string{"gift", "rush"},
		Lines: []map[string]any{{"sku": "A-1", "qty": 2.0, "ok": true, "note": nil}}, Meta: map[string]string{"src": "web"},
		Blob: []byte{0, 1, 2, 255}}
	x.put(t, "orders", in)
	got, err := x.db.GetItem(x.ctx, &dynamodb.GetItemInput{TableName: aws.String("orders"), Key: orderKey("c1", 7)})
	if err != nil {
		t.Fatal(err)
	}
	var back order
	if err := attributevalue.UnmarshalMap(got.Item, &back); err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(back) != fmt.Sprint(in) {
		t.Errorf("round trip:\n got %+v\nwant %+v", back, in)
	}
	if n := got.Item["total"].(*types.AttributeValueMemberN).Value; n != "12.5" {
		t.Errorf("total %q, want the canonical 12.5", n)
	}
	proj, _ := expression.NewBuilder().WithProjection(expression.NamesList(expression.Name("status"), expression.Name("lines[0].sku"))).Build()
	got, err = x.db.GetItem(x.ctx, &dynamodb.GetItemInput{TableName: aws.String("orders"), Key: orderKey("c1", 7),
		ProjectionExpression: proj.Projection(), ExpressionAttributeNames: proj.Names()})
	if err != nil || len(got.Item) != 2 {
		t.Errorf("a projection of status and lines[0].sku: %v, %v", got.Item, err)
	}
	if _, err := x.db.DeleteItem(x.ctx, &dynamodb.DeleteItemInput{TableName: aws.String("orders"), Key: orderKey("c1", 7)}); err != nil {
		t.Fatal(err)
	}
	if got, _ := x.db.GetItem(x.ctx, &dynamodb.GetItemInput{TableName: aws.String("orders"), Key: orderKey("c1", 7)}); got.Item != nil {
		t.Errorf("after the delete: %v", got.Item)
	}
	var notFound *types.ResourceNotFoundException
	if _, err := x.db.GetItem(x.ctx, &dynamodb.GetItemInput{TableName: aws.String("nope"), Key: orderKey("c1", 7)}); !errors.As(err, &notFound) {
		t.Errorf("a table that does not exist: %v", err)
	}
	if _, err := x.db.GetItem(x.ctx, &dynamodb.GetItemInput{TableName: aws.String("orders"),
		Key: map[string]types.AttributeValue{"pk": &types.AttributeValueMemberS{Value: "c1"}}}); err == nil || !strings.Contains(err.Error(), "does not match the schema") {
		t.Errorf("a key without its sort key: %v", err)
	}
}

// Conditional writes and update expressions, built with the SDK's
// expression builder.
func TestSDKConditionsAndUpdates(t *testing.T) {
	x := newSDKSession(t, Config{Seed: 1}, 1)
	x.ordersTable(t)
	x.put(t, "orders", order{Customer: "c1", ID: 1, Status: "open", Total: 10})
	cond, _ := expression.NewBuilder().WithCondition(expression.AttributeNotExists(expression.Name("pk"))).Build()
	item, _ := attributevalue.MarshalMap(order{Customer: "c1", ID: 1, Total: 99})
	_, err := x.db.PutItem(x.ctx, &dynamodb.PutItemInput{TableName: aws.String("orders"), Item: item,
		ConditionExpression: cond.Condition(), ExpressionAttributeNames: cond.Names(),
		ReturnValuesOnConditionCheckFailure: types.ReturnValuesOnConditionCheckFailureAllOld})
	var ccf *types.ConditionalCheckFailedException
	if !errors.As(err, &ccf) || ccf.Item["total"].(*types.AttributeValueMemberN).Value != "10" {
		t.Fatalf("a put over an existing item with attribute_not_exists: %v (item %v)", err, ccf)
	}
	upd := expression.Set(expression.Name("total"), expression.Name("total").Plus(expression.Value(2.5))).
		Set(expression.Name("history"), expression.ListAppend(expression.IfNotExists(expression.Name("history"), expression.Value([]string{})), expression.Value([]string{"paid"}))).
		Add(expression.Name("visits"), expression.Value(1)).
		Remove(expression.Name("status"))
	ex, err := expression.NewBuilder().WithUpdate(upd).WithCondition(expression.Name("status").Equal(expression.Value("open"))).Build()
	if err != nil {
		t.Fatal(err)
	}
	out, err := x.db.UpdateItem(x.ctx, &dynamodb.UpdateItemInput{TableName: aws.String("orders"), Key: orderKey("c1", 1),
		UpdateExpression: ex.Update(), ConditionExpression: ex.Condition(), ExpressionAttributeNames: ex.Names(),
		ExpressionAttributeValues: ex.Values(), ReturnValues: types.ReturnValueAllNew})
	if err != nil {
		t.Fatal(err)
	}
	var after struct {
		Total   float64  `dynamodbav:"total"`
		History []string `dynamodbav:"history"`
		Visits  int      `dynamodbav:"visits"`
		Status  *string  `dynamodbav:"status"`
	}
	if err := attributevalue.UnmarshalMap(out.Attributes, &after); err != nil {
		t.Fatal(err)
	}
	if after.Total != 12.5 || fmt.Sprint(after.History) != "[paid]" || after.Visits != 1 || after.Status != nil {
		t.Errorf("after the update: %+v", after)
	}
	// The same update again: the condition (status = open) fails now.
	_, err = x.db.UpdateItem(x.ctx, &dynamodb.UpdateItemInput{TableName: aws.String("orders"), Key: orderKey("c1", 1),
		UpdateExpression: ex.Update(), ConditionExpression: ex.Condition(), ExpressionAttributeNames: ex.Names(),
		ExpressionAttributeValues: ex.Values()})
	if !errors.As(err, &ccf) {
		t.Errorf("the update whose condition no longer holds: %v", err)
	}
	// A bad expression is a ValidationException with the service's words.
	_, err = x.db.UpdateItem(x.ctx, &dynamodb.UpdateItemInput{TableName: aws.String("orders"), Key: orderKey("c1", 1),
		UpdateExpression: aws.String("SET amount = :v"), ExpressionAttributeValues: map[string]types.AttributeValue{
			":v": &types.AttributeValueMemberN{Value: "1"}, ":unused": &types.AttributeValueMemberN{Value: "2"}}})
	if err == nil || !strings.Contains(err.Error(), "unused in expressions") {
		t.Errorf("an unused value: %v", err)
	}
}

// Queries page through the 1 MB and Limit rules with the SDK's
// paginator, forwards and backwards, with a filter; a global index answers
// by IndexName.
func TestSDKQueriesAndIndexes(t *testing.T) {
	x := newSDKSession(t, Config{Seed: 1}, 1)
	x.ordersTable(t)
	for i := range 30 {
		status := []string{"open", "shipped", "lost"}[i%3]
		x.put(t, "orders", order{Customer: "c1", ID: i, Status: status, Total: float64(i)})
	}
	kc := expression.Key("pk").Equal(expression.Value("c1")).And(expression.Key("sk").Between(expression.Value(5), expression.Value(24)))
	flt := expression.Name("total").GreaterThanEqual(expression.Value(10))
	ex, _ := expression.NewBuilder().WithKeyCondition(kc).WithFilter(flt).Build()
	var ids []int
	pages := 0
	p := dynamodb.NewQueryPaginator(x.db, &dynamodb.QueryInput{TableName: aws.String("orders"), KeyConditionExpression: ex.KeyCondition(),
		FilterExpression: ex.Filter(), ExpressionAttributeNames: ex.Names(), ExpressionAttributeValues: ex.Values(),
		Limit: aws.Int32(4), ScanIndexForward: aws.Bool(false)})
	for p.HasMorePages() {
		page, err := p.NextPage(x.ctx)
		if err != nil {
			t.Fatal(err)
		}
		pages++
		var got []order
		if err := attributevalue.UnmarshalListOfMaps(page.Items, &got); err != nil {
			t.Fatal(err)
		}
		for _, o := range got {
			ids = append(ids, o.ID)
		}
	}
	want := []int{}
	for i := 24; i >= 10; i-- {
		want = append(want, i)
	}
	if fmt.Sprint(ids) != fmt.Sprint(want) || pages != 5 {
		t.Errorf("sk 24 down to 5 with total >= 10, 4 read a page: %v in %d pages; want %v in 5", ids, pages, want)
	}
	ex, _ = expression.NewBuilder().WithKeyCondition(expression.Key("status").Equal(expression.Value("shipped"))).Build()
	out, err := x.db.Query(x.ctx, &dynamodb.QueryInput{TableName: aws.String("orders"), IndexName: aws.String("by-status"),
		KeyConditionExpression: ex.KeyCondition(), ExpressionAttributeNames: ex.Names(), ExpressionAttributeValues: ex.Values(),
		Select: types.SelectCount})
	if err != nil || out.Count != 10 || out.Items != nil {
		t.Errorf("COUNT on the index: %d items counted, %v, %v", out.Count, out.Items, err)
	}
	_, err = x.db.Query(x.ctx, &dynamodb.QueryInput{TableName: aws.String("orders"), IndexName: aws.String("by-status"),
		KeyConditionExpression: ex.KeyCondition(), ExpressionAttributeNames: ex.Names(), ExpressionAttributeValues: ex.Values(),
		ConsistentRead: aws.Bool(true)})
	if err == nil || !strings.Contains(err.Error(), "Consistent reads are not supported on global secondary indexes") {
		t.Errorf("a consistent read of a global index: %v", err)
	}
	total := 0
	for seg := range int32(4) {
		sp := dynamodb.NewScanPaginator(x.db, &dynamodb.ScanInput{TableName: aws.String("orders"), Segment: aws.Int32(seg), TotalSegments: aws.Int32(4), Limit: aws.Int32(7)})
		for sp.HasMorePages() {
			page, err := sp.NextPage(x.ctx)
			if err != nil {
				t.Fatal(err)
			}
			total += int(page.Count)
		}
	}
	if total != 30 {
		t.Errorf("a parallel scan in 4 segments read %d items, want 30", total)
	}
}

// REFERENCE: units, through the wire: ReturnConsumedCapacity reports what
// the model charged, and the model charges the documented units: a 6 KB
// strongly consistent read 2.0, a query of 40.8 KB eventually consistent
// 5.5, a 3 KB transactional write 6.0.
func TestSDKConsumedCapacity(t *testing.T) {
	x := newSDKSession(t, Config{Seed: 1}, 1)
	x.ordersTable(t)
	size := func(o order, want int) order { // pads Body so the item is exactly want bytes
		item, _ := attributevalue.MarshalMap(o)
		n := 0
		for name, v := range item {
			n += len(name)
			switch v := v.(type) {
			case *types.AttributeValueMemberS:
				n += len(v.Value)
			case *types.AttributeValueMemberN:
				n += (len(strings.Trim(strings.ReplaceAll(v.Value, ".", ""), "0"))+1)/2 + 1
			}
		}
		o.Body = strings.Repeat("x", want-n-len("body"))
		return o
	}
	x.put(t, "orders", size(order{Customer: "big", ID: 1}, 6*1024))
	got, err := x.db.GetItem(x.ctx, &dynamodb.GetItemInput{TableName: aws.String("orders"), Key: orderKey("big", 1),
		ConsistentRead: aws.Bool(true), ReturnConsumedCapacity: types.ReturnConsumedCapacityTotal})
	if err != nil || aws.ToFloat64(got.ConsumedCapacity.CapacityUnits) != 2.0 {
		t.Errorf("a 6 KB strongly consistent read: %v, %v; want 2.0", got.ConsumedCapacity, err)
	}
	for i := range 10 { // 10 items of 4,178 B: 41,780 B, 40.8 KB
		x.put(t, "orders", size(order{Customer: "q", ID: i}, 4178))
	}
	ex, _ := expression.NewBuilder().WithKeyCondition(expression.Key("pk").Equal(expression.Value("q"))).Build()
	q, err := x.db.Query(x.ctx, &dynamodb.QueryInput{TableName: aws.String("orders"), KeyConditionExpression: ex.KeyCondition(),
		ExpressionAttributeNames: ex.Names(), ExpressionAttributeValues: ex.Values(), ReturnConsumedCapacity: types.ReturnConsumedCapacityTotal})
	if err != nil || q.Count != 10 || aws.ToFloat64(q.ConsumedCapacity.CapacityUnits) != 5.5 {
		t.Errorf("a query of 40.8 KB: %d items, %v, %v; want 5.5", q.Count, q.ConsumedCapacity, err)
	}
	// INDEXES: a put of a new 1 KB item on "orders" writes its entry in
	// the global index (ALL) too, reported apart.
	small, _ := attributevalue.MarshalMap(order{Customer: "ix", ID: 1, Status: "open"})
	pi, err := x.db.PutItem(x.ctx, &dynamodb.PutItemInput{TableName: aws.String("orders"), Item: small,
		ReturnConsumedCapacity: types.ReturnConsumedCapacityIndexes})
	if err != nil || aws.ToFloat64(pi.ConsumedCapacity.CapacityUnits) != 2 || aws.ToFloat64(pi.ConsumedCapacity.Table.CapacityUnits) != 1 ||
		aws.ToFloat64(pi.ConsumedCapacity.GlobalSecondaryIndexes["by-status"].CapacityUnits) != 1 {
		t.Errorf("a put with INDEXES: %+v, %v; want 2.0: 1 for the table, 1 for by-status", pi.ConsumedCapacity, err)
	}
	item, _ := attributevalue.MarshalMap(size(order{Customer: "tx", ID: 1}, 3*1024))
	// A table without a global index, so that the write is the table's alone.
	defs, keys := keySchema2("pk", "S", "sk", "N")
	x.create(t, &dynamodb.CreateTableInput{TableName: aws.String("plain"), AttributeDefinitions: defs, KeySchema: keys, BillingMode: types.BillingModePayPerRequest})
	tw, err := x.db.TransactWriteItems(x.ctx, &dynamodb.TransactWriteItemsInput{ReturnConsumedCapacity: types.ReturnConsumedCapacityTotal,
		TransactItems: []types.TransactWriteItem{{Put: &types.Put{TableName: aws.String("plain"), Item: item}}}})
	if err != nil || len(tw.ConsumedCapacity) != 1 || aws.ToFloat64(tw.ConsumedCapacity[0].CapacityUnits) != 6.0 {
		t.Errorf("a 3 KB transactional write: %+v, %v; want 6.0", tw, err)
	}
}

// Batches return what the model throttled as UnprocessedItems and
// UnprocessedKeys; transactions cancel with a reason per item.
func TestSDKBatchesAndTransactions(t *testing.T) {
	x := newSDKSession(t, Config{Seed: 1}, 1)
	defs, keys := keySchema2("pk", "S", "", "")
	x.create(t, &dynamodb.CreateTableInput{TableName: aws.String("small"), AttributeDefinitions: defs, KeySchema: keys,
		ProvisionedThroughput: &types.ProvisionedThroughput{ReadCapacityUnits: aws.Int64(1), WriteCapacityUnits: aws.Int64(1)}})
	var unprocessed, written int
	for round := range 40 {
		var reqs []types.WriteRequest
		for i := range 25 {
			item, _ := attributevalue.MarshalMap(map[string]any{"pk": fmt.Sprintf("k%d-%d", round, i), "v": strings.Repeat("x", 900)})
			reqs = append(reqs, types.WriteRequest{PutRequest: &types.PutRequest{Item: item}})
		}
		out, err := x.db.BatchWriteItem(x.ctx, &dynamodb.BatchWriteItemInput{RequestItems: map[string][]types.WriteRequest{"small": reqs}})
		var pte *types.ProvisionedThroughputExceededException
		switch {
		case errors.As(err, &pte):
			unprocessed += 25
		case err != nil:
			t.Fatal(err)
		default:
			unprocessed += len(out.UnprocessedItems["small"])
			written += 25 - len(out.UnprocessedItems["small"])
		}
	}
	if unprocessed == 0 || written == 0 {
		t.Errorf("1,000 puts in batches at 1 WCU: %d written, %d unprocessed; want both", written, unprocessed)
	}
	x.ordersTable(t)
	x.put(t, "orders", order{Customer: "c1", ID: 1, Status: "open"})
	cc, _ := expression.NewBuilder().WithCondition(expression.Name("status").Equal(expression.Value("closed"))).Build()
	item, _ := attributevalue.MarshalMap(order{Customer: "c2", ID: 1})
	_, err := x.db.TransactWriteItems(x.ctx, &dynamodb.TransactWriteItemsInput{TransactItems: []types.TransactWriteItem{
		{Put: &types.Put{TableName: aws.String("orders"), Item: item}},
		{ConditionCheck: &types.ConditionCheck{TableName: aws.String("orders"), Key: orderKey("c1", 1), ConditionExpression: cc.Condition(),
			ExpressionAttributeNames: cc.Names(), ExpressionAttributeValues: cc.Values(), ReturnValuesOnConditionCheckFailure: types.ReturnValuesOnConditionCheckFailureAllOld}},
	}})
	var tce *types.TransactionCanceledException
	if !errors.As(err, &tce) || len(tce.CancellationReasons) != 2 || aws.ToString(tce.CancellationReasons[0].Code) != "None" ||
		aws.ToString(tce.CancellationReasons[1].Code) != "ConditionalCheckFailed" || tce.CancellationReasons[1].Item == nil {
		t.Fatalf("a transaction whose check fails: %v", err)
	}
	if got, _ := x.db.GetItem(x.ctx, &dynamodb.GetItemInput{TableName: aws.String("orders"), Key: orderKey("c2", 1)}); got.Item != nil {
		t.Error("a cancelled transaction wrote its put")
	}
	bg, err := x.db.BatchGetItem(x.ctx, &dynamodb.BatchGetItemInput{RequestItems: map[string]types.KeysAndAttributes{
		"orders": {Keys: []map[string]types.AttributeValue{orderKey("c1", 1), orderKey("zz", 9)}}}})
	if err != nil || len(bg.Responses["orders"]) != 1 {
		t.Errorf("a batch get of one item there and one not: %v, %v", bg, err)
	}
}

// putMany writes n items of about 1 KB to table, one every gap of the
// fake clock, with key(i) as their partition key, and counts what was
// admitted and how the rest were refused.
func (x *sdkSession) putMany(t *testing.T, table string, n int, gap time.Duration, key func(int) string) (admitted int, refused map[string]int, reasons map[string]int) {
	t.Helper()
	refused, reasons = map[string]int{}, map[string]int{}
	for i := range n {
		item, _ := attributevalue.MarshalMap(map[string]any{"pk": key(i), "v": strings.Repeat("x", 1000)})
		_, err := x.db.PutItem(x.ctx, &dynamodb.PutItemInput{TableName: aws.String(table), Item: item})
		var pte *types.ProvisionedThroughputExceededException
		var te *types.ThrottlingException
		switch {
		case err == nil:
			admitted++
		case errors.As(err, &pte):
			refused["ProvisionedThroughputExceededException"]++
			for _, r := range pte.ThrottlingReasons {
				reasons[aws.ToString(r.Reason)+" "+aws.ToString(r.Resource)]++
			}
		case errors.As(err, &te):
			refused["ThrottlingException"]++
			for _, r := range te.ThrottlingReasons {
				reasons[aws.ToString(r.Reason)+" "+aws.ToString(r.Resource)]++
			}
		default:
			t.Fatal(err)
		}
		x.clock.Advance(gap)
	}
	return admitted, refused, reasons
}

// The story (REFERENCE: provisioned, burst): a table of 10 WCU
// receiving 50 writes of 1 KB a second from the Go SDK, retries off,
// admits 10 a second plus what its burst bank (300 s of unused capacity,
// full at creation: 3,000 units) pays; the rest are refused with
// ProvisionedThroughputExceededException naming the table's write
// capacity. At --time-scale 60 the same story takes a sixtieth of the
// wall time and ends the same way.
func TestSDKThrottlingStory(t *testing.T) {
	const writes, rate = 6000, 50 // two minutes at 50 writes a second
	story := func(scale float64) (int, map[string]int, map[string]int) {
		x := newSDKSession(t, Config{Seed: 1, TimeScale: scale}, 1)
		defs, keys := keySchema2("pk", "S", "", "")
		x.create(t, &dynamodb.CreateTableInput{TableName: aws.String("ten"), AttributeDefinitions: defs, KeySchema: keys,
			ProvisionedThroughput: &types.ProvisionedThroughput{ReadCapacityUnits: aws.Int64(10), WriteCapacityUnits: aws.Int64(10)}})
		gap := time.Duration(float64(time.Second) / rate / scale)
		return x.putMany(t, "ten", writes, gap, func(i int) string { return fmt.Sprintf("k%d", i) })
	}
	admitted, refused, reasons := story(1)
	want := 10*writes/rate + 300*10 // 1,200 from the refill, 3,000 from the bank
	if admitted < want*98/100 || admitted > want*102/100 {
		t.Errorf("admitted %d of %d writes; want about %d (10/s for 120 s and a 3,000-unit bank)", admitted, writes, want)
	}
	arn := "arn:aws:dynamodb:us-east-1:000000000000:table/ten"
	if refused["ProvisionedThroughputExceededException"] != writes-admitted || reasons["TableWriteProvisionedThroughputExceeded "+arn] != writes-admitted {
		t.Errorf("refused %v with reasons %v; want every refusal a ProvisionedThroughputExceededException for %s's write capacity", refused, reasons, arn)
	}
	fast, _, _ := story(60)
	if fast != admitted {
		t.Errorf("at --time-scale 60: %d admitted, at 1: %d; the story must not change", fast, admitted)
	}
}

// A hot key on an on-demand table (REFERENCE: partitions, ondemand) is
// refused at its partition's 1,000 write units a second, with
// KeyRangeThroughputExceeded, while the table (4,000 a second when new)
// is far from its own limit. The partition starts with one second of its
// rate in hand, so 2 s admit 3,000.
func TestSDKHotKeyOnDemand(t *testing.T) {
	x := newSDKSession(t, Config{Seed: 1}, 1)
	defs, keys := keySchema2("pk", "S", "", "")
	x.create(t, &dynamodb.CreateTableInput{TableName: aws.String("hot"), AttributeDefinitions: defs, KeySchema: keys,
		BillingMode: types.BillingModePayPerRequest})
	// 6,000 writes of one key in 2 s: 3,000 a second.
	admitted, refused, reasons := x.putMany(t, "hot", 6000, 2*time.Second/6000, func(int) string { return "celebrity" })
	if admitted < 2950 || admitted > 3050 {
		t.Errorf("one key at 3,000 writes a second for 2 s: %d admitted, want about 3,000", admitted)
	}
	key := "TableWriteKeyRangeThroughputExceeded arn:aws:dynamodb:us-east-1:000000000000:table/hot"
	if refused["ThrottlingException"] != 6000-admitted || reasons[key] != 6000-admitted {
		t.Errorf("refused %v, reasons %v; want ThrottlingException with %s", refused, reasons, key)
	}
}

// With the SDK's standard retryer the client retries what was throttled,
// and the served session's results show the retries (from the SDK's
// amz-sdk-request header) beside the throttles and the latency.
func TestSDKRetriesInTheReport(t *testing.T) {
	s, clock := newTestServer(t, Config{Seed: 1})
	hs := httptest.NewServer(s)
	defer hs.Close()
	db := dynamodb.New(dynamodb.Options{
		Region: "us-east-1", BaseEndpoint: aws.String(hs.URL),
		Credentials: credentials.NewStaticCredentialsProvider("AKID", "SECRET", ""),
		Retryer: retry.NewStandard(func(o *retry.StandardOptions) {
			o.MaxAttempts = 3
			o.Backoff = retry.BackoffDelayerFunc(func(int, error) (time.Duration, error) { return 0, nil }) // the fake clock decides time
			o.RateLimiter = ratelimit.None
		}),
	})
	x := &sdkSession{s: s, clock: clock, db: db, ctx: context.Background(), scale: 1}
	defs, keys := keySchema2("pk", "S", "", "")
	x.create(t, &dynamodb.CreateTableInput{TableName: aws.String("ten"), AttributeDefinitions: defs, KeySchema: keys,
		ProvisionedThroughput: &types.ProvisionedThroughput{ReadCapacityUnits: aws.Int64(10), WriteCapacityUnits: aws.Int64(10)}})
	// 50 writes a second for 100 s: the bank runs dry after about 75 s.
	admitted, refused, _ := x.putMany(t, "ten", 5000, 20*time.Millisecond, func(i int) string { return fmt.Sprintf("k%d", i) })
	clock.Advance(time.Minute)
	outs, err := s.Close()
	if err != nil {
		t.Fatal(err)
	}
	var res *reports.Result
	for _, o := range outs {
		if o.Dir == "tables/ten" {
			res = o.Result
		}
	}
	if res == nil {
		t.Fatalf("no result for table ten among %d outputs", len(outs))
	}
	q := res.Requests
	t.Logf("client: %d admitted, %v given up; served: %+v, latency p99 %.1f ms", admitted, refused, q, res.LatencyMs.P99)
	if q.Retries == 0 || q.Throttled == 0 || q.Total != q.Succeeded+q.Throttled+q.Errors || q.Succeeded != int64(admitted) {
		t.Errorf("served results %+v for %d admitted: want retries and throttles counted", q, admitted)
	}
	if q.Total < 5000+q.Retries-1 || res.LatencyMs.P99 <= 0 {
		t.Errorf("served %d calls with %d retries and p99 %v ms for 5,000 requests", q.Total, q.Retries, res.LatencyMs.P99)
	}
}

// UpdateTable creates a global index on a table holding items (filled at
// once, CREATING and refusing reads for the update delay), resizes it,
// and deletes it; a write pays for the index only while it exists.
func TestSDKGlobalIndexUpdates(t *testing.T) {
	x := newSDKSession(t, Config{Seed: 1}, 1)
	defs, keys := keySchema2("pk", "S", "sk", "N")
	x.create(t, &dynamodb.CreateTableInput{TableName: aws.String("orders"), AttributeDefinitions: defs, KeySchema: keys,
		ProvisionedThroughput: &types.ProvisionedThroughput{ReadCapacityUnits: aws.Int64(100), WriteCapacityUnits: aws.Int64(100)}})
	for i := range 6 {
		x.put(t, "orders", order{Customer: "c", ID: i, Status: []string{"open", "shipped"}[i%2]})
	}
	statusDef := types.AttributeDefinition{AttributeName: aws.String("status"), AttributeType: types.ScalarAttributeTypeS}
	_, err := x.db.UpdateTable(x.ctx, &dynamodb.UpdateTableInput{TableName: aws.String("orders"),
		AttributeDefinitions: []types.AttributeDefinition{statusDef},
		GlobalSecondaryIndexUpdates: []types.GlobalSecondaryIndexUpdate{{Create: &types.CreateGlobalSecondaryIndexAction{
			IndexName:             aws.String("by-status"),
			KeySchema:             []types.KeySchemaElement{{AttributeName: aws.String("status"), KeyType: types.KeyTypeHash}},
			Projection:            &types.Projection{ProjectionType: types.ProjectionTypeKeysOnly},
			ProvisionedThroughput: &types.ProvisionedThroughput{ReadCapacityUnits: aws.Int64(5), WriteCapacityUnits: aws.Int64(5)},
		}}}})
	if err != nil {
		t.Fatal(err)
	}
	d, _ := x.db.DescribeTable(x.ctx, &dynamodb.DescribeTableInput{TableName: aws.String("orders")})
	if g := d.Table.GlobalSecondaryIndexes; len(g) != 1 || g[0].IndexStatus != types.IndexStatusCreating || !aws.ToBool(g[0].Backfilling) {
		t.Errorf("right after the create: %+v", g)
	}
	ex, _ := expression.NewBuilder().WithKeyCondition(expression.Key("status").Equal(expression.Value("open"))).Build()
	query := &dynamodb.QueryInput{TableName: aws.String("orders"), IndexName: aws.String("by-status"), KeyConditionExpression: ex.KeyCondition(),
		ExpressionAttributeNames: ex.Names(), ExpressionAttributeValues: ex.Values()}
	if _, err := x.db.Query(x.ctx, query); err == nil || !strings.Contains(err.Error(), "backfilling") {
		t.Errorf("a query of the index while it backfills: %v", err)
	}
	x.clock.Advance(3 * time.Minute)
	out, err := x.db.Query(x.ctx, query)
	if err != nil || out.Count != 3 {
		t.Fatalf("the backfilled index holds %v open orders (%v); want 3", out, err)
	}
	item, _ := attributevalue.MarshalMap(order{Customer: "c", ID: 9, Status: "open"})
	pi, err := x.db.PutItem(x.ctx, &dynamodb.PutItemInput{TableName: aws.String("orders"), Item: item, ReturnConsumedCapacity: types.ReturnConsumedCapacityIndexes})
	if err != nil || aws.ToFloat64(pi.ConsumedCapacity.GlobalSecondaryIndexes["by-status"].CapacityUnits) != 1 {
		t.Errorf("a put with the index: %+v, %v", pi.ConsumedCapacity, err)
	}
	if _, err := x.db.UpdateTable(x.ctx, &dynamodb.UpdateTableInput{TableName: aws.String("orders"),
		GlobalSecondaryIndexUpdates: []types.GlobalSecondaryIndexUpdate{{Update: &types.UpdateGlobalSecondaryIndexAction{
			IndexName: aws.String("by-status"), ProvisionedThroughput: &types.ProvisionedThroughput{ReadCapacityUnits: aws.Int64(20), WriteCapacityUnits: aws.Int64(20)}}}}}); err != nil {
		t.Fatal(err)
	}
	x.clock.Advance(3 * time.Minute)
	d, _ = x.db.DescribeTable(x.ctx, &dynamodb.DescribeTableInput{TableName: aws.String("orders")})
	if g := d.Table.GlobalSecondaryIndexes; len(g) != 1 || aws.ToInt64(g[0].ProvisionedThroughput.WriteCapacityUnits) != 20 {
		t.Errorf("after the resize: %+v", g[0].ProvisionedThroughput)
	}
	if _, err := x.db.UpdateTable(x.ctx, &dynamodb.UpdateTableInput{TableName: aws.String("orders"),
		GlobalSecondaryIndexUpdates: []types.GlobalSecondaryIndexUpdate{{Delete: &types.DeleteGlobalSecondaryIndexAction{IndexName: aws.String("by-status")}}}}); err != nil {
		t.Fatal(err)
	}
	d, _ = x.db.DescribeTable(x.ctx, &dynamodb.DescribeTableInput{TableName: aws.String("orders")})
	if len(d.Table.GlobalSecondaryIndexes) != 0 {
		t.Errorf("after the delete: %+v", d.Table.GlobalSecondaryIndexes)
	}
	if _, err := x.db.Query(x.ctx, query); err == nil || !strings.Contains(err.Error(), "does not have the specified index") {
		t.Errorf("a query of the deleted index: %v", err)
	}
	pi, err = x.db.PutItem(x.ctx, &dynamodb.PutItemInput{TableName: aws.String("orders"), Item: item, ReturnConsumedCapacity: types.ReturnConsumedCapacityIndexes})
	if err != nil || pi.ConsumedCapacity.GlobalSecondaryIndexes != nil || aws.ToFloat64(pi.ConsumedCapacity.CapacityUnits) != 1 {
		t.Errorf("a put after the delete: %+v, %v", pi.ConsumedCapacity, err)
	}
	// The session's results have a row for the index, with its writes.
	outs, err := x.s.Close()
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, o := range outs {
		for _, tr := range o.Result.Tables {
			if tr.Name == "orders/by-status" {
				found = true
				if tr.ConsumedWCU < 1 {
					t.Errorf("the index's row shows %v WCU consumed, want its writes", tr.ConsumedWCU)
				}
			}
		}
	}
	if !found {
		t.Error("the session's results have no row for the index")
	}
}

// A transaction over two tables is all or nothing across them: when one
// table cannot take its part, the other's is not applied either.
func TestSDKTransactionAcrossTables(t *testing.T) {
	x := newSDKSession(t, Config{Seed: 1}, 1)
	defs, keys := keySchema2("pk", "S", "", "")
	x.create(t, &dynamodb.CreateTableInput{TableName: aws.String("roomy"), AttributeDefinitions: defs, KeySchema: keys, BillingMode: types.BillingModePayPerRequest})
	x.create(t, &dynamodb.CreateTableInput{TableName: aws.String("tiny"), AttributeDefinitions: defs, KeySchema: keys,
		ProvisionedThroughput: &types.ProvisionedThroughput{ReadCapacityUnits: aws.Int64(1), WriteCapacityUnits: aws.Int64(1)}})
	// Drain tiny's burst bank with 9 KB writes until one is refused.
	for i := 0; ; i++ {
		item, _ := attributevalue.MarshalMap(map[string]any{"pk": fmt.Sprint(i), "v": strings.Repeat("x", 9000)})
		if _, err := x.db.PutItem(x.ctx, &dynamodb.PutItemInput{TableName: aws.String("tiny"), Item: item}); err != nil {
			break
		}
		if i > 100 {
			t.Fatal("tiny never throttled")
		}
	}
	a, _ := attributevalue.MarshalMap(map[string]any{"pk": "a"})
	b, _ := attributevalue.MarshalMap(map[string]any{"pk": "b", "v": strings.Repeat("x", 5000)})
	_, err := x.db.TransactWriteItems(x.ctx, &dynamodb.TransactWriteItemsInput{TransactItems: []types.TransactWriteItem{
		{Put: &types.Put{TableName: aws.String("roomy"), Item: a}},
		{Put: &types.Put{TableName: aws.String("tiny"), Item: b}},
	}})
	var tce *types.TransactionCanceledException
	if !errors.As(err, &tce) || len(tce.CancellationReasons) != 2 || aws.ToString(tce.CancellationReasons[0].Code) != "None" ||
		aws.ToString(tce.CancellationReasons[1].Code) != "ProvisionedThroughputExceeded" {
		t.Fatalf("a transaction whose second table is out of capacity: %v", err)
	}
	if got, _ := x.db.GetItem(x.ctx, &dynamodb.GetItemInput{TableName: aws.String("roomy"),
		Key: map[string]types.AttributeValue{"pk": &types.AttributeValueMemberS{Value: "a"}}}); got.Item != nil {
		t.Error("the first table's part was applied though the transaction was cancelled")
	}
}
