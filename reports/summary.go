package reports

import (
	"bytes"
	"cmp"
	"fmt"
	"github.com/ddbsim/ddbsim/model/units"
	"io"
	"slices"
	"strings"
	"text/tabwriter"
	"unicode/utf8"

	"github.com/ddbsim/ddbsim/model/billing"
	"github.com/ddbsim/ddbsim/sim"
)

// WriteSummary writes r as a compact human summary: the run, requests and
// latency, then one table each for operations, tables, throttle reasons and
// thresholds (each only when it has rows). A global secondary index is
// listed right after its table, as "<index> (index of <table>)", and a
// global table's replica after the table and its indexes, as "<table>
// (<region> replica)"; a run with DAX has a section on its caches (hit
// rates, stale and throttled accesses, hit against miss latency, read units
// saved, each cluster's peak load against its capacity), a run with a
// stream a table of its consumers (records processed, lost, retried
// batches, the largest iterator age and the last) and a run with a global table one on
// replication (lag, conflicts, stale reads, writes caught by an outage,
// the lowest availability of a 5-minute interval), before the cost; the
// guards the run breached (Warnings) close it. Counts carry thousands
// separators; measurements are shown to 3 significant figures.
func WriteSummary(w io.Writer, r *Result) error {
	var b bytes.Buffer

	name := SafeName(r.Scenario)
	if r.Scenario == "" {
		name = "(unnamed)"
	}
	fmt.Fprintf(&b, "%s  seed %d  duration %v", name, r.Seed, sim.FromSeconds(r.DurationS))
	if !r.Complete {
		b.WriteString("  (incomplete: stopped before its duration)")
	}
	b.WriteString("\n")
	if f := r.Fidelity; f != nil {
		fmt.Fprintf(&b, "driver: %s, chosen by --fidelity auto: %s\n", f.Driver, f.Reason)
	}
	for _, c := range r.CutShort {
		fmt.Fprintf(&b, "cut short: workload %s ran %s of its %s operations (%s); the cost a month is projected from what ran\n",
			SafeName(c.Workload), Commas(c.Ran), Commas(c.Operations), c.Reason)
	}
	for _, w := range r.TraceWaits {
		fmt.Fprintf(&b, "trace waited: workload %s had %s requests in flight (max_in_flight) when %s records were due; they waited up to %s, counted in their latency\n",
			SafeName(w.Workload), Commas(w.MaxInFlight), Commas(w.Records), DurationMs(w.LongestMs))
	}
	b.WriteString("\n")

	q := r.Requests
	rows := [][]string{
		{label("requests"), fmt.Sprintf("%s total   %s ok (%s)   %s throttled (%s)   %s errors (%s)",
			Commas(q.Total),
			Commas(q.Succeeded), Pct(Ratio(q.Succeeded, q.Total)),
			Commas(q.Throttled), Pct(r.Ratios.Throttled),
			Commas(q.Errors), Pct(r.Ratios.Errors))},
		{label(""), fmt.Sprintf("throttle events %s   retries %s", Commas(q.ThrottleEvents), Commas(q.Retries))},
	}
	if line := errorKindsLine(r.ErrorsByKind); line != "" {
		rows = append(rows, []string{label(""), line})
	}
	rows = append(rows, []string{label("latency"), latencyLine(r.LatencyMs)})
	writeTable(&b, nil, rows)

	if len(r.Operations) > 0 {
		b.WriteString("\n")
		rows := [][]string{{"operation", "count", "p50 ms", "p90 ms", "p99 ms", "p99.9 ms", "max ms", "mean ms"}}
		for _, op := range OpOrder(r.Operations) {
			o := r.Operations[op]
			l := o.LatencyMs
			rows = append(rows, []string{op, Commas(o.Count),
				Sig3(l.P50, 3), Sig3(l.P90, 3), Sig3(l.P99, 3), Sig3(l.P999, 3), Sig3(l.Max, 3), Sig3(l.Mean, 3)})
		}
		writeTable(&b, []bool{false, true, true, true, true, true, true, true}, rows)
	}

	if rows := WorkloadRows(r); rows != nil {
		b.WriteString("\n")
		writeTable(&b, []bool{false, true, true, true, true, true}, rows)
	}

	if len(r.Tables) > 0 {
		b.WriteString("\n")
		rows := [][]string{{"table", "mode", "partitions",
			"RCU/s mean", "peak", "provisioned", "WCU/s mean", "peak", "provisioned", "throttled"}}
		for _, ti := range TableOrder(r.Tables) {
			t := r.Tables[ti]
			peakR, peakW := peakCapacity(r, ti)
			rows = append(rows, []string{TableLabel(&t), t.Mode, Commas(int64(t.Partitions)),
				Sig3(t.MeanRCUPerS, 3), Sig3(t.PeakRCUPerS, 3), ProvisionedSpan(t.ProvisionedRCU, peakR, t.FinalRCU, t.Mode),
				Sig3(t.MeanWCUPerS, 3), Sig3(t.PeakWCUPerS, 3), ProvisionedSpan(t.ProvisionedWCU, peakW, t.FinalWCU, t.Mode),
				Pct(t.ThrottledRatio)})
		}
		writeTable(&b, []bool{false, false, true, true, true, true, true, true, true, true}, rows)
	}

	var throttles [][]string
	for _, ti := range TableOrder(r.Tables) {
		t := &r.Tables[ti]
		first := true
		for _, reason := range ReasonOrder(t.ThrottlesByReason) {
			lab, tab := label(""), ""
			if len(throttles) == 0 {
				lab = label("throttles")
			}
			if first {
				tab, first = TableLabel(t), false
			}
			throttles = append(throttles, []string{lab, tab, reason, Commas(t.ThrottlesByReason[reason])})
		}
	}
	if len(throttles) > 0 {
		b.WriteString("\n")
		writeTable(&b, []bool{false, false, false, true}, throttles)
	}

	if c := r.Cache; c != nil {
		b.WriteString("\n")
		writeTable(&b, nil, cacheRows(c))
	}

	if len(r.Streams) > 0 {
		b.WriteString("\n")
		writeTable(&b, []bool{false, false, true, true, true, true, true, true}, streamRows(r.Streams))
	}

	if g := r.Replication; g != nil {
		b.WriteString("\n")
		writeTable(&b, nil, replicationRows(g))
	}

	if c := r.Cost; c != nil {
		b.WriteString("\n")
		var parts []string
		for _, item := range billing.LineItems {
			if v := c.Breakdown[item]; v > 0 {
				parts = append(parts, LineItemLabel(item)+" "+USD(v))
			}
		}
		line := fmt.Sprintf("%s  %s for the run, %s a month at this rate", label("cost"), USD(c.TotalUSD), USD(c.MonthlyUSD))
		if c.MonthHours > 0 { // a month other than the default 730 hours says so
			line = fmt.Sprintf("%s  %s for the run, %s a month (%s) at this rate", label("cost"), USD(c.TotalUSD), USD(c.MonthlyUSD), billing.MonthName(c.MonthHours))
		}
		if len(parts) > 0 {
			line += "   (" + strings.Join(parts, ", ") + ")"
		}
		b.WriteString(line + "\n")
	}

	if len(r.Thresholds) > 0 {
		b.WriteString("\n")
		var rows [][]string
		failed := 0
		for i, t := range r.Thresholds {
			lab := label("")
			if i == 0 {
				lab = label("thresholds")
			}
			verdict := "pass"
			if !t.Passed {
				failed++
				verdict = "FAIL"
				if t.Error != "" {
					verdict += ": " + t.Error
				}
			}
			rows = append(rows, []string{lab, SafeName(t.Name) + " " + SafeName(t.Expr), MetricString(t.Name, t.Value), verdict})
		}
		if failed > 0 {
			rows = append(rows, []string{label(""), fmt.Sprintf("%d of %d failed", failed, len(r.Thresholds))})
		} else {
			line := fmt.Sprintf("all %d passed", len(r.Thresholds))
			if len(r.Warnings) > 0 {
				line += ", with the warnings below"
			}
			rows = append(rows, []string{label(""), line})
		}
		writeTable(&b, nil, rows)
	}

	// A breached guard is never a quiet pass: each is a line of its own.
	if len(r.Warnings) > 0 {
		b.WriteString("\n")
		var rows [][]string
		for i, w := range r.Warnings {
			lab := label("")
			if i == 0 {
				lab = label("WARNING")
			}
			rows = append(rows, []string{lab, w.Message})
		}
		writeTable(&b, nil, rows)
	}

	_, err := w.Write(trimLines(b.Bytes()))
	return err
}

