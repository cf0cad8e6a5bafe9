package calc

import (
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/ddbsim/ddbsim/model/cache"
	"github.com/ddbsim/ddbsim/model/units"
)

// REFERENCE: units — the worked examples and rules, through calc's own
// entry points (which price with the model's functions).
func TestCalcReadUnits(t *testing.T) {
	KB := 1024
	tests := []struct {
		name    string
		op      string
		sizes   []int
		c       units.Consistency
		rate    float64
		perReq  float64 // units per request
		rcu     float64
		first   string // the first step, when pinned
		otherOp string
		other   float64 // what the other way of reading the same items costs
	}{
		{"6 KB strong x 10/s", "get", []int{6 * KB}, units.Strong, 10, 2, 20,
			"6 KB rounds up to 8 KB = 2 units x 10/s = 20 RCU", "", 0},
		{"6 KB eventual x 10/s", "get", []int{6 * KB}, units.Eventual, 10, 1, 10,
			"6 KB rounds up to 8 KB = 2 units / 2 = 1 unit x 10/s = 10 RCU", "", 0},
		{"6 KB transactional x 10/s", "get", []int{6 * KB}, units.Transactional, 10, 4, 40,
			"6 KB rounds up to 8 KB = 2 units x 2 = 4 units x 10/s = 40 RCU", "", 0},
		{"80 KB eventual = 10 units", "get", []int{80 * KB}, units.Eventual, 1, 10, 10,
			"80 KB = 20 units / 2 = 10 units x 1/s = 10 RCU", "", 0},
		{"4 KB strong = 1 unit", "get", []int{4 * KB}, units.Strong, 1, 1, 1, "", "", 0},
		{"4 KB + 1 B rounds up", "get", []int{4*KB + 1}, units.Strong, 1, 2, 2, "", "", 0},
		{"missing item strong costs the minimum", "get", []int{0}, units.Strong, 1, 1, 1,
			"a missing item costs the minimum, 1 unit x 1/s = 1 RCU", "", 0},
		{"missing item eventual", "get", []int{0}, units.Eventual, 1, 0.5, 0.5, "", "", 0},
		{"missing item transactional", "get", []int{0}, units.Transactional, 1, 2, 2, "", "", 0},
		// 10 items of 4.08 KB: 40.8 KB in all.
		{"Query sums then rounds once, strong", "query", slices.Repeat([]int{4178}, 10), units.Strong, 1, 11, 11,
			"Query sums the sizes of the items it reads, then rounds once: 10 items x 4.08 KB = 40.8 KB rounds up to 44 KB = 11 units x 1/s = 11 RCU",
			"batch_get", 20},
		{"Query sums then rounds once, eventual", "query", slices.Repeat([]int{4178}, 10), units.Eventual, 1, 5.5, 5.5, "", "batch_get", 10},
		{"BatchGet rounds each item then sums", "batch_get", slices.Repeat([]int{4178}, 10), units.Strong, 1, 20, 20,
			"BatchGetItem rounds each item, then sums: 10 x (4.08 KB rounds up to 8 KB = 2 units) = 20 units x 1/s = 20 RCU",
			"query", 11},
		{"BatchGet with a missing item", "batch_get", []int{6 * KB, 0, 2 * KB}, units.Strong, 1, 4, 4, "", "query", 2},
		{"Scan charges what it evaluates", "scan", slices.Repeat([]int{KB}, 100), units.Eventual, 2, 12.5, 25, "", "batch_get", 50},
		{"empty Query costs the minimum", "query", nil, units.Strong, 1, 1, 1, "", "", 0},
		// 1,000 items of 2 KB: a 1 MB page (512 items, 256 units) and
		// 488 items (976 KB, 244 units).
		{"Scan over 1 MB pages", "scan", slices.Repeat([]int{2 * KB}, 1000), units.Strong, 1, 500, 500, "", "", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := Read(tt.op, tt.sizes, tt.c, tt.rate)
			if err != nil {
				t.Fatal(err)
			}
			if r.UnitsPerRequest != tt.perReq || r.RCU != tt.rcu {
				t.Errorf("units %v per request, %v RCU; want %v, %v\n%s", r.UnitsPerRequest, r.RCU, tt.perReq, tt.rcu, strings.Join(r.Steps, "\n"))
			}
			if tt.first != "" && r.Steps[0] != tt.first {
				t.Errorf("step\n got %s\nwant %s", r.Steps[0], tt.first)
			}
			if tt.otherOp != "" {
				if r.Other == nil || r.Other.Op != tt.otherOp || r.Other.UnitsPerRequest != tt.other {
					t.Errorf("other = %+v, want %s at %v", r.Other, tt.otherOp, tt.other)
				}
			}
			if want := int64(math.Ceil(tt.rcu)); r.Provision != want {
				t.Errorf("provision %d, want %d", r.Provision, want)
			}
		})
	}
}

