package aws

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/ddbsim/ddbsim/scenarios"
	"gopkg.in/yaml.v3"
)

// what names the accepted inputs in errors.
const what = "AWS output about DynamoDB tables (describe-table, describe-time-to-live, " +
	"describe-scalable-targets, describe-scaling-policies, a CloudFormation/SAM template " +
	"or terraform show -json)"

// maxNodes bounds the values one YAML file may expand to through aliases.
const maxNodes = 1 << 20

// Read recognises which kind of input data is by its content and reads
// it. name is the file name errors and Sources carry.
//
// The kinds are told apart by their top-level keys: "Table"
// (describe-table; "TableDescription" from create-table or update-table), "TimeToLiveDescription" (describe-time-to-live),
// "ScalableTargets" and "ScalingPolicies" (application-autoscaling),
// "Resources" (a CloudFormation or SAM template, JSON or YAML), and
// "format_version" with "values" or "planned_values" (terraform show
// -json of a state or a plan). Anything else is an error naming them.
func Read(name string, data []byte) (*Description, error) {
	if len(data) > scenarios.MaxFileSize {
		return nil, &scenarios.TooLargeError{File: name, What: what}
	}
	root, err := decode(name, data)
	if err != nil {
		return nil, err
	}
	m, ok := root.v.(map[string]any)
	if !ok {
		return nil, root.expected("an object: " + what)
	}
	r := &reader{file: name, desc: &Description{}}
	switch {
	case m["Table"] != nil:
		err = r.describeTable(root.field("Table"))
	case m["TableDescription"] != nil: // create-table and update-table print this shape
		err = r.describeTable(root.field("TableDescription"))
	case m["TimeToLiveDescription"] != nil:
		err = r.timeToLive(root.field("TimeToLiveDescription"))
	case m["ScalableTargets"] != nil:
		err = r.scalableTargets(root.field("ScalableTargets"))
	case m["ScalingPolicies"] != nil:
		err = r.scalingPolicies(root.field("ScalingPolicies"))
	case m["Resources"] != nil:
		err = r.template(root)
	case m["format_version"] != nil && (m["values"] != nil || m["planned_values"] != nil):
		err = r.terraform(root)
	default:
		keys := slices.Sorted(func(yield func(string) bool) {
			for k := range m {
				if !yield(k) {
					return
				}
			}
		})
		if len(keys) > 8 {
			keys = append(keys[:8], "...")
		}
		return nil, root.errf("expected %s; got an object with keys [%s]", what, strings.Join(keys, " "))
	}
	if err != nil {
		return nil, err
	}
	return r.desc, nil
}

// reader holds what one file adds up to.
type reader struct {
	file string
	desc *Description
}

func (r *reader) note(format string, args ...any) {
	r.desc.Notes = append(r.desc.Notes, r.file+": "+fmt.Sprintf(format, args...))
}

// table is the description's table of that name, added when new.
func (r *reader) table(name string) *TableSpec {
	for i := range r.desc.Tables {
		if r.desc.Tables[i].Name == name {
			return &r.desc.Tables[i]
		}
	}
	r.desc.Tables = append(r.desc.Tables, TableSpec{Name: name})
	return &r.desc.Tables[len(r.desc.Tables)-1]
}

