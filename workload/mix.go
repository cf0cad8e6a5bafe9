package workload

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/ddbsim/ddbsim/model/units"
)

// MixEntry is one operation of a mix, with what is particular to it.
type MixEntry struct {
	Op     units.Op
	Weight float64 // any positive scale; weights are normalised
	// Consistency overrides the workload's read consistency for this
	// operation when HasConsistency is set.
	Consistency    units.Consistency
	HasConsistency bool
	// ConditionFailure is the probability that a write's condition
	// expression does not hold (ConditionalCheckFailedException).
	ConditionFailure float64
	// Insert makes a put write a new key (YCSB's insert): the workload's
	// Keyspace grows by one.
	Insert bool
	// ReadModifyWrite makes a get followed, once it succeeds, by an
	// update of the same item (YCSB's read-modify-write): two requests,
	// reported as a get and an update.
	ReadModifyWrite bool
}

// Mix chooses each request's operation by weight.
type Mix struct {
	entries []MixEntry
	cum     []float64 // cumulative weights, normalised so the last is 1
}

// NewMix builds a mix of plain operations and their weights.
func NewMix(ops []units.Op, weights []float64) (Mix, error) {
	if len(ops) != len(weights) {
		return Mix{}, fmt.Errorf("workload: a mix needs one weight per operation")
	}
	entries := make([]MixEntry, len(ops))
	for i := range ops {
		entries[i] = MixEntry{Op: ops[i], Weight: weights[i]}
	}
	return NewMixEntries(entries)
}

// NewMixEntries builds a mix from its entries.
func NewMixEntries(entries []MixEntry) (Mix, error) {
	if len(entries) == 0 {
		return Mix{}, fmt.Errorf("workload: a mix needs at least one operation")
	}
	total := 0.0
	for _, e := range entries {
		if w := e.Weight; w < 0 || math.IsNaN(w) || math.IsInf(w, 0) {
			return Mix{}, fmt.Errorf("workload: weight %v is not a finite non-negative number", w)
		}
		if p := e.ConditionFailure; p < 0 || p > 1 || math.IsNaN(p) {
			return Mix{}, fmt.Errorf("workload: condition failure ratio %v is not in [0, 1]", p)
		}
		if e.ConditionFailure > 0 && !e.Op.IsWrite() {
			return Mix{}, fmt.Errorf("workload: %v is not a write; only writes carry conditions", e.Op)
		}
		total += e.Weight
	}
	if total <= 0 {
		return Mix{}, fmt.Errorf("workload: mix weights sum to zero")
	}
	m := Mix{entries: append([]MixEntry(nil), entries...)}
	acc := 0.0
	for _, e := range entries {
		acc += e.Weight
		m.cum = append(m.cum, acc/total)
	}
	m.cum[len(m.cum)-1] = 1
	return m, nil
}

// Next draws an operation.
func (m *Mix) Next(r *rand.Rand) units.Op { return m.NextEntry(r).Op }

// NextEntry draws an entry; the pointer is into the mix and must not be
// changed.
func (m *Mix) NextEntry(r *rand.Rand) *MixEntry {
	if len(m.entries) == 1 {
		return &m.entries[0]
	}
	u := r.Float64()
	for i, c := range m.cum {
		if u < c {
			return &m.entries[i]
		}
	}
	return &m.entries[len(m.entries)-1]
}

// Ops returns the operations of the mix.
func (m *Mix) Ops() []units.Op {
	ops := make([]units.Op, len(m.entries))
	for i, e := range m.entries {
		ops[i] = e.Op
	}
	return ops
}

// Entries returns the mix's entries.
func (m *Mix) Entries() []MixEntry { return m.entries }

// Weight is entry i's share of the mix (of Entries), the shares summing
// to 1.
func (m Mix) Weight(i int) float64 {
	if i == 0 {
		return m.cum[0]
	}
	return m.cum[i] - m.cum[i-1]
}
