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

// Point is one combination of values, in one scenario.
type Point struct {
	Index    int
	Source   int // index into Spec.Sources
	Settings []Setting
}

// Plan is every run of a sweep in its one order: point by point (the
// scenarios in the file's order; within each, the points given whole,
// each crossed with the grid, its last key varying fastest), and the
// seeds in order within each point. A run's index in that order decides
// its shard and its place in the document, whatever ran it.
type Plan struct {
	Spec   *Spec
	Points []Point
	bases  []*yaml.Node // each source's tree, aliases written out
}

// NewPlan lists the sweep's points and builds each point's scenario
// once, so that every problem of every point is reported before a run
// starts; check, when not nil, is given each point's scenario as built
// (the caller's resource guard), and its first error is NewPlan's.
func NewPlan(spec *Spec, check func(*scenarios.Scenario) error) (*Plan, error) {
	pl := &Plan{Spec: spec}
	var errs scenarios.ErrorList
	for i, src := range spec.Sources {
		var doc yaml.Node
		if err := yaml.Unmarshal(src.Data, &doc); err != nil || len(doc.Content) != 1 {
			// The scenario parser says what is wrong with it.
			if _, perr := scenarios.ParseWith(src.File, src.Data, src.Options); perr != nil {
				return nil, perr
			}
			return nil, fmt.Errorf("%s: cannot read it as YAML: %v", src.File, err)
		}
		e := &editor{file: spec.File}
		base, err := e.copyTree(doc.Content[0])
		if err != nil {
			n := spec.sourceNodes[i]
			return nil, scenarios.ErrorList{{File: spec.File, Line: n.Line, Col: n.Column, Msg: err.Error()}}
		}
		pl.bases = append(pl.bases, base)
		for _, given := range spec.Points {
			for _, combo := range combinations(spec.Grid) {
				settings := append(append(slices.Clone(spec.Set), given...), combo...)
				if dup := repeated(settings); dup != nil {
					return nil, scenarios.ErrorList{{File: spec.File, Line: dup.Pos.Line, Col: dup.Pos.Col,
						Msg: fmt.Sprintf("%s is given twice (in set:, vary: or a point); give it in one place", dup.Path)}}
				}
				pl.Points = append(pl.Points, Point{Index: len(pl.Points), Source: i, Settings: settings})
			}
		}
	}
	for i := range pl.Points {
		sc, err := pl.Scenario(i)
		if err == nil && check != nil {
			if err := check(sc); err != nil {
				return nil, err
			}
		}
		if err != nil {
			var list scenarios.ErrorList
			if !errors.As(err, &list) {
				return nil, err
			}
			for _, e := range list {
				if len(errs) < 20 && !containsError(errs, e) {
					errs = append(errs, e)
				}
			}
		}
	}
	if len(errs) > 0 {
		return nil, errs
	}
	return pl, nil
}

func containsError(list scenarios.ErrorList, e *scenarios.Error) bool {
	for _, x := range list {
		if *x == *e {
			return true
		}
	}
	return false
}

// combinations is the grid's points, the last key varying fastest.
func combinations(grid []Param) [][]Setting {
	out := [][]Setting{nil}
	for _, p := range grid {
		var next [][]Setting
		for _, prefix := range out {
			for _, v := range p.Values {
				s := append(append([]Setting(nil), prefix...), Setting{Path: p.Path, Pos: p.Pos, Value: v})
				next = append(next, s)
			}
		}
		out = next
	}
	return out
}

// repeated finds a setting whose path another before it also sets, or
// sets a key inside: the later would overwrite the earlier.
func repeated(settings []Setting) *Setting {
	for i, s := range settings {
		for _, before := range settings[:i] {
			if s.Path == before.Path || strings.HasPrefix(before.Path, s.Path+".") {
				return &settings[i]
			}
		}
	}
	return nil
}

// Runs is how many runs the sweep has: points x seeds.
func (pl *Plan) Runs() int { return len(pl.Points) * len(pl.Spec.Seeds) }

// Run is the point and seed of the run at index k.
func (pl *Plan) Run(k int) (point int, seed uint64) {
	n := len(pl.Spec.Seeds)
	return k / n, pl.Spec.Seeds[k%n]
}

// Shard lists the runs of shard i of n: every n-th run from i, so that
// each shard has a share of every part of the sweep (the costly points
// with the cheap) and the shards together have every run once.
func (pl *Plan) Shard(i, n int) []int {
	var out []int
	for k := i; k < pl.Runs(); k += n {
		out = append(out, k)
	}
	return out
}

