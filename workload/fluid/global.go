package fluid

import (
	"math"
	"slices"

	"github.com/ddbsim/ddbsim/model"
	"github.com/ddbsim/ddbsim/model/units"
	"github.com/ddbsim/ddbsim/sim"
)

// Global tables and region outages under the aggregate driver.
//
// A workload on a replica of a global table sends each tick's requests to
// the replica its client would (workload.Source.route): its own, unless
// it has seen the region down FailoverAfter ago, then the first of its
// failover replicas it has not. The route is decided at the tick's start;
// the share of the tick the chosen region is down fails with
// region_unavailable, retried as a throttle is (within the attempts and
// the retry quota), without reaching admission.
//
// After each tick's admission the driver hands the model, for each global
// table, what every replica admitted and the tick's write rates of its
// items (model.CountGlobal), which replicates the writes as counts and
// counts stale reads. The items' rates come from the workloads' key
// popularity: the keyspace is cut into classes of items equally popular
// with every workload (each key of the first ranks of a Zipf its own
// class, then ranges 5% apart in rank; one class for a uniform
// distribution, two for a hotspot), and a class's rate in a replica is
// the writes the replica admitted from each workload times the
// workload's weight per item of the class. Workloads name keys by index
// (store.AppendSyntheticKey), so two workloads' key of one index is one
// item; rotation and YCSB's latest distribution are taken at rank =
// index, and inserted keys are written by no one else.

// globalSet is a global table's workloads and classes, and its tick's
// traffic for the model.
type globalSet struct {
	home     int
	replicas []int
	sources  []*Source
	bounds   [][2]int64  // each class's key indices [lo, hi)
	weight   [][]float64 // by source, by class: its share of the source's traffic
	none     []float64   // a share of no class: inserted keys
	traffic  model.GlobalTraffic
}

// zipfSingles is how many of a Zipf's first ranks are classes of their
// own; classGrowth how much wider each class after them is.
const (
	zipfSingles = 256
	classGrowth = 1.05
)

// setUpGlobals groups the sources by global table, once all are added.
func (d *Driver) setUpGlobals() {
	d.globalsReady = true
	for _, s := range d.sources {
		replicas := d.svc.Replicas(s.cfg.Table)
		if replicas == nil {
			continue
		}
		i := slices.IndexFunc(d.globals, func(g *globalSet) bool { return g.home == replicas[0] })
		if i < 0 {
			d.globals = append(d.globals, &globalSet{home: replicas[0], replicas: replicas})
			i = len(d.globals) - 1
		}
		d.globals[i].sources = append(d.globals[i].sources, s)
	}
	for _, g := range d.globals {
		g.classify()
	}
}

// classify cuts the keyspace into the classes and weighs each source's
// traffic over them.
func (g *globalSet) classify() {
	cuts := []int64{0}
	for _, s := range g.sources {
		m := &s.keys
		cuts = append(cuts, m.count)
		switch m.kind {
		case keyHotspot:
			cuts = append(cuts, m.hot)
		case keyZipf, keyTabled:
			for r := int64(1); r <= min(m.count, zipfSingles); r++ {
				cuts = append(cuts, r)
			}
			for r := float64(zipfSingles); r < float64(m.count); r = math.Ceil(r * classGrowth) {
				cuts = append(cuts, int64(r))
			}
		}
	}
	slices.Sort(cuts)
	cuts = slices.Compact(cuts)
	for i := 1; i < len(cuts); i++ {
		if cuts[i] > cuts[i-1] {
			g.bounds = append(g.bounds, [2]int64{cuts[i-1], cuts[i]})
		}
	}
	g.none = make([]float64, len(g.bounds))
	shards := float64(max(g.sources[0].cfg.Shards, 1))
	g.traffic = model.GlobalTraffic{Table: g.home, Classes: make([]model.KeyClass, len(g.bounds))}
	for c, b := range g.bounds {
		g.traffic.Classes[c] = model.KeyClass{Keys: float64(b[1]-b[0]) * shards, Write: make([]float64, len(g.replicas))}
	}
	for _, s := range g.sources {
		m := &s.keys
		total := m.between(0, m.count)
		w := make([]float64, len(g.bounds))
		for c, b := range g.bounds {
			if total > 0 {
				w[c] = m.between(b[0], b[1]) / total
			}
		}
		g.weight = append(g.weight, w)
	}
}

