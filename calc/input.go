package calc

import (
	"math"
	"strconv"
	"strings"

	"github.com/ddbsim/ddbsim/model/billing"
	"github.com/ddbsim/ddbsim/model/cache"
	"github.com/ddbsim/ddbsim/model/units"
	"github.com/ddbsim/ddbsim/reports"
	"github.com/ddbsim/ddbsim/scenarios"
)

// Input is a calculation's input as written on the command line: sizes,
// rates and counts in the scenario format's units ("6KB", "10/s", "1M"),
// each field the value of the `ddbsim calc` flag its messages name
// (ItemSize is --item-size). Its methods read it, refuse what does not
// make sense with an InputError, and calculate.
type Input struct {
	ItemSize      string // one size, or one per item: 6KB,missing,2KB
	Rate          string // requests per second: 10/s (1/s when "")
	Consistency   string // eventual (the default, as the API's), strong or transactional
	Transactional bool
	Op            string // get, query, scan, batch_get; put, update, delete, batch_write
	Items         string // items of ItemSize per request
	OldSize       string // the item a put or update replaces

	RCU, WCU string // provisioned capacity
	Size     string // table size, for partitions

	Hours         string // hours billed (a month when "")
	Reads, Writes string // on-demand request units over the hours, or a rate; Writes is writes a second for DAX
	Storage       string // bytes stored
	Region, Class string // the price file's region and table class
	FreeTier      bool

	Hits, Misses string // DAX cache hits and misses a second
	Nodes        int    // DAX cluster nodes
	NodeType     string // DAX node type
	// TargetUtilization ("70%", "" for the sizing guide's 70%) and
	// NoNodeLoss set the DAX sizing guide's headroom (cache.Headroom).
	TargetUtilization string
	NoNodeLoss        bool

	// Month is the month convention (cost, dax): "730h" (the default)
	// or "30d", the AWS pricing examples' (billing.MonthConvention).
	Month string
	// StreamReads are a stream's read request units over the hours
	// (cost), after 2.5 million free a month.
	StreamReads string
}

// Calculate runs the calculation named (rcu, wcu, partitions, cost or
// dax) on in, and returns its result (for JSON) and its working.
func (in Input) Calculate(name string) (result any, steps []string, err error) {
	switch name {
	case "rcu":
		r, err := in.ReadCost()
		if err != nil {
			return nil, nil, err
		}
		return r, r.Steps, nil
	case "wcu":
		r, err := in.WriteCost()
		if err != nil {
			return nil, nil, err
		}
		return r, r.Steps, nil
	case "partitions":
		r, err := in.PartitionCount()
		if err != nil {
			return nil, nil, err
		}
		return r, r.Steps, nil
	case "cost":
		r, err := in.Costing()
		if err != nil {
			return nil, nil, err
		}
		return r, r.Steps, nil
	case "dax":
		r, err := in.DAXSizing()
		if err != nil {
			return nil, nil, err
		}
		return r, r.Steps, nil
	}
	return nil, nil, Errorf("unknown calculation %q", name)
}

// sizes reads ItemSize: one size, or one per item (a missing item
// is "missing" or 0B), repeated --items times when one size is given.
func (in Input) sizes(multi bool) ([]int, error) {
	if in.ItemSize == "" {
		return nil, Errorf("--item-size is required: a size such as 6KB (B, KB, MB; KB = 1024 B)")
	}
	var sizes []int
	for _, f := range strings.Split(in.ItemSize, ",") {
		f = strings.TrimSpace(f)
		if f == "missing" {
			sizes = append(sizes, 0)
			continue
		}
		n, err := scenarios.ParseSize(f)
		if err != nil {
			return nil, Errorf("--item-size: %v", err)
		}
		if n > units.MaxItemSize {
			return nil, Errorf("--item-size: %s is over the 400 KB item size limit", Size(int(n)))
		}
		sizes = append(sizes, int(n))
	}
	if !multi && len(sizes) > 1 {
		return nil, Errorf("--item-size: one size for this operation, got %d (a list is for query, scan, batch_get and batch_write)", len(sizes))
	}
	if in.Items != "" {
		if !multi {
			return nil, Errorf("--items is for query, scan, batch_get and batch_write (give --op)")
		}
		n, err := scenarios.ParseCount(in.Items)
		if err != nil {
			return nil, Errorf("--items: %v", err)
		}
		if n > 1_000_000 {
			return nil, Errorf("--items: %d is more than a calculation needs (at most 1,000,000)", n)
		}
		switch {
		case len(sizes) == 1:
			one := sizes[0]
			sizes = make([]int, n)
			for i := range sizes {
				sizes[i] = one
			}
		case int64(len(sizes)) != n:
			return nil, Errorf("--items %d but --item-size lists %d sizes: give one size, or one per item", n, len(sizes))
		}
	}
	return sizes, nil
}

