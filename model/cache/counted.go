package cache

import (
	"math"
	"slices"

	"github.com/ddbsim/ddbsim/sim"
)

// Counted is an LRU with a time to live as counts, for a driver that
// steps time in ticks and knows how many requests reach each group of
// keys, not which key each one asks for (the aggregate driver). It keeps,
// for each class of keys alike in popularity, the share of them cached
// by the tick they were filled in, and advances it a tick at a time under
// the tick's expected reads, write-through fills and writes that bypass
// the cache, as the LRU would under independent Poisson references to
// each key (the independent reference model):
//
//   - An uncached key's first reference in a tick misses and fills it
//     (a write fills it without missing); the reads after that hit.
//   - An entry lives its time to live from its last fill (a hit does not
//     extend it, as LRU.Lookup does not): entries are kept by the tick of
//     their fill, and one filled at a point spread evenly over its tick
//     expires at that point of the tick a time to live later.
//   - A write-through refills an entry; a write that bypasses the cache
//     leaves it stale until its next fill.
//   - When the entries outgrow the cache, the least recently used go:
//     Che's approximation (H. Che, Y. Tung, Z. Wang, IEEE JSAC 20(7),
//     2002) says an LRU of C entries keeps a key referenced at rate μ
//     with probability 1 - exp(-μT), T the characteristic time at which
//     the keys' expected presence sums to C. Counted evicts the cached
//     entries of a class at the hazard μ·exp(-μT)/(1 - exp(-μT)), under
//     which a class in balance is present with exactly Che's
//     probability, with T found each tick so that what is left fits.
//     A class with no references goes at 1/T, the hazard's limit.
//
// The time to live then caps how long an entry lives whatever T allows,
// so with both the hit rate is at most each bound's (see docs/model.md,
// "Where it approximates"). Keys within a class are taken as equally
// popular; the caller makes classes fine where popularity changes fast
// (each of the hottest keys its own class).
type Counted struct {
	tau float64 // the time to live in ticks
	// Of the entries filled k ticks ago (k >= 1), the share expiring in
	// the tick and the share of it those live, on average.
	expire, expireAlive []float64
	lumped              bool    // the oldest age holds every older one (see maxAges)
	maxEntries          float64 // 0: no limit
	maxBytes            float64 // 0: no limit
	classes             []countedClass
	head                int // ring offset: age k is at (head + k) % len(expire)

	// Entries of keys written but never read (inserts), by fill tick.
	inserted      []float64
	insertedBytes float64 // their data size
	insEta        float64 // their eviction hazard
}

// maxAges bounds the ages a counted cache keeps apart: with a time to
// live of more ticks than that, the oldest age holds the entries of all
// older ones, spread evenly over them, a share of which expires each
// tick.
const maxAges = 3600

// Class is a group of keys of like popularity: how many, and the bytes
// an entry of one holds (0 for a key the table does not hold: a cached
// miss).
type Class struct {
	Keys  int64
	Bytes int
}

type countedClass struct {
	keys        float64
	bytes       float64
	live, stale []float64 // by age, ring-indexed: shares of keys
	eta         float64   // the tick's eviction hazard (see characteristic)
	// dead is the share of its keys whose entry expired and is still
	// held: LRU drops an expired entry only when it is looked up or
	// evicted, and until then it counts against the budget.
	dead, deadEta float64
	newLive       float64 // the share of its keys filled this tick
}

// Traffic is what reaches a class of keys over a tick, summed over its
// keys: reads the cache serves or misses, writes that go through the
// cache and fill it, and writes that bypass it.
type Traffic struct {
	Reads, Fills, Bypass float64
	// MissDropped is the share of misses that do not fill: refused
	// before they reach the table (a cluster over its capacity).
	MissDropped float64
}

// Access is what a class's reads met over a tick: hits, the hits on
// entries the table has changed since they were cached (Stale, of Hits),
// and misses.
type Access struct {
	Hits, Stale, Misses float64
}

