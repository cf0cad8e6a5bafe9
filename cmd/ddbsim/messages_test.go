package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A file name holding an OSC title sequence and BEL once reached the
// terminal raw in the CLI's error; it is escaped, exit 2.
func TestErrorMessagesEscapeControlCharacters(t *testing.T) {
	code, stdout, stderr := runCLI("run", "nosuch\x1b]0;owned\a.yaml")
	if code != exitUsage || stdout != "" {
		t.Fatalf("exit %d, stdout %q", code, stdout)
	}
	if strings.ContainsAny(stderr, "\x1b\a") || !strings.Contains(stderr, `nosuch\x1b]0;owned\a.yaml`) {
		t.Errorf("stderr %q: want the name escaped", stderr)
	}

	// A scenario naming itself with one is refused at validation, with
	// its position, and the message carries the name quoted.
	dir := t.TempDir()
	path := filepath.Join(dir, "evil.yaml")
	src := "version: 1\nname: \"x\\e]0;owned\\a\\r\\nFORGED\"\nduration: 1m\ntables:\n  - {name: t, partition_key: id, mode: on-demand, items: {count: 1k}}\nworkloads:\n  - {name: w, table: t, rate: 1/s}\n"
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, stderr = runCLI("validate", path)
	if code != exitUsage || strings.ContainsAny(stderr, "\x1b\a\r") || strings.Contains(stderr, "\nFORGED") ||
		!strings.Contains(stderr, `evil.yaml:2:7: name "x\x1b]0;owned\a\r\nFORGED" holds the non-printing character U+001B`) {
		t.Errorf("validate: exit %d, stderr %q", code, stderr)
	}
}
