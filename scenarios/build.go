package scenarios

import (
	"fmt"
	"slices"
	"time"

	"github.com/ddbsim/ddbsim/model"
	"github.com/ddbsim/ddbsim/model/billing"
	"github.com/ddbsim/ddbsim/model/capacity"
	"github.com/ddbsim/ddbsim/model/latency"
	"github.com/ddbsim/ddbsim/model/store"
	"github.com/ddbsim/ddbsim/model/units"
	"github.com/ddbsim/ddbsim/sim"
	"github.com/ddbsim/ddbsim/workload"
)

// Simulation is a scenario turned into running parts: a kernel, the
// service with its tables loaded, and one traffic source per workload.
type Simulation struct {
	Kernel  *sim.Kernel
	Service *model.Service
	Sources []*workload.Source
	// Fluid drives the workloads instead of Sources when the simulation
	// was built with FidelityAggregate; nil otherwise.
	Fluid    *workload.FluidDriver
	Duration sim.Time
	// PriceBooks price each table's meter (REFERENCE: prices); FreeTier
	// says whether the account's free tier comes off the bill.
	PriceBooks []billing.PriceBook
	FreeTier   bool
	// Notes are what the build approximated that the scenario's own
	// Notes do not already say (a replica billed at its home region's
	// prices for want of its region's in a --prices file).
	Notes []string
}

// Check reports what the model cannot run in a scenario that parsed: an
// operation it does not model yet, a batch size beyond what a batch
// operation of the mix takes, an operation other than query and scan
// sent to an index, or a workload in a region its table is not in (the
// parser rejects the last three; a Scenario built in code may not).
// Build makes the same checks.
func Check(sc *Scenario) error {
	if err := checkRanges(sc); err != nil { // parse_check.go: the parser's ranges
		return err
	}
	for _, w := range sc.Workloads {
		if err := checkRegion(sc, w); err != nil { // parse_global.go
			return err
		}
		for _, m := range w.Mix {
			if w.Index != "" && m.Op != "query" && m.Op != "scan" {
				return fmt.Errorf("%s:%d:%d: workload %s: %s on index %s; an index serves query and scan only",
					sc.File, w.Pos.Line, w.Pos.Col, w.Name, m.Op, w.Index)
			}
			op, ok := units.ParseOp(m.Op)
			if ok && !model.Supported(op) {
				return fmt.Errorf("%s:%d:%d: workload %s: operation %s is not modelled",
					sc.File, w.Pos.Line, w.Pos.Col, w.Name, op)
			}
			if limit := int64(model.MaxBatchItems(op)); ok && limit > 0 && (w.BatchSize < 0 || w.BatchSize > limit) {
				return fmt.Errorf("%s:%d:%d: workload %s: batch_size %d; %s takes 1 to %d items",
					sc.File, w.Pos.Line, w.Pos.Col, w.Name, w.BatchSize, op, limit)
			}
		}
	}
	return nil
}

// Fidelity is how a simulation drives its workloads.
type Fidelity string

const (
	// FidelityRequest simulates every request: its key, size, admission,
	// latency and retries (workload.Source). The default.
	FidelityRequest Fidelity = "request"
	// FidelityAggregate steps time in ticks and admits counts of
	// requests per partition through the same capacity model
	// (workload.FluidDriver): far faster for long, busy runs, and
	// approximate where FluidSource says.
	FidelityAggregate Fidelity = "aggregate"
)

// BuildOptions are how Build makes a simulation beyond the scenario.
type BuildOptions struct {
	Fidelity Fidelity // "" is FidelityRequest
	// Tick is the aggregate driver's step; workload.DefaultTick when 0.
	Tick sim.Time
}

// Build makes the simulation of sc under seed. rec receives everything the
// run records. Errors name the place in the scenario file they concern.
func Build(sc *Scenario, seed uint64, rec model.Recorder) (*Simulation, error) {
	return BuildWith(sc, seed, rec, BuildOptions{})
}

