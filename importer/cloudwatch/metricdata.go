package cloudwatch

import (
	"fmt"
	"strings"
	"time"
)

// Kind is which AWS output a file is, told by its content.
type Kind int

const (
	Unknown           Kind = iota
	MetricData             // get-metric-data output: an object with MetricDataResults
	MetricStatistics       // get-metric-statistics output: an object with Datapoints
	MetricQueries          // the --metric-data-queries JSON: an array of queries with Id and MetricStat, or an object with MetricDataQueries
	InsightRuleReport      // get-insight-rule-report output: an object with Contributors or KeyLabels
)

func (k Kind) String() string {
	switch k {
	case MetricData:
		return "get-metric-data output"
	case MetricStatistics:
		return "get-metric-statistics output"
	case MetricQueries:
		return "a MetricDataQueries file"
	case InsightRuleReport:
		return "get-insight-rule-report output"
	}
	return "unknown"
}

// expectedKinds is what a file of none of the kinds should have been.
const expectedKinds = "get-metric-data output (an object with MetricDataResults), " +
	"get-metric-statistics output (an object with Label and Datapoints), " +
	"a MetricDataQueries file (an array of queries with Id and MetricStat), " +
	"or get-insight-rule-report output (an object with Contributors)"

// Detect tells which kind of CloudWatch file data is by the fields it
// holds at its top level; Unknown if it is none, or not JSON.
func Detect(data []byte) Kind {
	v, err := decode("", data, "")
	if err != nil {
		return Unknown
	}
	return detect(v)
}

func detect(v any) Kind {
	n := node{v: v}
	switch {
	case n.has("MetricDataResults"):
		return MetricData
	case n.has("Datapoints"):
		return MetricStatistics
	case n.has("Contributors"), n.has("KeyLabels"):
		return InsightRuleReport
	case n.has("MetricDataQueries"):
		return MetricQueries
	}
	if a, ok := v.([]any); ok && len(a) > 0 {
		q := node{v: a[0]}
		if q.has("Id") && (q.has("MetricStat") || q.has("Expression")) {
			return MetricQueries
		}
	}
	return Unknown
}

// Read reads get-metric-data or get-metric-statistics output into series.
// get-metric-data results do not carry their metric's name or dimensions,
// so each result's Label must name them (see the package documentation);
// ReadWith names them from the queries instead.
func Read(name string, data []byte) (*History, error) {
	return ReadWith(name, data, nil)
}

// ReadWith is Read with the queries the results were asked with, which
// name each result by its Id; a result whose Id no query has falls back
// to its Label.
// The queries' StartTime and EndTime, if they have them, bound every
// series (History.Within).
func ReadWith(name string, data []byte, queries *Queries) (*History, error) {
	v, err := decode(name, data, "CloudWatch metrics")
	if err != nil {
		return nil, err
	}
	root := node{file: name, path: "$", v: v}
	switch detect(v) {
	case MetricData:
		h, err := readMetricData(root, queries)
		if err == nil && queries != nil {
			h.Within(queries.Start, queries.End)
		}
		return h, err
	case MetricStatistics:
		return readStatistics(root)
	case MetricQueries:
		return nil, &Error{File: name, Path: "$", Msg: "expected get-metric-data or get-metric-statistics output, got a MetricDataQueries file: it names series but holds none; give it beside the get-metric-data output it asked for"}
	case InsightRuleReport:
		return nil, &Error{File: name, Path: "$", Msg: "expected get-metric-data or get-metric-statistics output, got get-insight-rule-report output: read it with ReadInsights"}
	}
	return nil, root.fail(expectedKinds)
}

// seriesKey is what makes two results one series: pages of one query, or
// one query asked twice.
type seriesKey struct{ table, index, metric string }

// collector gathers points into series by key, remembering where each
// series was first seen so an error can point at it.
type collector struct {
	hist   History
	byKey  map[seriesKey]int
	where  []string        // path of each series' first result
	period []time.Duration // the period a query gave, or 0
}

func (c *collector) series(k seriesKey, stat string, period time.Duration, path string) *Series {
	if i, ok := c.byKey[k]; ok {
		return &c.hist.Series[i]
	}
	if c.byKey == nil {
		c.byKey = map[seriesKey]int{}
	}
	c.byKey[k] = len(c.hist.Series)
	c.hist.Series = append(c.hist.Series, Series{Table: k.table, Index: k.index, Metric: k.metric, Stat: stat})
	c.where = append(c.where, path)
	c.period = append(c.period, period)
	return &c.hist.Series[len(c.hist.Series)-1]
}

func (c *collector) finish(file string) (*History, error) {
	for i := range c.hist.Series {
		if err := c.hist.Series[i].finish(c.period[i]); err != nil {
			return nil, &Error{File: file, Path: c.where[i], Msg: err.Error()}
		}
	}
	return &c.hist, nil
}

// labelFormat is the Label convention that names a get-metric-data result.
const labelFormat = `METRIC:TABLE or METRIC:TABLE:index:INDEX`

