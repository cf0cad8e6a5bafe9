package model

import (
	"math"

	"github.com/ddbsim/ddbsim/model/units"
	"github.com/ddbsim/ddbsim/sim"
)

// Global secondary indexes under the aggregate driver: the rules of
// index.go (REFERENCE: gsi) for counts of writes.
//
// A table write fans out to index writes: for each index that covers the
// item, 1 for a new item or a delete, 2 (a delete at the old key value
// and a put at the new one) for an overwrite that changes the index key,
// 1 for one that changes only a projected attribute, each priced as a
// write of the entry. The entries lie on the index's partitions by their
// key value's popularity. The table's writes are decided first (its own
// limits), their index writes then meet the index's partitions together
// with the index's queries, and a table write is admitted only if every
// index write it makes is (back-pressure): the rest are throttled with
// the index's reason, charged to neither.
//
// Which index partition an item's entry lies on stays with the item: a
// write the index refused comes back, as a retry, to the same index
// partition. The driver keeps that by sending a workload's writes in
// lanes (IndexLanes), one for each partition of the table's first global
// index as it is when the driver starts, each lane's retries its own.
//
// Where it approximates: an item's old and new sizes are the table's
// item size and the group's mean new size; an entry's new key value after
// a key change is drawn by popularity, not tied to its lane; a write with
// two index writes (a key change, or several indexes) passes with the
// product of their admitted shares, as if the partitions refused
// independently, and the two writes of a key change are not merged when
// they fall on one partition; lanes bind the first global index only,
// the others' writes are placed by popularity each tick; the entries'
// counts and bytes do not change with the run's writes (as the table's
// items do not), so queries are priced on the loaded entries; an index
// with more key values than a placement lists one by one (2^18) has one
// lane.

// IndexCounts ties a CountGroup to its table's global secondary indexes.
type IndexCounts struct {
	// Query, when above 0, makes the group queries of the table's global
	// secondary index Query-1 (as Request.Index): Offered counts them by
	// the index's partitions, and the index's capacity serves them.
	Query int
	// For a write group: Lane is the lane (IndexLanes) of the first
	// global index its items' entries lie in, 1 to the lane count; 0 for
	// all of them by the key values' popularity.
	Lane int
	// Present is the share of the writes over an existing item (the rest
	// create one); OldSize the existing items' size and Size the new one.
	Present       float64
	OldSize, Size int
}

// maxLaneValues is the most key values an index may have for its writes
// to go in lanes: those a placement lists one by one.
const maxLaneValues = 1 << 18

// gsiCounts is what the aggregate admission keeps for one global
// secondary index.
type gsiCounts struct {
	x       *Table
	ordinal int
	lanes   []gsiLane
	all     *Placement // every key value by popularity
	cs      countState
	groups  []*CountGroup
	kinds   []indexKind // the tick's index write groups
	// store holds the kinds' groups, reused from tick to tick.
	store []CountGroup
}

// gsiLane is a range of the index's hashes and the placement of the key
// values in it.
type gsiLane struct {
	lo, hi uint64 // hi 0: to the end of the hash space
	share  float64
	pl     *Placement
}

// indexKind is one kind of index write of one of the table's write
// groups: frac of the group's writes make it, at cost each.
type indexKind struct {
	base    int // the write group, in admitIndexed's base
	frac    float64
	partner int // the other write of a key change, -1 for none
	g       *CountGroup
	pass    float64 // admitted share, after planning
}

// indexTick is admitIndexed's scratch.
type indexTick struct {
	base    []*CountGroup
	pass    []float64 // by base group: share passed by the indexes so far
	refused [][]indexRefusal
	active  []*gsiCounts // the indexes with groups this tick
}

// indexRefusal is the share of a base group's writes that index x
// refused, and where the most of them were refused.
type indexRefusal struct {
	x     *Table
	share float64
	part  int
	limit Limit
	cost  units.Units
}

// hasGlobalIndexes reports whether the table has a global secondary index.
func (t *Table) hasGlobalIndexes() bool {
	for _, x := range t.indexes {
		if x != nil {
			return true
		}
	}
	return false
}

// hasLocalIndexes reports whether the table has a local secondary index.
func (t *Table) hasLocalIndexes() bool {
	for i := range t.cfg.Indexes {
		if t.cfg.Indexes[i].Local {
			return true
		}
	}
	return false
}

// IndexTable returns the service index of the table's global secondary
// index index-1 (a Request.Index), and false when it is not a global one.
func (s *Service) IndexTable(table, index int) (int, bool) {
	t := s.tables[table]
	if index < 1 || index > len(t.indexes) || t.indexes[index-1] == nil {
		return 0, false
	}
	return t.indexes[index-1].index, true
}

