package docs

// TestExamples and TestErrorsTable keep the documentation from drifting away
// from the tool, as the doc test of golang.org/x/perf's benchstat does.
//
// Console examples. A fenced block opened with ```console in README.md,
// CONTRIBUTING.md or any docs/*.md file is a transcript. A line starting
// with "$ " is a command, which must start with "ddbsim "; the lines after
// it, up to the next command or the end of the block, are exactly what the
// command prints, standard output and standard error together, in the order
// written. The command runs from the repository root with NO_COLOR set, its
// arguments split as a shell would split words and quotes (no pipes,
// redirections or variables). Two elisions are allowed in an output:
//
//	...            a line of its own: any number of lines, none included
//	[...]          inside a line: any text within that line
//
// Trailing spaces are ignored. The exit status is not checked: a transcript
// shows what a reader sees, and errors.md states the exit codes.
//
// The table of bad inputs. In errors.md, the table whose header is
// "| bad input | command | message |" is checked row by row: the command
// (`ddbsim ...` in backquotes) runs in docs/testdata/errors, must exit with
// status 2, print nothing on standard output, and print exactly the message
// on standard error, its lines given as code spans joined by <br>. The same
// [...] elision applies within a line. An input git cannot hold is made
// there as the test starts (makeTestTimeFiles: no-writer.fifo, a FIFO).
//
// The scenario the README shows must be scenarios/library/web-backend.yaml,
// the default whose output it shows (TestREADMEScenarioIsTheLibraryFile).
//
// go test ./docs -update rewrites every output and message that no longer
// matches with what the tool printed (an elided one is written out in
// full: put the elision back by hand where the text depends on the
// machine). Read the diff before committing it.

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite the outputs in the Markdown files with what the tool prints")

// ddbsimBinary is the binary TestMain builds from ../cmd/ddbsim.
var ddbsimBinary string

// commandTimeout bounds one example. Examples are meant to take well under
// a few seconds (shorten runs with --duration); this only stops a hung one.
const commandTimeout = 2 * time.Minute

func TestMain(m *testing.M) {
	flag.Parse()
	dir, err := os.MkdirTemp("", "ddbsim-docs-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "docs:", err)
		os.Exit(1)
	}
	ddbsimBinary = filepath.Join(dir, "ddbsim")
	build := exec.Command("go", "build", "-o", ddbsimBinary, "../cmd/ddbsim")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "docs: building ddbsim:", err)
		os.RemoveAll(dir)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// markdownFiles lists the files whose console examples are checked, as
// paths relative to this package's directory.
func markdownFiles(t *testing.T) []string {
	t.Helper()
	files := []string{"../README.md", "../CONTRIBUTING.md"}
	local, err := filepath.Glob("*.md")
	if err != nil {
		t.Fatal(err)
	}
	return append(files, local...)
}

// example is one command of a console block and the output written after it.
type example struct {
	line  int      // 1-based line of the command
	args  []string // the words after "ddbsim"
	first int      // index of the first output line in the file's lines
	end   int      // index one past the last output line
}

func TestExamples(t *testing.T) {
	for _, path := range markdownFiles(t) {
		t.Run(filepath.Base(path), func(t *testing.T) {
			t.Parallel()
			checkExamples(t, path)
		})
	}
}

func checkExamples(t *testing.T, path string) {
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(data), "\n")
	examples, err := parseConsoleBlocks(lines)
	if err != nil {
		t.Fatalf("%s:%v", path, err)
	}
	rewritten := false
	// Backwards, so that rewriting one output leaves the indices of the
	// examples before it valid.
	for _, ex := range slices.Backward(examples) {
		run, err := runDdbsim("..", ex.args, true)
		if err != nil {
			t.Errorf("%s:%d: ddbsim %s: %v", path, ex.line, strings.Join(ex.args, " "), err)
			continue
		}
		gotLines := outputLines(run.combined)
		want := lines[ex.first:ex.end]
		if matchLines(want, gotLines) {
			continue
		}
		if *update {
			lines = slices.Replace(lines, ex.first, ex.end, gotLines...)
			rewritten = true
			continue
		}
		t.Errorf("%s:%d: ddbsim %s: the output differs from the example (go test ./docs -update rewrites it)\n%s",
			path, ex.line, strings.Join(ex.args, " "), lineDiff(want, gotLines))
	}
	if rewritten {
		if err := os.WriteFile(path, []byte(strings.Join(lines, "\n")), 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("%s: rewrote outputs", path)
	}
}

