package ddbsim

// Assembly: a scenario's tables, service, DAX clusters, faults and traffic
// sources, made into the parts of a running simulation.

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
	"github.com/ddbsim/ddbsim/scenarios"
	"github.com/ddbsim/ddbsim/sim"
	"github.com/ddbsim/ddbsim/workload"
	"github.com/ddbsim/ddbsim/workload/fluid"
)

// assemble makes the parts of the simulation of sc under seed, driven by
// driver (FidelityRequest or FidelityAggregate, whose step is tick): rec
// receives everything the run records. Under FidelityAggregate a scenario
// using what that driver does not model is an error wrapping
// fluid.ErrUnsupported.
func assemble(sc *scenarios.Scenario, seed uint64, rec model.Recorder, driver Fidelity, tick sim.Time) (*Simulation, error) {
	if err := scenarios.Check(sc); err != nil {
		return nil, err
	}
	switch driver {
	case FidelityRequest, FidelityAggregate:
	default:
		return nil, fmt.Errorf("unknown fidelity %q", driver)
	}
	k := sim.New(seed)
	duration := sim.FromDuration(sc.Duration)

	lat := latency.DefaultLatency()
	for name, spec := range sc.Latency {
		l := latency.Lognormal{Median: sim.FromDuration(spec.Median), P99: sim.FromDuration(spec.P99)}
		if name == scenarios.LatencyDAX {
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
		t.Items = startingItems(sc, t)
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
		c.Indexes = indexConfigs(t) // configs.go, as the streams, TTL and replicas below
		// Every table is in the scenario's region, so that an outage of
		// it stops the tables there too.
		c.Stream, c.TTL = streamConfig(t.Stream), ttlConfig(t.TTL)
		c.Region = sc.HomeRegion(&t)
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
		book, err := scenarios.PriceBook(sc.Region, t.TableClass, sc.Prices, term)
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
	books, notes, err := replicaPriceBooks(sc, svc, books) // configs.go
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
	if driver == FidelityAggregate {
		s.Fluid = fluid.NewDriver(k, svc, rec, tick)
		// A run whose series keep a point a minute or coarser (longer
		// than a day) steps its calm stretches a minute (or a point) at
		// a time: the seconds inside a point are not shown.
		s.Fluid.SetCalmStep(min(seriesStep(duration), sim.Minute))
	}
	for i, w := range sc.Workloads {
		cfg, err := sourceConfig(sc, w, svc, duration, retry)
		if err != nil {
			return nil, err
		}
		cfg.Workload = i
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

// serviceParams applies the scenario's overrides to the model's defaults.
func serviceParams(sp scenarios.ServiceParams) model.Params {
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
	if sp.OnDemandPeakCountsThrottled != nil {
		p.OnDemandPeakCountsThrottled = *sp.OnDemandPeakCountsThrottled
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
	if sp.EventualReadCeiling != nil {
		p.EventualReadCeiling = *sp.EventualReadCeiling
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
	if sp.GlobalStorageOverhead != nil {
		p.GlobalStorageOverhead = *sp.GlobalStorageOverhead
	}
	return p
}

// startingItems returns the items table t of sc starts with: its own, or,
// when it has none and a YCSB workload runs on it, the workload's records
// (YCSB's load phase: recordcount records of the file's size). Estimate
// sizes a run by them before building it.
func startingItems(sc *scenarios.Scenario, t scenarios.Table) scenarios.Items {
	if t.Items.Count > 0 {
		return t.Items
	}
	for _, w := range sc.Workloads {
		if w.Table == t.Name && w.YCSB != nil {
			return scenarios.Items{Count: w.YCSB.RecordCount, Size: w.YCSB.ItemSize, PerKey: 1}
		}
	}
	return t.Items
}

// addDAX puts the scenario's DAX clusters in front of their tables, the
// shared one first, then the tables' own in table order, and prices each
// cluster's node-hours on the book of its first table, which owns it.
func addDAX(sc *scenarios.Scenario, svc *model.Service, books []billing.PriceBook) error {
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
		price, err := scenarios.DAXNodeHour(sc.Region, d.NodeType, sc.Prices)
		if err != nil {
			return fmt.Errorf("%s:%d:%d: DAX cluster %s: %w", sc.File, d.Pos.Line, d.Pos.Col, d.Name, err)
		}
		books[served[0]].DAXNodeHour = price
	}
	return nil
}

// viaDAX says whether w's requests go through its table's DAX cluster:
// when the table has one, unless the workload says dax: false or its
// clients are in another region than the cluster (a replica's).
func viaDAX(sc *scenarios.Scenario, w scenarios.Workload) bool {
	for i := range sc.Tables {
		if t := &sc.Tables[i]; t.Name == w.Table {
			home := w.Region == "" || w.Region == sc.HomeRegion(t)
			return home && sc.ClusterOf(t) != nil && (w.DAX == nil || *w.DAX)
		}
	}
	return false
}

// run starts every source, runs the kernel to the end of the scenario,
// then lets requests still in flight (retries, responses) finish, so every
// request that arrived is accounted for. Closed-loop users start nothing at
// or after the end, so the second run ends too.
func (s *Simulation) run() {
	s.startSources()
	s.runOut()
}

// startSources starts every traffic source.
func (s *Simulation) startSources() {
	for _, src := range s.Sources {
		src.Start()
	}
	if s.Fluid != nil {
		s.Fluid.Start()
	}
}

// runOut runs the kernel to the end of the run and, unless an interrupt
// or EndAt cut it short, lets what is still in flight finish; then it
// settles the meters up to the time reached.
func (s *Simulation) runOut() {
	s.Kernel.Run(s.Duration)
	if !s.Kernel.Interrupted() && !s.ended {
		s.Kernel.Run(sim.Never)
	}
	s.Service.SettleAt(s.Reached())
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
