package capacity

import (
	"math"
	"math/big"
	"math/rand/v2"
	"testing"

	"github.com/ddbsim/ddbsim/model/units"
	"github.com/ddbsim/ddbsim/sim"
)

// propSeeds is the fixed list of seeds a property runs: n of them, a
// third as many with -short.
func propSeeds(n int) []uint64 {
	if testing.Short() {
		n = max(1, n/3)
	}
	seeds := make([]uint64, n)
	for i := range seeds {
		seeds[i] = uint64(i + 1)
	}
	return seeds
}

// propLogUniform draws an integer in [lo, hi], uniform in its logarithm.
func propLogUniform(r *rand.Rand, lo, hi int64) int64 {
	v := int64(math.Round(math.Exp(math.Log(float64(lo)) + r.Float64()*(math.Log(float64(hi))-math.Log(float64(lo))))))
	return min(max(v, lo), hi)
}

// Property (REFERENCE: burst, DESIGN: lazy over periodic): a token bucket
// under any sequence of accesses (Available, CanTake then Take, TakeUpTo,
// Reset to another rate and capacity) at non-decreasing times
//
//   - never holds more than its capacity;
//   - goes below zero only as the debt of one request it let through
//     when full (CanTake), never deeper than the largest request taken;
//     TakeUpTo never takes it below zero, nor deeper when in debt;
//   - is not changed by being looked at: a twin bucket given the same
//     takes and resets at the same times, but none of the extra
//     Available calls, holds the same balance after every access;
//   - credits exactly rate x elapsed, to the thousandth of a unit, over
//     any split of time into accesses, until it is full.
func TestPropertyTokenBucket(t *testing.T) {
	for _, seed := range propSeeds(50) {
		r := rand.New(rand.NewPCG(seed, 0x6275636b6574))
		rate := units.Units(propLogUniform(r, 1, 4e6))
		capacity := rate * units.Units(propLogUniform(r, 1, 300))
		b := NewTokenBucket(rate, capacity)
		twin := b
		now := sim.Time(0)
		var largest units.Units
		for step := range 2000 {
			now += sim.Time(r.Int64N(int64(3 * sim.Second)))
			if r.IntN(4) == 0 {
				now += sim.Time(r.IntN(1000)) // odd nanoseconds
			}
			before := b.tokens
			switch r.IntN(5) {
			case 0:
				b.Available(now) // observed only: the twin is not
			case 1, 2:
				n := units.Units(propLogUniform(r, 1, int64(2*capacity)+1))
				if b.CanTake(now, n) != twin.CanTake(now, n) {
					t.Fatalf("seed %d step %d: the bucket and its twin disagree whether %v fits", seed, step, n)
				}
				if twin.CanTake(now, n) {
					b.Take(now, n)
					twin.Take(now, n)
					largest = max(largest, n)
				}
			case 3:
				n := units.Units(propLogUniform(r, 1, int64(2*capacity)+1))
				refilled := b.Available(now)
				b.TakeUpTo(now, n)
				twin.TakeUpTo(now, n)
				if b.tokens < min(refilled, 0) {
					t.Fatalf("seed %d step %d: TakeUpTo(%v) took %v below zero (from %v)", seed, step, n, b.tokens, before)
				}
			default:
				rate = units.Units(propLogUniform(r, 1, 4e6))
				capacity = rate * units.Units(propLogUniform(r, 1, 300))
				b.Reset(now, rate, capacity)
				twin.Reset(now, rate, capacity)
			}
			switch {
			case b.tokens > b.capacity:
				t.Fatalf("seed %d step %d: %v held, above the capacity %v", seed, step, b.tokens, b.capacity)
			case b.tokens < -largest:
				t.Fatalf("seed %d step %d: %v held, deeper in debt than the largest request %v", seed, step, b.tokens, largest)
			case b.tokens != twin.Available(now):
				t.Fatalf("seed %d step %d: %v held, %v by its twin that was looked at less", seed, step, b.tokens, twin.tokens)
			}
		}

		// Exact credit: an empty bucket too large to fill, looked at at
		// random times, holds floor(rate x elapsed) at each of them.
		rate = units.Units(propLogUniform(r, 1, 4e6))
		e := NewTokenBucket(rate, math.MaxInt64/4)
		e.Take(0, e.capacity)
		for now = 0; now < sim.Hour; now += sim.Time(r.Int64N(int64(7 * sim.Second))) {
			want := units.Units(new(big.Int).Div(new(big.Int).Mul(big.NewInt(int64(rate)), big.NewInt(int64(now))), big.NewInt(int64(sim.Second))).Int64())
			if got := e.Available(now); got != want {
				t.Fatalf("seed %d: %v after %v at %v/s, want %v", seed, got, now, rate, want)
			}
		}
	}
}
