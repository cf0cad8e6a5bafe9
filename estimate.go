package ddbsim

import (
	"cmp"
	"fmt"
	"math"

	"github.com/ddbsim/ddbsim/model/capacity"
	"github.com/ddbsim/ddbsim/reports"
	"github.com/ddbsim/ddbsim/scenarios"
	"github.com/ddbsim/ddbsim/sim"
	"github.com/ddbsim/ddbsim/workload"
	"github.com/ddbsim/ddbsim/workload/trace"
)

// The resource guard's arithmetic: before a simulation is built, its
// requests, events and memory are estimated from the scenario alone, so
// that a run that would take hours or exhaust the machine's memory can be
// refused with the estimate rather than started.

// perRequestEventsPerSecond and aggregateEventsPerSecond are the drivers'
// speeds on one core, for the time a run will take (docs: performance):
// 1.7 million requests a second at two events each; 30 days of one-second
// ticks of two events each in 25 s, over 64 partitions.
const (
	perRequestEventsPerSecond = 3.4e6
	aggregateEventsPerSecond  = 2e5
)

// BytesPerItem is what a preloaded item costs in the store: 78 B a 1 KB
// item at 1M keys (BenchmarkPreload1M), rounded up for keys with longer
// names and the store's growth slack.
const BytesPerItem = 100

// BytesFixed is the heap a run holds whatever its scenario: the kernel,
// the collector's histograms and per-second series of a short run, the
// model's tables. The smallest built-in scenarios (global-two-regions,
// hot-key: 50 and 10,000 items) peak at 3 to 4 MiB of live heap
// (TestEstimateMemoryLibrary).
const BytesFixed = 2 << 20

// BytesPerCachedItem is what an item costs in a DAX cluster's item
// cache: dax-read-cache's cache of its 100,000 keys grows the run's live
// heap by about 7 MiB over its 15 minutes (TestEstimateMemoryLibrary),
// some 75 B a key, rounded up.
const BytesPerCachedItem = 80

// BytesPerSecondSeries is what Options.Series (--out) keeps for each
// simulated second with requests: its latency histogram, encoded, 240 to
// 930 B on the built-in scenarios (the Intervals of their results),
// rounded up for the slice's growth.
const BytesPerSecondSeries = 1 << 10

// BytesPerTablePoint is what the collector keeps for each table and
// series point: 64 per-step series of 8 B (consumption, capacity, burst,
// outcomes and throttles by reason).
const BytesPerTablePoint = 64 * 8

// BytesPerPartition is what a partition costs the model besides its
// series: its token buckets, ceiling and heat, and the collector's
// slices of it. Across 10,000 partitions of the aggregate month's
// table, each partition added 1,177 B of live heap to a 10-second
// per-request run, 440 B of it its series; 3,000 on-demand tables of 8
// partitions each peak at 36 MB.
const BytesPerPartition = 1 << 10

// BytesPerPartitionAggregate is BytesPerPartition under the aggregate
// driver, which keeps each partition's share of every workload's
// traffic too: 2,015 B a partition on the same 10-second run, 440 B of
// it its series; a table of 10,000 partitions run for an hour peaks at
// 185 MiB (TestEstimateMemoryPartitions).
const BytesPerPartitionAggregate = 2 << 10

// partitionSeriesBytes is what a table of parts partitions keeps of
// per-partition series over points series points: a point each
// partition and series point (reports.BytesPerPartitionPoint), at most
// reports.PartitionSeriesBudget, the collector coarsening them to fit.
func partitionSeriesBytes(parts int, points float64) float64 {
	return min(reports.PartitionSeriesBudget, float64(parts)*points*reports.BytesPerPartitionPoint)
}

