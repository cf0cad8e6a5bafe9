package workload

// Trace replay: a workload whose arrivals, keys, operations and item sizes
// come from a file of recorded requests instead of a rate, a key chooser,
// a mix and a size chooser.
//
// The file is streamed. A TraceReader holds one line at a time in a
// fixed buffer (MaxTraceLine), and the replay keeps one record ahead: the
// next record is read only when the one before it has been issued, so
// memory does not grow with the trace. Records are issued through the
// Source's ordinary request path (Source.issue, attempt, retry, Finish);
// only where the operation, key and size come from differs.
//
// Two layouts are read (TraceFormat):
//
//   - csv: a header line `timestamp,key,op,size`, then one record a
//     line. timestamp is in seconds (a decimal such as 12.25; nanosecond
//     resolution); op is get, put, update, delete, query or scan; size is
//     the item size in bytes, required for put and update (1 to 400 KB)
//     and ignored (may be empty) for the others. Fields are not quoted,
//     so a key cannot hold a comma. Reads of keys the trace has not
//     written find no item and cost the minimum (the table's preloaded
//     items are named k0, k1, ...).
//   - twitter: the Twitter cache-trace layout (twitter/cache-trace), no
//     header: `timestamp,key,key_size,value_size,client_id,operation,ttl`,
//     timestamp in whole seconds. The key is everything between the first
//     field and the last five, so it may hold commas. The item size is
//     key_size + value_size, clamped to 1 byte .. 400 KB (a cache value
//     may be larger than a DynamoDB item can). Memcached commands map
//     to table operations: get, gets -> get; set, add,
//     replace, cas -> put (the whole item is written; a cas is assumed to
//     win); append, prepend, incr, decr -> update (the item is modified
//     in place); delete -> delete. client_id and ttl are read over.
//     The records of one second are spread evenly over it, in file order:
//     the i-th of n records stamped T is issued at T + i/n s. A second
//     reader over the same file counts each second's records just ahead
//     of the first, so this too takes constant memory.
//
// In both, blank lines are skipped, spaces and tabs around a field are
// ignored, a line may end in CRLF, and a key is 1 to 2048 bytes (the
// service's partition-key limit). The first record is at t=0; timestamps
// must not go backwards (equal ones are issued at the same instant, in
// file order). A line that breaks these rules is an error naming the file
// and line and what was expected (TraceError).

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"

	"github.com/ddbsim/ddbsim/model"
	"github.com/ddbsim/ddbsim/model/store"
	"github.com/ddbsim/ddbsim/model/units"
	"github.com/ddbsim/ddbsim/sim"
)

// TraceFormat is the layout of a trace file.
type TraceFormat uint8

const (
	// TraceCSV is ddbsim's own layout: timestamp,key,op,size.
	TraceCSV TraceFormat = iota
	// TraceTwitter is the Twitter cache-trace layout.
	TraceTwitter
)

// TraceFormats names the formats, for messages and flags.
var TraceFormats = []string{"csv", "twitter"}

func (f TraceFormat) String() string {
	if int(f) < len(TraceFormats) {
		return TraceFormats[f]
	}
	return "format(" + strconv.Itoa(int(f)) + ")"
}

// ParseTraceFormat returns the format named name ("csv", "twitter").
func ParseTraceFormat(name string) (TraceFormat, bool) {
	for i, n := range TraceFormats {
		if n == name {
			return TraceFormat(i), true
		}
	}
	return 0, false
}

// Trace is a workload that replays a trace file (Config.Trace).
type Trace struct {
	Path   string // opened when the source starts, closed when it stops
	Format TraceFormat
	// Speed divides the trace's times: 10 replays ten times faster, 0.5
	// at half speed. 0 means 1.
	Speed float64
	// Loop restarts the trace from its first record when it ends,
	// shifted by its period (see TraceInfo.Period), until Config.End.
	// A looped trace needs an End.
	Loop bool
}

// MaxTraceLine is the longest line a trace may have, in bytes: the
// reader's buffer.
const MaxTraceLine = 64 << 10

// csvHeader is the first line of a csv trace.
const csvHeader = "timestamp,key,op,size"

