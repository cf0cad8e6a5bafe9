package stream

import (
	"slices"

	"github.com/ddbsim/ddbsim/model/store"
	"github.com/ddbsim/ddbsim/sim"
)

// Log is one table's stream and its consumers.
//
// CONTRACT (see Config, ConsumerConfig, ConsumerState in config.go):
//   - New(cfg, partitions, hasSortKey, owner, draw) makes the stream of a
//     table of that many partitions with one shard per partition; owner
//     says which partition owns a key's hash; draw returns the model's own
//     uniform [0, 1) numbers (for batch failures).
//   - Append(now, c) logs one applied change in the shard of the
//     partition owning c.PKHash, in the order changes are applied.
//   - OnSplit(now, i): partition i has just split into i and i+1; its
//     shard closes and two child shards open for them. Consumers finish a
//     parent shard before they read its children.
//   - Start(sched, until) schedules the consumers.
//   - Sample(now) fills and returns the consumers' states, a slice reused
//     from call to call.
//   - ReadUnits() is the billed GetRecords calls so far (client consumers).
//
// The model (REFERENCE: streams):
//
// Shards follow partitions: the table starts with one open shard per
// partition, and a split closes the partition's shard and opens one child
// shard for each half. Every change goes to the open shard of the
// partition owning its key, in the order the service applies changes, so
// a shard's records (and so an item's, whose key stays in one partition
// at a time) are in modification order; a consumer reads a child shard
// only after it has finished its parent, which keeps an item's order
// across a split. Nothing orders records of different shards.
//
// Memory follows time, not records. A shard keeps its records as runs of
// consecutive records appended in the same second of virtual time: the
// time of the run's first record, the count, the bytes (16 bytes a run).
// A shard written every second holds at most one run per second of the
// 24 h retention, 86,400 runs (~1.4 MB; its ring buffer, sized in powers
// of two, at most 2 MB), however many records that is. A record's time is
// its run's first time, so the iterator age and the retention trim are
// right to within 1 s: the whole run leaves the stream when its first
// record is 24 h old. Consumers work on record counts within runs; a
// record's size in a GetRecords response is its run's average.
//
// Consumers keep, per shard, a reader: the next record to take, and the
// batches in flight (at most the consumer's parallelization, preallocated
// with the reader, as its poll event is: nothing allocates per batch or
// poll). Records the stream trims before a consumer took them are that
// consumer's Lost, skipped and never processed.
type Log struct {
	owner Partitioner
	cfg   Config
	draw  func() float64
	// sortKeyBytes is what a record's keys take beyond the partition
	// key: 8 bytes for a sort key, when the table has one.
	sortKeyBytes int

	shards []streamShard
	// open maps a partition index to its open shard; it is updated on
	// every split (partition indexes after the split one shift by one).
	open    []int
	cons    []streamConsumer
	records int64 // records appended, over all shards

	sched  Scheduler
	until  sim.Time
	states []ConsumerState

	// tap, when set (tests only), sees every record appended: the shard
	// and a copy of the change, valid during the call.
	tap    func(shard int, c *store.Change)
	tapRec store.Change
	tapKey []byte
}

// streamRun is the records a shard took in one second, from at: the
// consumers' unit of time (REFERENCE: streams, "time-ordered").
type streamRun struct {
	at    sim.Time // the first record's append time
	n     uint32   // records
	bytes uint32   // their bytes (saturating)
}

// streamShard is one shard of the stream: a partition's change log.
type streamShard struct {
	parent   int    // the shard it was split from; -1 for none
	children [2]int // the shards it was split into, once closed
	closed   bool   // no longer takes records
	runs     []streamRun
	head, n  int   // ring buffer over runs: the live runs
	absHead  int64 // absolute number of the run at head
	first    int64 // sequence number of the first record held
	total    int64 // records appended (sequence number of the next)
}

// run returns the run of absolute number abs, which must be held.
func (sh *streamShard) run(abs int64) *streamRun {
	return &sh.runs[(sh.head+int(abs-sh.absHead))&(len(sh.runs)-1)]
}

