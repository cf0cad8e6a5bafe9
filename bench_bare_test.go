package ddbsim

import (
	"math/bits"
	"math/rand/v2"
	"testing"

	"github.com/HdrHistogram/hdrhistogram-go"

	"github.com/ddbsim/ddbsim/model/capacity"
	"github.com/ddbsim/ddbsim/model/latency"
	"github.com/ddbsim/ddbsim/model/store"
	"github.com/ddbsim/ddbsim/model/units"
	"github.com/ddbsim/ddbsim/scenarios"
	"github.com/ddbsim/ddbsim/sim"
	"github.com/ddbsim/ddbsim/workload"
)

// zipfReadScenario is the 1M-key Zipf read scenario: one provisioned
// table with capacity to spare (40,000 RCU, 14 partitions, against the
// 10,000 RCU that 20,000 eventual 1 KB reads a second use), a million 1 KB
// items, and a steady 20,000 GetItem calls a second over them, Zipf 0.99.
// Nothing throttles, so every request is one arrival, one lookup, one
// latency sample and one record.
const zipfReadScenario = `version: 1
name: zipf-1m-read
seed: 1
duration: 1h
tables:
  - name: t
    partition_key: id
    mode: provisioned
    read_capacity: 40000
    write_capacity: 100
    items: {count: 1M, size: 1KB}
workloads:
  - name: reads
    table: t
    rate: 20000/s
    mix: {get: 100%}
    keys: {distribution: zipf, exponent: 0.99, count: 1M}
    item_size: 1KB
    consistency: eventual
`

// bareLoop is the least a simulator of one table must do for a request,
// written with the project's own parts and no layer between them: the
// kernel's event queue (one event a request, which schedules the next),
// a Zipf key from workload.Zipf, the key named and hashed to a partition
// (store.AppendSyntheticKey, store.HashKey, equal hash ranges), the
// partition's capacity.TokenBucket, a GetItem service time from the
// latency model's lognormal, and an HDR histogram record of it, as the
// collector keeps the run's latencies.
type bareLoop struct {
	k     *sim.Kernel
	r     *rand.Rand
	zipf  *workload.Zipf
	key   []byte
	parts []capacity.TokenBucket
	cost  units.Units
	size  int
	lat   latency.LatencyModel
	hist  *hdrhistogram.Histogram
	gap   sim.Time
	left  int
	taken int
}

// newBareLoop returns a bare loop over keys keys (Zipf 0.99) and
// partitions partitions of rcu read capacity in all, issuing a GetItem
// of itemSize bytes every gap.
func newBareLoop(keys int64, partitions int, rcu int64, itemSize int, gap sim.Time) *bareLoop {
	l := &bareLoop{
		k:    sim.New(1),
		zipf: workload.NewZipf(keys, 0.99),
		key:  make([]byte, 0, 24),
		cost: units.ReadUnits(itemSize, units.Eventual),
		size: itemSize,
		lat:  latency.DefaultLatency(),
		// As the collector's whole-run latency histogram: 1 µs to an
		// hour, three significant figures.
		hist: hdrhistogram.New(1, int64(sim.Hour/sim.Microsecond), 3),
		gap:  gap,
	}
	l.r = l.k.Stream("bare")
	l.lat.Prepare()
	share := units.WholeUnits(rcu) / units.Units(partitions)
	for range partitions {
		l.parts = append(l.parts, capacity.NewTokenBucket(share, 300*share))
	}
	return l
}

// Fire handles one request and schedules the next.
func (l *bareLoop) Fire(now sim.Time) {
	l.key = store.AppendSyntheticKey(l.key[:0], l.zipf.Next(l.r, now))
	h := store.HashKey(l.key)
	p, _ := bits.Mul64(h, uint64(len(l.parts)))
	if b := &l.parts[p]; b.CanTake(now, l.cost) {
		b.Take(now, l.cost)
		l.taken++
	}
	d := l.lat.Service(l.r, units.OpGet, units.Eventual, l.size)
	_ = l.hist.RecordValue(int64(d / sim.Microsecond))
	if l.left--; l.left > 0 {
		l.k.At(now+l.gap, l)
	}
}

// run handles n requests.
func (l *bareLoop) run(n int) {
	l.left = n
	l.k.At(l.k.Now()+l.gap, l)
	l.k.Run(sim.Time(1<<62 - 1))
}

// BenchmarkBareLoop compares the request path with a bare loop on the
// same scenario, in one process: for each scenario it runs the bare loop
// (loop=bare) and then the request path (loop=request-path, as
// BenchmarkRequestPath/recorder=collector times it: a reports.Collector
// records the run, set-up untimed). One op is one request. With -count
// the pair alternates, so the two see the same machine; the request
// path's x-bare is its requests/s over the bare loop's just before it,
// the figure docs/performance.md tabulates: 1.0 is the bare loop's speed.
//
// The scenarios are the 1M-key Zipf read scenario (zipfReadScenario) and
// the default scenario (web-backend, 100k items, Zipf 0.99 over them, a
// fifth of the requests writes). The bare loop takes each one's keys,
// partitions, read capacity, item size and steady rate.
func BenchmarkBareLoop(b *testing.B) {
	zipf, err := scenarios.Parse("zipf-1m-read.yaml", []byte(zipfReadScenario))
	if err != nil {
		b.Fatal(err)
	}
	def, err := scenarios.Builtin(scenarios.DefaultName)
	if err != nil {
		b.Fatal(err)
	}
	for _, sc := range []*scenarios.Scenario{zipf, def} {
		if len(sc.Workloads) != 1 || len(sc.Tables) != 1 {
			b.Fatalf("%s: the benchmark wants one table and one workload", sc.Name)
		}
		s, _ := buildRecorded(b, sc)
		partitions := s.Service.Tables()[0].Partitions()
		t, w := sc.Tables[0], sc.Workloads[0]
		bare := func() *bareLoop {
			return newBareLoop(w.Keys.Count, partitions, int64(t.ReadCapacity), int(w.ItemSize.Fixed),
				sim.FromSeconds(1/w.Rate))
		}
		var bareRate float64
		b.Run("scenario="+sc.Name+"/loop=bare", func(b *testing.B) {
			b.StopTimer()
			l := bare()
			b.StartTimer()
			l.run(b.N)
			b.StopTimer()
			if l.taken == 0 {
				b.Fatal("the bare loop admitted no request")
			}
			bareRate = float64(b.N) / b.Elapsed().Seconds()
			b.ReportMetric(bareRate, "requests/s")
		})
		b.Run("scenario="+sc.Name+"/loop=request-path", func(b *testing.B) {
			benchRequestPath(b, sc, func(sc *scenarios.Scenario) *Simulation { s, _ := buildRecorded(b, sc); return s })
			if bareRate > 0 {
				b.ReportMetric(float64(b.N)/b.Elapsed().Seconds()/bareRate, "x-bare")
			}
		})
	}
}
