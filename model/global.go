package model

import (
	"fmt"
	"slices"

	"github.com/ddbsim/ddbsim/model/latency"
	"github.com/ddbsim/ddbsim/model/store"
	"github.com/ddbsim/ddbsim/model/units"
	"github.com/ddbsim/ddbsim/sim"
)

// Global tables (REFERENCE: global): a replica of a table in each of
// several regions, all writable, each write replicated to the others
// asynchronously after a lag, concurrent writes to one item resolved last
// writer wins.
//
// Each replica is a table of its own ("orders@eu-west-1") with its items,
// partitions, capacity and bill. A write applied in one replica is sent
// to every other one and applied there when it arrives, unless that
// replica already holds a later write of the item (last writer wins: the
// arriving update is overwritten, a conflict). Replicated writes consume
// the receiving replica's write capacity but are never throttled: the
// service keeps retrying them, which the model does not delay.

// globalTable is the replicas of one global table.
type globalTable struct {
	replicas []*Table
	strong   bool
	// lags[from][to] is the lag from one replica to another.
	lags [][]latency.Lognormal
	// held[r] is, for each item written during the run, the write replica
	// r holds: when it was made and where. latest is the newest write of
	// each item in any replica.
	held   []map[uint64]stamp
	latest map[uint64]stamp
	// inflight is, under strong consistency, each item's write being
	// replicated: until when and from where.
	inflight map[uint64]stamp
	free     []*replication // delivered replications, reused
	// spare and keys are where new replications and their keys are
	// carved from, a chunk at a time, so that a backlog growing through
	// an outage allocates once per replicationChunk writes, not per write.
	spare []replication
	keys  []byte
	// ev is the event being recorded, reused: recording one does not
	// allocate (recordGlobal).
	ev     GlobalEvent
	counts *countGlobal // the aggregate driver's state (counts_global.go)
}

// stamp is one write of an item: when and in which replica it was made.
type stamp struct {
	at     sim.Time
	origin int
}

// newer reports whether a is a later write than b. Writes made at the
// same instant are ordered by replica, so that every replica picks the
// same winner.
func (a stamp) newer(b stamp) bool { return a.at > b.at || a.at == b.at && a.origin > b.origin }

// addReplicas makes the replicas of home in its other regions.
func (s *Service) addReplicas(home *Table) error {
	cfg := home.cfg
	if n := len(cfg.Replicas); cfg.StrongConsistency && n != 3 {
		return fmt.Errorf("table %s: multi-region strong consistency needs exactly 3 replicas, got %d", cfg.Name, n)
	}
	g := &globalTable{strong: cfg.StrongConsistency, latest: map[uint64]stamp{}, inflight: map[uint64]stamp{}}
	home.cfg.Region = cfg.Replicas[0]
	home.global = g
	home.bill.Totals.Replicated = true
	g.replicas = append(g.replicas, home)
	for _, region := range cfg.Replicas[1:] {
		rc := home.cfg
		rc.Name, rc.Region, rc.TTL = cfg.Name+"@"+region, region, nil
		rc.Replicas = nil
		r, err := newTable(len(s.tables), rc, &s.params)
		if err != nil {
			return err
		}
		r.global = g
		r.bill.Totals.Replicated = true
		g.replicas = append(g.replicas, r)
		s.tables = append(s.tables, r)
	}
	n := len(g.replicas)
	g.held = make([]map[uint64]stamp, n)
	g.lags = make([][]latency.Lognormal, n)
	for i := range g.replicas {
		g.held[i] = map[uint64]stamp{}
		g.lags[i] = make([]latency.Lognormal, n)
		for j := range g.lags[i] {
			g.lags[i][j] = s.params.ReplicationLag
		}
	}
	for _, l := range cfg.ReplicationLags {
		from, to := slices.Index(cfg.Replicas, l.From), slices.Index(cfg.Replicas, l.To)
		if from < 0 || to < 0 || from == to {
			return fmt.Errorf("table %s: replication lag from %s to %s: not two of its replicas", cfg.Name, l.From, l.To)
		}
		g.lags[from][to] = l.Lag
	}
	return nil
}

// replica is t's place among its global table's replicas.
func (g *globalTable) replica(t *Table) int { return slices.Index(g.replicas, t) }

// replication is one write on its way to another replica: a sim.Handler,
// reused once delivered.
type replication struct {
	s        *Service
	g        *globalTable
	to       *Table
	key      []byte
	sk       int64
	pkHash   uint64
	kind     store.ChangeKind
	size     int
	made     stamp
	service  bool // a TTL deletion
	stranded bool // counted as unreplicated at an outage of its origin
}

