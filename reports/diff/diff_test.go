package diff_test

import (
	"bytes"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ddbsim/ddbsim"
	"github.com/ddbsim/ddbsim/reports"
	"github.com/ddbsim/ddbsim/reports/diff"
	"github.com/ddbsim/ddbsim/scenarios"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden from the current output")

// resultJSON runs a built-in scenario for a short while, as
// `ddbsim run NAME --duration 30s --json FILE` does, and returns its
// result JSON.
func resultJSON(t *testing.T, name string) []byte {
	t.Helper()
	sc, err := scenarios.Load(name)
	if err != nil {
		t.Fatal(err)
	}
	sc.Duration = 30 * time.Second
	seed := uint64(1)
	if sc.HasSeed {
		seed = sc.Seed
	}
	s, err := ddbsim.Build(sc, ddbsim.Options{Seed: seed})
	if err != nil {
		t.Fatal(err)
	}
	res, err := s.Run()
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := reports.WriteJSON(&b, res); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// The comparison the issue asks for: a hot key against the same load
// sharded over ten keys, read back from the result JSON.
func TestGoldenHotKeyAgainstSharded(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"hot-key", "hot-key-sharded"} {
		if err := os.WriteFile(filepath.Join(dir, name+".json"), resultJSON(t, name), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	d, err := diff.Files(filepath.Join(dir, "hot-key.json"), filepath.Join(dir, "hot-key-sharded.json"))
	if err != nil {
		t.Fatal(err)
	}
	// The files' names, not the temporary directory's.
	d.A.File, d.B.File = "hot-key.json", "hot-key-sharded.json"
	golden(t, "hot-key.txt.golden", diff.Text(d))
	golden(t, "hot-key.json.golden", diff.Encode(d, "json"))
	page := diff.Encode(d, "html")
	golden(t, "hot-key.html.golden", page)
	for _, want := range []string{"Warning: the results are of different scenarios", `id="verdict"`, `class="moved"`} {
		if !bytes.Contains(page, []byte(want)) {
			t.Errorf("the page lacks %q", want)
		}
	}
	for _, banned := range []string{"<script", "http://", "https://", "<link"} {
		if bytes.Contains(page, []byte(banned)) {
			t.Errorf("the page has %q: it must stand alone", banned)
		}
	}
	if len(d.Moves) == 0 || d.Moves[0].Section != "requests" || d.Moves[0].Metric != "throttled" {
		t.Errorf("largest move %+v, want requests throttled (sharding ends the throttling)", d.Moves)
	}
}

// A result against itself: nothing moved, no warning.
func TestSameResult(t *testing.T) {
	r, err := diff.Decode("a.json", resultJSON(t, "web-backend"))
	if err != nil {
		t.Fatal(err)
	}
	d := diff.Compare("a.json", r, "a.json", r)
	if len(d.Warnings) != 0 || len(d.Moves) != 0 || !strings.Contains(d.Verdict, "agree") {
		t.Errorf("warnings %q, moves %+v, verdict %q", d.Warnings, d.Moves, d.Verdict)
	}
}

// Another schema version is compared, with a warning, and fields the
// reader does not know are ignored.
func TestOtherSchemaVersion(t *testing.T) {
	a, err := diff.Decode("a.json", []byte(`{"schema_version": 1, "scenario": "s", "requests": {"total": 10}}`))
	if err != nil {
		t.Fatal(err)
	}
	b, err := diff.Decode("b.json", []byte(`{"schema_version": 2, "scenario": "s", "requests": {"total": 20}, "new_field": {"x": [1]}}`))
	if err != nil {
		t.Fatal(err)
	}
	d := diff.Compare("a.json", a, "b.json", b)
	if len(d.Warnings) != 1 || !strings.Contains(d.Warnings[0], "schema versions (1 and 2)") {
		t.Errorf("warnings %q", d.Warnings)
	}
	if !strings.Contains(d.Verdict, "requests total 10 -> 20 (x2)") {
		t.Errorf("verdict %q", d.Verdict)
	}
}

// A file that is not a result names the file, the JSON path of the value
// at fault, and what was wrong.
func TestReadErrors(t *testing.T) {
	tests := []struct{ json, want string }{
		{``, "x.json: $: invalid JSON at line 1, column 1: unexpected end of JSON input"},
		{`{"schema_version": 1, "requests": {"total": 1,}}`, "x.json: $.requests.total: invalid JSON at line 1, column 47: invalid character '}' looking for beginning of object key string"},
		{"{\n  \"schema_version\": 1,\n  \"tables\": [\n    {\"name\": \"a\"},\n    {\"name\": \"b\", \"partitions\": \"11\"}\n  ]\n}", "x.json: $.tables[1].partitions: expected a number, got string"},
		{`{"schema_version": 1, "tables": [{"throttles_by_reason": {"Table Read": true}}]}`, `x.json: $.tables[0].throttles_by_reason["Table Read"]: expected a number, got bool`},
		{`{"schema_version": 1, "operations": {"get": {"latency_ms": {"p99": "slow"}}}}`, "x.json: $.operations.get.latency_ms.p99: expected a number, got string"},
		{`{"schema_version": 1, "tables": [7]}`, "x.json: $.tables[0]: expected an object, got number"},
		{`[1, 2]`, `x.json: $: expected a result object {"schema_version": 1, ...}, got an array`},
		{`{"scenario": "s"}`, "x.json: $.schema_version: missing or below 1: not a ddbsim result (ddbsim run --json FILE writes one)"},
		{`{"schema_version": "1"}`, "x.json: $.schema_version: expected a number, got string"},
		{`{"schema_version": 1} {}`, "x.json: $: invalid JSON at line 1, column 23: invalid character '{' after top-level value"},
	}
	for _, tt := range tests {
		_, err := diff.Decode("x.json", []byte(tt.json))
		var de *diff.Error
		if !errors.As(err, &de) {
			t.Errorf("%s: error %v, want a *diff.Error", tt.json, err)
			continue
		}
		if err.Error() != tt.want {
			t.Errorf("%s:\n got %s\nwant %s", tt.json, err, tt.want)
		}
	}
	_, err := diff.ReadFile(filepath.Join(t.TempDir(), "nosuch.json"))
	if err == nil || !strings.HasSuffix(err.Error(), "nosuch.json: no such file or directory") {
		t.Errorf("a missing file: %v", err)
	}
}

// FuzzDecode: any bytes give a result or an *Error naming the file, never
// a panic; a result it accepts compares with itself and renders.
func FuzzDecode(f *testing.F) {
	f.Add([]byte(`{"schema_version": 1, "tables": [{"name": "t", "throttles_by_reason": {"r": 1}}], "operations": {"get": {"count": 1}}}`))
	f.Add([]byte(`{"schema_version": 1, "cost": {"breakdown": {"storage": 1.5}}, "thresholds": [{"name": "p99_ms", "expr": "< 5", "value": null}]}`))
	f.Add([]byte(`{"schema_version": 1, "tables": [{"name": 1}]}`))
	f.Add([]byte(`[{"a": [1, {"b": "c"}]}`))
	f.Add([]byte(`{"schema_version": 2, "requests": {"total": -1e308}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := diff.Decode("f.json", data)
		if err != nil {
			var de *diff.Error
			if !errors.As(err, &de) || !strings.HasPrefix(err.Error(), "f.json: ") {
				t.Fatalf("error %v is not a *diff.Error naming the file", err)
			}
			if de.Path != "" && !strings.HasPrefix(de.Path, "$") {
				t.Fatalf("path %q does not start at $", de.Path)
			}
			return
		}
		d := diff.Compare("f.json", r, "f.json", r)
		diff.Text(d)
		diff.Encode(d, "json")
		diff.Encode(d, "html")
	})
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (go test -update writes it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs (go test -update rewrites it):\n--- got\n%s", name, got)
	}
}
