package importer

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/ddbsim/ddbsim/importer/aws"
	"github.com/ddbsim/ddbsim/importer/cloudwatch"
	"github.com/ddbsim/ddbsim/model/units"
	"github.com/ddbsim/ddbsim/scenarios"
)

// defaultItemSize is the item size assumed when the inputs give no
// ItemCount and TableSizeBytes: the scenario format's own default.
const defaultItemSize = 1 << 10

// defaultKeyCount is the keys a workload draws from when the table's item
// count is not in the inputs.
const defaultKeyCount = 1_000_000

// builder turns what the inputs said into the scenario's parts.
type builder struct {
	opts   Options
	inputs []input
	notes  []string
	tables []*tableData

	// The history's window and step, shared by every series.
	from, to time.Time
	step     time.Duration
	steps    int

	out scenarioText
}

// scenarioText is the scenario before it is written.
type scenarioText struct {
	tables    []tableText
	workloads []workloadText
	history   []historyText
}

type tableText struct {
	table   scenarios.Table
	sources []string // comments: where each number came from
	ttl     string   // the TTL attribute, written as a comment
	changes []scenarios.CapacityChange
}

type workloadText struct {
	name, table, index string
	comments           []string
	rates              []float64
	gap                []bool
	mix                string // the mix: mapping
	consistency        string
	itemSize           int64
	keys               string // the keys: mapping, "" for the default
}

type historyText struct {
	h        scenarios.TableHistory
	comments []string
}

// build works out the window, the workloads and the history, then writes
// and checks the scenario.
func (b *builder) build() (*Imported, error) {
	if err := b.window(); err != nil {
		return nil, err
	}
	if b.steps == 0 {
		return nil, fmt.Errorf("no CloudWatch history in the inputs: a scenario needs at least one workload, and an import makes them from ConsumedRead/WriteCapacityUnits series (get-metric-data or get-metric-statistics output)")
	}
	if b.opts.Burst > b.step.Seconds() {
		return nil, fmt.Errorf("burst: %g is more than the %s step in seconds: a step's requests cannot arrive in less than a second", b.opts.Burst, fmtDuration(b.step))
	}
	for _, t := range b.tables {
		if err := b.table(t); err != nil {
			return nil, err
		}
	}
	if len(b.out.workloads) == 0 {
		return nil, fmt.Errorf("no ConsumedReadCapacityUnits or ConsumedWriteCapacityUnits series in the inputs: a scenario needs at least one workload, and an import makes them from those")
	}
	if replayed, scaled := b.capacityKinds(); replayed && scaled {
		b.note("the replayed capacity_changes apply after the model's update delay, as the auto scaled tables' updates do: " +
			"one scenario has one update_delay, so each replayed level lands that much later than recorded")
	}
	text := b.write()
	// The scenario is parsed as any file would be, so that nothing invalid
	// is ever written; an input the format refuses (a provisioned table
	// without capacity) is reported here, at the line of the scenario.
	sc, err := scenarios.Parse(b.name()+".yaml", text)
	if err != nil {
		msg := "the imported scenario does not validate: " + err.Error()
		if len(b.notes) > 0 {
			msg += "\nwhat the inputs left out or the import assumed:\n  " + strings.Join(b.notes, "\n  ")
		}
		return nil, errors.New(msg)
	}
	return &Imported{YAML: text, Notes: b.notes, Scenario: sc}, nil
}

func (b *builder) name() string {
	if b.opts.Name != "" {
		return b.opts.Name
	}
	return b.tables[0].spec.Name
}

func (b *builder) note(format string, args ...any) {
	b.notes = append(b.notes, fmt.Sprintf(format, args...))
}

// capacityKinds says whether any table replays recorded capacity
// (capacity_changes) and whether any scales itself (auto scaling).
func (b *builder) capacityKinds() (replayed, scaled bool) {
	for _, t := range b.out.tables {
		replayed = replayed || len(t.changes) > 0
		scaled = scaled || t.table.AutoScaling != nil
	}
	return replayed, scaled
}

