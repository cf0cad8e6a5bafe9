package ddbsim

import (
	"fmt"

	"github.com/ddbsim/ddbsim/reports"
	"github.com/ddbsim/ddbsim/scenarios"
)

// The resource guard's verdict: a run whose estimate is over its budget is
// refused with the estimate and the ways to make it fit.

// memoryShare is the share of the machine's available memory a run may
// plan to use: the rest is for the garbage collector's headroom (the heap
// may reach twice the live data) and everything else the machine runs.
const memoryShare = 0.5

// Refusal is why a run of sc costing est is refused, or nil when it fits:
// its events and the plots' drawing over maxEvents, or its memory over
// memoryShare of the avail bytes the machine has. The error says what the
// run would have cost and how to make it fit.
func (est Resources) Refusal(sc *scenarios.Scenario, maxEvents, avail float64) error {
	if work := est.Events + est.RenderEvents(); work > maxEvents {
		what := fmt.Sprintf("~%s requests estimated, ~%s events", reports.AboutCount(est.Requests), reports.AboutCount(est.Events))
		if est.Retries > 0 {
			what += fmt.Sprintf(" (up to ~%s of them retries)", reports.AboutCount(est.Retries))
		}
		way := "--fidelity aggregate (counts of requests a tick: a month in seconds)"
		if replaysTrace(sc) {
			way = "a slower --speed or no --loop (the aggregate driver does not replay traces)"
		}
		if est.Driver == FidelityAggregate {
			what = fmt.Sprintf("~%s aggregate-driver events estimated (a tick for each workload and table)", reports.AboutCount(est.Events))
			way = "a longer --tick"
		}
		if est.Retries > 2*est.Requests { // more than a retry quota allows
			way = "a smaller max_attempts (client: retry), " + way
		}
		if render := est.RenderEvents(); render > est.Events/10 {
			what += fmt.Sprintf(", and plots of %s tables to draw for --out (about %s, as much as ~%s events)",
				reports.AboutCount(est.Tables), aboutWallTime(est.RenderSeconds), reports.AboutCount(render))
			if render > est.Events {
				way = "fewer tables (or indexes and replicas), no --out, " + way
			}
		}
		return fmt.Errorf("%s: %s, about %s on one core: over the budget of --max-events %s.\n"+
			"Use %s, a shorter --duration, or a larger --max-events if the run is meant to take that long",
			scenarioName(sc), what, aboutWallTime(est.Seconds), reports.AboutCount(maxEvents), way)
	}
	if est.Memory > memoryShare*avail {
		if est.InFlight*BytesPerRequestInFlight > est.Items*BytesPerItem {
			return fmt.Errorf("%s: ~%s of memory estimated (~%s trace records in flight at once at ~%d B: the trace's busiest second at --speed %gx, up to its max_in_flight), more than half of the %s available.\n"+
				"Use a lower max_in_flight (--max-in-flight; records due beyond it wait), a slower --speed, or a trace whose records are spread over time rather than at one instant",
				scenarioName(sc), reports.AboutBytes(est.Memory), reports.AboutCount(est.InFlight), BytesPerRequestInFlight, traceSpeed(sc), reports.AboutBytes(avail))
		}
		if est.PartitionBytes > est.Items*BytesPerItem {
			return fmt.Errorf("%s: ~%s of memory estimated (~%s partitions at ~%s each with their series, %s items, and the time series), more than half of the %s available.\n"+
				"Use fewer partitions (a table's partitions:, or the capacity or items that set them), fewer tables, indexes or replicas, or a machine with more memory",
				scenarioName(sc), reports.AboutBytes(est.Memory), reports.AboutCount(est.Partitions),
				reports.AboutBytes(est.PartitionBytes/max(est.Partitions, 1)), reports.AboutCount(est.Items), reports.AboutBytes(avail))
		}
		return fmt.Errorf("%s: ~%s of memory estimated (%s items at ~%d B, and the time series), more than half of the %s available.\n"+
			"Use fewer items (items: count, or YCSB's recordcount), fewer secondary indexes or replicas, or a machine with more memory",
			scenarioName(sc), reports.AboutBytes(est.Memory), reports.AboutCount(est.Items), BytesPerItem, reports.AboutBytes(avail))
	}
	return nil
}

// traceSpeed is the speed of sc's first trace replay.
func traceSpeed(sc *scenarios.Scenario) float64 {
	for _, w := range sc.Workloads {
		if w.Trace != nil {
			return w.Trace.Speed
		}
	}
	return 1
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
