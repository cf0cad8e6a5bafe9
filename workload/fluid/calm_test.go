package fluid

import (
	"math"
	"testing"

	"github.com/ddbsim/ddbsim/model"
	"github.com/ddbsim/ddbsim/model/units"
	"github.com/ddbsim/ddbsim/sim"
	"github.com/ddbsim/ddbsim/workload"
)

// calmly sets the driver's calm step to a minute.
func calmly(d *Driver) { d.SetCalmStep(sim.Minute) }

// An on-demand table far below its limits steps a minute at a time and
// agrees with one-second ticks: the same requests in expectation (a
// Poisson count over a minute is the sum of sixty one-second ones), all
// admitted, charged the same units per request.
func TestCalmStepsAgreeBelowCapacity(t *testing.T) {
	tc := table(0, 0)
	tc.Mode, tc.Partitions, tc.ItemCount = model.OnDemand, 64, 100000
	tc.PreviousPeakReads, tc.PreviousPeakWrites = 4000, 2000
	cfg := fluidConfig(t, 2000, 3*sim.Hour, true, workload.NewZipf(100000, 0.9),
		[]units.Op{units.OpGet, units.OpPut}, []float64{4, 1})
	ticked, _ := runFluid(t, 5, model.DefaultParams(), tc, cfg)
	calm, d := runFluidWith(t, 5, model.DefaultParams(), tc, calmly, cfg)
	// The first minute is in seconds: its first tick sees the traffic
	// start.
	if minutes := int64(3 * 60); d.calmSteps < minutes-2 {
		t.Errorf("%d calm steps in %d minutes", d.calmSteps, minutes)
	}
	t.Logf("%d calm steps; requests %d and %d", d.calmSteps, calm.finishes, ticked.finishes)
	if calm.throttles != 0 || ticked.throttles != 0 {
		t.Errorf("throttles: %d calm, %d in seconds", calm.throttles, ticked.throttles)
	}
	// 21.6 M requests expected: a standard deviation of 4,650 each, of
	// 6,600 for their difference.
	if diff := math.Abs(float64(calm.finishes - ticked.finishes)); diff > 4*6600 {
		t.Errorf("%d requests in calm steps, %d in seconds", calm.finishes, ticked.finishes)
	}
	for _, u := range [][2]units.Units{{calm.read, ticked.read}, {calm.write, ticked.write}} {
		if math.Abs(u[0].Float()/u[1].Float()-1) > 0.002 {
			t.Errorf("units %v in calm steps, %v in seconds", u[0], u[1])
		}
	}
}

// A table that throttles takes no calm step while it does: a spike above
// its capacity is ticked in seconds, and the throttles and retries agree
// with a run in seconds throughout.
func TestCalmStepsNotWhileThrottling(t *testing.T) {
	p, err := workload.NewStepProfile(100, []workload.Stage{{For: 30 * sim.Minute, Rate: 100}, {For: 5 * sim.Minute, Rate: 900},
		{For: 25 * sim.Minute, Rate: 100}}, sim.Hour)
	if err != nil {
		t.Fatal(err)
	}
	cfg := fluidConfig(t, 100, sim.Hour, true, workload.NewZipf(1000, 0.8), []units.Op{units.OpPut}, []float64{1})
	cfg.Arrivals = p
	ticked, _ := runFluid(t, 6, model.DefaultParams(), table(100, 400), cfg)
	calm, d := runFluidWith(t, 6, model.DefaultParams(), table(100, 400), calmly, cfg)
	if ticked.throttles == 0 {
		t.Fatal("the spike throttled nothing")
	}
	t.Logf("%d calm steps; throttles %d and %d, retries %d and %d", d.calmSteps, calm.throttles, ticked.throttles, calm.retries, ticked.retries)
	// 55 quiet minutes, less the first and those the burst credit
	// takes to refill after the spike: calm ones; the spike's five are
	// not.
	if d.calmSteps > 55 || d.calmSteps < 40 {
		t.Errorf("%d calm steps of 60 minutes with a 5-minute spike", d.calmSteps)
	}
	for _, c := range [][2]int64{{calm.throttles, ticked.throttles}, {calm.retries, ticked.retries},
		{calm.byResult[model.Throttled], ticked.byResult[model.Throttled]}} {
		if math.Abs(float64(c[0])/float64(c[1])-1) > 0.05 {
			t.Errorf("calm %d, in seconds %d (throttles, retries, given up)", c[0], c[1])
		}
	}
}

// step keeps a second where a calm step cannot be taken: off a minute's
// start, past the run's end, above calmLoad, or with retries waiting.
func TestCalmStepRefusals(t *testing.T) {
	cfg := fluidConfig(t, 100, sim.Hour, true, workload.Uniform{Count: 100}, []units.Op{units.OpGet}, []float64{1})
	_, d := runFluidWith(t, 7, model.DefaultParams(), table(1000, 1000), calmly, cfg)
	if !d.calm || d.calmSteps == 0 {
		t.Fatalf("an open loop of gets took no calm step (eligible %v)", d.calm)
	}
	for _, c := range []struct {
		name string
		now  sim.Time
		load float64
		want sim.Time
	}{
		{"calm", 10 * sim.Minute, 0.1, sim.Minute},
		{"off a minute", 10*sim.Minute + sim.Second, 0.1, sim.Second},
		{"loaded", 10 * sim.Minute, 0.9, sim.Second},
		{"at the end", sim.Hour, 0.1, sim.Second},
	} {
		if got := d.step(c.now, c.load); got != c.want {
			t.Errorf("%s: step %v, want %v", c.name, got, c.want)
		}
	}
	d.sources[0].pendingRetries = 1
	if got := d.step(10*sim.Minute, 0.1); got != sim.Second {
		t.Errorf("retries waiting: step %v", got)
	}
}
