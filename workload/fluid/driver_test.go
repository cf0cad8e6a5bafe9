package fluid

import (
	"errors"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/ddbsim/ddbsim/model"
	"github.com/ddbsim/ddbsim/model/cache"
	"github.com/ddbsim/ddbsim/model/latency"
	"github.com/ddbsim/ddbsim/model/store"
	"github.com/ddbsim/ddbsim/model/units"
	"github.com/ddbsim/ddbsim/sim"
	"github.com/ddbsim/ddbsim/workload"
)

// tally is a model.CountRecorder that adds up what the aggregate driver
// reports, weights included, and checks that outcomes end in time order.
type tally struct {
	finishes, attempts, throttles, retries int64
	byResult                               [3]int64
	read, write                            units.Units
	lastEnd                                sim.Time
	backwards, badStart                    int64
	maxAttempts                            int
	retriedOK                              int64 // successes after a retry
}

func (r *tally) Consumed(_ sim.Time, _, _ int, rd, wr units.Units) { r.read += rd; r.write += wr }
func (r *tally) Throttle(now sim.Time, ev *model.ThrottleEvent)    { r.ThrottleN(now, ev, 1) }
func (r *tally) Retry(now sim.Time, table int, op units.Op)        { r.RetryN(now, table, op, 1) }
func (r *tally) Finish(o model.Outcome)                            { r.FinishN(o, 1) }
func (r *tally) Sample(sim.Time, int, *model.TableState)           {}
func (r *tally) Event(sim.Time, model.CapacityEvent)               {}
func (r *tally) Cache(sim.Time, *model.CacheEvent)                 {}
func (r *tally) Global(sim.Time, *model.GlobalEvent)               {}
func (r *tally) ThrottleN(_ sim.Time, _ *model.ThrottleEvent, n int64) {
	r.throttles += n
}
func (r *tally) RetryN(_ sim.Time, _ int, _ units.Op, n int64) { r.retries += n }
func (r *tally) FinishN(o model.Outcome, n int64) {
	if o.End < r.lastEnd {
		r.backwards++
	}
	if o.Start < 0 || o.Start > o.End {
		r.badStart++
	}
	r.lastEnd = o.End
	r.finishes += n
	r.attempts += n * int64(o.Attempts)
	r.byResult[o.Result] += n
	if o.Result == model.Succeeded && o.Attempts > 1 {
		r.retriedOK += n
	}
	r.maxAttempts = max(r.maxAttempts, o.Attempts)
}

// runFluid runs workloads on one table under the aggregate driver until
// every request has finished.
func runFluid(t *testing.T, seed uint64, params model.Params, tc model.TableConfig, cfgs ...workload.Config) (*tally, *Driver) {
	t.Helper()
	return runFluidWith(t, seed, params, tc, nil, cfgs...)
}

// runFluidWith is runFluid with setup called on the driver before it
// starts; nil for none.
func runFluidWith(t *testing.T, seed uint64, params model.Params, tc model.TableConfig, setup func(*Driver), cfgs ...workload.Config) (*tally, *Driver) {
	t.Helper()
	rec := &tally{}
	k := sim.New(seed)
	svc, err := model.NewService([]model.TableConfig{tc}, params, latency.DefaultLatency(), k.Stream("service/latency"), rec)
	if err != nil {
		t.Fatal(err)
	}
	end := sim.Time(0)
	for _, c := range cfgs {
		end = max(end, c.Arrivals.End(), c.End)
	}
	svc.Start(k, end)
	d := NewDriver(k, svc, rec, 0)
	for _, c := range cfgs {
		if _, err := d.Add(c); err != nil {
			t.Fatal(err)
		}
	}
	if setup != nil {
		setup(d)
	}
	d.Start()
	k.Run(sim.Never)
	if rec.backwards > 0 || rec.badStart > 0 {
		t.Errorf("%d outcomes ended before the one before, %d started out of order", rec.backwards, rec.badStart)
	}
	var arrived int64
	for _, s := range d.Sources() {
		arrived += s.Arrived()
	}
	if rec.finishes != arrived {
		t.Errorf("%d finished of %d arrived", rec.finishes, arrived)
	}
	// Every attempt was admitted (and finished the request, as a success
	// or a failed condition) or throttled; every one after the first was
	// a retry.
	if rec.attempts != rec.byResult[model.Succeeded]+rec.byResult[model.Failed]+rec.throttles {
		t.Errorf("%d attempts, but %d succeeded + %d failed + %d throttled", rec.attempts,
			rec.byResult[model.Succeeded], rec.byResult[model.Failed], rec.throttles)
	}
	if rec.attempts-rec.finishes != rec.retries {
		t.Errorf("%d attempts past the first, %d retries", rec.attempts-rec.finishes, rec.retries)
	}
	return rec, d
}

