package diff

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/ddbsim/ddbsim/reports"
)

// Error is a result file that could not be read as a result: the file, the
// JSON path of the value at fault ("$.tables[0].partitions"; "$" for the
// whole document), and what was wrong with it.
type Error struct {
	File, Path, Problem string
}

func (e *Error) Error() string {
	if e.Path == "" {
		return e.File + ": " + e.Problem
	}
	return e.File + ": " + e.Path + ": " + e.Problem
}

// ReadFile reads the result JSON in the file at path; Decode says what it
// accepts.
func ReadFile(path string) (*reports.Result, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		var pe *os.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return nil, &Error{File: path, Problem: err.Error()}
	}
	return Decode(path, data)
}

// Decode reads data, named name in errors, as a result JSON: one object
// with a schema_version of 1 or more, every field of the type the schema
// gives it. Fields it does not know (from a later schema) are ignored, so
// that a newer result still compares; the error of a value of the wrong
// type or of malformed JSON names its path.
func Decode(name string, data []byte) (*reports.Result, error) {
	var probe any
	if err := json.Unmarshal(data, &probe); err != nil {
		return nil, jsonError(name, data, err)
	}
	if _, ok := probe.(map[string]any); !ok {
		return nil, &Error{File: name, Path: "$", Problem: "expected a result object {\"schema_version\": 1, ...}, got " + jsonKind(probe)}
	}
	var r reports.Result
	if err := json.Unmarshal(data, &r); err != nil {
		return nil, jsonError(name, data, err)
	}
	if r.SchemaVersion < 1 {
		return nil, &Error{File: name, Path: "$.schema_version", Problem: "missing or below 1: not a ddbsim result (ddbsim run --json FILE writes one)"}
	}
	return &r, nil
}

// jsonError turns encoding/json's error into an Error with the path of the
// value it stopped at.
func jsonError(name string, data []byte, err error) error {
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syntax):
		line, col := lineCol(data, syntax.Offset)
		return &Error{File: name, Path: pathAt(data, syntax.Offset),
			Problem: fmt.Sprintf("invalid JSON at line %d, column %d: %s", line, col, strings.TrimPrefix(syntax.Error(), "json: "))}
	case errors.As(err, &typ):
		return &Error{File: name, Path: pathAt(data, typ.Offset), Problem: fmt.Sprintf("expected %s, got %s", goKind(typ.Type.Kind().String()), typ.Value)}
	}
	// A truncated document ("unexpected end of JSON input").
	return &Error{File: name, Path: "$", Problem: "invalid JSON: " + strings.TrimPrefix(err.Error(), "json: ")}
}

// goKind names a Go kind as JSON does.
func goKind(kind string) string {
	switch {
	case strings.HasPrefix(kind, "int"), strings.HasPrefix(kind, "uint"), strings.HasPrefix(kind, "float"):
		return "a number"
	case kind == "string":
		return "a string"
	case kind == "bool":
		return "true or false"
	case kind == "slice", kind == "array":
		return "an array"
	case kind == "map", kind == "struct", kind == "ptr":
		return "an object"
	}
	return kind
}

func jsonKind(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case []any:
		return "an array"
	case string:
		return "a string"
	case float64:
		return "a number"
	case bool:
		return "a boolean"
	}
	return "an object"
}

// lineCol is the 1-based line and column of the byte at offset.
func lineCol(data []byte, offset int64) (line, col int) {
	offset = min(max(offset, 0), int64(len(data)))
	before := data[:offset]
	line = bytes.Count(before, []byte("\n")) + 1
	col = int(offset) - (bytes.LastIndexByte(before, '\n') + 1)
	return line, max(col, 1)
}

// pathAt is the JSON path of the innermost value of data that ends at or
// after offset: it walks the tokens up to there, keeping the keys and
// array indexes it is inside.
func pathAt(data []byte, offset int64) string {
	type frame struct {
		array   bool
		index   int
		key     string
		wantKey bool
	}
	var stack []frame
	path := func() string {
		var b strings.Builder
		b.WriteString("$")
		for _, f := range stack {
			switch {
			case f.array && f.index >= 0:
				b.WriteString("[" + strconv.Itoa(f.index) + "]")
			case !f.array && f.key != "":
				if isIdent(f.key) {
					b.WriteString("." + f.key)
				} else {
					b.WriteString("[" + strconv.Quote(f.key) + "]")
				}
			}
		}
		return b.String()
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	last := "$"
	for {
		if dec.InputOffset() >= offset && len(stack) > 0 {
			return last
		}
		tok, err := dec.Token()
		if err != nil {
			return last
		}
		if n := len(stack); n > 0 {
			top := &stack[n-1]
			if !top.array && top.wantKey {
				if k, ok := tok.(string); ok {
					top.key, top.wantKey = k, false
					continue
				}
			}
			if top.array && tok != json.Delim(']') {
				top.index++
			}
		}
		switch tok {
		case json.Delim('{'):
			last = path()
			stack = append(stack, frame{wantKey: true})
		case json.Delim('['):
			last = path()
			stack = append(stack, frame{array: true, index: -1})
		case json.Delim('}'), json.Delim(']'):
			stack = stack[:len(stack)-1]
		default:
			last = path()
		}
		if n := len(stack); n > 0 && !stack[n-1].array && tok != json.Delim('{') {
			stack[n-1].wantKey = true
		}
		if dec.InputOffset() >= offset {
			return last
		}
	}
}

func isIdent(s string) bool {
	for i, c := range s {
		if c != '_' && (c < 'a' || c > 'z') && (c < 'A' || c > 'Z') && (i == 0 || c < '0' || c > '9') {
			return false
		}
	}
	return s != ""
}

// Files reads the results in the files fileA and fileB and compares them:
// B against A.
func Files(fileA, fileB string) (*Diff, error) {
	a, err := ReadFile(fileA)
	if err != nil {
		return nil, err
	}
	b, err := ReadFile(fileB)
	if err != nil {
		return nil, err
	}
	return Compare(fileA, a, fileB, b), nil
}
