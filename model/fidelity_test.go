package model

// The fidelity suite: each test pins a sentence of REFERENCE.md, with the
// numbers the reference gives, by driving the service the way a client
// would and measuring what it admits.

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/ddbsim/ddbsim/model/capacity"
	"github.com/ddbsim/ddbsim/model/store"
	"github.com/ddbsim/ddbsim/model/units"
	"github.com/ddbsim/ddbsim/sim"
)

// load is a stream of identical requests at a constant rate between two
// times, against keys chosen by pick.
type load struct {
	from, to sim.Time
	rate     float64 // requests per second
	req      Request
	pick     func(i int) []byte // nil: req.Key for every request

	sent, admitted int
	perSecond      map[int64]int // admitted by second
	firstThrottle  sim.Time
}

// harness runs loads against a service on one kernel, in phases.
type harness struct {
	k   *sim.Kernel
	svc *Service
}

// newHarness starts the service on a fresh kernel for a run ending at end.
func newHarness(svc *Service, end sim.Time) *harness {
	k := sim.New(1)
	svc.Start(k, end)
	return &harness{k: k, svc: svc}
}

// add schedules a load.
func (h *harness) add(l *load) {
	l.perSecond = map[int64]int{}
	l.firstThrottle = -1
	gap := sim.Time(float64(sim.Second) / l.rate)
	h.k.Every(l.from, gap, l.to-1, sim.HandlerFunc(func(now sim.Time) {
		req := l.req
		if l.pick != nil {
			req.Key = l.pick(l.sent)
		}
		l.sent++
		if h.svc.Handle(now, &req).Admitted() {
			l.admitted++
			l.perSecond[int64(now/sim.Second)]++
		} else if l.firstThrottle < 0 {
			l.firstThrottle = now
		}
	}))
}

// drive runs the loads against the service until end.
func drive(t *testing.T, svc *Service, end sim.Time, loads ...*load) {
	t.Helper()
	h := newHarness(svc, end)
	for _, l := range loads {
		h.add(l)
	}
	h.k.Run(end)
}

// keysIn returns n synthetic keys whose hashes fall in partition p.
func keysIn(tb *Table, p, n int) [][]byte {
	var keys [][]byte
	for i := int64(0); len(keys) < n; i++ {
		k := store.AppendSyntheticKey(nil, i)
		if tb.PartitionOf(store.HashKey(k)) == p {
			keys = append(keys, k)
		}
	}
	return keys
}

func cycle(keys [][]byte) func(int) []byte {
	return func(i int) []byte { return keys[i%len(keys)] }
}

func params(edit func(*Params)) Params {
	p := DefaultParams()
	edit(&p)
	return p
}

// REFERENCE: burst — "150 read units idle for 5 minutes bank 45,000 units;
// at 200/s demand the extra 50/s lasts 900 s."
func TestBurstBanksThreeHundredSeconds(t *testing.T) {
	svc, rec := newTestServiceWith(t, params(func(p *Params) { p.BurstStartsFull = false }),
		TableConfig{Name: "t", ReadCapacity: 150, WriteCapacity: 1})
	tb := svc.Tables()[0]
	// One strongly consistent read of a 4 KB item costs one unit.
	tb.Store().PutSized([]byte("a"), 0, 4*kb)
	reads := &load{from: 300 * sim.Second, to: 1500 * sim.Second, rate: 200,
		req: Request{Op: units.OpGet, Key: []byte("a"), Consistency: units.Strong}}

	p := tb.Partition(0)
	if got := p.read.Available(300 * sim.Second); got != units.WholeUnits(45000) {
		t.Fatalf("after 5 idle minutes the bank holds %v units, want 45000", got)
	}
	drive(t, svc, 1500*sim.Second, reads)
	// The bank covers 50 units/s beyond the rate for 900 s: the first
	// throttle comes 900 s after the demand starts, to within a second.
	if at := reads.firstThrottle; at < 1199*sim.Second || at > 1201*sim.Second {
		t.Fatalf("first throttle at %v, want 1200s (45,000 / 50 per s after t=300s)", at)
	}
	// Then the partition serves its provisioned rate, no more.
	for s := int64(1210); s < 1500; s += 30 {
		if n := reads.perSecond[s]; n < 149 || n > 151 {
			t.Errorf("second %d: %d reads admitted after the bank ran dry, want 150", s, n)
		}
	}
	if rec.throttles[TableReadProvisionedThroughputExceeded] == 0 {
		t.Errorf("throttles %v: a one-partition table out of capacity is ProvisionedThroughputExceeded", rec.throttles)
	}
}