func fluidConfig(t *testing.T, rate float64, d sim.Time, poisson bool, keys workload.KeyChooser, ops []units.Op, weights []float64) workload.Config {
	t.Helper()
	p, err := workload.NewProfile(rate, nil, d)
	if err != nil {
		t.Fatal(err)
	}
	return workload.Config{Name: "w", Arrivals: p, Poisson: poisson, Mix: mustMix(t, ops, weights), Keys: keys,
		Sizes: workload.FixedSize(1000), Retry: workload.SDKv2(), Timeout: 10 * sim.Second, ItemsPerKey: 1}
}

// Below capacity every request succeeds at once, evenly spaced arrivals
// are counted exactly, and each is charged what a single request would
// be.
func TestFluidBelowCapacity(t *testing.T) {
	cfg := fluidConfig(t, 200, 10*sim.Minute, false, workload.Uniform{Count: 1000},
		[]units.Op{units.OpGet, units.OpPut}, []float64{3, 1})
	rec, _ := runFluid(t, 1, model.DefaultParams(), table(1000, 1000), cfg)
	if rec.finishes != 120000 {
		t.Errorf("%d requests, want 200/s for 600 s", rec.finishes)
	}
	if rec.byResult[model.Succeeded] != rec.finishes || rec.throttles != 0 {
		t.Errorf("results %v, %d throttles", rec.byResult, rec.throttles)
	}
	// A quarter puts of 1,000 B (1 WCU), three quarters eventually
	// consistent gets of 1,000 B items (0.5 RCU), each request's
	// operation drawn: the puts are Binomial(120,000, 1/4), whose
	// standard deviation is 150.
	puts := rec.write.Float()
	if math.Abs(puts-30000) > 4*150 {
		t.Errorf("%v write units, want about 30,000", puts)
	}
	if got, want := rec.read.Float(), (120000-puts)/2; got != want {
		t.Errorf("%v read units, want %v", got, want)
	}
}

// Above capacity, throttled requests are retried within the policy's
// attempts and the retry quota, and the rest give up; every count adds
// up.
func TestFluidRetries(t *testing.T) {
	for _, policy := range []workload.RetryPolicy{workload.SDKv2(), workload.Legacy(), workload.NoRetry()} {
		cfg := fluidConfig(t, 400, 5*sim.Minute, true, workload.NewZipf(1000, 1.1), []units.Op{units.OpPut}, []float64{1})
		cfg.Retry = policy
		rec, _ := runFluid(t, 2, noBurst(), table(1, 200), cfg)
		if rec.throttles == 0 || rec.byResult[model.Throttled] == 0 {
			t.Errorf("%+v: no throttles: %+v", policy, rec)
		}
		if rec.maxAttempts > policy.MaxAttempts {
			t.Errorf("%+v: %d attempts", policy, rec.maxAttempts)
		}
		if policy.MaxAttempts > 1 && rec.retries == 0 {
			t.Errorf("%+v: no retries", policy)
		}
		if policy.Budget {
			// The quota: 500 tokens, 5 a retry, 1 back a first attempt's
			// success and the 5 back a retry's.
			first := rec.byResult[model.Succeeded] - rec.retriedOK
			if most := (workload.RetryBudgetTokens + first*workload.RetrySuccessBonus + rec.retriedOK*workload.RetryCost) / workload.RetryCost; rec.retries > most+1 {
				t.Errorf("%d retries, the quota pays for %d", rec.retries, most)
			}
		}
	}
}

// The same seed gives the same run; another seed, Poisson arrivals that
// differ.
func TestFluidDeterministic(t *testing.T) {
	cfg := fluidConfig(t, 300, 2*sim.Minute, true, workload.NewZipf(100, 1.2), []units.Op{units.OpGet, units.OpPut}, []float64{1, 1})
	a, _ := runFluid(t, 3, noBurst(), table(100, 100), cfg)
	b, _ := runFluid(t, 3, noBurst(), table(100, 100), cfg)
	c, _ := runFluid(t, 4, noBurst(), table(100, 100), cfg)
	if *a != *b {
		t.Errorf("same seed, different runs:\n%+v\n%+v", a, b)
	}
	if a.finishes == c.finishes && a.throttles == c.throttles {
		t.Errorf("seeds 3 and 4 gave the same counts: %+v", a)
	}
	// Poisson: 36,000 expected, within a few standard deviations.
	if math.Abs(float64(a.finishes)-36000) > 4*190 {
		t.Errorf("%d requests, expected about 36,000", a.finishes)
	}
}

