package main

import (
	"encoding/json"
	"errors"
	"image/png"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/ddbsim/ddbsim/advise"
	"github.com/ddbsim/ddbsim/reports"
	"github.com/ddbsim/ddbsim/reports/plot"
	"github.com/ddbsim/ddbsim/scenarios"

	"github.com/ddbsim/ddbsim/cmd/ddbsim/internal/inputs"
	"github.com/ddbsim/ddbsim/cmd/ddbsim/internal/render"
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
	for _, m := range advise.Modes() {
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
			want := []string{advise.ModeOnDemand, advise.ModeProvisioned, advise.ModeAutoscaling}
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
	var c advise.Comparison
	if err := json.Unmarshal(data, &c); err != nil || c.Winner != "on-demand" || len(c.Modes) != 2 {
		t.Fatalf("%v: %s", err, data)
	}
}

// --out writes the JSON, the table and the two comparison plots, as SVG
// and PNG, the list of them, and nothing else; each PNG is the figure's size at
// plot.PixelsPerCm.
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
	want := []string{".ddbsim-files", "compare-cost.png", "compare-cost.svg", "compare-latency.png", "compare-latency.svg", "compare-throttling.png", "compare-throttling.svg",
		"compare.html", "compare.json", "compare.txt",
		"report-autoscaling.html", "report-on-demand.html", "report-provisioned.html", "report-reserved.html"}
	if !slices.Equal(names, want) {
		t.Fatalf("files %v, want %v", names, want)
	}
	// compare.html: the winner, every mode's row and both plots, with
	// nothing fetched or run.
	page, _ := os.ReadFile(filepath.Join(dir, "compare.html"))
	for _, s := range []string{`id="winner"`, `id="modes"`, `id="plot-compare-cost"`, `id="plot-compare-throttling"`,
		`<td><a href="report-on-demand.html">on-demand</a></td>`, `<td><a href="report-provisioned.html">provisioned</a></td>`, `id="mode-reports"`} {
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
	var c advise.Comparison
	if err := json.Unmarshal(js, &c); err != nil || len(c.Modes) != len(advise.Modes()) || c.Winner == "" {
		t.Fatalf("%v: %s", err, js)
	}
	_, stdoutJSON, _ := runCLI("compare", "testdata/compare-steady.yaml", "--duration", "2m", "--json", "-")
	if string(js) != stdoutJSON {
		t.Errorf("compare.json differs from --json -:\n%s\n---\n%s", js, stdoutJSON)
	}
	wantW := int(math.Round(plot.Width * plot.PixelsPerCm))
	wantH := int(math.Round(plot.Height * plot.PixelsPerCm))
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
		for _, m := range advise.Modes() {
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
	var c advise.Comparison
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

// compare.html's plots are drawn as run's are: a raised interrupt flag
// stops the drawing, and no file comes back.
func TestCompareDrawingStops(t *testing.T) {
	sc, err := inputs.LoadScenario("testdata/compare-steady.yaml")
	if err != nil {
		t.Fatal(err)
	}
	e := &env{stdout: io.Discard, stderr: io.Discard}
	e.sim.Series = true
	cmp, err := advise.Compare(sc, 1, advise.Options{Modes: []string{"on-demand", "provisioned"}}, func(sc *scenarios.Scenario, seed uint64) (*reports.Result, error) {
		return simulate(sc, seed, e, true)
	})
	if err != nil {
		t.Fatal(err)
	}
	stop := new(atomic.Bool)
	stop.Store(true)
	files, err := render.Compare(cmp, "{}", nil, stop)
	if !errors.Is(err, render.ErrStopped) || files != nil {
		t.Fatalf("compareFiles with the flag raised: %d files, %v", len(files), err)
	}
}
