package fluid

import (
	"fmt"
	"math"

	"github.com/ddbsim/ddbsim/model"
	"github.com/ddbsim/ddbsim/model/cache"
	"github.com/ddbsim/ddbsim/model/units"
	"github.com/ddbsim/ddbsim/sim"
	"github.com/ddbsim/ddbsim/workload"
)

// DAX under the aggregate driver (REFERENCE: dax). A table's item cache
// is kept as counts (cache.Counted) over classes of keys alike in
// popularity, shared by every workload on the table: each tick the
// eventually consistent gets sent through the cluster read it, the
// writes sent through it fill it (write-through), inserts add entries
// nobody reads, and writes that bypass it leave its entries stale. A
// get's partition has the hit rate of the classes of the keys it holds;
// its misses go to the table as eventually consistent reads through
// AdmitCounts, its hits do not. Strongly consistent gets pass through.
// The tick's normalized load (a hit 1 per KB, a miss 10, a write 25 on
// every node) is admitted against the cluster's capacity; what it cannot
// take is throttled (DAXThrottlingException) in the same share from
// every access, and retried as a throttle.
//
// It approximates: keys within a class are equally popular (classes
// are each of the hottest 64 keys, then ranges 2% long); an item read
// through the cache and written with a different size is counted at the
// table's item size; a miss the table throttles, and a write the table
// refuses, still fill the cache; queries and scans through the cluster
// (the query cache) are not modelled, nor keys that rotate, shard, walk
// in order or follow the newest.

// daxRole is what the cluster does with an operation of a workload.
type daxRole uint8

const (
	daxNone   daxRole = iota // not through DAX, and no write
	daxRead                  // an eventually consistent get: the item cache
	daxPass                  // a strongly consistent get: passed through
	daxWrite                 // a write through DAX: write-through
	daxInsert                // an insert through DAX: a new entry, never read
	daxBypass                // a write to the table that bypasses the cluster
)

// daxCache is the item cache of one table's cluster, as counts.
type daxCache struct {
	table, cluster int
	c              *model.DAXCluster
	bounds         []int64 // each class's first key index, the last the end
	cache          *cache.Counted
	traffic        []cache.Traffic
	access         []cache.Access
	hitRate        []float64 // by class, this tick
	// Per class: a hit's load and the read units it saves the table, a
	// miss's load.
	hitLoad, missLoad, saved []units.Units
	writeLoad                units.Units // a write of the table's item size
	users                    []*Source
	inserts                  float64
	insertBytes              int
}

// daxUse is a source's part in its table's daxCache.
type daxUse struct {
	dc    *daxCache
	share []float64 // by class: the workload's share of traffic to it
	// byPart[p][c] is the share of the workload's traffic to class c on
	// partition p, for placement pl.
	byPart [][]float64
	pl     *model.Placement
	via    bool
}

// daxOp is an operation's counts through the cluster over a tick.
type daxOp struct {
	role      daxRole
	offered   []int64 // by partition, before the cluster
	hits      []int64 // by partition: served by the item cache
	throttled []int64 // by partition: refused by the cluster
	hitLat    []sim.Time
	hitFrac   float64 // this tick's admitted that were hits
	hitAcc    float64
	firstHit  int64
}

// checkDAX refuses what the aggregate driver does not model of a table
// with a DAX cluster for workload cfg.
func checkDAX(svc *model.Service, cfg workload.Config, km keyModel) error {
	if _, ok := svc.DAXOf(cfg.Table); !ok {
		return nil
	}
	reads := false
	for _, e := range cfg.Mix.Entries() {
		switch {
		case cfg.ViaDAX && (e.Op == units.OpQuery || e.Op == units.OpScan):
			return fmt.Errorf("queries and scans through DAX (its query cache) are %w", ErrUnsupported)
		case !e.Insert:
			reads = true
		}
	}
	if cfg.ViaDAX && cfg.Users > 0 {
		return fmt.Errorf("closed loops through DAX are %w", ErrUnsupported)
	}
	if reads && (km.rot != nil || km.latest != nil || cfg.Shards > 1 || isSequential(cfg.Keys)) {
		return fmt.Errorf("keys that rotate, shard, walk in order or follow the newest on a table with DAX are %w",
			ErrUnsupported)
	}
	return nil
}