// twitterLayout names the fields of a Twitter trace line, for messages.
const twitterLayout = "timestamp,key,key_size,value_size,client_id,operation,ttl"

// TraceError is a line of a trace that cannot be read: FILE:LINE: what
// is wrong and what was expected.
type TraceError struct {
	File string
	Line int64
	Msg  string
}

func (e *TraceError) Error() string {
	return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
}

// TraceRecord is one request of a trace.
type TraceRecord struct {
	At   sim.Time // after the first record, at 1x, before any loop
	Key  []byte   // the partition key; valid until the reader's next Next
	Op   units.Op // get, put, update, delete, query or scan
	Size int      // the item's size in bytes for put and update; 0 otherwise
	Line int64    // where it was read
}

// TraceReader streams the records of a trace. It reads from an
// io.ReaderAt (an *os.File) so that it can restart (Reset) and, for the
// Twitter layout, count each second's records with a second reader.
// Reading allocates nothing after the first line of each pass.
type TraceReader struct {
	name   string
	format TraceFormat
	src    *io.SectionReader
	br     *bufio.Reader

	line    int64 // the line last read, from 1
	header  bool  // csv: the header was read
	records int64 // records read in this pass
	first   int64 // timestamp of the pass's first record: ns (csv) or s (twitter)
	prev    int64 // timestamp of the record before
	rec     TraceRecord

	// Twitter only: the records of one second are spread over it.
	spread bool
	count  *secondCounter
	secAt  int64 // the second being replayed
	secI   int64 // records of it issued so far
	secN   int64 // records in it
}

// NewTraceReader reads a trace of format from src; name names it in
// errors (its path).
func NewTraceReader(src io.ReaderAt, name string, format TraceFormat) *TraceReader {
	t := &TraceReader{
		name:   name,
		format: format,
		src:    io.NewSectionReader(src, 0, math.MaxInt64),
		spread: format == TraceTwitter,
	}
	t.br = bufio.NewReaderSize(t.src, MaxTraceLine)
	if t.spread {
		c := &secondCounter{src: io.NewSectionReader(src, 0, math.MaxInt64)}
		c.br = bufio.NewReaderSize(c.src, MaxTraceLine)
		t.count = c
	}
	return t
}

// Reset rewinds the reader to the trace's start.
func (t *TraceReader) Reset() error {
	if _, err := t.src.Seek(0, io.SeekStart); err != nil {
		return err
	}
	t.br.Reset(t.src)
	t.line, t.header, t.records, t.first, t.prev = 0, false, 0, 0, 0
	t.secAt, t.secI, t.secN = 0, 0, 0
	if c := t.count; c != nil {
		if _, err := c.src.Seek(0, io.SeekStart); err != nil {
			return err
		}
		c.br.Reset(c.src)
		c.have = false
	}
	return nil
}

func (t *TraceReader) errorf(format string, args ...any) error {
	return &TraceError{File: t.name, Line: t.line, Msg: fmt.Sprintf(format, args...)}
}

// Next returns the next record, io.EOF after the last, or an error: a
// *TraceError for a line that cannot be read, and for a trace with no
// record at all.
func (t *TraceReader) Next() (*TraceRecord, error) {
	for {
		line, err := t.readLine()
		if err == io.EOF {
			// An empty file is reported at its line 1, as every error
			// names a line of the file.
			t.line = max(t.line, 1)
			switch {
			case t.format == TraceCSV && !t.header:
				return nil, t.errorf("the trace is empty; expected the header %s", csvHeader)
			case t.records == 0:
				return nil, t.errorf("the trace has no records; expected a line such as %s", t.example())
			}
			return nil, io.EOF
		}
		if err != nil {
			return nil, err
		}
		if len(line) == 0 {
			continue
		}
		if t.format == TraceCSV && !t.header {
			if !isHeader(line) {
				return nil, t.errorf("expected the header %s, got %q", csvHeader, line)
			}
			t.header = true
			continue
		}
		if t.format == TraceTwitter {
			err = t.parseTwitter(line)
		} else {
			err = t.parseCSV(line)
		}
		if err != nil {
			return nil, err
		}
		t.records++
		t.rec.Line = t.line
		return &t.rec, nil
	}
}

