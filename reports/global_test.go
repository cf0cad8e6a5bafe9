package reports

import (
	"bytes"
	"encoding/json"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/ddbsim/ddbsim/model"
	"github.com/ddbsim/ddbsim/model/billing"
	"github.com/ddbsim/ddbsim/model/stream"
	"github.com/ddbsim/ddbsim/model/units"
	"github.com/ddbsim/ddbsim/sim"
)

// globalTables are the tables of globalRun as the service lists them: the
// scenario's orders (a global table, home us-east-1, with a stream) and
// users; orders' replica in eu-west-1; then the global secondary index
// by-status of orders and of its replica.
var globalTables = []TableInfo{
	{Name: "orders", Mode: "on-demand", Partitions: 2},
	{Name: "users", Mode: "provisioned", Partitions: 1, ReadCapacity: 10, WriteCapacity: 5},
}

var globalAdded = []TableInfo{
	{Name: "orders@eu-west-1", Mode: "on-demand", Partitions: 2, Region: "eu-west-1", ReplicaOf: "orders"},
	{Name: "orders/by-status", Mode: "on-demand", Partitions: 1, Base: "orders", Index: "by-status"},
	{Name: "orders@eu-west-1/by-status", Mode: "on-demand", Partitions: 1, Base: "orders@eu-west-1", Index: "by-status"},
}

// globalBooks price the scenario's two tables; the replica and the indexes
// take their tables' books.
var globalBooks = []billing.PriceBook{
	{ReadRequestUnit: 1.25e-7, WriteRequestUnit: 6.25e-7, ReplicatedWriteRequestUnit: 6.25e-7,
		StorageGBMonth: 0.25, StreamReadRequestUnit: 2e-7},
	{RCUHour: 0.00013, WCUHour: 0.00065},
}

const (
	globalSeconds = 660 // 11 minutes: two full 5-minute intervals and a short one
	globalWrites  = 650 // no writes in the last 10 seconds: every one has replicated by the end
	outageStart   = 400 // eu-west-1 is down for [400 s, 460 s)
	outageEnd     = 460
)

