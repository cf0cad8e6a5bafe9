package main

import (
	"io"
	"slices"
	"strings"
	"testing"

	"github.com/ddbsim/ddbsim/reports"
)

// Every lesson runs from the embedded scenarios, and what it teaches holds
// in its own run; the plot it points to exists; its explanation quotes
// numbers and ends in a takeaway.
func TestLessons(t *testing.T) {
	if len(lessons) == 0 {
		t.Fatal("no lessons")
	}
	for _, l := range sortedLessons() {
		t.Run(l.name, func(t *testing.T) {
			t.Parallel()
			e := &env{stdout: io.Discard, stderr: io.Discard}
			res, err := runLesson(l, e)
			if err != nil {
				t.Fatal(err)
			}
			if err := l.claim(res); err != nil {
				t.Errorf("claim: %v", err)
			}
			if len(l.plots) > len(res) {
				t.Errorf("%d plots for %d runs", len(l.plots), len(res))
			}
			for i, name := range l.plots {
				if name == "" {
					continue
				}
				plots, err := reports.Plots(res[i])
				if err != nil {
					t.Fatal(err)
				}
				if !slices.ContainsFunc(plots, func(p reports.Plot) bool { return p.Name == name }) {
					t.Errorf("run %s has no plot %q", l.runs[i].label, name)
				}
			}
			var b strings.Builder
			l.explain(&b, res)
			if !strings.ContainsAny(b.String(), "0123456789") || l.takeaway == "" || l.title == "" {
				t.Errorf("explanation without numbers, or no title or takeaway:\n%s", b.String())
			}
		})
	}
}

// `ddbsim learn` lists the lessons in syllabus order; an unknown lesson is
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
	for i := 1; i < len(names); i++ {
		a, b := slices.Index(lessonOrder, names[i-1]), slices.Index(lessonOrder, names[i])
		if a < 0 || b < 0 || a > b {
			t.Errorf("lessons listed as %v, not in syllabus order %v", names, lessonOrder)
			break
		}
	}
	if code, _, stderr := runCLI("learn", "nosuch"); code != exitUsage || !strings.Contains(stderr, "units") {
		t.Errorf("unknown lesson: exit %d, %s", code, stderr)
	}
}
