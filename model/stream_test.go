package model

// Streams (REFERENCE: streams): each change once, per item in modification
// order; shards follow partitions; consumers poll shards, fall behind when
// slower than the write rate (the iterator age), lose what the 24 h
// retention trims before they read it; GetRecords calls are billed for
// client consumers, free for Lambda triggers.

import (
	"math"
	"testing"

	"github.com/ddbsim/ddbsim/model/store"
	"github.com/ddbsim/ddbsim/model/stream"
	"github.com/ddbsim/ddbsim/model/units"
	"github.com/ddbsim/ddbsim/sim"
)

// streamTable is a service with one table that has a stream.
func streamTable(t *testing.T, cfg TableConfig, sc stream.Config) (*Service, *Table, *stream.Log) {
	t.Helper()
	if sc.View == 0 {
		sc.View = stream.NewAndOldImages
	}
	cfg.Stream = &sc
	svc, _ := newTestServiceWith(t, DefaultParams(), cfg)
	tb := svc.Tables()[0]
	if tb.stream == nil {
		t.Fatal("a table configured with a stream has none")
	}
	return svc, tb, tb.stream
}

// spreadKeys returns n synthetic keys, whatever their partitions.
func spreadKeys(n int) [][]byte {
	keys := make([][]byte, n)
	for i := range keys {
		keys[i] = store.AppendSyntheticKey(nil, int64(i))
	}
	return keys
}

func streamNear(got, want, tol float64) bool { return math.Abs(got-want) <= tol*math.Abs(want) }

// record is what the test tap saw of one stream record.
type record struct {
	shard int
	key   string
	kind  store.ChangeKind
	ver   uint16
	at    sim.Time
}

