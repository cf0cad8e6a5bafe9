package advise

import (
	"fmt"
	"math"
	"runtime/debug"
	"slices"
	"strings"
	"sync"

	"github.com/ddbsim/ddbsim/reports"
	"github.com/ddbsim/ddbsim/scenarios"
)

// Right-sizing (compare --slo): searches by simulation, not by formula.
//
// Right-sized provisioned capacity. Every table's capacity is a scale
// factor times a base: the table's own capacity when it is provisioned,
// else the on-demand run's peak units per second (compare's provisioned
// mode). A factor f gives ceil(f x base) units, at least 1 and at most the
// 40,000 quota. The search runs in three steps, each probe a full
// simulation with the same seed (with several seeds, one simulation per
// seed, and the probe passes only when every seed meets the SLO):
//
//  1. jointly: f = 1 for reads and writes, doubled until the SLO passes
//     (or every capacity is at the quota and it still fails: "none");
//  2. reads: with writes held at that generous factor, halve the read
//     factor until the SLO fails, then bisect between the failing and the
//     passing factor;
//  3. writes: the same, with reads at the factor step 2 found.
//
// Bisection stops when the passing factor is within 2% of the failing one,
// or every table's capacity differs by at most one unit, or after 12
// probes of the dimension (the passing side is kept). With several tables
// all are scaled by one common factor per dimension. The capacity found
// is always one that a probe ran and passed, so running it again passes.
//
// Tuned auto scaling. For each target of 50%, 70% and 90% the table
// starts at its minimum (the capacity auto scaling would leave it at when
// idle) with max = 4 x the right-sized capacity (at most 40,000); the
// smallest minimum that meets the SLO is bisected as above, as a factor
// of the larger of the right-sized read and write capacity (the model has
// one minimum for both). The cheapest passing target wins.

// The search's bounds.
const (
	searchTolerance = 0.02 // relative width at which bisection stops
	searchMaxProbes = 12   // probes per bisected dimension
)

// searchTargets are the auto scaling targets the tuned search tries.
var searchTargets = []float64{0.5, 0.7, 0.9}

// The modes the SLO search adds to the comparison.
const (
	ModeRightSized = "right-sized"
	ModeTuned      = "autoscaling-tuned"
)

// TableCapacity is one table's capacity as the search found it.
type TableCapacity struct {
	Table         string `json:"table"`
	ReadCapacity  int64  `json:"read_capacity"`
	WriteCapacity int64  `json:"write_capacity"`
}

// RightSizing is what the right-sized search found, in the JSON.
type RightSizing struct {
	Found bool `json:"found"`
	// Tables is the capacity found (or, when none passes, the quota that
	// was tried last).
	Tables []TableCapacity `json:"tables"`
	// ReadFactor and WriteFactor scale each table's base capacity; Base
	// names it: "on-demand peak" or "own capacity" per table.
	ReadFactor  float64  `json:"read_factor"`
	WriteFactor float64  `json:"write_factor"`
	Base        []string `json:"base"`
	MonthlyUSD  float64  `json:"monthly_usd"`
	Probes      int      `json:"probes"`
	// Seeds is how many seeds each probe ran, when more than one: the
	// capacity found met the SLO in every one.
	Seeds int `json:"seeds,omitempty"`
}

// AutoscalingTable is one table's tuned auto scaling.
type AutoscalingTable struct {
	Table string `json:"table"`
	Min   int64  `json:"min"`
	Max   int64  `json:"max"`
}

// TargetTrial is one target the tuned search tried.
type TargetTrial struct {
	Target     float64 `json:"target"`
	Passed     bool    `json:"passed"`
	Min        int64   `json:"min"` // the first table's smallest passing minimum
	MonthlyUSD float64 `json:"monthly_usd"`
}

// Tuning is what the tuned auto scaling search found.
type Tuning struct {
	Found      bool               `json:"found"`
	Target     float64            `json:"target"`
	Tables     []AutoscalingTable `json:"tables"`
	MonthlyUSD float64            `json:"monthly_usd"`
	Probes     int                `json:"probes"`
	Tried      []TargetTrial      `json:"tried"`
	// Seeds is as RightSizing's.
	Seeds int `json:"seeds,omitempty"`
}

