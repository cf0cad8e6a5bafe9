package reports

import (
	"bytes"
	"fmt"
	"html"
	"image"
	"image/color"
	"image/png"
	"math"
	"slices"
	"strconv"
	"strings"
	"sync"

	"git.sr.ht/~sbinet/gg"
	"github.com/HdrHistogram/hdrhistogram-go"
	xdraw "golang.org/x/image/draw"
	xfont "golang.org/x/image/font"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/palette/brewer"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"

	"github.com/ddbsim/ddbsim/model/billing"
	"github.com/ddbsim/ddbsim/model/capacity"
	"github.com/ddbsim/ddbsim/model/units"
	"github.com/ddbsim/ddbsim/sim"
)

// Plot sizes. Every figure is PlotWidth wide; most are PlotHeight high,
// the capacity figures, which stack three panels, plotTallHeight. A PNG has
// PlotPixelsPerCm pixels per centimetre (254 dpi), so a 16 cm x 9 cm figure
// is exactly 1600 x 900 pixels.
const (
	PlotWidth       = 16.0 // cm
	PlotHeight      = 9.0  // cm
	PlotPixelsPerCm = 100

	plotTallHeight = 12.0 // cm
	plotDPI        = PlotPixelsPerCm * 254 / 100
)

// Points per series. A time series longer than plotMaxPoints seconds is
// drawn in buckets of a round number of seconds (the smallest that keeps it
// at or under the limit), so that a day-long run stays readable and its SVG
// small: the PNG has about 1,250 pixels across the data, one per bucket.
// The heat map has a tighter limit: a column narrower than two pixels could
// be dropped by the PNG's scaling, hiding the hot second it holds.
const (
	plotMaxPoints     = 1200
	plotMaxHeatColumn = 600
)

// Plot is one figure of a run. Render draws it; Title and Caption are for
// the page around it (the title is in the figure too, for the files).
type Plot struct {
	// Name is the figure's file stem: "latency", "throughput",
	// "capacity-<table>", "heatmap-<table>", "latency-spectrum".
	Name string
	// Title is a few words; Caption one or two sentences saying what the
	// figure shows and what to look for.
	Title, Caption string
	// Width and Height are the figure's size in centimetres.
	Width, Height float64

	fig *plotFigure
	mu  *sync.Mutex // drawing a gonum plot settles its axes in place
}

// Render draws the plot as "svg" or "png". The same plot renders to the same
// bytes every time. It is safe to call from several goroutines.
//
// The SVG has no XML declaration, so it can be written to a file as is or
// inlined into HTML; it carries the title in a <title> element, sizes in
// points with a viewBox (CSS can scale it), and fonts by name (Liberation
// Sans, whose metrics laid the text out, then Arial, which has the same
// metrics). The PNG is Width x Height at PlotPixelsPerCm, on white.
func (p *Plot) Render(format string) ([]byte, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	w, h := vg.Length(p.Width)*vg.Centimeter, vg.Length(p.Height)*vg.Centimeter
	var b bytes.Buffer
	switch format {
	case "svg":
		c := vgsvg.New(w, h)
		p.fig.draw(draw.New(c))
		if _, err := c.WriteTo(&b); err != nil {
			return nil, err
		}
		return plotCleanSVG(b.Bytes(), p.Title), nil
	case "png":
		img := image.NewRGBA(image.Rect(0, 0,
			int(math.Round(p.Width*PlotPixelsPerCm)), int(math.Round(p.Height*PlotPixelsPerCm))))
		// vgimg's own context scales images bilinearly, which blurs
		// the heat map's cells into each other: give it one that takes
		// the nearest pixel, set up as vgimg sets up its own.
		ctx := gg.NewContextForRGBA(img)
		ctx.SetLineCapButt()
		ctx.InvertY()
		ctx.SetInterpolator(xdraw.NearestNeighbor)
		c := vgimg.NewWith(vgimg.UseImageWithContext(img, ctx), vgimg.UseDPI(plotDPI))
		p.fig.draw(draw.New(c))
		if err := png.Encode(&b, img); err != nil {
			return nil, err
		}
		return b.Bytes(), nil
	}
	return nil, fmt.Errorf("reports: plot format %q: want svg or png", format)
}

// plotCleanSVG makes vgsvg's output fit for a file and for inlining: it
// drops the XML declaration and the generator comment, adds a <title>,
// names fonts that fall back well, and labels the heat map's embedded image
// as the PNG it is, to be stretched to its box (an <image> keeps its aspect
// ratio by default) without smoothing.
func plotCleanSVG(svg []byte, title string) []byte {
	if i := bytes.Index(svg, []byte("<svg")); i > 0 {
		svg = svg[i:]
	}
	if i := bytes.Index(svg, []byte(">\n")); i > 0 {
		svg = slices.Concat(svg[:i+2], []byte("<title>"+html.EscapeString(title)+"</title>\n"), svg[i+2:])
	}
	svg = bytes.ReplaceAll(svg, []byte("font-family:Liberation Sans;"), []byte("font-family:'Liberation Sans',Arial,Helvetica,sans-serif;"))
	svg = bytes.ReplaceAll(svg, []byte(`<image `), []byte(`<image preserveAspectRatio="none" style="image-rendering:pixelated" `))
	return bytes.ReplaceAll(svg, []byte("data:image/jpg;base64,"), []byte("data:image/png;base64,"))
}

