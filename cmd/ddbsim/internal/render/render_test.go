package render

import (
	"regexp"
	"strings"
	"testing"
)

// Plot file names are injective: names that the old scheme (every other
// character to '_') made one file are different files, and long names are
// cut to a bounded length with a hash that keeps them apart.
func TestPlotFileNamesInjective(t *testing.T) {
	long := strings.Repeat("t", 255)
	names := []string{
		"capacity-orders/by-status", "capacity-orders_by-status",
		"capacity-deals@eu-west-1", "capacity-deals_eu-west-1",
		"capacity-a%2F", "capacity-a/", ".hidden", "_2Ehidden", "%2Ehidden",
		"capacity-" + long, "capacity-" + long + "u", "heatmap-" + long, "capacity-ü", "capacity-_",
	}
	seen := map[string]string{}
	for _, n := range names {
		f := PlotFileName(n)
		if other, ok := seen[f]; ok {
			t.Errorf("%q and %q share the file name %q", n, other, f)
		}
		seen[f] = n
		if len(f) > MaxPlotStem+1 || strings.HasPrefix(f, ".") || !regexp.MustCompile(`^[A-Za-z0-9._%~-]+$`).MatchString(f) {
			t.Errorf("%q -> %q: not a short, safe file name", n, f)
		}
	}
	if got := PlotFileName("capacity-sessions"); got != "capacity-sessions" {
		t.Errorf("a plain name changed: %q", got)
	}
}

// A mode's report file name is a plain slug of the mode, whatever
// compare calls it.
func TestModeReportName(t *testing.T) {
	for mode, want := range map[string]string{
		"on-demand":            "report-on-demand.html",
		"provisioned (no DAX)": "report-provisioned-no-dax.html",
		"autoscaling-tuned":    "report-autoscaling-tuned.html",
		"Right Sized / 2":      "report-right-sized-2.html",
		"":                     "report-.html",
	} {
		if got := ModeReportName(mode); got != want {
			t.Errorf("ModeReportName(%q) = %q, want %q", mode, got, want)
		}
	}
}
