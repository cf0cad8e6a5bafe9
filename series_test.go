package ddbsim

import (
	"math"
	"testing"
	"time"

	"github.com/ddbsim/ddbsim/scenarios"
	"github.com/ddbsim/ddbsim/sim"
)

// seriesScenario is ten one-minute steps of writes of 1KB items (one
// write unit each, REFERENCE: units) on an on-demand table, two of them
// gaps, each step's requests sent in its first 20 s (burst: 3).
const seriesScenario = `version: 1
name: series
duration: 10m
tables:
  - {name: t, partition_key: id, mode: on-demand}
workloads:
  - name: w
    table: t
    arrival: constant
    series:
      step: 1m
      burst: 3
      rates:
        - [10, 20, ~, 5]
        - 30
        - 30
        - [0, 15, ~, 40]
    mix: {put: 100%}
    item_size: 1KB
    keys: {count: 100k}
`

// seriesRates is seriesScenario's series, gaps as 0.
var seriesRates = []float64{10, 20, 0, 5, 30, 30, 0, 15, 0, 40}

// TestSeriesDrivers runs a series under both drivers: each minute
// consumes its rate times 60 write units, all of them in its first 20 s,
// so its busiest second runs at 3 times the minute's mean.
func TestSeriesDrivers(t *testing.T) {
	for _, tc := range []struct {
		fidelity Fidelity
		// tolerance is the write units a minute may differ by: none for
		// the aggregate driver, which integrates the profile; a request
		// on either side of a boundary for the request driver, whose
		// constant arrivals are counted when each request finishes.
		tolerance float64
		// late is the write units the request driver may record in the
		// second after a burst: requests started at its end finish there.
		late float64
	}{
		{FidelityAggregate, 1e-9, 0},
		{FidelityRequest, 2, 2},
	} {
		t.Run(string(tc.fidelity), func(t *testing.T) {
			sc, err := scenarios.Parse("series.yaml", []byte(seriesScenario))
			if err != nil {
				t.Fatal(err)
			}
			if len(sc.Notes) != 1 || sc.Workloads[0].Series.Missing != 2 {
				t.Fatalf("notes %q, %d missing; want one note and 2 gaps", sc.Notes, sc.Workloads[0].Series.Missing)
			}
			s, err := Build(sc, Options{Seed: 1, Fidelity: tc.fidelity})
			if err != nil {
				t.Fatal(err)
			}
			res, err := s.Run()
			if err != nil {
				t.Fatal(err)
			}
			if res.Series.Step != sim.Second {
				t.Fatalf("series step %v; want a second", res.Series.Step)
			}
			write := res.Series.Tables[0].Write
			if len(write) != 600 {
				t.Fatalf("%d seconds of series; want 600", len(write))
			}
			for i, rate := range seriesRates {
				minute := write[i*60 : (i+1)*60]
				total, peak := 0.0, 0.0
				for sec, u := range minute {
					v := u.Float()
					total += v
					peak = max(peak, v)
					if sec == 20 && v > tc.late || sec > 20 && v != 0 {
						t.Errorf("minute %d second %d: %v write units after the burst's 20 s", i, sec, v)
					}
				}
				if want := rate * 60; math.Abs(total-want) > tc.tolerance {
					t.Errorf("minute %d: %v write units; want %v (%v/s for 60 s)", i, total, want, rate)
				}
				// The busiest second is Burst (3) times the minute's mean.
				if mean := total / 60; rate > 0 && math.Abs(peak-3*mean) > tc.tolerance+1 {
					t.Errorf("minute %d: busiest second %v write units; want 3 times the mean %v", i, peak, mean)
				}
			}
		})
	}
}

// TestSeriesProfile pins how a series becomes a step profile: equal
// steps merge, a burst that does not divide the step keeps each step's
// requests, the rate is 0 after the last step, and spikes and a daily
// cycle multiply it as they do any open loop's rate.
func TestSeriesProfile(t *testing.T) {
	const month = 30 * 24 * 60 // minutes
	constant := make([]float64, month)
	for i := range constant {
		constant[i] = 100
	}
	tests := []struct {
		name   string
		w      scenarios.Workload
		end    sim.Time
		knots  int     // the profile's knots; 0: not checked
		total  float64 // expected requests over [0, end)
		checks map[sim.Time]float64
	}{
		{
			name:  "a constant month is a few knots",
			w:     scenarios.Workload{Series: &scenarios.Series{Step: time.Minute, Burst: 1, Rates: constant}},
			end:   sim.FromDuration(month * time.Minute),
			knots: 5,                // 0 at 0, a jump to 100, 100 at the end, 0 after it
			total: 100 * 60 * month, // 259.2M
			checks: map[sim.Time]float64{
				0: 100, 29 * 24 * sim.Hour: 100,
			},
		},
		{
			// 60 s / 7 rounds to 8.571428571 s of sim time; the rate
			// makes up for the rounding.
			name:  "burst 7 keeps each step's requests",
			w:     scenarios.Workload{Series: &scenarios.Series{Step: time.Minute, Burst: 7, Rates: []float64{10, 10, 20}}},
			end:   sim.FromDuration(4 * time.Minute),
			total: 60 * (10 + 10 + 20),
			checks: map[sim.Time]float64{
				0: 70, 9 * sim.Second: 0, sim.Minute: 70, 2 * sim.Minute: 140, 3 * sim.Minute: 0,
			},
		},
		{
			name: "a spike and a daily cycle multiply the series",
			w: scenarios.Workload{
				Series:  &scenarios.Series{Step: time.Hour, Burst: 1, Rates: []float64{10, 10}},
				Spikes:  []scenarios.Spike{{At: 30 * time.Minute, For: time.Minute, Multiplier: 5}},
				Diurnal: &scenarios.Diurnal{PeakHour: 0, Ratio: 1},
			},
			end:   sim.FromDuration(3 * time.Hour),
			total: 10*2*3600 + 10*4*60,
			checks: map[sim.Time]float64{
				0: 10, 30*sim.Minute + sim.Second: 50, 2*sim.Hour + 1: 0,
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p, err := arrivalProfile(tc.w, tc.end)
			if err != nil {
				t.Fatal(err)
			}
			if got := len(p.Knots()); tc.knots > 0 && got != tc.knots {
				t.Errorf("%d knots; want %d", got, tc.knots)
			}
			if got := p.Expected(); math.Abs(got-tc.total) > 1e-9*tc.total {
				t.Errorf("expected requests %v; want %v", got, tc.total)
			}
			for at, want := range tc.checks {
				if got := p.RateAt(at); math.Abs(got-want) > 1e-9*want {
					t.Errorf("rate at %v: %v; want %v", at, got, want)
				}
			}
		})
	}
}
