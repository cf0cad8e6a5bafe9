package workload

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/ddbsim/ddbsim/sim"
)

// TestPolicies pins the built-in policies to REFERENCE.md "retries":
// aws-sdk-go-v2 standard is 3 attempts, delay uniform[0,1) x 2^n s capped
// at 20 s, with the retry budget; the legacy SDKs make 10 retries with a
// 50 ms base; NoRetry gives up on the first throttle.
func TestPolicies(t *testing.T) {
	cases := []struct {
		name string
		got  RetryPolicy
		want RetryPolicy
	}{
		{"SDKv2", SDKv2(), RetryPolicy{MaxAttempts: 3, Base: sim.Second, MaxBackoff: 20 * sim.Second, Budget: true}},
		{"Legacy", Legacy(), RetryPolicy{MaxAttempts: 11, Base: 50 * sim.Millisecond, MaxBackoff: 20 * sim.Second, Budget: false}},
		{"NoRetry", NoRetry(), RetryPolicy{MaxAttempts: 1}},
	}
	for _, c := range cases {
		if c.got != c.want {
			t.Errorf("%s() = %+v, want %+v", c.name, c.got, c.want)
		}
	}
	if RetryBudgetTokens != 500 || RetryCost != 5 || RetrySuccessBonus != 1 {
		t.Errorf("budget %d tokens, %d per retry, %d per success; REFERENCE says 500, 5, 1",
			RetryBudgetTokens, RetryCost, RetrySuccessBonus)
	}
}

// constSource is a rand.Source that always returns the same word: with
// all ones, Float64 returns its largest value 1-2^-53; with zero, 0. It
// shows Backoff's ceiling and floor exactly.
type constSource uint64

func (c constSource) Uint64() uint64 { return uint64(c) }

// wantCeiling is min(Base x 2^n, MaxBackoff), computed without overflow.
func wantCeiling(p RetryPolicy, n int) sim.Time {
	if float64(p.Base)*math.Ldexp(1, n) < float64(p.MaxBackoff) {
		return p.Base << uint(n)
	}
	return p.MaxBackoff
}

// TestBackoffBounds pins Backoff(n) to [0, min(Base x 2^n, MaxBackoff)) for
// n = 1..70, past the point where Base x 2^n overflows an int64: random
// draws stay inside, the smallest draw gives 0, and the largest lands
// just below the ceiling (so the ceiling is the documented one, not a
// smaller one).
func TestBackoffBounds(t *testing.T) {
	policies := map[string]RetryPolicy{
		"SDKv2":            SDKv2(),
		"Legacy":           Legacy(),
		"1ms base, 1h cap": {MaxAttempts: 100, Base: sim.Millisecond, MaxBackoff: sim.Hour},
	}
	r := rand.New(rand.NewPCG(6, 6))
	top := rand.New(constSource(math.MaxUint64))
	bottom := rand.New(constSource(0))
	for name, p := range policies {
		for n := 1; n <= 70; n++ {
			ceiling := wantCeiling(p, n)
			for range 200 {
				if d := p.Backoff(n, r); d < 0 || d >= ceiling {
					t.Fatalf("%s: Backoff(%d) = %v, want in [0, %v)", name, n, d, ceiling)
				}
			}
			if d := p.Backoff(n, bottom); d != 0 {
				t.Errorf("%s: Backoff(%d) with a zero draw = %v, want 0", name, n, d)
			}
			// (1-2^-53) x ceiling truncates to ceiling - 1 ns below 2^53 ns.
			if d := p.Backoff(n, top); d != ceiling-1 {
				t.Errorf("%s: Backoff(%d) with the largest draw = %v, want %v", name, n, d, ceiling-1)
			}
		}
	}
}

