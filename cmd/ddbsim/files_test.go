package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/ddbsim/ddbsim/cmd/ddbsim/internal/outfiles"
	"github.com/ddbsim/ddbsim/cmd/ddbsim/internal/render"
)

// A --json path that is a symbolic link is written through the link: the
// link stays a link and its target gets the result.
func TestJSONThroughSymlink(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "target.json")
	link := filepath.Join(dir, "link.json")
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}
	code, _, stderr := runCLI("run", "--duration", "10s", "--quiet", "--json", link)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if fi, err := os.Lstat(link); err != nil || fi.Mode()&fs.ModeSymlink == 0 {
		t.Fatalf("%s is no longer a symbolic link (%v)", link, err)
	}
	if b, err := os.ReadFile(target); err != nil || !json.Valid(b) {
		t.Fatalf("the link's target holds no result: %v", err)
	}
}

// A link into a missing directory is refused before the run.
func TestJSONDanglingSymlinkRefused(t *testing.T) {
	dir := t.TempDir()
	link := filepath.Join(dir, "link.json")
	if err := os.Symlink(filepath.Join(dir, "missing", "x.json"), link); err != nil {
		t.Fatal(err)
	}
	code, _, stderr := runCLI("run", "--duration", "10s", "--quiet", "--json", link)
	if code != exitUsage || !strings.Contains(stderr, "cannot write into") {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if fi, err := os.Lstat(link); err != nil || fi.Mode()&fs.ModeSymlink == 0 {
		t.Fatalf("%s is no longer a symbolic link (%v)", link, err)
	}
}

// A --json path that is a FIFO is written into, not replaced by a regular
// file.
func TestJSONThroughFIFO(t *testing.T) {
	fifo := filepath.Join(t.TempDir(), "result.json")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	read := make(chan []byte)
	go func() {
		f, err := os.Open(fifo) // waits for the writer
		if err != nil {
			read <- nil
			return
		}
		b, _ := io.ReadAll(f)
		f.Close()
		read <- b
	}()
	code, _, stderr := runCLI("run", "--duration", "10s", "--quiet", "--json", fifo)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if b := <-read; !json.Valid(b) {
		t.Fatalf("read %d bytes of no JSON from the FIFO", len(b))
	}
	if fi, err := os.Lstat(fifo); err != nil || fi.Mode()&fs.ModeNamedPipe == 0 {
		t.Fatalf("%s is no longer a FIFO (%v)", fifo, err)
	}
}

// /dev/full is written through, and its ENOSPC is an error, exit 2; the
// device is still a device afterwards.
func TestJSONDevFull(t *testing.T) {
	if fi, err := os.Stat("/dev/full"); err != nil || fi.Mode()&fs.ModeCharDevice == 0 {
		t.Skip("no /dev/full")
	}
	code, stdout, stderr := runCLI("run", "--duration", "10s", "--json", "/dev/full")
	if code != exitUsage || stdout != "" || !strings.Contains(stderr, "write /dev/full: no space left on device") {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	if fi, err := os.Stat("/dev/full"); err != nil || fi.Mode()&fs.ModeCharDevice == 0 {
		t.Fatalf("/dev/full is no longer a device (%v)", err)
	}
	code, _, stderr = runCLI("run", "--duration", "10s", "--quiet", "--json", "/dev/null")
	if code != exitOK {
		t.Fatalf("--json /dev/null: exit %d: %s", code, stderr)
	}
}

// A GSI "orders/by-status" beside a table "orders_by-status" gets its own
// plots, and a 250-character table name runs and writes every output.
func TestOutputNamesDoNotCollide(t *testing.T) {
	dir := t.TempDir()
	long := strings.Repeat("x", 250)
	sc := filepath.Join(dir, "collide.yaml")
	os.WriteFile(sc, []byte(`version: 1
name: collide
duration: 10s
tables:
  - name: orders
    partition_key: id
    mode: on-demand
    indexes:
      - name: by-status
        partition_key: status
  - name: orders_by-status
    partition_key: id
    mode: on-demand
  - name: `+long+`
    partition_key: id
    mode: on-demand
workloads:
  - {name: a, table: orders, rate: 10/s, keys: {count: 100}, mix: {put: 100%}}
  - {name: b, table: orders_by-status, rate: 10/s, keys: {count: 100}, mix: {put: 100%}}
  - {name: c, table: `+long+`, rate: 10/s, keys: {count: 100}, mix: {put: 100%}}
`), 0o644)
	out := filepath.Join(dir, "out")
	code, _, stderr := runCLI("run", sc, "--quiet", "--out", out)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, f := range []string{"capacity-orders.svg", "capacity-orders%2Fby-status.svg", "capacity-orders_by-status.svg"} {
		if _, err := os.Stat(filepath.Join(out, f)); err != nil {
			t.Error(err)
		}
	}
	if _, err := os.Stat(filepath.Join(out, render.PlotFileName("capacity-"+long)+".svg")); err != nil {
		t.Error(err)
	}
}

// outSet is the names in an --out directory, and whether they are exactly
// the ones its manifest lists.
func outSet(t *testing.T, dir string) (names []string, whole bool) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.Name() != outfiles.Manifest {
			names = append(names, e.Name())
		}
	}
	m, err := os.ReadFile(filepath.Join(dir, outfiles.Manifest))
	return names, err == nil && strings.Join(names, "\n")+"\n" == string(m)
}

