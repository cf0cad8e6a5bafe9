package scenarios

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/ddbsim/ddbsim/workload/trace"
)

// endlessFIFO makes a named pipe whose writer never stops (until the
// test ends), as a hostile path given for a file read whole.
func endlessFIFO(t *testing.T, line string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "endless")
	if err := syscall.Mkfifo(path, 0o600); err != nil {
		t.Skipf("no FIFOs here: %v", err)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		w, err := os.OpenFile(path, os.O_WRONLY, 0)
		if err != nil {
			return
		}
		defer w.Close()
		chunk := []byte(strings.Repeat(line, 4096))
		for {
			if _, err := w.Write(chunk); err != nil {
				return // the reader closed its end
			}
		}
	}()
	t.Cleanup(func() { <-done })
	return path
}

func wantTooLarge(t *testing.T, err error, file string) {
	t.Helper()
	var e *TooLargeError
	if !errors.As(err, &e) {
		t.Fatalf("got %v, want a file larger than %d MiB refused", err, MaxFileSize>>20)
	}
	if !strings.HasPrefix(err.Error(), file+": larger than 16 MiB; ") {
		t.Errorf("message %q does not start with %q", err, file+": larger than 16 MiB; ")
	}
}

func TestLoadRefusesAnEndlessPipe(t *testing.T) {
	path := endlessFIFO(t, "# a comment, forever\n")
	_, err := Load(path)
	wantTooLarge(t, err, path)
}

func TestLoadRefusesDevZero(t *testing.T) {
	if _, err := os.Stat("/dev/zero"); err != nil {
		t.Skip("no /dev/zero here")
	}
	_, err := Load("/dev/zero")
	wantTooLarge(t, err, "/dev/zero")
}

func TestYCSBRefusesAnEndlessPipe(t *testing.T) {
	path := endlessFIFO(t, "recordcount=1000\n")
	_, err := YCSBScenario(path, nil, 0, OpenFile)
	wantTooLarge(t, err, path)
}

func TestYCSBInAScenarioRefusesDevZero(t *testing.T) {
	if _, err := os.Stat("/dev/zero"); err != nil {
		t.Skip("no /dev/zero here")
	}
	doc := `version: 1
name: z
duration: 1m
tables:
  - {name: usertable, partition_key: key, mode: on-demand}
workloads:
  - {name: y, table: usertable, ycsb: /dev/zero}
`
	_, err := ParseWith("z.yaml", []byte(doc), ParseOptions{Open: OpenFile})
	if err == nil || !strings.Contains(err.Error(), "ycsb: /dev/zero: larger than 16 MiB; ") {
		t.Fatalf("got %v, want /dev/zero refused as larger than 16 MiB", err)
	}
}

func TestReadAllLimitedKeepsAFileAtTheLimit(t *testing.T) {
	data, err := ReadAllLimited(strings.NewReader(strings.Repeat("x", MaxFileSize)), "f", "a file")
	if err != nil || len(data) != MaxFileSize {
		t.Fatalf("a file of exactly %d bytes: %d bytes, %v", MaxFileSize, len(data), err)
	}
}

// TestYCSBThreadsAreUsers keeps the YCSB reader's bound on threadcount
// the bound on a closed loop's users, so that a property file is refused
// at its own line, not at the workload it becomes.
func TestYCSBThreadsAreUsers(t *testing.T) {
	if trace.MaxThreads != maxUsers {
		t.Fatalf("trace.MaxThreads = %d, maxUsers = %d", trace.MaxThreads, maxUsers)
	}
}
