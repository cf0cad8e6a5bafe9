package diff

import (
	"cmp"
	"fmt"
	"maps"
	"math"
	"slices"
	"strings"

	"github.com/ddbsim/ddbsim/reports"
)

// Units say how a row's numbers read; Text formats them.
const (
	UnitText    = "text"    // AText and BText only: a scenario's name, pass or FAIL
	UnitCount   = "count"   // a whole number of requests, partitions
	UnitRatio   = "ratio"   // a fraction; the change is in percentage points
	UnitMs      = "ms"      // milliseconds
	UnitSeconds = "s"       // a run's duration
	UnitUSD     = "usd"     // dollars
	UnitUnits   = "units"   // capacity units
	UnitNumber  = "number"  // a threshold's metric, in its own unit
	UnitVersion = "version" // the result's schema_version
)

// Diff is two results side by side: B against A.
type Diff struct {
	A Side `json:"a"`
	B Side `json:"b"`
	// Warnings say where the two are not like for like: another schema
	// version or scenario. They are still compared.
	Warnings []string  `json:"warnings,omitempty"`
	Sections []Section `json:"sections"`
	// Verdict names the largest moves, in a sentence.
	Verdict string `json:"verdict"`
	// Moves are the rows the verdict names, largest first.
	Moves []Move `json:"moves"`
}

// Side names one of the two results.
type Side struct {
	File          string  `json:"file"`
	Scenario      string  `json:"scenario"`
	Seed          uint64  `json:"seed"`
	DurationS     float64 `json:"duration_s"`
	SchemaVersion int     `json:"schema_version"`
}

// Section is a group of rows: the run, requests, latency, an operation, a
// table, the bill, the thresholds.
type Section struct {
	Title string `json:"title"`
	Rows  []Row  `json:"rows"`
}

// Row is one number of both results. A and B are absent when that result
// has no such number (an operation only one ran); Change is B - A and
// Ratio B / A, absent when either side is absent or (Ratio) A is 0.
type Row struct {
	Metric string   `json:"metric"`
	Unit   string   `json:"unit"`
	A      *float64 `json:"a,omitempty"`
	B      *float64 `json:"b,omitempty"`
	Change *float64 `json:"change,omitempty"`
	Ratio  *float64 `json:"ratio,omitempty"`
	// AText and BText are a text row's values (UnitText), or a
	// threshold's verdict.
	AText string `json:"a_text,omitempty"`
	BText string `json:"b_text,omitempty"`
}

// Move is a row the verdict names: its section and metric, and how far it
// moved (|B - A| over the larger of |A| and |B|: 1 for a number that
// appeared or vanished).
type Move struct {
	Section string  `json:"section"`
	Metric  string  `json:"metric"`
	Share   float64 `json:"share"`
}

// maxMoves is how many moves the verdict names.
const maxMoves = 3

// Compare pairs the numbers of a and b (read from the files named fileA
// and fileB): B against A.
func Compare(fileA string, a *reports.Result, fileB string, b *reports.Result) *Diff {
	d := &Diff{A: sideOf(fileA, a), B: sideOf(fileB, b)}
	if a.SchemaVersion != b.SchemaVersion {
		d.Warnings = append(d.Warnings, fmt.Sprintf("the results have different schema versions (%d and %d): fields only one has are left out", a.SchemaVersion, b.SchemaVersion))
	}
	if a.Scenario != b.Scenario {
		d.Warnings = append(d.Warnings, fmt.Sprintf("the results are of different scenarios (%s and %s): their tables and operations are paired by name", reports.SafeName(a.Scenario), reports.SafeName(b.Scenario)))
	}
	d.Sections = append(d.Sections, runSection(a, b), requestSection(a, b), latencySection("latency", a.LatencyMs, b.LatencyMs))
	d.Sections = append(d.Sections, operationSections(a, b)...)
	d.Sections = append(d.Sections, tableSections(a, b)...)
	if s, ok := costSection(a.Cost, b.Cost); ok {
		d.Sections = append(d.Sections, s)
	}
	if s, ok := thresholdSection(a, b); ok {
		d.Sections = append(d.Sections, s)
	}
	d.Moves, d.Verdict = verdict(d.Sections)
	return d
}

