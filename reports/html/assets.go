package html

import (
	_ "embed" // the interactive charts' code and style
	"html/template"
)

// uPlot draws report.html's interactive charts: uPlot 1.6.32 (MIT, see
// assets/uPlot.LICENSE and assets/VERSION), embedded so that the page
// works offline and makes no request.
var (
	//go:embed assets/uPlot.iife.min.js
	uPlotJS string
	//go:embed assets/uPlot.min.css
	uPlotCSS string
	//go:embed assets/charts.js
	chartsJS string
)

// chartAssets are the scripts and style the page inlines when it has a
// chart: trusted, as they are this package's own files.
type chartAssets struct {
	UPlot, Charts template.JS
	Style         template.CSS
}

func newChartAssets() *chartAssets {
	return &chartAssets{UPlot: template.JS(uPlotJS), Charts: template.JS(chartsJS), Style: template.CSS(uPlotCSS)}
}
