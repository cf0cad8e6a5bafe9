package workload

import (
	"fmt"
	"math/rand/v2"

	"github.com/ddbsim/ddbsim/model"
	"github.com/ddbsim/ddbsim/model/store"
	"github.com/ddbsim/ddbsim/model/units"
	"github.com/ddbsim/ddbsim/sim"
)

// Config is one workload: where its requests go, what they do, and how its
// client behaves.
//
// A workload is an open loop or a closed loop, as k6 (arrival-rate
// executors versus VUs) and Gatling (open versus closed injection) tell
// them apart. An open loop (Users == 0) issues requests at the times of
// Arrivals whether or not earlier ones have been answered, so throttling
// piles requests up. A closed loop (Users > 0) is Users virtual users,
// each of which sends a request, waits for its final response (retries
// and backoff included), thinks, and sends the next: throttling slows it
// down instead.
type Config struct {
	Name  string
	Table int // index in the service
	// Workload is the workload's index in the scenario; every outcome
	// the source reports carries it (model.Outcome.Workload).
	Workload int

	// Open loop: the arrival rate, and Poisson or evenly spaced arrivals.
	// The profile's end is the workload's end.
	Arrivals Profile
	Poisson  bool

	// Closed loop, when Users > 0; Arrivals and Poisson are then unused.
	// User i (i = 0..Users-1) sends its first request at i x W / Users,
	// where W is Think, or one second when Think is 0, so that users do
	// not all fire at the same instant; after each final response it
	// waits Think, or an exponential draw of mean Think with
	// ThinkExponential, then sends the next. No request starts at or after
	// End; requests in flight at End finish. Users and Think must not be
	// negative.
	Users            int
	Think            sim.Time
	ThinkExponential bool
	End              sim.Time

	Mix  Mix
	Keys KeyChooser
	// Shards > 1 is write sharding: each key the chooser picks gets the
	// suffix "#k", k drawn uniformly from [0, Shards), reads and writes
	// alike, so a hot key's traffic spreads over Shards partition keys
	// (see appendShard). Inserted keys are not sharded. 0 or 1: none.
	Shards int
	// Keyspace holds the workload's keys; insert operations add to it,
	// and choosers that favour recent keys read it. Nil when the mix has
	// no insert.
	Keyspace    *Keyspace
	ItemsPerKey int64 // sort-key indexes per partition key; 1 without a sort key
	Sizes       SizeChooser
	Consistency units.Consistency
	QueryLimit  int
	// MaxRequests stops the workload after that many operations (a
	// read-modify-write counts once); 0 for no limit.
	MaxRequests int64
	// ScanMax makes each scan read a uniform number of items from 1 to
	// ScanMax; 0 leaves scans to QueryLimit.
	ScanMax int
	// QueryRange makes each query read a range of that many sort keys
	// starting at a random index of the item collection (sort key
	// BETWEEN a AND a+QueryRange-1); 0 reads the collection from its
	// start. Needs ItemsPerKey > 1.
	QueryRange int
	// BatchSize is the number of parts of each batch_get and batch_write
	// request, each drawn on its own (key, sort-key index, and for a put
	// its size); DefaultBatchSize when 0. It must not pass
	// model.MaxBatchItems of any batch operation in the mix.
	BatchSize int
	Retry     RetryPolicy
	Timeout   sim.Time // an attempt slower than this fails the request

	// Index, when above 0, sends the workload's queries and scans to a
	// secondary index of its table (model.Request.Index); the mix must
	// then hold only query and scan.
	Index int
	// ViaDAX sends the requests through the table's DAX cluster.
	ViaDAX bool
	// Failover lists, for a workload on a replica of a global table, the
	// other replicas (table indexes) in the order the client fails over
	// to them; FailoverAfter is how long the client takes to notice its
	// region is down, or back (a health check's detection time).
	Failover      []int
	FailoverAfter sim.Time

	// Trace, when set, replays a trace file (see replay.go): its records
	// give the arrivals, operations, keys and item sizes, so Arrivals,
	// Users, Mix, Keys and Sizes are unused. No record is issued at or
	// after End (0: none, unless the trace loops).
	Trace *Trace
}

