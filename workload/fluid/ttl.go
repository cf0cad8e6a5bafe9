package fluid

import (
	"fmt"
	"math"

	"github.com/ddbsim/ddbsim/model/store"
	"github.com/ddbsim/ddbsim/model/ttl"
	"github.com/ddbsim/ddbsim/model/units"
	"github.com/ddbsim/ddbsim/sim"
)

// expiries is a TTL table's pending deletions under the aggregate driver,
// kept by the one workload that uses the table (model.CountTTL stops the
// table's sweeper): the deletions due each tick go to its stream as the
// service's removals (model.Service.TTLDeleteCounts), spread evenly over
// the partitions as the expiring items' hashes are.
//
// The items are grouped by key, in ranges of keys of nearly equal weight
// (the first 64 alone, then ranges 5% wider each time, split where the
// loaded keys end), as rewrites.go groups them; each tick a group's
// share of the workload's applied writes is its keys' share of the
// traffic, landing evenly on their items (ItemsPerKey sort keys a key),
// which ttl.Expiries turns into the pending deletions those writes move
// or cancel and the ones they add. Under YCSB's latest keys a key's rank
// moves with every insert: the groups are then ranges of key numbers,
// those loaded (by their rank at the start) and those inserted in each
// tick, each weighed anew every tick at the ranks it has reached.
//
// It approximates, where the per-request driver is exact: the items of a
// group are written at one rate (the mean of their keys'), deletions are
// logged at the start of the tick they fall in, a tick's writes neither
// cancel the deletions due in it nor are cancelled by the tick's other
// writes, and the items deleted stay present to the workload's other
// models (a delete or a read of one is priced, and its stream record
// counted, as if it were there: items deleted by TTL are the ones its
// traffic does not reach).
type expiries struct {
	led    *ttl.Expiries
	latest bool // the groups are key numbers under YCSB's latest keys
	groups []keyGroup
	items  float64 // items a key (sort keys)

	// This tick's applied writes of the workload's keys (puts, updates,
	// deletes), of those the puts and updates, and the inserts.
	writes, puts, inserts float64
	inserted              int      // the group of inserted keys, when they are not latest; -1
	size                  int64    // the keyspace's size (latest) when the last tick settled
	untilIns              sim.Time // inserts later than this expire after the run

	head []float64 // latest keys: the weight of ranks [0, r) for r up to headRanks

	change  store.Change // what the deletions stand for
	oldSize [2]float64   // a deletion's old size: a loaded item's, a written one's
	carry   float64
}

// keyGroup is a range of keys [a, b): of ranks, or of key numbers under
// latest keys; share is its keys' share of the traffic (static ranks).
type keyGroup struct {
	a, b  int64
	g     int
	share float64
}

// newExpiries sets up the TTL of s's table, or returns nil when it has
// none.
func newExpiries(s *Source) (*expiries, error) {
	svc := s.d.svc
	led, until := svc.CountTTL(s.cfg.Table, s.d.tick)
	if led == nil {
		return nil, nil
	}
	km := &s.keys
	switch {
	case km.rot != nil:
		return nil, fmt.Errorf("rotating keys on a table with TTL are %w", ErrUnsupported)
	case s.cfg.Shards > 1:
		return nil, fmt.Errorf("sharded keys on a table with TTL are %w", ErrUnsupported)
	}
	for _, o := range s.ops {
		if o.multi != nil && o.op.IsWrite() {
			return nil, fmt.Errorf("%v on a table with TTL is %w", o.op, ErrUnsupported)
		}
	}
	tc := svc.Tables()[s.cfg.Table].Config()
	perKey := max(1, tc.ItemsPerKey)
	loadedKeys := tc.ItemCount / perKey
	x := &expiries{led: led, latest: km.latest != nil, items: float64(max(1, s.cfg.ItemsPerKey)), inserted: -1,
		untilIns: until - tc.TTL.ExpireAfter}
	x.change = store.Change{Key: store.AppendSyntheticKey(nil, km.count/2)}
	// Keys [0, loadedKeys) were loaded; as ranks, the latest keys' loaded
	// ones are the last: key k has rank count-1-k.
	loadedFrom, loadedTo := int64(0), loadedKeys
	if x.latest {
		x.size = km.latest.Size()
		loadedFrom, loadedTo = max(0, x.size-loadedKeys), x.size
	}
	var assigned float64
	total := km.between(0, km.count)
	for a := int64(0); a < km.count; {
		b := a + 1
		if a >= 64 {
			b = a + max(1, a/20)
		}
		for _, cut := range []int64{loadedFrom, loadedTo} {
			if a < cut && b > cut {
				b = cut
			}
		}
		b = min(b, km.count)
		loaded := 0.0
		if a >= loadedFrom && a < loadedTo {
			loaded = float64((b - a) * perKey)
		}
		assigned += loaded
		kg := keyGroup{a: a, b: b, g: led.AddGroup(loaded), share: km.between(a, b) / total}
		if x.latest {
			kg.a, kg.b = x.size-b, x.size-a // key numbers
		}
		x.groups = append(x.groups, kg)
		a = b
	}
	if rest := float64(tc.ItemCount) - assigned; rest > 0 {
		// Loaded items of keys the workload does not choose.
		x.groups = append(x.groups, keyGroup{g: led.AddGroup(rest)})
	}
	if !x.latest {
		x.inserted = led.AddGroup(0)
	}
	x.oldSize[0] = float64(tc.ItemSize)
	for _, n := range sizeSamples(s.cfg.Sizes) {
		x.oldSize[1] += float64(n)
	}
	x.oldSize[1] /= float64(len(sizeSamples(s.cfg.Sizes)))
	s.d.end = max(s.d.end, until)
	return x, nil
}

