package calc

import (
	"errors"
	"strings"
	"testing"
)

// Inputs whose products once wrapped an int64 (a rate of 10^18/s gave
// -9223372036854775808 RCU, capacity near 2^63 a negative bill) are
// refused with the limit named, never answered with a wrong number.
func TestCalcRefusesInputsBeyondItsLimits(t *testing.T) {
	tests := []struct {
		calc string
		in   Input
		want string
	}{
		{"rcu", Input{ItemSize: "400KB", Consistency: "strong", Rate: "999999999999999999/s"}, "--rate 999999999999999999/s: above the 1,000,000,000/s a calculation accepts"},
		{"wcu", Input{ItemSize: "1KB", Rate: "2G/s"}, "--rate 2G/s: above"},
		{"rcu", Input{ItemSize: "400KB", Consistency: "strong", Op: "query", Items: "1000", Rate: "5000G/s"}, "--rate 5000G/s: above"},
		{"cost", Input{RCU: "9223372036854775807", Region: "us-east-1", Class: "standard"}, "--rcu 9223372036854775807: above the 1,000,000,000 a calculation accepts"},
		{"cost", Input{Reads: "9223372036854775807", Region: "us-east-1", Class: "standard"}, "--reads 9223372036854775807: above the 1,000,000,000,000,000"},
		{"cost", Input{Writes: "5000000000/s", Region: "us-east-1", Class: "standard"}, "--writes 5000000000/s: above"},
		{"cost", Input{RCU: "1", Hours: "1e12", Region: "us-east-1", Class: "standard"}, "--hours 1e12: above the 876,000 hours"},
		{"cost", Input{Storage: "9223372036854775807B", Region: "us-east-1", Class: "standard"}, "--storage 9223372036854775807B: above the 1 EB"},
		{"partitions", Input{Size: "9223372036854775807B"}, "--size 9223372036854775807B: above the 1 EB"},
		{"partitions", Input{RCU: "9223372036854775807"}, "--rcu 9223372036854775807: above"},
		{"dax", Input{ItemSize: "1KB", Hits: "1000000000000000000/s", NodeType: "dax.r5.large", Nodes: 3}, "--hits 1000000000000000000/s: above"},
		{"wcu", Input{ItemSize: "1KB", OldSize: "9223372036854775807B", Op: "put"}, "--old-size: 8,589,934,592 GB is over the 400 KB item size limit"},
	}
	for _, tt := range tests {
		_, _, err := tt.in.Calculate(tt.calc)
		var ie *InputError
		if !errors.As(err, &ie) || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("calc %s %+v: error %v, want an InputError containing %q", tt.calc, tt.in, err, tt.want)
		}
	}
}

// At the limits every number the working shows is whole and positive.
func TestCalcAtItsLimitsShowsNoWrappedNumber(t *testing.T) {
	for _, tt := range []struct {
		calc string
		in   Input
	}{
		{"rcu", Input{ItemSize: "400KB", Consistency: "strong", Rate: "1G/s"}},
		{"rcu", Input{ItemSize: "400KB", Consistency: "strong", Op: "query", Items: "1000", Rate: "1G/s"}},
		{"cost", Input{RCU: "1G", WCU: "1G", Hours: "876000", Reads: "1G/s", Writes: "1G/s", Storage: "1048576TB", StreamReads: "1000000G", Region: "us-east-1", Class: "standard"}},
		{"partitions", Input{RCU: "1G", WCU: "1G", Size: "1048576TB"}},
	} {
		_, steps, err := tt.in.Calculate(tt.calc)
		if err != nil {
			t.Errorf("calc %s %+v: %v", tt.calc, tt.in, err)
			continue
		}
		for _, s := range steps {
			if strings.Contains(s, "-9") || strings.Contains(s, "$-") || strings.Contains(s, ".-") {
				t.Errorf("calc %s: a wrapped number in %q", tt.calc, s)
			}
		}
	}
}

func TestNumBeyondAnInt64(t *testing.T) {
	for v, want := range map[float64]string{
		1e19:   "10,000,000,000,000,000,000",
		-1e19:  "-10,000,000,000,000,000,000",
		1234.5: "1,234.5",
		-0.25:  "-0.25",
	} {
		if got := Num(v); got != want {
			t.Errorf("Num(%g) = %q, want %q", v, got, want)
		}
	}
}