func isSequential(kc workload.KeyChooser) bool {
	_, ok := kc.(*workload.Sequential)
	return ok
}

// roleOf is what the cluster does with operation o of source s.
func roleOf(s *Source, o *opState) daxRole {
	if _, ok := s.d.svc.DAXOf(s.cfg.Table); !ok {
		return daxNone
	}
	write := o.op.IsWrite()
	switch {
	case !s.cfg.ViaDAX && write && !o.entry.Insert:
		return daxBypass
	case !s.cfg.ViaDAX:
		return daxNone
	case o.entry.Insert:
		return daxInsert
	case write:
		return daxWrite
	case o.op == units.OpGet && o.c == units.Strong:
		return daxPass
	case o.op == units.OpGet:
		return daxRead
	}
	return daxNone
}

// startDAX builds the item caches of the tables with a cluster, once
// every source is added.
func (d *Driver) startDAX() {
	for _, tg := range d.tables {
		ci, ok := d.svc.DAXOf(tg.table)
		if !ok {
			continue
		}
		var users []*Source
		for _, s := range d.sources {
			if s.cfg.Table == tg.table {
				users = append(users, s)
			}
		}
		d.dax = append(d.dax, newDAXCache(d.svc, tg.table, ci, users))
	}
}

func newDAXCache(svc *model.Service, table, ci int, users []*Source) *daxCache {
	c := svc.Clusters()[ci]
	tc := svc.Tables()[table].Config()
	preloaded := tc.ItemCount / max(1, tc.ItemsPerKey)
	end := int64(1)
	cuts := []int64{preloaded}
	for _, s := range users {
		end = max(end, s.keys.count)
		cuts = append(cuts, s.keys.count, s.keys.hot)
	}
	dc := &daxCache{table: table, cluster: ci, c: c, bounds: cache.RankBounds(end, cuts...), users: users,
		insertBytes: int(tc.ItemSize)}
	n := len(dc.bounds) - 1
	classes := make([]cache.Class, n)
	for i := range classes {
		size := 0
		if dc.bounds[i] < preloaded {
			size = int(tc.ItemSize)
		}
		classes[i] = cache.Class{Keys: dc.bounds[i+1] - dc.bounds[i], Bytes: size}
		h, m, _, sv := c.DAXCosts(size)
		dc.hitLoad = append(dc.hitLoad, h)
		dc.missLoad = append(dc.missLoad, m)
		dc.saved = append(dc.saved, sv)
	}
	_, _, dc.writeLoad, _ = c.DAXCosts(int(tc.ItemSize))
	ttl, entries, bytes := c.ItemCache()
	dc.cache = cache.NewCounted(ttl, max(users[0].d.tick, 1), entries, bytes, classes)
	dc.traffic = make([]cache.Traffic, n)
	dc.access = make([]cache.Access, n)
	dc.hitRate = make([]float64, n)
	for _, s := range users {
		u := &daxUse{dc: dc, share: make([]float64, n), via: s.cfg.ViaDAX}
		total := s.keys.between(0, s.keys.count)
		for i := range n {
			if total > 0 {
				u.share[i] = s.keys.between(dc.bounds[i], dc.bounds[i+1]) / total
			}
		}
		s.dax = u
		for oi := range s.ops {
			o := &s.ops[oi]
			o.dax.role = roleOf(s, o)
			if o.dax.role == daxRead {
				o.dax.hitLat = make([]sim.Time, len(LatencyGrid))
				for j, g := range LatencyGrid {
					o.dax.hitLat[j] = svc.DAXQuantile(g.p)
				}
			}
			if o.dax.role != daxNone && o.dax.role != daxBypass {
				// A miss, a write or a pass-through: the table's time
				// and the node's (its median: the sum of two draws is
				// not the sum of their quantiles).
				for j := range o.lat {
					o.lat[j] += svc.DAXQuantile(0.5)
				}
			}
		}
	}
	return dc
}

