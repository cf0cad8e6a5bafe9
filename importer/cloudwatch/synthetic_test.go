package cloudwatch

import (
	"testing"
	"time"
)

// A month at one-minute resolution, as a 30-day get-metric-data read
// returns it: 30 × 24 × 60 = 43,200 points per series.
const monthOfMinutes = 30 * 24 * 60

func TestSyntheticMonthReadsBackExactly(t *testing.T) {
	start := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	shapes := []Shape{
		// Write units: 100/s on average, 60/s either side, peaking at 14:00.
		{Label: "ConsumedWriteCapacityUnits:orders", Mean: 100, Amplitude: 60, PeakHour: 14},
		// A constant 40 read units/s on an index, with an hour lost on day 3
		// and the last minute missing.
		{Label: "ConsumedReadCapacityUnits:orders:index:by-status", Mean: 40,
			Gaps: [][2]int{{3 * 1440, 3*1440 + 60}, {monthOfMinutes - 1, monthOfMinutes}}},
	}
	data := SyntheticMetricData(start, time.Minute, monthOfMinutes, shapes...)

	began := time.Now()
	h, err := Read("month.json", data)
	took := time.Since(began)
	if err != nil {
		t.Fatal(err)
	}
	// Well under a second: 86,400 points in about 8 MB of JSON.
	if took > time.Second {
		t.Errorf("reading %d bytes took %s, want well under a second", len(data), took)
	}
	t.Logf("read %d bytes, %d series, in %s", len(data), len(h.Series), took)
	if len(h.Series) != 2 {
		t.Fatalf("got %d series, want 2", len(h.Series))
	}
	for i, s := range h.Series {
		want := shapes[i]
		skip := map[int]bool{}
		for _, g := range want.Gaps {
			for j := g[0]; j < g[1]; j++ {
				skip[j] = true
			}
		}
		if s.Period != time.Minute {
			t.Errorf("%s: period %s, want 1m", want.Label, s.Period)
		}
		perSecond := s.PerSecond()
		k := 0
		for j := range monthOfMinutes {
			if skip[j] {
				continue
			}
			at := start.Add(time.Duration(j) * time.Minute)
			if k >= len(s.Points) || !s.Points[k].At.Equal(at) || s.Points[k].Value != want.Rate(at)*60 {
				t.Fatalf("%s: point %d: got %+v, want %s = %v", want.Label, k, s.Points[min(k, len(s.Points)-1)], at, want.Rate(at)*60)
			}
			// The rate comes back as the Sum over 60 s, which is the rate to
			// within a rounding (×60 then ÷60 is not always exact).
			if got := perSecond[k].Value; got != want.Rate(at)*60/60 {
				t.Fatalf("%s: point %d: %v units/s, want %v", want.Label, k, got, want.Rate(at)*60/60)
			}
			k++
		}
		if k != len(s.Points) {
			t.Errorf("%s: got %d points, want %d", want.Label, len(s.Points), k)
		}
	}
	// The hour lost on day 3 is one gap; the missing last minute is after
	// the last point and so no gap between points: the series just ends.
	gaps := h.Series[1].Gaps
	day3 := start.Add(3 * 24 * time.Hour)
	if len(gaps) != 1 || !gaps[0].From.Equal(day3) || !gaps[0].To.Equal(day3.Add(time.Hour)) {
		t.Errorf("got gaps %v, want one from %s for an hour", gaps, day3)
	}
	if len(h.Series[0].Gaps) != 0 || len(h.Series[0].Points) != monthOfMinutes {
		t.Errorf("diurnal series: %d points, %d gaps; want %d, 0", len(h.Series[0].Points), len(h.Series[0].Gaps), monthOfMinutes)
	}
}

func BenchmarkReadMonth(b *testing.B) {
	data := SyntheticMetricData(time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC), time.Minute, monthOfMinutes,
		Shape{Label: "ConsumedWriteCapacityUnits:orders", Mean: 100, Amplitude: 60, PeakHour: 14})
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := Read("month.json", data); err != nil {
			b.Fatal(err)
		}
	}
}