// window finds the history's window and step: the queries' StartTime and
// EndTime when the series were bounded by them (their gaps then reach the
// window's ends), else the first point to the last point plus a period.
// Every series must have the same period, one step of every workload.
func (b *builder) window() error {
	var first *namedSeries
	for _, t := range b.tables {
		for _, k := range sortedKeys(t.series) {
			s := t.series[k]
			if first == nil {
				first = s
				b.step = s.Period
			} else if s.Period != b.step {
				return fmt.Errorf("%s: %s has a period of %s and %s's %s one of %s: export every series with the same Period", s.file, s.Metric, s.Period, first.file, first.Metric, b.step)
			}
			from, to, ok := span(s.Series)
			if !ok {
				continue
			}
			if b.from.IsZero() || from.Before(b.from) {
				b.from = from
			}
			if to.After(b.to) {
				b.to = to
			}
		}
	}
	if first == nil || b.step <= 0 || !b.to.After(b.from) {
		return nil
	}
	if b.step%time.Second != 0 {
		return fmt.Errorf("%s: a period of %s: expected whole seconds", first.file, b.step)
	}
	n := int64(b.to.Sub(b.from) / b.step)
	if b.to.Sub(b.from)%b.step != 0 {
		return fmt.Errorf("%s: the series do not line up on one %s grid (%s to %s): export them with the same StartTime and Period", first.file, b.step, fmtTime(b.from), fmtTime(b.to))
	}
	if n > maxSteps {
		return fmt.Errorf("%s: %d steps of %s from %s to %s, more than %d: export a shorter window or a longer Period", first.file, n, b.step, fmtTime(b.from), fmtTime(b.to), maxSteps)
	}
	b.steps = int(n)
	for _, t := range b.tables {
		for _, k := range sortedKeys(t.series) {
			s := t.series[k]
			for i, p := range s.Points {
				if p.At.Sub(b.from)%b.step != 0 {
					return fmt.Errorf("%s: %s point %d at %s is off the %s grid the other series start on (%s): export them with the same StartTime and Period",
						s.file, s.Metric, i, p.At.UTC().Format(time.RFC3339), b.step, b.from.UTC().Format(time.RFC3339))
				}
			}
		}
	}
	return nil
}

// maxSteps bounds a workload's series: 63 days of minutes (CloudWatch
// keeps 1-minute points 15 days, 5-minute points 63 days).
const maxSteps = 63 * 24 * 60

// span is the window a series covers, its stated gaps included.
func span(s cloudwatch.Series) (from, to time.Time, ok bool) {
	for _, p := range s.Points {
		if !ok || p.At.Before(from) {
			from = p.At
		}
		if !ok || !p.At.Add(s.Period).Before(to) {
			to = p.At.Add(s.Period)
		}
		ok = true
	}
	for _, g := range s.Gaps {
		if !ok || g.From.Before(from) {
			from = g.From
		}
		if !ok || g.To.After(to) {
			to = g.To
		}
		ok = true
	}
	return from, to, ok
}

// perStep is a series on the window's grid: each step's rate (per second
// for a Sum, the level for an Average) and whether it had a point.
func (b *builder) perStep(s *namedSeries) (rates []float64, has []bool) {
	rates, has = make([]float64, b.steps), make([]bool, b.steps)
	if s == nil {
		return rates, has
	}
	for _, p := range s.PerSecond() {
		i := int(p.At.Sub(b.from) / b.step)
		if i >= 0 && i < b.steps && p.At.Sub(b.from)%b.step == 0 {
			rates[i], has[i] = p.Value, true
		}
	}
	return rates, has
}

// sum is a Sum series' total over the window.
func sum(s *namedSeries) float64 {
	if s == nil {
		return 0
	}
	total := 0.0
	for _, p := range s.Points {
		total += p.Value
	}
	return total
}

