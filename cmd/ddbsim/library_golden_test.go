//go:build long

package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ddbsim/ddbsim/scenarios"
)

// Every built-in scenario's result JSON under the per-request driver is
// pinned byte for byte in testdata/library, so that a change of structure
// cannot change an answer unnoticed. A change of the model that is meant
// to change answers regenerates them with -update; read the diff.
//
// It runs the whole library (about a minute on one core), so it belongs to
// the long tier: go test -tags long ./...
func TestLibraryResultsPinned(t *testing.T) {
	for _, entry := range scenarios.List() {
		name := entry.Name
		t.Run(name, func(t *testing.T) {
			path := filepath.Join("testdata", "library", name+".json")
			out := filepath.Join(t.TempDir(), name+".json")
			code, _, stderr := runCLI("run", name, "--quiet", "--fidelity", "request", "--json", out)
			if code != exitOK && code != exitFailed {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			got, err := os.ReadFile(out)
			if err != nil {
				t.Fatal(err)
			}
			if *update {
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (go test -tags long -update creates it)", err)
			}
			if string(got) != string(want) {
				t.Errorf("%s: the result differs from %s (go test -tags long -run TestLibraryResultsPinned -update rewrites it)\n%s",
					name, path, firstDifference(string(got), string(want)))
			}
		})
	}
}

// firstDifference names the first line where two results part.
func firstDifference(got, want string) string {
	g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
	for i := 0; i < len(g) && i < len(w); i++ {
		if g[i] != w[i] {
			return fmt.Sprintf("line %d:", i+1) + "\n  got:  " + g[i] + "\n  want: " + w[i]
		}
	}
	return "one result is a prefix of the other"
}
