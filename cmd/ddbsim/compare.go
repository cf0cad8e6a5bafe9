package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"runtime"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"sync"
	"text/tabwriter"

	"github.com/spf13/pflag"

	"github.com/ddbsim/ddbsim/calc"
	"github.com/ddbsim/ddbsim/reports"
	"github.com/ddbsim/ddbsim/scenarios"
)

// The capacity modes compare runs a scenario under, in their default order.
const (
	modeOnDemand    = "on-demand"
	modeProvisioned = "provisioned"
	modeAutoscaling = "autoscaling"
	modeReserved    = "reserved"
)

var compareModes = []string{modeOnDemand, modeProvisioned, modeAutoscaling, modeReserved}

// The reservation the reserved mode buys: whole blocks of reserved
// capacity, for a one-year term.
const (
	reservedBlock = 100
	reservedTerm  = "1y"
)

// Auto scaling compare gives a table that has none of its own: the usual
// 70% target, between a quarter and four times its provisioned capacity,
// within the default table quota.
const (
	compareTarget   = 0.7
	compareMaxUnits = 40000
)

type compareOptions struct {
	fs       *pflag.FlagSet
	modes    []string
	seed     uint64
	duration string
	json     string
	out      string
	slo      []string
	dax      string
}

var compareCmd = &command{
	name:  "compare",
	usage: "SCENARIO [--modes on-demand,provisioned,autoscaling,reserved] [--dax with|without|both] [--slo EXPR]... [--seed N] [--duration D] [--json FILE|-] [--out DIR] [--fidelity request|aggregate|auto]",
	short: "run a scenario in each capacity mode; the cheapest that passes wins",
	long: `Compare simulates SCENARIO (a file or a built-in name) once for each capacity
mode, with the same traffic and seed, every table switched to that mode:

  on-demand    no provisioned capacity, no auto scaling, no planned changes
  provisioned  the table's own capacity and planned changes, or for an
               on-demand table the peak units per second of the on-demand
               run, rounded up; no auto scaling
  autoscaling  provisioned as above with the table's own auto scaling, or
               target 70% between capacity/4 and 4 x capacity (at most
               40,000)
  reserved     provisioned as above, with reserved capacity for one year:
               that capacity rounded down to blocks of 100 (none for a
               dimension under 100, none for a Standard-IA table)

It prints each mode's monthly cost, throttled requests, client latency p50
and p99, retries and whether the scenario's thresholds pass, then the
winner: the cheapest mode that meets the thresholds (the cheapest when the
scenario has none). With --json FILE|- it writes
{"modes": [{"mode", "monthly_usd", "throttled_ratio", "p99_ms", "retries", ...}], "winner": MODE,
"break_even_utilization": {"reads", "writes"}}. With --out DIR it writes
compare.json (the JSON above), compare.txt (the table) and two figures,
each as SVG and PNG: compare-cost, each mode's cost so far over time, and
compare-throttling, each mode's throttled requests per second.

With --dax both, a scenario with DAX clusters is compared in each mode
with its clusters and without them, "MODE (no DAX)" sending every request
to the tables directly: whether the cache pays for its nodes in the read
capacity it saves. --dax without compares only the latter.

With --slo EXPR (repeatable: "throttled_ratio < 0.1%", "p99_ms < 50", a
metric of the scenario's thresholds and a comparison) the SLO replaces the
scenario's thresholds, and compare searches, by simulation with the same
seed, for two more modes that compete for the winner:

  right-sized        the smallest provisioned capacity meeting the SLO:
                     the capacity above (or 1 x) doubled until it passes,
                     up to the 40,000 quota, then reads bisected (writes
                     generous), then writes, to within 2% or one unit;
                     several tables share one factor per dimension
  autoscaling-tuned  targets 50%, 70% and 90%, each with the smallest
                     minimum (bisected; the table starts at it) meeting the
                     SLO and max 4 x the right-sized capacity; the cheapest

It prints what each found, its probes (simulations), and the utilisation
above which provisioned costs less than on-demand.

Exit status is 0 when a mode wins, 1 when no mode meets the thresholds,
and 2 when the arguments or the scenario are wrong.`,
	flags: func(fs *pflag.FlagSet) any {
		o := &compareOptions{fs: fs}
		fs.StringSliceVar(&o.modes, "modes", compareModes, "compare the capacity `MODES` (comma-separated: "+strings.Join(compareModes, ", ")+")")
		fs.Uint64Var(&o.seed, "seed", 0, "random seed `N` (default: the scenario's seed, else 1)")
		fs.StringVar(&o.duration, "duration", "", "simulate `D` of virtual time instead of the scenario's duration")
		fs.StringVar(&o.json, "json", "", "write the comparison as JSON to `FILE` ('-' for standard output)")
		fs.StringVar(&o.out, "out", "", "write compare.json, compare.txt and the cost and throttling plots (SVG and PNG) to `DIR`")
		fs.StringVar(&o.dax, "dax", daxWith, "run each mode `with` the scenario's DAX clusters, `without` them (every request to the tables directly), or `both`, side by side")
		fs.StringArrayVar(&o.slo, "slo", nil, "search the right-sized capacity and auto scaling meeting `EXPR` (e.g. \"throttled_ratio < 0.1%\"; repeatable), which replaces the scenario's thresholds")
		addFidelityFlags(fs)
		return o
	},
	run: runCompare,
}

