package workload

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/ddbsim/ddbsim/model/units"
)

// TestNewMixErrors pins NewMix's validation: one weight per operation, at
// least one operation, no negative weight, and a positive total.
func TestNewMixErrors(t *testing.T) {
	get, put := units.OpGet, units.OpPut
	cases := []struct {
		name    string
		ops     []units.Op
		weights []float64
	}{
		{"empty", nil, nil},
		{"no weights", []units.Op{get}, nil},
		{"too many weights", []units.Op{get}, []float64{1, 1}},
		{"too few weights", []units.Op{get, put}, []float64{1}},
		{"negative", []units.Op{get, put}, []float64{2, -1}},
		{"all zero", []units.Op{get, put}, []float64{0, 0}},
	}
	for _, c := range cases {
		if _, err := NewMix(c.ops, c.weights); err == nil {
			t.Errorf("%s: NewMix(%v, %v) accepted it", c.name, c.ops, c.weights)
		}
	}
}

// TestNewMixRejectsNonFiniteWeights pins that, like NewProfile with rates,
// NewMix treats NaN and infinite weights as bad data.
func TestNewMixRejectsNonFiniteWeights(t *testing.T) {
	for _, w := range []float64{math.NaN(), math.Inf(1), math.Inf(-1)} {
		if _, err := NewMix([]units.Op{units.OpGet, units.OpPut}, []float64{w, 1}); err == nil {
			t.Errorf("NewMix(get, put; %v, 1) accepted it", w)
		}
	}
}

// TestNewMixNormalises pins that weights are normalised: their scale does
// not matter, and the cumulative shares end at exactly 1.
func TestNewMixNormalises(t *testing.T) {
	ops := []units.Op{units.OpGet, units.OpPut, units.OpQuery}
	want := []float64{0.2, 0.5, 1}
	for _, weights := range [][]float64{{20, 30, 50}, {0.2, 0.3, 0.5}, {2, 3, 5}, {2e9, 3e9, 5e9}} {
		m, err := NewMix(ops, weights)
		if err != nil {
			t.Fatalf("NewMix(%v): %v", weights, err)
		}
		for i := range want {
			if math.Abs(m.cum[i]-want[i]) > 1e-12 {
				t.Errorf("NewMix(%v): cumulative shares %v, want %v", weights, m.cum, want)
				break
			}
		}
		if m.cum[len(m.cum)-1] != 1 {
			t.Errorf("NewMix(%v): last cumulative share %v, want exactly 1", weights, m.cum[len(m.cum)-1])
		}
	}
}

// TestNewMixCopiesOps pins that the mix keeps its own copy of the
// operations: the caller may reuse its slice.
func TestNewMixCopiesOps(t *testing.T) {
	ops := []units.Op{units.OpGet, units.OpPut}
	m, err := NewMix(ops, []float64{1, 1})
	if err != nil {
		t.Fatal(err)
	}
	ops[0] = units.OpScan
	if got := m.Ops(); !slices.Equal(got, []units.Op{units.OpGet, units.OpPut}) {
		t.Errorf("Ops() = %v after the caller changed its slice", got)
	}
}

// TestMixShares pins that operations are drawn in proportion to their
// weights. With 200,000 draws a share p has a standard deviation of
// sqrt(p(1-p)/200000) <= 0.0011; the bound, 0.006, is over 5 of them. An
// operation of weight 0 is never drawn, wherever it sits in the list.
func TestMixShares(t *testing.T) {
	const draws = 200_000
	cases := []struct {
		ops     []units.Op
		weights []float64
	}{
		{[]units.Op{units.OpGet, units.OpPut}, []float64{95, 5}},
		{[]units.Op{units.OpGet, units.OpPut, units.OpUpdate, units.OpQuery}, []float64{1, 2, 3, 4}},
		{[]units.Op{units.OpDelete, units.OpGet, units.OpScan, units.OpPut}, []float64{0, 50, 0, 50}},
		{[]units.Op{units.OpGet, units.OpPut}, []float64{1, 0}},
	}
	r := rand.New(rand.NewPCG(8, 8))
	for _, c := range cases {
		m, err := NewMix(c.ops, c.weights)
		if err != nil {
			t.Fatal(err)
		}
		var counts [units.NumOps]int
		for range draws {
			counts[m.Next(r)]++
		}
		total := 0.0
		for _, w := range c.weights {
			total += w
		}
		for i, op := range c.ops {
			share, want := float64(counts[op])/draws, c.weights[i]/total
			if c.weights[i] == 0 && counts[op] != 0 {
				t.Errorf("%v %v: %v has weight 0 but was drawn %d times", c.ops, c.weights, op, counts[op])
			}
			if math.Abs(share-want) > 0.006 {
				t.Errorf("%v %v: %v drawn %.4f of the time, want %.4f", c.ops, c.weights, op, share, want)
			}
		}
	}
}

// TestMixSingleOp pins the single-operation shortcut: it always returns
// that operation and draws no random number, so a one-op mix does not
// shift the key and size draws that share its stream.
func TestMixSingleOp(t *testing.T) {
	m, err := NewMix([]units.Op{units.OpPut}, []float64{3})
	if err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewPCG(4, 4))
	for range 100 {
		if op := m.Next(r); op != units.OpPut {
			t.Fatalf("Next() = %v, want put", op)
		}
	}
	if got, want := r.Uint64(), rand.New(rand.NewPCG(4, 4)).Uint64(); got != want {
		t.Errorf("a single-op mix consumed randomness")
	}
}
