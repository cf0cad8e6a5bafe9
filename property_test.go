package ddbsim

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/ddbsim/ddbsim/model"
	"github.com/ddbsim/ddbsim/model/billing"
	"github.com/ddbsim/ddbsim/model/capacity"
	"github.com/ddbsim/ddbsim/model/units"
	"github.com/ddbsim/ddbsim/scenarios"
	"github.com/ddbsim/ddbsim/sim"
	"github.com/ddbsim/ddbsim/workload"
	"github.com/ddbsim/ddbsim/workload/fluid"
)

// genConfig restricts what randomScenario draws.
type genConfig struct {
	// aggregate keeps to what the aggregate driver models: open loops of
	// get, put, update, delete and query on plain tables.
	aggregate bool
	// provisioned makes every table provisioned.
	provisioned bool
}

// logUniform draws an integer in [lo, hi], uniform in its logarithm, so
// that small and large values are both common.
func logUniform(r *rand.Rand, lo, hi int64) int64 {
	v := int64(math.Round(math.Exp(math.Log(float64(lo)) + r.Float64()*(math.Log(float64(hi))-math.Log(float64(lo))))))
	return min(max(v, lo), hi)
}

// percents splits 100% into n random integer shares of at least 1%.
func percents(r *rand.Rand, n int) []int {
	cuts := []int{0, 100}
	for len(cuts) < n+1 {
		if c := 1 + r.IntN(99); !slices.Contains(cuts, c) {
			cuts = append(cuts, c)
		}
	}
	slices.Sort(cuts)
	out := make([]int, n)
	for i := range out {
		out[i] = cuts[i+1] - cuts[i]
	}
	return out
}

// sizeText is a byte count in scenario syntax.
func sizeText(n int64) string { return fmt.Sprintf("%dB", n) }

