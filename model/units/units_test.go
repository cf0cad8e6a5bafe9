package units

import (
	"math/rand/v2"
	"testing"
)

// These tests pin REFERENCE.md#units, capacity-unit arithmetic. KB is 1024
// bytes; Units are thousandths, so 500 is half a unit.

const kb = 1024

func TestReadUnits(t *testing.T) {
	tests := []struct {
		name string
		size int
		c    Consistency
		want Units
	}{
		// "an item up to 4 KB costs 1 read unit strongly consistent, 0.5
		// eventually consistent, 2 transactional"
		{"1 B strong", 1, Strong, 1000},
		{"4 KB strong", 4 * kb, Strong, 1000},
		{"4 KB eventual", 4 * kb, Eventual, 500},
		{"4 KB transactional", 4 * kb, Transactional, 2000},
		{"3.5 KB strong", 3*kb + kb/2, Strong, 1000},
		// "Sizes round UP to a 4 KB multiple first"
		{"4 KB + 1 B strong", 4*kb + 1, Strong, 2000},
		{"5 KB strong", 5 * kb, Strong, 2000},
		{"5 KB eventual", 5 * kb, Eventual, 1000},
		{"5 KB transactional", 5 * kb, Transactional, 4000},
		// "80 KB eventually consistent = 10 units"
		{"80 KB eventual", 80 * kb, Eventual, 10000},
		{"80 KB strong", 80 * kb, Strong, 20000},
		// "Reading a missing item still costs 1 (strong) / 0.5 (eventual)"
		{"missing strong", 0, Strong, 1000},
		{"missing eventual", 0, Eventual, 500},
		{"missing transactional", 0, Transactional, 2000},
		{"400 KB strong", MaxItemSize, Strong, 100000},
		// An unknown consistency is priced as strong.
		{"unknown consistency", 4 * kb, Consistency(9), 1000},
	}
	for _, tt := range tests {
		if got := ReadUnits(tt.size, tt.c); got != tt.want {
			t.Errorf("%s: ReadUnits(%d, %v) = %v, want %v", tt.name, tt.size, tt.c, got, tt.want)
		}
	}
}

func TestWriteUnits(t *testing.T) {
	tests := []struct {
		name string
		size int
		c    Consistency
		want Units
	}{
		// "an item up to 1 KB costs 1 write unit, 2 transactional; sizes
		// round UP to a 1 KB multiple"
		{"1 B", 1, Strong, 1000},
		{"1 KB", kb, Strong, 1000},
		{"1 KB transactional", kb, Transactional, 2000},
		{"1 KB + 1 B", kb + 1, Strong, 2000},
		{"3.5 KB", 3*kb + kb/2, Strong, 4000},
		{"3.5 KB eventual is not cheaper", 3*kb + kb/2, Eventual, 4000},
		{"3.5 KB transactional", 3*kb + kb/2, Transactional, 8000},
		// A delete of a missing item, or an empty write, costs at least 1.
		{"missing", 0, Strong, 1000},
		{"missing transactional", 0, Transactional, 2000},
		{"400 KB", MaxItemSize, Strong, 400000},
	}
	for _, tt := range tests {
		if got := WriteUnits(tt.size, tt.c); got != tt.want {
			t.Errorf("%s: WriteUnits(%d, %v) = %v, want %v", tt.name, tt.size, tt.c, got, tt.want)
		}
	}
}

func TestQueryAndScanUnits(t *testing.T) {
	// A Query of 10 items totalling 40.8 KB "sums the sizes ... and rounds
	// once": ceil(40.8 / 4) = 11 blocks.
	size40_8 := 40*kb + 8*kb/10 // 41779 B
	sizes := make([]int, 10)
	for i := range sizes {
		sizes[i] = size40_8 / 10
	}
	sizes[0] += size40_8 % 10
	total := 0
	for _, s := range sizes {
		total += s
	}
	if total != size40_8 {
		t.Fatalf("test setup: total %d", total)
	}
	for _, tt := range []struct {
		c    Consistency
		want Units
	}{{Strong, 11000}, {Eventual, 5500}, {Transactional, 22000}} {
		if got := QueryUnits(total, tt.c); got != tt.want {
			t.Errorf("QueryUnits(40.8 KB, %v) = %v, want %v", tt.c, got, tt.want)
		}
		if got := ScanUnits(total, tt.c); got != tt.want {
			t.Errorf("ScanUnits(40.8 KB, %v) = %v, want %v", tt.c, got, tt.want)
		}
	}
	// The same ten items read by BatchGetItem round one by one: each 4.08 KB
	// item is 2 blocks.
	if got := BatchGetUnits(sizes, Strong); got != 20000 {
		t.Errorf("BatchGetUnits(10 × 4.08 KB) = %v, want 20", got)
	}
	// An empty result still costs the minimum.
	if QueryUnits(0, Strong) != 1000 || QueryUnits(0, Eventual) != 500 || ScanUnits(0, Eventual) != 500 {
		t.Error("empty Query/Scan is not the minimum")
	}
}

