package workload

import (
	"math"
	"testing"

	"github.com/ddbsim/ddbsim/sim"
)

// TestProfileBackoffSequences pins each named profile's attempt count
// and the interval every throttled retry's delay is drawn from to the
// numbers in its SDK's source (REFERENCE: retries), and the total wait of
// a request throttled on every attempt: its least, its most and its mean.
//   - go-v2 and go-v2-adaptive (aws-sdk-go-v2 aws/retry/standard.go): 3
//     attempts, [0, 2^n s) capped at 20 s.
//   - go-v1 (aws-sdk-go v1 client/default_retryer.go, DynamoDB's 10
//     retries in service/dynamodb/customizations.go): 2^(n-1) x [500 ms,
//     1 s), a delay past 300 s redrawn below 300 s.
//   - java-v2 (DynamoDbRetryPolicy.java, 8 retries; legacy mode's
//     EqualJitterBackoffStrategy from 500 ms, capped at 20 s): [c/2, c]
//     with c = min(500 ms x 2^(n-1), 20 s).
//   - boto3-legacy (botocore _retry.json, dynamodb: max_attempts 10, base
//     0.05, growth_factor 2): exactly 0.05 x 2^(n-1) s, 25.55 s in all.
//   - boto3-standard (botocore/retries/standard.py): [0, 2^(n-1) s).
//   - js-v3 (@smithy/util-retry): [0, 500 ms x 2^(n-1)).
func TestProfileBackoffSequences(t *testing.T) {
	ms := sim.Millisecond
	s := sim.Second
	cases := []struct {
		name     string
		p        RetryPolicy
		attempts int
		lo, hi   []sim.Time // retry n's interval after a throttle, n = 1..attempts-1
		mean     sim.Time   // the mean total wait of a request throttled on every attempt
	}{
		{"go-v2", SDKv2(), 3, []sim.Time{0, 0}, []sim.Time{2 * s, 4 * s}, 3 * s},
		{"go-v2-adaptive", GoV2Adaptive(), 3, []sim.Time{0, 0}, []sim.Time{2 * s, 4 * s}, 3 * s},
		{"go-v1", Legacy(), 11,
			[]sim.Time{500 * ms, s, 2 * s, 4 * s, 8 * s, 16 * s, 32 * s, 64 * s, 128 * s, 150 * s},
			[]sim.Time{s, 2 * s, 4 * s, 8 * s, 16 * s, 32 * s, 64 * s, 128 * s, 256 * s, 300 * s},
			608250 * ms},
		{"java-v2", JavaV2(), 9,
			[]sim.Time{250 * ms, 500 * ms, s, 2 * s, 4 * s, 8 * s, 10 * s, 10 * s},
			[]sim.Time{500 * ms, s, 2 * s, 4 * s, 8 * s, 16 * s, 20 * s, 20 * s},
			53625 * ms},
		{"boto3-legacy", Boto3Legacy(), 10,
			[]sim.Time{50 * ms, 100 * ms, 200 * ms, 400 * ms, 800 * ms, 1600 * ms, 3200 * ms, 6400 * ms, 12800 * ms},
			[]sim.Time{50 * ms, 100 * ms, 200 * ms, 400 * ms, 800 * ms, 1600 * ms, 3200 * ms, 6400 * ms, 12800 * ms},
			25550 * ms},
		{"boto3-standard", Boto3Standard(), 3, []sim.Time{0, 0}, []sim.Time{s, 2 * s}, 1500 * ms},
		{"js-v3", JSv3(), 3, []sim.Time{0, 0}, []sim.Time{500 * ms, s}, 750 * ms},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if c.p.MaxAttempts != c.attempts || len(c.lo) != c.attempts-1 || len(c.hi) != c.attempts-1 {
				t.Fatalf("%d attempts (table: %d delays), want %d", c.p.MaxAttempts, len(c.lo), c.attempts)
			}
			var mean sim.Time
			for n := 1; n < c.attempts; n++ {
				lo, hi := c.p.BackoffRange(n, true)
				if lo != c.lo[n-1] || hi != c.hi[n-1] {
					t.Errorf("retry %d after a throttle: [%v, %v), want [%v, %v)", n, lo, hi, c.lo[n-1], c.hi[n-1])
				}
				mean += (lo + hi) / 2
			}
			if mean != c.mean {
				t.Errorf("a request throttled on every attempt waits %v on average, want %v", mean, c.mean)
			}
		})
	}
}

// TestJavaV2TransientBackoff pins java-v2's delays after a transient error
// or timeout: DynamoDbRetryPolicy's FullJitterBackoffStrategy from 25 ms,
// [0, 25 ms x 2^(n-1)), capped at 20 s.
func TestJavaV2TransientBackoff(t *testing.T) {
	p := JavaV2()
	for n, want := range map[int]sim.Time{1: 25 * sim.Millisecond, 2: 50 * sim.Millisecond, 8: 3200 * sim.Millisecond, 12: 20 * sim.Second} {
		if lo, hi := p.BackoffRange(n, false); lo != 0 || hi != want {
			t.Errorf("retry %d after a transient error: [%v, %v), want [0, %v)", n, lo, hi, want)
		}
	}
	if p.Budget || p.Adaptive {
		t.Errorf("java-v2: quota %v, adaptive %v; want neither", p.Budget, p.Adaptive)
	}
}

