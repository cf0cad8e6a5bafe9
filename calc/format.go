package calc

// Numbers as the working shows them.

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/ddbsim/ddbsim/model/units"
	"github.com/ddbsim/ddbsim/reports"
)

// Num formats a number with at most two decimals, thousands
// separated: 135000 -> "135,000", 3.6667 -> "3.67".
func Num(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return strconv.FormatFloat(v, 'g', -1, 64)
	}
	s := strconv.FormatFloat(math.Round(v*100)/100, 'f', 2, 64)
	s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	whole, frac, _ := strings.Cut(s, ".")
	// The digits are grouped as text: a whole part beyond an int64
	// would wrap if parsed back.
	out := reports.CommasText(whole)
	if frac != "" {
		out += "." + frac
	}
	return out
}

// Size formats bytes in the largest unit that holds at least one:
// "6 KB", "2.5 KB", "512 B", "50 GB".
func Size(b int) string {
	units := []struct {
		name string
		size float64
	}{{"GB", 1 << 30}, {"MB", 1 << 20}, {"KB", 1 << 10}}
	for _, u := range units {
		if float64(b) >= u.size {
			return Num(float64(b)/u.size) + " " + u.name
		}
	}
	return fmt.Sprintf("%d B", b)
}

// unitsText: "1 unit", "0.5 units", "20 units".
func unitsText(u units.Units) string {
	if u == units.Unit {
		return "1 unit"
	}
	return Num(u.Float()) + " units"
}

// price writes a price as the price file does ("$0.00013"), products
// of prices rounded to 10 significant figures ("$0.00045").
func priceText(p float64) string {
	r, _ := strconv.ParseFloat(strconv.FormatFloat(p, 'g', 10, 64), 64)
	return "$" + strconv.FormatFloat(r, 'f', -1, 64)
}

// Plural is "s" unless n is 1.
func Plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}
