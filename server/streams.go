package server

import (
	"encoding/base64"
	"fmt"
	"hash/fnv"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ddbsim/ddbsim/model/store"
	"github.com/ddbsim/ddbsim/server/items"
	"github.com/ddbsim/ddbsim/server/wire"
	"github.com/ddbsim/ddbsim/sim"
)

// The Streams API (ListStreams, DescribeStream, GetShardIterator,
// GetRecords) over the real changes of the served tables whose stream is
// enabled: every write the data plane applies to a table's items (a put,
// update or delete, a batch's part, a transaction's item, a TTL deletion)
// is heard through items.Table.OnChange and appended to the table's
// stream log, with the images its view type asks for. A write that is
// throttled, fails its condition or is refused changes nothing and logs
// nothing.
//
// What is modelled: each table's stream has one shard, open for the
// table's life, that takes every change in the order it is applied (so
// per item in modification order, as the service promises); the
// service's shards follow partitions, the model's stream log
// (model/stream) does so for the simulation's own consumers, but that log
// keeps counts, not images, and is not reachable from here. Records are
// kept 24 h of virtual time (streamRetention), and at most
// maxStreamBytes per table: beyond it the oldest are trimmed early, as if
// they had aged out. A shard iterator expires 15 minutes of virtual time
// after it was issued. GetRecords consumes no table capacity; the model
// bills GetRecords only for the scenario's own consumers
// (stream.Log.ReadUnits), so reads through the API are not billed. The
// writes of a scenario's background workload change the model's
// likeness of the items, not real items, and so are not in the API's
// stream.

const (
	// streamRetention is how long a record stays readable (REFERENCE:
	// streams, "kept 24 h").
	streamRetention = 24 * sim.Hour
	// iteratorLife is how long a shard iterator may be used after it
	// was issued (the GetShardIterator reference: 15 minutes).
	iteratorLife = 15 * sim.Minute
	// maxStreamBytes bounds the records a table's stream holds, by the
	// sizes of their keys and images, so that a session writing fast at
	// a high time scale cannot exhaust memory.
	maxStreamBytes = 256 << 20
	// maxRecordsPerCall and maxRecordBytesPerCall are GetRecords's
	// limits: 1,000 records, 1 MB.
	maxRecordsPerCall     = 1000
	maxRecordBytesPerCall = 1 << 20
)

// streamLog is one table's stream: the records held, oldest first.
type streamLog struct {
	view  string // StreamViewType
	label string
	shard string
	recs  []streamRecord
	first int64 // sequence index of recs[0]
	bytes int64 // held bytes
}

// streamRecord is one change.
type streamRecord struct {
	at        sim.Time // virtual, the session's clock
	kind      store.ChangeKind
	keys      store.Item
	old, new  store.Item // as the view type keeps them
	size      int64      // SizeBytes: keys and the images kept
	byService bool
}

// next is the sequence index the next record takes.
func (l *streamLog) next() int64 { return l.first + int64(len(l.recs)) }

// sequenceNumber is the text of sequence index i: 21 digits, increasing
// as the service's are, so that both numeric and text order hold.
func sequenceNumber(i int64) string { return fmt.Sprintf("1%020d", i) }

// sequenceIndex reads a sequence number made by sequenceNumber.
func sequenceIndex(text string) (int64, bool) {
	if len(text) != 21 || text[0] != '1' {
		return 0, false
	}
	i, err := strconv.ParseInt(text[1:], 10, 64)
	return i, err == nil && i >= 0
}

// trim drops the records older than the retention at now, and the
// oldest beyond maxStreamBytes.
func (l *streamLog) trim(now sim.Time) {
	n := 0
	for n < len(l.recs) && (now-l.recs[n].at > streamRetention || l.bytes > maxStreamBytes) {
		l.bytes -= l.recs[n].size
		n++
	}
	if n > 0 {
		clear(l.recs[:n])
		l.recs = l.recs[n:]
		l.first += int64(n)
	}
}

