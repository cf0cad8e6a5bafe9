package server

import (
	"bytes"
	"encoding/json"
	"fmt"
	"hash/crc32"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ddbsim/ddbsim/scenarios"
	"github.com/ddbsim/ddbsim/sim"
)

// fakeClock is a wall clock the test moves.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

func newTestServer(t testing.TB, cfg Config) (*Server, *fakeClock) {
	t.Helper()
	clock := &fakeClock{t: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	cfg.Now = clock.Now
	cfg.NoLatency = true
	s, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s, clock
}

type answer struct {
	status int
	header http.Header
	raw    []byte
	body   map[string]any
}

// errType is the exception's name without its namespace.
func (a answer) errType() string {
	s, _ := a.body["__type"].(string)
	return s[strings.LastIndexByte(s, '#')+1:]
}

func post(t testing.TB, h http.Handler, op, body string) answer {
	t.Helper()
	req := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(body))
	req.Header.Set("X-Amz-Target", "DynamoDB_20120810."+op)
	req.Header.Set("Content-Type", contentType)
	req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=00")
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	a := answer{status: w.Code, header: w.Header(), raw: w.Body.Bytes()}
	if err := json.Unmarshal(a.raw, &a.body); err != nil {
		t.Fatalf("%s: the answer is not a JSON object: %v\n%s", op, err, a.raw)
	}
	return a
}

// get walks a decoded JSON answer: get(m, "Table", "TableStatus").
func get(v any, path ...string) any {
	for _, p := range path {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[p]
	}
	return v
}

const ordersTable = `{"TableName":"orders",
 "AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"},{"AttributeName":"sk","AttributeType":"N"},
   {"AttributeName":"status","AttributeType":"S"},{"AttributeName":"placed","AttributeType":"N"}],
 "KeySchema":[{"AttributeName":"pk","KeyType":"HASH"},{"AttributeName":"sk","KeyType":"RANGE"}],
 "ProvisionedThroughput":{"ReadCapacityUnits":10,"WriteCapacityUnits":5},
 "GlobalSecondaryIndexes":[{"IndexName":"by-status","KeySchema":[{"AttributeName":"status","KeyType":"HASH"}],
   "Projection":{"ProjectionType":"KEYS_ONLY"},"ProvisionedThroughput":{"ReadCapacityUnits":4,"WriteCapacityUnits":3}}],
 "LocalSecondaryIndexes":[{"IndexName":"by-placed","KeySchema":[{"AttributeName":"pk","KeyType":"HASH"},{"AttributeName":"placed","KeyType":"RANGE"}],
   "Projection":{"ProjectionType":"ALL"}}],
 "StreamSpecification":{"StreamEnabled":true,"StreamViewType":"NEW_IMAGE"}}`

func describe(t *testing.T, s *Server, name string) answer {
	t.Helper()
	a := post(t, s, "DescribeTable", `{"TableName":"`+name+`"}`)
	if a.status != 200 {
		t.Fatalf("DescribeTable %s: %d %s", name, a.status, a.raw)
	}
	return a
}