// parseLabel reads METRIC, METRIC:TABLE or METRIC:TABLE:index:INDEX. Table
// and index names cannot hold a colon (they are [a-zA-Z0-9_.-]), so the
// colon separates unambiguously.
func parseLabel(label string) (seriesKey, bool) {
	parts := strings.Split(label, ":")
	var k seriesKey
	switch {
	case len(parts) == 1:
		k = seriesKey{metric: parts[0]}
	case len(parts) == 2 && parts[1] != "":
		k = seriesKey{metric: parts[0], table: parts[1]}
	case len(parts) == 4 && parts[1] != "" && parts[2] == "index" && parts[3] != "":
		k = seriesKey{metric: parts[0], table: parts[1], index: parts[3]}
	default:
		return k, false
	}
	_, known := Metrics[k.metric]
	return k, known
}

func readMetricData(root node, queries *Queries) (*History, error) {
	results, err := root.field("MetricDataResults").array("an array of results", false)
	if err != nil {
		return nil, err
	}
	var c collector
	for _, r := range results {
		if err := r.object("a result with Id, Label, Timestamps and Values"); err != nil {
			return nil, err
		}
		id, err := r.field("Id").str("the query's Id, a string")
		if err != nil {
			return nil, err
		}
		key, stat, period := seriesKey{}, "", time.Duration(0)
		if q, ok := queries.lookup(id); ok {
			key, stat, period = seriesKey{q.Table, q.Index, q.Metric}, q.Stat, q.Period
		} else {
			ln := r.field("Label")
			label, _ := ln.v.(string)
			k, ok := parseLabel(label)
			if !ok {
				return nil, ln.fail(fmt.Sprintf("a label %s with METRIC one of %s, or a MetricDataQueries file with a query of Id %q", labelFormat, metricNames(), id))
			}
			key, stat = k, Metrics[k.metric]
		}
		switch code, _ := r.field("StatusCode").v.(string); code {
		case "", "Complete":
		case "PartialData":
			c.hist.Warnings = append(c.hist.Warnings, fmt.Sprintf("%s: result %q is PartialData: CloudWatch had more points than it returned; ask again with NextToken", r.path, id))
		default:
			return nil, r.field("StatusCode").fail(`"Complete" or "PartialData"`)
		}
		if err := messages(r.field("Messages"), &c.hist.Warnings); err != nil {
			return nil, err
		}
		stamps, err := r.field("Timestamps").array("an array of timestamps", false)
		if err != nil {
			return nil, err
		}
		values, err := r.field("Values").array("an array of numbers", false)
		if err != nil {
			return nil, err
		}
		if len(values) != len(stamps) {
			return nil, r.field("Values").fail(fmt.Sprintf("%d values, one per timestamp", len(stamps)))
		}
		s := c.series(key, stat, period, r.path)
		s.Points = append(s.Points, make([]Point, 0, len(stamps))...)
		for i := range stamps {
			at, err := stamps[i].timestamp()
			if err != nil {
				return nil, err
			}
			v, err := values[i].number("a number")
			if err != nil {
				return nil, err
			}
			s.Points = append(s.Points, Point{At: at, Value: v})
		}
	}
	if err := messages(root.field("Messages"), &c.hist.Warnings); err != nil {
		return nil, err
	}
	return c.finish(root.file)
}

// messages appends each {Code, Value} message to warnings.
func messages(n node, warnings *[]string) error {
	ms, err := n.array("an array of messages with Code and Value", true)
	if err != nil {
		return err
	}
	for _, m := range ms {
		code, _ := m.field("Code").v.(string)
		value, _ := m.field("Value").v.(string)
		*warnings = append(*warnings, fmt.Sprintf("%s: CloudWatch says %s: %s", m.path, code, value))
	}
	return nil
}

func readStatistics(root node) (*History, error) {
	ln := root.field("Label")
	label, _ := ln.v.(string)
	key, ok := parseLabel(label)
	if !ok {
		return nil, ln.fail(fmt.Sprintf("the metric's name, one of %s (or %s)", metricNames(), labelFormat))
	}
	stat := Metrics[key.metric]
	points, err := root.field("Datapoints").array("an array of datapoints", false)
	if err != nil {
		return nil, err
	}
	var c collector
	s := c.series(key, stat, 0, "$.Datapoints")
	s.Points = make([]Point, 0, len(points))
	for _, p := range points {
		if err := p.object("a datapoint with Timestamp and " + stat); err != nil {
			return nil, err
		}
		at, err := p.field("Timestamp").timestamp()
		if err != nil {
			return nil, err
		}
		v, err := p.field(stat).number(fmt.Sprintf("a number (%s is read as its %s per period: ask with --statistics %s)", key.metric, stat, stat))
		if err != nil {
			return nil, err
		}
		s.Points = append(s.Points, Point{At: at, Value: v})
	}
	return c.finish(root.file)
}
