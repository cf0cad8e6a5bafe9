package model

import "github.com/ddbsim/ddbsim/sim"

// onDemandTick feeds the minute's consumption to the peak tracker and, if
// the instant capacity rises, applies it, doubling partitions as needed.
func (t *Table) onDemandTick(now sim.Time, readPerSec, writePerSec float64, rec Recorder) {
	if !t.od.Observe(now, readPerSec, writePerSec, t.p.OnDemandCatchUp) {
		return
	}
	rcu, wcu, rl, wl := t.onDemandCapacity()
	t.odReadLimit, t.odWriteLimit = rl, wl
	if rcu > t.rcu || wcu > t.wcu {
		t.applyCapacity(now, max(rcu, t.rcu), max(wcu, t.wcu), "traffic", rec)
	}
}