// randomScenario draws a scenario: 1 to 3 tables, provisioned (capacity 1
// to 2,000, sometimes auto scaled, target 20-90%, sometimes over more
// partitions than its capacity needs) or on-demand (sometimes
// with a previous peak, often with a maximum throughput of 1 to 2,000),
// with or without a sort key, items up to 400 KB;
// 1 to 3 open-loop workloads with a constant rate or stages, Poisson or
// evenly spaced, a mix of get, put, update, delete, query, scan,
// batch_get and batch_write, uniform, zipf or hotspot keys, fixed,
// lognormal or uniform item sizes, either consistency; a random retry
// policy and, sometimes, burst and adaptive-capacity settings. Durations
// are 1 to 3 minutes and rates modest, so that a run takes milliseconds.
// Every scenario it draws must parse: one that does not is a bug of the
// generator, which the tests report as such.
func randomScenario(r *rand.Rand, g genConfig) string {
	var b strings.Builder
	fmt.Fprintf(&b, "version: 1\nname: random\nduration: %ds\n", 60+r.IntN(121))
	if r.IntN(3) == 0 {
		var svc []string
		if r.IntN(2) == 0 {
			svc = append(svc, fmt.Sprintf("burst_window: %ds", 10+r.IntN(291)))
		}
		if r.IntN(2) == 0 {
			svc = append(svc, fmt.Sprintf("adaptive: %v", r.IntN(2) == 0))
		}
		if r.IntN(2) == 0 {
			svc = append(svc, fmt.Sprintf("burst_starts_full: %v", r.IntN(2) == 0))
		}
		if len(svc) > 0 {
			fmt.Fprintf(&b, "service: {%s}\n", strings.Join(svc, ", "))
		}
	}
	switch r.IntN(4) {
	case 0:
		b.WriteString("client: {retry: sdk-v2}\n")
	case 1:
		b.WriteString("client: {retry: legacy}\n")
	case 2:
		b.WriteString("client: {retry: none}\n")
	default:
		fmt.Fprintf(&b, "client: {retry: {max_attempts: %d, base: %dms, max_backoff: %ds}}\n",
			1+r.IntN(6), 5+r.IntN(96), 1+r.IntN(20))
	}

	type table struct {
		name   string
		perKey int64
		items  int64
		size   int64 // bytes of each preloaded item
	}
	tables := make([]table, 1+r.IntN(3))
	b.WriteString("tables:\n")
	for i := range tables {
		t := &tables[i]
		t.name = fmt.Sprintf("t%d", i)
		fmt.Fprintf(&b, "  - name: %s\n    partition_key: id\n", t.name)
		t.perKey = 1
		if !g.aggregate && r.IntN(4) == 0 {
			t.perKey = 1 + r.Int64N(20)
			b.WriteString("    sort_key: sk\n")
		}
		if g.provisioned || r.IntN(5) < 3 {
			rcu, wcu := logUniform(r, 1, 2000), logUniform(r, 1, 2000)
			fmt.Fprintf(&b, "    mode: provisioned\n    read_capacity: %d\n    write_capacity: %d\n", rcu, wcu)
			if r.IntN(3) == 0 {
				// More partitions than the capacity calls for (a table
				// scaled up before): shares small enough that a hot key
				// spends its burst and borrows.
				fmt.Fprintf(&b, "    partitions: %d\n", 2+r.IntN(7))
			}
			if r.IntN(10) < 3 {
				lo := logUniform(r, 1, 200)
				fmt.Fprintf(&b, "    autoscaling: {target: %d%%, min: %d, max: %d}\n", 20+r.IntN(71), lo, lo+logUniform(r, 1, 4000))
			}
		} else {
			b.WriteString("    mode: on-demand\n")
			if r.IntN(5) == 0 {
				fmt.Fprintf(&b, "    previous_peak: {reads: %d/s, writes: %d/s}\n", logUniform(r, 1, 20000), logUniform(r, 1, 8000))
			}
			if r.IntN(2) == 0 {
				// A maximum low enough for the traffic to reach.
				fmt.Fprintf(&b, "    max_throughput: {reads: %d/s, writes: %d/s}\n", logUniform(r, 1, 2000), logUniform(r, 1, 2000))
			}
		}
		if r.IntN(5) > 0 {
			t.items, t.size = max(t.perKey, logUniform(r, 1, 50000)), logUniform(r, 64, 400<<10)
			fmt.Fprintf(&b, "    items: {count: %d, size: %s", t.items, sizeText(t.size))
			if t.perKey > 1 {
				fmt.Fprintf(&b, ", per_key: %d", t.perKey)
			}
			b.WriteString("}\n")
		}
		if r.IntN(6) == 0 {
			b.WriteString("    table_class: standard-ia\n")
		}
	}

	ops := []string{"get", "put", "update", "delete", "query", "scan", "batch_get", "batch_write"}
	if g.aggregate {
		ops = ops[:5]
	}
	b.WriteString("workloads:\n")
	for i := range 1 + r.IntN(3) {
		t := tables[r.IntN(len(tables))]
		fmt.Fprintf(&b, "  - name: w%d\n    table: %s\n", i, t.name)
		rate := func() int64 { return logUniform(r, 1, 300) }
		fmt.Fprintf(&b, "    rate: %d/s\n", rate())
		if r.IntN(3) == 0 {
			b.WriteString("    arrival: constant\n")
		}
		if r.IntN(5) < 2 {
			b.WriteString("    stages:\n")
			for range 1 + r.IntN(3) {
				fmt.Fprintf(&b, "      - {for: %ds, rate: %d/s}\n", 5+r.IntN(56), rate())
			}
		}
		mix := slices.Clone(ops)
		r.Shuffle(len(mix), func(a, c int) { mix[a], mix[c] = mix[c], mix[a] })
		mix = mix[:1+r.IntN(4)]
		var parts []string
		for j, p := range percents(r, len(mix)) {
			parts = append(parts, fmt.Sprintf("%s: %d%%", mix[j], p))
		}
		fmt.Fprintf(&b, "    mix: {%s}\n", strings.Join(parts, ", "))
		// Item sizes, up to 400 KB; largest is the most one can be.
		var size string
		var largest int64
		switch r.IntN(3) {
		case 0:
			largest = logUniform(r, 1, 400<<10)
			size = fmt.Sprintf("    item_size: %s\n", sizeText(largest))
		case 1:
			median := logUniform(r, 1, 100<<10)
			largest = logUniform(r, median, 400<<10)
			size = fmt.Sprintf("    item_size: {distribution: lognormal, median: %s, p99: %s}\n", sizeText(median), sizeText(largest))
		default:
			lo := logUniform(r, 1, 100<<10)
			largest = logUniform(r, lo, 400<<10)
			size = fmt.Sprintf("    item_size: {distribution: uniform, min: %s, max: %s}\n", sizeText(lo), sizeText(largest))
		}
		// A batch_write takes up to 25 items; a batch_get up to 100 and
		// 16 MB of them, of the sizes written or preloaded (REFERENCE:
		// units).
		largest = max(largest, t.size)
		switch {
		case slices.Contains(mix, "batch_write"):
			fmt.Fprintf(&b, "    batch_size: %d\n", 1+r.IntN(model.MaxBatchWriteItems))
		case slices.Contains(mix, "batch_get"):
			most := min(model.MaxBatchGetItems, int((16<<20)/largest))
			fmt.Fprintf(&b, "    batch_size: %d\n", 1+r.IntN(most))
		}
		// A scan without a page limit reads 1 MB of small items a page:
		// keep scans to short pages so that runs stay fast.
		if slices.Contains(mix, "scan") || (slices.Contains(mix, "query") && r.IntN(2) == 0) {
			fmt.Fprintf(&b, "    query_limit: %d\n", 1+r.IntN(50))
		}
		keys := "uniform"
		switch r.IntN(3) {
		case 1:
			keys = fmt.Sprintf("zipf, exponent: %.2f", 0.5+r.Float64())
		case 2:
			keys = fmt.Sprintf("hotspot, hot_keys: %d%%, hot_ops: %d%%", 1+r.IntN(50), 50+r.IntN(50))
		}
		count := logUniform(r, 1, 100000)
		if t.items > 0 && r.IntN(2) == 0 {
			count = max(1, t.items/t.perKey) // the table's keys
		}
		fmt.Fprintf(&b, "    keys: {distribution: %s, count: %d}\n", keys, count)
		b.WriteString(size)
		if r.IntN(2) == 0 {
			b.WriteString("    consistency: strong\n")
		}
	}
	return b.String()
}

// drawScenario draws scenario seed of a property and parses it; a
// scenario that does not parse fails the test as a generator bug.
func drawScenario(t *testing.T, property string, seed uint64, g genConfig) (*scenarios.Scenario, string) {
	t.Helper()
	r := rand.New(rand.NewPCG(seed, streamOf(property)))
	src := randomScenario(r, g)
	sc, err := scenarios.Parse(fmt.Sprintf("%s-%d.yaml", property, seed), []byte(src))
	if err != nil {
		t.Fatalf("generator bug: the random scenario does not parse: %v\n%s", err, src)
	}
	return sc, src
}

// streamOf names a property's stream of scenarios (FNV-1a of its name),
// so that properties draw different scenarios from the same seeds.
func streamOf(name string) uint64 {
	h := uint64(14695981039346656037)
	for i := range len(name) {
		h = (h ^ uint64(name[i])) * 1099511628211
	}
	return h
}

// propertySeeds is the fixed list of seeds a property runs: n of them, a
// third as many with -short, five times as many in the long tier
// (sweepScale).
func propertySeeds(n int) []uint64 {
	n *= sweepScale
	if testing.Short() {
		n = max(1, n/3)
	}
	seeds := make([]uint64, n)
	for i := range seeds {
		seeds[i] = uint64(i + 1)
	}
	return seeds
}

