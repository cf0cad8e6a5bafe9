package interval

import (
	"encoding/json"
	"fmt"
	"math"
	"testing"
)

func TestOf(t *testing.T) {
	for _, c := range []struct {
		name             string
		xs               []float64
		mean, half       float64
		wantNaNHalf      bool
		wantN            int
		wantMin, wantMax float64
	}{
		// s = sqrt(2.5) = 1.5811; t(0.975, 4) = 2.7764 (any t table);
		// half = 2.7764 x 1.5811 / sqrt(5) = 1.9632.
		{name: "five", xs: []float64{1, 2, 3, 4, 5}, mean: 3, half: 1.9632, wantN: 5, wantMin: 1, wantMax: 5},
		// Two samples: t(0.975, 1) = 12.706, s = 0.7071, half = 6.353.
		{name: "two", xs: []float64{10, 11}, mean: 10.5, half: 6.3531, wantN: 2, wantMin: 10, wantMax: 11},
		// Twenty samples alternating 0 and 1: s = 0.5130, t(0.975, 19) = 2.0930.
		{name: "twenty", xs: alternating(20), mean: 0.5, half: 0.2401, wantN: 20, wantMin: 0, wantMax: 1},
		{name: "equal", xs: []float64{7, 7, 7}, mean: 7, half: 0, wantN: 3, wantMin: 7, wantMax: 7},
		{name: "one", xs: []float64{4}, mean: 4, wantNaNHalf: true, wantN: 1, wantMin: 4, wantMax: 4},
	} {
		t.Run(c.name, func(t *testing.T) {
			e := Of(c.xs)
			if e.N != c.wantN || e.Min != c.wantMin || e.Max != c.wantMax {
				t.Errorf("n, min, max = %d, %g, %g; want %d, %g, %g", e.N, e.Min, e.Max, c.wantN, c.wantMin, c.wantMax)
			}
			if math.Abs(e.Mean-c.mean) > 1e-9 {
				t.Errorf("mean %g, want %g", e.Mean, c.mean)
			}
			if c.wantNaNHalf {
				if !math.IsNaN(e.Half) {
					t.Errorf("half %g, want NaN", e.Half)
				}
				return
			}
			if math.Abs(e.Half-c.half) > 5e-4 {
				t.Errorf("half %.4f, want %.4f", e.Half, c.half)
			}
		})
	}
	if e := Of(nil); e.N != 0 || e.Format(nil) != "none" {
		t.Errorf("no samples: %+v", e)
	}
}

func alternating(n int) []float64 {
	xs := make([]float64, n)
	for i := range xs {
		xs[i] = float64(i % 2)
	}
	return xs
}

func TestJSONRoundTrip(t *testing.T) {
	for _, e := range []Estimate{Of([]float64{1, 2, 3}), Of([]float64{4})} {
		b, err := json.Marshal(e)
		if err != nil {
			t.Fatal(err)
		}
		var back Estimate
		if err := json.Unmarshal(b, &back); err != nil {
			t.Fatal(err)
		}
		if back.N != e.N || back.Mean != e.Mean || back.Min != e.Min || back.Max != e.Max ||
			!(back.Half == e.Half || math.IsNaN(back.Half) && math.IsNaN(e.Half)) {
			t.Errorf("%s read back as %+v", b, back)
		}
	}
	b, _ := json.Marshal(Of([]float64{4}))
	if string(b) != `{"n":1,"mean":4,"ci95":null,"min":4,"max":4}` {
		t.Errorf("one sample writes %s", b)
	}
}

func ExampleEstimate_Format() {
	cost := Of([]float64{268.1, 265.2, 270.4, 267.9, 268.8})
	fmt.Println("monthly cost", cost.Format(func(x float64) string { return fmt.Sprintf("$%.2f", x) }))
	// Output: monthly cost $268.08 +/- $2.34
}