// TestBackoffCeilingEdgeCases pins the same formula, uniform[0,1) x Base x
// 2^n capped at MaxBackoff, where the implementation's overflow guard
// (d > 0) is not enough: a zero Base, and a cap so large that Base x 2^n
// overflows to a positive number below it.
func TestBackoffCeilingEdgeCases(t *testing.T) {
	top := rand.New(constSource(math.MaxUint64))
	cases := []struct {
		name string
		p    RetryPolicy
		n    int
	}{
		{"zero base", RetryPolicy{MaxAttempts: 3, Base: 0, MaxBackoff: 20 * sim.Second}, 1},
		{"wrap at n=37", RetryPolicy{MaxAttempts: 100, Base: sim.Second, MaxBackoff: sim.Never}, 37},
		{"wrap at n=53", RetryPolicy{MaxAttempts: 100, Base: sim.Second, MaxBackoff: sim.Never}, 53},
	}
	for _, c := range cases {
		ceiling := wantCeiling(c.p, c.n)
		d := c.p.Backoff(c.n, top)
		// The largest draw is within one part in 2^40 of the ceiling.
		if d > ceiling || (ceiling > 0 && d < ceiling-ceiling>>40) {
			t.Errorf("%s: Backoff(%d) with the largest draw = %v, want just below %v", c.name, c.n, d, ceiling)
		}
	}
}

// TestBackoffMean pins the SDK's delay before retry n, uniform[0,1) x 2^n
// s (REFERENCE: retries): mean 1 s before the first retry, 2 s before the
// second. The mean of 100,000 draws of uniform[0, 2^n s) has a standard
// deviation of 2^n/sqrt(12 x 100000) s ≈ 0.09% of the mean; the bound, 1%,
// is 11 of them.
func TestBackoffMean(t *testing.T) {
	const draws = 100_000
	p := SDKv2()
	r := rand.New(rand.NewPCG(9, 9))
	for n, want := range map[int]float64{1: 1, 2: 2, 3: 4, 4: 8} {
		sum := 0.0
		for range draws {
			sum += p.Backoff(n, r).Seconds()
		}
		if mean := sum / draws; math.Abs(mean/want-1) > 0.01 {
			t.Errorf("SDKv2 Backoff(%d): mean %.4f s, want %v s", n, mean, want)
		}
	}
}

// TestRetryBudget pins the retry quota of REFERENCE.md "retries": 500
// tokens at 5 per retry allow exactly 100 retries without a success; each
// success returns 1 token, never beyond 500; an empty quota refuses.
func TestRetryBudget(t *testing.T) {
	b := newRetryBudget(true)
	for i := range 100 {
		if !b.take(RetryCost) {
			t.Fatalf("retry %d refused with %d tokens left", i+1, b.tokens)
		}
	}
	if b.take(RetryCost) {
		t.Fatalf("retry 101 allowed; the quota should be empty")
	}
	if b.tokens != 0 {
		t.Errorf("%d tokens after 100 retries, want 0", b.tokens)
	}
	// Four successes are not enough for a retry; the fifth is.
	for range 4 {
		b.succeeded()
	}
	if b.take(RetryCost) {
		t.Errorf("retry allowed with 4 tokens")
	}
	b.succeeded()
	if !b.take(RetryCost) {
		t.Errorf("retry refused with 5 tokens")
	}
	// A full quota stays full.
	full := newRetryBudget(true)
	full.succeeded()
	if full.tokens != RetryBudgetTokens {
		t.Errorf("a success on a full quota leaves %d tokens, want %d", full.tokens, RetryBudgetTokens)
	}
	full.take(RetryCost)
	for range 10 {
		full.succeeded()
	}
	if full.tokens != RetryBudgetTokens {
		t.Errorf("successes refilled to %d tokens, want the cap %d", full.tokens, RetryBudgetTokens)
	}
}

// TestRetryBudgetDisabled pins that a policy without Budget never runs out.
func TestRetryBudgetDisabled(t *testing.T) {
	b := newRetryBudget(false)
	for i := range 1000 {
		if !b.take(RetryCost) {
			t.Fatalf("retry %d refused with the budget disabled", i+1)
		}
	}
}