// IndexQuery is what a query of value (as the synthetic key "k<value>")
// of the table's global secondary index index-1 reads of the index's
// loaded entries, up to limit (0: none) and a page: its eventually
// consistent read units (index reads are, REFERENCE: gsi) and bytes.
func (s *Service) IndexQuery(table, index int, value int64, limit int) (units.Units, int) {
	x := s.tables[table].indexes[index-1]
	_, b := x.gsi.query(value, limit)
	return units.QueryUnits(b, units.Eventual), b
}

// IndexLanes returns the shares of the lanes of the table's first global
// secondary index: the share of its covered items whose entry lies in
// each. A write group's Index.Lane numbers them from 1. It is nil for a
// table without global indexes. The lanes are the index's partitions at
// the first call.
func (s *Service) IndexLanes(table int) []float64 {
	t := s.tables[table]
	for i, x := range t.indexes {
		if x != nil {
			gc := s.gsiState(t, i)
			out := make([]float64, len(gc.lanes))
			for l := range gc.lanes {
				out[l] = gc.lanes[l].share
			}
			return out
		}
	}
	return nil
}

// gsiState returns the aggregate state of t's global index i, making it
// at the first call.
func (s *Service) gsiState(t *Table, i int) *gsiCounts {
	x := t.indexes[i]
	if gc, ok := s.gsi[x.index]; ok {
		return gc
	}
	if s.gsi == nil {
		s.gsi = map[int]*gsiCounts{}
	}
	gc := &gsiCounts{x: x, ordinal: i}
	if len(x.gsi.values) <= maxLaneValues {
		for p := range x.parts {
			r := x.Range(p)
			gc.lanes = append(gc.lanes, gsiLane{lo: r.Lo, hi: r.Hi})
		}
	} else {
		gc.lanes = []gsiLane{{}}
	}
	gc.place(s)
	s.gsi[x.index] = gc
	return gc
}

// weight is key value v's share of the index's items.
func (g *gsiEntries) weight(v int) float64 {
	if g.cdf == nil {
		return 1 / float64(len(g.values))
	}
	if v == 0 {
		return g.cdf[0]
	}
	return g.cdf[v] - g.cdf[v-1]
}

// inRange reports whether hash is in [lo, hi), hi 0 the end of the space.
func inRange(hash, lo, hi uint64) bool { return hash >= lo && (hi == 0 || hash < hi) }

// place places the key values on the index's partitions as they are now,
// lane by lane and all together.
func (gc *gsiCounts) place(s *Service) {
	g := gc.x.gsi
	if len(g.values) > maxLaneValues {
		pop := Popularity{Spread: 1}
		gc.all = s.Place(gc.x.index, &pop)
		gc.lanes[0] = gsiLane{share: 1, pl: gc.all}
		return
	}
	all := Popularity{Keys: make([]KeyWeight, len(g.values))}
	for v := range g.values {
		all.Keys[v] = KeyWeight{Hash: g.values[v].hash, Weight: g.weight(v)}
	}
	gc.all = s.Place(gc.x.index, &all)
	for l := range gc.lanes {
		ln := &gc.lanes[l]
		var pop Popularity
		ln.share = 0
		for _, k := range all.Keys {
			if inRange(k.Hash, ln.lo, ln.hi) {
				pop.Keys = append(pop.Keys, k)
				ln.share += k.Weight
			}
		}
		ln.pl = s.Place(gc.x.index, &pop)
	}
}

// refresh places the key values again when the index's partitions have
// changed, after handing the old placements' heat to split for heat.
func (gc *gsiCounts) refresh(s *Service) {
	if !s.Stale(gc.all) {
		return
	}
	gc.flush(s)
	gc.place(s)
}

// flush hands the placements' heat to split for heat.
func (gc *gsiCounts) flush(s *Service) {
	s.FlushHeat(gc.all)
	for l := range gc.lanes {
		if gc.lanes[l].pl != gc.all {
			s.FlushHeat(gc.lanes[l].pl)
		}
	}
}