// parseConsoleBlocks finds the commands of every ```console block.
func parseConsoleBlocks(lines []string) ([]example, error) {
	var examples []example
	inConsole, inOther := false, false
	for i, line := range lines {
		trimmed := strings.TrimSpace(line)
		switch {
		case inOther:
			if strings.HasPrefix(trimmed, "```") {
				inOther = false
			}
			continue
		case !inConsole:
			if trimmed == "```console" {
				inConsole = true
			} else if strings.HasPrefix(trimmed, "```") {
				inOther = true
			}
			continue
		}
		if strings.HasPrefix(trimmed, "```") {
			inConsole = false
			if n := len(examples); n > 0 && examples[n-1].end < 0 {
				examples[n-1].end = i
			}
			continue
		}
		if !strings.HasPrefix(line, "$ ") {
			if len(examples) == 0 || examples[len(examples)-1].end >= 0 {
				return nil, fmt.Errorf("%d: a console block must start with a command (\"$ ddbsim ...\")", i+1)
			}
			continue
		}
		if n := len(examples); n > 0 && examples[n-1].end < 0 {
			examples[n-1].end = i
		}
		words, err := splitWords(strings.TrimPrefix(line, "$ "))
		if err != nil {
			return nil, fmt.Errorf("%d: %v", i+1, err)
		}
		if len(words) == 0 || words[0] != "ddbsim" {
			return nil, fmt.Errorf("%d: console examples run ddbsim only; use a ```sh block for other commands", i+1)
		}
		examples = append(examples, example{line: i + 1, args: words[1:], first: i + 1, end: -1})
	}
	if inConsole {
		return nil, errors.New("a ```console block is not closed")
	}
	return examples, nil
}

// splitWords splits a command line into words as a shell would for plain
// words and quotes, and refuses what would need a shell.
func splitWords(s string) ([]string, error) {
	var words []string
	var word strings.Builder
	inWord := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch c {
		case ' ', '\t':
			if inWord {
				words = append(words, word.String())
				word.Reset()
				inWord = false
			}
		case '\'', '"':
			end := strings.IndexByte(s[i+1:], c)
			if end < 0 {
				return nil, fmt.Errorf("unclosed %c in %q", c, s)
			}
			word.WriteString(s[i+1 : i+1+end])
			i += end + 1
			inWord = true
		case '|', '>', '<', ';', '&', '$', '`', '#', '*':
			return nil, fmt.Errorf("%q needs a shell (%c); a console example is one plain command", s, c)
		default:
			word.WriteByte(c)
			inWord = true
		}
	}
	if inWord {
		words = append(words, word.String())
	}
	return words, nil
}

// transcript is what one run of ddbsim printed, and how it ended.
type transcript struct {
	combined string // standard output and standard error, in the order written (merged runs)
	stdout   string // separate runs only
	stderr   string // separate runs only
	exitCode int
}

// runDdbsim runs the built binary in dir. merged sends standard output and
// standard error down one pipe, so that the transcript keeps the order in
// which they were written; otherwise each is kept apart. A non-zero exit is
// part of the transcript; failing to start or finish is an error.
func runDdbsim(dir string, args []string, merged bool) (transcript, error) {
	ctx, cancel := context.WithTimeout(context.Background(), commandTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, ddbsimBinary, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "NO_COLOR=1")
	var all, outOnly, errOnly bytes.Buffer
	if merged {
		// The same writer for both: os/exec then gives the child one
		// pipe, and the interleaving is the child's own.
		cmd.Stdout, cmd.Stderr = &all, &all
	} else {
		cmd.Stdout, cmd.Stderr = &outOnly, &errOnly
	}
	err := cmd.Run()
	if ctx.Err() != nil {
		return transcript{}, fmt.Errorf("did not finish within %v", commandTimeout)
	}
	code := 0
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		code, err = exit.ExitCode(), nil
	}
	if err != nil {
		return transcript{}, err
	}
	return transcript{all.String(), outOnly.String(), errOnly.String(), code}, nil
}

// outputLines splits a command's output into lines without the final
// newline's empty line, trailing spaces removed.
func outputLines(s string) []string {
	s = strings.TrimSuffix(s, "\n")
	if s == "" {
		return nil
	}
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " \t")
	}
	return lines
}

// elidedLines and elidedText are the two elisions an expected output may use.
const (
	elidedLines = "..."
	elidedText  = "[...]"
)

// matchLines reports whether got is what want describes.
func matchLines(want, got []string) bool {
	if len(want) == 0 {
		return len(got) == 0
	}
	if strings.TrimSpace(want[0]) == elidedLines {
		for skip := 0; skip <= len(got); skip++ {
			if matchLines(want[1:], got[skip:]) {
				return true
			}
		}
		return false
	}
	return len(got) > 0 && matchLine(want[0], got[0]) && matchLines(want[1:], got[1:])
}

