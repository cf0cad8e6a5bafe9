package capacity

import (
	"math/bits"

	"github.com/ddbsim/ddbsim/model/units"
	"github.com/ddbsim/ddbsim/sim"
)

// TokenBucket meters capacity. It refills lazily, on access, from the
// virtual time elapsed since it was last touched, so an idle bucket costs
// nothing and no periodic event is needed (DESIGN: lazy over periodic).
//
// All arithmetic is in integer Units and nanoseconds, with the sub-unit
// remainder of each refill carried forward, so a bucket credits exactly
// rate x elapsed over any split of time into accesses and results never
// depend on floating-point rounding.
type TokenBucket struct {
	rate     units.Units // refill per second
	capacity units.Units // the most it holds
	tokens   units.Units // may be negative: debt from a request larger than the bucket
	last     sim.Time
	carry    int64 // Units·ns credited below one thousandth of a unit
}

// NewTokenBucket returns a full bucket.
func NewTokenBucket(rate, capacity units.Units) TokenBucket {
	return TokenBucket{rate: rate, capacity: capacity, tokens: capacity}
}

// NewFreshBucket returns the bucket of a limit that starts at now and has
// accrued no unused capacity yet: a new table, a table switched to
// on-demand, a partition's ceiling, a new DAX cluster (REFERENCE: burst,
// "up to 300 seconds of unused capacity", which a limit that did not
// exist has not left unused). It holds its first second of rate, credited
// in advance, and refills only from now+1s, so its first second admits
// its rate and no more. A bucket that started full and refilled at once
// admitted its balance plus a second's refill in that second: a new
// on-demand table took 7,999 WRU against 4,000, a newly isolated hot key
// 1,499 WCU against the partition's 1,000 (TestFreshBucketFirstSecond).
func NewFreshBucket(now sim.Time, rate, capacity units.Units) TokenBucket {
	return TokenBucket{rate: rate, capacity: capacity, tokens: min(rate, capacity), last: now + sim.Second}
}

// NewTokenBucketAt returns a bucket last refilled at now, holding tokens.
func NewTokenBucketAt(now sim.Time, rate, capacity, tokens units.Units) TokenBucket {
	return TokenBucket{rate: rate, capacity: capacity, tokens: tokens, last: now}
}

// Halve splits the bucket in two at now: it keeps half its rate, capacity
// and balance and returns a new bucket with the other half, as a
// partition split divides its share and banked credit (REFERENCE:
// partitions, "throughput dilution").
func (b *TokenBucket) Halve(now sim.Time) TokenBucket {
	rate, capacity := b.Rate()/2, b.Capacity()/2
	tokens := b.Available(now) / 2
	b.Reset(now, rate, capacity)
	b.tokens = tokens
	return NewTokenBucketAt(now, rate, capacity, tokens)
}

// RefillOver is what b refills, uncapped, over the h after from (b was
// last touched at or before from): nothing before a fresh bucket's
// refill starts (NewFreshBucket).
func (b *TokenBucket) RefillOver(from, h sim.Time) units.Units {
	if b.last > from {
		h -= b.last - from
	}
	if h <= 0 {
		return 0
	}
	hi, lo := bits.Mul64(uint64(b.rate), uint64(h))
	q, _ := bits.Div64(hi, lo, uint64(sim.Second))
	return units.Units(q)
}

// Tokens is the balance as of the last access, without refilling: what
// the bucket held when last touched.
func (b *TokenBucket) Tokens() units.Units { return b.tokens }

// Rate is the refill rate per second.
func (b *TokenBucket) Rate() units.Units { return b.rate }

// Capacity is the most the bucket holds.
func (b *TokenBucket) Capacity() units.Units { return b.capacity }

func (b *TokenBucket) refill(now sim.Time) {
	dt := int64(now - b.last)
	if dt <= 0 {
		return
	}
	b.last = now
	if b.tokens >= b.capacity {
		b.carry = 0
		return
	}
	const ns = int64(sim.Second)
	secs, rem := dt/ns, dt%ns
	// rate <= 2^31 Units/s for any table the service allows, and rem < 1e9,
	// so rate*rem and the whole-second product stay far below 2^63.
	frac := int64(b.rate)*rem + b.carry
	add := units.Units(int64(b.rate)*secs + frac/ns)
	b.carry = frac % ns
	b.tokens += add
	if b.tokens >= b.capacity {
		b.tokens = b.capacity
		b.carry = 0
	}
}

// Available returns the balance at now.
func (b *TokenBucket) Available(now sim.Time) units.Units {
	b.refill(now)
	return b.tokens
}

// CanTake reports whether a request costing n may be admitted at now: the
// balance covers it, or the bucket is full. The second case lets a request
// larger than the whole bucket through (a 1 MB Query on a 5 RCU table)
// and leaves the bucket in debt that later refills repay, as the service
// charges reads after it has measured them.
func (b *TokenBucket) CanTake(now sim.Time, n units.Units) bool {
	b.refill(now)
	return b.tokens >= n || b.tokens >= b.capacity
}

// Take removes n from the balance; the caller has checked CanTake.
func (b *TokenBucket) Take(now sim.Time, n units.Units) {
	b.refill(now)
	b.tokens -= n
}

// TakeUpTo removes n, or the whole positive balance if that is less: the
// table's unused capacity can run out but not into debt.
func (b *TokenBucket) TakeUpTo(now sim.Time, n units.Units) {
	b.refill(now)
	b.tokens -= min(n, max(b.tokens, 0))
}

// Drain removes n, but leaves the balance no lower than minus one
// capacity (and never raises a deeper debt). The table's unused-capacity
// bucket is drained so by what the partitions' own shares admit: all of
// it counts against what adaptive capacity may lend, so that capacity a
// share used is not lent again once the bucket refills; the floor keeps a
// partition spending its banked burst, which the table's one-second bucket
// never held, from shutting adaptive capacity out for longer than a
// second after the burst ends.
func (b *TokenBucket) Drain(now sim.Time, n units.Units) {
	b.refill(now)
	b.tokens -= min(n, max(b.tokens+b.capacity, 0))
}

// Reset changes the rate and capacity at now, keeping the balance, capped
// at the new capacity. Unused credit is not lost when capacity grows.
func (b *TokenBucket) Reset(now sim.Time, rate, capacity units.Units) {
	b.refill(now)
	b.rate, b.capacity = rate, capacity
	b.tokens = min(b.tokens, capacity)
}
