package plot

import (
	"image/color"
	"math"
	"strconv"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/ddbsim/ddbsim/reports"
)

// streamsFigure draws each stream consumer's iterator age over time (how old
// the oldest record it had not processed was: its lag) and, below, its
// backlog, the largest sampled in each bucket. nil when no table has a
// stream consumer.
func streamsFigure(r *reports.Result, t timeAxis) (*Plot, error) {
	s := r.Series
	type line struct {
		label string
		cs    *reports.ConsumerSeries
	}
	var lines []line
	tables := 0
	for i := range s.Tables {
		if len(s.Tables[i].Consumers) > 0 {
			tables++
		}
	}
	for i := range s.Tables {
		ts := &s.Tables[i]
		name := ts.Name
		if i < len(r.Tables) {
			name = reports.TableLabel(&r.Tables[i])
		}
		for k := range ts.Consumers {
			l := line{label: ts.Consumers[k].Name, cs: &ts.Consumers[k]}
			if tables > 1 || l.label == "" {
				l.label = name + ": " + l.label
			}
			lines = append(lines, l)
		}
	}
	if len(lines) == 0 {
		return nil, nil
	}
	nb := t.buckets()
	colors := []color.Color{blue, vermillion, green, orange, purple}
	age := newPanel(t, false)
	age.Y.Label.Text = "iterator age, s"
	backlog := newPanel(t, true)
	backlog.Y.Label.Text = "backlog, records"
	var agePanel, backlogPanel figurePanel
	peakAge, peakBacklog := 0.0, 0.0
	all := keepAll(nb)
	for j, l := range lines {
		av, bv := make([]float64, nb), make([]float64, nb)
		for b := range nb {
			lo, hi := t.span(b)
			for i := lo; i < hi; i++ {
				av[b] = max(av[b], valueAt(l.cs.IteratorAge, i).Seconds())
				bv[b] = max(bv[b], float64(valueAt(l.cs.Backlog, i)))
			}
			peakAge, peakBacklog = max(peakAge, av[b]), max(peakBacklog, bv[b])
		}
		sty := draw.LineStyle{Color: colors[j%len(colors)], Width: vg.Points(1)}
		if err := addLines(age, stepLines(t, av, all), sty, nil); err != nil {
			return nil, err
		}
		if err := addLines(backlog, stepLines(t, bv, all), sty, nil); err != nil {
			return nil, err
		}
		agePanel.legend = append(agePanel.legend, legendEntry{l.label, thumbnail(sty, nil)})
		backlogPanel.legend = append(backlogPanel.legend, legendEntry{l.label, thumbnail(sty, nil)})
	}
	fromZero(age, peakAge)
	fromZero(backlog, peakBacklog)
	agePanel.p, backlogPanel.p = age, backlog

	each := "each " + t.second()
	if t.w > 1 {
		each = "the largest sampled in " + t.each()
	}
	title := "Stream iterator age"
	return &Plot{
		Name:  "stream-iterator-age",
		Title: title,
		Caption: "How far behind each stream consumer was, " + each + ": its iterator age, the age of the oldest " +
			"record it had not yet processed (0 when it had caught up), and below, the records waiting for it. " +
			"A line that climbs without falling is a consumer slower than the writes; past 24 hours records leave the stream unprocessed.",
		Width: Width, Height: tallHeight,
		fig: &figure{title: title, panels: []figurePanel{agePanel, backlogPanel}},
	}, nil
}

// fromZero starts a panel's Y axis at 0, with room for a flat line at
// 0 when nothing rose above it.
func fromZero(p *plot.Plot, peak float64) {
	p.Y.Min = 0
	if peak <= 0 {
		p.Y.Max = 1
	}
}

