package workload

import (
	"cmp"
	"math"
	"slices"
	"testing"

	"github.com/ddbsim/ddbsim/model"
	"github.com/ddbsim/ddbsim/model/latency"
	"github.com/ddbsim/ddbsim/model/units"
	"github.com/ddbsim/ddbsim/sim"
)

// Tests of closed-loop workloads (Config.Users > 0). They reuse the
// recorder and tables of source_test.go.

// fixedLatency is the default latency model with every operation and
// every throttle taking exactly d, so that a closed loop's timing can be
// computed by hand.
func fixedLatency(d sim.Time) latency.LatencyModel {
	lat := latency.DefaultLatency()
	for op := range lat.Base {
		lat.Base[op] = latency.Lognormal{Median: d, P99: d}
	}
	lat.Throttle = latency.Lognormal{Median: d, P99: d}
	return lat
}

// runClosed plays one workload against one table under the latency model
// lat until every request has finished, with run's checks and run's
// service (noBurst), and returns what the recorder saw and the source.
func runClosed(t testing.TB, seed uint64, tc model.TableConfig, lat latency.LatencyModel, cfg Config) (*countingRecorder, *Source) {
	t.Helper()
	k := sim.New(seed)
	rec := &countingRecorder{keep: true, shadow: RetryBudgetTokens}
	svc, err := model.NewService([]model.TableConfig{tc}, noBurst(), lat, k.Stream("model/latency"), rec)
	if err != nil {
		t.Fatal(err)
	}
	src := NewSource(cfg, k, svc, rec)
	src.Start()
	k.Run(sim.Never)
	rec.settle()
	rec.finalTokens = src.budget.tokens
	if k.Pending() != 0 {
		t.Fatalf("%d events still pending after the run", k.Pending())
	}
	if rec.backwards != 0 {
		t.Errorf("%d recorder calls went back in virtual time", rec.backwards)
	}
	return rec, src
}

// closedConfig is a closed loop of users users, each thinking think
// between requests, until end: gets over the table's 1,000 keys with the
// SDK v2 retryer.
func closedConfig(t testing.TB, users int, think, end sim.Time) Config {
	return Config{
		Name:    "users",
		Users:   users,
		Think:   think,
		End:     end,
		Mix:     mustMix(t, []units.Op{units.OpGet}, []float64{1}),
		Keys:    Uniform{Count: 1000},
		Sizes:   FixedSize(1000),
		Retry:   SDKv2(),
		Timeout: 10 * sim.Second,
	}
}

// checkClosed checks what holds for any closed-loop run: every request the
// source issued (Arrived) ends in exactly one Finish; attempts add up as
// for an open loop; no request starts at or after End; and never more than
// Users requests are in flight, since each user waits for its response.
// It returns the largest number in flight at once.
func checkClosed(t *testing.T, rec *countingRecorder, src *Source, cfg Config) (maxInFlight int) {
	t.Helper()
	if src.Arrived() == 0 {
		t.Fatal("the closed loop issued no request")
	}
	if int64(rec.finishes) != src.Arrived() || len(rec.outcomes) != rec.finishes {
		t.Errorf("%d requests issued, %d finished", src.Arrived(), rec.finishes)
	}
	if rec.attempts != rec.consumed+rec.throttles {
		t.Errorf("%d attempts in outcomes, but %d consumed + %d throttled", rec.attempts, rec.consumed, rec.throttles)
	}
	if rec.attempts-rec.finishes != rec.retries {
		t.Errorf("%d attempts beyond the first, but %d Retry calls", rec.attempts-rec.finishes, rec.retries)
	}
	// +1 at each start, -1 at each end; at equal times an end goes first,
	// since a user with no think time starts its next request the instant
	// the last one ends.
	type step struct {
		at    sim.Time
		delta int
	}
	steps := make([]step, 0, 2*len(rec.outcomes))
	for _, o := range rec.outcomes {
		if o.Start >= cfg.End {
			t.Errorf("outcome %+v starts at or after the end %v", o, cfg.End)
		}
		if o.End < o.Start {
			t.Errorf("outcome %+v ends before it starts", o)
		}
		steps = append(steps, step{o.Start, +1}, step{o.End, -1})
	}
	slices.SortFunc(steps, func(a, b step) int {
		return cmp.Or(cmp.Compare(a.at, b.at), a.delta-b.delta)
	})
	n := 0
	for _, s := range steps {
		n += s.delta
		maxInFlight = max(maxInFlight, n)
	}
	if maxInFlight > cfg.Users {
		t.Errorf("%d requests in flight at once with %d users", maxInFlight, cfg.Users)
	}
	return maxInFlight
}

