package sim

import (
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"sync/atomic"
)

// Handler is something that runs when its event comes due. Scheduling a
// pointer that implements Handler does not allocate, which keeps the
// per-request path of a simulation allocation-free.
type Handler interface {
	Fire(now Time)
}

// HandlerFunc adapts a function to Handler. A closure allocates when it is
// created, so use it for setup and periodic work, not per request.
type HandlerFunc func(now Time)

// Fire calls f(now).
func (f HandlerFunc) Fire(now Time) { f(now) }

// Kernel owns virtual time and the event queue.
type Kernel struct {
	now   Time
	seq   uint64
	q     queue
	seed  uint64
	fired uint64
	// firing is the sequence number of the event being fired.
	firing uint64
	stop   bool
	// interrupt, when set, is raised from outside the simulation (a
	// signal handler); Run polls it every interruptPoll events, so that a
	// run's result does not depend on when the poll happens to fall.
	interrupt   *atomic.Bool
	interrupted bool
}

// interruptPoll is how many events Run fires between looks at the
// interrupt flag: an atomic load every event would cost the hot path,
// and 4,096 events are well under a millisecond of wall time.
const interruptPoll = 4096

// New returns a kernel at time 0 whose random streams derive from seed.
func New(seed uint64) *Kernel {
	return &Kernel{seed: seed}
}

// Now is the current virtual time: the time of the event being fired, or of
// the last one fired.
func (k *Kernel) Now() Time { return k.now }

// Seed is the seed the kernel's streams derive from.
func (k *Kernel) Seed() uint64 { return k.seed }

// Fired counts the events run so far.
func (k *Kernel) Fired() uint64 { return k.fired }

// Scheduled counts the events scheduled so far. An event scheduled later
// than another at the same time fires after it, so a caller that stands
// in for an event it did not schedule can place it among the others by
// this count (see Firing).
func (k *Kernel) Scheduled() uint64 { return k.seq }

// Firing is the place in scheduling order of the event being fired (or
// last fired): 1 for the first event scheduled, as Scheduled counted it
// just after. An event scheduled when Scheduled was n comes before the
// firing one at the same time when n < Firing.
func (k *Kernel) Firing() uint64 { return k.firing }

// Pending counts the events scheduled and not yet run.
func (k *Kernel) Pending() int { return k.q.len() }

// At schedules h to fire at time t. Events at equal times fire in the order
// they were scheduled. Scheduling into the past is a programming error.
func (k *Kernel) At(t Time, h Handler) {
	if t < k.now {
		panic(fmt.Sprintf("sim: event scheduled at %v, before now (%v)", t, k.now))
	}
	k.seq++
	k.q.push(event{at: t, seq: k.seq, h: h})
}

// After schedules h to fire d after now.
func (k *Kernel) After(d Time, h Handler) {
	if d < 0 {
		panic(fmt.Sprintf("sim: negative delay %v", d))
	}
	k.At(k.now+d, h)
}

// Ticker is a periodic event created by Every.
type Ticker struct {
	k       *Kernel
	period  Time
	until   Time
	h       Handler
	stopped bool
}

// Stop cancels the ticker's future firings.
func (t *Ticker) Stop() { t.stopped = true }

// Fire runs the ticker's handler and schedules the next firing.
func (t *Ticker) Fire(now Time) {
	if t.stopped {
		return
	}
	t.h.Fire(now)
	if next := now + t.period; !t.stopped && next <= t.until {
		t.k.At(next, t)
	}
}

// Every fires h at start, start+period, ... up to and including until.
func (k *Kernel) Every(start, period, until Time, h Handler) *Ticker {
	if period <= 0 {
		panic(fmt.Sprintf("sim: non-positive period %v", period))
	}
	t := &Ticker{k: k, period: period, until: until, h: h}
	if start <= until {
		k.At(start, t)
	}
	return t
}

// Run fires, in order, every event due at or before until, including events
// scheduled while it runs, and returns when none is left, Stop is called,
// or the interrupt flag (InterruptOn) is raised. Now is left at the time
// of the last event fired.
func (k *Kernel) Run(until Time) {
	k.stop = false
	for k.q.len() > 0 && !k.stop && !k.interrupted {
		if k.q.peek().at > until {
			return
		}
		if k.interrupt != nil && k.fired%interruptPoll == 0 && k.interrupt.Load() {
			k.interrupted = true
			return
		}
		e := k.q.pop()
		k.now = e.at
		k.firing = e.seq
		k.fired++
		e.h.Fire(e.at)
	}
}

// InterruptOn makes Run return, at the next event boundary it checks,
// once flag is set, and every later Run return at once. The flag is the
// one thing another goroutine may touch: a command sets it from a signal
// handler to stop a run and still report it.
func (k *Kernel) InterruptOn(flag *atomic.Bool) { k.interrupt = flag }

// Interrupted says whether a Run was cut short by the interrupt flag.
func (k *Kernel) Interrupted() bool {
	if !k.interrupted && k.interrupt != nil && k.interrupt.Load() {
		k.interrupted = true
	}
	return k.interrupted
}

// Stop makes Run return after the event being fired.
func (k *Kernel) Stop() { k.stop = true }

// Stream returns a random source for the named component. Streams with
// different names are independent; the same name and seed always give the
// same sequence, so adding a component does not perturb the others. Each
// component should ask for its stream once and keep it.
func (k *Kernel) Stream(name string) *rand.Rand {
	return rand.New(rand.NewPCG(k.seed, streamID(name)))
}

func streamID(name string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(name))
	return h.Sum64()
}

// AdvanceTo moves the clock forward to t with no event: a caller driving
// the kernel in time it reads from elsewhere (a server) runs the events
// due by t, then sets the clock to t, so that what it schedules next is
// scheduled from t. A t before now changes nothing. Events due at or
// before t must have been run first (Run(t)): moving past one is a
// programming error.
func (k *Kernel) AdvanceTo(t Time) {
	if t <= k.now {
		return
	}
	if k.q.len() > 0 && k.q.peek().at < t {
		panic(fmt.Sprintf("sim: AdvanceTo(%v) past an event due at %v", t, k.q.peek().at))
	}
	k.now = t
}
