package diff

import (
	"html/template"
	"io"
)

// WriteHTML writes d as one self-contained page (inline CSS, no script,
// nothing fetched): the two runs, the warnings, the verdict, and a table
// per section, with the rows that moved most marked.
func WriteHTML(w io.Writer, d *Diff) error {
	type htmlRow struct {
		Metric, A, B, Change, Ratio string
		Moved                       bool
	}
	type htmlSection struct {
		Title string
		Rows  []htmlRow
	}
	page := struct {
		D        *Diff
		ADur     string
		BDur     string
		Sections []htmlSection
	}{D: d, ADur: Value(UnitSeconds, d.A.DurationS), BDur: Value(UnitSeconds, d.B.DurationS)}
	moved := map[[2]string]bool{}
	for _, m := range d.Moves {
		moved[[2]string{m.Section, m.Metric}] = true
	}
	for _, s := range d.Sections {
		hs := htmlSection{Title: s.Title}
		for _, r := range s.Rows {
			a, b, change, ratio := Cells(r)
			hs.Rows = append(hs.Rows, htmlRow{Metric: r.Metric, A: a, B: b, Change: change, Ratio: ratio,
				Moved: moved[[2]string{s.Title, r.Metric}]})
		}
		page.Sections = append(page.Sections, hs)
	}
	return diffTemplate.Execute(w, page)
}

// The page's style follows report.html and compare.html.
var diffTemplate = template.Must(template.New("diff.html").Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{{.D.A.Scenario}} against {{.D.B.Scenario}}: two runs compared</title>
<style>
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;max-width:62rem;margin:2rem auto;padding:0 1rem;color:#1a1a1a;line-height:1.45}
h1{font-size:1.6rem;margin-bottom:.2rem}
h2{font-size:1.15rem;margin:1.4rem 0 .3rem}
.verdict{border:2px solid #1565c0;background:#e3f2fd;color:#0d47a1;padding:.8rem 1rem;border-radius:6px;font-size:1.1rem;font-weight:600}
.warn{border:2px solid #8a4b00;background:#fff1d6;color:#8a4b00;padding:.5rem 1rem;border-radius:6px;font-weight:600}
table{border-collapse:collapse;margin:.4rem 0 1rem}
th,td{padding:.3rem .7rem;text-align:right;border-bottom:1px solid #ddd}
th:first-child,td:first-child{text-align:left}
tr.moved td{font-weight:700;background:#fff8e6}
dl{display:grid;grid-template-columns:auto 1fr;gap:.2rem 1rem}
dt{font-weight:600}
dd{margin:0}
</style>
</head>
<body>
<h1>Two runs compared: B against A</h1>
<dl id="runs">
<dt>A</dt><dd>{{.D.A.File}}: {{.D.A.Scenario}}, seed {{.D.A.Seed}}, {{.ADur}}</dd>
<dt>B</dt><dd>{{.D.B.File}}: {{.D.B.Scenario}}, seed {{.D.B.Seed}}, {{.BDur}}</dd>
</dl>
{{range .D.Warnings}}<p class="warn">Warning: {{.}}</p>
{{end}}<p class="verdict" id="verdict">{{.D.Verdict}}</p>
{{range .Sections}}<h2>{{.Title}}</h2>
<table>
<thead><tr><th>{{.Title}}</th><th>A</th><th>B</th><th>B-A</th><th>change</th></tr></thead>
<tbody>
{{range .Rows}}<tr{{if .Moved}} class="moved"{{end}}><td>{{.Metric}}</td><td>{{.A}}</td><td>{{.B}}</td><td>{{.Change}}</td><td>{{.Ratio}}</td></tr>
{{end}}</tbody>
</table>
{{end}}</body>
</html>
`))
