package model

import "github.com/ddbsim/ddbsim/sim"

// Billing (REFERENCE: prices). A Meter accrues what a table is billed for
// as the run goes; Cost prices the meters of all tables with a PriceBook,
// applying the always-free tier once for the account.

// PriceBook holds the prices of one region and table class, in US dollars.
type PriceBook struct {
	ReadRequestUnit, WriteRequestUnit float64 // per on-demand request unit
	RCUHour, WCUHour                  float64 // per provisioned unit-hour
	StorageGBMonth                    float64 // per GB-month
}

// The free tier (REFERENCE: prices): 25 GB of storage and 25 RCU + 25 WCU of
// provisioned capacity, always, for the account's Standard tables.
const (
	FreeStorageGB = 25
	FreeRCU       = 25
	FreeWCU       = 25
)

// HoursPerMonth is the month the service's prices assume for a GB-month
// and for monthly estimates: 730 hours (365 x 24 / 12).
const HoursPerMonth = 730

// Meter is a table's billable usage so far.
type Meter struct {
	// RCUHours and WCUHours are provisioned capacity times time, billed
	// whether used or not; zero for on-demand tables.
	RCUHours, WCUHours float64
	// ReadUnits and WriteUnits are request units an on-demand table
	// consumed; zero traffic costs nothing (REFERENCE: ondemand).
	ReadUnits, WriteUnits float64
	// GBMonths is stored bytes, with 100 B per item (REFERENCE: units),
	// times time.
	GBMonths float64
	// Standard is false for a Standard-IA table, which the free tier
	// does not cover.
	Standard bool
}

// meter accrues one period of dt ending at now. Provisioned capacity is
// prorated by the second: the service bills by the hour, on the capacity
// provisioned in that hour, so for runs with capacity changes inside an
// hour ddbsim's figure is the time-weighted one (an approximation, in
// the README).
func (t *Table) meter(dt sim.Time) {
	hours := dt.Seconds() / 3600
	m := &t.bill
	if t.cfg.Mode == Provisioned {
		m.RCUHours += float64(t.rcu) * hours
		m.WCUHours += float64(t.wcu) * hours
	} else {
		m.ReadUnits += (t.ConsumedRead - t.billedRead).Float()
		m.WriteUnits += (t.ConsumedWrite - t.billedWrite).Float()
	}
	t.billedRead, t.billedWrite = t.ConsumedRead, t.ConsumedWrite
	m.GBMonths += float64(t.store.BillableBytes()) / (1 << 30) * hours / HoursPerMonth
}

// Meter returns the table's usage so far.
func (t *Table) Meter() Meter { return t.bill }

// Line items of a bill.
const (
	ItemReadCapacity  = "read_capacity"  // provisioned RCU-hours
	ItemWriteCapacity = "write_capacity" // provisioned WCU-hours
	ItemReadRequests  = "read_requests"  // on-demand read request units
	ItemWriteRequests = "write_requests" // on-demand write request units
	ItemStorage       = "storage"
)

// LineItems lists the line items in the order reports show them.
var LineItems = []string{ItemReadCapacity, ItemWriteCapacity, ItemReadRequests, ItemWriteRequests, ItemStorage}

// Bill is the cost of the meters so far, by line item.
type Bill map[string]float64

// Total sums the line items.
func (b Bill) Total() float64 {
	total := 0.0
	for _, item := range LineItems {
		total += b[item]
	}
	return total
}

// Charge is one line of a bill: a quantity of a billed unit, less what
// the free tier covers, times its price.
type Charge struct {
	Table    int
	Item     string  // one of LineItems
	Unit     string  // "RCU-hours", "WCU-hours", "read request units", "write request units", "GB-months"
	Quantity float64 // used
	Free     float64 // covered by the free tier
	Price    float64 // US dollars per unit
	USD      float64 // (Quantity - Free) x Price
}

// Itemize prices the tables' meters after hours of run time, one Charge
// per table and line item used. books[i] prices meters[i]. With freeTier,
// the free tier's capacity (25 RCU and 25 WCU for every hour) and storage
// (25 GB for every month) come off the Standard tables' provisioned
// capacity and storage, once for the account, in table order.
func Itemize(meters []Meter, books []PriceBook, hours float64, freeTier bool) []Charge {
	freeRCU, freeWCU := FreeRCU*hours, FreeWCU*hours
	freeGB := FreeStorageGB * hours / HoursPerMonth
	if !freeTier {
		freeRCU, freeWCU, freeGB = 0, 0, 0
	}
	var out []Charge
	add := func(table int, item, unit string, used float64, pool *float64, standard bool, price float64) {
		if used <= 0 {
			return
		}
		free := 0.0
		if pool != nil && standard {
			free = min(used, *pool)
			*pool -= free
		}
		out = append(out, Charge{Table: table, Item: item, Unit: unit, Quantity: used, Free: free,
			Price: price, USD: (used - free) * price})
	}
	for i, m := range meters {
		b := books[i]
		add(i, ItemReadCapacity, "RCU-hours", m.RCUHours, &freeRCU, m.Standard, b.RCUHour)
		add(i, ItemWriteCapacity, "WCU-hours", m.WCUHours, &freeWCU, m.Standard, b.WCUHour)
		add(i, ItemReadRequests, "read request units", m.ReadUnits, nil, m.Standard, b.ReadRequestUnit)
		add(i, ItemWriteRequests, "write request units", m.WriteUnits, nil, m.Standard, b.WriteRequestUnit)
		add(i, ItemStorage, "GB-months", m.GBMonths, &freeGB, m.Standard, b.StorageGBMonth)
	}
	return out
}

// Cost sums Itemize by line item.
func Cost(meters []Meter, books []PriceBook, hours float64, freeTier bool) Bill {
	bill := Bill{}
	for _, c := range Itemize(meters, books, hours, freeTier) {
		bill[c.Item] += c.USD
	}
	return bill
}