// The most a single request (or batch part) of a random scenario can
// cost (REFERENCE: units): a write of a 400 KB item, 400 write units; a
// strongly consistent read of a 1 MB Query or Scan page and at most one
// 400 KB item more, 356 read units.
var (
	maxReadCost  = units.WholeUnits((1<<20 + 400<<10 + 4095) / 4096)
	maxWriteCost = units.WholeUnits(400)
)

// snapshot is a table's state at one per-second Sample, with what the
// recorder had counted by then.
type snapshot struct {
	at                   sim.Time
	mode                 model.Mode
	partitions           int
	readCap, writeCap    units.Units
	readBurst, wrBurst   units.Units
	partRead, partWrite  []units.Units // burst credit by partition
	consumedR, consumedW units.Units   // consumed on the table so far
	partR, partW         []units.Units // consumed by partition so far (this layout)
	bill                 billing.Meter
}

// load is the ceiling load partition p had taken by s, in its layout.
func (s *snapshot) load(p int) units.Units {
	if p >= len(s.partR) {
		return 0
	}
	return ceilingLoad(s.partR[p], s.partW[p])
}

// tableLog is what propRecorder keeps of one table.
type tableLog struct {
	samples              []snapshot
	consumedR, consumedW units.Units
	partR, partW         []units.Units // consumed by partition, current layout
	layout               int           // partition count partR and partW are for
	split                bool          // a partition split (its share halved: shares no longer even)
	finished             int64
	succeeded, throttled int64
	failed               int64
	attempts, retries    int64
	throttles            int64
}

// propRecorder is a model.Recorder (and CountRecorder, for the aggregate
// driver) that keeps what the properties check: outcomes by table and by
// workload, consumption between samples, and every sample.
type propRecorder struct {
	tables     []*tableLog
	byWorkload map[int]*tableLog // outcomes by workload, per-request driver only
	lastFinish sim.Time
	lastCall   sim.Time
	backwards  bool // a call earlier in virtual time than the one before
}

func newPropRecorder() *propRecorder { return &propRecorder{byWorkload: map[int]*tableLog{}} }

func (p *propRecorder) tick(now sim.Time) {
	if now < p.lastCall {
		p.backwards = true
	}
	p.lastCall = now
}

func (p *propRecorder) table(i int) *tableLog {
	for len(p.tables) <= i {
		p.tables = append(p.tables, &tableLog{})
	}
	return p.tables[i]
}

// ceilingLoad is what a read and write take from a partition's ceiling:
// a write unit counts three read units (REFERENCE: partitions).
func ceilingLoad(read, write units.Units) units.Units {
	return read + write*units.Units(capacity.PartitionReadCeiling/capacity.PartitionWriteCeiling)
}

func (p *propRecorder) Consumed(now sim.Time, table, partition int, read, write units.Units) {
	p.tick(now)
	t := p.table(table)
	t.consumedR += read
	t.consumedW += write
	for len(t.partR) <= partition {
		t.partR, t.partW = append(t.partR, 0), append(t.partW, 0)
	}
	t.partR[partition] += read
	t.partW[partition] += write
}

func (p *propRecorder) Throttle(now sim.Time, ev *model.ThrottleEvent) {
	p.ThrottleN(now, ev, 1)
}

func (p *propRecorder) ThrottleN(now sim.Time, ev *model.ThrottleEvent, n int64) {
	p.tick(now)
	p.table(ev.Table).throttles += n
}

func (p *propRecorder) Retry(now sim.Time, table int, op units.Op) { p.RetryN(now, table, op, 1) }

func (p *propRecorder) RetryN(now sim.Time, table int, _ units.Op, n int64) {
	p.tick(now)
	p.table(table).retries += n
}

func (p *propRecorder) Finish(o model.Outcome) { p.FinishN(o, 1) }

func (p *propRecorder) FinishN(o model.Outcome, n int64) {
	p.tick(o.End)
	if o.End < p.lastFinish {
		p.backwards = true
	}
	p.lastFinish = o.End
	finish(p.table(o.Table), o, n)
}

func finish(t *tableLog, o model.Outcome, n int64) {
	t.finished += n
	t.attempts += int64(o.Attempts) * n
	switch o.Result {
	case model.Succeeded:
		t.succeeded += n
	case model.Throttled:
		t.throttled += n
	case model.Failed:
		t.failed += n
	}
}

func (p *propRecorder) Sample(now sim.Time, table int, st *model.TableState) {
	p.tick(now)
	t := p.table(table)
	if st.Partitions != t.layout {
		// A new layout: partitions count afresh, by the new indexes.
		t.layout = st.Partitions
		t.partR, t.partW = make([]units.Units, st.Partitions), make([]units.Units, st.Partitions)
	}
	s := snapshot{at: now, mode: st.Mode, partitions: st.Partitions,
		readCap: st.ReadCapacity, writeCap: st.WriteCapacity, readBurst: st.ReadBurst, wrBurst: st.WriteBurst,
		consumedR: t.consumedR, consumedW: t.consumedW, partR: slices.Clone(t.partR), partW: slices.Clone(t.partW), bill: st.Bill}
	for _, ps := range st.Parts {
		s.partRead = append(s.partRead, ps.ReadBurst)
		s.partWrite = append(s.partWrite, ps.WriteBurst)
	}
	t.samples = append(t.samples, s)
}

func (p *propRecorder) Event(now sim.Time, ev model.CapacityEvent) {
	p.tick(now)
	switch ev.Kind {
	case model.EventHeatSplit, model.EventSizeSplit, model.EventHotKeyIsolated:
		p.table(ev.Table).split = true
	}
}

func (p *propRecorder) Cache(now sim.Time, _ *model.CacheEvent) { p.tick(now) }

func (p *propRecorder) Global(now sim.Time, _ *model.GlobalEvent) { p.tick(now) }

// byWorkloadRec is the recorder one workload's client reports to: its
// outcomes and retries are also counted for the workload.
type byWorkloadRec struct {
	*propRecorder
	w *tableLog
}