// startTimes are the sorted start times of the outcomes.
func startTimes(rec *countingRecorder) []sim.Time {
	s := make([]sim.Time, 0, len(rec.outcomes))
	for _, o := range rec.outcomes {
		s = append(s, o.Start)
	}
	slices.Sort(s)
	return s
}

// TestClosedLoopSchedule pins the closed loop's timing exactly, where every
// response takes the same time lat and nothing is throttled: user i of n
// starts at i x W / n (W = think, or 1 s with no think time), and then
// every lat + think, for as long as a start falls before the end. So n
// users issue about n x duration / (think + lat) requests; exactly the
// sum over users of ceil((end - offset_i) / (think + lat)).
func TestClosedLoopSchedule(t *testing.T) {
	const lat = 2 * sim.Millisecond
	cases := []struct {
		name       string
		users      int
		think, end sim.Time
		want       int // requests issued, computed by hand
	}{
		// Ten users, cycles of 100 ms, offsets 9.8 ms apart: 100 each.
		{"think 98ms", 10, 98 * sim.Millisecond, 10 * sim.Second, 1000},
		// Offsets 100 ms apart over the first second; cycles of 2 ms:
		// user i makes (10 s - i x 100 ms) / 2 ms = 5000 - 50i requests.
		{"no think time", 10, 0, 10 * sim.Second, 50000 - 50*45},
		// Offsets 1 s apart over the first 10 s think: the users that
		// start before the 5 s end send once, and their next request
		// would come after it.
		{"think longer than the run", 10, 10 * sim.Second, 5 * sim.Second, 5},
		// One user: 1 s / 0.5 s = 2 requests, at 0 and 500 ms.
		{"one user", 1, 498 * sim.Millisecond, sim.Second, 2},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cfg := closedConfig(t, c.users, c.think, c.end)
			rec, src := runClosed(t, 1, table(100000, 100000), fixedLatency(lat), cfg)
			checkClosed(t, rec, src, cfg)
			if rec.throttles != 0 || rec.byResult[model.Succeeded] != rec.finishes {
				t.Fatalf("%d throttles, %d of %d succeeded: want none throttled", rec.throttles, rec.byResult[model.Succeeded], rec.finishes)
			}
			w := c.think
			if w == 0 {
				w = sim.Second
			}
			var want []sim.Time
			for i := range c.users {
				for at := w * sim.Time(i) / sim.Time(c.users); at < c.end; at += lat + c.think {
					want = append(want, at)
				}
			}
			slices.Sort(want)
			if len(want) != c.want {
				t.Fatalf("test case: the schedule has %d requests, the comment says %d", len(want), c.want)
			}
			if got := startTimes(rec); !slices.Equal(got, want) {
				t.Errorf("%d requests, want %d at the times computed by hand", len(got), len(want))
			}
			if src.Arrived() != int64(c.want) {
				t.Errorf("Arrived() = %d, want %d", src.Arrived(), c.want)
			}
			for _, o := range rec.outcomes {
				if o.Latency() != lat {
					t.Fatalf("outcome %+v: latency %v, want %v", o, o.Latency(), lat)
				}
			}
		})
	}
}

