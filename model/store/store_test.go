package store

import (
	"cmp"
	"errors"
	"fmt"
	"math/rand/v2"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"testing/quick"
	"time"
	"unsafe"

	"github.com/ddbsim/ddbsim/model/units"
)

var (
	schemaPK   = KeySchema{PartitionKey: "pk"}
	schemaPKSK = KeySchema{PartitionKey: "pk", SortKey: "sk"}
)

func attr(name string, v Value) Attribute { return Attribute{Name: name, Value: v} }

func mustPut(t *testing.T, s *Store, attrs ...Attribute) {
	t.Helper()
	if _, _, err := s.PutItem(NewItem(attrs...)); err != nil {
		t.Fatal(err)
	}
}

func TestPutGetDelete(t *testing.T) {
	s := NewStore(schemaPKSK)
	if _, ok := s.GetItem(S("a"), N("1")); ok {
		t.Fatal("found in empty store")
	}
	it := NewItem(attr("pk", S("a")), attr("sk", N("1")), attr("v", S("hello")))
	old, existed, err := s.PutItem(it)
	if err != nil || existed || old.Len() != 0 {
		t.Fatalf("PutItem = %v, %v, %v", old, existed, err)
	}
	got, ok := s.GetItem(S("a"), N("1.0")) // the same number
	if !ok || !got.Equal(it) {
		t.Fatalf("GetItem = %v, %v", got, ok)
	}
	if s.Len() != 1 || s.Bytes() != int64(it.Size()) || s.BillableBytes() != int64(it.Size())+100 {
		t.Errorf("Len %d Bytes %d Billable %d", s.Len(), s.Bytes(), s.BillableBytes())
	}
	it2 := NewItem(attr("pk", S("a")), attr("sk", N("1")))
	old, existed, _ = s.PutItem(it2)
	if !existed || !old.Equal(it) || s.Bytes() != int64(it2.Size()) || s.Len() != 1 {
		t.Errorf("replace: %v %v bytes %d", old, existed, s.Bytes())
	}
	if _, ok := s.GetItem(S("a"), N("2")); ok {
		t.Error("found other sort key")
	}
	if _, ok := s.GetItem(S("a"), S("1")); ok {
		t.Error("a String sort key matched a Number")
	}
	old, existed = s.DeleteItem(S("a"), N("1"))
	if !existed || !old.Equal(it2) || s.Len() != 0 || s.Bytes() != 0 {
		t.Errorf("DeleteItem = %v, %v; Len %d Bytes %d", old, existed, s.Len(), s.Bytes())
	}
	if _, existed := s.DeleteItem(S("a"), N("1")); existed {
		t.Error("deleted twice")
	}
}

func TestPutItemErrors(t *testing.T) {
	s := NewStore(schemaPKSK)
	deep := S("x")
	for range MaxNesting + 1 {
		deep = L(deep)
	}
	tests := []struct {
		name  string
		attrs []Attribute
		want  error
	}{
		{"no pk", []Attribute{attr("sk", N("1"))}, ErrMissingKey},
		{"no sk", []Attribute{attr("pk", S("a"))}, ErrMissingKey},
		{"bool pk", []Attribute{attr("pk", Bool(true)), attr("sk", N("1"))}, ErrInvalidKey},
		{"map sk", []Attribute{attr("pk", S("a")), attr("sk", M())}, ErrInvalidKey},
		{"empty pk", []Attribute{attr("pk", S("")), attr("sk", N("1"))}, ErrInvalidKey},
		{"bad number sk", []Attribute{attr("pk", S("a")), attr("sk", N("1x"))}, ErrInvalidKey},
		{"bad number value", []Attribute{attr("pk", S("a")), attr("sk", N("1")), attr("n", N("--"))}, ErrInvalidNumber},
		{"pk too large", []Attribute{attr("pk", Padding(MaxPartitionKeySize+1)), attr("sk", N("1"))}, ErrKeyTooLarge},
		{"sk too large", []Attribute{attr("pk", S("a")), attr("sk", S(strings.Repeat("x", MaxSortKeySize+1)))}, ErrKeyTooLarge},
		{"item too large", []Attribute{attr("pk", S("a")), attr("sk", N("1")), attr("d", Padding(units.MaxItemSize))}, ErrItemTooLarge},
		{"too deep", []Attribute{attr("pk", S("a")), attr("sk", N("1")), attr("d", deep)}, nil},
	}
	for _, tt := range tests {
		_, _, err := s.PutItem(NewItem(tt.attrs...))
		if err == nil || tt.want != nil && !errors.Is(err, tt.want) {
			t.Errorf("%s: err = %v, want %v", tt.name, err, tt.want)
		}
	}
	// Limits are inclusive: a 2048-byte partition key, a 1024-byte sort key
	// and a 400 KB item are allowed.
	pk, sk := Padding(MaxPartitionKeySize), S(strings.Repeat("x", MaxSortKeySize))
	keys := NewItem(attr("pk", pk), attr("sk", sk)).Size()
	mustPut(t, s, attr("pk", pk), attr("sk", sk), attr("d", Padding(units.MaxItemSize-keys-1)))
	if s.Len() != 1 || s.Bytes() != units.MaxItemSize {
		t.Errorf("Len %d Bytes %d", s.Len(), s.Bytes())
	}
	if _, _, err := NewStore(KeySchema{}).PutItem(NewItem(attr("", S("a")))); err == nil {
		t.Error("store without partition key accepted an item")
	}
}

