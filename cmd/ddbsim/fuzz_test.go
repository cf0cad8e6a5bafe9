package main

import (
	"bytes"
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/ddbsim/ddbsim"
	"github.com/ddbsim/ddbsim/scenarios"
	"github.com/ddbsim/ddbsim/workload/trace"
)

// FuzzRun's bounds keep one execution near 100 ms, so that the fuzzer
// explores the run path rather than waiting on one long simulation.
const (
	// fuzzDuration is the longest simulated time a run is given: longer
	// scenarios are cut to it with --duration.
	fuzzDuration = 2 * time.Second
	// fuzzMaxEvents is the guard's budget (--max-events): a scenario
	// estimated at more is refused with exit 2, as any run over budget is.
	fuzzMaxEvents = "20k"
	// fuzzMaxItems is the most items a run may preload; the guard would
	// allow far more (half the machine's memory), so the harness skips it.
	fuzzMaxItems = 20_000
	// fuzzMaxInput bounds the scenario text, like FuzzParse's bound.
	fuzzMaxInput = 8 << 10
)

var (
	topDuration = regexp.MustCompile(`(?m)^duration: .*$`)
	rateValue   = regexp.MustCompile(`rate: [0-9.]+(k?)/s`)
	itemCount   = regexp.MustCompile(`count: [0-9.]+[kM]`)
	ycsbCount   = regexp.MustCompile(`(recordcount|operationcount): [0-9]+`)
	// Times within the run: phases, scheduled changes and outages.
	timeWithin = regexp.MustCompile(`\b(at|for|outage): [0-9.]+[smhd]\b`)
)

// smallScenario cuts a built-in scenario of the given duration to a few
// seconds of a few requests a second over a few items, its phases, spikes
// and outages scaled to fit, so that it is a seed the guard lets through
// and that runs in milliseconds.
func smallScenario(data []byte, duration time.Duration) []byte {
	scale := float64(fuzzDuration) / float64(duration)
	s := timeWithin.ReplaceAllStringFunc(string(data), func(m string) string {
		key, value, _ := strings.Cut(m, ": ")
		d, err := time.ParseDuration(value)
		if err != nil {
			return m // days: no phase or outage of the library is that long
		}
		return key + ": " + time.Duration(float64(d)*scale).Round(time.Millisecond).String()
	})
	s = topDuration.ReplaceAllString(s, "duration: "+fuzzDuration.String())
	s = rateValue.ReplaceAllString(s, "rate: 20/s")
	s = itemCount.ReplaceAllString(s, "count: 100")
	s = ycsbCount.ReplaceAllString(s, "$1: 100")
	return []byte(s)
}

// FuzzRun runs any scenario text as `ddbsim run FILE --json -` does, cut
// to a few simulated seconds: parse, build, simulate, the result and its
// JSON. It never panics; it exits 0 or 1 with a result whose JSON decodes
// and whose request counts add up, or 2 with a message naming the file.
func FuzzRun(f *testing.F) {
	for _, e := range scenarios.List() {
		data, ok := scenarios.BuiltinSource(e.Name)
		if !ok {
			f.Fatalf("no source for built-in scenario %s", e.Name)
		}
		sc, err := scenarios.Builtin(e.Name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(smallScenario(data, sc.Duration))
	}
	// A trace beside the scenario that is not there: the run is refused.
	f.Add([]byte(`version: 1
name: missing-trace
duration: 2s
tables:
  - {name: t, partition_key: key, mode: on-demand}
workloads:
  - {name: replay, table: t, trace: requests.csv}
`))
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > fuzzMaxInput {
			t.Skip("larger than any scenario the fuzzer needs")
		}
		dir := t.TempDir()
		path := filepath.Join(dir, "fuzz.yaml")
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		// A scenario may name a trace or YCSB file: one in dir does not
		// exist, which the run must report; one elsewhere could be any
		// file on the machine (/dev/zero), so the harness skips it.
		outside := false
		noFile := func(name string) (trace.File, error) {
			if rel, err := filepath.Rel(dir, name); err != nil || !filepath.IsLocal(rel) {
				outside = true
			}
			return nil, fs.ErrNotExist
		}
		sc, err := scenarios.ParseWith(path, data, scenarios.ParseOptions{Open: noFile, Dir: dir})
		if outside {
			t.Skip("names a file outside the run's directory")
		}
		args := []string{"run", path, "--json", "-", "--max-events", fuzzMaxEvents}
		if err == nil {
			if sc.Duration > fuzzDuration {
				args = append(args, "--duration", fuzzDuration.String())
			}
			if est, err := ddbsim.Estimate(sc, ddbsim.Options{}); err == nil && est.Items > fuzzMaxItems {
				t.Skip("more items than the harness allows")
			}
		}
		var stdout, stderr bytes.Buffer
		code := run(args, &stdout, &stderr)
		switch code {
		case exitOK, exitFailed:
			checkResultJSON(t, stdout.Bytes())
		case exitUsage:
			if !strings.Contains(stderr.String(), path) {
				t.Fatalf("exit 2 with a message that does not name %s:\n%s", path, stderr.String())
			}
		default:
			t.Fatalf("exit %d, want 0, 1 or 2; stderr:\n%s", code, stderr.String())
		}
	})
}

// checkResultJSON checks that a run's result JSON decodes and that its
// requests add up: every request succeeded, was throttled or failed.
func checkResultJSON(t *testing.T, js []byte) {
	t.Helper()
	var res struct {
		Requests *struct {
			Total     int64 `json:"total"`
			Succeeded int64 `json:"succeeded"`
			Throttled int64 `json:"throttled"`
			Errors    int64 `json:"errors"`
		} `json:"requests"`
	}
	if err := json.Unmarshal(js, &res); err != nil {
		t.Fatalf("the result JSON does not decode: %v\n%s", err, js)
	}
	r := res.Requests
	if r == nil {
		t.Fatalf("the result JSON has no requests:\n%s", js)
	}
	if r.Succeeded+r.Throttled+r.Errors != r.Total {
		t.Fatalf("requests: %d succeeded + %d throttled + %d errors != %d in total",
			r.Succeeded, r.Throttled, r.Errors, r.Total)
	}
}