// rate reads Rate, 1/s when it is empty.
func (in Input) rate() (float64, error) {
	if in.Rate == "" {
		return 1, nil
	}
	r, err := scenarios.ParseRate(in.Rate)
	if err != nil {
		return 0, Errorf("--rate: %v", err)
	}
	return r, checkRate("rate", in.Rate, r)
}

// ReadCost is `calc rcu`: Read of the input's operation, sizes,
// consistency and rate.
func (in Input) ReadCost() (*ReadCost, error) {
	c, err := consistencyOf(in.Consistency, in.Transactional)
	if err != nil {
		return nil, err
	}
	op := in.Op
	if op == "" {
		op = "get"
	}
	switch op {
	case "get", "query", "scan", "batch_get":
	default:
		return nil, Errorf("--op %q: expected get, query, scan or batch_get", op)
	}
	sizes, err := in.sizes(op != "get")
	if err != nil {
		return nil, err
	}
	rate, err := in.rate()
	if err != nil {
		return nil, err
	}
	return Read(op, sizes, c, rate)
}

// consistencyOf reads Consistency and Transactional. A read with no
// consistency named is eventually consistent, as GetItem, Query and Scan
// are unless ConsistentRead asks otherwise.
func consistencyOf(s string, transactional bool) (units.Consistency, error) {
	switch {
	case transactional && s != "" && s != "strong" && s != "transactional":
		return 0, Errorf("--transactional and --consistency %s: a transactional read is its own consistency", s)
	case transactional:
		return units.Transactional, nil
	}
	switch s {
	case "strong":
		return units.Strong, nil
	case "eventual", "":
		return units.Eventual, nil
	case "transactional":
		return units.Transactional, nil
	}
	return 0, Errorf("--consistency %q: expected strong, eventual or transactional", s)
}

// WriteCost is `calc wcu`: Write of the input's operation, sizes, old
// size and rate.
func (in Input) WriteCost() (*WriteCost, error) {
	op := in.Op
	if op == "" {
		op = "put"
	}
	switch op {
	case "put", "update", "delete", "batch_write":
	default:
		return nil, Errorf("--op %q: expected put, update, delete or batch_write", op)
	}
	sizes, err := in.sizes(op == "batch_write")
	if err != nil {
		return nil, err
	}
	rate, err := in.rate()
	if err != nil {
		return nil, err
	}
	old := -1
	if in.OldSize != "" {
		if op != "put" && op != "update" {
			return nil, Errorf("--old-size is for --op put or update (the item it replaces)")
		}
		n, err := scenarios.ParseSize(in.OldSize)
		if err != nil {
			return nil, Errorf("--old-size: %v", err)
		}
		if n > units.MaxItemSize {
			return nil, Errorf("--old-size: %s is over the 400 KB item size limit", Size(int(n)))
		}
		old = int(n)
	}
	return Write(op, sizes, old, in.Transactional, rate)
}

// PartitionCount is `calc partitions`: Partitions of the input's
// capacity and size.
func (in Input) PartitionCount() (*PartitionCount, error) {
	if in.RCU == "" && in.WCU == "" && in.Size == "" {
		return nil, Errorf("give --rcu and --wcu (provisioned capacity, such as 5000 and 2000), --size (such as 50GB), or both")
	}
	rcu, err := countOf("rcu", in.RCU)
	if err != nil {
		return nil, err
	}
	wcu, err := countOf("wcu", in.WCU)
	if err != nil {
		return nil, err
	}
	var size int64
	if in.Size != "" {
		if size, err = scenarios.ParseSize(in.Size); err != nil {
			return nil, Errorf("--size: %v", err)
		}
		if err := checkBytes("size", in.Size, size); err != nil {
			return nil, err
		}
	}
	return Partitions(rcu, wcu, size), nil
}

// countOf reads a count given as flag; 0 when it is empty.
func countOf(flag, s string) (int64, error) {
	if s == "" {
		return 0, nil
	}
	n, err := scenarios.ParseCount(s)
	if err != nil {
		return 0, Errorf("--%s: %v", flag, err)
	}
	return n, checkCount(flag, s, n, MaxCapacity)
}

