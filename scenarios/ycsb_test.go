package scenarios

import (
	"io/fs"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/ddbsim/ddbsim/workload/trace"
)

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
	if w.Rate != 500 || w.Arrival != "constant" || w.Requests != 1000 || w.Keys.Distribution != "ycsb-zipfian" {
		t.Errorf("workload %+v", w)
	}
	for extra, want := range map[string]string{
		", rate: 10/s":           "y.yaml:7:42: rate cannot be combined with ycsb: the YCSB file decides it",
		", ycsb_properties: [1]": "y.yaml:7:59: ycsb_properties: expected a mapping, got a list",
		"x":                      "y.yaml:7:31: ycsb: no core workload named workloadbx (workloada to workloadf), and files are not read for a scenario parsed from bytes",
	} {
		_, err := Parse("y.yaml", []byte(doc(extra)))
		if err == nil || !strings.HasPrefix(err.Error(), want) {
			t.Errorf("%q: got %v\nwant %s", extra, err, want)
		}
	}
	// With an Opener, a name that is neither a file nor a core workload.
	_, err = ParseWith("y.yaml", []byte(doc("x")), ParseOptions{Open: memFiles(nil), Dir: "d"})
	if want := "y.yaml:7:31: ycsb: no file d/workloadbx, and no core workload of that name (workloada to workloadf)"; err == nil || err.Error() != want {
		t.Errorf("got %v\nwant %s", err, want)
	}
}

// memFiles is an Opener over files held in memory, by path.
func memFiles(files map[string]string) Opener {
	return func(path string) (trace.File, error) {
		text, ok := files[path]
		if !ok {
			return nil, &fs.PathError{Op: "open", Path: path, Err: fs.ErrNotExist}
		}
		return nopCloser{strings.NewReader(text)}, nil
	}
}

type nopCloser struct{ *strings.Reader }

func (nopCloser) Close() error { return nil }

// A YCSB file the scenario names is read through the Opener, relative to
// Dir; a line that is not a property is the file's own error, and one
// that cannot be mapped is the ycsb key's.
func TestYCSBWorkloadFile(t *testing.T) {
	doc := func(file string) []byte {
		return []byte("version: 1\nname: y\nduration: 1m\ntables:\n  - {name: t, partition_key: key, mode: on-demand}\n" +
			"workloads:\n  - {name: w, table: t, ycsb: " + file + "}\n")
	}
	open := memFiles(map[string]string{
		"d/w":       "recordcount=500\nreadproportion=1\nupdateproportion=0\n",
		"/abs/w":    "recordcount=700\n",
		"d/bad":     "# a comment\n=5\n",
		"d/mapless": "readproportion=lots\n",
	})
	o := ParseOptions{Open: open, Dir: "d"}
	for file, records := range map[string]int64{"w": 500, "/abs/w": 700, "workloada": 1000} {
		sc, err := ParseWith("y.yaml", doc(file), o)
		if err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		if y := sc.Workloads[0].YCSB; y == nil || y.RecordCount != records {
			t.Errorf("%s: %+v, want %d records", file, y, records)
		}
	}
	for file, want := range map[string]string{
		"bad":     `d/bad:2:1: expected key=value, got "=5"`,
		"mapless": `y.yaml:7:31: ycsb: d/mapless:1: readproportion = "lots": expected a non-negative number`,
	} {
		_, err := ParseWith("y.yaml", doc(file), o)
		if err == nil || err.Error() != want {
			t.Errorf("%s: got %v\nwant %s", file, err, want)
		}
	}
}

// The run YCSBScenario derives from operationcount and target: their
// quotient in whole seconds, up to the most a Duration holds; ten minutes
// when either is 0, since an operationcount of 0 is no limit.
func TestYCSBScenarioDuration(t *testing.T) {
	longest := time.Duration(math.MaxInt64/int64(time.Second)) * time.Second
	tests := []struct {
		name, file string
		want       time.Duration
	}{
		{"count at target", "operationcount=1000\ntarget=300\n", 4 * time.Second},
		{"no target", "operationcount=1000\n", 10 * time.Minute},
		{"no operation limit", "operationcount=0\ntarget=5\n", 10 * time.Minute},
		{"tiny target", "target=1e-300\n", longest},
		{"count past a Duration", "operationcount=9e18\ntarget=1\n", longest},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sc, err := YCSBScenario("workload", nil, 0, memFiles(map[string]string{"workload": tt.file}))
			if err != nil {
				t.Fatal(err)
			}
			if sc.Duration != tt.want {
				t.Errorf("duration %v, want %v", sc.Duration, tt.want)
			}
		})
	}
}

// FuzzYCSBScenario turns any bytes, read as a YCSB property file, into
// the scenario `ddbsim run --ycsb FILE` runs: it fails with an error that
// names the file, or gives one YCSB workload and a duration Parse takes.
// (Reading and mapping the file alone is FuzzYCSB's, in workload/trace.)
func FuzzYCSBScenario(f *testing.F) {
	for _, name := range []string{"workloada", "workloadb", "workloadc", "workloadd", "workloade", "workloadf"} {
		data, ok := trace.CoreWorkload(name)
		if !ok {
			f.Fatalf("no core workload %s", name)
		}
		f.Add(data)
	}
	for _, s := range []string{
		"",
		"=5\n",
		"target=1e-300\n",
		"operationcount=9e18\ntarget=1\n",
		"operationcount=0\ntarget=5\n",
		"recordcount=1e19\n",
	} {
		f.Add([]byte(s))
	}
	const path = "dir/workload"
	f.Fuzz(func(t *testing.T, data []byte) {
		sc, err := YCSBScenario(path, nil, 0, memFiles(map[string]string{path: string(data)}))
		switch {
		case err != nil && !strings.Contains(err.Error(), path):
			t.Fatalf("YCSBScenario: the error does not name the file %s: %v", path, err)
		case err != nil && strings.Contains(err.Error(), "duration"):
			// YCSBScenario chooses the duration, so it must be one Parse takes.
			t.Fatalf("YCSBScenario: %v", err)
		case err != nil && sc != nil:
			t.Fatalf("YCSBScenario: a scenario and the error %v", err)
		case err == nil && (sc == nil || len(sc.Workloads) != 1 || sc.Workloads[0].YCSB == nil):
			t.Fatalf("YCSBScenario: no error and no YCSB workload: %+v", sc)
		case err == nil && sc.Duration <= 0:
			t.Fatalf("YCSBScenario: duration %v", sc.Duration)
		}
	})
}