func TestUpdateItem(t *testing.T) {
	s := NewStore(schemaPKSK)
	// Upsert: a missing item is created from its keys.
	old, upd, existed, err := s.UpdateItem(S("a"), N("1"), []Attribute{attr("x", N("5"))}, nil)
	want := NewItem(attr("pk", S("a")), attr("sk", N("1")), attr("x", N("5")))
	if err != nil || existed || old.Len() != 0 || !upd.Equal(want) {
		t.Fatalf("upsert = %v %v %v %v", old, upd, existed, err)
	}
	old, upd, existed, err = s.UpdateItem(S("a"), N("1"), []Attribute{attr("y", S("z"))}, []string{"x"})
	want2 := NewItem(attr("pk", S("a")), attr("sk", N("1")), attr("y", S("z")))
	if err != nil || !existed || !old.Equal(want) || !upd.Equal(want2) {
		t.Fatalf("update = %v %v %v %v", old, upd, existed, err)
	}
	if got, _ := s.GetItem(S("a"), N("1")); !got.Equal(want2) || s.Bytes() != int64(want2.Size()) {
		t.Errorf("stored %v, bytes %d", got, s.Bytes())
	}
	for _, tc := range []struct {
		set    []Attribute
		remove []string
		want   error
	}{
		{[]Attribute{attr("pk", S("b"))}, nil, ErrUpdateKey},
		{nil, []string{"sk"}, ErrUpdateKey},
		{[]Attribute{attr("y", S("1"))}, []string{"y"}, nil},
		{[]Attribute{attr("big", Padding(units.MaxItemSize))}, nil, ErrItemTooLarge},
		{[]Attribute{attr("n", N("x"))}, nil, ErrInvalidNumber},
	} {
		if _, _, _, err := s.UpdateItem(S("a"), N("1"), tc.set, tc.remove); err == nil || tc.want != nil && !errors.Is(err, tc.want) {
			t.Errorf("UpdateItem(%v, %v): err = %v, want %v", tc.set, tc.remove, err, tc.want)
		}
	}
	if got, _ := s.GetItem(S("a"), N("1")); !got.Equal(want2) {
		t.Errorf("failed updates changed the item: %v", got)
	}
	if _, _, _, err := s.UpdateItem(S("a"), Value{}, nil, nil); !errors.Is(err, ErrMissingKey) {
		t.Errorf("missing sort key: %v", err)
	}
	// Updating a synthetic item turns it into a general one.
	s.PutSized([]byte("k1"), 2, 100)
	_, upd, existed, err = s.UpdateItem(S("k1"), N("2"), []Attribute{attr("data", S("x"))}, nil)
	if err != nil || !existed || upd.Size() != 2+2+2+2+4+1 {
		t.Errorf("update synthetic = %v %v %v", upd, existed, err)
	}
	if size, _ := s.SizeOf([]byte("k1"), 2); size != upd.Size() {
		t.Errorf("SizeOf after update = %d, want %d", size, upd.Size())
	}
}

func TestSyntheticItems(t *testing.T) {
	for _, schema := range []KeySchema{schemaPK, schemaPKSK} {
		s := NewStore(schema)
		key := []byte("k12")
		keys := len("pk") + len("k12")
		if schema.SortKey != "" {
			keys += len("sk") + 2 // N("100") is 2 bytes: one significant digit
		}
		for _, tc := range []struct{ ask, want int }{
			{2000, 2000},
			{keys + 4, keys + 4}, // an empty "data" attribute
			{keys + 3, keys},     // too small for "data": just the keys
			{1, keys},            // smaller than the keys: just the keys
			{units.MaxItemSize + 5, units.MaxItemSize}, // capped
		} {
			s.PutSized(key, 100, tc.ask)
			size, ok := s.SizeOf(key, 100)
			if !ok || size != tc.want {
				t.Errorf("%v: PutSized(%d): SizeOf = %d, %v; want %d", schema, tc.ask, size, ok, tc.want)
			}
			it, ok := s.GetItem(S("k12"), N("100"))
			if !ok || it.Size() != tc.want || s.Bytes() != int64(tc.want) || s.Len() != 1 {
				t.Errorf("%v: GetItem = %v (size %d), bytes %d", schema, it, it.Size(), s.Bytes())
			}
			if v, ok := it.Get("pk"); !ok || !v.Equal(S("k12")) {
				t.Errorf("pk = %v", v)
			}
			if _, ok := it.Get("data"); ok != (tc.want >= keys+4) {
				t.Errorf("%v: data attribute present = %v at size %d", schema, ok, tc.want)
			}
		}
		old, existed := s.DeleteSized(key, 100)
		if !existed || old != units.MaxItemSize || s.Len() != 0 || s.Bytes() != 0 {
			t.Errorf("DeleteSized = %d %v", old, existed)
		}
	}
	// Without a sort key, the index is ignored.
	s := NewStore(schemaPK)
	s.PutSized([]byte("a"), 5, 100)
	if size, ok := s.SizeOf([]byte("a"), 9); !ok || size != 100 || s.Len() != 1 {
		t.Errorf("no sort key: SizeOf = %d %v", size, ok)
	}
	// The padding attribute avoids a key named "data".
	s = NewStore(KeySchema{PartitionKey: "data"})
	s.PutSized([]byte("a"), 0, 100)
	if it, _ := s.GetItem(S("a"), Value{}); it.Size() != 100 || it.Len() != 2 {
		t.Errorf("key named data: %v", it)
	}
}

