package reports

import (
	"bytes"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"unicode/utf8"

	"github.com/ddbsim/ddbsim/model"
	"github.com/ddbsim/ddbsim/sim"
)

// WriteSummary writes r as a compact human summary: the run, requests and
// latency, then one table each for operations, tables, throttle reasons and
// thresholds (each only when it has rows). A global secondary index is
// listed right after its table, as "<index> (index of <table>)"; a run with
// DAX has a section on its caches (hit rates, stale and throttled
// accesses, hit against miss latency, read units saved, each cluster's
// peak load against its capacity) before the cost. Counts carry thousands
// separators; measurements are shown to 3 significant figures.
func WriteSummary(w io.Writer, r *Result) error {
	var b bytes.Buffer

	name := r.Scenario
	if name == "" {
		name = "(unnamed)"
	}
	fmt.Fprintf(&b, "%s  seed %d  duration %v", name, r.Seed, sim.FromSeconds(r.DurationS))
	if !r.Complete {
		b.WriteString("  (incomplete: stopped before its duration)")
	}
	b.WriteString("\n\n")

	q := r.Requests
	writeTable(&b, nil, [][]string{
		{label("requests"), fmt.Sprintf("%s total   %s ok (%s)   %s throttled (%s)   %s errors (%s)",
			commas(q.Total),
			commas(q.Succeeded), pct(ratio(q.Succeeded, q.Total)),
			commas(q.Throttled), pct(r.Ratios.Throttled),
			commas(q.Errors), pct(r.Ratios.Errors))},
		{label(""), fmt.Sprintf("throttle events %s   retries %s", commas(q.ThrottleEvents), commas(q.Retries))},
		{label("latency"), latencyLine(r.LatencyMs)},
	})

	if len(r.Operations) > 0 {
		b.WriteString("\n")
		rows := [][]string{{"operation", "count", "p50 ms", "p90 ms", "p99 ms", "p99.9 ms", "max ms", "mean ms"}}
		for _, op := range opOrder(r.Operations) {
			o := r.Operations[op]
			l := o.LatencyMs
			rows = append(rows, []string{op, commas(o.Count),
				sig3(l.P50, 3), sig3(l.P90, 3), sig3(l.P99, 3), sig3(l.P999, 3), sig3(l.Max, 3), sig3(l.Mean, 3)})
		}
		writeTable(&b, []bool{false, true, true, true, true, true, true, true}, rows)
	}

	if len(r.Tables) > 0 {
		b.WriteString("\n")
		rows := [][]string{{"table", "mode", "partitions",
			"RCU/s mean", "peak", "provisioned", "WCU/s mean", "peak", "provisioned", "throttled"}}
		for _, ti := range tableOrder(r.Tables) {
			t := r.Tables[ti]
			rows = append(rows, []string{tableLabel(&t), t.Mode, commas(int64(t.Partitions)),
				sig3(t.MeanRCUPerS, 3), sig3(t.PeakRCUPerS, 3), provisioned(t.ProvisionedRCU),
				sig3(t.MeanWCUPerS, 3), sig3(t.PeakWCUPerS, 3), provisioned(t.ProvisionedWCU),
				pct(t.ThrottledRatio)})
		}
		writeTable(&b, []bool{false, false, true, true, true, true, true, true, true, true}, rows)
	}

	var throttles [][]string
	for _, ti := range tableOrder(r.Tables) {
		t := &r.Tables[ti]
		first := true
		for _, reason := range reasonOrder(t.ThrottlesByReason) {
			lab, tab := label(""), ""
			if len(throttles) == 0 {
				lab = label("throttles")
			}
			if first {
				tab, first = tableLabel(t), false
			}
			throttles = append(throttles, []string{lab, tab, reason, commas(t.ThrottlesByReason[reason])})
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

	if c := r.Cost; c != nil {
		b.WriteString("\n")
		var parts []string
		for _, item := range model.LineItems {
			if v := c.Breakdown[item]; v > 0 {
				parts = append(parts, lineItemLabel(item)+" "+usd(v))
			}
		}
		line := fmt.Sprintf("%s  %s for the run, %s a month at this rate", label("cost"), usd(c.TotalUSD), usd(c.MonthlyUSD))
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
			rows = append(rows, []string{lab, t.Name + " " + t.Expr, metricString(t.Name, t.Value), verdict})
		}
		if failed > 0 {
			rows = append(rows, []string{label(""), fmt.Sprintf("%d of %d failed", failed, len(r.Thresholds))})
		} else {
			rows = append(rows, []string{label(""), fmt.Sprintf("all %d passed", len(r.Thresholds))})
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
			lookupPct(c.HitRate, c.Hits+c.Misses), lookupPct(c.ItemHitRate, c.ItemHits+c.ItemMisses), lookupPct(c.QueryHitRate, c.QueryHits+c.QueryMisses),
			commas(c.Hits), commas(c.Misses), commas(c.StaleReads), commas(c.Throttled))},
		{label(""), fmt.Sprintf("hit p50 %s p99 %s   miss p50 %s p99 %s   read units saved %s",
			duration(c.HitLatencyMs.P50), duration(c.HitLatencyMs.P99),
			duration(c.MissLatencyMs.P50), duration(c.MissLatencyMs.P99), sig3(c.SavedRCU, 3))},
	}
	for _, cl := range c.Clusters {
		size := ""
		if cl.Nodes > 0 {
			size = fmt.Sprintf(" (%d x %s)", cl.Nodes, cl.NodeType)
		}
		line := fmt.Sprintf("cluster %s%s: peak load %s/s", cl.Name, size, sig3(cl.PeakLoadPerS, 3))
		if cl.CapacityPerS > 0 {
			line += fmt.Sprintf(" of %s/s (%s)", sig3(cl.CapacityPerS, 3), pct(cl.PeakUtilization))
		}
		rows = append(rows, []string{label(""), line})
	}
	return rows
}

