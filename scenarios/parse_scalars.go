package scenarios

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

// Scalar values: sizes, counts, rates, durations and enumerations, each
// reported at its own node when it is wrong.

// scalar returns the text of a scalar node, or reports that field needs
// one (want says what kind, "a size such as 2KB").
func (p *parser) scalar(n *yaml.Node, field, want string) (string, bool) {
	if n.Kind != yaml.ScalarNode || n.ShortTag() == "!!null" {
		p.errorf(n, "%s: expected %s, got %s", field, want, describe(n))
		return "", false
	}
	return n.Value, true
}

// value parses a scalar with one of the unit parsers.
func value[T any](p *parser, n *yaml.Node, field, want string, parse func(string) (T, error)) (T, bool) {
	var zero T
	s, ok := p.scalar(n, field, want)
	if !ok {
		return zero, false
	}
	v, err := parse(s)
	if err != nil {
		p.errorf(n, "%s: %v", field, err)
		return zero, false
	}
	return v, true
}

// str returns a non-empty string of printable characters: every string
// it reads is a name or a file name, which reports, file names and
// terminals print.
func (p *parser) str(n *yaml.Node, field string) string {
	s, ok := p.scalar(n, field, "a string")
	if ok && strings.TrimSpace(s) == "" {
		p.errorf(n, "%s must not be empty", field)
	}
	if ok {
		if msg := nonPrinting(s); msg != "" {
			p.errorf(n, "%s %s %s: a name is printed in reports and on terminals, so it must be printable characters", field, strconv.Quote(s), msg)
		}
	}
	return s
}

// nonPrinting describes the first character of s that is not printable
// (a control character such as ESC, CR or LF, a format character such as
// a bidirectional override, a space other than U+0020, or a byte that is
// not UTF-8), or is "" when every character is printable.
func nonPrinting(s string) string {
	for i, r := range s {
		switch {
		case r == utf8.RuneError:
			if _, size := utf8.DecodeRuneInString(s[i:]); size == 1 {
				return fmt.Sprintf("holds a byte that is not UTF-8 (0x%02x) at byte %d", s[i], i)
			}
		case !unicode.IsPrint(r):
			return fmt.Sprintf("holds the non-printing character %U at byte %d", r, i)
		}
	}
	return ""
}

func (p *parser) size(n *yaml.Node, field string) (int64, bool) {
	return value(p, n, field, "a size such as 2KB", ParseSize)
}

func (p *parser) count(n *yaml.Node, field string) (int64, bool) {
	return value(p, n, field, "a count such as 1000 or 1k", ParseCount)
}

func (p *parser) rate(n *yaml.Node, field string) (float64, bool) {
	return value(p, n, field, "a rate such as 500/s", ParseRate)
}

func (p *parser) percent(n *yaml.Node, field string) (float64, bool) {
	return value(p, n, field, "a percentage such as 70%", ParsePercent)
}

// atLeast parses a count that must be at least min.
func (p *parser) atLeast(n *yaml.Node, field string, min int64) int64 {
	v, ok := p.count(n, field)
	if ok && v < min {
		p.errorf(n, "%s must be at least %d", field, min)
	}
	return v
}

// itemSize parses the size of one item: positive and within the service's
// 400KB limit.
func (p *parser) itemSize(n *yaml.Node, field string) int64 {
	v, ok := p.size(n, field)
	switch {
	case !ok:
	case v < 1:
		p.errorf(n, "%s must be positive", field)
	case v > maxItemSize:
		p.errorf(n, "%s: %s is larger than the service's 400KB item limit", field, n.Value)
	}
	return v
}

// duration parses a duration that must be positive.
func (p *parser) duration(n *yaml.Node, field string) time.Duration {
	d, ok := value(p, n, field, "a duration such as 90s", ParseDuration)
	if ok && d <= 0 {
		p.errorf(n, "%s must be positive, got %s", field, n.Value)
	}
	return d
}

// number parses a positive decimal such as 1.2.
func (p *parser) number(n *yaml.Node, field string) float64 {
	s, ok := p.scalar(n, field, "a number such as 1.2")
	if !ok {
		return 0
	}
	r, ok := decimal(strings.TrimPrefix(s, "-"))
	if !ok {
		p.errorf(n, "%s: expected a number such as 1.2, got %s", field, describe(n))
		return 0
	}
	f, _ := r.Float64()
	if f <= 0 || strings.HasPrefix(s, "-") {
		p.errorf(n, "%s must be greater than 0, got %s", field, s)
	}
	return f
}

// oneOf returns the value of n if it is one of valid.
func (p *parser) oneOf(n *yaml.Node, field string, valid ...string) string {
	s, ok := p.scalar(n, field, orList(valid))
	if !ok || slices.Contains(valid, s) {
		return s
	}
	if near := suggest(s, valid); near != "" {
		p.errorf(n, "%s: unknown value %q; did you mean %q?", field, s, near)
	} else {
		p.errorf(n, "%s: unknown value %q; expected %s", field, s, orList(valid))
	}
	return s
}

// orList writes "a, b or c".
func orList(items []string) string {
	if len(items) < 2 {
		return strings.Join(items, "")
	}
	return strings.Join(items[:len(items)-1], ", ") + " or " + items[len(items)-1]
}

// fmtPercent writes a fraction as a percentage without float noise.
func fmtPercent(f float64) string {
	return strconv.FormatFloat(math.Round(f*100*1e6)/1e6, 'f', -1, 64) + "%"
}
