package ddbsim_test

import (
	"fmt"
	"time"

	"github.com/ddbsim/ddbsim"
	"github.com/ddbsim/ddbsim/scenarios"
)

// A run from a scenario to its result: load, build with a seed, run.
func Example() {
	sc, err := scenarios.Load("web-backend")
	if err != nil {
		panic(err)
	}
	sc.Duration = time.Minute
	s, err := ddbsim.Build(sc, ddbsim.Options{Seed: 1})
	if err != nil {
		panic(err)
	}
	res, err := s.Run()
	if err != nil {
		panic(err)
	}
	fmt.Printf("%s: %d requests, %d throttled, complete %v\n", res.Scenario, res.Requests.Total, res.Requests.Throttled, res.Complete)
	// Output: web-backend: 17998 requests, 0 throttled, complete true
}

// Estimate sizes a run before anything is built.
func ExampleEstimate() {
	sc, err := scenarios.Load("web-backend")
	if err != nil {
		panic(err)
	}
	est, err := ddbsim.Estimate(sc, ddbsim.Options{Fidelity: ddbsim.FidelityAuto})
	if err != nil {
		panic(err)
	}
	fmt.Printf("%s driver, ~%.0f requests, ~%.0f events\n", est.Driver, est.Requests, est.Events)
	// Output: request driver, ~1260000 requests, ~4036900 events
}
