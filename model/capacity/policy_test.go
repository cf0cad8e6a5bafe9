package capacity

import "testing"

// REFERENCE: provisioned; AWS knowledge centre, "How do I resolve issues
// with DynamoDB auto scaling?": scale in after 15 consecutive 1-minute
// datapoints at least 20 points below target. With a 70% target, 60%
// utilisation never scales in; 50% does at the 15th datapoint; a datapoint
// between the thresholds starts the count again.
func TestScaleInNeedsTwentyPointsBelowTarget(t *testing.T) {
	cfg := &AutoScaling{Target: 0.7, Min: 100, Max: 2000}
	run := func(utilisations ...float64) (int64, int) {
		var a Alarm
		for i, u := range utilisations {
			if want := a.Observe(u*1000, 1000, cfg); want != 0 {
				return want, i + 1
			}
		}
		return 0, 0
	}
	repeat := func(u float64, n int) []float64 {
		s := make([]float64, n)
		for i := range s {
			s[i] = u
		}
		return s
	}
	if want, at := run(repeat(0.6, 60)...); want != 0 {
		t.Errorf("60%% on a 70%% target: scaled in to %d at datapoint %d, want never", want, at)
	}
	if want, at := run(repeat(0.5, 15)...); want != 715 || at != 15 {
		t.Errorf("50%% on a 70%% target: scaled in to %d at datapoint %d, want ceil(500/0.7) = 715 at 15", want, at)
	}
	broken := append(append(repeat(0.5, 14), 0.6), repeat(0.5, 14)...)
	if want, at := run(broken...); want != 0 {
		t.Errorf("14 low, one at 60%%, 14 low: scaled in to %d at datapoint %d, want no scale in", want, at)
	}
	// Scale out is unchanged: two datapoints above target.
	if want, at := run(0.8, 0.8); want != 1143 || at != 2 {
		t.Errorf("80%% on a 70%% target: scaled out to %d at datapoint %d, want 1143 at 2", want, at)
	}
}

// An on-demand table absorbs at once the largest of the default warm
// throughput, its own, and twice its previous peak, rounded up
// (REFERENCE: ondemand).
func TestOnDemandInstant(t *testing.T) {
	for _, c := range []struct {
		warm int64
		peak float64
		want int64
	}{
		{0, 0, 12000},        // a new table: the default
		{20000, 0, 20000},    // pre-warmed above it
		{0, 7000, 14000},     // twice a peak above half the default
		{0, 6000.25, 12001},  // rounded up
		{15000, 9000, 18000}, // the peak's double over the warm throughput
	} {
		if got := OnDemandInstant(OnDemandWarmReads, c.warm, c.peak); got != c.want {
			t.Errorf("warm %d, peak %v: %d, want %d", c.warm, c.peak, got, c.want)
		}
	}
}