func (b byWorkloadRec) Finish(o model.Outcome) {
	b.propRecorder.Finish(o)
	finish(b.w, o, 1)
}

func (b byWorkloadRec) Retry(now sim.Time, table int, op units.Op) {
	b.propRecorder.Retry(now, table, op)
	b.w.retries++
}

// propRun is one run of a random scenario.
type propRun struct {
	sc     *scenarios.Scenario
	src    string
	sim    *Simulation
	rec    *propRecorder
	params model.Params
}

func (r *propRun) String() string { return r.src }

// runPerRequest builds sc with the per-request driver, each workload's
// client reporting to a recorder that also counts its outcomes, and runs
// it.
func runPerRequest(t *testing.T, sc *scenarios.Scenario, src string, seed uint64) *propRun {
	t.Helper()
	rec := newPropRecorder()
	s, err := build(sc, seed, rec)
	if err != nil {
		t.Fatalf("%v\n%s", err, src)
	}
	// The same sources again, as Build makes them (each draws from
	// streams named after its workload, so remaking one changes nothing),
	// but each reporting to a recorder of its own workload.
	retry, err := retryPolicy(sc.Client.Retry)
	if err != nil {
		t.Fatal(err)
	}
	for i, w := range sc.Workloads {
		cfg, err := sourceConfig(sc, w, s.Service, s.Duration, retry)
		if err != nil {
			t.Fatal(err)
		}
		rec.byWorkload[i] = &tableLog{}
		s.Sources[i] = workload.NewSource(cfg, s.Kernel, s.Service, byWorkloadRec{rec, rec.byWorkload[i]})
	}
	s.run()
	return &propRun{sc: sc, src: src, sim: s, rec: rec, params: serviceParams(sc.Service)}
}

// Property 1, requests are conserved, over random scenarios under the
// per-request driver. For each workload, every request its source issued
// ends exactly once: succeeded + throttled + failed == finished == issued;
// and each attempt after the first was a retry the client recorded, so
// attempts == requests + retries (DESIGN: result JSON, "total = succeeded
// + throttled + errors"; REFERENCE: retries). For each table, every
// throttled attempt was either retried or was its request's last (one
// throttle event an attempt; a batch attempt has one for each throttled
// part, so at least one), nothing is left in flight, recorder calls come
// in time order, and what the recorder was told was consumed is what the
// table charged (Table.ConsumedRead, ConsumedWrite). No scenario here has
// conditions, transactions, outages or global tables, so no request fails
// and nothing but a throttle is retried. TestRequestsAreConserved checks
// the built-in scenarios; this draws new ones.
func TestPropertyRequestsConserved(t *testing.T) {
	for _, seed := range propertySeeds(30) {
		sc, src := drawScenario(t, "conserved", seed, genConfig{})
		run := runPerRequest(t, sc, src, seed)
		checkConserved(t, seed, run)
	}
}

func checkConserved(t *testing.T, seed uint64, run *propRun) {
	t.Helper()
	s, rec := run.sim, run.rec
	fail := func(format string, args ...any) {
		t.Helper()
		t.Errorf("seed %d: %s\n%s", seed, fmt.Sprintf(format, args...), run)
	}
	var issued, finished int64
	for i, src := range s.Sources {
		w := rec.byWorkload[i]
		n := src.Arrived()
		issued += n
		finished += w.finished
		switch {
		case w.finished != n:
			fail("workload %d: %d requests issued, %d finished", i, n, w.finished)
		case w.succeeded+w.throttled+w.failed != w.finished:
			fail("workload %d: %d succeeded + %d throttled + %d failed != %d finished", i, w.succeeded, w.throttled, w.failed, w.finished)
		case w.attempts != w.finished+w.retries:
			fail("workload %d: %d attempts for %d requests and %d retries", i, w.attempts, w.finished, w.retries)
		case w.failed != 0:
			fail("workload %d: %d requests failed in a scenario without errors", i, w.failed)
		}
	}
	if issued == 0 {
		fail("no requests")
	}
	var total int64
	for ti, tb := range s.Service.Tables() {
		l := rec.table(ti)
		total += l.finished
		batch := false
		for _, w := range run.sc.Workloads {
			for _, m := range w.Mix {
				batch = batch || (w.Table == tb.Name() && strings.HasPrefix(m.Op, "batch_"))
			}
		}
		switch {
		case l.throttles < l.retries+l.throttled:
			fail("table %d: %d throttle events, fewer than %d retries + %d final throttles", ti, l.throttles, l.retries, l.throttled)
		case !batch && l.throttles != l.retries+l.throttled:
			fail("table %d: %d throttle events, %d retries + %d final throttles", ti, l.throttles, l.retries, l.throttled)
		case l.consumedR != tb.ConsumedRead || l.consumedW != tb.ConsumedWrite:
			fail("table %d: recorded %v read and %v write units consumed, the table charged %v and %v",
				ti, l.consumedR, l.consumedW, tb.ConsumedRead, tb.ConsumedWrite)
		}
	}
	switch {
	case total != finished:
		fail("%d outcomes by table, %d by workload", total, finished)
	case s.Kernel.Pending() != 0:
		fail("%d events left after the run", s.Kernel.Pending())
	case rec.backwards:
		fail("recorder calls out of time order")
	}
}

// Property 2, token buckets within bounds, as the per-second samples show
// them. A partition's share bucket holds BurstWindow seconds of its share
// of provisioned capacity (REFERENCE: burst: "up to 300 seconds of its
// unused share"), and a sample reports as burst credit the balance above
// one second of the share. So at every sample, for a provisioned table,
// each partition's credit is in [0, (BurstWindow/1s - 1) x share], where
// the share is the table's capacity divided evenly over its partitions
// (REFERENCE: partitions) until a partition splits; the table's credit is
// the partitions' sum and, whatever the splits, at most (BurstWindow/1s -
// 1) x capacity plus rounding; an on-demand table banks none. The lower
// bound of the buckets themselves (a balance goes below zero only as the
// debt of one request larger than the whole bucket) is checked on the
// buckets in model/property_test.go, which can see them.
func TestPropertyBurstWithinBounds(t *testing.T) {
	for _, seed := range propertySeeds(30) {
		sc, src := drawScenario(t, "burst", seed, genConfig{})
		run := runPerRequest(t, sc, src, seed)
		checkBurst(t, seed, run)
	}
}

