package workload

import (
	"cmp"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/ddbsim/ddbsim/model"
	"github.com/ddbsim/ddbsim/model/latency"
	"github.com/ddbsim/ddbsim/model/store"
	"github.com/ddbsim/ddbsim/model/units"
	"github.com/ddbsim/ddbsim/sim"
)

// countingRecorder is a model.Recorder that counts calls and checks that
// they arrive in non-decreasing virtual time, as the Recorder interface
// promises. With keep set it also keeps every Outcome.
type countingRecorder struct {
	keep     bool
	outcomes []model.Outcome

	consumed, throttles, retries, finishes int
	byResult                               [3]int // indexed by model.Result
	attempts                               int    // sum of Outcome.Attempts
	last                                   sim.Time
	backwards                              int // calls earlier than the one before
	orphanRetries                          int // Retry calls not right after a Throttle

	// A shadow of the client's retry quota (REFERENCE: retries), kept
	// from the calls alone when the run has no timeouts: Source.attempt
	// calls Retry right after the service's Throttle when it retries, and
	// credits a success when its response arrives (Finish): 1 for a first
	// attempt, the retry's cost back for a retry. See checkBudget.
	shadow        int
	pending       bool // a Throttle not yet followed by a Retry
	pendingTokens int  // the shadow quota at that Throttle
	overdrawn     int  // retries taken with fewer than RetryCost tokens
	refusedPoor   int  // throttles not retried with fewer than RetryCost tokens
	refusedFunded int  // throttles not retried although the quota could pay
	finalTokens   int  // the Source's own quota after the run, set by run
}

func (r *countingRecorder) at(now sim.Time) {
	if now < r.last {
		r.backwards++
	}
	r.last = now
}

// settle classifies a Throttle that no Retry followed.
func (r *countingRecorder) settle() {
	if !r.pending {
		return
	}
	r.pending = false
	if r.pendingTokens < RetryCost {
		r.refusedPoor++
	} else {
		r.refusedFunded++
	}
}

func (r *countingRecorder) Consumed(now sim.Time, _, _ int, _, _ units.Units) {
	r.at(now)
	r.settle()
	r.consumed++
}

func (r *countingRecorder) Sample(sim.Time, int, *model.TableState) {}
func (r *countingRecorder) Event(sim.Time, model.CapacityEvent)     {}
func (r *countingRecorder) Cache(sim.Time, *model.CacheEvent)       {}
func (r *countingRecorder) Global(sim.Time, *model.GlobalEvent)     {}

func (r *countingRecorder) Throttle(now sim.Time, _ *model.ThrottleEvent) {
	r.at(now)
	r.settle()
	r.throttles++
	r.pending, r.pendingTokens = true, r.shadow
}

func (r *countingRecorder) Retry(now sim.Time, _ int, _ units.Op) {
	r.at(now)
	r.retries++
	if !r.pending {
		r.orphanRetries++
	}
	r.pending = false
	if r.shadow < RetryCost {
		r.overdrawn++
	}
	r.shadow -= RetryCost
}

func (r *countingRecorder) Finish(o model.Outcome) {
	r.at(o.End)
	r.settle()
	r.finishes++
	r.byResult[o.Result]++
	if o.Result == model.Succeeded {
		credit := RetrySuccessBonus
		if o.Attempts > 1 {
			credit = RetryCost // the retry that succeeded gives its cost back
		}
		r.shadow = min(r.shadow+credit, RetryBudgetTokens)
	}
	r.attempts += o.Attempts
	if r.keep {
		r.outcomes = append(r.outcomes, o)
	}
}

// table is a provisioned table of 1,000 items of 1,000 bytes.
func table(rcu, wcu int64) model.TableConfig {
	return model.TableConfig{
		Name:          "t",
		Schema:        store.KeySchema{PartitionKey: "pk"},
		Mode:          model.Provisioned,
		ReadCapacity:  rcu,
		WriteCapacity: wcu,
		ItemCount:     1000,
		ItemSize:      1000,
	}
}

