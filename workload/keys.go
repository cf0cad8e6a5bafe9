package workload

import (
	"math"
	"math/rand/v2"

	"github.com/ddbsim/ddbsim/sim"
)

// KeyChooser picks the index of the key a request touches at now. Indexes
// name synthetic keys (store.AppendSyntheticKey); choosers whose keys
// move (popularity that rotates, recent inserts that are hot) use now or
// a Keyspace.
type KeyChooser interface {
	Next(r *rand.Rand, now sim.Time) int64
}

// Keyspace is a workload's set of keys: indexes [0, Size()), the initial
// keys and then those the workload has inserted.
type Keyspace struct {
	initial, inserted int64
}

// NewKeyspace returns a keyspace of n existing keys.
func NewKeyspace(n int64) *Keyspace { return &Keyspace{initial: n} }

// Size is the number of keys.
func (k *Keyspace) Size() int64 { return k.initial + k.inserted }

// Insert adds a key and returns its index.
func (k *Keyspace) Insert() int64 {
	k.inserted++
	return k.initial + k.inserted - 1
}

// InsertN adds n keys, as n calls of Insert would: the aggregate driver
// inserts a tick's keys at once.
func (k *Keyspace) InsertN(n int64) {
	if n > 0 {
		k.inserted += n
	}
}

// Uniform picks every key with equal probability.
type Uniform struct{ Count int64 }

// Next returns a key index.
func (u Uniform) Next(r *rand.Rand, _ sim.Time) int64 { return r.Int64N(u.Count) }

// Zipf picks key k (0-based) with probability proportional to 1/(k+1)^s,
// for any exponent s > 0, including the s = 0.99 that YCSB uses, which
// math/rand/v2's Zipf (s > 1 only) cannot draw.
//
// Over at most aliasMaxKeys keys it draws from an alias table of the
// exact probabilities (8 bytes a key, one random number and one memory
// access a draw). Over more, the table holds the aliasHeadKeys most
// popular keys and one slot for the rest, the tail, which it draws with
// its weight and then by rejection-inversion over the tail's keys alone:
// 512 KiB whatever the keyspace, where a table of every key grew with it
// (4M keys took 133 MB to build). Latest, whose keyspace grows, draws by
// rejection-inversion throughout. Rejection-inversion is the method of
// W. Hörmann and G. Derflinger, "Rejection-inversion to generate variates
// from monotone discrete distributions", ACM TOMACS 6(3), 1996: exact, O(1) memory and time, with
// an expected number of iterations close to one for every s, but an
// exponential and a logarithm or two a draw, about four times the cost.
type Zipf struct {
	n        float64
	s        float64
	hX1      float64 // H(1.5) - 1
	hN       float64 // H(n + 0.5)
	shortcut float64 // 2 - H⁻¹(H(2.5) - h(2))
	alias    *aliasTable
	// head is how many keys the alias table draws itself when it has a
	// tail slot (index head), 0 when it draws every key; tailLo is the
	// lower end of the tail's rejection-inversion, H(m+0.5) - h(m) for
	// its first key m (from 1).
	head   int64
	tailLo float64
}

// aliasMaxKeys is the largest keyspace Zipf tabulates whole: 1M keys
// (2^20), an 8 MiB table built in a few milliseconds.
const aliasMaxKeys = 1 << 20

// aliasHeadKeys is how many of a larger keyspace's keys the alias table
// holds: 65,536, which carry 81% of the draws over 1M keys at exponent
// 0.99 and 98% at 1.3, so most draws stay one memory access.
const aliasHeadKeys = 1 << 16

// NewZipf returns a Zipf chooser over count keys with exponent s > 0.
func NewZipf(count int64, s float64) *Zipf {
	z := newZipfSampler(count, s)
	if count <= aliasMaxKeys {
		w := make([]float64, count)
		for k := range w {
			w[k] = math.Pow(float64(k+1), -s)
		}
		z.alias = newAliasTable(w)
		return z
	}
	w := make([]float64, aliasHeadKeys+1)
	for k := range aliasHeadKeys {
		w[k] = math.Pow(float64(k+1), -s)
	}
	// The tail's weight, keys m..n (from 1), by the midpoint rule: the
	// integral of x^-s over [m-0.5, n+0.5], which exceeds the sum by
	// about s/24·m^(-s-1), under 1e-10 at this m.
	m := float64(aliasHeadKeys + 1)
	w[aliasHeadKeys] = z.hN - z.hIntegral(m-0.5)
	z.alias = newAliasTable(w)
	z.head = aliasHeadKeys
	z.tailLo = z.hIntegral(m+0.5) - z.h(m)
	return z
}

