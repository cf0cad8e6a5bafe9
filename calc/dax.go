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
	NormalizedPerS float64 `json:"normalized_per_s"`
	HitsLoad       float64 `json:"hits_load"`
	MissesLoad     float64 `json:"misses_load"`
	WritesLoad     float64 `json:"writes_load"`
	ItemKB         float64 `json:"item_kb"`
	NodeType       string  `json:"node_type"`
	Nodes          int     `json:"nodes"`
	NodeCapacity   int64   `json:"node_capacity_per_s"`
	CapacityPerS   int64   `json:"capacity_per_s"`
	Utilization    float64 `json:"utilization"`
	Fits           bool    `json:"fits"`
	// HeadroomFactor and TargetPerS are the sizing guide's margin on this
	// cluster (cache.Headroom.Factor) and the load it must then serve;
	// WithinTarget says the cluster serves that target.
	TargetUtilization float64 `json:"target_utilization"`
	NodeLoss          bool    `json:"node_loss"`
	HeadroomFactor    float64 `json:"headroom_factor"`
	TargetPerS        float64 `json:"target_per_s"`
	WithinTarget      bool    `json:"within_target"`
	// MinNodes is the smallest cluster of the type the sizing guide's
	// method picks (its target within its capacity); 0: none does.
	MinNodes   int      `json:"min_nodes"`
	HitRate    float64  `json:"hit_rate"`
	MonthHours float64  `json:"month_hours"`
	MonthlyUSD float64  `json:"monthly_usd,omitempty"`
	Steps      []string `json:"steps"`
}

// DAXInput is what `calc dax` sizes: rates a second, the item size in
// bytes, the cluster, the price file's region, the sizing guide's
// headroom and the month convention's hours.
type DAXInput struct {
	Hits, Misses, Writes float64
	Size                 int
	Node                 cache.NodeType
	Nodes                int
	Region               string
	Headroom             cache.Headroom
	MonthHours           float64
}

// DAX sizes a DAX cluster with the sizing guide's headroom
// (cache.GuideHeadroom) over a 730-hour month.
func DAX(hits, misses, writes float64, size int, node cache.NodeType, nodes int, region string) (*DAXSizing, error) {
	return DAXWith(DAXInput{Hits: hits, Misses: misses, Writes: writes, Size: size, Node: node, Nodes: nodes,
		Region: region, Headroom: cache.GuideHeadroom, MonthHours: billing.HoursPerMonth})
}

// DAXWith sizes a DAX cluster with cache.NormalizedLoad and the sizing
// guide's method (REFERENCE: dax, sizing; S28 dax-cluster-sizing.html):
// the normalized load times the greater of the utilisation target's and
// the node-loss factor is the target the cluster must serve. Items are
// counted in whole KB, rounded up, as the simulator's DAX charges them.
func DAXWith(in DAXInput) (*DAXSizing, error) {
	hits, misses, writes, size, node, nodes, region := in.Hits, in.Misses, in.Writes, in.Size, in.Node, in.Nodes, in.Region
	if in.MonthHours <= 0 {
		in.MonthHours = billing.HoursPerMonth
	}
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
	d.Steps = append(d.Steps,
		fmt.Sprintf("hits    %s/s x %s KB x %d = %s", Num(hits), Num(kb), cache.HitWeight, Num(d.HitsLoad)),
		fmt.Sprintf("misses  %s/s x %s KB x %d = %s", Num(misses), Num(kb), cache.MissWeight, Num(d.MissesLoad)),
		fmt.Sprintf("writes  %s/s x %s KB x %d x %d node%s = %s (a write reaches every node)", Num(writes), Num(kb),
			cache.WriteWeight, nodes, Plural(nodes), Num(d.WritesLoad)),
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
	h := in.Headroom
	d.TargetUtilization, d.NodeLoss = h.TargetUtilization, h.NodeLoss
	d.HeadroomFactor = h.Factor(nodes)
	d.Steps = append(d.Steps, headroomStep(h, nodes))
	if !math.IsInf(d.HeadroomFactor, 1) {
		d.TargetPerS = d.NormalizedPerS * d.HeadroomFactor
		d.WithinTarget = d.TargetPerS <= float64(d.CapacityPerS)
		within := "within its capacity"
		if !d.WithinTarget {
			within = "above its capacity: more nodes or a larger node type"
		}
		d.Steps = append(d.Steps, fmt.Sprintf("target = %s x %s = %s req/s against %s: %s",
			Num(d.NormalizedPerS), Num(round2(d.HeadroomFactor)), Num(d.TargetPerS), Num(float64(d.CapacityPerS)), within))
	}
	if n, target := cache.SmallestCluster(hits, misses, writes, kb, node, h); n > 0 {
		d.MinNodes = n
		d.Steps = append(d.Steps, fmt.Sprintf("smallest %s cluster with that headroom: %d node%s (target %s against %s)",
			node.Name, n, Plural(n), Num(target), Num(float64(node.Capacity*int64(n)))))
	} else {
		d.Steps = append(d.Steps, fmt.Sprintf("no %s cluster of up to %d nodes serves it with that headroom: a larger node type, or fewer writes through DAX", node.Name, cache.MaxNodes))
	}
	d.MonthHours = in.MonthHours
	if price, err := scenarios.DAXNodeHour(region, node.Name, scenarios.Prices{}); err == nil {
		d.MonthlyUSD = price * float64(nodes) * in.MonthHours
		d.Steps = append(d.Steps, fmt.Sprintf("price: %d node%s x %s x %s h = %s a month (%s)", nodes, Plural(nodes), priceText(price),
			Num(in.MonthHours), reports.USD(d.MonthlyUSD), billing.MonthName(in.MonthHours)))
	}
	return d, nil
}

// headroomStep shows the sizing guide's two factors and the one taken.
func headroomStep(h cache.Headroom, nodes int) string {
	util := fmt.Sprintf("1/%s = %s (utilisation target)", reports.Percent(h.TargetUtilization, 0), Num(round2(1/h.TargetUtilization)))
	if !h.NodeLoss {
		return "headroom: " + util + "; a node's loss not allowed for"
	}
	if nodes <= 1 {
		return "headroom: " + util + "; a single node cannot lose one and keep serving (the guide recommends at least 3 nodes)"
	}
	loss := fmt.Sprintf("%d/%d = %s (a node lost)", nodes, nodes-1, Num(round2(float64(nodes)/float64(nodes-1))))
	return fmt.Sprintf("headroom: the greater of %s and %s: x%s", util, loss, Num(round2(h.Factor(nodes))))
}

// round2 rounds a factor to two decimals, as the sizing guide writes it.
func round2(x float64) float64 { return math.Round(x*100) / 100 }