// globalRun records 11 minutes through the Recorder methods alone, as the
// model reports a global table with a stream:
//
//   - each second (until 650 s) 10 puts on orders (us-east-1), each
//     replicated to eu-west-1 600 + 100k ms later (k = 0..9), and 4 puts on
//     the replica, replicated home 1.2 s later; in seconds 30, 90, ... the
//     first put's replication arrives second (a conflict) instead;
//   - each second 5 gets on orders, every tenth second's first stale, 10
//     gets on the replica, every other second's first stale, and 2 gets on
//     users;
//   - eu-west-1 is down from 400 s to 460 s: its requests fail with
//     region_unavailable, the 5 writes it made from 398.8 s are in flight
//     (unreplicated at the outage), and every write to or from it waits
//     until 460 s;
//   - extra requests: 3 timeouts on users at 100 s, 5 failed conditions and
//     2 throttled puts on orders at 200 s and 250 s (neither counts against
//     availability), a transaction conflict at 500 s;
//   - orders' stream has two consumers: indexer (a Lambda trigger, half a
//     second behind, a retried batch every 100 s) and audit (a client that
//     falls behind by a second a second from 300 s to 500 s, then catches
//     up at 5 s a second).
//
// It draws no random numbers.
func globalRun() *Result {
	c := NewCollector(globalTables)
	c.SetRegion(0, "us-east-1")
	for _, t := range globalAdded {
		c.AddTable(t)
	}
	c.SetPricing(globalBooks, false)

	type call struct {
		at sim.Time
		do func()
	}
	var calls []call
	at := func(t sim.Time, do func()) { calls = append(calls, call{t, do}) }
	global := func(t sim.Time, ev model.GlobalEvent) { at(t, func() { c.Global(t, &ev) }) }
	finish := func(o model.Outcome) { at(o.End, func() { c.Finish(o) }) }
	down := func(t sim.Time) bool { return t >= outageStart*sim.Second && t < outageEnd*sim.Second }
	// deliver is when a write made at start reaches the other region
	// lag later: when eu-west-1 is back, if it was down.
	deliver := func(start, lag sim.Time) sim.Time {
		if t := start + lag; !down(t) {
			return t
		}
		return outageEnd * sim.Second
	}

	for s := range globalSeconds {
		sec := sim.Time(s) * sim.Second
		for k := range 10 {
			if s >= globalWrites {
				break
			}
			start := sec + sim.Time(k)*100*ms
			at(start+2*ms, func() { c.Consumed(start+2*ms, 0, k%2, 0, units.WholeUnits(1)) })
			finish(model.Outcome{Table: 0, Op: units.OpPut, Result: model.Succeeded, Start: start, End: start + 5*ms, Attempts: 1})
			when := deliver(start, 600*ms+sim.Time(k)*100*ms)
			if k == 0 && s%60 == 30 && !down(start+600*ms) {
				global(when, model.GlobalEvent{Kind: model.GlobalConflict, Table: 2, Origin: 0, Lag: when - start})
				continue
			}
			global(when, model.GlobalEvent{Kind: model.GlobalDelivered, Table: 2, Origin: 0, Lag: when - start})
		}
		for k := range 4 {
			if s >= globalWrites {
				break
			}
			start := sec + 50*ms + sim.Time(k)*250*ms
			o := model.Outcome{Table: 2, Op: units.OpPut, Start: start, End: start + 5*ms, Attempts: 1}
			if down(start) {
				o.Result, o.Error, o.End = model.Failed, model.ErrRegionUnavailable, start+20*ms
				finish(o)
				continue
			}
			o.Result = model.Succeeded
			at(start+2*ms, func() { c.Consumed(start+2*ms, 2, k%2, 0, units.WholeUnits(1)) })
			finish(o)
			when := start + 1200*ms
			if down(when) {
				// In flight when eu-west-1 went down: delivered when
				// it returns.
				global(outageStart*sim.Second, model.GlobalEvent{Kind: model.GlobalUnreplicated, Table: 2, Origin: 2})
				when = outageEnd * sim.Second
			}
			global(when, model.GlobalEvent{Kind: model.GlobalDelivered, Table: 0, Origin: 2, Lag: when - start})
		}
		for k := range 5 {
			start := sec + 20*ms + sim.Time(k)*200*ms
			global(start+ms, model.GlobalEvent{Kind: model.GlobalRead, Table: 0, Origin: 0, Stale: k == 0 && s%10 == 0})
			finish(model.Outcome{Table: 0, Op: units.OpGet, Result: model.Succeeded, Start: start, End: start + 3*ms, Attempts: 1})
		}
		for k := range 10 {
			start := sec + 30*ms + sim.Time(k)*100*ms
			o := model.Outcome{Table: 2, Op: units.OpGet, Start: start, End: start + 3*ms, Attempts: 1}
			if down(start) {
				o.Result, o.Error, o.End = model.Failed, model.ErrRegionUnavailable, start+20*ms
				finish(o)
				continue
			}
			at(start+ms, func() { c.Consumed(start+ms, 2, k%2, 500, 0) })
			global(start+ms, model.GlobalEvent{Kind: model.GlobalRead, Table: 2, Origin: 2, Stale: k == 0 && s%2 == 0})
			o.Result = model.Succeeded
			finish(o)
		}
		for k := range 2 {
			start := sec + 40*ms + sim.Time(k)*500*ms
			finish(model.Outcome{Table: 1, Op: units.OpGet, Result: model.Succeeded, Start: start, End: start + 2*ms, Attempts: 1})
		}
		switch s {
		case 100:
			for k := range 3 {
				start := sec + 60*ms + sim.Time(k)*ms
				finish(model.Outcome{Table: 1, Op: units.OpGet, Result: model.Failed, Error: model.ErrTimeout,
					Start: start, End: start + 500*ms, Attempts: 1})
			}
		case 200:
			for k := range 5 {
				start := sec + 70*ms + sim.Time(k)*ms
				finish(model.Outcome{Table: 0, Op: units.OpPut, Result: model.Failed, Error: model.ErrConditionalCheckFailed,
					Start: start, End: start + 4*ms, Attempts: 1})
			}
		case 250:
			for k := range 2 {
				start := sec + 80*ms + sim.Time(k)*ms
				finish(model.Outcome{Table: 0, Op: units.OpPut, Result: model.Throttled,
					Reason: model.TableWriteMaxOnDemandThroughputExceeded, Start: start, End: start + 300*ms, Attempts: 3})
			}
		case 500:
			start := sec + 90*ms
			finish(model.Outcome{Table: 0, Op: units.OpTransactWrite, Result: model.Failed, Error: model.ErrTransactionConflict,
				Start: start, End: start + 30*ms, Attempts: 3})
		}

		// Samples at the end of the second, every table, the stream's
		// consumers on orders.
		end := sec + sim.Second
		records := int64(14 * min(s+1, globalWrites))
		audit := sim.Time(0)
		switch {
		case s >= 300 && s < 500:
			audit = sim.Time(s-299) * sim.Second
		case s >= 500:
			audit = max(0, 200*sim.Second-sim.Time(s-499)*5*sim.Second)
		}
		auditBacklog := min(records, int64(audit/sim.Second)*14)
		indexerBacklog := min(records, 7)
		indexerAge := 500 * ms
		if s >= globalWrites {
			indexerBacklog, indexerAge = 0, 0
		}
		consumers := []stream.ConsumerState{
			{Name: "indexer", IteratorAge: indexerAge, Backlog: indexerBacklog, Records: records,
				Processed: records - indexerBacklog, Retries: int64((s + 1) / 100), ReadUnits: int64(4 * (s + 1))},
			{Name: "audit", IteratorAge: audit, Backlog: auditBacklog, Records: records,
				Processed: records - auditBacklog, ReadUnits: int64(s + 1)},
		}
		frac := float64(s+1) / globalSeconds
		for ti := range 5 {
			st := &model.TableState{Mode: model.OnDemand, Partitions: 2, ReadCapacity: units.WholeUnits(12000),
				WriteCapacity: units.WholeUnits(4000), Parts: make([]model.PartitionState, 2)}
			switch ti {
			case 0:
				st.Consumers = consumers
				st.Bill = billing.Meter{Replicated: true, Standard: true, WriteUnits: 9100 * frac, ReadUnits: 1650 * frac,
					GBMonths: 0.002 * frac, StreamReadUnits: 660 * frac}
			case 1:
				st.Mode, st.Partitions, st.Parts = model.Provisioned, 1, st.Parts[:1]
				st.ReadCapacity, st.WriteCapacity = units.WholeUnits(10), units.WholeUnits(5)
				st.Bill = billing.Meter{Standard: true, RCUHours: 10 * 660.0 / 3600 * frac, WCUHours: 5 * 660.0 / 3600 * frac}
			case 2:
				st.Bill = billing.Meter{Replicated: true, Standard: true, WriteUnits: 9100 * frac, TTLDeleteUnits: 120 * frac,
					ReadUnits: 3000 * frac, GBMonths: 0.002 * frac}
			default:
				st.Partitions, st.Parts = 1, st.Parts[:1]
			}
			at(end, func() { c.Sample(end, ti, st) })
			if s == globalSeconds-1 {
				at(end, func() { c.SetMeter(ti, st.Bill) })
			}
		}
	}
	sort.SliceStable(calls, func(i, j int) bool { return calls[i].at < calls[j].at })
	for _, cl := range calls {
		cl.do()
	}
	r := c.Result(Meta{Scenario: "global", Seed: 11, Duration: globalSeconds * sim.Second, Complete: true})
	Evaluate(r, []Threshold{
		{Name: "max_iterator_age_s", Expr: "< 60", Cmp: "<", Value: 60},
		{Name: "records_lost", Expr: "== 0", Cmp: "==", Value: 0},
		{Name: "replication_conflicts", Expr: "< 20", Cmp: "<", Value: 20},
		{Name: "stale_read_ratio", Expr: "< 5%", Cmp: "<", Value: 0.05},
		{Name: "availability_min", Expr: ">= 99.99%", Cmp: ">=", Value: 0.9999},
	})
	return r
}

