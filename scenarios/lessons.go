package scenarios

// The scenarios behind `ddbsim learn`'s lessons: embedded like the
// library, but kept apart from it so that `ddbsim list` shows use cases,
// not teaching set-ups.

import (
	"embed"
	"fmt"
	"strings"
)

//go:embed lessons/*.yaml
var lessonFiles embed.FS

// Lesson parses the lesson scenario of the given name (lessons/NAME.yaml).
// Messages name it "NAME (lesson)".
func Lesson(name string) (*Scenario, error) {
	if name == "" || strings.ContainsAny(name, `/\`) {
		return nil, fmt.Errorf("no lesson scenario named %q", name)
	}
	data, err := lessonFiles.ReadFile("lessons/" + name + ".yaml")
	if err != nil {
		return nil, fmt.Errorf("no lesson scenario named %q", name)
	}
	return Parse(name+" (lesson)", data)
}

// LessonNames lists the lesson scenarios, sorted.
func LessonNames() []string {
	entries, _ := lessonFiles.ReadDir("lessons") // sorted
	var out []string
	for _, e := range entries {
		out = append(out, strings.TrimSuffix(e.Name(), ".yaml"))
	}
	return out
}