// The control plane round trip: a table is CREATING for the update delay,
// then ACTIVE; a capacity change is UPDATING for the delay, then in
// effect; TTL, billing mode and deletion as the service answers them.
func TestControlPlaneRoundTrip(t *testing.T) {
	s, clock := newTestServer(t, Config{Seed: 1})
	a := post(t, s, "CreateTable", ordersTable)
	if a.status != 200 || get(a.body, "TableDescription", "TableStatus") != "CREATING" {
		t.Fatalf("CreateTable: %d %s", a.status, a.raw)
	}
	if got := get(a.body, "TableDescription", "TableArn"); got != "arn:aws:dynamodb:us-east-1:000000000000:table/orders" {
		t.Errorf("TableArn %v", got)
	}
	if a := post(t, s, "CreateTable", ordersTable); a.errType() != "ResourceInUseException" || a.body["message"] != "Table already exists: orders" {
		t.Errorf("a second CreateTable: %d %s", a.status, a.raw)
	}
	clock.Advance(119 * time.Second)
	if st := get(describe(t, s, "orders").body, "Table", "TableStatus"); st != "CREATING" {
		t.Fatalf("after 119 s: %v", st)
	}
	if a := post(t, s, "UpdateTable", `{"TableName":"orders","ProvisionedThroughput":{"ReadCapacityUnits":20,"WriteCapacityUnits":5}}`); a.errType() != "ResourceInUseException" {
		t.Errorf("UpdateTable while CREATING: %s", a.raw)
	}
	clock.Advance(time.Second)
	d := describe(t, s, "orders").body
	for path, want := range map[string]any{
		"TableStatus": "ACTIVE", "ProvisionedThroughput.ReadCapacityUnits": 10.0, "ProvisionedThroughput.WriteCapacityUnits": 5.0,
		"ProvisionedThroughput.NumberOfDecreasesToday": 0.0, "BillingModeSummary.BillingMode": "PROVISIONED",
		"ItemCount": 0.0, "TableSizeBytes": 0.0, "StreamSpecification.StreamViewType": "NEW_IMAGE",
		"TableClassSummary.TableClass": "STANDARD", "WarmThroughput.ReadUnitsPerSecond": 10.0,
	} {
		if got := get(d, append([]string{"Table"}, strings.Split(path, ".")...)...); got != want {
			t.Errorf("%s = %v, want %v", path, got, want)
		}
	}
	gsi := get(d, "Table", "GlobalSecondaryIndexes").([]any)[0]
	if get(gsi, "IndexStatus") != "ACTIVE" || get(gsi, "ProvisionedThroughput", "ReadCapacityUnits") != 4.0 {
		t.Errorf("the GSI: %v", gsi)
	}
	if arn, _ := get(d, "Table", "LatestStreamArn").(string); !strings.HasPrefix(arn, "arn:aws:dynamodb:us-east-1:000000000000:table/orders/stream/2026-01-01T00:00:00") {
		t.Errorf("LatestStreamArn %q", arn)
	}

	// An increase beyond the warm throughput takes the update delay.
	a = post(t, s, "UpdateTable", `{"TableName":"orders","ProvisionedThroughput":{"ReadCapacityUnits":200,"WriteCapacityUnits":5}}`)
	if a.status != 200 || get(a.body, "TableDescription", "TableStatus") != "UPDATING" {
		t.Fatalf("UpdateTable: %s", a.raw)
	}
	clock.Advance(2 * time.Minute)
	d = describe(t, s, "orders").body
	if get(d, "Table", "TableStatus") != "ACTIVE" || get(d, "Table", "ProvisionedThroughput", "ReadCapacityUnits") != 200.0 {
		t.Fatalf("after the delay: %v", get(d, "Table"))
	}
	if get(d, "Table", "ProvisionedThroughput", "LastIncreaseDateTime") == nil {
		t.Error("no LastIncreaseDateTime")
	}
	a = post(t, s, "UpdateTable", `{"TableName":"orders","ProvisionedThroughput":{"ReadCapacityUnits":200,"WriteCapacityUnits":5}}`)
	if a.errType() != "ValidationException" || !strings.HasPrefix(a.body["message"].(string), "The provisioned throughput for the table will not change") {
		t.Errorf("an unchanged UpdateTable: %s", a.raw)
	}
	// Four decreases a day, then one an hour.
	for i := range 4 {
		a = post(t, s, "UpdateTable", fmt.Sprintf(`{"TableName":"orders","ProvisionedThroughput":{"ReadCapacityUnits":%d,"WriteCapacityUnits":5}}`, 100-i))
		if a.status != 200 {
			t.Fatalf("decrease %d: %s", i+1, a.raw)
		}
		clock.Advance(2 * time.Minute)
	}
	if n := get(describe(t, s, "orders").body, "Table", "ProvisionedThroughput", "NumberOfDecreasesToday"); n != 4.0 {
		t.Errorf("NumberOfDecreasesToday = %v, want 4", n)
	}
	a = post(t, s, "UpdateTable", `{"TableName":"orders","ProvisionedThroughput":{"ReadCapacityUnits":50,"WriteCapacityUnits":5}}`)
	if a.errType() != "LimitExceededException" {
		t.Errorf("a fifth decrease within the hour: %s", a.raw)
	}
	// On demand, then billing mode in the summary.
	a = post(t, s, "UpdateTable", `{"TableName":"orders","BillingMode":"PAY_PER_REQUEST"}`)
	if a.status != 200 {
		t.Fatalf("switch to on-demand: %s", a.raw)
	}
	clock.Advance(2 * time.Minute)
	d = describe(t, s, "orders").body
	if get(d, "Table", "BillingModeSummary", "BillingMode") != "PAY_PER_REQUEST" || get(d, "Table", "BillingModeSummary", "LastUpdateToPayPerRequestDateTime") == nil {
		t.Errorf("after the switch: %v", get(d, "Table", "BillingModeSummary"))
	}
	if get(d, "Table", "ProvisionedThroughput", "ReadCapacityUnits") != 0.0 {
		t.Errorf("an on-demand table reports provisioned reads %v", get(d, "Table", "ProvisionedThroughput"))
	}
	if gsi := get(d, "Table", "GlobalSecondaryIndexes").([]any)[0]; get(gsi, "ProvisionedThroughput", "ReadCapacityUnits") != 0.0 {
		t.Errorf("the GSI did not switch with its table: %v", gsi)
	}
	a = post(t, s, "UpdateTable", `{"TableName":"orders","BillingMode":"PROVISIONED","ProvisionedThroughput":{"ReadCapacityUnits":5,"WriteCapacityUnits":5}}`)
	if a.errType() != "ValidationException" || !strings.Contains(a.body["message"].(string), "ProvisionedThroughput must be specified for index: by-status") {
		t.Errorf("back to provisioned without the index's capacity: %s", a.raw)
	}

	// Time to live.
	if a := post(t, s, "DescribeTimeToLive", `{"TableName":"orders"}`); get(a.body, "TimeToLiveDescription", "TimeToLiveStatus") != "DISABLED" {
		t.Errorf("DescribeTimeToLive: %s", a.raw)
	}
	if a := post(t, s, "UpdateTimeToLive", `{"TableName":"orders","TimeToLiveSpecification":{"AttributeName":"expires","Enabled":true}}`); a.status != 200 ||
		get(a.body, "TimeToLiveSpecification", "AttributeName") != "expires" {
		t.Errorf("UpdateTimeToLive: %s", a.raw)
	}
	if a := post(t, s, "UpdateTimeToLive", `{"TableName":"orders","TimeToLiveSpecification":{"AttributeName":"expires","Enabled":true}}`); a.body["message"] != "TimeToLive is already enabled" {
		t.Errorf("enabling twice: %s", a.raw)
	}
	if a := post(t, s, "DescribeTimeToLive", `{"TableName":"orders"}`); get(a.body, "TimeToLiveDescription", "AttributeName") != "expires" {
		t.Errorf("DescribeTimeToLive: %s", a.raw)
	}

	// Deletion.
	a = post(t, s, "DeleteTable", `{"TableName":"orders"}`)
	if a.status != 200 || get(a.body, "TableDescription", "TableStatus") != "DELETING" {
		t.Fatalf("DeleteTable: %s", a.raw)
	}
	a = post(t, s, "DescribeTable", `{"TableName":"orders"}`)
	if a.status != 400 || a.errType() != "ResourceNotFoundException" || a.body["message"] != "Requested resource not found: Table: orders not found" {
		t.Errorf("DescribeTable after deletion: %d %s", a.status, a.raw)
	}
	if got := a.body["__type"]; got != "com.amazonaws.dynamodb.v20120810#ResourceNotFoundException" {
		t.Errorf("__type %v", got)
	}
}