func TestCalcWriteUnits(t *testing.T) {
	KB := 1024
	half := 2*KB + KB/2
	tests := []struct {
		name   string
		op     string
		sizes  []int
		old    int
		tx     bool
		rate   float64
		perReq float64
		wcu    float64
		first  string
	}{
		{"2.5 KB x 20/s", "put", []int{half}, -1, false, 20, 3, 60, "2.5 KB rounds up to 3 KB = 3 units x 20/s = 60 WCU"},
		{"2.5 KB transactional", "put", []int{half}, -1, true, 20, 6, 120, "2.5 KB rounds up to 3 KB = 3 units x 2 = 6 units x 20/s = 120 WCU"},
		{"1 KB = 1 unit", "put", []int{KB}, -1, false, 1, 1, 1, ""},
		{"500 B rounds up to 1 unit", "put", []int{500}, -1, false, 1, 1, 1, ""},
		{"put over a larger item", "put", []int{half}, 4 * KB, false, 1, 4, 4, ""},
		{"update to a larger item", "update", []int{5 * KB}, KB, false, 1, 5, 5, ""},
		{"delete charges the deleted item", "delete", []int{half}, -1, false, 1, 3, 3, ""},
		{"delete of a missing item costs 1", "delete", []int{0}, -1, false, 1, 1, 1, ""},
		{"batch write rounds each item", "batch_write", slices.Repeat([]int{half}, 10), -1, false, 1, 30, 30,
			"BatchWriteItem rounds each item: 10 x (2.5 KB rounds up to 3 KB = 3 units) = 30 units x 1/s = 30 WCU"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := Write(tt.op, tt.sizes, tt.old, tt.tx, tt.rate)
			if err != nil {
				t.Fatal(err)
			}
			if r.UnitsPerRequest != tt.perReq || r.WCU != tt.wcu {
				t.Errorf("units %v per request, %v WCU; want %v, %v\n%s", r.UnitsPerRequest, r.WCU, tt.perReq, tt.wcu, strings.Join(r.Steps, "\n"))
			}
			if tt.first != "" && r.Steps[0] != tt.first {
				t.Errorf("step\n got %s\nwant %s", r.Steps[0], tt.first)
			}
		})
	}
}

// REFERENCE: partitions — ceil(RCU/3000 + WCU/1000), at least 1, and
// enough for the size at 10 GB each.
func TestCalcPartitions(t *testing.T) {
	tests := []struct {
		rcu, wcu, gb int64
		byT, byS, n  int
		first        string
	}{
		{1000, 500, 0, 1, 1, 1, "by throughput: ceil(1,000/3,000 + 500/1,000) = ceil(0.83) = 1"},
		{5000, 2000, 0, 4, 1, 4, "by throughput: ceil(5,000/3,000 + 2,000/1,000) = ceil(3.67) = 4"},
		{5000, 2000, 50, 4, 5, 5, ""},
		{3000, 1000, 10, 2, 1, 2, ""},
		{0, 0, 0, 1, 1, 1, ""},
		{1, 1, 25, 1, 3, 3, ""},
	}
	for _, tt := range tests {
		p := Partitions(tt.rcu, tt.wcu, tt.gb<<30)
		if p.ByThroughput != tt.byT || p.BySize != tt.byS || p.Partitions != tt.n {
			t.Errorf("%d RCU %d WCU %d GB: %d by throughput, %d by size, %d; want %d, %d, %d\n%s",
				tt.rcu, tt.wcu, tt.gb, p.ByThroughput, p.BySize, p.Partitions, tt.byT, tt.byS, tt.n, strings.Join(p.Steps, "\n"))
		}
		if tt.first != "" && p.Steps[0] != tt.first {
			t.Errorf("step\n got %s\nwant %s", p.Steps[0], tt.first)
		}
	}
}

