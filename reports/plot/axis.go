package plot

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"

	"github.com/ddbsim/ddbsim/model"
	"github.com/ddbsim/ddbsim/reports"
)

// plotTime maps seconds [0, n) onto buckets of w seconds; the last bucket
// may be short. With a series step of u seconds (Series.Step) n and w
// count steps, and x converts a step index to seconds on the time axis.
type plotTime struct{ n, w, u int }

// plotTimeAxisStep is plotTimeAxis for series whose indexes cover u
// seconds each: buckets of a whole number of indexes whose span in
// seconds is one of plotBucketWidths when one fits.
func plotTimeAxisStep(n, maxBuckets, u int) plotTime {
	if u <= 1 {
		return plotTimeAxis(n, maxBuckets)
	}
	for _, c := range plotBucketWidths {
		if c%u == 0 && (n+c/u-1)/(c/u) <= maxBuckets {
			return plotTime{n: n, w: c / u, u: u}
		}
	}
	w := 1
	for (n+w-1)/w > maxBuckets {
		w *= 2
	}
	return plotTime{n: n, w: w, u: u}
}

// x is index i's place on the time axis, in seconds.
func (t plotTime) x(i int) float64 { return float64(i * max(t.u, 1)) }

// flow turns a quantity per index (a count, units consumed) into one per
// second.
func (t plotTime) flow(v float64) float64 { return v / float64(max(t.u, 1)) }

// secs is a bucket's width in seconds.
func (t plotTime) secs() int { return t.w * max(t.u, 1) }

// second is what one index is: "second", or "5-minute step".
func (t plotTime) second() string {
	if t.u <= 1 {
		return "second"
	}
	return plotDurationWords(t.u) + " step"
}

// plotBucketWidths are the bucket sizes, in seconds, a time axis may use.
var plotBucketWidths = []int{1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800,
	3600, 7200, 10800, 21600, 43200, 86400}

func plotTimeAxis(n, maxBuckets int) plotTime {
	w := plotBucketWidths[len(plotBucketWidths)-1]
	for _, c := range plotBucketWidths {
		if (n+c-1)/c <= maxBuckets {
			w = c
			break
		}
	}
	for (n+w-1)/w > maxBuckets {
		w *= 2 // runs of years
	}
	return plotTime{n: n, w: w, u: 1}
}

func (t plotTime) buckets() int { return (t.n + t.w - 1) / t.w }

// span is bucket b's seconds [lo, hi).
func (t plotTime) span(b int) (lo, hi int) { return b * t.w, min((b+1)*t.w, t.n) }

// each is "each second" or "each 5-second bucket".
func (t plotTime) each() string {
	if t.w == 1 {
		return "each " + t.second()
	}
	return "each " + plotDurationWords(t.secs()) + " bucket"
}

// perSecond is "per second", or "per second (means over 5-second buckets)".
func (t plotTime) perSecond() string {
	if t.secs() == 1 {
		return "per second"
	}
	return "per second (means over " + plotDurationWords(t.secs()) + " buckets)"
}

// axisLabel is the time axis label: "time", or "time (1-minute buckets)".
func (t plotTime) axisLabel() string {
	if t.secs() == 1 {
		return "time"
	}
	return "time (" + plotDurationWords(t.secs()) + " buckets)"
}

// plotDurationWords names a bucket width: "5-second", "1-minute", "6-hour".
func plotDurationWords(s int) string {
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

// plotSteps turns bucket values into step lines (plotter.PostStep), one
// per run of buckets that have a value (ok), so a bucket without one is a
// gap. Each value is drawn across its bucket: a point at its start, and
// after the last a point at the run's end; buckets with the value of the
// one before add no point.
func plotSteps(t plotTime, v []float64, ok []bool) []plotter.XYs {
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

// plotAll is a slice of n trues.
func plotAll(n int) []bool {
	ok := make([]bool, n)
	for i := range ok {
		ok[i] = true
	}
	return ok
}

// plotMean is the mean of f(s[i]) over bucket b's seconds that keep(i).
// It reports false when none does.
func plotMean[T any](t plotTime, b int, s []T, f func(T) float64, keep func(i int) bool) (float64, bool) {
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

func plotCount(v int64) float64       { return float64(v) }
func plotUnits(v model.Units) float64 { return v.Float() }

// plotLinTicks marks a linear axis at round values, four to nine of
// them ("0", "2.5", "250", "10,000"), with no minor ticks.
type plotLinTicks struct{}

func (plotLinTicks) Ticks(lo, hi float64) []plot.Tick {
	if !(hi > lo) {
		return []plot.Tick{{Value: lo, Label: plotNumber(lo)}}
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
		ticks = append(ticks, plot.Tick{Value: v, Label: plotNumber(v)})
	}
	return ticks
}

// plotNumber formats a tick value: whole numbers with thousands separators,
// others to 3 significant figures.
func plotNumber(v float64) string {
	if v == math.Trunc(v) && math.Abs(v) < 1e15 {
		return reports.Commas(int64(v))
	}
	return strconv.FormatFloat(v, 'g', 3, 64)
}

// plotIntTicks marks whole numbers, at most about eight of them.
type plotIntTicks struct{}

func (plotIntTicks) Ticks(lo, hi float64) []plot.Tick {
	first, last := math.Ceil(lo), math.Floor(hi)
	step := plotNiceStep(last-first, 8)
	var ticks []plot.Tick
	for v := math.Ceil(first/step) * step; v <= last; v += step {
		ticks = append(ticks, plot.Tick{Value: v, Label: strconv.Itoa(int(v))})
	}
	return ticks
}

// plotNiceStep is the smallest of 1, 2, 5, 10, 20, ... that divides span
// into at most k steps.
func plotNiceStep(span float64, k int) float64 {
	for e := 1.0; ; e *= 10 {
		for _, m := range []float64{1, 2, 5} {
			if span/(m*e) <= float64(k) {
				return m * e
			}
		}
	}
}

// plotTimeTicks marks a time axis in seconds at round durations ("30s",
// "5m", "1h30m"), about six of them; blank ticks carry no labels (the upper
// panels of a figure).
type plotTimeTicks struct{ blank bool }

// plotTimeSteps are the tick spacings a time axis may use, in seconds.
var plotTimeSteps = []float64{1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800,
	3600, 7200, 10800, 21600, 43200, 86400, 2 * 86400, 7 * 86400, 14 * 86400, 28 * 86400}

func (t plotTimeTicks) Ticks(lo, hi float64) []plot.Tick {
	step := plotTimeSteps[len(plotTimeSteps)-1]
	for _, s := range plotTimeSteps {
		if (hi-lo)/s <= 7 {
			step = s
			break
		}
	}
	var ticks []plot.Tick
	for v := math.Ceil(lo/step) * step; v <= hi+1e-9; v += step {
		tk := plot.Tick{Value: v}
		if !t.blank {
			tk.Label = plotClock(v)
		}
		ticks = append(ticks, tk)
	}
	return ticks
}

// plotClock formats whole seconds as a compact duration: "0", "45s", "5m",
// "1h30m", "2d".
func plotClock(sec float64) string {
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
