package main

import (
	"errors"
	"fmt"
	"strings"

	"github.com/ddbsim/ddbsim/scenarios"
)

// loadScenario returns what `run` simulates: the named scenario, or, with
// --ycsb, a YCSB workload on a table of its own.
func loadScenario(o *runOptions, name string, named bool) (*scenarios.Scenario, error) {
	if o.ycsb == "" {
		if len(o.ycsbProp) > 0 {
			return nil, errors.New("ddbsim: --ycsb-property needs --ycsb")
		}
		return scenarios.Load(name)
	}
	if named {
		return nil, errors.New("ddbsim: --ycsb runs a YCSB file on its own table; to run one in a scenario, give the workload ycsb: FILE")
	}
	props := map[string]string{}
	for _, kv := range o.ycsbProp {
		k, v, ok := strings.Cut(kv, "=")
		if !ok || k == "" {
			return nil, fmt.Errorf("ddbsim: --ycsb-property %q: expected KEY=VALUE", kv)
		}
		props[k] = v
	}
	// --duration, if given, replaces the duration afterwards.
	return scenarios.YCSBScenario(o.ycsb, props, 0)
}
