package billing

import (
	"math"
	"math/rand/v2"
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

// The accrual bills provisioned capacity by the clock hour on the most
// provisioned in it (REFERENCE: prices): 100 RCU for half an hour, then
// 300, bills the first hour at 300; the hour in progress counts pro rata.
func TestAccrualBillsTheHourAtItsPeak(t *testing.T) {
	var a Accrual
	for s := range 7200 {
		rcu := int64(100)
		if s >= 1800 && s < 5400 {
			rcu = 300
		}
		a.Accrue(sim.Second, Usage{Provisioned: true, RCU: rcu, WCU: 10})
		if s == 5399 {
			if m := a.Meter(); !near(m.RCUHours, 300+0.5*300) {
				t.Fatalf("after 1.5 h: %v RCU-hours, want 450", m.RCUHours)
			}
		}
	}
	if m := a.Meter(); !near(m.RCUHours, 600) || !near(m.WCUHours, 20) {
		t.Fatalf("after 2 h: %v RCU-hours and %v WCU-hours, want 600 and 20", m.RCUHours, m.WCUHours)
	}
}

// On demand, only consumption is billed, the difference of running totals.
func TestAccrualBillsOnDemandConsumption(t *testing.T) {
	var a Accrual
	a.Accrue(sim.Second, Usage{ConsumedRead: 1500, ConsumedWrite: 2000})
	a.Accrue(sim.Second, Usage{ConsumedRead: 2500, ConsumedWrite: 2000})
	if m := a.Meter(); m.ReadUnits != 2.5 || m.WriteUnits != 2 || m.RCUHours != 0 {
		t.Fatalf("meter %+v, want 2.5 read and 2 write units", m)
	}
}

// REFERENCE: prices — at $0.00065 a WCU-hour and $0.625 a million write
// request units, provisioned is cheaper above 0.00065 / (3,600 x
// 0.625e-6) = 28.9% utilisation.
func TestBreakEven(t *testing.T) {
	if _, w := usEast1Standard.BreakEven(); !near(w, 0.00065/(3600*0.625e-6)) || w < 0.288 || w > 0.289 {
		t.Fatalf("write break-even %v", w)
	}
}
