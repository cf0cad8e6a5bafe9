package scenarios

// Arrival shapes of an open loop beyond rate and stages: how stages join
// (shape: ramp | step), spikes ({at, for, multiplier}) and a daily cycle
// (diurnal: {peak_hour, ratio}). They compose in that order: the stages'
// rate, multiplied inside each spike, multiplied by the daily cycle.

import (
	"cmp"
	"slices"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

// shapeKeys are the workload keys read here.
var shapeKeys = []string{"shape", "spikes", "diurnal"}

// shapes reads shape, spikes and diurnal. They shape an open loop's
// arrivals: a closed loop rejects them with the other open-loop keys
// (openLoopKeys), and a trace or YCSB workload, whose file sets the
// arrivals, here.
func (p *parser) shapes(f *fields, w *Workload) {
	if f.get("trace") != nil {
		for _, k := range shapeKeys {
			if kn := f.key[k]; kn != nil {
				p.errorf(kn, "%s cannot be combined with trace: the trace gives each request's time, key, operation and item size", k)
			}
		}
		return
	}
	if f.get("ycsb") != nil {
		for _, k := range shapeKeys {
			if kn := f.key[k]; kn != nil {
				p.errorf(kn, "%s cannot be combined with ycsb: the YCSB file decides it", k)
			}
		}
		return
	}
	if f.get("users") != nil {
		return
	}
	// With a series, shape is reported as a clash (seriesClashes).
	if v := f.get("shape"); v != nil && f.get("series") == nil {
		w.Shape = p.oneOf(v, "shape", "ramp", "step")
		switch {
		case f.get("stages") == nil:
			p.errorf(f.key["shape"], "shape applies only to stages: it says how the rate moves from one stage to the next")
		case w.Shape == "step" && f.get("rate") != nil:
			p.errorf(f.key["rate"], "rate has no effect with shape: step, where the first stage's rate applies from the start; remove it")
		}
	}
	if v := f.get("spikes"); v != nil {
		w.Spikes = p.spikes(v)
	}
	if v := f.get("diurnal"); v != nil {
		w.Diurnal = p.diurnal(v)
	}
}

// spikes reads [{at, for, multiplier}], in any order; spikes may not
// overlap, though one may start where another ends.
func (p *parser) spikes(n *yaml.Node) []Spike {
	var out []Spike
	type placed struct {
		sp Spike
		at *yaml.Node
	}
	var valid []placed // spikes whose at and for are good, for the overlap check
	for _, it := range p.list(n, "spikes", "") {
		f, ok := p.fields(it, "spike", "at", "for", "multiplier")
		if !ok {
			continue
		}
		before := len(p.errs)
		sp := Spike{Pos: pos(it)}
		at := p.require(f, "at", "when the spike starts, such as at: 10m")
		if at != nil {
			var ok bool
			if sp.At, ok = value(p, at, "spikes.at", "a duration such as 10m", ParseDuration); ok && sp.At < 0 {
				p.errorf(at, "spikes.at must not be negative, got %s", at.Value)
			}
		}
		if v := p.require(f, "for", "how long the spike lasts, such as for: 2m"); v != nil {
			sp.For = p.duration(v, "spikes.for")
		}
		if v := p.require(f, "multiplier", "what the rate is multiplied by, such as multiplier: 5"); v != nil {
			sp.Multiplier = p.number(v, "spikes.multiplier")
		}
		if len(p.errs) == before && at != nil && sp.For > 0 {
			valid = append(valid, placed{sp, at})
		}
		out = append(out, sp)
	}
	slices.SortStableFunc(valid, func(a, b placed) int { return cmp.Compare(a.sp.At, b.sp.At) })
	for i := 1; i < len(valid); i++ {
		prev, cur := valid[i-1], valid[i]
		if end := prev.sp.At + prev.sp.For; cur.sp.At < end {
			p.errorf(cur.at, "spikes may not overlap: this one starts at %s, before the one at %s (line %d) ends at %s",
				cur.at.Value, prev.at.Value, prev.sp.Pos.Line, shortDuration(end))
		}
	}
	return out
}

// shortDuration writes d as a scenario would: 2h30m rather than 2h30m0s.
func shortDuration(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}

// diurnal reads {peak_hour, ratio}.
func (p *parser) diurnal(n *yaml.Node) *Diurnal {
	f, ok := p.fields(n, "diurnal", "peak_hour", "ratio")
	if !ok {
		return nil
	}
	d := &Diurnal{}
	if v := p.require(f, "peak_hour", "the hour of the day, UTC, when traffic peaks, such as peak_hour: 14"); v != nil {
		if h, ok := p.plainNumber(v, "diurnal.peak_hour", "an hour of the day such as 14 or 9.5"); ok {
			d.PeakHour = h
			if h < 0 || h >= 24 {
				p.errorf(v, "diurnal.peak_hour must be at least 0 and less than 24, got %s", v.Value)
			}
		}
	}
	if v := p.require(f, "ratio", "peak over trough traffic, such as ratio: 3"); v != nil {
		if r, ok := p.plainNumber(v, "diurnal.ratio", "a number such as 3"); ok {
			d.Ratio = r
			if r < 1 {
				p.errorf(v, "diurnal.ratio must be at least 1 (peak over trough traffic), got %s", v.Value)
			}
		}
	}
	return d
}

// plainNumber parses a decimal such as 14, 9.5 or -1 (want says what is
// expected, in messages); the caller checks its range.
func (p *parser) plainNumber(n *yaml.Node, field, want string) (float64, bool) {
	s, ok := p.scalar(n, field, want)
	if !ok {
		return 0, false
	}
	r, ok := decimal(strings.TrimPrefix(s, "-"))
	if !ok {
		p.errorf(n, "%s: expected %s, got %s", field, want, describe(n))
		return 0, false
	}
	f, _ := r.Float64()
	if strings.HasPrefix(s, "-") {
		f = -f
	}
	return f, true
}
