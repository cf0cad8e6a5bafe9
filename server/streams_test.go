package server

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
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
// view, and returns its stream's ARN and shards: one per partition, all
// open.
func streamTable(t *testing.T, x *sdkSession, st *dynamodbstreams.Client, name string, view types.StreamViewType) (arn string, shards []string) {
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
	if sd.StreamStatus != stypes.StreamStatusEnabled || string(sd.StreamViewType) != string(view) || len(sd.Shards) == 0 ||
		aws.ToString(sd.TableName) != name || len(sd.KeySchema) != 2 {
		t.Fatalf("DescribeStream: %+v", sd)
	}
	for _, sh := range sd.Shards {
		if sh.SequenceNumberRange.EndingSequenceNumber != nil || sh.ParentShardId != nil {
			t.Fatalf("a new table's shard %s is closed or has a parent", aws.ToString(sh.ShardId))
		}
		shards = append(shards, aws.ToString(sh.ShardId))
	}
	return aws.ToString(ls.Streams[0].StreamArn), shards
}

// shardRecord is a record and the shard it was read from.
type shardRecord struct {
	stypes.Record
	shard string
}

// readStream reads every shard from an iterator of typ and returns the
// records in sequence-number order, each shard's last NextShardIterator
// and the most records a call returned.
func readStream(t *testing.T, x *sdkSession, st *dynamodbstreams.Client, arn string, shards []string, typ stypes.ShardIteratorType, limit int32) ([]shardRecord, []*string, int) {
	t.Helper()
	iters := make([]*string, len(shards))
	for i, sh := range shards {
		iters[i] = iter(t, x, st, arn, sh, typ, "")
	}
	return readIters(t, x, st, shards, iters, limit)
}

