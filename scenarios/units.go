package scenarios

// Human units of the scenario format: sizes (2KB), rates (1.5k/s), durations
// (1h30m, 2d), counts (1M) and percentages (70%).
//
// Numbers are plain decimals ("12", "1.5"): no sign, exponent, separator or
// space, so that every accepted spelling reads one way. They are parsed as
// exact rationals (math/big), so "0.1k" is exactly 100 and a whole number
// of bytes never drifts through float rounding.

import (
	"fmt"
	"math/big"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/ddbsim/ddbsim/threshold"
)

// decimal is the number grammar the format shares with threshold
// expressions: a non-negative decimal such as "12" or "1.5", exact, at
// most threshold.MaxNumberLen characters.
func decimal(s string) (*big.Rat, bool) { return threshold.Decimal(s) }

// roundInt rounds r (>= 0) to the nearest integer, halves up, and reports
// whether the result fits in an int64.
func roundInt(r *big.Rat) (int64, bool) {
	// (2*num + den) / (2*den), truncated, is round-half-up for r >= 0.
	num := new(big.Int).Lsh(r.Num(), 1)
	num.Add(num, r.Denom())
	den := new(big.Int).Lsh(r.Denom(), 1)
	q := num.Quo(num, den)
	if !q.IsInt64() {
		return 0, false
	}
	return q.Int64(), true
}

// wholeInt returns r as an int64 if it is a whole number that fits.
func wholeInt(r *big.Rat) (v int64, whole, fits bool) {
	if !r.IsInt() {
		return 0, false, false
	}
	if !r.Num().IsInt64() {
		return 0, true, false
	}
	return r.Num().Int64(), true, true
}

// unit is one suffix and what it multiplies by.
type unit struct {
	suffix string
	mult   int64
}

// sizeUnits are tried in order, so "KB" is matched before "B".
var sizeUnits = []unit{
	{"TB", 1 << 40}, {"GB", 1 << 30}, {"MB", 1 << 20}, {"KB", 1 << 10}, {"B", 1},
}

// multipliers for counts and rates: k = 1e3, M = 1e6, G = 1e9. Lower-case
// m is deliberately absent: it would read as milli.
var countUnits = []unit{{"k", 1e3}, {"M", 1e6}, {"G", 1e9}}

// per-time units of rates, in seconds.
var rateUnits = []unit{{"s", 1}, {"min", 60}, {"h", 3600}}

const (
	sizeExpect     = "expected a number followed by B, KB, MB, GB or TB (KB = 1024 B)"
	countExpect    = "expected a whole number such as 1000, 1k or 1.5M"
	rateExpect     = "expected a rate such as 500/s, 1.5k/s, 30k/min or 2M/h"
	durationExpect = "expected a duration such as 90s, 1h30m, 250ms or 2d"
	percentExpect  = "expected a percentage such as 70% or 0.5%"
)

// ParseSize parses a size in bytes: "512B", "2KB", "1.5MB", "10GB", "1TB".
// KB = 1024 B, as the service counts. Fractions round to the nearest byte.
// A unit is required, and no space may separate it from the number.
func ParseSize(s string) (int64, error) {
	if strings.HasPrefix(s, "-") {
		return 0, fmt.Errorf("bad size %q: must not be negative", s)
	}
	if _, ok := decimal(s); ok {
		return 0, fmt.Errorf("bad size %q: no unit; expected a size such as 2KB (B, KB, MB, GB or TB; KB = 1024 B)", s)
	}
	for _, u := range sizeUnits {
		num, ok := strings.CutSuffix(s, u.suffix)
		if !ok {
			continue
		}
		r, ok := decimal(num)
		if !ok {
			break
		}
		v, ok := roundInt(r.Mul(r, new(big.Rat).SetInt64(u.mult)))
		if !ok {
			return 0, fmt.Errorf("bad size %q: too large", s)
		}
		return v, nil
	}
	return 0, fmt.Errorf("bad size %q: %s%s", s, sizeExpect, didYouMean(s, fixSize, ParseSize))
}

// fixSize guesses what a mistyped size meant: "2 kb" -> "2KB".
func fixSize(s string) string {
	return strings.ToUpper(strings.ReplaceAll(s, " ", ""))
}

// scaled parses a decimal with an optional k, M or G suffix.
func scaled(s string) (*big.Rat, bool) {
	for _, u := range countUnits {
		if num, ok := strings.CutSuffix(s, u.suffix); ok {
			r, ok := decimal(num)
			if !ok {
				return nil, false
			}
			return r.Mul(r, new(big.Rat).SetInt64(u.mult)), true
		}
	}
	return decimal(s)
}

// ParseCount parses a non-negative whole number, optionally with a suffix
// k (1e3), M (1e6) or G (1e9): "1000", "1k", "1.5M". YAML integers reach
// here as their text, so they parse too.
func ParseCount(s string) (int64, error) {
	if strings.HasPrefix(s, "-") {
		return 0, fmt.Errorf("bad count %q: must not be negative", s)
	}
	r, ok := scaled(s)
	if !ok {
		return 0, fmt.Errorf("bad count %q: %s%s", s, countExpect, didYouMean(s, fixScaled, ParseCount))
	}
	v, whole, fits := wholeInt(r)
	switch {
	case !whole:
		f, _ := r.Float64()
		return 0, fmt.Errorf("bad count %q: not a whole number (%s)", s, strconv.FormatFloat(f, 'g', -1, 64))
	case !fits:
		return 0, fmt.Errorf("bad count %q: too large", s)
	}
	return v, nil
}

// fixScaled guesses what a mistyped count or rate meant: "1.5 K/s" -> "1.5k/s".
func fixScaled(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, " ", ""), "K", "k")
}

