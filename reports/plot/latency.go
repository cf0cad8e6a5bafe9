package plot

import (
	"fmt"
	"image/color"
	"math"
	"strconv"
	"strings"

	"github.com/HdrHistogram/hdrhistogram-go"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/ddbsim/ddbsim/reports"
	"github.com/ddbsim/ddbsim/sim"
)

// latencyHistograms merges the run's per-second latency histograms into
// one for the whole run and, when the time axis has buckets, one per bucket
// (index: bucket; nil when no request finished in it). The per-second
// histograms have two significant figures, so the merged percentiles are
// within 1%.
func latencyHistograms(s *reports.Series, t timeAxis) (*hdrhistogram.Histogram, []*percentiles, error) {
	all := reports.NewIntervalHistogram()
	var buckets []*percentiles
	if t.w > 1 {
		buckets = make([]*percentiles, t.buckets())
	}
	bucket := reports.NewIntervalHistogram()
	cur := -1
	flush := func() {
		if cur >= 0 && cur < len(buckets) && bucket.TotalCount() > 0 {
			buckets[cur] = &percentiles{
				p50: float64(bucket.ValueAtQuantile(50)) / 1000, p90: float64(bucket.ValueAtQuantile(90)) / 1000,
				p99: float64(bucket.ValueAtQuantile(99)) / 1000, p999: float64(bucket.ValueAtQuantile(99.9)) / 1000,
			}
		}
		bucket.Reset()
	}
	for _, iv := range s.Intervals {
		h, err := hdrhistogram.DecodePacked(iv.Encoded)
		if err != nil {
			return nil, nil, fmt.Errorf("reports: plots: latency of second %d: %v", iv.Second, err)
		}
		h.MergeInto(all)
		if buckets == nil {
			continue
		}
		if b := iv.Second / t.w; b != cur {
			flush()
			cur = b
		}
		h.MergeInto(bucket)
	}
	flush()
	return all, buckets, nil
}

// percentiles are one bucket's latency percentiles in milliseconds.
type percentiles struct{ p50, p90, p99, p999 float64 }

func latencyFigure(s *reports.Series, t timeAxis, buckets []*percentiles) (*Plot, error) {
	type line struct {
		label string
		per   []sim.Time
		get   func(*percentiles) float64
		color color.Color
	}
	lines := []line{
		{"p50", s.LatencyP50, func(p *percentiles) float64 { return p.p50 }, blue},
		{"p90", s.LatencyP90, func(p *percentiles) float64 { return p.p90 }, green},
		{"p99", s.LatencyP99, func(p *percentiles) float64 { return p.p99 }, orange},
		{"p99.9", s.LatencyP999, func(p *percentiles) float64 { return p.p999 }, vermillion},
	}
	p := newPanel(t, true)
	p.Y.Label.Text = "latency"
	var pn figurePanel
	lo, hi := math.Inf(1), 0.0
	chart := newChart(t, "latency, ms")
	chart.LogY = true
	for _, l := range lines {
		v := make([]float64, t.buckets())
		ok := make([]bool, len(v))
		for b := range v {
			if buckets != nil {
				if buckets[b] != nil {
					v[b] = l.get(buckets[b])
				}
			} else if b < len(l.per) {
				v[b] = l.per[b].Milliseconds()
			}
			ok[b] = v[b] > 0 // a log axis has no 0: a second without requests is a gap
			if ok[b] {
				lo, hi = min(lo, v[b]), max(hi, v[b])
			}
		}
		sty := draw.LineStyle{Color: l.color, Width: vg.Points(1)}
		if err := addLines(p, stepLines(t, v, ok), sty, nil); err != nil {
			return nil, err
		}
		pn.legend = append(pn.legend, legendEntry{l.label, thumbnail(sty, nil)})
		chart.add(l.label, l.color, false, v, ok)
	}
	if hi == 0 {
		return nil, nil // no request finished
	}
	logY(p, lo, hi)
	pn.p = p
	return &Plot{
		Name:  "latency",
		Title: "Latency percentiles over time",
		Caption: "Client-observed latency of the requests that finished in " + t.each() +
			", retries and backoff included, on a log scale; a gap is one in which none finished. " +
			"Look for p99 and p99.9 lifting away from p50: requests waiting on throttled retries.",
		Width: Width, Height: Height,
		Chart: chart,
		fig:   &figure{title: "Latency percentiles over time", panels: []figurePanel{pn}},
	}, nil
}