// push adds a run at the back, growing the ring (by doubling: amortized,
// and never once the shard holds a retention's worth) when it is full.
func (sh *streamShard) push(r streamRun) {
	if sh.n == len(sh.runs) {
		grown := make([]streamRun, max(16, 2*len(sh.runs)))
		for i := 0; i < sh.n; i++ {
			grown[i] = sh.runs[(sh.head+i)&(len(sh.runs)-1)]
		}
		sh.runs, sh.head = grown, 0
	}
	sh.runs[(sh.head+sh.n)&(len(sh.runs)-1)] = r
	sh.n++
}

// trim drops the runs older than the retention (REFERENCE: streams,
// "kept 24 h"), by their first record's time.
func (sh *streamShard) trim(now sim.Time) {
	for sh.n > 0 {
		r := &sh.runs[sh.head]
		if r.at+Retention > now {
			return
		}
		sh.first += int64(r.n)
		sh.head = (sh.head + 1) & (len(sh.runs) - 1)
		sh.n--
		sh.absHead++
	}
	if sh.closed && sh.runs != nil {
		sh.runs, sh.head = nil, 0 // a closed shard's records are all gone
	}
}

// streamConsumer is one consumer and its counters.
type streamConsumer struct {
	cfg      ConsumerConfig
	batch    int      // records a batch (a GetRecords call) takes at most
	maxBytes int      // bytes a batch takes at most; 0 for no limit
	idle     sim.Time // poll interval while there is nothing to read
	readers  []*streamReader

	processed, retries, lost, calls int64
}

// streamReader is one consumer's position in one shard; it is its own
// poll event.
type streamReader struct {
	st    *Log
	c     *streamConsumer
	shard int
	// pos is the next record to take into a batch; (run, off) is where it
	// is: the absolute run number and the offset within that run.
	pos int64
	run int64
	off uint32
	// batches is a ring of the batches in flight, oldest at head, in
	// record order; a completed batch leaves it (its slot frees) only
	// once every earlier one has completed.
	batches  []streamBatch
	head, nb int
	polling  bool // a poll is scheduled
	waiting  bool // the parent shard is not finished
	finished bool // the shard is closed and all its records done
}

// streamBatch is one batch in flight: records [start, start+n) of the
// reader's shard, the first appended at at; it is its own end event.
type streamBatch struct {
	r     *streamReader
	start int64
	n     int64
	at    sim.Time
	done  bool
}

// The event source mapping of a Lambda trigger polls each shard four
// times a second when it has nothing to do; a GetRecords client (the
// Kinesis adapter's default idle time between reads) every second.
const (
	lambdaPollInterval = 250 * sim.Millisecond
	clientPollInterval = sim.Second
	// GetRecords returns at most 1,000 records and 1 MB (REFERENCE:
	// streams, "up to 1,000 records / 1 MB per GetRecords").
	getRecordsMaxRecords = 1000
	getRecordsMaxBytes   = 1 << 20
	defaultLambdaBatch   = 100
)

// Partitioner says which partition of the table owns a key's hash.
type Partitioner interface {
	PartitionOf(hash uint64) int
}

// Scheduler is what the stream needs of the event kernel: the time, and
// events at a time.
type Scheduler interface {
	Now() sim.Time
	At(t sim.Time, h sim.Handler)
}

// New returns the stream of a table of the given partitions.
func New(cfg Config, partitions int, hasSortKey bool, owner Partitioner, draw func() float64) *Log {
	st := &Log{owner: owner, cfg: cfg, draw: draw}
	if hasSortKey {
		st.sortKeyBytes = 8
	}
	st.cons = make([]streamConsumer, len(cfg.Consumers))
	st.states = make([]ConsumerState, len(cfg.Consumers))
	for i, cc := range cfg.Consumers {
		c := &st.cons[i]
		c.cfg = cc
		c.cfg.Parallelization = max(1, cc.Parallelization)
		c.cfg.ProcessingTime = max(0, cc.ProcessingTime)
		if cc.Kind == ConsumerClient {
			c.batch = getRecordsMaxRecords
			if cc.BatchSize > 0 {
				c.batch = min(cc.BatchSize, getRecordsMaxRecords)
			}
			c.maxBytes = getRecordsMaxBytes
			c.idle = clientPollInterval
			c.cfg.Parallelization = 1 // one poller per shard
		} else {
			c.batch = defaultLambdaBatch
			if cc.BatchSize > 0 {
				c.batch = cc.BatchSize
			}
			c.idle = lambdaPollInterval
		}
	}
	st.open = make([]int, partitions)
	for i := range partitions {
		st.open[i] = st.newShard(-1)
	}
	return st
}

