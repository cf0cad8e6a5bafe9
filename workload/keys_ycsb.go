package workload

// YCSB's own key generators, ported from its source
// (github.com/brianfrankcooper/YCSB, core/src/main/java/site/ycsb/
// generator/ZipfianGenerator.java, ScrambledZipfianGenerator.java,
// SkewedLatestGenerator.java, and site/ycsb/Utils.java's fnvhash64), so
// that a YCSB workload's keys are drawn as YCSB draws them: Zipf and
// Latest draw the exact law, which YCSB does not. REFERENCE.md has no
// YCSB section: YCSB's source is the reference.

import (
	"math"
	"math/rand/v2"

	"github.com/ddbsim/ddbsim/sim"
)

// ycsbZipfianConstant is YCSB's ZipfianGenerator.ZIPFIAN_CONSTANT.
const ycsbZipfianConstant = 0.99

// ycsbScrambledItems and ycsbScrambledZetan are
// ScrambledZipfianGenerator's ITEM_COUNT and its precomputed ZETAN, the
// zeta(10^10, 0.99) it uses for ITEM_COUNT+1 items (as YCSB does).
const (
	ycsbScrambledItems = 10_000_000_000
	ycsbScrambledZetan = 26.46902820178302
)

// grayZipf is YCSB's ZipfianGenerator: the method of J. Gray et al.,
// "Quickly Generating Billion-Record Synthetic Databases", SIGMOD 1994.
// It is not an exact Zipf law: the first two items have their exact
// probabilities, the rest an approximation of it. The fields are Java's.
type grayZipf struct {
	items        int64
	theta        float64
	alpha        float64
	zetan        float64
	eta          float64
	zeta2theta   float64
	halfPowTheta float64 // Math.pow(0.5, theta), hoisted out of nextLong
	countForZeta int64
}

// newGrayZipf is ZipfianGenerator(0, items-1, theta, zetan).
func newGrayZipf(items int64, theta, zetan float64) grayZipf {
	z := grayZipf{items: items, theta: theta, zetan: zetan, countForZeta: items}
	z.zeta2theta = ycsbZeta(0, 2, theta, 0)
	z.alpha = 1 / (1 - theta)
	z.halfPowTheta = math.Pow(0.5, theta)
	z.eta = z.etaFor()
	return z
}

// etaFor is Java's eta; it uses the constructor's items even after the
// item count has grown, as YCSB does.
func (z *grayZipf) etaFor() float64 {
	return (1 - math.Pow(2/float64(z.items), 1-z.theta)) / (1 - z.zeta2theta/z.zetan)
}

// ycsbZeta is ZipfianGenerator.zetastatic(st, n, theta, initialsum).
func ycsbZeta(st, n int64, theta, initial float64) float64 {
	sum := initial
	for i := st; i < n; i++ {
		sum += 1 / math.Pow(float64(i+1), theta)
	}
	return sum
}

// nextLong is ZipfianGenerator.nextLong(itemcount) with base 0. A grown
// item count extends zeta incrementally; YCSB never shrinks it (its
// allowitemcountdecrease is false).
func (z *grayZipf) nextLong(r *rand.Rand, itemcount int64) int64 {
	if itemcount > z.countForZeta {
		z.zetan = ycsbZeta(z.countForZeta, itemcount, z.theta, z.zetan)
		z.countForZeta = itemcount
		z.eta = z.etaFor()
	}
	u := r.Float64()
	uz := u * z.zetan
	if uz < 1 {
		return 0
	}
	if uz < 1+z.halfPowTheta {
		return 1
	}
	return int64(float64(itemcount) * math.Pow(z.eta*u-z.eta+1, z.alpha))
}

// fnvHash64 is YCSB's Utils.fnvhash64: FNV-1 over the value's eight
// bytes, low byte first, then the absolute value as a Java long.
func fnvHash64(v int64) int64 {
	const offsetBasis, prime = 0xCBF29CE484222325, 1099511628211
	h := uint64(offsetBasis)
	for range 8 {
		h ^= uint64(v & 0xff)
		h *= prime
		v >>= 8
	}
	if s := int64(h); s < 0 {
		return -s // MinInt64 stays negative, as Math.abs leaves it
	}
	return int64(h)
}

