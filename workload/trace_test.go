package workload

import (
	"bufio"
	"cmp"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ddbsim/ddbsim/model"
	"github.com/ddbsim/ddbsim/model/latency"
	"github.com/ddbsim/ddbsim/model/units"
	"github.com/ddbsim/ddbsim/sim"
)

// readAll reads every record of a trace, copying keys.
func readAll(t *testing.T, rd *TraceReader) []TraceRecord {
	t.Helper()
	var out []TraceRecord
	for {
		rec, err := rd.Next()
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		r := *rec
		r.Key = slices.Clone(rec.Key)
		out = append(out, r)
	}
}

func openTrace(t *testing.T, path string, format TraceFormat) *TraceReader {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return NewTraceReader(f, path, format)
}

// writeTrace writes a trace into a temporary directory.
func writeTrace(t testing.TB, name, text string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func rec(at sim.Time, key string, op units.Op, size int, line int64) TraceRecord {
	return TraceRecord{At: at, Key: []byte(key), Op: op, Size: size, Line: line}
}

// The csv layout: times from the first record, in nanoseconds; sizes for
// writes only; blank lines, CRLF, a missing last newline and spaces
// around fields are tolerated.
func TestTraceReaderCSV(t *testing.T) {
	rd := openTrace(t, "testdata/sample.csv", TraceCSV)
	got := readAll(t, rd)
	ms := sim.Millisecond
	want := []TraceRecord{
		rec(0, "k1", units.OpGet, 0, 2),
		rec(500*ms, "k2", units.OpPut, 2048, 3),
		rec(500*ms, "k2", units.OpGet, 0, 5),
		rec(1250*ms, "user:42", units.OpUpdate, 100, 6),
		rec(2*sim.Second, "k3", units.OpDelete, 0, 7),
		rec(3*sim.Second, "k1", units.OpQuery, 0, 8),
		rec(4*sim.Second, "k1", units.OpScan, 0, 9),
	}
	if !slices.EqualFunc(got, want, func(a, b TraceRecord) bool {
		return a.At == b.At && string(a.Key) == string(b.Key) && a.Op == b.Op && a.Size == b.Size && a.Line == b.Line
	}) {
		t.Fatalf("records\n%+v\nwant\n%+v", got, want)
	}
	// 4 s from first to last, plus the mean gap of 4/6 s.
	if p := rd.Period(); p != 4*sim.Second+4*sim.Second/6 {
		t.Errorf("period %v, want 4.666666666s", p)
	}
	// Reset replays the same records.
	if err := rd.Reset(); err != nil {
		t.Fatal(err)
	}
	if again := readAll(t, rd); len(again) != len(want) || again[3].At != want[3].At {
		t.Errorf("after Reset: %+v", again)
	}
}

// The Twitter layout: records of one second spread evenly over it; the
// key may hold commas; item size = key size + value size, clamped to
// 400 KB; operations mapped to reads and writes.
func TestTraceReaderTwitter(t *testing.T) {
	rd := openTrace(t, "testdata/sample-twitter.csv", TraceTwitter)
	got := readAll(t, rd)
	s := sim.Second
	want := []TraceRecord{
		rec(0, "a", units.OpGet, 0, 1),
		rec(s/3, "b", units.OpPut, 21, 2),
		rec(2*s/3, "c", units.OpGet, 0, 3),
		rec(s, "x,y", units.OpUpdate, 105, 4),
		rec(3*s, "d", units.OpPut, units.MaxItemSize, 5),
		rec(3*s+s/2, "e", units.OpDelete, 0, 6),
	}
	if !slices.EqualFunc(got, want, func(a, b TraceRecord) bool {
		return a.At == b.At && string(a.Key) == string(b.Key) && a.Op == b.Op && a.Size == b.Size && a.Line == b.Line
	}) {
		t.Fatalf("records\n%+v\nwant\n%+v", got, want)
	}
	if p := rd.Period(); p != 4*s {
		t.Errorf("period %v, want 4s (seconds 100 to 103)", p)
	}
	info, err := ScanTrace("testdata/sample-twitter.csv", TraceTwitter)
	if err != nil || info != (TraceInfo{Records: 6, Span: 3 * s, Period: 4 * s}) {
		t.Errorf("ScanTrace: %+v, %v", info, err)
	}
	for _, op := range twitterOps {
		line := fmt.Sprintf("0,k,1,1,1,%s,0\n", op)
		path := writeTrace(t, "op.csv", line)
		if _, err := ScanTrace(path, TraceTwitter); err != nil {
			t.Errorf("operation %s: %v", op, err)
		}
	}
}

// Every unreadable line stops the reader with FILE:LINE: what is wrong
// and what was expected.
func TestTraceReaderErrors(t *testing.T) {
	long := "0," + strings.Repeat("k", MaxTraceLine) + ",get,\n"
	tests := []struct {
		name   string
		format TraceFormat
		text   string
		want   string
	}{
		{"empty", TraceCSV, "", "1: the trace is empty; expected the header timestamp,key,op,size"},
		{"header with spaces", TraceCSV, "timestamp, key, op, size\n0,k,get,\n1,k,frob,\n", `3: op "frob": expected one of get, put, update, delete, query, scan`},
		{"bad header", TraceCSV, "time,key,op\n0,k,get,\n", `1: expected the header timestamp,key,op,size, got "time,key,op"`},
		{"no records", TraceCSV, "timestamp,key,op,size\n\n", "2: the trace has no records; expected a line such as 0.5,user42,get,0 (timestamp,key,op,size)"},
		{"fields", TraceCSV, "timestamp,key,op,size\n0,k,get,\n1,k,get\n", "3: expected 4 fields (timestamp,key,op,size), got 3"},
		{"too many fields", TraceCSV, "timestamp,key,op,size\n0,a,b,get,1\n", "2: expected 4 fields (timestamp,key,op,size), got 5"},
		{"timestamp", TraceCSV, "timestamp,key,op,size\n1s,k,get,\n", `2: timestamp "1s": expected seconds, a non-negative number such as 12.25`},
		{"negative", TraceCSV, "timestamp,key,op,size\n-1,k,get,\n", `2: timestamp "-1": expected seconds, a non-negative number such as 12.25`},
		{"backwards", TraceCSV, "timestamp,key,op,size\n2,k,get,\n1.5,k,get,\n", "3: timestamp 1.5 is earlier than the record before it; expected timestamps in non-decreasing order"},
		{"op", TraceCSV, "timestamp,key,op,size\n0,k,read,\n", `2: op "read": expected one of get, put, update, delete, query, scan`},
		{"empty key", TraceCSV, "timestamp,key,op,size\n0, ,get,\n", "2: the key is empty; expected the item's partition key"},
		{"long key", TraceCSV, "timestamp,key,op,size\n0," + strings.Repeat("k", 2049) + ",get,\n", "2: the key is 2049 bytes; a partition key is at most 2048 bytes"},
		{"size missing", TraceCSV, "timestamp,key,op,size\n0,k,put,\n", "2: the size is missing; a put needs the item size in bytes"},
		{"size", TraceCSV, "timestamp,key,op,size\n0,k,put,2KB\n", `2: size "2KB": expected the item size in bytes, a whole number such as 1024`},
		{"size zero", TraceCSV, "timestamp,key,op,size\n0,k,update,0\n", "2: size 0: expected the size in bytes of the item the update writes, at least 1"},
		{"size limit", TraceCSV, "timestamp,key,op,size\n0,k,put,409601\n", "2: size 409601 is over the service's 400 KB item limit; expected at most 409600 bytes"},
		{"long line", TraceCSV, "timestamp,key,op,size\n" + long, "2: the line is longer than 65536 bytes; expected one record a line"},
		{"twitter fields", TraceTwitter, "0,k,1,1,1,get\n", "1: expected 7 fields (timestamp,key,key_size,value_size,client_id,operation,ttl), got 6"},
		{"twitter timestamp", TraceTwitter, "0,k,1,1,1,get,0\n1.5,k,1,1,1,get,0\n", `2: timestamp "1.5": expected whole seconds, such as 3600`},
		{"twitter op", TraceTwitter, "0,k,1,1,1,frob,0\n", `1: operation "frob": expected one of get, gets, set, add, replace, cas, append, prepend, incr, decr, delete`},
		{"twitter key size", TraceTwitter, "0,k,x,1,1,get,0\n", `1: key size "x": expected a whole number of bytes`},
		{"twitter value size", TraceTwitter, "0,k,1,-1,1,get,0\n", `1: value size "-1": expected a whole number of bytes`},
		{"twitter backwards", TraceTwitter, "5,k,1,1,1,get,0\n4,k,1,1,1,get,0\n", "2: timestamp 4 is earlier than the record before it; expected timestamps in non-decreasing order"},
		{"twitter empty", TraceTwitter, "\n", "1: the trace has no records; expected a line such as 0,key1,4,100,1,get,0 (timestamp,key,key_size,value_size,client_id,operation,ttl)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := writeTrace(t, "bad.csv", tt.text)
			_, err := ScanTrace(path, tt.format)
			if err == nil || err.Error() != path+":"+tt.want {
				t.Fatalf("got  %v\nwant %s:%s", err, path, tt.want)
			}
			if _, ok := err.(*TraceError); !ok {
				t.Errorf("%T, want *TraceError", err)
			}
		})
	}
}