func checkBurst(t *testing.T, seed uint64, run *propRun) {
	t.Helper()
	window := units.Units(max(1, run.params.BurstWindow/sim.Second))
	for ti, l := range run.rec.tables {
		for _, s := range l.samples {
			for _, d := range []struct {
				kind        string
				capacity    units.Units
				total       units.Units
				byPartition []units.Units
			}{{"read", s.readCap, s.readBurst, s.partRead}, {"write", s.writeCap, s.wrBurst, s.partWrite}} {
				var sum units.Units
				share := (d.capacity + units.Units(s.partitions) - 1) / units.Units(s.partitions)
				for pi, b := range d.byPartition {
					sum += b
					switch {
					case b < 0:
						t.Errorf("seed %d: table %d t=%v: partition %d %s burst %v below 0\n%s", seed, ti, s.at, pi, d.kind, b, run)
					case s.mode == model.OnDemand && b != 0:
						t.Errorf("seed %d: table %d t=%v: on-demand partition %d banks %v %s burst\n%s", seed, ti, s.at, pi, b, d.kind, run)
					case !l.split && b > (window-1)*share:
						t.Errorf("seed %d: table %d t=%v: partition %d %s burst %v above %d s of its %v share\n%s",
							seed, ti, s.at, pi, d.kind, b, int64(window-1), share, run)
					}
				}
				listed := s.partitions // an on-demand table lists no partitions: they bank no burst
				if s.mode == model.OnDemand {
					listed = 0
				}
				if len(d.byPartition) != listed || sum != d.total {
					t.Errorf("seed %d: table %d t=%v: %s burst %v, its %d partitions' sum %v\n%s", seed, ti, s.at, d.kind, d.total, len(d.byPartition), sum, run)
				}
				if limit := (window-1)*d.capacity + window*units.Units(s.partitions); d.total > limit {
					t.Errorf("seed %d: table %d t=%v: %s burst %v above %v\n%s", seed, ti, s.at, d.kind, d.total, limit, run)
				}
			}
		}
	}
}

// Property 3, consumed never above what admission allowed, per table and
// per partition, over every window between two per-second samples, read
// and write apart.
//
// Per table, over the window [a, b), n seconds long: a provisioned table
// consumes at most its capacity for the n seconds, plus the burst credit
// it had at a, plus one second of capacity, the balance above the credit
// that each share bucket holds (REFERENCE: burst; adaptive: a hot
// partition uses "unused capacity of the table, ... as long as the
// table's total ... [is] not exceeded", so lending adds nothing to the
// total); an on-demand table consumes at most its instant capacity
// (REFERENCE: ondemand) for the n seconds plus one second of it, what its
// one-second bucket holds. A bucket lets a request larger than itself
// through when full (a large Query on a small table), leaving a debt that
// later refills repay; each bucket that was ever smaller than the largest
// request (maxReadCost, maxWriteCost) adds that request to the bound.
// Capacity in each second is the one sampled at its start: updates take
// effect on whole seconds, before the sample.
//
// With adaptive capacity a provisioned table of several partitions may
// take more, in two ways the model approximates. A share's admissions
// drain the table's bucket of unused capacity down to minus one second
// of capacity (TokenBucket.Drain), not below, so that a partition
// spending its banked burst does not shut adaptive capacity out for long
// after: one second more. And capacity a partition leaves unused is both
// lent to a hot partition and banked as the idle partition's own burst,
// which it may spend later: up to the window's refill more (README,
// Where it approximates). So those tables are held to twice the refill
// plus two seconds; a table of one partition, which has nothing to lend,
// to the documented bound. This property found two bugs there: one
// partition of 25 WCU sustained 50 (TestAdaptiveLendsOnlyUnusedCapacity);
// and, in the long tier's wider sweep, one of 2 WCU took writes of 90 KB
// and more at twice its capacity, borrowed from the table's bucket of
// unused capacity into debt (790 WCU in 151 s where 346 were allowed),
// so a table of one partition now borrows nothing
// (TestOnePartitionBorrowsNothing) and its one-second table bucket adds
// no debt to the bound.
//
// Per partition, while its layout lasts: the ceiling load (read units
// plus 3 per write unit) over n seconds is at most 3,000 x (n + 1), the
// ceiling that no burst or adaptive capacity lifts (REFERENCE:
// partitions) and its one-second bucket.
func TestPropertyConsumedWithinAdmission(t *testing.T) {
	for _, seed := range propertySeeds(30) {
		sc, src := drawScenario(t, "consumed", seed, genConfig{})
		run := runPerRequest(t, sc, src, seed)
		checkConsumed(t, seed, run)
	}
}

