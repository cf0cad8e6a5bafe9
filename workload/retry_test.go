package workload

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/ddbsim/ddbsim/sim"
)

// TestPolicies pins the built-in policies to REFERENCE.md "retries":
// aws-sdk-go-v2 standard is 3 attempts, delay uniform[0,1) x 2^n s capped
// at 20 s, with the retry budget; aws-sdk-go v1 makes 10 retries, backing
// off transient errors from 50 ms and throttles from 500 ms, both capped at
// 300 s; NoRetry gives up on the first throttle.
func TestPolicies(t *testing.T) {
	cases := []struct {
		name string
		got  RetryPolicy
		want RetryPolicy
	}{
		{"SDKv2", SDKv2(), RetryPolicy{MaxAttempts: 3, Base: sim.Second, MaxBackoff: 20 * sim.Second, Budget: true}},
		{"Legacy", Legacy(), RetryPolicy{MaxAttempts: 11, Base: 50 * sim.Millisecond, MaxBackoff: 300 * sim.Second,
			ThrottleBase: 500 * sim.Millisecond, ThrottleMaxBackoff: 300 * sim.Second, Jitter: DoubledJitter, ThrottleJitter: DoubledJitter}},
		{"NoRetry", NoRetry(), RetryPolicy{MaxAttempts: 1}},
		// @smithy/util-retry: 100 ms and 500 ms bases counted from retry 0.
		{"JSv3", JSv3(), RetryPolicy{MaxAttempts: 3, Base: 50 * sim.Millisecond, MaxBackoff: 20 * sim.Second,
			ThrottleBase: 250 * sim.Millisecond, ThrottleMaxBackoff: 20 * sim.Second, Budget: true}},
		// botocore standard: uniform[0,1) x min(2^(n-1), 20) s.
		{"Boto3Standard", Boto3Standard(), RetryPolicy{MaxAttempts: 3, Base: 500 * sim.Millisecond, MaxBackoff: 20 * sim.Second, Budget: true}},
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
		"1ms base, 1h cap": {MaxAttempts: 100, Base: sim.Millisecond, MaxBackoff: sim.Hour},
	}
	r := rand.New(rand.NewPCG(6, 6))
	top := rand.New(constSource(math.MaxUint64))
	bottom := rand.New(constSource(0))
	for name, p := range policies {
		for n := 1; n <= 70; n++ {
			ceiling := wantCeiling(p, n)
			for range 200 {
				if d := p.Backoff(n, true, r); d < 0 || d >= ceiling {
					t.Fatalf("%s: Backoff(%d) = %v, want in [0, %v)", name, n, d, ceiling)
				}
			}
			if d := p.Backoff(n, true, bottom); d != 0 {
				t.Errorf("%s: Backoff(%d) with a zero draw = %v, want 0", name, n, d)
			}
			// (1-2^-53) x ceiling truncates to ceiling - 1 ns below 2^53 ns.
			if d := p.Backoff(n, true, top); d != ceiling-1 {
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
		d := c.p.Backoff(c.n, true, top)
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
			sum += p.Backoff(n, true, r).Seconds()
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
		b.succeeded(0)
	}
	if b.take(RetryCost) {
		t.Errorf("retry allowed with 4 tokens")
	}
	b.succeeded(0)
	if !b.take(RetryCost) {
		t.Errorf("retry refused with 5 tokens")
	}
	// A full quota stays full.
	full := newRetryBudget(true)
	full.succeeded(0)
	if full.tokens != RetryBudgetTokens {
		t.Errorf("a success on a full quota leaves %d tokens, want %d", full.tokens, RetryBudgetTokens)
	}
	full.take(RetryCost)
	for range 10 {
		full.succeeded(0)
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

// ksUniform is the Kolmogorov-Smirnov statistic of draws (in virtual time)
// against the uniform distribution on [0, ceiling): the largest distance
// between their empirical CDF and F(x) = x / ceiling (0 below 0, 1 from
// the ceiling on). It sorts draws.
func ksUniform(draws []sim.Time, ceiling sim.Time) float64 {
	slices.Sort(draws)
	n := float64(len(draws))
	d := 0.0
	for i, x := range draws {
		f := min(max(float64(x)/float64(ceiling), 0), 1)
		// The empirical CDF jumps from i/n to (i+1)/n at x.
		d = max(d, float64(i+1)/n-f, f-float64(i)/n)
	}
	return d
}

// ksCritical is the critical value of the one-sample Kolmogorov-Smirnov
// statistic for n draws at significance alpha. Under the null hypothesis
// sqrt(n) x D follows, for large n, the Kolmogorov distribution, whose tail
// is P(K > c) = 2 Σ_{k>=1} (-1)^(k-1) exp(-2k²c²); at the c that matters
// here the terms beyond the first are below 1e-13, so P(K > c) = alpha
// gives c = sqrt(ln(2/alpha) / 2): 1.9495 for alpha = 0.001. Stephens'
// finite-sample correction replaces sqrt(n) by sqrt(n) + 0.12 +
// 0.11/sqrt(n) (M. A. Stephens, "Use of the Kolmogorov-Smirnov, Cramér-von
// Mises and related statistics without extensive tables", JRSS B 32,
// 1970). For n = 20,000: D_crit = 1.9495 / 141.54 ≈ 0.0138.
func ksCritical(n int, alpha float64) float64 {
	c := math.Sqrt(math.Log(2/alpha) / 2)
	sn := math.Sqrt(float64(n))
	return c / (sn + 0.12 + 0.11/sn)
}

// TestBackoffDistribution tests statistically that the delay before retry
// n is uniform over [0, min(Base x 2^n, MaxBackoff)), as REFERENCE.md
// "retries" gives it: for SDKv2, uniform[0,1) x 2^n s capped at 20 s, for
// n = 1..6 (n = 5 and 6 hit the cap: 32 s and 64 s become 20 s); for
// Legacy, 50 ms x 2^n capped at 20 s, for all its 10 retries (n = 9 and 10
// hit the cap: 25.6 s and 51.2 s). Each n draws 20,000 delays from a fixed
// seed and compares them with the uniform distribution by the
// Kolmogorov-Smirnov statistic D, rejecting at alpha = 0.001 (D_crit ≈
// 0.0138, see ksCritical). The seed is fixed, so the test is
// deterministic; a correct implementation passes any given n with
// probability 0.999.
//
// The test can fail. The most likely bug, an exponent off by one (delay
// uniform over [0, 2^(n-1) s), that is Base = 500 ms), puts its whole
// distribution below half the ceiling: D = 1 - min(2^(n-1), 20) / min(2^n,
// 20), that is 0.5 for n = 1..4 and 0.2 for n = 5, 14 to 36 times D_crit
// (at n = 6 both are uniform on [0, 20 s): D is sampling noise, and no
// test could tell them apart). A missing cap gives D = 1 - 20 s / 2^n s,
// 0.375 at n = 5 and 0.6875 at n = 6; delays without jitter (always the
// ceiling) give D = 1. The test runs the off-by-one and the uncapped
// policies too and requires them to be rejected wherever their ceiling
// differs, so a statistic or threshold that cannot reject is caught too.
func TestBackoffDistribution(t *testing.T) {
	const (
		draws = 20_000
		alpha = 0.001
	)
	crit := ksCritical(draws, alpha)
	if crit < 0.0137 || crit > 0.0139 {
		t.Fatalf("D_crit = %.5f, want about 0.0138 for n = 20000, alpha = 0.001", crit)
	}
	offByOne := SDKv2()
	offByOne.Base /= 2 // uniform[0,1) x 2^(n-1) s
	uncapped := SDKv2()
	uncapped.MaxBackoff = sim.Hour
	cases := []struct {
		name   string
		p      RetryPolicy
		maxN   int
		reject bool // a wrong policy, which the test must reject where its ceiling differs
	}{
		{"SDKv2", SDKv2(), 6, false},
		{"SDKv2 with 2^(n-1)", offByOne, 6, true},
		{"SDKv2 without the cap", uncapped, 6, true},
	}
	r := rand.New(rand.NewPCG(2026, 111))
	buf := make([]sim.Time, draws)
	for _, c := range cases {
		for n := 1; n <= c.maxN; n++ {
			// The ceiling the documentation gives, not the policy's own.
			want := min(SDKv2().Base<<n, 20*sim.Second)
			for i := range buf {
				buf[i] = c.p.Backoff(n, true, r)
			}
			d := ksUniform(buf, want)
			switch {
			case !c.reject && d >= crit:
				t.Errorf("%s: Backoff(%d) is not uniform on [0, %v): D = %.4f >= %.4f", c.name, n, want, d, crit)
			case c.reject && want != min(c.p.Base<<n, c.p.MaxBackoff) && d < crit:
				t.Errorf("%s: Backoff(%d) passed as uniform on [0, %v) with D = %.4f < %.4f: the test cannot catch this bug",
					c.name, n, want, d, crit)
			}
		}
	}
}

// TestLegacyBackoffIsGoV1 pins Legacy to aws-sdk-go v1's DefaultRetryer
// as the DynamoDB client configures it (REFERENCE: retries): retry n
// (the SDK's retry count n-1) waits 2^(n-1) x uniform[min, 2 min), with
// min 500 ms after a throttle and 50 ms after a transient error, and a
// delay that would pass 300 s is drawn from [150 s, 300 s) instead. A
// request throttled on all 11 attempts so waits 0.75 + 1.5 + ... + 192 +
// 225 = 608.25 s on average, about ten minutes (the old policy, 50 ms x
// 2^n with full jitter capped at 20 s, gave 33 s).
func TestLegacyBackoffIsGoV1(t *testing.T) {
	p := Legacy()
	cases := []struct {
		n        int
		throttle bool
		lo, hi   sim.Time
	}{
		{1, true, 500 * sim.Millisecond, sim.Second},
		{2, true, sim.Second, 2 * sim.Second},
		{9, true, 128 * sim.Second, 256 * sim.Second},
		{10, true, 150 * sim.Second, 300 * sim.Second}, // 256 s to 512 s passes the cap
		{1, false, 50 * sim.Millisecond, 100 * sim.Millisecond},
		{10, false, 25600 * sim.Millisecond, 51200 * sim.Millisecond},
		{70, false, 150 * sim.Second, 300 * sim.Second},
	}
	r := rand.New(rand.NewPCG(17, 1))
	bottom := rand.New(constSource(0))
	for _, c := range cases {
		if lo, hi := p.BackoffRange(c.n, c.throttle); lo != c.lo || hi != c.hi {
			t.Errorf("BackoffRange(%d, throttle %v) = [%v, %v), want [%v, %v)", c.n, c.throttle, lo, hi, c.lo, c.hi)
		}
		for range 200 {
			if d := p.Backoff(c.n, c.throttle, r); d < c.lo || d >= c.hi {
				t.Fatalf("Backoff(%d, throttle %v) = %v, want in [%v, %v)", c.n, c.throttle, d, c.lo, c.hi)
			}
		}
		if d := p.Backoff(c.n, c.throttle, bottom); d != c.lo {
			t.Errorf("Backoff(%d, throttle %v) with a zero draw = %v, want %v", c.n, c.throttle, d, c.lo)
		}
	}
	var mean sim.Time
	for n := 1; n <= 10; n++ {
		lo, hi := p.BackoffRange(n, true)
		mean += (lo + hi) / 2
	}
	if mean != 608250*sim.Millisecond {
		t.Errorf("ten throttled retries wait %v on average, want 608.25 s", mean)
	}
}

// TestRetryQuotaRefundUnderTimeouts pins the quota's refund (REFERENCE:
// retries; aws-sdk-go-v2 aws/retry/standard.go and ratelimit): under 20%
// timeouts, independent per attempt, a request fails only when all 3
// attempts time out, 0.2^3 = 0.8%, because a retry that succeeds gives
// its 10 tokens back and the quota never runs dry. Without the refund
// (1 token per success only) the quota binds and 13.2% of requests fail.
func TestRetryQuotaRefundUnderTimeouts(t *testing.T) {
	const requests = 200_000
	r := rand.New(rand.NewPCG(20, 17))
	b := newRetryBudget(true)
	failed := 0
	for range requests {
		held := 0
		ok := false
		for attempt := 1; attempt <= SDKv2().MaxAttempts; attempt++ {
			if r.Float64() >= 0.2 {
				b.succeeded(held)
				ok = true
				break
			}
			if attempt == SDKv2().MaxAttempts || !b.take(RetryTimeoutCost) {
				break
			}
			held = RetryTimeoutCost
		}
		if !ok {
			failed++
		}
	}
	if rate := float64(failed) / requests; rate < 0.007 || rate > 0.009 {
		t.Errorf("%.2f%% of requests failed under 20%% timeouts, want 0.8%%", 100*rate)
	}
}

// TestNamedProfilesFirstDelays pins the ceilings of the named profiles'
// first two delays to their SDKs' formulas: JS v3 draws retry n from
// [0, base x 2^(n-1)) with 100 ms (500 ms after a throttle); botocore from
// [0, 2^(n-1) s).
func TestNamedProfilesFirstDelays(t *testing.T) {
	js, boto := JSv3(), Boto3Standard()
	cases := []struct {
		name     string
		p        *RetryPolicy
		n        int
		throttle bool
		hi       sim.Time
	}{
		{"js-v3", &js, 1, false, 100 * sim.Millisecond},
		{"js-v3", &js, 2, false, 200 * sim.Millisecond},
		{"js-v3", &js, 1, true, 500 * sim.Millisecond},
		{"js-v3", &js, 2, true, sim.Second},
		{"boto3-standard", &boto, 1, true, sim.Second},
		{"boto3-standard", &boto, 2, true, 2 * sim.Second},
	}
	for _, c := range cases {
		if lo, hi := c.p.BackoffRange(c.n, c.throttle); lo != 0 || hi != c.hi {
			t.Errorf("%s: BackoffRange(%d, throttle %v) = [%v, %v), want [0, %v)", c.name, c.n, c.throttle, lo, hi, c.hi)
		}
	}
}
