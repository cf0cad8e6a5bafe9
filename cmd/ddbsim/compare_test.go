package main

import (
	"encoding/json"
	"image/png"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ddbsim/ddbsim/reports"
	"github.com/ddbsim/ddbsim/scenarios"
)

// compare's output is pinned by golden files: a winner (exit 0), no mode
// meeting the thresholds (exit 1), and an unknown mode (exit 2).
func TestCompareGolden(t *testing.T) {
	tests := []struct {
		name string
		args []string
		code int
	}{
		{"compare-web-backend", []string{"compare", "web-backend", "--duration", "20m"}, exitOK},
		{"compare-no-winner", []string{"compare", "testdata/slo-fails.yaml", "--modes", "provisioned,autoscaling"}, exitFailed},
		{"compare-unknown-mode", []string{"compare", "steady", "--modes", "on-demand,spot"}, exitUsage},
		{"compare-no-scenario", []string{"compare"}, exitUsage},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { goldenRun(t, tt.name, tt.code, tt.args...) })
	}
}

// An unknown mode is a usage error that names the valid modes, before
// anything runs.
func TestCompareUnknownMode(t *testing.T) {
	code, stdout, stderr := runCLI("compare", "steady", "--modes", "spot")
	if code != exitUsage || stdout != "" {
		t.Fatalf("exit %d, stdout %q", code, stdout)
	}
	for _, m := range compareModes {
		if !strings.Contains(stderr, m) {
			t.Errorf("stderr does not name %s: %q", m, stderr)
		}
	}
}

// The acceptance: flat traffic near a provisioned table's capacity
// is cheapest provisioned; rare short bursts on a quiet table are cheapest
// on demand. --json - prints the comparison alone, with the five named
// keys in every mode and the winner. Reserved capacity is left out: it
// undercuts provisioned whenever a block of it is used (TestCompareReserved).
func TestCompareWinners(t *testing.T) {
	for _, tt := range []struct{ file, winner string }{
		{"testdata/compare-steady.yaml", "provisioned"},
		{"testdata/compare-spiky.yaml", "on-demand"},
	} {
		t.Run(tt.winner, func(t *testing.T) {
			want := []string{modeOnDemand, modeProvisioned, modeAutoscaling}
			code, stdout, stderr := runCLI("compare", tt.file, "--modes", strings.Join(want, ","), "--json", "-")
			if code != exitOK {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			var raw struct {
				Modes  []map[string]any `json:"modes"`
				Winner *string          `json:"winner"`
			}
			if err := json.Unmarshal([]byte(stdout), &raw); err != nil {
				t.Fatalf("not JSON: %v\n%s", err, stdout)
			}
			if raw.Winner == nil || *raw.Winner != tt.winner {
				t.Fatalf("winner %v, want %s\n%s", raw.Winner, tt.winner, stdout)
			}
			var modes []string
			cost := map[string]float64{}
			for _, m := range raw.Modes {
				for _, k := range []string{"mode", "monthly_usd", "throttled_ratio", "p99_ms", "retries"} {
					if _, ok := m[k]; !ok {
						t.Errorf("mode %v has no %q", m["mode"], k)
					}
				}
				name, _ := m["mode"].(string)
				modes = append(modes, name)
				cost[name], _ = m["monthly_usd"].(float64)
			}
			if !slices.Equal(modes, want) {
				t.Fatalf("modes %v, want %v", modes, want)
			}
			for m, c := range cost {
				if m != tt.winner && c <= cost[tt.winner] {
					t.Errorf("%s costs $%.2f, not more than the winner's $%.2f", m, c, cost[tt.winner])
				}
			}
		})
	}
}

// --json FILE writes the same JSON and the table still goes to standard
// output.
func TestCompareJSONFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "cmp.json")
	code, stdout, stderr := runCLI("compare", "testdata/slo-fails.yaml", "--modes", "on-demand,provisioned", "--json", path)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(stdout, "winner: on-demand (cheapest that meets the thresholds)") {
		t.Fatalf("stdout:\n%s", stdout)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var c comparison
	if err := json.Unmarshal(data, &c); err != nil || c.Winner != "on-demand" || len(c.Modes) != 2 {
		t.Fatalf("%v: %s", err, data)
	}
}