func sideOf(file string, r *reports.Result) Side {
	return Side{File: file, Scenario: r.Scenario, Seed: r.Seed, DurationS: r.DurationS, SchemaVersion: r.SchemaVersion}
}

func num(x float64) *float64 { return &x }

// row pairs two numbers, either absent.
func row(metric, unit string, a, b *float64) Row {
	r := Row{Metric: metric, Unit: unit, A: a, B: b}
	if a != nil && b != nil {
		// Rounded as the result's numbers are, so that 0.1 + 0.2 reads
		// as 0.3.
		r.Change = num(round(*b-*a, 6))
		if *a != 0 {
			r.Ratio = num(round(*b / *a, 6))
		}
	}
	return r
}

func both(metric, unit string, a, b float64) Row { return row(metric, unit, num(a), num(b)) }

func round(x float64, decimals int) float64 {
	p := math.Pow(10, float64(decimals))
	return math.Round(x*p) / p
}

func runSection(a, b *reports.Result) Section {
	return Section{Title: "run", Rows: []Row{
		{Metric: "scenario", Unit: UnitText, AText: reports.SafeName(a.Scenario), BText: reports.SafeName(b.Scenario)},
		{Metric: "seed", Unit: UnitText, AText: fmt.Sprint(a.Seed), BText: fmt.Sprint(b.Seed)},
		both("duration", UnitSeconds, a.DurationS, b.DurationS),
		both("schema_version", UnitVersion, float64(a.SchemaVersion), float64(b.SchemaVersion)),
	}}
}

func requestSection(a, b *reports.Result) Section {
	ra, rb := a.Requests, b.Requests
	return Section{Title: "requests", Rows: []Row{
		both("total", UnitCount, float64(ra.Total), float64(rb.Total)),
		both("succeeded", UnitCount, float64(ra.Succeeded), float64(rb.Succeeded)),
		both("throttled", UnitCount, float64(ra.Throttled), float64(rb.Throttled)),
		both("throttled_ratio", UnitRatio, a.Ratios.Throttled, b.Ratios.Throttled),
		both("throttle_events", UnitCount, float64(ra.ThrottleEvents), float64(rb.ThrottleEvents)),
		both("retries", UnitCount, float64(ra.Retries), float64(rb.Retries)),
		both("errors", UnitCount, float64(ra.Errors), float64(rb.Errors)),
		both("error_ratio", UnitRatio, a.Ratios.Errors, b.Ratios.Errors),
	}}
}

func latencySection(title string, a, b reports.Latency) Section {
	return Section{Title: title, Rows: latencyRows(&a, &b)}
}

// latencyRows are the percentiles of a and b, either nil for a side
// without them.
func latencyRows(a, b *reports.Latency) []Row {
	pick := func(l *reports.Latency, f func(*reports.Latency) float64) *float64 {
		if l == nil {
			return nil
		}
		return num(f(l))
	}
	var rows []Row
	for _, p := range []struct {
		name string
		f    func(*reports.Latency) float64
	}{
		{"p50", func(l *reports.Latency) float64 { return l.P50 }},
		{"p90", func(l *reports.Latency) float64 { return l.P90 }},
		{"p99", func(l *reports.Latency) float64 { return l.P99 }},
		{"p999", func(l *reports.Latency) float64 { return l.P999 }},
	} {
		rows = append(rows, row(p.name, UnitMs, pick(a, p.f), pick(b, p.f)))
	}
	return rows
}

// names is the sorted union of two maps' keys.
func names[V any](a, b map[string]V) []string {
	out := slices.Collect(maps.Keys(a))
	for k := range b {
		if _, ok := a[k]; !ok {
			out = append(out, k)
		}
	}
	slices.Sort(out)
	return out
}