// REFERENCE: prices — 100 RCU + 100 WCU provisioned for 720 h = $9.36 +
// $46.80 = $56.16; on-demand $0.125 / $0.625 per million; storage $0.25 a
// GB-month; break-even 28.9%.
func TestCalcCost(t *testing.T) {
	c, err := Cost(CostInput{Region: "us-east-1", Class: "standard", Hours: 720, RCU: 100, WCU: 100, Provisioned: true})
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(c.TotalUSD-56.16) > 1e-9 {
		t.Errorf("total %v, want 56.16", c.TotalUSD)
	}
	lines := c.Bills[0].Lines
	if len(lines) != 2 || math.Abs(lines[0].USD-9.36) > 1e-9 || math.Abs(lines[1].USD-46.80) > 1e-9 {
		t.Errorf("lines %+v, want $9.36 and $46.80", lines)
	}
	if c.BreakEven == nil || math.Abs(c.BreakEven.Reads-0.2889) > 1e-4 || math.Abs(c.BreakEven.Writes-0.2889) > 1e-4 {
		t.Errorf("break-even %+v, want 28.9%%", c.BreakEven)
	}

	od, err := Cost(CostInput{Region: "us-east-1", Class: "standard", Hours: 730, Reads: 10e6, Writes: 2e6,
		Storage: 50 << 30, OnDemand: true})
	if err != nil {
		t.Fatal(err)
	}
	if want := 1.25 + 1.25 + 12.5; math.Abs(od.TotalUSD-want) > 1e-9 || od.Bills[0].Mode != "on-demand" {
		t.Errorf("on-demand %v (%s), want %v", od.TotalUSD, od.Bills[0].Mode, want)
	}

	// Both modes: 10% utilisation favours on-demand, 50% provisioned.
	for _, tt := range []struct {
		util float64
		want string
	}{{0.1, "on-demand"}, {0.5, "provisioned"}} {
		in := CostInput{Region: "us-east-1", Class: "standard", Hours: 730, WCU: 100, Writes: tt.util * 100 * 3600 * 730,
			Provisioned: true, OnDemand: true}
		c, err := Cost(in)
		if err != nil {
			t.Fatal(err)
		}
		if c.Cheaper != tt.want || c.Utilization == nil || math.Abs(c.Utilization.Writes-tt.util) > 1e-9 {
			t.Errorf("at %v: cheaper %s, utilisation %+v; want %s", tt.util, c.Cheaper, c.Utilization, tt.want)
		}
	}

	// The free tier takes 25 RCU and 25 WCU off for every hour.
	ft, err := Cost(CostInput{Region: "us-east-1", Class: "standard", Hours: 720, RCU: 100, WCU: 100, Provisioned: true, FreeTier: true})
	if err != nil {
		t.Fatal(err)
	}
	if want := 56.16 * 0.75; math.Abs(ft.TotalUSD-want) > 1e-9 {
		t.Errorf("with the free tier %v, want %v", ft.TotalUSD, want)
	}
}

// REFERENCE: dax — 50,000 hits + 1,000 misses + 100 writes a second of
// 2 KB items on 3 nodes = 135,000 normalized requests a second, against
// 3 x 75,000 for r5.large.
func TestCalcDAX(t *testing.T) {
	node, _ := cache.LookupNodeType("dax.r5.large")
	d, err := DAX(50_000, 1_000, 100, 2048, node, 3, "us-east-1")
	if err != nil {
		t.Fatal(err)
	}
	if d.NormalizedPerS != 135_000 || d.HitsLoad != 100_000 || d.MissesLoad != 20_000 || d.WritesLoad != 15_000 {
		t.Errorf("load %v (%v + %v + %v), want 135,000 (100,000 + 20,000 + 15,000)", d.NormalizedPerS, d.HitsLoad, d.MissesLoad, d.WritesLoad)
	}
	// The sizing guide's method (S28): x1.5 for a node's loss, 202,500
	// within 225,000, and 3 nodes the smallest cluster (the bare rule's
	// 130,000 on 2 nodes fits 150,000 but keeps no headroom).
	if d.CapacityPerS != 225_000 || !d.Fits || d.MinNodes != 3 || d.TargetPerS != 202_500 || !d.WithinTarget {
		t.Errorf("capacity %d, fits %v, min nodes %d, target %v (within %v); want 225,000, true, 3, 202,500 (true)",
			d.CapacityPerS, d.Fits, d.MinNodes, d.TargetPerS, d.WithinTarget)
	}
	// A partial KB counts as a whole one, as the simulator's DAX counts it.
	d, _ = DAX(1000, 0, 0, 2560, node, 1, "us-east-1")
	if d.ItemKB != 3 || d.NormalizedPerS != 3000 {
		t.Errorf("2.5 KB items: %v KB, load %v; want 3 KB, 3,000", d.ItemKB, d.NormalizedPerS)
	}
	// The working shows the rule's weights even where a rate is 0.
	for _, want := range []string{
		"misses  0/s x 3 KB x 10 = 0",
		"writes  0/s x 3 KB x 25 x 1 node = 0 (a write reaches every node)",
	} {
		if !slices.Contains(d.Steps, want) {
			t.Errorf("no step %q in %q", want, d.Steps)
		}
	}
}

