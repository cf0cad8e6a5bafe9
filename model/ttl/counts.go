package ttl

import (
	"fmt"
	"math"

	"github.com/ddbsim/ddbsim/sim"
)

// Expiries is a table's pending TTL deletions as expected counts, for a
// driver that admits counts of requests: it knows how many items of a
// group of alike ones (keys of similar popularity) its writes applied in
// a tick, not which, so it keeps, for each group, how many deletions are
// due in each tick of the run, in expectation, as the Sweeper keeps one
// per item.
//
// The rules are the Sweeper's: a write sets its item's deletion to
// ExpireAfter after it plus a uniform wait within TTLDeleteWithin, a
// later write (or the item's removal) before that moves (or cancels) it,
// and the items loaded before the run expire evenly over the ExpireAfter
// from t=0, in an order independent of their keys. As counts: a write of
// a tick adds its deletion spread evenly over the window one TTL later;
// each tick, the items of a group that its writes touch, per item a
// Poisson count of mean c, lose their pending deletion with probability
// 1 - e^-c, whatever its time (a group's items are alike: their writes
// land on each at the same rate); each group's loaded items are deleted
// over the run as the loaded items' expiries and waits spread them.
//
// CONTRACT:
//   - NewExpiries(cfg, within, tick, until) covers the run [0, until) in
//     buckets of tick; AddGroup(loaded) adds a group holding loaded of the
//     items loaded before the run.
//   - Each tick, in order: Survive(g, f) keeps the share f of group g's
//     pending deletions over the tick (e^-c for c writes per item);
//     Due(now) takes the deletions due in [now, now+tick); Written(g, now,
//     n) adds n writes of group g's items applied in the tick. Due is
//     called for every tick in turn.
//   - Deletions due after until are not kept.
//
// # Implementation
//
// A group's counts are kept divided by its scale, the product of the
// shares Survive kept, so that a tick costs a multiplication a group
// whatever how many buckets it holds; when the scale grows small the
// counts are multiplied out (fold). A write's deletions, uniform over a
// window of many buckets, go into a difference array (slope) for the
// whole buckets, read by a running sum as the buckets come due, and into
// lump for the partial buckets at the window's ends. The loaded items'
// deletions have one shape for every group (shape, a share of the loaded
// items by bucket), scaled by the group's loaded items.
type Expiries struct {
	cfg    Config
	within sim.Time
	tick   sim.Time
	nb     int       // buckets of the run
	cur    int       // the next bucket Due takes
	shape  []float64 // by bucket, the share of the loaded items deleted in it
	groups []expiryGroup
}

type expiryGroup struct {
	loaded float64   // the group's loaded items, deleted as shape says; divided by scale
	scale  float64   // what survives of the counts below: they are kept divided by it
	lag    float64   // the half of the last tick's survival not yet in scale
	lump   []float64 // by bucket, deletions due; nil until the group is written
	slope  []float64 // by bucket, the change of the whole buckets' deletions
	run    float64   // slope's running sum: the whole buckets' deletions at cur
}

// foldBelow is the scale under which a group's counts are multiplied out,
// far above float64's smallest normal number.
const foldBelow = 1e-100

// NewExpiries returns the pending deletions of a table with TTL cfg whose
// deletions wait up to within after expiry, over the run [0, until) in
// ticks of tick.
func NewExpiries(cfg Config, within, tick, until sim.Time) *Expiries {
	if tick <= 0 || until < 0 || cfg.ExpireAfter < 0 {
		panic(fmt.Sprintf("ttl: expiries of TTL %v over %v in ticks of %v", cfg.ExpireAfter, until, tick))
	}
	e := &Expiries{cfg: cfg, within: max(within, 0), tick: tick, nb: int((until + tick - 1) / tick)}
	// The loaded items expire evenly over [0, ExpireAfter): those of each
	// tick at its middle, a tick's share of them.
	g := expiryGroup{scale: 1}
	ttl := cfg.ExpireAfter
	for at := sim.Time(0); at < ttl && at < until; at += tick {
		w := min(tick, ttl-at)
		e.spread(&g, at+w/2, float64(w)/float64(ttl))
	}
	if ttl == 0 {
		e.spread(&g, 0, 1) // all expired at once
	}
	e.shape = make([]float64, e.nb)
	for b := range e.shape {
		if g.lump != nil {
			g.run += g.slope[b]
			e.shape[b] = g.lump[b] + g.run
		}
	}
	return e
}

