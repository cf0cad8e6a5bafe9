package model

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/ddbsim/ddbsim/model/units"

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
		req := Request{Table: 1, Op: units.OpPut, Key: []byte("x"), Size: 1024}
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

// REFERENCE: prices — provisioned capacity is "billed on the capacity
// provisioned in each hour": raising it at 0:30 bills the whole first hour
// at the higher capacity; lowering it at 1:30 saves from the third hour.
func TestHourlyBilling(t *testing.T) {
	svc, _ := newTestServiceWith(t, params(func(p *Params) { p.UpdateDelay = 0 }),
		TableConfig{Name: "p", ReadCapacity: 100, WriteCapacity: 10, Schedule: []CapacityChange{
			{At: 30 * sim.Minute, Read: 300},
			{At: 90 * sim.Minute, Read: 100},
		}})
	k := sim.New(1)
	svc.Start(k, 3*sim.Hour)
	k.Run(3 * sim.Hour)
	m := svc.Tables()[0].Meter()
	// Hours 1 and 2 at 300 (the most provisioned in each), hour 3 at 100.
	if !near(m.RCUHours, 300+300+100) || !near(m.WCUHours, 30) {
		t.Fatalf("RCU-hours %v, WCU-hours %v; want 700 and 30", m.RCUHours, m.WCUHours)
	}
}

// REFERENCE: provisioned — reserved capacity, in blocks of 100, is paid
// for every hour at its own rate; only capacity above it is billed at the
// hourly rate.
func TestReservedCapacity(t *testing.T) {
	svc, _ := newTestServiceWith(t, DefaultParams(),
		TableConfig{Name: "p", ReadCapacity: 150, WriteCapacity: 100, ReservedRead: 100, ReservedWrite: 200})
	k := sim.New(1)
	svc.Start(k, 2*sim.Hour)
	k.Run(2 * sim.Hour)
	m := svc.Tables()[0].Meter()
	if !near(m.ReservedRCUHours, 200) || !near(m.ReservedWCUHours, 400) || !near(m.RCUHours, 100) || m.WCUHours != 0 {
		t.Fatalf("meter %+v", m)
	}
	book := usEast1Standard
	book.ReservedRCUHour, book.ReservedWCUHour = 0.00013*0.46, 0.00065*0.46 // 54% off, 1 year
	bill := Cost([]Meter{m}, []PriceBook{book}, 2, false)
	want := 200*0.00013*0.46 + 400*0.00065*0.46 + 100*0.00013
	if !near(bill.Total(), want) {
		t.Fatalf("bill $%v, want $%v", bill.Total(), want)
	}
}

// Property: over random meters, every line item is non-negative and the
// line items sum to the total; with the free tier off, costs add up
// across tables.
func TestCostProperties(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 5))
	book := usEast1Standard
	book.ReservedRCUHour, book.ReservedWCUHour = 0.00006, 0.0003
	book.DAXNodeHour, book.ReplicatedWriteRequestUnit, book.ReplicatedWCUHour = 0.269, 0.625e-6, 0.00065
	book.StreamReadRequestUnit = 0.2e-6
	for range 500 {
		n := 1 + r.IntN(4)
		meters := make([]Meter, n)
		books := make([]PriceBook, n)
		for i := range meters {
			meters[i] = Meter{RCUHours: r.Float64() * 1e4, WCUHours: r.Float64() * 1e4, ReadUnits: r.Float64() * 1e9,
				WriteUnits: r.Float64() * 1e9, GBMonths: r.Float64() * 100, ReservedRCUHours: r.Float64() * 1e3,
				ReservedWCUHours: r.Float64() * 1e3, Standard: r.IntN(2) == 0,
				DAXNodeHours: r.Float64() * 100, StreamReadUnits: r.Float64() * 1e7, Replicated: r.IntN(2) == 0}
			// TTL deletions from other replicas are part of a replica's
			// write units.
			meters[i].TTLDeleteUnits = r.Float64() * meters[i].WriteUnits
			books[i] = book
		}
		hours := r.Float64() * 1000
		for _, free := range []bool{true, false} {
			lines := Itemize(meters, books, hours, free)
			sum := 0.0
			for _, l := range lines {
				if l.USD < 0 || l.Free < 0 || l.Free > l.Quantity {
					t.Fatalf("line %+v", l)
				}
				sum += l.USD
			}
			if bill := Cost(meters, books, hours, free); !near(sum, bill.Total()) {
				t.Fatalf("lines sum to %v, total %v", sum, bill.Total())
			}
		}
		parts := 0.0
		for i := range meters {
			parts += Cost(meters[i:i+1], books[i:i+1], hours, false).Total()
		}
		if all := Cost(meters, books, hours, false).Total(); !near(all, parts) {
			t.Fatalf("together $%v, apart $%v", all, parts)
		}
	}
}
