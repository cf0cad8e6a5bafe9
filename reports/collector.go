package reports

import (
	"fmt"
	"math/bits"
	"slices"

	"github.com/HdrHistogram/hdrhistogram-go"

	"github.com/ddbsim/ddbsim/model"
	"github.com/ddbsim/ddbsim/model/billing"
	"github.com/ddbsim/ddbsim/model/stream"
	"github.com/ddbsim/ddbsim/model/units"
	"github.com/ddbsim/ddbsim/sim"
)

// Histogram geometry. Latencies are recorded in whole microseconds: finer
// resolution means nothing to a client, and 1 µs .. 1 h covers everything
// from a DAX hit to a request stuck behind the longest sensible timeout.
const (
	histLowest  = 1                                  // µs
	histHighest = int64(sim.Hour / sim.Microsecond)  // µs
	histDigits  = 3                                  // whole-run: ±0.1%
	secDigits   = 2                                  // per second: ±1%, see Collector.sec
	nsPerSecond = int64(sim.Second / sim.Nanosecond) // for the exact latency sum
)

// TableInfo describes a table as the run configured it.
type TableInfo struct {
	Name          string
	Mode          string // "provisioned" | "on-demand"
	Partitions    int
	ReadCapacity  int64 // provisioned RCU; 0 for on-demand
	WriteCapacity int64 // provisioned WCU; 0 for on-demand
	// Base and Index name a global secondary index, which the service
	// runs as a table of its own named "<table>/<index>" (REFERENCE:
	// gsi): Base is its table's name, Index its own. Both are empty for
	// a table.
	Base, Index string
	// Region is the table's region when it has one of its own: each
	// replica of a global table, its home table included (REFERENCE:
	// global). Empty for every other table.
	Region string
	// ReplicaOf names the home table of a global table's replica in
	// another region, which the service runs as a table of its own named
	// "<table>@<region>"; empty for every other table.
	ReplicaOf string
}

// ClusterInfo describes a DAX cluster as the run configured it.
type ClusterInfo struct {
	Name     string
	NodeType string // "dax.r5.large"
	Nodes    int
	// NodeCapacity is the normalized requests per second one node
	// serves; the cluster serves Nodes times it (REFERENCE: dax, sizing).
	NodeCapacity int64
	// Tables are the indexes, in the Collector's tables, of the tables
	// the cluster serves; the first owns it (its node-hours are billed
	// there).
	Tables []int
}

// Capacity is the normalized requests per second the cluster serves.
func (ci *ClusterInfo) Capacity() int64 { return ci.NodeCapacity * int64(ci.Nodes) }

// Series is a run's per-second time series, for outputs that draw or list
// time (CSV, plots). Index i covers virtual time [i s, (i+1) s), or with a
// Step longer than a second [i Step, (i+1) Step), the values of the
// fields documented "in the second" then being those of the step. Every
// slice, the tables' included, has the same length.
//
// A Series from a Collector shares storage with it: read it once the run is
// over.
type Series struct {
	// Step is what one index covers: a second, unless the Collector was
	// given a longer one (SetStep) for a long run.
	Step sim.Time
	// Offered counts requests by the second they started. Requests are
	// counted when they finish, so those still in flight when the run
	// stopped are missing from the last seconds.
	Offered []int64
	// LatencyP50 and LatencyP99 are the client-observed latency percentiles
	// of the requests that finished in the second (to ±1%, µs resolution);
	// zero in a second where none finished.
	LatencyP50, LatencyP99 []sim.Time
	// LatencyP90 and LatencyP999 complete the percentiles the latency plot
	// draws.
	LatencyP90, LatencyP999 []sim.Time
	// CostByItem is the account's cost so far at the end of each second,
	// in US dollars, one slice per billing.LineItems entry; nil without
	// prices.
	CostByItem [][]float64
	// Intervals hold each second's latency histogram (microseconds),
	// compressed, for the HdrHistogram interval log; seconds in which no
	// request finished have none.
	Intervals []Interval
	// Tables are in the order the Collector was given them.
	Tables []TableSeries
	// Caches has one entry per DAX cluster, in the order of
	// Collector.SetClusters; empty without DAX.
	Caches []CacheSeries
	// Replication is what the global tables' replication did each
	// second, all replicas together (model.GlobalEvent); nil when the
	// run has no global table.
	Replication *ReplicationSeries
}

// ReplicationSeries counts a run's global table events by the second they
// happened in, over every replica.
type ReplicationSeries struct {
	// Delivered counts replicated writes applied at another replica;
	// Conflicts those that arrived to find a later write of the item
	// and lost (last writer wins), each one overwritten update.
	Delivered, Conflicts []int64
	// Reads counts GetItems on a replica, StaleReads those that read a
	// copy another replica had written since.
	Reads, StaleReads []int64
	// Unreplicated counts writes still in flight from a region when it
	// went down.
	Unreplicated []int64
}

func (s *ReplicationSeries) counts() []*[]int64 {
	return []*[]int64{&s.Delivered, &s.Conflicts, &s.Reads, &s.StaleReads, &s.Unreplicated}
}

// ConsumerSeries is one stream consumer's lag, sampled at the end of each
// second (stream.ConsumerState); a second the model did not sample reads 0.
type ConsumerSeries struct {
	Name string
	// IteratorAge is how old the oldest record the consumer had not yet
	// processed was: 0 when it had caught up.
	IteratorAge []sim.Time
	// Backlog is the records written and not yet processed.
	Backlog []int64
}

