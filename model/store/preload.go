package store

import (
	"cmp"
	"slices"
	"strings"

	"github.com/ddbsim/ddbsim/model/units"
)

// Preload loads count synthetic items of size bytes each (as PutSized
// stores them) before a run: item j has partition key
// AppendSyntheticKey(j / perKey) and sort-key index j % perKey. Without a
// sort key every item gets its own partition key (perKey is taken as 1), so
// that count items exist; perKey < 1 is taken as 1. The result does not
// depend on anything but the arguments.
//
// Sizes follow PutSized: capped at MaxItemSize, and an item too small for
// its keys is just its keys.
//
// Into an empty store it builds the layout in bulk: one string holds every
// key, one array every collection and one array the entries of the
// collections of more than one item, so an item costs about 77 bytes
// without a sort key and about 32 with ten items per key (see
// BenchmarkPreload), and the items' payload costs nothing. Into a
// non-empty store it falls back to PutSized per item.
func (s *Store) Preload(count, size, perKey int64) {
	if count <= 0 {
		return
	}
	if !s.hasSK || perKey < 1 {
		perKey = 1
	}
	sz := int(min(max(size, 0), units.MaxItemSize))
	if s.n > 0 {
		var buf []byte
		for j := int64(0); j < count; j++ {
			buf = AppendSyntheticKey(buf[:0], j/perKey)
			s.PutSized(buf, j%perKey, sz)
		}
		return
	}
	nColl := (count + perKey - 1) / perKey
	// The store is empty: start a layout sized for the final table.
	x := newIndex(bucketBitsFor(nColl))
	s.x = x
	nb := len(x.buckets)

	// All keys in one string; each collection's key is a substring of it.
	var buf []byte
	total := 0
	for c := int64(0); c < nColl; c++ {
		total += len(AppendSyntheticKey(buf[:0], c))
	}
	var sb strings.Builder
	sb.Grow(total)
	for c := int64(0); c < nColl; c++ {
		buf = AppendSyntheticKey(buf[:0], c)
		sb.Write(buf)
	}
	keys := sb.String()

	// Counting sort of the collections into buckets, then a sort within
	// each bucket (at most collsPerBucket collections on average).
	start := make([]int, nb+1)
	for c, off := int64(0), 0; c < nColl; c++ {
		l := len(AppendSyntheticKey(buf[:0], c))
		start[x.bucket(HashString(keys[off:off+l]))+1]++
		off += l
	}
	for b := 1; b <= nb; b++ {
		start[b] += start[b-1]
	}
	next := slices.Clone(start)
	colls := make([]collection, nColl)
	// The entries of the collections of more than one item; a
	// collection of one holds its item itself.
	var ents []entry
	if perKey > 1 {
		ents = make([]entry, count)
	}
	for c, off := int64(0), 0; c < nColl; c++ {
		l := len(AppendSyntheticKey(buf[:0], c))
		pk := keys[off : off+l]
		off += l
		h := HashString(pk)
		b := x.bucket(h)
		coll := &colls[next[b]]
		next[b]++
		*coll = collection{pk: pk, hash: h}
		first, end := c*perKey, min(count, (c+1)*perKey)
		es := coll.one[:]
		if end-first > 1 {
			es = ents[first:end:end] // capped: a later insert reallocates
			coll.setMore(es)
		}
		for k := range es {
			n := s.synthSize(l, int64(k), sz)
			es[k] = entry{idx: int64(k), size: int32(n)}
			s.bytes += int64(n)
		}
	}
	for b := range nb {
		seg := colls[start[b]:start[b+1]:start[b+1]] // capped, as above
		slices.SortFunc(seg, func(p, q collection) int {
			if c := cmp.Compare(p.hash, q.hash); c != 0 {
				return c
			}
			return strings.Compare(p.pk, q.pk)
		})
		x.setBucket(b, seg)
	}
	x.colls = int(nColl)
	s.n = int(count)
}
