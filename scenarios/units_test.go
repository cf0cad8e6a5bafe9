package scenarios

import (
	"math"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestParseSize(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want int64
		err  string // substring of the error; "" means success
	}{
		{in: "512B", want: 512},
		{in: "0B", want: 0},
		{in: "2KB", want: 2048},
		{in: "400KB", want: 400 * 1024},
		{in: "1MB", want: 1 << 20},
		{in: "10GB", want: 10 << 30},
		{in: "1TB", want: 1 << 40},
		{in: "1.5KB", want: 1536},
		{in: "0.5B", want: 1},         // halves round up
		{in: "1.0001KB", want: 1024},  // 1024.1024 rounds to nearest byte
		{in: "0.1KB", want: 102},      // 102.4
		{in: "007KB", want: 7 * 1024}, // leading zeros are harmless
		{in: "9223372036854775807B", want: math.MaxInt64},
		{in: "2QB", err: `bad size "2QB": expected a number followed by B, KB, MB, GB or TB (KB = 1024 B)`},
		{in: "2048", err: `bad size "2048": no unit; expected a size such as 2KB`},
		{in: "-1KB", err: `bad size "-1KB": must not be negative`},
		{in: "2 KB", err: `did you mean "2KB"?`},
		{in: "2kb", err: `did you mean "2KB"?`},
		{in: "2KiB", err: "expected a number followed by B"},
		{in: "", err: "expected a number"},
		{in: "KB", err: "expected a number"},
		{in: ".5KB", err: "expected a number"},
		{in: "1.KB", err: "expected a number"},
		{in: "1e3B", err: "expected a number"},
		{in: "9223372036854775808B", err: "too large"},
		{in: "9000000000TB", err: "too large"},
	} {
		got, err := ParseSize(tc.in)
		check(t, "ParseSize", tc.in, got, tc.want, err, tc.err)
	}
}

func TestParseCount(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want int64
		err  string
	}{
		{in: "0", want: 0},
		{in: "1000", want: 1000},
		{in: "1k", want: 1000},
		{in: "1.5M", want: 1_500_000},
		{in: "2G", want: 2_000_000_000},
		{in: "0.001k", want: 1}, // exact: no float drift
		{in: "1.5", err: `bad count "1.5": not a whole number (1.5)`},
		{in: "1.2345k", err: "not a whole number (1234.5)"},
		{in: "-3", err: `bad count "-3": must not be negative`},
		{in: "lots", err: `bad count "lots": expected a whole number such as 1000, 1k or 1.5M`},
		{in: "1K", err: `did you mean "1k"?`},
		{in: "1m", err: "expected a whole number"}, // m would read as milli
		{in: "1e6", err: "expected a whole number"},
		{in: "1_000", err: "expected a whole number"},
		{in: "99999999999G", err: "too large"},
	} {
		got, err := ParseCount(tc.in)
		check(t, "ParseCount", tc.in, got, tc.want, err, tc.err)
	}
}

func TestParseRate(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want float64
		err  string
	}{
		{in: "500/s", want: 500},
		{in: "0/s", want: 0}, // traffic can pause
		{in: "1.5k/s", want: 1500},
		{in: "30k/min", want: 500},
		{in: "2M/h", want: 2e6 / 3600},
		{in: "0.5/s", want: 0.5},
		{in: "1G/s", want: 1e9},
		{in: "500", err: `bad rate "500": no time unit; expected a rate such as 500/s, 1.5k/s, 30k/min or 2M/h`},
		{in: "-5/s", err: `bad rate "-5/s": must not be negative`},
		{in: "500/sec", err: `unknown time unit "sec"`},
		{in: "500/sec", err: `did you mean "500/s"?`},
		{in: "500/m", err: `did you mean "500/min"?`},
		{in: "1.5K/s", err: `did you mean "1.5k/s"?`},
		{in: "fast/s", err: "expected a rate"},
		{in: "/s", err: "expected a rate"},
		{in: "5/s/s", err: "unknown time unit"},
	} {
		got, err := ParseRate(tc.in)
		check(t, "ParseRate", tc.in, got, tc.want, err, tc.err)
	}
}

func TestParsePercent(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want float64
		err  string
	}{
		{in: "70%", want: 0.7},
		{in: "0.5%", want: 0.005},
		{in: "100%", want: 1},
		{in: "0%", want: 0},
		{in: "150%", want: 1.5}, // range checks belong to the caller
		{in: "70", err: `bad percentage "70": no % sign; expected a percentage such as 70% or 0.5%`},
		{in: "0.7", err: "no % sign"},
		{in: "-5%", err: "must not be negative"},
		{in: "70 %", err: `did you mean "70%"?`},
		{in: "%", err: "expected a percentage"},
		{in: "high", err: "expected a percentage"},
	} {
		got, err := ParsePercent(tc.in)
		check(t, "ParsePercent", tc.in, got, tc.want, err, tc.err)
	}
}

