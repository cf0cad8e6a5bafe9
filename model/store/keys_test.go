package store

import (
	"hash/fnv"
	"math"
	mrand "math/rand"
	"testing"
	"testing/quick"
)

// HashKey is hash/fnv's FNV-1a 64 written inline, then Mix64; check it
// against the library on random keys.
func TestHashKeyMatchesFNV(t *testing.T) {
	lib := func(b []byte) uint64 {
		h := fnv.New64a()
		h.Write(b)
		return Mix64(h.Sum64())
	}
	if err := quick.CheckEqual(HashKey, lib, quickConfig(100)); err != nil {
		t.Error(err)
	}
	str := func(b []byte) uint64 { return HashString(string(b)) }
	if err := quick.CheckEqual(str, lib, quickConfig(100)); err != nil {
		t.Error(err)
	}
	// A pinned value: placement must never change between versions.
	if got := HashKey([]byte("k42")); got != 0xecf0bb541497653d || HashKey(nil) != Mix64(fnvOffset64) {
		t.Errorf("HashKey(k42) = %#x", got)
	}
}

// Sequential synthetic keys spread evenly over equal hash ranges: 10,000
// keys over 8 ranges hold 1,250 each, and a range within 5 standard
// deviations (binomial, about 33) of that passes; FNV-1a without the
// finaliser puts the first hundred keys in two ranges.
func TestHashKeySpreadsSequentialKeys(t *testing.T) {
	var ranges [8]int
	for i := range int64(10000) {
		ranges[HashKey(AppendSyntheticKey(nil, i))>>61]++
	}
	for r, n := range ranges {
		if n < 1250-165 || n > 1250+165 {
			t.Errorf("range %d holds %d of 10,000 keys, want 1,250 ± 165: %v", r, n, ranges)
		}
	}
	var first [8]int
	for i := range int64(100) {
		first[HashKey(AppendSyntheticKey(nil, i))>>61]++
	}
	for r, n := range first {
		if n == 0 {
			t.Errorf("none of k0..k99 in range %d: %v", r, first)
		}
	}
}

func TestAppendSyntheticKey(t *testing.T) {
	tests := []struct {
		i    int64
		want string
	}{{0, "k0"}, {42, "k42"}, {1000000, "k1000000"}, {-7, "k-7"}, {math.MaxInt64, "k9223372036854775807"}}
	for _, tt := range tests {
		if got := string(AppendSyntheticKey([]byte("x"), tt.i)); got != "x"+tt.want {
			t.Errorf("AppendSyntheticKey(%d) = %q", tt.i, got)
		}
	}
	buf := make([]byte, 0, 24)
	allocs := testing.AllocsPerRun(100, func() {
		buf = AppendSyntheticKey(buf[:0], 123456789)
		_ = HashKey(buf)
	})
	if allocs != 0 {
		t.Errorf("AppendSyntheticKey+HashKey allocate %v times", allocs)
	}
}

// quickConfig seeds testing/quick, so that a failure reproduces: run n
// cases from a fixed source.
func quickConfig(n int) *quick.Config {
	return &quick.Config{MaxCount: n, Rand: mrand.New(mrand.NewSource(1))}
}
