package model

import (
	"math"

	"github.com/ddbsim/ddbsim/model/latency"
	"github.com/ddbsim/ddbsim/model/units"
	"github.com/ddbsim/ddbsim/sim"
)

// Global tables under the aggregate driver: the rules of global.go
// (REFERENCE: global) applied to counts of writes and reads instead of
// items.
//
// The aggregate driver does not know which item each write touches, only
// how popular each item is (KeyClass: items written at the same rates in
// each replica). Replication, conflicts and stale reads then follow from
// the rates, taking each item's writes in each replica to be a Poisson
// process over the lag window (as random key choices of many requests
// are) and each write's lag an independent draw of its pair's lag:
//
//   - A write made at t in replica o reaches replica r at t+L, L drawn
//     from the lag from o to r. Replica r then holds a later write of the
//     item when, in the last y before the arrival, it wrote the item
//     itself (at its rate w_r), or received a write of it made y before
//     (from replica q at the rate w_q·G_qr(y), G_qr the lag's CDF). Those
//     are Poisson in y, so the arrival finds nothing later with
//     probability E(L) = exp(-w_r·L - Σ_q w_q·∫₀ᴸ G_qr) and is applied
//     (delivered, billed at r); otherwise the latest of them wins. The
//     latest is from q with probability ∫₀ᴸ intensity_q(y)·E(y) dy: from
//     o itself, an earlier write overtaken on the way (dropped silently);
//     from anyone else, a conflict.
//   - A read at r is stale when the item's latest write anywhere was made
//     in another replica q, x ago, and has not reached r yet: probability
//     ∫ Σ_q w_q·(1-G_qr(x))·exp(-W·x) dx, W the item's total write rate.
//
// Each write's outcome is averaged over a grid of its lag's quantiles
// (lagGrid), and the rates are those of the tick the write is made in.
// Deliveries are scheduled per tick they are due in, as counts, and
// charged to the receiving replica's capacity without being refused, as
// single replicated writes are; outages hold them as they hold single
// ones (replication.Fire).

// KeyClass is a set of a global table's items written at the same rates:
// Keys of them, each written Write[r] times a second in replica r (r
// indexes Replicas).
type KeyClass struct {
	Keys  float64
	Write []float64
}

// GlobalFlow is one group of requests a tick admitted on a replica of a
// global table: writes, which replicate, or GetItems, which may read
// stale items.
type GlobalFlow struct {
	Table int // the replica's table index
	Op    units.Op
	Cost  units.Units // of each write, as admitted
	// Counts is, by partition of the replica (as Place has them), how
	// many were admitted and, for writes, applied (a failed condition
	// writes nothing).
	Counts []int64
	Place  *Placement
	// Share is the flow's requests over the classes; what it leaves of 1
	// goes to items no one else writes (inserted keys).
	Share []float64
}

// GlobalTraffic is a tick of a global table's traffic under the aggregate
// driver: the items' write rates by class, and what was admitted.
type GlobalTraffic struct {
	Table   int // any of its replicas
	Classes []KeyClass
	Flows   []GlobalFlow
}

// lagGrid are the probabilities at which a lag distribution is sampled
// to average a write's outcome over its lag, with their weights: finer in
// the tail, where the lag quantiles that reports show lie.
var lagGrid = func() []gridWeight {
	edges := []float64{0, .025, .05, .1, .15, .2, .25, .3, .35, .4, .45, .5, .55, .6, .65, .7, .75, .8, .85, .9,
		.925, .95, .965, .975, .98, .985, .99, .993, .996, .998, .999, 1}
	g := make([]gridWeight, len(edges)-1)
	for i := range g {
		g[i] = gridWeight{p: (edges[i] + edges[i+1]) / 2, w: edges[i+1] - edges[i]}
	}
	return g
}()

type gridWeight struct{ p, w float64 }

// windowSteps is how finely the lag window is integrated.
const windowSteps = 256

