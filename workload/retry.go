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
	// Base and MaxBackoff bound the delay before retry n (n = 1, 2, ...):
	// uniform[0,1) x Base x 2^n, capped at MaxBackoff ("full jitter").
	Base, MaxBackoff sim.Time
	// Budget enables the client-side retry quota of aws-sdk-go-v2: a
	// bucket of 500 tokens, 5 taken per retry (10 after a timeout), 1
	// returned per success; an empty bucket fails the request instead of
	// retrying.
	Budget bool
}

// Retry quota of aws-sdk-go-v2's standard retryer (REFERENCE: retries).
const (
	RetryBudgetTokens = 500
	RetryCost         = 5
	RetryTimeoutCost  = 10
	RetrySuccessBonus = 1
)

// SDKv2 is aws-sdk-go-v2's "standard" retryer, today's default: 3
// attempts, delay before retry n = uniform[0,1) x 2^n s capped at 20 s, and
// the retry quota (REFERENCE: retries). With Base = 1 s the formula above
// gives exactly the SDK's uniform[0,1) x 2^n s.
func SDKv2() RetryPolicy {
	return RetryPolicy{MaxAttempts: 3, Base: sim.Second, MaxBackoff: 20 * sim.Second, Budget: true}
}

// Legacy is the DynamoDB default of the older SDKs (Go v1, Java v1, JS v2):
// 10 retries with a 50 ms base (REFERENCE: retries). The older SDKs jitter
// differently from one another; ddbsim applies full jitter to all of them
// and caps delays at 20 s.
func Legacy() RetryPolicy {
	return RetryPolicy{MaxAttempts: 11, Base: 50 * sim.Millisecond, MaxBackoff: 20 * sim.Second}
}

// NoRetry gives up on the first throttle.
func NoRetry() RetryPolicy { return RetryPolicy{MaxAttempts: 1} }

// Backoff is the delay before retry n (n >= 1): uniform over
// [0, min(Base x 2^n, MaxBackoff)).
func (p *RetryPolicy) Backoff(n int, r *rand.Rand) sim.Time {
	ceiling := p.Base
	for i := 0; i < n && ceiling > 0 && ceiling < p.MaxBackoff; i++ {
		if ceiling > p.MaxBackoff/2 { // doubling would pass the cap, or overflow
			ceiling = p.MaxBackoff
			break
		}
		ceiling *= 2
	}
	ceiling = min(ceiling, p.MaxBackoff)
	return sim.Time(r.Float64() * float64(ceiling))
}

// retryBudget is the client's retry quota.
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

// succeeded returns the success bonus, up to the quota's size.
func (b *retryBudget) succeeded() {
	if b.enabled {
		b.tokens = min(b.tokens+RetrySuccessBonus, RetryBudgetTokens)
	}
}
