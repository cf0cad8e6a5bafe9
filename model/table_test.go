package model

import (
	"math/rand/v2"
	"testing"
	"testing/quick"

	"github.com/ddbsim/ddbsim/model/capacity"
	"github.com/ddbsim/ddbsim/model/latency"
	"github.com/ddbsim/ddbsim/model/store"
	"github.com/ddbsim/ddbsim/model/units"
	"github.com/ddbsim/ddbsim/sim"
)

// REFERENCE: partitions — initial partitions = ceil(RCU/3000 + WCU/1000),
// at least 1, and enough for the stored size at 10 GB each.
func TestInitialPartitions(t *testing.T) {
	tests := []struct {
		rcu, wcu, bytes int64
		want            int
	}{
		{1, 1, 0, 1},
		{1000, 500, 0, 1},         // 0.33 + 0.5 -> 1
		{3000, 1000, 0, 2},        // 1 + 1
		{3001, 0, 0, 2},           // just over one partition's reads
		{0, 1001, 0, 2},           // just over one partition's writes
		{12000, 4000, 0, 8},       // the on-demand warm throughput
		{40000, 40000, 0, 54},     // 13.33 + 40 -> 54
		{100, 100, 25 << 30, 3},   // 25 GB needs 3 partitions of 10 GB
		{6000, 0, 10 << 30, 2},    // throughput and size agree
		{100, 100, 10<<30 + 1, 2}, // one byte over 10 GB
	}
	for _, tt := range tests {
		if got := capacity.InitialPartitions(tt.rcu, tt.wcu, tt.bytes); got != tt.want {
			t.Errorf("InitialPartitions(%d RCU, %d WCU, %d B) = %d, want %d", tt.rcu, tt.wcu, tt.bytes, got, tt.want)
		}
	}
}

func newTestTable(t *testing.T, cfg TableConfig) *Table {
	t.Helper()
	if cfg.Schema.PartitionKey == "" {
		cfg.Schema.PartitionKey = "pk"
	}
	p := DefaultParams()
	tb, err := newTable(0, cfg, &p)
	if err != nil {
		t.Fatal(err)
	}
	return tb
}

// REFERENCE: partitions — table capacity is divided evenly across
// partitions; the shares add up to the table's capacity exactly.
func TestCapacityDividedEvenly(t *testing.T) {
	tb := newTestTable(t, TableConfig{Name: "t", ReadCapacity: 10000, WriteCapacity: 2000})
	if got := tb.Partitions(); got != 6 { // 3.33 + 2 -> 6
		t.Fatalf("partitions = %d, want 6", got)
	}
	var reads, writes units.Units
	for i := range tb.Partitions() {
		p := tb.Partition(i)
		reads += p.read.Rate()
		writes += p.write.Rate()
		if d := p.read.Rate() - units.WholeUnits(10000)/6; d < 0 || d > 1 {
			t.Errorf("partition %d read share %v, want 1666.666", i, p.read.Rate())
		}
	}
	if reads != units.WholeUnits(10000) || writes != units.WholeUnits(2000) {
		t.Fatalf("shares sum to %v RCU, %v WCU; want 10000, 2000", reads, writes)
	}
}

// PartitionOf must agree with a linear scan over the hash ranges.
func TestPartitionOfMatchesLinearScan(t *testing.T) {
	tb := newTestTable(t, TableConfig{Name: "t", ReadCapacity: 30000, WriteCapacity: 7000})
	linear := func(h uint64) int {
		owner := 0
		for i := range tb.Partitions() {
			if tb.parts[i].start <= h {
				owner = i
			}
		}
		return owner
	}
	check := func(h uint64) bool { return tb.PartitionOf(h) == linear(h) }
	if err := quick.Check(check, &quick.Config{MaxCount: 5000}); err != nil {
		t.Fatal(err)
	}
	for _, h := range []uint64{0, 1, ^uint64(0), tb.parts[1].start, tb.parts[1].start - 1} {
		if !check(h) {
			t.Errorf("hash %#x: PartitionOf %d, linear scan %d", h, tb.PartitionOf(h), linear(h))
		}
	}
}

type countingRecorder struct {
	consumedRead, consumedWrite units.Units
	throttles                   [NumThrottleReasons]int
	limits                      map[Limit]int
	events                      []CapacityEvent
	eventTimes                  []sim.Time
	last                        ThrottleEvent
	// DAX: accesses and stale hits by kind, read units saved, and the
	// normalized load of each second.
	cache, stale [NumCacheAccesses]int
	saved        units.Units
	cacheLoads   []units.Units
	// consumedBy is consumption by table, read and write.
	consumedBy map[int][2]units.Units
	global     []GlobalEvent
}

