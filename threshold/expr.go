package threshold

import (
	"fmt"
	"math/big"
	"strconv"
	"strings"
)

// Threshold is an assertion about a run: Metric (a name from Metrics),
// over Scope (the whole run when zero), compared by Cmp, one of
// < <= > >= ==, with Value, ratios as fractions ("< 1%" is 0.01). Expr is
// the comparison as the user wrote it ("< 1%"), for messages; when empty,
// String makes it from Cmp and Value.
type Threshold struct {
	Metric string
	Scope  Scope
	Expr   string
	Cmp    string
	Value  float64
}

// Name is the metric with its scope, as a threshold is written:
// "p99_ms{workload:eu-readers}", or "p99_ms" over the whole run.
func (t Threshold) Name() string { return t.Metric + t.Scope.String() }

// comparisons are the operators a threshold may use, longest first so that
// "<=" is not read as "<" followed by "=".
var comparisons = []string{"<=", ">=", "==", "<", ">"}

// Parse reads expr, a comparison as a scenario writes it for name: "< 20",
// "<= 1%", ">= 0.5". The name is a metric, scoped or not (ParseName).
// Percentages are allowed for ratio metrics only and become fractions; a
// ratio written as a number must be a fraction.
func Parse(name, expr string) (Threshold, error) {
	m, scope, err := ParseName(name)
	if err != nil {
		return Threshold{}, err
	}
	cmp, v, err := parseComparison(expr, m.Ratio)
	if err != nil {
		return Threshold{}, err
	}
	return Threshold{Metric: m.Name, Scope: scope, Expr: expr, Cmp: cmp, Value: v}, nil
}

// ParseLine reads one threshold written on a line, "metric op value", such
// as "throttled_ratio < 0.1%", "p99_ms<50" or "p99_ms{op:get} < 20": what
// `ddbsim compare --slo` accepts.
func ParseLine(s string) (Threshold, error) {
	in := strings.TrimSpace(s)
	// The name runs to the first comparison or space outside the braces
	// of a scope.
	i, depth := 0, 0
	for ; i < len(in); i++ {
		c := in[i]
		if c == '{' {
			depth++
		} else if c == '}' {
			depth--
		} else if depth == 0 && strings.IndexByte("<>= \t", c) >= 0 {
			break
		}
	}
	metric, expr := in[:i], strings.TrimSpace(in[i:])
	if metric == "" {
		return Threshold{}, fmt.Errorf(`bad SLO %q: expected a metric, a comparison and a number, such as "throttled_ratio < 0.1%%" or "p99_ms < 50"`, s)
	}
	t, err := Parse(metric, expr)
	if err != nil {
		return Threshold{}, fmt.Errorf("bad SLO %q: %v", s, err)
	}
	return t, nil
}

// parseComparison reads "< 20", "<= 1%", ">= 0.5" into an operator and a
// value, percentages as fractions.
func parseComparison(expr string, ratio bool) (string, float64, error) {
	s := strings.TrimSpace(expr)
	var op string
	for _, o := range comparisons {
		if rest, ok := strings.CutPrefix(s, o); ok {
			op, s = o, strings.TrimSpace(rest)
			break
		}
	}
	bad := fmt.Errorf(`bad threshold %q: expected a comparison (<, <=, >, >= or ==) and a number, such as "< 20" or "<= 1%%"`, expr)
	if op == "" {
		return "", 0, bad
	}
	if num, ok := strings.CutSuffix(s, "%"); ok {
		if !ratio {
			return "", 0, fmt.Errorf("bad threshold %q: percentages apply only to ratio metrics (%s)", expr, ratioNames())
		}
		r, ok := Decimal(num)
		if !ok {
			return "", 0, bad
		}
		v, _ := r.Quo(r, big.NewRat(100, 1)).Float64()
		if v > 1 {
			return "", 0, fmt.Errorf("bad threshold %q: a ratio is at most 100%%", expr)
		}
		return op, v, nil
	}
	r, ok := Decimal(s)
	if !ok {
		return "", 0, bad
	}
	v, _ := r.Float64()
	// A ratio is a fraction; "< 5" most likely meant 5%, which a
	// comparison with 5 would never catch.
	if ratio && v > 1 {
		return "", 0, fmt.Errorf("bad threshold %q: a ratio is a fraction from 0 to 1; did you mean %q?", expr, op+" "+s+"%")
	}
	return op, v, nil
}

// MaxNumberLen bounds the digits a number may have: enough for any
// int64, small enough that exact arithmetic on hostile input stays cheap.
// The scenario format's numbers (sizes, rates, counts) share the bound and
// the grammar (Decimal).
const MaxNumberLen = 40

// Decimal parses a non-negative decimal such as "12" or "1.5", exactly. A
// dot needs digits on both sides; signs and exponents are not accepted.
// It is the number grammar of threshold expressions and of the scenario
// format's units alike.
func Decimal(s string) (*big.Rat, bool) {
	if s == "" || len(s) > MaxNumberLen {
		return nil, false
	}
	dot := false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9':
		case c == '.' && !dot && i > 0 && i < len(s)-1:
			dot = true
		default:
			return nil, false
		}
	}
	return new(big.Rat).SetString(s)
}

// String is the comparison as written, or made from Cmp and Value.
func (t Threshold) String() string {
	if t.Expr != "" {
		return t.Expr
	}
	return t.Cmp + " " + strconv.FormatFloat(t.Value, 'g', -1, 64)
}

// Check compares a measured value with the threshold; an unknown
// comparison is an error.
func (t Threshold) Check(v float64) (bool, error) {
	switch t.Cmp {
	case "<":
		return v < t.Value, nil
	case "<=":
		return v <= t.Value, nil
	case ">":
		return v > t.Value, nil
	case ">=":
		return v >= t.Value, nil
	case "==":
		return v == t.Value, nil
	}
	return false, fmt.Errorf("unknown comparison %q", t.Cmp)
}
