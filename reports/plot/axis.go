package plot

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"

	"github.com/ddbsim/ddbsim/model/units"
	"github.com/ddbsim/ddbsim/reports"
)

// timeAxis maps seconds [0, n) onto buckets of w seconds; the last bucket
// may be short. With a series step of u seconds (Series.Step) n and w
// count steps, and x converts a step index to seconds on the time axis.
type timeAxis struct{ n, w, u int }

// newTimeAxisStep is newTimeAxis for series whose indexes cover u
// seconds each: buckets of a whole number of indexes whose span in
// seconds is one of bucketWidths when one fits.
func newTimeAxisStep(n, maxBuckets, u int) timeAxis {
	if u <= 1 {
		return newTimeAxis(n, maxBuckets)
	}
	for _, c := range bucketWidths {
		if c%u == 0 && (n+c/u-1)/(c/u) <= maxBuckets {
			return timeAxis{n: n, w: c / u, u: u}
		}
	}
	w := 1
	for (n+w-1)/w > maxBuckets {
		w *= 2
	}
	return timeAxis{n: n, w: w, u: u}
}

// x is index i's place on the time axis, in seconds.
func (t timeAxis) x(i int) float64 { return float64(i * max(t.u, 1)) }

// flow turns a quantity per index (a count, units consumed) into one per
// second.
func (t timeAxis) flow(v float64) float64 { return v / float64(max(t.u, 1)) }

// secs is a bucket's width in seconds.
func (t timeAxis) secs() int { return t.w * max(t.u, 1) }

// second is what one index is: "second", or "5-minute step".
func (t timeAxis) second() string {
	if t.u <= 1 {
		return "second"
	}
	return durationWords(t.u) + " step"
}

// bucketWidths are the bucket sizes, in seconds, a time axis may use.
var bucketWidths = []int{1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800,
	3600, 7200, 10800, 21600, 43200, 86400}

func newTimeAxis(n, maxBuckets int) timeAxis {
	w := bucketWidths[len(bucketWidths)-1]
	for _, c := range bucketWidths {
		if (n+c-1)/c <= maxBuckets {
			w = c
			break
		}
	}
	for (n+w-1)/w > maxBuckets {
		w *= 2 // runs of years
	}
	return timeAxis{n: n, w: w, u: 1}
}

func (t timeAxis) buckets() int { return (t.n + t.w - 1) / t.w }

// span is bucket b's seconds [lo, hi).
func (t timeAxis) span(b int) (lo, hi int) { return b * t.w, min((b+1)*t.w, t.n) }

// each is "each second" or "each 5-second bucket".
func (t timeAxis) each() string {
	if t.w == 1 {
		return "each " + t.second()
	}
	return "each " + durationWords(t.secs()) + " bucket"
}

// perSecond is "per second", or "per second (means over 5-second buckets)".
func (t timeAxis) perSecond() string {
	if t.secs() == 1 {
		return "per second"
	}
	return "per second (means over " + durationWords(t.secs()) + " buckets)"
}

// axisLabel is the time axis label: "time", or "time (1-minute buckets)".
func (t timeAxis) axisLabel() string {
	if t.secs() == 1 {
		return "time"
	}
	return "time (" + durationWords(t.secs()) + " buckets)"
}

// durationWords names a bucket width: "5-second", "1-minute", "6-hour".
func durationWords(s int) string {
	switch {
	case s%86400 == 0:
		return strconv.Itoa(s/86400) + "-day"
	case s%3600 == 0:
		return strconv.Itoa(s/3600) + "-hour"
	case s%60 == 0:
		return strconv.Itoa(s/60) + "-minute"
	}
	return strconv.Itoa(s) + "-second"
}

// stepLines turns bucket values into step lines (plotter.PostStep), one
// per run of buckets that have a value (ok), so a bucket without one is a
// gap. Each value is drawn across its bucket: a point at its start, and
// after the last a point at the run's end; buckets with the value of the
// one before add no point.
func stepLines(t timeAxis, v []float64, ok []bool) []plotter.XYs {
	var runs []plotter.XYs
	var cur plotter.XYs
	for b := range v {
		if !ok[b] {
			if cur != nil {
				runs, cur = append(runs, cur), nil
			}
			continue
		}
		lo, hi := t.span(b)
		switch {
		case len(cur) > 0 && cur[len(cur)-1].Y == v[b]:
			// The same value as the bucket before: stretch its step
			// (a capacity line is a handful of points).
			cur[len(cur)-1].X = t.x(hi)
		case len(cur) > 0:
			// The closing point of the bucket before becomes this
			// bucket's start.
			cur[len(cur)-1].Y = v[b]
			cur = append(cur, plotter.XY{X: t.x(hi), Y: v[b]})
		default:
			cur = append(cur, plotter.XY{X: t.x(lo), Y: v[b]}, plotter.XY{X: t.x(hi), Y: v[b]})
		}
	}
	if cur != nil {
		runs = append(runs, cur)
	}
	return runs
}