// cacheRows are the summary's DAX section: hit rates, stale and throttled
// accesses, hit against miss latency, the read units hits saved, then one
// line per cluster with its peak load against its capacity.
func cacheRows(c *CacheResult) [][]string {
	rows := [][]string{
		{label("dax"), fmt.Sprintf("hit rate %s (item %s, query %s)   %s hits   %s misses   %s stale   %s throttled",
			LookupPct(c.HitRate, c.Hits+c.Misses), LookupPct(c.ItemHitRate, c.ItemHits+c.ItemMisses), LookupPct(c.QueryHitRate, c.QueryHits+c.QueryMisses),
			Commas(c.Hits), Commas(c.Misses), Commas(c.StaleReads), Commas(c.Throttled))},
		{label(""), fmt.Sprintf("hit p50 %s p99 %s   miss p50 %s p99 %s   read units saved %s",
			DurationMs(c.HitLatencyMs.P50), DurationMs(c.HitLatencyMs.P99),
			DurationMs(c.MissLatencyMs.P50), DurationMs(c.MissLatencyMs.P99), Sig3(c.SavedRCU, 3))},
	}
	for _, cl := range c.Clusters {
		size := ""
		if cl.Nodes > 0 {
			size = fmt.Sprintf(" (%d x %s)", cl.Nodes, cl.NodeType)
		}
		line := fmt.Sprintf("cluster %s%s: peak load %s/s", SafeName(cl.Name), size, Sig3(cl.PeakLoadPerS, 3))
		if cl.CapacityPerS > 0 {
			line += fmt.Sprintf(" of %s/s (%s)", Sig3(cl.CapacityPerS, 3), Pct(cl.PeakUtilization))
		}
		rows = append(rows, []string{label(""), line})
	}
	return rows
}

