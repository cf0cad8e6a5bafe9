package ddbsim

import (
	"testing"
	"time"

	"github.com/ddbsim/ddbsim/sim"
)

// A run's time series keep a point a second up to a day, and past it the
// shortest step that keeps them within maxSeriesPoints.
func TestSeriesStep(t *testing.T) {
	for _, tt := range []struct {
		d, want time.Duration
	}{
		{time.Minute, time.Second},
		{24 * time.Hour, time.Second},
		{48 * time.Hour, 30 * time.Second},
		{30 * 24 * time.Hour, 5 * time.Minute},
		{10 * 365 * 24 * time.Hour, 12 * time.Hour},
	} {
		if got := seriesStep(sim.FromDuration(tt.d)); got != sim.FromDuration(tt.want) {
			t.Errorf("seriesStep(%v) = %v, want %v", tt.d, got, tt.want)
		}
	}
}
