package reports

import (
	"bytes"
	"strings"
	"testing"
)

func TestFormat(t *testing.T) {
	for _, tc := range []struct{ got, want string }{
		{commas(0), "0"},
		{commas(999), "999"},
		{commas(1000), "1,000"},
		{commas(1234567), "1,234,567"},
		{commas(-1234567), "-1,234,567"},
		{sig3(2.5112, 3), "2.51"},
		{sig3(9.996, 3), "10.0"}, // rounds up a decade: one decimal fewer
		{sig3(0.512, 3), "0.512"},
		{sig3(0.001, 3), "0.001"}, // not 0.00100: µs is the resolution
		{sig3(210.4, 3), "210"},
		{sig3(999.4, 3), "999"},
		{sig3(999.5, 3), "1,000"},
		{sig3(6100, 3), "6,100"},
		{duration(2.51), "2.51 ms"},
		{duration(6100), "6.10 s"},
		{duration(3.6e6), "3,600 s"},
		{duration(0), "0 ms"},
		{pct(0), "0%"},
		{pct(0.028), "2.80%"},
		{pct(0.00001), "<0.01%"},
		{pct(0.99999), ">99.99%"},
		{pct(1), "100%"},
	} {
		if tc.got != tc.want {
			t.Errorf("got %q, want %q", tc.got, tc.want)
		}
	}
}

// TestSummaryEmptyRun: a run with nothing in it still reads sensibly and
// leaves out the empty tables.
func TestSummaryEmptyRun(t *testing.T) {
	var b bytes.Buffer
	if err := WriteSummary(&b, NewCollector(nil).Result(Meta{Scenario: "idle"})); err != nil {
		t.Fatal(err)
	}
	want := `idle  seed 0  duration 0s  (incomplete: stopped before its duration)

requests    0 total   0 ok (0%)   0 throttled (0%)   0 errors (0%)
            throttle events 0   retries 0
latency     p50 0 ms   p90 0 ms   p99 0 ms   p99.9 0 ms   max 0 ms   mean 0 ms
`
	if got := b.String(); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	if strings.Contains(b.String(), "operation") {
		t.Error("empty run lists operations")
	}
}
