package main

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// buildBinary compiles ddbsim into a temporary directory, for the tests
// that must signal a real process.
func buildBinary(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := filepath.Join(t.TempDir(), "ddbsim")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// startLongRun starts `ddbsim run` of the default scenario over two
// simulated days (about 70 million requests, most of a minute of wall
// time), writing its result JSON to the returned path, and waits until
// the simulation is under way: the process has used half a second of CPU
// time, several times what loading the scenario and building the
// simulation take, so its signal handler is in place (the Go runtime
// catches SIGINT from the start, so /proc's SigCgt cannot tell) and some
// simulated seconds have passed, however loaded the machine is.
func startLongRun(t *testing.T, bin string) (*exec.Cmd, *strings.Builder, string) {
	t.Helper()
	dir := t.TempDir()
	js := filepath.Join(dir, "result.json")
	cmd, stderr := startUntilCPU(t, 0.5, bin, "run", "--duration", "2d", "--quiet", "--json", js)
	return cmd, stderr, js
}

// startUntilCPU starts bin with args and returns once it has used cpu
// seconds of CPU: a point in its work that does not depend on how loaded
// the machine is. The process is killed when the test ends.
func startUntilCPU(t *testing.T, cpu float64, bin string, args ...string) (*exec.Cmd, *strings.Builder) {
	t.Helper()
	cmd := exec.Command(bin, args...)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill() })
	deadline := time.Now().Add(60 * time.Second)
	for cpuSeconds(t, cmd.Process.Pid) < cpu {
		if time.Now().After(deadline) {
			t.Fatalf("ddbsim used under %v s of CPU in a minute; stderr:\n%s", cpu, &stderr)
		}
		time.Sleep(20 * time.Millisecond)
	}
	return cmd, &stderr
}

// cpuSeconds is the CPU time process pid has used, from /proc/PID/stat
// (utime and stime, fields 14 and 15, in clock ticks of 1/100 s).
func cpuSeconds(t *testing.T, pid int) float64 {
	t.Helper()
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		t.Skipf("no /proc to tell how far ddbsim has run: %v", err)
	}
	// The command name, field 2, is in parentheses and may hold spaces.
	fields := strings.Fields(string(data[strings.LastIndexByte(string(data), ')')+1:]))
	if len(fields) < 13 {
		t.Fatalf("/proc/%d/stat: %q", pid, data)
	}
	utime, err1 := strconv.ParseFloat(fields[11], 64)
	stime, err2 := strconv.ParseFloat(fields[12], 64)
	if err1 != nil || err2 != nil {
		t.Fatalf("/proc/%d/stat: %q", pid, data)
	}
	return (utime + stime) / 100
}

// waitExit waits for cmd at most limit and returns its exit status.
func waitExit(t *testing.T, cmd *exec.Cmd, limit time.Duration) int {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case <-done:
		return cmd.ProcessState.ExitCode()
	case <-time.After(limit):
		cmd.Process.Kill()
		t.Fatalf("ddbsim did not exit within %v of the interrupt", limit)
	}
	return -1
}

// noTemporaries fails when dir holds a temporary output file.
func noTemporaries(t *testing.T, dir string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if strings.Contains(e.Name(), ".tmp") {
			t.Errorf("temporary file %s left in %s", e.Name(), dir)
		}
	}
}

// A SIGINT stops a running `ddbsim run` at the simulated time reached, and
// the result it writes is complete and valid JSON saying "complete":
// false, covering less than the two days asked for; the exit status is
// 130.
func TestInterruptWritesIncompleteResult(t *testing.T) {
	bin := buildBinary(t)
	cmd, stderr, js := startLongRun(t, bin)
	if err := cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	if code := waitExit(t, cmd, 20*time.Second); code != exitInterrupted {
		t.Fatalf("exit status %d, want %d; stderr:\n%s", code, exitInterrupted, stderr)
	}
	data, err := os.ReadFile(js)
	if err != nil {
		t.Fatalf("no result written: %v; stderr:\n%s", err, stderr)
	}
	var res struct {
		Complete  *bool   `json:"complete"`
		DurationS float64 `json:"duration_s"`
		Requests  struct {
			Total int64 `json:"total"`
		} `json:"requests"`
		Tables []struct {
			Name string `json:"name"`
		} `json:"tables"`
	}
	if err := json.Unmarshal(data, &res); err != nil {
		t.Fatalf("the result does not parse: %v", err)
	}
	if res.Complete == nil || *res.Complete {
		t.Errorf("complete = %v, want false", res.Complete)
	}
	if res.DurationS <= 0 || res.DurationS >= 2*86400 {
		t.Errorf("duration_s = %v, want the time reached, within (0, 172800)", res.DurationS)
	}
	if res.Requests.Total <= 0 || len(res.Tables) != 1 {
		t.Errorf("%d requests over %d tables: the partial result is empty", res.Requests.Total, len(res.Tables))
	}
	if !strings.Contains(stderr.String(), "interrupted at") {
		t.Errorf("stderr does not say where the run stopped:\n%s", stderr)
	}
	noTemporaries(t, filepath.Dir(js))
}

