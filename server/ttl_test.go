package server

import (
	"fmt"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/aws-sdk-go-v2/service/dynamodbstreams"
	stypes "github.com/aws/aws-sdk-go-v2/service/dynamodbstreams/types"

	"github.com/ddbsim/ddbsim/scenarios"
	"github.com/ddbsim/ddbsim/sim"
)

const ttlScenario = `version: 1
name: ttl-serve
duration: 1h
service:
  ttl_delete_within: 2m
tables:
  - name: sessions
    partition_key: pk
    mode: on-demand
    ttl: {attribute: exp, expire_after: 1h}
    stream:
      view: new_and_old_images
  - name: bg
    partition_key: id
    mode: on-demand
    items: {count: 10, size: 1KB}
workloads:
  - name: idle
    table: bg
    rate: 1/s
    mix: {get: 100%}
`

// unitsBy is the read and write units table name has consumed.
func unitsBy(t *testing.T, s *Server, name string) (read, write float64) {
	t.Helper()
	if err := s.Do(func(sim.Time) {
		tb := s.tables[name]
		tt := tb.sess.tap.table(tb.index)
		read, write = tt.read, tt.write
	}); err != nil {
		t.Fatal(err)
	}
	return read, write
}

// A scenario table's TTL deletes an item whose TTL attribute is a Number
// of epoch seconds in the past, not at once but within the scenario's
// ttl_delete_within, free of write units, with a REMOVE record by the
// service; until then the item is read. Items with a later TTL, none, or
// one that is not a Number stay. Enabling TTL on another attribute finds
// the items already written with it.
func TestTTLDeletesExpiredItems(t *testing.T) {
	sc, err := scenarios.Parse("ttl.yaml", []byte(ttlScenario))
	if err != nil {
		t.Fatal(err)
	}
	x := newSDKSession(t, Config{Scenario: sc, Seed: 1}, 1)
	st := streamsClient(t, x)
	ls, err := st.ListStreams(x.ctx, nil)
	if err != nil || len(ls.Streams) != 1 {
		t.Fatalf("ListStreams: %v %v", ls, err)
	}
	arn := aws.ToString(ls.Streams[0].StreamArn)
	d, err := st.DescribeStream(x.ctx, &dynamodbstreams.DescribeStreamInput{StreamArn: aws.String(arn)})
	if err != nil {
		t.Fatal(err)
	}
	var shards []string
	for _, sh := range d.StreamDescription.Shards {
		shards = append(shards, aws.ToString(sh.ShardId))
	}
	now := x.clock.Now().Unix()
	put := func(pk string, attrs map[string]types.AttributeValue) {
		t.Helper()
		item := map[string]types.AttributeValue{"pk": &types.AttributeValueMemberS{Value: pk}}
		for k, v := range attrs {
			item[k] = v
		}
		if _, err := x.db.PutItem(x.ctx, &dynamodb.PutItemInput{TableName: aws.String("sessions"), Item: item}); err != nil {
			t.Fatal(err)
		}
	}
	num := func(n int64) types.AttributeValue { return &types.AttributeValueMemberN{Value: fmt.Sprint(n)} }
	put("expired", map[string]types.AttributeValue{"exp": num(now - 10)})
	put("later", map[string]types.AttributeValue{"exp": num(now + 3600)})
	put("none", nil)
	put("text", map[string]types.AttributeValue{"exp": &types.AttributeValueMemberS{Value: fmt.Sprint(now - 10)}})
	put("ancient", map[string]types.AttributeValue{"exp": num(now - 6*365*24*3600)})
	exists := func(pk string) bool {
		t.Helper()
		out, err := x.db.GetItem(x.ctx, &dynamodb.GetItemInput{TableName: aws.String("sessions"),
			Key: map[string]types.AttributeValue{"pk": &types.AttributeValueMemberS{Value: pk}}})
		if err != nil {
			t.Fatal(err)
		}
		return out.Item != nil
	}
	itemCount := func() int64 {
		t.Helper()
		out, err := x.db.DescribeTable(x.ctx, &dynamodb.DescribeTableInput{TableName: aws.String("sessions")})
		if err != nil {
			t.Fatal(err)
		}
		return aws.ToInt64(out.Table.ItemCount)
	}
	if !exists("expired") {
		t.Fatal("an expired item is gone at once; the service reads it until its deletion")
	}
	count := itemCount()
	_, write := unitsBy(t, x.s, "sessions")
	// Second by second, for the 2 minutes of ttl_delete_within and a
	// sweep more: the expired item goes, the others stay.
	gone := -1
	for sec := 1; sec <= 125; sec++ {
		x.clock.Advance(time.Second)
		if gone < 0 && !exists("expired") {
			gone = sec
		}
	}
	t.Logf("the expired item was deleted %d s after it was written (ttl_delete_within 2m)", gone)
	if gone < 0 || gone > 122 {
		t.Fatalf("the expired item was deleted at %d s, want within 2 min (and a sweep)", gone)
	}
	for _, pk := range []string{"later", "none", "text", "ancient"} {
		if !exists(pk) {
			t.Errorf("item %s was deleted", pk)
		}
	}
	if _, w := unitsBy(t, x.s, "sessions"); w != write {
		t.Errorf("the TTL deletion consumed %v write units", w-write)
	}
	if n := itemCount(); n != count-1 {
		t.Errorf("ItemCount %d after the deletion, want %d", n, count-1)
	}
	recs, _, _ := readStream(t, x, st, arn, shards, stypes.ShardIteratorTypeTrimHorizon, 100)
	last := recs[len(recs)-1]
	if len(recs) != 6 || last.EventName != stypes.OperationTypeRemove || last.UserIdentity == nil ||
		aws.ToString(last.UserIdentity.Type) != "Service" || aws.ToString(last.UserIdentity.PrincipalId) != "dynamodb.amazonaws.com" ||
		attrS(last.Dynamodb.Keys, "pk") != "expired" || attrS(last.Dynamodb.OldImage, "exp") != fmt.Sprint(now-10) {
		t.Errorf("%d records, the last %+v %+v; want 6, a REMOVE of the expired item by the service", len(recs), last, last.UserIdentity)
	}
	for _, r := range recs[:len(recs)-1] {
		if r.UserIdentity != nil {
			t.Errorf("a client's write has a userIdentity: %+v", r)
		}
	}

	// TTL on another attribute: the items already holding it are found.
	put("other", map[string]types.AttributeValue{"exp2": num(now)})
	for _, spec := range []types.TimeToLiveSpecification{{AttributeName: aws.String("exp"), Enabled: aws.Bool(false)},
		{AttributeName: aws.String("exp2"), Enabled: aws.Bool(true)}} {
		if _, err := x.db.UpdateTimeToLive(x.ctx, &dynamodb.UpdateTimeToLiveInput{TableName: aws.String("sessions"), TimeToLiveSpecification: &spec}); err != nil {
			t.Fatal(err)
		}
	}
	// The next sweep finds it; the deletion follows within 2 minutes.
	for range 125 {
		x.clock.Advance(time.Second)
		exists("none")
	}
	if exists("other") || !exists("later") {
		t.Errorf("TTL on exp2: other exists %v (want false), later %v (want true)", exists("other"), exists("later"))
	}
}