// REFERENCE: streams — "Each change appears once; per item, in
// modification order". Concurrent loads of puts, updates, deletes,
// conditional puts that fail, batch writes and transactions, all on 8
// keys of a 4-partition table: every applied write is exactly one record,
// in the open shard of its key's partition, and per item the versions
// count up by one (a removal has none; the next insert starts again at 1)
// with INSERT, MODIFY and REMOVE as the item's existence says.
func TestStreamEachChangeOnceInItemOrder(t *testing.T) {
	const end = 60 * sim.Second
	svc, tb, st := streamTable(t, TableConfig{Name: "t", ReadCapacity: 300, WriteCapacity: 3000},
		stream.Config{Consumers: []stream.ConsumerConfig{{Name: "fn", Kind: stream.ConsumerLambda, BatchSize: 50, ProcessingTime: 20 * sim.Millisecond}}})
	if tb.Partitions() != 4 || st.Shards() != 4 {
		t.Fatalf("%d partitions, %d shards; want 4 and 4", tb.Partitions(), st.Shards())
	}
	var keys [][]byte
	for p := 0; p < 4; p++ {
		keys = append(keys, keysIn(tb, p, 2)...)
	}
	var recs []record
	st.SetTap(func(shard int, c *store.Change) {
		recs = append(recs, record{shard: shard, key: string(c.Key), kind: c.Kind, ver: c.Ver, at: c.At})
	})

	exists := map[string]bool{}
	ver := map[string]uint16{}
	var applied, checked int
	// expect checks the records the last request made against the items
	// it applied (in any order: a batch does not keep its parts' order).
	expect := func(now sim.Time, what string, keys ...[]byte) {
		t.Helper()
		got := recs[checked:]
		checked = len(recs)
		if len(got) != len(keys) {
			t.Fatalf("%v: %s applied %d writes, the stream logged %d", now, what, len(keys), len(got))
		}
		seen := map[string]bool{}
		for _, r := range got {
			if seen[r.key] {
				t.Fatalf("%v: %s logged item %q twice", now, what, r.key)
			}
			seen[r.key] = true
			if want := st.OpenShard(tb.PartitionOf(store.HashKey([]byte(r.key)))); r.shard != want {
				t.Errorf("%v: record of %q in shard %d, want %d (its partition's)", now, r.key, r.shard, want)
			}
			if r.at != now {
				t.Errorf("%v: record made at %v", now, r.at)
			}
		}
		for _, k := range keys {
			if !seen[string(k)] {
				t.Fatalf("%v: %s applied a write to %q that the stream did not log", now, what, k)
			}
		}
		for _, r := range got {
			applied++
			switch r.kind {
			case store.ChangeRemove:
				if !exists[r.key] || r.ver != 0 {
					t.Errorf("%v: REMOVE of %q (existed %v) with version %d", now, r.key, exists[r.key], r.ver)
				}
				exists[r.key], ver[r.key] = false, 0
			case store.ChangeInsert, store.ChangeModify:
				if want := map[bool]store.ChangeKind{false: store.ChangeInsert, true: store.ChangeModify}[exists[r.key]]; r.kind != want {
					t.Errorf("%v: %v of %q, which existed: %v", now, r.kind, r.key, exists[r.key])
				}
				if r.ver != ver[r.key]+1 {
					t.Errorf("%v: %v of %q has version %d after %d", now, r.kind, r.key, r.ver, ver[r.key])
				}
				exists[r.key], ver[r.key] = true, r.ver
			default:
				t.Fatalf("record kind %v", r.kind)
			}
		}
	}

	h := newHarness(svc, end)
	single := func(rate float64, op units.Op, every int) {
		n := 0
		h.k.Every(0, sim.FromSeconds(1/rate), end-1, sim.HandlerFunc(func(now sim.Time) {
			n++
			req := Request{Op: op, Key: keys[(n*7+int(op))%len(keys)], Size: 100 + 37*(n%20),
				ConditionFails: every > 0 && n%every == 0}
			existed := exists[string(req.Key)]
			resp := svc.Handle(now, &req)
			switch {
			case !resp.Admitted() || resp.Error != NoError:
				expect(now, op.String()+" not applied")
			case op == units.OpDelete && !existed:
				expect(now, "delete of a missing item")
			default:
				expect(now, op.String(), req.Key)
			}
		}))
	}
	single(97, units.OpPut, 5)
	single(53, units.OpUpdate, 0)
	single(31, units.OpDelete, 0)
	multi := func(rate float64, op units.Op, parts int) {
		n := 0
		items := make([]BatchItem, parts)
		h.k.Every(3*sim.Millisecond, sim.FromSeconds(1/rate), end-1, sim.HandlerFunc(func(now sim.Time) {
			n++
			for i := range items {
				items[i] = BatchItem{Key: keys[(n+3*i)%len(keys)], Size: 200 + 10*i}
			}
			req := Request{Op: op, Items: items}
			resp := svc.Handle(now, &req)
			switch {
			case !resp.Admitted() || resp.Error != NoError:
				expect(now, op.String()+" not applied")
			default:
				var done [][]byte
				for _, it := range items[resp.Unprocessed:] {
					done = append(done, it.Key)
				}
				expect(now, op.String(), done...)
			}
		}))
	}
	multi(17, units.OpBatchWrite, 3)
	multi(11, units.OpTransactWrite, 2)
	h.k.Run(end)

	if applied < 8000 {
		t.Fatalf("only %d writes applied", applied)
	}
	var kinds [4]int
	for _, r := range recs {
		kinds[r.kind]++
	}
	if kinds[store.ChangeInsert] < 100 || kinds[store.ChangeModify] < 1000 || kinds[store.ChangeRemove] < 100 {
		t.Errorf("records by kind %v: the loads should insert, modify and remove", kinds)
	}
	var total int64
	for si := range st.Shards() {
		total += st.ShardRecords(si)
	}
	s := st.Sample(end)[0]
	if total != int64(len(recs)) || s.Records != int64(len(recs)) {
		t.Errorf("shards hold %d records, the stream counts %d; the tap saw %d", total, s.Records, len(recs))
	}
	// A consumer faster than the writes has processed nearly all of them.
	if s.Lost != 0 || s.Backlog > 500 || s.Processed+s.Backlog != s.Records {
		t.Errorf("consumer %+v: want nothing lost and a backlog of under a second", s)
	}
}

