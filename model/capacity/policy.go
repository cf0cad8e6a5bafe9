package capacity

import (
	"math"
	"slices"

	"github.com/ddbsim/ddbsim/sim"
)

// AutoScaling is target-tracking auto scaling of a provisioned table's
// reads and writes, each by its own policy with the same settings
// (REFERENCE: provisioned).
type AutoScaling struct {
	Target   float64 // utilisation to aim at, 0.2 to 0.9
	Min, Max int64
}

// Auto scaling alarms (REFERENCE: provisioned; AWS knowledge centre, "How
// do I resolve issues with DynamoDB auto scaling?"): scale out after 2
// consecutive 1-minute datapoints above target; scale in after 15
// consecutive datapoints at least 20 points below target (with a 70%
// target, 50% utilisation or less). A datapoint between the two thresholds
// breaks both runs, so 60% on a 70% target never scales in.
const (
	scaleOutDatapoints = 2
	scaleInDatapoints  = 15
	scaleInMargin      = 0.20
	// utilisationSlack absorbs float rounding in target - margin, so that
	// exactly 20 points below counts as below.
	utilisationSlack = 1e-9
)

// AutoScaler holds each policy's alarm state.
type AutoScaler struct {
	Config      *AutoScaling // nil: the table is not auto scaled
	Read, Write Alarm
}

// Alarm counts one policy's consecutive datapoints above target and at
// least scaleInMargin below it.
type Alarm struct{ above, below int }

// NewAutoScaler returns the alarms of a table scaled by cfg.
func NewAutoScaler(cfg AutoScaling) AutoScaler { return AutoScaler{Config: &cfg} }

