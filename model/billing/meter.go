package billing

import (
	"github.com/ddbsim/ddbsim/model/units"
	"github.com/ddbsim/ddbsim/sim"
)

// Usage is what a table has done so far, in plain numbers, as the
// service hands it to its Accrual once per period.
type Usage struct {
	// Provisioned is true for a provisioned table, billed for RCU and WCU
	// by the hour; an on-demand table is billed for the units it consumed.
	Provisioned bool
	// RCU and WCU are the provisioned capacity in effect over the period.
	RCU, WCU int64
	// ConsumedRead and ConsumedWrite are the capacity consumed over the
	// run so far (running totals).
	ConsumedRead, ConsumedWrite units.Units
	// Bytes is the billable stored bytes, 100 B per item included.
	Bytes int64
	// StreamReadUnits is the billed GetRecords calls of the table's
	// stream so far; HasStream says whether the table has one.
	StreamReadUnits int64
	HasStream       bool
	// DAXNodes is the node count of the DAX cluster the table owns (a
	// cluster is billed on the first table it serves); 0 for none.
	DAXNodes int
	// ReservedRead and ReservedWrite are reserved capacity units.
	ReservedRead, ReservedWrite int64
}

// Accrual turns a table's usage, period by period, into its Meter.
// Totals holds what is not usage: the table class (Standard), whether the
// table is a global table's replica, and replicated TTL deletions, which
// the service sets on it directly.
type Accrual struct {
	Totals Meter
	// billedRead and billedWrite are the consumption already on the meter.
	billedRead, billedWrite units.Units
	// The clock hour in progress: the most provisioned in it, and how much
	// of it has passed.
	hourRCU, hourWCU int64
	hourElapsed      sim.Time
	// reservedRead and reservedWrite are the last period's reserved
	// capacity, which the hour in progress is billed above.
	reservedRead, reservedWrite int64
}

// Accrue adds one period of dt ending now. Provisioned capacity is billed
// by the clock hour on the most provisioned during that hour (REFERENCE:
// prices, "billed on the capacity provisioned in each hour"): an increase
// bills the whole hour at the new capacity, a decrease starts to save from
// the next hour. The hour in progress is kept apart until it ends; Meter
// counts it pro rata, so a run shorter than an hour pays for the part it
// ran. Reserved capacity (REFERENCE: provisioned) is paid for every hour
// at its own rate, whatever is provisioned, and only the capacity above it
// is billed at the hourly rate.
func (a *Accrual) Accrue(dt sim.Time, u Usage) {
	hours := dt.Seconds() / 3600
	m := &a.Totals
	a.reservedRead, a.reservedWrite = u.ReservedRead, u.ReservedWrite
	if u.Provisioned {
		a.hourRCU, a.hourWCU = max(a.hourRCU, u.RCU), max(a.hourWCU, u.WCU)
	} else {
		m.ReadUnits += (u.ConsumedRead - a.billedRead).Float()
		m.WriteUnits += (u.ConsumedWrite - a.billedWrite).Float()
	}
	a.billedRead, a.billedWrite = u.ConsumedRead, u.ConsumedWrite
	m.GBMonths += float64(u.Bytes) / (1 << 30) * hours / HoursPerMonth
	if u.HasStream {
		m.StreamReadUnits = float64(u.StreamReadUnits)
	}
	if u.DAXNodes > 0 {
		m.DAXNodeHours += float64(u.DAXNodes) * hours
	}
	m.ReservedRCUHours += float64(u.ReservedRead) * hours
	m.ReservedWCUHours += float64(u.ReservedWrite) * hours
	a.hourElapsed += dt
	if a.hourElapsed >= sim.Hour {
		m.RCUHours += hourly(a.hourRCU, u.ReservedRead, 1)
		m.WCUHours += hourly(a.hourWCU, u.ReservedWrite, 1)
		a.hourElapsed -= sim.Hour
		// The next hour starts empty: its first period brings the
		// capacity in effect in it, not the one at this instant, which
		// an update at the very boundary may be about to change.
		a.hourRCU, a.hourWCU = 0, 0
	}
}

// hourly is the capacity billed at the hourly rate for hours of an hour
// whose most provisioned was peak: what reserved capacity does not cover.
func hourly(peak, reserved int64, hours float64) float64 {
	return float64(max(0, peak-reserved)) * hours
}

// Meter returns the usage so far, the hour in progress counted pro rata.
func (a *Accrual) Meter() Meter {
	m := a.Totals
	part := a.hourElapsed.Seconds() / 3600
	m.RCUHours += hourly(a.hourRCU, a.reservedRead, part)
	m.WCUHours += hourly(a.hourWCU, a.reservedWrite, part)
	return m
}

// BreakEven is the average utilisation above which provisioned capacity
// costs less than on-demand: a unit-hour of capacity serves up to 3,600
// request units in that hour, which on demand cost 3,600 x the request
// unit's price (REFERENCE: prices). It is +Inf when requests are free.
func BreakEven(unitHourUSD, requestUnitUSD float64) float64 {
	return unitHourUSD / (3600 * requestUnitUSD)
}

// BreakEven is the break-even utilisation of the book's reads and writes.
func (b PriceBook) BreakEven() (reads, writes float64) {
	return BreakEven(b.RCUHour, b.ReadRequestUnit), BreakEven(b.WCUHour, b.WriteRequestUnit)
}
