package trace

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"

	"github.com/ddbsim/ddbsim/model/units"
	"github.com/ddbsim/ddbsim/sim"
)

// Format is the layout of a trace file.
type Format uint8

const (
	// CSV is ddbsim's own layout: timestamp,key,op,size.
	CSV Format = iota
	// Twitter is the Twitter cache-trace layout.
	Twitter
)

// Formats names the formats, for messages and flags.
var Formats = []string{"csv", "twitter"}

func (f Format) String() string {
	if int(f) < len(Formats) {
		return Formats[f]
	}
	return "format(" + strconv.Itoa(int(f)) + ")"
}

// ParseFormat returns the format named name ("csv", "twitter").
func ParseFormat(name string) (Format, bool) {
	for i, n := range Formats {
		if n == name {
			return Format(i), true
		}
	}
	return 0, false
}

// File is a trace opened for a replay. The replay reads it at offsets:
// to restart it when it loops, and to count a Twitter trace's seconds
// just ahead of the records it issues (see NewReader). An *os.File is
// one; so is a *bytes.Reader with a Close.
type File interface {
	io.ReaderAt
	io.Closer
}

// MaxLine is the longest line a trace may have, in bytes: the
// reader's buffer.
const MaxLine = 64 << 10

// csvHeader is the first line of a csv trace.
const csvHeader = "timestamp,key,op,size"

// twitterLayout names the fields of a Twitter trace line, for messages.
const twitterLayout = "timestamp,key,key_size,value_size,client_id,operation,ttl"

// Error is a line of a trace that cannot be read: FILE:LINE: what
// is wrong and what was expected.
type Error struct {
	File string
	Line int64
	Msg  string
}

func (e *Error) Error() string {
	return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
}

// Record is one request of a trace.
type Record struct {
	At   sim.Time // after the first record, at 1x, before any loop
	Key  []byte   // the partition key; valid until the reader's next Next
	Op   units.Op // get, put, update, delete, query or scan
	Size int      // the item's size in bytes for put and update; 0 otherwise
	Line int64    // where it was read
}

// Reader streams the records of a trace. Made by NewReader, it reads
// from an io.ReaderAt (an *os.File) so that it can restart (Reset) and,
// for the Twitter layout, count each second's records with a second
// reader. Reading allocates nothing after the first line of each pass.
type Reader struct {
	name   string
	format Format
	src    *io.SectionReader // nil for Scan's one pass, which cannot restart
	br     *bufio.Reader

	line    int64 // the line last read, from 1
	header  bool  // csv: the header was read
	records int64 // records read in this pass
	first   int64 // timestamp of the pass's first record: ns (csv) or s (twitter)
	prev    int64 // timestamp of the record before
	rec     Record

	// Twitter only: the records of one second are spread over it.
	spread bool
	count  *secondCounter
	secAt  int64 // the second being replayed
	secI   int64 // records of it issued so far
	secN   int64 // records in it
}

// NewReader reads a trace of format from src; name names it in
// errors (its path).
func NewReader(src io.ReaderAt, name string, format Format) *Reader {
	t := &Reader{
		name:   name,
		format: format,
		src:    io.NewSectionReader(src, 0, math.MaxInt64),
		spread: format == Twitter,
	}
	t.br = bufio.NewReaderSize(t.src, MaxLine)
	if t.spread {
		c := &secondCounter{src: io.NewSectionReader(src, 0, math.MaxInt64)}
		c.br = bufio.NewReaderSize(c.src, MaxLine)
		t.count = c
	}
	return t
}

