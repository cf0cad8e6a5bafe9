package docs

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestNamedPathsExist keeps the documentation's references to the code in
// step with the code: every file or directory of the repository that a
// Markdown file names in a code span (`model/store/store.go`,
// `workload/fluid/`, `cmd/ddbsim/testdata/fidelity/`) must exist, so a
// moved file fails here instead of sending a reader to nothing.
func TestNamedPathsExist(t *testing.T) {
	roots := map[string]bool{}
	entries, err := os.ReadDir("..")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.IsDir() && !strings.HasPrefix(e.Name(), ".") {
			roots[e.Name()] = true
		}
	}
	for _, path := range markdownFiles(t) {
		src, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		for i, line := range strings.Split(string(src), "\n") {
			for _, m := range codeSpan.FindAllStringSubmatch(line, -1) {
				name := m[1]
				first, _, ok := strings.Cut(name, "/")
				if !ok || !roots[first] || !repoPath.MatchString(name) {
					continue
				}
				if _, err := os.Stat(filepath.Join("..", filepath.FromSlash(name))); err != nil {
					t.Errorf("%s:%d: names %s, which does not exist", path, i+1, name)
				}
			}
		}
	}
}

var (
	codeSpan = regexp.MustCompile("`([^`\\s]+)`")
	// repoPath is a relative path of plain names: no flags, globs,
	// placeholders or package-qualified identifiers.
	repoPath = regexp.MustCompile(`^[a-z][a-z0-9_-]*(/[A-Za-z0-9_.-]+)*/?$`)
)

// TestNamedTestsExist does the same for the tests, benchmarks, fuzz
// targets and examples the documentation cites as evidence
// (`TestLibraryResultsPinned`, `BenchmarkRequestPath/recorder=collector`):
// each must be a function of some _test.go file.
func TestNamedTestsExist(t *testing.T) {
	defined := map[string]bool{}
	err := filepath.WalkDir("..", func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "testdata" || strings.HasPrefix(d.Name(), ".") && path != "..") {
			return filepath.SkipDir
		}
		if !strings.HasSuffix(path, "_test.go") {
			return nil
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, m := range testFunc.FindAllStringSubmatch(string(src), -1) {
			defined[m[1]] = true
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, path := range markdownFiles(t) {
		src, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		for i, line := range strings.Split(string(src), "\n") {
			for _, m := range codeSpan.FindAllStringSubmatch(line, -1) {
				name, _, _ := strings.Cut(m[1], "/") // a subtest or sub-benchmark
				if testName.MatchString(name) && !defined[name] {
					t.Errorf("%s:%d: cites %s, which no test file defines", path, i+1, name)
				}
			}
		}
	}
}

var (
	testFunc = regexp.MustCompile(`(?m)^func (?:\([^)]*\) )?((?:Test|Benchmark|Fuzz|Example)\w*)\(`)
	testName = regexp.MustCompile(`^(Test|Benchmark|Fuzz)[A-Z]\w*$`)
)