// newShard adds an open shard split from parent (-1 for none), and a
// reader of it for every consumer.
func (st *Log) newShard(parent int) int {
	si := len(st.shards)
	st.shards = append(st.shards, streamShard{parent: parent, children: [2]int{-1, -1}})
	for ci := range st.cons {
		c := &st.cons[ci]
		r := &streamReader{st: st, c: c, shard: si, batches: make([]streamBatch, c.cfg.Parallelization)}
		for b := range r.batches {
			r.batches[b].r = r
		}
		if parent >= 0 {
			r.waiting = !c.readers[parent].finished
		}
		c.readers = append(c.readers, r)
		if !r.waiting {
			r.polling = st.at(st.now(), r)
		}
	}
	return si
}

// recordSize is a record's bytes by the stream's view (REFERENCE: streams,
// "View types"): the keys alone, the new image, the old image, or both. A
// record always holds the keys, so an image that does not exist (the new
// image of a removal, the old one of an insert) leaves the keys.
func (st *Log) recordSize(c *store.Change) int {
	keys := len(c.Key) + st.sortKeyBytes
	var image int
	switch st.cfg.View {
	case NewImage:
		image = c.NewSize
	case OldImage:
		image = c.OldSize
	case NewAndOldImages:
		image = c.NewSize + c.OldSize
	}
	return max(keys, image)
}

// Append logs c in the open shard of the partition owning its key
// (REFERENCE: streams, "Each change appears once; per item, in
// modification order"). It does not allocate (but to grow a shard's
// runs, at most once per doubling) and schedules nothing: consumers find
// new records when they next poll.
func (st *Log) Append(now sim.Time, c *store.Change) {
	si := st.open[st.owner.PartitionOf(c.PKHash)]
	sh := &st.shards[si]
	sh.trim(now)
	size := uint32(min(st.recordSize(c), 1<<31))
	if sh.n > 0 {
		last := sh.run(sh.absHead + int64(sh.n) - 1)
		if last.at/sim.Second == now/sim.Second && last.n < 1<<32-1 {
			last.n++
			last.bytes += min(size, 1<<32-1-last.bytes)
			sh.total++
			st.records++
			st.tapped(si, c)
			return
		}
	}
	sh.push(streamRun{at: now, n: 1, bytes: size})
	sh.total++
	st.records++
	st.tapped(si, c)
}

// tapped hands the test tap a copy of c. The copy takes only c's values
// and its key's bytes, so c (on the service's stack) does not escape.
func (st *Log) tapped(si int, c *store.Change) {
	if st.tap == nil {
		return
	}
	st.tapKey = append(st.tapKey[:0], c.Key...)
	st.tapRec = *c
	st.tapRec.Key = st.tapKey
	st.tap(si, &st.tapRec)
}

// SetTap makes every record appended from now on pass through tap: the
// shard and a copy of the change, valid during the call. For tests.
func (st *Log) SetTap(tap func(shard int, c *store.Change)) { st.tap = tap }

// OnSplit closes the shard of partition i, which has just split into i
// and i+1, and opens a child shard for each (REFERENCE: streams, "Shards
// follow partitions"). A consumer reads the children once it has done
// every record of the parent.
func (st *Log) OnSplit(now sim.Time, i int) {
	parent := st.open[i]
	st.shards[parent].trim(now)
	st.shards[parent].closed = true
	a := st.newShard(parent)
	b := st.newShard(parent)
	st.shards[parent].children = [2]int{a, b}
	st.open[i] = a
	st.open = slices.Insert(st.open, i+1, b)
}

