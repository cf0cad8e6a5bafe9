package workload

// Trace replay: a workload whose arrivals, keys, operations and item sizes
// come from a file of recorded requests (package trace describes its
// layouts) instead of a rate, a key chooser, a mix and a size chooser.
//
// The replay keeps one record ahead: the next record is read only when
// the one before it has been issued, so memory does not grow with the
// trace. Records are issued through the Source's ordinary request path
// (Source.issue, attempt, retry, Finish); only where the operation, key
// and size come from differs.
//
// A trace is an open loop: each record is sent at its time whatever the
// requests before it are doing. Its client, like every real one, has a
// limit on the requests it holds at once (Trace.MaxInFlight: the SDKs'
// connection pools, a host's ports): a record due while that many are in
// flight waits, unread records behind it, until one finishes, and is then
// sent. Its latency counts from the record's time, so the wait shows in
// the results as it would to the traced application (no coordinated
// omission), and its offered load stays in the second the trace gave it.
// The limit bounds the replay's memory whatever the trace's bursts: a
// million records stamped at one instant hold MaxInFlight requests, not a
// million.

import (
	"fmt"
	"io"
	"math"

	"github.com/ddbsim/ddbsim/model"
	"github.com/ddbsim/ddbsim/sim"
	"github.com/ddbsim/ddbsim/workload/trace"
)

// Trace is a workload that replays a trace file (Config.Trace).
type Trace struct {
	// Name names the trace in errors: its path.
	Name string
	// Open opens the trace when the source starts; the replay closes it
	// when it stops. The caller decides what it reads (a file, bytes in
	// memory) and should have checked the whole trace with trace.Scan,
	// so that a bad line is reported before the run rather than in it.
	Open   func() (trace.File, error)
	Format trace.Format
	// Speed divides the trace's times: 10 replays ten times faster, 0.5
	// at half speed. 0 means 1.
	Speed float64
	// Loop restarts the trace from its first record when it ends,
	// shifted by its period (see trace.Info.Period), until Config.End.
	// A looped trace needs an End.
	Loop bool
	// MaxInFlight is the most requests the replay holds at once, retries
	// and backoff waits included; a record due beyond it waits for one to
	// finish. 0 means no limit.
	MaxInFlight int64
}

// TraceWaits is what the replay's in-flight limit did: how many records
// waited for a request to finish before they were sent, and the longest
// wait.
type TraceWaits struct {
	Records int64
	Longest sim.Time
}

// traceReplay is the event that issues a trace's records: it fires at a
// record's time, issues it through the Source, reads the next record and
// schedules itself for it.
type traceReplay struct {
	s     *Source
	cfg   Trace
	end   sim.Time // no record is issued at or after it; 0: no end
	f     trace.File
	rd    *trace.Reader
	cur   *trace.Record // the record due next
	due   sim.Time      // cur's time in the replay
	shift int64         // ns added by the loops so far, at 1x
	err   error

	inFlight int64 // requests issued and not yet finished
	blocked  bool  // cur is due and waits for a request to finish
	waits    TraceWaits
}

func newTraceReplay(s *Source) *traceReplay {
	cfg := *s.cfg.Trace
	switch {
	case s.cfg.Users > 0:
		panic("workload: " + s.cfg.Name + ": a trace replay cannot have Users")
	case cfg.Speed < 0 || math.IsNaN(cfg.Speed) || math.IsInf(cfg.Speed, 0):
		panic(fmt.Sprintf("workload: %s: trace speed %v", s.cfg.Name, cfg.Speed))
	case cfg.Loop && s.cfg.End <= 0:
		panic("workload: " + s.cfg.Name + ": a looped trace needs an End")
	case cfg.Open == nil:
		panic("workload: " + s.cfg.Name + ": a trace replay needs Open")
	case cfg.MaxInFlight < 0:
		panic(fmt.Sprintf("workload: %s: MaxInFlight %d", s.cfg.Name, cfg.MaxInFlight))
	}
	if cfg.Speed == 0 {
		cfg.Speed = 1
	}
	return &traceReplay{s: s, cfg: cfg, end: s.cfg.End}
}

