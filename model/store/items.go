package store

import (
	"errors"
	"fmt"
	"math/bits"
	"slices"
	"strconv"
	"strings"

	"github.com/ddbsim/ddbsim/model/units"
)

// ---- General API: items with any attributes. Allocations are fine here.

// isKeyKind reports whether k can be a key attribute's type.
func isKeyKind(k Kind) bool { return k == KindString || k == KindNumber || k == KindBinary }

// checkKey validates a key value: a String, Number or Binary value, not
// empty (REFERENCE: units for the size limits).
func checkKey(name string, v Value, limit int) error {
	if v.kind == KindNone {
		return fmt.Errorf("%w %q", ErrMissingKey, name)
	}
	if !isKeyKind(v.kind) {
		return fmt.Errorf("%w %q: type %v, want S, N or B", ErrInvalidKey, name, v.kind)
	}
	if v.s == "" {
		return fmt.Errorf("%w %q: empty value", ErrInvalidKey, name)
	}
	if v.kind == KindNumber && !isCanonicalNumber(v.s) {
		return fmt.Errorf("%w %q: %w", ErrInvalidKey, name, v.validate(0))
	}
	if n := v.Size(); n > limit {
		return fmt.Errorf("%w: %q is %d bytes, limit %d", ErrKeyTooLarge, name, n, limit)
	}
	return nil
}

// checkKeys validates the primary key given for a lookup or an update.
func (s *Store) checkKeys(pk, sk Value) error {
	if err := s.schema.Validate(); err != nil {
		return err
	}
	if err := checkKey(s.schema.PartitionKey, pk, MaxPartitionKeySize); err != nil {
		return err
	}
	if s.hasSK {
		return checkKey(s.schema.SortKey, sk, MaxSortKeySize)
	}
	return nil
}

// checkItem validates a whole item and returns its key values.
func (s *Store) checkItem(it Item) (pk, sk Value, err error) {
	pk, _ = it.Get(s.schema.PartitionKey)
	if s.hasSK {
		sk, _ = it.Get(s.schema.SortKey)
	}
	if err := s.checkKeys(pk, sk); err != nil {
		return pk, sk, err
	}
	for _, a := range it.attrs {
		if a.Name == "" {
			return pk, sk, errors.New("model: attribute with an empty name")
		}
		if err := a.Value.validate(0); err != nil {
			return pk, sk, fmt.Errorf("attribute %q: %w", a.Name, err)
		}
	}
	if it.size > units.MaxItemSize {
		return pk, sk, fmt.Errorf("%w: %d bytes, limit %d", ErrItemTooLarge, it.size, units.MaxItemSize)
	}
	return pk, sk, nil
}

// locate finds the item at (pk, sk): bucket, collection position, whether
// the collection exists, entry position and whether the item exists. pk
// must be a key value.
func (s *Store) locate(pk, sk Value) (b, i int, collFound bool, j int, found bool) {
	x := s.index()
	key := []byte(pk.s)
	h := HashKey(key)
	b = x.bucket(h)
	i, collFound = searchColl(x.buckets[b], h, key)
	if !collFound {
		return b, i, false, 0, false
	}
	if !s.hasSK {
		return b, i, true, 0, true
	}
	es := x.buckets[b][i].items()
	j = lowerSK(es, skey{v: sk}, false)
	return b, i, true, j, j < len(es) && compareSK(es[j].key(), skey{v: sk}) == 0
}

// itemOf returns the item an entry holds, building a synthetic one.
func (s *Store) itemOf(c *collection, e *entry) Item {
	if e.gen != nil {
		return e.gen.item
	}
	attrs := make([]Attribute, 0, 3)
	attrs = append(attrs, Attribute{Name: s.schema.PartitionKey, Value: S(c.pk)})
	if s.hasSK {
		attrs = append(attrs, Attribute{Name: s.schema.SortKey, Value: N(strconv.FormatInt(e.idx, 10))})
	}
	keys := s.synthKeySize(len(c.pk), e.idx)
	if pad := int(e.size) - keys - len(s.padName); pad >= 0 {
		attrs = append(attrs, Attribute{Name: s.padName, Value: Padding(pad)})
	}
	return NewItem(attrs...)
}

// keyOf returns the primary key of an entry.
func (s *Store) keyOf(c *collection, e *entry) Key {
	if e.gen != nil {
		pk, _ := e.gen.item.Get(s.schema.PartitionKey)
		return Key{PK: pk, SK: e.gen.sk}
	}
	k := Key{PK: S(c.pk)}
	if s.hasSK {
		k.SK = N(strconv.FormatInt(e.idx, 10))
	}
	return k
}

