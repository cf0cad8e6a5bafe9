package scenarios

import (
	"fmt"
	"math"
	"math/big"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ddbsim/ddbsim/threshold"
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
		// The most negative duration, as Go writes it and reads it.
		{in: "-2562047h47m16.854775808s", want: math.MinInt64},
		{in: "-9223372036854775808ns", want: math.MinInt64},
		{in: "2562047h47m16.854775808s", err: `bad duration "2562047h47m16.854775808s": too long`},
		{in: "-106751d23h47m16.854775808s", err: "too long"}, // with days, magnitudes must fit
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
		// Go says "invalid" for overflow too; days and hours say the same.
		{in: "9999999999h", err: `bad duration "9999999999h": too long`},
		{in: "8760000h", err: `bad duration "8760000h": too long`},
		{in: "365000d", err: `bad duration "365000d": too long`},
		{in: "-8760000h", err: `bad duration "-8760000h": too long`},
		{in: "8760000x", err: "expected a duration"},
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

// FuzzUnits gives every input to all five unit parsers. Whatever the
// input, none panics. A failure returns the zero value and a message that
// starts with the input quoted, and any "did you mean" suggestion in it is
// itself accepted. A success is spelled in the documented grammar, has the
// exact value its digits say (rounded as documented), and round-trips
// through the canonical spelling. A spelling in the grammar is accepted
// unless it is out of range or, for a count, not whole. A duration without
// days reads exactly as time.ParseDuration reads it, and one with days
// round-trips through both spellings.
func FuzzUnits(f *testing.F) {
	for _, s := range []string{
		// Sizes.
		"2KB", "1.5MB", "0B", "-1KB", "2 KB", "9223372036854775807B", "1.KB",
		// Counts.
		"1000", "1k", "1.5M", "2G", "-1", "1.5", "0.001k",
		// Rates.
		"500/s", "1.5k/s", "30k/min", "2M/h", "0/s", "500", "-1/s",
		// Percentages.
		"70%", "0.5%", "100%", "70", "-1%",
		// Durations.
		"90s", "1h30m", "2d", "1d12h", "-5m", "0", "30", "1.5d",
		"2562047h47m16.854775807s", "-2562047h47m16.854775808s",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		fuzzSize(t, s)
		fuzzCount(t, s)
		fuzzRate(t, s)
		fuzzPercent(t, s)
		fuzzDuration(t, s)
	})
}

// The grammars of units.go, written independently of its hand-written
// scanner: a plain decimal (digits, optionally a dot with digits on both
// sides) and a suffix. The number is group 1.
var (
	sizeSyntax    = regexp.MustCompile(`^([0-9]+(?:\.[0-9]+)?)(B|KB|MB|GB|TB)$`)
	countSyntax   = regexp.MustCompile(`^([0-9]+(?:\.[0-9]+)?)(k|M|G)?$`)
	rateSyntax    = regexp.MustCompile(`^([0-9]+(?:\.[0-9]+)?)(k|M|G)?/(s|min|h)$`)
	percentSyntax = regexp.MustCompile(`^([0-9]+(?:\.[0-9]+)?)%$`)
	suggestion    = regexp.MustCompile(`; did you mean ("(?:[^"\\]|\\.)*")\?$`)
)

// unitMult is what each suffix multiplies by; the empty suffix is 1.
var unitMult = map[string]int64{
	"": 1, "B": 1, "KB": 1 << 10, "MB": 1 << 20, "GB": 1 << 30, "TB": 1 << 40,
	"k": 1e3, "M": 1e6, "G": 1e9, "s": 1, "min": 60, "h": 3600,
}

// exact is the value of a number matched by one of the grammars times
// mult divided by div.
func exact(t *testing.T, num string, mult, div int64) *big.Rat {
	t.Helper()
	r, ok := new(big.Rat).SetString(num)
	if !ok {
		t.Fatalf("the grammar matched %q, which big.Rat cannot read", num)
	}
	return r.Mul(r, big.NewRat(mult, div))
}

