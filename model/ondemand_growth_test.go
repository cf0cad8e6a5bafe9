package model

import (
	"math/rand/v2"
	"testing"

	"github.com/ddbsim/ddbsim/model/store"
	"github.com/ddbsim/ddbsim/model/units"
	"github.com/ddbsim/ddbsim/sim"
)

// REFERENCE: ondemand; AWS "On-demand capacity mode", knowledge centre
// "on-demand table throttling", Elhemali et al. (USENIX ATC 2022): a new
// on-demand table stepped to 8,000 WRU/s, twice its 4,000 warm
// throughput, throttles about half its writes while capacity is added;
// the peak the table then follows is the traffic it was offered, so it
// absorbs 16,000 WRU/s at once afterwards. The pessimistic reading
// (on_demand_peak_counts_throttled: false) grows only to twice what it
// admitted (8,000), and a step to 16,000 throttles again, as the model
// did before.
func TestOnDemandGrowsToTheOfferedPeak(t *testing.T) {
	const item = 10 * kb // 10 WCU per write keeps the request count down
	for _, tt := range []struct {
		name           string
		countThrottled bool
		wantCapacity   int64 // WCU absorbed at once after the catch-up
		wantThrottled  bool  // in the step to 16,000
	}{
		{"offered (default)", true, 16000, false},
		{"admitted (pessimistic)", false, 8000, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			svc, _ := newTestServiceWith(t, params(func(p *Params) { p.OnDemandPeakCountsThrottled = tt.countThrottled }),
				TableConfig{Name: "t", Mode: OnDemand})
			tb := svc.Tables()[0]
			r := rand.New(rand.NewPCG(1, 2))
			keys := make([][]byte, 20000)
			for i := range keys {
				keys[i] = store.AppendSyntheticKey(nil, r.Int64())
			}
			step := &load{from: 0, to: 35 * sim.Minute, rate: 800, pick: cycle(keys),
				req: Request{Op: units.OpPut, Size: item}}
			double := &load{from: 35 * sim.Minute, to: 40 * sim.Minute, rate: 1600, pick: cycle(keys),
				req: Request{Op: units.OpPut, Size: item}}
			h := newHarness(svc, 40*sim.Minute)
			h.add(step)
			h.add(double)
			h.k.Run(35 * sim.Minute)
			// The step throttles about half its writes until capacity
			// catches up with the peak, 30 minutes and a datapoint later.
			if share := 1 - float64(step.admitted)/float64(step.sent); share < 0.35 || share > 0.5 {
				t.Errorf("the step to 8,000 WRU/s throttled %.2f of its writes, want about 30/35 of a half", share)
			}
			if _, wcu := tb.Capacity(); wcu != tt.wantCapacity {
				t.Errorf("after the catch-up the table absorbs %d WRU/s, want %d", wcu, tt.wantCapacity)
			}
			h.k.Run(40 * sim.Minute)
			throttled := double.sent - double.admitted
			if (throttled > 0) != tt.wantThrottled {
				t.Errorf("the step to 16,000 WRU/s throttled %d of %d writes", throttled, double.sent)
			}
		})
	}
}