// modeResult is one mode's run, as compare reports it.
type modeResult struct {
	Mode           string  `json:"mode"`
	MonthlyUSD     float64 `json:"monthly_usd"`
	Throttled      int64   `json:"throttled"`
	ThrottledRatio float64 `json:"throttled_ratio"`
	P50Ms          float64 `json:"p50_ms"`
	P99Ms          float64 `json:"p99_ms"`
	Retries        int64   `json:"retries"`
	Passed         bool    `json:"passed"`
	// Failed names the thresholds that failed, for the text table.
	Failed []string `json:"-"`
}

// comparison is the JSON compare writes.
type comparison struct {
	Modes  []modeResult `json:"modes"`
	Winner string       `json:"winner"`
	// BreakEven is the average utilisation above which provisioned
	// capacity costs less than on-demand.
	BreakEven *calc.BreakEven `json:"break_even_utilization,omitempty"`
	// RightSized and Tuned are what --slo's search found.
	RightSized *rightSizing       `json:"right_sized,omitempty"`
	Tuned      *autoscalingTuning `json:"autoscaling_tuned,omitempty"`

	// results are the runs behind Modes, in its order, for the plots.
	results []*reports.Result
}

func runCompare(e *env, opts any, args []string) int {
	o := opts.(*compareOptions)
	e.sim.Series = o.out != ""
	if len(args) != 1 {
		e.errorf("compare takes one scenario, got %d\nRun 'ddbsim help compare' for usage.", len(args))
		return exitUsage
	}
	modes, err := parseModes(o.modes)
	if err != nil {
		e.errorf("--modes: %v", err)
		return exitUsage
	}
	slos, err := parseSLOs(o.slo)
	if err != nil {
		e.errorf("--slo: %v", err)
		return exitUsage
	}
	sc, err := scenarios.Load(args[0])
	if err != nil {
		fmt.Fprintln(e.stderr, err)
		return exitUsage
	}
	seed, ok := applyRunFlags(e, sc, o.fs, o.seed, o.duration, nil)
	if !ok {
		return exitUsage
	}
	if err := checkWritable(o.out, o.json); err != nil { // now, not after the runs
		e.errorf("%v", err)
		return exitUsage
	}
	search := len(slos) > 0
	if search {
		sc.Thresholds = slos
	}
	if !slices.Contains([]string{daxWith, daxWithout, daxBoth}, o.dax) {
		e.errorf("--dax: %q is not with, without or both", o.dax)
		return exitUsage
	}

	var cmp *comparison
	if o.dax != daxWithout {
		if cmp, err = compareModesRun(sc, seed, modes, e, search); err != nil {
			fmt.Fprintln(e.stderr, err)
			return exitUsage
		}
	}
	if o.dax != daxWith && hasDAX(sc) {
		direct, err := compareModesRun(withoutDAX(sc), seed, modes, e, search)
		if err != nil {
			fmt.Fprintln(e.stderr, err)
			return exitUsage
		}
		cmp = mergeDAXComparison(cmp, direct)
	} else if cmp == nil {
		if cmp, err = compareModesRun(sc, seed, modes, e, search); err != nil {
			fmt.Fprintln(e.stderr, err)
			return exitUsage
		}
	}

	var js strings.Builder
	enc := json.NewEncoder(&js)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(cmp); err != nil {
		e.errorf("%v", err)
		return exitInternal
	}
	switch o.json {
	case "":
	case "-":
		io.WriteString(e.stdout, js.String())
	default:
		if err := writeFileAtomic(o.json, []byte(js.String())); err != nil {
			e.errorf("%v", err)
			return exitUsage
		}
	}
	var text bytes.Buffer
	writeComparison(&text, sc, seed, cmp, len(sc.Thresholds) > 0)
	if search {
		writeSearch(&text, cmp)
	}
	if o.out != "" {
		files, err := compareFiles(cmp, js.String(), text.Bytes())
		if err != nil {
			e.errorf("%v", err)
			return exitInternal
		}
		if err := writeFilesAtomic(o.out, files); err != nil {
			e.errorf("%v", err)
			return exitUsage
		}
	}
	if o.json != "-" {
		e.stdout.Write(text.Bytes())
	}
	if cmp.Winner == "" {
		return exitFailed
	}
	return exitOK
}