// Plots returns the figures of r, in the order a report shows them:
//
//   - latency: p50, p90, p99 and p99.9 over time, on a log axis;
//   - throughput: requests by final outcome, stacked, under the offered load;
//   - capacity-<table>, one per table: consumed against the capacity in
//     effect, read and write, and the banked burst credit;
//   - heatmap-<table>, one per table: each partition's load against its
//     hard ceiling over time;
//   - cache-hit-rate, when the run has a DAX cluster: the item and query
//     caches' hit rates over time, and each cluster's load against its
//     capacity;
//   - stream-iterator-age, when a table has a stream: each consumer's
//     iterator age over time, and its backlog;
//   - replication, when the run has a global table: stale reads and
//     conflicts over time, and the availability of each 5-minute
//     interval;
//   - latency-spectrum: the whole run's latency at each percentile;
//   - cost, when the run is billed: the cost so far by line item.
//
// A figure with nothing to draw is left out: the latency figures when no
// request finished, every figure when the run covers no time. Plots does the
// work of reading the series; Render only draws.
//
// Runs longer than 1,200 seconds are drawn in buckets of a round number of
// seconds (2 s, 5 s, ... 1 min, ...), per-second means of the buckets'
// seconds, latency percentiles of their requests, and for the heat map the
// busiest second; the axis label and the caption say so.
//
// The figures read Result.Series; it is an error for it to be nil. Each
// figure is one function of the Result returning a *Plot, so a new one (the
// cost of a run, once the Result carries billing) is one more call here.
func Plots(r *Result) ([]Plot, error) {
	s := r.Series
	if s == nil {
		return nil, fmt.Errorf("reports: plots: the result has no series")
	}
	n := s.Len()
	u := s.stepSeconds()
	if d := ceilSeconds(sim.FromSeconds(r.DurationS)); d > 0 && (d+u-1)/u < n {
		n = (d + u - 1) / u // a finish exactly at the end opens one more second
	}
	if n == 0 {
		return nil, nil
	}
	tm := plotTimeAxisStep(n, plotMaxPoints, u)

	var plots []Plot
	add := func(p *Plot, err error) error {
		if err != nil {
			return err
		}
		if p != nil {
			p.mu = new(sync.Mutex)
			plots = append(plots, *p)
		}
		return nil
	}
	hist, buckets, err := plotLatencyHistograms(s, tm)
	if err != nil {
		return nil, err
	}
	if err := add(plotLatency(s, tm, buckets)); err != nil {
		return nil, err
	}
	if err := add(plotThroughput(s, tm)); err != nil {
		return nil, err
	}
	for i := range s.Tables {
		mode, label := "", s.Tables[i].Name
		if i < len(r.Tables) {
			mode, label = r.Tables[i].Mode, tableLabel(&r.Tables[i])
		}
		if err := add(plotCapacity(&s.Tables[i], label, mode, tm)); err != nil {
			return nil, err
		}
		if err := add(plotHeatmap(&s.Tables[i], label, plotTimeAxisStep(n, plotMaxHeatColumn, u))); err != nil {
			return nil, err
		}
	}
	if err := add(plotCache(s, tm)); err != nil {
		return nil, err
	}
	if err := add(plotStreams(r, tm)); err != nil {
		return nil, err
	}
	if err := add(plotReplication(r, tm)); err != nil {
		return nil, err
	}
	if err := add(plotSpectrum(hist)); err != nil {
		return nil, err
	}
	if err := add(plotCost(s, tm)); err != nil {
		return nil, err
	}
	return plots, nil
}

// ---- time axis and buckets ----

// plotTime maps seconds [0, n) onto buckets of w seconds; the last bucket
// may be short. With a series step of u seconds (Series.Step) n and w
// count steps, and x converts a step index to seconds on the time axis.
type plotTime struct{ n, w, u int }

// stepSeconds is the seconds one index of s covers.
func (s *Series) stepSeconds() int { return max(int(s.Step/sim.Second), 1) }

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
func plotUnits(v units.Units) float64 { return v.Float() }

// ---- latency ----

