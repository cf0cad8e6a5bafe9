package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
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
// which a plot's name includes, may hold any character. Letters, digits,
// '-', '_' and '.' (but a leading one) stay; every other byte is written
// %XX, '%' included, so that two names never share a file name (a GSI
// "orders/by-status" is orders%2Fby-status, a table "orders_by-status"
// stays as it is; a replica "deals@eu-west-1" is deals%40eu-west-1). A
// name longer than maxPlotStem bytes after escaping is cut and ends in a
// hash of the whole name, so that NAME.svg fits the 255 bytes a file name
// may hold; a cut name is one byte longer than any uncut one, so the two
// kinds never meet either.
func plotFileName(name string) string {
	var b strings.Builder
	for i := 0; i < len(name); i++ {
		c := name[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', c == '-', c == '_', c == '.' && i > 0:
			b.WriteByte(c)
		default:
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	stem := b.String()
	if len(stem) <= maxPlotStem {
		return stem
	}
	sum := sha256.Sum256([]byte(name))
	tail := "~" + hex.EncodeToString(sum[:8])
	return stem[:maxPlotStem+1-len(tail)] + tail
}

// errRenderStopped says drawing the plots was interrupted.
var errRenderStopped = errors.New("interrupted while drawing the plots")

// maxPlotStem is the longest plot file name before its extension, with
// room for ".svg" and for a lesson's prefix (learn writes
// LESSON-FIGURE-NAME.svg) within 255 bytes.
const maxPlotStem = 160

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