// BuildWith is Build with options: with FidelityAggregate the workloads
// run under the aggregate driver, and a scenario using what it does not
// model is an error wrapping workload.ErrUnsupported.
func BuildWith(sc *Scenario, seed uint64, rec model.Recorder, opts BuildOptions) (*Simulation, error) {
	if err := Check(sc); err != nil {
		return nil, err
	}
	switch opts.Fidelity {
	case "", FidelityRequest, FidelityAggregate:
	default:
		return nil, fmt.Errorf("unknown fidelity %q", opts.Fidelity)
	}
	k := sim.New(seed)
	duration := sim.FromDuration(sc.Duration)

	lat := latency.DefaultLatency()
	for name, spec := range sc.Latency {
		l := latency.Lognormal{Median: sim.FromDuration(spec.Median), P99: sim.FromDuration(spec.P99)}
		if name == LatencyDAX {
			lat.DAX = l
			continue
		}
		op, ok := units.ParseOp(name)
		if !ok {
			return nil, fmt.Errorf("%s: latency: unknown operation %q", sc.File, name)
		}
		lat.Base[op] = l
	}

	var tables []model.TableConfig
	for _, t := range sc.Tables {
		t.Items = ycsbItems(sc, t)
		c := model.TableConfig{
			Name:          t.Name,
			Schema:        store.KeySchema{PartitionKey: t.PartitionKey, SortKey: t.SortKey},
			ReadCapacity:  t.ReadCapacity,
			WriteCapacity: t.WriteCapacity,
			ItemCount:     t.Items.Count,
			ItemSize:      t.Items.Size,
			ItemsPerKey:   max(1, t.Items.PerKey),
		}
		if t.Mode == "on-demand" {
			c.Mode = model.OnDemand
		}
		if t.PreviousPeak != nil {
			c.PreviousPeakReads, c.PreviousPeakWrites = t.PreviousPeak.Reads, t.PreviousPeak.Writes
		}
		if t.WarmThroughput != nil {
			c.WarmReads, c.WarmWrites = int64(t.WarmThroughput.Reads), int64(t.WarmThroughput.Writes)
		}
		if t.MaxThroughput != nil {
			c.MaxReads, c.MaxWrites = int64(t.MaxThroughput.Reads), int64(t.MaxThroughput.Writes)
		}
		c.Partitions = int(t.Partitions)
		c.Indexes = indexConfigs(t) // parse_indexes.go
		// Streams, TTL (parse_streams.go) and global tables
		// (parse_global.go). Every table is in the scenario's region, so
		// that an outage of it stops the tables there too.
		c.Stream, c.TTL = streamConfig(t.Stream), ttlConfig(t.TTL)
		c.Region = homeRegion(&t, sc.Region)
		c.Replicas = slices.Clone(t.Replicas)
		c.ReplicationLags = replicationLags(t)
		c.StrongConsistency = t.StrongConsistency
		if a := t.AutoScaling; a != nil {
			c.AutoScaling = &capacity.AutoScaling{Target: a.Target, Min: a.Min, Max: a.Max}
		}
		for _, ch := range t.CapacityChanges {
			mc := model.CapacityChange{At: sim.FromDuration(ch.At), Read: ch.ReadCapacity, Write: ch.WriteCapacity}
			switch ch.Mode {
			case "on-demand":
				m := model.OnDemand
				mc.SwitchTo = &m
			case "provisioned":
				m := model.Provisioned
				mc.SwitchTo = &m
			}
			c.Schedule = append(c.Schedule, mc)
		}
		tables = append(tables, c)
	}
	var books []billing.PriceBook
	for i, t := range sc.Tables {
		tables[i].StandardIA = t.TableClass == "standard-ia"
		term := ""
		if r := t.Reserved; r != nil {
			tables[i].ReservedRead, tables[i].ReservedWrite, term = r.ReadCapacity, r.WriteCapacity, r.Term
		}
		book, err := PriceBook(sc.Region, t.TableClass, sc.Prices, term)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", sc.File, err)
		}
		books = append(books, book)
	}
	svc, err := model.NewService(tables, serviceParams(sc.Service), lat, k.Stream("service/latency"), rec)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", sc.File, err)
	}
	svc.Seed(k.Stream("service/decisions").Uint64())
	// The service's tables go on with the replicas of global tables, then
	// one per global secondary index: a replica is billed at its region's
	// prices, an index at its table's (REFERENCE: gsi).
	books, notes, err := replicaPriceBooks(sc, svc, books) // parse_global.go
	if err != nil {
		return nil, err
	}
	if err := addDAX(sc, svc, books); err != nil {
		return nil, err
	}
	addFaults(sc, svc)
	svc.Start(k, duration)

	retry, err := retryPolicy(sc.Client.Retry)
	if err != nil {
		return nil, fmt.Errorf("%s: client.retry: %w", sc.File, err)
	}
	s := &Simulation{Kernel: k, Service: svc, Duration: duration, PriceBooks: books, FreeTier: sc.Prices.FreeTier}
	for _, n := range notes {
		if !slices.Contains(sc.Notes, n) {
			s.Notes = append(s.Notes, n)
		}
	}
	if opts.Fidelity == FidelityAggregate {
		s.Fluid = workload.NewFluidDriver(k, svc, rec, opts.Tick)
	}
	for _, w := range sc.Workloads {
		cfg, err := sourceConfig(sc, w, svc, duration, retry)
		if err != nil {
			return nil, err
		}
		if s.Fluid != nil {
			if _, err := s.Fluid.Add(cfg); err != nil {
				return nil, fmt.Errorf("%s:%d:%d: %w", sc.File, w.Pos.Line, w.Pos.Col, err)
			}
			continue
		}
		s.Sources = append(s.Sources, workload.NewSource(cfg, k, svc, rec))
	}
	return s, nil
}

