package ddbsim_test

import (
	"bufio"
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// The layout's rules (docs/ARCHITECTURE.md), checked on the code as it is,
// so that the structure cannot drift back: dependencies point one way,
// every package says its one job in a doc.go, no source file outgrows a
// reader, and the CLI stays thin.

const module = "github.com/ddbsim/ddbsim"

// packages lists every package of the module with the module packages it
// imports (test imports excluded: a test may reach anywhere).
func packages(t *testing.T) map[string][]string {
	t.Helper()
	cmd := exec.Command("go", "list", "-f", `{{.ImportPath}}{{range .Imports}} {{.}}{{end}}`, "./...")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, stderr.String())
	}
	pkgs := map[string][]string{}
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		var ours []string
		for _, imp := range fields[1:] {
			if imp == module || strings.HasPrefix(imp, module+"/") {
				ours = append(ours, rel(imp))
			}
		}
		pkgs[rel(fields[0])] = ours
	}
	return pkgs
}

// rel names a package by its directory: "." for the root, "model/store".
func rel(path string) string {
	if path == module {
		return "."
	}
	return strings.TrimPrefix(path, module+"/")
}

// under reports whether pkg is dir or inside it.
func under(pkg, dir string) bool { return pkg == dir || strings.HasPrefix(pkg, dir+"/") }

// The layers, from the ground up: a package may import only packages of
// its own layer's lower neighbours or below, never one above it.
// Within model/, the sub-packages are concepts the service is made of:
// they may import each other's lower parts but never model itself.
func layer(pkg string) int {
	switch {
	case pkg == "sim":
		return 0
	case under(pkg, "threshold"):
		return 1
	case under(pkg, "model") && pkg != "model":
		return 1
	case pkg == "model":
		return 2
	case under(pkg, "workload"), under(pkg, "scenarios"):
		return 3
	case under(pkg, "reports"):
		return 3
	case pkg == ".":
		return 4
	case under(pkg, "advise"), under(pkg, "calc"), under(pkg, "learn"), under(pkg, "server"), under(pkg, "docs"), under(pkg, "importer"):
		return 5
	case under(pkg, "cmd"):
		return 6
	}
	return -1
}

func TestDependenciesPointOneWay(t *testing.T) {
	for pkg, imports := range packages(t) {
		if layer(pkg) < 0 {
			t.Errorf("%s: not in the layout; give it a layer in architecture_test.go and docs/ARCHITECTURE.md", pkg)
			continue
		}
		for _, imp := range imports {
			if layer(imp) > layer(pkg) {
				t.Errorf("%s imports %s, which stands above it", pkg, imp)
			}
			if under(pkg, "model") && pkg != "model" && (imp == "model" || layer(imp) > 1) {
				t.Errorf("%s imports %s: model's parts import no model, reports, scenarios or cmd", pkg, imp)
			}
			if pkg == "sim" || pkg == "threshold" {
				t.Errorf("%s imports %s: it imports nothing of ours", pkg, imp)
			}
		}
	}
}

func TestEveryPackageStatesItsJob(t *testing.T) {
	for pkg := range packages(t) {
		doc := filepath.Join(pkg, "doc.go")
		if pkg == "cmd/ddbsim" {
			doc = filepath.Join(pkg, "main.go")
		}
		src, err := os.ReadFile(doc)
		if err != nil {
			t.Errorf("%s: no %s stating the package's job", pkg, doc)
			continue
		}
		if !bytes.Contains(src, []byte("\n// Package ")) && !bytes.HasPrefix(src, []byte("// Package ")) &&
			!bytes.Contains(src, []byte("// Command ")) {
			t.Errorf("%s: %s has no package comment", pkg, doc)
		}
	}
}

func TestFilesStayReadable(t *testing.T) {
	const maxLines = 800
	cli := 0
	err := filepath.WalkDir(".", func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "testdata" || strings.HasPrefix(d.Name(), ".")) && path != "." {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		n := bytes.Count(src, []byte("\n"))
		if n > maxLines {
			t.Errorf("%s: %d lines, over %d: split it by what its parts do", path, n, maxLines)
		}
		if filepath.Dir(path) == filepath.Join("cmd", "ddbsim") {
			cli += n
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if cli >= 2000 {
		t.Errorf("cmd/ddbsim holds %d lines of non-test code: the CLI only wires (flags, progress, signals, writes, exit codes); move the rest into a package", cli)
	}
}
