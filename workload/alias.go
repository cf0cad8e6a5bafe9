package workload

import "math/rand/v2"

// aliasTable draws an index from a fixed discrete distribution in constant
// time, with one random number and one memory access: Walker's alias
// method, built with Vose's numerically stable algorithm (M. D. Vose, "A
// linear algorithm for generating random numbers with a given
// distribution", IEEE Trans. Software Eng. 17(9), 1991).
//
// Each of the n slots keeps its own index with probability cut/2^32 and
// otherwise gives its alias. A draw takes slot ⌊hi·n/2^32⌋ from the
// random number's high 32 bits and compares its low 32 bits with the cut,
// so probabilities are resolved to 2^-32 and a slot's chance of being
// picked is within n/2^32 of 1/n in relative terms (2.3e-5 for 100k keys):
// far below what any run of ddbsim can observe.
type aliasTable struct {
	slots []aliasSlot
}

// aliasSlot is 8 bytes, so a draw reads one cache line.
type aliasSlot struct {
	cut   uint32 // keep the slot's own index when the low bits are below cut
	alias uint32 // the index given otherwise
}

// newAliasTable builds the table for weights w (non-negative, not all
// zero, at most 2^32 of them).
func newAliasTable(w []float64) *aliasTable {
	n := len(w)
	total := 0.0
	for _, x := range w {
		total += x
	}
	// scaled[i] is slot i's share times n: 1 is a slot exactly full.
	scaled := make([]float64, n)
	small := make([]uint32, 0, n)
	large := make([]uint32, 0, n)
	for i, x := range w {
		scaled[i] = x * float64(n) / total
		if scaled[i] < 1 {
			small = append(small, uint32(i))
		} else {
			large = append(large, uint32(i))
		}
	}
	t := &aliasTable{slots: make([]aliasSlot, n)}
	for len(small) > 0 && len(large) > 0 {
		s, l := small[len(small)-1], large[len(large)-1]
		small = small[:len(small)-1]
		t.slots[s] = aliasSlot{cut: cutOf(scaled[s]), alias: l}
		// The large slot gives away what filled the small one.
		scaled[l] -= 1 - scaled[s]
		if scaled[l] < 1 {
			large = large[:len(large)-1]
			small = append(small, l)
		}
	}
	// What remains is full up to rounding: each keeps its own index.
	for _, i := range append(small, large...) {
		t.slots[i] = aliasSlot{cut: cutOf(1), alias: i}
	}
	return t
}

// cutOf turns a slot's kept share p in [0, 1] into a 32-bit threshold. A
// full slot's alias is itself, so its cut does not matter.
func cutOf(p float64) uint32 {
	if p >= 1 {
		return 1<<32 - 1
	}
	return uint32(max(p, 0) * (1 << 32))
}

// next draws an index.
func (t *aliasTable) next(r *rand.Rand) int64 {
	u := r.Uint64()
	i := (u >> 32) * uint64(len(t.slots)) >> 32
	s := t.slots[i]
	if uint32(u) < s.cut {
		return int64(i)
	}
	return int64(s.alias)
}