// countGlobal is a global table's state under the aggregate driver: its
// lags on grids, and the tick's outcomes by class.
type countGlobal struct {
	n    int
	step float64 // of the window grid, in seconds
	// lag[o][r][j] is the lag from o to r at lagGrid[j], in seconds;
	// cdf[o][r][i] its CDF at i·step, and within[o][r][i] its integral
	// from 0 to i·step.
	lag, cdf, within [][][]float64
	// The tick's outcomes of a write from o to r on an item of class c at
	// lagGrid[j]: delivered[c][o][r][j], overtaken[c][o][r][j]; and the
	// share of reads of class c at r that are stale, stale[c][r].
	delivered, overtaken [][][][]float64
	stale                [][]float64
	reach                []float64 // scratch: E over the window
	deliv, conf          []float64 // scratch: a flow's outcomes by lag
	replicas             []*Table
	// due[o][r][k] is the tick's delivery from o to r due k ticks
	// later.
	due  [][][]*countDelivery
	free []*countDelivery
}

func newCountGlobal(g *globalTable) *countGlobal {
	n := len(g.replicas)
	cg := &countGlobal{n: n, replicas: g.replicas}
	longest := 0.0
	for o := range n {
		for r := range n {
			if o != r {
				longest = max(longest, g.lags[o][r].Quantile(0.99995).Seconds())
			}
		}
	}
	cg.step = max(longest, 1e-9) / windowSteps
	cg.lag, cg.cdf, cg.within = grid3(n, len(lagGrid)), grid3(n, windowSteps+1), grid3(n, windowSteps+1)
	for o := range n {
		for r := range n {
			if o == r {
				continue
			}
			l := g.lags[o][r]
			for j, p := range lagGrid {
				cg.lag[o][r][j] = l.Quantile(p.p).Seconds()
			}
			for i := range windowSteps + 1 {
				cg.cdf[o][r][i] = lagCDF(l, float64(i)*cg.step)
				if i > 0 {
					cg.within[o][r][i] = cg.within[o][r][i-1] + (cg.cdf[o][r][i-1]+cg.cdf[o][r][i])/2*cg.step
				}
			}
		}
	}
	cg.reach = make([]float64, windowSteps+1)
	cg.due = make([][][]*countDelivery, n)
	for o := range cg.due {
		cg.due[o] = make([][]*countDelivery, n)
	}
	return cg
}

func grid3(n, m int) [][][]float64 {
	out := make([][][]float64, n)
	for o := range out {
		out[o] = make([][]float64, n)
		for r := range out[o] {
			out[o][r] = make([]float64, m)
		}
	}
	return out
}

// lagCDF is the probability that a lag of l is at most x seconds.
func lagCDF(l latency.Lognormal, x float64) float64 {
	if x <= 0 {
		return 0
	}
	if l.P99 <= l.Median {
		if x >= l.Median.Seconds() {
			return 1
		}
		return 0
	}
	mu := math.Log(l.Median.Seconds())
	sigma := math.Log(float64(l.P99)/float64(l.Median)) / 2.3263478740408408
	return 0.5 * math.Erfc(-(math.Log(x)-mu)/(sigma*math.Sqrt2))
}

// outcomes computes the tick's outcomes of every class (see the top of
// the file).
func (cg *countGlobal) outcomes(classes []KeyClass) {
	n, J := cg.n, len(lagGrid)
	for len(cg.delivered) < len(classes) {
		cg.delivered = append(cg.delivered, grid3(n, J))
		cg.overtaken = append(cg.overtaken, grid3(n, J))
		cg.stale = append(cg.stale, make([]float64, n))
	}
	for c, k := range classes {
		w := k.Write
		total := 0.0
		for _, x := range w {
			total += x
		}
		for r := range n {
			// reach[i]: no later write of the item held at r from the
			// last i·step before an arrival.
			for i := range windowSteps + 1 {
				e := w[r] * float64(i) * cg.step
				for q := range n {
					if q != r {
						e += w[q] * cg.within[q][r][i]
					}
				}
				cg.reach[i] = math.Exp(-e)
			}
			stale := 0.0
			for i := 1; i <= windowSteps; i++ {
				f := func(i int) float64 {
					s := 0.0
					for q := range n {
						if q != r {
							s += w[q] * (1 - cg.cdf[q][r][i])
						}
					}
					return s * math.Exp(-total*float64(i)*cg.step)
				}
				stale += (f(i-1) + f(i)) / 2 * cg.step
			}
			cg.stale[c][r] = min(stale, 1)
			for o := range n {
				if o == r {
					continue
				}
				// overtaken(y) = ∫₀ʸ w_o·G_or·reach, at the lag grid.
				acc, i := 0.0, 0
				for j := range J {
					L := cg.lag[o][r][j]
					for ; i < windowSteps && float64(i+1)*cg.step <= L; i++ {
						acc += w[o] * (cg.cdf[o][r][i]*cg.reach[i] + cg.cdf[o][r][i+1]*cg.reach[i+1]) / 2 * cg.step
					}
					// the part step past the last whole step
					frac := 0.0
					reach := cg.reach[min(i, windowSteps)]
					if i < windowSteps {
						frac = (L - float64(i)*cg.step) / cg.step
						reach = cg.reach[i] + frac*(cg.reach[i+1]-cg.reach[i])
					}
					part := w[o] * cg.cdf[o][r][min(i, windowSteps)] * cg.reach[min(i, windowSteps)] * frac * cg.step
					cg.delivered[c][o][r][j] = reach
					cg.overtaken[c][o][r][j] = min(acc+part, 1-reach)
				}
			}
		}
	}
}

