package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/ddbsim/ddbsim"
	"github.com/ddbsim/ddbsim/scenarios"
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
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > fuzzMaxInput {
			t.Skip("larger than any scenario the fuzzer needs")
		}
		path := filepath.Join(t.TempDir(), "fuzz.yaml")
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		args := []string{"run", path, "--json", "-", "--max-events", fuzzMaxEvents}
		if sc, err := scenarios.Parse(path, data); err == nil {
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
