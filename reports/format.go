package reports

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/ddbsim/ddbsim/sim"
	"github.com/ddbsim/ddbsim/threshold"
)

// Formatting every output shares (the summary, explanations, the bill,
// plots, the HTML pages, other commands' text), so that every number ddbsim
// prints reads the same.

// Commas formats n with thousands separators: 1234567 -> "1,234,567".
func Commas(n int64) string { return CommasText(strconv.FormatInt(n, 10)) }

// CommasText puts thousands separators into a whole number written in
// decimal digits, with an optional leading minus: "-1234567" ->
// "-1,234,567". It takes the digits as text so that a number beyond an
// int64 (a float64's whole part) is grouped, never wrapped.
func CommasText(s string) string {
	neg := strings.HasPrefix(s, "-")
	if neg {
		s = s[1:]
	}
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// wholeText writes a float64 that is a whole number in digits, at any
// magnitude (int64(x) wraps from 2^63 up).
func wholeText(x float64) string { return CommasText(strconv.FormatFloat(x, 'f', 0, 64)) }

// USD formats dollars: cents from a dollar up ("$1,234.50"), three
// significant figures below it ("$0.0650"), so that a short run's fraction
// of a cent still shows.
func USD(x float64) string {
	switch {
	case x == 0:
		return "$0"
	case math.IsNaN(x) || math.IsInf(x, 0):
		return "$" + strconv.FormatFloat(x, 'g', -1, 64)
	case x >= 1:
		whole := math.Trunc(x)
		cents := int(math.Round((x - whole) * 100))
		if cents == 100 {
			whole, cents = whole+1, 0
		}
		return fmt.Sprintf("$%s.%02d", wholeText(whole), cents)
	}
	return "$" + Sig3(x, 6)
}

// Pct formats a ratio as a percentage with 2 decimals, never rounding a
// nonzero share to 0% or a partial one to 100%: those would read as "none"
// and "all".
func Pct(ratio float64) string {
	p := ratio * 100
	switch {
	case p == 0:
		return "0%"
	case p < 0.005:
		return "<0.01%"
	case p < 100 && p >= 99.995:
		return ">99.99%"
	case p == 100:
		return "100%"
	}
	return strconv.FormatFloat(p, 'f', 2, 64) + "%"
}

// AvailabilityPct formats an availability with 3 decimals of a percent,
// enough to tell the SLA's 99.99% from 99.999%, never rounding a partial
// one to 100%.
func AvailabilityPct(ratio float64) string {
	if ratio == 1 {
		return "100%"
	}
	p := strconv.FormatFloat(ratio*100, 'f', 3, 64)
	if p == "100.000" {
		return ">99.999%"
	}
	return p + "%"
}

// LookupPct is a hit rate, or "-" when the cache had no lookup.
func LookupPct(rate float64, lookups int64) string {
	if lookups == 0 {
		return "-"
	}
	return Pct(rate)
}

// DurationMs formats a span given in milliseconds with a unit, to 3
// significant figures: "2.51 ms", "6.10 s".
func DurationMs(ms float64) string {
	if math.Abs(ms) >= 999.5 {
		return Sig3(ms/1000, 3) + " s"
	}
	return Sig3(ms, 3) + " ms"
}

// Sig3 formats x to 3 significant figures but at most maxDecimals decimals
// (the resolution x was measured in), and whole numbers from 1,000 up with
// thousands separators.
func Sig3(x float64, maxDecimals int) string {
	if x == 0 {
		return "0"
	}
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return strconv.FormatFloat(x, 'g', -1, 64)
	}
	if math.Abs(x) >= 999.5 {
		return wholeText(math.Round(x))
	}
	// Round to 3 figures first: 9.996 becomes 10.0 and takes 1 decimal.
	r, _ := strconv.ParseFloat(strconv.FormatFloat(x, 'g', 3, 64), 64)
	decimals := 2 - int(math.Floor(math.Log10(math.Abs(r))))
	decimals = min(max(decimals, 0), maxDecimals)
	return strconv.FormatFloat(r, 'f', decimals, 64)
}

// Provisioned formats a provisioned capacity, "-" for none (an on-demand
// table).
func Provisioned(n int64) string {
	if n == 0 {
		return "-"
	}
	return Commas(n)
}

// ProvisionedThen is Provisioned followed, for a table that ended the run
// provisioned with other capacity in effect (auto scaling, a scheduled
// change), by what it ended with: "1,000 -> 643". An on-demand table's
// final capacity is what it absorbs at once, not what it provisions, so
// it is not shown here.
func ProvisionedThen(n int64, final float64, mode string) string {
	s := Provisioned(n)
	if n == 0 || mode != "provisioned" || final <= 0 || final == float64(n) {
		return s
	}
	return s + " -> " + Sig3(final, 3)
}

