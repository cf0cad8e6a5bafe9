package reports

import (
	"math/bits"

	"github.com/HdrHistogram/hdrhistogram-go"

	"github.com/ddbsim/ddbsim/sim"
)

// Histogram geometry. Latencies are recorded in whole microseconds: finer
// resolution means nothing to a client, and 1 µs .. 1 h covers everything
// from a DAX hit to a request stuck behind the longest sensible timeout.
const (
	histLowest  = 1                                  // µs
	histHighest = int64(sim.Hour / sim.Microsecond)  // µs
	histDigits  = 3                                  // whole-run: ±0.1%
	secDigits   = 2                                  // per second: ±1%, see Collector.sec
	nsPerSecond = int64(sim.Second / sim.Nanosecond) // for the exact latency sum
)

// latencyStats summarises client-observed latency: percentiles from an HDR
// histogram; the maximum and the mean exact, from the raw nanoseconds.
type latencyStats struct {
	h     *hdrhistogram.Histogram
	count int64
	// The sum is kept as seconds plus nanoseconds so that it cannot
	// overflow: int64 nanoseconds run out after 292 years of summed
	// latency, which a billion slow requests reach.
	sumSec, sumNs int64
	max           sim.Time
}

func newLatencyStats() *latencyStats {
	return &latencyStats{h: NewLatencyHistogram()}
}

func (l *latencyStats) record(lat sim.Time, us int64) {
	l.h.RecordValue(us) // cannot fail: us is clamped to the histogram's range
	l.count++
	l.sumNs += int64(lat)
	if l.sumNs >= nsPerSecond {
		l.sumSec += l.sumNs / nsPerSecond
		l.sumNs %= nsPerSecond
	}
	l.max = max(l.max, lat)
}

// recordN records n values of lat at once: record called n times. lat is
// not negative.
func (l *latencyStats) recordN(lat sim.Time, us, n int64) {
	if n == 1 {
		l.record(lat, us)
		return
	}
	l.h.RecordValues(us, n)
	l.count += n
	// lat·n may pass int64: whole seconds times n, then the rest of a
	// second times n in 128 bits, divided into seconds and nanoseconds.
	sec, ns := int64(lat)/nsPerSecond, uint64(int64(lat)%nsPerSecond)
	l.sumSec += sec * n
	hi, lo := bits.Mul64(ns, uint64(n))
	q, r := bits.Div64(hi, lo, uint64(nsPerSecond))
	l.sumSec += int64(q)
	l.sumNs += int64(r)
	if l.sumNs >= nsPerSecond {
		l.sumSec += l.sumNs / nsPerSecond
		l.sumNs %= nsPerSecond
	}
	l.max = max(l.max, lat)
}

// merge adds what o recorded to l.
func (l *latencyStats) merge(o *latencyStats) {
	l.h.Merge(o.h) // cannot drop a value: both histograms have the same range
	l.count += o.count
	l.sumSec += o.sumSec
	l.sumNs += o.sumNs
	if l.sumNs >= nsPerSecond {
		l.sumSec += l.sumNs / nsPerSecond
		l.sumNs %= nsPerSecond
	}
	l.max = max(l.max, o.max)
}

// percentile reads q (0-100) from h as virtual time. HDR reports the top of
// the value's bucket, which can exceed the largest value recorded; capping
// at the exact maximum keeps p50 <= max in every output.
func percentile(h *hdrhistogram.Histogram, q float64, exactMax sim.Time) sim.Time {
	return min(sim.Time(h.ValueAtQuantile(q))*sim.Microsecond, exactMax)
}

// micros converts a latency to whole microseconds, rounded to nearest and
// clamped to the histograms' range; the exact value is kept for max and
// mean.
func micros(lat sim.Time) int64 {
	us := int64((lat + sim.Microsecond/2) / sim.Microsecond)
	return min(us, histHighest)
}

func (l *latencyStats) latency() Latency {
	if l.count == 0 {
		return Latency{}
	}
	q := func(p float64) float64 { return millis(percentile(l.h, p, l.max)) }
	mean := (float64(l.sumSec)*float64(nsPerSecond) + float64(l.sumNs)) / float64(l.count)
	return Latency{
		P50:  q(50),
		P90:  q(90),
		P99:  q(99),
		P999: q(99.9),
		Max:  millis(l.max),
		Mean: round(mean/float64(sim.Millisecond), 3),
	}
}

// encodeHistogram is h in HdrHistogram's V2 compressed encoding, base64.
func encodeHistogram(h *hdrhistogram.Histogram) string {
	b, err := h.Encode(hdrhistogram.V2CompressedEncodingCookieBase)
	if err != nil { // only an unknown encoding version fails
		panic(err)
	}
	return string(b)
}
