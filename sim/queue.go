package sim

// event is one scheduled call. Events are stored by value so scheduling one
// does not allocate once the queue's slice has grown to its working size.
type event struct {
	at  Time
	seq uint64
	h   Handler
}

func (a *event) before(b *event) bool {
	if a.at != b.at {
		return a.at < b.at
	}
	return a.seq < b.seq
}

// queue is a 4-ary min-heap on a slice, ordered by (at, seq), with a
// front slot before it.
//
// A 4-ary heap halves the depth of a binary heap and keeps a node's children
// on one or two cache lines; BenchmarkQueue in queue_test.go measures it
// against container/heap, which it beats by avoiding interface calls.
//
// The front slot holds an event that comes before every event in the heap,
// so that the commonest pattern of a simulation, an event whose handler
// schedules the next one to fire (an open loop's next arrival, a request's
// response that comes before every timer), goes through the slot and never
// through the heap: the heap's sift costs a comparison at each of its
// levels, and a run keeps hundreds of retries and timers pending. The order
// of the events is the heap's: the front is the least of them all.
type queue struct {
	front    event
	hasFront bool
	ev       []event
}

func (q *queue) len() int {
	if q.hasFront {
		return len(q.ev) + 1
	}
	return len(q.ev)
}

func (q *queue) push(e event) {
	switch {
	case q.hasFront && e.before(&q.front):
		q.pushHeap(q.front)
		q.front = e
	case q.hasFront, len(q.ev) > 0 && !e.before(&q.ev[0]):
		q.pushHeap(e)
	default:
		q.front, q.hasFront = e, true
	}
}

func (q *queue) pushHeap(e event) {
	q.ev = append(q.ev, e)
	q.up(len(q.ev) - 1)
}

// peek returns the earliest event; the queue must not be empty.
func (q *queue) peek() *event {
	if q.hasFront {
		return &q.front
	}
	return &q.ev[0]
}

func (q *queue) pop() event {
	if q.hasFront {
		top := q.front
		q.front, q.hasFront = event{}, false // drop the handler reference for the collector
		return top
	}
	top := q.ev[0]
	last := len(q.ev) - 1
	q.ev[0] = q.ev[last]
	q.ev[last] = event{} // drop the handler reference for the collector
	q.ev = q.ev[:last]
	if last > 0 {
		q.down(0)
	}
	return top
}

func (q *queue) up(i int) {
	e := q.ev[i]
	for i > 0 {
		p := (i - 1) / 4
		if !e.before(&q.ev[p]) {
			break
		}
		q.ev[i] = q.ev[p]
		i = p
	}
	q.ev[i] = e
}

func (q *queue) down(i int) {
	n := len(q.ev)
	e := q.ev[i]
	for {
		first := 4*i + 1
		if first >= n {
			break
		}
		best := first
		end := min(first+4, n)
		for c := first + 1; c < end; c++ {
			if q.ev[c].before(&q.ev[best]) {
				best = c
			}
		}
		if !q.ev[best].before(&e) {
			break
		}
		q.ev[i] = q.ev[best]
		i = best
	}
	q.ev[i] = e
}