// placedDAX finds where the source's traffic to each class lands on the
// partitions of its placement: its listed keys one by one, the rest of
// each class evenly over the hash space.
func (s *Source) placedDAX(pop *model.Popularity) {
	u := s.dax
	dc := u.dc
	t := s.d.svc.Tables()[s.cfg.Table]
	np := s.pl.Partitions()
	u.byPart = make([][]float64, np)
	for p := range u.byPart {
		u.byPart[p] = make([]float64, len(dc.bounds)-1)
	}
	total := s.keys.between(0, s.keys.count)
	if total <= 0 {
		return
	}
	listed := int64(len(pop.Keys))
	c := 0
	for r, kw := range pop.Keys {
		for int64(r) >= dc.bounds[c+1] {
			c++
		}
		u.byPart[t.PartitionOf(kw.Hash)][c] += kw.Weight / total
	}
	for c := range len(dc.bounds) - 1 {
		rest := s.keys.between(max(dc.bounds[c], listed), dc.bounds[c+1]) / total
		if rest <= 0 {
			continue
		}
		for p, sh := range s.spread.Share {
			u.byPart[p][c] += rest * sh
		}
	}
	u.pl = s.pl
}

// offerDAX puts each table's DAX traffic for the tick through its item
// cache and its cluster's capacity, leaving in the groups' Offered what
// goes on to the table: the misses, the writes and the pass-throughs the
// cluster admitted.
func (d *Driver) offerDAX(now, to sim.Time) {
	for _, dc := range d.dax {
		dc.classTraffic()
		dc.cache.Peek(dc.traffic, dc.access)
		for c, a := range dc.access {
			dc.hitRate[c] = 0
			if n := a.Hits + a.Misses; n > 0 {
				dc.hitRate[c] = a.Hits / n
			}
		}
		for _, s := range dc.users {
			s.splitHits()
		}
	}
	// Each cluster's accesses, admitted as far as it has room: the
	// hits, misses, writes and pass-throughs of each of its tables.
	for _, dc := range d.dax {
		if !d.firstOfCluster(dc) {
			continue
		}
		d.daxPrices, d.daxCounts = d.daxPrices[:0], d.daxCounts[:0]
		for _, other := range d.dax {
			if other.cluster == dc.cluster {
				d.daxPrices, d.daxCounts = other.claims(d.daxPrices, d.daxCounts)
			}
		}
		d.daxAdmitted = resize(d.daxAdmitted, len(d.daxCounts))
		d.svc.AdmitDAXCounts(now, to, dc.cluster, d.daxPrices, d.daxCounts, d.daxAdmitted)
		k := 0
		for _, other := range d.dax {
			if other.cluster == dc.cluster {
				var f [numDAXKinds]float64
				for j := range f {
					f[j] = 1
					if n := d.daxCounts[k+j]; n > 0 {
						f[j] = float64(d.daxAdmitted[k+j]) / float64(n)
					}
				}
				k += numDAXKinds
				other.admit(f)
			}
		}
	}
}

// The kinds of access a cluster admits at their own price.
const (
	kindHit = iota
	kindMiss
	kindWrite
	kindPass
	numDAXKinds
)

func (d *Driver) firstOfCluster(dc *daxCache) bool {
	for _, o := range d.dax {
		if o.cluster == dc.cluster {
			return o == dc
		}
	}
	return false
}

// classTraffic sums the tick's offered requests of the table's sources
// by class.
func (dc *daxCache) classTraffic() {
	clear(dc.traffic)
	dc.inserts = 0
	for _, s := range dc.users {
		for oi := range s.ops {
			o := &s.ops[oi]
			n := float64(sumCounts(o.group.Offered))
			if n == 0 {
				continue
			}
			switch o.dax.role {
			case daxInsert:
				dc.inserts += n
				continue
			case daxRead, daxWrite, daxBypass:
			default:
				continue
			}
			for c, sh := range s.dax.share {
				t := &dc.traffic[c]
				switch o.dax.role {
				case daxRead:
					t.Reads += n * sh
				case daxWrite:
					t.Fills += n * sh
				case daxBypass:
					t.Bypass += n * sh
				}
			}
		}
	}
}

func sumCounts(v []int64) int64 {
	var n int64
	for _, x := range v {
		n += x
	}
	return n
}

