package learn

import (
	"strings"
	"testing"
)

// A quiz never asks one question twice (the same operation, sizes and
// consistency at another rate is the same question) while its kind has
// another to ask.
func TestQuizAsksNoQuestionTwice(t *testing.T) {
	for seed := uint64(0); seed < 200; seed++ {
		seen := map[string]int{}
		for i, q := range Questions(seed, 20) {
			if j, ok := seen[q.asked]; ok {
				t.Errorf("seed %d: question %d repeats question %d: %s", seed, i+1, j+1, q.Text)
			}
			seen[q.asked] = i
		}
	}
}

// A question names one operation: a transactional read is TransactGetItems,
// never "GetItem ... (TransactGetItems)".
func TestQuizNamesOneOperation(t *testing.T) {
	for seed := uint64(0); seed < 200; seed++ {
		for _, q := range Questions(seed, 20) {
			if strings.Contains(q.Text, "GetItem") && strings.Contains(q.Text, "TransactGetItems") &&
				strings.Count(q.Text, "GetItem") > strings.Count(q.Text, "TransactGetItems") {
				t.Errorf("seed %d: %s", seed, q.Text)
			}
		}
	}
}
