package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"

	"github.com/spf13/pflag"

	"github.com/ddbsim/ddbsim/cmd/ddbsim/internal/flagset"
	"github.com/ddbsim/ddbsim/cmd/ddbsim/internal/outfiles"
	"github.com/ddbsim/ddbsim/cmd/ddbsim/internal/render"
	"github.com/ddbsim/ddbsim/reports"
	"github.com/ddbsim/ddbsim/scenarios"
	"github.com/ddbsim/ddbsim/server"
)

type serveOptions struct {
	*flagset.Shared
	listen    string
	scale     float64
	noLatency bool
}

var serveCmd = &command{
	name:  "serve",
	usage: "[SCENARIO] [--seed N] [--duration D] [--out DIR] [--listen 127.0.0.1:8000] [--time-scale N] [--no-latency]",
	short: "serve the DynamoDB API on the capacity model",
	long:  helpText("serve"),
	flags: func(fs *pflag.FlagSet) any {
		o := &serveOptions{Shared: flagset.Declare(fs, flagset.Seed|flagset.Duration|flagset.Out|flagset.Quiet|flagset.Prices|flagset.FreeTier|flagset.JSON, flagset.Writes{
			JSON: `the session's results when it ends: [{"session": "" or "tables/NAME", "result": {...}}]`,
			Out:  "the session's outputs when it ends, as run --out writes them"})}
		fs.StringVar(&o.listen, "listen", "127.0.0.1:8000", "listen on `ADDR` (host:port)")
		fs.Float64Var(&o.scale, "time-scale", 1, "virtual seconds per wall second `N`")
		fs.BoolVar(&o.noLatency, "no-latency", false, "answer at once, without the model's latency")
		return o
	},
	run: runServe,
}

func runServe(e *env, opts any, args []string) int {
	o := opts.(*serveOptions)
	cfg := server.Config{TimeScale: o.scale, Seed: defaultSeed, NoLatency: o.noLatency, Series: o.Out != ""}
	var err error
	switch {
	case len(args) > 1 || o.scale <= 0:
		err = errors.New("ddbsim: serve takes at most one scenario and a positive --time-scale")
	case len(args) == 1:
		if cfg.Scenario, err = scenarios.Load(args[0]); err == nil && cfg.Scenario.HasSeed {
			cfg.Seed = cfg.Scenario.Seed
		}
	}
	if o.SeedGiven() {
		cfg.Seed = o.Seed
	}
	var priced scenarios.Scenario // the API's tables take --prices and --free-tier, as a scenario's do
	err = errors.Join(err, applyPricing(&priced, o.Shared))
	cfg.Prices = priced.Prices
	if err == nil && cfg.Scenario != nil {
		err = applyPricing(cfg.Scenario, o.Shared)
	}
	if d, derr := scenarios.ParseDuration(o.Duration); err == nil && o.Duration != "" && (derr != nil || d <= 0) {
		err = fmt.Errorf("ddbsim: --duration %s: must be a positive duration", o.Duration)
	} else {
		cfg.Duration = d
	}
	unlock, cerr := outfiles.Check(o.Out, o.JSON) // locks --out until written
	defer unlock()
	var srv *server.Server
	if err = errors.Join(err, cerr); err == nil {
		srv, err = server.New(cfg)
	}
	if err != nil {
		e.printError(err)
		return exitUsage
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	outs, err := srv.ListenAndServe(ctx, o.listen, func(a net.Addr) {
		if o.Quiet {
			return
		}
		fmt.Fprintf(e.stderr, "ddbsim: serving the DynamoDB API on http://%s (time scale %g); Ctrl-C ends the session\n", a, o.scale)
	})
	for i := 0; err == nil && o.Out != "" && i < len(outs); i++ {
		err = writeServed(filepath.Join(o.Out, outs[i].Dir), outs[i].Result)
	}
	if err == nil && o.JSON != "" {
		err = writeServedJSON(e, o.JSON, outs)
	}
	if err != nil {
		e.errorf("%v", err)
		return exitUsage
	}
	return exitOK
}

// writeServed writes a served simulation's outputs into dir as run --out
// does.
func writeServed(dir string, res *reports.Result) error {
	var summary, js bytes.Buffer
	err := errors.Join(reports.WriteSummary(&summary, res), reports.WriteJSON(&js, res), os.MkdirAll(filepath.Dir(dir), 0o755))
	if err != nil {
		return err
	}
	files, err := render.Files(res, summary.Bytes(), js.Bytes(), nil)
	if err != nil {
		return err
	}
	return outfiles.WriteSet(dir, files)
}

// writeServedJSON writes the session's results as one JSON array, the
// scenario's first ("session": ""), then each API table's.
func writeServedJSON(e *env, target string, outs []server.Output) error {
	type session struct {
		Session string          `json:"session"`
		Result  json.RawMessage `json:"result"`
	}
	all := []session{}
	for _, o := range outs {
		var js bytes.Buffer
		if err := reports.WriteJSON(&js, o.Result); err != nil {
			return err
		}
		all = append(all, session{o.Dir, js.Bytes()})
	}
	data, err := json.MarshalIndent(all, "", "  ")
	if err != nil {
		return err
	}
	if data = append(data, '\n'); target == "-" {
		_, err = e.stdout.Write(data)
		return err
	}
	return outfiles.WriteFile(target, data)
}