func TestParseSeconds(t *testing.T) {
	for in, want := range map[string]int64{
		"0": 0, "12": 12e9, "12.25": 12_250_000_000, ".5": 5e8, "3.": 3e9,
		"0.000000001": 1, "0.0000000019": 1, "1609459200.123456": 1609459200_123456000,
	} {
		if got, ok := parseSeconds([]byte(in)); !ok || got != want {
			t.Errorf("parseSeconds(%q) = %d, %v; want %d", in, got, ok, want)
		}
	}
	for _, in := range []string{"", ".", "1e3", "-1", "+1", "1.2.3", "99999999999"} {
		if _, ok := parseSeconds([]byte(in)); ok {
			t.Errorf("parseSeconds(%q) accepted", in)
		}
	}
}

// replayTrace plays a trace workload against a table of keys k0..k999
// until every request has finished.
func replayTrace(t testing.TB, tr Trace, end sim.Time, rec *countingRecorder) (*Source, *sim.Kernel) {
	t.Helper()
	k := sim.New(1)
	svc, err := model.NewService([]model.TableConfig{table(40000, 40000)}, noBurst(), latency.DefaultLatency(), k.Stream("model/latency"), rec)
	if err != nil {
		t.Fatal(err)
	}
	src := NewSource(Config{Name: "trace", Trace: &tr, End: end, Retry: SDKv2(), Timeout: 10 * sim.Second}, k, svc, rec)
	src.Start()
	k.Run(sim.Never)
	if k.Pending() != 0 {
		t.Fatalf("%d events pending after the run", k.Pending())
	}
	return src, k
}

