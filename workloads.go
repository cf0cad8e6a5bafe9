package ddbsim

// The traffic sources of a scenario's workloads: arrivals, mix, keys,
// sizes and clients, as the workload package runs them.

import (
	"cmp"
	"fmt"
	"math"
	"strings"

	"github.com/ddbsim/ddbsim/model"
	"github.com/ddbsim/ddbsim/model/units"
	"github.com/ddbsim/ddbsim/scenarios"
	"github.com/ddbsim/ddbsim/sim"
	"github.com/ddbsim/ddbsim/workload"
	"github.com/ddbsim/ddbsim/workload/trace"
)

// sourceConfig is the whole configuration of w's traffic source: what it
// sends, and how its clients behave.
func sourceConfig(sc *scenarios.Scenario, w scenarios.Workload, svc *model.Service, duration sim.Time, retry workload.RetryPolicy) (workload.Config, error) {
	cfg, err := workloadConfig(sc, w, svc, duration)
	if err != nil {
		return cfg, fmt.Errorf("%s:%d:%d: workload %s: %w", sc.File, w.Pos.Line, w.Pos.Col, w.Name, err)
	}
	cfg.Retry = retry
	cfg.Timeout = sim.FromDuration(sc.Client.Timeout)
	cfg.ViaDAX = viaDAX(sc, w)
	placeWorkload(sc, w, svc, &cfg) // configs.go: its replica, and where it fails over
	return cfg, nil
}

func workloadConfig(sc *scenarios.Scenario, w scenarios.Workload, svc *model.Service, duration sim.Time) (workload.Config, error) {
	ti, err := svc.TableIndex(w.Table)
	if err != nil {
		return workload.Config{}, err
	}
	table := sc.Tables[ti]
	if w.Trace != nil { // a trace gives arrivals, keys, operations and sizes
		return traceConfig(w, ti, duration)
	}
	var profile workload.Profile // open loop only
	if w.Users == 0 {
		// Stages, spikes, daily cycle (arrivalProfile).
		if profile, err = arrivalProfile(w, duration); err != nil {
			return workload.Config{}, err
		}
	}
	mix, inserts, err := buildMix(w.Mix)
	if err != nil {
		return workload.Config{}, err
	}

	index := 0
	if w.Index != "" {
		var ok bool
		if index, _, ok = svc.Tables()[ti].IndexRequest(w.Index); !ok {
			return workload.Config{}, fmt.Errorf("table %s has no index %s", table.Name, w.Index)
		}
	}
	count := w.Keys.Count
	if ix := table.Index(w.Index); count <= 0 && ix != nil && !ix.Local {
		count = ix.Keys.Count // the index's key values
		if count <= 0 {
			count = table.KeyCount()
		}
	}
	if count <= 0 {
		count = table.Items.Count / max(1, table.Items.PerKey)
	}
	if count <= 0 {
		return workload.Config{}, fmt.Errorf("keys.count is required when the table has no items")
	}
	var keyspace *workload.Keyspace
	if inserts {
		keyspace = workload.NewKeyspace(count)
	}
	keys := keyChooser(w, count, keyspace)

	var sizes workload.SizeChooser = workload.FixedSize(w.ItemSize.Fixed)
	switch w.ItemSize.Distribution {
	case "lognormal":
		sizes = workload.NewLognormalSize(int(w.ItemSize.Median), int(w.ItemSize.P99))
	case "uniform":
		sizes = workload.UniformSize{Min: int(w.ItemSize.Min), Max: int(w.ItemSize.Max)}
	}
	consistency := units.Eventual
	if w.Consistency == "strong" {
		consistency = units.Strong
	}
	perKey := int64(1)
	if table.SortKey != "" {
		perKey = max(1, table.Items.PerKey)
	}
	return workload.Config{
		Name:        w.Name,
		Table:       ti,
		Arrivals:    profile,
		Poisson:     w.Arrival != "constant",
		Mix:         mix,
		Keys:        keys,
		Shards:      int(w.Keys.Shards), // 0: unsharded
		ItemsPerKey: perKey,
		Sizes:       sizes,
		Consistency: consistency,
		QueryLimit:  int(w.QueryLimit),
		QueryRange:  int(w.QueryRange),
		MaxRequests: w.Requests,
		ScanMax:     int(w.ScanMax),
		Keyspace:    keyspace,
		BatchSize:   int(w.BatchSize), // 0: workload.DefaultBatchSize
		Index:       index,            // 0: the table

		// A closed loop when Users > 0: no request starts at or after the
		// scenario's end.
		Users:            int(w.Users),
		Think:            sim.FromDuration(w.Think),
		ThinkExponential: w.ThinkDistribution == "exponential",
		End:              duration,
	}, nil
}

