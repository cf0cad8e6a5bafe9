package reports

import (
	"encoding/csv"
	"fmt"
	"io"
	"slices"
	"strconv"

	"github.com/HdrHistogram/hdrhistogram-go"

	"github.com/ddbsim/ddbsim/model"
	"github.com/ddbsim/ddbsim/model/units"
	"github.com/ddbsim/ddbsim/sim"
)

// WriteTimeseriesCSV writes timeseries.csv: one row per second per table,
// in time order, or for a long run whose series have a longer step
// (Series.Step) one row per step, "the second" below then meaning the
// step. Columns:
//
//	second, table          the second [t, t+1) (the step's first) and the table
//	offered                requests that started in the second
//	succeeded, throttled, errors
//	                       final outcomes of requests that finished in it
//	throttle_events        throttled attempts, retries and batch parts included
//	<reason>               throttle events by reason, one column each: the
//	                       Table* reasons always, the Index* reasons when the
//	                       run has a global secondary index, and
//	                       DAXThrottlingException when it has a DAX cluster
//	consumed_rcu, consumed_wcu
//	                       capacity units consumed
//	capacity_rcu, capacity_wcu
//	                       capacity in effect: provisioned (after auto
//	                       scaling), or what an on-demand table absorbs at once
//	burst_rcu, burst_wcu   banked burst credit, summed over partitions
//	partitions             partition count
//	latency_p50_ms, latency_p99_ms
//	                       client-observed latency of requests that finished
//	                       in the second, over all tables (empty when none did)
//	cost_usd               the account's cost so far, all tables together
//	                       (the free tier is the account's); empty without prices
//
// A run with a DAX cluster adds, for the tables a cluster serves (empty
// for the others):
//
//	cache_hits, cache_misses
//	                       the table's lookups in the item and query caches
//	                       that hit and that missed, batch_get items one each
//	cache_hit_rate         cache_hits / (cache_hits + cache_misses); empty in
//	                       a second without lookups
func WriteTimeseriesCSV(w io.Writer, r *Result) error {
	s := r.Series
	cw := csv.NewWriter(w)
	dax := r.Cache != nil || len(s.Caches) > 0
	reasons := csvReasons(r, dax)
	header := []string{"second", "table", "offered", "succeeded", "throttled", "errors", "throttle_events"}
	for _, reason := range reasons {
		header = append(header, reason.String())
	}
	header = append(header, "consumed_rcu", "consumed_wcu", "capacity_rcu", "capacity_wcu",
		"burst_rcu", "burst_wcu", "partitions", "latency_p50_ms", "latency_p99_ms", "cost_usd")
	if dax {
		header = append(header, "cache_hits", "cache_misses", "cache_hit_rate")
	}
	if err := cw.Write(header); err != nil {
		return err
	}
	row := make([]string, 0, len(header))
	formatUnits := func(u units.Units) string { return strconv.FormatFloat(u.Float(), 'f', -1, 64) }
	ms := func(t sim.Time) string {
		if t == 0 {
			return ""
		}
		return strconv.FormatFloat(round(t.Milliseconds(), 3), 'f', -1, 64)
	}
	n := strconv.FormatInt
	step := max(int(s.Step/sim.Second), 1)
	for sec := range s.Len() {
		for ti := range s.Tables {
			t := &s.Tables[ti]
			row = append(row[:0], strconv.Itoa(sec*step), SafeName(t.Name), n(t.Offered[sec], 10), n(t.Succeeded[sec], 10),
				n(t.Throttled[sec], 10), n(t.Errors[sec], 10), n(t.ThrottleEvents[sec], 10))
			for _, reason := range reasons {
				row = append(row, n(t.ByReason[reason][sec], 10))
			}
			row = append(row, formatUnits(t.Read[sec]), formatUnits(t.Write[sec]), formatUnits(t.ReadCapacity[sec]),
				formatUnits(t.WriteCapacity[sec]), formatUnits(t.ReadBurst[sec]), formatUnits(t.WriteBurst[sec]),
				n(t.Partitions[sec], 10), ms(s.LatencyP50[sec]), ms(s.LatencyP99[sec]), costAt(s, sec))
			if dax {
				if t.CacheHits == nil {
					row = append(row, "", "", "")
				} else {
					hits, misses := t.CacheHits[sec], t.CacheMisses[sec]
					rate := ""
					if hits+misses > 0 {
						rate = strconv.FormatFloat(Ratio(hits, hits+misses), 'f', -1, 64)
					}
					row = append(row, n(hits, 10), n(misses, 10), rate)
				}
			}
			if err := cw.Write(row); err != nil {
				return err
			}
		}
	}
	cw.Flush()
	return cw.Error()
}

// csvReasons are the throttle reasons the CSV has a column for: the table
// reasons, the index reasons when the run has an index (or an index
// throttle), and DAX's when it has a cluster.
func csvReasons(r *Result, dax bool) []model.ThrottleReason {
	index := false
	for _, t := range r.Tables {
		index = index || t.Index != ""
	}
	for _, t := range r.Series.Tables {
		for reason := range model.NumThrottleReasons {
			if reason.IsIndex() && slices.ContainsFunc(t.ByReason[reason], func(v int64) bool { return v > 0 }) {
				index = true
			}
		}
		dax = dax || slices.ContainsFunc(t.ByReason[model.DAXThrottled], func(v int64) bool { return v > 0 })
	}
	var out []model.ThrottleReason
	for reason := model.ThrottleReason(1); reason < model.NumThrottleReasons; reason++ {
		if reason.IsIndex() && !index || reason == model.DAXThrottled && !dax {
			continue
		}
		out = append(out, reason)
	}
	return out
}

// costAt is the account's cost at the end of second sec, in dollars.
func costAt(s *Series, sec int) string {
	if len(s.CostByItem) == 0 {
		return ""
	}
	total := 0.0
	for _, item := range s.CostByItem {
		total += item[sec]
	}
	return strconv.FormatFloat(round(total, 8), 'f', -1, 64)
}

// WriteHistogramLog writes latency.hlog: the standard HdrHistogram interval
// log (format 1.3), one interval per simulated second in which requests
// finished (per step, for a long run: Series.Step), values in microseconds, so that HdrHistogram's own tools (and
// hdrhistogram-go's log reader) can read it. Virtual time 0 is the log's
// base time, written as 0 ms since the epoch: a run has no wall-clock
// date.
func WriteHistogramLog(w io.Writer, r *Result) error {
	lw := hdrhistogram.NewHistogramLogWriter(w)
	if err := lw.OutputLogFormatVersion(); err != nil {
		return err
	}
	if err := lw.OutputComment(fmt.Sprintf("ddbsim %s, seed %d: client-observed latency per simulated second, in microseconds", SafeName(r.Scenario), r.Seed)); err != nil {
		return err
	}
	if err := lw.OutputStartTime(0); err != nil {
		return err
	}
	if err := lw.OutputBaseTime(0); err != nil {
		return err
	}
	if err := lw.OutputLegend(); err != nil {
		return err
	}
	for _, iv := range r.Series.Intervals {
		h, err := hdrhistogram.Decode(iv.Encoded)
		if err != nil {
			return fmt.Errorf("reports: second %d: %w", iv.Second, err)
		}
		step := max(int64(r.Series.Step/sim.Millisecond), 1000)
		h.SetStartTimeMs(int64(iv.Second) * step)
		h.SetEndTimeMs(int64(iv.Second+1) * step)
		if err := lw.OutputIntervalHistogram(h); err != nil {
			return err
		}
	}
	return nil
}
