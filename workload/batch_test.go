package workload

import (
	"slices"
	"testing"

	"github.com/ddbsim/ddbsim/model"
	"github.com/ddbsim/ddbsim/model/latency"
	"github.com/ddbsim/ddbsim/model/units"
	"github.com/ddbsim/ddbsim/sim"
)

// batchConfig is a workload of batch requests of n parts each at rate
// requests/s, constant arrivals, for span, over the table's 1,000 keys.
func batchConfig(t testing.TB, op units.Op, n int, rate float64, span sim.Time, retry RetryPolicy) Config {
	return Config{
		Name:        "batch",
		Arrivals:    mustProfile(t, rate, nil, span),
		Mix:         mustMix(t, []units.Op{op}, []float64{1}),
		Keys:        Uniform{Count: 1000},
		Sizes:       FixedSize(1000),
		Consistency: units.Strong, // 1 RCU per 1,000-byte item
		BatchSize:   n,
		Retry:       retry,
		Timeout:     10 * sim.Second,
	}
}

// runBatches is run (source_test.go) for workloads with batches, less
// its check that every Retry follows a Throttle directly: a batch's
// throttled part may be followed by an admitted one before the Retry.
func runBatches(t testing.TB, seed uint64, tc model.TableConfig, cfg Config) *countingRecorder {
	t.Helper()
	k := sim.New(seed)
	rec := &countingRecorder{keep: true, shadow: RetryBudgetTokens}
	svc, err := model.NewService([]model.TableConfig{tc}, noBurst(), latency.DefaultLatency(), k.Stream("model/latency"), rec)
	if err != nil {
		t.Fatal(err)
	}
	NewSource(cfg, k, svc, rec).Start()
	k.Run(sim.Never)
	if k.Pending() != 0 {
		t.Fatalf("%d events still pending after the run", k.Pending())
	}
	if rec.backwards != 0 {
		t.Errorf("%d recorder calls went back in virtual time", rec.backwards)
	}
	return rec
}

// patient retries up to 30 times, backing off at most 1 s, without a
// quota: enough for every batch below to be served in the end.
func patient() RetryPolicy {
	return RetryPolicy{MaxAttempts: 30, Base: 50 * sim.Millisecond, MaxBackoff: sim.Second}
}

// checkBatchRun checks what holds for any run of batches: one Finish per
// arrival; results add up; every attempt after the first is a Retry; a
// throttle reason goes with a Throttled result and only with it.
func checkBatchRun(t *testing.T, rec *countingRecorder, cfg Config, arrivals int) {
	t.Helper()
	if rec.finishes != arrivals || arrivals == 0 {
		t.Errorf("%d requests finished for %d arrivals", rec.finishes, arrivals)
	}
	if total := rec.byResult[model.Succeeded] + rec.byResult[model.Throttled] + rec.byResult[model.Failed]; total != rec.finishes {
		t.Errorf("succeeded %d + throttled %d + errors %d != %d finished",
			rec.byResult[model.Succeeded], rec.byResult[model.Throttled], rec.byResult[model.Failed], rec.finishes)
	}
	if rec.attempts-rec.finishes != rec.retries {
		t.Errorf("%d attempts beyond the first, but %d Retry calls", rec.attempts-rec.finishes, rec.retries)
	}
	for _, o := range rec.outcomes {
		if o.Attempts < 1 || o.Attempts > max(1, cfg.Retry.MaxAttempts) {
			t.Errorf("outcome %+v: %d attempts, policy allows %d", o, o.Attempts, cfg.Retry.MaxAttempts)
		}
		if (o.Result == model.Throttled) != (o.Reason != model.NotThrottled) {
			t.Errorf("outcome %+v: result %v with reason %q", o, o.Result, o.Reason)
		}
		if !slices.Contains(cfg.Mix.Ops(), o.Op) {
			t.Errorf("outcome %+v: op %v not in the mix", o, o.Op)
		}
	}
}