// admitIndexed is AdmitCounts (apply) or PlanCounts for a table with
// global secondary indexes: the table's groups through its limits, their
// index writes and the indexes' queries through the indexes', and the
// table's writes admitted as far as their index writes are.
func (s *Service) admitIndexed(from, to sim.Time, table int, groups []*CountGroup, apply bool) {
	t := s.tables[table]
	it := &s.indexTick
	it.base = it.base[:0]
	for _, g := range groups {
		if g.Index.Query == 0 {
			it.base = append(it.base, g)
		}
	}
	_, h := s.planCountsIn(&s.counts, from, to, table, it.base)
	nb := len(it.base)
	it.pass = zeroedFloats(it.pass, nb)
	for bi := range it.pass {
		it.pass[bi] = 1
	}
	if cap(it.refused) < nb {
		it.refused = make([][]indexRefusal, nb)
	}
	it.refused = it.refused[:nb]
	for bi := range it.refused {
		it.refused[bi] = it.refused[bi][:0]
	}
	active := it.active[:0]
	for i, x := range t.indexes {
		if x == nil {
			continue
		}
		gc := s.gsiState(t, i)
		gc.refresh(s)
		gc.planKinds(it, groups, t)
		if len(gc.groups) == 0 {
			continue
		}
		s.planCountsIn(&gc.cs, from, to, x.index, gc.groups)
		gc.settleKinds(it)
		active = append(active, gc)
	}
	it.active = active
	// The table's writes keep what their indexes pass.
	cs := &s.counts
	acc := zeroedFloats(s.indexAcc, nb)
	s.indexAcc = acc
	for j := range cs.flows {
		f := &cs.flows[j]
		f.byIndex = 0
		bi := baseOf(it.base, f.g)
		if bi < 0 || !f.write || it.pass[bi] >= 1 {
			continue
		}
		a := f.v.admitted
		before := math.Floor(acc[bi] + 0.5)
		acc[bi] += float64(a) * it.pass[bi]
		kept := min(int64(math.Floor(acc[bi]+0.5)-before), a)
		f.byIndex = a - kept
		f.v.admitted = kept
		f.v.fromShare = min(f.v.fromShare, kept)
		f.g.Admitted[f.part] = kept
	}
	if !apply {
		return
	}
	s.applyCounts(cs, from, h, t)
	for _, gc := range active {
		gc.scaleKinds(it)
		s.applyCounts(&gc.cs, from, h, gc.x)
		if to/sim.Minute > from/sim.Minute {
			gc.flush(s)
		}
	}
}

// baseOf is g's place in base, -1 if it is not there.
func baseOf(base []*CountGroup, g *CountGroup) int {
	for i, b := range base {
		if b == g {
			return i
		}
	}
	return -1
}

// planKinds builds the tick's index write groups from the table's
// planned writes (what its own limits admit, less what earlier indexes
// refuse) and gathers the index's query groups.
func (gc *gsiCounts) planKinds(it *indexTick, groups []*CountGroup, t *Table) {
	ic := &t.cfg.Indexes[gc.ordinal]
	gc.groups, gc.kinds = gc.groups[:0], gc.kinds[:0]
	n := len(gc.x.parts)
	used := 0
	add := func(base int, g *CountGroup, frac float64, cost units.Units, pl *Placement, writes float64) int {
		if used == len(gc.store) {
			gc.store = append(gc.store, CountGroup{})
		}
		kg := &gc.store[used]
		used++
		kg.Op, kg.Cost, kg.Place, kg.silent = g.Op, cost, pl, true
		kg.Offered = zeroedCounts(kg.Offered, n)
		// Whole index writes by partition, rounded in turn so that they
		// add up to the rounded total.
		acc, prev := 0.0, 0.0
		for j, sh := range pl.Share[:min(n, len(pl.Share))] {
			acc += writes * frac * sh
			next := math.Floor(acc + 0.5)
			kg.Offered[j] = int64(next - prev)
			prev = next
		}
		gc.kinds = append(gc.kinds, indexKind{base: base, frac: frac, partner: -1, g: kg, pass: 1})
		gc.groups = append(gc.groups, kg)
		return len(gc.kinds) - 1
	}
	for bi, g := range it.base {
		if !g.Op.IsWrite() {
			continue
		}
		var admitted int64
		for _, a := range g.Admitted {
			admitted += a
		}
		writes := float64(admitted) * it.pass[bi]
		if writes <= 0 {
			continue
		}
		pl := gc.all
		if l := g.Index.Lane; l > 0 && gc.ordinal == firstGlobal(t) && l <= len(gc.lanes) {
			pl = gc.lanes[l-1].pl
		}
		p, c := g.Index.Present, ic.Coverage
		oldE, newE := ic.entrySize(g.Index.OldSize), ic.entrySize(g.Index.Size)
		wu := func(size int) units.Units { return units.WriteUnits(size, units.Eventual) }
		if g.Op == units.OpDelete {
			add(bi, g, p*c, wu(oldE), pl, writes)
			continue
		}
		if p < 1 {
			add(bi, g, (1-p)*c, wu(newE), pl, writes)
		}
		if kc := ic.KeyChanges; kc > 0 && p > 0 {
			d := add(bi, g, p*c*kc, wu(oldE), pl, writes)
			u := add(bi, g, p*c*kc, wu(newE), gc.all, writes)
			gc.kinds[d].partner, gc.kinds[u].partner = u, d
		}
		proj := 0.0
		switch ic.Projection {
		case ProjectAll:
			proj = 1
		case ProjectInclude:
			proj = ic.ProjectedChanges
		}
		if proj > 0 && p > 0 {
			add(bi, g, p*c*(1-ic.KeyChanges)*proj, wu(max(oldE, newE)), pl, writes)
		}
	}
	for _, g := range groups {
		if g.Index.Query == gc.ordinal+1 {
			gc.groups = append(gc.groups, g)
		}
	}
}