// simulateAll runs the scenario each name makes, at once, on up to
// GOMAXPROCS goroutines, and returns the results in names' order: runs are
// independent and each is deterministic, so the results are those of
// running them one after another.
func simulateAll(names []string, scenario func(string) *scenarios.Scenario, seed uint64, e *env) ([]*reports.Result, error) {
	out := make([]*reports.Result, len(names))
	errs := make([]error, len(names))
	scs := make([]*scenarios.Scenario, len(names))
	for i, n := range names {
		scs[i] = scenario(n) // made here, before any run starts
	}
	sem := make(chan struct{}, max(1, runtime.GOMAXPROCS(0)))
	var wg sync.WaitGroup
	for i := range names {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			defer func() {
				// run's recover sees only its own goroutine: a bug in one
				// run becomes its error here, reported as internal.
				if r := recover(); r != nil {
					errs[i] = fmt.Errorf("internal error in the %s run: %v\n%s", names[i], r, debug.Stack())
				}
			}()
			out[i], errs[i] = simulate(scs[i], seed, e, true)
		}()
	}
	wg.Wait()
	return out, errors.Join(errs...)
}

// The --dax choices.
const (
	daxWith    = "with"
	daxWithout = "without"
	daxBoth    = "both"
)

// noDAXSuffix marks the modes run without the scenario's DAX clusters.
const noDAXSuffix = " (no DAX)"

// hasDAX reports whether sc has a DAX cluster.
func hasDAX(sc *scenarios.Scenario) bool {
	if sc.DAX != nil {
		return true
	}
	for _, t := range sc.Tables {
		if t.DAX != nil {
			return true
		}
	}
	return false
}

// withoutDAX is sc without its DAX clusters: every workload sends its
// requests to its table directly.
func withoutDAX(sc *scenarios.Scenario) *scenarios.Scenario {
	c := *sc
	c.DAX = nil
	c.Tables = slices.Clone(sc.Tables)
	for i := range c.Tables {
		c.Tables[i].DAX = nil
	}
	c.Workloads = slices.Clone(sc.Workloads)
	for i := range c.Workloads {
		c.Workloads[i].DAX = nil
	}
	return &c
}

// mergeDAXComparison puts the modes run without DAX (direct) after those
// run with it (with, nil when only direct was run) and picks the winner
// of them all: the cheapest that meets the thresholds.
func mergeDAXComparison(with, direct *comparison) *comparison {
	for i := range direct.Modes {
		direct.Modes[i].Mode += noDAXSuffix
	}
	if direct.Winner != "" {
		direct.Winner += noDAXSuffix
	}
	if with == nil {
		return direct
	}
	out := *with
	out.Modes = append(slices.Clip(with.Modes), direct.Modes...)
	out.results = append(slices.Clip(with.results), direct.results...)
	out.Winner = ""
	best := -1
	for i, m := range out.Modes {
		if m.Passed && (best < 0 || m.MonthlyUSD < out.Modes[best].MonthlyUSD) {
			best = i
		}
	}
	if best >= 0 {
		out.Winner = out.Modes[best].Mode
	}
	return &out
}