// checkConsumed checks property 3 on run.
func checkConsumed(t *testing.T, seed uint64, run *propRun) {
	t.Helper()
	window := units.Units(max(1, run.params.BurstWindow/sim.Second))
	for ti, l := range run.rec.tables {
		ss := l.samples
		for _, d := range []struct {
			kind     string
			capacity func(*snapshot) units.Units
			burst    func(*snapshot) units.Units
			consumed func(*snapshot) units.Units
			maxCost  units.Units
		}{
			{"read", func(s *snapshot) units.Units { return s.readCap }, func(s *snapshot) units.Units { return s.readBurst },
				func(s *snapshot) units.Units { return s.consumedR }, maxReadCost},
			{"write", func(s *snapshot) units.Units { return s.writeCap }, func(s *snapshot) units.Units { return s.wrBurst },
				func(s *snapshot) units.Units { return s.consumedW }, maxWriteCost},
		} {
			// Debts: one largest request for each bucket ever smaller
			// than it (the partitions' shares and, for on-demand or
			// adaptive capacity lending across partitions, the table's
			// one-second bucket).
			var debt units.Units
			for i := range ss {
				s := &ss[i]
				c := d.capacity(s)
				var di units.Units
				if s.mode == model.OnDemand || (run.params.Adaptive && s.partitions > 1) {
					if c < d.maxCost {
						di += d.maxCost
					}
				}
				if s.mode == model.Provisioned && window*c/units.Units(s.partitions) < d.maxCost {
					di += d.maxCost * units.Units(s.partitions)
				}
				debt = max(debt, di)
			}
			// refill[i] is the capacity of seconds ss[0..i) summed.
			refill := make([]units.Units, len(ss))
			for i := 1; i < len(ss); i++ {
				refill[i] = refill[i-1] + units.Units(int64(d.capacity(&ss[i-1]))*int64(ss[i].at-ss[i-1].at)/int64(sim.Second))
			}
			for a := range ss {
				sa := &ss[a]
				start := d.capacity(sa) // one second in the buckets
				lends := sa.mode == model.Provisioned && run.params.Adaptive && sa.partitions > 1
				if sa.mode == model.Provisioned {
					start += d.burst(sa)
				}
				if lends {
					start += d.capacity(sa) // the table bucket's floor, one second below zero
				}
				for b := a + 1; b < len(ss); b++ {
					got := d.consumed(&ss[b]) - d.consumed(sa)
					limit := refill[b] - refill[a] + start + debt
					if lends {
						limit += refill[b] - refill[a] // lent, and banked again as the lender's burst
					}
					if got > limit {
						t.Errorf("seed %d: table %d (%v): %v %s units consumed in [%v, %v), above %v (capacity %v, burst %v at the start)\n%s",
							seed, ti, sa.mode, got, d.kind, sa.at, ss[b].at, limit, d.capacity(sa), d.burst(sa), run)
						return
					}
				}
			}
		}
		// The partition ceiling, within each run of samples with one
		// layout.
		ceiling := units.WholeUnits(capacity.PartitionReadCeiling)
		for a := range ss {
			for b := a + 1; b < len(ss) && ss[b].partitions == ss[a].partitions; b++ {
				n := units.Units((ss[b].at - ss[a].at) / sim.Second)
				for p := range ss[b].partR {
					if got := ss[b].load(p) - ss[a].load(p); got > ceiling*(n+1) {
						t.Errorf("seed %d: table %d partition %d: ceiling load %v in [%v, %v), above %v\n%s",
							seed, ti, p, got, ss[a].at, ss[b].at, ceiling*(n+1), run)
						return
					}
				}
			}
		}
	}
}

// Property 6, the aggregate driver never admits more than capacity, over
// random provisioned (and some on-demand) scenarios it models; those it
// refuses (fluid.ErrUnsupported) are drawn again, not counted.
//
// Under the aggregate driver (model.Service.AdmitCounts) each 1 s tick
// [a, a+1s) is admitted at once, after the sample at a. Per partition the
// share bucket gives at most what it holds at a plus its refill over the
// tick: its share x 2 plus its burst credit at a; with adaptive
// capacity off that is all a partition gets. The table's bucket of
// unused capacity gives at most its capacity x 2, less what the shares
// took, and lends only that. So per tick and table: either no partition
// went beyond its share bucket, or the table's total is within the
// table's capacity x 2 (REFERENCE: adaptive); never above capacity x 2
// plus the burst credit at a (REFERENCE: burst); on-demand never above
// its instant capacity x 2 (REFERENCE: ondemand); and each partition's
// ceiling load never above 6,000, 3,000 per second and the one second
// its bucket holds (REFERENCE: partitions). Over longer windows the
// bounds of property 3 hold too, and requests are conserved as in
// property 1 (in total: the aggregate driver's outcomes do not name
// their workload; nor are its recorder calls in time order, as it
// reports a workload's outcomes at the tick's end before the next
// workload's retries at its start).
//
// Scenarios where a request may cost more than a partition's share
// bucket, the table's unused capacity or an on-demand table's
// max_throughput holds are drawn again too (overdrawsBucket): a full
// bucket lets such a request through into debt (a 1 MB Query on a 5 RCU
// table, REFERENCE: units), so a tick may admit more than the bucket
// gave, by design. The long tier's wider sweep drew on-demand tables held
// by max_throughput below their items (a 115 WCU put on a table of 24
// WCU/s; puts of a mean 12.516 WCU on one of 6), whose ticks so admitted
// one request beyond twice the instant capacity, as the per-request
// driver admits it. Such debt once
// made AdmitCounts divide zero by zero for a group offered nothing on the
// bucket and admit math.MinInt64 of it, breaking every count after; that
// is fixed and pinned by model.TestAggregateBucketInDebtWithNothingOffered.
func TestPropertyAggregateWithinCapacity(t *testing.T) {
	runs, skipped, overdraws := 0, 0, 0
	for _, seed := range propertySeeds(30) {
		for attempt := uint64(0); ; attempt++ {
			if attempt == 100 {
				t.Fatalf("seed %d: 100 scenarios drawn, none the aggregate driver runs", seed)
			}
			g := genConfig{aggregate: true, provisioned: (seed+attempt)%4 != 0}
			sc, src := drawScenario(t, "aggregate", seed<<8|attempt, g)
			if overdrawsBucket(sc) {
				overdraws++
				continue
			}
			rec := newPropRecorder()
			s, err := buildWith(sc, seed, rec, buildOptions{Fidelity: FidelityAggregate})
			if errors.Is(err, fluid.ErrUnsupported) {
				skipped++
				continue
			}
			if err != nil {
				t.Fatalf("seed %d: %v\n%s", seed, err, src)
			}
			s.run()
			run := &propRun{sc: sc, src: src, sim: s, rec: rec, params: serviceParams(sc.Service)}
			checkAggregateTicks(t, seed, run)
			checkConsumed(t, seed, run)
			checkBurst(t, seed, run)
			var arrived int64
			for _, f := range s.Fluid.Sources() {
				arrived += f.Arrived()
			}
			var finished, outcomes, attempts, retries int64
			for _, l := range rec.tables {
				finished += l.finished
				outcomes += l.succeeded + l.throttled + l.failed
				attempts += l.attempts
				retries += l.retries
			}
			if finished != arrived || outcomes != finished || attempts != finished+retries || s.Kernel.Pending() != 0 {
				t.Errorf("seed %d: %d requests arrived, %d finished (%d by outcome), %d attempts for %d retries, %d events left\n%s",
					seed, arrived, finished, outcomes, attempts, retries, s.Kernel.Pending(), src)
			}
			runs++
			break
		}
	}
	t.Logf("%d scenarios run under the aggregate driver; drawn again: %d it does not model, %d whose requests may overdraw a bucket",
		runs, skipped, overdraws)
}