// ParseRate parses a non-negative rate and returns it per second:
// "500/s", "1.5k/s", "30k/min", "2M/h". "0/s" is valid: traffic can pause.
func ParseRate(s string) (float64, error) {
	if strings.HasPrefix(s, "-") {
		return 0, fmt.Errorf("bad rate %q: must not be negative", s)
	}
	num, per, ok := strings.Cut(s, "/")
	if !ok {
		return 0, fmt.Errorf("bad rate %q: no time unit; %s", s, rateExpect)
	}
	r, ok := scaled(num)
	if !ok {
		return 0, fmt.Errorf("bad rate %q: %s%s", s, rateExpect, didYouMean(s, fixScaled, ParseRate))
	}
	for _, u := range rateUnits {
		if per == u.suffix {
			f, _ := r.Quo(r, new(big.Rat).SetInt64(u.mult)).Float64()
			return f, nil
		}
	}
	return 0, fmt.Errorf("bad rate %q: unknown time unit %q; %s (per s, min or h)%s",
		s, per, rateExpect, didYouMean(s, fixRate, ParseRate))
}

// fixRate guesses a rate's time unit from common spellings: "/sec" -> "/s".
func fixRate(s string) string {
	num, per, _ := strings.Cut(fixScaled(s), "/")
	switch per {
	case "sec", "second", "S":
		per = "s"
	case "m", "minute", "mins":
		per = "min"
	case "hr", "hour", "H":
		per = "h"
	}
	return num + "/" + per
}

// ParsePercent parses a non-negative percentage and returns it as a
// fraction: "70%" -> 0.7, "0.5%" -> 0.005. The % sign is required, so that
// 0.7 and 70% are never confused.
func ParsePercent(s string) (float64, error) {
	if strings.HasPrefix(s, "-") {
		return 0, fmt.Errorf("bad percentage %q: must not be negative", s)
	}
	num, ok := strings.CutSuffix(s, "%")
	if !ok {
		if _, isNum := decimal(s); isNum {
			return 0, fmt.Errorf("bad percentage %q: no %% sign; %s", s, percentExpect)
		}
		return 0, fmt.Errorf("bad percentage %q: %s", s, percentExpect)
	}
	r, ok := decimal(num)
	if !ok {
		return 0, fmt.Errorf("bad percentage %q: %s%s", s, percentExpect,
			didYouMean(s, func(s string) string { return strings.ReplaceAll(s, " ", "") }, ParsePercent))
	}
	f, _ := r.Quo(r, big.NewRat(100, 1)).Float64()
	return f, nil
}

// day is not a time.Duration unit; the scenario format adds it.
const day = 24 * time.Hour

// ParseDuration parses a duration as Go writes it ("90s", "1h30m",
// "250ms") with days in front if wanted ("2d", "1d12h", "1.5d"). It parses
// zero and negative durations; callers decide whether those make sense.
func ParseDuration(s string) (time.Duration, error) {
	bad := func(why string) error {
		return fmt.Errorf("bad duration %q: %s%s", s, why, durationExpect)
	}
	rest, neg := strings.CutPrefix(s, "-")
	if !neg {
		rest = strings.TrimPrefix(rest, "+")
	}
	var d time.Duration
	days, after, hasDays := strings.Cut(rest, "d")
	if hasDays {
		r, ok := decimal(days)
		if !ok {
			return 0, bad("")
		}
		v, fits := roundInt(r.Mul(r, new(big.Rat).SetInt64(int64(day))))
		if !fits {
			return 0, fmt.Errorf("bad duration %q: too long", s)
		}
		d, rest = time.Duration(v), after
		if rest == "" {
			return sign(d, neg), nil
		}
	}
	// Go's parser takes its own sign; after our sign (or days) there must be
	// none, so "1d-5h" is rejected rather than read as 19h.
	if rest == "" || !(rest[0] >= '0' && rest[0] <= '9' || rest[0] == '.') {
		return 0, bad("")
	}
	if _, ok := decimal(rest); ok && rest != "0" {
		return 0, bad("no unit; ")
	}
	// Without days Go's parser takes the sign back, so that the most
	// negative duration, which Go writes and whose magnitude does not fit,
	// reads too.
	if !hasDays && neg {
		rest, neg = "-"+rest, false
	}
	g, err := time.ParseDuration(rest)
	if err != nil {
		// Go reports syntax and overflow alike as "invalid duration":
		// well-formed, it is too long, as many days would be.
		if goDurationSyntax.MatchString(strings.TrimPrefix(rest, "-")) {
			return 0, fmt.Errorf("bad duration %q: too long", s)
		}
		return 0, bad("")
	}
	if d > 0 && g > time.Duration(1<<63-1)-d {
		return 0, fmt.Errorf("bad duration %q: too long", s)
	}
	return sign(d+g, neg), nil
}

// goDurationSyntax is what time.ParseDuration reads, whatever the size:
// numbers each with a unit.
var goDurationSyntax = regexp.MustCompile(`^(([0-9]+\.?[0-9]*|\.[0-9]+)(ns|us|µs|μs|ms|s|m|h))+$`)

func sign(d time.Duration, neg bool) time.Duration {
	if neg {
		return -d
	}
	return d
}

// didYouMean returns "; did you mean X?" when fix turns s into something
// parse accepts, and "" otherwise.
func didYouMean[T any](s string, fix func(string) string, parse func(string) (T, error)) string {
	f := fix(s)
	if f == s {
		return ""
	}
	if _, err := parse(f); err != nil {
		return ""
	}
	return fmt.Sprintf("; did you mean %q?", f)
}
