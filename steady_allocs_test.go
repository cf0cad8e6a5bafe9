package ddbsim

import (
	"fmt"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/ddbsim/ddbsim/scenarios"
	"github.com/ddbsim/ddbsim/sim"
)

// TestSteadyStateAllocatesNothing pins the request path's zero allocations
// in steady state on the default scenario and on a global table: each is
// built as `ddbsim run` builds it (Build, recorded by its
// reports.Collector), run through a warm-up while the request pool, the
// event queue and the collector's buffers grow to their working size, and
// the requests of the steady window that follows, with their per-second
// samples, billing and auto-scaling checks (and, on the global table,
// their replication to the other region and its records), must allocate
// nothing at all. The long tier runs every built-in scenario
// (TestSteadyStateAllocatesNothingLibrary).
func TestSteadyStateAllocatesNothing(t *testing.T) {
	if testing.Short() {
		t.Skip("runs ten simulated minutes")
	}
	for _, w := range []steadyWindow{
		// web-backend's first eight minutes are a steady 300 requests/s:
		// the seventh and eighth, 36,000 requests, are measured.
		{name: scenarios.DefaultName, from: 6 * sim.Minute, to: 8 * sim.Minute},
		// global-two-regions is steady throughout, 100 requests/s, a
		// quarter of them writes replicated to the other region: its
		// third minute, 6,000 requests, is measured.
		{name: "global-two-regions", from: 2 * sim.Minute, to: 3 * sim.Minute},
	} {
		t.Run(w.name, func(t *testing.T) { w.check(t) })
	}
}

// steadyWindow is where a scenario's allocations are measured: from is
// the end of its warm-up, to the end of its steady window.
type steadyWindow struct {
	name     string
	from, to sim.Time
	// growth, when not zero, is the growth allocations a request allowed
	// instead of growthPerRequest, and why.
	growth float64
	why    string
}

// growthPerRequest bounds the allocations a request of a steady window
// may cause at the places of growthSites: in the library's windows they
// are at most one in ten thousand requests.
const growthPerRequest = 0.001

// A growthSite is a place that allocates as the run's state grows to
// its working size, never per request: its function is the innermost of
// the simulation's on the allocating stack, and via, when set, another
// on the stack (a map growing; the caller).
type growthSite struct{ fn, via string }

// growthSites are the places whose allocations the run's state growing
// makes, each bounded by what the scenario has: its keys, its peak of
// requests in flight, its partitions, its retention.
var growthSites = []growthSite{
	// The item store holding items it did not hold: its slabs' chunks (a
	// new item's entry, its collection's room in a bucket, a grown
	// collection's entries) and key chunks, one per thousands of new
	// items; its free lists reaching a new peak of freed slices; its
	// buckets doubling. A scenario writing a new key in every request
	// (voting) stays far below growthPerRequest.
	{fn: module + "/model/store.(*slab[...]).newChunk"},
	{fn: module + "/model/store.(*slab[...]).get"},
	{fn: module + "/model/store.(*slab[...]).put"},
	{fn: module + "/model/store.(*keyArena).key"},
	{fn: module + "/model/store.(*index).grow"},
	// DAX's record of each written collection, and a global table's
	// stamp of each written item: maps growing with the keys written.
	{fn: module + "/model.(*Table).wrote", via: "internal/runtime/maps."},
	{fn: module + "/model.(*Service).replicate", via: "internal/runtime/maps."},
	{fn: module + "/model.(*Service).deliver", via: "internal/runtime/maps."},
	// A global table's replications in flight, 256 at a time, when an
	// outage strands them, and the list of delivered ones to reuse.
	{fn: module + "/model.(*globalTable).newReplication"},
	{fn: module + "/model.(*replication).Fire"},
	// A DAX cache filling to its size.
	{fn: module + "/model/cache.(*LRU).alloc"},
	{fn: module + "/model/cache.(*LRU).grow"},
	// A workload's pooled requests (with their key buffers and batch
	// items), at a new peak of requests in flight.
	{fn: module + "/workload.(*Source).get"},
	{fn: module + "/model/store.AppendSyntheticKey", via: module + "/workload.(*Source)."},
	{fn: module + "/workload.(*Source).batch"},
	{fn: module + "/workload.(*request).Fire"},
	// The list of free requests, which a request joins when its response
	// is reported (at once, when it is final as sent), growing to the
	// peak of requests in flight.
	{fn: module + "/workload.(*Source).report"},
	{fn: module + "/sim.(*queue).pushHeap"}, // the event heap growing to its working size
	// A partition split: the new partition's state and series, and the
	// event recording it.
	{fn: module + "/model.(*Table).split"},
	{fn: module + "/model.(*Table).sample"},
	{fn: module + "/reports.(*Collector).addPartitions"},
	{fn: module + "/reports.(*Collector).Event"},
	// The first throttles of a kind, kept to explain it (at most
	// explanationsPerKind a kind).
	{fn: module + "/reports.(*Collector).throttle"},
	// A stream's records, kept for its retention.
	{fn: module + "/model/stream.(*streamShard).push"},
	// The TTL sweeper's list of freed slots, at a new peak of expiries,
	// and its index taking in the preloaded items coming due.
	{fn: module + "/model/ttl.(*Sweeper).drop"},
	{fn: module + "/model/ttl.(*Sweeper).preload", via: "internal/runtime/maps."},
}

