package workload

import (
	"math"

	"github.com/ddbsim/ddbsim/sim"
)

// Constants of aws-sdk-go-v2's adaptive retry mode (REFERENCE: retries;
// aws/retry/adaptive_ratelimit.go, newAdaptiveRateLimit and
// adaptive_token_bucket.go, newAdaptiveTokenBucket).
const (
	adaptiveSmooth        = 0.8 // weight of the newest half-second in the measured send rate
	adaptiveBeta          = 0.7 // a throttle cuts the rate to 0.7 of the rate in use
	adaptiveScaleConstant = 0.4 // the cubic's scale: rate = 0.4 (t - K)^3 + the rate before the throttle
	adaptiveMinFillRate   = 0.5 // tokens a second, however low the rate falls
	adaptiveMinCapacity   = 1.0 // the bucket always holds at least one attempt
	adaptiveRequestCost   = 1.0 // DefaultRequestCost (adaptive.go)
)

// adaptiveRateLimit is aws-sdk-go-v2's adaptive mode client-side rate
// limiter (aws/retry/adaptive_ratelimit.go), one per workload as the
// retry quota is: off until an attempt is throttled; from then on every
// attempt takes a token from a bucket whose fill rate follows CUBIC, cut
// to beta x min(measured send rate, fill rate) on a throttle and growing
// back as 0.4 (t - K)^3 + the rate at the last throttle on a success,
// never above twice the measured send rate. Times are seconds since the
// start of the run, where the SDK reads the wall clock: the SDK's
// half-second rate buckets start from the client's creation, here from
// time 0.
type adaptiveRateLimit struct {
	enabled bool // tokenBucketEnabled: set by the first throttle

	fillRate, calculatedRate float64
	lastRefilled             float64
	refilled                 bool // lastRefilled holds a time (the SDK's IsZero check)
	measuredTxRate           float64
	lastTxRateBucket         float64
	requestCount             int64
	lastMaxRate              float64
	lastThrottleTime         float64
	timeWindow               float64

	tokens, capacity float64 // adaptiveTokenBucket: remainingTokens, maxCapacity
}

// newAdaptiveRateLimit is the limiter of a client created at time 0: an
// empty bucket of capacity 0, the rate buckets and the last throttle at 0.
func newAdaptiveRateLimit() adaptiveRateLimit { return adaptiveRateLimit{} }

// acquire takes a token for an attempt at now (AcquireToken): true, or
// false and how long to wait before trying again.
func (a *adaptiveRateLimit) acquire(now sim.Time) (bool, sim.Time) {
	if !a.enabled {
		return true, 0
	}
	a.refill(now.Seconds())
	if adaptiveRequestCost > a.tokens {
		wait := sim.FromSeconds((adaptiveRequestCost - a.tokens) / a.fillRate)
		return false, max(wait, 1) // at least one tick, so the wait moves time
	}
	a.tokens -= adaptiveRequestCost
	return true, 0
}

// update records an attempt's response at now (Update): the measured
// send rate, and the new rate after a throttle or a success.
func (a *adaptiveRateLimit) update(now sim.Time, throttled bool) {
	t := now.Seconds()
	a.updateMeasuredRate(t)
	if throttled {
		rate := a.measuredTxRate
		if a.enabled {
			rate = math.Min(a.measuredTxRate, a.fillRate)
		}
		a.lastMaxRate = rate
		a.calculateTimeWindow()
		a.lastThrottleTime = t
		a.calculatedRate = rate * adaptiveBeta
		a.enabled = true
	} else {
		a.calculateTimeWindow()
		a.calculatedRate = adaptiveScaleConstant*math.Pow(t-a.lastThrottleTime-a.timeWindow, 3) + a.lastMaxRate
	}
	newRate := math.Min(a.calculatedRate, 2*a.measuredTxRate)
	a.refill(t)
	a.fillRate = math.Max(newRate, adaptiveMinFillRate)
	a.capacity = math.Max(newRate, adaptiveMinCapacity)
	a.tokens = math.Min(a.tokens, a.capacity)
}

// calculateTimeWindow is the cubic's K, the time it takes to grow back to
// the rate at the last throttle.
func (a *adaptiveRateLimit) calculateTimeWindow() {
	a.timeWindow = math.Pow(a.lastMaxRate*(1-adaptiveBeta)/adaptiveScaleConstant, 1./3.)
}

// updateMeasuredRate counts an attempt into half-second buckets and, when
// a bucket closes, smooths its rate into measuredTxRate.
func (a *adaptiveRateLimit) updateMeasuredRate(t float64) {
	bucket := math.Floor(t*2) / 2
	a.requestCount++
	if bucket > a.lastTxRateBucket {
		current := float64(a.requestCount) / (bucket - a.lastTxRateBucket)
		a.measuredTxRate = current*adaptiveSmooth + a.measuredTxRate*(1-adaptiveSmooth)
		a.requestCount = 0
		a.lastTxRateBucket = bucket
	}
}

// refill adds the tokens earned since the last refill, up to capacity.
func (a *adaptiveRateLimit) refill(t float64) {
	if !a.refilled {
		a.lastRefilled, a.refilled = t, true
		return
	}
	a.tokens = math.Min(a.tokens+(t-a.lastRefilled)*a.fillRate, a.capacity)
	a.lastRefilled = t
}