// REFERENCE: streams — a consumer "falls behind when processing is slower
// than the write rate; its lag is the iterator age". Writes at w = 100/s;
// a Lambda trigger of batch 10, parallelization 1, 200 ms a batch reads
// c = 50/s, so it is at time t working on records written at c/w * t:
// the age grows as (1 - c/w) t = 0.5 t. A trigger of 50 ms a batch
// (200/s) keeps up: the age stays under the 1 s record time grain plus
// the 250 ms poll. A trigger of 100 ms a batch whose batches fail half the
// time (FailureRatio 0.5: retried whole, two attempts a batch on average)
// also reads 50/s, give or take the draws.
func TestStreamIteratorAgeGrowsWhenConsumerIsSlow(t *testing.T) {
	const end = 801 * sim.Second
	for _, tt := range []struct {
		name       string
		processing sim.Time
		failures   float64
		slope      float64 // of the iterator age; 0: keeps up
		tol        float64
		from       sim.Time // the first time checked (the draws average out)
	}{
		{"slow: 50/s against 100/s", 200 * sim.Millisecond, 0, 0.5, 0.03, 100 * sim.Second},
		{"fast: 200/s against 100/s", 50 * sim.Millisecond, 0, 0, 0, 0},
		{"half the batches fail: 50/s against 100/s", 100 * sim.Millisecond, 0.5, 0.5, 0.05, 400 * sim.Second},
	} {
		t.Run(tt.name, func(t *testing.T) {
			svc, _, st := streamTable(t, TableConfig{Name: "t", ReadCapacity: 100, WriteCapacity: 500},
				stream.Config{Consumers: []stream.ConsumerConfig{{Name: "fn", Kind: stream.ConsumerLambda, BatchSize: 10,
					Parallelization: 1, ProcessingTime: tt.processing, FailureRatio: tt.failures}}})
			writes := &load{from: 0, to: end, rate: 100, pick: cycle(spreadKeys(50)), req: Request{Op: units.OpPut, Size: 500}}
			h := newHarness(svc, end)
			h.add(writes)
			ages := map[sim.Time]stream.ConsumerState{}
			var maxAge sim.Time
			h.k.Every(10*sim.Second, 10*sim.Second, end-1, sim.HandlerFunc(func(now sim.Time) {
				s := st.Sample(now)[0]
				ages[now] = s
				maxAge = max(maxAge, s.IteratorAge)
			}))
			h.k.Run(end)
			if writes.admitted != writes.sent {
				t.Fatalf("%d of %d writes throttled", writes.sent-writes.admitted, writes.sent)
			}
			if tt.slope == 0 {
				if maxAge > 1500*sim.Millisecond {
					t.Errorf("a consumer twice as fast as the writes reached an iterator age of %v", maxAge)
				}
				return
			}
			for _, at := range []sim.Time{100 * sim.Second, 200 * sim.Second, 400 * sim.Second, 800 * sim.Second} {
				if at < tt.from {
					continue
				}
				s := ages[at]
				want := tt.slope * at.Seconds()
				if !streamNear(s.IteratorAge.Seconds(), want, tt.tol) {
					t.Errorf("at %v the iterator age is %v, want (1 - 50/100) x %v = %.0fs", at, s.IteratorAge, at, want)
				}
				// It has processed c t = 50 t records; the rest wait.
				if !streamNear(float64(s.Processed), 50*at.Seconds(), tt.tol) || s.Processed+s.Backlog != s.Records {
					t.Errorf("at %v: %+v, want 50/s processed", at, s)
				}
			}
			// A failed batch is retried: a retry per success, on average.
			if s := ages[800*sim.Second]; (s.Retries > 0) != (tt.failures > 0) ||
				tt.failures > 0 && !streamNear(float64(s.Retries), float64(s.Processed)/10, tt.tol) {
				t.Errorf("%d retries for %d batches processed, failure ratio %v", s.Retries, s.Processed/10, tt.failures)
			}
			if slope := (ages[800*sim.Second].IteratorAge - ages[200*sim.Second].IteratorAge).Seconds() / 600; !streamNear(slope, tt.slope, tt.tol) {
				t.Errorf("the iterator age grows at %.3f s/s, want 1 - c/w = %.1f", slope, tt.slope)
			}
		})
	}
}

