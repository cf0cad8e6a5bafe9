package server

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/aws-sdk-go-v2/service/dynamodbstreams"
	stypes "github.com/aws/aws-sdk-go-v2/service/dynamodbstreams/types"
	"github.com/aws/smithy-go"

	"github.com/ddbsim/ddbsim/sim"
)

// streamsClient is the SDK's Streams client on x's server.
func streamsClient(t *testing.T, x *sdkSession) *dynamodbstreams.Client {
	t.Helper()
	hs := httptest.NewServer(x.s)
	t.Cleanup(hs.Close)
	return dynamodbstreams.New(dynamodbstreams.Options{
		Region:           "us-east-1",
		BaseEndpoint:     aws.String(hs.URL),
		Credentials:      credentials.NewStaticCredentialsProvider("AKID", "SECRET", ""),
		RetryMaxAttempts: 1,
	})
}

// streamTable makes table name (pk S, sk N) on demand with a stream of
// view, and returns its stream's ARN and shard.
func streamTable(t *testing.T, x *sdkSession, st *dynamodbstreams.Client, name string, view types.StreamViewType) (arn, shard string) {
	t.Helper()
	defs, keys := keySchema2("pk", "S", "sk", "N")
	x.create(t, &dynamodb.CreateTableInput{TableName: aws.String(name), AttributeDefinitions: defs, KeySchema: keys,
		BillingMode:         types.BillingModePayPerRequest,
		StreamSpecification: &types.StreamSpecification{StreamEnabled: aws.Bool(true), StreamViewType: view}})
	ls, err := st.ListStreams(x.ctx, &dynamodbstreams.ListStreamsInput{TableName: aws.String(name)})
	if err != nil || len(ls.Streams) != 1 {
		t.Fatalf("ListStreams %s: %v %v", name, ls, err)
	}
	d, err := st.DescribeStream(x.ctx, &dynamodbstreams.DescribeStreamInput{StreamArn: ls.Streams[0].StreamArn})
	if err != nil {
		t.Fatal(err)
	}
	sd := d.StreamDescription
	if sd.StreamStatus != stypes.StreamStatusEnabled || string(sd.StreamViewType) != string(view) || len(sd.Shards) != 1 ||
		aws.ToString(sd.TableName) != name || len(sd.KeySchema) != 2 || sd.Shards[0].SequenceNumberRange.EndingSequenceNumber != nil {
		t.Fatalf("DescribeStream: %+v", sd)
	}
	return aws.ToString(ls.Streams[0].StreamArn), aws.ToString(sd.Shards[0].ShardId)
}

func iter(t *testing.T, x *sdkSession, st *dynamodbstreams.Client, arn, shard string, typ stypes.ShardIteratorType, seq string) *string {
	t.Helper()
	in := &dynamodbstreams.GetShardIteratorInput{StreamArn: aws.String(arn), ShardId: aws.String(shard), ShardIteratorType: typ}
	if seq != "" {
		in.SequenceNumber = aws.String(seq)
	}
	out, err := st.GetShardIterator(x.ctx, in)
	if err != nil {
		t.Fatalf("GetShardIterator %s %s: %v", typ, seq, err)
	}
	return out.ShardIterator
}

// readAll pages through the shard from it, limit records a call, and
// returns the records and the last NextShardIterator.
func readAll(t *testing.T, x *sdkSession, st *dynamodbstreams.Client, it *string, limit int32) ([]stypes.Record, *string, int) {
	t.Helper()
	var recs []stypes.Record
	calls := 0
	for {
		out, err := st.GetRecords(x.ctx, &dynamodbstreams.GetRecordsInput{ShardIterator: it, Limit: aws.Int32(limit)})
		if err != nil {
			t.Fatal(err)
		}
		calls++
		if len(out.Records) > int(limit) {
			t.Fatalf("GetRecords returned %d records for a limit of %d", len(out.Records), limit)
		}
		recs = append(recs, out.Records...)
		it = out.NextShardIterator
		if len(out.Records) == 0 || it == nil {
			return recs, it, calls
		}
	}
}

