package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ddbsim/ddbsim/reports"
)

// cost --json writes the bill as the result's cost object; --out writes
// bill.txt and bill.json; --quiet prints nothing.
func TestCostJSONAndOut(t *testing.T) {
	code, stdout, stderr := runCLI("cost", "--duration", "1m", "--json", "-")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var bill reports.CostResult
	if err := json.Unmarshal([]byte(stdout), &bill); err != nil || bill.TotalUSD <= 0 {
		t.Fatalf("cost --json -: %v, %+v\n%s", err, bill, stdout)
	}
	if _, formatted, _ := runCLI("cost", "--duration", "1m", "--format", "json"); formatted != stdout {
		t.Errorf("cost --format json printed %q, not the bill --json - prints", formatted)
	}
	dir := filepath.Join(t.TempDir(), "out")
	code, stdout, stderr = runCLI("cost", "--duration", "1m", "--out", dir, "--quiet")
	if code != exitOK || stdout != "" {
		t.Fatalf("cost --out --quiet: exit %d, stdout %q, %s", code, stdout, stderr)
	}
	for _, f := range []string{"bill.txt", "bill.json"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Error(err)
		}
	}
}

// compare takes --prices and --free-tier as run does.
func TestComparePricesAndFreeTier(t *testing.T) {
	prices := filepath.Join("..", "..", "scenarios", "prices", "prices.yaml")
	code, stdout, stderr := runCLI("compare", "hot-key", "--modes", "on-demand", "--duration", "1m", "--prices", prices, "--free-tier", "--quiet")
	if code == exitUsage || stdout != "" {
		t.Fatalf("exit %d, stdout %q: %s", code, stdout, stderr)
	}
}

// learn takes --seed for every run of the lesson, and --json.
func TestLearnSeedAndJSON(t *testing.T) {
	code, stdout, stderr := runCLI("learn", "streams", "--seed", "3", "--json", "-")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var got struct {
		Lesson    string `json:"lesson"`
		ClaimHeld bool   `json:"claim_held"`
		Runs      []struct {
			Seed uint64 `json:"seed"`
		} `json:"runs"`
	}
	if err := json.Unmarshal([]byte(stdout), &got); err != nil {
		t.Fatalf("%v\n%s", err, stdout)
	}
	if got.Lesson != "streams" || !got.ClaimHeld || len(got.Runs) == 0 {
		t.Fatalf("learn --json: %+v", got)
	}
	for _, r := range got.Runs {
		if r.Seed != 3 {
			t.Errorf("a run's seed is %d, not --seed 3", r.Seed)
		}
	}
}

// calc --json takes FILE|- like the other commands, and alone still means
// standard output.
func TestCalcJSONTarget(t *testing.T) {
	calc := []string{"calc", "rcu", "--item-size", "6KB", "--rate", "10/s"}
	_, alone, _ := runCLI(append(calc, "--json")...)
	code, dash, stderr := runCLI(append(calc, "--json", "-")...)
	if code != exitOK || dash != alone || !strings.Contains(dash, `"rcu": 10`) {
		t.Fatalf("calc --json -: exit %d, %q (alone: %q) %s", code, dash, alone, stderr)
	}
	file := filepath.Join(t.TempDir(), "rcu.json")
	if code, _, stderr := runCLI(append(calc, "--json", file)...); code != exitOK {
		t.Fatalf("calc --json FILE: exit %d: %s", code, stderr)
	}
	if data, err := os.ReadFile(file); err != nil || string(data) != alone {
		t.Errorf("calc --json FILE wrote %q, %v", data, err)
	}
}

// The help says what a user looks for: run's exit code 3, compare's
// compare.html; an unknown scenario's message carries the ddbsim: prefix.
func TestHelpAndMessages(t *testing.T) {
	if _, out, _ := runCLI("run", "--help"); !strings.Contains(out, "3 on an internal error") {
		t.Error("run --help does not list exit code 3")
	}
	if _, out, _ := runCLI("compare", "--help"); !strings.Contains(out, "compare.html") {
		t.Error("compare --help does not mention compare.html")
	}
	if _, _, stderr := runCLI("run", "nosuch"); !strings.HasPrefix(stderr, "ddbsim: ") {
		t.Errorf("run nosuch: %q", stderr)
	}
}