// DefaultBatchSize is the parts per batch request when Config.BatchSize is
// 0: BatchWriteItem's limit, which BatchGetItem also accepts.
const DefaultBatchSize = model.MaxBatchWriteItems

// Source generates one workload's requests on the kernel and plays the
// client for each: send, wait for the response, back off and retry a
// throttle, and report the final outcome. Open and closed loops differ
// only in what makes a request start (an arrival, or a user done
// thinking) and in what its end does (nothing, or start the user's think
// time); the request, its retries and the recorder calls are the same.
//
// A batch (batch_get, batch_write) may come back with parts unprocessed.
// The SDKs leave those to the application, whose documentation tells it
// to retry them with exponential backoff; ddbsim's client does that for
// the user: it re-sends
// exactly the unprocessed parts, after the same backoff, within the same
// attempts and taking the same retry quota as a throttled request (the
// attempt does not count as a success for the quota). The request
// succeeds once every part has been processed. If attempts or quota run
// out first, it ends Throttled, with the first unprocessed part's reason,
// even when most parts were processed: the application did not get all
// it asked for. A batch attempt that times out is re-sent whole, since
// the client never saw which parts were done. One batch request is one
// Outcome whatever its parts did; each throttled part is a throttle event.
type Source struct {
	cfg        Config
	k          *sim.Kernel
	svc        *model.Service
	rec        model.Recorder
	arr        *Arrivals  // open loop only
	think      *rand.Rand // closed loop only: exponential think times
	rng        *rand.Rand // keys, sizes, mix
	backoff    *rand.Rand // retry jitter
	budget     retryBudget
	limiter    adaptiveRateLimit // used when cfg.Retry.Adaptive
	scan       store.ScanCursor
	free       []*request // finished requests, reused so steady state allocates nothing
	arrived    int64
	operations int64        // requests issued, a read-modify-write once
	trace      *traceReplay // trace replay only

	// early is the window ReportEarly set, 0 for none, and window the
	// end of the window of the last attempt finishEarly saw; landing[head:]
	// are the credits of successes reported early since the last take
	// from the quota, pending those applied before a later take (early.go).
	early   sim.Time
	window  sim.Time
	landing []pendingCredit
	head    int
	pending credits
}

// NewSource wires a workload to the kernel and service. Each source draws
// from streams named after it, so adding a workload does not change the
// draws of another. It panics on a negative Users or Think, which the
// scenario parser rejects, and on a BatchSize outside the limits of a
// batch operation of the mix.
func NewSource(cfg Config, k *sim.Kernel, svc *model.Service, rec model.Recorder) *Source {
	if cfg.Users < 0 || cfg.Think < 0 {
		panic("workload: " + cfg.Name + ": negative Users or Think")
	}
	if cfg.BatchSize == 0 {
		cfg.BatchSize = DefaultBatchSize
	}
	for _, op := range cfg.Mix.Ops() {
		if m := model.MaxBatchItems(op); m > 0 && (cfg.BatchSize < 1 || cfg.BatchSize > m) {
			panic(fmt.Sprintf("workload: %s: BatchSize %d; %v takes 1 to %d", cfg.Name, cfg.BatchSize, op, m))
		}
	}
	s := &Source{
		cfg:     cfg,
		k:       k,
		svc:     svc,
		rec:     rec,
		rng:     k.Stream("workload/" + cfg.Name + "/requests"),
		backoff: k.Stream("workload/" + cfg.Name + "/backoff"),
		budget:  newRetryBudget(cfg.Retry.Budget),
		limiter: newAdaptiveRateLimit(),
	}
	if s.closed() {
		s.think = k.Stream("workload/" + cfg.Name + "/think")
	} else if cfg.Trace != nil {
		s.trace = newTraceReplay(s)
	} else {
		s.arr = NewArrivals(cfg.Arrivals, cfg.Poisson, k.Stream("workload/"+cfg.Name+"/arrivals"))
	}
	return s
}

// Start schedules the first arrival, or each user's first request.
func (s *Source) Start() {
	if s.closed() {
		s.startUsers()
		return
	}
	if s.trace != nil {
		s.trace.start()
		return
	}
	if at, ok := s.arr.Next(); ok {
		s.k.At(at, s)
	}
}

