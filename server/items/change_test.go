package items

import (
	"testing"

	"github.com/ddbsim/ddbsim/model"
	"github.com/ddbsim/ddbsim/model/store"
)

// The change hook hears each applied write once, as INSERT, MODIFY or
// REMOVE with the item before and after; a failed condition and a
// throttled write change nothing and are not heard. Expire is heard as
// the service's deletion, charges nothing, and takes the model's likeness
// of the item too.
func TestOnChangeAndExpire(t *testing.T) {
	tb := serve(t, roomy(), model.DefaultParams())
	type heard struct {
		kind     store.ChangeKind
		old, new string
		service  bool
	}
	var got []heard
	tb.OnChange(func(c *Change) {
		h := heard{kind: c.Kind, service: c.Service}
		if v, ok := c.Old.Get("data"); ok {
			h.old = v.Text()
		}
		if v, ok := c.New.Get("data"); ok {
			h.new = v.Text()
		}
		got = append(got, h)
	})
	a, b := store.N("1"), store.N("2")
	withData := func(sk store.Value, d string) store.Item {
		return store.NewItem(store.Attribute{Name: "pk", Value: store.S("p")}, store.Attribute{Name: "sk", Value: sk},
			store.Attribute{Name: "data", Value: store.S(d)})
	}
	never := func(store.Item, bool) (bool, error) { return false, nil }
	mustPut := func(it store.Item, cond Condition) Write {
		t.Helper()
		w, err := tb.Put(0, it, cond)
		if err != nil || w.Throttled() {
			t.Fatalf("put: %v %v", err, w.Reason)
		}
		return w
	}
	mustPut(withData(a, "one"), Always)
	mustPut(withData(a, "two"), Always)
	if w := mustPut(withData(a, "three"), never); w.Err != model.ErrConditionalCheckFailed {
		t.Fatalf("a failed condition: %v", w.Err)
	}
	if _, _, err := tb.BatchWrite(0, []WriteRequest{{Put: withData(b, "b")}, {Delete: true, Key: store.Key{PK: store.S("p"), SK: a}}}); err != nil {
		t.Fatal(err)
	}
	mustPut(withData(a, "again"), Always)
	write := tb.svc.Tables()[0].Store().Len()
	if !tb.Expire(1, store.S("p"), a) || tb.Expire(1, store.S("p"), a) {
		t.Fatal("Expire: want true then false")
	}
	want := []heard{
		{store.ChangeInsert, "", "one", false},
		{store.ChangeModify, "one", "two", false},
		{store.ChangeInsert, "", "b", false},
		{store.ChangeRemove, "two", "", false},
		{store.ChangeInsert, "", "again", false},
		{store.ChangeRemove, "again", "", true},
	}
	if len(got) != len(want) {
		t.Fatalf("heard %+v, want %+v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("change %d: %+v, want %+v", i, got[i], want[i])
		}
	}
	if n := tb.svc.Tables()[0].Store().Len(); n != write-1 {
		t.Errorf("the model holds %d items after Expire, want %d", n, write-1)
	}
	if _, found := tb.Items().GetItem(store.S("p"), a); found {
		t.Error("the expired item is still there")
	}
}