// plotLatencyHistograms merges the run's per-second latency histograms into
// one for the whole run and, when the time axis has buckets, one per bucket
// (index: bucket; nil when no request finished in it). The per-second
// histograms have two significant figures, so the merged percentiles are
// within 1%.
func plotLatencyHistograms(s *Series, t plotTime) (*hdrhistogram.Histogram, []*plotPercentiles, error) {
	all := hdrhistogram.New(histLowest, histHighest, secDigits)
	var buckets []*plotPercentiles
	if t.w > 1 {
		buckets = make([]*plotPercentiles, t.buckets())
	}
	bucket := hdrhistogram.New(histLowest, histHighest, secDigits)
	cur := -1
	flush := func() {
		if cur >= 0 && cur < len(buckets) && bucket.TotalCount() > 0 {
			buckets[cur] = &plotPercentiles{
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

// plotPercentiles are one bucket's latency percentiles in milliseconds.
type plotPercentiles struct{ p50, p90, p99, p999 float64 }

func plotLatency(s *Series, t plotTime, buckets []*plotPercentiles) (*Plot, error) {
	type line struct {
		label string
		per   []sim.Time
		get   func(*plotPercentiles) float64
		color color.Color
	}
	lines := []line{
		{"p50", s.LatencyP50, func(p *plotPercentiles) float64 { return p.p50 }, plotBlue},
		{"p90", s.LatencyP90, func(p *plotPercentiles) float64 { return p.p90 }, plotGreen},
		{"p99", s.LatencyP99, func(p *plotPercentiles) float64 { return p.p99 }, plotOrange},
		{"p99.9", s.LatencyP999, func(p *plotPercentiles) float64 { return p.p999 }, plotVermillion},
	}
	p := plotNewPanel(t, true)
	p.Y.Label.Text = "latency"
	var pn plotPanel
	lo, hi := math.Inf(1), 0.0
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
		if err := plotAddLines(p, plotSteps(t, v, ok), sty, nil); err != nil {
			return nil, err
		}
		pn.legend = append(pn.legend, plotLegendEntry{l.label, plotThumb(sty, nil)})
	}
	if hi == 0 {
		return nil, nil // no request finished
	}
	plotLogY(p, lo, hi)
	pn.p = p
	return &Plot{
		Name:  "latency",
		Title: "Latency percentiles over time",
		Caption: "Client-observed latency of the requests that finished in " + t.each() +
			", retries and backoff included, on a log scale; a gap is one in which none finished. " +
			"Look for p99 and p99.9 lifting away from p50: requests waiting on throttled retries.",
		Width: PlotWidth, Height: PlotHeight,
		fig: &plotFigure{title: "Latency percentiles over time", panels: []plotPanel{pn}},
	}, nil
}

func plotSpectrum(h *hdrhistogram.Histogram) (*Plot, error) {
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
	p := plotNewPanel(plotTime{}, false)
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
	line.LineStyle = draw.LineStyle{Color: plotBlue, Width: vg.Points(1.25)}
	p.Add(line)
	plotLogY(p, lo, hi)
	title := "Latency distribution"
	return &Plot{
		Name:  "latency-spectrum",
		Title: title,
		Caption: "Latency at each percentile of the whole run (" + commas(total) + " requests), " +
			"on a log scale against a nines axis (90, 99, 99.9): a flat line is uniform service; " +
			"where it climbs, that share of requests waited for retries or queues.",
		Width: PlotWidth, Height: PlotHeight,
		fig: &plotFigure{title: title, panels: []plotPanel{{p: p}}},
	}, nil
}

// plotLogY puts the Y axis on a log scale in milliseconds, from the power
// of ten at or below lo to the one at or above hi.
func plotLogY(p *plot.Plot, lo, hi float64) {
	p.Y.Scale = plot.LogScale{}
	p.Y.Min = math.Pow(10, math.Floor(math.Log10(lo)))
	p.Y.Max = math.Pow(10, math.Ceil(math.Log10(hi)))
	if p.Y.Max <= p.Y.Min {
		p.Y.Max = p.Y.Min * 10
	}
	p.Y.Tick.Marker = plotLogTicks{}
}

// plotLogTicks marks a log axis in milliseconds: every power of ten
// labelled ("1 ms", "10 s"), 2 and 5 times it labelled too when the axis
// spans no more than two decades, the other multiples as minor ticks.
type plotLogTicks struct{}

func (plotLogTicks) Ticks(lo, hi float64) []plot.Tick {
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
				t.Label = plotMillis(v)
			}
			ticks = append(ticks, t)
		}
	}
	return ticks
}

// plotMillis labels a latency tick: "0.5 ms", "20 ms", "2 s".
func plotMillis(ms float64) string {
	f := func(x float64) string { return strconv.FormatFloat(x, 'g', 3, 64) }
	if ms >= 1000 {
		return f(ms/1000) + " s"
	}
	return f(ms) + " ms"
}

// ---- throughput ----

func plotThroughput(s *Series, t plotTime) (*Plot, error) {
	n := t.n
	var succ, thr, errs, events []int64 = make([]int64, n), make([]int64, n), make([]int64, n), make([]int64, n)
	for _, ts := range s.Tables {
		for i := range n {
			succ[i] += plotAt(ts.Succeeded, i)
			thr[i] += plotAt(ts.Throttled, i)
			errs[i] += plotAt(ts.Errors, i)
			events[i] += plotAt(ts.ThrottleEvents, i)
		}
	}
	nb := t.buckets()
	mean := func(s []int64) []float64 {
		v := make([]float64, nb)
		for b := range v {
			v[b], _ = plotMean(t, b, s, plotCount, nil)
			v[b] = t.flow(v[b])
		}
		return v
	}
	vs, vt, ve := mean(succ), mean(thr), mean(errs)
	stack2, stack3 := make([]float64, nb), make([]float64, nb)
	for b := range nb {
		stack2[b] = vs[b] + vt[b]
		stack3[b] = stack2[b] + ve[b]
	}

	p := plotNewPanel(t, true)
	p.Y.Label.Text = "requests/s"
	var pn plotPanel
	all := plotAll(nb)
	// Stacked areas, drawn top of the stack first: each fills down to 0
	// and the next covers all but its own band.
	areas := []struct {
		label string
		v     []float64
		fill  color.Color
	}{
		{"errors", stack3, plotPurple},
		{"throttled (gave up)", stack2, plotVermillion},
		{"succeeded", vs, plotGreenFill},
	}
	for _, a := range areas {
		if err := plotAddLines(p, plotSteps(t, a.v, all), draw.LineStyle{}, a.fill); err != nil {
			return nil, err
		}
	}
	for i := len(areas) - 1; i >= 0; i-- {
		pn.legend = append(pn.legend, plotLegendEntry{areas[i].label, plotThumb(draw.LineStyle{}, areas[i].fill)})
	}
	offered := draw.LineStyle{Color: color.Black, Width: vg.Points(1)}
	if err := plotAddLines(p, plotSteps(t, mean(plotClip(s.Offered, n)), all), offered, nil); err != nil {
		return nil, err
	}
	pn.legend = append(pn.legend, plotLegendEntry{"offered", plotThumb(offered, nil)})
	ev := draw.LineStyle{Color: plotOrange, Width: vg.Points(0.6), Dashes: []vg.Length{vg.Points(2), vg.Points(1.5)}}
	if err := plotAddLines(p, plotSteps(t, mean(events), all), ev, nil); err != nil {
		return nil, err
	}
	pn.legend = append(pn.legend, plotLegendEntry{"throttle events", plotThumb(ev, nil)})
	p.Y.Min = 0
	pn.p = p
	title := "Throughput"
	return &Plot{
		Name:  "throughput",
		Title: title,
		Caption: "Requests by final outcome, stacked, counted when they finished, under the offered load " +
			"(the line, counted when they started), " + t.perSecond() + "; the dashed line counts " +
			"throttled attempts, retries included. Look for the offered line pulling away from the green.",
		Width: PlotWidth, Height: PlotHeight,
		fig: &plotFigure{title: title, panels: []plotPanel{pn}},
	}, nil
}