// Fire starts a request. In an open loop it is an arrival, and schedules
// the next one; in a closed loop it is a user done thinking.
func (s *Source) Fire(now sim.Time) {
	if s.cfg.MaxRequests > 0 && s.operations >= s.cfg.MaxRequests {
		return // the workload has issued all it was to (YCSB's operationcount)
	}
	if !s.closed() {
		if at, ok := s.arr.Next(); ok {
			s.k.At(at, s)
		}
	}
	s.issue(now)
}

// issue starts a new request at now and sends its first attempt.
func (s *Source) issue(now sim.Time) {
	s.arrived++
	s.operations++
	r := s.get()
	r.start = now
	r.attempts, r.held, r.throttles = 0, 0, 0
	r.done = false
	if s.trace != nil { // the trace's record gives op, key and size
		s.trace.fill(r)
		s.attempt(now, r)
		return
	}
	e := s.cfg.Mix.NextEntry(s.rng)
	op := e.Op
	r.then = 0
	if e.ReadModifyWrite {
		r.then = units.OpUpdate
	}
	r.req = model.Request{
		Table:       s.cfg.Table,
		Op:          op,
		Consistency: s.cfg.Consistency,
		Limit:       s.cfg.QueryLimit,
		Cursor:      &s.scan,
		Index:       s.cfg.Index,
		ViaDAX:      s.cfg.ViaDAX,
	}
	if e.HasConsistency {
		r.req.Consistency = e.Consistency
	}
	if e.ConditionFailure > 0 {
		r.req.ConditionFails = s.rng.Float64() < e.ConditionFailure
	}
	if op == units.OpScan && s.cfg.ScanMax > 0 {
		r.req.Limit = 1 + s.rng.IntN(s.cfg.ScanMax)
	}
	switch op {
	case units.OpBatchGet, units.OpBatchWrite, units.OpTransactGet, units.OpTransactWrite:
		r.req.Items = s.batch(now, r, op == units.OpBatchWrite || op == units.OpTransactWrite)
		s.attempt(now, r)
		return
	}
	if e.Insert {
		r.keyBuf = store.AppendSyntheticKey(r.keyBuf[:0], s.cfg.Keyspace.Insert())
	} else {
		r.keyBuf = s.key(now, r.keyBuf[:0])
	}
	r.req.Key = r.keyBuf
	if s.cfg.ItemsPerKey > 1 {
		r.req.SortIndex = s.rng.Int64N(s.cfg.ItemsPerKey)
		if op == units.OpQuery && s.cfg.QueryRange > 0 {
			// A sort-key range of QueryRange items starting at a random
			// index, so the whole range lies in the collection.
			r.req.SortFrom = s.rng.Int64N(max(1, s.cfg.ItemsPerKey-int64(s.cfg.QueryRange)+1))
			r.req.Limit = min(s.cfg.QueryRange, cmpOr(s.cfg.QueryLimit, s.cfg.QueryRange))
		}
	}
	if op.IsWrite() {
		r.req.Size = s.cfg.Sizes.Next(s.rng)
	}
	s.attempt(now, r)
}

func cmpOr(v, def int) int {
	if v == 0 {
		return def
	}
	return v
}

// followUp turns a finished read of a read-modify-write into its update of
// the same item, sent at once as a request of its own.
func (s *Source) followUp(now sim.Time, r *request) {
	s.arrived++
	r.start, r.attempts, r.held, r.done, r.throttles = now, 0, 0, false, 0
	r.req.Op, r.then = r.then, 0
	r.req.Size = s.cfg.Sizes.Next(s.rng)
	s.attempt(now, r)
}

// key appends the partition key of the next request to dst: the key
// chooser's pick, named as a synthetic key, with a shard suffix when the
// workload shards its keys.
func (s *Source) key(now sim.Time, dst []byte) []byte {
	dst = store.AppendSyntheticKey(dst, s.cfg.Keys.Next(s.rng, now))
	return appendShard(dst, s.rng, s.cfg.Shards)
}

