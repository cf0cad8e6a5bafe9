package main

import (
	"encoding/json"
	"math"
	"strings"
	"testing"
)

// The text output of a few commands is pinned by golden files.
func TestCalcGolden(t *testing.T) {
	tests := []struct {
		name string
		args []string
		code int
	}{
		{"calc-rcu", []string{"calc", "rcu", "--item-size", "6KB", "--rate", "10/s"}, exitOK},
		{"calc-rcu-eventual", []string{"calc", "rcu", "--item-size", "6KB", "--rate", "10/s", "--consistency", "eventual"}, exitOK},
		{"calc-rcu-query", []string{"calc", "rcu", "--op", "query", "--items", "10", "--item-size", "4.08KB", "--consistency", "eventual"}, exitOK},
		{"calc-rcu-batch-get", []string{"calc", "rcu", "--op", "batch_get", "--item-size", "6KB,missing,2KB"}, exitOK},
		{"calc-wcu-transactional", []string{"calc", "wcu", "--item-size", "2.5KB", "--rate", "20/s", "--transactional"}, exitOK},
		{"calc-wcu-batch-write", []string{"calc", "wcu", "--op", "batch_write", "--items", "10", "--item-size", "2.5KB"}, exitOK},
		{"calc-partitions", []string{"calc", "partitions", "--rcu", "5000", "--wcu", "2000", "--size", "50GB"}, exitOK},
		{"calc-cost", []string{"calc", "cost", "--rcu", "100", "--wcu", "100", "--hours", "720"}, exitOK},
		{"calc-cost-both", []string{"calc", "cost", "--rcu", "100", "--wcu", "100", "--reads", "20/s", "--writes", "40/s", "--storage", "50GB"}, exitOK},
		{"calc-dax", []string{"calc", "dax", "--hits", "50000/s", "--misses", "1000/s", "--writes", "100/s", "--item-size", "2KB", "--nodes", "3"}, exitOK},
		{"calc-unknown", []string{"calc", "iops"}, exitUsage},
		{"calc-bad-size", []string{"calc", "rcu", "--item-size", "6kb"}, exitUsage},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { goldenRun(t, tt.name, tt.code, tt.args...) })
	}
}

// --json prints only JSON, with the answer under its name and the steps.
func TestCalcJSON(t *testing.T) {
	tests := []struct {
		args []string
		key  string
		want float64
	}{
		{[]string{"rcu", "--item-size", "6KB", "--rate", "10/s"}, "rcu", 10}, // eventually consistent unless asked
		{[]string{"rcu", "--item-size", "80KB", "--consistency", "eventual"}, "rcu", 10},
		{[]string{"wcu", "--item-size", "2.5KB", "--rate", "20/s"}, "wcu", 60},
		{[]string{"partitions", "--rcu", "5000", "--wcu", "2000", "--size", "50GB"}, "partitions", 5},
		{[]string{"cost", "--rcu", "100", "--wcu", "100", "--hours", "720"}, "total_usd", 56.16},
		{[]string{"cost", "--storage", "50GB"}, "monthly_usd", 12.5},
		{[]string{"dax", "--hits", "50000/s", "--misses", "1000/s", "--writes", "100/s", "--item-size", "2KB"}, "normalized_per_s", 135000},
	}
	for _, tt := range tests {
		args := append([]string{"calc"}, tt.args...)
		args = append(args, "--json")
		code, stdout, stderr := runCLI(args...)
		if code != exitOK || stderr != "" {
			t.Errorf("%v: exit %d, stderr %q", args, code, stderr)
			continue
		}
		var got map[string]any
		if err := json.Unmarshal([]byte(stdout), &got); err != nil {
			t.Errorf("%v: not JSON: %v\n%s", args, err, stdout)
			continue
		}
		if v, ok := got[tt.key].(float64); !ok || math.Abs(v-tt.want) > 1e-9 {
			t.Errorf("%v: %s = %v, want %v", args, tt.key, got[tt.key], tt.want)
		}
		if steps, ok := got["steps"].([]any); !ok || len(steps) == 0 {
			t.Errorf("%v: no steps in %s", args, stdout)
		}
	}
}

// Bad input exits 2 with a message naming the flag and what was
// expected, and prints nothing on standard output.
func TestCalcErrors(t *testing.T) {
	tests := []struct {
		args []string
		want []string
	}{
		{[]string{}, []string{"which calculation", "rcu, wcu, partitions, cost, dax"}},
		{[]string{"iops"}, []string{`unknown calculation "iops"`}},
		{[]string{"rcu"}, []string{"--item-size is required", "6KB"}},
		{[]string{"rcu", "--item-size", "6kb"}, []string{"--item-size", `did you mean "6KB"`}},
		{[]string{"rcu", "--item-size", "6KB", "--rate", "10"}, []string{"--rate", "500/s"}},
		{[]string{"rcu", "--item-size", "6KB", "--consistency", "weak"}, []string{"--consistency", "strong, eventual or transactional"}},
		{[]string{"rcu", "--item-size", "6KB", "--op", "put"}, []string{"--op", "get, query, scan or batch_get"}},
		{[]string{"rcu", "--item-size", "6KB", "--items", "3"}, []string{"--items is for query"}},
		{[]string{"rcu", "--item-size", "500KB"}, []string{"400 KB item size limit"}},
		{[]string{"rcu", "--op", "batch_get", "--items", "101", "--item-size", "1KB"}, []string{"1 to 100 items"}},
		{[]string{"rcu", "--op", "query", "--items", "2", "--item-size", "1KB", "--consistency", "transactional"}, []string{"--op get"}},
		{[]string{"rcu", "--item-size", "6KB", "--wcu", "3"}, []string{"--wcu does not apply"}},
		{[]string{"wcu", "--item-size", "1KB", "--op", "batch_write", "--items", "26"}, []string{"1 to 25 items"}},
		{[]string{"wcu", "--item-size", "1KB", "--old-size", "2KB", "--transactional"}, []string{"--transactional"}},
		{[]string{"partitions"}, []string{"--rcu", "--size"}},
		{[]string{"partitions", "--rcu", "-5"}, []string{"--rcu", "negative"}},
		{[]string{"cost"}, []string{"nothing to price"}},
		{[]string{"cost", "--rcu", "1", "--hours", "week"}, []string{"--hours", "720"}},
		{[]string{"cost", "--reads", "lots"}, []string{"--reads", "100/s"}},
		{[]string{"cost", "--rcu", "1", "--table-class", "glacier"}, []string{"--table-class", "standard or standard-ia"}},
		{[]string{"cost", "--rcu", "1", "--region", "mars-1"}, []string{"--region", "us-east-1"}},
		{[]string{"dax", "--item-size", "1KB"}, []string{"--hits"}},
		{[]string{"dax", "--hits", "5/s", "--item-size", "1KB", "--nodes", "12"}, []string{"--nodes", "1 to 11"}},
		{[]string{"dax", "--hits", "5/s", "--item-size", "1KB", "--node-type", "huge"}, []string{"--node-type", "dax.r5.large"}},
		{[]string{"rcu", "extra", "--item-size", "1KB"}, []string{"unexpected argument"}},
	}
	for _, tt := range tests {
		args := append([]string{"calc"}, tt.args...)
		code, stdout, stderr := runCLI(args...)
		if code != exitUsage || stdout != "" {
			t.Errorf("%v: exit %d, stdout %q; want 2 and nothing", args, code, stdout)
		}
		for _, w := range tt.want {
			if !strings.Contains(stderr, w) {
				t.Errorf("%v: stderr %q does not say %q", args, stderr, w)
			}
		}
	}
}