// CreateTable refuses what the service refuses, with its messages.
func TestCreateTableValidation(t *testing.T) {
	s, _ := newTestServer(t, Config{})
	for _, tt := range []struct{ body, typ, msg string }{
		{`{"TableName":"ab"}`, "ValidationException", "Member must have length greater than or equal to 3"},
		{`{"TableName":"a b c"}`, "ValidationException", "regular expression pattern"},
		{`{"TableName":"abc","AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"}],"KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}]}`,
			"ValidationException", "ReadCapacityUnits and WriteCapacityUnits must both be specified"},
		{`{"TableName":"abc","BillingMode":"PAY_PER_REQUEST","ProvisionedThroughput":{"ReadCapacityUnits":1,"WriteCapacityUnits":1},"AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"}],"KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}]}`,
			"ValidationException", "Neither ReadCapacityUnits nor WriteCapacityUnits"},
		{`{"TableName":"abc","BillingMode":"PAY_PER_REQUEST","AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"X"}],"KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}]}`,
			"ValidationException", "enum value set: [B, N, S]"},
		{`{"TableName":"abc","BillingMode":"PAY_PER_REQUEST","AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"}],"KeySchema":[{"AttributeName":"other","KeyType":"HASH"}]}`,
			"ValidationException", "not defined in AttributeDefinitions"},
		{`{"TableName":"abc","BillingMode":"PAY_PER_REQUEST","AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"},{"AttributeName":"x","AttributeType":"S"}],"KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}]}`,
			"ValidationException", "does not exactly match"},
		{`{"TableName":"abc","BillingMode":"PAY_PER_REQUEST","AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"},{"AttributeName":"x","AttributeType":"S"}],"KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}],
		  "LocalSecondaryIndexes":[{"IndexName":"lsi","KeySchema":[{"AttributeName":"pk","KeyType":"HASH"},{"AttributeName":"x","KeyType":"RANGE"}],"Projection":{"ProjectionType":"ALL"}}]}`,
			"ValidationException", "does not have a range key"},
		{`{"TableName":"abc","BillingMode":"PROVISIONED","ProvisionedThroughput":{"ReadCapacityUnits":0,"WriteCapacityUnits":1},"AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"}],"KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}]}`,
			"ValidationException", "at least 1"},
		{`{"TableName":7}`, "SerializationException", ""},
		{`{"TableName":"abc"`, "SerializationException", ""},
	} {
		a := post(t, s, "CreateTable", tt.body)
		if a.status != 400 || a.errType() != tt.typ || !strings.Contains(fmt.Sprint(a.body["message"]), tt.msg) {
			t.Errorf("%s\n  -> %d %s; want %s containing %q", tt.body, a.status, a.raw, tt.typ, tt.msg)
		}
	}
}

