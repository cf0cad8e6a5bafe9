package sweep

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
)

// ReadDocument reads a sweep.json, strictly: an unknown field, a value of
// the wrong type or a second document is an error naming the file and,
// where encoding/json gives one, the field's path and the line:col.
func ReadDocument(file string, data []byte) (*Document, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var doc Document
	if err := dec.Decode(&doc); err != nil {
		return nil, fmt.Errorf("%s: %s", file, jsonProblem(data, err))
	}
	if dec.More() {
		return nil, fmt.Errorf("%s:%s: a second JSON value after the document", file, lineCol(data, dec.InputOffset()))
	}
	if doc.SchemaVersion != SchemaVersion {
		return nil, fmt.Errorf("%s: schema_version %d; this ddbsim reads sweep documents of version %d", file, doc.SchemaVersion, SchemaVersion)
	}
	if err := doc.check(); err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	return &doc, nil
}

// check refuses a document whose counts do not agree, or pass the bounds
// a sweep has, before anything is sized by them.
func (d *Document) check() error {
	h := d.Sweep
	switch {
	case len(h.Seeds) < 1 || len(h.Seeds) > MaxSeeds:
		return fmt.Errorf("$.sweep.seeds: expected 1 to %d seeds, got %d", MaxSeeds, len(h.Seeds))
	case h.Points < 1 || h.Runs < 1 || h.Runs > MaxRuns || h.Runs/len(h.Seeds) != h.Points || h.Runs%len(h.Seeds) != 0:
		return fmt.Errorf("$.sweep.runs: expected points (%d) x seeds (%d) runs, from 1 to %d; got %d", h.Points, len(h.Seeds), MaxRuns, h.Runs)
	case d.Shard != nil && (d.Shard.Count < 1 || d.Shard.Count > MaxShards || d.Shard.Index < 0 || d.Shard.Index >= d.Shard.Count):
		return fmt.Errorf("$.shard: expected 0 <= index < count <= %d, got %d of %d", MaxShards, d.Shard.Index, d.Shard.Count)
	case len(d.Runs) > h.Runs:
		return fmt.Errorf("$.runs: %d records for a sweep of %d runs", len(d.Runs), h.Runs)
	}
	return nil
}

// jsonProblem says where in data a decoding error is and what was expected.
func jsonProblem(data []byte, err error) string {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		return fmt.Sprintf("%s: %v", lineCol(data, syn.Offset), syn)
	case errors.As(err, &typ):
		return fmt.Sprintf("%s: %s holds a JSON %s; expected %s", lineCol(data, typ.Offset), typ.Field, typ.Value, typ.Type)
	}
	return err.Error()
}

func lineCol(data []byte, offset int64) string {
	offset = min(max(offset, 0), int64(len(data)))
	before := data[:offset]
	line := bytes.Count(before, []byte("\n")) + 1
	col := int(offset) - (bytes.LastIndexByte(before, '\n') + 1) + 1
	return fmt.Sprintf("%d:%d", line, col)
}

// Merge combines the documents of a sweep's shards into the document the
// whole sweep run in one process writes, byte for byte once encoded: the
// shards must be of one sweep (its digest), of one count, each once, and
// together hold every run once. names name the documents in messages.
func Merge(names []string, docs []*Document) (*Document, error) {
	if len(docs) == 0 {
		return nil, errors.New("no shard to merge")
	}
	first := docs[0]
	if first.Shard == nil {
		return nil, fmt.Errorf("%s is not a shard's document (it has no shard:); it is a whole sweep already", names[0])
	}
	count := first.Shard.Count
	seen := make([]string, count)
	var records []Record
	for i, d := range docs {
		switch {
		case d.Shard == nil:
			return nil, fmt.Errorf("%s is not a shard's document (it has no shard:); it is a whole sweep already", names[i])
		case d.Sweep.Digest != first.Sweep.Digest:
			return nil, fmt.Errorf("%s is a shard of another sweep than %s (digest %s, not %s): the sweep file or a scenario changed between them",
				names[i], names[0], d.Sweep.Digest, first.Sweep.Digest)
		case !headersMatch(d.Sweep, first.Sweep):
			return nil, fmt.Errorf("%s and %s describe the same sweep differently; were they written by different versions of ddbsim?", names[i], names[0])
		case d.Shard.Count != count:
			return nil, fmt.Errorf("%s is shard %d of %d, but %s is one of %d: merge the shards of one run of the sweep",
				names[i], d.Shard.Index, d.Shard.Count, names[0], count)
		case d.Shard.Index < 0 || d.Shard.Index >= count:
			return nil, fmt.Errorf("%s: shard index %d is not from 0 to %d", names[i], d.Shard.Index, count-1)
		case seen[d.Shard.Index] != "":
			return nil, fmt.Errorf("shard %d of %d is given twice: %s and %s", d.Shard.Index, count, seen[d.Shard.Index], names[i])
		}
		seen[d.Shard.Index] = names[i]
		for _, r := range d.Runs {
			if r.Run < 0 || r.Run >= first.Sweep.Runs || r.Run%count != d.Shard.Index {
				return nil, fmt.Errorf("%s: run %d does not belong to shard %d of %d", names[i], r.Run, d.Shard.Index, count)
			}
		}
		records = append(records, d.Runs...)
	}
	var missing []int
	for i, s := range seen {
		if s == "" {
			missing = append(missing, i)
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("shards %v of %d are missing: has every task of the job finished?", missing, count)
	}
	return Assemble(first.Sweep, records)
}

func headersMatch(a, b Header) bool {
	return a.File == b.File && slices.Equal(a.Scenarios, b.Scenarios) && slices.Equal(a.Vary, b.Vary) &&
		slices.Equal(a.Seeds, b.Seeds) && a.Points == b.Points && a.Runs == b.Runs &&
		a.DurationS == b.DurationS && a.Fidelity == b.Fidelity
}

// Encode writes doc as sweep.json is written: indented, HTML left as
// it is, one trailing newline.
func Encode(doc *Document) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(doc); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}
