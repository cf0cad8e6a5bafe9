package scenarios

// Tests of a workload's keys mapping (parse_keys.go): what each
// distribution and option parses to, the messages for each mistake, the
// chooser built from it, and a sharded hot key run end to end.

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"strconv"
	"testing"
	"time"

	"github.com/ddbsim/ddbsim/sim"
	"github.com/ddbsim/ddbsim/workload"
)

// keysDoc is a scenario whose one workload has the keys mapping keys
// (the table holds 1k items, so count defaults to 1000).
func keysDoc(keys string) string {
	return doc("", "{name: w, table: t, rate: 1/s, keys: "+keys+"}", "")
}

func TestParseKeys(t *testing.T) {
	for _, tc := range []struct {
		keys string
		want Keys
	}{
		{"{distribution: uniform}", Keys{Distribution: "uniform", Count: 1000}},
		{"{distribution: zipf, rotate: 10m, shards: 10}",
			Keys{Distribution: "zipf", Exponent: 0.99, Count: 1000, Rotate: 10 * time.Minute, Shards: 10}},
		{"{distribution: hotspot}", Keys{Distribution: "hotspot", Count: 1000, HotKeys: 0.2, HotOps: 0.8}},
		{"{distribution: hotspot, hot_keys: 1%, hot_ops: 99%, count: 1M, rotate: 1h}",
			Keys{Distribution: "hotspot", Count: 1_000_000, HotKeys: 0.01, HotOps: 0.99, Rotate: time.Hour}},
		{"{distribution: hotspot, hot_keys: 100%, hot_ops: 100%}", Keys{Distribution: "hotspot", Count: 1000, HotKeys: 1, HotOps: 1}},
		{"{distribution: hot}", Keys{Distribution: "hot", Count: 1000, HotOps: 1}},
		{"{distribution: hot, hot_ops: 30%, rotate: 5m, shards: 1000}",
			Keys{Distribution: "hot", Count: 1000, HotOps: 0.3, Rotate: 5 * time.Minute, Shards: 1000}},
		{"{distribution: latest}", Keys{Distribution: "latest", Exponent: 0.99, Count: 1000}},
		{"{distribution: latest, exponent: 1.2, shards: 1}", Keys{Distribution: "latest", Exponent: 1.2, Count: 1000, Shards: 1}},
		{"{distribution: sequential, count: 50}", Keys{Distribution: "sequential", Count: 50}},
		{"{shards: 4}", Keys{Distribution: "uniform", Count: 1000, Shards: 4}},
	} {
		s, err := Parse("test.yaml", []byte(keysDoc(tc.keys)))
		if err != nil {
			t.Errorf("keys: %s: %v", tc.keys, err)
			continue
		}
		if got := s.Workloads[0].Keys; got != tc.want {
			t.Errorf("keys: %s:\n got %+v\nwant %+v", tc.keys, got, tc.want)
		}
	}
}

