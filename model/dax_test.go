package model

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/ddbsim/ddbsim/model/cache"
	"github.com/ddbsim/ddbsim/model/store"
	"github.com/ddbsim/ddbsim/model/units"
	"github.com/ddbsim/ddbsim/sim"
)

// cheHitRate is the Che approximation of an LRU cache's hit rate under
// the independent reference model (H. Che, Y. Tung, Z. Wang, "Hierarchical
// Web caching systems: modeling, design and experimental results", IEEE
// JSAC 20(7), 2002): the cache's characteristic time T solves
// sum_i (1 - exp(-p_i T)) = C, and the hit rate is
// sum_i p_i (1 - exp(-p_i T)). It is computed here from the formula,
// independently of the cache.
func cheHitRate(p []float64, capacity int) float64 {
	filled := func(T float64) float64 {
		sum := 0.0
		for _, pi := range p {
			sum += 1 - math.Exp(-pi*T)
		}
		return sum
	}
	lo, hi := 0.0, 1.0
	for filled(hi) < float64(capacity) {
		hi *= 2
	}
	for range 200 {
		mid := (lo + hi) / 2
		if filled(mid) < float64(capacity) {
			lo = mid
		} else {
			hi = mid
		}
	}
	hit := 0.0
	for _, pi := range p {
		hit += pi * (1 - math.Exp(-pi*lo))
	}
	return hit
}

// zipfProbabilities are the key popularities p_i ∝ 1/(i+1)^s over n keys.
func zipfProbabilities(n int, s float64) []float64 {
	p := make([]float64, n)
	sum := 0.0
	for i := range p {
		p[i] = math.Pow(float64(i+1), -s)
		sum += p[i]
	}
	for i := range p {
		p[i] /= sum
	}
	return p
}

func daxService(t *testing.T, table TableConfig, dax cache.ClusterConfig) (*Service, *countingRecorder) {
	t.Helper()
	svc, rec := newTestServiceWith(t, DefaultParams(), table)
	if _, err := svc.AddDAX(dax, []int{0}); err != nil {
		t.Fatal(err)
	}
	return svc, rec
}

// The item cache is an LRU: under Zipf-distributed GetItem traffic its
// hit rate is what the Che approximation predicts for its size, within 2
// percentage points, across exponents and cache sizes (REFERENCE: dax,
// "TTL ... and LRU eviction"). The TTL is long enough not to matter, and
// the first 50,000 requests, which fill the cache, are not counted.
func TestDAXItemCacheMatchesCheApproximation(t *testing.T) {
	const (
		keys     = 10_000
		warmup   = 50_000
		requests = 250_000
	)
	for _, s := range []float64{0.8, 1.0, 1.2} {
		p := zipfProbabilities(keys, s)
		cdf := make([]float64, keys)
		sum := 0.0
		for i, pi := range p {
			sum += pi
			cdf[i] = sum
		}
		for _, capacity := range []int{100, 1000} {
			svc, rec := daxService(t,
				TableConfig{Name: "t", Mode: OnDemand, ItemCount: keys, ItemSize: kb},
				cache.ClusterConfig{Name: "c", Nodes: 1, NodeType: "dax.r5.large", ItemTTL: 100 * sim.Hour,
					ItemCacheItems: int64(capacity)})
			r := rand.New(rand.NewPCG(uint64(capacity), math.Float64bits(s)))
			req := Request{Op: units.OpGet, ViaDAX: true}
			var key []byte
			var hits, misses int
			for i := range warmup + requests {
				k, _ := slices.BinarySearch(cdf, r.Float64())
				key = store.AppendSyntheticKey(key[:0], int64(min(k, keys-1)))
				req.Key = key
				// 2,000 requests a second: far below the cluster's and
				// the table's capacity.
				resp := svc.Handle(sim.Time(i)*500*sim.Microsecond, &req)
				if i < warmup {
					continue
				}
				switch resp.Cache {
				case CacheItemHit:
					hits++
				case CacheItemMiss:
					misses++
				default:
					t.Fatalf("request %d: cache access %v", i, resp.Cache)
				}
			}
			got := float64(hits) / float64(hits+misses)
			want := cheHitRate(p, capacity)
			t.Logf("zipf %.1f, %5d entries: hit rate %.4f, Che %.4f", s, capacity, got, want)
			if math.Abs(got-want) > 0.02 {
				t.Errorf("zipf %.1f, %d entries: hit rate %.4f, Che approximation %.4f: more than 2 points apart",
					s, capacity, got, want)
			}
			if n := rec.cache[CacheItemHit] + rec.cache[CacheItemMiss]; n != warmup+requests {
				t.Fatalf("recorder saw %d cache accesses, want %d", n, warmup+requests)
			}
		}
	}
}