func TestPageLimit(t *testing.T) {
	s := NewStore(schemaPKSK)
	pk := []byte("k0")
	// Five items of exactly 256 KB: four fill 1 MB exactly and fit; the
	// fifth would take the page past 1 MB and starts the next one.
	for i := range int64(5) {
		s.PutSized(pk, i, 256*1024)
	}
	if n, read := s.QuerySized(pk, 0); n != 4 || read != PageLimit {
		t.Errorf("QuerySized = %d, %d; want 4, 1 MB", n, read)
	}
	if n, read := s.QuerySized(pk, 2); n != 2 || read != 512*1024 {
		t.Errorf("QuerySized limit 2 = %d, %d", n, read)
	}
	p := s.Query(S("k0"), SortCondition{}, QueryOptions{})
	if p.Count != 4 || len(p.Items) != 4 || p.ReadBytes != PageLimit || p.LastKey == nil || !p.LastKey.Equal(N("3")) {
		t.Fatalf("page 1: count %d read %d last %v", p.Count, p.ReadBytes, p.LastKey)
	}
	p = s.Query(S("k0"), SortCondition{}, QueryOptions{ExclusiveStart: p.LastKey})
	if p.Count != 1 || p.LastKey != nil || !mustGet(p.Items[0], "sk").Equal(N("4")) {
		t.Errorf("page 2: count %d last %v", p.Count, p.LastKey)
	}
	// Items of 400 KB: two per page (800 KB; a third would make 1.2 MB).
	s2 := NewStore(schemaPK)
	for i := range int64(3) {
		s2.PutSized(AppendSyntheticKey(nil, i), 0, units.MaxItemSize)
	}
	var cur ScanCursor
	if n, read := s2.ScanSized(&cur, 0); n != 2 || read != 2*units.MaxItemSize || cur.AtStart() {
		t.Errorf("ScanSized page 1 = %d, %d", n, read)
	}
	if n, _ := s2.ScanSized(&cur, 0); n != 1 || !cur.AtStart() {
		t.Errorf("ScanSized page 2 = %d, at start %v", n, cur.AtStart())
	}
}

func mustGet(it Item, name string) Value {
	v, _ := it.Get(name)
	return v
}

// TestScanSizedWraps: a client scanning continuously reads the table, then
// starts over.
func TestScanSizedWraps(t *testing.T) {
	s := NewStore(schemaPKSK)
	var cur ScanCursor
	if n, read := s.ScanSized(&cur, 10); n != 0 || read != 0 {
		t.Error("empty table scanned something")
	}
	s.Preload(10, 100, 3)
	var counts []int
	for range 5 {
		n, _ := s.ScanSized(&cur, 4)
		counts = append(counts, n)
	}
	// 10 items in pages of 4: 4, 4, 2, then again from the start.
	if fmt.Sprint(counts) != "[4 4 2 4 4]" {
		t.Errorf("page counts %v", counts)
	}
	// A page ending exactly at the last item wraps at once.
	cur.Reset()
	if n, _ := s.ScanSized(&cur, 10); n != 10 || !cur.AtStart() {
		t.Errorf("full page: %d items, at start %v", n, cur.AtStart())
	}
	// A cursor whose item was deleted continues after its position.
	cur.Reset()
	s.ScanSized(&cur, 1)
	h := cur.Hash()
	if h == 0 {
		t.Error("cursor hash is 0 after a page")
	}
	first := s.Scan(ScanOptions{Limit: 1}).Items[0]
	s.DeleteItem(mustGet(first, "pk"), mustGet(first, "sk"))
	if n, _ := s.ScanSized(&cur, 0); n != 9 {
		t.Errorf("after deleting the cursor's item: %d items", n)
	}
}

// ---- Naive model: every item in a slice, sorted on demand.

type naiveItem struct {
	pk, sk Value
	item   Item
}

type naive struct {
	schema KeySchema
	items  []naiveItem
}

func (n *naive) keyEq(a naiveItem, pk, sk Value) bool {
	return a.pk.Text() == pk.Text() && (n.schema.SortKey == "" || CompareKeys(a.sk, sk) == 0)
}

func (n *naive) put(it Item) {
	pk := mustGet(it, n.schema.PartitionKey)
	sk := mustGet(it, n.schema.SortKey)
	for i, a := range n.items {
		if n.keyEq(a, pk, sk) {
			n.items[i] = naiveItem{pk, sk, it}
			return
		}
	}
	n.items = append(n.items, naiveItem{pk, sk, it})
}

func (n *naive) del(pk, sk Value) {
	n.items = slices.DeleteFunc(n.items, func(a naiveItem) bool { return n.keyEq(a, pk, sk) })
}

// sorted returns the items in scan order: hash, key bytes, sort key.
func (n *naive) sorted() []naiveItem {
	out := slices.Clone(n.items)
	slices.SortFunc(out, func(a, b naiveItem) int {
		ka, kb := []byte(a.pk.Text()), []byte(b.pk.Text())
		if c := cmp.Compare(HashKey(ka), HashKey(kb)); c != 0 {
			return c
		}
		if c := strings.Compare(a.pk.Text(), b.pk.Text()); c != 0 {
			return c
		}
		return CompareKeys(a.sk, b.sk)
	})
	return out
}

func synthItem(schema KeySchema, pk string, idx int64, size int) Item {
	attrs := []Attribute{attr(schema.PartitionKey, S(pk))}
	keys := len(schema.PartitionKey) + len(pk)
	if schema.SortKey != "" {
		attrs = append(attrs, attr(schema.SortKey, N(strconv.FormatInt(idx, 10))))
		keys += len(schema.SortKey) + NumberSize(strconv.FormatInt(idx, 10))
	}
	if size >= keys+4 {
		attrs = append(attrs, attr("data", Padding(size-keys-4)))
	}
	return NewItem(attrs...)
}

