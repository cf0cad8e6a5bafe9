package scenarios

import (
	"fmt"
	"slices"
	"strings"
)

// ParseThreshold reads one threshold written on a line, "metric op value",
// such as "throttled_ratio < 0.1%" or "p99_ms<50": a metric a scenario's
// thresholds may name (see ThresholdMetrics) and a comparison as the
// scenario writes it. It is what `ddbsim compare --slo` accepts.
func ParseThreshold(s string) (Threshold, error) {
	in := strings.TrimSpace(s)
	i := strings.IndexFunc(in, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_')
	})
	if i < 0 {
		i = len(in)
	}
	metric, expr := in[:i], strings.TrimSpace(in[i:])
	if metric == "" {
		return Threshold{}, fmt.Errorf(`bad SLO %q: expected a metric, a comparison and a number, such as "throttled_ratio < 0.1%%" or "p99_ms < 50"`, s)
	}
	if !slices.Contains(thresholdMetrics, metric) {
		return Threshold{}, fmt.Errorf("bad SLO %q: unknown metric %q (valid metrics: %s)", s, metric, strings.Join(thresholdMetrics, ", "))
	}
	op, v, err := parseThreshold(expr, isRatioMetric(metric))
	if err != nil {
		return Threshold{}, fmt.Errorf("bad SLO %q: %v", s, err)
	}
	return Threshold{Metric: metric, Expr: expr, Cmp: op, Value: v}, nil
}
