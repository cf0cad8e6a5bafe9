package store

// keyIndex finds a partition key's collection by its 64-bit hash without
// searching a bucket: an open-addressing table (linear probing, load at
// most one half) of the key's hash and a pointer to its collection. A
// lookup reads its slot, usually the first probed, then the collection
// it points to; the hash is compared before the key's bytes, so a key of
// another hash is passed over without reading it.
//
// The buckets stay the store's order (scans, splits, queries); this index
// only points into them. A pointer stays valid while its bucket's slice
// is not changed: grow splits buckets without moving a collection, and
// only insertColl and deleteColl move collections within or out of a
// bucket, which take the bucket's collections out of the index before
// the change and put them back after it.
type keyIndex struct {
	slots []keySlot
	mask  uint64
	n     int
}

// keySlot is one place in the index; c == nil: empty.
type keySlot struct {
	hash uint64
	c    *collection
}

// minKeySlots is the smallest table, for a store's first collection.
const minKeySlots = 64

// lookup returns the collection under pk (hash h), or nil.
func (k *keyIndex) lookup(h uint64, pk []byte) *collection {
	if len(k.slots) == 0 {
		return nil
	}
	for i := h & k.mask; ; i = (i + 1) & k.mask {
		sl := &k.slots[i]
		if sl.c == nil {
			return nil
		}
		if sl.hash == h && sl.c.pk == string(pk) {
			return sl.c
		}
	}
}

// add indexes c, which must not be indexed.
func (k *keyIndex) add(c *collection) {
	if 2*(k.n+1) > len(k.slots) {
		k.resize(max(minKeySlots, 2*len(k.slots)))
	}
	k.place(c)
	k.n++
}

// reserve sizes an empty index for n collections.
func (k *keyIndex) reserve(n int) {
	size := minKeySlots
	for size < 2*n {
		size *= 2
	}
	if size > len(k.slots) {
		k.resize(size)
	}
}

func (k *keyIndex) place(c *collection) {
	i := c.hash & k.mask
	for k.slots[i].c != nil {
		i = (i + 1) & k.mask
	}
	k.slots[i] = keySlot{hash: c.hash, c: c}
}

func (k *keyIndex) resize(size int) {
	old := k.slots
	k.slots = make([]keySlot, size)
	k.mask = uint64(size - 1)
	for _, sl := range old {
		if sl.c != nil {
			k.place(sl.c)
		}
	}
}

// remove takes c (this very collection, not an equal one) out of the
// index, shifting back the slots that probed past it so that no lookup
// stops early (D. E. Knuth, The Art of Computer Programming, vol. 3,
// 6.4, Algorithm R).
func (k *keyIndex) remove(c *collection) {
	i := c.hash & k.mask
	for k.slots[i].c != c {
		if k.slots[i].c == nil {
			panic("store: key index has lost a collection")
		}
		i = (i + 1) & k.mask
	}
	k.n--
	for {
		k.slots[i] = keySlot{}
		j := i
		for {
			j = (j + 1) & k.mask
			if k.slots[j].c == nil {
				return
			}
			// The slot at j may move to i unless its home lies
			// cyclically in (i, j].
			home := k.slots[j].hash & k.mask
			if (j-home)&k.mask >= (j-i)&k.mask {
				k.slots[i] = k.slots[j]
				i = j
				break
			}
		}
	}
}

// unindexBucket takes bucket b's collections out of the index, before the
// bucket's slice changes.
func (x *index) unindexBucket(b int) {
	for i := range x.buckets[b] {
		x.keys.remove(&x.buckets[b][i])
	}
}

// indexBucket puts bucket b's collections into the index.
func (x *index) indexBucket(b int) {
	for i := range x.buckets[b] {
		x.keys.add(&x.buckets[b][i])
	}
}