// Observe takes one datapoint of consumed units per second against the
// provisioned capacity and returns the capacity the policy asks for, or 0.
// Scaling aims at consumed/target (REFERENCE: provisioned); it sees only
// consumed capacity, so demand that was throttled is invisible to it, and
// a spike shorter than the alarm window is not seen at all.
func (a *Alarm) Observe(consumedPerSec float64, provisioned int64, cfg *AutoScaling) int64 {
	util := consumedPerSec / float64(provisioned)
	want := min(max(int64(math.Ceil(consumedPerSec/cfg.Target)), cfg.Min), cfg.Max)
	switch {
	case util > cfg.Target:
		a.above++
		a.below = 0
		if a.above >= scaleOutDatapoints && want > provisioned {
			return want
		}
	case util <= cfg.Target-scaleInMargin+utilisationSlack:
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

// Acted restarts the alarm's count once its request is made. An alarm
// whose request could not be made (an update was in flight) keeps its
// count, and asks again at the next datapoint.
func (a *Alarm) Acted() { a.above, a.below = 0, 0 }

// DecreaseLog enforces the daily limit on capacity decreases (REFERENCE:
// provisioned): up to 4 at any time in a UTC day, then one more for each
// hour in which there was none, at most 27 a day. Virtual time 0 is
// midnight UTC.
type DecreaseLog struct {
	day   int64
	count int
	last  sim.Time
	any   bool
}

const (
	freeDecreasesPerDay = 4
	maxDecreasesPerDay  = 27
)

// Allow reports whether a decrease may be made at now.
func (d *DecreaseLog) Allow(now sim.Time) bool {
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

// Today counts the decreases made on the UTC day of now.
func (d *DecreaseLog) Today(now sim.Time) int {
	if int64(now/sim.Day) != d.day {
		return 0
	}
	return d.count
}

// Record notes a decrease made at now.
func (d *DecreaseLog) Record(now sim.Time) {
	d.count++
	d.last, d.any = now, true
}

// PeakTracker follows an on-demand table's sustained peak (REFERENCE:
// ondemand): the table absorbs twice its previous peak instantly; a new,
// higher peak raises that ceiling once OnDemandCatchUp has passed, the
// time the service takes to add capacity.
type PeakTracker struct {
	PeakReads, PeakWrites float64 // the peak the instant capacity follows
	recent                []peakPoint
}

type peakPoint struct {
	at            sim.Time
	reads, writes float64
}

// NewPeakTracker starts from a previous peak of reads and writes per
// second (0 for a new table: the warm throughput is the floor).
func NewPeakTracker(reads, writes float64) PeakTracker {
	return PeakTracker{PeakReads: reads, PeakWrites: writes}
}

// Reserve makes room for n datapoints waiting out their catch-up, so
// that observing them does not allocate.
func (p *PeakTracker) Reserve(n int) { p.recent = slices.Grow(p.recent, n) }

// Observe takes one window's average consumption and returns whether the
// peak the capacity follows has risen. A datapoint counts once it is
// catchUp old.
func (p *PeakTracker) Observe(now sim.Time, reads, writes float64, catchUp sim.Time) bool {
	p.recent = append(p.recent, peakPoint{now, reads, writes})
	rose := false
	k := 0
	for ; k < len(p.recent) && p.recent[k].at <= now-catchUp; k++ {
		pt := p.recent[k]
		if pt.reads > p.PeakReads {
			p.PeakReads, rose = pt.reads, true
		}
		if pt.writes > p.PeakWrites {
			p.PeakWrites, rose = pt.writes, true
		}
	}
	// The datapoints still waiting move to the front, so that the slice
	// is reused rather than walked off its end and reallocated.
	p.recent = append(p.recent[:0], p.recent[k:]...)
	return rose
}

// Partition ceilings and size (REFERENCE: partitions): one partition serves
// at most 3,000 read units/s and 1,000 write units/s and holds about 10 GB.
const (
	PartitionReadCeiling  int64 = 3000
	PartitionWriteCeiling int64 = 1000
	PartitionSizeLimit    int64 = 10 << 30
)

// New on-demand tables serve this much at once, their default warm
// throughput (REFERENCE: ondemand).
const (
	OnDemandWarmReads  int64 = 12000
	OnDemandWarmWrites int64 = 4000
)

// OnDemandInstant is what an on-demand table absorbs at once of one kind
// before its account quota and its own maximum: the larger of the
// default warm throughput floor, its own warm throughput warm, and twice
// its previous peak (REFERENCE: ondemand).
func OnDemandInstant(floor, warm int64, peak float64) int64 {
	return max(floor, warm, int64(math.Ceil(2*peak)))
}

// OnDemandBudget is what an on-demand table's reads and writes share each
// second, in read units, a write unit counting as OnDemandWarmReads /
// OnDemandWarmWrites (3) read units (REFERENCE: ondemand; AWS "On-demand
// capacity mode" and "Warm throughput"): a new table serves 12,000 read or
// 4,000 write units/s "or a linear combination of the two", that is
// reads/12,000 + writes/4,000 <= 1. The warm throughput's corners (the
// defaults, or higher pre-warmed values) bound the budget from below, and
// twice the previous peak's reads and writes together from above it, so
// that a table absorbs twice a peak of both at once and a table switched
// from provisioned serves its highest reads and writes together.
func OnDemandBudget(warmReads, warmWrites int64, peakReads, peakWrites float64) int64 {
	const writeReads = OnDemandWarmReads / OnDemandWarmWrites
	warm := max(OnDemandWarmReads, warmReads, writeReads*max(OnDemandWarmWrites, warmWrites))
	return max(warm, int64(math.Ceil(2*(peakReads+float64(writeReads)*peakWrites))))
}

// InitialPartitions is the published allocation rule (REFERENCE:
// partitions): ceil(RCU/3000 + WCU/1000), at least 1, and enough
// partitions to hold the stored bytes at 10 GB each.
func InitialPartitions(rcu, wcu, bytes int64) int {
	byThroughput := (rcu + 3*wcu + 2999) / 3000 // RCU/3000 + WCU/1000, in 1/3000ths
	bySize := (bytes + PartitionSizeLimit - 1) / PartitionSizeLimit
	return int(max(1, byThroughput, bySize))
}
