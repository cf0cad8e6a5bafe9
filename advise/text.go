package advise

// The text ddbsim compare prints: the modes side by side, the winner, and
// what the SLO search found.

import (
	"bytes"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/ddbsim/ddbsim/reports"
	"github.com/ddbsim/ddbsim/scenarios"
)

// WriteTable prints the modes of cmp side by side and the winner, as
// ddbsim compare does for a run of sc under seed.
func WriteTable(w io.Writer, sc *scenarios.Scenario, seed uint64, cmp *Comparison) {
	hasThresholds := len(sc.Thresholds) > 0
	if cmp.Seeds != nil {
		writeSeedsTable(w, sc, cmp, hasThresholds)
		writeReconstruction(w, cmp)
		return
	}
	fmt.Fprintf(w, "%s  seed %d  duration %s, each mode\n\n", sc.Name, seed, sc.Duration)
	// Numbers align right; the mode names are padded to one width so
	// they read left-aligned, and the verdict trails each line.
	width := len("mode")
	for _, m := range cmp.Modes {
		width = max(width, len(m.Mode))
	}
	var buf bytes.Buffer
	tw := tabwriter.NewWriter(&buf, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "%-*s\tmonthly cost\tthrottled\tp50\tp99\tretries\t  thresholds\n", width, "mode")
	for _, m := range cmp.Modes {
		verdict := "pass"
		if len(m.Warnings) > 0 {
			verdict = "pass, WARNING (see the verdict)"
		}
		if !m.Passed {
			verdict = "FAIL (" + strings.Join(m.Failed, ", ") + ")"
		}
		if !hasThresholds {
			verdict = "none"
			if len(m.Warnings) > 0 {
				verdict = "WARNING (see the verdict)"
			}
		}
		// Latency as every other output prints it (reports.DurationMs):
		// "3.15 s", not "3153.92 ms".
		fmt.Fprintf(tw, "%-*s\t%s\t%s %s\t%s\t%s\t%s\t  %s\n", width, m.Mode, reports.USD(m.MonthlyUSD),
			reports.Commas(m.Throttled), percent(m.ThrottledRatio), reports.DurationMs(m.P50Ms), reports.DurationMs(m.P99Ms), reports.Commas(m.Retries), verdict)
	}
	tw.Flush()
	// Right alignment pads the first column too; the table starts at the
	// margin.
	for _, line := range strings.SplitAfter(buf.String(), "\n") {
		io.WriteString(w, strings.TrimPrefix(line, "  "))
	}
	fmt.Fprintln(w)
	warned := slices.ContainsFunc(cmp.Modes, func(m ModeResult) bool { return m.Mode == cmp.Winner && len(m.Warnings) > 0 })
	switch {
	case cmp.Winner == "":
		fmt.Fprintln(w, "winner: none (no mode meets the thresholds)")
	case hasThresholds && warned:
		fmt.Fprintf(w, "winner: %s (cheapest that meets the thresholds, with a WARNING: see the verdict)\n", cmp.Winner)
	case hasThresholds:
		fmt.Fprintf(w, "winner: %s (cheapest that meets the thresholds)\n", cmp.Winner)
	default:
		fmt.Fprintf(w, "winner: %s (cheapest; the scenario has no thresholds)\n", cmp.Winner)
	}
	if cmp.Verdict != "" {
		fmt.Fprintf(w, "verdict: %s\n", cmp.Verdict)
	}
	writeReconstruction(w, cmp)
}

