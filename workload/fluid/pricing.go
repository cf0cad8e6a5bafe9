package fluid

import (
	"math"
	"math/rand/v2"

	"github.com/ddbsim/ddbsim/model"
	"github.com/ddbsim/ddbsim/model/units"
	"github.com/ddbsim/ddbsim/workload"
)

// price is what one request of op costs on a table configured as tc, the
// mean over the workload's item sizes and over keys that hold an item
// (present of the traffic) or not; and, for a query, the bytes it reads.
func (s *Source) price(o opState, tc model.TableConfig) (units.Units, int) {
	op, c := o.op, o.c
	old := int(tc.ItemSize)
	p := s.present
	if o.entry.Insert {
		p = 0 // a new key
	}
	var cost float64
	readBytes := 0
	switch op {
	case units.OpScan:
		// A scan reads on from where the last one stopped: limit items
		// (uniform from 1 to ScanMax, or QueryLimit) of the table's,
		// within a page.
		lo, hi := s.cfg.QueryLimit, s.cfg.QueryLimit
		if s.cfg.ScanMax > 0 {
			lo, hi = 1, s.cfg.ScanMax
		}
		bytes := 0.0
		for l := lo; l <= hi; l++ {
			b := min(l*max(old, 1), 1<<20)
			cost += float64(units.ScanUnits(b, c))
			bytes += float64(b)
		}
		cost /= float64(hi - lo + 1)
		readBytes = int(bytes / float64(hi-lo+1))
	case units.OpGet, units.OpBatchGet, units.OpTransactGet:
		// A batch_get's part is priced as a get (a transact_get's at the
		// transactional rate, c); the request reads them all.
		cost = p*float64(units.ReadUnits(old, c)) + (1-p)*float64(units.ReadUnits(0, c))
		readBytes = int(p * float64(old))
		if o.multi != nil {
			readBytes *= o.multi.parts
		}
	case units.OpQuery:
		items := max(1, tc.ItemsPerKey)
		if s.cfg.QueryRange > 0 {
			items = min(items, int64(s.cfg.QueryRange))
		}
		if s.cfg.QueryLimit > 0 {
			items = min(items, int64(s.cfg.QueryLimit))
		}
		bytes := int(min(items*int64(old), 1<<20))
		cost = p*float64(units.QueryUnits(bytes, c)) + (1-p)*float64(units.QueryUnits(0, c))
		readBytes = int(p * float64(bytes))
	case units.OpDelete:
		cost = p*float64(units.DeleteUnits(old, true)) + (1-p)*float64(units.DeleteUnits(0, false))
	case units.OpTransactWrite:
		// Each item at the transactional rate, of the larger of the old
		// and the new item (handleTransact).
		sizes := sizeSamples(s.cfg.Sizes)
		for _, n := range sizes {
			cost += p*float64(units.WriteUnits(max(n, old), c)) + (1-p)*float64(units.WriteUnits(n, c))
		}
		cost /= float64(len(sizes))
	default: // put, update, a batch_write's part (priced as a put)
		sizes := sizeSamples(s.cfg.Sizes)
		for _, n := range sizes {
			cost += p*float64(units.PutUnits(old, n, true)) + (1-p)*float64(units.PutUnits(0, n, false))
		}
		cost /= float64(len(sizes))
	}
	return units.Units(math.Round(cost)), readBytes
}

// sizeSamples stands for a size distribution: its quantiles at 256 evenly
// spaced probabilities, or the one size of a fixed one.
func sizeSamples(sc workload.SizeChooser) []int {
	const n = 256
	switch z := sc.(type) {
	case nil:
		return []int{0}
	case workload.FixedSize:
		return []int{int(z)}
	case workload.LognormalSize:
		out := make([]int, n)
		for i := range out {
			q := math.Sqrt2 * math.Erfinv(2*(float64(i)+0.5)/n-1)
			out[i] = int(min(max(math.Round(z.At(q)), 1), units.MaxItemSize))
		}
		return out
	case workload.UniformSize:
		out := make([]int, n)
		for i := range out {
			out[i] = z.Min + int(float64(z.Max-z.Min+1)*(float64(i)+0.5)/n)
		}
		return out
	}
	r := rand.New(rand.NewPCG(1, 2)) // a fixed sample of an unknown distribution
	out := make([]int, n)
	for i := range out {
		out[i] = sc.Next(r)
	}
	return out
}