// firstGlobal is the ordinal of t's first global secondary index.
func firstGlobal(t *Table) int {
	for i, x := range t.indexes {
		if x != nil {
			return i
		}
	}
	return -1
}

// settleKinds reads what the index admits of each kind and what share of
// each table write group passes it.
func (gc *gsiCounts) settleKinds(it *indexTick) {
	for k := range gc.kinds {
		kd := &gc.kinds[k]
		var off, adm int64
		for j, o := range kd.g.Offered {
			off += o
			adm += kd.g.Admitted[j]
		}
		kd.pass = 1
		if off > 0 {
			kd.pass = float64(adm) / float64(off)
		}
	}
	for bi := range it.base {
		pass, some := 1.0, false
		for k := range gc.kinds {
			kd := &gc.kinds[k]
			if kd.base != bi || kd.partner >= 0 && kd.partner < k {
				continue
			}
			some = true
			through := kd.pass
			if kd.partner >= 0 {
				through *= gc.kinds[kd.partner].pass
			}
			pass -= kd.frac * (1 - through)
		}
		if !some || pass >= 1 {
			continue
		}
		pass = max(pass, 0)
		// Where the most of the group's index writes were refused: the
		// partition, limit and price its throttles report.
		r := indexRefusal{x: gc.x, share: it.pass[bi] * (1 - pass), part: -1}
		most := int64(0)
		for k := range gc.kinds {
			kd := &gc.kinds[k]
			if kd.base != bi {
				continue
			}
			for _, f := range gc.cs.flows {
				if f.g == kd.g && f.n-f.v.admitted > most {
					most = f.n - f.v.admitted
					r.part, r.limit, r.cost = f.part, f.v.limit, f.cost
					if f.v.atCeiling > f.n-f.v.atCeiling-f.v.admitted {
						r.limit = LimitCeiling
					}
				}
			}
		}
		if r.part >= 0 {
			it.refused[bi] = append(it.refused[bi], r)
		}
		it.pass[bi] *= pass
	}
}

// scaleKinds trims what the index admitted of each kind to the index
// writes of the table writes finally admitted: those that another index,
// or the other half of a key change, refused are not charged.
func (gc *gsiCounts) scaleKinds(it *indexTick) {
	for k := range gc.kinds {
		kd := &gc.kinds[k]
		// The share of the kind's admitted writes whose table write is
		// admitted: what the other indexes pass (this one's refusals
		// are the kind's own) and the partner's share.
		through := 1.0
		for _, r := range it.refused[kd.base] {
			if r.x != gc.x {
				through -= r.share
			}
		}
		through = max(through, 0)
		if kd.partner >= 0 {
			through *= gc.kinds[kd.partner].pass
		}
		if through >= 1 {
			continue
		}
		for j := range gc.cs.flows {
			f := &gc.cs.flows[j]
			if f.g != kd.g {
				continue
			}
			kept := int64(math.Floor(float64(f.v.admitted)*through + 0.5))
			f.v.admitted = kept
			f.v.fromShare = min(f.v.fromShare, kept)
			f.g.Admitted[f.part] = kept
		}
	}
}

// refuseByIndex reports the throttles of flow f's writes that the
// table's global secondary indexes refused, each index its part, with
// the index's reason at the partition where it refused the most.
func (s *Service) refuseByIndex(now sim.Time, f *flow) {
	bi := baseOf(s.indexTick.base, f.g)
	if bi < 0 {
		return
	}
	rs := s.indexTick.refused[bi]
	var total float64
	for _, r := range rs {
		total += r.share
	}
	left := f.byIndex
	for k, r := range rs {
		n := left
		if k < len(rs)-1 && total > 0 {
			n = min(left, int64(math.Floor(float64(f.byIndex)*r.share/total+0.5)))
		}
		left -= n
		if n <= 0 {
			continue
		}
		r.x.refuse(now, r.part, true, r.cost, r.limit, &s.ev)
		s.ev.Reason += indexReasonOffset
		s.ev.Op = f.g.Op
		f.g.Reason[f.part] = s.ev.Reason
		ThrottleN(s.rec, now, &s.ev, n)
	}
}
