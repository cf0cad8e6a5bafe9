package scenarios

// The parser's ranges, for a Scenario built or changed in code (ddbsim
// compare's variants, a trace replay, a test), which no file position
// vouches for. A parsed scenario passes them all.

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"time"

	"github.com/ddbsim/ddbsim/model"
	"github.com/ddbsim/ddbsim/model/units"
	"github.com/ddbsim/ddbsim/workload"
)

// checkRanges reports every value of sc outside the range the parser
// allows, each as FILE:LINE:COL: where, what. Zero stands for "the
// default" wherever the parser's result may hold it (a GSI's capacity,
// items.per_key, a trace workload's mix), so it passes there. The
// per-table quotas are left out: ddbsim compare and right-sizing set
// capacities from measured peaks, which an account with a raised quota
// may provision; such a capacity is an answer, not a mistake in a file.
func checkRanges(sc *Scenario) error {
	var errs []error
	at := func(pos Pos, format string, args ...any) {
		errs = append(errs, fmt.Errorf("%s:%d:%d: %s", sc.File, pos.Line, pos.Col, fmt.Sprintf(format, args...)))
	}
	if sc.Duration <= 0 {
		at(Pos{1, 1}, "duration %s; it must be positive", sc.Duration)
	}
	if sc.Client.Timeout < 0 || sc.Client.FailoverAfter < 0 {
		at(Pos{1, 1}, "client: timeout %s, failover_after %s; neither may be negative", sc.Client.Timeout, sc.Client.FailoverAfter)
	}
	for _, t := range sc.Tables {
		tableRanges(t, func(format string, args ...any) { at(t.Pos, "table "+t.Name+": "+format, args...) })
	}
	total, over := 0.0, false
	for _, w := range sc.Workloads {
		workloadRanges(w, func(format string, args ...any) { at(w.Pos, "workload "+w.Name+": "+format, args...) })
		peak, n := peakRequests(w, sc.Duration)
		if n > maxRunRequests {
			at(w.Pos, "workload %s: a peak rate of %s/s for %s is up to %.3g requests, more than the 10^18 a run counts: use a lower rate or a shorter duration",
				w.Name, strconv.FormatFloat(peak, 'g', 4, 64), sc.Duration, n)
			over = true
		}
		total += n
	}
	if h := sc.History; h != nil {
		historyRanges(sc, func(pos Pos, format string, args ...any) { at(pos, "history: "+format, args...) })
	}
	if !over && total > maxRunRequests {
		at(Pos{1, 1}, "the workloads' peak rates for %s are up to %.3g requests, more than the 10^18 a run counts: use lower rates or a shorter duration", sc.Duration, total)
	}
	return errors.Join(errs...)
}

// tableRanges reports the values of t out of range to bad.
func tableRanges(t Table, bad func(format string, args ...any)) {
	if !tableName.MatchString(t.Name) {
		bad("the name may hold only letters, digits, _ . and -, 1 to 255 of them")
	}
	switch t.Mode {
	case "provisioned":
		// REFERENCE: provisioned, "Minimum 1 RCU/WCU".
		if t.ReadCapacity < 1 || t.WriteCapacity < 1 {
			bad("read_capacity %d, write_capacity %d; a provisioned table has at least 1 of each", t.ReadCapacity, t.WriteCapacity)
		}
	case "on-demand":
	default:
		bad("mode %q; expected provisioned or on-demand", t.Mode)
	}
	if t.SortKey != "" && t.SortKey == t.PartitionKey {
		bad("sort_key %s is also the partition_key", t.SortKey)
	}
	autoScalingRanges(t.AutoScaling, "autoscaling", bad)
	if it := t.Items; it.Count < 0 || it.PerKey < 0 || it.Size < 0 || it.Size > maxItemSize {
		bad("items: count %d, size %d bytes, per_key %d; none may be negative, and an item is at most 400KB (REFERENCE: units)", it.Count, it.Size, it.PerKey)
	}
	if t.Partitions < 0 || t.Partitions > maxTablePartitions {
		bad("partitions %d; expected 0 (the published rule) to %d", t.Partitions, maxTablePartitions)
	}
	for _, ix := range t.Indexes {
		// 0 is the table's capacity.
		if ix.ReadCapacity < 0 || ix.WriteCapacity < 0 {
			bad("index %s: read_capacity %d, write_capacity %d; neither may be negative", ix.Name, ix.ReadCapacity, ix.WriteCapacity)
		}
		if ix.Coverage < 0 || ix.Coverage > 1 || ix.KeyChanges < 0 || ix.KeyChanges > 1 || ix.ProjectedChanges < 0 || ix.ProjectedChanges > 1 {
			bad("index %s: coverage %v, key_changes %v, projected_changes %v; each is a share from 0 to 1", ix.Name, ix.Coverage, ix.KeyChanges, ix.ProjectedChanges)
		}
		autoScalingRanges(ix.AutoScaling, "index "+ix.Name+": autoscaling", bad)
	}
}

