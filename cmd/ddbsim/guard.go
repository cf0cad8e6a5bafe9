package main

import (
	"github.com/ddbsim/ddbsim"
	"github.com/ddbsim/ddbsim/scenarios"

	"github.com/ddbsim/ddbsim/cmd/ddbsim/internal/sysmem"
)

// The resource guard: before a simulation is built, its events and memory
// are estimated from the scenario alone, and a run that would take hours
// or exhaust the machine's memory is refused with the estimate and the way
// out, rather than started.

// checkResources refuses sc when its estimate is over the budget:
// --max-events, or half the memory available (ddbsim.Resources.Refusal).
func checkResources(e *env, sc *scenarios.Scenario, maxEvents float64) error {
	est, err := ddbsim.Estimate(sc, e.sim)
	if err != nil {
		return err
	}
	return est.Refusal(sc, maxEvents, availableMemory())
}

// availableMemory is the memory a new process can use without swapping
// (sysmem.Available). It is a variable so that a test can make the
// machine small.
var availableMemory = sysmem.Available
