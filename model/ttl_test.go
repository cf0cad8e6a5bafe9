package model

// Time to live (REFERENCE: ttl): "Expired items are deleted in the
// background ... free of write units; until then they are still read and
// billed for storage." Each item expires ExpireAfter (E) after its last
// write and is deleted at a uniform time within Params.TTLDeleteWithin
// (D) after that; the tests shrink D from its 48 h so that runs are
// short.

import (
	"math"
	"testing"

	"github.com/ddbsim/ddbsim/model/store"
	"github.com/ddbsim/ddbsim/model/ttl"
	"github.com/ddbsim/ddbsim/model/units"
	"github.com/ddbsim/ddbsim/sim"
)

const (
	ttlE = 100 * sim.Second
	ttlD = 10 * sim.Second
)

// ttlService is a service of one table with a TTL of e, deleting within
// d, on a kernel started for a run ending at end.
func ttlService(t *testing.T, cfg TableConfig, e, d, end sim.Time) (*Service, *countingRecorder, *sim.Kernel) {
	t.Helper()
	cfg.Name = "t"
	if cfg.ReadCapacity == 0 {
		cfg.ReadCapacity, cfg.WriteCapacity = 1000, 1000
	}
	cfg.TTL = &ttl.Config{Attribute: "expires", ExpireAfter: e}
	svc, rec := newTestServiceWith(t, params(func(p *Params) { p.TTLDeleteWithin = d }), cfg)
	k := sim.New(1)
	svc.Start(k, end)
	return svc, rec, k
}

// at schedules f at time when.
func at(k *sim.Kernel, when sim.Time, f func(now sim.Time)) { k.At(when, sim.HandlerFunc(f)) }

func handleAt(t *testing.T, svc *Service, now sim.Time, req Request) Response {
	t.Helper()
	resp := svc.Handle(now, &req)
	if !resp.Admitted() || resp.Error != NoError {
		t.Fatalf("%v of %s at %v: %v %v", req.Op, req.Key, now, resp.Reason, resp.Error)
	}
	return resp
}

// watchGone records, every step, which of keys are gone from the store:
// gone[i] is the first check that found key i missing after one that
// found it, or -1.
func watchGone(k *sim.Kernel, st *store.Store, keys [][]byte, step, end sim.Time) []sim.Time {
	gone := make([]sim.Time, len(keys))
	seen := make([]bool, len(keys))
	for i := range gone {
		gone[i] = -1
	}
	k.Every(step, step, end, sim.HandlerFunc(func(now sim.Time) {
		for i, key := range keys {
			_, ok := st.SizeOf(key, 0)
			if ok {
				seen[i] = true
			} else if seen[i] && gone[i] < 0 {
				gone[i] = now
			}
		}
	}))
	return gone
}

