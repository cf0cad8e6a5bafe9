package main

import (
	"github.com/ddbsim/ddbsim/scenarios"
	"github.com/ddbsim/ddbsim/threshold"
)

// parseSLOs reads --slo expressions as thresholds.
func parseSLOs(in []string) ([]scenarios.Threshold, error) {
	var out []scenarios.Threshold
	for _, s := range in {
		th, err := threshold.ParseLine(s)
		if err != nil {
			return nil, err
		}
		out = append(out, scenarios.Threshold{Threshold: th})
	}
	return out, nil
}
