package trace

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/ddbsim/ddbsim/model/units"
	"github.com/ddbsim/ddbsim/sim"
)

// readAll reads every record of a trace, copying keys.
func readAll(t *testing.T, rd *Reader) []Record {
	t.Helper()
	var out []Record
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

func openTrace(t *testing.T, path string, format Format) *Reader {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return NewReader(f, path, format)
}

// scanFile checks the whole trace at path, as a scenario's loader does
// with the file it opened.
func scanFile(path string, format Format) (Info, error) {
	f, err := os.Open(path)
	if err != nil {
		return Info{}, err
	}
	defer f.Close()
	return Scan(f, path, format)
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

func rec(at sim.Time, key string, op units.Op, size int, line int64) Record {
	return Record{At: at, Key: []byte(key), Op: op, Size: size, Line: line}
}

// The csv layout: times from the first record, in nanoseconds; sizes for
// writes only; blank lines, CRLF, a missing last newline and spaces
// around fields are tolerated.
func TestReaderCSV(t *testing.T) {
	rd := openTrace(t, "testdata/sample.csv", CSV)
	got := readAll(t, rd)
	ms := sim.Millisecond
	want := []Record{
		rec(0, "k1", units.OpGet, 0, 2),
		rec(500*ms, "k2", units.OpPut, 2048, 3),
		rec(500*ms, "k2", units.OpGet, 0, 5),
		rec(1250*ms, "user:42", units.OpUpdate, 100, 6),
		rec(2*sim.Second, "k3", units.OpDelete, 0, 7),
		rec(3*sim.Second, "k1", units.OpQuery, 0, 8),
		rec(4*sim.Second, "k1", units.OpScan, 0, 9),
	}
	if !slices.EqualFunc(got, want, func(a, b Record) bool {
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
func TestReaderTwitter(t *testing.T) {
	rd := openTrace(t, "testdata/sample-twitter.csv", Twitter)
	got := readAll(t, rd)
	s := sim.Second
	want := []Record{
		rec(0, "a", units.OpGet, 0, 1),
		rec(s/3, "b", units.OpPut, 21, 2),
		rec(2*s/3, "c", units.OpGet, 0, 3),
		rec(s, "x,y", units.OpUpdate, 105, 4),
		rec(3*s, "d", units.OpPut, units.MaxItemSize, 5),
		rec(3*s+s/2, "e", units.OpDelete, 0, 6),
	}
	if !slices.EqualFunc(got, want, func(a, b Record) bool {
		return a.At == b.At && string(a.Key) == string(b.Key) && a.Op == b.Op && a.Size == b.Size && a.Line == b.Line
	}) {
		t.Fatalf("records\n%+v\nwant\n%+v", got, want)
	}
	if p := rd.Period(); p != 4*s {
		t.Errorf("period %v, want 4s (seconds 100 to 103)", p)
	}
	info, err := scanFile("testdata/sample-twitter.csv", Twitter)
	if err != nil || info != (Info{Records: 6, Span: 3 * s, Period: 4 * s,
		Busiest: [BusyWindows]int64{3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 6, 6, 6, 6, 6, 6, 6, 6, 6}}) {
		t.Errorf("Scan: %+v, %v", info, err)
	}
	for _, op := range twitterOps {
		line := fmt.Sprintf("0,k,1,1,1,%s,0\n", op)
		path := writeTrace(t, "op.csv", line)
		if _, err := scanFile(path, Twitter); err != nil {
			t.Errorf("operation %s: %v", op, err)
		}
	}
}

// Every unreadable line stops the reader with FILE:LINE: what is wrong
// and what was expected.
func TestReaderErrors(t *testing.T) {
	long := "0," + strings.Repeat("k", MaxLine) + ",get,\n"
	tests := []struct {
		name   string
		format Format
		text   string
		want   string
	}{
		{"empty", CSV, "", "1: the trace is empty; expected the header timestamp,key,op,size"},
		{"header with spaces", CSV, "timestamp, key, op, size\n0,k,get,\n1,k,frob,\n", `3: op "frob": expected one of get, put, update, delete, query, scan`},
		{"bad header", CSV, "time,key,op\n0,k,get,\n", `1: expected the header timestamp,key,op,size, got "time,key,op"`},
		{"no records", CSV, "timestamp,key,op,size\n\n", "2: the trace has no records; expected a line such as 0.5,user42,get,0 (timestamp,key,op,size)"},
		{"fields", CSV, "timestamp,key,op,size\n0,k,get,\n1,k,get\n", "3: expected 4 fields (timestamp,key,op,size), got 3"},
		{"too many fields", CSV, "timestamp,key,op,size\n0,a,b,get,1\n", "2: expected 4 fields (timestamp,key,op,size), got 5"},
		{"timestamp", CSV, "timestamp,key,op,size\n1s,k,get,\n", `2: timestamp "1s": expected seconds, a non-negative number such as 12.25`},
		{"negative", CSV, "timestamp,key,op,size\n-1,k,get,\n", `2: timestamp "-1": expected seconds, a non-negative number such as 12.25`},
		{"backwards", CSV, "timestamp,key,op,size\n2,k,get,\n1.5,k,get,\n", "3: timestamp 1.5 is earlier than the record before it; expected timestamps in non-decreasing order"},
		{"op", CSV, "timestamp,key,op,size\n0,k,read,\n", `2: op "read": expected one of get, put, update, delete, query, scan`},
		{"empty key", CSV, "timestamp,key,op,size\n0, ,get,\n", "2: the key is empty; expected the item's partition key"},
		{"long key", CSV, "timestamp,key,op,size\n0," + strings.Repeat("k", 2049) + ",get,\n", "2: the key is 2049 bytes; a partition key is at most 2048 bytes"},
		{"size missing", CSV, "timestamp,key,op,size\n0,k,put,\n", "2: the size is missing; a put needs the item size in bytes"},
		{"size", CSV, "timestamp,key,op,size\n0,k,put,2KB\n", `2: size "2KB": expected the item size in bytes, a whole number such as 1024`},
		{"size zero", CSV, "timestamp,key,op,size\n0,k,update,0\n", "2: size 0: expected the size in bytes of the item the update writes, at least 1"},
		{"size limit", CSV, "timestamp,key,op,size\n0,k,put,409601\n", "2: size 409601 is over the service's 400 KB item limit; expected at most 409600 bytes"},
		{"long line", CSV, "timestamp,key,op,size\n" + long, "2: the line is longer than 65536 bytes; expected one record a line"},
		{"twitter fields", Twitter, "0,k,1,1,1,get\n", "1: expected 7 fields (timestamp,key,key_size,value_size,client_id,operation,ttl), got 6"},
		{"twitter timestamp", Twitter, "0,k,1,1,1,get,0\n1.5,k,1,1,1,get,0\n", `2: timestamp "1.5": expected whole seconds, such as 3600`},
		{"twitter op", Twitter, "0,k,1,1,1,frob,0\n", `1: operation "frob": expected one of get, gets, set, add, replace, cas, append, prepend, incr, decr, delete`},
		{"twitter key size", Twitter, "0,k,x,1,1,get,0\n", `1: key size "x": expected a whole number of bytes`},
		{"twitter value size", Twitter, "0,k,1,-1,1,get,0\n", `1: value size "-1": expected a whole number of bytes`},
		{"twitter backwards", Twitter, "5,k,1,1,1,get,0\n4,k,1,1,1,get,0\n", "2: timestamp 4 is earlier than the record before it; expected timestamps in non-decreasing order"},
		{"twitter empty", Twitter, "\n", "1: the trace has no records; expected a line such as 0,key1,4,100,1,get,0 (timestamp,key,key_size,value_size,client_id,operation,ttl)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := writeTrace(t, "bad.csv", tt.text)
			_, err := scanFile(path, tt.format)
			if err == nil || err.Error() != path+":"+tt.want {
				t.Fatalf("got  %v\nwant %s:%s", err, path, tt.want)
			}
			if _, ok := err.(*Error); !ok {
				t.Errorf("%T, want *Error", err)
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

// BenchmarkScan is the check of a whole 1,000,000-line trace made
// before a run.
func BenchmarkScan(b *testing.B) {
	path := filepath.Join(b.TempDir(), "trace.csv")
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	writeGenTrace(f, 1_000_000, 1000, 10000)
	f.Close()
	b.ResetTimer()
	for range b.N {
		if _, err := scanFile(path, CSV); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(1e6*float64(b.N)/b.Elapsed().Seconds(), "lines/s")
}

// writeGenTrace writes a csv trace of n records 1/rate s apart over keys
// k0 .. k(keys-1), nine gets to a put of 1,000 bytes.
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

// TestErrorsQuoteAShortExcerpt: a file that is no trace (a password file)
// is not echoed into the message; a short, escaped start of its line is.
func TestErrorsQuoteAShortExcerpt(t *testing.T) {
	passwd := "root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n"
	_, err := Scan(strings.NewReader(passwd), "/etc/passwd", CSV)
	want := `/etc/passwd:1: expected the header timestamp,key,op,size, got "root:x:0:0:root:/roo"... (31 bytes)`
	if err == nil || err.Error() != want {
		t.Fatalf("got %v\nwant %s", err, want)
	}
	line := "timestamp,key,op,size\n0,k,\x1b]0;pwned\x07" + strings.Repeat("é", 40) + ",1\n"
	_, err = Scan(strings.NewReader(line), "t", CSV)
	want = `t:2: op "\x1b]0;pwned\aééééé"... (90 bytes): expected one of get, put, update, delete, query, scan`
	if err == nil || err.Error() != want {
		t.Fatalf("got %v\nwant %s", err, want)
	}
}

// Scan counts the busiest window of each length: a burst at one instant
// fills every window; records a second apart fill one a window up to a
// second long.
func TestScanBusiest(t *testing.T) {
	burst := "timestamp,key,op,size\n0,a,get,\n0,b,get,\n0,c,get,\n5,d,get,\n"
	info, err := Scan(strings.NewReader(burst), "burst.csv", CSV)
	if err != nil {
		t.Fatal(err)
	}
	for k, n := range info.Busiest {
		want := int64(3)
		if k >= 10 { // 10 s windows and longer hold the record at 5 s too
			want = 4
		}
		if n != want {
			t.Errorf("busiest window of 1e%d ns: %d records, want %d", k, n, want)
		}
	}
	spread := "timestamp,key,op,size\n0,a,get,\n1,b,get,\n2,c,get,\n3,d,get,\n"
	info, err = Scan(strings.NewReader(spread), "spread.csv", CSV)
	if err != nil {
		t.Fatal(err)
	}
	if info.Busiest[9] != 1 || info.Busiest[10] != 4 {
		t.Errorf("records a second apart: busiest 1 s window %d, 10 s window %d; want 1 and 4", info.Busiest[9], info.Busiest[10])
	}
}