// EstimateRequests is about how many requests sc issues: for each open
// loop the integral of its rate over the run (at most its request limit),
// for each closed loop its users sending back to back, each request and
// think time taking at least 10 ms; for each trace the records its replay
// sends (traceRequests).
func EstimateRequests(sc *Scenario) (float64, error) {
	duration := sim.FromDuration(sc.Duration)
	total := 0.0
	for _, w := range sc.Workloads {
		var n float64
		switch {
		case w.Trace != nil:
			n = traceRequests(w.Trace, duration)
		case w.Users > 0:
			cycle := max(sim.FromDuration(w.Think), 0) + 10*sim.Millisecond
			n = float64(w.Users) * duration.Seconds() / cycle.Seconds()
		default:
			p, err := arrivalProfile(w, duration)
			if err != nil {
				return 0, fmt.Errorf("%s:%d:%d: workload %s: %w", sc.File, w.Pos.Line, w.Pos.Col, w.Name, err)
			}
			n = p.Expected()
		}
		if w.Requests > 0 {
			n = min(n, float64(w.Requests))
		}
		total += n
	}
	return total, nil
}

// traceRequests is how many records a replay of tr sends over duration:
// the trace's records once, or fewer when the duration ends within the
// first pass, or as many passes as fit with Loop. Loading the scenario
// read the whole trace (TraceSpec.scan), so this reads nothing.
func traceRequests(tr *TraceSpec, duration sim.Time) float64 {
	pass := tr.Period.Seconds() / tr.Speed // virtual seconds a pass lasts
	if tr.Records == 0 || pass <= 0 {
		return float64(tr.Records)
	}
	passes := duration.Seconds() / pass
	if !tr.Loop {
		passes = min(passes, 1)
	}
	return float64(tr.Records) * passes
}

// sourceConfig is the whole configuration of w's traffic source: what it
// sends, and how its clients behave.
func sourceConfig(sc *Scenario, w Workload, svc *model.Service, duration sim.Time, retry workload.RetryPolicy) (workload.Config, error) {
	cfg, err := workloadConfig(sc, w, svc, duration)
	if err != nil {
		return cfg, fmt.Errorf("%s:%d:%d: workload %s: %w", sc.File, w.Pos.Line, w.Pos.Col, w.Name, err)
	}
	cfg.Retry = retry
	cfg.Timeout = sim.FromDuration(sc.Client.Timeout)
	cfg.ViaDAX = viaDAX(sc, w)
	placeWorkload(sc, w, svc, &cfg) // parse_global.go: its replica, and where it fails over
	return cfg, nil
}