// streamOf is t's stream log, made on first use; nil when t has no
// stream enabled.
func (s *Server) streamOf(t *table) *streamLog {
	if t.stream == nil || !t.stream.StreamEnabled {
		return nil
	}
	if t.streamLog == nil || t.streamLog.view != t.stream.StreamViewType {
		label := streamLabel(s, t.created)
		t.streamLog = &streamLog{view: cmpOr(t.stream.StreamViewType, "NEW_AND_OLD_IMAGES"), label: label,
			shard: fmt.Sprintf("shardId-%020d-%s", s.start.Add(time.Duration(t.created)).UnixMilli(), t.id[:8])}
	}
	return t.streamLog
}

// watch makes the table's real items report their changes to its stream
// and its TTL. It is called once, when the data plane first serves t.
func (s *Server) watch(t *table) {
	t.data.items.OnChange(func(c *items.Change) { s.changed(t, c) })
}

// changed hears one applied change of t's items, at the loop's clock.
func (s *Server) changed(t *table, c *items.Change) {
	if l := s.streamOf(t); l != nil {
		l.append(s.clock, t.data.schema, c)
	}
	if c.Kind != store.ChangeRemove {
		s.noteExpiry(t, c.New, false)
	} else {
		s.noteExpiry(t, c.Old, true)
	}
}

// append logs c at now.
func (l *streamLog) append(now sim.Time, schema store.KeySchema, c *items.Change) {
	l.trim(now)
	whole := c.New
	if c.Kind == store.ChangeRemove {
		whole = c.Old
	}
	r := streamRecord{at: now, kind: c.Kind, keys: keysOf(whole, schema), byService: c.Service}
	r.size = int64(r.keys.Size())
	if c.Kind != store.ChangeRemove && (l.view == "NEW_IMAGE" || l.view == "NEW_AND_OLD_IMAGES") {
		r.new = c.New
		r.size += int64(c.New.Size())
	}
	if c.Kind != store.ChangeInsert && (l.view == "OLD_IMAGE" || l.view == "NEW_AND_OLD_IMAGES") {
		r.old = c.Old
		r.size += int64(c.Old.Size())
	}
	l.recs = append(l.recs, r)
	l.bytes += r.size
}

// keysOf is the key attributes of it.
func keysOf(it store.Item, schema store.KeySchema) store.Item {
	var attrs []store.Attribute
	for _, name := range []string{schema.PartitionKey, schema.SortKey} {
		if v, ok := it.Get(name); ok && name != "" {
			attrs = append(attrs, store.Attribute{Name: name, Value: v})
		}
	}
	return store.NewItem(attrs...)
}

// wireRecord is r, at sequence index seq, as GetRecords returns it.
func (s *Server) wireRecord(r *streamRecord, seq int64, view string) wire.Record {
	out := wire.Record{
		EventID: eventID(r.keys, seq), EventName: map[store.ChangeKind]string{
			store.ChangeInsert: "INSERT", store.ChangeModify: "MODIFY", store.ChangeRemove: "REMOVE"}[r.kind],
		EventVersion: "1.1", EventSource: "aws:dynamodb", AwsRegion: s.cfg.Region,
		Dynamodb: wire.StreamRecord{
			// The service gives this to the second, and its SDKs read it so.
			ApproximateCreationDateTime: float64(int64(s.epoch(r.at))),
			Keys:                        wire.Wrap(r.keys), SequenceNumber: sequenceNumber(seq),
			SizeBytes: r.size, StreamViewType: view,
		},
	}
	if r.new.Len() > 0 {
		out.Dynamodb.NewImage = wire.Wrap(r.new)
	}
	if r.old.Len() > 0 {
		out.Dynamodb.OldImage = wire.Wrap(r.old)
	}
	if r.byService {
		out.UserIdentity = &wire.Identity{PrincipalID: "dynamodb.amazonaws.com", Type: "Service"}
	}
	return out
}