// replicate sends a change made in one replica to the others
// (REFERENCE: global, "each item write replicates asynchronously").
func (s *Service) replicate(now sim.Time, c *change) {
	g := c.t.global
	o := g.replica(c.t)
	id := store.ItemHash(c.PKHash, c.SK)
	made := stamp{at: now, origin: o}
	g.held[o][id] = made
	if made.newer(g.latest[id]) {
		g.latest[id] = made
	}
	var longest sim.Time
	for r, to := range g.replicas {
		if r == o {
			continue
		}
		var rp *replication
		if n := len(g.free); n > 0 {
			rp, g.free = g.free[n-1], g.free[:n-1]
			rp.key = append(rp.key[:0], c.Key...)
		} else {
			rp = g.newReplication(s, c.Key)
		}
		rp.to = to
		rp.sk, rp.pkHash, rp.kind, rp.size = c.SK, c.PKHash, c.Kind, c.NewSize
		rp.made, rp.service, rp.stranded = made, c.Service, false
		lag := g.lags[o][r].Sample(s.replication)
		longest = max(longest, lag)
		s.sched.At(now+lag, rp)
	}
	if g.strong {
		g.inflight[id] = stamp{at: now + longest, origin: o}
	}
}

// replicationChunk is how many replications, and how many bytes of
// their keys, a global table makes room for at a time.
const replicationChunk = 256

// newReplication makes a replication of key, carved from the table's
// current chunk. A key is capped at its length, so that a reused
// replication given a longer key reallocates it rather than writing
// over its neighbour's.
func (g *globalTable) newReplication(s *Service, key []byte) *replication {
	if len(g.spare) == 0 {
		g.spare = make([]replication, replicationChunk)
	}
	rp := &g.spare[0]
	g.spare = g.spare[1:]
	if cap(g.keys)-len(g.keys) < len(key) {
		g.keys = make([]byte, 0, max(replicationChunk*32, len(key)))
	}
	n := len(g.keys)
	g.keys = append(g.keys, key...)
	*rp = replication{s: s, g: g, key: g.keys[n:len(g.keys):len(g.keys)]}
	return rp
}

// Fire delivers the replication, unless its origin went down while it
// was on its way (it is stranded there until the region returns) or its
// destination is down (it waits for the region to return).
func (rp *replication) Fire(now sim.Time) {
	s := rp.s
	origin := rp.g.replicas[rp.made.origin]
	if f, ok := s.outageBetween(origin.cfg.Region, rp.made.at, now); ok {
		if !rp.stranded {
			rp.stranded = true
			rp.g.record(s.rec, now, GlobalEvent{Kind: GlobalUnreplicated, Table: rp.to.index, Origin: origin.index})
		}
		s.sched.At(f.At+f.Outage, rp)
		return
	}
	if f, ok := s.outageAt(rp.to.cfg.Region, now); ok {
		s.sched.At(f.At+f.Outage, rp)
		return
	}
	s.deliver(now, rp)
	rp.g.free = append(rp.g.free, rp)
}

// deliver applies a replicated write to its replica, last writer wins.
func (s *Service) deliver(now sim.Time, rp *replication) {
	g, to := rp.g, rp.to
	r := g.replica(to)
	id := store.ItemHash(rp.pkHash, rp.sk)
	ev := GlobalEvent{Table: to.index, Origin: g.replicas[rp.made.origin].index, Lag: now - rp.made.at}
	if held, ok := g.held[r][id]; ok && !rp.made.newer(held) {
		// The replica holds a later write: this one is overwritten. From
		// another replica it was a concurrent update, a conflict; from
		// its own origin, an earlier write overtaken on the way.
		if held.origin != rp.made.origin {
			ev.Kind = GlobalConflict
			g.record(s.rec, now, ev)
		}
		return
	}
	g.held[r][id] = rp.made
	st := to.store
	old, _, keyGen, existed := st.ItemVersion(rp.key, rp.sk)
	del := rp.kind == store.ChangeRemove
	var cost units.Units
	if del {
		if !existed {
			ev.Kind = GlobalDelivered
			g.record(s.rec, now, ev)
			return
		}
		cost = units.DeleteUnits(old, true)
	} else {
		cost = units.PutUnits(old, rp.size, existed)
	}
	var plan *indexPlan
	if len(to.cfg.Indexes) > 0 {
		plan = s.planIndexes(to, rp.pkHash, rp.sk, old, existed, keyGen, rp.size, del)
		cost += plan.local
	}
	// Replicated writes take the replica's write capacity (REFERENCE:
	// global, "every replica is billed for every write") without being
	// refused.
	pi := to.PartitionOf(rp.pkHash)
	to.charge(now, pi, rp.pkHash, true, units.Strong, cost)
	s.rec.Consumed(now, to.index, pi, 0, cost)
	if rp.service {
		to.bill.Totals.TTLDeleteUnits += cost.Float()
	}
	if del {
		st.DeleteSized(rp.key, rp.sk)
		to.parts[pi].bytes -= int64(old)
	} else {
		st.PutSized(rp.key, rp.sk, rp.size)
		to.parts[pi].bytes += int64(rp.size - old)
	}
	if plan != nil {
		if plan.keyGenChanged && !del {
			st.SetKeyGen(rp.key, rp.sk, plan.keyGen)
		}
		plan.commit(now, to, s.rec, st.Writes())
	}
	to.wrote(rp.pkHash)
	c := change{t: to, Change: store.Change{Key: rp.key, SK: rp.sk, PKHash: rp.pkHash, Kind: rp.kind, OldSize: old, NewSize: rp.size,
		At: rp.made.at, Service: rp.service, Replicated: true}}
	switch {
	case del:
		c.NewSize = 0
	case existed:
		c.Kind = store.ChangeModify
	default:
		c.Kind = store.ChangeInsert
	}
	if !del {
		_, c.Ver, _, _ = st.ItemVersion(rp.key, rp.sk)
	}
	s.applied(now, &c)
	ev.Kind = GlobalDelivered
	g.record(s.rec, now, ev)
}

