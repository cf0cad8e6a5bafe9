package html

import (
	"strconv"

	"github.com/ddbsim/ddbsim/model/capacity"
	"github.com/ddbsim/ddbsim/model/units"
	"github.com/ddbsim/ddbsim/reports"
	"github.com/ddbsim/ddbsim/sim"
)

// capacityRanges gives each table's capacity in effect at the start, its
// lowest and highest, and at the end, from the series: auto scaling and
// scheduled changes move it, and the starting figure alone would hide
// that. Nothing without a series.
func capacityRanges(r *reports.Result) []htmlCapacityRange {
	s := r.Series
	if s == nil {
		return nil
	}
	var out []htmlCapacityRange
	for i := range s.Tables {
		ts := &s.Tables[i]
		row := htmlCapacityRange{Table: reports.SafeName(ts.Name)}
		if i < len(r.Tables) {
			row.Table, row.Mode = reports.SafeName(reports.TableLabel(&r.Tables[i])), r.Tables[i].Mode
		}
		span := func(c []units.Units) (start, lo, hi, end string, ok bool) {
			s, l, h, e, ok := reports.CapacitySpan(ts, c)
			if !ok {
				return "", "", "", "", false
			}
			f := func(v units.Units) string { return reports.Sig3(v.Float(), 3) }
			return f(s), f(l), f(h), f(e), ok
		}
		var okR, okW bool
		row.RCUStart, row.RCUMin, row.RCUPeak, row.RCUEnd, okR = span(ts.ReadCapacity)
		row.WCUStart, row.WCUMin, row.WCUPeak, row.WCUEnd, okW = span(ts.WriteCapacity)
		if okR || okW {
			out = append(out, row)
		}
	}
	return out
}

// hotPartitions names each table's busiest partition: the one that came
// closest to its hard ceiling (read units/3,000 + write units/1,000) in
// any one series step (in any one point of its partition series, when
// they are coarser: TableSeries.PartitionStep), with the partition count then, and its hash range
// when a throttle on it was kept. Partition numbers are those of that
// moment: a later split renumbers the partitions after it.
func hotPartitions(r *reports.Result) []htmlHotPartition {
	s := r.Series
	if s == nil {
		return nil
	}
	step := s.StepSeconds()
	var out []htmlHotPartition
	for i := range s.Tables {
		ts := &s.Tables[i]
		best, bestPart, bestAt := 0.0, -1, 0
		// A point of the partition series covers k series steps (more
		// than one only for a table of thousands of partitions): its
		// load is their mean, and it is placed at its first.
		k := ts.PartitionStride(s.Step)
		for p := range ts.PartitionRead {
			for j := range ts.PartitionRead[p] {
				v := valueOr(ts.PartitionRead[p], j).Float()/float64(capacity.PartitionReadCeiling) +
					valueOr(ts.PartitionWrite[p], j).Float()/float64(capacity.PartitionWriteCeiling)
				if v > best {
					best, bestPart, bestAt = v, p, j
				}
			}
		}
		if bestPart < 0 {
			continue
		}
		best /= float64(k)
		bestAt *= k
		name := ts.Name
		if i < len(r.Tables) {
			name = reports.TableLabel(&r.Tables[i])
		}
		h := htmlHotPartition{
			Table:     reports.SafeName(name),
			Partition: strconv.Itoa(bestPart),
			Time:      reports.Clock(sim.Time(bestAt*step) * sim.Second),
			Load:      reports.Pct(best / float64(step)),
		}
		if n := valueOr(ts.Partitions, bestAt); n > 0 {
			h.Partitions = reports.Commas(n)
		}
		for _, e := range r.Explanations {
			// The same partition only while the count is the same: a
			// split in between renumbers them.
			at := int(e.At / sim.Time(step) / sim.Second)
			if e.Event.Table == i && e.Event.Partition == bestPart && e.Event.RangeEnd > e.Event.RangeStart &&
				valueOr(ts.Partitions, at) == valueOr(ts.Partitions, bestAt) {
				h.Hashes = reports.HashPrefix(e.Event.RangeStart) + "–" + reports.HashPrefix(e.Event.RangeEnd)
				break
			}
		}
		out = append(out, h)
	}
	return out
}

// valueOr is s[i], or 0 past its end.
func valueOr[T any](s []T, i int) T {
	if i < len(s) {
		return s[i]
	}
	var zero T
	return zero
}
