package workload

import (
	"math/bits"

	"github.com/ddbsim/ddbsim/sim"
)

// Closed-loop workloads: Config.Users virtual users, each with one request
// at a time. A user has no state beyond "sending" or "thinking", so the
// loop needs no per-user object: the Source itself is the event that ends
// a think time (Source.Fire), and a request's final response starts the
// next one (request.Fire calls thinkThenSend). At most Users requests are
// ever in flight, and the steady state allocates nothing, as for an open
// loop.

// startSpread is the span over which users start when Think is 0.
const startSpread = sim.Second

// closed reports whether the source is a closed loop.
func (s *Source) closed() bool { return s.cfg.Users > 0 }

// startUsers schedules each user's first request: user i at i x W / Users,
// W being Think (its mean when exponential), or startSpread when Think is
// 0. The offsets are deterministic and draw nothing. A user whose offset
// falls at or after End never sends.
func (s *Source) startUsers() {
	w := s.cfg.Think
	if w == 0 {
		w = startSpread
	}
	n := uint64(s.cfg.Users)
	for i := range n {
		// i x w / n without overflow: i < n, so the quotient fits.
		hi, lo := bits.Mul64(i, uint64(w))
		q, _ := bits.Div64(hi, lo, n)
		if at := sim.Time(q); at < s.cfg.End {
			s.k.At(at, s)
		}
	}
}

// thinkThenSend is what a user does when its request's final response
// arrives at now: think, then send the next request, unless that would
// start at or after End.
func (s *Source) thinkThenSend(now sim.Time) {
	left := s.cfg.End - now // <= 0 once the response comes after End
	think := s.cfg.Think
	if s.cfg.ThinkExponential {
		f := s.think.ExpFloat64() * float64(think)
		if f >= float64(left) { // also keeps the conversion in range
			return
		}
		think = sim.Time(f)
	}
	if think < left {
		s.k.At(now+think, s)
	}
}
