package main

import (
	"fmt"
	"os"
	"os/signal"
	"sync/atomic"
	"syscall"

	"github.com/ddbsim/ddbsim/cmd/ddbsim/internal/outfiles"
)

// exitInterrupted is the status of a run stopped by SIGINT or SIGTERM: 128
// plus SIGINT's number, as shells report a command they interrupted. A run
// stopped by the first signal still writes its result.
const exitInterrupted = 130

// catchInterrupts makes the first SIGINT or SIGTERM raise the returned
// flag, which stops the simulation at the current virtual time (and the
// drawing of plots, which render.Plots checks), so that the command can
// still write a complete result of the time reached (run: marked
// "complete": false) or write nothing (compare, learn), as onFirst tells
// the user; the second exits at once with exitInterrupted, removing the
// temporary files of any output being written, so that nothing
// half-written is left. release undoes it, unless an interrupt came.
//
// The handler goroutine lives in the command, not in the simulation: the
// kernel only polls the flag (sim.Kernel.InterruptOn).
func catchInterrupts(onFirst string) (flag *atomic.Bool, release func()) {
	flag = new(atomic.Bool)
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	done := make(chan struct{})
	go func() {
		for {
			select {
			case <-done:
				return
			case <-sigs:
			}
			if flag.Swap(true) {
				quitAtOnce()
			}
			// A write to the caller's stderr may race the run's own
			// messages only in which comes first; both are whole lines.
			fmt.Fprintln(os.Stderr, "ddbsim: interrupted: "+onFirst+" (interrupt again to quit at once)")
		}
	}()
	return flag, func() {
		if flag.Load() {
			// Interrupted once: the command is on its way out, and a
			// second interrupt before it exits must still end it with
			// exitInterrupted, not by the signal's default action.
			return
		}
		signal.Stop(sigs)
		close(done)
	}
}

// Said on standard error at the first interrupt.
const (
	onInterruptRun     = "stopping at the current simulated time and writing the result so far"
	onInterruptNothing = "stopping; nothing will be written"
)

// interruptedNothingWritten says that an interrupted compare or learn
// stopped without writing its outputs, and is its exit status.
func interruptedNothingWritten(e *env) int {
	e.errorf("interrupted: stopped before writing anything")
	return exitInterrupted
}

// quitAtOnce is what a second interrupt does: remove the temporaries, then
// exit. Removing waits for a swap of output directories under way.
func quitAtOnce() {
	outfiles.RemoveTemporaries()
	os.Exit(exitInterrupted)
}