// NewCounted returns an empty counted cache of the given classes, with
// entries living ttl from their fill, stepping tick at a time, holding at
// most maxEntries entries and maxBytes bytes (0: no limit; an entry costs
// its data and the same overhead as an LRU's). ttl must be at least a
// tick.
func NewCounted(ttl, tick sim.Time, maxEntries, maxBytes int64, classes []Class) *Counted {
	if tick <= 0 || ttl < tick {
		panic("cache: counted cache with a time to live under its tick")
	}
	tau := float64(ttl) / float64(tick)
	ages := int(math.Ceil(tau)) + 1
	lumped := ages > maxAges
	ages = min(ages, maxAges)
	c := &Counted{tau: tau, expire: make([]float64, ages), expireAlive: make([]float64, ages), lumped: lumped,
		maxEntries: float64(maxEntries), maxBytes: float64(maxBytes), inserted: make([]float64, ages)}
	for k := 1; k < ages; k++ {
		if a := aliveShare(tau - float64(k)); a < 1 {
			c.expire[k], c.expireAlive[k] = 1, a
		}
	}
	if lumped {
		// Ages ages-1 to tau, evenly: one of the tau-ages+2 of them
		// expires each tick, halfway through it on average.
		c.expire[ages-1], c.expireAlive[ages-1] = 1/(tau-float64(ages)+2), 0.5
	}
	for _, cl := range classes {
		c.classes = append(c.classes, countedClass{keys: float64(cl.Keys), bytes: float64(cl.Bytes),
			live: make([]float64, ages), stale: make([]float64, ages)})
	}
	return c
}

// aliveShare is the mean share of a tick an entry lives when it expires
// x + u ticks into it, u uniform on [0, 1): its fill's point in its tick.
func aliveShare(x float64) float64 {
	switch {
	case x >= 1:
		return 1
	case x <= -1:
		return 0
	case x >= 0:
		return x*(1-x) + (1-x)*(1-x)/2 + x
	}
	return (1 + x) * (1 + x) / 2
}

// Classes is the number of classes.
func (c *Counted) Classes() int { return len(c.classes) }

// Entries is the expected number of entries cached.
func (c *Counted) Entries() float64 {
	e := 0.0
	for i := range c.classes {
		cl := &c.classes[i]
		e += cl.keys * (sum(cl.live) + cl.dead)
	}
	return e + sum(c.inserted)
}

// Bytes is what the expected entries hold, with their overhead.
func (c *Counted) Bytes() float64 {
	b := 0.0
	for i := range c.classes {
		cl := &c.classes[i]
		b += cl.keys * (sum(cl.live) + cl.dead) * (cl.bytes + entryOverhead)
	}
	return b + sum(c.inserted)*(c.insertedBytes+entryOverhead)
}

func sum(v []float64) float64 {
	s := 0.0
	for _, x := range v {
		s += x
	}
	return s
}

// Peek fills out (one per class) with what the tick's traffic would meet,
// without advancing the cache.
func (c *Counted) Peek(traffic []Traffic, out []Access) {
	c.characteristic(traffic)
	for i := range c.classes {
		out[i], _ = c.classes[i].step(c, traffic[i], false)
	}
}

// Step advances the cache over one tick of traffic (one per class),
// filling out with what the reads met, and adds inserts entries of keys
// written through the cache and not read, of insertBytes each.
func (c *Counted) Step(traffic []Traffic, out []Access, inserts float64, insertBytes int) {
	n := len(c.expire)
	c.characteristic(traffic)
	for i := range c.classes {
		var filled float64
		out[i], filled = c.classes[i].step(c, traffic[i], true)
		c.classes[i].newLive = min(filled, 1)
	}
	// The inserted entries age as the others; those the tick expired go.
	c.insertedBytes = float64(insertBytes)
	for k := 1; k < n; k++ {
		c.inserted[(c.head+k)%n] *= (1 - c.expire[k]) * math.Exp(-c.insEta)
	}
	// Every age one tick older: the oldest slot becomes the new age 0,
	// its entries, when it holds every older age, joining the next.
	last := (c.head + n - 1) % n
	if c.lumped {
		prev := (c.head + n - 2) % n
		for i := range c.classes {
			cl := &c.classes[i]
			cl.live[prev] += cl.live[last]
			cl.stale[prev] += cl.stale[last]
		}
		c.inserted[prev] += c.inserted[last]
	}
	c.head = last
	for i := range c.classes {
		cl := &c.classes[i]
		cl.live[c.head], cl.stale[c.head] = 0, 0
		cl.live[(c.head+1)%n] = cl.newLive
	}
	c.inserted[c.head] = 0
	c.inserted[(c.head+1)%n] = inserts
}

