package main

import (
	"strconv"
	"strings"

	"github.com/spf13/pflag"

	"github.com/ddbsim/ddbsim/importer"

	"github.com/ddbsim/ddbsim/cmd/ddbsim/internal/inputs"
	"github.com/ddbsim/ddbsim/cmd/ddbsim/internal/outfiles"
)

type importOptions struct {
	out, strong string
	opts        importer.Options
}

var importCmd = &command{
	name:  "import",
	usage: "FILE... [-o FILE] [--name N] [--table T] [--strong-reads PCT] [--arrival poisson|constant] [--burst R] [--keys uniform|zipf:E]",
	short: "write a scenario from a table's describe-table and CloudWatch history",
	long:  helpText("import"),
	flags: func(fs *pflag.FlagSet) any {
		o := &importOptions{}
		fs.StringVarP(&o.out, "output", "o", "", "write the scenario to `FILE` (default: standard output)")
		fs.StringVar(&o.opts.Name, "name", "", "the scenario's name `N` (default: the first table's)")
		fs.StringVar(&o.opts.Table, "table", "", "the table `T` that series and reports naming none belong to")
		fs.StringVar(&o.strong, "strong-reads", "0%", "the share `PCT` of reads that are strongly consistent")
		fs.StringVar(&o.opts.Arrival, "arrival", "poisson", "arrivals within a step: poisson or constant")
		fs.Float64Var(&o.opts.Burst, "burst", 1, "each step's peak-to-mean ratio `R` (at least 1)")
		fs.StringVar(&o.opts.Keys, "keys", "", "key distribution: uniform or zipf:`E` (default: uniform, or a report's hot keys)")
		return o
	},
	run: func(e *env, opts any, args []string) int {
		o := opts.(*importOptions)
		if len(args) == 0 {
			e.errorf("import needs at least one file: describe-table output and its CloudWatch history")
			return exitUsage
		}
		pct, err := strconv.ParseFloat(strings.TrimSuffix(o.strong, "%"), 64)
		if err != nil {
			e.errorf("import: --strong-reads: expected a percentage such as 20%%, got %q", o.strong)
			return exitUsage
		}
		o.opts.StrongReads = pct / 100
		var files []importer.File
		for _, name := range args {
			data, err := inputs.ReadFile(name, "an AWS or CloudWatch output file")
			if err != nil {
				e.printError(err)
				return exitUsage
			}
			files = append(files, importer.File{Name: name, Data: data})
		}
		imp, err := importer.Import(files, o.opts)
		if err != nil {
			e.printError(err)
			return exitUsage
		}
		for _, n := range imp.Notes {
			e.errorf("note: %s", n)
		}
		if o.out == "" || o.out == "-" {
			_, err = e.stdout.Write(imp.YAML)
		} else {
			err = outfiles.WriteFile(o.out, imp.YAML)
		}
		if err != nil {
			e.errorf("import: %v", err)
			return exitUsage
		}
		return exitOK
	},
}