// starts returns the outcomes' start times and operations in start order
// (operations at one instant in Op order).
func starts(rec *countingRecorder) ([]sim.Time, []units.Op) {
	os := slices.Clone(rec.outcomes)
	slices.SortStableFunc(os, func(a, b model.Outcome) int { return cmp.Or(cmp.Compare(a.Start, b.Start), cmp.Compare(a.Op, b.Op)) })
	var ts []sim.Time
	var ops []units.Op
	for _, o := range os {
		ts, ops = append(ts, o.Start), append(ops, o.Op)
	}
	return ts, ops
}

// Records arrive at their timestamps, divided by the speed; a loop
// restarts the trace shifted by its period; End stops it; every record
// issued ends in exactly one Finish.
func TestTraceReplayTimes(t *testing.T) {
	s, ms := sim.Second, sim.Millisecond
	one := []sim.Time{0, 500 * ms, 500 * ms, 1250 * ms, 2 * s, 3 * s, 4 * s}
	period := 4*s + 4*s/6
	scale := func(ts []sim.Time, shift sim.Time, speed float64) []sim.Time {
		var out []sim.Time
		for _, x := range ts {
			out = append(out, sim.Time(float64(x+shift)/speed+0.5))
		}
		return out
	}
	tests := []struct {
		name  string
		tr    Trace
		end   sim.Time
		want  []sim.Time
		first units.Op
	}{
		{"as recorded", Trace{Path: "testdata/sample.csv"}, 0, one, units.OpGet},
		{"cut at end", Trace{Path: "testdata/sample.csv"}, 2 * s, one[:4], units.OpGet},
		{"10x", Trace{Path: "testdata/sample.csv", Speed: 10}, 0, scale(one, 0, 10), units.OpGet},
		{"0.5x", Trace{Path: "testdata/sample.csv", Speed: 0.5}, 0, scale(one, 0, 0.5), units.OpGet},
		{"loop", Trace{Path: "testdata/sample.csv", Loop: true}, 10 * s,
			slices.Concat(one, scale(one, period, 1), scale(one[:3], 2*period, 1)), units.OpGet},
		{"loop 2x", Trace{Path: "testdata/sample.csv", Loop: true, Speed: 2}, 5 * s,
			slices.Concat(scale(one, 0, 2), scale(one, period, 2), scale(one[:3], 2*period, 2)), units.OpGet},
		{"twitter loop", Trace{Path: "testdata/sample-twitter.csv", Format: TraceTwitter, Loop: true}, 5 * s,
			[]sim.Time{0, s / 3, 2 * s / 3, s, 3 * s, 3*s + s/2, 4 * s, 4*s + s/3, 4*s + 2*s/3}, units.OpGet},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := &countingRecorder{keep: true, shadow: RetryBudgetTokens}
			src, _ := replayTrace(t, tt.tr, tt.end, rec)
			if err := src.Err(); err != nil {
				t.Fatal(err)
			}
			got, ops := starts(rec)
			if !slices.Equal(got, tt.want) {
				t.Fatalf("requests start at\n%v\nwant\n%v", got, tt.want)
			}
			if ops[0] != tt.first {
				t.Errorf("first operation %v", ops[0])
			}
			if src.Arrived() != int64(len(tt.want)) || rec.finishes != len(tt.want) {
				t.Errorf("%d arrived, %d finished, want %d each", src.Arrived(), rec.finishes, len(tt.want))
			}
			if rec.backwards != 0 {
				t.Errorf("%d recorder calls went back in time", rec.backwards)
			}
			if src.trace.f != nil {
				t.Error("the trace file is still open after the replay")
			}
		})
	}
}

