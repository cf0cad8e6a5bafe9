package store

import (
	"math"
	"strconv"
)

// FNV-1a 64-bit parameters, as in hash/fnv (FNV: Fowler, Noll, Vo;
// http://www.isthe.com/chongo/tech/comp/fnv/).
const (
	fnvOffset64 = 14695981039346656037
	fnvPrime64  = 1099511628211
)

// HashKey returns the partition-key hash that places an item: FNV-1a 64-bit
// over the key's bytes (the value hash/fnv.New64a computes, written inline
// so that it does not allocate), then MurmurHash3's 64-bit finaliser. The
// hash is stable across runs and machines (unlike hash/maphash), so
// partition placement and scan order are deterministic. Partitions own
// contiguous ranges of this hash (REFERENCE: partitions), and the store
// scans in (hash, key, sort key) order.
//
// The finaliser matters because partitions are chosen by the hash's top
// bits, and FNV-1a alone leaves those poorly mixed for short keys that
// differ in their last bytes: "k0" to "k99" land in two of eight equal
// ranges. After Mix64 every output bit depends on every input bit.
func HashKey(pk []byte) uint64 {
	h := uint64(fnvOffset64)
	for _, c := range pk {
		h ^= uint64(c)
		h *= fnvPrime64
	}
	return Mix64(h)
}

// HashString is HashKey over a string's bytes, for keys held as strings.
func HashString(pk string) uint64 {
	h := uint64(fnvOffset64)
	for i := 0; i < len(pk); i++ {
		h ^= uint64(pk[i])
		h *= fnvPrime64
	}
	return Mix64(h)
}

// Mix64 is the finaliser of Austin Appleby's MurmurHash3: a bijection on
// 64-bit values with full avalanche.
func Mix64(h uint64) uint64 {
	h ^= h >> 33
	h *= 0xff51afd7ed558ccd
	h ^= h >> 33
	h *= 0xc4ceb9fe1a85ec53
	h ^= h >> 33
	return h
}

// AppendSyntheticKey appends the partition key of the i-th synthetic key,
// "k" followed by i in decimal ("k42"), to dst. It does not allocate when
// dst has room. The synthetic item collection under that key holds items
// whose sort keys are Numbers 0, 1, 2, ... (the sort-key index).
func AppendSyntheticKey(dst []byte, i int64) []byte {
	return strconv.AppendInt(append(dst, 'k'), i, 10)
}

// ItemHash identifies an item (partition key hash and sort-key index).
func ItemHash(pkHash uint64, sk int64) uint64 {
	return pkHash ^ Mix64(uint64(sk)+0x632be59bd9b4e019)
}

// SyntheticIndex returns i for the synthetic key "k<i>", or -1.
func SyntheticIndex(key []byte) int64 {
	if len(key) < 2 || key[0] != 'k' {
		return -1
	}
	var v int64
	for _, b := range key[1:] {
		if b < '0' || b > '9' || v > (math.MaxInt64-9)/10 {
			return -1
		}
		v = v*10 + int64(b-'0')
	}
	return v
}
