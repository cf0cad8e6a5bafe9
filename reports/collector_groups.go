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

// groupStats is what one group of requests did.
type groupStats struct {
	total, succeeded, throttled, errors int64
	throttleEvents, retries             int64
	all                                 latencyStats
	ops                                 [units.NumOps]*latencyStats // nil until the operation first finishes
}

func newGroupStats() *groupStats { return &groupStats{all: *newLatencyStats()} }

// SetWorkloads names the run's workloads, in scenario order; without it the
// result has no per-workload entries. Call it before the run.
func (c *Collector) SetWorkloads(ws []WorkloadInfo) {
	c.workloadInfo = append([]WorkloadInfo(nil), ws...)
	if len(c.workloads) < len(ws) {
		c.workloads = append(c.workloads, make([]*groupStats, len(ws)-len(c.workloads))...)
	}
}

// group returns (*gs)[i], made on first use.
func group(gs *[]*groupStats, i int) *groupStats {
	if i >= len(*gs) {
		*gs = append(*gs, make([]*groupStats, i+1-len(*gs))...)
	}
	g := (*gs)[i]
	if g == nil {
		g = newGroupStats()
		(*gs)[i] = g
	}
	return g
}

// recordGroups counts n outcomes like o in the groups of its workload and
// its table.
func (c *Collector) recordGroups(o *model.Outcome, n int64, lat sim.Time, us int64) {
	if o.Workload < 0 {
		return
	}
	for _, g := range [2]*groupStats{group(&c.workloads, o.Workload), group(&c.tableGroups, o.Table)} {
		g.record(o, n, lat, us)
	}
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
	g.all.recordN(lat, us, n)
	l := g.ops[o.Op]
	if l == nil {
		l = newLatencyStats()
		g.ops[o.Op] = l
	}
	l.recordN(lat, us, n)
}

func (g *groupStats) requests() Requests {
	return Requests{Total: g.total, Succeeded: g.succeeded, Throttled: g.throttled,
		ThrottleEvents: g.throttleEvents, Retries: g.retries, Errors: g.errors}
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
		if i < len(c.workloads) && c.workloads[i] != nil {
			g := c.workloads[i]
			wr.Requests = g.requests()
			wr.LatencyMs = g.all.latency()
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
	if i >= len(c.tableGroups) || c.tableGroups[i] == nil {
		return
	}
	g := c.tableGroups[i]
	req, lat := g.requests(), g.all.latency()
	tr.Requests, tr.LatencyMs, tr.Operations = &req, &lat, g.operations()
}