// A second SIGINT quits at once: the process exits with 130 without
// finishing, and leaves either no result or a whole one, never a
// temporary or half-written file.
func TestSecondInterruptQuitsAtOnce(t *testing.T) {
	bin := buildBinary(t)
	cmd, stderr, js := startLongRun(t, bin)
	for range 2 {
		if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Millisecond)
	}
	if code := waitExit(t, cmd, 20*time.Second); code != exitInterrupted {
		t.Fatalf("exit status %d, want %d; stderr:\n%s", code, exitInterrupted, stderr)
	}
	if data, err := os.ReadFile(js); err == nil && !json.Valid(data) {
		t.Errorf("a half-written result was left at %s", js)
	}
	noTemporaries(t, filepath.Dir(js))
}

// A SIGINT while the plots of --out are drawn stops the drawing: the run
// writes its result without plots, marked "complete": false, and exits
// with 130, rather than drawing every plot and calling the result
// complete. 400 tables simulated for two seconds take a moment to run
// and tens of seconds to draw.
func TestInterruptStopsRendering(t *testing.T) {
	bin := buildBinary(t)
	dir := t.TempDir()
	var sc strings.Builder
	sc.WriteString("version: 1\nname: many\nduration: 2s\ntables:\n")
	for i := range 400 {
		fmt.Fprintf(&sc, "  - {name: t%d, partition_key: id, mode: on-demand}\n", i)
	}
	sc.WriteString("workloads:\n  - {name: w, table: t0, rate: 10/s, mix: {get: 100%}, keys: {distribution: uniform, count: 10}}\n")
	path := filepath.Join(dir, "many.yaml")
	if err := os.WriteFile(path, []byte(sc.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out")
	// The simulation of 2 s takes well under a second of CPU; by 3 s the
	// plots are being drawn.
	cmd, stderr := startUntilCPU(t, 3, bin, "run", path, "--quiet", "--out", out)
	if err := cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	if code := waitExit(t, cmd, 10*time.Second); code != exitInterrupted {
		t.Fatalf("exit status %d, want %d; stderr:\n%s", code, exitInterrupted, stderr)
	}
	data, err := os.ReadFile(filepath.Join(out, "result.json"))
	if err != nil {
		t.Fatalf("no result written: %v; stderr:\n%s", err, stderr)
	}
	var res struct {
		Complete *bool `json:"complete"`
	}
	if err := json.Unmarshal(data, &res); err != nil || res.Complete == nil || *res.Complete {
		t.Errorf("result.json: complete = %v (%v), want false", res.Complete, err)
	}
	if plots, _ := filepath.Glob(filepath.Join(out, "*.png")); len(plots) > 0 {
		t.Errorf("%d plots written after an interrupt while drawing", len(plots))
	}
	if !strings.Contains(stderr.String(), "interrupted while drawing the plots") {
		t.Errorf("stderr does not say the plots were interrupted:\n%s", stderr)
	}
}

// A SIGINT stops compare and learn as it stops run: the simulations stop,
// nothing is drawn or written (no --out, no --json, no lock or
// temporary beside them), and the exit status is 130, rather than the
// process dying of the signal with its lock left behind.
func TestInterruptStopsCompareAndLearn(t *testing.T) {
	bin := buildBinary(t)
	for _, tc := range []struct {
		cpu  float64
		args []string
	}{
		{0.5, []string{"compare", "web-backend", "--duration", "2d"}},
		{0.2, []string{"learn", "hot-partitions"}}, // about half a second of CPU in all
		{0.5, []string{"sweep", "SPEC"}},           // results staged as runs finish: all dropped
	} {
		t.Run(tc.args[0], func(t *testing.T) {
			dir := t.TempDir()
			out := filepath.Join(dir, "out")
			args := append(slices.Clone(tc.args), "--out", out)
			if tc.args[0] == "sweep" {
				spec := filepath.Join(t.TempDir(), "s.yaml") // outside dir, which must stay empty
				os.WriteFile(spec, []byte("version: 1\nscenario: web-backend\nduration: 2h\nseeds: 20\nvary:\n  rate_scale: [1, 2]\n"), 0o644)
				args[1] = spec
			}
			if tc.args[0] == "compare" {
				args = append(args, "--json", filepath.Join(dir, "compare.json"))
			}
			cmd, stderr := startUntilCPU(t, tc.cpu, bin, args...)
			if err := cmd.Process.Signal(os.Interrupt); err != nil {
				t.Fatal(err)
			}
			if code := waitExit(t, cmd, 20*time.Second); code != exitInterrupted {
				t.Fatalf("exit status %d, want %d; stderr:\n%s", code, exitInterrupted, stderr)
			}
			if entries, _ := os.ReadDir(dir); len(entries) != 0 {
				t.Errorf("an interrupted %s left %v", tc.args[0], entries)
			}
			if !strings.Contains(stderr.String(), "stopped before writing anything") {
				t.Errorf("stderr does not say nothing was written:\n%s", stderr)
			}
		})
	}
}
