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

// Progress prints a line on a terminal while a run goes on: simulated
// time, speed against real time, and the time left. It stays silent for
// the first second, so quick runs print nothing. It reads the wall clock,
// which the simulation itself never does; it only reports.
type Progress struct {
	w        io.Writer
	start    time.Time
	last     time.Time
	printed  bool
	interval time.Duration
}

// NewProgress starts a progress line on w.
func NewProgress(w io.Writer) *Progress {
	now := time.Now()
	return &Progress{w: w, start: now, last: now, interval: 200 * time.Millisecond}
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
	fmt.Fprintf(p.w, "\r\033[Ksimulated %s of %s (%d%%), %.0fx real time, %s left",
		now, total, 100*now/max(total, 1), speed, eta.Round(time.Second))
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
