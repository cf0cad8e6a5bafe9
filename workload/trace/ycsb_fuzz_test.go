package trace

import (
	"bytes"
	"errors"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
)

// FuzzYCSB reads any bytes as a YCSB property file, maps what reads, and
// derives the run's duration from what maps. Nothing panics or runs away. Every
// error names the file, and the line where the reader knows it. A mapped
// workload is one ddbsim can run: a mix of known operations whose weights
// sum to 1, a known key distribution, counts that are not negative, and a
// record within the service's item limit; its duration is whole seconds,
// 0 only without a target or an operation limit. (Turning it into a
// scenario is FuzzYCSBScenario's, in scenarios.)
func FuzzYCSB(f *testing.F) {
	files, err := filepath.Glob("ycsb/workload*")
	if err != nil || len(files) == 0 {
		f.Fatalf("no core workloads in ycsb/: %v", err)
	}
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	for _, s := range []string{
		"",
		"=5\n",
		"recordcount\n",
		"recordcount=1.5\n",
		"readproportion=lots\n",
		"readproportion=0\nupdateproportion=0\n",
		"requestdistribution=hotspot\nhotspotdatafraction=2\n",
		"fieldcount=10\nfieldlength=50000\n",
		"fieldlengthdistribution=uniform\nscanlengthdistribution=zipfian\n",
		"key: value\n! comment\nother value \\\n  continued\n",
		"workload=com.yahoo.ycsb.workloads.CoreWorkload\ntarget=0.5\noperationcount=10\n",
	} {
		f.Add([]byte(s))
	}
	const path = "dir/workload"
	f.Fuzz(func(t *testing.T, data []byte) {
		lines := bytes.Count(data, []byte("\n")) + 1
		props, err := ycsbProperties(path, bytes.NewReader(data))
		if err != nil {
			checkYCSBError(t, path, lines, props == nil, err)
			return
		}
		y, err := mapYCSB(path, props)
		if err != nil {
			checkYCSBError(t, path, lines, y == nil, err)
			return
		}
		checkYCSB(t, path, y)
		if d := y.Duration(); d < 0 || d%time.Second != 0 || (d == 0) != (y.Target == 0 || y.OperationCount == 0) {
			t.Fatalf("duration %v for %d operations at %v/s", d, y.OperationCount, y.Target)
		}
		again, err := ReadYCSB(bytes.NewReader(data), path, nil)
		if err != nil || !reflect.DeepEqual(again, y) {
			t.Fatalf("ReadYCSB: %+v, %v; want %+v", again, err, y)
		}
	})
}

// checkYCSBError checks a failure to read or map a file of lines lines:
// no value came with it, and it names the file, and the line (1 to lines)
// when it is a *PropertyError.
func checkYCSBError(t *testing.T, file string, lines int, noValue bool, err error) {
	t.Helper()
	if !noValue {
		t.Fatalf("a value came with the error %v", err)
	}
	if !strings.HasPrefix(err.Error(), file+":") {
		t.Fatalf("error %q does not start with the file name %s", err, file)
	}
	var e *PropertyError
	if errors.As(err, &e) && (e.File != file || e.Line < 1 || e.Line > lines) {
		t.Fatalf("error %q: at %s:%d, want %s and a line from 1 to %d", err, e.File, e.Line, file, lines)
	}
}

var ycsbDistributions = []string{"uniform", "ycsb-zipfian", "ycsb-latest", "zipf", "hotspot", "sequential"}

// checkYCSB checks that a mapped workload is one ddbsim can run.
func checkYCSB(t *testing.T, file string, y *YCSB) {
	t.Helper()
	if y == nil {
		t.Fatal("no error and no workload")
	}
	if y.File != file {
		t.Errorf("File %q, want %q", y.File, file)
	}
	if len(y.Mix) == 0 {
		t.Fatal("an empty operation mix")
	}
	sum := 0.0
	for _, m := range y.Mix {
		if !slices.Contains([]string{"get", "update", "insert", "scan", "read_modify_write"}, m.Op) {
			t.Errorf("mix: unknown operation %q", m.Op)
		}
		if !(m.Weight > 0 && m.Weight <= 1) {
			t.Errorf("mix: %s has weight %v, want a fraction above 0", m.Op, m.Weight)
		}
		sum += m.Weight
	}
	if math.Abs(sum-1) > 1e-9 {
		t.Errorf("mix %+v: weights sum to %v, want 1", y.Mix, sum)
	}
	if !slices.Contains(ycsbDistributions, y.Distribution) {
		t.Errorf("distribution %q, want one of %v", y.Distribution, ycsbDistributions)
	}
	if y.Distribution == "hotspot" {
		if !(y.HotKeys > 0 && y.HotKeys <= 1 && y.HotOps > 0 && y.HotOps <= 1) {
			t.Errorf("hotspot fractions %v of keys, %v of operations; want each in (0, 1]", y.HotKeys, y.HotOps)
		}
	} else if y.HotKeys != 0 || y.HotOps != 0 {
		t.Errorf("hotspot fractions %v, %v for distribution %s", y.HotKeys, y.HotOps, y.Distribution)
	}
	if y.RecordCount < 0 || y.OperationCount < 0 || y.Threads < 0 || y.ScanMax < 0 {
		t.Errorf("negative counts: %d records, %d operations, %d threads, scans of %d",
			y.RecordCount, y.OperationCount, y.Threads, y.ScanMax)
	}
	if !(y.Target >= 0) || math.IsInf(y.Target, 0) {
		t.Errorf("target %v operations/s", y.Target)
	}
	// The smallest record is the key attribute and a YCSB key.
	if minSize := int64(len("key")) + ycsbKeyLength; y.ItemSize < minSize || y.ItemSize > 400<<10 {
		t.Errorf("record size %d, want %d to %d bytes", y.ItemSize, minSize, 400<<10)
	}
	if y.ItemSizeMin != 0 && (y.ItemSizeMin < int64(len("key"))+ycsbKeyLength || y.ItemSizeMin > y.ItemSize) {
		t.Errorf("record sizes from %d to %d", y.ItemSizeMin, y.ItemSize)
	}
	for _, n := range y.Notes {
		if !strings.HasPrefix(n, file) {
			t.Errorf("note %q does not name the file", n)
		}
	}
}

