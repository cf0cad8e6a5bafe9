package reports

import (
	"github.com/ddbsim/ddbsim/model"
	"github.com/ddbsim/ddbsim/model/units"
	"github.com/ddbsim/ddbsim/sim"
)

// Requests told apart: by the workload that sent them and by the table
// that served them, each group with its own counts and latency histograms
// (the totals' kind, so a group's percentiles are as exact as the run's).
// Memory grows with the workloads, tables and operations, never with the
// requests: a group and each of its operations allocate once, when their
// first request finishes.

// WorkloadInfo names a workload of the run: the scenario's name and the
// table it sends to. Outcomes refer to it by its index (model.Outcome.Workload).
type WorkloadInfo struct {
	Name  string
	Table string
}

// groupStats is what one group of requests did. The collector records
// each request once, in a cell: the group of its workload and table
// together, and in it the latency of its operation and cache class. Every
// coarser latency is the merge of the cells it covers, made when the
// result is read: the run's and each operation's (runLatency), each cache
// class's (cacheLatency), a workload's and a table's (merged). HDR
// histograms of one geometry merge exactly, their counts adding, as do
// counts, the exact sums and the maxima, so a merge is what recording each
// request at every level would have given, for one histogram record a
// request instead of four.
type groupStats struct {
	total, succeeded, throttled, errors int64
	throttleEvents, retries             int64
	// lat is the latency by cache class and operation, nil until such a
	// request first finishes. A merged group keeps it all in cacheOther.
	lat [numCacheClasses][units.NumOps]*latencyStats
}

// cacheClass is which of the cache latencies (CacheResult) a request's
// latency counts in: that of the hits, the misses or the writes through
// DAX, or none.
type cacheClass uint8

const (
	cacheOther cacheClass = iota // no DAX, a pass-through or a cache throttle
	cacheHit
	cacheMiss
	cacheWrite
	numCacheClasses
)

// classOf is the cache class of a request whose last attempt met a
// cluster as a.
func classOf(a model.CacheAccess) cacheClass {
	switch {
	case a == model.CacheNone:
		return cacheOther
	case a.IsHit():
		return cacheHit
	case a.IsMiss():
		return cacheMiss
	case a == model.CacheWrite:
		return cacheWrite
	}
	return cacheOther
}

// SetWorkloads names the run's workloads, in scenario order; without it the
// result has no per-workload entries. Call it before the run.
func (c *Collector) SetWorkloads(ws []WorkloadInfo) {
	c.workloadInfo = append([]WorkloadInfo(nil), ws...)
}

// SetOutages gives the region outages the run injects, for the result
// and the plots' markers. Call it before the run.
func (c *Collector) SetOutages(os []Outage) {
	c.outages = append([]Outage(nil), os...)
}

// recordCell counts n outcomes like o in the cell of its workload and
// table: cells[o.Workload+1][o.Table], row 0 for requests no workload
// sent.
func (c *Collector) recordCell(o *model.Outcome, n int64, lat sim.Time, us int64) {
	w := max(o.Workload+1, 0)
	if w >= len(c.cells) {
		c.cells = append(c.cells, make([][]*groupStats, w+1-len(c.cells))...)
	}
	row := &c.cells[w]
	if o.Table >= len(*row) {
		*row = append(*row, make([]*groupStats, o.Table+1-len(*row))...)
	}
	g := (*row)[o.Table]
	if g == nil {
		g = &groupStats{}
		(*row)[o.Table] = g
	}
	g.record(o, n, lat, us)
}

func (g *groupStats) record(o *model.Outcome, n int64, lat sim.Time, us int64) {
	g.total += n
	switch o.Result {
	case model.Succeeded:
		g.succeeded += n
	case model.Throttled:
		g.throttled += n
	case model.Failed:
		g.errors += n
	}
	g.throttleEvents += int64(o.Throttles) * n
	if o.Attempts > 1 {
		g.retries += int64(o.Attempts-1) * n
	}
	l := &g.lat[classOf(o.Cache)][o.Op]
	if *l == nil {
		*l = newLatencyStats()
	}
	(*l).recordN(lat, us, n)
}

