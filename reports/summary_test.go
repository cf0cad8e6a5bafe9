package reports_test

import (
	"bytes"
	"math"
	"strings"
	"testing"

	"github.com/ddbsim/ddbsim/reports"
)

func TestFormat(t *testing.T) {
	for _, tc := range []struct{ got, want string }{
		{reports.Commas(0), "0"},
		{reports.Commas(999), "999"},
		{reports.Commas(1000), "1,000"},
		{reports.Commas(1234567), "1,234,567"},
		{reports.Commas(-1234567), "-1,234,567"},
		{reports.Sig3(2.5112, 3), "2.51"},
		{reports.Sig3(9.996, 3), "10.0"}, // rounds up a decade: one decimal fewer
		{reports.Sig3(0.512, 3), "0.512"},
		{reports.Sig3(0.001, 3), "0.001"}, // not 0.00100: µs is the resolution
		{reports.Sig3(210.4, 3), "210"},
		{reports.Sig3(999.4, 3), "999"},
		{reports.Sig3(999.5, 3), "1,000"},
		{reports.Sig3(6100, 3), "6,100"},
		{reports.DurationMs(2.51), "2.51 ms"},
		{reports.DurationMs(6100), "6.10 s"},
		{reports.DurationMs(3.6e6), "3,600 s"},
		{reports.DurationMs(0), "0 ms"},
		{reports.Pct(0), "0%"},
		{reports.Pct(0.028), "2.80%"},
		{reports.Pct(0.00001), "<0.01%"},
		{reports.Pct(0.99999), ">99.99%"},
		{reports.Pct(1), "100%"},
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
	if err := reports.WriteSummary(&b, reports.NewCollector(nil).Result(reports.Meta{Scenario: "idle"})); err != nil {
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

// A run whose cut-short workloads or trace replays waited says so under
// its title, with names printed safely.
func TestSummaryCutShortAndTraceWaits(t *testing.T) {
	r := reports.NewCollector(nil).Result(reports.Meta{Scenario: "replay", Complete: true})
	r.CutShort = []reports.CutShort{{Workload: "ycsb", Operations: 3000000, Ran: 171122, Reason: "the run ended at 10m"}}
	r.TraceWaits = []reports.TraceWait{{Workload: "t\x1b]0;x\a", MaxInFlight: 100000, Records: 2900000, LongestMs: 37.04}}
	var b bytes.Buffer
	if err := reports.WriteSummary(&b, r); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"cut short: workload ycsb ran 171,122 of its 3,000,000 operations (the run ended at 10m)",
		`trace waited: workload "t\x1b]0;x\a" had 100,000 requests in flight (max_in_flight) when 2,900,000 records were due; they waited up to 37.0 ms, counted in their latency`,
	} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("summary lacks\n%s\n%s", want, b.String())
		}
	}
}

// A provisioned table's capacity column shows what it ended with when that
// differs from what it was configured with; an on-demand table's final
// capacity is not provisioned capacity and is left out.
func TestProvisionedThen(t *testing.T) {
	for _, tc := range []struct {
		n     int64
		final float64
		mode  string
		want  string
	}{
		{1000, 643, "provisioned", "1,000 -> 643"},
		{10000, 8000, "provisioned", "10,000 -> 8,000"},
		{1000, 1000, "provisioned", "1,000"},
		{1000, 0, "provisioned", "1,000"},
		{8000, 16000, "on-demand", "8,000"},
		{0, 4000, "on-demand", "-"},
	} {
		if got := reports.ProvisionedThen(tc.n, tc.final, tc.mode); got != tc.want {
			t.Errorf("ProvisionedThen(%d, %v, %q) = %q, want %q", tc.n, tc.final, tc.mode, got, tc.want)
		}
	}
}

// Money and counts beyond an int64 are written whole, never wrapped
// ("$-9,223,372,036,854,775,808.-9223372036854775808" once).
func TestMoneyBeyondAnInt64(t *testing.T) {
	for _, tt := range []struct{ got, want string }{
		{reports.USD(9.3e18), "$9,300,000,000,000,000,000.00"},
		{reports.USD(1e30), "$1,000,000,000,000,000,019,884,624,838,656.00"},
		{reports.USD(1234.5), "$1,234.50"},
		{reports.USD(math.Inf(1)), "$+Inf"},
		{reports.Sig3(-1e19, 2), "-10,000,000,000,000,000,000"},
		{reports.Sig3(2e19, 2), "20,000,000,000,000,000,000"},
		{reports.Commas(math.MinInt64), "-9,223,372,036,854,775,808"},
	} {
		if tt.got != tt.want {
			t.Errorf("got %q, want %q", tt.got, tt.want)
		}
	}
}
