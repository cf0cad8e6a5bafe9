package scenarios

import (
	"math"
	"strings"
	"testing"

	"github.com/ddbsim/ddbsim/model/units"
)

// The six core workloads run from their property files and produce the
// operation mix each file defines, within 1% (issue: YCSB workload
// files). With 100,000 operations a share's standard deviation is at most
// 0.16%, so 1% is six of them.
func TestYCSBCoreWorkloadMixes(t *testing.T) {
	// Shares per operation issued; a read-modify-write is a get and an
	// update, an insert a put.
	want := map[string]map[units.Op]float64{
		"a": {units.OpGet: 0.5, units.OpUpdate: 0.5},
		"b": {units.OpGet: 0.95, units.OpUpdate: 0.05},
		"c": {units.OpGet: 1},
		"d": {units.OpGet: 0.95, units.OpPut: 0.05},
		"e": {units.OpScan: 0.95, units.OpPut: 0.05},
		"f": {units.OpGet: 1, units.OpUpdate: 0.5},
	}
	for _, x := range []string{"a", "b", "c", "d", "e", "f"} {
		t.Run("workload"+x, func(t *testing.T) {
			sc, err := Builtin("ycsb-" + x)
			if err != nil {
				t.Fatal(err)
			}
			sc.Workloads[0].Requests = 100000
			var rec opsTally
			s, err := Build(sc, 1, &rec)
			if err != nil {
				t.Fatal(err)
			}
			s.Run()
			ops := float64(sc.Workloads[0].Requests)
			if got := rec.finished - rec.byOp[units.OpUpdate]*boolInt(x == "f"); float64(got) != ops {
				t.Fatalf("%d operations, want the operationcount %v", got, ops)
			}
			for op, share := range want[x] {
				if got := float64(rec.byOp[op]) / ops; math.Abs(got-share) > 0.01 {
					t.Errorf("%v: %.4f of operations, want %.2f", op, got, share)
				}
			}
			for op := range units.NumOps {
				if _, ok := want[x][op]; !ok && rec.byOp[op] > 0 {
					t.Errorf("%d %v requests, which workload %s does not issue", rec.byOp[op], op, x)
				}
			}
		})
	}
}

func boolInt(b bool) int64 {
	if b {
		return 1
	}
	return 0
}

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
	wantMix := []MixEntry{{Op: "get", Weight: 0.6}, {Op: "update", Weight: 0.2}, {Op: "insert", Weight: 0.1}, {Op: "scan", Weight: 0.1}}
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
	m, _ := ycsbProperties("w", []byte(strings.Join(lines, "\n")))
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
		p, err := ycsbProperties("w", []byte(tt.file))
		if err == nil {
			_, err = mapYCSB("w", p)
		}
		if err == nil || err.Error() != tt.want {
			t.Errorf("%q: got %v\nwant %s", tt.file, err, tt.want)
		}
	}
}

// A ycsb workload takes its shape from the file: other keys that would
// decide it are errors; missing files are reported.
func TestYCSBWorkloadParse(t *testing.T) {
	doc := func(extra string) string {
		return "version: 1\nname: y\nduration: 1m\ntables:\n  - {name: t, partition_key: key, mode: on-demand}\n" +
			"workloads:\n  - {name: w, table: t, ycsb: workloadb" + extra + "}\n"
	}
	sc, err := Parse("y.yaml", []byte(doc(", ycsb_properties: {target: 500}")))
	if err != nil {
		t.Fatal(err)
	}
	w := sc.Workloads[0]
	if w.Rate != 500 || w.Arrival != "constant" || w.Requests != 1000 || w.Keys.Distribution != "zipf" {
		t.Errorf("workload %+v", w)
	}
	for extra, want := range map[string]string{
		", rate: 10/s":           "y.yaml:7:42: rate cannot be combined with ycsb: the YCSB file decides it",
		", ycsb_properties: [1]": "y.yaml:7:59: ycsb_properties: expected a mapping, got a list",
		"x":                      "y.yaml:7:31: ycsb: no file workloadbx, and no core workload of that name (workloada to workloadf)",
	} {
		_, err := Parse("y.yaml", []byte(doc(extra)))
		if err == nil || !strings.HasPrefix(err.Error(), want) {
			t.Errorf("%q: got %v\nwant %s", extra, err, want)
		}
	}
}
