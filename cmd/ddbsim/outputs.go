package main

import (
	"bytes"
	"errors"
	"strings"
	"sync/atomic"

	"github.com/ddbsim/ddbsim/reports"
	"github.com/ddbsim/ddbsim/reports/html"
	"github.com/ddbsim/ddbsim/reports/plot"
)

// outputFiles renders everything `run --out DIR` writes, in memory, so
// that DIR receives all of it or none: the summary, the result JSON, the
// time series, the latency log, every plot as NAME.svg and NAME.png, and
// report.html. A raised stop (an interrupt) stops drawing the plots: the
// files then come back without any, with errRenderStopped.
func outputFiles(res *reports.Result, summary, js []byte, stop *atomic.Bool) (map[string][]byte, error) {
	files := map[string][]byte{"summary.txt": summary, "result.json": js}
	var csv, hlog, page bytes.Buffer
	if err := reports.WriteTimeseriesCSV(&csv, res); err != nil {
		return nil, err
	}
	if err := reports.WriteHistogramLog(&hlog, res); err != nil {
		return nil, err
	}
	if err := html.WriteReport(&page, res); err != nil {
		return nil, err
	}
	files["timeseries.csv"] = csv.Bytes()
	files["latency.hlog"] = hlog.Bytes()
	files["report.html"] = page.Bytes()
	plots, err := plot.Figures(res)
	if err != nil {
		return nil, err
	}
	if err := renderPlots(files, plots, stop); err != nil {
		if errors.Is(err, errRenderStopped) {
			return files, err
		}
		return nil, err
	}
	return files, nil
}

// plotFileName is a plot's name made safe as a file name: a table's name,
// which a plot's name includes, may hold any character.
func plotFileName(name string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '_', r == '.':
			return r
		}
		return '_'
	}, strings.TrimLeft(name, "."))
}

// errRenderStopped says drawing the plots was interrupted.
var errRenderStopped = errors.New("interrupted while drawing the plots")

// renderPlots adds each plot to files as <name>.svg and <name>.png, or
// none of them when stop is raised before the last is drawn.
func renderPlots(files map[string][]byte, plots []plot.Plot, stop *atomic.Bool) error {
	for i := range plots {
		p := &plots[i]
		if stop != nil && stop.Load() {
			for j := range plots[:i] {
				delete(files, plotFileName(plots[j].Name)+".svg")
				delete(files, plotFileName(plots[j].Name)+".png")
			}
			return errRenderStopped
		}
		for _, format := range []string{"svg", "png"} {
			b, err := p.Render(format)
			if err != nil {
				return err
			}
			files[plotFileName(p.Name)+"."+format] = b
		}
	}
	return nil
}