// Scenario builds point's scenario: a new one at every call, which the
// caller may change.
func (pl *Plan) Scenario(point int) (*scenarios.Scenario, error) {
	pt := pl.Points[point]
	src := pl.Spec.Sources[pt.Source]
	e := &editor{file: pl.Spec.File}
	root, err := e.copyTree(pl.bases[pt.Source])
	if err != nil {
		return nil, err
	}
	var scales []Setting
	for _, s := range pt.Settings {
		if isRateScale(s.Path) {
			scales = append(scales, s)
			continue
		}
		if err := e.set(root, s, pt.Settings); err != nil {
			return nil, scenarios.ErrorList{err}
		}
	}
	sc, err := scenarios.ParseNode(src.File, root, src.Options)
	if err != nil {
		return nil, e.remap(err, pt, src)
	}
	for _, s := range scales {
		if err := e.scaleRates(sc, s); err != nil {
			return nil, scenarios.ErrorList{err}
		}
	}
	if pl.Spec.Duration > 0 {
		sc.Duration = pl.Spec.Duration
	}
	return sc, nil
}

// remap moves the problems the scenario parser found in the nodes the
// sweep put in to where the sweep file wrote them, and says at which
// point the others arise.
func (e *editor) remap(err error, pt Point, src Source) error {
	var list scenarios.ErrorList
	if !errors.As(err, &list) {
		return fmt.Errorf("%s, at %s: %w", src.File, Label(pt.Settings), err)
	}
	out := make(scenarios.ErrorList, 0, len(list))
	for _, x := range list {
		c := *x
		if c.Line >= sentinelLine && c.Line-sentinelLine < len(e.marks) {
			p := e.marks[c.Line-sentinelLine]
			c.File, c.Line, c.Col = e.file, p.Line, p.Col
			c.Msg = fmt.Sprintf("in %s: %s", src.Ref, c.Msg)
		} else {
			c.Msg = fmt.Sprintf("%s (at the sweep's point %s)", c.Msg, Label(pt.Settings))
		}
		out = append(out, &c)
	}
	return out
}

func isRateScale(path string) bool {
	segs := strings.Split(path, ".")
	return path == rateScale || len(segs) == 3 && segs[0] == "workloads" && segs[2] == rateScale
}

// scaleRates multiplies the rates of every open-loop workload, or of the
// one the path names, by the setting's factor.
func (e *editor) scaleRates(sc *scenarios.Scenario, s Setting) *scenarios.Error {
	f, err := strconv.ParseFloat(s.Value.Text, 64)
	if s.Value.Node.Kind != yaml.ScalarNode || err != nil || !(f > 0) || f > 1e6 {
		return e.errorAt(s.Value.Pos, "%s %q: expected a positive factor, such as 1.5", s.Path, s.Value.Text)
	}
	var names []string
	scaled := 0
	for i := range sc.Workloads {
		w := &sc.Workloads[i]
		names = append(names, w.Name)
		if s.Path != rateScale && "workloads."+w.Name+"."+rateScale != s.Path {
			continue
		}
		switch {
		case w.Trace != nil:
			return e.errorAt(s.Pos, "%s: workload %s replays a trace, whose requests come at the times it recorded; there is no rate to scale", s.Path, w.Name)
		case w.Users > 0:
			return e.errorAt(s.Pos, "%s: workload %s is a closed loop of users; vary workloads.%s.users instead", s.Path, w.Name, w.Name)
		}
		w.Rate *= f
		for j := range w.Stages {
			w.Stages[j].Rate *= f
		}
		if w.Series != nil {
			series := *w.Series
			series.Rates = make([]float64, len(w.Series.Rates))
			for j, r := range w.Series.Rates {
				series.Rates[j] = r * f
			}
			w.Series = &series
		}
		scaled++
	}
	if scaled == 0 {
		name := strings.Split(s.Path, ".")[1]
		if g := scenarios.Suggest(name, names); g != "" {
			return e.errorAt(s.Pos, "%s: the scenario has no workload named %q; did you mean %q?", s.Path, name, g)
		}
		return e.errorAt(s.Pos, "%s: the scenario has no workload named %q (it has: %s)", s.Path, name, strings.Join(names, ", "))
	}
	return nil
}

// Label names a point by its settings, each key by its last part when
// that is enough: "write_capacity=150 target=70%".
func Label(settings []Setting) string {
	ps := parametersOf(settings)
	if len(ps) == 0 {
		return "(as written)"
	}
	return parameters(ps)
}

// parametersOf is what a point varies: its settings but those of set:.
func parametersOf(settings []Setting) []Parameter {
	out := []Parameter{}
	for _, s := range settings {
		if !s.Fixed {
			out = append(out, Parameter{Path: s.Path, Value: s.Value.Text})
		}
	}
	return out
}

func lastPart(path string) string { return path[strings.LastIndex(path, ".")+1:] }
