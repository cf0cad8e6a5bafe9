package main

import (
	"encoding/json"
	"flag"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// aggregateResult is what the agreement test reads of a run's JSON.
type aggregateResult struct {
	Requests struct {
		Total     int64 `json:"total"`
		Throttled int64 `json:"throttled"`
	} `json:"requests"`
	Ratios struct {
		Throttled float64 `json:"throttled"`
	} `json:"ratios"`
	LatencyMs struct {
		P99 float64 `json:"p99"`
	} `json:"latency_ms"`
	Cost struct {
		TotalUSD float64 `json:"total_usd"`
	} `json:"cost"`
}

func runFidelity(t *testing.T, file, fidelity string) (aggregateResult, bool) {
	t.Helper()
	code, stdout, stderr := runCLI("run", file, "--fidelity", fidelity, "--json", "-")
	if code == exitUsage && strings.Contains(stderr, "not supported by --fidelity aggregate") {
		return aggregateResult{}, false
	}
	if code != exitOK && code != exitFailed {
		t.Fatalf("--fidelity %s: exit %d: %s", fidelity, code, stderr)
	}
	var r aggregateResult
	if err := json.Unmarshal([]byte(stdout), &r); err != nil {
		t.Fatalf("--fidelity %s: %v", fidelity, err)
	}
	return r, true
}

// The aggregate driver agrees with the per-request driver on the capacity
// fidelity scenarios: the throttled ratio and the cost within 2%, p99
// latency within 10%. A throttled ratio is compared to within 2% of
// itself or 0.02 percentage points, whichever is larger, so that a
// scenario that throttles nothing must throttle (next to) nothing. The
// scenarios with DAX, secondary indexes, inserts or replicas are beyond
// the aggregate driver, which refuses them: they are skipped.
func TestAggregateAgreesWithRequests(t *testing.T) {
	files, err := filepath.Glob("testdata/fidelity/*.yaml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no fidelity scenarios: %v", err)
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			t.Parallel()
			agg, ok := runFidelity(t, f, "aggregate")
			if !ok {
				t.Skip("uses what --fidelity aggregate does not model")
			}
			req, _ := runFidelity(t, f, "request")
			if d := math.Abs(agg.Ratios.Throttled - req.Ratios.Throttled); d > max(0.02*req.Ratios.Throttled, 0.0002) {
				t.Errorf("throttled ratio %v aggregate, %v per request", agg.Ratios.Throttled, req.Ratios.Throttled)
			}
			if d := math.Abs(agg.Cost.TotalUSD - req.Cost.TotalUSD); d > 0.02*req.Cost.TotalUSD {
				t.Errorf("cost $%v aggregate, $%v per request", agg.Cost.TotalUSD, req.Cost.TotalUSD)
			}
			if d := math.Abs(agg.LatencyMs.P99 - req.LatencyMs.P99); d > 0.1*req.LatencyMs.P99 {
				t.Errorf("p99 %v ms aggregate, %v ms per request", agg.LatencyMs.P99, req.LatencyMs.P99)
			}
			t.Logf("throttled %v / %v, cost $%v / $%v, p99 %v / %v ms (aggregate / per request)",
				agg.Ratios.Throttled, req.Ratios.Throttled, agg.Cost.TotalUSD, req.Cost.TotalUSD,
				agg.LatencyMs.P99, req.LatencyMs.P99)
		})
	}
}

// With the default client, which retries throttles (sdk-v2: three
// attempts, backoff up to 2 s then 4 s, the retry quota), the drivers
// still agree on throttling and cost, and on p99 latency, which retries
// now set: the requests that backed off. Known gap, not checked:
// adaptive-off with retries, whose p99 the aggregate driver puts about
// 12% below the per-request driver's (2.5 s against 2.85 s): a partition
// held to its share throttles a third of its traffic, and the tail is
// requests that backed off twice, whose waits the aggregate driver
// spreads as one uniform around their mean rather than as the sum of two.
//
// The quota gives a successful retry's cost back, so how many retries it
// pays for depends on how often retries succeed. Under constant arrivals
// on one saturated bucket the per-request driver's fresh arrivals are in
// step with the refill and take each token as it comes, so a retry, which
// lands at a random time, almost never succeeds, where the aggregate
// driver gives retries their share of what is admitted (hot-key-ceiling:
// 23,900 retries against 36,420, p99 1.93 s against 2.77 s). hot-key-ceiling
// and ondemand-4x are compared with Poisson arrivals, as clients send,
// where the two agree within 1%; burst-runs-out, whose throttling only
// constant arrivals pin, keeps them, and its p99 is not compared: the
// requests that retried, 1.2% against 1.9% of the run, straddle it (21 ms
// against 805 ms).
func TestAggregateAgreesWithRetries(t *testing.T) {
	for _, c := range []struct {
		name    string
		poisson bool
		p99     bool
	}{
		{"hot-key-ceiling", true, true},
		{"ondemand-4x", true, true},
		{"burst-runs-out", false, false},
	} {
		name := c.name
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			data, err := os.ReadFile(filepath.Join("testdata/fidelity", name+".yaml"))
			if err != nil {
				t.Fatal(err)
			}
			text := strings.Replace(string(data), "client: {retry: none}\n", "", 1)
			if text == string(data) {
				t.Fatal("the scenario no longer says client: {retry: none}")
			}
			if c.poisson {
				text = strings.Replace(text, "arrival: constant", "arrival: poisson", 1)
			}
			f := filepath.Join(t.TempDir(), name+".yaml")
			if err := os.WriteFile(f, []byte(text), 0o644); err != nil {
				t.Fatal(err)
			}
			agg, _ := runFidelity(t, f, "aggregate")
			req, _ := runFidelity(t, f, "request")
			if d := math.Abs(agg.Ratios.Throttled - req.Ratios.Throttled); d > max(0.02*req.Ratios.Throttled, 0.0002) {
				t.Errorf("throttled ratio %v aggregate, %v per request", agg.Ratios.Throttled, req.Ratios.Throttled)
			}
			if d := math.Abs(agg.Cost.TotalUSD - req.Cost.TotalUSD); d > 0.02*req.Cost.TotalUSD {
				t.Errorf("cost $%v aggregate, $%v per request", agg.Cost.TotalUSD, req.Cost.TotalUSD)
			}
			if d := math.Abs(agg.LatencyMs.P99 - req.LatencyMs.P99); c.p99 && d > 0.1*req.LatencyMs.P99 {
				t.Errorf("p99 %v ms aggregate, %v ms per request", agg.LatencyMs.P99, req.LatencyMs.P99)
			}
		})
	}
}

