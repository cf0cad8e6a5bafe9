package model

import (
	"testing"

	"github.com/ddbsim/ddbsim/model/store"
	"github.com/ddbsim/ddbsim/model/units"
	"github.com/ddbsim/ddbsim/sim"
)

// REFERENCE: ondemand — a table switched from provisioned starts with a
// previous peak of half the highest capacity provisioned since it was
// created, so it serves at once about what it had provisioned: 8,000 WCU
// switched absorbs 8,000 WRU/s, not 16,000, and 10,000 WCU absorbs 10,000,
// not 18,000.
func TestOnDemandSwitchServesWhatWasProvisioned(t *testing.T) {
	const item = 10 * kb // 10 WRU per write keeps the request count down
	for _, wcu := range []int64{8000, 10000} {
		od := OnDemand
		svc, _ := newTestServiceWith(t, DefaultParams(), TableConfig{Name: "t", ReadCapacity: 100, WriteCapacity: wcu,
			Schedule: []CapacityChange{{At: sim.Second, SwitchTo: &od}}})
		tb := svc.Tables()[0]
		start := sim.Second + DefaultParams().UpdateDelay + sim.Second
		keys := make([][]byte, 10000)
		for i := range keys {
			keys[i] = store.AppendSyntheticKey(nil, int64(i))
		}
		// Twice the provisioned capacity, for 20 s.
		writes := &load{from: start, to: start + 20*sim.Second, rate: float64(2*wcu) / 10, pick: cycle(keys),
			req: Request{Op: units.OpPut, Size: item}}
		drive(t, svc, start+20*sim.Second, writes)
		if tb.Mode() != OnDemand {
			t.Fatalf("%d WCU: mode %v, want on-demand", wcu, tb.Mode())
		}
		if _, got := tb.Capacity(); got != wcu {
			t.Errorf("%d WCU switched: instant capacity %d WRU/s, want %d", wcu, got, wcu)
		}
		perSec := float64(writes.admitted) * 10 / 20
		if perSec < 0.97*float64(wcu) || perSec > 1.05*float64(wcu) {
			t.Errorf("%d WCU switched, offered %d WRU/s: admitted %.0f WRU/s, want about %d", wcu, 2*wcu, perSec, wcu)
		}
	}
}

// REFERENCE: ondemand — a new on-demand table serves 12,000 read or 4,000
// write units/s at once, or a linear combination (reads/12,000 +
// writes/4,000 <= 1). 18,000 eventually consistent 4 KB gets/s (9,000
// RRU) and 3,000 puts/s of 1 KB (3,000 WRU) are 1.5 times that budget: a
// third of the units are refused, though each kind alone fits its limit.
func TestOnDemandReadsAndWritesShareTheBudget(t *testing.T) {
	svc, rec := newTestServiceWith(t, DefaultParams(), TableConfig{Name: "t", Mode: OnDemand, ItemCount: 10000, ItemSize: 4 * kb})
	keys := make([][]byte, 10000)
	for i := range keys {
		keys[i] = store.AppendSyntheticKey(nil, int64(i))
	}
	fresh := make([][]byte, 10000) // puts of new items: an overwrite costs the larger item
	for i := range fresh {
		fresh[i] = store.AppendSyntheticKey(nil, int64(len(keys)+i))
	}
	const secs = 10
	end := secs * sim.Second
	gets := &load{from: 0, to: end, rate: 18000, pick: cycle(keys), req: Request{Op: units.OpGet, Consistency: units.Eventual}}
	puts := &load{from: 0, to: end, rate: 3000, pick: cycle(fresh), req: Request{Op: units.OpPut, Size: kb}}
	drive(t, svc, end, gets, puts)
	tb := svc.Tables()[0]
	if tb.ConsumedRead != units.Units(gets.admitted)*units.Unit/2 || tb.ConsumedWrite != units.Units(puts.admitted)*units.Unit {
		t.Fatalf("consumed %v RRU and %v WRU for %d gets and %d puts, want 0.5 and 1 each", tb.ConsumedRead, tb.ConsumedWrite, gets.admitted, puts.admitted)
	}
	// The budget in read units, after the first two seconds (which spend
	// the bucket that starts full as well): a get takes 0.5, a put 3.
	var admitted float64
	for sec := int64(2); sec < secs; sec++ {
		admitted += 0.5*float64(gets.perSecond[sec]) + 3*float64(puts.perSecond[sec])
	}
	used := admitted / (secs - 2)
	if used < 0.97*12000 || used > 1.05*12000 {
		t.Errorf("admitted %.0f read units/s of the shared budget (%d of %d gets, %d of %d puts), want about 12,000 (%v)",
			used, gets.admitted, gets.sent, puts.admitted, puts.sent, rec.throttles)
	}
}
