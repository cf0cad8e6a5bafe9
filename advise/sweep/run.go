package sweep

import (
	"bytes"
	"errors"
	"fmt"
	"runtime"
	"runtime/debug"
	"sync"
	"sync/atomic"

	"github.com/HdrHistogram/hdrhistogram-go"

	"github.com/ddbsim/ddbsim/advise"
	"github.com/ddbsim/ddbsim/reports"
)

// Options are how Execute runs a plan's runs.
type Options struct {
	// Jobs is how many runs go at once; GOMAXPROCS when 0. Each run is
	// single-threaded and deterministic, so the records do not depend on
	// it.
	Jobs int
	// Simulate runs one scenario with one seed, thresholds evaluated.
	Simulate advise.Simulate
	// Save receives each run's full result JSON under the name its
	// record gives, as runs finish, from one goroutine; nil saves none.
	Save func(name string, result []byte) error
	// Progress is told how many runs have finished, after each.
	Progress func(done, total int)
	// Stop reports that the caller wants no more runs started.
	Stop func() bool
}

// ErrStopped is Execute's error when Options.Stop asked it to stop.
var ErrStopped = errors.New("stopped")

// Execute runs the plan's runs given by index (Plan.Shard, or every one)
// on Jobs goroutines and returns their records in the order of runs.
// Memory holds the records and the Jobs results in flight, never every
// result: each is saved and dropped as it finishes.
func Execute(pl *Plan, runs []int, o Options) ([]Record, error) {
	jobs := o.Jobs
	if jobs <= 0 {
		jobs = runtime.GOMAXPROCS(0)
	}
	type done struct {
		slot int
		res  *reports.Result
		err  error
	}
	var failed atomic.Bool // a run failed: start no more
	work := make(chan int)
	finished := make(chan done)
	var wg sync.WaitGroup
	for range min(jobs, max(1, len(runs))) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for slot := range work {
				res, err := runOne(pl, runs[slot], o.Simulate)
				finished <- done{slot, res, err}
			}
		}()
	}
	go func() {
		defer close(work)
		for slot := range runs {
			if failed.Load() || o.Stop != nil && o.Stop() {
				return
			}
			work <- slot
		}
	}()
	go func() { wg.Wait(); close(finished) }()

	records := make([]Record, len(runs))
	var errs []error
	count := 0
	for d := range finished {
		if d.err == nil && len(errs) == 0 {
			d.err = record(pl, runs[d.slot], d.res, &records[d.slot], o.Save)
		}
		if d.err != nil {
			errs = append(errs, d.err)
			failed.Store(true)
		}
		count++
		if o.Progress != nil {
			o.Progress(count, len(runs))
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	if count < len(runs) {
		return nil, ErrStopped
	}
	return records, nil
}

// runOne builds run k's scenario and runs it; a panic in the run becomes
// its error, named by the run.
func runOne(pl *Plan, k int, simulate advise.Simulate) (res *reports.Result, err error) {
	point, seed := pl.Run(k)
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("internal error in the run of point %d (%s), seed %d: %v\n%s", point, Label(pl.Points[point].Settings), seed, r, debug.Stack())
		}
	}()
	sc, err := pl.Scenario(point)
	if err != nil {
		return nil, err
	}
	res, err = simulate(sc, seed)
	if err != nil {
		return nil, fmt.Errorf("point %d (%s), seed %d: %w", point, Label(pl.Points[point].Settings), seed, err)
	}
	return res, nil
}

// record fills rec from run k's result and saves the result.
func record(pl *Plan, k int, res *reports.Result, rec *Record, save func(string, []byte) error) error {
	point, seed := pl.Run(k)
	pt := pl.Points[point]
	*rec = Record{
		Run:            k,
		Point:          point,
		Scenario:       pl.Spec.Sources[pt.Source].Ref,
		Parameters:     parametersOf(pt.Settings),
		Seed:           seed,
		Result:         ResultFile(point, len(pl.Points), seed),
		Requests:       res.Requests.Total,
		ThrottledRatio: res.Ratios.Throttled,
		GivenUpRatio:   reports.Ratio(res.GivenUp(), res.Requests.Total),
		P50Ms:          res.LatencyMs.P50,
		P99Ms:          res.LatencyMs.P99,
		Thresholds:     len(res.Thresholds),
		Passed:         res.Passed(),
	}
	if res.Cost != nil {
		rec.MonthlyUSD = res.Cost.MonthlyUSD
	}
	for _, th := range res.Thresholds {
		if !th.Passed {
			rec.Failed = append(rec.Failed, th.Name)
		}
	}
	rec.LatencyHistogram = res.LatencyHistogram
	if rec.LatencyHistogram == "" { // a result that kept none: no latency recorded
		enc, err := reports.NewLatencyHistogram().Encode(hdrhistogram.V2CompressedEncodingCookieBase)
		if err != nil {
			return err
		}
		rec.LatencyHistogram = string(enc)
	}
	if save == nil {
		return nil
	}
	var js bytes.Buffer
	if err := reports.WriteJSON(&js, res); err != nil {
		return err
	}
	return save(rec.Result, js.Bytes())
}

// ResultFile names the file of a run's full result beside the sweep's
// document: the point, zero-padded to sort, and the seed.
func ResultFile(point, points int, seed uint64) string {
	width := len(fmt.Sprint(max(points-1, 0)))
	return fmt.Sprintf("point-%0*d-seed-%d.json", width, point, seed)
}