// ListTables pages through the names in order.
func TestListTablesPaginates(t *testing.T) {
	s, _ := newTestServer(t, Config{})
	for _, n := range []string{"eee", "bbb", "aaa", "ddd", "ccc"} {
		if a := post(t, s, "CreateTable", `{"TableName":"`+n+`","BillingMode":"PAY_PER_REQUEST","AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"}],"KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}]}`); a.status != 200 {
			t.Fatal(string(a.raw))
		}
	}
	var pages []string
	start := ""
	for {
		body := `{"Limit":2}`
		if start != "" {
			body = `{"Limit":2,"ExclusiveStartTableName":"` + start + `"}`
		}
		a := post(t, s, "ListTables", body)
		pages = append(pages, fmt.Sprint(a.body["TableNames"]))
		last, _ := a.body["LastEvaluatedTableName"].(string)
		if last == "" {
			break
		}
		start = last
	}
	if got := strings.Join(pages, " "); got != "[aaa bbb] [ccc ddd] [eee]" {
		t.Errorf("pages %s", got)
	}
	if a := post(t, s, "ListTables", `{"Limit":0}`); a.errType() != "ValidationException" {
		t.Errorf("Limit 0: %s", a.raw)
	}
	if a := post(t, s, "ListTables", ``); fmt.Sprint(a.body["TableNames"]) != "[aaa bbb ccc ddd eee]" {
		t.Errorf("an empty body: %s", a.raw)
	}
}

func TestLimitsAndEndpoints(t *testing.T) {
	s, _ := newTestServer(t, Config{})
	if a := post(t, s, "DescribeLimits", `{}`); a.body["TableMaxWriteCapacityUnits"] != 40000.0 || a.body["AccountMaxReadCapacityUnits"] != 80000.0 {
		t.Errorf("DescribeLimits: %s", a.raw)
	}
	if a := post(t, s, "DescribeEndpoints", `{}`); get(a.body["Endpoints"].([]any)[0], "Address") != "example.com" {
		t.Errorf("DescribeEndpoints: %s", a.raw)
	}
}

