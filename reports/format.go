package reports

import "strconv"

// Formatting shared with other commands' output, so that every number
// ddbsim prints reads the same.

// Commas formats n with thousands separators: 1234567 -> "1,234,567".
func Commas(n int64) string { return commas(n) }

// USD formats dollars: cents from a dollar up ("$1,234.50"), three
// significant figures below it ("$0.0650").
func USD(x float64) string { return usd(x) }

// Percent writes a ratio as a percentage with decimals decimals:
// Percent(0.2889, 1) is "28.9%".
func Percent(ratio float64, decimals int) string {
	return strconv.FormatFloat(100*ratio, 'f', decimals, 64) + "%"
}

// AboutCount writes a large count to two or three significant figures:
// "52 billion", "3.1 million", "950".
func AboutCount(n float64) string {
	return aboutScaled(n, "", []scale{{1e12, " trillion"}, {1e9, " billion"}, {1e6, " million"}, {1e3, " thousand"}})
}

// AboutBytes writes a byte count to two or three significant figures:
// "1.5 GiB".
func AboutBytes(b float64) string {
	return aboutScaled(b, " B", []scale{{1 << 50, " PiB"}, {1 << 40, " TiB"}, {1 << 30, " GiB"}, {1 << 20, " MiB"}, {1 << 10, " KiB"}})
}

// scale is a unit a large number may be written in: its value and name.
type scale struct {
	v    float64
	name string
}

// aboutScaled writes x in the largest of scales (largest first) it
// reaches, to two or three significant figures, or whole with unit.
func aboutScaled(x float64, unit string, scales []scale) string {
	for _, u := range scales {
		if x >= u.v {
			v := x / u.v
			prec := 1
			if v >= 10 {
				prec = 0
			}
			return strconv.FormatFloat(v, 'f', prec, 64) + u.name
		}
	}
	return strconv.FormatFloat(x, 'f', 0, 64) + unit
}
