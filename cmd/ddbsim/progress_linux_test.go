package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
	"unsafe"

	"github.com/ddbsim/ddbsim/scenarios"
)

// openPTY opens a pseudo-terminal pair with the kernel's /dev/ptmx: the
// master end to read what a program writes, and the slave end to give it
// as its standard output and error, where it is a terminal.
func openPTY(t *testing.T) (master, slave *os.File) {
	t.Helper()
	master, err := os.OpenFile("/dev/ptmx", os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Skipf("no pseudo-terminal: %v", err)
	}
	var unlock int32
	if _, _, errno := syscall.Syscall(syscall.SYS_IOCTL, master.Fd(), syscall.TIOCSPTLCK, uintptr(unsafe.Pointer(&unlock))); errno != 0 {
		t.Fatalf("TIOCSPTLCK: %v", errno)
	}
	var n uint32
	if _, _, errno := syscall.Syscall(syscall.SYS_IOCTL, master.Fd(), syscall.TIOCGPTN, uintptr(unsafe.Pointer(&n))); errno != 0 {
		t.Fatalf("TIOCGPTN: %v", errno)
	}
	slave, err = os.OpenFile(fmt.Sprintf("/dev/pts/%d", n), os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Fatal(err)
	}
	return master, slave
}

// terminalOutput collects what is written on a pseudo-terminal.
type terminalOutput struct {
	mu  sync.Mutex
	buf strings.Builder
}

func (o *terminalOutput) String() string {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.buf.String()
}

// startOnTerminal starts bin with args, its standard output and error a
// pseudo-terminal, and returns what it writes there as it comes. The
// process is killed when the test ends.
func startOnTerminal(t *testing.T, bin string, args ...string) (*exec.Cmd, *terminalOutput) {
	t.Helper()
	master, slave := openPTY(t)
	cmd := exec.Command(bin, args...)
	cmd.Stdout, cmd.Stderr = slave, slave
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	slave.Close() // the child holds it
	out := &terminalOutput{}
	go func() {
		b := make([]byte, 4096)
		for {
			n, err := master.Read(b)
			out.mu.Lock()
			out.buf.Write(b[:n])
			out.mu.Unlock()
			if err != nil {
				return
			}
		}
	}()
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
		master.Close()
	})
	return cmd, out
}

// waitFor waits until out holds every one of want, or fails the test
// after a minute.
func waitFor(t *testing.T, out *terminalOutput, want ...string) {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for {
		s := out.String()
		missing := ""
		for _, w := range want {
			if !strings.Contains(s, w) {
				missing = w
				break
			}
		}
		if missing == "" {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("no %q on the terminal in a minute; it shows:\n%q", missing, s)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// A long command shows its progress on a terminal: the estimate at once,
// the hint to use the aggregate driver for a run estimated slow under the
// per-request one, and the simulated time as it goes.
func TestProgressOnTerminal(t *testing.T) {
	bin := buildBinary(t)
	t.Run("cost", func(t *testing.T) {
		_, out := startOnTerminal(t, bin, "cost", "--duration", "30d", "--max-events", "100G")
		waitFor(t, out, "requests, about", "--fidelity aggregate", "requests estimated", "simulated ", "real time")
	})
	t.Run("run", func(t *testing.T) {
		_, out := startOnTerminal(t, bin, "run", "--duration", "2d", "--json", os.DevNull)
		waitFor(t, out, "requests estimated", "simulated ")
	})
	t.Run("compare", func(t *testing.T) {
		_, out := startOnTerminal(t, bin, "compare", scenarios.DefaultName, "--duration", "2d", "--modes", "on-demand")
		waitFor(t, out, "compare, simulation 1: starting", "compare, simulation 1: simulated ")
	})
	t.Run("sweep", func(t *testing.T) {
		spec := filepath.Join(t.TempDir(), "s.yaml")
		os.WriteFile(spec, []byte("version: 1\nscenario: web-backend\nduration: 1m\nseeds: 4\nvary:\n  rate_scale: [1, 2]\n"), 0o644)
		_, out := startOnTerminal(t, bin, "sweep", spec)
		waitFor(t, out, "sweep: 1 of 8 runs, about ", "sweep: 8 of 8 runs", "cheapest point meeting the thresholds")
	})
}

// No progress on a pipe, or on a terminal with --quiet: only the result.
func TestNoProgressOffTerminal(t *testing.T) {
	bin := buildBinary(t)
	_, stderr := startUntilCPU(t, 1.5, bin, "cost", "--duration", "30d", "--max-events", "100G")
	cmd, out := startOnTerminal(t, bin, "cost", "--quiet", "--duration", "30d", "--max-events", "100G")
	deadline := time.Now().Add(time.Minute)
	for cpuSeconds(t, cmd.Process.Pid) < 1.5 {
		if time.Now().After(deadline) {
			t.Fatalf("ddbsim cost --quiet used under 1.5 s of CPU in a minute")
		}
		time.Sleep(20 * time.Millisecond)
	}
	for name, got := range map[string]string{"a pipe": stderr.String(), "a terminal with --quiet": out.String()} {
		for _, w := range []string{"simulated ", "estimated", "\r"} {
			if strings.Contains(got, w) {
				t.Errorf("on %s: %q written: %q", name, w, got)
			}
		}
	}
}
