package ddbsim

import (
	"math"
	"testing"

	"github.com/ddbsim/ddbsim/reports"
	"github.com/ddbsim/ddbsim/scenarios"
)

// runBoth runs a scenario under both drivers.
func runBoth(t *testing.T, name, text string) (agg, req *reports.Result) {
	t.Helper()
	sc, err := scenarios.Parse(name+".yaml", []byte(text))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []Fidelity{FidelityAggregate, FidelityRequest} {
		s, err := Build(sc, Options{Seed: 1, Fidelity: f})
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		r, err := s.Run()
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		if f == FidelityAggregate {
			agg = r
		} else {
			req = r
		}
	}
	return agg, req
}

// The DAX half of user-profiles (its index aside): profile reads and
// edits through a two-node cluster, strong reads and edits that bypass
// it (the bypassing edits leave cached profiles stale), and sign-ups
// written through it. The aggregate driver's item cache hits as the
// per-request one does, to half a point; it counts the stale hits to
// within 15% (a thousand of them); the bill agrees to 2%.
func TestAggregateDAXUserProfiles(t *testing.T) {
	agg, req := runBoth(t, "profiles-dax", `version: 1
name: profiles-dax
seed: 17
duration: 10m
tables:
  - name: users
    partition_key: user_id
    mode: provisioned
    read_capacity: 500
    write_capacity: 250
    items: {count: 500k, size: 2KB}
    dax: {name: profiles-cache, nodes: 2, node_type: dax.t3.small}
workloads:
  - name: profile-pages
    table: users
    rate: 2000/s
    mix: {get: 97%, update: 3%}
    keys: {distribution: zipf, exponent: 0.9}
    item_size: 2KB
  - name: account-settings
    table: users
    dax: false
    rate: 50/s
    mix: {get: {share: 80%, consistency: strong}, update: 20%}
    keys: {distribution: uniform}
    item_size: 2KB
  - name: signups
    table: users
    rate: 5/s
    mix: {insert: 100%}
    item_size: 2KB
`)
	a, r := agg.Cache, req.Cache
	t.Logf("hit rate %.4f / %.4f, stale %d / %d, writes %d / %d, entries %d / %d, cost $%v / $%v (aggregate / per request)",
		a.HitRate, r.HitRate, a.StaleReads, r.StaleReads, a.Writes, r.Writes,
		a.Clusters[0].ItemEntries, r.Clusters[0].ItemEntries, agg.Cost.TotalUSD, req.Cost.TotalUSD)
	if math.Abs(a.HitRate-r.HitRate) > 0.005 {
		t.Errorf("hit rate %.4f aggregate, %.4f per request", a.HitRate, r.HitRate)
	}
	if d := math.Abs(float64(a.StaleReads - r.StaleReads)); d > 0.15*float64(r.StaleReads) {
		t.Errorf("stale reads %d aggregate, %d per request", a.StaleReads, r.StaleReads)
	}
	if d := math.Abs(agg.Cost.TotalUSD - req.Cost.TotalUSD); d > 0.02*req.Cost.TotalUSD {
		t.Errorf("cost $%v aggregate, $%v per request", agg.Cost.TotalUSD, req.Cost.TotalUSD)
	}
}

// A cluster asked for more than it serves throttles the rest
// (DAXThrottlingException): one dax.t3.small node (25,000 normalized
// requests a second) under 4,000 gets of 4 KB a second and 500 writes of
// 4 KB at 100 each. The cheap hits get through, the misses and writes
// mostly do not: the per-request driver throttles 28% of requests and
// its hit rate climbs to 90%, as misses are refused. The aggregate
// driver throttles the same share to 2 points, every throttle the
// cluster's.
func TestAggregateDAXThrottles(t *testing.T) {
	agg, req := runBoth(t, "dax-over", `version: 1
name: dax-over
seed: 3
duration: 2m
client: {retry: none}
tables:
  - name: t
    partition_key: id
    mode: on-demand
    items: {count: 200k, size: 4KB}
    dax: {name: small, nodes: 1, node_type: dax.t3.small}
workloads:
  - name: w
    table: t
    rate: 4500/s
    mix: {get: 89%, put: 11%}
    keys: {distribution: zipf, exponent: 1.0}
    item_size: 4KB
`)
	ratio := func(r *reports.Result) float64 {
		return float64(r.Requests.Throttled) / float64(r.Requests.Total)
	}
	t.Logf("throttled %.4f / %.4f, DAX throttles %d / %d, hit rate %.4f / %.4f (aggregate / per request)",
		ratio(agg), ratio(req), agg.Cache.Throttled, req.Cache.Throttled, agg.Cache.HitRate, req.Cache.HitRate)
	if ratio(req) < 0.1 {
		t.Fatalf("the per-request driver throttles %.4f: the test needs an overloaded cluster", ratio(req))
	}
	if math.Abs(ratio(agg)-ratio(req)) > 0.02 {
		t.Errorf("throttled %.4f aggregate, %.4f per request", ratio(agg), ratio(req))
	}
	if got := agg.Tables[0].ThrottlesByReason["DAXThrottlingException"]; got != agg.Requests.Throttled {
		t.Errorf("aggregate: %d DAX throttles of %d: %v", got, agg.Requests.Throttled, agg.Tables[0].ThrottlesByReason)
	}
}