// CacheSeries is one DAX cluster's per-second series: what its caches did
// with the reads and writes that reached it (model.CacheEvent), counted in
// the second of the access. A batch_get counts once per item.
type CacheSeries struct {
	Name string
	// ItemHits and ItemMisses are GetItem and BatchGetItem lookups in the
	// item cache; QueryHits and QueryMisses Query and Scan lookups in the
	// query cache.
	ItemHits, ItemMisses, QueryHits, QueryMisses []int64
	// Stale counts hits that served data the table had since changed.
	Stale []int64
	// Throttled counts accesses the cluster refused, over its capacity.
	Throttled []int64
	// Load is the cluster's normalized load in the second: the sum of
	// its accesses' loads (model.CacheEvent.Load).
	Load []units.Units
	// Capacity is the normalized load the cluster serves per second:
	// its nodes times one node's, or what the model last sampled.
	Capacity units.Units
}

func (s *CacheSeries) counts() []*[]int64 {
	return []*[]int64{&s.ItemHits, &s.ItemMisses, &s.QueryHits, &s.QueryMisses, &s.Stale, &s.Throttled}
}

// TableSeries is one table's per-second series.
type TableSeries struct {
	Name string
	// Read and Write are the capacity consumed in the second.
	Read, Write []units.Units
	// ThrottleEvents counts throttled attempts, retries included.
	ThrottleEvents []int64
	// Succeeded, Throttled and Errors count final outcomes by the second
	// the request finished; Offered counts the table's requests by the
	// second they started.
	Succeeded, Throttled, Errors, Offered []int64
	// ByReason counts throttle events by reason (indexed by
	// model.ThrottleReason; index 0 stays empty).
	ByReason [model.NumThrottleReasons][]int64
	// ReadCapacity and WriteCapacity are the capacity in effect, sampled
	// each second: provisioned, or what an on-demand table absorbs
	// instantly. ReadBurst and WriteBurst are the banked burst credit.
	ReadCapacity, WriteCapacity, ReadBurst, WriteBurst []units.Units
	// Partitions is the partition count each second.
	Partitions []int64
	// PartitionRead and PartitionWrite are consumption by partition index
	// ([partition][second]); PartitionReadBurst and PartitionWriteBurst
	// the banked burst credit; PartitionThrottles the throttle events. A
	// split inserts its new partition after its parent, so the rows after
	// it move down one from that second on.
	PartitionRead, PartitionWrite           [][]units.Units
	PartitionReadBurst, PartitionWriteBurst [][]units.Units
	PartitionThrottles                      [][]int64
	// CacheHits and CacheMisses count the table's lookups in its DAX
	// cluster's item and query caches that hit and that missed; nil for
	// a table no cluster serves.
	CacheHits, CacheMisses []int64
	// Consumers are the consumers of the table's stream, in the order
	// the model samples them; empty without a stream.
	Consumers []ConsumerSeries
}

// units and counts return the table's per-second slices, for growing them
// in step.
func (s *TableSeries) units() []*[]units.Units {
	return []*[]units.Units{&s.Read, &s.Write, &s.ReadCapacity, &s.WriteCapacity, &s.ReadBurst, &s.WriteBurst}
}

// counts yields the table's count series; a range-over-func, not a slice,
// because the per-second growth walks them and must not allocate.
func (s *TableSeries) counts(yield func(*[]int64) bool) {
	for _, k := range [...]*[]int64{&s.ThrottleEvents, &s.Succeeded, &s.Throttled, &s.Errors, &s.Offered, &s.Partitions} {
		if !yield(k) {
			return
		}
	}
	for i := range s.ByReason {
		if !yield(&s.ByReason[i]) {
			return
		}
	}
}

// Interval is one second's latency histogram in HdrHistogram's compressed
// encoding (values in microseconds); with a Series.Step longer than a
// second, one step's, Second being then the step's index.
type Interval struct {
	Second  int
	Encoded []byte
}

// Len is the number of seconds the series covers.
func (s *Series) Len() int { return len(s.Offered) }

// Collector records a run and builds its Result. It implements
// model.Recorder. It is not safe for concurrent use; the kernel is
// single-threaded.
//
// The per-call methods do not allocate once the per-second series have
// grown to the current second (Reserve grows them up front) and each
// operation has been seen once (and, with DAX, each kind of cache access).
//
// Before the run, AddTable adds the global tables' replicas and the global
// secondary indexes the service runs as tables of their own, SetRegion
// gives a global table its home region, and SetClusters names the DAX
// clusters; memory grows with the run's duration, the tables, partitions,
// stream consumers and clusters, never with the requests.
type Collector struct {
	tables []tableStats

	all latencyStats
	ops [units.NumOps]*latencyStats // nil until the operation first finishes

	total, succeeded, throttled, errors int64
	errorKinds                          [model.NumErrorKinds]int64
	throttleEvents, retries             int64

	offered             []int64
	p50, p99, p90, p999 []sim.Time
	intervals           []Interval
	skipIntervals       bool
	n                   int // length of every per-second slice

	// One histogram serves every second: Finish calls arrive in
	// non-decreasing End time, so when a call lands in a later second the
	// current one is complete, its percentiles go into the series and the
	// histogram is reset. It has two significant figures: the reset and
	// the percentile scans run once per simulated second, and at 2 figures
	// the histogram is a seventh of the size (~26 KiB instead of ~184 KiB)
	// while ±1% is finer than a plot can show.
	sec     int
	secHist *hdrhistogram.Histogram
	secMax  sim.Time
	// step is what one series index covers: a second, or longer
	// (SetStep); costAt is when the cost series was last priced.
	step              sim.Time
	costAt, sampledAt sim.Time

	explained    map[explainKind]int
	explanations []Explanation
	events       []timedEvent

	// Billing: the price of each table, the free tier, each table's meter
	// as last sampled, and the cost series.
	books    []billing.PriceBook
	freeTier bool
	meters   []billing.Meter
	cost     [][]float64      // by line item (billing.LineItems), per second
	charges  []billing.Charge // the last second's charges, a reused buffer

	// DAX: one entry per cluster, and the latency of requests whose last
	// attempt hit, missed, or wrote through a cache (nil until one
	// finishes).
	clusters                  []clusterStats
	hitLat, missLat, writeLat *latencyStats

	// Global tables: what replication did, nil until the run has a
	// replica or a global event.
	repl *replicationStats

	// Availability as the SLA measures it: requests that ended, and
	// those that ended unavailable (see unavailable), by 5-minute
	// interval of the run.
	availEnded, availFailed []int64
}