// countDelivery is writes of one tick from one replica due at another in
// one tick: a sim.Handler, reused once delivered.
type countDelivery struct {
	s        *Service
	g        *globalTable
	origin   int
	to       *Table
	made     sim.Time // the middle of the tick the writes were made in
	due      sim.Time // when they are due, outages aside
	stranded bool
	// writes and cost by partition of to; lags the delivered writes'
	// lags with their counts; conflicts those overwritten.
	writes    []int64
	cost      []units.Units
	lags      []lagCount
	conflicts int64
	// from is, by partition of to, the origin's placement of its writes
	// and the partition there, for heat.
	from []placed
}

type placed struct {
	pl   *Placement
	part int
}

type lagCount struct {
	lag sim.Time
	n   int64
}

// CountGlobal replicates a tick's admitted writes of a global table as
// counts, and records its admitted reads, stale or not (see the top of
// the file). The driver calls it after admitting the tick [from, to) on
// every replica.
func (s *Service) CountGlobal(from, to sim.Time, gt *GlobalTraffic) {
	g := s.tables[gt.Table].global
	if g.counts == nil {
		g.counts = newCountGlobal(g)
	}
	cg := g.counts
	cg.outcomes(gt.Classes)
	h := max(to-from, 1)
	made := from + h/2
	for o := range cg.due {
		for r := range cg.due[o] {
			clear(cg.due[o][r])
		}
	}
	for fi := range gt.Flows {
		f := &gt.Flows[fi]
		t := s.tables[f.Table]
		o := g.replica(t)
		switch {
		case f.Op == units.OpGet:
			s.countReads(from, cg, o, t, f, gt.Classes)
		case f.Op.IsWrite():
			for r := range g.replicas {
				if r != o {
					s.countReplication(from, h, made, cg, o, r, f, gt.Classes)
				}
			}
		}
	}
	for o := range cg.due {
		for r := range cg.due[o] {
			for k, cd := range cg.due[o][r] {
				if cd != nil {
					// Due in the middle of the tick it falls in.
					cd.due = from + sim.Time(k)*h + h/2
					s.sched.At(cd.due, cd)
				}
			}
		}
	}
}

// countReads records a flow of admitted GetItems on replica o, the share
// of them its classes' rates make stale.
func (s *Service) countReads(now sim.Time, cg *countGlobal, o int, t *Table, f *GlobalFlow, classes []KeyClass) {
	var n int64
	for _, c := range f.Counts {
		n += c
	}
	if n == 0 {
		return
	}
	share := 0.0
	for c := range classes {
		share += f.Share[c] * cg.stale[c][o]
	}
	stale := min(s.roundCount(float64(n)*share), n)
	ev := GlobalEvent{Kind: GlobalRead, Table: t.index}
	GlobalN(s.rec, now, &ev, n-stale)
	ev.Stale = true
	GlobalN(s.rec, now, &ev, stale)
}

