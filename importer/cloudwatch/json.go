package cloudwatch

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/ddbsim/ddbsim/scenarios"
)

// Error is input that is not what it should be:
// FILE: $.MetricDataResults[0].Values[3]: expected a number, got "x".
type Error struct {
	File string
	Path string // a JSON path ("$.Datapoints[2].Sum"), or "line L, column C" for bad JSON
	Msg  string // "expected ..., got ..."
}

func (e *Error) Error() string {
	if e.Path == "" {
		return e.File + ": " + e.Msg
	}
	return e.File + ": " + e.Path + ": " + e.Msg
}

// decode parses data as JSON into plain values (numbers as json.Number, so
// a value is read back exactly as written), bounded as every input file is.
func decode(name string, data []byte, what string) (any, error) {
	if len(data) > scenarios.MaxFileSize {
		return nil, &scenarios.TooLargeError{File: name, What: what}
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, syntaxError(name, data, err, what)
	}
	if _, err := dec.Token(); err == nil {
		off := dec.InputOffset()
		return nil, &Error{File: name, Path: lineCol(data, off), Msg: "expected the end of the file after one JSON value, got more"}
	}
	return v, nil
}

// syntaxError turns a decoding error into an Error at the line and column
// where the JSON went wrong.
func syntaxError(name string, data []byte, err error, what string) error {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return &Error{File: name, Path: lineCol(data, se.Offset), Msg: "expected " + what + " (JSON), got invalid JSON: " + se.Error()}
	}
	if errors.Is(err, io.EOF) {
		return &Error{File: name, Msg: "expected " + what + " (JSON), got an empty file"}
	}
	if errors.Is(err, io.ErrUnexpectedEOF) {
		return &Error{File: name, Path: lineCol(data, int64(len(data))), Msg: "expected " + what + " (JSON), got the end of the file in the middle of a value: is it cut short?"}
	}
	return &Error{File: name, Path: lineCol(data, int64(len(data))), Msg: "expected " + what + " (JSON), got " + err.Error()}
}

// lineCol is where the byte that made the decoder stop is: off counts the
// bytes read, that one included.
func lineCol(data []byte, off int64) string {
	off = max(min(off, int64(len(data)))-1, 0)
	line, col := 1, 1
	for _, c := range data[:off] {
		if c == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
	}
	return fmt.Sprintf("line %d, column %d", line, col)
}

// node is one value of a decoded document and the JSON path to it, so
// every complaint names where in the file it is.
type node struct {
	file string
	path string
	v    any
}

func (n node) fail(expected string) error {
	return &Error{File: n.file, Path: n.path, Msg: "expected " + expected + ", got " + describe(n.v)}
}

// describe says what a value is, briefly, for "got ..." in an error.
func describe(v any) string {
	switch v := v.(type) {
	case nil:
		return "null"
	case missing:
		return "nothing"
	case string:
		if len(v) > 40 {
			v = v[:40] + "..."
		}
		return strconv.Quote(v)
	case json.Number:
		return string(v)
	case bool:
		return strconv.FormatBool(v)
	case []any:
		return fmt.Sprintf("an array of %d", len(v))
	case map[string]any:
		return "an object"
	}
	return fmt.Sprintf("%T", v)
}

// missing stands for an absent field, so its error reads "got nothing".
type missing struct{}

func (n node) has(key string) bool {
	m, ok := n.v.(map[string]any)
	if !ok {
		return false
	}
	_, ok = m[key]
	return ok
}

func (n node) field(key string) node {
	m, _ := n.v.(map[string]any)
	v, ok := m[key]
	if !ok {
		return node{n.file, n.path + "." + key, missing{}}
	}
	return node{n.file, n.path + "." + key, v}
}

func (n node) absent() bool {
	_, ok := n.v.(missing)
	return ok || n.v == nil
}

func (n node) object(expected string) error {
	if _, ok := n.v.(map[string]any); !ok {
		return n.fail(expected)
	}
	return nil
}

// array returns the elements as nodes; an absent field is an empty array
// only if optional.
func (n node) array(expected string, optional bool) ([]node, error) {
	if optional && n.absent() {
		return nil, nil
	}
	a, ok := n.v.([]any)
	if !ok {
		return nil, n.fail(expected)
	}
	out := make([]node, len(a))
	for i, v := range a {
		out[i] = node{n.file, n.path + "[" + strconv.Itoa(i) + "]", v}
	}
	return out, nil
}

func (n node) str(expected string) (string, error) {
	s, ok := n.v.(string)
	if !ok {
		return "", n.fail(expected)
	}
	return s, nil
}

func (n node) number(expected string) (float64, error) {
	num, ok := n.v.(json.Number)
	if !ok {
		return 0, n.fail(expected)
	}
	f, err := strconv.ParseFloat(string(num), 64)
	if err != nil {
		return 0, n.fail(expected + " that fits a float64")
	}
	return f, nil
}

// timestamp reads an ISO 8601 time as the AWS CLI prints it
// ("2026-03-01T00:00:00+00:00", or with Z, or with fractional seconds).
func (n node) timestamp() (time.Time, error) {
	const expected = `an ISO 8601 time such as "2026-03-01T00:00:00+00:00"`
	s, ok := n.v.(string)
	if !ok {
		return time.Time{}, n.fail(expected)
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, n.fail(expected)
	}
	return t.UTC(), nil
}
