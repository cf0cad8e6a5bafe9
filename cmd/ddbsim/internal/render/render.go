package render

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"

	"github.com/ddbsim/ddbsim/advise"
	"github.com/ddbsim/ddbsim/reports"
	"github.com/ddbsim/ddbsim/reports/html"
	"github.com/ddbsim/ddbsim/reports/plot"
)

// Files renders everything `run --out DIR` writes, in memory, so
// that DIR receives all of it or none: the summary, the result JSON, the
// time series, the latency log, every plot as NAME.svg and NAME.png, and
// report.html. A raised stop (an interrupt) stops drawing the plots: the
// files then come back without any, with ErrStopped.
func Files(res *reports.Result, summary, js []byte, stop *atomic.Bool) (map[string][]byte, error) {
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
	if err := Plots(files, plots, stop); err != nil {
		if errors.Is(err, ErrStopped) {
			return files, err
		}
		return nil, err
	}
	return files, nil
}

// PlotFileName is a plot's name made safe as a file name: a table's name,
// which a plot's name includes, may hold any character. Letters, digits,
// '-', '_' and '.' (but a leading one) stay; every other byte is written
// %XX, '%' included, so that two names never share a file name (a GSI
// "orders/by-status" is orders%2Fby-status, a table "orders_by-status"
// stays as it is; a replica "deals@eu-west-1" is deals%40eu-west-1). A
// name longer than MaxPlotStem bytes after escaping is cut and ends in a
// hash of the whole name, so that NAME.svg fits the 255 bytes a file name
// may hold; a cut name is one byte longer than any uncut one, so the two
// kinds never meet either.
func PlotFileName(name string) string {
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
	if len(stem) <= MaxPlotStem {
		return stem
	}
	sum := sha256.Sum256([]byte(name))
	tail := "~" + hex.EncodeToString(sum[:8])
	return stem[:MaxPlotStem+1-len(tail)] + tail
}

// ModeReportName is the file compare --out writes a mode's report.html
// to: "report-on-demand.html", "report-provisioned-no-dax.html".
func ModeReportName(mode string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(mode) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			b.WriteRune(r)
			dash = false
		} else if !dash && b.Len() > 0 {
			b.WriteByte('-')
			dash = true
		}
	}
	return "report-" + strings.TrimSuffix(b.String(), "-") + ".html"
}

// ErrStopped says drawing the plots was interrupted.
var ErrStopped = errors.New("interrupted while drawing the plots")

// MaxPlotStem is the longest plot file name before its extension, with
// room for ".svg" and for a lesson's prefix (learn writes
// LESSON-FIGURE-NAME.svg) within 255 bytes.
const MaxPlotStem = 160

// Plots adds each plot to files as <name>.svg and <name>.png, or
// none of them when stop is raised before the last is drawn.
func Plots(files map[string][]byte, plots []plot.Plot, stop *atomic.Bool) error {
	for i := range plots {
		p := &plots[i]
		if stop != nil && stop.Load() {
			for j := range plots[:i] {
				delete(files, PlotFileName(plots[j].Name)+".svg")
				delete(files, PlotFileName(plots[j].Name)+".png")
			}
			return ErrStopped
		}
		for _, format := range []string{"svg", "png"} {
			b, err := p.Render(format)
			if err != nil {
				return err
			}
			files[PlotFileName(p.Name)+"."+format] = b
		}
	}
	return nil
}

// WithName is p under another name (its file name).
func WithName(p plot.Plot, name string) plot.Plot {
	p.Name = name
	return p
}

// MarkIncomplete marks res incomplete, as an interrupt during the plots
// leaves it, and writes its summary, JSON and report again, into the
// buffers and into files.
func MarkIncomplete(res *reports.Result, files map[string][]byte, summary, js *bytes.Buffer) error {
	res.Complete = false
	summary.Reset()
	js.Reset()
	var page bytes.Buffer
	if err := reports.WriteSummary(summary, res); err != nil {
		return err
	}
	if err := reports.WriteJSON(js, res); err != nil {
		return err
	}
	if err := html.WriteReport(&page, res); err != nil {
		return err
	}
	files["summary.txt"], files["result.json"], files["report.html"] = summary.Bytes(), js.Bytes(), page.Bytes()
	return nil
}

// Compare are the files --out writes: the JSON, the text table, the
// comparison's plots as SVG and PNG, and compare.html, a page with all of
// them. A raised stop (an interrupt) stops drawing the plots, with
// ErrStopped.
func Compare(cmp *advise.Comparison, js string, text []byte, stop *atomic.Bool) (map[string][]byte, error) {
	files := map[string][]byte{
		"compare.json": []byte(js),
		"compare.txt":  text,
	}
	names := make([]string, len(cmp.Modes))
	for i, m := range cmp.Modes {
		names[i] = m.Mode
	}
	plots, err := plot.Compare(names, cmp.Results)
	if err != nil {
		return nil, err
	}
	if err := Plots(files, plots, stop); err != nil {
		return nil, err
	}
	rows := make([]html.CompareRow, len(cmp.Modes))
	for i, m := range cmp.Modes {
		rows[i] = html.CompareRow{Mode: m.Mode, MonthlyUSD: m.MonthlyUSD, Throttled: m.Throttled,
			ThrottledRatio: m.ThrottledRatio, P50Ms: m.P50Ms, P99Ms: m.P99Ms, Retries: m.Retries, Passed: m.Passed, Warned: len(m.Warnings) > 0}
		// Each mode's own report, which compare.html links to: the
		// run's whole story, not only its row.
		if i >= len(cmp.Results) || cmp.Results[i] == nil {
			continue
		}
		if stop != nil && stop.Load() {
			return nil, ErrStopped
		}
		var report bytes.Buffer
		if err := html.WriteReport(&report, cmp.Results[i]); err != nil {
			return nil, err
		}
		rows[i].Report = ModeReportName(m.Mode)
		files[rows[i].Report] = report.Bytes()
	}
	scenario := ""
	if len(cmp.Results) > 0 {
		scenario = cmp.Results[0].Scenario
	}
	var page bytes.Buffer
	if err := html.WriteCompare(&page, scenario, cmp.Winner, cmp.Verdict, string(text), rows, plots); err != nil {
		return nil, err
	}
	files["compare.html"] = page.Bytes()
	return files, nil
}