// replicationFigure draws the global tables' stale reads and conflicts over
// time, and below, the availability of each 5-minute interval as the SLA
// measures it. nil when the run has no global table.
func replicationFigure(r *reports.Result, t timeAxis) (*Plot, error) {
	rs := r.Series.Replication
	if rs == nil {
		return nil, nil
	}
	nb := t.buckets()
	top := newPanel(t, false)
	top.Y.Label.Text = "per second"
	var topPanel figurePanel
	peak := 0.0
	for _, l := range []struct {
		label    string
		v        []int64
		color    color.Color
		optional bool
	}{
		{"stale reads", rs.StaleReads, vermillion, false},
		{"conflicts", rs.Conflicts, purple, false},
		{"unreplicated at outage", rs.Unreplicated, orange, true},
	} {
		v := make([]float64, nb)
		any := false
		for b := range nb {
			v[b], _ = bucketMean(t, b, l.v, fromCount, nil)
			v[b] = t.flow(v[b])
			peak = max(peak, v[b])
			any = any || v[b] > 0
		}
		if l.optional && !any {
			continue // no outage caught a write: no line, no legend entry
		}
		sty := draw.LineStyle{Color: l.color, Width: vg.Points(1)}
		if err := addLines(top, stepLines(t, v, keepAll(nb)), sty, nil); err != nil {
			return nil, err
		}
		topPanel.legend = append(topPanel.legend, legendEntry{l.label, thumbnail(sty, nil)})
	}
	fromZero(top, peak)
	topPanel.p = top

	bottom := newPanel(t, true)
	bottom.Y.Label.Text = "availability, %"
	bottom.Y.Tick.Marker = percentTicks{}
	var bottomPanel figurePanel
	var xys plotter.XYs
	low := 100.0
	iv := reports.AvailabilityInterval.Seconds()
	for _, a := range r.Availability {
		if a.TimeS >= t.x(t.n) {
			break
		}
		v := a.Ratio * 100
		low = min(low, v)
		xys = append(xys, plotter.XY{X: a.TimeS, Y: v})
	}
	if len(xys) > 0 {
		last := xys[len(xys)-1]
		xys = append(xys, plotter.XY{X: min(last.X+iv, t.x(t.n)), Y: last.Y})
		sty := draw.LineStyle{Color: green, Width: vg.Points(1.25)}
		if err := addLines(bottom, []plotter.XYs{xys}, sty, nil); err != nil {
			return nil, err
		}
		bottomPanel.legend = append(bottomPanel.legend, legendEntry{"availability", thumbnail(sty, nil)})
	}
	// Availability lives just under 100%: a scale from 0 would show a flat
	// line. Show at least 99.9-100%, more when an interval fell further.
	bottom.Y.Min = 99.9
	if low < 99.9 {
		bottom.Y.Min = max(0, low-(100-low)*0.1)
	}
	bottom.Y.Max = 100 + (100-bottom.Y.Min)*0.05
	bottomPanel.p = bottom

	title := "Global tables: replication and availability"
	return &Plot{
		Name:  "replication",
		Title: title,
		Caption: "Above, " + t.perSecond() + ", stale reads (GetItems on a replica that read a copy another region had written since) " +
			"and conflicts (replicated writes that lost last-writer-wins at a replica, each an overwritten update). " +
			"Below, the availability of each 5-minute interval as the SLA measures it: 1 - requests that failed unavailable " +
			"(region down, timeout, write or transaction conflict) over requests ended; throttles do not count. " +
			"The SLA is 99.999% for a global table, 99.99% for one region.",
		Width: Width, Height: tallHeight,
		fig: &figure{title: title, panels: []figurePanel{topPanel, bottomPanel}},
	}, nil
}

// percentTicks marks a percentage axis as linTicks does, each label
// with the decimals its value needs ("99.9", "99.925", "100").
type percentTicks struct{}

func (percentTicks) Ticks(lo, hi float64) []plot.Tick {
	ticks := linTicks{}.Ticks(lo, hi)
	for i := range ticks {
		v := ticks[i].Value
		for d := 0; d <= 6; d++ {
			s := strconv.FormatFloat(v, 'f', d, 64)
			if f, _ := strconv.ParseFloat(s, 64); math.Abs(f-v) < 1e-9 || d == 6 {
				ticks[i].Label = s
				break
			}
		}
	}
	return ticks
}
