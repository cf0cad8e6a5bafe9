package reports

import (
	"fmt"

	"github.com/HdrHistogram/hdrhistogram-go"

	"github.com/ddbsim/ddbsim/model"
	"github.com/ddbsim/ddbsim/model/stream"
	"github.com/ddbsim/ddbsim/sim"
)

// AvailabilityInterval is the span over which availability is measured,
// as the service's SLA measures its error rate: 5 minutes.
const AvailabilityInterval = 5 * sim.Minute

// unavailable reports whether a request that failed with kind counts
// against availability: the service was down or could not serve it
// (region_unavailable, timeout, replicated_write_conflict,
// transaction_conflict), not a throttle or a request the service refused
// for what it asked (a failed condition, an item collection too large).
func unavailable(kind model.ErrorKind) bool {
	switch kind {
	case model.ErrRegionUnavailable, model.ErrTimeout, model.ErrReplicatedWriteConflict, model.ErrTransactionConflict:
		return true
	}
	return false
}

// replicationStats is the global tables' replication over the run.
type replicationStats struct {
	// lag is the replication lag of writes applied at another replica,
	// in µs, up to lagHighest.
	lag                                              latencyStats
	delivered, conflicts, reads, stale, unreplicated int64
	s                                                ReplicationSeries
}

// lagHighest is the longest replication lag the histogram resolves, in µs:
// a week, past any outage a scenario sensibly injects (a region down for
// hours delivers its writes when it returns); the maximum stays exact.
const lagHighest = int64(7 * 24 * sim.Hour / sim.Microsecond)

// consumerStats is one stream consumer over the run: its last sample and
// the largest iterator age sampled.
type consumerStats struct {
	last   stream.ConsumerState
	maxAge sim.Time
}

// consumer makes room for consumer k of table t's stream, named name.
func (c *Collector) consumer(t *tableStats, k int, name string) {
	for len(t.consumers) <= k {
		t.consumers = append(t.consumers, consumerStats{})
		t.s.Consumers = append(t.s.Consumers, ConsumerSeries{
			IteratorAge: make([]sim.Time, c.n, cap(c.offered)),
			Backlog:     make([]int64, c.n, cap(c.offered)),
		})
	}
	t.s.Consumers[k].Name = name
}

// Global implements model.Recorder: one event of a global table's
// replication.
func (c *Collector) Global(now sim.Time, ev *model.GlobalEvent) { c.GlobalN(now, ev, 1) }

// GlobalN implements model.GlobalCountRecorder: n events like ev, as the
// aggregate driver reports them. It is Global called n times.
func (c *Collector) GlobalN(now sim.Time, ev *model.GlobalEvent, n int64) {
	if n < 0 {
		panic(fmt.Sprintf("reports: %d global events", n))
	}
	if n == 0 {
		return
	}
	c.table(ev.Table)
	r := c.replication()
	i := c.second(now)
	switch ev.Kind {
	case model.GlobalDelivered:
		lag := max(ev.Lag, 0)
		us := int64((lag + sim.Microsecond/2) / sim.Microsecond)
		r.lag.recordN(lag, min(us, lagHighest), n)
		r.delivered += n
		r.s.Delivered[i] += n
	case model.GlobalConflict:
		r.conflicts += n
		r.s.Conflicts[i] += n
	case model.GlobalRead:
		r.reads += n
		r.s.Reads[i] += n
		if ev.Stale {
			r.stale += n
			r.s.StaleReads[i] += n
		}
	case model.GlobalUnreplicated:
		r.unreplicated += n
		r.s.Unreplicated[i] += n
	default:
		panic(fmt.Sprintf("reports: global event of kind %d", ev.Kind))
	}
}

// replication returns the replication stats, making them the first time.
func (c *Collector) replication() *replicationStats {
	if c.repl == nil {
		c.repl = &replicationStats{lag: latencyStats{h: hdrhistogram.New(histLowest, lagHighest, histDigits)}}
		for _, k := range c.repl.s.counts() {
			*k = make([]int64, c.n, cap(c.offered))
		}
	}
	return c.repl
}
