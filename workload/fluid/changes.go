package fluid

import (
	"math"

	"github.com/ddbsim/ddbsim/model/store"
	"github.com/ddbsim/ddbsim/model/units"
	"github.com/ddbsim/ddbsim/sim"
)

// changeModel is what a workload's admitted writes leave in its table's
// stream: for each operation, the share of its admitted requests that
// change an item, and a change that stands for them.
//
// It approximates, where the per-request driver is exact: a put or update
// changes an item unless its condition fails (a share of them); a delete
// changes one when its key is among the table's preloaded items (present
// of the traffic, as the price of a delete assumes) and its condition
// holds. Each stands for its records with the mean item sizes (the new
// one over the workload's sizes, the old one the preloaded size where the
// item is present) and a key of the workload's length. What rounding
// leaves of a share is carried to the next partition and tick, so the
// records over the run are the shares' sum to within one.
type changeModel struct {
	ops []opChange // by operation, as Source.ops
}

type opChange struct {
	share  float64 // of the admitted, the share that changes an item
	change store.Change
	carry  float64
}

// newChangeModel returns the change model of s, or nil when its table has
// no stream.
func newChangeModel(s *Source) *changeModel {
	svc := s.d.svc
	if !svc.HasStream(s.cfg.Table) {
		return nil
	}
	tc := svc.Tables()[s.cfg.Table].Config()
	key := store.AppendSyntheticKey(nil, s.keys.count/2)
	if s.cfg.Shards > 1 {
		key = append(key, '#', '0')
	}
	newSize := 0.0
	sizes := sizeSamples(s.cfg.Sizes)
	for _, n := range sizes {
		newSize += float64(n)
	}
	newSize /= float64(len(sizes))
	m := &changeModel{ops: make([]opChange, len(s.ops))}
	for oi := range s.ops {
		o := &s.ops[oi]
		p := s.present
		if o.entry.Insert {
			p = 0
		}
		oc := &m.ops[oi]
		oc.change = store.Change{Key: key, Kind: store.ChangeModify, OldSize: int(math.Round(p * float64(tc.ItemSize)))}
		hold := 1 - o.entry.ConditionFailure
		switch o.op {
		case units.OpPut, units.OpUpdate:
			oc.share = hold
			oc.change.NewSize = int(math.Round(newSize))
			if p < 0.5 {
				oc.change.Kind = store.ChangeInsert
			}
		case units.OpDelete:
			oc.share = hold * p
			oc.change.Kind = store.ChangeRemove
			oc.change.OldSize = int(tc.ItemSize)
		}
	}
	return m
}

// note logs the changes of admitted requests of operation oi on partition
// part, admitted at now.
func (m *changeModel) note(s *Source, now sim.Time, oi, part int, admitted int64) {
	oc := &m.ops[oi]
	if oc.share <= 0 || admitted <= 0 {
		return
	}
	oc.carry += float64(admitted) * oc.share
	n := int64(oc.carry)
	oc.carry -= float64(n)
	s.d.svc.ChangeCounts(now, s.cfg.Table, part, n, &oc.change)
}
