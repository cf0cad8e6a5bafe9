package main

import (
	"bytes"
	"encoding/json"

	"github.com/spf13/pflag"

	"github.com/ddbsim/ddbsim/reports"
	"github.com/ddbsim/ddbsim/scenarios"

	"github.com/ddbsim/ddbsim/cmd/ddbsim/internal/flagset"
	"github.com/ddbsim/ddbsim/cmd/ddbsim/internal/inputs"
	"github.com/ddbsim/ddbsim/cmd/ddbsim/internal/outfiles"
)

var costCmd = &command{
	name:  "cost",
	usage: "[SCENARIO] [--seed N] [--duration D] [--json FILE|-] [--out DIR] [--format text|json] [--quiet] [--prices FILE] [--free-tier] [--fidelity request|aggregate|auto]",
	short: "simulate a scenario and print its bill, line by line",
	long:  helpText("cost"),
	flags: func(fs *pflag.FlagSet) any {
		return flagset.Declare(fs, flagset.Simulating, flagset.Writes{JSON: "the bill as JSON", Out: "bill.txt and bill.json"})
	},
	run: func(e *env, opts any, args []string) int {
		o := opts.(*flagset.Shared)
		if err := o.CheckFormat(); err != nil {
			e.errorf("%v", err)
			return exitUsage
		}
		if len(args) > 1 {
			e.errorf("cost takes one scenario, got %d", len(args))
			return exitUsage
		}
		name := scenarios.DefaultName
		if len(args) == 1 {
			name = args[0]
		}
		sc, err := inputs.LoadScenario(name)
		if err != nil {
			e.printError(err)
			return exitUsage
		}
		seed, ok := applyRunFlags(e, sc, o, false)
		if !ok {
			return exitUsage
		}
		unlock, err := outfiles.Check(o.Out, o.JSON)
		if err != nil { // now, not after the run
			e.errorf("%v", err)
			return exitUsage
		}
		defer unlock()
		res, err := simulate(sc, seed, e, o.Quiet)
		if err != nil {
			e.printError(err)
			return exitUsage
		}
		var bill, js bytes.Buffer
		if err := reports.WriteBill(&bill, res); err != nil {
			e.errorf("%v", err)
			return exitInternal
		}
		enc := json.NewEncoder(&js)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		if err := enc.Encode(res.Cost); err != nil {
			e.errorf("%v", err)
			return exitInternal
		}
		return writeOutputs(e, o, map[string][]byte{"bill.txt": bill.Bytes(), "bill.json": js.Bytes()}, js.Bytes(), bill.Bytes())
	},
}

// writeOutputs writes what a command made as its shared flags say: the
// files into --out, the JSON to --json, and the text on standard output
// (the JSON with --format json) unless --quiet or --json - (which gives
// standard output to the JSON).
func writeOutputs(e *env, o *flagset.Shared, files map[string][]byte, js, text []byte) int {
	if o.Out != "" {
		if err := outfiles.WriteSet(o.Out, files); err != nil {
			e.errorf("%v", err)
			return exitUsage
		}
	}
	switch o.JSON {
	case "":
	case "-":
		e.stdout.Write(js)
	default:
		if err := outfiles.WriteFile(o.JSON, js); err != nil {
			e.errorf("%v", err)
			return exitUsage
		}
	}
	if !o.Quiet && !o.Stdout() {
		if o.Format == "json" {
			text = js
		}
		e.stdout.Write(text)
	}
	return exitOK
}
