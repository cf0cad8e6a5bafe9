package html

import (
	"html/template"
	"io"
	"strings"

	"github.com/ddbsim/ddbsim/reports"
	"github.com/ddbsim/ddbsim/reports/plot"
)

// CompareRow is one capacity mode of a comparison, as a page shows it.
type CompareRow struct {
	Mode           string
	MonthlyUSD     float64
	Throttled      int64
	ThrottledRatio float64
	P50Ms, P99Ms   float64
	Retries        int64
	Passed         bool
	// Warned is set when the mode breached a default guard
	// (reports.Guards) that no threshold allows.
	Warned bool
	// Report is the mode's own report.html, as a link relative to
	// compare.html ("on-demand/report.html"); "" when none was written.
	Report string
}

// WriteCompare writes compare.html: the comparison of capacity modes
// as one self-contained page (inline SVG and CSS, no JavaScript): the
// winner and the verdict sentence that names what it trades (shown as a
// warning, not a green pass, when the winner breached a guard), the table
// with a link to each mode's report when there is one, the rest of the
// comparison's text (break-even, right-sizing; text's own table, winner
// and verdict lines are not repeated), and the plots (cost, throttling
// and latency by mode).
func WriteCompare(w io.Writer, scenario, winner, verdict, text string, rows []CompareRow, plots []plot.Plot) error {
	type row struct {
		Mode, Monthly, Throttled, P50, P99, Retries, Verdict, Report string
		Passed, Winner, Warned                                       bool
	}
	type fig struct {
		ID, Title, Caption string
		SVG                template.HTML
	}
	page := struct {
		Scenario, Winner, Verdict, Text string
		WinnerWarned                    bool
		Rows                            []row
		Plots                           []fig
		Reports                         bool
	}{Scenario: reports.SafeName(scenario), Winner: winner, Verdict: verdict, Text: afterVerdict(text)}
	for _, r := range rows {
		v := "pass"
		if r.Warned {
			v = "pass, WARNING"
		}
		if !r.Passed {
			v = "FAIL"
		}
		if r.Mode == winner && r.Warned {
			page.WinnerWarned = true
		}
		page.Rows = append(page.Rows, row{Mode: r.Mode, Monthly: reports.USD(r.MonthlyUSD),
			Throttled: reports.Commas(r.Throttled) + " (" + reports.Pct(r.ThrottledRatio) + ")", P50: reports.DurationMs(r.P50Ms),
			P99: reports.DurationMs(r.P99Ms), Retries: reports.Commas(r.Retries), Verdict: v, Passed: r.Passed, Winner: r.Mode == winner, Warned: r.Warned,
			Report: r.Report})
		page.Reports = page.Reports || r.Report != ""
	}
	for _, p := range plots {
		b, err := p.Render("svg")
		if err != nil {
			return err
		}
		svg, err := inlineSVG(b, p.Title)
		if err != nil {
			return err
		}
		page.Plots = append(page.Plots, fig{ID: "plot-" + p.Name, Title: p.Title, Caption: p.Caption, SVG: svg})
	}
	printable(&page)
	return compareTemplate.Execute(w, page)
}

// afterVerdict is the comparison's text without what the page shows
// above it: the heading, the table, the winner and the verdict, all up to
// the verdict line (or the winner line when there is no verdict).
func afterVerdict(text string) string {
	lines := strings.Split(text, "\n")
	cut := -1
	for i, l := range lines {
		if strings.HasPrefix(l, "verdict:") {
			cut = i
			break
		}
		if strings.HasPrefix(l, "winner:") {
			cut = i
		}
	}
	if cut < 0 {
		return text
	}
	return strings.Trim(strings.Join(lines[cut+1:], "\n"), "\n")
}

var compareTemplate = template.Must(template.New("compare.html").Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{{.Scenario}}: capacity modes compared</title>
<style>
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;max-width:62rem;margin:2rem auto;padding:0 1rem;color:#1a1a1a;line-height:1.45}
h1{font-size:1.6rem;margin-bottom:.2rem}
.verdict{border:2px solid #2e7d32;background:#e8f5e9;color:#1b5e20;padding:.8rem 1rem;border-radius:6px;font-size:1.25rem;font-weight:600}
.verdict.none{border-color:#c62828;background:#ffebee;color:#b71c1c}
.verdict.warn{border-color:#8a4b00;background:#fff1d6;color:#8a4b00}
.tradeoff{font-size:1.05rem}
.warn{color:#8a4b00;font-weight:600}
table{border-collapse:collapse;margin:1rem 0}
th,td{padding:.35rem .7rem;text-align:right;border-bottom:1px solid #ddd}
th:first-child,td:first-child{text-align:left}
tr.winner td{font-weight:700;background:#f1f8e9}
tr.winner.warned td{background:#fff8e6}
.fail{color:#b71c1c;font-weight:600}
pre{background:#f6f6f6;padding:.8rem;overflow-x:auto;font-size:.85rem}
figure{margin:1.5rem 0}
figure svg{width:100%;height:auto}
figcaption{color:#444;font-size:.9rem}
</style>
</head>
<body>
<h1>{{.Scenario}}: capacity modes compared</h1>
{{if .Winner}}<p class="verdict{{if .WinnerWarned}} warn{{end}}" id="winner">{{if .WinnerWarned}}Warning: {{end}}Winner: {{.Winner}}, the cheapest mode that meets the thresholds</p>
{{else}}<p class="verdict none" id="winner">No mode meets the thresholds</p>{{end}}
{{with .Verdict}}<p class="tradeoff" id="verdict">{{.}}</p>{{end}}
<table id="modes">
<thead><tr><th>mode</th><th>monthly cost</th><th>throttled</th><th>p50</th><th>p99</th><th>retries</th><th>thresholds</th></tr></thead>
<tbody>
{{range .Rows}}<tr{{if .Winner}} class="winner{{if .Warned}} warned{{end}}"{{end}}><td>{{if .Report}}<a href="{{.Report}}">{{.Mode}}</a>{{else}}{{.Mode}}{{end}}</td><td>{{.Monthly}}</td><td>{{.Throttled}}</td><td>{{.P50}}</td><td>{{.P99}}</td><td>{{.Retries}}</td><td{{if not .Passed}} class="fail"{{else if .Warned}} class="warn"{{end}}>{{.Verdict}}</td></tr>
{{end}}</tbody>
</table>
{{if .Reports}}<p id="mode-reports">Each mode's name links to its own report.</p>
{{else}}<p id="mode-reports">Each mode's own report (report.html, with its plots and why it throttled) is not part of this comparison: run the scenario in that mode with <code>ddbsim run --out DIR</code>.</p>
{{end}}{{with .Text}}<pre id="compare-text">{{.}}</pre>
{{end}}
{{range .Plots}}<figure id="{{.ID}}"><h2>{{.Title}}</h2>{{.SVG}}<figcaption>{{.Caption}}</figcaption></figure>
{{end}}</body>
</html>
`))