// besides is what is left next to dir: temporaries, old sets, a lock.
func besides(t *testing.T, dir string) []string {
	t.Helper()
	entries, _ := os.ReadDir(filepath.Dir(dir))
	var left []string
	for _, e := range entries {
		if e.Name() != filepath.Base(dir) {
			left = append(left, e.Name())
		}
	}
	return left
}

// A directory named result.json in --out is refused before the run, and
// the directory is left as it was.
func TestOutWithResultJSONDirectoryRefused(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	if err := os.MkdirAll(filepath.Join(out, "result.json"), 0o755); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := runCLI("run", "--duration", "10s", "--out", out)
	if code != exitUsage || stdout != "" || !strings.Contains(stderr, "holds a directory named result.json") {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	if names, _ := outSet(t, out); !slices.Equal(names, []string{"result.json"}) {
		t.Fatalf("--out now holds %v", names)
	}
	if left := besides(t, out); len(left) != 0 {
		t.Fatalf("left beside --out: %v", left)
	}
}

// A second run into the same --out replaces the first's set whole: no
// plots of tables it lacks; what ddbsim did not write stays.
func TestOutReplacedWhole(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	if code, _, stderr := runCLI("run", "--duration", "10s", "--quiet", "--out", out); code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if code, _, stderr := runCLI("run", "gsi-backpressure", "--duration", "10s", "--quiet", "--out", out); code != exitOK && code != exitFailed {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	names, whole := outSet(t, out)
	if !whole || slices.Contains(names, "capacity-sessions.svg") || !slices.Contains(names, "capacity-orders.svg") {
		t.Fatalf("after the second run --out holds %v (whole %v)", names, whole)
	}
	if left := besides(t, out); len(left) != 0 {
		t.Fatalf("left beside --out: %v", left)
	}
	os.WriteFile(filepath.Join(out, "notes.txt"), []byte("mine"), 0o644)
	os.MkdirAll(filepath.Join(out, "mine", "deeper"), 0o755)
	if code, _, stderr := runCLI("run", "--duration", "10s", "--quiet", "--out", out); code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	names, _ = outSet(t, out)
	if !slices.Contains(names, "notes.txt") || !slices.Contains(names, "mine") || slices.Contains(names, "capacity-orders.svg") {
		t.Fatalf("after a third run --out holds %v", names)
	}
}

// A run into an --out that another run holds is refused, before it runs.
func TestOutLockedRefused(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	unlock, err := outfiles.Check(out, "")
	if err != nil {
		t.Fatal(err)
	}
	code, _, stderr := runCLI("run", "--duration", "10s", "--quiet", "--out", out)
	unlock()
	if code != exitUsage || !strings.Contains(stderr, "another ddbsim run is writing it") {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if _, err := os.Stat(out); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("--out is left after the lock's release and a refused run: %v", err)
	}
}

// Four runs with different seeds into one --out at once: each finishes or
// is refused, and what is left is one run's set whole (its summary and
// its result of the same seed).
func TestConcurrentRunsIntoOneOut(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	var wg sync.WaitGroup
	codes := make([]int, 4)
	errs := make([]string, 4)
	for i := range codes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			codes[i], _, errs[i] = runCLI("run", "--duration", "10s", "--quiet", "--seed", fmt.Sprint(i+1), "--out", out)
		}()
	}
	wg.Wait()
	ok := 0
	for i, c := range codes {
		switch {
		case c == exitOK:
			ok++
		case c == exitUsage && strings.Contains(errs[i], "another ddbsim run is writing it"):
		default:
			t.Errorf("run %d: exit %d: %s", i, c, errs[i])
		}
	}
	if ok == 0 {
		t.Fatal("no run finished")
	}
	names, whole := outSet(t, out)
	if !whole {
		t.Fatalf("--out is not one set: %v", names)
	}
	var res struct{ Seed uint64 }
	b, _ := os.ReadFile(filepath.Join(out, "result.json"))
	s, _ := os.ReadFile(filepath.Join(out, "summary.txt"))
	if err := json.Unmarshal(b, &res); err != nil || !strings.Contains(string(s), fmt.Sprintf("seed %d ", res.Seed)) {
		t.Fatalf("result.json of seed %d beside a summary of another: %v", res.Seed, err)
	}
	if left := besides(t, out); len(left) != 0 {
		t.Fatalf("left beside --out: %v", left)
	}
}

