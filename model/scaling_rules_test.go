package model

import (
	"testing"

	"github.com/ddbsim/ddbsim/model/capacity"
	"github.com/ddbsim/ddbsim/model/units"
	"github.com/ddbsim/ddbsim/sim"
)

// keysAcross returns n keys in each of tb's partitions, so that a load
// over them never meets a partition ceiling before the table's capacity.
func keysAcross(tb *Table, n int) [][]byte {
	var keys [][]byte
	for p := range tb.Partitions() {
		keys = append(keys, keysIn(tb, p, n)...)
	}
	return keys
}

// REFERENCE: provisioned — scale in only after 15 datapoints at least 20
// points below target. 600 WCU/s on 1,000 WCU with a 70% target is 60%,
// only 10 points below: the table keeps its 1,000 WCU (it used to scale in
// to ceil(600/0.7) = 858 after 15 minutes). 500 WCU/s, 50%, scales in to
// 715 at the 15th datapoint.
func TestAutoScalingScalesInTwentyPointsBelowTarget(t *testing.T) {
	scaling := &capacity.AutoScaling{Target: 0.7, Min: 100, Max: 2000}
	for _, tt := range []struct {
		rate float64
		want int64 // WCU at the end
	}{{600, 1000}, {500, 715}} {
		svc, rec := newTestServiceWith(t, DefaultParams(),
			TableConfig{Name: "t", ReadCapacity: 100, WriteCapacity: 1000, AutoScaling: scaling})
		tb := svc.Tables()[0]
		writes := &load{from: 0, to: 25 * sim.Minute, rate: tt.rate, pick: cycle(keysAcross(tb, 100)),
			req: Request{Op: units.OpPut, Size: kb}}
		drive(t, svc, 25*sim.Minute, writes)
		if _, wcu := tb.Capacity(); wcu != tt.want {
			t.Errorf("%v WCU/s on 1,000 WCU at a 70%% target: %d WCU after 25 minutes, want %d (events %+v)",
				tt.rate, wcu, tt.want, rec.events)
		}
	}
}

// REFERENCE: ondemand, third bullet; AWS, "Understanding DynamoDB warm
// throughput": a provisioned table lowered from 10,000 to 1,000 WCU can
// raise its capacity again up to its warm throughput at once. Raised to
// 8,000 WCU, it serves 8,000 writes/s from that second (it used to wait
// the update delay and throttle 300,024 writes). A raise above the warm
// throughput still waits UpdateDelay.
func TestRaiseWithinWarmThroughputIsImmediate(t *testing.T) {
	svc, _ := newTestServiceWith(t, DefaultParams(),
		TableConfig{Name: "t", ReadCapacity: 100, WriteCapacity: 10000, Schedule: []CapacityChange{
			{At: sim.Minute, Write: 1000},
			{At: 10 * sim.Minute, Write: 8000},
			{At: 20 * sim.Minute, Write: 12000},
		}})
	tb := svc.Tables()[0]
	writes := &load{from: 10*sim.Minute + sim.Second, to: 13 * sim.Minute, rate: 8000,
		pick: cycle(keysAcross(tb, 100)), req: Request{Op: units.OpPut, Size: kb}}
	h := newHarness(svc, 30*sim.Minute)
	h.add(writes)
	h.k.Run(10 * sim.Minute)
	if _, wcu := tb.Capacity(); wcu != 8000 {
		t.Fatalf("%d WCU right after raising 1,000 -> 8,000 within a warm throughput of 10,000, want 8,000", wcu)
	}
	h.k.Run(13 * sim.Minute)
	if throttled := writes.sent - writes.admitted; throttled != 0 {
		t.Errorf("%d of %d writes throttled at 8,000/s after the raise, want none", throttled, writes.sent)
	}
	h.k.Run(20*sim.Minute + DefaultParams().UpdateDelay - 1)
	if _, wcu := tb.Capacity(); wcu != 8000 {
		t.Errorf("%d WCU before the update delay passed on a raise above the warm throughput, want 8,000", wcu)
	}
	h.k.Run(30 * sim.Minute)
	if _, wcu := tb.Capacity(); wcu != 12000 {
		t.Errorf("%d WCU after the update delay, want 12,000", wcu)
	}
}

// The other reading of warm throughput (docs/model.md): a provisioned
// table given a new table's 4,000 WRU as warm throughput raises 100 ->
// 1,000 WCU at once.
func TestPreWarmedProvisionedTableRaisesAtOnce(t *testing.T) {
	svc, _ := newTestServiceWith(t, DefaultParams(),
		TableConfig{Name: "t", ReadCapacity: 100, WriteCapacity: 100, WarmWrites: 4000,
			Schedule: []CapacityChange{{At: sim.Minute, Write: 1000}}})
	tb := svc.Tables()[0]
	h := newHarness(svc, 2*sim.Minute)
	h.k.Run(sim.Minute)
	if _, wcu := tb.Capacity(); wcu != 1000 {
		t.Fatalf("%d WCU right after raising 100 -> 1,000 with a warm throughput of 4,000, want 1,000", wcu)
	}
}