// checkUnitError checks a parser's failure on s: the zero value, a message
// naming the input and saying more, and a suggestion that parses.
func checkUnitError[T comparable](t *testing.T, kind, s string, v T, err error, parse func(string) (T, error)) {
	t.Helper()
	var zero T
	if v != zero {
		t.Fatalf("%s %q: the error %q came with the value %v, want the zero value", kind, s, err, v)
	}
	msg := err.Error()
	if prefix := fmt.Sprintf("bad %s %q: ", kind, s); !strings.HasPrefix(msg, prefix) || len(msg) == len(prefix) {
		t.Fatalf("%s %q: error %q, want it to start %q and say what was expected", kind, s, msg, prefix)
	}
	if m := suggestion.FindStringSubmatch(msg); m != nil {
		fix, uerr := strconv.Unquote(m[1])
		if uerr != nil {
			t.Fatalf("%s %q: the suggestion %s in %q does not unquote: %v", kind, s, m[1], msg, uerr)
		}
		if fix == s {
			t.Fatalf("%s %q: suggests the input itself", kind, s)
		}
		if _, err := parse(fix); err != nil {
			t.Fatalf("%s %q: suggests %q, which fails: %v", kind, s, fix, err)
		}
	}
}

func fuzzSize(t *testing.T, s string) {
	n, err := ParseSize(s)
	m := sizeSyntax.FindStringSubmatch(s)
	inGrammar := m != nil && len(m[1]) <= threshold.MaxNumberLen
	if err != nil {
		checkUnitError(t, "size", s, n, err, ParseSize)
		if inGrammar {
			// Only a value that rounds past the largest int64 fails:
			// r >= 2^63 - 1/2.
			limit := new(big.Rat).SetInt(new(big.Int).Lsh(big.NewInt(1), 63))
			limit.Sub(limit, big.NewRat(1, 2))
			if r := exact(t, m[1], unitMult[m[2]], 1); !strings.HasSuffix(err.Error(), "too large") || r.Cmp(limit) < 0 {
				t.Fatalf("ParseSize(%q) = %v, for a size in the grammar of %s bytes", s, err, r.FloatString(3))
			}
		}
		return
	}
	if !inGrammar {
		t.Fatalf("ParseSize(%q) = %d: accepted a spelling outside the grammar", s, n)
	}
	if n < 0 {
		t.Fatalf("ParseSize(%q) = %d < 0", s, n)
	}
	// The nearest byte, halves up: n - r is in (-1/2, 1/2].
	diff := new(big.Rat).Sub(new(big.Rat).SetInt64(n), exact(t, m[1], unitMult[m[2]], 1))
	if diff.Cmp(big.NewRat(-1, 2)) <= 0 || diff.Cmp(big.NewRat(1, 2)) > 0 {
		t.Fatalf("ParseSize(%q) = %d, off the exact value by %s", s, n, diff.RatString())
	}
	if back, err := ParseSize(strconv.FormatInt(n, 10) + "B"); err != nil || back != n {
		t.Fatalf("round trip of %d: got %d, %v", n, back, err)
	}
	if n%1024 == 0 {
		if back, err := ParseSize(strconv.FormatInt(n/1024, 10) + "KB"); err != nil || back != n {
			t.Fatalf("round trip of %d via KB: got %d, %v", n, back, err)
		}
	}
}

func fuzzCount(t *testing.T, s string) {
	n, err := ParseCount(s)
	m := countSyntax.FindStringSubmatch(s)
	inGrammar := m != nil && len(m[1]) <= threshold.MaxNumberLen
	if err != nil {
		checkUnitError(t, "count", s, n, err, ParseCount)
		if inGrammar {
			r := exact(t, m[1], unitMult[m[2]], 1)
			want := "not a whole number"
			switch {
			case r.IsInt() && r.Num().IsInt64():
				t.Fatalf("ParseCount(%q) = %v, for the whole number %s, which fits in an int64", s, err, r.RatString())
			case r.IsInt():
				want = "too large"
			}
			if !strings.Contains(err.Error(), want) {
				t.Fatalf("ParseCount(%q) = %v, for %s; want an error saying %q", s, err, r.FloatString(3), want)
			}
		}
		return
	}
	if !inGrammar {
		t.Fatalf("ParseCount(%q) = %d: accepted a spelling outside the grammar", s, n)
	}
	if n < 0 {
		t.Fatalf("ParseCount(%q) = %d < 0", s, n)
	}
	if r := exact(t, m[1], unitMult[m[2]], 1); !r.IsInt() || r.Num().Cmp(big.NewInt(n)) != 0 {
		t.Fatalf("ParseCount(%q) = %d, want exactly %s", s, n, r.RatString())
	}
	if back, err := ParseCount(strconv.FormatInt(n, 10)); err != nil || back != n {
		t.Fatalf("round trip of %d: got %d, %v", n, back, err)
	}
	if n%1000 == 0 {
		if back, err := ParseCount(strconv.FormatInt(n/1000, 10) + "k"); err != nil || back != n {
			t.Fatalf("round trip of %d via k: got %d, %v", n, back, err)
		}
	}
	// A count per second is a rate of the same value.
	if r, err := ParseRate(s + "/s"); err != nil || r != float64(n) {
		t.Fatalf("ParseRate(%q) = %v, %v; ParseCount(%q) = %d", s+"/s", r, err, s, n)
	}
}

