package model

import (
	"github.com/ddbsim/ddbsim/sim"
)

// autoScaleTick evaluates both policies on the last minute's datapoint and
// requests the table update they call for. While an update is in flight
// the alarms keep counting but nothing new is requested: the table is in
// UPDATING state.
func (t *Table) autoScaleTick(now sim.Time, readPerSec, writePerSec float64, rec Recorder, sched Scheduler) {
	s := &t.scaling
	if s.Config == nil {
		return
	}
	r := s.Read.Observe(readPerSec, t.rcu, s.Config)
	w := s.Write.Observe(writePerSec, t.wcu, s.Config)
	if (r == 0 && w == 0) || t.pending != nil {
		return
	}
	if r != 0 {
		s.Read.Acted()
	}
	if w != 0 {
		s.Write.Acted()
	}
	t.requestUpdate(now, r, w, "autoscaling", rec, sched)
}
