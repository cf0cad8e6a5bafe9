package main

import (
	"github.com/ddbsim/ddbsim/cmd/ddbsim/internal/outfiles"
	"github.com/ddbsim/ddbsim/reports/diff"
	"github.com/spf13/pflag"
)

var diffCmd = &command{name: "diff", usage: "A.json B.json [--json FILE|-] [--html FILE]",
	short: "two results side by side, with the change from A to B",
	long:  helpText("diff"),
	flags: func(fs *pflag.FlagSet) any {
		o := &[2]string{} // --json, --html
		fs.StringVar(&o[0], "json", "", "write the comparison as JSON to `FILE` (- for standard output)")
		fs.StringVar(&o[1], "html", "", "write the comparison as a self-contained page to `FILE`")
		return o
	},
	run: func(e *env, opts any, args []string) int {
		o := opts.(*[2]string)
		if len(args) != 2 {
			e.errorf("diff needs two result files: ddbsim diff A.json B.json")
			return exitUsage
		}
		d, err := diff.Files(args[0], args[1])
		if err == nil && o[0] != "-" {
			_, err = e.stdout.Write(diff.Text(d))
		}
		for i, format := range []string{"json", "html"} {
			if b := diff.Encode(d, format); err == nil && o[i] == "-" {
				_, err = e.stdout.Write(b)
			} else if err == nil && o[i] != "" {
				err = outfiles.WriteFile(o[i], b)
			}
		}
		if err != nil {
			e.errorf("diff: %v", err)
			return exitUsage
		}
		return exitOK
	}}
