package model

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/ddbsim/ddbsim/model/billing"
	"github.com/ddbsim/ddbsim/model/latency"
	"github.com/ddbsim/ddbsim/model/store"
	"github.com/ddbsim/ddbsim/model/units"
	"github.com/ddbsim/ddbsim/sim"
)

// globalService is an on-demand global table over regions, with a
// constant replication lag when lag > 0.
func globalService(t *testing.T, regions []string, lag sim.Time, edit func(*TableConfig)) (*Service, *countingRecorder) {
	t.Helper()
	p := DefaultParams()
	if lag > 0 {
		p.ReplicationLag = latency.Lognormal{Median: lag, P99: lag}
	}
	cfg := TableConfig{Name: "t", Mode: OnDemand, Replicas: regions}
	if edit != nil {
		edit(&cfg)
	}
	svc, rec := newTestServiceWith(t, p, cfg)
	if got := len(svc.Tables()); got != len(regions) {
		t.Fatalf("%d tables for %d regions", got, len(regions))
	}
	return svc, rec
}

func replicaIn(t *testing.T, svc *Service, region string) int {
	t.Helper()
	i, ok := svc.TableIn("t", region)
	if !ok {
		t.Fatalf("no replica in %s", region)
	}
	return i
}

// REFERENCE: global — "5 + 10 + 5 writes/s in three regions = 20 rWCU in
// each region, 60 in all": every replica takes every write.
func TestReplicatedWriteUnits(t *testing.T) {
	regions := []string{"us-east-1", "eu-west-1", "ap-south-1"}
	svc, rec := globalService(t, regions, 0, nil)
	const seconds = 60
	var loads []*load
	for i, rate := range []float64{5, 10, 5} {
		table := replicaIn(t, svc, regions[i])
		n := 0
		loads = append(loads, &load{from: 0, to: seconds * sim.Second, rate: rate,
			pick: func(int) []byte { n++; return store.AppendSyntheticKey(nil, int64(i*1_000_000+n)) },
			req:  Request{Table: table, Op: units.OpPut, Size: kb}})
	}
	drive(t, svc, seconds*sim.Second+time10s, loads...)
	var total units.Units
	for i := range regions {
		got := rec.consumedBy[i][1]
		total += got
		if got != units.WholeUnits(20*seconds) {
			t.Errorf("%s consumed %v write units in %d s, want 20/s", svc.Tables()[i].Name(), got, seconds)
		}
		if m := svc.Tables()[i].Meter(); !m.Replicated {
			t.Errorf("%s is not billed as a replica", svc.Tables()[i].Name())
		}
	}
	if total != units.WholeUnits(60*seconds) {
		t.Errorf("%v write units in all, want 60/s", total)
	}
	charges := billing.Itemize([]billing.Meter{svc.Tables()[0].Meter()}, []billing.PriceBook{{WriteRequestUnit: 1, ReplicatedWriteRequestUnit: 2}}, 1, false)
	for _, c := range charges {
		if c.Item == billing.ItemWriteRequests {
			t.Errorf("a replica billed %v on %s, want replicated_write_requests", c.Quantity, c.Item)
		}
		if c.Item == billing.ItemReplicatedWriteRequests && c.USD != 2*20*seconds {
			t.Errorf("replicated write requests $%v, want %d units at $2", c.USD, 20*seconds)
		}
	}
}

const time10s = 10 * sim.Second

// poisson schedules writes of one item in a replica at exponential gaps of
// mean 1/rate until end, and keeps the times of those admitted.
func poisson(k *sim.Kernel, svc *Service, r *rand.Rand, table int, rate float64, end sim.Time, times *[]sim.Time) {
	var next sim.HandlerFunc
	next = func(now sim.Time) {
		req := Request{Table: table, Op: units.OpPut, Key: []byte("hot"), Size: 100}
		if svc.Handle(now, &req).Admitted() {
			*times = append(*times, now)
		}
		if at := now + sim.Time(r.ExpFloat64()/rate*float64(sim.Second)); at < end {
			k.At(at, next)
		}
	}
	k.At(sim.Time(r.ExpFloat64()/rate*float64(sim.Second)), next)
}

