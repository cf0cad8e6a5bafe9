package main

import (
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/ddbsim/ddbsim/sim"
)

// isTerminal reports whether w is a terminal (a character device), the
// only place a progress line or colour belongs.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// progress prints a line on a terminal while a run goes on: simulated
// time, speed against real time, and the time left. It stays silent for
// the first second, so quick runs print nothing. It reads the wall clock,
// which the simulation itself never does; it only reports.
type progress struct {
	w        io.Writer
	start    time.Time
	last     time.Time
	printed  bool
	interval time.Duration
}

func newProgress(w io.Writer) *progress {
	now := time.Now()
	return &progress{w: w, start: now, last: now, interval: 200 * time.Millisecond}
}

// report is called once per simulated second (ddbsim.Options.Progress).
func (p *progress) report(now, total sim.Time) {
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

// done clears the line.
func (p *progress) done() {
	if p.printed {
		fmt.Fprint(p.w, "\r\033[K")
	}
}

// colour marks pass and FAIL in a summary for a terminal, unless NO_COLOR
// is set (https://no-color.org).
func colour(summary []byte, w io.Writer) []byte {
	if !isTerminal(w) || os.Getenv("NO_COLOR") != "" {
		return summary
	}
	s := string(summary)
	s = strings.ReplaceAll(s, "  FAIL", "  \033[31mFAIL\033[0m")
	s = strings.ReplaceAll(s, "  pass", "  \033[32mpass\033[0m")
	return []byte(s)
}
