package plot

import (
	"fmt"
	"image/color"
	"math"
	"sync"

	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/ddbsim/ddbsim/reports"
	"github.com/ddbsim/ddbsim/sim"
)

// Compare returns the figures of a comparison of runs of one scenario
// in several capacity modes, names[i] being results[i]'s mode:
//
//   - compare-cost: each mode's cumulative cost over time, the sum of its
//     line items (left out when no run is priced);
//   - compare-throttling: each mode's throttled requests (the client gave
//     up) per second, summed over the tables;
//   - compare-latency: each mode's p99 latency over time (left out when
//     no request finished).
//
// Runs longer than 600 seconds are drawn in buckets, as Figures draws
// them. Every result needs its Series; nothing is drawn when the runs cover
// no time.
func Compare(names []string, results []*reports.Result) ([]Plot, error) {
	if len(names) != len(results) {
		return nil, fmt.Errorf("reports: compare plots: %d names for %d results", len(names), len(results))
	}
	n, u := 0, 0
	for i, r := range results {
		if r == nil || r.Series == nil {
			return nil, fmt.Errorf("reports: compare plots: the %s result has no series", names[i])
		}
		if i > 0 && r.Series.StepSeconds() != u {
			return nil, fmt.Errorf("reports: compare plots: the %s result has series of another step", names[i])
		}
		u = r.Series.StepSeconds()
		m := r.Series.Len()
		if d := ceilSeconds(sim.FromSeconds(r.DurationS)); d > 0 && (d+u-1)/u < m {
			m = (d + u - 1) / u // a finish exactly at the end opens one more second
		}
		n = max(n, m)
	}
	if n == 0 {
		return nil, nil
	}
	tm := newTimeAxisStep(n, maxPoints, u)
	var plots []Plot
	for _, f := range []func([]string, []*reports.Result, timeAxis) (*Plot, error){compareCostFigure, compareThrottlingFigure, compareLatencyFigure} {
		p, err := f(names, results, tm)
		if err != nil {
			return nil, err
		}
		if p != nil {
			p.mu = new(sync.Mutex)
			plots = append(plots, *p)
		}
	}
	return plots, nil
}

// modeStyle is mode i's line of n: a colour each, the first drawn the
// widest and each later one narrower, the later ones dashed, each in its
// own pattern, so that a line drawn over an identical one (reserved
// capacity throttles exactly as provisioned does) still lets it show on
// both sides and through its gaps.
func modeStyle(i, n int) draw.LineStyle {
	colors := []color.Color{color.Black, blue, green, vermillion, orange, purple}
	sty := draw.LineStyle{Color: colors[i%len(colors)], Width: vg.Points(1.2 + 1.4*float64(n-1-i))}
	dashes := [][]vg.Length{nil, {vg.Points(6), vg.Points(3)}, {vg.Points(2), vg.Points(2)},
		{vg.Points(8), vg.Points(2), vg.Points(2), vg.Points(2)}}
	sty.Dashes = dashes[i%len(dashes)]
	return sty
}

// compareCostFigure draws each mode's cost so far, summed over line items,
// at the end of each bucket; nil when no run is priced.
func compareCostFigure(names []string, results []*reports.Result, t timeAxis) (*Plot, error) {
	nb := t.buckets()
	p := newPanel(t, true)
	p.Y.Label.Text = "US dollars so far"
	var pn figurePanel
	priced := false
	for i, r := range results {
		items := r.Series.CostByItem
		if len(items) == 0 {
			continue // not priced
		}
		priced = true
		v := make([]float64, nb)
		for b := range nb {
			_, hi := t.span(b)
			for _, item := range items {
				v[b] += valueAt(item, hi-1)
			}
		}
		sty := modeStyle(i, len(results))
		if err := addLines(p, stepLines(t, v, keepAll(nb)), sty, nil); err != nil {
			return nil, err
		}
		pn.legend = append(pn.legend, legendEntry{names[i], thumbnail(sty, nil)})
	}
	if !priced {
		return nil, nil
	}
	p.Y.Min = 0
	if p.Y.Max <= 0 {
		p.Y.Max = 1 // nothing billed: keep a readable axis
	}
	pn.p = p
	title := "Cost by capacity mode"
	return &Plot{
		Name:  "compare-cost",
		Title: title,
		Caption: "What each capacity mode has cost so far, all line items and tables together, less the free tier when it is applied " +
			"(REFERENCE: prices). Provisioned and reserved capacity climb steadily whatever the traffic; " +
			"on-demand climbs with the requests. The lowest line at the right end is the cheapest mode.",
		Width: Width, Height: Height,
		fig: &figure{title: title, panels: []figurePanel{pn}},
	}, nil
}