// REFERENCE: streams — records are "kept 24 h". Writes at w = 10/s; a
// consumer reading c = 1/s. Its age (1 - c/w) t reaches 24 h at
// t0 = 24 h / 0.9 = 26.67 h, and nothing is lost before; from then on it
// reads at the trim point and loses the rest: by T, w (T - 24 h) - c T
// records (43,200 at 28 h). Its age never exceeds the retention, and the
// shard's memory is one run a second of the retention however many
// records it took.
func TestStreamConsumerBeyondRetentionLosesRecords(t *testing.T) {
	const (
		end = 28*sim.Hour + sim.Second
		w   = 10.0
		c   = 1.0
	)
	svc, _, st := streamTable(t, TableConfig{Name: "t", ReadCapacity: 10, WriteCapacity: 50},
		stream.Config{Consumers: []stream.ConsumerConfig{{Name: "fn", Kind: stream.ConsumerLambda, BatchSize: 1, ProcessingTime: sim.Second}}})
	writes := &load{from: 0, to: end, rate: w, pick: cycle(spreadKeys(20)), req: Request{Op: units.OpPut, Size: 200}}
	h := newHarness(svc, end)
	h.add(writes)
	type point struct {
		at sim.Time
		s  stream.ConsumerState
	}
	var points []point
	maxRuns := 0
	h.k.Every(10*sim.Minute, 10*sim.Minute, end-1, sim.HandlerFunc(func(now sim.Time) {
		points = append(points, point{now, st.Sample(now)[0]})
		maxRuns = max(maxRuns, held(st))
	}))
	h.k.Run(end)
	if writes.admitted != writes.sent {
		t.Fatalf("%d of %d writes throttled", writes.sent-writes.admitted, writes.sent)
	}
	t0 := sim.FromSeconds(stream.Retention.Seconds() / (1 - c/w))
	for _, p := range points {
		s, hours := p.s, p.at.Seconds()
		if s.IteratorAge > stream.Retention+2*sim.Second {
			t.Errorf("at %v the iterator age is %v, beyond the 24 h retention", p.at, s.IteratorAge)
		}
		if s.Processed+s.Backlog+s.Lost != s.Records {
			t.Errorf("at %v: processed + backlog + lost != records: %+v", p.at, s)
		}
		if p.at < t0-sim.Minute {
			if s.Lost != 0 {
				t.Errorf("at %v (age %v, under 24 h) %d records lost", p.at, s.IteratorAge, s.Lost)
			}
			if want := (1 - c/w) * hours; !streamNear(s.IteratorAge.Seconds(), want, 0.01) {
				t.Errorf("at %v the iterator age is %v, want %.0fs", p.at, s.IteratorAge, want)
			}
			continue
		}
		if p.at < t0+30*sim.Minute {
			continue
		}
		want := w*(hours-stream.Retention.Seconds()) - c*hours
		if !streamNear(float64(s.Lost), want, 0.03) {
			t.Errorf("at %v: %d records lost, want w (T - 24h) - c T = %.0f", p.at, s.Lost, want)
		}
		if !streamNear(float64(s.Processed), c*hours, 0.01) {
			t.Errorf("at %v: %d records processed, want c T = %.0f", p.at, s.Processed, c*hours)
		}
	}
	last := points[len(points)-1]
	if last.at != 28*sim.Hour || !streamNear(float64(last.s.Lost), 43200, 0.03) {
		t.Errorf("at %v: %d lost, want 43,200 at 28 h", last.at, last.s.Lost)
	}
	if maxRuns > int(stream.Retention/sim.Second)+1 || ring(st) > 1<<17 {
		t.Errorf("the shard held %d runs in a ring of %d for 24 h of records", maxRuns, ring(st))
	}
}

