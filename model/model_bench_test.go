package model

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"testing"

	"github.com/ddbsim/ddbsim/model/cache"
	"github.com/ddbsim/ddbsim/model/latency"
	"github.com/ddbsim/ddbsim/model/store"
	"github.com/ddbsim/ddbsim/model/units"
	"github.com/ddbsim/ddbsim/sim"
)

// The benchmarks in this file use the package's exported API only, and a
// recorder of their own, so that changes inside the model do not break
// them. scripts/bench.sh runs them with the others (make bench).

// nopRecorder discards everything: the benchmarks measure the model, not
// a recorder.
type nopRecorder struct{}

func (nopRecorder) Consumed(sim.Time, int, int, units.Units, units.Units) {}
func (nopRecorder) Throttle(sim.Time, *ThrottleEvent)                     {}
func (nopRecorder) Retry(sim.Time, int, units.Op)                         {}
func (nopRecorder) Finish(Outcome)                                        {}
func (nopRecorder) Sample(sim.Time, int, *TableState)                     {}
func (nopRecorder) Event(sim.Time, CapacityEvent)                         {}
func (nopRecorder) Cache(sim.Time, *CacheEvent)                           {}
func (nopRecorder) Global(sim.Time, *GlobalEvent)                         {}

// benchSink keeps the benchmarks' results alive past the compiler.
var benchSink int

// BenchmarkPartitionOf measures locating a key's partition from its hash
// (Table.PartitionOf, a binary search of the partitions' range starts)
// on tables of 64 and 1,024 partitions. One op is one lookup.
func BenchmarkPartitionOf(b *testing.B) {
	for _, n := range []int{64, 1024} {
		b.Run(fmt.Sprintf("partitions=%d", n), func(b *testing.B) {
			svc, err := NewService([]TableConfig{{Name: "t", Schema: store.KeySchema{PartitionKey: "pk"},
				ReadCapacity: 1000, WriteCapacity: 1000, Partitions: n}},
				DefaultParams(), latency.DefaultLatency(), rand.New(rand.NewPCG(1, 1)), nopRecorder{})
			if err != nil {
				b.Fatal(err)
			}
			t := svc.Tables()[0]
			if t.Partitions() != n {
				b.Fatalf("%d partitions, want %d", t.Partitions(), n)
			}
			r := rand.New(rand.NewPCG(1, 2))
			hashes := make([]uint64, 4096) // a power of two: indexed with a mask
			for i := range hashes {
				hashes[i] = r.Uint64()
			}
			sum, i := 0, 0
			b.ReportAllocs()
			for b.Loop() {
				sum += t.PartitionOf(hashes[i&(len(hashes)-1)])
				i++
			}
			benchSink = sum
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "lookups/s")
		})
	}
}

// BenchmarkDAXLookup measures the DAX item-cache hit path: an eventually
// consistent GetItem sent through a cluster (Service.Handle with ViaDAX)
// whose item cache holds every key asked for, over 4k and 100k distinct
// keys of a 100k-item table. A hit is the cache lookup, the cluster's
// capacity, the recorder's cache event and a latency sample; it reaches
// no partition. One op is one lookup; every one must be a hit.
func BenchmarkDAXLookup(b *testing.B) {
	for _, nkeys := range []int{4096, 100_000} {
		b.Run(fmt.Sprintf("keys=%d", nkeys), func(b *testing.B) {
			cfg := TableConfig{Name: "t", Schema: store.KeySchema{PartitionKey: "pk"}, ReadCapacity: 40000, WriteCapacity: 40000,
				ItemCount: 100_000, ItemSize: 1024}
			svc, err := NewService([]TableConfig{cfg}, DefaultParams(), latency.DefaultLatency(), rand.New(rand.NewPCG(1, 1)), nopRecorder{})
			if err != nil {
				b.Fatal(err)
			}
			if _, err := svc.AddDAX(cache.ClusterConfig{Name: "c", Nodes: 11, NodeType: "dax.r5.8xlarge", ItemTTL: 1000 * sim.Hour,
				QueryTTL: 1000 * sim.Hour}, []int{0}); err != nil {
				b.Fatal(err)
			}
			// Keys in a shuffled order, so consecutive lookups touch
			// unrelated cache slots, as a skewed workload's do.
			r := rand.New(rand.NewPCG(3, 4))
			keys := make([][]byte, nkeys)
			for i, k := range r.Perm(nkeys) {
				keys[i] = store.AppendSyntheticKey(nil, int64(k))
			}
			now := sim.Time(0)
			for _, k := range keys { // fill the item cache: each first get is a miss
				now += 100 * sim.Microsecond
				req := Request{Op: units.OpGet, Key: k, ViaDAX: true}
				svc.Handle(now, &req)
			}
			misses, i := 0, 0
			b.ReportAllocs()
			for b.Loop() {
				now += 100 * sim.Microsecond
				req := Request{Op: units.OpGet, Key: keys[i], ViaDAX: true}
				if i++; i == len(keys) {
					i = 0
				}
				if svc.Handle(now, &req).Cache != CacheItemHit {
					misses++
				}
			}
			if misses > 0 {
				b.Fatalf("%d of %d lookups were not item-cache hits", misses, b.N)
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "lookups/s")
		})
	}
}

// BenchmarkPreload1M loads a table of 1M keys, one 1 KB item each (the
// default scenario's table with ten times its keys), as NewService does
// before a run, and reports the memory it holds once loaded, after a
// collection: B/item, the heap it added per item, and heap-B, the heap
// in use (HeapInuse) with it live. alloc-B is what loading allocated in
// all, garbage included, so the heap's peak while loading is at most
// the heap before plus alloc-B. One op is one load.
func BenchmarkPreload1M(b *testing.B) {
	const n = 1_000_000
	cfg := TableConfig{Name: "t", Schema: store.KeySchema{PartitionKey: "pk"}, ReadCapacity: 400, WriteCapacity: 100,
		ItemCount: n, ItemSize: 1024}
	var perItem, inuse, allocated float64
	for b.Loop() {
		var before, after runtime.MemStats
		b.StopTimer()
		runtime.GC()
		runtime.ReadMemStats(&before)
		b.StartTimer()
		svc, err := NewService([]TableConfig{cfg}, DefaultParams(), latency.DefaultLatency(), rand.New(rand.NewPCG(1, 1)), nopRecorder{})
		if err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		runtime.GC()
		runtime.ReadMemStats(&after)
		if got := svc.Tables()[0].Store().Len(); got != n {
			b.Fatalf("%d items loaded, want %d", got, n)
		}
		runtime.KeepAlive(svc)
		b.StartTimer()
		perItem = float64(after.HeapAlloc-before.HeapAlloc) / n
		inuse = float64(after.HeapInuse)
		allocated = float64(after.TotalAlloc - before.TotalAlloc)
	}
	b.ReportMetric(perItem, "B/item")
	b.ReportMetric(inuse, "heap-B")
	b.ReportMetric(allocated, "alloc-B")
}