// Reset rewinds the reader to the trace's start.
func (t *Reader) Reset() error {
	if t.src == nil {
		return errors.New("trace: " + t.name + ": a single pass cannot restart")
	}
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

func (t *Reader) errorf(format string, args ...any) error {
	return &Error{File: t.name, Line: t.line, Msg: fmt.Sprintf(format, args...)}
}

// Next returns the next record, io.EOF after the last, or an error: a
// *Error for a line that cannot be read, and for a trace with no
// record at all.
func (t *Reader) Next() (*Record, error) {
	for {
		line, err := t.readLine()
		if err == io.EOF {
			// An empty file is reported at its line 1, as every error
			// names a line of the file.
			t.line = max(t.line, 1)
			switch {
			case t.format == CSV && !t.header:
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
		if t.format == CSV && !t.header {
			if !isHeader(line) {
				return nil, t.errorf("expected the header %s, got %s", csvHeader, excerpt(line))
			}
			t.header = true
			continue
		}
		if t.format == Twitter {
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

func (t *Reader) example() string {
	if t.format == Twitter {
		return "0,key1,4,100,1,get,0 (" + twitterLayout + ")"
	}
	return "0.5,user42,get,0 (" + csvHeader + ")"
}

// readLine returns the next line without its line ending and the spaces
// around it, or io.EOF.
func (t *Reader) readLine() ([]byte, error) {
	line, err := t.br.ReadSlice('\n')
	switch {
	case err == bufio.ErrBufferFull:
		t.line++
		return nil, t.errorf("the line is longer than %d bytes; expected one record a line", MaxLine)
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

// Period is what one pass of the trace lasts at 1x, known once Next has
// returned io.EOF: the time from the first record to the last, plus one
// mean gap between records for csv (so that a loop keeps the trace's
// rate across the seam), or up to the end of the last second for twitter
// (whose records fill their seconds). It is at least a nanosecond, and at
// most sim.Never; a csv trace whose records all share one instant has a
// period of one second.
func (t *Reader) Period() sim.Time {
	if t.format == Twitter {
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

// BusyWindows is the number of window lengths Info.Busiest counts the
// records of: 10^0 ns to 10^18 ns (about 32 years), a power of ten each.
const BusyWindows = 19

// Info summarises a trace read in full.
type Info struct {
	Records int64
	Span    sim.Time // from the first record to the last, at 1x
	Period  sim.Time // one pass at 1x (Reader.Period)
	// Busiest[k] is the most records stamped within one window of 10^k
	// ns at 1x, the windows aligned to multiples of their length from
	// t=0: a burst of records at one instant counts whole in every
	// window. Any window of that length, aligned or not, holds at most
	// twice as many. A replay issues a window's records faster than they
	// can finish, so they are the requests it has in flight at once, and
	// what its memory grows with (ddbsim.Estimate).
	Busiest [BusyWindows]int64
}

// busyCounter counts Info.Busiest in constant memory: records come in
// time order, so each window length needs only the window it is in and
// its count so far.
type busyCounter struct {
	window [BusyWindows]int64 // the index of the current window of 10^k ns
	count  [BusyWindows]int64
}

func (b *busyCounter) add(at sim.Time, busiest *[BusyWindows]int64) {
	length := int64(1)
	for k := range BusyWindows {
		w := int64(at) / length
		if w != b.window[k] {
			b.window[k], b.count[k] = w, 0
		}
		b.count[k]++
		busiest[k] = max(busiest[k], b.count[k])
		length *= 10
	}
}

// Scan reads the whole trace from r, checking every line, and returns
// its size and span; name names it in errors (its path). Run it before
// a replay to report a bad line before anything runs; it holds one line
// at a time, and reads r once, in order.
func Scan(r io.Reader, name string, format Format) (Info, error) {
	// Times only need their seconds here: no second reader spreads them.
	rd := &Reader{name: name, format: format, br: bufio.NewReaderSize(r, MaxLine)}
	var info Info
	var busy busyCounter
	for {
		rec, err := rd.Next()
		if err == io.EOF {
			info.Period = rd.Period()
			return info, nil
		}
		if err != nil {
			return Info{}, err
		}
		info.Records++
		info.Span = rec.At
		busy.add(rec.At, &info.Busiest)
	}
}
