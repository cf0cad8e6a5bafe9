package workload

import (
	"math/rand/v2"

	"github.com/ddbsim/ddbsim/sim"
)

// RetryPolicy is how a client retries a throttled request
// (REFERENCE: retries).
type RetryPolicy struct {
	// MaxAttempts counts the first attempt: 3 means up to two retries.
	MaxAttempts int
	// Base and MaxBackoff bound the delay before retry n (n = 1, 2, ...);
	// Jitter says how (see Backoff).
	Base, MaxBackoff sim.Time
	// ThrottleBase and ThrottleMaxBackoff, when ThrottleBase is above 0,
	// replace Base and MaxBackoff after a throttling error, and
	// ThrottleJitter replaces Jitter: aws-sdk-go v1 and the Java SDK v2
	// back off throttles from a longer base than transient errors.
	ThrottleBase, ThrottleMaxBackoff sim.Time
	// Jitter is the shape of the delay: FullJitter (the default),
	// DoubledJitter or NoJitter.
	Jitter, ThrottleJitter Jitter
	// Budget enables the client-side retry quota of aws-sdk-go-v2 (see
	// retryBudget); an empty quota fails the request instead of retrying.
	Budget bool
	// Adaptive adds aws-sdk-go-v2's adaptive mode client-side rate
	// limiter (see adaptiveRateLimit) in front of every attempt.
	Adaptive bool
}

// Jitter is how a retry policy randomises its delay.
type Jitter uint8

const (
	// FullJitter draws the delay before retry n uniformly over
	// [0, min(Base x 2^n, MaxBackoff)): aws-sdk-go-v2's
	// ExponentialJitterBackoff (aws/retry/jitter_backoff.go).
	FullJitter Jitter = iota
	// DoubledJitter draws it uniformly over [Base, 2 Base) x 2^(n-1), or
	// over [MaxBackoff/2, MaxBackoff) once that would pass MaxBackoff:
	// aws-sdk-go v1's DefaultRetryer.RetryRules and getJitterDelay
	// (aws/client/default_retryer.go), whose retry count starts at 0.
	DoubledJitter
	// NoJitter waits exactly Base x 2^(n-1) before retry n, at most
	// MaxBackoff: botocore's legacy delay_exponential with a numeric base
	// (botocore/retryhandler.py).
	NoJitter
)

// Retry quota of aws-sdk-go-v2's standard retryer (REFERENCE: retries;
// aws/retry/standard.go: DefaultRetryRateTokens, DefaultRetryCost,
// DefaultRetryTimeoutCost, DefaultNoRetryIncrement).
const (
	RetryBudgetTokens = 500
	RetryCost         = 5
	RetryTimeoutCost  = 10
	RetrySuccessBonus = 1
)

// SDKv2 is aws-sdk-go-v2's "standard" retryer, today's default: 3
// attempts, delay before retry n = uniform[0,1) x 2^n s capped at 20 s, and
// the retry quota (REFERENCE: retries; aws/retry/standard.go:
// DefaultMaxAttempts, DefaultMaxBackoff). With Base = 1 s the full jitter
// gives exactly the SDK's uniform[0,1) x 2^n s.
func SDKv2() RetryPolicy {
	return RetryPolicy{MaxAttempts: 3, Base: sim.Second, MaxBackoff: 20 * sim.Second, Budget: true}
}

// Legacy is the DynamoDB default of aws-sdk-go v1 (REFERENCE: retries):
// service/dynamodb/customizations.go sets 10 retries and a 50 ms
// MinRetryDelay for transient errors; aws/client/default_retryer.go backs
// off throttling errors from DefaultRetryerMinThrottleDelay (500 ms), caps
// both at 300 s (DefaultRetryerMaxRetryDelay, DefaultRetryerMaxThrottleDelay)
// and jitters as DoubledJitter. A request throttled on every attempt
// waits about ten minutes in all. v1 has no retry quota.
func Legacy() RetryPolicy {
	return RetryPolicy{
		MaxAttempts: 11,
		Base:        50 * sim.Millisecond, MaxBackoff: 300 * sim.Second,
		ThrottleBase: 500 * sim.Millisecond, ThrottleMaxBackoff: 300 * sim.Second,
		Jitter: DoubledJitter, ThrottleJitter: DoubledJitter,
	}
}