// isHeader reports whether line is csvHeader, spaces and tabs aside.
func isHeader(line []byte) bool {
	i := 0
	for _, c := range line {
		if c == ' ' || c == '\t' {
			continue
		}
		if i == len(csvHeader) || c != csvHeader[i] {
			return false
		}
		i++
	}
	return i == len(csvHeader)
}

func (t *TraceReader) example() string {
	if t.format == TraceTwitter {
		return "0,key1,4,100,1,get,0 (" + twitterLayout + ")"
	}
	return "0.5,user42,get,0 (" + csvHeader + ")"
}

// readLine returns the next line without its line ending and the spaces
// around it, or io.EOF.
func (t *TraceReader) readLine() ([]byte, error) {
	line, err := t.br.ReadSlice('\n')
	switch {
	case err == bufio.ErrBufferFull:
		t.line++
		return nil, t.errorf("the line is longer than %d bytes; expected one record a line", MaxTraceLine)
	case err == io.EOF && len(line) == 0:
		return nil, io.EOF
	case err != nil && err != io.EOF:
		return nil, fmt.Errorf("%s: %w", t.name, err)
	}
	t.line++
	if t.line == 1 {
		line = bytes.TrimPrefix(line, []byte("\xef\xbb\xbf")) // a UTF-8 byte-order mark
	}
	return trimSpace(line), nil
}

// isSpace reports the bytes trimmed around lines and fields.
func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }

// trimSpace trims spaces, tabs and line endings without allocating.
func trimSpace(b []byte) []byte {
	for len(b) > 0 && isSpace(b[0]) {
		b = b[1:]
	}
	for len(b) > 0 && isSpace(b[len(b)-1]) {
		b = b[:len(b)-1]
	}
	return b
}

// cut splits b at its first comma; the field is trimmed.
func cut(b []byte) (field, rest []byte, ok bool) {
	i := bytes.IndexByte(b, ',')
	if i < 0 {
		return trimSpace(b), nil, false
	}
	return trimSpace(b[:i]), b[i+1:], true
}

// cutLast splits b at its last comma; the field is trimmed.
func cutLast(b []byte) (rest, field []byte, ok bool) {
	i := bytes.LastIndexByte(b, ',')
	if i < 0 {
		return b, trimSpace(b), false
	}
	return b[:i], trimSpace(b[i+1:]), true
}

// parseUint reads a non-negative decimal integer.
func parseUint(b []byte) (int64, bool) {
	if len(b) == 0 {
		return 0, false
	}
	var v int64
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		d := int64(c - '0')
		if v > (math.MaxInt64-d)/10 {
			return 0, false
		}
		v = v*10 + d
	}
	return v, true
}

// parseSeconds reads a non-negative decimal number of seconds, such as
// 12 or 0.000250, as nanoseconds; digits past the ninth decimal are
// dropped.
func parseSeconds(b []byte) (int64, bool) {
	whole, frac, dot := bytes.Cut(b, []byte("."))
	if len(whole) == 0 && (!dot || len(frac) == 0) {
		return 0, false
	}
	var s int64
	if len(whole) > 0 {
		var ok bool
		if s, ok = parseUint(whole); !ok || s > math.MaxInt64/int64(sim.Second)-1 {
			return 0, false
		}
	}
	var ns int64
	scale := int64(sim.Second)
	for _, c := range frac {
		if c < '0' || c > '9' {
			return 0, false
		}
		if scale /= 10; scale > 0 {
			ns += int64(c-'0') * scale
		}
	}
	return s*int64(sim.Second) + ns, true
}

// setKey checks and keeps a record's key.
func (t *TraceReader) setKey(key []byte) error {
	switch {
	case len(key) == 0:
		return t.errorf("the key is empty; expected the item's partition key")
	case len(key) > store.MaxPartitionKeySize:
		return t.errorf("the key is %d bytes; a partition key is at most %d bytes", len(key), store.MaxPartitionKeySize)
	}
	t.rec.Key = key
	return nil
}