func mustMix(t testing.TB, ops []units.Op, weights []float64) Mix {
	t.Helper()
	m, err := NewMix(ops, weights)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// noBurst is the service with burst and adaptive capacity off, so a
// partition's one-second share alone decides admission and a small table
// throttles from the first second.
func noBurst() model.Params {
	p := model.DefaultParams()
	p.BurstWindow = sim.Second
	p.BurstStartsFull = false
	p.Adaptive = false
	return p
}

// run plays one workload against one table from time 0 until every
// request has finished, and returns what the recorder saw.
func run(t testing.TB, seed uint64, tc model.TableConfig, cfg Config) *countingRecorder {
	t.Helper()
	rec, _ := runClosed(t, seed, tc, latency.DefaultLatency(), cfg)
	// Without timeouts, only a throttle leads to a retry; a timed-out
	// attempt is retried whether or not it was admitted.
	if rec.orphanRetries != 0 && rec.byResult[model.Failed] == 0 && cfg.Timeout >= 10*sim.Second {
		t.Errorf("%d Retry calls did not follow the attempt's Throttle", rec.orphanRetries)
	}
	return rec
}

// arrivalTimes replays the source's arrival stream on its own: the times
// at which NewSource's process, seeded alike, issues requests.
func arrivalTimes(t testing.TB, seed uint64, cfg Config) []sim.Time {
	k := sim.New(seed)
	return collect(t, NewArrivals(cfg.Arrivals, cfg.Poisson, k.Stream("workload/"+cfg.Name+"/arrivals")))
}

// checkOutcomes checks what holds for any run: every arrival ends in
// exactly one Finish, whose Start is the arrival's time; results add up;
// every attempt was either admitted (Consumed) or throttled (Throttle);
// every attempt after the first was a recorded Retry; attempts stay within
// the policy; End >= Start; a throttle reason goes with a Throttled
// result and only with it.
func checkOutcomes(t *testing.T, rec *countingRecorder, arrivals []sim.Time, cfg Config) {
	t.Helper()
	if len(arrivals) == 0 {
		t.Fatal("the workload produced no arrival")
	}
	starts := make([]sim.Time, 0, len(rec.outcomes))
	for _, o := range rec.outcomes {
		starts = append(starts, o.Start)
		if o.End < o.Start {
			t.Errorf("outcome %+v ends before it starts", o)
		}
		if o.Attempts < 1 || o.Attempts > max(1, cfg.Retry.MaxAttempts) {
			t.Errorf("outcome %+v: %d attempts, policy allows %d", o, o.Attempts, cfg.Retry.MaxAttempts)
		}
		if (o.Result == model.Throttled) != (o.Reason != model.NotThrottled) {
			t.Errorf("outcome %+v: result %v with reason %q", o, o.Result, o.Reason)
		}
	}
	slices.Sort(starts)
	if !slices.Equal(starts, arrivals) {
		t.Errorf("%d outcomes for %d arrivals, or their start times differ from the arrival times", len(starts), len(arrivals))
	}
	if total := rec.byResult[model.Succeeded] + rec.byResult[model.Throttled] + rec.byResult[model.Failed]; total != rec.finishes {
		t.Errorf("succeeded %d + throttled %d + errors %d != %d finished",
			rec.byResult[model.Succeeded], rec.byResult[model.Throttled], rec.byResult[model.Failed], rec.finishes)
	}
	if rec.attempts != rec.consumed+rec.throttles {
		t.Errorf("%d attempts in outcomes, but %d consumed + %d throttled", rec.attempts, rec.consumed, rec.throttles)
	}
	if rec.attempts-rec.finishes != rec.retries {
		t.Errorf("%d attempts beyond the first, but %d Retry calls", rec.attempts-rec.finishes, rec.retries)
	}
}

// checkBudget replays the retry quota from the recorder's shadow of it: a
// retry is taken only when the quota holds RetryCost tokens; a throttled
// attempt the quota could pay for is retried unless it was the last one
// the policy allows; requests that gave up early were refused by an empty
// quota; and the client's own quota ends where the replay does. It holds
// only for runs without timeouts, which take no token and give none back.
// It returns how many requests gave up before their last attempt.
func checkBudget(t *testing.T, rec *countingRecorder, cfg Config) (gaveUpEarly int) {
	t.Helper()
	lastAttempt := 0
	for _, o := range rec.outcomes {
		switch {
		case o.Result == model.Throttled && o.Attempts == cfg.Retry.MaxAttempts:
			lastAttempt++
		case o.Result == model.Throttled:
			gaveUpEarly++
		}
	}
	if rec.finalTokens != rec.shadow {
		t.Errorf("the client's quota ends with %d tokens, the replay with %d: tokens were taken or given back outside retries and successes",
			rec.finalTokens, rec.shadow)
	}
	if rec.overdrawn != 0 {
		t.Errorf("%d retries taken with fewer than %d tokens in the quota", rec.overdrawn, RetryCost)
	}
	if rec.refusedFunded > lastAttempt {
		t.Errorf("%d throttles not retried with the quota able to pay, but only %d requests used all %d attempts",
			rec.refusedFunded, lastAttempt, cfg.Retry.MaxAttempts)
	}
	if gaveUpEarly > rec.refusedPoor {
		t.Errorf("%d requests gave up early, but the quota was short only %d times", gaveUpEarly, rec.refusedPoor)
	}
	return gaveUpEarly
}

// baseConfig is a Poisson read/write workload at 200/s for 10 s over the
// table's 1,000 keys.
func baseConfig(t testing.TB, retry RetryPolicy) Config {
	return Config{
		Name:     "w",
		Arrivals: mustProfile(t, 200, nil, 10*sim.Second),
		Poisson:  true,
		Mix:      mustMix(t, []units.Op{units.OpGet, units.OpPut, units.OpUpdate, units.OpDelete}, []float64{60, 20, 10, 10}),
		Keys:     NewZipf(1000, 0.99),
		Sizes:    NewLognormalSize(800, 4000),
		Retry:    retry,
		Timeout:  10 * sim.Second,
	}
}

// TestSourceConservation pins the client's bookkeeping end to end, through
// the real service and kernel, for each built-in policy, on a table sized
// so that some requests are throttled: see checkOutcomes.
func TestSourceConservation(t *testing.T) {
	for name, retry := range map[string]RetryPolicy{"SDKv2": SDKv2(), "Legacy": Legacy(), "NoRetry": NoRetry()} {
		t.Run(name, func(t *testing.T) {
			cfg := baseConfig(t, retry)
			rec := run(t, 1, table(50, 20), cfg)
			checkOutcomes(t, rec, arrivalTimes(t, 1, cfg), cfg)
			if rec.throttles == 0 || rec.byResult[model.Succeeded] == 0 {
				t.Errorf("%d throttles, %d successes: the scenario should have both", rec.throttles, rec.byResult[model.Succeeded])
			}
			// With a 10 s timeout nothing times out: a throttled attempt is
			// either retried or the request's last.
			if rec.byResult[model.Failed] != 0 {
				t.Errorf("%d requests failed", rec.byResult[model.Failed])
			}
			if rec.throttles != rec.retries+rec.byResult[model.Throttled] {
				t.Errorf("%d throttles != %d retries + %d throttled outcomes", rec.throttles, rec.retries, rec.byResult[model.Throttled])
			}
			if retry.Budget {
				checkBudget(t, rec, cfg)
			}
		})
	}
}

// TestSourceNoRetry pins NoRetry: no Retry call, one attempt per request,
// and each throttle is a final Throttled outcome.
func TestSourceNoRetry(t *testing.T) {
	cfg := baseConfig(t, NoRetry())
	rec := run(t, 2, table(20, 5), cfg)
	if rec.retries != 0 {
		t.Errorf("%d Retry calls with NoRetry", rec.retries)
	}
	for _, o := range rec.outcomes {
		if o.Attempts != 1 {
			t.Fatalf("outcome %+v: %d attempts with NoRetry", o, o.Attempts)
		}
	}
	if rec.throttles == 0 || rec.throttles != rec.byResult[model.Throttled] {
		t.Errorf("%d throttles, %d throttled outcomes: want equal and non-zero", rec.throttles, rec.byResult[model.Throttled])
	}
}

// TestSourceThrottleIdentity pins, on a table far too small for its load
// (1 WCU against 100 puts/s of 1 KB, Poisson, SDKv2), the identity that
// follows from Source.attempt: a throttled attempt that does not time out
// either schedules a retry (Retry) or ends the request (Finish with
// Throttled), so Throttle calls = Retry calls + Throttled outcomes. It
// also pins the retry quota (REFERENCE: retries): 5 tokens per retry out
// of 500, plus 1 per success, bound the retries, and once the quota is
// empty requests give up before their third attempt.
func TestSourceThrottleIdentity(t *testing.T) {
	cfg := hotConfig(t, SDKv2())
	rec := run(t, 3, table(1, 1), cfg)
	checkOutcomes(t, rec, arrivalTimes(t, 3, cfg), cfg)
	if rec.throttles != rec.retries+rec.byResult[model.Throttled] {
		t.Errorf("%d throttles != %d retries + %d throttled outcomes", rec.throttles, rec.retries, rec.byResult[model.Throttled])
	}
	// A first attempt that succeeds adds RetrySuccessBonus; a retry that
	// succeeds refunds its cost instead (REFERENCE: retries).
	succeeded, retriedOK := rec.byResult[model.Succeeded], 0
	for _, o := range rec.outcomes {
		if o.Result == model.Succeeded && o.Attempts > 1 {
			retriedOK++
		}
	}
	if RetryCost*rec.retries > RetryBudgetTokens+RetrySuccessBonus*(succeeded-retriedOK)+RetryCost*retriedOK {
		t.Errorf("%d retries cost %d tokens, more than %d + %d successes (%d after a retry) allow",
			rec.retries, RetryCost*rec.retries, RetryBudgetTokens, succeeded, retriedOK)
	}
	if checkBudget(t, rec, cfg) == 0 {
		t.Errorf("no request gave up for an empty retry quota")
	}
	if rec.throttles < 10*succeeded {
		t.Errorf("%d throttles for %d successes: the table should be overwhelmed", rec.throttles, succeeded)
	}
}

// TestSourceTimeout pins Config.Timeout: an attempt whose response takes
// longer fails, and without retries the client sees the failure exactly
// Timeout after that attempt was sent. A 3 ms timeout against a get median
// of 2.5 ms fails a large share of requests.
func TestSourceTimeout(t *testing.T) {
	cfg := baseConfig(t, NoRetry())
	cfg.Timeout = 3 * sim.Millisecond
	cfg.Mix = mustMix(t, []units.Op{units.OpGet}, []float64{1})
	rec := run(t, 4, table(10000, 10000), cfg)
	checkOutcomes(t, rec, arrivalTimes(t, 4, cfg), cfg)
	failed := rec.byResult[model.Failed]
	if failed == 0 || rec.byResult[model.Succeeded] == 0 {
		t.Fatalf("%d failed, %d succeeded: want both", failed, rec.byResult[model.Succeeded])
	}
	for _, o := range rec.outcomes {
		// Nothing is throttled, so each request is one attempt.
		if o.Result == model.Failed && o.Latency() != cfg.Timeout {
			t.Errorf("failed outcome %+v: latency %v, want the timeout %v", o, o.Latency(), cfg.Timeout)
		}
		if o.Result == model.Succeeded && o.Latency() > cfg.Timeout {
			t.Errorf("succeeded outcome %+v: latency %v beyond the timeout", o, o.Latency())
		}
	}
}

// REFERENCE: retries — the SDK retries timeouts too, at 10 quota tokens
// each instead of 5: with the quota on, timed-out gets are retried, and the
// quota runs dry twice as fast as it would for throttles.
func TestSourceRetriesTimeouts(t *testing.T) {
	cfg := baseConfig(t, SDKv2())
	cfg.Timeout = 3 * sim.Millisecond
	cfg.Mix = mustMix(t, []units.Op{units.OpGet}, []float64{1})
	rec := run(t, 4, table(10000, 10000), cfg)
	checkOutcomes(t, rec, arrivalTimes(t, 4, cfg), cfg)
	if rec.throttles != 0 {
		t.Fatalf("%d throttles on an idle table", rec.throttles)
	}
	retriedOK := 0
	for _, o := range rec.outcomes {
		if o.Result == model.Succeeded && o.Attempts > 1 {
			retriedOK++
		}
	}
	if rec.retries == 0 || retriedOK == 0 {
		t.Fatalf("%d retries, %d requests saved by a retry: timeouts were not retried", rec.retries, retriedOK)
	}
}

// TestSourceDeterministic pins that a run is a pure function of its seed
// (sim package doc): the same seed gives the same Outcome sequence, in the
// same order; another seed a different one.
func TestSourceDeterministic(t *testing.T) {
	cfg := func() Config { return baseConfig(t, SDKv2()) }
	a := run(t, 7, table(50, 20), cfg()).outcomes
	b := run(t, 7, table(50, 20), cfg()).outcomes
	c := run(t, 8, table(50, 20), cfg()).outcomes
	if !slices.Equal(a, b) {
		t.Errorf("seed 7 gave two different outcome sequences (%d and %d outcomes)", len(a), len(b))
	}
	if slices.Equal(a, c) {
		t.Errorf("seeds 7 and 8 gave the same outcome sequence")
	}
}

// TestSourceGetPathDoesNotAllocate pins the allocation-free hot path (see
// the Source.free and sim.Handler comments, and Service.Handle's "It does
// not allocate"): once warm, one arrival of a get on an existing key, its
// Handle and its response allocate nothing. Constant arrivals at 1/s
// put one arrival, and the previous arrival's response (a few ms later),
// in each one-second window the kernel is run for.
func TestSourceGetPathDoesNotAllocate(t *testing.T) {
	k := sim.New(1)
	rec := &countingRecorder{} // counts only
	svc, err := model.NewService([]model.TableConfig{table(1000, 1000)}, noBurst(), latency.DefaultLatency(), k.Stream("model/latency"), rec)
	if err != nil {
		t.Fatal(err)
	}
	cfg := Config{
		Name:     "alloc",
		Arrivals: mustProfile(t, 1, nil, sim.Day),
		Mix:      mustMix(t, []units.Op{units.OpGet}, []float64{1}),
		Keys:     Uniform{Count: 1000}, // every key exists
		Sizes:    FixedSize(1000),
		Retry:    SDKv2(),
		Timeout:  10 * sim.Second,
	}
	NewSource(cfg, k, svc, rec).Start()
	until := sim.Time(0)
	step := func() {
		until += sim.Second
		k.Run(until)
	}
	for range 10 { // warm up: the free list and the queue's slice
		step()
	}
	before := rec.finishes
	allocs := testing.AllocsPerRun(200, step)
	if got := rec.finishes - before; got != 201 {
		t.Fatalf("%d requests finished in 201 steps, want one per step", got)
	}
	if rec.consumed != rec.finishes+1 || rec.throttles != 0 {
		t.Fatalf("%d consumed, %d finished, %d throttled: want every get admitted", rec.consumed, rec.finishes, rec.throttles)
	}
	if allocs != 0 {
		t.Errorf("%.2f allocations per arrival on the get path, want 0", allocs)
	}
}

// TestSourceStreamsIndependent pins NewSource's claim that each source
// draws from streams named after it, so adding a workload does not change
// another's draws: workload "w" issues the same requests at the same times
// whether or not workload "other" (on a second table) shares the kernel.
func TestSourceStreamsIndependent(t *testing.T) {
	var otherOps []units.Op // table 1's operations in issue order
	play := func(withOther bool) []model.Outcome {
		k := sim.New(5)
		rec := &countingRecorder{keep: true}
		// Ample capacity and a fixed latency stream: only "other"'s own
		// draws could change "w"'s requests.
		t2 := table(10000, 10000)
		t2.Name = "t2"
		svc, err := model.NewService([]model.TableConfig{table(10000, 10000), t2}, noBurst(), latency.DefaultLatency(), rand.New(rand.NewPCG(1, 1)), rec)
		if err != nil {
			t.Fatal(err)
		}
		if withOther {
			other := baseConfig(t, SDKv2())
			other.Name, other.Table = "other", 1
			NewSource(other, k, svc, rec).Start()
		}
		NewSource(baseConfig(t, SDKv2()), k, svc, rec).Start()
		k.Run(sim.Never)
		var mine, other []model.Outcome
		for _, o := range rec.outcomes {
			o := model.Outcome{Table: o.Table, Op: o.Op, Start: o.Start}
			if o.Table == 0 {
				mine = append(mine, o)
			} else {
				other = append(other, o)
			}
		}
		byStart := func(a, b model.Outcome) int { return cmp.Compare(a.Start, b.Start) }
		slices.SortStableFunc(mine, byStart)
		slices.SortStableFunc(other, byStart)
		otherOps = otherOps[:0]
		for _, o := range other {
			otherOps = append(otherOps, o.Op)
		}
		return mine
	}
	alone, shared := play(false), play(true)
	if !slices.Equal(alone, shared) {
		t.Errorf("workload w's requests (op, start) changed when another workload was added: %d vs %d", len(alone), len(shared))
	}
	// Two workloads alike but for their names draw different operations.
	ops := make([]units.Op, 0, len(shared))
	for _, o := range shared {
		ops = append(ops, o.Op)
	}
	n := min(len(ops), len(otherOps))
	if n < 100 || slices.Equal(ops[:n], otherOps[:n]) {
		t.Errorf("workloads w and other drew the same %d operations: their streams are not distinct", n)
	}
}

// hotConfig is 100 puts/s of 1 KB for 10 s, Poisson, against a table
// that admits about one a second.
func hotConfig(t testing.TB, retry RetryPolicy) Config {
	return Config{
		Name:     "hot",
		Arrivals: mustProfile(t, 100, nil, 10*sim.Second),
		Poisson:  true,
		Mix:      mustMix(t, []units.Op{units.OpPut}, []float64{1}),
		Keys:     Uniform{Count: 1000},
		Sizes:    FixedSize(1024),
		Retry:    retry,
		Timeout:  10 * sim.Second,
	}
}

// TestSourceBackoffDelaysRetries pins that the client waits Backoff(n)
// before retry n (REFERENCE: retries). With the legacy policy (aws-sdk-go
// v1: 10 retries, throttles backed off 2^(n-1) x uniform[500 ms, 1 s),
// the last from [150 s, 300 s)) a request throttled on all 11 attempts
// takes the sum of 10 backoffs plus 11 throttle responses of about 1 ms:
// on average 608.25 s, about ten minutes, with a standard deviation of
// about 58 s per request (the last two delays dominate). Over several
// hundred such requests the mean is within 3 s of 608.25 s at 1 standard
// deviation; the bound, 12 s, is over 4.
func TestSourceBackoffDelaysRetries(t *testing.T) {
	cfg := hotConfig(t, Legacy())
	rec := run(t, 11, table(1, 1), cfg)
	checkOutcomes(t, rec, arrivalTimes(t, 11, cfg), cfg)
	var sum sim.Time
	n := 0
	for _, o := range rec.outcomes {
		if o.Result == model.Throttled && o.Attempts == 11 {
			sum += o.Latency()
			n++
		}
	}
	if n < 300 {
		t.Fatalf("only %d requests were throttled on all 11 attempts", n)
	}
	want := 0.0
	p := Legacy()
	for i := 1; i <= 10; i++ {
		lo, hi := p.BackoffRange(i, true)
		want += (lo + hi).Seconds() / 2
	}
	if mean := (sum / sim.Time(n)).Seconds(); mean < want-12 || mean > want+12 {
		t.Errorf("mean latency of %d requests throttled 11 times: %.2f s, want %.2f s ± 12 s", n, mean, want)
	}
}

// TestSourceTimeoutAppliesToThrottles pins Config.Timeout's "an attempt
// slower than this fails the request" for throttled attempts too: with a
// 1 ms timeout, below the median throttle response (1 ms), and a table
// that admits about one put a second, many requests fail without ever
// being admitted, so failures outnumber admitted attempts.
func TestSourceTimeoutAppliesToThrottles(t *testing.T) {
	cfg := hotConfig(t, SDKv2())
	cfg.Timeout = sim.Millisecond
	rec := run(t, 12, table(1, 1), cfg)
	checkOutcomes(t, rec, arrivalTimes(t, 12, cfg), cfg)
	if failed := rec.byResult[model.Failed]; failed <= rec.consumed {
		t.Errorf("%d failed requests, %d admitted attempts: throttled attempts slower than the timeout should fail too", failed, rec.consumed)
	}
	for _, o := range rec.outcomes {
		if o.Result == model.Failed && o.Attempts == 1 && o.Latency() != cfg.Timeout {
			t.Errorf("failed outcome %+v: latency %v, want the timeout %v", o, o.Latency(), cfg.Timeout)
		}
	}
}

// A client of a replica whose region goes down: its requests fail until
// it notices, FailoverAfter later, then go to the other replica, and come
// back FailoverAfter after the region returns. Each failed attempt is
// retried as a throttle is.
func TestFailover(t *testing.T) {
	k := sim.New(1)
	rec := &countingRecorder{keep: true}
	svc, err := model.NewService([]model.TableConfig{{Name: "t", Schema: store.KeySchema{PartitionKey: "pk"},
		Mode: model.OnDemand, ItemCount: 100, ItemSize: 1024, Replicas: []string{"us-east-1", "eu-west-1"}}},
		model.DefaultParams(), latency.DefaultLatency(), k.Stream("model/latency"), rec)
	if err != nil {
		t.Fatal(err)
	}
	svc.AddFault(model.Fault{Region: "us-east-1", At: 10 * sim.Second, Outage: 20 * sim.Second})
	eu, _ := svc.TableIn("t", "eu-west-1")
	arrivals, err := NewProfile(100, nil, 60*sim.Second)
	if err != nil {
		t.Fatal(err)
	}
	cfg := Config{Name: "w", Table: 0, Arrivals: arrivals, Mix: mustMix(t, []units.Op{units.OpGet}, []float64{1}),
		Keys: Uniform{Count: 100}, ItemsPerKey: 1, Sizes: FixedSize(1024), Retry: SDKv2(), Timeout: 10 * sim.Second,
		Failover: []int{eu}, FailoverAfter: 5 * sim.Second}
	svc.Start(k, 70*sim.Second)
	NewSource(cfg, k, svc, rec).Start()
	k.Run(sim.Never)
	var failed, toEU, toHome [7]int // by 10 s window of the request's start
	for _, o := range rec.outcomes {
		w := int(o.Start / (10 * sim.Second))
		switch {
		case o.Result == model.Failed && o.Error == model.ErrRegionUnavailable:
			failed[w]++
		case o.Table == eu:
			toEU[w]++
		default:
			toHome[w]++
		}
	}
	// 0-10 s: home. 10-15 s: failing (retries included, some succeed
	// once the client notices at 15 s). 15-30 s: eu. 30-35 s: eu still
	// (the client has not noticed the return). 35 s on: home again.
	if toEU[0] != 0 || failed[0] != 0 {
		t.Errorf("before the outage: %d to eu, %d failed", toEU[0], failed[0])
	}
	if failed[1] == 0 || toEU[2] < 900 || toHome[2] != 0 {
		t.Errorf("during the outage: %d failed in 10-20 s, %d to eu and %d home in 20-30 s", failed[1], toEU[2], toHome[2])
	}
	if toEU[3] == 0 || toHome[3] == 0 || toEU[4] != 0 {
		t.Errorf("after the return: %d to eu and %d home in 30-40 s, %d to eu in 40-50 s; want the switch back at 35 s",
			toEU[3], toHome[3], toEU[4])
	}
}
