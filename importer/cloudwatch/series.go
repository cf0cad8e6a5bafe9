package cloudwatch

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"
)

// History is every series read from one file, in the order the file gives
// them.
type History struct {
	Series []Series
	// Warnings are things the file says that do not stop the read: a
	// result CloudWatch marked PartialData, a message beside the results.
	Warnings []string
}

// Series is one metric of one table or index, one point per period, in
// time order. A period CloudWatch returned no point for is a Gap, never a
// point of zero: DynamoDB publishes no datapoint for a minute without
// traffic, but a missing minute may as well be a lost one, and the reader
// cannot tell which.
type Series struct {
	Table  string // "" when the file does not say (get-metric-statistics)
	Index  string // a global secondary index, or "" for the table itself
	Metric string // one of Metrics
	// Stat is the statistic each point is: "Sum" for consumed units and
	// throttle events, "Average" for provisioned units.
	Stat   string
	Period time.Duration
	Points []Point
	Gaps   []Gap
}

// Point is one period's value, stamped with the period's start.
type Point struct {
	At    time.Time
	Value float64
}

// Gap is a run of periods with no point: [From, To), From the first
// missing period's start and To the start of the next point.
type Gap struct {
	From, To time.Time
}

// Metrics are the DynamoDB metrics a series may be, each with the
// statistic that makes it a per-period amount: consumed units and
// throttle events are summed over the period, provisioned units are a
// level, averaged. The same names carry a GlobalSecondaryIndexName
// dimension for an index.
var Metrics = map[string]string{
	"ConsumedReadCapacityUnits":     "Sum",
	"ConsumedWriteCapacityUnits":    "Sum",
	"ProvisionedReadCapacityUnits":  "Average",
	"ProvisionedWriteCapacityUnits": "Average",
	"ReadThrottleEvents":            "Sum",
	"WriteThrottleEvents":           "Sum",
	"ThrottledRequests":             "Sum",
}

func metricNames() string {
	return strings.Join(slices.Sorted(maps.Keys(Metrics)), ", ")
}

// PerSecond is each point as a rate: the period's Sum over the period's
// seconds (units/s for consumed units, events/s for throttles). A level
// (provisioned units, an Average) is already a rate and is returned as is.
func (s Series) PerSecond() []Point {
	out := make([]Point, len(s.Points))
	secs := s.Period.Seconds()
	for i, p := range s.Points {
		v := p.Value
		if s.Stat == "Sum" && secs > 0 {
			v /= secs
		}
		out[i] = Point{At: p.At, Value: v}
	}
	return out
}

// DefaultPeriod is the period assumed for a series with one point and no
// query to say otherwise: DynamoDB publishes its metrics every minute.
const DefaultPeriod = time.Minute

// finish sorts the points, drops exact duplicates (a page repeated by a
// paginated read), detects the period and lists the gaps. A period given
// by a query (nonzero) is used, and every step must be a whole number of
// it. Without one, the period is the smallest step between points.
func (s *Series) finish(period time.Duration) error {
	slices.SortStableFunc(s.Points, func(a, b Point) int { return a.At.Compare(b.At) })
	s.Points = slices.CompactFunc(s.Points, func(a, b Point) bool { return a == b })
	for i := 1; i < len(s.Points); i++ {
		if s.Points[i].At.Equal(s.Points[i-1].At) {
			return fmt.Errorf("expected one value per timestamp, got %v and %v at %s",
				s.Points[i-1].Value, s.Points[i].Value, s.Points[i].At.Format(time.RFC3339))
		}
	}
	if period <= 0 {
		period = DefaultPeriod
		if len(s.Points) > 1 {
			period = s.Points[1].At.Sub(s.Points[0].At)
			for i := 2; i < len(s.Points); i++ {
				period = min(period, s.Points[i].At.Sub(s.Points[i-1].At))
			}
		}
	}
	s.Period = period
	s.Gaps = nil
	for i := 1; i < len(s.Points); i++ {
		step := s.Points[i].At.Sub(s.Points[i-1].At)
		if step%period != 0 {
			return fmt.Errorf("expected points a whole number of periods (%s) apart, got %s between %s and %s",
				period, step, s.Points[i-1].At.Format(time.RFC3339), s.Points[i].At.Format(time.RFC3339))
		}
		if step > period {
			s.Gaps = append(s.Gaps, Gap{From: s.Points[i-1].At.Add(period), To: s.Points[i].At})
		}
	}
	return nil
}

// Missing is how many periods the gaps hold.
func (s Series) Missing() int {
	n := 0
	for _, g := range s.Gaps {
		n += int(g.To.Sub(g.From) / s.Period)
	}
	return n
}

// Within states as gaps the periods of [start, end) before a series' first
// point and after its last, which the points alone cannot show: a month
// asked for whose first day has no points begins with a day-long gap. A
// series with no points at all is one gap over the whole window. A zero
// start or end leaves that side as it is.
func (h *History) Within(start, end time.Time) {
	start, end = start.UTC(), end.UTC()
	for i := range h.Series {
		s := &h.Series[i]
		if len(s.Points) == 0 {
			if !start.IsZero() && !end.IsZero() && start.Before(end) {
				s.Gaps = []Gap{{From: start, To: end}}
			}
			continue
		}
		first, last := s.Points[0].At, s.Points[len(s.Points)-1].At.Add(s.Period)
		if !start.IsZero() && start.Before(first) {
			s.Gaps = append([]Gap{{From: start, To: first}}, s.Gaps...)
		}
		if !end.IsZero() && last.Before(end) {
			s.Gaps = append(s.Gaps, Gap{From: last, To: end})
		}
	}
}
