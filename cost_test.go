package ddbsim

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/ddbsim/ddbsim/model/billing"
	"github.com/ddbsim/ddbsim/scenarios"
)

// billOf runs sc and prices its tables' meters as the reports do.
func billOf(t *testing.T, sc *scenarios.Scenario) []billing.Charge {
	t.Helper()
	var rec tally // the meters live in the model; the recorder keeps nothing billing needs
	s, err := build(sc, 1, &rec)
	if err != nil {
		t.Fatal(err)
	}
	s.run()
	var meters []billing.Meter
	for _, tb := range s.Service.Tables() {
		meters = append(meters, tb.Meter())
	}
	return billing.Itemize(meters, s.PriceBooks, sc.Duration.Hours(), s.FreeTier)
}

func sum(lines []billing.Charge) float64 {
	total := 0.0
	for _, l := range lines {
		total += l.USD
	}
	return total
}

// randomTable is one table and its workload, in scenario syntax, drawn at
// random: a capacity mode, capacity, traffic and item size.
func randomTable(r *rand.Rand, name string) (table, workload string) {
	size := 1 + r.IntN(8)
	rate := 1 + r.IntN(300)
	switch r.IntN(3) {
	case 0:
		table = fmt.Sprintf("{name: %s, partition_key: id, mode: on-demand, items: {count: 1k, size: %dKB}}", name, size)
	case 1:
		table = fmt.Sprintf("{name: %s, partition_key: id, mode: provisioned, read_capacity: %d, write_capacity: %d, items: {count: 1k, size: %dKB}}",
			name, 1+r.IntN(500), 1+r.IntN(200), size)
	default:
		table = fmt.Sprintf("{name: %s, partition_key: id, mode: provisioned, read_capacity: %d, write_capacity: %d, items: {count: 1k, size: %dKB}, reserved: {read_capacity: 100}, autoscaling: {min: 5, max: 800}}",
			name, 100+r.IntN(400), 1+r.IntN(200), size)
	}
	workload = fmt.Sprintf("{name: w%s, table: %s, rate: %d/s, mix: {get: 60%%, put: 30%%, delete: 10%%}, item_size: %dKB}", name, name, rate, size)
	return table, workload
}

// Property (issue 6): over random scenarios, every line of the bill is
// non-negative and the lines sum to the total, and costs are additive: two
// tables in one scenario cost what each costs alone (with the free tier
// off, which would otherwise be shared between them).
func TestCostPropertiesOverRandomScenarios(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 11))
	doc := func(tables, workloads []string) *scenarios.Scenario {
		src := "version: 1\nname: random\nduration: 3m\ntables:\n"
		for _, tb := range tables {
			src += "  - " + tb + "\n"
		}
		src += "workloads:\n"
		for _, w := range workloads {
			src += "  - " + w + "\n"
		}
		sc, err := scenarios.Parse("random.yaml", []byte(src))
		if err != nil {
			t.Fatalf("%v\n%s", err, src)
		}
		return sc
	}
	for i := range 6 {
		ta, wa := randomTable(r, "a")
		tb, wb := randomTable(r, "b")
		both := billOf(t, doc([]string{ta, tb}, []string{wa, wb}))
		alone := sum(billOf(t, doc([]string{ta}, []string{wa}))) + sum(billOf(t, doc([]string{tb}, []string{wb})))
		for _, l := range both {
			if l.USD < 0 || l.Quantity < 0 || l.Free < 0 {
				t.Errorf("scenario %d: negative line %+v", i, l)
			}
		}
		if got := sum(both); math.Abs(got-alone) > 1e-9*max(1, alone) {
			t.Errorf("scenario %d: together $%v, apart $%v\n%s\n%s", i, got, alone, ta, tb)
		}
		if sum(both) <= 0 {
			t.Errorf("scenario %d: free of charge: %+v", i, both)
		}
	}
}