// GoV2Adaptive is aws-sdk-go-v2's adaptive retry mode (REFERENCE: retries;
// aws/retry/adaptive.go: NewAdaptiveMode wraps NewStandard with its
// defaults, and GetAttemptToken takes DefaultRequestCost = 1 token from
// the client-side rate limiter of adaptive_ratelimit.go before every
// attempt, first ones included, sleeping until the token is there). The
// limiter is off until the first throttle; see adaptiveRateLimit.
func GoV2Adaptive() RetryPolicy {
	p := SDKv2()
	p.Adaptive = true
	return p
}

// JavaV2 is the DynamoDB client of the AWS SDK for Java 2.x in its default
// (legacy) retry mode (REFERENCE: retries). services/dynamodb/.../
// DynamoDbRetryPolicy.java: MAX_ERROR_RETRY = 8 (9 attempts), BASE_DELAY =
// 25 ms with FullJitterBackoffStrategy (a uniform delay below 25 ms x
// 2^(n-1), so ddbsim's Base, doubled from retry 1, is 12.5 ms) capped at
// SdkDefaultRetrySetting.MAX_BACKOFF = 20 s. Throttles keep the mode's
// throttling strategy (core/retry/backoff/BackoffStrategy.java
// defaultThrottlingStrategy for LEGACY: EqualJitterBackoffStrategy from
// THROTTLED_BASE_DELAY = 500 ms, a delay in [c/2, c] with c = min(500 ms x
// 2^(n-1), 20 s): DoubledJitter from 250 ms). The legacy mode's token
// bucket charges throttles 0 (TokenBucketRetryCondition, LEGACY:
// throttlingExceptionCost 0), so ddbsim gives java-v2 no quota (see
// docs/model.md). A request throttled on every attempt waits 35.75 s to
// 71.5 s, 53.6 s on average.
func JavaV2() RetryPolicy {
	return RetryPolicy{
		MaxAttempts: 9,
		Base:        12500 * sim.Microsecond, MaxBackoff: 20 * sim.Second,
		ThrottleBase: 250 * sim.Millisecond, ThrottleMaxBackoff: 20 * sim.Second,
		ThrottleJitter: DoubledJitter,
	}
}

// Boto3Legacy is botocore's legacy retry mode for DynamoDB (REFERENCE:
// retries; botocore/data/_retry.json, "dynamodb": max_attempts 10, which
// counts the first request (retryhandler.py MaxAttemptsDecorator stops at
// attempt_number >= max_attempts; translate.py adds 1 only to a client's
// own max_attempts), and delay type "exponential" with base 0.05 and
// growth_factor 2: retry n waits exactly 0.05 x 2^(n-1) s
// (retryhandler.py delay_exponential), with no jitter and no cap (the
// ninth retry waits 12.8 s, far below MaxBackoff). No quota. A request
// throttled on every attempt waits 25.55 s in all.
func Boto3Legacy() RetryPolicy {
	return RetryPolicy{MaxAttempts: 10, Base: 50 * sim.Millisecond, MaxBackoff: sim.Hour, Jitter: NoJitter}
}

// JSv3 is the AWS SDK for JavaScript v3's standard retry strategy
// (@smithy/util-retry, constants.ts and defaultRetryBackoffStrategy.ts): 3
// attempts (DEFAULT_MAX_ATTEMPTS); retry n waits uniform[0,1) x 2^(n-1) x
// a base of 100 ms (DEFAULT_RETRY_DELAY_BASE), 500 ms after a throttle
// (THROTTLING_RETRY_DELAY_BASE), at most 20 s (MAXIMUM_RETRY_DELAY); and
// the same quota as aws-sdk-go-v2 (INITIAL_RETRY_TOKENS, RETRY_COST,
// TIMEOUT_RETRY_COST, NO_RETRY_INCREMENT). The SDK counts retries from 0,
// so ddbsim's Base, which doubles from retry 1, is half the SDK's. The SDK
// caps after jitter, ddbsim before: the same for 3 attempts, whose
// ceilings stay below 20 s.
func JSv3() RetryPolicy {
	return RetryPolicy{MaxAttempts: 3, Base: 50 * sim.Millisecond, MaxBackoff: 20 * sim.Second,
		ThrottleBase: 250 * sim.Millisecond, ThrottleMaxBackoff: 20 * sim.Second, Budget: true}
}

