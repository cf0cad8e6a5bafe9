package sweep

import (
	"math"
	"regexp"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// values reads the values a key takes: a list of values, or a range
// {from, to, step} or {from, to, count} of numbers that may share a
// unit suffix (50%, 100/s, 2KB).
func (p *specParser) values(path string, n *yaml.Node) []Value {
	switch n.Kind {
	case yaml.SequenceNode:
		if len(n.Content) == 0 {
			p.errorf(n, "%s: the list of values is empty", path)
			return nil
		}
		var out []Value
		for _, it := range n.Content {
			out = append(out, literal(it))
		}
		return out
	case yaml.MappingNode:
		return p.span(path, n)
	}
	p.errorf(n, "%s: expected a list of values, such as [100, 200], or a range, such as {from: 100, to: 400, step: 100}", path)
	return nil
}

// literal is a value as the sweep file writes it.
func literal(n *yaml.Node) Value {
	text := n.Value
	if n.Kind != yaml.ScalarNode {
		c := *n
		c.Style = yaml.FlowStyle
		b, err := yaml.Marshal(&c)
		if err == nil {
			text = strings.TrimSpace(string(b))
		}
	}
	return Value{Text: text, Node: n, Pos: pos(n)}
}

var numberWithUnit = regexp.MustCompile(`^(-?[0-9]+(?:\.[0-9]+)?)(.*)$`)

// span expands a range into its values, from `from` to `to` inclusive.
func (p *specParser) span(path string, n *yaml.Node) []Value {
	f := p.fields(n, path+"'s range", []string{"from", "to", "step", "count"})
	from, to := f["from"], f["to"]
	if from == nil || to == nil || (f["step"] == nil) == (f["count"] == nil) {
		p.errorf(n, "%s: a range needs from, to, and step or count (one of the two), such as {from: 100, to: 400, step: 100}", path)
		return nil
	}
	unit := ""
	number := func(v *yaml.Node, what string) (float64, bool) {
		m := numberWithUnit.FindStringSubmatch(v.Value)
		if v.Kind != yaml.ScalarNode || m == nil {
			p.errorf(v, "%s: %s %q is not a number (with a unit, such as 70%% or 100/s, if the key has one)", path, what, v.Value)
			return 0, false
		}
		if what == "from" {
			unit = m[2]
		} else if m[2] != unit {
			p.errorf(v, "%s: %s %q has not the unit of from (%q)", path, what, v.Value, unit)
			return 0, false
		}
		x, _ := strconv.ParseFloat(m[1], 64)
		return x, true
	}
	lo, ok1 := number(from, "from")
	hi, ok2 := number(to, "to")
	if !ok1 || !ok2 {
		return nil
	}
	var xs []float64
	if s := f["step"]; s != nil {
		step, ok := number(s, "step")
		if !ok {
			return nil
		}
		if step <= 0 || hi < lo {
			p.errorf(s, "%s: a range runs up from from to to by a positive step", path)
			return nil
		}
		if (hi-lo)/step >= maxValues {
			p.errorf(s, "%s: the range has more than %d values", path, maxValues)
			return nil
		}
		// Each value from its index, not by adding steps, so that the
		// rounding of a step does not pile up; to is kept when the steps
		// land on it within rounding.
		for i := 0; ; i++ {
			x := lo + float64(i)*step
			if x > hi+step*1e-9 {
				break
			}
			xs = append(xs, min(x, hi))
		}
	} else {
		c, err := strconv.Atoi(f["count"].Value)
		if err != nil || c < 2 || c > maxValues || hi < lo {
			p.errorf(f["count"], "%s: count %q: expected 2 to %d values from from up to to", path, f["count"].Value, maxValues)
			return nil
		}
		for i := range c {
			xs = append(xs, lo+(hi-lo)*float64(i)/float64(c-1))
		}
	}
	out := make([]Value, len(xs))
	for i, x := range xs {
		// Twelve significant digits hide a step's binary rounding
		// (0.1 x 3 = 0.30000000000000004) and keep every value a user
		// can mean.
		text := strconv.FormatFloat(roundSignificant(x, 12), 'f', -1, 64) + unit
		out[i] = Value{Text: text, Node: &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: text, Line: n.Line, Column: n.Column}, Pos: pos(n)}
		if unit == "" {
			out[i].Node.Tag = "" // a plain number, as a user writes it
		}
	}
	return out
}

func roundSignificant(x float64, digits int) float64 {
	if x == 0 {
		return 0
	}
	scale := math.Pow(10, float64(digits)-math.Ceil(math.Log10(math.Abs(x))))
	return math.Round(x*scale) / scale
}
