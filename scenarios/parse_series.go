package scenarios

// A workload's rate given step by step (series:), as an imported
// CloudWatch history has it: one rate a step from t=0, gaps marked ~.

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

// MaxSeriesSteps bounds the steps of a scenario's series, all workloads
// together: 10 million steps are 19 years of minutes or 116 days of
// seconds, and hold 80 MB of rates. Aliases let a small file repeat a
// long row; the bound keeps its memory bounded all the same.
const MaxSeriesSteps = 10_000_000

// seriesExcludes are the workload keys a series conflicts with: it gives
// every step's rate itself (rate, stages, shape), and it is an open loop
// whose arrivals no file decides (users, trace, ycsb).
var seriesExcludes = []string{"rate", "stages", "shape", "users", "trace", "ycsb"}

// seriesClashes reports each key of f that a series excludes, at that key,
// naming where the series is.
func (p *parser) seriesClashes(f *fields) {
	sk := f.key["series"]
	if sk == nil {
		return
	}
	for _, k := range seriesExcludes {
		if kn := f.key[k]; kn != nil {
			p.errorf(kn, "%s cannot be combined with series (at %d:%d): a series gives the rate of every step of an open loop", k, sk.Line, sk.Column)
		}
	}
}

// series reads series: {step, burst, rates}.
func (p *parser) series(n *yaml.Node) *Series {
	s := &Series{Pos: pos(n), Burst: 1}
	f, ok := p.fields(n, "series", "step", "burst", "rates")
	if !ok {
		return s
	}
	stepOK := false
	if v := p.require(f, "step", "the time each rate holds, such as step: 1m"); v != nil {
		d, ok := value(p, v, "series.step", "a duration such as 1m", ParseDuration)
		switch {
		case !ok:
		case d < time.Second:
			p.errorf(v, "series.step must be at least 1s, got %s", v.Value)
		case d%time.Second != 0:
			p.errorf(v, "series.step must be whole seconds, got %s", v.Value)
		default:
			stepOK = true
		}
		s.Step = d
	}
	if v := f.get("burst"); v != nil {
		b := p.number(v, "series.burst")
		switch {
		case b <= 0: // reported by number
		case math.IsInf(b, 0) || b < 1:
			p.errorf(v, "series.burst must be at least 1 (1: a step's requests spread over all of it), got %s", v.Value)
		case stepOK && b > s.Step.Seconds():
			p.errorf(v, "series.burst must be at most the step in seconds (%s), so that a step's requests take at least a second, got %s",
				strconv.FormatFloat(s.Step.Seconds(), 'f', -1, 64), v.Value)
		}
		s.Burst = b
	}
	if v := p.require(f, "rates", "requests per second, one per step, such as rates: [100, 99.5, ~, 101]"); v != nil {
		s.Rates, s.Missing = p.seriesRates(v)
	}
	return s
}

// seriesRates reads rates: a list whose entries are a rate, ~ (a gap: a
// step with no datapoint, which runs at 0 and is counted in missing), or a
// flow sequence of those, one level deep.
func (p *parser) seriesRates(n *yaml.Node) (rates []float64, missing int) {
	items := p.list(n, "series.rates", "give one rate per step, such as rates: [100, 99.5, ~, 101]")
	for _, it := range items {
		values := []*yaml.Node{it}
		if it.Kind == yaml.SequenceNode {
			values = it.Content
		}
		for _, v := range values {
			v = resolve(v)
			if p.seriesSteps == MaxSeriesSteps {
				// At the list: an aliased row's values are elsewhere.
				p.errorf(n, "series.rates: more than %d steps in the scenario's series (MaxSeriesSteps); split the history or use a longer step", MaxSeriesSteps)
				return rates, missing
			}
			p.seriesSteps++
			r, gap := p.seriesRate(v, len(rates))
			if gap {
				missing++
			}
			rates = append(rates, r)
		}
	}
	return rates, missing
}

// seriesRate reads one step's rate: ~ (a gap, reported as such), a plain
// number of requests per second (100, 99.5, 1.5k) or a rate (1.5k/s).
func (p *parser) seriesRate(n *yaml.Node, step int) (rate float64, gap bool) {
	field := "series.rates: step " + strconv.Itoa(step)
	switch {
	case n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null":
		return 0, true
	case n.Kind == yaml.SequenceNode:
		p.errorf(n, "%s: expected a rate or ~, got a list (a flow sequence of rates holds rates, one level deep)", field)
		return 0, false
	case n.Kind != yaml.ScalarNode:
		p.errorf(n, "%s: expected a rate such as 100 or 1.5k/s, or ~ for a gap, got %s", field, describe(n))
		return 0, false
	}
	s := n.Value
	if plainNumber(s) { // the common case, kept fast for long series
		if f, err := strconv.ParseFloat(s, 64); err == nil {
			return f, false
		}
	}
	var r float64
	switch {
	case strings.HasPrefix(s, "-"):
		p.errorf(n, "%s: a rate must not be negative, got %s", field, s)
		return 0, false
	case strings.Contains(s, "/"):
		v, err := ParseRate(s)
		if err != nil {
			p.errorf(n, "%s: %v", field, err)
			return 0, false
		}
		r = v
	default:
		v, ok := scaled(s)
		if !ok {
			p.errorf(n, "%s: expected requests per second such as 100, 99.5 or 1.5k/s, or ~ for a gap, got %s", field, describe(n))
			return 0, false
		}
		r, _ = v.Float64()
	}
	if math.IsInf(r, 0) || math.IsNaN(r) {
		p.errorf(n, "%s: %s is too large", field, s)
		return 0, false
	}
	return r, false
}

// plainNumber reports whether s is digits with at most one inner dot, as
// strconv.ParseFloat reads exactly.
func plainNumber(s string) bool {
	if s == "" || len(s) > 30 {
		return false
	}
	dot := false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9':
		case c == '.' && !dot && i > 0 && i < len(s)-1:
			dot = true
		default:
			return false
		}
	}
	return true
}

// seriesNotes are the notes a run of s will give about its series: the
// gaps each holds, and a series that ends before the scenario does.
func seriesNotes(s *Scenario) []string {
	var notes []string
	for _, w := range s.Workloads {
		sr := w.Series
		if sr == nil || sr.Step <= 0 || len(sr.Rates) == 0 {
			continue
		}
		if sr.Missing > 0 {
			notes = append(notes, fmt.Sprintf("workload %s: %d of the %d steps of its series are gaps (~, no datapoint); they run at 0 requests/s, not filled in",
				w.Name, sr.Missing, len(sr.Rates)))
		}
		// The steps the duration needs, counted without multiplying (a
		// long step times many steps may not fit a Duration).
		needed := s.Duration / sr.Step
		if s.Duration%sr.Step != 0 {
			needed++
		}
		if int64(len(sr.Rates)) < int64(needed) {
			covered := time.Duration(len(sr.Rates)) * sr.Step
			notes = append(notes, fmt.Sprintf("workload %s: its series covers %v of the scenario's %v (%d steps of %v); after it the rate is 0",
				w.Name, covered, s.Duration, len(sr.Rates), sr.Step))
		}
	}
	return notes
}
