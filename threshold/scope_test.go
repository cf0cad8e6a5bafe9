package threshold

import (
	"strings"
	"testing"
)

func TestParseScoped(t *testing.T) {
	for _, tc := range []struct {
		line, name string
		scope      Scope
		err        string
	}{
		{"p99_ms{workload:eu-readers} < 50", "p99_ms{workload:eu-readers}", Scope{Workload: "eu-readers"}, ""},
		{"throttled_ratio{table:orders} < 1%", "throttled_ratio{table:orders}", Scope{Table: "orders"}, ""},
		{"p99_ms{op:get}<20", "p99_ms{op:get}", Scope{Op: "get"}, ""},
		{"p99_ms{op:get, workload:a} < 20", "p99_ms{workload:a,op:get}", Scope{Workload: "a", Op: "get"}, ""},
		{"final_rcu{table:orders} >= 100", "final_rcu{table:orders}", Scope{Table: "orders"}, ""},
		{"get.p99_ms < 20", "", Scope{}, `unknown metric "get.p99_ms": a metric of one operation is written p99_ms{op:get}`},
		{"p99_ms{region:x} < 20", "", Scope{}, `unknown scope "region"`},
		{"p99_ms{workload:a,table:b} < 20", "", Scope{}, `a scope names a workload or a table, not both`},
		{"p99_ms{workload:a,workload:b} < 20", "", Scope{}, `scope workload given twice`},
		{"p99_ms{workload} < 20", "", Scope{}, `bad scope "workload"`},
		{"p99_ms{workload:a < 20", "", Scope{}, `bad scope in "p99_ms{workload:a < 20`},
		{"retries{op:get} < 20", "", Scope{}, `retries cannot be scoped by op (it takes workload, table)`},
		{"cache_hit_rate{table:a} > 0.5", "", Scope{}, `cache_hit_rate cannot be scoped by table (it is measured over the whole run only)`},
	} {
		th, err := ParseLine(tc.line)
		switch {
		case tc.err != "":
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("ParseLine(%q) error %v, want %s", tc.line, err, tc.err)
			}
		case err != nil:
			t.Errorf("ParseLine(%q): %v", tc.line, err)
		case th.Name() != tc.name || th.Scope != tc.scope:
			t.Errorf("ParseLine(%q) = %s %+v, want %s %+v", tc.line, th.Name(), th.Scope, tc.name, tc.scope)
		}
	}
}
