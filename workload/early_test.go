package workload

import (
	"cmp"
	"slices"
	"testing"

	"github.com/ddbsim/ddbsim/model"
	"github.com/ddbsim/ddbsim/model/latency"
	"github.com/ddbsim/ddbsim/sim"
)

// runReported plays cfg against tc as runClosed does, with the source
// reporting early in windows of step (0: every response an event), and
// returns the outcomes in order of end time, the retry calls and the
// quota's tokens once every credit is in, and how many events fired.
func runReported(t *testing.T, seed uint64, tc model.TableConfig, cfg Config, step sim.Time) ([]model.Outcome, int, int, uint64) {
	t.Helper()
	k := sim.New(seed)
	rec := &countingRecorder{keep: true}
	svc, err := model.NewService([]model.TableConfig{tc}, noBurst(), latency.DefaultLatency(), k.Stream("model/latency"), rec)
	if err != nil {
		t.Fatal(err)
	}
	src := NewSource(cfg, k, svc, rec)
	src.ReportEarly(step)
	src.Start()
	k.Run(sim.Never)
	src.creditsBefore(sim.Never) // the credits still pending when the run ends
	out := rec.outcomes
	slices.SortStableFunc(out, func(a, b model.Outcome) int {
		return cmp.Or(cmp.Compare(a.End, b.End), cmp.Compare(a.Start, b.Start))
	})
	return out, rec.retries, src.budget.tokens, k.Fired()
}

// TestReportEarlyChangesNothing pins that reporting an outcome when its
// last attempt is sent changes no outcome, no retry and no token of the
// retry quota against scheduling every response, on tables that
// throttle, with the SDK's quota drained and refilled, timeouts, and
// windows from a millisecond to an hour.
func TestReportEarlyChangesNothing(t *testing.T) {
	slow := hotConfig(t, SDKv2())
	slow.Timeout = 2 * sim.Millisecond
	cases := []struct {
		name string
		tc   model.TableConfig
		cfg  Config
	}{
		{"SDKv2-throttled", table(40, 20), baseConfig(t, SDKv2())},
		{"SDKv2-hot", table(1, 1), hotConfig(t, SDKv2())},
		{"SDKv2-timeouts", table(1, 1), slow},
		{"Legacy", table(40, 20), baseConfig(t, Legacy())},
		{"NoRetry", table(40, 20), baseConfig(t, NoRetry())},
		{"SDKv2-roomy", table(10000, 10000), baseConfig(t, SDKv2())},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			want, wantRetries, wantTokens, events := runReported(t, 7, c.tc, c.cfg, 0)
			for _, step := range []sim.Time{sim.Millisecond, sim.Second, sim.Hour} {
				got, retries, tokens, fewer := runReported(t, 7, c.tc, c.cfg, step)
				if !slices.Equal(got, want) || retries != wantRetries || tokens != wantTokens {
					t.Errorf("window %v: %d outcomes, %d retries, %d tokens left; with every response an event %d, %d, %d",
						step, len(got), retries, tokens, len(want), wantRetries, wantTokens)
				}
				if step == sim.Hour && fewer >= events {
					t.Errorf("window %v: %d events fired, %d with every response an event", step, fewer, events)
				}
			}
		})
	}
}