func operationSections(a, b *reports.Result) []Section {
	var out []Section
	for _, name := range names(a.Operations, b.Operations) {
		var ca, cb *float64
		var la, lb *reports.Latency
		if op, ok := a.Operations[name]; ok {
			ca, la = num(float64(op.Count)), &op.LatencyMs
		}
		if op, ok := b.Operations[name]; ok {
			cb, lb = num(float64(op.Count)), &op.LatencyMs
		}
		rows := append([]Row{row("count", UnitCount, ca, cb)}, latencyRows(la, lb)...)
		out = append(out, Section{Title: "operation " + reports.SafeName(name), Rows: rows})
	}
	return out
}

// tableSections pairs the tables by name, in A's order and then B's
// tables that A does not have.
func tableSections(a, b *reports.Result) []Section {
	var order []string
	byName := func(ts []reports.TableResult) map[string]*reports.TableResult {
		m := map[string]*reports.TableResult{}
		for i := range ts {
			if _, ok := m[ts[i].Name]; !ok {
				m[ts[i].Name] = &ts[i]
				if !slices.Contains(order, ts[i].Name) {
					order = append(order, ts[i].Name)
				}
			}
		}
		return m
	}
	ta, tb := byName(a.Tables), byName(b.Tables)
	var out []Section
	for _, name := range order {
		x, y := ta[name], tb[name]
		field := func(f func(*reports.TableResult) float64) (p, q *float64) {
			if x != nil {
				p = num(f(x))
			}
			if y != nil {
				q = num(f(y))
			}
			return p, q
		}
		add := func(rows []Row, metric, unit string, f func(*reports.TableResult) float64) []Row {
			p, q := field(f)
			return append(rows, row(metric, unit, p, q))
		}
		var rows []Row
		rows = add(rows, "partitions", UnitCount, func(t *reports.TableResult) float64 { return float64(t.Partitions) })
		rows = add(rows, "consumed_rcu", UnitUnits, func(t *reports.TableResult) float64 { return t.ConsumedRCU })
		rows = add(rows, "consumed_wcu", UnitUnits, func(t *reports.TableResult) float64 { return t.ConsumedWCU })
		rows = add(rows, "throttled_ratio", UnitRatio, func(t *reports.TableResult) float64 { return t.ThrottledRatio })
		var ra, rb map[string]int64
		if x != nil {
			ra = x.ThrottlesByReason
		}
		if y != nil {
			rb = y.ThrottlesByReason
		}
		for _, reason := range names(ra, rb) {
			rows = add(rows, "throttles "+reports.SafeName(reason), UnitCount, func(t *reports.TableResult) float64 { return float64(t.ThrottlesByReason[reason]) })
		}
		rows = add(rows, "final_rcu", UnitUnits, func(t *reports.TableResult) float64 { return t.FinalRCU })
		rows = add(rows, "final_wcu", UnitUnits, func(t *reports.TableResult) float64 { return t.FinalWCU })
		out = append(out, Section{Title: "table " + reports.SafeName(name), Rows: rows})
	}
	return out
}

// costSection is the bill, total and by line item; items $0 on both sides
// are left out. ok is false when neither result has a bill.
func costSection(a, b *reports.CostResult) (Section, bool) {
	if a == nil && b == nil {
		return Section{}, false
	}
	get := func(c *reports.CostResult, f func(*reports.CostResult) float64) *float64 {
		if c == nil {
			return nil
		}
		return num(f(c))
	}
	s := Section{Title: "cost"}
	s.Rows = append(s.Rows,
		row("total", UnitUSD, get(a, func(c *reports.CostResult) float64 { return c.TotalUSD }), get(b, func(c *reports.CostResult) float64 { return c.TotalUSD })),
		row("monthly", UnitUSD, get(a, func(c *reports.CostResult) float64 { return c.MonthlyUSD }), get(b, func(c *reports.CostResult) float64 { return c.MonthlyUSD })))
	var ba, bb map[string]float64
	if a != nil {
		ba = a.Breakdown
	}
	if b != nil {
		bb = b.Breakdown
	}
	for _, item := range names(ba, bb) {
		if ba[item] == 0 && bb[item] == 0 {
			continue
		}
		s.Rows = append(s.Rows, row(reports.SafeName(item), UnitUSD,
			get(a, func(c *reports.CostResult) float64 { return c.Breakdown[item] }), get(b, func(c *reports.CostResult) float64 { return c.Breakdown[item] })))
	}
	return s, true
}