// plotCost draws the account's cost so far, stacked by line item; nil
// without prices.
func plotCost(s *Series, t plotTime) (*Plot, error) {
	if len(s.CostByItem) != len(billing.LineItems) {
		return nil, nil
	}
	nb := t.buckets()
	// Cumulative cost at the end of each bucket, stacked in line-item
	// order.
	stacks := make([][]float64, len(billing.LineItems))
	for k := range stacks {
		stacks[k] = make([]float64, nb)
		for b := range nb {
			_, hi := t.span(b)
			v := plotAt(s.CostByItem[k], hi-1)
			if k > 0 {
				v += stacks[k-1][b]
			}
			stacks[k][b] = v
		}
	}
	if stacks[len(stacks)-1][nb-1] == 0 {
		return nil, nil // nothing billed: an all-free-tier run
	}
	// A run without DAX has no DAX line: leave it out of the stack and
	// the legend rather than draw an empty band.
	show := make([]bool, len(billing.LineItems))
	for k, item := range billing.LineItems {
		show[k] = !optionalLineItem(item) || slices.ContainsFunc(s.CostByItem[k], func(v float64) bool { return v != 0 })
	}
	p := plotNewPanel(t, true)
	p.Y.Label.Text = "US dollars so far"
	var pn plotPanel
	all := plotAll(nb)
	for k := len(stacks) - 1; k >= 0; k-- { // top of the stack first, as in plotThroughput
		if !show[k] {
			continue
		}
		if err := plotAddLines(p, plotSteps(t, stacks[k], all), draw.LineStyle{}, plotCostFill(billing.LineItems[k])); err != nil {
			return nil, err
		}
	}
	for k, item := range billing.LineItems {
		if show[k] {
			pn.legend = append(pn.legend, plotLegendEntry{lineItemLabel(item), plotThumb(draw.LineStyle{}, plotCostFill(item))})
		}
	}
	p.Y.Min = 0
	pn.p = p
	title := "Cost"
	return &Plot{
		Name:  "cost",
		Title: title,
		Caption: "What the run has cost so far, stacked by line item, less the free tier when it is applied (REFERENCE: prices). " +
			"Provisioned capacity climbs steadily whatever the traffic; on-demand requests climb with it.",
		Width: PlotWidth, Height: PlotHeight,
		fig: &plotFigure{title: title, panels: []plotPanel{pn}},
	}, nil
}

// plotCostFills give each line item its own fill, whatever its place in
// model.LineItems: a run's colours stay when the model adds line items.
var plotCostFills = map[string]color.Color{
	billing.ItemReservedRead:            plotOrange,
	billing.ItemReservedWrite:           plotVermillion,
	billing.ItemReadCapacity:            plotSkyFill,
	billing.ItemWriteCapacity:           plotBlue,
	billing.ItemReadRequests:            plotGreenFill,
	billing.ItemWriteRequests:           plotGreen,
	billing.ItemStorage:                 plotPurple,
	billing.ItemDAXNodes:                plotYellow,
	billing.ItemReplicatedWriteCapacity: plotNavyFill,
	billing.ItemReplicatedWriteRequests: plotTealFill,
	billing.ItemTTLDeletes:              plotGrey,
	billing.ItemStreamReads:             plotPinkFill,
}

// plotCostFill is line item item's fill in the cost plot.
func plotCostFill(item string) color.Color {
	if c, ok := plotCostFills[item]; ok {
		return c
	}
	return plotGrey
}

// plotAt is s[i], or 0 past its end.
func plotAt[T any](s []T, i int) T {
	if i < len(s) {
		return s[i]
	}
	var zero T
	return zero
}

// plotClip is s cut or padded with zeros to n.
func plotClip(s []int64, n int) []int64 {
	out := make([]int64, n)
	copy(out, s)
	return out
}

// ---- DAX caches ----

