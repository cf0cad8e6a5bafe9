//go:build long

package main

import (
	"encoding/json"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/ddbsim/ddbsim/scenarios"
)

// aggregateRefuses are the built-in scenarios the aggregate driver does
// not model, with what it says about the first thing it refuses. When
// one of them becomes supported the test fails until it is taken off
// this list and agrees with the per-request driver.
var aggregateRefuses = map[string]string{
	"game-state":         "has secondary indexes",
	"global-two-regions": "is a global table",
	"gsi-backpressure":   "has secondary indexes",
	"inventory":          "operation transact_write is",
	"region-outage":      "is a global table",
	"ride-sharing":       "has secondary indexes",
	"serverless-api":     "has a stream",
	"serverless-stream":  "has a stream",
	"shopping-carts":     "has a stream",
	"ttl-sessions":       "has a stream",
	"user-profiles":      "has secondary indexes",
	"voting":             "operation batch_get is",
}

// reasonGaps are the throttle reasons on which the drivers are known to
// differ by more than the test allows, with the most the larger count may
// be, as a multiple of the smaller. On flash-sale the aggregate driver
// puts about 103,000 reads on the key range (the ceiling) where the
// per-request driver puts 59,000 (of 1.33 million throttles, the rest on
// the table's capacity, where both agree): while the burst bank lasts the
// ceiling is shared with writes, and the spread of the ceiling's balance
// that divideBucket assumes lets through fewer cheap reads than
// interleaved requests find room for.
var reasonGaps = map[string]float64{
	"flash-sale/TableReadKeyRangeThroughputExceeded": 2,
}

// driverResult is what the agreement test reads of a run's JSON.
type driverResult struct {
	Requests struct {
		Total     int64 `json:"total"`
		Throttled int64 `json:"throttled"`
	} `json:"requests"`
	Tables []struct {
		ThrottlesByReason map[string]int64 `json:"throttles_by_reason"`
	} `json:"tables"`
	Cost struct {
		TotalUSD float64 `json:"total_usd"`
	} `json:"cost"`
	Cache *struct {
		HitRate float64 `json:"hit_rate"`
	} `json:"cache"`
}

func (r *driverResult) reasons() map[string]int64 {
	out := map[string]int64{}
	for _, t := range r.Tables {
		for k, v := range t.ThrottlesByReason {
			out[k] += v
		}
	}
	return out
}

// Both drivers give the same answers on every built-in scenario the
// aggregate driver models: the throttled ratio within 2 percentage
// points, the cost within 2%, a DAX cache's hit rate within a point, and
// each throttle reason's count within
// 10% of the larger of the two. A reason is compared only where it
// matters: a count below 1% of the requests is tiny (a few hundred
// throttles on a run of millions, where the two drivers' different
// draws of arrivals decide it), and two counts that differ by less than
// 1% of the requests agree. Scenarios it does not model must be refused,
// with the reason aggregateRefuses gives.
func TestDriversAgreeOnTheLibrary(t *testing.T) {
	for _, entry := range scenarios.List() {
		name := entry.Name
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			code, stdout, stderr := runCLI("run", name, "--quiet", "--fidelity", "aggregate", "--json", "-")
			if want, refused := aggregateRefuses[name]; refused {
				if code != exitUsage || !strings.Contains(stderr, want) || !strings.Contains(stderr, "not supported by --fidelity aggregate") {
					t.Fatalf("want a refusal (%q): exit %d, %s", want, code, stderr)
				}
				return
			}
			agg := decodeRun(t, "aggregate", code, stdout, stderr)
			code, stdout, stderr = runCLI("run", name, "--quiet", "--fidelity", "request", "--json", "-")
			req := decodeRun(t, "request", code, stdout, stderr)

			ratio := func(r *driverResult) float64 {
				return 100 * float64(r.Requests.Throttled) / float64(max(r.Requests.Total, 1))
			}
			if d := math.Abs(ratio(agg) - ratio(req)); d > 2 {
				t.Errorf("throttled %.2f%% aggregate, %.2f%% per request", ratio(agg), ratio(req))
			}
			if d := math.Abs(agg.Cost.TotalUSD - req.Cost.TotalUSD); d > 0.02*req.Cost.TotalUSD {
				t.Errorf("cost $%v aggregate, $%v per request", agg.Cost.TotalUSD, req.Cost.TotalUSD)
			}
			// A DAX cache's hit rate: the counted cache follows the LRU
			// to half a point in balance and through a cold start
			// (model/cache), so a point.
			if (agg.Cache == nil) != (req.Cache == nil) {
				t.Errorf("a cache section in one result only")
			} else if agg.Cache != nil && math.Abs(agg.Cache.HitRate-req.Cache.HitRate) > 0.01 {
				t.Errorf("cache hit rate %.4f aggregate, %.4f per request", agg.Cache.HitRate, req.Cache.HitRate)
			}
			small := float64(req.Requests.Total) / 100
			ar, rr := agg.reasons(), req.reasons()
			var names []string
			for k := range ar {
				names = append(names, k)
			}
			for k := range rr {
				if _, ok := ar[k]; !ok {
					names = append(names, k)
				}
			}
			slices.Sort(names)
			for _, k := range names {
				a, r := float64(ar[k]), float64(rr[k])
				if gap, ok := reasonGaps[name+"/"+k]; ok {
					if max(a, r) > gap*min(a, r) {
						t.Errorf("%s (a known gap of up to %vx): %d aggregate, %d per request", k, gap, ar[k], rr[k])
					}
					continue
				}
				if d := math.Abs(a - r); d > 0.1*max(a, r) && d > small {
					t.Errorf("%s: %d aggregate, %d per request", k, ar[k], rr[k])
				}
			}
			t.Logf("throttled %.2f%% / %.2f%%, cost $%v / $%v, reasons %v / %v (aggregate / per request)",
				ratio(agg), ratio(req), agg.Cost.TotalUSD, req.Cost.TotalUSD, ar, rr)
			if agg.Cache != nil && req.Cache != nil {
				t.Logf("cache hit rate %.4f / %.4f", agg.Cache.HitRate, req.Cache.HitRate)
			}
		})
	}
}

func decodeRun(t *testing.T, fidelity string, code int, stdout, stderr string) *driverResult {
	t.Helper()
	if code != exitOK && code != exitFailed {
		t.Fatalf("--fidelity %s: exit %d: %s", fidelity, code, stderr)
	}
	var r driverResult
	if err := json.Unmarshal([]byte(stdout), &r); err != nil {
		t.Fatalf("--fidelity %s: %v", fidelity, err)
	}
	return &r
}
