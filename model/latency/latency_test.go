package latency

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/ddbsim/ddbsim/model/units"
	"github.com/ddbsim/ddbsim/sim"
)

// pageBytes is a full Query page, 1 MB.
const pageBytes = 1 << 20

func quantile(sorted []sim.Time, q float64) sim.Time {
	return sorted[int(q*float64(len(sorted)-1))]
}

// REFERENCE: latency — service time is a lognormal given by its median and
// p99. With 200,000 draws the empirical median is within 1% of the
// parameter and the empirical p99 within 3% (the p99 of a sample this size
// has a relative standard error of about 1% for these spreads).
func TestLognormalQuantiles(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, l := range []Lognormal{
		{2500 * sim.Microsecond, 10 * sim.Millisecond},
		{3 * sim.Millisecond, 12 * sim.Millisecond},
		{100 * sim.Microsecond, 400 * sim.Microsecond},
	} {
		draws := make([]sim.Time, 200_000)
		for i := range draws {
			draws[i] = l.Sample(r)
		}
		slices.Sort(draws)
		if med := quantile(draws, 0.5); !within(med, l.Median, 0.01) {
			t.Errorf("%+v: median %v", l, med)
		}
		if p99 := quantile(draws, 0.99); !within(p99, l.P99, 0.03) {
			t.Errorf("%+v: p99 %v", l, p99)
		}
	}
}

func within(got, want sim.Time, rel float64) bool {
	d := float64(got-want) / float64(want)
	return d <= rel && d >= -rel
}

// A degenerate lognormal (p99 no larger than the median) is a constant.
func TestLognormalConstant(t *testing.T) {
	l := Lognormal{Median: 5 * sim.Millisecond, P99: 5 * sim.Millisecond}
	if got := l.Sample(rand.New(rand.NewPCG(1, 1))); got != 5*sim.Millisecond {
		t.Fatalf("Sample = %v", got)
	}
}

// REFERENCE: latency — "GetItem median ~2.5 ms, p99 ~10 ms" is the
// default; strongly consistent reads are slower; Query and Scan grow with
// the bytes they read.
func TestDefaultLatency(t *testing.T) {
	m := DefaultLatency()
	if m.Base[units.OpGet] != (Lognormal{2500 * sim.Microsecond, 10 * sim.Millisecond}) {
		t.Errorf("GetItem default %+v", m.Base[units.OpGet])
	}
	for op := range units.NumOps {
		if b := m.Base[op]; b.Median <= 0 || b.P99 < b.Median {
			t.Errorf("%v: default %+v is not a latency distribution", op, b)
		}
	}
	median := func(op units.Op, c units.Consistency, bytes int) sim.Time {
		r := rand.New(rand.NewPCG(7, 7))
		draws := make([]sim.Time, 20_001)
		for i := range draws {
			draws[i] = m.Service(r, op, c, bytes)
		}
		slices.Sort(draws)
		return quantile(draws, 0.5)
	}
	eventual, strong := median(units.OpGet, units.Eventual, 1024), median(units.OpGet, units.Strong, 1024)
	if !within(strong, sim.Time(float64(eventual)*m.StrongFactor), 0.001) {
		t.Errorf("strong median %v, eventual %v, factor %v", strong, eventual, m.StrongFactor)
	}
	if w, ws := median(units.OpPut, units.Eventual, 0), median(units.OpPut, units.Strong, 0); w != ws {
		t.Errorf("a write marked strong took %v, not %v: consistency is a read setting", ws, w)
	}
	small, page := median(units.OpQuery, units.Eventual, 1024), median(units.OpQuery, units.Eventual, pageBytes)
	if got, want := page-small, m.PerKB*1023; got != want {
		t.Errorf("a 1 MB page adds %v over a 1 KB one, want %v", got, want)
	}
	if got, want := median(units.OpGet, units.Eventual, pageBytes), eventual; got != want {
		t.Errorf("GetItem grew with bytes: %v vs %v", got, want)
	}
}

// TestLognormalTableError pins the quantile table's accuracy: across the
// interpolated cells, at the middle of each cell (where a straight line
// strays furthest from the curve) and at points inside it, the value drawn
// is within 2e-4 of the exact quantile, relatively, for spreads from
// GetItem's default (p99 four times the median) to a p99 ten times it; the
// exact cells at the ends are exact to floating point.
func TestLognormalTableError(t *testing.T) {
	for _, l := range []Lognormal{
		{2500 * sim.Microsecond, 10 * sim.Millisecond},
		{sim.Millisecond, 10 * sim.Millisecond},
		{250 * sim.Microsecond, 300 * sim.Microsecond},
	} {
		p := l.params()
		worst := 0.0
		for cell := 0; cell < quantileCells; cell++ {
			for _, frac := range []float64{0, 0.25, 0.5, 0.75} {
				u := (float64(cell) + frac) / quantileCells
				if u == 0 {
					continue
				}
				// The draw whose top bits are the cell and whose next bits
				// are frac.
				bitsU := uint64(cell)<<(64-quantileBits) | uint64(frac*(1<<(64-quantileBits)))
				got := float64(p.sample(rand.New(constSource(bitsU))))
				want := p.quantile(u, 1-u)
				if rel := math.Abs(got-want) / want; rel > worst {
					worst = rel
				}
			}
		}
		// sim.Time truncates to a nanosecond: allow for it.
		if worst > 2e-4+1/float64(l.Median/10) {
			t.Errorf("%+v: largest relative error %.2e, want <= 2e-4", l, worst)
		}
	}
}

// constSource is a rand.Source that always gives the same number.
type constSource uint64

func (c constSource) Uint64() uint64 { return uint64(c) }
