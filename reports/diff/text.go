package diff

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/ddbsim/ddbsim/reports"
)

// Value formats x in unit as every ddbsim output does (reports'
// formatters): "1,234", "7.33%", "3.38 s", "$0.108".
func Value(unit string, x float64) string {
	switch unit {
	case UnitCount, UnitVersion:
		return reports.CommasText(strconv.FormatFloat(math.Round(x), 'f', 0, 64))
	case UnitRatio:
		return reports.Pct(x)
	case UnitMs:
		return reports.DurationMs(x)
	case UnitSeconds:
		return (time.Duration(math.Round(x*1e3)) * time.Millisecond).String()
	case UnitUSD:
		return reports.USD(x)
	}
	return reports.Sig3(x, 3)
}

// ChangeText is B - A with its sign, in the row's unit; a ratio changes
// by percentage points.
func ChangeText(r Row) string {
	if r.Change == nil {
		return ""
	}
	c := *r.Change
	if c == 0 {
		return "0"
	}
	sign := "+"
	if c < 0 {
		sign = "-"
	}
	c = math.Abs(c)
	if r.Unit == UnitRatio {
		return sign + strconv.FormatFloat(c*100, 'f', 2, 64) + " pp"
	}
	return sign + Value(r.Unit, c)
}

// RatioText is how far B moved from A: "-99.7%", "+12.0%", or "x5.21"
// from twice up; "new" from 0, "only A" or "only B" for a number one
// result lacks.
func RatioText(r Row) string {
	switch {
	case r.A == nil && r.B == nil:
		return ""
	case r.A == nil:
		return "only B"
	case r.B == nil:
		return "only A"
	case *r.A == *r.B:
		return "="
	case *r.A == 0:
		return "new"
	}
	q := *r.B / *r.A
	if q >= 2 {
		x := reports.Sig3(q, 2)
		if strings.Contains(x, ".") {
			x = strings.TrimRight(strings.TrimRight(x, "0"), ".")
		}
		return "x" + x
	}
	p := (q - 1) * 100
	text := strconv.FormatFloat(p, 'f', 1, 64)
	switch {
	case text == "0.0" || text == "-0.0":
		text = strconv.FormatFloat(p, 'g', 2, 64)
	case p > 0:
		text = "+" + text
	}
	return strings.TrimSuffix(text, ".0") + "%"
}

// cell is one side of a row as text: "-" when the side lacks it.
func cell(r Row, x *float64, text string) string {
	switch {
	case r.Unit == UnitText:
		return text
	case x == nil && text == "":
		return "-"
	case x == nil:
		return text
	case text != "":
		return Value(r.Unit, *x) + " " + text
	}
	return Value(r.Unit, *x)
}

// Cells are a row's columns as text: A, B, the change and the ratio.
func Cells(r Row) (a, b, change, ratio string) {
	a, b = cell(r, r.A, r.AText), cell(r, r.B, r.BText)
	if r.Unit == UnitText {
		if r.AText != r.BText {
			ratio = "differs"
		}
		return a, b, "", ratio
	}
	return a, b, ChangeText(r), RatioText(r)
}

// WriteText writes d as a table per section, the warnings first and the
// verdict last.
func WriteText(w io.Writer, d *Diff) error {
	var buf bytes.Buffer
	fmt.Fprintf(&buf, "A: %s  %s  seed %d  %s\n", reports.SafeName(d.A.File), reports.SafeName(d.A.Scenario), d.A.Seed, Value(UnitSeconds, d.A.DurationS))
	fmt.Fprintf(&buf, "B: %s  %s  seed %d  %s\n", reports.SafeName(d.B.File), reports.SafeName(d.B.Scenario), d.B.Seed, Value(UnitSeconds, d.B.DurationS))
	for _, warning := range d.Warnings {
		fmt.Fprintf(&buf, "warning: %s\n", warning)
	}
	// The blank lines between sections hold empty cells, so that every
	// section's columns line up with the others'.
	tw := tabwriter.NewWriter(&buf, 0, 0, 2, ' ', 0)
	for _, s := range d.Sections {
		fmt.Fprintf(tw, "\t\t\t\t\n%s\tA\tB\tB-A\tchange\n", s.Title)
		for _, r := range s.Rows {
			a, b, change, ratio := Cells(r)
			fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\t%s\n", r.Metric, a, b, change, ratio)
		}
	}
	tw.Flush()
	fmt.Fprintf(&buf, "\nverdict: %s\n", d.Verdict)
	// tabwriter pads the last column too; lines end at their text.
	var out strings.Builder
	for _, line := range strings.SplitAfter(buf.String(), "\n") {
		out.WriteString(strings.TrimRight(strings.TrimSuffix(line, "\n"), " "))
		if strings.HasSuffix(line, "\n") {
			out.WriteByte('\n')
		}
	}
	_, err := io.WriteString(w, out.String())
	return err
}

// WriteJSON writes d as JSON, indented as the result JSON is.
func WriteJSON(w io.Writer, d *Diff) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(d)
}

// Text is d as WriteText writes it.
func Text(d *Diff) []byte {
	var buf bytes.Buffer
	WriteText(&buf, d) // a bytes.Buffer takes every write
	return buf.Bytes()
}

// Encode is d as "json" (WriteJSON) or "html" (WriteHTML); nil for a nil
// Diff.
func Encode(d *Diff, format string) []byte {
	if d == nil {
		return nil
	}
	var buf bytes.Buffer
	if format == "html" {
		WriteHTML(&buf, d) // a bytes.Buffer takes every write
	} else {
		WriteJSON(&buf, d)
	}
	return buf.Bytes()
}
