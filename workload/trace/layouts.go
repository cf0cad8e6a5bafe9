package trace

// The two layouts' records (csv, twitter), and the second reader that
// counts a Twitter trace's seconds.

import (
	"bufio"
	"bytes"
	"io"
	"math"

	"github.com/ddbsim/ddbsim/model/store"
	"github.com/ddbsim/ddbsim/model/units"
	"github.com/ddbsim/ddbsim/sim"
)

// setKey checks and keeps a record's key.
func (t *Reader) setKey(key []byte) error {
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
func (t *Reader) setTime(ts int64, field []byte, unit sim.Time) error {
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

func (t *Reader) parseCSV(line []byte) error {
	if n := bytes.Count(line, []byte(",")) + 1; n != 4 {
		return t.errorf("expected 4 fields (%s), got %d", csvHeader, n)
	}
	ts, rest, _ := cut(line)
	key, rest, _ := cut(rest)
	op, size, _ := cut(rest)
	size = trimSpace(size)

	v, ok := parseSeconds(ts)
	if !ok {
		return t.errorf("timestamp %s: expected seconds, a non-negative number such as 12.25", excerpt(ts))
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
		return t.errorf("op %s: expected one of %s", excerpt(op), joinNames(csvOps))
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
		return t.errorf("size %s: expected the item size in bytes, a whole number such as 1024", excerpt(size))
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

func (t *Reader) parseTwitter(line []byte) error {
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
		return t.errorf("timestamp %s: expected whole seconds, such as 3600", excerpt(ts))
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
		return t.errorf("key size %s: expected a whole number of bytes", excerpt(ksize))
	}
	vs, ok := parseUint(vsize)
	if !ok {
		return t.errorf("value size %s: expected a whole number of bytes", excerpt(vsize))
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
		return t.errorf("operation %s: expected one of %s", excerpt(op), joinNames(twitterOps))
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
func (t *Reader) spreadInSecond(sec int64) {
	if t.records == 0 || sec != t.secAt {
		t.secAt, t.secI, t.secN = sec, 0, t.count.group(sec)
	}
	i := min(t.secI, t.secN-1) // the counter saw fewer only if the file changed
	t.secI++
	t.rec.At += sim.Time(i * int64(sim.Second) / t.secN)
}

// secondCounter reads a Twitter trace just ahead of the Reader,
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
