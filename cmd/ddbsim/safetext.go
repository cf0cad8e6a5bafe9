package main

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// safeMessage escapes every character of a message for standard error
// that is not printable, except the newlines and tabs the message lays
// itself out with: a name or path inside it (a file name, a name from a
// result or trace) may hold ESC, an OSC sequence, CR or BEL, which would
// otherwise drive the terminal. Each is written as Go writes it in a
// quoted string ("\x1b", "\r", "\u202e").
func safeMessage(s string) string {
	if !needsEscape(s) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case r == '\n' || r == '\t' || unicode.IsPrint(r):
			b.WriteString(s[i : i+size])
		default:
			q := strconv.QuoteRune(r)
			b.WriteString(q[1 : len(q)-1])
		}
		i += size
	}
	return b.String()
}

func needsEscape(s string) bool {
	if !utf8.ValidString(s) {
		return true
	}
	for _, r := range s {
		if r != '\n' && r != '\t' && !unicode.IsPrint(r) {
			return true
		}
	}
	return false
}

// printError writes err on standard error, escaped (safeMessage).
func (e *env) printError(err error) {
	fmt.Fprintln(e.stderr, safeMessage(err.Error()))
}
