package sim

import (
	"container/heap"
	"math/rand/v2"
	"testing"
)

// binaryHeap is the container/heap alternative the 4-ary queue was chosen
// over; it stays here so BenchmarkQueue can keep measuring the choice.
type binaryHeap []event

func (h binaryHeap) Len() int           { return len(h) }
func (h binaryHeap) Less(i, j int) bool { return h[i].before(&h[j]) }
func (h binaryHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *binaryHeap) Push(x any)        { *h = append(*h, x.(event)) }
func (h *binaryHeap) Pop() any {
	old := *h
	e := old[len(old)-1]
	*h = old[:len(old)-1]
	return e
}

// The workload of a simulation: a standing population of pending events
// (in-flight requests, retries, tickers) where each pop schedules one new
// event a random short delay later.
func BenchmarkQueue(b *testing.B) {
	for _, size := range []int{1_000, 100_000} {
		b.Run("4ary/"+itoa(size), func(b *testing.B) {
			r := rand.New(rand.NewPCG(1, 2))
			var q queue
			var seq uint64
			for range size {
				seq++
				q.push(event{at: Time(r.Int64N(1e9)), seq: seq})
			}
			b.ReportAllocs()
			b.ResetTimer()
			for range b.N {
				e := q.pop()
				seq++
				q.push(event{at: e.at + Time(r.Int64N(1e9)), seq: seq})
			}
		})
		b.Run("container-heap/"+itoa(size), func(b *testing.B) {
			r := rand.New(rand.NewPCG(1, 2))
			h := &binaryHeap{}
			var seq uint64
			for range size {
				seq++
				heap.Push(h, event{at: Time(r.Int64N(1e9)), seq: seq})
			}
			b.ReportAllocs()
			b.ResetTimer()
			for range b.N {
				e := heap.Pop(h).(event)
				seq++
				heap.Push(h, event{at: e.at + Time(r.Int64N(1e9)), seq: seq})
			}
		})
	}
}

func itoa(n int) string {
	switch n {
	case 1_000:
		return "1k"
	case 100_000:
		return "100k"
	}
	return "n"
}

// Both heaps must agree with each other on the same input.
func TestBinaryHeapAgrees(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	var q queue
	h := &binaryHeap{}
	for i := range 5000 {
		e := event{at: Time(r.Int64N(100)), seq: uint64(i)}
		q.push(e)
		heap.Push(h, e)
	}
	for q.len() > 0 {
		a, b := q.pop(), heap.Pop(h).(event)
		if a.at != b.at || a.seq != b.seq {
			t.Fatalf("4-ary popped (%v,%d), container/heap (%v,%d)", a.at, a.seq, b.at, b.seq)
		}
	}
}

// The queue with its front slot must pop what container/heap pops when
// pushes and pops interleave, as they do in a run: a handler schedules
// events before, at and after the one it fires, and ties in time are
// common.
func TestQueueAgreesInterleaved(t *testing.T) {
	for _, spread := range []int64{1, 10, 1000} {
		r := rand.New(rand.NewPCG(5, uint64(spread)))
		var q queue
		h := &binaryHeap{}
		var seq uint64
		now := Time(0)
		for range 20000 {
			if q.len() != h.Len() {
				t.Fatalf("spread %d: queue holds %d events, container/heap %d", spread, q.len(), h.Len())
			}
			if q.len() > 0 && r.IntN(2) == 0 {
				a, b := q.pop(), heap.Pop(h).(event)
				if a.at != b.at || a.seq != b.seq {
					t.Fatalf("spread %d: queue popped (%v,%d), container/heap (%v,%d)", spread, a.at, a.seq, b.at, b.seq)
				}
				now = a.at
				continue
			}
			seq++
			e := event{at: now + Time(r.Int64N(spread)), seq: seq}
			q.push(e)
			heap.Push(h, e)
		}
	}
}