// randomOps applies the same random operations to a store and the naive
// model: synthetic puts and deletes, and general items whose keys collide
// with synthetic ones (S("k3"), N("2.5"), S sort keys).
func randomOps(seed uint64, schema KeySchema) (*Store, *naive) {
	r := rand.New(rand.NewPCG(seed, 99))
	s := NewStore(schema)
	n := &naive{schema: schema}
	hasSK := schema.SortKey != ""
	sizes := []int{50, 300, 5000, 200 * 1024, units.MaxItemSize}
	for range 50 + r.IntN(300) {
		pk := "k" + strconv.Itoa(r.IntN(12))
		idx := int64(r.IntN(8))
		if !hasSK {
			idx = 0
		}
		size := sizes[r.IntN(len(sizes))]
		switch r.IntN(5) {
		case 0, 1:
			s.PutSized([]byte(pk), idx, size)
			n.put(synthItem(schema, pk, idx, size))
		case 2:
			s.DeleteSized([]byte(pk), idx)
			n.del(S(pk), N(strconv.FormatInt(idx, 10)))
		case 3, 4:
			var pkv Value
			switch r.IntN(3) {
			case 0:
				pkv = S(pk)
			case 1:
				pkv = N(strconv.Itoa(r.IntN(5)))
			default:
				pkv = B([]byte{byte(r.IntN(3)), 1})
			}
			attrs := []Attribute{attr(schema.PartitionKey, pkv), attr("v", Padding(r.IntN(3000)))}
			var skv Value
			if hasSK {
				switch r.IntN(3) {
				case 0:
					skv = N(strconv.FormatInt(idx, 10))
				case 1:
					skv = N(strconv.Itoa(r.IntN(20)-10) + "." + strconv.Itoa(r.IntN(10)))
				default:
					skv = S(string(rune('a' + r.IntN(4))))
				}
				attrs = append(attrs, attr(schema.SortKey, skv))
			}
			it := NewItem(attrs...)
			if r.IntN(4) == 0 {
				s.DeleteItem(pkv, skv)
				n.del(pkv, skv)
				continue
			}
			if _, _, err := s.PutItem(it); err != nil {
				panic(err)
			}
			n.put(it)
		}
		if err := s.checkLayout(); err != nil {
			panic(err)
		}
	}
	return s, n
}

// checkLayout checks the collections' form: one item held in the
// collection itself, more in a slice of at least two, and as many items
// as Len says.
func (s *Store) checkLayout() error {
	if s.x == nil {
		return nil
	}
	n := 0
	for _, cs := range s.x.buckets {
		for i := range cs {
			c := &cs[i]
			if c.more != nil && (c.n < 2 || c.one[0] != entry{}) {
				return fmt.Errorf("collection %q: %d items in its slice, inline %+v", c.pk, c.n, c.one[0])
			}
			n += len(c.items())
		}
	}
	if n != s.n {
		return fmt.Errorf("%d items in the collections, Len %d", n, s.n)
	}
	return nil
}

// itemStrings describes items compactly: long Binary values (the zero
// padding) by their length, so that comparing 400 KB items stays cheap.
func itemStrings(items []Item) []string {
	out := make([]string, len(items))
	for i, it := range items {
		var sb strings.Builder
		for name, v := range it.All() {
			if v.Kind() == KindBinary && v.Size() > 16 {
				fmt.Fprintf(&sb, "%s:B(len %d) ", name, v.Size())
			} else {
				fmt.Fprintf(&sb, "%s:%v ", name, v)
			}
		}
		fmt.Fprintf(&sb, "size %d", it.Size())
		out[i] = sb.String()
	}
	return out
}

// TestScanMatchesNaive pages through the store with random limits and
// compares the items with every item sorted by (hash, key, sort key).
func TestScanMatchesNaive(t *testing.T) {
	for _, schema := range []KeySchema{schemaPK, schemaPKSK} {
		fast := func(seed uint64, limit uint8) []string {
			s, _ := randomOps(seed, schema)
			var all []Item
			var start *Key
			bytes, pages := 0, 0
			for {
				p := s.Scan(ScanOptions{Limit: int(limit % 7), ExclusiveStart: start})
				if p.Count != len(p.Items) || p.ReadBytes > PageLimit {
					return []string{"bad page"}
				}
				all = append(all, p.Items...)
				bytes += p.ReadBytes
				pages++
				if start = p.LastKey; start == nil {
					break
				}
			}
			// ScanSized reads the same pages.
			var cur ScanCursor
			sizedBytes, sizedPages := 0, 0
			for {
				_, read := s.ScanSized(&cur, int(limit%7))
				sizedBytes += read
				sizedPages++
				if cur.AtStart() {
					break
				}
			}
			if s.Len() > 0 && (bytes != sizedBytes || pages != sizedPages || int64(bytes) != s.Bytes()) {
				return []string{fmt.Sprintf("bytes %d/%d/%d pages %d/%d", bytes, sizedBytes, s.Bytes(), pages, sizedPages)}
			}
			return itemStrings(all)
		}
		slow := func(seed uint64, _ uint8) []string {
			_, n := randomOps(seed, schema)
			var items []Item
			for _, a := range n.sorted() {
				items = append(items, a.item)
			}
			return itemStrings(items)
		}
		if err := quick.CheckEqual(fast, slow, quickConfig(60)); err != nil {
			t.Errorf("%v: %v", schema, err)
		}
	}
}

