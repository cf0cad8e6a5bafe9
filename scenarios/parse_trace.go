package scenarios

// Trace replay workloads: `trace: FILE` with `format`, `speed`, `loop`
// and `max_in_flight`, and the same for `ddbsim run --trace` (WithTrace,
// TraceScenario). The file's layouts are described in package
// workload/trace, and how its records become requests in workload.Trace.

import (
	"fmt"
	"math"
	"path/filepath"
	"strings"
	"time"

	"github.com/ddbsim/ddbsim/workload/trace"
)

// traceOnlyKeys belong to a trace workload alone.
var traceOnlyKeys = []string{"format", "speed", "loop", "max_in_flight"}

// traceExcludes are the workload keys a trace decides.
var traceExcludes = []string{"rate", "arrival", "stages", "users", "think", "mix", "keys",
	"item_size", "batch_size", "query_range", "ycsb", "ycsb_properties"}

// trace reads a trace workload (trace: FILE) into w and reports whether
// the workload is one; a trace's own keys on another workload are
// errors. The whole file is read once here, so that a bad line is
// reported before anything runs, as FILE:LINE:COL of the trace key
// followed by the trace's FILE:LINE.
func (p *parser) trace(f *fields, w *Workload) bool {
	v := f.get("trace")
	if v == nil {
		for _, k := range traceOnlyKeys {
			if kn := f.key[k]; kn != nil {
				p.errorf(kn, "%s applies only to a trace replay (trace: FILE)", k)
			}
		}
		return false
	}
	for _, k := range traceExcludes {
		if kn := f.key[k]; kn != nil {
			p.errorf(kn, "%s cannot be combined with trace: the trace gives each request's time, key, operation and item size", k)
		}
	}
	w.Arrival = ""
	spec := &TraceSpec{Pos: pos(v), Format: "csv", Speed: 1, MaxInFlight: DefaultMaxInFlight}
	w.Trace = spec
	before := len(p.errs)
	if v := f.get("format"); v != nil {
		spec.Format = p.oneOf(v, "format", trace.Formats...)
	}
	if v := f.get("speed"); v != nil {
		spec.Speed, _ = value(p, v, "speed", "a factor such as 10x or 0.5x", ParseSpeed)
	}
	if v := f.get("loop"); v != nil {
		s, ok := p.scalar(v, "loop", "true or false")
		if ok && s != "true" && s != "false" {
			p.errorf(v, "loop: expected true or false, got %s", describe(v))
		}
		spec.Loop = s == "true"
	}
	if v := f.get("max_in_flight"); v != nil {
		spec.MaxInFlight = p.atLeast(v, "max_in_flight", 1)
		if spec.MaxInFlight > MaxInFlight {
			p.errorf(v, "max_in_flight must be at most %d", MaxInFlight)
		}
	}
	if v := f.get("consistency"); v != nil {
		w.Consistency = p.oneOf(v, "consistency", "eventual", "strong")
	}
	if v := f.get("query_limit"); v != nil {
		w.QueryLimit = p.queryLimit(v)
	}
	spec.File = p.str(v, "trace")
	if len(p.errs) > before || strings.TrimSpace(spec.File) == "" {
		return true
	}
	spec.Path, spec.Open = p.files.path(spec.File), p.files.Open
	if err := spec.scan(); err != nil {
		p.errorf(v, "trace: %v", err)
	}
	return true
}

// scan reads the whole trace, checking every line, and keeps its size and
// period.
func (s *TraceSpec) scan() error {
	format, ok := trace.ParseFormat(s.Format)
	if !ok {
		return fmt.Errorf("unknown trace format %q; expected %s", s.Format, orList(trace.Formats))
	}
	f, err := openWith(s.Open, s.Path)
	if err != nil {
		return err
	}
	defer f.Close() // read only: nothing to lose
	info, err := trace.Scan(reader(f), s.Path, format)
	if err != nil {
		return err
	}
	s.Records, s.Period, s.Busiest = info.Records, time.Duration(info.Period), info.Busiest
	return nil
}

// ParseSpeed reads a replay speed: a factor above 0 such as 10x, 0.5x or
// 2 (the x is optional).
func ParseSpeed(s string) (float64, error) {
	t := strings.TrimSuffix(strings.TrimSpace(s), "x")
	r, ok := decimal(t)
	if !ok {
		return 0, fmt.Errorf("expected a factor such as 10x or 0.5x, got %q", s)
	}
	f, _ := r.Float64()
	if f <= 0 || math.IsInf(f, 0) {
		return 0, fmt.Errorf("must be greater than 0, got %q", s)
	}
	return f, nil
}

