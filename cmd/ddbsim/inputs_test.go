package main

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// runCLIWithin is runCLI that fails the test when the command has not
// returned within limit (a FIFO without a writer used to block open(2)
// for ever).
func runCLIWithin(t *testing.T, limit time.Duration, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	type outcome struct {
		code           int
		stdout, stderr string
	}
	done := make(chan outcome, 1)
	go func() {
		c, o, e := runCLI(args...)
		done <- outcome{c, o, e}
	}()
	select {
	case r := <-done:
		return r.code, r.stdout, r.stderr
	case <-time.After(limit):
		t.Fatalf("ddbsim %s: still running after %v", strings.Join(args, " "), limit)
		return 0, "", ""
	}
}

func mkfifo(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "fifo")
	if err := syscall.Mkfifo(path, 0o600); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	return path
}

// Every input a command reads by path, given a FIFO that no process
// writes, is refused at once (exit 2, naming the file), not waited on.
func TestFIFOWithoutWriterRefused(t *testing.T) {
	for _, args := range [][]string{
		{"validate", "FIFO"},
		{"run", "FIFO"},
		{"run", "--ycsb", "FIFO"},
		{"run", "--trace", "FIFO"},
		{"run", "--duration", "1s", "--prices", "FIFO"},
		{"cost", "FIFO"},
		{"compare", "FIFO"},
	} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			t.Parallel()
			fifo := mkfifo(t)
			for i, a := range args {
				if a == "FIFO" {
					args[i] = fifo
				}
			}
			code, stdout, stderr := runCLIWithin(t, 10*time.Second, args...)
			want := fifo + ": a named pipe with no writer"
			if args[1] == "--trace" {
				want = fifo + ": a pipe; a trace is read twice"
			}
			if code != exitUsage || stdout != "" || !strings.Contains(stderr, want) {
				t.Fatalf("exit %d, stdout %q, stderr %q", code, stdout, stderr)
			}
		})
	}
}

// A FIFO with a writer is read as before: the scenario a process writes
// into it, whether the writer opens it before ddbsim or after.
func TestFIFOWithWriterRead(t *testing.T) {
	data, err := os.ReadFile("../../scenarios/library/hot-key.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for _, writerFirst := range []bool{true, false} {
		fifo := mkfifo(t)
		written := make(chan error, 1)
		write := func() {
			f, err := os.OpenFile(fifo, os.O_WRONLY, 0)
			if err == nil {
				_, err = f.Write(data)
				f.Close()
			}
			written <- err
		}
		if writerFirst {
			go write()
			time.Sleep(50 * time.Millisecond) // the writer waits in open(2) for a reader
		} else {
			time.AfterFunc(200*time.Millisecond, write)
		}
		code, stdout, stderr := runCLIWithin(t, 10*time.Second, "validate", fifo)
		if code != exitOK || !strings.Contains(stdout, ": ok") {
			t.Fatalf("writer first %v: exit %d, stdout %q, stderr %q", writerFirst, code, stdout, stderr)
		}
		if err := <-written; err != nil {
			t.Fatal(err)
		}
	}
}
