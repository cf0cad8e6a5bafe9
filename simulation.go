package ddbsim

import (
	"cmp"
	"errors"
	"fmt"
	"sync/atomic"

	"github.com/ddbsim/ddbsim/model"
	"github.com/ddbsim/ddbsim/model/billing"
	"github.com/ddbsim/ddbsim/reports"
	"github.com/ddbsim/ddbsim/scenarios"
	"github.com/ddbsim/ddbsim/sim"
	"github.com/ddbsim/ddbsim/threshold"
	"github.com/ddbsim/ddbsim/workload"
	"github.com/ddbsim/ddbsim/workload/fluid"
)

// Fidelity is how a simulation drives its workloads.
type Fidelity string

const (
	// FidelityRequest simulates every request: its key, size, admission,
	// latency and retries (workload.Source). The default.
	FidelityRequest Fidelity = "request"
	// FidelityAggregate steps time in ticks and admits counts of
	// requests per partition through the same capacity model
	// (fluid.Driver): far faster for long, busy runs, and
	// approximate where FluidSource says.
	FidelityAggregate Fidelity = "aggregate"
	// FidelityAuto uses the aggregate driver for a scenario estimated at
	// more than AutoAggregateAbove requests, when that driver models it,
	// and every request otherwise. The result says which ran and why.
	FidelityAuto Fidelity = "auto"
)

// AutoAggregateAbove is the estimated request count above which
// FidelityAuto uses the aggregate driver: about a minute of the
// per-request driver on one core.
const AutoAggregateAbove = 50e6

// Options are how a scenario is simulated beyond what its file says. The
// zero value runs every request with seed 0 and records no series.
type Options struct {
	// Seed drives every random choice: the same scenario and seed give
	// the same result, byte for byte.
	Seed uint64
	// Fidelity chooses the driver; "" is FidelityRequest.
	Fidelity Fidelity
	// Tick is the aggregate driver's step, dividing a minute; a second
	// when 0.
	Tick sim.Time
	// Series keeps each simulated second's latency histogram, which the
	// latency plots and the latency log read; without it the result has
	// every total and percentile, and the run is faster.
	Series bool
	// Interrupt, when set (by a signal handler), stops the run at the
	// current simulated time: the result then covers the time reached
	// and is marked incomplete.
	Interrupt *atomic.Bool
	// Progress, when set, is called once a simulated second with the
	// time reached and the run's duration. It only reports: it must not
	// touch the simulation.
	Progress func(reached, total sim.Time)
	// Tap, when set, receives everything the run records as well as the
	// collector does (a server's live metrics). It must not touch the
	// simulation; the result is the same with or without it.
	Tap model.Recorder
}

// Simulation is a scenario turned into running parts: a kernel, the
// service with its tables loaded, one traffic source per workload (or the
// aggregate driver), and the collector that makes the result.
type Simulation struct {
	Kernel  *sim.Kernel
	Service *model.Service
	Sources []*workload.Source
	// Fluid drives the workloads instead of Sources when the simulation
	// runs under FidelityAggregate; nil otherwise.
	Fluid    *fluid.Driver
	Duration sim.Time
	// PriceBooks price each table's meter (REFERENCE: prices); FreeTier
	// says whether the account's free tier comes off the bill.
	PriceBooks []billing.PriceBook
	FreeTier   bool
	// Notes are what the build approximated that the scenario's own
	// Notes do not already say (a replica billed at its home region's
	// prices for want of its region's in a --prices file).
	Notes []string
	// Driver is the driver that runs: FidelityRequest or
	// FidelityAggregate. Choice says why, when FidelityAuto chose it;
	// nil otherwise.
	Driver Fidelity
	Choice *reports.FidelityChoice

	scenario  *scenarios.Scenario
	seed      uint64
	collector *reports.Collector
	rec       model.Recorder // the collector, and the tap when there is one
	progress  func(reached, total sim.Time)
	// started and ended are the steps a served session has taken
	// (steps.go): Start called, and EndAt cutting the run short.
	started, ended bool
}

