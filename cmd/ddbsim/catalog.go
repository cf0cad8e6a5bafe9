package main

import (
	"fmt"
	"text/tabwriter"

	"github.com/ddbsim/ddbsim/scenarios"

	"github.com/ddbsim/ddbsim/cmd/ddbsim/internal/inputs"
)

var listCmd = &command{
	name:  "list",
	usage: "",
	short: "list the built-in scenarios",
	long:  helpText("list"),
	run: func(e *env, _ any, args []string) int {
		if len(args) > 0 {
			e.errorf("list takes no arguments")
			return exitUsage
		}
		w := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
		for _, s := range scenarios.List() {
			mark := ""
			if s.Name == scenarios.DefaultName {
				mark = " (default)"
			}
			fmt.Fprintf(w, "%s\t%s%s\n", s.Name, s.Description, mark)
		}
		w.Flush()
		return exitOK
	},
}

var validateCmd = &command{
	name:  "validate",
	usage: "SCENARIO...",
	short: "check scenario files without running them",
	long:  helpText("validate"),
	run: func(e *env, _ any, args []string) int {
		if len(args) == 0 {
			e.errorf("validate needs at least one scenario")
			return exitUsage
		}
		code := exitOK
		for _, name := range args {
			sc, err := inputs.LoadScenario(name)
			if err == nil {
				err = scenarios.Check(sc)
			}
			if err != nil {
				e.printError(err)
				code = exitUsage
				continue
			}
			for _, n := range sc.Notes {
				e.errorf("note: %s", n)
			}
			fmt.Fprintf(e.stdout, "%s: ok\n", sc.File)
		}
		return code
	},
}
