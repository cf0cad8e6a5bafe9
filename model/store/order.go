package store

import (
	"cmp"
	"strconv"
	"strings"
)

// Key order: how the store sorts partition and sort keys, Numbers by
// value and Strings and Binaries by their bytes.

// Numbers before Strings before Binary values to stay total.
func keyRank(k Kind) int {
	switch k {
	case KindNumber:
		return 0
	case KindString:
		return 1
	case KindBinary:
		return 2
	}
	return 3 + int(k)
}

// CompareNumbers compares two Numbers by value given their canonical text
// (see ParseNumber), without big-number arithmetic: the sign decides
// first; between magnitudes, a longer integer part is larger (canonical
// text has no leading zeros), and equal lengths compare bytewise, because
// the decimal points then line up and no trailing zeros remain.
func CompareNumbers(a, b string) int { return compareNumbers(a, b) }

// compareNumbers is CompareNumbers over strings or byte slices, written with
// plain loops so that neither argument escapes: the hot path compares a
// stored Number with a synthetic index formatted into a stack buffer.
func compareNumbers[A, B string | []byte](a A, b B) int {
	an := len(a) > 0 && a[0] == '-'
	bn := len(b) > 0 && b[0] == '-'
	switch {
	case an && !bn:
		return -1
	case !an && bn:
		return 1
	case an:
		return -compareMagnitudes(a[1:], b[1:])
	}
	return compareMagnitudes(a, b)
}

func compareMagnitudes[A, B string | []byte](a A, b B) int {
	ia, ib := len(a), len(b)
	for i := 0; i < len(a); i++ {
		if a[i] == '.' {
			ia = i
			break
		}
	}
	for i := 0; i < len(b); i++ {
		if b[i] == '.' {
			ib = i
			break
		}
	}
	if ia != ib {
		return cmp.Compare(ia, ib)
	}
	for i := 0; i < len(a) && i < len(b); i++ {
		if a[i] != b[i] {
			return cmp.Compare(a[i], b[i])
		}
	}
	return cmp.Compare(len(a), len(b))
}

// CompareKeys orders two key values as the service orders sort keys:
// Numbers numerically, Strings and Binary values bytewise (values of
// different types by type: Number, String, Binary).
func CompareKeys(a, b Value) int {
	if a.kind != b.kind {
		return cmp.Compare(keyRank(a.kind), keyRank(b.kind))
	}
	if a.kind == KindNumber {
		return CompareNumbers(a.s, b.s)
	}
	return strings.Compare(a.s, b.s)
}

// compareValueInt compares v with the Number holding i.
func compareValueInt(v Value, i int64) int {
	if v.kind != KindNumber {
		return cmp.Compare(keyRank(v.kind), keyRank(KindNumber))
	}
	var buf [20]byte
	return compareNumbers(v.s, strconv.AppendInt(buf[:0], i, 10))
}

func compareSK(a, b skey) int {
	switch {
	case a.v.kind == KindNone && b.v.kind == KindNone:
		return cmp.Compare(a.idx, b.idx)
	case a.v.kind == KindNone:
		return -compareValueInt(b.v, a.idx)
	case b.v.kind == KindNone:
		return compareValueInt(a.v, b.idx)
	}
	return CompareKeys(a.v, b.v)
}

// searchIdx finds the entry whose sort key is the Number idx: its position
// or where it would be inserted. All-synthetic collections compare
