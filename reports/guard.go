package reports

import (
	"fmt"
	"slices"

	"github.com/ddbsim/ddbsim/model"
)

// Guard is a default limit every run is held to, thresholds or not: damage
// no team accepts unless it says so. A run over a guard is a warning, never a
// plain pass, unless one of the scenario's thresholds names a metric in
// AllowedBy: a threshold on that metric is the team's own limit, and it
// decides. docs/result-schema.md states the guards.
type Guard struct {
	// Name is how a warning names the guard.
	Name string
	// Metric is the threshold metric the guard reads (threshold.Metrics).
	Metric string
	// Limit is the largest value the guard lets pass without a threshold.
	Limit float64
	// AllowedBy are the metrics whose thresholds take over from the guard.
	AllowedBy []string
}

// Guards are the default guards, in the order warnings list them:
//   - given_up: the client gave up on no request (given_up 0). Only a
//     threshold on given_up or given_up_ratio allows some: throttled_ratio
//     and error_ratio each count one kind of failure, not all a user sees.
//   - p99_latency: p99 at most 1 s, the point where a user-facing request
//     has failed whatever it returns. A threshold on p99_ms, p999_ms or
//     max_ms allows more.
var Guards = []Guard{
	{Name: "given_up", Metric: "given_up", Limit: 0, AllowedBy: []string{"given_up", "given_up_ratio"}},
	{Name: "p99_latency", Metric: "p99_ms", Limit: 1000, AllowedBy: []string{"p99_ms", "p999_ms", "max_ms"}},
}

// Warning is a guard a run breached with no threshold that allows it.
type Warning struct {
	Guard   string  `json:"guard"`
	Value   float64 `json:"value"`
	Limit   float64 `json:"limit"`
	Message string  `json:"message"`
}

// GivenUp counts the requests the client gave up on: every attempt
// throttled, or ended in an error other than a failed condition (a failed
// condition is the service's answer to what the caller asked, not a request
// lost).
func (r *Result) GivenUp() int64 {
	return r.Requests.Throttled + r.Requests.Errors - r.ErrorsByKind[model.ErrConditionalCheckFailed.String()]
}

// CheckGuards returns the guards r breaches that none of its evaluated
// thresholds allows, in Guards order; nil when there are none.
func CheckGuards(r *Result) []Warning {
	var out []Warning
	for _, g := range Guards {
		v, ok := r.Metric(g.Metric)
		if !ok || v <= g.Limit {
			continue
		}
		if slices.ContainsFunc(r.Thresholds, func(t ThresholdResult) bool { return slices.Contains(g.AllowedBy, t.Name) }) {
			continue
		}
		w := Warning{Guard: g.Name, Value: v, Limit: g.Limit}
		switch g.Name {
		case "given_up":
			noun := "requests"
			if r.GivenUp() == 1 {
				noun = "request"
			}
			w.Message = fmt.Sprintf("gave up %s %s (%s) and no given_up threshold allows it",
				Commas(r.GivenUp()), noun, Percent(Ratio(r.GivenUp(), r.Requests.Total), 2))
		case "p99_latency":
			w.Message = fmt.Sprintf("p99 %s is over the %s guard and no p99_ms threshold allows it", DurationMs(v), DurationMs(g.Limit))
		}
		out = append(out, w)
	}
	return out
}

// The verdicts of a run, as Verdict gives them.
const (
	VerdictPass = "pass" // every threshold passed and no guard was breached
	VerdictWarn = "warn" // every threshold passed, but a guard was breached
	VerdictFail = "fail" // a threshold failed
	VerdictNone = "none" // no threshold and no guard breached
)

// Verdict sums up r: fail when a threshold failed, warn when they passed
// (or there are none) but a guard was breached, otherwise pass, or none when
// the run has no threshold.
func (r *Result) Verdict() string {
	switch {
	case !r.Passed():
		return VerdictFail
	case len(r.Warnings) > 0:
		return VerdictWarn
	case len(r.Thresholds) == 0:
		return VerdictNone
	}
	return VerdictPass
}