// batch draws the parts of a batch request into r's reused buffer: for
// each, a key and sort-key index as for a single-item request, and for a
// put (write) its size. Parts are drawn independently, so one batch may
// name a key twice, which the real service rejects and ddbsim serves.
func (s *Source) batch(now sim.Time, r *request, write bool) []model.BatchItem {
	n := s.cfg.BatchSize
	if cap(r.items) < n {
		r.items = make([]model.BatchItem, n)
	}
	items := r.items[:n]
	for i := range items {
		it := &items[i]
		it.Key = s.key(now, it.Key[:0])
		it.SortIndex, it.Size = 0, 0
		if s.cfg.ItemsPerKey > 1 {
			it.SortIndex = s.rng.Int64N(s.cfg.ItemsPerKey)
		}
		if write {
			it.Size = s.cfg.Sizes.Next(s.rng)
		}
	}
	return items
}

// attempt sends the request and schedules what the client sees: the
// response, a retry after backoff, or the end of the request. A batch
// with parts unprocessed is retried like a throttle, with only those
// parts (see Source).
func (s *Source) attempt(now sim.Time, r *request) {
	if s.cfg.Retry.Adaptive {
		// aws-sdk-go-v2 adaptive mode sleeps until the client-side rate
		// limiter has a token, then tries again (AdaptiveMode.GetAttemptToken).
		if ok, wait := s.limiter.acquire(now); !ok {
			s.k.At(now+wait, r)
			return
		}
	}
	r.attempts++
	if len(s.cfg.Failover) > 0 {
		r.req.Table = s.route(now)
	}
	resp := s.svc.Handle(now, &r.req)
	if s.cfg.Retry.Adaptive {
		// The limiter learns of the attempt when it is sent, not a
		// response latency later as the SDK does; the SDK counts a
		// timeout or a batch's unprocessed parts as no throttle.
		throttled := resp.Latency <= s.cfg.Timeout && resp.Error == model.NoError && !resp.Admitted()
		s.limiter.update(now, throttled)
	}
	r.cache = resp.Cache
	if resp.Latency <= s.cfg.Timeout && resp.Error == model.NoError && !resp.Admitted() {
		r.throttles++
	}
	canRetry := r.attempts < s.cfg.Retry.MaxAttempts
	switch {
	case resp.Latency > s.cfg.Timeout:
		// The client stops waiting; an admitted write has still been
		// applied, as with a real timeout. The SDK retries timeouts at a
		// higher cost to its quota (REFERENCE: retries).
		if canRetry && s.take(now, RetryTimeoutCost) {
			s.retry(now, now+s.cfg.Timeout, r, false, RetryTimeoutCost)
			return
		}
		r.finish(model.Failed, model.NotThrottled)
		r.err = model.ErrTimeout
		s.respond(now, now+s.cfg.Timeout, r)
	case resp.Error.Retryable() && canRetry && s.take(now, RetryCost):
		// A transaction conflict, a region down, a replicated write
		// conflict: transient, retried as a throttle is (and a retry
		// after the region is seen down goes to another replica).
		s.retry(now, now+resp.Latency, r, false, RetryCost)
	case resp.Error != model.NoError:
		// Not retried: a failed condition will not hold on a second
		// try, a full item collection stays full, and a transient error
		// has run out of attempts or quota.
		r.finish(model.Failed, model.NotThrottled)
		r.err = resp.Error
		s.respond(now, now+resp.Latency, r)
	case resp.Admitted() && resp.Unprocessed == 0:
		// The quota is credited when the response arrives (Fire), as
		// the SDK releases its token after the attempt returns.
		r.finish(model.Succeeded, model.NotThrottled)
		s.respond(now, now+resp.Latency, r)
	case canRetry && s.take(now, RetryCost):
		// The service moved a batch's unprocessed parts to the front
		// (all of them when the whole batch was throttled); nil stays
		// nil for other operations.
		if resp.Unprocessed > 0 {
			r.req.Items = r.req.Items[:resp.Unprocessed]
		}
		s.retry(now, now+resp.Latency, r, true, RetryCost)
	default:
		reason := resp.Reason
		if reason == model.NotThrottled {
			reason = resp.UnprocessedReason // a batch partly processed
		}
		r.finish(model.Throttled, reason)
		s.respond(now, now+resp.Latency, r)
	}
}