// plotCache draws the caches' hit rates over time, item cache against
// query cache, all clusters together; below, each cluster's load as a
// share of its capacity in the busiest second of each bucket, when the
// clusters' capacities are known. nil when the run has no cluster, or its
// clusters saw no lookup and no load.
func plotCache(s *Series, t plotTime) (*Plot, error) {
	if len(s.Caches) == 0 {
		return nil, nil
	}
	nb := t.buckets()
	itemHits, itemAll := make([]float64, nb), make([]float64, nb)
	queryHits, queryAll := make([]float64, nb), make([]float64, nb)
	lookups, loaded, hasCapacity := false, false, false
	for k := range s.Caches {
		c := &s.Caches[k]
		for b := range nb {
			lo, hi := t.span(b)
			for i := lo; i < hi; i++ {
				ih, im := plotAt(c.ItemHits, i), plotAt(c.ItemMisses, i)
				qh, qm := plotAt(c.QueryHits, i), plotAt(c.QueryMisses, i)
				itemHits[b] += float64(ih)
				itemAll[b] += float64(ih + im)
				queryHits[b] += float64(qh)
				queryAll[b] += float64(qh + qm)
				lookups = lookups || ih+im+qh+qm > 0
				loaded = loaded || plotAt(c.Load, i) > 0
			}
		}
		hasCapacity = hasCapacity || c.Capacity > 0
	}
	if !lookups && !loaded {
		return nil, nil
	}
	rate := func(hits, all []float64) ([]float64, []bool) {
		v, ok := make([]float64, nb), make([]bool, nb)
		for b := range nb {
			if all[b] > 0 {
				v[b], ok[b] = 100*hits[b]/all[b], true
			}
		}
		return v, ok
	}
	showLoad := hasCapacity && loaded
	p := plotNewPanel(t, !showLoad)
	p.Y.Label.Text = "hit rate, %"
	var pn plotPanel
	for _, l := range []struct {
		label     string
		hits, all []float64
		color     color.Color
	}{
		{"item cache", itemHits, itemAll, plotBlue},
		{"query cache", queryHits, queryAll, plotVermillion},
	} {
		v, ok := rate(l.hits, l.all)
		if !slices.Contains(ok, true) {
			continue // a cache nothing looked up: no line, no legend entry
		}
		sty := draw.LineStyle{Color: l.color, Width: vg.Points(1.25)}
		if err := plotAddLines(p, plotSteps(t, v, ok), sty, nil); err != nil {
			return nil, err
		}
		pn.legend = append(pn.legend, plotLegendEntry{l.label, plotThumb(sty, nil)})
	}
	p.Y.Min, p.Y.Max = 0, 100
	pn.p = p
	panels := []plotPanel{pn}

	if showLoad {
		p := plotNewPanel(t, true)
		p.Y.Label.Text = "load, % of capacity"
		var pn plotPanel
		colors := []color.Color{plotGreen, plotOrange, plotPurple, plotBlue, plotVermillion}
		peak := 100.0
		for k := range s.Caches {
			c := &s.Caches[k]
			if c.Capacity <= 0 {
				continue
			}
			v := make([]float64, nb)
			for b := range nb {
				lo, hi := t.span(b)
				for i := lo; i < hi; i++ {
					v[b] = max(v[b], 100*t.flow(plotAt(c.Load, i).Float())/c.Capacity.Float())
				}
				peak = max(peak, v[b])
			}
			sty := draw.LineStyle{Color: colors[k%len(colors)], Width: vg.Points(1)}
			if err := plotAddLines(p, plotSteps(t, v, plotAll(nb)), sty, nil); err != nil {
				return nil, err
			}
			pn.legend = append(pn.legend, plotLegendEntry{c.Name, plotThumb(sty, nil)})
		}
		capSty := draw.LineStyle{Color: color.Black, Width: vg.Points(1.25), Dashes: []vg.Length{vg.Points(3), vg.Points(2)}}
		if err := plotAddLines(p, []plotter.XYs{{{X: 0, Y: 100}, {X: t.x(t.n), Y: 100}}}, capSty, nil); err != nil {
			return nil, err
		}
		pn.legend = append(pn.legend, plotLegendEntry{"capacity", plotThumb(capSty, nil)})
		p.Y.Min, p.Y.Max = 0, peak*1.1
		pn.p = p
		panels = append(panels, pn)
	}

	title := "DAX cache hit rate over time"
	caption := "Hits over lookups in " + t.each() + ", the item cache (GetItem, BatchGetItem) against the query cache " +
		"(Query, Scan), all clusters together; a gap is one without lookups. A cold cache starts low and climbs as it fills; " +
		"the query cache stays lower, keyed by the exact request, and writes do not refresh it."
	height := PlotHeight
	if showLoad {
		each := "each " + t.second()
		if t.w > 1 {
			each = "the busiest " + t.second() + " of " + t.each()
		}
		caption += " Below, each cluster's normalized load in " + each +
			" as a share of its capacity (nodes x per-node capacity): above the dashed line the cluster throttles."
		height = plotTallHeight
	}
	return &Plot{
		Name:    "cache-hit-rate",
		Title:   title,
		Caption: caption,
		Width:   PlotWidth, Height: height,
		fig: &plotFigure{title: title, panels: panels},
	}, nil
}

// ---- capacity ----

