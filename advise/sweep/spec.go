package sweep

// The sweep file (format v1):
//
//	version: 1
//	scenario: web-backend          # a built-in name or a path; or scenarios: [a, b]
//	duration: 5m                   # optional: every run's duration
//	seeds: 3                       # seeds 1..3, or a list: [7, 11]
//	set:                           # optional: keys every point has, put in first
//	  tables.sessions.autoscaling: {min: 50, max: 400}
//	vary:                          # a grid: every combination of the values
//	  tables.sessions.write_capacity: [100, 150, 200]
//	  tables.sessions.autoscaling.target: {from: 50%, to: 90%, step: 20%}
//	points:                        # optional: points given whole, each crossed with the grid
//	  - {tables.sessions.mode: on-demand}
//
// It is walked node by node, as scenario files are, so that every problem
// names its line and column.

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/ddbsim/ddbsim/scenarios"
)

// Bounds that keep a sweep file from asking for unbounded work or memory.
const (
	// MaxRuns bounds points x seeds: each run keeps a record (a few KB
	// with its latency histogram) until the document is written.
	MaxRuns = 100_000
	// MaxSeeds bounds a seed count or list.
	MaxSeeds = 10_000
	// maxValues bounds one range's values.
	maxValues = 10_000
)

// Source is one scenario a sweep varies, as read: the name its messages
// use, its YAML, and how the files it names are read.
type Source struct {
	Ref     string // as the sweep file names it
	File    string // the name in messages
	Data    []byte
	Options scenarios.ParseOptions
}

// Loader reads the scenario a sweep file names (a path, relative to dir
// when not absolute, or a built-in name).
type Loader func(ref, dir string) (Source, error)

// Spec is a parsed sweep file.
type Spec struct {
	File string
	// Digest identifies the sweep: the SHA-256 of the sweep file and of
	// every scenario it names, so that shards of different sweeps are
	// never merged.
	Digest      string
	Sources     []Source
	Duration    time.Duration // 0: each scenario's own
	Seeds       []uint64
	Set         []Setting   // every point's, put in before the point's own
	Grid        []Param     // every combination, in file order, the last varying fastest
	Points      [][]Setting // given whole; one empty point when absent
	sourceNodes []*yaml.Node
}

// Param is one key the grid varies.
type Param struct {
	Path   string
	Pos    scenarios.Pos
	Values []Value
}

// Value is one value a key takes: the YAML node to put at the path, and
// how the sweep's records write it.
type Value struct {
	Text string
	Node *yaml.Node
	Pos  scenarios.Pos
}

// Setting is a key given one value at one point.
type Setting struct {
	Path  string
	Pos   scenarios.Pos // the key's, in the sweep file
	Value Value
	Fixed bool // from set:, the same at every point: not a parameter
}

var specKeys = []string{"version", "scenario", "scenarios", "duration", "seeds", "set", "vary", "points"}

// specParser collects the problems of one sweep file.
type specParser struct {
	file string
	errs scenarios.ErrorList
}

func (p *specParser) errorf(n *yaml.Node, format string, args ...any) {
	if len(p.errs) < 20 {
		p.errs = append(p.errs, &scenarios.Error{File: p.file, Line: n.Line, Col: n.Column, Msg: fmt.Sprintf(format, args...)})
	}
}

func pos(n *yaml.Node) scenarios.Pos { return scenarios.Pos{Line: n.Line, Col: n.Column} }

