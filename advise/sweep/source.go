package sweep

import (
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"

	"github.com/ddbsim/ddbsim/scenarios"
)

// Load is the Loader over the operating system's files and the built-in
// library: ref is a path (relative to the sweep file's directory) when
// such a file exists, else a built-in name. open reads the files a
// scenario names in turn.
func Load(open scenarios.Opener) Loader {
	return func(ref, dir string) (Source, error) {
		path := ref
		if !filepath.IsAbs(path) {
			path = filepath.Join(dir, ref)
		}
		data, err := scenarios.ReadFileLimited(path, "a scenario file")
		if err == nil {
			return Source{Ref: ref, File: path, Data: data, Options: scenarios.ParseOptions{Open: open, Dir: filepath.Dir(path)}}, nil
		}
		if !errors.Is(err, fs.ErrNotExist) {
			return Source{}, err
		}
		if data, ok := scenarios.BuiltinSource(ref); ok {
			return Source{Ref: ref, File: ref + " (built-in)", Data: data}, nil
		}
		var names []string
		for _, e := range scenarios.List() {
			names = append(names, e.Name)
		}
		msg := fmt.Sprintf("scenario %q: no file %s, and no built-in scenario of that name (ddbsim list shows them)", ref, path)
		if s := scenarios.Suggest(ref, names); s != "" {
			msg += fmt.Sprintf("; did you mean %q?", s)
		}
		return Source{}, errors.New(msg)
	}
}
