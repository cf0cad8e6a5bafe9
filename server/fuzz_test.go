package server

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// FuzzHandler: no target and body make the handler panic or answer
// anything but a JSON object with a status.
func FuzzHandler(f *testing.F) {
	f.Add("CreateTable", ordersTable)
	f.Add("DescribeTable", `{"TableName":"orders"}`)
	f.Add("UpdateTable", `{"TableName":"orders","BillingMode":"PAY_PER_REQUEST"}`)
	f.Add("UpdateTable", `{"TableName":"orders","ProvisionedThroughput":{"ReadCapacityUnits":1,"WriteCapacityUnits":1}}`)
	f.Add("ListTables", `{"Limit":1,"ExclusiveStartTableName":"a"}`)
	f.Add("UpdateTimeToLive", `{"TableName":"orders","TimeToLiveSpecification":{"AttributeName":"x","Enabled":true}}`)
	f.Add("DeleteTable", `{"TableName":"orders"}`)
	f.Add("GetItem", `{"TableName":"orders","Key":{"pk":{"S":"a"}}}`)
	f.Add("GetItem", `{"TableName":"orders","Key":{"pk":{"S":"a"},"sk":{"N":"1"}},"ProjectionExpression":"#a, b[1].c","ExpressionAttributeNames":{"#a":"a"}}`)
	f.Add("PutItem", `{"TableName":"orders","Item":{"pk":{"S":"a"},"sk":{"N":"1"},"status":{"S":"x"},"l":{"L":[{"M":{"c":{"NS":["1","2"]}}}]}},"ConditionExpression":"attribute_not_exists(pk) OR size(l) > :n","ExpressionAttributeValues":{":n":{"N":"3"}}}`)
	f.Add("UpdateItem", `{"TableName":"orders","Key":{"pk":{"S":"a"},"sk":{"N":"1"}},"UpdateExpression":"SET n = if_not_exists(n, :z) + :one REMOVE l[0] ADD s :s","ExpressionAttributeValues":{":z":{"N":"0"},":one":{"N":"1"},":s":{"SS":["q"]}},"ReturnValues":"UPDATED_NEW"}`)
	f.Add("DeleteItem", `{"TableName":"orders","Key":{"pk":{"S":"a"},"sk":{"N":"1"}},"Expected":{"status":{"Value":{"S":"x"}}},"ReturnValues":"ALL_OLD"}`)
	f.Add("Query", `{"TableName":"orders","KeyConditionExpression":"pk = :p AND sk BETWEEN :a AND :b","ExpressionAttributeValues":{":p":{"S":"a"},":a":{"N":"0"},":b":{"N":"9"}},"Limit":2,"ScanIndexForward":false}`)
	f.Add("Query", `{"TableName":"orders","IndexName":"by-status","KeyConditions":{"status":{"ComparisonOperator":"EQ","AttributeValueList":[{"S":"x"}]}},"Select":"COUNT"}`)
	f.Add("Scan", `{"TableName":"orders","Segment":1,"TotalSegments":3,"FilterExpression":"contains(#s, :v)","ExpressionAttributeNames":{"#s":"status"},"ExpressionAttributeValues":{":v":{"S":"x"}}}`)
	f.Add("BatchWriteItem", `{"RequestItems":{"orders":[{"PutRequest":{"Item":{"pk":{"S":"b"},"sk":{"N":"2"}}}},{"DeleteRequest":{"Key":{"pk":{"S":"a"},"sk":{"N":"1"}}}}]}}`)
	f.Add("BatchGetItem", `{"RequestItems":{"orders":{"Keys":[{"pk":{"S":"b"},"sk":{"N":"2"}}],"ConsistentRead":true}}}`)
	f.Add("TransactWriteItems", `{"TransactItems":[{"Put":{"TableName":"orders","Item":{"pk":{"S":"c"},"sk":{"N":"3"}}}},{"ConditionCheck":{"TableName":"orders","Key":{"pk":{"S":"b"},"sk":{"N":"2"}},"ConditionExpression":"attribute_exists(pk)"}}]}`)
	f.Add("TransactGetItems", `{"TransactItems":[{"Get":{"TableName":"orders","Key":{"pk":{"S":"c"},"sk":{"N":"3"}}}}]}`)
	f.Add("", ``)
	f.Add("CreateTable", `{"TableName":"abc","AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"}],"KeySchema":[{"AttributeName":"pk","KeyType":"RANGE"}],"BillingMode":"PAY_PER_REQUEST"}`)
	s, clock := newTestServer(f, Config{})
	// A table to work on, past CREATING.
	if a := post(f, s, "CreateTable", ordersTable); a.status != 200 {
		f.Fatalf("CreateTable: %s", a.raw)
	}
	clock.Advance(3 * time.Minute)
	f.Fuzz(func(t *testing.T, op, body string) {
		req := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(body))
		req.Header.Set("X-Amz-Target", "DynamoDB_20120810."+op)
		w := httptest.NewRecorder()
		s.ServeHTTP(w, req)
		if w.Code == 500 || !strings.HasPrefix(w.Body.String(), "{") {
			t.Fatalf("%s %q: %d %s", op, body, w.Code, w.Body)
		}
	})
}
