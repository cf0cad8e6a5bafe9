package learn

import (
	"testing"

	"github.com/ddbsim/ddbsim/scenarios"
)

// Every lesson scenario parses and builds, and names itself after its file.
func TestLessonScenarios(t *testing.T) {
	names := scenarioNames()
	if len(names) == 0 {
		t.Fatal("no lesson scenarios")
	}
	for _, name := range names {
		sc, err := lessonScenario(name)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if sc.Name != name {
			t.Errorf("lessons/%s.yaml is named %q", name, sc.Name)
		}
		if err := scenarios.Check(sc); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	if _, err := lessonScenario("../library/web-backend"); err == nil {
		t.Error("a lesson name reached outside lessons/")
	}
}
