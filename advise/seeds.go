package advise

// Compare under several seeds: each seed's winner as one seed picks it,
// then how often each mode won and passed, and intervals of its figures
// over the seeds (advise/interval).

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/ddbsim/ddbsim/advise/interval"
	"github.com/ddbsim/ddbsim/reports"
)

// SeedRange names the seeds a comparison ran: First, First+1, ...,
// First+Count-1.
type SeedRange struct {
	First uint64 `json:"first"`
	Count int    `json:"count"`
}

// SeedWinner is one seed's winner ("" when no mode met the thresholds).
type SeedWinner struct {
	Seed   uint64 `json:"seed"`
	Winner string `json:"winner"`
}

// AcrossSeeds is a mode's record over several seeds, in ModeResult's
// JSON beside its figures, which are then the means over the seeds.
type AcrossSeeds struct {
	// Wins counts the seeds the mode won, PassedSeeds those in which it
	// met the thresholds.
	Wins        int `json:"wins"`
	PassedSeeds int `json:"passed_seeds"`
	// The mean over the seeds and its 95% confidence interval.
	MonthlyUSDCI     interval.Estimate `json:"monthly_usd_ci"`
	ThrottledRatioCI interval.Estimate `json:"throttled_ratio_ci"`
	P99MsCI          interval.Estimate `json:"p99_ms_ci"`
	GivenUpRatioCI   interval.Estimate `json:"given_up_ratio_ci"`
}

// compareSeeds sums up each seed's comparison (each, in seeds' order,
// with the same modes in the same order). A mode's figures are the means
// over the seeds (counts rounded up, so that a mode that gave up a request
// in any seed does not read as giving up none); it passes when it met the
// thresholds in every seed; its warnings and failed thresholds are those
// of any seed. The winner is the mode that won the most seeds, the
// cheaper on average of two that won as many. Results, for the figures
// and the reports of each mode, are the first seed's runs.
func compareSeeds(each []*Comparison, seeds []uint64, hasThresholds bool) *Comparison {
	first := each[0]
	out := &Comparison{
		Modes:      make([]ModeResult, len(first.Modes)),
		Seeds:      &SeedRange{First: seeds[0], Count: len(seeds)},
		BreakEven:  first.BreakEven,
		RightSized: first.RightSized,
		Tuned:      first.Tuned,
		Results:    first.Results,
	}
	for i, c := range each {
		out.PerSeed = append(out.PerSeed, SeedWinner{Seed: seeds[i], Winner: c.Winner})
	}
	for j, m0 := range first.Modes {
		var cost, throttledRatio, p50, p99, givenUpRatio, throttled, retries, givenUp []float64
		a := &AcrossSeeds{}
		mr := ModeResult{Mode: m0.Mode, Passed: true, AcrossSeeds: a}
		for _, c := range each {
			m := c.Modes[j]
			if m.Mode != m0.Mode {
				panic("advise: seeds compared different modes")
			}
			cost = append(cost, m.MonthlyUSD)
			throttledRatio = append(throttledRatio, m.ThrottledRatio)
			p50 = append(p50, m.P50Ms)
			p99 = append(p99, m.P99Ms)
			givenUpRatio = append(givenUpRatio, m.GivenUpRatio)
			throttled = append(throttled, float64(m.Throttled))
			retries = append(retries, float64(m.Retries))
			givenUp = append(givenUp, float64(m.GivenUp))
			if m.Passed {
				a.PassedSeeds++
			} else {
				mr.Passed = false
			}
			if c.Winner == m.Mode {
				a.Wins++
			}
			mr.Warnings = union(mr.Warnings, m.Warnings)
			mr.Failed = union(mr.Failed, m.Failed)
		}
		a.MonthlyUSDCI = interval.Of(cost)
		a.ThrottledRatioCI = interval.Of(throttledRatio)
		a.P99MsCI = interval.Of(p99)
		a.GivenUpRatioCI = interval.Of(givenUpRatio)
		mr.MonthlyUSD = a.MonthlyUSDCI.Mean
		mr.ThrottledRatio = a.ThrottledRatioCI.Mean
		mr.P99Ms = a.P99MsCI.Mean
		mr.GivenUpRatio = a.GivenUpRatioCI.Mean
		mr.P50Ms = interval.Of(p50).Mean
		mr.Throttled = meanUp(throttled)
		mr.Retries = meanUp(retries)
		mr.GivenUp = meanUp(givenUp)
		out.Modes[j] = mr
	}
	best := -1
	for i, m := range out.Modes {
		if m.Wins == 0 {
			continue
		}
		if best < 0 || m.Wins > out.Modes[best].Wins || m.Wins == out.Modes[best].Wins && m.MonthlyUSD < out.Modes[best].MonthlyUSD {
			best = i
		}
	}
	if best >= 0 {
		out.Winner = out.Modes[best].Mode
	}
	out.Verdict = SeedsVerdict(out, hasThresholds)
	return out
}

