package main

import (
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/spf13/pflag"

	"github.com/ddbsim/ddbsim/calc"
	"github.com/ddbsim/ddbsim/model"
	"github.com/ddbsim/ddbsim/scenarios"
)

// calcOptions are the flags of `ddbsim calc`, read into the inputs of
// package calc.
type calcOptions struct {
	fs *pflag.FlagSet

	itemSize, rate, consistency, op, items, oldSize string
	transactional                                   bool

	rcu, wcu, size string

	hours                                 string
	reads, writes, storage, region, class string
	freeTier                              bool
	hits, misses                          string
	nodes                                 int
	nodeType                              string
	asJSON                                bool
}

// calcSubcommands are the calculations and the flags each takes, in the
// order the help lists them.
type calcSub struct {
	name  string
	flags []string
}

var calcSubcommands = []calcSub{
	{"rcu", []string{"item-size", "rate", "consistency", "transactional", "op", "items", "json"}},
	{"wcu", []string{"item-size", "rate", "transactional", "op", "items", "old-size", "json"}},
	{"partitions", []string{"rcu", "wcu", "size", "json"}},
	{"cost", []string{"rcu", "wcu", "hours", "reads", "writes", "storage", "region", "table-class", "free-tier", "json"}},
	{"dax", []string{"hits", "misses", "writes", "item-size", "nodes", "node-type", "region", "json"}},
}

func calcNames() []string {
	var out []string
	for _, s := range calcSubcommands {
		out = append(out, s.name)
	}
	return out
}

var calcCmd = &command{
	name:  "calc",
	usage: "rcu|wcu|partitions|cost|dax [FLAGS] [--json]",
	short: "capacity-unit arithmetic with the working shown",
	long: `Calc does the arithmetic of the DynamoDB exam and shows its working, with
the model's own functions (the ones the simulator charges with) and the
price file's prices:

  calc rcu --item-size 6KB --rate 10/s [--consistency strong|eventual|transactional]
           [--op get|query|scan|batch_get --items N]
      6 KB rounds up to 8 KB = 2 units x 10/s = 20 RCU. A Query or Scan sums
      its items' sizes and rounds once; BatchGetItem rounds each item, then
      sums; the other is shown for comparison. --item-size takes one size or
      a list (6KB,missing,2KB); a missing item costs the minimum.
  calc wcu --item-size 2.5KB --rate 20/s [--transactional]
           [--op put|update|delete|batch_write --items N] [--old-size SIZE]
      2.5 KB rounds up to 3 KB = 3 units x 20/s = 60 WCU.
  calc partitions --rcu 5000 --wcu 2000 [--size 50GB]
      ceil(RCU/3,000 + WCU/1,000) by throughput, ceil(size/10 GB) by size,
      the larger of the two.
  calc cost [--rcu N --wcu N] [--reads N|RATE --writes N|RATE] [--storage SIZE]
            [--hours 730] [--region us-east-1] [--table-class standard|standard-ia]
      provisioned capacity-hours and on-demand request units at the price
      file's prices, line by line, and the break-even utilisation above
      which provisioned costs less. --reads/--writes are request units over
      the hours (10M) or a rate sustained through them (100/s). With both
      modes given, both bills and the cheaper one.
  calc dax --hits 50000/s --misses 1000/s --writes 100/s --item-size 2KB
           --nodes 3 [--node-type dax.r5.large]
      the sizing rule's normalized requests per second against the
      cluster's capacity.

--json prints only JSON: {"rcu", "steps", ...}, {"wcu", ...},
{"partitions", ...}, {"total_usd", "monthly_usd", ...},
{"normalized_per_s", ...}. Exit status 2 for bad input.`,
	flags: func(fs *pflag.FlagSet) any {
		o := &calcOptions{fs: fs}
		fs.StringVar(&o.itemSize, "item-size", "", "item `SIZE` (rcu, wcu, dax): 6KB, or one size per item: 6KB,missing,2KB")
		fs.StringVar(&o.rate, "rate", "", "requests per second `RATE` (rcu, wcu): 10/s, 600/min (default 1/s)")
		fs.StringVar(&o.consistency, "consistency", "strong", "read consistency `C` (rcu): strong, eventual or transactional")
		fs.BoolVar(&o.transactional, "transactional", false, "transactional reads or writes: twice the units (rcu, wcu)")
		fs.StringVar(&o.op, "op", "", "operation `OP` (rcu: get, query, scan or batch_get; wcu: put, update, delete or batch_write)")
		fs.StringVar(&o.items, "items", "", "`N` items of --item-size per request (query, scan, batch_get, batch_write)")
		fs.StringVar(&o.oldSize, "old-size", "", "`SIZE` of the item a put or update replaces (wcu)")
		fs.StringVar(&o.rcu, "rcu", "", "provisioned read capacity `N` (partitions, cost)")
		fs.StringVar(&o.wcu, "wcu", "", "provisioned write capacity `N` (partitions, cost)")
		fs.StringVar(&o.size, "size", "", "table `SIZE` (partitions): 50GB")
		fs.StringVar(&o.hours, "hours", "", "`H` hours billed (cost; default 730, a month)")
		fs.StringVar(&o.reads, "reads", "", "on-demand read request units (cost): `N` over the hours (10M) or a rate (100/s)")
		fs.StringVar(&o.writes, "writes", "", "on-demand write request units `N` or a rate (cost); writes per second (dax)")
		fs.StringVar(&o.storage, "storage", "", "stored `SIZE` (cost): 50GB")
		fs.StringVar(&o.region, "region", "us-east-1", "price file `REGION` (cost, dax)")
		fs.StringVar(&o.class, "table-class", "standard", "table `CLASS` (cost): standard or standard-ia")
		fs.BoolVar(&o.freeTier, "free-tier", false, "take the account's free tier off (cost): 25 RCU, 25 WCU, 25 GB")
		fs.StringVar(&o.hits, "hits", "", "cache hits per second (dax): `RATE`")
		fs.StringVar(&o.misses, "misses", "", "cache misses per second (dax): `RATE`")
		fs.IntVar(&o.nodes, "nodes", 3, "DAX cluster nodes `N` (dax)")
		fs.StringVar(&o.nodeType, "node-type", "dax.r5.large", "DAX node `TYPE` (dax)")
		fs.BoolVar(&o.asJSON, "json", false, "print only JSON")
		return o
	},
	run: runCalc,
}