// splitHits divides each get through the cluster on each partition into
// hits and misses by the hit rates of the classes of keys it holds.
func (s *Source) splitHits() {
	u := s.dax
	if !u.via {
		return
	}
	if u.pl != s.pl {
		panic("fluid: DAX classes placed for a stale placement")
	}
	for oi := range s.ops {
		o := &s.ops[oi]
		if o.dax.role == daxNone || o.dax.role == daxBypass {
			continue
		}
		n := len(o.group.Offered)
		o.dax.offered = append(resize(o.dax.offered, n)[:0], o.group.Offered...)
		o.dax.hits = resize(o.dax.hits, n)
		o.dax.throttled = resize(o.dax.throttled, n)
		if o.dax.role != daxRead {
			continue
		}
		x := s.share.Float64()
		for p, off := range o.group.Offered {
			if off == 0 {
				continue
			}
			var w, h float64
			for c, sh := range u.byPart[p] {
				w += sh
				h += sh * u.dc.hitRate[c]
			}
			if w > 0 {
				o.dax.hits[p] = min(off, int64(math.Floor(float64(off)*h/w+x)))
			}
		}
	}
}

// claims appends the tick's accesses of the table to the cluster, by
// kind (kindHit, ...), with the normalized load of each.
func (dc *daxCache) claims(prices []units.Units, counts []int64) ([]units.Units, []int64) {
	var hitLoad, missLoad, hits, misses float64
	for c, a := range dc.access {
		hitLoad += a.Hits * float64(dc.hitLoad[c])
		missLoad += a.Misses * float64(dc.missLoad[c])
		hits += a.Hits
		misses += a.Misses
	}
	var n [numDAXKinds]int64
	for _, s := range dc.users {
		if !s.dax.via {
			continue
		}
		for oi := range s.ops {
			o := &s.ops[oi]
			switch o.dax.role {
			case daxRead:
				h := sumCounts(o.dax.hits)
				n[kindHit] += h
				n[kindMiss] += sumCounts(o.dax.offered) - h
			case daxPass:
				n[kindPass] += sumCounts(o.dax.offered)
			case daxWrite, daxInsert:
				n[kindWrite] += sumCounts(o.dax.offered)
			}
		}
	}
	prices = append(prices, units.Units(math.Round(perAccess(hitLoad, hits, dc.hitLoad))),
		units.Units(math.Round(perAccess(missLoad, misses, dc.missLoad))), dc.writeLoad, model.PassThroughLoad())
	return prices, append(counts, n[:]...)
}

// perAccess is the mean of a class-weighted total, or the first class's
// when there is no weight.
func perAccess(total, weight float64, byClass []units.Units) float64 {
	if weight > 0 {
		return total / weight
	}
	return float64(byClass[0])
}

// admit throttles, of each kind of access through the cluster, the
// share the cluster did not admit (f: the share admitted, by kind; each
// partition's rounded from a random offset), advances the item cache by
// what it served, and leaves in Offered what reaches the table.
func (dc *daxCache) admit(f [numDAXKinds]float64) {
	keep := func(n int64, f, x float64) int64 {
		if f >= 1 {
			return n
		}
		return min(n, int64(math.Floor(float64(n)*f+x)))
	}
	for _, s := range dc.users {
		if !s.dax.via {
			continue
		}
		x := s.share.Float64()
		for oi := range s.ops {
			o := &s.ops[oi]
			kind := kindWrite
			switch o.dax.role {
			case daxNone, daxBypass:
				continue
			case daxPass:
				kind = kindPass
			}
			for p, off := range o.dax.offered {
				if off == 0 {
					continue
				}
				if o.dax.role == daxRead {
					h := keep(o.dax.hits[p], f[kindHit], x)
					m := keep(off-o.dax.hits[p], f[kindMiss], x)
					o.dax.hits[p], o.dax.throttled[p] = h, off-h-m
				} else {
					o.dax.throttled[p] = off - keep(off, f[kind], x)
				}
				o.group.Offered[p] = off - o.dax.throttled[p] - o.dax.hits[p]
			}
			// A group the table is not asked about this tick admits
			// nothing there.
			n := len(o.group.Offered)
			o.group.Admitted = resize(o.group.Admitted, n)
			o.group.Reason = resize(o.group.Reason, n)
		}
	}
	// Throttled accesses leave the cache as it was: a throttled miss
	// does not fill it, nor a throttled write (a throttled hit is taken
	// to leave it as a hit would: its entry's recency aside, the same).
	for c := range dc.traffic {
		dc.traffic[c].Fills *= f[kindWrite]
		dc.traffic[c].MissDropped = 1 - f[kindMiss]
	}
	dc.inserts *= f[kindWrite]
	dc.cache.Step(dc.traffic, dc.access, dc.inserts, dc.insertBytes)
	dc.c.SetCountedEntries(int64(math.Round(dc.cache.Entries())), int64(math.Round(dc.cache.Bytes())))
}