// Each record becomes one request with the record's operation, key and
// size: the store holds what the trace wrote.
func TestTraceReplayRequests(t *testing.T) {
	rec := &countingRecorder{keep: true, shadow: RetryBudgetTokens}
	k := sim.New(1)
	svc, err := model.NewService([]model.TableConfig{table(1000, 1000)}, noBurst(), latency.DefaultLatency(), k.Stream("model/latency"), rec)
	if err != nil {
		t.Fatal(err)
	}
	src := NewSource(Config{Name: "trace", Trace: &Trace{Path: "testdata/sample.csv"}, Retry: SDKv2(), Timeout: 10 * sim.Second}, k, svc, rec)
	src.Start()
	k.Run(sim.Never)
	_, ops := starts(rec)
	want := []units.Op{units.OpGet, units.OpGet, units.OpPut, units.OpUpdate, units.OpDelete, units.OpQuery, units.OpScan}
	if !slices.Equal(ops, want) {
		t.Fatalf("operations %v, want %v", ops, want)
	}
	st := svc.Tables()[0].Store()
	if size, ok := st.SizeOf([]byte("k2"), 0); !ok || size != 2048 {
		t.Errorf("k2: %d bytes (found %v), want the 2048 the trace put", size, ok)
	}
	if size, ok := st.SizeOf([]byte("user:42"), 0); !ok || size != 100 {
		t.Errorf("user:42: %d bytes (found %v), want the 100 the trace wrote", size, ok)
	}
	if _, ok := st.SizeOf([]byte("k3"), 0); ok {
		t.Error("k3 survived the trace's delete")
	}
}

// A bad line met during the replay stops it there: the records before it
// are issued and finish, Err names the line, and the file is closed.
func TestTraceReplayStopsAtBadLine(t *testing.T) {
	path := writeTrace(t, "bad.csv", "timestamp,key,op,size\n0,k1,get,\n1,k2,get,\n2,k3,fetch,\n3,k4,get,\n")
	rec := &countingRecorder{keep: true, shadow: RetryBudgetTokens}
	src, _ := replayTrace(t, Trace{Path: path}, 0, rec)
	want := path + `:4: op "fetch": expected one of get, put, update, delete, query, scan`
	if err := src.Err(); err == nil || err.Error() != want {
		t.Fatalf("Err() = %v, want %s", err, want)
	}
	if rec.finishes != 2 || src.Arrived() != 2 {
		t.Errorf("%d finished, %d arrived: want the 2 records before the bad line", rec.finishes, src.Arrived())
	}
	if src.trace.f != nil {
		t.Error("the trace file is still open")
	}
	missing, _ := replayTrace(t, Trace{Path: filepath.Join(t.TempDir(), "none.csv")}, 0, &countingRecorder{})
	if err := missing.Err(); err == nil || !os.IsNotExist(err) {
		t.Errorf("a missing file: Err() = %v", err)
	}
}