// step is what a tick of t does to the class: what its reads meet, and
// (when commit) its entries aged a tick, those refilled during it not
// counted. filled is the share of its keys cached at the tick's end that
// were filled during it.
//
// Within the tick a key is cached or not, a reference filling it (a read
// by missing, a write-through without) and the LRU evicting it at the
// class's hazard eta: a two-state chain (see chain), which with no
// eviction is the rule that a key's first reference fills it and the
// reads after it hit. An entry also expires at its time to live.
func (cl *countedClass) step(c *Counted, t Traffic, commit bool) (Access, float64) {
	var a Access
	if cl.keys <= 0 {
		return a, 0
	}
	// Per key.
	r, w, b := t.Reads/cl.keys, t.Fills/cl.keys, t.Bypass/cl.keys
	ch := chain{mu: r*(1-t.MissDropped) + w, eta: cl.eta}
	n := len(c.expire)
	turn := -math.Expm1(-b)
	// An entry kept its fill through the tick: neither refilled nor
	// evicted.
	same := math.Exp(-(w + cl.eta))
	whole, wholeEnd := ch.integral(1, 1), ch.end(1, 1)
	staleKept := keptIntegral(w + cl.eta)
	cached, filled, expired := 0.0, 0.0, 0.0
	for k := 1; k < n; k++ {
		j := (c.head + k) % n
		live := cl.live[j]
		if live <= 0 {
			continue
		}
		cached += live
		stale := cl.stale[j]
		fresh := live - stale
		// Stale hits: on entries a bypassing write made stale (a fresh
		// one turned stale during the tick is stale for about half of
		// it), for as long as the entry is still the one cached.
		staleShare := (stale + fresh*turn/2) / live
		// The entries that live through the tick.
		stay := live * (1 - c.expire[k])
		a.Hits += stay * r * whole
		a.Misses += stay * r * (1 - whole)
		a.Stale += stay * r * staleShare * staleKept
		filled += stay * (wholeEnd - same)
		if commit {
			cl.live[j] = stay * same
			cl.stale[j] = (stale + fresh*turn) * (1 - c.expire[k]) * same
		}
		// The entries that expire within it, al of the way through:
		// those still the entry filled then go, and the key goes on from
		// what is cached of it after.
		if g := live - stay; g > 0 {
			al := c.expireAlive[k]
			in := ch.integral(1, al)
			kept := math.Exp(-(w + cl.eta) * al)
			after := max(ch.end(1, al)-kept, 0)
			in2 := ch.integral(after, 1-al)
			a.Hits += g * r * (in + in2)
			a.Misses += g * r * (1 - in - in2)
			a.Stale += g * r * staleShare * al * keptIntegral((w+cl.eta)*al)
			filled += g * ch.end(after, 1-al)
			// Those not referenced after they expired stay in the LRU,
			// dead, until a reference or the LRU drops them.
			expired += g * kept * math.Exp(-ch.mu*(1-al))
		}
	}
	// Dead entries held at the tick's start go when their key is
	// referenced (it is filled anew) or the LRU evicts them.
	if commit {
		cl.dead = cl.dead*math.Exp(-(ch.mu+cl.deadEta)) + expired
	}
	rest := max(1-cached, 0)
	in := ch.integral(0, 1)
	a.Hits += rest * r * in
	a.Misses += rest * r * (1 - in)
	filled += rest * ch.end(0, 1)
	a.Hits *= cl.keys
	a.Stale *= cl.keys
	a.Misses *= cl.keys
	return a, filled
}

// keptIntegral is the mean over a tick of exp(-x·t): the share of the
// tick an entry stays the one cached when it is replaced at rate x.
func keptIntegral(x float64) float64 {
	if x < 1e-9 {
		return 1
	}
	return -math.Expm1(-x) / x
}

