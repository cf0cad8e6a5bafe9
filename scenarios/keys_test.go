package scenarios

// Tests of a workload's keys mapping (parse_keys.go): what each
// distribution and option parses to, the messages for each mistake, the
// chooser built from it, and a sharded hot key run end to end.

import (
	"errors"
	"testing"
	"time"
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
