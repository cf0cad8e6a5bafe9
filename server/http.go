package server

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/ddbsim/ddbsim/server/wire"
	"github.com/ddbsim/ddbsim/sim"
)

// The HTTP edge: DynamoDB's JSON 1.0 protocol on POST /, the operation
// named by X-Amz-Target. Requests may carry any Authorization header:
// the signature is not checked, so any credentials work.

// MaxBodyBytes is the largest request body read: 16 MB, the service's
// limit on a BatchWriteItem request.
const MaxBodyBytes = 16 << 20

// Target prefixes of the two APIs served.
const (
	dynamoTarget  = "DynamoDB_20120810."
	streamsTarget = "DynamoDBStreams_20120810."
)

const contentType = "application/x-amz-json-1.0"

// Request is one API call as an Operation sees it.
type Request struct {
	// Op is the operation's name ("CreateTable"), Body the request's
	// JSON, Host the Host header it was sent to.
	Op   string
	Body []byte
	Host string
	// Latency, set by the operation, is the model's latency for the
	// answer: the handler waits it out, divided by the time scale,
	// before answering (unless Config.NoLatency).
	Latency sim.Time
	// Table and Index label the call in /metrics, when the operation
	// sets them.
	Table, Index string
	// Attempt is which attempt of its request the call is, as the SDK's
	// amz-sdk-request header says ("attempt=2; max=3"); 0 when unsaid.
	Attempt int
}

// Operation answers one API call: it decodes the body, does its work on
// the loop (Server.Do) and returns the value to send as JSON, or an error:
// an *APIError for the service's errors, anything else an internal error.
type Operation func(s *Server, r *Request) (any, error)

// operations are the control plane's and the data plane's; Register
// adds or replaces others.
var operations = map[string]Operation{
	dynamoTarget + "GetItem":            getItem,
	dynamoTarget + "PutItem":            putItem,
	dynamoTarget + "UpdateItem":         updateItem,
	dynamoTarget + "DeleteItem":         deleteItem,
	dynamoTarget + "Query":              query,
	dynamoTarget + "Scan":               scan,
	dynamoTarget + "BatchGetItem":       batchGetItem,
	dynamoTarget + "BatchWriteItem":     batchWriteItem,
	dynamoTarget + "TransactGetItems":   transactGetItems,
	dynamoTarget + "TransactWriteItems": transactWriteItems,
	dynamoTarget + "CreateTable":        createTable,
	dynamoTarget + "DescribeTable":      describeTable,
	dynamoTarget + "UpdateTable":        updateTable,
	dynamoTarget + "DeleteTable":        deleteTable,
	dynamoTarget + "ListTables":         listTables,
	dynamoTarget + "DescribeLimits":     describeLimits,
	dynamoTarget + "DescribeEndpoints":  describeEndpoints,
	dynamoTarget + "UpdateTimeToLive":   updateTimeToLive,
	dynamoTarget + "DescribeTimeToLive": describeTimeToLive,
	streamsTarget + "ListStreams":       listStreams,
	streamsTarget + "DescribeStream":    describeStream,
	streamsTarget + "GetShardIterator":  getShardIterator,
	streamsTarget + "GetRecords":        getRecords,
}

// notServed are operations of the API that this server knows but does
// not answer yet: a client gets a clear error rather than an unknown
// operation.
var notServed = []string{}

// Register serves target (DynamoDB_20120810.GetItem) with op, replacing
// what served it. Call it before serving.
func (s *Server) Register(target string, op Operation) {
	if s.ops == nil {
		s.ops = map[string]Operation{}
	}
	s.ops[target] = op
}

func (s *Server) operation(target string) (Operation, bool) {
	if op, ok := s.ops[target]; ok {
		return op, true
	}
	op, ok := operations[target]
	return op, ok
}

// call runs f on the loop and returns its error. A call that reaches the
// loop once the session's horizon has passed is refused: its simulations
// have ended, and what they did then is not in the session's results.
func (s *Server) call(f func(now sim.Time) error) error {
	var err error
	switch e := s.Do(func(now sim.Time) {
		if now >= s.horizon {
			err = &APIError{Type: "ServiceUnavailable", Status: 503, Message: "The session has ended (its --duration has passed)"}
			return
		}
		err = f(now)
	}); {
	case errors.Is(e, ErrClosed):
		return &APIError{Type: "ServiceUnavailable", Status: 503, Message: "The server is shutting down"}
	case e != nil:
		return e
	}
	return err
}

// ServeHTTP answers the API on POST /, GET /health and GET /metrics.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch {
	case r.URL.Path == "/health" && (r.Method == http.MethodGet || r.Method == http.MethodHead):
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		io.WriteString(w, "ok\n")
	case r.URL.Path == "/metrics" && r.Method == http.MethodGet:
		var b bytes.Buffer
		if err := s.Do(func(sim.Time) { s.writeMetrics(&b) }); err != nil {
			http.Error(w, "shutting down", http.StatusServiceUnavailable)
			return
		}
		w.Header().Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
		w.Write(b.Bytes())
	case r.URL.Path == "/" && r.Method == http.MethodPost:
		s.serveAPI(w, r)
	case r.URL.Path == "/" && r.Method == http.MethodGet:
		// The service answers a bare GET with its health check.
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		io.WriteString(w, "healthy: ddbsim\n")
	default:
		http.NotFound(w, r)
	}
}