// lookupPct is a hit rate, or "-" when the cache had no lookup.
func lookupPct(rate float64, lookups int64) string {
	if lookups == 0 {
		return "-"
	}
	return pct(rate)
}

// tableLabel names a table row: its name, or for a global secondary index
// "<index> (index of <table>)".
func tableLabel(t *TableResult) string {
	if t.Index == "" {
		return t.Name
	}
	return t.Index + " (index of " + t.Table + ")"
}

// tableOrder lists the indexes of tables with each table followed by its
// global secondary indexes (the service lists every index after every
// table), then any index whose table is not in the list.
func tableOrder(tables []TableResult) []int {
	order := make([]int, 0, len(tables))
	placed := make([]bool, len(tables))
	for i := range tables {
		if tables[i].Index != "" {
			continue
		}
		order = append(order, i)
		placed[i] = true
		for j := range tables {
			if tables[j].Index != "" && tables[j].Table == tables[i].Name {
				order = append(order, j)
				placed[j] = true
			}
		}
	}
	for i := range tables {
		if !placed[i] {
			order = append(order, i)
		}
	}
	return order
}

// optionalLineItem reports whether a line item belongs to a feature a run
// may not use (DAX, global tables, TTL, stream readers): reports leave it
// out unless something was billed on it.
func optionalLineItem(item string) bool {
	switch item {
	case model.ItemDAXNodes, model.ItemReplicatedWriteCapacity, model.ItemReplicatedWriteRequests,
		model.ItemTTLDeletes, model.ItemStreamReads:
		return true
	}
	return false
}

// lineItemLabel names a bill's line item for people: "read capacity",
// "DAX nodes".
func lineItemLabel(item string) string {
	if item == model.ItemDAXNodes {
		return "DAX nodes"
	}
	return strings.ReplaceAll(item, "_", " ")
}

// label pads a section label to the width of the longest one, so that the
// labelled sections, each aligned by its own tabwriter, line up.
func label(s string) string { return fmt.Sprintf("%-10s", s) }