// REFERENCE: burst — burst credit is spent above the rate "but never
// above the partition ceiling".
func TestBurstNeverExceedsCeiling(t *testing.T) {
	svc, _ := newTestServiceWith(t, DefaultParams(), TableConfig{Name: "t", ReadCapacity: 10, WriteCapacity: 900})
	tb := svc.Tables()[0]
	writes := &load{from: 0, to: 20 * sim.Second, rate: 3000, pick: cycle(keysIn(tb, 0, 100)),
		req: Request{Op: units.OpPut, Size: kb}}
	drive(t, svc, 20*sim.Second, writes)
	// 900 WCU x 300 s of banked credit would allow far more; the ceiling
	// holds every second to 1,000 (the first second also spends the
	// ceiling's own one-second bucket).
	for s := int64(1); s < 20; s++ {
		if n := writes.perSecond[s]; n > 1000 {
			t.Errorf("second %d: %d one-unit writes admitted, above the 1,000 WCU ceiling", s, n)
		}
	}
	if n := writes.perSecond[10]; n < 999 {
		t.Errorf("second 10: %d writes admitted, want the ceiling's 1,000 (burst covers the rest)", n)
	}
}

// REFERENCE: adaptive — "400 WCU over 4 partitions = 100 each; one
// partition can sustain 150 while others are idle", because a hot
// partition borrows the table's unused capacity instantly. Without
// adaptive capacity (the service before 2018) it is held to its 100.
func TestAdaptiveCapacityLendsUnusedCapacity(t *testing.T) {
	for _, tt := range []struct {
		adaptive       bool
		rate           float64
		wantPerSecond  int
		wantThrottling bool
	}{
		{adaptive: true, rate: 150, wantPerSecond: 150},
		{adaptive: false, rate: 150, wantPerSecond: 100, wantThrottling: true},
		// Borrowing stops at the table's total: 400.
		{adaptive: true, rate: 600, wantPerSecond: 400, wantThrottling: true},
	} {
		svc, rec := newTestServiceWith(t, params(func(p *Params) {
			p.BurstStartsFull = false
			p.Adaptive = tt.adaptive
		}), TableConfig{Name: "t", ReadCapacity: 1, WriteCapacity: 400, Partitions: 4})
		tb := svc.Tables()[0]
		if tb.Partitions() != 4 || tb.Partition(0).write.Rate() != units.WholeUnits(100) {
			t.Fatalf("%d partitions, share %v; want 4 of 100 WCU", tb.Partitions(), tb.Partition(0).write.Rate())
		}
		writes := &load{from: 0, to: 600 * sim.Second, rate: tt.rate, pick: cycle(keysIn(tb, 0, 50)),
			req: Request{Op: units.OpPut, Size: kb}}
		drive(t, svc, 600*sim.Second, writes)
		for s := int64(300); s < 600; s += 37 {
			if n := writes.perSecond[s]; n < tt.wantPerSecond-1 || n > tt.wantPerSecond+1 {
				t.Errorf("adaptive %v, %v/s offered: second %d admitted %d, want %d", tt.adaptive, tt.rate, s, n, tt.wantPerSecond)
			}
		}
		throttled := writes.sent - writes.admitted
		if (throttled > 0) != tt.wantThrottling {
			t.Errorf("adaptive %v, %v/s offered: %d throttled (%v)", tt.adaptive, tt.rate, throttled, rec.throttles)
		}
	}
}

