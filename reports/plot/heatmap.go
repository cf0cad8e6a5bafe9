package plot

import (
	"image/color"
	"math"
	"slices"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/palette/brewer"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"

	"github.com/ddbsim/ddbsim/model/capacity"
	"github.com/ddbsim/ddbsim/model/units"
	"github.com/ddbsim/ddbsim/reports"
	"github.com/ddbsim/ddbsim/sim"
)

// heatGrid is a partition x time grid of ceiling fractions; NaN marks
// a partition that did not exist in the bucket.
type heatGrid struct {
	cols, rows int
	w          float64 // bucket width in seconds
	z          []float64
}

func (g *heatGrid) Dims() (c, r int)   { return g.cols, g.rows }
func (g *heatGrid) Z(c, r int) float64 { return g.z[r*g.cols+c] }
func (g *heatGrid) X(c int) float64    { return (float64(c) + 0.5) * g.w }
func (g *heatGrid) Y(r int) float64    { return float64(r) }

// heatLevels is the heat map's palette: nine steps from idle to at
// the ceiling.
func heatLevels() []color.Color {
	p, err := brewer.GetPalette(brewer.TypeSequential, "YlOrRd", 9)
	if err != nil {
		panic("reports: " + err.Error()) // YlOrRd has 9 classes
	}
	return p.Colors()
}

type colorList []color.Color

func (c colorList) Colors() []color.Color { return c }

