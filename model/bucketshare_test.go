package model

import (
	"math"
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
