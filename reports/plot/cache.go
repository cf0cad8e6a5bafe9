package plot

import (
	"image/color"
	"slices"

	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/ddbsim/ddbsim/reports"
)

// cacheFigure draws the caches' hit rates over time, item cache against
// query cache, all clusters together; below, each cluster's load as a
// share of its capacity in the busiest second of each bucket, when the
// clusters' capacities are known. nil when the run has no cluster, or its
// clusters saw no lookup and no load.
func cacheFigure(s *reports.Series, t timeAxis) (*Plot, error) {
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
				ih, im := valueAt(c.ItemHits, i), valueAt(c.ItemMisses, i)
				qh, qm := valueAt(c.QueryHits, i), valueAt(c.QueryMisses, i)
				itemHits[b] += float64(ih)
				itemAll[b] += float64(ih + im)
				queryHits[b] += float64(qh)
				queryAll[b] += float64(qh + qm)
				lookups = lookups || ih+im+qh+qm > 0
				loaded = loaded || valueAt(c.Load, i) > 0
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
	p := newPanel(t, !showLoad)
	p.Y.Label.Text = "hit rate, %"
	var pn figurePanel
	for _, l := range []struct {
		label     string
		hits, all []float64
		color     color.Color
	}{
		{"item cache", itemHits, itemAll, blue},
		{"query cache", queryHits, queryAll, vermillion},
	} {
		v, ok := rate(l.hits, l.all)
		if !slices.Contains(ok, true) {
			continue // a cache nothing looked up: no line, no legend entry
		}
		sty := draw.LineStyle{Color: l.color, Width: vg.Points(1.25)}
		if err := addLines(p, stepLines(t, v, ok), sty, nil); err != nil {
			return nil, err
		}
		pn.legend = append(pn.legend, legendEntry{l.label, thumbnail(sty, nil)})
	}
	p.Y.Min, p.Y.Max = 0, 100
	pn.p = p
	panels := []figurePanel{pn}

	if showLoad {
		p := newPanel(t, true)
		p.Y.Label.Text = "load, % of capacity"
		var pn figurePanel
		colors := []color.Color{green, orange, purple, blue, vermillion}
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
					v[b] = max(v[b], 100*t.flow(valueAt(c.Load, i).Float())/c.Capacity.Float())
				}
				peak = max(peak, v[b])
			}
			sty := draw.LineStyle{Color: colors[k%len(colors)], Width: vg.Points(1)}
			if err := addLines(p, stepLines(t, v, keepAll(nb)), sty, nil); err != nil {
				return nil, err
			}
			pn.legend = append(pn.legend, legendEntry{c.Name, thumbnail(sty, nil)})
		}
		capSty := draw.LineStyle{Color: color.Black, Width: vg.Points(1.25), Dashes: []vg.Length{vg.Points(3), vg.Points(2)}}
		if err := addLines(p, []plotter.XYs{{{X: 0, Y: 100}, {X: t.x(t.n), Y: 100}}}, capSty, nil); err != nil {
			return nil, err
		}
		pn.legend = append(pn.legend, legendEntry{"capacity", thumbnail(capSty, nil)})
		p.Y.Min, p.Y.Max = 0, peak*1.1
		pn.p = p
		panels = append(panels, pn)
	}

	title := "DAX cache hit rate over time"
	caption := "Hits over lookups in " + t.each() + ", the item cache (GetItem, BatchGetItem) against the query cache " +
		"(Query, Scan), all clusters together; a gap is one without lookups. A cold cache starts low and climbs as it fills; " +
		"the query cache stays lower, keyed by the exact request, and writes do not refresh it."
	height := Height
	if showLoad {
		each := "each " + t.second()
		if t.w > 1 {
			each = "the busiest " + t.second() + " of " + t.each()
		}
		caption += " Below, each cluster's normalized load in " + each +
			" as a share of its capacity (nodes x per-node capacity): above the dashed line the cluster throttles."
		height = tallHeight
	}
	return &Plot{
		Name:    "cache-hit-rate",
		Title:   title,
		Caption: caption,
		Width:   Width, Height: height,
		fig: &figure{title: title, panels: panels},
	}, nil
}