// decode parses JSON (a document starting with '{') or YAML into a tree.
func decode(name string, data []byte) (val, error) {
	d := &doc{file: name}
	trimmed := bytes.TrimLeft(bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")), " \t\r\n")
	if len(trimmed) == 0 {
		return val{}, fmt.Errorf("%s: empty; expected %s", name, what)
	}
	if trimmed[0] == '{' || trimmed[0] == '[' {
		dec := json.NewDecoder(bytes.NewReader(trimmed))
		dec.UseNumber()
		var v any
		if err := dec.Decode(&v); err != nil {
			return val{}, jsonError(name, trimmed, err)
		}
		if _, err := dec.Token(); !errors.Is(err, io.EOF) {
			return val{}, fmt.Errorf("%s: line %s: invalid JSON: more after the first value", name, lineCol(trimmed, dec.InputOffset()))
		}
		return val{d: d, path: "$", v: v}, nil
	}
	var n yaml.Node
	if err := yaml.Unmarshal(trimmed, &n); err != nil {
		return val{}, fmt.Errorf("%s: invalid JSON or YAML: %v", name, strings.TrimPrefix(err.Error(), "yaml: "))
	}
	d.at = map[string]string{}
	count := 0
	v, err := fromYAML(d, &n, "$", &count, 0)
	if err != nil {
		return val{}, err
	}
	return val{d: d, path: "$", v: v}, nil
}

func jsonError(name string, data []byte, err error) error {
	var syntax *json.SyntaxError
	if errors.As(err, &syntax) {
		return fmt.Errorf("%s: line %s: invalid JSON: %v", name, lineCol(data, syntax.Offset), err)
	}
	if errors.Is(err, io.ErrUnexpectedEOF) {
		return fmt.Errorf("%s: line %s: invalid JSON: the file ends in the middle of a value; is it cut short?", name, lineCol(data, int64(len(data))))
	}
	return fmt.Errorf("%s: invalid JSON: %v", name, err)
}

func lineCol(data []byte, offset int64) string {
	offset = min(max(offset, 0), int64(len(data)))
	before := data[:offset]
	line := bytes.Count(before, []byte("\n")) + 1
	col := len(before) - bytes.LastIndexByte(before, '\n')
	return fmt.Sprintf("%d:%d", line, col)
}

// fromYAML turns a YAML node into the tree JSON decodes to. A short-form
// intrinsic tag (!Ref x, !Sub s, !GetAtt a.b, !If [...]) becomes the long
// form ({"Ref": x}, {"Fn::Sub": s}, ...), left for the readers to resolve
// or report.
func fromYAML(d *doc, n *yaml.Node, path string, count *int, depth int) (any, error) {
	*count++
	if *count > maxNodes || depth > 1000 {
		return nil, fmt.Errorf("%s: %s (line %d:%d): more than %d values or nested deeper than 1000; expected %s", d.file, path, n.Line, n.Column, maxNodes, what)
	}
	if _, ok := d.at[path]; !ok {
		d.at[path] = fmt.Sprintf("%d:%d", n.Line, n.Column)
	}
	var v any
	var err error
	switch n.Kind {
	case yaml.DocumentNode:
		if len(n.Content) == 0 {
			return nil, nil
		}
		return fromYAML(d, n.Content[0], path, count, depth+1)
	case yaml.AliasNode:
		return fromYAML(d, n.Alias, path, count, depth+1)
	case yaml.MappingNode:
		m := make(map[string]any, len(n.Content)/2)
		for i := 0; i+1 < len(n.Content); i += 2 {
			key := n.Content[i].Value
			if m[key], err = fromYAML(d, n.Content[i+1], path+"."+key, count, depth+1); err != nil {
				return nil, err
			}
		}
		v = m
	case yaml.SequenceNode:
		xs := make([]any, len(n.Content))
		for i, c := range n.Content {
			if xs[i], err = fromYAML(d, c, fmt.Sprintf("%s[%d]", path, i), count, depth+1); err != nil {
				return nil, err
			}
		}
		v = xs
	case yaml.ScalarNode:
		v = scalar(n)
	}
	if tag := n.Tag; strings.HasPrefix(tag, "!") && !strings.HasPrefix(tag, "!!") {
		fn := tag[1:]
		if fn != "Ref" && fn != "Condition" {
			fn = "Fn::" + fn
		}
		v = map[string]any{fn: v}
	}
	return v, nil
}

func scalar(n *yaml.Node) any {
	switch n.ShortTag() {
	case "!!null":
		return nil
	case "!!int", "!!float", "!!bool":
		var x any
		if n.Decode(&x) == nil {
			if i, ok := x.(int); ok {
				return int64(i)
			}
			return x
		}
	}
	return n.Value
}
