package trace

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/ddbsim/ddbsim/model/store"
	"github.com/ddbsim/ddbsim/model/units"
	"github.com/ddbsim/ddbsim/sim"
)

// FuzzTraceReader reads any bytes as a trace in either layout (format
// picks one of Formats). Reading ends, within one result a line,
// at io.EOF, which stays, or at an *Error naming the file and a line
// of it. Records come in file order, the first at t=0, and keep the
// contract of the layout: times never go backwards, keys are 1 to 2048
// bytes, operations are the layout's, and writes carry an item size of 1
// byte to 400 KB. Reset replays the same records and the same error.
// In the Twitter layout, records differ from a reader that does not
// spread seconds only in their times, each within its second, and the
// i-th of n records of a second comes i/n s into it.
func FuzzTraceReader(f *testing.F) {
	files, err := filepath.Glob("testdata/*.csv")
	if err != nil || len(files) == 0 {
		f.Fatalf("no traces in testdata: %v", err)
	}
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		for i := range Formats {
			f.Add(data, uint8(i))
		}
	}
	for _, s := range []string{
		"",
		"\n",
		"\xef\xbb\xbftimestamp,key,op,size\r\n0,k,get,\r\n",
		"timestamp, key, op, size\n0,k,get,\n1,k,frob,\n",
		"time,key,op\n0,k,get,\n",
		"timestamp,key,op,size\n0,k,get,\n1,k,get\n",
		"timestamp,key,op,size\n2,k,get,\n1.5,k,get,\n",
		"timestamp,key,op,size\n0,k,put,409601\n",
		"timestamp,key,op,size\n.5,k,put,1\n3.,k,update,2\n3.0000000019,k,scan,\n",
		"0,k,1,1,1,get,0\n1.5,k,1,1,1,get,0\n",
		"5,k,1,1,1,get,0\n5,k,1,1,1,get,0\n5,k,1,1,1,get,0\n4,k,1,1,1,get,0\n",
		"7,a,b,c,1,2,3,set,0\n7,k,1,1,1,frob,0\n",
	} {
		f.Add([]byte(s), uint8(0))
		f.Add([]byte(s), uint8(1))
	}
	f.Fuzz(func(t *testing.T, data []byte, format uint8) {
		fm, ok := ParseFormat(Formats[int(format)%len(Formats)])
		if !ok {
			t.Fatalf("ParseFormat does not know its own name %s", Formats[int(format)%len(Formats)])
		}
		const name = "fuzz.trace"
		lines := int64(bytes.Count(data, []byte("\n")) + 1)
		rd := NewReader(bytes.NewReader(data), name, fm)
		first := readPass(t, rd, fm, lines)
		checkPass(t, first, fm, lines)

		if err := rd.Reset(); err != nil {
			t.Fatalf("Reset: %v", err)
		}
		if again := readPass(t, rd, fm, lines); !samePass(first, again, true) {
			t.Fatalf("after Reset:\n%+v\nthe first pass:\n%+v", again, first)
		}

		if fm != Twitter {
			return
		}
		whole := NewReader(bytes.NewReader(data), name, fm)
		whole.spread = false
		unspread := readPass(t, whole, fm, lines)
		if !samePass(first, unspread, false) {
			t.Fatalf("spreading seconds changed more than times:\n%+v\nunspread:\n%+v", first, unspread)
		}
		checkSpread(t, first, unspread)
	})
}

// tracePass is what one pass over a trace read.
type tracePass struct {
	recs   []Record // keys copied
	err    error    // nil: the pass ended at io.EOF
	period sim.Time // Period after io.EOF
}

// readPass reads records until io.EOF or an error. A trace of lines
// lines has at most lines records, and an end.
func readPass(t *testing.T, rd *Reader, fm Format, lines int64) tracePass {
	t.Helper()
	var p tracePass
	for range lines + 1 {
		rec, err := rd.Next()
		if err == io.EOF {
			p.period = rd.Period()
			if _, err := rd.Next(); err != io.EOF {
				t.Fatalf("%v: Next after io.EOF returned %v", fm, err)
			}
			return p
		}
		if err != nil {
			p.err = err
			return p
		}
		r := *rec
		r.Key = slices.Clone(rec.Key)
		p.recs = append(p.recs, r)
	}
	t.Fatalf("%v: more than %d records from %d lines", fm, lines, lines)
	return p
}

