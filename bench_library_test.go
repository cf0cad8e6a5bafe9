package ddbsim

import (
	"testing"

	"github.com/ddbsim/ddbsim/scenarios"
)

// BenchmarkLibrary runs every built-in scenario as `ddbsim run` runs it
// (Build, seed 1, the run's own collector), timing the run and not the
// build (its items loaded) or the result. One op is one whole run;
// ns/request is the timed runs' wall time over their requests,
// allocs/request their allocations over their requests (the run's state
// growing to its working size included, unlike the steady-state tests),
// and cpu-ns/request their CPU time over their requests, steadier on a
// shared machine. docs/performance.md tabulates it.
func BenchmarkLibrary(b *testing.B) {
	for _, e := range scenarios.List() {
		sc, err := scenarios.Builtin(e.Name)
		if err != nil {
			b.Fatal(err)
		}
		b.Run("scenario="+e.Name, func(b *testing.B) {
			b.StopTimer()
			b.ResetTimer()
			var requests, cpu int64
			var mallocs uint64
			for range b.N {
				s, err := Build(sc, Options{Seed: 1})
				if err != nil {
					b.Fatal(err)
				}
				c, m := timedRun(b, s)
				cpu, mallocs = cpu+c, mallocs+m
				requests += arrived(s)
			}
			if requests == 0 {
				b.Fatal("the runs issued no request")
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(requests), "ns/request")
			b.ReportMetric(float64(mallocs)/float64(requests), "allocs/request")
			b.ReportMetric(float64(cpu)/float64(requests), "cpu-ns/request")
			b.ReportMetric(float64(requests)/float64(b.N), "requests/run")
		})
	}
}