// countReplication sends a flow of writes admitted on replica o to
// replica r: each partition's writes are delivered or overwritten there
// (a conflict) or overtaken, in the shares of the classes' outcomes, and
// those delivered or in conflict fall due over the ticks their lags
// reach: writes made evenly over a tick of length h arrive a lag L
// later, in the tick ⌊(x+L)/h⌋ after theirs, x uniform over [0, h).
func (s *Service) countReplication(from, h, made sim.Time, cg *countGlobal, o, r int, f *GlobalFlow, classes []KeyClass) {
	J := len(lagGrid)
	cg.deliv = zeroedFloats(cg.deliv, J)
	cg.conf = zeroedFloats(cg.conf, J)
	rest := 1.0
	for c := range classes {
		rest -= f.Share[c]
	}
	rest = max(rest, 0) // items no one else writes: always delivered
	var dTotal, cTotal float64
	for j := range J {
		d, v := rest, 0.0
		for c := range classes {
			d += f.Share[c] * cg.delivered[c][o][r][j]
			v += f.Share[c] * cg.overtaken[c][o][r][j]
		}
		cg.deliv[j], cg.conf[j] = d, max(1-d-v, 0)
		dTotal += lagGrid[j].w * d
		cTotal += lagGrid[j].w * cg.conf[j]
	}
	dest := cg.replicas[r]
	for pi, n := range f.Counts {
		if n <= 0 {
			continue
		}
		// Delivered, then in conflict, then overtaken, cut from one
		// random offset: each count is its share of n on average.
		u := s.replication.Float64()
		dn := min(int64(math.Floor(float64(n)*dTotal+u)), n)
		cn := min(int64(math.Floor(float64(n)*(dTotal+cTotal)+u)), n) - dn
		var dp, cp float64 // cumulative shares placed
		var dPlaced, cPlaced int64
		// Rounded from a random offset, so that the tail's small shares
		// get their due on average.
		du, cu := s.replication.Float64(), s.replication.Float64()
		for j := range J {
			L := sim.Time(cg.lag[o][r][j] * float64(sim.Second))
			k := int(L / h)
			rem := float64(L%h) / float64(h)
			for side, frac := range [2]float64{1 - rem, rem} {
				last := j == J-1 && side == 1
				if frac > 0 {
					if dTotal > 0 {
						dp += lagGrid[j].w * cg.deliv[j] * frac / dTotal
					}
					if cTotal > 0 {
						cp += lagGrid[j].w * cg.conf[j] * frac / cTotal
					}
				}
				nd := min(int64(math.Floor(dp*float64(dn)+du)), dn) - dPlaced
				nc := min(int64(math.Floor(cp*float64(cn)+cu)), cn) - cPlaced
				if last {
					nd, nc = dn-dPlaced, cn-cPlaced // what rounding left
				}
				if nd <= 0 && nc <= 0 {
					continue
				}
				dPlaced += max(nd, 0)
				cPlaced += max(nc, 0)
				cd := cg.delivery(s, o, r, k+side, dest, made)
				cd.add(pi, f, max(nd, 0), L)
				cd.conflicts += max(nc, 0)
			}
		}
	}
}

// delivery is the delivery from o to r due k ticks after this one, made
// on first use in the tick.
func (cg *countGlobal) delivery(s *Service, o, r, k int, dest *Table, made sim.Time) *countDelivery {
	due := &cg.due[o][r]
	for len(*due) <= k {
		*due = append(*due, nil)
	}
	if cd := (*due)[k]; cd != nil {
		return cd
	}
	var cd *countDelivery
	if n := len(cg.free); n > 0 {
		cd, cg.free = cg.free[n-1], cg.free[:n-1]
	} else {
		cd = &countDelivery{s: s, g: dest.global}
	}
	n := len(dest.parts)
	cd.origin, cd.to, cd.made, cd.stranded, cd.conflicts = o, dest, made, false, 0
	cd.writes = zeroedCounts(cd.writes, n)
	if cap(cd.cost) < n {
		cd.cost = make([]units.Units, n)
		cd.from = make([]placed, n)
	}
	cd.cost, cd.from = cd.cost[:n], cd.from[:n]
	clear(cd.cost)
	clear(cd.from)
	cd.lags = cd.lags[:0]
	(*due)[k] = cd
	return cd
}

// add adds n writes of f made on the origin's partition pi, lag L each.
func (cd *countDelivery) add(pi int, f *GlobalFlow, n int64, L sim.Time) {
	if n <= 0 {
		return
	}
	di := 0
	if f.Place != nil {
		di = cd.to.PartitionOf(f.Place.Start(pi))
	}
	cd.writes[di] += n
	cd.cost[di] += units.Units(n) * f.Cost
	cd.from[di] = placed{pl: f.Place, part: pi}
	for i := range cd.lags {
		if cd.lags[i].lag == L {
			cd.lags[i].n += n
			return
		}
	}
	cd.lags = append(cd.lags, lagCount{lag: L, n: n})
}