// Values no real workload file has are refused with the property's line,
// or mapped to something runnable, instead of overflowing: counts past
// int64, records too large to add up, proportions past a float64,
// uniform field lengths of 0 bytes, shares that vanish when normalised,
// and lines longer than the reader's buffer.
func TestYCSBOutOfRangeValues(t *testing.T) {
	long := "x=" + strings.Repeat("a", 70_000) + "\n"
	tests := []struct {
		name, file string
		want       string // the error; "" for success
		mix        []Share
	}{
		{name: "count past int64", file: "recordcount=1e19\n",
			want: `w:1: recordcount = "1e19": expected a whole number at most 9223372036854775807`},
		{name: "count far past int64", file: "threadcount=1e300\n",
			want: `w:1: threadcount = "1e300": expected a whole number at most 9223372036854775807`},
		{name: "fieldcount that would loop for ever", file: "fieldcount=1e18\n",
			want: "w:1: records of 1000000000000000000 fields of 100 bytes are above the service's 400 KB item limit"},
		{name: "fields whose size overflows", file: "fieldcount=3\nfieldlength=4e18\n",
			want: "w:2: records of 3 fields of 4000000000000000000 bytes are above the service's 400 KB item limit"},
		{name: "no fields of any length", file: "fieldcount=0\nfieldlength=4e18\n",
			mix: []Share{{Op: "get", Weight: 0.95}, {Op: "update", Weight: 0.05}}},
		{name: "proportions past a float64", file: "readproportion=1e308\nupdateproportion=1e308\n",
			want: "w: the operation proportions sum to more than a float64 holds; expected fractions that sum to 1"},
		{name: "share lost in normalising", file: "readproportion=1\nupdateproportion=1\ninsertproportion=5e-324\n",
			mix: []Share{{Op: "get", Weight: 0.5}, {Op: "update", Weight: 0.5}}},
		{name: "uniform lengths of 0 bytes", file: "fieldlengthdistribution=uniform\nfieldlength=0\n",
			want: `w:2: fieldlength = "0": expected at least 1 byte with fieldlengthdistribution = uniform (lengths from 1 to fieldlength)`},
		{name: "the largest count", file: "operationcount=9223372036854775807\n",
			mix: []Share{{Op: "get", Weight: 0.95}, {Op: "update", Weight: 0.05}}},
		{name: "one past the largest count", file: "operationcount=9223372036854775808\n",
			want: `w:1: operationcount = "9223372036854775808": expected a whole number at most 9223372036854775807`},
		{name: "more threads than users", file: "recordcount=1000\noperationcount=1000\nreadproportion=1\nthreadcount=1e8\n",
			want: `w:4: threadcount = "1e8": expected at most 1000000 client threads (without a target each is a user of a closed loop, and a scenario has at most 1000000)`},
		{name: "threads at a target", file: "threadcount=1e8\ntarget=100\n",
			mix: []Share{{Op: "get", Weight: 0.95}, {Op: "update", Weight: 0.05}}},
		{name: "line too long", file: long,
			want: "w:1:1: the line is longer than 64 KB; expected key=value"},
		{name: "line too long after others", file: "# a\n\nrecordcount=5\n" + long,
			want: "w:4:1: the line is longer than 64 KB; expected key=value"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := ycsbProperties("w", strings.NewReader(tt.file))
			var y *YCSB
			if err == nil {
				y, err = mapYCSB("w", p)
			}
			switch {
			case tt.want != "" && (err == nil || err.Error() != tt.want):
				t.Fatalf("got %v\nwant %s", err, tt.want)
			case tt.want == "" && err != nil:
				t.Fatal(err)
			case tt.want == "":
				checkYCSB(t, "w", y)
				if !slices.Equal(y.Mix, tt.mix) {
					t.Errorf("mix %+v, want %+v", y.Mix, tt.mix)
				}
			}
		})
	}
}