// Start schedules every consumer's first poll of every shard it may read.
func (st *Log) Start(sched Scheduler, until sim.Time) {
	st.sched, st.until = sched, until
	now := sched.Now()
	for ci := range st.cons {
		for _, r := range st.cons[ci].readers {
			if !r.waiting && !r.finished && !r.polling {
				r.polling = st.at(now, r)
			}
		}
	}
}

// now is the scheduler's time, once started.
func (st *Log) now() sim.Time {
	if st.sched == nil {
		return 0
	}
	return st.sched.Now()
}

// at schedules h at t, unless the run ends first (nothing is scheduled at
// or after until), and reports whether it did.
func (st *Log) at(t sim.Time, h sim.Handler) bool {
	if st.sched == nil || t >= st.until {
		return false
	}
	st.sched.At(t, h)
	return true
}

// sync skips the records the stream trimmed before r took them: the
// consumer lost them.
func (r *streamReader) sync(sh *streamShard) {
	if r.pos < sh.first {
		r.c.lost += sh.first - r.pos
		r.pos = sh.first
	}
	if r.run < sh.absHead {
		r.run, r.off = sh.absHead, 0
	}
}

// cursor moves (run, off) past the runs r has taken all of, and returns
// the run holding record pos, which must be held.
func (r *streamReader) cursor(sh *streamShard) *streamRun {
	for {
		run := sh.run(r.run)
		if r.off < run.n {
			return run
		}
		r.run, r.off = r.run+1, 0
	}
}

// take fills b with the next records of the shard: up to the consumer's
// batch size and, for a GetRecords client, 1 MB (by the runs' average
// record sizes; at least one record).
func (r *streamReader) take(sh *streamShard, b *streamBatch) {
	c := r.c
	run := r.cursor(sh)
	b.start, b.n, b.at, b.done = r.pos, 0, run.at, false
	used := int64(0)
	for b.n < int64(c.batch) && r.pos < sh.total {
		run = r.cursor(sh)
		k := min(int64(run.n-r.off), int64(c.batch)-b.n)
		if c.maxBytes > 0 {
			avg := max(1, int64(run.bytes/run.n))
			room := (int64(c.maxBytes) - used) / avg
			if room <= 0 {
				if b.n > 0 {
					break
				}
				room = 1
			}
			k = min(k, room)
			used += k * avg
		}
		b.n += k
		r.pos += k
		r.off += uint32(k)
	}
}

// Fire is the reader's poll.
func (r *streamReader) Fire(now sim.Time) {
	r.polling = false
	r.step(now)
}

// step takes batches while the shard has records and the consumer has
// free slots (its parallelization), each a GetRecords call; a call that
// finds nothing is an empty one (billed too, for a client). With slots
// free it polls again after its idle interval; once the shard is closed
// and all its records done, the reader is finished and its children's
// readers start.
func (r *streamReader) step(now sim.Time) {
	st, c := r.st, r.c
	sh := &st.shards[r.shard]
	sh.trim(now)
	r.sync(sh)
	if r.waiting || r.finished {
		return
	}
	took := false
	for r.nb < len(r.batches) && r.pos < sh.total {
		b := &r.batches[(r.head+r.nb)%len(r.batches)]
		r.take(sh, b)
		r.nb++
		c.calls += (b.n + getRecordsMaxRecords - 1) / getRecordsMaxRecords
		took = true
		st.at(now+c.cfg.ProcessingTime, b)
	}
	if r.nb == len(r.batches) {
		return // a batch's end takes the next
	}
	if !took {
		c.calls++ // an empty GetRecords
	}
	if r.nb == 0 && sh.closed && r.pos == sh.total {
		r.finish(now)
		return
	}
	if !r.polling {
		r.polling = st.at(now+c.idle, r)
	}
}