func TestParseDuration(t *testing.T) {
	const maxDur = time.Duration(math.MaxInt64)
	for _, tc := range []struct {
		in   string
		want time.Duration
		err  string
	}{
		{in: "90s", want: 90 * time.Second},
		{in: "1h30m", want: 90 * time.Minute},
		{in: "250ms", want: 250 * time.Millisecond},
		{in: "2d", want: 48 * time.Hour},
		{in: "1d12h", want: 36 * time.Hour},
		{in: "1.5d", want: 36 * time.Hour},
		{in: "1d0.5h", want: 24*time.Hour + 30*time.Minute},
		{in: "0", want: 0},
		{in: "0s", want: 0},
		{in: "-5m", want: -5 * time.Minute}, // parsed; callers say "must be positive"
		{in: "-1d1h", want: -25 * time.Hour},
		{in: "2562047h47m16.854775807s", want: maxDur},
		{in: "30", err: `bad duration "30": no unit; expected a duration such as 90s, 1h30m, 250ms or 2d`},
		{in: "1h30", err: `bad duration "1h30": expected a duration such as`},
		{in: "1d-5h", err: "expected a duration"},
		{in: "1h2d", err: "expected a duration"},
		{in: "d", err: "expected a duration"},
		{in: "2 days", err: "expected a duration"},
		{in: "", err: "expected a duration"},
		{in: "-", err: "expected a duration"},
		{in: "1w", err: "expected a duration"},
		{in: "200000d", err: "too long"},
		{in: "106751d24h", err: "too long"},
		{in: "9999999999h", err: "expected a duration"}, // Go says "invalid" for overflow too
	} {
		got, err := ParseDuration(tc.in)
		check(t, "ParseDuration", tc.in, got, tc.want, err, tc.err)
	}
}

func check[T comparable](t *testing.T, fn, in string, got, want T, err error, wantErr string) {
	t.Helper()
	switch {
	case wantErr == "" && err != nil:
		t.Errorf("%s(%q): unexpected error %v", fn, in, err)
	case wantErr == "" && got != want:
		t.Errorf("%s(%q) = %v, want %v", fn, in, got, want)
	case wantErr != "" && err == nil:
		t.Errorf("%s(%q) = %v, want error containing %q", fn, in, got, wantErr)
	case wantErr != "" && !strings.Contains(err.Error(), wantErr):
		t.Errorf("%s(%q): error %q, want it to contain %q", fn, in, err, wantErr)
	}
}

// The fuzz tests check that no input panics, that accepted values are in
// range, and that canonical spellings round-trip.

func FuzzParseSize(f *testing.F) {
	for _, s := range []string{"2KB", "1.5MB", "0B", "-1KB", "2 KB", "9223372036854775807B", "1.KB"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, err := ParseSize(s)
		if err != nil {
			return
		}
		if n < 0 {
			t.Fatalf("ParseSize(%q) = %d < 0", s, n)
		}
		if back, err := ParseSize(strconv.FormatInt(n, 10) + "B"); err != nil || back != n {
			t.Fatalf("round trip of %d: got %d, %v", n, back, err)
		}
		if n%1024 == 0 {
			if back, err := ParseSize(strconv.FormatInt(n/1024, 10) + "KB"); err != nil || back != n {
				t.Fatalf("round trip of %d via KB: got %d, %v", n, back, err)
			}
		}
	})
}

func FuzzParseCount(f *testing.F) {
	for _, s := range []string{"1000", "1k", "1.5M", "2G", "-1", "1.5", "0.001k"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, err := ParseCount(s)
		if err != nil {
			return
		}
		if n < 0 {
			t.Fatalf("ParseCount(%q) = %d < 0", s, n)
		}
		if back, err := ParseCount(strconv.FormatInt(n, 10)); err != nil || back != n {
			t.Fatalf("round trip of %d: got %d, %v", n, back, err)
		}
	})
}

func FuzzParseRate(f *testing.F) {
	for _, s := range []string{"500/s", "1.5k/s", "30k/min", "2M/h", "0/s", "500", "-1/s"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r, err := ParseRate(s)
		if err != nil {
			return
		}
		if r < 0 || math.IsNaN(r) || math.IsInf(r, 0) {
			t.Fatalf("ParseRate(%q) = %v", s, r)
		}
		if back, err := ParseRate(strconv.FormatFloat(r, 'f', -1, 64) + "/s"); err == nil && back != r {
			t.Fatalf("round trip of %v: got %v", r, back)
		}
	})
}

func FuzzParsePercent(f *testing.F) {
	for _, s := range []string{"70%", "0.5%", "100%", "70", "-1%"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := ParsePercent(s)
		if err != nil {
			return
		}
		if p < 0 || math.IsNaN(p) || math.IsInf(p, 0) {
			t.Fatalf("ParsePercent(%q) = %v", s, p)
		}
	})
}

func FuzzParseDuration(f *testing.F) {
	for _, s := range []string{"90s", "1h30m", "2d", "1d12h", "-5m", "0", "30", "1.5d"} {
		f.Add(s)
	}
	f.Add("2562047h47m16.854775807s")
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDuration(s)
		if err != nil {
			return
		}
		// Go's own spelling of any duration must read back the same.
		if back, err := ParseDuration(d.String()); err != nil || back != d {
			t.Fatalf("round trip of %v (from %q): got %v, %v", d, s, back, err)
		}
		// So must the spelling with days in front.
		if d > 0 {
			days, rest := d/day, d%day
			s := strconv.FormatInt(int64(days), 10) + "d"
			if rest > 0 {
				s += rest.String()
			}
			if back, err := ParseDuration(s); err != nil || back != d {
				t.Fatalf("round trip of %v via %q: got %v, %v", d, s, back, err)
			}
		}
	})
}