func latencyLine(l Latency) string {
	return fmt.Sprintf("p50 %s   p90 %s   p99 %s   p99.9 %s   max %s   mean %s",
		duration(l.P50), duration(l.P90), duration(l.P99), duration(l.P999), duration(l.Max), duration(l.Mean))
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

// opOrder lists the operations of m in their canonical order (reads before
// writes, as scenario files list them), then any unknown names sorted.
func opOrder(m map[string]OpResult) []string {
	var names []string
	for _, n := range model.OpNames() {
		if _, ok := m[n]; ok {
			names = append(names, n)
		}
	}
	var other []string
	for n := range m {
		if _, ok := model.ParseOp(n); !ok {
			other = append(other, n)
		}
	}
	slices.Sort(other)
	return append(names, other...)
}

// reasonOrder lists the reasons of m in the model's order, then any
// unknown names sorted.
func reasonOrder(m map[string]int64) []string {
	var names []string
	known := map[string]bool{}
	for r := model.NotThrottled + 1; r < model.NumThrottleReasons; r++ {
		n := r.String()
		known[n] = true
		if _, ok := m[n]; ok {
			names = append(names, n)
		}
	}
	var other []string
	for n := range m {
		if !known[n] {
			other = append(other, n)
		}
	}
	slices.Sort(other)
	return append(names, other...)
}

// metricString formats a threshold metric the way its name says it is
// measured; "-" when it was not.
func metricString(name string, v *float64) string {
	switch {
	case v == nil:
		return "-"
	case IsRatioMetric(name):
		return pct(*v)
	case strings.HasSuffix(name, "_ms"):
		return duration(*v)
	case *v == math.Trunc(*v) && math.Abs(*v) < 1e15:
		return commas(int64(*v))
	}
	return sig3(*v, 6)
}

func provisioned(n int64) string {
	if n == 0 {
		return "-"
	}
	return commas(n)
}

// duration formats milliseconds with a unit: "2.51 ms", "6.10 s".
func duration(ms float64) string {
	if math.Abs(ms) >= 999.5 {
		return sig3(ms/1000, 3) + " s"
	}
	return sig3(ms, 3) + " ms"
}

// sig3 formats x to 3 significant figures but at most maxDecimals decimals
// (the resolution x was measured in), and whole numbers from 1,000 up with
// thousands separators.
func sig3(x float64, maxDecimals int) string {
	if x == 0 {
		return "0"
	}
	if math.Abs(x) >= 999.5 {
		return commas(int64(math.Round(x)))
	}
	// Round to 3 figures first: 9.996 becomes 10.0 and takes 1 decimal.
	r, _ := strconv.ParseFloat(strconv.FormatFloat(x, 'g', 3, 64), 64)
	decimals := 2 - int(math.Floor(math.Log10(math.Abs(r))))
	decimals = min(max(decimals, 0), maxDecimals)
	return strconv.FormatFloat(r, 'f', decimals, 64)
}

// pct formats a ratio as a percentage with 2 decimals, never rounding a
// nonzero share to 0% or a partial one to 100%: those would read as "none"
// and "all".
func pct(ratio float64) string {
	p := ratio * 100
	switch {
	case p == 0:
		return "0%"
	case p < 0.005:
		return "<0.01%"
	case p < 100 && p >= 99.995:
		return ">99.99%"
	case p == 100:
		return "100%"
	}
	return strconv.FormatFloat(p, 'f', 2, 64) + "%"
}

// usd formats dollars: cents from a dollar up, more figures below it so
// that a short run's fraction of a cent still shows.
func usd(x float64) string {
	switch {
	case x == 0:
		return "$0"
	case x >= 1:
		whole := int64(x)
		cents := int64(math.Round((x - float64(whole)) * 100))
		if cents == 100 {
			whole, cents = whole+1, 0
		}
		return fmt.Sprintf("$%s.%02d", commas(whole), cents)
	}
	return "$" + sig3(x, 6)
}

// commas formats n with thousands separators: 1234567 -> "1,234,567".
func commas(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	if neg {
		s = s[1:]
	}
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}