// table makes one table's scenario table, workloads and history.
func (b *builder) table(t *tableData) error {
	spec := t.spec
	st, notes := spec.Scenario()
	b.notes = append(b.notes, notes...)
	if h := t.hot; h != nil && h.Unique > 0 && st.SortKey != "" && st.Items.Count > h.Unique {
		// Items sharing a partition key share its partition and its
		// key's heat; the report counts the partition keys.
		st.Items.PerKey = max(1, int64(math.Round(float64(st.Items.Count)/float64(h.Unique))))
		b.note("table %s: %d items per partition key = ItemCount %d / the %d distinct partition keys of %s",
			st.Name, st.Items.PerKey, st.Items.Count, h.Unique, t.hotSrc)
	}
	tt := tableText{table: st, ttl: spec.TTLAttribute}
	tt.sources = sources(spec)
	size, ok := spec.MeanItemSize()
	sizeSource := fmt.Sprintf("mean item size %d B = TableSizeBytes / ItemCount (%s)", size, spec.Sources["TableSizeBytes"])
	if !ok {
		size = defaultItemSize
		sizeSource = "item size 1 KiB assumed: the inputs give no ItemCount and TableSizeBytes"
	}
	size = max(size, 1)
	series := func(index, metric string) *namedSeries { return t.series[seriesKey{index, metric}] }

	keys, keyNote := b.keys(t, st)
	// Writes: the table's consumed write units over the write units of one
	// put of the mean item (REFERENCE: units), plus the throttled ones.
	putUnits := units.WriteUnits(int(size), units.Eventual).Float()
	getUnits := units.ReadUnits(int(size), units.Eventual).Float()
	strongUnits := units.ReadUnits(int(size), units.Strong).Float()
	writeThrottles, readThrottles := series("", "WriteThrottleEvents"), series("", "ReadThrottleEvents")
	throttled := series("", "ThrottledRequests")
	throttleNote := "plus WriteThrottleEvents a second"
	if writeThrottles == nil && readThrottles == nil && throttled != nil {
		throttleNote = "plus ThrottledRequests a second (no Read/WriteThrottleEvents in the inputs: shared between reads and writes in proportion to each step's consumed requests)"
	}
	wc, wHas := b.perStep(series("", "ConsumedWriteCapacityUnits"))
	rc, rHas := b.perStep(series("", "ConsumedReadCapacityUnits"))
	wt, _ := b.perStep(writeThrottles)
	rt, _ := b.perStep(readThrottles)
	tr, _ := b.perStep(throttled)
	eventualShare := 1 - b.opts.StrongReads
	readUnitsPerRequest := eventualShare*getUnits + b.opts.StrongReads*strongUnits
	writes, reads := make([]float64, b.steps), make([]float64, b.steps)
	for i := range b.steps {
		writes[i] = wc[i] / putUnits
		reads[i] = rc[i] / readUnitsPerRequest
		if throttled != nil && writeThrottles == nil && readThrottles == nil {
			if total := writes[i] + reads[i]; total > 0 {
				writes[i] += tr[i] * writes[i] / total
				reads[i] += tr[i] * reads[i] / total
			} else if wHas[i] || !rHas[i] {
				writes[i] += tr[i]
			} else {
				reads[i] += tr[i]
			}
			continue
		}
		writes[i] += wt[i]
		reads[i] += rt[i]
	}
	common := []string{
		sizeSource + ".",
		"One step per CloudWatch period; ~ is a period with no datapoint (no traffic, or a lost point: CloudWatch does not say which), run as 0.",
		"A throttled request that the client retried counts in both the consumed units (when it succeeds) and the throttle events, so the rate is a ceiling on the new requests offered.",
		fmt.Sprintf("One-minute averages hide second-level bursts. burst: %g (--burst R): each step's requests arrive at R times the step's rate over its first 1/R and none in the rest, keeping its total; 1 spreads them over the whole step.", b.opts.Burst),
		"Arrivals within a step: " + b.opts.Arrival + " (--arrival). " + keyNote,
	}
	if s := series("", "ConsumedWriteCapacityUnits"); s != nil {
		b.out.workloads = append(b.out.workloads, workloadText{
			name: spec.Name + "-writes", table: spec.Name, rates: writes, gap: gaps(wHas),
			comments: append([]string{fmt.Sprintf("Puts a second = ConsumedWriteCapacityUnits a second (%s) / %g WCU per put of %d B, %s.", s.file, putUnits, size, throttleNote)}, common...),
			mix:      "{put: 100%}", itemSize: size, keys: keys,
		})
	}
	if s := series("", "ConsumedReadCapacityUnits"); s != nil {
		readNote := fmt.Sprintf("Gets a second = ConsumedReadCapacityUnits a second (%s) / %g RCU per eventually consistent get of %d B", s.file, getUnits, size)
		if b.opts.StrongReads > 0 {
			readNote = fmt.Sprintf("Gets a second = ConsumedReadCapacityUnits a second (%s) / %g RCU per get of %d B (%g%% strong at %g RCU, the rest eventual at %g; --strong-reads)", s.file, readUnitsPerRequest, size, 100*b.opts.StrongReads, strongUnits, getUnits)
		}
		readNote += ", plus ReadThrottleEvents a second."
		if eventualShare > 0 {
			b.out.workloads = append(b.out.workloads, workloadText{
				name: spec.Name + "-reads", table: spec.Name, rates: scale(reads, eventualShare), gap: gaps(rHas),
				comments: append([]string{readNote}, common...), mix: "{get: 100%}", consistency: "eventual", itemSize: size, keys: keys,
			})
		}
		if b.opts.StrongReads > 0 {
			b.out.workloads = append(b.out.workloads, workloadText{
				name: spec.Name + "-strong-reads", table: spec.Name, rates: scale(reads, b.opts.StrongReads), gap: gaps(rHas),
				comments: append([]string{readNote}, common...), mix: "{get: 100%}", consistency: "strong", itemSize: size, keys: keys,
			})
		}
	}
	// A GSI's reads are queries on it; its writes come from the table's
	// and are only counted in the history.
	queryUnits := units.QueryUnits(int(size), units.Eventual).Float()
	for _, ix := range spec.GlobalIndexes {
		s := series(ix.Name, "ConsumedReadCapacityUnits")
		if s == nil {
			continue
		}
		qc, qHas := b.perStep(s)
		qt, _ := b.perStep(series(ix.Name, "ReadThrottleEvents"))
		q := make([]float64, b.steps)
		for i := range q {
			q[i] = qc[i]/queryUnits + qt[i]
		}
		b.out.workloads = append(b.out.workloads, workloadText{
			name: spec.Name + "-" + ix.Name + "-queries", table: spec.Name, index: ix.Name, rates: q, gap: gaps(qHas),
			comments: append([]string{
				fmt.Sprintf("Queries a second on index %s = its ConsumedReadCapacityUnits a second (%s) / %g RCU per query, plus its ReadThrottleEvents a second.", ix.Name, s.file, queryUnits),
				fmt.Sprintf("Approximation: each query reads one item (%d B) in one page; CloudWatch gives units, not pages or items per query.", size),
			}, common[1:]...),
			mix: "{query: 100%}", consistency: "eventual", itemSize: size,
		})
	}
	b.capacityChanges(t, &tt)
	b.out.tables = append(b.out.tables, tt)
	b.history(t, st)
	return nil
}

