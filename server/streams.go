package server

import (
	"encoding/base64"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/ddbsim/ddbsim/server/wire"
	"github.com/ddbsim/ddbsim/sim"
)

// The Streams API (ListStreams, DescribeStream, GetShardIterator,
// GetRecords) over the real changes of the served tables whose stream is
// enabled: every write the data plane applies to a table's items (a put,
// update or delete, a batch's part, a transaction's item, a TTL deletion)
// is heard through items.Table.OnChange and appended to the table's
// stream (streams_log.go), with the images its view type asks for. A
// write that is throttled, fails its condition or is refused changes
// nothing and logs nothing.
//
// Records are kept 24 h of virtual time (streamRetention), and at most
// maxStreamBytes per table. A shard iterator expires 15 minutes of
// virtual time after it was issued. GetRecords consumes no table
// capacity; the model bills GetRecords only for the scenario's own
// consumers (stream.Log.ReadUnits), so reads through the API are not
// billed. The writes of a scenario's background workload change the
// model's likeness of the items, not real items, and so are not in the
// API's stream; nor are the model's own TTL deletions of that likeness.

const (
	// iteratorLife is how long a shard iterator may be used after it
	// was issued (the GetShardIterator reference: 15 minutes).
	iteratorLife = 15 * sim.Minute
	// maxRecordsPerCall and maxRecordBytesPerCall are GetRecords's
	// limits: 1,000 records, 1 MB.
	maxRecordsPerCall     = 1000
	maxRecordBytesPerCall = 1 << 20
)

// streamARN is the ARN of t's stream.
func (s *Server) streamARN(t *table, l *streamLog) string {
	return s.arn(t.name) + "/stream/" + l.label
}

// streamNotFound is the service's answer for an ARN that names no
// stream.
func streamNotFound(arn string) *APIError {
	return &APIError{Type: errResourceNotFound, Status: 400,
		Message: fmt.Sprintf("Requested resource not found: Stream: %s not found", arn)}
}

// byStreamARN finds the table and stream an ARN names, on the loop.
func (s *Server) byStreamARN(arn string) (*table, *streamLog, error) {
	prefix := fmt.Sprintf("arn:aws:dynamodb:%s:%s:table/", s.cfg.Region, s.cfg.Account)
	rest, ok := strings.CutPrefix(arn, prefix)
	name, label, ok2 := strings.Cut(rest, "/stream/")
	if !ok || !ok2 || name == "" || label == "" {
		return nil, nil, streamNotFound(arn)
	}
	t, found := s.tables[name]
	if !found {
		return nil, nil, streamNotFound(arn)
	}
	l := s.streamOf(t)
	if l == nil || l.label != label {
		return nil, nil, streamNotFound(arn)
	}
	return t, l, nil
}

// checkStreamARN refuses an ARN the service's length rule refuses.
func checkStreamARN(field, arn string) error {
	if len(arn) < 37 || len(arn) > 1024 {
		return validationf("1 validation error detected: Value '%s' at '%s' failed to satisfy constraint: Member must have length between 37 and 1024", clip(arn), field)
	}
	return nil
}

// clip shortens a client's value quoted in a message.
func clip(v string) string {
	if len(v) > 256 {
		return v[:256] + "..."
	}
	return v
}

// checkLimit reads an optional Limit between 1 and most.
func checkLimit(limit *int, most int) (int, error) {
	if limit == nil {
		return most, nil
	}
	if *limit < 1 || *limit > most {
		return 0, validationf("1 validation error detected: Value '%d' at 'limit' failed to satisfy constraint: Member must have value between 1 and %d", *limit, most)
	}
	return *limit, nil
}

func listStreams(s *Server, r *Request) (any, error) {
	var in wire.ListStreamsInput
	if err := decode(r.Body, &in); err != nil {
		return nil, err
	}
	limit, err := checkLimit(in.Limit, 100)
	if err != nil {
		return nil, err
	}
	if in.TableName != "" {
		if err := checkTableName("tableName", in.TableName); err != nil {
			return nil, err
		}
	}
	out := wire.ListStreamsOutput{Streams: []wire.Stream{}}
	err = s.call(func(sim.Time) error {
		if in.TableName != "" {
			if _, ok := s.tables[in.TableName]; !ok {
				return tableNotFound(in.TableName)
			}
		}
		var all []wire.Stream
		for name, t := range s.tables {
			if l := s.streamOf(t); l != nil && (in.TableName == "" || in.TableName == name) {
				all = append(all, wire.Stream{StreamArn: s.streamARN(t, l), TableName: name, StreamLabel: l.label})
			}
		}
		slices.SortFunc(all, func(a, b wire.Stream) int { return strings.Compare(a.StreamArn, b.StreamArn) })
		for _, st := range all {
			if in.ExclusiveStartStreamArn != "" && st.StreamArn <= in.ExclusiveStartStreamArn {
				continue
			}
			if len(out.Streams) == limit {
				out.LastEvaluatedStreamArn = out.Streams[limit-1].StreamArn
				break
			}
			out.Streams = append(out.Streams, st)
		}
		return nil
	})
	return out, err
}

