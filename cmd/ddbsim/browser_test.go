package main

import (
	"bytes"
	"context"
	"encoding/json"
	"html"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ddbsim/ddbsim/scenarios"
)

// findChromium returns a Chromium (or Chrome) to test report.html in, or
// "" when there is none.
func findChromium() string {
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if _, err := os.Stat("/usr/bin/chromium"); err == nil {
		return "/usr/bin/chromium"
	}
	return ""
}

// headless runs the browser once on page with args, headless, in a fresh
// profile, with nothing that reaches the network, and returns its standard
// output.
func headless(t *testing.T, browser, page string, args ...string) []byte {
	t.Helper()
	what := strings.Join(args, " ")
	profile, err := os.MkdirTemp("", "ddbsim-chromium-")
	if err != nil {
		t.Fatal(err)
	}
	// Not t.TempDir: the browser's helpers may still be writing into the
	// profile as it exits, and a failed cleanup is not the report's fault.
	defer os.RemoveAll(profile)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	args = append([]string{"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
		"--no-first-run", "--disable-background-networking", "--disable-component-update",
		"--disable-sync", "--disable-extensions", "--hide-scrollbars", "--force-color-profile=srgb",
		"--user-data-dir=" + profile}, args...)
	args = append(args, "file://"+page)
	cmd := exec.CommandContext(ctx, browser, args...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	start := time.Now()
	if err := cmd.Run(); err != nil {
		t.Fatalf("%s %s: %v (after %v)\n%s", browser, strings.Join(args, " "), err, time.Since(start), stderr.String())
	}
	t.Logf("%s %s: %v", filepath.Base(browser), what, time.Since(start).Round(time.Millisecond))
	return stdout.Bytes()
}

// report.html, opened in a real browser, shows the key figures of the
// default scenario (as the text summary gives them) and renders to
// something that is not a blank page. The scenario keeps only the
// thresholds that its spike passes (p50 and throttled_ratio), so the page
// must open with the warning of the requests it gave up, in its amber,
// never the green of a clean pass.
func TestReportInBrowser(t *testing.T) {
	browser := requireChromium(t)
	dir := t.TempDir()
	file := webBackendPassingSpike(t, dir)
	// 20 minutes of the default scenario: the spike starts at 10m and its
	// writes throttle from 16m57s.
	code, stdout, stderr := runCLI("run", file, "--duration", "20m", "--explain", "--out", dir)
	if code != exitOK {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	// What the text summary says, to find in the page.
	total := regexp.MustCompile(`(?m)^requests +([0-9,]+) total`).FindStringSubmatch(stdout)
	passed := regexp.MustCompile(`(?m)^ +all (\d+) passed, with the warnings below$`).FindStringSubmatch(stdout)
	warning := regexp.MustCompile(`(?m)^WARNING +(gave up .*)\n +(p99 .*)$`).FindStringSubmatch(stdout)
	first := regexp.MustCompile(`(?m)^  t=(\S+) (\S+) \S+ partition (\d+) `).FindStringSubmatch(stdout)
	if total == nil || passed == nil || warning == nil || first == nil {
		t.Fatalf("the summary lacks a total, a verdict, a warning or a throttle:\n%s", stdout)
	}
	page, err := filepath.Abs(filepath.Join(dir, "report.html"))
	if err != nil {
		t.Fatal(err)
	}

	dom := string(headless(t, browser, page, "--dump-dom"))
	want := map[string]string{
		"verdict":                  "All " + passed[1] + " thresholds passed, but the run " + warning[1] + "; " + warning[2],
		"requests-total":           total[1],
		"first-throttle-time":      first[1],
		"first-throttle-table":     first[2],
		"first-throttle-partition": first[3],
	}
	for id, text := range want {
		m := regexp.MustCompile(`id="` + id + `"[^>]*>([^<]*)<`).FindStringSubmatch(dom)
		switch {
		case m == nil:
			t.Errorf("the DOM has no element with id %q", id)
		case m[1] != text:
			t.Errorf("#%s holds %q in the browser, want %q", id, m[1], text)
		}
	}
	// Every plot written beside the page is in it, as SVG the browser
	// parsed.
	svgs, _ := filepath.Glob(filepath.Join(dir, "*.svg"))
	if len(svgs) == 0 {
		t.Error("run --out wrote no plots")
	}
	for _, f := range svgs {
		name := strings.TrimSuffix(filepath.Base(f), ".svg")
		if !regexp.MustCompile(`<figure id="plot-` + regexp.QuoteMeta(name) + `"[^>]*>(?s:.)*?<svg`).MatchString(dom) {
			t.Errorf("the DOM has no figure plot-%s with an SVG in it", name)
		}
	}
	if n := strings.Count(dom, "<svg"); n < len(svgs) {
		t.Errorf("the DOM holds %d SVG elements, want %d", n, len(svgs))
	}

	img := screenshot(t, browser, page, "1280,2000")
	checkNotBlank(t, img)
}

// checkNotBlank fails unless img looks like a rendered report: mostly
// white, with a good deal of ink in many colours, and the amber of a
// warning verdict somewhere (the green of the passed thresholds' badges is
// logged, not required).
func checkNotBlank(t *testing.T, img image.Image) {
	t.Helper()
	b := img.Bounds()
	colours := map[[3]uint8]bool{}
	ink, green, amber := 0, 0, 0
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			c := [3]uint8{uint8(r >> 8), uint8(g >> 8), uint8(bl >> 8)}
			colours[c] = true
			if c != [3]uint8{255, 255, 255} {
				ink++
			}
			// --pass-bg, #e5f4ea, behind the verdict.
			if near(c[0], 0xe5) && near(c[1], 0xf4) && near(c[2], 0xea) {
				green++
			}
			// --warn-bg, #fff1d6.
			if near(c[0], 0xff) && near(c[1], 0xf1) && near(c[2], 0xd6) {
				amber++
			}
		}
	}
	area := b.Dx() * b.Dy()
	t.Logf("screenshot %dx%d: %d colours, %.1f%% not white, %d px of a pass's green, %d px of the warning's amber",
		b.Dx(), b.Dy(), len(colours), 100*float64(ink)/float64(area), green, amber)
	if len(colours) < 16 || ink < area/50 {
		t.Errorf("the screenshot looks blank: %d colours, %d of %d pixels not white", len(colours), ink, area)
	}
	if amber < 1000 {
		t.Errorf("the screenshot shows no warning verdict (%d px of its amber): was the CSS applied?", amber)
	}
}