func workloadConfig(sc *Scenario, w Workload, svc *model.Service, duration sim.Time) (workload.Config, error) {
	ti, err := svc.TableIndex(w.Table)
	if err != nil {
		return workload.Config{}, err
	}
	table := sc.Tables[ti]
	if w.Trace != nil { // a trace gives arrivals, keys, operations and sizes
		return traceConfig(w, ti, duration)
	}
	var profile workload.Profile // open loop only
	if w.Users == 0 {
		// Stages, spikes, daily cycle (parse_shapes.go).
		if profile, err = arrivalProfile(w, duration); err != nil {
			return workload.Config{}, err
		}
	}
	mix, inserts, err := buildMix(w.Mix)
	if err != nil {
		return workload.Config{}, err
	}

	index := 0
	if w.Index != "" {
		var ok bool
		if index, _, ok = svc.Tables()[ti].IndexRequest(w.Index); !ok {
			return workload.Config{}, fmt.Errorf("table %s has no index %s", table.Name, w.Index)
		}
	}
	count := w.Keys.Count
	if ix := indexOf(&table, w.Index); count <= 0 && ix != nil && !ix.Local {
		count = ix.Keys.Count // the index's key values
		if count <= 0 {
			count = tableKeyCount(table)
		}
	}
	if count <= 0 {
		count = table.Items.Count / max(1, table.Items.PerKey)
	}
	if count <= 0 {
		return workload.Config{}, fmt.Errorf("keys.count is required when the table has no items")
	}
	var keyspace *workload.Keyspace
	if inserts {
		keyspace = workload.NewKeyspace(count)
	}
	keys := keyChooser(w, count, keyspace) // parse_keys.go

	var sizes workload.SizeChooser = workload.FixedSize(w.ItemSize.Fixed)
	switch w.ItemSize.Distribution {
	case "lognormal":
		sizes = workload.NewLognormalSize(int(w.ItemSize.Median), int(w.ItemSize.P99))
	case "uniform":
		sizes = workload.UniformSize{Min: int(w.ItemSize.Min), Max: int(w.ItemSize.Max)}
	}
	consistency := units.Eventual
	if w.Consistency == "strong" {
		consistency = units.Strong
	}
	perKey := int64(1)
	if table.SortKey != "" {
		perKey = max(1, table.Items.PerKey)
	}
	return workload.Config{
		Name:        w.Name,
		Table:       ti,
		Arrivals:    profile,
		Poisson:     w.Arrival != "constant",
		Mix:         mix,
		Keys:        keys,
		Shards:      int(w.Keys.Shards), // 0: unsharded
		ItemsPerKey: perKey,
		Sizes:       sizes,
		Consistency: consistency,
		QueryLimit:  int(w.QueryLimit),
		QueryRange:  int(w.QueryRange),
		MaxRequests: w.Requests,
		ScanMax:     int(w.ScanMax),
		Keyspace:    keyspace,
		BatchSize:   int(w.BatchSize), // 0: workload.DefaultBatchSize
		Index:       index,            // 0: the table

		// A closed loop when Users > 0: no request starts at or after the
		// scenario's end.
		Users:            int(w.Users),
		Think:            sim.FromDuration(w.Think),
		ThinkExponential: w.ThinkDistribution == "exponential",
		End:              duration,
	}, nil
}

// viaDAX says whether w's requests go through its table's DAX cluster:
// when the table has one, unless the workload says dax: false or its
// clients are in another region than the cluster (a replica's).
func viaDAX(sc *Scenario, w Workload) bool {
	for i := range sc.Tables {
		if t := &sc.Tables[i]; t.Name == w.Table {
			home := w.Region == "" || w.Region == homeRegion(t, sc.Region)
			return home && clusterOf(sc.DAX, t) != nil && (w.DAX == nil || *w.DAX)
		}
	}
	return false
}

// addDAX puts the scenario's DAX clusters in front of their tables, the
// shared one first, then the tables' own in table order, and prices each
// cluster's node-hours on the book of its first table, which owns it.
func addDAX(sc *Scenario, svc *model.Service, books []billing.PriceBook) error {
	for _, d := range sc.Clusters() {
		var served []int
		for _, name := range d.Tables {
			ti, err := svc.TableIndex(name)
			if err != nil {
				return fmt.Errorf("%s:%d:%d: DAX cluster %s: %w", sc.File, d.Pos.Line, d.Pos.Col, d.Name, err)
			}
			served = append(served, ti)
		}
		if _, err := svc.AddDAX(daxConfig(d), served); err != nil {
			return fmt.Errorf("%s:%d:%d: %w", sc.File, d.Pos.Line, d.Pos.Col, err)
		}
		price, err := DAXNodeHour(sc.Region, d.NodeType, sc.Prices)
		if err != nil {
			return fmt.Errorf("%s:%d:%d: DAX cluster %s: %w", sc.File, d.Pos.Line, d.Pos.Col, d.Name, err)
		}
		books[served[0]].DAXNodeHour = price
	}
	return nil
}