// The same trace and seed give the same outcomes, retries and backoff
// included, on a table small enough to throttle.
func TestTraceReplayDeterministic(t *testing.T) {
	path := writeTrace(t, "t.csv", genTrace(20000, 1000, 1000))
	play := func() []model.Outcome {
		k := sim.New(3)
		rec := &countingRecorder{keep: true, shadow: RetryBudgetTokens}
		svc, err := model.NewService([]model.TableConfig{table(200, 50)}, noBurst(), latency.DefaultLatency(), k.Stream("model/latency"), rec)
		if err != nil {
			t.Fatal(err)
		}
		src := NewSource(Config{Name: "trace", Trace: &Trace{Path: path, Speed: 2}, Retry: SDKv2(), Timeout: 10 * sim.Second}, k, svc, rec)
		src.Start()
		k.Run(sim.Never)
		if src.Arrived() != 20000 || rec.finishes != 20000 {
			t.Fatalf("%d arrived, %d finished, want 20000", src.Arrived(), rec.finishes)
		}
		if rec.throttles == 0 {
			t.Fatal("no throttle: the table should be too small")
		}
		checkOutcomesTrace(t, rec)
		return rec.outcomes
	}
	if a, b := play(), play(); !slices.Equal(a, b) {
		t.Fatal("two replays of one trace differ")
	}
}

// checkOutcomesTrace checks the bookkeeping of checkOutcomes that does not
// depend on the arrival process.
func checkOutcomesTrace(t *testing.T, rec *countingRecorder) {
	t.Helper()
	if rec.attempts != rec.consumed+rec.throttles {
		t.Errorf("%d attempts in outcomes, but %d consumed + %d throttled", rec.attempts, rec.consumed, rec.throttles)
	}
	if rec.attempts-rec.finishes != rec.retries {
		t.Errorf("%d attempts beyond the first, but %d Retry calls", rec.attempts-rec.finishes, rec.retries)
	}
	if rec.backwards != 0 {
		t.Errorf("%d recorder calls went back in time", rec.backwards)
	}
}

// genTrace is a csv trace of n records 1/rate s apart over keys k0 ..
// k(keys-1) (which table() holds), nine gets to a put of 1,000 bytes.
func genTrace(n, keys, rate int) string {
	var b strings.Builder
	writeGenTrace(&b, n, keys, rate)
	return b.String()
}

func writeGenTrace(w io.Writer, n, keys, rate int) {
	bw := bufio.NewWriter(w)
	bw.WriteString("timestamp,key,op,size\n")
	for i := range n {
		op, size := "get", ""
		if i%10 == 9 {
			op, size = "put", "1000"
		}
		fmt.Fprintf(bw, "%d.%06d,k%d,%s,%s\n", i/rate, (i%rate)*(1_000_000/rate), (i*7919)%keys, op, size)
	}
	bw.Flush()
}

// Once warm, replaying a record (reading its line, issuing it, its
// response) allocates nothing.
func TestTraceReplayDoesNotAllocate(t *testing.T) {
	path := writeTrace(t, "t.csv", genTrace(100000, 1000, 100))
	k := sim.New(1)
	rec := &countingRecorder{}
	svc, err := model.NewService([]model.TableConfig{table(10000, 10000)}, noBurst(), latency.DefaultLatency(), k.Stream("model/latency"), rec)
	if err != nil {
		t.Fatal(err)
	}
	src := NewSource(Config{Name: "trace", Trace: &Trace{Path: path}, Retry: SDKv2(), Timeout: 10 * sim.Second}, k, svc, rec)
	src.Start()
	until := sim.Time(0)
	step := func() {
		until += sim.Second // 100 records
		k.Run(until)
	}
	for range 10 {
		step()
	}
	before := rec.finishes
	allocs := testing.AllocsPerRun(100, step)
	if got := rec.finishes - before; got < 10000 {
		t.Fatalf("%d requests finished in 101 steps, want about 100 a step", got)
	}
	if err := src.Err(); err != nil {
		t.Fatal(err)
	}
	if allocs != 0 {
		t.Errorf("%.2f allocations per second of 100 records, want 0", allocs)
	}
}

