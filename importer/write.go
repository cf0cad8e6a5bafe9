package importer

import (
	"bytes"
	"cmp"
	"fmt"
	"maps"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ddbsim/ddbsim/scenarios"
)

// The scenario is written by hand rather than with yaml.Marshal so that it
// carries its comments: where each number came from, what was assumed,
// and where the history has gaps.

// maxGapsListed is how many gaps of one series the header lists before
// "and N more".
const maxGapsListed = 10

// write renders the scenario.
func (b *builder) write() []byte {
	var w bytes.Buffer
	comment := func(indent, format string, args ...any) {
		for line := range strings.SplitSeq(fmt.Sprintf(format, args...), "\n") {
			fmt.Fprintf(&w, "%s# %s\n", indent, oneLine(line))
		}
	}
	comment("", "Imported by ddbsim import from:")
	for _, in := range b.inputs {
		comment("", "  %s: %s", in.name, in.gave)
	}
	comment("", "History: %s to %s, %d steps of %s (one per CloudWatch period).", fmtTime(b.from), fmtTime(b.to), b.steps, fmtDuration(b.step))
	b.writeGaps(comment)
	if len(b.notes) > 0 {
		comment("", "Assumptions and what the inputs could not say:")
		for _, n := range b.notes {
			comment("", "  - %s", n)
		}
	}
	fmt.Fprintf(&w, "version: 1\nname: %s\n", quote(b.name()))
	fmt.Fprintf(&w, "description: %s\n", quote(fmt.Sprintf("Imported from CloudWatch history, %s to %s.", fmtTime(b.from), fmtTime(b.to))))
	fmt.Fprintf(&w, "duration: %s\n", fmtDuration(b.to.Sub(b.from)))
	for _, t := range b.out.tables {
		if len(t.table.Replicas) > 0 {
			fmt.Fprintf(&w, "region: %s\n", quote(t.table.Replicas[0]))
			break
		}
	}
	if replayed, scaled := b.capacityKinds(); replayed && !scaled {
		// A Provisioned* series shows each level from when its update
		// completed; the model would apply a requested update its update
		// delay later again (REFERENCE: provisioned).
		w.WriteString("service:\n")
		comment("  ", "The capacity_changes replay the Provisioned* series, which show each level from when its update completed:")
		comment("  ", "each is applied at once at that step, not after the model's update delay on top.")
		w.WriteString("  update_delay: 0s\n")
	}
	w.WriteString("tables:\n")
	for _, t := range b.out.tables {
		writeTable(&w, t, comment)
	}
	w.WriteString("workloads:\n")
	for _, wl := range b.out.workloads {
		b.writeWorkload(&w, wl, comment)
	}
	w.WriteString("history:\n")
	comment("  ", "What CloudWatch recorded over the window, for compare's check against the real bill.")
	fmt.Fprintf(&w, "  from: %s\n  to: %s\n  tables:\n", b.from.UTC().Format(time.RFC3339), b.to.UTC().Format(time.RFC3339))
	for _, h := range b.out.history {
		for _, c := range h.comments {
			comment("    ", "%s", c)
		}
		fmt.Fprintf(&w, "    - table: %s\n", quote(h.h.Table))
		fmt.Fprintf(&w, "      mode: %s\n", h.h.Mode)
		fmt.Fprintf(&w, "      read_units: %s\n", total(h.h.ReadUnits))
		fmt.Fprintf(&w, "      write_units: %s\n", total(h.h.WriteUnits))
		fmt.Fprintf(&w, "      read_capacity_hours: %s\n", total(h.h.ReadCapacityHours))
		fmt.Fprintf(&w, "      write_capacity_hours: %s\n", total(h.h.WriteCapacityHours))
		fmt.Fprintf(&w, "      missing_minutes: %d\n", h.h.Missing)
	}
	return w.Bytes()
}

// writeGaps lists each series' gaps, the first maxGapsListed of them.
func (b *builder) writeGaps(comment func(string, string, ...any)) {
	first := true
	for _, t := range b.tables {
		for _, k := range sortedKeys(t.series) {
			s := t.series[k]
			if len(s.Gaps) == 0 {
				continue
			}
			if first {
				comment("", "Gaps (periods without a datapoint: stated, run as 0, never filled):")
				first = false
			}
			label := t.spec.Name + " " + k.metric
			if k.index != "" {
				label += " of index " + k.index
			}
			var spans []string
			for i, g := range s.Gaps {
				if i == maxGapsListed {
					spans = append(spans, fmt.Sprintf("and %d more", len(s.Gaps)-maxGapsListed))
					break
				}
				spans = append(spans, fmtTime(g.From)+" to "+fmtTime(g.To))
			}
			periods := "periods"
			if s.Missing() == 1 {
				periods = "period"
			}
			comment("", "  %s (%s): %d %s: %s", label, s.file, s.Missing(), periods, strings.Join(spans, "; "))
		}
	}
}

