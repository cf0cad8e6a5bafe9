package html

import (
	"bytes"
	"fmt"
	"html/template"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/ddbsim/ddbsim/model"
	"github.com/ddbsim/ddbsim/reports"
	"github.com/ddbsim/ddbsim/reports/plot"
	"github.com/ddbsim/ddbsim/sim"
)

// WriteReport writes r as report.html: one self-contained page, with its CSS
// and every plot inline (SVG), and no reference to anything outside the
// file (its Content-Security-Policy forbids any request), so it opens the
// same from a CI artifact, an e-mail or a printer. The time series (latency,
// throughput, each table's capacity) are also interactive charts, drawn by
// the embedded uPlot from the same buckets: zoom by dragging, values on
// hover. On paper, and without JavaScript, the static SVG shows instead.
// In order: the scenario and the verdict on its thresholds,
// where and when throttling started, the thresholds, requests and latency,
// operations, tables, why throttling happened (WriteExplain's sentences),
// capacity events, each table's capacity at start, lowest, peak and end
// (capacity-range) and its busiest partition (hot-partitions), then each
// plot with a caption saying what to look for.
//
// Figures are formatted as WriteSummary formats them. Elements a reader
// (or a test) may look for carry ids: verdict, requests-total,
// requests-throttled, throttled-ratio, p50, p90, p99, p999, max, mean,
// first-throttle (with first-throttle-time, -table, -partition, -limit,
// -reason and -explanation) or no-throttles, explanations (the first
// throttle of each other kind, when there is one), capacity-events, and
// plot-NAME for each plot (plot.Figures). A run with DAX adds a section on its
// caches: cache-hit-rate, cache-item-hit-rate, cache-query-hit-rate,
// cache-stale, cache-throttled, cache-saved-rcu, cache-hit-p50,
// cache-hit-p99, cache-miss-p50, cache-miss-p99 and the table
// cache-clusters. A run with a stream adds the table streams (a row per
// consumer); a run with a global table a section on replication:
// replication-lag-p50, replication-lag-p99, replication-lag-max,
// replicated-writes, replication-conflicts, replication-stale-read-ratio,
// replication-unreplicated and availability-min. The same Result gives
// the same bytes.
func WriteReport(w io.Writer, r *reports.Result) error {
	page, err := newHTMLPage(r)
	if err != nil {
		return err
	}
	printable(page)
	var b bytes.Buffer
	if err := htmlTemplate.Execute(&b, page); err != nil {
		return fmt.Errorf("report.html: %w", err)
	}
	_, err = w.Write(b.Bytes())
	return err
}

// htmlPage is what the template reads: every figure already formatted.
type htmlPage struct {
	Name, Seed, Duration string
	Incomplete           bool

	// Verdict is "pass", "fail" or "none" (no thresholds); Headline says
	// it in words.
	Verdict, Headline string
	Thresholds        []htmlThreshold

	Requests     htmlRequests
	Latency      htmlLatency
	ErrorsByKind []htmlCount
	Cost         string // "" without prices
	Cache        *htmlCache
	Streams      []htmlStream
	Replication  *htmlReplication
	Operations   [][]string
	// Workloads are the workload table's rows (reports.WorkloadRows
	// without its header); nil for a run of one workload.
	Workloads [][]string
	Tables    []htmlTable
	Throttles []htmlThrottles

	// First is the run's first throttle, nil when none; Others are the
	// first throttles of each other kind, in time order.
	First  *htmlFirst
	Others []string

	CapacityEvents []htmlEvent
	// CapacityRange is each table's capacity at the start, at its peak
	// and at the end; HotPartitions each table's busiest partition.
	CapacityRange []htmlCapacityRange
	HotPartitions []htmlHotPartition
	Plots         []htmlPlot
	// Charts holds the interactive charts' code, nil when no plot has a
	// chart.
	Charts *chartAssets
}