// overdrawsBucket reports whether a request of sc may cost more than a
// bucket that admits it holds: a provisioned partition's share bucket at
// the least capacity and the most partitions its table may have,
// BurstWindow seconds of its share; the table's bucket of unused
// capacity, one second of it; or an on-demand table's bucket, one second
// of its instant capacity, which its max_throughput may hold below a
// request (REFERENCE: ondemand). A full bucket lets such a request
// through all the same, into debt (TokenBucket.CanTake), so a tick may
// admit more than the bucket gave. A request is priced at its largest
// item: the table's preloaded items, or the workload's sizes (a
// lognormal has no largest but 400 KB).
func overdrawsBucket(sc *scenarios.Scenario) bool {
	params := serviceParams(sc.Service)
	window := int64(max(1, params.BurstWindow/sim.Second))
	for _, t := range sc.Tables {
		largest := t.Items.Size
		for _, w := range sc.Workloads {
			if w.Table != t.Name {
				continue
			}
			switch w.ItemSize.Distribution {
			case "lognormal":
				largest = units.MaxItemSize
			case "uniform":
				largest = max(largest, w.ItemSize.Max)
			default:
				largest = max(largest, w.ItemSize.Fixed)
			}
		}
		// Strongly consistent reads of 4 KB, writes of 1 KB, in whole
		// units (REFERENCE: units).
		readCost, writeCost := (largest+4095)/4096, (largest+1023)/1024
		if t.Mode != "provisioned" {
			// An on-demand table's instant capacity is never below its
			// warm throughput, far above any request, unless its
			// maximum holds it lower.
			if m := t.MaxThroughput; m != nil && (float64(readCost) > m.Reads || float64(writeCost) > m.Writes) {
				return true
			}
			continue
		}
		rcu, wcu, most := t.ReadCapacity, t.WriteCapacity, max(t.ReadCapacity, t.WriteCapacity)
		if a := t.AutoScaling; a != nil {
			rcu, wcu, most = min(rcu, a.Min), min(wcu, a.Min), max(most, a.Max)
		}
		parts := int64(max(capacity.InitialPartitions(t.ReadCapacity, t.WriteCapacity, t.Items.Count*t.Items.Size),
			capacity.InitialPartitions(most, most, t.Items.Count*t.Items.Size)))
		// Against window x capacity / parts.
		if readCost*parts > window*rcu || writeCost*parts > window*wcu {
			return true
		}
		// Nor may it cost more than the table's one second of unused
		// capacity, which a full bucket lends it all the same.
		if readCost > rcu || writeCost > wcu {
			return true
		}
	}
	return false
}

// checkAggregateTicks checks each tick of an aggregate run against the
// sample at its start (see TestPropertyAggregateWithinCapacity).
func checkAggregateTicks(t *testing.T, seed uint64, run *propRun) {
	t.Helper()
	ceiling := units.WholeUnits(capacity.PartitionReadCeiling)
	for ti, l := range run.rec.tables {
		ss := l.samples
		for a := 0; a+1 < len(ss); a++ {
			sa, sb := &ss[a], &ss[a+1]
			if sb.at-sa.at != sim.Second {
				t.Fatalf("samples %v apart", sb.at-sa.at)
			}
			if sb.partitions != sa.partitions {
				continue // a new layout: the partitions are not the same
			}
			fail := func(format string, args ...any) {
				t.Helper()
				t.Errorf("seed %d: table %d (%v), the tick at %v: %s\n%s", seed, ti, sa.mode, sa.at, fmt.Sprintf(format, args...), run)
			}
			for p := range sb.partR {
				if got := sb.load(p) - sa.load(p); got > 2*ceiling {
					fail("partition %d: ceiling load %v, above %v", p, got, 2*ceiling)
				}
			}
			for _, d := range []struct {
				kind            string
				capacity, burst units.Units
				byPartition     []units.Units // burst at a
				before, after   []units.Units // consumed by partition
				maxCost         units.Units
			}{
				{"read", sa.readCap, sa.readBurst, sa.partRead, sa.partR, sb.partR, maxReadCost},
				{"write", sa.writeCap, sa.wrBurst, sa.partWrite, sa.partW, sb.partW, maxWriteCost},
			} {
				var total units.Units
				consumed := make([]units.Units, len(d.after))
				for p := range d.after {
					consumed[p] = d.after[p]
					if p < len(d.before) {
						consumed[p] -= d.before[p]
					}
					total += consumed[p]
				}
				table := 2 * d.capacity // the table's bucket: one second held, one refilled
				if sa.mode == model.OnDemand {
					if total > table {
						fail("%v %s units, above the instant capacity's %v", total, d.kind, table)
					}
					continue
				}
				if total > 2*d.capacity+d.burst {
					fail("%v %s units, above capacity x 2 + burst %v", total, d.kind, 2*d.capacity+d.burst)
				}
				if l.split {
					continue // shares are no longer even
				}
				// Each partition's share bucket: its balance, at most a
				// second of share and its burst credit, and a second's
				// refill.
				share := (d.capacity + units.Units(sa.partitions) - 1) / units.Units(sa.partitions)
				lent := false
				for p, c := range consumed {
					if own := 2*share + d.byPartition[p]; c > own {
						lent = true
						if !run.params.Adaptive {
							fail("partition %d: %v %s units without adaptive capacity, above its share bucket's %v", p, c, d.kind, own)
						}
					}
				}
				if lent && total > table {
					fail("%v %s units with capacity lent to a partition, above the table's %v", total, d.kind, table)
				}
			}
		}
	}
}