// plotCapacity draws table ts's consumption against its capacity; label
// names it in the title (an index as "<index> (index of <table>)").
func plotCapacity(ts *TableSeries, label, mode string, t plotTime) (*Plot, error) {
	nb := t.buckets()
	sampled := func(i int) bool { return plotAt(ts.Partitions, i) > 0 }
	sampledAny := false
	for i := range t.n {
		if sampled(i) {
			sampledAny = true
			break
		}
	}
	capLabel := "capacity"
	switch mode {
	case "provisioned":
		capLabel = "provisioned"
	case "on-demand":
		capLabel = "instant (on-demand)"
	}
	panel := func(unit string, used, capacity []units.Units) (plotPanel, error) {
		p := plotNewPanel(t, false)
		p.Y.Label.Text = unit
		var pn plotPanel
		v := make([]float64, nb)
		c := make([]float64, nb)
		ok := make([]bool, nb)
		for b := range nb {
			v[b], _ = plotMean(t, b, used, plotUnits, nil)
			v[b] = t.flow(v[b])
			c[b], ok[b] = plotMean(t, b, capacity, plotUnits, sampled)
		}
		usedSty := draw.LineStyle{Color: plotBlue, Width: vg.Points(0.5)}
		if err := plotAddLines(p, plotSteps(t, v, plotAll(nb)), usedSty, plotSkyFill); err != nil {
			return pn, err
		}
		pn.legend = append(pn.legend, plotLegendEntry{"consumed", plotThumb(draw.LineStyle{}, plotSkyFill)})
		peakUsed, peakCap := 0.0, 0.0
		for b := range nb {
			peakUsed = max(peakUsed, v[b])
			if ok[b] {
				peakCap = max(peakCap, c[b])
			}
		}
		if sampledAny {
			capSty := draw.LineStyle{Color: color.Black, Width: vg.Points(1.25)}
			if err := plotAddLines(p, plotSteps(t, c, ok), capSty, nil); err != nil {
				return pn, err
			}
			label := capLabel
			if peakUsed > 0 && peakCap > plotOffScale*peakUsed {
				// Consumption would be a sliver under the line (an
				// on-demand table's warm throughput): scale the panel
				// to consumption and leave the line above it.
				p.Y.Max = peakUsed * 1.25
				label = "instant: " + plotNumber(math.Round(peakCap)) + " (off scale)"
				if mode == "provisioned" {
					label = "provisioned: " + plotNumber(math.Round(peakCap)) + " (off scale)"
				}
			}
			pn.legend = append(pn.legend, plotLegendEntry{label, plotThumb(capSty, nil)})
		}
		p.Y.Min = 0
		pn.p = p
		return pn, nil
	}
	read, err := panel("RCU/s", ts.Read, ts.ReadCapacity)
	if err != nil {
		return nil, err
	}
	write, err := panel("WCU/s", ts.Write, ts.WriteCapacity)
	if err != nil {
		return nil, err
	}
	panels := []plotPanel{read, write}

	// Burst credit in seconds of the capacity in effect puts reads and
	// writes on one scale, whose top is the burst window (300 s unless
	// the scenario changes it).
	burst := func(bank, capacity []units.Units) ([]float64, []bool, bool) {
		v := make([]float64, nb)
		ok := make([]bool, nb)
		any := false
		for b := range nb {
			lo, hi := t.span(b)
			var sum float64
			k := 0
			for i := lo; i < hi; i++ {
				if c := plotAt(capacity, i); sampled(i) && c > 0 {
					sum += plotAt(bank, i).Float() / c.Float()
					k++
				}
			}
			if k > 0 {
				v[b], ok[b] = sum/float64(k), true
				any = any || v[b] > 0
			}
		}
		return v, ok, any
	}
	rv, rok, rany := burst(ts.ReadBurst, ts.ReadCapacity)
	wv, wok, wany := burst(ts.WriteBurst, ts.WriteCapacity)
	hasBurst := rany || wany
	if hasBurst {
		p := plotNewPanel(t, true)
		p.Y.Label.Text = "burst, s"
		var pn plotPanel
		for _, l := range []struct {
			label string
			v     []float64
			ok    []bool
			color color.Color
		}{{"read credit", rv, rok, plotBlue}, {"write credit", wv, wok, plotVermillion}} {
			sty := draw.LineStyle{Color: l.color, Width: vg.Points(1)}
			if err := plotAddLines(p, plotSteps(t, l.v, l.ok), sty, nil); err != nil {
				return nil, err
			}
			pn.legend = append(pn.legend, plotLegendEntry{l.label, plotThumb(sty, nil)})
		}
		p.Y.Min = 0
		pn.p = p
		panels = append(panels, pn)
	} else {
		plotShowTime(write.p, t)
	}

	title := "Capacity: " + label
	caption := "Read and write units consumed (filled) against the capacity in effect (line), " + t.perSecond() +
		": provisioned, stepping with auto scaling and scheduled changes, or for on-demand what the table absorbs at once."
	if hasBurst {
		caption += " Below, the table's burst credit, summed over its partitions, in seconds of that capacity" +
			" (300 when full, unless the scenario sets another window)." +
			" Look for consumption above the line while credit drains: throttling starts when it is gone."
	} else {
		caption += " Look for consumption pressing on the line: that is where throttling starts."
	}
	height := PlotHeight
	if len(panels) == 3 {
		height = plotTallHeight
	}
	return &Plot{
		Name:    "capacity-" + ts.Name,
		Title:   title,
		Caption: caption,
		Width:   PlotWidth, Height: height,
		fig: &plotFigure{title: title, panels: panels},
	}, nil
}

// plotOffScale is how many times its peak consumption a table's capacity
// may be before the capacity panel is scaled to consumption alone.
const plotOffScale = 8

// ---- heat map ----

// plotHeatGrid is a partition x time grid of ceiling fractions; NaN marks
// a partition that did not exist in the bucket.
type plotHeatGrid struct {
	cols, rows int
	w          float64 // bucket width in seconds
	z          []float64
}

func (g *plotHeatGrid) Dims() (c, r int)   { return g.cols, g.rows }
func (g *plotHeatGrid) Z(c, r int) float64 { return g.z[r*g.cols+c] }
func (g *plotHeatGrid) X(c int) float64    { return (float64(c) + 0.5) * g.w }
func (g *plotHeatGrid) Y(r int) float64    { return float64(r) }

// plotHeatLevels is the heat map's palette: nine steps from idle to at
// the ceiling.
func plotHeatLevels() []color.Color {
	p, err := brewer.GetPalette(brewer.TypeSequential, "YlOrRd", 9)
	if err != nil {
		panic("reports: " + err.Error()) // YlOrRd has 9 classes
	}
	return p.Colors()
}

type plotColors []color.Color

func (c plotColors) Colors() []color.Color { return c }

