package plot

import (
	"bytes"
	"fmt"
	"html"
	"image"
	"image/png"
	"math"
	"slices"
	"strings"
	"sync"

	"git.sr.ht/~sbinet/gg"
	xdraw "golang.org/x/image/draw"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"

	"github.com/ddbsim/ddbsim/reports"
	"github.com/ddbsim/ddbsim/sim"
)

// Plot sizes. Every figure is Width wide; most are Height high,
// the capacity figures, which stack three panels, tallHeight. A PNG has
// PixelsPerCm pixels per centimetre (254 dpi), so a 16 cm x 9 cm figure
// is exactly 1600 x 900 pixels.
const (
	Width       = 16.0 // cm
	Height      = 9.0  // cm
	PixelsPerCm = 100

	tallHeight = 12.0 // cm
	dpi        = PixelsPerCm * 254 / 100
)

// Points per series. A time series longer than maxPoints seconds is
// drawn in buckets of a round number of seconds (the smallest that keeps it
// at or under the limit), so that a day-long run stays readable and its SVG
// small. The PNG has about 1,250 pixels across the data: the heat map
// needs two or more per column, or the PNG's scaling could drop the column
// holding the hot second. Every plot of a run shares that one bucket
// width, so that a bucket is the same span of time in each of them; the
// interactive charts of report.html zoom into it.
const maxPoints = 600

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

	// Chart is the figure's data for an interactive chart (the same
	// buckets the figure draws), nil for a figure that is not a time
	// series.
	Chart *Chart

	table string // the table a per-table figure draws
	fig   *figure
	mu    *sync.Mutex // drawing a gonum plot settles its axes in place
}

// Render draws the plot as "svg" or "png". The same plot renders to the same
// bytes every time. It is safe to call from several goroutines.
//
// The SVG has no XML declaration, so it can be written to a file as is or
// inlined into HTML; it carries the title in a <title> element, sizes in
// points with a viewBox (CSS can scale it), and fonts by name (Liberation
// Sans, whose metrics laid the text out, then Arial, which has the same
// metrics). The PNG is Width x Height at PixelsPerCm, on white.
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
		return cleanSVG(b.Bytes(), p.Title), nil
	case "png":
		img := image.NewRGBA(image.Rect(0, 0,
			int(math.Round(p.Width*PixelsPerCm)), int(math.Round(p.Height*PixelsPerCm))))
		// vgimg's own context scales images bilinearly, which blurs
		// the heat map's cells into each other: give it one that takes
		// the nearest pixel, set up as vgimg sets up its own.
		ctx := gg.NewContextForRGBA(img)
		ctx.SetLineCapButt()
		ctx.InvertY()
		ctx.SetInterpolator(xdraw.NearestNeighbor)
		c := vgimg.NewWith(vgimg.UseImageWithContext(img, ctx), vgimg.UseDPI(dpi))
		p.fig.draw(draw.New(c))
		if err := png.Encode(&b, img); err != nil {
			return nil, err
		}
		return b.Bytes(), nil
	}
	return nil, fmt.Errorf("reports: plot format %q: want svg or png", format)
}

// cleanSVG makes vgsvg's output fit for a file and for inlining: it
// drops the XML declaration and the generator comment, adds a <title>,
// names fonts that fall back well, and labels the heat map's embedded image
// as the PNG it is, to be stretched to its box (an <image> keeps its aspect
// ratio by default) without smoothing.
func cleanSVG(svg []byte, title string) []byte {
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

// Figures returns the figures of r, in the order a report shows them:
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
// request finished, every figure when the run covers no time. Figures does the
// work of reading the series; Render only draws.
//
// Runs longer than 600 seconds are drawn in buckets of a round number of
// seconds (2 s, 5 s, ... 1 min, ...), per-second means of the buckets'
// seconds, latency percentiles of their requests, and for the heat map the
// busiest second; the axis label and the caption say so.
//
// The figures read Result.Series; it is an error for it to be nil. Each
// figure is one function of the Result returning a *Plot, so a new one (the
// cost of a run, once the Result carries billing) is one more call here.
func Figures(r *reports.Result) ([]Plot, error) {
	s := r.Series
	if s == nil {
		return nil, fmt.Errorf("reports: plots: the result has no series")
	}
	n := s.Len()
	u := s.StepSeconds()
	if d := ceilSeconds(sim.FromSeconds(r.DurationS)); d > 0 && (d+u-1)/u < n {
		n = (d + u - 1) / u // a finish exactly at the end opens one more second
	}
	if n == 0 {
		return nil, nil
	}
	tm := newTimeAxisStep(n, maxPoints, u)

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
	hist, buckets, err := latencyHistograms(s, tm)
	if err != nil {
		return nil, err
	}
	if err := add(latencyFigure(s, tm, buckets)); err != nil {
		return nil, err
	}
	if err := add(throughputFigure(s, tm)); err != nil {
		return nil, err
	}
	for i := range s.Tables {
		mode, label := "", s.Tables[i].Name
		if i < len(r.Tables) {
			mode, label = r.Tables[i].Mode, reports.TableLabel(&r.Tables[i])
		}
		if err := add(capacityFigure(&s.Tables[i], label, mode, tm)); err != nil {
			return nil, err
		}
		if err := add(heatmapFigure(&s.Tables[i], label, tm, r.CapacityEvents)); err != nil {
			return nil, err
		}
	}
	if err := add(cacheFigure(s, tm)); err != nil {
		return nil, err
	}
	if err := add(streamsFigure(r, tm)); err != nil {
		return nil, err
	}
	if err := add(replicationFigure(r, tm)); err != nil {
		return nil, err
	}
	if err := add(spectrumFigure(hist)); err != nil {
		return nil, err
	}
	if err := add(costFigure(s, tm)); err != nil {
		return nil, err
	}
	markers := Markers(r)
	for i := range plots {
		p := &plots[i]
		switch {
		case p.Name == "latency" || p.Name == "throughput":
			addMarkers(p.fig, markers, "")
		case strings.HasPrefix(p.Name, "capacity-"):
			addMarkers(p.fig, markers, p.table)
		}
		if p.Chart != nil {
			p.Chart.Markers = markersOf(markers, p.table)
		}
	}
	return plots, nil
}

// ceilSeconds is the number of series seconds a run of duration d spans.
func ceilSeconds(d sim.Time) int {
	return int((d + sim.Second - 1) / sim.Second)
}
