package inputs

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
	"time"

	"github.com/ddbsim/ddbsim/scenarios"
	"github.com/ddbsim/ddbsim/workload/trace"
)

// fifoWriterWait is how long a named pipe without a writer is given one
// before it is refused: long enough for a writer started beside ddbsim
// (`cat x.yaml > fifo &`), short enough that a forgotten one does not
// hang the command.
const fifoWriterWait = 2 * time.Second

// errNoWriter is a named pipe that no process opened for writing within
// fifoWriterWait.
var errNoWriter = fmt.Errorf("a named pipe with no writer (none within %v); expected a file, or a pipe something writes into", fifoWriterWait)

// Open opens a file a command reads (a scenario, a YCSB property
// file, a trace, a price file) as scenarios.OpenFile does, except that a
// named pipe is opened without waiting: open(2) on a FIFO waits for a
// writer for ever, so it is opened O_NONBLOCK and then read until a
// writer appears (data, or EAGAIN: connected but silent) or
// fifoWriterWait passes. A pipe with a writer, such as the <(cat x.yaml)
// of a shell, is then read as any file.
func Open(path string) (trace.File, error) {
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, err
	}
	fi, err := f.Stat()
	if err != nil || fi.Mode()&fs.ModeNamedPipe == 0 {
		return f, nil // O_NONBLOCK does nothing to a regular file or a device
	}
	head, err := awaitWriter(f)
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return &pipeInput{File: f, head: head}, nil
}

// awaitWriter reads f, a FIFO opened O_NONBLOCK, without waiting, until
// a writer is there, and returns what the first read gave.
func awaitWriter(f *os.File) ([]byte, error) {
	raw, err := f.SyscallConn()
	if err != nil {
		return nil, err
	}
	buf := make([]byte, 64<<10)
	deadline := time.Now().Add(fifoWriterWait)
	for {
		var n int
		var rerr error
		if err := raw.Read(func(fd uintptr) bool {
			n, rerr = syscall.Read(int(fd), buf)
			return true // never park in the poller: EAGAIN is an answer here
		}); err != nil {
			return nil, err
		}
		switch {
		case n > 0:
			return buf[:n], nil
		case errors.Is(rerr, syscall.EAGAIN):
			return nil, nil // a writer is connected and has not written yet
		case rerr != nil && !errors.Is(rerr, syscall.EINTR):
			return nil, rerr
		case time.Now().After(deadline):
			return nil, errNoWriter
		}
		time.Sleep(10 * time.Millisecond) // no writer yet (read gave end of file)
	}
}

// pipeInput is a FIFO whose first bytes were read to find its writer.
type pipeInput struct {
	*os.File
	head []byte
}

func (p *pipeInput) Read(b []byte) (int, error) {
	if len(p.head) > 0 {
		n := copy(b, p.head)
		p.head = p.head[n:]
		return n, nil
	}
	return p.File.Read(b)
}

// ReadFile reads a whole file a command names, bounded as
// scenarios.ReadFileLimited is, opening it with Open.
func ReadFile(path, what string) ([]byte, error) {
	f, err := Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close() // read only: nothing to lose
	return scenarios.ReadAllLimited(f.(io.Reader), path, what)
}

// LoadScenario is scenarios.Load with the scenario file, and the files it
// names, opened by Open.
func LoadScenario(pathOrName string) (*scenarios.Scenario, error) {
	data, err := ReadFile(pathOrName, "a scenario file")
	if errors.Is(err, fs.ErrNotExist) {
		return scenarios.Load(pathOrName) // a built-in name, or the message for neither
	}
	if err != nil {
		return nil, err
	}
	return scenarios.ParseWith(pathOrName, data, scenarios.ParseOptions{Open: Open, Dir: filepath.Dir(pathOrName)})
}

// CheckTrace refuses a --trace that is a pipe, before anything opens
// it: a trace is read at offsets, once to check it and again to replay
// it, which a pipe cannot be (and opening a FIFO without a writer would
// wait for ever). os.Stat opens nothing.
func CheckTrace(path string) error {
	if path == "" {
		return nil
	}
	if fi, err := os.Stat(path); err == nil && fi.Mode()&fs.ModeNamedPipe != 0 {
		return fmt.Errorf("%s: a pipe; a trace is read twice, to check it and to replay it, so it must be a file (save it to one first)", path)
	}
	return nil
}

// YCSBOpener is how --ycsb FILE is read: a file that exists is read here,
// through Open, so that a problem opening it (a FIFO without a
// writer) is reported rather than taken for the name of a core workload;
// the scenario then reads it from memory.
func YCSBOpener(file string) (scenarios.Opener, error) {
	if fi, err := os.Stat(file); err != nil || fi.IsDir() {
		return Open, nil
	}
	data, err := ReadFile(file, "a YCSB property file")
	if err != nil {
		return nil, err
	}
	return func(path string) (trace.File, error) {
		if path == file {
			return memoryFile{bytes.NewReader(data)}, nil
		}
		return Open(path)
	}, nil
}

// memoryFile is a file already read, as a trace.File.
type memoryFile struct{ *bytes.Reader }

func (memoryFile) Close() error { return nil }