// AvailabilityInterval is the span over which availability is measured,
// as the service's SLA measures its error rate: 5 minutes.
const AvailabilityInterval = 5 * sim.Minute

// unavailable reports whether a request that failed with kind counts
// against availability: the service was down or could not serve it
// (region_unavailable, timeout, replicated_write_conflict,
// transaction_conflict), not a throttle or a request the service refused
// for what it asked (a failed condition, an item collection too large).
func unavailable(kind model.ErrorKind) bool {
	switch kind {
	case model.ErrRegionUnavailable, model.ErrTimeout, model.ErrReplicatedWriteConflict, model.ErrTransactionConflict:
		return true
	}
	return false
}

// replicationStats is the global tables' replication over the run.
type replicationStats struct {
	// lag is the replication lag of writes applied at another replica,
	// in µs, up to lagHighest.
	lag                                              latencyStats
	delivered, conflicts, reads, stale, unreplicated int64
	s                                                ReplicationSeries
}

// lagHighest is the longest replication lag the histogram resolves, in µs:
// a week, past any outage a scenario sensibly injects (a region down for
// hours delivers its writes when it returns); the maximum stays exact.
const lagHighest = int64(7 * 24 * sim.Hour / sim.Microsecond)

// consumerStats is one stream consumer over the run: its last sample and
// the largest iterator age sampled.
type consumerStats struct {
	last   stream.ConsumerState
	maxAge sim.Time
}

// clusterStats is one DAX cluster's counts over the run.
type clusterStats struct {
	info     ClusterInfo
	accesses [model.NumCacheAccesses]int64
	stale    int64
	saved    units.Units
	// The caches' entries and bytes when the model last sampled them.
	itemEntries, queryEntries, itemBytes, queryBytes int64
	s                                                CacheSeries
}

// SetPricing makes the collector price the tables' meters: books[i] for
// table i, the account's free tier or not.
//
// A global secondary index is billed at its table's prices, and a global
// table's replica at its home table's: an index or replica past the end of
// books takes the book of the table it belongs to.
func (c *Collector) SetPricing(books []billing.PriceBook, freeTier bool) {
	if len(books) < len(c.tables) {
		books = slices.Clone(books)
		for i := len(books); i < len(c.tables); i++ {
			var b billing.PriceBook
			if base := c.tableNamed(owner(&c.tables[i].info)); base >= 0 && base < len(books) {
				b = books[base]
			}
			books = append(books, b)
		}
	}
	c.books, c.freeTier = books, freeTier
	c.meters = make([]billing.Meter, len(c.tables))
	c.cost = make([][]float64, len(billing.LineItems))
	for i := range c.cost {
		c.cost[i] = make([]float64, c.n, cap(c.offered))
	}
}

// SetMeter records table i's final meter, after the run has settled.
func (c *Collector) SetMeter(i int, m billing.Meter) {
	c.table(i)
	if c.meters != nil {
		c.meters[i] = m
	}
}

// The model calls the Collector only through model.Recorder, and the
// aggregate driver through model.CountRecorder.
var (
	_ model.Recorder      = (*Collector)(nil)
	_ model.CountRecorder = (*Collector)(nil)
)

type tableStats struct {
	info                         TableInfo
	finalRead, finalWrite        units.Units
	read, write                  units.Units
	byReason                     [model.NumThrottleReasons]int64
	succeeded, throttled, errors int64
	consumers                    []consumerStats
	s                            TableSeries
}

// latencyStats summarises client-observed latency: percentiles from an HDR
// histogram; the maximum and the mean exact, from the raw nanoseconds.
type latencyStats struct {
	h     *hdrhistogram.Histogram
	count int64
	// The sum is kept as seconds plus nanoseconds so that it cannot
	// overflow: int64 nanoseconds run out after 292 years of summed
	// latency, which a billion slow requests reach.
	sumSec, sumNs int64
	max           sim.Time
}

func newLatencyStats() *latencyStats {
	return &latencyStats{h: hdrhistogram.New(histLowest, histHighest, histDigits)}
}

func (l *latencyStats) record(lat sim.Time, us int64) {
	l.h.RecordValue(us) // cannot fail: us is clamped to the histogram's range
	l.count++
	l.sumNs += int64(lat)
	if l.sumNs >= nsPerSecond {
		l.sumSec += l.sumNs / nsPerSecond
		l.sumNs %= nsPerSecond
	}
	l.max = max(l.max, lat)
}