// TestGlobalResult checks the streams and replication sections against
// values worked by hand from globalRun's description.
func TestGlobalResult(t *testing.T) {
	r := globalRun()
	g := r.Replication
	if g == nil || len(r.Streams) != 2 {
		t.Fatalf("replication %+v, streams %+v: want both", g, r.Streams)
	}
	// Intervals: [0, 300 s) has 31 requests a second and 10 extra, 3 of
	// them timeouts; [300, 600 s) 31 a second and the transaction
	// conflict, with eu-west-1's 14 a second failing for 60 s; [600,
	// 660 s) 17 a second, and 14 more until 650 s.
	second := 1 - float64(14*60+1)/float64(31*300+1)
	for _, tc := range []struct {
		name      string
		got, want any
	}{
		// Deliveries: orders' 6,500 writes less 10 conflicts (seconds 30,
		// 90, ..., 630 but 450, in the outage), and the replica's 4 a
		// second outside the outage.
		{"replicated writes", g.ReplicatedWrites, int64(6500 - 10 + 4*(650-60))},
		{"conflicts", g.Conflicts, int64(10)},
		{"overwritten", g.OverwrittenUpdates, int64(10)},
		// Reads: 5 a second on orders, 10 on the replica when it is up;
		// stale: orders' every tenth second, the replica's every other
		// second outside the outage.
		{"reads", g.Reads, int64(5*660 + 10*600)},
		{"stale reads", g.StaleReads, int64(66 + 330 - 30)},
		{"stale ratio", g.StaleReadRatio, ratio(366, 9300)},
		{"unreplicated", g.UnreplicatedAtOutage, int64(5)},
		// The longest wait: orders' write made at 398.7 s, due at
		// 400 s, delivered when eu-west-1 returns at 460 s.
		{"lag max", g.LagMs.Max, 61300.0},
		{"availability", g.Availability, []AvailabilityRatio{
			{0, round(1-3.0/(31*300+10), 6)}, {300, round(second, 6)}, {600, 1}}},
		{"availability min", g.AvailabilityMin, round(second, 6)},
		{"hidden availability", r.Availability, g.Availability},
		{"indexer", r.Streams[0], StreamResult{Table: "orders", Consumer: "indexer", Records: 9100, Processed: 9100,
			Retries: 6, ReadUnits: 2640, MaxIteratorAgeS: 0.5}},
		{"audit", r.Streams[1], StreamResult{Table: "orders", Consumer: "audit", Records: 9100, Processed: 9100,
			ReadUnits: 660, MaxIteratorAgeS: 200}},
		{"errors", r.ErrorsByKind, map[string]int64{"region_unavailable": 14 * 60, "timeout": 3,
			"conditional_check_failed": 5, "transaction_conflict": 1}},
		{"regions", []string{r.Tables[0].Region, r.Tables[1].Region, r.Tables[2].Region, r.Tables[3].Region},
			[]string{"us-east-1", "", "eu-west-1", ""}},
		{"thresholds", []bool{r.Thresholds[0].Passed, r.Thresholds[1].Passed, r.Thresholds[2].Passed,
			r.Thresholds[3].Passed, r.Thresholds[4].Passed}, []bool{false, true, true, true, false}},
		{"threshold values", []float64{*r.Thresholds[0].Value, *r.Thresholds[1].Value, *r.Thresholds[2].Value,
			*r.Thresholds[3].Value, *r.Thresholds[4].Value}, []float64{200, 0, 10, ratio(366, 9300), round(second, 6)}},
	} {
		gb, _ := json.Marshal(tc.got)
		wb, _ := json.Marshal(tc.want)
		if string(gb) != string(wb) {
			t.Errorf("%s = %s, want %s", tc.name, gb, wb)
		}
	}
	// The replica and the indexes take their tables' prices: the
	// replica's replicated writes at orders' rate.
	var replicaLines []string
	for _, l := range r.Cost.Lines {
		if l.Table == "orders@eu-west-1" {
			replicaLines = append(replicaLines, l.Item)
			if l.PriceUSD == 0 {
				t.Errorf("replica line %+v has no price", l)
			}
		}
	}
	if want := []string{"read_requests", "replicated_write_requests", "ttl_deletes", "storage"}; !slices.Equal(replicaLines, want) {
		t.Errorf("replica's bill %v, want %v", replicaLines, want)
	}
	for _, item := range []string{"replicated_write_requests", "ttl_deletes", "stream_reads"} {
		if r.Cost.Breakdown[item] == 0 {
			t.Errorf("breakdown lacks %s: %v", item, r.Cost.Breakdown)
		}
	}
	if _, ok := r.Cost.Breakdown["replicated_write_capacity"]; ok {
		t.Error("an on-demand run's breakdown has replicated write capacity")
	}

	// p50: orders' writes take 600-1,500 ms and the replica's 1,200 ms,
	// so more than half took at most 1.2 s, less than half at most 1.1 s.
	if p := g.LagMs.P50; p < 1200 || p > 1200*1.001 {
		t.Errorf("lag p50 %v ms, want 1,200 within 0.1%%", p)
	}

	// The series: second 450's stale reads (the replica is down: none
	// there; orders' every tenth second), conflicts, the writes caught by
	// the outage, and second 460's deliveries: the 600 of orders' writes
	// and the replica's 5 that waited for eu-west-1, and 10 due then.
	s := r.Series
	rs := s.Replication
	if rs == nil || rs.StaleReads[450] != 1 || rs.StaleReads[452] != 0 || rs.StaleReads[2] != 1 || rs.Conflicts[30] != 1 ||
		rs.Unreplicated[400] != 5 || rs.Delivered[460] != 615 {
		t.Errorf("replication series: stale %v conflicts %v unreplicated %d delivered %d",
			rs.StaleReads[:4], rs.Conflicts[28:32], rs.Unreplicated[400], rs.Delivered[460])
	}
	audit := s.Tables[0].Consumers[1]
	if audit.Name != "audit" || audit.IteratorAge[499] != 200*sim.Second || audit.Backlog[499] != 2800 || audit.IteratorAge[299] != 0 {
		t.Errorf("audit series: age %v backlog %v", audit.IteratorAge[497:501], audit.Backlog[497:501])
	}
	if len(s.Tables[2].Consumers) != 0 {
		t.Error("the replica has consumer series")
	}
}