// Costing is `calc cost`: Cost of the input's capacity, request units
// (counts or rates over the hours) and storage.
func (x Input) Costing() (*Costing, error) {
	month, ok := billing.MonthConvention(x.Month)
	if !ok {
		return nil, Errorf("--month %q: expected %s (365 days / 12, the default) or %s (the AWS pricing examples' 30-day month)", x.Month, billing.Month730Hours, billing.Month30Days)
	}
	in := CostInput{Region: x.Region, Class: x.Class, Hours: month, MonthHours: month, FreeTier: x.FreeTier}
	if x.Hours != "" {
		h, err := strconv.ParseFloat(x.Hours, 64)
		if err != nil || h <= 0 || math.IsInf(h, 0) {
			return nil, Errorf("--hours %q: expected a positive number of hours such as 720", x.Hours)
		}
		if h > MaxHours {
			return nil, Errorf("--hours %s: above the %s hours (100 years) a calculation accepts", x.Hours, reports.Commas(MaxHours))
		}
		in.Hours = h
	}
	var err error
	if in.RCU, err = countOf("rcu", x.RCU); err != nil {
		return nil, err
	}
	if in.WCU, err = countOf("wcu", x.WCU); err != nil {
		return nil, err
	}
	requests := func(flag, s string, rate *string) (float64, error) {
		if s == "" {
			return 0, nil
		}
		if strings.Contains(s, "/") {
			r, err := scenarios.ParseRate(s)
			if err != nil {
				return 0, Errorf("--%s: %v", flag, err)
			}
			if err := checkRate(flag, s, r); err != nil {
				return 0, err
			}
			*rate = s
			return r * 3600 * in.Hours, nil
		}
		n, err := scenarios.ParseCount(s)
		if err != nil {
			return 0, Errorf("--%s: %v (or a rate such as 100/s)", flag, err)
		}
		return float64(n), checkCount(flag, s, n, MaxCount)
	}
	if in.Reads, err = requests("reads", x.Reads, &in.ReadRate); err != nil {
		return nil, err
	}
	if in.Writes, err = requests("writes", x.Writes, &in.WriteRate); err != nil {
		return nil, err
	}
	if x.Storage != "" {
		if in.Storage, err = scenarios.ParseSize(x.Storage); err != nil {
			return nil, Errorf("--storage: %v", err)
		}
		if err := checkBytes("storage", x.Storage, in.Storage); err != nil {
			return nil, err
		}
	}
	var streams string
	if in.StreamReads, err = requests("stream-reads", x.StreamReads, &streams); err != nil {
		return nil, err
	}
	in.Provisioned = x.RCU != "" || x.WCU != ""
	in.OnDemand = x.Reads != "" || x.Writes != ""
	if x.RCU == "" && x.WCU == "" && x.Reads == "" && x.Writes == "" && x.Storage == "" && x.StreamReads == "" {
		return nil, Errorf("nothing to price: give --rcu/--wcu (provisioned), --reads/--writes (on-demand request units, 10M or 100/s), --storage (50GB) or --stream-reads (3M)")
	}
	switch in.Class {
	case "standard", "standard-ia":
	default:
		return nil, Errorf("--table-class %q: expected standard or standard-ia", in.Class)
	}
	return Cost(in)
}

// DAXSizing is `calc dax`: DAX of the input's rates, item size and
// cluster.
func (in Input) DAXSizing() (*DAXSizing, error) {
	rate := func(flag, s string) (float64, error) {
		if s == "" {
			return 0, nil
		}
		r, err := scenarios.ParseRate(s)
		if err != nil {
			return 0, Errorf("--%s: %v", flag, err)
		}
		return r, checkRate(flag, s, r)
	}
	hits, err := rate("hits", in.Hits)
	if err != nil {
		return nil, err
	}
	misses, err := rate("misses", in.Misses)
	if err != nil {
		return nil, err
	}
	writes, err := rate("writes", in.Writes)
	if err != nil {
		return nil, err
	}
	if in.Hits == "" && in.Misses == "" && in.Writes == "" {
		return nil, Errorf("give --hits, --misses and --writes: rates such as 50000/s")
	}
	sizes, err := in.sizes(false)
	if err != nil {
		return nil, err
	}
	node, ok := cache.LookupNodeType(in.NodeType)
	if !ok {
		var names []string
		for _, t := range cache.NodeTypes() {
			names = append(names, t.Name)
		}
		return nil, Errorf("--node-type %q: expected one of %s", in.NodeType, strings.Join(names, ", "))
	}
	if in.Nodes < 1 || in.Nodes > cache.MaxNodes {
		return nil, Errorf("--nodes %d: a cluster has 1 to %d nodes (a primary and up to 10 replicas)", in.Nodes, cache.MaxNodes)
	}
	h := cache.GuideHeadroom
	if in.TargetUtilization != "" {
		u, err := scenarios.ParsePercent(in.TargetUtilization)
		if err != nil || u <= 0 || u > 1 {
			return nil, Errorf("--target-utilization %q: expected a share above 0%% and up to 100%%, such as 70%%", in.TargetUtilization)
		}
		h.TargetUtilization = u
	}
	h.NodeLoss = !in.NoNodeLoss
	month, ok := billing.MonthConvention(in.Month)
	if !ok {
		return nil, Errorf("--month %q: expected %s or %s", in.Month, billing.Month730Hours, billing.Month30Days)
	}
	return DAXWith(DAXInput{Hits: hits, Misses: misses, Writes: writes, Size: sizes[0], Node: node, Nodes: in.Nodes,
		Region: in.Region, Headroom: h, MonthHours: month})
}
