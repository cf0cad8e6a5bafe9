package cloudwatch

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// summary is a series in one line: who, what, period, points and gaps.
func summary(s Series) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s/%s/%s %s %s:", s.Table, s.Index, s.Metric, s.Stat, s.Period)
	for _, p := range s.Points {
		fmt.Fprintf(&b, " %s=%v", p.At.Format("15:04"), p.Value)
	}
	for _, g := range s.Gaps {
		fmt.Fprintf(&b, " gap[%s,%s)", g.From.Format("15:04"), g.To.Format("15:04"))
	}
	return b.String()
}

func readTestdata(t *testing.T, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func TestReadTestdata(t *testing.T) {
	queries, err := ReadQueries("metric-data-queries.json", readTestdata(t, "metric-data-queries.json"))
	if err != nil {
		t.Fatal(err)
	}
	window, err := ReadQueries("cli-input.json", readTestdata(t, "cli-input.json"))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		file     string
		queries  *Queries
		series   []string
		warnings int
	}{
		{file: "metric-data-labels.json", series: []string{
			"orders//ConsumedWriteCapacityUnits Sum 1m0s: 00:00=420 00:01=480 00:03=540 00:04=600 gap[00:02,00:03)",
			"orders/by-status/ConsumedReadCapacityUnits Sum 1m0s: 00:00=30.5 00:01=60",
			"orders//WriteThrottleEvents Sum 1m0s:",
		}},
		// Labels alone: the bare metric names carry no table.
		{file: "metric-data.json", warnings: 2, series: []string{
			"//ConsumedWriteCapacityUnits Sum 5m0s: 00:00=1500 00:05=1500 00:10=3000",
			"//ProvisionedWriteCapacityUnits Average 5m0s: 00:00=10 00:05=10",
		}},
		// The queries name them by Id.
		{file: "metric-data.json", queries: queries, warnings: 2, series: []string{
			"orders//ConsumedWriteCapacityUnits Sum 5m0s: 00:00=1500 00:05=1500 00:10=3000",
			"orders/by-status/ProvisionedWriteCapacityUnits Average 5m0s: 00:00=10 00:05=10",
		}},
		// A --cli-input-json file: its window adds the gaps before the
		// first point and after the last.
		{file: "metric-data.json", queries: window, warnings: 2, series: []string{
			"orders//ConsumedWriteCapacityUnits Sum 5m0s: 00:00=1500 00:05=1500 00:10=3000 gap[23:50,00:00) gap[00:15,00:30)",
			"orders//ProvisionedWriteCapacityUnits Maximum 5m0s: 00:00=10 00:05=10 gap[23:50,00:00) gap[00:10,00:30)",
		}},
		// Timestamps in three spellings of UTC, out of order.
		{file: "metric-statistics.json", series: []string{
			"//ConsumedReadCapacityUnits Sum 2m0s: 00:00=60 00:02=120 00:06=240 gap[00:04,00:06)",
		}},
		{file: "metric-statistics-provisioned.json", series: []string{
			"//ProvisionedReadCapacityUnits Average 1m0s: 00:00=25",
		}},
	} {
		t.Run(tc.file, func(t *testing.T) {
			h, err := ReadWith(tc.file, readTestdata(t, tc.file), tc.queries)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, s := range h.Series {
				got = append(got, summary(s))
			}
			if strings.Join(got, "\n") != strings.Join(tc.series, "\n") {
				t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tc.series, "\n"))
			}
			if len(h.Warnings) != tc.warnings {
				t.Errorf("got warnings %q, want %d", h.Warnings, tc.warnings)
			}
		})
	}
}

func TestDetect(t *testing.T) {
	for file, want := range map[string]Kind{
		"metric-data.json":                   MetricData,
		"metric-data-labels.json":            MetricData,
		"metric-data-queries.json":           MetricQueries,
		"cli-input.json":                     MetricQueries,
		"metric-statistics.json":             MetricStatistics,
		"metric-statistics-provisioned.json": MetricStatistics,
		"insight-rule-report.json":           InsightRuleReport,
	} {
		if got := Detect(readTestdata(t, file)); got != want {
			t.Errorf("%s: got %v, want %v", file, got, want)
		}
	}
	for _, s := range []string{``, `{}`, `[]`, `{"Table":{}}`, `not json`} {
		if got := Detect([]byte(s)); got != Unknown {
			t.Errorf("%q: got %v, want unknown", s, got)
		}
	}
}

func TestPerSecond(t *testing.T) {
	h, err := Read("f", readTestdata(t, "metric-data-labels.json"))
	if err != nil {
		t.Fatal(err)
	}
	// 420 write units in a minute is 7 a second.
	if got := h.Series[0].PerSecond()[0].Value; got != 7 {
		t.Errorf("got %v units/s, want 7", got)
	}
	if got := h.Series[0].Missing(); got != 1 {
		t.Errorf("got %d missing periods, want 1", got)
	}
	p, err := Read("f", readTestdata(t, "metric-statistics-provisioned.json"))
	if err != nil {
		t.Fatal(err)
	}
	// A level is already a rate.
	if got := p.Series[0].PerSecond()[0].Value; got != 25 {
		t.Errorf("got %v units/s, want 25", got)
	}
}

func TestReadInsights(t *testing.T) {
	h, err := ReadInsights("r.json", readTestdata(t, "insight-rule-report.json"))
	if err != nil {
		t.Fatal(err)
	}
	got := fmt.Sprintf("%v %s %v %d", h.KeyLabels, h.Statistic, h.Total, h.Unique)
	for _, k := range h.Keys {
		got += fmt.Sprintf(" %v=%v(%v)", k.Keys, k.Value, k.Share)
	}
	want := "[PartitionKey] Sum 10000 5000 [customer#4]=2000(0.2) [customer#17]=500(0.05)"
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	if s := h.TopShare(); s != 0.25 {
		t.Errorf("top share %v, want 0.25", s)
	}
}

func TestSeriesFinish(t *testing.T) {
	at := func(m int) time.Time { return time.Date(2026, 3, 1, 0, m, 0, 0, time.UTC) }
	s := Series{Points: []Point{{at(0), 1}, {at(10), 2}, {at(5), 3}, {at(5), 3}}}
	if err := s.finish(0); err != nil {
		t.Fatal(err)
	}
	if s.Period != 5*time.Minute || len(s.Points) != 3 || len(s.Gaps) != 0 {
		t.Errorf("got %s", summary(s))
	}
}

func TestWithinEmptySeriesIsOneGap(t *testing.T) {
	h, err := Read("f", readTestdata(t, "metric-data-labels.json"))
	if err != nil {
		t.Fatal(err)
	}
	start := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	h.Within(start, start.Add(time.Hour))
	got := []string{summary(h.Series[0]), summary(h.Series[2])}
	want := []string{
		"orders//ConsumedWriteCapacityUnits Sum 1m0s: 00:00=420 00:01=480 00:03=540 00:04=600 gap[00:02,00:03) gap[00:05,01:00)",
		"orders//WriteThrottleEvents Sum 1m0s: gap[00:00,01:00)",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if n := h.Series[2].Missing(); n != 60 {
		t.Errorf("got %d missing minutes, want 60", n)
	}
}
