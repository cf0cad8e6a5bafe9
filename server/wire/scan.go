package wire

import (
	"encoding/json"
	"slices"
	"strings"
	"unicode/utf8"
)

// A small scanner over JSON that is known to be valid (encoding/json
// checks a whole body before it calls an UnmarshalJSON method, and
// DecodeValue and DecodeItem check their input first). It splits objects
// and arrays into the spans of their members without building maps, so
// decoding an AttributeValue allocates only what the value itself holds.
// Every loop moves forward through the input, and nesting is counted,
// not recursed into, so no input makes it loop or recurse without bound;
// invalid JSON (which UnmarshalJSON could be handed directly) gives
// garbage spans, never a panic.

// skipSpace returns the index of the first byte at or after i that is not
// JSON white space.
func skipSpace(raw []byte, i int) int {
	for i < len(raw) && (raw[i] == ' ' || raw[i] == '\t' || raw[i] == '\n' || raw[i] == '\r') {
		i++
	}
	return i
}

// stringEnd returns the index just past the JSON string starting at i.
func stringEnd(raw []byte, i int) int {
	for j := i + 1; j < len(raw); j++ {
		switch raw[j] {
		case '\\':
			j++
		case '"':
			return j + 1
		}
	}
	return len(raw)
}

// valueEnd returns the index just past the JSON value starting at i.
func valueEnd(raw []byte, i int) int {
	if i >= len(raw) {
		return len(raw)
	}
	switch raw[i] {
	case '"':
		return stringEnd(raw, i)
	case '{', '[':
		depth := 0
		for j := i; j < len(raw); j++ {
			switch raw[j] {
			case '"':
				j = stringEnd(raw, j) - 1
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					return j + 1
				}
			}
		}
		return len(raw)
	}
	j := i
	for j < len(raw) && !strings.ContainsRune(",}] \t\n\r", rune(raw[j])) {
		j++
	}
	return j
}

// unquote returns the text of a JSON string literal. Literals without
// escapes and in valid UTF-8, the common case, are copied as they stand.
func unquote(lit []byte) string {
	if len(lit) >= 2 && lit[0] == '"' && lit[len(lit)-1] == '"' {
		body := lit[1 : len(lit)-1]
		if !slices.Contains(body, '\\') && utf8.Valid(body) {
			return string(body)
		}
	}
	var s string
	_ = json.Unmarshal(lit, &s) // valid JSON: cannot fail for a string literal
	return s
}

// member is one member of a JSON object: its name's literal and its
// value's span.
type member struct {
	name  []byte // the quoted literal
	value []byte
}

// appendMembers appends the members of the JSON object starting at raw's
// first non-space byte, in their order.
func appendMembers(dst []member, raw []byte) []member {
	i := skipSpace(raw, 0) + 1 // past '{'
	for {
		i = skipSpace(raw, i)
		if i >= len(raw) || raw[i] == '}' {
			return dst
		}
		if raw[i] == ',' {
			i++
			continue
		}
		nameEnd := stringEnd(raw, i)
		name := raw[i:nameEnd]
		i = skipSpace(raw, nameEnd) + 1 // past ':'
		i = skipSpace(raw, min(i, len(raw)))
		end := max(valueEnd(raw, i), i+1)
		dst = append(dst, member{name: name, value: raw[min(i, len(raw)):min(end, len(raw))]})
		i = end
	}
}

// appendElements appends the spans of the elements of the JSON array
// starting at raw's first non-space byte.
func appendElements(dst [][]byte, raw []byte) [][]byte {
	i := skipSpace(raw, 0) + 1 // past '['
	for {
		i = skipSpace(raw, i)
		if i >= len(raw) || raw[i] == ']' {
			return dst
		}
		if raw[i] == ',' {
			i++
			continue
		}
		end := max(valueEnd(raw, i), i+1) // always move on, even over bytes valid JSON cannot hold here
		dst = append(dst, raw[i:min(end, len(raw))])
		i = end
	}
}