// roundCount rounds x to a whole count, up with the probability of its
// fraction.
func (s *Service) roundCount(x float64) int64 {
	n := math.Floor(x)
	if s.replication.Float64() < x-n {
		n++
	}
	return int64(n)
}

// Fire delivers the writes, unless their origin went down while they were
// on their way or their destination is down: as replication.Fire.
func (cd *countDelivery) Fire(now sim.Time) {
	s := cd.s
	origin := cd.g.replicas[cd.origin]
	if f, ok := s.outageBetween(origin.cfg.Region, cd.made, now); ok {
		if !cd.stranded {
			cd.stranded = true
			var n int64
			for _, w := range cd.writes {
				n += w
			}
			GlobalN(s.rec, now, &GlobalEvent{Kind: GlobalUnreplicated, Table: cd.to.index, Origin: origin.index}, n+cd.conflicts)
		}
		s.sched.At(f.At+f.Outage, cd)
		return
	}
	if f, ok := s.outageAt(cd.to.cfg.Region, now); ok {
		s.sched.At(f.At+f.Outage, cd)
		return
	}
	to := cd.to
	ev := GlobalEvent{Kind: GlobalConflict, Table: to.index, Origin: origin.index}
	GlobalN(s.rec, now, &ev, cd.conflicts)
	ev.Kind = GlobalDelivered
	for _, l := range cd.lags {
		ev.Lag = l.lag
		if now > cd.due {
			ev.Lag = now - cd.made // held by an outage
		}
		GlobalN(s.rec, now, &ev, l.n)
	}
	for pi, n := range cd.writes {
		if n <= 0 {
			continue
		}
		to.chargeReplicated(now, pi, n, cd.cost[pi], cd.from[pi])
		s.rec.Consumed(now, to.index, pi, 0, cd.cost[pi])
	}
	cd.g.counts.free = append(cd.g.counts.free, cd)
}

// chargeReplicated takes n replicated writes costing cost in all from
// partition pi's buckets at now without refusing them, as charge does
// one: the partition's share pays what it holds of them, the table's
// capacity the rest. Their load goes to the partition's heat where the
// origin's placement put them (FlushHeat's rule).
func (t *Table) chargeReplicated(now sim.Time, pi int, n int64, cost units.Units, from placed) {
	paid := units.Units(0)
	if t.cfg.Mode == Provisioned {
		each := cost / units.Units(n)
		paid = units.Units(roomOf(&t.parts[pi].write, now).fit(each, n)) * each
	}
	if paid > 0 {
		t.chargeCount(now, 0, pi, true, paid, ceilingLoad(true, paid), verdict{admitted: 1, fromShare: 1})
	}
	if rest := cost - paid; rest > 0 {
		t.chargeCount(now, 0, pi, true, rest, ceilingLoad(true, rest), verdict{admitted: 1})
	}
	load := ceilingLoad(true, cost)
	h := &t.parts[pi].heat
	pl := from.pl
	if pl == nil || len(t.parts) != pl.parts || t.parts[pi].start != pl.lo[from.part] {
		// Placed on other partitions than the replica has: the minute
		// counter only, as FlushHeat does for a stale placement.
		h.minute += load
		return
	}
	h.addFlushed() // what came before this, first
	h.minute += load
	h.spread(&pl.shape[from.part], load)
}

// GlobalCountRecorder is a Recorder that also takes counts of like
// global-table events, as the aggregate driver produces them.
type GlobalCountRecorder interface {
	GlobalN(now sim.Time, ev *GlobalEvent, n int64)
}

// GlobalN reports n global-table events like ev to rec.
func GlobalN(rec Recorder, now sim.Time, ev *GlobalEvent, n int64) {
	if n <= 0 {
		return
	}
	if gr, ok := rec.(GlobalCountRecorder); ok {
		gr.GlobalN(now, ev, n)
		return
	}
	for range n {
		rec.Global(now, ev)
	}
}

// Replicas returns the table indices of the replicas of table's global
// table, its home first; nil when table is not a replica of one.
func (s *Service) Replicas(table int) []int {
	g := s.tables[table].global
	if g == nil {
		return nil
	}
	out := make([]int, len(g.replicas))
	for i, t := range g.replicas {
		out[i] = t.index
	}
	return out
}
