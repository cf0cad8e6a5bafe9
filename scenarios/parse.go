package scenarios

// Parsing and strict validation of scenario files (format v1).
//
// The YAML is read into yaml.v3's node tree and walked by hand rather than
// decoded into structs, so that every problem can name the line and column
// of the node it concerns, unknown keys and duplicate keys are caught, and
// all problems of a file are reported together instead of the first alone.

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// Error is one problem in a scenario file, at the node it concerns (for a
// missing key, the mapping that lacks it).
type Error struct {
	File      string
	Line, Col int
	Msg       string
}

func (e *Error) Error() string {
	return fmt.Sprintf("%s:%d:%d: %s", e.File, e.Line, e.Col, e.Msg)
}

// ErrorList is every problem found in one file, in file order. Parse
// returns it as its error; errors.As(err, &list) retrieves it.
type ErrorList []*Error

func (l ErrorList) Error() string {
	msgs := make([]string, len(l))
	for i, e := range l {
		msgs[i] = e.Error()
	}
	return strings.Join(msgs, "\n")
}

// Unwrap lets errors.As find the first *Error too.
func (l ErrorList) Unwrap() []error {
	errs := make([]error, len(l))
	for i, e := range l {
		errs[i] = e
	}
	return errs
}

const (
	// maxErrors is how many problems a user is shown; past that they
	// usually repeat one cause.
	maxErrors = 20
	// maxCollected bounds the problems kept before sorting, so that a
	// pathological file cannot make us build an enormous list.
	maxCollected = 200
	// maxWork bounds the mapping entries and list items visited. Aliases
	// can make a small file name a huge tree; real scenarios visit a few
	// hundred.
	maxWork = 1_000_000
	// maxItemSize is the service's item size limit (REFERENCE: units).
	maxItemSize = 400 << 10
)

// Operations are the operation names of mixes, latency overrides and the
// result's operations section.
var operations = []string{
	"get", "put", "update", "delete", "query", "scan",
	"batch_get", "batch_write", "transact_get", "transact_write",
}

// Parse parses and validates a scenario file. file names it in messages.
// On any problem it returns a nil Scenario and an ErrorList. It reads no
// other file: a trace or YCSB file the scenario names is an error, the
// built-in YCSB workloads aside (ParseWith reads them).
func Parse(file string, data []byte) (*Scenario, error) {
	return ParseWith(file, data, ParseOptions{})
}

// ParseWith is Parse reading the files the scenario names (trace: FILE,
// ycsb: FILE) through o, each checked in full before it returns.
func ParseWith(file string, data []byte, o ParseOptions) (*Scenario, error) {
	p := &parser{file: file, files: o, seen: map[Error]bool{}}
	var s *Scenario
	if root := p.decode(data); root != nil {
		s = p.scenario(root)
	}
	if err := p.result(); err != nil {
		return nil, err
	}
	if s == nil { // every path to a nil scenario reports why; be safe anyway
		return nil, ErrorList{{File: file, Line: 1, Col: 1, Msg: "no scenario found"}}
	}
	return s, nil
}

// ParseNode is ParseWith on a scenario already decoded into yaml.v3's
// node tree (root: the document's mapping, or the document node holding
// it), such as one a sweep has edited: every problem names file and the
// line and column each node carries.
func ParseNode(file string, root *yaml.Node, o ParseOptions) (*Scenario, error) {
	p := &parser{file: file, files: o, seen: map[Error]bool{}}
	if root != nil && root.Kind == yaml.DocumentNode && len(root.Content) == 1 {
		root = root.Content[0]
	}
	var s *Scenario
	if root != nil {
		s = p.scenario(root)
	}
	if err := p.result(); err != nil {
		return nil, err
	}
	if s == nil {
		return nil, ErrorList{{File: file, Line: 1, Col: 1, Msg: "no scenario found"}}
	}
	return s, nil
}

