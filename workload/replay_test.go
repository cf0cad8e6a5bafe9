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
	"github.com/ddbsim/ddbsim/workload/trace"
)

// The traces the reader's tests read, replayed here.
const (
	sampleCSV     = "trace/testdata/sample.csv"
	sampleTwitter = "trace/testdata/sample-twitter.csv"
)

// openFile is a Trace's Open for the file at path.
func openFile(path string) func() (trace.File, error) {
	return func() (trace.File, error) { return os.Open(path) }
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
		{"as recorded", Trace{Name: sampleCSV, Open: openFile(sampleCSV)}, 0, one, units.OpGet},
		{"cut at end", Trace{Name: sampleCSV, Open: openFile(sampleCSV)}, 2 * s, one[:4], units.OpGet},
		{"10x", Trace{Name: sampleCSV, Open: openFile(sampleCSV), Speed: 10}, 0, scale(one, 0, 10), units.OpGet},
		{"0.5x", Trace{Name: sampleCSV, Open: openFile(sampleCSV), Speed: 0.5}, 0, scale(one, 0, 0.5), units.OpGet},
		{"loop", Trace{Name: sampleCSV, Open: openFile(sampleCSV), Loop: true}, 10 * s,
			slices.Concat(one, scale(one, period, 1), scale(one[:3], 2*period, 1)), units.OpGet},
		{"loop 2x", Trace{Name: sampleCSV, Open: openFile(sampleCSV), Loop: true, Speed: 2}, 5 * s,
			slices.Concat(scale(one, 0, 2), scale(one, period, 2), scale(one[:3], 2*period, 2)), units.OpGet},
		{"twitter loop", Trace{Name: sampleTwitter, Open: openFile(sampleTwitter), Format: trace.Twitter, Loop: true}, 5 * s,
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
	src := NewSource(Config{Name: "trace", Trace: &Trace{Name: sampleCSV, Open: openFile(sampleCSV)}, Retry: SDKv2(), Timeout: 10 * sim.Second}, k, svc, rec)
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
	src, _ := replayTrace(t, Trace{Name: path, Open: openFile(path)}, 0, rec)
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
	none := filepath.Join(t.TempDir(), "none.csv")
	missing, _ := replayTrace(t, Trace{Name: none, Open: openFile(none)}, 0, &countingRecorder{})
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
		src := NewSource(Config{Name: "trace", Trace: &Trace{Name: path, Open: openFile(path), Speed: 2}, Retry: SDKv2(), Timeout: 10 * sim.Second}, k, svc, rec)
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
	src := NewSource(Config{Name: "trace", Trace: &Trace{Name: path, Open: openFile(path)}, Retry: SDKv2(), Timeout: 10 * sim.Second}, k, svc, rec)
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
	src := NewSource(Config{Name: "trace", Trace: &Trace{Name: path, Open: openFile(path)}, Retry: SDKv2(), Timeout: 10 * sim.Second}, k, svc, rec)
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

// A looped replay of records centuries apart ends before virtual time
// runs out: a record whose time is past its end is not scheduled. (Such
// records used to be scheduled at an overflowed time, before now, which
// the kernel refuses with a panic.)
func TestTraceLoopPastTheEndOfTime(t *testing.T) {
	tests := []struct {
		name  string
		last  string // the second record's timestamp; the first is at 0
		speed float64
		want  int64 // requests issued
	}{
		// The period saturates: the second pass would start at the end.
		{"period past the end", "5000000000", 1, 2},
		// Half speed puts the second record past the end already.
		{"slowed past the end", "5000000000", 0.5, 1},
		// The second pass starts at 8e18 ns; its second record would be
		// at 12e18, past the end.
		{"second pass past the end", "4000000000", 1, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := writeTrace(t, "far.csv", "timestamp,key,op,size\n0,k1,get,\n"+tt.last+",k2,get,\n")
			rec := &countingRecorder{keep: true, shadow: RetryBudgetTokens}
			src, _ := replayTrace(t, Trace{Name: path, Open: openFile(path), Loop: true, Speed: tt.speed}, sim.Never-1, rec)
			if err := src.Err(); err != nil {
				t.Fatal(err)
			}
			if src.Arrived() != tt.want || int64(rec.finishes) != tt.want {
				t.Errorf("%d arrived, %d finished, want %d", src.Arrived(), rec.finishes, tt.want)
			}
		})
	}
}

// A burst of records stamped at one instant holds at most MaxInFlight
// requests: the rest wait, unread, and are sent as requests finish. Every
// record still finishes once, starts (for its latency) at its own time, and
// the waits are counted; a limit above the burst changes nothing.
func TestTraceReplayInFlightLimit(t *testing.T) {
	const burst, limit = 5000, 100
	var b strings.Builder
	b.WriteString("timestamp,key,op,size\n")
	for i := range burst {
		fmt.Fprintf(&b, "0,k%d,get,1024\n", i%1000)
	}
	b.WriteString("1,k1,put,1024\n") // after the burst: sent when its turn comes
	path := writeTrace(t, "burst.csv", b.String())

	run := func(maxInFlight int64) (*Source, *countingRecorder) {
		rec := &countingRecorder{keep: true}
		src, _ := replayTrace(t, Trace{Name: path, Open: openFile(path), MaxInFlight: maxInFlight}, 0, rec)
		if rec.finishes != burst+1 {
			t.Fatalf("MaxInFlight %d: %d of %d records finished", maxInFlight, rec.finishes, burst+1)
		}
		return src, rec
	}

	src, rec := run(limit)
	if n := len(src.free); n > limit {
		t.Errorf("the replay made %d requests for a limit of %d in flight", n, limit)
	}
	w := src.TraceWaits()
	if w.Records != burst-limit {
		t.Errorf("%d records waited; want the %d beyond the limit", w.Records, burst-limit)
	}
	// Each wave of 100 takes at least the fastest get; 49 waves wait.
	var fastest, slowest sim.Time = sim.Never, 0
	for _, o := range rec.outcomes {
		if o.Op == units.OpGet && o.Start != 0 {
			t.Fatalf("a burst record starts at %v; its latency must count from its time, 0", o.Start)
		}
		fastest, slowest = min(fastest, o.Latency()), max(slowest, o.Latency())
	}
	if want := (burst/limit - 1) * fastest; w.Longest < want || slowest < w.Longest {
		t.Errorf("longest wait %v, slowest latency %v; want a wait of at least %v (49 waves of the fastest get, %v), within the latency",
			w.Longest, slowest, want, fastest)
	}

	unlimited, recU := run(0)
	_, recB := run(burst + 1)
	if len(unlimited.free) < burst/2 {
		t.Errorf("without a limit only %d requests were in flight at once; the burst test is not testing a burst", len(unlimited.free))
	}
	if !slices.Equal(recU.outcomes, recB.outcomes) {
		t.Error("a limit above the burst changed the outcomes")
	}
	if w := unlimited.TraceWaits(); w != (TraceWaits{}) {
		t.Errorf("no limit, yet %+v waited", w)
	}
}