// autoScalingRanges reports auto scaling out of range (REFERENCE:
// provisioned, "target utilisation 20–90%"); a is nil for none.
func autoScalingRanges(a *AutoScaling, label string, bad func(format string, args ...any)) {
	if a == nil {
		return
	}
	if a.Target < 0.2 || a.Target > 0.9 || math.IsNaN(a.Target) {
		bad("%s.target %s; expected 20%% to 90%%", label, fmtPercent(a.Target))
	}
	if a.Min < 1 || a.Max < a.Min {
		bad("%s: min %d, max %d; expected 1 <= min <= max", label, a.Min, a.Max)
	}
}

// workloadRanges reports the values of w out of range to bad.
func workloadRanges(w Workload, bad func(format string, args ...any)) {
	if !finiteAtLeast(w.Rate, 0) {
		bad("rate %v/s; expected a rate of 0/s or more", w.Rate)
	}
	for _, st := range w.Stages {
		if st.For <= 0 || !finiteAtLeast(st.Rate, 0) {
			bad("stage {for: %s, rate: %v/s}; expected a positive duration and a rate of 0/s or more", st.For, st.Rate)
		}
	}
	if w.Series != nil {
		seriesRanges(w, bad)
	}
	if w.Users < 0 || w.Users > maxUsers || w.Think < 0 {
		bad("users %d, think %s; expected 0 (an open loop) to %d users and a think time of 0 or more", w.Users, w.Think, maxUsers)
	}
	if w.Trace != nil {
		if w.Trace.MaxInFlight < 0 || w.Trace.MaxInFlight > MaxInFlight {
			bad("trace max_in_flight %d; expected 1 to %d (0: the default)", w.Trace.MaxInFlight, MaxInFlight)
		}
		return // the trace gives keys, operations and sizes
	}
	sum := 0.0
	for _, m := range w.Mix {
		if !finiteAtLeast(m.Weight, 0) || !finiteAtLeast(m.ConditionFailure, 0) || m.ConditionFailure > 1 {
			bad("mix.%s: share %v, condition_failure %v; expected shares of 0 or more and a condition_failure from 0 to 1", m.Op, m.Weight, m.ConditionFailure)
		}
		sum += m.Weight
	}
	if len(w.Mix) > 0 && math.Abs(sum-1) > 1e-9 {
		bad("mix shares sum to %v; they must sum to 1", sum)
	}
	k := w.Keys
	if k.Count < 0 || k.HotKeys < 0 || k.HotKeys > 1 || k.HotOps < 0 || k.HotOps > 1 || k.Rotate < 0 {
		bad("keys: count %d, hot_keys %v, hot_ops %v, rotate %s; expected a count of 0 (the table's) or more, shares from 0 to 1 and a rotation of 0 or more",
			k.Count, k.HotKeys, k.HotOps, k.Rotate)
	}
	if (k.Distribution == "zipf" && k.Exponent <= 0) || !finiteAtLeast(k.Exponent, 0) {
		bad("keys.exponent %v; zipf takes an exponent above 0", k.Exponent)
	}
	if k.Shards < 0 || k.Shards > workload.MaxShards {
		bad("keys.shards %d; expected 0 (unsharded) to %d", k.Shards, workload.MaxShards)
	}
	if lo, hi := itemSizeBounds(w.ItemSize); lo < 1 || hi > maxItemSize || hi < lo {
		bad("item_size from %d to %d bytes; an item is 1 byte to 400KB (REFERENCE: units)", lo, hi)
	}
	if w.QueryLimit < 0 || w.QueryRange < 0 || w.Requests < 0 || w.ScanMax < 0 {
		bad("query_limit %d, query_range %d, requests %d, scan_max %d; none may be negative", w.QueryLimit, w.QueryRange, w.Requests, w.ScanMax)
	}
}

// seriesRanges reports a series out of the parser's ranges: a step of
// whole seconds, a burst from 1 to the step in seconds, rates of 0 or
// more, at most MaxSeriesSteps of them, and no rate, stages, users or
// trace beside it.
func seriesRanges(w Workload, bad func(format string, args ...any)) {
	sr := w.Series
	if sr.Step < time.Second || sr.Step%time.Second != 0 {
		bad("series.step %s; expected whole seconds, at least 1s", sr.Step)
	}
	if !finiteAtLeast(sr.Burst, 1) || sr.Step >= time.Second && sr.Burst > sr.Step.Seconds() {
		bad("series.burst %v; expected 1 to the step in seconds (%v)", sr.Burst, sr.Step.Seconds())
	}
	if len(sr.Rates) == 0 || len(sr.Rates) > MaxSeriesSteps || sr.Missing < 0 || sr.Missing > len(sr.Rates) {
		bad("series of %d steps, %d of them gaps; expected 1 to %d steps (MaxSeriesSteps), gaps among them", len(sr.Rates), sr.Missing, MaxSeriesSteps)
	}
	for i, r := range sr.Rates {
		if !finiteAtLeast(r, 0) {
			bad("series step %d: rate %v/s; expected a rate of 0/s or more", i, r)
			break
		}
	}
	if w.Rate != 0 || len(w.Stages) > 0 || w.Shape != "" || w.Users != 0 || w.Trace != nil || w.YCSB != nil {
		bad("a series beside rate, stages, shape, users, a trace or YCSB; a series gives every step's rate itself")
	}
}

