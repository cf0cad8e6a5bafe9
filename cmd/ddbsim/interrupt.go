package main

import (
	"fmt"
	"os"
	"os/signal"
	"sync"
	"sync/atomic"
	"syscall"
)

// exitInterrupted is the status of a run stopped by SIGINT or SIGTERM: 128
// plus SIGINT's number, as shells report a command they interrupted. A run
// stopped by the first signal still writes its result.
const exitInterrupted = 130

// catchInterrupts makes the first SIGINT or SIGTERM raise the returned
// flag, which stops the simulation at the current virtual time so that
// the command can still write a complete result of the time reached
// (marked "complete": false); the second exits at once with
// exitInterrupted, removing the temporary files of any output being
// written, so that nothing half-written is left. release undoes it.
//
// The handler goroutine lives in the command, not in the simulation: the
// kernel only polls the flag (sim.Kernel.InterruptOn).
func catchInterrupts(e *env) (flag *atomic.Bool, release func()) {
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
			fmt.Fprintln(os.Stderr, "ddbsim: interrupted: stopping at the current simulated time and writing the result so far (interrupt again to quit at once)")
		}
	}()
	return flag, func() {
		signal.Stop(sigs)
		close(done)
	}
}

// quitAtOnce is what a second interrupt does: remove the temporaries, then
// exit. Removing waits for a swap of output directories under way.
var quitAtOnce = func() {
	removeTemporaries()
	os.Exit(exitInterrupted)
}

// temporaries are the temporary files and directories being written by
// writeFileAtomic and writeFilesAtomic, a previous output directory being
// replaced, and the lock of an --out directory, for a second interrupt to
// remove before exiting.
var temporaries temporaryRegistry

type temporaryRegistry struct {
	sync.Mutex
	names map[string]bool
}

// createTemporary is os.CreateTemp, with the file registered under the
// same lock that removeTemporaries takes, so that no interrupt falls
// between its creation and its registration.
func createTemporary(dir, pattern string) (*os.File, error) {
	temporaries.Lock()
	defer temporaries.Unlock()
	f, err := os.CreateTemp(dir, pattern)
	if err != nil {
		return nil, err
	}
	temporaries.register(f.Name())
	return f, nil
}

// makeTemporaryDir is os.MkdirTemp, registered as createTemporary's files
// are.
func makeTemporaryDir(dir, pattern string) (string, error) {
	temporaries.Lock()
	defer temporaries.Unlock()
	name, err := os.MkdirTemp(dir, pattern)
	if err != nil {
		return "", err
	}
	temporaries.register(name)
	return name, nil
}

// register adds name to the temporaries; the caller holds their lock.
func (t *temporaryRegistry) register(name string) {
	if t.names == nil {
		t.names = map[string]bool{}
	}
	t.names[name] = true
}

func dropTemporary(name string) {
	temporaries.Lock()
	defer temporaries.Unlock()
	delete(temporaries.names, name)
}

func removeTemporaries() {
	temporaries.Lock()
	defer temporaries.Unlock()
	for name := range temporaries.names {
		os.RemoveAll(name)
	}
}
