package html

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"io"
	"regexp"
	"strings"
	"testing"

	"github.com/ddbsim/ddbsim/model"
	"github.com/ddbsim/ddbsim/model/units"
	"github.com/ddbsim/ddbsim/reports"
	"github.com/ddbsim/ddbsim/reports/internal/fixture"
	"github.com/ddbsim/ddbsim/reports/plot"
	"github.com/ddbsim/ddbsim/sim"
)

// ms is a millisecond of virtual time.
const ms = sim.Millisecond

func writeHTML(t *testing.T, r *reports.Result) string {
	t.Helper()
	var b bytes.Buffer
	if err := WriteReport(&b, r); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// byID returns the text of the element with the given id (its content up
// to the first tag inside it), and whether there is one.
func byID(page, id string) (string, bool) {
	m := regexp.MustCompile(`id="` + regexp.QuoteMeta(id) + `"[^>]*>([^<]*)<`).FindStringSubmatch(page)
	if m == nil {
		return "", false
	}
	return m[1], true
}

// checkWellFormed parses page with encoding/xml in strict mode, with
// HTML's named entities: the report is written so that it is well-formed
// XML as well as HTML (void elements self-closed, inline SVG is XML), so
// a strict XML parse checks that every element is closed and nested
// properly, without a dependency for an HTML parser.
func checkWellFormed(t *testing.T, page string) {
	t.Helper()
	// A script's text is not markup: HTML reads it to </script>.
	page = scriptText.ReplaceAllString(page, "$1$2")
	d := xml.NewDecoder(strings.NewReader(page))
	d.Strict = true
	d.Entity = xml.HTMLEntity
	for {
		_, err := d.Token()
		if err == io.EOF {
			return
		}
		if err != nil {
			line, _ := d.InputPos()
			lines := strings.Split(page, "\n")
			t.Fatalf("report.html is not well-formed: %v\nline %d: %s", err, line, lines[min(line, len(lines))-1])
		}
	}
}

// scriptText matches a script element, its start and end tags in groups
// 1 and 2.
var scriptText = regexp.MustCompile(`(?s)(<script\b[^>]*>).*?(</script>)`)

// checkSelfContained fails if page could load anything or run anything
// but its own charts: a Content-Security-Policy that allows no request;
// no script but uPlot and the charts' code, exactly as embedded, and the
// charts' JSON data; no event handler, no src, no link but to its own
// anchors or to an image inside it (the heat map's cells), no CSS url()
// or @import, and no URL at all.
func checkSelfContained(t *testing.T, page string) {
	t.Helper()
	if !strings.Contains(page, `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; `) {
		t.Error("report.html has no Content-Security-Policy denying requests")
	}
	for _, m := range scriptText.FindAllStringSubmatch(page, -1) {
		text := m[0][len(m[1]) : len(m[0])-len(m[2])]
		switch m[1] {
		case `<script id="uplot">`:
			if text != uPlotJS {
				t.Error("report.html's uPlot is not the embedded one")
			}
		case `<script id="charts">`:
			if text != chartsJS {
				t.Error("report.html's chart code is not the embedded one")
			}
		default:
			if !strings.HasPrefix(m[1], `<script type="application/json" class="chart-data"`) || !json.Valid([]byte(text)) {
				t.Errorf("report.html has a script it should not: %.80s", m[0])
			}
		}
	}
	page = scriptText.ReplaceAllString(page, "")
	lower := strings.ToLower(page)
	for _, bad := range []string{"<script", "javascript:", "<link", "<iframe", "<object", "<embed", "<img",
		" src=", "url(", "@import", "http://", "https://", "//cdn", "<base"} {
		if strings.Contains(lower, bad) {
			i := strings.Index(lower, bad)
			t.Errorf("report.html contains %q: ...%s...", bad, page[max(0, i-60):min(len(page), i+60)])
		}
	}
	if m := regexp.MustCompile(`\son[a-z]+="`).FindString(lower); m != "" {
		t.Errorf("report.html has an event handler attribute %q", m)
	}
	for _, m := range regexp.MustCompile(`href="([^"]*)"`).FindAllStringSubmatch(page, -1) {
		if !strings.HasPrefix(m[1], "#") && !strings.HasPrefix(m[1], "data:image/png;base64,") {
			t.Errorf("report.html links to %q, outside itself", m[1])
		}
	}
}

func TestHTMLStructure(t *testing.T) {
	r := fixture.Synthetic()
	page := writeHTML(t, r)
	checkWellFormed(t, page)
	checkSelfContained(t, page)

	want := map[string]string{
		"scenario":                 "synthetic",
		"seed":                     "7",
		"duration":                 "5s",
		"verdict":                  "2 of 8 thresholds failed",
		"requests-total":           reports.Commas(r.Requests.Total),
		"requests-throttled":       reports.Commas(r.Requests.Throttled),
		"throttled-ratio":          reports.Pct(r.Ratios.Throttled),
		"throttle-events":          reports.Commas(r.Requests.ThrottleEvents),
		"retries":                  reports.Commas(r.Requests.Retries),
		"p50":                      reports.DurationMs(r.LatencyMs.P50),
		"p99":                      reports.DurationMs(r.LatencyMs.P99),
		"max":                      reports.DurationMs(r.LatencyMs.Max),
		"first-throttle-time":      reports.Clock(r.Explanations[0].At),
		"first-throttle-table":     r.Tables[r.Explanations[0].Event.Table].Name,
		"first-throttle-partition": "0",
		"first-throttle-reason":    r.Explanations[0].Event.Reason.String(),
	}
	for id, text := range want {
		got, ok := byID(page, id)
		switch {
		case !ok:
			t.Errorf("no element with id %q", id)
		case got != text:
			t.Errorf("#%s holds %q, want %q", id, got, text)
		}
	}
	if !strings.Contains(page, `class="verdict fail"`) {
		t.Error("a failed run's verdict is not marked fail")
	}
	for _, id := range []string{"thresholds", "operations", "workloads", "tables", "throttles", "why", "first-throttle", "capacity-events"} {
		if !strings.Contains(page, `id="`+id+`"`) {
			t.Errorf("no element with id %q", id)
		}
	}
	if strings.Contains(page, `id="no-throttles"`) {
		t.Error("a run with throttles says there were none")
	}
	// The first throttle's sentence is WriteExplain's.
	var ex bytes.Buffer
	if err := reports.WriteExplain(&ex, r); err != nil {
		t.Fatal(err)
	}
	first := strings.TrimSpace(strings.Split(ex.String(), "\n")[1])
	if !strings.Contains(page, escapeText(first)) {
		t.Errorf("the page does not give the explanation %q", first)
	}
	// Every threshold is in the table, with its verdict.
	for _, th := range r.Thresholds {
		if !strings.Contains(page, "<code>"+th.Name+"</code>") {
			t.Errorf("threshold %s missing", th.Name)
		}
	}
	if n := strings.Count(page, `<span class="badge fail">FAIL</span>`); n != 2 {
		t.Errorf("%d thresholds marked FAIL, want 2", n)
	}
	checkPlots(t, r, page)
}

// checkPlots checks that every plot of r is in page, in order, as a figure
// with its id, title, caption and an inline SVG; a time series also has
// its interactive chart, with its data, before the SVG.
func checkPlots(t *testing.T, r *reports.Result, page string) {
	t.Helper()
	plots, err := plot.Figures(r)
	if err != nil {
		t.Fatal(err)
	}
	if len(plots) == 0 {
		t.Fatal("the run has no plots to check")
	}
	figures := regexp.MustCompile(`(?s)<figure id="([^"]*)">\n<h3>([^<]*)</h3>\n<figcaption>([^<]*)</figcaption>\n(<div class="chart" id="chart-[^"]*" data-name="[^"]*"></div>\n<script type="application/json" class="chart-data" data-target="chart-[^"]*">.*?</script>\n<div class="static">)?<svg .*?</svg>(</div>)?\n</figure>`).FindAllStringSubmatch(page, -1)
	if len(figures) != len(plots) {
		t.Fatalf("%d figures with an SVG, want %d", len(figures), len(plots))
	}
	for i, p := range plots {
		f := figures[i]
		if f[1] != "plot-"+p.Name || f[2] != escapeText(p.Title) || f[3] != escapeText(p.Caption) {
			t.Errorf("figure %d is %q %q %q, want plot-%s %q %q", i, f[1], f[2], f[3], p.Name, p.Title, p.Caption)
		}
		if hasChart := f[4] != ""; hasChart != (p.Chart != nil) {
			t.Errorf("figure %s: interactive chart %v, want %v", p.Name, hasChart, p.Chart != nil)
		}
	}
}

// escapeText escapes s as html/template escapes text.
func escapeText(s string) string {
	return strings.NewReplacer("&", "&amp;", "'", "&#39;", "<", "&lt;", ">", "&gt;", `"`, "&#34;", "+", "&#43;").Replace(s)
}

// A run without throttles or thresholds says so, plainly.
func TestHTMLCalmRun(t *testing.T) {
	c := reports.NewCollector([]reports.TableInfo{{Name: "t", Mode: "on-demand", Partitions: 1}})
	for i := range 10 {
		start := sim.Time(i) * 100 * sim.Millisecond
		c.Consumed(start+ms, 0, 0, units.Units(500), 0)
		c.Finish(model.Outcome{Table: 0, Op: units.OpGet, Start: start, End: start + 2*ms, Attempts: 1, Result: model.Succeeded})
	}
	r := c.Result(reports.Meta{Scenario: "calm", Seed: 1, Duration: 2 * sim.Second, Complete: true})
	page := writeHTML(t, r)
	checkWellFormed(t, page)
	checkSelfContained(t, page)
	if v, _ := byID(page, "verdict"); v != "No thresholds set" {
		t.Errorf("verdict %q", v)
	}
	if !strings.Contains(page, `id="no-throttles"`) || strings.Contains(page, `id="first-throttle"`) {
		t.Error("a run without throttles does not say so")
	}
	if v, _ := byID(page, "requests-total"); v != "10" {
		t.Errorf("requests-total %q", v)
	}
	checkPlots(t, r, page)
}

// Names from the scenario are text, never markup.
func TestHTMLEscapes(t *testing.T) {
	r := fixture.Synthetic()
	r.Scenario = `<script>alert("x")</script>`
	r.Tables[0].Name = `<b onmouseover="x()">orders</b>`
	r.Thresholds[0].Error = `<i class="x">`
	page := writeHTML(t, r)
	checkWellFormed(t, page)
	checkSelfContained(t, page)
	if !strings.Contains(page, "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;") {
		t.Error("the scenario name is not escaped")
	}
	if strings.Contains(page, "<b onmouseover") || strings.Contains(page, "<i class") {
		t.Error("a table name or an error became markup")
	}
}

// The same result gives the same bytes: no map order, no clock.
func TestHTMLDeterministic(t *testing.T) {
	first := writeHTML(t, fixture.Synthetic())
	for range 2 {
		if writeHTML(t, fixture.Synthetic()) != first {
			t.Fatal("the same run gave a different report.html")
		}
	}
}

func TestInlineSVG(t *testing.T) {
	doc := `<?xml version="1.0"?>
<!-- Generated by SVGo and Plotinum VG -->
<svg width="10pt" height="5pt" viewBox="0 0 10 5"
	xmlns="http://www.w3.org/2000/svg"
	xmlns:xlink="http://www.w3.org/1999/xlink">
<text>a &lt; b</text>
</svg>
`
	got, err := inlineSVG([]byte(doc), `p99 < 5 "ms"`)
	if err != nil {
		t.Fatal(err)
	}
	want := `<svg width="10pt" height="5pt" viewBox="0 0 10 5" role="img" aria-label="p99 &lt; 5 &#34;ms&#34;">
<text>a &lt; b</text>
</svg>`
	if string(got) != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	img, err := inlineSVG([]byte(`<svg><image x="0" width="5" xlink:href="data:image/png;base64,AA=="/></svg>`), "")
	if err != nil || !strings.Contains(string(img), `<image preserveAspectRatio="none" x="0"`) {
		t.Errorf("an image that may not stretch: %s %v", img, err)
	}
	img, err = inlineSVG([]byte(`<svg><image preserveAspectRatio="xMidYMid" x="0"/></svg>`), "")
	if err != nil || strings.Count(string(img), "preserveAspectRatio") != 1 {
		t.Errorf("an image's own aspect ratio was overridden: %s %v", img, err)
	}
	for _, bad := range []string{"<html></html>", "<svg><script>x()</script></svg>", ""} {
		if _, err := inlineSVG([]byte(bad), ""); err == nil {
			t.Errorf("inlineSVG accepted %q", bad)
		}
	}
}

// The verdict says in words how the thresholds went, and is coloured by it.
func TestHTMLVerdict(t *testing.T) {
	pass, fail := reports.ThresholdResult{Name: "retries", Expr: "< 1", Passed: true}, reports.ThresholdResult{Name: "retries", Expr: "< 1"}
	tests := []struct {
		th            []reports.ThresholdResult
		class, banner string
	}{
		{nil, "none", "No thresholds set"},
		{[]reports.ThresholdResult{pass}, "pass", "The threshold passed"},
		{[]reports.ThresholdResult{fail}, "fail", "The threshold failed"},
		{[]reports.ThresholdResult{pass, pass, pass}, "pass", "All 3 thresholds passed"},
		{[]reports.ThresholdResult{pass, fail, fail}, "fail", "2 of 3 thresholds failed"},
	}
	r := fixture.Synthetic()
	for _, tt := range tests {
		r.Thresholds = tt.th
		r.Warnings = nil
		page := writeHTML(t, r)
		if !strings.Contains(page, `<p id="verdict" class="verdict `+tt.class+`">`+tt.banner+`</p>`) {
			v, _ := byID(page, "verdict")
			t.Errorf("%d thresholds: verdict %q, want %q (%s)", len(tt.th), v, tt.banner, tt.class)
		}
	}
}

// Requests given up, or p99 over its guard, with no threshold that allows
// it, make a warning of a pass, never a plain green verdict; a threshold on
// the damage makes it the team's call again.
func TestHTMLVerdictWarnsOfGuards(t *testing.T) {
	pass := reports.ThresholdResult{Name: "p50_ms", Expr: "< 5", Passed: true}
	allows := reports.ThresholdResult{Name: "given_up_ratio", Expr: "< 5%", Passed: true}
	tests := []struct {
		th            []reports.ThresholdResult
		class, banner string
	}{
		{nil, "warn", "Warning: the run gave up 57 requests (2.85%) and no given_up threshold allows it"},
		{[]reports.ThresholdResult{pass, pass}, "warn", "All 2 thresholds passed, but the run gave up 57 requests (2.85%) and no given_up threshold allows it"},
		{[]reports.ThresholdResult{pass, allows}, "pass", "All 2 thresholds passed"},
	}
	r := fixture.Synthetic()
	for _, tt := range tests {
		r.Thresholds = tt.th
		r.Warnings = reports.CheckGuards(r)
		page := writeHTML(t, r)
		if !strings.Contains(page, `<p id="verdict" class="verdict `+tt.class+`">`+tt.banner+`</p>`) {
			v, _ := byID(page, "verdict")
			t.Errorf("%d thresholds: verdict %q, want %q (%s)", len(tt.th), v, tt.banner, tt.class)
		}
	}
}

func TestDAXHTML(t *testing.T) {
	r := fixture.DAX()
	page := writeHTML(t, r)
	checkWellFormed(t, page)
	checkSelfContained(t, page)
	for id, text := range map[string]string{
		"cache-hit-rate":       "75.00%",
		"cache-item-hit-rate":  "80.00%",
		"cache-query-hit-rate": "50.00%",
		"cache-stale":          "20",
		"cache-throttled":      "5",
		"cache-saved-rcu":      "240",
		"cache-hit-p50":        "0.300 ms",
		"cache-miss-p99":       "5.00 ms",
		"first-throttle-table": "orders",
		"first-throttle":       "",
	} {
		got, ok := byID(page, id)
		if !ok || text != "" && got != text {
			t.Errorf("#%s = %q (found %v), want %q", id, got, ok, text)
		}
	}
	if got, _ := byID(page, "first-throttle-cluster"); got != "DAX cluster main" {
		t.Errorf("first throttle at %q, want DAX cluster main", got)
	}
	for _, s := range []string{`id="cache-clusters"`, "(index of orders)", `id="plot-cache-hit-rate"`} {
		if !strings.Contains(page, s) {
			t.Errorf("the page lacks %s", s)
		}
	}
	checkPlots(t, r, page)

	// Without DAX the page has no cache section.
	if strings.Contains(writeHTML(t, fixture.Synthetic()), "cache-section") {
		t.Error("a run without DAX has a cache section")
	}
}

func TestGlobalHTML(t *testing.T) {
	r := fixture.Global()
	page := writeHTML(t, r)
	checkWellFormed(t, page)
	checkSelfContained(t, page)
	for id, text := range map[string]string{
		"replication-lag-p50":          "1.20 s",
		"replication-lag-max":          "61.3 s",
		"replicated-writes":            "8,850",
		"replication-conflicts":        "10",
		"replication-stale-read-ratio": "3.94%",
		"replication-unreplicated":     "5",
		"availability-min":             "90.958%",
	} {
		if got, ok := byID(page, id); !ok || got != text {
			t.Errorf("#%s = %q (found %v), want %q", id, got, ok, text)
		}
	}
	for _, s := range []string{`id="streams"`, "<td>audit</td>", "<b>orders</b> <small>(eu-west-1 replica)</small>",
		"<b>orders</b> <small>(us-east-1)</small>", "(index of orders, eu-west-1 replica)",
		"2 of 3 intervals fell below the 99.999%", `id="plot-stream-iterator-age"`, `id="plot-replication"`} {
		if !strings.Contains(page, s) {
			t.Errorf("the page lacks %s", s)
		}
	}
	checkPlots(t, r, page)
}

// controlChars finds a control character other than a newline or a tab.
func controlChars(page string) int {
	return strings.IndexFunc(page, func(r rune) bool {
		return r != '\n' && r != '\t' && (r < 0x20 || r == 0x7f || r >= 0x80 && r < 0xa0)
	})
}

// A name holding ESC, an OSC sequence, CR or BEL (a trace file's name, a
// table's) never reaches report.html or compare.html raw: html/template
// escapes markup, not control characters.
func TestHTMLControlCharactersEscaped(t *testing.T) {
	const hostile = "ok\x1b]0;owned\a\r\nFORGED\x1b[31m"
	r := fixture.Synthetic()
	r.Scenario = hostile
	r.Tables[0].Name = "orders" + hostile
	r.Thresholds[0].Error = hostile
	page := writeHTML(t, r)
	if i := controlChars(page); i >= 0 {
		t.Errorf("report.html holds a control character: %q", page[max(0, i-40):min(len(page), i+40)])
	}
	if !strings.Contains(page, `ok\x1b]0;owned\a\r\nFORGED`) {
		t.Error("the scenario's name is not shown escaped")
	}

	var b bytes.Buffer
	plots, err := plot.Figures(r)
	if err != nil {
		t.Fatal(err)
	}
	rows := []CompareRow{{Mode: "provisioned" + hostile, Passed: true}}
	if err := WriteCompare(&b, hostile, rows[0].Mode, "verdict "+hostile, "text "+hostile, rows, plots); err != nil {
		t.Fatal(err)
	}
	if i := controlChars(b.String()); i >= 0 {
		t.Errorf("compare.html holds a control character: %q", b.String()[max(0, i-40):min(b.Len(), i+40)])
	}
}