func runCalc(e *env, opts any, args []string) int {
	o := opts.(*calcOptions)
	if len(args) == 0 {
		e.errorf("calc: which calculation? expected one of %s\nRun 'ddbsim help calc' for usage.", strings.Join(calcNames(), ", "))
		return exitUsage
	}
	if len(args) > 1 {
		e.errorf("calc %s: unexpected argument %q (values go in flags, such as --item-size 6KB)", args[0], args[1])
		return exitUsage
	}
	sub := args[0]
	i := slices.IndexFunc(calcSubcommands, func(s calcSub) bool { return s.name == sub })
	if i < 0 {
		e.errorf("calc: unknown calculation %q (expected one of %s)", sub, strings.Join(calcNames(), ", "))
		return exitUsage
	}
	allowed := calcSubcommands[i].flags
	var stray []string
	o.fs.Visit(func(f *pflag.Flag) {
		if !slices.Contains(allowed, f.Name) {
			stray = append(stray, "--"+f.Name)
		}
	})
	if len(stray) > 0 {
		e.errorf("calc %s: %s does not apply (calc %s takes --%s)", sub, strings.Join(stray, ", "), sub, strings.Join(allowed, ", --"))
		return exitUsage
	}
	var (
		res   any
		steps []string
		err   error
	)
	switch sub {
	case "rcu":
		var r *calc.ReadCost
		r, err = o.read()
		if err == nil {
			res, steps = r, r.Steps
		}
	case "wcu":
		var r *calc.WriteCost
		r, err = o.write()
		if err == nil {
			res, steps = r, r.Steps
		}
	case "partitions":
		var r *calc.PartitionCount
		r, err = o.partitions()
		if err == nil {
			res, steps = r, r.Steps
		}
	case "cost":
		var r *calc.Costing
		r, err = o.cost()
		if err == nil {
			res, steps = r, r.Steps
		}
	case "dax":
		var r *calc.DAXSizing
		r, err = o.dax()
		if err == nil {
			res, steps = r, r.Steps
		}
	}
	if err != nil {
		e.errorf("calc %s: %v", sub, err)
		if _, bad := err.(*calc.InputError); bad {
			return exitUsage
		}
		return exitInternal
	}
	if o.asJSON {
		out, err := json.MarshalIndent(res, "", "  ")
		if err != nil {
			e.errorf("calc %s: %v", sub, err)
			return exitInternal
		}
		fmt.Fprintf(e.stdout, "%s\n", out)
		return exitOK
	}
	for _, s := range steps {
		fmt.Fprintln(e.stdout, s)
	}
	return exitOK
}