// REFERENCE: streams — "Shards follow partitions"; per item, records stay
// in modification order, so a consumer reads a split partition's child
// shards only after its parent's. A one-partition table split at 10 s,
// then its first child split again at 15 s (partition indexes shift):
// records go to the open shard of their partition, and no consumer reads
// a child before it has done every record of its parent.
func TestStreamSplitOpensChildShardsReadAfterParent(t *testing.T) {
	const end = 200 * sim.Second
	svc, tb, st := streamTable(t, TableConfig{Name: "t", ReadCapacity: 100, WriteCapacity: 500},
		stream.Config{Consumers: []stream.ConsumerConfig{
			{Name: "fn", Kind: stream.ConsumerLambda, BatchSize: 10, Parallelization: 2, ProcessingTime: sim.Second},
			{Name: "app", Kind: stream.ConsumerClient, BatchSize: 20, ProcessingTime: 500 * sim.Millisecond},
		}})
	var recs []record
	var hashes []uint64
	st.SetTap(func(shard int, c *store.Change) {
		recs = append(recs, record{shard: shard, key: string(c.Key), kind: c.Kind, ver: c.Ver, at: c.At})
		hashes = append(hashes, c.PKHash)
	})
	writes := &load{from: 0, to: 20 * sim.Second, rate: 100, pick: cycle(spreadKeys(40)), req: Request{Op: units.OpPut, Size: 300}}
	h := newHarness(svc, end)
	h.add(writes)
	h.k.At(10*sim.Second, sim.HandlerFunc(func(now sim.Time) { tb.split(now, 0, tb.Range(0).Middle()) }))
	h.k.At(15*sim.Second, sim.HandlerFunc(func(now sim.Time) { tb.split(now, 0, tb.Range(0).Middle()) }))
	// Shard 0 splits into 1 (partition 0) and 2 (partition 1); shard 1
	// into 3 and 4, partition 1 becoming partition 2.
	parents := []int{-1, 0, 0, 1, 1}
	started := make([][]sim.Time, 2) // when each consumer first took a child's record
	finished := make([][]sim.Time, 2)
	for ci := range started {
		started[ci] = []sim.Time{-1, -1, -1, -1, -1}
		finished[ci] = []sim.Time{-1, -1, -1, -1, -1}
	}
	h.k.Every(0, 10*sim.Millisecond, end-1, sim.HandlerFunc(func(now sim.Time) {
		for ci := range started {
			for si := range st.Shards() {
				took, done := st.Reader(ci, si)
				if started[ci][si] < 0 && took {
					started[ci][si] = now
				}
				if finished[ci][si] < 0 && done {
					finished[ci][si] = now
				}
				if _, parentDone := st.Reader(ci, max(parents[si], 0)); parents[si] >= 0 && took && !parentDone {
					p := parents[si]
					t.Fatalf("%v: consumer %d reads shard %d before finishing its parent %d", now, ci, si, p)
				}
			}
		}
	}))
	h.k.Run(end)

	if st.Shards() != 5 || tb.Partitions() != 3 {
		t.Fatalf("%d shards for %d partitions, want 5 for 3", st.Shards(), tb.Partitions())
	}
	if want := []int{3, 4, 2}; st.OpenShard(0) != want[0] || st.OpenShard(1) != want[1] || st.OpenShard(2) != want[2] {
		t.Fatalf("open shards by partition %v, want %v", []int{st.OpenShard(0), st.OpenShard(1), st.OpenShard(2)}, want)
	}
	perShard := make([]int64, 5)
	for i, r := range recs {
		var want int
		p := tb.PartitionOf(hashes[i])
		switch {
		case r.at < 10*sim.Second:
			want = 0
		case r.at < 15*sim.Second:
			// Two partitions then: partitions 0 and 1 of now are the
			// first child's.
			want = map[bool]int{true: 1, false: 2}[p <= 1]
		default:
			want = []int{3, 4, 2}[p]
		}
		if r.shard != want {
			t.Fatalf("record %d at %v of partition %d in shard %d, want %d", i, r.at, p, r.shard, want)
		}
		perShard[r.shard]++
	}
	for si, n := range perShard {
		if n == 0 || st.ShardRecords(si) != n {
			t.Errorf("shard %d took %d records, the tap saw %d", si, st.ShardRecords(si), n)
		}
	}
	for ci := range 2 {
		s := st.Sample(end)[ci]
		if s.Processed != int64(len(recs)) || s.Backlog != 0 || s.IteratorAge != 0 {
			t.Errorf("consumer %d at the end: %+v, want all %d records processed", ci, s, len(recs))
		}
		for si, p := range parents {
			if p < 0 {
				continue
			}
			if started[ci][si] < 0 || finished[ci][p] < 0 {
				t.Errorf("consumer %d never read shard %d or never finished its parent %d", ci, si, p)
			} else if started[ci][si] < finished[ci][p] {
				t.Errorf("consumer %d started shard %d at %v, finished its parent at %v", ci, si, started[ci][si], finished[ci][p])
			}
		}
		// The parent held 10 s of records at 100/s: the child waited.
		if started[ci][1] < 12*sim.Second {
			t.Errorf("consumer %d started the first child at %v, before it could have read 1,000 parent records", ci, started[ci][1])
		}
	}
}