// compareThrottlingFigure draws each mode's throttled requests per second,
// summed over the tables.
func compareThrottlingFigure(names []string, results []*reports.Result, t timeAxis) (*Plot, error) {
	nb := t.buckets()
	p := newPanel(t, true)
	p.Y.Label.Text = "throttled requests/s"
	var pn figurePanel
	for i, r := range results {
		thr := make([]int64, t.n)
		for _, ts := range r.Series.Tables {
			for s := range t.n {
				thr[s] += valueAt(ts.Throttled, s)
			}
		}
		v := make([]float64, nb)
		for b := range v {
			v[b], _ = bucketMean(t, b, thr, fromCount, nil)
			v[b] = t.flow(v[b])
		}
		sty := modeStyle(i, len(results))
		if err := addLines(p, stepLines(t, v, keepAll(nb)), sty, nil); err != nil {
			return nil, err
		}
		pn.legend = append(pn.legend, legendEntry{names[i], thumbnail(sty, nil)})
	}
	p.Y.Min = 0
	if p.Y.Max <= 0 {
		p.Y.Max = 1 // no mode throttled: keep a readable axis
	}
	pn.p = p
	title := "Throttling by capacity mode"
	return &Plot{
		Name:  "compare-throttling",
		Title: title,
		Caption: "Requests each capacity mode throttled until the client gave up, all tables together, " +
			t.perSecond() + ". Look for the modes whose savings come from turning traffic away.",
		Width: Width, Height: Height,
		fig: &figure{title: title, panels: []figurePanel{pn}},
	}, nil
}

// compareLatencyFigure draws each mode's p99 latency over time, on a log
// axis; nil when no request finished in any run.
func compareLatencyFigure(names []string, results []*reports.Result, t timeAxis) (*Plot, error) {
	p := newPanel(t, true)
	p.Y.Label.Text = "p99 latency"
	var pn figurePanel
	lo, hi := math.Inf(1), 0.0
	for i, r := range results {
		_, buckets, err := latencyHistograms(r.Series, t)
		if err != nil {
			return nil, err
		}
		v := make([]float64, t.buckets())
		ok := make([]bool, len(v))
		for b := range v {
			if buckets != nil {
				if buckets[b] != nil {
					v[b] = buckets[b].p99
				}
			} else if b < len(r.Series.LatencyP99) {
				v[b] = r.Series.LatencyP99[b].Milliseconds()
			}
			ok[b] = v[b] > 0 // a log axis has no 0
			if ok[b] {
				lo, hi = min(lo, v[b]), max(hi, v[b])
			}
		}
		sty := modeStyle(i, len(results))
		if err := addLines(p, stepLines(t, v, ok), sty, nil); err != nil {
			return nil, err
		}
		pn.legend = append(pn.legend, legendEntry{names[i], thumbnail(sty, nil)})
	}
	if hi == 0 {
		return nil, nil
	}
	logY(p, lo, hi)
	pn.p = p
	title := "p99 latency by capacity mode"
	return &Plot{
		Name:  "compare-latency",
		Title: title,
		Caption: "Each capacity mode's client p99 latency, retries and backoff included, of the requests that finished in " +
			t.each() + ", on a log scale. Look for a mode whose p99 climbs where the others stay flat: its requests wait on throttled retries.",
		Width: Width, Height: Height,
		fig: &figure{title: title, panels: []figurePanel{pn}},
	}, nil
}