func spectrumFigure(h *hdrhistogram.Histogram) (*Plot, error) {
	total := h.TotalCount()
	if total == 0 {
		return nil, nil
	}
	// x counts nines: percentile q is at x = -log10(1 - q/100), so 90 is
	// at 1, 99 at 2, 99.9 at 3. The axis ends where one request in the
	// run is left above the percentile (at least p90, at most 6 nines).
	nines := int(math.Ceil(math.Log10(float64(total))))
	nines = min(max(nines, 1), 6)
	const perNine = 100
	var xys plotter.XYs
	lo, hi := math.Inf(1), 0.0
	for i := 0; i <= nines*perNine; i++ {
		x := float64(i) / perNine
		q := 100 * (1 - math.Pow(10, -x))
		v := float64(h.ValueAtQuantile(q)) / 1000
		if v <= 0 {
			continue
		}
		lo, hi = min(lo, v), max(hi, v)
		xys = append(xys, plotter.XY{X: x, Y: v})
	}
	if len(xys) == 0 {
		return nil, nil
	}
	p := newPanel(timeAxis{}, false)
	p.X.Label.Text = "percentile"
	p.Y.Label.Text = "latency"
	p.X.Min, p.X.Max = 0, float64(nines)
	ticks := []plot.Tick{{Value: 0, Label: "0"}, {Value: math.Log10(2), Label: "50"}} // p50: 0.3 nines
	for k := 1; k <= nines; k++ {
		label := "90" // 1 nine
		if k > 1 {
			label = strings.TrimSuffix("99."+strings.Repeat("9", k-2), ".")
		}
		ticks = append(ticks, plot.Tick{Value: float64(k), Label: label})
	}
	p.X.Tick.Marker = plot.ConstantTicks(ticks)
	line, err := plotter.NewLine(xys)
	if err != nil {
		return nil, fmt.Errorf("reports: plots: %v", err)
	}
	line.LineStyle = draw.LineStyle{Color: blue, Width: vg.Points(1.25)}
	p.Add(line)
	logY(p, lo, hi)
	title := "Latency distribution"
	return &Plot{
		Name:  "latency-spectrum",
		Title: title,
		Caption: "Latency at each percentile of the whole run (" + reports.Commas(total) + " requests), " +
			"on a log scale against a nines axis (90, 99, 99.9): a flat line is uniform service; " +
			"where it climbs, that share of requests waited for retries or queues.",
		Width: Width, Height: Height,
		fig: &figure{title: title, panels: []figurePanel{{p: p}}},
	}, nil
}

// logY puts the Y axis on a log scale in milliseconds, from the power
// of ten at or below lo to the one at or above hi.
func logY(p *plot.Plot, lo, hi float64) {
	p.Y.Scale = plot.LogScale{}
	p.Y.Min = math.Pow(10, math.Floor(math.Log10(lo)))
	p.Y.Max = math.Pow(10, math.Ceil(math.Log10(hi)))
	if p.Y.Max <= p.Y.Min {
		p.Y.Max = p.Y.Min * 10
	}
	p.Y.Tick.Marker = logTicks{}
}

// logTicks marks a log axis in milliseconds: every power of ten
// labelled ("1 ms", "10 s"), 2 and 5 times it labelled too when the axis
// spans no more than two decades, the other multiples as minor ticks.
type logTicks struct{}

func (logTicks) Ticks(lo, hi float64) []plot.Tick {
	first := int(math.Floor(math.Log10(lo)))
	last := int(math.Ceil(math.Log10(hi)))
	dense := last-first <= 2
	var ticks []plot.Tick
	for e := first; e <= last; e++ {
		for m := 1; m <= 9; m++ {
			v := float64(m) * math.Pow(10, float64(e))
			if v < lo*(1-1e-9) || v > hi*(1+1e-9) {
				continue
			}
			t := plot.Tick{Value: v}
			if m == 1 || dense && (m == 2 || m == 5) {
				t.Label = millis(v)
			}
			ticks = append(ticks, t)
		}
	}
	return ticks
}

// millis labels a latency tick: "0.5 ms", "20 ms", "2 s".
func millis(ms float64) string {
	f := func(x float64) string { return strconv.FormatFloat(x, 'g', 3, 64) }
	if ms >= 1000 {
		return f(ms/1000) + " s"
	}
	return f(ms) + " ms"
}