func TestParseKeysErrors(t *testing.T) {
	for _, tc := range []struct {
		name, keys string
		at         string // line:col
		msg        string
	}{
		{"YCSB's name for zipf", "{distribution: zipfian}", "7:57",
			`keys.distribution: unknown value "zipfian"; did you mean "zipf"?`},
		{"misspelt", "{distribution: hotspt}", "7:57",
			`keys.distribution: unknown value "hotspt"; did you mean "hotspot"?`},
		{"misspelt key", "{distribution: hotspot, hot_key: 10%}", "7:66",
			`unknown key "hot_key" in keys; did you mean "hot_keys"?`},
		{"a hot key by index", "{distribution: hot, key: 5}", "7:62",
			`unknown key "key" in keys (valid: distribution, exponent, count, hot_keys, hot_ops, rotate, shards)`},

		{"hot_keys 0%", "{distribution: hotspot, hot_keys: 0%}", "7:76",
			`keys.hot_keys must be above 0% and at most 100%, got 0%`},
		{"hot_keys over 100%", "{distribution: hotspot, hot_keys: 150%}", "7:76",
			`keys.hot_keys must be above 0% and at most 100%, got 150%`},
		{"hot_keys negative", "{distribution: hotspot, hot_keys: -5%}", "7:76",
			`keys.hot_keys: bad percentage "-5%": must not be negative`},
		{"hot_keys without %", "{distribution: hotspot, hot_keys: 0.2}", "7:76",
			`keys.hot_keys: bad percentage "0.2": no % sign; expected a percentage such as 70% or 0.5%`},
		{"hot_ops 0%", "{distribution: hotspot, hot_ops: 0%}", "7:75",
			`keys.hot_ops must be above 0% and at most 100%, got 0%`},
		{"hot_ops over 100%", "{distribution: hot, hot_ops: 100.5%}", "7:71",
			`keys.hot_ops must be above 0% and at most 100%, got 100.5%`},

		{"latest exponent 0", "{distribution: latest, exponent: 0}", "7:75",
			`keys.exponent must be greater than 0, got 0`},
		{"latest exponent negative", "{distribution: latest, exponent: -0.5}", "7:75",
			`keys.exponent must be greater than 0, got -0.5`},

		{"shards 0", "{shards: 0}", "7:51",
			`keys.shards must be between 1 and 1000, got 0`},
		{"shards over 1000", "{distribution: hot, shards: 1001}", "7:70",
			`keys.shards must be between 1 and 1000, got 1001`},
		{"shards 2k", "{shards: 2k}", "7:51",
			`keys.shards must be between 1 and 1000, got 2k`},
		{"shards not a count", "{shards: many}", "7:51",
			`keys.shards: bad count "many": expected a whole number such as 1000, 1k or 1.5M`},

		{"rotate 0", "{distribution: zipf, rotate: 0s}", "7:71",
			`keys.rotate must be positive, got 0s`},
		{"rotate negative", "{distribution: hot, rotate: -10m}", "7:70",
			`keys.rotate must be positive, got -10m`},

		{"hot_ops with zipf", "{distribution: zipf, hot_ops: 80%}", "7:63",
			`keys.hot_ops applies only to distribution: hotspot or hot`},
		{"hot_ops with the default uniform", "{hot_ops: 80%}", "7:43",
			`keys.hot_ops applies only to distribution: hotspot or hot`},
		{"hot_keys with hot", "{distribution: hot, hot_keys: 1%}", "7:62",
			`keys.hot_keys applies only to distribution: hotspot`},
		{"hot_keys with latest", "{distribution: latest, hot_keys: 1%}", "7:65",
			`keys.hot_keys applies only to distribution: hotspot`},
		{"exponent with hotspot", "{distribution: hotspot, exponent: 1.2}", "7:66",
			`keys.exponent applies only to distribution: zipf or latest`},
		{"exponent with sequential", "{distribution: sequential, exponent: 1.2}", "7:69",
			`keys.exponent applies only to distribution: zipf or latest`},
		{"rotate with latest", "{distribution: latest, rotate: 10m}", "7:65",
			`keys.rotate applies only to distribution: zipf, hotspot or hot`},
		{"rotate with uniform", "{distribution: uniform, rotate: 10m}", "7:66",
			`keys.rotate applies only to distribution: zipf, hotspot or hot`},
		{"rotate with sequential", "{distribution: sequential, rotate: 10m}", "7:69",
			`keys.rotate applies only to distribution: zipf, hotspot or hot`},
	} {
		_, err := Parse("test.yaml", []byte(keysDoc(tc.keys)))
		wantParseError(t, tc.name, err, tc.at, tc.msg)
	}
}

