package main

import (
	"bufio"
	"bytes"
	"fmt"
	"os"

	"github.com/ddbsim/ddbsim"
	"github.com/ddbsim/ddbsim/reports"
	"github.com/ddbsim/ddbsim/scenarios"
)

// The resource guard: before a simulation is built, its events and memory
// are estimated from the scenario alone, and a run that would take hours
// or exhaust the machine's memory is refused with the estimate and the way
// out, rather than started.

// defaultMaxEvents is --max-events by default: two billion events, about
// ten minutes of the per-request driver on one core (two events a
// request, 1.7 million requests a second: ddbsim.Estimate).
const defaultMaxEvents = "2G"

// memoryShare is the share of the machine's available memory a run may
// plan to use: the rest is for the garbage collector's headroom (the heap
// may reach twice the live data) and everything else the machine runs.
const memoryShare = 0.5

// fallbackMemory is assumed when the available memory cannot be read
// (a system without /proc/meminfo).
const fallbackMemory = 8 << 30

// checkResources refuses sc when its estimate is over the budget:
// --max-events, or memoryShare of the memory available. The error says
// what the run would have cost and how to make it fit.
func checkResources(e *env, sc *scenarios.Scenario, maxEvents float64) error {
	est, err := ddbsim.Estimate(sc, e.sim)
	if err != nil {
		return err
	}
	if est.Events > maxEvents {
		what := fmt.Sprintf("~%s requests estimated, ~%s events", reports.AboutCount(est.Requests), reports.AboutCount(est.Events))
		way := "--fidelity aggregate (counts of requests a tick: a month in seconds)"
		if replaysTrace(sc) {
			way = "a slower --speed or no --loop (the aggregate driver does not replay traces)"
		}
		if est.Driver == ddbsim.FidelityAggregate {
			what = fmt.Sprintf("~%s aggregate-driver events estimated (a tick for each workload and table)", reports.AboutCount(est.Events))
			way = "a longer --tick"
		}
		return fmt.Errorf("%s: %s, about %s on one core: over the budget of --max-events %s.\n"+
			"Use %s, a shorter --duration, or a larger --max-events if the run is meant to take that long",
			scenarioName(sc), what, aboutWallTime(est.Seconds), reports.AboutCount(maxEvents), way)
	}
	if avail := availableMemory(); est.Memory > memoryShare*avail {
		return fmt.Errorf("%s: ~%s of memory estimated (%s items at ~%d B, and the time series), more than half of the %s available.\n"+
			"Use fewer items (items: count, or YCSB's recordcount), fewer secondary indexes or replicas, or a machine with more memory",
			scenarioName(sc), reports.AboutBytes(est.Memory), reports.AboutCount(est.Items), ddbsim.BytesPerItem, reports.AboutBytes(avail))
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
	return fmt.Sprintf("%s years", reports.AboutCount(s/(365*86400)))
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
