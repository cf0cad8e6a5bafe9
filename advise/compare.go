package advise

import (
	"errors"
	"fmt"
	"math"
	"runtime"
	"runtime/debug"
	"slices"
	"strings"
	"sync"

	"github.com/ddbsim/ddbsim/calc"
	"github.com/ddbsim/ddbsim/reports"
	"github.com/ddbsim/ddbsim/scenarios"
)

// The capacity modes compare runs a scenario under, in their default order.
const (
	ModeOnDemand    = "on-demand"
	ModeProvisioned = "provisioned"
	ModeAutoscaling = "autoscaling"
	ModeReserved    = "reserved"
)

// Modes are the capacity modes Compare runs by default, in order.
func Modes() []string {
	return []string{ModeOnDemand, ModeProvisioned, ModeAutoscaling, ModeReserved}
}

// The reservation the reserved mode buys: whole blocks of reserved
// capacity, for a one-year term.
const (
	reservedBlock = 100
	reservedTerm  = "1y"
)

// Auto scaling compare gives a table that has none of its own: the usual
// 70% target, between a quarter and four times its provisioned capacity,
// within the default table quota, MaxUnits, which bounds the search too.
const (
	defaultTarget = 0.7
	MaxUnits      = 40000
)

// ModeResult is one mode's run, as compare reports it.
type ModeResult struct {
	Mode           string  `json:"mode"`
	MonthlyUSD     float64 `json:"monthly_usd"`
	Throttled      int64   `json:"throttled"`
	ThrottledRatio float64 `json:"throttled_ratio"`
	P50Ms          float64 `json:"p50_ms"`
	P99Ms          float64 `json:"p99_ms"`
	Retries        int64   `json:"retries"`
	// GivenUp counts the requests the client gave up on
	// (reports.Result.GivenUp), GivenUpRatio over those that finished.
	GivenUp      int64   `json:"given_up"`
	GivenUpRatio float64 `json:"given_up_ratio"`
	Passed       bool    `json:"passed"`
	// Warnings are the default guards the mode breached with no threshold
	// allowing it (reports.Guards): a mode that passes with one is shown
	// as a warning, not a clean pass.
	Warnings []string `json:"warnings,omitempty"`
	// Failed names the thresholds that failed, for the text table.
	Failed []string `json:"-"`
	// AcrossSeeds, under several seeds (Options.Seeds), is how the mode
	// fared over them; its figures above are then the means. Absent with
	// one seed.
	*AcrossSeeds
}

// Comparison is what Compare found, and the JSON ddbsim compare writes.
type Comparison struct {
	Modes  []ModeResult `json:"modes"`
	Winner string       `json:"winner"`
	// Verdict is the sentence that names what the winner trades: its own
	// damage, every cheaper-or-equal mode's damage, every safer mode's
	// price (TradeOff).
	Verdict string `json:"verdict"`
	// Seeds and PerSeed, under several seeds (Options.Seeds), are the
	// seeds run and each one's winner; Winner is then the mode that won
	// the most seeds (SeedsVerdict). Absent with one seed.
	Seeds   *SeedRange   `json:"seeds,omitempty"`
	PerSeed []SeedWinner `json:"per_seed,omitempty"`
	// BreakEven is the average utilisation above which provisioned
	// capacity costs less than on-demand.
	BreakEven *calc.BreakEven `json:"break_even_utilization,omitempty"`
	// RightSized and Tuned are what --slo's search found.
	RightSized *RightSizing `json:"right_sized,omitempty"`
	Tuned      *Tuning      `json:"autoscaling_tuned,omitempty"`
	// Reconstruction and Window are the check of a scenario imported
	// with its history (scenarios.History): each history table's bill from
	// the metrics beside the matching run's, and each mode's cost over the
	// imported window. Absent without a history.
	Reconstruction []Reconstruction `json:"reconstruction,omitempty"`
	Window         *HistoryWindow   `json:"history_window,omitempty"`

	// Results are the runs behind Modes, in its order, for the plots.
	Results []*reports.Result `json:"-"`
}