// htmlCapacityRange is a table's capacity over the run.
type htmlCapacityRange struct {
	Table, Mode                       string
	RCUStart, RCUPeak, RCUEnd, RCUMin string
	WCUStart, WCUPeak, WCUEnd, WCUMin string
}

// htmlHotPartition is a table's busiest partition: the Result does not
// keep keys, so the report names the partition and, when one of its
// throttles was kept, its hash range.
type htmlHotPartition struct {
	Table, Partition, Partitions, Time, Load, Hashes string
}

type htmlThreshold struct {
	Name, Expr, Value string
	Passed            bool
	Error             string
}

type htmlRequests struct {
	Total, Succeeded, SucceededPct, Throttled, ThrottledPct, Errors, ErrorsPct string
	ThrottleEvents, Retries                                                    string
}

type htmlLatency struct{ P50, P90, P99, P999, Max, Mean string }

type htmlCount struct{ Name, Count string }

// htmlCache is the DAX section.
type htmlCache struct {
	HitRate, ItemHitRate, QueryHitRate, Hits, Misses string
	Stale, Throttled, SavedRCU                       string
	HitP50, HitP99, MissP50, MissP99                 string
	Clusters                                         []htmlCluster
}

type htmlCluster struct {
	Name, NodeType, Nodes, Tables, Capacity, PeakLoad, PeakUtilization, HitRate string
}

// htmlStream is one stream consumer's row.
type htmlStream struct {
	Table, Consumer, Records, Processed, Lost, Retries, ReadUnits, MaxAge, FinalAge string
}

// htmlReplication is the global tables' section.
type htmlReplication struct {
	LagP50, LagP99, LagMax, Writes, Conflicts, Overwritten string
	Reads, StaleReads, StaleRatio, Unreplicated            string
	AvailabilityMin, Intervals, BelowSLA                   string
}

type htmlTable struct {
	Name, Mode, Partitions              string
	Of                                  string // an index's table; "" for a table
	Note                                string // a replica's "<region> replica", a global table's home region
	RCUMean, RCUPeak, RCUProv, RCUFinal string
	WCUMean, WCUPeak, WCUProv, WCUFinal string
	ThrottledPct                        string
}

type htmlThrottles struct {
	Table   string
	Reasons []htmlCount
}

// htmlFirst is the first throttle of the run: when, where, why.
type htmlFirst struct {
	Time, Table, Partition, Partitions, Hashes, Op, Reason, Limit string
	// Cluster names the DAX cluster that refused the request; it has no
	// partition then.
	Cluster string
	// Why says in a few words which limit stopped it; Sentence is
	// WriteExplain's full sentence.
	Why, Sentence string
}

type htmlEvent struct {
	Time, Table, Kind, Cause, RCU, WCU, Partitions string
}

type htmlPlot struct {
	ID, Title, Caption string
	SVG                template.HTML
	// Chart is the figure's data for its interactive chart, as JSON; ""
	// for a figure that has none.
	Chart template.JS
}

