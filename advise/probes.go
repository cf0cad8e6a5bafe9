package advise

import (
	"runtime"
	"slices"
	"sync"

	"github.com/ddbsim/ddbsim/reports"
	"github.com/ddbsim/ddbsim/scenarios"
)

// The search's probes, run on every core with the answer unchanged.
//
// A search is a sequence of probes, each chosen from the outcomes of
// those before it, so it cannot simply run them all at once. It runs
// ahead instead: while a probe runs, a spare core runs the probe that
// would come next if this one passed (prefetch). A guess that comes true
// saves a probe's wait; one that does not costs only a core that was
// idle. The search itself still takes each probe's outcome in its one
// order, and counts a configuration as a probe when it first uses it,
// as it did when every probe ran in turn, so the capacity found, the
// probe counts and every figure are those of the search run one probe at
// a time. The tuned auto scaling's targets are independent searches and
// run at once, each with its own count.

// searcher runs probes of a scenario whose thresholds are the SLO.
type searcher struct {
	sc       *scenarios.Scenario
	seeds    []uint64
	simulate Simulate
	runs     *probeRuns
	// probes counts the configurations this search used, each once;
	// used holds their keys.
	probes int
	used   map[string]bool
	// ahead is whether this search starts probes ahead of need: not
	// when several searches run at once and keep the cores busy.
	ahead bool
}

// probeRuns is every configuration started, shared by the searches of
// one comparison: each runs once, whichever search asks first.
type probeRuns struct {
	mu      sync.Mutex
	started map[string]*pending
	// spare bounds the runs started ahead of need to the cores the
	// probes being waited for leave idle.
	spare chan struct{}
}

// pending is a configuration's runs, done when done is closed.
type pending struct {
	done chan struct{}
	p    *probe
	err  error
}

// probe is one configuration's runs, one per seed in the searcher's
// order. It passes only when every seed passes; cost is the mean monthly
// cost over the seeds. The comparison shows each seed's run of the
// configuration found in that seed's row of the search's modes.
type probe struct {
	runs   []*reports.Result
	passed bool
	cost   float64
}

// Passed reports whether every seed met the SLO.
func (p *probe) Passed() bool { return p.passed }

func newSearcher(sc *scenarios.Scenario, seeds []uint64, simulate Simulate) *searcher {
	spare := max(0, runtime.GOMAXPROCS(0)-len(seeds))
	return &searcher{sc: sc, seeds: seeds, simulate: simulate, used: map[string]bool{}, ahead: true,
		runs: &probeRuns{started: map[string]*pending{}, spare: make(chan struct{}, spare)}}
}

// fork is a search of its own over the same runs, for a target searched
// beside the others.
func (s *searcher) fork() *searcher {
	c := *s
	c.probes, c.used, c.ahead = 0, map[string]bool{}, false
	return &c
}

// run is sc's probe, started now unless a search started it before, and
// counted as this search's probe the first time it uses it.
func (s *searcher) run(sc *scenarios.Scenario) (*probe, error) {
	key := configKey(sc)
	pd := s.start(key, sc, false)
	<-pd.done
	if !s.used[key] {
		s.used[key] = true
		s.probes++
	}
	return pd.p, pd.err
}

// prefetch starts sc's probe on a spare core, if there is one and it is
// not started yet; nothing waits for it.
func (s *searcher) prefetch(sc *scenarios.Scenario) {
	if s.ahead {
		s.start(configKey(sc), sc, true)
	}
}

// wait waits for every run started, needed or not, so that none outlives
// the search.
func (r *probeRuns) wait() {
	r.mu.Lock()
	all := make([]*pending, 0, len(r.started))
	for _, pd := range r.started {
		all = append(all, pd)
	}
	r.mu.Unlock()
	for _, pd := range all {
		<-pd.done
	}
}

func (s *searcher) start(key string, sc *scenarios.Scenario, ahead bool) *pending {
	r := s.runs
	r.mu.Lock()
	defer r.mu.Unlock()
	if pd, ok := r.started[key]; ok {
		return pd
	}
	if ahead {
		select {
		case r.spare <- struct{}{}:
		default:
			return nil // no idle core: the guess is not worth a wait
		}
	}
	pd := &pending{done: make(chan struct{})}
	r.started[key] = pd
	go func() {
		defer close(pd.done)
		if ahead {
			defer func() { <-r.spare }()
		}
		pd.p, pd.err = s.simulateAll(sc)
	}()
	return pd
}

// simulateAll runs sc under every seed, at once.
func (s *searcher) simulateAll(sc *scenarios.Scenario) (*probe, error) {
	// Probes start with no burst credit banked: a capacity sized on a run
	// that spends a full bank would be too small once the bank is gone.
	// Each seed's run gets a scenario of its own (Simulate).
	noBank := false
	jobs := make([]job, len(s.seeds))
	for i, seed := range s.seeds {
		c := *sc
		c.Tables = slices.Clone(sc.Tables)
		c.Service.BurstStartsFull = &noBank
		jobs[i] = job{"search", &c, seed}
	}
	runs, err := runAll(jobs, s.simulate)
	if err != nil {
		return nil, err
	}
	p := &probe{runs: runs, passed: true}
	for _, r := range runs {
		p.cost += monthly(r) / float64(len(runs))
		p.passed = p.passed && r.Passed()
	}
	if len(runs) == 1 {
		p.cost = monthly(runs[0]) // exactly, not through a division
	}
	return p, nil
}