// Load reads the scenario file at pathOrName or, when no such file exists,
// the built-in scenario of that name. The files a scenario file names
// are opened with OpenFile, relative to its directory.
func Load(pathOrName string) (*Scenario, error) {
	data, err := ReadFileLimited(pathOrName, "a scenario file")
	if err == nil {
		return ParseWith(pathOrName, data, ParseOptions{Open: OpenFile, Dir: filepath.Dir(pathOrName)})
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return nil, err // a directory, a permission problem: say so plainly
	}
	if _, ok := BuiltinSource(pathOrName); ok {
		return Builtin(pathOrName)
	}
	var names []string
	for _, e := range List() {
		names = append(names, e.Name)
	}
	msg := fmt.Sprintf("open %s: no such file, and no built-in scenario named %s (ddbsim list shows them)", pathOrName, pathOrName)
	if s := suggest(pathOrName, names); s != "" {
		msg += fmt.Sprintf("; did you mean %q?", s)
	}
	return nil, errors.New(msg)
}

// parser collects the problems of one file.
type parser struct {
	file  string
	files ParseOptions // how the files the scenario names are read
	errs  ErrorList
	notes []string       // what the scenario asks for that ddbsim approximates
	seen  map[Error]bool // an aliased node is walked once per alias: report it once
	work  int
	// region is the scenario's region, once read: global tables' home.
	region string
	// quotas are the capacities read so far that must fit the per-table
	// quotas, which the service: mapping, read after the tables, may
	// raise (parse_limits.go).
	quotas []quotaCheck
	// seriesSteps counts the steps of every series read so far, which
	// MaxSeriesSteps bounds (parse_series.go).
	seriesSteps int
}

func (p *parser) errorAt(line, col int, format string, args ...any) {
	e := Error{File: p.file, Line: line, Col: col, Msg: fmt.Sprintf(format, args...)}
	if len(p.errs) >= maxCollected || p.seen[e] {
		return
	}
	p.seen[e] = true
	p.errs = append(p.errs, &e)
}

func (p *parser) errorf(n *yaml.Node, format string, args ...any) {
	p.errorAt(n.Line, n.Column, format, args...)
}

// spend accounts for visiting n more nodes and reports false once the
// budget is gone.
func (p *parser) spend(n int) bool {
	p.work += n
	if p.work > maxWork {
		if p.work-n <= maxWork {
			p.errorAt(1, 1, "the file is too large or uses too many aliases")
		}
		return false
	}
	return true
}

// result returns the problems found, sorted and capped, or nil.
func (p *parser) result() error {
	if len(p.errs) == 0 {
		return nil
	}
	slices.SortStableFunc(p.errs, func(a, b *Error) int {
		return cmp.Or(cmp.Compare(a.Line, b.Line), cmp.Compare(a.Col, b.Col))
	})
	if len(p.errs) > maxErrors {
		last := p.errs[maxErrors-1]
		p.errs = append(p.errs[:maxErrors:maxErrors],
			&Error{File: p.file, Line: last.Line, Col: last.Col, Msg: "too many errors"})
	}
	return p.errs
}

// ---- YAML ----

var (
	yamlLineMsg   = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)
	unknownAnchor = regexp.MustCompile(`unknown anchor '(.*)' referenced`)
)

// decode reads the one YAML document of data and returns its root node,
// or nil after reporting why there is none.
func (p *parser) decode(data []byte) (root *yaml.Node) {
	defer func() {
		// yaml.v3 turns its own failures into errors, but a bug in it must
		// still not crash the CLI: report it as a problem with the file.
		if r := recover(); r != nil {
			p.errorAt(1, 1, "cannot read YAML: %v", r)
			root = nil
		}
	}()
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if err == io.EOF {
			p.errorAt(1, 1, "the file is empty; a scenario starts with version: 1")
		} else {
			p.syntaxError(err, data)
		}
		return nil
	}
	var extra yaml.Node
	switch err := dec.Decode(&extra); {
	case err == io.EOF:
	case err != nil:
		p.syntaxError(err, data)
		return nil
	case len(extra.Content) == 1 && extra.Content[0].ShortTag() != "!!null":
		p.errorf(extra.Content[0], "a scenario file holds one YAML document; this is a second one")
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) != 1 {
		p.errorAt(1, 1, "no scenario found; a scenario starts with version: 1")
		return nil
	}
	return doc.Content[0]
}

// syntaxError reports a yaml.v3 error. yaml.v3 gives no column, and its
// line is where the enclosing construct began (counted from 0 for parser
// errors, from 1 for scanner errors), which is often well before the
// problem. So we look for the shortest whole-line prefix of the file that
// fails with the same problem, and report its last line.
func (p *parser) syntaxError(err error, data []byte) {
	msg, line, col := err.Error(), 1, 1
	if m := yamlLineMsg.FindStringSubmatch(msg); m != nil {
		line, _ = strconv.Atoi(m[1])
		msg = m[2]
	} else {
		msg = strings.TrimPrefix(msg, "yaml: ")
	}
	if m := unknownAnchor.FindStringSubmatch(msg); m != nil {
		if i := bytes.Index(data, []byte("*"+m[1])); i >= 0 {
			line = 1 + bytes.Count(data[:i], []byte("\n"))
			col = i - bytes.LastIndexByte(data[:i], '\n')
		}
	} else {
		line = failingLine(data, msg, max(line, 1))
	}
	p.errorAt(line, col, "invalid YAML: %s", msg)
}

// failingLine returns the first line, from line `from` on, at which the
// prefix of data up to that line's end fails with the problem msg. It
// binary-searches, assuming that once a prefix shows the problem longer
// ones do too (parsing stops at the first problem); that keeps it to
// O(log lines) parses.
func failingLine(data []byte, msg string, from int) int {
	var ends []int // ends[i] is the offset just past line i+1
	for i, c := range data {
		if c == '\n' {
			ends = append(ends, i+1)
		}
	}
	if len(ends) == 0 || ends[len(ends)-1] != len(data) {
		ends = append(ends, len(data))
	}
	if from > len(ends) { // a problem at the very end
		return len(ends)
	}
	k := sort.Search(len(ends)-(from-1), func(i int) bool {
		return sameProblem(yamlError(data[:ends[from-1+i]]), msg)
	})
	return from + k
}

// sameProblem reports whether err is a yaml.v3 error with problem msg.
func sameProblem(err error, msg string) bool {
	if err == nil {
		return false
	}
	got := err.Error()
	if m := yamlLineMsg.FindStringSubmatch(got); m != nil {
		return m[2] == msg
	}
	return strings.TrimPrefix(got, "yaml: ") == msg
}

// yamlError returns the first error met decoding every document of data.
func yamlError(data []byte) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%v", r)
		}
	}()
	dec := yaml.NewDecoder(bytes.NewReader(data))
	for {
		var n yaml.Node
		if err := dec.Decode(&n); err != nil {
			if err == io.EOF {
				return nil
			}
			return err
		}
	}
}

// resolve follows an alias (*name) to the node it names.
func resolve(n *yaml.Node) *yaml.Node {
	for i := 0; i < 10 && n.Kind == yaml.AliasNode && n.Alias != nil; i++ {
		n = n.Alias
	}
	return n
}

// describe names what a node is, for "expected X, got Y" messages.
func describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		if n.ShortTag() == "!!null" {
			return "an empty value"
		}
		v := n.Value
		if len(v) > 40 {
			v = v[:37] + "..."
		}
		return strconv.Quote(v)
	}
	return "something else"
}

func pos(n *yaml.Node) Pos { return Pos{Line: n.Line, Col: n.Column} }

// pair is one key: value entry of a mapping, aliases resolved.
type pair struct{ key, val *yaml.Node }