// newZipfSampler returns a Zipf chooser that draws by rejection-inversion.
func newZipfSampler(count int64, s float64) *Zipf {
	z := &Zipf{s: s}
	z.hX1 = z.hIntegral(1.5) - 1
	z.shortcut = 2 - z.hIntegralInverse(z.hIntegral(2.5)-z.h(2))
	z.resize(count)
	return z
}

// resize makes z draw over count keys. Only H(n + 0.5) depends on the
// count, so this is a logarithm and an exponential: Latest calls it
// whenever its keyspace has grown. An alias table, built for one count,
// is dropped.
func (z *Zipf) resize(count int64) {
	z.n = float64(count)
	z.hN = z.hIntegral(z.n + 0.5)
	z.alias, z.head = nil, 0
}

// Next returns a key index; index 0 is the most popular.
func (z *Zipf) Next(r *rand.Rand, _ sim.Time) int64 {
	if z.alias != nil {
		if k := z.alias.next(r); z.head == 0 || k < z.head {
			return k
		}
		return z.tail(r)
	}
	for {
		u := z.hN + r.Float64()*(z.hX1-z.hN)
		x := z.hIntegralInverse(u)
		k := math.Floor(x + 0.5)
		k = min(max(k, 1), z.n)
		if k-x <= z.shortcut || u >= z.hIntegral(k+0.5)-z.h(k) {
			return int64(k) - 1
		}
	}
}

// tail draws a key of the tail, keys head+1..n (from 1), by
// rejection-inversion over them alone: u falls in [H(m+0.5) - h(m),
// H(n+0.5)], m = head+1, and key k is accepted for the part of its
// interval h(k) long, so each is drawn in proportion to k^-s. (H(m+0.5) -
// h(m) >= H(m-0.5), as x^-s is convex, so no u rounds below m.)
func (z *Zipf) tail(r *rand.Rand) int64 {
	m := float64(z.head + 1)
	for {
		u := z.hN + r.Float64()*(z.tailLo-z.hN)
		x := z.hIntegralInverse(u)
		k := min(max(math.Floor(x+0.5), m), z.n)
		if u >= z.hIntegral(k+0.5)-z.h(k) {
			return int64(k) - 1
		}
	}
}

// h is the unnormalised density x^-s.
func (z *Zipf) h(x float64) float64 { return math.Exp(-z.s * math.Log(x)) }

// hIntegral is H(x) = (x^(1-s) - 1)/(1-s), or log x when s = 1, written so
// it stays accurate near s = 1.
func (z *Zipf) hIntegral(x float64) float64 {
	lx := math.Log(x)
	return expm1OverX((1-z.s)*lx) * lx
}

func (z *Zipf) hIntegralInverse(x float64) float64 {
	t := max(x*(1-z.s), -1)
	return math.Exp(log1pOverX(t) * x)
}

// expm1OverX is (e^x - 1)/x, continuous at 0.
func expm1OverX(x float64) float64 {
	if math.Abs(x) > 1e-8 {
		return math.Expm1(x) / x
	}
	return 1 + x*0.5*(1+x/3*(1+0.25*x))
}

// log1pOverX is log(1+x)/x, continuous at 0.
func log1pOverX(x float64) float64 {
	if math.Abs(x) > 1e-8 {
		return math.Log1p(x) / x
	}
	return 1 - x*(0.5-x*(1.0/3-0.25*x))
}

// Keys is the number of keys the distribution draws from.
func (z *Zipf) Keys() int64 { return int64(z.n) }

// Exponent is the distribution's exponent s: key k (from 0) is drawn
// with weight (k+1)^-s.
func (z *Zipf) Exponent() float64 { return z.s }

// Integral is the integral of x^-s up to x (from a fixed origin): the
// weight of the ranks in [a, b) is about Integral(b+0.5) - Integral(a+0.5).
func (z *Zipf) Integral(x float64) float64 { return z.hIntegral(x) }
