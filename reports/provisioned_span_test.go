package reports

import "testing"

// The summary's provisioned column shows where capacity ended and, when
// auto scaling went above both the start and the end, how high it went.
func TestProvisionedSpan(t *testing.T) {
	for _, c := range []struct {
		n           int64
		peak, final float64
		mode, want  string
	}{
		{1000, 1000, 1000, "provisioned", "1,000"},
		{1000, 4000, 4000, "provisioned", "1,000 -> 4,000"},
		{1000, 5732, 1000, "provisioned", "1,000 -> 1,000 (peak 5,732)"},
		{1000, 4000, 2000, "provisioned", "1,000 -> 2,000 (peak 4,000)"},
		{1000, 0, 2000, "provisioned", "1,000 -> 2,000"}, // no series
		{0, 4000, 4000, "on-demand", "-"},
	} {
		if got := ProvisionedSpan(c.n, c.peak, c.final, c.mode); got != c.want {
			t.Errorf("ProvisionedSpan(%d, %g, %g, %s) = %q, want %q", c.n, c.peak, c.final, c.mode, got, c.want)
		}
	}
}