// TestClosedLoopSlowsDownUnderThrottling is the point of a closed loop: on
// a table that cannot keep up, its users wait for their responses
// (throttles, backoff and retries included), so it sends fewer requests;
// an open loop sends the same requests at the same times whatever the
// table does, and they pile up. Both run puts for 30 s against a table
// with ample capacity and against one with 1 WCU, which admits about one
// write a second. The client is the legacy retryer
// (10 retries, no quota), so throttling shows as latency. With SDKv2 the
// retry quota soon runs dry and throttled requests fail fast instead,
// which makes the closed loop's throughput fall much less.
func TestClosedLoopSlowsDownUnderThrottling(t *testing.T) {
	const end = 30 * sim.Second
	puts := func(cfg Config) Config {
		cfg.Mix = mustMix(t, []units.Op{units.OpPut}, []float64{1})
		cfg.Sizes = FixedSize(1024)
		cfg.Retry = Legacy()
		return cfg
	}
	ample, starved := table(100000, 100000), table(1, 1)

	// Open loop: 100 puts/s, Poisson. The arrivals do not depend on the
	// table, so both runs issue exactly the same requests: 3,000 expected,
	// standard deviation 55; the bound, 250, is over 4 of them.
	open := puts(hotConfig(t, Legacy()))
	open.Arrivals = mustProfile(t, 100, nil, end)
	arrivals := arrivalTimes(t, 21, open)
	if n := float64(len(arrivals)); math.Abs(n-100*end.Seconds()) > 250 {
		t.Fatalf("%v arrivals for 100/s over %v", n, end)
	}
	openAmple := run(t, 21, ample, open)
	openStarved := run(t, 21, starved, open)
	checkOutcomes(t, openAmple, arrivals, open)
	checkOutcomes(t, openStarved, arrivals, open)
	if !slices.Equal(startTimes(openAmple), startTimes(openStarved)) {
		t.Errorf("the open loop's requests depend on the table: %d vs %d", openAmple.finishes, openStarved.finishes)
	}

	// Closed loop: 20 users, 50 ms think. On the ample table a cycle is
	// about 54 ms (think + put latency, mean about 4 ms), so about 20 x 30
	// s / 54 ms ≈ 11,100 requests, far above the open loop's 3,000. On the
	// starved table a request throttled on every attempt takes about 33 s
	// (see TestSourceBackoffDelaysRetries), so each user spends most of the
	// run waiting on one or two requests: a few dozen requests in all.
	closed := puts(closedConfig(t, 20, 50*sim.Millisecond, end))
	closedAmple, srcAmple := runClosed(t, 21, ample, latency.DefaultLatency(), closed)
	closedStarved, srcStarved := runClosed(t, 21, starved, latency.DefaultLatency(), closed)
	checkClosed(t, closedAmple, srcAmple, closed)
	checkClosed(t, closedStarved, srcStarved, closed)
	meanLatency := func(rec *countingRecorder) float64 {
		var sum sim.Time
		for _, o := range rec.outcomes {
			sum += o.Latency()
		}
		return (sum / sim.Time(len(rec.outcomes))).Seconds()
	}
	a, s := closedAmple.finishes, closedStarved.finishes
	t.Logf("open loop: %d requests on both tables; closed loop: %d requests (mean latency %.3f s) on the ample table, %d (%.3f s) on the starved one",
		openAmple.finishes, a, meanLatency(closedAmple), s, meanLatency(closedStarved))
	if closedAmple.throttles != 0 {
		t.Errorf("%d throttles on the ample table", closedAmple.throttles)
	}
	// Little's law for the ample run: throughput = users / (think + latency).
	if want := 20 * end.Seconds() / (0.05 + meanLatency(closedAmple)); math.Abs(float64(a)/want-1) > 0.01 {
		t.Errorf("closed loop on the ample table: %d requests, want users x duration / (think + latency) = %.0f ± 1%%", a, want)
	}
	if 4*s > a {
		t.Errorf("closed loop: %d requests on the starved table, %d on the ample one: want fewer than a quarter", s, a)
	}
	if meanLatency(closedStarved) < 10*meanLatency(closedAmple) {
		t.Errorf("closed loop: mean latency %.3f s starved, %.3f s ample: throttling should raise it tenfold",
			meanLatency(closedStarved), meanLatency(closedAmple))
	}
}

