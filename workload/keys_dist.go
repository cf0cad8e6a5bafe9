package workload

// Key choosers besides Uniform and Zipf: YCSB's hotspot and latest, a
// sequential walk, a single hot key (Hotspot with one hot key), popularity
// that rotates over time (Rotating), and write sharding (appendShard).

import (
	"math"
	"math/bits"
	"math/rand/v2"
	"strconv"

	"github.com/ddbsim/ddbsim/sim"
)

// Hotspot is YCSB's hotspot distribution (hotspotdatafraction,
// hotspotopnfraction): a hot set, the first Hot of Count keys, takes
// HotOps of the operations, drawn uniformly within it; the others go
// uniformly to the remaining Count-Hot keys. With Hot = 1 it is a single
// hot key, alone (HotOps = 1) or on top of background traffic. When the
// hot set is the whole keyspace every operation is uniform over it,
// whatever HotOps says. Index i is rank i: Rotating moves the hot set.
type Hotspot struct {
	Count, Hot int64
	HotOps     float64 // fraction of operations to the hot set, in (0, 1]
}

// NewHotspot returns a hotspot over count keys whose first hotKeys of
// them (a fraction, rounded to the nearest key, at least one) take hotOps
// of the operations. YCSB rounds the hot set down; the two differ only
// when count x hotKeys ends in exactly one half.
func NewHotspot(count int64, hotKeys, hotOps float64) Hotspot {
	hot := int64(math.Round(float64(count) * hotKeys))
	return Hotspot{Count: count, Hot: min(max(hot, 1), count), HotOps: hotOps}
}

// Next returns a key index. A single hot key that takes every operation
// draws nothing from r.
func (h Hotspot) Next(r *rand.Rand, _ sim.Time) int64 {
	cold := h.Count - h.Hot
	if cold <= 0 || h.HotOps >= 1 || r.Float64() < h.HotOps {
		if h.Hot == 1 {
			return 0
		}
		return r.Int64N(h.Hot)
	}
	return h.Hot + r.Int64N(cold)
}

// Latest is YCSB's "latest" distribution (its SkewedLatestGenerator): the
// most recently inserted keys are the hottest. It draws a recency rank
// from a Zipf law over the keyspace's current size and returns key
// Size()-1-rank, so the newest key is rank 0. It reads the keyspace at
// every call: a key inserted during the run is at once the hottest, and
// the law stretches over the grown keyspace (exactly, since Zipf's
// sampler only needs H(n + 0.5) recomputed). YCSB uses exponent 0.99.
type Latest struct {
	ks *Keyspace
	z  Zipf
}

// NewLatest returns a Latest chooser over ks, which must not be empty,
// with Zipf exponent s > 0.
func NewLatest(ks *Keyspace, s float64) *Latest {
	if ks.Size() < 1 {
		panic("workload: Latest over an empty keyspace")
	}
	return &Latest{ks: ks, z: *newZipfSampler(ks.Size(), s)}
}

// Next returns a key index; the most recently inserted is the likeliest.
func (l *Latest) Next(r *rand.Rand, now sim.Time) int64 {
	n := l.ks.Size()
	if float64(n) != l.z.n {
		l.z.resize(n)
	}
	return n - 1 - l.z.Next(r, now)
}

// Sequential walks the keys in order, 0, 1, ..., Count-1, then 0 again,
// as YCSB's sequential distribution and a time-series writer or a
// scan-like reader do. It draws nothing from r: a workload's keys are the
// same whatever the seed (its mix and sizes still vary).
type Sequential struct {
	count, next int64
}

// NewSequential returns a walk over count >= 1 keys starting at key 0.
func NewSequential(count int64) *Sequential { return &Sequential{count: count} }

// Next returns the next key index in order.
func (s *Sequential) Next(_ *rand.Rand, _ sim.Time) int64 {
	k := s.next
	s.next++
	if s.next >= s.count {
		s.next = 0
	}
	return k
}

// goldenFraction is (√5-1)/2, the fractional part of the golden ratio.
const goldenFraction = 0.6180339887498949