func (s *Server) serveAPI(w http.ResponseWriter, r *http.Request) {
	began := time.Now()
	target := r.Header.Get("X-Amz-Target")
	req := &Request{Host: r.Host, Attempt: attemptOf(r.Header.Get("Amz-Sdk-Request"))}
	if i := strings.LastIndexByte(target, '.'); i >= 0 {
		req.Op = target[i+1:]
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxBodyBytes))
	var out any
	var maxErr *http.MaxBytesError
	switch {
	case errors.As(err, &maxErr):
		err = &APIError{Type: errValidation, Status: http.StatusRequestEntityTooLarge,
			Message: fmt.Sprintf("Request body exceeds the limit of %d bytes", MaxBodyBytes)}
	case err != nil:
		err = &APIError{Type: errSerialization, Status: 400, Message: "The request body could not be read"}
	default:
		req.Body = body
		out, err = s.dispatch(target, req)
	}
	var payload []byte
	status := http.StatusOK
	if err == nil {
		payload, err = json.Marshal(out)
	}
	var ae *APIError
	var we *wire.Error
	switch {
	case err == nil:
	case errors.As(err, &we):
		// The data plane's errors, with the members some carry
		// (ThrottlingReasons, CancellationReasons, Item).
		ae = &APIError{Type: we.Type, Status: we.Status(), Message: we.Message}
		status, payload = we.Status(), wire.AppendError(nil, we)
	default:
		if !errors.As(err, &ae) {
			ae = &APIError{Type: errInternal, Status: 500, Message: "Internal server error"}
		}
		status = ae.Status
		payload = errorBody(ae)
	}
	s.pause(req.Latency)
	h := w.Header()
	h.Set("Content-Type", contentType)
	h.Set("X-Amzn-Requestid", requestID())
	h.Set("X-Amz-Crc32", strconv.FormatUint(uint64(crc32.ChecksumIEEE(payload)), 10))
	h.Set("Content-Length", strconv.Itoa(len(payload)))
	w.WriteHeader(status)
	w.Write(payload)
	code := "ok"
	if ae != nil {
		code = ae.Type
	}
	s.metrics.apiCall(req.Op, req.Table, req.Index, code, time.Since(began))
}

// attemptOf reads the attempt number of an amz-sdk-request header
// ("attempt=2; max=3"); 0 when there is none.
func attemptOf(h string) int {
	for _, part := range strings.Split(h, ";") {
		if v, ok := strings.CutPrefix(strings.TrimSpace(part), "attempt="); ok {
			if n, err := strconv.Atoi(v); err == nil && n > 0 && n < 1000 {
				return n
			}
		}
	}
	return 0
}

// dispatch runs the operation target names.
func (s *Server) dispatch(target string, req *Request) (any, error) {
	op, ok := s.operation(target)
	if ok {
		return op(s, req)
	}
	for _, t := range notServed {
		if t == target {
			return nil, validationf("%s is not served yet: this server answers the control and data planes, not Streams", req.Op)
		}
	}
	req.Op = "unknown"
	return nil, &APIError{Type: errUnknownOperation, Status: 400, Message: "Unknown operation: " + strconv.Quote(target)}
}

// errorBody is the JSON the service answers an error with.
func errorBody(e *APIError) []byte {
	t := typePrefix + e.Type
	if e.Type == errUnknownOperation {
		t = "com.amazon.coral.service#" + e.Type
	}
	b, _ := json.Marshal(struct {
		Type    string `json:"__type"`
		Message string `json:"message"`
	}{t, e.Message})
	return b
}

// pause waits out the model's latency, scaled to wall time.
func (s *Server) pause(lat sim.Time) {
	if s.cfg.NoLatency || lat <= 0 {
		return
	}
	time.Sleep(time.Duration(float64(lat) / s.scale))
}

// requestID is a fresh x-amzn-RequestId: 52 characters as the service's.
func requestID() string {
	var b [26]byte
	rand.Read(b[:])
	return strings.ToUpper(hex.EncodeToString(b[:]))
}

// HTTPServer is an http.Server for the session on addr, with the limits
// that keep a slow or hostile client from stalling others: every phase
// of a request timed, headers capped.
func (s *Server) HTTPServer(addr string) *http.Server {
	return &http.Server{
		Addr:              addr,
		Handler:           s,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      2 * time.Minute,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
	}
}

// ListenAndServe serves the session on addr until ctx is done or the
// session reaches its horizon, then stops accepting, answers the requests
// in flight (for up to a minute) and closes the session, returning its
// outputs. ready, when set, is called with the address bound.
func (s *Server) ListenAndServe(ctx context.Context, addr string, ready func(net.Addr)) ([]Output, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		s.Close()
		return nil, err
	}
	hs := s.HTTPServer(addr)
	served := make(chan error, 1)
	go func() { served <- hs.Serve(ln) }()
	if ready != nil {
		ready(ln.Addr())
	}
	select {
	case <-ctx.Done():
	case <-s.Done():
	case err = <-served:
	}
	shut, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	hs.Shutdown(shut)
	out, cerr := s.Close()
	return out, errors.Join(err, cerr)
}