// REFERENCE: dax — writes "do NOT invalidate the query cache, so query
// results can be stale until TTL"; the item cache is written through.
func TestDAXQueryResultsStayStaleUntilTTL(t *testing.T) {
	svc, rec := daxService(t,
		TableConfig{Name: "t", Schema: store.KeySchema{PartitionKey: "pk", SortKey: "sk"}, Mode: OnDemand,
			ItemCount: 100, ItemSize: kb, ItemsPerKey: 10},
		cache.ClusterConfig{Name: "c", Nodes: 1, NodeType: "dax.r5.large", ItemTTL: sim.Minute, QueryTTL: sim.Minute})
	key := store.AppendSyntheticKey(nil, 1)
	query := Request{Op: units.OpQuery, Key: key, ViaDAX: true}
	get := Request{Op: units.OpGet, Key: key, SortIndex: 3, ViaDAX: true}
	put := Request{Op: units.OpPut, Key: key, SortIndex: 3, Size: 2 * kb, ViaDAX: true}
	steps := []struct {
		at        sim.Time
		req       Request
		want      CacheAccess
		wantStale bool
	}{
		{1 * sim.Second, query, CacheQueryMiss, false},
		{2 * sim.Second, query, CacheQueryHit, false},
		{2 * sim.Second, get, CacheItemMiss, false},
		{3 * sim.Second, put, CacheWrite, false},
		// The query cache still holds the result from before the write.
		{4 * sim.Second, query, CacheQueryHit, true},
		{30 * sim.Second, query, CacheQueryHit, true},
		// The item cache was written through: fresh.
		{4 * sim.Second, get, CacheItemHit, false},
		// The query result expires a minute after it was cached.
		{61 * sim.Second, query, CacheQueryMiss, false},
		{62 * sim.Second, query, CacheQueryHit, false},
	}
	for i, st := range steps {
		before := rec.stale
		req := st.req
		resp := svc.Handle(st.at, &req)
		if resp.Cache != st.want {
			t.Fatalf("step %d at %v: %v, want %v", i, st.at, resp.Cache, st.want)
		}
		stale := rec.stale != before
		if stale != st.wantStale {
			t.Errorf("step %d at %v: stale %v, want %v", i, st.at, stale, st.wantStale)
		}
	}
}

// An item written by a client that bypasses DAX stays stale in the item
// cache until its TTL; negative caching keeps a missing item missing.
func TestDAXItemCacheStaleAfterDirectWriteAndNegativeCaching(t *testing.T) {
	svc, rec := daxService(t,
		TableConfig{Name: "t", Mode: OnDemand, ItemCount: 10, ItemSize: kb},
		cache.ClusterConfig{Name: "c", Nodes: 1, NodeType: "dax.r5.large", ItemTTL: sim.Minute})
	get := func(at sim.Time, k int64) Response {
		req := Request{Op: units.OpGet, Key: store.AppendSyntheticKey(nil, k), ViaDAX: true}
		return svc.Handle(at, &req)
	}
	get(sim.Second, 1)
	direct := Request{Op: units.OpPut, Key: store.AppendSyntheticKey(nil, 1), Size: 3 * kb}
	svc.Handle(2*sim.Second, &direct)
	if r := get(3*sim.Second, 1); r.Cache != CacheItemHit || rec.stale[CacheItemHit] != 1 {
		t.Errorf("after a direct write: %v with %d stale hits, want a stale item hit", r.Cache, rec.stale[CacheItemHit])
	}
	if r := get(62*sim.Second, 1); r.Cache != CacheItemMiss {
		t.Errorf("after the TTL: %v, want a miss", r.Cache)
	}
	// Item 99 does not exist: the miss is cached, and costs the table
	// nothing the second time.
	get(70*sim.Second, 99)
	readBefore := rec.consumedRead
	if r := get(71*sim.Second, 99); r.Cache != CacheItemHit || rec.consumedRead != readBefore {
		t.Errorf("missing item again: %v, table read %v units; want a hit from the negative cache and no read",
			r.Cache, rec.consumedRead-readBefore)
	}
	// Strongly consistent reads pass through.
	strong := Request{Op: units.OpGet, Key: store.AppendSyntheticKey(nil, 2), Consistency: units.Strong, ViaDAX: true}
	if r := svc.Handle(72*sim.Second, &strong); r.Cache != CachePassThrough || r.Read != units.WholeUnits(1) {
		t.Errorf("strong read: %v reading %v units, want pass-through reading 1", r.Cache, r.Read)
	}
}