// serviceParams applies the scenario's overrides to the model's defaults.
func serviceParams(sp ServiceParams) model.Params {
	p := model.DefaultParams()
	setTime := func(dst *sim.Time, src *time.Duration) {
		if src != nil {
			*dst = sim.FromDuration(*src)
		}
	}
	setTime(&p.BurstWindow, sp.BurstWindow)
	setTime(&p.HeatSustain, sp.HeatSustain)
	setTime(&p.HeatSplitDelay, sp.HeatSplitDelay)
	setTime(&p.OnDemandCatchUp, sp.OnDemandCatchUp)
	setTime(&p.UpdateDelay, sp.UpdateDelay)
	if sp.BurstStartsFull != nil {
		p.BurstStartsFull = *sp.BurstStartsFull
	}
	if sp.Adaptive != nil {
		p.Adaptive = *sp.Adaptive
	}
	if sp.HeatThreshold != nil {
		p.HeatThreshold = *sp.HeatThreshold
	}
	if sp.HotKeyShare != nil {
		p.HotKeyShare = *sp.HotKeyShare
	}
	if sp.TableReadQuota != nil {
		p.TableReadQuota = *sp.TableReadQuota
	}
	if sp.TableWriteQuota != nil {
		p.TableWriteQuota = *sp.TableWriteQuota
	}
	if sp.DAXCacheMemory != nil {
		p.DAXCacheMemory = *sp.DAXCacheMemory
	}
	if sp.DAXItemCacheShare != nil {
		p.DAXItemCacheShare = *sp.DAXItemCacheShare
	}
	setTime(&p.TTLDeleteWithin, sp.TTLDeleteWithin)
	return p
}

// StartingItems returns the items table t of sc starts with: its own, or
// those a YCSB workload on it loads (see ycsbItems). The resource guard
// sizes a run by them before building it.
func StartingItems(sc *Scenario, t Table) Items { return ycsbItems(sc, t) }

// ycsbItems returns the items a table starts with: its own, or, when it has
// none and a YCSB workload runs on it, the workload's records (YCSB's load
// phase: recordcount records of the file's size).
func ycsbItems(sc *Scenario, t Table) Items {
	if t.Items.Count > 0 {
		return t.Items
	}
	for _, w := range sc.Workloads {
		if w.Table == t.Name && w.YCSB != nil {
			return Items{Count: w.YCSB.RecordCount, Size: w.YCSB.ItemSize, PerKey: 1}
		}
	}
	return t.Items
}

// buildMix turns the scenario's mix into the workload's, mapping the YCSB
// operations onto the service's: an insert is a put of a new key, a
// read-modify-write a get followed by an update. It reports whether the
// mix inserts.
func buildMix(entries []MixEntry) (workload.Mix, bool, error) {
	var out []workload.MixEntry
	inserts := false
	for _, m := range entries {
		e := workload.MixEntry{Weight: m.Weight, ConditionFailure: m.ConditionFailure}
		switch m.Op {
		case "insert":
			e.Op, e.Insert, inserts = units.OpPut, true, true
		case "read_modify_write":
			e.Op, e.ReadModifyWrite = units.OpGet, true
		default:
			op, ok := units.ParseOp(m.Op)
			if !ok {
				return workload.Mix{}, false, fmt.Errorf("unknown operation %q", m.Op)
			}
			e.Op = op
		}
		switch m.Consistency {
		case "strong":
			e.Consistency, e.HasConsistency = units.Strong, true
		case "eventual":
			e.Consistency, e.HasConsistency = units.Eventual, true
		}
		out = append(out, e)
	}
	mix, err := workload.NewMixEntries(out)
	return mix, inserts, err
}

func retryPolicy(r Retry) (workload.RetryPolicy, error) {
	switch r.Policy {
	case "", "sdk-v2":
		return workload.SDKv2(), nil
	case "legacy":
		return workload.Legacy(), nil
	case "none":
		return workload.NoRetry(), nil
	case "custom":
		return workload.RetryPolicy{
			MaxAttempts: r.MaxAttempts,
			Base:        sim.FromDuration(r.Base),
			MaxBackoff:  sim.FromDuration(r.MaxBackoff),
		}, nil
	}
	return workload.RetryPolicy{}, fmt.Errorf("unknown retry policy %q", r.Policy)
}

// Run starts every source, runs the kernel to the end of the scenario,
// then lets requests still in flight (retries, responses) finish, so every
// request that arrived is accounted for. Closed-loop users start nothing at
// or after the end, so the second run ends too.
func (s *Simulation) Run() {
	for _, src := range s.Sources {
		src.Start()
	}
	if s.Fluid != nil {
		s.Fluid.Start()
	}
	s.Kernel.Run(s.Duration)
	if !s.Kernel.Interrupted() {
		s.Kernel.Run(sim.Never)
	}
	s.Service.Settle()
}

// Reached is the virtual time a run covers: its duration, or, when the
// kernel's interrupt stopped it (sim.Kernel.InterruptOn), the last whole
// second sampled before the interrupt, up to which every meter and series
// is complete. Requests still in flight then are not counted.
func (s *Simulation) Reached() sim.Time {
	if !s.Kernel.Interrupted() {
		return s.Duration
	}
	return min(s.Kernel.Now()/sim.Second*sim.Second, s.Duration)
}