// What the aggregate driver does not model is refused with
// ErrUnsupported.
func TestFluidUnsupported(t *testing.T) {
	base := fluidConfig(t, 10, sim.Minute, true, workload.Uniform{Count: 10}, []units.Op{units.OpGet}, []float64{1})
	scan := base // of whole pages
	scan.Mix = mustMix(t, []units.Op{units.OpScan}, []float64{1})
	batch := base // in a closed loop
	batch.Mix = mustMix(t, []units.Op{units.OpBatchGet}, []float64{1})
	batch.Users, batch.Think, batch.End = 10, sim.Second, sim.Minute
	dax := base // queries through DAX: its query cache
	dax.ViaDAX = true
	dax.Mix = mustMix(t, []units.Op{units.OpQuery}, []float64{1})
	for name, cfg := range map[string]workload.Config{"scan": scan, "batch": batch, "dax": dax} {
		k := sim.New(1)
		svc, err := model.NewService([]model.TableConfig{table(10, 10)}, model.DefaultParams(), latency.DefaultLatency(), k.Stream("l"), &tally{})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.AddDAX(cache.ClusterConfig{Name: "c", Nodes: 1, NodeType: "dax.r5.large"}, []int{0}); err != nil {
			t.Fatal(err)
		}
		_, err = NewDriver(k, svc, &tally{}, 0).Add(cfg)
		if !errors.Is(err, ErrUnsupported) {
			t.Errorf("%s: error %v, want ErrUnsupported", name, err)
		}
	}
}

// Integrated tick by tick, a profile's arrivals add up to its integral,
// whatever its shape and the tick.
func TestFluidArrivalsIntegrate(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 9))
	for trial := range 50 {
		var stages []workload.Stage
		for range r.IntN(5) {
			stages = append(stages, workload.Stage{For: sim.Time(1+r.Int64N(600)) * sim.Second, Rate: r.Float64() * 1000})
		}
		end := sim.Time(1+r.Int64N(7200)) * sim.Second
		p, err := workload.NewStepProfile(r.Float64()*500, stages, end)
		if trial%2 == 0 {
			p, err = workload.NewProfile(r.Float64()*500, stages, end)
		}
		if err != nil {
			t.Fatal(err)
		}
		if trial%3 == 0 {
			if p, err = p.WithDiurnal(workload.Diurnal{PeakHour: 14, Ratio: 3}); err != nil {
				t.Fatal(err)
			}
		}
		a := arrivalCounter{p: p}
		tick := sim.Time(1+r.Int64N(5000)) * sim.Millisecond
		sum := 0.0
		for now := sim.Time(0); now < end+tick; now += tick {
			want := p.Between(now, now+tick)
			got := a.advance(now + tick)
			if math.Abs(got-want) > 1e-6*max(1, want) {
				t.Fatalf("trial %d: [%v, %v): %v arrivals, want %v", trial, now, now+tick, got, want)
			}
			sum += got
		}
		if want := p.Expected(); math.Abs(sum-want) > 1e-6*max(1, want) {
			t.Errorf("trial %d: %v arrivals in all, want %v", trial, sum, want)
		}
	}
}

// The workload.Zipf weights the driver places add up as the sampler draws them:
// the share of the first keys matches the draws.
func TestFluidZipfShares(t *testing.T) {
	const n = 100000
	z := workload.NewZipf(n, 0.99)
	m, err := keyModelOf(z)
	if err != nil {
		t.Fatal(err)
	}
	exact := 0.0
	for r := range int64(n) {
		exact += m.weight(r)
	}
	if got := m.between(0, n); math.Abs(got-exact)/exact > 1e-4 {
		t.Errorf("total weight %v, summed %v", got, exact)
	}
	rng := rand.New(rand.NewPCG(1, 1))
	const draws = 200000
	below := 0
	for range draws {
		if z.Next(rng, 0) < 100 {
			below++
		}
	}
	if got, want := m.below(100), float64(below)/draws; math.Abs(got-want) > 0.01 {
		t.Errorf("share of the first 100 keys %v, drawn %v", got, want)
	}
}

func mustMix(t testing.TB, ops []units.Op, weights []float64) workload.Mix {
	t.Helper()
	m, err := workload.NewMix(ops, weights)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// table is a provisioned table of a thousand 1,000 B items.
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

// noBurst is the service with burst and adaptive capacity off, so a
// partition's one-second share alone decides admission.
func noBurst() model.Params {
	p := model.DefaultParams()
	p.BurstWindow = sim.Second
	p.BurstStartsFull = false
	p.Adaptive = false
	return p
}