func configKey(sc *scenarios.Scenario) string {
	var b strings.Builder
	for _, t := range sc.Tables {
		fmt.Fprintf(&b, "%s %d %d", t.Mode, t.ReadCapacity, t.WriteCapacity)
		if a := t.AutoScaling; a != nil {
			fmt.Fprintf(&b, " as %g %d %d", a.Target, a.Min, a.Max)
		}
		for _, ix := range t.Indexes {
			fmt.Fprintf(&b, " ix %d %d", ix.ReadCapacity, ix.WriteCapacity)
			if a := ix.AutoScaling; a != nil {
				fmt.Fprintf(&b, " as %g %d %d", a.Target, a.Min, a.Max)
			}
		}
		b.WriteString(";")
	}
	return b.String()
}

// scaled is base x f as whole units within 1..quota.
func scaled(base int64, f float64) int64 {
	return min(MaxUnits, max(1, int64(math.Ceil(f*float64(base)-1e-9))))
}

// bisect finds the smallest passing factor below hi, which passes with
// result hiRes. units gives every table's capacity at a factor (0 units at
// factor 0, which is never probed and counts as failing); probe runs one.
// It returns the passing factor and its result.
//
// While a probe runs, the probe that would follow it if it passed is
// started on a spare core (searcher.prefetch), from at.
func (s *searcher) bisect(hi float64, hiRes *probe, units func(float64) []int64, at func(float64) *scenarios.Scenario) (float64, *probe, error) {
	try := func(f, ifPassed float64) (*probe, error) {
		if ifPassed > 0 && !slices.Equal(units(ifPassed), units(f)) {
			s.prefetch(at(ifPassed))
		}
		return s.run(at(f))
	}
	start := s.probes
	lo := 0.0
	unitsAt := func(f float64) []int64 {
		if f == 0 {
			return make([]int64, len(units(hi)))
		}
		return units(f)
	}
	closeEnough := func() bool {
		if hi-lo <= searchTolerance*hi {
			return true
		}
		l, h := unitsAt(lo), unitsAt(hi)
		for i := range h {
			if h[i]-l[i] > 1 {
				return false
			}
		}
		return true
	}
	// Halve until it fails.
	for s.probes-start < searchMaxProbes {
		f := hi / 2
		if slices.Equal(units(f), units(hi)) {
			break // every table is at 1 unit: nothing lower to try
		}
		r, err := try(f, f/2)
		if err != nil {
			return 0, nil, err
		}
		if !r.Passed() {
			lo = f
			break
		}
		hi, hiRes = f, r
	}
	// Bisect between lo (fails) and hi (passes).
	for s.probes-start < searchMaxProbes && !closeEnough() {
		f := (lo + hi) / 2
		u := units(f)
		switch {
		case slices.Equal(u, unitsAt(hi)):
			hi = f // the same capacity as hi: it passes
			continue
		case lo > 0 && slices.Equal(u, unitsAt(lo)):
			lo = f
			continue
		}
		r, err := try(f, (lo+f)/2)
		if err != nil {
			return 0, nil, err
		}
		if r.Passed() {
			hi, hiRes = f, r
		} else {
			lo = f
		}
	}
	return hi, hiRes, nil
}

// indexesAtPeak starts the search with each global index provisioned at
// its peak in the on-demand run, whatever the scenario gave it, so that
// the one factor the search applies to a table and its indexes scales
// each from what it needs: an index provisioned out of proportion to its
// table would otherwise oversize the table or starve the index.
func indexesAtPeak(sc *scenarios.Scenario, onDemand *reports.Result) {
	if onDemand == nil {
		return
	}
	for i := range sc.Tables {
		t := &sc.Tables[i]
		for j := range t.Indexes {
			ix := &t.Indexes[j]
			for _, rt := range onDemand.Tables {
				if !ix.Local && rt.Table == t.Name && rt.Index == ix.Name {
					ix.ReadCapacity, ix.WriteCapacity = peakUnits(rt.PeakRCUPerS), peakUnits(rt.PeakWCUPerS)
				}
			}
		}
	}
}

