package plot

import (
	"image/color"
	"slices"

	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/ddbsim/ddbsim/model"
	"github.com/ddbsim/ddbsim/reports"
)

func plotThroughput(s *reports.Series, t plotTime) (*Plot, error) {
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
		Width: Width, Height: Height,
		fig: &plotFigure{title: title, panels: []plotPanel{pn}},
	}, nil
}

// plotCost draws the account's cost so far, stacked by line item; nil
// without prices.
func plotCost(s *reports.Series, t plotTime) (*Plot, error) {
	if len(s.CostByItem) != len(model.LineItems) {
		return nil, nil
	}
	nb := t.buckets()
	// Cumulative cost at the end of each bucket, stacked in line-item
	// order.
	stacks := make([][]float64, len(model.LineItems))
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
	show := make([]bool, len(model.LineItems))
	for k, item := range model.LineItems {
		show[k] = !reports.OptionalLineItem(item) || slices.ContainsFunc(s.CostByItem[k], func(v float64) bool { return v != 0 })
	}
	p := plotNewPanel(t, true)
	p.Y.Label.Text = "US dollars so far"
	var pn plotPanel
	all := plotAll(nb)
	for k := len(stacks) - 1; k >= 0; k-- { // top of the stack first, as in plotThroughput
		if !show[k] {
			continue
		}
		if err := plotAddLines(p, plotSteps(t, stacks[k], all), draw.LineStyle{}, plotCostFill(model.LineItems[k])); err != nil {
			return nil, err
		}
	}
	for k, item := range model.LineItems {
		if show[k] {
			pn.legend = append(pn.legend, plotLegendEntry{reports.LineItemLabel(item), plotThumb(draw.LineStyle{}, plotCostFill(item))})
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
		Width: Width, Height: Height,
		fig: &plotFigure{title: title, panels: []plotPanel{pn}},
	}, nil
}

// plotCostFills give each line item its own fill, whatever its place in
// model.LineItems: a run's colours stay when the model adds line items.
var plotCostFills = map[string]color.Color{
	model.ItemReservedRead:            plotOrange,
	model.ItemReservedWrite:           plotVermillion,
	model.ItemReadCapacity:            plotSkyFill,
	model.ItemWriteCapacity:           plotBlue,
	model.ItemReadRequests:            plotGreenFill,
	model.ItemWriteRequests:           plotGreen,
	model.ItemStorage:                 plotPurple,
	model.ItemDAXNodes:                plotYellow,
	model.ItemReplicatedWriteCapacity: plotNavyFill,
	model.ItemReplicatedWriteRequests: plotTealFill,
	model.ItemTTLDeletes:              plotGrey,
	model.ItemStreamReads:             plotPinkFill,
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
