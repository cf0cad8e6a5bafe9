package aws

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// doc is one decoded input: a tree of map[string]any, []any, string,
// json.Number (or int64/float64 from YAML), bool and nil, with the file
// name for errors and, for YAML, the line:col of each path.
type doc struct {
	file string
	// at maps a JSON path to its "line:col" in a YAML file; nil for JSON.
	at map[string]string
}

// val is one value of a doc and its JSON path ($.Table.KeySchema[0]).
type val struct {
	d    *doc
	path string
	v    any
}

func (v val) present() bool { return v.v != nil }

func (v val) errf(format string, args ...any) error {
	where := v.path
	if pos, ok := v.d.at[v.path]; ok {
		where += " (line " + pos + ")"
	}
	return fmt.Errorf("%s: %s: %s", v.d.file, where, fmt.Sprintf(format, args...))
}

// expected is the error for a value of the wrong shape.
func (v val) expected(what string) error {
	return v.errf("expected %s, got %s", what, describe(v.v))
}

func describe(x any) string {
	switch x := x.(type) {
	case nil:
		return "nothing"
	case string:
		if len(x) > 40 {
			x = x[:40] + "..."
		}
		return strconv.Quote(x)
	case json.Number, int64, float64:
		return fmt.Sprint(x)
	case bool:
		return fmt.Sprint(x)
	case []any:
		return "a list"
	case map[string]any:
		if fn := intrinsic(x); fn != "" {
			return "the unresolved " + fn
		}
		return "an object"
	}
	return fmt.Sprintf("%T", x)
}

// intrinsic names a CloudFormation intrinsic function value ({"Ref": x},
// {"Fn::Sub": x}, and the short tags decoded to those): "" for others.
func intrinsic(m map[string]any) string {
	if len(m) != 1 {
		return ""
	}
	for k := range m {
		if k == "Ref" || k == "Condition" || strings.HasPrefix(k, "Fn::") {
			return k
		}
	}
	return ""
}

func (v val) field(name string) val {
	m, _ := v.v.(map[string]any)
	return val{d: v.d, path: v.path + "." + name, v: m[name]}
}

func (v val) object() (map[string]any, error) {
	m, ok := v.v.(map[string]any)
	if !ok || intrinsic(m) != "" {
		return nil, v.expected("an object")
	}
	return m, nil
}

// list is the elements of a list; an absent value is an empty list.
func (v val) list() ([]val, error) {
	if v.v == nil {
		return nil, nil
	}
	xs, ok := v.v.([]any)
	if !ok {
		return nil, v.expected("a list")
	}
	out := make([]val, len(xs))
	for i, x := range xs {
		out[i] = val{d: v.d, path: fmt.Sprintf("%s[%d]", v.path, i), v: x}
	}
	return out, nil
}

func (v val) str() (string, error) {
	s, ok := v.v.(string)
	if !ok {
		return "", v.expected("a string")
	}
	return s, nil
}

// optStr is a string that may be absent ("" then).
func (v val) optStr() (string, error) {
	if v.v == nil {
		return "", nil
	}
	return v.str()
}

// oneOf is a string among choices.
func (v val) oneOf(choices ...string) (string, error) {
	s, ok := v.v.(string)
	for _, c := range choices {
		if ok && s == c {
			return s, nil
		}
	}
	quoted := make([]string, len(choices))
	for i, c := range choices {
		quoted[i] = strconv.Quote(c)
	}
	want := strings.Join(quoted, " or ")
	if len(quoted) > 2 {
		want = "one of " + strings.Join(quoted, ", ")
	}
	return "", v.expected(want)
}

func (v val) boolean() (bool, error) {
	switch x := v.v.(type) {
	case bool:
		return x, nil
	case string: // CloudFormation templates often quote booleans
		if b, err := strconv.ParseBool(x); err == nil {
			return b, nil
		}
	}
	return false, v.expected("true or false")
}

// number is a finite non-negative number; templates may quote it.
func (v val) number() (float64, error) {
	var f float64
	var err error
	switch x := v.v.(type) {
	case json.Number:
		f, err = x.Float64()
	case int64:
		f = float64(x)
	case float64:
		f = x
	case string:
		f, err = strconv.ParseFloat(strings.TrimSpace(x), 64)
	default:
		return 0, v.expected("a number")
	}
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) || f < 0 {
		return 0, v.expected("a non-negative number")
	}
	return f, nil
}

// integer is a non-negative whole number below 2^53.
func (v val) integer() (int64, error) {
	f, err := v.number()
	if err != nil {
		return 0, v.expected("a non-negative whole number")
	}
	if f != math.Trunc(f) || f >= 1<<53 {
		return 0, v.expected("a non-negative whole number")
	}
	return int64(f), nil
}