// Partitions is about how many partitions table t of sc starts with, as
// the model allocates them (REFERENCE: partitions;
// capacity.InitialPartitions): by its provisioned capacity, or an
// on-demand table's instant capacity (its warm throughput, or twice its
// previous peak: capacity.OnDemandInstant, before the account quota and
// the table's maximum, so never fewer than the model starts with), and by
// its starting items' bytes, at least the scenario's partitions. Splits
// during the run are not counted.
func Partitions(sc *scenarios.Scenario, t scenarios.Table) int {
	rcu, wcu := t.ReadCapacity, t.WriteCapacity
	if t.Mode == "on-demand" {
		var warmReads, warmWrites int64
		if w := t.WarmThroughput; w != nil {
			warmReads, warmWrites = int64(w.Reads), int64(w.Writes)
		}
		var peakReads, peakWrites float64
		if p := t.PreviousPeak; p != nil {
			peakReads, peakWrites = p.Reads, p.Writes
		}
		rcu = capacity.OnDemandInstant(capacity.OnDemandWarmReads, warmReads, peakReads)
		wcu = capacity.OnDemandInstant(capacity.OnDemandWarmWrites, warmWrites, peakWrites)
	}
	items := startingItems(sc, t)
	return max(capacity.InitialPartitions(rcu, wcu, items.Count*items.Size), int(t.Partitions))
}

// BytesPerRequestInFlight is what a request costs while it is in flight:
// the client's state of it, its key and the kernel event that ends it. A
// million trace records at one instant, all in flight at once, take 340
// MB (TestTraceBurstMemory measures it).
const BytesPerRequestInFlight = 340

// requestLifetime is how long a replayed record's request is taken to
// stay in flight: its response, or a throttle's first backoffs. The
// records of the trace's busiest window of this length, at the replay's
// speed, are in flight together.
const requestLifetime = sim.Second

// Rendering `--out`'s plots is work the kernel's events do not count:
// each table has a capacity plot and a key heatmap, each drawn as SVG
// and PNG, about 0.08 s and 400 KB held until written (1,000 tables took
// 163 s and 478 MB); the plots of the whole run (latency, throughput,
// spectrum, cost) take about 1.5 s.
const (
	renderSecondsPerTable = 0.08
	renderSecondsFixed    = 1.5
	renderBytesPerTable   = 400 << 10
)

// Resources are what a simulation of a scenario is expected to cost.
type Resources struct {
	// Driver is the driver the estimate is for: the one the options
	// name, or the one FidelityAuto would choose by the scenario's size.
	Driver   Fidelity
	Requests float64 // client requests over the run
	Events   float64 // kernel events: what the run's time is made of
	// Items is about how many items the tables and their replicas hold
	// at the end: those preloaded and those the workloads' writes add
	// (writtenItems).
	Items float64
	// Retries is the most retries the requests can make: each request
	// up to the retry policy's max_attempts, fewer when the policy's
	// retry quota runs dry first. Events counts each as one.
	Retries float64
	// InFlight is the most requests a trace replay has in flight at once:
	// the records of its busiest second, at its speed.
	InFlight float64
	// Partitions is about how many partitions the tables, replicas and
	// indexes start with (Partitions; an index counts as one): each
	// keeps per-partition series (reports.PartitionSeriesBudget).
	Partitions float64
	// PartitionBytes is the part of Memory the partitions take: their
	// state and their series.
	PartitionBytes float64
	Memory         float64 // bytes of live heap at the run's peak, roughly
	// Tables counts the tables, replicas and indexes that are simulated,
	// each sampled every second and, with Options.Series (--out), each
	// drawn in plots.
	Tables float64
	// RenderSeconds is about how long drawing the plots takes, with
	// Options.Series (--out); 0 without.
	RenderSeconds float64
	// Seconds is about how long the run takes on one core, rendering
	// included.
	Seconds float64
}

// RenderEvents is the rendering of est's plots counted as the events that
// would take as long, so that one budget (--max-events) bounds both.
func (est Resources) RenderEvents() float64 {
	return est.RenderSeconds * perRequestEventsPerSecond
}

