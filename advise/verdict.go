package advise

// The verdict sentence: a winner named with what it trades, so that a mode
// that meets the thresholds while giving up requests never reads as a clean
// win.

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/ddbsim/ddbsim/reports"
)

// TradeOff is the sentence that goes with cmp's winner: the winner and its
// damage (requests given up, p99), then every other mode that costs the
// same or less, with its damage and the thresholds it fails, then every
// safer mode, one that gives up fewer requests or keeps p99 within the
// guard the winner breaches, with what it costs more a month:
//
//	reserved meets your thresholds but gives up 3.15% of requests, p99 3.38 s;
//	on-demand gives up none for $183 more a month
//
// hasThresholds says whether the scenario set any; without them the winner
// is merely the cheapest.
func TradeOff(cmp *Comparison, hasThresholds bool) string {
	w := slices.IndexFunc(cmp.Modes, func(m ModeResult) bool { return m.Mode == cmp.Winner })
	if w < 0 {
		return "no mode meets your thresholds: " + failures(cmp)
	}
	win := cmp.Modes[w]
	var b strings.Builder
	b.WriteString(win.Mode)
	switch {
	case !hasThresholds:
		b.WriteString(" is the cheapest (you set no thresholds)")
	default:
		b.WriteString(" meets your thresholds")
	}
	if harmed(win) {
		b.WriteString(" but " + damage(win))
	} else {
		b.WriteString(" and " + damage(win))
	}
	b.WriteString(others(cmp, w))
	return b.String()
}

// failures lists what each mode of cmp fails, when none meets the
// thresholds.
func failures(cmp *Comparison) string {
	parts := make([]string, len(cmp.Modes))
	for i, m := range cmp.Modes {
		parts[i] = fmt.Sprintf("%s fails %s (%s, %s a month)", m.Mode, strings.Join(m.Failed, ", "), damage(m), reports.USD(m.MonthlyUSD))
	}
	return strings.Join(parts, "; ")
}

// others is the trade-off's tail after the winner, cmp.Modes[w]: each
// mode that costs the same or less, then each safer mode, each clause
// starting "; ".
func others(cmp *Comparison, w int) string {
	win := cmp.Modes[w]
	var b strings.Builder
	for i, m := range cmp.Modes {
		if i == w || m.MonthlyUSD > win.MonthlyUSD {
			continue
		}
		b.WriteString("; " + m.Mode)
		if m.MonthlyUSD < win.MonthlyUSD {
			b.WriteString(" costs " + reports.USD(win.MonthlyUSD-m.MonthlyUSD) + " a month less")
		} else {
			b.WriteString(" costs the same")
		}
		if !m.Passed {
			b.WriteString(" but fails " + strings.Join(m.Failed, ", ") + " and")
		} else {
			b.WriteString(" and")
		}
		b.WriteString(" " + damage(m))
	}
	// The safer modes, cheapest first: the price of each step of safety.
	byPrice := slices.Clone(cmp.Modes)
	slices.SortStableFunc(byPrice, func(a, b ModeResult) int { return cmp2(a.MonthlyUSD, b.MonthlyUSD) })
	for _, m := range byPrice {
		if m.Mode == win.Mode || m.MonthlyUSD <= win.MonthlyUSD || !safer(m, win) {
			continue
		}
		b.WriteString("; " + m.Mode + " " + damage(m) + " for " + reports.USD(m.MonthlyUSD-win.MonthlyUSD) + " more a month")
		if !m.Passed {
			b.WriteString(" (but fails " + strings.Join(m.Failed, ", ") + ")")
		}
	}
	return b.String()
}

// cmp2 orders two prices; the parameter named cmp hides the package.
var cmp2 = cmp.Compare[float64]

// p99Guard is the latency guard's limit, from reports.Guards.
func p99Guard() float64 {
	for _, g := range reports.Guards {
		if g.Metric == "p99_ms" {
			return g.Limit
		}
	}
	return 0
}

// harmed reports whether m gave up requests or breached a guard.
func harmed(m ModeResult) bool { return m.GivenUp > 0 || len(m.Warnings) > 0 }

// safer reports whether m does less damage than win: fewer requests given
// up, or p99 within the guard where win's is over it.
func safer(m, win ModeResult) bool {
	if m.GivenUp < win.GivenUp {
		return true
	}
	limit := p99Guard()
	return m.GivenUp == win.GivenUp && win.P99Ms > limit && m.P99Ms <= limit
}

// damage says what a mode gives up, "gives up 3.15% of requests, p99
// 3.38 s" or "gives up none, p99 10.6 ms".
func damage(m ModeResult) string {
	if m.GivenUp == 0 {
		return "gives up none, p99 " + reports.DurationMs(m.P99Ms)
	}
	return fmt.Sprintf("gives up %s of requests (%s), p99 %s", reports.Percent(m.GivenUpRatio, 2), reports.Commas(m.GivenUp), reports.DurationMs(m.P99Ms))
}
