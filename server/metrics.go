package server

import (
	"fmt"
	"io"
	"maps"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/ddbsim/ddbsim/model"
	"github.com/ddbsim/ddbsim/model/units"
	"github.com/ddbsim/ddbsim/sim"
)

// /metrics, in Prometheus' text format: what the model did (consumed
// units, throttles by reason, requests and their latency) per table and
// index, from every simulation of the session, the provisioned units of
// each table now, and the API calls the server answered.

// latencyBuckets are the upper bounds of the latency histograms, in
// seconds.
var latencyBuckets = []float64{0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10}

type histogram struct {
	counts []uint64 // per bucket, not cumulative; the last is +Inf
	sum    float64
	n      uint64
}

// add adds o's observations to h's.
func (h *histogram) add(o *histogram) {
	if h.counts == nil {
		h.counts = make([]uint64, len(latencyBuckets)+1)
	}
	for i, c := range o.counts {
		h.counts[i] += c
	}
	h.sum += o.sum
	h.n += o.n
}

func (h *histogram) observe(seconds float64) {
	if h.counts == nil {
		h.counts = make([]uint64, len(latencyBuckets)+1)
	}
	i, _ := slices.BinarySearch(latencyBuckets, seconds)
	h.counts[i]++
	h.sum += seconds
	h.n++
}

// metrics holds the API's counters, written by handlers under mu; the
// model's are in each simulation's tap. Writing them out runs on the
// loop, taking mu.
type metrics struct {
	panics int // calls that panicked, on the loop

	mu       sync.Mutex
	apiCalls map[string]float64
	apiHists map[string]*histogram
}

func newMetrics() *metrics {
	return &metrics{apiCalls: map[string]float64{}, apiHists: map[string]*histogram{}}
}

// labels formats label pairs, values escaped as the format asks.
func labels(kv ...string) string {
	var b strings.Builder
	b.WriteByte('{')
	for i := 0; i+1 < len(kv); i += 2 {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(kv[i])
		b.WriteString(`="`)
		b.WriteString(escapeLabel(kv[i+1]))
		b.WriteByte('"')
	}
	b.WriteByte('}')
	return b.String()
}

