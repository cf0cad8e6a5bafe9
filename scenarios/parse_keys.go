package scenarios

import (
	"slices"

	"gopkg.in/yaml.v3"

	"github.com/ddbsim/ddbsim/workload"
)

// ---- keys ----
//
// A workload's keys mapping says which partition key each request
// touches:
//
//	keys: {distribution: uniform | zipf | hotspot | latest | sequential | hot
//	                     | ycsb-zipfian | ycsb-latest,
//	       count: 1M,            # distinct keys; the table's items.count when absent
//	       exponent: 0.99,       # zipf, latest
//	       hot_keys: 20%,        # hotspot: the hot set, the first keys
//	       hot_ops: 80%,         # hotspot: operations to the hot set; hot: to the hot key
//	       rotate: 10m,          # zipf, hotspot, hot: popularity moves every 10m
//	       shards: 10}           # write sharding, any distribution
//
// hotspot is YCSB's: hot_ops of the operations go uniformly to the first
// hot_keys of the keys, the rest uniformly to the others (20% and 80%
// when absent, YCSB's defaults). hot is a single hot key, k0: every
// request goes to it, or hot_ops of them with the rest uniform over the
// other keys. latest is YCSB's: a Zipf law over recency, so the keys the
// workload inserts are at once the hottest. sequential walks k0, k1, ...
// and wraps at count. rotate moves the hot ranks to other keys every
// period (workload.Rotating); latest already moves with inserts, and
// uniform and sequential have no hot keys to move, so they reject it.
// shards: N suffixes each chosen key with "#k", k uniform in [0, N),
// for reads and writes alike: a read touches one random shard. Preloaded
// items are unsharded, so a read of a shard not yet written is a miss,
// charged the minimum read, and inserted keys are not sharded.
// ycsb-zipfian and ycsb-latest are YCSB's own generators, ported
// (workload.ScrambledZipfian, workload.SkewedLatest): a Zipf of constant
// 0.99 over 10^10 items hashed onto the keys, and Gray's approximation of
// a Zipf over recency. They take no exponent (YCSB's is fixed) and do not
// rotate; zipf and latest stay the exact laws.

// keysFields are the keys of a workload's keys mapping.
var keysFields = []string{"distribution", "exponent", "count", "hot_keys", "hot_ops", "rotate", "shards"}

// keyDistributions are the values of keys.distribution.
var keyDistributions = []string{"uniform", "zipf", "hotspot", "latest", "sequential", "hot", "ycsb-zipfian", "ycsb-latest"}

// keyOptions are the keys mapping's options that only some distributions
// take, with those distributions.
var keyOptions = []struct {
	name  string
	dists []string
}{
	{"exponent", []string{"zipf", "latest"}},
	{"hot_keys", []string{"hotspot"}},
	{"hot_ops", []string{"hotspot", "hot"}},
	{"rotate", []string{"zipf", "hotspot", "hot"}},
}

// keys reads a workload's keys mapping; wf is the workload, table its
// table (nil when it names none), index the index it queries (nil for
// the table). A workload on a global index draws the index's key values:
// without a keys mapping, with the index's count and popularity (zipf
// with its exponent, or uniform); with one, count defaults to the
// index's.
func (p *parser) keys(wf *fields, table *Table, index *Index) Keys {
	k := Keys{Distribution: "uniform"}
	gsi := index != nil && !index.Local
	if gsi && wf.get("keys") == nil {
		k.Count = index.Keys.Count
		if index.Keys.Distribution == "zipf" {
			k.Distribution, k.Exponent = "zipf", index.Keys.Exponent
		}
		return k
	}
	at := wf.node // where a missing count is reported
	var f *fields
	if n := wf.get("keys"); n != nil {
		var ok bool
		if f, ok = p.fields(n, "keys", keysFields...); !ok {
			return k
		}
		at = n
	}
	if f != nil {
		p.keysOptions(f, &k)
	}
	if k.Count == 0 && gsi {
		k.Count = index.Keys.Count
	}
	if k.Count == 0 && table != nil {
		k.Count = table.Items.Count
		if k.Count == 0 {
			p.errorAt(at.Line, at.Column, "keys.count is required when the table has no items")
		}
	}
	return k
}

// keysOptions reads the keys mapping f into k and fills in the defaults
// of its distribution. An option the distribution does not take is
// reported at its key, and its value is not read; with a distribution
// that is itself unknown, only the values are checked.
func (p *parser) keysOptions(f *fields, k *Keys) {
	if v := f.get("distribution"); v != nil {
		k.Distribution = p.oneOf(v, "keys.distribution", keyDistributions...)
	}
	known := slices.Contains(keyDistributions, k.Distribution)
	applies := func(name string) bool {
		if f.get(name) == nil {
			return false
		}
		for _, o := range keyOptions {
			if o.name == name && known && !slices.Contains(o.dists, k.Distribution) {
				p.errorf(f.key[name], "keys.%s applies only to distribution: %s", name, orList(o.dists))
				return false
			}
		}
		return true
	}
	if applies("exponent") {
		k.Exponent = p.number(f.get("exponent"), "keys.exponent")
	}
	if v := f.get("count"); v != nil {
		k.Count = p.atLeast(v, "keys.count", 1)
	}
	if applies("hot_keys") {
		k.HotKeys = p.fraction(f.get("hot_keys"), "keys.hot_keys")
	}
	if applies("hot_ops") {
		k.HotOps = p.fraction(f.get("hot_ops"), "keys.hot_ops")
	}
	if applies("rotate") {
		k.Rotate = p.duration(f.get("rotate"), "keys.rotate")
	}
	if v := f.get("shards"); v != nil {
		var ok bool
		if k.Shards, ok = p.count(v, "keys.shards"); ok && (k.Shards < 1 || k.Shards > workload.MaxShards) {
			p.errorf(v, "keys.shards must be between 1 and %d, got %s", workload.MaxShards, v.Value)
		}
	}

	switch k.Distribution {
	case "zipf", "latest":
		if k.Exponent == 0 {
			k.Exponent = 0.99 // YCSB's default skew
		}
	case "hotspot": // YCSB's hotspotdatafraction and hotspotopnfraction
		if k.HotKeys == 0 {
			k.HotKeys = 0.2
		}
		if k.HotOps == 0 {
			k.HotOps = 0.8
		}
	case "hot":
		if k.HotOps == 0 {
			k.HotOps = 1
		}
	}
}

// fraction parses a percentage above 0% and at most 100%.
func (p *parser) fraction(n *yaml.Node, field string) float64 {
	x, ok := p.percent(n, field)
	if ok && (x <= 0 || x > 1) {
		p.errorf(n, "%s must be above 0%% and at most 100%%, got %s", field, n.Value)
	}
	return x
}