func describeStream(s *Server, r *Request) (any, error) {
	var in wire.DescribeStreamInput
	if err := decode(r.Body, &in); err != nil {
		return nil, err
	}
	if err := checkStreamARN("streamArn", in.StreamArn); err != nil {
		return nil, err
	}
	limit, err := checkLimit(in.Limit, 100)
	if err != nil {
		return nil, err
	}
	if f := in.ShardFilter; f != nil && f.Type != "CHILD_SHARDS" {
		return nil, enumError("shardFilter.type", f.Type, "[CHILD_SHARDS]")
	}
	var out wire.DescribeStreamOutput
	err = s.call(func(now sim.Time) error {
		t, l, err := s.byStreamARN(in.StreamArn)
		if err != nil {
			return err
		}
		l.sweep(now)
		d := &wire.StreamDescription{StreamArn: in.StreamArn, StreamLabel: l.label, StreamStatus: "ENABLED",
			StreamViewType: l.view, CreationRequestDateTime: s.epoch(t.created), TableName: t.name, Shards: []wire.Shard{}}
		for _, k := range t.keys {
			d.KeySchema = append(d.KeySchema, wire.KeySchemaElement{AttributeName: k.AttributeName, KeyType: k.KeyType})
		}
		parent := -2 // any
		if f := in.ShardFilter; f != nil {
			i, ok := l.byID[f.ShardID]
			if !ok {
				return shardNotFound(f.ShardID)
			}
			parent = i
		}
		from := 0
		if in.ExclusiveStartShardID != "" {
			if i, ok := l.byID[in.ExclusiveStartShardID]; ok {
				from = i + 1
			}
		}
		for i := from; i < len(l.shards); i++ {
			sh := l.shards[i]
			if parent != -2 && sh.parent != parent {
				continue
			}
			if len(d.Shards) == limit {
				d.LastEvaluatedShardID = d.Shards[limit-1].ShardID
				break
			}
			d.Shards = append(d.Shards, l.describe(sh))
		}
		out.StreamDescription = d
		return nil
	})
	return out, err
}

func shardNotFound(id string) *APIError {
	return &APIError{Type: errResourceNotFound, Status: 400,
		Message: fmt.Sprintf("Requested resource not found: Shard does not exist: %s", clip(id))}
}

// iterator is a shard iterator's content: the stream, the shard, the
// position (the lowest sequence index to read) and when it was issued,
// virtual.
type iterator struct {
	table, label string
	shard        int
	pos          int64
	issued       sim.Time
}

// String is the iterator as the client holds it: opaque, URL-safe.
func (it iterator) String() string {
	raw := fmt.Sprintf("v1|%d|%d|%d|%s|%s", it.shard, it.pos, int64(it.issued), it.label, it.table)
	return base64.RawURLEncoding.EncodeToString([]byte(raw))
}

var errBadIterator = validationf("Invalid ShardIterator")

// parseIterator reads an iterator made by iterator.String.
func parseIterator(text string) (iterator, error) {
	if len(text) < 1 || len(text) > 2048 {
		return iterator{}, validationf("1 validation error detected: Value at 'shardIterator' failed to satisfy constraint: Member must have length between 1 and 2048")
	}
	raw, err := base64.RawURLEncoding.DecodeString(text)
	if err != nil {
		return iterator{}, errBadIterator
	}
	parts := strings.SplitN(string(raw), "|", 6)
	if len(parts) != 6 || parts[0] != "v1" {
		return iterator{}, errBadIterator
	}
	shard, err0 := strconv.Atoi(parts[1])
	pos, err1 := strconv.ParseInt(parts[2], 10, 64)
	issued, err2 := strconv.ParseInt(parts[3], 10, 64)
	if err0 != nil || err1 != nil || err2 != nil || shard < 0 || pos < 0 || issued < 0 || parts[4] == "" || parts[5] == "" {
		return iterator{}, errBadIterator
	}
	return iterator{table: parts[5], label: parts[4], shard: shard, pos: pos, issued: sim.Time(issued)}, nil
}

func trimmed(format string, args ...any) *APIError {
	return &APIError{Type: "TrimmedDataAccessException", Status: 400, Message: fmt.Sprintf(format, args...)}
}

// end is the sequence index after the last one the shard may hold.
func (l *streamLog) end(sh *streamShard) int64 {
	if sh.closed {
		return sh.endSeq + 1
	}
	return l.seq
}