// TestQueryMatchesNaive compares Query, paged in both directions, with a
// filter and sort over every item.
func TestQueryMatchesNaive(t *testing.T) {
	operands := []Value{N("0"), N("3"), N("-2.5"), N("7"), N("100"), S("a"), S("b"), S(""), B([]byte("a"))}
	fast := func(seed uint64, op, a, b, limit uint8, desc bool) []string {
		s, _ := randomOps(seed, schemaPKSK)
		cond := SortCondition{Op: SortOp(op % 8), A: operands[int(a)%len(operands)], B: operands[int(b)%len(operands)]}
		pk := S("k" + strconv.Itoa(int(seed%12)))
		var all []Item
		var start *Value
		for {
			p := s.Query(pk, cond, QueryOptions{Limit: int(limit % 4), Descending: desc, ExclusiveStart: start})
			all = append(all, p.Items...)
			if start = p.LastKey; start == nil {
				break
			}
		}
		return itemStrings(all)
	}
	slow := func(seed uint64, op, a, b, limit uint8, desc bool) []string {
		_, n := randomOps(seed, schemaPKSK)
		cond := SortCondition{Op: SortOp(op % 8), A: operands[int(a)%len(operands)], B: operands[int(b)%len(operands)]}
		if cond.Validate() != nil {
			return itemStrings(nil)
		}
		pk := "k" + strconv.Itoa(int(seed%12))
		var items []Item
		for _, x := range n.sorted() {
			if x.pk.Text() != pk || !naiveMatch(x.sk, cond) {
				continue
			}
			items = append(items, x.item)
		}
		if desc {
			slices.Reverse(items)
		}
		return itemStrings(items)
	}
	if err := quick.CheckEqual(fast, slow, quickConfig(400)); err != nil {
		t.Error(err)
	}
}

func naiveMatch(sk Value, c SortCondition) bool {
	sameKind := sk.Kind() == c.A.Kind()
	switch c.Op {
	case CondNone:
		return true
	case CondEQ:
		return sameKind && CompareKeys(sk, c.A) == 0
	case CondLT:
		return CompareKeys(sk, c.A) < 0
	case CondLE:
		return CompareKeys(sk, c.A) <= 0
	case CondGT:
		return CompareKeys(sk, c.A) > 0
	case CondGE:
		return CompareKeys(sk, c.A) >= 0
	case CondBetween:
		return CompareKeys(sk, c.A) >= 0 && CompareKeys(sk, c.B) <= 0
	case CondBeginsWith:
		return sameKind && strings.HasPrefix(sk.Text(), c.A.Text())
	}
	return false
}

func TestQueryEdges(t *testing.T) {
	s := NewStore(schemaPK)
	s.PutSized([]byte("a"), 0, 100)
	if p := s.Query(S("a"), SortCondition{}, QueryOptions{}); p.Count != 1 || p.ReadBytes != 100 || p.LastKey != nil {
		t.Errorf("no sort key: %+v", p)
	}
	if p := s.Query(S("a"), SortCondition{Op: CondEQ, A: N("0")}, QueryOptions{}); p.Count != 0 {
		t.Error("a sort condition matched on a table without a sort key")
	}
	if p := s.Query(S("zz"), SortCondition{}, QueryOptions{}); p.Count != 0 || p.ReadBytes != 0 {
		t.Error("missing key returned items")
	}
	if p := s.Query(Bool(true), SortCondition{}, QueryOptions{}); p.Count != 0 {
		t.Error("bool key returned items")
	}
	for _, c := range []SortCondition{
		{Op: CondBeginsWith, A: N("1")},
		{Op: CondBetween, A: N("5"), B: N("1")},
		{Op: CondBetween, A: N("1"), B: S("5")},
		{Op: CondLT},
		{Op: 99, A: N("1")},
	} {
		if c.Validate() == nil {
			t.Errorf("%+v validates", c)
		}
	}
	if (SortCondition{Op: CondBetween, A: S("a"), B: S("b")}).Validate() != nil {
		t.Error("valid BETWEEN rejected")
	}
	// QueryPage.ReadBytes feeds QueryUnits: 10 items of 4178 B (40.8 KB)
	// cost 11 strong units (REFERENCE: units).
	s = NewStore(schemaPKSK)
	for i := range int64(10) {
		s.PutSized([]byte("q"), i, 4178)
	}
	p := s.Query(S("q"), SortCondition{}, QueryOptions{})
	if p.Count != 10 || units.QueryUnits(p.ReadBytes, units.Strong) != 11000 || units.QueryUnits(p.ReadBytes, units.Eventual) != 5500 {
		t.Errorf("40.8 KB query: count %d, %d bytes, %v units", p.Count, p.ReadBytes, units.QueryUnits(p.ReadBytes, units.Strong))
	}
}