// REFERENCE: partitions — initial partitions = ceil(RCU/3000 + WCU/1000):
// 1,000/500 -> 1; 5,000/2,000 -> 4; raising 5,000 -> 8,000 RCU (which 4
// partitions cannot hold) doubles them to 8; lowering capacity again keeps
// the 8: partitions never merge.
func TestPartitionsDoubleAndNeverMerge(t *testing.T) {
	svc, rec := newTestServiceWith(t, DefaultParams(),
		TableConfig{Name: "small", ReadCapacity: 1000, WriteCapacity: 500},
		TableConfig{Name: "big", ReadCapacity: 5000, WriteCapacity: 2000, Schedule: []CapacityChange{
			{At: sim.Minute, Read: 8000},
			{At: 20 * sim.Minute, Read: 1000, Write: 100},
		}})
	small, big := svc.Tables()[0], svc.Tables()[1]
	if small.Partitions() != 1 || big.Partitions() != 4 {
		t.Fatalf("partitions %d and %d, want 1 and 4", small.Partitions(), big.Partitions())
	}
	update := DefaultParams().UpdateDelay
	h := newHarness(svc, 30*sim.Minute)
	h.k.Run(sim.Minute + update - 1)
	if big.Partitions() != 4 {
		t.Fatalf("partitions doubled before the update completed")
	}
	h.k.Run(30 * sim.Minute)
	if big.Partitions() != 8 {
		t.Fatalf("after raising to 8,000 RCU and lowering again: %d partitions, want 8", big.Partitions())
	}
	if rcu, wcu := big.Capacity(); rcu != 1000 || wcu != 100 {
		t.Fatalf("capacity %d/%d after the decrease, want 1000/100", rcu, wcu)
	}
	// The capacity is divided evenly over all 8.
	if got := big.Partition(7).write.Rate(); got != units.WholeUnits(100)/8 {
		t.Fatalf("share of partition 7 = %v WCU, want 12.5", got)
	}
	var doubled int
	for _, e := range rec.events {
		if e.Kind == EventPartitionsDoubled {
			doubled++
		}
	}
	if doubled != 1 {
		t.Fatalf("%d doubling events, want 1", doubled)
	}
}

// REFERENCE: partitions — one partition key can never exceed 1,000 write
// units/s: on a 10,000 WCU table, a single hot key of 1 KB items is capped
// at 1,000 writes per second, burst and adaptive capacity notwithstanding,
// from the first second on (REFERENCE: burst — a new partition has no
// unused capacity banked: it took 1,499 WCU in its first second when its
// ceiling started full and refilled at once). The one write the
// prepaid first second's phase moves from second 1 to its end is allowed.
func TestSingleHotKeyCappedAtCeiling(t *testing.T) {
	svc, rec := newTestServiceWith(t, DefaultParams(), TableConfig{Name: "t", ReadCapacity: 1, WriteCapacity: 10000})
	writes := &load{from: 0, to: 30 * sim.Second, rate: 5000, req: Request{Op: units.OpPut, Key: []byte("hot"), Size: kb}}
	drive(t, svc, 30*sim.Second, writes)
	total := 0
	for s := int64(0); s < 30; s++ {
		n := writes.perSecond[s]
		total += n
		if n != 1000 && !(s == 1 && n == 999) {
			t.Errorf("second %d: %d writes to one key, want exactly 1,000", s, n)
		}
	}
	if total > 30*1000 {
		t.Errorf("%d writes in 30 s, want at most 30,000", total)
	}
	if rec.throttles[TableWriteKeyRangeThroughputExceeded] == 0 || rec.limits[LimitCeiling] == 0 {
		t.Errorf("throttles %v by %v, want KeyRange at the ceiling", rec.throttles, rec.limits)
	}
}

// REFERENCE: partitions — "3,000 read units/s and 1,000 write units/s (or
// a linear mix)": 1,500 reads and 500 writes a second fill a partition.
func TestCeilingIsALinearMix(t *testing.T) {
	svc, _ := newTestServiceWith(t, DefaultParams(), TableConfig{Name: "t", ReadCapacity: 30000, WriteCapacity: 10000})
	tb := svc.Tables()[0]
	tb.Store().PutSized([]byte("k"), 0, 4*kb)
	reads := &load{from: 0, to: 20 * sim.Second, rate: 2000, req: Request{Op: units.OpGet, Key: []byte("k"), Consistency: units.Strong}}
	writes := &load{from: 0, to: 20 * sim.Second, rate: 1000, req: Request{Op: units.OpPut, Key: []byte("k"), Size: kb}}
	drive(t, svc, 20*sim.Second, reads, writes)
	for s := int64(2); s < 20; s++ {
		load := float64(reads.perSecond[s])/3000 + float64(writes.perSecond[s])/1000
		if load > 1.001 || load < 0.99 {
			t.Errorf("second %d: %d reads + %d writes = %.3f of the ceiling, want 1", s, reads.perSecond[s], writes.perSecond[s], load)
		}
	}
}