func TestBatchGetUnits(t *testing.T) {
	// Items of 1.5 KB and 6.5 KB: BatchGetItem "rounds each item separately,
	// then sums" = 1 + 2 = 3; a Query reading the same "rounds once":
	// round(8 KB) = 2.
	sizes := []int{kb + kb/2, 6*kb + kb/2}
	if got := BatchGetUnits(sizes, Strong); got != 3000 {
		t.Errorf("BatchGetUnits = %v, want 3", got)
	}
	if got := QueryUnits(sizes[0]+sizes[1], Strong); got != 2000 {
		t.Errorf("QueryUnits = %v, want 2", got)
	}
	if got := BatchGetUnits(sizes, Eventual); got != 1500 {
		t.Errorf("BatchGetUnits eventual = %v, want 1.5", got)
	}
	// A missing item in the batch costs the single-item minimum.
	if got := BatchGetUnits([]int{0, 0}, Eventual); got != 1000 {
		t.Errorf("BatchGetUnits(2 missing) = %v, want 1", got)
	}
	if BatchGetUnits(nil, Strong) != 0 {
		t.Error("empty batch costs something")
	}
}

func TestWriteRules(t *testing.T) {
	tests := []struct {
		name string
		got  Units
		want Units
	}{
		// "PutItem over an existing item ... charge[s] the larger of the old
		// and new item": replacing 3 KB with 1 KB costs 3.
		{"put 1 KB over 3 KB", PutUnits(3*kb, kb, true), 3000},
		{"put 3 KB over 1 KB", PutUnits(kb, 3*kb, true), 3000},
		{"put 1 KB new", PutUnits(3*kb, kb, false), 1000},
		{"put 2.5 KB new", PutUnits(0, 2*kb+kb/2, false), 3000},
		// "DeleteItem charges the deleted item's size"
		{"delete 3.5 KB", DeleteUnits(3*kb+kb/2, true), 4000},
		{"delete missing", DeleteUnits(5*kb, false), 1000},
		// "BatchWriteItem ... rounds each item separately": 1.5 + 0.5 KB = 2 + 1.
		{"batch write", BatchWriteUnits([]int{kb + kb/2, kb / 2}), 3000},
		{"batch write empty", BatchWriteUnits(nil), 0},
		// "A conditional write whose condition fails still consumes write
		// units: the new item's size if the item existed, 1 unit if it did not."
		{"failed condition, existed", ConditionalFailureUnits(kb, true, 2*kb+1), 3000},
		{"failed condition, missing", ConditionalFailureUnits(0, false, 10*kb), 1000},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s = %v, want %v", tt.name, tt.got, tt.want)
		}
	}
}

// TestUnitsProperties checks, on random sizes: BatchGetItem never costs
// less than a Query of the same items (rounding each item can only add);
// and every price is monotone in size.
func TestUnitsProperties(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 7))
	cs := []Consistency{Eventual, Strong, Transactional}
	for range 5000 {
		c := cs[r.IntN(len(cs))]
		sizes := make([]int, 1+r.IntN(100))
		total := 0
		for i := range sizes {
			sizes[i] = r.IntN(MaxItemSize + 1)
			if r.IntN(4) == 0 {
				sizes[i] = r.IntN(5 * kb) // small items, where rounding matters
			}
			total += sizes[i]
		}
		if b, q := BatchGetUnits(sizes, c), QueryUnits(total, c); b < q {
			t.Fatalf("BatchGetUnits(%v) = %v < QueryUnits(%d) = %v", sizes, b, total, q)
		}
		a := r.IntN(MaxItemSize)
		b := a + r.IntN(10*kb)
		if ReadUnits(a, c) > ReadUnits(b, c) || WriteUnits(a, c) > WriteUnits(b, c) ||
			PutUnits(a, a, true) > PutUnits(b, a, true) || QueryUnits(a, c) > QueryUnits(b, c) {
			t.Fatalf("not monotone between %d and %d (%v)", a, b, c)
		}
		// Eventual reads cost half of strong, transactional double.
		if ReadUnits(a, Eventual)*2 != ReadUnits(a, Strong) || ReadUnits(a, Transactional) != 2*ReadUnits(a, Strong) {
			t.Fatalf("consistency factors at %d", a)
		}
	}
}