func escapeLabel(v string) string {
	return strings.NewReplacer(`\`, `\\`, "\n", `\n`, `"`, `\"`).Replace(v)
}

// apiCall counts one answered API call.
func (m *metrics) apiCall(op, table, index, code string, took time.Duration) {
	if op == "" {
		op = "unknown"
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.apiCalls[labels("operation", op, "table", table, "index", index, "code", code)]++
	key := labels("operation", op)
	h := m.apiHists[key]
	if h == nil {
		h = &histogram{}
		m.apiHists[key] = h
	}
	h.observe(took.Seconds())
}

// tap records one simulation's events into arrays by the service's
// table index, so that the simulation's hot path neither allocates nor
// formats: /metrics formats them when scraped. It runs on the loop.
type tap struct {
	svc    *model.Service
	tables []tapTable
}

// tapTable is what a tap counts of one table or index.
type tapTable struct {
	read, write float64
	throttles   [units.NumOps][model.NumThrottleReasons]uint64
	retries     [units.NumOps]uint64
	requests    [units.NumOps][3]uint64 // by model.Result
	latency     [units.NumOps]histogram
}

func (t *tap) table(i int) *tapTable {
	for len(t.tables) <= i {
		t.tables = append(t.tables, tapTable{})
	}
	return &t.tables[i]
}

// label is the table and index names of the service's table i.
func (t *tap) label(i int) (table, index string) {
	tables := t.svc.Tables()
	if base, index, ok := tables[i].BaseTable(); ok {
		return tables[base].Name(), index
	}
	return tables[i].Name(), ""
}

func (t *tap) Consumed(_ sim.Time, table, _ int, read, write units.Units) {
	tt := t.table(table)
	tt.read += read.Float()
	tt.write += write.Float()
}

func (t *tap) Throttle(_ sim.Time, ev *model.ThrottleEvent) {
	if ev.Op < units.NumOps && ev.Reason < model.NumThrottleReasons {
		t.table(ev.Table).throttles[ev.Op][ev.Reason]++
	}
}

func (t *tap) Retry(_ sim.Time, table int, op units.Op) {
	if op < units.NumOps {
		t.table(table).retries[op]++
	}
}

func (t *tap) Finish(o model.Outcome) {
	if o.Op >= units.NumOps || o.Result > model.Failed {
		return
	}
	tt := t.table(o.Table)
	tt.requests[o.Op][o.Result]++
	tt.latency[o.Op].observe((o.End - o.Start).Seconds())
}

func (t *tap) Sample(sim.Time, int, *model.TableState) {}
func (t *tap) Event(sim.Time, model.CapacityEvent)     {}
func (t *tap) Cache(sim.Time, *model.CacheEvent)       {}
func (t *tap) Global(sim.Time, *model.GlobalEvent)     {}

// series adds what the tap counted to counters and hists, keyed as
// writeMetrics writes them.
func (t *tap) series(counters map[string]float64, hists map[string]*histogram) {
	for i := range t.tables {
		tt := &t.tables[i]
		table, index := t.label(i)
		ls := labels("table", table, "index", index)
		counters["ddbsim_consumed_read_capacity_units_total"+ls] += tt.read
		counters["ddbsim_consumed_write_capacity_units_total"+ls] += tt.write
		for op := range units.NumOps {
			name := op.String()
			for r := range model.NumThrottleReasons {
				if n := tt.throttles[op][r]; n > 0 {
					counters["ddbsim_throttles_total"+labels("table", table, "index", index, "operation", name, "reason", r.String())] += float64(n)
				}
			}
			if n := tt.retries[op]; n > 0 {
				counters["ddbsim_retries_total"+labels("table", table, "index", index, "operation", name)] += float64(n)
			}
			for r, n := range tt.requests[op] {
				if n > 0 {
					counters["ddbsim_requests_total"+labels("table", table, "index", index, "operation", name, "result", model.Result(r).String())] += float64(n)
				}
			}
			if h := &tt.latency[op]; h.n > 0 {
				key := "ddbsim_request_latency_seconds" + labels("table", table, "index", index, "operation", name)
				if sum := hists[key]; sum != nil {
					sum.add(h)
				} else {
					c := *h
					c.counts = slices.Clone(h.counts)
					hists[key] = &c
				}
			}
		}
	}
}

// metricHelp says what each family is, for the HELP and TYPE lines.
var metricHelp = []struct{ name, kind, help string }{
	{"ddbsim_consumed_read_capacity_units_total", "counter", "Read capacity units consumed, per table and index."},
	{"ddbsim_consumed_write_capacity_units_total", "counter", "Write capacity units consumed, per table and index."},
	{"ddbsim_provisioned_read_capacity_units", "gauge", "Read capacity units in effect now (on-demand: the instant capacity)."},
	{"ddbsim_provisioned_write_capacity_units", "gauge", "Write capacity units in effect now (on-demand: the instant capacity)."},
	{"ddbsim_partitions", "gauge", "Partitions of each table and index."},
	{"ddbsim_throttles_total", "counter", "Throttled attempts, by operation and throttling reason."},
	{"ddbsim_retries_total", "counter", "Retries the simulated clients scheduled."},
	{"ddbsim_requests_total", "counter", "Requests the simulated clients finished, by result."},
	{"ddbsim_request_latency_seconds", "histogram", "Latency of the simulated clients' requests, virtual seconds."},
	{"ddbsim_api_requests_total", "counter", "API calls answered, by operation and code."},
	{"ddbsim_api_request_duration_seconds", "histogram", "Wall time the server took to answer an API call."},
	{"ddbsim_virtual_time_seconds", "gauge", "The session's virtual clock."},
	{"ddbsim_internal_errors_total", "counter", "Calls that failed on a bug in the server."},
}

// writeMetrics writes every metric; it runs on the loop.
func (s *Server) writeMetrics(w io.Writer) {
	m := s.metrics
	counters, hists := map[string]float64{}, map[string]*histogram{}
	gauges := map[string]float64{"ddbsim_virtual_time_seconds{}": s.clock.Seconds(), "ddbsim_internal_errors_total{}": float64(m.panics)}
	for _, sess := range s.sessions {
		sess.tap.series(counters, hists)
		if sess.ended {
			continue
		}
		for i, t := range sess.service().Tables() {
			table, index := sess.tap.label(i)
			ls := labels("table", table, "index", index)
			r, wc := t.Capacity()
			gauges["ddbsim_provisioned_read_capacity_units"+ls] = float64(r)
			gauges["ddbsim_provisioned_write_capacity_units"+ls] = float64(wc)
			gauges["ddbsim_partitions"+ls] = float64(t.Partitions())
		}
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	api := map[string]float64{}
	for k, v := range m.apiCalls {
		api["ddbsim_api_requests_total"+k] = v
	}
	apiHists := map[string]*histogram{}
	for k, h := range m.apiHists {
		apiHists["ddbsim_api_request_duration_seconds"+k] = h
	}
	for _, f := range metricHelp {
		fmt.Fprintf(w, "# HELP %s %s\n# TYPE %s %s\n", f.name, f.help, f.name, f.kind)
		if f.kind == "histogram" {
			writeHistograms(w, f.name, hists, apiHists)
			continue
		}
		for _, series := range []map[string]float64{counters, gauges, api} {
			for _, k := range slices.Sorted(maps.Keys(series)) {
				if strings.HasPrefix(k, f.name+"{") {
					fmt.Fprintf(w, "%s %s\n", strings.TrimSuffix(k, "{}"), formatFloat(series[k]))
				}
			}
		}
	}
}

func writeHistograms(w io.Writer, name string, sets ...map[string]*histogram) {
	for _, set := range sets {
		for _, k := range slices.Sorted(maps.Keys(set)) {
			if !strings.HasPrefix(k, name+"{") {
				continue
			}
			h := set[k]
			inner := strings.TrimSuffix(strings.TrimPrefix(k, name+"{"), "}")
			sep := ""
			if inner != "" {
				sep = ","
			}
			var cum uint64
			for i, c := range h.counts {
				cum += c
				le := "+Inf"
				if i < len(latencyBuckets) {
					le = formatFloat(latencyBuckets[i])
				}
				fmt.Fprintf(w, "%s_bucket{%s%sle=\"%s\"} %d\n", name, inner, sep, le, cum)
			}
			fmt.Fprintf(w, "%s_sum{%s} %s\n%s_count{%s} %d\n", name, inner, formatFloat(h.sum), name, inner, h.n)
		}
	}
}

func formatFloat(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }
