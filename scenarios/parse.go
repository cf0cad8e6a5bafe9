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
	"math"
	"os"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

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
// On any problem it returns a nil Scenario and an ErrorList.
func Parse(file string, data []byte) (*Scenario, error) {
	p := &parser{file: file, seen: map[Error]bool{}}
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

// Load reads the scenario file at pathOrName or, when no such file exists,
// the built-in scenario of that name.
func Load(pathOrName string) (*Scenario, error) {
	data, err := os.ReadFile(pathOrName)
	if err == nil {
		return Parse(pathOrName, data)
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
	file string
	errs ErrorList
	seen map[Error]bool // an aliased node is walked once per alias: report it once
	work int
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

// ---- scalars ----

// scalar returns the text of a scalar node, or reports that field needs
// one (want says what kind, "a size such as 2KB").
func (p *parser) scalar(n *yaml.Node, field, want string) (string, bool) {
	if n.Kind != yaml.ScalarNode || n.ShortTag() == "!!null" {
		p.errorf(n, "%s: expected %s, got %s", field, want, describe(n))
		return "", false
	}
	return n.Value, true
}

// value parses a scalar with one of the unit parsers.
func value[T any](p *parser, n *yaml.Node, field, want string, parse func(string) (T, error)) (T, bool) {
	var zero T
	s, ok := p.scalar(n, field, want)
	if !ok {
		return zero, false
	}
	v, err := parse(s)
	if err != nil {
		p.errorf(n, "%s: %v", field, err)
		return zero, false
	}
	return v, true
}

// str returns a non-empty string.
func (p *parser) str(n *yaml.Node, field string) string {
	s, ok := p.scalar(n, field, "a string")
	if ok && strings.TrimSpace(s) == "" {
		p.errorf(n, "%s must not be empty", field)
	}
	return s
}

func (p *parser) size(n *yaml.Node, field string) (int64, bool) {
	return value(p, n, field, "a size such as 2KB", ParseSize)
}

func (p *parser) count(n *yaml.Node, field string) (int64, bool) {
	return value(p, n, field, "a count such as 1000 or 1k", ParseCount)
}

func (p *parser) rate(n *yaml.Node, field string) (float64, bool) {
	return value(p, n, field, "a rate such as 500/s", ParseRate)
}

func (p *parser) percent(n *yaml.Node, field string) (float64, bool) {
	return value(p, n, field, "a percentage such as 70%", ParsePercent)
}

// atLeast parses a count that must be at least min.
func (p *parser) atLeast(n *yaml.Node, field string, min int64) int64 {
	v, ok := p.count(n, field)
	if ok && v < min {
		p.errorf(n, "%s must be at least %d", field, min)
	}
	return v
}

// itemSize parses the size of one item: positive and within the service's
// 400KB limit.
func (p *parser) itemSize(n *yaml.Node, field string) int64 {
	v, ok := p.size(n, field)
	switch {
	case !ok:
	case v < 1:
		p.errorf(n, "%s must be positive", field)
	case v > maxItemSize:
		p.errorf(n, "%s: %s is larger than the service's 400KB item limit", field, n.Value)
	}
	return v
}

// duration parses a duration that must be positive.
func (p *parser) duration(n *yaml.Node, field string) time.Duration {
	d, ok := value(p, n, field, "a duration such as 90s", ParseDuration)
	if ok && d <= 0 {
		p.errorf(n, "%s must be positive, got %s", field, n.Value)
	}
	return d
}

// number parses a positive decimal such as 1.2.
func (p *parser) number(n *yaml.Node, field string) float64 {
	s, ok := p.scalar(n, field, "a number such as 1.2")
	if !ok {
		return 0
	}
	r, ok := decimal(strings.TrimPrefix(s, "-"))
	if !ok {
		p.errorf(n, "%s: expected a number such as 1.2, got %s", field, describe(n))
		return 0
	}
	f, _ := r.Float64()
	if f <= 0 || strings.HasPrefix(s, "-") {
		p.errorf(n, "%s must be greater than 0, got %s", field, s)
	}
	return f
}

// oneOf returns the value of n if it is one of valid.
func (p *parser) oneOf(n *yaml.Node, field string, valid ...string) string {
	s, ok := p.scalar(n, field, orList(valid))
	if !ok || slices.Contains(valid, s) {
		return s
	}
	if near := suggest(s, valid); near != "" {
		p.errorf(n, "%s: unknown value %q; did you mean %q?", field, s, near)
	} else {
		p.errorf(n, "%s: unknown value %q; expected %s", field, s, orList(valid))
	}
	return s
}

// orList writes "a, b or c".
func orList(items []string) string {
	if len(items) < 2 {
		return strings.Join(items, "")
	}
	return strings.Join(items[:len(items)-1], ", ") + " or " + items[len(items)-1]
}

// fmtPercent writes a fraction as a percentage without float noise.
func fmtPercent(f float64) string {
	return strconv.FormatFloat(math.Round(f*100*1e6)/1e6, 'f', -1, 64) + "%"
}

// ---- the scenario ----

var scenarioKeys = []string{
	"version", "name", "description", "seed", "duration", "region",
	"tables", "client", "latency", "workloads", "thresholds",
}

func (p *parser) scenario(root *yaml.Node) *Scenario {
	if root.Kind != yaml.MappingNode {
		p.errorf(root, "a scenario is a mapping of keys such as version: 1, not %s", describe(root))
		return nil
	}
	f, ok := p.fields(root, "the scenario", scenarioKeys...)
	if !ok {
		return nil
	}
	s := &Scenario{File: p.file, Version: 1, Region: "us-east-1"}

	// Another version may mean another schema: report it alone rather than
	// bury it under complaints about keys of a format we do not know.
	if v := p.require(f, "version", "expected version: 1"); v != nil {
		if v.Kind != yaml.ScalarNode || v.Value != "1" {
			p.errs, p.seen = nil, map[Error]bool{}
			p.errorf(v, "unsupported version %s; expected version: 1", describe(v))
			return nil
		}
	}
	if v := p.require(f, "name", ""); v != nil {
		s.Name = p.str(v, "name")
	}
	if v := f.get("description"); v != nil && v.ShortTag() != "!!null" {
		d, _ := p.scalar(v, "description", "a string")
		s.Description = strings.TrimSpace(d)
	}
	if v := f.get("seed"); v != nil {
		if str, ok := p.scalar(v, "seed", "a non-negative integer"); ok {
			seed, err := strconv.ParseUint(str, 10, 64)
			if err != nil {
				p.errorf(v, "seed: expected a non-negative integer, got %s", describe(v))
			}
			s.Seed, s.HasSeed = seed, true
		}
	}
	if v := p.require(f, "duration", "such as duration: 1h"); v != nil {
		s.Duration = p.duration(v, "duration")
	}
	if v := f.get("region"); v != nil {
		s.Region = p.str(v, "region")
	}
	if v := p.require(f, "tables", "a scenario needs at least one table"); v != nil {
		s.Tables = p.tables(v)
	}
	s.Client = Client{Retry: Retry{Policy: "sdk-v2"}, Timeout: 10 * time.Second}
	if v := f.get("client"); v != nil {
		p.client(v, &s.Client)
	}
	if v := f.get("latency"); v != nil {
		s.Latency = p.latency(v)
	}
	if v := p.require(f, "workloads", "a scenario needs at least one workload"); v != nil {
		s.Workloads = p.workloads(v, s.Tables)
	}
	if v := f.get("thresholds"); v != nil {
		s.Thresholds = p.thresholds(v)
	}
	return s
}

// ---- tables ----

var tableKeys = []string{
	"name", "partition_key", "sort_key", "mode", "read_capacity", "write_capacity",
	"autoscaling", "previous_peak", "items", "table_class",
}

func (p *parser) tables(n *yaml.Node) []Table {
	var tables []Table
	first := map[string]*yaml.Node{}
	for _, it := range p.list(n, "tables", "a scenario needs at least one table") {
		t, nameNode := p.table(it)
		if t.Name != "" {
			if prev := first[t.Name]; prev != nil {
				p.errorf(nameNode, "duplicate table name %q (first at line %d)", t.Name, prev.Line)
				continue
			}
			first[t.Name] = nameNode
		}
		tables = append(tables, t)
	}
	return tables
}

// table parses one table; it returns what it could read even when there
// are problems, so that workloads naming it are not reported too.
func (p *parser) table(n *yaml.Node) (t Table, nameNode *yaml.Node) {
	t = Table{Pos: pos(n), TableClass: "standard", Items: Items{Size: 1 << 10, PerKey: 1}}
	f, ok := p.fields(n, "table", tableKeys...)
	if !ok {
		return t, n
	}
	if nameNode = p.require(f, "name", ""); nameNode != nil {
		t.Name = p.str(nameNode, "name")
	}
	if v := p.require(f, "partition_key", "the name of its key attribute"); v != nil {
		t.PartitionKey = p.str(v, "partition_key")
	}
	if v := f.get("sort_key"); v != nil {
		t.SortKey = p.str(v, "sort_key")
	}
	if v := p.require(f, "mode", "provisioned or on-demand"); v != nil {
		t.Mode = p.oneOf(v, "mode", "provisioned", "on-demand")
	}

	// Parse what is there, then check it fits the mode.
	if v := f.get("read_capacity"); v != nil {
		t.ReadCapacity = p.atLeast(v, "read_capacity", 1) // the service's minimum
	}
	if v := f.get("write_capacity"); v != nil {
		t.WriteCapacity = p.atLeast(v, "write_capacity", 1)
	}
	if v := f.get("autoscaling"); v != nil {
		t.AutoScaling = p.autoscaling(v)
	}
	if v := f.get("previous_peak"); v != nil {
		t.PreviousPeak = p.peak(v)
	}
	switch t.Mode {
	case "provisioned":
		p.require(f, "read_capacity", "provisioned tables need read_capacity >= 1")
		p.require(f, "write_capacity", "provisioned tables need write_capacity >= 1")
		// previous_peak stays valid here: it is the table's history, which
		// decides its capacity if it is switched to on-demand
		// (REFERENCE: ondemand), as DESIGN.md's example shows.
	case "on-demand":
		p.onlyFor(f, "provisioned", "on-demand", "read_capacity", "write_capacity", "autoscaling")
	}

	if v := f.get("items"); v != nil {
		t.Items = p.items(v, t.SortKey != "")
	}
	if v := f.get("table_class"); v != nil {
		t.TableClass = p.oneOf(v, "table_class", "standard", "standard-ia")
	}
	return t, nameNode
}

// onlyFor reports keys that belong to the other capacity mode.
func (p *parser) onlyFor(f *fields, mode, this string, keys ...string) {
	for _, k := range keys {
		if kn := f.key[k]; kn != nil {
			p.errorf(kn, "%s applies only to mode: %s, and this table is %s", k, mode, this)
		}
	}
}

func (p *parser) autoscaling(n *yaml.Node) *AutoScaling {
	f, ok := p.fields(n, "autoscaling", "target", "min", "max")
	if !ok {
		return nil
	}
	a := &AutoScaling{Target: 0.7} // the usual target (REFERENCE: provisioned)
	if v := f.get("target"); v != nil {
		if t, ok := p.percent(v, "autoscaling.target"); ok {
			a.Target = t
			// The service accepts target utilisation 20-90% (REFERENCE: provisioned).
			if t < 0.2 || t > 0.9 {
				p.errorf(v, "autoscaling.target must be between 20%% and 90%%, got %s", v.Value)
			}
		}
	}
	minNode := p.require(f, "min", "the least capacity, at least 1")
	maxNode := p.require(f, "max", "the most capacity")
	if minNode != nil {
		a.Min = p.atLeast(minNode, "autoscaling.min", 1)
	}
	if maxNode != nil {
		a.Max = p.atLeast(maxNode, "autoscaling.max", 1)
	}
	if minNode != nil && maxNode != nil && a.Min > a.Max && a.Max >= 1 {
		p.errorf(minNode, "autoscaling.min (%d) is greater than max (%d)", a.Min, a.Max)
	}
	return a
}

func (p *parser) peak(n *yaml.Node) *Peak {
	f, ok := p.fields(n, "previous_peak", "reads", "writes")
	if !ok {
		return nil
	}
	pk := &Peak{}
	if v := f.get("reads"); v != nil {
		pk.Reads, _ = p.rate(v, "previous_peak.reads")
	}
	if v := f.get("writes"); v != nil {
		pk.Writes, _ = p.rate(v, "previous_peak.writes")
	}
	return pk
}

func (p *parser) items(n *yaml.Node, hasSortKey bool) Items {
	it := Items{Size: 1 << 10, PerKey: 1}
	f, ok := p.fields(n, "items", "count", "size", "per_key")
	if !ok {
		return it
	}
	if v := f.get("count"); v != nil {
		it.Count, _ = p.count(v, "items.count")
	}
	if v := f.get("size"); v != nil {
		it.Size = p.itemSize(v, "items.size")
	}
	if v := f.get("per_key"); v != nil {
		it.PerKey = p.atLeast(v, "items.per_key", 1)
		if it.PerKey > 1 && !hasSortKey {
			p.errorf(v, "items.per_key: a table without a sort_key holds one item per key")
		}
	}
	return it
}

// ---- client and latency ----

func (p *parser) client(n *yaml.Node, c *Client) {
	f, ok := p.fields(n, "client", "retry", "timeout")
	if !ok {
		return
	}
	if v := f.get("retry"); v != nil {
		c.Retry = p.retry(v)
	}
	if v := f.get("timeout"); v != nil {
		c.Timeout = p.duration(v, "client.timeout")
	}
}

func (p *parser) retry(n *yaml.Node) Retry {
	if n.Kind == yaml.ScalarNode {
		return Retry{Policy: p.oneOf(n, "client.retry", "sdk-v2", "legacy", "none")}
	}
	if n.Kind != yaml.MappingNode {
		p.errorf(n, "client.retry: expected sdk-v2, legacy, none or a mapping {max_attempts, base, max_backoff}, got %s", describe(n))
		return Retry{}
	}
	r := Retry{Policy: "custom"}
	f, ok := p.fields(n, "client.retry", "max_attempts", "base", "max_backoff")
	if !ok {
		return r
	}
	if v := p.require(f, "max_attempts", "attempts in all, first one included"); v != nil {
		m := p.atLeast(v, "client.retry.max_attempts", 1)
		if m > math.MaxInt32 {
			p.errorf(v, "client.retry.max_attempts is too large")
		} else {
			r.MaxAttempts = int(m)
		}
	}
	if v := p.require(f, "base", "the first backoff, such as 50ms"); v != nil {
		r.Base = p.duration(v, "client.retry.base")
	}
	if v := p.require(f, "max_backoff", "the longest backoff, such as 20s"); v != nil {
		r.MaxBackoff = p.duration(v, "client.retry.max_backoff")
		if r.Base > 0 && r.MaxBackoff > 0 && r.MaxBackoff < r.Base {
			p.errorf(v, "client.retry.max_backoff (%s) is less than base (%s)", r.MaxBackoff, r.Base)
		}
	}
	return r
}

func (p *parser) latency(n *yaml.Node) map[string]LatencySpec {
	ps, ok := p.pairs(n, "latency")
	if !ok {
		return nil
	}
	out := map[string]LatencySpec{}
	for _, kv := range ps {
		op := kv.key.Value
		if !slices.Contains(operations, op) {
			p.unknown(kv.key, "operation", "latency", operations)
			continue
		}
		label := "latency." + op
		f, ok := p.fields(kv.val, label, "median", "p99")
		if !ok {
			continue
		}
		var l LatencySpec
		if v := p.require(f, "median", "such as 2.5ms"); v != nil {
			l.Median = p.duration(v, label+".median")
		}
		if v := p.require(f, "p99", "such as 10ms"); v != nil {
			l.P99 = p.duration(v, label+".p99")
			if l.Median > 0 && l.P99 > 0 && l.P99 < l.Median {
				p.errorf(v, "%s.p99 (%s) is less than median (%s)", label, l.P99, l.Median)
			}
		}
		out[op] = l
	}
	return out
}

// ---- workloads ----

var workloadKeys = []string{
	"name", "table", "rate", "arrival", "stages", "mix", "keys", "item_size",
	"consistency", "query_limit",
}

func (p *parser) workloads(n *yaml.Node, tables []Table) []Workload {
	byName := map[string]*Table{}
	var names []string
	for i := range tables {
		if _, dup := byName[tables[i].Name]; !dup && tables[i].Name != "" {
			byName[tables[i].Name] = &tables[i]
			names = append(names, tables[i].Name)
		}
	}
	var out []Workload
	first := map[string]*yaml.Node{}
	for _, it := range p.list(n, "workloads", "a scenario needs at least one workload") {
		w, nameNode := p.workload(it, byName, names)
		if w.Name != "" {
			if prev := first[w.Name]; prev != nil {
				p.errorf(nameNode, "duplicate workload name %q (first at line %d)", w.Name, prev.Line)
				continue
			}
			first[w.Name] = nameNode
		}
		out = append(out, w)
	}
	return out
}

func (p *parser) workload(n *yaml.Node, tables map[string]*Table, names []string) (w Workload, nameNode *yaml.Node) {
	w = Workload{Pos: pos(n), Arrival: "poisson", Consistency: "eventual"}
	f, ok := p.fields(n, "workload", workloadKeys...)
	if !ok {
		return w, n
	}
	if nameNode = p.require(f, "name", ""); nameNode != nil {
		w.Name = p.str(nameNode, "name")
	}
	var table *Table
	if v := p.require(f, "table", "the name of one of the tables"); v != nil {
		w.Table = p.str(v, "table")
		table = tables[w.Table]
		// With no table read at all, that problem is already reported.
		if table == nil && w.Table != "" && len(names) > 0 {
			if s := suggest(w.Table, names); s != "" {
				p.errorf(v, "table: no table named %q; did you mean %q?", w.Table, s)
			} else {
				p.errorf(v, "table: no table named %q (tables: %s)", w.Table, strings.Join(names, ", "))
			}
		}
	}
	// A workload made of stages may ramp from zero; otherwise it needs a rate.
	if v := f.get("rate"); v != nil {
		w.Rate, _ = p.rate(v, "rate")
	} else if f.get("stages") == nil {
		p.require(f, "rate", "such as rate: 500/s")
	}
	if v := f.get("arrival"); v != nil {
		w.Arrival = p.oneOf(v, "arrival", "poisson", "constant")
	}
	if v := f.get("stages"); v != nil {
		w.Stages = p.stages(v)
	}
	w.Mix = []MixEntry{{Op: "get", Weight: 1}}
	if v := f.get("mix"); v != nil {
		w.Mix = p.mix(v)
	}
	w.Keys = p.keys(f, table)
	w.ItemSize = ItemSize{Distribution: "fixed", Fixed: 1 << 10}
	if table != nil {
		w.ItemSize.Fixed = table.Items.Size
	}
	if v := f.get("item_size"); v != nil {
		w.ItemSize = p.itemSizeSpec(v)
	}
	if v := f.get("consistency"); v != nil {
		w.Consistency = p.oneOf(v, "consistency", "eventual", "strong")
	}
	if v := f.get("query_limit"); v != nil {
		w.QueryLimit, _ = p.count(v, "query_limit")
	}
	return w, nameNode
}

func (p *parser) stages(n *yaml.Node) []Stage {
	var out []Stage
	for _, it := range p.list(n, "stages", "") {
		f, ok := p.fields(it, "stage", "for", "rate")
		if !ok {
			continue
		}
		var st Stage
		if v := p.require(f, "for", "how long the ramp takes, such as 2m"); v != nil {
			st.For = p.duration(v, "stages.for")
		}
		if v := p.require(f, "rate", "the rate reached at its end, such as 500/s"); v != nil {
			st.Rate, _ = p.rate(v, "stages.rate")
		}
		out = append(out, st)
	}
	return out
}

// mix reads operation weights; they must sum to 100% (within 0.01%) and are
// then normalised to sum to exactly 1.
func (p *parser) mix(n *yaml.Node) []MixEntry {
	before := len(p.errs)
	ps, ok := p.pairs(n, "mix")
	if !ok {
		return nil
	}
	var out []MixEntry
	// A duplicate operation already explains a wrong sum.
	sum, allParsed := 0.0, len(p.errs) == before
	for _, kv := range ps {
		op := kv.key.Value
		if !slices.Contains(operations, op) {
			p.unknown(kv.key, "operation", "mix", operations)
			allParsed = false
			continue
		}
		w, ok := p.percent(kv.val, "mix."+op)
		if !ok {
			allParsed = false
			continue
		}
		sum += w
		out = append(out, MixEntry{Op: op, Weight: w})
	}
	if !allParsed {
		return out
	}
	if math.Abs(sum-1) > 0.0001 {
		p.errorf(n, "mix: weights sum to %s; they must sum to 100%%", fmtPercent(sum))
		return out
	}
	for i := range out {
		out[i].Weight /= sum
	}
	return out
}

func (p *parser) keys(wf *fields, table *Table) Keys {
	k := Keys{Distribution: "uniform"}
	at := wf.node // where a missing count is reported
	var f *fields
	if n := wf.get("keys"); n != nil {
		var ok bool
		if f, ok = p.fields(n, "keys", "distribution", "exponent", "count"); !ok {
			return k
		}
		at = n
	}
	if f != nil {
		if v := f.get("distribution"); v != nil {
			k.Distribution = p.oneOf(v, "keys.distribution", "uniform", "zipf")
		}
		if v := f.get("exponent"); v != nil {
			if k.Distribution == "zipf" {
				k.Exponent = p.number(v, "keys.exponent")
			} else {
				p.errorf(f.key["exponent"], "keys.exponent applies only to distribution: zipf")
			}
		}
		if v := f.get("count"); v != nil {
			k.Count = p.atLeast(v, "keys.count", 1)
		}
	}
	if k.Distribution == "zipf" && k.Exponent == 0 {
		k.Exponent = 0.99 // YCSB's default skew
	}
	if k.Count == 0 && table != nil {
		k.Count = table.Items.Count
		if k.Count == 0 {
			p.errorAt(at.Line, at.Column, "keys.count is required when the table has no items")
		}
	}
	return k
}

func (p *parser) itemSizeSpec(n *yaml.Node) ItemSize {
	if n.Kind == yaml.ScalarNode {
		return ItemSize{Distribution: "fixed", Fixed: p.itemSize(n, "item_size")}
	}
	if n.Kind != yaml.MappingNode {
		p.errorf(n, "item_size: expected a size such as 2KB or a mapping such as {distribution: lognormal, median: 1KB, p99: 8KB}, got %s", describe(n))
		return ItemSize{}
	}
	f, ok := p.fields(n, "item_size", "distribution", "size", "median", "p99")
	if !ok {
		return ItemSize{}
	}
	var is ItemSize
	if v := p.require(f, "distribution", "fixed or lognormal"); v != nil {
		is.Distribution = p.oneOf(v, "item_size.distribution", "fixed", "lognormal")
	}
	switch is.Distribution {
	case "fixed":
		p.onlyWith(f, "lognormal", "median", "p99")
		if v := p.require(f, "size", "such as size: 2KB"); v != nil {
			is.Fixed = p.itemSize(v, "item_size.size")
		}
	case "lognormal":
		p.onlyWith(f, "fixed", "size")
		median := p.require(f, "median", "such as median: 1KB")
		p99 := p.require(f, "p99", "such as p99: 8KB")
		if median != nil {
			is.Median = p.itemSize(median, "item_size.median")
		}
		if p99 != nil {
			is.P99 = p.itemSize(p99, "item_size.p99")
		}
		if is.Median > 0 && is.P99 > 0 && is.P99 < is.Median {
			p.errorf(p99, "item_size.p99 (%s) is less than median (%s)", p99.Value, median.Value)
		}
	}
	return is
}

// onlyWith reports item_size keys that belong to the other distribution.
func (p *parser) onlyWith(f *fields, dist string, keys ...string) {
	for _, k := range keys {
		if kn := f.key[k]; kn != nil {
			p.errorf(kn, "item_size.%s applies only to distribution: %s", k, dist)
		}
	}
}

// ---- thresholds ----

// thresholdMetrics are the result metrics an SLO may test; ratios accept
// percentages.
var thresholdMetrics = []string{
	"throttled_ratio", "error_ratio", "p50_ms", "p90_ms", "p99_ms", "p999_ms",
	"max_ms", "mean_ms", "throttle_events", "retries",
}

func (p *parser) thresholds(n *yaml.Node) []Threshold {
	ps, ok := p.pairs(n, "thresholds")
	if !ok {
		return nil
	}
	var out []Threshold
	for _, kv := range ps {
		metric := kv.key.Value
		if !slices.Contains(thresholdMetrics, metric) {
			p.unknown(kv.key, "metric", "thresholds", thresholdMetrics)
			continue
		}
		expr, ok := p.scalar(kv.val, metric, `a comparison such as "< 20"`)
		if !ok {
			continue
		}
		op, v, err := parseThreshold(expr, strings.HasSuffix(metric, "_ratio"))
		if err != nil {
			p.errorf(kv.val, "%s: %v", metric, err)
			continue
		}
		out = append(out, Threshold{Pos: pos(kv.key), Metric: metric, Expr: expr, Cmp: op, Value: v})
	}
	return out
}

// parseThreshold reads "< 20", "<= 1%", ">= 0.5". Percentages are allowed
// for ratio metrics only and become fractions.
func parseThreshold(expr string, ratio bool) (string, float64, error) {
	s := strings.TrimSpace(expr)
	var op string
	for _, o := range []string{"<=", ">=", "==", "<", ">"} {
		if rest, ok := strings.CutPrefix(s, o); ok {
			op, s = o, strings.TrimSpace(rest)
			break
		}
	}
	bad := fmt.Errorf(`bad threshold %q: expected a comparison (<, <=, >, >= or ==) and a number, such as "< 20" or "<= 1%%"`, expr)
	if op == "" {
		return "", 0, bad
	}
	if strings.HasSuffix(s, "%") {
		if !ratio {
			return "", 0, fmt.Errorf("bad threshold %q: percentages apply only to ratio metrics (throttled_ratio, error_ratio)", expr)
		}
		v, err := ParsePercent(s)
		if err != nil {
			return "", 0, bad
		}
		return op, v, nil
	}
	r, ok := decimal(s)
	if !ok {
		return "", 0, bad
	}
	v, _ := r.Float64()
	return op, v, nil
}

// ---- suggestions ----

// suggest returns the name in valid nearest to s when it is close enough
// to be a likely typo, or when s is an unambiguous prefix of one; else "".
func suggest(s string, valid []string) string {
	low := strings.ToLower(s)
	best, bestD := "", math.MaxInt
	for _, v := range valid {
		if d := editDistance(low, strings.ToLower(v)); d < bestD {
			best, bestD = v, d
		}
	}
	// Two edits catch most typos; on short words two edits change too much.
	limit := 2
	if len(s) <= 4 {
		limit = 1
	}
	if best != "" && bestD <= limit {
		return best
	}
	if len(s) >= 3 {
		var match []string
		for _, v := range valid {
			if strings.HasPrefix(strings.ToLower(v), low) {
				match = append(match, v)
			}
		}
		if len(match) == 1 {
			return match[0]
		}
	}
	return ""
}

// editDistance is the optimal-string-alignment distance: insertions,
// deletions, substitutions and transpositions of neighbours each cost 1.
func editDistance(a, b string) int {
	if len(a) > 64 || len(b) > 64 {
		return math.MaxInt // nobody mistypes a key that long; keep it cheap
	}
	ra, rb := []rune(a), []rune(b)
	// d[i][j] is the distance between ra[:i] and rb[:j].
	d := make([][]int, len(ra)+1)
	for i := range d {
		d[i] = make([]int, len(rb)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(ra); i++ {
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(ra)][len(rb)]
}
