package reports_test

import (
	"bytes"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/ddbsim/ddbsim/model"
	"github.com/ddbsim/ddbsim/model/billing"
	"github.com/ddbsim/ddbsim/model/units"
	"github.com/ddbsim/ddbsim/reports"
	"github.com/ddbsim/ddbsim/reports/plot"
	"github.com/ddbsim/ddbsim/sim"
)

// The weighted calls of model.CountRecorder record exactly what the
// per-event calls record when made n times: the same result JSON (counts,
// percentiles, mean and max latency, throttles by reason, retries) and the
// same series.
func TestCountCallsAreRepeatedCalls(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	tables := []reports.TableInfo{{Name: "a", Mode: "provisioned"}, {Name: "b", Mode: "on-demand"}}
	weighted, single := reports.NewCollector(tables), reports.NewCollector(tables)
	var now sim.Time
	for range 300 {
		now += sim.Time(rng.Int64N(int64(400 * ms)))
		n := 1 + rng.Int64N(50)
		table := rng.IntN(2)
		op := units.Op(rng.IntN(int(units.NumOps)))
		switch rng.IntN(3) {
		case 0:
			ev := model.ThrottleEvent{Table: table, Partition: rng.IntN(3), Op: op, Limit: model.LimitCeiling,
				Reason: model.TableWriteKeyRangeThroughputExceeded}
			weighted.ThrottleN(now, &ev, n)
			for range n {
				single.Throttle(now, &ev)
			}
		case 1:
			weighted.RetryN(now, table, op, n)
			for range n {
				single.Retry(now, table, op)
			}
		default:
			// Several latencies ending at the same instant, as the
			// aggregate driver records a tick's outcomes.
			for range 1 + rng.IntN(4) {
				lat := sim.Time(rng.Int64N(int64(3 * sim.Second)))
				o := model.Outcome{Table: table, Op: op, Result: model.Result(rng.IntN(3)),
					Start: max(0, now-lat), End: now, Attempts: 1}
				weighted.FinishN(o, n)
				for range n {
					single.Finish(o)
				}
			}
		}
	}
	meta := reports.Meta{Scenario: "weighted", Duration: now}
	var a, b bytes.Buffer
	if err := reports.WriteJSON(&a, weighted.Result(meta)); err != nil {
		t.Fatal(err)
	}
	if err := reports.WriteJSON(&b, single.Result(meta)); err != nil {
		t.Fatal(err)
	}
	if a.String() != b.String() {
		t.Errorf("weighted and repeated calls differ:\n%s\n---\n%s", a.String(), b.String())
	}
	sa, sb := weighted.Series(), single.Series()
	if len(sa.Intervals) != len(sb.Intervals) {
		t.Fatalf("%d intervals weighted, %d repeated", len(sa.Intervals), len(sb.Intervals))
	}
	for i := range sa.Intervals {
		if !bytes.Equal(sa.Intervals[i].Encoded, sb.Intervals[i].Encoded) {
			t.Errorf("interval %d differs", i)
		}
	}
	for i := range sa.Tables {
		x, y := sa.Tables[i], sb.Tables[i]
		if sum(x.ThrottleEvents) != sum(y.ThrottleEvents) || sum(x.Succeeded) != sum(y.Succeeded) ||
			sum(x.Offered) != sum(y.Offered) {
			t.Errorf("table %d: series differ", i)
		}
	}
}

// A huge weight does not overflow the latency sum: the mean stays the
// latency recorded.
func TestFinishNLargeWeights(t *testing.T) {
	c := reports.NewCollector([]reports.TableInfo{{Name: "a"}})
	lat := 1500 * ms
	c.FinishN(model.Outcome{Op: units.OpGet, Start: 0, End: lat}, 1e13)
	r := c.Result(reports.Meta{Duration: sim.Second})
	if r.Requests.Total != 1e13 {
		t.Errorf("total %d", r.Requests.Total)
	}
	if got := r.LatencyMs.Mean; got != 1500 {
		t.Errorf("mean %v ms, want 1500", got)
	}
	c.FinishN(model.Outcome{Op: units.OpGet, Start: lat, End: lat}, 0) // nothing
	if got := c.Result(reports.Meta{Duration: sim.Second}).Requests.Total; got != 1e13 {
		t.Errorf("a weight of 0 counted: total %d", got)
	}
}

// With a step of five minutes the series have a point per step: counts
// and consumption add up over it, the peak per second is the busiest
// step's mean, the CSV names each step by its first second, and the
// plots draw the run's whole length.
func TestSeriesStep(t *testing.T) {
	c := reports.NewCollector([]reports.TableInfo{{Name: "a", Mode: "on-demand"}})
	step := 5 * sim.Minute
	c.SetStep(step)
	day := 24 * sim.Hour
	c.Reserve(day)
	c.SetPricing([]billing.PriceBook{{ReadRequestUnit: 1e-6, WriteRequestUnit: 1e-6}}, false)
	for now := sim.Time(0); now < day; now += sim.Second {
		c.Consumed(now, 0, 0, 10*units.Unit, 0)
		c.FinishN(model.Outcome{Op: units.OpGet, Start: now, End: now + ms}, 10)
		c.Sample(now+sim.Second, 0, &model.TableState{Partitions: 1, Bill: billing.Meter{ReadUnits: 10 * (now + sim.Second).Seconds()}})
	}
	r := c.Result(reports.Meta{Scenario: "step", Duration: day})
	s := r.Series
	// The sample at the end of the day describes the last step; it opens
	// no point of its own, empty of capacity and cost, past the day.
	if s.Step != step || s.Len() != 288 {
		t.Fatalf("step %v, %d points; want %v, 288", s.Step, s.Len(), step)
	}
	if got := s.Offered[3]; got != 3000 {
		t.Errorf("offered %d in a step, want 3,000", got)
	}
	if got := r.Tables[0].PeakRCUPerS; got != 10 {
		t.Errorf("peak %v RCU/s, want 10", got)
	}
	if got := len(s.Intervals); got != 288 {
		t.Errorf("%d latency intervals, want 288", got)
	}
	total := 0.0
	for _, item := range s.CostByItem {
		total += item[287]
	}
	if want := 10 * day.Seconds() * 1e-6; math.Abs(total-want) > 1e-9 {
		t.Errorf("cost at the end $%v, want $%v", total, want)
	}
	var csv bytes.Buffer
	if err := reports.WriteTimeseriesCSV(&csv, r); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(csv.String(), "\n300,a,3000,") || !strings.Contains(csv.String(), "\n86100,a,") {
		t.Errorf("CSV rows are not named by their step's first second:\n%.300s", csv.String())
	}
	var hlog bytes.Buffer
	if err := reports.WriteHistogramLog(&hlog, r); err != nil {
		t.Fatal(err)
	}
	plots, err := plot.Figures(r)
	if err != nil {
		t.Fatal(err)
	}
	if len(plots) == 0 {
		t.Fatal("no plots")
	}
	for _, p := range plots {
		if p.Name == "throughput" && !strings.Contains(p.Caption, "per second") {
			t.Errorf("throughput caption %q", p.Caption)
		}
	}
}
