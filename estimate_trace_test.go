package ddbsim

import (
	"fmt"
	"runtime"
	"strings"
	"testing"

	"github.com/ddbsim/ddbsim/model"
	"github.com/ddbsim/ddbsim/scenarios"
)

// heapAtFirstFinish is a recorder that reads the live heap when the
// first request finishes: with every record of a burst stamped at one
// instant, all of them are in flight then, which is the replay's peak.
type heapAtFirstFinish struct {
	tally
	heap uint64
}

func (h *heapAtFirstFinish) Finish(o model.Outcome) {
	if h.finished == 0 {
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		h.heap = m.HeapAlloc
	}
	h.tally.Finish(o)
}

// A trace replay holds every request it has in flight: a burst of records
// at one instant are all in flight at once, up to the replay's
// max_in_flight, and take memory in proportion (about 340 B each), where
// the same records spread over time take almost none. max_in_flight
// bounds that memory whatever the burst, and the estimate the resource
// guard checks counts it, so that a limit too big for the machine is
// refused before it runs.
func TestTraceBurstMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("replays 200,000 records")
	}
	const records = 200_000
	measure := func(workload string, stamp func(i int) string) (grew float64, est Resources) {
		var b strings.Builder
		b.WriteString("timestamp,key,op,size\n")
		for i := range records {
			fmt.Fprintf(&b, "%s,k%d,get,\n", stamp(i), i)
		}
		sc, err := scenarios.Load(traceScenario(t, "    trace: traces/t.csv\n"+workload, b.String()))
		if err != nil {
			t.Fatal(err)
		}
		est, err = Estimate(sc, Options{})
		if err != nil {
			t.Fatal(err)
		}
		rec := &heapAtFirstFinish{}
		s, err := build(sc, 1, rec)
		if err != nil {
			t.Fatal(err)
		}
		runtime.GC()
		var before runtime.MemStats
		runtime.ReadMemStats(&before)
		s.run()
		if rec.finished < records*99/100 {
			t.Fatalf("%d of %d records finished", rec.finished, records)
		}
		return float64(rec.heap) - float64(before.HeapAlloc), est
	}
	const limit = 20_000
	burst, burstEst := measure("    max_in_flight: 1M\n", func(int) string { return "0" })
	limited, limitedEst := measure(fmt.Sprintf("    max_in_flight: %d\n", limit), func(int) string { return "0" })
	spread, spreadEst := measure("", func(i int) string { return fmt.Sprintf("%.3f", float64(i)*0.000025) })
	t.Logf("%d records at one instant, max_in_flight 1M: heap +%.0f MB (%.0f B a record), estimated %.0f in flight, %.0f MB",
		records, burst/1e6, burst/records, burstEst.InFlight, burstEst.Memory/1e6)
	t.Logf("%d records at one instant, max_in_flight %d: heap +%.1f MB, estimated %.0f in flight, %.1f MB",
		records, limit, limited/1e6, limitedEst.InFlight, limitedEst.Memory/1e6)
	t.Logf("%d records 25 µs apart: heap +%.1f MB, estimated %.0f in flight, %.1f MB",
		records, spread/1e6, spreadEst.InFlight, spreadEst.Memory/1e6)
	if burstEst.InFlight != records {
		t.Errorf("a burst of %d records: %.0f estimated in flight, want all of them", records, burstEst.InFlight)
	}
	if burstEst.Memory < burst {
		t.Errorf("a burst of %d records grew the heap by %.0f MB, but %.0f MB were estimated", records, burst/1e6, burstEst.Memory/1e6)
	}
	if limitedEst.InFlight != limit {
		t.Errorf("a burst of %d records, max_in_flight %d: %.0f estimated in flight, want the limit", records, limit, limitedEst.InFlight)
	}
	if limited > limitedEst.Memory || limited > burst/5 {
		t.Errorf("max_in_flight %d: the heap grew by %.1f MB (estimated %.1f MB; %.0f MB without the limit)",
			limit, limited/1e6, limitedEst.Memory/1e6, burst/1e6)
	}
	if spreadEst.InFlight > records/2 {
		t.Errorf("records 25 µs apart: %.0f estimated in flight, want the busiest second's (at most twice 40,000)", spreadEst.InFlight)
	}
}
