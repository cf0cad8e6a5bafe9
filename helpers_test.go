package ddbsim

import (
	"github.com/ddbsim/ddbsim/model"
	"github.com/ddbsim/ddbsim/scenarios"
	"github.com/ddbsim/ddbsim/sim"
)

// buildOptions are the driver and step a test builds a simulation with.
type buildOptions struct {
	Fidelity Fidelity // "" is FidelityRequest
	Tick     sim.Time
}

// build makes the simulation of sc under seed for a test that records
// the run itself: rec receives everything, and no collector is made.
func build(sc *scenarios.Scenario, seed uint64, rec model.Recorder) (*Simulation, error) {
	return buildWith(sc, seed, rec, buildOptions{})
}

// buildWith is build with a driver.
func buildWith(sc *scenarios.Scenario, seed uint64, rec model.Recorder, opts buildOptions) (*Simulation, error) {
	driver := opts.Fidelity
	if driver == "" {
		driver = FidelityRequest
	}
	return assemble(sc, seed, rec, driver, opts.Tick)
}
