package workload

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/ddbsim/ddbsim/model"
)

// Mix chooses each request's operation by weight.
type Mix struct {
	ops []model.Op
	cum []float64 // cumulative weights, normalised so the last is 1
}

// NewMix builds a mix from operations and their weights (any positive
// scale; they are normalised).
func NewMix(ops []model.Op, weights []float64) (Mix, error) {
	if len(ops) == 0 || len(ops) != len(weights) {
		return Mix{}, fmt.Errorf("workload: a mix needs one weight per operation")
	}
	total := 0.0
	for _, w := range weights {
		if w < 0 || math.IsNaN(w) || math.IsInf(w, 0) {
			return Mix{}, fmt.Errorf("workload: weight %v is not a finite non-negative number", w)
		}
		total += w
	}
	if total <= 0 {
		return Mix{}, fmt.Errorf("workload: mix weights sum to zero")
	}
	m := Mix{ops: append([]model.Op(nil), ops...)}
	acc := 0.0
	for _, w := range weights {
		acc += w
		m.cum = append(m.cum, acc/total)
	}
	m.cum[len(m.cum)-1] = 1
	return m, nil
}

// Next draws an operation.
func (m *Mix) Next(r *rand.Rand) model.Op {
	if len(m.ops) == 1 {
		return m.ops[0]
	}
	u := r.Float64()
	for i, c := range m.cum {
		if u < c {
			return m.ops[i]
		}
	}
	return m.ops[len(m.ops)-1]
}

// Ops returns the operations of the mix.
func (m *Mix) Ops() []model.Op { return m.ops }