// A second interrupt between the two renames of the swap (old set away,
// new set in) waits for the swap: what it leaves in --out is a whole set,
// and beside it nothing.
func TestInterruptBetweenRenames(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	if code, _, stderr := runCLI("run", "--duration", "10s", "--quiet", "--out", out); code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	type snapshot struct {
		names  []string
		whole  bool
		beside []string
	}
	quit := make(chan snapshot, 1)
	outfiles.BetweenRenames = func() {
		outfiles.BetweenRenames = func() {}
		go func() { // the signal handler's quitAtOnce, but for its exit
			outfiles.RemoveTemporaries()
			names, whole := outSet(t, out)
			quit <- snapshot{names, whole, besides(t, out)}
		}()
		time.Sleep(50 * time.Millisecond) // the handler is waiting now
	}
	defer func() { outfiles.BetweenRenames = func() {} }()
	code, _, stderr := runCLI("run", "gsi-backpressure", "--duration", "10s", "--quiet", "--out", out)
	if code != exitOK && code != exitFailed {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	got := <-quit
	if !got.whole || !slices.Contains(got.names, "capacity-orders.svg") {
		t.Fatalf("at the second interrupt --out held %v (whole %v)", got.names, got.whole)
	}
	for _, b := range got.beside {
		if !strings.HasSuffix(b, ".lock") { // the run itself removes its lock
			t.Errorf("at the second interrupt %s was left beside --out", b)
		}
	}
}

// A run refused after its outputs were checked (here by the guard, once
// --fidelity auto falls back to the per-request driver) leaves nothing:
// no --out, none of the directories above it that the check made, no
// temporary and no lock beside it.
func TestRefusedRunCreatesNothing(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "a", "b", "out")
	trace := filepath.Join("..", "..", "docs", "testdata", "errors", "two-records.csv")
	code, stdout, stderr := runCLI("run", "--trace", trace, "--loop", "--speed", "100000x", "--duration", "30d",
		"--fidelity", "auto", "--quiet", "--out", out)
	if code != exitUsage || stdout != "" || !strings.Contains(stderr, "over the budget") {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Fatalf("the refused run left %v in %s", entries, dir)
	}
}