// TestClosedLoopConservation pins, on a table that throttles part of a
// mixed workload with the SDK v2 retryer and its quota, that every request
// ends exactly once and that no more than Users are ever in flight; with
// no think time every user is busy at once, and requests in flight at the
// end finish after it.
func TestClosedLoopConservation(t *testing.T) {
	cfg := closedConfig(t, 50, 0, 20*sim.Second)
	cfg.Mix = mustMix(t, []units.Op{units.OpGet, units.OpPut, units.OpUpdate, units.OpDelete}, []float64{60, 20, 10, 10})
	cfg.Keys = NewZipf(1000, 0.99)
	cfg.Sizes = NewLognormalSize(800, 4000)
	rec, src := runClosed(t, 3, table(50, 20), latency.DefaultLatency(), cfg)
	if inFlight := checkClosed(t, rec, src, cfg); inFlight != cfg.Users {
		t.Errorf("at most %d requests in flight with %d users and no think time", inFlight, cfg.Users)
	}
	if rec.throttles == 0 || rec.byResult[model.Succeeded] == 0 {
		t.Errorf("%d throttles, %d successes: the scenario should have both", rec.throttles, rec.byResult[model.Succeeded])
	}
	if rec.throttles != rec.retries+rec.byResult[model.Throttled] {
		t.Errorf("%d throttles != %d retries + %d throttled outcomes", rec.throttles, rec.retries, rec.byResult[model.Throttled])
	}
	checkBudget(t, rec, cfg)
	late := 0
	for _, o := range rec.outcomes {
		if o.End > cfg.End {
			late++
		}
	}
	if late == 0 {
		t.Errorf("no request finished after the end: requests in flight should run to completion")
	}
}

// TestClosedLoopDeterministic pins that a closed loop is a pure function of
// its seed, exponential think times included: the same seed gives the same
// outcome sequence, another seed a different one.
func TestClosedLoopDeterministic(t *testing.T) {
	cfg := closedConfig(t, 30, 20*sim.Millisecond, 10*sim.Second)
	cfg.ThinkExponential = true
	cfg.Mix = mustMix(t, []units.Op{units.OpGet, units.OpPut}, []float64{70, 30})
	play := func(seed uint64) []model.Outcome {
		rec, _ := runClosed(t, seed, table(50, 20), latency.DefaultLatency(), cfg)
		return rec.outcomes
	}
	a, b, c := play(7), play(7), play(8)
	if !slices.Equal(a, b) {
		t.Errorf("seed 7 gave two different outcome sequences (%d and %d outcomes)", len(a), len(b))
	}
	if slices.Equal(a, c) {
		t.Errorf("seeds 7 and 8 gave the same outcome sequence")
	}
}

