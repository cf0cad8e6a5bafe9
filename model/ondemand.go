package model

import "github.com/ddbsim/ddbsim/sim"

// peakTracker follows an on-demand table's sustained peak (REFERENCE:
// ondemand): the table absorbs twice its previous peak instantly; a new,
// higher peak raises that ceiling once OnDemandCatchUp has passed, the
// time the service takes to add capacity.
type peakTracker struct {
	peakReads, peakWrites float64 // the peak the instant capacity follows
	recent                []peakPoint
}

type peakPoint struct {
	at            sim.Time
	reads, writes float64
}

func newPeakTracker(cfg TableConfig) peakTracker {
	return peakTracker{peakReads: cfg.PreviousPeakReads, peakWrites: cfg.PreviousPeakWrites}
}

// observe takes one window's average consumption and returns whether the
// peak the capacity follows has risen. A datapoint counts once it is
// catchUp old.
func (p *peakTracker) observe(now sim.Time, reads, writes float64, catchUp sim.Time) bool {
	p.recent = append(p.recent, peakPoint{now, reads, writes})
	rose := false
	for len(p.recent) > 0 && p.recent[0].at <= now-catchUp {
		pt := p.recent[0]
		p.recent = p.recent[1:]
		if pt.reads > p.peakReads {
			p.peakReads, rose = pt.reads, true
		}
		if pt.writes > p.peakWrites {
			p.peakWrites, rose = pt.writes, true
		}
	}
	return rose
}

// onDemandTick feeds the minute's consumption to the peak tracker and, if
// the instant capacity rises, applies it, doubling partitions as needed.
func (t *Table) onDemandTick(now sim.Time, readPerSec, writePerSec float64, rec Recorder) {
	if !t.od.observe(now, readPerSec, writePerSec, t.p.OnDemandCatchUp) {
		return
	}
	rcu, wcu, rl, wl := t.onDemandCapacity()
	t.odReadLimit, t.odWriteLimit = rl, wl
	if rcu > t.rcu || wcu > t.wcu {
		t.applyCapacity(now, max(rcu, t.rcu), max(wcu, t.wcu), "traffic", rec)
	}
}