func scale(xs []float64, f float64) []float64 {
	out := make([]float64, len(xs))
	for i, x := range xs {
		out[i] = x * f
	}
	return out
}

func gaps(has []bool) []bool {
	out := make([]bool, len(has))
	for i, h := range has {
		out[i] = !h
	}
	return out
}

// keys is the keys: mapping of a table's workloads and a sentence saying
// where it came from.
func (b *builder) keys(t *tableData, st scenarios.Table) (string, string) {
	count := ""
	countNote := fmt.Sprintf("over the table's %d items", st.Items.Count)
	switch {
	case t.hot != nil && t.hot.Unique > 0:
		// The report counts distinct partition keys, which is what a
		// workload's keys are: items sharing a partition key share its
		// partition.
		count = fmt.Sprintf(", count: %d", t.hot.Unique)
		countNote = fmt.Sprintf("over the %d distinct partition keys of the Contributor Insights report (%s)", t.hot.Unique, t.hotSrc)
	case st.Items.Count == 0:
		count = fmt.Sprintf(", count: %d", defaultKeyCount)
		countNote = fmt.Sprintf("over %d keys (assumed: the inputs give no ItemCount)", defaultKeyCount)
	}
	dist, exponent, _ := parseKeys(b.opts.Keys)
	switch {
	case dist == "zipf":
		return fmt.Sprintf("{distribution: zipf, exponent: %g%s}", exponent, count), fmt.Sprintf("Keys: zipf with exponent %g %s (--keys).", exponent, countNote)
	case dist == "" && t.hot != nil && len(t.hot.Keys) > 0 && t.hot.Keys[0].Share > 0:
		// The hottest key alone decides whether a partition throttles:
		// it keeps its own share (hot); the other listed keys, each
		// smaller, go with the rest. A hotspot would spread the listed
		// keys' sum evenly and understate the hottest.
		top := t.hot.Keys[0]
		rest := ""
		if n := len(t.hot.Keys) - 1; n > 0 {
			rest = fmt.Sprintf("; the next %d listed keys (%s%% together) go with the rest", n, sig(100*(t.hot.TopShare()-top.Share)))
		}
		return fmt.Sprintf("{distribution: hot, hot_ops: %s%%%s}", sig(100*math.Min(top.Share, 1)), count),
			fmt.Sprintf("Keys: hot from %s: its top key %s took %s%% of the %s (hot_ops)%s; the rest uniform %s.",
				t.hotSrc, strings.Join(top.Keys, "/"), sig(100*top.Share), strings.ToLower(t.hot.Statistic), rest, countNote)
	}
	return fmt.Sprintf("{distribution: uniform%s}", count), "Keys: uniform " + countNote + " (--keys zipf:E to skew them, or a Contributor Insights report to set hot keys)."
}

