package server

import (
	"fmt"
	"hash/fnv"
	"sort"
	"strconv"
	"time"

	"github.com/ddbsim/ddbsim/model"
	"github.com/ddbsim/ddbsim/model/store"
	"github.com/ddbsim/ddbsim/server/items"
	"github.com/ddbsim/ddbsim/server/wire"
	"github.com/ddbsim/ddbsim/sim"
)

// A table's stream of real changes: shards that follow the model's
// partitions (REFERENCE: streams, "Shards follow partitions"), as the
// model's own stream log (model/stream) does for the simulation's
// consumers. The stream starts with one open shard per partition of the
// model's table; when the model splits a partition, the shard covering
// it closes (its EndingSequenceNumber set) and a child shard opens for
// each partition now in its hash range, with the closed one as parent. A
// change goes to the open shard of the partition owning its partition
// key's hash, the hash the model places it by, so an item's records stay
// in one shard until a split and are in modification order. The split is
// seen at the next change or Streams call after the model made it.
//
// Sequence numbers are the table's: one counter over all its shards,
// increasing with every change, printed as 21 digits.

const (
	// streamRetention is how long a record stays readable (REFERENCE:
	// streams, "kept 24 h").
	streamRetention = 24 * sim.Hour
	// maxStreamBytes bounds the records a table's stream holds, by the
	// sizes of their keys and images, so that a session writing fast at
	// a high time scale cannot exhaust memory: beyond it the oldest
	// records are trimmed early, as if they had aged out.
	maxStreamBytes = 256 << 20
)

// streamLog is one table's stream.
type streamLog struct {
	view   string // StreamViewType
	label  string
	prefix string // of its shards' ids
	model  *model.Table
	shards []*streamShard // in creation order: parents before children
	byID   map[string]int
	open   []int    // the open shards, in hash order
	starts []uint64 // the first hash of each open shard
	seq    int64    // the sequence index the next record takes
	bytes  int64    // held, over all shards
	swept  sim.Time // when every shard was last trimmed
}

// streamShard is one shard: the records of its hash range, oldest first.
type streamShard struct {
	id       string
	parent   int // -1: none
	closed   bool
	startSeq int64 // the sequence index when it opened
	endSeq   int64 // the last sequence index it may hold, once closed
	// trimmedTo is the lowest sequence index still readable: the
	// records below it are gone.
	trimmedTo int64
	recs      []streamRecord
}

// streamRecord is one change.
type streamRecord struct {
	seq       int64
	at        sim.Time // virtual, the session's clock
	kind      store.ChangeKind
	keys      store.Item
	old, new  store.Item // as the view type keeps them
	size      int64      // SizeBytes: keys and the images kept
	byService bool
}

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

// streamOf is t's stream, made on first use with a shard per partition
// of the model's table, and brought in step with the model's splits; nil
// when t has no stream enabled.
func (s *Server) streamOf(t *table) *streamLog {
	if t.stream == nil || !t.stream.StreamEnabled {
		return nil
	}
	if t.streamLog == nil {
		h := fnv.New32a()
		h.Write([]byte(t.id))
		t.streamLog = &streamLog{view: cmpOr(t.stream.StreamViewType, "NEW_AND_OLD_IMAGES"), label: streamLabel(s, t.streamStart()),
			prefix: fmt.Sprintf("shardId-%020d-%08x", s.start.Add(time.Duration(t.created)).UnixMilli(), h.Sum32()),
			model:  t.model(), byID: map[string]int{}}
	}
	t.streamLog.follow()
	return t.streamLog
}

// newShard opens a shard, child of parent (-1: none).
func (l *streamLog) newShard(parent int) int {
	i := len(l.shards)
	id := fmt.Sprintf("%s-%04d", l.prefix, i)
	l.shards = append(l.shards, &streamShard{id: id, parent: parent, startSeq: l.seq, trimmedTo: l.seq})
	l.byID[id] = i
	return i
}

