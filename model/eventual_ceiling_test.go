package model

import (
	"testing"

	"github.com/ddbsim/ddbsim/model/store"
	"github.com/ddbsim/ddbsim/model/units"
	"github.com/ddbsim/ddbsim/sim"
)

// REFERENCE: partitions — a partition serves 3,000 read units a second
// whatever the consistency (AWS Developer Guide, "Burst and adaptive
// capacity"); AWS Database Blog, "Scaling DynamoDB: How partitions, hot
// keys, and split for heat impact performance (Part 2: Querying)"
// measured 4,500 read units a second (9,000 eventually consistent 4 KB
// reads) on one key, any of three replicas serving an eventually
// consistent read. Params.EventualReadCeiling is that reading: 9,000
// eventually consistent 4 KB reads a second on one key lose about a third
// at the default and none at 4,500, while strong reads are held to 3,000
// a second under either. Both drivers: requests one by one, and counts.
func TestEventualReadCeiling(t *testing.T) {
	cases := []struct {
		name        string
		ceiling     int64
		consistency units.Consistency
		rate        float64 // gets a second on one key
		want        float64 // admitted a second
	}{
		{"documented, eventual", 3000, units.Eventual, 9000, 6000},
		{"blog, eventual", 4500, units.Eventual, 9000, 9000},
		{"documented, strong", 3000, units.Strong, 4500, 3000},
		{"blog, strong", 4500, units.Strong, 4500, 3000},
	}
	const secs = 10
	end := secs * sim.Second
	cfg := TableConfig{Name: "t", Mode: OnDemand, ItemCount: 1, ItemSize: 4 * kb}
	for _, tc := range cases {
		p := params(func(p *Params) { p.EventualReadCeiling = tc.ceiling })

		svc, rec := newTestServiceWith(t, p, cfg)
		key := store.AppendSyntheticKey(nil, 0)
		gets := &load{from: 0, to: end, rate: tc.rate, pick: cycle([][]byte{key}),
			req: Request{Op: units.OpGet, Consistency: tc.consistency}}
		drive(t, svc, end, gets)
		var admitted int
		for sec := int64(2); sec < secs; sec++ { // past the ceiling's first, full bucket
			admitted += gets.perSecond[sec]
		}
		if got := float64(admitted) / (secs - 2); got < 0.99*tc.want || got > 1.01*tc.want {
			t.Errorf("%s, requests: %.0f of %.0f gets a second admitted, want about %.0f (%v)", tc.name, got, tc.rate, tc.want, rec.throttles)
		}
		if tc.want == tc.rate && gets.admitted != gets.sent {
			t.Errorf("%s, requests: %d of %d gets throttled, want none", tc.name, gets.sent-gets.admitted, gets.sent)
		}

		agg, _ := newTestServiceWith(t, p, cfg)
		tb := agg.Tables()[0]
		var counted int64
		for sec := range int64(secs) {
			g := uniformGroup(tb, units.OpGet, units.ReadUnits(4*kb, tc.consistency), keyHashes(1), tc.rate, sim.Second)
			g.Consistency = tc.consistency
			agg.AdmitCounts(sim.Time(sec)*sim.Second, sim.Time(sec+1)*sim.Second, 0, []*CountGroup{g})
			if sec >= 2 {
				counted += sum(g.Admitted)
			}
		}
		if got := float64(counted) / (secs - 2); got < 0.99*tc.want || got > 1.01*tc.want {
			t.Errorf("%s, counts: %.0f of %.0f gets a second admitted, want about %.0f", tc.name, got, tc.rate, tc.want)
		}
	}
}
