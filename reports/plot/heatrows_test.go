package plot

import (
	"slices"
	"testing"

	"github.com/ddbsim/ddbsim/reports"
)

// The heat map's rows follow hash ranges: a table of 2 partitions that
// doubles to 4 at 10 s, then splits its third (index 2) at 20 s and
// isolates a hot key out of its first at 30 s (two splits: 7 partitions)
// has 7 rows, and each earlier partition covers the rows of what it
// split into.
func TestHeatLayoutFollowsSplits(t *testing.T) {
	events := []reports.CapacityEvent{
		{TimeS: 5, Table: "t", Kind: "update applied", Partitions: 2},
		{TimeS: 10, Table: "t", Kind: "partitions doubled", Partitions: 4},
		{TimeS: 15, Table: "other", Kind: "heat split", Partitions: 9},
		{TimeS: 20, Table: "t", Kind: "heat split", Partition: 2, Partitions: 5},
		{TimeS: 30, Table: "t", Kind: "hot key isolated", Partition: 0, Partitions: 7},
	}
	l := newHeatLayout(events, "t", 7, func(float64) int { return 0 })
	if l == nil {
		t.Fatal("no layout")
	}
	for _, c := range []struct {
		sec  int
		want []rowSpan
	}{
		{0, []rowSpan{{0, 4}, {4, 7}}},
		{10, []rowSpan{{0, 3}, {3, 4}, {4, 6}, {6, 7}}},
		{20, []rowSpan{{0, 3}, {3, 4}, {4, 5}, {5, 6}, {6, 7}}},
		{30, []rowSpan{{0, 1}, {1, 2}, {2, 3}, {3, 4}, {4, 5}, {5, 6}, {6, 7}}},
	} {
		// Second sec-1 is sampled at sec: after an event at sec.
		if got := l.spans(c.sec-1, 1); !slices.Equal(got, c.want) && c.sec > 0 {
			t.Errorf("second %d: %v, want %v", c.sec-1, got, c.want)
		}
		if c.sec == 0 {
			if got := l.spans(0, 1); !slices.Equal(got, c.want) {
				t.Errorf("second 0: %v, want %v", got, c.want)
			}
		}
	}
	// Events that do not add up (a split that loses a partition) give no
	// layout: the heat map keeps rows by number.
	if newHeatLayout(events[:4], "t", 7, func(float64) int { return 0 }) != nil {
		t.Error("a layout from splits that end at 5 partitions, for 7")
	}
}