// REFERENCE: global — "concurrent writes to one item in two regions
// resolve last-writer-wins". With a constant lag L, a write made in one
// region is overwritten in the other when that region wrote the item in
// the L after it. The model's conflicts are exactly those pairs of the
// writes it was given; and with Poisson writes of one item at rates a and
// b, a write from A meets one from B with probability 1 - e^(-bL), so
// over T seconds about T(a(1-e^(-bL)) + b(1-e^(-aL))) conflicts.
func TestLastWriterWinsConflicts(t *testing.T) {
	for _, tc := range []struct {
		a, b float64
		lag  sim.Time
	}{{2, 2, sim.Second}, {1, 3, 500 * sim.Millisecond}, {0.5, 0.5, 2 * sim.Second}} {
		svc, rec := globalService(t, []string{"us-east-1", "eu-west-1"}, tc.lag, nil)
		const T = 5000 * sim.Second
		k := sim.New(1)
		svc.Start(k, T+time10s)
		r := rand.New(rand.NewPCG(7, uint64(tc.a*10+tc.b)))
		var times [2][]sim.Time
		poisson(k, svc, r, 0, tc.a, T, &times[0])
		poisson(k, svc, r, 1, tc.b, T, &times[1])
		k.Run(T + time10s)
		conflicts, delivered := 0, 0
		for _, ev := range rec.global {
			switch ev.Kind {
			case GlobalConflict:
				conflicts++
			case GlobalDelivered:
				delivered++
			}
		}
		pairs := 0
		for a := range 2 {
			other := times[1-a]
			for _, at := range times[a] {
				i, _ := slices.BinarySearch(other, at+1)
				if i < len(other) && other[i] <= at+tc.lag {
					pairs++
				}
			}
		}
		if conflicts != pairs {
			t.Errorf("a=%v b=%v lag %v: %d conflicts, but %d writes met one from the other region within the lag",
				tc.a, tc.b, tc.lag, conflicts, pairs)
		}
		if n := len(times[0]) + len(times[1]); conflicts+delivered != n {
			t.Errorf("%d conflicts + %d delivered for %d writes: each write reaches the other replica once", conflicts, delivered, n)
		}
		L := tc.lag.Seconds()
		want := T.Seconds() * (tc.a*(1-math.Exp(-tc.b*L)) + tc.b*(1-math.Exp(-tc.a*L)))
		if math.Abs(float64(conflicts)-want) > 0.05*want {
			t.Errorf("a=%v b=%v lag %v: %d conflicts, expected %.0f within 5%%", tc.a, tc.b, tc.lag, conflicts, want)
		}
		t.Logf("a=%v b=%v lag %v: %d conflicts, expected %.0f", tc.a, tc.b, tc.lag, conflicts, want)
	}
}

// A read in one region sees another region's write only after the lag:
// until then it is stale.
func TestReplicaReadsAreStaleUntilTheLag(t *testing.T) {
	svc, rec := globalService(t, []string{"us-east-1", "eu-west-1"}, sim.Second, nil)
	k := sim.New(1)
	svc.Start(k, time10s)
	eu := replicaIn(t, svc, "eu-west-1")
	put := Request{Table: 0, Op: units.OpPut, Key: []byte("a"), Size: 2 * kb}
	get := Request{Table: eu, Op: units.OpGet, Key: []byte("a")}
	var reads []GlobalEvent
	k.At(sim.Second, sim.HandlerFunc(func(now sim.Time) { svc.Handle(now, &put) }))
	for _, at := range []sim.Time{1500 * sim.Millisecond, 2500 * sim.Millisecond} {
		k.At(at, sim.HandlerFunc(func(now sim.Time) {
			g := get
			svc.Handle(now, &g)
			reads = append(reads, rec.global[len(rec.global)-1])
		}))
	}
	k.Run(time10s)
	if len(reads) != 2 || !reads[0].Stale || reads[1].Stale {
		t.Fatalf("reads %+v: want stale half a second after the write, fresh after the 1 s lag", reads)
	}
	if size, ok := svc.Tables()[eu].Store().SizeOf([]byte("a"), 0); !ok || size != 2*kb {
		t.Errorf("the replica holds %d bytes (found %v), want the 2 KB item", size, ok)
	}
}

// A region outage: requests to it fail; writes made there just before,
// still on their way, are stranded until it returns; writes to it wait.
func TestRegionOutage(t *testing.T) {
	svc, rec := globalService(t, []string{"us-east-1", "eu-west-1"}, sim.Second, nil)
	svc.AddFault(Fault{Region: "us-east-1", At: 2 * sim.Second, Outage: 5 * sim.Second})
	k := sim.New(1)
	svc.Start(k, 20*sim.Second)
	eu := replicaIn(t, svc, "eu-west-1")
	var during Response
	k.At(1500*sim.Millisecond, sim.HandlerFunc(func(now sim.Time) {
		put := Request{Table: 0, Op: units.OpPut, Key: []byte("a"), Size: kb} // in flight at 2 s
		svc.Handle(now, &put)
	}))
	k.At(3*sim.Second, sim.HandlerFunc(func(now sim.Time) {
		put := Request{Table: 0, Op: units.OpPut, Key: []byte("b"), Size: kb}
		during = svc.Handle(now, &put)
		put = Request{Table: eu, Op: units.OpPut, Key: []byte("c"), Size: kb}
		svc.Handle(now, &put)
	}))
	var euHasA, usHasC [2]bool
	k.At(6*sim.Second, sim.HandlerFunc(func(sim.Time) {
		_, euHasA[0] = svc.Tables()[eu].Store().SizeOf([]byte("a"), 0)
		_, usHasC[0] = svc.Tables()[0].Store().SizeOf([]byte("c"), 0)
	}))
	k.At(8*sim.Second, sim.HandlerFunc(func(sim.Time) {
		_, euHasA[1] = svc.Tables()[eu].Store().SizeOf([]byte("a"), 0)
		_, usHasC[1] = svc.Tables()[0].Store().SizeOf([]byte("c"), 0)
	}))
	k.Run(20 * sim.Second)
	if during.Error != ErrRegionUnavailable {
		t.Errorf("a write to the region while it is down: %+v, want region_unavailable", during)
	}
	stranded := 0
	for _, ev := range rec.global {
		if ev.Kind == GlobalUnreplicated {
			stranded++
		}
	}
	if stranded != 1 {
		t.Errorf("%d writes unreplicated at the outage, want 1 (the write at 1.5 s)", stranded)
	}
	if euHasA != [2]bool{false, true} || usHasC != [2]bool{false, true} {
		t.Errorf("during/after the outage: eu has a %v, us has c %v; want each only after the region returns at 7 s", euHasA, usHasC)
	}
}

