package scenarios

import (
	"testing"
)

func TestMixParseErrors(t *testing.T) {
	tests := []struct {
		name, mix, want string
	}{
		{"consistency on a write", "{put: {share: 100%, consistency: strong}}",
			"ops.yaml:12:30: consistency applies to reads, and put is a write"},
		{"condition on a read", "{get: {share: 100%, condition_failure: 5%}}",
			"ops.yaml:12:30: condition_failure applies to put, update, delete and insert, not get"},
		{"share missing", "{get: {consistency: strong}}",
			"ops.yaml:12:16: mix.get is missing share (such as share: 80%)"},
		{"unknown YCSB op", "{inserts: 100%}",
			`ops.yaml:12:11: unknown operation "inserts" in mix; did you mean "insert"?`},
	}
	for _, tt := range tests {
		src := "version: 1\nname: ops\nduration: 1m\ntables:\n  - {name: t, partition_key: id, mode: on-demand, items: {count: 10}}\n" +
			"workloads:\n  - name: w\n    table: t\n    rate: 1/s\n\n\n    mix: " + tt.mix + "\n"
		_, err := Parse("ops.yaml", []byte(src))
		if err == nil || err.Error() != tt.want {
			t.Errorf("%s: got %v\nwant %s", tt.name, err, tt.want)
		}
	}
}
