package sweep

import (
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/ddbsim/ddbsim/advise/interval"
	"github.com/ddbsim/ddbsim/reports"
)

// WriteSummary writes summary.txt: a row per point with its figures'
// means and intervals over the seeds, then the answer: the cheapest point
// that met the thresholds in every seed, and which met them in most, some
// and none.
func WriteSummary(w io.Writer, doc *Document) error {
	h := doc.Sweep
	fmt.Fprintf(w, "sweep %s: %s; %d points x %d seeds = %d runs\n\n",
		h.File, strings.Join(h.Scenarios, ", "), h.Points, len(h.Seeds), h.Runs)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	head := []string{"point"}
	if len(h.Scenarios) > 1 {
		head = append(head, "scenario")
	}
	for _, p := range h.Vary {
		head = append(head, shortPath(p, h.Vary))
	}
	head = append(head, "passed", "monthly cost", "throttled", "p99 (mean of seeds)", "p99 pooled")
	fmt.Fprintln(tw, strings.Join(head, "\t"))
	for _, p := range doc.Points {
		row := []string{strconv.Itoa(p.Point)}
		if len(h.Scenarios) > 1 {
			row = append(row, p.Scenario)
		}
		for _, path := range h.Vary {
			v := "-"
			for _, pr := range p.Parameters {
				if pr.Path == path {
					v = pr.Value
				}
			}
			row = append(row, v)
		}
		passed := "-"
		if p.Meets != "" {
			passed = fmt.Sprintf("%d/%d", p.PassedSeeds, p.Seeds)
		}
		row = append(row, passed,
			p.MonthlyUSD.Format(reports.USD),
			p.ThrottledRatio.Format(reports.Pct),
			p.P99Ms.Format(reports.DurationMs),
			reports.DurationMs(p.Pooled.P99))
		fmt.Fprintln(tw, strings.Join(row, "\t"))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintln(w)
	judged := slices.ContainsFunc(doc.Points, func(p PointSummary) bool { return p.Meets != "" }) // the scenarios have thresholds
	if doc.Cheapest != nil {
		p := doc.Points[*doc.Cheapest]
		fmt.Fprintf(w, "cheapest point meeting the thresholds in every seed: %d (%s), %s a month\n",
			p.Point, parameters(p.Parameters), p.MonthlyUSD.Format(reports.USD))
	} else if judged {
		fmt.Fprintln(w, "no point met the thresholds in every seed")
	}
	if judged {
		var parts []string
		for _, m := range []string{"every", "most", "some", "none"} {
			var ids []string
			for _, p := range doc.Points {
				if p.Meets == m {
					ids = append(ids, strconv.Itoa(p.Point))
				}
			}
			if len(ids) == 0 {
				ids = []string{"-"}
			}
			in := "in " + m
			if m == "every" {
				in += " seed"
			}
			parts = append(parts, in+": "+strings.Join(ids, ", "))
		}
		fmt.Fprintf(w, "points meeting the thresholds %s\n", strings.Join(parts, "; "))
	}
	_, err := fmt.Fprintf(w, "+/- is the %.0f%% confidence interval of the mean over the seeds (Student's t); p99 pooled is every seed's requests together\n",
		interval.Level*100)
	return err
}

// shortPath is a path's last part when no other varied path ends so.
func shortPath(path string, all []string) string {
	last := lastPart(path)
	n := 0
	for _, p := range all {
		if lastPart(p) == last {
			n++
		}
	}
	if n > 1 {
		return path
	}
	return last
}

func parameters(ps []Parameter) string {
	if len(ps) == 0 {
		return "as written"
	}
	paths := make([]string, len(ps))
	for i, p := range ps {
		paths[i] = p.Path
	}
	parts := make([]string, len(ps))
	for i, p := range ps {
		parts[i] = shortPath(p.Path, paths) + "=" + p.Value
	}
	return strings.Join(parts, " ")
}