// keyChooser builds the chooser of a workload's keys over count keys. ks
// is the workload's keyspace, nil when its mix does not insert; latest
// then reads a keyspace of its own, which never grows. A YCSB hotspot
// takes its fractions from the property file.
func keyChooser(w scenarios.Workload, count int64, ks *workload.Keyspace) workload.KeyChooser {
	k := w.Keys
	var c workload.KeyChooser
	switch k.Distribution {
	case "zipf":
		c = workload.NewZipf(count, k.Exponent)
	case "hotspot":
		c = workload.NewHotspot(count, cmp.Or(k.HotKeys, 0.2), cmp.Or(k.HotOps, 0.8))
	case "hot":
		c = workload.Hotspot{Count: count, Hot: 1, HotOps: cmp.Or(k.HotOps, 1)}
	case "latest":
		if ks == nil {
			ks = workload.NewKeyspace(count)
		}
		c = workload.NewLatest(ks, cmp.Or(k.Exponent, 0.99))
	case "ycsb-zipfian":
		// CoreWorkload widens the hashed range by the inserts it expects
		// (YCSB core/src/main/java/site/ycsb/workloads/CoreWorkload.java, init).
		var expected int64
		if w.YCSB != nil {
			expected = w.YCSB.ExpectedNewKeys
		}
		c = workload.NewScrambledZipfian(count, expected, ks)
	case "ycsb-latest":
		if ks == nil {
			ks = workload.NewKeyspace(count)
		}
		c = workload.NewSkewedLatest(ks)
	case "sequential":
		c = workload.NewSequential(count)
	default:
		c = workload.Uniform{Count: count}
	}
	if k.Rotate > 0 {
		c = workload.NewRotating(c, count, sim.FromDuration(k.Rotate))
	}
	return c
}

// arrivalProfile is an open loop's arrival rate over [0, end): rate and
// stages (linear ramps, or steps with shape: step) or a series
// (seriesProfile), then the spikes, then the daily cycle. Both drivers
// run it: the request driver draws arrivals from it, and the aggregate
// driver (workload/fluid) integrates it tick by tick.
func arrivalProfile(w scenarios.Workload, end sim.Time) (workload.Profile, error) {
	var p workload.Profile
	var err error
	if w.Series != nil {
		p, err = seriesProfile(w.Series, end)
	} else {
		stages := make([]workload.Stage, 0, len(w.Stages))
		for _, st := range w.Stages {
			stages = append(stages, workload.Stage{For: sim.FromDuration(st.For), Rate: st.Rate})
		}
		newProfile := workload.NewProfile
		if w.Shape == "step" {
			newProfile = workload.NewStepProfile
		}
		p, err = newProfile(w.Rate, stages, end)
	}
	if err != nil {
		return p, err
	}
	if len(w.Spikes) > 0 {
		spikes := make([]workload.Spike, 0, len(w.Spikes))
		for _, s := range w.Spikes {
			spikes = append(spikes, workload.Spike{At: sim.FromDuration(s.At), For: sim.FromDuration(s.For), Multiplier: s.Multiplier})
		}
		if p, err = p.WithSpikes(spikes); err != nil {
			return p, err
		}
	}
	if d := w.Diurnal; d != nil {
		return p.WithDiurnal(workload.Diurnal{PeakHour: d.PeakHour, Ratio: d.Ratio})
	}
	return p, nil
}

// seriesProfile is the step profile of a series over [0, end): step i
// runs Burst times its rate for the first Step/Burst and 0 for the rest
// (one stage at its rate when Burst is 1), so each step keeps its
// requests, Rates[i] times Step. After the last step the rate is 0. Runs
// of equal rates are merged: a constant month is a few knots, not 43,200.
func seriesProfile(s *scenarios.Series, end sim.Time) (workload.Profile, error) {
	step := sim.FromDuration(s.Step)
	if step <= 0 || !(s.Burst >= 1) || math.IsInf(s.Burst, 0) {
		return workload.Profile{}, fmt.Errorf("series {step: %v, burst: %v}: expected a positive step and a burst of at least 1", s.Step, s.Burst)
	}
	// The burst's share of the step, in whole sim time: the rate is then
	// scaled so the step's expected requests stay Rates[i] times Step
	// whatever the rounding.
	on := min(max(sim.Time(math.Round(float64(step)/s.Burst)), 1), step)
	scale := float64(step) / float64(on)
	var stages []workload.Stage
	add := func(d sim.Time, r float64) {
		if n := len(stages); n > 0 && stages[n-1].Rate == r {
			stages[n-1].For += d
			return
		}
		stages = append(stages, workload.Stage{For: d, Rate: r})
	}
	for i, r := range s.Rates {
		if sim.Time(i) >= (end+step-1)/step { // the steps past the end never run
			break
		}
		if on == step {
			add(step, r)
			continue
		}
		add(on, r*scale)
		add(step-on, 0)
	}
	if n := len(stages); n == 0 || stages[n-1].Rate != 0 {
		// NewStepProfile holds the last stage until end: end at 0.
		add(step, 0)
	}
	return workload.NewStepProfile(0, stages, end)
}

