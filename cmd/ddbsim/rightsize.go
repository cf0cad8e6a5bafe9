package main

import (
	"github.com/ddbsim/ddbsim/scenarios"
)

// parseSLOs reads --slo expressions as thresholds.
func parseSLOs(in []string) ([]scenarios.Threshold, error) {
	var out []scenarios.Threshold
	for _, s := range in {
		th, err := scenarios.ParseThreshold(s)
		if err != nil {
			return nil, err
		}
		out = append(out, th)
	}
	return out, nil
}