// thresholdSection pairs thresholds by metric and expression: each has
// its value and its verdict on both sides.
func thresholdSection(a, b *reports.Result) (Section, bool) {
	type key struct{ name, expr string }
	var order []key
	index := func(ts []reports.ThresholdResult) map[key]*reports.ThresholdResult {
		m := map[key]*reports.ThresholdResult{}
		for i := range ts {
			k := key{ts[i].Name, ts[i].Expr}
			if _, ok := m[k]; !ok {
				m[k] = &ts[i]
				if !slices.Contains(order, k) {
					order = append(order, k)
				}
			}
		}
		return m
	}
	ta, tb := index(a.Thresholds), index(b.Thresholds)
	if len(order) == 0 {
		return Section{}, false
	}
	s := Section{Title: "thresholds"}
	for _, k := range order {
		x, y := ta[k], tb[k]
		r := row(reports.SafeName(k.name+" "+k.expr), UnitNumber, thresholdValue(x), thresholdValue(y))
		r.AText, r.BText = thresholdVerdict(x), thresholdVerdict(y)
		s.Rows = append(s.Rows, r)
	}
	return s, true
}

func thresholdValue(t *reports.ThresholdResult) *float64 {
	if t == nil || t.Value == nil {
		return nil
	}
	return num(*t.Value)
}

func thresholdVerdict(t *reports.ThresholdResult) string {
	switch {
	case t == nil:
		return ""
	case t.Passed:
		return "pass"
	}
	return "FAIL"
}

// verdict ranks the sections' rows by how far they moved and names the
// largest, one a section so that one story (throttling gone: the
// throttled count, its ratio, the throttle events) is told once. It
// leaves out the run's own description and the thresholds, which repeat
// metrics shown elsewhere.
func verdict(sections []Section) ([]Move, string) {
	var moves []Move
	for _, s := range sections {
		if s.Title == "run" || s.Title == "thresholds" {
			continue
		}
		var best *Move
		for _, r := range s.Rows {
			if r.A == nil || r.B == nil || *r.A == *r.B {
				continue
			}
			share := round(math.Abs(*r.B-*r.A)/max(math.Abs(*r.A), math.Abs(*r.B)), 6)
			if best == nil || share > best.Share {
				best = &Move{Section: s.Title, Metric: r.Metric, Share: share}
			}
		}
		if best != nil {
			moves = append(moves, *best)
		}
	}
	// Largest first; of equal moves, the one listed first (the sections
	// run from the whole to its parts).
	slices.SortStableFunc(moves, func(x, y Move) int { return cmp.Compare(y.Share, x.Share) })
	if len(moves) == 0 {
		return []Move{}, "no number moved: the two results agree"
	}
	moves = moves[:min(len(moves), maxMoves)]
	var parts []string
	for _, m := range moves {
		parts = append(parts, m.Section+" "+m.Metric+" "+describe(sections, m))
	}
	return moves, "largest moves from A to B: " + strings.Join(parts, "; ")
}

// describe is a move as "4,000 -> 0 (-100%)".
func describe(sections []Section, m Move) string {
	for _, s := range sections {
		if s.Title != m.Section {
			continue
		}
		for _, r := range s.Rows {
			if r.Metric == m.Metric {
				return Value(r.Unit, *r.A) + " -> " + Value(r.Unit, *r.B) + " (" + RatioText(r) + ")"
			}
		}
	}
	return ""
}
