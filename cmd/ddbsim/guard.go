package main

import (
	"bufio"
	"bytes"
	"fmt"
	"os"

	"github.com/ddbsim/ddbsim/scenarios"
	"github.com/ddbsim/ddbsim/sim"
)

// The resource guard: before a simulation is built, its events and memory
// are estimated from the scenario alone, and a run that would take hours
// or exhaust the machine's memory is refused with the estimate and the way
// out, rather than started.

// defaultMaxEvents is --max-events by default: two billion events, about
// ten minutes of the per-request driver on one core (two events a
// request, 1.7 million requests a second; README, Performance).
const defaultMaxEvents = "2G"

// perRequestEventsPerSecond and aggregateEventsPerSecond are the drivers'
// speeds on one core, for the time a refused run would have taken (README,
// Performance): 1.7 million requests a second at two events each; 30 days
// of one-second ticks of two events each in 25 s, over 64 partitions.
const (
	perRequestEventsPerSecond = 3.4e6
	aggregateEventsPerSecond  = 2e5
)

// bytesPerItem is what a preloaded item costs in the store: 86 B a 1 KB
// item at 1M keys (BenchmarkPreload1M), rounded up for keys with longer
// names and the store's growth slack.
const bytesPerItem = 100

// memoryShare is the share of the machine's available memory a run may
// plan to use: the rest is for the garbage collector's headroom (the heap
// may reach twice the live data) and everything else the machine runs.
const memoryShare = 0.5

// fallbackMemory is assumed when the available memory cannot be read
// (a system without /proc/meminfo).
const fallbackMemory = 8 << 30

// estimate is what a simulation of a scenario is expected to cost.
type estimate struct {
	requests float64 // client requests over the run
	events   float64 // kernel events: what the run's time is made of
	items    float64 // items preloaded into the tables and their indexes
	memory   float64 // bytes of live heap at the run's peak, roughly
}

// estimateRun works out what sc costs to simulate with the driver e.build
// chose. It reads the scenario only, so it takes microseconds however big
// the scenario is.
func estimateRun(e *env, sc *scenarios.Scenario) (estimate, error) {
	var est estimate
	n, err := scenarios.EstimateRequests(sc)
	if err != nil {
		return est, err
	}
	est.requests = n
	d := sim.FromDuration(sc.Duration)
	tables := 0.0
	for _, t := range sc.Tables {
		copies := float64(1 + len(t.Replicas)) // a replica holds every item again
		est.items += copies * float64(scenarios.StartingItems(sc, t).Count) * float64(1+len(t.Indexes))
		tables += copies * float64(1+len(t.Indexes))
	}
	// Each table samples itself every second and checks its minute
	// datapoints; the collector keeps a per-step series point for each.
	periodic := tables * d.Seconds() * 2
	if e.build.opts.Fidelity == scenarios.FidelityAggregate {
		tick := e.build.opts.Tick
		if tick <= 0 {
			tick = sim.Second
		}
		// A tick is an event for each workload and each table, whatever
		// the traffic.
		est.events = float64(d/tick)*float64(len(sc.Workloads)+len(sc.Tables)) + periodic
	} else {
		// An arrival and a completion a request; retries add more, but
		// an estimate made before the run cannot know how many.
		est.events = 2*n + periodic
	}
	points := d.Seconds() / seriesStep(d).Seconds()
	est.memory = est.items*bytesPerItem + points*tables*64*8
	return est, nil
}

// checkResources refuses sc when its estimate is over the budget:
// --max-events, or memoryShare of the memory available. The error says
// what the run would have cost and how to make it fit.
func checkResources(e *env, sc *scenarios.Scenario, maxEvents float64) error {
	est, err := estimateRun(e, sc)
	if err != nil {
		return err
	}
	if est.events > maxEvents {
		what := fmt.Sprintf("~%s requests estimated, ~%s events", aboutCount(est.requests), aboutCount(est.events))
		speed := perRequestEventsPerSecond
		way := "--fidelity aggregate (counts of requests a tick: a month in seconds)"
		if replaysTrace(sc) {
			way = "a slower --speed or no --loop (the aggregate driver does not replay traces)"
		}
		if e.build.opts.Fidelity == scenarios.FidelityAggregate {
			what = fmt.Sprintf("~%s aggregate-driver events estimated (a tick for each workload and table)", aboutCount(est.events))
			speed, way = aggregateEventsPerSecond, "a longer --tick"
		}
		return fmt.Errorf("%s: %s, about %s on one core: over the budget of --max-events %s.\n"+
			"Use %s, a shorter --duration, or a larger --max-events if the run is meant to take that long",
			scenarioName(sc), what, aboutWallTime(est.events/speed), aboutCount(maxEvents), way)
	}
	if avail := availableMemory(); est.memory > memoryShare*avail {
		return fmt.Errorf("%s: ~%s of memory estimated (%s items at ~%d B, and the time series), more than half of the %s available.\n"+
			"Use fewer items (items: count, or YCSB's recordcount), fewer secondary indexes or replicas, or a machine with more memory",
			scenarioName(sc), aboutBytes(est.memory), aboutCount(est.items), bytesPerItem, aboutBytes(avail))
	}
	return nil
}

// replaysTrace says whether a workload of sc replays a trace.
func replaysTrace(sc *scenarios.Scenario) bool {
	for _, w := range sc.Workloads {
		if w.Trace != nil {
			return true
		}
	}
	return false
}

// scenarioName names sc in a message: its file when it has one.
func scenarioName(sc *scenarios.Scenario) string {
	if sc.File != "" {
		return sc.File
	}
	return sc.Name
}

// aboutWallTime writes seconds of wall time as a person would say it.
func aboutWallTime(s float64) string {
	switch {
	case s < 90:
		return fmt.Sprintf("%.0f seconds", s)
	case s < 90*60:
		return fmt.Sprintf("%.0f minutes", s/60)
	case s < 48*3600:
		return fmt.Sprintf("%.0f hours", s/3600)
	case s < 2*365*86400:
		return fmt.Sprintf("%.0f days", s/86400)
	}
	return fmt.Sprintf("%s years", aboutCount(s/(365*86400)))
}

// aboutBytes writes a byte count to two or three significant figures.
func aboutBytes(b float64) string {
	return aboutScaled(b, " B", []scale{{1 << 50, " PiB"}, {1 << 40, " TiB"}, {1 << 30, " GiB"}, {1 << 20, " MiB"}, {1 << 10, " KiB"}})
}

// availableMemory is the memory the kernel says a new process can use
// without swapping (MemAvailable), or fallbackMemory.
func availableMemory() float64 {
	data, err := os.ReadFile("/proc/meminfo")
	if err != nil {
		return fallbackMemory
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		var kb float64
		if _, err := fmt.Sscanf(sc.Text(), "MemAvailable: %g kB", &kb); err == nil && kb > 0 {
			return kb * 1024
		}
	}
	return fallbackMemory
}