// setTime checks a record's timestamp ts (in the format's unit) against
// the one before and sets its time.
func (t *TraceReader) setTime(ts int64, field []byte, unit sim.Time) error {
	if t.records == 0 {
		t.first, t.prev = ts, ts
	}
	if ts < t.prev {
		return t.errorf("timestamp %s is earlier than the record before it; expected timestamps in non-decreasing order", field)
	}
	t.prev = ts
	t.rec.At = sim.Time(ts-t.first) * unit
	return nil
}

var csvOps = []string{"get", "put", "update", "delete", "query", "scan"}

func (t *TraceReader) parseCSV(line []byte) error {
	if n := bytes.Count(line, []byte(",")) + 1; n != 4 {
		return t.errorf("expected 4 fields (%s), got %d", csvHeader, n)
	}
	ts, rest, _ := cut(line)
	key, rest, _ := cut(rest)
	op, size, _ := cut(rest)
	size = trimSpace(size)

	v, ok := parseSeconds(ts)
	if !ok {
		return t.errorf("timestamp %q: expected seconds, a non-negative number such as 12.25", ts)
	}
	if err := t.setTime(v, ts, 1); err != nil {
		return err
	}
	if err := t.setKey(key); err != nil {
		return err
	}
	switch string(op) {
	case "get":
		t.rec.Op = units.OpGet
	case "put":
		t.rec.Op = units.OpPut
	case "update":
		t.rec.Op = units.OpUpdate
	case "delete":
		t.rec.Op = units.OpDelete
	case "query":
		t.rec.Op = units.OpQuery
	case "scan":
		t.rec.Op = units.OpScan
	default:
		return t.errorf("op %q: expected one of %s", op, joinNames(csvOps))
	}
	t.rec.Size = 0
	write := t.rec.Op == units.OpPut || t.rec.Op == units.OpUpdate
	if len(size) == 0 && !write {
		return nil
	}
	n, ok := parseUint(size)
	switch {
	case len(size) == 0:
		return t.errorf("the size is missing; a %v needs the item size in bytes", t.rec.Op)
	case !ok:
		return t.errorf("size %q: expected the item size in bytes, a whole number such as 1024", size)
	case !write:
	case n < 1:
		return t.errorf("size 0: expected the size in bytes of the item the %v writes, at least 1", t.rec.Op)
	case n > units.MaxItemSize:
		return t.errorf("size %d is over the service's 400 KB item limit; expected at most %d bytes", n, units.MaxItemSize)
	default:
		t.rec.Size = int(n)
	}
	return nil
}

var twitterOps = []string{"get", "gets", "set", "add", "replace", "cas", "append", "prepend", "incr", "decr", "delete"}

func (t *TraceReader) parseTwitter(line []byte) error {
	if n := bytes.Count(line, []byte(",")) + 1; n < 7 {
		return t.errorf("expected 7 fields (%s), got %d", twitterLayout, n)
	}
	// The key may hold commas: take the first field from the left and
	// the last five from the right.
	ts, rest, _ := cut(line)
	rest, _, _ = cutLast(rest) // ttl
	rest, op, _ := cutLast(rest)
	rest, _, _ = cutLast(rest) // client id
	rest, vsize, _ := cutLast(rest)
	key, ksize, _ := cutLast(rest)
	key = trimSpace(key)

	sec, ok := parseUint(ts)
	if !ok || sec > math.MaxInt64/int64(sim.Second)-1 {
		return t.errorf("timestamp %q: expected whole seconds, such as 3600", ts)
	}
	if err := t.setTime(sec, ts, sim.Second); err != nil {
		return err
	}
	if t.spread {
		t.spreadInSecond(sec)
	}
	if err := t.setKey(key); err != nil {
		return err
	}
	ks, ok := parseUint(ksize)
	if !ok {
		return t.errorf("key size %q: expected a whole number of bytes", ksize)
	}
	vs, ok := parseUint(vsize)
	if !ok {
		return t.errorf("value size %q: expected a whole number of bytes", vsize)
	}
	switch string(op) {
	case "get", "gets":
		t.rec.Op = units.OpGet
	case "set", "add", "replace", "cas":
		t.rec.Op = units.OpPut
	case "append", "prepend", "incr", "decr":
		t.rec.Op = units.OpUpdate
	case "delete":
		t.rec.Op = units.OpDelete
	default:
		return t.errorf("operation %q: expected one of %s", op, joinNames(twitterOps))
	}
	t.rec.Size = 0
	if t.rec.Op.IsWrite() && t.rec.Op != units.OpDelete {
		size := int64(units.MaxItemSize)
		if ks <= size && vs <= size { // else the sum may overflow
			size = min(max(ks+vs, 1), size)
		}
		t.rec.Size = int(size)
	}
	return nil
}