// start opens the trace and schedules its first record.
func (t *traceReplay) start() {
	f, err := t.cfg.Open()
	if err != nil {
		t.err = err
		return
	}
	t.f = f
	t.rd = trace.NewReader(f, t.cfg.Name, t.cfg.Format)
	t.advance()
}

// Fire issues the record due now and schedules the next, unless the
// replay is at its in-flight limit: then the record waits for finished.
func (t *traceReplay) Fire(now sim.Time) {
	if t.cfg.MaxInFlight > 0 && t.inFlight >= t.cfg.MaxInFlight {
		t.blocked = true
		return
	}
	t.send(now)
}

// send issues the record due, now or late, and schedules the next.
func (t *traceReplay) send(now sim.Time) {
	if wait := now - t.due; wait > 0 {
		t.waits.Records++
		t.waits.Longest = max(t.waits.Longest, wait)
	}
	t.inFlight++
	t.s.issue(now) // calls fill
	t.advance()
}

// finished is called when one of the replay's requests has its final
// response at now: a record waiting for room is sent.
func (t *traceReplay) finished(now sim.Time) {
	t.inFlight--
	if t.blocked {
		t.blocked = false
		t.send(now)
	}
}

// fill makes r the request of the record due: its operation, key and
// size, on the workload's table with its consistency and query limit.
// The request starts at the record's time, which is earlier than now
// when the record waited for room.
func (t *traceReplay) fill(r *request) {
	rec, s := t.cur, t.s
	r.start = t.due
	r.then = 0
	r.req = model.Request{
		Table:       s.cfg.Table,
		Op:          rec.Op,
		Consistency: s.cfg.Consistency,
		Limit:       s.cfg.QueryLimit,
		Cursor:      &s.scan,
		Size:        rec.Size,
		ViaDAX:      s.cfg.ViaDAX,
	}
	r.keyBuf = append(r.keyBuf[:0], rec.Key...)
	r.req.Key = r.keyBuf
}

// advance reads the next record and schedules it, or ends the replay at
// the trace's end (after restarting it when looping), at End, or at an
// error, closing the file.
func (t *traceReplay) advance() {
	rec, err := t.rd.Next()
	if err == io.EOF && t.cfg.Loop {
		if p := int64(t.rd.Period()); t.shift <= math.MaxInt64-p {
			t.shift += p
		} else { // virtual time has no room for another pass
			t.close()
			return
		}
		if err = t.rd.Reset(); err == nil {
			rec, err = t.rd.Next()
		}
	}
	if err != nil {
		if err != io.EOF {
			t.err = err
		}
		t.close()
		return
	}
	at := t.virtual(rec.At)
	if t.end > 0 && at >= t.end {
		t.close()
		return
	}
	t.cur, t.due = rec, at
	// A record due before now (the one before it waited) is sent, or
	// waits, at once.
	t.s.k.At(max(at, t.s.k.Now()), t)
}

// virtual is the time of a record at the replay's speed, loops included.
func (t *traceReplay) virtual(at sim.Time) sim.Time {
	if int64(at) > math.MaxInt64-t.shift { // past the end of virtual time
		return sim.Never
	}
	x := t.shift + int64(at)
	if t.cfg.Speed == 1 {
		return sim.Time(x)
	}
	v := math.Round(float64(x) / t.cfg.Speed)
	if v >= float64(sim.Never) {
		return sim.Never
	}
	return sim.Time(v)
}

func (t *traceReplay) close() {
	t.cur = nil
	if t.f != nil {
		t.f.Close() // read only: nothing to lose
		t.f = nil
	}
}

// TraceWaits reports what the in-flight limit of a trace replay did; the
// zero value for other workloads.
func (s *Source) TraceWaits() TraceWaits {
	if s.trace == nil {
		return TraceWaits{}
	}
	return s.trace.waits
}

// Err is the error that stopped a trace replay early (a line that cannot
// be read, or the file cannot be opened), as FILE:LINE: message; nil for
// other workloads and for a replay that ran to its end.
func (s *Source) Err() error {
	if s.trace == nil {
		return nil
	}
	return s.trace.err
}