// plotHeatmap draws table ts's partitions against their ceiling; label
// names it in the title.
func plotHeatmap(ts *TableSeries, label string, t plotTime) (*Plot, error) {
	rows := max(len(ts.PartitionRead), 1)
	cols := t.buckets()
	g := &plotHeatGrid{cols: cols, rows: rows, w: float64(t.secs()), z: make([]float64, cols*rows)}
	// The partition count each second: a row at or past it did not
	// exist. A second never sampled (the run's last, or a run without
	// samples) takes the last count seen, or all rows.
	count := make([]int, t.n)
	last := rows
	for i := range t.n {
		if c := int(plotAt(ts.Partitions, i)); c > 0 {
			last = c
		}
		count[i] = last
	}
	if first := plotFirstSample(ts.Partitions, t.n); first > 0 {
		for i := range first {
			count[i] = count[first]
		}
	}
	const readCeiling, writeCeiling = float64(capacity.PartitionReadCeiling), float64(capacity.PartitionWriteCeiling)
	for r := range rows {
		for c := range cols {
			lo, hi := t.span(c)
			v, exists := 0.0, false
			for i := lo; i < hi; i++ {
				if r >= count[i] {
					continue
				}
				exists = true
				var rd, wr units.Units
				if r < len(ts.PartitionRead) {
					rd, wr = plotAt(ts.PartitionRead[r], i), plotAt(ts.PartitionWrite[r], i)
				}
				v = max(v, t.flow(rd.Float()/readCeiling+wr.Float()/writeCeiling))
			}
			if !exists {
				v = math.NaN()
			}
			g.z[r*cols+c] = v
		}
	}
	levels := plotHeatLevels()
	hm := plotter.NewHeatMap(g, plotColors(levels))
	hm.Min, hm.Max = 0, 1
	// Over 100% is possible: the ceiling is a token bucket holding one
	// second's worth, so a second can start with it full and take twice.
	hm.Overflow = levels[len(levels)-1]
	hm.Rasterized = true // one image, not a rectangle per cell

	p := plotNewBare(t, true) // grid lines would show through missing partitions
	p.Add(hm)
	p.Y.Label.Text = "partition"
	p.Y.Tick.Marker = plotIntTicks{}
	p.X.Min, p.X.Max = 0, float64(cols*t.secs())
	p.Y.Min, p.Y.Max = -0.5, float64(rows)-0.5
	p.X.Padding, p.Y.Padding = 0, 0

	// The colour scale: the same palette as a one-column heat map, a
	// cell per level, centred on the level's value.
	bar := plot.New()
	plotStyle(bar)
	bar.HideX()
	bar.X.Padding, bar.Y.Padding = 0, 0
	lg := &plotHeatGrid{cols: 1, rows: len(levels), w: 1, z: make([]float64, len(levels))}
	for i := range lg.z {
		lg.z[i] = float64(i) / float64(len(levels)-1)
	}
	barHM := plotter.NewHeatMap(&plotLevelGrid{lg}, plotColors(levels))
	barHM.Min, barHM.Max = 0, 1
	bar.Add(barHM)
	bar.Y.Tick.Marker = plot.ConstantTicks{
		{Value: 0, Label: "0"}, {Value: 0.25, Label: "25%"}, {Value: 0.5, Label: "50%"},
		{Value: 0.75, Label: "75%"}, {Value: 1, Label: "100%"},
	}
	half := 0.5 / float64(len(levels)-1)
	bar.Y.Min, bar.Y.Max = -half, 1+half

	title := "Partition heat: " + label
	each := "in each " + t.second()
	if t.w > 1 {
		each = "in the busiest " + t.second() + " of " + t.each()
	}
	return &Plot{
		Name:  "heatmap-" + ts.Name,
		Title: title,
		Caption: "How close each partition came to its hard ceiling " + each +
			": read units/3,000 + write units/1,000, so 100% is at the ceiling, which no capacity lifts. " +
			"A dark row is a hot partition. A split inserts the new partition after its parent, " +
			"so the rows above move up one from then on; blank is a partition not yet split off.",
		Width: PlotWidth, Height: PlotHeight,
		fig: &plotFigure{title: title, panels: []plotPanel{{p: p, bar: bar}}},
	}, nil
}

// plotLevelGrid is the colour scale's grid: its cells are a level apart.
type plotLevelGrid struct{ *plotHeatGrid }

func (g *plotLevelGrid) Y(r int) float64 { return g.z[r] }

// plotFirstSample is the first second with a partition count, or -1.
func plotFirstSample(parts []int64, n int) int {
	for i := range min(n, len(parts)) {
		if parts[i] > 0 {
			return i
		}
	}
	return -1
}

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
		return commas(int64(v))
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

// ---- figures: panels, legends, time ticks ----

// plotFigure is a title over panels that share a time axis, each with its
// legend or colour scale in a column to the right.
type plotFigure struct {
	title  string
	panels []plotPanel
}

type plotPanel struct {
	p      *plot.Plot
	legend []plotLegendEntry
	bar    *plot.Plot // a colour scale, instead of a legend
}

type plotLegendEntry struct {
	label string
	thumb plot.Thumbnailer
}

// Layout, in points.
var (
	plotMargin    = vg.Points(6)
	plotGap       = vg.Points(8)
	plotBarWidth  = vg.Points(14)
	plotThumbSize = vg.Points(16)
)

// plotFont is Liberation Sans, which gonum/plot embeds: the sans serif
// reads better at small sizes than its default serif.
var plotFont = font.Font{Typeface: "Liberation", Variant: "Sans"}

func plotTextStyle(size float64) text.Style {
	return text.Style{
		Color:   color.Black,
		Font:    font.From(plotFont, vg.Points(size)),
		Handler: plot.DefaultTextHandler,
	}
}

func (f *plotFigure) draw(c draw.Canvas) {
	c.SetColor(color.White)
	c.Fill(c.Rectangle.Path())
	c = draw.Crop(c, plotMargin, -plotMargin, plotMargin, -plotMargin)

	title := plotTextStyle(11)
	title.Font.Weight = xfont.WeightBold
	title.YAlign = draw.YTop
	c.FillText(title, vg.Point{X: c.Min.X, Y: c.Max.Y}, f.title)
	body := c
	body.Max.Y -= title.Rectangle(f.title).Size().Y + plotGap/2

	// The right column is as wide as the widest legend.
	legendStyle := plotTextStyle(8)
	var col vg.Length
	for _, pn := range f.panels {
		for _, e := range pn.legend {
			col = max(col, plotThumbSize+legendStyle.Width(" "+e.label))
		}
		if pn.bar != nil {
			col = max(col, plotBarWidth+legendStyle.Width("100%")+vg.Points(8))
		}
	}
	left := body
	if col > 0 {
		left.Max.X -= col + plotGap
	}

	grid := make([][]*plot.Plot, len(f.panels))
	for i, pn := range f.panels {
		grid[i] = []*plot.Plot{pn.p}
	}
	cs := plot.Align(grid, draw.Tiles{Rows: len(f.panels), Cols: 1, PadY: plotGap / 2}, left)
	for i, pn := range f.panels {
		pc := cs[i][0]
		pn.p.Draw(pc)
		data := pn.p.DataCanvas(pc)
		side := draw.Canvas{Canvas: c.Canvas, Rectangle: vg.Rectangle{
			Min: vg.Point{X: left.Max.X + plotGap, Y: data.Min.Y},
			Max: vg.Point{X: body.Max.X, Y: data.Max.Y},
		}}
		if len(pn.legend) > 0 {
			l := plot.NewLegend()
			l.TextStyle = legendStyle
			l.Top, l.Left = true, true
			l.ThumbnailWidth = plotThumbSize
			l.Padding = vg.Points(2)
			for _, e := range pn.legend {
				l.Add(e.label, e.thumb)
			}
			l.Draw(side)
		}
		if pn.bar != nil {
			// Move the scale's canvas so that its data area spans the
			// heat map's height exactly.
			bc := side
			bc.Max.X = min(bc.Max.X, bc.Min.X+plotBarWidth+legendStyle.Width("100%")+vg.Points(8))
			d := pn.bar.DataCanvas(bc)
			bc.Min.Y += data.Min.Y - d.Min.Y
			bc.Max.Y += data.Max.Y - d.Max.Y
			pn.bar.Draw(bc)
		}
	}
}