// Parse reads a sweep file. dir is the directory scenario paths are
// relative to; load reads each scenario. Every problem is reported with
// file:line:col, in a scenarios.ErrorList.
func Parse(file string, data []byte, dir string, load Loader) (*Spec, error) {
	p := &specParser{file: file}
	spec := &Spec{File: file}
	var doc yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, scenarios.ErrorList{{File: file, Line: 1, Col: 1, Msg: "the file is empty; a sweep file starts with version: 1"}}
		}
		return nil, scenarios.ErrorList{{File: file, Line: 1, Col: 1, Msg: "cannot read YAML: " + strings.TrimPrefix(err.Error(), "yaml: ")}}
	}
	if len(doc.Content) != 1 || doc.Content[0].Kind != yaml.MappingNode {
		return nil, scenarios.ErrorList{{File: file, Line: 1, Col: 1, Msg: "a sweep file is a mapping of keys such as version: 1, scenario:, seeds: and vary:"}}
	}
	root := doc.Content[0]
	fields := p.fields(root, "the sweep file", specKeys)
	if v := fields["version"]; v == nil {
		p.errorf(root, "the sweep file is missing version (expected version: 1)")
	} else if v.Kind != yaml.ScalarNode || v.Value != "1" {
		p.errorf(v, "version %s is not known; this ddbsim reads sweep files of version 1", v.Value)
		return nil, p.errs
	}
	p.scenarios(fields, spec, dir, load)
	if v := fields["duration"]; v != nil {
		d, err := scenarios.ParseDuration(v.Value)
		if err == nil && d <= 0 {
			err = errors.New("must be positive")
		}
		if v.Kind != yaml.ScalarNode || err != nil {
			p.errorf(v, "duration %q: expected a positive duration such as 5m or 1h30m", v.Value)
		}
		spec.Duration = d
	}
	spec.Seeds = p.seeds(fields["seeds"], root)
	if v := fields["set"]; v != nil {
		spec.Set = p.set(v)
	}
	if v := fields["vary"]; v != nil {
		spec.Grid = p.grid(v)
	}
	spec.Points = [][]Setting{nil}
	if v := fields["points"]; v != nil {
		spec.Points = p.points(v)
	}
	if fields["vary"] == nil && fields["points"] == nil {
		p.errorf(root, "the sweep file varies nothing: give vary: (a grid of values by key path) or points:")
	}
	if len(p.errs) > 0 {
		return nil, p.errs
	}
	if spec.Runs() > MaxRuns {
		return nil, scenarios.ErrorList{{File: file, Line: root.Line, Col: root.Column,
			Msg: fmt.Sprintf("the sweep asks for more than %d runs (scenarios x points x values of each key x seeds); split it into several sweeps", MaxRuns)}}
	}
	h := sha256.New()
	h.Write(data)
	for _, s := range spec.Sources {
		h.Write(s.Data)
	}
	spec.Digest = "sha256:" + hex.EncodeToString(h.Sum(nil))
	return spec, nil
}

// Runs is how many runs the sweep asks for (scenarios x points x each
// key's values x seeds), or MaxRuns+1 when that is more than MaxRuns.
func (s *Spec) Runs() int {
	n := len(s.Sources) * len(s.Points) * len(s.Seeds)
	for _, g := range s.Grid {
		if n *= len(g.Values); n > MaxRuns {
			return MaxRuns + 1
		}
	}
	return min(n, MaxRuns+1)
}

// fields returns a mapping's values by key, reporting unknown and
// repeated keys.
func (p *specParser) fields(n *yaml.Node, label string, known []string) map[string]*yaml.Node {
	out := map[string]*yaml.Node{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		switch {
		case !slices.Contains(known, k.Value):
			if s := scenarios.Suggest(k.Value, known); s != "" {
				p.errorf(k, "unknown key %q in %s; did you mean %q?", k.Value, label, s)
			} else {
				p.errorf(k, "unknown key %q in %s (valid: %s)", k.Value, label, strings.Join(known, ", "))
			}
		case out[k.Value] != nil:
			p.errorf(k, "%s is given twice in %s", k.Value, label)
		default:
			out[k.Value] = v
		}
	}
	return out
}

func (p *specParser) scenarios(fields map[string]*yaml.Node, spec *Spec, dir string, load Loader) {
	var refs []*yaml.Node
	one, many := fields["scenario"], fields["scenarios"]
	switch {
	case one != nil && many != nil:
		p.errorf(many, "give scenario: or scenarios:, not both")
		return
	case one != nil:
		refs = []*yaml.Node{one}
	case many != nil:
		if many.Kind != yaml.SequenceNode || len(many.Content) == 0 {
			p.errorf(many, "scenarios: expected a list of built-in names or paths, such as [web-backend, flash-sale]")
			return
		}
		refs = many.Content
	default:
		p.errorf(&yaml.Node{Line: 1, Column: 1}, "the sweep file is missing scenario (a built-in name, such as web-backend, or a path)")
		return
	}
	for _, r := range refs {
		if r.Kind != yaml.ScalarNode || r.Value == "" {
			p.errorf(r, "a scenario is a built-in name or a path, not %s", kindName(r))
			continue
		}
		src, err := load(r.Value, dir)
		if err != nil {
			p.errorf(r, "%v", err)
			continue
		}
		spec.Sources = append(spec.Sources, src)
		spec.sourceNodes = append(spec.sourceNodes, r)
	}
}

