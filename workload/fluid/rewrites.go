package fluid

import (
	"math"

	"github.com/ddbsim/ddbsim/model"
	"github.com/ddbsim/ddbsim/model/store"
	"github.com/ddbsim/ddbsim/model/units"
)

// rewrites follows, in expectation, which items a workload's writes have
// rewritten, so that its prices follow the items' sizes as they change:
// where the workload writes sizes other than the table's preloaded one, a
// put over an item written earlier in the run pays for the larger of two
// of the workload's sizes, not of the preloaded size and one, a read of it
// reads one of the workload's sizes, and a put to a key the table was not
// loaded with creates an item later requests find.
//
// The keys are grouped in classes of ranks of nearly equal weight (the
// first ones alone, then ranges 5% wider each time, split where the
// preloaded keys end). Writes land on an item of a key as a Poisson
// stream at the key's share of them, so after c expected writes per item
// of a class, its items have been written with probability 1 - e^-c; of
// those the share the mix's puts and updates have of its writes exists,
// the rest were deleted. Requests then meet, in the shares their key
// weights give: items the workload wrote (its sizes), preloaded items
// (the table's size) and none. Deletes are only counted as writes that
// leave no item: an item deleted and not written again reads as
// missing, and one written again as written.
//
// Only a static popularity is followed (not YCSB's latest keys, whose
// ranks move with every insert, nor rotating ranks): for those the prices
// stay those of the preloaded items.
type rewrites struct {
	keys    []float64 // keys in each class
	weight  []float64 // each key's share of the traffic
	present []bool    // whether the class's keys were preloaded
	per     []float64 // expected writes so far per item of the class
	perKey  float64
	exists  float64 // of the writes, the share that leaves an item

	written int64 // this tick's admitted writes

	old        int
	sizes      []int   // the workload's sizes, a sample
	qsizes     []int   // a sparser one, for queries
	putOver    float64 // the mean price of a put of its sizes over one of them
	meanSize   float64
	queryItems int
}

// newRewrites returns the rewrites model of s, or nil when its prices
// cannot change: it writes nothing, or only the table's preloaded size to
// keys all preloaded, or its popularity moves.
func newRewrites(s *Source, tc model.TableConfig) *rewrites {
	km := &s.keys
	if km.latest != nil || km.rot != nil || km.count <= 0 || s.cfg.Shards > 1 {
		return nil
	}
	sizes := sizeSamples(s.cfg.Sizes)
	sameSize := true
	for _, n := range sizes {
		sameSize = sameSize && n == int(tc.ItemSize)
	}
	var puts, writes float64
	for _, o := range s.ops {
		if o.op.IsWrite() && !o.entry.Insert {
			writes += o.weight
			if o.op != units.OpDelete {
				puts += o.weight
			}
		}
	}
	if writes == 0 || sameSize {
		return nil
	}
	r := &rewrites{perKey: float64(max(1, tc.ItemsPerKey)), exists: puts / writes, old: int(tc.ItemSize)}
	preloaded := tc.ItemCount / max(1, tc.ItemsPerKey)
	total := km.between(0, km.count)
	for a := int64(0); a < km.count; {
		b := a + 1
		if a >= 64 {
			b = a + max(1, a/20)
		}
		if a < preloaded && b > preloaded {
			b = preloaded
		}
		b = min(b, km.count)
		n := float64(b - a)
		r.keys = append(r.keys, n)
		r.weight = append(r.weight, km.between(a, b)/total/n)
		r.present = append(r.present, a < preloaded)
		r.per = append(r.per, 0)
		a = b
	}
	r.sizes = sizes
	for _, n := range sizes {
		r.meanSize += float64(n)
	}
	r.meanSize /= float64(len(sizes))
	// A query sums many sizes, whose spread a sparser sample keeps.
	for i := len(sizes) / 128; i < len(sizes); i += max(1, len(sizes)/64) {
		r.qsizes = append(r.qsizes, sizes[i])
	}
	over := 0.0
	for _, n := range sizes {
		for _, m := range sizes {
			over += float64(units.PutUnits(n, m, true))
		}
	}
	r.putOver = over / float64(len(sizes)*len(sizes))
	items := int64(r.perKey)
	if s.cfg.QueryRange > 0 {
		items = min(items, int64(s.cfg.QueryRange))
	}
	if s.cfg.QueryLimit > 0 {
		items = min(items, int64(s.cfg.QueryLimit))
	}
	r.queryItems = int(items)
	return r
}

