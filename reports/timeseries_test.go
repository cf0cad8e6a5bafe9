package reports_test

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/HdrHistogram/hdrhistogram-go"

	"github.com/ddbsim/ddbsim/model"
	"github.com/ddbsim/ddbsim/model/billing"
	"github.com/ddbsim/ddbsim/model/units"
	"github.com/ddbsim/ddbsim/reports"
	"github.com/ddbsim/ddbsim/reports/internal/fixture"
	"github.com/ddbsim/ddbsim/sim"
)

// The HdrHistogram log reads back with hdrhistogram-go's own reader to the
// same percentiles, second by second and over the run.
func TestHistogramLogReadsBack(t *testing.T) {
	r := fixture.Synthetic()
	var buf bytes.Buffer
	if err := reports.WriteHistogramLog(&buf, r); err != nil {
		t.Fatal(err)
	}
	rd := hdrhistogram.NewHistogramLogReader(&buf)
	all := reports.NewIntervalHistogram()
	n := 0
	for {
		h, err := rd.NextIntervalHistogram()
		if errors.Is(err, io.EOF) || h == nil && err == nil {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		iv := r.Series.Intervals[n]
		if h.StartTimeMs() != int64(iv.Second)*1000 {
			t.Errorf("interval %d starts at %d ms, want %d", n, h.StartTimeMs(), iv.Second*1000)
		}
		if got, want := min(sim.Time(h.ValueAtQuantile(50))*sim.Microsecond, sim.Hour), r.Series.LatencyP50[iv.Second]; !within1(got, want) {
			t.Errorf("second %d: p50 %v from the log, %v in the series", iv.Second, got, want)
		}
		all.Merge(h)
		n++
	}
	if n == 0 || n != len(r.Series.Intervals) {
		t.Fatalf("read %d intervals, wrote %d", n, len(r.Series.Intervals))
	}
	if all.TotalCount() != r.Requests.Total {
		t.Errorf("the log holds %d requests, the run %d", all.TotalCount(), r.Requests.Total)
	}
	// The log's histograms have two significant figures: 1%.
	if got := float64(all.ValueAtQuantile(99)) / 1000; got < r.LatencyMs.P99*0.98 || got > r.LatencyMs.P99*1.02 {
		t.Errorf("p99 %v ms from the log, %v in the result", got, r.LatencyMs.P99)
	}
}

func within1(a, b sim.Time) bool {
	d := float64(a - b)
	return d <= 0.011*float64(b) && d >= -0.011*float64(b)
}

// The CSV's header and first rows are pinned by a golden file.
func TestTimeseriesCSVGolden(t *testing.T) {
	r := fixture.Synthetic()
	var buf bytes.Buffer
	if err := reports.WriteTimeseriesCSV(&buf, r); err != nil {
		t.Fatal(err)
	}
	lines := strings.SplitAfter(buf.String(), "\n")
	golden(t, "timeseries.csv.golden", []byte(strings.Join(lines[:min(len(lines), 7)], "")))
	if want := 1 + r.Series.Len()*len(r.Series.Tables); len(lines)-1 != want {
		t.Errorf("%d rows, want %d (one per second per table, and the header)", len(lines)-1, want)
	}
}

// TestSeriesEndsWithTheRun: the sample at the run's end opens no row of
// its own past the duration; a response that finishes after the end (the
// run lets requests in flight finish, and the totals count them) is in a
// row that holds the last sample's capacity and the cost at the end, not
// zeros, and the rows add up to the totals.
func TestSeriesEndsWithTheRun(t *testing.T) {
	run := func(drain bool) *reports.Result {
		c := reports.NewCollector([]reports.TableInfo{{Name: "a", Mode: "provisioned", ReadCapacity: 100, WriteCapacity: 100}})
		end := 3 * sim.Second
		c.Reserve(end)
		c.SetPricing([]billing.PriceBook{{RCUHour: 1e-3}}, false)
		for now := sim.Time(0); now < end; now += sim.Second {
			c.Consumed(now, 0, 0, units.Unit, 0)
			c.FinishN(model.Outcome{Op: units.OpGet, Start: now, End: now + sim.Millisecond}, 1)
			c.Sample(now+sim.Second, 0, &model.TableState{Partitions: 1, ReadCapacity: 100 * units.Unit, WriteCapacity: 100 * units.Unit,
				Bill: billing.Meter{RCUHours: 100 * (now + sim.Second).Seconds() / 3600}})
		}
		if drain { // issued in the last second, answered after the end
			c.FinishN(model.Outcome{Op: units.OpGet, Start: end - sim.Millisecond, End: end + 2*sim.Millisecond}, 1)
		}
		return c.Result(reports.Meta{Scenario: "end", Duration: end})
	}
	if n := run(false).Series.Len(); n != 3 {
		t.Errorf("%d rows for a run of 3s with nothing in flight at its end, want 3", n)
	}
	r := run(true)
	s := r.Series
	if s.Len() != 4 {
		t.Fatalf("%d rows, want 3 and one for the response after the end", s.Len())
	}
	var succeeded int64
	for _, n := range s.Tables[0].Succeeded {
		succeeded += n
	}
	if succeeded != r.Requests.Succeeded || succeeded != 4 {
		t.Errorf("rows add up to %d succeeded, the totals say %d; want 4", succeeded, r.Requests.Succeeded)
	}
	if got := s.Tables[0].ReadCapacity[3]; got != 100*units.Unit {
		t.Errorf("the row after the end has capacity %v, want the last sample's 100", got)
	}
	var atEnd, after float64
	for _, item := range s.CostByItem {
		atEnd += item[2]
		after += item[3]
	}
	if atEnd == 0 || after != atEnd {
		t.Errorf("cost $%v in the row after the end, want the cost at the end, $%v", after, atEnd)
	}
}