// seeds reads a count (seeds 1..N) or a list of distinct seeds.
func (p *specParser) seeds(n, root *yaml.Node) []uint64 {
	if n == nil {
		p.errorf(root, "the sweep file is missing seeds (a count, such as seeds: 5 for seeds 1 to 5, or a list)")
		return nil
	}
	if n.Kind == yaml.ScalarNode {
		c, err := strconv.ParseUint(n.Value, 10, 64)
		if err != nil || c < 1 || c > MaxSeeds {
			p.errorf(n, "seeds %q: expected a count from 1 to %d, or a list of seeds", n.Value, MaxSeeds)
			return nil
		}
		out := make([]uint64, c)
		for i := range out {
			out[i] = uint64(i) + 1
		}
		return out
	}
	if n.Kind != yaml.SequenceNode || len(n.Content) == 0 || len(n.Content) > MaxSeeds {
		p.errorf(n, "seeds: expected a count from 1 to %d, or a list of seeds such as [7, 11]", MaxSeeds)
		return nil
	}
	var out []uint64
	for _, it := range n.Content {
		s, err := strconv.ParseUint(it.Value, 10, 64)
		switch {
		case it.Kind != yaml.ScalarNode || err != nil:
			p.errorf(it, "seed %q: expected a whole number from 0 to %d", it.Value, uint64(1<<64-1))
		case slices.Contains(out, s):
			p.errorf(it, "seed %d is given twice", s)
		default:
			out = append(out, s)
		}
	}
	return out
}

// grid reads vary: a mapping of key path to values.
func (p *specParser) grid(n *yaml.Node) []Param {
	if n.Kind != yaml.MappingNode || len(n.Content) == 0 {
		p.errorf(n, "vary: expected a mapping of key paths to values, such as tables.orders.write_capacity: [100, 200]")
		return nil
	}
	var out []Param
	p.eachPath(n, "vary:", func(k, v *yaml.Node) {
		out = append(out, Param{Path: k.Value, Pos: pos(k), Values: p.values(k.Value, v)})
	})
	return out
}

// path checks a key path's shape: dot-separated, no empty part.
func (p *specParser) path(k *yaml.Node) bool {
	if k.Kind != yaml.ScalarNode || k.Value == "" || slices.Contains(strings.Split(k.Value, "."), "") {
		p.errorf(k, "%q is not a key path; expected keys joined by dots, such as tables.orders.write_capacity", k.Value)
		return false
	}
	return true
}

// set reads set: a mapping of key path to the one value every point has.
func (p *specParser) set(n *yaml.Node) []Setting {
	if n.Kind != yaml.MappingNode || len(n.Content) == 0 {
		p.errorf(n, "set: expected a mapping of key paths to values, such as tables.orders.autoscaling: {min: 50, max: 400}")
		return nil
	}
	return p.settings(n, "set:", true)
}

// points reads points: a list of mappings of key path to one value.
func (p *specParser) points(n *yaml.Node) [][]Setting {
	if n.Kind != yaml.SequenceNode || len(n.Content) == 0 {
		p.errorf(n, "points: expected a list of points, each a mapping of key paths to values, such as - {tables.orders.mode: on-demand}")
		return nil
	}
	var out [][]Setting
	for _, it := range n.Content {
		if it.Kind != yaml.MappingNode {
			p.errorf(it, "a point is a mapping of key paths to values, not %s", kindName(it))
			continue
		}
		out = append(out, p.settings(it, "this point", false))
	}
	return out
}

// settings reads a mapping of key path to one value each.
func (p *specParser) settings(n *yaml.Node, where string, fixed bool) []Setting {
	var out []Setting
	p.eachPath(n, where, func(k, v *yaml.Node) {
		out = append(out, Setting{Path: k.Value, Pos: pos(k), Value: literal(v), Fixed: fixed})
	})
	return out
}

// eachPath calls f with each key path of the mapping n and its value,
// reporting a key that is no path, or a path given twice in where.
func (p *specParser) eachPath(n *yaml.Node, where string, f func(k, v *yaml.Node)) {
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if !p.path(k) {
			continue
		}
		if seen[k.Value] {
			p.errorf(k, "%s is given twice in %s", k.Value, where)
			continue
		}
		seen[k.Value] = true
		f(k, v)
	}
}

func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.AliasNode:
		return "an alias"
	}
	return fmt.Sprintf("%q", n.Value)
}
