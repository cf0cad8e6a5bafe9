package plot

import (
	"image/color"
	"math"

	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/ddbsim/ddbsim/model/units"
	"github.com/ddbsim/ddbsim/reports"
)

// capacityFigure draws table ts's consumption against its capacity; label
// names it in the title (an index as "<index> (index of <table>)").
func capacityFigure(ts *reports.TableSeries, label, mode string, t timeAxis) (*Plot, error) {
	nb := t.buckets()
	sampled := func(i int) bool { return valueAt(ts.Partitions, i) > 0 }
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
	chart := newChart(t, "units/s")
	panel := func(unit string, used, capacity []units.Units) (figurePanel, error) {
		p := newPanel(t, false)
		p.Y.Label.Text = unit
		var pn figurePanel
		v := make([]float64, nb)
		c := make([]float64, nb)
		ok := make([]bool, nb)
		for b := range nb {
			v[b], _ = bucketMean(t, b, used, fromUnits, nil)
			v[b] = t.flow(v[b])
			c[b], ok[b] = bucketMean(t, b, capacity, fromUnits, sampled)
		}
		kind := "read"
		if unit == "WCU/s" {
			kind = "write"
		}
		usedSty := draw.LineStyle{Color: blue, Width: vg.Points(0.5)}
		if err := addLines(p, stepLines(t, v, keepAll(nb)), usedSty, skyFill); err != nil {
			return pn, err
		}
		pn.legend = append(pn.legend, legendEntry{"consumed", thumbnail(draw.LineStyle{}, skyFill)})
		peakUsed, peakCap := 0.0, 0.0
		for b := range nb {
			peakUsed = max(peakUsed, v[b])
			if ok[b] {
				peakCap = max(peakCap, c[b])
			}
		}
		chart.add(kind+" consumed", map[string]color.Color{"read": blue, "write": vermillion}[kind], true, v, nil)
		if sampledAny {
			chart.add(kind+" "+capLabel, map[string]color.Color{"read": color.Black, "write": purple}[kind], false, c, ok)
			// Off scale, the line starts hidden (its legend entry
			// shows it), so that consumption fills the chart.
			chart.Series[len(chart.Series)-1].Hidden = peakUsed > 0 && peakCap > offScale*peakUsed
		}
		if sampledAny {
			capSty := draw.LineStyle{Color: color.Black, Width: vg.Points(1.25)}
			if err := addLines(p, stepLines(t, c, ok), capSty, nil); err != nil {
				return pn, err
			}
			label := capLabel
			if peakUsed > 0 && peakCap > offScale*peakUsed {
				// Consumption would be a sliver under the line (an
				// on-demand table's warm throughput): scale the panel
				// to consumption and leave the line above it.
				p.Y.Max = peakUsed * 1.25
				label = "instant: " + number(math.Round(peakCap)) + " (off scale)"
				if mode == "provisioned" {
					label = "provisioned: " + number(math.Round(peakCap)) + " (off scale)"
				}
			}
			pn.legend = append(pn.legend, legendEntry{label, thumbnail(capSty, nil)})
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
	panels := []figurePanel{read, write}

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
				if c := valueAt(capacity, i); sampled(i) && c > 0 {
					sum += valueAt(bank, i).Float() / c.Float()
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
		p := newPanel(t, true)
		p.Y.Label.Text = "burst, s"
		var pn figurePanel
		for _, l := range []struct {
			label string
			v     []float64
			ok    []bool
			color color.Color
		}{{"read credit", rv, rok, blue}, {"write credit", wv, wok, vermillion}} {
			sty := draw.LineStyle{Color: l.color, Width: vg.Points(1)}
			if err := addLines(p, stepLines(t, l.v, l.ok), sty, nil); err != nil {
				return nil, err
			}
			pn.legend = append(pn.legend, legendEntry{l.label, thumbnail(sty, nil)})
		}
		p.Y.Min = 0
		pn.p = p
		panels = append(panels, pn)
	} else {
		showTimeAxis(write.p, t)
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
	height := Height
	if len(panels) == 3 {
		height = tallHeight
	}
	return &Plot{
		Name:    "capacity-" + ts.Name,
		Title:   title,
		Caption: caption,
		Width:   Width, Height: height,
		Chart: chart,
		table: ts.Name,
		fig:   &figure{title: title, panels: panels},
	}, nil
}

// offScale is how many times its peak consumption a table's capacity
// may be before the capacity panel is scaled to consumption alone.
const offScale = 8