// REFERENCE: ondemand — a table absorbs up to twice its previous peak
// instantly and may throttle beyond it: with a previous peak of 5,000
// writes/s, a jump to 10,000 (2x) passes and a jump to 20,000 (4x)
// throttles, until capacity catches up with the new peak.
func TestOnDemandAbsorbsTwiceThePreviousPeak(t *testing.T) {
	const item = 10 * kb // 10 WCU per write keeps the request count down
	for _, tt := range []struct {
		name       string
		wcuPerS    float64
		wantThrott bool
	}{
		// Just under 2x: at exactly the limit a table's first second,
		// prepaid with no slack left (capacity.NewFreshBucket), may
		// throttle the odd request.
		{"2x", 9990, false},
		{"4x", 20000, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			svc, rec := newTestServiceWith(t, params(func(p *Params) { p.OnDemandCatchUp = 10 * sim.Minute }),
				TableConfig{Name: "t", Mode: OnDemand, PreviousPeakWrites: 5000})
			tb := svc.Tables()[0]
			if _, wcu := tb.Capacity(); wcu != 10000 {
				t.Fatalf("instant capacity %d WCU, want 10,000 (twice the previous peak)", wcu)
			}
			r := rand.New(rand.NewPCG(1, 2))
			keys := make([][]byte, 10000)
			for i := range keys {
				keys[i] = store.AppendSyntheticKey(nil, r.Int64())
			}
			writes := &load{from: 0, to: 25 * sim.Minute, rate: tt.wcuPerS / 10, pick: cycle(keys),
				req: Request{Op: units.OpPut, Size: item}}
			drive(t, svc, 25*sim.Minute, writes)
			throttled := writes.sent - writes.admitted
			if (throttled > 0) != tt.wantThrott {
				t.Fatalf("%d of %d writes throttled (%v)", throttled, writes.sent, rec.throttles)
			}
			if !tt.wantThrott {
				return
			}
			// Throttled, it consumes 10,000 WCU/s, a new peak; 10 minutes
			// later (the catch-up) it absorbs twice that, 20,000.
			if writes.firstThrottle > 2*sim.Second {
				t.Errorf("first throttle at %v, want at once", writes.firstThrottle)
			}
			if n := writes.perSecond[5*60]; n > 1010 {
				t.Errorf("minute 5: %d writes/s admitted, want about 1,000 (10,000 WCU)", n)
			}
			if n := writes.perSecond[20*60]; n != 2000 {
				t.Errorf("minute 20: %d writes/s admitted, want all 2,000 once capacity caught up", n)
			}
			if _, wcu := tb.Capacity(); wcu < 20000 {
				t.Errorf("instant capacity %d WCU after catching up, want at least 20,000", wcu)
			}
			if rec.throttles[TableWriteKeyRangeThroughputExceeded] == 0 {
				t.Errorf("throttles %v, want KeyRange (partitions not yet added)", rec.throttles)
			}
		})
	}
}

// REFERENCE: ondemand — new tables serve 12,000 reads and 4,000 writes at
// once; the table quota (40,000 by default) and an optional maximum cap
// on-demand throughput, each with its own throttle reason.
func TestOnDemandLimits(t *testing.T) {
	tests := []struct {
		name    string
		cfg     TableConfig
		wantWCU int64
		wantRCU int64
		limit   Limit
		reason  ThrottleReason
	}{
		{"new table", TableConfig{}, 4000, 12000, LimitOnDemand, TableWriteKeyRangeThroughputExceeded},
		{"warm throughput raised", TableConfig{WarmWrites: 9000}, 9000, 12000, LimitOnDemand, TableWriteKeyRangeThroughputExceeded},
		{"quota", TableConfig{PreviousPeakWrites: 30000}, 40000, 12000, LimitQuota, TableWriteAccountLimitExceeded},
		{"maximum", TableConfig{PreviousPeakWrites: 30000, MaxWrites: 3000}, 3000, 12000, LimitMaxThroughput, TableWriteMaxOnDemandThroughputExceeded},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := tt.cfg
			cfg.Name, cfg.Mode = "t", OnDemand
			svc, rec := newTestServiceWith(t, DefaultParams(), cfg)
			tb := svc.Tables()[0]
			if rcu, wcu := tb.Capacity(); rcu != tt.wantRCU || wcu != tt.wantWCU {
				t.Fatalf("capacity %d/%d, want %d/%d", rcu, wcu, tt.wantRCU, tt.wantWCU)
			}
			// Writes of 100 KB (100 WCU) across many keys, at 1.5x the limit.
			keys := make([][]byte, 5000)
			for i := range keys {
				keys[i] = store.AppendSyntheticKey(nil, int64(i))
			}
			writes := &load{from: 0, to: 5 * sim.Second, rate: float64(tt.wantWCU) * 1.5 / 100, pick: cycle(keys),
				req: Request{Op: units.OpPut, Size: 100 * kb}}
			drive(t, svc, 5*sim.Second, writes)
			if rec.throttles[tt.reason] == 0 || rec.limits[tt.limit] == 0 {
				t.Fatalf("throttles %v by %v, want %v by %v", rec.throttles, rec.limits, tt.reason, tt.limit)
			}
		})
	}
}