func writeTable(w *bytes.Buffer, tt tableText, comment func(string, string, ...any)) {
	t := tt.table
	fmt.Fprintf(w, "  - name: %s\n", quote(t.Name))
	if len(tt.sources) > 0 {
		comment("    ", "Where each field came from:")
		for _, s := range tt.sources {
			comment("    ", "  %s", s)
		}
	}
	fmt.Fprintf(w, "    partition_key: %s\n", quote(t.PartitionKey))
	if t.SortKey != "" {
		fmt.Fprintf(w, "    sort_key: %s\n", quote(t.SortKey))
	}
	fmt.Fprintf(w, "    mode: %s\n", t.Mode)
	if t.Mode == "provisioned" {
		fmt.Fprintf(w, "    read_capacity: %d\n    write_capacity: %d\n", t.ReadCapacity, t.WriteCapacity)
	}
	if a := t.AutoScaling; a != nil {
		fmt.Fprintf(w, "    autoscaling: {target: %s%%, min: %d, max: %d}\n", sig(100*a.Target), a.Min, a.Max)
	}
	if t.Items.Count > 0 {
		perKey := ""
		if t.Items.PerKey > 1 {
			perKey = fmt.Sprintf(", per_key: %d", t.Items.PerKey)
		}
		fmt.Fprintf(w, "    items: {count: %d, size: %dB%s}\n", t.Items.Count, t.Items.Size, perKey)
	}
	if t.TableClass == "standard-ia" {
		w.WriteString("    table_class: standard-ia\n")
	}
	writePeak(w, "warm_throughput", t.WarmThroughput)
	writePeak(w, "max_throughput", t.MaxThroughput)
	if len(tt.changes) > 0 {
		comment("    ", "The ProvisionedRead/WriteCapacityUnits levels replayed: each change at the step its new level first shows.")
		comment("    ", "The service allows 4 decreases in a UTC day's first hour, then 1 an hour (REFERENCE: provisioned); the model applies its own quota.")
		w.WriteString("    capacity_changes:\n")
		for _, c := range tt.changes {
			fmt.Fprintf(w, "      - {at: %s", fmtDuration(c.At))
			if c.ReadCapacity > 0 {
				fmt.Fprintf(w, ", read_capacity: %d", c.ReadCapacity)
			}
			if c.WriteCapacity > 0 {
				fmt.Fprintf(w, ", write_capacity: %d", c.WriteCapacity)
			}
			w.WriteString("}\n")
		}
	}
	if len(t.Indexes) > 0 {
		w.WriteString("    indexes:\n")
		for _, ix := range t.Indexes {
			fmt.Fprintf(w, "      - name: %s\n", quote(ix.Name))
			if ix.Local {
				w.WriteString("        local: true\n")
			} else {
				fmt.Fprintf(w, "        partition_key: %s\n", quote(ix.PartitionKey))
			}
			if ix.SortKey != "" {
				fmt.Fprintf(w, "        sort_key: %s\n", quote(ix.SortKey))
			}
			fmt.Fprintf(w, "        projection: %s\n", ix.Projection)
			if !ix.Local && t.Mode == "provisioned" {
				fmt.Fprintf(w, "        read_capacity: %d\n        write_capacity: %d\n", ix.ReadCapacity, ix.WriteCapacity)
				if a := ix.AutoScaling; a != nil {
					fmt.Fprintf(w, "        autoscaling: {target: %s%%, min: %d, max: %d}\n", sig(100*a.Target), a.Min, a.Max)
				}
			}
		}
	}
	if t.Stream != nil {
		fmt.Fprintf(w, "    stream: {view: %s}\n", t.Stream.View)
	}
	if tt.ttl != "" {
		comment("    ", "TTL is on %s, but how long items live is not in the inputs: give it to enable it:", tt.ttl)
		comment("    ", "ttl: {attribute: %s, expire_after: 30d}", tt.ttl)
	}
	if len(t.Replicas) > 0 {
		quoted := make([]string, len(t.Replicas))
		for i, r := range t.Replicas {
			quoted[i] = quote(r)
		}
		fmt.Fprintf(w, "    replicas: [%s]\n", strings.Join(quoted, ", "))
	}
}