// meanUp is the mean of counts, rounded up.
func meanUp(xs []float64) int64 {
	m := interval.Of(xs).Mean
	return int64(math.Ceil(m - 1e-9))
}

// union appends to a the items of b it lacks, in order.
func union(a, b []string) []string {
	for _, x := range b {
		if !slices.Contains(a, x) {
			a = append(a, x)
		}
	}
	return a
}

// SeedsVerdict is the verdict of a comparison under several seeds
// (cmp.Seeds): how often the winner won and its cost's interval, what the
// other modes won, then the trade-off of the winner over the means, as
// TradeOff words it for one seed:
//
//	on-demand wins in 19 of 20 seeds; its monthly cost $268.08 +/- $2.34
//	(95% CI); provisioned wins 1, autoscaling and reserved none; on-demand
//	meets your thresholds in 20 of 20 seeds and gives up none, p99 10.6 ms
//	on average; ...
func SeedsVerdict(cmp *Comparison, hasThresholds bool) string {
	n := cmp.Seeds.Count
	w := slices.IndexFunc(cmp.Modes, func(m ModeResult) bool { return m.Mode == cmp.Winner })
	if w < 0 {
		return fmt.Sprintf("no mode meets your thresholds in any of the %d seeds: %s (means over the seeds)", n, failures(cmp))
	}
	win := cmp.Modes[w]
	var b strings.Builder
	fmt.Fprintf(&b, "%s wins in %d of %d seeds; its monthly cost %s (95%% CI)", win.Mode, win.Wins, n, win.MonthlyUSDCI.Format(reports.USD))
	var won, none []string
	for i, m := range cmp.Modes {
		switch {
		case i == w:
		case m.Wins > 0:
			won = append(won, fmt.Sprintf("%s wins %d", m.Mode, m.Wins))
		default:
			none = append(none, m.Mode)
		}
	}
	if len(none) > 0 {
		won = append(won, andList(none)+" none")
	}
	noWinner := 0
	for _, s := range cmp.PerSeed {
		if s.Winner == "" {
			noWinner++
		}
	}
	if noWinner > 0 {
		won = append(won, fmt.Sprintf("no mode meets your thresholds in %d", noWinner))
	}
	if len(won) > 0 {
		b.WriteString("; " + strings.Join(won, ", "))
	}
	b.WriteString("; " + win.Mode)
	if hasThresholds {
		fmt.Fprintf(&b, " meets your thresholds in %d of %d seeds", win.PassedSeeds, n)
	} else {
		b.WriteString(" is the cheapest (you set no thresholds)")
	}
	if harmed(win) {
		b.WriteString(" but " + damage(win))
	} else {
		b.WriteString(" and " + damage(win))
	}
	b.WriteString(" on average")
	b.WriteString(others(cmp, w))
	return b.String()
}

// andList joins names as "a", "a and b", "a, b and c".
func andList(names []string) string {
	if len(names) == 1 {
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}