// GetItem returns the item at (pk, sk); sk is ignored when the table has
// no sort key. Keys partition by their bytes: S("5") and N("5") name the
// same partition key.
func (s *Store) GetItem(pk, sk Value) (Item, bool) {
	if !isKeyKind(pk.kind) || s.hasSK && !isKeyKind(sk.kind) {
		return Item{}, false
	}
	if s.x == nil {
		return Item{}, false
	}
	b, i, _, j, found := s.locate(pk, sk)
	if !found {
		return Item{}, false
	}
	c := &s.x.buckets[b][i]
	return s.itemOf(c, &c.items()[j]), true
}

// Check reports whether PutItem would accept the item, without storing
// it: its key attributes and values, and its size.
func (s *Store) Check(it Item) error {
	_, _, err := s.checkItem(it)
	return err
}

// PutItem stores an item, replacing any item with the same key, and returns
// the replaced one. The item must hold the key attributes (String, Number
// or Binary, not empty, within MaxPartitionKeySize and MaxSortKeySize),
// valid values, and be at most MaxItemSize. Items are immutable, so the
// store keeps the item's own attribute slice.
func (s *Store) PutItem(it Item) (old Item, existed bool, err error) {
	pk, sk, err := s.checkItem(it)
	if err != nil {
		return Item{}, false, err
	}
	old, existed = s.put(pk, sk, it)
	return old, existed, nil
}

// put stores a validated item.
func (s *Store) put(pk, sk Value, it Item) (old Item, existed bool) {
	if !s.hasSK {
		sk = Value{}
	}
	b, i, collFound, j, found := s.locate(pk, sk)
	e := entry{size: int32(it.size), ver: 1, gen: &general{sk: sk, item: it}}
	x := s.x
	s.writes++
	switch {
	case found:
		c := &x.buckets[b][i]
		p := &c.items()[j]
		old = s.itemOf(c, p)
		s.bytes += int64(it.size) - int64(p.size)
		e.ver, e.keyGen = p.ver+1, p.keyGen
		*p = e
		return old, true
	case collFound:
		x.insertEntry(&x.buckets[b][i], j, e)
	default:
		c := collection{pk: pk.s, hash: HashKey([]byte(pk.s))}
		c.one[0] = e
		x.insertColl(b, i, c)
	}
	s.n++
	s.bytes += int64(it.size)
	return Item{}, false
}

// UpdateItem sets and removes attributes of the item at (pk, sk), creating
// it from its keys if it does not exist (an upsert, as the service does),
// and returns the item before and after. Key attributes cannot be set or
// removed, an attribute cannot be both set and removed, and the result
// must satisfy PutItem's rules; on error nothing changes.
func (s *Store) UpdateItem(pk, sk Value, set []Attribute, remove []string) (old, updated Item, existed bool, err error) {
	if err := s.checkKeys(pk, sk); err != nil {
		return Item{}, Item{}, false, err
	}
	isKey := func(name string) bool {
		return name == s.schema.PartitionKey || s.hasSK && name == s.schema.SortKey
	}
	for _, a := range set {
		if isKey(a.Name) {
			return Item{}, Item{}, false, fmt.Errorf("%w %q", ErrUpdateKey, a.Name)
		}
	}
	for _, name := range remove {
		if isKey(name) {
			return Item{}, Item{}, false, fmt.Errorf("%w %q", ErrUpdateKey, name)
		}
		for _, a := range set {
			if a.Name == name {
				return Item{}, Item{}, false, fmt.Errorf("model: attribute %q is both set and removed", name)
			}
		}
	}
	old, existed = s.GetItem(pk, sk)
	var attrs []Attribute
	if existed {
		attrs = old.Attrs()
	} else {
		attrs = append(attrs, Attribute{Name: s.schema.PartitionKey, Value: pk})
		if s.hasSK {
			attrs = append(attrs, Attribute{Name: s.schema.SortKey, Value: sk})
		}
	}
	attrs = slices.DeleteFunc(attrs, func(a Attribute) bool { return slices.Contains(remove, a.Name) })
	attrs = append(attrs, set...) // NewItem keeps the last of a repeated name
	updated = NewItem(attrs...)
	ipk, isk, err := s.checkItem(updated)
	if err != nil {
		return Item{}, Item{}, false, err
	}
	s.put(ipk, isk, updated)
	return old, updated, existed, nil
}

