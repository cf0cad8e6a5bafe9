package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// importInputs are the importer's example files: an on-demand table and
// four minutes of its writes, one of them missing.
var importInputs = []string{
	"../../importer/testdata/orders-on-demand.json",
	"../../importer/testdata/orders-writes-statistics.json",
}

func TestImportCommand(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "orders.yaml")
	for _, tc := range []struct {
		name   string
		args   []string
		code   int
		stdout string // a fragment of standard output
		stderr string // a fragment of standard error
	}{
		{"stdout", importInputs, exitOK, "- [33.33333, 33.33333, ~, 66.66667]", ""},
		{"flags", append([]string{"--strong-reads", "20%", "--arrival", "constant", "--burst", "2", "--keys", "zipf:1.1", "--name", "nov"}, importInputs...),
			exitOK, "name: nov", ""},
		{"no files", nil, exitUsage, "", "import needs at least one file"},
		{"missing file", []string{filepath.Join(dir, "nope.json")}, exitUsage, "", "nope.json"},
		{"not aws", []string{"../../importer/testdata/not-aws.json"}, exitUsage, "",
			"not-aws.json: $: expected CloudWatch output (get-metric-data, get-metric-statistics, the --metric-data-queries JSON, get-insight-rule-report) or AWS output"},
		{"bad strong reads", append([]string{"--strong-reads", "lots"}, importInputs...), exitUsage, "", `--strong-reads: expected a percentage such as 20%, got "lots"`},
		{"bad arrival", append([]string{"--arrival", "bursty"}, importInputs...), exitUsage, "", `arrival: expected poisson or constant, got "bursty"`},
		{"no history", importInputs[:1], exitUsage, "", "no CloudWatch history in the inputs"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := runCLI(append([]string{"import"}, tc.args...)...)
			if code != tc.code || !strings.Contains(stdout, tc.stdout) || !strings.Contains(stderr, tc.stderr) {
				t.Errorf("exit %d, want %d\nstdout: %.400s\nstderr: %s\nwant stdout with %q, stderr with %q", code, tc.code, stdout, stderr, tc.stdout, tc.stderr)
			}
		})
	}
	// -o writes the file whole, through a temporary and a rename, and
	// prints nothing; a failed import leaves the previous file as it was.
	code, stdout, stderr := runCLI(append([]string{"import", "-o", out}, importInputs...)...)
	if code != exitOK || stdout != "" {
		t.Fatalf("-o: exit %d, stdout %q, stderr %s", code, stdout, stderr)
	}
	first, err := os.ReadFile(out)
	if err != nil || !strings.Contains(string(first), "write_units: 24000") {
		t.Fatalf("-o wrote %q (%v)", first, err)
	}
	code, _, _ = runCLI("import", "-o", out, importInputs[0])
	if code != exitUsage {
		t.Fatalf("an import without history: exit %d, want %d", code, exitUsage)
	}
	if again, _ := os.ReadFile(out); string(again) != string(first) {
		t.Error("a failed import changed the -o file")
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("the -o directory holds %d entries, want only the scenario (no temporaries left)", len(entries))
	}
}