// plotNewPanel returns a plot styled for a figure, with grid lines; a time
// panel (t.n > 0) has the time axis, labelled when showTime is set (the
// bottom panel).
func plotNewPanel(t plotTime, showTime bool) *plot.Plot {
	p := plotNewBare(t, showTime)
	p.Add(plotGrid{})
	return p
}

// plotGrid draws grid lines at the major ticks. Unlike plotter.Grid, it
// counts the unlabelled time ticks of a figure's upper panels as major.
type plotGrid struct{}

func (plotGrid) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	xt := p.X.Tick.Marker
	if _, ok := xt.(plotTimeTicks); ok {
		xt = plotTimeTicks{}
	}
	for _, tk := range xt.Ticks(p.X.Min, p.X.Max) {
		if !tk.IsMinor() && tk.Value >= p.X.Min && tk.Value <= p.X.Max {
			x := trX(tk.Value)
			c.StrokeLine2(plotGridStyle, x, c.Min.Y, x, c.Max.Y)
		}
	}
	for _, tk := range p.Y.Tick.Marker.Ticks(p.Y.Min, p.Y.Max) {
		if !tk.IsMinor() && tk.Value >= p.Y.Min && tk.Value <= p.Y.Max {
			y := trY(tk.Value)
			c.StrokeLine2(plotGridStyle, c.Min.X, y, c.Max.X, y)
		}
	}
}

// plotNewBare is plotNewPanel without grid lines.
func plotNewBare(t plotTime, showTime bool) *plot.Plot {
	p := plot.New()
	plotStyle(p)
	if t.n > 0 {
		p.X.Min, p.X.Max = 0, t.x(t.n)
		p.X.Tick.Marker = plotTimeTicks{blank: true}
		if showTime {
			plotShowTime(p, t)
		}
	}
	return p
}

// plotShowTime labels a panel's time axis.
func plotShowTime(p *plot.Plot, t plotTime) {
	p.X.Tick.Marker = plotTimeTicks{}
	p.X.Label.Text = t.axisLabel()
}

var plotGridStyle = draw.LineStyle{Color: color.Gray{Y: 0xe4}, Width: vg.Points(0.5)}

func plotStyle(p *plot.Plot) {
	p.BackgroundColor = nil // the figure is white
	for _, a := range []*plot.Axis{&p.X, &p.Y} {
		a.Label.TextStyle.Font = font.From(plotFont, vg.Points(9))
		a.Tick.Label.Font = font.From(plotFont, vg.Points(8))
		a.Padding = vg.Points(2)
	}
	p.Y.Label.Padding = vg.Points(3)
	p.Y.Tick.Marker = plotLinTicks{}
}

// plotAddLines adds one step line per run (from plotSteps), all in one
// style, filled below with fill when it is not nil.
func plotAddLines(p *plot.Plot, runs []plotter.XYs, sty draw.LineStyle, fill color.Color) error {
	for _, xys := range runs {
		l, err := plotter.NewLine(xys)
		if err != nil {
			return fmt.Errorf("reports: plots: %v", err)
		}
		l.StepStyle = plotter.PostStep
		l.LineStyle = sty
		l.FillColor = fill
		p.Add(l)
	}
	return nil
}

// plotThumb is a legend thumbnail: a filled square or a line.
func plotThumb(sty draw.LineStyle, fill color.Color) plot.Thumbnailer {
	return &plotter.Line{LineStyle: sty, FillColor: fill}
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
// apart, with lighter fills for areas.
var (
	plotBlue       = color.RGBA{0x00, 0x72, 0xb2, 0xff}
	plotGreen      = color.RGBA{0x00, 0x9e, 0x73, 0xff}
	plotOrange     = color.RGBA{0xe6, 0x9f, 0x00, 0xff}
	plotVermillion = color.RGBA{0xd5, 0x5e, 0x00, 0xff}
	plotPurple     = color.RGBA{0xcc, 0x79, 0xa7, 0xff}
	plotGreenFill  = color.RGBA{0x7f, 0xce, 0xb9, 0xff}
	plotSkyFill    = color.RGBA{0xaa, 0xd9, 0xf4, 0xff}
	plotYellow     = color.RGBA{0xf0, 0xe4, 0x42, 0xff}
	plotNavyFill   = color.RGBA{0x5a, 0x8f, 0xc4, 0xff}
	plotTealFill   = color.RGBA{0x9f, 0xd8, 0xc4, 0xff}
	plotPinkFill   = color.RGBA{0xe8, 0xbc, 0xd4, 0xff}
	plotGrey       = color.RGBA{0x99, 0x99, 0x99, 0xff}
)
