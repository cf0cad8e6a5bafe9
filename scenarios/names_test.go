package scenarios

import (
	"strings"
	"testing"
)

// A name holding ESC, an OSC sequence, CR or LF once passed validation
// and then retitled the terminal, forged a line of summary.txt and broke
// latency.hlog's comments. Every name is refused with its position.
func TestParseRefusesNonPrintingNames(t *testing.T) {
	const tail = ": a name is printed in reports and on terminals, so it must be printable characters"
	withName := func(name string) string {
		return strings.Replace(doc("", "", ""), "name: test", "name: "+name, 1)
	}
	for _, tc := range []struct {
		name, src string
		at        string
		msg       string
	}{
		{"OSC title in the scenario name", withName(`"x\e]0;owned\a"`), "2:7",
			`name "x\x1b]0;owned\a" holds the non-printing character U+001B at byte 1` + tail},
		{"CR LF in the scenario name", withName(`"ok\r\nFORGED"`), "2:7",
			`name "ok\r\nFORGED" holds the non-printing character U+000D at byte 2` + tail},
		{"bidirectional override in a table name", doc(`{name: "t\u202e", partition_key: id, mode: on-demand, items: {count: 1k}}`, `{name: w, table: "t\u202e", rate: 10/s}`, ""), "5:12",
			`name "t\u202e" holds the non-printing character U+202E at byte 1` + tail},
		{"tab in a workload name", doc("", `{name: "w\t1", table: t, rate: 10/s}`, ""), "7:12",
			`name "w\t1" holds the non-printing character U+0009 at byte 1` + tail},
		{"escape in a region", strings.Replace(doc("", "", ""), "duration: 1h", "duration: 1h\nregion: \"us-east-1\\e[31m\"", 1), "4:9",
			`region "us-east-1\x1b[31m" holds the non-printing character U+001B at byte 9` + tail},
		{"newline in a consumer name", doc(`{name: t, partition_key: id, mode: on-demand, items: {count: 1k}, stream: {view: new_image, consumers: [{name: "a\nb", kind: lambda}]}}`, "", ""), "5:116",
			`consumer name "a\nb" holds the non-printing character U+000A at byte 1` + tail},
	} {
		_, err := Parse("test.yaml", []byte(tc.src))
		wantParseError(t, tc.name, err, tc.at, tc.msg)
	}
}

// A workload at 999999999999999999/s once ran and reported negative
// throttle and retry counts (int64s wrapped); a rate whose requests over
// the duration pass 10^18 is refused.
func TestCheckRefusesRequestCountsBeyondWhatARunCounts(t *testing.T) {
	for _, tc := range []struct {
		name, workload, duration, want string
	}{
		{"rate", "{name: w, table: t, rate: 999999999999999999/s}", "1m",
			"test.yaml:7:5: workload w: a peak rate of 1e+18/s for 1m0s is up to 6e+19 requests, more than the 10^18 a run counts"},
		{"spike", "{name: w, table: t, rate: 1M/s, spikes: [{at: 1m, for: 1m, multiplier: 1000000000}]}", "1h",
			"test.yaml:7:5: workload w: a peak rate of 1e+15/s for 1h0m0s is up to 3.6e+18 requests"},
	} {
		src := strings.Replace(doc("", tc.workload, ""), "duration: 1h", "duration: "+tc.duration, 1)
		sc, err := Parse("test.yaml", []byte(src))
		if err == nil {
			err = Check(sc)
		}
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want %q", tc.name, err, tc.want)
		}
	}
	sc, err := Parse("test.yaml", []byte(doc("", "{name: w, table: t, rate: 1M/s}", "")))
	if err == nil {
		err = Check(sc)
	}
	if err != nil {
		t.Errorf("1M/s for an hour: %v", err)
	}
}