// spreadInSecond moves the record, stamped whole second sec, to its place
// among that second's records: the i-th of n at sec + i/n.
func (t *TraceReader) spreadInSecond(sec int64) {
	if t.records == 0 || sec != t.secAt {
		t.secAt, t.secI, t.secN = sec, 0, t.count.group(sec)
	}
	i := min(t.secI, t.secN-1) // the counter saw fewer only if the file changed
	t.secI++
	t.rec.At += sim.Time(i * int64(sim.Second) / t.secN)
}

// secondCounter reads a Twitter trace just ahead of the TraceReader,
// counting the records of each second. It reads the timestamp field only;
// a line it cannot read ends the second, and the reader reports it.
type secondCounter struct {
	src  *io.SectionReader
	br   *bufio.Reader
	pend int64 // the timestamp of the first line of the next second
	have bool  // pend is set
}

// group counts the records stamped sec, from the counter's position,
// which is the first of them: at least 1.
func (c *secondCounter) group(sec int64) int64 {
	n := int64(0)
	for {
		if !c.have {
			ts, ok := c.next()
			if !ok {
				return max(n, 1)
			}
			c.pend, c.have = ts, true
		}
		if c.pend != sec {
			return max(n, 1)
		}
		n++
		c.have = false
	}
}

// next reads the timestamp of the next non-blank line.
func (c *secondCounter) next() (int64, bool) {
	for {
		line, err := c.br.ReadSlice('\n')
		if err == bufio.ErrBufferFull || len(line) == 0 && err != nil {
			return 0, false
		}
		line = trimSpace(bytes.TrimPrefix(line, []byte("\xef\xbb\xbf")))
		if len(line) == 0 {
			if err != nil {
				return 0, false
			}
			continue
		}
		ts, _, ok := cut(line)
		if !ok {
			return 0, false
		}
		return parseUint(ts)
	}
}

func joinNames(names []string) string {
	var b bytes.Buffer
	for i, n := range names {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(n)
	}
	return b.String()
}

// Period is what one pass of the trace lasts at 1x, known once Next has
// returned io.EOF: the time from the first record to the last, plus one
// mean gap between records for csv (so that a loop keeps the trace's
// rate across the seam), or up to the end of the last second for twitter
// (whose records fill their seconds). It is at least a nanosecond, and at
// most sim.Never; a csv trace whose records all share one instant has a
// period of one second.
func (t *TraceReader) Period() sim.Time {
	if t.format == TraceTwitter {
		return sim.Time(t.prev-t.first+1) * sim.Second
	}
	span := t.prev - t.first
	p := span
	if t.records > 1 {
		// Records centuries apart would overflow the sum.
		gap := span / (t.records - 1)
		if gap > math.MaxInt64-span {
			return sim.Never
		}
		p += gap
	}
	if p <= 0 {
		return sim.Second
	}
	return sim.Time(p)
}

// TraceInfo summarises a trace read in full.
type TraceInfo struct {
	Records int64
	Span    sim.Time // from the first record to the last, at 1x
	Period  sim.Time // one pass at 1x (TraceReader.Period)
}

// ScanTrace reads the whole trace at path, checking every line, and
// returns its size and span. Run it before a replay to report a bad line
// before anything runs; it holds one line at a time.
func ScanTrace(path string, format TraceFormat) (TraceInfo, error) {
	f, err := os.Open(path)
	if err != nil {
		return TraceInfo{}, err
	}
	defer f.Close()
	rd := NewTraceReader(f, path, format)
	rd.spread = false // times only need their seconds here
	var info TraceInfo
	for {
		rec, err := rd.Next()
		if err == io.EOF {
			info.Period = rd.Period()
			return info, nil
		}
		if err != nil {
			return TraceInfo{}, err
		}
		info.Records++
		info.Span = rec.At
	}
}