// checkPass checks one pass against the reader's contract.
func checkPass(t *testing.T, p tracePass, fm Format, lines int64) {
	t.Helper()
	ops := []units.Op{units.OpGet, units.OpPut, units.OpUpdate, units.OpDelete, units.OpQuery, units.OpScan}
	if fm == Twitter {
		ops = ops[:4]
	}
	var prev Record
	for i, r := range p.recs {
		switch {
		case r.Line <= prev.Line || r.Line > lines:
			t.Fatalf("%v: record %d on line %d, after line %d, of %d lines", fm, i, r.Line, prev.Line, lines)
		case i == 0 && r.At != 0:
			t.Fatalf("%v: the first record is at %v, want 0", fm, r.At)
		case r.At < prev.At:
			t.Fatalf("%v: line %d at %v, before line %d at %v", fm, r.Line, r.At, prev.Line, prev.At)
		case len(r.Key) == 0 || len(r.Key) > store.MaxPartitionKeySize:
			t.Fatalf("%v: line %d: a key of %d bytes", fm, r.Line, len(r.Key))
		case isSpace(r.Key[0]) || isSpace(r.Key[len(r.Key)-1]):
			t.Fatalf("%v: line %d: key %q is not trimmed", fm, r.Line, r.Key)
		case fm == CSV && bytes.IndexByte(r.Key, ',') >= 0:
			t.Fatalf("%v: line %d: key %q holds a comma", fm, r.Line, r.Key)
		case !slices.Contains(ops, r.Op):
			t.Fatalf("%v: line %d: operation %v", fm, r.Line, r.Op)
		case (r.Op == units.OpPut || r.Op == units.OpUpdate) && (r.Size < 1 || r.Size > units.MaxItemSize):
			t.Fatalf("%v: line %d: a %v of %d bytes", fm, r.Line, r.Op, r.Size)
		case r.Op != units.OpPut && r.Op != units.OpUpdate && r.Size != 0:
			t.Fatalf("%v: line %d: a %v with size %d", fm, r.Line, r.Op, r.Size)
		}
		prev = r
	}
	if p.err == nil {
		if len(p.recs) == 0 {
			t.Fatalf("%v: io.EOF without a record, want an *Error", fm)
		}
		if p.period <= 0 || p.period < prev.At {
			t.Fatalf("%v: period %v, for records up to %v", fm, p.period, prev.At)
		}
		return
	}
	e, ok := p.err.(*Error)
	switch {
	case !ok:
		t.Fatalf("%v: error %v is a %T, want an *Error", fm, p.err, p.err)
	case e.File != "fuzz.trace" || e.Msg == "":
		t.Fatalf("%v: error %+v, want the file fuzz.trace and a message", fm, e)
	case e.Line < 1 || e.Line > lines || e.Line <= prev.Line:
		t.Fatalf("%v: error on line %d, after records up to line %d, of %d lines: %v", fm, e.Line, prev.Line, lines, e)
	}
}

// samePass reports whether two passes read the same records, times
// included if withTimes, and the same error.
func samePass(a, b tracePass, withTimes bool) bool {
	same := slices.EqualFunc(a.recs, b.recs, func(x, y Record) bool {
		return (!withTimes || x.At == y.At) && bytes.Equal(x.Key, y.Key) && x.Op == y.Op && x.Size == y.Size && x.Line == y.Line
	})
	errText := func(err error) string {
		if err == nil {
			return ""
		}
		return err.Error()
	}
	return same && errText(a.err) == errText(b.err) && (!withTimes || a.period == b.period)
}

// checkSpread checks a Twitter pass against the same records unspread,
// whose times are whole seconds: each spread time is in its second, and
// when the pass read to the end, the i-th of a second's n records is at
// i/n s into it.
func checkSpread(t *testing.T, spread, unspread tracePass) {
	t.Helper()
	for i := 0; i < len(unspread.recs); {
		sec := unspread.recs[i].At
		n := 1
		for i+n < len(unspread.recs) && unspread.recs[i+n].At == sec {
			n++
		}
		for j := range n {
			at, line := spread.recs[i+j].At, spread.recs[i+j].Line
			if sec%sim.Second != 0 || at < sec || at >= sec+sim.Second {
				t.Fatalf("line %d: at %v, outside its second from %v", line, at, sec)
			}
			if spread.err == nil && at != sec+sim.Time(int64(j)*int64(sim.Second)/int64(n)) {
				t.Fatalf("line %d: at %v, want %v + %d/%d s", line, at, sec, j, n)
			}
		}
		i += n
	}
	if spread.err == nil {
		last := unspread.recs[len(unspread.recs)-1].At
		if spread.period != last+sim.Second {
			t.Fatalf("period %v, want up to the end of the last second, %v", spread.period, last+sim.Second)
		}
	}
}

// Inputs on the edges of the reader's contract: an empty Twitter trace is
// an error on line 1, like an empty csv trace, and the period of records
// centuries apart saturates instead of overflowing to less than their
// span.
func TestReaderEdges(t *testing.T) {
	tests := []struct {
		name   string
		format Format
		text   string
		want   string   // the error; "" to read to the end
		period sim.Time // after the end
	}{
		{name: "empty twitter trace", format: Twitter, text: "",
			want: "fuzz.trace:1: the trace has no records; expected a line such as 0,key1,4,100,1,get,0 (" + twitterLayout + ")"},
		{name: "empty csv trace", format: CSV, text: "",
			want: "fuzz.trace:1: the trace is empty; expected the header " + csvHeader},
		{name: "csv records centuries apart", format: CSV,
			text: "timestamp,key,op,size\n0,k,get,\n5000000000,k,get,\n", period: sim.Never},
		{name: "csv records at the last second", format: CSV,
			text: "timestamp,key,op,size\n0,k,get,\n9223372035.999999999,k,get,\n", period: sim.Never},
		{name: "twitter records centuries apart", format: Twitter,
			text: "0,k,1,1,1,get,0\n9223372035,k,1,1,1,get,0\n", period: 9223372036 * sim.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := []byte(tt.text)
			lines := int64(bytes.Count(data, []byte("\n")) + 1)
			p := readPass(t, NewReader(bytes.NewReader(data), "fuzz.trace", tt.format), tt.format, lines)
			checkPass(t, p, tt.format, lines)
			switch {
			case tt.want != "" && (p.err == nil || p.err.Error() != tt.want):
				t.Fatalf("got %v\nwant %s", p.err, tt.want)
			case tt.want == "" && p.err != nil:
				t.Fatal(p.err)
			case tt.want == "" && p.period != tt.period:
				t.Fatalf("period %v, want %v", p.period, tt.period)
			}
		})
	}
}
