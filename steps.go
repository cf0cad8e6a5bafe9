package ddbsim

// A simulation in steps, for a caller that drives it in time it reads
// from elsewhere (a server's wall clock): Start, AdvanceTo as often as it
// likes, Finish. Run is Start then Finish.

import (
	"github.com/ddbsim/ddbsim/model"
	"github.com/ddbsim/ddbsim/model/units"
	"github.com/ddbsim/ddbsim/reports"
	"github.com/ddbsim/ddbsim/sim"
)

// Start starts the simulation's traffic sources (the service started when
// it was built). It is called once, before AdvanceTo and Finish.
func (s *Simulation) Start() {
	if s.started {
		return
	}
	s.started = true
	if s.progress != nil {
		// A ticker of its own touches no model state, so the run's
		// result is the same with or without it.
		s.Kernel.Every(sim.Second, sim.Second, s.Duration, progressTicker{s.progress, s.Duration})
	}
	s.startSources()
}

// AdvanceTo fires every event due at or before t, then sets the kernel's
// clock to t, so that what is handled next (a request arriving at t) and
// the events it schedules start from t. A t before the clock changes
// nothing; a t past the run's duration stops at the duration.
func (s *Simulation) AdvanceTo(t sim.Time) {
	s.reportEarly(0)
	s.Start()
	t = min(t, s.Duration)
	s.Kernel.Run(t)
	if !s.Kernel.Interrupted() {
		s.Kernel.AdvanceTo(t)
	}
}

// EndAt makes the run end at t, when that is before its duration: a
// served session stops when its server does. Requests still in flight at
// t are not counted, as after an interrupt, but the result is complete
// up to t.
func (s *Simulation) EndAt(t sim.Time) {
	s.reportEarly(0)
	if t < s.Duration {
		s.Duration = max(t, s.Kernel.Now())
		s.ended = true
	}
}

// Finish runs the simulation to its end (its duration, or EndAt's time),
// lets what is in flight finish unless it was cut short, and returns the
// result with the scenario's thresholds evaluated.
func (s *Simulation) Finish() (*reports.Result, error) {
	s.Start()
	s.runOut()
	return s.result()
}

// reportEarly has every source report an outcome known when its last
// attempt is sent at once, when it ends in the same step of the
// collector's series (workload.Source.ReportEarly), or, with step 0,
// every response by an event. The collector files outcomes by their end
// time, and a whole run lets every request in flight finish, so a run's
// result is the same either way. A served session, which AdvanceTo
// drives and EndAt may cut short with requests in flight uncounted, and
// a tap, which sees calls in the order they are made, keep the events.
func (s *Simulation) reportEarly(step sim.Time) {
	for _, src := range s.Sources {
		src.ReportEarly(step)
	}
}

// Recorder is what the simulation's parts record to: the collector that
// makes its result (and the tap, Options.Tap). A caller that serves
// requests itself, as ddbsim serve serves an application's, reports each
// request's outcome here (Finish) and each retry its client says it made
// (Retry), as a workload's client does; the model records the rest.
func (s *Simulation) Recorder() model.Recorder { return s.rec }

// tapped returns rec, or rec and tap both when tap is set.
func tapped(rec, tap model.Recorder) model.Recorder {
	if tap == nil {
		return rec
	}
	return tee{rec, tap}
}

// tee records everything on two recorders, the first first.
type tee struct{ a, b model.Recorder }

func (t tee) Consumed(now sim.Time, table, partition int, read, write units.Units) {
	t.a.Consumed(now, table, partition, read, write)
	t.b.Consumed(now, table, partition, read, write)
}
func (t tee) Throttle(now sim.Time, ev *model.ThrottleEvent) {
	t.a.Throttle(now, ev)
	t.b.Throttle(now, ev)
}
func (t tee) Retry(now sim.Time, table int, op units.Op) {
	t.a.Retry(now, table, op)
	t.b.Retry(now, table, op)
}
func (t tee) Finish(o model.Outcome) { t.a.Finish(o); t.b.Finish(o) }
func (t tee) Sample(now sim.Time, table int, st *model.TableState) {
	t.a.Sample(now, table, st)
	t.b.Sample(now, table, st)
}
func (t tee) Event(now sim.Time, ev model.CapacityEvent) { t.a.Event(now, ev); t.b.Event(now, ev) }
func (t tee) Cache(now sim.Time, ev *model.CacheEvent)   { t.a.Cache(now, ev); t.b.Cache(now, ev) }
func (t tee) Global(now sim.Time, ev *model.GlobalEvent) { t.a.Global(now, ev); t.b.Global(now, ev) }

// AddGlobalIndex gives table a global secondary index at now, as a
// served UpdateTable does (model.Service.AddGlobalIndex), and reports it
// in the result from then on: a row of its own, priced as its table.
func (s *Simulation) AddGlobalIndex(now sim.Time, table int, ic model.IndexConfig) (int, error) {
	x, err := s.Service.AddGlobalIndex(now, table, ic)
	if err != nil {
		return 0, err
	}
	known := len(s.Service.Tables()) - 1
	describeService(s.collector, s.Service, known)
	s.collector.SetPartitions(x, s.Service.Tables()[x].Partitions())
	return x, nil
}
