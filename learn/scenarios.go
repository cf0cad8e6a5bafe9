package learn

// The scenarios behind the lessons (lessons/NAME.yaml): embedded like the
// built-in library, but kept apart from it so that `ddbsim list` shows use
// cases, not teaching set-ups.

import (
	"embed"
	"fmt"
	"strings"

	"github.com/ddbsim/ddbsim/scenarios"
)

//go:embed lessons/*.yaml
var lessonFiles embed.FS

// lessonScenario parses the lesson scenario of the given name (lessons/NAME.yaml).
// Messages name it "NAME (lesson)".
func lessonScenario(name string) (*scenarios.Scenario, error) {
	if name == "" || strings.ContainsAny(name, `/\`) {
		return nil, fmt.Errorf("no lesson scenario named %q", name)
	}
	data, err := lessonFiles.ReadFile("lessons/" + name + ".yaml")
	if err != nil {
		return nil, fmt.Errorf("no lesson scenario named %q", name)
	}
	return scenarios.Parse(name+" (lesson)", data)
}

// scenarioNames lists the lesson scenarios, sorted.
func scenarioNames() []string {
	entries, _ := lessonFiles.ReadDir("lessons") // sorted
	var out []string
	for _, e := range entries {
		out = append(out, strings.TrimSuffix(e.Name(), ".yaml"))
	}
	return out
}
