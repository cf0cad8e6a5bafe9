package sweepout

import (
	"bytes"
	"fmt"
	"io"
	"path/filepath"
	"time"

	"github.com/ddbsim/ddbsim/advise/sweep"

	"github.com/ddbsim/ddbsim/cmd/ddbsim/internal/inputs"
	"github.com/ddbsim/ddbsim/cmd/ddbsim/internal/outfiles"
)

// Output is the --out set a sweep or merge writes a file at a time, and
// the lock it holds on --out (and on --json's directory).
type Output struct {
	staged *outfiles.Staged
	unlock func()
}

// Open checks and locks the outputs (outfiles.Check) and stages --out.
func Open(out, json string) (*Output, error) {
	unlock, err := outfiles.Check(out, json)
	if err != nil {
		return nil, err
	}
	o := &Output{unlock: unlock}
	if out != "" {
		if o.staged, err = outfiles.Stage(out); err != nil {
			unlock()
			return nil, err
		}
	}
	return o, nil
}

// Save adds a run's result to the set; without --out it keeps nothing.
func (o *Output) Save(name string, data []byte) error {
	if o.staged == nil {
		return nil
	}
	return o.staged.Write(name, data)
}

// Finish writes sweep.json and summary.txt (a shard's note when doc is a
// shard's) into the set and swaps it in; it returns both for --json and
// standard output.
func (o *Output) Finish(doc *sweep.Document) (js, text []byte, err error) {
	if js, err = sweep.Encode(doc); err != nil {
		return nil, nil, err
	}
	var b bytes.Buffer
	if doc.Shard == nil {
		err = sweep.WriteSummary(&b, doc)
	} else {
		fmt.Fprintf(&b, "shard %d of %d: %d of the sweep's %d runs; ddbsim merge combines the shards\n",
			doc.Shard.Index, doc.Shard.Count, len(doc.Runs), doc.Sweep.Runs)
	}
	for _, f := range []struct {
		name string
		data []byte
	}{{"sweep.json", js}, {"summary.txt", b.Bytes()}} {
		if err == nil {
			err = o.Save(f.name, f.data)
		}
	}
	if err == nil && o.staged != nil {
		err = o.staged.Commit()
	}
	return js, b.Bytes(), err
}

// Close drops what was staged and not committed, and releases the lock.
func (o *Output) Close() {
	if o.staged != nil {
		o.staged.Discard()
	}
	o.unlock()
}

// ReadShards reads the shards merge's arguments name (sweep.ShardDirs)
// and merges their documents.
func ReadShards(args []string) (dirs []string, docs []*sweep.Document, merged *sweep.Document, err error) {
	if dirs, err = sweep.ShardDirs(args); err != nil {
		return nil, nil, nil, err
	}
	for _, dir := range dirs {
		name := filepath.Join(dir, "sweep.json")
		data, err := inputs.ReadFile(name, "a sweep document")
		if err != nil {
			return nil, nil, nil, err
		}
		d, err := sweep.ReadDocument(name, data)
		if err != nil {
			return nil, nil, nil, err
		}
		docs = append(docs, d)
	}
	merged, err = sweep.Merge(dirs, docs)
	return dirs, docs, merged, err
}

// CopyResults adds every shard's run results to the set, one in memory
// at a time.
func (o *Output) CopyResults(dirs []string, docs []*sweep.Document) error {
	if o.staged == nil {
		return nil // no --out: no results to copy
	}
	for i, d := range docs {
		for _, r := range d.Runs {
			data, err := inputs.ReadFile(filepath.Join(dirs[i], r.Result), "a run's result")
			if err == nil {
				err = o.Save(r.Result, data)
			}
			if err != nil {
				return fmt.Errorf("%v (a shard run without --out has no results to merge)", err)
			}
		}
	}
	return nil
}

// Progress is a line on a terminal: runs done, and the time left at the
// pace so far.
func Progress(w io.Writer) func(done, total int) {
	start := time.Now()
	return func(done, total int) {
		left := time.Duration(float64(time.Since(start)) * float64(total-done) / float64(done)).Round(time.Second)
		fmt.Fprintf(w, "\rsweep: %d of %d runs, about %v left \x1b[K", done, total, left)
		if done == total {
			fmt.Fprint(w, "\r\x1b[K")
		}
	}
}
