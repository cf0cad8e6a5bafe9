package main

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/spf13/pflag"

	"github.com/ddbsim/ddbsim/calc"
	"github.com/ddbsim/ddbsim/cmd/ddbsim/internal/outfiles"
)

// calcOptions are the flags of `ddbsim calc`, read into the inputs of
// package calc.
type calcOptions struct {
	fs   *pflag.FlagSet
	in   calc.Input
	json string // --json: "" for the working, "-" or a file for JSON
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
	{"cost", []string{"rcu", "wcu", "hours", "reads", "writes", "storage", "stream-reads", "region", "table-class", "free-tier", "month", "json"}},
	{"dax", []string{"hits", "misses", "writes", "item-size", "nodes", "node-type", "region", "target-utilization", "no-node-loss", "month", "json"}},
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
	usage: "rcu|wcu|partitions|cost|dax [FLAGS] [--json [FILE|-]]",
	short: "capacity-unit arithmetic with the working shown",
	long:  helpText("calc"),
	flags: func(fs *pflag.FlagSet) any {
		o := &calcOptions{fs: fs}
		fs.StringVar(&o.in.ItemSize, "item-size", "", "item `SIZE` (rcu, wcu, dax): 6KB, or one size per item: 6KB,missing,2KB")
		fs.StringVar(&o.in.Rate, "rate", "", "requests per second `RATE` (rcu, wcu): 10/s, 600/min (default 1/s)")
		fs.StringVar(&o.in.Consistency, "consistency", "", "read consistency `C` (rcu): eventual (the default), strong or transactional")
		fs.BoolVar(&o.in.Transactional, "transactional", false, "transactional reads or writes: twice the units (rcu, wcu)")
		fs.StringVar(&o.in.Op, "op", "", "operation `OP` (rcu: get, query, scan or batch_get; wcu: put, update, delete or batch_write)")
		fs.StringVar(&o.in.Items, "items", "", "`N` items of --item-size per request (query, scan, batch_get, batch_write)")
		fs.StringVar(&o.in.OldSize, "old-size", "", "`SIZE` of the item a put or update replaces (wcu)")
		fs.StringVar(&o.in.RCU, "rcu", "", "provisioned read capacity `N` (partitions, cost)")
		fs.StringVar(&o.in.WCU, "wcu", "", "provisioned write capacity `N` (partitions, cost)")
		fs.StringVar(&o.in.Size, "size", "", "table `SIZE` (partitions): 50GB")
		fs.StringVar(&o.in.Hours, "hours", "", "`H` hours billed (cost; default 730, a month)")
		fs.StringVar(&o.in.Reads, "reads", "", "on-demand read request units (cost): `N` over the hours (10M) or a rate (100/s)")
		fs.StringVar(&o.in.Writes, "writes", "", "on-demand write request units `N` or a rate (cost); writes per second (dax)")
		fs.StringVar(&o.in.Storage, "storage", "", "stored `SIZE` (cost): 50GB")
		fs.StringVar(&o.in.Region, "region", "us-east-1", "price file `REGION` (cost, dax)")
		fs.StringVar(&o.in.Class, "table-class", "standard", "table `CLASS` (cost): standard or standard-ia")
		fs.BoolVar(&o.in.FreeTier, "free-tier", false, "take the account's free tier off (cost): 25 RCU, 25 WCU, 25 GB")
		fs.StringVar(&o.in.Hits, "hits", "", "cache hits per second (dax): `RATE`")
		fs.StringVar(&o.in.Misses, "misses", "", "cache misses per second (dax): `RATE`")
		fs.IntVar(&o.in.Nodes, "nodes", 3, "DAX cluster nodes `N` (dax)")
		fs.StringVar(&o.in.NodeType, "node-type", "dax.r5.large", "DAX node `TYPE` (dax)")
		fs.StringVar(&o.in.TargetUtilization, "target-utilization", "70%", "DAX cluster utilisation target `SHARE` (dax), the sizing guide's 70%")
		fs.BoolVar(&o.in.NoNodeLoss, "no-node-loss", false, "size without headroom for losing a node (dax)")
		fs.StringVar(&o.in.Month, "month", "730h", "month convention `M` (cost, dax): 730h (365 days / 12) or 30d (the AWS pricing examples')")
		fs.StringVar(&o.in.StreamReads, "stream-reads", "", "stream read request units `N` over the hours (cost), after 2.5M free a month")
		fs.StringVar(&o.json, "json", "", "write only JSON, to `FILE` or '-' (standard output, also what --json alone means)")
		fs.Lookup("json").NoOptDefVal = "-"
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
	if len(args) == 2 && o.fs.Changed("json") && o.json == "-" {
		// --json FILE|-, as the simulating commands take it: the flag may
		// stand alone, so its value arrives as an argument.
		o.json, args = args[1], args[:1]
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
	res, steps, err := o.in.Calculate(sub)
	if err != nil {
		e.errorf("calc %s: %v", sub, err)
		if _, bad := err.(*calc.InputError); bad {
			return exitUsage
		}
		return exitInternal
	}
	if o.json != "" {
		out, err := json.MarshalIndent(res, "", "  ")
		if err != nil {
			e.errorf("calc %s: %v", sub, err)
			return exitInternal
		}
		if o.json == "-" {
			fmt.Fprintf(e.stdout, "%s\n", out)
		} else if err := outfiles.WriteFile(o.json, append(out, '\n')); err != nil {
			e.errorf("calc %s: %v", sub, err)
			return exitUsage
		}
		return exitOK
	}
	for _, s := range steps {
		fmt.Fprintln(e.stdout, s)
	}
	return exitOK
}
