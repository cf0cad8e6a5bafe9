package calc

import (
	"fmt"
	"math"

	"github.com/ddbsim/ddbsim/model/billing"
	"github.com/ddbsim/ddbsim/model/cache"
	"github.com/ddbsim/ddbsim/reports"
	"github.com/ddbsim/ddbsim/scenarios"
)

// DAXSizing is `calc dax`: a cluster's normalized load against its
// capacity, and the smallest cluster of the node type that serves it.
type DAXSizing struct {
	NormalizedPerS float64  `json:"normalized_per_s"`
	HitsLoad       float64  `json:"hits_load"`
	MissesLoad     float64  `json:"misses_load"`
	WritesLoad     float64  `json:"writes_load"`
	ItemKB         float64  `json:"item_kb"`
	NodeType       string   `json:"node_type"`
	Nodes          int      `json:"nodes"`
	NodeCapacity   int64    `json:"node_capacity_per_s"`
	CapacityPerS   int64    `json:"capacity_per_s"`
	Utilization    float64  `json:"utilization"`
	Fits           bool     `json:"fits"`
	MinNodes       int      `json:"min_nodes"` // 0: no cluster of the type serves it
	HitRate        float64  `json:"hit_rate"`
	MonthlyUSD     float64  `json:"monthly_usd,omitempty"`
	Steps          []string `json:"steps"`
}

// DAX sizes a DAX cluster with cache.NormalizedLoad. Items are
// counted in whole KB, rounded up, as the simulator's DAX charges them.
func DAX(hits, misses, writes float64, size int, node cache.NodeType, nodes int, region string) (*DAXSizing, error) {
	kb := math.Max(1, math.Ceil(float64(size)/1024))
	d := &DAXSizing{ItemKB: kb, NodeType: node.Name, Nodes: nodes, NodeCapacity: node.Capacity}
	d.HitsLoad = cache.NormalizedLoad(hits, 0, 0, kb, nodes)
	d.MissesLoad = cache.NormalizedLoad(0, misses, 0, kb, nodes)
	d.WritesLoad = cache.NormalizedLoad(0, 0, writes, kb, nodes)
	d.NormalizedPerS = cache.NormalizedLoad(hits, misses, writes, kb, nodes)
	if hits+misses > 0 {
		d.HitRate = hits / (hits + misses)
	}
	if float64(size) != kb*1024 {
		d.Steps = append(d.Steps, fmt.Sprintf("item size %s counts as %s KB (whole KB, rounded up)", Size(size), Num(kb)))
	}
	weight := func(load, rate float64) string {
		if rate == 0 {
			return "0"
		}
		return Num(load / rate / kb)
	}
	d.Steps = append(d.Steps,
		fmt.Sprintf("hits    %s/s x %s KB x %s = %s", Num(hits), Num(kb), weight(d.HitsLoad, hits), Num(d.HitsLoad)),
		fmt.Sprintf("misses  %s/s x %s KB x %s = %s", Num(misses), Num(kb), weight(d.MissesLoad, misses), Num(d.MissesLoad)),
		fmt.Sprintf("writes  %s/s x %s KB x %s x %d node%s = %s (a write reaches every node)", Num(writes), Num(kb),
			weight(d.WritesLoad/float64(nodes), writes), nodes, Plural(nodes), Num(d.WritesLoad)),
		fmt.Sprintf("normalized load = %s + %s + %s = %s req/s", Num(d.HitsLoad), Num(d.MissesLoad), Num(d.WritesLoad), Num(d.NormalizedPerS)))
	d.CapacityPerS = node.Capacity * int64(nodes)
	d.Utilization = d.NormalizedPerS / float64(d.CapacityPerS)
	d.Fits = d.NormalizedPerS <= float64(d.CapacityPerS)
	verdict := "it fits"
	if !d.Fits {
		verdict = "overloaded: DAX throttles the excess (ThrottlingException)"
	}
	d.Steps = append(d.Steps, fmt.Sprintf("capacity: %d x %s at %s = %s req/s, %s used: %s",
		nodes, node.Name, Num(float64(node.Capacity)), Num(float64(d.CapacityPerS)), reports.Percent(d.Utilization, 1), verdict))
	for n := 1; n <= cache.MaxNodes; n++ {
		if l := cache.NormalizedLoad(hits, misses, writes, kb, n); l <= float64(node.Capacity*int64(n)) {
			d.MinNodes = n
			d.Steps = append(d.Steps, fmt.Sprintf("smallest %s cluster that serves it: %d node%s (%s against %s)",
				node.Name, n, Plural(n), Num(l), Num(float64(node.Capacity*int64(n)))))
			break
		}
	}
	if d.MinNodes == 0 {
		d.Steps = append(d.Steps, fmt.Sprintf("no %s cluster of up to %d nodes serves it: a larger node type, or fewer writes through DAX", node.Name, cache.MaxNodes))
	}
	if price, err := scenarios.DAXNodeHour(region, node.Name, scenarios.Prices{}); err == nil {
		d.MonthlyUSD = price * float64(nodes) * billing.HoursPerMonth
		d.Steps = append(d.Steps, fmt.Sprintf("price: %d node%s x %s x %d h = %s a month", nodes, Plural(nodes), priceText(price), billing.HoursPerMonth, reports.USD(d.MonthlyUSD)))
	}
	return d, nil
}