// TestGlobalSchemaFields pins the new sections' field names: other tools
// read them.
func TestGlobalSchemaFields(t *testing.T) {
	m, b := jsonObject(t, globalRun())
	keys, want := fieldNames, fieldsWanted(t)
	want("streams[0]", keys(m["streams"].([]any)[0]), "table", "consumer", "records", "processed", "lost", "retries",
		"read_units", "max_iterator_age_s", "final_iterator_age_s")
	repl := m["replication"].(map[string]any)
	want("replication", keys(repl), "lag_ms", "replicated_writes", "conflicts", "overwritten_updates", "reads",
		"stale_reads", "stale_read_ratio", "unreplicated_at_outage", "availability_min", "availability")
	want("replication.lag_ms", keys(repl["lag_ms"]), "p50", "p90", "p99", "max")
	want("replication.availability[0]", keys(repl["availability"].([]any)[0]), "t_s", "ratio")
	tables := m["tables"].([]any)
	if r := tables[2].(map[string]any)["region"]; r != "eu-west-1" {
		t.Errorf("replica's region %v", r)
	}
	if _, ok := tables[1].(map[string]any)["region"]; ok {
		t.Error("a table without a region has a region field")
	}
	// After cache, before errors_by_kind.
	i, j, k := bytes.Index(b, []byte(`"streams"`)), bytes.Index(b, []byte(`"replication"`)), bytes.Index(b, []byte(`"errors_by_kind"`))
	if !(i >= 0 && i < j && j < k) {
		t.Errorf("streams at %d, replication at %d, errors_by_kind at %d", i, j, k)
	}
}

// A run without streams or global tables has none of their sections.
func TestNoGlobalNoSections(t *testing.T) {
	r := syntheticRun()
	var b bytes.Buffer
	if err := WriteJSON(&b, r); err != nil {
		t.Fatal(err)
	}
	if err := WriteSummary(&b, r); err != nil {
		t.Fatal(err)
	}
	if err := WriteExplain(&b, r); err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{`"streams"`, `"replication"`, `"region"`, "streams ", "global ", "replica", "region_unavailable"} {
		if bytes.Contains(b.Bytes(), []byte(s)) {
			t.Errorf("a run without streams or global tables has %q", s)
		}
	}
	if r.Series.Replication != nil || len(r.Series.Tables[0].Consumers) != 0 {
		t.Error("a run without streams or global tables has their series")
	}
	page := writeHTML(t, r)
	for _, s := range []string{"streams-section", "replication-section", "plot-stream-iterator-age", "plot-replication"} {
		if strings.Contains(page, s) {
			t.Errorf("the page of a run without streams or global tables has %s", s)
		}
	}
	// Every run can still be held to an availability: the synthetic
	// run's errors have no kind, so none counts against it.
	if v, ok := r.Metric("availability_min"); !ok || v != 1 || len(r.Availability) != 1 {
		t.Errorf("availability_min %v %v (%v)", v, ok, r.Availability)
	}
}

func TestGoldenGlobal(t *testing.T) {
	r := globalRun()
	for _, tc := range []struct {
		file  string
		write func(*bytes.Buffer) error
	}{
		{"result-global.json.golden", func(b *bytes.Buffer) error { return WriteJSON(b, r) }},
		{"summary-global.golden", func(b *bytes.Buffer) error { return WriteSummary(b, r) }},
		{"explain-global.golden", func(b *bytes.Buffer) error { return WriteExplain(b, r) }},
		{"bill-global.golden", func(b *bytes.Buffer) error { return WriteBill(b, r) }},
	} {
		var b bytes.Buffer
		if err := tc.write(&b); err != nil {
			t.Fatal(err)
		}
		golden(t, tc.file, b.Bytes())
	}
}

