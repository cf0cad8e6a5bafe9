package main

import "github.com/spf13/pflag"

// calcCmd: exam arithmetic with the working shown (being written).
var calcCmd = &command{
	name:  "calc",
	usage: "rcu|wcu|partitions|cost [FLAGS]",
	short: "capacity-unit arithmetic with the working shown",
	long:  "Calc answers exam arithmetic with the steps.",
	flags: func(fs *pflag.FlagSet) any { return nil },
	run:   func(e *env, _ any, _ []string) int { e.errorf("calc: not built yet"); return exitUsage },
}