func (c *countingRecorder) Consumed(_ sim.Time, table, _ int, r, w units.Units) {
	c.consumedRead += r
	c.consumedWrite += w
	if c.consumedBy == nil {
		c.consumedBy = map[int][2]units.Units{}
	}
	u := c.consumedBy[table]
	c.consumedBy[table] = [2]units.Units{u[0] + r, u[1] + w}
}
func (c *countingRecorder) Throttle(_ sim.Time, ev *ThrottleEvent) {
	c.throttles[ev.Reason]++
	if c.limits == nil {
		c.limits = map[Limit]int{}
	}
	c.limits[ev.Limit]++
	c.last = *ev
}
func (c *countingRecorder) Retry(sim.Time, int, units.Op) {}
func (c *countingRecorder) Finish(Outcome)                {}
func (c *countingRecorder) Sample(_ sim.Time, _ int, st *TableState) {
	if st.Cache != nil {
		c.cacheLoads = append(c.cacheLoads, st.Cache.Load)
	}
}
func (c *countingRecorder) Global(_ sim.Time, ev *GlobalEvent) {
	c.global = append(c.global, *ev)
}
func (c *countingRecorder) Cache(_ sim.Time, ev *CacheEvent) {
	c.cache[ev.Access]++
	if ev.Stale {
		c.stale[ev.Access]++
	}
	c.saved += ev.Saved
}

func (c *countingRecorder) Event(now sim.Time, ev CapacityEvent) {
	c.events = append(c.events, ev)
	c.eventTimes = append(c.eventTimes, now)
}

// noBurst is the service with burst and adaptive capacity off: admission
// by each partition's one-second share alone, the first-cut model.
func noBurst() Params {
	p := DefaultParams()
	p.BurstWindow = sim.Second
	p.BurstStartsFull = false
	p.Adaptive = false
	return p
}

func newTestService(t *testing.T, cfgs ...TableConfig) (*Service, *countingRecorder) {
	return newTestServiceWith(t, noBurst(), cfgs...)
}

func newTestServiceWith(t *testing.T, params Params, cfgs ...TableConfig) (*Service, *countingRecorder) {
	t.Helper()
	for i := range cfgs {
		if cfgs[i].Schema.PartitionKey == "" {
			cfgs[i].Schema.PartitionKey = "pk"
		}
	}
	rec := &countingRecorder{}
	svc, err := NewService(cfgs, params, latency.DefaultLatency(), rand.New(rand.NewPCG(1, 1)), rec)
	if err != nil {
		t.Fatal(err)
	}
	return svc, rec
}

// Handle charges what REFERENCE: units prescribes for each operation.
func TestHandleChargesCapacityUnits(t *testing.T) {
	svc, _ := newTestService(t, TableConfig{Name: "t", ReadCapacity: 1000, WriteCapacity: 1000,
		ItemCount: 10, ItemSize: 3500})
	key := func(i int64) []byte { return store.AppendSyntheticKey(nil, i) }
	tests := []struct {
		name        string
		req         Request
		read, write float64
	}{
		{"eventual get of a 3.5 KB item", Request{Op: units.OpGet, Key: key(1)}, 0.5, 0},
		{"strong get of a 3.5 KB item", Request{Op: units.OpGet, Key: key(1), Consistency: units.Strong}, 1, 0},
		{"eventual get of a missing item", Request{Op: units.OpGet, Key: key(99)}, 0.5, 0},
		{"strong get of a missing item", Request{Op: units.OpGet, Key: key(99), Consistency: units.Strong}, 1, 0},
		{"put of 1 KB over 3.5 KB: the larger", Request{Op: units.OpPut, Key: key(2), Size: 1024}, 0, 4},
		{"put of 1 KB over that 1 KB", Request{Op: units.OpPut, Key: key(2), Size: 1024}, 0, 1},
		{"put of 5 KB new item", Request{Op: units.OpPut, Key: key(50), Size: 5 * 1024}, 0, 5},
		{"update to 2.5 KB of a 3.5 KB item", Request{Op: units.OpUpdate, Key: key(3), Size: 2560}, 0, 4},
		{"delete of a 3.5 KB item", Request{Op: units.OpDelete, Key: key(4)}, 0, 4},
		{"delete of a missing item", Request{Op: units.OpDelete, Key: key(4)}, 0, 1},
		{"get after delete is a miss", Request{Op: units.OpGet, Key: key(4), Consistency: units.Strong}, 1, 0},
	}
	for _, tt := range tests {
		resp := svc.Handle(0, &tt.req)
		if !resp.Admitted() {
			t.Errorf("%s: throttled (%v)", tt.name, resp.Reason)
			continue
		}
		if resp.Read.Float() != tt.read || resp.Write.Float() != tt.write {
			t.Errorf("%s: consumed %v RCU, %v WCU; want %v, %v", tt.name, resp.Read, resp.Write, tt.read, tt.write)
		}
	}
}

