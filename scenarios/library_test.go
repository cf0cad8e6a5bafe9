package scenarios

import (
	"errors"
	"slices"
	"strings"
	"testing"
)

func TestLibraryParses(t *testing.T) {
	entries := List()
	if len(entries) == 0 {
		t.Fatal("the library is empty")
	}
	if !slices.IsSortedFunc(entries, func(a, b Entry) int { return strings.Compare(a.Name, b.Name) }) {
		t.Errorf("List is not sorted: %v", entries)
	}
	for _, e := range entries {
		s, err := Builtin(e.Name)
		if err != nil {
			t.Errorf("built-in %s does not parse:\n%v", e.Name, err)
			continue
		}
		if s.Name != e.Name {
			t.Errorf("built-in %s: name is %q; `ddbsim run %s` should report the name it was given", e.Name, s.Name, e.Name)
		}
		if e.Description == "" {
			t.Errorf("built-in %s has no description for `ddbsim list`", e.Name)
		}
		if s.File != e.Name+" (built-in)" {
			t.Errorf("built-in %s: File = %q", e.Name, s.File)
		}
	}
}

func TestDefaultIsBuiltin(t *testing.T) {
	if _, ok := BuiltinSource(DefaultName); !ok {
		t.Fatalf("the default scenario %s is not in the library", DefaultName)
	}
}

func TestBuiltinUnknown(t *testing.T) {
	for _, name := range []string{"no-such", "", "../parse", "library/web-backend"} {
		if _, ok := BuiltinSource(name); ok {
			t.Errorf("BuiltinSource(%q) found something", name)
		}
	}
	_, err := Builtin("no-such")
	if err == nil || err.Error() != "no built-in scenario named no-such (ddbsim list shows them)" {
		t.Errorf("Builtin(no-such): %v", err)
	}
}

func TestLoad(t *testing.T) {
	s, err := Load(DefaultName)
	if err != nil || s.Name != DefaultName {
		t.Fatalf("Load(%s) = %v, %v", DefaultName, s, err)
	}
	if s, err := Load("testdata/valid/minimal.yaml"); err != nil || s.File != "testdata/valid/minimal.yaml" {
		t.Fatalf("Load(file) = %v, %v", s, err)
	}
	_, err = Load("nonesuch.yaml")
	want := "open nonesuch.yaml: no such file, and no built-in scenario named nonesuch.yaml (ddbsim list shows them)"
	if err == nil || err.Error() != want {
		t.Errorf("Load(missing):\n got %v\nwant %s", err, want)
	}
	var list ErrorList
	if errors.As(err, &list) {
		t.Errorf("a missing file is not a problem inside a file: %v", err)
	}
	_, err = Load(DefaultName[:len(DefaultName)-1])
	if err == nil || !strings.HasSuffix(err.Error(), `; did you mean "`+DefaultName+`"?`) {
		t.Errorf("Load(near miss) = %v, want a suggestion", err)
	}
	if _, err := Load("testdata"); err == nil {
		t.Errorf("Load(directory) succeeded")
	}
}
