package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// storiesDir holds the calibration suite: one file per published figure
// the model claims to reproduce (format in stories/README.md).
const storiesDir = "../../stories"

// A story is one published figure: the source's claim, a command that
// reproduces it, and the output that command gave when last reviewed.
type story struct {
	title     string
	source    string
	published string
	expect    []*regexp.Regexp
	args      []string
	file      string // written to story.yaml; empty when the command reads none
	want      string // everything after the ---- line
	head      string // the file up to and including the ---- line
}

// parseStory reads a story file; errors name the file and line.
func parseStory(name, text string) (*story, error) {
	head, want, ok := strings.Cut(text, "\n----\n")
	if !ok {
		return nil, fmt.Errorf(`%s: no "----" line between the story and its expected output`, name)
	}
	s := &story{want: want, head: head + "\n----\n"}
	lines := strings.Split(head, "\n")
	i := 0
	for ; i < len(lines) && strings.HasPrefix(lines[i], "#"); i++ {
		line := strings.TrimSpace(strings.TrimPrefix(lines[i], "#"))
		key, value, _ := strings.Cut(line, ":")
		value = strings.TrimSpace(value)
		switch {
		case i == 0:
			s.title = line
		case key == "Source":
			s.source = value
		case key == "Published":
			s.published = value
		case key == "Expect":
			re, err := regexp.Compile("(?m)" + value)
			if err != nil {
				return nil, fmt.Errorf("%s:%d: Expect: %v", name, i+1, err)
			}
			s.expect = append(s.expect, re)
		}
	}
	switch {
	case s.title == "":
		return nil, fmt.Errorf("%s:1: want a title: a first line starting with #", name)
	case s.source == "":
		return nil, fmt.Errorf(`%s: want a "# Source:" line naming the REFERENCE section and the page`, name)
	case s.published == "":
		return nil, fmt.Errorf(`%s: want a "# Published:" line with the source's figure in our words`, name)
	case len(s.expect) == 0:
		return nil, fmt.Errorf(`%s: want at least one "# Expect:" regular expression encoding the figure`, name)
	}
	if i >= len(lines) || !strings.HasPrefix(lines[i], "$ ddbsim ") {
		return nil, fmt.Errorf(`%s:%d: want the command, a line "$ ddbsim ARGS", after the prose`, name, i+1)
	}
	s.args = strings.Fields(strings.TrimPrefix(lines[i], "$ ddbsim "))
	if body := strings.Join(lines[i+1:], "\n"); strings.TrimSpace(body) != "" {
		s.file = body + "\n"
	}
	return s, nil
}

// TestStories runs every story: its command's output must be the one
// recorded after "----" (rewritten with -update, to be read before
// committing), and every Expect line must match it, even under -update,
// so a change that loses a published figure fails.
func TestStories(t *testing.T) {
	paths, err := filepath.Glob(filepath.Join(storiesDir, "*.story"))
	if err != nil {
		t.Fatal(err)
	}
	if len(paths) == 0 {
		t.Fatalf("no stories in %s", storiesDir)
	}
	abs, err := filepath.Abs(storiesDir)
	if err != nil {
		t.Fatal(err)
	}
	for _, path := range paths {
		name := filepath.Base(path)
		t.Run(strings.TrimSuffix(name, ".story"), func(t *testing.T) {
			text, err := os.ReadFile(filepath.Join(abs, name))
			if err != nil {
				t.Fatal(err)
			}
			s, err := parseStory(name, string(text))
			if err != nil {
				t.Fatal(err)
			}
			dir := t.TempDir()
			if s.file != "" {
				if err := os.WriteFile(filepath.Join(dir, "story.yaml"), []byte(s.file), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			t.Chdir(dir)
			var stdout, stderr bytes.Buffer
			code := run(s.args, &stdout, &stderr)
			got := fmt.Sprintf("%sexit %d\n", stdout.String(), code)
			for _, re := range s.expect {
				if !re.MatchString(got) {
					t.Errorf("%s: the published figure is lost: %q matches nothing in the output\n%s\nstderr:\n%s",
						name, re, got, stderr.String())
				}
			}
			if *update {
				if err := os.WriteFile(filepath.Join(abs, name), []byte(s.head+got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			if got != s.want {
				t.Errorf("%s: output differs from the recorded one (rerun with -update and read the diff)\ngot:\n%s\nwant:\n%s\nstderr:\n%s",
					name, got, s.want, stderr.String())
			}
		})
	}
}

func TestParseStoryRefusesIncompleteStories(t *testing.T) {
	full := "# Title\n# Source: REFERENCE units\n# Published: 1 RCU reads 4 KB.\n# Expect: 1 RCU\n$ ddbsim calc\n----\n"
	for _, tc := range []struct {
		name, text, err string
	}{
		{"complete", full, ""},
		{"no separator", strings.TrimSuffix(full, "----\n"), `no "----" line`},
		{"no source", strings.Replace(full, "# Source: REFERENCE units\n", "", 1), `"# Source:"`},
		{"no figure", strings.Replace(full, "# Published: 1 RCU reads 4 KB.\n", "", 1), `"# Published:"`},
		{"no expect", strings.Replace(full, "# Expect: 1 RCU\n", "", 1), `"# Expect:"`},
		{"bad expect", strings.Replace(full, "1 RCU\n", "(\n", 1), "x.story:4: Expect:"},
		{"no command", strings.Replace(full, "$ ddbsim calc\n", "", 1), "want the command"},
	} {
		_, err := parseStory("x.story", tc.text)
		if tc.err == "" {
			if err != nil {
				t.Errorf("%s: %v", tc.name, err)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), tc.err) {
			t.Errorf("%s: error %v, want one containing %s", tc.name, err, tc.err)
		}
	}
}
