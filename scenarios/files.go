package scenarios

// The files a scenario names: a trace (trace: FILE) and a YCSB property
// file (ycsb: FILE). The parser reads them through an Opener it is
// handed, so that parsing bytes touches no disk unless asked to, and a
// trace's replay reopens it through the same Opener when a run starts.

import (
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"

	"github.com/ddbsim/ddbsim/workload/trace"
)

// Opener opens a file a scenario names, by its path: as written when
// absolute, else joined to ParseOptions.Dir. Parsing reads each file once
// in order; a trace replay reads its file at offsets (trace.File).
type Opener func(path string) (trace.File, error)

// OpenFile is the Opener over the operating system's files.
func OpenFile(path string) (trace.File, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err // not a nil *os.File in a non-nil interface
	}
	return f, nil
}

// ParseOptions are how ParseWith reads the files a scenario names.
type ParseOptions struct {
	// Open opens them; nil opens none, and naming one is an error (the
	// built-in YCSB workloads aside).
	Open Opener
	// Dir is the directory relative paths are read from: the scenario
	// file's. "" leaves them as written, relative to the working
	// directory.
	Dir string
}

// ErrNoFiles is what naming a file is when the parser may open none.
var ErrNoFiles = errors.New("files are not read for a scenario parsed from bytes (Load, or ParseWith with an Opener, reads them)")

// path is where a file the scenario names as name is read.
func (o ParseOptions) path(name string) string {
	if o.Dir == "" || filepath.IsAbs(name) {
		return name
	}
	return filepath.Join(o.Dir, name)
}

// open opens path with o.Open, or fails with ErrNoFiles.
func (o ParseOptions) open(path string) (trace.File, error) {
	return openWith(o.Open, path)
}

func openWith(open Opener, path string) (trace.File, error) {
	if open == nil {
		return nil, fmt.Errorf("cannot read %s: %w", path, ErrNoFiles)
	}
	return open(path)
}

// reader reads f from its start, once, at offsets as a replay will.
func reader(f trace.File) io.Reader { return io.NewSectionReader(f, 0, math.MaxInt64) }

// stream reads f once, in order when it can (a pipe cannot be read at
// offsets), for a file read whole.
func stream(f trace.File) io.Reader {
	if r, ok := f.(io.Reader); ok {
		return r
	}
	return reader(f)
}

// MaxFileSize is the most a scenario file, a YCSB property file or a
// price file may hold: far more than any such file needs (the largest
// built-in scenario is a few KB), and a bound on what reading one costs
// when the path is a device (/dev/zero) or a pipe that never ends. A
// trace is not bounded: it is read a line at a time, in constant memory.
const MaxFileSize = 16 << 20

// TooLargeError is a file past MaxFileSize: FILE: larger than 16 MiB.
type TooLargeError struct {
	File string
	What string // "a scenario file", "a YCSB property file", ...
}

func (e *TooLargeError) Error() string {
	return fmt.Sprintf("%s: larger than %d MiB; expected %s, which is at most that", e.File, MaxFileSize>>20, e.What)
}

// ReadAllLimited reads r whole, reading at most MaxFileSize+1 bytes: one
// past the limit is a *TooLargeError naming name and what it should be.
func ReadAllLimited(r io.Reader, name, what string) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxFileSize+1))
	if err != nil {
		return nil, err
	}
	if len(data) > MaxFileSize {
		return nil, &TooLargeError{File: name, What: what}
	}
	return data, nil
}

// ReadFileLimited is os.ReadFile bounded as ReadAllLimited is.
func ReadFileLimited(path, what string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close() // read only: nothing to lose
	return ReadAllLimited(f, path, what)
}
