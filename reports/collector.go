package reports

import (
	"fmt"
	"slices"

	"github.com/HdrHistogram/hdrhistogram-go"

	"github.com/ddbsim/ddbsim/model"
	"github.com/ddbsim/ddbsim/model/billing"
	"github.com/ddbsim/ddbsim/model/units"
	"github.com/ddbsim/ddbsim/sim"
)

// TableInfo describes a table as the run configured it.
type TableInfo struct {
	Name          string
	Mode          string // "provisioned" | "on-demand"
	Partitions    int
	ReadCapacity  int64 // Provisioned RCU; 0 for on-demand
	WriteCapacity int64 // Provisioned WCU; 0 for on-demand
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

// Collector records a run and builds its Result. It implements
// model.Recorder. It is not safe for concurrent use; the kernel is
// single-threaded.
//
// The per-call methods do not allocate once the per-second series have
// grown to the current second (Reserve grows them up front) and each
// workload's operation on each table has finished once (with DAX, once
// for each of hit, miss, write through and other).
//
// Before the run, AddTable adds the global tables' replicas and the global
// secondary indexes the service runs as tables of their own, SetRegion
// gives a global table its home region, and SetClusters names the DAX
// clusters; memory grows with the run's duration, the tables, partitions
// (whose series stay within PartitionSeriesBudget a table), stream
// consumers and clusters, never with the requests.
type Collector struct {
	tables []tableStats
	// sampled is one past the last series index a Sample described: the
	// rows after it (responses and retries of requests still in flight
	// at the end, which a run lets finish) hold what it last said.
	sampled int
	// reserved is the series indexes Reserve made room for.
	reserved int

	// Requests by workload and table (collector_groups.go):
	// cells[w+1][t], row 0 for requests no workload sent, nil until the
	// pair's first request finishes. Each request's latency is recorded
	// there alone; the run's, each operation's and the cache classes'
	// are merged from the cells when the result is read. workloadInfo
	// names the workloads (SetWorkloads).
	workloadInfo []WorkloadInfo
	// outages are the scenario's region outages (SetOutages).
	outages []Outage
	cells   [][]*groupStats

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
	// secFrom and secTo bound the virtual time that series index sec
	// covers once a Finish has landed in it (both 0 before): a Finish
	// between them finds its index without a division.
	secFrom, secTo sim.Time
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

	// DAX: one entry per cluster. The latency of the requests whose last
	// attempt hit, missed, or wrote through a cache is in the cells.
	clusters []clusterStats

	// Global tables: what replication did, nil until the run has a
	// replica or a global event.
	repl *replicationStats

	// Availability as the SLA measures it: requests that ended, and
	// those that ended unavailable (see unavailable), by 5-minute
	// interval of the run.
	availEnded, availFailed []int64
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
	// base is, for a global secondary index, its table's position plus
	// one once baseOf has found it; 0 until then.
	base      int
	consumers []consumerStats
	s         TableSeries
	// The partition series hold a point each stride series indexes
	// (PartitionSeriesBudget): point is the one in progress, which
	// starts at series index from; cur gathers its values, one entry a
	// partition, in one array, until a later point begins
	// (collector_partitions.go).
	stride, point, from int
	cur                 []partPoint
}

// NewCollector returns a Collector for a run over the given tables; the
// Recorder's table indexes refer to this slice.
func NewCollector(tables []TableInfo) *Collector {
	c := &Collector{
		step:    sim.Second,
		tables:  make([]tableStats, len(tables)),
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
	for _, u := range t.s.unitSeries() {
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

// Reserve makes room in the per-second series for a run of duration d, so
// that recording never grows them. It is optional.
func (c *Collector) Reserve(d sim.Time) {
	c.reserved = c.index(d) + 1 // an event exactly at d falls in the next second
	for i := range c.tables {
		if t := &c.tables[i]; len(t.cur) > 0 {
			c.fitPartitions(t)
		}
	}
	c.fitSeries(c.reserved, false)
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
	t.consumedPartition(i, partition, read, write)
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
	if ev.Reason.IsIndex() && ev.Reason.IsWrite() {
		// GSI back-pressure: an index that cannot take its index writes
		// throttles the base-table write, and the request against the
		// table fails with the index's reason (REFERENCE: gsi,
		// throttling; AWS Developer Guide, "Understanding GSI write
		// throttling and back pressure", and API ThrottlingReason). The
		// table's row counts the reason its callers received. Its
		// throttle events stay the table's own, as CloudWatch's
		// WriteThrottleEvents under the TableName dimension alone leaves
		// out the indexes' (metrics-dimensions.html).
		if b := c.baseOf(ev.Table); b != nil {
			b.byReason[ev.Reason] += n
			b.s.ByReason[ev.Reason][i] += n
		}
	}
	if ev.Partition >= 0 { // a DAX cluster's throttle has no partition
		c.partition(t, ev.Partition)
		t.throttledPartition(i, ev.Partition, n)
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
	// It opens no second of its own: the sample at the run's end would
	// otherwise leave a row past it, empty of capacity and cost.
	i := c.index(max(now-sim.Second, 0))
	if i >= c.n {
		c.grow(i + 1)
	}
	c.sampled = max(c.sampled, i+1)
	t.s.ReadCapacity[i], t.s.WriteCapacity[i] = st.ReadCapacity, st.WriteCapacity
	t.s.ReadBurst[i], t.s.WriteBurst[i] = st.ReadBurst, st.WriteBurst
	t.s.Partitions[i] = int64(st.Partitions)
	if len(st.Parts) > 0 {
		c.partition(t, len(st.Parts)-1)
	}
	if len(st.Parts) > 0 {
		t.sampledPartitions(i, st.Parts)
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
	end := c.sec
	if o.End < c.secFrom || o.End >= c.secTo {
		end = c.second(o.End)
		if end != c.sec {
			if end < c.sec {
				panic(fmt.Sprintf("reports: finish at %v after one in a later second", o.End))
			}
			c.rollSecond(end)
		}
		c.secFrom, c.secTo = sim.Time(end)*c.step, sim.Time(end+1)*c.step
	}
	start := end // most requests start in the second they end in
	if o.Start < c.secFrom {
		start = c.index(o.Start)
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
	c.offered[start] += n
	t.s.Offered[start] += n

	us := micros(lat)
	c.recordCell(&o, n, lat, us)
	c.secHist.RecordValues(us, n)
	c.secMax = max(c.secMax, lat)
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
	for i := range c.tables {
		c.tables[i].flushPartitions()
	}
	c.holdLastSample()
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

// baseOf returns the stats of the table whose global secondary index is
// table i, nil when table i is no index (or its table is unknown). The
// answer is looked up once and kept.
func (c *Collector) baseOf(i int) *tableStats {
	t := &c.tables[i]
	if t.info.Base == "" {
		return nil
	}
	if t.base == 0 {
		t.base = c.tableNamed(t.info.Base) + 1
	}
	if t.base == 0 || t.base-1 == i {
		return nil
	}
	return &c.tables[t.base-1]
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
		for _, u := range s.unitSeries() {
			fit(u, n, grow)
		}
		for k := range s.counts {
			fit(k, n, grow)
		}
		if t := &c.tables[i]; len(t.cur) > 0 {
			if grow {
				c.fitPartitions(t)
			}
			m := t.partPoints(n)
			for p := range s.PartitionRead {
				fit(&s.PartitionRead[p], m, grow)
				fit(&s.PartitionWrite[p], m, grow)
				fit(&s.PartitionReadBurst[p], m, grow)
				fit(&s.PartitionWriteBurst[p], m, grow)
				fit(&s.PartitionThrottles[p], m, grow)
			}
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
