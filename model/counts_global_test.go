package model

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/ddbsim/ddbsim/model/units"
	"github.com/ddbsim/ddbsim/sim"
)

// globalTally counts a run's global events by kind, and stale reads.
func globalTally(evs []GlobalEvent) (delivered, conflicts, reads, stale int) {
	for _, ev := range evs {
		switch ev.Kind {
		case GlobalDelivered:
			delivered++
		case GlobalConflict:
			conflicts++
		case GlobalRead:
			reads++
			if ev.Stale {
				stale++
			}
		}
	}
	return
}

// CountGlobal's conflicts, deliveries and stale reads for one item
// written in two regions at Poisson rates a and b, with the default
// lognormal lag (median 1 s, p99 2.5 s), agree with the per-request
// model's, write by write, within 4% of the writes (and of the reads):
// the rates are what the counts are derived from (see the top of
// counts_global.go), the per-request model is the rule.
func TestCountGlobalAgreesWithRequests(t *testing.T) {
	for _, tc := range []struct{ a, b float64 }{{0.8, 0.8}, {0.3, 1.5}, {0.05, 0.05}} {
		const T = 4000 * sim.Second
		const readRate = 2.0
		regions := []string{"us-east-1", "eu-west-1"}

		// Per request: Poisson puts and gets of one item in each region.
		svc, rec := globalService(t, regions, 0, nil)
		k := sim.New(1)
		svc.Start(k, T+10*sim.Second)
		r := rand.New(rand.NewPCG(3, uint64(tc.a*100+tc.b)))
		var times [2][]sim.Time
		poisson(k, svc, r, 0, tc.a, T, &times[0])
		poisson(k, svc, r, 1, tc.b, T, &times[1])
		for table := range 2 {
			var next sim.HandlerFunc
			next = func(now sim.Time) {
				req := Request{Table: table, Op: units.OpGet, Key: []byte("hot")}
				svc.Handle(now, &req)
				if at := now + sim.Time(r.ExpFloat64()/readRate*float64(sim.Second)); at < T {
					k.At(at, next)
				}
			}
			k.At(0, next)
		}
		k.Run(T + 10*sim.Second)
		d1, c1, r1, s1 := globalTally(rec.global)
		writes := len(times[0]) + len(times[1])

		// As counts: each second the same rates' expected writes and reads.
		csvc, crec := globalService(t, regions, 0, nil)
		ck := sim.New(1)
		csvc.Start(ck, T+10*sim.Second)
		gt := &GlobalTraffic{Table: 0, Classes: []KeyClass{{Keys: 1, Write: []float64{tc.a, tc.b}}}}
		share := []float64{1}
		acc := [2]float64{}
		var tick sim.HandlerFunc
		tick = func(now sim.Time) {
			gt.Flows = gt.Flows[:0]
			for table, rate := range []float64{tc.a, tc.b} {
				acc[table] += rate
				n := int64(acc[table])
				acc[table] -= float64(n)
				gt.Flows = append(gt.Flows,
					GlobalFlow{Table: table, Op: units.OpPut, Cost: units.WholeUnits(1), Counts: []int64{n}, Share: share},
					GlobalFlow{Table: table, Op: units.OpGet, Counts: []int64{int64(readRate)}, Share: share})
			}
			csvc.CountGlobal(now, now+sim.Second, gt)
			if now+sim.Second < T {
				ck.At(now+sim.Second, tick)
			}
		}
		ck.At(0, tick)
		ck.Run(T + 10*sim.Second)
		d2, c2, r2, s2 := globalTally(crec.global)
		cwrites := int(T.Seconds() * (tc.a + tc.b))

		share1 := func(n, of int) float64 { return float64(n) / float64(max(of, 1)) }
		t.Logf("a=%v b=%v: delivered %.3f / %.3f, conflicts %.3f / %.3f, stale %.3f / %.3f (per request / counts)",
			tc.a, tc.b, share1(d1, writes), share1(d2, cwrites), share1(c1, writes), share1(c2, cwrites),
			share1(s1, r1), share1(s2, r2))
		for _, c := range []struct {
			what     string
			req, cnt float64
		}{
			{"delivered", share1(d1, writes), share1(d2, cwrites)},
			{"conflicts", share1(c1, writes), share1(c2, cwrites)},
			{"stale reads", share1(s1, r1), share1(s2, r2)},
		} {
			if math.Abs(c.req-c.cnt) > 0.04 {
				t.Errorf("a=%v b=%v: %s %.3f per request, %.3f as counts", tc.a, tc.b, c.what, c.req, c.cnt)
			}
		}
	}
}

// Counts of writes to a region that is down wait for it, and those made
// in a region that goes down while they are on their way are stranded
// until it returns; both then arrive with the lag of the wait.
func TestCountGlobalOutage(t *testing.T) {
	svc, rec := globalService(t, []string{"us-east-1", "eu-west-1"}, sim.Second, nil)
	svc.AddFault(Fault{Region: "us-east-1", At: 10 * sim.Second, Outage: 20 * sim.Second})
	k := sim.New(1)
	svc.Start(k, 60*sim.Second)
	gt := &GlobalTraffic{Table: 0, Classes: []KeyClass{{Keys: 1e6, Write: []float64{1e-5, 1e-5}}}}
	for _, w := range []struct {
		at    sim.Time
		table int
	}{{9 * sim.Second, 0}, {15 * sim.Second, 1}} {
		k.At(w.at, sim.HandlerFunc(func(now sim.Time) {
			gt.Flows = append(gt.Flows[:0], GlobalFlow{Table: w.table, Op: units.OpPut, Cost: units.WholeUnits(1),
				Counts: []int64{10}, Share: []float64{1}})
			svc.CountGlobal(now, now+sim.Second, gt)
		}))
	}
	k.Run(60 * sim.Second)
	var delivered, stranded int
	for _, ev := range rec.global {
		switch ev.Kind {
		case GlobalDelivered:
			delivered++
			if ev.Lag < 14*sim.Second {
				t.Errorf("a write delivered %v after it was made, before the outage ended", ev.Lag)
			}
		case GlobalUnreplicated:
			stranded++
		}
	}
	if delivered != 20 || stranded != 10 {
		t.Errorf("%d delivered, %d stranded: want the 20 writes delivered after the outage, the 10 from us-east-1 stranded", delivered, stranded)
	}
	if got := rec.consumedBy[0][1] + rec.consumedBy[1][1]; got != units.WholeUnits(20) {
		t.Errorf("replicas charged %v write units, want 20 for the 20 writes delivered", got)
	}
}