// TestClosedLoopExponentialThink pins ThinkExponential: with one user and
// fixed 2 ms responses, the gap between a response and the next request is
// the think time, which must be exponential with the configured mean. Over
// about 19,600 gaps the mean has a standard deviation of 1/sqrt(19600) ≈
// 0.7% of itself, and the standard deviation (equal to the mean for an
// exponential) one of sqrt(2/19600) ≈ 1%; the bounds, 3% and 5%, are over
// 4 of them. A fixed think time (standard deviation 0) or a uniform one
// (1/sqrt(3) ≈ 0.58 of the mean) fails.
func TestClosedLoopExponentialThink(t *testing.T) {
	const mean = 100 * sim.Millisecond
	cfg := closedConfig(t, 1, mean, 2000*sim.Second)
	cfg.ThinkExponential = true
	rec, src := runClosed(t, 5, table(100000, 100000), fixedLatency(2*sim.Millisecond), cfg)
	checkClosed(t, rec, src, cfg)
	var sum, sumSq float64
	n := 0
	for i := 1; i < len(rec.outcomes); i++ {
		gap := (rec.outcomes[i].Start - rec.outcomes[i-1].End).Seconds()
		sum += gap
		sumSq += gap * gap
		n++
	}
	if n < 15000 {
		t.Fatalf("only %d think times", n)
	}
	m := sum / float64(n)
	sd := math.Sqrt(sumSq/float64(n) - m*m)
	if math.Abs(m/mean.Seconds()-1) > 0.03 {
		t.Errorf("mean think time %.4f s, want %.4f s ± 3%%", m, mean.Seconds())
	}
	if math.Abs(sd/m-1) > 0.05 {
		t.Errorf("think times: standard deviation / mean = %.3f, want 1 ± 0.05 for an exponential", sd/m)
	}
}

// TestClosedLoopGetPathDoesNotAllocate pins the allocation-free hot path
// for a closed loop as TestSourceGetPathDoesNotAllocate does for an open
// one: once warm, a user's get, its response and its think time allocate
// nothing. One user thinking 1 s sends about one get per one-second window.
func TestClosedLoopGetPathDoesNotAllocate(t *testing.T) {
	k := sim.New(1)
	rec := &countingRecorder{} // counts only
	svc, err := model.NewService([]model.TableConfig{table(1000, 1000)}, model.DefaultParams(), latency.DefaultLatency(), k.Stream("model/latency"), rec)
	if err != nil {
		t.Fatal(err)
	}
	for _, exp := range []bool{false, true} {
		cfg := closedConfig(t, 1, sim.Second, sim.Never)
		cfg.ThinkExponential = exp
		cfg.Name = "alloc"
		if exp {
			cfg.Name = "alloc-exp"
		}
		NewSource(cfg, k, svc, rec).Start()
	}
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
	if got := rec.finishes - before; got < 300 {
		t.Fatalf("%d requests finished in 201 steps of two users thinking about 1 s", got)
	}
	if rec.throttles != 0 {
		t.Fatalf("%d throttles: want every get admitted", rec.throttles)
	}
	if allocs != 0 {
		t.Errorf("%.2f allocations per step on the closed loop's get path, want 0", allocs)
	}
}

// TestClosedLoopArrivedCountsEveryRequest pins Source.Arrived for both
// kinds of loop in one kernel: the sum over sources is the number of
// Finish calls, as scenarios.TestRequestsAreConserved relies on.
func TestClosedLoopArrivedCountsEveryRequest(t *testing.T) {
	k := sim.New(9)
	rec := &countingRecorder{keep: true, shadow: RetryBudgetTokens}
	svc, err := model.NewService([]model.TableConfig{table(50, 20)}, noBurst(), latency.DefaultLatency(), k.Stream("model/latency"), rec)
	if err != nil {
		t.Fatal(err)
	}
	closed := closedConfig(t, 25, 10*sim.Millisecond, 10*sim.Second)
	sources := []*Source{
		NewSource(baseConfig(t, SDKv2()), k, svc, rec),
		NewSource(closed, k, svc, rec),
	}
	for _, s := range sources {
		s.Start()
	}
	k.Run(10 * sim.Second)
	k.Run(sim.Never)
	if sources[1].Arrived() == 0 {
		t.Fatal("the closed loop issued nothing")
	}
	if got := sources[0].Arrived() + sources[1].Arrived(); got != int64(rec.finishes) {
		t.Errorf("Arrived: %d + %d = %d, but %d requests finished", sources[0].Arrived(), sources[1].Arrived(), got, rec.finishes)
	}
}
