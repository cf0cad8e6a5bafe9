package model

import (
	"github.com/ddbsim/ddbsim/model/billing"
	"github.com/ddbsim/ddbsim/sim"
)

// meter puts one period of dt ending now on the table's bill: what the
// table has consumed, stored and provisioned, as plain usage.
func (t *Table) meter(dt sim.Time) {
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
	t.bill.Accrue(dt, u)
}

// Meter returns the table's usage so far, the hour in progress counted
// pro rata.
func (t *Table) Meter() billing.Meter { return t.bill.Meter() }
