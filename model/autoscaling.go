package model

import (
	"math"

	"github.com/ddbsim/ddbsim/sim"
)

// AutoScaling is target-tracking auto scaling of a provisioned table's
// reads and writes, each by its own policy with the same settings
// (REFERENCE: provisioned).
type AutoScaling struct {
	Target   float64 // utilisation to aim at, 0.2 to 0.9
	Min, Max int64
}

// Auto scaling alarms (REFERENCE: provisioned): scale out after 2
// consecutive 1-minute datapoints above target, scale in after 15 below.
const (
	scaleOutDatapoints = 2
	scaleInDatapoints  = 15
)

// autoScaler holds each policy's alarm state.
type autoScaler struct {
	cfg         *AutoScaling
	read, write alarm
}

type alarm struct{ above, below int }

func newAutoScaler(cfg AutoScaling) autoScaler { return autoScaler{cfg: &cfg} }

// observe takes one datapoint of consumed units per second against the
// provisioned capacity and returns the capacity the policy asks for, or 0.
// Scaling aims at consumed/target (REFERENCE: provisioned); it sees only
// consumed capacity, so demand that was throttled is invisible to it, and
// a spike shorter than the alarm window is not seen at all.
func (a *alarm) observe(consumedPerSec float64, provisioned int64, cfg *AutoScaling) int64 {
	util := consumedPerSec / float64(provisioned)
	want := min(max(int64(math.Ceil(consumedPerSec/cfg.Target)), cfg.Min), cfg.Max)
	switch {
	case util > cfg.Target:
		a.above++
		a.below = 0
		if a.above >= scaleOutDatapoints && want > provisioned {
			return want
		}
	case util < cfg.Target:
		a.below++
		a.above = 0
		if a.below >= scaleInDatapoints && want < provisioned {
			return want
		}
	default:
		a.above, a.below = 0, 0
	}
	return 0
}

// acted restarts the alarm's count once its request is made. An alarm
// whose request could not be made (an update was in flight) keeps its
// count, and asks again at the next datapoint.
func (a *alarm) acted() { a.above, a.below = 0, 0 }

// autoScaleTick evaluates both policies on the last minute's datapoint and
// requests the table update they call for. While an update is in flight
// the alarms keep counting but nothing new is requested: the table is in
// UPDATING state.
func (t *Table) autoScaleTick(now sim.Time, readPerSec, writePerSec float64, rec Recorder, k *sim.Kernel) {
	s := &t.scaling
	if s.cfg == nil {
		return
	}
	r := s.read.observe(readPerSec, t.rcu, s.cfg)
	w := s.write.observe(writePerSec, t.wcu, s.cfg)
	if (r == 0 && w == 0) || t.pending != nil {
		return
	}
	if r != 0 {
		s.read.acted()
	}
	if w != 0 {
		s.write.acted()
	}
	t.requestUpdate(now, r, w, "autoscaling", rec, k)
}

// decreaseLog enforces the daily limit on capacity decreases (REFERENCE:
// provisioned): up to 4 at any time in a UTC day, then one more for each
// hour in which there was none, at most 27 a day. Virtual time 0 is
// midnight UTC.
type decreaseLog struct {
	day   int64
	count int
	last  sim.Time
	any   bool
}

const (
	freeDecreasesPerDay = 4
	maxDecreasesPerDay  = 27
)

func (d *decreaseLog) allow(now sim.Time) bool {
	if day := int64(now / sim.Day); day != d.day {
		d.day, d.count = day, 0
	}
	switch {
	case d.count < freeDecreasesPerDay:
		return true
	case d.count >= maxDecreasesPerDay:
		return false
	default:
		return !d.any || now-d.last >= sim.Hour
	}
}

func (d *decreaseLog) record(now sim.Time) {
	d.count++
	d.last, d.any = now, true
}