// screenshot has the browser draw page in a window of size ("W,H") and
// returns the picture.
func screenshot(t *testing.T, browser, page, size string) image.Image {
	t.Helper()
	shot := filepath.Join(t.TempDir(), "shot.png")
	headless(t, browser, page, "--screenshot="+shot, "--window-size="+size)
	f, err := os.Open(shot)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("the screenshot: %v", err)
	}
	return img
}

// requireChromium returns the browser's path, or skips the test when there
// is none, unless .ci/run demands it (DDBSIM_BROWSER_TEST=required).
func requireChromium(t *testing.T) string {
	t.Helper()
	browser := findChromium()
	if browser == "" {
		if os.Getenv("DDBSIM_BROWSER_TEST") == "required" {
			t.Fatal("chromium not found, and DDBSIM_BROWSER_TEST=required")
		}
		t.Skip("chromium not found: install Debian's chromium package (.ci/run does)")
	}
	return browser
}

// webBackendPassingSpike writes into dir the default scenario with only
// the thresholds its spike passes (p50 and throttled_ratio), and returns
// its path: a run that passes while giving up requests.
func webBackendPassingSpike(t *testing.T, dir string) string {
	t.Helper()
	src, _ := scenarios.BuiltinSource("web-backend")
	before, _, ok := strings.Cut(string(src), "\nthresholds:")
	if !ok {
		t.Fatal("web-backend has no thresholds")
	}
	file := filepath.Join(dir, "web-backend.yaml")
	if err := os.WriteFile(file, []byte(before+"\nthresholds:\n  p50_ms: \"< 5\"\n  throttled_ratio: \"< 5%\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	return file
}

func near(a, b uint8) bool { return int(a)-int(b) <= 3 && int(b)-int(a) <= 3 }

// compare.html, opened in a real browser, carries the verdict sentence of
// the text, and a winner that passes its thresholds while giving up
// requests (web-backend's reserved under only p50 and throttled_ratio
// thresholds) is announced as a warning, in amber, not green.
func TestCompareInBrowser(t *testing.T) {
	browser := requireChromium(t)
	dir := t.TempDir()
	file := webBackendPassingSpike(t, dir)
	code, stdout, stderr := runCLI("compare", file, "--duration", "20m", "--modes", "on-demand,reserved", "--out", dir)
	if code != exitOK {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	verdict := regexp.MustCompile(`(?m)^verdict: (reserved meets your thresholds but gives up .*)$`).FindStringSubmatch(stdout)
	if verdict == nil {
		t.Fatalf("the text has no verdict naming reserved's damage:\n%s", stdout)
	}
	page, err := filepath.Abs(filepath.Join(dir, "compare.html"))
	if err != nil {
		t.Fatal(err)
	}
	dom := string(headless(t, browser, page, "--dump-dom"))
	if m := regexp.MustCompile(`<p class="tradeoff" id="verdict">([^<]*)<`).FindStringSubmatch(dom); m == nil || m[1] != verdict[1] {
		t.Errorf("#verdict in the browser: %v, want %q", m, verdict[1])
	}
	if !regexp.MustCompile(`<p class="verdict warn" id="winner">Warning: Winner: reserved`).MatchString(dom) {
		t.Errorf("the winner is not announced as a warning:\n%s", dom)
	}
	img := screenshot(t, browser, page, "1280,800")
	// compare.html's amber, #fff1d6, behind the winner; none of its green
	// pass box, #e8f5e9.
	amber, green := 0, 0
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			c := [3]uint8{uint8(r >> 8), uint8(g >> 8), uint8(bl >> 8)}
			if near(c[0], 0xff) && near(c[1], 0xf1) && near(c[2], 0xd6) {
				amber++
			}
			if near(c[0], 0xe8) && near(c[1], 0xf5) && near(c[2], 0xe9) {
				green++
			}
		}
	}
	t.Logf("screenshot: %d px of the warning's amber, %d px of a pass's green", amber, green)
	if amber < 1000 || green > 0 {
		t.Errorf("the winner's box: %d px of amber (want 1,000 or more), %d px of green (want none)", amber, green)
	}
}

// chartProbe is appended to a copy of report.html: once the charts are
// drawn it drags across the latency chart's middle third, as a reader
// zooming in would, moves the cursor over the throughput chart, and
// writes what it saw into #probe as JSON.
const chartProbe = `<script>
(function () {
	function out(v) {
		var pre = document.createElement("pre");
		pre.id = "probe";
		pre.textContent = JSON.stringify(v);
		document.body.appendChild(pre);
	}
	var charts = window.ddbsimCharts || [];
	var find = function (name) { return charts.filter(function (u) { return u.ddbsimName === name; })[0]; };
	var lat = find("plot-latency"), thr = find("plot-throughput");
	if (!lat || !thr) { out({error: "charts: " + charts.map(function (u) { return u.ddbsimName; }).join(",")}); return; }
	var before = [lat.scales.x.min, lat.scales.x.max];
	var r = lat.over.getBoundingClientRect();
	var y = r.top + r.height / 2, x1 = r.left + r.width / 3, x2 = r.left + 2 * r.width / 3;
	// uPlot ignores a move that does not move (movementX and Y 0), as
	// synthetic events are unless told.
	function mouse(target, type, x) {
		target.dispatchEvent(new MouseEvent(type, {clientX: x, clientY: y, bubbles: true, cancelable: true, view: window, button: 0, buttons: type === "mouseup" ? 0 : 1, movementX: 1, movementY: 0}));
	}
	mouse(lat.over, "mousedown", x1);
	mouse(lat.over, "mousemove", (x1 + x2) / 2);
	mouse(lat.over, "mousemove", x2);
	mouse(document, "mouseup", x2);
	// uPlot commits a new scale in a microtask: look after it.
	setTimeout(function () {
		var after = [lat.scales.x.min, lat.scales.x.max];
		var legend = function (u) { return Array.prototype.map.call(u.root.querySelectorAll(".u-legend .u-value"), function (e) { return e.textContent; }); };
		var idle = legend(thr);
		var tr = thr.over.getBoundingClientRect();
		thr.setCursor({left: tr.width * 0.75, top: tr.height / 2});
		out({before: before, after: after, idle: idle, hover: legend(thr), charts: charts.length,
			resources: performance.getEntriesByType("resource").map(function (e) { return e.name; })});
	}, 100);
})();
</script>
`

// report.html's time series are interactive: in a real browser, dragging
// across a chart zooms it into that range, the cursor over a chart puts
// the values under it in its legend, and the page loads nothing: its
// uPlot is inline, and a browser whose every host name fails to resolve
// draws it all the same.
func TestReportChartsInBrowser(t *testing.T) {
	browser := requireChromium(t)
	dir := t.TempDir()
	code, _, stderr := runCLI("run", "web-backend", "--duration", "20m", "--quiet", "--out", dir)
	if code != exitOK && code != exitFailed {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	report, err := os.ReadFile(filepath.Join(dir, "report.html"))
	if err != nil {
		t.Fatal(err)
	}
	probed := strings.Replace(string(report), "</body>", chartProbe+"</body>", 1)
	page := filepath.Join(dir, "probe.html")
	if err := os.WriteFile(page, []byte(probed), 0o644); err != nil {
		t.Fatal(err)
	}
	dom := string(headless(t, browser, page, "--dump-dom", "--virtual-time-budget=5000",
		`--host-resolver-rules=MAP * ~NOTFOUND`))
	m := regexp.MustCompile(`<pre id="probe">([^<]*)</pre>`).FindStringSubmatch(dom)
	if m == nil {
		t.Fatalf("the probe wrote nothing: did the charts' script run?\n%.2000s", dom)
	}
	var got struct {
		Error                  string
		Before, After          []float64
		Idle, Hover, Resources []string
		Charts                 int
	}
	if err := json.Unmarshal([]byte(html.UnescapeString(m[1])), &got); err != nil {
		t.Fatalf("the probe's JSON: %v\n%s", err, m[1])
	}
	t.Logf("%d charts; latency x range %v -> %v after the drag; throughput legend %v -> %v on hover",
		got.Charts, got.Before, got.After, got.Idle, got.Hover)
	if got.Error != "" {
		t.Fatal(got.Error)
	}
	if len(got.Before) != 2 || len(got.After) != 2 || !(got.After[0] > got.Before[0] && got.After[1] < got.Before[1]) {
		t.Errorf("dragging across the latency chart's middle third left its range %v -> %v: want a narrower one inside it", got.Before, got.After)
	} else if w, w0 := got.After[1]-got.After[0], got.Before[1]-got.Before[0]; w < w0/4 || w > w0/2 {
		t.Errorf("the zoomed range is %.0f s of %.0f: want about a third", w, w0)
	}
	if slices.Equal(got.Idle, got.Hover) || len(got.Hover) < 3 {
		t.Errorf("the throughput legend did not change on hover: %v -> %v", got.Idle, got.Hover)
	}
	for _, v := range got.Hover {
		if v == "" || v == "–" {
			t.Errorf("the throughput legend shows %q on hover: want a value for every series (%v)", v, got.Hover)
		}
	}
	if len(got.Resources) > 0 {
		t.Errorf("report.html requested %v: it must load nothing", got.Resources)
	}
}