// compareFiles are the files --out writes: the JSON, the text table, the
// comparison's plots as SVG and PNG, and compare.html, a page with all of
// them.
func compareFiles(cmp *comparison, js string, text []byte) (map[string][]byte, error) {
	files := map[string][]byte{
		"compare.json": []byte(js),
		"compare.txt":  text,
	}
	names := make([]string, len(cmp.Modes))
	for i, m := range cmp.Modes {
		names[i] = m.Mode
	}
	plots, err := reports.ComparePlots(names, cmp.results)
	if err != nil {
		return nil, err
	}
	if err := renderPlots(files, plots); err != nil {
		return nil, err
	}
	rows := make([]reports.CompareRow, len(cmp.Modes))
	for i, m := range cmp.Modes {
		rows[i] = reports.CompareRow{Mode: m.Mode, MonthlyUSD: m.MonthlyUSD, Throttled: m.Throttled,
			ThrottledRatio: m.ThrottledRatio, P50Ms: m.P50Ms, P99Ms: m.P99Ms, Retries: m.Retries, Passed: m.Passed}
	}
	scenario := ""
	if len(cmp.results) > 0 {
		scenario = cmp.results[0].Scenario
	}
	var page bytes.Buffer
	if err := reports.WriteCompareHTML(&page, scenario, cmp.Winner, string(text), rows, plots); err != nil {
		return nil, err
	}
	files["compare.html"] = page.Bytes()
	return files, nil
}

// parseModes checks --modes: known names, each once, in the order given.
func parseModes(in []string) ([]string, error) {
	var out []string
	for _, m := range in {
		m = strings.TrimSpace(m)
		if !slices.Contains(compareModes, m) {
			return nil, fmt.Errorf("unknown mode %q (valid modes: %s)", m, strings.Join(compareModes, ", "))
		}
		if slices.Contains(out, m) {
			return nil, fmt.Errorf("mode %q given twice", m)
		}
		out = append(out, m)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no modes given (valid modes: %s)", strings.Join(compareModes, ", "))
	}
	return out, nil
}

// compareModesRun simulates sc under each mode with the same seed and
// picks the winner. The on-demand run comes first, even when it is not
// asked for and an on-demand table needs its peak to be provisioned. With
// search, the right-sized and tuned auto scaling modes follow the others.
func compareModesRun(sc *scenarios.Scenario, seed uint64, modes []string, e *env, search bool) (*comparison, error) {
	results := map[string]*reports.Result{}
	needOnDemand := slices.Contains(modes, modeOnDemand)
	for _, t := range sc.Tables {
		// The search starts global indexes at their on-demand peak.
		if t.Mode != "provisioned" || search && len(t.Indexes) > 0 {
			needOnDemand = true
		}
	}
	if needOnDemand {
		res, err := simulate(withMode(sc, modeOnDemand, nil), seed, e, true)
		if err != nil {
			return nil, err
		}
		results[modeOnDemand] = res
	}
	// The other modes are independent runs, each single-threaded and
	// deterministic: they run at once, one per core.
	var others []string
	for _, m := range modes {
		if m != modeOnDemand {
			others = append(others, m)
		}
	}
	runs, err := simulateAll(others, func(m string) *scenarios.Scenario { return withMode(sc, m, results[modeOnDemand]) }, seed, e)
	if err != nil {
		return nil, err
	}
	for i, m := range others {
		results[m] = runs[i]
	}

	cmp := &comparison{Modes: []modeResult{}}
	if b, err := calc.BreakEvenUtilization(sc); err == nil {
		cmp.BreakEven = b
	}
	if search {
		rs, rsRes, tuned, tunedRes, err := rightSize(sc, seed, e, results[modeOnDemand])
		if err != nil {
			return nil, err
		}
		cmp.RightSized, cmp.Tuned = rs, tuned
		modes = append(slices.Clip(modes), modeRightSized)
		results[modeRightSized] = rsRes
		if tunedRes != nil {
			modes = append(modes, modeTuned)
			results[modeTuned] = tunedRes
		}
	}
	best := -1
	for _, m := range modes {
		r := results[m]
		mr := modeResult{
			Mode:           m,
			Throttled:      r.Requests.Throttled,
			ThrottledRatio: r.Ratios.Throttled,
			P50Ms:          r.LatencyMs.P50,
			P99Ms:          r.LatencyMs.P99,
			Retries:        r.Requests.Retries,
			Passed:         r.Passed(),
		}
		if r.Cost != nil {
			mr.MonthlyUSD = r.Cost.MonthlyUSD
		}
		for _, th := range r.Thresholds {
			if !th.Passed {
				mr.Failed = append(mr.Failed, th.Name)
			}
		}
		cmp.Modes = append(cmp.Modes, mr)
		cmp.results = append(cmp.results, r)
		if mr.Passed && (best < 0 || mr.MonthlyUSD < cmp.Modes[best].MonthlyUSD) {
			best = len(cmp.Modes) - 1
		}
	}
	if best >= 0 {
		cmp.Winner = cmp.Modes[best].Mode
	}
	return cmp, nil
}