// rightSize searches the smallest provisioned capacity meeting sc's
// thresholds and the best tuned auto scaling; onDemand is the on-demand
// run (nil when every table is provisioned).
func rightSize(sc *scenarios.Scenario, seeds []uint64, simulate Simulate, onDemand *reports.Result) (*RightSizing, []*reports.Result, *Tuning, []*reports.Result, error) {
	s := newSearcher(sc, seeds, simulate)
	defer s.runs.wait()
	base := withMode(sc, ModeProvisioned, onDemand)
	indexesAtPeak(base, onDemand)
	rs := &RightSizing{}
	if len(seeds) > 1 {
		rs.Seeds = len(seeds)
	}
	for _, t := range sc.Tables {
		if t.Mode == "provisioned" {
			rs.Base = append(rs.Base, "own capacity")
		} else {
			rs.Base = append(rs.Base, "on-demand peak")
		}
	}
	// at is the scenario provisioned at factors fr and fw.
	at := func(fr, fw float64) *scenarios.Scenario {
		c := *base
		c.Tables = slices.Clone(base.Tables)
		for i := range c.Tables {
			t := &c.Tables[i]
			t.ReadCapacity = scaled(base.Tables[i].ReadCapacity, fr)
			t.WriteCapacity = scaled(base.Tables[i].WriteCapacity, fw)
			t.CapacityChanges = nil
			t.AutoScaling = nil
			// A global index scales with its table: one that cannot
			// keep up throttles the table's writes (REFERENCE: gsi).
			t.Indexes = slices.Clone(t.Indexes)
			for j := range t.Indexes {
				if ix := &t.Indexes[j]; !ix.Local {
					ix.ReadCapacity = scaled(base.Tables[i].Indexes[j].ReadCapacity, fr)
					ix.WriteCapacity = scaled(base.Tables[i].Indexes[j].WriteCapacity, fw)
					ix.AutoScaling = nil
				}
			}
		}
		return &c
	}
	readUnits := func(f float64) []int64 {
		var u []int64
		for _, t := range base.Tables {
			u = append(u, scaled(t.ReadCapacity, f))
		}
		return u
	}
	writeUnits := func(f float64) []int64 {
		var u []int64
		for _, t := range base.Tables {
			u = append(u, scaled(t.WriteCapacity, f))
		}
		return u
	}

	// 1. Double both until the SLO passes or everything is at the quota.
	f := 1.0
	var res *probe
	for {
		s.prefetch(at(2*f, 2*f)) // the next if this fails
		r, err := s.run(at(f, f))
		if err != nil {
			return nil, nil, nil, nil, err
		}
		res = r
		if r.Passed() {
			break
		}
		if slices.Equal(readUnits(2*f), readUnits(f)) && slices.Equal(writeUnits(2*f), writeUnits(f)) {
			// At the quota and still failing: no provisioned capacity meets it.
			rs.ReadFactor, rs.WriteFactor = f, f
			rs.Tables = capacities(at(f, f))
			rs.MonthlyUSD = r.cost
			rs.Probes = s.probes
			return rs, r.runs, &Tuning{Seeds: rs.Seeds}, nil, nil
		}
		f *= 2
	}
	// 2. Reads, with writes generous; 3. writes, with reads as found.
	fr, res, err := s.bisect(f, res, readUnits, func(x float64) *scenarios.Scenario { return at(x, f) })
	if err != nil {
		return nil, nil, nil, nil, err
	}
	fw, res, err := s.bisect(f, res, writeUnits, func(x float64) *scenarios.Scenario { return at(fr, x) })
	if err != nil {
		return nil, nil, nil, nil, err
	}
	final := at(fr, fw)
	rs.Found = true
	rs.ReadFactor, rs.WriteFactor = round3(fr), round3(fw)
	rs.Tables = capacities(final)
	rs.MonthlyUSD = res.cost
	rs.Probes = s.probes

	tuned, tunedRes, err := tuneAutoscaling(s, final)
	if err != nil {
		return nil, nil, nil, nil, err
	}
	tuned.Seeds = rs.Seeds
	var tunedRuns []*reports.Result
	if tunedRes != nil {
		tunedRuns = tunedRes.runs
	}
	return rs, res.runs, tuned, tunedRuns, nil
}