func getShardIterator(s *Server, r *Request) (any, error) {
	var in wire.GetShardIteratorInput
	if err := decode(r.Body, &in); err != nil {
		return nil, err
	}
	if err := checkStreamARN("streamArn", in.StreamArn); err != nil {
		return nil, err
	}
	if len(in.ShardID) < 28 || len(in.ShardID) > 65 {
		return nil, validationf("1 validation error detected: Value '%s' at 'shardId' failed to satisfy constraint: Member must have length between 28 and 65", clip(in.ShardID))
	}
	var seq int64
	switch in.ShardIteratorType {
	case "TRIM_HORIZON", "LATEST":
	case "AT_SEQUENCE_NUMBER", "AFTER_SEQUENCE_NUMBER":
		if in.SequenceNumber == "" {
			return nil, validationf("Must specify a sequence number with %s", in.ShardIteratorType)
		}
		var ok bool
		if seq, ok = sequenceIndex(in.SequenceNumber); !ok {
			return nil, validationf("Invalid SequenceNumber: %s", clip(in.SequenceNumber))
		}
	default:
		return nil, enumError("shardIteratorType", in.ShardIteratorType, "[TRIM_HORIZON, LATEST, AT_SEQUENCE_NUMBER, AFTER_SEQUENCE_NUMBER]")
	}
	var out wire.GetShardIteratorOutput
	err := s.call(func(now sim.Time) error {
		t, l, err := s.byStreamARN(in.StreamArn)
		if err != nil {
			return err
		}
		si, ok := l.byID[in.ShardID]
		if !ok {
			return shardNotFound(in.ShardID)
		}
		sh := l.shards[si]
		l.trim(sh, now)
		it := iterator{table: t.name, label: l.label, shard: si, issued: now}
		switch in.ShardIteratorType {
		case "TRIM_HORIZON":
			it.pos = sh.trimmedTo
		case "LATEST":
			it.pos = l.end(sh)
		default:
			if in.ShardIteratorType == "AFTER_SEQUENCE_NUMBER" {
				seq++
			}
			if seq < sh.trimmedTo {
				return trimmed("Sequence number %s is beyond the trim horizon of shard %s", in.SequenceNumber, sh.id)
			}
			if seq > l.end(sh) {
				return validationf("Invalid SequenceNumber %s for shard %s: beyond its last record", in.SequenceNumber, sh.id)
			}
			it.pos = seq
		}
		out.ShardIterator = it.String()
		return nil
	})
	return out, err
}

func getRecords(s *Server, r *Request) (any, error) {
	var in wire.GetRecordsInput
	if err := decode(r.Body, &in); err != nil {
		return nil, err
	}
	limit, err := checkLimit(in.Limit, maxRecordsPerCall)
	if err != nil {
		return nil, err
	}
	it, err := parseIterator(in.ShardIterator)
	if err != nil {
		return nil, err
	}
	out := wire.GetRecordsOutput{Records: []wire.Record{}}
	err = s.call(func(now sim.Time) error {
		if now-it.issued > iteratorLife {
			return &APIError{Type: "ExpiredIteratorException", Status: 400,
				Message: fmt.Sprintf("Iterator expired. The iterator was created at %s and is older than 15 minutes", streamLabel(s, it.issued))}
		}
		t, ok := s.tables[it.table]
		var l *streamLog
		if ok {
			l = s.streamOf(t)
		}
		if l == nil || l.label != it.label || it.shard >= len(l.shards) || it.pos > l.end(l.shards[it.shard]) {
			return streamNotFound(s.arn(it.table) + "/stream/" + it.label)
		}
		r.Table = t.name
		sh := l.shards[it.shard]
		l.trim(sh, now)
		if it.pos < sh.trimmedTo {
			return trimmed("The iterator's position is beyond the trim horizon of shard %s: its records are older than 24 hours", sh.id)
		}
		var bytes int64
		pos := it.pos
		for i := sort.Search(len(sh.recs), func(i int) bool { return sh.recs[i].seq >= it.pos }); i < len(sh.recs) && len(out.Records) < limit; i++ {
			rec := &sh.recs[i]
			if bytes+rec.size > maxRecordBytesPerCall && len(out.Records) > 0 {
				break
			}
			bytes += rec.size
			out.Records = append(out.Records, s.wireRecord(rec, l.view))
			pos = rec.seq + 1
		}
		// A closed shard read to its end has no next iterator: the
		// reader goes on to its children.
		if sh.closed && (len(sh.recs) == 0 || pos > sh.recs[len(sh.recs)-1].seq) {
			return nil
		}
		out.NextShardIterator = iterator{table: it.table, label: it.label, shard: it.shard, pos: pos, issued: now}.String()
		return nil
	})
	return out, err
}