// REFERENCE: provisioned — "Scale out after 2 consecutive 1-minute
// datapoints above target ... the new capacity aims at consumed/target.
// The table update then takes minutes ... Spikes shorter than the alarm
// window are not seen."
func TestAutoScaling(t *testing.T) {
	scaling := &capacity.AutoScaling{Target: 0.7, Min: 100, Max: 1000}
	t.Run("scales out after two minutes above target", func(t *testing.T) {
		svc, rec := newTestServiceWith(t, DefaultParams(),
			TableConfig{Name: "t", ReadCapacity: 100, WriteCapacity: 100, AutoScaling: scaling})
		tb := svc.Tables()[0]
		writes := &load{from: 0, to: 10 * sim.Minute, rate: 200, pick: cycle(keysIn(tb, 0, 100)),
			req: Request{Op: units.OpPut, Size: kb}}
		drive(t, svc, 10*sim.Minute, writes)
		var requested, applied *CapacityEvent
		for i, e := range rec.events {
			switch {
			case e.Kind == EventUpdateRequested && requested == nil:
				requested = &rec.events[i]
			case e.Kind == EventUpdateApplied && applied == nil:
				applied = &rec.events[i]
			}
		}
		if requested == nil || applied == nil {
			t.Fatalf("events %+v: no scale out", rec.events)
		}
		// 200 WCU/s consumed (burst covers the excess) / 70% = 286.
		if requested.Write != 286 {
			t.Errorf("scaled to %d WCU, want ceil(200/0.7) = 286", requested.Write)
		}
		if _, wcu := tb.Capacity(); wcu != 286 {
			t.Errorf("capacity %d WCU at the end, want 286", wcu)
		}
	})
	t.Run("two minutes above target, then the update delay", func(t *testing.T) {
		svc, rec := newTestServiceWith(t, DefaultParams(),
			TableConfig{Name: "t", ReadCapacity: 100, WriteCapacity: 100, AutoScaling: scaling})
		tb := svc.Tables()[0]
		writes := &load{from: 0, to: 10 * sim.Minute, rate: 200, pick: cycle(keysIn(tb, 0, 100)),
			req: Request{Op: units.OpPut, Size: kb}}
		drive(t, svc, 10*sim.Minute, writes)
		// Datapoints at 1 and 2 minutes are above target: the alarm fires
		// at the second, and the update completes UpdateDelay later.
		want := []struct {
			at   sim.Time
			kind EventKind
		}{{2 * sim.Minute, EventUpdateRequested}, {2*sim.Minute + DefaultParams().UpdateDelay, EventUpdateApplied}}
		if len(rec.events) < 2 {
			t.Fatalf("events %+v", rec.events)
		}
		for i, w := range want {
			if rec.eventTimes[i] != w.at || rec.events[i].Kind != w.kind {
				t.Errorf("event %d: %v at %v, want %v at %v", i, rec.events[i].Kind, rec.eventTimes[i], w.kind, w.at)
			}
		}
	})
	t.Run("a 50-second spike is not seen", func(t *testing.T) {
		svc, rec := newTestServiceWith(t, DefaultParams(),
			TableConfig{Name: "t", ReadCapacity: 100, WriteCapacity: 100, AutoScaling: scaling})
		tb := svc.Tables()[0]
		keys := cycle(keysIn(tb, 0, 100))
		base := &load{from: 0, to: 10 * sim.Minute, rate: 20, pick: keys, req: Request{Op: units.OpPut, Size: kb}}
		// Within one datapoint's minute: that minute averages above
		// target, the next does not.
		spike := &load{from: 65 * sim.Second, to: 115 * sim.Second, rate: 500, pick: keys, req: Request{Op: units.OpPut, Size: kb}}
		drive(t, svc, 10*sim.Minute, base, spike)
		for _, e := range rec.events {
			if e.Kind == EventUpdateRequested && e.Write > 100 {
				t.Fatalf("scaled out on a 50 s spike: %+v", e)
			}
		}
	})
}