func attrS(m map[string]stypes.AttributeValue, name string) string {
	switch v := m[name].(type) {
	case *stypes.AttributeValueMemberS:
		return v.Value
	case *stypes.AttributeValueMemberN:
		return v.Value
	}
	return ""
}

// The SDK's streams client reads each applied write once, in order, as
// INSERT, MODIFY or REMOVE with both images (NEW_AND_OLD_IMAGES), paging
// with Limit; a failed condition and a throttle-free read log nothing;
// batch parts and transaction items are logged; sequence numbers
// increase; GetRecords consumes nothing.
func TestStreamsSDKRecords(t *testing.T) {
	x := newSDKSession(t, Config{Seed: 1}, 1)
	st := streamsClient(t, x)
	arn, shard := streamTable(t, x, st, "orders", types.StreamViewTypeNewAndOldImages)
	if !strings.HasPrefix(arn, "arn:aws:dynamodb:us-east-1:000000000000:table/orders/stream/") || !strings.HasPrefix(shard, "shardId-") {
		t.Fatalf("ARN %s, shard %s", arn, shard)
	}
	desc, err := x.db.DescribeTable(x.ctx, &dynamodb.DescribeTableInput{TableName: aws.String("orders")})
	if err != nil || aws.ToString(desc.Table.LatestStreamArn) != arn {
		t.Fatalf("DescribeTable's LatestStreamArn %v, ListStreams' %s (%v)", desc, arn, err)
	}
	x.put(t, "orders", order{Customer: "c1", ID: 1, Status: "open", Total: 10})
	x.put(t, "orders", order{Customer: "c1", ID: 1, Status: "paid", Total: 10})
	_, err = x.db.PutItem(x.ctx, &dynamodb.PutItemInput{TableName: aws.String("orders"),
		Item:                map[string]types.AttributeValue{"pk": &types.AttributeValueMemberS{Value: "c1"}, "sk": &types.AttributeValueMemberN{Value: "1"}},
		ConditionExpression: aws.String("attribute_not_exists(pk)")})
	var ccf *types.ConditionalCheckFailedException
	if !errors.As(err, &ccf) {
		t.Fatalf("a failed condition: %v", err)
	}
	if _, err := x.db.GetItem(x.ctx, &dynamodb.GetItemInput{TableName: aws.String("orders"), Key: orderKey("c1", 1)}); err != nil {
		t.Fatal(err)
	}
	if _, err := x.db.DeleteItem(x.ctx, &dynamodb.DeleteItemInput{TableName: aws.String("orders"), Key: orderKey("c1", 1)}); err != nil {
		t.Fatal(err)
	}
	put := func(id int) types.WriteRequest {
		return types.WriteRequest{PutRequest: &types.PutRequest{Item: map[string]types.AttributeValue{
			"pk": &types.AttributeValueMemberS{Value: "c2"}, "sk": &types.AttributeValueMemberN{Value: fmt.Sprint(id)}}}}
	}
	if _, err := x.db.BatchWriteItem(x.ctx, &dynamodb.BatchWriteItemInput{RequestItems: map[string][]types.WriteRequest{
		"orders": {put(1), put(2)}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := x.db.TransactWriteItems(x.ctx, &dynamodb.TransactWriteItemsInput{TransactItems: []types.TransactWriteItem{{
		Update: &types.Update{TableName: aws.String("orders"), Key: orderKey("c2", 1),
			UpdateExpression: aws.String("SET #s = :s"), ExpressionAttributeNames: map[string]string{"#s": "status"},
			ExpressionAttributeValues: map[string]types.AttributeValue{":s": &types.AttributeValueMemberS{Value: "sent"}}}}}}); err != nil {
		t.Fatal(err)
	}

	recs, next, calls := readAll(t, x, st, iter(t, x, st, arn, shard, stypes.ShardIteratorTypeTrimHorizon, ""), 2)
	type want struct{ name, pk, sk, oldStatus, newStatus string }
	wants := []want{
		{"INSERT", "c1", "1", "", "open"},
		{"MODIFY", "c1", "1", "open", "paid"},
		{"REMOVE", "c1", "1", "paid", ""},
		{"INSERT", "c2", "1", "", ""},
		{"INSERT", "c2", "2", "", ""},
		{"MODIFY", "c2", "1", "", "sent"},
	}
	if len(recs) != len(wants) || calls != 4 {
		t.Fatalf("%d records in %d calls of 2, want %d in 4: %+v", len(recs), calls, len(wants), recs)
	}
	prev := ""
	for i, w := range wants {
		r := recs[i]
		d := r.Dynamodb
		if string(r.EventName) != w.name || aws.ToString(r.EventVersion) != "1.1" || aws.ToString(r.EventSource) != "aws:dynamodb" ||
			aws.ToString(r.AwsRegion) != "us-east-1" || len(aws.ToString(r.EventID)) != 32 || r.UserIdentity != nil {
			t.Errorf("record %d: %s %s %s %s %s %v; want %s", i, r.EventName, aws.ToString(r.EventVersion), aws.ToString(r.EventSource),
				aws.ToString(r.AwsRegion), aws.ToString(r.EventID), r.UserIdentity, w.name)
		}
		if attrS(d.Keys, "pk") != w.pk || attrS(d.Keys, "sk") != w.sk || len(d.Keys) != 2 {
			t.Errorf("record %d keys %v, want %s/%s", i, d.Keys, w.pk, w.sk)
		}
		if attrS(d.OldImage, "status") != w.oldStatus || attrS(d.NewImage, "status") != w.newStatus {
			t.Errorf("record %d: status %q -> %q, want %q -> %q", i, attrS(d.OldImage, "status"), attrS(d.NewImage, "status"), w.oldStatus, w.newStatus)
		}
		if (w.name == "INSERT") != (d.OldImage == nil) || (w.name == "REMOVE") != (d.NewImage == nil) {
			t.Errorf("record %d (%s): old image %v, new image %v", i, w.name, d.OldImage, d.NewImage)
		}
		seq := aws.ToString(d.SequenceNumber)
		if len(seq) < 21 || seq <= prev {
			t.Errorf("record %d: sequence number %s after %s", i, seq, prev)
		}
		prev = seq
		if d.StreamViewType != stypes.StreamViewTypeNewAndOldImages || aws.ToInt64(d.SizeBytes) <= 0 || d.ApproximateCreationDateTime == nil {
			t.Errorf("record %d: view %s, size %d, time %v", i, d.StreamViewType, aws.ToInt64(d.SizeBytes), d.ApproximateCreationDateTime)
		}
	}

	// LATEST and the end of the shard: nothing until the next write.
	latest := iter(t, x, st, arn, shard, stypes.ShardIteratorTypeLatest, "")
	if more, _, _ := readAll(t, x, st, latest, 100); len(more) != 0 {
		t.Errorf("LATEST read %d records before any write", len(more))
	}
	x.put(t, "orders", order{Customer: "c3", ID: 1})
	if more, _, _ := readAll(t, x, st, latest, 100); len(more) != 1 || attrS(more[0].Dynamodb.Keys, "pk") != "c3" {
		t.Errorf("LATEST then a put: %+v", more)
	}
	if more, _, _ := readAll(t, x, st, next, 100); len(more) != 1 {
		t.Errorf("the last NextShardIterator read %d records after a put, want 1", len(more))
	}
	// AT and AFTER a sequence number.
	third := aws.ToString(recs[2].Dynamodb.SequenceNumber)
	at, _, _ := readAll(t, x, st, iter(t, x, st, arn, shard, stypes.ShardIteratorTypeAtSequenceNumber, third), 1000)
	after, _, _ := readAll(t, x, st, iter(t, x, st, arn, shard, stypes.ShardIteratorTypeAfterSequenceNumber, third), 1000)
	if len(at) != 5 || len(after) != 4 || aws.ToString(at[0].Dynamodb.SequenceNumber) != third ||
		aws.ToString(after[0].Dynamodb.SequenceNumber) != aws.ToString(recs[3].Dynamodb.SequenceNumber) {
		t.Errorf("AT %s: %d records, AFTER: %d; want 5 and 4", third, len(at), len(after))
	}

	// GetRecords consumes nothing of the table.
	before := consumedBy(t, x.s, "orders")
	readAll(t, x, st, iter(t, x, st, arn, shard, stypes.ShardIteratorTypeTrimHorizon, ""), 1)
	if after := consumedBy(t, x.s, "orders"); after != before {
		t.Errorf("GetRecords consumed %v units", after-before)
	}
}

// consumedBy is the read and write units table name has consumed.
func consumedBy(t *testing.T, s *Server, name string) float64 {
	t.Helper()
	var u float64
	if err := s.Do(func(sim.Time) {
		tb := s.tables[name]
		tt := tb.sess.tap.table(tb.index)
		u = tt.read + tt.write
	}); err != nil {
		t.Fatal(err)
	}
	return u
}

// postStreams sends a Streams API call to h.
func postStreams(t testing.TB, h http.Handler, op, body string) answer {
	t.Helper()
	req := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(body))
	req.Header.Set("X-Amz-Target", "DynamoDBStreams_20120810."+op)
	req.Header.Set("Content-Type", contentType)
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	a := answer{status: w.Code, header: w.Header(), raw: w.Body.Bytes()}
	if err := json.Unmarshal(a.raw, &a.body); err != nil {
		t.Fatalf("%s: the answer is not a JSON object: %v\n%s", op, err, a.raw)
	}
	return a
}

// Bad ARNs, shards, iterator types, sequence numbers, iterators and
// limits get the service's exceptions.
func TestStreamsErrors(t *testing.T) {
	s, clock := newTestServer(t, Config{Seed: 1})
	post(t, s, "CreateTable", ordersTable)
	clock.Advance(2 * time.Minute)
	ls := postStreams(t, s, "ListStreams", `{}`)
	arn, _ := get(ls.body, "Streams").([]any)[0].(map[string]any)["StreamArn"].(string)
	d := postStreams(t, s, "DescribeStream", `{"StreamArn":"`+arn+`"}`)
	shard, _ := get(d.body, "StreamDescription", "Shards").([]any)[0].(map[string]any)["ShardId"].(string)
	missing := "arn:aws:dynamodb:us-east-1:000000000000:table/nope/stream/2026-01-01T00:00:00.000"
	good := `"StreamArn":"` + arn + `","ShardId":"` + shard + `"`
	for _, c := range []struct{ op, body, typ, msg string }{
		{"DescribeStream", `{"StreamArn":"x"}`, "ValidationException", "Member must have length between 37 and 1024"},
		{"DescribeStream", `{"StreamArn":"` + missing + `"}`, "ResourceNotFoundException", "Requested resource not found: Stream: " + missing + " not found"},
		{"DescribeStream", `{"StreamArn":"` + arn + `x"}`, "ResourceNotFoundException", "not found"},
		{"DescribeStream", `{"StreamArn":"` + arn + `","Limit":0}`, "ValidationException", "at 'limit'"},
		{"ListStreams", `{"TableName":"nope"}`, "ResourceNotFoundException", "Requested resource not found: Table: nope not found"},
		{"ListStreams", `{"Limit":101}`, "ValidationException", "at 'limit'"},
		{"GetShardIterator", `{` + good + `,"ShardIteratorType":"OLDEST"}`, "ValidationException", "Member must satisfy enum value set"},
		{"GetShardIterator", `{` + good + `,"ShardIteratorType":"AT_SEQUENCE_NUMBER"}`, "ValidationException", "sequence number"},
		{"GetShardIterator", `{` + good + `,"ShardIteratorType":"AFTER_SEQUENCE_NUMBER","SequenceNumber":"12"}`, "ValidationException", "Invalid SequenceNumber"},
		{"GetShardIterator", `{` + good + `,"ShardIteratorType":"AT_SEQUENCE_NUMBER","SequenceNumber":"100000000000000000099"}`, "ValidationException", "Invalid SequenceNumber"},
		{"GetShardIterator", `{"StreamArn":"` + arn + `","ShardId":"shardId-00000000000000000000-00000000","ShardIteratorType":"LATEST"}`, "ResourceNotFoundException", "Shard does not exist"},
		{"GetShardIterator", `{"StreamArn":"` + arn + `","ShardId":"s","ShardIteratorType":"LATEST"}`, "ValidationException", "at 'shardId'"},
		{"GetShardIterator", `{"StreamArn":"` + missing + `","ShardId":"` + shard + `","ShardIteratorType":"LATEST"}`, "ResourceNotFoundException", "Stream: " + missing},
		{"GetRecords", `{"ShardIterator":"not an iterator"}`, "ValidationException", "Invalid ShardIterator"},
		{"GetRecords", `{"ShardIterator":"djF8MXwyfHh8eQ"}`, "ResourceNotFoundException", "not found"},
		{"GetRecords", `{}`, "ValidationException", "at 'shardIterator'"},
		{"GetRecords", `{"ShardIterator":"abc","Limit":1001}`, "ValidationException", "at 'limit'"},
		{"GetRecords", `{"ShardIterator":5}`, "SerializationException", ""},
	} {
		a := postStreams(t, s, c.op, c.body)
		msg, _ := a.body["message"].(string)
		if a.status != 400 || a.errType() != c.typ || !strings.Contains(msg, c.msg) {
			t.Errorf("%s %s: %d %s %q; want %s containing %q", c.op, c.body, a.status, a.errType(), msg, c.typ, c.msg)
		}
	}

	// An iterator older than 15 minutes has expired; a record older than
	// 24 h is trimmed, and so is an iterator's position before it.
	it := get(postStreams(t, s, "GetShardIterator", `{`+good+`,"ShardIteratorType":"TRIM_HORIZON"}`).body, "ShardIterator").(string)
	post(t, s, "PutItem", `{"TableName":"orders","Item":{"pk":{"S":"a"},"sk":{"N":"1"}}}`)
	seq := get(postStreams(t, s, "GetRecords", `{"ShardIterator":"`+it+`"}`).body, "Records").([]any)[0].(map[string]any)["dynamodb"].(map[string]any)["SequenceNumber"].(string)
	clock.Advance(16 * time.Minute)
	if a := postStreams(t, s, "GetRecords", `{"ShardIterator":"`+it+`"}`); a.errType() != "ExpiredIteratorException" {
		t.Errorf("a 16-minute-old iterator: %s", a.raw)
	}
	s.Do(func(now sim.Time) { s.tables["orders"].streamLog.recs[0].at = now - streamRetention - sim.Second })
	for _, body := range []string{`{` + good + `,"ShardIteratorType":"AT_SEQUENCE_NUMBER","SequenceNumber":"` + seq + `"}`} {
		if a := postStreams(t, s, "GetShardIterator", body); a.errType() != "TrimmedDataAccessException" {
			t.Errorf("an iterator at a trimmed record: %s", a.raw)
		}
	}
	fresh := get(postStreams(t, s, "GetShardIterator", `{`+good+`,"ShardIteratorType":"TRIM_HORIZON"}`).body, "ShardIterator").(string)
	if a := postStreams(t, s, "GetRecords", `{"ShardIterator":"`+fresh+`"}`); a.status != 200 || len(get(a.body, "Records").([]any)) != 0 {
		t.Errorf("TRIM_HORIZON after the trim: %s", a.raw)
	}
	var stale string
	s.Do(func(now sim.Time) {
		stale = iterator{table: "orders", label: s.tables["orders"].streamLog.label, pos: 0, issued: now}.String()
	})
	if a := postStreams(t, s, "GetRecords", `{"ShardIterator":"`+stale+`"}`); a.errType() != "TrimmedDataAccessException" {
		t.Errorf("an iterator before the trim horizon: %s", a.raw)
	}
}

// The SDK surfaces an expired iterator as ExpiredIteratorException.
func TestStreamsSDKExpiredIterator(t *testing.T) {
	x := newSDKSession(t, Config{Seed: 1}, 1)
	st := streamsClient(t, x)
	arn, shard := streamTable(t, x, st, "keys", types.StreamViewTypeKeysOnly)
	it := iter(t, x, st, arn, shard, stypes.ShardIteratorTypeTrimHorizon, "")
	x.put(t, "keys", order{Customer: "c", ID: 1, Status: "x"})
	recs, _, _ := readAll(t, x, st, it, 10)
	if len(recs) != 1 || recs[0].Dynamodb.NewImage != nil || recs[0].Dynamodb.OldImage != nil || len(recs[0].Dynamodb.Keys) != 2 {
		t.Errorf("KEYS_ONLY: %+v", recs)
	}
	x.clock.Advance(15*time.Minute + time.Second)
	_, err := st.GetRecords(x.ctx, &dynamodbstreams.GetRecordsInput{ShardIterator: it})
	var expired *stypes.ExpiredIteratorException
	var api smithy.APIError
	if !errors.As(err, &expired) || !errors.As(err, &api) || api.ErrorCode() != "ExpiredIteratorException" {
		t.Errorf("an expired iterator: %v", err)
	}
}

// FuzzStreams: no body makes a Streams operation panic or answer
// anything but a JSON object; iterators and ARNs are the client's to
// forge.
func FuzzStreams(f *testing.F) {
	f.Add("GetRecords", `{"ShardIterator":"djF8MHwwfDIwMjYtMDEtMDFUMDA6MDA6MDAuMDAwfG9yZGVycw","Limit":5}`)
	f.Add("GetShardIterator", `{"StreamArn":"arn:aws:dynamodb:us-east-1:000000000000:table/orders/stream/2026-01-01T00:00:00.000","ShardId":"shardId-00000000000000000000-00000000","ShardIteratorType":"AT_SEQUENCE_NUMBER","SequenceNumber":"100000000000000000000"}`)
	f.Add("DescribeStream", `{"StreamArn":"arn:aws:dynamodb:us-east-1:000000000000:table/orders/stream/2026-01-01T00:00:00.000","Limit":1,"ShardFilter":{"Type":"CHILD_SHARDS","ShardId":"x"}}`)
	f.Add("ListStreams", `{"TableName":"orders","Limit":1,"ExclusiveStartStreamArn":"a"}`)
	s, clock := newTestServer(f, Config{})
	post(f, s, "CreateTable", ordersTable)
	clock.Advance(2 * time.Minute)
	post(f, s, "PutItem", `{"TableName":"orders","Item":{"pk":{"S":"a"},"sk":{"N":"1"}}}`)
	f.Fuzz(func(t *testing.T, op, body string) {
		req := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(body))
		req.Header.Set("X-Amz-Target", "DynamoDBStreams_20120810."+op)
		w := httptest.NewRecorder()
		s.ServeHTTP(w, req)
		if w.Code == 500 || !strings.HasPrefix(w.Body.String(), "{") {
			t.Fatalf("%s %q: %d %s", op, body, w.Code, w.Body)
		}
	})
}