// Build makes the simulation of sc under opts: the parts wired together
// and the collector that will make the result. Errors name the place in
// the scenario file they concern. Under FidelityAggregate a scenario
// using what the aggregate driver does not model is an error wrapping
// fluid.ErrUnsupported; under FidelityAuto it runs every request.
func Build(sc *scenarios.Scenario, opts Options) (*Simulation, error) {
	driver, choice, err := chooseDriver(sc, opts.Fidelity)
	if err != nil {
		return nil, err
	}
	col := newCollector(sc, opts.Series)
	s, err := assemble(sc, opts.Seed, tapped(col, opts.Tap), driver, opts.Tick)
	if err != nil && choice != nil && driver == FidelityAggregate && errors.Is(err, fluid.ErrUnsupported) {
		// Auto chose the aggregate driver for the scenario's size, but
		// it does not model the scenario: every request then.
		driver = FidelityRequest
		choice = &reports.FidelityChoice{Driver: string(driver), Reason: fmt.Sprintf("%s, but the aggregate driver does not model it: %v", choice.Reason, err)}
		col = newCollector(sc, opts.Series)
		s, err = assemble(sc, opts.Seed, tapped(col, opts.Tap), driver, opts.Tick)
	}
	if err != nil {
		return nil, err
	}
	s.Driver, s.Choice = driver, choice
	s.scenario, s.seed, s.collector, s.progress = sc, opts.Seed, col, opts.Progress
	s.rec = tapped(col, opts.Tap)
	if opts.Tap == nil {
		s.reportEarly(col.Step())
	}
	describeService(col, s.Service, len(sc.Tables))
	for i, t := range s.Service.Tables() {
		col.SetPartitions(i, t.Partitions())
	}
	col.SetPricing(s.PriceBooks, s.FreeTier)
	if opts.Interrupt != nil {
		s.Kernel.InterruptOn(opts.Interrupt)
	}
	return s, nil
}

// chooseDriver resolves fidelity to the driver that runs, and, under
// FidelityAuto, says why.
func chooseDriver(sc *scenarios.Scenario, fidelity Fidelity) (Fidelity, *reports.FidelityChoice, error) {
	switch fidelity {
	case "", FidelityRequest:
		return FidelityRequest, nil, nil
	case FidelityAggregate:
		return FidelityAggregate, nil, nil
	case FidelityAuto:
	default:
		return "", nil, fmt.Errorf("unknown fidelity %q", fidelity)
	}
	n, err := estimateRequests(sc)
	if err != nil {
		return "", nil, err
	}
	driver, than := FidelityRequest, "within"
	if n > AutoAggregateAbove {
		driver, than = FidelityAggregate, "over"
	}
	reason := fmt.Sprintf("~%s requests estimated, %s the %s the per-request driver runs in about a minute",
		reports.AboutCount(n), than, reports.AboutCount(AutoAggregateAbove))
	return driver, &reports.FidelityChoice{Driver: string(driver), Reason: reason}, nil
}

// newCollector makes the collector of a run of sc: its tables, its
// series' step, and whether it keeps each second's latency histogram.
func newCollector(sc *scenarios.Scenario, series bool) *reports.Collector {
	var infos []reports.TableInfo
	for _, t := range sc.Tables {
		infos = append(infos, reports.TableInfo{
			Name: t.Name, Mode: t.Mode,
			ReadCapacity: t.ReadCapacity, WriteCapacity: t.WriteCapacity,
		})
	}
	col := reports.NewCollector(infos)
	var ws []reports.WorkloadInfo
	for _, w := range sc.Workloads {
		ws = append(ws, reports.WorkloadInfo{Name: w.Name, Table: w.Table})
	}
	col.SetWorkloads(ws)
	var outages []reports.Outage
	for _, f := range sc.Faults {
		outages = append(outages, reports.Outage{Region: f.Region, StartS: f.At.Seconds(), EndS: (f.At + f.Outage).Seconds()})
	}
	col.SetOutages(outages)
	if !series {
		col.SkipIntervals()
	}
	d := sim.FromDuration(sc.Duration)
	col.SetStep(seriesStep(d))
	col.Reserve(d)
	return col
}

// Run runs the simulation to the end of the scenario (or to an
// interrupt) and returns its result with the scenario's thresholds
// evaluated. An error is a trace line that could not be read mid-run.
func (s *Simulation) Run() (*reports.Result, error) {
	s.Start()
	return s.Finish()
}

// result makes the result of a run that has reached its end.
func (s *Simulation) result() (*reports.Result, error) {
	for i, t := range s.Service.Tables() {
		s.collector.SetMeter(i, t.Meter())
	}
	for _, src := range s.Sources {
		if err := src.Err(); err != nil {
			return nil, err
		}
	}
	sc := s.scenario
	res := s.collector.Result(reports.Meta{
		Scenario: sc.Name,
		Seed:     s.seed,
		Duration: s.Reached(),
		Complete: !s.Kernel.Interrupted(),
		Fidelity: s.Choice,
	})
	var th []threshold.Threshold
	for _, t := range sc.Thresholds {
		th = append(th, t.Threshold)
	}
	res.CutShort = s.cutShort()
	res.TraceWaits = s.traceWaits()
	reports.Evaluate(res, th)
	return res, nil
}