// follow brings the open shards in step with the model's partitions.
// Partitions only split, so the partitions' starts include the open
// shards'; when they are as many, they are the same.
func (l *streamLog) follow() {
	n := l.model.Partitions()
	if n == len(l.open) {
		return
	}
	var open []int
	var starts []uint64
	for p, o := 0, 0; p < n; {
		lo := l.model.Range(p).Lo
		if len(l.open) == 0 {
			open, starts = append(open, l.newShard(-1)), append(starts, lo)
			p++
			continue
		}
		// The partitions from p to q lie in open shard o.
		q := p + 1
		for q < n && (o+1 >= len(l.open) || l.model.Range(q).Lo < l.starts[o+1]) {
			q++
		}
		if q == p+1 {
			open, starts = append(open, l.open[o]), append(starts, lo)
		} else {
			parent := l.shards[l.open[o]]
			parent.closed, parent.endSeq = true, max(parent.startSeq, l.seq-1)
			for c := p; c < q; c++ {
				open, starts = append(open, l.newShard(l.open[o])), append(starts, l.model.Range(c).Lo)
			}
		}
		p, o = q, o+1
	}
	l.open, l.starts = open, starts
}

// shardOf is the open shard taking a change of the item with partition
// key pk: the one of the partition owning its hash.
func (l *streamLog) shardOf(pk store.Value) *streamShard {
	h := store.HashString(pk.Text())
	i := sort.Search(len(l.starts), func(i int) bool { return l.starts[i] > h }) - 1
	return l.shards[l.open[max(i, 0)]]
}

// trim drops the shard's records older than the retention at now.
func (l *streamLog) trim(sh *streamShard, now sim.Time) {
	n := 0
	for n < len(sh.recs) && now-sh.recs[n].at > streamRetention {
		n++
	}
	l.drop(sh, n)
}

// drop trims the shard's n oldest records.
func (l *streamLog) drop(sh *streamShard, n int) {
	if n == 0 {
		return
	}
	for _, r := range sh.recs[:n] {
		l.bytes -= r.size
	}
	sh.trimmedTo = sh.recs[n-1].seq + 1
	clear(sh.recs[:n])
	sh.recs = sh.recs[n:]
}

// sweep trims every shard at now, once a virtual second, and the oldest
// records over maxStreamBytes.
func (l *streamLog) sweep(now sim.Time) {
	if now-l.swept >= sim.Second {
		l.swept = now
		for _, sh := range l.shards {
			l.trim(sh, now)
		}
	}
	for l.bytes > maxStreamBytes {
		var oldest *streamShard
		for _, sh := range l.shards {
			if len(sh.recs) > 0 && (oldest == nil || sh.recs[0].seq < oldest.recs[0].seq) {
				oldest = sh
			}
		}
		l.drop(oldest, 1)
	}
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
	whole := c.New
	if c.Kind == store.ChangeRemove {
		whole = c.Old
	}
	r := streamRecord{seq: l.seq, at: now, kind: c.Kind, keys: keysOf(whole, schema), byService: c.Service}
	r.size = int64(r.keys.Size())
	if c.Kind != store.ChangeRemove && (l.view == "NEW_IMAGE" || l.view == "NEW_AND_OLD_IMAGES") {
		r.new = c.New
		r.size += int64(c.New.Size())
	}
	if c.Kind != store.ChangeInsert && (l.view == "OLD_IMAGE" || l.view == "NEW_AND_OLD_IMAGES") {
		r.old = c.Old
		r.size += int64(c.Old.Size())
	}
	pk, _ := whole.Get(schema.PartitionKey)
	sh := l.shardOf(pk)
	l.trim(sh, now)
	sh.recs = append(sh.recs, r)
	l.seq++
	l.bytes += r.size
	l.sweep(now)
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

// describe is the shard as DescribeStream gives it.
func (l *streamLog) describe(sh *streamShard) wire.Shard {
	out := wire.Shard{ShardID: sh.id, SequenceNumberRange: wire.SequenceNumberRange{StartingSequenceNumber: sequenceNumber(sh.startSeq)}}
	if sh.closed {
		out.SequenceNumberRange.EndingSequenceNumber = sequenceNumber(sh.endSeq)
	}
	if sh.parent >= 0 {
		out.ParentShardID = l.shards[sh.parent].id
	}
	return out
}

// wireRecord is r as GetRecords returns it.
func (s *Server) wireRecord(r *streamRecord, view string) wire.Record {
	out := wire.Record{
		EventID: eventID(r.keys, r.seq), EventName: map[store.ChangeKind]string{
			store.ChangeInsert: "INSERT", store.ChangeModify: "MODIFY", store.ChangeRemove: "REMOVE"}[r.kind],
		EventVersion: "1.1", EventSource: "aws:dynamodb", AwsRegion: s.cfg.Region,
		Dynamodb: wire.StreamRecord{
			// The service gives this to the second.
			ApproximateCreationDateTime: float64(int64(s.epoch(r.at))),
			Keys:                        wire.Wrap(r.keys), SequenceNumber: sequenceNumber(r.seq),
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