// sdkFloatEqual is the tolerance of aws-sdk-go-v2's adaptive_ratelimit_test.go.
func sdkFloatEqual(a, b float64) bool { return math.Abs(a-b) < 1e-12 }

// TestAdaptiveRateLimitUpdate replays aws-sdk-go-v2's own table for the
// adaptive limiter (aws/retry/adaptive_ratelimit_test.go,
// TestAdaptiveRateLimit_Update, "base"): attempts every 200 ms from a
// client created at 0, two of them throttled, with the measured send rate
// and the bucket's fill rate the SDK expects after each.
func TestAdaptiveRateLimitUpdate(t *testing.T) {
	cases := []struct {
		ms             int64
		throttled      bool
		measured, fill float64
	}{
		{200, false, 0, 0.5},
		{400, false, 0, 0.5},
		{600, false, 4.8, 0.5},
		{800, false, 4.8, 0.5},
		{1000, false, 4.16, 0.5},
		{1200, false, 4.16, 0.6912},
		{1400, false, 4.16, 1.0976},
		{1600, false, 5.632, 1.6384},
		{1800, false, 5.632, 2.3328},
		{2000, true, 4.3264, 3.02848},
		{2200, false, 4.3264, 3.4866391734702598},
		{2400, false, 4.3264, 3.8218744160402554},
		{2600, false, 5.665280, 4.053385727709987},
		{2800, false, 5.665280, 4.200373108479455},
		{3000, false, 4.333056, 4.282036558348658},
		{3200, true, 4.333056, 2.99742559084406},
		{3400, false, 4.333056, 3.4522263943863463},
	}
	a := newAdaptiveRateLimit()
	for _, c := range cases {
		a.update(sim.Time(c.ms)*sim.Millisecond, c.throttled)
		if !sdkFloatEqual(a.measuredTxRate, c.measured) || !sdkFloatEqual(a.fillRate, c.fill) {
			t.Errorf("at %d ms: measured %v, fill %v; want %v, %v", c.ms, a.measuredTxRate, a.fillRate, c.measured, c.fill)
		}
	}
}

// TestAdaptiveRateLimitCubic replays aws-sdk-go-v2's table for the cubic
// itself (TestAdaptiveRateLimit_cubic, "mixed"): from a rate of 10 at a
// throttle at 5 s, the rate each second with throttles at 7 s and 8 s.
func TestAdaptiveRateLimitCubic(t *testing.T) {
	cases := []struct {
		s         int64
		throttled bool
		want      float64
	}{
		{5, false, 7}, {6, false, 9.64893600966}, {7, true, 6.754255206761999},
		{8, true, 4.727978644733399}, {9, false, 4.670125557970046}, {10, false, 4.770870456867401},
		{11, false, 6.011819748005445}, {12, false, 10.792973431384178},
	}
	a := newAdaptiveRateLimit()
	a.lastMaxRate, a.lastThrottleTime = 10, 5
	var rate float64
	for _, c := range cases {
		at := float64(c.s)
		a.calculateTimeWindow()
		if c.throttled {
			rate *= adaptiveBeta
			a.lastThrottleTime, a.lastMaxRate = at, rate
		} else {
			rate = adaptiveScaleConstant*math.Pow(at-a.lastThrottleTime-a.timeWindow, 3) + a.lastMaxRate
		}
		if !sdkFloatEqual(rate, c.want) {
			t.Errorf("at %d s: rate %v, want %v", c.s, rate, c.want)
		}
	}
}

// TestAdaptiveRateLimitAcquire pins the bucket: open until the first
// throttle; then empty, filling at the new rate (at least 0.5 a second),
// so the next attempt waits for its token.
func TestAdaptiveRateLimitAcquire(t *testing.T) {
	a := newAdaptiveRateLimit()
	for i := range 10 {
		if ok, _ := a.acquire(sim.Time(i) * 100 * sim.Millisecond); !ok {
			t.Fatalf("attempt %d refused before any throttle", i)
		}
		a.update(sim.Time(i)*100*sim.Millisecond, false)
	}
	// Measured: 6 attempts in the half-second closed at 0.5 s (12/s x
	// 0.8 = 9.6), 5 in the next (10/s x 0.8 + 9.6 x 0.2 = 9.92); the
	// throttle cuts the rate to 0.7 of that.
	a.update(sim.Second, true)
	want := 0.7 * 9.92
	if !sdkFloatEqual(a.fillRate, want) {
		t.Fatalf("fill rate after the throttle %v, want %v", a.fillRate, want)
	}
	// The bucket kept filling while the limiter was off (the SDK refills
	// on every update): it holds part of a token, and the rest takes
	// under a token's time, 1/want s.
	ok, wait := a.acquire(sim.Second)
	if ok || wait <= 0 || wait > sim.FromSeconds(1/want) {
		t.Errorf("acquire right after the throttle = %v, wait %v; want a wait in (0, %v]", ok, wait, sim.FromSeconds(1/want))
	}
	if ok, _ := a.acquire(sim.Second + sim.FromSeconds(1/want)); !ok {
		t.Errorf("acquire a token's time later refused")
	}
	if ok, _ := a.acquire(sim.Second + sim.FromSeconds(1/want)); ok {
		t.Errorf("a second token granted at once")
	}
}