// traceConfig is workloadConfig for a trace workload on table ti.
func traceConfig(w scenarios.Workload, ti int, duration sim.Time) (workload.Config, error) {
	format, ok := trace.ParseFormat(w.Trace.Format)
	if !ok {
		return workload.Config{}, fmt.Errorf("unknown trace format %q; expected %s", w.Trace.Format, strings.Join(trace.Formats, " or "))
	}
	if w.Trace.Open == nil {
		return workload.Config{}, fmt.Errorf("trace %s: %w", w.Trace.Path, scenarios.ErrNoFiles)
	}
	if w.Trace.Speed <= 0 || math.IsNaN(w.Trace.Speed) || math.IsInf(w.Trace.Speed, 0) {
		return workload.Config{}, fmt.Errorf("trace speed %v; expected a factor above 0", w.Trace.Speed)
	}
	consistency := units.Eventual
	if w.Consistency == "strong" {
		consistency = units.Strong
	}
	return workload.Config{
		Name:  w.Name,
		Table: ti,
		Trace: &workload.Trace{
			Name:   w.Trace.Path,
			Open:   func() (trace.File, error) { return w.Trace.Open(w.Trace.Path) },
			Format: format,
			Speed:  w.Trace.Speed,
			Loop:   w.Trace.Loop,
			// 0 would mean no limit to the workload package; a spec
			// made in code without one gets the format's default.
			MaxInFlight: cmp.Or(w.Trace.MaxInFlight, scenarios.DefaultMaxInFlight),
		},
		ItemsPerKey: 1, // every record is sort-key index 0 of its key
		Consistency: consistency,
		QueryLimit:  int(w.QueryLimit),
		End:         duration,
	}, nil
}

// buildMix turns the scenario's mix into the workload's, mapping the YCSB
// operations onto the service's: an insert is a put of a new key, a
// read-modify-write a get followed by an update. It reports whether the
// mix inserts.
func buildMix(entries []scenarios.MixEntry) (workload.Mix, bool, error) {
	var out []workload.MixEntry
	inserts := false
	for _, m := range entries {
		e := workload.MixEntry{Weight: m.Weight, ConditionFailure: m.ConditionFailure}
		switch m.Op {
		case "insert":
			e.Op, e.Insert, inserts = units.OpPut, true, true
		case "read_modify_write":
			e.Op, e.ReadModifyWrite = units.OpGet, true
		default:
			op, ok := units.ParseOp(m.Op)
			if !ok {
				return workload.Mix{}, false, fmt.Errorf("unknown operation %q", m.Op)
			}
			e.Op = op
		}
		switch m.Consistency {
		case "strong":
			e.Consistency, e.HasConsistency = units.Strong, true
		case "eventual":
			e.Consistency, e.HasConsistency = units.Eventual, true
		}
		out = append(out, e)
	}
	mix, err := workload.NewMixEntries(out)
	return mix, inserts, err
}

func retryPolicy(r scenarios.Retry) (workload.RetryPolicy, error) {
	switch r.Policy {
	case "", "sdk-v2", "go-v2":
		return workload.SDKv2(), nil
	case "legacy", "go-v1":
		return workload.Legacy(), nil
	case "js-v3":
		return workload.JSv3(), nil
	case "boto3-standard":
		return workload.Boto3Standard(), nil
	case "go-v2-adaptive":
		return workload.GoV2Adaptive(), nil
	case "java-v2":
		return workload.JavaV2(), nil
	case "boto3-legacy":
		return workload.Boto3Legacy(), nil
	case "none":
		return workload.NoRetry(), nil
	case "custom":
		return workload.RetryPolicy{
			MaxAttempts: r.MaxAttempts,
			Base:        sim.FromDuration(r.Base),
			MaxBackoff:  sim.FromDuration(r.MaxBackoff),
		}, nil
	}
	return workload.RetryPolicy{}, fmt.Errorf("unknown retry policy %q", r.Policy)
}