// respond has the client receive r's final response at end: an event
// then, or the outcome reported now when ReportEarly allows.
func (s *Source) respond(now, end sim.Time, r *request) {
	if !s.finishEarly(now, end, r) {
		s.k.At(end, r)
	}
}

// route picks the replica an attempt goes to: the workload's own region,
// unless the client has seen it down, then the first replica of Failover
// it has not seen down. The client sees a region's state FailoverAfter
// late, as a health check would, both going down and coming back.
func (s *Source) route(now sim.Time) int {
	seen := now - s.cfg.FailoverAfter
	if s.svc.Available(s.cfg.Table, seen) {
		return s.cfg.Table
	}
	for _, t := range s.cfg.Failover {
		if s.svc.Available(t, seen) {
			return t
		}
	}
	return s.cfg.Table
}

// retry schedules the request's next attempt, the policy's backoff after
// failedAt, when the client learns the last attempt failed. The retry is
// recorded at now, the time of the attempt, because recorder calls must
// not run ahead of virtual time. throttle says the attempt was throttled
// (some policies back off longer then); cost is what the retry took from
// the quota, given back if it succeeds.
func (s *Source) retry(now, failedAt sim.Time, r *request, throttle bool, cost int) {
	s.rec.Retry(now, s.cfg.Table, r.req.Op)
	r.done = false
	r.held = cost
	s.k.At(failedAt+s.cfg.Retry.Backoff(r.attempts, throttle, s.backoff), r)
}

// Arrived counts the requests the source has issued, open or closed loop.
func (s *Source) Arrived() int64 { return s.arrived }

// Operations counts the operations the source has issued (a
// read-modify-write once), which MaxRequests bounds.
func (s *Source) Operations() int64 { return s.operations }

func (s *Source) get() *request {
	if n := len(s.free); n > 0 {
		r := s.free[n-1]
		s.free = s.free[:n-1]
		return r
	}
	return &request{src: s}
}

// request is one client request in flight. As a sim.Handler it fires
// either when a retry is due or when the client receives the final
// response.
type request struct {
	src      *Source
	req      model.Request
	keyBuf   []byte
	items    []model.BatchItem // a batch's parts, reused; req.Items is a prefix
	start    sim.Time
	attempts int
	// throttles counts the attempts that were throttled.
	throttles int
	held      int // the quota tokens the retry in flight took; 0 on a first attempt
	done      bool
	result    model.Result
	reason    model.ThrottleReason
	err       model.ErrorKind
	cache     model.CacheAccess // what DAX did with the last attempt
	then      units.Op          // the update that follows a read-modify-write's read; 0 for none
}

func (r *request) finish(res model.Result, reason model.ThrottleReason) {
	r.done, r.result, r.reason, r.err = true, res, reason, model.NoError
}

// Fire retries the request or reports its outcome.
func (r *request) Fire(now sim.Time) {
	s := r.src
	if !r.done {
		s.attempt(now, r)
		return
	}
	if r.result == model.Succeeded {
		s.budget.succeeded(r.held)
	}
	s.report(now, r)
}

// report records r's outcome, ending at end, and goes on from it: the
// update of a read-modify-write, or r back to the pool and, in a closed
// loop, the user's think time.
func (s *Source) report(end sim.Time, r *request) {
	s.rec.Finish(model.Outcome{
		Table:     r.req.Table,
		Workload:  s.cfg.Workload,
		Throttles: r.throttles,
		Op:        r.req.Op,
		Result:    r.result,
		Start:     r.start,
		End:       end,
		Attempts:  r.attempts,
		Reason:    r.reason,
		Error:     r.err,
		Cache:     r.cache,
	})
	if r.then != 0 && r.result == model.Succeeded {
		s.followUp(end, r)
		return
	}
	s.free = append(s.free, r)
	if s.closed() {
		s.thinkThenSend(end)
	}
	if s.trace != nil {
		s.trace.finished(end)
	}
}