// matchLine compares one line, where [...] in want stands for any text.
func matchLine(want, got string) bool {
	want = strings.TrimRight(want, " \t")
	pieces := strings.Split(want, elidedText)
	if len(pieces) == 1 {
		return want == got
	}
	if !strings.HasPrefix(got, pieces[0]) {
		return false
	}
	rest := got[len(pieces[0]):]
	last := pieces[len(pieces)-1]
	for _, p := range pieces[1 : len(pieces)-1] {
		i := strings.Index(rest, p)
		if i < 0 {
			return false
		}
		rest = rest[i+len(p):]
	}
	return strings.HasSuffix(rest, last)
}

// lineDiff shows the two outputs line by line from their first difference.
func lineDiff(want, got []string) string {
	i := 0
	for i < len(want) && i < len(got) && matchLine(want[i], got[i]) {
		i++
	}
	var b strings.Builder
	fmt.Fprintf(&b, "first difference at output line %d\n--- documented\n", i+1)
	for _, l := range want[i:min(len(want), i+8)] {
		fmt.Fprintf(&b, "  %s\n", l)
	}
	b.WriteString("+++ printed\n")
	for _, l := range got[i:min(len(got), i+8)] {
		fmt.Fprintf(&b, "  %s\n", l)
	}
	return b.String()
}

// errorsTableHeader opens the table TestErrorsTable checks.
const errorsTableHeader = "| bad input | command | message |"

// errorsDir is where the commands of the errors table run, holding the
// scenario files they name.
const errorsDir = "testdata/errors"

// testTimeFiles are the inputs of the errors table that git cannot hold,
// made in errorsDir before the rows run and removed after: a FIFO that
// no process writes.
func makeTestTimeFiles(t *testing.T) {
	fifo := filepath.Join(errorsDir, "no-writer.fifo")
	os.Remove(fifo) // left by an interrupted test
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Fatalf("making %s: %v", fifo, err)
	}
	t.Cleanup(func() { os.Remove(fifo) })
}

func TestErrorsTable(t *testing.T) {
	const path = "errors.md"
	makeTestTimeFiles(t)
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(data), "\n")
	header := slices.Index(lines, errorsTableHeader)
	if header < 0 {
		t.Fatalf("%s: no table headed %q", path, errorsTableHeader)
	}
	rows := 0
	rewritten := false
	for i := header + 2; i < len(lines) && strings.HasPrefix(lines[i], "|"); i++ {
		rows++
		cells := splitRow(lines[i])
		if len(cells) != 3 {
			t.Errorf("%s:%d: expected 3 cells, got %d", path, i+1, len(cells))
			continue
		}
		command := codeSpans(cells[1])
		if len(command) != 1 {
			t.Errorf("%s:%d: the command cell must be one code span", path, i+1)
			continue
		}
		words, err := splitWords(command[0])
		if err != nil || len(words) == 0 || words[0] != "ddbsim" {
			t.Errorf("%s:%d: the command must be a plain `ddbsim ...` (%v)", path, i+1, err)
			continue
		}
		run, err := runDdbsim(errorsDir, words[1:], false)
		if err != nil {
			t.Errorf("%s:%d: %s: %v", path, i+1, command[0], err)
			continue
		}
		if run.stdout != "" {
			t.Errorf("%s:%d: %s: printed on standard output:\n%s", path, i+1, command[0], run.stdout)
		}
		if run.exitCode != 2 {
			t.Errorf("%s:%d: %s: exit status %d, want 2", path, i+1, command[0], run.exitCode)
		}
		got := outputLines(run.stderr)
		if matchLines(codeSpans(cells[2]), got) {
			continue
		}
		if *update {
			lines[i] = "| " + cells[0] + " | " + cells[1] + " | " + messageCell(got) + " |"
			rewritten = true
			continue
		}
		t.Errorf("%s:%d: %s: the message differs (go test ./docs -update rewrites it)\n%s",
			path, i+1, command[0], lineDiff(codeSpans(cells[2]), got))
	}
	if rows == 0 {
		t.Errorf("%s: the errors table has no rows", path)
	}
	if rewritten {
		if err := os.WriteFile(path, []byte(strings.Join(lines, "\n")), 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("%s: rewrote messages", path)
	}
}

// splitRow splits a Markdown table row into its cells, trimmed, keeping
// an escaped \| inside a cell.
func splitRow(row string) []string {
	row = strings.TrimSpace(row)
	row = strings.TrimPrefix(row, "|")
	row = strings.TrimSuffix(row, "|")
	var cells []string
	var cell strings.Builder
	for i := 0; i < len(row); i++ {
		switch {
		case row[i] == '\\' && i+1 < len(row) && row[i+1] == '|':
			cell.WriteString(`\|`)
			i++
		case row[i] == '|':
			cells = append(cells, strings.TrimSpace(cell.String()))
			cell.Reset()
		default:
			cell.WriteByte(row[i])
		}
	}
	return append(cells, strings.TrimSpace(cell.String()))
}

