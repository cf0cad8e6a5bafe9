//go:build long

package ddbsim

import (
	"testing"

	"github.com/ddbsim/ddbsim/scenarios"
	"github.com/ddbsim/ddbsim/sim"
)

// TestSteadyStateAllocatesNothingLibrary is TestSteadyStateAllocatesNothing
// over every built-in scenario: each is run as `ddbsim run` runs it
// through the warm-up of librarySteady (by default the first half of the
// run), and the requests of its steady window (the second half) must
// allocate nothing.
func TestSteadyStateAllocatesNothingLibrary(t *testing.T) {
	for _, e := range scenarios.List() {
		t.Run(e.Name, func(t *testing.T) {
			sc, err := scenarios.Builtin(e.Name)
			if err != nil {
				t.Fatal(err)
			}
			w, ok := librarySteady[e.Name]
			if !ok {
				d := sc.Duration
				w = steadyWindow{from: sim.FromDuration(d / 2), to: sim.FromDuration(d)}
			}
			w.name = e.Name
			w.check(t)
		})
	}
}

// librarySteady is the scenarios whose steady window is not the second
// half of the run, and why.
var librarySteady = map[string]steadyWindow{
	// The YCSB scenarios run a fixed number of requests, done within
	// their first 20 to 60 seconds: their seventh to twelfth second.
	"ycsb-a": {from: 6 * sim.Second, to: 12 * sim.Second},
	"ycsb-b": {from: 6 * sim.Second, to: 12 * sim.Second},
	"ycsb-c": {from: 6 * sim.Second, to: 12 * sim.Second},
	"ycsb-d": {from: 6 * sim.Second, to: 12 * sim.Second},
	"ycsb-e": {from: 6 * sim.Second, to: 12 * sim.Second},
	"ycsb-f": {from: 6 * sim.Second, to: 12 * sim.Second},
	// The home region is down from the fifth minute to the end: every
	// write made in the other region meanwhile waits, stranded, for it
	// to return, a backlog growing by a write every few requests (a
	// replication carved from a chunk of 256, the item's stamps in maps
	// growing with the items written).
	"region-outage": {from: 7*sim.Minute + 30*sim.Second, to: 15 * sim.Minute, growth: 0.005,
		why: "a backlog of replications stranded by the outage"},
}
