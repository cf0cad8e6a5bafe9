package server

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
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
	f.Add("", ``)
	f.Add("CreateTable", `{"TableName":"abc","AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"}],"KeySchema":[{"AttributeName":"pk","KeyType":"RANGE"}],"BillingMode":"PAY_PER_REQUEST"}`)
	s, _ := newTestServer(f, Config{})
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
