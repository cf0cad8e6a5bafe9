package reports_test

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/HdrHistogram/hdrhistogram-go"

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
