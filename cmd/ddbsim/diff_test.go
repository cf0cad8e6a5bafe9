package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// diff compares two run --json results: text by default, --json - in its
// place, --html and --json FILE written whole; a file that is not a result
// exits 2 naming it and the JSON path.
func TestDiffCommand(t *testing.T) {
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a.json"), filepath.Join(dir, "b.json")
	for _, run := range [][]string{{"hot-key", a}, {"hot-key-sharded", b}} {
		if code, _, stderr := runCLI("run", run[0], "--duration", "10s", "--quiet", "--json", run[1]); code != exitFailed && code != exitOK {
			t.Fatalf("run %s: exit %d\n%s", run[0], code, stderr)
		}
	}
	code, stdout, stderr := runCLI("diff", a, b, "--html", filepath.Join(dir, "diff.html"), "--json", filepath.Join(dir, "diff.json"))
	if code != exitOK || stderr != "" || !strings.Contains(stdout, "\nverdict: largest moves from A to B: requests throttled") {
		t.Errorf("diff: exit %d, stderr %q\n%s", code, stderr, stdout)
	}
	for _, name := range []string{"diff.html", "diff.json"} {
		if data, err := os.ReadFile(filepath.Join(dir, name)); err != nil || len(data) == 0 {
			t.Errorf("%s: %v", name, err)
		}
	}
	if code, stdout, _ := runCLI("diff", a, b, "--json", "-"); code != exitOK || !strings.HasPrefix(stdout, "{\n") || strings.Contains(stdout, "verdict: ") {
		t.Errorf("diff --json -: exit %d, want only JSON:\n%s", code, stdout)
	}
	bad := filepath.Join(dir, "bad.json")
	os.WriteFile(bad, []byte(`{"schema_version": 1, "tables": [{"partitions": "many"}]}`), 0o644)
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{a}, "ddbsim: diff needs two result files: ddbsim diff A.json B.json\n"},
		{[]string{a, bad}, "ddbsim: diff: " + bad + ": $.tables[0].partitions: expected a number, got string\n"},
		{[]string{filepath.Join(dir, "none.json"), b}, "ddbsim: diff: " + filepath.Join(dir, "none.json") + ": no such file or directory\n"},
	} {
		code, stdout, stderr := runCLI(append([]string{"diff"}, tt.args...)...)
		if code != exitUsage || stdout != "" || stderr != tt.want {
			t.Errorf("diff %v: exit %d, stdout %q, stderr %q; want 2 and %q", tt.args, code, stdout, stderr, tt.want)
		}
	}
}
