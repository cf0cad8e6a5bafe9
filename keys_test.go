package ddbsim

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"testing"
	"time"

	"github.com/ddbsim/ddbsim/scenarios"
	"github.com/ddbsim/ddbsim/sim"
	"github.com/ddbsim/ddbsim/workload"
)

// TestKeyChooser pins the chooser each distribution builds, with its
// defaults, and that a YCSB hotspot takes its fractions from the file.
func TestKeyChooser(t *testing.T) {
	const n = 1000
	w := func(k scenarios.Keys) scenarios.Workload { return scenarios.Workload{Keys: k} }
	if c := keyChooser(w(scenarios.Keys{Distribution: "uniform"}), n, nil); c != (workload.Uniform{Count: n}) {
		t.Errorf("uniform: %#v", c)
	}
	if _, ok := keyChooser(w(scenarios.Keys{Distribution: "zipf", Exponent: 0.99}), n, nil).(*workload.Zipf); !ok {
		t.Errorf("zipf: not a *workload.Zipf")
	}
	for _, tc := range []struct {
		w    scenarios.Workload
		want workload.Hotspot
	}{
		{w(scenarios.Keys{Distribution: "hotspot", HotKeys: 0.2, HotOps: 0.8}), workload.Hotspot{Count: n, Hot: 200, HotOps: 0.8}},
		{w(scenarios.Keys{Distribution: "hotspot"}), workload.Hotspot{Count: n, Hot: 200, HotOps: 0.8}},
		{w(scenarios.Keys{Distribution: "hotspot", HotKeys: 0.1, HotOps: 0.9}), workload.Hotspot{Count: n, Hot: 100, HotOps: 0.9}},
		{w(scenarios.Keys{Distribution: "hot", HotOps: 1}), workload.Hotspot{Count: n, Hot: 1, HotOps: 1}},
		{w(scenarios.Keys{Distribution: "hot"}), workload.Hotspot{Count: n, Hot: 1, HotOps: 1}},
		{w(scenarios.Keys{Distribution: "hot", HotOps: 0.3}), workload.Hotspot{Count: n, Hot: 1, HotOps: 0.3}},
	} {
		if c := keyChooser(tc.w, n, nil); c != tc.want {
			t.Errorf("%+v: %#v, want %#v", tc.w.Keys, c, tc.want)
		}
	}
	if _, ok := keyChooser(w(scenarios.Keys{Distribution: "sequential"}), n, nil).(*workload.Sequential); !ok {
		t.Errorf("sequential: not a *workload.Sequential")
	}
	for _, d := range []string{"zipf", "hotspot", "hot"} {
		if _, ok := keyChooser(w(scenarios.Keys{Distribution: d, Exponent: 0.99, Rotate: time.Minute}), n, nil).(*workload.Rotating); !ok {
			t.Errorf("%s with rotate: not a *workload.Rotating", d)
		}
	}

	// Latest reads the workload's keyspace: a key inserted is at once
	// the likeliest; without inserts it has a keyspace of its own.
	ks := workload.NewKeyspace(n)
	c := keyChooser(w(scenarios.Keys{Distribution: "latest", Exponent: 0.99}), n, ks)
	r := rand.New(rand.NewPCG(1, 2))
	newest := ks.Insert()
	hits := 0
	for range 1000 {
		if c.Next(r, 0) == newest {
			hits++
		}
	}
	if hits < 50 { // its Zipf share is about 13%
		t.Errorf("the key just inserted drawn %d times in 1000", hits)
	}
	if k := keyChooser(w(scenarios.Keys{Distribution: "latest", Exponent: 0.99}), n, nil).Next(r, 0); k < 0 || k >= n {
		t.Errorf("latest without inserts: key %d", k)
	}
}

// keysRunScenario has a workload that writes to one hot key, sharded ten
// ways, and another that inserts and reads the latest keys.
const keysRunScenario = `
version: 1
name: keys
duration: 1m
tables:
  - {name: t, partition_key: id, mode: on-demand, items: {count: 1k, size: 1KB}}
workloads:
  - name: counter
    table: t
    arrival: constant
    rate: 50/s
    mix: {put: 100%}
    keys: {distribution: hot, shards: 10}
  - name: feed
    table: t
    arrival: constant
    rate: 50/s
    mix: {get: 90%, insert: 10%}
    keys: {distribution: latest}
`

// TestShardedHotKeyRuns runs a sharded hot key and a latest workload end
// to end: the writes land on the ten shards of k0 (each its own
// partition key, never the unsharded k0 beyond its preloaded item), and
// the workload config carries the shards and shares its keyspace with
// the latest chooser.
func TestShardedHotKeyRuns(t *testing.T) {
	sc, err := scenarios.Parse("keys.yaml", []byte(keysRunScenario))
	if err != nil {
		t.Fatal(err)
	}
	var rec tally
	s, err := build(sc, 1, &rec)
	if err != nil {
		t.Fatal(err)
	}
	s.run()
	st := s.Service.Tables()[0].Store()
	for j := range 10 {
		if _, ok := st.SizeOf([]byte("k0#"+strconv.Itoa(j)), 0); !ok {
			t.Errorf("shard k0#%d never written", j)
		}
	}
	for _, k := range []string{"k0#10", "k1#0"} {
		if _, ok := st.SizeOf([]byte(k), 0); ok {
			t.Errorf("%s written; want only k0's ten shards", k)
		}
	}
	if size, ok := st.SizeOf([]byte("k0"), 0); !ok || size != 1024 {
		t.Errorf("preloaded k0: size %d, found %v; want untouched", size, ok)
	}

	cfg, err := workloadConfig(sc, sc.Workloads[0], s.Service, s.Duration)
	if err != nil || cfg.Shards != 10 {
		t.Errorf("counter: Shards %d, err %v; want 10", cfg.Shards, err)
	}
	cfg, err = workloadConfig(sc, sc.Workloads[1], s.Service, s.Duration)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := cfg.Keys.(*workload.Latest); !ok || cfg.Keyspace == nil || cfg.Shards != 0 {
		t.Fatalf("feed: keys %T, keyspace %v, shards %d", cfg.Keys, cfg.Keyspace, cfg.Shards)
	}
	newest := cfg.Keyspace.Insert()
	r := rand.New(rand.NewPCG(3, 4))
	hits := 0
	for range 1000 {
		if cfg.Keys.Next(r, sim.Minute) == newest {
			hits++
		}
	}
	if hits < 50 {
		t.Errorf("feed: the key just inserted drawn %d times in 1000; latest does not read the workload's keyspace", hits)
	}
}

// TestKeysTestdataBuilds builds testdata/valid/keys.yaml, which uses every
// distribution and option, and checks each workload's chooser.
func TestKeysTestdataBuilds(t *testing.T) {
	sc := mustLoad(t, "scenarios/testdata/valid/keys.yaml")
	s, err := build(sc, 1, &tally{})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"ycsb-hotspot":  "workload.Hotspot",
		"shifting-zipf": "*workload.Rotating",
		"feed":          "*workload.Latest",
		"time-series":   "*workload.Sequential",
		"counter":       "workload.Hotspot",
		"celebrity":     "*workload.Rotating",
	}
	for _, w := range sc.Workloads {
		cfg, err := workloadConfig(sc, w, s.Service, s.Duration)
		if err != nil {
			t.Fatalf("%s: %v", w.Name, err)
		}
		if got := fmt.Sprintf("%T", cfg.Keys); got != want[w.Name] {
			t.Errorf("%s: keys %s, want %s", w.Name, got, want[w.Name])
		}
	}
}