// Boto3Standard is botocore's "standard" retry mode (botocore/retries/
// standard.py): 3 attempts (DEFAULT_MAX_ATTEMPTS); retry n waits
// uniform[0,1) x min(2^(n-1), 20) s (ExponentialBackoff); the quota of
// RetryQuotaChecker (INITIAL_RETRY_TOKENS 500, RETRY_COST 5,
// TIMEOUT_RETRY_COST 10, NO_RETRY_INCREMENT 1, a successful retry's cost
// released back).
func Boto3Standard() RetryPolicy {
	return RetryPolicy{MaxAttempts: 3, Base: 500 * sim.Millisecond, MaxBackoff: 20 * sim.Second, Budget: true}
}

// NoRetry gives up on the first throttle.
func NoRetry() RetryPolicy { return RetryPolicy{MaxAttempts: 1} }

// BackoffRange is the interval [lo, hi) the delay before retry n (n >= 1)
// is drawn uniformly from, after a throttling error when throttle is set.
func (p *RetryPolicy) BackoffRange(n int, throttle bool) (lo, hi sim.Time) {
	base, ceil, jitter := p.Base, p.MaxBackoff, p.Jitter
	if throttle && p.ThrottleBase > 0 {
		base, ceil, jitter = p.ThrottleBase, p.ThrottleMaxBackoff, p.ThrottleJitter
	}
	switch jitter {
	case NoJitter:
		d, _ := doubled(base, n-1, ceil)
		return d, d
	case DoubledJitter:
		// [base, 2 base) x 2^(n-1): the top is base x 2^n.
		if top, ok := doubled(base, n, ceil); ok {
			return top / 2, top
		}
		return ceil / 2, ceil
	}
	top, _ := doubled(base, n, ceil)
	return 0, top
}

// doubled is base x 2^n, or ceil and false if that passes ceil (checked
// before each doubling, so it cannot overflow).
func doubled(base sim.Time, n int, ceil sim.Time) (sim.Time, bool) {
	v := base
	for i := 0; i < n && v > 0; i++ {
		if v > ceil/2 {
			return ceil, false
		}
		v *= 2
	}
	if v > ceil {
		return ceil, false
	}
	return max(v, 0), true
}

// Backoff is the delay before retry n (n >= 1), drawn from BackoffRange.
func (p *RetryPolicy) Backoff(n int, throttle bool, r *rand.Rand) sim.Time {
	lo, hi := p.BackoffRange(n, throttle)
	return lo + sim.Time(r.Float64()*float64(hi-lo))
}

// retryBudget is the client's retry quota, aws-sdk-go-v2's standard
// retryer (REFERENCE: retries): a bucket of RetryBudgetTokens; a retry
// takes RetryCost, or RetryTimeoutCost after a timeout
// (Standard.GetRetryToken); a retry that succeeds gives its cost back
// (the release func of ratelimit.TokenRateLimit.GetToken, called by the
// retry middleware with the attempt's error, refunds only on success); a
// first attempt that succeeds adds RetrySuccessBonus
// (Standard.GetAttemptToken, NoRetryIncrement); the bucket never holds
// more than it started with (ratelimit.TokenBucket.Refund).
type retryBudget struct {
	tokens  int
	enabled bool
}

func newRetryBudget(enabled bool) retryBudget {
	return retryBudget{tokens: RetryBudgetTokens, enabled: enabled}
}

// take reports whether a retry costing cost tokens may go ahead, and
// spends them if so.
func (b *retryBudget) take(cost int) bool {
	if !b.enabled {
		return true
	}
	if b.tokens < cost {
		return false
	}
	b.tokens -= cost
	return true
}

// succeeded credits a successful attempt: the cost of the retry that
// made it (held), or the no-retry increment for a first attempt (held
// 0), up to the quota's size.
func (b *retryBudget) succeeded(held int) {
	if !b.enabled {
		return
	}
	credit := RetrySuccessBonus
	if held > 0 {
		credit = held
	}
	b.tokens = min(b.tokens+credit, RetryBudgetTokens)
}