// heatmapFigure draws table ts's partitions against their ceiling; label
// names it in the title.
func heatmapFigure(ts *reports.TableSeries, label string, t timeAxis, events []reports.CapacityEvent) (*Plot, error) {
	// A row per partition, those that never served a request included.
	parts := max(len(ts.PartitionRead), int(slices.Max(append([]int64{1}, ts.Partitions...))))
	layout := tableHeatLayout(ts, t, events, parts)
	// The top row is the table as a whole against the capacity in
	// effect: a table that throttles on its provisioned capacity, far
	// below any partition's ceiling, shows dark there.
	rows := parts + 1
	cols := t.buckets()
	g := &heatGrid{cols: cols, rows: rows, w: float64(t.secs()), z: make([]float64, cols*rows)}
	// The partition count each second: a row at or past it did not
	// exist. A second never sampled (the run's last, or a run without
	// samples) takes the last count seen, or all rows.
	count := make([]int, t.n)
	last := parts
	for i := range t.n {
		if c := int(valueAt(ts.Partitions, i)); c > 0 {
			last = c
		}
		count[i] = last
	}
	if first := firstSample(ts.Partitions, t.n); first > 0 {
		for i := range first {
			count[i] = count[first]
		}
	}
	const readCeiling, writeCeiling = float64(capacity.PartitionReadCeiling), float64(capacity.PartitionWriteCeiling)
	for c := range cols {
		lo, hi := t.span(c)
		v, exists := 0.0, false
		for i := lo; i < hi; i++ {
			if valueAt(ts.Partitions, i) <= 0 {
				continue // not sampled: no capacity known
			}
			for _, uc := range [][2]units.Units{{valueAt(ts.Read, i), valueAt(ts.ReadCapacity, i)}, {valueAt(ts.Write, i), valueAt(ts.WriteCapacity, i)}} {
				if uc[1] > 0 {
					exists = true
					v = max(v, t.flow(uc[0].Float())/uc[1].Float())
				}
			}
		}
		if !exists {
			v = math.NaN()
		}
		g.z[parts*cols+c] = v
	}
	if layout != nil {
		layout.fill(g, ts, t)
	} else {
		for r := range parts {
			for c := range cols {
				lo, hi := t.span(c)
				v, exists := 0.0, false
				for i := lo; i < hi; i++ {
					if r >= count[i] {
						continue
					}
					exists = true
					rd, wr := partitionLoad(ts, r, i, t)
					v = max(v, t.flow(rd/readCeiling+wr/writeCeiling))
				}
				if !exists {
					v = math.NaN()
				}
				g.z[r*cols+c] = v
			}
		}
	}
	levels := heatLevels()
	hm := plotter.NewHeatMap(g, colorList(levels))
	hm.Min, hm.Max = 0, 1
	// Over 100% is possible: the ceiling is a token bucket holding one
	// second's worth, so a second can start with it full and take twice.
	hm.Overflow = levels[len(levels)-1]
	hm.Rasterized = true // one image, not a rectangle per cell

	p := newBarePanel(t, true) // grid lines would show through missing partitions
	p.Add(cornerBoxes{hm})
	p.Y.Label.Text = "partition"
	p.Y.Tick.Marker = heatTicks{table: float64(parts)}
	p.X.Min, p.X.Max = 0, float64(cols*t.secs())
	p.Y.Min, p.Y.Max = -0.5, float64(rows)-0.5
	p.X.Padding, p.Y.Padding = 0, 0

	// The colour scale: the same palette as a one-column heat map, a
	// cell per level, centred on the level's value.
	bar := plot.New()
	applyStyle(bar)
	bar.HideX()
	bar.X.Padding, bar.Y.Padding = 0, 0
	lg := &heatGrid{cols: 1, rows: len(levels), w: 1, z: make([]float64, len(levels))}
	for i := range lg.z {
		lg.z[i] = float64(i) / float64(len(levels)-1)
	}
	barHM := plotter.NewHeatMap(&levelGrid{lg}, colorList(levels))
	barHM.Min, barHM.Max = 0, 1
	bar.Add(barHM)
	bar.Y.Tick.Marker = plot.ConstantTicks{
		{Value: 0, Label: "0"}, {Value: 0.25, Label: "25%"}, {Value: 0.5, Label: "50%"},
		{Value: 0.75, Label: "75%"}, {Value: 1, Label: "100%"},
	}
	half := 0.5 / float64(len(levels)-1)
	bar.Y.Min, bar.Y.Max = -half, 1+half

	title := "Partition heat: " + label
	rowsSentence := "A split inserts the new partition after its parent, " +
		"so the rows above move up one from then on; blank is a partition not yet split off. "
	if layout != nil {
		rowsSentence = "Rows are the partitions the table ended with, in hash order: before a partition split, " +
			"its row spans its halves, so a split row divides into its two halves from the split on and no row renumbers. "
		p.Y.Label.Text = "partition at the end"
	}
	each := "in each " + t.second()
	if t.w > 1 {
		each = "in the busiest " + t.second() + " of " + t.each()
	}
	if k := ts.PartitionStride(axisStep(t)); k > 1 {
		// So many partitions that each keeps a point a few steps
		// (reports.PartitionSeriesBudget): their rows show its mean.
		rowsSentence += "The partition rows show each partition's mean over each " + durationWords(k*max(t.u, 1)) +
			" point, the finest its series keep for so many partitions. "
	}
	return &Plot{
		Name:  "heatmap-" + ts.Name,
		Title: title,
		Caption: "How close each partition came to its hard ceiling " + each +
			": read units/3,000 + write units/1,000, so 100% is at the ceiling, which no capacity lifts. " +
			"A dark row is a hot partition. " + rowsSentence +
			"The top row is the table against the capacity in effect (the busier of reads and writes): " +
			"dark there with pale partitions is a table short of capacity, not a hot key.",
		Width: Width, Height: Height,
		fig: &figure{title: title, panels: []figurePanel{{p: p, bar: bar}}},
	}, nil
}

// partitionLoad is the read and write units partition r of ts consumed
// in index i of t: its partition point's, spread evenly over the indexes
// the point covers (TableSeries.PartitionStep).
func partitionLoad(ts *reports.TableSeries, r, i int, t timeAxis) (read, write float64) {
	if r >= len(ts.PartitionRead) {
		return 0, 0
	}
	k := ts.PartitionStride(axisStep(t))
	pi := i / k
	read, write = valueAt(ts.PartitionRead[r], pi).Float(), valueAt(ts.PartitionWrite[r], pi).Float()
	if k > 1 {
		read, write = read/float64(k), write/float64(k)
	}
	return read, write
}

