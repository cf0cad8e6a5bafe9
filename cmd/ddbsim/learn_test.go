package main

import (
	"slices"
	"strings"
	"testing"

	"github.com/ddbsim/ddbsim/learn"
)

// `ddbsim learn` lists the lessons in syllabus order (learn.All); an unknown lesson is
// a usage error that lists them.
func TestLearnCommand(t *testing.T) {
	code, stdout, _ := runCLI("learn")
	if code != exitOK {
		t.Fatalf("exit %d", code)
	}
	var names []string
	for _, line := range strings.Split(strings.TrimSpace(stdout), "\n") {
		names = append(names, strings.Fields(line)[0])
	}
	var want []string
	for _, l := range learn.All() {
		want = append(want, l.Name())
	}
	if !slices.Equal(names, want) {
		t.Errorf("lessons listed as %v, not in syllabus order %v", names, want)
	}
	if code, _, stderr := runCLI("learn", "nosuch"); code != exitUsage || !strings.Contains(stderr, "units") {
		t.Errorf("unknown lesson: exit %d, %s", code, stderr)
	}
}