// readGlobal reports a GetItem of item id on a replica: stale when another
// replica holds a later write of it.
func (s *Service) readGlobal(now sim.Time, t *Table, id uint64, c units.Consistency) {
	g := t.global
	stale := false
	if !(g.strong && c == units.Strong) {
		if latest, ok := g.latest[id]; ok {
			held, ok := g.held[g.replica(t)][id]
			stale = !ok || latest.newer(held)
		}
	}
	g.record(s.rec, now, GlobalEvent{Kind: GlobalRead, Table: t.index, Stale: stale})
}

// record records ev through the table's reused event, so that the
// pointer the recorder takes does not make ev escape to the heap: the
// recorder reads the event and keeps nothing of it.
func (g *globalTable) record(rec Recorder, now sim.Time, ev GlobalEvent) {
	g.ev = ev
	rec.Global(now, &g.ev)
}

// strongWriteConflict reports, under multi-region strong consistency,
// whether a write of item id in t meets a write of it from another region
// still being replicated (REFERENCE: global, "conflicting concurrent
// writes fail").
func (g *globalTable) strongWriteConflict(now sim.Time, t *Table, id uint64) bool {
	if !g.strong {
		return false
	}
	f, ok := g.inflight[id]
	if !ok {
		return false
	}
	if now >= f.at {
		delete(g.inflight, id)
		return false
	}
	return f.origin != g.replica(t)
}

// strongWriteDelay is what a strongly consistent write waits for: the
// nearest other replica's acknowledgement, one lag away.
func (s *Service) strongWriteDelay(t *Table) sim.Time {
	g := t.global
	o := g.replica(t)
	var best sim.Time = -1
	for r := range g.replicas {
		if r == o {
			continue
		}
		if l := g.lags[o][r].Sample(s.replication); best < 0 || l < best {
			best = l
		}
	}
	return max(best, 0)
}

// outageAt returns the outage of region at now, if any.
func (s *Service) outageAt(region string, now sim.Time) (Fault, bool) {
	for _, f := range s.faults {
		if f.Region == region && now >= f.At && now < f.At+f.Outage {
			return f, true
		}
	}
	return Fault{}, false
}

// outageBetween returns an outage of region that began after from and by
// now, and has not ended by now.
func (s *Service) outageBetween(region string, from, now sim.Time) (Fault, bool) {
	for _, f := range s.faults {
		if f.Region == region && f.At > from && f.At <= now && now < f.At+f.Outage {
			return f, true
		}
	}
	return Fault{}, false
}

// Fault is a region outage: from At for Outage, the region serves nothing
// (a scenario's fault injection).
type Fault struct {
	Region     string
	At, Outage sim.Time
}

// AddFault schedules a region outage.
func (s *Service) AddFault(f Fault) { s.faults = append(s.faults, f) }

// Faults returns the scheduled outages.
func (s *Service) Faults() []Fault { return s.faults }

// Available reports whether table i's region is up at the given time.
func (s *Service) Available(i int, at sim.Time) bool {
	_, down := s.outageAt(s.tables[i].cfg.Region, at)
	return !down
}

// TableIn returns the index of the named table's replica in region, or of
// the table itself when region is "" or its home region.
func (s *Service) TableIn(name, region string) (int, bool) {
	for i, t := range s.tables {
		home := t
		if t.global != nil {
			home = t.global.replicas[0]
		}
		if home.cfg.Name != name || t.base != nil {
			continue
		}
		if region == "" && t == home || region != "" && t.cfg.Region == region {
			return i, true
		}
	}
	return 0, false
}

// Region is the table's region ("" when the scenario's).
func (t *Table) Region() string { return t.cfg.Region }

// ReplicaOf returns, for a replica of a global table in a region other
// than its home, the home table's index; ok is false otherwise.
func (t *Table) ReplicaOf() (home int, ok bool) {
	if t.global == nil || t.global.replicas[0] == t {
		return -1, false
	}
	return t.global.replicas[0].index, true
}