// Estimate works out what a simulation of sc under opts costs. It reads
// the scenario only, so it takes microseconds however big the scenario
// is.
func Estimate(sc *scenarios.Scenario, opts Options) (Resources, error) {
	var est Resources
	driver, _, err := chooseDriver(sc, opts.Fidelity)
	if err != nil {
		return est, err
	}
	est.Driver = driver
	n, err := estimateRequests(sc)
	if err != nil {
		return est, err
	}
	est.Requests = n
	d := sim.FromDuration(sc.Duration)
	points := d.Seconds() / seriesStep(d).Seconds()
	tables, partSeries := 0.0, 0.0
	for _, t := range sc.Tables {
		// A replica holds every item again; a global secondary index
		// keeps counts by its key values, not items (model/index.go),
		// which costs next to nothing beside them: game-state's and
		// gsi-backpressure's runs peak at the heap of their tables'
		// items alone (TestEstimateMemoryLibrary).
		copies := float64(1 + len(t.Replicas))
		est.Items += copies * (float64(startingItems(sc, t).Count) + writtenItems(sc, t))
		tables += copies * float64(1+len(t.Indexes))
		// Each replica has the table's partitions; an index is counted
		// as one, the fewest it has.
		est.Partitions += copies * (float64(Partitions(sc, t)) + float64(len(t.Indexes)))
		partSeries += copies * (partitionSeriesBytes(Partitions(sc, t), points) + float64(len(t.Indexes))*partitionSeriesBytes(1, points))
	}
	est.Tables = tables
	// Each table samples itself every second and checks its minute
	// datapoints; the collector keeps a per-step series point for each.
	periodic := tables * d.Seconds() * 2
	if driver == FidelityAggregate {
		tick := opts.Tick
		if tick <= 0 {
			tick = sim.Second
		}
		// A tick is an event for each workload and each table, whatever
		// the traffic.
		est.Events = float64(d/tick)*float64(len(sc.Workloads)+len(sc.Tables)) + periodic
		est.Seconds = est.Events / aggregateEventsPerSecond
	} else {
		// An arrival and a completion a request, and an event each
		// retry: the most there can be, since a run that throttles every
		// attempt makes them all.
		policy, err := retryPolicy(sc.Client.Retry)
		if err != nil {
			return est, err
		}
		est.Retries = mostRetries(n, policy)
		est.InFlight = traceInFlight(sc)
		est.Events = 2*n + est.Retries + periodic
		est.Seconds = est.Events / perRequestEventsPerSecond
	}
	perPartition := float64(BytesPerPartition)
	if driver == FidelityAggregate {
		perPartition = BytesPerPartitionAggregate
	}
	est.PartitionBytes = partSeries + est.Partitions*perPartition
	est.Memory = BytesFixed + est.Items*BytesPerItem + points*tables*BytesPerTablePoint + est.InFlight*BytesPerRequestInFlight +
		cachedItems(sc)*BytesPerCachedItem + est.PartitionBytes
	if opts.Series && est.Requests > 0 {
		// A latency histogram kept for each second with requests.
		est.Memory += min(d.Seconds(), est.Requests) * BytesPerSecondSeries
	}
	if opts.Series {
		est.RenderSeconds = renderSecondsFixed + tables*renderSecondsPerTable
		est.Seconds += est.RenderSeconds
		est.Memory += est.RenderBytes()
	}
	return est, nil
}

// RenderBytes is the memory est counts for drawing the plots, with
// Options.Series (--out); 0 without.
func (est Resources) RenderBytes() float64 {
	if est.RenderSeconds == 0 {
		return 0
	}
	return est.Tables * renderBytesPerTable
}

// mostRetries is the most retries n requests can make under policy: each
// up to MaxAttempts-1, and with a retry quota no more than one successful
// retry a request (its cost is given back) and as many failed ones as
// the quota and the first attempts' bonuses pay for.
func mostRetries(n float64, policy workload.RetryPolicy) float64 {
	if policy.MaxAttempts <= 1 {
		return 0
	}
	most := n * float64(policy.MaxAttempts-1)
	if policy.Budget {
		paid := n + (workload.RetryBudgetTokens+n*workload.RetrySuccessBonus)/workload.RetryCost
		most = min(most, paid)
	}
	return most
}

// traceInFlight is the most requests the trace replays of sc have in
// flight at once: for each, the records of the busiest window of
// requestLifetime at its speed, twice the busiest aligned window
// (trace.Info.Busiest) to cover a window across two; a loop faster than
// requestLifetime has its passes in flight together; at most the replay's
// max_in_flight.
func traceInFlight(sc *scenarios.Scenario) float64 {
	total := 0.0
	for _, w := range sc.Workloads {
		tr := w.Trace
		if tr == nil || tr.Records == 0 || !(tr.Speed > 0) {
			continue
		}
		window := requestLifetime.Seconds() * 1e9 * tr.Speed // ns of the trace at 1x
		k := 0
		if window > 1 {
			k = min(int(math.Ceil(math.Log10(window))), trace.BusyWindows-1)
		}
		n := min(2*float64(tr.Busiest[k]), float64(tr.Records))
		if tr.Loop && tr.Period > 0 {
			n = max(n, float64(tr.Records)*window/float64(tr.Period))
		}
		// The replay's client holds no more than its limit; records due
		// beyond it wait unread (workload.Trace.MaxInFlight).
		total += min(n, float64(cmp.Or(tr.MaxInFlight, scenarios.DefaultMaxInFlight)))
	}
	return total
}