// recordN records n values of lat at once: record called n times. lat is
// not negative.
func (l *latencyStats) recordN(lat sim.Time, us, n int64) {
	if n == 1 {
		l.record(lat, us)
		return
	}
	l.h.RecordValues(us, n)
	l.count += n
	// lat·n may pass int64: whole seconds times n, then the rest of a
	// second times n in 128 bits, divided into seconds and nanoseconds.
	sec, ns := int64(lat)/nsPerSecond, uint64(int64(lat)%nsPerSecond)
	l.sumSec += sec * n
	hi, lo := bits.Mul64(ns, uint64(n))
	q, r := bits.Div64(hi, lo, uint64(nsPerSecond))
	l.sumSec += int64(q)
	l.sumNs += int64(r)
	if l.sumNs >= nsPerSecond {
		l.sumSec += l.sumNs / nsPerSecond
		l.sumNs %= nsPerSecond
	}
	l.max = max(l.max, lat)
}

// NewCollector returns a Collector for a run over the given tables; the
// Recorder's table indexes refer to this slice.
func NewCollector(tables []TableInfo) *Collector {
	c := &Collector{
		step:    sim.Second,
		tables:  make([]tableStats, len(tables)),
		all:     *newLatencyStats(),
		secHist: hdrhistogram.New(histLowest, histHighest, secDigits),
	}
	for i, t := range tables {
		c.tables[i].info = t
		c.tables[i].s.Name = t.Name
		if t.ReplicaOf != "" {
			c.replication()
		}
	}
	return c
}

// AddTable adds a table after those NewCollector was given and returns its
// index: the service appends each global secondary index after the tables,
// as a table of its own, and the Recorder's table indexes count them. Call
// it before SetPricing.
func (c *Collector) AddTable(info TableInfo) int {
	c.tables = append(c.tables, tableStats{info: info})
	t := &c.tables[len(c.tables)-1]
	t.s.Name = info.Name
	for _, u := range t.s.units() {
		*u = make([]units.Units, c.n, cap(c.offered))
	}
	for k := range t.s.counts {
		*k = make([]int64, c.n, cap(c.offered))
	}
	if c.meters != nil { // priced already: an index or a replica takes its table's prices
		var b billing.PriceBook
		if base := c.tableNamed(owner(&info)); base >= 0 && base < len(c.books) {
			b = c.books[base]
		}
		c.meters = append(c.meters, billing.Meter{})
		c.books = append(slices.Clip(c.books), b)
	}
	if info.ReplicaOf != "" {
		c.replication()
	}
	return len(c.tables) - 1
}

// owner is the name of the table whose prices a table takes: an index's
// table, a replica's home table, or none.
func owner(info *TableInfo) string {
	if info.Base != "" {
		return info.Base
	}
	return info.ReplicaOf
}

// SetRegion records table i's region: a global table's home region, which
// the model decides when it builds the replicas.
func (c *Collector) SetRegion(i int, region string) { c.table(i).info.Region = region }

// SetClusters tells the collector the run's DAX clusters: cluster i of
// model.CacheEvent is clusters[i]. Without it a cluster is known by its
// index alone ("cluster 0"), from its first event. Call it before the
// run; the result has a cache section when there is at least one.
func (c *Collector) SetClusters(clusters []ClusterInfo) {
	for i, ci := range clusters {
		cl := c.cluster(i)
		cl.info = ci
		cl.info.Tables = slices.Clone(ci.Tables)
		cl.s.Name = ci.Name
		cl.s.Capacity = units.WholeUnits(ci.Capacity())
		for _, ti := range ci.Tables {
			c.cacheTable(c.table(ti))
		}
	}
}

// cluster returns cluster i's stats, adding clusters up to it.
func (c *Collector) cluster(i int) *clusterStats {
	if i < 0 {
		panic(fmt.Sprintf("reports: DAX cluster index %d", i))
	}
	for len(c.clusters) <= i {
		n := len(c.clusters)
		cl := clusterStats{info: ClusterInfo{Name: fmt.Sprintf("cluster %d", n)}}
		cl.s.Name = cl.info.Name
		for _, k := range cl.s.counts() {
			*k = make([]int64, c.n, cap(c.offered))
		}
		cl.s.Load = make([]units.Units, c.n, cap(c.offered))
		c.clusters = append(c.clusters, cl)
	}
	return &c.clusters[i]
}

// cacheTable gives table t its cache series, once.
func (c *Collector) cacheTable(t *tableStats) {
	if t.s.CacheHits == nil {
		t.s.CacheHits = make([]int64, c.n, cap(c.offered))
		t.s.CacheMisses = make([]int64, c.n, cap(c.offered))
	}
}

// Reserve makes room in the per-second series for a run of duration d, so
// that recording never grows them. It is optional.
func (c *Collector) Reserve(d sim.Time) {
	c.fitSeries(c.index(d)+1, false) // an event exactly at d falls in the next second
	// An outcome exactly at d falls in the next interval.
	iv := int(d/AvailabilityInterval) + 1
	reserve(&c.availEnded, iv)
	reserve(&c.availFailed, iv)
}

// Consumed implements model.Recorder.
func (c *Collector) Consumed(now sim.Time, table, partition int, read, write units.Units) {
	t := c.table(table)
	i := c.second(now)
	t.read += read
	t.write += write
	t.s.Read[i] += read
	t.s.Write[i] += write
	c.partition(t, partition)
	t.s.PartitionRead[partition][i] += read
	t.s.PartitionWrite[partition][i] += write
}

