package expr

import "strings"

// tokKind classifies a token of the expression language.
type tokKind uint8

const (
	tEOF    tokKind = iota
	tIdent          // a bare name or keyword: status, AND, attribute_exists
	tName           // an expression attribute name: #n
	tValue          // an expression attribute value: :v
	tNumber         // decimal digits, only inside a list index
	tPunct          // ( ) [ ] , . = <> < <= > >= + -
	tBad            // a character the language does not have
)

type token struct {
	kind     tokKind
	text     string
	pos, end int // byte offsets in the source
}

func isWordByte(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// lex splits src into tokens, ending with tEOF. src is at most
// MaxExpressionLength bytes, so the slice is bounded.
func lex(src string) []token {
	var toks []token
	i := 0
	for {
		for i < len(src) && (src[i] == ' ' || src[i] == '\t' || src[i] == '\n' || src[i] == '\r') {
			i++
		}
		if i >= len(src) {
			return append(toks, token{kind: tEOF, text: "<EOF>", pos: len(src), end: len(src)})
		}
		start := i
		c := src[i]
		var k tokKind
		switch {
		case c == '#' || c == ':':
			i++
			for i < len(src) && isWordByte(src[i]) {
				i++
			}
			k = tName
			if c == ':' {
				k = tValue
			}
			if i == start+1 {
				k = tBad
			}
		case c >= '0' && c <= '9':
			for i < len(src) && src[i] >= '0' && src[i] <= '9' {
				i++
			}
			k = tNumber
			// A name may not start with a digit: "1a" is one bad token.
			for i < len(src) && isWordByte(src[i]) {
				i++
				k = tBad
			}
		case isWordByte(c):
			for i < len(src) && isWordByte(src[i]) {
				i++
			}
			k = tIdent
		case strings.HasPrefix(src[i:], "<>") || strings.HasPrefix(src[i:], "<=") || strings.HasPrefix(src[i:], ">="):
			i += 2
			k = tPunct
		case strings.IndexByte("()[],.=<>+-", c) >= 0:
			i++
			k = tPunct
		default:
			// One whole UTF-8 character, so the message quotes it intact.
			i++
			for i < len(src) && src[i]&0xC0 == 0x80 {
				i++
			}
			k = tBad
		}
		toks = append(toks, token{kind: k, text: src[start:i], pos: start, end: i})
	}
}

// isKeyword reports whether t is the bare word w in any letter case.
func (t token) isKeyword(w string) bool { return t.kind == tIdent && strings.EqualFold(t.text, w) }

func (t token) is(p string) bool { return t.kind == tPunct && t.text == p }
