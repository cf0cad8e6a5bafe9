package store

import (
	"math/bits"
	"slices"
	"strings"
	"unsafe"
)

// The store's growing parts come from its own slabs, so that a new item
// costs no allocation of its own: a bucket's collections and a
// collection's entries are slices carved from chunks, and a synthetic
// partition key is a substring of a chunk of key bytes. Chunks double up
// to a cap, so a table of n items makes O(log n) allocations for its
// first chunks and then one a chunk: one per several thousand new items.

// slabClasses is how many capacity classes a slab serves from its chunks:
// slices of 1, 2, 4, ... 2^(slabClasses-1) elements. A larger slice
// (a collection of more than 4,096 items) is made on its own: it grows by
// doubling, one allocation per thousands of items, and is left to the
// collector when it grows again.
const slabClasses = 13

// slabChunkBytes caps a chunk's size. A chunk stays alive while any slice
// carved from it is live or free, and freed slices are reused, so the cap
// bounds what a slab holds beyond its live and free slices to the rest of
// one chunk. 192 KiB is 4,096 collections or 8,192 entries: on voting,
// nearly every request a new item, the store allocates about once in
// 3,700 requests, and the run's peak heap is 82 MiB where one allocation
// per slice and key took 88.
const slabChunkBytes = 192 << 10

// slab hands out slices whose capacities are powers of two (a capacity
// class), carved from chunks it allocates, and takes back slices no longer
// used onto a free list per class, which it serves first. The zero value
// is an empty slab.
type slab[T any] struct {
	chunk []T // the current chunk's part not yet carved
	next  int // length of the next chunk
	free  [slabClasses][][]T
}

// classOf returns the capacity class of a slice of n elements: the
// smallest k with 2^k >= n.
func classOf(n int) int {
	if n <= 1 {
		return 0
	}
	return bits.Len(uint(n - 1))
}

// get returns an empty slice with room for n elements (capacity the power
// of two at or above n).
func (a *slab[T]) get(n int) []T {
	k := classOf(n)
	if k >= slabClasses {
		return make([]T, 0, 1<<k)
	}
	if f := a.free[k]; len(f) > 0 {
		s := f[len(f)-1]
		f[len(f)-1] = nil
		a.free[k] = f[:len(f)-1]
		return s
	}
	size := 1 << k
	if len(a.chunk) < size {
		a.newChunk(size)
	}
	s := a.chunk[:0:size]
	a.chunk = a.chunk[size:]
	return s
}

// newChunk starts a chunk of at least size elements, after freeing what is
// left of the current one in class-sized pieces.
func (a *slab[T]) newChunk(size int) {
	for rest := a.chunk; len(rest) > 0; {
		k := bits.Len(uint(len(rest))) - 1 // the largest class that fits
		a.put(rest[: 1<<k : 1<<k])
		rest = rest[1<<k:]
	}
	var zero T
	maxLen := slabChunkBytes / max(int(unsafe.Sizeof(zero)), 1)
	if a.next == 0 {
		a.next = 64
	}
	a.chunk = make([]T, max(a.next, size))
	a.next = min(2*a.next, max(maxLen, 1<<(slabClasses-1)))
}

// put takes back a slice that is no longer used, for get to hand out
// again. A slice whose capacity is not a class (a part of a preloaded
// array) or is above the classes is left to the collector. Its elements
// are cleared so that a free slice holds no pointer.
func (a *slab[T]) put(s []T) {
	c := cap(s)
	if c == 0 || c&(c-1) != 0 {
		return
	}
	k := bits.TrailingZeros(uint(c))
	if k >= slabClasses {
		return
	}
	s = s[:c]
	clear(s)
	a.free[k] = append(a.free[k], s[:0])
}

// insert inserts v at position i of s, moving s into a slice of the next
// class when it is full.
func (a *slab[T]) insert(s []T, i int, v T) []T {
	if len(s) < cap(s) {
		return slices.Insert(s, i, v)
	}
	t := a.get(len(s) + 1)[:len(s)+1]
	copy(t, s[:i])
	t[i] = v
	copy(t[i+1:], s[i:])
	a.put(s)
	return t
}

// clone returns a copy of s from the slab, or nil for an empty s.
func (a *slab[T]) clone(s []T) []T {
	if len(s) == 0 {
		return nil
	}
	return append(a.get(len(s)), s...)
}

// keyArena holds synthetic partition keys: each is a substring of a chunk
// of key bytes that only grows, so a key, once made, never changes, and a
// ScanCursor or an Item may keep it. A chunk is collected when no key in
// it is live.
type keyArena struct {
	b    strings.Builder
	next int
}

// keyChunkBytes caps a key chunk: 64 KiB, some 6,000 synthetic keys.
const keyChunkBytes = 64 << 10

// key returns pk as a string held in the arena.
func (k *keyArena) key(pk []byte) string {
	if k.b.Cap()-k.b.Len() < len(pk) {
		if k.next == 0 {
			k.next = 256
		}
		k.b = strings.Builder{}
		k.b.Grow(max(k.next, len(pk)))
		k.next = min(2*k.next, keyChunkBytes)
	}
	off := k.b.Len()
	k.b.Write(pk)
	return k.b.String()[off:]
}
