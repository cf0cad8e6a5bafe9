package workload

import (
	"math/rand/v2"

	"github.com/ddbsim/ddbsim/model"
	"github.com/ddbsim/ddbsim/sim"
)

// Config is one workload: where its requests go, what they do, and how its
// client behaves.
type Config struct {
	Name        string
	Table       int // index in the service
	Arrivals    Profile
	Poisson     bool
	Mix         Mix
	Keys        KeyChooser
	ItemsPerKey int64 // sort-key indexes per partition key; 1 without a sort key
	Sizes       SizeChooser
	Consistency model.Consistency
	QueryLimit  int
	Retry       RetryPolicy
	Timeout     sim.Time // an attempt slower than this fails the request
}

// Source generates one workload's requests on the kernel and plays the
// client for each: send, wait for the response, back off and retry a
// throttle, and report the final outcome.
type Source struct {
	cfg     Config
	k       *sim.Kernel
	svc     *model.Service
	rec     model.Recorder
	arr     *Arrivals
	rng     *rand.Rand // keys, sizes, mix
	backoff *rand.Rand // retry jitter
	budget  retryBudget
	scan    model.ScanCursor
	free    []*request // finished requests, reused so steady state allocates nothing
	arrived int64
}

// NewSource wires a workload to the kernel and service. Each source draws
// from streams named after it, so adding a workload does not change the
// draws of another.
func NewSource(cfg Config, k *sim.Kernel, svc *model.Service, rec model.Recorder) *Source {
	s := &Source{
		cfg:     cfg,
		k:       k,
		svc:     svc,
		rec:     rec,
		rng:     k.Stream("workload/" + cfg.Name + "/requests"),
		backoff: k.Stream("workload/" + cfg.Name + "/backoff"),
		budget:  newRetryBudget(cfg.Retry.Budget),
	}
	s.arr = NewArrivals(cfg.Arrivals, cfg.Poisson, k.Stream("workload/"+cfg.Name+"/arrivals"))
	return s
}

// Start schedules the first arrival.
func (s *Source) Start() {
	if at, ok := s.arr.Next(); ok {
		s.k.At(at, s)
	}
}

// Fire handles an arrival: it schedules the next one, then issues a new
// request.
func (s *Source) Fire(now sim.Time) {
	if at, ok := s.arr.Next(); ok {
		s.k.At(at, s)
	}
	s.arrived++
	r := s.get()
	r.start = now
	r.attempts = 0
	r.done = false
	op := s.cfg.Mix.Next(s.rng)
	key := s.cfg.Keys.Next(s.rng)
	r.keyBuf = model.AppendSyntheticKey(r.keyBuf[:0], key)
	r.req = model.Request{
		Table:       s.cfg.Table,
		Op:          op,
		Consistency: s.cfg.Consistency,
		Key:         r.keyBuf,
		Limit:       s.cfg.QueryLimit,
		Cursor:      &s.scan,
	}
	if s.cfg.ItemsPerKey > 1 {
		r.req.SortIndex = s.rng.Int64N(s.cfg.ItemsPerKey)
	}
	if op.IsWrite() {
		r.req.Size = s.cfg.Sizes.Next(s.rng)
	}
	s.attempt(now, r)
}

// attempt sends the request and schedules what the client sees: the
// response, a retry after backoff, or the end of the request.
func (s *Source) attempt(now sim.Time, r *request) {
	r.attempts++
	resp := s.svc.Handle(now, &r.req)
	canRetry := r.attempts < s.cfg.Retry.MaxAttempts
	switch {
	case resp.Latency > s.cfg.Timeout:
		// The client stops waiting; an admitted write has still been
		// applied, as with a real timeout. The SDK retries timeouts at a
		// higher cost to its quota (REFERENCE: retries).
		if canRetry && s.budget.take(RetryTimeoutCost) {
			s.retry(now, now+s.cfg.Timeout, r)
			return
		}
		r.finish(model.Failed, model.NotThrottled)
		s.k.At(now+s.cfg.Timeout, r)
	case resp.Admitted():
		s.budget.succeeded()
		r.finish(model.Succeeded, model.NotThrottled)
		s.k.At(now+resp.Latency, r)
	case canRetry && s.budget.take(RetryCost):
		s.retry(now, now+resp.Latency, r)
	default:
		r.finish(model.Throttled, resp.Reason)
		s.k.At(now+resp.Latency, r)
	}
}

// retry schedules the request's next attempt, the policy's backoff after
// failedAt, when the client learns the last attempt failed. The retry is
// recorded at now, the time of the attempt, because recorder calls must
// not run ahead of virtual time.
func (s *Source) retry(now, failedAt sim.Time, r *request) {
	s.rec.Retry(now, s.cfg.Table, r.req.Op)
	r.done = false
	s.k.At(failedAt+s.cfg.Retry.Backoff(r.attempts, s.backoff), r)
}

// Arrived counts the requests the source has issued.
func (s *Source) Arrived() int64 { return s.arrived }

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
	start    sim.Time
	attempts int
	done     bool
	result   model.Result
	reason   model.ThrottleReason
}

func (r *request) finish(res model.Result, reason model.ThrottleReason) {
	r.done, r.result, r.reason = true, res, reason
}

// Fire retries the request or reports its outcome.
func (r *request) Fire(now sim.Time) {
	s := r.src
	if !r.done {
		s.attempt(now, r)
		return
	}
	s.rec.Finish(model.Outcome{
		Table:    r.req.Table,
		Op:       r.req.Op,
		Result:   r.result,
		Start:    r.start,
		End:      now,
		Attempts: r.attempts,
		Reason:   r.reason,
	})
	s.free = append(s.free, r)
}
