package terminal

import (
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/ddbsim/ddbsim/sim"
)

// IsTerminal reports whether w is a terminal (a character device), the
// only place a progress line or colour belongs.
func IsTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// Progress prints a line on a terminal while a run goes on: what runs
// (Label), simulated time, speed against real time, and the time left. A
// run estimated to take a while says its estimate at once, so a slow start
// is never silent; otherwise it stays silent for the first second, so
// quick runs print nothing. It reads the wall clock, which the simulation
// itself never does; it only reports.
type Progress struct {
	w        io.Writer
	label    string
	start    time.Time
	last     time.Time
	printed  bool
	interval time.Duration
}

// Estimate is what a run is expected to cost (ddbsim.Estimate): its
// requests and about how long it takes on one core, and whether it runs
// under the per-request driver, which --fidelity aggregate outpaces.
type Estimate struct {
	Requests   string // e.g. "1.2 billion"
	Seconds    float64
	PerRequest bool
}

// SlowRun is the estimated length above which a per-request run is told
// that --fidelity aggregate exists.
const SlowRun = time.Minute

// announceAbove is the estimated length from which the estimate is
// printed when the run starts.
const announceAbove = 2 * time.Second

// NewProgress starts a progress line on w for the run label names (""
// for a lone run), and prints est at once when the run is estimated
// long, with the hint to use --fidelity aggregate when it is slow under
// the per-request driver.
func NewProgress(w io.Writer, label string, est Estimate) *Progress {
	now := time.Now()
	p := &Progress{w: w, label: label, start: now, last: now, interval: 200 * time.Millisecond}
	if label != "" {
		p.label = label + ": "
	}
	expected := time.Duration(est.Seconds * float64(time.Second))
	if est.PerRequest && expected > SlowRun {
		fmt.Fprintf(w, "ddbsim: %sestimated ~%s requests, about %s under the per-request driver; --fidelity aggregate runs it far faster (approximately)\n",
			p.label, est.Requests, expected.Round(time.Second))
	}
	if expected >= announceAbove {
		fmt.Fprintf(w, "\r\033[K%sstarting: ~%s requests estimated, about %s", p.label, est.Requests, expected.Round(time.Second))
		p.printed = true
	}
	return p
}

// Report is called once per simulated second (ddbsim.Options.Progress).
func (p *Progress) Report(now, total sim.Time) {
	wall := time.Now()
	if wall.Sub(p.start) < time.Second || wall.Sub(p.last) < p.interval {
		return
	}
	p.last = wall
	elapsed := wall.Sub(p.start)
	speed := now.Seconds() / elapsed.Seconds()
	eta := time.Duration(float64(total-now) / speed)
	fmt.Fprintf(p.w, "\r\033[K%ssimulated %s of %s (%.1f%%), %.0fx real time, %s left",
		p.label, now, total, 100*float64(now)/float64(max(total, 1)), speed, eta.Round(time.Second))
	p.printed = true
}

// Done clears the line.
func (p *Progress) Done() {
	if p.printed {
		fmt.Fprint(p.w, "\r\033[K")
	}
}

// Colour marks pass and FAIL in a summary for a terminal, unless NO_COLOR
// is set (https://no-color.org).
func Colour(summary []byte, w io.Writer) []byte {
	if !IsTerminal(w) || os.Getenv("NO_COLOR") != "" {
		return summary
	}
	s := string(summary)
	s = strings.ReplaceAll(s, "  FAIL", "  \033[31mFAIL\033[0m")
	s = strings.ReplaceAll(s, "  pass", "  \033[32mpass\033[0m")
	return []byte(s)
}
