package plot

import (
	"encoding/json"
	"fmt"
	"image/color"
	"math"
	"strconv"
)

// Chart is a time figure's data for an interactive chart (report.html
// draws it with uPlot): the same buckets as the static figure, so zooming
// into either shows the same numbers.
type Chart struct {
	// X is each bucket's start, in seconds from the start of the run.
	X []float64 `json:"x"`
	// YLabel names the y axis; LogY puts it on a log scale (latency).
	YLabel string        `json:"ylabel"`
	LogY   bool          `json:"log,omitempty"`
	Series []ChartSeries `json:"series"`
	// Markers are the run's markers drawn on this figure.
	Markers []Marker `json:"markers,omitempty"`
}

// ChartSeries is one line of a Chart.
type ChartSeries struct {
	Label string `json:"label"`
	// Color is the line's CSS colour, "#rrggbb".
	Color string `json:"color"`
	// Fill is set for an area; Hidden for a line that starts hidden
	// (off the scale of the others): a click on its legend entry shows it.
	Fill   bool `json:"fill,omitempty"`
	Hidden bool `json:"hidden,omitempty"`
	// Values has one per bucket; NaN is a gap (JSON null).
	Values chartValues `json:"values"`
}

// chartValues marshal to JSON numbers, rounded to 4 significant digits
// (plenty for a hover, and it keeps the page small), with null for NaN.
type chartValues []float64

func (v chartValues) MarshalJSON() ([]byte, error) {
	b := make([]byte, 0, 8*len(v)+2)
	b = append(b, '[')
	for i, x := range v {
		if i > 0 {
			b = append(b, ',')
		}
		switch {
		case math.IsNaN(x) || math.IsInf(x, 0):
			b = append(b, "null"...)
		default:
			b = strconv.AppendFloat(b, sig4(x), 'g', -1, 64)
		}
	}
	return append(b, ']'), nil
}

// sig4 rounds x to 4 significant digits.
func sig4(x float64) float64 {
	if x == 0 {
		return 0
	}
	f, _ := strconv.ParseFloat(strconv.FormatFloat(x, 'g', 4, 64), 64)
	return f
}

// JSON is the chart as JSON, for a page to hand to its charting code.
func (c *Chart) JSON() ([]byte, error) {
	b, err := json.Marshal(c)
	if err != nil {
		return nil, fmt.Errorf("reports: chart: %w", err)
	}
	return b, nil
}

// newChart starts a chart on time axis t.
func newChart(t timeAxis, ylabel string) *Chart {
	nb := t.buckets()
	c := &Chart{X: make([]float64, nb), YLabel: ylabel}
	for b := range nb {
		lo, _ := t.span(b)
		c.X[b] = t.x(lo)
	}
	return c
}

// add adds a line; ok[b] false (when ok is not nil) is a gap.
func (c *Chart) add(label string, col color.Color, fill bool, v []float64, ok []bool) {
	vals := make(chartValues, len(v))
	for b := range v {
		vals[b] = v[b]
		if ok != nil && !ok[b] {
			vals[b] = math.NaN()
		}
	}
	c.Series = append(c.Series, ChartSeries{Label: label, Color: cssColor(col), Fill: fill, Values: vals})
}

func cssColor(c color.Color) string {
	r, g, b, _ := c.RGBA()
	return fmt.Sprintf("#%02x%02x%02x", r>>8, g>>8, b>>8)
}

// markersOf picks the markers a chart shows: all of them on the run's
// figures (table ""), the table's own on its capacity figure.
func markersOf(ms []Marker, table string) []Marker {
	var out []Marker
	for _, m := range ms {
		if table == "" || m.Table == table {
			out = append(out, m)
		}
	}
	return out
}
