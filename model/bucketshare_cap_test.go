package model

import (
	"testing"

	"github.com/ddbsim/ddbsim/model/capacity"
	"github.com/ddbsim/ddbsim/model/units"
	"github.com/ddbsim/ddbsim/sim"
)

// A claim's cap that asks for more than an overloaded bucket leaves it
// has no charge at which its take meets the cap: the charge must climb
// to the arrivals, and the shares must agree with the charges they were
// solved for, or the classes take more than the refill. The first mix
// is a partition's ceiling in the long tier's property sweep: 318 writes
// of 583.029 units of ceiling load, of which the table passes 5, beside
// 370 reads of under a unit; the cheap reads take 240 units first, so
// the writes can have 4.7 of the refill's 3,000, not 5. The plain
// iteration climbs by 5/4.73 a step and did not settle in 60; its last
// shares let 12 writes find room, 5 taken, 3,154 units in all. The
// second is a 400 KB-class write whose take stops growing at 0.911 of
// its cap of 1.
func TestSettleChargesWhenACapOutrunsTheBucket(t *testing.T) {
	for _, tt := range []struct {
		r       float64
		classes []priceClass
	}{
		{3000, []priceClass{{price: 583.029, arrive: 318, cap: 5}, {price: 0.690, arrive: 246, cap: 246}, {price: 0.562, arrive: 124, cap: 124}}},
		{750, []priceClass{{price: 0.002, arrive: 15, cap: 15}, {price: 823.149, arrive: 681, cap: 1}}},
	} {
		bs := bucketShares{classes: tt.classes}
		bs.settleCharges(tt.r)
		taken := 0.0
		for _, c := range bs.classes {
			if next := min(c.arrive, c.cap/c.pass); c.pass > 0 && c.charge < next*(1-1e-9) {
				t.Errorf("r %v: %+v: charge %v, its share asks %v", tt.r, c, c.charge, next)
			}
			taken += min(c.arrive*c.pass, c.cap) * c.price
		}
		if taken > tt.r*(1+1e-9) {
			t.Errorf("r %v: classes %+v take %v", tt.r, bs.classes, taken)
		}
		if dear := bs.classes[len(tt.classes)-1]; dear.price > 500 && dear.charge != dear.arrive {
			t.Errorf("r %v: the dear class's charge %v, want its arrivals %v", tt.r, dear.charge, dear.arrive)
		}
	}
}

// divideBucket never lets claims take more of a bucket than it holds at
// the interval's start and refills over it: the failing case above,
// whole, on a ceiling holding 18.772 units with 1s to run; and a bucket
// 1,500 units in debt whose one claim's cap (2,000 of 10,000) is under
// the refill but over what is left once the debt is repaid, which the
// stationary half of the interval must meet with its cap whole.
func TestDivideBucketGivesNoMoreThanItHolds(t *testing.T) {
	ru := func(f float64) units.Units { return units.Units(f * float64(units.Unit)) }
	for _, tt := range []struct {
		name   string
		tokens units.Units
		claims []claim
	}{
		{"a dear cap beside cheap reads", ru(18.772), []claim{
			{n: 318, cap: 5, price: ru(583.029)}, {n: 246, cap: 246, price: ru(0.690)}, {n: 124, cap: 124, price: ru(0.562)}}},
		{"a cap in debt", ru(-1500), []claim{{n: 10000, cap: 2000, price: units.Unit}}},
	} {
		from := 79*sim.Second + 250*sim.Millisecond
		b := capacity.NewTokenBucketAt(from, units.WholeUnits(3000), units.WholeUnits(3000), tt.tokens)
		var cs countState
		cs.divideBucket(&b, from, sim.Second, 0, tt.claims)
		avail := tt.tokens + units.WholeUnits(3000)
		took := claimsTake(tt.claims, func(c *claim, _ float64) int64 { return c.k }, 0)
		if took > avail {
			t.Errorf("%s: claims %+v take %v, the bucket gives %v", tt.name, tt.claims, took, avail)
		}
		// What the bucket gives goes: no more than a request of the
		// dearest price is left over.
		if left := avail - took; left > tt.claims[0].price {
			t.Errorf("%s: claims %+v take %v, %v left", tt.name, tt.claims, took, left)
		}
		t.Logf("%s: %+v take %v of %v", tt.name, tt.claims, took, avail)
	}
}
