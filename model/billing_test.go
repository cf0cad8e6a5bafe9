package model

import (
	"math"
	"testing"

	"github.com/ddbsim/ddbsim/sim"
)

var usEast1Standard = PriceBook{ReadRequestUnit: 0.125e-6, WriteRequestUnit: 0.625e-6,
	RCUHour: 0.00013, WCUHour: 0.00065, StorageGBMonth: 0.25}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9*max(1, math.Abs(b)) }

// REFERENCE: prices — "100 RCU + 100 WCU provisioned for 720 h = $9.36 +
// $46.80 = $56.16 (storage aside)"; on-demand $0.625 per million write
// and $0.125 per million read request units; storage $0.25 per GB-month,
// the first 25 GB free; the free tier's 25 RCU + 25 WCU.
func TestCost(t *testing.T) {
	tests := []struct {
		name     string
		meter    Meter
		hours    float64
		freeTier bool
		want     Bill
	}{
		{"the worked example", Meter{RCUHours: 100 * 720, WCUHours: 100 * 720, Standard: true}, 720, false,
			Bill{ItemReadCapacity: 9.36, ItemWriteCapacity: 46.80}},
		{"with the free tier", Meter{RCUHours: 100 * 720, WCUHours: 100 * 720, Standard: true}, 720, true,
			Bill{ItemReadCapacity: 75 * 720 * 0.00013, ItemWriteCapacity: 75 * 720 * 0.00065}},
		{"on-demand, a million of each", Meter{ReadUnits: 1e6, WriteUnits: 1e6, Standard: true}, 1, true,
			Bill{ItemReadRequests: 0.125, ItemWriteRequests: 0.625}},
		{"125 GB for a month", Meter{GBMonths: 125, Standard: true}, HoursPerMonth, true,
			Bill{ItemStorage: 25}},
		{"Standard-IA has no free tier", Meter{RCUHours: 10, GBMonths: 1}, HoursPerMonth, true,
			Bill{ItemReadCapacity: 10 * 0.00013, ItemStorage: 0.25}},
	}
	for _, tt := range tests {
		got := Cost([]Meter{tt.meter}, []PriceBook{usEast1Standard}, tt.hours, tt.freeTier)
		for _, item := range LineItems {
			if !near(got[item], tt.want[item]) {
				t.Errorf("%s: %s = $%v, want $%v", tt.name, item, got[item], tt.want[item])
			}
		}
	}
}

// Property: costs are additive — the bill of two tables is the sum of
// their bills, when the free tier does not split between them.
func TestCostIsAdditive(t *testing.T) {
	a := Meter{RCUHours: 123, WCUHours: 45, ReadUnits: 6e5, WriteUnits: 7e4, GBMonths: 3}
	b := Meter{RCUHours: 9, WCUHours: 800, ReadUnits: 1, WriteUnits: 2e6, GBMonths: 0.5}
	books := []PriceBook{usEast1Standard, usEast1Standard}
	both := Cost([]Meter{a, b}, books, 10, false).Total()
	sum := Cost([]Meter{a}, books[:1], 10, false).Total() + Cost([]Meter{b}, books[:1], 10, false).Total()
	if !near(both, sum) {
		t.Fatalf("two tables cost $%v together, $%v apart", both, sum)
	}
}

// A provisioned table is billed for its capacity whether used or not; an
// on-demand table only for what it consumed (REFERENCE: ondemand, "Zero
// traffic costs zero throughput charges").
func TestMetering(t *testing.T) {
	svc, _ := newTestServiceWith(t, DefaultParams(),
		TableConfig{Name: "p", ReadCapacity: 100, WriteCapacity: 50},
		TableConfig{Name: "o", Mode: OnDemand})
	k := sim.New(1)
	svc.Start(k, sim.Hour)
	k.Every(0, sim.Second, sim.Hour-1, sim.HandlerFunc(func(now sim.Time) {
		req := Request{Table: 1, Op: OpPut, Key: []byte("x"), Size: 1024}
		svc.Handle(now, &req)
	}))
	k.Run(sim.Hour)
	svc.Settle()
	p, o := svc.Tables()[0].Meter(), svc.Tables()[1].Meter()
	if !near(p.RCUHours, 100) || !near(p.WCUHours, 50) || p.ReadUnits != 0 {
		t.Errorf("provisioned meter %+v, want 100 RCU-hours and 50 WCU-hours", p)
	}
	if o.RCUHours != 0 || o.WriteUnits != 3600 || o.ReadUnits != 0 {
		t.Errorf("on-demand meter %+v, want 3,600 write units and nothing else", o)
	}
}
