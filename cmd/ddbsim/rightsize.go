package main

import (
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/ddbsim/ddbsim/advise"
	"github.com/ddbsim/ddbsim/reports"
	"github.com/ddbsim/ddbsim/scenarios"
)

// parseSLOs reads --slo expressions as thresholds.
func parseSLOs(in []string) ([]scenarios.Threshold, error) {
	var out []scenarios.Threshold
	for _, s := range in {
		th, err := scenarios.ParseThreshold(s)
		if err != nil {
			return nil, err
		}
		out = append(out, th)
	}
	return out, nil
}

// writeSearch prints what the SLO search found, under the comparison.
func writeSearch(w io.Writer, cmp *advise.Comparison) {
	if rs := cmp.RightSized; rs != nil {
		if !rs.Found {
			fmt.Fprintf(w, "right-sized: none (the SLO fails even at the %s-unit quota); %d probes\n", reports.Commas(advise.MaxUnits), rs.Probes)
		} else {
			var parts []string
			for _, t := range rs.Tables {
				parts = append(parts, fmt.Sprintf("%s %s RCU / %s WCU", t.Table, reports.Commas(t.ReadCapacity), reports.Commas(t.WriteCapacity)))
			}
			fmt.Fprintf(w, "right-sized: %s, %s a month; %d probes\n", strings.Join(parts, ", "), reports.USD(rs.MonthlyUSD), rs.Probes)
			if len(rs.Tables) > 1 {
				fmt.Fprintf(w, "  (all %d tables scaled by one factor: reads x%s, writes x%s of their base capacity)\n",
					len(rs.Tables), strconv.FormatFloat(rs.ReadFactor, 'f', -1, 64), strconv.FormatFloat(rs.WriteFactor, 'f', -1, 64))
			}
		}
	}
	if a := cmp.Tuned; a != nil {
		if !a.Found {
			fmt.Fprintf(w, "autoscaling-tuned: none (no target of 50%%, 70%%, 90%% meets the SLO); %d probes\n", a.Probes)
		} else {
			var parts []string
			for _, t := range a.Tables {
				parts = append(parts, fmt.Sprintf("%s min %s max %s", t.Table, reports.Commas(t.Min), reports.Commas(t.Max)))
			}
			fmt.Fprintf(w, "autoscaling-tuned: target %.0f%%, %s, %s a month; %d probes\n", a.Target*100, strings.Join(parts, ", "), reports.USD(a.MonthlyUSD), a.Probes)
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