// pairs returns the entries of the mapping n in file order. It reports a
// node that is not a mapping, keys that are not names, and duplicate keys
// (keeping the first). label names the mapping in messages ("table").
func (p *parser) pairs(n *yaml.Node, label string) ([]pair, bool) {
	if n.Kind != yaml.MappingNode {
		p.errorf(n, "%s: expected a mapping, got %s", label, describe(n))
		return nil, false
	}
	if !p.spend(len(n.Content)/2 + 1) {
		return nil, false
	}
	first := map[string]*yaml.Node{}
	var out []pair
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := resolve(n.Content[i]), resolve(n.Content[i+1])
		switch {
		case k.Kind != yaml.ScalarNode || k.ShortTag() == "!!null":
			p.errorf(k, "keys in %s must be names, not %s", label, describe(k))
		case k.ShortTag() == "!!merge":
			p.errorf(k, "merge keys (<<) are not supported; write the keys out")
		case first[k.Value] != nil:
			p.errorf(k, "duplicate key %q in %s (first at line %d)", k.Value, label, first[k.Value].Line)
		default:
			first[k.Value] = k
			out = append(out, pair{k, v})
		}
	}
	return out, true
}

// fields is a mapping whose keys were checked against a schema.
type fields struct {
	node  *yaml.Node
	label string
	key   map[string]*yaml.Node
	val   map[string]*yaml.Node
	// guessed holds the known keys suggested for unknown ones: a missing
	// "duration" next to "duraton" is one problem, reported once.
	guessed map[string]bool
}

// get returns the value of key, or nil when it is absent.
func (f *fields) get(key string) *yaml.Node { return f.val[key] }

// fields checks that n is a mapping whose keys are all in known.
func (p *parser) fields(n *yaml.Node, label string, known ...string) (*fields, bool) {
	ps, ok := p.pairs(n, label)
	if !ok {
		return nil, false
	}
	f := &fields{node: n, label: label, key: map[string]*yaml.Node{}, val: map[string]*yaml.Node{}, guessed: map[string]bool{}}
	for _, kv := range ps {
		name := kv.key.Value
		if !slices.Contains(known, name) {
			f.guessed[p.unknown(kv.key, "key", label, known)] = true
			continue
		}
		f.key[name], f.val[name] = kv.key, kv.val
	}
	return f, true
}

// unknown reports a name that is not one of valid, suggesting a near one,
// and returns the suggestion ("" if none).
func (p *parser) unknown(n *yaml.Node, what, label string, valid []string) string {
	s := suggest(n.Value, valid)
	if s != "" {
		p.errorf(n, "unknown %s %q in %s; did you mean %q?", what, n.Value, label, s)
	} else {
		p.errorf(n, "unknown %s %q in %s (valid: %s)", what, n.Value, label, strings.Join(valid, ", "))
	}
	return s
}

// require returns the value of key, or reports at the mapping that it is
// missing. why, if not empty, says what the key should hold.
func (p *parser) require(f *fields, key, why string) *yaml.Node {
	if v := f.get(key); v != nil {
		return v
	}
	if f.guessed[key] {
		return nil
	}
	if why != "" {
		why = " (" + why + ")"
	}
	p.errorf(f.node, "%s is missing %s%s", f.label, key, why)
	return nil
}

// list returns the items of the list n, aliases resolved, and reports an
// empty list when it needs at least one item.
func (p *parser) list(n *yaml.Node, field, needs string) []*yaml.Node {
	if n.Kind != yaml.SequenceNode {
		p.errorf(n, "%s: expected a list, got %s", field, describe(n))
		return nil
	}
	if len(n.Content) == 0 && needs != "" {
		p.errorf(n, "%s is empty; %s", field, needs)
	}
	if !p.spend(len(n.Content) + 1) {
		return nil
	}
	items := make([]*yaml.Node, len(n.Content))
	for i, it := range n.Content {
		items[i] = resolve(it)
	}
	return items
}
