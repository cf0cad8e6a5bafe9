package learn

import (
	"fmt"
	"io"
	"math"
	"strings"

	"github.com/ddbsim/ddbsim/reports"
)

// The first lesson, the pattern for the others: one run, numbers read
// from its result, a claim checked against it.
func init() {
	registerLesson(&Lesson{
		name:  "units",
		title: "Capacity units and rounding: a 6 KB item costs 2 read units, not 1.5",
		runs:  []lessonRun{{label: "6kb-strong", scenario: "units-rounding"}},
		explain: func(w io.Writer, res []*reports.Result) {
			t := res[0].Tables[0]
			reads := res[0].Requests.Succeeded
			fmt.Fprintf(w, "The run read 6 KB items, strongly consistent, %s times in %s: %s reads a second.\n",
				reports.Commas(reads), fmtSeconds(res[0].DurationS), trim(float64(reads)/res[0].DurationS))
			fmt.Fprintf(w, "The table consumed %s read units in all, %s a second: %s units per read.\n",
				trim(t.ConsumedRCU), trim(t.MeanRCUPerS), trim(t.ConsumedRCU/float64(reads)))
			fmt.Fprintf(w, "A read unit covers 4 KB: 6 KB rounds UP to 8 KB = 2 units (strong), x %s/s = %s RCU.\n",
				trim(float64(reads)/res[0].DurationS), trim(2*float64(reads)/res[0].DurationS))
			fmt.Fprintf(w, "Eventually consistent it would be half: 1 unit a read. Writes round up to 1 KB: a 6 KB put is 6 WCU.\n")
		},
		claim: func(res []*reports.Result) error {
			t := res[0].Tables[0]
			if per := t.ConsumedRCU / float64(res[0].Requests.Succeeded); math.Abs(per-2) > 1e-9 {
				return fmt.Errorf("a 6 KB strong read cost %v units, not 2", per)
			}
			return nil
		},
		plots:    []string{"throughput"},
		takeaway: "round the item size UP to 4 KB (reads) or 1 KB (writes) first, then apply the consistency factor: 6 KB strong = 2 RCU, eventual = 1, transactional = 4.",
	})
}

// trim formats a number with at most two decimals and no trailing zeros.
func trim(v float64) string {
	s := fmt.Sprintf("%.2f", v)
	for s[len(s)-1] == '0' {
		s = s[:len(s)-1]
	}
	if s[len(s)-1] == '.' {
		s = s[:len(s)-1]
	}
	return s
}

// fmtSeconds writes a duration in seconds as people read it.
func fmtSeconds(s float64) string {
	switch {
	case s >= 3600 && math.Mod(s, 3600) == 0:
		return fmt.Sprintf("%g h", s/3600)
	case s >= 60 && math.Mod(s, 60) == 0:
		return fmt.Sprintf("%g min", s/60)
	}
	return fmt.Sprintf("%g s", s)
}

// percent writes a fraction as a percentage with at most one decimal:
// 0.8333 -> "83.3%", 1 -> "100%".
func percent(f float64) string { return percentNumber(f) + "%" }

// percentNumber is percent without the sign, for a format that adds it.
func percentNumber(f float64) string {
	return strings.TrimSuffix(strings.TrimSuffix(reports.Percent(f, 1), "%"), ".0")
}