// memoryOfReplay replays a generated trace of n lines and reports the
// peak heap in use, sampled every 10,000 records, and the bytes allocated
// during the replay.
func memoryOfReplay(t testing.TB, n int) (peakHeap, allocated uint64, elapsed time.Duration) {
	path := filepath.Join(t.TempDir(), "trace.csv")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	writeGenTrace(f, n, 1000, 10000)
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	k := sim.New(1)
	rec := &countingRecorder{}
	svc, err := model.NewService([]model.TableConfig{table(40000, 40000)}, noBurst(), latency.DefaultLatency(), k.Stream("model/latency"), rec)
	if err != nil {
		t.Fatal(err)
	}
	src := NewSource(Config{Name: "trace", Trace: &Trace{Path: path}, Retry: SDKv2(), Timeout: 10 * sim.Second}, k, svc, rec)
	var ms runtime.MemStats
	sample := func() {
		runtime.ReadMemStats(&ms)
		peakHeap = max(peakHeap, ms.HeapInuse)
	}
	runtime.GC()
	runtime.ReadMemStats(&ms)
	startAlloc := ms.TotalAlloc
	begin := time.Now()
	src.Start()
	k.Every(0, sim.Second, sim.Time(n/10000+2)*sim.Second, sim.HandlerFunc(func(sim.Time) { sample() }))
	k.Run(sim.Never)
	elapsed = time.Since(begin)
	runtime.ReadMemStats(&ms)
	allocated = ms.TotalAlloc - startAlloc
	if err := src.Err(); err != nil {
		t.Fatal(err)
	}
	if rec.finishes != n {
		t.Fatalf("%d of %d records finished", rec.finishes, n)
	}
	return peakHeap, allocated, elapsed
}

// A trace of 1,000,000 lines replays in the memory of one of 100,000: the
// reader holds a line at a time, so neither the heap in use nor the bytes
// allocated grow with the trace (the table's store is bounded by the
// trace's 1,000 keys, which the table already holds).
func TestTraceReplayBoundedMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("replays a 1,000,000-line trace")
	}
	heapSmall, allocSmall, tSmall := memoryOfReplay(t, 100_000)
	heapLarge, allocLarge, tLarge := memoryOfReplay(t, 1_000_000)
	t.Logf("100k lines: peak heap in use %.2f MB, allocated during the replay %.1f KB, %v (%.2f M records/s)",
		float64(heapSmall)/(1<<20), float64(allocSmall)/1024, tSmall, 0.1/tSmall.Seconds())
	t.Logf("1M lines:   peak heap in use %.2f MB, allocated during the replay %.1f KB, %v (%.2f M records/s)",
		float64(heapLarge)/(1<<20), float64(allocLarge)/1024, tLarge, 1/tLarge.Seconds())
	const slack = 1 << 20 // GC timing; the trace file alone is ~20 MB
	if heapLarge > heapSmall+slack {
		t.Errorf("peak heap %d B for 1M lines against %d B for 100k: it grows with the trace", heapLarge, heapSmall)
	}
	if allocLarge > allocSmall+slack {
		t.Errorf("%d B allocated for 1M lines against %d B for 100k: the replay allocates per record", allocLarge, allocSmall)
	}
}

// BenchmarkTraceReplay replays a generated 1,000,000-line csv trace and
// reports the replay rate and the peak heap in use.
func BenchmarkTraceReplay(b *testing.B) {
	for range b.N {
		heap, alloc, elapsed := memoryOfReplay(b, 1_000_000)
		b.ReportMetric(1e6/elapsed.Seconds(), "records/s")
		b.ReportMetric(float64(heap)/(1<<20), "peak-heap-MB")
		b.ReportMetric(float64(alloc)/1024, "alloc-KB")
	}
}

// BenchmarkScanTrace is the check of a whole 1,000,000-line trace made
// before a run.
func BenchmarkScanTrace(b *testing.B) {
	path := filepath.Join(b.TempDir(), "trace.csv")
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	writeGenTrace(f, 1_000_000, 1000, 10000)
	f.Close()
	b.ResetTimer()
	for range b.N {
		if _, err := ScanTrace(path, TraceCSV); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(1e6*float64(b.N)/b.Elapsed().Seconds(), "lines/s")
}