// finish marks r done with its closed shard and starts the consumer on the
// child shards.
func (r *streamReader) finish(now sim.Time) {
	r.finished = true
	for _, child := range r.st.shards[r.shard].children {
		if child < 0 {
			continue
		}
		cr := r.c.readers[child]
		if cr.waiting {
			cr.waiting = false
			if !cr.polling {
				cr.polling = r.st.at(now, cr)
			}
		}
	}
}

// Fire ends the batch's processing. A failed batch (FailureRatio) is
// retried whole after another ProcessingTime, less the records the
// stream has trimmed since, which are lost; a successful one is processed
// and leaves its slot once every earlier batch of the shard has.
func (b *streamBatch) Fire(now sim.Time) {
	r := b.r
	st, c := r.st, r.c
	sh := &st.shards[r.shard]
	sh.trim(now)
	if c.cfg.FailureRatio > 0 && st.draw() < c.cfg.FailureRatio {
		c.retries++
		if b.start < sh.first {
			k := min(b.n, sh.first-b.start)
			c.lost += k
			b.start += k
			b.n -= k
			if b.n > 0 {
				b.at = sh.run(sh.absHead).at
			}
		}
		if b.n > 0 {
			st.at(now+c.cfg.ProcessingTime, b)
			return
		}
	} else {
		c.processed += b.n
	}
	b.done = true
	for r.nb > 0 && r.batches[r.head].done {
		r.head = (r.head + 1) % len(r.batches)
		r.nb--
	}
	r.step(now)
}

// oldest returns the time of the oldest record of the shard r has not
// finished (in flight or not yet taken), and whether there is one.
func (r *streamReader) oldest(sh *streamShard) (sim.Time, bool) {
	if r.nb > 0 {
		return r.batches[r.head].at, true
	}
	if r.pos < sh.total {
		return r.cursor(sh).at, true
	}
	return 0, false
}

// Sample fills the consumers' states at now: the iterator age (the age of
// the oldest record not yet processed, over all shards), the backlog and
// the counters (REFERENCE: streams, "its lag is the iterator age").
func (st *Log) Sample(now sim.Time) []ConsumerState {
	for si := range st.shards {
		st.shards[si].trim(now)
	}
	for ci := range st.cons {
		c := &st.cons[ci]
		var age sim.Time
		for si, r := range c.readers {
			sh := &st.shards[si]
			r.sync(sh)
			if at, ok := r.oldest(sh); ok {
				age = max(age, now-at)
			}
		}
		st.states[ci] = ConsumerState{Name: c.cfg.Name, IteratorAge: age,
			Backlog: st.records - c.processed - c.lost, Records: st.records,
			Processed: c.processed, Retries: c.retries, Lost: c.lost, ReadUnits: c.calls}
	}
	return st.states
}

// ReadUnits is the billed GetRecords calls: a client consumer's, every
// call, empty ones included; a Lambda trigger's are free (REFERENCE:
// streams, "reads by Lambda triggers and global-table replication are
// free").
func (st *Log) ReadUnits() int64 {
	var n int64
	for ci := range st.cons {
		if st.cons[ci].cfg.Kind == ConsumerClient {
			n += st.cons[ci].calls
		}
	}
	return n
}

// ---- Inspection: the shards and readers as tests and reports see them.

// Shards is the number of shards the stream has had, open and closed.
func (st *Log) Shards() int { return len(st.shards) }

// OpenShard is the open shard of partition i.
func (st *Log) OpenShard(i int) int { return st.open[i] }

// ShardRecords is the records shard si has taken.
func (st *Log) ShardRecords(si int) int64 { return st.shards[si].total }

// ShardRuns is the runs shard si holds (records of one second each) and
// the size of the ring it holds them in.
func (st *Log) ShardRuns(si int) (held, ring int) { return st.shards[si].n, len(st.shards[si].runs) }

// Reader is consumer ci's position in shard si: whether it has taken any
// record, and whether it has finished the shard.
func (st *Log) Reader(ci, si int) (started, finished bool) {
	r := st.cons[ci].readers[si]
	return r.pos > 0, r.finished
}
