package html

import (
	"reflect"

	"github.com/ddbsim/ddbsim/reports"
)

// printable makes every string the page v points to safe to print, at the
// boundary between the data and the template: html/template escapes
// markup, but a control character (ESC, an OSC sequence, CR, BEL) in a
// name would reach the file raw. Each non-printable character is written
// as Go writes it in a quoted string ("\x1b"), as reports.SafeMessage
// does on a terminal; newlines and tabs, which lay text out, stay. It
// walks structs, pointers and slices, the shapes a page is made of, and
// reaches template.HTML too (an inline SVG holds the names of its plot).
func printable(v any) {
	scrub(reflect.ValueOf(v))
}

func scrub(v reflect.Value) {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			scrub(v.Elem())
		}
	case reflect.Struct:
		for i := range v.NumField() {
			scrub(v.Field(i))
		}
	case reflect.Slice, reflect.Array:
		for i := range v.Len() {
			scrub(v.Index(i))
		}
	case reflect.String:
		if s := v.String(); v.CanSet() {
			v.SetString(reports.SafeMessage(s))
		}
	}
}