// REFERENCE: partitions — "a partition that runs hot for a while splits at
// a key chosen from its observed traffic; splits take minutes. It does not
// help when one item key is hot." Defaults: above 80% of the ceiling for 5
// minutes, the split completing 5 minutes later. A single hot key is
// isolated on its own partition instead (REFERENCE: adaptive), where the
// ceiling still caps it.
func TestSplitForHeat(t *testing.T) {
	t.Run("many warm keys: split at the traffic median", func(t *testing.T) {
		svc, rec := newTestServiceWith(t, DefaultParams(), TableConfig{Name: "t", ReadCapacity: 1, WriteCapacity: 950})
		tb := svc.Tables()[0]
		r := rand.New(rand.NewPCG(3, 3))
		keys := make([][]byte, 1000)
		for i := range keys {
			keys[i] = store.AppendSyntheticKey(nil, r.Int64())
		}
		// 900 WCU/s is 90% of the partition ceiling.
		writes := &load{from: 0, to: 12 * sim.Minute, rate: 900, pick: cycle(keys), req: Request{Op: units.OpPut, Size: kb}}
		h := newHarness(svc, 12*sim.Minute)
		h.add(writes)
		h.k.Run(10*sim.Minute + 1)
		if tb.Partitions() != 2 {
			t.Fatalf("%d partitions just after 10 minutes", tb.Partitions())
		}
		a0, b0 := tb.Partition(0).ConsumedWrite, tb.Partition(1).ConsumedWrite
		h.k.Run(12 * sim.Minute)
		if tb.Partitions() != 2 {
			t.Fatalf("%d partitions after 12 hot minutes, want 2", tb.Partitions())
		}
		if len(rec.events) != 1 || rec.events[0].Kind != EventHeatSplit || rec.eventTimes[0] != 10*sim.Minute {
			t.Fatalf("events %v at %v, want one heat split at 10m (5 hot minutes + 5 to split)", rec.events, rec.eventTimes)
		}
		// The split point divides the traffic: each half carries 30-70%.
		a, b := tb.Partition(0).ConsumedWrite-a0, tb.Partition(1).ConsumedWrite-b0
		if share := a.Float() / (a + b).Float(); share < 0.3 || share > 0.7 {
			t.Errorf("the split left %.0f%% of the traffic on one side", 100*share)
		}
	})
	t.Run("cool partition: no split", func(t *testing.T) {
		svc, rec := newTestServiceWith(t, DefaultParams(), TableConfig{Name: "t", ReadCapacity: 1, WriteCapacity: 950})
		writes := &load{from: 0, to: 12 * sim.Minute, rate: 700, pick: cycle(keysIn(svc.Tables()[0], 0, 1000)),
			req: Request{Op: units.OpPut, Size: kb}}
		drive(t, svc, 12*sim.Minute, writes)
		if len(rec.events) != 0 {
			t.Fatalf("events %v at 70%% of the ceiling", rec.events)
		}
	})
	t.Run("one hot key: isolated, still capped", func(t *testing.T) {
		svc, rec := newTestServiceWith(t, DefaultParams(), TableConfig{Name: "t", ReadCapacity: 1, WriteCapacity: 10000,
			Partitions: 1, ItemCount: 1000, ItemSize: kb})
		tb := svc.Tables()[0]
		if tb.Partitions() != 11 { // ceil(1/3000 + 10000/1000)
			t.Fatalf("%d partitions", tb.Partitions())
		}
		hot := &load{from: 0, to: 15 * sim.Minute, rate: 2000, req: Request{Op: units.OpPut, Key: []byte("hot"), Size: kb}}
		drive(t, svc, 15*sim.Minute, hot)
		var isolated int
		for _, e := range rec.events {
			switch e.Kind {
			case EventHotKeyIsolated:
				isolated++
			case EventHeatSplit:
				t.Errorf("split for heat on a single hot key: %+v", e)
			}
		}
		if isolated != 1 {
			t.Fatalf("events %v, want the hot key isolated once", rec.events)
		}
		p := tb.PartitionOf(store.HashKey([]byte("hot")))
		r := tb.Range(p)
		if r.Hi-r.Lo != 1 && !(r.Lo == store.HashKey([]byte("hot")) || r.Hi == store.HashKey([]byte("hot"))+1) {
			t.Errorf("the hot key's partition is %+v, not around its hash", r)
		}
		if n := hot.perSecond[14*60]; n != 1000 {
			t.Errorf("after isolation the key gets %d writes/s, want still the 1,000 ceiling", n)
		}
	})
}