func newHTMLPage(r *reports.Result) (*htmlPage, error) {
	p := &htmlPage{
		Name:       reports.SafeName(r.Scenario),
		Seed:       fmt.Sprint(r.Seed),
		Duration:   fmt.Sprint(sim.FromSeconds(r.DurationS)),
		Incomplete: !r.Complete,
	}
	if p.Name == "" {
		p.Name = "(unnamed)"
	}

	failed := 0
	for _, t := range r.Thresholds {
		p.Thresholds = append(p.Thresholds, htmlThreshold{
			Name: t.Name, Expr: t.Expr, Value: reports.MetricString(t.Name, t.Value),
			Passed: t.Passed, Error: t.Error,
		})
		if !t.Passed {
			failed++
		}
	}
	switch n := len(r.Thresholds); {
	case len(r.Warnings) > 0 && failed == 0:
		p.Verdict, p.Headline = "warn", warnHeadline(n, r.Warnings)
	case n == 0:
		p.Verdict, p.Headline = "none", "No thresholds set"
	case failed == 0 && n == 1:
		p.Verdict, p.Headline = "pass", "The threshold passed"
	case failed == 0:
		p.Verdict, p.Headline = "pass", fmt.Sprintf("All %d thresholds passed", n)
	case n == 1:
		p.Verdict, p.Headline = "fail", "The threshold failed"
	default:
		p.Verdict, p.Headline = "fail", fmt.Sprintf("%d of %d thresholds failed", failed, n)
	}

	q := r.Requests
	p.Requests = htmlRequests{
		Total:          reports.Commas(q.Total),
		Succeeded:      reports.Commas(q.Succeeded),
		SucceededPct:   reports.Pct(reports.Ratio(q.Succeeded, q.Total)),
		Throttled:      reports.Commas(q.Throttled),
		ThrottledPct:   reports.Pct(r.Ratios.Throttled),
		Errors:         reports.Commas(q.Errors),
		ErrorsPct:      reports.Pct(r.Ratios.Errors),
		ThrottleEvents: reports.Commas(q.ThrottleEvents),
		Retries:        reports.Commas(q.Retries),
	}
	l := r.LatencyMs
	p.Latency = htmlLatency{reports.DurationMs(l.P50), reports.DurationMs(l.P90), reports.DurationMs(l.P99),
		reports.DurationMs(l.P999), reports.DurationMs(l.Max), reports.DurationMs(l.Mean)}
	if c := r.Cost; c != nil {
		p.Cost = reports.USD(c.TotalUSD) + " for the run, " + reports.USD(c.MonthlyUSD) + " a month at this rate"
	}
	kinds := make([]string, 0, len(r.ErrorsByKind))
	for k := range r.ErrorsByKind {
		kinds = append(kinds, k)
	}
	slices.Sort(kinds)
	for _, k := range kinds {
		p.ErrorsByKind = append(p.ErrorsByKind, htmlCount{k, reports.Commas(r.ErrorsByKind[k])})
	}

	for _, op := range reports.OpOrder(r.Operations) {
		o := r.Operations[op]
		l := o.LatencyMs
		p.Operations = append(p.Operations, []string{op, reports.Commas(o.Count),
			reports.Sig3(l.P50, 3), reports.Sig3(l.P90, 3), reports.Sig3(l.P99, 3), reports.Sig3(l.P999, 3), reports.Sig3(l.Max, 3), reports.Sig3(l.Mean, 3)})
	}

	if rows := reports.WorkloadRows(r); rows != nil {
		p.Workloads = rows[1:]
	}

	for _, ti := range reports.TableOrder(r.Tables) {
		t := r.Tables[ti]
		name, of, note := t.Name, t.Table, ""
		if t.Index != "" {
			name, of = t.Index, reports.ReplicaLabel(t.Table)
		} else if home, ok := reports.ReplicaOf(&t); ok {
			name, note = home, t.Region+" replica"
		} else {
			note = t.Region
		}
		p.Tables = append(p.Tables, htmlTable{
			Name: reports.SafeName(name), Of: reports.SafeName(of), Note: note, Mode: t.Mode, Partitions: reports.Commas(int64(t.Partitions)),
			RCUMean: reports.Sig3(t.MeanRCUPerS, 3), RCUPeak: reports.Sig3(t.PeakRCUPerS, 3),
			RCUProv: reports.Provisioned(t.ProvisionedRCU), RCUFinal: reports.Sig3(t.FinalRCU, 3),
			WCUMean: reports.Sig3(t.MeanWCUPerS, 3), WCUPeak: reports.Sig3(t.PeakWCUPerS, 3),
			WCUProv: reports.Provisioned(t.ProvisionedWCU), WCUFinal: reports.Sig3(t.FinalWCU, 3),
			ThrottledPct: reports.Pct(t.ThrottledRatio),
		})
		if len(t.ThrottlesByReason) > 0 {
			th := htmlThrottles{Table: reports.TableLabel(&t)}
			for _, reason := range reports.ReasonOrder(t.ThrottlesByReason) {
				th.Reasons = append(th.Reasons, htmlCount{reason, reports.Commas(t.ThrottlesByReason[reason])})
			}
			p.Throttles = append(p.Throttles, th)
		}
	}

	if c := r.Cache; c != nil {
		p.Cache = newHTMLCache(c)
	}
	for _, st := range r.Streams {
		p.Streams = append(p.Streams, htmlStream{
			Table: reports.SafeName(st.Table), Consumer: reports.SafeName(st.Consumer), Records: reports.Commas(st.Records), Processed: reports.Commas(st.Processed),
			Lost: reports.Commas(st.Lost), Retries: reports.Commas(st.Retries), ReadUnits: reports.Commas(st.ReadUnits),
			MaxAge: reports.DurationMs(st.MaxIteratorAgeS * 1000), FinalAge: reports.DurationMs(st.FinalIteratorAgeS * 1000),
		})
	}
	if g := r.Replication; g != nil {
		p.Replication = newHTMLReplication(g)
	}

	if len(r.Explanations) > 0 {
		p.First = firstThrottle(r)
		for _, e := range r.Explanations[1:] {
			p.Others = append(p.Others, r.Explain(e))
		}
	}

	for _, e := range r.CapacityEvents {
		p.CapacityEvents = append(p.CapacityEvents, htmlEvent{
			Time: reports.Clock(sim.FromSeconds(e.TimeS)), Table: e.Table, Kind: e.Kind, Cause: e.Cause,
			RCU: reports.Commas(e.RCU), WCU: reports.Commas(e.WCU), Partitions: reports.Commas(int64(e.Partitions)),
		})
	}

	p.CapacityRange = capacityRanges(r)
	p.HotPartitions = hotPartitions(r)

	plots, err := htmlPlots(r)
	if err != nil {
		return nil, err
	}
	p.Plots = plots
	for _, pl := range plots {
		if pl.Chart != "" {
			p.Charts = newChartAssets()
			break
		}
	}
	return p, nil
}

