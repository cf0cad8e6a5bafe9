package calc

import (
	"math"

	"github.com/ddbsim/ddbsim/reports"
)

// The largest inputs a calculation accepts. Each is far beyond any real
// table, and small enough that every product the working shows (units x
// rate, capacity x hours x price, rate x 3,600 s x hours) stays exact in
// an int64 and in the money formatting: an input beyond one is refused,
// never answered with a wrapped number.
const (
	// MaxRate is requests a second: a billion.
	MaxRate = 1e9
	// MaxCapacity is provisioned capacity (--rcu, --wcu): a billion
	// units, so that capacity x hours stays an exact float64.
	MaxCapacity = 1_000_000_000
	// MaxCount is a count of request units (--reads, --writes,
	// --stream-reads): a quadrillion.
	MaxCount = 1_000_000_000_000_000
	// MaxHours is hours billed: 100 years.
	MaxHours = 876_000
	// MaxBytes is a table size or storage: 1 EB (2^60 bytes).
	MaxBytes = 1 << 60
)

// checkRate refuses a rate that is not a number from 0 to MaxRate; text
// is the rate as given ("" when it was not given as text).
func checkRate(flag, text string, r float64) error {
	if math.IsNaN(r) || r < 0 || r > MaxRate {
		if text == "" {
			text = Num(r) + "/s"
		}
		return Errorf("--%s %s: above the %s/s a calculation accepts", flag, text, reports.Commas(MaxRate))
	}
	return nil
}

// checkCount refuses a count above most; text is the count as given.
func checkCount(flag, text string, n, most int64) error {
	if n > most {
		return Errorf("--%s %s: above the %s a calculation accepts", flag, text, reports.Commas(most))
	}
	return nil
}

// checkBytes refuses a size above MaxBytes; text is the size as given.
func checkBytes(flag, text string, n int64) error {
	if n > MaxBytes {
		return Errorf("--%s %s: above the 1 EB (%s bytes) a calculation accepts", flag, text, reports.Commas(MaxBytes))
	}
	return nil
}