// AddGroup adds a group holding loaded of the items loaded before the
// run, and returns its number.
func (e *Expiries) AddGroup(loaded float64) int {
	e.groups = append(e.groups, expiryGroup{loaded: loaded, scale: 1, lag: 1})
	return len(e.groups) - 1
}

// Groups is the number of groups.
func (e *Expiries) Groups() int { return len(e.groups) }

// Written adds n writes of group g's items applied over the tick from
// now: their deletions are due from ExpireAfter after the middle of the
// tick, spread evenly over the wait.
func (e *Expiries) Written(g int, now sim.Time, n float64) {
	if n <= 0 {
		return
	}
	x := &e.groups[g]
	e.spread(x, now+e.tick/2+e.cfg.ExpireAfter, n/x.scale)
}

// spread adds n deletions of items expiring at at, spread evenly over
// [at, at+within], to x's buckets from cur on.
func (e *Expiries) spread(x *expiryGroup, at sim.Time, n float64) {
	first := int(at / e.tick)
	if first >= e.nb || n <= 0 {
		return
	}
	if x.lump == nil {
		x.lump = make([]float64, e.nb)
		x.slope = make([]float64, e.nb+1)
	}
	if e.within == 0 {
		x.lump[max(first, e.cur)] += n
		return
	}
	end := at + e.within
	density := n / float64(e.within) // per nanosecond
	last := int(end / e.tick)
	if first == last {
		x.lump[max(first, e.cur)] += n
		return
	}
	// The partial buckets at either end, then the whole ones between.
	x.lump[max(first, e.cur)] += density * float64(sim.Time(first+1)*e.tick-at)
	if last < e.nb {
		x.lump[max(last, e.cur)] += density * float64(end-sim.Time(last)*e.tick)
	}
	if from := first + 1; from < min(last, e.nb) {
		whole := density * float64(e.tick)
		if from < e.cur {
			// Buckets already taken: theirs go into the next one.
			x.lump[e.cur] += whole * float64(min(last, e.cur)-from)
			from = e.cur
		}
		if from < last {
			x.slope[from] += whole
			x.slope[min(last, e.nb)] -= whole
		}
	}
}

// Survive keeps the share f of group g's pending deletions over the
// tick: the rest are moved or cancelled by its writes. The writes fall
// through the tick, as do the deletions due in it and the writes Written
// adds: half of f applies before Due takes the tick's deletions, the
// other half after Written, with the next tick's first half.
func (e *Expiries) Survive(g int, f float64) {
	x := &e.groups[g]
	h := math.Sqrt(min(max(f, 0), 1))
	x.scale *= x.lag * h
	x.lag = h
	if x.scale < foldBelow {
		e.fold(x)
	}
}

// fold multiplies x's counts by its scale.
func (e *Expiries) fold(x *expiryGroup) {
	s := x.scale
	x.loaded *= s
	x.run *= s
	if x.lump != nil {
		for b := e.cur; b < e.nb; b++ {
			x.lump[b] *= s
			x.slope[b] *= s
		}
		x.slope[e.nb] *= s
	}
	x.scale = 1
}

// Due takes the deletions due in [now, now+tick), now the start of the
// next bucket: of the loaded items and of items written in the run.
func (e *Expiries) Due(now sim.Time) (loaded, written float64) {
	b := int(now / e.tick)
	if b >= e.nb {
		return 0, 0
	}
	if b != e.cur {
		panic(fmt.Sprintf("ttl: deletions due at %v, bucket %d, taken in order from %d", now, b, e.cur))
	}
	e.cur++
	share := e.shape[b]
	for i := range e.groups {
		x := &e.groups[i]
		loaded += x.loaded * share * x.scale
		if x.lump != nil {
			x.run += x.slope[b]
			written += (x.lump[b] + x.run) * x.scale
		}
	}
	return loaded, written
}