// firstThrottle describes the earliest throttle the collector kept (it
// keeps them in time order, so the first one is the run's first throttle).
func firstThrottle(r *reports.Result) *htmlFirst {
	e := r.Explanations[0]
	ev := &e.Event
	f := &htmlFirst{
		Time:      reports.Clock(e.At),
		Table:     "table " + strconv.Itoa(ev.Table),
		Partition: strconv.Itoa(ev.Partition),
		Hashes:    reports.HashPrefix(ev.RangeStart) + "–" + reports.HashPrefix(ev.RangeEnd),
		Op:        ev.Op.String(),
		Reason:    ev.Reason.String(),
		Limit:     ev.Limit.String(),
		Why:       limitWhy(ev.Limit),
		Sentence:  r.Explain(e),
	}
	if ev.Limit == 0 {
		f.Limit = "not recorded"
	}
	table := f.Table
	if ev.Table < len(r.Tables) {
		table = r.Tables[ev.Table].Name
		f.Table = reports.SafeName(table)
	}
	if ev.Partition < 0 { // refused by a DAX cluster, before any partition
		f.Cluster = "its DAX cluster"
		if cl, _ := r.ClusterOf(table); cl != nil {
			f.Cluster = "DAX cluster " + reports.SafeName(cl.Name)
		}
		f.Hashes = ""
		return f
	}
	// The partition count when it happened, from the series if it has it.
	if s := r.Series; s != nil && ev.Table < len(s.Tables) {
		sec := int(e.At / max(s.Step, sim.Second))
		if parts := s.Tables[ev.Table].Partitions; sec < len(parts) && parts[sec] > 0 {
			f.Partitions = reports.Commas(parts[sec])
		}
	}
	return f
}

