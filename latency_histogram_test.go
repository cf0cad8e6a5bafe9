package ddbsim

import (
	"math"
	"testing"
	"time"

	"github.com/HdrHistogram/hdrhistogram-go"

	"github.com/ddbsim/ddbsim/scenarios"
)

// A result's encoded latency histogram decodes to one value per finished
// request, and its percentiles are the result's, to the histogram's 3
// significant digits; under both drivers.
func TestResultLatencyHistogram(t *testing.T) {
	for _, fidelity := range []Fidelity{FidelityRequest, FidelityAggregate} {
		sc, err := scenarios.Builtin("web-backend")
		if err != nil {
			t.Fatal(err)
		}
		sc.Duration = 12 * time.Minute // into the spike: retries and throttles
		s, err := Build(sc, Options{Seed: 3, Fidelity: fidelity})
		if err != nil {
			t.Fatal(err)
		}
		res, err := s.Run()
		if err != nil {
			t.Fatal(err)
		}
		h, err := hdrhistogram.Decode([]byte(res.LatencyHistogram))
		if err != nil {
			t.Fatalf("%s: %v", fidelity, err)
		}
		if h.TotalCount() != res.Requests.Total {
			t.Errorf("%s: %d values for %d requests", fidelity, h.TotalCount(), res.Requests.Total)
		}
		for _, q := range []struct {
			p    float64
			want float64
		}{{50, res.LatencyMs.P50}, {99, res.LatencyMs.P99}} {
			got := float64(h.ValueAtQuantile(q.p)) / 1000
			if math.Abs(got-q.want) > 0.002*q.want+0.001 {
				t.Errorf("%s: p%g %g ms from the histogram, %g in the result", fidelity, q.p, got, q.want)
			}
		}
	}
}