// REFERENCE: partitions — "a partition over 10 GB splits in two, and each
// child gets half its parent's share".
func TestSizeSplitDilutesThroughput(t *testing.T) {
	// 26,200 items of 400 KB are 14 items short of 10 GB: one partition.
	svc, rec := newTestServiceWith(t, DefaultParams(), TableConfig{Name: "t", ReadCapacity: 300, WriteCapacity: 500,
		ItemCount: 26200, ItemSize: 400 * kb})
	tb := svc.Tables()[0]
	if tb.Partitions() != 1 {
		t.Fatalf("%d partitions for 9.9 GB", tb.Partitions())
	}
	// 40 more items take it past 10 GB (at 400 WCU each, two a second
	// stay within the partition's 1,000 WCU ceiling).
	writes := &load{from: 0, to: 20 * sim.Second, rate: 2, pick: func(i int) []byte { return store.AppendSyntheticKey(nil, int64(100000+i)) },
		req: Request{Op: units.OpPut, Size: 400 * kb}}
	drive(t, svc, 2*sim.Minute, writes)
	if tb.Partitions() != 2 || len(rec.events) != 1 || rec.events[0].Kind != EventSizeSplit {
		t.Fatalf("%d partitions, events %v; want one size split into 2", tb.Partitions(), rec.events)
	}
	for i := range 2 {
		p := tb.Partition(i)
		if p.write.Rate() != units.WholeUnits(250) || p.read.Rate() != units.WholeUnits(150) {
			t.Errorf("child %d has %v RCU / %v WCU, want half its parent's 300/500", i, p.read.Rate(), p.write.Rate())
		}
		if p.bytes > capacity.PartitionSizeLimit || p.bytes < capacity.PartitionSizeLimit/3 {
			t.Errorf("child %d holds %d bytes", i, p.bytes)
		}
	}
}

// REFERENCE: provisioned — "Decreases: up to 4 in the first hour of a UTC
// day, then 1 per hour, at most 27 a day."
func TestDecreaseLimits(t *testing.T) {
	var d capacity.DecreaseLog
	allowed := func(at sim.Time) bool {
		if d.Allow(at) {
			d.Record(at)
			return true
		}
		return false
	}
	// Four at once in the first minutes of the day.
	for i := range 4 {
		if !allowed(sim.Time(i) * sim.Minute) {
			t.Fatalf("decrease %d refused", i+1)
		}
	}
	if allowed(10 * sim.Minute) {
		t.Fatal("a fifth decrease within the hour was allowed")
	}
	if !allowed(3*sim.Minute + sim.Hour) {
		t.Fatal("a decrease an hour after the last was refused")
	}
	if allowed(3*sim.Minute + sim.Hour + 30*sim.Minute) {
		t.Fatal("two decreases within an hour after the first four")
	}
	// One an hour for the rest of the day: 4 + 23 = 27 in all.
	n := 5
	for h := 2; h < 24; h++ {
		if allowed(sim.Time(h)*sim.Hour + 5*sim.Minute) {
			n++
		}
	}
	if n != 27 {
		t.Fatalf("%d decreases in a day, want 27", n)
	}
	// A new UTC day starts afresh.
	if !allowed(sim.Day+sim.Minute) || !allowed(sim.Day+2*sim.Minute) {
		t.Fatal("the next day's first decreases were refused")
	}
}

