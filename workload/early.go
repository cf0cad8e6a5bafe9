package workload

import (
	"github.com/ddbsim/ddbsim/model"
	"github.com/ddbsim/ddbsim/sim"
)

// A request's final response is an event only because something might
// happen between the attempt that decides it and the moment the client
// receives it. For an open-loop workload nothing does: no user waits on
// it, no update follows it, and the recorder files an outcome by its end
// time. So with ReportEarly the source reports such an outcome when its
// last attempt is sent, with the end time the event would have had, and
// schedules nothing: one event a request instead of two.
//
// Two things keep the result the same as with the event. The recorder
// files each outcome in its window of the series (its second, or step),
// and must never see an outcome from an earlier window than one it has
// already filed; an outcome is reported early only when it ends in the
// window of the attempt, which no later outcome can precede. And the
// retry quota is credited when a success arrives; that matters only to a
// retry that takes from the quota after the credit, and credits add up
// to the quota's cap in any order, so an early success's credit is kept
// pending and applied before the first take, or quota check, that comes
// after its end, in the order the events would have fired (see
// pendingCredit). While the quota is full and nothing is pending, a
// credit would change nothing unless a take comes before it is due, so
// those are only listed (landing) and become pending at the next take.

// ReportEarly makes the source report an outcome known when its last
// attempt is sent at once, with its end time, when the end falls in the
// same window of step as the attempt (see the comment above); step 0, the
// default, schedules every response as an event. Only an open-loop
// workload that is not a trace replay reports early. The recorder must
// accept an outcome whose end is after the kernel's now, and a run must
// let every request in flight finish, as a whole run does; a caller that
// stops a run early (a served session) must not set it.
func (s *Source) ReportEarly(step sim.Time) {
	if s.closed() || s.trace != nil || step < 0 {
		step = 0
	}
	s.early, s.window = step, 0
}

// pendingCredit is a success reported early whose credit to the retry
// quota is due at its end time: at, after the event the kernel had
// scheduled last when the success was reported (scheduled), so before
// every event scheduled later at the same time.
type pendingCredit struct {
	at        sim.Time
	scheduled uint64
	held      int
}

// before says whether the credit's event would have fired before the
// event at now whose sequence number is seq.
func (c *pendingCredit) before(now sim.Time, seq uint64) bool {
	return c.at < now || c.at == now && c.scheduled < seq
}

// first orders credits as their events would have fired: by time, then
// in the order they were reported, as the kernel orders equal times.
func (c *pendingCredit) first(d *pendingCredit) bool {
	if c.at != d.at {
		return c.at < d.at
	}
	return c.scheduled < d.scheduled
}

// finishEarly reports r's outcome at now, ending at end, when nothing
// could observe the difference (see the comment above), and says whether
// it did; the caller then schedules nothing for r.
func (s *Source) finishEarly(now, end sim.Time, r *request) bool {
	if s.early == 0 || r.then != 0 {
		return false
	}
	if now >= s.window { // the end of now's window, kept: a division a window, not two a request
		s.window = (now/s.early + 1) * s.early
	}
	if end >= s.window {
		return false
	}
	if r.result == model.Succeeded && s.budget.enabled {
		seq := s.k.Firing()
		c := pendingCredit{at: end, scheduled: s.k.Scheduled(), held: r.held}
		if len(s.pending) > 0 {
			s.applyCredits(now, seq)
		}
		if len(s.pending) == 0 && s.budget.tokens == RetryBudgetTokens {
			s.land(now, seq, c)
		} else {
			s.pending.push(c)
		}
	}
	s.report(end, r)
	return true
}

// land lists c, a credit reported while the quota is full and nothing is
// pending, first forgetting from the front of the list the credits due
// before the event at now whose sequence number is seq: they landed on a
// full quota. The rest wait for the next take (creditsBefore).
func (s *Source) land(now sim.Time, seq uint64, c pendingCredit) {
	for s.head < len(s.landing) && s.landing[s.head].before(now, seq) {
		s.head++
	}
	if s.head > len(s.landing)/2 { // amortised: a credit is copied about once
		s.landing, s.head = s.landing[:copy(s.landing, s.landing[s.head:])], 0
	}
	s.landing = append(s.landing, c)
}

// take takes cost from the retry quota for a retry sent at now, after
// crediting the early successes that would have arrived before it.
func (s *Source) take(now sim.Time, cost int) bool {
	if s.budget.enabled && (len(s.landing) > s.head || len(s.pending) > 0) {
		s.creditsBefore(now)
	}
	return s.budget.take(cost)
}

// creditsBefore applies to the quota the credits of early successes due
// before the event firing at now. Those listed since the last take
// landed on a full quota, which nothing but a take lowers, so the ones
// due by now changed nothing and are dropped; the ones due later become
// pending.
func (s *Source) creditsBefore(now sim.Time) {
	seq := s.k.Firing()
	for i := s.head; i < len(s.landing); i++ {
		if c := s.landing[i]; !c.before(now, seq) {
			s.pending.push(c)
		}
	}
	s.landing, s.head = s.landing[:0], 0
	s.applyCredits(now, seq)
}

// applyCredits applies the pending credits due before the event at now
// whose sequence number is seq.
func (s *Source) applyCredits(now sim.Time, seq uint64) {
	for len(s.pending) > 0 && s.pending[0].before(now, seq) {
		s.budget.succeeded(s.pending.pop().held)
	}
}

// credits is a binary min-heap of pending credits in the order their
// events would have fired. A hand-written heap: container/heap would
// box each credit into an interface, an allocation a request.
type credits []pendingCredit

func (h *credits) push(c pendingCredit) {
	*h = append(*h, c)
	q := *h
	i := len(q) - 1
	for i > 0 {
		p := (i - 1) / 2
		if !q[i].first(&q[p]) {
			break
		}
		q[i], q[p] = q[p], q[i]
		i = p
	}
}

func (h *credits) pop() pendingCredit {
	q := *h
	top := q[0]
	n := len(q) - 1
	q[0] = q[n]
	q = q[:n]
	for i := 0; ; {
		c := 2*i + 1
		if c >= n {
			break
		}
		if c+1 < n && q[c+1].first(&q[c]) {
			c++
		}
		if !q[c].first(&q[i]) {
			break
		}
		q[i], q[c] = q[c], q[i]
		i = c
	}
	*h = q
	return top
}