// An item written at w is readable until its deletion, which falls in
// [w+E, w+E+D], uniformly; the deletions are free and take the items'
// bytes off the table.
func TestTTLDeletesWithinWindowAfterExpiry(t *testing.T) {
	const n = 200
	end := 300 * sim.Second
	step := 100 * sim.Millisecond
	svc, rec, k := ttlService(t, TableConfig{}, ttlE, ttlD, end)
	tb := svc.Tables()[0]
	st := tb.Store()
	keys := make([][]byte, n)
	written := make([]sim.Time, n)
	for i := range keys {
		keys[i] = store.AppendSyntheticKey(nil, int64(i))
		// Writes between two checks, so that a check never sees the same
		// instant as a write.
		written[i] = sim.Time(i)*500*sim.Millisecond + step/2
		at(k, written[i], func(now sim.Time) {
			handleAt(t, svc, now, Request{Op: units.OpPut, Key: keys[i], Size: 1000})
		})
	}
	gone := watchGone(k, st, keys, step, end)
	var consumed units.Units
	var bytes int64
	at(k, written[n-1]+step/4, func(sim.Time) { consumed, bytes = rec.consumedWrite, st.Bytes() })
	k.Run(end)

	if bytes != n*1000 || consumed != n*units.WholeUnits(1) {
		t.Fatalf("after the writes: %d B, %v WCU; want %d B, %d WCU", bytes, consumed, n*1000, n)
	}
	var sum float64
	for i := range keys {
		lo, hi := written[i]+ttlE, written[i]+ttlE+ttlD+step
		if gone[i] < lo || gone[i] > hi {
			t.Fatalf("item %d written at %v: gone at %v, want within [%v, %v]", i, written[i], gone[i], lo, hi)
		}
		sum += (gone[i] - written[i] - ttlE).Seconds()
	}
	// The wait after expiry is uniform on [0, D]: its mean is D/2, and
	// the mean of 200 such waits has a standard deviation of
	// D/sqrt(12*200) = 2% of D; checks every 0.1 s add 0.05 s.
	mean := sum / n
	t.Logf("mean wait after expiry %.2f s (D/2 = %.2f s, plus 0.05 s of polling)", mean, ttlD.Seconds()/2)
	if math.Abs(mean-(ttlD.Seconds()/2+0.05)) > 0.1*ttlD.Seconds() {
		t.Errorf("mean wait after expiry %.2f s, want about %.2f s", mean, ttlD.Seconds()/2)
	}
	if rec.consumedWrite != consumed || rec.consumedRead != 0 {
		t.Errorf("deletions consumed capacity: %v -> %v WCU, %v RCU", consumed, rec.consumedWrite, rec.consumedRead)
	}
	if st.Len() != 0 || st.Bytes() != 0 || tb.parts[0].bytes != 0 {
		t.Errorf("after the deletions: %d items, %d B (partition %d B); want none", st.Len(), st.Bytes(), tb.parts[0].bytes)
	}
	if x := tb.ttl; x.Deleted() != n || pending(x) != 0 || indexed(x) != 0 {
		t.Errorf("deleter: %d deleted, %d pending, %d indexed; want %d, 0, 0", x.Deleted(), pending(x), indexed(x), n)
	}
}

// A rewrite before the deletion postpones it; a delete cancels it, and a
// put after that starts a new expiry.
func TestTTLRewriteAndDelete(t *testing.T) {
	end := 300 * sim.Second
	svc, _, k := ttlService(t, TableConfig{}, ttlE, ttlD, end)
	tb := svc.Tables()[0]
	st := tb.Store()
	key := func(i int64) []byte { return store.AppendSyntheticKey(nil, i) }
	put := func(i int64, when sim.Time) {
		at(k, when, func(now sim.Time) { handleAt(t, svc, now, Request{Op: units.OpPut, Key: key(i), Size: 500}) })
	}
	del := func(i int64, when sim.Time) {
		at(k, when, func(now sim.Time) { handleAt(t, svc, now, Request{Op: units.OpDelete, Key: key(i)}) })
	}
	present := func(i int64, when sim.Time, want bool) {
		at(k, when, func(now sim.Time) {
			if _, ok := st.SizeOf(key(i), 0); ok != want {
				t.Errorf("item %d at %v: present %v, want %v", i, now, ok, want)
			}
		})
	}
	// k0: written at 0 and again at 60 s: expires at 160 s, not 100 s.
	put(0, 0)
	put(0, 60*sim.Second)
	present(0, 115*sim.Second, true)
	present(0, 159*sim.Second, true)
	present(0, 171*sim.Second, false)
	// k1: written at 0, deleted at 50 s, written again at 80 s: nothing
	// is deleted at 100-110 s, it expires at 180 s.
	put(1, 0)
	del(1, 50*sim.Second)
	put(1, 80*sim.Second)
	present(1, 179*sim.Second, true)
	present(1, 191*sim.Second, false)
	// k2: written at 0, deleted at 50 s: the deleter has nothing to do.
	put(2, 0)
	del(2, 50*sim.Second)
	// k3: rewritten every 30 s: never expires within the run.
	for w := sim.Time(0); w < end; w += 30 * sim.Second {
		put(3, w)
	}
	present(3, end-sim.Second, true)
	k.Run(end)
	if x := tb.ttl; x.Deleted() != 2 {
		t.Errorf("%d TTL deletions, want 2 (k0 and k1)", x.Deleted())
	}
}

// fractionDeleted is the share of preloaded items deleted by T: expiries
// spread evenly over [0, E), each deleted a uniform [0, D] later.
func fractionDeleted(T, e, d sim.Time) float64 {
	const steps = 100_000
	var sum float64
	for i := range steps {
		exp := (float64(i) + 0.5) / steps * e.Seconds()
		sum += math.Min(math.Max((T.Seconds()-exp)/d.Seconds(), 0), 1)
	}
	return sum / steps
}