// REFERENCE: ondemand — "A table switched from provisioned starts with a
// previous peak of half the highest capacity provisioned since it was
// created, or the new-table defaults if higher", and "provisioned -> on-demand at most 4 times per
// rolling 24 h; back any time."
func TestModeSwitches(t *testing.T) {
	od, prov := OnDemand, Provisioned
	var schedule []CapacityChange
	// Five round trips in the first hours: the fifth switch to on-demand
	// is refused; a day after the first, switching is allowed again.
	for i := range 5 {
		at := sim.Time(i) * sim.Hour
		schedule = append(schedule,
			CapacityChange{At: at + sim.Minute, SwitchTo: &od},
			CapacityChange{At: at + 30*sim.Minute, SwitchTo: &prov})
	}
	schedule = append(schedule, CapacityChange{At: sim.Day + 2*sim.Minute, SwitchTo: &od})
	svc, rec := newTestServiceWith(t, DefaultParams(),
		TableConfig{Name: "t", ReadCapacity: 3000, WriteCapacity: 10000, Schedule: schedule})
	tb := svc.Tables()[0]
	h := newHarness(svc, sim.Day+sim.Hour)
	h.k.Run(sim.Minute + DefaultParams().UpdateDelay)
	if tb.Mode() != OnDemand {
		t.Fatalf("mode %v after the first switch", tb.Mode())
	}
	// Previous peak = half the provisioned 3,000 RCU / 10,000 WCU; the
	// table absorbs twice that, and never less than a new table's
	// 12,000/4,000.
	if rcu, wcu := tb.Capacity(); rcu != 12000 || wcu != 10000 {
		t.Fatalf("on-demand capacity after the switch %d/%d, want 12000/10000", rcu, wcu)
	}
	h.k.Run(sim.Day + sim.Hour)
	var switched, refused int
	for _, e := range rec.events {
		switch {
		case e.Kind == EventModeSwitched && e.Mode == OnDemand:
			switched++
		case e.Kind == EventUpdateRefused && e.Mode == OnDemand:
			refused++
		}
	}
	if switched != 5 || refused != 1 {
		t.Fatalf("%d switches to on-demand, %d refused; want 5 (4 on the first day, 1 on the next) and 1", switched, refused)
	}
	if tb.Mode() != OnDemand {
		t.Fatalf("mode %v at the end", tb.Mode())
	}
}

// REFERENCE: adaptive — adaptive capacity lends a hot partition the
// table's unused capacity, never more than the table has. A table of one
// partition has no other partition to lend for it: 45 KB updates (45 WCU
// each) at 10/s against 25 WCU, burst starting empty, must be admitted at
// 25 WCU/s over 200 s, with adaptive capacity on or off: at most the 5,000
// units refilled, one bucket's 25 and one request's 45 of debt. Before the
// share's admissions counted in full against the table's unused capacity,
// adaptive capacity lent the same capacity again once the table's
// one-second bucket refilled, and the partition sustained 50 WCU/s.
func TestAdaptiveLendsOnlyUnusedCapacity(t *testing.T) {
	for _, adaptive := range []bool{true, false} {
		t.Run(fmt.Sprintf("adaptive=%v", adaptive), func(t *testing.T) {
			p := params(func(p *Params) { p.BurstStartsFull = false; p.Adaptive = adaptive })
			svc, _ := newTestServiceWith(t, p, TableConfig{Name: "t", ReadCapacity: 4, WriteCapacity: 25})
			l := &load{from: 0, to: 200 * sim.Second, rate: 10,
				req: Request{Op: units.OpUpdate, Key: store.AppendSyntheticKey(nil, 1), Size: 45 * kb}}
			drive(t, svc, 200*sim.Second, l)
			got := svc.Tables()[0].ConsumedWrite.Float()
			if got > 25*200+25+45 || got < 25*200-100 {
				t.Errorf("consumed %.0f WCU over 200 s, want about %d (25 WCU/s)", got, 25*200)
			}
		})
	}
}

// REFERENCE: burst, adaptive — a table of one partition has no other
// partition whose unused capacity adaptive capacity could lend it: it
// consumes at most its capacity plus the burst it banked, with adaptive
// capacity on or off. 90 KB puts (90 WCU each) at 1/s against 2 WCU, 300 s
// of burst banked (600 WCU): over 300 s the partition has 600 + 2 x 300 =
// 1,200 WCU, 13 writes. Before a table of one partition stopped lending,
// the table's 2 WCU bucket of unused capacity, when full, let a 90 WCU
// write through into debt that its refill repaid while the share banked
// the same capacity, and the partition consumed 1,800 WCU (20 writes).
func TestOnePartitionBorrowsNothing(t *testing.T) {
	for _, adaptive := range []bool{true, false} {
		t.Run(fmt.Sprintf("adaptive=%v", adaptive), func(t *testing.T) {
			p := params(func(p *Params) { p.Adaptive = adaptive })
			svc, _ := newTestServiceWith(t, p, TableConfig{Name: "t", ReadCapacity: 1, WriteCapacity: 2})
			l := &load{from: 0, to: 300 * sim.Second, rate: 1,
				req: Request{Op: units.OpPut, Key: store.AppendSyntheticKey(nil, 1), Size: 90 * kb}}
			drive(t, svc, 300*sim.Second, l)
			if got := svc.Tables()[0].ConsumedWrite; got != units.WholeUnits(13*90) || l.admitted != 13 {
				t.Errorf("consumed %v WCU in %d writes over 300 s, want 1170 in 13 (600 banked + 2 WCU/s)", got, l.admitted)
			}
		})
	}
}