// The client re-sends exactly the unprocessed parts of a batch, and a
// request finishes when every part has been processed. A table of 10 RCU
// (one partition, no burst) serves 10 one-unit reads a second, and a
// batch_get of 25 strong reads of 1,000-byte items arrives every 5 s: its
// first attempt is served in part, and the retries take the rest. Every
// part is processed once, so Consumed is called exactly 25 times per
// request: a processed part re-sent would be counted twice, an
// unprocessed one dropped not at all. Each part sent and throttled is one
// throttle event.
func TestBatchClientResendsOnlyUnprocessed(t *testing.T) {
	for _, op := range []units.Op{units.OpBatchGet, units.OpBatchWrite} {
		t.Run(op.String(), func(t *testing.T) {
			cfg := batchConfig(t, op, 25, 0.2, 60*sim.Second, patient())
			rec := runBatches(t, 21, table(10, 10), cfg)
			arrivals := len(arrivalTimes(t, 21, cfg))
			checkBatchRun(t, rec, cfg, arrivals)
			if rec.byResult[model.Succeeded] != arrivals {
				t.Fatalf("%d of %d batches succeeded (results %v)", rec.byResult[model.Succeeded], arrivals, rec.byResult)
			}
			if rec.consumed != 25*arrivals {
				t.Errorf("%d parts admitted for %d batches of 25: want each part processed exactly once", rec.consumed, arrivals)
			}
			if rec.retries == 0 || rec.throttles < 15*arrivals {
				t.Errorf("%d retries, %d throttled parts: each batch should leave at least 15 parts to retry", rec.retries, rec.throttles)
			}
			partial := 0
			for _, o := range rec.outcomes {
				if o.Attempts > 1 {
					partial++
				}
			}
			if partial != arrivals {
				t.Errorf("%d of %d batches needed a retry", partial, arrivals)
			}
		})
	}
}

// A batch that still has parts unprocessed when its attempts run out ends
// Throttled, with a part's reason, though most of its parts were
// processed. Without retries, each batch is one attempt: parts sent =
// parts admitted + parts throttled.
func TestBatchEndsThrottledWithPartsUnprocessed(t *testing.T) {
	cfg := batchConfig(t, units.OpBatchGet, 100, 1, 20*sim.Second, NoRetry())
	rec := runBatches(t, 22, table(30, 10), cfg)
	arrivals := len(arrivalTimes(t, 22, cfg))
	checkBatchRun(t, rec, cfg, arrivals)
	if rec.consumed+rec.throttles != 100*arrivals {
		t.Errorf("%d parts admitted + %d throttled != 100 x %d batches", rec.consumed, rec.throttles, arrivals)
	}
	if rec.byResult[model.Throttled] != arrivals || rec.retries != 0 {
		t.Errorf("%d of %d batches throttled, %d retries: 100 reads against 30 RCU should leave parts every time",
			rec.byResult[model.Throttled], arrivals, rec.retries)
	}
	if rec.consumed < 25*arrivals {
		t.Errorf("%d parts admitted for %d batches: each batch should be mostly served", rec.consumed, arrivals)
	}
	for _, o := range rec.outcomes {
		if o.Reason != model.TableReadProvisionedThroughputExceeded && o.Reason != model.TableReadKeyRangeThroughputExceeded {
			t.Errorf("outcome %+v: reason %v, want a read throttle", o, o.Reason)
		}
	}
}

// Conservation with batches among single-item operations, under the
// default SDK policy and its retry quota, on a table far too small:
// every arrival ends once, results add up, every retry is recorded, and
// each attempt was either served in some part or throttled.
func TestBatchConservation(t *testing.T) {
	for name, retry := range map[string]RetryPolicy{"SDKv2": SDKv2(), "Legacy": Legacy(), "NoRetry": NoRetry()} {
		t.Run(name, func(t *testing.T) {
			cfg := baseConfig(t, retry)
			cfg.Mix = mustMix(t, []units.Op{units.OpGet, units.OpPut, units.OpBatchGet, units.OpBatchWrite}, []float64{40, 20, 20, 20})
			cfg.BatchSize = 10
			rec := runBatches(t, 23, table(100, 40), cfg)
			checkBatchRun(t, rec, cfg, len(arrivalTimes(t, 23, cfg)))
			if rec.byResult[model.Failed] != 0 {
				t.Errorf("%d requests failed with a 10 s timeout", rec.byResult[model.Failed])
			}
			// Parts sent >= attempts: every attempt sent at least one.
			if rec.consumed+rec.throttles < rec.attempts {
				t.Errorf("%d admitted + %d throttled parts for %d attempts", rec.consumed, rec.throttles, rec.attempts)
			}
			// aws-sdk-go v1 backs throttles off for about ten minutes
			// before giving up, longer than the run: its throttles show as
			// retries rather than Throttled outcomes.
			gaveUp := rec.byResult[model.Throttled] > 0
			if name == "Legacy" {
				gaveUp = rec.retries > 0
			}
			if rec.byResult[model.Succeeded] == 0 || !gaveUp {
				t.Errorf("results %v, %d retries: the run should have both successes and throttles", rec.byResult, rec.retries)
			}
			var batches [units.NumOps]int
			for _, o := range rec.outcomes {
				batches[o.Op]++
			}
			if batches[units.OpBatchGet] == 0 || batches[units.OpBatchWrite] == 0 {
				t.Errorf("outcomes by op %v: no batches", batches)
			}
		})
	}
}

