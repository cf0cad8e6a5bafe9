package ddbsim

import (
	"bytes"
	"testing"
	"time"

	"github.com/ddbsim/ddbsim/model"
	"github.com/ddbsim/ddbsim/model/units"
	"github.com/ddbsim/ddbsim/reports"
	"github.com/ddbsim/ddbsim/scenarios"
	"github.com/ddbsim/ddbsim/sim"
)

func resultJSON(t *testing.T, res *reports.Result) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := reports.WriteJSON(&b, res); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// Driving a simulation in steps (Start, AdvanceTo at uneven times,
// Finish) gives the result Run gives, byte for byte.
func TestStepsGiveRunsResult(t *testing.T) {
	build := func(tap model.Recorder) *Simulation {
		sc, err := scenarios.Builtin(scenarios.DefaultName)
		if err != nil {
			t.Fatal(err)
		}
		sc.Duration = 3 * time.Minute
		s, err := Build(sc, Options{Seed: 7, Tap: tap})
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	want, err := build(nil).Run()
	if err != nil {
		t.Fatal(err)
	}
	s := build(&countingTap{})
	s.Start()
	for _, at := range []sim.Time{0, 1, 999 * sim.Millisecond, 17 * sim.Second, 17 * sim.Second, 2 * sim.Minute, sim.Hour} {
		s.AdvanceTo(at)
		if now := s.Kernel.Now(); now != min(at, s.Duration) {
			t.Fatalf("after AdvanceTo(%v) the clock reads %v", at, now)
		}
	}
	got, err := s.Finish()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(resultJSON(t, want), resultJSON(t, got)) {
		t.Fatal("the stepped run's result differs from Run's")
	}
}

// EndAt cuts a session short: the result covers the time reached and is
// complete; the tap saw what the collector saw.
func TestEndAtCutsTheRunShort(t *testing.T) {
	sc, err := scenarios.Builtin(scenarios.DefaultName)
	if err != nil {
		t.Fatal(err)
	}
	sc.Duration = 10 * time.Minute
	tap := &countingTap{}
	s, err := Build(sc, Options{Seed: 1, Tap: tap})
	if err != nil {
		t.Fatal(err)
	}
	s.AdvanceTo(90 * sim.Second)
	s.EndAt(90 * sim.Second)
	res, err := s.Finish()
	if err != nil {
		t.Fatal(err)
	}
	if res.DurationS != 90 || !res.Complete {
		t.Fatalf("duration %v complete %v, want 90 s, complete", res.DurationS, res.Complete)
	}
	if tap.consumed == 0 || tap.samples == 0 {
		t.Fatalf("the tap saw %d consumptions and %d samples", tap.consumed, tap.samples)
	}
}

type countingTap struct{ consumed, samples int }

func (c *countingTap) Consumed(sim.Time, int, int, units.Units, units.Units) { c.consumed++ }
func (c *countingTap) Throttle(sim.Time, *model.ThrottleEvent)               {}
func (c *countingTap) Retry(sim.Time, int, units.Op)                         {}
func (c *countingTap) Finish(model.Outcome)                                  {}
func (c *countingTap) Sample(sim.Time, int, *model.TableState)               { c.samples++ }
func (c *countingTap) Event(sim.Time, model.CapacityEvent)                   {}
func (c *countingTap) Cache(sim.Time, *model.CacheEvent)                     {}
func (c *countingTap) Global(sim.Time, *model.GlobalEvent)                   {}
