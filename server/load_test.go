package server

import (
	"bytes"
	"fmt"
	"io"
	"net"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// BenchmarkServeGetItem is the load test of ddbsim serve: 64 loopback
// connections (and 1, for the overhead of a call alone), each a
// keep-alive client sending small GetItem requests back to back (as wrk
// does), against a served on-demand table of 1,000
// items, the model's latency not waited out (--no-latency), so that the
// figure is the server's own cost. It reports the calls answered a second
// and the p50 and p99 of the round trip a client sees, which on loopback
// is the server's overhead plus the client's. docs/performance.md has the
// figures; run it with
//
//	go test -run '^$' -bench ServeGetItem -benchtime 5s ./server
func BenchmarkServeGetItem(b *testing.B) {
	for _, conns := range []int{1, 64} {
		b.Run(fmt.Sprintf("conns=%d", conns), func(b *testing.B) { serveGetItems(b, conns) })
	}
}

func serveGetItems(b *testing.B, conns int) {
	// The wall's clock at 60 virtual seconds a second: the table leaves
	// CREATING in 2 s, and its capacity refills as time passes.
	s, err := New(Config{Seed: 1, TimeScale: 60, NoLatency: true})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	hs := s.HTTPServer(ln.Addr().String())
	go hs.Serve(ln)
	defer hs.Close()
	url := "http://" + ln.Addr().String() + "/"
	send := func(c *http.Client, op, body string) (int, error) {
		req, _ := http.NewRequest(http.MethodPost, url, bytes.NewBufferString(body))
		req.Header.Set("X-Amz-Target", "DynamoDB_20120810."+op)
		req.Header.Set("Content-Type", contentType)
		resp, err := c.Do(req)
		if err != nil {
			return 0, err
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return resp.StatusCode, nil
	}
	setup := &http.Client{}
	if code, err := send(setup, "CreateTable", `{"TableName":"bench","BillingMode":"PAY_PER_REQUEST",
		"AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"}],"KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}]}`); err != nil || code != 200 {
		b.Fatalf("CreateTable: %d %v", code, err)
	}
	time.Sleep(2100 * time.Millisecond) // past CREATING
	for i := range 1000 {
		if code, err := send(setup, "PutItem", fmt.Sprintf(`{"TableName":"bench","Item":{"pk":{"S":"user#%d"},"name":{"S":"someone"},"n":{"N":"%d"}}}`, i, i)); err != nil || code != 200 {
			b.Fatalf("PutItem: %d %v", code, err)
		}
	}
	var next atomic.Int64
	lat := make([][]time.Duration, conns)
	var failed atomic.Int64
	b.ResetTimer()
	began := time.Now()
	var wg sync.WaitGroup
	for w := range conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 1, MaxConnsPerHost: 1}}
			for {
				i := next.Add(1)
				if i > int64(b.N) {
					return
				}
				body := fmt.Sprintf(`{"TableName":"bench","Key":{"pk":{"S":"user#%d"}}}`, i%1000)
				t0 := time.Now()
				code, err := send(c, "GetItem", body)
				lat[w] = append(lat[w], time.Since(t0))
				if err != nil || code != 200 {
					failed.Add(1)
				}
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(began)
	b.StopTimer()
	all := slices.Concat(lat...)
	slices.Sort(all)
	if f := failed.Load(); f > 0 {
		b.Errorf("%d of %d GetItem calls failed", f, b.N)
	}
	if len(all) > 0 {
		b.ReportMetric(float64(b.N)/elapsed.Seconds(), "calls/s")
		b.ReportMetric(float64(all[len(all)/2].Microseconds()), "p50-µs")
		b.ReportMetric(float64(all[len(all)*99/100].Microseconds()), "p99-µs")
	}
}