// withMode returns a copy of sc with every table in mode; onDemand is the
// on-demand run, whose peaks size the capacity of tables that have none.
// sc itself is not changed.
func withMode(sc *scenarios.Scenario, mode string, onDemand *reports.Result) *scenarios.Scenario {
	c := *sc
	c.Tables = make([]scenarios.Table, len(sc.Tables))
	for i, t := range sc.Tables {
		t.CapacityChanges = nil
		switch mode {
		case modeOnDemand:
			t.Mode = "on-demand"
			t.ReadCapacity, t.WriteCapacity = 0, 0
			t.AutoScaling = nil
			// previous_peak, warm and max throughput stay: they are the
			// table's on-demand history and settings.
		case modeProvisioned, modeAutoscaling, modeReserved:
			if t.Mode == "provisioned" {
				// The table's own plan, minus switches to on-demand.
				for _, ch := range sc.Tables[i].CapacityChanges {
					if ch.Mode == "" || ch.Mode == "provisioned" {
						ch.Mode = ""
						t.CapacityChanges = append(t.CapacityChanges, ch)
					}
				}
			} else {
				t.Mode = "provisioned"
				t.ReadCapacity, t.WriteCapacity = 1, 1
				if onDemand != nil && i < len(onDemand.Tables) {
					t.ReadCapacity = peakUnits(onDemand.Tables[i].PeakRCUPerS)
					t.WriteCapacity = peakUnits(onDemand.Tables[i].PeakWCUPerS)
				}
			}
			t.WarmThroughput, t.MaxThroughput = nil, nil
			if mode == modeProvisioned || mode == modeReserved {
				t.AutoScaling = nil
			} else if t.AutoScaling == nil {
				lo, hi := min(t.ReadCapacity, t.WriteCapacity), max(t.ReadCapacity, t.WriteCapacity)
				t.AutoScaling = &scenarios.AutoScaling{
					Target: compareTarget,
					Min:    max(1, lo/4),
					Max:    max(1, min(compareMaxUnits, 4*hi)),
				}
			} else {
				a := *t.AutoScaling
				t.AutoScaling = &a
			}
		}
		if mode == modeReserved {
			t.Reserved = reservation(t)
		}
		t.Indexes = indexesInMode(t, sc.Tables[i].Mode, mode, onDemand)
		c.Tables[i] = t
	}
	return &c
}

