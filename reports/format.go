package reports

// Formatting shared with other commands' output, so that every number
// ddbsim prints reads the same.

// Commas formats n with thousands separators: 1234567 -> "1,234,567".
func Commas(n int64) string { return commas(n) }

// USD formats dollars: cents from a dollar up ("$1,234.50"), three
// significant figures below it ("$0.0650").
func USD(x float64) string { return usd(x) }