// Rotating makes key popularity shift over time: every Period, the
// mapping from the rank its inner chooser draws to the key index moves.
// During epoch e = ⌊now / Period⌋ rank r is key (r + e·stride) mod Count,
// a bijection of [0, Count) (a rotation), and the identity in epoch 0,
// so the run starts with the inner chooser's own keys.
//
// The stride is the integer nearest Count·(√5-1)/2 that is coprime to
// Count. Then the hot ranks land, each period, about 62% of the keyspace
// away from where they were: a hot set smaller than 38% of the keys never
// overlaps the previous epoch's, so yesterday's hot keys go cold rather
// than passing the heat to their neighbours; and the successive starting
// points, e·stride mod Count, spread evenly over the keyspace (the
// golden-ratio sequence: no two are close until many epochs have
// passed) and visit every key once in Count epochs before repeating.
// Indexes name keys that the service hashes to partitions, so a rotated
// hot set lands on unrelated partitions.
//
// It applies to choosers whose index is a popularity rank: Zipf,
// Hotspot. Latest already moves with inserts, and Uniform and Sequential
// have no popular keys to move.
type Rotating struct {
	ranks  KeyChooser
	count  uint64
	period sim.Time
	stride uint64
}

// NewRotating wraps ranks, a chooser over count >= 1 keys, so that its
// popularity rotates every period > 0.
func NewRotating(ranks KeyChooser, count int64, period sim.Time) *Rotating {
	if count < 1 || period <= 0 {
		panic("workload: Rotating needs count >= 1 and period > 0")
	}
	return &Rotating{ranks: ranks, count: uint64(count), period: period, stride: rotationStride(uint64(count))}
}

// rotationStride returns the integer nearest n·(√5-1)/2 that is coprime
// to n (searching outward, nearest first), within [1, n); 0 when n = 1.
func rotationStride(n uint64) uint64 {
	if n == 1 {
		return 0
	}
	g := min(max(uint64(math.Round(float64(n)*goldenFraction)), 1), n-1)
	for d := uint64(0); ; d++ {
		if c := g + d; c < n && gcd(c, n) == 1 {
			return c
		}
		if d < g {
			if c := g - d; c >= 1 && gcd(c, n) == 1 {
				return c
			}
		}
	}
}

func gcd(a, b uint64) uint64 {
	for b != 0 {
		a, b = b, a%b
	}
	return a
}

// Offset is how far ranks have moved at now: rank r is key (r + Offset)
// mod Count.
func (ro *Rotating) Offset(now sim.Time) int64 {
	if now < ro.period {
		return 0
	}
	e := uint64(now/ro.period) % ro.count
	// e and stride are below count, so the product's high word is too.
	hi, lo := bits.Mul64(e, ro.stride)
	return int64(bits.Rem64(hi, lo, ro.count))
}

// Next returns the key index of the inner chooser's rank at now.
func (ro *Rotating) Next(r *rand.Rand, now sim.Time) int64 {
	k := uint64(ro.ranks.Next(r, now)) + uint64(ro.Offset(now))
	if k >= ro.count {
		k -= ro.count
	}
	return int64(k)
}

// MaxShards bounds write sharding: past a thousand suffixes a key's
// shards are more partitions than any table of the scenarios needs.
const MaxShards = 1000

// appendShard appends a write-sharding suffix to the partition key in
// dst: with shards > 1, "#" and a shard number drawn uniformly from
// [0, shards), so "k42" becomes one of "k42#0" ... "k42#9" for 10 shards.
// Each suffix is its own partition key, hashed to its own place, which is
// how sharding spreads a hot key's traffic over partitions. Reads are
// suffixed the same way: a read touches one random shard, as an
// application reading a sharded counter roughly does (not all of them,
// which would cost shards reads). With shards <= 1 it appends and draws
// nothing. It does not allocate when dst has room.
func appendShard(dst []byte, r *rand.Rand, shards int) []byte {
	if shards <= 1 {
		return dst
	}
	return strconv.AppendInt(append(dst, '#'), r.Int64N(int64(shards)), 10)
}

// Keys is the number of keys the walk visits.
func (s *Sequential) Keys() int64 { return s.count }

// Period is how long each rotation of the ranks over the keys lasts.
func (r *Rotating) Period() sim.Time { return r.period }

// Ranks is the distribution of ranks that is rotated over the keys.
func (r *Rotating) Ranks() KeyChooser { return r.ranks }

// Keyspace is the keyspace whose newest keys l favours.
func (l *Latest) Keyspace() *Keyspace { return l.ks }

// Exponent is the Zipf exponent of l's law over recency.
func (l *Latest) Exponent() float64 { return l.z.s }