// partition makes room for partition p's series.
func (c *Collector) partition(t *tableStats, p int) {
	for len(t.s.PartitionRead) <= p {
		t.s.PartitionRead = append(t.s.PartitionRead, make([]units.Units, c.n, cap(c.offered)))
		t.s.PartitionWrite = append(t.s.PartitionWrite, make([]units.Units, c.n, cap(c.offered)))
		t.s.PartitionReadBurst = append(t.s.PartitionReadBurst, make([]units.Units, c.n, cap(c.offered)))
		t.s.PartitionWriteBurst = append(t.s.PartitionWriteBurst, make([]units.Units, c.n, cap(c.offered)))
		t.s.PartitionThrottles = append(t.s.PartitionThrottles, make([]int64, c.n, cap(c.offered)))
	}
}

// explanationsPerKind is how many throttles of each kind (table, reason,
// limit) the collector keeps for explanations: the first tells the story,
// the rest repeat it.
const explanationsPerKind = 1

// Throttle implements model.Recorder.
func (c *Collector) Throttle(now sim.Time, ev *model.ThrottleEvent) { c.throttle(now, ev, 1) }

// ThrottleN implements model.CountRecorder: n throttled attempts like ev,
// as the aggregate driver reports them. It is Throttle called n times.
func (c *Collector) ThrottleN(now sim.Time, ev *model.ThrottleEvent, n int64) {
	if n < 0 {
		panic(fmt.Sprintf("reports: %d throttles", n))
	}
	if n > 0 {
		c.throttle(now, ev, n)
	}
}

func (c *Collector) throttle(now sim.Time, ev *model.ThrottleEvent, n int64) {
	t := c.table(ev.Table)
	if ev.Reason == model.NotThrottled || ev.Reason >= model.NumThrottleReasons {
		panic(fmt.Sprintf("reports: throttle with reason %v", ev.Reason))
	}
	i := c.second(now)
	c.throttleEvents += n
	t.byReason[ev.Reason] += n
	t.s.ThrottleEvents[i] += n
	t.s.ByReason[ev.Reason][i] += n
	if ev.Partition >= 0 { // a DAX cluster's throttle has no partition
		c.partition(t, ev.Partition)
		t.s.PartitionThrottles[ev.Partition][i] += n
	}
	kind := explainKind{ev.Table, ev.Reason, ev.Limit}
	if c.explained[kind] < explanationsPerKind {
		if c.explained == nil {
			c.explained = map[explainKind]int{}
		}
		c.explained[kind]++
		c.explanations = append(c.explanations, Explanation{At: now, Event: *ev})
	}
}

type explainKind struct {
	table  int
	reason model.ThrottleReason
	limit  model.Limit
}

// Explanation is one throttle kept with what the model knew about it.
type Explanation struct {
	At    sim.Time
	Event model.ThrottleEvent
}

// Sample implements model.Recorder.
func (c *Collector) Sample(now sim.Time, table int, st *model.TableState) {
	t := c.table(table)
	// A sample at the end of second s describes it: it lands at s+1's
	// first instant, so it belongs to the second before (and a sample
	// describes a longer step as it ends: the step's last one stays).
	c.second(now)
	i := c.index(max(now-sim.Second, 0))
	t.s.ReadCapacity[i], t.s.WriteCapacity[i] = st.ReadCapacity, st.WriteCapacity
	t.s.ReadBurst[i], t.s.WriteBurst[i] = st.ReadBurst, st.WriteBurst
	t.s.Partitions[i] = int64(st.Partitions)
	if len(st.Parts) > 0 {
		c.partition(t, len(st.Parts)-1)
	}
	for p, ps := range st.Parts {
		t.s.PartitionReadBurst[p][i], t.s.PartitionWriteBurst[p][i] = ps.ReadBurst, ps.WriteBurst
	}
	t.info.Partitions = st.Partitions
	t.info.Mode = st.Mode.String() // a switch of mode shows in the result
	if cs := st.Cache; cs != nil {
		// The load comes from the accesses (Cache), second by second;
		// the sample gives the capacity and what the caches hold.
		cl := c.cluster(cs.Cluster)
		if cs.Capacity > 0 {
			cl.s.Capacity = cs.Capacity
		}
		cl.itemEntries, cl.queryEntries = cs.ItemEntries, cs.QueryEntries
		cl.itemBytes, cl.queryBytes = cs.ItemBytes, cs.QueryBytes
	}
	for k := range st.Consumers {
		cs := &st.Consumers[k]
		c.consumer(t, k, cs.Name)
		con := &t.consumers[k]
		con.last = *cs
		con.maxAge = max(con.maxAge, cs.IteratorAge)
		ser := &t.s.Consumers[k]
		ser.IteratorAge[i], ser.Backlog[i] = cs.IteratorAge, cs.Backlog
	}
	t.finalRead, t.finalWrite = st.ReadCapacity, st.WriteCapacity
	if c.meters != nil {
		c.meters[table] = st.Bill
		// Once every table's meter is in for the second, and with a
		// step longer than a second at the step's end (Series prices
		// a last step cut short).
		if table == len(c.tables)-1 {
			c.sampledAt = now
		}
		if table == len(c.tables)-1 && (c.step == sim.Second || now%c.step == 0) {
			c.costAt = now
			// The charges go into a buffer kept from second to second:
			// pricing every second must not allocate.
			c.charges = billing.AppendCharges(c.charges[:0], c.meters, c.books, now.Seconds()/3600, c.freeTier)
			for k := range c.cost {
				c.cost[k][i] = 0
			}
			for _, ch := range c.charges {
				c.cost[lineItemIndex(ch.Item)][i] += ch.USD
			}
		}
	}
}