func TestPreload(t *testing.T) {
	for _, tc := range []struct {
		schema             KeySchema
		count, size, per   int64
		wantLen, wantBytes int64
	}{
		// k0..k9 with indexes 0..2 (the last key holds one item).
		{schemaPKSK, 28, 1000, 3, 28, 28 * 1000},
		// No sort key: perKey is ignored, so every item has its own key.
		{schemaPK, 28, 1000, 3, 28, 28 * 1000},
		// Tiny items are just their keys: "pk" + "kN" + "sk" + N(i).
		{schemaPKSK, 3, 1, 5, 3, (2 + 2 + 2 + 1) + 2*(2+2+2+2)}, // N(0) is 1 byte, N(1) and N(2) 2
		{schemaPK, 0, 1000, 1, 0, 0},
	} {
		s := NewStore(tc.schema)
		s.Preload(tc.count, tc.size, tc.per)
		if int64(s.Len()) != tc.wantLen || s.Bytes() != tc.wantBytes {
			t.Errorf("%+v: Len %d Bytes %d", tc, s.Len(), s.Bytes())
		}
		// Same items as PutSized one by one.
		ref := NewStore(tc.schema)
		per := tc.per
		if tc.schema.SortKey == "" {
			per = 1
		}
		for j := int64(0); j < tc.count; j++ {
			ref.PutSized(AppendSyntheticKey(nil, j/per), j%per, int(tc.size))
		}
		got := itemStrings(s.Scan(ScanOptions{}).Items)
		want := itemStrings(ref.Scan(ScanOptions{}).Items)
		if !slices.Equal(got, want) || ref.Bytes() != s.Bytes() {
			t.Errorf("%+v: Preload differs from PutSized", tc)
		}
	}
	// Hot-path calls work on preloaded collections (capped slices grow).
	s := NewStore(schemaPKSK)
	s.Preload(100, 500, 10)
	s.PutSized([]byte("k3"), 10, 700)
	s.PutSized([]byte("new"), 0, 700)
	if size, ok := s.SizeOf([]byte("k3"), 10); !ok || size != 700 || s.Len() != 102 {
		t.Errorf("after growth: %d %v len %d", size, ok, s.Len())
	}
	if size, ok := s.SizeOf([]byte("k4"), 0); !ok || size != 500 {
		t.Errorf("neighbour collection changed: %d %v", size, ok)
	}
	// Into a non-empty store Preload adds to what is there: k10..k19 are
	// new, k0..k9 are overwritten.
	s.Preload(200, 500, 10)
	if s.Len() != 202 {
		t.Errorf("preload into non-empty: Len %d", s.Len())
	}
}

// TestHotPathDoesNotAllocate pins DESIGN.md's "The hot path allocates
// nothing in steady state" for the calls the service makes per request.
func TestHotPathDoesNotAllocate(t *testing.T) {
	s := NewStore(schemaPKSK)
	s.Preload(10000, 1000, 10)
	// A general item in a collection makes lookups compare a Number Value
	// with the synthetic index.
	mustPut(t, s, attr("pk", S("k5")), attr("sk", N("4.5")))
	key := make([]byte, 0, 24)
	var cur ScanCursor
	var i int64
	checks := map[string]func(){
		"SizeOf": func() {
			key = AppendSyntheticKey(key[:0], i%1000)
			s.SizeOf(key, i%10)
		},
		"SizeOf general": func() { s.SizeOf([]byte("k5"), 7) },
		"SizeOf missing": func() { s.SizeOf([]byte("nope"), 1) },
		"PutSized existing": func() {
			key = AppendSyntheticKey(key[:0], i%1000)
			s.PutSized(key, i%10, 500+int(i%1000))
		},
		"PutSized over general": func() { s.PutSized([]byte("k5"), 9, 800) },
		"PutSizedHashed existing": func() {
			key = AppendSyntheticKey(key[:0], i%1000)
			s.PutSizedHashed(key, HashKey(key), i%10, 500+int(i%1000))
		},
		"DeleteSized missing": func() { s.DeleteSized([]byte("k5"), 99) },
		"QuerySized":          func() { s.QuerySized([]byte("k7"), 0) },
		"ScanSized":           func() { s.ScanSized(&cur, 100) },
		"ScanSized 1 MB":      func() { s.ScanSized(&cur, 0) },
	}
	for _, name := range slices.Sorted(func(yield func(string) bool) {
		for k := range checks {
			if !yield(k) {
				return
			}
		}
	}) {
		f := checks[name]
		if allocs := testing.AllocsPerRun(200, func() { f(); i++ }); allocs != 0 {
			t.Errorf("%s allocates %v times per call", name, allocs)
		}
	}
}

// BenchmarkPreload loads 1M items of 1 KB (no sort key, and 10 per key)
// and reports the memory the store holds per item.
func BenchmarkPreload(b *testing.B) {
	for _, tc := range []struct {
		name   string
		schema KeySchema
		per    int64
	}{{"nosk", schemaPK, 1}, {"sk10", schemaPKSK, 10}} {
		b.Run(tc.name, func(b *testing.B) {
			const n = 1_000_000
			var perItem float64
			var elapsed time.Duration
			for b.Loop() {
				var before, after runtime.MemStats
				runtime.GC()
				runtime.ReadMemStats(&before)
				start := time.Now()
				s := NewStore(tc.schema)
				s.Preload(n, 1024, tc.per)
				elapsed = time.Since(start)
				runtime.GC()
				runtime.ReadMemStats(&after)
				perItem = float64(after.HeapAlloc-before.HeapAlloc) / n
				runtime.KeepAlive(s)
			}
			b.ReportMetric(perItem, "B/item")
			b.ReportMetric(float64(elapsed.Milliseconds()), "ms/1M")
		})
	}
}

func benchStore(b *testing.B) *Store {
	s := NewStore(schemaPKSK)
	s.Preload(1_000_000, 1024, 10)
	return s
}

func BenchmarkSizeOf(b *testing.B) {
	s := benchStore(b)
	r := rand.New(rand.NewPCG(1, 1))
	key := make([]byte, 0, 24)
	b.ReportAllocs()
	for b.Loop() {
		key = AppendSyntheticKey(key[:0], r.Int64N(100_000))
		s.SizeOf(key, r.Int64N(10))
	}
}

