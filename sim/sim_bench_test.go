package sim

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// rescheduler is a handler that, each time it fires, schedules itself
// again a pseudo-random delay later, as a request in flight schedules its
// response: the kernel's queue stays at a constant size. The delays come
// from a table drawn in advance, so the benchmark measures the kernel
// and not the random source.
type rescheduler struct {
	k      *Kernel
	delays []Time
	i      int
	fired  *int
	stopAt int
}

func (r *rescheduler) Fire(Time) {
	*r.fired++
	if *r.fired == r.stopAt {
		r.k.Stop()
	}
	r.i = (r.i + 1) & (len(r.delays) - 1)
	r.k.After(r.delays[r.i], r)
}

// BenchmarkKernel measures the kernel alone: one event popped, fired and
// its successor scheduled, with 1k and 100k events pending (a simulation
// with that many requests and timers in flight). One op is one event;
// events/s is the kernel's ceiling on simulated events per second of
// wall time on one core.
func BenchmarkKernel(b *testing.B) {
	for _, pending := range []int{1_000, 100_000} {
		b.Run(fmt.Sprintf("pending=%d", pending), func(b *testing.B) {
			r := rand.New(rand.NewPCG(1, 2))
			delays := make([]Time, 1024) // a power of two: the handlers index it with a mask
			for i := range delays {
				// 1 to 20 ms, about a request's latency.
				delays[i] = Millisecond + Time(r.Int64N(int64(19*Millisecond)))
			}
			k := New(1)
			fired := 0
			hs := make([]rescheduler, pending)
			for i := range hs {
				hs[i] = rescheduler{k: k, delays: delays, i: i & (len(delays) - 1), fired: &fired, stopAt: b.N}
				k.At(delays[i&(len(delays)-1)], &hs[i])
			}
			b.ReportAllocs()
			b.ResetTimer()
			k.Run(Never)
			b.StopTimer()
			if fired != b.N {
				b.Fatalf("fired %d events, want %d", fired, b.N)
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "events/s")
		})
	}
}
