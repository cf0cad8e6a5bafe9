package learn

import (
	"slices"
	"strings"
	"testing"

	"github.com/ddbsim/ddbsim/reports/plot"
)

// Every lesson runs from the embedded scenarios, and what it teaches holds
// in its own run; the plot it points to exists; its explanation quotes
// numbers and ends in a takeaway.
func TestLessons(t *testing.T) {
	if len(lessons) == 0 {
		t.Fatal("no lessons")
	}
	for _, l := range All() {
		t.Run(l.name, func(t *testing.T) {
			t.Parallel()
			res, err := l.Run(simulate)
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
				plots, err := plot.Figures(res[i])
				if err != nil {
					t.Fatal(err)
				}
				if !slices.ContainsFunc(plots, func(p plot.Plot) bool { return p.Name == name }) {
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

// All lists every lesson in syllabus order: those lessonOrder names first,
// in its order.
func TestAllInSyllabusOrder(t *testing.T) {
	var names []string
	for _, l := range All() {
		names = append(names, l.name)
	}
	for i := 1; i < len(names); i++ {
		a, b := slices.Index(lessonOrder, names[i-1]), slices.Index(lessonOrder, names[i])
		if a < 0 || b < 0 || a > b {
			t.Errorf("lessons listed as %v, not in syllabus order %v", names, lessonOrder)
			break
		}
	}
}