// capacityChanges replays a provisioned table's Provisioned* series as
// capacity_changes when no auto scaling is in the inputs (with it, the
// scenario's auto scaling makes the changes itself).
func (b *builder) capacityChanges(t *tableData, tt *tableText) {
	if tt.table.Mode != "provisioned" || tt.table.AutoScaling != nil {
		return
	}
	levels := func(metric string) []int64 {
		s := t.series[seriesKey{"", metric}]
		if s == nil {
			return nil
		}
		rates, has := b.perStep(s)
		out := make([]int64, b.steps)
		var last int64
		for i := range rates {
			if has[i] {
				last = max(int64(math.Round(rates[i])), 1)
			}
			out[i] = last
		}
		return out
	}
	reads, writes := levels("ProvisionedReadCapacityUnits"), levels("ProvisionedWriteCapacityUnits")
	first := func(l []int64) int64 {
		for _, v := range l {
			if v > 0 {
				return v
			}
		}
		return 0
	}
	if v := first(reads); v > 0 && v != tt.table.ReadCapacity {
		b.note("table %s: read capacity %d from the first ProvisionedReadCapacityUnits point, not %d", tt.table.Name, v, tt.table.ReadCapacity)
		tt.table.ReadCapacity = v
	}
	if v := first(writes); v > 0 && v != tt.table.WriteCapacity {
		b.note("table %s: write capacity %d from the first ProvisionedWriteCapacityUnits point, not %d", tt.table.Name, v, tt.table.WriteCapacity)
		tt.table.WriteCapacity = v
	}
	curR, curW := tt.table.ReadCapacity, tt.table.WriteCapacity
	for i := range b.steps {
		var c scenarios.CapacityChange
		if reads != nil && reads[i] > 0 && reads[i] != curR {
			c.ReadCapacity, curR = reads[i], reads[i]
		}
		if writes != nil && writes[i] > 0 && writes[i] != curW {
			c.WriteCapacity, curW = writes[i], writes[i]
		}
		if c.ReadCapacity != 0 || c.WriteCapacity != 0 {
			c.At = time.Duration(i) * b.step
			tt.changes = append(tt.changes, c)
		}
	}
}

