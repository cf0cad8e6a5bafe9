package main

import (
	"errors"
	"fmt"
	"io"
	"regexp"
	"runtime/debug"
	"strings"

	"github.com/ddbsim/ddbsim"
	"github.com/ddbsim/ddbsim/reports"
	"github.com/spf13/pflag"
)

// Exit codes, a contract with scripts and CI jobs (DESIGN: Contracts).
const (
	exitOK       = 0
	exitFailed   = 1 // thresholds failed
	exitUsage    = 2 // bad arguments or a bad scenario
	exitInternal = 3 // a bug in ddbsim
)

// version is the release of ddbsim.
const version = "0.1.0"

// command is one subcommand, in the manner of the go command's
// base.Command: a usage line, a one-line summary, a long help text, and a
// function that runs it with its own flag set.
type command struct {
	name  string
	usage string // arguments after the name, placeholders in capitals
	short string
	long  string
	flags func(fs *pflag.FlagSet) any // declares flags, returns the options they fill
	run   func(env *env, opts any, args []string) int
}

// env is what a command writes to, and how its simulations are built:
// sim holds --fidelity and --tick (set by applyRunFlags), whether plots
// or the latency log are written (an --out directory: Series) and the
// interrupt flag a signal handler raises; each run adds its seed.
type env struct {
	stdout, stderr io.Writer
	sim            ddbsim.Options
	// estimated is the driver the resource guard estimated the run for;
	// a run --fidelity auto builds with another (the aggregate driver
	// does not model the scenario) is checked again.
	estimated ddbsim.Fidelity
	// maxEvents is the --max-events budget the resource guard applied
	// (0: none), kept for a run that falls back to another driver.
	maxEvents float64
	// label names the run a progress line is for, when a command runs
	// several (compare, learn); "" for a lone run.
	label string
}

// printError writes err on standard error, escaped (reports.SafeMessage),
// with the "ddbsim: " every message carries unless it names its place in
// a file (FILE:LINE: ..., as compilers write).
func (e *env) printError(err error) {
	msg := err.Error()
	if !strings.HasPrefix(msg, "ddbsim: ") && !positioned.MatchString(msg) {
		msg = "ddbsim: " + msg
	}
	fmt.Fprintln(e.stderr, reports.SafeMessage(msg))
}

// positioned matches a message that starts with its place in a file.
var positioned = regexp.MustCompile(`^[^\s:]+:\d+:`)

func (e *env) errorf(format string, args ...any) {
	fmt.Fprint(e.stderr, reports.SafeMessage(fmt.Sprintf("ddbsim: "+format, args...))+"\n")
}

var commands []*command

func init() {
	commands = []*command{runCmd, costCmd, compareCmd, sweepCmd, mergeCmd, diffCmd, importCmd, serveCmd, learnCmd, calcCmd, quizCmd, validateCmd, listCmd, versionCmd, helpCmd}
}

func lookup(name string) *command {
	for _, c := range commands {
		if c.name == name {
			return c
		}
	}
	return nil
}

// run is the whole program: main only passes it the arguments and streams
// and exits with what it returns, so tests drive it directly.
func run(args []string, stdout, stderr io.Writer) (code int) {
	e := &env{stdout: stdout, stderr: stderr}
	defer func() {
		if r := recover(); r != nil {
			e.errorf("internal error: %v\n%s\nplease report this with the scenario that caused it", r, debug.Stack())
			code = exitInternal
		}
	}()
	if len(args) == 0 {
		usage(stderr)
		return exitUsage
	}
	name := args[0]
	if name == "-h" || name == "--help" {
		usage(stdout)
		return exitOK
	}
	if name == "--version" {
		name = "version"
	}
	c := lookup(name)
	if c == nil {
		e.errorf("unknown command %q\nRun 'ddbsim help' for usage.", name)
		return exitUsage
	}
	fs := pflag.NewFlagSet(c.name, pflag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.SortFlags = false
	var opts any
	if c.flags != nil {
		opts = c.flags(fs)
	}
	if err := fs.Parse(args[1:]); err != nil {
		if errors.Is(err, pflag.ErrHelp) {
			commandHelp(stdout, c, fs)
			return exitOK
		}
		e.errorf("%s: %v\nRun 'ddbsim help %s' for usage.", c.name, err, c.name)
		return exitUsage
	}
	return c.run(e, opts, fs.Args())
}

func usage(w io.Writer) {
	fmt.Fprint(w, `ddbsim simulates DynamoDB-style tables under load: throttling, latency and capacity, offline and reproducibly.

Usage:

	ddbsim <command> [arguments]

Commands:

`)
	for _, c := range commands {
		fmt.Fprintf(w, "\t%-9s %s\n", c.name, c.short)
	}
	fmt.Fprint(w, "\nRun 'ddbsim help <command>' for more about a command.\n")
}

func commandHelp(w io.Writer, c *command, fs *pflag.FlagSet) {
	fmt.Fprintf(w, "usage: ddbsim %s %s\n\n%s\n", c.name, c.usage, strings.TrimSpace(c.long))
	if fs != nil && fs.HasFlags() {
		fmt.Fprintf(w, "\nFlags:\n%s", fs.FlagUsages())
	}
}

var helpCmd = &command{
	name:  "help",
	usage: "[COMMAND]",
	short: "show help for ddbsim or one command",
	long:  "Help shows the commands of ddbsim, or the usage and flags of one command.",
	run: func(e *env, _ any, args []string) int {
		if len(args) == 0 {
			usage(e.stdout)
			return exitOK
		}
		if len(args) > 1 {
			e.errorf("help takes at most one command")
			return exitUsage
		}
		c := lookup(args[0])
		if c == nil {
			e.errorf("unknown command %q\nRun 'ddbsim help' for usage.", args[0])
			return exitUsage
		}
		fs := pflag.NewFlagSet(c.name, pflag.ContinueOnError)
		fs.SortFlags = false
		if c.flags != nil {
			c.flags(fs)
		}
		commandHelp(e.stdout, c, fs)
		return exitOK
	},
}

var versionCmd = &command{
	name:  "version",
	usage: "",
	short: "print the version",
	long:  "Version prints ddbsim's version and the versions of the formats it reads and writes.",
	run: func(e *env, _ any, args []string) int {
		if len(args) > 0 {
			e.errorf("version takes no arguments")
			return exitUsage
		}
		fmt.Fprintf(e.stdout, "ddbsim %s (scenario format v1, result schema v1)\n", version)
		return exitOK
	},
}
