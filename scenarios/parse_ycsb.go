package scenarios

import (
	"errors"
	"os"
	"path/filepath"
	"time"

	"gopkg.in/yaml.v3"
)

// ycsbExcludes are the workload keys a YCSB file decides (query_limit
// too: maxscanlength decides how much a scan reads).
var ycsbExcludes = []string{"rate", "arrival", "stages", "users", "think", "mix", "keys",
	"item_size", "consistency", "batch_size", "query_range", "query_limit", "shape", "spikes", "diurnal",
	"trace", "format", "speed", "loop"}

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
	dir := ""
	if _, err := os.Stat(p.file); err == nil {
		dir = filepath.Dir(p.file)
	}
	y, err := LoadYCSB(name, dir, overrides)
	if err != nil {
		var e *Error
		if errors.As(err, &e) {
			p.errs = append(p.errs, e)
		} else {
			p.errorf(v, "ycsb: %v", err)
		}
		return
	}
	w.YCSB = y
	w.Mix = y.Mix
	w.Keys = Keys{Distribution: y.Distribution, Count: y.RecordCount, Exponent: 0.99,
		HotKeys: y.HotKeys, HotOps: y.HotOps}
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
