package model

import (
	"github.com/ddbsim/ddbsim/model/billing"
	"github.com/ddbsim/ddbsim/sim"
)

// meter puts one period of dt ending now on the table's bill: what the
// table has consumed, stored and provisioned, as plain usage.
//
// The capacity is what was in effect over the period. A change made at
// the period's very end (an update applied at 03:00:00 exactly, as the
// one-second sample at 03:00:00 meters the second before it) is in
// effect from now on, so it is billed from the next period: otherwise an
// increase on the hour would bill the hour before it at the new capacity
// (REFERENCE: prices, "billed on the capacity provisioned in each hour").
func (t *Table) meter(now, dt sim.Time) {
	u := billing.Usage{
		Provisioned:   t.cfg.Mode == Provisioned,
		RCU:           t.rcu,
		WCU:           t.wcu,
		ConsumedRead:  t.ConsumedRead,
		ConsumedWrite: t.ConsumedWrite,
		Bytes:         t.billableBytes(),
		ReservedRead:  t.cfg.ReservedRead,
		ReservedWrite: t.cfg.ReservedWrite,
	}
	if t.stream != nil {
		u.StreamReadUnits, u.HasStream = t.stream.ReadUnits(), true
	}
	if c := t.dax; c != nil && c.tables[0] == t.index {
		u.DAXNodes = c.cfg.Nodes
	}
	if t.capacitySetAt == now && dt > 0 {
		u.RCU, u.WCU = t.rcuBefore, t.wcuBefore
	}
	t.bill.Accrue(dt, u)
}

// Meter returns the table's usage so far, the hour in progress counted
// pro rata.
func (t *Table) Meter() billing.Meter { return t.bill.Meter() }
