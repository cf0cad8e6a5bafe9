package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// serve runs its session to --duration, then writes the outputs run
// --out writes.
func TestServeWritesOutputsAtTheEnd(t *testing.T) {
	dir := t.TempDir()
	var stdout, stderr bytes.Buffer
	code := run([]string{"serve", "--listen", "127.0.0.1:0", "--duration", "20s", "--time-scale", "20",
		"--no-latency", "--out", dir, "--seed", "3"}, &stdout, &stderr)
	if code != exitOK {
		t.Fatalf("exit %d\n%s", code, stderr.String())
	}
	if !strings.Contains(stderr.String(), "serving the DynamoDB API on http://127.0.0.1:") {
		t.Errorf("stderr: %s", stderr.String())
	}
	// Without a scenario and with no table created there is nothing to
	// write.
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("outputs of an empty session: %v", entries)
	}

	code = run([]string{"serve", "web-backend", "--listen", "127.0.0.1:0", "--duration", "20s", "--time-scale", "20",
		"--no-latency", "--out", dir}, &stdout, &stderr)
	if code != exitOK {
		t.Fatalf("exit %d\n%s", code, stderr.String())
	}
	for _, name := range []string{"summary.txt", "result.json", "timeseries.csv", "report.html"} {
		if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
			t.Errorf("no %s: %v", name, err)
		}
	}
	js, _ := os.ReadFile(filepath.Join(dir, "result.json"))
	if !bytes.Contains(js, []byte(`"duration_s": 20`)) {
		t.Errorf("result.json does not cover 20 s:\n%.400s", js)
	}
}

func TestServeRefusesBadArguments(t *testing.T) {
	for _, args := range [][]string{
		{"serve", "--time-scale", "0"},
		{"serve", "--duration", "soon"},
		{"serve", "a", "b"},
		{"serve", "no-such-scenario"},
	} {
		var stdout, stderr bytes.Buffer
		if code := run(args, &stdout, &stderr); code != exitUsage {
			t.Errorf("%v: exit %d, want %d\n%s", args, code, exitUsage, stderr.String())
		}
	}
}

// serve takes the shared flags with their meaning elsewhere: --json writes
// the session's results, --quiet keeps standard error free of the banner,
// --free-tier takes the free tier off the bill, a bad --prices is refused.
func TestServeSharedFlags(t *testing.T) {
	var stdout, stderr bytes.Buffer
	code := run([]string{"serve", "web-backend", "--listen", "127.0.0.1:0", "--duration", "10s", "--time-scale", "20",
		"--no-latency", "--quiet", "--free-tier", "--json", "-"}, &stdout, &stderr)
	if code != exitOK {
		t.Fatalf("exit %d\n%s", code, stderr.String())
	}
	if stderr.Len() != 0 {
		t.Errorf("--quiet printed on standard error: %s", stderr.String())
	}
	var sessions []struct {
		Session string `json:"session"`
		Result  struct {
			DurationS float64 `json:"duration_s"`
			Cost      struct {
				Lines []struct {
					Free float64 `json:"free"`
				} `json:"lines"`
			} `json:"cost"`
		} `json:"result"`
	}
	if err := json.Unmarshal(stdout.Bytes(), &sessions); err != nil || len(sessions) != 1 {
		t.Fatalf("--json -: %v, %d sessions\n%.300s", err, len(sessions), stdout.String())
	}
	s := sessions[0]
	free := 0.0
	for _, l := range s.Result.Cost.Lines {
		free += l.Free
	}
	if s.Session != "" || s.Result.DurationS != 10 || free == 0 {
		t.Errorf("session %q over %g s, %g units free; want the scenario's, 10 s, the free tier taken off", s.Session, s.Result.DurationS, free)
	}
	stderr.Reset()
	if code := run([]string{"serve", "--prices", filepath.Join(t.TempDir(), "none.yaml")}, &stdout, &stderr); code != exitUsage ||
		!strings.Contains(stderr.String(), "--prices") {
		t.Errorf("a missing --prices file: exit %d, %s", code, stderr.String())
	}
}
