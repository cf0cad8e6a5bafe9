package threshold

import (
	"fmt"
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	for _, tc := range []struct {
		metric, expr string
		cmp          string
		value        float64
		err          string
	}{
		{"p99_ms", "< 20", "<", 20, ""},
		{"p99_ms", "<=20.5", "<=", 20.5, ""},
		{"throttled_ratio", "< 1%", "<", 0.01, ""},
		{"throttled_ratio", "< 0.1%", "<", 0.001, ""},
		{"cache_hit_rate", ">= 0.9", ">=", 0.9, ""},
		{"availability_min", ">= 99.9%", ">=", 0.999, ""},
		{"retries", "== 0", "==", 0, ""},
		{"throttle_events", ">= 1000", ">=", 1000, ""},
		{"p99_ms", "<< 20", "", 0, `bad threshold "<< 20": expected a comparison (<, <=, >, >= or ==) and a number, such as "< 20" or "<= 1%"`},
		{"p99_ms", "20", "", 0, `bad threshold "20": expected a comparison`},
		{"p99_ms", "< -1", "", 0, `bad threshold "< -1": expected a comparison`},
		{"p99_ms", "< 1e3", "", 0, `bad threshold "< 1e3": expected a comparison`},
		{"throttled_ratio", "< -1%", "", 0, `bad threshold "< -1%": expected a comparison`},
		{"p99_ms", "< 20%", "", 0, `bad threshold "< 20%": percentages apply only to ratio metrics (throttled_ratio, error_ratio, given_up_ratio, cache_hit_rate, availability_min, stale_read_ratio)`},
		{"throttled_ratio", "< 5", "", 0, `bad threshold "< 5": a ratio is a fraction from 0 to 1; did you mean "< 5%"?`},
		{"throttled_ratio", "< 120%", "", 0, `bad threshold "< 120%": a ratio is at most 100%`},
		{"p95_ms", "< 20", "", 0, `unknown metric "p95_ms" (valid metrics: throttled_ratio, error_ratio, given_up_ratio, given_up, p50_ms,`},
	} {
		th, err := Parse(tc.metric, tc.expr)
		switch {
		case tc.err != "":
			if err == nil || !strings.HasPrefix(err.Error(), tc.err) {
				t.Errorf("Parse(%q, %q) error %v, want %s", tc.metric, tc.expr, err, tc.err)
			}
		case err != nil:
			t.Errorf("Parse(%q, %q): %v", tc.metric, tc.expr, err)
		case th != Threshold{Metric: tc.metric, Expr: tc.expr, Cmp: tc.cmp, Value: tc.value}:
			t.Errorf("Parse(%q, %q) = %+v, want %s %v", tc.metric, tc.expr, th, tc.cmp, tc.value)
		}
	}
}

func TestParseLine(t *testing.T) {
	if th, err := ParseLine("cache_hit_rate >= 0.9"); err != nil || th.Value != 0.9 || th.Metric != "cache_hit_rate" || th.Expr != ">= 0.9" {
		t.Errorf("ParseLine: %+v, %v", th, err)
	}
	if th, err := ParseLine(" p99_ms<50 "); err != nil || th.Metric != "p99_ms" || th.Cmp != "<" || th.Value != 50 {
		t.Errorf("ParseLine: %+v, %v", th, err)
	}
	for in, want := range map[string]string{
		"< 20":                `bad SLO "< 20": expected a metric, a comparison and a number, such as "throttled_ratio < 0.1%" or "p99_ms < 50"`,
		"bogus < 20":          `bad SLO "bogus < 20": unknown metric "bogus" (valid metrics: ` + strings.Join(Names(), ", ") + ")",
		"p99_ms << 20":        `bad SLO "p99_ms << 20": bad threshold "<< 20": expected a comparison (<, <=, >, >= or ==) and a number, such as "< 20" or "<= 1%"`,
		"throttled_ratio < 5": `bad SLO "throttled_ratio < 5": bad threshold "< 5": a ratio is a fraction from 0 to 1; did you mean "< 5%"?`,
	} {
		if _, err := ParseLine(in); err == nil || err.Error() != want {
			t.Errorf("ParseLine(%q) error\n %v\nwant\n %s", in, err, want)
		}
	}
}

func TestCheck(t *testing.T) {
	for _, tc := range []struct {
		cmp  string
		v    float64
		pass bool
	}{
		{"<", 0.005, false}, {"<=", 0.005, true}, {">", 0.005, false}, {">=", 0.005, true},
		{"==", 0.005, true}, {"<", 0.004, true}, {">", 0.006, true},
	} {
		got, err := Threshold{Metric: "error_ratio", Cmp: tc.cmp, Value: 0.005}.Check(tc.v)
		if err != nil || got != tc.pass {
			t.Errorf("%v %s 0.005 = %v, %v; want %v", tc.v, tc.cmp, got, err, tc.pass)
		}
	}
	if _, err := (Threshold{Metric: "p99_ms", Cmp: "=<", Value: 20}).Check(1); err == nil || err.Error() != `unknown comparison "=<"` {
		t.Errorf("=< : %v", err)
	}
}

// TestCatalogue pins the list's order, which messages show, and what each
// entry says of itself.
func TestCatalogue(t *testing.T) {
	want := "throttled_ratio error_ratio given_up_ratio given_up p50_ms p90_ms p99_ms p999_ms max_ms mean_ms throttle_events retries " +
		"final_rcu final_wcu partitions capacity_events cache_hit_rate stale_reads dax_throttled " +
		"availability_min max_iterator_age_s records_lost replication_conflicts stale_read_ratio"
	if got := strings.Join(Names(), " "); got != want {
		t.Errorf("Names() = %s\nwant %s", got, want)
	}
	for _, m := range Metrics() {
		if m.Unit == "" || m.Doc == "" || !strings.HasSuffix(m.Doc, ".") {
			t.Errorf("%s: unit %q, doc %q: both wanted, the doc a sentence", m.Name, m.Unit, m.Doc)
		}
		if m.Ratio != (m.Unit == "fraction") {
			t.Errorf("%s: ratio %v with unit %s", m.Name, m.Ratio, m.Unit)
		}
		if got, ok := Lookup(m.Name); !ok || got.Name != m.Name {
			t.Errorf("Lookup(%q) = %+v, %v", m.Name, got, ok)
		}
	}
	for name, want := range map[string]bool{"throttled_ratio": true, "cache_hit_rate": true, "stale_read_ratio": true,
		"availability_min": true, "stale_reads": false, "max_iterator_age_s": false, "nope": false} {
		if IsRatio(name) != want {
			t.Errorf("IsRatio(%q) = %v", name, !want)
		}
	}
}

func TestString(t *testing.T) {
	if got := (Threshold{Metric: "p99_ms", Expr: "< 20ms", Cmp: "<", Value: 20}).String(); got != "< 20ms" {
		t.Errorf("String() = %q, want the expression written", got)
	}
	if got := (Threshold{Metric: "throttled_ratio", Cmp: "<=", Value: 0.01}).String(); got != "<= 0.01" {
		t.Errorf("String() = %q, want one made from Cmp and Value", got)
	}
}

func ExampleParseLine() {
	th, err := ParseLine("throttled_ratio < 0.1%")
	if err != nil {
		fmt.Println(err)
		return
	}
	passed, _ := th.Check(0.0004)
	fmt.Println(th.Metric, th.Cmp, th.Value, passed)
	// Output: throttled_ratio < 0.001 true
}
