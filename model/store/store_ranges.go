package store

// Collections within a hash range, for partition management: how many
// bytes a partition holds and where to split it. These walk the store in
// scan order and are called on splits and capacity changes, never per
// request.

// HashRange is the half-open range of partition-key hashes [Lo, Hi); Hi
// == 0 stands for 2^64, the end of the hash space.
type HashRange struct{ Lo, Hi uint64 }

// Contains reports whether h is in the range.
func (r HashRange) Contains(h uint64) bool { return h >= r.Lo && (r.Hi == 0 || h < r.Hi) }

// Middle returns the hash halfway through the range.
func (r HashRange) Middle() uint64 {
	w := r.Hi - r.Lo // 0 for the whole hash space
	if w == 0 {
		return r.Lo + 1<<63
	}
	return r.Lo + w/2
}

// Collection summarises one partition key's items.
type Collection struct {
	Hash  uint64
	Items int
	Bytes int64
}

// EachCollection calls fn for each partition key whose hash is in r, in
// scan order, until fn returns false.
func (s *Store) EachCollection(r HashRange, fn func(Collection) bool) {
	x := s.x
	if x == nil {
		return
	}
	for b := x.nextNonEmpty(x.bucket(r.Lo)); b >= 0; b = x.nextNonEmpty(b + 1) {
		for i := range x.buckets[b] {
			c := &x.buckets[b][i]
			if c.hash < r.Lo {
				continue
			}
			if !r.Contains(c.hash) {
				return
			}
			var bytes int64
			es := c.items()
			for _, e := range es {
				bytes += int64(e.size)
			}
			if !fn(Collection{Hash: c.hash, Items: len(es), Bytes: bytes}) {
				return
			}
		}
	}
}

// RangeBytes returns the bytes stored under partition keys in r and how
// many partition keys that is.
func (s *Store) RangeBytes(r HashRange) (bytes int64, keys int) {
	s.EachCollection(r, func(c Collection) bool {
		bytes += c.Bytes
		keys++
		return true
	})
	return bytes, keys
}

// EachItem calls fn for every item, in scan order, with its partition-key
// hash, sort-key index (0 for an item written through the general API)
// and size. Secondary indexes are built from it.
func (s *Store) EachItem(fn func(pkHash uint64, sk int64, size int, keyGen uint16)) {
	x := s.x
	if x == nil {
		return
	}
	for b := x.nextNonEmpty(0); b >= 0; b = x.nextNonEmpty(b + 1) {
		for i := range x.buckets[b] {
			c := &x.buckets[b][i]
			es := c.items()
			for j := range es {
				e := &es[j]
				fn(c.hash, e.idx, int(e.size), e.keyGen)
			}
		}
	}
}