// Simulate runs a scenario under seed and returns its result with the
// scenario's thresholds evaluated: ddbsim.Build and Run as the caller
// configures them (driver, series, budget). Compare calls it from several
// goroutines at once, each run on a scenario of its own.
type Simulate func(sc *scenarios.Scenario, seed uint64) (*reports.Result, error)

// Options are what Compare runs beyond the scenario.
type Options struct {
	// Modes are the capacity modes to compare, in order (ParseModes
	// checks a list); Modes() when empty.
	Modes []string
	// DAX runs each mode with the scenario's DAX clusters (DAXWith, the
	// default), without them (DAXWithout: every request to the tables
	// directly) or both, side by side (DAXBoth).
	DAX string
	// Search looks, by simulation, for two more modes that meet the
	// scenario's thresholds (the SLO): the right-sized provisioned
	// capacity and the tuned auto scaling.
	Search bool
	// Seeds is how many seeds to run, from the seed given on: every mode
	// runs under each, and the search's probes pass only when every seed
	// meets the SLO. Zero or one is a single seed; at most MaxSeeds.
	Seeds int
}

// MaxSeeds bounds Options.Seeds.
const MaxSeeds = 1000

// Compare simulates sc under each capacity mode with the same seed and
// traffic, every table switched to that mode, and picks the winner: the
// cheapest mode that meets the scenario's thresholds (the cheapest when it
// has none). With opts.Seeds above one it does so for each of the seeds
// seed, seed+1, ..., and sums them up (compareSeeds).
func Compare(sc *scenarios.Scenario, seed uint64, opts Options, simulate Simulate) (*Comparison, error) {
	modes := opts.Modes
	if len(modes) == 0 {
		modes = Modes()
	}
	switch opts.DAX {
	case "":
		opts.DAX = DAXWith
	case DAXWith, DAXWithout, DAXBoth:
	default:
		return nil, fmt.Errorf("DAX %q is not with, without or both", opts.DAX)
	}
	n := max(1, opts.Seeds)
	if n > MaxSeeds {
		return nil, fmt.Errorf("%d seeds: at most %d", n, MaxSeeds)
	}
	seeds := make([]uint64, n)
	for i := range seeds {
		seeds[i] = seed + uint64(i)
	}
	each, err := compareDAX(sc, seeds, modes, opts, simulate)
	if err != nil {
		return nil, err
	}
	hasThresholds := len(sc.Thresholds) > 0
	cmp := each[0]
	if n > 1 {
		cmp = compareSeeds(each, seeds, hasThresholds)
	} else {
		cmp.Verdict = TradeOff(cmp, hasThresholds)
	}
	if sc.History != nil {
		// With several seeds, the first seed's runs: the bill of one
		// history is checked against one run of it.
		if cmp.Reconstruction, cmp.Window, err = reconstruct(sc, each[0]); err != nil {
			return nil, err
		}
	}
	return cmp, nil
}

// compareDAX runs the modes with the scenario's DAX clusters, without
// them, or both, as opts.DAX asks: one comparison per seed, in seeds'
// order.
func compareDAX(sc *scenarios.Scenario, seeds []uint64, modes []string, opts Options, simulate Simulate) ([]*Comparison, error) {
	var cmps []*Comparison
	if opts.DAX != DAXWithout {
		var err error
		if cmps, err = compareModes(sc, seeds, modes, simulate, opts.Search); err != nil {
			return nil, err
		}
	}
	if opts.DAX != DAXWith && hasDAX(sc) {
		direct, err := compareModes(withoutDAX(sc), seeds, modes, simulate, opts.Search)
		if err != nil {
			return nil, err
		}
		out := make([]*Comparison, len(seeds))
		for i := range seeds {
			var with *Comparison
			if cmps != nil {
				with = cmps[i]
			}
			out[i] = mergeDAXComparison(with, direct[i])
		}
		return out, nil
	}
	if cmps == nil {
		return compareModes(sc, seeds, modes, simulate, opts.Search)
	}
	return cmps, nil
}