// ScrambledZipfian is YCSB's `requestdistribution=zipfian`
// (ScrambledZipfianGenerator as CoreWorkload builds it): a Zipf law of
// constant 0.99 over 10^10 items, drawn by Gray's method, each item
// FNV-hashed onto one of Items records. The hottest record takes about
// 1/26.47 of the operations whatever the record count (an exact Zipf
// over 1,000 records gives its first 12.9%). Like CoreWorkload's
// nextKeynum, a draw past the keyspace's last key is drawn again.
type ScrambledZipfian struct {
	zipf    grayZipf
	items   int64     // records the hash spreads over (YCSB's itemcount)
	records int64     // the initial records
	ks      *Keyspace // the keys that exist; nil: [0, items)
}

// NewScrambledZipfian returns YCSB's zipfian over records keys, of which
// ks (nil when the workload inserts none) holds those that exist;
// expectedNew is CoreWorkload's expectednewkeys (operationcount x
// insertproportion x 2), by which YCSB widens the hashed range so that
// inserted keys are drawn too.
func NewScrambledZipfian(records, expectedNew int64, ks *Keyspace) *ScrambledZipfian {
	// ScrambledZipfianGenerator(0, records+expectedNew): min 0, max
	// records+expectedNew, itemcount max-min+1; its ZipfianGenerator(0,
	// ITEM_COUNT) has ITEM_COUNT+1 items.
	return &ScrambledZipfian{
		zipf:    newGrayZipf(ycsbScrambledItems+1, ycsbZipfianConstant, ycsbScrambledZetan),
		items:   records + max(expectedNew, 0) + 1,
		records: records,
		ks:      ks,
	}
}

// Next returns a key index.
func (s *ScrambledZipfian) Next(r *rand.Rand, _ sim.Time) int64 {
	last := s.records - 1
	if s.ks != nil {
		last = s.ks.Size() - 1
	}
	for {
		k := s.draw(r)
		if k <= last {
			return k
		}
	}
}

// draw is ScrambledZipfianGenerator.nextValue.
func (s *ScrambledZipfian) draw(r *rand.Rand) int64 {
	k := fnvHash64(s.zipf.nextLong(r, s.zipf.items)) % s.items
	if k < 0 { // Math.abs(Long.MIN_VALUE): never drawn, but never an index
		k += s.items
	}
	return k
}

// Items is the number of records the hash spreads the draws over: the
// initial records, the expected inserts and one more, as YCSB has it.
func (s *ScrambledZipfian) Items() int64 { return s.items }

// ExpectedNew is the inserts by which the hashed range was widened.
func (s *ScrambledZipfian) ExpectedNew() int64 { return s.items - 1 - s.records }

// Keyspace is the keys that exist, nil when the workload inserts none.
func (s *ScrambledZipfian) Keyspace() *Keyspace { return s.ks }

// HottestItems lists the records the first n items of the underlying
// Zipf law land on and the probability of each item, in the law's order:
// the aggregate driver's view of the distribution (the remaining
// 10^10 - n items spread about evenly over the records).
func (s *ScrambledZipfian) HottestItems(n int64, visit func(record int64, p float64)) {
	for i := range n {
		p := math.Pow(float64(i+1), -ycsbZipfianConstant) / ycsbScrambledZetan
		k := fnvHash64(i) % s.items
		if k < 0 {
			k += s.items
		}
		visit(k, p)
	}
}

// SkewedLatest is YCSB's `requestdistribution=latest`
// (SkewedLatestGenerator over CoreWorkload's insert key sequence): a
// Gray Zipf of constant 0.99 over recency, the newest key the likeliest.
// As in YCSB the law's zeta grows with the keyspace, and key 0 is never
// drawn (the newest is max - 0, the oldest max - (max-1)).
type SkewedLatest struct {
	ks   *Keyspace
	zipf grayZipf
}

// NewSkewedLatest returns YCSB's latest over ks, which must not be empty.
func NewSkewedLatest(ks *Keyspace) *SkewedLatest {
	if ks.Size() < 1 {
		panic("workload: SkewedLatest over an empty keyspace")
	}
	// new ZipfianGenerator(basis.lastValue()): lastValue is Size()-1.
	n := ks.Size() - 1
	return &SkewedLatest{ks: ks, zipf: newGrayZipf(n, ycsbZipfianConstant, ycsbZeta(0, n, ycsbZipfianConstant, 0))}
}

// Next returns a key index; the most recently inserted is the likeliest.
func (l *SkewedLatest) Next(r *rand.Rand, _ sim.Time) int64 {
	last := l.ks.Size() - 1
	return last - l.zipf.nextLong(r, last)
}

// Keyspace is the keyspace whose newest keys l favours.
func (l *SkewedLatest) Keyspace() *Keyspace { return l.ks }

// Exponent is the Zipf constant of l's law over recency.
func (l *SkewedLatest) Exponent() float64 { return ycsbZipfianConstant }
