package server

import (
	"errors"
	"fmt"
	"log"
	"math"
	"runtime/debug"
	"slices"
	"sync"
	"time"

	"github.com/ddbsim/ddbsim"
	"github.com/ddbsim/ddbsim/model"
	"github.com/ddbsim/ddbsim/reports"
	"github.com/ddbsim/ddbsim/scenarios"
	"github.com/ddbsim/ddbsim/sim"
)

// DefaultHorizon is how much virtual time a session without a duration
// covers. Every simulation reserves a point a second of its time series
// for its whole duration, some 2 MB an hour for an API table with no
// index, so the default is an hour: a longer session asks for it with
// Config.Duration. The session ends, as on a signal, when its clock
// reaches the horizon.
const DefaultHorizon = time.Hour

// MaxTables bounds the tables a session of DefaultHorizon may create
// through the API: each is a simulation of its own, with its series
// reserved (MaxTables of them are some 300 MB), so that a client cannot
// exhaust the server's memory by creating tables. A longer session may
// create proportionally fewer, and at least minTables.
const MaxTables = 128

const minTables = 8

// Config is how a session is served.
type Config struct {
	// Scenario, when set, is simulated as the session's background: its
	// tables are served and its workloads run against them at the
	// virtual time the clock gives. Its duration is replaced by the
	// session's.
	Scenario *scenarios.Scenario
	// Prices are the prices of the tables created through the API
	// (ddbsim serve --prices, --free-tier); a scenario's own tables keep
	// the scenario's.
	Prices scenarios.Prices
	// Seed drives every simulation of the session; API-created tables
	// derive theirs from it and their names.
	Seed uint64
	// TimeScale is virtual seconds per wall second; 1 when 0.
	TimeScale float64
	// Duration is the session's length in virtual time; DefaultHorizon
	// when 0.
	Duration time.Duration
	// NoLatency answers at once instead of after the model's latency
	// divided by TimeScale.
	NoLatency bool
	// Series keeps each second's latency histogram, for plots and the
	// latency log in the outputs.
	Series bool
	// Region and Account make ARNs; us-east-1 (or the scenario's region)
	// and 000000000000 when empty.
	Region, Account string
	// Now is the wall clock, read only by the serialising loop;
	// time.Now when nil. Tests give a fake one.
	Now func() time.Time
}

// ErrClosed is returned by Do once the session has been closed.
var ErrClosed = errors.New("server: session closed")

// Server is a served session: its simulations, the loop that owns them,
// and the HTTP handler (ServeHTTP) that calls on it.
//
// Every simulation is touched only by the loop goroutine: a handler sends
// it a closure (Do) and waits for the answer; before each, the loop reads
// the wall clock and advances every simulation to the virtual time it
// gives. The model therefore sees requests one at a time, in the order
// they reached the loop, each at the virtual time of its arrival: two
// sessions given the same requests in the same order at the same virtual
// times (with the same seed) answer identically, byte for byte. Which of
// two concurrent requests arrives first is the one thing the network
// decides.
type Server struct {
	cfg     Config
	scale   float64
	horizon sim.Time
	start   time.Time
	now     func() time.Time

	calls chan *call
	quit  chan struct{}
	ended chan struct{} // closed when the loop has stopped
	once  sync.Once
	// closeOnce lets one Close through.
	closeOnce sync.Once
	done      chan struct{} // closed when the clock reaches the horizon
	timer     *time.Timer

	// Loop-owned state: nothing below is touched off the loop until it
	// has stopped.
	clock     sim.Time
	scenario  *session
	sessions  []*session
	tables    map[string]*table
	created   int
	maxTables int
	ops       map[string]Operation // Register's, set before serving
	metrics   *metrics
	ttl       ttlSweep // the TTL deletions of real items (ttl.go)
}

type call struct {
	f     func(now sim.Time)
	done  chan struct{}
	fault any // what f panicked with, if it did
}