// tuneAutoscaling searches each target's smallest passing minimum, the
// table starting at it, with max 4 x the right-sized capacity. The
// targets are independent searches: they run at once, each counting its
// own probes, and are then taken in order as if run in turn.
func tuneAutoscaling(s *searcher, sized *scenarios.Scenario) (*Tuning, *probe, error) {
	out := &Tuning{Tried: []TargetTrial{}}
	var best *probe
	peak := make([]int64, len(sized.Tables))
	for i, t := range sized.Tables {
		peak[i] = max(t.ReadCapacity, t.WriteCapacity)
	}
	minUnits := func(g float64) []int64 {
		u := make([]int64, len(peak))
		for i, p := range peak {
			u[i] = scaled(p, g)
		}
		return u
	}
	type found struct {
		trial  TargetTrial
		r      *probe
		g      float64
		probes int
		err    error
	}
	results := make([]found, len(searchTargets))
	var wg sync.WaitGroup
	for i, target := range searchTargets {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() {
				if r := recover(); r != nil {
					results[i].err = fmt.Errorf("internal error in the search of target %g: %v\n%s", target, r, debug.Stack())
				}
			}()
			ts := s.fork()
			at := tunedAt(sized, peak, target)
			f := found{trial: TargetTrial{Target: target}, g: 1}
			f.r, f.err = ts.run(at(1))
			if f.err == nil && f.r.Passed() {
				f.g, f.r, f.err = ts.bisect(1, f.r, minUnits, at)
				f.trial.Passed = true
			}
			f.probes = ts.probes
			results[i] = f
		}()
	}
	wg.Wait()
	for i, f := range results {
		if f.err != nil {
			return nil, nil, f.err
		}
		out.Probes += f.probes
		trial := f.trial
		trial.Min = minUnits(f.g)[0]
		trial.MonthlyUSD = f.r.cost
		out.Tried = append(out.Tried, trial)
		if trial.Passed && (best == nil || trial.MonthlyUSD < out.MonthlyUSD) {
			best = f.r
			out.Found = true
			out.Target = trial.Target
			out.MonthlyUSD = trial.MonthlyUSD
			out.Tables = nil
			for j, t := range tunedAt(sized, peak, searchTargets[i])(f.g).Tables {
				out.Tables = append(out.Tables, AutoscalingTable{Table: sized.Tables[j].Name, Min: t.AutoScaling.Min, Max: t.AutoScaling.Max})
			}
		}
	}
	return out, best, nil
}

// tunedAt is the scenario sized with auto scaling at target, each table
// (and global index) starting at its minimum, g x its peak, with max 4 x
// the peak.
func tunedAt(sized *scenarios.Scenario, peak []int64, target float64) func(g float64) *scenarios.Scenario {
	return func(g float64) *scenarios.Scenario {
		c := *sized
		c.Tables = slices.Clone(sized.Tables)
		for i := range c.Tables {
			t := &c.Tables[i]
			lo := scaled(peak[i], g)
			t.ReadCapacity, t.WriteCapacity = lo, lo
			t.AutoScaling = &scenarios.AutoScaling{Target: target, Min: lo, Max: max(lo, min(MaxUnits, 4*peak[i]))}
			t.Indexes = slices.Clone(t.Indexes)
			for j := range t.Indexes {
				if ix := &t.Indexes[j]; !ix.Local {
					p := max(ix.ReadCapacity, ix.WriteCapacity)
					ilo := scaled(p, g)
					ix.ReadCapacity, ix.WriteCapacity = ilo, ilo
					ix.AutoScaling = &scenarios.AutoScaling{Target: target, Min: ilo, Max: max(ilo, min(MaxUnits, 4*p))}
				}
			}
		}
		return &c
	}
}

func capacities(sc *scenarios.Scenario) []TableCapacity {
	var out []TableCapacity
	for _, t := range sc.Tables {
		out = append(out, TableCapacity{Table: t.Name, ReadCapacity: t.ReadCapacity, WriteCapacity: t.WriteCapacity})
		for _, ix := range t.Indexes {
			if !ix.Local {
				out = append(out, TableCapacity{Table: t.Name + "/" + ix.Name, ReadCapacity: ix.ReadCapacity, WriteCapacity: ix.WriteCapacity})
			}
		}
	}
	return out
}

func monthly(r *reports.Result) float64 {
	if r == nil || r.Cost == nil {
		return 0
	}
	return r.Cost.MonthlyUSD
}

func round3(x float64) float64 { return math.Round(x*1000) / 1000 }