// codeSpans returns the texts of a cell made of code spans joined by <br>,
// unescaping \| as GitHub's tables do.
func codeSpans(cell string) []string {
	var spans []string
	for _, part := range strings.Split(cell, "<br>") {
		part = strings.TrimSpace(part)
		ticks := len(part) - len(strings.TrimLeft(part, "`"))
		if ticks == 0 || !strings.HasSuffix(part, strings.Repeat("`", ticks)) || len(part) < 2*ticks {
			spans = append(spans, part) // not a code span: compared as written
			continue
		}
		text := part[ticks : len(part)-ticks]
		if ticks > 1 {
			text = strings.TrimPrefix(strings.TrimSuffix(text, " "), " ")
		}
		spans = append(spans, strings.ReplaceAll(text, `\|`, "|"))
	}
	return spans
}

// messageCell writes a message's lines as code spans joined by <br>.
func messageCell(lines []string) string {
	spans := make([]string, len(lines))
	for i, l := range lines {
		l = strings.ReplaceAll(l, "|", `\|`)
		if strings.Contains(l, "`") {
			spans[i] = "`` " + l + " ``"
		} else {
			spans[i] = "`" + l + "`"
		}
	}
	return strings.Join(spans, "<br>")
}

func TestMatchLines(t *testing.T) {
	got := []string{"a", "b 12 c", "d", "e"}
	for _, tc := range []struct {
		want []string
		ok   bool
	}{
		{[]string{"a", "b 12 c", "d", "e"}, true},
		{[]string{"a", "...", "e"}, true},
		{[]string{"...", "a", "b 12 c", "d", "e"}, true},
		{[]string{"a", "b [...] c", "..."}, true},
		{[]string{"a", "b [...] d", "..."}, false},
		{[]string{"a", "b 12 c", "d"}, false},
		{[]string{"a", "...", "x"}, false},
	} {
		if ok := matchLines(tc.want, got); ok != tc.ok {
			t.Errorf("matchLines(%q) = %v, want %v", tc.want, ok, tc.ok)
		}
	}
}

func TestSplitWords(t *testing.T) {
	words, err := splitWords(`compare steady --slo "throttled_ratio < 0.1%" --json -`)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"compare", "steady", "--slo", "throttled_ratio < 0.1%", "--json", "-"}
	if !slices.Equal(words, want) {
		t.Errorf("splitWords = %q, want %q", words, want)
	}
	if _, err := splitWords("run | head"); err == nil {
		t.Error("a pipe was accepted")
	}
}

// TestREADMEScenarioIsTheLibraryFile checks that the scenario the README
// shows is the built-in one whose output it shows: the README's first
// ```yaml block is web-backend.yaml without its header comment.
func TestREADMEScenarioIsTheLibraryFile(t *testing.T) {
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, after, ok := strings.Cut(string(readme), "\n```yaml\n")
	if !ok {
		t.Fatal("README.md has no ```yaml block")
	}
	shown, _, _ := strings.Cut(after, "\n```")
	library, err := os.ReadFile("../scenarios/library/web-backend.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := scenarioLines(shown), scenarioLines(string(library)); !slices.Equal(got, want) {
		t.Errorf("README.md's scenario differs from scenarios/library/web-backend.yaml\n%s", lineDiff(got, want))
	}
}

// scenarioLines drops blank lines and lines holding only a comment.
func scenarioLines(s string) []string {
	var lines []string
	for _, l := range strings.Split(s, "\n") {
		if t := strings.TrimSpace(l); t != "" && !strings.HasPrefix(t, "#") {
			lines = append(lines, strings.TrimRight(l, " \t"))
		}
	}
	return lines
}

// TestImportWalkThroughScenario keeps docs/testdata/import/orders.yaml, the
// scenario import.md's walk-through compares, the one its import writes.
// go test ./docs -update rewrites it.
func TestImportWalkThroughScenario(t *testing.T) {
	const dir = "testdata/import/"
	args := []string{"import"}
	for _, f := range []string{"describe-table.json", "ttl.json", "queries.json", "metrics.json", "insights.json"} {
		args = append(args, "docs/"+dir+f)
	}
	run, err := runDdbsim("..", args, false)
	if err != nil {
		t.Fatal(err)
	}
	if run.exitCode != 0 {
		t.Fatalf("ddbsim %s: exit %d\n%s", strings.Join(args, " "), run.exitCode, run.stderr)
	}
	want, err := os.ReadFile(dir + "orders.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if run.stdout == string(want) {
		return
	}
	if *update {
		if err := os.WriteFile(dir+"orders.yaml", []byte(run.stdout), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	t.Errorf("%sorders.yaml is not what its import writes (go test ./docs -update rewrites it)", dir)
}
