//go:build long

package main

import (
	"math"
	"testing"

	"github.com/ddbsim/ddbsim"
	"github.com/ddbsim/ddbsim/scenarios"
)

// Both drivers delete as many items by TTL on every built-in scenario
// with TTL, within 5%. The result counts TTL deletions only among a
// stream's records, whose 2% (agreeStreams) would pass a third more or
// fewer of them where client writes make most of the records: they are
// counted here as the records TTL adds, the scenario's stream records
// less those of the same scenario without TTL. A few tens of thousands
// of deletions, drawn one by one by the per-request driver, vary by
// about 1% between seeds; the counts follow the sweeper's rules within
// 1% (model/ttl's Monte Carlo); the rest is the grouping of keys.
func TestDriversAgreeOnTTLDeletions(t *testing.T) {
	for _, entry := range scenarios.List() {
		sc, err := scenarios.Load(entry.Name)
		if err != nil {
			t.Fatal(err)
		}
		hasTTL := false
		for _, tb := range sc.Tables {
			hasTTL = hasTTL || tb.TTL != nil
		}
		if !hasTTL {
			continue
		}
		name := entry.Name
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			agg := ttlRecords(t, name, ddbsim.FidelityAggregate)
			req := ttlRecords(t, name, ddbsim.FidelityRequest)
			if math.Abs(float64(agg-req)) > 0.05*float64(req) {
				t.Errorf("TTL deletions %d aggregate, %d per request", agg, req)
			}
			t.Logf("TTL deletions %d / %d (aggregate / per request)", agg, req)
		})
	}
}

// ttlRecords is the stream records TTL adds to scenario name under
// fidelity.
func ttlRecords(t *testing.T, name string, fidelity ddbsim.Fidelity) int64 {
	t.Helper()
	records := func(keepTTL bool) int64 {
		sc, err := scenarios.Load(name)
		if err != nil {
			t.Fatal(err)
		}
		if !keepTTL {
			for i := range sc.Tables {
				sc.Tables[i].TTL = nil
			}
		}
		s, err := ddbsim.Build(sc, ddbsim.Options{Fidelity: fidelity})
		if err != nil {
			t.Fatalf("--fidelity %s: %v", fidelity, err)
		}
		res, err := s.Run()
		if err != nil {
			t.Fatalf("--fidelity %s: %v", fidelity, err)
		}
		var n int64
		for _, st := range res.Streams {
			n += st.Records
		}
		return n
	}
	return records(true) - records(false)
}
