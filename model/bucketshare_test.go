package model

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// For one price the stationary balance admits exactly the refill: a
// share r/(mu c) of the arrivals finds room, whatever the overload.
func TestStationaryPassOnePrice(t *testing.T) {
	for _, tt := range []struct{ r, mu, c float64 }{
		{3000, 1000, 6}, {3000, 5000, 1}, {1000, 1e6, 1}, {1000, 1001, 1}, {3000, 2000, 3},
	} {
		bs := bucketShares{classes: []priceClass{{price: tt.c, arrive: tt.mu, cap: tt.mu, charge: tt.mu}}}
		bs.stationaryPass(tt.r)
		want := tt.r / (tt.mu * tt.c)
		if got := bs.classes[0].pass; math.Abs(got-want) > 1e-3*want {
			t.Errorf("r %v, mu %v, c %v: pass %v, want %v", tt.r, tt.mu, tt.c, got, want)
		}
	}
}

// Whatever the prices and rates, an overloaded bucket's stationary
// balance admits exactly its refill (what the classes take sums to r),
// and a dearer price passes no more often than a cheaper one. The mixes
// run from barely overloaded to a thousand times over, with prices from
// half a unit to a 400 KB write's 1,200 units of a ceiling.
func TestStationaryPassKeepsTheRefill(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	prices := []float64{0.5, 1, 2.5, 3, 6, 15, 120, 1200}
	for trial := range 300 {
		refill := 3000.0
		var bs bucketShares
		for range 1 + r.IntN(4) {
			p := prices[r.IntN(len(prices))]
			if slices.IndexFunc(bs.classes, func(c priceClass) bool { return c.price == p }) >= 0 {
				continue
			}
			bs.classes = append(bs.classes, priceClass{price: p})
		}
		// The load over the refill, spread over the classes at random.
		over := math.Pow(1000, r.Float64()) * (1 + 1e-3)
		weights := make([]float64, len(bs.classes))
		total := 0.0
		for i := range weights {
			weights[i] = r.Float64() + 0.01
			total += weights[i]
		}
		for i := range bs.classes {
			c := &bs.classes[i]
			c.charge = over * refill * weights[i] / total / c.price
		}
		exact := bs.stationaryPass(refill)
		if math.Abs(exact-1) > 0.01 {
			t.Errorf("trial %d: %.3gx over, classes %+v: the grid takes %.4g of the refill", trial, over, bs.classes, exact)
		}
		taken := 0.0
		for i, c := range bs.classes {
			if c.pass < 0 || c.pass > 1 || math.IsNaN(c.pass) {
				t.Fatalf("trial %d: %+v: pass %v", trial, bs.classes, c.pass)
			}
			for _, d := range bs.classes[i+1:] {
				if (c.price < d.price) != (c.pass >= d.pass) && c.pass != d.pass {
					t.Errorf("trial %d: price %v passes %v, price %v passes %v", trial, c.price, c.pass, d.price, d.pass)
				}
			}
			taken += c.charge * c.price * c.pass
		}
		if math.Abs(taken-refill) > 1e-9*refill {
			t.Errorf("trial %d: %.3gx over, classes %+v take %.1f of a refill of %v", trial, over, bs.classes, taken, refill)
		}
	}
}

// The stationary shares are those of a token bucket simulated request by
// request: Poisson arrivals of each price at its rate, the balance
// climbing at r between them. Four million arrivals put the simulated
// shares within about 1e-3 of their limits.
func TestStationaryPassMatchesABucket(t *testing.T) {
	for _, mix := range [][]priceClass{
		{{price: 0.5, charge: 500}, {price: 3, charge: 1500}},
		{{price: 1, charge: 3000}, {price: 3, charge: 1000}},
		{{price: 0.5, charge: 2000}, {price: 2.5, charge: 600}, {price: 6, charge: 400}},
		{{price: 0.5, charge: 20000}, {price: 6, charge: 1000}},
		{{price: 1, charge: 100}, {price: 40, charge: 200}},
	} {
		const r = 3000.0
		bs := bucketShares{classes: slices.Clone(mix)}
		bs.stationaryPass(r)
		rng := rand.New(rand.NewPCG(1, 2))
		rate := 0.0
		for _, c := range mix {
			rate += c.charge
		}
		balance := 0.0
		tries, passed := make([]float64, len(mix)), make([]float64, len(mix))
		for range 4_000_000 {
			balance = min(balance+r*rng.ExpFloat64()/rate, 3000)
			i, u := 0, rng.Float64()*rate
			for u >= mix[i].charge {
				u -= mix[i].charge
				i++
			}
			tries[i]++
			if balance >= mix[i].price {
				balance -= mix[i].price
				passed[i]++
			}
		}
		for i, c := range bs.classes {
			if sim := passed[i] / tries[i]; math.Abs(c.pass-sim) > 3e-3 {
				t.Errorf("%+v: price %v passes %.4f, %.4f simulated", mix, c.price, c.pass, sim)
			}
		}
	}
}
