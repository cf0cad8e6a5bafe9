package plot

import (
	"image/color"
	"slices"

	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/ddbsim/ddbsim/model/billing"
	"github.com/ddbsim/ddbsim/reports"
)

func throughputFigure(s *reports.Series, t timeAxis) (*Plot, error) {
	n := t.n
	var succ, thr, errs, events []int64 = make([]int64, n), make([]int64, n), make([]int64, n), make([]int64, n)
	for _, ts := range s.Tables {
		for i := range n {
			succ[i] += valueAt(ts.Succeeded, i)
			thr[i] += valueAt(ts.Throttled, i)
			errs[i] += valueAt(ts.Errors, i)
			events[i] += valueAt(ts.ThrottleEvents, i)
		}
	}
	nb := t.buckets()
	mean := func(s []int64) []float64 {
		v := make([]float64, nb)
		for b := range v {
			v[b], _ = bucketMean(t, b, s, fromCount, nil)
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

	p := newPanel(t, true)
	p.Y.Label.Text = "requests/s"
	var pn figurePanel
	all := keepAll(nb)
	// Stacked areas, drawn top of the stack first: each fills down to 0
	// and the next covers all but its own band.
	areas := []struct {
		label string
		v     []float64
		fill  color.Color
	}{
		{"errors", stack3, purple},
		{"throttled (gave up)", stack2, vermillion},
		{"succeeded", vs, greenFill},
	}
	for _, a := range areas {
		if err := addLines(p, stepLines(t, a.v, all), draw.LineStyle{}, a.fill); err != nil {
			return nil, err
		}
	}
	for i := len(areas) - 1; i >= 0; i-- {
		pn.legend = append(pn.legend, legendEntry{areas[i].label, thumbnail(draw.LineStyle{}, areas[i].fill)})
	}
	offered := draw.LineStyle{Color: color.Black, Width: vg.Points(1)}
	if err := addLines(p, stepLines(t, mean(clip(s.Offered, n)), all), offered, nil); err != nil {
		return nil, err
	}
	pn.legend = append(pn.legend, legendEntry{"offered", thumbnail(offered, nil)})
	chart := newChart(t, "requests/s")
	chart.add("succeeded", green, true, vs, nil)
	chart.add("throttled (gave up)", vermillion, true, vt, nil)
	chart.add("errors", purple, true, ve, nil)
	chart.add("offered", color.Black, false, mean(clip(s.Offered, n)), nil)
	chart.add("throttle events", orange, false, mean(events), nil)
	ev := draw.LineStyle{Color: orange, Width: vg.Points(0.6), Dashes: []vg.Length{vg.Points(2), vg.Points(1.5)}}
	if err := addLines(p, stepLines(t, mean(events), all), ev, nil); err != nil {
		return nil, err
	}
	pn.legend = append(pn.legend, legendEntry{"throttle events", thumbnail(ev, nil)})
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
		Chart: chart,
		fig:   &figure{title: title, panels: []figurePanel{pn}},
	}, nil
}

// costFigure draws the account's cost so far, stacked by line item; nil
// without prices.
func costFigure(s *reports.Series, t timeAxis) (*Plot, error) {
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
			v := valueAt(s.CostByItem[k], hi-1)
			if k > 0 {
				v += stacks[k-1][b]
			}
			stacks[k][b] = v
		}
	}
	if stacks[len(stacks)-1][nb-1] == 0 {
		return nil, nil // nothing billed: an all-free-tier run
	}
	// A line item that stays $0 (no DAX, no stream, storage under the
	// free tier) is left out of the stack and the legend rather than
	// drawn as an empty band.
	show := make([]bool, len(billing.LineItems))
	for k := range billing.LineItems {
		show[k] = slices.ContainsFunc(s.CostByItem[k], func(v float64) bool { return v != 0 })
	}
	p := newPanel(t, true)
	p.Y.Label.Text = "US dollars so far"
	var pn figurePanel
	all := keepAll(nb)
	for k := len(stacks) - 1; k >= 0; k-- { // top of the stack first, as in throughputFigure
		if !show[k] {
			continue
		}
		if err := addLines(p, stepLines(t, stacks[k], all), draw.LineStyle{}, costFill(billing.LineItems[k])); err != nil {
			return nil, err
		}
	}
	for k, item := range billing.LineItems {
		if show[k] {
			pn.legend = append(pn.legend, legendEntry{reports.LineItemLabel(item), thumbnail(draw.LineStyle{}, costFill(item))})
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
		fig: &figure{title: title, panels: []figurePanel{pn}},
	}, nil
}

// costFills give each line item its own fill, whatever its place in
// billing.LineItems: a run's colours stay when the model adds line items.
var costFills = map[string]color.Color{
	billing.ItemReservedRead:            orange,
	billing.ItemReservedWrite:           vermillion,
	billing.ItemReadCapacity:            skyFill,
	billing.ItemWriteCapacity:           blue,
	billing.ItemReadRequests:            greenFill,
	billing.ItemWriteRequests:           green,
	billing.ItemStorage:                 purple,
	billing.ItemDAXNodes:                yellow,
	billing.ItemReplicatedWriteCapacity: navyFill,
	billing.ItemReplicatedWriteRequests: tealFill,
	billing.ItemTTLDeletes:              grey,
	billing.ItemStreamReads:             pinkFill,
}

// costFill is line item item's fill in the cost plot.
func costFill(item string) color.Color {
	if c, ok := costFills[item]; ok {
		return c
	}
	return grey
}

// valueAt is s[i], or 0 past its end.
func valueAt[T any](s []T, i int) T {
	if i < len(s) {
		return s[i]
	}
	var zero T
	return zero
}

// clip is s cut or padded with zeros to n.
func clip(s []int64, n int) []int64 {
	out := make([]int64, n)
	copy(out, s)
	return out
}
