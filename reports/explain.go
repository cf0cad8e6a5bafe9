package reports

import (
	"fmt"
	"io"
	"strings"

	"github.com/ddbsim/ddbsim/model"
	"github.com/ddbsim/ddbsim/sim"
)

// WriteExplain writes one sentence for each throttle the collector kept
// (the first few of each kind), saying which limit stopped it and what the
// partition and the table had left: the thing no dashboard tells a user.
func WriteExplain(w io.Writer, r *Result) error {
	var b strings.Builder
	if len(r.Explanations) == 0 {
		b.WriteString("explain: no request was throttled\n")
	} else {
		b.WriteString("explain: the first throttles of each kind\n")
	}
	for _, e := range r.Explanations {
		b.WriteString("  ")
		b.WriteString(explain(r, e))
		b.WriteByte('\n')
	}
	for _, e := range r.CapacityEvents {
		if b.Len() == 0 {
			break
		}
		fmt.Fprintf(&b, "  t=%s %s: %s (%s); now %s RCU / %s WCU on %d partitions\n",
			clock(sim.FromSeconds(e.TimeS)), e.Table, e.Kind, e.Cause, commas(e.RCU), commas(e.WCU), e.Partitions)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// explain turns one throttle into a sentence.
func explain(r *Result, e Explanation) string {
	ev := &e.Event
	unit := "RCU"
	if strings.Contains(ev.Reason.String(), "Write") {
		unit = "WCU"
	}
	rate := func(u model.Units) string { return sig3(u.Float(), 1) + " " + unit }
	table := "table " + itoa(ev.Table)
	if ev.Table < len(r.Tables) {
		table = r.Tables[ev.Table].Name
	}
	where := fmt.Sprintf("t=%s %s %s partition %d (hashes %s-%s)", clock(e.At), table, ev.Op, ev.Partition,
		hashPrefix(ev.RangeStart), hashPrefix(ev.RangeEnd))
	var why string
	switch ev.Limit {
	case model.LimitCeiling:
		why = fmt.Sprintf("hit the partition's ceiling of 3,000 RCU or 1,000 WCU a second (or a linear mix), which neither burst nor adaptive capacity lifts; the table had %s unused",
			rate(ev.TableUnused))
	case model.LimitTable:
		why = fmt.Sprintf("found the table's %s/s all in use: the partition's %s/s share and its burst bank (%s left) were spent, with nothing unused to borrow",
			rate(ev.TableRate), rate(ev.ShareRate), rate(ev.Burst))
	case model.LimitShare:
		why = fmt.Sprintf("spent its %s/s share and its burst bank (%s left); without adaptive capacity it cannot borrow the table's %s unused",
			rate(ev.ShareRate), rate(ev.Burst), rate(ev.TableUnused))
	case model.LimitOnDemand:
		why = fmt.Sprintf("went past the %s/s the on-demand table absorbs at once (twice its previous peak, or its warm throughput) before capacity caught up",
			rate(ev.TableRate))
	case model.LimitQuota:
		why = fmt.Sprintf("reached the table's throughput quota of %s/s", rate(ev.TableRate))
	case model.LimitMaxThroughput:
		why = fmt.Sprintf("reached the table's on-demand maximum of %s/s", rate(ev.TableRate))
	default:
		why = "was throttled"
	}
	return fmt.Sprintf("%s %s (%s)", where, why, ev.Reason)
}

// clock formats a time of the run as 12m03s, with milliseconds below a
// minute so that events in the first second stay apart.
func clock(t sim.Time) string {
	s := int64(t / sim.Second)
	if s < 60 {
		return fmt.Sprintf("%.3fs", t.Seconds())
	}
	if s < 3600 {
		return fmt.Sprintf("%dm%02ds", s/60, s%60)
	}
	return fmt.Sprintf("%dh%02dm%02ds", s/3600, s/60%60, s%60)
}

// hashPrefix shows the top 16 bits of a hash, enough to tell ranges apart.
func hashPrefix(h uint64) string { return fmt.Sprintf("0x%04x", h>>48) }

func itoa(i int) string { return fmt.Sprint(i) }