// withMode changes a copy: the loaded scenario keeps its tables. An
// on-demand table is provisioned at the on-demand run's peaks, rounded up,
// and auto scaled between a quarter and four times that.
func TestCompareWithMode(t *testing.T) {
	sc, err := scenarios.Load("testdata/compare-spiky.yaml")
	if err != nil {
		t.Fatal(err)
	}
	od := &reports.Result{Tables: []reports.TableResult{{PeakRCUPerS: 10.5, PeakWCUPerS: 0}}}
	p := withMode(sc, modeAutoscaling, od)
	if sc.Tables[0].Mode != "on-demand" || sc.Tables[0].AutoScaling != nil {
		t.Fatalf("the loaded scenario changed: %+v", sc.Tables[0])
	}
	got := p.Tables[0]
	if got.Mode != "provisioned" || got.ReadCapacity != 11 || got.WriteCapacity != 1 {
		t.Fatalf("provisioned %s %d/%d, want provisioned 11/1", got.Mode, got.ReadCapacity, got.WriteCapacity)
	}
	if a := got.AutoScaling; a == nil || a.Target != 0.7 || a.Min != 1 || a.Max != 44 {
		t.Fatalf("autoscaling %+v, want 70%% 1..44", a)
	}
	web, err := scenarios.Load("web-backend")
	if err != nil {
		t.Fatal(err)
	}
	o := withMode(web, modeOnDemand, nil)
	if o.Tables[0].Mode != "on-demand" || o.Tables[0].ReadCapacity != 0 || web.Tables[0].Mode != "provisioned" {
		t.Fatalf("on-demand copy %+v, original %+v", o.Tables[0], web.Tables[0])
	}
	if b := withMode(web, modeAutoscaling, nil).Tables[0].AutoScaling; b == nil || b.Min != 25 || b.Max != 1600 {
		t.Fatalf("autoscaling %+v, want 25..1600", b)
	}
}

// The reserved mode is the provisioned mode's capacity with a one-year
// reservation of it in whole blocks of 100: compare-steady's 100 RCU are
// reserved, its 50 WCU (under a block) are not. Its bill has reserved
// read capacity, no reserved write capacity, and over an hour of the same
// steady traffic it costs less than provisioned.
func TestCompareReserved(t *testing.T) {
	sc, err := scenarios.Load("testdata/compare-steady.yaml")
	if err != nil {
		t.Fatal(err)
	}
	sc.Duration = time.Hour
	prov, err := simulate(withMode(sc, modeProvisioned, nil), 1, &env{stdout: io.Discard, stderr: io.Discard}, true)
	if err != nil {
		t.Fatal(err)
	}
	resv := withMode(sc, modeReserved, nil)
	if r := resv.Tables[0].Reserved; r == nil || r.ReadCapacity != 100 || r.WriteCapacity != 0 || r.Term != "1y" {
		t.Fatalf("reservation %+v, want 100 RCU, 0 WCU, 1y", r)
	}
	if sc.Tables[0].Reserved != nil {
		t.Fatalf("the loaded scenario changed: %+v", sc.Tables[0].Reserved)
	}
	res, err := simulate(resv, 1, &env{stdout: io.Discard, stderr: io.Discard}, true)
	if err != nil {
		t.Fatal(err)
	}
	if prov.Cost == nil || res.Cost == nil {
		t.Fatal("no cost")
	}
	if got := res.Cost.Breakdown["reserved_read_capacity"]; got <= 0 {
		t.Errorf("reserved_read_capacity $%v, want > 0 (breakdown %v)", got, res.Cost.Breakdown)
	}
	if got := res.Cost.Breakdown["reserved_write_capacity"]; got != 0 {
		t.Errorf("reserved_write_capacity $%v, want 0 (50 WCU is under a block)", got)
	}
	if got := prov.Cost.Breakdown["reserved_read_capacity"]; got != 0 {
		t.Errorf("provisioned has reserved_read_capacity $%v", got)
	}
	if res.Cost.MonthlyUSD >= prov.Cost.MonthlyUSD {
		t.Errorf("reserved $%.2f a month, not less than provisioned $%.2f", res.Cost.MonthlyUSD, prov.Cost.MonthlyUSD)
	}
	if res.Requests != prov.Requests {
		t.Errorf("the reservation changed the traffic: %+v, provisioned %+v", res.Requests, prov.Requests)
	}

	// Blocks round down; Standard-IA tables and tables under a block in
	// both dimensions reserve nothing.
	for _, tt := range []struct {
		class       string
		read, write int64
		want        *scenarios.Reserved
	}{
		{"standard", 250, 1999, &scenarios.Reserved{ReadCapacity: 200, WriteCapacity: 1900, Term: "1y"}},
		{"standard", 99, 100, &scenarios.Reserved{ReadCapacity: 0, WriteCapacity: 100, Term: "1y"}},
		{"standard", 99, 99, nil},
		{"standard-ia", 400, 400, nil},
	} {
		got := reservation(scenarios.Table{TableClass: tt.class, ReadCapacity: tt.read, WriteCapacity: tt.write})
		if (got == nil) != (tt.want == nil) || got != nil && *got != *tt.want {
			t.Errorf("%s %d/%d: reservation %+v, want %+v", tt.class, tt.read, tt.write, got, tt.want)
		}
	}
}