// indexesInMode gives t's global secondary indexes the capacity of mode,
// as the table's: none on demand; provisioned, the index's own capacity,
// or for a table that was on demand the index's peak in the on-demand run;
// auto scaled as the table is (an index without its own auto scaling gets
// the same target and range relative to its capacity), since an index
// that cannot keep up throttles its table's writes (REFERENCE: gsi).
func indexesInMode(t scenarios.Table, wasMode, mode string, onDemand *reports.Result) []scenarios.Index {
	out := slices.Clone(t.Indexes)
	for j := range out {
		ix := &out[j]
		if ix.Local {
			continue
		}
		if mode == modeOnDemand {
			ix.ReadCapacity, ix.WriteCapacity, ix.AutoScaling = 0, 0, nil
			continue
		}
		if wasMode != "provisioned" {
			ix.ReadCapacity, ix.WriteCapacity = 1, 1
			if onDemand != nil {
				for _, rt := range onDemand.Tables {
					if rt.Table == t.Name && rt.Index == ix.Name {
						ix.ReadCapacity, ix.WriteCapacity = peakUnits(rt.PeakRCUPerS), peakUnits(rt.PeakWCUPerS)
					}
				}
			}
		}
		switch {
		case mode != modeAutoscaling:
			ix.AutoScaling = nil
		case ix.AutoScaling == nil:
			lo, hi := min(ix.ReadCapacity, ix.WriteCapacity), max(ix.ReadCapacity, ix.WriteCapacity)
			ix.AutoScaling = &scenarios.AutoScaling{Target: compareTarget, Min: max(1, lo/4), Max: max(1, min(compareMaxUnits, 4*hi))}
		}
	}
	return out
}

// reservation is the reserved capacity the reserved mode buys for t,
// provisioned at its capacity: each dimension rounded down to whole blocks
// of 100 for one year. A dimension under 100 reserves nothing (0: a block is
// the least that is sold), and a table reserving nothing, or of the
// Standard-IA class, for which reserved capacity is not sold, gets none.
func reservation(t scenarios.Table) *scenarios.Reserved {
	if t.TableClass == "standard-ia" {
		return nil
	}
	r := &scenarios.Reserved{
		ReadCapacity:  t.ReadCapacity / reservedBlock * reservedBlock,
		WriteCapacity: t.WriteCapacity / reservedBlock * reservedBlock,
		Term:          reservedTerm,
	}
	if r.ReadCapacity == 0 && r.WriteCapacity == 0 {
		return nil
	}
	return r
}

// peakUnits is a peak of units per second as whole capacity: rounded up,
// at least 1.
func peakUnits(peak float64) int64 {
	return max(1, int64(math.Ceil(peak-1e-9)))
}

// writeComparison prints the modes side by side and the winner.
func writeComparison(w io.Writer, sc *scenarios.Scenario, seed uint64, cmp *comparison, hasThresholds bool) {
	fmt.Fprintf(w, "%s  seed %d  duration %s, each mode\n\n", sc.Name, seed, sc.Duration)
	// Numbers align right; the mode names are padded to one width so
	// they read left-aligned, and the verdict trails each line.
	width := len("mode")
	for _, m := range cmp.Modes {
		width = max(width, len(m.Mode))
	}
	var buf bytes.Buffer
	tw := tabwriter.NewWriter(&buf, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "%-*s\tmonthly cost\tthrottled\tp50 ms\tp99 ms\tretries\t  thresholds\n", width, "mode")
	for _, m := range cmp.Modes {
		verdict := "pass"
		if !m.Passed {
			verdict = "FAIL (" + strings.Join(m.Failed, ", ") + ")"
		}
		if !hasThresholds {
			verdict = "none"
		}
		fmt.Fprintf(tw, "%-*s\t%s\t%s %s\t%.2f\t%.2f\t%s\t  %s\n", width, m.Mode, reports.USD(m.MonthlyUSD),
			reports.Commas(m.Throttled), percent(m.ThrottledRatio), m.P50Ms, m.P99Ms, reports.Commas(m.Retries), verdict)
	}
	tw.Flush()
	// Right alignment pads the first column too; the table starts at the
	// margin.
	for _, line := range strings.SplitAfter(buf.String(), "\n") {
		io.WriteString(w, strings.TrimPrefix(line, "  "))
	}
	fmt.Fprintln(w)
	switch {
	case cmp.Winner == "":
		fmt.Fprintln(w, "winner: none (no mode meets the thresholds)")
	case hasThresholds:
		fmt.Fprintf(w, "winner: %s (cheapest that meets the thresholds)\n", cmp.Winner)
	default:
		fmt.Fprintf(w, "winner: %s (cheapest; the scenario has no thresholds)\n", cmp.Winner)
	}
}

// percent formats a ratio as a percentage, "(0.52%)".
func percent(r float64) string {
	return "(" + strconv.FormatFloat(r*100, 'f', 2, 64) + "%)"
}
