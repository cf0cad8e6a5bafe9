package cloudwatch

import (
	"fmt"
	"time"
)

// Query is what one MetricDataQuery asked for: the metric, its table and
// index, the statistic and the period.
type Query struct {
	Metric string
	Table  string
	Index  string // "" for the table itself
	Stat   string
	Period time.Duration
}

// Queries are the queries of a --metric-data-queries file, by Id, and the
// window they asked for when the file is a --cli-input-json one that says
// (StartTime, EndTime; zero otherwise).
type Queries struct {
	ByID       map[string]Query
	Start, End time.Time
}

// ReadQueries reads the JSON given to get-metric-data --metric-data-queries
// (an array of MetricDataQuery), or a --cli-input-json file holding it
// under MetricDataQueries. Only MetricStat queries of AWS/DynamoDB
// metrics are kept; an Expression query names no table and is skipped.
func ReadQueries(name string, data []byte) (*Queries, error) {
	v, err := decode(name, data, "a MetricDataQueries file")
	if err != nil {
		return nil, err
	}
	root := node{file: name, path: "$", v: v}
	if a, isArray := v.([]any); detect(v) != MetricQueries && !(isArray && len(a) == 0) {
		return nil, root.fail("a MetricDataQueries file: an array of queries with Id and MetricStat, or an object with MetricDataQueries")
	}
	list := root
	if root.has("MetricDataQueries") {
		list = root.field("MetricDataQueries")
	}
	items, err := list.array("an array of queries", false)
	if err != nil {
		return nil, err
	}
	qs := &Queries{ByID: map[string]Query{}}
	for _, w := range []struct {
		field string
		at    *time.Time
	}{{"StartTime", &qs.Start}, {"EndTime", &qs.End}} {
		if n := root.field(w.field); root.has(w.field) {
			if *w.at, err = n.timestamp(); err != nil {
				return nil, err
			}
		}
	}
	if !qs.Start.IsZero() && !qs.End.IsZero() && !qs.Start.Before(qs.End) {
		return nil, root.field("EndTime").fail("a time after StartTime")
	}
	for _, it := range items {
		if err := it.object("a query with Id and MetricStat"); err != nil {
			return nil, err
		}
		id, err := it.field("Id").str("the query's Id, a string")
		if err != nil {
			return nil, err
		}
		if _, dup := qs.ByID[id]; dup {
			return nil, it.field("Id").fail("an Id no other query has")
		}
		ms := it.field("MetricStat")
		if ms.absent() && it.has("Expression") {
			continue
		}
		q, err := readMetricStat(ms)
		if err != nil {
			return nil, err
		}
		qs.ByID[id] = q
	}
	return qs, nil
}

func readMetricStat(ms node) (Query, error) {
	var q Query
	if err := ms.object("a MetricStat with Metric, Period and Stat"); err != nil {
		return q, err
	}
	m := ms.field("Metric")
	if err := m.object("a Metric with Namespace, MetricName and Dimensions"); err != nil {
		return q, err
	}
	if ns, _ := m.field("Namespace").v.(string); ns != "AWS/DynamoDB" {
		return q, m.field("Namespace").fail(`"AWS/DynamoDB"`)
	}
	metric, _ := m.field("MetricName").v.(string)
	want, ok := Metrics[metric]
	if !ok {
		return q, m.field("MetricName").fail("one of " + metricNames())
	}
	q.Metric = metric
	dims, err := m.field("Dimensions").array("an array of dimensions with Name and Value", false)
	if err != nil {
		return q, err
	}
	for _, d := range dims {
		if err := d.object("a dimension with Name and Value"); err != nil {
			return q, err
		}
		dn, err := d.field("Name").str(`a dimension name, "TableName" or "GlobalSecondaryIndexName"`)
		if err != nil {
			return q, err
		}
		value, err := d.field("Value").str("the dimension's value, a string")
		if err != nil {
			return q, err
		}
		switch dn {
		case "TableName":
			q.Table = value
		case "GlobalSecondaryIndexName":
			q.Index = value
		default:
			return q, d.field("Name").fail(`"TableName" or "GlobalSecondaryIndexName"`)
		}
	}
	if q.Table == "" {
		return q, ms.field("Metric").field("Dimensions").fail("a TableName dimension")
	}
	period, err := ms.field("Period").number("the period in seconds, a positive whole number")
	if err != nil {
		return q, err
	}
	if period <= 0 || period != float64(int64(period)) || period > 366*86400 {
		return q, ms.field("Period").fail("the period in seconds, a positive whole number")
	}
	q.Period = time.Duration(period) * time.Second
	stat, _ := ms.field("Stat").v.(string)
	if !statFits(want, stat) {
		return q, ms.field("Stat").fail(fmt.Sprintf("%q for %s (%s)", want, metric, statWhy(want)))
	}
	q.Stat = stat
	return q, nil
}

// statFits is whether stat reads a metric whose per-period meaning is
// want: a level may be its average, maximum or minimum within the period,
// but an amount must be the Sum, or it is not per period at all.
func statFits(want, stat string) bool {
	if want == "Average" {
		return stat == "Average" || stat == "Maximum" || stat == "Minimum"
	}
	return stat == want
}

func statWhy(want string) string {
	if want == "Sum" {
		return "the units or events in each period"
	}
	return "the level during each period"
}

func (qs *Queries) lookup(id string) (Query, bool) {
	if qs == nil {
		return Query{}, false
	}
	q, ok := qs.ByID[id]
	return q, ok
}
