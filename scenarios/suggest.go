package scenarios

import (
	"math"
	"strings"
)

// Suggestions for misspelt names: the nearest valid name by edit distance.

// Suggest returns the name in valid nearest to s when it is close enough
// to be a likely typo, or when s is an unambiguous prefix of one; else "":
// what a scenario's messages suggest, for files that name its parts.
func Suggest(s string, valid []string) string { return suggest(s, valid) }

// suggest returns the name in valid nearest to s when it is close enough
// to be a likely typo, or when s is an unambiguous prefix of one; else "".
func suggest(s string, valid []string) string {
	low := strings.ToLower(s)
	best, bestD := "", math.MaxInt
	for _, v := range valid {
		if d := editDistance(low, strings.ToLower(v)); d < bestD {
			best, bestD = v, d
		}
	}
	// Two edits catch most typos; on short words two edits change too much.
	limit := 2
	if len(s) <= 4 {
		limit = 1
	}
	if best != "" && bestD <= limit {
		return best
	}
	if len(s) >= 3 {
		var match []string
		for _, v := range valid {
			if strings.HasPrefix(strings.ToLower(v), low) {
				match = append(match, v)
			}
		}
		if len(match) == 1 {
			return match[0]
		}
		// The other way round: a longer spelling of a valid name, such
		// as YCSB's "zipfian" for "zipf".
		match = match[:0]
		for _, v := range valid {
			if len(v) >= 3 && strings.HasPrefix(low, strings.ToLower(v)) {
				match = append(match, v)
			}
		}
		if len(match) == 1 {
			return match[0]
		}
	}
	return ""
}

// editDistance is the optimal-string-alignment distance: insertions,
// deletions, substitutions and transpositions of neighbours each cost 1.
func editDistance(a, b string) int {
	if len(a) > 64 || len(b) > 64 {
		return math.MaxInt // nobody mistypes a key that long; keep it cheap
	}
	ra, rb := []rune(a), []rune(b)
	// d[i][j] is the distance between ra[:i] and rb[:j].
	d := make([][]int, len(ra)+1)
	for i := range d {
		d[i] = make([]int, len(rb)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(ra); i++ {
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(ra)][len(rb)]
}
