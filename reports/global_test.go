package reports_test

import (
	"bytes"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/ddbsim/ddbsim/model"
	"github.com/ddbsim/ddbsim/model/billing"
	"github.com/ddbsim/ddbsim/model/stream"
	"github.com/ddbsim/ddbsim/model/units"
	"github.com/ddbsim/ddbsim/reports"
	"github.com/ddbsim/ddbsim/reports/html"
	"github.com/ddbsim/ddbsim/reports/internal/fixture"
	"github.com/ddbsim/ddbsim/sim"
	"github.com/ddbsim/ddbsim/threshold"
)

// TestGlobalResult checks the streams and replication sections against
// values worked by hand from fixture.Global's description.
func TestGlobalResult(t *testing.T) {
	r := fixture.Global()
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
		{"stale ratio", g.StaleReadRatio, reports.Ratio(366, 9300)},
		{"unreplicated", g.UnreplicatedAtOutage, int64(5)},
		// The longest wait: orders' write made at 398.7 s, due at
		// 400 s, delivered when eu-west-1 returns at 460 s.
		{"lag max", g.LagMs.Max, 61300.0},
		{"availability", g.Availability, []reports.AvailabilityRatio{
			{0, round(1-3.0/(31*300+10), 6)}, {300, round(second, 6)}, {600, 1}}},
		{"availability min", g.AvailabilityMin, round(second, 6)},
		{"hidden availability", r.Availability, g.Availability},
		{"indexer", r.Streams[0], reports.StreamResult{Table: "orders", Consumer: "indexer", Records: 9100, Processed: 9100,
			Retries: 6, ReadUnits: 2640, MaxIteratorAgeS: 0.5}},
		{"audit", r.Streams[1], reports.StreamResult{Table: "orders", Consumer: "audit", Records: 9100, Processed: 9100,
			ReadUnits: 660, MaxIteratorAgeS: 200}},
		{"errors", r.ErrorsByKind, map[string]int64{"region_unavailable": 14 * 60, "timeout": 3,
			"conditional_check_failed": 5, "transaction_conflict": 1}},
		{"regions", []string{r.Tables[0].Region, r.Tables[1].Region, r.Tables[2].Region, r.Tables[3].Region},
			[]string{"us-east-1", "", "eu-west-1", ""}},
		{"thresholds", []bool{r.Thresholds[0].Passed, r.Thresholds[1].Passed, r.Thresholds[2].Passed,
			r.Thresholds[3].Passed, r.Thresholds[4].Passed}, []bool{false, true, true, true, false}},
		{"threshold values", []float64{*r.Thresholds[0].Value, *r.Thresholds[1].Value, *r.Thresholds[2].Value,
			*r.Thresholds[3].Value, *r.Thresholds[4].Value}, []float64{200, 0, 10, reports.Ratio(366, 9300), round(second, 6)}},
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
	m, b := jsonObject(t, fixture.Global())
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
	r := fixture.Synthetic()
	var b bytes.Buffer
	if err := reports.WriteJSON(&b, r); err != nil {
		t.Fatal(err)
	}
	if err := reports.WriteSummary(&b, r); err != nil {
		t.Fatal(err)
	}
	if err := reports.WriteExplain(&b, r); err != nil {
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
	var page strings.Builder
	if err := html.WriteReport(&page, r); err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"streams-section", "replication-section", "plot-stream-iterator-age", "plot-replication"} {
		if strings.Contains(page.String(), s) {
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
	r := fixture.Global()
	for _, tc := range []struct {
		file  string
		write func(*bytes.Buffer) error
	}{
		{"result-global.json.golden", func(b *bytes.Buffer) error { return reports.WriteJSON(b, r) }},
		{"summary-global.golden", func(b *bytes.Buffer) error { return reports.WriteSummary(b, r) }},
		{"explain-global.golden", func(b *bytes.Buffer) error { return reports.WriteExplain(b, r) }},
		{"bill-global.golden", func(b *bytes.Buffer) error { return reports.WriteBill(b, r) }},
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
	if err := reports.WriteSummary(&b, fixture.Global()); err != nil {
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
	if err := reports.WriteExplain(&b, fixture.Global()); err != nil {
		t.Fatal(err)
	}
	if want := "840 requests failed with region_unavailable: the last attempt still went to a region that was down"; !strings.Contains(b.String(), want) {
		t.Errorf("explain lacks %q:\n%s", want, b.String())
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
	min5 := reports.AvailabilityInterval
	for _, tc := range []struct {
		name     string
		duration sim.Time
		finishes []fin
		want     []reports.AvailabilityRatio
		min      float64
	}{
		{"no time", 0, nil, []reports.AvailabilityRatio{}, 1},
		{"no requests", 10 * sim.Minute, nil, []reports.AvailabilityRatio{{0, 1}, {300, 1}}, 1},
		{"each unavailable kind counts", 5 * sim.Minute, []fin{
			ok(1), ok(2), ok(3), ok(4), fail(5, model.ErrRegionUnavailable), fail(6, model.ErrTimeout),
			fail(7, model.ErrReplicatedWriteConflict), fail(8, model.ErrTransactionConflict),
		}, []reports.AvailabilityRatio{{0, 0.5}}, 0.5},
		{"throttles and client errors do not", 5 * sim.Minute, []fin{
			ok(1), {2, model.Throttled, model.NoError}, fail(3, model.ErrConditionalCheckFailed),
			fail(4, model.ErrItemCollectionTooLarge),
		}, []reports.AvailabilityRatio{{0, 1}}, 1},
		{"by the interval the request ended in", 12 * sim.Minute, []fin{
			ok(min5 - 1), fail(min5, model.ErrTimeout), ok(min5 + 1), ok(min5 + 2), ok(2 * min5),
		}, []reports.AvailabilityRatio{{0, 1}, {300, round(2.0/3, 6)}, {600, 1}}, round(2.0/3, 6)},
		{"at the end, in the last", 10 * sim.Minute, []fin{
			ok(sim.Second), fail(10*sim.Minute, model.ErrRegionUnavailable), ok(10 * sim.Minute),
		}, []reports.AvailabilityRatio{{0, 1}, {300, 0.5}}, 0.5},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, reserve := range []bool{false, true} {
				c := reports.NewCollector([]reports.TableInfo{{Name: "a"}})
				if reserve {
					c.Reserve(tc.duration)
				}
				for _, f := range tc.finishes {
					c.Finish(model.Outcome{Op: units.OpGet, Result: f.res, Error: f.kind, End: f.end})
				}
				r := c.Result(reports.Meta{Duration: tc.duration})
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
		check  func(g *reports.ReplicationResult) bool
	}{
		{"delivered", []model.GlobalEvent{
			{Kind: model.GlobalDelivered, Table: 1, Lag: 800 * ms},
			{Kind: model.GlobalDelivered, Table: 0, Origin: 1, Lag: 1200 * ms},
			{Kind: model.GlobalDelivered, Table: 1, Lag: 2 * sim.Second},
		}, func(g *reports.ReplicationResult) bool {
			near := func(v, want float64) bool { return v >= want && v <= want*1.001 }
			return g.ReplicatedWrites == 3 && near(g.LagMs.P50, 1200) && g.LagMs.P90 == 2000 && g.LagMs.P99 == 2000 && g.LagMs.Max == 2000
		}},
		{"a lag past the histogram keeps its maximum", []model.GlobalEvent{
			{Kind: model.GlobalDelivered, Table: 1, Lag: 10 * 24 * sim.Hour},
		}, func(g *reports.ReplicationResult) bool { return g.LagMs.Max == 864e6 && g.LagMs.P50 <= g.LagMs.Max }},
		{"conflict", []model.GlobalEvent{{Kind: model.GlobalConflict, Table: 1}, {Kind: model.GlobalConflict, Table: 0}},
			func(g *reports.ReplicationResult) bool {
				return g.Conflicts == 2 && g.OverwrittenUpdates == 2 && g.ReplicatedWrites == 0 && g.LagMs == reports.LagLatency{}
			}},
		{"reads", []model.GlobalEvent{
			{Kind: model.GlobalRead, Table: 1}, {Kind: model.GlobalRead, Table: 1, Stale: true},
			{Kind: model.GlobalRead, Table: 0}, {Kind: model.GlobalRead, Table: 0},
		}, func(g *reports.ReplicationResult) bool {
			return g.Reads == 4 && g.StaleReads == 1 && g.StaleReadRatio == 0.25
		}},
		{"unreplicated", []model.GlobalEvent{{Kind: model.GlobalUnreplicated, Table: 1, Origin: 1}},
			func(g *reports.ReplicationResult) bool { return g.UnreplicatedAtOutage == 1 }},
		{"none", nil, func(g *reports.ReplicationResult) bool {
			return g.Reads == 0 && g.StaleReadRatio == 0 && g.AvailabilityMin == 1 && len(g.Availability) == 1
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := reports.NewCollector([]reports.TableInfo{{Name: "t", Region: "us-east-1"}, {Name: "t@eu-west-1", Region: "eu-west-1", ReplicaOf: "t"}})
			for i, ev := range tc.events {
				c.Global(sim.Time(i)*sim.Second, &ev)
			}
			r := c.Result(reports.Meta{Duration: time10s})
			if r.Replication == nil || !tc.check(r.Replication) {
				t.Errorf("replication %+v", r.Replication)
			}
		})
	}

	// Without AddTable naming a replica, the first event makes the
	// section.
	c := reports.NewCollector([]reports.TableInfo{{Name: "t"}})
	c.Global(sim.Second, &model.GlobalEvent{Kind: model.GlobalRead, Stale: true})
	if r := c.Result(reports.Meta{Duration: time10s}); r.Replication == nil || r.Replication.StaleReads != 1 ||
		r.Series.Replication.StaleReads[1] != 1 || len(r.Series.Replication.StaleReads) != 10 {
		t.Errorf("replication %+v", r.Replication)
	}

	for name, f := range map[string]func(c *reports.Collector){
		"kind":  func(c *reports.Collector) { c.Global(0, &model.GlobalEvent{Kind: 0}) },
		"kind9": func(c *reports.Collector) { c.Global(0, &model.GlobalEvent{Kind: 9}) },
		"table": func(c *reports.Collector) { c.Global(0, &model.GlobalEvent{Kind: model.GlobalRead, Table: 4}) },
	} {
		t.Run(name, func(t *testing.T) {
			defer func() {
				msg, _ := recover().(string)
				if !strings.HasPrefix(msg, "reports: ") {
					t.Errorf("panic %q, want one starting with \"reports: \"", msg)
				}
			}()
			f(reports.NewCollector([]reports.TableInfo{{Name: "a"}}))
		})
	}
}

const time10s = 10 * sim.Second

// TestConsumers: a table's consumers from its samples; the slice the model
// passes is reused, so the collector copies what it keeps.
func TestConsumers(t *testing.T) {
	c := reports.NewCollector([]reports.TableInfo{{Name: "a"}, {Name: "b"}})
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
	r := c.Result(reports.Meta{Duration: 4 * sim.Second})
	want := []reports.StreamResult{
		{Table: "a", Consumer: "fn", Records: 400, Processed: 398, Lost: 1, Retries: 3, ReadUnits: 40,
			MaxIteratorAgeS: 7.5, FinalIteratorAgeS: 2},
		{Table: "a", Consumer: "late", Records: 300, Processed: 300},
	}
	if !slices.Equal(r.Streams, want) {
		t.Errorf("streams %+v, want %+v", r.Streams, want)
	}
	s := r.Series.Tables[0].Consumers
	if len(s) != 2 || !slices.Equal(s[0].IteratorAge[:4], ages) || len(s[0].IteratorAge) != 4 || s[0].Backlog[2] != 7 || s[1].Name != "late" ||
		!slices.Equal(s[1].IteratorAge, []sim.Time{0, 0, 0, 0}) {
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
	c := reports.NewCollector([]reports.TableInfo{{Name: "a", Region: "us-east-1"}, {Name: "a@eu-west-1", Region: "eu-west-1", ReplicaOf: "a"}})
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
		c := reports.NewCollector([]reports.TableInfo{{Name: "orders", Region: "us-east-1"}})
		replica := reports.TableInfo{Name: "orders@eu-west-1", Region: "eu-west-1", ReplicaOf: "orders"}
		if before {
			c.AddTable(replica)
			c.SetPricing([]billing.PriceBook{book}, false)
		} else {
			c.SetPricing([]billing.PriceBook{book}, false)
			c.AddTable(replica)
		}
		c.SetMeter(1, billing.Meter{Replicated: true, WriteUnits: 1e6, Standard: true})
		r := c.Result(reports.Meta{Duration: sim.Hour})
		if len(r.Cost.Lines) != 1 || r.Cost.Lines[0].USD != 0.625 {
			t.Errorf("before %v: lines %+v", before, r.Cost.Lines)
		}
		var b bytes.Buffer
		if err := reports.WriteBill(&b, r); err != nil {
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
	tables := []reports.TableResult{
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
	for _, i := range reports.TableOrder(tables) {
		got = append(got, reports.TableLabel(&tables[i]))
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
	full := &reports.Result{
		Streams:      []reports.StreamResult{{MaxIteratorAgeS: 12.5, Lost: 3}, {MaxIteratorAgeS: 40, Lost: 4}},
		Replication:  &reports.ReplicationResult{Conflicts: 7, StaleReadRatio: 0.02},
		Availability: []reports.AvailabilityRatio{{0, 0.9999}, {300, 0.99995}},
	}
	for _, tc := range []struct {
		r     *reports.Result
		th    threshold.Threshold
		value *float64
		pass  bool
		err   string
	}{
		{full, threshold.Threshold{Metric: "max_iterator_age_s", Cmp: "<", Value: 60}, ptr(40), true, ""},
		{full, threshold.Threshold{Metric: "records_lost", Cmp: "==", Value: 0}, ptr(7), false, ""},
		{full, threshold.Threshold{Metric: "replication_conflicts", Cmp: "<=", Value: 7}, ptr(7), true, ""},
		{full, threshold.Threshold{Metric: "stale_read_ratio", Cmp: "<", Value: 0.01}, ptr(0.02), false, ""},
		{full, threshold.Threshold{Metric: "availability_min", Cmp: ">=", Value: 0.9999}, ptr(0.9999), true, ""},
		{&reports.Result{}, threshold.Threshold{Metric: "availability_min", Cmp: ">=", Value: 0.99999}, ptr(1), true, ""},
		{&reports.Result{}, threshold.Threshold{Metric: "max_iterator_age_s", Cmp: "<", Value: 60}, nil, false,
			"max_iterator_age_s cannot be measured: the run has no stream consumer"},
		{&reports.Result{}, threshold.Threshold{Metric: "records_lost", Cmp: "==", Value: 0}, nil, false,
			"records_lost cannot be measured: the run has no stream consumer"},
		{&reports.Result{}, threshold.Threshold{Metric: "replication_conflicts", Cmp: "==", Value: 0}, nil, false,
			"replication_conflicts cannot be measured: the run has no global table"},
		{&reports.Result{}, threshold.Threshold{Metric: "stale_read_ratio", Cmp: "<", Value: 1}, nil, false,
			"stale_read_ratio cannot be measured: the run has no global table"},
	} {
		reports.Evaluate(tc.r, []threshold.Threshold{tc.th})
		got := tc.r.Thresholds[0]
		if got.Passed != tc.pass || got.Error != tc.err {
			t.Errorf("%s %s %v: passed %v error %q, want %v %q", tc.th.Metric, tc.th.Cmp, tc.th.Value,
				got.Passed, got.Error, tc.pass, tc.err)
		}
		if (got.Value == nil) != (tc.value == nil) || got.Value != nil && *got.Value != *tc.value {
			t.Errorf("%s: value %v, want %v", tc.th.Metric, got.Value, tc.value)
		}
	}
	for name, want := range map[string]bool{"stale_read_ratio": true, "availability_min": true,
		"max_iterator_age_s": false, "records_lost": false, "replication_conflicts": false} {
		if threshold.IsRatio(name) != want {
			t.Errorf("threshold.IsRatio(%q) = %v", name, !want)
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
		if got := reports.MetricString(tc.name, &tc.v); got != tc.want {
			t.Errorf("MetricString(%s, %v) = %q, want %q", tc.name, tc.v, got, tc.want)
		}
	}
}