// REFERENCE: streams — "Price: per GetRecords read request unit";
// reads by Lambda triggers are free. Through the service: an idle client
// consumer of a two-partition table polls each shard once a second, and
// the table's meter bills every call.
func TestStreamClientReadsAreBilledThroughTheService(t *testing.T) {
	svc, tb, st := streamTable(t, TableConfig{Name: "t", ReadCapacity: 100, WriteCapacity: 100, Partitions: 2},
		stream.Config{Consumers: []stream.ConsumerConfig{
			{Name: "app", Kind: stream.ConsumerClient},
			{Name: "fn", Kind: stream.ConsumerLambda},
		}})
	drive(t, svc, 60*sim.Second)
	if got := tb.Meter().StreamReadUnits; got != 120 || st.ReadUnits() != 120 {
		t.Errorf("idle client over 2 shards for 60 s: %v stream read units billed (%d counted), want 2 x 60", got, st.ReadUnits())
	}
	if s := st.Sample(60 * sim.Second); s[1].ReadUnits != 2*4*60 {
		t.Errorf("the idle Lambda trigger made %d calls, want 4 a second on each of 2 shards", s[1].ReadUnits)
	}
}

// DESIGN: the hot path allocates nothing in steady state. After a day and
// an hour of writes (the retention full, runs trimmed as they are added),
// a write through Handle and the consumers' polls and batches, failures
// and retries included, allocate nothing.
func TestStreamAllocatesNothingInSteadyState(t *testing.T) {
	svc, _, st := streamTable(t, TableConfig{Name: "t", ReadCapacity: 100, WriteCapacity: 1000, ItemCount: 100, ItemSize: 500},
		stream.Config{Consumers: []stream.ConsumerConfig{
			{Name: "fn", Kind: stream.ConsumerLambda, BatchSize: 5, Parallelization: 3, ProcessingTime: 300 * sim.Millisecond, FailureRatio: 0.1},
			{Name: "app", Kind: stream.ConsumerClient, BatchSize: 50, ProcessingTime: 50 * sim.Millisecond},
		}})
	keys := spreadKeys(100)
	k := sim.New(1)
	st.Start(k, 1000*sim.Hour)
	var now sim.Time
	i := 0
	write := func(gap sim.Time) {
		now += gap
		i++
		req := Request{Op: units.OpPut, Key: keys[i%len(keys)], Size: 400 + i%200}
		if !svc.Handle(now, &req).Admitted() {
			t.Fatal("write throttled")
		}
		k.Run(now)
	}
	for now < 25*sim.Hour {
		write(sim.Second)
	}
	allocs := testing.AllocsPerRun(200, func() {
		for j := 0; j < 20; j++ {
			write(100 * sim.Millisecond)
		}
	})
	if allocs != 0 {
		t.Errorf("%v allocations for 20 writes and their consumption", allocs)
	}
	s := st.Sample(now)
	if s[0].Retries == 0 || s[0].Processed == 0 || s[1].Processed == 0 {
		t.Errorf("consumers %+v: want both reading, the trigger retrying", s)
	}
}

// held is the runs the stream's first shard holds.
func held(st *stream.Log) int { n, _ := st.ShardRuns(0); return n }

// ring is the size of the ring the first shard holds its runs in.
func ring(st *stream.Log) int { _, n := st.ShardRuns(0); return n }