// Unknown targets, operations not yet served (Streams), oversized bodies:
// each a clear error with the service's shape.
func TestEdgeErrors(t *testing.T) {
	s, _ := newTestServer(t, Config{})
	a := post(t, s, "Frobnicate", `{}`)
	if a.status != 400 || a.body["__type"] != "com.amazon.coral.service#UnknownOperationException" {
		t.Errorf("unknown operation: %d %s", a.status, a.raw)
	}
	a = post(t, s, "GetItem", `{}`)
	if a.status != 400 || a.errType() != "ValidationException" || !strings.Contains(a.body["message"].(string), "tableName") {
		t.Errorf("GetItem without a table: %d %s", a.status, a.raw)
	}
	req := httptest.NewRequest(http.MethodPost, "/", bytes.NewReader(make([]byte, MaxBodyBytes+1)))
	req.Header.Set("X-Amz-Target", "DynamoDB_20120810.ListTables")
	w := httptest.NewRecorder()
	s.ServeHTTP(w, req)
	if w.Code != http.StatusRequestEntityTooLarge || !strings.Contains(w.Body.String(), "ValidationException") {
		t.Errorf("an oversized body: %d %s", w.Code, w.Body)
	}
	req = httptest.NewRequest(http.MethodGet, "/health", nil)
	w = httptest.NewRecorder()
	s.ServeHTTP(w, req)
	if w.Code != 200 || w.Body.String() != "ok\n" {
		t.Errorf("/health: %d %q", w.Code, w.Body)
	}
	req = httptest.NewRequest(http.MethodDelete, "/", nil)
	w = httptest.NewRecorder()
	s.ServeHTTP(w, req)
	if w.Code != 404 {
		t.Errorf("DELETE /: %d", w.Code)
	}
}

// Every answer carries x-amzn-RequestId and the CRC32 of its body, which
// the SDKs check.
func TestResponseHeaders(t *testing.T) {
	s, _ := newTestServer(t, Config{})
	for _, op := range []string{"ListTables", "DescribeTable", "Nope"} {
		a := post(t, s, op, `{"TableName":"missing"}`)
		want := strconv.FormatUint(uint64(crc32.ChecksumIEEE(a.raw)), 10)
		if got := a.header.Get("X-Amz-Crc32"); got != want {
			t.Errorf("%s: x-amz-crc32 %s, want %s", op, got, want)
		}
		if id := a.header.Get("X-Amzn-Requestid"); !regexp.MustCompile(`^[0-9A-F]{52}$`).MatchString(id) {
			t.Errorf("%s: x-amzn-RequestId %q", op, id)
		}
		if ct := a.header.Get("Content-Type"); ct != contentType {
			t.Errorf("%s: content type %q", op, ct)
		}
	}
}

func background(t testing.TB) *scenarios.Scenario {
	sc, err := scenarios.Builtin(scenarios.DefaultName)
	if err != nil {
		t.Fatal(err)
	}
	return sc
}

// /metrics is Prometheus' text format: HELP and TYPE for each family,
// then samples, with the scenario's background traffic counted.
func TestMetricsFormat(t *testing.T) {
	s, clock := newTestServer(t, Config{Scenario: background(t), Seed: 1})
	post(t, s, "ListTables", `{}`)
	clock.Advance(30 * time.Second)
	req := httptest.NewRequest(http.MethodGet, "/metrics", nil)
	w := httptest.NewRecorder()
	s.ServeHTTP(w, req)
	text := w.Body.String()
	if w.Code != 200 || !strings.HasPrefix(w.Header().Get("Content-Type"), "text/plain; version=0.0.4") {
		t.Fatalf("/metrics: %d %s", w.Code, w.Header())
	}
	sample := regexp.MustCompile(`^[a-z_]+(\{([a-z_]+="([^"\\]|\\.)*"(,[a-z_]+="([^"\\]|\\.)*")*)?\})? [-+0-9.eInf]+$`)
	for _, line := range strings.Split(strings.TrimSuffix(text, "\n"), "\n") {
		if strings.HasPrefix(line, "# HELP ") || strings.HasPrefix(line, "# TYPE ") {
			continue
		}
		if !sample.MatchString(line) {
			t.Errorf("not a sample line: %q", line)
		}
	}
	for _, want := range []string{
		"# TYPE ddbsim_consumed_write_capacity_units_total counter",
		`ddbsim_provisioned_read_capacity_units{table="`,
		`ddbsim_requests_total{table="`,
		`ddbsim_request_latency_seconds_bucket{table="`,
		`le="+Inf"}`,
		`ddbsim_api_requests_total{operation="ListTables",table="",index="",code="ok"} 1`,
		"ddbsim_virtual_time_seconds 30",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("/metrics lacks %q", want)
		}
	}
}