// historyRanges reports a history out of the parser's ranges: a window
// from before to, each table of the scenario named once, a known mode,
// and totals of 0 or more.
func historyRanges(sc *Scenario, bad func(pos Pos, format string, args ...any)) {
	h := sc.History
	if !h.From.Before(h.To) {
		bad(h.Pos, "from %s, to %s; expected from before to", h.From.Format(time.RFC3339), h.To.Format(time.RFC3339))
	}
	seen := map[string]bool{}
	for _, th := range h.Tables {
		if sc.Table(th.Table) == nil || seen[th.Table] {
			bad(th.Pos, "table %q; expected each of the scenario's tables at most once", th.Table)
		}
		seen[th.Table] = true
		if th.Mode != "on-demand" && th.Mode != "provisioned" {
			bad(th.Pos, "table %s: mode %q; expected on-demand or provisioned", th.Table, th.Mode)
		}
		for _, v := range []float64{th.ReadUnits, th.WriteUnits, th.ReadCapacityHours, th.WriteCapacityHours} {
			if !finiteAtLeast(v, 0) {
				bad(th.Pos, "table %s: read_units %v, write_units %v, read_capacity_hours %v, write_capacity_hours %v; expected totals of 0 or more",
					th.Table, th.ReadUnits, th.WriteUnits, th.ReadCapacityHours, th.WriteCapacityHours)
				break
			}
		}
		if th.Missing < 0 {
			bad(th.Pos, "table %s: missing_minutes %d; expected 0 or more", th.Table, th.Missing)
		}
	}
}

// itemSizeBounds is the least and the largest size an item size gives
// (a lognormal's median and p99).
func itemSizeBounds(is ItemSize) (lo, hi int64) {
	switch is.Distribution {
	case "uniform":
		return is.Min, is.Max
	case "lognormal":
		return is.Median, is.P99
	}
	return is.Fixed, is.Fixed
}

// maxRunRequests bounds the requests one workload may send in a run, so
// that every count of requests, retries and throttles (int64s) and every
// product of a count and a size fits: 10^18, far beyond what any run
// finishes.
const maxRunRequests = 1e18

// peakRequests is w's peak rate (its rate, a stage's or a series step's
// times the series' burst, times its largest
// spike multiplier, times 2, the most a daily cycle raises its mean) and
// that rate kept up for d: a bound on the requests w sends. A closed loop
// and a trace give 0.
func peakRequests(w Workload, d time.Duration) (peak, requests float64) {
	if w.Users > 0 || w.Trace != nil {
		return 0, 0
	}
	peak = w.Rate
	for _, st := range w.Stages {
		peak = max(peak, st.Rate)
	}
	if sr := w.Series; sr != nil {
		// A step's requests arrive at Burst times its rate.
		for _, r := range sr.Rates {
			peak = max(peak, r*sr.Burst)
		}
	}
	most := 1.0 // spikes do not overlap: the largest multiplier is the peak's
	for _, sp := range w.Spikes {
		most = max(most, sp.Multiplier)
	}
	peak *= most
	if w.Diurnal != nil {
		peak *= 2
	}
	return peak, peak * d.Seconds()
}

// finiteAtLeast reports whether x is a number, not infinite, and at
// least min.
func finiteAtLeast(x, min float64) bool {
	return x >= min && !math.IsInf(x, 0)
}

// Check reports what the model cannot run in a scenario that parsed: an
// operation it does not model yet, a batch size beyond what a batch
// operation of the mix takes, an operation other than query and scan
// sent to an index, or a workload in a region its table is not in (the
// parser rejects the last three; a Scenario built in code may not).
// ddbsim.Build makes the same checks.
func Check(sc *Scenario) error {
	if err := checkRanges(sc); err != nil { // parse_check.go: the parser's ranges
		return err
	}
	for _, w := range sc.Workloads {
		if err := checkRegion(sc, w); err != nil { // parse_global.go
			return err
		}
		for _, m := range w.Mix {
			if w.Index != "" && m.Op != "query" && m.Op != "scan" {
				return fmt.Errorf("%s:%d:%d: workload %s: %s on index %s; an index serves query and scan only",
					sc.File, w.Pos.Line, w.Pos.Col, w.Name, m.Op, w.Index)
			}
			op, ok := units.ParseOp(m.Op)
			if ok && !model.Supported(op) {
				return fmt.Errorf("%s:%d:%d: workload %s: operation %s is not modelled",
					sc.File, w.Pos.Line, w.Pos.Col, w.Name, op)
			}
			if limit := int64(model.MaxBatchItems(op)); ok && limit > 0 && (w.BatchSize < 0 || w.BatchSize > limit) {
				return fmt.Errorf("%s:%d:%d: workload %s: batch_size %d; %s takes 1 to %d items",
					sc.File, w.Pos.Line, w.Pos.Col, w.Name, w.BatchSize, op, limit)
			}
		}
	}
	return nil
}