// history is the table's recorded totals: consumed units of the table and
// its indexes, and the provisioned unit-hours.
func (b *builder) history(t *tableData, st scenarios.Table) {
	h := scenarios.TableHistory{Table: st.Name, Mode: st.Mode}
	var comments []string
	hours := b.step.Hours()
	var readSrc, writeSrc, capSrc []string
	keys := sortedKeys(t.series)
	for _, k := range keys {
		s := t.series[k]
		label := k.metric
		if k.index != "" {
			label += " of index " + k.index
		}
		switch k.metric {
		case "ConsumedReadCapacityUnits":
			h.ReadUnits += sum(s)
			readSrc = append(readSrc, label)
		case "ConsumedWriteCapacityUnits":
			h.WriteUnits += sum(s)
			writeSrc = append(writeSrc, label)
		case "ProvisionedReadCapacityUnits", "ProvisionedWriteCapacityUnits":
			total := 0.0
			for _, p := range s.Points {
				total += p.Value * hours
			}
			if k.metric == "ProvisionedReadCapacityUnits" {
				h.ReadCapacityHours += total
			} else {
				h.WriteCapacityHours += total
			}
			capSrc = append(capSrc, label)
		}
		if strings.HasPrefix(k.metric, "Consumed") && k.index == "" {
			h.Missing = max(h.Missing, s.Missing()*int(b.step/time.Minute))
		}
	}
	comments = append(comments, fmt.Sprintf("read_units: the Sum of %s; write_units: the Sum of %s.", orNone(readSrc), orNone(writeSrc)))
	if st.Mode == "provisioned" {
		if len(capSrc) > 0 {
			comments = append(comments, fmt.Sprintf("Capacity hours: each period's Average of %s x %g h.", strings.Join(capSrc, ", "), hours))
		}
		window := b.to.Sub(b.from).Hours()
		rc, wc := st.ReadCapacity, st.WriteCapacity
		for _, ix := range st.Indexes {
			rc += ix.ReadCapacity
			wc += ix.WriteCapacity
		}
		for _, side := range []struct {
			metric string
			units  int64
			hours  *float64
		}{
			{"ProvisionedReadCapacityUnits", rc, &h.ReadCapacityHours},
			{"ProvisionedWriteCapacityUnits", wc, &h.WriteCapacityHours},
		} {
			if t.series[seriesKey{"", side.metric}] != nil {
				continue
			}
			*side.hours = float64(side.units) * window
			comments = append(comments, fmt.Sprintf("No %s series in the inputs: the described %d units (indexes included) x the %g h window, as if they never changed.", side.metric, side.units, window))
			b.note("table %s: no %s series: the history's capacity hours are the described capacity held over the whole window", st.Name, side.metric)
		}
	}
	comments = append(comments, "missing_minutes: the minutes without a datapoint in the table's Consumed* series (the larger of reads and writes).")
	b.out.history = append(b.out.history, historyText{h: h, comments: comments})
}

func orNone(xs []string) string {
	if len(xs) == 0 {
		return "no series (0)"
	}
	return strings.Join(xs, " + ")
}

// sources lists where the table's numbers came from, one comment each.
func sources(t aws.TableSpec) []string {
	var out []string
	for _, k := range sortedStrings(t.Sources) {
		out = append(out, k+": "+t.Sources[k])
	}
	for _, ix := range t.GlobalIndexes {
		for _, k := range sortedStrings(ix.Sources) {
			out = append(out, "index "+ix.Name+" "+k+": "+ix.Sources[k])
		}
	}
	for _, ix := range t.LocalIndexes {
		for _, k := range sortedStrings(ix.Sources) {
			out = append(out, "index "+ix.Name+" "+k+": "+ix.Sources[k])
		}
	}
	return out
}
