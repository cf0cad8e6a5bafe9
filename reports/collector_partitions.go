package reports

import (
	"github.com/ddbsim/ddbsim/model"
	"github.com/ddbsim/ddbsim/model/units"
	"github.com/ddbsim/ddbsim/sim"
)

// PartitionSeriesBudget is the most memory one table's per-partition
// series (TableSeries.PartitionRead and the rest) take: 64 MiB. It holds
// a point each series step for every built-in scenario (the largest,
// two-tables-diurnal, needs 28 MB a table: a day of seconds over 8
// partitions; aggregate-month 26 MB: 10,000 steps over 64), room for
// their tables to split twice over, while a table of 10,000 partitions
// keeps some 168 points of its run, more columns than its heat map
// draws, in place of the 1.4 GB an hour of seconds would take. A run
// holds a few tables; their series together stay well within what a
// laptop spares a simulation.
const PartitionSeriesBudget = 64 << 20

// BytesPerPartitionPoint is what one partition's series take for one
// point: read and write units, read and write burst, and a throttle
// count, 8 B each.
const BytesPerPartitionPoint = 40

// partPoint is one partition's values for the partition series' point in
// progress: consumption and throttles so far, and the burst credit as
// last sampled.
type partPoint struct {
	read, write           units.Units
	readBurst, writeBurst units.Units
	throttles             int64
}

// partitionStride is the fewest series indexes a point of the partition
// series can cover for parts partitions over planned indexes within
// PartitionSeriesBudget: at least 1, and with so many partitions that no
// stride fits, the whole run.
func partitionStride(parts, planned int) int {
	if parts <= 0 || planned <= 0 {
		return 1
	}
	m := PartitionSeriesBudget / BytesPerPartitionPoint / parts // points each partition may keep
	if m <= 0 {
		return planned
	}
	return max(1, (planned+m-1)/m)
}

// partPoints is how many points the partition series of t hold for n
// series indexes.
func (t *tableStats) partPoints(n int) int { return (n + t.stride - 1) / t.stride }

// planned is the series indexes the run is expected to have: what
// Reserve made room for, or those recorded so far.
func (c *Collector) planned() int { return max(c.reserved, c.n) }

// partition makes room for partition p's series, coarsening the table's
// partition series when the new ones would pass PartitionSeriesBudget.
func (c *Collector) partition(t *tableStats, p int) {
	if p < len(t.cur) {
		return
	}
	c.addPartitions(t, p)
}

// addPartitions is partition's slow path: partitions up to p appear.
func (c *Collector) addPartitions(t *tableStats, p int) {
	if len(t.cur) == 0 {
		// The first partitions: the stride that fits as many as the
		// table was built with, so that they need not be coarsened
		// one by one as they appear.
		t.stride = partitionStride(max(p+1, t.info.Partitions), c.planned())
		t.from = t.point * t.stride
	}
	n, capacity := t.partPoints(c.n), t.partPoints(max(cap(c.offered), c.reserved))
	for len(t.cur) <= p {
		t.s.PartitionRead = append(t.s.PartitionRead, make([]units.Units, n, capacity))
		t.s.PartitionWrite = append(t.s.PartitionWrite, make([]units.Units, n, capacity))
		t.s.PartitionReadBurst = append(t.s.PartitionReadBurst, make([]units.Units, n, capacity))
		t.s.PartitionWriteBurst = append(t.s.PartitionWriteBurst, make([]units.Units, n, capacity))
		t.s.PartitionThrottles = append(t.s.PartitionThrottles, make([]int64, n, capacity))
		t.cur = append(t.cur, partPoint{})
	}
	c.fitPartitions(t)
}

// fitPartitions coarsens t's partition series, doubling their stride,
// for as long as they would pass PartitionSeriesBudget over the planned
// run.
func (c *Collector) fitPartitions(t *tableStats) {
	planned := c.planned()
	for t.stride < planned && len(t.cur)*t.partPoints(planned)*BytesPerPartitionPoint > PartitionSeriesBudget {
		t.coarsen()
	}
	t.s.PartitionStep = sim.Time(t.stride) * c.step
}

