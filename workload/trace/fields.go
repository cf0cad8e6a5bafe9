package trace

// Reading the fields of a trace line without allocating.

import (
	"bytes"
	"fmt"
	"math"
	"strconv"
	"unicode/utf8"

	"github.com/ddbsim/ddbsim/sim"
)

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

// excerptBytes is the most of a line or field a message quotes: enough to
// recognise it, too little to echo a file that is no trace (a password
// file's first line) into a terminal or a log.
const excerptBytes = 20

// excerpt quotes the start of b, escaped, cut at a character boundary
// after at most excerptBytes bytes, saying how long it was when cut.
func excerpt[T ~string | ~[]byte](b T) string {
	s := string(b)
	if len(s) <= excerptBytes {
		return strconv.Quote(s)
	}
	end := excerptBytes
	for end > 0 && !utf8.RuneStart(s[end]) {
		end--
	}
	return fmt.Sprintf("%s... (%d bytes)", strconv.Quote(s[:end]), len(s))
}