// The DAX sizing guide's example (S28 dax-cluster-sizing.html) under the
// guide's headroom and the bare rule: the guide arrives at 3 dax.r5.large
// nodes, the bare rule (the reading before) at 2.
func TestCalcDAXHeadroom(t *testing.T) {
	for _, tc := range []struct {
		name     string
		in       Input
		minNodes int
		target   float64
	}{
		{"guide", Input{Hits: "50000/s", Misses: "1000/s", Writes: "100/s", ItemSize: "2KB", Nodes: 3, NodeType: "dax.r5.large", Region: "us-east-1"}, 3, 202_500},
		{"bare rule", Input{Hits: "50000/s", Misses: "1000/s", Writes: "100/s", ItemSize: "2KB", Nodes: 2, NodeType: "dax.r5.large", Region: "us-east-1",
			TargetUtilization: "100%", NoNodeLoss: true}, 2, 130_000},
		{"utilisation only", Input{Hits: "50000/s", Misses: "1000/s", Writes: "100/s", ItemSize: "2KB", Nodes: 3, NodeType: "dax.r5.large", Region: "us-east-1",
			NoNodeLoss: true}, 3, 135_000 / 0.7},
		// The 24xlarge is on the pricing page: 1M a node (S28's table).
		{"r5.24xlarge", Input{Hits: "50000/s", Misses: "1000/s", Writes: "100/s", ItemSize: "2KB", Nodes: 3, NodeType: "dax.r5.24xlarge", Region: "us-east-1"}, 2, 202_500},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d, err := tc.in.DAXSizing()
			if err != nil {
				t.Fatal(err)
			}
			if d.MinNodes != tc.minNodes || math.Abs(d.TargetPerS-tc.target) > 1e-6 || d.MonthlyUSD <= 0 {
				t.Errorf("min nodes %d, target %v, $%v a month; want %d, %v, priced", d.MinNodes, d.TargetPerS, d.MonthlyUSD, tc.minNodes, tc.target)
			}
		})
	}
}

// The month convention against the AWS pricing examples, which count a
// month as 30 days (REFERENCE: prices, S37a: 100 RCU + 100 WCU for 720 h
// = $56.16): 27 GB stored for the month, 2 GB above the free 25, is
// $0.50 under 30 days and $0.49 prorated over 730 hours; 2.6M stream
// reads, 100,000 above the free 2.5M, are $0.02 under 30 days and $0.03
// over 730 hours.
func TestCalcMonthConventions(t *testing.T) {
	for _, tc := range []struct {
		name       string
		in         Input
		usd        float64
		monthHours float64
		monthlyUSD float64
	}{
		{"provisioned 30d", Input{RCU: "100", WCU: "100", Month: "30d"}, 56.16, 720, 56.16},
		{"provisioned 730h", Input{RCU: "100", WCU: "100"}, 56.94, 730, 56.94},
		{"provisioned 720 h of a 730h month", Input{RCU: "100", WCU: "100", Hours: "720"}, 56.16, 730, 56.94},
		{"storage 30d", Input{Storage: "27GB", FreeTier: true, Month: "30d"}, 0.50, 720, 0.50},
		{"storage 720 h of a 730h month", Input{Storage: "27GB", FreeTier: true, Hours: "720"}, 0.49, 730, 0.50},
		{"streams 30d", Input{StreamReads: "2.6M", FreeTier: true, Month: "30d"}, 0.02, 720, 0.02},
		{"streams 720 h of a 730h month", Input{StreamReads: "2.6M", FreeTier: true, Hours: "720"}, 0.03, 730, 0.03},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.in.Region, tc.in.Class = "us-east-1", "standard"
			c, err := tc.in.Costing()
			if err != nil {
				t.Fatal(err)
			}
			if got := math.Round(c.TotalUSD*100) / 100; got != tc.usd || c.MonthHours != tc.monthHours || math.Round(c.MonthlyUSD*100)/100 != tc.monthlyUSD {
				t.Errorf("$%v ($%v a month of %v h), want $%v ($%v a month of %v h)", c.TotalUSD, c.MonthlyUSD, c.MonthHours, tc.usd, tc.monthlyUSD, tc.monthHours)
			}
		})
	}
	if _, err := (Input{RCU: "1", Month: "31d", Region: "us-east-1", Class: "standard"}).Costing(); err == nil {
		t.Error("--month 31d accepted")
	}
}
