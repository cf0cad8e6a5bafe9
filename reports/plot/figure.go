package plot

import (
	"fmt"
	"image/color"

	xfont "golang.org/x/image/font"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// figure is a title over panels that share a time axis, each with its
// legend or colour scale in a column to the right.
type figure struct {
	title  string
	panels []figurePanel
}

type figurePanel struct {
	p      *plot.Plot
	legend []legendEntry
	bar    *plot.Plot // a colour scale, instead of a legend
}

type legendEntry struct {
	label string
	thumb plot.Thumbnailer
}

// Layout, in points.
var (
	margin    = vg.Points(6)
	gap       = vg.Points(8)
	barWidth  = vg.Points(14)
	thumbSize = vg.Points(16)
)

// baseFont is Liberation Sans, which gonum/plot embeds: the sans serif
// reads better at small sizes than its default serif.
var baseFont = font.Font{Typeface: "Liberation", Variant: "Sans"}

func textStyle(size float64) text.Style {
	return text.Style{
		Color:   color.Black,
		Font:    font.From(baseFont, vg.Points(size)),
		Handler: plot.DefaultTextHandler,
	}
}

func (f *figure) draw(c draw.Canvas) {
	c.SetColor(color.White)
	c.Fill(c.Rectangle.Path())
	c = draw.Crop(c, margin, -margin, margin, -margin)

	title := textStyle(11)
	title.Font.Weight = xfont.WeightBold
	title.YAlign = draw.YTop
	c.FillText(title, vg.Point{X: c.Min.X, Y: c.Max.Y}, f.title)
	body := c
	body.Max.Y -= title.Rectangle(f.title).Size().Y + gap/2

	// The right column is as wide as the widest legend.
	legendStyle := textStyle(8)
	var col vg.Length
	for _, pn := range f.panels {
		for _, e := range pn.legend {
			col = max(col, thumbSize+legendStyle.Width(" "+e.label))
		}
		if pn.bar != nil {
			col = max(col, barWidth+legendStyle.Width("100%")+vg.Points(8))
		}
	}
	left := body
	if col > 0 {
		left.Max.X -= col + gap
	}

	grid := make([][]*plot.Plot, len(f.panels))
	for i, pn := range f.panels {
		grid[i] = []*plot.Plot{pn.p}
	}
	cs := plot.Align(grid, draw.Tiles{Rows: len(f.panels), Cols: 1, PadY: gap / 2}, left)
	for i, pn := range f.panels {
		pc := cs[i][0]
		pn.p.Draw(pc)
		data := pn.p.DataCanvas(pc)
		side := draw.Canvas{Canvas: c.Canvas, Rectangle: vg.Rectangle{
			Min: vg.Point{X: left.Max.X + gap, Y: data.Min.Y},
			Max: vg.Point{X: body.Max.X, Y: data.Max.Y},
		}}
		if len(pn.legend) > 0 {
			l := plot.NewLegend()
			l.TextStyle = legendStyle
			l.Top, l.Left = true, true
			l.ThumbnailWidth = thumbSize
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
			bc.Max.X = min(bc.Max.X, bc.Min.X+barWidth+legendStyle.Width("100%")+vg.Points(8))
			d := pn.bar.DataCanvas(bc)
			bc.Min.Y += data.Min.Y - d.Min.Y
			bc.Max.Y += data.Max.Y - d.Max.Y
			pn.bar.Draw(bc)
		}
	}
}

// newPanel returns a plot styled for a figure, with grid lines; a time
// panel (t.n > 0) has the time axis, labelled when showTime is set (the
// bottom panel).
func newPanel(t timeAxis, showTime bool) *plot.Plot {
	p := newBarePanel(t, showTime)
	p.Add(gridLines{})
	return p
}

// gridLines draws grid lines at the major ticks. Unlike plotter.Grid, it
// counts the unlabelled time ticks of a figure's upper panels as major.
type gridLines struct{}

func (gridLines) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	xt := p.X.Tick.Marker
	if _, ok := xt.(timeTicks); ok {
		xt = timeTicks{}
	}
	for _, tk := range xt.Ticks(p.X.Min, p.X.Max) {
		if !tk.IsMinor() && tk.Value >= p.X.Min && tk.Value <= p.X.Max {
			x := trX(tk.Value)
			c.StrokeLine2(gridStyle, x, c.Min.Y, x, c.Max.Y)
		}
	}
	for _, tk := range p.Y.Tick.Marker.Ticks(p.Y.Min, p.Y.Max) {
		if !tk.IsMinor() && tk.Value >= p.Y.Min && tk.Value <= p.Y.Max {
			y := trY(tk.Value)
			c.StrokeLine2(gridStyle, c.Min.X, y, c.Max.X, y)
		}
	}
}

// newBarePanel is newPanel without grid lines.
func newBarePanel(t timeAxis, showTime bool) *plot.Plot {
	p := plot.New()
	applyStyle(p)
	if t.n > 0 {
		p.X.Min, p.X.Max = 0, t.x(t.n)
		p.X.Tick.Marker = timeTicks{blank: true}
		if showTime {
			showTimeAxis(p, t)
		}
	}
	return p
}

// showTimeAxis labels a panel's time axis.
func showTimeAxis(p *plot.Plot, t timeAxis) {
	p.X.Tick.Marker = timeTicks{}
	p.X.Label.Text = t.axisLabel()
}

var gridStyle = draw.LineStyle{Color: color.Gray{Y: 0xe4}, Width: vg.Points(0.5)}

func applyStyle(p *plot.Plot) {
	p.BackgroundColor = nil // the figure is white
	for _, a := range []*plot.Axis{&p.X, &p.Y} {
		a.Label.TextStyle.Font = font.From(baseFont, vg.Points(9))
		a.Tick.Label.Font = font.From(baseFont, vg.Points(8))
		a.Padding = vg.Points(2)
	}
	p.Y.Label.Padding = vg.Points(3)
	p.Y.Tick.Marker = linTicks{}
}

// addLines adds one step line per run (from stepLines), all in one
// style, filled below with fill when it is not nil.
func addLines(p *plot.Plot, runs []plotter.XYs, sty draw.LineStyle, fill color.Color) error {
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

// thumbnail is a legend thumbnail: a filled square or a line.
func thumbnail(sty draw.LineStyle, fill color.Color) plot.Thumbnailer {
	return &plotter.Line{LineStyle: sty, FillColor: fill}
}

// apart, with lighter fills for areas.
var (
	blue       = color.RGBA{0x00, 0x72, 0xb2, 0xff}
	green      = color.RGBA{0x00, 0x9e, 0x73, 0xff}
	orange     = color.RGBA{0xe6, 0x9f, 0x00, 0xff}
	vermillion = color.RGBA{0xd5, 0x5e, 0x00, 0xff}
	purple     = color.RGBA{0xcc, 0x79, 0xa7, 0xff}
	greenFill  = color.RGBA{0x7f, 0xce, 0xb9, 0xff}
	skyFill    = color.RGBA{0xaa, 0xd9, 0xf4, 0xff}
	yellow     = color.RGBA{0xf0, 0xe4, 0x42, 0xff}
	navyFill   = color.RGBA{0x5a, 0x8f, 0xc4, 0xff}
	tealFill   = color.RGBA{0x9f, 0xd8, 0xc4, 0xff}
	pinkFill   = color.RGBA{0xe8, 0xbc, 0xd4, 0xff}
	grey       = color.RGBA{0x99, 0x99, 0x99, 0xff}
)