// lineItemIndex is the position of item in billing.LineItems.
func lineItemIndex(item string) int {
	for k, it := range billing.LineItems {
		if it == item {
			return k
		}
	}
	panic("reports: unknown line item " + item)
}

// consumer makes room for consumer k of table t's stream, named name.
func (c *Collector) consumer(t *tableStats, k int, name string) {
	for len(t.consumers) <= k {
		t.consumers = append(t.consumers, consumerStats{})
		t.s.Consumers = append(t.s.Consumers, ConsumerSeries{
			IteratorAge: make([]sim.Time, c.n, cap(c.offered)),
			Backlog:     make([]int64, c.n, cap(c.offered)),
		})
	}
	t.s.Consumers[k].Name = name
}

// maxCapacityEvents bounds the events kept for the result; a run that
// splits or rescales more than this is summarised by the series.
const maxCapacityEvents = 1000

// Event implements model.Recorder.
func (c *Collector) Event(now sim.Time, ev model.CapacityEvent) {
	t := c.table(ev.Table)
	t.info.Partitions = ev.Partitions
	if len(c.events) < maxCapacityEvents {
		c.events = append(c.events, timedEvent{now, ev})
	}
}

type timedEvent struct {
	at sim.Time
	ev model.CapacityEvent
}

// Retry implements model.Recorder.
func (c *Collector) Retry(now sim.Time, table int, op units.Op) {
	c.table(table)
	c.retries++
}

// RetryN implements model.CountRecorder: n retries the client scheduled.
func (c *Collector) RetryN(now sim.Time, table int, op units.Op, n int64) {
	c.table(table)
	if n < 0 {
		panic(fmt.Sprintf("reports: %d retries", n))
	}
	c.retries += n
}

// Finish implements model.Recorder. Every final outcome's latency counts,
// throttled and failed requests included: that is the time the client
// waited.
func (c *Collector) Finish(o model.Outcome) { c.finish(o, 1) }

// FinishN implements model.CountRecorder: n requests with the same final
// outcome, as the aggregate driver reports them, counted and recorded in
// the latency histograms with weight n. It is Finish called n times.
func (c *Collector) FinishN(o model.Outcome, n int64) {
	if n < 0 {
		panic(fmt.Sprintf("reports: %d outcomes", n))
	}
	if n > 0 {
		c.finish(o, n)
	}
}

func (c *Collector) finish(o model.Outcome, n int64) {
	t := c.table(o.Table)
	if o.Op >= units.NumOps {
		panic(fmt.Sprintf("reports: finish of unknown operation %v", o.Op))
	}
	lat := o.Latency()
	if o.Start < 0 {
		panic(fmt.Sprintf("reports: outcome starts at %v, before the run", o.Start))
	}
	if lat < 0 {
		panic(fmt.Sprintf("reports: outcome ends (%v) before it starts (%v)", o.End, o.Start))
	}
	end := c.second(o.End)
	if end != c.sec {
		if end < c.sec {
			panic(fmt.Sprintf("reports: finish at %v after one in a later second", o.End))
		}
		c.rollSecond(end)
	}

	switch o.Result {
	case model.Succeeded:
		c.succeeded += n
		t.succeeded += n
		t.s.Succeeded[end] += n
	case model.Throttled:
		c.throttled += n
		t.throttled += n
		t.s.Throttled[end] += n
	case model.Failed:
		c.errors += n
		t.errors += n
		t.s.Errors[end] += n
		if o.Error < model.NumErrorKinds {
			c.errorKinds[o.Error] += n
		}
	default:
		panic(fmt.Sprintf("reports: finish with unknown result %v", o.Result))
	}
	iv := int(o.End / AvailabilityInterval)
	if iv >= len(c.availEnded) {
		growTo(&c.availEnded, iv+1)
		growTo(&c.availFailed, iv+1)
	}
	c.availEnded[iv] += n
	if o.Result == model.Failed && unavailable(o.Error) {
		c.availFailed[iv] += n
	}
	c.total += n
	c.offered[c.index(o.Start)] += n
	t.s.Offered[c.index(o.Start)] += n

	us := micros(lat)
	c.all.recordN(lat, us, n)
	ops := c.ops[o.Op]
	if ops == nil {
		ops = newLatencyStats()
		c.ops[o.Op] = ops
	}
	ops.recordN(lat, us, n)
	c.secHist.RecordValues(us, n)
	c.secMax = max(c.secMax, lat)

	if o.Cache != model.CacheNone {
		var l **latencyStats
		switch {
		case o.Cache.IsHit():
			l = &c.hitLat
		case o.Cache.IsMiss():
			l = &c.missLat
		case o.Cache == model.CacheWrite:
			l = &c.writeLat
		default:
			return
		}
		if *l == nil {
			*l = newLatencyStats()
		}
		(*l).recordN(lat, us, n)
	}
}

