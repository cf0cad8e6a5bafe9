package learn

import (
	"github.com/ddbsim/ddbsim"
	"github.com/ddbsim/ddbsim/reports"
	"github.com/ddbsim/ddbsim/scenarios"
)

// simulate runs sc as ddbsim learn does: every request, no series.
func simulate(sc *scenarios.Scenario, seed uint64) (*reports.Result, error) {
	s, err := ddbsim.Build(sc, ddbsim.Options{Seed: seed})
	if err != nil {
		return nil, err
	}
	return s.Run()
}