// Property 4, costs additive and non-negative, on the meters of random
// runs of several tables. Every line of the bill is non-negative, with
// what the free tier covers between 0 and the quantity used (REFERENCE:
// prices). Without the free tier the bill is additive: the lines of each
// table are exactly those of its meter priced alone, and their sum is
// the total. The free tier makes it otherwise: it is the account's, one
// pool of 25 RCU, 25 WCU and 25 GB a month shared by the Standard tables
// in table order, so the bill of several tables together is at least
// the sum of their bills each priced alone with a free tier of its own,
// and at most the bill without the free tier, by no more than what the
// free tier is worth. And as the run goes, the meters never go down: what
// a table is billed for so far is a running sum (REFERENCE: prices,
// "billed on the capacity provisioned in each hour", pro rata for the
// hour in progress), so its cost so far, without the free tier, never
// falls. TestCostPropertiesOverRandomScenarios compares separate runs;
// this compares the pricing of one run's meters.
func TestPropertyCostsAdditive(t *testing.T) {
	for _, seed := range propertySeeds(20) {
		sc, src := drawScenario(t, "costs", seed, genConfig{})
		run := runPerRequest(t, sc, src, seed)
		checkCosts(t, seed, run)
	}
}

func checkCosts(t *testing.T, seed uint64, run *propRun) {
	t.Helper()
	s := run.sim
	hours := run.sc.Duration.Hours()
	var meters []billing.Meter
	for _, tb := range s.Service.Tables() {
		meters = append(meters, tb.Meter())
	}
	near := func(a, b float64) bool { return math.Abs(a-b) <= 1e-9*max(1, math.Abs(a), math.Abs(b)) }
	total := func(lines []billing.Charge) float64 {
		sum := 0.0
		for _, l := range lines {
			sum += l.USD
		}
		return sum
	}
	for _, free := range []bool{false, true} {
		lines := billing.Itemize(meters, s.PriceBooks, hours, free)
		for _, l := range lines {
			if l.USD < 0 || l.Quantity < 0 || l.Free < 0 || l.Free > l.Quantity || l.Price < 0 {
				t.Errorf("seed %d: free tier %v: line %+v\n%s", seed, free, l, run)
			}
		}
		if bill := billing.Cost(meters, s.PriceBooks, hours, free); !near(bill.Total(), total(lines)) {
			t.Errorf("seed %d: free tier %v: lines sum to $%v, the bill to $%v\n%s", seed, free, total(lines), bill.Total(), run)
		}
	}
	off := billing.Itemize(meters, s.PriceBooks, hours, false)
	on := billing.Itemize(meters, s.PriceBooks, hours, true)
	aloneOn := 0.0
	for i := range meters {
		alone := billing.Itemize(meters[i:i+1], s.PriceBooks[i:i+1], hours, false)
		var mine []billing.Charge
		for _, l := range off {
			if l.Table == i {
				l.Table = 0
				mine = append(mine, l)
			}
		}
		if !slices.Equal(mine, alone) {
			t.Errorf("seed %d: table %d: lines %+v in the bill of all tables, %+v alone\n%s", seed, i, mine, alone, run)
		}
		aloneOn += total(billing.Itemize(meters[i:i+1], s.PriceBooks[i:i+1], hours, true))
	}
	// What the free tier is worth at most: its capacity and storage for
	// the run at the dearest prices of the run's books.
	worth := 0.0
	for _, b := range s.PriceBooks {
		worth = max(worth, billing.FreeRCU*hours*b.RCUHour+billing.FreeWCU*hours*max(b.WCUHour, b.ReplicatedWCUHour)+
			billing.FreeStorageGB*hours/billing.HoursPerMonth*b.StorageGBMonth+
			billing.FreeStreamReadUnits*hours/billing.HoursPerMonth*b.StreamReadRequestUnit)
	}
	tOn, tOff := total(on), total(off)
	if tOn > tOff*(1+1e-12) || tOff-tOn > worth*(1+1e-9) || tOn < aloneOn*(1-1e-12)-1e-15 {
		t.Errorf("seed %d: with the free tier $%v, without $%v (free tier worth at most $%v), each table alone with its own $%v\n%s",
			seed, tOn, tOff, worth, aloneOn, run)
	}
	// The meters as the samples saw them never go down.
	for ti, l := range run.rec.tables {
		for i := 1; i < len(l.samples); i++ {
			a, b := l.samples[i-1].bill, l.samples[i].bill
			fa := []float64{a.RCUHours, a.WCUHours, a.ReservedRCUHours, a.ReservedWCUHours, a.ReadUnits, a.WriteUnits, a.GBMonths, a.DAXNodeHours, a.StreamReadUnits}
			fb := []float64{b.RCUHours, b.WCUHours, b.ReservedRCUHours, b.ReservedWCUHours, b.ReadUnits, b.WriteUnits, b.GBMonths, b.DAXNodeHours, b.StreamReadUnits}
			for k := range fa {
				if fb[k] < fa[k] {
					t.Errorf("seed %d: table %d: meter field %d fell from %v to %v between %v and %v\n%s",
						seed, ti, k, fa[k], fb[k], l.samples[i-1].at, l.samples[i].at, run)
					return
				}
			}
		}
	}
}