// streamRows are the summary's streams section: one row per consumer,
// with the records the stream took and those it processed, those it lost,
// the batches it retried, and its iterator age at its largest and at the
// end.
func streamRows(streams []StreamResult) [][]string {
	rows := [][]string{{"stream", "consumer", "records", "processed", "lost", "retried batches",
		"max iterator age", "at end"}}
	for _, st := range streams {
		rows = append(rows, []string{ReplicaLabel(st.Table), SafeName(st.Consumer), Commas(st.Records), Commas(st.Processed),
			Commas(st.Lost), Commas(st.Retries), DurationMs(st.MaxIteratorAgeS * 1000), DurationMs(st.FinalIteratorAgeS * 1000)})
	}
	return rows
}

// replicationRows are the summary's global tables section: replication
// lag, conflicts, stale reads, writes caught in flight by an outage, and
// the lowest availability of a 5-minute interval.
func replicationRows(g *ReplicationResult) [][]string {
	stale := "-"
	if g.Reads > 0 {
		stale = fmt.Sprintf("%s (%s of %s)", Pct(g.StaleReadRatio), Commas(g.StaleReads), Commas(g.Reads))
	}
	return [][]string{
		{label("global"), fmt.Sprintf("replication lag p50 %s p99 %s max %s   %s replicated writes",
			DurationMs(g.LagMs.P50), DurationMs(g.LagMs.P99), DurationMs(g.LagMs.Max), Commas(g.ReplicatedWrites))},
		{label(""), fmt.Sprintf("%s conflicts (%s updates overwritten)   stale reads %s   unreplicated at outage %s",
			Commas(g.Conflicts), Commas(g.OverwrittenUpdates), stale, Commas(g.UnreplicatedAtOutage))},
		{label(""), "availability min " + AvailabilityPct(g.AvailabilityMin) + " (lowest 5-minute interval)"},
	}
}

// label pads a section label to the width of the longest one, so that the
// labelled sections, each aligned by its own tabwriter, line up.
func label(s string) string { return fmt.Sprintf("%-10s", s) }

func latencyLine(l Latency) string {
	return fmt.Sprintf("p50 %s   p90 %s   p99 %s   p99.9 %s   max %s   mean %s",
		DurationMs(l.P50), DurationMs(l.P90), DurationMs(l.P99), DurationMs(l.P999), DurationMs(l.Max), DurationMs(l.Mean))
}

