package threshold

import (
	"fmt"
	"strings"
)

// Scope narrows a metric to part of the run: the requests of one workload,
// those one table served, or one operation's, written after the metric's
// name in braces: p99_ms{workload:eu-readers}, throttled_ratio{table:orders},
// p99_ms{op:get}, p99_ms{workload:eu-readers,op:get}. The zero Scope is the
// whole run.
type Scope struct {
	Workload string // a workload's name, or ""
	Table    string // a table's name, or ""
	Op       string // an operation's scenario name ("get"), or ""
}

// Scope kinds, as Metric.Scopes lists them.
const (
	ScopeWorkload = "workload"
	ScopeTable    = "table"
	ScopeOp       = "op"
)

// IsZero reports whether s is the whole run.
func (s Scope) IsZero() bool { return s == Scope{} }

// String writes s as a threshold names it, "{workload:a,op:get}"; "" for
// the whole run.
func (s Scope) String() string {
	var parts []string
	if s.Workload != "" {
		parts = append(parts, ScopeWorkload+":"+s.Workload)
	}
	if s.Table != "" {
		parts = append(parts, ScopeTable+":"+s.Table)
	}
	if s.Op != "" {
		parts = append(parts, ScopeOp+":"+s.Op)
	}
	if len(parts) == 0 {
		return ""
	}
	return "{" + strings.Join(parts, ",") + "}"
}

// kinds lists what s narrows by, in the order Scope.String writes them.
func (s Scope) kinds() []string {
	var k []string
	if s.Workload != "" {
		k = append(k, ScopeWorkload)
	}
	if s.Table != "" {
		k = append(k, ScopeTable)
	}
	if s.Op != "" {
		k = append(k, ScopeOp)
	}
	return k
}

// ParseName splits a threshold's name, "p99_ms" or "p99_ms{workload:a,op:get}",
// into a known metric and its scope. The scope's syntax and kinds are
// checked here; whether the workload, table or operation it names exists is
// the caller's to check (scenarios knows the names and suggests the nearest;
// reports.Result.ScopedMetric fails a threshold on a name the run does not
// have). "get.p99_ms" is refused with the spelling that works.
func ParseName(name string) (Metric, Scope, error) {
	base, rest, scoped := strings.Cut(name, "{")
	m, ok := Lookup(base)
	if !ok {
		if op, metric, dotted := strings.Cut(base, "."); dotted && op != "" {
			if _, known := Lookup(metric); known {
				return Metric{}, Scope{}, fmt.Errorf("unknown metric %q: a metric of one operation is written %s{op:%s}", name, metric, op)
			}
		}
		return Metric{}, Scope{}, fmt.Errorf("unknown metric %q (valid metrics: %s)", base, strings.Join(Names(), ", "))
	}
	if !scoped {
		return m, Scope{}, nil
	}
	body, ok := strings.CutSuffix(rest, "}")
	if !ok || strings.ContainsAny(body, "{}") {
		return Metric{}, Scope{}, fmt.Errorf("bad scope in %q: expected %s{workload:NAME}, {table:NAME} or {op:NAME}, pairs separated by commas", name, base)
	}
	var s Scope
	for _, pair := range strings.Split(body, ",") {
		kind, value, ok := strings.Cut(strings.TrimSpace(pair), ":")
		kind, value = strings.TrimSpace(kind), strings.TrimSpace(value)
		if !ok || value == "" {
			return Metric{}, Scope{}, fmt.Errorf("bad scope %q in %q: expected kind:NAME, such as workload:eu-readers", pair, name)
		}
		var dst *string
		switch kind {
		case ScopeWorkload:
			dst = &s.Workload
		case ScopeTable:
			dst = &s.Table
		case ScopeOp:
			dst = &s.Op
		default:
			return Metric{}, Scope{}, fmt.Errorf("unknown scope %q in %q (valid: workload, table, op)", kind, name)
		}
		if *dst != "" {
			return Metric{}, Scope{}, fmt.Errorf("scope %s given twice in %q", kind, name)
		}
		*dst = value
	}
	if s.Workload != "" && s.Table != "" {
		return Metric{}, Scope{}, fmt.Errorf("%q: a scope names a workload or a table, not both (a workload's requests go to its table)", name)
	}
	for _, k := range s.kinds() {
		if !strings.Contains(","+m.Scopes+",", ","+k+",") {
			return Metric{}, Scope{}, fmt.Errorf("%s cannot be scoped by %s (%s)", base, k, scopesDoc(m))
		}
	}
	return m, s, nil
}

func scopesDoc(m Metric) string {
	if m.Scopes == "" {
		return "it is measured over the whole run only"
	}
	return "it takes " + strings.ReplaceAll(m.Scopes, ",", ", ")
}