// REFERENCE: dax, sizing — the documented example: 50,000 hits, 1,000
// misses and 100 writes a second, all of 2 KB, on 3 nodes, is
// 50,000 x 2 + 1,000 x 2 x 10 + 100 x 2 x 25 x 3 = 135,000 normalized
// requests a second, which three r5.large (75,000 each) serve.
func TestDAXSizingExample(t *testing.T) {
	if got := cache.NormalizedLoad(50_000, 1_000, 100, 2, 3); got != 135_000 {
		t.Errorf("DAXNormalizedLoad = %v, want 135,000", got)
	}
	for _, tc := range []struct {
		nodes     int
		throttles bool
	}{{3, false}, {1, true}} {
		svc, rec := daxService(t,
			TableConfig{Name: "t", Mode: OnDemand, ItemCount: 300_000, ItemSize: 2 * kb},
			cache.ClusterConfig{Name: "c", Nodes: tc.nodes, NodeType: "dax.r5.large", ItemTTL: sim.Hour})
		const end = 4 * sim.Second
		h := newHarness(svc, end)
		// Warm 1,000 keys into the item cache before the measured traffic.
		warm := &load{from: 0, to: 500 * sim.Millisecond, rate: 2000, pick: func(i int) []byte { return store.AppendSyntheticKey(nil, int64(i)) },
			req: Request{Op: units.OpGet, ViaDAX: true}}
		hits := &load{from: sim.Second, to: end, rate: 50_000, pick: func(i int) []byte { return store.AppendSyntheticKey(nil, int64(i%1000)) },
			req: Request{Op: units.OpGet, ViaDAX: true}}
		misses := &load{from: sim.Second, to: end, rate: 1_000, pick: func(i int) []byte { return store.AppendSyntheticKey(nil, int64(1000+i)) },
			req: Request{Op: units.OpGet, ViaDAX: true}}
		writes := &load{from: sim.Second, to: end, rate: 100, pick: func(i int) []byte { return store.AppendSyntheticKey(nil, int64(200_000+i)) },
			req: Request{Op: units.OpPut, Size: 2 * kb, ViaDAX: true}}
		for _, l := range []*load{warm, hits, misses, writes} {
			h.add(l)
		}
		h.k.Run(end)
		if tc.throttles {
			if rec.throttles[DAXThrottled] == 0 {
				t.Errorf("%d node: no DAX throttles at 135,000 normalized requests/s on 75,000 of capacity", tc.nodes)
			}
			continue
		}
		if rec.throttles[DAXThrottled] != 0 || rec.cache[CacheItemMiss] != 1000+3*1000 {
			t.Errorf("%d nodes: %d DAX throttles, %d misses; want none and 4,000", tc.nodes, rec.throttles[DAXThrottled], rec.cache[CacheItemMiss])
		}
		// The samples at 3 s and 4 s cover whole seconds of the example's
		// traffic.
		if len(rec.cacheLoads) != 4 {
			t.Fatalf("%d samples of the cluster's load, want 4", len(rec.cacheLoads))
		}
		for s := 2; s < len(rec.cacheLoads); s++ {
			if got := rec.cacheLoads[s].Float(); math.Abs(got-135_000) > 0.01*135_000 {
				t.Errorf("%d nodes, second %d: normalized load %.0f, want 135,000", tc.nodes, s+1, got)
			}
		}
	}
}