// newHTMLCache formats the DAX section as WriteSummary does.
func newHTMLCache(c *reports.CacheResult) *htmlCache {
	hc := &htmlCache{
		HitRate:      reports.LookupPct(c.HitRate, c.Hits+c.Misses),
		ItemHitRate:  reports.LookupPct(c.ItemHitRate, c.ItemHits+c.ItemMisses),
		QueryHitRate: reports.LookupPct(c.QueryHitRate, c.QueryHits+c.QueryMisses),
		Hits:         reports.Commas(c.Hits),
		Misses:       reports.Commas(c.Misses),
		Stale:        reports.Commas(c.StaleReads),
		Throttled:    reports.Commas(c.Throttled),
		SavedRCU:     reports.Sig3(c.SavedRCU, 3),
		HitP50:       reports.DurationMs(c.HitLatencyMs.P50),
		HitP99:       reports.DurationMs(c.HitLatencyMs.P99),
		MissP50:      reports.DurationMs(c.MissLatencyMs.P50),
		MissP99:      reports.DurationMs(c.MissLatencyMs.P99),
	}
	for _, cl := range c.Clusters {
		hc.Clusters = append(hc.Clusters, htmlCluster{
			Name: reports.SafeName(cl.Name), NodeType: cl.NodeType, Nodes: reports.Commas(int64(cl.Nodes)),
			Tables: strings.Join(cl.Tables, ", "), Capacity: reports.Sig3(cl.CapacityPerS, 3),
			PeakLoad: reports.Sig3(cl.PeakLoadPerS, 3), PeakUtilization: reports.Pct(cl.PeakUtilization),
			HitRate: reports.LookupPct(cl.HitRate, cl.Hits+cl.Misses),
		})
	}
	return hc
}

// newHTMLReplication formats the global tables' section as WriteSummary
// does.
func newHTMLReplication(g *reports.ReplicationResult) *htmlReplication {
	h := &htmlReplication{
		LagP50: reports.DurationMs(g.LagMs.P50), LagP99: reports.DurationMs(g.LagMs.P99), LagMax: reports.DurationMs(g.LagMs.Max),
		Writes: reports.Commas(g.ReplicatedWrites), Conflicts: reports.Commas(g.Conflicts), Overwritten: reports.Commas(g.OverwrittenUpdates),
		Reads: reports.Commas(g.Reads), StaleReads: reports.Commas(g.StaleReads), StaleRatio: reports.LookupPct(g.StaleReadRatio, g.Reads),
		Unreplicated: reports.Commas(g.UnreplicatedAtOutage), AvailabilityMin: reports.AvailabilityPct(g.AvailabilityMin),
		Intervals: reports.Commas(int64(len(g.Availability))),
	}
	below := 0
	for _, a := range g.Availability {
		if a.Ratio < globalSLA {
			below++
		}
	}
	h.BelowSLA = reports.Commas(int64(below))
	return h
}

// globalSLA is the availability a global table's SLA promises, 99.999%
// (REFERENCE: global).
const globalSLA = 0.99999

// limitWhy says in a few words why a throttle with limit l happened; the
// sentence WriteExplain makes gives the numbers.
func limitWhy(l model.Limit) string {
	switch l {
	case model.LimitDAX:
		return "the DAX cluster was over its normalized request capacity"
	case model.LimitCeiling:
		return "the partition hit its ceiling of 3,000 RCU or 1,000 WCU a second"
	case model.LimitShare:
		return "the partition spent its share of the table's capacity and its burst credit"
	case model.LimitTable:
		return "the table's capacity was all in use and the partition's burst credit was spent"
	case model.LimitOnDemand:
		return "traffic outgrew what the on-demand table absorbs at once"
	case model.LimitQuota:
		return "the table reached its throughput quota"
	case model.LimitMaxThroughput:
		return "the table reached its on-demand maximum"
	}
	return "the request was throttled"
}

