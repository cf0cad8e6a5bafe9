package reports

import (
	"bytes"
	"cmp"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"unicode/utf8"

	"github.com/ddbsim/ddbsim/model"
	"github.com/ddbsim/ddbsim/model/billing"
	"github.com/ddbsim/ddbsim/model/units"
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
// the lowest availability of a 5-minute interval), before the cost. Counts carry thousands
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
	rows := [][]string{
		{label("requests"), fmt.Sprintf("%s total   %s ok (%s)   %s throttled (%s)   %s errors (%s)",
			commas(q.Total),
			commas(q.Succeeded), pct(ratio(q.Succeeded, q.Total)),
			commas(q.Throttled), pct(r.Ratios.Throttled),
			commas(q.Errors), pct(r.Ratios.Errors))},
		{label(""), fmt.Sprintf("throttle events %s   retries %s", commas(q.ThrottleEvents), commas(q.Retries))},
	}
	if line := errorKindsLine(r.ErrorsByKind); line != "" {
		rows = append(rows, []string{label(""), line})
	}
	rows = append(rows, []string{label("latency"), latencyLine(r.LatencyMs)})
	writeTable(&b, nil, rows)

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

// streamRows are the summary's streams section: one row per consumer,
// with the records the stream took and those it processed, those it lost,
// the batches it retried, and its iterator age at its largest and at the
// end.
func streamRows(streams []StreamResult) [][]string {
	rows := [][]string{{"stream", "consumer", "records", "processed", "lost", "retried batches",
		"max iterator age", "at end"}}
	for _, st := range streams {
		rows = append(rows, []string{replicaLabel(st.Table), st.Consumer, commas(st.Records), commas(st.Processed),
			commas(st.Lost), commas(st.Retries), duration(st.MaxIteratorAgeS * 1000), duration(st.FinalIteratorAgeS * 1000)})
	}
	return rows
}

// replicationRows are the summary's global tables section: replication
// lag, conflicts, stale reads, writes caught in flight by an outage, and
// the lowest availability of a 5-minute interval.
func replicationRows(g *ReplicationResult) [][]string {
	stale := "-"
	if g.Reads > 0 {
		stale = fmt.Sprintf("%s (%s of %s)", pct(g.StaleReadRatio), commas(g.StaleReads), commas(g.Reads))
	}
	return [][]string{
		{label("global"), fmt.Sprintf("replication lag p50 %s p99 %s max %s   %s replicated writes",
			duration(g.LagMs.P50), duration(g.LagMs.P99), duration(g.LagMs.Max), commas(g.ReplicatedWrites))},
		{label(""), fmt.Sprintf("%s conflicts (%s updates overwritten)   stale reads %s   unreplicated at outage %s",
			commas(g.Conflicts), commas(g.OverwrittenUpdates), stale, commas(g.UnreplicatedAtOutage))},
		{label(""), "availability min " + availabilityPct(g.AvailabilityMin) + " (lowest 5-minute interval)"},
	}
}

// availabilityPct formats an availability with 3 decimals of a percent,
// enough to tell the SLA's 99.99% from 99.999%, never rounding a partial
// one to 100%.
func availabilityPct(ratio float64) string {
	if ratio == 1 {
		return "100%"
	}
	p := strconv.FormatFloat(ratio*100, 'f', 3, 64)
	if p == "100.000" {
		return ">99.999%"
	}
	return p + "%"
}

// lookupPct is a hit rate, or "-" when the cache had no lookup.
func lookupPct(rate float64, lookups int64) string {
	if lookups == 0 {
		return "-"
	}
	return pct(rate)
}

// tableLabel names a table row: its name; for a global secondary index
// "<index> (index of <table>)"; for a global table's replica "<table>
// (<region> replica)", and its home table "<table> (<region>)".
func tableLabel(t *TableResult) string {
	if t.Index != "" {
		return t.Index + " (index of " + replicaLabel(t.Table) + ")"
	}
	if home, ok := replicaOf(t); ok {
		return home + " (" + t.Region + " replica)"
	}
	if t.Region != "" {
		return t.Name + " (" + t.Region + ")"
	}
	return t.Name
}

// replicaOf is the home table of a global table's replica, named
// "<table>@<region>" by the service (a table's name cannot hold "@").
func replicaOf(t *TableResult) (string, bool) {
	if t.Index != "" || t.Region == "" {
		return "", false
	}
	return strings.CutSuffix(t.Name, "@"+t.Region)
}

// replicaLabel names a table known only by name, as an index's table is:
// a replica's "<table>@<region>" reads "<table>, <region> replica".
func replicaLabel(name string) string {
	if i := strings.LastIndexByte(name, '@'); i > 0 {
		return name[:i] + ", " + name[i+1:] + " replica"
	}
	return name
}

// tableOrder lists the indexes of tables with each table followed by its
// global secondary indexes (the service lists every index after every
// table), then its replicas in other regions (the service lists them
// after the scenario's tables), each followed by its own indexes; then
// any index or replica whose table is not in the list.
func tableOrder(tables []TableResult) []int {
	order := make([]int, 0, len(tables))
	placed := make([]bool, len(tables))
	var place func(i int)
	place = func(i int) {
		order = append(order, i)
		placed[i] = true
		for j := range tables {
			if !placed[j] && tables[j].Index != "" && tables[j].Table == tables[i].Name {
				order = append(order, j)
				placed[j] = true
			}
		}
		if _, ok := replicaOf(&tables[i]); ok {
			return
		}
		for j := range tables {
			if home, ok := replicaOf(&tables[j]); ok && !placed[j] && home == tables[i].Name {
				place(j)
			}
		}
	}
	for i := range tables {
		if _, replica := replicaOf(&tables[i]); tables[i].Index != "" || replica || placed[i] {
			continue
		}
		place(i)
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
	case billing.ItemDAXNodes, billing.ItemReplicatedWriteCapacity, billing.ItemReplicatedWriteRequests,
		billing.ItemTTLDeletes, billing.ItemStreamReads:
		return true
	}
	return false
}

// lineItemLabel names a bill's line item for people: "read capacity",
// "DAX nodes", "replicated write requests".
func lineItemLabel(item string) string {
	switch item {
	case billing.ItemDAXNodes:
		return "DAX nodes"
	case billing.ItemTTLDeletes:
		return "replicated TTL deletes"
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
	for _, n := range units.OpNames() {
		if _, ok := m[n]; ok {
			names = append(names, n)
		}
	}
	var other []string
	for n := range m {
		if _, ok := units.ParseOp(n); !ok {
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
	case name == "availability_min":
		return availabilityPct(*v)
	case IsRatioMetric(name):
		return pct(*v)
	case strings.HasSuffix(name, "_ms"):
		return duration(*v)
	case strings.HasSuffix(name, "_s"):
		return duration(*v * 1000)
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
		parts[i] = k + " " + commas(kinds[k])
	}
	return "errors: " + strings.Join(parts, "   ")
}