// keepAll is a slice of n trues.
func keepAll(n int) []bool {
	ok := make([]bool, n)
	for i := range ok {
		ok[i] = true
	}
	return ok
}

// bucketMean is the mean of f(s[i]) over bucket b's seconds that keep(i).
// It reports false when none does.
func bucketMean[T any](t timeAxis, b int, s []T, f func(T) float64, keep func(i int) bool) (float64, bool) {
	lo, hi := t.span(b)
	var sum float64
	k := 0
	for i := lo; i < hi && i < len(s); i++ {
		if keep == nil || keep(i) {
			sum += f(s[i])
			k++
		}
	}
	if k == 0 {
		return 0, false
	}
	return sum / float64(k), true
}

func fromCount(v int64) float64       { return float64(v) }
func fromUnits(v units.Units) float64 { return v.Float() }

// linTicks marks a linear axis at round values, four to nine of
// them ("0", "2.5", "250", "10,000"), with no minor ticks.
type linTicks struct{}

func (linTicks) Ticks(lo, hi float64) []plot.Tick {
	if !(hi > lo) {
		return []plot.Tick{{Value: lo, Label: number(lo)}}
	}
	// The largest of 1, 2, 2.5 and 5 times a power of ten that makes
	// at least three steps.
	e := math.Pow(10, math.Floor(math.Log10(hi-lo)))
	step := e / 10
	for _, m := range []float64{5, 2.5, 2, 1, 0.5, 0.25, 0.2, 0.1} {
		if (hi-lo)/(m*e) >= 3 {
			step = m * e
			break
		}
	}
	var ticks []plot.Tick
	for k := math.Ceil(lo/step - 1e-9); k*step <= hi+step*1e-9; k++ {
		v := k * step
		ticks = append(ticks, plot.Tick{Value: v, Label: number(v)})
	}
	return ticks
}

// number formats a tick value: whole numbers with thousands separators,
// others to 3 significant figures.
func number(v float64) string {
	if v == math.Trunc(v) && math.Abs(v) < 1e15 {
		return reports.Commas(int64(v))
	}
	return strconv.FormatFloat(v, 'g', 3, 64)
}

// intTicks marks whole numbers, at most about eight of them.
type intTicks struct{}

func (intTicks) Ticks(lo, hi float64) []plot.Tick {
	first, last := math.Ceil(lo), math.Floor(hi)
	step := niceStep(last-first, 8)
	var ticks []plot.Tick
	for v := math.Ceil(first/step) * step; v <= last; v += step {
		ticks = append(ticks, plot.Tick{Value: v, Label: strconv.Itoa(int(v))})
	}
	return ticks
}

// niceStep is the smallest of 1, 2, 5, 10, 20, ... that divides span
// into at most k steps.
func niceStep(span float64, k int) float64 {
	for e := 1.0; ; e *= 10 {
		for _, m := range []float64{1, 2, 5} {
			if span/(m*e) <= float64(k) {
				return m * e
			}
		}
	}
}

// timeTicks marks a time axis in seconds at round durations ("30s",
// "5m", "1h30m"), about six of them; blank ticks carry no labels (the upper
// panels of a figure).
type timeTicks struct{ blank bool }

// timeSteps are the tick spacings a time axis may use, in seconds.
var timeSteps = []float64{1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800,
	3600, 7200, 10800, 21600, 43200, 86400, 2 * 86400, 7 * 86400, 14 * 86400, 28 * 86400}

func (t timeTicks) Ticks(lo, hi float64) []plot.Tick {
	step := timeSteps[len(timeSteps)-1]
	for _, s := range timeSteps {
		if (hi-lo)/s <= 7 {
			step = s
			break
		}
	}
	var ticks []plot.Tick
	for v := math.Ceil(lo/step) * step; v <= hi+1e-9; v += step {
		tk := plot.Tick{Value: v}
		if !t.blank {
			tk.Label = clock(v)
		}
		ticks = append(ticks, tk)
	}
	return ticks
}

// clock formats whole seconds as a compact duration: "0", "45s", "5m",
// "1h30m", "2d".
func clock(sec float64) string {
	s := int64(math.Round(sec))
	if s == 0 {
		return "0"
	}
	var b strings.Builder
	for _, u := range []struct {
		n    int64
		name string
	}{{86400, "d"}, {3600, "h"}, {60, "m"}, {1, "s"}} {
		if s >= u.n {
			fmt.Fprintf(&b, "%d%s", s/u.n, u.name)
			s %= u.n
		}
	}
	return b.String()
}

// Colours: the Okabe-Ito palette, which colour-blind readers can tell
