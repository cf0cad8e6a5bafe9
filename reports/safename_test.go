package reports_test

import (
	"bytes"
	"io"
	"strings"
	"testing"

	"github.com/ddbsim/ddbsim/reports"
	"github.com/ddbsim/ddbsim/reports/internal/fixture"
)

func TestSafeName(t *testing.T) {
	for in, want := range map[string]string{
		"orders":               "orders",
		"by-status.v2":         "by-status.v2",
		"Bestellungen Köln":    "Bestellungen Köln",
		"\x1b]0;pwned\a":       `"\x1b]0;pwned\a"`,
		"a\r\nb":               `"a\r\nb"`,
		"rtl\u202eevil":        `"rtl\u202eevil"`,
		"bad utf8 \xff":        `"bad utf8 \xff"`,
		"tab\there":            `"tab\there"`,
		"zero\u200bwidthspace": `"zero\u200bwidthspace"`,
	} {
		if got := reports.SafeName(in); got != want {
			t.Errorf("SafeName(%q) = %s, want %s", in, got, want)
		}
	}
}

// A result whose names carry ESC, OSC, BEL, CR and LF (from a result file
// or a trace: scenario files refuse them) once retitled the terminal,
// forged a line of summary.txt and broke latency.hlog's comments. Every
// text output now writes them escaped, in as many lines as plain names.
func TestHostileNamesAreEscapedInTextOutputs(t *testing.T) {
	const hostile = "\x1b]0;owned\a\x1b[31mred\r\nFORGED: all thresholds passed"
	plain := fixture.Synthetic()
	r := fixture.Synthetic()
	r.Scenario = hostile
	for i := range r.Tables {
		r.Tables[i].Name += hostile
	}
	if r.Cost != nil {
		for i := range r.Cost.Lines {
			r.Cost.Lines[i].Table += hostile
		}
	}
	writers := map[string]func(io.Writer, *reports.Result) error{
		"summary":    reports.WriteSummary,
		"bill":       reports.WriteBill,
		"explain":    reports.WriteExplain,
		"timeseries": reports.WriteTimeseriesCSV,
		"hlog":       reports.WriteHistogramLog,
	}
	for name, write := range writers {
		var got, want bytes.Buffer
		if err := write(&got, r); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if err := write(&want, plain); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		out := got.String()
		if strings.ContainsAny(out, "\x1b\a\r") {
			t.Errorf("%s: a control character reached the output:\n%q", name, out)
		}
		for _, line := range strings.Split(out, "\n") {
			if strings.HasPrefix(line, "FORGED") {
				t.Errorf("%s: a name forged a line: %q", name, line)
			}
		}
		if g, w := strings.Count(out, "\n"), strings.Count(want.String(), "\n"); g != w {
			t.Errorf("%s: %d lines, %d with plain names", name, g, w)
		}
	}
}

func TestSafeMessage(t *testing.T) {
	for in, want := range map[string]string{
		"plain message":                      "plain message",
		"two\nlines\tand a tab":              "two\nlines\tand a tab",
		"open x\x1b]0;owned\a.yaml: no such": `open x\x1b]0;owned\a.yaml: no such`,
		"cr\rforged":                         `cr\rforged`,
		"bidi \u202e":                        `bidi \u202e`,
		"bad \xff byte":                      `bad \xff byte`,
		"Köln":                               "Köln",
	} {
		if got := reports.SafeMessage(in); got != want {
			t.Errorf("reports.SafeMessage(%q) = %q, want %q", in, got, want)
		}
	}
}