// REFERENCE: throttling — a request the table as a whole cannot afford is
// ProvisionedThroughputExceeded; one only its own partition cannot afford
// is KeyRangeThroughputExceeded.
func TestThrottleReasons(t *testing.T) {
	t.Run("one partition: the table's limit", func(t *testing.T) {
		svc, rec := newTestService(t, TableConfig{Name: "t", ReadCapacity: 10, WriteCapacity: 5})
		req := Request{Op: units.OpPut, Key: []byte("a"), Size: 1024}
		admitted := 0
		for range 20 {
			if svc.Handle(0, &req).Admitted() {
				admitted++
			}
		}
		if admitted != 5 || rec.throttles[TableWriteProvisionedThroughputExceeded] != 15 {
			t.Fatalf("admitted %d of 20 one-unit writes at 5 WCU (want 5); throttles %v", admitted, rec.throttles)
		}
	})
	t.Run("hot key on many partitions: its key range", func(t *testing.T) {
		// 4,000 WCU -> 4 partitions of 1,000 WCU each.
		svc, rec := newTestService(t, TableConfig{Name: "t", ReadCapacity: 1, WriteCapacity: 4000})
		if n := svc.Tables()[0].Partitions(); n != 5 { // ceil(1/3000 + 4) = 5
			t.Fatalf("partitions = %d, want 5", n)
		}
		req := Request{Op: units.OpPut, Key: []byte("hot"), Size: 1024}
		admitted := 0
		for range 2000 {
			if svc.Handle(0, &req).Admitted() {
				admitted++
			}
		}
		if admitted != 800 { // the partition's share: 4000/5
			t.Fatalf("admitted %d one-unit writes to one key, want its partition's 800", admitted)
		}
		if rec.throttles[TableWriteKeyRangeThroughputExceeded] != 1200 {
			t.Fatalf("throttles %v, want 1200 key-range", rec.throttles)
		}
	})
	t.Run("reads and writes are metered apart", func(t *testing.T) {
		svc, rec := newTestService(t, TableConfig{Name: "t", ReadCapacity: 2, WriteCapacity: 1})
		w := Request{Op: units.OpPut, Key: []byte("a"), Size: 1024}
		r := Request{Op: units.OpGet, Key: []byte("a"), Consistency: units.Strong}
		got := []bool{svc.Handle(0, &w).Admitted(), svc.Handle(0, &w).Admitted(),
			svc.Handle(0, &r).Admitted(), svc.Handle(0, &r).Admitted(), svc.Handle(0, &r).Admitted()}
		want := []bool{true, false, true, true, false}
		for i := range want {
			if got[i] != want[i] {
				t.Fatalf("admissions %v, want %v (throttles %v)", got, want, rec.throttles)
			}
		}
		if rec.throttles[TableReadProvisionedThroughputExceeded] != 1 || rec.throttles[TableWriteProvisionedThroughputExceeded] != 1 {
			t.Fatalf("throttles %v", rec.throttles)
		}
	})
}

// A throttled write leaves the store untouched and consumes nothing.
func TestThrottledWriteHasNoEffect(t *testing.T) {
	svc, rec := newTestService(t, TableConfig{Name: "t", ReadCapacity: 1, WriteCapacity: 1})
	st := svc.Tables()[0].Store()
	first := Request{Op: units.OpPut, Key: []byte("a"), Size: 1024}
	second := Request{Op: units.OpPut, Key: []byte("b"), Size: 1024}
	svc.Handle(0, &first)
	if svc.Handle(0, &second).Admitted() {
		t.Fatal("second write in the same instant admitted at 1 WCU")
	}
	if _, found := st.SizeOf([]byte("b"), 0); found {
		t.Fatal("a throttled put stored its item")
	}
	if rec.consumedWrite != units.Unit {
		t.Fatalf("consumed %v WCU, want 1", rec.consumedWrite)
	}
}

// REFERENCE: ondemand — a new on-demand table serves 12,000 read and 4,000
// write units/s at once, and up to twice a larger previous peak.
func TestOnDemandInstantCapacity(t *testing.T) {
	tests := []struct {
		peakR, peakW float64
		rcu, wcu     int64
	}{
		{0, 0, 12000, 4000},
		{5000, 1000, 12000, 4000},
		{10000, 3000, 20000, 6000},
	}
	for _, tt := range tests {
		tb := newTestTable(t, TableConfig{Name: "t", Mode: OnDemand, PreviousPeakReads: tt.peakR, PreviousPeakWrites: tt.peakW})
		rcu, wcu := tb.Capacity()
		if rcu != tt.rcu || wcu != tt.wcu {
			t.Errorf("previous peak %v/%v: capacity %d/%d, want %d/%d", tt.peakR, tt.peakW, rcu, wcu, tt.rcu, tt.wcu)
		}
	}
}