// session is one simulation of the served session: the scenario's, or
// an API-created table's. Its kernel's time 0 falls at virtual time
// offset.
type session struct {
	name   string // the outputs' directory: "" for the scenario's
	sim    *ddbsim.Simulation
	offset sim.Time
	ended  bool
	tap    *tap
}

// New builds the session's simulations and starts its loop.
func New(cfg Config) (*Server, error) {
	s := &Server{cfg: cfg, scale: cfg.TimeScale, now: cfg.Now, tables: map[string]*table{},
		calls: make(chan *call), quit: make(chan struct{}), ended: make(chan struct{}), done: make(chan struct{})}
	if s.scale == 0 {
		s.scale = 1
	}
	if s.scale < 0 || math.IsNaN(s.scale) || math.IsInf(s.scale, 0) {
		return nil, fmt.Errorf("time scale %v: must be a positive number", cfg.TimeScale)
	}
	s.horizon = sim.FromDuration(cfg.Duration)
	if s.horizon <= 0 {
		s.horizon = sim.FromDuration(DefaultHorizon)
	}
	s.maxTables = max(minTables, min(MaxTables, int(float64(MaxTables)*float64(DefaultHorizon)/float64(s.horizon))))
	if s.now == nil {
		s.now = time.Now
	}
	if s.cfg.Account == "" {
		s.cfg.Account = "000000000000"
	}
	if s.cfg.Region == "" {
		s.cfg.Region = "us-east-1"
		if cfg.Scenario != nil && cfg.Scenario.Region != "" {
			s.cfg.Region = cfg.Scenario.Region
		}
	}
	s.metrics = newMetrics()
	if sc := cfg.Scenario; sc != nil {
		c := *sc
		c.Duration = time.Duration(s.horizon)
		// The served tables' TTL is the server's, on their real items
		// (ttl.go): the model's own would expire the likeness of an item
		// on its schedule while the real item stays. Background traffic's
		// items then do not expire.
		c.Tables = slices.Clone(sc.Tables)
		for i := range c.Tables {
			c.Tables[i].TTL = nil
		}
		sess, err := s.newSession("", &c, cfg.Seed, 0)
		if err != nil {
			return nil, err
		}
		s.scenario = sess
		for i, t := range sc.Tables {
			s.tables[t.Name] = scenarioTable(s, sess, i, &sc.Tables[i])
		}
	}
	s.start = s.now()
	wall := time.Duration(float64(s.horizon) / s.scale)
	s.timer = time.AfterFunc(wall, func() { s.once.Do(func() { close(s.done) }) })
	go s.loop()
	return s, nil
}

// newSession builds and starts the simulation of sc, whose time 0 falls
// at virtual time offset.
func (s *Server) newSession(name string, sc *scenarios.Scenario, seed uint64, offset sim.Time) (*session, error) {
	tp := &tap{}
	sm, err := ddbsim.Build(sc, ddbsim.Options{Seed: seed, Series: s.cfg.Series, Tap: tp})
	if err != nil {
		return nil, err
	}
	tp.svc = sm.Service
	sm.Start()
	sess := &session{name: name, sim: sm, offset: offset, tap: tp}
	s.sessions = append(s.sessions, sess)
	return sess, nil
}

// Done is closed when the session's clock reaches its horizon (its
// duration): the session is over and should be closed.
func (s *Server) Done() <-chan struct{} { return s.done }

// TimeScale is the virtual seconds a wall second makes.
func (s *Server) TimeScale() float64 { return s.scale }

// Do runs f on the serialising loop, after advancing every simulation to
// the virtual time now that the wall clock gives, and returns when f
// has; f may touch the simulations, and nothing else may. After Close it
// returns ErrClosed without running f.
func (s *Server) Do(f func(now sim.Time)) error {
	c := &call{f: f, done: make(chan struct{})}
	select {
	case s.calls <- c:
	case <-s.quit:
		return ErrClosed
	}
	<-c.done
	if c.fault != nil {
		return fmt.Errorf("server: internal error: %v", c.fault)
	}
	return nil
}