// parseSizes reads --item-size: one size, or one per item (a missing item
// is "missing" or 0B), repeated --items times when one size is given.
func (o *calcOptions) parseSizes(multi bool) ([]int, error) {
	if o.itemSize == "" {
		return nil, calc.Errorf("--item-size is required: a size such as 6KB (B, KB, MB; KB = 1024 B)")
	}
	var sizes []int
	for _, f := range strings.Split(o.itemSize, ",") {
		f = strings.TrimSpace(f)
		if f == "missing" {
			sizes = append(sizes, 0)
			continue
		}
		n, err := scenarios.ParseSize(f)
		if err != nil {
			return nil, calc.Errorf("--item-size: %v", err)
		}
		if n > model.MaxItemSize {
			return nil, calc.Errorf("--item-size: %s is over the 400 KB item size limit", calc.Size(int(n)))
		}
		sizes = append(sizes, int(n))
	}
	if !multi && len(sizes) > 1 {
		return nil, calc.Errorf("--item-size: one size for this operation, got %d (a list is for query, scan, batch_get and batch_write)", len(sizes))
	}
	if o.items != "" {
		if !multi {
			return nil, calc.Errorf("--items is for query, scan, batch_get and batch_write (give --op)")
		}
		n, err := scenarios.ParseCount(o.items)
		if err != nil {
			return nil, calc.Errorf("--items: %v", err)
		}
		if n > 1_000_000 {
			return nil, calc.Errorf("--items: %d is more than a calculation needs (at most 1,000,000)", n)
		}
		switch {
		case len(sizes) == 1:
			one := sizes[0]
			sizes = make([]int, n)
			for i := range sizes {
				sizes[i] = one
			}
		case int64(len(sizes)) != n:
			return nil, calc.Errorf("--items %d but --item-size lists %d sizes: give one size, or one per item", n, len(sizes))
		}
	}
	return sizes, nil
}

func (o *calcOptions) parseRate() (float64, error) {
	if o.rate == "" {
		return 1, nil
	}
	r, err := scenarios.ParseRate(o.rate)
	if err != nil {
		return 0, calc.Errorf("--rate: %v", err)
	}
	return r, nil
}

func (o *calcOptions) read() (*calc.ReadCost, error) {
	c, err := calcConsistency(o.consistency, o.transactional)
	if err != nil {
		return nil, err
	}
	op := o.op
	if op == "" {
		op = "get"
	}
	switch op {
	case "get", "query", "scan", "batch_get":
	default:
		return nil, calc.Errorf("--op %q: expected get, query, scan or batch_get", op)
	}
	sizes, err := o.parseSizes(op != "get")
	if err != nil {
		return nil, err
	}
	rate, err := o.parseRate()
	if err != nil {
		return nil, err
	}
	return calc.Read(op, sizes, c, rate)
}

func calcConsistency(s string, transactional bool) (model.Consistency, error) {
	switch {
	case transactional && s != "strong" && s != "transactional":
		return 0, calc.Errorf("--transactional and --consistency %s: a transactional read is its own consistency", s)
	case transactional:
		return model.Transactional, nil
	}
	switch s {
	case "strong":
		return model.Strong, nil
	case "eventual":
		return model.Eventual, nil
	case "transactional":
		return model.Transactional, nil
	}
	return 0, calc.Errorf("--consistency %q: expected strong, eventual or transactional", s)
}

func (o *calcOptions) write() (*calc.WriteCost, error) {
	op := o.op
	if op == "" {
		op = "put"
	}
	switch op {
	case "put", "update", "delete", "batch_write":
	default:
		return nil, calc.Errorf("--op %q: expected put, update, delete or batch_write", op)
	}
	sizes, err := o.parseSizes(op == "batch_write")
	if err != nil {
		return nil, err
	}
	rate, err := o.parseRate()
	if err != nil {
		return nil, err
	}
	old := -1
	if o.oldSize != "" {
		if op != "put" && op != "update" {
			return nil, calc.Errorf("--old-size is for --op put or update (the item it replaces)")
		}
		n, err := scenarios.ParseSize(o.oldSize)
		if err != nil {
			return nil, calc.Errorf("--old-size: %v", err)
		}
		old = int(n)
	}
	return calc.Write(op, sizes, old, o.transactional, rate)
}