// Series returns the per-second series recorded so far, the current
// second's latency percentiles included.
func (c *Collector) Series() *Series {
	c.flushSecond()
	if c.meters != nil && c.sampledAt > c.costAt && len(c.cost) > 0 {
		// The last step was cut short by the end of the run: price it
		// as it was last sampled.
		c.costAt = c.sampledAt
		i := c.index(max(c.sampledAt-sim.Second, 0))
		bill := billing.Cost(c.meters, c.books, c.sampledAt.Seconds()/3600, c.freeTier)
		for k, item := range billing.LineItems {
			c.cost[k][i] = bill[item]
		}
	}
	s := &Series{
		Step:        c.step,
		Offered:     c.offered,
		LatencyP50:  c.p50,
		LatencyP99:  c.p99,
		LatencyP90:  c.p90,
		LatencyP999: c.p999,
		Intervals:   c.intervals,
		CostByItem:  c.cost,
		Tables:      make([]TableSeries, len(c.tables)),
	}
	// The second in progress has no interval yet: encode it without
	// closing it, so recording may go on.
	if c.secHist.TotalCount() > 0 && !c.skipIntervals {
		if enc, err := c.secHist.Encode(hdrhistogram.V2CompressedEncodingCookieBase); err == nil {
			s.Intervals = append(s.Intervals[:len(s.Intervals):len(s.Intervals)], Interval{Second: c.sec, Encoded: enc})
		}
	}
	for i := range c.tables {
		s.Tables[i] = c.tables[i].s
	}
	for i := range c.clusters {
		s.Caches = append(s.Caches, c.clusters[i].s)
	}
	if c.repl != nil {
		s.Replication = &c.repl.s
	}
	return s
}

func (c *Collector) table(i int) *tableStats {
	if uint(i) >= uint(len(c.tables)) {
		panic(fmt.Sprintf("reports: table index %d out of range [0,%d)", i, len(c.tables)))
	}
	return &c.tables[i]
}

// second returns the series index of time t, growing every series to
// include it.
func (c *Collector) second(t sim.Time) int {
	i := c.index(t)
	if i >= c.n {
		c.grow(i + 1)
	}
	return i
}

// grow lengthens every per-second slice to n, in step, so that one index
// is valid in all of them.
func (c *Collector) grow(n int) {
	if n <= c.n {
		return
	}
	c.fitSeries(n, true)
	c.n = n
}

// fitSeries makes every per-second series hold n seconds: their length
// when grow is set, else only their capacity (see Reserve). Reserve and
// grow walk the series through it alone, so a new series cannot be grown
// and not reserved, or the reverse.
func (c *Collector) fitSeries(n int, grow bool) {
	fit(&c.offered, n, grow)
	fit(&c.p50, n, grow)
	fit(&c.p99, n, grow)
	fit(&c.p90, n, grow)
	fit(&c.p999, n, grow)
	for k := range c.cost {
		fit(&c.cost[k], n, grow)
	}
	for i := range c.tables {
		s := &c.tables[i].s
		for _, u := range s.units() {
			fit(u, n, grow)
		}
		for k := range s.counts {
			fit(k, n, grow)
		}
		for p := range s.PartitionRead {
			fit(&s.PartitionRead[p], n, grow)
			fit(&s.PartitionWrite[p], n, grow)
			fit(&s.PartitionReadBurst[p], n, grow)
			fit(&s.PartitionWriteBurst[p], n, grow)
			fit(&s.PartitionThrottles[p], n, grow)
		}
		if s.CacheHits != nil {
			fit(&s.CacheHits, n, grow)
			fit(&s.CacheMisses, n, grow)
		}
		for k := range s.Consumers {
			fit(&s.Consumers[k].IteratorAge, n, grow)
			fit(&s.Consumers[k].Backlog, n, grow)
		}
	}
	for i := range c.clusters {
		s := &c.clusters[i].s
		for _, k := range s.counts() {
			fit(k, n, grow)
		}
		fit(&s.Load, n, grow)
	}
	if c.repl != nil {
		for _, k := range c.repl.s.counts() {
			fit(k, n, grow)
		}
	}
}

// fit is growTo when grow is set, else reserve.
func fit[T any](s *[]T, n int, grow bool) {
	if grow {
		growTo(s, n)
	} else {
		reserve(s, n)
	}
}

// SkipIntervals stops the collector keeping each second's latency
// histogram (Series.Intervals), which only the latency plots and the
// latency log read: encoding one costs a compression per simulated second,
// which a run that writes neither need not pay. Percentiles per second are
// kept.
func (c *Collector) SkipIntervals() { c.skipIntervals = true }

// rollSecond closes the current second's latency and starts second next.
func (c *Collector) rollSecond(next int) {
	c.flushSecond()
	if c.skipIntervals {
		c.secHist.Reset()
	} else if c.secHist.TotalCount() > 0 {
		// Once a simulated second, not per request: a few hundred bytes.
		if enc, err := c.secHist.Encode(hdrhistogram.V2CompressedEncodingCookieBase); err == nil {
			c.intervals = append(c.intervals, Interval{Second: c.sec, Encoded: enc})
		}
		c.secHist.Reset()
	}
	c.secMax = 0
	c.sec = next
}

// flushSecond writes the current second's percentiles into the series. It
// is idempotent, so Series and Result can call it mid-second.
func (c *Collector) flushSecond() {
	if c.secHist.TotalCount() == 0 {
		return
	}
	c.p50[c.sec] = percentile(c.secHist, 50, c.secMax)
	c.p99[c.sec] = percentile(c.secHist, 99, c.secMax)
	c.p90[c.sec] = percentile(c.secHist, 90, c.secMax)
	c.p999[c.sec] = percentile(c.secHist, 99.9, c.secMax)
}