func writePeak(w *bytes.Buffer, key string, p *scenarios.Peak) {
	if p == nil || (p.Reads <= 0 && p.Writes <= 0) {
		return
	}
	var parts []string
	if p.Reads > 0 {
		parts = append(parts, "reads: "+plain(p.Reads)+"/s")
	}
	if p.Writes > 0 {
		parts = append(parts, "writes: "+plain(p.Writes)+"/s")
	}
	fmt.Fprintf(w, "    %s: {%s}\n", key, strings.Join(parts, ", "))
}

// writeWorkload writes one workload, its rates one flow sequence per hour
// of steps, each under a comment with the hour's UTC start.
func (b *builder) writeWorkload(w *bytes.Buffer, wl workloadText, comment func(string, string, ...any)) {
	fmt.Fprintf(w, "  - name: %s\n", quote(wl.name))
	for _, c := range wl.comments {
		comment("    ", "%s", c)
	}
	fmt.Fprintf(w, "    table: %s\n", quote(wl.table))
	if wl.index != "" {
		fmt.Fprintf(w, "    index: %s\n", quote(wl.index))
	}
	fmt.Fprintf(w, "    series:\n      step: %s\n      burst: %s\n      rates:\n", fmtDuration(b.step), plain(b.opts.Burst))
	perLine := max(int(time.Hour/b.step), 1)
	for start := 0; start < len(wl.rates); start += perLine {
		end := min(start+perLine, len(wl.rates))
		fmt.Fprintf(w, "        # %s\n        - [", fmtTime(b.from.Add(time.Duration(start)*b.step)))
		for i := start; i < end; i++ {
			if i > start {
				w.WriteString(", ")
			}
			if wl.gap[i] {
				w.WriteString("~")
			} else {
				w.WriteString(sig(wl.rates[i]))
			}
		}
		w.WriteString("]\n")
	}
	fmt.Fprintf(w, "    arrival: %s\n    mix: %s\n", b.opts.Arrival, wl.mix)
	if wl.consistency != "" {
		fmt.Fprintf(w, "    consistency: %s\n", wl.consistency)
	}
	fmt.Fprintf(w, "    item_size: %dB\n", wl.itemSize)
	if wl.keys != "" {
		fmt.Fprintf(w, "    keys: %s\n", wl.keys)
	}
}

// sig writes x with 7 significant digits and no exponent, which every
// number reader takes: 1234567.8 -> 1234568, 0.000123456789 -> 0.0001234568.
func sig(x float64) string {
	r, _ := strconv.ParseFloat(strconv.FormatFloat(x, 'g', 7, 64), 64)
	return strconv.FormatFloat(r, 'f', -1, 64)
}

// total writes a history total to a thousandth of a unit: a sum of
// float datapoints carries rounding noise (907200000.000001) that is
// worth no one's reading and no cent of the bill.
func total(x float64) string { return plain(math.Round(x*1000) / 1000) }

// plain writes x in full, without an exponent.
func plain(x float64) string { return strconv.FormatFloat(x, 'f', -1, 64) }

// fmtTime is a UTC minute, as the comments show it.
func fmtTime(t time.Time) string { return t.UTC().Format("2006-01-02 15:04 UTC") }

var plainScalar = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_.-]*$`)

// quote writes s as a YAML scalar: plain when it reads back as the same
// string, double-quoted (Go's escapes, which YAML shares) otherwise.
func quote(s string) string {
	switch strings.ToLower(s) {
	case "true", "false", "yes", "no", "on", "off", "null", "y", "n":
		return strconv.Quote(s)
	}
	if plainScalar.MatchString(s) {
		return s
	}
	return strconv.Quote(s)
}

// oneLine keeps a comment on its line: a file name or a note with a line
// break would otherwise end it.
func oneLine(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '\n' || r == '\r' || r == '\u2028' || r == '\u2029' || r == '\u0085' {
			return ' '
		}
		return r
	}, s)
}

func sortedKeys(m map[seriesKey]*namedSeries) []seriesKey {
	return slices.SortedFunc(maps.Keys(m), func(a, b seriesKey) int {
		return cmp.Or(cmp.Compare(a.index, b.index), cmp.Compare(a.metric, b.metric))
	})
}

func sortedStrings(m map[string]string) []string { return slices.Sorted(maps.Keys(m)) }