// Preloaded items count as written steadily over the E before the run:
// they expire spread evenly over [0, E) and are deleted over [0, E+D],
// the store's count following that arithmetic; their entries are made
// lazily, so the deleter never holds much more than the items expiring in
// the next D. A preloaded item written during the run expires from its
// write.
func TestTTLPreloadedItems(t *testing.T) {
	const (
		n      = 20_000
		perKey = 4
	)
	e, d := 1000*sim.Second, 100*sim.Second
	end := e + d + 10*sim.Second
	svc, rec, k := ttlService(t, TableConfig{Schema: store.KeySchema{PartitionKey: "pk", SortKey: "sk"},
		ItemCount: n, ItemSize: 800, ItemsPerKey: perKey}, e, d, end)
	tb := svc.Tables()[0]
	st := tb.Store()
	x := tb.ttl

	// The item in the middle of the expiry order, rewritten at 1 s.
	mid := x.ExpiryOrder(n / 2)
	midKey, midSK := store.AppendSyntheticKey(nil, mid/perKey), mid%perKey
	at(k, sim.Second, func(now sim.Time) {
		handleAt(t, svc, now, Request{Op: units.OpPut, Key: midKey, SortIndex: midSK, Size: 800})
	})
	at(k, e/2+d+sim.Second, func(now sim.Time) {
		if _, ok := st.SizeOf(midKey, midSK); !ok {
			t.Errorf("the preloaded item rewritten at 1 s was deleted by %v", now)
		}
	})
	at(k, e+d+2*sim.Second, func(now sim.Time) {
		if _, ok := st.SizeOf(midKey, midSK); ok {
			t.Errorf("the preloaded item rewritten at 1 s is still there at %v", now)
		}
	})

	// At t=0 only the items expiring within the horizon have entries.
	at(k, 0, func(sim.Time) {
		if got, bound := pending(x), int(n*ttl.Horizon(d)/e)+1; got > bound {
			t.Errorf("%d entries pending at t=0, want at most %d", got, bound)
		}
	})
	maxPending := 0
	worst := 0.0
	k.Every(0, 10*sim.Second, end, sim.HandlerFunc(func(now sim.Time) {
		maxPending = max(maxPending, pending(x))
		if now > e+d {
			return
		}
		want := n * (1 - fractionDeleted(now, e, d))
		got := float64(st.Len())
		if now > sim.Second {
			// The rewritten item leaves on its own schedule.
			want += fractionDeleted(now, e, d) - fractionDeleted(now-sim.Second, e, d)
		}
		worst = max(worst, math.Abs(got-want)/n)
		if math.Abs(got-want) > 0.01*n {
			t.Errorf("at %v: %.0f items left, want %.0f", now, got, want)
		}
	}))
	// Expiry does not follow key order: at E/2 about half of the first
	// tenth of the keys is gone.
	at(k, e/2, func(sim.Time) {
		left := 0
		for i := int64(0); i < n/10; i++ {
			if _, ok := st.SizeOf(store.AppendSyntheticKey(nil, i/perKey), i%perKey); ok {
				left++
			}
		}
		if f := float64(left) / (n / 10); f < 0.4 || f > 0.65 {
			t.Errorf("at E/2, %.2f of the first tenth of the keys left, want about 0.55", f)
		}
	})
	k.Run(end)

	t.Logf("largest deviation from the expected count %.2f%% of the items; at most %d entries pending", 100*worst, maxPending)
	if st.Len() != 0 || st.Bytes() != 0 {
		t.Errorf("at %v: %d items, %d B left; want none", end, st.Len(), st.Bytes())
	}
	if x.Deleted() != n {
		t.Errorf("%d TTL deletions, want %d", x.Deleted(), n)
	}
	if rec.consumedWrite != units.WholeUnits(1) {
		t.Errorf("%v WCU consumed, want 1 (the one rewrite): deletions are free", rec.consumedWrite)
	}
	// Pending: the items waiting for their deletion (n*D/E/2 on average,
	// n*D/E at most) and those within the horizon of their expiry.
	if bound := int(float64(n) * float64(d+ttl.Horizon(d)) / float64(e) * 1.1); maxPending > bound {
		t.Errorf("%d entries pending at once, want at most %d", maxPending, bound)
	}
}

