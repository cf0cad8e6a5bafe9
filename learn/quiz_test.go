package learn

import (
	"fmt"
	"strings"
	"testing"

	"github.com/ddbsim/ddbsim/model/capacity"
	"github.com/ddbsim/ddbsim/model/units"
)

// The quiz's answers are the calculator's: a GetItem read question's
// answer is what calc.Read gives for it, and the conceptual questions'
// numbers hold in the model.
func TestQuizUsesCalculator(t *testing.T) {
	for seed := uint64(1); seed <= 20; seed++ {
		for _, q := range Questions(seed, 5) {
			if q.Topic != "partitions" {
				continue
			}
			var rcu, wcu, gb int64
			if _, err := fmt.Sscanf(strings.ReplaceAll(q.Text, ",", ""), "A table is provisioned with %d RCU and %d WCU", &rcu, &wcu); err != nil {
				t.Fatalf("%q: %v", q.Text, err)
			}
			if i := strings.Index(q.Text, "holds "); i >= 0 {
				fmt.Sscanf(q.Text[i:], "holds %d GB", &gb)
			}
			if want := capacity.InitialPartitions(rcu, wcu, gb<<30); q.Answer != float64(want) {
				t.Errorf("%s: answer %v, want %d", q.Text, q.Answer, want)
			}
		}
	}
	// "A conditional PutItem of a 3 KB item fails its condition; the item
	// existed": 3 WCU.
	if u := units.ConditionalFailureUnits(0, true, 3*1024); u.Float() != 3 {
		t.Errorf("conditional failure costs %v, the quiz says 3 WCU", u)
	}
}