// A source rejects a batch size its mix's batch operations cannot take.
func TestBatchSizeLimits(t *testing.T) {
	k := sim.New(1)
	svc, err := model.NewService([]model.TableConfig{table(10, 10)}, noBurst(), latency.DefaultLatency(), k.Stream("model/latency"), &countingRecorder{})
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		op    units.Op
		n     int
		panic bool
	}{
		{units.OpBatchGet, 100, false}, {units.OpBatchGet, 101, true},
		{units.OpBatchWrite, 25, false}, {units.OpBatchWrite, 26, true},
		{units.OpBatchWrite, -1, true}, {units.OpGet, 500, false}, // no batch in the mix
	} {
		func() {
			defer func() {
				if got := recover() != nil; got != tt.panic {
					t.Errorf("%v with BatchSize %d: panicked %v, want %v", tt.op, tt.n, got, tt.panic)
				}
			}()
			NewSource(batchConfig(t, tt.op, tt.n, 1, sim.Second, NoRetry()), k, svc, &countingRecorder{})
		}()
	}
}

// The batch path allocates nothing once warm (DESIGN: Principles): one
// batch_get of 100 and one batch_write of 25 every 2 s on an ample table,
// and on a table whose one second of capacity is less than a batch (60
// RCU, 15 WCU), though enough on average, so that every batch is served
// in part and its unprocessed parts re-sent.
func TestBatchPathDoesNotAllocate(t *testing.T) {
	for _, tt := range []struct {
		name     string
		rcu, wcu int64
		retry    RetryPolicy
	}{
		{"served whole", 10000, 10000, SDKv2()},
		{"served in part and retried", 60, 15, patient()},
	} {
		t.Run(tt.name, func(t *testing.T) {
			k := sim.New(1)
			rec := &countingRecorder{} // counts only
			svc, err := model.NewService([]model.TableConfig{table(tt.rcu, tt.wcu)}, noBurst(), latency.DefaultLatency(), k.Stream("model/latency"), rec)
			if err != nil {
				t.Fatal(err)
			}
			for _, op := range []units.Op{units.OpBatchGet, units.OpBatchWrite} {
				cfg := batchConfig(t, op, model.MaxBatchItems(op), 0.5, sim.Day, tt.retry)
				cfg.Name = op.String()
				NewSource(cfg, k, svc, rec).Start()
			}
			until := sim.Time(0)
			step := func() {
				until += sim.Second
				k.Run(until)
			}
			for range 30 { // warm up: free lists, item buffers, the queue
				step()
			}
			before := rec.finishes
			allocs := testing.AllocsPerRun(100, step)
			if rec.finishes-before < 80 {
				t.Fatalf("%d requests finished in 101 steps, want about one per step", rec.finishes-before)
			}
			if throttled := rec.throttles > 0; throttled != (tt.rcu < 100) || rec.byResult[model.Throttled] != 0 {
				t.Fatalf("%d throttled parts, %d throttled requests on a table of %d RCU: want parts throttled only on the small table, and no request",
					rec.throttles, rec.byResult[model.Throttled], tt.rcu)
			}
			if allocs != 0 {
				t.Errorf("%.2f allocations per second of batches, want 0", allocs)
			}
		})
	}
}