// coarsen doubles t's partition stride, merging each pair of points in
// place: consumption and throttles add, and a burst level takes the later
// sample, as a sample describes a step as it ends.
func (t *tableStats) coarsen() {
	t.flushPartitions()
	s := &t.s
	for p := range t.cur {
		mergeSum(&s.PartitionRead[p])
		mergeSum(&s.PartitionWrite[p])
		mergeSum(&s.PartitionThrottles[p])
		mergeLater(&s.PartitionReadBurst[p])
		mergeLater(&s.PartitionWriteBurst[p])
	}
	t.stride *= 2
	t.point /= 2
	t.from = t.point * t.stride
	t.loadPartitions()
}

// mergeSum halves *s, each point the sum of a pair.
func mergeSum[T units.Units | int64](s *[]T) {
	v := *s
	n := (len(v) + 1) / 2
	for j := range n {
		sum := v[2*j]
		if 2*j+1 < len(v) {
			sum += v[2*j+1]
		}
		v[j] = sum
	}
	clear(v[n:])
	*s = v[:n]
}

// mergeLater halves *s, each point the later of a pair.
func mergeLater[T any](s *[]T) {
	v := *s
	n := (len(v) + 1) / 2
	for j := range n {
		v[j] = v[min(2*j+1, len(v)-1)]
	}
	clear(v[n:])
	*s = v[:n]
}

// flushPartitions writes the point in progress into t's partition series.
// It is idempotent: the point goes on gathering.
func (t *tableStats) flushPartitions() {
	s := &t.s
	if len(t.cur) == 0 || t.point >= len(s.PartitionRead[0]) {
		return
	}
	i := t.point
	for p := range t.cur {
		pp := &t.cur[p]
		s.PartitionRead[p][i], s.PartitionWrite[p][i] = pp.read, pp.write
		s.PartitionReadBurst[p][i], s.PartitionWriteBurst[p][i] = pp.readBurst, pp.writeBurst
		s.PartitionThrottles[p][i] = pp.throttles
	}
}

// loadPartitions makes the point in progress what t's partition series
// hold for it.
func (t *tableStats) loadPartitions() {
	s := &t.s
	i := t.point
	for p := range t.cur {
		if i >= len(s.PartitionRead[p]) {
			t.cur[p] = partPoint{}
			continue
		}
		t.cur[p] = partPoint{
			read: s.PartitionRead[p][i], write: s.PartitionWrite[p][i],
			readBurst: s.PartitionReadBurst[p][i], writeBurst: s.PartitionWriteBurst[p][i],
			throttles: s.PartitionThrottles[p][i],
		}
	}
}

// partitionPoint makes the point of series index i the one in progress,
// closing the one before, when i is past it, and reports whether it did;
// false when i belongs to a point already closed, whose values the
// caller then writes into the series itself.
func (t *tableStats) partitionPoint(i int) bool {
	pi := i / t.stride
	if pi < t.point {
		return false
	}
	t.flushPartitions()
	for p := range t.cur {
		t.cur[p] = partPoint{}
	}
	t.point = pi
	t.from = pi * t.stride
	return true
}

// inPoint reports whether series index i falls in t's partition point in
// progress.
func (t *tableStats) inPoint(i int) bool { return uint(i-t.from) < uint(t.stride) }

// consumedPartition records consumption on partition p in series index i.
func (t *tableStats) consumedPartition(i, p int, read, write units.Units) {
	if !t.inPoint(i) && !t.partitionPoint(i) {
		pi := i / t.stride
		t.s.PartitionRead[p][pi] += read
		t.s.PartitionWrite[p][pi] += write
		return
	}
	pp := &t.cur[p]
	pp.read += read
	pp.write += write
}

// throttledPartition records n throttle events on partition p in series
// index i.
func (t *tableStats) throttledPartition(i, p int, n int64) {
	if !t.inPoint(i) && !t.partitionPoint(i) {
		t.s.PartitionThrottles[p][i/t.stride] += n
		return
	}
	t.cur[p].throttles += n
}

// sampledPartitions records the partitions' burst credit as sampled at
// the end of series index i.
func (t *tableStats) sampledPartitions(i int, parts []model.PartitionState) {
	if !t.inPoint(i) && !t.partitionPoint(i) {
		pi := i / t.stride
		for p, ps := range parts {
			t.s.PartitionReadBurst[p][pi], t.s.PartitionWriteBurst[p][pi] = ps.ReadBurst, ps.WriteBurst
		}
		return
	}
	for p, ps := range parts {
		pp := &t.cur[p]
		pp.readBurst, pp.writeBurst = ps.ReadBurst, ps.WriteBurst
	}
}
