package fluid

import (
	"fmt"
	"math"

	"github.com/ddbsim/ddbsim/model"
	"github.com/ddbsim/ddbsim/model/units"
	"github.com/ddbsim/ddbsim/workload"
)

// Global secondary indexes under the aggregate driver (the model's side
// is model/counts_index.go). A workload that queries an index is placed
// on the index's partitions, by its keys' popularity over the index's key
// values, and priced by the entries each value holds. A workload that
// writes a table with global indexes sends each write operation in lanes,
// one for each lane of the table's first global index (model.IndexLanes),
// its share of the mix the lane's share of the items: a write the index
// refuses is retried in its lane, on the index partition that refused it,
// as the same item's retry would be. The update of a read-modify-write
// goes in no lane: its index writes are placed by popularity each tick.

// indexQuerySetup readies a source that queries a global secondary index:
// its placement's table is the index's. It refuses local indexes.
func (s *Source) indexQuerySetup() error {
	x, ok := s.d.svc.IndexTable(s.cfg.Table, s.cfg.Index)
	if !ok {
		return fmt.Errorf("queries of a local secondary index are %w", ErrUnsupported)
	}
	for _, e := range s.cfg.Mix.Entries() {
		if e.Op != units.OpQuery {
			return fmt.Errorf("operation %v of a global secondary index is %w", e.Op, ErrUnsupported)
		}
	}
	s.placeTable = x
	return nil
}

// indexQueryPrice is the mean price of the source's index queries over
// its keys' popularity, each key value priced by the entries it holds, and
// their mean bytes read. Index reads are eventually consistent.
func (s *Source) indexQueryPrice() (units.Units, int) {
	m := &s.keys
	n := m.count
	// Every value one by one up to a million, else a sample of 2^16
	// evenly spaced ranks, each standing for its stride.
	stride := int64(1)
	if n > 1<<20 {
		stride = n / (1 << 16)
	}
	var cost, bytes, total float64
	for r := int64(0); r < n; r += stride {
		w := m.between(r, min(r+stride, n))
		if w <= 0 {
			continue
		}
		u, b := s.d.svc.IndexQuery(s.cfg.Table, s.cfg.Index, r, s.cfg.QueryLimit)
		cost += w * float64(u)
		bytes += w * float64(b)
		total += w
	}
	if total <= 0 {
		return 0, 0
	}
	return units.Units(math.Round(cost / total)), int(bytes / total)
}

// indexWrites fills a write operation's model.IndexCounts: whether its
// item exists and its sizes. lane is its lane, 0 for none.
func (s *Source) indexWrites(o *opState, old int, lane int) {
	p := s.present
	if o.entry.Insert {
		p = 0
	}
	size := 0
	if o.op != units.OpDelete {
		sizes := sizeSamples(s.cfg.Sizes)
		for _, z := range sizes {
			size += z
		}
		size /= len(sizes)
	}
	o.group.Index = model.IndexCounts{Lane: lane, Present: p, OldSize: old, Size: size}
}

// laned reports whether a mix entry's writes go in lanes.
func laned(e workload.MixEntry) bool {
	switch e.Op {
	case units.OpPut, units.OpUpdate, units.OpDelete:
		return !e.ReadModifyWrite
	}
	return false
}
