package fluid

import (
	"math"
	"testing"

	"github.com/ddbsim/ddbsim/model"
	"github.com/ddbsim/ddbsim/model/latency"
	"github.com/ddbsim/ddbsim/model/units"
	"github.com/ddbsim/ddbsim/sim"
	"github.com/ddbsim/ddbsim/workload"
)

// opTally is a tally that also counts final outcomes by operation.
type opTally struct {
	tally
	byOp [units.NumOps]int64
}

func (r *opTally) Finish(o model.Outcome) { r.FinishN(o, 1) }
func (r *opTally) FinishN(o model.Outcome, n int64) {
	r.tally.FinishN(o, n)
	r.byOp[o.Op] += n
}

// runBoth runs cfg on a fresh service built from tc and params, once
// under the per-request driver and once under the aggregate one.
func runBoth(t *testing.T, params model.Params, tc model.TableConfig, cfg workload.Config) (req, agg *opTally) {
	t.Helper()
	req, agg = &opTally{}, &opTally{}
	runEach(t, params, tc, cfg, req, agg)
	return req, agg
}

// runEach is runBoth recording to the recorders given.
func runEach(t *testing.T, params model.Params, tc model.TableConfig, cfg workload.Config, req, agg model.Recorder) {
	t.Helper()
	run := func(fluid bool, rec model.Recorder) {
		k := sim.New(7)
		svc, err := model.NewService([]model.TableConfig{tc}, params, latency.DefaultLatency(), k.Stream("service/latency"), rec)
		if err != nil {
			t.Fatal(err)
		}
		svc.Start(k, cfg.End)
		if fluid {
			d := NewDriver(k, svc, rec, 0)
			if _, err := d.Add(cfg); err != nil {
				t.Fatal(err)
			}
			d.Start()
		} else {
			workload.NewSource(cfg, k, svc, rec).Start()
		}
		k.Run(sim.Never)
	}
	run(false, req)
	run(true, agg)
}

func closedConfig(t *testing.T, users int, think sim.Time, ops []units.Op, weights []float64) workload.Config {
	cfg := fluidConfig(t, 0, 0, false, workload.NewZipf(1000, 0.99), ops, weights)
	cfg.Arrivals = workload.Profile{}
	cfg.Users, cfg.Think, cfg.End = users, think, 2*sim.Minute
	return cfg
}

func near(a, b int64, tol float64) bool {
	return math.Abs(float64(a-b)) <= tol*math.Max(float64(a), float64(b))
}

// Unthrottled, a closed loop's users complete what Little's law says:
// users / (response time + think time) a second, as one request at a
// time does.
func TestFluidClosedLoopLittle(t *testing.T) {
	for _, think := range []sim.Time{0, 20 * sim.Millisecond, 2 * sim.Second} {
		cfg := closedConfig(t, 20, think, []units.Op{units.OpGet, units.OpPut}, []float64{3, 1})
		req, agg := runBoth(t, model.DefaultParams(), table(40000, 40000), cfg)
		if req.throttles != 0 || agg.throttles != 0 {
			t.Fatalf("think %v: throttled %d / %d", think, req.throttles, agg.throttles)
		}
		if !near(req.finishes, agg.finishes, 0.01) {
			t.Errorf("think %v: %d requests per request, %d aggregate", think, req.finishes, agg.finishes)
		}
	}
}

// Held to less than its users would send, a closed loop slows down: its
// throttled users wait out their backoffs, and both drivers find the same
// balance between the users sending and the users waiting.
func TestFluidClosedLoopThrottled(t *testing.T) {
	cfg := closedConfig(t, 32, 0, []units.Op{units.OpGet, units.OpPut}, []float64{1, 1})
	req, agg := runBoth(t, noBurst(), table(4000, 1000), cfg)
	if req.throttles == 0 {
		t.Fatalf("the per-request run was not throttled")
	}
	if !near(req.finishes, agg.finishes, 0.03) {
		t.Errorf("%d requests per request, %d aggregate", req.finishes, agg.finishes)
	}
	if !near(req.throttles, agg.throttles, 0.2) {
		t.Errorf("%d throttles per request, %d aggregate", req.throttles, agg.throttles)
	}
	if !near(int64(req.write), int64(agg.write), 0.03) {
		t.Errorf("%v write units per request, %v aggregate", req.write, agg.write)
	}
	t.Logf("requests %d / %d, throttles %d / %d, final throttled %d / %d (per request / aggregate)",
		req.finishes, agg.finishes, req.throttles, agg.throttles, req.byResult[model.Throttled], agg.byResult[model.Throttled])
}