// TestParseKeysErrorsAlone pins that a mistake is reported once: an
// option that does not apply is not also checked for its value, and an
// unknown distribution does not make every option an error (their values
// are still checked).
func TestParseKeysErrorsAlone(t *testing.T) {
	for _, keys := range []string{
		"{distribution: zipf, hot_ops: 0%}",                     // applies only to...
		"{distribution: zipfian, hot_ops: 80%, rotate: 1m}",     // unknown value
		"{distribution: gaussian, exponent: 1.2, hot_keys: 5%}", // unknown value
	} {
		_, err := Parse("test.yaml", []byte(keysDoc(keys)))
		var list ErrorList
		if !errors.As(err, &list) || len(list) != 1 {
			t.Errorf("keys: %s: want one error, got %v", keys, err)
		}
	}
}

// TestKeyChooser pins the chooser each distribution builds, with its
// defaults, and that a YCSB hotspot takes its fractions from the file.
func TestKeyChooser(t *testing.T) {
	const n = 1000
	w := func(k Keys) Workload { return Workload{Keys: k} }
	if c := keyChooser(w(Keys{Distribution: "uniform"}), n, nil); c != (workload.Uniform{Count: n}) {
		t.Errorf("uniform: %#v", c)
	}
	if _, ok := keyChooser(w(Keys{Distribution: "zipf", Exponent: 0.99}), n, nil).(*workload.Zipf); !ok {
		t.Errorf("zipf: not a *workload.Zipf")
	}
	for _, tc := range []struct {
		w    Workload
		want workload.Hotspot
	}{
		{w(Keys{Distribution: "hotspot", HotKeys: 0.2, HotOps: 0.8}), workload.Hotspot{Count: n, Hot: 200, HotOps: 0.8}},
		{w(Keys{Distribution: "hotspot"}), workload.Hotspot{Count: n, Hot: 200, HotOps: 0.8}},
		{w(Keys{Distribution: "hotspot", HotKeys: 0.1, HotOps: 0.9}), workload.Hotspot{Count: n, Hot: 100, HotOps: 0.9}},
		{w(Keys{Distribution: "hot", HotOps: 1}), workload.Hotspot{Count: n, Hot: 1, HotOps: 1}},
		{w(Keys{Distribution: "hot"}), workload.Hotspot{Count: n, Hot: 1, HotOps: 1}},
		{w(Keys{Distribution: "hot", HotOps: 0.3}), workload.Hotspot{Count: n, Hot: 1, HotOps: 0.3}},
	} {
		if c := keyChooser(tc.w, n, nil); c != tc.want {
			t.Errorf("%+v: %#v, want %#v", tc.w.Keys, c, tc.want)
		}
	}
	if _, ok := keyChooser(w(Keys{Distribution: "sequential"}), n, nil).(*workload.Sequential); !ok {
		t.Errorf("sequential: not a *workload.Sequential")
	}
	for _, d := range []string{"zipf", "hotspot", "hot"} {
		if _, ok := keyChooser(w(Keys{Distribution: d, Exponent: 0.99, Rotate: time.Minute}), n, nil).(*workload.Rotating); !ok {
			t.Errorf("%s with rotate: not a *workload.Rotating", d)
		}
	}

	// Latest reads the workload's keyspace: a key inserted is at once
	// the likeliest; without inserts it has a keyspace of its own.
	ks := workload.NewKeyspace(n)
	c := keyChooser(w(Keys{Distribution: "latest", Exponent: 0.99}), n, ks)
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
	if k := keyChooser(w(Keys{Distribution: "latest", Exponent: 0.99}), n, nil).Next(r, 0); k < 0 || k >= n {
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
	sc, err := Parse("keys.yaml", []byte(keysRunScenario))
	if err != nil {
		t.Fatal(err)
	}
	var rec tally
	s, err := Build(sc, 1, &rec)
	if err != nil {
		t.Fatal(err)
	}
	s.Run()
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
	sc := mustLoad(t, "testdata/valid/keys.yaml")
	s, err := Build(sc, 1, &tally{})
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
