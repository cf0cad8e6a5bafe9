package model

import (
	"math"
	"testing"

	"github.com/ddbsim/ddbsim/model/billing"
	"github.com/ddbsim/ddbsim/model/units"
	"github.com/ddbsim/ddbsim/sim"
)

var usEast1Standard = billing.PriceBook{ReadRequestUnit: 0.125e-6, WriteRequestUnit: 0.625e-6,
	RCUHour: 0.00013, WCUHour: 0.00065, StorageGBMonth: 0.25}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9*max(1, math.Abs(b)) }

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

// An update applied on the hour is billed from that hour, whichever of
// the update and the one-second sample at that instant runs first
// (REFERENCE: prices, "billed on the capacity provisioned in each hour"):
// raised at 1:00 and lowered at 2:00 exactly, hour 1 is billed at 100,
// hour 2 at 300 and hour 3 at 100 again. An import replaying a table's
// ProvisionedReadCapacityUnits does this every time its level changes.
func TestUpdateOnTheHour(t *testing.T) {
	svc, _ := newTestServiceWith(t, params(func(p *Params) { p.UpdateDelay = 0 }),
		TableConfig{Name: "p", ReadCapacity: 100, WriteCapacity: 10, Schedule: []CapacityChange{
			{At: sim.Hour, Read: 300},
			{At: 2 * sim.Hour, Read: 100},
		}})
	k := sim.New(1)
	svc.Start(k, 3*sim.Hour)
	k.Run(3 * sim.Hour)
	m := svc.Tables()[0].Meter()
	if !near(m.RCUHours, 100+300+100) || !near(m.WCUHours, 30) {
		t.Fatalf("RCU-hours %v, WCU-hours %v; want 500 and 30", m.RCUHours, m.WCUHours)
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
	bill := billing.Cost([]billing.Meter{m}, []billing.PriceBook{book}, 2, false)
	want := 200*0.00013*0.46 + 400*0.00065*0.46 + 100*0.00013
	if !near(bill.Total(), want) {
		t.Fatalf("bill $%v, want $%v", bill.Total(), want)
	}
}