func TestProvisionedNeedsCapacity(t *testing.T) {
	p := DefaultParams()
	if _, err := newTable(0, TableConfig{Name: "t", Schema: store.KeySchema{PartitionKey: "pk"}, ReadCapacity: 0, WriteCapacity: 5}, &p); err == nil {
		t.Fatal("0 RCU accepted; the minimum is 1 (REFERENCE: provisioned)")
	}
}

// The request path does not allocate (DESIGN: Principles).
func TestHandleDoesNotAllocate(t *testing.T) {
	svc, _ := newTestService(t, TableConfig{Name: "t", ReadCapacity: 40000, WriteCapacity: 40000, ItemCount: 1000, ItemSize: 1024})
	keys := make([][]byte, 1000)
	for i := range keys {
		keys[i] = store.AppendSyntheticKey(nil, int64(i))
	}
	var cur store.ScanCursor
	i := 0
	now := sim.Time(0)
	for _, op := range []units.Op{units.OpGet, units.OpPut, units.OpUpdate, units.OpQuery, units.OpScan} {
		allocs := testing.AllocsPerRun(500, func() {
			i = (i + 1) % len(keys)
			now += sim.Millisecond
			req := Request{Op: op, Key: keys[i], Size: 1024, Cursor: &cur, Limit: 10}
			svc.Handle(now, &req)
		})
		if allocs != 0 {
			t.Errorf("%v allocated %.1f times per request", op, allocs)
		}
	}
}

// BenchmarkHandle measures one request through pricing, admission and
// latency on a 100,000-item table.
func BenchmarkHandle(b *testing.B) {
	rec := &countingRecorder{}
	svc, err := NewService([]TableConfig{{Name: "t", Schema: store.KeySchema{PartitionKey: "pk"}, ReadCapacity: 40000, WriteCapacity: 40000,
		ItemCount: 100000, ItemSize: 1024}}, DefaultParams(), latency.DefaultLatency(), rand.New(rand.NewPCG(1, 1)), rec)
	if err != nil {
		b.Fatal(err)
	}
	keys := make([][]byte, 4096)
	for i := range keys {
		keys[i] = store.AppendSyntheticKey(nil, int64(i*24))
	}
	for _, op := range []units.Op{units.OpGet, units.OpPut} {
		b.Run(op.String(), func(b *testing.B) {
			b.ReportAllocs()
			now := sim.Time(0)
			i := 0
			for b.Loop() {
				now += 100 * sim.Microsecond
				req := Request{Op: op, Key: keys[i%len(keys)], Size: 1024}
				i++
				svc.Handle(now, &req)
			}
		})
	}
}

// PartitionOf agrees with a linear walk of the partitions' ranges, at the
// edges of the ranges and between them, after splits at uneven points.
func TestPartitionOf(t *testing.T) {
	svc, _ := newTestService(t, TableConfig{Name: "t", ReadCapacity: 40000, WriteCapacity: 40000})
	tb := svc.Tables()[0]
	tb.split(0, 3, tb.Range(3).Lo+12345)
	tb.split(0, 0, 1)
	r := rand.New(rand.NewPCG(3, 4))
	var hashes []uint64
	for i := range tb.Partitions() {
		lo := tb.Range(i).Lo
		hashes = append(hashes, lo, lo-1, lo+1, r.Uint64())
	}
	hashes = append(hashes, 0, ^uint64(0))
	for _, h := range hashes {
		want := -1
		for i := range tb.Partitions() {
			if tb.Range(i).Contains(h) {
				want = i
			}
		}
		if got := tb.PartitionOf(h); got != want {
			t.Errorf("PartitionOf(%#x) = %d, want %d", h, got, want)
		}
	}
}

// An alarm whose scale-out could not be requested (another update was in
// flight) asks again at the next datapoint instead of starting its count
// over: otherwise a table whose reads rescale every two minutes could
// leave a write alarm firing on the other minutes unheard for hours.
func TestAlarmKeepsCountUntilActedOn(t *testing.T) {
	cfg := &capacity.AutoScaling{Target: 0.5, Min: 1, Max: 1000}
	var a capacity.Alarm
	if a.Observe(80, 100, cfg) != 0 {
		t.Fatal("one datapoint above target scaled out")
	}
	want := int64(160) // 80 / 0.5
	if got := a.Observe(80, 100, cfg); got != want {
		t.Fatalf("second datapoint: %d, want %d", got, want)
	}
	// The request was not made: the next datapoint asks again.
	if got := a.Observe(80, 100, cfg); got != want {
		t.Errorf("a datapoint after an unheard alarm: %d, want %d again", got, want)
	}
	a.Acted()
	if got := a.Observe(80, 100, cfg); got != 0 {
		t.Errorf("after the request was made, one datapoint asked for %d; the count starts over", got)
	}
}