// svgProlog matches what precedes the <svg> element in a standalone SVG
// file (XML declaration, doctype, comments), which has no place inside
// HTML.
var svgProlog = regexp.MustCompile(`^(?s:\s*(<\?xml.*?\?>|<!DOCTYPE[^>]*>|<!--.*?-->)\s*)*`)

// svgNamespaces are the namespace declarations of a standalone SVG: inside
// HTML the parser puts <svg> in the SVG namespace (and xlink:href in the
// XLink one) itself, and leaving them out keeps the page free of URLs.
var svgNamespaces = regexp.MustCompile(`\s+xmlns(:xlink)?="http://www\.w3\.org/[^"]*"`)

// inlineSVG turns a standalone SVG document into an element to embed in
// HTML: prolog and namespace declarations dropped, labelled for screen
// readers. It refuses anything but a single <svg> element, and scripts.
func inlineSVG(svg []byte, label string) (template.HTML, error) {
	s := svgProlog.ReplaceAllString(string(svg), "")
	s = strings.TrimSpace(s)
	if !strings.HasPrefix(s, "<svg") || !strings.HasSuffix(s, "</svg>") {
		return "", fmt.Errorf("not an SVG document")
	}
	if strings.Contains(strings.ToLower(s), "<script") {
		return "", fmt.Errorf("an SVG with a script")
	}
	start := strings.IndexByte(s, '>')
	tag := svgNamespaces.ReplaceAllString(s[:start], "")
	tag += ` role="img" aria-label="` + template.HTMLEscapeString(label) + `"`
	body := svgImage.ReplaceAllStringFunc(s[start:], func(img string) string {
		if strings.Contains(img, "preserveAspectRatio") {
			return img
		}
		return `<image preserveAspectRatio="none"` + img[len("<image"):]
	})
	return template.HTML(tag + body), nil
}

// svgImage matches the start of an <image> element. A raster image (the
// heat map's cells, one pixel each) must fill the rectangle the plot gives
// it: with SVG's default aspect ratio a 600 x 1 image of one partition
// shrinks to a hairline in a browser.
var svgImage = regexp.MustCompile(`<image\b[^>]*`)

// htmlPlots renders r's plots (Plots) as inline SVG figures, each with
// the id "plot-" and its name. A result without a series (one read back
// from JSON) has none.
func htmlPlots(r *reports.Result) ([]htmlPlot, error) {
	if r.Series == nil {
		return nil, nil
	}
	plots, err := plot.Figures(r)
	if err != nil {
		return nil, err
	}
	var out []htmlPlot
	for i := range plots {
		p := &plots[i]
		svg, err := p.Render("svg")
		if err != nil {
			return nil, fmt.Errorf("report.html: plot %s: %w", p.Name, err)
		}
		el, err := inlineSVG(svg, p.Title)
		if err != nil {
			return nil, fmt.Errorf("report.html: plot %s: %w", p.Name, err)
		}
		hp := htmlPlot{ID: "plot-" + p.Name, Title: p.Title, Caption: p.Caption, SVG: el}
		if p.Chart != nil {
			// json.Marshal escapes <, > and &, so the data cannot
			// close its <script> element.
			js, err := p.Chart.JSON()
			if err != nil {
				return nil, fmt.Errorf("report.html: plot %s: %w", p.Name, err)
			}
			hp.Chart = template.JS(js)
		}
		out = append(out, hp)
	}
	return out, nil
}

// warnHeadline is the headline of a run that passed its n thresholds (or
// had none) but breached a guard: a warning that names the damage.
func warnHeadline(n int, warnings []reports.Warning) string {
	msgs := make([]string, len(warnings))
	for i, w := range warnings {
		msgs[i] = w.Message
	}
	head := "Warning: the run "
	switch n {
	case 0:
	case 1:
		head = "The threshold passed, but the run "
	default:
		head = fmt.Sprintf("All %d thresholds passed, but the run ", n)
	}
	return head + strings.Join(msgs, "; ")
}