func (o *calcOptions) partitions() (*calc.PartitionCount, error) {
	if o.rcu == "" && o.wcu == "" && o.size == "" {
		return nil, calc.Errorf("give --rcu and --wcu (provisioned capacity, such as 5000 and 2000), --size (such as 50GB), or both")
	}
	rcu, err := calcCount("rcu", o.rcu)
	if err != nil {
		return nil, err
	}
	wcu, err := calcCount("wcu", o.wcu)
	if err != nil {
		return nil, err
	}
	var size int64
	if o.size != "" {
		if size, err = scenarios.ParseSize(o.size); err != nil {
			return nil, calc.Errorf("--size: %v", err)
		}
	}
	return calc.Partitions(rcu, wcu, size), nil
}

func calcCount(flag, s string) (int64, error) {
	if s == "" {
		return 0, nil
	}
	n, err := scenarios.ParseCount(s)
	if err != nil {
		return 0, calc.Errorf("--%s: %v", flag, err)
	}
	return n, nil
}

func (o *calcOptions) cost() (*calc.Costing, error) {
	in := calc.CostInput{Region: o.region, Class: o.class, Hours: model.HoursPerMonth, FreeTier: o.freeTier}
	if o.hours != "" {
		h, err := strconv.ParseFloat(o.hours, 64)
		if err != nil || h <= 0 || math.IsInf(h, 0) {
			return nil, calc.Errorf("--hours %q: expected a positive number of hours such as 720", o.hours)
		}
		in.Hours = h
	}
	var err error
	if in.RCU, err = calcCount("rcu", o.rcu); err != nil {
		return nil, err
	}
	if in.WCU, err = calcCount("wcu", o.wcu); err != nil {
		return nil, err
	}
	requests := func(flag, s string, rate *string) (float64, error) {
		if s == "" {
			return 0, nil
		}
		if strings.Contains(s, "/") {
			r, err := scenarios.ParseRate(s)
			if err != nil {
				return 0, calc.Errorf("--%s: %v", flag, err)
			}
			*rate = s
			return r * 3600 * in.Hours, nil
		}
		n, err := scenarios.ParseCount(s)
		if err != nil {
			return 0, calc.Errorf("--%s: %v (or a rate such as 100/s)", flag, err)
		}
		return float64(n), nil
	}
	if in.Reads, err = requests("reads", o.reads, &in.ReadRate); err != nil {
		return nil, err
	}
	if in.Writes, err = requests("writes", o.writes, &in.WriteRate); err != nil {
		return nil, err
	}
	if o.storage != "" {
		if in.Storage, err = scenarios.ParseSize(o.storage); err != nil {
			return nil, calc.Errorf("--storage: %v", err)
		}
	}
	in.Provisioned = o.rcu != "" || o.wcu != ""
	in.OnDemand = o.reads != "" || o.writes != ""
	if o.rcu == "" && o.wcu == "" && o.reads == "" && o.writes == "" && o.storage == "" {
		return nil, calc.Errorf("nothing to price: give --rcu/--wcu (provisioned), --reads/--writes (on-demand request units, 10M or 100/s) or --storage (50GB)")
	}
	switch in.Class {
	case "standard", "standard-ia":
	default:
		return nil, calc.Errorf("--table-class %q: expected standard or standard-ia", in.Class)
	}
	return calc.Cost(in)
}

func (o *calcOptions) dax() (*calc.DAXSizing, error) {
	rate := func(flag, s string) (float64, error) {
		if s == "" {
			return 0, nil
		}
		r, err := scenarios.ParseRate(s)
		if err != nil {
			return 0, calc.Errorf("--%s: %v", flag, err)
		}
		return r, nil
	}
	hits, err := rate("hits", o.hits)
	if err != nil {
		return nil, err
	}
	misses, err := rate("misses", o.misses)
	if err != nil {
		return nil, err
	}
	writes, err := rate("writes", o.writes)
	if err != nil {
		return nil, err
	}
	if o.hits == "" && o.misses == "" && o.writes == "" {
		return nil, calc.Errorf("give --hits, --misses and --writes: rates such as 50000/s")
	}
	sizes, err := o.parseSizes(false)
	if err != nil {
		return nil, err
	}
	node, ok := model.LookupDAXNodeType(o.nodeType)
	if !ok {
		var names []string
		for _, t := range model.DAXNodeTypes() {
			names = append(names, t.Name)
		}
		return nil, calc.Errorf("--node-type %q: expected one of %s", o.nodeType, strings.Join(names, ", "))
	}
	if o.nodes < 1 || o.nodes > model.MaxDAXNodes {
		return nil, calc.Errorf("--nodes %d: a cluster has 1 to %d nodes (a primary and up to 10 replicas)", o.nodes, model.MaxDAXNodes)
	}
	return calc.DAX(hits, misses, writes, sizes[0], node, o.nodes, o.region)
}
