package cloudwatch

import (
	"encoding/json"
	"math"
	"strconv"
	"time"
)

// Shape describes one synthetic series for SyntheticMetricData: a rate in
// units per second that is Mean plus Amplitude times a daily sine peaking
// at PeakHour (UTC), written as each period's Sum. Amplitude 0 is a
// constant. Gaps are the point indexes (in time order) left out.
type Shape struct {
	Label     string // METRIC:TABLE[:index:INDEX], as the package documents
	Mean      float64
	Amplitude float64
	PeakHour  float64
	Gaps      [][2]int // [from, to) point indexes to leave out
}

// Rate is the shape's units per second at t.
func (s Shape) Rate(t time.Time) float64 {
	hours := float64(t.Sub(t.Truncate(24*time.Hour))) / float64(time.Hour)
	return s.Mean + s.Amplitude*math.Cos(2*math.Pi*(hours-s.PeakHour)/24)
}

// SyntheticMetricData writes get-metric-data output, as the AWS CLI prints
// it (newest first, "+00:00" offsets), for n periods from start: one
// result per shape, each point the shape's rate at the period's start
// times the period's seconds. A 30-day minute history is n = 43200. It is
// for tests and examples: a month of history without an AWS account.
func SyntheticMetricData(start time.Time, period time.Duration, n int, shapes ...Shape) []byte {
	type result struct {
		Id         string
		Label      string
		Timestamps []string
		Values     []float64
		StatusCode string
	}
	out := struct {
		MetricDataResults []result
		Messages          []any
	}{Messages: []any{}}
	for i, s := range shapes {
		r := result{Id: "m" + strconv.Itoa(i), Label: s.Label, StatusCode: "Complete",
			Timestamps: make([]string, 0, n), Values: make([]float64, 0, n)}
		skip := make([]bool, n)
		for _, g := range s.Gaps {
			for j := max(g[0], 0); j < min(g[1], n); j++ {
				skip[j] = true
			}
		}
		for j := n - 1; j >= 0; j-- {
			if skip[j] {
				continue
			}
			at := start.Add(time.Duration(j) * period).UTC()
			r.Timestamps = append(r.Timestamps, at.Format("2006-01-02T15:04:05-07:00"))
			r.Values = append(r.Values, s.Rate(at)*period.Seconds())
		}
		out.MetricDataResults = append(out.MetricDataResults, r)
	}
	data, err := json.MarshalIndent(out, "", "    ")
	if err != nil {
		panic("cloudwatch: " + err.Error()) // only finite floats and strings: cannot fail
	}
	return data
}