// ProvisionedSpan is ProvisionedThen with the highest capacity the table
// reached when it was above both the start and the end: auto scaling that
// went up and came back shows "1,000 -> 1,000 (peak 4,000)", not 1,000
// alone. peak <= 0 when it is not known (no series).
func ProvisionedSpan(n int64, peak, final float64, mode string) string {
	s := ProvisionedThen(n, final, mode)
	if n == 0 || mode != "provisioned" || peak <= max(float64(n), final) {
		return s
	}
	if final <= 0 || final == float64(n) {
		s += " -> " + Sig3(float64(n), 3)
	}
	return s + " (peak " + Sig3(peak, 3) + ")"
}

// MetricString formats a threshold metric, scoped or not
// ("p99_ms{op:get}"), in its unit (threshold.Metrics); "-" when it was not
// measured.
func MetricString(name string, v *float64) string {
	if v == nil {
		return "-"
	}
	name, _, _ = strings.Cut(name, "{")
	m, _ := threshold.Lookup(name)
	switch {
	case name == "availability_min":
		return AvailabilityPct(*v)
	case m.Ratio:
		return Pct(*v)
	case m.Unit == "ms":
		return DurationMs(*v)
	case m.Unit == "s":
		return DurationMs(*v * 1000)
	case *v == math.Trunc(*v) && math.Abs(*v) < 1e15:
		return Commas(int64(*v))
	}
	return Sig3(*v, 6)
}

// Clock formats a time of the run as 12m03s, with milliseconds below a
// minute so that events in the first second stay apart.
func Clock(t sim.Time) string {
	s := int64(t / sim.Second)
	if s < 60 {
		return fmt.Sprintf("%.3fs", t.Seconds())
	}
	if s < 3600 {
		return fmt.Sprintf("%dm%02ds", s/60, s%60)
	}
	return fmt.Sprintf("%dh%02dm%02ds", s/3600, s/60%60, s%60)
}

// HashPrefix shows the top 16 bits of a key hash ("0x3f2a"), enough to tell
// partitions' hash ranges apart.
func HashPrefix(h uint64) string { return fmt.Sprintf("0x%04x", h>>48) }

// Percent writes a ratio as a percentage with decimals decimals:
// Percent(0.2889, 1) is "28.9%".
func Percent(ratio float64, decimals int) string {
	return strconv.FormatFloat(100*ratio, 'f', decimals, 64) + "%"
}

// AboutCount writes a large count to two or three significant figures:
// "52 billion", "3.1 million", "950".
func AboutCount(n float64) string {
	return aboutScaled(n, "", []scale{{1e12, " trillion"}, {1e9, " billion"}, {1e6, " million"}, {1e3, " thousand"}})
}

// AboutBytes writes a byte count to two or three significant figures:
// "1.5 GiB".
func AboutBytes(b float64) string {
	return aboutScaled(b, " B", []scale{{1 << 50, " PiB"}, {1 << 40, " TiB"}, {1 << 30, " GiB"}, {1 << 20, " MiB"}, {1 << 10, " KiB"}})
}

// scale is a unit a large number may be written in: its value and name.
type scale struct {
	v    float64
	name string
}

// aboutScaled writes x in the largest of scales (largest first) it
// reaches, to two or three significant figures, or whole with unit.
func aboutScaled(x float64, unit string, scales []scale) string {
	for _, u := range scales {
		if x >= u.v {
			v := x / u.v
			prec := 1
			if v >= 10 {
				prec = 0
			}
			return strconv.FormatFloat(v, 'f', prec, 64) + u.name
		}
	}
	return strconv.FormatFloat(x, 'f', 0, 64) + unit
}

// SafeName writes a name for a terminal or a text file: as it is when
// every character is printable, otherwise quoted with Go's escapes
// (strconv.Quote), so that a control character in a name from a result
// file or trace (ESC, CR, LF, an OSC sequence) can neither drive the
// terminal nor forge a line of a report or comment of latency.hlog.
// Scenario files refuse such names; results and traces may still carry
// them.
func SafeName(s string) string {
	if IsPlainName(s) {
		return s
	}
	return strconv.Quote(s)
}

// IsPlainName reports whether s is valid UTF-8 of printable characters
// (unicode.IsPrint: letters, marks, numbers, punctuation, symbols and the
// ASCII space), which SafeName prints as they are.
func IsPlainName(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if !unicode.IsPrint(r) {
			return false
		}
	}
	return true
}

// SafeMessage escapes every character of a message for standard error
// that is not printable, except the newlines and tabs the message lays
// itself out with: a name or path inside it (a file name, a name from a
// result or trace) may hold ESC, an OSC sequence, CR or BEL, which would
// otherwise drive the terminal. Each is written as Go writes it in a
// quoted string ("\x1b", "\r", "\u202e").
func SafeMessage(s string) string {
	if !messageNeedsEscape(s) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case r == '\n' || r == '\t' || unicode.IsPrint(r):
			b.WriteString(s[i : i+size])
		default:
			q := strconv.QuoteRune(r)
			b.WriteString(q[1 : len(q)-1])
		}
		i += size
	}
	return b.String()
}

func messageNeedsEscape(s string) bool {
	if !utf8.ValidString(s) {
		return true
	}
	for _, r := range s {
		if r != '\n' && r != '\t' && !unicode.IsPrint(r) {
			return true
		}
	}
	return false
}