// Multi-region strong consistency: a write of an item that another region
// is still replicating fails with a replicated write conflict, and writes
// wait for the nearest replica.
func TestStrongConsistencyConflicts(t *testing.T) {
	svc, _ := globalService(t, []string{"us-east-1", "us-east-2", "us-west-2"}, sim.Second,
		func(c *TableConfig) { c.StrongConsistency = true })
	east2 := replicaIn(t, svc, "us-east-2")
	k := sim.New(1)
	svc.Start(k, time10s)
	put := func(table int) Request { return Request{Table: table, Op: units.OpPut, Key: []byte("a"), Size: kb} }
	var first, second, later, same Response
	k.At(sim.Second, sim.HandlerFunc(func(now sim.Time) { r := put(0); first = svc.Handle(now, &r) }))
	k.At(1500*sim.Millisecond, sim.HandlerFunc(func(now sim.Time) { r := put(east2); second = svc.Handle(now, &r) }))
	k.At(1600*sim.Millisecond, sim.HandlerFunc(func(now sim.Time) { r := put(0); same = svc.Handle(now, &r) }))
	k.At(4*sim.Second, sim.HandlerFunc(func(now sim.Time) { r := put(east2); later = svc.Handle(now, &r) }))
	k.Run(time10s)
	if first.Error != NoError || second.Error != ErrReplicatedWriteConflict || same.Error != NoError || later.Error != NoError {
		t.Errorf("errors %v, %v, %v, %v; want the write from another region within the lag to conflict",
			first.Error, second.Error, same.Error, later.Error)
	}
	if first.Latency < sim.Second {
		t.Errorf("a strongly consistent write took %v, want at least the 1 s replication to a neighbour", first.Latency)
	}
	if _, err := NewService([]TableConfig{{Name: "x", Schema: store.KeySchema{PartitionKey: "pk"}, Mode: OnDemand,
		Replicas: []string{"us-east-1", "eu-west-1"}, StrongConsistency: true}}, DefaultParams(), latency.DefaultLatency(),
		rand.New(rand.NewPCG(1, 1)), &countingRecorder{}); err == nil {
		t.Error("strong consistency over 2 replicas was accepted; it needs exactly 3")
	}
}

// REFERENCE: units — storage billing adds 100 bytes to every item, and a
// global table's replica 48 bytes more (AWS Developer Guide, "DynamoDB
// item sizes and formats"): 1,000 items of 1 KB are billed as 1,124,000
// bytes in one region, 1,172,000 in each replica of a global table.
func TestGlobalTableStorageOverhead(t *testing.T) {
	for _, tc := range []struct {
		name     string
		regions  []string
		overhead int64 // Params.GlobalStorageOverhead
		want     int64 // billed bytes in each replica
	}{
		{"one region", nil, units.GlobalTableStorageOverhead, 1_000 * (1024 + 100)},
		{"two replicas", []string{"us-east-1", "eu-west-1"}, units.GlobalTableStorageOverhead, 1_000 * (1024 + 100 + 48)},
		{"three replicas", []string{"us-east-1", "eu-west-1", "ap-southeast-2"}, units.GlobalTableStorageOverhead, 1_000 * (1024 + 148)},
		{"without the overhead", []string{"us-east-1", "eu-west-1"}, 0, 1_000 * (1024 + 100)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := DefaultParams()
			p.GlobalStorageOverhead = tc.overhead
			svc, _ := newTestServiceWith(t, p, TableConfig{Name: "t", Mode: OnDemand, Replicas: tc.regions,
				ItemCount: 1_000, ItemSize: 1024})
			for _, r := range svc.Tables() {
				if got := r.billableBytes(); got != tc.want {
					t.Errorf("%s: %d bytes billed, want %d", r.cfg.Name, got, tc.want)
				}
			}
		})
	}
}