// countGlobals hands the model each global table's tick [now, to).
func (d *Driver) countGlobals(now, to sim.Time) {
	if !d.globalsReady {
		d.setUpGlobals()
	}
	secs := (to - now).Seconds()
	for _, g := range d.globals {
		gt := &g.traffic
		for c := range gt.Classes {
			clear(gt.Classes[c].Write)
		}
		gt.Flows = gt.Flows[:0]
		for si, s := range g.sources {
			r := slices.Index(g.replicas, s.table)
			w := g.weight[si]
			for oi := range s.ops {
				o := &s.ops[oi]
				if !o.op.IsWrite() && o.op != units.OpGet {
					continue
				}
				grp := &o.group
				if !offered(grp.Offered) {
					continue // not admitted this tick: Admitted is an old tick's
				}
				o.applied = resize(o.applied, len(grp.Admitted))
				var n int64
				for i, a := range grp.Admitted {
					if o.op.IsWrite() {
						a -= int64(math.Round(float64(a) * o.entry.ConditionFailure)) // a failed condition writes nothing
					}
					o.applied[i] = a
					n += a
				}
				if n == 0 {
					continue
				}
				share := w
				if o.entry.Insert {
					share = g.none
				} else if o.op.IsWrite() {
					for c := range gt.Classes {
						if k := gt.Classes[c].Keys; k > 0 {
							gt.Classes[c].Write[r] += float64(n) / secs * w[c] / k
						}
					}
				}
				gt.Flows = append(gt.Flows, model.GlobalFlow{Table: s.table, Op: o.op, Cost: grp.Cost, Counts: o.applied,
					Place: grp.Place, Share: share})
			}
		}
		if len(gt.Flows) > 0 {
			d.svc.CountGlobal(now, to, gt)
		}
	}
}

// route points the tick [now, to) at the replica the client would send
// it to, and notes the share of the tick its region is down. It reports
// whether the replica changed.
func (s *Source) route(now, to sim.Time) bool {
	svc := s.d.svc
	t := s.cfg.Table
	if len(s.cfg.Failover) > 0 {
		seen := now - s.cfg.FailoverAfter
		if !svc.Available(t, seen) {
			for _, f := range s.cfg.Failover {
				if svc.Available(f, seen) {
					t = f
					break
				}
			}
		}
	}
	s.downShare = 0
	region := svc.Tables()[t].Region()
	for _, f := range svc.Faults() {
		if f.Region == region {
			lo, hi := max(now, f.At), min(to, f.At+f.Outage)
			if hi > lo {
				s.downShare += float64(hi-lo) / float64(to-now)
			}
		}
	}
	s.downShare = min(s.downShare, 1)
	changed := t != s.table
	s.table = t
	return changed
}

// holdDown takes the share of the tick's offered requests that meet
// their region down out of what admission sees (opState.down).
func (s *Source) holdDown() {
	for oi := range s.ops {
		o := &s.ops[oi]
		o.down = resize(o.down, len(o.group.Offered))
		if s.downShare <= 0 {
			continue
		}
		for i, n := range o.group.Offered {
			d := n
			if s.downShare < 1 {
				x := float64(n) * s.downShare
				d = int64(math.Floor(x))
				if s.share.Float64() < x-float64(d) {
					d++
				}
			}
			o.down[i] = d
			o.group.Offered[i] -= d
		}
		if g := &o.group; !offered(g.Offered) {
			// Admission will not see the group: it admits none.
			g.Admitted = resize(g.Admitted, len(g.Offered))
			g.Reason = resize(g.Reason, len(g.Offered))
		}
	}
}

// restoreDown puts the requests holdDown took back among the offered,
// not admitted, for settle.
func (s *Source) restoreDown() {
	for oi := range s.ops {
		o := &s.ops[oi]
		for i, d := range o.down {
			if i < len(o.group.Offered) {
				o.group.Offered[i] += d
			}
		}
	}
}

// failDown turns, of each operation's refused requests on each
// partition, those that met their region down into region_unavailable
// errors, in proportion over the attempts they were refused at.
func (s *Source) failDown() {
	if s.downShare <= 0 {
		return
	}
	out := s.scratchThr[:0]
	for lo := 0; lo < len(s.throttled); {
		t0 := s.throttled[lo]
		hi := lo
		var refused int64
		for hi < len(s.throttled) && s.throttled[hi].op == t0.op && s.throttled[hi].part == t0.part {
			refused += s.throttled[hi].n
			hi++
		}
		down := int64(0)
		if d := s.ops[t0.op].down; t0.part < len(d) {
			down = min(d[t0.part], refused)
		}
		var cum, given int64
		for _, t := range s.throttled[lo:hi] {
			cum += t.n
			e := down*cum/max(refused, 1) - given
			given += e
			if e > 0 {
				f := t
				f.n, f.err, f.reason = e, model.ErrRegionUnavailable, model.NotThrottled
				out = append(out, f)
			}
			if t.n > e {
				t.n -= e
				out = append(out, t)
			}
		}
		lo = hi
	}
	s.throttled, s.scratchThr = out, s.throttled
	for oi := range s.ops {
		clear(s.ops[oi].down)
	}
}
