package plot

import (
	"github.com/ddbsim/ddbsim/reports"
)

// rowSpan is the heat map rows [lo, hi) a partition covers.
type rowSpan struct{ lo, hi int }

// heatLayout keeps the heat map's rows by hash range: a row is a
// partition the table has at the end of the run, in hash order (the
// model's partition order), and a partition that later split covers the
// rows of every partition it split into. So no row renumbers when a
// partition splits: its row divides into its halves from then on.
type heatLayout struct {
	rows int
	// at[k] is the layout after the table's first k split events:
	// at[k][i] the rows partition i covers.
	at [][]rowSpan
	// times[k] is when event k happened, in seconds.
	times []float64
}

// newHeatLayout follows table's splits among events back from its final
// partition count, final; countBefore(t) is the partition count sampled
// last before time t, 0 when none was. It returns nil when the splits do
// not account for every partition (the result keeps at most 1,000
// events, or a count does not add up): the heat map then keeps rows by
// partition number.
func newHeatLayout(events []reports.CapacityEvent, table string, final int, countBefore func(t float64) int) *heatLayout {
	type split struct {
		t            float64
		doubled      bool
		part, before int
		after        int
	}
	var splits []split
	prev := 0
	for _, e := range events {
		if e.Table != table {
			continue
		}
		switch e.Kind {
		case "partitions doubled":
			splits = append(splits, split{t: e.TimeS, doubled: true, before: e.Partitions / 2, after: e.Partitions})
		case "size split", "heat split", "hot key isolated":
			before := prev
			if before == 0 {
				before = countBefore(e.TimeS)
			}
			if before == 0 && e.Kind != "hot key isolated" {
				before = e.Partitions - 1 // one split, one more partition
			}
			splits = append(splits, split{t: e.TimeS, part: e.Partition, before: before, after: e.Partitions})
		default:
			continue
		}
		prev = e.Partitions
	}
	if len(splits) == 0 || final <= 0 || splits[len(splits)-1].after != final {
		return nil
	}
	l := &heatLayout{rows: final, at: make([][]rowSpan, len(splits)+1), times: make([]float64, len(splits))}
	cur := make([]rowSpan, final)
	for i := range cur {
		cur[i] = rowSpan{i, i + 1}
	}
	l.at[len(splits)] = cur
	for k := len(splits) - 1; k >= 0; k-- {
		s := splits[k]
		l.times[k] = s.t
		if len(cur) != s.after || s.before <= 0 || s.before > s.after {
			return nil
		}
		prevSpans := make([]rowSpan, s.before)
		if s.doubled {
			if s.after != 2*s.before {
				return nil
			}
			for j := range prevSpans {
				prevSpans[j] = rowSpan{cur[2*j].lo, cur[2*j+1].hi}
			}
		} else {
			d := s.after - s.before
			if s.part < 0 || s.part+d >= len(cur) {
				return nil
			}
			copy(prevSpans, cur[:s.part])
			prevSpans[s.part] = rowSpan{cur[s.part].lo, cur[s.part+d].hi}
			copy(prevSpans[s.part+1:], cur[s.part+d+1:])
		}
		cur = prevSpans
		l.at[k] = cur
	}
	return l
}

// spans is the layout second sec (of step seconds) is sampled in: after
// every split up to the second's end, when its partitions are counted.
func (l *heatLayout) spans(sec, step int) []rowSpan {
	end := float64((sec + 1) * step)
	k := 0
	for k < len(l.times) && l.times[k] <= end {
		k++
	}
	return l.at[k]
}