// estimateRequests is about how many requests sc issues: for each open
// loop the integral of its rate over the run (at most its request limit),
// for each closed loop its users sending back to back, each request and
// think time taking at least 10 ms; for each trace the records its replay
// sends (traceRequests).
func estimateRequests(sc *scenarios.Scenario) (float64, error) {
	total := 0.0
	for _, w := range sc.Workloads {
		n, err := workloadRequests(sc, w)
		if err != nil {
			return 0, err
		}
		total += n
	}
	return total, nil
}

// workloadRequests is about how many requests w of sc issues
// (estimateRequests).
func workloadRequests(sc *scenarios.Scenario, w scenarios.Workload) (float64, error) {
	duration := sim.FromDuration(sc.Duration)
	var n float64
	switch {
	case w.Trace != nil:
		n = traceRequests(w.Trace, duration)
	case w.Users > 0:
		cycle := max(sim.FromDuration(w.Think), 0) + 10*sim.Millisecond
		n = float64(w.Users) * duration.Seconds() / cycle.Seconds()
	default:
		p, err := arrivalProfile(w, duration)
		if err != nil {
			return 0, fmt.Errorf("%s:%d:%d: workload %s: %w", sc.File, w.Pos.Line, w.Pos.Col, w.Name, err)
		}
		n = p.Expected()
	}
	if w.Requests > 0 {
		n = min(n, float64(w.Requests))
	}
	return n, nil
}

// traceRequests is how many records a replay of tr sends over duration:
// the trace's records once, or fewer when the duration ends within the
// first pass, or as many passes as fit with Loop. Loading the scenario
// read the whole trace (scenarios.TraceSpec.scan), so this reads nothing.
func traceRequests(tr *scenarios.TraceSpec, duration sim.Time) float64 {
	pass := tr.Period.Seconds() / tr.Speed // virtual seconds a pass lasts
	if tr.Records == 0 || pass <= 0 {
		return float64(tr.Records)
	}
	passes := duration.Seconds() / pass
	if !tr.Loop {
		passes = min(passes, 1)
	}
	return float64(tr.Records) * passes
}

// writtenItems is about how many items sc's workloads write into table t
// that t did not start with: a workload writing w items over a key space
// of k keys (its keys' count, or t's items, times its shards) touches
// k(1-e^(-w/k)) distinct keys if it chooses them uniformly, and no more
// under any skew; those beyond t's starting items are new. An insert
// writes a new key each time.
func writtenItems(sc *scenarios.Scenario, t scenarios.Table) float64 {
	start := float64(startingItems(sc, t).Count)
	total := 0.0
	for _, w := range sc.Workloads {
		if w.Table != t.Name || w.Trace != nil {
			continue
		}
		n, err := workloadRequests(sc, w)
		if err != nil {
			continue
		}
		k := float64(cmp.Or(w.Keys.Count, startingItems(sc, t).Count)) * float64(max(w.Keys.Shards, 1))
		var writes, inserts float64
		for _, m := range w.Mix {
			switch m.Op {
			case "insert":
				inserts += n * m.Weight
			case "put", "update", "read_modify_write":
				writes += n * m.Weight
			case "batch_write", "transact_write":
				writes += n * m.Weight * float64(max(w.BatchSize, 1))
			}
		}
		total += inserts
		if k > start && writes > 0 {
			total += (k - start) * -math.Expm1(-writes/k)
		}
	}
	return total
}

// cachedItems is the most items sc's DAX clusters cache: every starting
// item of the tables they serve.
func cachedItems(sc *scenarios.Scenario) float64 {
	total := 0.0
	for _, d := range sc.Clusters() {
		for _, name := range d.Tables {
			for _, t := range sc.Tables {
				if t.Name == name {
					total += float64(startingItems(sc, t).Count) + writtenItems(sc, t)
				}
			}
		}
	}
	return total
}