func BenchmarkPutSized(b *testing.B) {
	s := benchStore(b)
	r := rand.New(rand.NewPCG(1, 1))
	key := make([]byte, 0, 24)
	b.ReportAllocs()
	for b.Loop() {
		key = AppendSyntheticKey(key[:0], r.Int64N(100_000))
		s.PutSized(key, r.Int64N(10), 512+r.IntN(2048))
	}
}

// BenchmarkPutSizedNew writes items the store does not hold: each under a
// new partition key (nosk), or each a new sort key under one of 100,000
// partition keys (sk). allocs/op is what a new item costs on its own
// account: its share of the slabs' chunks and of the buckets doubling.
func BenchmarkPutSizedNew(b *testing.B) {
	b.Run("nosk", func(b *testing.B) {
		s := NewStore(schemaPK)
		key := make([]byte, 0, 24)
		var i int64
		b.ReportAllocs()
		for b.Loop() {
			key = AppendSyntheticKey(key[:0], i)
			s.PutSized(key, 0, 200)
			i++
		}
	})
	b.Run("sk", func(b *testing.B) {
		s := NewStore(schemaPKSK)
		key := make([]byte, 0, 24)
		var i int64
		b.ReportAllocs()
		for b.Loop() {
			key = AppendSyntheticKey(key[:0], i*7919%100_000)
			s.PutSized(key, i, 200)
			i++
		}
	})
}

func BenchmarkQuerySized(b *testing.B) {
	s := benchStore(b)
	r := rand.New(rand.NewPCG(1, 1))
	key := make([]byte, 0, 24)
	b.ReportAllocs()
	for b.Loop() {
		key = AppendSyntheticKey(key[:0], r.Int64N(100_000))
		s.QuerySized(key, 0)
	}
}

func BenchmarkScanSized(b *testing.B) {
	s := benchStore(b)
	var cur ScanCursor
	b.ReportAllocs()
	for b.Loop() {
		s.ScanSized(&cur, 100)
	}
}

// TestBucketsGrow inserts enough partition keys to double the buckets
// several times and checks lookups and the scan order against a sort.
func TestBucketsGrow(t *testing.T) {
	s := NewStore(schemaPK)
	r := rand.New(rand.NewPCG(3, 3))
	const n = 20000 // 64 buckets grow to 8192 (4 keys per bucket)
	perm := r.Perm(n)
	for _, i := range perm {
		s.PutSized(AppendSyntheticKey(nil, int64(i)), 0, 100+i%7)
	}
	if got := len(s.x.buckets); got != 8192 {
		t.Errorf("%d buckets for %d keys", got, n)
	}
	for i := range n {
		if size, ok := s.SizeOf(AppendSyntheticKey(nil, int64(i)), 0); !ok || size != 100+i%7 {
			t.Fatalf("key %d: %d %v", i, size, ok)
		}
	}
	// Delete half, then scan: the order is (hash, key) over what is left.
	var want []string
	for i := range n {
		key := AppendSyntheticKey(nil, int64(i))
		if i%2 == 0 {
			s.DeleteSized(key, 0)
		} else {
			want = append(want, string(key))
		}
	}
	slices.SortFunc(want, func(a, b string) int {
		return cmp.Or(cmp.Compare(HashString(a), HashString(b)), strings.Compare(a, b))
	})
	var got []string
	var cur ScanCursor
	for {
		before := cur
		count, _ := s.ScanSized(&cur, 333)
		p := s.Scan(ScanOptions{Limit: 333, ExclusiveStart: keyOfCursor(before)})
		if p.Count != count {
			t.Fatalf("Scan and ScanSized pages differ: %d, %d", p.Count, count)
		}
		for _, it := range p.Items {
			got = append(got, mustGet(it, "pk").Text())
		}
		if cur.AtStart() {
			break
		}
	}
	if !slices.Equal(got, want) {
		t.Errorf("scan order differs from (hash, key) order: %d vs %d keys", len(got), len(want))
	}
	if s.Len() != n/2 {
		t.Errorf("Len %d", s.Len())
	}
}

func keyOfCursor(c ScanCursor) *Key {
	if c.AtStart() {
		return nil
	}
	return &Key{PK: S(c.pk)}
}

func BenchmarkSizeOfNoSK(b *testing.B) {
	s := NewStore(schemaPK)
	s.Preload(1_000_000, 1024, 1)
	r := rand.New(rand.NewPCG(1, 1))
	key := make([]byte, 0, 24)
	b.ReportAllocs()
	for b.Loop() {
		key = AppendSyntheticKey(key[:0], r.Int64N(1_000_000))
		s.SizeOf(key, 0)
	}
}

// TestCompactLayout pins the per-item memory the store is designed around.
func TestCompactLayout(t *testing.T) {
	for _, tc := range []struct {
		name      string
		got, want uintptr
	}{
		{"Value", unsafe.Sizeof(Value{}), 32},
		{"Item", unsafe.Sizeof(Item{}), 32},
		{"entry", unsafe.Sizeof(entry{}), 24},
		{"collection", unsafe.Sizeof(collection{}), 64},
	} {
		if tc.got != tc.want {
			t.Errorf("%s is %d bytes, want %d", tc.name, tc.got, tc.want)
		}
	}
}