// traceWaits lists the trace replays whose records waited for their
// client's in-flight limit.
func (s *Simulation) traceWaits() []reports.TraceWait {
	var out []reports.TraceWait
	for i, src := range s.Sources {
		w := src.TraceWaits()
		if w.Records == 0 {
			continue
		}
		spec := s.scenario.Workloads[i].Trace
		out = append(out, reports.TraceWait{
			Workload:    s.scenario.Workloads[i].Name,
			MaxInFlight: cmp.Or(spec.MaxInFlight, scenarios.DefaultMaxInFlight),
			Records:     w.Records,
			LongestMs:   w.Longest.Seconds() * 1e3,
		})
	}
	return out
}

// cutShort lists the workloads asked for a number of operations that the
// run ended before they finished. A YCSB workload without a target runs
// its threads as fast as they go, so how long its operationcount takes is
// the run's answer, not the file's: the scenario's duration (ten minutes
// under --ycsb) may end it first, and the result says so rather than
// projecting a month from a run that silently stopped.
func (s *Simulation) cutShort() []reports.CutShort {
	var cut []reports.CutShort
	for i, w := range s.scenario.Workloads {
		if w.Requests <= 0 {
			continue
		}
		var ran int64
		switch {
		case s.Fluid != nil && i < len(s.Fluid.Sources()):
			ran = s.Fluid.Sources()[i].Operations()
		case i < len(s.Sources):
			ran = s.Sources[i].Operations()
		}
		if ran >= w.Requests {
			continue
		}
		reason := fmt.Sprintf("the run ended at %v", sim.FromDuration(s.scenario.Duration))
		if y := w.YCSB; y != nil && y.Target <= 0 {
			reason = fmt.Sprintf("operationcount without a target: the client threads ran until the run ended at %v; --duration runs longer",
				sim.FromDuration(s.scenario.Duration))
		}
		cut = append(cut, reports.CutShort{Workload: w.Name, Operations: w.Requests, Ran: ran, Reason: reason})
	}
	return cut
}

// progressTicker calls a progress function from a kernel ticker.
type progressTicker struct {
	report func(reached, total sim.Time)
	total  sim.Time
}

func (p progressTicker) Fire(now sim.Time) { p.report(now, p.total) }

// seriesSteps are the steps of a long run's time series, in seconds.
var seriesSteps = []int64{1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400}

// maxSeriesPoints bounds the points of a run longer than a day's time
// series (timeseries.csv rows, latency intervals): a month a second
// apart would be 2.6 million of each, gigabytes and minutes of work.
const maxSeriesPoints = 10000

// seriesStep is what one point of a run's time series covers for a run
// of d: a second for a run of up to a day, else the shortest of
// seriesSteps that keeps the series within maxSeriesPoints.
func seriesStep(d sim.Time) sim.Time {
	if d <= sim.Day {
		return sim.Second
	}
	for _, s := range seriesSteps {
		if step := sim.Time(s) * sim.Second; (d+step-1)/step <= maxSeriesPoints {
			return step
		}
	}
	return sim.Day
}

// describeService tells the collector what the scenario's tables alone do
// not say: a global table's home region; its replicas in other regions and
// the global secondary indexes, which the service runs as tables of their
// own after the first known tables (in the service's order: replicas, then
// indexes); and the DAX clusters.
func describeService(col *reports.Collector, svc *model.Service, known int) {
	tables := svc.Tables()
	known = min(known, len(tables))
	// Only a global table's replicas, its home table included, carry a
	// region in the result: every table has the scenario's, which says
	// nothing.
	for _, t := range tables {
		if home, ok := t.ReplicaOf(); ok && home < known {
			col.SetRegion(home, tables[home].Region())
		}
	}
	for _, t := range tables[known:] {
		cfg := t.Config()
		info := reports.TableInfo{Name: cfg.Name, Mode: t.Mode().String(), Partitions: t.Partitions()}
		if t.Mode() == model.Provisioned {
			info.ReadCapacity, info.WriteCapacity = cfg.ReadCapacity, cfg.WriteCapacity
		}
		if base, index, ok := t.BaseTable(); ok {
			info.Base, info.Index = tables[base].Config().Name, index
		}
		if home, ok := t.ReplicaOf(); ok {
			info.ReplicaOf, info.Region = tables[home].Config().Name, t.Region()
		}
		col.AddTable(info)
	}
	var clusters []reports.ClusterInfo
	for _, c := range svc.Clusters() {
		cfg, node := c.Config(), c.NodeType()
		clusters = append(clusters, reports.ClusterInfo{Name: cfg.Name, NodeType: node.Name, Nodes: cfg.Nodes,
			NodeCapacity: node.Capacity, Tables: c.Tables()})
	}
	col.SetClusters(clusters)
}