// writeSeedsTable prints a comparison under several seeds: each mode's
// wins, the seeds it passed in, and the means of its figures with their
// 95% confidence intervals.
func writeSeedsTable(w io.Writer, sc *scenarios.Scenario, cmp *Comparison, hasThresholds bool) {
	n := cmp.Seeds.Count
	fmt.Fprintf(w, "%s  seeds %d..%d  duration %s, each mode under each seed\n\n", sc.Name, cmp.Seeds.First, cmp.Seeds.First+uint64(n)-1, sc.Duration)
	width := len("mode")
	for _, m := range cmp.Modes {
		width = max(width, len(m.Mode))
	}
	var buf bytes.Buffer
	tw := tabwriter.NewWriter(&buf, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "%-*s\twins\tpasses\tmonthly cost (95%% CI)\tthrottled\tp99\t  thresholds\n", width, "mode")
	for _, m := range cmp.Modes {
		passes := fmt.Sprintf("%d/%d", m.PassedSeeds, n)
		verdict := "pass"
		if !m.Passed {
			verdict = "FAIL in " + strconv.Itoa(n-m.PassedSeeds) + " (" + strings.Join(m.Failed, ", ") + ")"
		}
		if !hasThresholds {
			passes, verdict = "-", "none"
		}
		if len(m.Warnings) > 0 {
			verdict += ", WARNING (see the verdict)"
		}
		fmt.Fprintf(tw, "%-*s\t%d\t%s\t%s\t%s\t%s\t  %s\n", width, m.Mode, m.Wins, passes,
			m.MonthlyUSDCI.Format(reports.USD),
			m.ThrottledRatioCI.Format(func(r float64) string { return reports.Percent(r, 2) }),
			m.P99MsCI.Format(reports.DurationMs), verdict)
	}
	tw.Flush()
	for _, line := range strings.SplitAfter(buf.String(), "\n") {
		io.WriteString(w, strings.TrimPrefix(line, "  "))
	}
	fmt.Fprintln(w)
	win := slices.IndexFunc(cmp.Modes, func(m ModeResult) bool { return m.Mode == cmp.Winner })
	switch {
	case win < 0:
		fmt.Fprintf(w, "winner: none (no mode meets the thresholds in any of the %d seeds)\n", n)
	case hasThresholds:
		fmt.Fprintf(w, "winner: %s (wins %d of %d seeds, each won by the cheapest mode that meets the thresholds)\n", cmp.Winner, cmp.Modes[win].Wins, n)
	default:
		fmt.Fprintf(w, "winner: %s (wins %d of %d seeds, each won by the cheapest mode; the scenario has no thresholds)\n", cmp.Winner, cmp.Modes[win].Wins, n)
	}
	fmt.Fprintf(w, "verdict: %s\n", cmp.Verdict)
}

// percent formats a ratio as a percentage, "(0.52%)".
func percent(r float64) string { return "(" + reports.Percent(r, 2) + ")" }

// WriteSearch prints what the SLO search (Options.Search) found, under
// the table, and the break-even utilisation.
func WriteSearch(w io.Writer, cmp *Comparison) {
	if rs := cmp.RightSized; rs != nil {
		if !rs.Found {
			fmt.Fprintf(w, "right-sized: none (the SLO fails even at the %s-unit quota); %s\n", reports.Commas(MaxUnits), probes(rs.Probes, rs.Seeds))
		} else {
			var parts []string
			for _, t := range rs.Tables {
				parts = append(parts, fmt.Sprintf("%s %s RCU / %s WCU", t.Table, reports.Commas(t.ReadCapacity), reports.Commas(t.WriteCapacity)))
			}
			fmt.Fprintf(w, "right-sized: %s, %s a month%s; %s\n", strings.Join(parts, ", "), reports.USD(rs.MonthlyUSD), meanOf(rs.Seeds), probes(rs.Probes, rs.Seeds))
			if len(rs.Tables) > 1 {
				fmt.Fprintf(w, "  (all %d tables scaled by one factor: reads x%s, writes x%s of their base capacity)\n",
					len(rs.Tables), strconv.FormatFloat(rs.ReadFactor, 'f', -1, 64), strconv.FormatFloat(rs.WriteFactor, 'f', -1, 64))
			}
		}
	}
	if a := cmp.Tuned; a != nil {
		if !a.Found {
			fmt.Fprintf(w, "autoscaling-tuned: none (no target of 50%%, 70%%, 90%% meets the SLO); %s\n", probes(a.Probes, a.Seeds))
		} else {
			var parts []string
			for _, t := range a.Tables {
				parts = append(parts, fmt.Sprintf("%s min %s max %s", t.Table, reports.Commas(t.Min), reports.Commas(t.Max)))
			}
			fmt.Fprintf(w, "autoscaling-tuned: target %.0f%%, %s, %s a month%s; %s\n", a.Target*100, strings.Join(parts, ", "), reports.USD(a.MonthlyUSD), meanOf(a.Seeds), probes(a.Probes, a.Seeds))
		}
	}
	if b := cmp.BreakEven; b != nil {
		if math.Abs(b.Reads-b.Writes) < 0.0005 {
			fmt.Fprintf(w, "break-even: provisioned is cheaper above %.1f%% average utilisation\n", b.Reads*100)
		} else {
			fmt.Fprintf(w, "break-even: provisioned is cheaper above %.1f%% average utilisation for reads, %.1f%% for writes\n", b.Reads*100, b.Writes*100)
		}
	}
}

// probes counts a search's probes, "14 probes", and under several seeds
// its simulations, "14 probes x 3 seeds = 42 simulations, each probe
// passing only in every seed".
func probes(n, seeds int) string {
	if seeds <= 1 {
		return fmt.Sprintf("%d probes", n)
	}
	return fmt.Sprintf("%d probes x %d seeds = %d simulations, a probe passing only when every seed meets the SLO", n, seeds, n*seeds)
}

// meanOf says a search's cost is a mean, under several seeds.
func meanOf(seeds int) string {
	if seeds <= 1 {
		return ""
	}
	return fmt.Sprintf(" (mean of %d seeds)", seeds)
}