// The deletions depend only on the seed: two runs delete the same items
// at the same times.
func TestTTLDeterministic(t *testing.T) {
	run := func() []int64 {
		end := 400 * sim.Second
		svc, _, k := ttlService(t, TableConfig{ItemCount: 2000, ItemSize: 600}, 200*sim.Second, 50*sim.Second, end)
		st := svc.Tables()[0].Store()
		for i := range 500 {
			at(k, sim.Time(i)*300*sim.Millisecond, func(now sim.Time) {
				req := Request{Op: units.OpPut, Key: store.AppendSyntheticKey(nil, int64(i*7%3000)), Size: 400 + i}
				if i%5 == 0 {
					req.Op = units.OpDelete
				}
				svc.Handle(now, &req)
			})
		}
		var trace []int64
		k.Every(0, sim.Second, end, sim.HandlerFunc(func(sim.Time) {
			trace = append(trace, int64(st.Len()), st.Bytes())
		}))
		k.Run(end)
		return trace
	}
	a, b := run(), run()
	for i := range a {
		if a[i] != b[i] {
			t.Fatalf("runs differ at sample %d: %d vs %d", i/2, a[i], b[i])
		}
	}
	if a[len(a)-2] != 0 {
		t.Errorf("%d items left at the end, want none", a[len(a)-2])
	}
}

// Noting a write does not allocate once the structure has grown: rewrites
// move an entry, deletes and puts free and reuse slots.
func TestTTLNoteWriteDoesNotAllocate(t *testing.T) {
	svc, _, _ := ttlService(t, TableConfig{ReadCapacity: 40000, WriteCapacity: 40000, ItemCount: 1000, ItemSize: 500},
		sim.Hour, sim.Hour, 10*sim.Hour)
	keys := make([][]byte, 1000)
	for i := range keys {
		keys[i] = store.AppendSyntheticKey(nil, int64(i))
	}
	now := sim.Time(0)
	i := 0
	step := func() {
		now += sim.Millisecond
		req := Request{Op: units.OpPut, Key: keys[i%len(keys)], Size: 500}
		if i%3 == 1 {
			req.Op = units.OpDelete
		}
		svc.Handle(now, &req)
		i++
	}
	for range 20_000 { // grow the heap, slots, free list and index
		step()
	}
	if allocs := testing.AllocsPerRun(5000, step); allocs != 0 {
		t.Errorf("a write to a table with a TTL allocated %.2f times", allocs)
	}
}

// Keys that are not synthetic are kept as strings, and synthetic-looking
// keys that are not canonical ("k01") are not confused with "k1"
// (ttl.TestSyntheticNumber checks the parsing).
func TestTTLKeys(t *testing.T) {
	end := 300 * sim.Second
	svc, _, k := ttlService(t, TableConfig{}, ttlE, ttlD, end)
	st := svc.Tables()[0].Store()
	keys := []string{"k1", "k01", "order#17", "k1x"}
	for _, key := range keys {
		at(k, 0, func(now sim.Time) { handleAt(t, svc, now, Request{Op: units.OpPut, Key: []byte(key), Size: 300}) })
	}
	// Rewrite "k1" at 50 s: "k01" must still go at 100-110 s.
	at(k, 50*sim.Second, func(now sim.Time) { handleAt(t, svc, now, Request{Op: units.OpPut, Key: []byte("k1"), Size: 300}) })
	at(k, ttlE+ttlD+sim.Second, func(now sim.Time) {
		for _, key := range keys {
			_, ok := st.SizeOf([]byte(key), 0)
			if want := key == "k1"; ok != want {
				t.Errorf("%q at %v: present %v, want %v", key, now, ok, want)
			}
		}
	})
	k.Run(end)
	if st.Len() != 0 {
		t.Errorf("%d items left, want none", st.Len())
	}
}

// pending is the items with a TTL deletion pending.
func pending(x *ttl.Sweeper) int { n, _ := x.Pending(); return n }

// indexed is the pending items the TTL's index finds by key.
func indexed(x *ttl.Sweeper) int { _, n := x.Pending(); return n }