// --out writes the JSON, the table and the two comparison plots, as SVG
// and PNG, and nothing else; each PNG is the figure's size at
// reports.PlotPixelsPerCm.
func TestCompareOut(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out")
	code, stdout, stderr := runCLI("compare", "testdata/compare-steady.yaml", "--duration", "2m", "--out", dir)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	want := []string{"compare-cost.png", "compare-cost.svg", "compare-throttling.png", "compare-throttling.svg",
		"compare.html", "compare.json", "compare.txt"}
	if !slices.Equal(names, want) {
		t.Fatalf("files %v, want %v", names, want)
	}
	// compare.html: the winner, every mode's row and both plots, with
	// nothing fetched or run.
	page, _ := os.ReadFile(filepath.Join(dir, "compare.html"))
	for _, s := range []string{`id="winner"`, `id="modes"`, `id="plot-compare-cost"`, `id="plot-compare-throttling"`, "<td>on-demand</td>", "<td>provisioned</td>"} {
		if !strings.Contains(string(page), s) {
			t.Errorf("compare.html lacks %s", s)
		}
	}
	if strings.Contains(string(page), "<script") || strings.Contains(string(page), "src=\"http") {
		t.Error("compare.html loads or runs something")
	}
	txt, err := os.ReadFile(filepath.Join(dir, "compare.txt"))
	if err != nil {
		t.Fatal(err)
	}
	if string(txt) != stdout {
		t.Errorf("compare.txt is not the table printed:\n%s\n--- stdout\n%s", txt, stdout)
	}
	js, err := os.ReadFile(filepath.Join(dir, "compare.json"))
	if err != nil {
		t.Fatal(err)
	}
	var c comparison
	if err := json.Unmarshal(js, &c); err != nil || len(c.Modes) != len(compareModes) || c.Winner == "" {
		t.Fatalf("%v: %s", err, js)
	}
	_, stdoutJSON, _ := runCLI("compare", "testdata/compare-steady.yaml", "--duration", "2m", "--json", "-")
	if string(js) != stdoutJSON {
		t.Errorf("compare.json differs from --json -:\n%s\n---\n%s", js, stdoutJSON)
	}
	wantW := int(math.Round(reports.PlotWidth * reports.PlotPixelsPerCm))
	wantH := int(math.Round(reports.PlotHeight * reports.PlotPixelsPerCm))
	for _, name := range []string{"compare-cost", "compare-throttling"} {
		f, err := os.Open(filepath.Join(dir, name+".png"))
		if err != nil {
			t.Fatal(err)
		}
		img, err := png.Decode(f)
		f.Close()
		if err != nil {
			t.Fatalf("%s.png: %v", name, err)
		}
		if b := img.Bounds(); b.Dx() != wantW || b.Dy() != wantH {
			t.Errorf("%s.png is %dx%d, want %dx%d", name, b.Dx(), b.Dy(), wantW, wantH)
		}
		svg, err := os.ReadFile(filepath.Join(dir, name+".svg"))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(string(svg), "<svg") {
			t.Errorf("%s.svg starts %.40q", name, svg)
		}
		for _, m := range compareModes {
			if !strings.Contains(string(svg), ">"+m+"<") {
				t.Errorf("%s.svg has no legend entry for %s", name, m)
			}
		}
	}
}

// --dax both compares each mode with the scenario's DAX cluster and
// without it: behind DAX the provisioned table serves the cache's misses;
// without it the same capacity throttles the reads the cache absorbed.
func TestCompareWithAndWithoutDAX(t *testing.T) {
	code, stdout, stderr := runCLI("compare", "dax-read-cache", "--dax", "both", "--modes", "provisioned",
		"--duration", "2m", "--json", "-")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var c comparison
	if err := json.Unmarshal([]byte(stdout), &c); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, stdout)
	}
	if len(c.Modes) != 2 || c.Modes[0].Mode != "provisioned" || c.Modes[1].Mode != "provisioned (no DAX)" {
		t.Fatalf("modes %+v, want provisioned with and without DAX", c.Modes)
	}
	with, without := c.Modes[0], c.Modes[1]
	if with.ThrottledRatio != 0 || without.ThrottledRatio < 0.1 {
		t.Errorf("throttled %.2f%% with DAX, %.2f%% without; want none with it and plenty without",
			100*with.ThrottledRatio, 100*without.ThrottledRatio)
	}
	if with.P50Ms >= without.P50Ms/5 {
		t.Errorf("p50 %.2f ms with DAX, %.2f ms without: cache hits should be an order of magnitude faster", with.P50Ms, without.P50Ms)
	}
	if c.Winner != "provisioned" {
		t.Errorf("winner %q, want provisioned (with DAX)", c.Winner)
	}

	if code, _, stderr := runCLI("compare", "dax-read-cache", "--dax", "sometimes"); code != exitUsage || !strings.Contains(stderr, "--dax") {
		t.Errorf("--dax sometimes: exit %d, %s", code, stderr)
	}
}
