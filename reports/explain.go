package reports

import (
	"fmt"
	"io"
	"strings"

	"github.com/ddbsim/ddbsim/model"
	"github.com/ddbsim/ddbsim/model/units"
	"github.com/ddbsim/ddbsim/sim"
)

// WriteExplain writes one sentence for each throttle the collector kept
// (the first few of each kind), saying which limit stopped it and what the
// partition and the table had left: the thing no dashboard tells a user.
// When requests failed because their region was down, a sentence says so.
func WriteExplain(w io.Writer, r *Result) error {
	var b strings.Builder
	if len(r.Explanations) == 0 {
		b.WriteString("explain: no request was throttled\n")
	} else {
		b.WriteString("explain: the first throttles of each kind\n")
	}
	for _, e := range r.Explanations {
		b.WriteString("  ")
		b.WriteString(r.Explain(e))
		b.WriteByte('\n')
	}
	if n := r.ErrorsByKind[model.ErrRegionUnavailable.String()]; n > 0 {
		requests := Commas(n) + " requests"
		if n == 1 {
			requests = "1 request"
		}
		fmt.Fprintf(&b, "  %s failed with %s: the last attempt still went to a region that was down (the scenario's outage); "+
			"the client ran out of retries before the region came back or, where the workload fails over, before it noticed and switched to another replica\n",
			requests, model.ErrRegionUnavailable)
	}
	for _, e := range r.CapacityEvents {
		if b.Len() == 0 {
			break
		}
		fmt.Fprintf(&b, "  t=%s %s: %s (%s); now %s RCU / %s WCU on %d partitions\n",
			Clock(sim.FromSeconds(e.TimeS)), SafeName(e.Table), e.Kind, e.Cause, Commas(e.RCU), Commas(e.WCU), e.Partitions)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// Explain turns one throttle the collector kept (r.Explanations) into the
// sentence WriteExplain writes for it.
func (r *Result) Explain(e Explanation) string {
	ev := &e.Event
	if ev.Reason == model.DAXThrottled || ev.Limit == model.LimitDAX {
		return explainDAX(r, e)
	}
	unit := "RCU"
	if strings.Contains(ev.Reason.String(), "Write") {
		unit = "WCU"
	}
	rate := func(u units.Units) string { return Sig3(u.Float(), 1) + " " + unit }
	table := "table " + itoa(ev.Table)
	noun := "table" // what the capacity belongs to
	var index *TableResult
	if ev.Table < len(r.Tables) {
		table = SafeName(r.Tables[ev.Table].Name)
		if t := &r.Tables[ev.Table]; t.Index != "" {
			index, noun = t, "index"
		}
	}
	where := fmt.Sprintf("t=%s %s %s partition %d (hashes %s-%s)", Clock(e.At), table, ev.Op, ev.Partition,
		HashPrefix(ev.RangeStart), HashPrefix(ev.RangeEnd))
	var why string
	switch ev.Limit {
	case model.LimitCeiling:
		why = fmt.Sprintf("hit the partition's ceiling of 3,000 RCU or 1,000 WCU a second (or a linear mix), which neither burst nor adaptive capacity lifts, while the %s still had %s of its one-second capacity unused at that instant",
			noun, rate(ev.TableUnused))
	case model.LimitTable:
		why = fmt.Sprintf("found the %s's %s/s all in use: the partition's %s/s share and its burst bank (%s left) were spent, with nothing unused to borrow",
			noun, rate(ev.TableRate), rate(ev.ShareRate), rate(ev.Burst))
	case model.LimitShare:
		why = fmt.Sprintf("spent its %s/s share and its burst bank (%s left); without adaptive capacity it cannot borrow the %s's %s unused",
			rate(ev.ShareRate), rate(ev.Burst), noun, rate(ev.TableUnused))
	case model.LimitOnDemand:
		why = fmt.Sprintf("went past the %s/s the on-demand %s absorbs at once (twice its previous peak, or its warm throughput) before capacity caught up",
			rate(ev.TableRate), noun)
	case model.LimitQuota:
		why = fmt.Sprintf("reached the %s's throughput quota of %s/s", noun, rate(ev.TableRate))
	case model.LimitMaxThroughput:
		why = fmt.Sprintf("reached the %s's on-demand maximum of %s/s", noun, rate(ev.TableRate))
	default:
		why = "was throttled"
	}
	s := fmt.Sprintf("%s %s (%s)", where, why, ev.Reason)
	if index != nil && ev.Op.IsWrite() {
		// REFERENCE: gsi — back-pressure: the base table's write fails
		// when an index cannot take the index writes it causes.
		s += fmt.Sprintf("; back-pressure: writes to table %s are throttled while its index %s cannot take their index writes",
			SafeName(index.Table), SafeName(index.Index))
		if ev.TableRate > 0 {
			s += fmt.Sprintf(" (its write capacity is %s/s", rate(ev.TableRate))
			if w, ok := secondUnits(r, ev.Table, e.At, false); ok {
				s += fmt.Sprintf("; it took %s of index writes in that second", rate(w))
				if w > ev.TableRate {
					s += ", burst credit included"
				}
			}
			s += ")"
		}
	}
	return s
}

// explainDAX is the sentence for a request a DAX cluster refused.
func explainDAX(r *Result, e Explanation) string {
	ev := &e.Event
	table := "table " + itoa(ev.Table)
	if ev.Table < len(r.Tables) {
		table = r.Tables[ev.Table].Name
	}
	s := fmt.Sprintf("t=%s %s %s was refused by its DAX cluster", Clock(e.At), SafeName(table), ev.Op)
	cl, k := r.ClusterOf(table)
	if cl == nil {
		if ev.TableRate > 0 {
			s += ", over its normalized capacity of " + Sig3(ev.TableRate.Float(), 1) + " a second"
		} else {
			s += ", over its normalized capacity"
		}
		return s + " (" + ev.Reason.String() + ")"
	}
	s = fmt.Sprintf("t=%s %s %s was refused by DAX cluster %s, over its normalized capacity", Clock(e.At), SafeName(table), ev.Op, SafeName(cl.Name))
	if cl.Nodes > 0 && cl.CapacityPerS > 0 {
		nodes := itoa(cl.Nodes) + " nodes"
		if cl.Nodes == 1 {
			nodes = "1 node"
		}
		s += fmt.Sprintf(" of %s x %s = %s a second", nodes, Sig3(cl.CapacityPerS/float64(cl.Nodes), 1),
			Sig3(cl.CapacityPerS, 1))
	} else if cl.CapacityPerS > 0 {
		s += fmt.Sprintf(" of %s a second", Sig3(cl.CapacityPerS, 1))
	}
	if sec := int(e.At / sim.Second); r.Series != nil && r.Series.StepSeconds() == 1 && k < len(r.Series.Caches) && sec < len(r.Series.Caches[k].Load) {
		s += fmt.Sprintf(" (its load was %s in that second, counting 1 per KB read from a cache, 10 per KB of a miss, 25 per KB written times the nodes)",
			Sig3(r.Series.Caches[k].Load[sec].Float(), 1))
	}
	if ev.Op.IsWrite() {
		// Every node applies every write: replicas add read capacity
		// only (REFERENCE: dax).
		return s + "; larger nodes would take it, more would not, since every node applies every write (" + ev.Reason.String() + ")"
	}
	return s + "; more or larger nodes, or a higher hit rate, would take it (" + ev.Reason.String() + ")"
}

// ClusterOf is the DAX cluster serving the named table and its index in
// r.Cache.Clusters; nil when none does.
func (r *Result) ClusterOf(table string) (*ClusterResult, int) {
	if r.Cache == nil {
		return nil, -1
	}
	for k := range r.Cache.Clusters {
		for _, t := range r.Cache.Clusters[k].Tables {
			if t == table {
				return &r.Cache.Clusters[k], k
			}
		}
	}
	return nil, -1
}

// secondUnits is what table ti consumed, read or write, in the second of
// at, from the series; not known when the series have a longer step.
func secondUnits(r *Result, ti int, at sim.Time, read bool) (units.Units, bool) {
	if r.Series == nil || ti >= len(r.Series.Tables) || r.Series.StepSeconds() != 1 {
		return 0, false
	}
	s := &r.Series.Tables[ti]
	v := s.Write
	if read {
		v = s.Read
	}
	if sec := int(at / sim.Second); sec < len(v) {
		return v[sec], true
	}
	return 0, false
}

func itoa(i int) string { return fmt.Sprint(i) }