// TraceOptions are a trace replay asked for on the command line.
type TraceOptions struct {
	File   string  // read as given, relative to the working directory
	Format string  // "csv" when empty, or "twitter"
	Speed  float64 // 1 when 0
	Loop   bool
	// MaxInFlight limits the requests the replay holds at once; 0 means
	// DefaultMaxInFlight.
	MaxInFlight int64
	Table       string // the table replayed against; see WithTrace and TraceScenario
	Open        Opener // opens File: OpenFile, or nil to open nothing
}

// spec reads the whole trace and returns its workload's TraceSpec.
func (o TraceOptions) spec() (*TraceSpec, error) {
	s := &TraceSpec{File: o.File, Path: o.File, Open: o.Open, Format: o.Format, Speed: o.Speed, Loop: o.Loop, MaxInFlight: o.MaxInFlight}
	if s.MaxInFlight == 0 {
		s.MaxInFlight = DefaultMaxInFlight
	}
	if s.MaxInFlight < 0 || s.MaxInFlight > MaxInFlight {
		return nil, fmt.Errorf("max in flight %d; expected 1 to %d", s.MaxInFlight, MaxInFlight)
	}
	if s.Format == "" {
		s.Format = "csv"
	}
	if s.Speed == 0 {
		s.Speed = 1
	}
	if s.Speed < 0 || math.IsNaN(s.Speed) || math.IsInf(s.Speed, 0) {
		return nil, fmt.Errorf("trace speed %v; expected a factor above 0", s.Speed)
	}
	return s, s.scan()
}

// traceWorkloadName names the one workload of WithTrace and
// TraceScenario.
const traceWorkloadName = "trace"

// WithTrace replaces sc's workloads with one replay of the trace, on
// o.Table, or on sc's first table when o.Table is empty. The whole trace
// is read first: a bad line is an error here, as FILE:LINE: message.
func WithTrace(sc *Scenario, o TraceOptions) error {
	table := o.Table
	if table == "" && len(sc.Tables) > 0 {
		table = sc.Tables[0].Name
	}
	var names []string
	found := false
	for _, t := range sc.Tables {
		names = append(names, t.Name)
		found = found || t.Name == table
	}
	if !found {
		msg := fmt.Sprintf("no table named %q in %s (tables: %s)", table, sc.File, strings.Join(names, ", "))
		if s := suggest(table, names); s != "" {
			msg = fmt.Sprintf("no table named %q in %s; did you mean %q?", table, sc.File, s)
		}
		return fmt.Errorf("%s", msg)
	}
	spec, err := o.spec()
	if err != nil {
		return err
	}
	sc.Workloads = []Workload{{Name: traceWorkloadName, Table: table, Consistency: "eventual", Trace: spec}}
	return nil
}

// TraceScenario is a scenario that replays a trace against one on-demand
// table with partition key "key", named o.Table or "trace", holding no
// items before t=0. It lasts duration, or when that is 0 the trace's
// period at its speed (one pass of it, loop or not), rounded up to a
// whole second. The whole trace is read first: a bad line is an error
// here, as FILE:LINE: message.
func TraceScenario(o TraceOptions, duration time.Duration) (*Scenario, error) {
	spec, err := o.spec()
	if err != nil {
		return nil, err
	}
	table := o.Table
	if table == "" {
		table = "trace"
	}
	if duration <= 0 {
		d := math.Ceil(float64(spec.Period)/spec.Speed/float64(time.Second)) * float64(time.Second)
		duration = time.Duration(min(d, float64(100*365*24*time.Hour)))
	}
	return &Scenario{
		File:     o.File,
		Version:  1,
		Name:     filepath.Base(o.File),
		Duration: duration,
		Region:   "us-east-1",
		Tables: []Table{{
			Name:         table,
			PartitionKey: "key",
			Mode:         "on-demand",
			TableClass:   "standard",
			Items:        Items{Size: 1 << 10, PerKey: 1},
		}},
		Client:    defaultClient(),
		Workloads: []Workload{{Name: traceWorkloadName, Table: table, Consistency: "eventual", Trace: spec}},
	}, nil
}