// The summary's streams and global sections and the replica's rows.
func TestGlobalSummary(t *testing.T) {
	var b bytes.Buffer
	if err := WriteSummary(&b, globalRun()); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{
		"\norders (us-east-1)  ",
		"\nby-status (index of orders)  ",
		"\norders (eu-west-1 replica)  ",
		"\nby-status (index of orders, eu-west-1 replica)  ",
		"\nstream  consumer  records  processed  lost  retried batches  max iterator age  at end\n",
		"\norders  indexer     9,100      9,100     0                6            500 ms    0 ms\n",
		"\norders  audit       9,100      9,100     0                0             200 s    0 ms\n",
		"global      replication lag p50 1.20 s p99 52.8 s max 61.3 s   8,850 replicated writes\n",
		"            10 conflicts (10 updates overwritten)   stale reads 3.94% (366 of 9,300)   unreplicated at outage 5\n",
		"            availability min 90.958% (lowest 5-minute interval)\n",
		"availability_min >= 99.99%  90.958%  FAIL",
		"max_iterator_age_s < 60     200 s    FAIL",
		"replicated write requests $",
		"replicated TTL deletes $",
		"stream reads $",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("summary lacks %q:\n%s", want, out)
		}
	}
	// Each table, then its indexes, then its replicas and theirs.
	order := []string{"\norders (us-east-1)", "\nby-status (index of orders)", "\norders (eu-west-1 replica)",
		"\nby-status (index of orders, eu-west-1 replica)", "\nusers"}
	for i := 1; i < len(order); i++ {
		if strings.Index(out, order[i-1]) > strings.Index(out, order[i]) {
			t.Errorf("%q is listed after %q", order[i-1], order[i])
		}
	}
}

func TestGlobalExplain(t *testing.T) {
	var b bytes.Buffer
	if err := WriteExplain(&b, globalRun()); err != nil {
		t.Fatal(err)
	}
	if want := "840 requests failed with region_unavailable: the last attempt still went to a region that was down"; !strings.Contains(b.String(), want) {
		t.Errorf("explain lacks %q:\n%s", want, b.String())
	}
}

func TestGlobalHTML(t *testing.T) {
	r := globalRun()
	page := writeHTML(t, r)
	checkWellFormed(t, page)
	checkSelfContained(t, page)
	for id, text := range map[string]string{
		"replication-lag-p50":          "1.20 s",
		"replication-lag-max":          "61.3 s",
		"replicated-writes":            "8,850",
		"replication-conflicts":        "10",
		"replication-stale-read-ratio": "3.94%",
		"replication-unreplicated":     "5",
		"availability-min":             "90.958%",
	} {
		if got, ok := byID(page, id); !ok || got != text {
			t.Errorf("#%s = %q (found %v), want %q", id, got, ok, text)
		}
	}
	for _, s := range []string{`id="streams"`, "<td>audit</td>", "<b>orders</b> <small>(eu-west-1 replica)</small>",
		"<b>orders</b> <small>(us-east-1)</small>", "(index of orders, eu-west-1 replica)",
		"2 of 3 intervals fell below the 99.999%", `id="plot-stream-iterator-age"`, `id="plot-replication"`} {
		if !strings.Contains(page, s) {
			t.Errorf("the page lacks %s", s)
		}
	}
	checkPlots(t, r, page)
}

func TestGlobalPlots(t *testing.T) {
	plots, err := Plots(globalRun())
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, p := range plots {
		names = append(names, p.Name)
	}
	want := "latency throughput capacity-orders heatmap-orders capacity-users heatmap-users " +
		"capacity-orders@eu-west-1 heatmap-orders@eu-west-1 capacity-orders/by-status heatmap-orders/by-status " +
		"capacity-orders@eu-west-1/by-status heatmap-orders@eu-west-1/by-status " +
		"stream-iterator-age replication latency-spectrum cost"
	if got := strings.Join(names, " "); got != want {
		t.Fatalf("plots %q, want %q", got, want)
	}
	legends := map[string][]string{
		"stream-iterator-age": {"indexer", "audit"},
		"replication":         {"stale reads", "conflicts", "unreplicated at outage", "availability"},
		"cost":                {"replicated write requests", "replicated TTL deletes", "stream reads"},
	}
	for _, p := range plots {
		want, ok := legends[p.Name]
		if !ok {
			continue
		}
		if p.Title == "" || p.Caption == "" || strings.Contains(p.Caption, "\n") {
			t.Errorf("%s: title %q caption %q", p.Name, p.Title, p.Caption)
		}
		svg, err := p.Render("svg")
		if err != nil {
			t.Fatal(err)
		}
		checkSVG(t, p, svg)
		for _, s := range want {
			if !bytes.Contains(svg, []byte(">"+s+"<")) {
				t.Errorf("%s plot has no legend entry %q", p.Name, s)
			}
		}
		img, err := p.Render("png")
		if err != nil {
			t.Fatal(err)
		}
		checkPNG(t, p, img)
	}
}

// TestAvailability: which outcomes count against availability, and how
// requests fall into the 5-minute intervals of the run.
func TestAvailability(t *testing.T) {
	type fin struct {
		end  sim.Time
		res  model.Result
		kind model.ErrorKind
	}
	ok := func(end sim.Time) fin { return fin{end, model.Succeeded, model.NoError} }
	fail := func(end sim.Time, k model.ErrorKind) fin { return fin{end, model.Failed, k} }
	min5 := AvailabilityInterval
	for _, tc := range []struct {
		name     string
		duration sim.Time
		finishes []fin
		want     []AvailabilityRatio
		min      float64
	}{
		{"no time", 0, nil, []AvailabilityRatio{}, 1},
		{"no requests", 10 * sim.Minute, nil, []AvailabilityRatio{{0, 1}, {300, 1}}, 1},
		{"each unavailable kind counts", 5 * sim.Minute, []fin{
			ok(1), ok(2), ok(3), ok(4), fail(5, model.ErrRegionUnavailable), fail(6, model.ErrTimeout),
			fail(7, model.ErrReplicatedWriteConflict), fail(8, model.ErrTransactionConflict),
		}, []AvailabilityRatio{{0, 0.5}}, 0.5},
		{"throttles and client errors do not", 5 * sim.Minute, []fin{
			ok(1), {2, model.Throttled, model.NoError}, fail(3, model.ErrConditionalCheckFailed),
			fail(4, model.ErrItemCollectionTooLarge),
		}, []AvailabilityRatio{{0, 1}}, 1},
		{"by the interval the request ended in", 12 * sim.Minute, []fin{
			ok(min5 - 1), fail(min5, model.ErrTimeout), ok(min5 + 1), ok(min5 + 2), ok(2 * min5),
		}, []AvailabilityRatio{{0, 1}, {300, round(2.0/3, 6)}, {600, 1}}, round(2.0/3, 6)},
		{"at the end, in the last", 10 * sim.Minute, []fin{
			ok(sim.Second), fail(10*sim.Minute, model.ErrRegionUnavailable), ok(10 * sim.Minute),
		}, []AvailabilityRatio{{0, 1}, {300, 0.5}}, 0.5},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, reserve := range []bool{false, true} {
				c := NewCollector([]TableInfo{{Name: "a"}})
				if reserve {
					c.Reserve(tc.duration)
				}
				for _, f := range tc.finishes {
					c.Finish(model.Outcome{Op: units.OpGet, Result: f.res, Error: f.kind, End: f.end})
				}
				r := c.Result(Meta{Duration: tc.duration})
				if !slices.Equal(r.Availability, tc.want) {
					t.Errorf("availability %v, want %v", r.Availability, tc.want)
				}
				if v, _ := r.Metric("availability_min"); v != tc.min {
					t.Errorf("availability_min %v, want %v", v, tc.min)
				}
				if r.Replication != nil {
					t.Error("a run without a global table has a replication section")
				}
			}
		})
	}
}

// TestGlobalEvents feeds the collector each kind of event alone.
func TestGlobalEvents(t *testing.T) {
	for _, tc := range []struct {
		name   string
		events []model.GlobalEvent
		check  func(g *ReplicationResult) bool
	}{
		{"delivered", []model.GlobalEvent{
			{Kind: model.GlobalDelivered, Table: 1, Lag: 800 * ms},
			{Kind: model.GlobalDelivered, Table: 0, Origin: 1, Lag: 1200 * ms},
			{Kind: model.GlobalDelivered, Table: 1, Lag: 2 * sim.Second},
		}, func(g *ReplicationResult) bool {
			near := func(v, want float64) bool { return v >= want && v <= want*1.001 }
			return g.ReplicatedWrites == 3 && near(g.LagMs.P50, 1200) && g.LagMs.P90 == 2000 && g.LagMs.P99 == 2000 && g.LagMs.Max == 2000
		}},
		{"a lag past the histogram keeps its maximum", []model.GlobalEvent{
			{Kind: model.GlobalDelivered, Table: 1, Lag: 10 * 24 * sim.Hour},
		}, func(g *ReplicationResult) bool { return g.LagMs.Max == 864e6 && g.LagMs.P50 <= g.LagMs.Max }},
		{"conflict", []model.GlobalEvent{{Kind: model.GlobalConflict, Table: 1}, {Kind: model.GlobalConflict, Table: 0}},
			func(g *ReplicationResult) bool {
				return g.Conflicts == 2 && g.OverwrittenUpdates == 2 && g.ReplicatedWrites == 0 && g.LagMs == LagLatency{}
			}},
		{"reads", []model.GlobalEvent{
			{Kind: model.GlobalRead, Table: 1}, {Kind: model.GlobalRead, Table: 1, Stale: true},
			{Kind: model.GlobalRead, Table: 0}, {Kind: model.GlobalRead, Table: 0},
		}, func(g *ReplicationResult) bool { return g.Reads == 4 && g.StaleReads == 1 && g.StaleReadRatio == 0.25 }},
		{"unreplicated", []model.GlobalEvent{{Kind: model.GlobalUnreplicated, Table: 1, Origin: 1}},
			func(g *ReplicationResult) bool { return g.UnreplicatedAtOutage == 1 }},
		{"none", nil, func(g *ReplicationResult) bool {
			return g.Reads == 0 && g.StaleReadRatio == 0 && g.AvailabilityMin == 1 && len(g.Availability) == 1
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := NewCollector([]TableInfo{{Name: "t", Region: "us-east-1"}, {Name: "t@eu-west-1", Region: "eu-west-1", ReplicaOf: "t"}})
			for i, ev := range tc.events {
				c.Global(sim.Time(i)*sim.Second, &ev)
			}
			r := c.Result(Meta{Duration: time10s})
			if r.Replication == nil || !tc.check(r.Replication) {
				t.Errorf("replication %+v", r.Replication)
			}
		})
	}

	// Without AddTable naming a replica, the first event makes the
	// section.
	c := NewCollector([]TableInfo{{Name: "t"}})
	c.Global(sim.Second, &model.GlobalEvent{Kind: model.GlobalRead, Stale: true})
	if r := c.Result(Meta{Duration: time10s}); r.Replication == nil || r.Replication.StaleReads != 1 ||
		r.Series.Replication.StaleReads[1] != 1 || len(r.Series.Replication.StaleReads) != 10 {
		t.Errorf("replication %+v", r.Replication)
	}

	for name, f := range map[string]func(c *Collector){
		"kind":  func(c *Collector) { c.Global(0, &model.GlobalEvent{Kind: 0}) },
		"kind9": func(c *Collector) { c.Global(0, &model.GlobalEvent{Kind: 9}) },
		"table": func(c *Collector) { c.Global(0, &model.GlobalEvent{Kind: model.GlobalRead, Table: 4}) },
	} {
		t.Run(name, func(t *testing.T) {
			defer func() {
				msg, _ := recover().(string)
				if !strings.HasPrefix(msg, "reports: ") {
					t.Errorf("panic %q, want one starting with \"reports: \"", msg)
				}
			}()
			f(NewCollector([]TableInfo{{Name: "a"}}))
		})
	}
}

const time10s = 10 * sim.Second

// TestConsumers: a table's consumers from its samples; the slice the model
// passes is reused, so the collector copies what it keeps.
func TestConsumers(t *testing.T) {
	c := NewCollector([]TableInfo{{Name: "a"}, {Name: "b"}})
	cs := make([]stream.ConsumerState, 1)
	st := &model.TableState{Consumers: cs}
	ages := []sim.Time{0, 3 * sim.Second, 7500 * ms, 2 * sim.Second}
	for s, age := range ages {
		records, backlog := int64(100*(s+1)), int64(age/sim.Second)
		cs[0] = stream.ConsumerState{Name: "fn", IteratorAge: age, Backlog: backlog, Records: records,
			Processed: records - backlog, Retries: int64(s), Lost: int64(s / 2), ReadUnits: int64(10 * (s + 1))}
		if s == 2 {
			cs = append(cs, stream.ConsumerState{Name: "late", Records: 300, Processed: 300})
			st.Consumers = cs
		}
		c.Sample(sim.Time(s+1)*sim.Second, 0, st)
		c.Sample(sim.Time(s+1)*sim.Second, 1, &model.TableState{})
		cs[0].Name = "overwritten" // the model reuses the slice
	}
	r := c.Result(Meta{Duration: 4 * sim.Second})
	want := []StreamResult{
		{Table: "a", Consumer: "fn", Records: 400, Processed: 398, Lost: 1, Retries: 3, ReadUnits: 40,
			MaxIteratorAgeS: 7.5, FinalIteratorAgeS: 2},
		{Table: "a", Consumer: "late", Records: 300, Processed: 300},
	}
	if !slices.Equal(r.Streams, want) {
		t.Errorf("streams %+v, want %+v", r.Streams, want)
	}
	s := r.Series.Tables[0].Consumers
	if len(s) != 2 || !slices.Equal(s[0].IteratorAge[:4], ages) || len(s[0].IteratorAge) != 5 || s[0].Backlog[2] != 7 || s[1].Name != "late" ||
		!slices.Equal(s[1].IteratorAge, []sim.Time{0, 0, 0, 0, 0}) {
		t.Errorf("consumer series %+v", s)
	}
	if v, ok := r.Metric("max_iterator_age_s"); !ok || v != 7.5 {
		t.Errorf("max_iterator_age_s %v %v", v, ok)
	}
	if v, ok := r.Metric("records_lost"); !ok || v != 1 {
		t.Errorf("records_lost %v %v", v, ok)
	}
}

// The hot paths allocate nothing in steady state: Global and Finish with
// the new error kinds, once the series have room, and the samples of a
// table with consumers once they have been seen.
func TestGlobalNoAllocs(t *testing.T) {
	c := NewCollector([]TableInfo{{Name: "a", Region: "us-east-1"}, {Name: "a@eu-west-1", Region: "eu-west-1", ReplicaOf: "a"}})
	c.Reserve(20 * sim.Second)
	c.Finish(model.Outcome{Op: units.OpGet})
	st := &model.TableState{Consumers: []stream.ConsumerState{{Name: "x"}, {Name: "y"}}, Parts: make([]model.PartitionState, 1)}
	c.Sample(sim.Second, 0, st)
	now := sim.Second
	kinds := []model.GlobalEventKind{model.GlobalDelivered, model.GlobalConflict, model.GlobalRead, model.GlobalUnreplicated}
	errs := []model.ErrorKind{model.ErrRegionUnavailable, model.ErrTimeout, model.ErrReplicatedWriteConflict,
		model.ErrTransactionConflict, model.ErrConditionalCheckFailed}
	k := 0
	last := now
	allocs := testing.AllocsPerRun(1000, func() {
		now += 7 * ms
		k++
		c.Global(now, &model.GlobalEvent{Kind: kinds[k%len(kinds)], Table: k % 2, Origin: (k + 1) % 2,
			Lag: sim.Time(k) * ms, Stale: k%3 == 0})
		c.Finish(model.Outcome{Table: k % 2, Op: units.OpGet, Result: model.Failed, Error: errs[k%len(errs)], Start: now - ms, End: now})
		if now/sim.Second != last/sim.Second {
			last = now
			st.Consumers[0].IteratorAge = sim.Time(k) * ms
			c.Sample(now, 0, st)
		}
	})
	if allocs != 0 {
		t.Errorf("%v allocations per call sequence, want 0", allocs)
	}
}

