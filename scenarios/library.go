package scenarios

// The built-in scenario library: YAML files embedded in the binary, so that
// `ddbsim run NAME` works without files and `ddbsim list` can show them.

import (
	"embed"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"
)

//go:embed library/*.yaml
var library embed.FS

// DefaultName is the built-in scenario `ddbsim run` uses with no argument.
const DefaultName = "web-backend"

// Entry is one built-in scenario as `ddbsim list` shows it.
type Entry struct{ Name, Description string }

// BuiltinSource returns the YAML text of a built-in scenario.
func BuiltinSource(name string) ([]byte, bool) {
	if name == "" || strings.ContainsAny(name, `/\`) {
		return nil, false
	}
	data, err := library.ReadFile("library/" + name + ".yaml")
	return data, err == nil
}

// Builtin parses a built-in scenario. Messages name it "NAME (built-in)".
func Builtin(name string) (*Scenario, error) {
	data, ok := BuiltinSource(name)
	if !ok {
		return nil, fmt.Errorf("no built-in scenario named %s (ddbsim list shows them)", name)
	}
	return Parse(name+" (built-in)", data)
}

// List returns the built-in scenarios sorted by name.
func List() []Entry {
	files, _ := fs.Glob(library, "library/*.yaml") // sorted; the pattern is valid
	out := make([]Entry, 0, len(files))
	for _, f := range files {
		name := strings.TrimSuffix(path.Base(f), ".yaml")
		data, _ := library.ReadFile(f)
		// Read only the description, so that listing never fails; the
		// library test checks that every file parses in full.
		var head struct {
			Description string `yaml:"description"`
		}
		_ = yaml.Unmarshal(data, &head)
		out = append(out, Entry{Name: name, Description: strings.TrimSpace(head.Description)})
	}
	// By name: file order puts "hot-key-sharded.yaml" before "hot-key.yaml".
	slices.SortFunc(out, func(a, b Entry) int { return strings.Compare(a.Name, b.Name) })
	return out
}