// keepPace is how often an idle loop advances the simulations, so that
// the scenario's background traffic keeps up with the clock rather than
// being caught up in one go by the next request, which would wait for it.
// Advancing in steps or at once gives the same simulation (AdvanceTo).
const keepPace = 50 * time.Millisecond

func (s *Server) loop() {
	defer close(s.ended)
	tick := time.NewTicker(keepPace)
	defer tick.Stop()
	for {
		select {
		case c := <-s.calls:
			s.run(c)
		case <-tick.C:
			s.run(&call{f: func(sim.Time) {}, done: make(chan struct{})})
		case <-s.quit:
			return
		}
	}
}

// run answers one call; a panic in it (a bug) fails that call, not the
// server.
func (s *Server) run(c *call) {
	defer close(c.done)
	defer func() {
		if r := recover(); r != nil {
			s.metrics.panics++
			c.fault = r
			// A bug: say where, since the client only hears "internal error".
			log.Printf("server: a call panicked: %v\n%s", r, debug.Stack())
		}
	}()
	c.f(s.advance())
}

// advance reads the wall clock, turns it into virtual time (never
// backwards, never past the horizon) and runs every simulation to it.
func (s *Server) advance() sim.Time {
	wall := s.now().Sub(s.start)
	v := float64(wall) * s.scale
	t := s.horizon
	if v < float64(s.horizon) {
		t = sim.Time(v)
	}
	if t > s.clock {
		s.clock = t
	}
	for _, sess := range s.sessions {
		if !sess.ended {
			sess.sim.AdvanceTo(s.clock - sess.offset)
		}
	}
	s.sweepExpired()
	return s.clock
}

// Output is one simulation's result, and where under the output
// directory it goes: "" for the scenario's, tables/NAME for a table
// created through the API.
type Output struct {
	Dir    string
	Result *reports.Result
}

// Close stops the loop (a call already running finishes; later ones get
// ErrClosed), ends every simulation at the virtual time reached and
// returns their results: the scenario's first, then the API tables' in
// creation order. Stop the HTTP server first, so that requests in flight
// are answered.
func (s *Server) Close() ([]Output, error) {
	closing := false
	s.closeOnce.Do(func() { closing = true })
	if !closing {
		return nil, ErrClosed
	}
	close(s.quit)
	<-s.ended
	s.timer.Stop()
	s.advance()
	var out []Output
	var errs []error
	for _, sess := range s.sessions {
		sess.end(s.clock)
		res, err := sess.sim.Finish()
		if err != nil {
			errs = append(errs, err)
			continue
		}
		out = append(out, Output{Dir: sess.name, Result: res})
	}
	return out, errors.Join(errs...)
}

// end makes the session's simulation end at virtual time now.
func (sess *session) end(now sim.Time) {
	if !sess.ended {
		sess.sim.AdvanceTo(now - sess.offset)
		sess.sim.EndAt(max(now-sess.offset, sess.sim.Kernel.Now()))
		sess.ended = true
	}
}

// service returns the session's service.
func (sess *session) service() *model.Service { return sess.sim.Service }

// Served is a table as the data plane serves it: its service, its place
// there, and the time of its simulation at the moment of the call (a
// request is handled at that time: Service.Handle(Now, ...)).
type Served struct {
	Service *model.Service
	Table   int
	Now     sim.Time
}

// Lookup finds the table named name for a data-plane call made at now.
// It runs only on the loop (inside Do). A table absent, deleted or still
// CREATING is a ResourceNotFoundException, as the service answers.
func (s *Server) Lookup(name string, now sim.Time) (Served, error) {
	t, ok := s.tables[name]
	if !ok || now < t.active {
		return Served{}, tableNotFound(name)
	}
	return Served{Service: t.sess.service(), Table: t.index, Now: now - t.sess.offset}, nil
}
