package scenarios

import (
	"bytes"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/ddbsim/ddbsim/workload/trace"
	"gopkg.in/yaml.v3"
)

// ycsbExcludes are the workload keys a YCSB file decides (query_limit
// too: maxscanlength decides how much a scan reads).
var ycsbExcludes = []string{"rate", "arrival", "stages", "users", "think", "mix", "keys",
	"item_size", "consistency", "batch_size", "query_range", "query_limit", "shape", "spikes", "diurnal",
	"trace", "format", "speed", "loop", "max_in_flight"}

// ycsbWorkload reads `ycsb: FILE` with its optional `ycsb_properties`
// overrides (YCSB's -p) and maps the file onto the workload: operation
// mix, key distribution, record size, scan lengths, and arrivals (a
// constant rate at target, else threadcount users without think time, as
// YCSB's client threads run).
func (p *parser) ycsbWorkload(f *fields, v *yaml.Node, w *Workload) {
	for _, k := range ycsbExcludes {
		if kn := f.key[k]; kn != nil {
			p.errorf(kn, "%s cannot be combined with ycsb: the YCSB file decides it", k)
		}
	}
	name, ok := p.scalar(v, "ycsb", "a YCSB property file or workloada..workloadf")
	if !ok {
		return
	}
	overrides := map[string]string{}
	if pv := f.get("ycsb_properties"); pv != nil {
		ps, ok := p.pairs(pv, "ycsb_properties")
		if ok {
			for _, kv := range ps {
				if kv.val.Kind != yaml.ScalarNode {
					p.errorf(kv.val, "ycsb_properties.%s: expected a value, got %s", kv.key.Value, describe(kv.val))
					continue
				}
				overrides[kv.key.Value] = kv.val.Value
			}
		}
	}
	y, err := loadYCSB(name, p.files, overrides)
	if err != nil {
		// A line that is no property is the property file's own error;
		// a property that cannot be mapped is the ycsb key's.
		var e *trace.PropertyError
		if errors.As(err, &e) {
			p.errs = append(p.errs, &Error{File: e.File, Line: e.Line, Col: 1, Msg: e.Msg})
		} else {
			p.errorf(v, "ycsb: %v", err)
		}
		return
	}
	w.YCSB = y
	w.Mix = nil
	for _, s := range y.Mix {
		w.Mix = append(w.Mix, MixEntry{Op: s.Op, Weight: s.Weight})
	}
	w.Keys = Keys{Distribution: y.Distribution, Count: y.RecordCount,
		HotKeys: y.HotKeys, HotOps: y.HotOps}
	if y.Distribution == "zipf" {
		w.Keys.Exponent = 0.99
	}
	w.ItemSize = ItemSize{Distribution: "fixed", Fixed: y.ItemSize}
	if y.ItemSizeMin > 0 {
		w.ItemSize = ItemSize{Distribution: "uniform", Min: y.ItemSizeMin, Max: y.ItemSize}
	}
	w.Requests = y.OperationCount
	w.ScanMax = y.ScanMax
	if y.Strong {
		w.Consistency = "strong"
	}
	if y.Target > 0 {
		w.Rate, w.Arrival = y.Target, "constant"
	} else {
		w.Users, w.Arrival, w.ThinkDistribution = max(1, y.Threads), "", "fixed"
		w.Think = time.Duration(0)
	}
	p.notes = append(p.notes, y.Notes...)
}

// loadYCSB reads the property file name, opened through files (relative
// to its Dir when not absolute), or, when it cannot be opened, the core
// workload of that name ("workloada"). overrides, like YCSB's -p, replace
// properties of the file.
func loadYCSB(name string, files ParseOptions, overrides map[string]string) (*trace.YCSB, error) {
	path := files.path(name)
	if f, err := files.open(path); err == nil {
		defer f.Close() // read only: nothing to lose
		data, err := ReadAllLimited(stream(f), path, "a YCSB property file")
		if err != nil {
			return nil, err
		}
		return trace.ReadYCSB(bytes.NewReader(data), path, overrides)
	}
	if data, ok := trace.CoreWorkload(name); ok {
		return trace.ReadYCSB(bytes.NewReader(data), name+" (built-in)", overrides)
	}
	if files.Open == nil {
		return nil, fmt.Errorf("no core workload named %s (workloada to workloadf), and %w", name, ErrNoFiles)
	}
	return nil, fmt.Errorf("no file %s, and no core workload of that name (workloada to workloadf)", path)
}

// YCSBScenario is the scenario `ddbsim run --ycsb FILE` runs: the YCSB
// workload on an on-demand table named usertable, its records loaded
// first, for duration (0: operationcount at the target rate, or ten
// minutes for a workload without a target or without an operationcount).
// FILE is opened with open, relative to the working directory; a core
// workload's name needs none.
func YCSBScenario(file string, overrides map[string]string, duration time.Duration, open Opener) (*Scenario, error) {
	var props strings.Builder
	for _, k := range slices.Sorted(maps.Keys(overrides)) {
		fmt.Fprintf(&props, "%s: %q, ", k, overrides[k])
	}
	files := ParseOptions{Open: open}
	if duration <= 0 {
		y, err := loadYCSB(file, files, overrides)
		if err != nil {
			return nil, err
		}
		// --duration can shorten the longest run that stands in for a
		// tiny target.
		if duration = y.Duration(); duration == 0 {
			duration = 10 * time.Minute
		}
	}
	doc := fmt.Sprintf(`version: 1
name: ycsb
description: %q
duration: %s
tables:
  - {name: usertable, partition_key: key, mode: on-demand}
workloads:
  - {name: ycsb, table: usertable, ycsb: %q, ycsb_properties: {%s}}
`, "YCSB workload "+file, duration, file, strings.TrimSuffix(props.String(), ", "))
	return ParseWith("--ycsb "+file, []byte(doc), files)
}