// eventID is a record's eventID: 32 hex digits, as the service's,
// derived from the record so that identical sessions give identical ones.
func eventID(keys store.Item, seq int64) string {
	h := fnv.New128a()
	fmt.Fprintf(h, "%d/%s", seq, keys)
	return fmt.Sprintf("%x", h.Sum(nil))
}

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
	if _, err := checkLimit(in.Limit, 100); err != nil {
		return nil, err
	}
	if f := in.ShardFilter; f != nil && f.Type != "CHILD_SHARDS" {
		return nil, enumError("shardFilter.type", f.Type, "[CHILD_SHARDS]")
	}
	var out wire.DescribeStreamOutput
	err := s.call(func(now sim.Time) error {
		t, l, err := s.byStreamARN(in.StreamArn)
		if err != nil {
			return err
		}
		l.trim(now)
		d := &wire.StreamDescription{StreamArn: in.StreamArn, StreamLabel: l.label, StreamStatus: "ENABLED",
			StreamViewType: l.view, CreationRequestDateTime: s.epoch(t.created), TableName: t.name, Shards: []wire.Shard{}}
		for _, k := range t.keys {
			d.KeySchema = append(d.KeySchema, wire.KeySchemaElement{AttributeName: k.AttributeName, KeyType: k.KeyType})
		}
		// The one shard has no parent and no children: a filter for
		// children, or a start at it, leaves nothing.
		if in.ShardFilter == nil && in.ExclusiveStartShardID != l.shard {
			d.Shards = append(d.Shards, wire.Shard{ShardID: l.shard,
				SequenceNumberRange: wire.SequenceNumberRange{StartingSequenceNumber: sequenceNumber(l.first)}})
		}
		out.StreamDescription = d
		return nil
	})
	return out, err
}

// iterator is a shard iterator's content: the stream, the position (a
// sequence index) and when it was issued, virtual.
type iterator struct {
	table, label string
	pos          int64
	issued       sim.Time
}

// String is the iterator as the client holds it: opaque, URL-safe.
func (it iterator) String() string {
	raw := fmt.Sprintf("v1|%d|%d|%s|%s", it.pos, int64(it.issued), it.label, it.table)
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
	parts := strings.SplitN(string(raw), "|", 5)
	if len(parts) != 5 || parts[0] != "v1" {
		return iterator{}, errBadIterator
	}
	pos, err1 := strconv.ParseInt(parts[1], 10, 64)
	issued, err2 := strconv.ParseInt(parts[2], 10, 64)
	if err1 != nil || err2 != nil || pos < 0 || issued < 0 || parts[3] == "" || parts[4] == "" {
		return iterator{}, errBadIterator
	}
	return iterator{table: parts[4], label: parts[3], pos: pos, issued: sim.Time(issued)}, nil
}

func trimmed(format string, args ...any) *APIError {
	return &APIError{Type: "TrimmedDataAccessException", Status: 400, Message: fmt.Sprintf(format, args...)}
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
		if in.ShardID != l.shard {
			return &APIError{Type: errResourceNotFound, Status: 400,
				Message: fmt.Sprintf("Requested resource not found: Shard does not exist: %s", clip(in.ShardID))}
		}
		l.trim(now)
		it := iterator{table: t.name, label: l.label, issued: now}
		switch in.ShardIteratorType {
		case "TRIM_HORIZON":
			it.pos = l.first
		case "LATEST":
			it.pos = l.next()
		default:
			if in.ShardIteratorType == "AFTER_SEQUENCE_NUMBER" {
				seq++
			}
			if seq < l.first {
				return trimmed("Sequence number %s is beyond the trim horizon of shard %s", in.SequenceNumber, l.shard)
			}
			if seq > l.next() {
				return validationf("Invalid SequenceNumber %s for shard %s: no record has it yet", in.SequenceNumber, l.shard)
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
		if l == nil || l.label != it.label || it.pos > l.next() {
			return streamNotFound(s.arn(it.table) + "/stream/" + it.label)
		}
		r.Table = t.name
		l.trim(now)
		if it.pos < l.first {
			return trimmed("The iterator's position is beyond the trim horizon of shard %s: its records are older than 24 hours", l.shard)
		}
		var bytes int64
		pos := it.pos
		for ; pos < l.next() && len(out.Records) < limit; pos++ {
			rec := &l.recs[pos-l.first]
			if bytes+rec.size > maxRecordBytesPerCall && len(out.Records) > 0 {
				break
			}
			bytes += rec.size
			out.Records = append(out.Records, s.wireRecord(rec, pos, l.view))
		}
		out.NextShardIterator = iterator{table: it.table, label: it.label, pos: pos, issued: now}.String()
		return nil
	})
	return out, err
}