// job is one simulation runAll runs: a scenario under a seed, and the
// name an internal error gives it.
type job struct {
	name string
	sc   *scenarios.Scenario
	seed uint64
}

// runAll runs the jobs at once, on up to GOMAXPROCS goroutines, and
// returns the results in jobs' order: runs are independent and each is
// deterministic, so the results are those of running them one after
// another. Every scenario is made before any run starts.
func runAll(jobs []job, simulate Simulate) ([]*reports.Result, error) {
	out := make([]*reports.Result, len(jobs))
	errs := make([]error, len(jobs))
	sem := make(chan struct{}, max(1, runtime.GOMAXPROCS(0)))
	var wg sync.WaitGroup
	for i := range jobs {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			defer func() {
				// run's recover sees only its own goroutine: a bug in one
				// run becomes its error here, reported as internal.
				if r := recover(); r != nil {
					errs[i] = fmt.Errorf("internal error in the %s run: %v\n%s", jobs[i].name, r, debug.Stack())
				}
			}()
			out[i], errs[i] = simulate(jobs[i].sc, jobs[i].seed)
		}()
	}
	wg.Wait()
	return out, errors.Join(errs...)
}

// The choices of Options.DAX.
const (
	DAXWith    = "with"
	DAXWithout = "without"
	DAXBoth    = "both"
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
func mergeDAXComparison(with, direct *Comparison) *Comparison {
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
	out.Results = append(slices.Clip(with.Results), direct.Results...)
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

// ParseModes checks a list of modes: known names, each once, in the order given.
func ParseModes(in []string) ([]string, error) {
	var out []string
	for _, m := range in {
		m = strings.TrimSpace(m)
		if !slices.Contains(Modes(), m) {
			return nil, fmt.Errorf("unknown mode %q (valid modes: %s)", m, strings.Join(Modes(), ", "))
		}
		if slices.Contains(out, m) {
			return nil, fmt.Errorf("mode %q given twice", m)
		}
		out = append(out, m)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no modes given (valid modes: %s)", strings.Join(Modes(), ", "))
	}
	return out, nil
}

// compareModes simulates sc under each mode with each seed and picks
// each seed's winner: one comparison per seed, in seeds' order. A seed's
// on-demand run comes before its other modes, even when it is not asked
// for and an on-demand table needs its peak to be provisioned. With
// search, the right-sized and tuned auto scaling modes follow the others;
// their search runs every seed (rightSize).
func compareModes(sc *scenarios.Scenario, seeds []uint64, modes []string, simulate Simulate, search bool) ([]*Comparison, error) {
	results := make([]map[string]*reports.Result, len(seeds))
	for i := range results {
		results[i] = map[string]*reports.Result{}
	}
	needOnDemand := slices.Contains(modes, ModeOnDemand)
	for _, t := range sc.Tables {
		// The search starts global indexes at their on-demand peak.
		if t.Mode != "provisioned" || search && len(t.Indexes) > 0 {
			needOnDemand = true
		}
	}
	if needOnDemand {
		var jobs []job
		for _, seed := range seeds {
			jobs = append(jobs, job{ModeOnDemand, withMode(sc, ModeOnDemand, nil), seed})
		}
		runs, err := runAll(jobs, simulate)
		if err != nil {
			return nil, err
		}
		for i, r := range runs {
			results[i][ModeOnDemand] = r
		}
	}
	// The other modes are independent runs, each single-threaded and
	// deterministic: they run at once, one per core.
	var others []string
	for _, m := range modes {
		if m != ModeOnDemand {
			others = append(others, m)
		}
	}
	var jobs []job
	for i, seed := range seeds {
		for _, m := range others {
			jobs = append(jobs, job{m, withMode(sc, m, results[i][ModeOnDemand]), seed})
		}
	}
	runs, err := runAll(jobs, simulate)
	if err != nil {
		return nil, err
	}
	for i := range seeds {
		for j, m := range others {
			results[i][m] = runs[i*len(others)+j]
		}
	}

	var breakEven *calc.BreakEven
	if b, err := calc.BreakEvenUtilization(sc); err == nil {
		breakEven = b
	}
	var rs *RightSizing
	var tuned *Tuning
	if search {
		// The search sizes from the first seed's on-demand peaks; its
		// probes run every seed.
		var rsRes, tunedRes []*reports.Result
		rs, rsRes, tuned, tunedRes, err = rightSize(sc, seeds, simulate, results[0][ModeOnDemand])
		if err != nil {
			return nil, err
		}
		modes = append(slices.Clip(modes), ModeRightSized)
		for i := range seeds {
			results[i][ModeRightSized] = rsRes[i]
		}
		if tunedRes != nil {
			modes = append(modes, ModeTuned)
			for i := range seeds {
				results[i][ModeTuned] = tunedRes[i]
			}
		}
	}
	out := make([]*Comparison, len(seeds))
	for i := range seeds {
		out[i] = pickWinner(modes, results[i])
		out[i].BreakEven, out[i].RightSized, out[i].Tuned = breakEven, rs, tuned
	}
	return out, nil
}

// pickWinner is the comparison of one seed's runs of modes: the cheapest
// that meets the thresholds wins.
func pickWinner(modes []string, results map[string]*reports.Result) *Comparison {
	cmp := &Comparison{Modes: []ModeResult{}}
	best := -1
	for _, m := range modes {
		r := results[m]
		mr := ModeResult{
			Mode:           m,
			Throttled:      r.Requests.Throttled,
			ThrottledRatio: r.Ratios.Throttled,
			P50Ms:          r.LatencyMs.P50,
			P99Ms:          r.LatencyMs.P99,
			Retries:        r.Requests.Retries,
			GivenUp:        r.GivenUp(),
			GivenUpRatio:   reports.Ratio(r.GivenUp(), r.Requests.Total),
			Passed:         r.Passed(),
		}
		for _, w := range r.Warnings {
			mr.Warnings = append(mr.Warnings, w.Message)
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
		cmp.Results = append(cmp.Results, r)
		if mr.Passed && (best < 0 || mr.MonthlyUSD < cmp.Modes[best].MonthlyUSD) {
			best = len(cmp.Modes) - 1
		}
	}
	if best >= 0 {
		cmp.Winner = cmp.Modes[best].Mode
	}
	return cmp
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
		case ModeOnDemand:
			t.Mode = "on-demand"
			t.ReadCapacity, t.WriteCapacity = 0, 0
			t.AutoScaling = nil
			// previous_peak, warm and max throughput stay: they are the
			// table's on-demand history and settings.
		case ModeProvisioned, ModeAutoscaling, ModeReserved:
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
			if mode == ModeProvisioned || mode == ModeReserved {
				t.AutoScaling = nil
			} else if t.AutoScaling == nil {
				lo, hi := min(t.ReadCapacity, t.WriteCapacity), max(t.ReadCapacity, t.WriteCapacity)
				t.AutoScaling = &scenarios.AutoScaling{
					Target: defaultTarget,
					Min:    max(1, lo/4),
					Max:    max(1, min(MaxUnits, 4*hi)),
				}
			} else {
				a := *t.AutoScaling
				t.AutoScaling = &a
			}
		}
		if mode == ModeReserved {
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
		if mode == ModeOnDemand {
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
		case mode != ModeAutoscaling:
			ix.AutoScaling = nil
		case ix.AutoScaling == nil:
			lo, hi := min(ix.ReadCapacity, ix.WriteCapacity), max(ix.ReadCapacity, ix.WriteCapacity)
			ix.AutoScaling = &scenarios.AutoScaling{Target: defaultTarget, Min: max(1, lo/4), Max: max(1, min(MaxUnits, 4*hi))}
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
