package trace

import (
	"bytes"
	"math"
	"strings"
	"testing"
	"time"
)

// YCSB's properties map onto ddbsim's terms, with YCSB's defaults, and what
// cannot be mapped is reported, not ignored.
func TestYCSBMapping(t *testing.T) {
	y, err := mapYCSB("w", props(
		"recordcount=5000", "operationcount=20000", "readproportion=0.6", "updateproportion=0.2",
		"scanproportion=0.1", "insertproportion=0.1", "requestdistribution=hotspot",
		"hotspotdatafraction=0.1", "hotspotopnfraction=0.9", "fieldcount=4", "fieldlength=250",
		"target=800", "maxscanlength=50", "readallfields=false", "insertorder=ordered", "measurementtype=hdrhistogram",
		"dynamodb.consistentReads=true", "mystery=1"))
	if err != nil {
		t.Fatal(err)
	}
	// 3 ("key") + 23 (a YCSB key) + 4 x 6 ("field0".."field3") + 4 x 250.
	if y.ItemSize != 3+23+24+1000 {
		t.Errorf("record size %d, want 1050", y.ItemSize)
	}
	if y.RecordCount != 5000 || y.OperationCount != 20000 || y.Target != 800 || y.ScanMax != 50 || !y.Strong {
		t.Errorf("mapped %+v", y)
	}
	if y.Distribution != "hotspot" || y.HotKeys != 0.1 || y.HotOps != 0.9 {
		t.Errorf("distribution %s %v %v", y.Distribution, y.HotKeys, y.HotOps)
	}
	wantMix := []Share{{Op: "get", Weight: 0.6}, {Op: "update", Weight: 0.2}, {Op: "insert", Weight: 0.1}, {Op: "scan", Weight: 0.1}}
	for i, m := range wantMix {
		if i >= len(y.Mix) || y.Mix[i].Op != m.Op || math.Abs(y.Mix[i].Weight-m.Weight) > 1e-9 {
			t.Fatalf("mix %+v, want %+v", y.Mix, wantMix)
		}
	}
	notes := strings.Join(y.Notes, "\n")
	for _, key := range []string{"readallfields", "insertorder", "measurementtype", "mystery"} {
		if !strings.Contains(notes, key) {
			t.Errorf("no note on %s in\n%s", key, notes)
		}
	}
}

func props(lines ...string) map[string]ycsbValue {
	m, _ := ycsbProperties("w", strings.NewReader(strings.Join(lines, "\n")))
	return m
}

func TestYCSBErrors(t *testing.T) {
	tests := []struct{ file, want string }{
		{"readproportion=lots\n", "w:1: readproportion = \"lots\": expected a non-negative number"},
		{"# comment\nrequestdistribution=gaussian\n", "w:2: requestdistribution = \"gaussian\": expected uniform, zipfian, latest, hotspot, sequential or exponential"},
		{"workload=site.ycsb.workloads.TimeSeriesWorkload\n", "w:1: workload = \"site.ycsb.workloads.TimeSeriesWorkload\": expected the core workload, site.ycsb.workloads.CoreWorkload"},
		{"readproportion=0\nupdateproportion=0\n", "w: the operation proportions sum to 0"},
		{"fieldcount=10\nfieldlength=50000\n", "w:2: records of 10 fields of 50000 bytes are 500086 bytes, above the service's 400 KB item limit"},
		{"recordcount=1.5\n", "w:1: recordcount = \"1.5\": expected a whole number"},
		{"=5\n", `w:1:1: expected key=value, got "=5"`},
	}
	for _, tt := range tests {
		p, err := ycsbProperties("w", strings.NewReader(tt.file))
		if err == nil {
			_, err = mapYCSB("w", p)
		}
		if err == nil || err.Error() != tt.want {
			t.Errorf("%q: got %v\nwant %s", tt.file, err, tt.want)
		}
	}
}

// The run a workload lasts is operationcount at target in whole seconds,
// up to the most a Duration holds; 0 (no bound) when either is 0, since
// an operationcount of 0 is no limit.
func TestYCSBDuration(t *testing.T) {
	longest := time.Duration(maxYCSBSeconds) * time.Second
	tests := []struct {
		name, file string
		want       time.Duration
	}{
		{"count at target", "operationcount=1000\ntarget=300\n", 4 * time.Second},
		{"last operation on a whole second", "operationcount=3000\ntarget=100\n", 31 * time.Second},
		{"no target", "operationcount=1000\n", 0},
		{"no operation limit", "operationcount=0\ntarget=5\n", 0},
		{"tiny target", "target=1e-300\n", longest},
		{"count past a Duration", "operationcount=9e18\ntarget=1\n", longest},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			y, err := ReadYCSB(strings.NewReader(tt.file), "w", nil)
			if err != nil {
				t.Fatal(err)
			}
			if d := y.Duration(); d != tt.want {
				t.Errorf("duration %v, want %v", d, tt.want)
			}
		})
	}
}

// The core workloads are built in by name, and nothing else is.
func TestCoreWorkload(t *testing.T) {
	for _, name := range []string{"workloada", "workloadb", "workloadc", "workloadd", "workloade", "workloadf"} {
		data, ok := CoreWorkload(name)
		if !ok {
			t.Fatalf("%s: not built in", name)
		}
		if _, err := ReadYCSB(bytes.NewReader(data), name, nil); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	for _, name := range []string{"workloadg", "", "ycsb/workloada", "../trace/ycsb/workloada", "workload*"} {
		if _, ok := CoreWorkload(name); ok {
			t.Errorf("%q is built in", name)
		}
	}
}