// traceReplay is the event that issues a trace's records: it fires at a
// record's time, issues it through the Source, reads the next record and
// schedules itself for it.
type traceReplay struct {
	s     *Source
	cfg   Trace
	end   sim.Time // no record is issued at or after it; 0: no end
	f     *os.File
	rd    *TraceReader
	cur   *TraceRecord // the record due next
	shift int64        // ns added by the loops so far, at 1x
	err   error
}

func newTraceReplay(s *Source) *traceReplay {
	cfg := *s.cfg.Trace
	switch {
	case s.cfg.Users > 0:
		panic("workload: " + s.cfg.Name + ": a trace replay cannot have Users")
	case cfg.Speed < 0 || math.IsNaN(cfg.Speed) || math.IsInf(cfg.Speed, 0):
		panic(fmt.Sprintf("workload: %s: trace speed %v", s.cfg.Name, cfg.Speed))
	case cfg.Loop && s.cfg.End <= 0:
		panic("workload: " + s.cfg.Name + ": a looped trace needs an End")
	}
	if cfg.Speed == 0 {
		cfg.Speed = 1
	}
	return &traceReplay{s: s, cfg: cfg, end: s.cfg.End}
}

// start opens the trace and schedules its first record.
func (t *traceReplay) start() {
	f, err := os.Open(t.cfg.Path)
	if err != nil {
		t.err = err
		return
	}
	t.f = f
	t.rd = NewTraceReader(f, t.cfg.Path, t.cfg.Format)
	t.advance()
}

// Fire issues the record due now and schedules the next.
func (t *traceReplay) Fire(now sim.Time) {
	t.s.issue(now) // calls fill
	t.advance()
}

// fill makes r the request of the record due: its operation, key and
// size, on the workload's table with its consistency and query limit.
func (t *traceReplay) fill(r *request) {
	rec, s := t.cur, t.s
	r.then = 0
	r.req = model.Request{
		Table:       s.cfg.Table,
		Op:          rec.Op,
		Consistency: s.cfg.Consistency,
		Limit:       s.cfg.QueryLimit,
		Cursor:      &s.scan,
		Size:        rec.Size,
		ViaDAX:      s.cfg.ViaDAX,
	}
	r.keyBuf = append(r.keyBuf[:0], rec.Key...)
	r.req.Key = r.keyBuf
}

// advance reads the next record and schedules it, or ends the replay at
// the trace's end (after restarting it when looping), at End, or at an
// error, closing the file.
func (t *traceReplay) advance() {
	rec, err := t.rd.Next()
	if err == io.EOF && t.cfg.Loop {
		if p := int64(t.rd.Period()); t.shift <= math.MaxInt64-p {
			t.shift += p
		} else { // virtual time has no room for another pass
			t.close()
			return
		}
		if err = t.rd.Reset(); err == nil {
			rec, err = t.rd.Next()
		}
	}
	if err != nil {
		if err != io.EOF {
			t.err = err
		}
		t.close()
		return
	}
	at := t.virtual(rec.At)
	if t.end > 0 && at >= t.end {
		t.close()
		return
	}
	t.cur = rec
	t.s.k.At(at, t)
}

// virtual is the time of a record at the replay's speed, loops included.
func (t *traceReplay) virtual(at sim.Time) sim.Time {
	if int64(at) > math.MaxInt64-t.shift { // past the end of virtual time
		return sim.Never
	}
	x := t.shift + int64(at)
	if t.cfg.Speed == 1 {
		return sim.Time(x)
	}
	v := math.Round(float64(x) / t.cfg.Speed)
	if v >= float64(sim.Never) {
		return sim.Never
	}
	return sim.Time(v)
}

func (t *traceReplay) close() {
	t.cur = nil
	if t.f != nil {
		t.f.Close() // read only: nothing to lose
		t.f = nil
	}
}

// Err is the error that stopped a trace replay early (a line that cannot
// be read, or the file cannot be opened), as FILE:LINE: message; nil for
// other workloads and for a replay that ran to its end.
func (s *Source) Err() error {
	if s.trace == nil {
		return nil
	}
	return s.trace.err
}