// writeTable writes rows aligned by a tabwriter. tabwriter aligns every
// column the same way, so the columns marked in right (numbers) are padded
// to a common width first, which right-aligns them.
func writeTable(b *bytes.Buffer, right []bool, rows [][]string) {
	width := make([]int, len(right))
	for _, row := range rows {
		for i, cell := range row {
			if i < len(right) && right[i] {
				width[i] = max(width[i], utf8.RuneCountInString(cell))
			}
		}
	}
	tw := tabwriter.NewWriter(b, 0, 0, 2, ' ', 0)
	for _, row := range rows {
		for i, cell := range row {
			if i > 0 {
				tw.Write([]byte{'\t'})
			}
			if i < len(right) && right[i] {
				cell = strings.Repeat(" ", width[i]-utf8.RuneCountInString(cell)) + cell
			}
			tw.Write([]byte(cell))
		}
		tw.Write([]byte{'\n'})
	}
	tw.Flush() // writes to a bytes.Buffer cannot fail
}

// trimLines removes trailing spaces, which tabwriter leaves after padded
// cells, from every line.
func trimLines(b []byte) []byte {
	lines := bytes.Split(b, []byte{'\n'})
	for i, l := range lines {
		lines[i] = bytes.TrimRight(l, " ")
	}
	return bytes.Join(lines, []byte{'\n'})
}

// errorKindsLine names the kinds of the run's errors, the most frequent
// first ("errors: transaction_conflict 1,204   region_unavailable 37"),
// or is empty for a run without errors.
func errorKindsLine(kinds map[string]int64) string {
	if len(kinds) == 0 {
		return ""
	}
	names := make([]string, 0, len(kinds))
	for k := range kinds {
		names = append(names, k)
	}
	slices.SortFunc(names, func(a, b string) int {
		if c := cmp.Compare(kinds[b], kinds[a]); c != 0 {
			return c
		}
		return strings.Compare(a, b)
	})
	parts := make([]string, len(names))
	for i, k := range names {
		parts[i] = k + " " + Commas(kinds[k])
	}
	return "errors: " + strings.Join(parts, "   ")
}

// WorkloadRows is the workload table of a run with more than one workload:
// a header, then a row per workload in scenario order (name, requests,
// throttled %, p50 and p99 ms, retries); nil for one workload or none,
// whose numbers are the run's.
func WorkloadRows(r *Result) [][]string {
	if len(r.Workloads) < 2 {
		return nil
	}
	rows := [][]string{{"workload", "requests", "throttled", "p50 ms", "p99 ms", "retries"}}
	for _, w := range r.Workloads {
		rows = append(rows, []string{w.Name, Commas(w.Requests.Total), Pct(w.ThrottledRatio),
			Sig3(w.LatencyMs.P50, 3), Sig3(w.LatencyMs.P99, 3), Commas(w.Requests.Retries)})
	}
	return rows
}

// peakCapacity is the highest read and write capacity table i had in
// effect in any sampled series step; 0 without a series.
func peakCapacity(r *Result, i int) (reads, writes float64) {
	if r.Series == nil || i >= len(r.Series.Tables) {
		return 0, 0
	}
	ts := &r.Series.Tables[i]
	_, _, hiR, _, _ := CapacitySpan(ts, ts.ReadCapacity)
	_, _, hiW, _, _ := CapacitySpan(ts, ts.WriteCapacity)
	return hiR.Float(), hiW.Float()
}

// CapacitySpan is a table's capacity c (ts.ReadCapacity or
// ts.WriteCapacity) over the steps the series sampled: at the first, the
// lowest, the highest and at the last. ok is false when no step was
// sampled. Auto scaling and scheduled changes move the capacity, and the
// starting figure alone would hide that.
func CapacitySpan(ts *TableSeries, c []units.Units) (start, lo, hi, end units.Units, ok bool) {
	first, last := -1, -1
	for j, v := range c {
		if j >= len(ts.Partitions) || ts.Partitions[j] <= 0 {
			continue // not sampled
		}
		if first < 0 {
			first, lo, hi = j, v, v
		}
		last = j
		lo, hi = min(lo, v), max(hi, v)
	}
	if first < 0 {
		return 0, 0, 0, 0, false
	}
	return c[first], lo, hi, c[last], true
}