// settleDAX puts the cluster's part back into the groups after the table
// admitted what reached it: the hits and the table's admissions are
// admitted, the cluster's throttles refused with its reason, and the
// accesses recorded.
func (d *Driver) settleDAX(now sim.Time) {
	for _, dc := range d.dax {
		var stale, hitsAll float64
		var saved, hitLoad float64
		for c, a := range dc.access {
			hitsAll += a.Hits
			stale += a.Stale
			saved += a.Hits * float64(dc.saved[c])
			hitLoad += a.Hits * float64(dc.hitLoad[c])
		}
		var missLoad, misses float64
		for c, a := range dc.access {
			missLoad += a.Misses * float64(dc.missLoad[c])
			misses += a.Misses
		}
		for _, s := range dc.users {
			if !s.dax.via {
				continue
			}
			for oi := range s.ops {
				o := &s.ops[oi]
				role := o.dax.role
				if role == daxNone || role == daxBypass {
					continue
				}
				g := &o.group
				var hitN, admitted, thrN int64
				for p, off := range o.dax.offered {
					tableRefused := g.Offered[p] - g.Admitted[p]
					hitN += o.dax.hits[p]
					thrN += o.dax.throttled[p]
					g.Admitted[p] += o.dax.hits[p]
					admitted += g.Admitted[p]
					if t := o.dax.throttled[p]; t > 0 && t >= tableRefused {
						g.Reason[p] = model.DAXThrottled
					}
					g.Offered[p] = off
				}
				d.svc.DAXThrottleN(now, dc.table, dc.cluster, o.op, thrN)
				reached := sumCounts(o.dax.offered) - thrN - hitN // what went on to the table
				switch role {
				case daxRead:
					o.dax.hitFrac = 0
					if admitted > 0 {
						o.dax.hitFrac = float64(hitN) / float64(admitted)
					}
					st := int64(0)
					if hitsAll > 0 {
						st = int64(math.Round(float64(hitN) * stale / hitsAll))
					}
					d.svc.CacheN(now, dc.table, dc.cluster, model.CacheItemHit, hitN, min(st, hitN),
						units.Units(float64(hitN)*perAccess(saved, hitsAll, dc.saved)),
						units.Units(float64(hitN)*perAccess(hitLoad, hitsAll, dc.hitLoad)))
					d.svc.CacheN(now, dc.table, dc.cluster, model.CacheItemMiss, reached, 0, 0,
						units.Units(float64(reached)*perAccess(missLoad, misses, dc.missLoad)))
				case daxPass:
					d.svc.CacheN(now, dc.table, dc.cluster, model.CachePassThrough, reached, 0, 0,
						units.Units(reached)*model.PassThroughLoad())
				case daxWrite, daxInsert:
					d.svc.CacheN(now, dc.table, dc.cluster, model.CacheWrite, reached, 0, 0,
						units.Units(reached)*dc.writeLoad)
				}
			}
		}
	}
}

// cacheOf is the cache access an admitted request of operation o records
// as, hits aside.
func (o *opState) cacheOf() model.CacheAccess {
	switch o.dax.role {
	case daxRead:
		return model.CacheItemMiss
	case daxPass:
		return model.CachePassThrough
	case daxWrite, daxInsert:
		return model.CacheWrite
	}
	return model.CacheNone
}

// splitHit takes, of n admitted requests of o, those the item cache
// served: the tick's share of hits, its rounding carried over.
func (o *opState) splitHit(n int64) int64 {
	if o.dax.role != daxRead || o.dax.hitFrac == 0 {
		return 0
	}
	o.dax.hitAcc += float64(n) * o.dax.hitFrac
	k := min(n, int64(o.dax.hitAcc))
	o.dax.hitAcc -= float64(k)
	return k
}