// DeleteItem deletes the item at (pk, sk) and returns it.
func (s *Store) DeleteItem(pk, sk Value) (old Item, existed bool) {
	if !isKeyKind(pk.kind) || s.hasSK && !isKeyKind(sk.kind) || s.x == nil {
		return Item{}, false
	}
	b, i, _, j, found := s.locate(pk, sk)
	if !found {
		return Item{}, false
	}
	c := &s.x.buckets[b][i]
	old = s.itemOf(c, &c.items()[j])
	s.writes++
	s.removeEntry(b, i, j)
	return old, true
}

// SortOp is a Query's sort-key comparison.
type SortOp uint8

// The key conditions of Query (KeyConditionExpression on the sort key).
const (
	CondNone       SortOp = iota // every item under the partition key
	CondEQ                       // sk = A
	CondLT                       // sk < A
	CondLE                       // sk <= A
	CondGT                       // sk > A
	CondGE                       // sk >= A
	CondBetween                  // A <= sk <= B
	CondBeginsWith               // begins_with(sk, A), Strings and Binary only
)

// SortCondition restricts a Query to sort keys that satisfy Op with the
// operands A (and B for CondBetween).
type SortCondition struct {
	Op   SortOp
	A, B Value
}

// Validate reports a condition the service would reject; Query itself
// treats such a condition as matching nothing.
func (c SortCondition) Validate() error {
	if c.Op == CondNone {
		return nil
	}
	if c.Op > CondBeginsWith {
		return fmt.Errorf("model: unknown sort condition %d", c.Op)
	}
	if !isKeyKind(c.A.kind) || c.Op == CondBetween && !isKeyKind(c.B.kind) {
		return errors.New("model: sort condition operands must be S, N or B")
	}
	if c.Op == CondBetween && (c.A.kind != c.B.kind || CompareKeys(c.A, c.B) > 0) {
		return errors.New("model: BETWEEN needs operands of one type with A <= B")
	}
	if c.Op == CondBeginsWith && c.A.kind == KindNumber {
		return errors.New("model: begins_with does not apply to Numbers")
	}
	return nil
}

// QueryOptions are a Query's paging controls.
type QueryOptions struct {
	Limit          int    // most items to read; 0: no limit
	Descending     bool   // ScanIndexForward = false
	ExclusiveStart *Value // sort key of the previous page's LastKey
}

// QueryPage is one page of a Query.
type QueryPage struct {
	Items     []Item
	Count     int
	ReadBytes int    // sum of the sizes of the items read, for capacity
	LastKey   *Value // sort key to continue from; nil when no item remains
}

// Query reads one page of the items under pk whose sort keys satisfy cond,
// in ascending sort-key order (descending if asked), after
// opt.ExclusiveStart. A page stops after opt.Limit items, or before the
// item that would take it past 1 MB (REFERENCE: units, "One Query/Scan
// page returns at most 1 MB"): the items a page returns are exactly the
// items it read and charges for. LastKey is set only when more matching
// items remain. (The service may also return one when a page stops
// exactly at the last match, costing the client one more, empty page; this
// model does not.) An invalid condition (see SortCondition.Validate) or a
// sort condition on a table without a sort key matches nothing.
func (s *Store) Query(pk Value, cond SortCondition, opt QueryOptions) QueryPage {
	var page QueryPage
	if !isKeyKind(pk.kind) || s.x == nil || cond.Validate() != nil {
		return page
	}
	c := s.find([]byte(pk.s))
	if c == nil {
		return page
	}
	es := c.items()
	lo, hi := 0, len(es)
	if !s.hasSK {
		if cond.Op != CondNone || opt.ExclusiveStart != nil {
			return page
		}
	} else {
		lo, hi = s.condRange(es, cond)
		if st := opt.ExclusiveStart; st != nil {
			if opt.Descending {
				hi = min(hi, lowerSK(es, skey{v: *st}, false))
			} else {
				lo = max(lo, lowerSK(es, skey{v: *st}, true))
			}
		}
	}
	n := hi - lo
	for k := 0; k < n; k++ {
		j := lo + k
		if opt.Descending {
			j = hi - 1 - k
		}
		e := &es[j]
		if !PageTakes(page.Count, page.ReadBytes, int(e.size), opt.Limit) {
			// e remains; the page ends on the item read before it (a page
			// always reads its first item, so there is one).
			prev := j - 1
			if opt.Descending {
				prev = j + 1
			}
			last := s.keyOf(c, &es[prev])
			page.LastKey = &last.SK
			break
		}
		page.Items = append(page.Items, s.itemOf(c, e))
		page.Count++
		page.ReadBytes += int(e.size)
	}
	return page
}