// percentile reads q (0-100) from h as virtual time. HDR reports the top of
// the value's bucket, which can exceed the largest value recorded; capping
// at the exact maximum keeps p50 <= max in every output.
func percentile(h *hdrhistogram.Histogram, q float64, exactMax sim.Time) sim.Time {
	return min(sim.Time(h.ValueAtQuantile(q))*sim.Microsecond, exactMax)
}

// micros converts a latency to whole microseconds, rounded to nearest and
// clamped to the histograms' range; the exact value is kept for max and
// mean.
func micros(lat sim.Time) int64 {
	us := int64((lat + sim.Microsecond/2) / sim.Microsecond)
	return min(us, histHighest)
}

// index is the series index of time t: its second, or its step.
func (c *Collector) index(t sim.Time) int { return int(t / c.step) }

// SetStep makes each index of the per-second series, and each latency
// interval, cover step of virtual time instead of a second: a whole
// number of seconds, for runs so long that a point a second would take
// too much memory and time (a month is 2.6 million seconds). Counts and
// consumption then add up over the step, capacity and burst are sampled
// at its end, and latency percentiles are over the requests that finished
// in it. Call it before Reserve and before anything is recorded.
func (c *Collector) SetStep(step sim.Time) {
	if step < sim.Second || step%sim.Second != 0 {
		panic(fmt.Sprintf("reports: series step %v is not a whole number of seconds", step))
	}
	if c.n > 0 || cap(c.offered) > 0 || c.total > 0 {
		panic("reports: SetStep after recording began")
	}
	c.step = step
}

// Step is the span of one index of the series: a second unless SetStep
// made it longer.
func (c *Collector) Step() sim.Time { return c.step }

// growTo sets len(*s) to n, zero-filled, with amortised doubling so that
// growing one second at a time costs O(1) per second.
func growTo[T any](s *[]T, n int) {
	if n > cap(*s) {
		*s = slices.Grow(*s, n-len(*s))
	}
	*s = (*s)[:n]
}

// reserve makes room for n elements without changing len(*s).
func reserve[T any](s *[]T, n int) {
	if n > cap(*s) {
		*s = slices.Grow(*s, n-len(*s))
	}
}

// SetPartitions records table i's partition count, which the model decides
// once the table's items are loaded.
func (c *Collector) SetPartitions(i, n int) { c.table(i).info.Partitions = n }

// Cache implements model.Recorder: one access to a DAX cluster, or one
// item of a batch_get.
func (c *Collector) Cache(now sim.Time, ev *model.CacheEvent) {
	t := c.table(ev.Table)
	if ev.Access == model.CacheNone || ev.Access >= model.NumCacheAccesses {
		panic(fmt.Sprintf("reports: cache event with access %v", ev.Access))
	}
	cl := c.cluster(ev.Cluster)
	i := c.second(now)
	cl.accesses[ev.Access]++
	s := &cl.s
	switch ev.Access {
	case model.CacheItemHit:
		s.ItemHits[i]++
	case model.CacheItemMiss:
		s.ItemMisses[i]++
	case model.CacheQueryHit:
		s.QueryHits[i]++
	case model.CacheQueryMiss:
		s.QueryMisses[i]++
	case model.CacheThrottled:
		s.Throttled[i]++
	}
	if ev.Stale {
		cl.stale++
		s.Stale[i]++
	}
	cl.saved += ev.Saved
	s.Load[i] += ev.Load
	if ev.Access.IsHit() || ev.Access.IsMiss() {
		c.cacheTable(t) // allocates once, for a table SetClusters did not name
		if ev.Access.IsHit() {
			t.s.CacheHits[i]++
		} else {
			t.s.CacheMisses[i]++
		}
	}
}

// tableNamed is the index of the table called name, or -1.
func (c *Collector) tableNamed(name string) int {
	if name == "" {
		return -1
	}
	for i := range c.tables {
		if c.tables[i].info.Name == name {
			return i
		}
	}
	return -1
}

// Global implements model.Recorder: one event of a global table's
// replication.
func (c *Collector) Global(now sim.Time, ev *model.GlobalEvent) {
	c.table(ev.Table)
	r := c.replication() // allocates once, for a run AddTable gave no replica
	i := c.second(now)
	switch ev.Kind {
	case model.GlobalDelivered:
		lag := max(ev.Lag, 0)
		us := int64((lag + sim.Microsecond/2) / sim.Microsecond)
		r.lag.record(lag, min(us, lagHighest))
		r.delivered++
		r.s.Delivered[i]++
	case model.GlobalConflict:
		r.conflicts++
		r.s.Conflicts[i]++
	case model.GlobalRead:
		r.reads++
		r.s.Reads[i]++
		if ev.Stale {
			r.stale++
			r.s.StaleReads[i]++
		}
	case model.GlobalUnreplicated:
		r.unreplicated++
		r.s.Unreplicated[i]++
	default:
		panic(fmt.Sprintf("reports: global event of kind %d", ev.Kind))
	}
}

// replication returns the replication stats, making them the first time.
func (c *Collector) replication() *replicationStats {
	if c.repl == nil {
		c.repl = &replicationStats{lag: latencyStats{h: hdrhistogram.New(histLowest, lagHighest, histDigits)}}
		for _, k := range c.repl.s.counts() {
			*k = make([]int64, c.n, cap(c.offered))
		}
	}
	return c.repl
}
