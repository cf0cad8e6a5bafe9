package reports_test

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/ddbsim/ddbsim/reports"
	"github.com/ddbsim/ddbsim/reports/internal/fixture"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden from the current output")

func TestGoldenJSON(t *testing.T) {
	var b bytes.Buffer
	if err := reports.WriteJSON(&b, fixture.Synthetic()); err != nil {
		t.Fatal(err)
	}
	golden(t, "result.json.golden", b.Bytes())
}

func TestGoldenSummary(t *testing.T) {
	var b bytes.Buffer
	if err := reports.WriteSummary(&b, fixture.Synthetic()); err != nil {
		t.Fatal(err)
	}
	golden(t, "summary.golden", b.Bytes())
	for i, line := range bytes.Split(b.Bytes(), []byte{'\n'}) {
		if bytes.HasSuffix(line, []byte{' '}) || bytes.Contains(line, []byte{'\t'}) {
			t.Errorf("summary line %d has trailing space or a tab: %q", i+1, line)
		}
	}
}

// TestDeterminism: the same calls give the same bytes (encoding/json sorts
// map keys; nothing else may depend on map order).
func TestDeterminism(t *testing.T) {
	out := func() []byte {
		var b bytes.Buffer
		r := fixture.Synthetic()
		if err := reports.WriteJSON(&b, r); err != nil {
			t.Fatal(err)
		}
		if err := reports.WriteSummary(&b, r); err != nil {
			t.Fatal(err)
		}
		return b.Bytes()
	}
	first := out()
	for range 3 {
		if !bytes.Equal(first, out()) {
			t.Fatal("two runs of the same calls wrote different bytes")
		}
	}
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
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the output (go test -update rewrites it)\n--- got:\n%s\n--- want:\n%s", path, got, want)
	}
}