func readIters(t *testing.T, x *sdkSession, st *dynamodbstreams.Client, shards []string, iters []*string, limit int32) ([]shardRecord, []*string, int) {
	t.Helper()
	var out []shardRecord
	most := 0
	nexts := make([]*string, len(shards))
	for i, it := range iters {
		recs, next, m := readAll(t, x, st, it, limit)
		for _, r := range recs {
			out = append(out, shardRecord{r, shards[i]})
		}
		nexts[i] = next
		most = max(most, m)
	}
	slices.SortFunc(out, func(a, b shardRecord) int {
		return strings.Compare(aws.ToString(a.Dynamodb.SequenceNumber), aws.ToString(b.Dynamodb.SequenceNumber))
	})
	return out, nexts, most
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
// returns the records, the last NextShardIterator and the most records
// a call returned.
func readAll(t *testing.T, x *sdkSession, st *dynamodbstreams.Client, it *string, limit int32) ([]stypes.Record, *string, int) {
	t.Helper()
	var recs []stypes.Record
	most := 0
	for {
		out, err := st.GetRecords(x.ctx, &dynamodbstreams.GetRecordsInput{ShardIterator: it, Limit: aws.Int32(limit)})
		if err != nil {
			t.Fatal(err)
		}
		most = max(most, len(out.Records))
		if len(out.Records) > int(limit) {
			t.Fatalf("GetRecords returned %d records for a limit of %d", len(out.Records), limit)
		}
		recs = append(recs, out.Records...)
		it = out.NextShardIterator
		if len(out.Records) == 0 || it == nil {
			return recs, it, most
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
	arn, shards := streamTable(t, x, st, "orders", types.StreamViewTypeNewAndOldImages)
	if !strings.HasPrefix(arn, "arn:aws:dynamodb:us-east-1:000000000000:table/orders/stream/") || !strings.HasPrefix(shards[0], "shardId-") {
		t.Fatalf("ARN %s, shards %s", arn, shards)
	}
	t.Logf("%d shards: %s ...", len(shards), shards[0])
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

	recs, nexts, most := readStream(t, x, st, arn, shards, stypes.ShardIteratorTypeTrimHorizon, 2)
	type want struct{ name, pk, sk, oldStatus, newStatus string }
	wants := []want{
		{"INSERT", "c1", "1", "", "open"},
		{"MODIFY", "c1", "1", "open", "paid"},
		{"REMOVE", "c1", "1", "paid", ""},
		{"INSERT", "c2", "1", "", ""},
		{"INSERT", "c2", "2", "", ""},
		{"MODIFY", "c2", "1", "", "sent"},
	}
	if len(recs) != len(wants) || most != 2 {
		t.Fatalf("%d records, at most %d a call of Limit 2; want %d, and 2: %+v", len(recs), most, len(wants), recs)
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

	// An item's records are in one shard.
	if recs[0].shard != recs[1].shard || recs[1].shard != recs[2].shard {
		t.Errorf("the records of one item in shards %s, %s, %s", recs[0].shard, recs[1].shard, recs[2].shard)
	}

	// LATEST and the end of the shards: nothing until the next write.
	latest := make([]*string, len(shards))
	for i, sh := range shards {
		latest[i] = iter(t, x, st, arn, sh, stypes.ShardIteratorTypeLatest, "")
	}
	if more, _, _ := readIters(t, x, st, shards, latest, 100); len(more) != 0 {
		t.Errorf("LATEST read %d records before any write", len(more))
	}
	x.put(t, "orders", order{Customer: "c3", ID: 1})
	if more, _, _ := readIters(t, x, st, shards, latest, 100); len(more) != 1 || attrS(more[0].Dynamodb.Keys, "pk") != "c3" {
		t.Errorf("LATEST then a put: %+v", more)
	}
	if more, _, _ := readIters(t, x, st, shards, nexts, 100); len(more) != 1 {
		t.Errorf("the last NextShardIterators read %d records after a put, want 1", len(more))
	}
	// AT and AFTER a sequence number: the shard's records from it on.
	third := aws.ToString(recs[2].Dynamodb.SequenceNumber)
	var rest []string
	for _, r := range recs {
		if r.shard == recs[2].shard && aws.ToString(r.Dynamodb.SequenceNumber) >= third {
			rest = append(rest, aws.ToString(r.Dynamodb.SequenceNumber))
		}
	}
	at, _, _ := readAll(t, x, st, iter(t, x, st, arn, recs[2].shard, stypes.ShardIteratorTypeAtSequenceNumber, third), 1000)
	after, _, _ := readAll(t, x, st, iter(t, x, st, arn, recs[2].shard, stypes.ShardIteratorTypeAfterSequenceNumber, third), 1000)
	seqs := func(rs []stypes.Record) (out []string) {
		for _, r := range rs {
			out = append(out, aws.ToString(r.Dynamodb.SequenceNumber))
		}
		return out
	}
	// The put of c3 may have gone to the same shard.
	if got := seqs(at); len(got) < len(rest) || !slices.Equal(got[:len(rest)], rest) {
		t.Errorf("AT %s: %v, want %v first", third, got, rest)
	}
	if got := seqs(after); len(got) < len(rest)-1 || !slices.Equal(got[:len(rest)-1], rest[1:]) {
		t.Errorf("AFTER %s: %v, want %v first", third, got, rest[1:])
	}

	// GetRecords consumes nothing of the table.
	before := consumedBy(t, x.s, "orders")
	readStream(t, x, st, arn, shards, stypes.ShardIteratorTypeTrimHorizon, 1)
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
		{"GetShardIterator", `{"StreamArn":"` + arn + `","ShardId":"shardId-00000000000000000000-00000000-0000","ShardIteratorType":"LATEST"}`, "ResourceNotFoundException", "Shard does not exist"},
		{"GetShardIterator", `{"StreamArn":"` + arn + `","ShardId":"s","ShardIteratorType":"LATEST"}`, "ValidationException", "at 'shardId'"},
		{"GetShardIterator", `{"StreamArn":"` + missing + `","ShardId":"` + shard + `","ShardIteratorType":"LATEST"}`, "ResourceNotFoundException", "Stream: " + missing},
		{"GetRecords", `{"ShardIterator":"not an iterator"}`, "ValidationException", "Invalid ShardIterator"},
		{"GetRecords", `{"ShardIterator":"` + iterator{table: "x", label: "y", shard: 0, pos: 1, issued: 2}.String() + `"}`, "ResourceNotFoundException", "not found"},
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
	s.Do(func(now sim.Time) {
		s.tables["orders"].streamLog.shards[0].recs[0].at = now - streamRetention - sim.Second
	})
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
		stale = iterator{table: "orders", label: s.tables["orders"].streamLog.label, shard: 0, pos: 0, issued: now}.String()
	})
	if a := postStreams(t, s, "GetRecords", `{"ShardIterator":"`+stale+`"}`); a.errType() != "TrimmedDataAccessException" {
		t.Errorf("an iterator before the trim horizon: %s", a.raw)
	}
}

// The SDK surfaces an expired iterator as ExpiredIteratorException.
func TestStreamsSDKExpiredIterator(t *testing.T) {
	x := newSDKSession(t, Config{Seed: 1}, 1)
	st := streamsClient(t, x)
	arn, shards := streamTable(t, x, st, "keys", types.StreamViewTypeKeysOnly)
	it := iter(t, x, st, arn, shards[0], stypes.ShardIteratorTypeTrimHorizon, "")
	x.put(t, "keys", order{Customer: "c", ID: 1, Status: "x"})
	all, _, _ := readStream(t, x, st, arn, shards, stypes.ShardIteratorTypeTrimHorizon, 10)
	var recs []stypes.Record
	for _, r := range all {
		recs = append(recs, r.Record)
	}
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

// Shards follow the model's partitions: raising a table's capacity
// splits its partition, which closes its shard (an EndingSequenceNumber,
// no next iterator once read) and opens a child for each half; later
// writes go to the children, and CHILD_SHARDS finds them.
func TestStreamsShardsFollowSplits(t *testing.T) {
	x := newSDKSession(t, Config{Seed: 1}, 1)
	st := streamsClient(t, x)
	defs, keys := keySchema2("pk", "S", "sk", "N")
	x.create(t, &dynamodb.CreateTableInput{TableName: aws.String("grow"), AttributeDefinitions: defs, KeySchema: keys,
		BillingMode:           types.BillingModeProvisioned,
		ProvisionedThroughput: &types.ProvisionedThroughput{ReadCapacityUnits: aws.Int64(100), WriteCapacityUnits: aws.Int64(100)},
		StreamSpecification:   &types.StreamSpecification{StreamEnabled: aws.Bool(true), StreamViewType: types.StreamViewTypeNewImage}})
	ls, err := st.ListStreams(x.ctx, &dynamodbstreams.ListStreamsInput{})
	if err != nil || len(ls.Streams) != 1 {
		t.Fatalf("ListStreams: %v %v", ls, err)
	}
	arn := ls.Streams[0].StreamArn
	describe := func(filter *stypes.ShardFilter) []stypes.Shard {
		t.Helper()
		d, err := st.DescribeStream(x.ctx, &dynamodbstreams.DescribeStreamInput{StreamArn: arn, ShardFilter: filter})
		if err != nil {
			t.Fatal(err)
		}
		return d.StreamDescription.Shards
	}
	first := describe(nil)
	if len(first) != 1 {
		t.Fatalf("a 100 WCU table has %d shards, want 1", len(first))
	}
	parent := aws.ToString(first[0].ShardId)
	for i := range 10 {
		x.put(t, "grow", order{Customer: fmt.Sprint("c", i), ID: i})
	}
	if _, err := x.db.UpdateTable(x.ctx, &dynamodb.UpdateTableInput{TableName: aws.String("grow"),
		ProvisionedThroughput: &types.ProvisionedThroughput{ReadCapacityUnits: aws.Int64(100), WriteCapacityUnits: aws.Int64(1500)}}); err != nil {
		t.Fatal(err)
	}
	x.clock.Advance(5 * time.Minute)
	for i := 10; i < 20; i++ {
		x.put(t, "grow", order{Customer: fmt.Sprint("c", i), ID: i})
	}
	all := describe(nil)
	if len(all) < 3 || aws.ToString(all[0].ShardId) != parent || all[0].SequenceNumberRange.EndingSequenceNumber == nil {
		t.Fatalf("after the split: %d shards, the first %+v", len(all), all[0])
	}
	children := describe(&stypes.ShardFilter{Type: stypes.ShardFilterTypeChildShards, ShardId: aws.String(parent)})
	if len(children) != len(all)-1 {
		t.Errorf("CHILD_SHARDS of %s: %d, want %d", parent, len(children), len(all)-1)
	}
	var ids []string
	for _, c := range children {
		if aws.ToString(c.ParentShardId) != parent || c.SequenceNumberRange.EndingSequenceNumber != nil {
			t.Errorf("child %+v", c)
		}
		ids = append(ids, aws.ToString(c.ShardId))
	}
	t.Logf("the shard split into %d", len(ids))
	old, next, _ := readAll(t, x, st, iter(t, x, st, aws.ToString(arn), parent, stypes.ShardIteratorTypeTrimHorizon, ""), 100)
	if len(old) != 10 || next != nil {
		t.Errorf("the closed shard: %d records, next iterator %v; want 10, none", len(old), next)
	}
	young, _, _ := readStream(t, x, st, aws.ToString(arn), ids, stypes.ShardIteratorTypeTrimHorizon, 100)
	if len(young) != 10 {
		t.Errorf("the children hold %d records, want 10", len(young))
	}
}
