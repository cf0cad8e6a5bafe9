package sweep

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/ddbsim/ddbsim/scenarios"
)

// A point's scenario is its source's YAML with the point's settings put
// in at their paths, then parsed as any scenario file is: so any key of
// the format can be varied, and a value the format refuses is refused
// with the scenario parser's own message. The nodes a sweep puts in carry
// marked line numbers, from sentinelLine up, which the editor maps back
// to the sweep file: a problem with a varied value or a misspelt key is
// reported where the sweep file wrote it.
//
// Paths: a key of a mapping is its name; an item of a list of named
// things (tables, workloads, indexes, clusters) is its name, or its
// index from 0. A missing key is added, with the mappings above it.
//
// Two keys are the sweep's own, for what no one scenario key says:
// rate_scale multiplies every open-loop workload's rate (its rate, its
// stages and its series), and workloads.NAME.rate_scale one workload's.

// sentinelLine is above any line a scenario file can have (files are
// bounded far below a billion lines).
const sentinelLine = 1 << 30

// rateScale is the sweep's key that scales rates.
const rateScale = "rate_scale"

// maxTreeNodes bounds the copy of a scenario's tree with its aliases
// written out: the scenario parser bounds its walk at a million nodes too.
const maxTreeNodes = 2_000_000

// editor builds one point's scenario tree.
type editor struct {
	file  string // the sweep file
	marks []scenarios.Pos
	nodes int
}

// mark gives n and everything under it the sweep file's position p.
func (e *editor) mark(n *yaml.Node, p scenarios.Pos) {
	e.marks = append(e.marks, p)
	line := sentinelLine + len(e.marks) - 1
	var walk func(*yaml.Node)
	walk = func(n *yaml.Node) {
		n.Line, n.Column = line, 1
		for _, c := range n.Content {
			walk(c)
		}
	}
	walk(n)
}

// copyTree copies n with every alias replaced by a copy of what it
// names, so that an edit reaches one place only.
func (e *editor) copyTree(n *yaml.Node) (*yaml.Node, error) {
	if e.nodes++; e.nodes > maxTreeNodes {
		return nil, errors.New("the scenario is too large to vary, with its aliases written out")
	}
	if n.Kind == yaml.AliasNode && n.Alias != nil {
		return e.copyTree(n.Alias)
	}
	c := *n
	c.Content = make([]*yaml.Node, len(n.Content))
	for i, ch := range n.Content {
		var err error
		if c.Content[i], err = e.copyTree(ch); err != nil {
			return nil, err
		}
	}
	return &c, nil
}

func (e *editor) errorAt(p scenarios.Pos, format string, args ...any) *scenarios.Error {
	return &scenarios.Error{File: e.file, Line: p.Line, Col: p.Col, Msg: fmt.Sprintf(format, args...)}
}

// notInMode are the keys of a table that a table in a capacity mode
// cannot have: a point that switches a table's mode drops them, unless it
// sets them itself (and the scenario parser then says why not).
var notInMode = map[string][]string{
	"on-demand":   {"read_capacity", "write_capacity", "autoscaling", "reserved"},
	"provisioned": {"max_throughput"},
}

// set puts s's value at its path in root, a scenario's mapping.
func (e *editor) set(root *yaml.Node, s Setting, all []Setting) *scenarios.Error {
	segs := strings.Split(s.Path, ".")
	n := root
	for i, seg := range segs {
		where := strings.Join(segs[:i], ".")
		if where == "" {
			where = "the scenario"
		}
		last := i == len(segs)-1
		switch n.Kind {
		case yaml.MappingNode:
			at := -1
			for j := 0; j+1 < len(n.Content); j += 2 {
				if n.Content[j].Value == seg {
					at = j + 1
				}
			}
			if last {
				v, err := e.copyTree(s.Value.Node)
				if err != nil {
					return e.errorAt(s.Value.Pos, "%s: %v", s.Path, err)
				}
				e.mark(v, s.Value.Pos)
				if at < 0 {
					k := &yaml.Node{Kind: yaml.ScalarNode, Value: seg}
					e.mark(k, s.Pos)
					n.Content = append(n.Content, k, v)
				} else {
					n.Content[at] = v
				}
				if seg == "mode" && len(segs) == 3 && segs[0] == "tables" {
					dropOtherMode(n, s.Value.Node.Value, segs[:2], all)
				}
				return nil
			}
			if at < 0 {
				k := &yaml.Node{Kind: yaml.ScalarNode, Value: seg}
				m := &yaml.Node{Kind: yaml.MappingNode}
				e.mark(k, s.Pos)
				e.mark(m, s.Pos)
				n.Content = append(n.Content, k, m)
				n = m
				continue
			}
			n = n.Content[at]
		case yaml.SequenceNode:
			item, names := named(n, seg)
			if item == nil {
				if idx, err := strconv.Atoi(seg); err == nil && idx >= 0 && idx < len(n.Content) {
					item = n.Content[idx]
				}
			}
			if item == nil {
				if g := scenarios.Suggest(seg, names); g != "" {
					return e.errorAt(s.Pos, "%s: %s has no item named %q; did you mean %q?", s.Path, where, seg, g)
				}
				return e.errorAt(s.Pos, "%s: %s has no item named %q (it has: %s)", s.Path, where, seg, strings.Join(names, ", "))
			}
			if last {
				return e.errorAt(s.Pos, "%s: a sweep sets a key of %s %q, not the whole item; add the key to the path", s.Path, where, seg)
			}
			n = item
		default:
			return e.errorAt(s.Pos, "%s: %s is %s, which has no key %q", s.Path, where, kindName(n), seg)
		}
	}
	return nil
}

// named finds the item of a list whose name: is name, and lists the names.
func named(list *yaml.Node, name string) (item *yaml.Node, names []string) {
	for _, it := range list.Content {
		if it.Kind != yaml.MappingNode {
			continue
		}
		for j := 0; j+1 < len(it.Content); j += 2 {
			if it.Content[j].Value == "name" {
				names = append(names, it.Content[j+1].Value)
				if it.Content[j+1].Value == name && item == nil {
					item = it
				}
			}
		}
	}
	return item, names
}

// dropOtherMode removes from table the keys a table in mode cannot have,
// except those the point sets (prefix: tables.NAME).
func dropOtherMode(table *yaml.Node, mode string, prefix []string, all []Setting) {
	var kept []*yaml.Node
	for j := 0; j+1 < len(table.Content); j += 2 {
		key := strings.Join(append(slices.Clone(prefix), table.Content[j].Value), ".")
		setHere := slices.ContainsFunc(all, func(s Setting) bool {
			return s.Path == key || strings.HasPrefix(s.Path, key+".")
		})
		if slices.Contains(notInMode[mode], table.Content[j].Value) && !setHere {
			continue
		}
		kept = append(kept, table.Content[j], table.Content[j+1])
	}
	table.Content = kept
}
