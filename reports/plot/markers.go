package plot

import (
	"image/color"
	"slices"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/ddbsim/ddbsim/reports"
)

// Marker is a moment of a run worth a vertical line across its time
// plots: when throttling started, when capacity changed, when a partition
// split, when a region went down and came back.
type Marker struct {
	// TimeS is when, in seconds from the start.
	TimeS float64 `json:"t_s"`
	// Kind is one of MarkerThrottle, MarkerCapacity, MarkerSplit,
	// MarkerOutage.
	Kind string `json:"kind"`
	// Table names the table it happened to; "" for the run as a whole.
	Table string `json:"table,omitempty"`
	// Label says what happened in a few words, for a hover or a table.
	Label string `json:"label"`
}

// The kinds of Marker.
const (
	MarkerThrottle = "throttling started"
	MarkerCapacity = "capacity changed"
	MarkerSplit    = "partition split"
	MarkerOutage   = "region outage"
)

// markerKinds lists the kinds in legend order.
var markerKinds = []string{MarkerThrottle, MarkerCapacity, MarkerSplit, MarkerOutage}

// markerStyle is a kind's line: dashed, in a colour the data lines do not
// use for anything close.
func markerStyle(kind string) draw.LineStyle {
	sty := draw.LineStyle{Width: vg.Points(0.8), Dashes: []vg.Length{vg.Points(3), vg.Points(2)}}
	switch kind {
	case MarkerThrottle:
		sty.Color = color.RGBA{0xc0, 0x00, 0x20, 0xff}
		sty.Width = vg.Points(1.2)
	case MarkerCapacity:
		sty.Color = color.RGBA{0x33, 0x33, 0x33, 0xff}
	case MarkerOutage:
		sty.Color = color.RGBA{0xe0, 0x70, 0x00, 0xff}
		sty.Width = vg.Points(1.2)
		sty.Dashes = []vg.Length{vg.Points(6), vg.Points(2)}
	default:
		sty.Color = color.RGBA{0x7b, 0x3f, 0xa0, 0xff}
		sty.Dashes = []vg.Length{vg.Points(1), vg.Points(1.5)}
	}
	return sty
}

// Markers returns r's markers in time order: for each table the moment
// its first request was throttled (from the throttles the collector kept,
// else the first second the series counted one), and every capacity change
// that took effect and every partition split among r.CapacityEvents, and
// each region outage's start and end (r.Outages)
// (requests for a change and refused decreases are not drawn: the
// capacity did not move). A run without a series has only the events.
func Markers(r *reports.Result) []Marker {
	var ms []Marker
	if s := r.Series; s != nil {
		u := float64(s.StepSeconds())
		for k, ts := range s.Tables {
			i := slices.IndexFunc(ts.ThrottleEvents, func(v int64) bool { return v > 0 })
			if i < 0 {
				continue
			}
			at := float64(i) * u
			// The kept throttles have the instant; the series only
			// the second it counted the throttle in.
			for _, e := range r.Explanations {
				if e.Event.Table == k {
					at = e.At.Seconds()
					break
				}
			}
			ms = append(ms, Marker{TimeS: at, Kind: MarkerThrottle, Table: ts.Name,
				Label: ts.Name + ": throttling started"})
		}
	}
	for _, e := range r.CapacityEvents {
		kind := ""
		switch e.Kind {
		case "update applied", "on-demand capacity grew", "mode switched":
			kind = MarkerCapacity
		case "partitions doubled", "size split", "heat split", "hot key isolated":
			kind = MarkerSplit
		default:
			continue
		}
		ms = append(ms, Marker{TimeS: e.TimeS, Kind: kind, Table: e.Table, Label: e.Table + ": " + e.Kind})
	}
	for _, o := range r.Outages {
		ms = append(ms, Marker{TimeS: o.StartS, Kind: MarkerOutage, Label: o.Region + ": down"})
		if o.EndS < r.DurationS {
			ms = append(ms, Marker{TimeS: o.EndS, Kind: MarkerOutage, Label: o.Region + ": back"})
		}
	}
	slices.SortStableFunc(ms, func(a, b Marker) int {
		switch {
		case a.TimeS < b.TimeS:
			return -1
		case a.TimeS > b.TimeS:
			return 1
		}
		return 0
	})
	return ms
}

// markerLines draws markers as vertical lines across a panel.
type markerLines []Marker

func (m markerLines) Plot(c draw.Canvas, p *plot.Plot) {
	trX, _ := p.Transforms(&c)
	for _, mk := range m {
		if mk.TimeS < p.X.Min || mk.TimeS > p.X.Max {
			continue
		}
		x := trX(mk.TimeS)
		c.StrokeLine2(markerStyle(mk.Kind), x, c.Min.Y, x, c.Max.Y)
	}
}

// addMarkers draws the markers of table (all of them when table is "")
// on every panel of f, and adds a legend entry for each kind drawn to
// the first panel's legend. Figures without markers are unchanged.
func addMarkers(f *figure, ms []Marker, table string) {
	var keep markerLines
	for _, m := range ms {
		if table == "" || m.Table == table || m.Table == "" {
			keep = append(keep, m)
		}
	}
	if len(keep) == 0 || len(f.panels) == 0 {
		return
	}
	for i := range f.panels {
		f.panels[i].p.Add(keep)
	}
	for _, kind := range markerKinds {
		if slices.ContainsFunc(keep, func(m Marker) bool { return m.Kind == kind }) {
			pn := &f.panels[0]
			pn.legend = append(pn.legend, legendEntry{kind, thumbnail(markerStyle(kind), nil)})
		}
	}
}