// chain is a key's presence in the cache over a tick: filled at rate mu
// (its references a tick) when absent, evicted at rate eta when present.
// From presence p0 its presence at t is p + (p0 - p)·exp(-(mu+eta)·t),
// p = mu/(mu+eta) its balance: Che's 1 - exp(-mu·T) when eta is the
// hazard for T.
type chain struct{ mu, eta float64 }

// integral is the mean presence over [0, d) from p0, times d: the share
// of the tick's reads in it that hit.
func (ch chain) integral(p0, d float64) float64 {
	k := ch.mu + ch.eta
	if k*d < 1e-12 {
		return p0 * d
	}
	p := ch.mu / k
	return p*d + (p0-p)*-math.Expm1(-k*d)/k
}

// end is the presence after d from p0.
func (ch chain) end(p0, d float64) float64 {
	k := ch.mu + ch.eta
	if k == 0 {
		return p0
	}
	p := ch.mu / k
	return p + (p0-p)*math.Exp(-k*d)
}

// characteristic sets each class's eviction hazard for the tick of
// traffic: none while the cache has room, else that of the LRU's
// characteristic time T under the tick's references (Che: the keys'
// expected presence 1 - exp(-μT) fills the budget), none when the time
// to live is shorter than T (the entries expire before the LRU would
// evict them).
func (c *Counted) characteristic(traffic []Traffic) {
	c.insEta = 0
	for i := range c.classes {
		c.classes[i].eta, c.classes[i].deadEta = 0, 0
	}
	if c.maxEntries <= 0 && c.maxBytes <= 0 {
		return
	}
	over := func(entries, bytes float64, slack float64) bool {
		return c.maxEntries > 0 && entries > slack*c.maxEntries || c.maxBytes > 0 && bytes > slack*c.maxBytes
	}
	if !over(c.Entries(), c.Bytes(), 0.999) {
		return // the cache is not full: the LRU evicts nothing yet
	}
	mu := func(i int) float64 {
		cl := &c.classes[i]
		if cl.keys <= 0 {
			return 0
		}
		return (traffic[i].Reads + traffic[i].Fills) / cl.keys
	}
	present := func(T float64) (float64, float64) {
		var e, by float64
		for i := range c.classes {
			cl := &c.classes[i]
			p := cl.keys * -math.Expm1(-mu(i)*T)
			e += p
			by += p * (cl.bytes + entryOverhead)
		}
		return e, by
	}
	if e, by := present(c.tau); !over(e, by, 1) {
		return // the time to live binds first
	}
	lo, hi := math.Log(1e-9), math.Log(c.tau)
	for range 80 {
		mid := (lo + hi) / 2
		if e, by := present(math.Exp(mid)); over(e, by, 1) {
			hi = mid
		} else {
			lo = mid
		}
	}
	T := math.Exp(lo)
	for i := range c.classes {
		c.classes[i].eta, c.classes[i].deadEta = hazard(mu(i), T), hazard(0, T)
	}
	c.insEta = hazard(0, T)
}

// hazard is the eviction hazard over a tick of an entry referenced mu
// times a tick, in an LRU of characteristic time T ticks: the rate at
// which a present entry goes, mu·exp(-mu·T)/(1 - exp(-mu·T)), 1/T when
// mu is 0. Under it a key is present mu/(mu+hazard) = 1 - exp(-mu·T) of
// the time, as Che's approximation has it.
func hazard(mu, T float64) float64 {
	x := mu * T
	if x < 1e-9 {
		return 1 / T
	}
	if x > 700 {
		return 0
	}
	return mu / math.Expm1(x)
}

// RankBounds divides ranks [0, count) into classes of like popularity
// for a Counted: each of the first 64 ranks a class of its own, then
// ranges at most 2% longer than their start (over which a Zipf weight
// changes by 2% or less), split also at each of cuts. It returns each
// class's first rank, and count last.
func RankBounds(count int64, cuts ...int64) []int64 {
	b := []int64{}
	for r := int64(0); r < count; {
		b = append(b, r)
		if r < 64 {
			r++
			continue
		}
		r += max(1, r/50)
	}
	for _, c := range cuts {
		if c > 0 && c < count {
			b = append(b, c)
		}
	}
	b = append(b, count)
	slices.Sort(b)
	return slices.Compact(b)
}
