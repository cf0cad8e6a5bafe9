package interval

import (
	"encoding/json"
	"fmt"
	"math"

	"gonum.org/v1/gonum/stat"
	"gonum.org/v1/gonum/stat/distuv"
)

// Level is the confidence level of every interval this package gives.
const Level = 0.95

// Estimate is the mean of N samples and the half-width of its 95%
// confidence interval: the true mean lies in [Mean-Half, Mean+Half] with
// 95% confidence, when the samples are independent draws of a quantity
// whose mean is close to normally distributed (the central limit theorem
// makes that so for a sum over many requests; a few seeds of a quantity
// with rare large jumps can still mislead, and Min and Max show it).
//
// Half is Student's t quantile at 97.5% with N-1 degrees of freedom times
// the standard error s/sqrt(N). With one sample there is no spread to
// measure: Half is NaN and the JSON writes it as null.
type Estimate struct {
	N    int     `json:"n"`
	Mean float64 `json:"mean"`
	Half float64 `json:"ci95"`
	Min  float64 `json:"min"`
	Max  float64 `json:"max"`
}

// Of estimates the mean of xs. It is the zero Estimate for no samples.
func Of(xs []float64) Estimate {
	if len(xs) == 0 {
		return Estimate{}
	}
	e := Estimate{N: len(xs), Mean: stat.Mean(xs, nil), Half: math.NaN(), Min: xs[0], Max: xs[0]}
	for _, x := range xs {
		e.Min, e.Max = min(e.Min, x), max(e.Max, x)
	}
	if len(xs) > 1 {
		// Every sample equal: no spread, and no rounding noise from the
		// variance either.
		if e.Min == e.Max {
			e.Mean, e.Half = e.Min, 0
			return e
		}
		sd := stat.StdDev(xs, nil) // the unbiased estimate, N-1
		t := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: float64(len(xs) - 1)}.Quantile(1 - (1-Level)/2)
		e.Half = t * sd / math.Sqrt(float64(len(xs)))
	}
	return e
}

// Format writes the estimate as "mean +/- half", each number written by
// number, or "mean (one seed)" when there is no interval.
func (e Estimate) Format(number func(float64) string) string {
	if e.N == 0 {
		return "none"
	}
	if math.IsNaN(e.Half) {
		return number(e.Mean) + " (one seed)"
	}
	return fmt.Sprintf("%s +/- %s", number(e.Mean), number(e.Half))
}

// MarshalJSON writes a NaN half-width as null: JSON has no NaN.
func (e Estimate) MarshalJSON() ([]byte, error) {
	half := "null"
	if !math.IsNaN(e.Half) {
		half = jsonNumber(e.Half)
	}
	return fmt.Appendf(nil, `{"n":%d,"mean":%s,"ci95":%s,"min":%s,"max":%s}`,
		e.N, jsonNumber(e.Mean), half, jsonNumber(e.Min), jsonNumber(e.Max)), nil
}

// UnmarshalJSON reads what MarshalJSON writes, null as NaN.
func (e *Estimate) UnmarshalJSON(b []byte) error {
	var raw struct {
		N              int
		Mean, Min, Max float64
		Half           *float64 `json:"ci95"`
	}
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	*e = Estimate{N: raw.N, Mean: raw.Mean, Min: raw.Min, Max: raw.Max, Half: math.NaN()}
	if raw.Half != nil {
		e.Half = *raw.Half
	}
	return nil
}

// jsonNumber writes f as encoding/json writes a float64, so an Estimate
// reads like the numbers around it. f is finite: the mean and spread of
// finite samples.
func jsonNumber(f float64) string {
	b, err := json.Marshal(f)
	if err != nil {
		return "null"
	}
	return string(b)
}
