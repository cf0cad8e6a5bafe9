package ddbsim

import (
	"fmt"

	"github.com/ddbsim/ddbsim/scenarios"
	"github.com/ddbsim/ddbsim/sim"
)

// The resource guard's arithmetic: before a simulation is built, its
// requests, events and memory are estimated from the scenario alone, so
// that a run that would take hours or exhaust the machine's memory can be
// refused with the estimate rather than started.

// perRequestEventsPerSecond and aggregateEventsPerSecond are the drivers'
// speeds on one core, for the time a run will take (docs: performance):
// 1.7 million requests a second at two events each; 30 days of one-second
// ticks of two events each in 25 s, over 64 partitions.
const (
	perRequestEventsPerSecond = 3.4e6
	aggregateEventsPerSecond  = 2e5
)

// BytesPerItem is what a preloaded item costs in the store: 86 B a 1 KB
// item at 1M keys (BenchmarkPreload1M), rounded up for keys with longer
// names and the store's growth slack.
const BytesPerItem = 100

// Resources are what a simulation of a scenario is expected to cost.
type Resources struct {
	// Driver is the driver the estimate is for: the one the options
	// name, or the one FidelityAuto would choose by the scenario's size.
	Driver   Fidelity
	Requests float64 // client requests over the run
	Events   float64 // kernel events: what the run's time is made of
	Items    float64 // items preloaded into the tables and their indexes
	Memory   float64 // bytes of live heap at the run's peak, roughly
	// Seconds is about how long the run takes on one core.
	Seconds float64
}

// Estimate works out what a simulation of sc under opts costs. It reads
// the scenario only, so it takes microseconds however big the scenario
// is.
func Estimate(sc *scenarios.Scenario, opts Options) (Resources, error) {
	var est Resources
	driver, _, err := chooseDriver(sc, opts.Fidelity)
	if err != nil {
		return est, err
	}
	est.Driver = driver
	n, err := estimateRequests(sc)
	if err != nil {
		return est, err
	}
	est.Requests = n
	d := sim.FromDuration(sc.Duration)
	tables := 0.0
	for _, t := range sc.Tables {
		copies := float64(1 + len(t.Replicas)) // a replica holds every item again
		est.Items += copies * float64(startingItems(sc, t).Count) * float64(1+len(t.Indexes))
		tables += copies * float64(1+len(t.Indexes))
	}
	// Each table samples itself every second and checks its minute
	// datapoints; the collector keeps a per-step series point for each.
	periodic := tables * d.Seconds() * 2
	if driver == FidelityAggregate {
		tick := opts.Tick
		if tick <= 0 {
			tick = sim.Second
		}
		// A tick is an event for each workload and each table, whatever
		// the traffic.
		est.Events = float64(d/tick)*float64(len(sc.Workloads)+len(sc.Tables)) + periodic
		est.Seconds = est.Events / aggregateEventsPerSecond
	} else {
		// An arrival and a completion a request; retries add more, but
		// an estimate made before the run cannot know how many.
		est.Events = 2*n + periodic
		est.Seconds = est.Events / perRequestEventsPerSecond
	}
	points := d.Seconds() / seriesStep(d).Seconds()
	est.Memory = est.Items*BytesPerItem + points*tables*64*8
	return est, nil
}

// estimateRequests is about how many requests sc issues: for each open
// loop the integral of its rate over the run (at most its request limit),
// for each closed loop its users sending back to back, each request and
// think time taking at least 10 ms; for each trace the records its replay
// sends (traceRequests).
func estimateRequests(sc *scenarios.Scenario) (float64, error) {
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
// read the whole trace (scenarios.TraceSpec.scan), so this reads nothing.
func traceRequests(tr *scenarios.TraceSpec, duration sim.Time) float64 {
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
