package model

import (
	"math/rand/v2"
	"testing"

	"github.com/ddbsim/ddbsim/model/latency"
	"github.com/ddbsim/ddbsim/model/store"
	"github.com/ddbsim/ddbsim/sim"
)

// UpdateTable: a change is UPDATING for the update delay, then in effect;
// decreases count against the day's quota; a fifth switch to on-demand in
// a day is refused.
func TestUpdateTable(t *testing.T) {
	k := sim.New(1)
	cfg := TableConfig{Name: "t", Schema: store.KeySchema{PartitionKey: "pk"}, ReadCapacity: 100, WriteCapacity: 100}
	svc, err := NewService([]TableConfig{cfg}, DefaultParams(), latency.DefaultLatency(), rand.New(rand.NewPCG(1, 1)), &countingRecorder{})
	if err != nil {
		t.Fatal(err)
	}
	svc.Start(k, 3*sim.Day)
	tb := svc.Tables()[0]
	delay := DefaultParams().UpdateDelay

	if !svc.UpdateTable(0, 0, CapacityChange{Read: 50, Write: 50}) {
		t.Fatal("a decrease was refused")
	}
	if !tb.Updating() || tb.DecreasesToday(0) != 1 {
		t.Fatalf("updating %v, decreases %d; want true, 1", tb.Updating(), tb.DecreasesToday(0))
	}
	k.Run(delay)
	if r, w := tb.Capacity(); tb.Updating() || r != 50 || w != 50 {
		t.Fatalf("after the delay: updating %v, capacity %d/%d", tb.Updating(), r, w)
	}
	for i := 2; i <= 4; i++ {
		if !svc.UpdateTable(k.Now(), 0, CapacityChange{Read: int64(50 - i), Write: 50}) {
			t.Fatalf("decrease %d refused", i)
		}
		k.Run(k.Now() + delay)
	}
	if svc.UpdateTable(k.Now(), 0, CapacityChange{Read: 10}) {
		t.Fatal("a fifth decrease within the hour was accepted")
	}
	if got := tb.DecreasesToday(sim.Day + 1); got != 0 {
		t.Fatalf("decreases the next day = %d, want 0", got)
	}
	od, prov := OnDemand, Provisioned
	now := k.Now()
	for i := range 4 {
		if !svc.UpdateTable(now, 0, CapacityChange{SwitchTo: &od}) {
			t.Fatalf("switch %d to on-demand refused", i+1)
		}
		k.Run(now + delay)
		now = k.Now()
		if tb.Mode() != OnDemand {
			t.Fatalf("switch %d: mode %v", i+1, tb.Mode())
		}
		svc.UpdateTable(now, 0, CapacityChange{SwitchTo: &prov, Read: 10, Write: 10})
		k.Run(now + delay)
		now = k.Now()
	}
	if svc.UpdateTable(now, 0, CapacityChange{SwitchTo: &od}) {
		t.Fatal("a fifth switch to on-demand in a day was accepted")
	}
}