// add merges o into g, every cache class into cacheOther.
func (g *groupStats) add(o *groupStats) {
	g.total += o.total
	g.succeeded += o.succeeded
	g.throttled += o.throttled
	g.errors += o.errors
	g.throttleEvents += o.throttleEvents
	g.retries += o.retries
	for k := range o.lat {
		for op, l := range o.lat[k] {
			mergeInto(&g.lat[cacheOther][op], l)
		}
	}
}

// mergeInto merges l, when there is one, into *dst, made when nil.
func mergeInto(dst **latencyStats, l *latencyStats) {
	if l == nil {
		return
	}
	if *dst == nil {
		*dst = newLatencyStats()
	}
	(*dst).merge(l)
}

// merged is the merge of the cells keep selects by workload (-1 for
// requests no workload sent) and table; nil when none has a request.
func (c *Collector) merged(keep func(w, t int) bool) *groupStats {
	var g *groupStats
	for w, row := range c.cells {
		for t, cell := range row {
			if cell != nil && keep(w-1, t) {
				if g == nil {
					g = &groupStats{}
				}
				g.add(cell)
			}
		}
	}
	return g
}

// eachCellLatency calls f with each latency the cells hold: that of the
// requests of one cache class and operation in one cell.
func (c *Collector) eachCellLatency(f func(k cacheClass, op units.Op, l *latencyStats)) {
	for _, row := range c.cells {
		for _, cell := range row {
			if cell == nil {
				continue
			}
			for k := range cell.lat {
				for op, l := range cell.lat[k] {
					if l != nil {
						f(cacheClass(k), units.Op(op), l)
					}
				}
			}
		}
	}
}

// runLatency is the latency of every request and that of each operation
// (nil when none finished), merged from the cells: once a Result.
func (c *Collector) runLatency() (*latencyStats, [units.NumOps]*latencyStats) {
	var ops [units.NumOps]*latencyStats
	c.eachCellLatency(func(_ cacheClass, op units.Op, l *latencyStats) { mergeInto(&ops[op], l) })
	all := newLatencyStats()
	for _, l := range ops {
		if l != nil {
			all.merge(l)
		}
	}
	return all, ops
}

// cacheLatency is the latency of the requests of cache class k, nil when
// none finished, merged from the cells: once a Result with DAX.
func (c *Collector) cacheLatency(k cacheClass) *latencyStats {
	var out *latencyStats
	c.eachCellLatency(func(class cacheClass, _ units.Op, l *latencyStats) {
		if class == k {
			mergeInto(&out, l)
		}
	})
	return out
}

func (g *groupStats) requests() Requests {
	return Requests{Total: g.total, Succeeded: g.succeeded, Throttled: g.throttled,
		ThrottleEvents: g.throttleEvents, Retries: g.retries, Errors: g.errors}
}

// latency is the latency of a merged group, every operation together.
func (g *groupStats) latency() Latency {
	all := newLatencyStats()
	for _, l := range g.lat[cacheOther] {
		if l != nil {
			all.merge(l)
		}
	}
	return all.latency()
}

// operations is a merged group's latency by operation.
func (g *groupStats) operations() map[string]OpResult {
	out := map[string]OpResult{}
	for op, l := range g.lat[cacheOther] {
		if l != nil {
			out[units.Op(op).String()] = OpResult{Count: l.count, LatencyMs: l.latency()}
		}
	}
	return out
}

// workloadResults lists the named workloads in scenario order, those that
// sent nothing included.
func (c *Collector) workloadResults() []WorkloadResult {
	if c.workloadInfo == nil {
		return nil
	}
	out := make([]WorkloadResult, len(c.workloadInfo))
	for i, w := range c.workloadInfo {
		wr := WorkloadResult{Name: w.Name, Table: w.Table, Operations: map[string]OpResult{}}
		if g := c.merged(func(wi, _ int) bool { return wi == i }); g != nil {
			wr.Requests = g.requests()
			wr.LatencyMs = g.latency()
			wr.ThrottledRatio = Ratio(g.throttled, g.total)
			wr.Operations = g.operations()
		}
		out[i] = wr
	}
	return out
}

// tableRequests fills the request breakdown of table i, when workloads
// sent it requests.
func (c *Collector) tableRequests(i int, tr *TableResult) {
	g := c.merged(func(w, t int) bool { return t == i && w >= 0 })
	if g == nil {
		return
	}
	req, lat := g.requests(), g.latency()
	tr.Requests, tr.LatencyMs, tr.Operations = &req, &lat, g.operations()
}
