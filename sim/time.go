package sim

import (
	"math"
	"time"
)

// Time is a point on the virtual clock, in nanoseconds since the start of
// the run. It is also used for spans of virtual time.
type Time int64

// Units of virtual time.
const (
	Nanosecond  Time = 1
	Microsecond      = 1000 * Nanosecond
	Millisecond      = 1000 * Microsecond
	Second           = 1000 * Millisecond
	Minute           = 60 * Second
	Hour             = 60 * Minute
	Day              = 24 * Hour

	// Never is later than any event a run can schedule.
	Never Time = math.MaxInt64
)

// FromDuration converts a time.Duration (used only as a unit of measure,
// never read from a clock) to virtual time.
func FromDuration(d time.Duration) Time { return Time(d) }

// Seconds returns t in seconds.
func (t Time) Seconds() float64 { return float64(t) / float64(Second) }

// Milliseconds returns t in milliseconds.
func (t Time) Milliseconds() float64 { return float64(t) / float64(Millisecond) }

// String formats t the way time.Duration does ("1m30s").
func (t Time) String() string {
	if t == Never {
		return "never"
	}
	return time.Duration(t).String()
}

// FromSeconds converts seconds to virtual time, rounding to the nearest
// nanosecond.
func FromSeconds(s float64) Time {
	if s >= float64(Never)/float64(Second) {
		return Never
	}
	return Time(math.Round(s * float64(Second)))
}