// A read-modify-write is a read and, once it succeeds, an update of the
// same item: one operation of the request limit, two requests.
func TestFluidReadModifyWrite(t *testing.T) {
	cfg := closedConfig(t, 8, 0, []units.Op{units.OpGet}, []float64{1})
	mix, err := workload.NewMixEntries([]workload.MixEntry{{Op: units.OpGet, Weight: 1}, {Op: units.OpGet, Weight: 1, ReadModifyWrite: true}})
	if err != nil {
		t.Fatal(err)
	}
	cfg.Mix = mix
	cfg.MaxRequests = 20000
	req, agg := runBoth(t, model.DefaultParams(), table(40000, 40000), cfg)
	for _, r := range []*opTally{req, agg} {
		if r.byOp[units.OpGet] != 20000 {
			t.Errorf("%d reads, want the 20,000 operations' reads", r.byOp[units.OpGet])
		}
	}
	if !near(req.byOp[units.OpUpdate], agg.byOp[units.OpUpdate], 0.03) {
		t.Errorf("%d updates per request, %d aggregate", req.byOp[units.OpUpdate], agg.byOp[units.OpUpdate])
	}
	if agg.byOp[units.OpUpdate] < 9500 || agg.byOp[units.OpUpdate] > 10500 {
		t.Errorf("%d updates, want about half the operations", agg.byOp[units.OpUpdate])
	}
}

// Inserts add to the workload's keyspace as they are issued, and keys of
// the latest distribution follow it, as one request at a time does.
func TestFluidInsertsAndLatest(t *testing.T) {
	run := func(fluid bool) (*opTally, int64) {
		ks := workload.NewKeyspace(1000)
		cfg := closedConfig(t, 8, 10*sim.Millisecond, []units.Op{units.OpGet}, []float64{1})
		mix, err := workload.NewMixEntries([]workload.MixEntry{{Op: units.OpGet, Weight: 9}, {Op: units.OpPut, Weight: 1, Insert: true}})
		if err != nil {
			t.Fatal(err)
		}
		cfg.Mix, cfg.Keyspace, cfg.Keys = mix, ks, workload.NewLatest(ks, 0.99)
		rec := &opTally{}
		k := sim.New(7)
		svc, err := model.NewService([]model.TableConfig{table(40000, 40000)}, model.DefaultParams(), latency.DefaultLatency(), k.Stream("service/latency"), rec)
		if err != nil {
			t.Fatal(err)
		}
		svc.Start(k, cfg.End)
		if fluid {
			d := NewDriver(k, svc, rec, 0)
			if _, err := d.Add(cfg); err != nil {
				t.Fatal(err)
			}
			d.Start()
		} else {
			workload.NewSource(cfg, k, svc, rec).Start()
		}
		k.Run(sim.Never)
		return rec, ks.Size() - 1000
	}
	req, reqInserted := run(false)
	agg, aggInserted := run(true)
	if reqInserted != req.byOp[units.OpPut] || aggInserted != agg.byOp[units.OpPut] {
		t.Errorf("inserted %d and %d keys for %d and %d puts", reqInserted, aggInserted, req.byOp[units.OpPut], agg.byOp[units.OpPut])
	}
	if !near(req.finishes, agg.finishes, 0.01) || !near(reqInserted, aggInserted, 0.05) {
		t.Errorf("%d requests and %d inserts per request, %d and %d aggregate", req.finishes, reqInserted, agg.finishes, aggInserted)
	}
}