// A scenario's tables are served: described, listed, not deletable.
func TestScenarioTables(t *testing.T) {
	sc := background(t)
	s, _ := newTestServer(t, Config{Scenario: sc, Seed: 1})
	name := sc.Tables[0].Name
	d := describe(t, s, name).body
	if get(d, "Table", "TableStatus") != "ACTIVE" {
		t.Errorf("the scenario's table: %v", get(d, "Table"))
	}
	if a := post(t, s, "DeleteTable", `{"TableName":"`+name+`"}`); a.errType() != "ResourceInUseException" {
		t.Errorf("DeleteTable of a scenario table: %s", a.raw)
	}
	if a := post(t, s, "CreateTable", `{"TableName":"`+name+`","BillingMode":"PAY_PER_REQUEST","AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"}],"KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}]}`); a.errType() != "ResourceInUseException" {
		t.Errorf("CreateTable over a scenario table: %s", a.raw)
	}
}

// Many clients at once: every call answered, no race (go test -race).
func TestConcurrentClients(t *testing.T) {
	s, clock := newTestServer(t, Config{Scenario: background(t), Seed: 1})
	srv := httptest.NewServer(s)
	defer srv.Close()
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for g := range 32 {
		wg.Go(func() {
			name := fmt.Sprintf("t%03d", g)
			for i := range 10 {
				op, body := "DescribeTable", `{"TableName":"`+name+`"}`
				switch i {
				case 0:
					op, body = "CreateTable", `{"TableName":"`+name+`","BillingMode":"PAY_PER_REQUEST","AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"}],"KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}]}`
				case 5:
					op, body = "ListTables", `{}`
				}
				req, _ := http.NewRequest(http.MethodPost, srv.URL, strings.NewReader(body))
				req.Header.Set("X-Amz-Target", "DynamoDB_20120810."+op)
				resp, err := srv.Client().Do(req)
				if err != nil {
					errs <- err
					return
				}
				resp.Body.Close()
				if resp.StatusCode != 200 {
					errs <- fmt.Errorf("%s %s: %d", op, name, resp.StatusCode)
				}
				clock.Advance(time.Millisecond)
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	out, err := s.Close()
	if err != nil || len(out) != 33 {
		t.Fatalf("Close: %d outputs, %v", len(out), err)
	}
}

// Close ends every simulation at the virtual time reached and returns
// its result; calls after it are refused.
func TestCloseReturnsResults(t *testing.T) {
	s, clock := newTestServer(t, Config{Scenario: background(t), Seed: 1, TimeScale: 60})
	post(t, s, "CreateTable", `{"TableName":"later","BillingMode":"PAY_PER_REQUEST","AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"}],"KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}]}`)
	clock.Advance(2 * time.Second) // two virtual minutes
	post(t, s, "CreateTable", `{"TableName":"gone","BillingMode":"PAY_PER_REQUEST","AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"}],"KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}]}`)
	clock.Advance(3 * time.Second)
	post(t, s, "DeleteTable", `{"TableName":"gone"}`)
	clock.Advance(time.Second)
	out, err := s.Close()
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]float64{}
	for _, o := range out {
		got[o.Dir] = o.Result.DurationS
		if !o.Result.Complete {
			t.Errorf("%q: incomplete", o.Dir)
		}
	}
	want := map[string]float64{"": 360, "tables/later": 360, "tables/gone": 180}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("durations %v, want %v", got, want)
	}
	if a := post(t, s, "ListTables", `{}`); a.status != 503 {
		t.Errorf("a call after Close: %d %s", a.status, a.raw)
	}
	if _, err := s.Close(); err != ErrClosed {
		t.Errorf("a second Close: %v", err)
	}
}

// The session is deterministic: the same calls at the same times give
// the same answers and results.
func TestSameArrivalsSameResults(t *testing.T) {
	run := func() string {
		s, clock := newTestServer(t, Config{Scenario: background(t), Seed: 3})
		var b strings.Builder
		for i := range 5 {
			a := post(t, s, "CreateTable", fmt.Sprintf(`{"TableName":"tbl%d","ProvisionedThroughput":{"ReadCapacityUnits":5,"WriteCapacityUnits":5},"AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"}],"KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}]}`, i))
			delete(a.body["TableDescription"].(map[string]any), "CreationDateTime")
			fmt.Fprintln(&b, a.body)
			clock.Advance(time.Duration(i) * 7 * time.Second)
		}
		out, err := s.Close()
		if err != nil {
			t.Fatal(err)
		}
		for _, o := range out {
			js, _ := json.Marshal(o.Result)
			b.Write(js)
		}
		return b.String()
	}
	if first, second := run(), run(); first != second {
		t.Error("two sessions with the same arrivals differ")
	}
}

// The session ends at its horizon: Done closes, the clock stops there.
func TestHorizon(t *testing.T) {
	s, clock := newTestServer(t, Config{Duration: time.Minute, TimeScale: 1000})
	clock.Advance(time.Hour)
	post(t, s, "ListTables", `{}`)
	if s.clock.Seconds() != 60 {
		t.Errorf("clock %v past the horizon", s.clock)
	}
	select {
	case <-s.Done():
	case <-time.After(5 * time.Second):
		t.Error("Done did not close at the horizon (60 ms of wall time)")
	}
}

// A session creates a bounded number of tables, fewer the longer it is.
func TestTableLimit(t *testing.T) {
	s, _ := newTestServer(t, Config{Duration: 24 * time.Hour})
	for i := range minTables + 1 {
		a := post(t, s, "CreateTable", fmt.Sprintf(`{"TableName":"tbl%d","BillingMode":"PAY_PER_REQUEST","AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"}],"KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}]}`, i))
		if (i < minTables) != (a.status == 200) {
			t.Fatalf("table %d: %d %s", i+1, a.status, a.raw)
		}
		if i == minTables && a.errType() != "LimitExceededException" {
			t.Errorf("over the limit: %s", a.raw)
		}
	}
}

// Lookup gives the data plane a table once it is ACTIVE, at its own
// simulation's time.
func TestLookup(t *testing.T) {
	s, clock := newTestServer(t, Config{})
	post(t, s, "CreateTable", `{"TableName":"later","BillingMode":"PAY_PER_REQUEST","AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"}],"KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}]}`)
	lookup := func() (Served, error) {
		var sv Served
		var err error
		s.Do(func(now sim.Time) { sv, err = s.Lookup("later", now) })
		return sv, err
	}
	if _, err := lookup(); err == nil || err.Error() != "ResourceNotFoundException: Requested resource not found: Table: later not found" {
		t.Errorf("while CREATING: %v", err)
	}
	clock.Advance(5 * time.Minute)
	sv, err := lookup()
	if err != nil || sv.Now != 5*sim.Minute || sv.Service.Tables()[sv.Table].Name() != "later" {
		t.Errorf("when ACTIVE: %+v, %v", sv, err)
	}
}

// A write to a table with a local secondary index returns its item
// collection's key and size for ReturnItemCollectionMetrics SIZE; a
// table without one returns none, and an unknown value is refused.
func TestItemCollectionMetrics(t *testing.T) {
	s, clock := newTestServer(t, Config{})
	if a := post(t, s, "CreateTable", ordersTable); a.status != 200 {
		t.Fatal(string(a.raw))
	}
	clock.Advance(3 * time.Minute)
	a := post(t, s, "PutItem", `{"TableName":"orders","Item":{"pk":{"S":"c1"},"sk":{"N":"1"},"placed":{"N":"5"}},"ReturnItemCollectionMetrics":"SIZE"}`)
	m := get(a.body, "ItemCollectionMetrics")
	if a.status != 200 || fmt.Sprint(get(m, "ItemCollectionKey")) != "map[pk:map[S:c1]]" || fmt.Sprint(get(m, "SizeEstimateRangeGB")) != "[0 1]" {
		t.Errorf("PutItem with SIZE: %d %s", a.status, a.raw)
	}
	if a := post(t, s, "PutItem", `{"TableName":"orders","Item":{"pk":{"S":"c1"},"sk":{"N":"2"}},"ReturnItemCollectionMetrics":"ALL"}`); a.errType() != "ValidationException" {
		t.Errorf("ReturnItemCollectionMetrics ALL: %s", a.raw)
	}
	// A batch and a transaction report each collection they wrote once.
	a = post(t, s, "BatchWriteItem", `{"RequestItems":{"orders":[{"PutRequest":{"Item":{"pk":{"S":"c2"},"sk":{"N":"1"}}}},
		{"PutRequest":{"Item":{"pk":{"S":"c2"},"sk":{"N":"2"}}}},{"PutRequest":{"Item":{"pk":{"S":"c3"},"sk":{"N":"1"}}}}]},"ReturnItemCollectionMetrics":"SIZE"}`)
	if ms, _ := get(a.body, "ItemCollectionMetrics", "orders").([]any); a.status != 200 || len(ms) != 2 {
		t.Errorf("a batch over two collections: %s", a.raw)
	}
	a = post(t, s, "TransactWriteItems", `{"TransactItems":[{"Put":{"TableName":"orders","Item":{"pk":{"S":"c4"},"sk":{"N":"1"}}}}],"ReturnItemCollectionMetrics":"SIZE"}`)
	if ms, _ := get(a.body, "ItemCollectionMetrics", "orders").([]any); a.status != 200 || len(ms) != 1 {
		t.Errorf("a transaction over one collection: %s", a.raw)
	}
}

// UpdateTable enables a stream on a table that had none, which then logs
// the writes after it; enabling it again is refused; disabling removes it.
func TestUpdateTableStream(t *testing.T) {
	s, clock := newTestServer(t, Config{})
	create := `{"TableName":"plain","BillingMode":"PAY_PER_REQUEST","AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"}],"KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}]}`
	if a := post(t, s, "CreateTable", create); a.status != 200 {
		t.Fatal(string(a.raw))
	}
	clock.Advance(3 * time.Minute)
	post(t, s, "PutItem", `{"TableName":"plain","Item":{"pk":{"S":"before"}}}`)
	enable := `{"TableName":"plain","StreamSpecification":{"StreamEnabled":true,"StreamViewType":"NEW_IMAGE"}}`
	a := post(t, s, "UpdateTable", enable)
	arn, _ := get(a.body, "TableDescription", "LatestStreamArn").(string)
	if a.status != 200 || arn == "" {
		t.Fatalf("enabling the stream: %s", a.raw)
	}
	if a := post(t, s, "UpdateTable", enable); a.errType() != "ValidationException" || !strings.Contains(string(a.raw), "already has an enabled stream") {
		t.Errorf("enabling it again: %s", a.raw)
	}
	post(t, s, "PutItem", `{"TableName":"plain","Item":{"pk":{"S":"after"}}}`)
	streams := func(op, body string) answer {
		req := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(body))
		req.Header.Set("X-Amz-Target", "DynamoDBStreams_20120810."+op)
		w := httptest.NewRecorder()
		s.ServeHTTP(w, req)
		a := answer{status: w.Code, raw: w.Body.Bytes()}
		if err := json.Unmarshal(a.raw, &a.body); err != nil {
			t.Fatalf("%s: %v", op, err)
		}
		return a
	}
	desc := streams("DescribeStream", `{"StreamArn":"`+arn+`"}`)
	shards, _ := get(desc.body, "StreamDescription", "Shards").([]any)
	n := 0
	for _, sh := range shards {
		id, _ := get(sh, "ShardId").(string)
		it := streams("GetShardIterator", `{"StreamArn":"`+arn+`","ShardId":"`+id+`","ShardIteratorType":"TRIM_HORIZON"}`)
		rec := streams("GetRecords", `{"ShardIterator":"`+get(it.body, "ShardIterator").(string)+`"}`)
		recs, _ := get(rec.body, "Records").([]any)
		n += len(recs)
	}
	if n != 1 {
		t.Errorf("the stream holds %d records in %d shards, want 1: the write after it was enabled (%s)", n, len(shards), desc.raw)
	}
	a = post(t, s, "UpdateTable", `{"TableName":"plain","StreamSpecification":{"StreamEnabled":false}}`)
	if a.status != 200 || get(a.body, "TableDescription", "LatestStreamArn") != nil {
		t.Errorf("disabling the stream: %s", a.raw)
	}
}

// A call arriving once the session's duration has passed is refused: its
// simulations have ended, and the call would not be in their results.
func TestCallsAfterTheHorizon(t *testing.T) {
	s, clock := newTestServer(t, Config{Duration: 10 * time.Minute})
	if a := post(t, s, "ListTables", `{}`); a.status != 200 {
		t.Fatalf("ListTables within the session: %s", a.raw)
	}
	clock.Advance(11 * time.Minute)
	if a := post(t, s, "ListTables", `{}`); a.status != 503 || !strings.Contains(string(a.raw), "session has ended") {
		t.Errorf("ListTables after the session's duration: %d %s", a.status, a.raw)
	}
}