// A replica priced after AddTable, or with the books of the scenario's
// tables alone, takes its home table's prices.
func TestReplicaPricing(t *testing.T) {
	book := billing.PriceBook{ReplicatedWriteRequestUnit: 6.25e-7}
	for _, before := range []bool{false, true} {
		c := NewCollector([]TableInfo{{Name: "orders", Region: "us-east-1"}})
		replica := TableInfo{Name: "orders@eu-west-1", Region: "eu-west-1", ReplicaOf: "orders"}
		if before {
			c.AddTable(replica)
			c.SetPricing([]billing.PriceBook{book}, false)
		} else {
			c.SetPricing([]billing.PriceBook{book}, false)
			c.AddTable(replica)
		}
		c.SetMeter(1, billing.Meter{Replicated: true, WriteUnits: 1e6, Standard: true})
		r := c.Result(Meta{Duration: sim.Hour})
		if len(r.Cost.Lines) != 1 || r.Cost.Lines[0].USD != 0.625 {
			t.Errorf("before %v: lines %+v", before, r.Cost.Lines)
		}
		var b bytes.Buffer
		if err := WriteBill(&b, r); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(b.String(), "orders@eu-west-1  replicated write requests") {
			t.Errorf("bill:\n%s", b.String())
		}
	}
}

// The table order and labels of replicas, their indexes, and a replica
// whose home table is missing.
func TestReplicaLabels(t *testing.T) {
	tables := []TableResult{
		{Name: "orders", Region: "us-east-1"},
		{Name: "users"},
		{Name: "orders@eu-west-1", Region: "eu-west-1"},
		{Name: "orders@ap-south-1", Region: "ap-south-1"},
		{Name: "gone@eu-west-1", Region: "eu-west-1"},
		{Name: "orders/by-status", Table: "orders", Index: "by-status"},
		{Name: "orders@eu-west-1/by-status", Table: "orders@eu-west-1", Index: "by-status"},
		{Name: "odd@name"}, // no region: not a replica
	}
	var got []string
	for _, i := range tableOrder(tables) {
		got = append(got, tableLabel(&tables[i]))
	}
	want := []string{"orders (us-east-1)", "by-status (index of orders)", "orders (eu-west-1 replica)",
		"by-status (index of orders, eu-west-1 replica)", "orders (ap-south-1 replica)", "users", "odd@name",
		"gone (eu-west-1 replica)"}
	if !slices.Equal(got, want) {
		t.Errorf("order %q, want %q", got, want)
	}
}

// The new threshold metrics: what they read, and a run without the
// feature cannot be held to them.
func TestGlobalMetrics(t *testing.T) {
	full := &Result{
		Streams:      []StreamResult{{MaxIteratorAgeS: 12.5, Lost: 3}, {MaxIteratorAgeS: 40, Lost: 4}},
		Replication:  &ReplicationResult{Conflicts: 7, StaleReadRatio: 0.02},
		Availability: []AvailabilityRatio{{0, 0.9999}, {300, 0.99995}},
	}
	for _, tc := range []struct {
		r     *Result
		th    Threshold
		value *float64
		pass  bool
		err   string
	}{
		{full, Threshold{Name: "max_iterator_age_s", Cmp: "<", Value: 60}, ptr(40), true, ""},
		{full, Threshold{Name: "records_lost", Cmp: "==", Value: 0}, ptr(7), false, ""},
		{full, Threshold{Name: "replication_conflicts", Cmp: "<=", Value: 7}, ptr(7), true, ""},
		{full, Threshold{Name: "stale_read_ratio", Cmp: "<", Value: 0.01}, ptr(0.02), false, ""},
		{full, Threshold{Name: "availability_min", Cmp: ">=", Value: 0.9999}, ptr(0.9999), true, ""},
		{&Result{}, Threshold{Name: "availability_min", Cmp: ">=", Value: 0.99999}, ptr(1), true, ""},
		{&Result{}, Threshold{Name: "max_iterator_age_s", Cmp: "<", Value: 60}, nil, false,
			"max_iterator_age_s cannot be measured: the run has no stream consumer"},
		{&Result{}, Threshold{Name: "records_lost", Cmp: "==", Value: 0}, nil, false,
			"records_lost cannot be measured: the run has no stream consumer"},
		{&Result{}, Threshold{Name: "replication_conflicts", Cmp: "==", Value: 0}, nil, false,
			"replication_conflicts cannot be measured: the run has no global table"},
		{&Result{}, Threshold{Name: "stale_read_ratio", Cmp: "<", Value: 1}, nil, false,
			"stale_read_ratio cannot be measured: the run has no global table"},
	} {
		Evaluate(tc.r, []Threshold{tc.th})
		got := tc.r.Thresholds[0]
		if got.Passed != tc.pass || got.Error != tc.err {
			t.Errorf("%s %s %v: passed %v error %q, want %v %q", tc.th.Name, tc.th.Cmp, tc.th.Value,
				got.Passed, got.Error, tc.pass, tc.err)
		}
		if (got.Value == nil) != (tc.value == nil) || got.Value != nil && *got.Value != *tc.value {
			t.Errorf("%s: value %v, want %v", tc.th.Name, got.Value, tc.value)
		}
	}
	for name, want := range map[string]bool{"stale_read_ratio": true, "availability_min": true,
		"max_iterator_age_s": false, "records_lost": false, "replication_conflicts": false} {
		if IsRatioMetric(name) != want {
			t.Errorf("IsRatioMetric(%q) = %v", name, !want)
		}
	}
	for _, tc := range []struct {
		name string
		v    float64
		want string
	}{
		{"availability_min", 1, "100%"},
		{"availability_min", 0.99999, "99.999%"},
		{"availability_min", 0.9999999, ">99.999%"},
		{"availability_min", 0.9, "90.000%"},
		{"stale_read_ratio", 0.0125, "1.25%"},
		{"max_iterator_age_s", 0.25, "250 ms"},
		{"max_iterator_age_s", 95, "95.0 s"},
		{"records_lost", 1234, "1,234"},
	} {
		if got := metricString(tc.name, &tc.v); got != tc.want {
			t.Errorf("metricString(%s, %v) = %q, want %q", tc.name, tc.v, got, tc.want)
		}
	}
}