// note adds admitted requests of operation o to the tick's writes.
func (x *expiries) note(o *opState, admitted int64) {
	if !o.op.IsWrite() || admitted <= 0 {
		return
	}
	n := float64(admitted) * (1 - o.entry.ConditionFailure)
	switch {
	case o.entry.Insert:
		x.inserts += n
	case o.op == units.OpDelete:
		x.writes += n
	default:
		x.writes += n
		x.puts += n
	}
}

// tick applies the tick's writes at now and logs the deletions due in
// it.
func (x *expiries) tick(s *Source, now sim.Time) {
	km := &s.keys
	size := x.size
	if x.latest {
		size = km.latest.Size()
		total := x.below(km, size)
		for i := range x.groups {
			kg := &x.groups[i]
			if kg.b > kg.a {
				kg.share = (x.below(km, size-kg.a) - x.below(km, size-kg.b)) / total
			}
		}
	}
	for i := range x.groups {
		if kg := &x.groups[i]; kg.share > 0 {
			per := x.writes * kg.share / (float64(kg.b-kg.a) * x.items)
			x.led.Survive(kg.g, math.Exp(-per))
		}
	}
	loaded, written := x.led.Due(now)
	if n := loaded + written; n > 0 {
		x.change.OldSize = int(math.Round((loaded*x.oldSize[0] + written*x.oldSize[1]) / n))
		for i, sh := range s.spread.Share {
			x.carry += n * sh
			k := int64(x.carry)
			x.carry -= float64(k)
			s.d.svc.TTLDeleteCounts(now, s.cfg.Table, i, k, &x.change)
		}
	}
	for i := range x.groups {
		if kg := &x.groups[i]; kg.share > 0 {
			x.led.Written(kg.g, now, x.puts*kg.share)
		}
	}
	switch {
	case !x.latest:
		x.led.Written(x.inserted, now, x.inserts)
	case size > x.size && now <= x.untilIns:
		// The keys inserted in the tick: a group of their own.
		kg := keyGroup{a: x.size, b: size, g: x.led.AddGroup(0)}
		x.groups = append(x.groups, kg)
		x.led.Written(kg.g, now, x.inserts)
	}
	x.size = size
	x.writes, x.puts, x.inserts = 0, 0, 0
}

// headRanks is how many of the latest keys' ranks are weighed one by
// one; the rest by the integral of x^-s, as keyModel.between does.
const headRanks = 4096

// below is the weight of the latest keys' ranks [0, r): the sum of the
// first headRanks weights, kept, and the integral of the rest, so that a
// tick weighs each group in constant time as its ranks move.
func (x *expiries) below(km *keyModel, r int64) float64 {
	if x.head == nil {
		x.head = make([]float64, headRanks+1)
		for i := range int64(headRanks) {
			x.head[i+1] = x.head[i] + km.weight(i)
		}
	}
	if r <= headRanks {
		return x.head[max(r, 0)]
	}
	return x.head[headRanks] + km.zipf.Integral(float64(r)+0.5) - km.zipf.Integral(headRanks+0.5)
}