// condRange returns the positions [lo, hi) of the entries satisfying cond.
func (s *Store) condRange(es []entry, cond SortCondition) (lo, hi int) {
	a := skey{v: cond.A}
	switch cond.Op {
	case CondNone:
		return 0, len(es)
	case CondEQ:
		return lowerSK(es, a, false), lowerSK(es, a, true)
	case CondLT:
		return 0, lowerSK(es, a, false)
	case CondLE:
		return 0, lowerSK(es, a, true)
	case CondGT:
		return lowerSK(es, a, true), len(es)
	case CondGE:
		return lowerSK(es, a, false), len(es)
	case CondBetween:
		return lowerSK(es, a, false), lowerSK(es, skey{v: cond.B}, true)
	case CondBeginsWith:
		// The keys with the prefix follow the prefix itself contiguously:
		// after them come larger keys of the same type, then other types.
		lo = lowerSK(es, a, false)
		rest := es[lo:]
		n, _ := slices.BinarySearchFunc(rest, true, func(e entry, _ bool) int {
			if k := e.key(); k.v.kind == cond.A.kind && strings.HasPrefix(k.v.s, cond.A.s) {
				return -1
			}
			return 1
		})
		return lo, lo + n
	}
	return 0, 0
}

// Key is an item's primary key; SK is the zero Value without a sort key.
type Key struct {
	PK, SK Value
}

// ScanOptions are a Scan's paging controls.
type ScanOptions struct {
	Limit          int  // most items to read; 0: no limit
	ExclusiveStart *Key // the previous page's LastKey
	// Segment restricts the scan to partition keys hashed in it (a
	// parallel scan's segment: Segments); the zero value is the whole
	// table.
	Segment HashRange
}

// Segments returns segment i of n equal parts of the hash space, as a
// parallel Scan divides a table (Segment, TotalSegments). It panics
// unless 0 <= i < n.
func Segments(i, n int) HashRange {
	if n < 1 || i < 0 || i >= n {
		panic(fmt.Sprintf("store: segment %d of %d", i, n))
	}
	at := func(k int) uint64 {
		if k == n {
			return 0 // 2^64
		}
		hi, lo := bits.Mul64(uint64(k), 1<<63)
		q, _ := bits.Div64(hi<<1|lo>>63, lo<<1, uint64(n)) // k * 2^64 / n
		return q
	}
	return HashRange{Lo: at(i), Hi: at(i + 1)}
}

// ScanPage is one page of a Scan.
type ScanPage struct {
	Items     []Item
	Count     int
	ReadBytes int  // sum of the sizes of the items read, for capacity
	LastKey   *Key // key to continue from; nil when no item remains
}

// Scan reads one page of the table in scan order (partition-key hash, then
// partition key bytes, then sort key) after opt.ExclusiveStart, with the
// same Limit, 1 MB and LastKey rules as Query.
func (s *Store) Scan(opt ScanOptions) ScanPage {
	var page ScanPage
	var cur ScanCursor
	if opt.Segment.Lo > 0 {
		// Just before the segment's first partition key: keys are never
		// empty, so (Lo, "") precedes every key hashed at Lo.
		cur = ScanCursor{hash: opt.Segment.Lo, started: true}
	}
	if st := opt.ExclusiveStart; st != nil {
		if !isKeyKind(st.PK.kind) {
			return page
		}
		cur = ScanCursor{pk: st.PK.s, hash: HashString(st.PK.s), sk: skey{v: st.SK}, started: true}
		if s.hasSK && !isKeyKind(st.SK.kind) {
			return page
		}
	}
	if s.x == nil {
		return page
	}
	page.Count, page.ReadBytes = s.scan(&cur, opt.Limit, opt.Segment.Hi, func(c *collection, e *entry) {
		page.Items = append(page.Items, s.itemOf(c, e))
	})
	if cur.started {
		b, i, j := s.x.bucketPos(&cur, s.hasSK)
		c := &s.x.buckets[b][i]
		k := s.keyOf(c, &c.items()[j])
		page.LastKey = &k
	}
	return page
}

// bucketPos returns the position of the item a cursor stands on, which
// must exist (as it does right after scan stopped there).
func (x *index) bucketPos(cur *ScanCursor, hasSK bool) (b, i, j int) {
	b = x.bucket(cur.hash)
	i, _ = searchColl(x.buckets[b], cur.hash, cur.pk)
	if hasSK {
		j = lowerSK(x.buckets[b][i].items(), cur.sk, false)
	}
	return b, i, j
}