// shares are the shares of requests meeting an item the workload wrote,
// a preloaded item, and none.
func (r *rewrites) shares() (wrote, preloaded, none float64) {
	for i, n := range r.keys {
		w := n * r.weight[i]
		kept := math.Exp(-r.per[i])
		wrote += w * (1 - kept) * r.exists
		if r.present[i] {
			preloaded += w * kept
		}
	}
	return wrote, preloaded, max(0, 1-wrote-preloaded)
}

// apply adds the tick's admitted writes to the classes and prices the
// source's operations, and its stream records, as the items now are.
func (r *rewrites) apply(s *Source) {
	if r.written == 0 {
		return
	}
	for i := range r.per {
		r.per[i] += float64(r.written) * r.weight[i] / r.perKey
	}
	r.written = 0
	wrote, pre, none := r.shares()
	for oi := range s.ops {
		o := &s.ops[oi]
		if o.entry.Insert || o.op == units.OpScan {
			continue
		}
		o.group.Cost = units.Units(math.Round(r.price(o.op, o.c, wrote, pre, none)))
		if s.changes != nil && o.op == units.OpDelete {
			oc := &s.changes.ops[oi]
			oc.share = (1 - o.entry.ConditionFailure) * (wrote + pre)
			if wrote+pre > 0 {
				oc.change.OldSize = int(math.Round((wrote*r.meanSize + pre*float64(r.old)) / (wrote + pre)))
			}
		}
		if s.changes != nil && (o.op == units.OpPut || o.op == units.OpUpdate) {
			oc := &s.changes.ops[oi]
			oc.change.OldSize = int(math.Round(wrote*r.meanSize + pre*float64(r.old)))
			oc.change.Kind = store.ChangeModify
			if none > 0.5 {
				oc.change.Kind = store.ChangeInsert
			}
		}
	}
}

// price is the mean price of op over what its requests meet.
func (r *rewrites) price(op units.Op, c units.Consistency, wrote, pre, none float64) float64 {
	mean := func(f func(n int) units.Units) float64 {
		u := 0.0
		for _, n := range r.sizes {
			u += float64(f(n))
		}
		return u / float64(len(r.sizes))
	}
	switch op {
	case units.OpGet:
		return wrote*mean(func(n int) units.Units { return units.ReadUnits(n, c) }) +
			pre*float64(units.ReadUnits(r.old, c)) + none*float64(units.ReadUnits(0, c))
	case units.OpQuery:
		// The items of a key, each written or preloaded with its class's
		// chances; their sum spreads as a sum of queryItems sizes does.
		// Priced class by class: a query of a key never loaded and one
		// of a loaded key round differently.
		k := float64(r.queryItems)
		u, sum := 0.0, 0.0
		for i, n := range r.keys {
			w := n * r.weight[i]
			if w <= 0 {
				continue
			}
			kept := math.Exp(-r.per[i])
			wi, pi := (1-kept)*r.exists, 0.0
			if r.present[i] {
				pi = kept
			}
			q := 0.0
			for _, n := range r.qsizes {
				b := k*(wi*r.meanSize+pi*float64(r.old)) + wi*math.Sqrt(k)*(float64(n)-r.meanSize)
				q += float64(units.QueryUnits(int(min(max(b, 0), 1<<20)), c))
			}
			u += w * q / float64(len(r.qsizes))
			sum += w
		}
		return u / sum
	case units.OpDelete:
		return wrote*mean(func(n int) units.Units { return units.DeleteUnits(n, true) }) +
			pre*float64(units.DeleteUnits(r.old, true)) + none*float64(units.DeleteUnits(0, false))
	case units.OpPut, units.OpUpdate:
		return wrote*r.putOver + pre*mean(func(m int) units.Units { return units.PutUnits(r.old, m, true) }) +
			none*mean(func(m int) units.Units { return units.PutUnits(0, m, false) })
	}
	return 0
}