// check runs the scenario to w.from, then measures w.from to w.to: the
// growth of growthSites is bounded, and anything else allocating fails.
func (w steadyWindow) check(t *testing.T) {
	t.Helper()
	sc, err := scenarios.Builtin(w.name)
	if err != nil {
		t.Fatal(err)
	}
	s, err := Build(sc, Options{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	if w.to > s.Duration {
		t.Fatalf("the window ends at %v, after the run's %v", w.to, s.Duration)
	}
	s.Start()
	s.AdvanceTo(w.from)
	before := arrived(s)
	a := measureAllocs(func() { s.AdvanceTo(w.to) })
	requests := arrived(s) - before
	if requests < 1000 {
		t.Fatalf("%d requests in the window %v to %v, too few to measure", requests, w.from, w.to)
	}
	growth, a := a.split(growthSites)
	bound, why := growthPerRequest, "growthPerRequest"
	if w.growth > 0 {
		bound, why = w.growth, w.why
	}
	if n := growth.count(); float64(n) > bound*float64(requests) {
		t.Errorf("%d allocations growing the run's state over %d requests (%.4f a request), want at most %g (%s):\n%s",
			n, requests, float64(n)/float64(requests), bound, why, growth.report())
	} else if n > 0 {
		t.Logf("the run's state growing: %d allocations over %d requests (%.5f a request)", n, requests, float64(n)/float64(requests))
	}
	if n := a.count(); n > 0 {
		t.Errorf("%d allocations over %d requests in steady state (%.4f a request), want 0:\n%s",
			n, requests, float64(n)/float64(requests), a.report())
	}
}

// module is the import path every package of the simulation is under.
const module = "github.com/ddbsim/ddbsim"

// allocs are the allocations made while a function ran, by call stack.
// Only those made under the simulation's own code count: the runtime's
// own (its timers, the garbage collector's workers) are not the
// request path's, and are dropped.
type allocs struct {
	sites map[[32]uintptr]int64
}

// measureAllocs runs f with every allocation profiled
// (runtime.MemProfileRate 1, which the runtime takes up at the next
// allocation) and returns what it allocated. Garbage collections before
// and after publish the profile's records (runtime.MemProfile).
func measureAllocs(f func()) allocs {
	rate := runtime.MemProfileRate
	defer func() { runtime.MemProfileRate = rate }()
	runtime.MemProfileRate = 1
	runtime.GC()
	before := profileSites()
	f()
	runtime.GC()
	a := allocs{sites: profileSites()}
	for k := range a.sites {
		a.sites[k] -= before[k]
		fs := frames(k)
		if a.sites[k] <= 0 || slices.Contains(fs, module+".profileSites") ||
			!slices.ContainsFunc(fs, func(fn string) bool { return strings.HasPrefix(fn, module) }) {
			delete(a.sites, k) // none, the profile read before f, or the runtime's
		}
	}
	return a
}

// profileSites returns the heap profile's allocation counts by stack.
func profileSites() map[[32]uintptr]int64 {
	var recs []runtime.MemProfileRecord
	n, _ := runtime.MemProfile(nil, true)
	for {
		recs = make([]runtime.MemProfileRecord, n+50)
		var ok bool
		if n, ok = runtime.MemProfile(recs, true); ok {
			break
		}
	}
	out := make(map[[32]uintptr]int64, n)
	for _, r := range recs[:n] {
		out[r.Stack0] += r.AllocObjects
	}
	return out
}

// split parts a into the allocations at one of sites and the rest.
func (a allocs) split(sites []growthSite) (at, rest allocs) {
	at, rest = allocs{sites: map[[32]uintptr]int64{}}, allocs{sites: map[[32]uintptr]int64{}}
	for k, n := range a.sites {
		if slices.ContainsFunc(sites, func(g growthSite) bool { return g.holds(frames(k)) }) {
			at.sites[k] = n
		} else {
			rest.sites[k] = n
		}
	}
	return at, rest
}

// holds reports whether the stack fs, innermost first, allocates at g.
func (g growthSite) holds(fs []string) bool {
	i := slices.IndexFunc(fs, func(fn string) bool { return strings.HasPrefix(fn, module) })
	return i >= 0 && fs[i] == g.fn && (g.via == "" || slices.ContainsFunc(fs, func(fn string) bool { return strings.HasPrefix(fn, g.via) }))
}

// count is the number of allocations.
func (a allocs) count() int64 {
	var n int64
	for _, c := range a.sites {
		n += c
	}
	return n
}

// report lists the allocating call stacks, most allocations first.
func (a allocs) report() string {
	type site struct {
		n  int64
		fn []string
	}
	var ss []site
	for k, n := range a.sites {
		fs := slices.DeleteFunc(frames(k), func(fn string) bool { return strings.HasPrefix(fn, "runtime.") })
		ss = append(ss, site{n, fs})
	}
	slices.SortFunc(ss, func(x, y site) int { return int(y.n - x.n) })
	var b strings.Builder
	for i, s := range ss[:min(len(ss), 8)] {
		fmt.Fprintf(&b, "%d: %d from %s\n", i+1, s.n, strings.Join(s.fn[:min(len(s.fn), 4)], " < "))
	}
	return b.String()
}

// frames names the functions of a profiled stack, innermost first.
func frames(stack [32]uintptr) []string {
	pcs := stack[:]
	if i := slices.Index(pcs, 0); i >= 0 {
		pcs = pcs[:i]
	}
	var out []string
	fs := runtime.CallersFrames(pcs)
	for {
		f, more := fs.Next()
		out = append(out, f.Function)
		if !more {
			return out
		}
	}
}

// BenchmarkGlobalTable is one run of global-two-regions as `ddbsim run`
// makes it (Build, Run): 120,000 requests on a global table of two
// replicas, a fifth of them writes replicated to the other region. One
// op is one run; ns/request and allocs/request are its wall time and
// allocations, build and result included, over its requests.
func BenchmarkGlobalTable(b *testing.B) {
	sc, err := scenarios.Builtin("global-two-regions")
	if err != nil {
		b.Fatal(err)
	}
	requests, mallocs := benchWholeRuns(b, func() *Simulation {
		s, err := Build(sc, Options{Seed: 1})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := s.Run(); err != nil {
			b.Fatal(err)
		}
		return s
	})
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(requests), "ns/request")
	b.ReportMetric(float64(mallocs)/float64(requests), "allocs/request")
}
