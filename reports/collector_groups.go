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
// each request once, in the group of its workload and table together (a
// cell); a workload's or a table's group is the merge of its cells, made
// when the result is, so that telling requests apart costs one histogram
// record a request rather than four.
type groupStats struct {
	total, succeeded, throttled, errors int64
	throttleEvents, retries             int64
	ops                                 [units.NumOps]*latencyStats // nil until the operation first finishes
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

// recordGroups counts n outcomes like o in the cell of its workload and
// table.
func (c *Collector) recordGroups(o *model.Outcome, n int64, lat sim.Time, us int64) {
	if o.Workload < 0 || o.Table < 0 {
		return
	}
	if o.Workload >= len(c.cells) {
		c.cells = append(c.cells, make([][]*groupStats, o.Workload+1-len(c.cells))...)
	}
	row := &c.cells[o.Workload]
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
	l := g.ops[o.Op]
	if l == nil {
		l = newLatencyStats()
		g.ops[o.Op] = l
	}
	l.recordN(lat, us, n)
}

// add merges o into g.
func (g *groupStats) add(o *groupStats) {
	g.total += o.total
	g.succeeded += o.succeeded
	g.throttled += o.throttled
	g.errors += o.errors
	g.throttleEvents += o.throttleEvents
	g.retries += o.retries
	for op, l := range o.ops {
		if l == nil {
			continue
		}
		if g.ops[op] == nil {
			g.ops[op] = newLatencyStats()
		}
		g.ops[op].merge(l)
	}
}

// merged is the merge of the cells keep selects by workload and table;
// nil when none has a request.
func (c *Collector) merged(keep func(w, t int) bool) *groupStats {
	var g *groupStats
	for w, row := range c.cells {
		for t, cell := range row {
			if cell != nil && keep(w, t) {
				if g == nil {
					g = &groupStats{}
				}
				g.add(cell)
			}
		}
	}
	return g
}

func (g *groupStats) requests() Requests {
	return Requests{Total: g.total, Succeeded: g.succeeded, Throttled: g.throttled,
		ThrottleEvents: g.throttleEvents, Retries: g.retries, Errors: g.errors}
}

// latency is the group's latency, every operation together.
func (g *groupStats) latency() Latency {
	all := newLatencyStats()
	for _, l := range g.ops {
		if l != nil {
			all.merge(l)
		}
	}
	return all.latency()
}

func (g *groupStats) operations() map[string]OpResult {
	out := map[string]OpResult{}
	for op, l := range g.ops {
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

// tableRequests fills the request breakdown of table i, when clients sent
// it requests.
func (c *Collector) tableRequests(i int, tr *TableResult) {
	g := c.merged(func(_, t int) bool { return t == i })
	if g == nil {
		return
	}
	req, lat := g.requests(), g.latency()
	tr.Requests, tr.LatencyMs, tr.Operations = &req, &lat, g.operations()
}