func fuzzRate(t *testing.T, s string) {
	r, err := ParseRate(s)
	m := rateSyntax.FindStringSubmatch(s)
	inGrammar := m != nil && len(m[1]) <= threshold.MaxNumberLen
	if err != nil {
		checkUnitError(t, "rate", s, r, err, ParseRate)
		if inGrammar {
			t.Fatalf("ParseRate(%q) = %v, for a rate in the grammar", s, err)
		}
		return
	}
	if !inGrammar {
		t.Fatalf("ParseRate(%q) = %v: accepted a spelling outside the grammar", s, r)
	}
	if r < 0 || math.IsNaN(r) || math.IsInf(r, 0) {
		t.Fatalf("ParseRate(%q) = %v", s, r)
	}
	// The nearest float64 to the exact rate per second.
	if want, _ := exact(t, m[1], unitMult[m[2]], unitMult[m[3]]).Float64(); r != want {
		t.Fatalf("ParseRate(%q) = %v, want %v", s, r, want)
	}
	if back, err := ParseRate(strconv.FormatFloat(r, 'f', -1, 64) + "/s"); err == nil && back != r {
		t.Fatalf("round trip of %v: got %v", r, back)
	}
}

func fuzzPercent(t *testing.T, s string) {
	p, err := ParsePercent(s)
	m := percentSyntax.FindStringSubmatch(s)
	inGrammar := m != nil && len(m[1]) <= threshold.MaxNumberLen
	if err != nil {
		checkUnitError(t, "percentage", s, p, err, ParsePercent)
		if inGrammar {
			t.Fatalf("ParsePercent(%q) = %v, for a percentage in the grammar", s, err)
		}
		return
	}
	if !inGrammar {
		t.Fatalf("ParsePercent(%q) = %v: accepted a spelling outside the grammar", s, p)
	}
	if p < 0 || math.IsNaN(p) || math.IsInf(p, 0) {
		t.Fatalf("ParsePercent(%q) = %v", s, p)
	}
	if want, _ := exact(t, m[1], 1, 100).Float64(); p != want {
		t.Fatalf("ParsePercent(%q) = %v, want %v", s, p, want)
	}
}

func fuzzDuration(t *testing.T, s string) {
	d, err := ParseDuration(s)
	// Without days, the format is Go's: both accept the same spellings,
	// with the same values.
	if !strings.Contains(s, "d") {
		g, gerr := time.ParseDuration(s)
		if (err == nil) != (gerr == nil) || d != g {
			t.Fatalf("ParseDuration(%q) = %v, %v; time.ParseDuration says %v, %v", s, d, err, g, gerr)
		}
	}
	if err != nil {
		checkUnitError(t, "duration", s, d, err, ParseDuration)
		return
	}
	// Go's own spelling of any duration must read back the same.
	if back, err := ParseDuration(d.String()); err != nil || back != d {
		t.Fatalf("round trip of %v (from %q): got %v, %v", d, s, back, err)
	}
	// So must the spelling with days in front, signed. The most negative
	// duration has no such spelling: its magnitude does not fit.
	if d == math.MinInt64 || d == 0 {
		return
	}
	mag, minus := d, ""
	if d < 0 {
		mag, minus = -d, "-"
	}
	days, rest := mag/day, mag%day
	spelled := minus + strconv.FormatInt(int64(days), 10) + "d"
	if rest > 0 {
		spelled += rest.String()
	}
	if back, err := ParseDuration(spelled); err != nil || back != d {
		t.Fatalf("round trip of %v via %q: got %v, %v", d, spelled, back, err)
	}
}
