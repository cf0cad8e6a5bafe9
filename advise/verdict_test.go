package advise

import "testing"

// The verdict names what the winner trades. The cases are web-backend's
// modes as measured before the scenario had p99 and given-up thresholds:
// reserved passed p50 < 5 and throttled_ratio < 5% while giving up 39,681
// requests with p99 3.38 s, and on-demand gave up none for $183 more.
func TestTradeOff(t *testing.T) {
	onDemand := ModeResult{Mode: ModeOnDemand, MonthlyUSD: 222.31, P99Ms: 10.6, Passed: true}
	reserved := ModeResult{Mode: ModeReserved, MonthlyUSD: 39.31, GivenUp: 39681, GivenUpRatio: 0.0315, P99Ms: 3380, Passed: true,
		Warnings: []string{"gave up 39,681 requests (3.15%)"}}
	reservedFails := reserved
	reservedFails.Passed, reservedFails.Warnings, reservedFails.Failed = false, nil, []string{"p99_ms", "given_up_ratio"}
	autoscaling := ModeResult{Mode: ModeAutoscaling, MonthlyUSD: 172.93, P99Ms: 10.6, Passed: true}
	tests := []struct {
		name          string
		modes         []ModeResult
		winner        string
		hasThresholds bool
		want          string
	}{
		{"a winner that gives up requests names the safer mode's price",
			[]ModeResult{onDemand, reserved}, ModeReserved, true,
			"reserved meets your thresholds but gives up 3.15% of requests (39,681), p99 3.38 s; on-demand gives up none, p99 10.6 ms for $183.00 more a month"},
		{"a clean winner names what the cheaper modes give up",
			[]ModeResult{onDemand, autoscaling, reservedFails}, ModeAutoscaling, true,
			"autoscaling meets your thresholds and gives up none, p99 10.6 ms; reserved costs $133.62 a month less but fails p99_ms, given_up_ratio and gives up 3.15% of requests (39,681), p99 3.38 s"},
		{"safer modes cheapest first",
			[]ModeResult{onDemand, autoscaling, reserved}, ModeReserved, true,
			"reserved meets your thresholds but gives up 3.15% of requests (39,681), p99 3.38 s; autoscaling gives up none, p99 10.6 ms for $133.62 more a month; on-demand gives up none, p99 10.6 ms for $183.00 more a month"},
		{"no thresholds: the cheapest, and its damage",
			[]ModeResult{onDemand, reserved}, ModeReserved, false,
			"reserved is the cheapest (you set no thresholds) but gives up 3.15% of requests (39,681), p99 3.38 s; on-demand gives up none, p99 10.6 ms for $183.00 more a month"},
		{"no winner",
			[]ModeResult{reservedFails}, "", true,
			"no mode meets your thresholds: reserved fails p99_ms, given_up_ratio (gives up 3.15% of requests (39,681), p99 3.38 s, $39.31 a month)"},
	}
	for _, tt := range tests {
		got := TradeOff(&Comparison{Modes: tt.modes, Winner: tt.winner}, tt.hasThresholds)
		if got != tt.want {
			t.Errorf("%s:\n got %s\nwant %s", tt.name, got, tt.want)
		}
	}
}