// A parallel scan's segments divide the table: every item is read by
// exactly one segment, in scan order within it, page after page.
func TestScanSegments(t *testing.T) {
	s := NewStore(KeySchema{PartitionKey: "pk", SortKey: "sk"})
	for i := range 500 {
		it := NewItem(Attribute{"pk", S(fmt.Sprintf("user#%d", i%97))}, Attribute{"sk", N(fmt.Sprint(i))}, Attribute{"v", S("x")})
		if _, _, err := s.PutItem(it); err != nil {
			t.Fatal(err)
		}
	}
	for _, n := range []int{1, 2, 3, 7, 16} {
		seen := map[string]int{}
		for seg := range n {
			r := Segments(seg, n)
			opt := ScanOptions{Limit: 13, Segment: r}
			for {
				page := s.Scan(opt)
				for _, it := range page.Items {
					pk, _ := it.Get("pk")
					sk, _ := it.Get("sk")
					if !r.Contains(HashString(pk.Text())) {
						t.Fatalf("segment %d of %d read %v, hashed outside %+v", seg, n, pk, r)
					}
					seen[pk.Text()+"/"+sk.Text()]++
				}
				if page.LastKey == nil {
					break
				}
				opt.ExclusiveStart = page.LastKey
			}
		}
		if len(seen) != 500 {
			t.Errorf("%d segments read %d distinct items, want 500", n, len(seen))
		}
		for k, c := range seen {
			if c != 1 {
				t.Errorf("%d segments read %s %d times", n, k, c)
			}
		}
	}
	if r := Segments(0, 1); r != (HashRange{}) {
		t.Errorf("Segments(0, 1) = %+v, want the whole hash space", r)
	}
}

// BenchmarkLookup times the service's per-request store calls on a table
// without sort key, one 1 KB item a partition key, over 100k and 1M keys
// drawn uniformly or by Zipf's law (s = 1.1, rank 0 hottest): op=get is
// SizeOfHashed, op=put is what PutItem does, ItemVersionHashed then
// PutSizedHashed of the same item, and op=put-rehash the same with
// PutSized, which hashes the key again. The key's bytes and hash are made
// outside the store call, as the request generator makes them.
func BenchmarkLookup(b *testing.B) {
	for _, keys := range []int64{100_000, 1_000_000} {
		s := NewStore(schemaPK)
		s.Preload(keys, 1024, 1)
		for _, dist := range []string{"uniform", "zipf"} {
			for _, op := range []string{"get", "put", "put-rehash"} {
				b.Run(fmt.Sprintf("keys=%d/dist=%s/op=%s", keys, dist, op), func(b *testing.B) {
					r := rand.New(rand.NewPCG(1, 1))
					z := rand.NewZipf(r, 1.1, 1, uint64(keys-1))
					next := func() int64 {
						if dist == "zipf" {
							return int64(z.Uint64())
						}
						return r.Int64N(keys)
					}
					key := make([]byte, 0, 24)
					b.ReportAllocs()
					for b.Loop() {
						key = AppendSyntheticKey(key[:0], next())
						h := HashKey(key)
						if op == "get" {
							s.SizeOfHashed(key, h, 0)
							continue
						}
						old, _, _, _ := s.ItemVersionHashed(key, h, 0)
						if op == "put" {
							s.PutSizedHashed(key, h, 0, 1024+old%2)
						} else {
							s.PutSized(key, 0, 1024+old%2)
						}
					}
				})
			}
		}
	}
}

// TestPreloadLayout checks Preload's collections have the form PutSized
// gives them, including a last collection of one item.
func TestPreloadLayout(t *testing.T) {
	for _, tc := range []struct {
		schema        KeySchema
		count, perKey int64
	}{{schemaPK, 1000, 1}, {schemaPKSK, 1001, 10}, {schemaPKSK, 999, 2}} {
		s := NewStore(tc.schema)
		s.Preload(tc.count, 100, tc.perKey)
		if err := s.checkLayout(); err != nil {
			t.Errorf("%d items, %d a key: %v", tc.count, tc.perKey, err)
		}
		// Emptying a collection down to one item and refilling it keeps
		// the form and the items.
		key := AppendSyntheticKey(nil, 0)
		for k := tc.perKey - 1; k > 0; k-- {
			s.DeleteSized(key, k)
		}
		for k := int64(1); k < 3; k++ {
			s.PutSized(key, k, 100)
		}
		if err := s.checkLayout(); err != nil {
			t.Errorf("%d items, %d a key, after deletes: %v", tc.count, tc.perKey, err)
		}
		if size, ok := s.SizeOf(key, 0); !ok || size != 100 {
			t.Errorf("item 0: %d %v", size, ok)
		}
	}
}

// TestPutSizedHashedMatchesPutSized writes the same random items through
// both calls and compares the returns and the stores' scans.
func TestPutSizedHashedMatchesPutSized(t *testing.T) {
	for _, schema := range []KeySchema{schemaPK, schemaPKSK} {
		a, b := NewStore(schema), NewStore(schema)
		r := rand.New(rand.NewPCG(5, 5))
		for range 5000 {
			key := AppendSyntheticKey(nil, r.Int64N(300))
			sk, size := r.Int64N(4), r.IntN(3000)
			if r.IntN(5) == 0 {
				a.DeleteSized(key, sk)
				b.DeleteSized(key, sk)
				continue
			}
			oa, ea := a.PutSized(key, sk, size)
			ob, eb := b.PutSizedHashed(key, HashKey(key), sk, size)
			if oa != ob || ea != eb {
				t.Fatalf("%v: PutSized %d %v, PutSizedHashed %d %v", schema, oa, ea, ob, eb)
			}
		}
		pa, pb := a.Scan(ScanOptions{}), b.Scan(ScanOptions{})
		if !slices.Equal(itemStrings(pa.Items), itemStrings(pb.Items)) || a.Bytes() != b.Bytes() || a.Writes() != b.Writes() {
			t.Errorf("%v: the stores differ", schema)
		}
	}
}