// --fidelity auto keeps every request for a small scenario and says
// nothing; for a large one it uses the aggregate driver and says so.
func TestFidelityAuto(t *testing.T) {
	code, _, stderr := runCLI("run", "testdata/fidelity/adaptive.yaml", "--fidelity", "auto", "--quiet")
	if code != exitOK || strings.Contains(stderr, "aggregate") {
		t.Errorf("small scenario: exit %d, stderr %q", code, stderr)
	}
	code, _, stderr = runCLI("cost", "testdata/aggregate-month.yaml", "--fidelity", "auto", "--duration", "2h")
	if code != exitOK || !strings.Contains(stderr, "--fidelity auto: ~75 million requests estimated, using the aggregate driver") {
		t.Errorf("large scenario: exit %d, stderr %q", code, stderr)
	}
	// The summary and the result JSON say which driver auto chose and
	// why; a driver named on the command line adds nothing.
	code, stdout, _ := runCLI("run", "testdata/aggregate-month.yaml", "--fidelity", "auto", "--duration", "2h")
	if code != exitOK || !strings.Contains(stdout, "driver: aggregate, chosen by --fidelity auto: ~75 million requests estimated, over the 50 million") {
		t.Errorf("large scenario's summary: exit %d, stdout %q", code, stdout)
	}
	code, stdout, _ = runCLI("run", "testdata/fidelity/adaptive.yaml", "--fidelity", "auto", "--json", "-")
	if code != exitOK || !strings.Contains(stdout, `"fidelity": {
    "driver": "request",
    "reason": "~`) {
		t.Errorf("small scenario's JSON: exit %d, stdout %q", code, stdout)
	}
	for _, fidelity := range []string{"request", "aggregate"} {
		_, stdout, _ = runCLI("run", "testdata/fidelity/adaptive.yaml", "--fidelity", fidelity, "--json", "-")
		if strings.Contains(stdout, `"fidelity"`) {
			t.Errorf("--fidelity %s: the JSON names the driver", fidelity)
		}
	}
	for _, args := range [][]string{
		{"run", "--fidelity", "fast"},
		{"run", "--tick", "2s"},
		{"run", "--fidelity", "aggregate", "--tick", "2h"},
		{"run", "--fidelity", "aggregate", "--tick", "7s"},
	} {
		if code, _, _ := runCLI(args...); code != exitUsage {
			t.Errorf("%v: exit %d, want %d", args, code, exitUsage)
		}
	}
	// An LRU of 250 entries under uniform reads of 1,000 keys hits C/N
	// = 25% of them, under the aggregate driver too.
	code, stdout, stderr = runCLI("run", "testdata/fidelity/dax-lru-uniform.yaml", "--fidelity", "aggregate", "--json", "-")
	var res struct {
		Cache struct {
			HitRate float64 `json:"hit_rate"`
		} `json:"cache"`
	}
	if err := json.Unmarshal([]byte(stdout), &res); code != exitOK || err != nil || math.Abs(res.Cache.HitRate-0.25) > 0.005 {
		t.Errorf("DAX under aggregate: exit %d, hit rate %v (%v), stderr %q", code, res.Cache.HitRate, err, stderr)
	}
}

var monthDuration = flag.String("aggregate.duration", "", "run BenchmarkAggregateMonth for this `D` instead of its 30 days")

// BenchmarkAggregateMonth is the aggregate driver's budget: 30 simulated
// days of a diurnal 20,000 requests/s workload, the whole command, on one
// core: on 64 partitions (testdata/aggregate-month.yaml) in under 10
// seconds, on 10,000 (testdata/aggregate-month-10k.yaml) in under 2
// minutes, each under 2 GB. peak-RSS-MB is the process's resident peak
// so far (getrusage), so the larger table runs last. Run it with
// go test -run '^$' -bench AggregateMonth -benchtime 1x -cpu 1.
func BenchmarkAggregateMonth(b *testing.B) {
	for _, c := range []struct{ partitions, file string }{
		{"64", "testdata/aggregate-month.yaml"},
		{"10000", "testdata/aggregate-month-10k.yaml"},
	} {
		b.Run("partitions="+c.partitions, func(b *testing.B) {
			args := []string{"run", c.file, "--fidelity", "aggregate", "--quiet"}
			if *monthDuration != "" {
				args = append(args, "--duration", *monthDuration)
			}
			for range b.N {
				if code, _, stderr := runCLI(args...); code != exitOK && code != exitFailed {
					b.Fatalf("exit %d: %s", code, stderr)
				}
			}
			if rss := peakRSS(); rss > 0 {
				b.ReportMetric(rss/(1<<20), "peak-RSS-MB")
			}
		})
	}
}