// axisStep is what one index of t covers.
func axisStep(t timeAxis) sim.Time { return sim.Time(max(t.u, 1)) * sim.Second }

// levelGrid is the colour scale's grid: its cells are a level apart.
type levelGrid struct{ *heatGrid }

func (g *levelGrid) Y(r int) float64 { return g.z[r] }

// firstSample is the first second with a partition count, or -1.
func firstSample(parts []int64, n int) int {
	for i := range min(n, len(parts)) {
		if parts[i] > 0 {
			return i
		}
	}
	return -1
}

// heatTicks labels the heat map's rows: partitions by number, and the
// top row, at table, as the table.
type heatTicks struct{ table float64 }

func (h heatTicks) Ticks(lo, hi float64) []plot.Tick {
	return append((intTicks{}).Ticks(lo, min(hi, h.table-0.5)), plot.Tick{Value: h.table, Label: "table"})
}

// tableHeatLayout is ts's heat map layout by hash range, or nil when the
// splits among events do not match the partition counts ts sampled (or
// there were none).
func tableHeatLayout(ts *reports.TableSeries, t timeAxis, events []reports.CapacityEvent, parts int) *heatLayout {
	step := max(t.u, 1)
	// Second i's count is sampled at its end, (i+1) steps in: the last
	// sample before at is that of the second ending before it.
	countBefore := func(at float64) int {
		for i := min(int(math.Ceil(at/float64(step)))-2, len(ts.Partitions)-1); i >= 0; i-- {
			if ts.Partitions[i] > 0 {
				return int(ts.Partitions[i])
			}
		}
		return 0
	}
	l := newHeatLayout(events, ts.Name, parts, countBefore)
	if l == nil {
		return nil
	}
	for i := range min(t.n, len(ts.Partitions)) {
		if c := ts.Partitions[i]; c > 0 && int(c) != len(l.spans(i, step)) {
			return nil
		}
	}
	return l
}

// fill sets the partition rows of g: each partition's load, each second,
// in every row it covers, the busiest second of each bucket.
func (l *heatLayout) fill(g *heatGrid, ts *reports.TableSeries, t timeAxis) {
	const readCeiling, writeCeiling = float64(capacity.PartitionReadCeiling), float64(capacity.PartitionWriteCeiling)
	step := max(t.u, 1)
	for i := range t.n {
		b := i / t.w
		for j, sp := range l.spans(i, step) {
			rd, wr := partitionLoad(ts, j, i, t)
			v := t.flow(rd/readCeiling + wr/writeCeiling)
			for r := sp.lo; r < sp.hi && r < l.rows; r++ {
				g.z[r*g.cols+b] = max(g.z[r*g.cols+b], v)
			}
		}
	}
}

// cornerBoxes is a heat map whose glyph boxes are its two corner cells'.
// plot.Plot pads its axes by the outermost of its plotters' glyph boxes,
// and a heat map gives one box a cell, all of one size, so the corners
// are the outermost: the plot is the same, where a box a cell made the
// heat map of 10,000 partitions allocate 60 GB, laying out its axes
// several times over, and take 20 s.
type cornerBoxes struct{ *plotter.HeatMap }

// GlyphBoxes returns the boxes the heat map gives its first and last
// cells: its grid's X and Y grow with the column and the row.
func (h cornerBoxes) GlyphBoxes(p *plot.Plot) []plot.GlyphBox {
	c, r := h.GridXYZ.Dims()
	if c == 0 || r == 0 {
		return nil
	}
	box := vg.Rectangle{Min: vg.Point{X: -5, Y: -5}, Max: vg.Point{X: 5, Y: 5}} // as plotter.HeatMap's
	return []plot.GlyphBox{
		{X: p.X.Norm(h.GridXYZ.X(0)), Y: p.Y.Norm(h.GridXYZ.Y(0)), Rectangle: box},
		{X: p.X.Norm(h.GridXYZ.X(c - 1)), Y: p.Y.Norm(h.GridXYZ.Y(r - 1)), Rectangle: box},
	}
}
